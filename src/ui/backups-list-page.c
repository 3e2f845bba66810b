/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-list-page.c
 *
 * The base class has no template of its own: each page's template holds
 * the whole page, and the children every page has are bound here, in the
 * base's private data, by backups_list_page_class_set_template_from_resource().
 * They are set up in constructed(), once the subclass's init has
 * instantiated its template.
 */
#include "config.h"

#include "backups-format.h"
#include "backups-list-page.h"
#include "backups-staged-model.h"

/* About a frame. */
#define CHECK_FILTER_INTERVAL_MS 16

typedef struct
{
  GListModel        *model; /* with a boolean property "loading" */
  gulong             loading_id;
  gulong             n_items_id;
  char              *org_name;
  gboolean           has_accounts;
  char              *empty_title;
  char              *search_needle;
  gboolean           keeping; /* the subclass's `keeps` may leave rows out */
  gboolean           waiting; /* the model is yet to be given the organization */
  GtkScrolledWindow *scrolled; /* the list's; a template child */
  guint              to_top_id;
  /* Held by us, set on the filter model only while searching. */
  GtkFilter *active_filter;
  guint      check_filter_id;

  /* Template children */
  GtkStack           *stack;
  GtkSpinner         *spinner;
  GtkLabel           *empty_title_label;
  GtkLabel           *empty_description;
  GtkWidget          *empty_button;
  GtkWidget          *empty_add_button;
  BackupsStagedModel *staged_model;
  GtkFilterListModel *filter_model;
  GtkCustomFilter    *search_filter;
} BackupsListPagePrivate;

G_DEFINE_ABSTRACT_TYPE_WITH_PRIVATE (BackupsListPage, backups_list_page, GTK_TYPE_WIDGET)

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_N_SHOWN,
  PROP_EMPTY_TITLE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* A live model (BackupsQueryModel, BackupsSitesModel) says "loading"
 * while it has no result yet for its organization. */
static gboolean
model_is_loading (GListModel *model)
{
  gboolean loading = FALSE;

  if (model != NULL)
    g_object_get (model, "loading", &loading, NULL);
  return loading;
}

/* Shows the page the model's state calls for: the spinner while it has no
 * result yet, the empty state (with the empty title and the next step)
 * when it has no rows, else the list. */
static void
update_state (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);
  const char             *page;

  if (priv->stack == NULL)
    return;

  if (priv->waiting || model_is_loading (priv->model))
    page = "loading";
  else if (priv->model == NULL || g_list_model_get_n_items (G_LIST_MODEL (priv->model)) == 0)
    page = "empty";
  else
    page = "list";

  gtk_spinner_set_spinning (priv->spinner, g_str_equal (page, "loading"));

  if (g_str_equal (page, "empty"))
    {
      g_autofree char *title = NULL;
      g_autofree char *description = NULL;
      gboolean         offer_sync = FALSE;
      gboolean         offer_add = FALSE;

      backups_format_empty_state (priv->org_name, priv->has_accounts, priv->empty_title, &title,
                                  &description, &offer_sync, &offer_add);
      gtk_label_set_label (priv->empty_title_label, title);
      gtk_label_set_markup (priv->empty_description, description);
      gtk_widget_set_visible (priv->empty_button, offer_sync);
      gtk_widget_set_visible (priv->empty_add_button, offer_add);
    }

  /* The list comes without the stack's crossfade: in software rendering
   * that draws both pages into two window-sized surfaces every frame of
   * the fade (8 MB at the peak of a window opening on 50,000 rows, while
   * its first rows are being built). */
  if (g_str_equal (page, "list"))
    gtk_stack_set_visible_child_full (priv->stack, page, GTK_STACK_TRANSITION_TYPE_NONE);
  else
    gtk_stack_set_visible_child_name (priv->stack, page);
}

/* A list view builds the widgets of its first rows (up to 200) as soon as
 * its model has them, shown or not. A page therefore gives its view the
 * model only once it is mapped: from set_model and from map. */
static void
connect_view (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);
  GListModel             *connected = gtk_filter_list_model_get_model (priv->filter_model);

  /* Once connected, a page follows its model whether shown or not. */
  if (connected == G_LIST_MODEL (priv->model)
      || (!gtk_widget_get_mapped (GTK_WIDGET (self)) && connected == NULL))
    return;

  gtk_filter_list_model_set_model (priv->filter_model, G_LIST_MODEL (priv->model));
}

static gboolean check_filter_cb (gpointer user_data);

static int
compare_item_text (gconstpointer a, gconstpointer b, gpointer user_data)
{
  BackupsItemTextFunc get_text = (BackupsItemTextFunc)user_data;

  return backups_compare_text (get_text ((gpointer)a), get_text ((gpointer)b));
}

