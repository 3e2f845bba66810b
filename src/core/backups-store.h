/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store.h
 *
 * The SQLite store: the app's single source of truth. The window and the
 * CLI read only from here; the sync service writes here through
 * backups_store_apply_snapshot() and nothing else writes rows.
 *
 * The object lives on the thread that opened it and emits ::changed there
 * after every commit, its own or another process's. The functions marked
 * "any thread" use a connection of their own and may run in a worker.
 */
#pragma once

#include <gio/gio.h>

#include "backups-account.h"
#include "backups-integration.h"
#include "backups-org.h"
#include "backups-records.h"
#include "backups-schedule.h"
#include "backups-secrets.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_STORE (backups_store_get_type ())

G_DECLARE_FINAL_TYPE (BackupsStore, backups_store, BACKUPS, STORE, GObject)

/* The schema version this build writes. */
#define BACKUPS_STORE_SCHEMA_VERSION 5

/* $XDG_DATA_HOME/org.example.Backups/backups.db */
char *backups_store_default_path (void);

/* Opens (creating and migrating as needed) the database at `path`, or the
 * default path when NULL. The folder is made 0700 and the file 0600. */
BackupsStore *backups_store_open (const char *path, GError **error);
const char   *backups_store_get_path (BackupsStore *self);

/* Damage. When SQLite finds the file corrupt (any statement, at any time,
 * or the integrity check) the store is damaged: every read and write fails
 * with BACKUPS_ERROR_DATABASE_DAMAGED, so that no one shows what is left as
 * data, until backups_store_rebuild(). A file damaged when opened still
 * gives a store, damaged from the start. The "damaged" property is notified
 * on the store's context. Errors on the file name it and say what to do:
 * BACKUPS_ERROR_DATABASE_FULL, _READ_ONLY, _LOCKED, _TOO_NEW. */
gboolean backups_store_is_damaged (BackupsStore *self);

/* PRAGMA quick_check; FALSE with BACKUPS_ERROR_DATABASE_DAMAGED (and the
 * store damaged) when it finds damage. Any thread; the async form runs it
 * in a worker so that start-up does not wait. */
gboolean backups_store_check_integrity (BackupsStore *self, GError **error);
void     backups_store_check_integrity_async (BackupsStore       *self,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean
backups_store_check_integrity_finish (BackupsStore *self, GAsyncResult *result, GError **error);

/* The BackupsSecretOwner of every account of the org: what its keyring
 * items should say after a rename (backups_secrets_update_owner()). */
GPtrArray *backups_store_list_secret_owners (BackupsStore *self, gint64 org_id, GError **error);

/* What a rebuild kept, recovered and lost; each array holds sentences or
 * "Organization / Account" names for people. */
typedef struct
{
  char      *moved_to;     /* where the damaged file went */
  GPtrArray *kept;         /* accounts read back from the damaged file */
  GPtrArray *from_keyring; /* accounts recovered from their keyring items */
  GPtrArray *lost;         /* what could not be recovered, and what to do */
} BackupsRebuildReport;

void backups_rebuild_report_free (BackupsRebuildReport *report);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsRebuildReport, backups_rebuild_report_free)

/* Rebuilds a damaged cache in place, on the store's thread: reads what it
 * can of the organizations and accounts (name, base URL, keyring
 * reference), moves the file aside as backups.db.damaged-YYYYMMDD-HHMMSS
 * (with its -wal and -shm), creates a fresh cache at the same path, and
 * writes back the organizations and accounts read, then those of `owners`
 * (BackupsSecretOwner of the keyring, may be NULL) whose rows were lost.
 * Tokens never leave the keyring. The store is no longer damaged and its
 * models read the new file; a sync fills it. Works on a healthy store too. */
gboolean backups_store_rebuild (BackupsStore          *self,
                                GPtrArray             *owners,
                                BackupsRebuildReport **report,
                                GError               **error);

/* Organizations (names are unique). */
BackupsOrg *backups_store_add_org (BackupsStore *self, const char *name, GError **error);
gboolean
backups_store_rename_org (BackupsStore *self, gint64 org_id, const char *new_name, GError **error);
/* Deletes the org, its accounts and all their rows. */
gboolean    backups_store_remove_org (BackupsStore *self, gint64 org_id, GError **error);
GPtrArray  *backups_store_list_orgs (BackupsStore *self, GError **error); /* BackupsOrg, by name; any thread */
BackupsOrg *backups_store_find_org (BackupsStore *self,
                                    const char   *name,
                                    GError      **error); /* BACKUPS_ERROR_NO_SUCH_ORG */

