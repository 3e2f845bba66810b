/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window.c: the main window against a real store and the mock GridPane
 * server, under Xvfb (the display suite). */
#include "config.h"

#include <adwaita.h>

#include "backups-preferences-window.h"
#include "backups-application.h"
#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-query-model.h"
#include "backups-schedule.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-test-display.h"
#include "backups-test-util.h"
#include "backups-window.h"
#include "gridpane-mock.h"

#define WAIT_MS 20000

/* A network monitor the tests switch on and off. */
#define FAKE_TYPE_MONITOR (fake_monitor_get_type ())
G_DECLARE_FINAL_TYPE (FakeMonitor, fake_monitor, FAKE, MONITOR, GObject)

struct _FakeMonitor
{
  GObject  parent_instance;
  gboolean available;
};

enum
{
  FAKE_PROP_0,
  FAKE_PROP_AVAILABLE,
  FAKE_PROP_METERED,
  FAKE_PROP_CONNECTIVITY,
};

static void fake_monitor_iface_init (GNetworkMonitorInterface *iface);
static void fake_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (FakeMonitor,
                         fake_monitor,
                         G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, fake_monitor_initable_iface_init)
                           G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR, fake_monitor_iface_init))

static gboolean
fake_monitor_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
fake_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = fake_monitor_initable_init;
}

