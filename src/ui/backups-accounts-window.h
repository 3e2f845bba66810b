/* backups-accounts-window.h: organizations and their accounts: adds, renames
 * and removes both. A new account's token is checked with GridPane first, then
 * kept in the secret store only. */
#pragma once

#include <gtk/gtk.h>

#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_ACCOUNTS_WINDOW (backups_accounts_window_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsAccountsWindow, backups_accounts_window, BACKUPS, ACCOUNTS_WINDOW, GtkWindow)

BackupsAccountsWindow *backups_accounts_window_new (GtkWindow          *parent,
                                                    BackupsStore       *store,
                                                    BackupsSecrets     *secrets,
                                                    BackupsSyncService *sync_service,
                                                    gint64              org_id);

G_END_DECLS
