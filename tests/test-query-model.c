/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-query-model.c: the live model emits exactly the rows that changed. */
#include <glib/gstdio.h>

#include "backups-query-model.h"
#include "backups-store-private.h"
#include "backups-store.h"
#include "backups-test-util.h"

#define WAIT_MS 10000

typedef struct
{
  guint position;
  guint removed;
  guint added;
} Change;

typedef struct
{
  BackupsStore      *store;
  BackupsOrg        *org;
  BackupsAccount    *account;
  BackupsQueryModel *model;
  GArray            *changes;
  guint              n_items_notifies;
  GArray            *loading_values;
  char              *dir;
} Fixture;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Fixture *fixture)
{
  Change change = { position, removed, added };

  g_array_append_val (fixture->changes, change);
}

static void
n_items_cb (Fixture *fixture)
{
  fixture->n_items_notifies++;
}

static void
loading_cb (Fixture *fixture)
{
  gboolean loading = backups_query_model_get_loading (fixture->model);

  g_array_append_val (fixture->loading_values, loading);
}

/* A snapshot with `n_sites` sites on two servers, each site with a local
 * and a remote schedule (ids 2*site and 2*site+1), and two integrations. */
static BackupsSnapshot *
make_snapshot (const char *prefix, guint n_sites)
{
  BackupsSnapshot *snapshot = backups_snapshot_new ();

  snapshot->servers = backups_server_record_array_new ();
  snapshot->sites = backups_site_record_array_new ();
  snapshot->schedules = backups_schedule_record_array_new ();
  snapshot->integrations = backups_integration_record_array_new ();

  for (guint s = 1; s <= 2; s++)
    {
      BackupsServerRecord *server = backups_server_record_new ();

      server->remote_id = s;
      server->label = g_strdup_printf ("%s-server-%u", prefix, s);
      server->timezone = g_strdup ("Europe/Berlin");
      g_ptr_array_add (snapshot->servers, server);
    }

  for (guint i = 1; i <= 2; i++)
    {
      BackupsIntegrationRecord *integration = backups_integration_record_new ();

      integration->remote_id = i;
      integration->service = g_strdup (i == 1 ? "aws-s3" : "wasabi");
      integration->name = g_strdup_printf ("%s-bucket-%u", prefix, i);
      integration->region = g_strdup ("eu-central-1");
      g_ptr_array_add (snapshot->integrations, integration);
    }

  for (guint n = 1; n <= n_sites; n++)
    {
      BackupsSiteRecord *site = backups_site_record_new ();

      site->remote_id = n;
      /* Zero-padded: site order is id order. */
      site->url = g_strdup_printf ("%s-site-%05u.example.com", prefix, n);
      site->server_remote_id = 1 + n % 2;
      site->local_bup = BACKUPS_FLAG_YES;
      site->remote_bup = n % 3 != 0 ? BACKUPS_FLAG_YES : BACKUPS_FLAG_NO;
      site->local_retain_days = 7;
      site->local_prune_schedule = BACKUPS_NO_VALUE;
      site->remote_retain_days = 30;
      site->remote_prune_schedule = BACKUPS_NO_VALUE;
      g_ptr_array_add (snapshot->sites, site);

      for (guint t = 0; t < 2; t++)
        {
          BackupsScheduleRecord *schedule = backups_schedule_record_new ();

          schedule->remote_id = 2 * n + t;
          schedule->site_remote_id = n;
          schedule->server_remote_id = site->server_remote_id;
          schedule->site_url = g_strdup (site->url);
          schedule->type = t == 0 ? BACKUPS_SCHEDULE_TYPE_LOCAL : BACKUPS_SCHEDULE_TYPE_REMOTE;
          schedule->frequency = BACKUPS_FREQUENCY_DAILY;
          schedule->hour = n % 24;
          schedule->minute = 30;
          schedule->day = BACKUPS_NO_VALUE;
          schedule->service_id = t == 0 ? BACKUPS_NO_VALUE : 5;
          schedule->service_name = t == 0 ? NULL : g_strdup ("aws-s3");
          schedule->integration_id = t == 0 ? BACKUPS_NO_VALUE : 1;
          g_ptr_array_add (snapshot->schedules, schedule);
        }
    }

  return snapshot;
}

