/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sites-page.c */
#include "config.h"

#include <adwaita.h>
#include <glib/gi18n.h>

#include "backups-format.h"
#include "backups-site.h"
#include "backups-sites-page.h"
#include "backups-text-cell.h"

struct _BackupsSitesPage
{
  BackupsListPage parent_instance;

  BackupsSitesModel *model;
  gulong             counts_id;
  gboolean           shown[BACKUPS_N_HEALTHS]; /* the toggles; none on: every site */
  BackupsSite       *details_site;

  GtkColumnView      *column_view; /* the base's template children */
  GtkSingleSelection *selection;

  /* Template children */
  GtkColumnViewColumn *site_column;
  GtkColumnViewColumn *organization_column;
  GtkColumnViewColumn *account_column;
  GtkColumnViewColumn *server_column;
  GtkColumnViewColumn *local_column;
  GtkColumnViewColumn *remote_column;
  GtkColumnViewColumn *next_backup_column;
  GtkColumnViewColumn *health_column;
  GtkCustomSorter     *site_sorter;
  GtkCustomSorter     *organization_sorter;
  GtkCustomSorter     *account_sorter;
  GtkCustomSorter     *server_sorter;
  GtkCustomSorter     *local_sorter;
  GtkCustomSorter     *remote_sorter;
  GtkCustomSorter     *next_backup_sorter;
  GtkCustomSorter     *health_sorter;
  GtkLabel            *summary_label;
  GtkToggleButton     *protected_toggle;
  GtkToggleButton     *at_risk_toggle;
  GtkToggleButton     *unprotected_toggle;
  GtkToggleButton     *unknown_toggle;
  AdwFlap             *flap;
  GtkLabel            *details_title;
  GtkButton           *details_close;
  GtkLabel            *details_place;
  GtkImage            *details_health_icon;
  GtkLabel            *details_health;
  GtkLabel            *details_findings;
  AdwActionRow        *details_local;
  AdwActionRow        *details_remote;
  AdwActionRow        *details_next;
  AdwActionRow        *details_server;
};

G_DEFINE_FINAL_TYPE (BackupsSitesPage, backups_sites_page, BACKUPS_TYPE_LIST_PAGE)

/* Health in words and a symbol, never colour alone. */
static const struct
{
  const char *icon;
  const char *style;
} health_looks[BACKUPS_N_HEALTHS] = {
  [BACKUPS_HEALTH_UNPROTECTED] = { "dialog-error-symbolic", "error" },
  [BACKUPS_HEALTH_UNKNOWN] = { "dialog-question-symbolic", "dim-label" },
  [BACKUPS_HEALTH_AT_RISK] = { "dialog-warning-symbolic", "warning" },
  [BACKUPS_HEALTH_PROTECTED] = { "emblem-ok-symbolic", "success" },
};

/* Cell text, of a site. */

static char *
site_url_text (BackupsSite *site)
{
  return site ? g_strdup (backups_site_get_site_url (site)) : NULL;
}

static char *
site_organization_text (BackupsSite *site)
{
  return site ? g_strdup (backups_site_get_org_name (site)) : NULL;
}

static char *
site_account_text (BackupsSite *site)
{
  return site ? g_strdup (backups_site_get_account_name (site)) : NULL;
}

static char *
site_server_text (BackupsSite *site)
{
  const char *label;

  if (site == NULL)
    return NULL;

  label = backups_site_get_server_label (site);
  if (label != NULL)
    return g_strdup (label);
  if (backups_site_get_server_id (site) != BACKUPS_NO_VALUE)
    return g_strdup_printf ("#%" G_GINT64_FORMAT, backups_site_get_server_id (site));
  return g_strdup ("—");
}

static char *
site_local_text (BackupsSite *site)
{
  return site ? backups_site_describe_local (site) : NULL;
}

static char *
site_remote_text (BackupsSite *site)
{
  return site ? backups_site_describe_remote (site) : NULL;
}

static char *
site_next_backup_text (BackupsSite *site)
{
  g_autoptr (GDateTime) now = NULL;
  g_autoptr (GDateTime) next = NULL;
  g_autofree char *when = NULL;
  gboolean         assumed_utc = FALSE;

  if (site == NULL)
    return NULL;

  now = g_date_time_new_now_utc ();
  next = backups_site_get_next_backup (site, now, &assumed_utc);
  if (next == NULL)
    return g_strdup ("—");

  when = backups_format_local_time (next, now);
  if (!assumed_utc)
    return g_steal_pointer (&when);
  /* Translators: a next run computed without the server's time zone,
   * "Today 05:00 (UTC assumed)". */
  return g_strdup_printf (_ ("%s (UTC assumed)"), when);
}

