/* SPDX-License-Identifier: GPL-3.0-or-later */
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
#include <glib/gi18n.h>

#include "backups-error.h"

#define POLL_INTERVAL_MS 1000
#define MAX_POOLED 4

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
  PROP_PATH,
  PROP_DAMAGED,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Connections ------------------------------------------------------------- */

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

      if (!backups_store_set_file_error (error, db != NULL ? sqlite3_extended_errcode (db) : rc,
                                         sys_errno, self->path, "open it"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not open the cache %s: %s"), self->path,
                     db ? sqlite3_errmsg (db) : g_strerror (ENOMEM));
      sqlite3_close (db);
      return NULL;
    }

  backups_store_register_connection (self, db);

  sqlite3_busy_timeout (db, BACKUPS_STORE_BUSY_TIMEOUT_MS);
  sqlite3_extended_result_codes (db, 1);

  /* WAL is a property of the file, set once by backups_store_open(). */
  if (!backups_store_exec (db,
                           "PRAGMA synchronous = NORMAL;"
                           "PRAGMA foreign_keys = ON;",
                           "set up the connection", NULL))
    {
      /* The first statement reads the header and the schema: a plain
       * error there ("unsupported file format") is a damaged file. */
      if ((sqlite3_errcode (db) & 0xff) == SQLITE_ERROR)
        backups_store_set_damaged_error (error, self->path);
      else
        backups_store_set_db_error (error, db, "set up the connection");
      backups_store_close_connection (db);
      return NULL;
    }

  return db;
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

  /* An idle connection keeps no page cache. The next write by any other
   * connection makes SQLite drop it anyway (WAL), and the worker that read
   * 50,000 rows would otherwise leave 2 MB of pages per pooled connection
   * resident while nothing reads. */
  sqlite3_db_release_memory (db);

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
    backups_store_close_connection (db);
}

gboolean
backups_store_conn_open (BackupsStoreConn *conn, BackupsStore *self, GError **error)
{
  conn->store = self;
  conn->db = NULL;
  conn->pooled = FALSE;
  /* Nothing is read from a damaged cache, nor written to it: what is left
   * of it could only be shown as if it were the truth. */
  if (backups_store_is_damaged (self))
    return backups_store_set_damaged_error (error, self->path);
  conn->pooled = g_thread_self () != self->owner;
  if (!conn->pooled)
    {
      conn->db = self->db;
      return TRUE;
    }
  conn->db = backups_store_acquire_connection (self, error);
  return conn->db != NULL;
}

void
backups_store_conn_close (BackupsStoreConn *conn)
{
  if (conn->pooled && conn->db != NULL)
    backups_store_release_connection (conn->store, conn->db);
  conn->db = NULL;
}

/* Opens `conn` and prepares `sql` on it; NULL (with the connection given
 * back when `conn` is cleared) on failure. */
sqlite3_stmt *
backups_store_conn_prepare (BackupsStoreConn *conn,
                            BackupsStore     *self,
                            const char       *sql,
                            GError          **error)
{
  if (!backups_store_conn_open (conn, self, error))
    return NULL;
  return backups_store_prepare (conn->db, sql, error);
}

GPtrArray *
backups_store_query_org_rows (BackupsStore       *self,
                              const char         *sql,
                              gint64              org_id,
                              BackupsStoreRowFunc from_row,
                              const char         *what,
                              GError            **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = backups_store_conn_prepare (&conn, self, sql, error);
  g_autoptr (GPtrArray) rows = NULL;
  int rc;

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, org_id);
  rows = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (rows, from_row (stmt));
  if (rc != SQLITE_DONE)
    {
      backups_store_set_db_error (error, conn.db, what);
      return NULL;
    }
  return g_steal_pointer (&rows);
}

void
backups_store_close_all_connections (BackupsStore *self)
{
  g_clear_pointer (&self->db, backups_store_close_connection);
  g_mutex_lock (&self->pool_lock);
  for (guint i = 0; i < self->pool->len; i++)
    backups_store_close_connection (g_ptr_array_index (self->pool, i));
  g_ptr_array_set_size (self->pool, 0);
  /* Those lent to workers are closed when they come back. */
  self->generation++;
  g_mutex_unlock (&self->pool_lock);
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

void
backups_store_record_unknown_change (BackupsStore *self)
{
  g_mutex_lock (&self->log_lock);
  self->full_serial = ++self->serial;
  g_array_set_size (self->log, 0);
  g_mutex_unlock (&self->log_lock);
}

/* `remote_ids` NULL or empty: a change that wrote no schedule, server,
 * site or integration row (an account's sync status). */
void
backups_store_record_schedule_changes (BackupsStore *self, gint64 account_id, GArray *remote_ids)
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
void
backups_store_queue_changed_recorded (BackupsStore *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->changed_pending, 0, 1))
    return;

  /* Always through an idle, never synchronously: callers are in the middle
   * of their own work, and the signal belongs to the store's thread. */
  attach_idle (self, emit_changed_idle, "[backups] store changed");
}

