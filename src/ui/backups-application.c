/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-application.c
 *
 * `backups --demo URL` runs on a demo profile: tokens live only in an
 * in-memory secret store (never the keyring), and the demo organizations
 * and accounts are created when missing and pointed at URL, a running
 * `gridpane-mock --demo`. The run script sets XDG_DATA_HOME to a demo
 * folder, so the user's real database is never touched.
 *
 * `backups --demo-local` does the same on its own: it starts the demo
 * server (installed as backups-demo-server) as its child, keeps the demo's
 * cache apart under the user's cache folder and its settings in memory.
 * The first-run window's "Explore the Demo" starts such a process.
 *
 * The cache's integrity is checked in a worker once it is open, so that
 * start-up does not wait; damage found then shows in the window by
 * itself. When the cache cannot be opened at all (a full disk, a read-only
 * folder, a newer version's file, another program's lock) the app shows
 * the store's sentence in a window of its own instead of quitting without
 * a word.
 */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <sys/prctl.h>

#include "backups-account-manager.h"
#include "backups-application.h"
#include "backups-error-window.h"
#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-preferences-window.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-window.h"

struct _BackupsApplication
{
  AdwApplication parent_instance;

  char                  *demo_url;
  gboolean               demo_local;
  GSubprocess           *demo_server;
  BackupsStore          *store;
  BackupsSecrets        *secrets;
  BackupsSyncService    *sync_service;
  BackupsAccountManager *account_manager;

  /* Why start-up failed, for the window that says so. */
  char   *startup_heading;
  GError *startup_error;
};

G_DEFINE_FINAL_TYPE (BackupsApplication, backups_application, ADW_TYPE_APPLICATION)

typedef struct
{
  const char *org;
  const char *account;
  const char *token;
} DemoAccount;

static const DemoAccount demo_accounts[] = {
  { "Acme Agency", "Acme Main", "demo-acme-main" },
  { "Acme Agency", "Acme Clients", "demo-acme-clients" },
  { "Globex", "Globex", "demo-globex" },
};

static gboolean
seed_demo_account (BackupsApplication *self, const DemoAccount *demo, GError **error)
{
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsSecretOwner) owner = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) local_error = NULL;
  g_autofree char *label = NULL;

  org = backups_store_find_org (self->store, demo->org, &local_error);
  if (org == NULL && g_error_matches (local_error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ORG))
    {
      g_clear_error (&local_error);
      org = backups_store_add_org (self->store, demo->org, &local_error);
    }
  if (org == NULL)
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  account = backups_store_find_account (self->store, backups_org_get_id (org), demo->account,
                                        &local_error);
  if (account != NULL && g_strcmp0 (backups_account_get_base_url (account), self->demo_url) != 0)
    {
      /* The mock listens on a new port each run and the store has no way
       * to move an account, so the demo account is made anew. */
      if (!backups_store_remove_account (self->store, backups_account_get_id (account), error))
        return FALSE;
      g_clear_object (&account);
    }
  if (account == NULL)
    {
      g_autofree char *secret_id = backups_secrets_generate_id ();

      g_clear_error (&local_error);
      account = backups_store_add_account (self->store, backups_org_get_id (org),
                                           BACKUPS_PROVIDER_KIND_GRIDPANE, demo->account,
                                           self->demo_url, secret_id, error);
      if (account == NULL)
        return FALSE;
    }

  owner = backups_secret_owner_new (backups_account_get_secret_id (account), demo->org,
                                    demo->account, self->demo_url);
  label = backups_secret_owner_label (owner);
  return backups_secrets_store (self->secrets, owner, label, demo->token, error);
}

static gboolean
seed_demo (BackupsApplication *self, GError **error)
{
  for (guint i = 0; i < G_N_ELEMENTS (demo_accounts); i++)
    if (!seed_demo_account (self, &demo_accounts[i], error))
      return FALSE;

  return TRUE;
}

static BackupsWindow *
get_window (BackupsApplication *self)
{
  GtkWindow *window = gtk_application_get_active_window (GTK_APPLICATION (self));

  return BACKUPS_IS_WINDOW (window) ? BACKUPS_WINDOW (window) : NULL;
}

/* Preferences opens on the page asked for (Accounts, from the welcome and
 * empty pages' "Add a GridPane Account…"), or, from the menu (`page`
 * NULL), where it is, on Accounts when it opens. */
