/* test-window.c: the main window against a real store and the mock GridPane
 * server, under Xvfb (the display suite). */
#include "config.h"

#include <gtk/gtk.h>

#include "backups-accounts-window.h"
#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-query-model.h"
#include "backups-schedule.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"
#include "backups-window.h"
#include "gridpane-mock.h"

#define WAIT_MS 20000

typedef struct
{
  GridpaneMock       *mock;
  char               *base_url;
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  GSettings          *settings;
  BackupsWindow      *window;
} Fixture;

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  fixture->mock = gridpane_mock_new ();
  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  g_assert_true (gridpane_mock_start (fixture->mock, 0, &error));
  g_assert_no_error (error);
  fixture->base_url = gridpane_mock_get_base_url (fixture->mock);

  /* G_TEST_OPTION_ISOLATE_DIRS gives each test its own XDG_DATA_HOME. */
  fixture->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  fixture->secrets = backups_secrets_new_memory ();
  fixture->service = backups_sync_service_new (fixture->store, fixture->secrets,
                                               backups_gridpane_provider_factory, NULL);
  fixture->settings = g_settings_new (APP_ID);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
    }

  backups_sync_service_cancel_all (fixture->service);
  /* Let cancelled requests and pending queries wind down. */
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  g_clear_object (&fixture->settings);
  g_clear_object (&fixture->service);
  g_clear_object (&fixture->secrets);
  g_clear_object (&fixture->store);
  gridpane_mock_stop (fixture->mock);
  g_clear_object (&fixture->mock);
  g_clear_pointer (&fixture->base_url, g_free);
}

static BackupsOrg *
add_org (Fixture *fixture, const char *name)
{
  g_autoptr (GError) error = NULL;
  BackupsOrg *org = backups_store_add_org (fixture->store, name, &error);

  g_assert_no_error (error);
  return org;
}

/* An account in the store, its token in the memory secrets, and a fleet
 * whose names carry `prefix` at the mock. */
static BackupsAccount *
add_account (Fixture *fixture, BackupsOrg *org, const char *name, const char *prefix, guint seed)
{
  g_autoptr (GError) error = NULL;
  g_autofree char         *token = g_strdup_printf ("token-%s", prefix);
  g_autofree char         *secret_id = backups_secrets_generate_id ();
  GridpaneMockFleetOptions options = {
    .seed = seed,
    .n_servers = 3,
    .n_sites = 12,
    .n_integrations = 3,
    .name_prefix = prefix,
  };
  BackupsAccount *account;

  gridpane_mock_add_account (fixture->mock, token, &options);
  backups_secrets_store (fixture->secrets, secret_id, name, token, &error);
  g_assert_no_error (error);
  account = backups_store_add_account (fixture->store, backups_org_get_id (org), "gridpane", name,
                                       fixture->base_url, secret_id, &error);
  g_assert_no_error (error);
  return account;
}

static void
sync_org_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, NULL);
  *done = TRUE;
}

