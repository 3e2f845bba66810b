/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sync-service.h
 *
 * Runs syncs: for each account it looks up the token, asks the provider for
 * every resource it has (one request at a time per account), and hands the
 * whole snapshot to the store in one transaction. Accounts run in parallel;
 * a request for an account already syncing joins the running sync.
 */
#pragma once

#include <gio/gio.h>

#include "backups-provider.h"
#include "backups-secrets.h"
#include "backups-store.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SYNC_SERVICE (backups_sync_service_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSyncService, backups_sync_service, BACKUPS, SYNC_SERVICE, GObject)

#define BACKUPS_SYNC_DEFAULT_TIMEOUT_SECONDS BACKUPS_STORE_DEFAULT_SYNC_TIMEOUT_SECONDS

BackupsSyncService *backups_sync_service_new (BackupsStore          *store,
                                              BackupsSecrets        *secrets,
                                              BackupsProviderFactory factory,
                                              gpointer               factory_data);

gboolean backups_sync_service_get_syncing (BackupsSyncService *self);
gboolean backups_sync_service_is_account_syncing (BackupsSyncService *self, gint64 account_id);

/* A sync still running after this many seconds fails as "timed out". */
void backups_sync_service_set_timeout (BackupsSyncService *self, guint seconds);

void     backups_sync_service_sync_account_async (BackupsSyncService *self,
                                                  gint64              account_id,
                                                  GCancellable       *cancellable,
                                                  GAsyncReadyCallback callback,
                                                  gpointer            user_data);
gboolean backups_sync_service_sync_account_finish (BackupsSyncService *self,
                                                   GAsyncResult       *result,
                                                   GError            **error);

/* Syncs every account of the org in parallel. Fails when any account failed;
 * the error then lists each failed account's message, one per line. */
void     backups_sync_service_sync_org_async (BackupsSyncService *self,
                                              gint64              org_id,
                                              GCancellable       *cancellable,
                                              GAsyncReadyCallback callback,
                                              gpointer            user_data);
gboolean backups_sync_service_sync_org_finish (BackupsSyncService *self,
                                               GAsyncResult       *result,
                                               GError            **error);

/* Cancels every running sync; cancelled syncs write nothing. */
void backups_sync_service_cancel_all (BackupsSyncService *self);

G_END_DECLS
