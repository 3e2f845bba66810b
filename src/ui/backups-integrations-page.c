/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-integrations-page.c */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-format.h"
#include "backups-integration.h"
#include "backups-integrations-page.h"
#include "backups-schedule-time.h"
#include "backups-text-cell.h"

struct _BackupsIntegrationsPage
{
  BackupsListPage parent_instance;

  /* Template children */
  GtkColumnViewColumn *name_column;
  GtkColumnViewColumn *storage_column;
  GtkColumnViewColumn *region_column;
  GtkColumnViewColumn *account_column;
  GtkColumnViewColumn *used_by_column;
  GtkColumnViewColumn *id_column;
  GtkCustomSorter     *name_sorter;
  GtkCustomSorter     *storage_sorter;
  GtkCustomSorter     *region_sorter;
  GtkCustomSorter     *account_sorter;
};

G_DEFINE_FINAL_TYPE (BackupsIntegrationsPage, backups_integrations_page, BACKUPS_TYPE_LIST_PAGE)

/* Cell text, of an integration. */

static char *
integration_name_text (BackupsIntegration *integration)
{
  return integration ? g_strdup (backups_integration_get_name (integration)) : NULL;
}

static char *
integration_storage_text (BackupsIntegration *integration)
{
  const char *service;

  if (integration == NULL)
    return NULL;

  service = backups_integration_get_service (integration);
  return g_strdup (service ? backups_storage_kind_label (service) : "—");
}

static char *
integration_region_text (BackupsIntegration *integration)
{
  const char *region;

  if (integration == NULL)
    return NULL;

  region = backups_integration_get_region (integration);
  return g_strdup (region != NULL && *region != '\0' ? region : "—");
}

static char *
integration_account_text (BackupsIntegration *integration)
{
  return integration ? g_strdup (backups_integration_get_account_name (integration)) : NULL;
}

static char *
integration_used_by_text (BackupsIntegration *integration)
{
  guint used_by;

  if (integration == NULL)
    return NULL;

  used_by = backups_integration_get_used_by (integration);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u schedule", "%u schedules", used_by),
                          used_by);
}

static char *
integration_id_text (BackupsIntegration *integration)
{
  if (integration == NULL)
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          backups_integration_get_integration_id (integration));
}

/* The storage column sorts by what it shows, the kind's label. */
static int
compare_storage (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const char *x = backups_integration_get_service ((BackupsIntegration *)a);
  const char *y = backups_integration_get_service ((BackupsIntegration *)b);

  return backups_compare_text (x ? backups_storage_kind_label (x) : NULL,
                               y ? backups_storage_kind_label (y) : NULL);
}

static gint64
integration_used_by_key (BackupsIntegration *integration)
{
  return integration ? backups_integration_get_used_by (integration) : 0;
}

static gint64
integration_id_key (BackupsIntegration *integration)
{
  return integration ? backups_integration_get_integration_id (integration) : 0;
}

/* The search matches name, storage, region and account. */
static gboolean
integration_matches (gpointer item, const char *needle)
{
  BackupsIntegration *integration = item;
  const char         *service = backups_integration_get_service (integration);

  return backups_text_matches (backups_integration_get_name (integration), needle)
         || (service != NULL && backups_text_matches (backups_storage_kind_label (service), needle))
         || backups_text_matches (backups_integration_get_region (integration), needle)
         || backups_text_matches (backups_integration_get_account_name (integration), needle);
}

static void
backups_integrations_page_class_init (BackupsIntegrationsPageClass *klass)
{
  GtkWidgetClass       *widget_class = GTK_WIDGET_CLASS (klass);
  BackupsListPageClass *list_page_class = BACKUPS_LIST_PAGE_CLASS (klass);

  list_page_class->matches = integration_matches;

  g_type_ensure (BACKUPS_TYPE_INTEGRATION);

  backups_list_page_class_set_template_from_resource (
    widget_class, "/org/example/Backups/ui/backups-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, name_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, storage_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, region_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, account_sorter);

  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, storage_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, region_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, account_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, used_by_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, id_column);
  gtk_widget_class_bind_template_callback (widget_class, integration_used_by_key);
  gtk_widget_class_bind_template_callback (widget_class, integration_id_key);

  gtk_widget_class_set_css_name (widget_class, "integrationspage");
}

static void
backups_integrations_page_init (BackupsIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  /* Counts and ids align right. */
  backups_text_cell_set_column (self->name_column, (BackupsCellTextFunc)integration_name_text, NULL,
                                0);
  backups_text_cell_set_column (self->storage_column, (BackupsCellTextFunc)integration_storage_text,
                                NULL, 0);
  backups_text_cell_set_column (self->region_column, (BackupsCellTextFunc)integration_region_text,
                                NULL, 0);
  backups_text_cell_set_column (self->account_column, (BackupsCellTextFunc)integration_account_text,
                                NULL, 0);
  backups_text_cell_set_column (self->used_by_column, (BackupsCellTextFunc)integration_used_by_text,
                                NULL, 1);
  backups_text_cell_set_column (self->id_column, (BackupsCellTextFunc)integration_id_text, NULL, 1);

  backups_list_page_sort_by_text (self->name_sorter,
                                  (BackupsItemTextFunc)backups_integration_get_name);
  gtk_custom_sorter_set_sort_func (self->storage_sorter, compare_storage, NULL, NULL);
  backups_list_page_sort_by_text (self->region_sorter,
                                  (BackupsItemTextFunc)backups_integration_get_region);
  backups_list_page_sort_by_text (self->account_sorter,
                                  (BackupsItemTextFunc)backups_integration_get_account_name);
  gtk_column_view_sort_by_column (gtk_column_view_column_get_column_view (self->name_column),
                                  self->name_column, GTK_SORT_ASCENDING);
}
