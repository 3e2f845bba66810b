/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-window.c
 *
 * The window never talks to GridPane. It shows two live query models over
 * the store, re-reads the accounts' sync status in a worker when the store
 * changes (which covers syncs by other processes too), and asks the sync service
 * for syncs: on demand, at launch and on organization switch when the
 * cache is stale, and periodically.
 *
 * While the store is damaged the lists give way to a page that says so and
 * rebuilds it; the rebuilt cache is synced for every organization.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-damaged-page.h"
#include "backups-format.h"
#include "backups-integrations-page.h"
#include "backups-org-summary.h"
#include "backups-query-model.h"
#include "backups-schedules-page.h"
#include "backups-sites-page.h"
#include "backups-window.h"

/* How often the footer's "Last synced … ago" is rewritten. */
#define FOOTER_REFRESH_SECONDS 30
/* The shortest auto-sync interval, whatever the setting says. */
#define MIN_INTERVAL_MINUTES 5
/* A little slack, so the periodic timer does not skip a round because the
 * last sync finished a few seconds after it last fired. */
#define STALE_SLACK_SECONDS 30

struct _BackupsWindow
{
  AdwApplicationWindow parent_instance;

  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *sync_service;
  GSettings          *settings;
  gboolean            auto_sync;

  GListStore *orgs;
  gint64      org_id;
  char       *org_name;
  gboolean    has_accounts;
  gboolean    updating_orgs;
  /* The store's change serial when the organizations were last read. */
  guint64 orgs_serial;
  /* The accounts and last sync of org_id, for the banner and the footer:
   * read at once on an organization switch, in a worker when the store
   * changes, at most one read at a time. */
  BackupsOrgSummary *summary;
  GCancellable      *summary_cancellable; /* the read in flight */
  gboolean           summary_again;       /* the store changed during it */
  /* An automatic sync had to wait for a running one (of the organization
   * we just left) to wind down. */
  gboolean stale_check_pending;
  /* The running sync was asked for by the user (its end is news). */
  gboolean sync_asked;
  /* What the last rebuild could not recover, until dismissed. */
  char **rebuild_notes;

  BackupsSitesModel *sites;
  BackupsQueryModel *schedules;
  BackupsQueryModel *integrations;

  GCancellable    *sync_cancellable;
  GCancellable    *rebuild_sync_cancellable; /* not cancelled by a switch */
  GSimpleAction   *sync_action;
  GBinding        *syncing_bindings[3]; /* from the service, which outlives us */
  GNetworkMonitor *network_monitor;
  gulong           store_changed_id;
  gulong           damaged_id;
  gulong           syncing_id;
  gulong           network_id;
  gulong           interval_changed_id;
  guint            periodic_sync_id;
  guint            footer_timer_id;

  /* Template children */
  GtkDropDown          *org_dropdown;
  GtkButton            *sync_button;
  AdwViewSwitcherTitle *switcher_title;
  AdwViewSwitcherBar   *switcher_bar;
  AdwToastOverlay      *toast_overlay;
  GtkWidget            *search_button;
  GtkStack             *sync_button_stack;
  GtkSpinner           *sync_spinner;
  GtkRevealer          *banner_revealer;
  GtkWidget            *banner;
  GtkLabel             *banner_label;
  GtkButton            *banner_button;
  GtkButton            *banner_dismiss_button;
  GtkSearchBar         *search_bar;
  GtkSearchEntry       *search_entry;
  GtkStack             *content_stack;
  AdwViewStack         *main_stack;
  BackupsDamagedPage   *damaged_page;
  BackupsListPage      *sites_page;
  BackupsListPage      *schedules_page;
  BackupsListPage      *integrations_page;
  GtkWidget            *footer_separator;
  GtkLabel             *footer_label;
};

G_DEFINE_FINAL_TYPE (BackupsWindow, backups_window, ADW_TYPE_APPLICATION_WINDOW)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_SYNC_SERVICE,
  PROP_SETTINGS,
  PROP_AUTO_SYNC,
  PROP_NETWORK_MONITOR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void update_footer (BackupsWindow *self);

/* The switcher moves to the bottom when the title has no room for it,
 * and shows nowhere while there are no views (welcome, damaged). */
static void
update_switcher_bar (BackupsWindow *self)
{
  gboolean reveal;

  if (self->switcher_bar == NULL)
    return;

  reveal = adw_view_switcher_title_get_view_switcher_enabled (self->switcher_title)
           && adw_view_switcher_title_get_title_visible (self->switcher_title);
  adw_view_switcher_bar_set_reveal (self->switcher_bar, reveal);
}

static gboolean
is_offline (BackupsWindow *self)
{
  return !g_network_monitor_get_network_available (self->network_monitor);
}

static gboolean
syncing_to_page_name (GBinding *binding, const GValue *from, GValue *to, gpointer user_data)
{
  g_value_set_string (to, g_value_get_boolean (from) ? "syncing" : "idle");
  return TRUE;
}

static guint
get_interval_seconds (BackupsWindow *self)
{
  guint minutes = g_settings_get_uint (self->settings, "auto-sync-interval");

  return MAX (minutes, MIN_INTERVAL_MINUTES) * 60;
}

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsWindow) self = user_data;
  g_autoptr (GError) error = NULL;

  /* Failures are in the store (each account's last error), which is where
   * the banner reads them from, for this process and every other one. */
  if (!backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    {
      g_debug ("Sync failed: %s", error->message);
      /* The banner keeps the details; the toast says that the sync the
       * user asked for is over. Automatic ones leave the banner alone to
       * speak, rather than repeat a toast every interval. */
      if (self->toast_overlay != NULL && self->sync_asked)
        backups_window_add_toast (
          self,
          adw_toast_new (_ ("The sync finished with errors. The banner names the accounts.")));
    }

  update_footer (self);
}

