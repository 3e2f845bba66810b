/* backups-integrations-page.c */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-format.h"
#include "backups-page-state.h"
#include "backups-integration.h"
#include "backups-integrations-page.h"
#include "backups-schedule-time.h"

struct _BackupsIntegrationsPage
{
  GtkWidget parent_instance;

  BackupsQueryModel *model;
  gulong             loading_id;
  gulong             n_items_id;
  char              *org_name;
  gboolean           has_accounts;

  /* Template children */
  GtkStack            *stack;
  GtkSpinner          *spinner;
  GtkLabel            *loading_label;
  GtkLabel            *empty_title;
  GtkLabel            *empty_description;
  GtkButton           *empty_button;
  GtkButton           *empty_add_button;
  GtkColumnView       *column_view;
  GtkColumnViewColumn *name_column;
  GtkSingleSelection  *selection;
  GtkFilterListModel  *filter_model;
  GtkCustomFilter     *search_filter;
  GtkCustomSorter     *name_sorter;
  GtkCustomSorter     *storage_sorter;
  GtkCustomSorter     *region_sorter;
  GtkCustomSorter     *account_sorter;
  char                *search_needle;
  GtkFilter           *active_filter;
};

G_DEFINE_FINAL_TYPE (BackupsIntegrationsPage, backups_integrations_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_N_SHOWN,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Cell text: (list item, integration or NULL while unbound). */

static char *
integration_name_text (gpointer list_item, BackupsIntegration *integration)
{
  return integration ? g_strdup (backups_integration_get_name (integration)) : NULL;
}

static char *
integration_storage_text (gpointer list_item, BackupsIntegration *integration)
{
  const char *service;

  if (integration == NULL)
    return NULL;

  service = backups_integration_get_service (integration);
  return g_strdup (service ? backups_storage_kind_label (service) : "—");
}

static char *
integration_region_text (gpointer list_item, BackupsIntegration *integration)
{
  const char *region;

  if (integration == NULL)
    return NULL;

  region = backups_integration_get_region (integration);
  return g_strdup (region != NULL && *region != '\0' ? region : "—");
}

static char *
integration_account_text (gpointer list_item, BackupsIntegration *integration)
{
  return integration ? g_strdup (backups_integration_get_account_name (integration)) : NULL;
}

static char *
integration_used_by_text (gpointer list_item, BackupsIntegration *integration)
{
  guint used_by;

  if (integration == NULL)
    return NULL;

  used_by = backups_integration_get_used_by (integration);
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u schedule", "%u schedules", used_by),
                          used_by);
}

static char *
integration_id_text (gpointer list_item, BackupsIntegration *integration)
{
  if (integration == NULL)
    return NULL;

  return g_strdup_printf ("%" G_GINT64_FORMAT,
                          backups_integration_get_integration_id (integration));
}

/* Sort keys: (integration). */

/* Sort orders of the text columns, compared in place (see the Schedules
 * page). */

static int
compare_name (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return backups_compare_text (backups_integration_get_name ((BackupsIntegration *)a),
                               backups_integration_get_name ((BackupsIntegration *)b));
}

static int
compare_storage (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const char *x = backups_integration_get_service ((BackupsIntegration *)a);
  const char *y = backups_integration_get_service ((BackupsIntegration *)b);

  return backups_compare_text (x ? backups_storage_kind_label (x) : NULL,
                               y ? backups_storage_kind_label (y) : NULL);
}

static int
compare_region (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return backups_compare_text (backups_integration_get_region ((BackupsIntegration *)a),
                               backups_integration_get_region ((BackupsIntegration *)b));
}

