/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-test-util.c */
#include "backups-test-util.h"

#include <sqlite3.h>
#include <string.h>

#include "backups-store-private.h"

static const char *const services[] = { "aws-s3", "backblaze", "wasabi", "dropbox" };
/* GridPane's id of each storage kind (gridpane-api.md: aws-s3 is 5). */
static const gint64 service_kind_ids[] = { 5, 3, 6, 2 };

BackupsSnapshot *
backups_test_make_snapshot (const char *prefix,
                            guint       n_servers,
                            guint       n_sites,
                            guint       n_integrations)
{
  BackupsSnapshot *snapshot = backups_snapshot_new ();

  snapshot->servers = backups_server_record_array_new ();
  snapshot->sites = backups_site_record_array_new ();
  snapshot->schedules = backups_schedule_record_array_new ();
  snapshot->integrations = backups_integration_record_array_new ();

  for (guint i = 0; i < n_servers; i++)
    {
      BackupsServerRecord *server = backups_server_record_new ();

      server->remote_id = 41000 + i;
      server->label = g_strdup_printf ("%s-server-%u", prefix, i);
      server->ip = g_strdup_printf ("10.0.%u.%u", i / 250, i % 250 + 1);
      server->timezone = g_strdup (i % 2 ? "America/New_York" : "UTC");
      g_ptr_array_add (snapshot->servers, server);
    }

  for (guint i = 0; i < n_integrations; i++)
    {
      BackupsIntegrationRecord *integration = backups_integration_record_new ();

      integration->remote_id = 2700 + i;
      integration->service = g_strdup (services[i % G_N_ELEMENTS (services)]);
      integration->name = g_strdup_printf ("%s storage %u", prefix, i);
      integration->region = i % 2 ? g_strdup ("us-east-2") : NULL;
      g_ptr_array_add (snapshot->integrations, integration);
    }

  for (guint i = 0; i < n_sites; i++)
    {
      BackupsSiteRecord     *site = backups_site_record_new ();
      BackupsScheduleRecord *local = backups_schedule_record_new ();
      BackupsScheduleRecord *remote = backups_schedule_record_new ();

      site->remote_id = 869000 + i;
      site->url = g_strdup_printf ("site%u.%s.example.com", i, prefix);
      site->server_remote_id = n_servers ? 41000 + i % n_servers : BACKUPS_NO_VALUE;
      site->local_bup = BACKUPS_FLAG_YES;
      site->remote_bup = i % 5 != 0 ? BACKUPS_FLAG_YES : BACKUPS_FLAG_NO;
      site->local_retain_days = 30;
      site->local_prune_schedule = 1;
      site->remote_retain_days = 90;
      site->remote_prune_schedule = 2;
      g_ptr_array_add (snapshot->sites, site);

      local->remote_id = 156000 + 2 * i;
      local->site_remote_id = site->remote_id;
      local->server_remote_id = site->server_remote_id;
      local->site_url = g_strdup (site->url);
      local->type = BACKUPS_SCHEDULE_TYPE_LOCAL;
      local->frequency = BACKUPS_FREQUENCY_WEEKLY;
      local->hour = 5;
      local->minute = 0;
      local->day = (int)(i % 7);
      g_ptr_array_add (snapshot->schedules, local);

      remote->remote_id = 156000 + 2 * i + 1;
      remote->site_remote_id = site->remote_id;
      remote->server_remote_id = site->server_remote_id;
      remote->site_url = g_strdup (site->url);
      remote->type = BACKUPS_SCHEDULE_TYPE_REMOTE;
      remote->frequency = BACKUPS_FREQUENCY_DAILY;
      remote->hour = 2;
      remote->minute = 30;
      if (n_integrations > 0)
        {
          /* service_id is the storage kind; service_user_id (integration_id)
           * the integration (gridpane-api.md, Corrections). */
          remote->integration_id = 2700 + i % n_integrations;
          remote->service_id = service_kind_ids[(i % n_integrations) % G_N_ELEMENTS (services)];
          remote->service_name
            = g_strdup (services[(i % n_integrations) % G_N_ELEMENTS (services)]);
        }
      g_ptr_array_add (snapshot->schedules, remote);
    }

  return snapshot;
}