void
backups_window_show_page (BackupsWindow *self, const char *name)
{
  g_return_if_fail (BACKUPS_IS_WINDOW (self));

  adw_view_stack_set_visible_child_name (self->main_stack, name);
}

static void
start_sync (BackupsWindow *self, gboolean asked)
{
  /* Offline, a sync could only fail; the banner says why nothing
   * happens, and going back online syncs a stale cache. */
  if (self->org_id == 0 || self->sync_service == NULL || is_offline (self)
      || backups_store_is_damaged (self->store)
      || backups_sync_service_get_syncing (self->sync_service))
    return;

  g_clear_object (&self->sync_cancellable);
  self->sync_cancellable = g_cancellable_new ();
  self->sync_asked = asked;
  backups_sync_service_sync_org_async (self->sync_service, self->org_id, self->sync_cancellable,
                                       sync_done_cb, g_object_ref (self));
}

void
backups_window_sync (BackupsWindow *self)
{
  g_return_if_fail (BACKUPS_IS_WINDOW (self));

  start_sync (self, FALSE);
}

/* Syncs when the shown organization's data is older than the interval. */
static void
sync_if_stale (BackupsWindow *self)
{
  g_autoptr (GError) error = NULL;
  gint64 last_synced;
  gint64 now;

  if (!self->auto_sync || self->org_id == 0 || !self->has_accounts || is_offline (self))
    return;

  last_synced = backups_store_org_last_synced (self->store, self->org_id, &error);
  if (error != NULL)
    {
      g_debug ("Could not read the last sync time: %s", error->message);
      return;
    }

  now = g_get_real_time () / G_USEC_PER_SEC;
  if (now - last_synced + STALE_SLACK_SECONDS < (gint64)get_interval_seconds (self))
    return;

  if (self->sync_service != NULL && backups_sync_service_get_syncing (self->sync_service))
    self->stale_check_pending = TRUE;
  else
    backups_window_sync (self);
}

static void
syncing_changed_cb (BackupsWindow *self)
{
  update_footer (self);

  if (!backups_sync_service_get_syncing (self->sync_service) && self->stale_check_pending)
    {
      self->stale_check_pending = FALSE;
      sync_if_stale (self);
    }
}

static gboolean
periodic_sync_cb (gpointer user_data)
{
  sync_if_stale (BACKUPS_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

static void
restart_periodic_sync (BackupsWindow *self)
{
  g_clear_handle_id (&self->periodic_sync_id, g_source_remove);
  if (self->auto_sync)
    self->periodic_sync_id
      = g_timeout_add_seconds (get_interval_seconds (self), periodic_sync_cb, self);
}

static guint
total_for (GListModel *model)
{
  return model != NULL ? g_list_model_get_n_items (model) : 0;
}

/* "120 sites", or "3 of 120 sites" while a search or a filter leaves
 * some out; schedules and integrations likewise. */
static char *
count_text (const char *page_name, guint shown, guint total)
{
  if (g_strcmp0 (page_name, "sites") == 0)
    return shown != total
             /* Translators: rows left by the search filter, "3 of 120 sites" */
             ? g_strdup_printf (
                 g_dngettext (GETTEXT_PACKAGE, "%u of %u site", "%u of %u sites", total), shown,
                 total)
             /* Translators: the footer's count, "120 sites" */
             : g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u site", "%u sites", total), total);
  if (g_strcmp0 (page_name, "schedules") == 0)
    return shown != total
             /* Translators: rows left by the search filter, "3 of 120 schedules" */
             ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u schedule",
                                             "%u of %u schedules", total),
                                shown, total)
             : g_strdup_printf (
                 g_dngettext (GETTEXT_PACKAGE, "%u schedule", "%u schedules", total), total);
  return shown != total
           ? g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u integration",
                                           "%u of %u integrations", total),
                              shown, total)
           : g_strdup_printf (
               g_dngettext (GETTEXT_PACKAGE, "%u integration", "%u integrations", total), total);
}