static void
fake_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
fake_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  FakeMonitor *self = FAKE_MONITOR (object);

  switch (prop_id)
    {
    case FAKE_PROP_AVAILABLE:
      g_value_set_boolean (value, self->available);
      break;
    case FAKE_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case FAKE_PROP_CONNECTIVITY:
      g_value_set_enum (value, self->available ? G_NETWORK_CONNECTIVITY_FULL
                                               : G_NETWORK_CONNECTIVITY_LOCAL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
fake_monitor_class_init (FakeMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = fake_monitor_get_property;
  g_object_class_override_property (object_class, FAKE_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, FAKE_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, FAKE_PROP_CONNECTIVITY, "connectivity");
}

static void
fake_monitor_init (FakeMonitor *self)
{
  self->available = TRUE;
}

static void
fake_monitor_set_available (FakeMonitor *self, gboolean available)
{
  self->available = available;
  g_object_notify (G_OBJECT (self), "network-available");
}

typedef struct
{
  GridpaneMock       *mock;
  char               *base_url;
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  GSettings          *settings;
  FakeMonitor        *monitor;
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
  /* The real keyring where the test command provides one, so the Accounts
   * window's tests check what GNOME Keyring holds afterwards. */
  if (g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0)
    fixture->secrets = backups_secrets_new_keyring ();
  else
    fixture->secrets = backups_secrets_new_memory ();
  fixture->service = backups_sync_service_new (fixture->store, fixture->secrets,
                                               backups_gridpane_provider_factory, NULL);
  fixture->settings = g_settings_new (APP_ID);
  /* Online, whatever the machine's routes are. */
  fixture->monitor = g_object_new (FAKE_TYPE_MONITOR, NULL);
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
  g_clear_object (&fixture->monitor);
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
  backups_secrets_store (fixture->secrets, &(BackupsSecretOwner){ .secret_id = (char *)secret_id },
                         name, token, &error);
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
open_window_full (Fixture *fixture, gboolean auto_sync)
{
  fixture->window = g_object_new (BACKUPS_TYPE_WINDOW, "store", fixture->store, "sync-service",
                                  fixture->service, "settings", fixture->settings, "auto-sync",
                                  auto_sync, "network-monitor", fixture->monitor, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  /* These tests read the Schedules page; test-sites-page reads Sites. */
  backups_test_show_page (GTK_WIDGET (fixture->window), "schedules");
  return fixture->window;
}

static BackupsWindow *
open_window (Fixture *fixture)
{
  return open_window_full (fixture, FALSE);
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

typedef struct
{
  Fixture    *fixture;
  const char *prefix;
} PrefixWait;

/* Whether the rows shown are some rows, all of `prefix`. */
static gboolean
shows_only_prefix (gpointer data)
{
  PrefixWait *wait = data;
  GListModel *rows = shown_rows (wait->fixture);
  guint       n = g_list_model_get_n_items (rows);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (BackupsSchedule) schedule = g_list_model_get_item (rows, i);

      if (strstr (backups_schedule_get_site_url (schedule), wait->prefix) == NULL)
        return FALSE;
    }
  return n > 0;
}

/* The search filters a few hundred rows an idle step, and the view gets
 * the result a few rows a frame: the rows shown become the prefix's. */
static void
wait_for_only_prefix (Fixture *fixture, const char *prefix)
{
  PrefixWait wait = { fixture, prefix };

  backups_test_wait_until (shows_only_prefix, &wait, WAIT_MS);
  assert_only_prefix (fixture, prefix);
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
  GtkLabel   *label;
  const char *text;
} LabelWait;

typedef struct
{
  GtkRevealer *revealer;
  GtkLabel    *label;
  const char  *text;
} BannerWait;

static gboolean
banner_shown (gpointer data)
{
  BannerWait *wait = data;

  return gtk_revealer_get_reveal_child (wait->revealer);
}

#define SYNC_ERRORS_TOAST "The sync finished with errors. The banner names the accounts."

/* The label under `root` that says `text`, or NULL. */
static GtkWidget *
find_label_in (GtkWidget *root, const char *text)
{
  if (GTK_IS_LABEL (root) && g_strcmp0 (gtk_label_get_label (GTK_LABEL (root)), text) == 0)
    return root;
  for (GtkWidget *item = gtk_widget_get_first_child (root); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *found = find_label_in (item, text);

      if (found != NULL)
        return found;
    }
  return NULL;
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

  /* An automatic sync leaves the news to the banner; Retry, asked for,
   * also ends in a toast that says so. */
  g_assert_null (find_label_in (child (fixture->window, BACKUPS_TYPE_WINDOW, "toast_overlay"),
                                SYNC_ERRORS_TOAST));
  g_assert_true (
    gtk_widget_activate (child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_button")));
  g_assert_true (backups_test_wait_until (service_syncing, fixture->service, WAIT_MS));
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  settle (300);
  g_assert_nonnull (find_label_in (child (fixture->window, BACKUPS_TYPE_WINDOW, "toast_overlay"),
                                   SYNC_ERRORS_TOAST));

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
  AdwViewStack *main_stack;
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
  wait_for_only_prefix (fixture, "clientsentinel");
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), <, n_all);
  screenshot (fixture, "search");

  /* Destinations and servers match too. */
  gtk_editable_set_text (entry, "mainsentinel");
  wait_for_only_prefix (fixture, "mainsentinel");

  gtk_editable_set_text (entry, "");
  wait.rows = shown_rows (fixture);
  wait.n = n_all;
  g_assert_true (backups_test_wait_until (has_n_rows, &wait, WAIT_MS));

  /* The Integrations page: both accounts' integrations. */
  main_stack = child (fixture->window, BACKUPS_TYPE_WINDOW, "main_stack");
  adw_view_stack_set_visible_child_name (main_stack, "integrations");
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

    if (!backups_secrets_store (keyring,
                                &(BackupsSecretOwner){ .secret_id = (char *)"test-window-probe" },
                                "test-window probe", "x", &error))
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

/* The first widget under `root` (itself included) that `match` accepts. */
static GtkWidget *
find_descendant (GtkWidget *root,
                 gboolean (*match) (GtkWidget *widget, gconstpointer data),
                 gconstpointer data)
{
  if (match (root, data))
    return root;
  for (GtkWidget *item = gtk_widget_get_first_child (root); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    {
      GtkWidget *found = find_descendant (item, match, data);

      if (found != NULL)
        return found;
    }
  return NULL;
}

static gboolean
has_type (GtkWidget *widget, gconstpointer data)
{
  return G_TYPE_CHECK_INSTANCE_TYPE (widget, *(const GType *)data);
}

static gboolean
has_action (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_ACTIONABLE (widget)
         && g_strcmp0 (gtk_actionable_get_action_name (GTK_ACTIONABLE (widget)), data) == 0;
}

static gboolean
has_tooltip (GtkWidget *widget, gconstpointer data)
{
  return g_strcmp0 (gtk_widget_get_tooltip_text (widget), data) == 0;
}

static GtkWidget *
find_widget (GtkWidget *root, GType type)
{
  return find_descendant (root, has_type, &type);
}

static GtkWidget *
find_by_action (GtkWidget *root, const char *action)
{
  return find_descendant (root, has_action, action);
}

static GtkWidget *
find_by_tooltip (GtkWidget *root, const char *tooltip)
{
  return find_descendant (root, has_tooltip, tooltip);
}

/* Whether `widget` sits in the row of the account `name` or in the group
 * (its header) of the organization `name`: the nearest row or group
 * around it is titled so, as a user reads it. */
static gboolean
sits_next_to_name (GtkWidget *widget, const char *name)
{
  for (GtkWidget *up = gtk_widget_get_parent (widget); up != NULL; up = gtk_widget_get_parent (up))
    {
      if (ADW_IS_PREFERENCES_ROW (up))
        return g_strcmp0 (adw_preferences_row_get_title (ADW_PREFERENCES_ROW (up)), name) == 0;
      if (ADW_IS_PREFERENCES_GROUP (up))
        {
          g_autofree char *escaped = g_markup_escape_text (name, -1);

          return g_strcmp0 (adw_preferences_group_get_title (ADW_PREFERENCES_GROUP (up)), escaped)
                 == 0;
        }
    }
  return FALSE;
}

typedef struct
{
  const char *name;
  const char *tooltip;
} RowButton;

static gboolean
is_row_button (GtkWidget *widget, gconstpointer data)
{
  const RowButton *wanted = data;

  return (GTK_IS_MENU_BUTTON (widget) || GTK_IS_BUTTON (widget))
         && has_tooltip (widget, wanted->tooltip) && sits_next_to_name (widget, wanted->name);
}

/* The button with `tooltip` on the row or header of `name`, as a user
 * finds it: by the name next to it. */
static GtkWidget *
find_row_button (GtkWidget *root, const char *name, const char *tooltip)
{
  RowButton wanted = { name, tooltip };

  return find_descendant (root, is_row_button, &wanted);
}

typedef struct
{
  GtkWidget  *root;
  const char *name;
  const char *tooltip;
} RowButtonWait;

static gboolean
row_button_shown (gpointer data)
{
  RowButtonWait *wait = data;

  return find_row_button (wait->root, wait->name, wait->tooltip) != NULL;
}

static GtkWindow *find_toplevel (GType type);

/* Opens the popover of that button, types `text` into its entry and
 * presses its button. */
static void
use_row_popover (GtkWindow *window, const char *name, const char *tooltip, const char *text)
{
  RowButtonWait wait = { GTK_WIDGET (window), name, tooltip };
  GtkWidget    *menu_button, *popover, *entry, *button;

  if (!backups_test_wait_until (row_button_shown, &wait, WAIT_MS))
    g_error ("No “%s” button next to “%s”", tooltip, name);
  menu_button = find_row_button (GTK_WIDGET (window), name, tooltip);
  g_assert_true (GTK_IS_MENU_BUTTON (menu_button));
  gtk_menu_button_popup (GTK_MENU_BUTTON (menu_button));
  popover = GTK_WIDGET (gtk_menu_button_get_popover (GTK_MENU_BUTTON (menu_button)));
  entry = find_widget (popover, GTK_TYPE_ENTRY);
  g_assert_nonnull (entry);
  gtk_editable_set_text (GTK_EDITABLE (entry), text);
  button = find_widget (popover, GTK_TYPE_BUTTON);
  g_assert_nonnull (button);
  g_signal_emit_by_name (button, "clicked");
}

/* Presses Remove next to `name` and answers the question that follows:
 * `confirm` removes, else it cancels. Returns the question's body. */
static char *
remove_from_row (GtkWindow *window, const char *name, gboolean confirm)
{
  RowButtonWait wait = { GTK_WIDGET (window), name, "Remove" };
  GtkWidget    *button;
  GtkWindow    *dialog;
  char         *body;

  if (!backups_test_wait_until (row_button_shown, &wait, WAIT_MS))
    g_error ("No Remove button next to “%s”", name);
  button = find_row_button (GTK_WIDGET (window), name, "Remove");
  g_assert_false (GTK_IS_MENU_BUTTON (button));
  g_signal_emit_by_name (button, "clicked");

  dialog = find_toplevel (ADW_TYPE_MESSAGE_DIALOG);
  g_assert_nonnull (dialog);
  g_assert_true (gtk_window_get_transient_for (dialog) == window);
  g_assert_true (gtk_window_get_modal (dialog));
  /* Removing deletes data: it is the destructive answer, not the default. */
  g_assert_cmpint (
    adw_message_dialog_get_response_appearance (ADW_MESSAGE_DIALOG (dialog), "remove"), ==,
    ADW_RESPONSE_DESTRUCTIVE);
  g_assert_cmpstr (adw_message_dialog_get_default_response (ADW_MESSAGE_DIALOG (dialog)), ==,
                   "cancel");
  body = g_strdup (adw_message_dialog_get_body (ADW_MESSAGE_DIALOG (dialog)));
  adw_message_dialog_response (ADW_MESSAGE_DIALOG (dialog), confirm ? "remove" : "cancel");
  gtk_window_destroy (dialog);
  return body;
}

static GPtrArray *
list_all_accounts (Fixture *fixture)
{
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (fixture->store, NULL);
  GPtrArray *all = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < orgs->len; i++)
    {
      g_autoptr (GPtrArray) accounts = backups_store_list_accounts (
        fixture->store, backups_org_get_id (g_ptr_array_index (orgs, i)), NULL);

      for (guint j = 0; j < accounts->len; j++)
        g_ptr_array_add (all, g_object_ref (g_ptr_array_index (accounts, j)));
    }
  return all;
}

typedef struct
{
  Fixture    *fixture;
  const char *name;
} NameWait;

static gboolean
account_named (gpointer data)
{
  NameWait *wait = data;
  g_autoptr (GPtrArray) accounts = list_all_accounts (wait->fixture);

  for (guint i = 0; i < accounts->len; i++)
    if (g_strcmp0 (backups_account_get_name (g_ptr_array_index (accounts, i)), wait->name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
org_named (gpointer data)
{
  NameWait *wait = data;
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (wait->fixture->store, NULL);

  for (guint i = 0; i < orgs->len; i++)
    if (g_strcmp0 (backups_org_get_name (g_ptr_array_index (orgs, i)), wait->name) == 0)
      return TRUE;
  return FALSE;
}

static gboolean
no_accounts (gpointer data)
{
  g_autoptr (GPtrArray) accounts = list_all_accounts (data);

  return accounts->len == 0;
}

/* The Preferences window, as the application opens it. */
static BackupsPreferencesWindow *
open_accounts_window (Fixture *fixture, BackupsSecrets *secrets, gint64 org_id)
{
  g_autoptr (BackupsAccountManager) manager = backups_account_manager_new (
    fixture->store, secrets, backups_gridpane_provider_factory, NULL);

  return backups_preferences_window_new (GTK_WINDOW (fixture->window), manager, fixture->service,
                                         fixture->settings, org_id);
}

typedef struct
{
  Fixture    *fixture;
  const char *secret_id;
} TokenWait;

static gboolean
token_gone (gpointer data)
{
  TokenWait *wait = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecretToken) token
    = backups_secrets_lookup (wait->fixture->secrets, wait->secret_id, &error);

  g_assert_true (token != NULL || g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN));
  return token == NULL;
}

/* The row goes first; the keyring follows in a worker. */
static void
assert_token_gone (Fixture *fixture, const char *secret_id)
{
  TokenWait wait = { fixture, secret_id };

  g_assert_true (backups_test_wait_until (token_gone, &wait, WAIT_MS));
}

static gboolean
row_account_is (gpointer data)
{
  NameWait   *wait = data;
  GListModel *rows = shown_rows (wait->fixture);
  g_autoptr (BackupsSchedule) first = NULL;

  if (g_list_model_get_n_items (rows) == 0)
    return FALSE;
  first = g_list_model_get_item (rows, 0);
  return g_strcmp0 (backups_schedule_get_account_name (first), wait->name) == 0;
}

static void
test_accounts_window (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;
  GridpaneMockFleetOptions  options = { .seed = 4, .name_prefix = "newsentinel" };
  BackupsPreferencesWindow *accounts_window;
  GtkEditable              *name_entry, *token_entry, *url_entry;
  GtkWidget                *add_button, *error_label;

  gridpane_mock_add_account (fixture->mock, "good-token", &options);
  open_window (fixture);
  wait_for_state (fixture, "empty");

  accounts_window = open_accounts_window (fixture, fixture->secrets, backups_org_get_id (org));
  gtk_window_present (GTK_WINDOW (accounts_window));
  name_entry = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "name_entry");
  token_entry = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "token_entry");
  url_entry = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "url_entry");
  add_button = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "add_button");
  error_label = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "add_error_label");

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

  /* Fixing the field the error is about clears it; Enter in a field adds. */
  gtk_editable_set_text (token_entry, "good-token");
  g_assert_false (gtk_widget_get_visible (error_label));
  g_signal_emit_by_name (token_entry, "entry-activated");
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

  /* Renamed in its row: the store and the main window's rows follow. */
  {
    NameWait         renamed = { fixture, "Renamed Client" };
    g_autofree char *secret_id
      = g_strdup (backups_account_get_secret_id (g_ptr_array_index (accounts, 0)));

    use_row_popover (GTK_WINDOW (accounts_window), "New Client", "Rename", "Renamed Client");
    g_assert_true (backups_test_wait_until (account_named, &renamed, WAIT_MS));
    g_assert_true (backups_test_wait_until (row_account_is, &renamed, WAIT_MS));

    /* Cancelled, nothing happens; removed after the question: its rows
     * and its token go. */
    g_free (remove_from_row (GTK_WINDOW (accounts_window), "Renamed Client", FALSE));
    settle (200);
    g_assert_true (account_named (&renamed));
    {
      g_autofree char *question
        = remove_from_row (GTK_WINDOW (accounts_window), "Renamed Client", TRUE);

      g_assert_nonnull (strstr (question, "Nothing changes on GridPane"));
    }
    g_assert_true (backups_test_wait_until (no_accounts, fixture, WAIT_MS));
    assert_token_gone (fixture, secret_id);
    wait_for_state (fixture, "empty");
  }

  gtk_window_destroy (GTK_WINDOW (accounts_window));
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
  BackupsPreferencesWindow *accounts_window;
  GtkWidget                *menu_button, *popover, *entry, *save;
  GtkRevealer              *banner;
  BannerWait                wait;
  GridpaneMockFleetOptions  options = { .seed = 2, .n_sites = 12, .name_prefix = "clientsentinel" };

  /* The token was revoked: GridPane now only knows a new one. */
  gridpane_mock_remove_account (fixture->mock, "token-clientsentinel");
  gridpane_mock_add_account (fixture->mock, "new-token", &options);

  open_window (fixture);
  backups_window_sync (fixture->window);
  banner = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  wait.revealer = banner;
  g_assert_true (backups_test_wait_until (banner_shown, &wait, WAIT_MS));
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));

  accounts_window = open_accounts_window (fixture, fixture->secrets, backups_org_get_id (org));
  gtk_window_present (GTK_WINDOW (accounts_window));
  menu_button = find_row_button (GTK_WIDGET (accounts_window), "Client A", "Update Token");
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
    g_autoptr (BackupsSecretToken) token
      = backups_secrets_lookup (fixture->secrets, backups_account_get_secret_id (account), &error);

    g_assert_no_error (error);
    g_assert_cmpstr (token, ==, "new-token");
  }

  gtk_window_destroy (GTK_WINDOW (accounts_window));
}

