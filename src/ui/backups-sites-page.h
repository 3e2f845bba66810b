/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sites-page.h: the Sites page, the window's landing page: one row
 * per site with its health, worst first, a summary of the counts whose
 * toggles filter the list, and a details panel for the selected site that
 * says what to change in GridPane. */
#pragma once

#include <gtk/gtk.h>

#include "backups-list-page.h"
#include "backups-sites-model.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SITES_PAGE (backups_sites_page_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSitesPage, backups_sites_page, BACKUPS, SITES_PAGE, BackupsListPage)

/* The page's model; also its list page model (backups_list_page_set_model). */
void backups_sites_page_set_sites_model (BackupsSitesPage *self, BackupsSitesModel *model);
/* Shows the Organization column (the All Organizations view). */
void backups_sites_page_set_show_organizations (BackupsSitesPage *self, gboolean show);
/* Opens the details panel on `position` of the shown rows (tests, Enter
 * and double-click); G_MAXUINT closes it. */
void backups_sites_page_show_details (BackupsSitesPage *self, guint position);

G_END_DECLS
