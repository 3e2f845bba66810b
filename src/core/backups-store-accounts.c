/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-accounts.c
 *
 * Organizations and accounts: adding, renaming, removing and finding them,
 * and the bookkeeping of their syncs.
 */
#include "config.h"

#include "backups-store-private.h"

#include <glib/gi18n.h>

#include "backups-error.h"
#include "backups-name.h"

/* Organizations and accounts are renamed and removed the same way; what
 * differs is the table and the words. */
typedef struct
{
  const char      *rename_sql;
  const char      *delete_sql;
  BackupsNameKind  kind;
  BackupsErrorCode missing_code;
  const char      *missing_message;
} NamedRows;

static const NamedRows org_rows = {
  "UPDATE orgs SET name = ? WHERE id = ?",
  "DELETE FROM orgs WHERE id = ?",
  BACKUPS_NAME_ORG,
  BACKUPS_ERROR_NO_SUCH_ORG,
  N_ ("The organization no longer exists."),
};

static const NamedRows account_rows = {
  "UPDATE accounts SET name = ? WHERE id = ?",
  "DELETE FROM accounts WHERE id = ?",
  BACKUPS_NAME_ACCOUNT,
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

  backups_store_queue_changed (self);
  return TRUE;
}

/* The store's own connection, for the calls that run on its thread; none
 * from a damaged cache (whose connection may not even exist). */
static sqlite3 *
owner_db (BackupsStore *self, GError **error)
{
  if (backups_store_is_damaged (self) || self->db == NULL)
    {
      backups_store_set_damaged_error (error, self->path);
      return NULL;
    }
  return self->db;
}

static gboolean
rename_row (
  BackupsStore *self, const NamedRows *rows, gint64 id, const char *new_name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  if (!backups_name_check (rows->kind, new_name, error))
    return FALSE;

  if (owner_db (self, error) == NULL)
    return FALSE;
  stmt = backups_store_prepare (self->db, rows->rename_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_text (stmt, 1, new_name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, id);

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) != SQLITE_CONSTRAINT_UNIQUE)
        backups_store_set_db_error (error, self->db, "rename");
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
  stmt = backups_store_prepare (self->db, rows->delete_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, id);
  if (!backups_store_step_done (self->db, stmt, "remove", error))
    return FALSE;

  return finish_row_change (self, rows, error);
}

/* Organizations ------------------------------------------------------------ */

BackupsOrg *
backups_store_add_org (BackupsStore *self, const char *name, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (!backups_name_check (BACKUPS_NAME_ORG, name, error))
    return NULL;

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt
    = backups_store_prepare (self->db, "INSERT INTO orgs (name, created_at) VALUES (?, ?)", error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_STATIC);
  sqlite3_bind_int64 (stmt, 2, backups_store_now ());

  if (sqlite3_step (stmt) != SQLITE_DONE)
    {
      if (sqlite3_extended_errcode (self->db) == SQLITE_CONSTRAINT_UNIQUE)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                     _ ("An organization named ‘%s’ already exists."), name);
      else
        backups_store_set_db_error (error, self->db, "add the organization");
      return NULL;
    }

  backups_store_queue_changed (self);
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
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  int rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  stmt = backups_store_conn_prepare (
    &conn, self, "SELECT id, name FROM orgs ORDER BY name COLLATE NOCASE, id", error);
  if (stmt == NULL)
    return NULL;

  orgs = g_ptr_array_new_with_free_func (g_object_unref);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    g_ptr_array_add (orgs, backups_org_new (sqlite3_column_int64 (stmt, 0),
                                            (const char *)sqlite3_column_text (stmt, 1)));
  if (rc != SQLITE_DONE)
    {
      backups_store_set_db_error (error, conn.db, "list the organizations");
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
  stmt = backups_store_prepare (self->db, "SELECT id, name FROM orgs WHERE name = ?", error);
  if (stmt == NULL)
    return NULL;
  backups_store_bind_text_or_null (stmt, 1, name);

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
      backups_store_set_db_error (error, self->db, "find the organization");
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

  if (!backups_name_check (BACKUPS_NAME_ACCOUNT, name, error))
    return NULL;

  if (owner_db (self, error) == NULL)
    return NULL;
  stmt = backups_store_prepare (
    self->db,
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
  sqlite3_bind_int64 (stmt, 6, backups_store_now ());

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
        backups_store_set_db_error (error, self->db, "add the account");
      return NULL;
    }

  backups_store_queue_changed (self);
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
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  return backups_store_query_org_rows (
    self, "SELECT " ACCOUNT_COLUMNS "WHERE a.org_id = ? ORDER BY a.name COLLATE NOCASE, a.id",
    org_id, (BackupsStoreRowFunc)account_from_row, "list the accounts", error);
}

