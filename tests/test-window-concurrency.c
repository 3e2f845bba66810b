/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-concurrency.c: the main window while other things happen at
 * once (the display suite, under Xvfb; G_DEBUG=fatal-warnings makes any
 * warning a crash).
 *
 * - backupsctl syncs the same data folder while the window is open and
 *   syncs too: both succeed, nobody is told the database is busy, the
 *   lists follow, and a sync right after has nothing left to write.
 * - The organization is switched during a sync: the sync is cancelled,
 *   nothing is written afterwards, only the new organization's rows show.
 * - Sync is activated over and over: one sync runs at a time.
 * - The window is closed mid-sync: nothing is written afterwards, and the
 *   window, its models, the sync service and the store are finalized. */
#include "config.h"

#include <adwaita.h>
#include <sqlite3.h>
#include <string.h>

#include "backups-cli-run.h"
#include "backups-gridpane-provider.h"
#include "backups-integrations-page.h"
#include "backups-query-model.h"
#include "backups-schedules-page.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-test-display.h"
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
  gboolean            keyring; /* tokens in the keyring, for backupsctl */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->mock = backups_cli_mock_new (50);
  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
  f->base_url = gridpane_mock_get_base_url (f->mock);

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  /* The keyring when backupsctl takes part, so both find the tokens. */
  f->keyring = data != NULL;
  f->secrets = f->keyring ? backups_secrets_new_keyring () : backups_secrets_new_memory ();
  f->service
    = backups_sync_service_new (f->store, f->secrets, backups_gridpane_provider_factory, NULL);
  f->settings = g_settings_new (APP_ID);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  if (f->window != NULL)
    gtk_window_destroy (GTK_WINDOW (g_steal_pointer (&f->window)));
  if (f->service != NULL)
    backups_sync_service_cancel_all (f->service);
  for (guint i = 0; i < 20; i++)
    g_main_context_iteration (NULL, FALSE);

  backups_cli_forget_tokens ();
  g_clear_object (&f->settings);
  g_clear_object (&f->service);
  g_clear_object (&f->secrets);
  g_clear_object (&f->store);
  gridpane_mock_stop (f->mock);
  g_clear_object (&f->mock);
  g_clear_pointer (&f->base_url, g_free);
}

static gint64
add_org (Fixture *f, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_add_org (f->store, name, &error);

  g_assert_no_error (error);
  return backups_org_get_id (org);
}

/* The token is "token-PREFIX"; its fleet's names carry PREFIX. */
static gint64
add_account (Fixture *f, gint64 org_id, const char *name, const char *prefix, guint n_sites)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *token = g_strdup_printf ("token-%s", prefix);
  g_autoptr (BackupsAccount) account = NULL;
  g_autofree char *secret_id = NULL;

  gridpane_mock_add_account (f->mock, token,
                             &(GridpaneMockFleetOptions){ .seed = n_sites,
                                                          .n_servers = 6,
                                                          .n_sites = n_sites,
                                                          .n_integrations = 4,
                                                          .name_prefix = prefix });
  if (f->keyring)
    return backups_cli_add_account (f->store, org_id, name, f->base_url, token);

  secret_id = backups_secrets_generate_id ();
  g_assert_true (backups_secrets_store (
    f->secrets, &(BackupsSecretOwner){ .secret_id = (char *)secret_id }, name, token, &error));
  account = backups_store_add_account (f->store, org_id, "gridpane", name, f->base_url, secret_id,
                                       &error);
  g_assert_no_error (error);
  return backups_account_get_id (account);
}