static const char *
content_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (
    child (fixture->window, BACKUPS_TYPE_WINDOW, "content_stack"));
}

static gboolean
content_is_main (gpointer data)
{
  return g_strcmp0 (content_page (data), "main") == 0;
}

static gboolean
content_is_welcome (gpointer data)
{
  return g_strcmp0 (content_page (data), "welcome") == 0;
}

static gboolean
n_orgs_is_one (gpointer data)
{
  Fixture *fixture = data;
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (fixture->store, NULL);

  return orgs->len == 1;
}

/* A new user: no organization, no command line. */
static void
test_first_run (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions  options = { .seed = 6, .n_sites = 8, .name_prefix = "firstsentinel" };
  BackupsPreferencesWindow *accounts_window;
  GtkWidget                *org_entry, *org_dropdown, *add_button, *new_org_entry;
  NameWait                  first = { fixture, "First Agency" };
  NameWait                  second = { fixture, "Second Agency" };
  NameWait                  renamed = { fixture, "Renamed Agency" };
  g_autoptr (GPtrArray) accounts = NULL;
  g_autofree char *secret_id = NULL;

  gridpane_mock_add_account (fixture->mock, "good-token", &options);
  open_window (fixture);

  /* The welcome page offers an account and the demo, not an empty table. */
  g_assert_cmpstr (content_page (fixture), ==, "welcome");
  {
    GtkWidget *welcome
      = gtk_stack_get_visible_child (child (fixture->window, BACKUPS_TYPE_WINDOW, "content_stack"));

    g_assert_true (gtk_widget_get_mapped (find_by_action (welcome, "app.accounts")));
    g_assert_true (gtk_widget_get_mapped (find_by_action (welcome, "app.demo")));
  }
  g_assert_false (
    gtk_widget_get_visible (child (fixture->window, BACKUPS_TYPE_WINDOW, "org_dropdown")));
  screenshot (fixture, "welcome");

  accounts_window = open_accounts_window (fixture, fixture->secrets, 0);
  gtk_window_present (GTK_WINDOW (accounts_window));
  org_entry = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "org_entry");
  org_dropdown = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "org_row");
  add_button = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "add_button");

  /* With no organization the form asks for one's name. */
  g_assert_true (gtk_widget_get_visible (org_entry));
  g_assert_false (gtk_widget_get_visible (org_dropdown));
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "name_entry")), "Main");
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "token_entry")),
    "good-token");
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "url_entry")),
    fixture->base_url);
  g_assert_false (gtk_widget_get_sensitive (add_button));
  gtk_editable_set_text (GTK_EDITABLE (org_entry), "First Agency");
  g_assert_true (gtk_widget_get_sensitive (add_button));
  screenshot_window (GTK_WINDOW (accounts_window), "accounts-first-run");
  gtk_widget_activate (add_button);

  /* The organization comes with the account, which syncs by itself. */
  g_assert_true (backups_test_wait_until (org_named, &first, WAIT_MS));
  g_assert_true (backups_test_wait_until (content_is_main, fixture, WAIT_MS));
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "firstsentinel");
  accounts = list_all_accounts (fixture);
  g_assert_cmpuint (accounts->len, ==, 1);
  secret_id = g_strdup (backups_account_get_secret_id (g_ptr_array_index (accounts, 0)));
  g_assert_true (gtk_widget_get_visible (org_dropdown));
  g_assert_false (gtk_widget_get_visible (org_entry));

  /* A second organization from its form. */
  new_org_entry = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "new_org_entry");
  gtk_editable_set_text (GTK_EDITABLE (new_org_entry), "Second Agency");
  gtk_widget_activate (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "new_org_button"));
  g_assert_true (backups_test_wait_until (org_named, &second, WAIT_MS));
  g_assert_cmpstr (gtk_editable_get_text (GTK_EDITABLE (new_org_entry)), ==, "");

  /* The same name again, with Enter: refused in words, and the words go
   * as soon as the name is edited. */
  {
    GtkWidget *new_org_error
      = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "new_org_error_label");

    gtk_editable_set_text (GTK_EDITABLE (new_org_entry), "Second Agency");
    g_signal_emit_by_name (new_org_entry, "entry-activated");
    g_assert_true (gtk_widget_get_visible (new_org_error));
    g_assert_cmpstr (gtk_label_get_label (GTK_LABEL (new_org_error)), !=, "");
    gtk_editable_set_text (GTK_EDITABLE (new_org_entry), "Second Agency 2");
    g_assert_false (gtk_widget_get_visible (new_org_error));
    gtk_editable_set_text (GTK_EDITABLE (new_org_entry), "");
  }

  /* Renamed from its header. */
  use_row_popover (GTK_WINDOW (accounts_window), "First Agency", "Rename", "Renamed Agency");
  g_assert_true (backups_test_wait_until (org_named, &renamed, WAIT_MS));
  screenshot_window (GTK_WINDOW (accounts_window), "accounts-two-orgs");

  /* Removed: its account, its rows and its token go; the other stays. */
  g_free (remove_from_row (GTK_WINDOW (accounts_window), "Renamed Agency", TRUE));
  g_assert_true (backups_test_wait_until (n_orgs_is_one, fixture, WAIT_MS));
  g_assert_true (org_named (&second));
  g_assert_true (no_accounts (fixture));
  assert_token_gone (fixture, secret_id);
  wait_for_state (fixture, "empty");

  /* The last one gone, the welcome page is back. */
  g_free (remove_from_row (GTK_WINDOW (accounts_window), "Second Agency", TRUE));
  g_assert_true (backups_test_wait_until (content_is_welcome, fixture, WAIT_MS));
  g_assert_true (gtk_widget_get_visible (org_entry));

  gtk_window_destroy (GTK_WINDOW (accounts_window));
}