/* Syncs the org through the service, outside any window. */
static void
sync_org (Fixture *fixture, BackupsOrg *org)
{
  gboolean done = FALSE;

  backups_sync_service_sync_org_async (fixture->service, backups_org_get_id (org), NULL,
                                       sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
}

static BackupsWindow *
open_window (Fixture *fixture)
{
  fixture->window
    = g_object_new (BACKUPS_TYPE_WINDOW, "store", fixture->store, "sync-service", fixture->service,
                    "settings", fixture->settings, "auto-sync", FALSE, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  return fixture->window;
}

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static GtkWidget *
schedules_page (Fixture *fixture)
{
  return child (fixture->window, BACKUPS_TYPE_WINDOW, "schedules_page");
}

static const char *
page_state (Fixture *fixture)
{
  GtkStack *stack
    = child (schedules_page (fixture), G_TYPE_FROM_INSTANCE (schedules_page (fixture)), "stack");

  return gtk_stack_get_visible_child_name (stack);
}

/* The rows the user sees: the selection model of the column view. */
static GListModel *
shown_rows (Fixture *fixture)
{
  return child (schedules_page (fixture), G_TYPE_FROM_INSTANCE (schedules_page (fixture)),
                "selection");
}

typedef struct
{
  Fixture    *fixture;
  const char *state;
} StateWait;

static gboolean
state_is (gpointer data)
{
  StateWait *wait = data;

  return g_strcmp0 (page_state (wait->fixture), wait->state) == 0;
}

static void
wait_for_state (Fixture *fixture, const char *state)
{
  StateWait wait = { fixture, state };

  if (!backups_test_wait_until (state_is, &wait, WAIT_MS))
    g_error ("Page stayed “%s”, wanted “%s”", page_state (fixture), state);
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
settle (guint ms)
{
  backups_test_wait_until (never, NULL, ms);
}

/* With BACKUPS_SCREENSHOT_DIR set, saves what the window shows as
 * NAME.png there, for people to look at. */
static void
screenshot_window (GtkWindow *window, const char *name)
{
  const char *dir = g_getenv ("BACKUPS_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot     *snapshot;
  GskRenderer     *renderer;
  int              width, height;

  if (dir == NULL)
    return;

  settle (400);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;

  renderer = gtk_native_get_renderer (GTK_NATIVE (window));
  texture = gsk_renderer_render_texture (renderer, node, &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}

static void
screenshot (Fixture *fixture, const char *name)
{
  screenshot_window (GTK_WINDOW (fixture->window), name);
}

static void
assert_only_prefix (Fixture *fixture, const char *prefix)
{
  GListModel *rows = shown_rows (fixture);
  guint       n = g_list_model_get_n_items (rows);

  g_assert_cmpuint (n, >, 0);
  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BackupsSchedule) schedule = g_list_model_get_item (rows, i);

      if (strstr (backups_schedule_get_site_url (schedule), prefix) == NULL)
        g_error ("Row %u (%s) is not one of “%s”", i, backups_schedule_get_site_url (schedule),
                 prefix);
    }
}

static void
test_loading_then_list (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "acme", 1);
  GtkWidget *sync_spinner;

  /* Slow enough that the first sync is seen running. */
  gridpane_mock_set_latency (fixture->mock, 150);
  open_window (fixture);

  /* No result yet: the spinner, not an empty list. */
  g_assert_cmpstr (page_state (fixture), ==, "loading");

  backups_window_sync (fixture->window);
  g_assert_true (backups_sync_service_get_syncing (fixture->service));
  sync_spinner = child (fixture->window, BACKUPS_TYPE_WINDOW, "sync_spinner");
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (sync_spinner)));

  /* The never-synced org's first sync runs: still loading, never "empty". */
  settle (200);
  g_assert_cmpstr (page_state (fixture), ==, "loading");
  screenshot (fixture, "loading");

  wait_for_state (fixture, "list");
  screenshot (fixture, "list");
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), >, 0);
  assert_only_prefix (fixture, "acme");
}