static void
update_footer (BackupsWindow *self)
{
  g_autofree char *count = NULL;
  g_autofree char *synced = NULL;
  g_autofree char *text = NULL;
  const char      *page_name;
  GListModel      *model;
  BackupsListPage *page;
  gboolean         loading = FALSE;
  guint            total, shown;
  gint64           last_synced;

  if (self->footer_label == NULL)
    return;

  if (self->org_id == 0)
    {
      gtk_label_set_label (self->footer_label, "");
      return;
    }

  /* The shown page's rows, in its words. */
  page_name = adw_view_stack_get_visible_child_name (self->main_stack);
  if (g_strcmp0 (page_name, "sites") == 0)
    {
      model = G_LIST_MODEL (self->sites);
      page = self->sites_page;
    }
  else if (g_strcmp0 (page_name, "schedules") == 0)
    {
      model = G_LIST_MODEL (self->schedules);
      page = self->schedules_page;
    }
  else
    {
      model = G_LIST_MODEL (self->integrations);
      page = self->integrations_page;
    }
  total = total_for (model);
  shown = backups_list_page_get_n_shown (page);
  g_object_get (model, "loading", &loading, NULL);

  if (loading)
    count = g_strdup (_ ("Loading…"));
  else
    count = count_text (page_name, shown, total);

  last_synced = self->summary != NULL ? self->summary->last_synced : 0;
  if (self->sync_service != NULL && backups_sync_service_get_syncing (self->sync_service))
    synced = g_strdup (_ ("Syncing…"));
  else if (last_synced > 0)
    {
      g_autofree char *ago
        = backups_format_relative_time (last_synced, g_get_real_time () / G_USEC_PER_SEC);

      /* Translators: "Last synced 5 minutes ago" */
      synced = g_strdup_printf (_ ("Last synced %s"), ago);
    }
  else
    synced = g_strdup (_ ("Never synced"));

  /* Translators: the footer, "120 schedules · Last synced 5 minutes ago" */
  text = g_strdup_printf (_ ("%s · %s"), count, synced);
  gtk_label_set_label (self->footer_label, text);
}

static gboolean
footer_timer_cb (gpointer user_data)
{
  update_footer (BACKUPS_WINDOW (user_data));
  return G_SOURCE_CONTINUE;
}

/* The banner: every account of the organization whose last sync failed,
 * every one whose last sync kept rows with values it could not read (the
 * reasons in the tooltip), and being offline. */
static void
update_banner (BackupsWindow *self)
{
  GPtrArray *accounts = self->summary != NULL ? self->summary->accounts : NULL;
  g_autoptr (GString) text = g_string_new (NULL);
  g_autoptr (GString) reasons = g_string_new (NULL);
  gboolean has_errors = FALSE;
  gboolean has_unreadable = FALSE;
  gboolean has_notes = self->rebuild_notes != NULL;
  gboolean offline;

  if (self->banner_label == NULL)
    return;

  /* The damaged page says all there is to say. */
  if (backups_store_is_damaged (self->store))
    {
      self->has_accounts = FALSE;
      gtk_revealer_set_reveal_child (self->banner_revealer, FALSE);
      return;
    }

  self->has_accounts = accounts != NULL && accounts->len > 0;

  for (guint i = 0; accounts != NULL && i < accounts->len; i++)
    {
      BackupsAccount *account = g_ptr_array_index (accounts, i);
      const char     *name = backups_account_get_name (account);
      const char     *message = backups_account_get_last_sync_error (account);
      guint           unreadable = backups_account_get_last_sync_unreadable (account);

      if (unreadable > 0)
        {
          const char *why = backups_account_get_last_sync_unreadable_reasons (account);

          if (text->len > 0)
            g_string_append_c (text, '\n');
          g_string_append_printf (text,
                                  /* Translators: an account's name, then a count of rows */
                                  ngettext ("Account ‘%s’: %u row had values Backups could not "
                                            "read. They show as Unknown.",
                                            "Account ‘%s’: %u rows had values Backups could not "
                                            "read. They show as Unknown.",
                                            unreadable),
                                  name, unreadable);
          if (why != NULL)
            g_string_append_printf (reasons, "%s%s", reasons->len > 0 ? "\n" : "", why);
          has_unreadable = TRUE;
        }

      if (backups_account_get_last_sync_status (account) != BACKUPS_SYNC_STATUS_ERROR)
        continue;

      if (text->len > 0)
        g_string_append_c (text, '\n');

      if (message == NULL || *message == '\0')
        /* Translators: the account's name */
        g_string_append_printf (text, _ ("The last sync of account ‘%s’ failed."), name);
      else if (strstr (message, name) != NULL)
        g_string_append (text, message);
      else
        /* Translators: an account's name and the error of its last sync */
        g_string_append_printf (text, _ ("Account ‘%s’: %s"), name, message);
      has_errors = TRUE;
    }

  for (guint i = 0; has_notes && self->rebuild_notes[i] != NULL; i++)
    {
      if (text->len > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, self->rebuild_notes[i]);
    }

  offline = is_offline (self);
  if (offline)
    {
      gint64 last_synced = self->summary != NULL ? self->summary->last_synced : 0;

      if (text->len > 0)
        g_string_append_c (text, '\n');
      if (last_synced > 0)
        {
          g_autoptr (GDateTime) utc = g_date_time_new_from_unix_utc (last_synced);
          g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
          g_autofree char *when = backups_format_local_time (utc, now);

          /* Translators: the banner while offline; "Today 14:05" */
          g_string_append_printf (text, _ ("Offline — showing data from %s"), when);
        }
      else
        g_string_append (text, _ ("Offline — nothing has been synced yet"));
    }

  gtk_label_set_label (self->banner_label, text->str);
  gtk_widget_set_tooltip_text (GTK_WIDGET (self->banner_label),
                               reasons->len > 0 ? reasons->str : NULL);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_button), has_errors);
  gtk_widget_set_visible (GTK_WIDGET (self->banner_dismiss_button), has_notes);
  if (has_errors || has_notes)
    gtk_widget_remove_css_class (self->banner, "offline");
  else
    gtk_widget_add_css_class (self->banner, "offline");
  gtk_revealer_set_reveal_child (self->banner_revealer,
                                 has_errors || has_unreadable || has_notes || offline);
}

