/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-preferences-window.h: the Preferences window. Accounts:
 * organizations and their accounts, added, renamed and removed through
 * BackupsAccountManager. Policy: what makes a site Protected, in
 * GSettings. */
#pragma once

#include <adwaita.h>

#include "backups-account-manager.h"
#include "backups-sync-service.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_PREFERENCES_WINDOW (backups_preferences_window_get_type ())

G_DECLARE_FINAL_TYPE (BackupsPreferencesWindow,
                      backups_preferences_window,
                      BACKUPS,
                      PREFERENCES_WINDOW,
                      AdwPreferencesWindow)

/* `sync_service` (nullable) syncs a new account at once; `settings`
 * (nullable: the app's own schema) holds the policy; `org_id` (or 0) is
 * the organization the add form offers first. */
BackupsPreferencesWindow *backups_preferences_window_new (GtkWindow             *parent,
                                                          BackupsAccountManager *manager,
                                                          BackupsSyncService    *sync_service,
                                                          GSettings             *settings,
                                                          gint64                 org_id);

/* Shows the Accounts page (with the add form's name field focused when
 * there is no account yet) or the Policy page. */
void backups_preferences_window_show_page (BackupsPreferencesWindow *self, const char *name);

G_END_DECLS