static void
test_empty_state (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Empty");
  g_autoptr (BackupsAccount) account = NULL;
  GtkWidget *page;
  GtkLabel  *title;
  GtkWidget *button;
  GtkWidget *add_button;

  open_window (fixture);
  wait_for_state (fixture, "empty");

  page = schedules_page (fixture);
  title = child (page, G_TYPE_FROM_INSTANCE (page), "empty_title");
  button = child (page, G_TYPE_FROM_INSTANCE (page), "empty_button");

  /* No accounts: the next step is adding one. */
  g_assert_cmpstr (gtk_label_get_label (title), ==, "No GridPane Accounts");
  g_assert_false (gtk_widget_get_visible (button));
  add_button = child (page, G_TYPE_FROM_INSTANCE (page), "empty_add_button");
  g_assert_true (gtk_widget_get_visible (add_button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (add_button)), ==,
                   "app.accounts");
  screenshot (fixture, "empty-no-accounts");

  /* With an account (not synced yet), the next step is a sync. */
  account = add_account (fixture, org, "Main", "acme", 1);
  settle (300);
  g_assert_cmpstr (page_state (fixture), ==, "empty");
  g_assert_cmpstr (gtk_label_get_label (title), ==, "No Backup Schedules");
  g_assert_true (gtk_widget_get_visible (button));
  g_assert_false (gtk_widget_get_visible (add_button));
  g_assert_cmpstr (gtk_actionable_get_action_name (GTK_ACTIONABLE (button)), ==, "win.sync");
  screenshot (fixture, "empty-sync-now");

  /* Pressing it syncs, and the list appears by itself. */
  gtk_widget_activate (button);
  wait_for_state (fixture, "list");
}

static void
test_org_switch (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) acme = add_org (fixture, "Acme");
  g_autoptr (BackupsOrg) globex = add_org (fixture, "Globex");
  g_autoptr (BackupsAccount) acme_account = add_account (fixture, acme, "Main", "acmesentinel", 1);
  g_autoptr (BackupsAccount) globex_account
    = add_account (fixture, globex, "Globex", "globexsentinel", 2);

  sync_org (fixture, acme);
  sync_org (fixture, globex);

  open_window (fixture);
  /* The first organization by name. */
  g_assert_cmpint (backups_window_get_org_id (fixture->window), ==, backups_org_get_id (acme));
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "acmesentinel");

  backups_window_select_org (fixture->window, backups_org_get_id (globex));
  g_assert_cmpint (backups_window_get_org_id (fixture->window), ==, backups_org_get_id (globex));
  /* Never the other org's rows, not even for a moment. */
  g_assert_cmpstr (page_state (fixture), ==, "loading");
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "globexsentinel");

  /* Remembered for the next launch. */
  {
    g_autofree char *last = g_settings_get_string (fixture->settings, "last-organization");

    g_assert_cmpstr (last, ==, "Globex");
  }
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static gboolean
service_syncing (gpointer data)
{
  return backups_sync_service_get_syncing (data);
}

static gboolean
service_idle (gpointer data)
{
  return !backups_sync_service_get_syncing (data);
}

static gboolean
counter_nonzero (gpointer data)
{
  return *(guint *)data > 0;
}

static void
test_sync_updates_list (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "acme", 1);
  GtkStack *button_stack;
  guint     n_changes = 0;
  guint     n_before;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");
  n_before = g_list_model_get_n_items (shown_rows (fixture));
  g_signal_connect_swapped (shown_rows (fixture), "items-changed", G_CALLBACK (count_cb),
                            &n_changes);

  gridpane_mock_mutate_fleet (fixture->mock, "token-acme", 7);
  gridpane_mock_set_latency (fixture->mock, 100);

  /* The Sync button, as a click would. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL));
  g_assert_true (backups_test_wait_until (service_syncing, fixture->service, WAIT_MS));
  button_stack = child (fixture->window, BACKUPS_TYPE_WINDOW, "sync_button_stack");
  g_assert_cmpstr (gtk_stack_get_visible_child_name (button_stack), ==, "syncing");
  g_assert_false (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "sync"));
  /* A sync of an org that has data never blanks the list. */
  g_assert_cmpstr (page_state (fixture), ==, "list");

  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  g_assert_true (backups_test_wait_until (counter_nonzero, &n_changes, WAIT_MS));
  settle (300);
  g_assert_cmpstr (gtk_stack_get_visible_child_name (button_stack), ==, "idle");
  g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (fixture->window), "sync"));
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==,
                    gridpane_mock_get_n_schedules (fixture->mock, "token-acme"));
  (void)n_before;

  g_signal_handlers_disconnect_by_func (shown_rows (fixture), count_cb, &n_changes);
}

