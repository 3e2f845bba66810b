/* backups-store.c
 *
 * One SQLite database in WAL mode shared by the app and the CLI. The object
 * keeps one connection for its own thread and a small pool of connections
 * for workers, so a snapshot can be applied or a query run off the main
 * thread while the window keeps reading.
 */
#include "config.h"

#include "backups-store-private.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <string.h>
#include <unistd.h>

#include "backups-error.h"
#include "backups-sync-service.h"

#define POLL_INTERVAL_MS 1000
#define BUSY_TIMEOUT_MS 10000
#define MAX_POOLED 4

struct _BackupsStore
{
  GObject parent_instance;

  char         *path;
  sqlite3      *db;      /* the owning thread's connection */
  GMainContext *context; /* where ::changed is emitted */
  GThread      *owner;   /* the thread that may use `db` */
  guint         poll_id;
  gint64        data_version; /* of `db`, as last seen */

  GMutex     pool_lock;
  GPtrArray *pool; /* idle worker connections */

  gint changed_pending; /* atomic */
  gint damaged;         /* atomic: SQLite found the file corrupt */
  gint damaged_pending; /* atomic: "damaged" not yet notified */

  /* Connections handed to workers and the rebuild that made them: one of
   * an earlier file is closed when it comes back, never pooled. */
  guint       generation;
  GHashTable *lent; /* sqlite3 * → generation */

  /* Which schedule rows changed, for live models that re-read only those.
   * Every change bumps `serial`. A change whose rows are not known
   * (anything but a snapshot's schedule rows or an account's sync status,
   * or another process's commit) sets `full_serial`, and the log starts
   * over. */
  GMutex  log_lock;
  guint64 serial;
  guint64 full_serial;
  GArray *log; /* ChangeEntry */
};

typedef struct
{
  guint64 serial;
  gint64  account_id;
  gint64  remote_id;
} ChangeEntry;

/* Past this many logged rows, changes count as unknown: a model then
 * re-reads everything, which is cheaper than that many lookups. */
#define MAX_LOGGED_CHANGES 8192

G_DEFINE_FINAL_TYPE (BackupsStore, backups_store, G_TYPE_OBJECT)

enum
{
  CHANGED,
  N_SIGNALS
};

static guint signals[N_SIGNALS];

enum
{
  PROP_0,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Which store each open connection belongs to, so that an error from any
 * statement anywhere can mark its store damaged. */
static GMutex      owners_lock;
static GHashTable *owners; /* sqlite3 * → BackupsStore * (not a reference) */

static void mark_damaged (BackupsStore *self);

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

static const struct
{
  int         version;
  const char *sql;
} migrations[] = {
  { 1, backups_store_schema_v1 },
  { 2, schema_v2_upgrade },
  { 3, schema_v3_upgrade },
  { 4, schema_v4_upgrade },
};

G_STATIC_ASSERT (G_N_ELEMENTS (migrations) == BACKUPS_STORE_SCHEMA_VERSION);

static BackupsStore *
owner_of (sqlite3 *db)
{
  BackupsStore *store = NULL;

  g_mutex_lock (&owners_lock);
  if (owners != NULL)
    store = g_hash_table_lookup (owners, db);
  if (store != NULL)
    g_object_ref (store);
  g_mutex_unlock (&owners_lock);
  return store;
}

/* A sentence for what went wrong with the cache file at `path`, naming it
 * and what to do; FALSE when the code is not one of those. */
static gboolean
set_file_error (GError **error, int code, int sys_errno, const char *path, const char *what)
{
  int primary = code & 0xff;

  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                 _ ("The cache at %s is damaged. Rebuild it from GridPane."), path);
  else if (primary == SQLITE_FULL || sys_errno == ENOSPC || sys_errno == EDQUOT)
    g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_FULL,
                 _ ("No space left on the disk that holds %s. Free some space and try again."),
                 path);
  else if (primary == SQLITE_READONLY || sys_errno == EROFS || sys_errno == EACCES
           || sys_errno == EPERM)
    g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_READ_ONLY,
                 _ ("Backups may not write to %s or its folder. Make them writable for your "
                    "user and try again."),
                 path);
  else if (primary == SQLITE_BUSY || primary == SQLITE_LOCKED)
    g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_LOCKED,
                 _ ("Another program has held the cache at %s locked for over %d seconds (to %s). "
                    "Close the program that uses it and try again."),
                 path, BUSY_TIMEOUT_MS / 1000, what);
  else
    return FALSE;
  return TRUE;
}

static gboolean
set_db_error (GError **error, sqlite3 *db, const char *what)
{
  int code = sqlite3_extended_errcode (db);
  int primary = code & 0xff;
  g_autoptr (BackupsStore) store = owner_of (db);
  const char *path = sqlite3_db_filename (db, "main");

  /* Damage found by any statement makes the whole store damaged: no
   * reader may go on showing what is left as if it were data. */
  if ((primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) && store != NULL)
    mark_damaged (store);

  if (set_file_error (error, code, sqlite3_system_errno (db),
                      store != NULL ? store->path : (path != NULL ? path : ""), what))
    return FALSE;

  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE, _ ("Could not %s in the cache: %s"),
               what, sqlite3_errmsg (db));
  return FALSE;
}

static gboolean
exec_sql (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return set_db_error (error, db, what);
  return TRUE;
}

static sqlite3_stmt *
prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      set_db_error (error, db, "prepare a statement");
      return NULL;
    }
  return stmt;
}

static void
finalize_stmt (sqlite3_stmt *stmt)
{
  sqlite3_finalize (stmt);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, finalize_stmt)

static void
bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

static gint64
column_int_or_none (sqlite3_stmt *stmt, int column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return BACKUPS_NO_VALUE;
  return sqlite3_column_int64 (stmt, column);
}

static char *
column_strdup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* The column's text as an interned GRefString, or NULL. */
static char *
column_intern (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL ? g_ref_string_new_intern (text) : NULL;
}

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

