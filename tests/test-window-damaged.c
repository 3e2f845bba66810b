/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-window-damaged.c: the window over a damaged cache (issue 13), under
 * Xvfb against the mock GridPane server: the lists give way to a page that
 * says so, its one button rebuilds the cache and syncs it back, and the
 * application says why when it cannot open the cache at all.
 *
 * A cache is damaged the way a bad sector damages it: the WAL is
 * checkpointed into the main file, then a few pages in its middle are
 * overwritten with random bytes from a fixed seed (printed).
 *
 * Corruption trials through the window: copies of one synced cache, each
 * with 1 to 4 whole pages overwritten (a seed per trial, printed), opened as
 * the app opens them; each ends with the damaged page or with exactly the
 * original rows, never other rows. BACKUPS_TEST_LONG=1 runs 100 instead of
 * 10; BACKUPS_WINDOW_TRIAL=SEED replays one. */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <adwaita.h>
#include <sqlite3.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backups-application.h"
#include "backups-damaged-page.h"
#include "backups-error-window.h"
#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-integrations-page.h"
#include "backups-schedules-page.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-sync-service.h"
#include "backups-test-display.h"
#include "backups-test-util.h"
#include "backups-window.h"
#include "gridpane-mock.h"

#define WAIT_MS 20000
#define CORRUPT_SEED 1313
#define CORRUPT_PAGES 4
#define REBUILD_LABEL "_Rebuild from GridPane"
#define DAMAGED_TITLE "The local cache is damaged"
#define KEYRING_BROKEN "The keyring could not be read (test)."

/* A network monitor that is always online, whatever the machine's routes. */
#define ONLINE_TYPE_MONITOR (online_monitor_get_type ())
G_DECLARE_FINAL_TYPE (OnlineMonitor, online_monitor, ONLINE, MONITOR, GObject)

struct _OnlineMonitor
{
  GObject parent_instance;
};

enum
{
  ONLINE_PROP_0,
  ONLINE_PROP_AVAILABLE,
  ONLINE_PROP_METERED,
  ONLINE_PROP_CONNECTIVITY,
};

static void online_monitor_iface_init (GNetworkMonitorInterface *iface);
static void online_monitor_initable_iface_init (GInitableIface *iface);

G_DEFINE_TYPE_WITH_CODE (OnlineMonitor,
                         online_monitor,
                         G_TYPE_OBJECT,
                         G_IMPLEMENT_INTERFACE (G_TYPE_INITABLE, online_monitor_initable_iface_init)
                           G_IMPLEMENT_INTERFACE (G_TYPE_NETWORK_MONITOR,
                                                  online_monitor_iface_init))

static gboolean
online_monitor_initable_init (GInitable *initable, GCancellable *cancellable, GError **error)
{
  return TRUE;
}

static void
online_monitor_initable_iface_init (GInitableIface *iface)
{
  iface->init = online_monitor_initable_init;
}

static void
online_monitor_iface_init (GNetworkMonitorInterface *iface)
{
}

static void
online_monitor_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  switch (prop_id)
    {
    case ONLINE_PROP_AVAILABLE:
      g_value_set_boolean (value, TRUE);
      break;
    case ONLINE_PROP_METERED:
      g_value_set_boolean (value, FALSE);
      break;
    case ONLINE_PROP_CONNECTIVITY:
      g_value_set_enum (value, G_NETWORK_CONNECTIVITY_FULL);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
online_monitor_class_init (OnlineMonitorClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->get_property = online_monitor_get_property;
  g_object_class_override_property (object_class, ONLINE_PROP_AVAILABLE, "network-available");
  g_object_class_override_property (object_class, ONLINE_PROP_METERED, "network-metered");
  g_object_class_override_property (object_class, ONLINE_PROP_CONNECTIVITY, "connectivity");
}

static void
online_monitor_init (OnlineMonitor *self)
{
}

/* Tokens in memory, but a keyring whose owners cannot be listed: the
 * rebuild keeps what the file holds and says what it could not do. */
#define BROKEN_TYPE_SECRETS (broken_secrets_get_type ())
G_DECLARE_FINAL_TYPE (BrokenSecrets, broken_secrets, BROKEN, SECRETS, BackupsSecrets)

struct _BrokenSecrets
{
  BackupsSecrets  parent_instance;
  BackupsSecrets *inner;
};

G_DEFINE_FINAL_TYPE (BrokenSecrets, broken_secrets, BACKUPS_TYPE_SECRETS)

static gboolean
broken_secrets_store (BackupsSecrets           *secrets,
                      const BackupsSecretOwner *owner,
                      const char               *label,
                      const char               *token,
                      GError                  **error)
{
  return backups_secrets_store (BROKEN_SECRETS (secrets)->inner, owner, label, token, error);
}

static char *
broken_secrets_lookup (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  return backups_secrets_lookup (BROKEN_SECRETS (secrets)->inner, secret_id, error);
}

static gboolean
broken_secrets_clear (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  return backups_secrets_clear (BROKEN_SECRETS (secrets)->inner, secret_id, error);
}

static GPtrArray *
broken_secrets_list_owners (BackupsSecrets *secrets, GError **error)
{
  g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING, KEYRING_BROKEN);
  return NULL;
}

static void
broken_secrets_finalize (GObject *object)
{
  g_clear_object (&BROKEN_SECRETS (object)->inner);

  G_OBJECT_CLASS (broken_secrets_parent_class)->finalize (object);
}

static void
broken_secrets_class_init (BrokenSecretsClass *klass)
{
  GObjectClass        *object_class = G_OBJECT_CLASS (klass);
  BackupsSecretsClass *secrets_class = BACKUPS_SECRETS_CLASS (klass);

  object_class->finalize = broken_secrets_finalize;
  secrets_class->store = broken_secrets_store;
  secrets_class->lookup = broken_secrets_lookup;
  secrets_class->clear = broken_secrets_clear;
  secrets_class->list_owners = broken_secrets_list_owners;
}

static void
broken_secrets_init (BrokenSecrets *self)
{
  self->inner = backups_secrets_new_memory ();
}