typedef struct
{
  GListModel *rows;
  guint       n;
} CountWait;

static gboolean
has_n_rows (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->rows) == wait->n;
}

static void
test_external_commit (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "acme", 1);
  g_autoptr (BackupsStore) other_store = NULL;
  g_autoptr (BackupsSyncService) other_service = NULL;
  g_autoptr (GError) error = NULL;
  gboolean  done = FALSE;
  CountWait wait;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");

  /* Another connection with its own sync service: what `backupsctl sync`
   * does from another process. */
  other_store = backups_store_open (backups_store_get_path (fixture->store), &error);
  g_assert_no_error (error);
  other_service = backups_sync_service_new (other_store, fixture->secrets,
                                            backups_gridpane_provider_factory, NULL);
  gridpane_mock_mutate_fleet (fixture->mock, "token-acme", 3);
  backups_sync_service_sync_org_async (other_service, backups_org_get_id (org), NULL,
                                       sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));

  /* No call into the window's store: its own polling must notice. */
  wait.rows = shown_rows (fixture);
  wait.n = gridpane_mock_get_n_schedules (fixture->mock, "token-acme");
  g_assert_true (backups_test_wait_until (has_n_rows, &wait, WAIT_MS));
}

typedef struct
{
  GtkRevealer *revealer;
} BannerWait;

static gboolean
banner_shown (gpointer data)
{
  BannerWait *wait = data;

  return gtk_revealer_get_reveal_child (wait->revealer);
}

static void
test_unauthorized_banner (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) main_account = add_account (fixture, org, "Main", "mainsentinel", 1);
  g_autoptr (BackupsAccount) client = add_account (fixture, org, "Client A", "clientsentinel", 2);
  GtkLabel  *label;
  BannerWait wait;
  guint      n_main = 0;
  guint      n_rows;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");
  n_rows = g_list_model_get_n_items (shown_rows (fixture));

  wait.revealer = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  label = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_label");
  g_assert_false (gtk_revealer_get_reveal_child (wait.revealer)
                  && strstr (gtk_label_get_label (label), "Client A") != NULL);

  gridpane_mock_set_fault (fixture->mock, "token-clientsentinel", NULL, GRIDPANE_MOCK_FAULT_STATUS,
                           401, 0, 0);
  backups_window_sync (fixture->window);
  g_assert_true (backups_test_wait_until (banner_shown, &wait, WAIT_MS));
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  settle (300);

  /* It names the failing account; the other account is not blamed. */
  screenshot (fixture, "error-banner");
  g_assert_nonnull (strstr (gtk_label_get_label (label), "Client A"));
  g_assert_null (strstr (gtk_label_get_label (label), "Main"));
  g_assert_true (
    gtk_widget_get_visible (child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_button")));

  /* Every row stays: Main's, and Client A's last good data. */
  g_assert_cmpstr (page_state (fixture), ==, "list");
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==, n_rows);
  for (guint i = 0; i < n_rows; i++)
    {
      g_autoptr (BackupsSchedule) schedule = g_list_model_get_item (shown_rows (fixture), i);

      if (g_strcmp0 (backups_schedule_get_account_name (schedule), "Main") == 0)
        n_main++;
    }
  g_assert_cmpuint (n_main, >, 0);

  /* Fixed token: the banner goes away with the next good sync. */
  gridpane_mock_clear_faults (fixture->mock);
  backups_window_sync (fixture->window);
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  settle (500);
  g_assert_false (gtk_revealer_get_reveal_child (wait.revealer));
}