/* Accounts (names are unique within an org). */
BackupsAccount *backups_store_add_account (BackupsStore *self,
                                           gint64        org_id,
                                           const char   *provider,
                                           const char   *name,
                                           const char   *base_url,
                                           const char   *secret_id,
                                           GError      **error);
gboolean        backups_store_rename_account (BackupsStore *self,
                                              gint64        account_id,
                                              const char   *new_name,
                                              GError      **error);
/* Deletes the account and all its rows. */
gboolean backups_store_remove_account (BackupsStore *self, gint64 account_id, GError **error);
/* BackupsAccount, by name. Any thread. */
GPtrArray      *backups_store_list_accounts (BackupsStore *self, gint64 org_id, GError **error);
BackupsAccount *backups_store_find_account (BackupsStore *self,
                                            gint64        org_id,
                                            const char   *name,
                                            GError      **error); /* NO_SUCH_ACCOUNT */
/* Any thread. */
BackupsAccount *backups_store_get_account (BackupsStore *self, gint64 account_id, GError **error);

/* Sync bookkeeping, any thread. */
gboolean backups_store_begin_sync (BackupsStore *self, gint64 account_id, GError **error);
/* Restores the status the account had before begin_sync (cancellation). */
gboolean backups_store_abandon_sync (BackupsStore *self, gint64 account_id, GError **error);
gboolean backups_store_record_sync_failure (BackupsStore *self,
                                            gint64        account_id,
                                            const char   *message,
                                            GError      **error);

/* Applies one account's snapshot in one transaction: upserts every row,
 * writes nothing for unchanged rows, deletes the account's rows that the
 * snapshot no longer has. On error nothing changes. Records a sync_runs
 * row and sets the account's status to ok. Any thread. */
gboolean backups_store_apply_snapshot (BackupsStore       *self,
                                       gint64              account_id,
                                       BackupsSnapshot    *snapshot,
                                       BackupsApplyCounts *counts,
                                       GError            **error);
/* Runs backups_store_apply_snapshot() in a worker thread. Takes ownership
 * of `snapshot`. Once the thread has begun, cancellation is not checked:
 * the transaction either commits whole or not at all. */
void     backups_store_apply_snapshot_async (BackupsStore       *self,
                                             gint64              account_id,
                                             BackupsSnapshot    *snapshot,
                                             GCancellable       *cancellable,
                                             GAsyncReadyCallback callback,
                                             gpointer            user_data);
gboolean backups_store_apply_snapshot_finish (BackupsStore       *self,
                                              GAsyncResult       *result,
                                              BackupsApplyCounts *counts,
                                              GError            **error);

/* Queries, scoped to one organization, any thread. Schedules come in the
 * order the window opens with (see backups_store_foreach_first_schedules()),
 * integrations by (account_id, remote id). */
GPtrArray *backups_store_query_schedules (BackupsStore *self,
                                          gint64        org_id,
                                          GError      **error); /* BackupsSchedule */
GPtrArray *backups_store_query_integrations (BackupsStore *self,
                                             gint64        org_id,
                                             GError      **error); /* BackupsIntegration */

/* One schedule row of backups_store_foreach_schedule(). Its strings are
 * interned GRefStrings (g_ref_string_new_intern()) that the store holds for
 * the call: g_ref_string_acquire() one to keep it. */
typedef void (*BackupsScheduleRowFunc) (const BackupsScheduleFields *row, gpointer user_data);

/* The most (account_id, remote_id) pairs one keyed query takes. */
#define BACKUPS_STORE_MAX_KEYS 64

/* Calls `func` for each of the org's schedule rows, in (account_id, remote
 * id) order, without building objects. With `keys` (gint64 pairs of
 * account_id and remote_id), only for the rows with those keys that the
 * org still has, in no particular order. One read transaction. Any
 * thread. */
gboolean backups_store_foreach_schedule (BackupsStore          *self,
                                         gint64                 org_id,
                                         GArray                *keys,
                                         BackupsScheduleRowFunc func,
                                         gpointer               user_data,
                                         GError               **error);

/* Calls `func` for the org's first `n` schedule rows in the order the
 * window lists them: by site URL compared ASCII-case-insensitively, then
 * bytewise, then by (account_id, remote id). An index gives that order,
 * so this costs about `n` rows whatever the org's size. Any thread. */