static gint64
now_unix (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

static int
read_user_version (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA user_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int (stmt, 0);
}

static gint64
read_data_version (sqlite3 *db)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

static void
close_connection (sqlite3 *db)
{
  if (db == NULL)
    return;
  g_mutex_lock (&owners_lock);
  if (owners != NULL)
    g_hash_table_remove (owners, db);
  g_mutex_unlock (&owners_lock);
  sqlite3_close (db);
}

/* A connection to the store's file, known as the store's. */
static sqlite3 *
open_connection (BackupsStore *self, GError **error)
{
  sqlite3 *db = NULL;
  int      rc;

  rc = sqlite3_open_v2 (self->path, &db,
                        SQLITE_OPEN_READWRITE | SQLITE_OPEN_CREATE | SQLITE_OPEN_NOMUTEX, NULL);
  if (rc != SQLITE_OK)
    {
      int sys_errno = db != NULL ? sqlite3_system_errno (db) : ENOMEM;

      if (!set_file_error (error, db != NULL ? sqlite3_extended_errcode (db) : rc, sys_errno,
                           self->path, "open it"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not open the cache %s: %s"), self->path,
                     db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }

  g_mutex_lock (&owners_lock);
  if (owners == NULL)
    owners = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (owners, db, self);
  g_mutex_unlock (&owners_lock);

  sqlite3_busy_timeout (db, BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);

  /* WAL is a property of the file, set once by backups_store_open(). */
  if (!exec_sql (db,
                 "PRAGMA synchronous = NORMAL;"
                 "PRAGMA foreign_keys = ON;",
                 "set up the connection", NULL))
    {
      /* The first statement reads the header and the schema: a plain
       * error there ("unsupported file format") is a damaged file. */
      if ((sqlite3_errcode (db) & 0xff) == SQLITE_ERROR)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                     _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
      else
        set_db_error (error, db, "set up the connection");
      close_connection (db);
      return NULL;
    }

  return db;
}

static gboolean
check_not_too_new (sqlite3 *db, const char *path, GError **error)
{
  int version = read_user_version (db);

  /* No Backups will ever get this far: a changed byte, not a newer cache. */
  if (version > BACKUPS_STORE_SCHEMA_VERSION + 1000)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Rebuild it from GridPane."), path);
      return FALSE;
    }
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

static gboolean
migrate (sqlite3 *db, const char *path, GError **error)
{
  int version;

  if (!exec_sql (db, "BEGIN IMMEDIATE", "start the schema upgrade", error))
    return FALSE;

  /* Again inside the write lock: another process may have upgraded. */
  version = read_user_version (db);
  if (version > BACKUPS_STORE_SCHEMA_VERSION)
    {
      exec_sql (db, "ROLLBACK", "roll back", NULL);
      return check_not_too_new (db, path, error);
    }
  if (version < 0)
    {
      exec_sql (db, "ROLLBACK", "roll back", NULL);
      return set_db_error (error, db, "read the schema version");
    }

  for (guint i = 0; i < G_N_ELEMENTS (migrations); i++)
    {
      g_autofree char *bump = NULL;

      if (migrations[i].version <= version)
        continue;

      /* sql-check: allow bump: a PRAGMA takes no bound parameters; the
       * number comes from the migrations table above. */
      bump = g_strdup_printf ("PRAGMA user_version = %d", migrations[i].version);
      if (!exec_sql (db, migrations[i].sql, "upgrade the schema", error)
          || !exec_sql (db, bump, "upgrade the schema", error))
        {
          /* An upgrade that does not fit the tables ("already exists", "no
           * such column") means the version in the header is not theirs. */
          if ((sqlite3_errcode (db) & 0xff) == SQLITE_ERROR)
            {
              g_clear_error (error);
              g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                           _ ("The cache at %s is damaged. Rebuild it from GridPane."), path);
            }
          exec_sql (db, "ROLLBACK", "roll back", NULL);
          return FALSE;
        }
    }

  return exec_sql (db, "COMMIT", "finish the schema upgrade", error);
}

/* The data folder is private (0700) and so is the database (0600), even
 * with a permissive umask: the cache tells which sites an agency hosts. */
static gboolean
prepare_files (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat      st;
  int              fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      if (!set_file_error (error, SQLITE_CANTOPEN, saved, path, "create its folder"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not create the data folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Only ever takes rights away: a folder its owner made read-only stays
   * read-only (and then says so), one readable by others becomes private. */
  if (g_stat (dir, &st) == 0 && (st.st_mode & 077) != 0 && g_chmod (dir, st.st_mode & 0700) != 0)
    {
      int saved = errno;

      if (!set_file_error (error, SQLITE_CANTOPEN, saved, path, "protect its folder"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not protect the data folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (!set_file_error (error, SQLITE_CANTOPEN, saved, path, "open it"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not open the cache %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  if (fstat (fd, &st) == 0 && (st.st_mode & 077) != 0 && fchmod (fd, st.st_mode & 0600) != 0)
    {
      int saved = errno;

      close (fd);
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                   _ ("Could not protect the cache %s: %s"), path, g_strerror (saved));
      return FALSE;
    }
  close (fd);
  return TRUE;
}

static void
protect_sidecar_files (const char *path)
{
  static const char *const suffixes[] = { "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *sidecar = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (sidecar, G_FILE_TEST_EXISTS))
        g_chmod (sidecar, 0600);
    }
}

/* Change notification ---------------------------------------------------- */

static gboolean
emit_changed_idle (gpointer user_data)
{
  BackupsStore *self = user_data;

  g_atomic_int_set (&self->changed_pending, 0);
  /* data_version is left for the poll: it changes with our own commits
   * too, so reading it here could take another process's commit that came
   * meanwhile for ours, and a model would then read only our rows. The
   * poll then reports our commit once more, as unknown, and the models
   * read everything again (in their workers; the rows did not change). */
  g_signal_emit (self, signals[CHANGED], 0);
  return G_SOURCE_REMOVE;
}

static void
record_unknown_change (BackupsStore *self)
{
  g_mutex_lock (&self->log_lock);
  self->full_serial = ++self->serial;
  g_array_set_size (self->log, 0);
  g_mutex_unlock (&self->log_lock);
}

/* `remote_ids` NULL or empty: a change that wrote no schedule, server,
 * site or integration row (an account's sync status). */
static void
record_schedule_changes (BackupsStore *self, gint64 account_id, GArray *remote_ids)
{
  guint n = remote_ids != NULL ? remote_ids->len : 0;

  g_mutex_lock (&self->log_lock);
  self->serial++;
  if (self->log->len + n > MAX_LOGGED_CHANGES)
    {
      self->full_serial = self->serial;
      g_array_set_size (self->log, 0);
    }
  else
    {
      for (guint i = 0; i < n; i++)
        {
          ChangeEntry entry = { self->serial, account_id, g_array_index (remote_ids, gint64, i) };

          g_array_append_val (self->log, entry);
        }
    }
  g_mutex_unlock (&self->log_lock);
}

guint64
backups_store_get_change_serial (BackupsStore *self)
{
  guint64 serial;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), 0);

  g_mutex_lock (&self->log_lock);
  serial = self->serial;
  g_mutex_unlock (&self->log_lock);
  return serial;
}

gboolean
backups_store_get_schedule_changes (BackupsStore *self,
                                    guint64       since,
                                    guint64      *serial,
                                    GArray       *keys)
{
  gboolean known;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (serial != NULL, FALSE);
  g_return_val_if_fail (keys != NULL, FALSE);

  g_mutex_lock (&self->log_lock);
  *serial = self->serial;
  known = since >= self->full_serial;
  for (guint i = 0; known && i < self->log->len; i++)
    {
      const ChangeEntry *entry = &g_array_index (self->log, ChangeEntry, i);

      if (entry->serial > since)
        {
          g_array_append_val (keys, entry->account_id);
          g_array_append_val (keys, entry->remote_id);
        }
    }
  g_mutex_unlock (&self->log_lock);
  return known;
}

/* Runs `func` with the store once on the store's context. Any thread. */
static void
attach_idle (BackupsStore *self, GSourceFunc func, const char *name)
{
  GSource *source = g_idle_source_new ();

  g_source_set_priority (source, G_PRIORITY_DEFAULT);
  g_source_set_callback (source, func, g_object_ref (self), g_object_unref);
  g_source_set_static_name (source, name);
  g_source_attach (source, self->context);
  g_source_unref (source);
}

/* Emits ::changed once on the store's context, however many commits
 * happened meanwhile. Any thread; the change is already recorded. */
static void
queue_changed_recorded (BackupsStore *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->changed_pending, 0, 1))
    return;

  /* Always through an idle, never synchronously: callers are in the middle
   * of their own work, and the signal belongs to the store's thread. */
  attach_idle (self, emit_changed_idle, "[backups] store changed");
}

/* Called after every commit whose rows are not recorded one by one. */
static void
queue_changed (BackupsStore *self)
{
  record_unknown_change (self);
  queue_changed_recorded (self);
}

void
backups_store_check_external_changes (BackupsStore *self)
{
  gint64 version;

  g_return_if_fail (BACKUPS_IS_STORE (self));

  /* A file damaged from the start may have no connection. */
  if (self->db == NULL)
    return;
  version = read_data_version (self->db);
  if (version != self->data_version)
    {
      self->data_version = version;
      record_unknown_change (self);
      g_signal_emit (self, signals[CHANGED], 0);
    }
}

static gboolean
poll_data_version (gpointer user_data)
{
  backups_store_check_external_changes (BACKUPS_STORE (user_data));
  return G_SOURCE_CONTINUE;
}

/* Damage -------------------------------------------------------------------- */

static gboolean
notify_damaged_idle (gpointer user_data)
{
  BackupsStore *self = user_data;

  g_atomic_int_set (&self->damaged_pending, 0);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_DAMAGED]);
  return G_SOURCE_REMOVE;
}

/* Any thread. The models hear it as a change and as "damaged". */
static void
queue_notify_damaged (BackupsStore *self)
{
  if (g_atomic_int_compare_and_exchange (&self->damaged_pending, 0, 1))
    attach_idle (self, notify_damaged_idle, "[backups] store damaged");
}

static void
mark_damaged (BackupsStore *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->damaged, 0, 1))
    return;
  g_debug ("The cache at %s is damaged", self->path);
  queue_notify_damaged (self);
  queue_changed (self);
}

gboolean
backups_store_is_damaged (BackupsStore *self)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), TRUE);

  return g_atomic_int_get (&self->damaged) != 0;
}

gboolean
backups_store_check_integrity (BackupsStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = TRUE;
  sqlite3 *db;
  int      rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  if (backups_store_is_damaged (self))
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
      return FALSE;
    }

  /* A connection of its own, on whichever thread this runs. */
  db = backups_store_acquire_connection (self, error);
  if (db == NULL)
    return FALSE;

  /* quick_check reads every page and checks each b-tree's structure
   * (not that indexes match their tables, which integrity_check would, at
   * ten times the cost): what a bad sector or a stray write leaves. */
  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    ok = set_db_error (error, db, "check the cache");
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          g_debug ("quick_check of %s: %s", self->path, line);
          mark_damaged (self);
          g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                       _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
          ok = FALSE;
        }
    }
  if (ok && rc != SQLITE_DONE)
    ok = set_db_error (error, db, "check the cache");

  g_clear_pointer (&stmt, sqlite3_finalize);
  backups_store_release_connection (self, db);
  return ok;
}