static void
test_selection_survives_sync (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "acme", 1);
  g_autoptr (BackupsSchedule) selected = NULL;
  g_autoptr (BackupsSchedule) other = NULL;
  g_autoptr (BackupsSchedule) other_after = NULL;
  GtkSingleSelection *selection;
  guint               n_changes = 0;
  guint               other_position;
  gboolean            done = FALSE;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");

  selection = GTK_SINGLE_SELECTION (shown_rows (fixture));
  gtk_single_selection_set_selected (selection, 3);
  selected = g_object_ref (gtk_single_selection_get_selected_item (selection));
  other_position = 7;
  other = g_list_model_get_item (G_LIST_MODEL (selection), other_position);
  g_signal_connect_swapped (selection, "items-changed", G_CALLBACK (count_cb), &n_changes);

  /* Another row changes its time; the sort (by site) keeps its place. */
  g_assert_true (gridpane_mock_set_schedule_time (
    fixture->mock, "token-acme", backups_schedule_get_schedule_id (other),
    (backups_schedule_get_hour (other) + 3) % 24, backups_schedule_get_minute (other)));
  backups_sync_service_sync_org_async (fixture->service, backups_org_get_id (org), NULL,
                                       sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
  g_assert_true (backups_test_wait_until (counter_nonzero, &n_changes, WAIT_MS));
  settle (300);

  other_after = g_list_model_get_item (G_LIST_MODEL (selection), other_position);
  g_assert_cmpint (backups_schedule_get_schedule_id (other_after), ==,
                   backups_schedule_get_schedule_id (other));
  g_assert_cmpint (backups_schedule_get_hour (other_after), !=, backups_schedule_get_hour (other));

  g_assert_cmpuint (gtk_single_selection_get_selected (selection), ==, 3);
  g_assert_true (gtk_single_selection_get_selected_item (selection) == (gpointer)selected);

  g_signal_handlers_disconnect_by_func (selection, count_cb, &n_changes);
}

static void
test_search_and_integrations (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) main_account = add_account (fixture, org, "Main", "mainsentinel", 1);
  g_autoptr (BackupsAccount) client = add_account (fixture, org, "Client A", "clientsentinel", 2);
  GtkSearchBar *search_bar;
  GtkEditable  *entry;
  GtkStack     *main_stack;
  GtkWidget    *integrations;
  GListModel   *integration_rows;
  CountWait     wait;
  guint         n_all;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");
  n_all = g_list_model_get_n_items (shown_rows (fixture));

  /* Ctrl+F's action opens the search bar; the filter matches the account. */
  search_bar = child (fixture->window, BACKUPS_TYPE_WINDOW, "search_bar");
  entry = child (fixture->window, BACKUPS_TYPE_WINDOW, "search_entry");
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL));
  g_assert_true (gtk_search_bar_get_search_mode (search_bar));
  gtk_editable_set_text (entry, "client a");
  settle (500);
  assert_only_prefix (fixture, "clientsentinel");
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), <, n_all);
  screenshot (fixture, "search");

  /* Destinations and servers match too. */
  gtk_editable_set_text (entry, "mainsentinel");
  settle (500);
  assert_only_prefix (fixture, "mainsentinel");

  gtk_editable_set_text (entry, "");
  wait.rows = shown_rows (fixture);
  wait.n = n_all;
  g_assert_true (backups_test_wait_until (has_n_rows, &wait, WAIT_MS));

  /* The Integrations page: both accounts' integrations. */
  main_stack = child (fixture->window, BACKUPS_TYPE_WINDOW, "main_stack");
  gtk_stack_set_visible_child_name (main_stack, "integrations");
  integrations = child (fixture->window, BACKUPS_TYPE_WINDOW, "integrations_page");
  integration_rows = child (integrations, G_TYPE_FROM_INSTANCE (integrations), "selection");
  g_assert_cmpuint (g_list_model_get_n_items (integration_rows), ==,
                    gridpane_mock_get_n_integrations (fixture->mock, "token-mainsentinel")
                      + gridpane_mock_get_n_integrations (fixture->mock, "token-clientsentinel"));
  screenshot (fixture, "integrations");
}

typedef struct
{
  gboolean done;
  int      status;
} CliRun;