static void
dismiss_notes_cb (BackupsWindow *self)
{
  g_clear_pointer (&self->rebuild_notes, g_strfreev);
  update_banner (self);
}

static void
network_changed_cb (BackupsWindow *self)
{
  update_banner (self);
  if (!is_offline (self))
    sync_if_stale (self);
}

static void
update_context (BackupsWindow *self)
{
  gboolean    damaged = backups_store_is_damaged (self->store);
  gboolean    welcome = !damaged && g_list_model_get_n_items (G_LIST_MODEL (self->orgs)) == 0;
  gboolean    lists = !damaged && !welcome;
  GAction    *search_action = g_action_map_lookup_action (G_ACTION_MAP (self), "search");
  const char *page = "main";

  /* A damaged cache shows nothing of what is left of it, only what it is
   * and the way out. First run: no organization yet, so the next step is
   * an account or the demo, not an empty table. */
  if (damaged)
    page = "damaged";
  else if (welcome)
    page = "welcome";
  gtk_stack_set_visible_child_name (self->content_stack, page);
  gtk_widget_set_visible (GTK_WIDGET (self->org_dropdown), lists);
  /* Without views the title shows the window's title alone. */
  adw_view_switcher_title_set_view_switcher_enabled (self->switcher_title, lists);
  update_switcher_bar (self);
  gtk_widget_set_visible (GTK_WIDGET (self->sync_button), lists);
  gtk_widget_set_visible (GTK_WIDGET (self->search_button), lists);
  gtk_widget_set_visible (GTK_WIDGET (self->footer_label), lists);
  gtk_widget_set_visible (GTK_WIDGET (self->footer_separator), lists);
  /* Nothing to search, and typing must not open the search bar. */
  if (!lists)
    gtk_search_bar_set_search_mode (self->search_bar, FALSE);
  gtk_search_bar_set_key_capture_widget (self->search_bar, lists ? GTK_WIDGET (self) : NULL);
  g_simple_action_set_enabled (G_SIMPLE_ACTION (search_action), lists);
  update_banner (self);
  backups_list_page_set_context (self->sites_page, self->org_name, self->has_accounts);
  backups_list_page_set_context (self->schedules_page, self->org_name, self->has_accounts);
  backups_list_page_set_context (self->integrations_page, self->org_name, self->has_accounts);
  update_footer (self);
}

/* The live model of page `name`. */
static GListModel *
page_model (BackupsWindow *self, const char *name)
{
  if (g_strcmp0 (name, "schedules") == 0)
    return G_LIST_MODEL (self->schedules);
  if (g_strcmp0 (name, "integrations") == 0)
    return G_LIST_MODEL (self->integrations);
  return G_LIST_MODEL (self->sites);
}

static gboolean
model_loading (GListModel *model)
{
  gboolean loading = FALSE;

  g_object_get (model, "loading", &loading, NULL);
  return loading;
}

static void
model_set_org_id (GListModel *model, gint64 org_id)
{
  if (BACKUPS_IS_SITES_MODEL (model))
    {
      if (backups_sites_model_get_org_id (BACKUPS_SITES_MODEL (model)) != org_id)
        backups_sites_model_set_org_id (BACKUPS_SITES_MODEL (model), org_id);
    }
  else if (backups_query_model_get_org_id (BACKUPS_QUERY_MODEL (model)) != org_id)
    backups_query_model_set_org_id (BACKUPS_QUERY_MODEL (model), org_id);
}

/* The shown page's model reads the organization first; the other pages'
 * follow once it has its rows, so that on two cores the first rows the
 * user sees do not wait for lists nobody looks at yet. */
static void
update_model_orgs (BackupsWindow *self)
{
  const char      *shown_name = adw_view_stack_get_visible_child_name (self->main_stack);
  GListModel      *shown = page_model (self, shown_name);
  GListModel      *models[] = { G_LIST_MODEL (self->sites), G_LIST_MODEL (self->schedules),
                                G_LIST_MODEL (self->integrations) };
  BackupsListPage *pages[] = { self->sites_page, self->schedules_page, self->integrations_page };
  gboolean         now;

  if (self->sites == NULL)
    return;

  model_set_org_id (shown, self->org_id);
  now = !model_loading (shown);
  for (guint i = 0; i < G_N_ELEMENTS (models); i++)
    {
      if (now)
        model_set_org_id (models[i], self->org_id);
      /* Until then a page says it is loading, not that it is empty. */
      backups_list_page_set_waiting (pages[i], models[i] != shown && !now);
    }
}

static void
set_org (BackupsWindow *self, BackupsOrg *org)
{
  gint64   org_id = org ? backups_org_get_id (org) : 0;
  gboolean switched = org_id != self->org_id;

  g_free (self->org_name);
  self->org_name = org ? g_strdup (backups_org_get_name (org)) : NULL;

  if (switched)
    {
      /* A sync of the organization we leave is not wanted any more. */
      g_cancellable_cancel (self->sync_cancellable);
      self->org_id = org_id;
      update_model_orgs (self);
      if (org != NULL)
        g_settings_set_string (self->settings, "last-organization", self->org_name);
      /* What the banner says of the new organization shows with it. */
      g_clear_pointer (&self->summary, backups_org_summary_free);
      self->summary = backups_org_summary_load (self->store, org_id);
    }

  update_context (self);

  if (switched)
    sync_if_stale (self);
}