static void
apply (BackupsStore *store, BackupsAccount *account, BackupsSnapshot *snapshot)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = backups_store_apply_snapshot (store, backups_account_get_id (account), snapshot, NULL,
                                     &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static BackupsAccount *
add_account (BackupsStore *store, BackupsOrg *org, const char *name)
{
  g_autoptr (GError) error = NULL;
  BackupsAccount *account;

  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", name,
                                       "http://127.0.0.1:1", name, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  return account;
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;

  fixture->dir = g_dir_make_tmp ("test-query-model-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "backups.db", NULL);

  fixture->store = backups_store_open (path, &error);
  g_assert_no_error (error);
  fixture->org = backups_store_add_org (fixture->store, "Acme", &error);
  g_assert_no_error (error);
  fixture->account = add_account (fixture->store, fixture->org, "Main");

  fixture->changes = g_array_new (FALSE, FALSE, sizeof (Change));
  fixture->loading_values = g_array_new (FALSE, FALSE, sizeof (gboolean));
  fixture->model = backups_query_model_new (fixture->store, BACKUPS_QUERY_SCHEDULES);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  g_signal_connect_swapped (fixture->model, "notify::n-items", G_CALLBACK (n_items_cb), fixture);
  g_signal_connect_swapped (fixture->model, "notify::loading", G_CALLBACK (loading_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "backups.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_signal_handlers_disconnect_by_data (fixture->model, fixture);
  g_assert_finalize_object (g_steal_pointer (&fixture->model));
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->org);
  g_assert_finalize_object (g_steal_pointer (&fixture->store));

  g_array_unref (fixture->changes);
  g_array_unref (fixture->loading_values);
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
model_loaded (gpointer data)
{
  Fixture *fixture = data;

  return !backups_query_model_get_loading (fixture->model);
}

static gboolean
model_changed (gpointer data)
{
  Fixture *fixture = data;

  return fixture->changes->len > 0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

/* Runs the main context for a while, so that any further (wrong) emission
 * would have been seen. */
static void
settle (void)
{
  backups_test_wait_until (never, NULL, 300);
}

static void
wait_for_change (Fixture *fixture)
{
  g_assert_true (backups_test_wait_until (model_changed, fixture, WAIT_MS));
  settle ();
}

static void
reset (Fixture *fixture)
{
  g_array_set_size (fixture->changes, 0);
  g_array_set_size (fixture->loading_values, 0);
  fixture->n_items_notifies = 0;
}

static void
assert_change (Fixture *fixture, guint index, guint position, guint removed, guint added)
{
  const Change *change;

  g_assert_cmpuint (index, <, fixture->changes->len);
  change = &g_array_index (fixture->changes, Change, index);
  g_assert_cmpuint (change->position, ==, position);
  g_assert_cmpuint (change->removed, ==, removed);
  g_assert_cmpuint (change->added, ==, added);
}

typedef struct
{
  GListModel *model;
  guint       n;
} CountWait;

static gboolean
has_n_rows (gpointer data)
{
  CountWait *wait = data;

  return g_list_model_get_n_items (wait->model) == wait->n;
}

/* Until the model shows `n` rows: a large list is revealed in steps. */
static void
wait_for_n_rows (Fixture *fixture, guint n)
{
  CountWait wait = { G_LIST_MODEL (fixture->model), n };

  g_assert_true (backups_test_wait_until (has_n_rows, &wait, WAIT_MS));
  settle ();
}

static void
load (Fixture *fixture)
{
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();
}

static void
test_initial_load (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 50);
  g_autoptr (BackupsSchedule) first = NULL;

  apply (fixture->store, fixture->account, snapshot);
  settle ();

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 0);
  g_assert_false (backups_query_model_get_loading (fixture->model));
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (fixture->model))
                 == BACKUPS_TYPE_SCHEDULE);

  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  /* No result yet: loading, and nothing to show. */
  g_assert_true (backups_query_model_get_loading (fixture->model));
  g_assert_cmpuint (fixture->changes->len, ==, 0);

  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();

  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 0, 100);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 100);

  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), 0);
  g_assert_cmpint (backups_schedule_get_schedule_id (first), ==, 2);
  g_assert_cmpstr (backups_schedule_get_site_url (first), ==, "acme-site-00001.example.com");
  g_assert_null (g_list_model_get_item (G_LIST_MODEL (fixture->model), 100));
}

