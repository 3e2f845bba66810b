/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-schema.c
 *
 * The schema, its migrations, and the check that a cache has exactly
 * this version's schema.
 */
#include "config.h"

#include "backups-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-error.h"

const char backups_store_schema_v1[]
  = "CREATE TABLE orgs ("
    "  id INTEGER PRIMARY KEY,"
    "  name TEXT NOT NULL UNIQUE,"
    "  created_at INTEGER NOT NULL);"
    "CREATE TABLE accounts ("
    "  id INTEGER PRIMARY KEY,"
    "  org_id INTEGER NOT NULL REFERENCES orgs (id) ON DELETE CASCADE,"
    "  provider TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  base_url TEXT NOT NULL,"
    "  secret_id TEXT NOT NULL,"
    "  created_at INTEGER NOT NULL,"
    "  last_sync_started_at INTEGER,"
    "  last_sync_finished_at INTEGER,"
    "  last_sync_status TEXT NOT NULL DEFAULT 'never'"
    "    CHECK (last_sync_status IN ('never', 'syncing', 'ok', 'error')),"
    "  last_sync_error TEXT,"
    "  UNIQUE (org_id, name));"
    "CREATE TABLE servers ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  label TEXT,"
    "  ip TEXT,"
    "  timezone TEXT,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "CREATE TABLE sites ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  url TEXT NOT NULL,"
    "  server_remote_id INTEGER,"
    "  local_bup INTEGER NOT NULL,"
    "  remote_bup INTEGER NOT NULL,"
    "  local_retain_days INTEGER,"
    "  local_prune_schedule INTEGER,"
    "  remote_retain_days INTEGER,"
    "  remote_prune_schedule INTEGER,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "CREATE TABLE backup_schedules ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  site_remote_id INTEGER NOT NULL,"
    "  server_remote_id INTEGER,"
    "  site_url TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('local', 'remote')),"
    "  frequency TEXT NOT NULL CHECK (frequency IN ('hourly', 'daily', 'weekly', 'monthly')),"
    "  hour INTEGER NOT NULL CHECK (hour BETWEEN 0 AND 23),"
    "  minute INTEGER NOT NULL CHECK (minute BETWEEN 0 AND 59),"
    "  day INTEGER CHECK (day IS NULL OR day BETWEEN 0 AND 31),"
    "  service_id INTEGER,"
    "  service_name TEXT,"
    "  raw_json TEXT NOT NULL,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "CREATE TABLE backup_integrations ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  service TEXT NOT NULL,"
    "  name TEXT NOT NULL,"
    "  region TEXT,"
    "  raw_json TEXT NOT NULL,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "CREATE TABLE sync_runs ("
    "  id INTEGER PRIMARY KEY,"
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  started_at INTEGER,"
    "  finished_at INTEGER,"
    "  status TEXT NOT NULL,"
    "  error TEXT,"
    "  inserted INTEGER NOT NULL DEFAULT 0,"
    "  updated INTEGER NOT NULL DEFAULT 0,"
    "  deleted INTEGER NOT NULL DEFAULT 0);";

/* Version 2: the time of the last successful sync survives a failed one,
 * sync_runs counts unchanged rows, and "used by" has an index. */
static const char schema_v2_upgrade[]
  = "ALTER TABLE accounts ADD COLUMN last_success_at INTEGER;"
    "UPDATE accounts SET last_success_at = last_sync_finished_at WHERE last_sync_status = 'ok';"
    "ALTER TABLE sync_runs ADD COLUMN unchanged INTEGER NOT NULL DEFAULT 0;"
    "CREATE INDEX backup_schedules_by_service ON backup_schedules (account_id, service_id);"
    "CREATE INDEX accounts_by_org ON accounts (org_id);"
    "CREATE INDEX sync_runs_by_account ON sync_runs (account_id);";

/* Version 3: the schedules in the order the window lists them, so that
 * it can show the first rows of a large cache before reading the rest. */
static const char schema_v3_upgrade[]
  = "CREATE INDEX backup_schedules_by_site"
    "  ON backup_schedules (site_url COLLATE NOCASE, site_url, account_id, remote_id);";

/* Version 4: the truth of real accounts (gridpane-api.md, Corrections).
 * A remote schedule's integration is its service_user_id, kept in its own
 * column and filled here from the schedules' stored JSON, so an old cache
 * shows destinations before its next sync. A value GridPane sent that could
 * not be read is NULL (unknown) with the reason in `problems`: the frequency,
 * time and site flags become nullable. The stored JSON goes: nothing reads
 * it, and a copy of a body is where credentials hide. Sync runs count the
 * rows they could not read. */
static const char schema_v4_upgrade[]
  = "CREATE TABLE backup_schedules_v4 ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  site_remote_id INTEGER NOT NULL,"
    "  server_remote_id INTEGER,"
    "  site_url TEXT NOT NULL,"
    "  type TEXT NOT NULL CHECK (type IN ('local', 'remote')),"
    "  frequency TEXT"
    "    CHECK (frequency IS NULL OR frequency IN ('hourly', 'daily', 'weekly', 'monthly')),"
    "  hour INTEGER CHECK (hour IS NULL OR hour BETWEEN 0 AND 23),"
    "  minute INTEGER CHECK (minute IS NULL OR minute BETWEEN 0 AND 59),"
    "  day INTEGER CHECK (day IS NULL OR day BETWEEN 0 AND 31),"
    "  service_id INTEGER,"
    "  service_name TEXT,"
    "  integration_id INTEGER,"
    "  problems TEXT,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "INSERT INTO backup_schedules_v4"
    "  SELECT account_id, remote_id, site_remote_id, server_remote_id, site_url, type, frequency,"
    "    hour, minute, day, service_id, service_name,"
    "    CASE WHEN type = 'remote' AND json_valid (raw_json)"
    "      THEN CAST (json_extract (raw_json, '$.service_user_id') AS INTEGER) END,"
    "    NULL"
    "  FROM backup_schedules;"
    "DROP TABLE backup_schedules;"
    "ALTER TABLE backup_schedules_v4 RENAME TO backup_schedules;"
    "CREATE INDEX backup_schedules_by_integration"
    "  ON backup_schedules (account_id, integration_id);"
    "CREATE INDEX backup_schedules_by_site"
    "  ON backup_schedules (site_url COLLATE NOCASE, site_url, account_id, remote_id);"
    "CREATE TABLE sites_v4 ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  remote_id INTEGER NOT NULL,"
    "  url TEXT NOT NULL,"
    "  server_remote_id INTEGER,"
    "  local_bup INTEGER,"
    "  remote_bup INTEGER,"
    "  local_retain_days INTEGER,"
    "  local_prune_schedule INTEGER,"
    "  remote_retain_days INTEGER,"
    "  remote_prune_schedule INTEGER,"
    "  problems TEXT,"
    "  PRIMARY KEY (account_id, remote_id)) WITHOUT ROWID;"
    "INSERT INTO sites_v4"
    "  SELECT account_id, remote_id, url, server_remote_id, local_bup, remote_bup,"
    "    local_retain_days, local_prune_schedule, remote_retain_days, remote_prune_schedule, NULL"
    "  FROM sites;"
    "DROP TABLE sites;"
    "ALTER TABLE sites_v4 RENAME TO sites;"
    "ALTER TABLE backup_integrations DROP COLUMN raw_json;"
    "ALTER TABLE sync_runs ADD COLUMN unreadable INTEGER NOT NULL DEFAULT 0;"
    "ALTER TABLE sync_runs ADD COLUMN unreadable_reasons TEXT;";

/* Version 5: the restore points that exist (issue 15), replaced per site
 * by the background crawl, and when each site was last read. They go with
 * their account; a site the sync removes leaves none behind (the crawl's
 * replace deletes them, and reads join the site). */
static const char schema_v5_upgrade[]
  = "CREATE TABLE restore_points ("
    "  account_id INTEGER NOT NULL REFERENCES accounts (id) ON DELETE CASCADE,"
    "  site_remote_id INTEGER NOT NULL,"
    "  source TEXT NOT NULL,"
    "  kind TEXT NOT NULL CHECK (kind IN ('automatic', 'manual')),"
    "  name TEXT NOT NULL,"
    "  taken_at INTEGER NOT NULL,"
    "  tag TEXT);"
    "CREATE INDEX restore_points_by_site"
    "  ON restore_points (account_id, site_remote_id, source, taken_at);"
    "ALTER TABLE sites ADD COLUMN restore_points_checked_at INTEGER;"
    "ALTER TABLE sites ADD COLUMN restore_points_unreadable INTEGER;";

static const struct
{
  int         version;
  const char *sql;
} migrations[] = {
  { 1, backups_store_schema_v1 },
  { 2, schema_v2_upgrade },
  { 3, schema_v3_upgrade },
  { 4, schema_v4_upgrade },
  { 5, schema_v5_upgrade },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BACKUPS_STORE_SCHEMA_VERSION);

gboolean
backups_store_check_not_too_new (sqlite3 *db, const char *path, GError **error)
{
  int version = backups_store_read_user_version (db);

  /* No Backups will ever get this far: a changed byte, not a newer cache. */
  if (version > BACKUPS_STORE_SCHEMA_VERSION + 1000)
    return backups_store_set_damaged_error (error, path);
  if (version > BACKUPS_STORE_SCHEMA_VERSION)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_TOO_NEW,
                   _ ("The cache %s was written by a newer version of Backups (schema %d; this "
                      "version knows up to %d). Update Backups; the cache was left untouched."),
                   path, version, BACKUPS_STORE_SCHEMA_VERSION);
      return FALSE;
    }
  return TRUE;
}