/* Preferences → Policy: each control writes its GSettings key, follows
 * the key when something else changes it, and says what it means. */
static void
test_policy_preferences (Fixture *fixture, gconstpointer data)
{
  static const struct
  {
    const char *row;
    const char *control;
    const char *key;
  } controls[] = {
    { "require_remote_row", "require_remote_switch", "require-remote" },
    { "min_retain_row", "min_retain_spin", "min-retain-days" },
    { "max_gap_row", "max_gap_spin", "max-gap-hours" },
    { "crowded_start_row", "crowded_start_spin", "crowded-start-sites" },
  };
  BackupsPreferencesWindow *preferences;
  GtkSwitch                *require_remote;
  GtkSpinButton            *min_retain;

  open_window (fixture);
  preferences = open_accounts_window (fixture, fixture->secrets, 0);
  backups_preferences_window_show_page (preferences, "policy");
  gtk_window_present (GTK_WINDOW (preferences));
  g_assert_cmpstr (
    adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
    "policy");

  for (guint i = 0; i < G_N_ELEMENTS (controls); i++)
    {
      AdwActionRow *row = child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, controls[i].row);
      GtkWidget    *control
        = child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, controls[i].control);
      const char *subtitle = adw_action_row_get_subtitle (row);

      /* A sentence that explains it, and the control in the row. */
      g_assert_nonnull (subtitle);
      g_assert_cmpuint (strlen (subtitle), >, 40);
      g_assert_true (g_str_has_suffix (subtitle, "."));
      g_assert_true (gtk_widget_is_ancestor (control, GTK_WIDGET (row)));
      g_assert_true (adw_action_row_get_activatable_widget (row) == control);
    }

  /* The controls show the keys' values... */
  require_remote = child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, "require_remote_switch");
  min_retain = child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, "min_retain_spin");
  g_assert_true (gtk_switch_get_active (require_remote));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (min_retain), ==,
                   g_settings_get_uint (fixture->settings, "min-retain-days"));
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, "crowded_start_spin")),
                   ==, g_settings_get_uint (fixture->settings, "crowded-start-sites"));
  screenshot_window (GTK_WINDOW (preferences), "preferences-policy");

  /* ...write them... */
  gtk_switch_set_active (require_remote, FALSE);
  g_assert_false (g_settings_get_boolean (fixture->settings, "require-remote"));
  gtk_spin_button_set_value (min_retain, 14);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "min-retain-days"), ==, 14);
  gtk_spin_button_set_value (child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, "max_gap_spin"),
                             48);
  g_assert_cmpuint (g_settings_get_uint (fixture->settings, "max-gap-hours"), ==, 48);

  /* ...and follow them when another process (backupsctl, dconf) does. */
  g_settings_set_uint (fixture->settings, "crowded-start-sites", 9);
  g_assert_cmpint (gtk_spin_button_get_value_as_int (
                     child (preferences, BACKUPS_TYPE_PREFERENCES_WINDOW, "crowded_start_spin")),
                   ==, 9);
  g_settings_set_boolean (fixture->settings, "require-remote", TRUE);
  g_assert_true (gtk_switch_get_active (require_remote));

  gtk_window_destroy (GTK_WINDOW (preferences));
}

