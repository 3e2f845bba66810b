/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-files.c
 *
 * The cache file itself: its permissions, the integrity check, and the
 * rebuild of a damaged file from what is left of it and the keyring.
 */
#include "config.h"

#include "backups-store-private.h"

#include "backups-provider.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gi18n.h>
#include <glib/gstdio.h>
#include <unistd.h>

#include "backups-error.h"

/* The data folder is private (0700) and so is the database (0600), even
 * with a permissive umask: the cache tells which sites an agency hosts. */
gboolean
backups_store_prepare_files (const char *path, GError **error)
{
  g_autofree char *dir = g_path_get_dirname (path);
  struct stat      st;
  int              fd;

  if (g_mkdir_with_parents (dir, 0700) != 0)
    {
      int saved = errno;

      if (!backups_store_set_file_error (error, SQLITE_CANTOPEN, saved, path, "create its folder"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not create the data folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }
  /* Only ever takes rights away: a folder its owner made read-only stays
   * read-only (and then says so), one readable by others becomes private. */
  if (g_stat (dir, &st) == 0 && (st.st_mode & 077) != 0 && g_chmod (dir, st.st_mode & 0700) != 0)
    {
      int saved = errno;

      if (!backups_store_set_file_error (error, SQLITE_CANTOPEN, saved, path, "protect its folder"))
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE,
                     _ ("Could not protect the data folder %s: %s"), dir, g_strerror (saved));
      return FALSE;
    }

  fd = g_open (path, O_RDWR | O_CREAT | O_CLOEXEC, 0600);
  if (fd < 0)
    {
      int saved = errno;

      if (!backups_store_set_file_error (error, SQLITE_CANTOPEN, saved, path, "open it"))
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

void
backups_store_protect_sidecar_files (const char *path)
{
  static const char *const suffixes[] = { "-wal", "-shm" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *sidecar = g_strconcat (path, suffixes[i], NULL);

      if (g_file_test (sidecar, G_FILE_TEST_EXISTS))
        g_chmod (sidecar, 0600);
    }
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
    return backups_store_set_damaged_error (error, self->path);

  /* A connection of its own, on whichever thread this runs. */
  db = backups_store_acquire_connection (self, error);
  if (db == NULL)
    return FALSE;

  /* quick_check reads every page and checks each b-tree's structure
   * (not that indexes match their tables, which integrity_check would, at
   * ten times the cost): what a bad sector or a stray write leaves. */
  if (sqlite3_prepare_v2 (db, "PRAGMA quick_check", -1, &stmt, NULL) != SQLITE_OK)
    ok = backups_store_set_db_error (error, db, "check the cache");
  while (ok && (rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      const char *line = (const char *)sqlite3_column_text (stmt, 0);

      if (g_strcmp0 (line, "ok") != 0)
        {
          g_debug ("quick_check of %s: %s", self->path, line);
          backups_store_mark_damaged (self);
          backups_store_set_damaged_error (error, self->path);
          ok = FALSE;
        }
    }
  if (ok && rc != SQLITE_DONE)
    ok = backups_store_set_db_error (error, db, "check the cache");

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

  backups_store_close_all_connections (self);
  read_what_is_left (self->path, org_names, accounts);

  result->moved_to = move_aside (self->path, error);
  if (result->moved_to == NULL || !backups_store_open_file (self, error))
    {
      g_clear_pointer (&self->db, backups_store_close_connection);
      backups_store_mark_damaged (self);
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
                                  account->provider ? account->provider : BACKUPS_PROVIDER_KIND_GRIDPANE, account->name,
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
      if (!add_recovered_account (self, owner->org_name, BACKUPS_PROVIDER_KIND_GRIDPANE, owner->account_name,
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
  self->data_version = backups_store_read_data_version (self->db);
  backups_store_queue_notify_damaged (self);
  backups_store_queue_changed (self);

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