static BackupsAccount *
lookup_account (BackupsStore *self, const char *where, gint64 id, const char *name, GError **error)
{
  g_autofree char *sql = g_strconcat ("SELECT " ACCOUNT_COLUMNS, where, NULL);
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = backups_store_conn_prepare (&conn, self, sql, error);

  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, id);
  if (name != NULL)
    sqlite3_bind_text (stmt, 2, name, -1, SQLITE_STATIC);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      return account_from_row (stmt);
    case SQLITE_DONE:
      if (name != NULL)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                     _ ("The organization has no account named ‘%s’."), name);
      else
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                     _ ("The account no longer exists."));
      return NULL;
    default:
      backups_store_set_db_error (error, conn.db, "find the account");
      return NULL;
    }
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
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = backups_store_conn_prepare (&conn, self, sql, error);

  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, backups_store_now ());
  if (message != NULL)
    sqlite3_bind_text (stmt, 3, message, -1, SQLITE_STATIC);
  if (!backups_store_step_done (conn.db, stmt, "record the sync status", error))
    return FALSE;

  /* The account's status only: no row of any list changed. */
  backups_store_record_schedule_changes (self, account_id, NULL);
  backups_store_queue_changed_recorded (self);
  return TRUE;
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

/* One number about the org (?1), given `arg` as ?2 when the query has one. */
static gint64
org_scalar (BackupsStore *self, const char *sql, gint64 org_id, gint64 arg, GError **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = backups_store_conn_prepare (&conn, self, sql, error);

  if (stmt == NULL)
    return -1;
  sqlite3_bind_int64 (stmt, 1, org_id);
  if (sqlite3_bind_parameter_count (stmt) >= 2)
    sqlite3_bind_int64 (stmt, 2, arg);
  if (sqlite3_step (stmt) != SQLITE_ROW)
    {
      backups_store_set_db_error (error, conn.db, "read the cache");
      return -1;
    }
  return sqlite3_column_int64 (stmt, 0);
}

gboolean
backups_store_org_first_sync_pending (BackupsStore *self,
                                      gint64        org_id,
                                      guint         sync_timeout_seconds,
                                      GError      **error)
{
  gint64 abandoned_before;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);

  /* A sync whose process died keeps saying "syncing"; past twice the sync
   * time limit nobody is working on it any more. */
  abandoned_before = backups_store_now () - 2 * (gint64)sync_timeout_seconds;
  return org_scalar (self,
                     "SELECT COUNT (*) > 0"
                     "  AND SUM (last_success_at IS NOT NULL) = 0"
                     "  AND SUM (last_sync_status = 'syncing' AND last_sync_started_at > ?2) > 0 "
                     "FROM accounts WHERE org_id = ?1",
                     org_id, abandoned_before, error)
         == 1;
}

gint64
backups_store_org_last_synced (BackupsStore *self, gint64 org_id, GError **error)
{
  gint64 value;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), 0);

  value
    = org_scalar (self, "SELECT IFNULL (MAX (last_success_at), 0) FROM accounts WHERE org_id = ?",
                  org_id, 0, error);
  return MAX (value, 0);
}

gboolean
backups_store_get_last_sync_counts (BackupsStore       *self,
                                    gint64              account_id,
                                    BackupsApplyCounts *counts,
                                    GError            **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (counts != NULL, FALSE);

  stmt = backups_store_conn_prepare (
    &conn, self,
    "SELECT inserted, updated, deleted, unchanged, unreadable FROM sync_runs "
    "WHERE account_id = ? AND status = 'ok' ORDER BY id DESC LIMIT 1",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, account_id);

  switch (sqlite3_step (stmt))
    {
    case SQLITE_ROW:
      counts->inserted = (guint)sqlite3_column_int64 (stmt, 0);
      counts->updated = (guint)sqlite3_column_int64 (stmt, 1);
      counts->deleted = (guint)sqlite3_column_int64 (stmt, 2);
      counts->unchanged = (guint)sqlite3_column_int64 (stmt, 3);
      counts->unreadable = (guint)sqlite3_column_int64 (stmt, 4);
      return TRUE;
    case SQLITE_DONE:
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                   _ ("The account has not synced yet."));
      return FALSE;
    default:
      backups_store_set_db_error (error, conn.db, "read the sync runs");
      return FALSE;
    }
}