static void
check_integrity_thread (GTask        *task,
                        gpointer      source_object,
                        gpointer      task_data,
                        GCancellable *cancellable)
{
  GError *error = NULL;

  if (backups_store_check_integrity (source_object, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
backups_store_check_integrity_async (BackupsStore       *self,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (BACKUPS_IS_STORE (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_store_check_integrity_async);
  g_task_run_in_thread (task, check_integrity_thread);
}

gboolean
backups_store_check_integrity_finish (BackupsStore *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Object ------------------------------------------------------------------ */

static void
backups_store_finalize (GObject *object)
{
  BackupsStore *self = (BackupsStore *)object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->db, close_connection);
  if (self->pool != NULL)
    {
      for (guint i = 0; i < self->pool->len; i++)
        close_connection (g_ptr_array_index (self->pool, i));
      g_ptr_array_unref (self->pool);
    }
  g_clear_pointer (&self->lent, g_hash_table_unref);
  g_mutex_clear (&self->pool_lock);
  g_mutex_clear (&self->log_lock);
  g_clear_pointer (&self->log, g_array_unref);
  g_clear_pointer (&self->context, g_main_context_unref);
  g_clear_pointer (&self->path, g_free);

  G_OBJECT_CLASS (backups_store_parent_class)->finalize (object);
}

static void
backups_store_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsStore *self = BACKUPS_STORE (object);

  switch (prop_id)
    {
    case PROP_DAMAGED:
      g_value_set_boolean (value, backups_store_is_damaged (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_store_class_init (BackupsStoreClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = backups_store_finalize;
  object_class->get_property = backups_store_get_property;

  /**
   * BackupsStore:damaged:
   *
   * SQLite found the file corrupt (a statement, or the integrity check):
   * every read and write fails with BACKUPS_ERROR_DATABASE_DAMAGED until
   * backups_store_rebuild(). Notified on the store's main context.
   */
  properties[PROP_DAMAGED]
    = g_param_spec_boolean ("damaged", NULL, NULL, FALSE,
                            G_PARAM_READABLE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  /**
   * BackupsStore::changed:
   *
   * Emitted on the store's main context after a commit by this or another
   * process.
   */
  signals[CHANGED] = g_signal_new ("changed", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL,
                                   NULL, NULL, G_TYPE_NONE, 0);
}

static void
backups_store_init (BackupsStore *self)
{
  g_mutex_init (&self->pool_lock);
  g_mutex_init (&self->log_lock);
  self->log = g_array_new (FALSE, FALSE, sizeof (ChangeEntry));
  self->pool = g_ptr_array_new ();
  self->lent = g_hash_table_new (NULL, NULL);
}

char *
backups_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "backups.db", NULL);
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

      if (sqlite3_open (":memory:", &db) == SQLITE_OK && migrate (db, ":memory:", NULL))
        text = read_schema (db);
      sqlite3_close (db);
      g_once_init_leave (&schema, text != NULL ? text : g_strdup (""));
    }
  return schema;
}

/* A schema that is not exactly this version's (a changed byte in a
 * column's name, say) is damage, not a query to fail on later. */
static gboolean
check_schema (BackupsStore *self, GError **error)
{
  g_autofree char *schema = read_schema (self->db);

  if (schema == NULL)
    return set_db_error (error, self->db, "read the schema");
  if (strcmp (schema, expected_schema ()) != 0)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
      return FALSE;
    }
  return TRUE;
}

static gboolean
open_file (BackupsStore *self, GError **error)
{
  if (!prepare_files (self->path, error))
    return FALSE;

  self->db = open_connection (self, error);
  if (self->db == NULL)
    return FALSE;

  /* A database from a newer Backups is left exactly as it is. */
  if (!check_not_too_new (self->db, self->path, error))
    return FALSE;

  /* Only an upgrade takes the write lock: opening a current cache must not
   * wait for another program's write transaction, which readers need not. */
  if (!exec_sql (self->db, "PRAGMA journal_mode = WAL", "switch to write-ahead logging", error)
      || (read_user_version (self->db) != BACKUPS_STORE_SCHEMA_VERSION
          && !migrate (self->db, self->path, error))
      || !check_schema (self, error))
    return FALSE;

  protect_sidecar_files (self->path);
  self->data_version = read_data_version (self->db);
  return TRUE;
}

BackupsStore *
backups_store_open (const char *path, GError **error)
{
  g_autoptr (BackupsStore) self = NULL;
  g_autoptr (GError) local_error = NULL;
  GSource *source;

  self = g_object_new (BACKUPS_TYPE_STORE, NULL);
  self->path = path ? g_strdup (path) : backups_store_default_path ();
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();

  if (!open_file (self, &local_error))
    {
      /* A damaged file still gives a store, in the damaged state, so that
       * the window and the CLI can say so and rebuild it. */
      if (!g_error_matches (local_error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED))
        {
          g_propagate_error (error, g_steal_pointer (&local_error));
          return NULL;
        }
      g_atomic_int_set (&self->damaged, 1);
    }

  source = g_timeout_source_new (POLL_INTERVAL_MS);
  g_source_set_callback (source, poll_data_version, self, NULL);
  g_source_set_static_name (source, "[backups] store poll");
  self->poll_id = g_source_attach (source, self->context);
  g_source_unref (source);

  return g_steal_pointer (&self);
}

const char *
backups_store_get_path (BackupsStore *self)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);
  return self->path;
}

sqlite3 *
backups_store_acquire_connection (BackupsStore *self, GError **error)
{
  sqlite3 *db = NULL;

  g_mutex_lock (&self->pool_lock);
  if (self->pool->len > 0)
    db = g_ptr_array_steal_index_fast (self->pool, self->pool->len - 1);
  g_mutex_unlock (&self->pool_lock);

  if (db == NULL)
    db = open_connection (self, error);
  if (db != NULL)
    {
      g_mutex_lock (&self->pool_lock);
      g_hash_table_insert (self->lent, db, GUINT_TO_POINTER (self->generation));
      g_mutex_unlock (&self->pool_lock);
    }
  return db;
}

void
backups_store_release_connection (BackupsStore *self, sqlite3 *db)
{
  if (db == NULL)
    return;

  g_mutex_lock (&self->pool_lock);
  /* One lent before a rebuild belongs to the old file: it is closed. */
  if (GPOINTER_TO_UINT (g_hash_table_lookup (self->lent, db)) == self->generation
      && self->pool->len < MAX_POOLED)
    {
      g_ptr_array_add (self->pool, db);
      g_hash_table_remove (self->lent, db);
      db = NULL;
    }
  else
    g_hash_table_remove (self->lent, db);
  g_mutex_unlock (&self->pool_lock);

  if (db != NULL)
    close_connection (db);
}

/* A connection for the calling thread: the store's own on its thread, one
 * from the pool elsewhere. */
typedef struct
{
  BackupsStore *store;
  sqlite3      *db;
  gboolean      pooled;
} Conn;

static gboolean
conn_open (Conn *conn, BackupsStore *self, GError **error)
{
  conn->store = self;
  conn->db = NULL;
  conn->pooled = FALSE;
  /* Nothing is read from a damaged cache, nor written to it: what is left
   * of it could only be shown as if it were the truth. */
  if (backups_store_is_damaged (self))
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
      return FALSE;
    }
  conn->pooled = g_thread_self () != self->owner;
  if (!conn->pooled)
    {
      conn->db = self->db;
      return TRUE;
    }
  conn->db = backups_store_acquire_connection (self, error);
  return conn->db != NULL;
}

static void
conn_close (Conn *conn)
{
  if (conn->pooled && conn->db != NULL)
    backups_store_release_connection (conn->store, conn->db);
  conn->db = NULL;
}

/* Name checks -------------------------------------------------------------- */

static gboolean
check_name (const char *name, const char *what, GError **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT, _ ("The %s name is empty."),
                   what);
      return FALSE;
    }
  if (g_utf8_strlen (name, -1) > 200)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("The %s name is longer than 200 characters."), what);
      return FALSE;
    }
  return TRUE;
}

static gboolean
step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return set_db_error (error, db, what);
  return TRUE;
}

/* Organizations and accounts are renamed and removed the same way; what
 * differs is the table and the words. */
typedef struct
{
  const char      *rename_sql;
  const char      *delete_sql;
  const char      *kind; /* for check_name () */
  BackupsErrorCode missing_code;
  const char      *missing_message;
} NamedRows;

static const NamedRows org_rows = {
  "UPDATE orgs SET name = ? WHERE id = ?",
  "DELETE FROM orgs WHERE id = ?",
  N_ ("organization"),
  BACKUPS_ERROR_NO_SUCH_ORG,
  N_ ("The organization no longer exists."),
};

static const NamedRows account_rows = {
  "UPDATE accounts SET name = ? WHERE id = ?",
  "DELETE FROM accounts WHERE id = ?",
  N_ ("account"),
  BACKUPS_ERROR_NO_SUCH_ACCOUNT,
  N_ ("The account no longer exists."),
};

static gboolean
finish_row_change (BackupsStore *self, const NamedRows *rows, GError **error)
{
  if (sqlite3_changes (self->db) == 0)
    {
      g_set_error_literal (error, BACKUPS_ERROR, rows->missing_code, _ (rows->missing_message));
      return FALSE;
    }

  queue_changed (self);
  return TRUE;
}

/* The store's own connection, for the calls that run on its thread; none
 * from a damaged cache (whose connection may not even exist). */
static sqlite3 *
owner_db (BackupsStore *self, GError **error)
{
  if (backups_store_is_damaged (self) || self->db == NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Rebuild it from GridPane."), self->path);
      return NULL;
    }
  return self->db;
}

static gboolean
rename_row (
  BackupsStore *self, const NamedRows *rows, gint64 id, const char *new_name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!check_name (new_name, _ (rows->kind), error))
    return FALSE;

  if (owner_db (self, error) == NULL)
    return FALSE;
  stmt = prepare (self->db, rows->rename_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, new_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_UNIQUE)
        set_db_error (error, self->db, "rename");
      else if (rows == &org_rows)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                     _ ("An organization named ‘%s’ already exists."), new_name);
      else
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                     _ ("The organization already has an account named ‘%s’."), new_name);
      return FALSE;
    }

  return finish_row_change (self, rows, error);
}

static gboolean
delete_row (BackupsStore *self, const NamedRows *rows, gint64 id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (owner_db (self, error) == NULL)
    return FALSE;
  stmt = prepare (self->db, rows->delete_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!step_done (self->db, stmt, "remove", error))
    return FALSE;

  return finish_row_change (self, rows, error);
}

/* Organizations ------------------------------------------------------------ */

BackupsOrg *
backups_store_add_org (BackupsStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (!check_name (name, _ ("organization"), error))
    return NULL;

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt = prepare (self->db, "INSERT INTO orgs (name, created_at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, now_unix ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                     _ ("An organization named ‘%s’ already exists."), name);
      else
        set_db_error (error, self->db, "add the organization");
      return NULL;
    }

  queue_changed (self);
  return backups_org_new (sqlite3_last_insert_rowid (self->db), name);
}

gboolean
backups_store_rename_org (BackupsStore *self, gint64 org_id, const char *new_name, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  return rename_row (self, &org_rows, org_id, new_name, error);
}

gboolean
backups_store_remove_org (BackupsStore *self, gint64 org_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  return delete_row (self, &org_rows, org_id, error);
}

GPtrArray *
backups_store_list_orgs (BackupsStore *self, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  int rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt = prepare (self->db, "SELECT id, name FROM orgs ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;

  orgs = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orgs, backups_org_new (sqlite3_column_int64 (stmt, 0),
                                            (const char *)sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      set_db_error (error, self->db, "list the organizations");
      return NULL;
    }
  return g_steal_pointer (&orgs);
}

BackupsOrg *
backups_store_find_org (BackupsStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt = prepare (self->db, "SELECT id, name FROM orgs WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  bind_text_or_null (stmt, 1, name);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return backups_org_new (sqlite3_column_int64 (stmt, 0),
                              (const char *)sqlite3_column_text (stmt, 1));
    case SQLITE_DONE:
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ORG,
                   _ ("There is no organization named ‘%s’."), name ? name : "");
      return NULL;
    default:
      set_db_error (error, self->db, "find the organization");
      return NULL;
    }
}

/* Accounts ----------------------------------------------------------------- */

#define ACCOUNT_COLUMNS                                                                            \
  "a.id, a.org_id, o.name, a.provider, a.name, a.base_url, a.secret_id, a.created_at, "            \
  "a.last_sync_started_at, a.last_sync_finished_at, a.last_sync_status, a.last_sync_error, "       \
  "r.unreadable, r.unreadable_reasons "                                                            \
  "FROM accounts a JOIN orgs o ON o.id = a.org_id "                                                \
  "  LEFT JOIN sync_runs r ON r.id = (SELECT MAX (id) FROM sync_runs"                              \
  "                                   WHERE account_id = a.id AND status = 'ok') "

static BackupsAccount *
account_from_row (sqlite3_stmt *stmt)
{
  BackupsAccountFields fields = { 0 };

  fields.id = sqlite3_column_int64 (stmt, 0);
  fields.org_id = sqlite3_column_int64 (stmt, 1);
  fields.org_name = (const char *)sqlite3_column_text (stmt, 2);
  fields.provider = (const char *)sqlite3_column_text (stmt, 3);
  fields.name = (const char *)sqlite3_column_text (stmt, 4);
  fields.base_url = (const char *)sqlite3_column_text (stmt, 5);
  fields.secret_id = (const char *)sqlite3_column_text (stmt, 6);
  fields.created_at = sqlite3_column_int64 (stmt, 7);
  fields.last_sync_started_at = sqlite3_column_int64 (stmt, 8);
  fields.last_sync_finished_at = sqlite3_column_int64 (stmt, 9);
  if (!backups_sync_status_from_string ((const char *)sqlite3_column_text (stmt, 10),
                                        &fields.last_sync_status))
    fields.last_sync_status = BACKUPS_SYNC_STATUS_NEVER;
  fields.last_sync_error = (const char *)sqlite3_column_text (stmt, 11);
  fields.last_sync_unreadable = (guint)sqlite3_column_int64 (stmt, 12);
  fields.last_sync_unreadable_reasons = (const char *)sqlite3_column_text (stmt, 13);

  return backups_account_new (&fields);
}

