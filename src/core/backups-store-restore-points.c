/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-restore-points.c: the restore points the background crawl
 * reads, one site at a time. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-error.h"
#include "backups-store-private.h"

static const char *
kind_to_text (BackupsRestorePointKind kind)
{
  return kind == BACKUPS_RESTORE_POINT_MANUAL ? "manual" : "automatic";
}

static gboolean
replace_in_transaction (sqlite3    *db,
                        gint64      account_id,
                        gint64      site_id,
                        GPtrArray  *points,
                        guint       n_unreadable,
                        gint64      checked_at,
                        GError    **error)
{
  g_autoptr (sqlite3_stmt) mark = NULL;
  g_autoptr (sqlite3_stmt) clear = NULL;
  g_autoptr (sqlite3_stmt) insert = NULL;

  /* The site first: one the sync removed gets no points. */
  mark = backups_store_prepare (db,
                                "UPDATE sites SET restore_points_checked_at = ?3,"
                                "  restore_points_unreadable = ?4"
                                " WHERE account_id = ?1 AND remote_id = ?2",
                                error);
  if (mark == NULL)
    return FALSE;
  sqlite3_bind_int64 (mark, 1, account_id);
  sqlite3_bind_int64 (mark, 2, site_id);
  sqlite3_bind_int64 (mark, 3, checked_at);
  sqlite3_bind_int64 (mark, 4, n_unreadable);
  if (!backups_store_step_done (db, mark, "save the restore points", error))
    return FALSE;
  if (sqlite3_changes (db) == 0)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NOT_FOUND,
                   _ ("The site is no longer in the cache; its restore points were not saved."));
      return FALSE;
    }

  clear = backups_store_prepare (
    db, "DELETE FROM restore_points WHERE account_id = ?1 AND site_remote_id = ?2", error);
  if (clear == NULL)
    return FALSE;
  sqlite3_bind_int64 (clear, 1, account_id);
  sqlite3_bind_int64 (clear, 2, site_id);
  if (!backups_store_step_done (db, clear, "save the restore points", error))
    return FALSE;

  insert = backups_store_prepare (db,
                                  "INSERT INTO restore_points"
                                  "  (account_id, site_remote_id, source, kind, name, taken_at, tag)"
                                  " VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7)",
                                  error);
  if (insert == NULL)
    return FALSE;
  for (guint i = 0; i < points->len; i++)
    {
      const BackupsRestorePointRecord *point = g_ptr_array_index (points, i);

      sqlite3_reset (insert);
      sqlite3_bind_int64 (insert, 1, account_id);
      sqlite3_bind_int64 (insert, 2, site_id);
      sqlite3_bind_text (insert, 3, point->source, -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 4, kind_to_text (point->kind), -1, SQLITE_STATIC);
      sqlite3_bind_text (insert, 5, point->name, -1, SQLITE_STATIC);
      sqlite3_bind_int64 (insert, 6, point->taken_at);
      backups_store_bind_text_or_null (insert, 7, point->tag);
      if (!backups_store_step_done (db, insert, "save the restore points", error))
        return FALSE;
    }
  return TRUE;
}

gboolean
backups_store_replace_restore_points (BackupsStore *self,
                                      gint64        account_id,
                                      gint64        site_id,
                                      GPtrArray    *points,
                                      guint         n_unreadable,
                                      gint64        checked_at,
                                      GError      **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  gboolean ok;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (points != NULL, FALSE);

  if (!backups_store_conn_open (&conn, self, error))
    return FALSE;

  ok = backups_store_exec (conn.db, "BEGIN IMMEDIATE", "start saving the restore points", error)
       && replace_in_transaction (conn.db, account_id, site_id, points, n_unreadable, checked_at,
                                  error)
       && backups_store_exec (conn.db, "COMMIT", "save the restore points", error);
  if (!ok && !sqlite3_get_autocommit (conn.db))
    backups_store_exec (conn.db, "ROLLBACK", "roll back", NULL);
  backups_store_conn_close (&conn);
  if (!ok)
    return FALSE;

  backups_store_protect_sidecar_files (self->path);
  /* No schedule row changed: the schedule lists keep their rows. */
  backups_store_record_schedule_changes (self, account_id, NULL);
  backups_store_queue_changed_recorded (self);
  return TRUE;
}

