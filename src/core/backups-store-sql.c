/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-sql.c
 *
 * What every file of the store uses to run a statement: errors in words
 * (and damage noticed by any statement), and small binding helpers.
 */
#include "config.h"

#include "backups-store-private.h"

#include <errno.h>
#include <glib/gi18n.h>

#include "backups-error.h"

/* Which store each open connection belongs to, so that an error from any
 * statement anywhere can mark its store damaged. */
static GMutex      owners_lock;
static GHashTable *owners; /* sqlite3 * → BackupsStore * (not a reference) */

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

void
backups_store_register_connection (BackupsStore *self, sqlite3 *db)
{
  g_mutex_lock (&owners_lock);
  if (owners == NULL)
    owners = g_hash_table_new (NULL, NULL);
  g_hash_table_insert (owners, db, self);
  g_mutex_unlock (&owners_lock);
}

gboolean
backups_store_set_damaged_error (GError **error, const char *path)
{
  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
               _ ("The cache at %s is damaged. Rebuild it from GridPane."), path);
  return FALSE;
}

/* A sentence for what went wrong with the cache file at `path`, naming it
 * and what to do; FALSE when the code is not one of those. */
gboolean
backups_store_set_file_error (
  GError **error, int code, int sys_errno, const char *path, const char *what)
{
  int primary = code & 0xff;

  if (primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB)
    backups_store_set_damaged_error (error, path);
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
                 path, BACKUPS_STORE_BUSY_TIMEOUT_MS / 1000, what);
  else
    return FALSE;
  return TRUE;
}

gboolean
backups_store_set_db_error (GError **error, sqlite3 *db, const char *what)
{
  int code = sqlite3_extended_errcode (db);
  int primary = code & 0xff;
  g_autoptr (BackupsStore) store = owner_of (db);
  const char *path = sqlite3_db_filename (db, "main");

  /* Damage found by any statement makes the whole store damaged: no
   * reader may go on showing what is left as if it were data. */
  if ((primary == SQLITE_CORRUPT || primary == SQLITE_NOTADB) && store != NULL)
    backups_store_mark_damaged (store);

  if (backups_store_set_file_error (error, code, sqlite3_system_errno (db),
                                    store != NULL ? store->path : (path != NULL ? path : ""), what))
    return FALSE;

  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE, _ ("Could not %s in the cache: %s"),
               what, sqlite3_errmsg (db));
  return FALSE;
}

gboolean
backups_store_exec (sqlite3 *db, const char *sql, const char *what, GError **error)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    return backups_store_set_db_error (error, db, what);
  return TRUE;
}

sqlite3_stmt *
backups_store_prepare (sqlite3 *db, const char *sql, GError **error)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    {
      backups_store_set_db_error (error, db, "prepare a statement");
      return NULL;
    }
  return stmt;
}

gboolean
backups_store_step_done (sqlite3 *db, sqlite3_stmt *stmt, const char *what, GError **error)
{
  if (sqlite3_step (stmt) != SQLITE_DONE)
    return backups_store_set_db_error (error, db, what);
  return TRUE;
}

void
backups_store_bind_text_or_null (sqlite3_stmt *stmt, int index, const char *text)
{
  if (text != NULL)
    sqlite3_bind_text (stmt, index, text, -1, SQLITE_TRANSIENT);
  else
    sqlite3_bind_null (stmt, index);
}

gint64
backups_store_column_int_or_none (sqlite3_stmt *stmt, int column)
{
  if (sqlite3_column_type (stmt, column) == SQLITE_NULL)
    return BACKUPS_NO_VALUE;
  return sqlite3_column_int64 (stmt, column);
}

char *
backups_store_column_strdup (sqlite3_stmt *stmt, int column)
{
  return g_strdup ((const char *)sqlite3_column_text (stmt, column));
}

/* The column's text as an interned GRefString, or NULL. */
char *
backups_store_column_intern (sqlite3_stmt *stmt, int column)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  return text != NULL ? g_ref_string_new_intern (text) : NULL;
}

gint64
backups_store_now (void)
{
  return g_get_real_time () / G_USEC_PER_SEC;
}

/* The number a PRAGMA answers; -1 when it cannot be read. */
static gint64
read_pragma (sqlite3 *db, const char *pragma)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (sqlite3_prepare_v2 (db, pragma, -1, &stmt, NULL) != SQLITE_OK)
    return -1;
  if (sqlite3_step (stmt) != SQLITE_ROW)
    return -1;
  return sqlite3_column_int64 (stmt, 0);
}

int
backups_store_read_user_version (sqlite3 *db)
{
  return (int)read_pragma (db, "PRAGMA user_version");
}

gint64
backups_store_read_data_version (sqlite3 *db)
{
  return read_pragma (db, "PRAGMA data_version");
}

void
backups_store_close_connection (sqlite3 *db)
{
  if (db == NULL)
    return;
  g_mutex_lock (&owners_lock);
  if (owners != NULL)
    g_hash_table_remove (owners, db);
  g_mutex_unlock (&owners_lock);
  sqlite3_close (db);
}