gboolean
backups_store_migrate (sqlite3 *db, const char *path, GError **error)
{
  int version;

  if (!backups_store_exec (db, "BEGIN IMMEDIATE", "start the schema upgrade", error))
    return FALSE;

  /* Again inside the write lock: another process may have upgraded. */
  version = backups_store_read_user_version (db);
  if (version > BACKUPS_STORE_SCHEMA_VERSION)
    {
      backups_store_exec (db, "ROLLBACK", "roll back", NULL);
      return backups_store_check_not_too_new (db, path, error);
    }
  if (version < 0)
    {
      backups_store_exec (db, "ROLLBACK", "roll back", NULL);
      return backups_store_set_db_error (error, db, "read the schema version");
    }

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      if (migrations[i].version <= version)
        continue;

      /* sql-check: allow bump: a PRAGMA takes no bound parameters; the
       * number comes from the migrations table above. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
      if (!backups_store_exec (db, migrations[i].sql, "upgrade the schema", error)
          || !backups_store_exec (db, bump, "upgrade the schema", error))
        {
          /* An upgrade that does not fit the tables ("already exists", "no
           * such column") means the version in the header is not theirs. */
          if ((sqlite3_errcode (db) & 0xff) == SQLITE_ERROR)
            {
              g_clear_error (error);
              backups_store_set_damaged_error (error, path);
            }
          backups_store_exec (db, "ROLLBACK", "roll back", NULL);
          return FALSE;
        }
    }

  return backups_store_exec (db, "COMMIT", "finish the schema upgrade", error);
}