typedef struct
{
  GridpaneMock       *mock;
  char               *base_url;
  char               *path;
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  GSettings          *settings;
  GNetworkMonitor    *monitor;
  BackupsWindow      *window;
} Fixture;

static void
open_store (Fixture *fixture)
{
  g_autoptr (GError) error = NULL;

  fixture->store = backups_store_open (fixture->path, &error);
  g_assert_no_error (error);
  fixture->service = backups_sync_service_new (fixture->store, fixture->secrets,
                                               backups_gridpane_provider_factory, NULL);
}

/* Drops the store, so that the next open reads the file afresh as the
 * app's start-up would. */
static void
close_store (Fixture *fixture)
{
  backups_sync_service_cancel_all (fixture->service);
  g_clear_object (&fixture->service);
  backups_test_assert_finalize (g_steal_pointer (&fixture->store));
}

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
  fixture->path = backups_store_default_path ();
  fixture->secrets
    = data != NULL ? g_object_new (BROKEN_TYPE_SECRETS, NULL) : backups_secrets_new_memory ();
  fixture->settings = g_settings_new (APP_ID);
  fixture->monitor = g_object_new (ONLINE_TYPE_MONITOR, NULL);
  open_store (fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  if (fixture->window != NULL)
    {
      gtk_window_destroy (GTK_WINDOW (fixture->window));
      fixture->window = NULL;
    }

  if (fixture->service != NULL)
    backups_sync_service_cancel_all (fixture->service);
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
  g_clear_pointer (&fixture->path, g_free);
}

/* An account in the store and a fleet at the mock; its token is stored
 * with its owner's names, as the app stores it, so that a rebuild can
 * recover the account from the keyring. */
static void
add_account_sized (Fixture    *fixture,
                   const char *org_name,
                   const char *name,
                   const char *prefix,
                   guint       seed,
                   guint       n_sites)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_find_org (fixture->store, org_name, NULL);
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSecretOwner) owner = NULL;
  g_autofree char         *token = g_strdup_printf ("token-%s", prefix);
  g_autofree char         *secret_id = backups_secrets_generate_id ();
  GridpaneMockFleetOptions options = {
    .seed = seed,
    .n_servers = 4,
    .n_sites = n_sites,
    .n_integrations = 3,
    .name_prefix = prefix,
  };

  if (org == NULL)
    org = backups_store_add_org (fixture->store, org_name, &error);
  g_assert_no_error (error);

  gridpane_mock_add_account (fixture->mock, token, &options);
  owner = backups_secret_owner_new (secret_id, org_name, name, fixture->base_url);
  backups_secrets_store (fixture->secrets, owner, name, token, &error);
  g_assert_no_error (error);
  account = backups_store_add_account (fixture->store, backups_org_get_id (org), "gridpane", name,
                                       fixture->base_url, secret_id, &error);
  g_assert_no_error (error);
}

static void
add_account (
  Fixture *fixture, const char *org_name, const char *name, const char *prefix, guint seed)
{
  add_account_sized (fixture, org_name, name, prefix, seed, 40);
}

static void
sync_org_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean *done = user_data;

  backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &error);
  g_assert_no_error (error);
  *done = TRUE;
}

static void
sync_org (Fixture *fixture, const char *org_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_find_org (fixture->store, org_name, &error);
  gboolean done = FALSE;

  g_assert_no_error (error);
  backups_sync_service_sync_org_async (fixture->service, backups_org_get_id (org), NULL,
                                       sync_org_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
}

/* The org's schedules as the store has them; 0 while it cannot tell. */
static guint
count_schedules (BackupsStore *store, const char *org_name)
{
  g_autoptr (BackupsOrg) org = backups_store_find_org (store, org_name, NULL);
  g_autoptr (GPtrArray) schedules = NULL;

  if (org == NULL)
    return 0;
  schedules = backups_store_query_schedules (store, backups_org_get_id (org), NULL);
  return schedules != NULL ? schedules->len : 0;
}

static void
checkpoint (const char *path)
{
  sqlite3 *db = NULL;
  int      log_frames = -1;
  int      checkpointed = -1;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 5000);
  /* A connection finds the WAL on its first read, not before. */
  g_assert_cmpint (sqlite3_exec (db, "SELECT count(*) FROM sqlite_schema", NULL, NULL, NULL), ==,
                   SQLITE_OK);
  g_assert_cmpint (
    sqlite3_wal_checkpoint_v2 (db, NULL, SQLITE_CHECKPOINT_TRUNCATE, &log_frames, &checkpointed),
    ==, SQLITE_OK);
  g_assert_cmpint (log_frames, ==, checkpointed);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Checkpoints the WAL into the file at `path` and opens it for writing;
 * says its page size and its number of pages. */
static int
open_checkpointed (const char *path, guint *page_size, guint *n_pages)
{
  guint8      header[100];
  struct stat st;
  int         fd;

  checkpoint (path);

  fd = g_open (path, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, header, sizeof header, 0), ==, sizeof header);
  g_assert_cmpint (fstat (fd, &st), ==, 0);
  *page_size = (guint)header[16] << 8 | header[17];
  if (*page_size == 1)
    *page_size = 65536;
  *n_pages = (guint)(st.st_size / *page_size);
  return fd;
}

/* Checkpoints the WAL into the file, then overwrites CORRUPT_PAGES pages
 * from a third of the way in with random bytes of `seed`. */
