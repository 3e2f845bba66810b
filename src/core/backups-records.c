/* backups-records.c */
#include "backups-records.h"

#include <json-glib/json-glib.h>
#include <string.h>

BackupsServerRecord *
backups_server_record_new (void)
{
  return g_new0 (BackupsServerRecord, 1);
}

void
backups_server_record_free (BackupsServerRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->label);
  g_free (record->ip);
  g_free (record->timezone);
  g_free (record);
}

BackupsSiteRecord *
backups_site_record_new (void)
{
  BackupsSiteRecord *record = g_new0 (BackupsSiteRecord, 1);

  record->server_remote_id = BACKUPS_NO_VALUE;
  record->local_retain_days = BACKUPS_NO_VALUE;
  record->local_prune_schedule = BACKUPS_NO_VALUE;
  record->remote_retain_days = BACKUPS_NO_VALUE;
  record->remote_prune_schedule = BACKUPS_NO_VALUE;
  return record;
}

void
backups_site_record_free (BackupsSiteRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->url);
  g_free (record);
}

BackupsScheduleRecord *
backups_schedule_record_new (void)
{
  BackupsScheduleRecord *record = g_new0 (BackupsScheduleRecord, 1);

  record->server_remote_id = BACKUPS_NO_VALUE;
  record->day = BACKUPS_NO_VALUE;
  record->service_id = BACKUPS_NO_VALUE;
  return record;
}

void
backups_schedule_record_free (BackupsScheduleRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->site_url);
  g_free (record->service_name);
  g_free (record->raw_json);
  g_free (record);
}

BackupsIntegrationRecord *
backups_integration_record_new (void)
{
  return g_new0 (BackupsIntegrationRecord, 1);
}

void
backups_integration_record_free (BackupsIntegrationRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->service);
  g_free (record->name);
  g_free (record->region);
  g_free (record->raw_json);
  g_free (record);
}

GPtrArray *
backups_server_record_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_server_record_free);
}

GPtrArray *
backups_site_record_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_site_record_free);
}

GPtrArray *
backups_schedule_record_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_schedule_record_free);
}

GPtrArray *
backups_integration_record_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_integration_record_free);
}

BackupsSnapshot *
backups_snapshot_new (void)
{
  return g_new0 (BackupsSnapshot, 1);
}

void
backups_snapshot_free (BackupsSnapshot *snapshot)
{
  if (snapshot == NULL)
    return;
  g_clear_pointer (&snapshot->servers, g_ptr_array_unref);
  g_clear_pointer (&snapshot->sites, g_ptr_array_unref);
  g_clear_pointer (&snapshot->schedules, g_ptr_array_unref);
  g_clear_pointer (&snapshot->integrations, g_ptr_array_unref);
  g_free (snapshot);
}

static const char *const schedule_types[] = { "local", "remote" };
static const char *const frequencies[] = { "hourly", "daily", "weekly", "monthly" };

const char *
backups_schedule_type_to_string (BackupsScheduleType type)
{
  g_return_val_if_fail (type <= BACKUPS_SCHEDULE_TYPE_REMOTE, NULL);
  return schedule_types[type];
}

gboolean
backups_schedule_type_from_string (const char *str, BackupsScheduleType *type)
{
  for (guint i = 0; i < G_N_ELEMENTS (schedule_types); i++)
    {
      if (g_strcmp0 (str, schedule_types[i]) == 0)
        {
          *type = (BackupsScheduleType)i;
          return TRUE;
        }
    }
  return FALSE;
}

const char *
backups_frequency_to_string (BackupsFrequency frequency)
{
  g_return_val_if_fail (frequency <= BACKUPS_FREQUENCY_MONTHLY, NULL);
  return frequencies[frequency];
}

gboolean
backups_frequency_from_string (const char *str, BackupsFrequency *frequency)
{
  for (guint i = 0; i < G_N_ELEMENTS (frequencies); i++)
    {
      if (g_strcmp0 (str, frequencies[i]) == 0)
        {
          *frequency = (BackupsFrequency)i;
          return TRUE;
        }
    }
  return FALSE;
}

gboolean
backups_is_credential_key (const char *key)
{
  static const char *const needles[] = { "token", "secret", "password", "key" };
  g_autofree char         *lower = NULL;

  if (key == NULL)
    return FALSE;

  lower = g_ascii_strdown (key, -1);
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    {
      if (strstr (lower, needles[i]) != NULL)
        return TRUE;
    }
  return FALSE;
}

static void
strip_node (JsonNode *node)
{
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      JsonObject *object = json_node_get_object (node);
      GList      *members = json_object_get_members (object);

      for (GList *l = members; l != NULL; l = l->next)
        {
          const char *key = l->data;

          if (backups_is_credential_key (key))
            json_object_remove_member (object, key);
          else
            strip_node (json_object_get_member (object, key));
        }
      g_list_free (members);
    }
  else if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        strip_node (json_array_get_element (array, i));
    }
}

char *
backups_json_strip_credentials (const char *json)
{
  g_autoptr (JsonParser) parser = json_parser_new_immutable ();
  g_autoptr (JsonNode) root = NULL;

  if (json == NULL || !json_parser_load_from_data (parser, json, -1, NULL))
    return g_strdup ("{}");

  root = json_node_copy (json_parser_get_root (parser));
  if (root == NULL)
    return g_strdup ("{}");
  strip_node (root);
  return json_to_string (root, FALSE);
}