static void
org_selected_cb (BackupsWindow *self)
{
  if (self->updating_orgs)
    return;

  set_org (self, gtk_drop_down_get_selected_item (self->org_dropdown));
}

static gboolean
orgs_equal (GListModel *model, GPtrArray *orgs)
{
  if (g_list_model_get_n_items (model) != orgs->len)
    return FALSE;

  for (guint i = 0; i < orgs->len; i++)
    {
      g_autoptr (BackupsOrg) old = g_list_model_get_item (model, i);
      BackupsOrg *new = g_ptr_array_index (orgs, i);

      if (backups_org_get_id (old) != backups_org_get_id (new)
          || g_strcmp0 (backups_org_get_name (old), backups_org_get_name (new)) != 0)
        return FALSE;
    }

  return TRUE;
}

/* Shows `orgs` (read at the store's change serial `serial`) unless newer
 * ones show already. Keeps the shown one if it still exists, else the
 * remembered one, else the first by name. */
static void
show_orgs (BackupsWindow *self, GPtrArray *orgs, guint64 serial)
{
  g_autofree char *remembered = NULL;
  guint            selected = GTK_INVALID_LIST_POSITION;

  if (serial < self->orgs_serial)
    return;
  self->orgs_serial = serial;

  if (orgs_equal (G_LIST_MODEL (self->orgs), orgs))
    return;

  remembered = g_settings_get_string (self->settings, "last-organization");
  for (guint i = 0; i < orgs->len && selected == GTK_INVALID_LIST_POSITION; i++)
    if (backups_org_get_id (g_ptr_array_index (orgs, i)) == self->org_id)
      selected = i;
  for (guint i = 0; i < orgs->len && selected == GTK_INVALID_LIST_POSITION; i++)
    if (g_strcmp0 (backups_org_get_name (g_ptr_array_index (orgs, i)), remembered) == 0)
      selected = i;
  if (selected == GTK_INVALID_LIST_POSITION && orgs->len > 0)
    selected = 0;

  self->updating_orgs = TRUE;
  g_list_store_splice (self->orgs, 0, g_list_model_get_n_items (G_LIST_MODEL (self->orgs)),
                       orgs->pdata, orgs->len);
  gtk_drop_down_set_selected (self->org_dropdown, selected);
  self->updating_orgs = FALSE;

  gtk_widget_set_sensitive (GTK_WIDGET (self->org_dropdown), orgs->len > 0);
  set_org (self, selected != GTK_INVALID_LIST_POSITION ? g_ptr_array_index (orgs, selected) : NULL);
}

/* Reads the organizations now: when the window opens, and after the user
 * changed them here. */
static void
reload_orgs (BackupsWindow *self)
{
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GError) error = NULL;
  guint64 serial = backups_store_get_change_serial (self->store);

  orgs = backups_store_list_orgs (self->store, &error);
  if (orgs == NULL)
    g_debug ("Could not list organizations: %s", error->message);
  else
    show_orgs (self, orgs, serial);
}

static void refresh_summary (BackupsWindow *self);

static void
summary_loaded_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (BackupsWindow) self = user_data;
  g_autoptr (BackupsOrgSummary) summary = NULL;

  /* Only cancelled, by dispose: the window is going. */
  summary = backups_org_summary_load_finish (BACKUPS_STORE (object), result, NULL);
  if (summary == NULL)
    return;

  g_clear_object (&self->summary_cancellable);
  if (summary->orgs != NULL)
    show_orgs (self, summary->orgs, summary->serial);
  /* After a switch, the new organization's was read already. */
  if (summary->org_id == self->org_id)
    {
      g_clear_pointer (&self->summary, backups_org_summary_free);
      self->summary = g_steal_pointer (&summary);
      update_context (self);
    }

  if (self->summary_again)
    {
      self->summary_again = FALSE;
      refresh_summary (self);
    }
}

/* Re-reads the summary in a worker: a sync changes the store once per
 * account and page, and the main thread has frames to draw. */
static void
refresh_summary (BackupsWindow *self)
{
  if (self->summary_cancellable != NULL)
    {
      self->summary_again = TRUE;
      return;
    }

  self->summary_cancellable = g_cancellable_new ();
  backups_org_summary_load_async (self->store, self->org_id, self->summary_cancellable,
                                  summary_loaded_cb, g_object_ref (self));
}

static void
store_changed_cb (BackupsWindow *self)
{
  /* The organizations, the accounts and the last sync are read in a
   * worker; the lists read theirs in their own. */
  update_context (self);
  refresh_summary (self);
}

/* After a rebuild the cache has its organizations and accounts but no
 * rows: every organization syncs, not only the shown one. */
static void
sync_every_org (BackupsWindow *self)
{
  guint n = g_list_model_get_n_items (G_LIST_MODEL (self->orgs));

  if (self->sync_service == NULL || is_offline (self))
    return;

  g_cancellable_cancel (self->rebuild_sync_cancellable);
  g_clear_object (&self->rebuild_sync_cancellable);
  self->rebuild_sync_cancellable = g_cancellable_new ();
  self->sync_asked = FALSE;

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BackupsOrg) org = g_list_model_get_item (G_LIST_MODEL (self->orgs), i);

      backups_sync_service_sync_org_async (self->sync_service, backups_org_get_id (org),
                                           self->rebuild_sync_cancellable, sync_done_cb,
                                           g_object_ref (self));
    }
}

