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

G_END_DECLS