static void
open_preferences (BackupsApplication *self, const char *page)
{
  BackupsWindow            *window = get_window (self);
  BackupsPreferencesWindow *preferences;
  GListModel               *toplevels;
  g_autoptr (GSettings) settings = NULL;

  if (window == NULL)
    return;

  /* One Preferences window per window: a second request brings it
   * forward, on the page asked for. */
  toplevels = gtk_window_get_toplevels ();
  for (guint i = 0; i < g_list_model_get_n_items (toplevels); i++)
    {
      g_autoptr (GtkWindow) shown = g_list_model_get_item (toplevels, i);

      if (BACKUPS_IS_PREFERENCES_WINDOW (shown)
          && gtk_window_get_transient_for (shown) == GTK_WINDOW (window))
        {
          if (page != NULL)
            backups_preferences_window_show_page (BACKUPS_PREFERENCES_WINDOW (shown), page);
          gtk_window_present (shown);
          return;
        }
    }

  /* The window's settings: the demo's live in memory. */
  g_object_get (window, "settings", &settings, NULL);
  preferences = backups_preferences_window_new (GTK_WINDOW (window), self->account_manager,
                                                self->sync_service, settings,
                                                backups_window_get_org_id (window));
  backups_preferences_window_show_page (preferences, page != NULL ? page : "accounts");
  gtk_window_present (GTK_WINDOW (preferences));
}

static void
accounts_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  open_preferences (BACKUPS_APPLICATION (user_data), "accounts");
}

static void
preferences_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  open_preferences (BACKUPS_APPLICATION (user_data), NULL);
}

static void
quit_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  GApplication *app = G_APPLICATION (user_data);
  GList        *windows = gtk_application_get_windows (GTK_APPLICATION (app));

  /* Closing the windows lets them save their size. */
  while (windows != NULL)
    {
      GList *next = windows->next;

      gtk_window_close (windows->data);
      windows = next;
    }
  g_application_quit (app);
}

/* The demo server: BACKUPS_DEMO_SERVER, else the installed one, else the
 * one in the build tree (for `./run`). */
static char *
find_demo_server (void)
{
  const char *env = g_getenv ("BACKUPS_DEMO_SERVER");

  if (env != NULL && *env != '\0')
    return g_strdup (env);
  if (g_file_test (DEMO_SERVER_INSTALLED, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (DEMO_SERVER_INSTALLED);
  if (g_file_test (DEMO_SERVER_BUILD, G_FILE_TEST_IS_EXECUTABLE))
    return g_strdup (DEMO_SERVER_BUILD);
  return NULL;
}

static void
demo_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autofree char *self_exe = g_file_read_link ("/proc/self/exe", &error);

  /* A process of its own: the demo never mixes with the user's profile. */
  if (self_exe != NULL)
    process = g_subprocess_new (G_SUBPROCESS_FLAGS_NONE, &error, self_exe, "--demo-local", NULL);
  if (process == NULL)
    g_warning ("Could not start the demo: %s", error->message);
}

static void
stop_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGTERM);
}

/* Starts the demo server and reads the URL it prints first. */
static gboolean
start_demo_server (BackupsApplication *self, GError **error)
{
  g_autofree char *server = find_demo_server ();
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) output = NULL;
  g_autofree char *line = NULL;

  if (server == NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("The demo server is not installed."));
      return FALSE;
    }

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  /* The server ends with the demo, even when the demo crashes. */
  g_subprocess_launcher_set_child_setup (launcher, stop_with_parent, NULL, NULL);
  self->demo_server
    = g_subprocess_launcher_spawn (launcher, error, server, "--demo", "--port", "0", NULL);
  if (self->demo_server == NULL)
    return FALSE;

  output = g_data_input_stream_new (g_subprocess_get_stdout_pipe (self->demo_server));
  line = g_data_input_stream_read_line_utf8 (output, NULL, NULL, error);
  if (line == NULL)
    {
      if (error != NULL && *error == NULL)
        g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                     _ ("The demo server stopped before it was ready."));
      return FALSE;
    }

  self->demo_url = g_strstrip (g_steal_pointer (&line));
  return TRUE;
}