static void
damaged_page_rebuilt_cb (BackupsWindow *self, GStrv notes)
{
  g_clear_pointer (&self->rebuild_notes, g_strfreev);
  if (notes != NULL && notes[0] != NULL)
    self->rebuild_notes = g_strdupv (notes);

  /* The organizations were written anew, perhaps under other ids: the
   * shown one is chosen again by its name. */
  self->updating_orgs = TRUE;
  g_list_store_remove_all (self->orgs);
  self->updating_orgs = FALSE;
  set_org (self, NULL);
  reload_orgs (self);
  update_context (self);

  sync_every_org (self);
}

static void
search_changed_cb (BackupsWindow *self)
{
  const char *text = gtk_editable_get_text (GTK_EDITABLE (self->search_entry));

  backups_list_page_set_search_text (self->sites_page, text);
  backups_list_page_set_search_text (self->schedules_page, text);
  backups_list_page_set_search_text (self->integrations_page, text);
}

static void
stop_search_cb (BackupsWindow *self)
{
  gtk_editable_set_text (GTK_EDITABLE (self->search_entry), "");
  gtk_search_bar_set_search_mode (self->search_bar, FALSE);
}

static void
sync_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  /* Ctrl+R, the Sync button, Retry. */
  start_sync (BACKUPS_WINDOW (user_data), TRUE);
}

static void
search_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  BackupsWindow *self = BACKUPS_WINDOW (user_data);

  gtk_search_bar_set_search_mode (self->search_bar, TRUE);
  gtk_widget_grab_focus (GTK_WIDGET (self->search_entry));
}

static void
save_window_state (BackupsWindow *self)
{
  int width, height;

  gtk_window_get_default_size (GTK_WINDOW (self), &width, &height);
  g_settings_set_boolean (self->settings, "window-maximized",
                          gtk_window_is_maximized (GTK_WINDOW (self)));
  if (!gtk_window_is_maximized (GTK_WINDOW (self)) && width > 0 && height > 0)
    {
      g_settings_set_int (self->settings, "window-width", width);
      g_settings_set_int (self->settings, "window-height", height);
    }
}

static gboolean
backups_window_close_request (GtkWindow *window)
{
  BackupsWindow *self = BACKUPS_WINDOW (window);

  save_window_state (self);
  g_cancellable_cancel (self->sync_cancellable);

  return GTK_WINDOW_CLASS (backups_window_parent_class)->close_request (window);
}

static void
backups_window_constructed (GObject *object)
{
  BackupsWindow *self = BACKUPS_WINDOW (object);

  G_OBJECT_CLASS (backups_window_parent_class)->constructed (object);

  g_return_if_fail (BACKUPS_IS_STORE (self->store));

  if (self->settings == NULL)
    self->settings = g_settings_new (APP_ID);

  gtk_window_set_default_size (GTK_WINDOW (self),
                               g_settings_get_int (self->settings, "window-width"),
                               g_settings_get_int (self->settings, "window-height"));
  if (g_settings_get_boolean (self->settings, "window-maximized"))
    gtk_window_maximize (GTK_WINDOW (self));

  self->sites = backups_sites_model_new (self->store);
  backups_sites_model_follow_settings (self->sites, self->settings);
  self->schedules = backups_query_model_new (self->store, BACKUPS_QUERY_SCHEDULES);
  self->integrations = backups_query_model_new (self->store, BACKUPS_QUERY_INTEGRATIONS);
  if (self->sync_service != NULL)
    {
      g_object_bind_property (self->sync_service, "timeout", self->schedules, "sync-timeout",
                              G_BINDING_SYNC_CREATE);
      g_object_bind_property (self->sync_service, "timeout", self->integrations, "sync-timeout",
                              G_BINDING_SYNC_CREATE);
    }
  backups_sites_page_set_sites_model (BACKUPS_SITES_PAGE (self->sites_page), self->sites);
  backups_list_page_set_model (self->schedules_page, G_LIST_MODEL (self->schedules));
  backups_list_page_set_model (self->integrations_page, G_LIST_MODEL (self->integrations));
  g_signal_connect_object (self->sites, "notify::loading", G_CALLBACK (update_footer), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sites, "notify::loading", G_CALLBACK (update_model_orgs), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->schedules, "notify::loading", G_CALLBACK (update_model_orgs),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->integrations, "notify::loading", G_CALLBACK (update_model_orgs),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->main_stack, "notify::visible-child",
                           G_CALLBACK (update_model_orgs), self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->sites_page, "notify::n-shown", G_CALLBACK (update_footer), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->schedules, "notify::loading", G_CALLBACK (update_footer), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->integrations, "notify::loading", G_CALLBACK (update_footer), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->schedules_page, "notify::n-shown", G_CALLBACK (update_footer),
                           self, G_CONNECT_SWAPPED);
  g_signal_connect_object (self->integrations_page, "notify::n-shown", G_CALLBACK (update_footer),
                           self, G_CONNECT_SWAPPED);

  /* The Sync button and action follow the service; nothing sets them by
   * hand. */
  if (self->sync_service != NULL)
    {
      self->syncing_bindings[0]
        = g_object_bind_property (self->sync_service, "syncing", self->sync_action, "enabled",
                                  G_BINDING_SYNC_CREATE | G_BINDING_INVERT_BOOLEAN);
      self->syncing_bindings[1] = g_object_bind_property (
        self->sync_service, "syncing", self->sync_spinner, "spinning", G_BINDING_SYNC_CREATE);
      self->syncing_bindings[2] = g_object_bind_property_full (
        self->sync_service, "syncing", self->sync_button_stack, "visible-child-name",
        G_BINDING_SYNC_CREATE, syncing_to_page_name, NULL, NULL, NULL);
      self->syncing_id = g_signal_connect_swapped (self->sync_service, "notify::syncing",
                                                   G_CALLBACK (syncing_changed_cb), self);
    }
  else
    g_simple_action_set_enabled (self->sync_action, FALSE);

  backups_damaged_page_set_store (self->damaged_page, self->store);
  backups_damaged_page_set_secrets (self->damaged_page, self->secrets);

  self->store_changed_id
    = g_signal_connect_swapped (self->store, "changed", G_CALLBACK (store_changed_cb), self);
  /* Damage can be found at any time, by any reader: the lists go at once. */
  self->damaged_id = g_signal_connect_swapped (self->store, "notify::damaged",
                                               G_CALLBACK (store_changed_cb), self);
  if (self->network_monitor == NULL)
    self->network_monitor = g_object_ref (g_network_monitor_get_default ());
  self->network_id = g_signal_connect_swapped (self->network_monitor, "notify::network-available",
                                               G_CALLBACK (network_changed_cb), self);
  self->interval_changed_id = g_signal_connect_swapped (
    self->settings, "changed::auto-sync-interval", G_CALLBACK (restart_periodic_sync), self);

  /* The cache shows at once; a sync follows only if it is stale. */
  reload_orgs (self);
  if (self->org_id == 0)
    update_context (self);

  restart_periodic_sync (self);
  self->footer_timer_id = g_timeout_add_seconds (FOOTER_REFRESH_SECONDS, footer_timer_cb, self);
}