static void
sync_org_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &error);
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static void
sync_org (Fixture *f, gint64 org_id)
{
  gboolean done = FALSE;

  backups_sync_service_sync_org_async (f->service, org_id, NULL, sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
}

static void
open_window (Fixture *f)
{
  f->window = g_object_new (BACKUPS_TYPE_WINDOW, "store", f->store, "sync-service", f->service,
                            "settings", f->settings, "auto-sync", FALSE, NULL);
  gtk_window_present (GTK_WINDOW (f->window));
  backups_test_show_page (GTK_WIDGET (f->window), "schedules");
}

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

/* The rows the user sees on the Schedules page. */
static GListModel *
shown_rows (Fixture *f)
{
  GtkWidget *page = child (f->window, BACKUPS_TYPE_WINDOW, "schedules_page");

  return child (page, BACKUPS_TYPE_SCHEDULES_PAGE, "selection");
}

static gboolean
banner_shown (Fixture *f)
{
  return gtk_revealer_get_reveal_child (child (f->window, BACKUPS_TYPE_WINDOW, "banner_revealer"));
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

static gboolean
service_idle (gpointer data)
{
  return !backups_sync_service_get_syncing (data);
}

static gboolean
service_syncing (gpointer data)
{
  return backups_sync_service_get_syncing (data);
}

typedef struct
{
  Fixture    *f;
  guint       n;
  const char *prefix; /* every row's site carries it, when not NULL */
} RowsWait;

static gboolean
rows_are (gpointer data)
{
  RowsWait   *wait = data;
  GListModel *rows = shown_rows (wait->f);

  if (g_list_model_get_n_items (rows) != wait->n)
    return FALSE;
  for (guint i = 0; wait->prefix != NULL && i < wait->n; i++)
    {
      g_autoptr (BackupsSchedule) schedule = g_list_model_get_item (rows, i);

      if (strstr (backups_schedule_get_site_url (schedule), wait->prefix) == NULL)
        return FALSE;
    }
  return TRUE;
}

static void
wait_for_rows (Fixture *f, guint n, const char *prefix)
{
  RowsWait wait = { f, n, prefix };

  if (!backups_test_wait_until (rows_are, &wait, WAIT_MS))
    g_error ("The window shows %u rows, not %u%s%s", g_list_model_get_n_items (shown_rows (f)), n,
             prefix ? " of " : "", prefix ? prefix : "");
}

/* PRAGMA data_version on a connection of its own changes with every
 * commit of any other connection: how "nothing was written" is seen. */
static gint64
data_version (sqlite3 *db)
{
  sqlite3_stmt *stmt = NULL;
  gint64        version;

  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA data_version", -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  version = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  return version;
}

static sqlite3 *
open_watcher (Fixture *f)
{
  sqlite3 *db = NULL;

  g_assert_cmpint (
    sqlite3_open_v2 (backups_store_get_path (f->store), &db, SQLITE_OPEN_READONLY, NULL), ==,
    SQLITE_OK);
  return db;
}

static BackupsSyncStatus
account_status (Fixture *f, gint64 account_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = backups_store_get_account (f->store, account_id, &error);

  g_assert_no_error (error);
  return backups_account_get_last_sync_status (account);
}

/* A cancelled sync: once the service is idle nothing more is written,
 * even after every request it had started would have been answered. */
static void
assert_nothing_written_after_cancel (Fixture *f, gint64 account_id, const char *dump_before)
{
  sqlite3         *watcher = open_watcher (f);
  g_autofree char *dump_after = NULL;
  gint64           version;

  g_assert_true (backups_test_wait_until (service_idle, f->service, WAIT_MS));
  version = data_version (watcher);
  settle (1500);
  g_assert_cmpint (data_version (watcher), ==, version);
  sqlite3_close (watcher);

  dump_after = backups_test_dump_account (f->store, account_id);
  g_assert_cmpstr (dump_after, ==, dump_before);
  g_assert_cmpint (account_status (f, account_id), ==, BACKUPS_SYNC_STATUS_OK);
}

static gboolean
request_made (gpointer data)
{
  return gridpane_mock_get_request_count (data, NULL) > 0;
}

/* Tests --------------------------------------------------------------------- */

static void
test_cli_sync_while_open (Fixture *f, gconstpointer data)
{
  gint64 org_id;
  guint  n_rounds = g_strcmp0 (g_getenv ("BACKUPS_TEST_LONG"), "1") == 0 ? 10 : 3;

  if (!backups_cli_keyring_available ())
    return;
  org_id = add_org (f, "Acme");
  add_account (f, org_id, "Main", "winmain", 300);
  add_account (f, org_id, "Client", "winclient", 200);
  sync_org (f, org_id);

  open_window (f);
  wait_for_rows (f,
                 gridpane_mock_get_n_schedules (f->mock, "token-winmain")
                   + gridpane_mock_get_n_schedules (f->mock, "token-winclient"),
                 NULL);
  gridpane_mock_set_latency (f->mock, 20);

  for (guint round = 0; round < n_rounds; round++)
    {
      g_auto (BackupsCliRun) run = { 0 };
      g_autoptr (GSubprocessLauncher) launcher = backups_cli_launcher_new (NULL);
      g_autoptr (GSubprocess) process = NULL;

      gridpane_mock_mutate_fleet (f->mock, "token-winmain", round + 1);
      gridpane_mock_mutate_fleet (f->mock, "token-winclient", round + 1);

      /* backupsctl and the window's own sync, at the same time. */
      process
        = backups_cli_spawn (launcher, (const char *const[]){ "sync", "--org", "Acme", NULL });
      g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync", NULL));
      backups_cli_finish (process, NULL, 0, &run);
      g_assert_true (backups_test_wait_until (service_idle, f->service, WAIT_MS));

      backups_cli_assert_status (&run, 0);
      g_assert_null (strstr (run.err, "locked"));
      g_assert_null (strstr (run.err, "busy"));
      g_assert_cmpstr (run.err, ==, "");

      /* The lists follow whichever commit came last. */
      wait_for_rows (f,
                     gridpane_mock_get_n_schedules (f->mock, "token-winmain")
                       + gridpane_mock_get_n_schedules (f->mock, "token-winclient"),
                     NULL);
      settle (200);
      g_assert_false (banner_shown (f));
    }

  /* Nothing was lost between the two writers. */
  {
    g_auto (BackupsCliRun) run = { 0 };

    backups_cli (&run, "sync", "--org", "Acme");
    backups_cli_assert_status (&run, 0);
    g_assert_nonnull (strstr (run.out, "Acme / Main: 0 inserted, 0 updated, 0 deleted,"));
    g_assert_nonnull (strstr (run.out, "Acme / Client: 0 inserted, 0 updated, 0 deleted,"));
  }
}

static void
test_org_switch_during_sync (Fixture *f, gconstpointer data)
{
  gint64           acme = add_org (f, "Acme");
  gint64           globex = add_org (f, "Globex");
  gint64           acme_account = add_account (f, acme, "Main", "switchacme", 60);
  g_autofree char *dump_before = NULL;

  add_account (f, globex, "Globex", "switchglobex", 40);
  sync_org (f, acme);
  sync_org (f, globex);

  open_window (f);
  g_assert_cmpint (backups_window_get_org_id (f->window), ==, acme);
  wait_for_rows (f, gridpane_mock_get_n_schedules (f->mock, "token-switchacme"), "switchacme");

  /* A slow sync of Acme, with changes it would write. */
  gridpane_mock_mutate_fleet (f->mock, "token-switchacme", 3);
  gridpane_mock_set_latency (f->mock, 300);
  gridpane_mock_reset_counters (f->mock);
  dump_before = backups_test_dump_account (f->store, acme_account);
  backups_window_sync (f->window);
  g_assert_true (backups_sync_service_get_syncing (f->service));
  g_assert_true (backups_test_wait_until (request_made, f->mock, WAIT_MS));

  backups_window_select_org (f->window, globex);
  g_assert_cmpint (backups_window_get_org_id (f->window), ==, globex);

  assert_nothing_written_after_cancel (f, acme_account, dump_before);
  wait_for_rows (f, gridpane_mock_get_n_schedules (f->mock, "token-switchglobex"), "switchglobex");
  g_assert_false (banner_shown (f));
}

static void
test_sync_pressed_repeatedly (Fixture *f, gconstpointer data)
{
  gint64 org_id = add_org (f, "Acme");
  guint  n_presses = 0;

  add_account (f, org_id, "Main", "pressmain", 80);
  add_account (f, org_id, "Client", "pressclient", 50);
  open_window (f);
  gridpane_mock_set_latency (f->mock, 40);

  for (guint round = 1; round <= 2; round++)
    {
      gridpane_mock_reset_counters (f->mock);
      gridpane_mock_mutate_fleet (f->mock, "token-pressmain", round);

      /* Pressed again and again while the sync runs. */
      for (guint i = 0; i < 30; i++)
        {
          if (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync", NULL))
            n_presses++;
          backups_window_sync (f->window);
          if (i == 0)
            {
              g_assert_true (backups_sync_service_get_syncing (f->service));
              g_assert_false (
                g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "sync"));
            }
          g_main_context_iteration (NULL, FALSE);
        }
      g_assert_true (backups_test_wait_until (service_idle, f->service, WAIT_MS));

      /* One sync per account: each fetched its schedules once. */
      g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, "/backups/schedules"), ==, 2);
      g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, "/backups/integrations"), ==, 2);
      g_assert_true (g_action_group_get_action_enabled (G_ACTION_GROUP (f->window), "sync"));
      wait_for_rows (f,
                     gridpane_mock_get_n_schedules (f->mock, "token-pressmain")
                       + gridpane_mock_get_n_schedules (f->mock, "token-pressclient"),
                     NULL);
      g_assert_false (banner_shown (f));
    }
  g_test_message ("%u activations of win.sync in 2 rounds: 2 syncs", n_presses);
}

