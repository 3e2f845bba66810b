/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-records.c */
#include "backups-records.h"

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
  record->local_bup = BACKUPS_FLAG_UNKNOWN;
  record->remote_bup = BACKUPS_FLAG_UNKNOWN;
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
  g_free (record->server_label);
  g_free (record->server_ip);
  g_free (record->server_timezone);
  g_free (record->problems);
  g_free (record);
}

BackupsScheduleRecord *
backups_schedule_record_new (void)
{
  BackupsScheduleRecord *record = g_new0 (BackupsScheduleRecord, 1);

  record->server_remote_id = BACKUPS_NO_VALUE;
  record->frequency = BACKUPS_FREQUENCY_UNKNOWN;
  record->hour = BACKUPS_NO_VALUE;
  record->minute = BACKUPS_NO_VALUE;
  record->day = BACKUPS_NO_VALUE;
  record->service_id = BACKUPS_NO_VALUE;
  record->integration_id = BACKUPS_NO_VALUE;
  return record;
}

void
backups_schedule_record_free (BackupsScheduleRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->site_url);
  g_free (record->service_name);
  g_free (record->problems);
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

BackupsRestorePointRecord *
backups_restore_point_record_new (void)
{
  return g_new0 (BackupsRestorePointRecord, 1);
}

void
backups_restore_point_record_free (BackupsRestorePointRecord *record)
{
  if (record == NULL)
    return;
  g_free (record->source);
  g_free (record->name);
  g_free (record->tag);
  g_free (record);
}

GPtrArray *
backups_restore_point_record_array_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_restore_point_record_free);
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
  g_return_val_if_fail (frequency <= BACKUPS_FREQUENCY_UNKNOWN, NULL);
  if (frequency == BACKUPS_FREQUENCY_UNKNOWN)
    return NULL;
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
  *frequency = BACKUPS_FREQUENCY_UNKNOWN;
  return FALSE;
}

gint64
backups_flag_to_int (BackupsFlag flag)
{
  return flag == BACKUPS_FLAG_UNKNOWN ? BACKUPS_NO_VALUE : (gint64)flag;
}

BackupsFlag
backups_flag_from_int (gint64 value)
{
  if (value == BACKUPS_NO_VALUE)
    return BACKUPS_FLAG_UNKNOWN;
  return value != 0 ? BACKUPS_FLAG_YES : BACKUPS_FLAG_NO;
}

void
backups_snapshot_link_servers (BackupsSnapshot *snapshot)
{
  g_autoptr (GHashTable) servers = NULL; /* remote id → BackupsServerRecord */

  g_return_if_fail (snapshot != NULL);

  if (snapshot->servers == NULL || snapshot->sites == NULL)
    return;

  servers = g_hash_table_new (g_int64_hash, g_int64_equal);
  for (guint i = 0; i < snapshot->servers->len; i++)
    {
      BackupsServerRecord *server = g_ptr_array_index (snapshot->servers, i);

      g_hash_table_insert (servers, &server->remote_id, server);
    }

  for (guint i = 0; i < snapshot->sites->len; i++)
    {
      BackupsSiteRecord   *site = g_ptr_array_index (snapshot->sites, i);
      BackupsServerRecord *server;
      gint64               id = site->server_remote_id;

      if (id == BACKUPS_NO_VALUE)
        continue;
      server = g_hash_table_lookup (servers, &id);
      if (server == NULL)
        {
          /* A server the /server list did not name: the site tells what
           * it knows of it. */
          server = backups_server_record_new ();
          server->remote_id = id;
          g_ptr_array_add (snapshot->servers, server);
          g_hash_table_insert (servers, &server->remote_id, server);
        }
      if (server->timezone == NULL && site->server_timezone != NULL)
        server->timezone = g_strdup (site->server_timezone);
      if (server->label == NULL && site->server_label != NULL)
        server->label = g_strdup (site->server_label);
      if (server->ip == NULL && site->server_ip != NULL)
        server->ip = g_strdup (site->server_ip);
    }

  for (guint i = 0; i < snapshot->servers->len; i++)
    {
      BackupsServerRecord *server = g_ptr_array_index (snapshot->servers, i);

      if (server->label == NULL)
        server->label = g_strdup ("");
    }
}

static void
add_problems (const char *problems, guint *count, GString *reasons, guint max_reasons)
{
  if (problems == NULL)
    return;
  if (*count < max_reasons && reasons != NULL)
    {
      if (reasons->len > 0)
        g_string_append_c (reasons, '\n');
      g_string_append (reasons, problems);
    }
  (*count)++;
}

guint
backups_snapshot_count_problems (BackupsSnapshot *snapshot, guint max_reasons, char **reasons)
{
  g_autoptr (GString) text = g_string_new (NULL);
  guint count = 0;

  g_return_val_if_fail (snapshot != NULL, 0);

  if (snapshot->sites != NULL)
    for (guint i = 0; i < snapshot->sites->len; i++)
      add_problems (((BackupsSiteRecord *)g_ptr_array_index (snapshot->sites, i))->problems, &count,
                    text, max_reasons);
  if (snapshot->schedules != NULL)
    for (guint i = 0; i < snapshot->schedules->len; i++)
      add_problems (((BackupsScheduleRecord *)g_ptr_array_index (snapshot->schedules, i))->problems,
                    &count, text, max_reasons);

  if (reasons != NULL)
    *reasons = text->len > 0 ? g_strdup (text->str) : NULL;
  return count;
}

int
backups_site_url_compare (const char *a, const char *b)
{
  int result;

  if (a == b)
    return 0;
  result = g_ascii_strcasecmp (a, b);
  return result != 0 ? result : strcmp (a, b);
}