static void
cli_exited_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CliRun *run = user_data;

  g_subprocess_wait_finish (G_SUBPROCESS (object), result, NULL);
  run->status = g_subprocess_get_exit_status (G_SUBPROCESS (object));
  run->done = TRUE;
}

static void
cli_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  CliRun *run = user_data;
  g_autoptr (GError) error = NULL;

  /* A process that fails early may not read its stdin: its status says. */
  if (!g_subprocess_communicate_utf8_finish (G_SUBPROCESS (object), result, NULL, NULL, &error)
      && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_error ("backupsctl: %s", error->message);

  g_subprocess_wait_async (G_SUBPROCESS (object), NULL, cli_exited_cb, run);
}

/* Runs backupsctl as another process while this one's main loop (the
 * window and the mock) keeps running. Returns its exit status. */
static int
run_backupsctl (const char *path, const char *stdin_text, char **err, const char *first_arg, ...)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *stderr_path = g_build_filename (g_get_user_cache_dir (), "backupsctl.err", NULL);
  CliRun           run = { FALSE, -1 };
  const char      *arg;
  va_list          args;

  g_ptr_array_add (argv, (char *)path);
  va_start (args, first_arg);
  for (arg = first_arg; arg != NULL; arg = va_arg (args, const char *))
    g_ptr_array_add (argv, (char *)arg);
  va_end (args);
  g_ptr_array_add (argv, NULL);

  /* The isolated test folders exist only inside this process (its
   * environment says /dev/null): hand them over explicitly. */
  g_mkdir_with_parents (g_get_user_cache_dir (), 0700);
  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE);
  g_subprocess_launcher_set_stderr_file_path (launcher, stderr_path);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);
  g_subprocess_communicate_utf8_async (process, stdin_text, NULL, cli_done_cb, &run);
  g_assert_true (backups_test_wait_for (&run.done, WAIT_MS));
  g_file_get_contents (stderr_path, err, NULL, NULL);
  return run.status;
}