/* "At risk: Remote backups are off. …", for the health cell's tooltip and
 * its accessible description. */
static char *
site_health_sentence (BackupsSite *site)
{
  g_autofree char *findings = NULL;
  const char      *word;

  if (site == NULL)
    return NULL;

  word = backups_health_to_label (backups_site_get_health (site));
  findings = backups_site_describe_findings (site);
  if (findings == NULL || *findings == '\0')
    return g_strdup (word);
  /* Translators: a site's health, then what is wrong with it. */
  return g_strdup_printf (_ ("%s: %s"), word, findings);
}

/* The health cell: a symbol and the word, the findings in the tooltip. */

static void
health_cell_setup (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  GtkWidget *box = gtk_box_new (GTK_ORIENTATION_HORIZONTAL, 6);
  GtkWidget *icon = gtk_image_new ();
  GtkWidget *label = gtk_label_new (NULL);

  gtk_accessible_update_property (GTK_ACCESSIBLE (icon), GTK_ACCESSIBLE_PROPERTY_LABEL, "", -1);
  gtk_label_set_xalign (GTK_LABEL (label), 0);
  gtk_label_set_ellipsize (GTK_LABEL (label), PANGO_ELLIPSIZE_END);
  gtk_box_append (GTK_BOX (box), icon);
  gtk_box_append (GTK_BOX (box), label);
  gtk_list_item_set_child (item, box);
}

static void
health_cell_bind (GtkSignalListItemFactory *factory, GtkListItem *item)
{
  BackupsSite     *site = gtk_list_item_get_item (item);
  GtkWidget       *box = gtk_list_item_get_child (item);
  GtkWidget       *icon = gtk_widget_get_first_child (box);
  GtkWidget       *label = gtk_widget_get_last_child (box);
  BackupsHealth    health = backups_site_get_health (site);
  g_autofree char *sentence = site_health_sentence (site);

  gtk_image_set_from_icon_name (GTK_IMAGE (icon), health_looks[health].icon);
  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    gtk_widget_remove_css_class (icon, health_looks[h].style);
  gtk_widget_add_css_class (icon, health_looks[health].style);
  gtk_label_set_label (GTK_LABEL (label), backups_health_to_label (health));
  gtk_widget_set_tooltip_text (box, sentence);
  gtk_accessible_update_property (GTK_ACCESSIBLE (label), GTK_ACCESSIBLE_PROPERTY_DESCRIPTION,
                                  sentence, -1);
}

/* Sorting. The model's own order is health, worst first: the Health
 * column sorts by that. */

static int
compare_health (gconstpointer a, gconstpointer b, gpointer user_data)
{
  return backups_site_compare ((BackupsSite *)a, (BackupsSite *)b);
}

static int
compare_next_backup (gconstpointer a, gconstpointer b, gpointer user_data)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) x = backups_site_get_next_backup ((BackupsSite *)a, now, NULL);
  g_autoptr (GDateTime) y = backups_site_get_next_backup ((BackupsSite *)b, now, NULL);

  /* Sites without a next backup last. */
  if (x == NULL || y == NULL)
    return (x == NULL) - (y == NULL);
  return g_date_time_compare (x, y);
}

static int
compare_described (gconstpointer a, gconstpointer b, gpointer user_data)
{
  char *(*describe) (BackupsSite *) = user_data;
  g_autofree char *x = describe ((BackupsSite *)a);
  g_autofree char *y = describe ((BackupsSite *)b);

  return backups_compare_text (x, y);
}

/* The search matches the site, its organization, account and server, and
 * the health word. */
static gboolean
site_matches (gpointer item, const char *needle)
{
  BackupsSite *site = item;

  return backups_text_matches (backups_site_get_site_url (site), needle)
         || backups_text_matches (backups_site_get_org_name (site), needle)
         || backups_text_matches (backups_site_get_account_name (site), needle)
         || backups_text_matches (backups_site_get_server_label (site), needle)
         || backups_text_matches (backups_health_to_label (backups_site_get_health (site)), needle);
}

/* The health toggles: with any on, only their sites show. */
static gboolean
site_kept (BackupsListPage *page, gpointer item)
{
  BackupsSitesPage *self = BACKUPS_SITES_PAGE (page);

  return self->shown[backups_site_get_health (item)];
}