static void
test_modified_row (Fixture *fixture, gconstpointer data)
{
  guint n_sites = GPOINTER_TO_UINT (data);
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", n_sites);
  g_autoptr (BackupsSchedule) before = NULL;
  g_autoptr (BackupsSchedule) after = NULL;
  g_autoptr (BackupsSchedule) neighbour_before = NULL;
  g_autoptr (BackupsSchedule) neighbour_after = NULL;
  BackupsScheduleRecord *record;
  guint                  position = n_sites; /* schedule id 2 * (n_sites / 2 + 1) + 1 */

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);
  wait_for_n_rows (fixture, 2 * n_sites);
  before = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
  neighbour_before = g_list_model_get_item (G_LIST_MODEL (fixture->model), position + 1);
  reset (fixture);

  record = g_ptr_array_index (snapshot->schedules, position);
  g_assert_cmpint (record->remote_id, ==, backups_schedule_get_schedule_id (before));
  record->hour = (record->hour + 5) % 24;
  apply (fixture->store, fixture->account, snapshot);
  wait_for_change (fixture);

  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, position, 1, 1);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 0);
  g_assert_cmpuint (fixture->loading_values->len, ==, 0);

  after = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);
  g_assert_true (after != before);
  g_assert_cmpint (backups_schedule_get_hour (after), ==, record->hour);

  /* Unchanged rows keep their objects. */
  neighbour_after = g_list_model_get_item (G_LIST_MODEL (fixture->model), position + 1);
  g_assert_true (neighbour_after == neighbour_before);
}

static void
test_removed_rows (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 50);

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);
  reset (fixture);

  /* Site 10's two schedules (positions 18 and 19), and site 40's. */
  g_ptr_array_remove_range (snapshot->schedules, 78, 2);
  g_ptr_array_remove_range (snapshot->schedules, 18, 2);
  apply (fixture->store, fixture->account, snapshot);
  wait_for_change (fixture);

  g_assert_cmpuint (fixture->changes->len, ==, 2);
  assert_change (fixture, 0, 18, 2, 0);
  assert_change (fixture, 1, 76, 2, 0);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 1);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 96);

  /* An empty list deletes everything: one emission. */
  reset (fixture);
  g_ptr_array_set_size (snapshot->schedules, 0);
  apply (fixture->store, fixture->account, snapshot);
  wait_for_change (fixture);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 96, 0);
  g_assert_false (backups_query_model_get_loading (fixture->model));
}

static void
test_inserted_rows (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) small = make_snapshot ("acme", 40);
  g_autoptr (BackupsSnapshot) large = make_snapshot ("acme", 50);
  g_autoptr (BackupsAccount) second = add_account (fixture->store, fixture->org, "Second");
  g_autoptr (BackupsSnapshot) other = make_snapshot ("second", 5);
  g_autoptr (BackupsSchedule) item = NULL;

  apply (fixture->store, fixture->account, small);
  apply (fixture->store, second, other);
  load (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 90);
  reset (fixture);

  /* Ten new sites at the end of the first account: before the second
   * account's rows. */
  apply (fixture->store, fixture->account, large);
  wait_for_change (fixture);

  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 80, 0, 20);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 1);
  item = g_list_model_get_item (G_LIST_MODEL (fixture->model), 100);
  g_assert_cmpstr (backups_schedule_get_account_name (item), ==, "Second");
}