BackupsAccount *
backups_store_add_account (BackupsStore *self,
                           gint64        org_id,
                           const char   *provider,
                           const char   *name,
                           const char   *base_url,
                           const char   *secret_id,
                           GError      **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);
  g_return_val_if_fail (provider != NULL, NULL);
  g_return_val_if_fail (base_url != NULL, NULL);
  g_return_val_if_fail (secret_id != NULL, NULL);

  if (!check_name (name, _ ("account"), error))
    return NULL;

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt = prepare (self->db,
                  "INSERT INTO accounts (org_id, provider, name, base_url, secret_id, created_at) "
                  "VALUES (?, ?, ?, ?, ?, ?)",
                  error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, org_id);
  sqlite3_bind_text (stmt, 2, provider, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 3, name, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 4, base_url, -1, SQLITE_STATIC);
  sqlite3_bind_text (stmt, 5, secret_id, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 6, now_unix ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      int code = sqlite3_extended_errcode (self->db);

      if (code == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                     _ ("The organization already has an account named ‘%s’."), name);
      else if (code == SQLITE_CONSTRAINT_FOREIGNKEY)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ORG,
                     _ ("The organization no longer exists."));
      else
        set_db_error (error, self->db, "add the account");
      return NULL;
    }

  queue_changed (self);
  return backups_store_get_account (self, sqlite3_last_insert_rowid (self->db), error);
}

gboolean
backups_store_rename_account (BackupsStore *self,
                              gint64        account_id,
                              const char   *new_name,
                              GError      **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  return rename_row (self, &account_rows, account_id, new_name, error);
}

gboolean
backups_store_remove_account (BackupsStore *self, gint64 account_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  return delete_row (self, &account_rows, account_id, error);
}

GPtrArray *
backups_store_list_accounts (BackupsStore *self, gint64 org_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  Conn conn;
  int  rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (!conn_open (&conn, self, error))
    return NULL;

  stmt = prepare (
    conn.db, "SELECT " ACCOUNT_COLUMNS "WHERE a.org_id = ? ORDER BY a.name COLLATE NOCASE, a.id",
    error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, org_id);
      accounts = g_ptr_array_new_with_free_func (g_object_unref);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (accounts, account_from_row (stmt));
      if (rc != SQLITE_DONE)
        {
          set_db_error (error, conn.db, "list the accounts");
          g_clear_pointer (&accounts, g_ptr_array_unref);
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return g_steal_pointer (&accounts);
}

static BackupsAccount *
lookup_account (BackupsStore *self, const char *where, gint64 id, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree char *sql = g_strconcat ("SELECT " ACCOUNT_COLUMNS, where, NULL);
  BackupsAccount  *account = NULL;
  Conn             conn;

  if (!conn_open (&conn, self, error))
    return NULL;

  stmt = prepare (conn.db, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, id);
      if (name != NULL)
        sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);

      switch (sqlite3_step (stmt))
        {
        case SQLITE_ROW:
          account = account_from_row (stmt);
          break;
        case SQLITE_DONE:
          if (name != NULL)
            g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                         _ ("The organization has no account named ‘%s’."), name);
          else
            g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                         _ ("The account no longer exists."));
          break;
        default:
          set_db_error (error, conn.db, "find the account");
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return account;
}

BackupsAccount *
backups_store_find_account (BackupsStore *self, gint64 org_id, const char *name, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  return lookup_account (self, "WHERE a.org_id = ? AND a.name = ?", org_id, name ? name : "",
                         error);
}

BackupsAccount *
backups_store_get_account (BackupsStore *self, gint64 account_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  return lookup_account (self, "WHERE a.id = ?", account_id, NULL, error);
}

/* Sync bookkeeping --------------------------------------------------------- */

static gboolean
update_account_status (
  BackupsStore *self, const char *sql, gint64 account_id, const char *message, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ret = FALSE;
  Conn     conn;

  if (!conn_open (&conn, self, error))
    return FALSE;

  stmt = prepare (conn.db, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      if (sqlite3_bind_parameter_count (stmt) >= 2)
        sqlite3_bind_int64 (stmt, 2, now_unix ());
      if (message != NULL)
        sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
      ret = step_done (conn.db, stmt, "record the sync status", error);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);

  if (ret)
    {
      /* The account's status only: no row of any list changed. */
      record_schedule_changes (self, account_id, NULL);
      queue_changed_recorded (self);
    }
  return ret;
}

gboolean
backups_store_begin_sync (BackupsStore *self, gint64 account_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  return update_account_status (
    self,
    "UPDATE accounts SET last_sync_status = 'syncing', last_sync_started_at = ?2 WHERE id = ?1",
    account_id, NULL, error);
}

gboolean
backups_store_abandon_sync (BackupsStore *self, gint64 account_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  /* The status goes back to what the last finished sync left, which the
   * other columns still say. */
  return update_account_status (self,
                                "UPDATE accounts SET last_sync_status = CASE"
                                "  WHEN last_sync_finished_at IS NULL THEN 'never'"
                                "  WHEN last_sync_error IS NOT NULL THEN 'error'"
                                "  ELSE 'ok' END "
                                "WHERE id = ?1 AND last_sync_status = 'syncing'",
                                account_id, NULL, error);
}

gboolean
backups_store_record_sync_failure (BackupsStore *self,
                                   gint64        account_id,
                                   const char   *message,
                                   GError      **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (message != NULL, FALSE);

  return update_account_status (
           self,
           "UPDATE accounts SET last_sync_status = 'error', last_sync_finished_at = ?2, "
           "  last_sync_error = ?3 WHERE id = ?1;",
           account_id, message, error)
         && update_account_status (
           self,
           "INSERT INTO sync_runs (account_id, started_at, finished_at, status, error) "
           "SELECT id, last_sync_started_at, ?2, 'error', ?3 FROM accounts WHERE id = ?1",
           account_id, message, error);
}

/* Applying a snapshot ------------------------------------------------------ */

/* Each table is described once; the generic apply code binds a record's
 * cells, compares them with a 64-bit digest of the stored row, and writes
 * only what differs. */
typedef enum
{
  CELL_NULL,
  CELL_INT,
  CELL_TEXT,
} CellKind;

typedef struct
{
  CellKind    kind;
  gint64      i;
  const char *s;
} Cell;

#define MAX_CELLS 16

/* The reasons a sync run keeps of the rows it could not read. */
#define MAX_UNREADABLE_REASONS 20

typedef struct
{
  const char *table;
  const char *columns[MAX_CELLS]; /* after account_id, remote_id */
  guint       n_columns;
  gint64 (*fill) (gconstpointer record, Cell *cells); /* returns remote_id */
} TableSpec;

static inline void
cell_int (Cell *cell, gint64 value)
{
  cell->kind = CELL_INT;
  cell->i = value;
}

static inline void
cell_int_or_null (Cell *cell, gint64 value)
{
  cell->kind = value == BACKUPS_NO_VALUE ? CELL_NULL : CELL_INT;
  cell->i = value;
}

static inline void
cell_text (Cell *cell, const char *value)
{
  cell->kind = value ? CELL_TEXT : CELL_NULL;
  cell->s = value;
}

static gint64
fill_server (gconstpointer record, Cell *cells)
{
  const BackupsServerRecord *r = record;

  cell_text (&cells[0], r->label);
  cell_text (&cells[1], r->ip);
  cell_text (&cells[2], r->timezone);
  return r->remote_id;
}

static gint64
fill_site (gconstpointer record, Cell *cells)
{
  const BackupsSiteRecord *r = record;

  cell_text (&cells[0], r->url);
  cell_int_or_null (&cells[1], r->server_remote_id);
  cell_int_or_null (&cells[2], backups_flag_to_int (r->local_bup));
  cell_int_or_null (&cells[3], backups_flag_to_int (r->remote_bup));
  cell_int_or_null (&cells[4], r->local_retain_days);
  cell_int_or_null (&cells[5], r->local_prune_schedule);
  cell_int_or_null (&cells[6], r->remote_retain_days);
  cell_int_or_null (&cells[7], r->remote_prune_schedule);
  cell_text (&cells[8], r->problems);
  return r->remote_id;
}

static gint64
fill_schedule (gconstpointer record, Cell *cells)
{
  const BackupsScheduleRecord *r = record;

  cell_int (&cells[0], r->site_remote_id);
  cell_int_or_null (&cells[1], r->server_remote_id);
  cell_text (&cells[2], r->site_url);
  cell_text (&cells[3], backups_schedule_type_to_string (r->type));
  cell_text (&cells[4], backups_frequency_to_string (r->frequency));
  cell_int_or_null (&cells[5], r->hour);
  cell_int_or_null (&cells[6], r->minute);
  cell_int_or_null (&cells[7], r->day);
  cell_int_or_null (&cells[8], r->service_id);
  cell_text (&cells[9], r->service_name);
  cell_int_or_null (&cells[10], r->integration_id);
  cell_text (&cells[11], r->problems);
  return r->remote_id;
}

static gint64
fill_integration (gconstpointer record, Cell *cells)
{
  const BackupsIntegrationRecord *r = record;

  cell_text (&cells[0], r->service);
  cell_text (&cells[1], r->name);
  cell_text (&cells[2], r->region);
  return r->remote_id;
}

static const TableSpec table_specs[] = {
  { "servers", { "label", "ip", "timezone" }, 3, fill_server },
  { "sites",
    { "url", "server_remote_id", "local_bup", "remote_bup", "local_retain_days",
      "local_prune_schedule", "remote_retain_days", "remote_prune_schedule", "problems" },
    9,
    fill_site },
  { "backup_schedules",
    { "site_remote_id", "server_remote_id", "site_url", "type", "frequency", "hour", "minute",
      "day", "service_id", "service_name", "integration_id", "problems" },
    12,
    fill_schedule },
  { "backup_integrations", { "service", "name", "region" }, 3, fill_integration },
};

/* FNV-1a over kind tags and values. Stored rows and new records go through
 * the same function, so equal rows give equal digests. */