gboolean backups_store_foreach_first_schedules (BackupsStore          *self,
                                                gint64                 org_id,
                                                guint                  n,
                                                BackupsScheduleRowFunc func,
                                                gpointer               user_data,
                                                GError               **error);

/* Change hints for live models. Every change the store makes or sees
 * bumps its change serial. backups_store_get_schedule_changes() sets
 * `serial` to the current one and, when the schedule rows written after
 * `since` are known, appends their (account_id, remote_id) pairs to `keys`
 * (gint64) and returns TRUE; no pair means no schedule row changed (say,
 * only an account's sync status). It returns FALSE when that is not known
 * (servers, sites, integrations, organizations or accounts changed, or
 * another process committed): re-read everything then. Any thread. */
guint64  backups_store_get_change_serial (BackupsStore *self);
gboolean backups_store_get_schedule_changes (BackupsStore *self,
                                             guint64       since,
                                             guint64      *serial,
                                             GArray       *keys);

/* How long a sync may run before it is stopped, unless set otherwise
 * (BackupsSyncService:timeout). */
#define BACKUPS_STORE_DEFAULT_SYNC_TIMEOUT_SECONDS (5 * 60)

/* TRUE when the org has accounts, none has ever finished a sync, and one is
 * syncing now: the lists should show a spinner, not "empty". A sync that
 * started more than twice `sync_timeout_seconds` ago is taken for one whose
 * process died. Any thread. */
gboolean backups_store_org_first_sync_pending (BackupsStore *self,
                                               gint64        org_id,
                                               guint         sync_timeout_seconds,
                                               GError      **error);

/* Newest last_sync_finished_at over the org's accounts with status ok, in
 * unix seconds; 0 when never. Any thread. */
gint64 backups_store_org_last_synced (BackupsStore *self, gint64 org_id, GError **error);

/* The counts of the account's newest successful sync run. Fails with
 * BACKUPS_ERROR_NO_SUCH_ACCOUNT when it has none. Any thread. */
gboolean backups_store_get_last_sync_counts (BackupsStore       *self,
                                             gint64              account_id,
                                             BackupsApplyCounts *counts,
                                             GError            **error);

/* Checks now for commits by other processes and emits ::changed if there
 * were any. The store also polls by itself about once a second. SQLite
 * does not tell them from this process's own commits, so those are
 * reported once more here, as changes whose rows are not known. */
void backups_store_check_external_changes (BackupsStore *self);

/* Restore points (backups-store-restore-points.c) -------------------------- */

/* Replaces one site's restore points with `points`
 * (BackupsRestorePointRecord) in one transaction and notes when they were
 * read and how many names could not be, so a later crawl knows the site's
 * turn. The site's earlier points stay when this fails. A site the account
 * no longer has (a sync removed it meanwhile) keeps nothing: FALSE with
 * BACKUPS_ERROR_NOT_FOUND. Any thread. */
gboolean backups_store_replace_restore_points (BackupsStore *self,
                                               gint64        account_id,
                                               gint64        site_id,
                                               GPtrArray    *points,
                                               guint         n_unreadable,
                                               gint64        checked_at,
                                               GError      **error);

/* A site of the cache as a command line names it. */
typedef struct
{
  gint64 account_id;
  char  *account_name;
  gint64 site_id;
  char  *url;
  gint64 restore_points_checked_at; /* 0: never */
} BackupsSiteRef;

void backups_site_ref_free (BackupsSiteRef *ref);
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSiteRef, backups_site_ref_free)

/* The org's sites whose URL is `url`, ASCII case ignored, with or without
 * a scheme ("https://") or a trailing slash; one per account that has it,
 * by account name. Any thread. */
GPtrArray *backups_store_find_sites (BackupsStore *self,
                                     gint64        org_id,
                                     const char   *url,
                                     GError      **error); /* BackupsSiteRef */

/* One site's restore points, newest first, scoped to `org_id`: another
 * organization's account reads nothing. *checked_at is when they were read
 * (0: never). Any thread. */
GPtrArray *backups_store_list_restore_points (BackupsStore *self,
                                              gint64        org_id,
                                              gint64        account_id,
                                              gint64        site_id,
                                              gint64       *checked_at,
                                              GError      **error); /* BackupsRestorePointRecord */

G_END_DECLS