static void
test_scattered_changes (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 50);
  g_autoptr (BackupsSchedule) unchanged_before = NULL;
  g_autoptr (BackupsSchedule) unchanged_after = NULL;
  g_autoptr (BackupsSchedule) changed_after = NULL;

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);
  unchanged_before = g_list_model_get_item (G_LIST_MODEL (fixture->model), 51);
  reset (fixture);

  /* Every fifth row from 10 to 95 changes: 18 runs, more than are worth
   * announcing one by one. */
  for (guint i = 10; i < 100; i += 5)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (snapshot->schedules, i);

      record->minute = (record->minute + 1) % 60;
    }
  apply (fixture->store, fixture->account, snapshot);
  wait_for_change (fixture);

  /* One change from the first to the last changed row... */
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 10, 86, 86);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 0);

  /* ...that keeps the objects of the unchanged rows inside it, so views
   * and selections recognize them. */
  unchanged_after = g_list_model_get_item (G_LIST_MODEL (fixture->model), 51);
  g_assert_true (unchanged_after == unchanged_before);
  changed_after = g_list_model_get_item (G_LIST_MODEL (fixture->model), 50);
  g_assert_cmpint (backups_schedule_get_minute (changed_after), ==, 31);
}

static void
test_org_switch (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) globex = backups_store_add_org (fixture->store, "Globex", &error);
  g_autoptr (BackupsAccount) globex_account = add_account (fixture->store, globex, "Globex");
  g_autoptr (BackupsSnapshot) acme = make_snapshot ("acme", 50);
  g_autoptr (BackupsSnapshot) globex_data = make_snapshot ("globex", 3);

  g_assert_no_error (error);
  apply (fixture->store, fixture->account, acme);
  apply (fixture->store, globex_account, globex_data);
  load (fixture);
  reset (fixture);

  backups_query_model_set_org_id (fixture->model, backups_org_get_id (globex));
  g_assert_true (backups_query_model_get_loading (fixture->model));
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();

  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 100, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (BackupsSchedule) schedule
        = g_list_model_get_item (G_LIST_MODEL (fixture->model), i);

      g_assert_true (g_str_has_prefix (backups_schedule_get_site_url (schedule), "globex-"));
    }

  /* Switching twice quickly: the first request's result never lands. */
  reset (fixture);
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (globex));
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 6, 100);

  /* No organization: empty at once, not loading. */
  reset (fixture);
  backups_query_model_set_org_id (fixture->model, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 100, 0);
  g_assert_false (backups_query_model_get_loading (fixture->model));
  settle ();
  g_assert_cmpuint (fixture->changes->len, ==, 1);
}

static void
test_loading (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 5);
  gboolean ok;

  /* Never synced, not syncing: the result is "empty", not "loading". */
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_query_model_get_loading (fixture->model));
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 0);

  /* Its first sync starts: loading again until data arrives. */
  reset (fixture);
  ok = backups_store_begin_sync (fixture->store, backups_account_get_id (fixture->account), &error);
  g_assert_no_error (error);
  g_assert_true (ok);
  g_assert_true (backups_test_wait_until ((gboolean (*) (gpointer))backups_query_model_get_loading,
                                          fixture->model, WAIT_MS));

  apply (fixture->store, fixture->account, snapshot);
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 10);
  g_assert_cmpuint (fixture->loading_values->len, ==, 2);
  g_assert_true (g_array_index (fixture->loading_values, gboolean, 0));
  g_assert_false (g_array_index (fixture->loading_values, gboolean, 1));

  /* Once the org has data, a running sync never blanks the list. */
  reset (fixture);
  ok = backups_store_begin_sync (fixture->store, backups_account_get_id (fixture->account), &error);
  g_assert_no_error (error);
  settle ();
  g_assert_false (backups_query_model_get_loading (fixture->model));
  g_assert_cmpuint (fixture->loading_values->len, ==, 0);
  g_assert_cmpuint (fixture->changes->len, ==, 0);
  backups_store_abandon_sync (fixture->store, backups_account_get_id (fixture->account), NULL);
  settle ();
}

/* A first sync that started long ago (more than twice the sync service's
 * timeout, which the model is given) died with its process: the list says
 * "empty", not "loading". */