static gboolean
item_matches (gpointer item, gpointer user_data)
{
  BackupsListPage        *self = user_data;
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  if (priv->keeping && !BACKUPS_LIST_PAGE_GET_CLASS (self)->keeps (self, item))
    return FALSE;
  if (priv->search_needle == NULL)
    return TRUE;

  return BACKUPS_LIST_PAGE_GET_CLASS (self)->matches (item, priv->search_needle);
}

/* Whether the filter model needs the filter: no search and nothing left
 * out means no filter, so that it passes rows straight through instead of
 * keeping a bitset over every row. */
static gboolean
filtering (BackupsListPagePrivate *priv)
{
  return priv->search_needle != NULL || priv->keeping;
}

/* Applies a change of what the filter keeps, `was_filtering` telling
 * whether the filter was set before it. */
static void
apply_filter_change (BackupsListPage *self, gboolean was_filtering, GtkFilterChange change)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  /* The view keeps its rows until the filter is through (check_filter_cb). */
  backups_staged_model_hold (priv->staged_model);
  if (!filtering (priv))
    gtk_filter_list_model_set_filter (priv->filter_model, NULL);
  else if (!was_filtering)
    gtk_filter_list_model_set_filter (priv->filter_model, priv->active_filter);
  else
    gtk_filter_changed (priv->active_filter, change);
  if (priv->check_filter_id == 0 && check_filter_cb (self))
    priv->check_filter_id = g_timeout_add (CHECK_FILTER_INTERVAL_MS, check_filter_cb, self);
}

/* The count of rows shown changes once the filter is through; a filter
 * change whose last step changed rows is then released to the view at
 * once rather than at the next look. */
static void
filter_items_changed_cb (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  if (gtk_filter_list_model_get_pending (priv->filter_model) != 0)
    return;
  if (priv->check_filter_id == 0)
    {
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
      return;
    }
  g_clear_handle_id (&priv->check_filter_id, g_source_remove);
  check_filter_cb (self);
}

/* A search filters incrementally, a few hundred rows an idle step. Until
 * it is through, the view keeps the rows it has; then it gets the new
 * ones a few a frame. GTK 4.8 does not notify `pending` when a filter is
 * through, so the page looks every frame. */
static gboolean
check_filter_cb (gpointer user_data)
{
  BackupsListPage        *self = user_data;
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  if (gtk_filter_list_model_get_pending (priv->filter_model) != 0)
    return G_SOURCE_CONTINUE;

  priv->check_filter_id = 0;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_SHOWN]);
  backups_staged_model_release (priv->staged_model);
  return G_SOURCE_REMOVE;
}

static void
disconnect_model (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  if (priv->model == NULL)
    return;

  g_clear_signal_handler (&priv->loading_id, priv->model);
  g_clear_signal_handler (&priv->n_items_id, priv->model);
}

/* Puts the view's first row at its top: through the list's own
 * "list.scroll-to-item" action, which moves the row it anchors its
 * scrolling on (setting the adjustment alone is undone by the next
 * layout, which keeps the old anchor in place). */
static gboolean
scroll_to_top_cb (gpointer user_data)
{
  BackupsListPage        *self = user_data;
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);
  GtkWidget              *view = gtk_scrolled_window_get_child (priv->scrolled);

  priv->to_top_id = 0;
  for (GtkWidget *child = gtk_widget_get_first_child (view); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    if (GTK_IS_LIST_VIEW (child))
      gtk_widget_activate_action (child, "list.scroll-to-item", "u", 0);
  return G_SOURCE_REMOVE;
}

/* A list scrolled to its top stays there when rows arrive above its first
 * one (a sync, an account's rows sorted in): the worst sites, the first
 * rows, must not slide out of view. A list scrolled down keeps its rows. */
static void
shown_items_changed_cb (BackupsListPage *self, guint position, guint removed, guint added)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  GtkAdjustment *vadjustment;

  if (position != 0 || added == 0 || priv->to_top_id != 0 || priv->scrolled == NULL)
    return;
  vadjustment = gtk_scrolled_window_get_vadjustment (priv->scrolled);
  if (gtk_adjustment_get_value (vadjustment) > gtk_adjustment_get_lower (vadjustment))
    return;
  priv->to_top_id = g_idle_add (scroll_to_top_cb, self);
}

