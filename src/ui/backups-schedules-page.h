/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-schedules-page.h: the Schedules page, a list page over a live
 * schedules model. */
#pragma once

#include <gtk/gtk.h>

#include "backups-list-page.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SCHEDULES_PAGE (backups_schedules_page_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsSchedulesPage, backups_schedules_page, BACKUPS, SCHEDULES_PAGE, BackupsListPage)

G_END_DECLS