/* Called after every commit whose rows are not recorded one by one. */
void
backups_store_queue_changed (BackupsStore *self)
{
  backups_store_record_unknown_change (self);
  backups_store_queue_changed_recorded (self);
}

void
backups_store_check_external_changes (BackupsStore *self)
{
  gint64 version;

  g_return_if_fail (BACKUPS_IS_STORE (self));

  /* A file damaged from the start may have no connection. */
  if (self->db == NULL)
    return;
  version = backups_store_read_data_version (self->db);
  if (version != self->data_version)
    {
      self->data_version = version;
      backups_store_record_unknown_change (self);
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
void
backups_store_queue_notify_damaged (BackupsStore *self)
{
  if (g_atomic_int_compare_and_exchange (&self->damaged_pending, 0, 1))
    attach_idle (self, notify_damaged_idle, "[backups] store damaged");
}

void
backups_store_mark_damaged (BackupsStore *self)
{
  if (!g_atomic_int_compare_and_exchange (&self->damaged, 0, 1))
    return;
  g_debug ("The cache at %s is damaged", self->path);
  backups_store_queue_notify_damaged (self);
  backups_store_queue_changed (self);
}

gboolean
backups_store_is_damaged (BackupsStore *self)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), TRUE);

  return g_atomic_int_get (&self->damaged) != 0;
}

/* Object ------------------------------------------------------------------ */

static void
backups_store_finalize (GObject *object)
{
  BackupsStore *self = (BackupsStore *)object;

  g_clear_handle_id (&self->poll_id, g_source_remove);
  g_clear_pointer (&self->db, backups_store_close_connection);
  if (self->pool != NULL)
    {
      for (guint i = 0; i < self->pool->len; i++)
        backups_store_close_connection (g_ptr_array_index (self->pool, i));
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
    case PROP_PATH:
      g_value_set_string (value, self->path);
      break;
    case PROP_DAMAGED:
      g_value_set_boolean (value, backups_store_is_damaged (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_store_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BackupsStore *self = BACKUPS_STORE (object);

  switch (prop_id)
    {
    case PROP_PATH:
      self->path = g_value_get_string (value) != NULL ? g_value_dup_string (value)
                                                      : backups_store_default_path ();
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
  object_class->set_property = backups_store_set_property;

  /**
   * BackupsStore:path:
   *
   * The database file; NULL at construction means the default,
   * $XDG_DATA_HOME/org.example.Backups/backups.db.
   */
  properties[PROP_PATH] = g_param_spec_string (
    "path", NULL, NULL, NULL, G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);

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
  /* The thread that makes the store owns its connection and its signals. */
  self->context = g_main_context_ref_thread_default ();
  self->owner = g_thread_self ();
}

char *
backups_store_default_path (void)
{
  return g_build_filename (g_get_user_data_dir (), APP_ID, "backups.db", NULL);
}

gboolean
backups_store_open_file (BackupsStore *self, GError **error)
{
  if (!backups_store_prepare_files (self->path, error))
    return FALSE;

  self->db = open_connection (self, error);
  if (self->db == NULL)
    return FALSE;

  /* A database from a newer Backups is left exactly as it is. */
  if (!backups_store_check_not_too_new (self->db, self->path, error))
    return FALSE;

  /* Only an upgrade takes the write lock: opening a current cache must not
   * wait for another program's write transaction, which readers need not. */
  if (!backups_store_exec (self->db, "PRAGMA journal_mode = WAL", "switch to write-ahead logging",
                           error)
      || (backups_store_read_user_version (self->db) != BACKUPS_STORE_SCHEMA_VERSION
          && !backups_store_migrate (self->db, self->path, error))
      || !backups_store_check_schema (self, error))
    return FALSE;

  backups_store_protect_sidecar_files (self->path);
  self->data_version = backups_store_read_data_version (self->db);
  return TRUE;
}

BackupsStore *
backups_store_open (const char *path, GError **error)
{
  g_autoptr (BackupsStore) self = NULL;
  g_autoptr (GError) local_error = NULL;
  GSource *source;

  self = g_object_new (BACKUPS_TYPE_STORE, "path", path, NULL);

  if (!backups_store_open_file (self, &local_error))
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
