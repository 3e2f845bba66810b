/* backups-schedules-page.h: the Schedules page: a spinner, an empty state
 * or a sortable, searchable column view over a live schedules model. */
#pragma once

#include <gtk/gtk.h>

#include "backups-query-model.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SCHEDULES_PAGE (backups_schedules_page_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsSchedulesPage, backups_schedules_page, BACKUPS, SCHEDULES_PAGE, GtkWidget)

BackupsQueryModel *backups_schedules_page_get_model (BackupsSchedulesPage *self);
void backups_schedules_page_set_model (BackupsSchedulesPage *self, BackupsQueryModel *model);
void backups_schedules_page_set_search_text (BackupsSchedulesPage *self, const char *text);
/* What the empty state suggests: `org_name` NULL when there is no
 * organization at all. */
void backups_schedules_page_set_context (BackupsSchedulesPage *self,
                                         const char           *org_name,
                                         gboolean              has_accounts);
/* Rows shown after the search filter. */
guint backups_schedules_page_get_n_shown (BackupsSchedulesPage *self);

G_END_DECLS