static int
compare_account (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return backups_compare_text (backups_integration_get_account_name ((BackupsIntegration *)a),
                               backups_integration_get_account_name ((BackupsIntegration *)b));
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
integration_matches (gpointer item, gpointer user_data)
{
  BackupsIntegrationsPage *self = user_data;
  BackupsIntegration      *integration = item;
  const char              *service = backups_integration_get_service (integration);

  if (self->search_needle == NULL)
    return TRUE;

  return backups_text_matches (backups_integration_get_name (integration), self->search_needle)
         || (service != NULL
             && backups_text_matches (backups_storage_kind_label (service), self->search_needle))
         || backups_text_matches (backups_integration_get_region (integration), self->search_needle)
         || backups_text_matches (backups_integration_get_account_name (integration),
                                  self->search_needle);
}

static void
update_state (BackupsIntegrationsPage *self)
{
  const BackupsPageWidgets widgets = {
    self->stack,
    self->spinner,
    self->empty_title,
    self->empty_description,
    GTK_WIDGET (self->empty_button),
    GTK_WIDGET (self->empty_add_button),
  };

  backups_page_show_state (&widgets, self->model, self->org_name, self->has_accounts,
                           _ ("No Storage Integrations"));
}

static void
filter_items_changed_cb (BackupsIntegrationsPage *self)
{
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
}

static void
backups_integrations_page_dispose (GObject *object)
{
  BackupsIntegrationsPage *self = BACKUPS_INTEGRATIONS_PAGE (object);

  if (self->model != NULL)
    {
      g_clear_signal_handler (&self->loading_id, self->model);
      g_clear_signal_handler (&self->n_items_id, self->model);
    }
  if (self->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (self->filter_model, self);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_INTEGRATIONS_PAGE);
  g_clear_object (&self->model);
  g_clear_object (&self->active_filter);

  G_OBJECT_CLASS (backups_integrations_page_parent_class)->dispose (object);
}

static void
backups_integrations_page_finalize (GObject *object)
{
  BackupsIntegrationsPage *self = BACKUPS_INTEGRATIONS_PAGE (object);

  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->search_needle, g_free);

  G_OBJECT_CLASS (backups_integrations_page_parent_class)->finalize (object);
}