static void
backups_list_page_constructed (GObject *object)
{
  BackupsListPage        *self = BACKUPS_LIST_PAGE (object);
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  G_OBJECT_CLASS (backups_list_page_parent_class)->constructed (object);

  g_assert (BACKUPS_LIST_PAGE_GET_CLASS (self)->matches != NULL);
  g_assert (GTK_IS_FILTER_LIST_MODEL (priv->filter_model));
  g_assert (BACKUPS_IS_STAGED_MODEL (priv->staged_model));

  gtk_custom_filter_set_filter_func (priv->search_filter, item_matches, self, NULL);
  priv->active_filter = g_object_ref (GTK_FILTER (priv->search_filter));
  gtk_filter_list_model_set_filter (priv->filter_model, NULL);

  g_signal_connect_swapped (priv->filter_model, "items-changed",
                            G_CALLBACK (filter_items_changed_cb), self);
  {
    GtkWidget *view = GTK_WIDGET (
      gtk_widget_get_template_child (GTK_WIDGET (self), G_OBJECT_TYPE (self), "column_view"));
    GtkWidget *scrolled = gtk_widget_get_ancestor (view, GTK_TYPE_SCROLLED_WINDOW);

    priv->scrolled = GTK_SCROLLED_WINDOW (scrolled);
    g_signal_connect_swapped (
      gtk_widget_get_template_child (GTK_WIDGET (self), G_OBJECT_TYPE (self), "selection"),
      "items-changed", G_CALLBACK (shown_items_changed_cb), self);
  }
  update_state (self);
}

static void
backups_list_page_dispose (GObject *object)
{
  BackupsListPage        *self = BACKUPS_LIST_PAGE (object);
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  disconnect_model (self);
  g_clear_handle_id (&priv->check_filter_id, g_source_remove);
  g_clear_handle_id (&priv->to_top_id, g_source_remove);
  priv->scrolled = NULL;
  if (priv->filter_model != NULL)
    g_signal_handlers_disconnect_by_data (priv->filter_model, self);

  /* The template is the subclass's; its children bound here go with it. */
  gtk_widget_dispose_template (GTK_WIDGET (self), G_OBJECT_TYPE (self));
  g_clear_object (&priv->model);
  g_clear_object (&priv->active_filter);

  G_OBJECT_CLASS (backups_list_page_parent_class)->dispose (object);
}

static void
backups_list_page_finalize (GObject *object)
{
  BackupsListPage        *self = BACKUPS_LIST_PAGE (object);
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_clear_pointer (&priv->org_name, g_free);
  g_clear_pointer (&priv->empty_title, g_free);
  g_clear_pointer (&priv->search_needle, g_free);

  G_OBJECT_CLASS (backups_list_page_parent_class)->finalize (object);
}

static void
backups_list_page_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsListPage        *self = BACKUPS_LIST_PAGE (object);
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, priv->model);
      break;
    case PROP_N_SHOWN:
      g_value_set_uint (value, backups_list_page_get_n_shown (self));
      break;
    case PROP_EMPTY_TITLE:
      g_value_set_string (value, priv->empty_title);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_list_page_set_property (GObject      *object,
                                guint         prop_id,
                                const GValue *value,
                                GParamSpec   *pspec)
{
  BackupsListPage        *self = BACKUPS_LIST_PAGE (object);
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  switch (prop_id)
    {
    case PROP_MODEL:
      backups_list_page_set_model (self, g_value_get_object (value));
      break;
    case PROP_EMPTY_TITLE:
      g_free (priv->empty_title);
      priv->empty_title = g_value_dup_string (value);
      update_state (self);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_list_page_map (GtkWidget *widget)
{
  GTK_WIDGET_CLASS (backups_list_page_parent_class)->map (widget);
  connect_view (BACKUPS_LIST_PAGE (widget));
}

static void
backups_list_page_class_init (BackupsListPageClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);

  object_class->constructed = backups_list_page_constructed;
  object_class->dispose = backups_list_page_dispose;
  object_class->finalize = backups_list_page_finalize;
  object_class->get_property = backups_list_page_get_property;
  object_class->set_property = backups_list_page_set_property;
  widget_class->map = backups_list_page_map;

  properties[PROP_MODEL]
    = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_SHOWN] = g_param_spec_uint ("n-shown", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  /* The empty state's title when the organization has no rows, set by
   * each page's template ("No Backup Schedules"). */
  properties[PROP_EMPTY_TITLE] = g_param_spec_string ("empty-title", NULL, NULL, NULL,
                                                      G_PARAM_READWRITE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  gtk_widget_class_set_accessible_role (widget_class, GTK_ACCESSIBLE_ROLE_GROUP);
}

static void
backups_list_page_init (BackupsListPage *self)
{
}

#define BIND_CHILD(name, member)                                                                   \
  gtk_widget_class_bind_template_child_full (widget_class, name, FALSE,                            \
                                             G_PRIVATE_OFFSET (BackupsListPage, member))

void
backups_list_page_class_set_template_from_resource (GtkWidgetClass *widget_class,
                                                    const char     *resource_name)
{
  g_return_if_fail (g_type_is_a (G_TYPE_FROM_CLASS (widget_class), BACKUPS_TYPE_LIST_PAGE));

  g_type_ensure (BACKUPS_TYPE_STAGED_MODEL);
  gtk_widget_class_set_template_from_resource (widget_class, resource_name);
  BIND_CHILD ("stack", stack);
  BIND_CHILD ("spinner", spinner);
  BIND_CHILD ("empty_title", empty_title_label);
  BIND_CHILD ("empty_description", empty_description);
  BIND_CHILD ("empty_button", empty_button);
  BIND_CHILD ("empty_add_button", empty_add_button);
  /* Bound without a field, so that tests and subclasses find them by name. */
  gtk_widget_class_bind_template_child_full (widget_class, "column_view", FALSE, 0);
  gtk_widget_class_bind_template_child_full (widget_class, "selection", FALSE, 0);
  BIND_CHILD ("staged_model", staged_model);
  BIND_CHILD ("filter_model", filter_model);
  BIND_CHILD ("search_filter", search_filter);
}

#undef BIND_CHILD

GListModel *
backups_list_page_get_model (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_return_val_if_fail (BACKUPS_IS_LIST_PAGE (self), NULL);

  return priv->model;
}

void
backups_list_page_set_model (BackupsListPage *self, GListModel *model)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_return_if_fail (BACKUPS_IS_LIST_PAGE (self));
  g_return_if_fail (model == NULL
                    || g_object_class_find_property (G_OBJECT_GET_CLASS (model), "loading") != NULL);

  if (priv->model == model)
    return;

  disconnect_model (self);
  g_set_object (&priv->model, model);

  if (model != NULL)
    {
      priv->loading_id
        = g_signal_connect_swapped (model, "notify::loading", G_CALLBACK (update_state), self);
      priv->n_items_id
        = g_signal_connect_swapped (model, "notify::n-items", G_CALLBACK (update_state), self);
    }

  connect_view (self);
  update_state (self);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
backups_list_page_set_search_text (BackupsListPage *self, const char *text)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);
  g_autofree char        *old_needle = NULL;

  g_return_if_fail (BACKUPS_IS_LIST_PAGE (self));

  old_needle = g_steal_pointer (&priv->search_needle);
  priv->search_needle = backups_search_needle_new (text);
  if (g_strcmp0 (old_needle, priv->search_needle) == 0)
    return;

  apply_filter_change (self, old_needle != NULL || priv->keeping,
                       backups_search_change (old_needle, priv->search_needle));
}

