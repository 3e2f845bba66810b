/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-damaged-page.h: what the window shows instead of its lists while
 * the store is damaged: where the cache is, why nothing is shown, and the
 * one way out, rebuilding it from GridPane. */
#pragma once

#include <gtk/gtk.h>

#include "backups-secrets.h"
#include "backups-store.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_DAMAGED_PAGE (backups_damaged_page_get_type ())

G_DECLARE_FINAL_TYPE (BackupsDamagedPage, backups_damaged_page, BACKUPS, DAMAGED_PAGE, GtkWidget)

/* The store it names and rebuilds. */
void backups_damaged_page_set_store (BackupsDamagedPage *self, BackupsStore *store);
/* Where the rebuild looks for accounts whose rows are lost; NULL: only the
 * accounts the damaged file still holds are kept. */
void     backups_damaged_page_set_secrets (BackupsDamagedPage *self, BackupsSecrets *secrets);
gboolean backups_damaged_page_get_rebuilding (BackupsDamagedPage *self);

G_END_DECLS