static GtkToggleButton *
health_toggle (BackupsSitesPage *self, BackupsHealth health)
{
  switch (health)
    {
    case BACKUPS_HEALTH_UNPROTECTED:
      return self->unprotected_toggle;
    case BACKUPS_HEALTH_UNKNOWN:
      return self->unknown_toggle;
    case BACKUPS_HEALTH_AT_RISK:
      return self->at_risk_toggle;
    case BACKUPS_HEALTH_PROTECTED:
    default:
      return self->protected_toggle;
    }
}

static void
health_toggled_cb (BackupsSitesPage *self)
{
  gboolean was[BACKUPS_N_HEALTHS], any = FALSE, more = FALSE, fewer = FALSE;

  memcpy (was, self->shown, sizeof was);
  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    {
      self->shown[h] = gtk_toggle_button_get_active (health_toggle (self, h));
      any |= self->shown[h];
    }

  /* None on shows every site: as if all were on. */
  {
    gboolean was_any = FALSE;

    for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
      was_any |= was[h];
    for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
      {
        gboolean before = was_any ? was[h] : TRUE;
        gboolean after = any ? self->shown[h] : TRUE;

        more |= after && !before;
        fewer |= before && !after;
      }
    if (!any)
      for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
        self->shown[h] = TRUE;
  }

  backups_list_page_refilter (BACKUPS_LIST_PAGE (self), any,
                              more && fewer ? GTK_FILTER_CHANGE_DIFFERENT
                              : more        ? GTK_FILTER_CHANGE_LESS_STRICT
                                            : GTK_FILTER_CHANGE_MORE_STRICT);
}

/* "212 sites · 187 protected · 21 at risk · 4 unprotected". */
static void
update_summary (BackupsSitesPage *self)
{
  static const BackupsHealth order[] = { BACKUPS_HEALTH_PROTECTED, BACKUPS_HEALTH_AT_RISK,
                                         BACKUPS_HEALTH_UNPROTECTED, BACKUPS_HEALTH_UNKNOWN };
  guint total = self->model != NULL ? g_list_model_get_n_items (G_LIST_MODEL (self->model)) : 0;
  g_autofree char *sites = NULL;

  /* Translators: the first part of the Sites page's summary, "212 sites". */
  sites = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u site", "%u sites", total), total);
  gtk_label_set_label (self->summary_label, sites);

  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      BackupsHealth    health = order[i];
      guint            n = self->model ? backups_sites_model_get_n_health (self->model, health) : 0;
      GtkToggleButton *toggle = health_toggle (self, health);
      g_autofree char *label = NULL;

      switch (health)
        {
        case BACKUPS_HEALTH_PROTECTED:
          /* Translators: a count of the Sites page's summary, a toggle. */
          label = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "· %u protected", "· %u protected", n), n);
          break;
        case BACKUPS_HEALTH_AT_RISK:
          label
            = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "· %u at risk", "· %u at risk", n), n);
          break;
        case BACKUPS_HEALTH_UNPROTECTED:
          label = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "· %u unprotected", "· %u unprotected", n), n);
          break;
        case BACKUPS_HEALTH_UNKNOWN:
        default:
          label = g_strdup_printf (
            g_dngettext (GETTEXT_PACKAGE, "· %u unknown", "· %u unknown", n), n);
          break;
        }
      gtk_button_set_label (GTK_BUTTON (toggle), label);
      /* Unknown only when there is some; a shown toggle stays while on. */
      gtk_widget_set_visible (GTK_WIDGET (toggle), health != BACKUPS_HEALTH_UNKNOWN || n > 0
                                                     || gtk_toggle_button_get_active (toggle));
    }
}

/* Details ------------------------------------------------------------------ */

static void
update_details (BackupsSitesPage *self)
{
  BackupsSite     *site = self->details_site;
  g_autofree char *place = NULL;
  g_autofree char *findings = NULL;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *next = NULL;
  g_autofree char *server = NULL;
  const char      *zone;
  BackupsHealth    health;

  if (site == NULL)
    return;

  health = backups_site_get_health (site);
  gtk_label_set_label (self->details_title, backups_site_get_site_url (site));
  /* Translators: where a site is: "Acme Agency · Main". */
  place = g_strdup_printf (_ ("%s · %s"), backups_site_get_org_name (site),
                           backups_site_get_account_name (site));
  gtk_label_set_label (self->details_place, place);

  gtk_image_set_from_icon_name (self->details_health_icon, health_looks[health].icon);
  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    gtk_widget_remove_css_class (GTK_WIDGET (self->details_health_icon), health_looks[h].style);
  gtk_widget_add_css_class (GTK_WIDGET (self->details_health_icon), health_looks[health].style);
  gtk_label_set_label (self->details_health, backups_health_to_label (health));

  findings = backups_site_describe_findings (site);
  if (findings == NULL || *findings == '\0')
    {
      g_free (findings);
      findings = g_strdup (_ ("Nothing to change: the site meets the policy."));
    }
  gtk_label_set_label (self->details_findings, findings);

  local = backups_site_describe_local (site);
  remote = backups_site_describe_remote (site);
  next = site_next_backup_text (site);
  adw_action_row_set_subtitle (self->details_local, local);
  adw_action_row_set_subtitle (self->details_remote, remote);
  adw_action_row_set_subtitle (self->details_next, next);

  zone = backups_site_get_server_timezone (site);
  {
    g_autofree char *label = site_server_text (site);

    /* Translators: a server and its time zone, "web-1 (America/New_York)". */
    server = zone != NULL ? g_strdup_printf (_ ("%s (%s)"), label, zone) : g_steal_pointer (&label);
  }
  adw_action_row_set_subtitle (self->details_server, server);
}