static gboolean
is_null (gpointer data)
{
  return *(gpointer *)data == NULL;
}

static void
weak (gpointer object, gpointer *location)
{
  *location = object;
  g_object_add_weak_pointer (G_OBJECT (object), location);
}

static void
assert_gone (gpointer *location, const char *what)
{
  if (!backups_test_wait_until (is_null, location, 5000))
    g_error ("%s was not finalized: something still holds it", what);
}

static void
test_close_mid_sync (Fixture *f, gconstpointer data)
{
  gint64           org_id = add_org (f, "Acme");
  gint64           account_id = add_account (f, org_id, "Main", "closemain", 60);
  g_autofree char *dump_before = NULL;
  gpointer         window = NULL, schedules = NULL, integrations = NULL;
  gpointer         service = NULL, store = NULL;
  GtkWidget       *page;

  sync_org (f, org_id);
  open_window (f);
  wait_for_rows (f, gridpane_mock_get_n_schedules (f->mock, "token-closemain"), "closemain");

  page = child (f->window, BACKUPS_TYPE_WINDOW, "schedules_page");
  weak (backups_list_page_get_model (BACKUPS_LIST_PAGE (page)), &schedules);
  page = child (f->window, BACKUPS_TYPE_WINDOW, "integrations_page");
  weak (backups_list_page_get_model (BACKUPS_LIST_PAGE (page)), &integrations);
  weak (f->window, &window);
  weak (f->service, &service);
  weak (f->store, &store);

  gridpane_mock_mutate_fleet (f->mock, "token-closemain", 5);
  gridpane_mock_set_latency (f->mock, 300);
  gridpane_mock_reset_counters (f->mock);
  dump_before = backups_test_dump_account (f->store, account_id);
  g_assert_true (gtk_widget_activate_action (GTK_WIDGET (f->window), "win.sync", NULL));
  g_assert_true (backups_test_wait_until (service_syncing, f->service, WAIT_MS));
  g_assert_true (backups_test_wait_until (request_made, f->mock, WAIT_MS));

  /* As the close button does. */
  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;

  assert_nothing_written_after_cancel (f, account_id, dump_before);
  assert_gone (&window, "The window");
  assert_gone (&schedules, "The schedules model");
  assert_gone (&integrations, "The integrations model");

  /* What the application holds goes too. */
  g_clear_object (&f->service);
  assert_gone (&service, "The sync service");
  g_clear_object (&f->store);
  assert_gone (&store, "The store");
}