static void
test_loading_timeout (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  sqlite3 *db;

  g_assert_true (
    backups_store_begin_sync (fixture->store, backups_account_get_id (fixture->account), &error));
  g_assert_no_error (error);
  db = backups_store_acquire_connection (fixture->store, NULL);
  g_assert_cmpint (sqlite3_exec (db,
                                 "UPDATE accounts SET last_sync_started_at = "
                                 "last_sync_started_at - 100",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  backups_store_release_connection (fixture->store, db);

  g_object_set (fixture->model, "sync-timeout", 10, NULL);
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (model_loaded, fixture, WAIT_MS));
  settle ();
  g_assert_false (backups_query_model_get_loading (fixture->model));

  /* With the default timeout, the same sync is still running. */
  g_object_set (fixture->model, "sync-timeout", BACKUPS_STORE_DEFAULT_SYNC_TIMEOUT_SECONDS, NULL);
  backups_query_model_set_org_id (fixture->model, 0);
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  settle ();
  g_assert_true (backups_query_model_get_loading (fixture->model));
  backups_store_abandon_sync (fixture->store, backups_account_get_id (fixture->account), NULL);
  settle ();
}

static gboolean
has_n_items (gpointer data)
{
  Fixture *fixture = data;

  backups_store_check_external_changes (fixture->store);
  return g_list_model_get_n_items (G_LIST_MODEL (fixture->model)) == 10;
}

/* Another connection on the same file, as `backupsctl sync` would be,
 * and the fixture's account as it sees it. */
static BackupsStore *
open_other_store (Fixture *fixture, BackupsAccount **account)
{
  g_autoptr (GError) error = NULL;
  BackupsStore *other = backups_store_open (backups_store_get_path (fixture->store), &error);

  g_assert_no_error (error);
  *account = backups_store_get_account (other, backups_account_get_id (fixture->account), &error);
  g_assert_no_error (error);
  return other;
}

static void
test_external_commit (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsStore) other = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("cli", 5);

  load (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 0);
  reset (fixture);

  other = open_other_store (fixture, &account);
  apply (other, account, snapshot);

  g_assert_true (backups_test_wait_until (has_n_items, fixture, WAIT_MS));
  settle ();
  g_assert_cmpuint (fixture->changes->len, ==, 1);
  assert_change (fixture, 0, 0, 0, 10);

  g_assert_finalize_object (g_steal_pointer (&other));
}

typedef struct
{
  Fixture *fixture;
  guint    position;
  int      hour;
} HourWait;

static gboolean
row_has_hour (gpointer data)
{
  HourWait *wait = data;
  g_autoptr (BackupsSchedule) schedule
    = g_list_model_get_item (G_LIST_MODEL (wait->fixture->model), wait->position);

  return backups_schedule_get_hour (schedule) == wait->hour;
}

static void
test_external_then_own_commit (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsStore) other = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 20);
  BackupsScheduleRecord *theirs = g_ptr_array_index (snapshot->schedules, 3);
  BackupsScheduleRecord *ours = g_ptr_array_index (snapshot->schedules, 30);
  HourWait               wait = { fixture, 3, 0 };

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);

  /* Another process changes one row; before this store has looked, its
   * own sync changes another: the model knows the second by key, and
   * must not take the first for part of it. */
  other = open_other_store (fixture, &account);
  theirs->hour = (theirs->hour + 7) % 24;
  apply (other, account, snapshot);
  ours->hour = (ours->hour + 9) % 24;
  apply (fixture->store, fixture->account, snapshot);

  wait.position = 30;
  wait.hour = ours->hour;
  g_assert_true (backups_test_wait_until (row_has_hour, &wait, WAIT_MS));
  wait.position = 3;
  wait.hour = theirs->hour;
  g_assert_true (backups_test_wait_until (row_has_hour, &wait, WAIT_MS));

  settle ();
  g_assert_finalize_object (g_steal_pointer (&other));
}

static void
test_coalesce (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 30);
  guint total = 0;

  load (fixture);
  reset (fixture);

  /* A burst of commits: the model ends up right, whatever it coalesced. */
  for (guint round = 1; round <= 5; round++)
    {
      g_ptr_array_set_size (snapshot->schedules, 2 * (30 - round));
      apply (fixture->store, fixture->account, snapshot);
    }
  g_assert_true (backups_test_wait_until (model_changed, fixture, WAIT_MS));
  settle ();

  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const Change *change = &g_array_index (fixture->changes, Change, i);

      total += change->added;
      total -= change->removed;
    }
  g_assert_cmpuint (total, ==, 50);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 50);
}

