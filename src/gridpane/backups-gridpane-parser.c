/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-parser.c
 *
 * The parsers of GET /backups/schedules, /backups/integrations and /user.
 * /backups/schedules has two readers: the one-pass reader
 * (backups-gridpane-json-scan.c) for the bodies it can vouch for, and the
 * json-glib tree here, the reference, for every other body and for the
 * error messages. Both turn the members they find into records through
 * backups-gridpane-schedule-fields.c.
 */
#include "config.h"

#include "backups-gridpane-parser.h"
#include "backups-gridpane-parser-private.h"

#include "backups-gridpane-json-scan-private.h"
#include "backups-gridpane-json-tree-private.h"
#include "backups-gridpane-schedule-fields-private.h"

/* ---------------------------------------------------------------------- */
/* Schedules                                                               */

static gboolean
parse_tree_schedule (JsonNode                       *node,
                     const BackupsGridpaneSiteEntry *site,
                     GHashTable                     *seen_ids,
                     GPtrArray                      *records,
                     GError                        **error)
{
  BackupsGridpaneScheduleFields fields;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      INVALID (error, "a schedule of site %" G_GINT64_FORMAT " is %s, not an object", site->site_id,
               backups_gridpane_node_type_name (node));
      return FALSE;
    }
  backups_gridpane_read_members (json_node_get_object (node), backups_gridpane_schedule_members,
                                 &fields);
  return backups_gridpane_add_schedule (&fields, site, seen_ids, records, error);
}

GPtrArray *
backups_gridpane_parse_schedules_tree (const char          *data,
                                       gsize                len,
                                       BackupsGridpanePage *page,
                                       GError             **error)
{
  static const char *const keys[] = { "data", "schedules", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GHashTable) seen_ids = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *sites;
  guint               n_sites;

  if (!(root = backups_gridpane_json_load (data, len, error)))
    return NULL;
  if (!(sites = backups_gridpane_find_list (root, keys, error)))
    return NULL;

  records = backups_schedule_record_array_new ();
  seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  n_sites = json_array_get_length (sites);

  for (guint i = 0; i < n_sites; i++)
    {
      g_auto (BackupsGridpaneSiteEntry) entry = { 0 };
      BackupsGridpaneSiteFields fields;
      JsonObject               *site;
      JsonNode                 *list;
      JsonArray                *schedules;

      if (!(site = backups_gridpane_element_object (sites, i, "site entry", error)))
        return NULL;

      backups_gridpane_read_members (site, backups_gridpane_site_entry_members, &fields);
      if (!backups_gridpane_read_site_entry (&fields, i, &entry, error))
        return NULL;

      list = json_object_get_member (site, "schedule_backups");
      if (backups_gridpane_node_is_absent (list))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          INVALID (error, "site %" G_GINT64_FORMAT ": “schedule_backups” is %s, not a list",
                   entry.site_id, backups_gridpane_node_type_name (list));
          return NULL;
        }

      schedules = json_node_get_array (list);
      for (guint j = 0; j < json_array_get_length (schedules); j++)
        {
          if (!parse_tree_schedule (json_array_get_element (schedules, j), &entry, seen_ids,
                                    records, error))
            return NULL;
        }
    }

  if (!backups_gridpane_read_page (root, n_sites, page != NULL ? page : &local_page, error))
    return NULL;
  return g_steal_pointer (&records);
}

/* The one-pass parser reads what GridPane sends in a fraction of the time
 * json-glib's tree takes. Whatever it leaves (any invalid body, a page of
 * several, and the odd shapes it does not handle) takes the tree, which is
 * the reference: the same records, and the error messages. */
GPtrArray *
backups_gridpane_parse_schedules_page (const char          *data,
                                       gsize                len,
                                       BackupsGridpanePage *page,
                                       GError             **error)
{
  GPtrArray *records = backups_gridpane_parse_schedules_direct (data, len, page);

  if (records == NULL)
    return backups_gridpane_parse_schedules_tree (data, len, page, error);
  return records;
}

GPtrArray *
backups_gridpane_parse_schedules (const char *data, gsize len, GError **error)
{
  return backups_gridpane_parse_schedules_page (data, len, NULL, error);
}

/* ---------------------------------------------------------------------- */
/* Integrations                                                            */

static gpointer
read_integration (JsonObject *object, gint64 id, const char *context, GError **error)
{
  g_autoptr (BackupsIntegrationRecord) record = backups_integration_record_new ();

  record->remote_id = id;
  if (!backups_gridpane_member_read_string (object, "integrated_service", &record->service, context,
                                            error)
      || !backups_gridpane_member_read_string (object, "integration_name", &record->name, context,
                                               error)
      || !backups_gridpane_member_read_string (object, "region", &record->region, context, error))
    return NULL;

  /* Unknown and missing kinds are data, not errors. */
  if (record->service == NULL)
    record->service = g_strdup ("");
  if (record->name == NULL)
    record->name = g_strdup ("");
  return g_steal_pointer (&record);
}

GPtrArray *
backups_gridpane_parse_integrations_page (const char          *data,
                                          gsize                len,
                                          BackupsGridpanePage *page,
                                          GError             **error)
{
  static const char *const               keys[] = { "integrations", "data", NULL };
  static const BackupsGridpaneListReader reader
    = { keys, "integration", TRUE, backups_integration_record_array_new, read_integration };

  return backups_gridpane_parse_list (&reader, data, len, page, error);
}

GPtrArray *
backups_gridpane_parse_integrations (const char *data, gsize len, GError **error)
{
  return backups_gridpane_parse_integrations_page (data, len, NULL, error);
}

gboolean
backups_gridpane_parse_user (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = NULL;

  if (!(root = backups_gridpane_json_load (data, len, error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      INVALID (error, "the body is %s, not a JSON object", backups_gridpane_node_type_name (root));
      return FALSE;
    }
  return backups_gridpane_check_success (json_node_get_object (root), error);
}