static gboolean
switcher_bar_is (gpointer data)
{
  Fixture *fixture = ((gpointer *)data)[0];
  gboolean wanted = GPOINTER_TO_INT (((gpointer *)data)[1]);

  return adw_view_switcher_bar_get_reveal (
           child (fixture->window, BACKUPS_TYPE_WINDOW, "switcher_bar"))
         == wanted;
}

/* Resizes as a user would; without a window manager (Xvfb) a mapped
 * window keeps its size, so it is shown again at the new one. */
static void
resize_window (Fixture *fixture, int width)
{
  gtk_widget_set_visible (GTK_WIDGET (fixture->window), FALSE);
  gtk_window_set_default_size (GTK_WINDOW (fixture->window), width, 700);
  gtk_window_present (GTK_WINDOW (fixture->window));
}

/* Wide, the views are switched in the header bar; narrow, from a bar at
 * the bottom; on the welcome page, from nowhere. */
static void
test_narrow_switcher (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = NULL;
  AdwViewSwitcherTitle *title;
  gpointer              wait[2] = { fixture, GINT_TO_POINTER (FALSE) };

  g_settings_set_int (fixture->settings, "window-width", 420);
  open_window (fixture);
  title = child (fixture->window, BACKUPS_TYPE_WINDOW, "switcher_title");
  g_assert_cmpstr (content_page (fixture), ==, "welcome");
  settle (200);
  g_assert_false (adw_view_switcher_title_get_view_switcher_enabled (title));
  g_assert_false (adw_view_switcher_bar_get_reveal (
    child (fixture->window, BACKUPS_TYPE_WINDOW, "switcher_bar")));

  org = add_org (fixture, "Acme");
  g_object_unref (add_account (fixture, org, "Client A", "narrowsentinel", 3));
  g_assert_true (backups_test_wait_until (content_is_main, fixture, WAIT_MS));
  g_assert_true (adw_view_switcher_title_get_view_switcher_enabled (title));
  wait[1] = GINT_TO_POINTER (TRUE);
  g_assert_true (backups_test_wait_until (switcher_bar_is, wait, WAIT_MS));
  g_assert_true (adw_view_switcher_title_get_title_visible (title));
  screenshot (fixture, "narrow");

  resize_window (fixture, 1200);
  wait[1] = GINT_TO_POINTER (FALSE);
  g_assert_true (backups_test_wait_until (switcher_bar_is, wait, WAIT_MS));
  g_assert_false (adw_view_switcher_title_get_title_visible (title));

  resize_window (fixture, 420);
  wait[1] = GINT_TO_POINTER (TRUE);
  g_assert_true (backups_test_wait_until (switcher_bar_is, wait, WAIT_MS));
}

/* Whether assistive technologies get a name for `widget`: an accessible
 * label or labelling widget, a button's own text, a row's title. */
static gboolean
has_accessible_name (GtkWidget *widget)
{
  if (gtk_test_accessible_has_property (GTK_ACCESSIBLE (widget), GTK_ACCESSIBLE_PROPERTY_LABEL)
      || gtk_test_accessible_has_relation (GTK_ACCESSIBLE (widget),
                                           GTK_ACCESSIBLE_RELATION_LABELLED_BY))
    return TRUE;
  if (GTK_IS_BUTTON (widget) && gtk_button_get_label (GTK_BUTTON (widget)) != NULL
      && gtk_button_get_icon_name (GTK_BUTTON (widget)) == NULL)
    return TRUE;
  if (GTK_IS_MENU_BUTTON (widget) && gtk_menu_button_get_label (GTK_MENU_BUTTON (widget)) != NULL)
    return TRUE;
  if (ADW_IS_PREFERENCES_ROW (widget))
    {
      const char *title = adw_preferences_row_get_title (ADW_PREFERENCES_ROW (widget));

      return title != NULL && *title != '\0';
    }
  return FALSE;
}

/* Every control under `root` that our templates and code make has a name;
 * the parts libadwaita and GTK build inside their own widgets (a spin
 * button's arrows, the window controls, the view switcher's buttons,
 * an entry row's text) name themselves. Returns how many it checked. */
static guint
assert_controls_named (GtkWidget *root, GString *path)
{
  gsize    length = path->len;
  guint    n = 0;
  gboolean control;

  /* What is on screen: not the pages of a stack that are not shown. */
  if (!gtk_widget_get_mapped (root))
    return 0;

  g_string_append_printf (path, " > %s", G_OBJECT_TYPE_NAME (root));
  control = GTK_IS_BUTTON (root) || GTK_IS_MENU_BUTTON (root) || GTK_IS_SWITCH (root)
            || GTK_IS_SPIN_BUTTON (root) || GTK_IS_DROP_DOWN (root) || GTK_IS_ENTRY (root)
            || GTK_IS_PASSWORD_ENTRY (root) || GTK_IS_SEARCH_ENTRY (root)
            || ADW_IS_PREFERENCES_ROW (root) || GTK_IS_COLUMN_VIEW (root);
  if (control)
    {
      if (!has_accessible_name (root))
        g_error ("A control without an accessible name:%s", path->str);
      g_test_message ("named:%s", path->str);
      n++;
    }

  if (!(GTK_IS_SPIN_BUTTON (root) || GTK_IS_WINDOW_CONTROLS (root) || ADW_IS_VIEW_SWITCHER (root)
        || ADW_IS_VIEW_SWITCHER_TITLE (root) || ADW_IS_VIEW_SWITCHER_BAR (root)
        || ADW_IS_ENTRY_ROW (root) || ADW_IS_COMBO_ROW (root) || GTK_IS_SEARCH_ENTRY (root)
        || GTK_IS_PASSWORD_ENTRY (root) || GTK_IS_DROP_DOWN (root) || GTK_IS_MENU_BUTTON (root)
        || GTK_IS_COLUMN_VIEW (root)))
    for (GtkWidget *item = gtk_widget_get_first_child (root); item != NULL;
         item = gtk_widget_get_next_sibling (item))
      n += assert_controls_named (item, path);

  g_string_truncate (path, length);
  return n;
}