static void
count_cb (guint *counter)
{
  (*counter)++;
}

static gboolean
count_nonzero (gpointer data)
{
  return *(guint *)data > 0;
}

static void
test_integrations (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsQueryModel) model = NULL;
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 5);
  g_autoptr (BackupsIntegration) integration = NULL;
  BackupsIntegrationRecord *record;
  guint                     n_changes = 0;

  apply (fixture->store, fixture->account, snapshot);
  model = backups_query_model_new (fixture->store, BACKUPS_QUERY_INTEGRATIONS);
  g_assert_true (g_list_model_get_item_type (G_LIST_MODEL (model)) == BACKUPS_TYPE_INTEGRATION);
  backups_query_model_set_org_id (model, backups_org_get_id (fixture->org));
  g_assert_true (
    backups_test_wait_until ((gboolean (*) (gpointer))g_list_model_get_n_items, model, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (model)), ==, 2);
  integration = g_list_model_get_item (G_LIST_MODEL (model), 1);
  g_assert_cmpstr (backups_integration_get_name (integration), ==, "acme-bucket-2");

  g_signal_connect_swapped (model, "items-changed", G_CALLBACK (count_cb), &n_changes);
  record = g_ptr_array_index (snapshot->integrations, 0);
  g_free (record->name);
  record->name = g_strdup ("renamed");
  apply (fixture->store, fixture->account, snapshot);
  g_assert_true (backups_test_wait_until (count_nonzero, &n_changes, WAIT_MS));
  settle ();
  g_assert_cmpuint (n_changes, ==, 1);
  g_clear_object (&integration);
  integration = g_list_model_get_item (G_LIST_MODEL (model), 0);
  g_assert_cmpstr (backups_integration_get_name (integration), ==, "renamed");

  g_clear_object (&integration);
  g_assert_finalize_object (g_steal_pointer (&model));
}

static const char *
site_at (Fixture *fixture, guint position)
{
  g_autoptr (BackupsSchedule) schedule
    = g_list_model_get_item (G_LIST_MODEL (fixture->model), position);

  /* The string outlives the object: the row holds it too. */
  return backups_schedule_get_site_url (schedule);
}

static void
test_site_order (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 4);
  g_autoptr (BackupsAccount) second = add_account (fixture->store, fixture->org, "Second");
  g_autoptr (BackupsSnapshot) other = make_snapshot ("second", 1);
  /* By site id 1..4; their URLs sort the other way round, and case is
   * ignored before it counts. */
  const char *urls[]
    = { "zeta.example.com", "b.example.com", "B.example.com", "Alpha.example.com" };
  const char *expected[] = {
    "Alpha.example.com", "Alpha.example.com", "B.example.com", "B.example.com",
    "b.example.com",     "b.example.com",     "b.example.com", "b.example.com",
    "zeta.example.com",  "zeta.example.com",
  };
  g_autoptr (BackupsSchedule) first_b = NULL;
  g_autoptr (BackupsSchedule) last_b = NULL;

  for (guint i = 0; i < snapshot->schedules->len; i++)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (snapshot->schedules, i);

      g_free (record->site_url);
      record->site_url = g_strdup (urls[record->site_remote_id - 1]);
    }
  /* The other account's site shares a URL with the first account's. */
  for (guint i = 0; i < other->schedules->len; i++)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (other->schedules, i);

      g_free (record->site_url);
      record->site_url = g_strdup ("b.example.com");
    }
  apply (fixture->store, fixture->account, snapshot);
  apply (fixture->store, second, other);
  load (fixture);

  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==,
                    G_N_ELEMENTS (expected));
  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_cmpstr (site_at (fixture, i), ==, expected[i]);

  /* Equal URLs: by account, then by schedule id. */
  first_b = g_list_model_get_item (G_LIST_MODEL (fixture->model), 4);
  last_b = g_list_model_get_item (G_LIST_MODEL (fixture->model), 7);
  g_assert_cmpint (backups_schedule_get_account_id (first_b), ==,
                   backups_account_get_id (fixture->account));
  g_assert_cmpint (backups_schedule_get_schedule_id (first_b), ==, 4);
  g_assert_cmpint (backups_schedule_get_account_id (last_b), ==, backups_account_get_id (second));
  g_assert_cmpint (backups_schedule_get_schedule_id (last_b), ==, 3);
}

