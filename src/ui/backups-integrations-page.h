/* backups-integrations-page.h: the Integrations page: a spinner, an empty
 * state or a sortable, searchable column view over a live integrations model. */
#pragma once

#include <gtk/gtk.h>

#include "backups-query-model.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_INTEGRATIONS_PAGE (backups_integrations_page_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsIntegrationsPage, backups_integrations_page, BACKUPS, INTEGRATIONS_PAGE, GtkWidget)

BackupsQueryModel *backups_integrations_page_get_model (BackupsIntegrationsPage *self);
void backups_integrations_page_set_model (BackupsIntegrationsPage *self, BackupsQueryModel *model);
void backups_integrations_page_set_search_text (BackupsIntegrationsPage *self, const char *text);
/* What the empty state suggests: `org_name` NULL when there is no
 * organization at all. */
void backups_integrations_page_set_context (BackupsIntegrationsPage *self,
                                            const char              *org_name,
                                            gboolean                 has_accounts);
/* Rows shown after the search filter. */
guint backups_integrations_page_get_n_shown (BackupsIntegrationsPage *self);

G_END_DECLS