/* The schema as sqlite_schema holds it, without the page numbers. */
static char *
read_schema (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GString) schema = g_string_new (NULL);
  int rc;

  if (sqlite3_prepare_v2 (db,
                          "SELECT type, name, tbl_name, sql FROM sqlite_schema ORDER BY type, name",
                          -1, &stmt, NULL)
      != SQLITE_OK)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    for (int i = 0; i < 4; i++)
      {
        const char *text = (const char *)sqlite3_column_text (stmt, i);

        g_string_append_printf (schema, "%s%c", text != NULL ? text : "", i < 3 ? '|' : '\n');
      }
  return rc == SQLITE_DONE ? g_string_free (g_steal_pointer (&schema), FALSE) : NULL;
}

/* What every cache of this version holds: the migrations run on an empty
 * database, as they ran on every cache. */
static const char *
expected_schema (void)
{
  static char *schema;

  if (g_once_init_enter (&schema))
    {
      sqlite3 *db = NULL;
      char    *text = NULL;

      if (sqlite3_open (":memory:", &db) == SQLITE_OK
          && backups_store_migrate (db, ":memory:", NULL))
        text = read_schema (db);
      sqlite3_close (db);
      g_once_init_leave (&schema, text != NULL ? text : g_strdup (""));
    }
  return schema;
}

/* A schema that is not exactly this version's (a changed byte in a
 * column's name, say) is damage, not a query to fail on later. */
gboolean
backups_store_check_schema (BackupsStore *self, GError **error)
{
  g_autofree char *schema = read_schema (self->db);

  if (schema == NULL)
    return backups_store_set_db_error (error, self->db, "read the schema");
  if (strcmp (schema, expected_schema ()) != 0)
    return backups_store_set_damaged_error (error, self->path);
  return TRUE;
}