static void
backups_window_dispose (GObject *object)
{
  BackupsWindow *self = BACKUPS_WINDOW (object);

  g_cancellable_cancel (self->sync_cancellable);
  g_cancellable_cancel (self->rebuild_sync_cancellable);
  g_cancellable_cancel (self->summary_cancellable);
  /* A sync the window did not start may end after it is gone, and the
   * action outlives the window: its "enabled" change then reached a
   * finalized window (a critical). */
  for (guint i = 0; i < G_N_ELEMENTS (self->syncing_bindings); i++)
    {
      if (self->syncing_bindings[i] != NULL)
        g_binding_unbind (g_steal_pointer (&self->syncing_bindings[i]));
    }
  g_clear_handle_id (&self->periodic_sync_id, g_source_remove);
  g_clear_handle_id (&self->footer_timer_id, g_source_remove);
  g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_signal_handler (&self->damaged_id, self->store);
  g_clear_signal_handler (&self->syncing_id, self->sync_service);
  g_clear_signal_handler (&self->network_id, self->network_monitor);
  g_clear_signal_handler (&self->interval_changed_id, self->settings);

  gtk_widget_dispose_template (GTK_WIDGET (self), BACKUPS_TYPE_WINDOW);

  g_clear_object (&self->sites);
  g_clear_object (&self->schedules);
  g_clear_object (&self->integrations);
  g_clear_object (&self->orgs);
  g_clear_object (&self->sync_cancellable);
  g_clear_object (&self->rebuild_sync_cancellable);
  g_clear_object (&self->summary_cancellable);
  g_clear_object (&self->sync_action);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_object (&self->settings);
  g_clear_object (&self->network_monitor);

  G_OBJECT_CLASS (backups_window_parent_class)->dispose (object);
}

static void
backups_window_finalize (GObject *object)
{
  BackupsWindow *self = BACKUPS_WINDOW (object);

  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->rebuild_notes, g_strfreev);
  g_clear_pointer (&self->summary, backups_org_summary_free);

  G_OBJECT_CLASS (backups_window_parent_class)->finalize (object);
}