static void
corrupt_cache (const char *path, guint32 seed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *page = NULL;
  guint              page_size, n_pages, first;
  int                fd;

  fd = open_checkpointed (path, &page_size, &n_pages);
  first = n_pages / 3;
  g_assert_cmpuint (first, >=, 1);
  g_assert_cmpuint (first + CORRUPT_PAGES, <, n_pages);

  g_test_message ("Corrupting %s: seed %u, pages %u to %u (from 1) of %u, %u bytes each", path,
                  seed, first + 1, first + CORRUPT_PAGES, n_pages, page_size);
  page = g_malloc (page_size);
  for (guint i = 0; i < CORRUPT_PAGES; i++)
    {
      for (guint j = 0; j < page_size; j++)
        page[j] = (guint8)g_rand_int (rand);
      g_assert_cmpint (pwrite (fd, page, page_size, (off_t)(first + i) * page_size), ==,
                       (gssize)page_size);
    }
  g_assert_cmpint (fsync (fd), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

/* Checkpoints the WAL into the file, then overwrites 1 to 4 whole pages
 * anywhere in it (the header's included) with random bytes or zeroes, all
 * chosen by `seed`; says which in `log`. */
static void
corrupt_random_pages (const char *path, guint32 seed, GString *log)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autofree guint8 *page = NULL;
  gboolean           zero = g_rand_boolean (rand);
  guint              n = (guint)g_rand_int_range (rand, 1, 5);
  guint              page_size, n_pages;
  int                fd;

  fd = open_checkpointed (path, &page_size, &n_pages);
  g_assert_cmpuint (n_pages, >, 4);

  g_string_append_printf (log, "%s pages", zero ? "zeroed" : "random");
  page = g_malloc (page_size);
  for (guint i = 0; i < n; i++)
    {
      guint number = (guint)g_rand_int_range (rand, 0, (gint32)n_pages);

      if (zero)
        memset (page, 0, page_size);
      else
        for (guint j = 0; j < page_size; j++)
          page[j] = (guint8)g_rand_int (rand);
      g_assert_cmpint (pwrite (fd, page, page_size, (off_t)number * page_size), ==,
                       (gssize)page_size);
      g_string_append_printf (log, " %u", number + 1);
    }
  g_string_append_printf (log, " (from 1) of %u, %u bytes each", n_pages, page_size);
  g_assert_cmpint (fsync (fd), ==, 0);
  g_assert_cmpint (close (fd), ==, 0);
}

static void
check_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  gboolean *done = user_data;

  g_assert_false (backups_store_check_integrity_finish (BACKUPS_STORE (object), result, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED);
  *done = TRUE;
}

/* What the app does after opening the store. */
static void
check_integrity_expect_damage (Fixture *fixture)
{
  gboolean done = FALSE;

  backups_store_check_integrity_async (fixture->store, NULL, check_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
  g_assert_true (backups_store_is_damaged (fixture->store));
}

static BackupsWindow *
open_window (Fixture *fixture)
{
  fixture->window
    = g_object_new (BACKUPS_TYPE_WINDOW, "store", fixture->store, "secrets", fixture->secrets,
                    "sync-service", fixture->service, "settings", fixture->settings, "auto-sync",
                    FALSE, "network-monitor", fixture->monitor, NULL);
  gtk_window_present (GTK_WINDOW (fixture->window));
  backups_test_show_page (GTK_WIDGET (fixture->window), "schedules");
  return fixture->window;
}

static gpointer
child (gpointer widget, GType type, const char *name)
{
  GObject *object = gtk_widget_get_template_child (GTK_WIDGET (widget), type, name);

  g_assert_nonnull (object);
  return object;
}

static gpointer
window_child (Fixture *fixture, const char *name)
{
  return child (fixture->window, BACKUPS_TYPE_WINDOW, name);
}

static const char *
content_page (Fixture *fixture)
{
  return gtk_stack_get_visible_child_name (window_child (fixture, "content_stack"));
}

static gboolean
content_is_damaged (gpointer data)
{
  return g_strcmp0 (content_page (data), "damaged") == 0;
}

static gboolean
content_is_main (gpointer data)
{
  return g_strcmp0 (content_page (data), "main") == 0;
}

/* The window's live schedules model: what the Schedules page lists. */
static GListModel *
schedules_model (Fixture *fixture)
{
  return G_LIST_MODEL (backups_list_page_get_model (window_child (fixture, "schedules_page")));
}

/* The rows the user sees: the selection model of the column view. */
static GListModel *
shown_rows (Fixture *fixture)
{
  GtkWidget *page = window_child (fixture, "schedules_page");

  return child (page, BACKUPS_TYPE_SCHEDULES_PAGE, "selection");
}

typedef struct
{
  Fixture    *fixture;
  const char *org_name;
  guint       n;
} RowsWait;

/* The window lists `n` rows of the org, and the store has them. */
static gboolean
rows_back (gpointer data)
{
  RowsWait *wait = data;

  return content_is_main (wait->fixture)
         && g_list_model_get_n_items (shown_rows (wait->fixture)) == wait->n
         && count_schedules (wait->fixture->store, wait->org_name) == wait->n;
}

static gboolean
service_idle (gpointer data)
{
  return !backups_sync_service_get_syncing (data);
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
is_label_saying (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_LABEL (widget) && strstr (gtk_label_get_label (GTK_LABEL (widget)), data) != NULL;
}

static gboolean
is_button_labelled (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_BUTTON (widget)
         && g_strcmp0 (gtk_button_get_label (GTK_BUTTON (widget)), data) == 0;
}

static gboolean
is_spinner (GtkWidget *widget, gconstpointer data)
{
  return GTK_IS_SPINNER (widget);
}

static GtkWidget *
find_label (Fixture *fixture, const char *text)
{
  return find_descendant (GTK_WIDGET (fixture->window), is_label_saying, text);
}

static GtkWidget *
rebuild_button (Fixture *fixture)
{
  GtkWidget *button
    = find_descendant (window_child (fixture, "damaged_page"), is_button_labelled, REBUILD_LABEL);

  g_assert_nonnull (button);
  return button;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* With BACKUPS_SCREENSHOT_DIR set, saves what the window shows as
 * NAME.png there, for people to look at. */
static void
screenshot (GtkWindow *window, const char *name)
{
  const char *dir = g_getenv ("BACKUPS_SCREENSHOT_DIR");
  g_autoptr (GdkPaintable) paintable = NULL;
  g_autoptr (GskRenderNode) node = NULL;
  g_autoptr (GdkTexture) texture = NULL;
  g_autofree char *file = NULL;
  g_autofree char *path = NULL;
  GtkSnapshot     *snapshot;
  int              width, height;

  if (dir == NULL)
    return;

  backups_test_wait_until (never, NULL, 400);
  width = gtk_widget_get_width (GTK_WIDGET (window));
  height = gtk_widget_get_height (GTK_WIDGET (window));
  paintable = gtk_widget_paintable_new (GTK_WIDGET (window));
  snapshot = gtk_snapshot_new ();
  gdk_paintable_snapshot (paintable, snapshot, width, height);
  node = gtk_snapshot_free_to_node (snapshot);
  if (node == NULL)
    return;

  texture = gsk_renderer_render_texture (gtk_native_get_renderer (GTK_NATIVE (window)), node,
                                         &GRAPHENE_RECT_INIT (0, 0, width, height));
  file = g_strconcat (name, ".png", NULL);
  path = g_build_filename (dir, file, NULL);
  gdk_texture_save_to_png (texture, path);
}

static gboolean
model_is_empty (gpointer data)
{
  return g_list_model_get_n_items (data) == 0;
}

/* The damaged page as the user meets it: the title, the file's path, no
 * row, and one named button that Enter presses. */
static void
assert_damaged_page (Fixture *fixture)
{
  GtkWidget *title = find_label (fixture, DAMAGED_TITLE);
  GtkWidget *description = find_label (fixture, fixture->path);
  GtkWidget *button = rebuild_button (fixture);
  char      *mismatch;

  g_assert_cmpstr (content_page (fixture), ==, "damaged");
  g_assert_nonnull (title);
  g_assert_true (gtk_widget_get_mapped (title));
  g_assert_nonnull (description);
  g_assert_true (gtk_widget_get_mapped (description));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (description)), "keyring"));

  /* Nothing of what is left of the file is shown, and the live model lets
   * go of the rows it had read before. */
  g_assert_false (gtk_widget_get_mapped (window_child (fixture, "schedules_page")));
  g_assert_true (backups_test_wait_until (model_is_empty, schedules_model (fixture), WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (shown_rows (fixture)), ==, 0);
  g_assert_false (gtk_widget_get_visible (window_child (fixture, "org_dropdown")));
  g_assert_false (gtk_widget_get_visible (window_child (fixture, "sync_button")));

  g_assert_true (gtk_widget_get_mapped (button));
  g_assert_true (gtk_widget_get_sensitive (button));
  mismatch = gtk_test_accessible_check_property (
    GTK_ACCESSIBLE (button), GTK_ACCESSIBLE_PROPERTY_LABEL, "Rebuild from GridPane");
  if (mismatch != NULL)
    g_error ("The Rebuild button's accessible name: %s", mismatch);
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (fixture->window)) == button);
  g_assert_true (gtk_widget_is_focus (button));
}