static void
test_cli_sync_reaches_window (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autofree char         *backupsctl = NULL;
  g_autofree char         *err = NULL;
  GridpaneMockFleetOptions options = { .seed = 5, .n_sites = 8, .name_prefix = "clisentinel" };
  CountWait                wait;
  int                      status;

  if (g_getenv ("BACKUPSCTL") != NULL)
    backupsctl = g_strdup (g_getenv ("BACKUPSCTL"));
  else
    backupsctl = g_build_filename (g_getenv ("G_TEST_BUILDDIR") ?: ".", "..", "src", "cli",
                                   "backupsctl", NULL);
  if (!g_file_test (backupsctl, G_FILE_TEST_IS_EXECUTABLE))
    {
      g_test_skip ("backupsctl is not built");
      return;
    }

  /* backupsctl keeps tokens in the Secret Service only. ./run-tests has
   * one, unlocked, in its private D-Bus session, and says so in
   * BACKUPS_TEST_REQUIRE_KEYRING; elsewhere asking may autolaunch a bus or
   * wait for a keyring prompt forever. */
  if (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING") == NULL)
    {
      g_test_skip ("No unlocked Secret Service for backupsctl (./run-tests provides one)");
      return;
    }
  {
    g_autoptr (BackupsSecrets) keyring = backups_secrets_new_keyring ();
    g_autoptr (GError) error = NULL;

    if (!backups_secrets_store (keyring, "test-window-probe", "test-window probe", "x", &error))
      {
        g_test_skip (error->message);
        return;
      }
    backups_secrets_clear (keyring, "test-window-probe", NULL);
  }

  gridpane_mock_add_account (fixture->mock, "cli-token", &options);
  open_window (fixture);
  wait_for_state (fixture, "empty");

  /* Another process adds an account (its token goes to the keyring) and
   * syncs it, against the same data folder. */
  status
    = run_backupsctl (backupsctl, "cli-token", &err, "account", "add", "--org", "Acme", "--name",
                      "Cron", "--base-url", fixture->base_url, "--token-stdin", NULL);
  if (status != 0)
    g_error ("backupsctl account add: %s", err);
  g_clear_pointer (&err, g_free);
  status = run_backupsctl (backupsctl, NULL, &err, "sync", "--org", "Acme", NULL);
  g_assert_cmpint (status, ==, 0);

  /* The open window notices by itself. */
  wait_for_state (fixture, "list");
  wait.rows = shown_rows (fixture);
  wait.n = gridpane_mock_get_n_schedules (fixture->mock, "cli-token");
  g_assert_true (backups_test_wait_until (has_n_rows, &wait, WAIT_MS));
  assert_only_prefix (fixture, "clisentinel");
}

static gboolean
label_visible (gpointer data)
{
  return gtk_widget_get_visible (data);
}

static gboolean
org_has_accounts (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (fixture->store, NULL);

  accounts = backups_store_list_accounts (fixture->store,
                                          backups_org_get_id (g_ptr_array_index (orgs, 0)), NULL);
  return accounts != NULL && accounts->len > 0;
}

static void
test_accounts_window (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char         *token = NULL;
  GridpaneMockFleetOptions options = { .seed = 4, .name_prefix = "newsentinel" };
  BackupsAccountsWindow   *accounts_window;
  GtkEditable             *name_entry, *token_entry, *url_entry;
  GtkWidget               *add_button, *error_label;

  gridpane_mock_add_account (fixture->mock, "good-token", &options);
  open_window (fixture);
  wait_for_state (fixture, "empty");

  accounts_window
    = backups_accounts_window_new (GTK_WINDOW (fixture->window), fixture->store, fixture->secrets,
                                   fixture->service, backups_org_get_id (org));
  gtk_window_present (GTK_WINDOW (accounts_window));
  name_entry = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "name_entry");
  token_entry = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "token_entry");
  url_entry = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "url_entry");
  add_button = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "add_button");
  error_label = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "add_error_label");

  /* Nothing to add until there is a name and a token. */
  g_assert_false (gtk_widget_get_sensitive (add_button));
  gtk_editable_set_text (name_entry, "New Client");
  gtk_editable_set_text (url_entry, fixture->base_url);
  gtk_editable_set_text (token_entry, "wrong-token");
  g_assert_true (gtk_widget_get_sensitive (add_button));

  /* GridPane refuses the token: nothing is stored. */
  gtk_widget_activate (add_button);
  g_assert_true (backups_test_wait_until (label_visible, error_label, WAIT_MS));
  g_assert_false (org_has_accounts (fixture));
  screenshot_window (GTK_WINDOW (accounts_window), "accounts-rejected");

  gtk_editable_set_text (token_entry, "good-token");
  gtk_widget_activate (add_button);
  g_assert_true (backups_test_wait_until (org_has_accounts, fixture, WAIT_MS));

  /* The token is in the secret store only; the account syncs by itself. */
  accounts = backups_store_list_accounts (fixture->store, backups_org_get_id (org), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backups_account_get_name (g_ptr_array_index (accounts, 0)), ==, "New Client");
  token = backups_secrets_lookup (
    fixture->secrets, backups_account_get_secret_id (g_ptr_array_index (accounts, 0)), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "good-token");
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "newsentinel");
  g_assert_cmpstr (gtk_editable_get_text (token_entry), ==, "");
  screenshot_window (GTK_WINDOW (accounts_window), "accounts");

  gtk_window_destroy (GTK_WINDOW (accounts_window));
}