static void
test_row_moves (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 50);
  g_autoptr (BackupsSchedule) neighbour_before = NULL;
  g_autoptr (BackupsSchedule) neighbour_after = NULL;
  g_autoptr (BackupsSchedule) moved = NULL;
  BackupsScheduleRecord *record;

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);
  neighbour_before = g_list_model_get_item (G_LIST_MODEL (fixture->model), 12);
  reset (fixture);

  /* Site 6's remote schedule (position 11) is renamed to sort last. */
  record = g_ptr_array_index (snapshot->schedules, 11);
  g_free (record->site_url);
  record->site_url = g_strdup ("acme-site-99999.example.com");
  apply (fixture->store, fixture->account, snapshot);
  wait_for_change (fixture);

  /* It leaves its place and arrives at the end: nothing else changed. */
  g_assert_cmpuint (fixture->changes->len, ==, 2);
  assert_change (fixture, 0, 11, 1, 0);
  assert_change (fixture, 1, 99, 0, 1);
  g_assert_cmpuint (fixture->n_items_notifies, ==, 0);
  moved = g_list_model_get_item (G_LIST_MODEL (fixture->model), 99);
  g_assert_cmpint (backups_schedule_get_schedule_id (moved), ==, record->remote_id);
  g_assert_cmpstr (site_at (fixture, 11), ==, "acme-site-00007.example.com");

  /* The rows after its old place moved up, keeping their objects. */
  neighbour_after = g_list_model_get_item (G_LIST_MODEL (fixture->model), 11);
  g_assert_true (neighbour_after == neighbour_before);
}

static void
test_same_object_while_held (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", 5);
  g_autoptr (BackupsSchedule) first = NULL;
  g_autoptr (BackupsSchedule) again = NULL;
  g_autoptr (BackupsSchedule) later = NULL;
  gint64 id;

  apply (fixture->store, fixture->account, snapshot);
  load (fixture);

  first = g_list_model_get_item (G_LIST_MODEL (fixture->model), 3);
  again = g_list_model_get_item (G_LIST_MODEL (fixture->model), 3);
  g_assert_true (first == again);

  /* Released by everyone, the row makes an equal one when asked again. */
  id = backups_schedule_get_schedule_id (first);
  g_clear_object (&again);
  g_assert_finalize_object (g_steal_pointer (&first));
  later = g_list_model_get_item (G_LIST_MODEL (fixture->model), 3);
  g_assert_cmpint (backups_schedule_get_schedule_id (later), ==, id);
  g_assert_cmpstr (backups_schedule_get_site_url (later), ==, "acme-site-00002.example.com");
}

/* 300 sites: 600 rows, a list revealed in steps. */
#define LARGE_SITES 300

static void
assert_revealed_in_steps (Fixture *fixture, guint n_old, guint n_rows)
{
  guint shown;

  g_assert_cmpuint (fixture->changes->len, >, 2);
  /* The first rows replace the old rows at once... */
  assert_change (fixture, 0, 0, n_old, 12);
  shown = 12;
  /* ...then small steps, each appended at the end... */
  for (guint i = 1; i + 1 < fixture->changes->len; i++)
    {
      const Change *change = &g_array_index (fixture->changes, Change, i);

      g_assert_cmpuint (change->position, ==, shown);
      g_assert_cmpuint (change->removed, ==, 0);
      g_assert_cmpuint (change->added, <=, 12);
      shown += change->added;
    }
  /* ...and past the first 256 rows, the rest at once. */
  g_assert_cmpuint (shown, >=, 244);
  assert_change (fixture, fixture->changes->len - 1, shown, 0, n_rows - shown);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, n_rows);
}

