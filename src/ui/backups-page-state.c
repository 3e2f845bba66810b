/* backups-page-state.c */
#include "config.h"

#include "backups-page-state.h"

#include "backups-format.h"

void
backups_page_show_state (const BackupsPageWidgets *widgets,
                         BackupsQueryModel        *model,
                         const char               *org_name,
                         gboolean                  has_accounts,
                         const char               *empty_title)
{
  const char *page;

  if (model != NULL && backups_query_model_get_loading (model))
    page = "loading";
  else if (model == NULL || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
    page = "empty";
  else
    page = "list";

  gtk_spinner_set_spinning (widgets->spinner, g_str_equal (page, "loading"));

  if (g_str_equal (page, "empty"))
    {
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      gboolean         offer_sync = FALSE;
      gboolean         offer_add = FALSE;

      backups_format_empty_state (org_name, has_accounts, empty_title, &title, &description,
                                  &offer_sync, &offer_add);
      gtk_label_set_label (widgets->empty_title, title);
      gtk_label_set_markup (widgets->empty_description, description);
      gtk_widget_set_visible (widgets->empty_sync_button, offer_sync);
      gtk_widget_set_visible (widgets->empty_add_button, offer_add);
    }

  gtk_stack_set_visible_child_name (widgets->stack, page);
}

void
backups_page_connect_view (GtkWidget          *page,
                           GtkFilterListModel *filter_model,
                           BackupsQueryModel  *model)
{
  GListModel *connected = gtk_filter_list_model_get_model (filter_model);

  /* Once connected, a page follows its model whether shown or not. */
  if (connected == G_LIST_MODEL (model) || (!gtk_widget_get_mapped (page) && connected == NULL))
    return;

  gtk_filter_list_model_set_model (filter_model, G_LIST_MODEL (model));
}

guint
backups_page_get_n_shown (GtkWidget          *page,
                          GtkFilterListModel *filter_model,
                          BackupsQueryModel  *model)
{
  if (model == NULL)
    return 0;

  if (gtk_filter_list_model_get_model (filter_model) != G_LIST_MODEL (model))
    {
      /* Not connected yet: without a filter, every row would show. */
      if (gtk_filter_list_model_get_filter (filter_model) == NULL)
        return g_list_model_get_n_items (G_LIST_MODEL (model));
      gtk_filter_list_model_set_model (filter_model, G_LIST_MODEL (model));
    }
  return g_list_model_get_n_items (G_LIST_MODEL (filter_model));
}
