/* fuzz-common.h: shared checks for the GridPane parser fuzz targets. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>

#include "backups-error.h"
#include "backups-gridpane-parser.h"

int LLVMFuzzerTestOneInput (const uint8_t *data, size_t size);

/* A parser fails only with BACKUPS_ERROR_INVALID_RESPONSE and a message,
 * and returns either records or an error, never both or neither. */
static inline void
fuzz_check_outcome (gconstpointer result, GError *error)
{
  if ((result == NULL) == (error == NULL))
    abort ();
  if (error != NULL
      && (!g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE)
          || error->message == NULL || error->message[0] == '\0'
          || !g_utf8_validate (error->message, -1, NULL)))
    abort ();
}

static gboolean fuzz_node_has_credential (JsonNode *node);

static void
fuzz_member_cb (JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  gboolean *found = user_data;

  if (backups_is_credential_key (name) || fuzz_node_has_credential (node))
    *found = TRUE;
}

static void
fuzz_element_cb (JsonArray *array, guint index_, JsonNode *node, gpointer user_data)
{
  gboolean *found = user_data;

  if (fuzz_node_has_credential (node))
    *found = TRUE;
}

/* TRUE when any object member at any depth is named like a credential. */
static gboolean
fuzz_node_has_credential (JsonNode *node)
{
  gboolean found = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    json_object_foreach_member (json_node_get_object (node), fuzz_member_cb, &found);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    json_array_foreach_element (json_node_get_array (node), fuzz_element_cb, &found);
  return found;
}

/* raw_json must be valid JSON without a credential member anywhere. */
static inline void
fuzz_check_raw_json (const char *raw_json)
{
  g_autoptr (JsonParser) parser = json_parser_new ();

  if (raw_json == NULL || !json_parser_load_from_data (parser, raw_json, -1, NULL))
    abort ();
  if (fuzz_node_has_credential (json_parser_get_root (parser)))
    abort ();
}

/* A parsed page's facts stay in bounds: page numbers from 1, counts never
 * negative, and never a next page after an empty one (the sync would loop
 * on it). */
static inline void
fuzz_check_page (GPtrArray *records, const BackupsGridpanePage *page)
{
  if (page->current_page < 1 || page->last_page < 0 || page->per_page < 0 || page->total < 0)
    abort ();
  if (records->len == 0 && page->has_next)
    abort ();
}