static inline guint64
digest_bytes (guint64 h, const guint8 *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      h ^= p[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static guint64
digest_cells (const Cell *cells, guint n)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (guint i = 0; i < n; i++)
    {
      guint8 tag = (guint8)cells[i].kind;

      h = digest_bytes (h, &tag, 1);
      if (cells[i].kind == CELL_INT)
        h = digest_bytes (h, (const guint8 *)&cells[i].i, sizeof cells[i].i);
      else if (cells[i].kind == CELL_TEXT)
        h = digest_bytes (h, (const guint8 *)cells[i].s, strlen (cells[i].s) + 1);
    }
  return h;
}

static void
bind_cells (sqlite3_stmt *stmt, int first_index, const Cell *cells, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      int index = first_index + (int)i;

      switch (cells[i].kind)
        {
        case CELL_INT:
          sqlite3_bind_int64 (stmt, index, cells[i].i);
          break;
        case CELL_TEXT:
          sqlite3_bind_text (stmt, index, cells[i].s, -1, SQLITE_STATIC);
          break;
        case CELL_NULL:
        default:
          sqlite3_bind_null (stmt, index);
          break;
        }
    }
}

static gboolean
apply_table (sqlite3            *db,
             const TableSpec    *spec,
             gint64              account_id,
             GPtrArray          *records,
             BackupsApplyCounts *counts,
             GArray             *changed_ids,
             GError            **error)
{
  g_autoptr (sqlite3_stmt) select_stmt = NULL;
  g_autoptr (sqlite3_stmt) insert_stmt = NULL;
  g_autoptr (sqlite3_stmt) update_stmt = NULL;
  g_autoptr (sqlite3_stmt) delete_stmt = NULL;
  g_autoptr (GHashTable) existing = NULL; /* remote_id → digest, both boxed in one gint64 pair */
  g_autoptr (GString) sql = g_string_new (NULL);
  g_autofree guint64 *digests = NULL;
  GHashTableIter      iter;
  gpointer            key, value;
  guint               n_existing = 0;
  int                 rc;

  /* sql-check: allow sql: table and column names come from table_specs,
   * every value is a bound "?" placeholder. */

  /* What the account has now. */
  g_string_printf (sql, "SELECT remote_id");
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, ", %s", spec->columns[i]);
  g_string_append_printf (sql, " FROM %s WHERE account_id = ?", spec->table);
  select_stmt = prepare (db, sql->str, error);
  if (select_stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (select_stmt, 1, account_id);

  existing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while ((rc = sqlite3_step (select_stmt)) == SQLITE_ROW)
    {
      Cell    cells[MAX_CELLS];
      gint64 *entry = g_new (gint64, 2);

      for (guint i = 0; i < spec->n_columns; i++)
        {
          int column = (int)i + 1;

          switch (sqlite3_column_type (select_stmt, column))
            {
            case SQLITE_NULL:
              cells[i].kind = CELL_NULL;
              break;
            case SQLITE_INTEGER:
              cell_int (&cells[i], sqlite3_column_int64 (select_stmt, column));
              break;
            default:
              cell_text (&cells[i], (const char *)sqlite3_column_text (select_stmt, column));
              break;
            }
        }
      entry[0] = sqlite3_column_int64 (select_stmt, 0);
      entry[1] = (gint64)digest_cells (cells, spec->n_columns);
      g_hash_table_add (existing, entry);
      n_existing++;
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, db, "read the cached rows");

  /* Insert statement. */
  g_string_printf (sql, "INSERT INTO %s (account_id, remote_id", spec->table);
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, ", %s", spec->columns[i]);
  g_string_append (sql, ") VALUES (?, ?");
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  insert_stmt = prepare (db, sql->str, error);

  /* Update statement. */
  g_string_printf (sql, "UPDATE %s SET ", spec->table);
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, "%s%s = ?%u", i ? ", " : "", spec->columns[i], i + 3);
  g_string_append (sql, " WHERE account_id = ?1 AND remote_id = ?2");
  update_stmt = prepare (db, sql->str, error);

  g_string_printf (sql, "DELETE FROM %s WHERE account_id = ? AND remote_id = ?", spec->table);
  delete_stmt = prepare (db, sql->str, error);

  if (insert_stmt == NULL || update_stmt == NULL || delete_stmt == NULL)
    return FALSE;

  for (guint r = 0; r < records->len; r++)
    {
      Cell          cells[MAX_CELLS];
      gint64        remote_id = spec->fill (g_ptr_array_index (records, r), cells);
      gint64       *entry = g_hash_table_lookup (existing, &remote_id);
      sqlite3_stmt *stmt;

      if (entry != NULL && entry[1] == (gint64)digest_cells (cells, spec->n_columns))
        {
          g_hash_table_remove (existing, &remote_id);
          counts->unchanged++;
          continue;
        }

      stmt = entry != NULL ? update_stmt : insert_stmt;
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_int64 (stmt, 2, remote_id);
      bind_cells (stmt, 3, cells, spec->n_columns);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_db_error (error, db, "store a fetched row");

      if (entry != NULL)
        {
          g_hash_table_remove (existing, &remote_id);
          counts->updated++;
        }
      else
        counts->inserted++;
      g_array_append_val (changed_ids, remote_id);
    }

  /* Whatever the snapshot no longer has goes. */
  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gint64 *entry = key;

      sqlite3_bind_int64 (delete_stmt, 1, account_id);
      sqlite3_bind_int64 (delete_stmt, 2, entry[0]);
      rc = sqlite3_step (delete_stmt);
      sqlite3_reset (delete_stmt);
      if (rc != SQLITE_DONE)
        return set_db_error (error, db, "delete a stale row");
      counts->deleted++;
      g_array_append_val (changed_ids, entry[0]);
    }

  return TRUE;
}

static gboolean
apply_in_transaction (sqlite3            *db,
                      gint64              account_id,
                      BackupsSnapshot    *snapshot,
                      BackupsApplyCounts *counts,
                      GArray             *schedule_ids,
                      gboolean           *others_changed,
                      GError            **error)
{
  g_autoptr (sqlite3_stmt) check = NULL;
  g_autoptr (sqlite3_stmt) status = NULL;
  g_autoptr (sqlite3_stmt) run = NULL;
  GPtrArray *arrays[]
    = { snapshot->servers, snapshot->sites, snapshot->schedules, snapshot->integrations };
  gint64           now = now_unix ();
  guint            unreadable;
  g_autofree char *unreadable_reasons = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (arrays) == G_N_ELEMENTS (table_specs));

  check = prepare (db, "SELECT 1 FROM accounts WHERE id = ?", error);
  if (check == NULL)
    return FALSE;
  sqlite3_bind_int64 (check, 1, account_id);
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                   _ ("The account was removed while it was syncing."));
      return FALSE;
    }

  /* Time zones are only on the servers the sites embed. */
  backups_snapshot_link_servers (snapshot);
  unreadable
    = backups_snapshot_count_problems (snapshot, MAX_UNREADABLE_REASONS, &unreadable_reasons);

  for (guint i = 0; i < G_N_ELEMENTS (table_specs); i++)
    {
      g_autoptr (GArray) ids = NULL;

      if (arrays[i] == NULL)
        continue;
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!apply_table (db, &table_specs[i], account_id, arrays[i], counts, ids, error))
        return FALSE;
      /* Schedule rows show their site's, server's and integration's
       * columns: a change there is not known row by row. */
      if (arrays[i] == snapshot->schedules)
        g_array_append_vals (schedule_ids, ids->data, ids->len);
      else if (ids->len > 0)
        *others_changed = TRUE;
    }

  status = prepare (db,
                    "UPDATE accounts SET last_sync_status = 'ok', last_sync_finished_at = ?2, "
                    "  last_success_at = ?2, last_sync_error = NULL WHERE id = ?1",
                    error);
  run = prepare (
    db,
    "INSERT INTO sync_runs (account_id, started_at, finished_at, status, inserted, "
    "  updated, deleted, unchanged, unreadable, unreadable_reasons) "
    "SELECT id, last_sync_started_at, ?2, 'ok', ?3, ?4, ?5, ?6, ?7, ?8 FROM accounts WHERE id = ?1",
    error);
  if (status == NULL || run == NULL)
    return FALSE;

  sqlite3_bind_int64 (status, 1, account_id);
  sqlite3_bind_int64 (status, 2, now);
  if (!step_done (db, status, "record the sync status", error))
    return FALSE;

  sqlite3_bind_int64 (run, 1, account_id);
  sqlite3_bind_int64 (run, 2, now);
  sqlite3_bind_int64 (run, 3, counts->inserted);
  sqlite3_bind_int64 (run, 4, counts->updated);
  sqlite3_bind_int64 (run, 5, counts->deleted);
  sqlite3_bind_int64 (run, 6, counts->unchanged);
  sqlite3_bind_int64 (run, 7, unreadable);
  bind_text_or_null (run, 8, unreadable_reasons);
  counts->unreadable = unreadable;
  return step_done (db, run, "record the sync run", error);
}

gboolean
backups_store_apply_snapshot (BackupsStore       *self,
                              gint64              account_id,
                              BackupsSnapshot    *snapshot,
                              BackupsApplyCounts *counts,
                              GError            **error)
{
  BackupsApplyCounts local_counts = { 0 };
  g_autoptr (GArray) schedule_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean others_changed = FALSE;
  gboolean ok;
  Conn     conn;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  if (!conn_open (&conn, self, error))
    return FALSE;

  ok = exec_sql (conn.db, "BEGIN IMMEDIATE", "start saving the sync", error)
       && apply_in_transaction (conn.db, account_id, snapshot, &local_counts, schedule_ids,
                                &others_changed, error);

  if (ok)
    ok = exec_sql (conn.db, "COMMIT", "save the sync", error);

  if (!ok && !sqlite3_get_autocommit (conn.db))
    exec_sql (conn.db, "ROLLBACK", "roll back", NULL);

  conn_close (&conn);

  if (!ok)
    return FALSE;

  protect_sidecar_files (self->path);
  if (counts != NULL)
    *counts = local_counts;
  if (others_changed)
    record_unknown_change (self);
  else
    record_schedule_changes (self, account_id, schedule_ids);
  queue_changed_recorded (self);
  return TRUE;
}

typedef struct
{
  gint64             account_id;
  BackupsSnapshot   *snapshot;
  BackupsApplyCounts counts;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_pointer (&data->snapshot, backups_snapshot_free);
  g_free (data);
}

static void
apply_snapshot_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  BackupsStore *self = source_object;
  ApplyData    *data = task_data;
  GError       *error = NULL;
  gboolean      ok;

  ok = backups_store_apply_snapshot (self, data->account_id, data->snapshot, &data->counts, &error);
  /* Here, not with the task on the caller's thread: freeing a large
   * fleet's records takes tens of milliseconds. */
  g_clear_pointer (&data->snapshot, backups_snapshot_free);
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

