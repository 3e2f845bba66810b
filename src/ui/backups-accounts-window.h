/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-accounts-window.h: organizations and their accounts: adds, renames
 * and removes both, through BackupsAccountManager. */
#pragma once

#include <gtk/gtk.h>

#include "backups-account-manager.h"
#include "backups-sync-service.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_ACCOUNTS_WINDOW (backups_accounts_window_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsAccountsWindow, backups_accounts_window, BACKUPS, ACCOUNTS_WINDOW, GtkWindow)

/* `sync_service` (nullable) syncs a new account at once; `org_id` (or 0)
 * is the organization the add form offers first. */
BackupsAccountsWindow *backups_accounts_window_new (GtkWindow             *parent,
                                                    BackupsAccountManager *manager,
                                                    BackupsSyncService    *sync_service,
                                                    gint64                 org_id);

G_END_DECLS
