/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-common.h: shared checks for the GridPane parser fuzz targets. */
#pragma once

#include <glib.h>
#include <json-glib/json-glib.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

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

/* ---------------------------------------------------------------------- */
/* Credentials                                                             */

/* The parsers keep allow-listed members only, so a secret can only reach a
 * record, or an error message, through a member they read. The property
 * checked: when the planted word FUZZ_SENTINEL (in any case) appears in the
 * body only inside members named like a credential, at any depth, it
 * appears in no record string and no error message. No member the parsers
 * read has such a name, so the property is sound whatever the body. */
#define FUZZ_SENTINEL "sentinel"

static inline gboolean
fuzz_has_sentinel (const char *text)
{
  g_autofree char *lower = NULL;

  if (text == NULL)
    return FALSE;
  lower = g_ascii_strdown (text, -1);
  return strstr (lower, FUZZ_SENTINEL) != NULL;
}

static inline gboolean
fuzz_is_credential_name (const char *name)
{
  static const char *const parts[]
    = { "token", "secret", "pass", "credential", "key", "auth", "access_url", "cookie", "session" };
  g_autofree char *lower = g_ascii_strdown (name, -1);

  for (guint i = 0; i < G_N_ELEMENTS (parts); i++)
    if (strstr (lower, parts[i]) != NULL)
      return TRUE;
  return FALSE;
}

static gboolean fuzz_node_reaches_sentinel (JsonNode *node);

static void
fuzz_member_cb (JsonObject *object, const char *name, JsonNode *node, gpointer user_data)
{
  gboolean *found = user_data;

  /* Whatever a credential member holds stays behind. */
  if (*found || fuzz_is_credential_name (name))
    return;
  if (fuzz_has_sentinel (name) || fuzz_node_reaches_sentinel (node))
    *found = TRUE;
}

static void
fuzz_element_cb (JsonArray *array, guint index_, JsonNode *node, gpointer user_data)
{
  gboolean *found = user_data;

  if (!*found && fuzz_node_reaches_sentinel (node))
    *found = TRUE;
}

/* TRUE when the sentinel is somewhere outside credential members: in a
 * string, or a member name. */
static gboolean
fuzz_node_reaches_sentinel (JsonNode *node)
{
  gboolean found = FALSE;

  if (JSON_NODE_HOLDS_OBJECT (node))
    json_object_foreach_member (json_node_get_object (node), fuzz_member_cb, &found);
  else if (JSON_NODE_HOLDS_ARRAY (node))
    json_array_foreach_element (json_node_get_array (node), fuzz_element_cb, &found);
  else if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    found = fuzz_has_sentinel (json_node_get_string (node));
  return found;
}

/* TRUE when the body holds the sentinel only inside credential members (or
 * not at all), as json-glib reads it: then nothing the parsers give may hold
 * it. FALSE, and nothing to check, when json-glib cannot read the body or
 * the sentinel is also elsewhere. Bodies nested deeper than the parsers
 * take are not walked. */
static inline gboolean
fuzz_sentinel_hidden (const uint8_t *data, size_t size)
{
  g_autoptr (JsonParser) parser = NULL;
  int depth = 0;
  int max_depth = 0;

  if (size == 0 || size > G_MAXSSIZE || !g_utf8_validate_len ((const char *)data, size, NULL))
    return FALSE;
  /* A bound on the walk's recursion (brackets in strings count too). */
  for (size_t i = 0; i < size; i++)
    {
      if (data[i] == '[' || data[i] == '{')
        max_depth = MAX (max_depth, ++depth);
      else if (data[i] == ']' || data[i] == '}')
        depth--;
    }
  if (max_depth > BACKUPS_GRIDPANE_MAX_DEPTH)
    return FALSE;

  parser = json_parser_new ();
  if (!json_parser_load_from_data (parser, (const char *)data, (gssize)size, NULL)
      || json_parser_get_root (parser) == NULL)
    return FALSE;
  return !fuzz_node_reaches_sentinel (json_parser_get_root (parser));
}

/* The body a target was given. Whether its sentinel is hidden is only
 * worked out when an output holds the sentinel: then json-glib is safe to
 * run on it, as the parser got that far (json-glib 1.6 leaks on some of the
 * bodies the parser refuses before json-glib sees them). */
typedef struct
{
  const uint8_t *data;
  size_t         size;
  int            hidden; /* -1 until worked out */
} FuzzBody;

#define FUZZ_BODY_INIT(data, size)                                                                 \
  {                                                                                                \
    (data), (size), -1                                                                             \
  }

/* A record string, or an error message, holds no hidden sentinel. */
static inline void
fuzz_check_secret_free (FuzzBody *body, const char *text)
{
  if (!fuzz_has_sentinel (text))
    return;
  if (body->hidden < 0)
    body->hidden = fuzz_sentinel_hidden (body->data, body->size);
  if (body->hidden)
    abort ();
}

static inline void
fuzz_check_error_secret_free (FuzzBody *body, GError *error)
{
  if (error != NULL)
    fuzz_check_secret_free (body, error->message);
}

/* ---------------------------------------------------------------------- */
/* Records and pages                                                       */