void
backups_sites_page_show_details (BackupsSitesPage *self, guint position)
{
  GListModel *shown;

  g_return_if_fail (BACKUPS_IS_SITES_PAGE (self));

  shown = G_LIST_MODEL (self->selection);
  g_clear_object (&self->details_site);
  if (position != G_MAXUINT && position < g_list_model_get_n_items (shown))
    self->details_site = g_list_model_get_item (shown, position);

  update_details (self);
  adw_flap_set_reveal_flap (self->flap, self->details_site != NULL);
  if (self->details_site != NULL)
    gtk_widget_grab_focus (GTK_WIDGET (self->details_title));
}

static void
row_activated_cb (BackupsSitesPage *self, guint position)
{
  backups_sites_page_show_details (self, position);
}

static void
details_close_cb (BackupsSitesPage *self)
{
  backups_sites_page_show_details (self, G_MAXUINT);
  gtk_widget_grab_focus (GTK_WIDGET (self->column_view));
}

/* The site in the details panel is followed when a sync or a policy
 * change gives it a new row. */
static void
model_items_changed_cb (BackupsSitesPage *self)
{
  BackupsSite *old = self->details_site;
  guint        n;

  update_summary (self);
  if (old == NULL || self->model == NULL)
    return;

  n = g_list_model_get_n_items (G_LIST_MODEL (self->model));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BackupsSite) site = g_list_model_get_item (G_LIST_MODEL (self->model), i);

      if (backups_site_get_account_id (site) == backups_site_get_account_id (old)
          && backups_site_get_site_id (site) == backups_site_get_site_id (old))
        {
          g_set_object (&self->details_site, site);
          update_details (self);
          return;
        }
    }
  /* Gone (removed from GridPane, or another organization). */
  backups_sites_page_show_details (self, G_MAXUINT);
}

void
backups_sites_page_set_sites_model (BackupsSitesPage *self, BackupsSitesModel *model)
{
  g_return_if_fail (BACKUPS_IS_SITES_PAGE (self));

  if (self->model == model)
    return;

  if (self->model != NULL)
    g_clear_signal_handler (&self->counts_id, self->model);
  g_set_object (&self->model, model);
  if (model != NULL)
    self->counts_id = g_signal_connect_object (model, "items-changed",
                                               G_CALLBACK (model_items_changed_cb), self,
                                               G_CONNECT_SWAPPED | G_CONNECT_AFTER);
  backups_list_page_set_model (BACKUPS_LIST_PAGE (self), G_LIST_MODEL (model));
  backups_sites_page_show_details (self, G_MAXUINT);
  update_summary (self);
}

void
backups_sites_page_set_show_organizations (BackupsSitesPage *self, gboolean show)
{
  g_return_if_fail (BACKUPS_IS_SITES_PAGE (self));

  gtk_column_view_column_set_visible (self->organization_column, show);
}

static void
backups_sites_page_dispose (GObject *object)
{
  BackupsSitesPage *self = BACKUPS_SITES_PAGE (object);

  if (self->model != NULL)
    g_clear_signal_handler (&self->counts_id, self->model);
  g_clear_object (&self->model);
  g_clear_object (&self->details_site);

  G_OBJECT_CLASS (backups_sites_page_parent_class)->dispose (object);
}