void
backups_list_page_refilter (BackupsListPage *self, gboolean keeping, GtkFilterChange change)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);
  gboolean                was_filtering;

  g_return_if_fail (BACKUPS_IS_LIST_PAGE (self));
  g_return_if_fail (!keeping || BACKUPS_LIST_PAGE_GET_CLASS (self)->keeps != NULL);

  was_filtering = filtering (priv);
  priv->keeping = keeping;
  if (!was_filtering && !keeping)
    return;
  apply_filter_change (self, was_filtering, change);
}

void
backups_list_page_set_context (BackupsListPage *self, const char *org_name, gboolean has_accounts)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_return_if_fail (BACKUPS_IS_LIST_PAGE (self));

  g_free (priv->org_name);
  priv->org_name = g_strdup (org_name);
  priv->has_accounts = !!has_accounts;
  update_state (self);
}

guint
backups_list_page_get_n_shown (BackupsListPage *self)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_return_val_if_fail (BACKUPS_IS_LIST_PAGE (self), 0);

  if (priv->model == NULL)
    return 0;

  if (gtk_filter_list_model_get_model (priv->filter_model) != G_LIST_MODEL (priv->model))
    {
      /* Not connected yet: without a filter, every row would show. */
      if (gtk_filter_list_model_get_filter (priv->filter_model) == NULL)
        return g_list_model_get_n_items (G_LIST_MODEL (priv->model));
      gtk_filter_list_model_set_model (priv->filter_model, G_LIST_MODEL (priv->model));
    }
  return g_list_model_get_n_items (G_LIST_MODEL (priv->filter_model));
}

void
backups_list_page_sort_by_text (GtkCustomSorter *sorter, BackupsItemTextFunc get_text)
{
  g_return_if_fail (GTK_IS_CUSTOM_SORTER (sorter));
  g_return_if_fail (get_text != NULL);

  gtk_custom_sorter_set_sort_func (sorter, compare_item_text, (gpointer)get_text, NULL);
}

void
backups_list_page_set_waiting (BackupsListPage *self, gboolean waiting)
{
  BackupsListPagePrivate *priv = backups_list_page_get_instance_private (self);

  g_return_if_fail (BACKUPS_IS_LIST_PAGE (self));

  if (priv->waiting == !!waiting)
    return;
  priv->waiting = !!waiting;
  update_state (self);
}