static void
test_large_list_revealed_in_steps (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", LARGE_SITES);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) small = backups_store_add_org (fixture->store, "Small", &error);
  g_autoptr (BackupsAccount) small_account = add_account (fixture->store, small, "Small");
  g_autoptr (BackupsSnapshot) small_data = make_snapshot ("small", 3);

  g_assert_no_error (error);
  apply (fixture->store, fixture->account, snapshot);
  apply (fixture->store, small_account, small_data);

  /* The first load: rows (and not the spinner) from the first step on. */
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (model_changed, fixture, WAIT_MS));
  g_assert_false (backups_query_model_get_loading (fixture->model));
  wait_for_n_rows (fixture, 2 * LARGE_SITES);
  assert_revealed_in_steps (fixture, 0, 2 * LARGE_SITES);
  g_assert_cmpuint (fixture->n_items_notifies, ==, fixture->changes->len);
  for (guint i = 1; i < 2 * LARGE_SITES; i++)
    g_assert_cmpint (g_ascii_strcasecmp (site_at (fixture, i - 1), site_at (fixture, i)), <=, 0);

  /* An organization switch to it and back: the same, replacing the rows. */
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (small));
  wait_for_n_rows (fixture, 6);
  reset (fixture);
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  wait_for_n_rows (fixture, 2 * LARGE_SITES);
  assert_revealed_in_steps (fixture, 6, 2 * LARGE_SITES);
}

static void
test_change_during_reveal (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot ("acme", LARGE_SITES);
  BackupsScheduleRecord *record;
  guint                  n_appends = 0;

  apply (fixture->store, fixture->account, snapshot);
  backups_query_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (model_changed, fixture, WAIT_MS));

  /* A commit while the list is being revealed... */
  record = g_ptr_array_index (snapshot->schedules, 2 * LARGE_SITES - 1);
  record->hour = (record->hour + 1) % 24;
  apply (fixture->store, fixture->account, snapshot);
  wait_for_n_rows (fixture, 2 * LARGE_SITES);
  settle ();

  /* ...reaches the list: read with the rest (when the whole result came
   * after it), or announced as a change of its row once the list is
   * complete. The reveal itself only ever appends. */
  for (guint i = 0; i < fixture->changes->len; i++)
    {
      const Change *change = &g_array_index (fixture->changes, Change, i);

      if (change->removed == 0)
        {
          g_assert_cmpuint (i, ==, n_appends);
          n_appends++;
        }
      else
        assert_change (fixture, i, 2 * LARGE_SITES - 1, 1, 1);
    }
  g_assert_cmpuint (fixture->changes->len, <=, n_appends + 1);
  {
    g_autoptr (BackupsSchedule) last
      = g_list_model_get_item (G_LIST_MODEL (fixture->model), 2 * LARGE_SITES - 1);

    g_assert_cmpint (backups_schedule_get_hour (last), ==, record->hour);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data)                                                                      \
  g_test_add (path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("/query-model/initial-load", test_initial_load, NULL);
  ADD ("/query-model/modified-row", test_modified_row, GUINT_TO_POINTER (50));
  ADD ("/query-model/modified-row-of-50000", test_modified_row, GUINT_TO_POINTER (25000));
  ADD ("/query-model/removed-rows", test_removed_rows, NULL);
  ADD ("/query-model/inserted-rows", test_inserted_rows, NULL);
  ADD ("/query-model/scattered-changes", test_scattered_changes, NULL);
  ADD ("/query-model/org-switch", test_org_switch, NULL);
  ADD ("/query-model/loading", test_loading, NULL);
  ADD ("/query-model/loading-timeout", test_loading_timeout, NULL);
  ADD ("/query-model/external-commit", test_external_commit, NULL);
  ADD ("/query-model/external-then-own-commit", test_external_then_own_commit, NULL);
  ADD ("/query-model/coalesce", test_coalesce, NULL);
  ADD ("/query-model/integrations", test_integrations, NULL);
  ADD ("/query-model/site-order", test_site_order, NULL);
  ADD ("/query-model/row-moves", test_row_moves, NULL);
  ADD ("/query-model/same-object-while-held", test_same_object_while_held, NULL);
  ADD ("/query-model/large-list-revealed-in-steps", test_large_list_revealed_in_steps, NULL);
  ADD ("/query-model/change-during-reveal", test_change_during_reveal, NULL);

#undef ADD

  return g_test_run ();
}
