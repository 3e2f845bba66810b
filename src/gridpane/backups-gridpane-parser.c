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
parse_tree_schedule (JsonNode   *node,
                     gint64      site_id,
                     gint64      server_id,
                     const char *site_url,
                     const char *site_problems,
                     GHashTable *seen_ids,
                     GPtrArray  *records,
                     GError    **error)
{
  BackupsGridpaneScheduleFields fields;
  JsonObject                   *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      INVALID (error, "a schedule of site %" G_GINT64_FORMAT " is %s, not an object", site_id,
               backups_gridpane_node_type_name (node));
      return FALSE;
    }
  object = json_node_get_object (node);

#define READ_MEMBER(member) fields.member = backups_gridpane_member_value (object, #member);
  BACKUPS_GRIDPANE_SCHEDULE_MEMBERS (READ_MEMBER)
#undef READ_MEMBER

  return backups_gridpane_add_schedule (&fields, site_id, server_id, site_url, site_problems,
                                        seen_ids, records, error);
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
      g_autofree char          *url = NULL;
      g_autofree char          *site_problems = NULL;
      BackupsGridpaneSiteFields fields;
      JsonObject               *site;
      JsonNode                 *list;
      JsonArray                *schedules;
      gint64                    site_id;
      gint64                    server_id;

      if (!(site = backups_gridpane_element_object (sites, i, "site entry", error)))
        return NULL;

#define READ_MEMBER(member) fields.member = backups_gridpane_member_value (site, #member);
      BACKUPS_GRIDPANE_SITE_ENTRY_MEMBERS (READ_MEMBER)
#undef READ_MEMBER
      if (!backups_gridpane_read_site_entry (&fields, i, &site_id, &server_id, &url, &site_problems,
                                             error))
        return NULL;

      list = json_object_get_member (site, "schedule_backups");
      if (backups_gridpane_node_is_absent (list))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          INVALID (error, "site %" G_GINT64_FORMAT ": “schedule_backups” is %s, not a list",
                   site_id, backups_gridpane_node_type_name (list));
          return NULL;
        }

      schedules = json_node_get_array (list);
      for (guint j = 0; j < json_array_get_length (schedules); j++)
        {
          if (!parse_tree_schedule (json_array_get_element (schedules, j), site_id, server_id, url,
                                    site_problems, seen_ids, records, error))
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

/* Only what the app shows is read: the storage provider's keys (`token`,
 * `secret_token`, and whatever else the body carries) never leave this
 * function. */
static gpointer
read_integration (JsonObject *object, guint index_, gpointer user_data, GError **error)
{
  GHashTable *seen_ids = user_data;
  g_autoptr (BackupsIntegrationRecord) record = backups_integration_record_new ();
  g_autofree char *context = g_strdup_printf ("integration %u", index_ + 1);

  if (!backups_gridpane_member_read_int (object, "id", TRUE, 0, &record->remote_id, context, error))
    return NULL;
  g_free (context);
  context = g_strdup_printf ("integration %" G_GINT64_FORMAT, record->remote_id);

  if (g_hash_table_contains (seen_ids, &record->remote_id))
    {
      INVALID (error, "%s appears twice", context);
      return NULL;
    }

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

  /* The key points into the record, which the array keeps alive. */
  g_hash_table_add (seen_ids, &record->remote_id);
  return g_steal_pointer (&record);
}

GPtrArray *
backups_gridpane_parse_integrations_page (const char          *data,
                                          gsize                len,
                                          BackupsGridpanePage *page,
                                          GError             **error)
{
  static const char *const keys[] = { "integrations", "data", NULL };
  g_autoptr (GHashTable) seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);

  return backups_gridpane_parse_list (data, len, keys, "integration",
                                      backups_integration_record_array_new (), read_integration,
                                      seen_ids, page, error);
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