static gboolean
rebuilding (gpointer data)
{
  return backups_damaged_page_get_rebuilding (data);
}

/* Presses Rebuild and checks that it waits, insensitive, with a spinner. */
static void
press_rebuild (Fixture *fixture)
{
  BackupsDamagedPage *page = window_child (fixture, "damaged_page");
  GtkWidget          *button = rebuild_button (fixture);
  GtkWidget          *spinner = find_descendant (GTK_WIDGET (page), is_spinner, NULL);

  /* As Enter does: GtkButton clicks a moment after it shows it pressed. */
  g_assert_true (gtk_widget_activate (button));
  g_assert_true (backups_test_wait_until (rebuilding, page, WAIT_MS));
  g_assert_false (gtk_widget_get_sensitive (button));
  g_assert_nonnull (spinner);
  g_assert_true (gtk_widget_get_visible (spinner));
  g_assert_true (gtk_spinner_get_spinning (GTK_SPINNER (spinner)));
}

static guint
count_moved_aside (const char *path)
{
  g_autofree char *dir_path = g_path_get_dirname (path);
  g_autofree char *base = g_path_get_basename (path);
  g_autofree char *prefix = g_strconcat (base, ".damaged-", NULL);
  g_autoptr (GDir) dir = g_dir_open (dir_path, 0, NULL);
  const char *name;
  guint       n = 0;

  g_assert_nonnull (dir);
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *full = g_build_filename (dir_path, name, NULL);

      if (g_str_has_prefix (name, prefix) && g_file_test (full, G_FILE_TEST_IS_REGULAR)
          && !g_str_has_suffix (name, "-wal") && !g_str_has_suffix (name, "-shm"))
        n++;
    }
  return n;
}

/* A synced cache, damaged while the app was away: the window opens on the
 * damaged page, and Rebuild brings every organization's rows back. */
static void
test_damaged_at_start_then_rebuild (Fixture *fixture, gconstpointer data)
{
  RowsWait acme;
  guint    n_acme, n_globex;

  add_account (fixture, "Acme", "Main", "acme", 1);
  add_account (fixture, "Acme", "Client A", "clienta", 2);
  add_account (fixture, "Globex", "Globex", "globex", 3);
  sync_org (fixture, "Acme");
  sync_org (fixture, "Globex");
  n_acme = count_schedules (fixture->store, "Acme");
  n_globex = count_schedules (fixture->store, "Globex");
  g_assert_cmpuint (n_acme, >, 0);
  g_assert_cmpuint (n_globex, >, 0);

  close_store (fixture);
  corrupt_cache (fixture->path, CORRUPT_SEED);
  open_store (fixture);
  check_integrity_expect_damage (fixture);

  open_window (fixture);
  g_assert_true (backups_test_wait_until (content_is_damaged, fixture, WAIT_MS));
  assert_damaged_page (fixture);
  screenshot (GTK_WINDOW (fixture->window), "damaged");
  g_assert_cmpuint (count_moved_aside (fixture->path), ==, 0);

  press_rebuild (fixture);

  /* The file went aside, and the lists come back by themselves. */
  acme = (RowsWait){ fixture, "Acme", n_acme };
  if (!backups_test_wait_until (rows_back, &acme, WAIT_MS))
    g_error ("After the rebuild the window shows “%s” with %u of %u rows", content_page (fixture),
             g_list_model_get_n_items (shown_rows (fixture)), n_acme);
  g_assert_cmpuint (count_moved_aside (fixture->path), ==, 1);
  g_assert_false (backups_store_is_damaged (fixture->store));
  g_assert_true (gtk_widget_get_visible (window_child (fixture, "org_dropdown")));

  /* Every organization syncs, not only the one shown. */
  g_assert_true (backups_test_wait_until (service_idle, fixture->service, WAIT_MS));
  g_assert_cmpuint (count_schedules (fixture->store, "Globex"), ==, n_globex);

  /* Nothing was lost, so nothing is said about it. */
  g_assert_false (gtk_widget_get_visible (window_child (fixture, "banner_dismiss_button")));
  g_assert_false (gtk_revealer_get_reveal_child (window_child (fixture, "banner_revealer")));
}