void
backups_store_apply_snapshot_async (BackupsStore       *self,
                                    gint64              account_id,
                                    BackupsSnapshot    *snapshot,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  ApplyData *data;

  g_return_if_fail (BACKUPS_IS_STORE (self));
  g_return_if_fail (snapshot != NULL);

  data = g_new0 (ApplyData, 1);
  data->account_id = account_id;
  data->snapshot = snapshot;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_store_apply_snapshot_async);
  g_task_set_task_data (task, data, (GDestroyNotify)apply_data_free);
  /* Once started the apply is one transaction: a late cancel must not
   * report failure for rows that did commit. */
  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }
  g_task_run_in_thread (task, apply_snapshot_thread);
}

gboolean
backups_store_apply_snapshot_finish (BackupsStore       *self,
                                     GAsyncResult       *result,
                                     BackupsApplyCounts *counts,
                                     GError            **error)
{
  ApplyData *data;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (counts != NULL)
    *counts = data->counts;
  return TRUE;
}

/* Queries ------------------------------------------------------------------ */

/* A schedule row's columns, joined with what it shows of its account (as
 * `a`), server, site and integration. */
#define SCHEDULE_COLUMNS                                                                           \
  "s.account_id, a.name, s.remote_id, s.site_remote_id, s.site_url, s.server_remote_id,"           \
  "  sv.label, sv.timezone, s.type, s.frequency, s.hour, s.minute, s.day, s.service_id,"           \
  "  s.service_name, i.name, i.service,"                                                           \
  "  CASE s.type WHEN 'local' THEN si.local_bup ELSE si.remote_bup END,"                           \
  "  CASE s.type WHEN 'local' THEN si.local_retain_days ELSE si.remote_retain_days END,"           \
  "  CASE s.type WHEN 'local' THEN si.local_prune_schedule ELSE si.remote_prune_schedule END,"     \
  "  s.integration_id, s.problems "
/* A remote schedule's destination is the integration its service_user_id
 * names (gridpane-api.md, Corrections); service_id is only the kind. */
#define SCHEDULE_JOINS                                                                             \
  "  LEFT JOIN servers sv ON sv.account_id = s.account_id AND sv.remote_id = s.server_remote_id"   \
  "  LEFT JOIN sites si ON si.account_id = s.account_id AND si.remote_id = s.site_remote_id"       \
  "  LEFT JOIN backup_integrations i"                                                              \
  "    ON i.account_id = s.account_id AND i.remote_id = s.integration_id "

static const char schedules_sql[]
  = "SELECT " SCHEDULE_COLUMNS
    "FROM accounts a JOIN backup_schedules s ON s.account_id = a.id" SCHEDULE_JOINS
    "WHERE a.org_id = ?1 ";

/* The row's strings are interned: release them with
 * backups_schedule_fields_unref_strings(). */
static void
schedule_fields_from_row (sqlite3_stmt *stmt, BackupsScheduleFields *f)
{
  f->account_id = sqlite3_column_int64 (stmt, 0);
  f->account_name = column_intern (stmt, 1);
  f->schedule_id = sqlite3_column_int64 (stmt, 2);
  f->site_id = sqlite3_column_int64 (stmt, 3);
  f->site_url = column_intern (stmt, 4);
  f->server_id = column_int_or_none (stmt, 5);
  f->server_label = column_intern (stmt, 6);
  f->server_timezone = column_intern (stmt, 7);
  backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, 8), &f->type);
  backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, 9), &f->frequency);
  f->hour = (int)column_int_or_none (stmt, 10);
  f->minute = (int)column_int_or_none (stmt, 11);
  f->day = (int)column_int_or_none (stmt, 12);
  f->service_id = column_int_or_none (stmt, 13);
  f->service_name = column_intern (stmt, 14);
  f->destination = column_intern (stmt, 15);
  f->destination_service = column_intern (stmt, 16);
  f->enabled = backups_flag_from_int (column_int_or_none (stmt, 17));
  f->retain_days = (int)column_int_or_none (stmt, 18);
  f->prune_schedule = (int)column_int_or_none (stmt, 19);
  f->integration_id = column_int_or_none (stmt, 20);
  f->problems = column_intern (stmt, 21);
}

/* Steps a statement of schedules_sql's columns through `func`. */
static gboolean
step_schedule_rows (
  sqlite3 *db, sqlite3_stmt *stmt, BackupsScheduleRowFunc func, gpointer user_data, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BackupsScheduleFields fields = { 0 };

      schedule_fields_from_row (stmt, &fields);
      func (&fields, user_data);
      backups_schedule_fields_unref_strings (&fields);
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, db, "read the cache");
  return TRUE;
}

/* A few rows by key: the joins are SQLite's. */
static gboolean
foreach_keyed_schedule (sqlite3               *db,
                        gint64                 org_id,
                        GArray                *keys,
                        BackupsScheduleRowFunc func,
                        gpointer               user_data,
                        GError               **error)
{
  for (guint first = 0; first < keys->len / 2; first += BACKUPS_STORE_MAX_KEYS)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      g_autoptr (GString) sql = g_string_new (schedules_sql);
      guint n = MIN (BACKUPS_STORE_MAX_KEYS, keys->len / 2 - first);

      /* sql-check: allow sql: the constant query and "(?, ?)" placeholders,
       * one pair a key; the keys are bound. */

      g_string_append (sql, "AND (s.account_id, s.remote_id) IN (VALUES ");
      for (guint i = 0; i < n; i++)
        g_string_append (sql, i ? ", (?, ?)" : "(?, ?)");
      g_string_append (sql, ")");

      stmt = prepare (db, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, org_id);
      for (guint i = 0; i < 2 * n; i++)
        sqlite3_bind_int64 (stmt, (int)i + 2, g_array_index (keys, gint64, 2 * first + i));

      if (!step_schedule_rows (db, stmt, func, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/* The whole org: every schedule row joined with its account, server, site
 * and integration. Those are few (or, for sites, one lookup each), and
 * hash lookups here cost a third of SQLite's index searches. */

typedef struct
{
  gint64 account_id;
  gint64 remote_id;
} RowKey;

static guint
row_key_hash (gconstpointer key)
{
  const RowKey *k = key;

  return (guint)(k->remote_id ^ (k->remote_id >> 32)) * 31u + (guint)k->account_id;
}

static gboolean
row_key_equal (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;

  return x->account_id == y->account_id && x->remote_id == y->remote_id;
}

typedef struct
{
  RowKey key;
  char  *texts[2]; /* server: label, timezone; integration: name, service */
} NamedRow;

typedef struct
{
  RowKey key;
  gint32 retain_days[2]; /* [BACKUPS_SCHEDULE_TYPE_LOCAL], [..._REMOTE] */
  gint32 prune_schedule[2];
  gint8  enabled[2];
} SiteRow;

static int
compare_row_keys (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;

  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  return x->remote_id < y->remote_id ? -1 : x->remote_id > y->remote_id;
}

G_STATIC_ASSERT (BACKUPS_SCHEDULE_TYPE_LOCAL == 0 && BACKUPS_SCHEDULE_TYPE_REMOTE == 1);

static void
named_row_free (gpointer data)
{
  NamedRow *row = data;

  g_clear_pointer (&row->texts[0], g_ref_string_release);
  g_clear_pointer (&row->texts[1], g_ref_string_release);
  g_free (row);
}

/* The strings are interned. */
typedef struct
{
  GHashTable *accounts; /* account id → name */
  GHashTable *servers;  /* RowKey → NamedRow */
  GHashTable *integrations;
  GArray     *sites; /* SiteRow, by key: tens of thousands, kept compact */
} OrgLookups;

static void
org_lookups_clear (OrgLookups *lookups)
{
  g_clear_pointer (&lookups->accounts, g_hash_table_unref);
  g_clear_pointer (&lookups->servers, g_hash_table_unref);
  g_clear_pointer (&lookups->integrations, g_hash_table_unref);
  g_clear_pointer (&lookups->sites, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrgLookups, org_lookups_clear)

#define ORG_ACCOUNTS "account_id IN (SELECT id FROM accounts WHERE org_id = ?1)"

/* The org's servers and integrations: a key and two texts each. */
static const struct
{
  const char *sql;
} named_lookups[] = {
  { "SELECT account_id, remote_id, label, timezone FROM servers WHERE " ORG_ACCOUNTS },
  { "SELECT account_id, remote_id, name, service FROM backup_integrations WHERE " ORG_ACCOUNTS },
};

static gboolean
load_org_lookups (sqlite3 *db, gint64 org_id, OrgLookups *lookups, GError **error)
{
  GHashTable **named_tables[] = { &lookups->servers, &lookups->integrations };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  G_STATIC_ASSERT (G_N_ELEMENTS (named_lookups) == G_N_ELEMENTS (named_tables));

  lookups->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify)g_ref_string_release);

  stmt = prepare (db, "SELECT id, name FROM accounts WHERE org_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (lookups->accounts, g_memdup2 (&id, sizeof id), column_intern (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, db, "read the cache");
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint t = 0; t < G_N_ELEMENTS (named_lookups); t++)
    {
      *named_tables[t] = g_hash_table_new_full (row_key_hash, row_key_equal, named_row_free, NULL);
      stmt = prepare (db, named_lookups[t].sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, org_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          NamedRow *row = g_new0 (NamedRow, 1);

          row->key.account_id = sqlite3_column_int64 (stmt, 0);
          row->key.remote_id = sqlite3_column_int64 (stmt, 1);
          row->texts[0] = column_intern (stmt, 2);
          row->texts[1] = column_intern (stmt, 3);
          g_hash_table_add (*named_tables[t], row);
        }
      if (rc != SQLITE_DONE)
        return set_db_error (error, db, "read the cache");
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  lookups->sites = g_array_new (FALSE, FALSE, sizeof (SiteRow));
  stmt = prepare (db,
                  "SELECT account_id, remote_id, local_bup, remote_bup, local_retain_days,"
                  "  remote_retain_days, local_prune_schedule, remote_prune_schedule "
                  "FROM sites WHERE " ORG_ACCOUNTS " ORDER BY account_id, remote_id",
                  error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SiteRow site;

      site.key.account_id = sqlite3_column_int64 (stmt, 0);
      site.key.remote_id = sqlite3_column_int64 (stmt, 1);
      for (guint i = 0; i < 2; i++)
        {
          site.enabled[i] = (gint8)backups_flag_from_int (column_int_or_none (stmt, 2 + (int)i));
          site.retain_days[i] = (gint32)column_int_or_none (stmt, 4 + (int)i);
          site.prune_schedule[i] = (gint32)column_int_or_none (stmt, 6 + (int)i);
        }
      g_array_append_val (lookups->sites, site);
    }
  if (rc != SQLITE_DONE)
    return set_db_error (error, db, "read the cache");
  return TRUE;
}

static gboolean
foreach_org_schedule (
  sqlite3 *db, gint64 org_id, BackupsScheduleRowFunc func, gpointer user_data, GError **error)
{
  g_auto (OrgLookups) lookups = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gint64 *account_ids = NULL;
  guint              n_accounts;
  int                rc;

  if (!load_org_lookups (db, org_id, &lookups, error))
    return FALSE;

  /* Account by account, in id order: the rows then come in key order. */
  {
    g_autofree gpointer *keys = g_hash_table_get_keys_as_array (lookups.accounts, &n_accounts);

    account_ids = g_new (gint64, n_accounts + 1);
    for (guint i = 0; i < n_accounts; i++)
      account_ids[i] = *(gint64 *)keys[i];
  }
  qsort (account_ids, n_accounts, sizeof (gint64), compare_int64);

  stmt = prepare (db,
                  "SELECT remote_id, site_remote_id, site_url, server_remote_id, type, frequency,"
                  "  hour, minute, day, service_id, service_name, integration_id, problems "
                  "FROM backup_schedules WHERE account_id = ?",
                  error);
  if (stmt == NULL)
    return FALSE;

  for (guint a = 0; a < n_accounts; a++)
    {
      const char *account_name = g_hash_table_lookup (lookups.accounts, &account_ids[a]);
      g_autoptr (GRefString) last_site_url = NULL;

      sqlite3_bind_int64 (stmt, 1, account_ids[a]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BackupsScheduleFields f = { 0 };
          RowKey                key = { account_ids[a], 0 };
          const NamedRow       *server = NULL, *integration = NULL;
          const SiteRow        *site;

          f.account_id = account_ids[a];
          f.account_name = (char *)account_name;
          f.schedule_id = sqlite3_column_int64 (stmt, 0);
          f.site_id = sqlite3_column_int64 (stmt, 1);
          /* A site's schedules mostly come one after the other. */
          if (last_site_url == NULL
              || strcmp (last_site_url, (const char *)sqlite3_column_text (stmt, 2)) != 0)
            {
              g_clear_pointer (&last_site_url, g_ref_string_release);
              last_site_url = column_intern (stmt, 2);
            }
          f.site_url = last_site_url;
          f.server_id = column_int_or_none (stmt, 3);
          backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, 4), &f.type);
          backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, 5), &f.frequency);
          f.hour = (int)column_int_or_none (stmt, 6);
          f.minute = (int)column_int_or_none (stmt, 7);
          f.day = (int)column_int_or_none (stmt, 8);
          f.service_id = column_int_or_none (stmt, 9);
          f.service_name = column_intern (stmt, 10);
          f.integration_id = column_int_or_none (stmt, 11);
          f.problems = column_intern (stmt, 12);

          if (f.server_id != BACKUPS_NO_VALUE)
            {
              key.remote_id = f.server_id;
              server = g_hash_table_lookup (lookups.servers, &key);
            }
          f.server_label = server ? server->texts[0] : NULL;
          f.server_timezone = server ? server->texts[1] : NULL;

          if (f.integration_id != BACKUPS_NO_VALUE)
            {
              key.remote_id = f.integration_id;
              integration = g_hash_table_lookup (lookups.integrations, &key);
            }
          f.destination = integration ? integration->texts[0] : NULL;
          f.destination_service = integration ? integration->texts[1] : NULL;

          key.remote_id = f.site_id;
          site = lookups.sites->len == 0 ? NULL
                                         : bsearch (&key, lookups.sites->data, lookups.sites->len,
                                                    sizeof (SiteRow), compare_row_keys);
          f.enabled = site ? (BackupsFlag)site->enabled[f.type] : BACKUPS_FLAG_UNKNOWN;
          f.retain_days = site ? site->retain_days[f.type] : BACKUPS_NO_VALUE;
          f.prune_schedule = site ? site->prune_schedule[f.type] : BACKUPS_NO_VALUE;

          func (&f, user_data);
          g_clear_pointer (&f.service_name, g_ref_string_release);
          g_clear_pointer (&f.problems, g_ref_string_release);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return set_db_error (error, db, "read the cache");
    }
  return TRUE;
}

