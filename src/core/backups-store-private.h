/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-private.h: for the core's own tests and the store's files.
 *
 * The store is one object written in several files, each about one job
 * (backups-store.c: the object, its connections and its change signal;
 * -sql.c: statements and their errors; -schema.c; -files.c: the file's
 * permissions, integrity and rebuild; -accounts.c; -apply.c; -read.c).
 * What they share is declared here.
 */
#pragma once

#include <sqlite3.h>

#include "backups-store.h"

G_BEGIN_DECLS

/* The SQL that creates schema version 1, so tests can build an old
 * database and watch it migrate. */
extern const char backups_store_schema_v1[];

/* Borrows a connection of the store's pool (any thread) and gives it back. */
sqlite3 *backups_store_acquire_connection (BackupsStore *self, GError **error);
void     backups_store_release_connection (BackupsStore *self, sqlite3 *db);

/* How long a statement waits for another program's lock. */
#define BACKUPS_STORE_BUSY_TIMEOUT_MS 10000

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

G_DEFINE_AUTOPTR_CLEANUP_FUNC (sqlite3_stmt, sqlite3_finalize)

/* Statements and their errors (backups-store-sql.c) */
void     backups_store_register_connection (BackupsStore *self, sqlite3 *db);
void     backups_store_close_connection (sqlite3 *db);
gboolean backups_store_set_file_error (
  GError **error, int code, int sys_errno, const char *path, const char *what);
gboolean      backups_store_set_damaged_error (GError **error, const char *path);
gboolean      backups_store_set_db_error (GError **error, sqlite3 *db, const char *what);
gboolean      backups_store_exec (sqlite3 *db, const char *sql, const char *what, GError **error);
sqlite3_stmt *backups_store_prepare (sqlite3 *db, const char *sql, GError **error);
gboolean
       backups_store_step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error);
void   backups_store_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text);
gint64 backups_store_column_int_or_none (sqlite3_stmt *stmt, int column);
char  *backups_store_column_strdup (sqlite3_stmt *stmt, int column);
char  *backups_store_column_intern (sqlite3_stmt *stmt, int column);
int    backups_store_read_user_version (sqlite3 *db);
gint64 backups_store_read_data_version (sqlite3 *db);
gint64 backups_store_now (void);

/* Schema (backups-store-schema.c) */
gboolean backups_store_check_not_too_new (sqlite3 *db, const char *path, GError **error);
gboolean backups_store_migrate (sqlite3 *db, const char *path, GError **error);
gboolean backups_store_check_schema (BackupsStore *self, GError **error);

/* The file (backups-store-files.c) */
gboolean backups_store_prepare_files (const char *path, GError **error);
void     backups_store_protect_sidecar_files (const char *path);

/* The object (backups-store.c) */
gboolean backups_store_open_file (BackupsStore *self, GError **error);
void     backups_store_close_all_connections (BackupsStore *self);
void     backups_store_mark_damaged (BackupsStore *self);
void     backups_store_queue_notify_damaged (BackupsStore *self);
void     backups_store_record_unknown_change (BackupsStore *self);
void
backups_store_record_schedule_changes (BackupsStore *self, gint64 account_id, GArray *remote_ids);
void backups_store_queue_changed_recorded (BackupsStore *self);
void backups_store_queue_changed (BackupsStore *self);

/* A connection for the calling thread: the store's own on its thread, one
 * from the pool elsewhere. */
typedef struct
{
  BackupsStore *store;
  sqlite3      *db;
  gboolean      pooled;
} BackupsStoreConn;

gboolean backups_store_conn_open (BackupsStoreConn *conn, BackupsStore *self, GError **error);
void     backups_store_conn_close (BackupsStoreConn *conn);

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BackupsStoreConn, backups_store_conn_close)

/* Declare a g_auto() connection before the statements prepared on it: they
 * are then finalized before it goes back to the pool. */
sqlite3_stmt *backups_store_conn_prepare (BackupsStoreConn *conn,
                                          BackupsStore     *self,
                                          const char       *sql,
                                          GError          **error);

/* The objects `from_row` makes of each row of `sql`, given the org's id as
 * its only parameter. */
typedef gpointer (*BackupsStoreRowFunc) (sqlite3_stmt *stmt);
GPtrArray *backups_store_query_org_rows (BackupsStore       *self,
                                         const char         *sql,
                                         gint64              org_id,
                                         BackupsStoreRowFunc from_row,
                                         const char         *what,
                                         GError            **error);

G_END_DECLS
