/* backups-page-state.h: the loading / empty / list states that both list
 * pages show the same way. */
#pragma once

#include <gtk/gtk.h>

#include "backups-query-model.h"

G_BEGIN_DECLS

typedef struct
{
  GtkStack   *stack; /* pages "loading", "empty", "list" */
  GtkSpinner *spinner;
  GtkLabel   *empty_title;
  GtkLabel   *empty_description;
  GtkWidget  *empty_sync_button;
  GtkWidget  *empty_add_button;
} BackupsPageWidgets;

/* Shows the page the model's state calls for: the spinner while it has no
 * result yet, the empty state (with `empty_title` and the next step) when
 * it has no rows, else the list. */
void backups_page_show_state (const BackupsPageWidgets *widgets,
                              BackupsQueryModel        *model,
                              const char               *org_name,
                              gboolean                  has_accounts,
                              const char               *empty_title);

/* A list view builds the widgets of its first rows (up to 200) as soon as
 * its model has them, shown or not. A page therefore gives its view the
 * model only once it is mapped: call this from set_model and from map. */
void backups_page_connect_view (GtkWidget          *page,
                                GtkFilterListModel *filter_model,
                                BackupsQueryModel  *model);

/* The rows the page's view shows, or would show once connected. */
guint backups_page_get_n_shown (GtkWidget          *page,
                                GtkFilterListModel *filter_model,
                                BackupsQueryModel  *model);

G_END_DECLS