static gboolean
widget_mapped (gpointer data)
{
  return gtk_widget_get_mapped (data);
}

/* Assistive technologies can name every control of the window, with its
 * rows, and of both pages of Preferences. */
static void
test_accessible_names (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "namesentinel", 1);
  g_autoptr (GString) path = g_string_new (NULL);
  BackupsPreferencesWindow *preferences;
  guint                     n;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");
  gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.search", NULL);
  g_assert_true (backups_test_wait_until (
    widget_mapped, child (fixture->window, BACKUPS_TYPE_WINDOW, "search_entry"), WAIT_MS));
  n = assert_controls_named (GTK_WIDGET (fixture->window), path);
  /* The dropdown, Sync, search, menu, the table and the search entry at
   * least. */
  g_assert_cmpuint (n, >=, 6);

  preferences = open_accounts_window (fixture, fixture->secrets, backups_org_get_id (org));
  gtk_window_present (GTK_WINDOW (preferences));
  settle (200);
  n = assert_controls_named (GTK_WIDGET (preferences), path);
  /* Per account: its row and three buttons; per organization two; the
   * add and new-organization forms. */
  g_assert_cmpuint (n, >=, 4 + 2 + 6);
  backups_preferences_window_show_page (preferences, "policy");
  settle (200);
  n = assert_controls_named (GTK_WIDGET (preferences), path);
  g_assert_cmpuint (n, >=, 8);

  gtk_window_destroy (GTK_WINDOW (preferences));
}

/* A secret store with no Secret Service behind it. */
#define FAILING_TYPE_SECRETS (failing_secrets_get_type ())
G_DECLARE_FINAL_TYPE (FailingSecrets, failing_secrets, FAILING, SECRETS, BackupsSecrets)

struct _FailingSecrets
{
  BackupsSecrets parent_instance;
};

G_DEFINE_TYPE (FailingSecrets, failing_secrets, BACKUPS_TYPE_SECRETS)

static gboolean
failing_secrets_store (BackupsSecrets           *secrets,
                       const BackupsSecretOwner *owner,
                       const char               *label,
                       const char               *token,
                       GError                  **error)
{
  g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING,
                       "No keyring (Secret Service) is available; nothing was saved.");
  return FALSE;
}

static void
failing_secrets_class_init (FailingSecretsClass *klass)
{
  BACKUPS_SECRETS_CLASS (klass)->store = failing_secrets_store;
}

static void
failing_secrets_init (FailingSecrets *self)
{
}

static void
test_no_keyring (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSecrets) secrets = g_object_new (FAILING_TYPE_SECRETS, NULL);
  GridpaneMockFleetOptions  options = { .seed = 6, .name_prefix = "nokeyring" };
  BackupsPreferencesWindow *accounts_window;
  GtkWidget                *error_label;
  g_autoptr (GPtrArray) orgs = NULL;

  gridpane_mock_add_account (fixture->mock, "good-token", &options);
  open_window (fixture);
  accounts_window = open_accounts_window (fixture, secrets, 0);
  gtk_window_present (GTK_WINDOW (accounts_window));
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "org_entry")), "Agency");
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "name_entry")), "Main");
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "token_entry")),
    "good-token");
  gtk_editable_set_text (
    GTK_EDITABLE (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "url_entry")),
    fixture->base_url);
  gtk_widget_activate (child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "add_button"));

  /* The window says why, and nothing is saved: no organization either. */
  error_label = child (accounts_window, BACKUPS_TYPE_PREFERENCES_WINDOW, "add_error_label");
  g_assert_true (backups_test_wait_until (label_visible, error_label, WAIT_MS));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), "Secret Service"));
  orgs = backups_store_list_orgs (fixture->store, NULL);
  g_assert_cmpuint (orgs->len, ==, 0);
  g_assert_cmpstr (content_page (fixture), ==, "welcome");
  screenshot_window (GTK_WINDOW (accounts_window), "accounts-no-keyring");

  gtk_window_destroy (GTK_WINDOW (accounts_window));
}

static gboolean
banner_says (gpointer data)
{
  BannerWait *wait = data;

  return gtk_revealer_get_reveal_child (wait->revealer)
         && strstr (gtk_label_get_label (wait->label), wait->text) != NULL;
}

static void
test_offline (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) account = add_account (fixture, org, "Main", "offlinesentinel", 3);
  BannerWait wait;

  /* Offline at launch, with a cache that was never synced. */
  fake_monitor_set_available (fixture->monitor, FALSE);
  open_window_full (fixture, TRUE);
  wait.revealer = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  wait.label = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_label");
  wait.text = "Offline — nothing has been synced yet";
  g_assert_true (backups_test_wait_until (banner_says, &wait, WAIT_MS));

  /* No sync is attempted, neither by itself nor by Sync. */
  backups_window_sync (fixture->window);
  settle (500);
  g_assert_false (backups_sync_service_get_syncing (fixture->service));
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, NULL), ==, 0);

  /* Back online, the stale cache syncs by itself. */
  fake_monitor_set_available (fixture->monitor, TRUE);
  wait_for_state (fixture, "list");
  assert_only_prefix (fixture, "offlinesentinel");
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  g_assert_true (backups_test_wait_until (banner_gone, wait.revealer, WAIT_MS));

  /* Offline again: the rows stay, and the banner says how old they are. */
  fake_monitor_set_available (fixture->monitor, FALSE);
  wait.text = "Offline — showing data from Today ";
  g_assert_true (backups_test_wait_until (banner_says, &wait, WAIT_MS));
  g_assert_cmpstr (page_state (fixture), ==, "list");
  screenshot (fixture, "offline");
}

static gboolean
label_says (gpointer data)
{
  LabelWait *wait = data;

  return strstr (gtk_label_get_label (wait->label), wait->text) != NULL;
}

typedef struct
{
  GtkDropDown *dropdown;
  const char  *name;
} OrgWait;

static gboolean
selected_org_is (gpointer data)
{
  OrgWait    *wait = data;
  BackupsOrg *org = gtk_drop_down_get_selected_item (wait->dropdown);

  return org != NULL && g_strcmp0 (backups_org_get_name (org), wait->name) == 0;
}