/* Damage found while the window shows the lists takes them away at once. */
static void
test_damaged_while_open (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  RowsWait acme;

  add_account (fixture, "Acme", "Main", "acme", 4);
  sync_org (fixture, "Acme");
  acme = (RowsWait){ fixture, "Acme", count_schedules (fixture->store, "Acme") };

  open_window (fixture);
  g_assert_true (backups_test_wait_until (rows_back, &acme, WAIT_MS));
  g_assert_false (gtk_widget_get_mapped (window_child (fixture, "damaged_page")));

  corrupt_cache (fixture->path, CORRUPT_SEED + 1);
  g_assert_false (backups_store_check_integrity (fixture->store, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED);

  g_assert_true (backups_test_wait_until (content_is_damaged, fixture, WAIT_MS));
  assert_damaged_page (fixture);

  /* Sync asks nothing of the damaged store. */
  backups_window_sync (fixture->window);
  g_assert_false (backups_sync_service_get_syncing (fixture->service));
}

typedef struct
{
  char  *path;
  GList *dirs;
} Blocker;

/* Directories where the next minute's backups.db.damaged-* would go: the
 * rename fails (EISDIR), whoever runs the test, root included. */
static void
block_moving_aside (Blocker *blocker, const char *path)
{
  g_autoptr (GDateTime) now = g_date_time_new_now_local ();

  for (int s = -1; s < 60; s++)
    {
      g_autoptr (GDateTime) when = g_date_time_add_seconds (now, s);
      g_autofree char *stamp = g_date_time_format (when, "%Y%m%d-%H%M%S");
      char            *dir = g_strdup_printf ("%s.damaged-%s", path, stamp);

      g_assert_cmpint (g_mkdir (dir, 0700), ==, 0);
      blocker->dirs = g_list_prepend (blocker->dirs, dir);
    }
}

static void
unblock_moving_aside (Blocker *blocker)
{
  for (GList *l = blocker->dirs; l != NULL; l = l->next)
    g_assert_cmpint (g_rmdir (l->data), ==, 0);
  g_list_free_full (g_steal_pointer (&blocker->dirs), g_free);
}

static gboolean
not_rebuilding (gpointer data)
{
  return !rebuilding (data);
}

static gboolean
banner_shown (gpointer data)
{
  return gtk_revealer_get_child_revealed (data);
}

static gboolean
banner_gone (gpointer data)
{
  return !gtk_revealer_get_reveal_child (data) && !gtk_revealer_get_child_revealed (data);
}

static gboolean
widget_hidden (gpointer data)
{
  return !gtk_widget_get_visible (data);
}

/* A rebuild that fails says why on the page and may be tried again; one
 * whose keyring cannot be read keeps the accounts the file holds and says
 * what it could not do in the banner, until dismissed. */
static void
test_rebuild_fails_then_notes (Fixture *fixture, gconstpointer data)
{
  BackupsDamagedPage *page;
  GtkLabel           *banner_label;
  GtkWidget          *error_label;
  GtkWidget          *dismiss;
  Blocker             blocker = { 0 };
  RowsWait            acme;

  add_account (fixture, "Acme", "Main", "acme", 5);
  sync_org (fixture, "Acme");
  acme = (RowsWait){ fixture, "Acme", count_schedules (fixture->store, "Acme") };

  corrupt_cache (fixture->path, CORRUPT_SEED + 2);
  check_integrity_expect_damage (fixture);
  open_window (fixture);
  g_assert_true (backups_test_wait_until (content_is_damaged, fixture, WAIT_MS));
  page = window_child (fixture, "damaged_page");
  error_label = child (page, BACKUPS_TYPE_DAMAGED_PAGE, "error_label");
  g_assert_false (gtk_widget_get_visible (error_label));

  /* The file cannot be moved aside: the page says so, the button is back. */
  block_moving_aside (&blocker, fixture->path);
  press_rebuild (fixture);
  g_assert_true (backups_test_wait_until (not_rebuilding, page, WAIT_MS));
  unblock_moving_aside (&blocker);
  g_assert_true (gtk_widget_get_visible (error_label));
  g_assert_nonnull (strstr (gtk_label_get_label (GTK_LABEL (error_label)), fixture->path));
  g_assert_true (gtk_widget_get_sensitive (rebuild_button (fixture)));
  g_assert_true (backups_store_is_damaged (fixture->store));
  g_assert_cmpstr (content_page (fixture), ==, "damaged");
  g_assert_cmpuint (count_moved_aside (fixture->path), ==, 0);

  /* Again, now that it can: the account the file held is kept, and the
   * keyring's failure is told. */
  press_rebuild (fixture);
  g_assert_false (gtk_widget_get_visible (error_label));
  g_assert_true (backups_test_wait_until (rows_back, &acme, WAIT_MS));
  banner_label = window_child (fixture, "banner_label");
  dismiss = window_child (fixture, "banner_dismiss_button");
  g_assert_true (gtk_revealer_get_reveal_child (window_child (fixture, "banner_revealer")));
  g_assert_nonnull (strstr (gtk_label_get_label (banner_label), KEYRING_BROKEN));
  g_assert_true (gtk_widget_get_visible (dismiss));
  g_assert_null (gtk_test_accessible_check_property (GTK_ACCESSIBLE (dismiss),
                                                     GTK_ACCESSIBLE_PROPERTY_LABEL, "Dismiss"));

  g_assert_true (
    backups_test_wait_until (banner_shown, window_child (fixture, "banner_revealer"), WAIT_MS));

  g_assert_true (gtk_widget_activate (dismiss));
  g_assert_true (backups_test_wait_until (widget_hidden, dismiss, WAIT_MS));
  g_assert_true (
    backups_test_wait_until (banner_gone, window_child (fixture, "banner_revealer"), WAIT_MS));
}

static gpointer
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

static BackupsApplication *
start_application (void)
{
  static guint        n_started;
  BackupsApplication *app = backups_application_new ();
  g_autofree char    *app_id = g_strdup_printf ("%s.Test%u", APP_ID, ++n_started);
  g_autoptr (GError) error = NULL;

  /* GTK keeps a reference to a registered application, and with it its
   * object on the bus: each one here gets a path of its own. */
  g_application_set_application_id (G_APPLICATION (app), app_id);
  g_application_set_flags (G_APPLICATION (app), G_APPLICATION_NON_UNIQUE);
  g_assert_true (g_application_register (G_APPLICATION (app), NULL, &error));
  g_assert_no_error (error);
  g_application_activate (G_APPLICATION (app));
  return app;
}

static gboolean
app_window_is_damaged (gpointer data)
{
  GtkWindow *window = gtk_application_get_active_window (data);
  GtkStack  *stack;

  if (!BACKUPS_IS_WINDOW (window))
    return FALSE;
  stack = GTK_STACK (
    gtk_widget_get_template_child (GTK_WIDGET (window), BACKUPS_TYPE_WINDOW, "content_stack"));
  return g_strcmp0 (gtk_stack_get_visible_child_name (stack), "damaged") == 0;
}

/* The app checks the cache it opened, in a worker, and its window follows. */
static void
test_app_checks_at_start (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsApplication) app = NULL;

  /* Synced rows, without a sync: the app finds the cache fresh and does
   * not sync it. */
  add_account (fixture, "Acme", "Main", "acme", 6);
  sync_org (fixture, "Acme");
  close_store (fixture);
  corrupt_cache (fixture->path, CORRUPT_SEED + 3);

  /* Opening alone does not read those pages: the check is what finds them. */
  open_store (fixture);
  g_assert_false (backups_store_is_damaged (fixture->store));
  close_store (fixture);

  app = start_application ();
  g_assert_true (BACKUPS_IS_WINDOW (gtk_application_get_active_window (GTK_APPLICATION (app))));
  g_assert_true (backups_test_wait_until (app_window_is_damaged, app, WAIT_MS));

  gtk_window_destroy (gtk_application_get_active_window (GTK_APPLICATION (app)));
  backups_test_wait_until (never, NULL, 100);
}

