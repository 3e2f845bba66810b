/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-schedules.c: backups_gridpane_parse_schedules_page(), and the
 * one-pass parser against json-glib's tree: whenever the one-pass parser
 * answers, the tree must give the same records (odd values, their
 * problems and service_user_id included), and the body must be one the
 * one-pass parser may answer (no pagination members, "success" true or
 * absent). */
#include <string.h>

#include "backups-gridpane-parser-private.h"
#include "fuzz-common.h"

static int
strcmp0 (const char *a, const char *b)
{
  return a == NULL || b == NULL ? (a != b) : strcmp (a, b);
}

static void
check_same_records (GPtrArray *direct, GPtrArray *tree)
{
  if (direct->len != tree->len)
    abort ();
  for (guint i = 0; i < direct->len; i++)
    {
      BackupsScheduleRecord *a = g_ptr_array_index (direct, i);
      BackupsScheduleRecord *b = g_ptr_array_index (tree, i);

      if (a->remote_id != b->remote_id || a->site_remote_id != b->site_remote_id
          || a->server_remote_id != b->server_remote_id || strcmp0 (a->site_url, b->site_url) != 0
          || a->type != b->type || a->frequency != b->frequency || a->hour != b->hour
          || a->minute != b->minute || a->day != b->day || a->service_id != b->service_id
          || strcmp0 (a->service_name, b->service_name) != 0
          || a->integration_id != b->integration_id || strcmp0 (a->problems, b->problems) != 0)
        abort ();
    }
}

/* The one-pass parser leaves failures to the tree. */
static void
check_direct_may_answer (const uint8_t *data, size_t size)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  JsonObject *object;
  JsonNode   *success;

  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, NULL))
    abort ();
  if (JSON_NODE_HOLDS_ARRAY (json_parser_get_root (parser)))
    return;
  if (!JSON_NODE_HOLDS_OBJECT (json_parser_get_root (parser)))
    abort ();
  object = json_node_get_object (json_parser_get_root (parser));
  success = json_object_get_member (object, "success");
  if (success != NULL
      && !(JSON_NODE_HOLDS_VALUE (success) && json_node_get_value_type (success) == G_TYPE_BOOLEAN
           && json_node_get_boolean (success)))
    abort ();
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) direct
    = backups_gridpane_parse_schedules_direct ((const char *)data, size, NULL);
  g_autoptr (GPtrArray) records = NULL;
  FuzzBody            body = FUZZ_BODY_INIT (data, size);
  BackupsGridpanePage page;

  records = backups_gridpane_parse_schedules_page ((const char *)data, size, &page, &error);
  fuzz_check_outcome (records, error);
  fuzz_check_error_secret_free (&body, error);

  if (direct != NULL)
    {
      g_autoptr (GError) tree_error = NULL;
      g_autoptr (GPtrArray) tree = NULL;
      BackupsGridpanePage tree_page;

      tree
        = backups_gridpane_parse_schedules_tree ((const char *)data, size, &tree_page, &tree_error);
      /* The one-pass parser never accepts a body the tree refuses. */
      if (tree == NULL || records == NULL)
        abort ();
      check_same_records (direct, tree);
      check_same_records (records, tree);
      check_direct_may_answer (data, size);
      /* Both paths read the same page facts, and count site entries. */
      if (page.current_page != tree_page.current_page || page.last_page != tree_page.last_page
          || page.total != tree_page.total || page.next != tree_page.next
          || page.n_items != tree_page.n_items)
        abort ();
    }

  if (records != NULL)
    {
      fuzz_check_page (records, &page, FALSE);
      for (guint i = 0; i < records->len; i++)
        fuzz_check_schedule (g_ptr_array_index (records, i), &body);
    }
  return 0;
}