/* The schedules_sql columns, read along backup_schedules_by_site. */
static const char schedules_by_site_sql[]
  = "SELECT " SCHEDULE_COLUMNS "FROM backup_schedules s INDEXED BY backup_schedules_by_site"
    "  CROSS JOIN accounts a ON a.id = s.account_id" SCHEDULE_JOINS "WHERE a.org_id = ?1 "
    "ORDER BY s.site_url COLLATE NOCASE, s.site_url, s.account_id, s.remote_id "
    "LIMIT ?2";

gboolean
backups_store_foreach_first_schedules (BackupsStore          *self,
                                       gint64                 org_id,
                                       guint                  n,
                                       BackupsScheduleRowFunc func,
                                       gpointer               user_data,
                                       GError               **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ok = FALSE;
  Conn     conn;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!conn_open (&conn, self, error))
    return FALSE;

  /* The index gives the order: the first rows come without a sort. */
  stmt = prepare (conn.db, schedules_by_site_sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, org_id);
      sqlite3_bind_int64 (stmt, 2, n);
      ok = step_schedule_rows (conn.db, stmt, func, user_data, error);
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return ok;
}

gboolean
backups_store_foreach_schedule (BackupsStore          *self,
                                gint64                 org_id,
                                GArray                *keys,
                                BackupsScheduleRowFunc func,
                                gpointer               user_data,
                                GError               **error)
{
  gboolean ok;
  Conn     conn;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (keys != NULL && keys->len < 2)
    return TRUE;

  if (!conn_open (&conn, self, error))
    return FALSE;

  /* One read transaction: the rows and what they join are one snapshot. */
  ok = exec_sql (conn.db, "BEGIN", "read the cache", error);
  if (ok)
    {
      if (keys != NULL)
        ok = foreach_keyed_schedule (conn.db, org_id, keys, func, user_data, error);
      else
        ok = foreach_org_schedule (conn.db, org_id, func, user_data, error);
      exec_sql (conn.db, "COMMIT", "read the cache", NULL);
    }

  conn_close (&conn);
  return ok;
}

static void
add_schedule_object (const BackupsScheduleFields *fields, gpointer user_data)
{
  g_ptr_array_add (user_data, backups_schedule_new (fields));
}

static const char integrations_sql[]
  = "SELECT i.account_id, a.name, i.remote_id, i.service, i.name, i.region,"
    "  (SELECT COUNT (*) FROM backup_schedules s"
    "   WHERE s.account_id = i.account_id AND s.integration_id = i.remote_id) "
    "FROM accounts a JOIN backup_integrations i ON i.account_id = a.id "
    "WHERE a.org_id = ? "
    "ORDER BY i.account_id, i.remote_id";

static BackupsIntegration *
integration_from_row (sqlite3_stmt *stmt)
{
  BackupsIntegrationFields f = { 0 };

  f.account_id = sqlite3_column_int64 (stmt, 0);
  f.account_name = column_strdup (stmt, 1);
  f.integration_id = sqlite3_column_int64 (stmt, 2);
  f.service = column_strdup (stmt, 3);
  f.name = column_strdup (stmt, 4);
  f.region = column_strdup (stmt, 5);
  f.used_by = (guint)sqlite3_column_int64 (stmt, 6);

  return backups_integration_new_take (&f);
}

static GPtrArray *
run_org_query (BackupsStore *self,
               const char   *sql,
               gint64        org_id,
               gpointer (*from_row) (sqlite3_stmt *stmt),
               GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) rows = NULL;
  Conn conn;
  int  rc;

  if (!conn_open (&conn, self, error))
    return NULL;

  /* One read transaction so the rows are one consistent snapshot. */
  stmt = prepare (conn.db, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, org_id);
      rows = g_ptr_array_new_with_free_func (g_object_unref);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        g_ptr_array_add (rows, from_row (stmt));
      if (rc != SQLITE_DONE)
        {
          set_db_error (error, conn.db, "read the cache");
          g_clear_pointer (&rows, g_ptr_array_unref);
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return g_steal_pointer (&rows);
}

GPtrArray *
backups_store_query_schedules (BackupsStore *self, gint64 org_id, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (!backups_store_foreach_schedule (self, org_id, NULL, add_schedule_object, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

GPtrArray *
backups_store_query_integrations (BackupsStore *self, gint64 org_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  return run_org_query (self, integrations_sql, org_id,
                        (gpointer (*) (sqlite3_stmt *))integration_from_row, error);
}

static gint64
org_scalar (BackupsStore *self, const char *sql, gint64 org_id, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gint64 value = -1;
  Conn   conn;

  if (!conn_open (&conn, self, error))
    return -1;

  stmt = prepare (conn.db, sql, error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, org_id);
      if (sqlite3_step (stmt) == SQLITE_ROW)
        value = sqlite3_column_int64 (stmt, 0);
      else
        set_db_error (error, conn.db, "read the cache");
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return value;
}

gboolean
backups_store_org_first_sync_pending (BackupsStore *self, gint64 org_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  /* A sync whose process died keeps saying "syncing"; past twice the sync
   * time limit nobody is working on it any more. */
  return org_scalar (
           self,
           "SELECT COUNT (*) > 0"
           "  AND SUM (last_success_at IS NOT NULL) = 0"
           "  AND SUM (last_sync_status = 'syncing'"
           "           AND last_sync_started_at > CAST (strftime ('%s', 'now') AS INTEGER)"
           "                                      - 2 * " G_STRINGIFY (
             BACKUPS_SYNC_DEFAULT_TIMEOUT_SECONDS) ") > 0 "
                                                   "FROM accounts WHERE org_id = ?",
           org_id, error)
         == 1;
}

gint64
backups_store_org_last_synced (BackupsStore *self, gint64 org_id, GError **error)
{
  gint64 value;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), 0);

  value = org_scalar (
    self, "SELECT IFNULL (MAX (last_success_at), 0) FROM accounts WHERE org_id = ?", org_id, error);
  return MAX (value, 0);
}

gboolean
backups_store_get_last_sync_counts (BackupsStore       *self,
                                    gint64              account_id,
                                    BackupsApplyCounts *counts,
                                    GError            **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  gboolean ret = FALSE;
  Conn     conn;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  if (!conn_open (&conn, self, error))
    return FALSE;

  stmt = prepare (conn.db,
                  "SELECT inserted, updated, deleted, unchanged, unreadable FROM sync_runs "
                  "WHERE account_id = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
                  error);
  if (stmt != NULL)
    {
      sqlite3_bind_int64 (stmt, 1, account_id);
      switch (sqlite3_step (stmt))
        {
        case SQLITE_ROW:
          counts->inserted = (guint)sqlite3_column_int64 (stmt, 0);
          counts->updated = (guint)sqlite3_column_int64 (stmt, 1);
          counts->deleted = (guint)sqlite3_column_int64 (stmt, 2);
          counts->unchanged = (guint)sqlite3_column_int64 (stmt, 3);
          counts->unreadable = (guint)sqlite3_column_int64 (stmt, 4);
          ret = TRUE;
          break;
        case SQLITE_DONE:
          g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                       _ ("The account has not synced yet."));
          break;
        default:
          set_db_error (error, conn.db, "read the sync runs");
        }
    }

  g_clear_pointer (&stmt, sqlite3_finalize);
  conn_close (&conn);
  return ret;
}