/* NULL, or "WHAT ID: reason; reason" in valid UTF-8. */
static inline void
fuzz_check_problems (const char *problems, const char *what, gint64 id)
{
  g_autofree char *prefix = NULL;

  if (problems == NULL)
    return;
  prefix = g_strdup_printf ("%s %" G_GINT64_FORMAT ": ", what, id);
  if (!g_str_has_prefix (problems, prefix) || problems[strlen (prefix)] == '\0'
      || !g_utf8_validate (problems, -1, NULL))
    abort ();
}

/* A parsed page's facts stay in bounds: page numbers from 1 or 0 (not
 * given), a total from 0 or -1 (not given), a next link of the enum, and
 * n_items the length of the list (for schedules, its site entries, which
 * the caller checks). */
static inline void
fuzz_check_page (GPtrArray *records, const BackupsGridpanePage *page, gboolean items_are_records)
{
  if (page->current_page < 0 || page->last_page < 0 || page->total < -1)
    abort ();
  if (page->next != BACKUPS_GRIDPANE_NEXT_UNKNOWN && page->next != BACKUPS_GRIDPANE_NEXT_NONE
      && page->next != BACKUPS_GRIDPANE_NEXT_LINK)
    abort ();
  if (items_are_records && page->n_items != records->len)
    abort ();
}

static inline gboolean
fuzz_flag_ok (BackupsFlag flag)
{
  return flag == BACKUPS_FLAG_UNKNOWN || flag == BACKUPS_FLAG_NO || flag == BACKUPS_FLAG_YES;
}

static inline void
fuzz_check_site (const BackupsSiteRecord *record, FuzzBody *body)
{
  if (record->url == NULL || !g_utf8_validate (record->url, -1, NULL))
    abort ();
  if (!fuzz_flag_ok (record->local_bup) || !fuzz_flag_ok (record->remote_bup))
    abort ();
  if (record->local_retain_days < BACKUPS_NO_VALUE || record->remote_retain_days < BACKUPS_NO_VALUE)
    abort ();
  if (record->local_prune_schedule < BACKUPS_NO_VALUE || record->local_prune_schedule > 3
      || record->remote_prune_schedule < BACKUPS_NO_VALUE || record->remote_prune_schedule > 3)
    abort ();
  /* Unknown is NULL, never empty. */
  if ((record->server_label != NULL && record->server_label[0] == '\0')
      || (record->server_ip != NULL && record->server_ip[0] == '\0')
      || (record->server_timezone != NULL && record->server_timezone[0] == '\0'))
    abort ();
  fuzz_check_problems (record->problems, "site", record->remote_id);
  fuzz_check_secret_free (body, record->url);
  fuzz_check_secret_free (body, record->server_label);
  fuzz_check_secret_free (body, record->server_ip);
  fuzz_check_secret_free (body, record->server_timezone);
  fuzz_check_secret_free (body, record->problems);
}

static inline void
fuzz_check_server (const BackupsServerRecord *record, FuzzBody *body)
{
  /* The /server list carries no zone (gridpane-api.md, Corrections). */
  if (record->timezone != NULL)
    abort ();
  fuzz_check_secret_free (body, record->label);
  fuzz_check_secret_free (body, record->ip);
}

static inline void
fuzz_check_integration (const BackupsIntegrationRecord *record, FuzzBody *body)
{
  if (record->service == NULL || record->name == NULL)
    abort ();
  fuzz_check_secret_free (body, record->service);
  fuzz_check_secret_free (body, record->name);
  fuzz_check_secret_free (body, record->region);
}

static inline void
fuzz_check_schedule (const BackupsScheduleRecord *record, FuzzBody *body)
{
  if (record->site_url == NULL)
    abort ();
  if (record->type != BACKUPS_SCHEDULE_TYPE_LOCAL && record->type != BACKUPS_SCHEDULE_TYPE_REMOTE)
    abort ();
  if (record->frequency < BACKUPS_FREQUENCY_HOURLY || record->frequency > BACKUPS_FREQUENCY_UNKNOWN)
    abort ();
  if (record->hour != BACKUPS_NO_VALUE && (record->hour < 0 || record->hour > 23))
    abort ();
  if (record->frequency == BACKUPS_FREQUENCY_HOURLY && record->hour != BACKUPS_NO_VALUE)
    abort ();
  if (record->minute != BACKUPS_NO_VALUE && (record->minute < 0 || record->minute > 59))
    abort ();
  if (record->day != BACKUPS_NO_VALUE
      && !(record->frequency == BACKUPS_FREQUENCY_WEEKLY && record->day >= 0 && record->day <= 6)
      && !(record->frequency == BACKUPS_FREQUENCY_MONTHLY && record->day >= 1 && record->day <= 28))
    abort ();
  /* A local backup has no destination. */
  if (record->type == BACKUPS_SCHEDULE_TYPE_LOCAL
      && (record->service_id != BACKUPS_NO_VALUE || record->service_name != NULL
          || record->integration_id != BACKUPS_NO_VALUE))
    abort ();
  /* A frequency outside the four is always explained. */
  if (record->frequency == BACKUPS_FREQUENCY_UNKNOWN && record->problems == NULL)
    abort ();
  fuzz_check_problems (record->problems, "schedule", record->remote_id);
  fuzz_check_secret_free (body, record->site_url);
  fuzz_check_secret_free (body, record->service_name);
  fuzz_check_secret_free (body, record->problems);
}