/* The footer, the banner and the organization list follow the store: the
 * accounts' status and last sync are read in a worker when it changes, the
 * organizations when a change may have touched them. */
static void
test_summary_follows_store (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) acme = add_org (fixture, "Acme");
  g_autoptr (BackupsOrg) globex = add_org (fixture, "Globex");
  g_autoptr (BackupsAccount) account = add_account (fixture, acme, "Main", "summarysentinel", 4);
  g_autoptr (GError) error = NULL;
  LabelWait  footer;
  BannerWait banner;
  OrgWait    org;

  open_window (fixture);
  footer.label = child (fixture->window, BACKUPS_TYPE_WINDOW, "footer_label");
  footer.text = "Never synced";
  g_assert_true (backups_test_wait_until (label_says, &footer, WAIT_MS));

  /* A sync: the rows, then the footer says when. */
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (fixture->window), "win.sync", NULL));
  wait_for_state (fixture, "list");
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  footer.text = "Last synced";
  g_assert_true (backups_test_wait_until (label_says, &footer, WAIT_MS));

  /* A failed sync: the banner names the account. */
  gridpane_mock_set_fault (fixture->mock, "token-summarysentinel", NULL, GRIDPANE_MOCK_FAULT_STATUS,
                           401, 0, 0);
  backups_window_sync (fixture->window);
  banner.revealer = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  banner.label = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_label");
  banner.text = "Main";
  g_assert_true (backups_test_wait_until (banner_says, &banner, WAIT_MS));
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));

  /* A rename, and another organization's, reach the list. */
  org.dropdown = child (fixture->window, BACKUPS_TYPE_WINDOW, "org_dropdown");
  org.name = "Acme Corp";
  g_assert_true (
    backups_store_rename_org (fixture->store, backups_org_get_id (acme), "Acme Corp", &error));
  g_assert_no_error (error);
  g_assert_true (backups_test_wait_until (selected_org_is, &org, WAIT_MS));
  g_assert_true (
    backups_store_rename_org (fixture->store, backups_org_get_id (globex), "Initech", &error));
  g_assert_no_error (error);
  settle (300);
  g_assert_cmpuint (g_list_model_get_n_items (gtk_drop_down_get_model (org.dropdown)), ==, 2);
  {
    g_autoptr (BackupsOrg) second
      = g_list_model_get_item (gtk_drop_down_get_model (org.dropdown), 1);

    g_assert_cmpstr (backups_org_get_name (second), ==, "Initech");
  }
  g_assert_true (selected_org_is (&org));
  g_assert_cmpint (backups_window_get_org_id (fixture->window), ==, backups_org_get_id (acme));
}

static void
collect_accels (GtkWidget *widget, GPtrArray *accels)
{
  if (GTK_IS_SHORTCUTS_SHORTCUT (widget))
    {
      g_autofree char *accelerator = NULL;

      g_object_get (widget, "accelerator", &accelerator, NULL);
      if (accelerator != NULL)
        {
          g_auto (GStrv) parts = g_strsplit (accelerator, " ", -1);

          for (guint i = 0; parts[i] != NULL; i++)
            g_ptr_array_add (accels, g_strdup (parts[i]));
        }
    }
  for (GtkWidget *item = gtk_widget_get_first_child (widget); item != NULL;
       item = gtk_widget_get_next_sibling (item))
    collect_accels (item, accels);
}

static gboolean
accel_listed (GPtrArray *listed, const char *accel)
{
  guint           key, listed_key;
  GdkModifierType mods, listed_mods;

  g_assert_true (gtk_accelerator_parse (accel, &key, &mods));
  for (guint i = 0; i < listed->len; i++)
    if (gtk_accelerator_parse (g_ptr_array_index (listed, i), &listed_key, &listed_mods)
        && gdk_keyval_to_lower (listed_key) == gdk_keyval_to_lower (key) && listed_mods == mods)
      return TRUE;
  return FALSE;
}

static GtkWindow *
find_toplevel (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        return window;
    }
  return NULL;
}

static guint
count_toplevels (GType type)
{
  GListModel *toplevels = gtk_window_get_toplevels ();
  guint       n = 0;

  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) window = g_list_model_get_item (toplevels, i);

      if (G_TYPE_CHECK_INSTANCE_TYPE (window, type))
        n++;
    }
  return n;
}

/* Every action of the main menu has an accelerator, and the shortcuts
 * window lists it; About names the version, license and website;
 * Preferences opens once per window. */
static void
test_menu_shortcuts_about (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsApplication) app = backups_application_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) listed = g_ptr_array_new_with_free_func (g_free);
  GtkWindow  *window, *about;
  GtkWindow  *overlay;
  GtkWindow  *preferences;
  GtkWidget  *menu_button;
  GMenuModel *menu;
  guint       n_actions = 0;

  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  window = gtk_application_get_active_window (GTK_APPLICATION (app));
  g_assert_true (BACKUPS_IS_WINDOW (window));

  overlay = GTK_WINDOW (gtk_application_window_get_help_overlay (GTK_APPLICATION_WINDOW (window)));
  g_assert_nonnull (overlay);
  collect_accels (GTK_WIDGET (overlay), listed);

  menu_button = find_by_tooltip (GTK_WIDGET (window), "Main Menu");
  g_assert_nonnull (menu_button);
  menu = gtk_menu_button_get_menu_model (GTK_MENU_BUTTON (menu_button));
  for (int i = 0; i < g_menu_model_get_n_items (menu); i++)
    {
      g_autoptr (GMenuModel) section = g_menu_model_get_item_link (menu, i, G_MENU_LINK_SECTION);

      for (int j = 0; section != NULL && j < g_menu_model_get_n_items (section); j++)
        {
          g_autofree char *action = NULL;
          g_auto (GStrv) accels = NULL;

          g_assert_true (g_menu_model_get_item_attribute (section, j, "action", "s", &action));
          accels = gtk_application_get_accels_for_action (GTK_APPLICATION (app), action);
          if (accels[0] == NULL)
            g_error ("The menu's “%s” has no accelerator", action);
          if (!accel_listed (listed, accels[0]))
            g_error ("The shortcuts window does not list %s (%s)", accels[0], action);
          n_actions++;
        }
    }
  g_assert_cmpuint (n_actions, >=, 5);

  g_action_group_activate_action (G_ACTION_GROUP (app), "about", NULL);
  about = find_toplevel (ADW_TYPE_ABOUT_WINDOW);
  g_assert_nonnull (about);
  g_assert_true (gtk_window_get_transient_for (about) == window);
  g_assert_cmpstr (adw_about_window_get_version (ADW_ABOUT_WINDOW (about)), ==, PACKAGE_VERSION);
  g_assert_cmpint (adw_about_window_get_license_type (ADW_ABOUT_WINDOW (about)), ==,
                   GTK_LICENSE_GPL_3_0);
  g_assert_true (
    g_str_has_prefix (adw_about_window_get_website (ADW_ABOUT_WINDOW (about)), "https://"));
  screenshot_window (about, "about");
  gtk_window_destroy (about);

  /* Preferences, over the window; asked again, the same one comes
   * forward where it was, and "Add a GridPane Account…" shows Accounts. */
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  preferences = find_toplevel (BACKUPS_TYPE_PREFERENCES_WINDOW);
  g_assert_nonnull (preferences);
  g_assert_true (gtk_window_get_transient_for (preferences) == window);
  g_assert_cmpstr (
    adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
    "accounts");
  adw_preferences_window_set_visible_page_name (ADW_PREFERENCES_WINDOW (preferences), "policy");
  g_action_group_activate_action (G_ACTION_GROUP (app), "preferences", NULL);
  g_assert_cmpuint (count_toplevels (BACKUPS_TYPE_PREFERENCES_WINDOW), ==, 1);
  g_assert_cmpstr (
    adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
    "policy");
  g_action_group_activate_action (G_ACTION_GROUP (app), "accounts", NULL);
  g_assert_cmpuint (count_toplevels (BACKUPS_TYPE_PREFERENCES_WINDOW), ==, 1);
  g_assert_cmpstr (
    adw_preferences_window_get_visible_page_name (ADW_PREFERENCES_WINDOW (preferences)), ==,
    "accounts");
  gtk_window_destroy (preferences);

  gtk_widget_activate_action (GTK_WIDGET (window), "win.show-help-overlay", NULL);
  g_assert_true (gtk_widget_get_visible (GTK_WIDGET (overlay)));
  screenshot_window (overlay, "shortcuts");

  gtk_window_destroy (window);
  settle (100);
}