static void
backups_window_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsWindow *self = BACKUPS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_SYNC_SERVICE:
      g_value_set_object (value, self->sync_service);
      break;
    case PROP_SETTINGS:
      g_value_set_object (value, self->settings);
      break;
    case PROP_AUTO_SYNC:
      g_value_set_boolean (value, self->auto_sync);
      break;
    case PROP_NETWORK_MONITOR:
      g_value_set_object (value, self->network_monitor);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_window_set_property (GObject *object, guint prop_id, const GValue *value, GParamSpec *pspec)
{
  BackupsWindow *self = BACKUPS_WINDOW (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_SYNC_SERVICE:
      self->sync_service = g_value_dup_object (value);
      break;
    case PROP_SETTINGS:
      self->settings = g_value_dup_object (value);
      break;
    case PROP_AUTO_SYNC:
      self->auto_sync = g_value_get_boolean (value);
      break;
    case PROP_NETWORK_MONITOR:
      self->network_monitor = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_window_class_init (BackupsWindowClass *klass)
{
  GObjectClass   *object_class = G_OBJECT_CLASS (klass);
  GtkWidgetClass *widget_class = GTK_WIDGET_CLASS (klass);
  GtkWindowClass *window_class = GTK_WINDOW_CLASS (klass);

  object_class->constructed = backups_window_constructed;
  object_class->dispose = backups_window_dispose;
  object_class->finalize = backups_window_finalize;
  object_class->get_property = backups_window_get_property;
  object_class->set_property = backups_window_set_property;
  window_class->close_request = backups_window_close_request;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Where rebuilding a damaged cache finds the accounts whose rows are
   * lost; NULL: it keeps only those the damaged file still holds. */
  properties[PROP_SECRETS]
    = g_param_spec_object ("secrets", NULL, NULL, BACKUPS_TYPE_SECRETS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SYNC_SERVICE]
    = g_param_spec_object ("sync-service", NULL, NULL, BACKUPS_TYPE_SYNC_SERVICE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SETTINGS]
    = g_param_spec_object ("settings", NULL, NULL, G_TYPE_SETTINGS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Tests and benchmarks turn the automatic syncs off. */
  properties[PROP_AUTO_SYNC]
    = g_param_spec_boolean ("auto-sync", NULL, NULL, TRUE,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Tests pass a monitor they can take offline; NULL means the system's. */
  properties[PROP_NETWORK_MONITOR]
    = g_param_spec_object ("network-monitor", NULL, NULL, G_TYPE_NETWORK_MONITOR,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  g_type_ensure (BACKUPS_TYPE_ORG);
  g_type_ensure (BACKUPS_TYPE_SITES_PAGE);
  g_type_ensure (BACKUPS_TYPE_SCHEDULES_PAGE);
  g_type_ensure (BACKUPS_TYPE_INTEGRATIONS_PAGE);
  g_type_ensure (BACKUPS_TYPE_DAMAGED_PAGE);

  gtk_widget_class_set_template_from_resource (widget_class,
                                               "/org/example/Backups/ui/backups-window.ui");
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, org_dropdown);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, sync_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, switcher_title);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, switcher_bar);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, toast_overlay);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, search_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, sync_button_stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, sync_spinner);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, banner_revealer);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, banner);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, banner_label);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, banner_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, banner_dismiss_button);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, search_bar);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, search_entry);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, content_stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, main_stack);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, damaged_page);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, sites_page);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, schedules_page);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, integrations_page);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, footer_separator);
  gtk_widget_class_bind_template_child (widget_class, BackupsWindow, footer_label);
  gtk_widget_class_bind_template_callback (widget_class, search_changed_cb);
  gtk_widget_class_bind_template_callback (widget_class, stop_search_cb);
  gtk_widget_class_bind_template_callback (widget_class, update_footer);
  gtk_widget_class_bind_template_callback (widget_class, update_switcher_bar);
  gtk_widget_class_bind_template_callback (widget_class, dismiss_notes_cb);
  gtk_widget_class_bind_template_callback (widget_class, damaged_page_rebuilt_cb);
}

static void
backups_window_init (BackupsWindow *self)
{
  static const GActionEntry entries[] = {
    { "search", search_activated },
  };

  self->auto_sync = TRUE;
  gtk_widget_init_template (GTK_WIDGET (self));

  self->orgs = g_list_store_new (BACKUPS_TYPE_ORG);
  gtk_drop_down_set_model (self->org_dropdown, G_LIST_MODEL (self->orgs));
  g_signal_connect_swapped (self->org_dropdown, "notify::selected", G_CALLBACK (org_selected_cb),
                            self);

  self->sync_action = g_simple_action_new ("sync", NULL);
  g_signal_connect (self->sync_action, "activate", G_CALLBACK (sync_activated), self);
  g_action_map_add_action (G_ACTION_MAP (self), G_ACTION (self->sync_action));
  g_action_map_add_action_entries (G_ACTION_MAP (self), entries, G_N_ELEMENTS (entries), self);

  gtk_search_bar_connect_entry (self->search_bar, GTK_EDITABLE (self->search_entry));
  gtk_search_bar_set_key_capture_widget (self->search_bar, GTK_WIDGET (self));
}

BackupsWindow *
backups_window_new (GtkApplication     *application,
                    BackupsStore       *store,
                    BackupsSecrets     *secrets,
                    BackupsSyncService *sync_service,
                    GSettings          *settings)
{
  g_return_val_if_fail (application == NULL || GTK_IS_APPLICATION (application), NULL);
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);
  g_return_val_if_fail (secrets == NULL || BACKUPS_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (sync_service == NULL || BACKUPS_IS_SYNC_SERVICE (sync_service), NULL);
  g_return_val_if_fail (settings == NULL || G_IS_SETTINGS (settings), NULL);

  return g_object_new (BACKUPS_TYPE_WINDOW, "application", application, "store", store, "secrets",
                       secrets, "sync-service", sync_service, "settings", settings, NULL);
}

void
backups_window_add_toast (BackupsWindow *self, AdwToast *toast)
{
  g_return_if_fail (BACKUPS_IS_WINDOW (self));
  g_return_if_fail (ADW_IS_TOAST (toast));

  adw_toast_overlay_add_toast (self->toast_overlay, toast);
}

gint64
backups_window_get_org_id (BackupsWindow *self)
{
  g_return_val_if_fail (BACKUPS_IS_WINDOW (self), 0);

  return self->org_id;
}

void
backups_window_select_org (BackupsWindow *self, gint64 org_id)
{
  guint n;

  g_return_if_fail (BACKUPS_IS_WINDOW (self));

  n = g_list_model_get_n_items (G_LIST_MODEL (self->orgs));
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BackupsOrg) org = g_list_model_get_item (G_LIST_MODEL (self->orgs), i);

      if (backups_org_get_id (org) == org_id)
        {
          gtk_drop_down_set_selected (self->org_dropdown, i);
          return;
        }
    }
}