GPtrArray *
backups_store_list_restore_points (BackupsStore *self,
                                   gint64        org_id,
                                   gint64        account_id,
                                   gint64        site_id,
                                   gint64       *checked_at,
                                   GError      **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) site = NULL;
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  int rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  *checked_at = 0;
  site = backups_store_conn_prepare (&conn, self,
                                     "SELECT si.restore_points_checked_at FROM sites si"
                                     " JOIN accounts a ON a.id = si.account_id"
                                     " WHERE a.org_id = ?1 AND si.account_id = ?2"
                                     "   AND si.remote_id = ?3",
                                     error);
  if (site == NULL)
    return NULL;
  sqlite3_bind_int64 (site, 1, org_id);
  sqlite3_bind_int64 (site, 2, account_id);
  sqlite3_bind_int64 (site, 3, site_id);
  rc = sqlite3_step (site);
  if (rc == SQLITE_DONE)
    return g_steal_pointer (&points);
  if (rc != SQLITE_ROW)
    {
      backups_store_set_db_error (error, conn.db, "read the restore points");
      return NULL;
    }
  *checked_at = sqlite3_column_int64 (site, 0);

  stmt = backups_store_prepare (conn.db,
                                "SELECT source, kind, name, taken_at, tag FROM restore_points"
                                " WHERE account_id = ?1 AND site_remote_id = ?2"
                                " ORDER BY taken_at DESC, source, kind, name",
                                error);
  if (stmt == NULL)
    return NULL;
  sqlite3_bind_int64 (stmt, 1, account_id);
  sqlite3_bind_int64 (stmt, 2, site_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BackupsRestorePointRecord *point = backups_restore_point_record_new ();

      point->source = backups_store_column_strdup (stmt, 0);
      point->kind = g_strcmp0 ((const char *)sqlite3_column_text (stmt, 1), "manual") == 0
                      ? BACKUPS_RESTORE_POINT_MANUAL
                      : BACKUPS_RESTORE_POINT_AUTOMATIC;
      point->name = backups_store_column_strdup (stmt, 2);
      point->taken_at = sqlite3_column_int64 (stmt, 3);
      point->tag = backups_store_column_strdup (stmt, 4);
      g_ptr_array_add (points, point);
    }
  if (rc != SQLITE_DONE)
    {
      backups_store_set_db_error (error, conn.db, "read the restore points");
      return NULL;
    }
  return g_steal_pointer (&points);
}

void
backups_site_ref_free (BackupsSiteRef *ref)
{
  if (ref == NULL)
    return;
  g_free (ref->account_name);
  g_free (ref->url);
  g_free (ref);
}

/* "shop.example.com" of "https://Shop.example.com/". */
static char *
bare_url (const char *url)
{
  const char *start = strstr (url, "://");
  g_autofree char *bare = g_strdup (start != NULL ? start + 3 : url);
  gsize len = strlen (bare);

  while (len > 0 && bare[len - 1] == '/')
    bare[--len] = '\0';
  return g_ascii_strdown (bare, -1);
}

GPtrArray *
backups_store_find_sites (BackupsStore *self, gint64 org_id, const char *url, GError **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autoptr (GPtrArray) refs = g_ptr_array_new_with_free_func ((GDestroyNotify)backups_site_ref_free);
  g_autofree char *wanted = bare_url (url);
  int rc;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  stmt = backups_store_conn_prepare (&conn, self,
                                     "SELECT si.account_id, a.name, si.remote_id, si.url,"
                                     "  si.restore_points_checked_at"
                                     " FROM sites si JOIN accounts a ON a.id = si.account_id"
                                     " WHERE a.org_id = ?1 AND lower (si.url) IN (?2, ?3, ?4)"
                                     " ORDER BY a.name COLLATE NOCASE, si.account_id, si.remote_id",
                                     error);
  if (stmt == NULL)
    return NULL;
  {
    g_autofree char *https = g_strconcat ("https://", wanted, NULL);
    g_autofree char *http = g_strconcat ("http://", wanted, NULL);

    sqlite3_bind_int64 (stmt, 1, org_id);
    sqlite3_bind_text (stmt, 2, wanted, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 3, https, -1, SQLITE_TRANSIENT);
    sqlite3_bind_text (stmt, 4, http, -1, SQLITE_TRANSIENT);
  }
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BackupsSiteRef *ref = g_new0 (BackupsSiteRef, 1);

      ref->account_id = sqlite3_column_int64 (stmt, 0);
      ref->account_name = backups_store_column_strdup (stmt, 1);
      ref->site_id = sqlite3_column_int64 (stmt, 2);
      ref->url = backups_store_column_strdup (stmt, 3);
      ref->restore_points_checked_at = sqlite3_column_int64 (stmt, 4);
      g_ptr_array_add (refs, ref);
    }
  if (rc != SQLITE_DONE)
    {
      backups_store_set_db_error (error, conn.db, "find the site");
      return NULL;
    }
  return g_steal_pointer (&refs);
}