static void
about_activated (GSimpleAction *action, GVariant *parameter, gpointer user_data)
{
  static const char *developers[] = { "The Backups developers", NULL };
  GtkApplication    *app = GTK_APPLICATION (user_data);
  GtkWidget         *about;

  about = g_object_new (
    ADW_TYPE_ABOUT_WINDOW, "transient-for", gtk_application_get_active_window (app), "modal", TRUE,
    "application-name", _ ("Backups"), "application-icon", APP_ID, "version", PACKAGE_VERSION,
    "developer-name", _ ("The Backups developers"), "developers", developers, "comments",
    _ ("Every site’s backups across your GridPane accounts"), "license-type", GTK_LICENSE_GPL_3_0,
    "website", "https://example.org/backups", "copyright", "© 2026 The Backups developers",
    /* Translators: your names, one per line */
    "translator-credits", _ ("translator-credits"), NULL);
  gtk_window_present (GTK_WINDOW (about));
}

static int
backups_application_handle_local_options (GApplication *app, GVariantDict *options)
{
  BackupsApplication *self = BACKUPS_APPLICATION (app);

  self->demo_local = g_variant_dict_contains (options, "demo-local");
  if (self->demo_local || g_variant_dict_lookup (options, "demo", "s", &self->demo_url))
    {
      /* Another instance would show the real profile: keep the demo apart. */
      g_application_set_flags (app, g_application_get_flags (app) | G_APPLICATION_NON_UNIQUE);
    }

  return -1;
}

static void
set_startup_error (BackupsApplication *self, const char *heading, GError *error)
{
  g_printerr ("%s: %s\n", heading, error->message);
  g_free (self->startup_heading);
  self->startup_heading = g_strdup (heading);
  g_clear_error (&self->startup_error);
  self->startup_error = g_error_copy (error);
}

static void
check_integrity_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  /* Damage makes the store damaged, which the window follows; nothing
   * more to do here. */
  if (!backups_store_check_integrity_finish (BACKUPS_STORE (object), result, &error))
    g_debug ("The integrity check of the cache failed: %s", error->message);
}

static void
backups_application_startup (GApplication *app)
{
  static const GActionEntry entries[] = {
    { "accounts", accounts_activated }, { "preferences", preferences_activated },
    { "quit", quit_activated },         { "about", about_activated },
    { "demo", demo_activated },
  };
  static const char  *sync_accels[] = { "<Control>r", "F5", NULL };
  static const char  *quit_accels[] = { "<Control>q", NULL };
  static const char  *search_accels[] = { "<Control>f", NULL };
  static const char  *accounts_accels[] = { "<Control>comma", NULL };
  static const char  *about_accels[] = { "F1", NULL };
  static const char  *close_accels[] = { "<Control>w", NULL };
  g_autofree char    *demo_server = find_demo_server ();
  g_autofree char    *store_path = NULL;
  BackupsApplication *self = BACKUPS_APPLICATION (app);
  g_autoptr (GError) error = NULL;

  /* AdwApplication initializes libadwaita, follows the system's dark style
   * through AdwStyleManager and loads style.css from the resources. */
  G_APPLICATION_CLASS (backups_application_parent_class)->startup (app);

  gtk_window_set_default_icon_name (APP_ID);

  g_action_map_add_action_entries (G_ACTION_MAP (app), entries, G_N_ELEMENTS (entries), app);
  /* Sync is the window's: it syncs the organization the window shows. */
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.sync", sync_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.quit", quit_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "win.search", search_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.preferences", accounts_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "app.about", about_accels);
  gtk_application_set_accels_for_action (GTK_APPLICATION (app), "window.close", close_accels);

  /* The demo is offered where its server exists, and not from the demo. */
  g_simple_action_set_enabled (
    G_SIMPLE_ACTION (g_action_map_lookup_action (G_ACTION_MAP (app), "demo")),
    demo_server != NULL && !self->demo_local && self->demo_url == NULL);

  if (self->demo_local)
    {
      if (!start_demo_server (self, &error))
        {
          set_startup_error (self, _ ("Could not start the demo"), error);
          return;
        }
      store_path = g_build_filename (g_get_user_cache_dir (), APP_ID, "demo", "backups.db", NULL);
    }

  self->store = backups_store_open (store_path, &error);
  if (self->store == NULL)
    {
      set_startup_error (self, _ ("Backups could not open its cache"), error);
      return;
    }

  if (self->demo_url != NULL)
    {
      self->secrets = backups_secrets_new_memory ();
      /* The demo's cache holds nothing of the user's, and its tokens are
       * made anew each run: a damaged one is simply rebuilt. */
      if (backups_store_is_damaged (self->store)
          && !backups_store_rebuild (self->store, NULL, NULL, &error))
        {
          set_startup_error (self, _ ("Could not set up the demo profile"), error);
          g_clear_object (&self->store);
          return;
        }
      if (!seed_demo (self, &error))
        {
          set_startup_error (self, _ ("Could not set up the demo profile"), error);
          g_clear_object (&self->store);
          return;
        }
    }
  else
    self->secrets = backups_secrets_new_keyring ();

  /* In a worker: start-up does not wait for it. */
  backups_store_check_integrity_async (self->store, NULL, check_integrity_done_cb, NULL);

  /* GridPane is the one provider there is. */
  self->sync_service = backups_sync_service_new (self->store, self->secrets,
                                                 backups_gridpane_provider_factory, NULL);
  self->account_manager = backups_account_manager_new (self->store, self->secrets,
                                                       backups_gridpane_provider_factory, NULL);
}