static gboolean
app_has_no_windows (gpointer data)
{
  return gtk_application_get_windows (data) == NULL;
}

/* A cache the app cannot open: its own sentence, in a window. */
static void
test_app_cannot_open (Fixture *fixture, gconstpointer data)
{
  static const guint8 too_new[4] = { 0, 0, 0, 99 }; /* user_version, big-endian */
  g_autoptr (BackupsApplication) app = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  BackupsErrorWindow *window;
  GtkWidget          *message, *close_button;
  int                 fd;

  close_store (fixture);
  checkpoint (fixture->path);
  fd = g_open (fixture->path, O_RDWR, 0);
  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pwrite (fd, too_new, sizeof too_new, 60), ==, sizeof too_new);
  g_assert_cmpint (close (fd), ==, 0);

  store = backups_store_open (fixture->path, &error);
  g_assert_null (store);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_TOO_NEW);

  app = start_application ();
  window = find_toplevel (BACKUPS_TYPE_ERROR_WINDOW);
  g_assert_nonnull (window);
  g_assert_true (gtk_application_get_active_window (GTK_APPLICATION (app)) == GTK_WINDOW (window));
  g_assert_null (find_toplevel (BACKUPS_TYPE_WINDOW));

  message = find_descendant (GTK_WIDGET (window), is_label_saying, error->message);
  g_assert_nonnull (message);
  g_assert_true (gtk_widget_get_mapped (message));
  g_assert_nonnull (strstr (error->message, fixture->path));
  close_button = child (window, BACKUPS_TYPE_ERROR_WINDOW, "close_button");
  g_assert_true (gtk_window_get_default_widget (GTK_WINDOW (window)) == close_button);
  g_assert_true (gtk_widget_is_focus (close_button));
  screenshot (GTK_WINDOW (window), "cannot-open");

  /* Close closes it. */
  g_assert_true (gtk_widget_activate (close_button));
  g_assert_true (backups_test_wait_until (app_has_no_windows, app, WAIT_MS));
}

/* Corruption trials through the window ------------------------------------ */

#define TRIALS_NORMAL 10
#define TRIALS_LONG 100

/* What the window must show of the original cache: the shown
 * organization's schedules and integrations, by key. */
typedef struct
{
  gint64      org_id;
  GHashTable *schedules;    /* "account/schedule/site URL" → BackupsSchedule */
  GHashTable *integrations; /* "account/integration" → BackupsIntegration */
} Original;

static char *
schedule_key (BackupsSchedule *schedule)
{
  return g_strdup_printf (
    "%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT "/%s", backups_schedule_get_account_id (schedule),
    backups_schedule_get_schedule_id (schedule), backups_schedule_get_site_url (schedule));
}

static char *
integration_key (BackupsIntegration *integration)
{
  return g_strdup_printf ("%" G_GINT64_FORMAT "/%" G_GINT64_FORMAT,
                          backups_integration_get_account_id (integration),
                          backups_integration_get_integration_id (integration));
}

static void
original_read (Original *original, BackupsStore *store, const char *org_name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_find_org (store, org_name, &error);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;

  g_assert_no_error (error);
  g_assert_nonnull (org);
  original->org_id = backups_org_get_id (org);
  schedules = backups_store_query_schedules (store, original->org_id, &error);
  g_assert_no_error (error);
  integrations = backups_store_query_integrations (store, original->org_id, &error);
  g_assert_no_error (error);

  original->schedules = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < schedules->len; i++)
    g_assert_true (g_hash_table_insert (original->schedules, schedule_key (schedules->pdata[i]),
                                        g_object_ref (schedules->pdata[i])));
  original->integrations = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_object_unref);
  for (guint i = 0; i < integrations->len; i++)
    g_assert_true (g_hash_table_insert (original->integrations,
                                        integration_key (integrations->pdata[i]),
                                        g_object_ref (integrations->pdata[i])));
  g_assert_cmpuint (g_hash_table_size (original->schedules), >, 0);
  g_assert_cmpuint (g_hash_table_size (original->integrations), >, 0);
}

