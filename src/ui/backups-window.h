/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-window.h: the main window. It reads only from the store, through
 * live query models, and asks the sync service for syncs. */
#pragma once

#include <adwaita.h>

#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_WINDOW (backups_window_get_type ())

G_DECLARE_FINAL_TYPE (BackupsWindow, backups_window, BACKUPS, WINDOW, AdwApplicationWindow)

/* `application` may be NULL (tests); `secrets`, where rebuilding a damaged
 * cache finds lost accounts, may be NULL; `settings` NULL means the app's
 * own GSettings schema. */
BackupsWindow *backups_window_new (GtkApplication     *application,
                                   BackupsStore       *store,
                                   BackupsSecrets     *secrets,
                                   BackupsSyncService *sync_service,
                                   GSettings          *settings);

gint64 backups_window_get_org_id (BackupsWindow *self);
/* Shows the organization with this id, if it exists. */
void backups_window_select_org (BackupsWindow *self, gint64 org_id);
/* Shows the page "sites" (where the window opens), "schedules" or
 * "integrations". */
void backups_window_show_page (BackupsWindow *self, const char *name);
/* Syncs every account of the shown organization, unless a sync runs. */
void backups_window_sync (BackupsWindow *self);
/* Shows transient news (an account added, a sync with errors) over the
 * window's content. Takes the toast. */
void backups_window_add_toast (BackupsWindow *self, AdwToast *toast);

G_END_DECLS