static void
backups_application_activate (GApplication *app)
{
  BackupsApplication *self = BACKUPS_APPLICATION (app);
  GtkWindow          *window = gtk_application_get_active_window (GTK_APPLICATION (app));

  if (window == NULL && self->store == NULL)
    {
      /* Start-up failed: say why, rather than quit without a word. */
      const char *message = self->startup_error != NULL ? self->startup_error->message : "";

      window = GTK_WINDOW (
        backups_error_window_new (GTK_APPLICATION (app), self->startup_heading, message));
    }
  else if (window == NULL)
    {
      g_autoptr (GSettings) settings = NULL;

      /* The demo leaves the user's window size and organization alone. */
      if (self->demo_local)
        {
          g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();

          settings = g_settings_new_with_backend (APP_ID, backend);
        }
      window = GTK_WINDOW (backups_window_new (GTK_APPLICATION (app), self->store, self->secrets,
                                               self->sync_service, settings));
      if (self->demo_url != NULL)
        gtk_window_set_title (window, _ ("Backups (Demo)"));
    }

  gtk_window_present (window);
}

static void
backups_application_shutdown (GApplication *app)
{
  BackupsApplication *self = BACKUPS_APPLICATION (app);

  if (self->sync_service != NULL)
    backups_sync_service_cancel_all (self->sync_service);
  if (self->demo_server != NULL)
    g_subprocess_force_exit (self->demo_server);

  G_APPLICATION_CLASS (backups_application_parent_class)->shutdown (app);
}

static void
backups_application_dispose (GObject *object)
{
  BackupsApplication *self = BACKUPS_APPLICATION (object);

  g_clear_object (&self->account_manager);
  g_clear_object (&self->sync_service);
  g_clear_object (&self->secrets);
  g_clear_object (&self->store);
  g_clear_object (&self->demo_server);

  G_OBJECT_CLASS (backups_application_parent_class)->dispose (object);
}

static void
backups_application_finalize (GObject *object)
{
  BackupsApplication *self = BACKUPS_APPLICATION (object);

  g_clear_pointer (&self->demo_url, g_free);
  g_clear_pointer (&self->startup_heading, g_free);
  g_clear_error (&self->startup_error);

  G_OBJECT_CLASS (backups_application_parent_class)->finalize (object);
}

static void
backups_application_class_init (BackupsApplicationClass *klass)
{
  GObjectClass      *object_class = G_OBJECT_CLASS (klass);
  GApplicationClass *app_class = G_APPLICATION_CLASS (klass);

  object_class->dispose = backups_application_dispose;
  object_class->finalize = backups_application_finalize;
  app_class->handle_local_options = backups_application_handle_local_options;
  app_class->startup = backups_application_startup;
  app_class->activate = backups_application_activate;
  app_class->shutdown = backups_application_shutdown;
}

static void
backups_application_init (BackupsApplication *self)
{
  static const GOptionEntry options[] = {
    { "demo", 0, 0, G_OPTION_ARG_STRING, NULL,
      N_ ("Run on the demo profile against a gridpane-mock at URL (tokens stay in memory)"),
      N_ ("URL") },
    { "demo-local", 0, 0, G_OPTION_ARG_NONE, NULL,
      N_ ("Run on the demo profile with its own local stand-in for GridPane"), NULL },
    { NULL },
  };

  g_application_add_main_option_entries (G_APPLICATION (self), options);
}

BackupsApplication *
backups_application_new (void)
{
  return g_object_new (BACKUPS_TYPE_APPLICATION, "application-id", APP_ID, "flags",
                       G_APPLICATION_DEFAULT_FLAGS, "resource-base-path", "/org/example/Backups",
                       NULL);
}