/* A sync the window did not start (the Accounts window's, or an apply
 * already in its worker thread when the window closed) ends after the
 * window is gone. */
static void
test_close_while_other_sync_runs (Fixture *f, gconstpointer data)
{
  gint64   org_id = add_org (f, "Acme");
  gpointer window = NULL;
  gboolean done = FALSE;

  add_account (f, org_id, "Main", "othermain", 60);
  sync_org (f, org_id);
  open_window (f);
  wait_for_rows (f, gridpane_mock_get_n_schedules (f->mock, "token-othermain"), "othermain");
  weak (f->window, &window);

  gridpane_mock_mutate_fleet (f->mock, "token-othermain", 2);
  gridpane_mock_set_latency (f->mock, 200);
  backups_sync_service_sync_org_async (f->service, org_id, NULL, sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_until (service_syncing, f->service, WAIT_MS));

  gtk_window_close (GTK_WINDOW (f->window));
  f->window = NULL;
  assert_gone (&window, "The window");

  /* The sync carries on and ends; nothing of the window is touched. */
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
  g_assert_false (backups_sync_service_get_syncing (f->service));
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
  /* These syncs must succeed, also on a busy machine (backups-cli-run.h). */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "30", TRUE);

  /* GTK needs the MIME database of the real data dirs for its icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

#define ADD(path, func, keyring)                                                                   \
  g_test_add (path, Fixture, keyring, fixture_set_up, func, fixture_tear_down)

  ADD ("/window-concurrency/cli-sync-while-open", test_cli_sync_while_open, "keyring");
  ADD ("/window-concurrency/org-switch-during-sync", test_org_switch_during_sync, NULL);
  ADD ("/window-concurrency/sync-pressed-repeatedly", test_sync_pressed_repeatedly, NULL);
  ADD ("/window-concurrency/close-mid-sync", test_close_mid_sync, NULL);
  ADD ("/window-concurrency/close-while-other-sync-runs", test_close_while_other_sync_runs, NULL);

#undef ADD

  return g_test_run ();
}