static void
dump_query (sqlite3 *db, const char *sql, gint64 account_id, GString *out)
{
  sqlite3_stmt *stmt = NULL;
  GPtrArray    *lines = g_ptr_array_new_with_free_func (g_free);

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (account_id >= 0)
    sqlite3_bind_int64 (stmt, 1, account_id);

  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      GString *line = g_string_new (NULL);

      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *)sqlite3_column_text (stmt, i);

          g_string_append_printf (line, "%s%s", i ? "|" : "", text ? text : "<null>");
        }
      g_ptr_array_add (lines, g_string_free (line, FALSE));
    }
  sqlite3_finalize (stmt);

  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *)g_ptr_array_index (lines, i));
  g_ptr_array_unref (lines);
}

char *
backups_test_dump_account (BackupsStore *store, gint64 account_id)
{
  static const char *const tables[]
    = { "servers", "sites", "backup_schedules", "backup_integrations" };
  GString *out = g_string_new (NULL);
  sqlite3 *db = backups_store_acquire_connection (store, NULL);

  g_assert_nonnull (db);
  for (guint i = 0; i < G_N_ELEMENTS (tables); i++)
    {
      g_autofree char *sql
        = g_strdup_printf ("SELECT * FROM %s WHERE account_id = ? ORDER BY remote_id", tables[i]);

      g_string_append_printf (out, "[%s]\n", tables[i]);
      dump_query (db, sql, account_id, out);
    }
  backups_store_release_connection (store, db);
  return g_string_free (out, FALSE);
}

char *
backups_test_dump_store (BackupsStore *store)
{
  static const char *const queries[] = {
    "SELECT * FROM orgs ORDER BY id",
    "SELECT id, org_id, provider, name, base_url, secret_id FROM accounts ORDER BY id",
    "SELECT * FROM servers ORDER BY account_id, remote_id",
    "SELECT * FROM sites ORDER BY account_id, remote_id",
    "SELECT * FROM backup_schedules ORDER BY account_id, remote_id",
    "SELECT * FROM backup_integrations ORDER BY account_id, remote_id",
  };
  GString *out = g_string_new (NULL);
  sqlite3 *db = backups_store_acquire_connection (store, NULL);

  g_assert_nonnull (db);
  for (guint i = 0; i < G_N_ELEMENTS (queries); i++)
    {
      g_string_append_printf (out, "[%s]\n", queries[i]);
      dump_query (db, queries[i], -1, out);
    }
  backups_store_release_connection (store, db);
  return g_string_free (out, FALSE);
}

static gboolean
flag_is_set (gpointer data)
{
  return *(gboolean *)data;
}

static gboolean
wait_timeout_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

guint
backups_test_scale_timeout (guint timeout_ms)
{
  const char *value = g_getenv ("BACKUPS_TEST_TIMEOUT_SCALE");
  guint64     scale = value != NULL ? g_ascii_strtoull (value, NULL, 10) : 1;

  return (guint)MIN ((guint64)timeout_ms * CLAMP (scale, 1, 100), G_MAXUINT);
}

gboolean
backups_test_wait_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms)
{
  gboolean timed_out = FALSE;
  guint id = g_timeout_add (backups_test_scale_timeout (timeout_ms), wait_timeout_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);

  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

gboolean
backups_test_wait_for (gboolean *flag, guint timeout_ms)
{
  return backups_test_wait_until (flag_is_set, flag, timeout_ms);
}

GBytes *
backups_test_read_file (const char *path)
{
  char *contents = NULL;
  gsize len = 0;

  if (!g_file_get_contents (path, &contents, &len, NULL))
    return NULL;
  return g_bytes_new_take (contents, len);
}

gboolean
backups_test_file_contains (const char *path, const char *needle)
{
  g_autoptr (GBytes) bytes = backups_test_read_file (path);
  gsize         len = 0;
  const guint8 *data;
  gsize         needle_len = strlen (needle);

  if (bytes == NULL)
    return FALSE;
  data = g_bytes_get_data (bytes, &len);
  if (len < needle_len)
    return FALSE;
  for (gsize i = 0; i + needle_len <= len; i++)
    {
      if (memcmp (data + i, needle, needle_len) == 0)
        return TRUE;
    }
  return FALSE;
}

static gboolean
pointer_is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

void
backups_test_assert_finalize (gpointer object)
{
  gpointer weak = object;

  g_assert_true (G_IS_OBJECT (object));
  g_object_add_weak_pointer (G_OBJECT (object), &weak);
  g_object_unref (object);
  if (!backups_test_wait_until (pointer_is_null, &weak, 5000))
    g_error ("%s was not finalized: something still holds a reference", G_OBJECT_TYPE_NAME (weak));
}
