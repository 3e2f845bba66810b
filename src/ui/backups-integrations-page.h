/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-integrations-page.h: the Integrations page, a list page over a
 * live integrations model. */
#pragma once

#include <gtk/gtk.h>

#include "backups-list-page.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_INTEGRATIONS_PAGE (backups_integrations_page_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsIntegrationsPage, backups_integrations_page, BACKUPS, INTEGRATIONS_PAGE, BackupsListPage)

G_END_DECLS