static void
backups_sites_page_class_init (BackupsSitesPageClass *klass)
{
  GObjectClass         *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass       *widget_class = GTK_WIDGET_CLASS (klass);
  BackupsListPageClass *list_page_class = BACKUPS_LIST_PAGE_CLASS (klass);

  object_class->dispose = backups_sites_page_dispose;
  list_page_class->matches = site_matches;
  list_page_class->keeps = site_kept;

  g_type_ensure (BACKUPS_TYPE_SITE);

  backups_list_page_class_set_template_from_resource (widget_class,
                                                      "/org/example/Backups/ui/backups-sites-page.ui");
#define BIND(name) gtk_widget_class_bind_template_child (widget_class, BackupsSitesPage, name)
  BIND (site_column);
  BIND (organization_column);
  BIND (account_column);
  BIND (server_column);
  BIND (local_column);
  BIND (remote_column);
  BIND (next_backup_column);
  BIND (health_column);
  BIND (site_sorter);
  BIND (organization_sorter);
  BIND (account_sorter);
  BIND (server_sorter);
  BIND (local_sorter);
  BIND (remote_sorter);
  BIND (next_backup_sorter);
  BIND (health_sorter);
  BIND (summary_label);
  BIND (protected_toggle);
  BIND (at_risk_toggle);
  BIND (unprotected_toggle);
  BIND (unknown_toggle);
  BIND (flap);
  BIND (details_title);
  BIND (details_close);
  BIND (details_place);
  BIND (details_health_icon);
  BIND (details_health);
  BIND (details_findings);
  BIND (details_local);
  BIND (details_remote);
  BIND (details_next);
  BIND (details_server);
#undef BIND
  gtk_widget_class_bind_template_callback (widget_class, health_toggled_cb);
  gtk_widget_class_bind_template_callback (widget_class, row_activated_cb);
  gtk_widget_class_bind_template_callback (widget_class, details_close_cb);

  gtk_widget_class_set_css_name (widget_class, "sitespage");
}

static void
backups_sites_page_init (BackupsSitesPage *self)
{
  GtkListItemFactory *health_factory = gtk_signal_list_item_factory_new ();

  gtk_widget_init_template (GTK_WIDGET (self));
  /* The base binds these two by name. */
  self->column_view = GTK_COLUMN_VIEW (
    gtk_widget_get_template_child (GTK_WIDGET (self), BACKUPS_TYPE_SITES_PAGE, "column_view"));
  self->selection = GTK_SINGLE_SELECTION (
    gtk_widget_get_template_child (GTK_WIDGET (self), BACKUPS_TYPE_SITES_PAGE, "selection"));

  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    self->shown[h] = TRUE;

  backups_text_cell_set_column (self->site_column, (BackupsCellTextFunc)site_url_text, NULL, 0);
  backups_text_cell_set_column (self->organization_column,
                                (BackupsCellTextFunc)site_organization_text, NULL, 0);
  backups_text_cell_set_column (self->account_column, (BackupsCellTextFunc)site_account_text, NULL,
                                0);
  backups_text_cell_set_column (self->server_column, (BackupsCellTextFunc)site_server_text, NULL, 0);
  backups_text_cell_set_column (self->local_column, (BackupsCellTextFunc)site_local_text,
                                (BackupsCellTextFunc)site_local_text, 0);
  backups_text_cell_set_column (self->remote_column, (BackupsCellTextFunc)site_remote_text,
                                (BackupsCellTextFunc)site_remote_text, 0);
  backups_text_cell_set_column (self->next_backup_column,
                                (BackupsCellTextFunc)site_next_backup_text, NULL, 0);
  g_signal_connect (health_factory, "setup", G_CALLBACK (health_cell_setup), NULL);
  g_signal_connect (health_factory, "bind", G_CALLBACK (health_cell_bind), NULL);
  gtk_column_view_column_set_factory (self->health_column, health_factory);
  g_object_unref (health_factory);

  backups_list_page_sort_by_text (self->site_sorter, (BackupsItemTextFunc)backups_site_get_site_url);
  backups_list_page_sort_by_text (self->organization_sorter,
                                  (BackupsItemTextFunc)backups_site_get_org_name);
  backups_list_page_sort_by_text (self->account_sorter,
                                  (BackupsItemTextFunc)backups_site_get_account_name);
  backups_list_page_sort_by_text (self->server_sorter,
                                  (BackupsItemTextFunc)backups_site_get_server_label);
  gtk_custom_sorter_set_sort_func (self->local_sorter, compare_described,
                                   backups_site_describe_local, NULL);
  gtk_custom_sorter_set_sort_func (self->remote_sorter, compare_described,
                                   backups_site_describe_remote, NULL);
  gtk_custom_sorter_set_sort_func (self->next_backup_sorter, compare_next_backup, NULL, NULL);
  gtk_custom_sorter_set_sort_func (self->health_sorter, compare_health, NULL, NULL);

  update_summary (self);
}