static void
backups_integrations_page_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BackupsIntegrationsPage *self = BACKUPS_INTEGRATIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_N_SHOWN:
      g_value_set_uint (value, backups_integrations_page_get_n_shown (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_integrations_page_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BackupsIntegrationsPage *self = BACKUPS_INTEGRATIONS_PAGE (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      backups_integrations_page_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_integrations_page_map (GtkWidget *widget)
{
  BackupsIntegrationsPage *self = BACKUPS_INTEGRATIONS_PAGE (widget);

  GTK_WIDGET_CLASS (backups_integrations_page_parent_class)->map (widget);
  backups_page_connect_view (widget, self->filter_model, self->model);
}

static void
backups_integrations_page_class_init (BackupsIntegrationsPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->dispose = backups_integrations_page_dispose;
  object_class->finalize = backups_integrations_page_finalize;
  object_class->get_property = backups_integrations_page_get_property;
  object_class->set_property = backups_integrations_page_set_property;
  widget_class->map = backups_integrations_page_map;

  properties[PROP_MODEL]
    = g_param_spec_object ("model", NULL, NULL, BACKUPS_TYPE_QUERY_MODEL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SHOWN] = g_param_spec_uint ("n-shown", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BACKUPS_TYPE_INTEGRATION);

  gtk_widget_class_set_template_from_resource (
    widget_class, "/org/example/Backups/ui/backups-integrations-page.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, spinner);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, loading_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, empty_title);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, empty_description);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, empty_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, empty_add_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, column_view);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, name_column);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, selection);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, filter_model);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, search_filter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, name_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, storage_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, region_sorter);
  gtk_widget_class_bind_template_child (widget_class, BackupsIntegrationsPage, account_sorter);

  gtk_widget_class_bind_template_callback (widget_class, integration_name_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_storage_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_region_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_account_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_used_by_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_id_text);
  gtk_widget_class_bind_template_callback (widget_class, integration_used_by_key);
  gtk_widget_class_bind_template_callback (widget_class, integration_id_key);

  gtk_widget_class_set_css_name (widget_class, "integrationspage");
  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
backups_integrations_page_init (BackupsIntegrationsPage *self)
{
  gtk_widget_init_template (GTK_WIDGET (self));

  gtk_custom_sorter_set_sort_func (self->name_sorter, compare_name, NULL, NULL);
  gtk_custom_sorter_set_sort_func (self->storage_sorter, compare_storage, NULL, NULL);
  gtk_custom_sorter_set_sort_func (self->region_sorter, compare_region, NULL, NULL);
  gtk_custom_sorter_set_sort_func (self->account_sorter, compare_account, NULL, NULL);
  gtk_custom_filter_set_filter_func (self->search_filter, integration_matches, self, NULL);
  /* Held by us, set on the filter model only while searching. */
  self->active_filter = g_object_ref (GTK_FILTER (self->search_filter));
  gtk_filter_list_model_set_filter (self->filter_model, NULL);

  gtk_label_set_label (self->loading_label, _ ("Loading integrations…"));
  gtk_accessible_update_property (GTK_ACCESSIBLE (self), GTK_ACCESSIBLE_PROPERTY_LABEL,
                                  _ ("Integrations"), -1);
  gtk_column_view_sort_by_column (self->column_view, self->name_column, GTK_SORT_ASCENDING);
  g_signal_connect_swapped (self->filter_model, "items-changed",
                            G_CALLBACK (filter_items_changed_cb), self);
  update_state (self);
}

BackupsQueryModel *
backups_integrations_page_get_model (BackupsIntegrationsPage *self)
{
  g_return_val_if_fail (BACKUPS_IS_INTEGRATIONS_PAGE (self), NULL);

  return self->model;
}

void
backups_integrations_page_set_model (BackupsIntegrationsPage *self, BackupsQueryModel *model)
{
  g_return_if_fail (BACKUPS_IS_INTEGRATIONS_PAGE (self));
  g_return_if_fail (model == NULL || BACKUPS_IS_QUERY_MODEL (model));

  if (self->model == model)
    return;

  if (self->model != NULL)
    {
      g_clear_signal_handler (&self->loading_id, self->model);
      g_clear_signal_handler (&self->n_items_id, self->model);
    }

  g_set_object (&self->model, model);

  if (model != NULL)
    {
      self->loading_id
        = g_signal_connect_swapped (model, "notify::loading", G_CALLBACK (update_state), self);
      self->n_items_id
        = g_signal_connect_swapped (model, "notify::n-items", G_CALLBACK (update_state), self);
    }

  backups_page_connect_view (GTK_WIDGET (self), self->filter_model, model);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
backups_integrations_page_set_search_text (BackupsIntegrationsPage *self, const char *text)
{
  g_autofree char *old_needle = NULL;

  g_return_if_fail (BACKUPS_IS_INTEGRATIONS_PAGE (self));

  old_needle = g_steal_pointer (&self->search_needle);
  self->search_needle = backups_search_needle_new (text);
  if (g_strcmp0 (old_needle, self->search_needle) == 0)
    return;

  /* No search, no filter: the filter model then passes rows straight
   * through instead of keeping a bitset over every row. */
  if (self->search_needle == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, NULL);
  else if (old_needle == NULL)
    gtk_filter_list_model_set_filter (self->filter_model, self->active_filter);
  else
    gtk_filter_changed (self->active_filter,
                        backups_search_change (old_needle, self->search_needle));
}

void
backups_integrations_page_set_context (BackupsIntegrationsPage *self,
                                       const char              *org_name,
                                       gboolean                 has_accounts)
{
  g_return_if_fail (BACKUPS_IS_INTEGRATIONS_PAGE (self));

  g_free (self->org_name);
  self->org_name = g_strdup (org_name);
  self->has_accounts = !!has_accounts;
  update_state (self);
}

guint
backups_integrations_page_get_n_shown (BackupsIntegrationsPage *self)
{
  g_return_val_if_fail (BACKUPS_IS_INTEGRATIONS_PAGE (self), 0);

  return backups_page_get_n_shown (GTK_WIDGET (self), self->filter_model, self->model);
}