static void
original_clear (Original *original)
{
  g_clear_pointer (&original->schedules, g_hash_table_unref);
  g_clear_pointer (&original->integrations, g_hash_table_unref);
}

/* Where `model` differs from `expected` (items keyed by `key`, compared
 * with `equal`), or NULL when it holds exactly those items. */
static char *
model_difference (GListModel *model,
                  GHashTable *expected,
                  char *(*key) (gpointer item),
                  gboolean (*equal) (gpointer a, gpointer b))
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  guint n = g_list_model_get_n_items (model);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (model, i);
      g_autofree char *k = key (item);
      gpointer         want = g_hash_table_lookup (expected, k);

      if (want == NULL)
        return g_strdup_printf ("row %u (%s) is not in the original", i, k);
      if (!equal (item, want))
        return g_strdup_printf ("row %u (%s) has other values than the original", i, k);
      if (!g_hash_table_add (seen, g_steal_pointer (&k)))
        return g_strdup_printf ("row %u is shown twice", i);
    }
  if (n != g_hash_table_size (expected))
    return g_strdup_printf ("%u rows instead of %u", n, g_hash_table_size (expected));
  return NULL;
}

static char *
schedule_key_cb (gpointer item)
{
  return schedule_key (item);
}

static gboolean
schedule_equal_cb (gpointer a, gpointer b)
{
  return backups_schedule_equal (a, b);
}

static char *
integration_key_cb (gpointer item)
{
  return integration_key (item);
}

static gboolean
integration_equal_cb (gpointer a, gpointer b)
{
  return backups_integration_equal (a, b);
}

static BackupsQueryModel *
integrations_model (Fixture *fixture)
{
  return BACKUPS_QUERY_MODEL (
    backups_list_page_get_model (window_child (fixture, "integrations_page")));
}

typedef struct
{
  Fixture        *fixture;
  const Original *original;
  gboolean        check_done;
  gboolean        check_passed;
} Trial;

static void
trial_check_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  Trial *trial = user_data;

  trial->check_passed
    = backups_store_check_integrity_finish (BACKUPS_STORE (object), result, &error);
  if (!trial->check_passed)
    g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED);
  trial->check_done = TRUE;
}

/* The window has settled: the check is over, and the window shows either
 * the damaged page with empty lists, or lists as long as the original's,
 * loaded. (Lists of another length never settle: the wait says so.) */
static gboolean
trial_settled (gpointer data)
{
  Trial             *trial = data;
  Fixture           *fixture = trial->fixture;
  BackupsQueryModel *schedules = BACKUPS_QUERY_MODEL (schedules_model (fixture));
  BackupsQueryModel *integrations = integrations_model (fixture);

  if (!trial->check_done)
    return FALSE;
  if (backups_store_is_damaged (fixture->store))
    return content_is_damaged (fixture) && model_is_empty (schedules)
           && model_is_empty (integrations);
  return content_is_main (fixture) && !backups_query_model_get_loading (schedules)
         && !backups_query_model_get_loading (integrations)
         && g_list_model_get_n_items (G_LIST_MODEL (schedules))
              == g_hash_table_size (trial->original->schedules)
         && g_list_model_get_n_items (shown_rows (fixture))
              == g_hash_table_size (trial->original->schedules)
         && g_list_model_get_n_items (G_LIST_MODEL (integrations))
              == g_hash_table_size (trial->original->integrations);
}

static void
remove_cache_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      if (g_remove (file) != 0)
        g_assert_cmpint (errno, ==, ENOENT);
    }
}

/* One trial: the original, damaged by `seed`, opened as the app opens it
 * (the store, its integrity check in a worker, the window at once). TRUE
 * when it ended damaged, FALSE when it showed the original. */
static gboolean
run_window_trial (Fixture *fixture, const Original *original, GBytes *bytes, guint32 seed, guint n)
{
  g_autoptr (GString) log = g_string_new (NULL);
  Trial    trial = { fixture, original, FALSE, FALSE };
  gboolean damaged;

  remove_cache_files (fixture->path);
  g_assert_true (g_file_set_contents (fixture->path, g_bytes_get_data (bytes, NULL),
                                      (gssize)g_bytes_get_size (bytes), NULL));
  corrupt_random_pages (fixture->path, seed, log);
  g_test_message ("Window trial %u: seed %" G_GUINT32_FORMAT ": %s", n, seed, log->str);

  open_store (fixture);
  backups_store_check_integrity_async (fixture->store, NULL, trial_check_done_cb, &trial);
  open_window (fixture);

  if (!backups_test_wait_until (trial_settled, &trial, WAIT_MS))
    g_error ("Window trial %u (seed %" G_GUINT32_FORMAT "): neither damaged nor the original: "
             "check %s, store %s, page “%s”, %u schedules (%u shown, %s), %u integrations (%s); "
             "the original has %u and %u",
             n, seed,
             !trial.check_done    ? "running"
             : trial.check_passed ? "passed"
                                  : "failed",
             backups_store_is_damaged (fixture->store) ? "damaged" : "not damaged",
             content_page (fixture), g_list_model_get_n_items (schedules_model (fixture)),
             g_list_model_get_n_items (shown_rows (fixture)),
             backups_query_model_get_loading (BACKUPS_QUERY_MODEL (schedules_model (fixture)))
               ? "loading"
               : "loaded",
             g_list_model_get_n_items (G_LIST_MODEL (integrations_model (fixture))),
             backups_query_model_get_loading (integrations_model (fixture)) ? "loading" : "loaded",
             g_hash_table_size (original->schedules), g_hash_table_size (original->integrations));

  /* A moment more, for a read that finds damage late. */
  backups_test_wait_until (never, NULL, 50);
  damaged = backups_store_is_damaged (fixture->store);
  if (damaged)
    {
      /* (a) The damaged page, and nothing of the file. */
      g_assert_true (backups_test_wait_until (content_is_damaged, fixture, WAIT_MS));
      assert_damaged_page (fixture);
      g_assert_true (
        backups_test_wait_until (model_is_empty, integrations_model (fixture), WAIT_MS));
      if (trial.check_passed)
        g_test_message ("Window trial %u: the check passed, a read found the damage", n);
    }
  else
    {
      g_autofree char *schedules_wrong = NULL;
      g_autofree char *integrations_wrong = NULL;

      /* (b) Exactly the original, and only it. */
      g_assert_true (trial.check_passed);
      g_assert_cmpstr (content_page (fixture), ==, "main");
      g_assert_false (gtk_widget_get_mapped (window_child (fixture, "damaged_page")));
      g_assert_cmpint (
        backups_query_model_get_org_id (BACKUPS_QUERY_MODEL (schedules_model (fixture))), ==,
        original->org_id);
      schedules_wrong = model_difference (schedules_model (fixture), original->schedules,
                                          schedule_key_cb, schedule_equal_cb);
      if (schedules_wrong == NULL)
        schedules_wrong = model_difference (shown_rows (fixture), original->schedules,
                                            schedule_key_cb, schedule_equal_cb);
      integrations_wrong
        = model_difference (G_LIST_MODEL (integrations_model (fixture)), original->integrations,
                            integration_key_cb, integration_equal_cb);
      if (schedules_wrong != NULL || integrations_wrong != NULL)
        g_error ("Window trial %u (seed %" G_GUINT32_FORMAT "): the cache passed as whole, but "
                 "the window shows other data: schedules: %s; integrations: %s",
                 n, seed, schedules_wrong ? schedules_wrong : "the original",
                 integrations_wrong ? integrations_wrong : "the original");
    }

  /* Gone, both, before the next copy takes the file's place. */
  gtk_window_destroy (GTK_WINDOW (fixture->window));
  fixture->window = NULL;
  close_store (fixture);
  return damaged;
}