/* The fault matrix as the window shows it: each fault on one account's
 * endpoint puts that account, and only it, in the banner, while every
 * row stays as it was and the other account syncs. */
typedef struct
{
  const char           *name;
  const char           *path;
  GridpaneMockFaultKind fault;
  guint                 status;
} WindowFault;

static const WindowFault window_faults[] = {
  { "500", "/backups/schedules", GRIDPANE_MOCK_FAULT_STATUS, 500 },
  { "502 html", "/site", GRIDPANE_MOCK_FAULT_HTML, 502 },
  { "404", "/server", GRIDPANE_MOCK_FAULT_STATUS, 404 },
  { "reset", "/backups/schedules", GRIDPANE_MOCK_FAULT_RESET, 0 },
  { "truncated", "/backups/integrations", GRIDPANE_MOCK_FAULT_TRUNCATED, 0 },
  { "invalid json", "/site", GRIDPANE_MOCK_FAULT_INVALID_JSON, 0 },
  { "wrong types", "/backups/schedules", GRIDPANE_MOCK_FAULT_WRONG_TYPES, 0 },
  { "missing fields", "/server", GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0 },
  { "non-utf8", "/backups/integrations", GRIDPANE_MOCK_FAULT_NON_UTF8, 0 },
};

static void
test_fault_banners (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsOrg) org = add_org (fixture, "Acme");
  g_autoptr (BackupsAccount) main_account = add_account (fixture, org, "Main", "mainsentinel", 1);
  g_autoptr (BackupsAccount) client = add_account (fixture, org, "Client A", "clientsentinel", 2);
  BannerWait wait;

  sync_org (fixture, org);
  open_window (fixture);
  wait_for_state (fixture, "list");
  wait.revealer = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_revealer");
  wait.label = child (fixture->window, BACKUPS_TYPE_WINDOW, "banner_label");
  wait.text = "Client A";

  for (guint i = 0; i < G_N_ELEMENTS (window_faults); i++)
    {
      const WindowFault *fault = &window_faults[i];
      g_autofree char   *client_before
        = backups_test_dump_account (fixture->store, backups_account_get_id (client));
      g_autofree char *client_after = NULL;
      guint            n_rows = g_list_model_get_n_items (shown_rows (fixture));

      g_test_message ("fault: %s on %s", fault->name, fault->path);
      gridpane_mock_clear_faults (fixture->mock);
      gridpane_mock_set_fault (fixture->mock, "token-clientsentinel", fault->path, fault->fault,
                               fault->status, 0, 0);
      /* The other account's data changes, so its sync has something to do. */
      gridpane_mock_mutate_fleet (fixture->mock, "token-mainsentinel", 10 + i);

      backups_window_sync (fixture->window);
      g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
      if (!backups_test_wait_until (banner_says, &wait, WAIT_MS))
        g_error ("%s: the banner says “%s”", fault->name, gtk_label_get_label (wait.label));
      g_assert_null (strstr (gtk_label_get_label (wait.label), "Main"));

      /* Client A's rows are exactly as before; Main's follow its fleet. */
      client_after = backups_test_dump_account (fixture->store, backups_account_get_id (client));
      g_assert_cmpstr (client_after, ==, client_before);
      g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), >, 0);
      g_assert_cmpuint (n_rows, >, 0);

      /* The banner goes once the account syncs again. */
      gridpane_mock_clear_faults (fixture->mock);
      backups_window_sync (fixture->window);
      g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
      g_assert_true (backups_test_wait_until (banner_gone, wait.revealer, WAIT_MS));
    }
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
  /* GTK's test accessibility backend, with no bus, so that the tests read
   * back the accessible names (GTK_A11Y=none has no context to read). */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* Read the MIME database while the system data dirs are still the real
   * ones: GTK needs it to recognize its SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/window/loading-then-list", test_loading_then_list);
  ADD ("/window/empty-state", test_empty_state);
  ADD ("/window/org-switch", test_org_switch);
  ADD ("/window/sync-updates-list", test_sync_updates_list);
  ADD ("/window/external-commit", test_external_commit);
  ADD ("/window/unauthorized-banner", test_unauthorized_banner);
  ADD ("/window/fault-banners", test_fault_banners);
  ADD ("/window/selection-survives-sync", test_selection_survives_sync);
  ADD ("/window/search-and-integrations", test_search_and_integrations);
  ADD ("/window/accounts", test_accounts_window);
  ADD ("/window/cli-sync-reaches-window", test_cli_sync_reaches_window);
  ADD ("/window/update-token", test_update_token);
  ADD ("/window/first-run", test_first_run);
  ADD ("/window/policy-preferences", test_policy_preferences);
  ADD ("/window/narrow-switcher", test_narrow_switcher);
  ADD ("/window/accessible-names", test_accessible_names);
  ADD ("/window/no-keyring", test_no_keyring);
  ADD ("/window/offline", test_offline);
  ADD ("/window/summary-follows-store", test_summary_follows_store);
  ADD ("/window/menu-shortcuts-about", test_menu_shortcuts_about);

#undef ADD

  return g_test_run ();
}