/* Rebuild ------------------------------------------------------------------ */

void
backups_rebuild_report_free (BackupsRebuildReport *report)
{
  if (report == NULL)
    return;
  g_free (report->moved_to);
  g_clear_pointer (&report->kept, g_ptr_array_unref);
  g_clear_pointer (&report->from_keyring, g_ptr_array_unref);
  g_clear_pointer (&report->lost, g_ptr_array_unref);
  g_free (report);
}

/* An account row as far as it could be read from a damaged file. */
typedef struct
{
  char *org_name; /* NULL: its organization's row is lost */
  char *name;
  char *provider;
  char *base_url;
  char *secret_id;
} OldAccount;

static void
old_account_free (OldAccount *account)
{
  g_free (account->org_name);
  g_free (account->name);
  g_free (account->provider);
  g_free (account->base_url);
  g_free (account->secret_id);
  g_free (account);
}

static char *
column_text_or_null (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL && g_utf8_validate (text, -1, NULL) && *text != '\0' ? g_strdup (text) : NULL;
}

/* Whatever rows of the organizations and accounts a damaged file still
 * gives, in a connection of its own that writes nothing. A statement that
 * fails ends its table; what was read stays. */
static void
read_what_is_left (const char *path, GPtrArray *org_names, GPtrArray *accounts)
{
  g_autoptr (GHashTable) orgs = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);
  sqlite3_stmt *stmt = NULL;
  sqlite3      *db = NULL;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL) != SQLITE_OK)
    {
      sqlite3_close (db);
      return;
    }

  if (sqlite3_prepare_v2 (db, "SELECT id, name FROM orgs", -1, &stmt, NULL) == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64 id = sqlite3_column_int64 (stmt, 0);
          char  *name = column_text_or_null (stmt, 1);

          if (name == NULL)
            continue;
          g_ptr_array_add (org_names, g_strdup (name));
          g_hash_table_insert (orgs, g_memdup2 (&id, sizeof id), name);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (sqlite3_prepare_v2 (db, "SELECT org_id, provider, name, base_url, secret_id FROM accounts",
                          -1, &stmt, NULL)
      == SQLITE_OK)
    {
      while (sqlite3_step (stmt) == SQLITE_ROW)
        {
          gint64      org_id = sqlite3_column_int64 (stmt, 0);
          OldAccount *account = g_new0 (OldAccount, 1);

          account->org_name = g_strdup (g_hash_table_lookup (orgs, &org_id));
          account->provider = column_text_or_null (stmt, 1);
          account->name = column_text_or_null (stmt, 2);
          account->base_url = column_text_or_null (stmt, 3);
          account->secret_id = column_text_or_null (stmt, 4);
          if (account->name == NULL || account->base_url == NULL || account->secret_id == NULL)
            {
              old_account_free (account);
              continue;
            }
          g_ptr_array_add (accounts, account);
        }
    }
  g_clear_pointer (&stmt, sqlite3_finalize);
  sqlite3_close (db);
}

/* backups.db → backups.db.damaged-20261203-141500, and its -wal and -shm
 * alike, so that nothing of the damaged file is read again. */
static char *
move_aside (const char *path, GError **error)
{
  static const char *const suffixes[] = { "", "-wal", "-shm" };
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();
  g_autofree char *stamp = g_date_time_format (now, "%Y%m%d-%H%M%S");
  g_autofree char *moved = g_strdup_printf ("%s.damaged-%s", path, stamp);

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *from = g_strconcat (path, suffixes[i], NULL);
      g_autofree char *to = g_strconcat (moved, suffixes[i], NULL);

      if (g_rename (from, to) != 0 && errno != ENOENT)
        {
          int saved = errno;

          g_set_error (
            error, BACKUPS_ERROR,
            saved == ENOSPC ? BACKUPS_ERROR_DATABASE_FULL : BACKUPS_ERROR_DATABASE_READ_ONLY,
            _ ("Could not move the damaged cache %s aside: %s"), from, g_strerror (saved));
          return NULL;
        }
    }
  return g_steal_pointer (&moved);
}

static void
close_all_connections (BackupsStore *self)
{
  g_clear_pointer (&self->db, close_connection);
  g_mutex_lock (&self->pool_lock);
  for (guint i = 0; i < self->pool->len; i++)
    close_connection (g_ptr_array_index (self->pool, i));
  g_ptr_array_set_size (self->pool, 0);
  /* Those lent to workers are closed when they come back. */
  self->generation++;
  g_mutex_unlock (&self->pool_lock);
}

static gboolean
add_recovered_account (BackupsStore *self,
                       const char   *org_name,
                       const char   *provider,
                       const char   *name,
                       const char   *base_url,
                       const char   *secret_id,
                       GError      **error)
{
  g_autoptr (BackupsOrg) org = backups_store_find_org (self, org_name, NULL);
  g_autoptr (BackupsAccount) account = NULL;

  if (org == NULL)
    org = backups_store_add_org (self, org_name, error);
  if (org == NULL)
    return FALSE;
  account = backups_store_add_account (self, backups_org_get_id (org), provider, name, base_url,
                                       secret_id, error);
  return account != NULL;
}

gboolean
backups_store_rebuild (BackupsStore          *self,
                       GPtrArray             *owners,
                       BackupsRebuildReport **report,
                       GError               **error)
{
  g_autoptr (BackupsRebuildReport) result = g_new0 (BackupsRebuildReport, 1);
  g_autoptr (GPtrArray) org_names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) accounts
    = g_ptr_array_new_with_free_func ((GDestroyNotify)old_account_free);
  g_autoptr (GHashTable) kept_ids = g_hash_table_new (g_str_hash, g_str_equal);

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_thread_self () == self->owner, FALSE);

  result->kept = g_ptr_array_new_with_free_func (g_free);
  result->from_keyring = g_ptr_array_new_with_free_func (g_free);
  result->lost = g_ptr_array_new_with_free_func (g_free);

  close_all_connections (self);
  read_what_is_left (self->path, org_names, accounts);

  result->moved_to = move_aside (self->path, error);
  if (result->moved_to == NULL || !open_file (self, error))
    {
      g_clear_pointer (&self->db, close_connection);
      mark_damaged (self);
      return FALSE;
    }
  g_atomic_int_set (&self->damaged, 0);

  for (guint i = 0; i < org_names->len; i++)
    {
      g_autoptr (BackupsOrg) org = backups_store_add_org (self, org_names->pdata[i], NULL);
    }

  for (guint i = 0; i < accounts->len; i++)
    {
      OldAccount               *account = accounts->pdata[i];
      const BackupsSecretOwner *owner = NULL;

      /* An account whose organization is lost takes it from the keyring. */
      for (guint k = 0; account->org_name == NULL && owners != NULL && k < owners->len; k++)
        {
          const BackupsSecretOwner *candidate = owners->pdata[k];

          if (g_strcmp0 (candidate->secret_id, account->secret_id) == 0)
            owner = candidate;
        }
      if (account->org_name == NULL && (owner == NULL || owner->org_name == NULL))
        {
          g_ptr_array_add (result->lost,
                           g_strdup_printf (_ ("Account ‘%s’ could not be recovered: add it again "
                                               "under Accounts."),
                                            account->name));
          g_hash_table_add (kept_ids, account->secret_id);
          continue;
        }
      if (!add_recovered_account (self, account->org_name ? account->org_name : owner->org_name,
                                  account->provider ? account->provider : "gridpane", account->name,
                                  account->base_url, account->secret_id, NULL))
        continue;
      g_hash_table_add (kept_ids, account->secret_id);
      g_ptr_array_add (result->kept,
                       g_strdup_printf ("%s / %s",
                                        account->org_name ? account->org_name : owner->org_name,
                                        account->name));
    }

  for (guint k = 0; owners != NULL && k < owners->len; k++)
    {
      const BackupsSecretOwner *owner = owners->pdata[k];

      if (g_hash_table_contains (kept_ids, owner->secret_id))
        continue;
      if (owner->org_name == NULL || owner->account_name == NULL || owner->base_url == NULL)
        {
          g_ptr_array_add (result->lost,
                           g_strdup (_ ("A token in the keyring belongs to an account whose name "
                                        "could not be read: add that account again under "
                                        "Accounts.")));
          continue;
        }
      if (!add_recovered_account (self, owner->org_name, "gridpane", owner->account_name,
                                  owner->base_url, owner->secret_id, NULL))
        {
          g_ptr_array_add (result->lost,
                           g_strdup_printf (_ ("Account ‘%s’ could not be recovered: add it "
                                               "again under Accounts."),
                                            owner->account_name));
          continue;
        }
      g_ptr_array_add (result->from_keyring,
                       g_strdup_printf ("%s / %s", owner->org_name, owner->account_name));
    }

  /* Everything is new to every reader. */
  self->data_version = read_data_version (self->db);
  queue_notify_damaged (self);
  queue_changed (self);

  if (report != NULL)
    *report = g_steal_pointer (&result);
  return TRUE;
}

GPtrArray *
backups_store_list_secret_owners (BackupsStore *self, gint64 org_id, GError **error)
{
  g_autoptr (GPtrArray) accounts = backups_store_list_accounts (self, org_id, error);
  GPtrArray *owners;

  if (accounts == NULL)
    return NULL;
  owners = g_ptr_array_new_with_free_func ((GDestroyNotify)backups_secret_owner_free);
  for (guint i = 0; i < accounts->len; i++)
    {
      BackupsAccount *account = accounts->pdata[i];

      g_ptr_array_add (owners, backups_secret_owner_new (backups_account_get_secret_id (account),
                                                         backups_account_get_org_name (account),
                                                         backups_account_get_name (account),
                                                         backups_account_get_base_url (account)));
    }
  return owners;
}