/* Corruption trials through the window (issue 13): a synced cache, copied
 * and damaged in 1 to 4 whole pages (random bytes or zeroes, a seed per
 * trial, printed), opened as the app opens it. Each trial ends with the
 * damaged page and no row, or with lists that hold exactly the original's
 * rows; never other rows, never a warning. BACKUPS_WINDOW_TRIAL=SEED
 * replays one trial; BACKUPS_TEST_LONG=1 runs 100 instead of 10. */
static void
test_trials (Fixture *fixture, gconstpointer data)
{
  gboolean    long_run = g_strcmp0 (g_getenv ("BACKUPS_TEST_LONG"), "1") == 0;
  const char *replay = g_getenv ("BACKUPS_WINDOW_TRIAL");
  guint       n_trials = replay != NULL ? 1 : long_run ? TRIALS_LONG : TRIALS_NORMAL;
  guint       n_damaged = 0;
  gint64      started;
  g_autoptr (GBytes) bytes = NULL;
  const guint8 *header;
  Original      original = { 0 };

  add_account (fixture, "Acme", "Main", "acme", 7);
  add_account (fixture, "Acme", "Client A", "clienta", 8);
  add_account (fixture, "Globex", "Globex", "globex", 9);
  add_account_sized (fixture, "Gone", "Gone", "gone", 10, 500);
  sync_org (fixture, "Acme");
  sync_org (fixture, "Globex");
  sync_org (fixture, "Gone");
  /* Removed: its pages are free, and damage there harms no row. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (BackupsOrg) gone = backups_store_find_org (fixture->store, "Gone", &error);

    g_assert_no_error (error);
    g_assert_true (backups_store_remove_org (fixture->store, backups_org_get_id (gone), &error));
    g_assert_no_error (error);
  }
  original_read (&original, fixture->store, "Acme");
  close_store (fixture);

  /* The original, whole and checkpointed; each trial damages a copy. */
  checkpoint (fixture->path);
  bytes = backups_test_read_file (fixture->path);
  g_assert_nonnull (bytes);
  header = g_bytes_get_data (bytes, NULL);
  g_test_message (
    "The original: %" G_GSIZE_FORMAT " bytes, %u of its pages free; %u schedules "
    "and %u integrations in the organization shown",
    g_bytes_get_size (bytes),
    (guint)header[36] << 24 | (guint)header[37] << 16 | (guint)header[38] << 8 | header[39],
    g_hash_table_size (original.schedules), g_hash_table_size (original.integrations));

  started = g_get_monotonic_time ();
  for (guint i = 0; i < n_trials; i++)
    {
      guint32 seed = replay != NULL ? (guint32)g_ascii_strtoull (replay, NULL, 10)
                                    : (guint32)g_test_rand_int ();

      if (run_window_trial (fixture, &original, bytes, seed, i + 1))
        n_damaged++;
    }

  g_test_message ("Window trials: %u, %u damaged, %u identical, in %.1f s", n_trials, n_damaged,
                  n_trials - n_damaged, (g_get_monotonic_time () - started) / 1e6);
  original_clear (&original);
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
  /* GTK's test accessibility backend, with no bus, so that the test reads
   * back the accessible names (GTK_A11Y=none has no context to read). */
  g_setenv ("GTK_A11Y", "test", TRUE);

  /* Read the MIME database while the system data dirs are still the real
   * ones: GTK needs it to recognize its SVG icons. */
  g_free (g_content_type_guess ("icon.svg", NULL, 0, NULL));

  /* gtk_test_init() would drop G_TEST_OPTION_ISOLATE_DIRS. */
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  adw_init ();
  backups_test_display_init ();

#define ADD(path, data, func)                                                                      \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/window-damaged/at-start-then-rebuild", NULL, test_damaged_at_start_then_rebuild);
  ADD ("/window-damaged/while-open", NULL, test_damaged_while_open);
  ADD ("/window-damaged/rebuild-fails-then-notes", "broken-keyring", test_rebuild_fails_then_notes);
  ADD ("/window-damaged/app-checks-at-start", NULL, test_app_checks_at_start);
  ADD ("/window-damaged/app-cannot-open", NULL, test_app_cannot_open);
  ADD ("/window-damaged/trials", NULL, test_trials);

#undef ADD

  return g_test_run ();
}