static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  if (G_TYPE_CHECK_INSTANCE_TYPE (root, type))
    return root;
  for (GtkWidget *child = gtk_widget_get_first_child (root); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      GtkWidget *found = find_widget (child, type);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
banner_gone (gpointer data)
{
  return !gtk_revealer_get_reveal_child (data);
}

static void
test_update_token (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Client A", "clientsentinel", 2);
  BackupsAccountsWindow   *accounts_window;
  GtkWidget               *list, *menu_button, *popover, *entry, *save;
  GtkRevealer             *banner;
  BannerWait               wait;
  GridpaneMockFleetOptions options = { .seed = 2, .n_sites = 12, .name_prefix = "clientsentinel" };

  /* The token was revoked: GridPane now only knows a new one. */
  gridpane_mock_remove_account (fixture->mock, "token-clientsentinel");
  gridpane_mock_add_account (fixture->mock, "new-token", &options);

  open_window (fixture);
  backups_window_sync (fixture->window);
  banner = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  wait.revealer = banner;
  g_assert_true (backups_test_wait_until (banner_shown, &wait, WAIT_MS));
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));

  accounts_window
    = backups_accounts_window_new (GTK_WINDOW (fixture->window), fixture->store, fixture->secrets,
                                   fixture->service, backups_org_get_id (org));
  gtk_window_present (GTK_WINDOW (accounts_window));
  list = child (accounts_window, BACKUPS_TYPE_ACCOUNTS_WINDOW, "accounts_list");
  menu_button = find_widget (list, GTK_TYPE_MENU_BUTTON);
  g_assert_nonnull (menu_button);
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  entry = find_widget (popover, GTK_TYPE_PASSWORD_ENTRY);
  g_assert_nonnull (entry);
  save = find_widget (popover, GTK_TYPE_BUTTON);
  g_assert_nonnull (save);

  gtk_editable_set_text (GTK_EDITABLE (entry), "new-token");
  g_assert_cmpstr (gtk_button_get_label (GTK_BUTTON (save)), ==, "_Check and Save");
  g_signal_emit_by_name (save, "clicked");

  /* Checked, kept, synced: the banner goes and the rows come. */
  g_assert_true (backups_test_wait_until (banner_gone, banner, WAIT_MS));
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "clientsentinel");
  {
    g_autoptr (GError) error = NULL;
    g_autofree char *token
      = backups_secrets_lookup (fixture->secrets, backups_account_get_secret_id (account), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (token, ==, "new-token");
  }

  gtk_window_destroy (GTK_WINDOW (accounts_window));
}

int
main (int argc, char *argv[])
{
  g_autofree char *schema_dir = NULL;
  g_autofree char *program_dir = g_path_get_dirname (argv[0]);

  /* The schema compiled into the build tree (data/), and no dconf. */
  if (g_getenv ("G_TEST_BUILDDIR") != NULL)
    schema_dir = g_build_filename (g_getenv ("G_TEST_BUILDDIR"), "..", "data", NULL);
  else
    schema_dir = g_build_filename (program_dir, "..", "data", NULL);
  g_setenv ("GSETTINGS_SCHEMA_DIR", schema_dir, TRUE);
  g_setenv ("GSETTINGS_BACKEND", "memory", TRUE);
  g_setenv ("NO_AT_BRIDGE", "1", TRUE);

  /* Read the MIME database while the system data dirs are still the real
   * ones: GTK needs it to recognize its SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  gtk_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/window/loading-then-list", test_loading_then_list);
  ADD ("/window/empty-state", test_empty_state);
  ADD ("/window/org-switch", test_org_switch);
  ADD ("/window/sync-updates-list", test_sync_updates_list);
  ADD ("/window/external-commit", test_external_commit);
  ADD ("/window/unauthorized-banner", test_unauthorized_banner);
  ADD ("/window/selection-survives-sync", test_selection_survives_sync);
  ADD ("/window/search-and-integrations", test_search_and_integrations);
  ADD ("/window/accounts", test_accounts_window);
  ADD ("/window/cli-sync-reaches-window", test_cli_sync_reaches_window);
  ADD ("/window/update-token", test_update_token);

#undef ADD

  return g_test_run ();
}
