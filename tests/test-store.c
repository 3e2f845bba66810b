/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-store.c: the store's snapshot semantics, isolation, cascades,
 * migrations, permissions and change notification. */
#include <glib/gstdio.h>
#include <sqlite3.h>
#include <sys/stat.h>

#include "backups-error.h"
#include "backups-store-private.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"

typedef struct
{
  BackupsStore   *store;
  BackupsOrg     *org;
  BackupsAccount *account;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  f->org = backups_store_add_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  f->account
    = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", "Client A",
                                 "https://my.gridpane.com/oauth/api/v1", "secret-a", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->account);
  g_clear_object (&f->org);
  /* Pending ::changed idles hold a reference. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (f->store);
}

static gint64
account_id (Fixture *f)
{
  return backups_account_get_id (f->account);
}

static void
apply_ok (BackupsStore *store, gint64 id, BackupsSnapshot *snapshot, BackupsApplyCounts *counts)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (backups_store_apply_snapshot (store, id, snapshot, counts, &error));
  g_assert_no_error (error);
}

static void
test_first_apply (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  BackupsApplyCounts counts = { 0 };
  BackupsSchedule   *remote;

  apply_ok (f->store, account_id (f), snapshot, &counts);
  /* 3 servers + 10 sites + 20 schedules + 4 integrations */
  g_assert_cmpuint (counts.inserted, ==, 37);
  g_assert_cmpuint (counts.updated, ==, 0);
  g_assert_cmpuint (counts.deleted, ==, 0);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (schedules->len, ==, 20);

  /* Both schedules of a site are there, with the derived facts. */
  remote = g_ptr_array_index (schedules, 1);
  g_assert_cmpint (backups_schedule_get_schedule_id (remote), ==, 156001);
  g_assert_cmpint (backups_schedule_get_site_id (remote), ==, 869000);
  g_assert_cmpint (backups_schedule_get_schedule_type (remote), ==, BACKUPS_SCHEDULE_TYPE_REMOTE);
  g_assert_cmpstr (backups_schedule_get_site_url (remote), ==, "site0.acme.example.com");
  g_assert_cmpstr (backups_schedule_get_server_label (remote), ==, "acme-server-0");
  g_assert_cmpstr (backups_schedule_get_server_timezone (remote), ==, "UTC");
  g_assert_cmpstr (backups_schedule_get_destination (remote), ==, "acme storage 0");
  g_assert_cmpstr (backups_schedule_get_destination_service (remote), ==, "aws-s3");
  g_assert_cmpstr (backups_schedule_get_account_name (remote), ==, "Client A");
  /* site 0: remote_bup is off (i % 5 == 0), remote retention 90 days */
  g_assert_false (backups_schedule_get_enabled (remote));
  g_assert_cmpint (backups_schedule_get_retain_days (remote), ==, 90);
  g_assert_cmpint (backups_schedule_get_prune_schedule (remote), ==, 2);
  g_assert_true (backups_schedule_get_enabled (g_ptr_array_index (schedules, 0)));
  g_assert_cmpint (backups_schedule_get_retain_days (g_ptr_array_index (schedules, 0)), ==, 30);
  g_assert_cmpint (backups_schedule_get_day (g_ptr_array_index (schedules, 0)), ==, 0);
  g_assert_cmpint (backups_schedule_get_day (remote), ==, BACKUPS_NO_VALUE);

  integrations = backups_store_query_integrations (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (integrations->len, ==, 4);
  /* sites 0, 4, 8 use integration 0 */
  g_assert_cmpuint (backups_integration_get_used_by (g_ptr_array_index (integrations, 0)), ==, 3);
  g_assert_cmpuint (backups_integration_get_used_by (g_ptr_array_index (integrations, 3)), ==, 2);

  account = backups_store_get_account (f->store, account_id (f), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_OK);
  g_assert_cmpint (backups_store_org_last_synced (f->store, backups_org_get_id (f->org), NULL), >,
                   0);
}

static gint64
count_rows (BackupsStore *store, const char *sql)
{
  sqlite3      *db = backups_store_acquire_connection (store, NULL);
  sqlite3_stmt *stmt = NULL;
  gint64        n;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_ROW);
  n = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  backups_store_release_connection (store, db);
  return n;
}

/* Triggers that count every row written to the data tables, whichever
 * connection writes it. */
static void
install_write_counter (BackupsStore *store)
{
  static const char *const tables[]
    = { "servers", "sites", "backup_schedules", "backup_integrations" };
  static const char *const events[] = { "INSERT", "UPDATE", "DELETE" };
  sqlite3                 *db = backups_store_acquire_connection (store, NULL);

  g_assert_cmpint (sqlite3_exec (db,
                                 "CREATE TABLE row_writes (n INTEGER); "
                                 "INSERT INTO row_writes VALUES (0);",
                                 NULL, NULL, NULL),
                   ==, SQLITE_OK);
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    for (guint e = 0; e < G_N_ELEMENTS (events); e++)
      {
        g_autofree char *sql = g_strdup_printf (
          "CREATE TRIGGER count_%s_%s AFTER %s ON %s BEGIN UPDATE row_writes SET n = n + 1; END;",
          tables[t], events[e], events[e], tables[t]);
        g_assert_cmpint (sqlite3_exec (db, sql, NULL, NULL, NULL), ==, SQLITE_OK);
      }
  backups_store_release_connection (store, db);
}

static void
test_identical_reapply (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsSnapshot) second = backups_test_make_snapshot ("acme", 3, 10, 4);
  BackupsApplyCounts counts = { 0 };

  install_write_counter (f->store);
  apply_ok (f->store, account_id (f), first, &counts);
  g_assert_cmpint (count_rows (f->store, "SELECT n FROM row_writes"), ==, 37);

  apply_ok (f->store, account_id (f), second, &counts);
  g_assert_cmpuint (counts.inserted, ==, 0);
  g_assert_cmpuint (counts.updated, ==, 0);
  g_assert_cmpuint (counts.deleted, ==, 0);
  g_assert_cmpuint (counts.unchanged, ==, 37);
  /* Only the bookkeeping was written: the account status and one run. */
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM sync_runs"), ==, 2);
  g_assert_cmpint (count_rows (f->store, "SELECT n FROM row_writes"), ==, 37);
}

static void
test_one_changed_row (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsSnapshot) second = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (GPtrArray) schedules = NULL;
  BackupsScheduleRecord *record;
  BackupsApplyCounts     counts = { 0 };

  apply_ok (f->store, account_id (f), first, &counts);

  record = g_ptr_array_index (second->schedules, 5);
  record->hour = 7;
  apply_ok (f->store, account_id (f), second, &counts);
  g_assert_cmpuint (counts.inserted, ==, 0);
  g_assert_cmpuint (counts.updated, ==, 1);
  g_assert_cmpuint (counts.deleted, ==, 0);
  g_assert_cmpuint (counts.unchanged, ==, 36);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpint (backups_schedule_get_hour (g_ptr_array_index (schedules, 5)), ==, 7);
}

static void
test_removed_rows (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsSnapshot) second = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (GPtrArray) schedules = NULL;
  BackupsApplyCounts counts = { 0 };

  apply_ok (f->store, account_id (f), first, &counts);

  g_ptr_array_remove_range (second->schedules, 0, 3);
  g_ptr_array_remove_index (second->integrations, 3);
  apply_ok (f->store, account_id (f), second, &counts);
  g_assert_cmpuint (counts.deleted, ==, 4);
  g_assert_cmpuint (counts.inserted, ==, 0);
  g_assert_cmpuint (counts.updated, ==, 0);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (schedules->len, ==, 17);
  g_assert_cmpint (backups_schedule_get_schedule_id (g_ptr_array_index (schedules, 0)), ==, 156003);
}

static void
test_empty_snapshot (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsSnapshot) empty = backups_test_make_snapshot ("acme", 0, 0, 0);
  g_autoptr (BackupsSnapshot) no_resources = backups_snapshot_new ();
  g_autoptr (GPtrArray) schedules = NULL;
  g_autofree char   *dump = NULL;
  BackupsApplyCounts counts = { 0 };

  apply_ok (f->store, account_id (f), first, &counts);

  /* NULL arrays: the provider has no such resource, nothing is touched. */
  dump = backups_test_dump_account (f->store, account_id (f));
  apply_ok (f->store, account_id (f), no_resources, &counts);
  g_assert_cmpuint (counts.deleted, ==, 0);
  {
    g_autofree char *now = backups_test_dump_account (f->store, account_id (f));

    g_assert_cmpstr (now, ==, dump);
  }

  /* Empty arrays: there are none any more. */
  apply_ok (f->store, account_id (f), empty, &counts);
  g_assert_cmpuint (counts.deleted, ==, 37);
  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (schedules->len, ==, 0);
}

static void
test_failed_apply_rolls_back (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsSnapshot) bad = backups_test_make_snapshot ("acme", 3, 12, 2);
  g_autoptr (GError) error = NULL;
  g_autofree char       *before = NULL;
  g_autofree char       *after = NULL;
  BackupsServerRecord   *server;
  BackupsScheduleRecord *record;
  BackupsApplyCounts     counts = { 0 };

  apply_ok (f->store, account_id (f), first, &counts);
  before = backups_test_dump_account (f->store, account_id (f));

  /* Servers, sites and most schedules would be written before the last
   * schedule violates a constraint (a NOT NULL column, which SQLite checks
   * as it writes). */
  server = g_ptr_array_index (bad->servers, 0);
  g_free (server->label);
  server->label = g_strdup ("changed");
  record = g_ptr_array_index (bad->schedules, bad->schedules->len - 1);
  g_clear_pointer (&record->site_url, g_free);

  g_assert_false (backups_store_apply_snapshot (f->store, account_id (f), bad, &counts, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE);

  after = backups_test_dump_account (f->store, account_id (f));
  g_assert_cmpstr (before, ==, after);
}

/* An UPDATE that breaks backup_schedules' CHECK on `hour` fails on `db`. */
static void
assert_checks_enforced (sqlite3 *db)
{
  g_assert_cmpint (sqlite3_exec (db, "UPDATE backup_schedules SET hour = 99", NULL, NULL, NULL), ==,
                   SQLITE_CONSTRAINT_CHECK);
}

static void
apply_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  gboolean *done = user_data;

  g_assert_true (backups_store_apply_snapshot_finish (BACKUPS_STORE (object), result, NULL, NULL));
  *done = TRUE;
}

/* The apply checks a schedule's time itself (SQLite's CHECK constraints are
 * off during its transaction): an hour, minute or day out of range is
 * refused before anything is written, and every later statement, on the
 * store's own connection or a worker's, checks the constraints again. */
static void
test_out_of_range_time_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) first = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autofree char *before = NULL;
  const struct
  {
    gsize offset;
    int   value;
  } cases[] = {
    { G_STRUCT_OFFSET (BackupsScheduleRecord, hour), 24 },
    { G_STRUCT_OFFSET (BackupsScheduleRecord, hour), 99 },
    { G_STRUCT_OFFSET (BackupsScheduleRecord, minute), 60 },
    { G_STRUCT_OFFSET (BackupsScheduleRecord, day), 32 },
  };
  gboolean done = FALSE;
  sqlite3 *db;

  apply_ok (f->store, account_id (f), first, NULL);
  before = backups_test_dump_account (f->store, account_id (f));

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (BackupsSnapshot) bad = backups_test_make_snapshot ("acme", 3, 12, 2);
      g_autoptr (GError) error = NULL;
      g_autofree char       *after = NULL;
      BackupsScheduleRecord *record = g_ptr_array_index (bad->schedules, bad->schedules->len - 1);

      G_STRUCT_MEMBER (int, record, cases[i].offset) = cases[i].value;
      g_assert_false (backups_store_apply_snapshot (f->store, account_id (f), bad, NULL, &error));
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE);
      after = backups_test_dump_account (f->store, account_id (f));
      g_assert_cmpstr (before, ==, after);
    }

  /* The store's own connection, which the synchronous applies used. */
  assert_checks_enforced (f->store->db);

  /* A worker's: the one an apply in a thread gave back last is lent next. */
  backups_store_apply_snapshot_async (f->store, account_id (f),
                                      backups_test_make_snapshot ("acme", 3, 11, 4), NULL,
                                      apply_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, 10000));
  db = backups_store_acquire_connection (f->store, NULL);
  assert_checks_enforced (db);
  backups_store_release_connection (f->store, db);
}

static void
test_org_isolation (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsOrg) other = backups_store_add_org (f->store, "Globex", NULL);
  g_autoptr (BackupsAccount) other_account = NULL;
  g_autoptr (BackupsSnapshot) a = backups_test_make_snapshot ("SENTINELACME", 2, 5, 2);
  g_autoptr (BackupsSnapshot) b = backups_test_make_snapshot ("SENTINELGLOBEX", 2, 5, 2);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;
  g_autoptr (GPtrArray) accounts = NULL;

  other_account = backups_store_add_account (f->store, backups_org_get_id (other), "gridpane",
                                             "Client A", "https://x.example/api", "secret-b", NULL);
  g_assert_nonnull (other_account);

  /* Same remote ids in both accounts: the key includes the account. */
  apply_ok (f->store, account_id (f), a, NULL);
  apply_ok (f->store, backups_account_get_id (other_account), b, NULL);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (schedules->len, ==, 10);
  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsSchedule *s = g_ptr_array_index (schedules, i);

      g_assert_nonnull (strstr (backups_schedule_get_site_url (s), "SENTINELACME"));
      g_assert_null (strstr (backups_schedule_get_site_url (s), "GLOBEX"));
      g_assert_null (strstr (backups_schedule_get_server_label (s), "GLOBEX"));
      if (backups_schedule_get_destination (s) != NULL)
        g_assert_null (strstr (backups_schedule_get_destination (s), "GLOBEX"));
    }

  integrations = backups_store_query_integrations (f->store, backups_org_get_id (other), NULL);
  g_assert_cmpuint (integrations->len, ==, 2);
  for (guint i = 0; i < integrations->len; i++)
    g_assert_nonnull (
      strstr (backups_integration_get_name (g_ptr_array_index (integrations, i)), "GLOBEX"));

  accounts = backups_store_list_accounts (f->store, backups_org_get_id (other), NULL);
  g_assert_cmpuint (accounts->len, ==, 1);
  g_assert_cmpint (backups_account_get_id (g_ptr_array_index (accounts, 0)), ==,
                   backups_account_get_id (other_account));
}

static void
take_keys (GArray *keys, gint64 *account, gint64 *remote)
{
  g_assert_cmpuint (keys->len, ==, 2);
  *account = g_array_index (keys, gint64, 0);
  *remote = g_array_index (keys, gint64, 1);
  g_array_set_size (keys, 0);
}

static void
test_change_hints (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  g_autoptr (BackupsStore) other = NULL;
  g_autoptr (GError) error = NULL;
  BackupsScheduleRecord *record;
  guint64                since, serial;
  gint64                 account, remote;

  apply_ok (f->store, account_id (f), snapshot, NULL);
  since = backups_store_get_change_serial (f->store);
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_cmpuint (serial, ==, since);
  g_assert_cmpuint (keys->len, ==, 0);

  /* One schedule changes: its key, nothing else. */
  record = g_ptr_array_index (snapshot->schedules, 5);
  record->hour = 7;
  apply_ok (f->store, account_id (f), snapshot, NULL);
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_cmpuint (serial, >, since);
  take_keys (keys, &account, &remote);
  g_assert_cmpint (account, ==, account_id (f));
  g_assert_cmpint (remote, ==, record->remote_id);

  /* One goes: its key too. Asked from the older serial, both are there. */
  g_ptr_array_remove_index (snapshot->schedules, 0);
  apply_ok (f->store, account_id (f), snapshot, NULL);
  g_assert_true (backups_store_get_schedule_changes (f->store, serial, &serial, keys));
  take_keys (keys, &account, &remote);
  g_assert_cmpint (remote, ==, 156000);
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_cmpuint (keys->len, ==, 4);
  g_array_set_size (keys, 0);
  since = serial;

  /* A sync's status alone changes no row. */
  g_assert_true (backups_store_begin_sync (f->store, account_id (f), NULL));
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_cmpuint (serial, >, since);
  g_assert_cmpuint (keys->len, ==, 0);
  since = serial;

  /* A site's retention shows in its schedules' rows: not known row by
   * row, and so is a renamed account. */
  ((BackupsSiteRecord *)g_ptr_array_index (snapshot->sites, 2))->local_retain_days = 3;
  apply_ok (f->store, account_id (f), snapshot, NULL);
  g_assert_false (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  since = serial;
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_true (backups_store_rename_account (f->store, account_id (f), "Renamed", NULL));
  g_assert_false (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  since = serial;

  /* Another process's commit: unknown. */
  other = backups_store_open (backups_store_get_path (f->store), &error);
  g_assert_no_error (error);
  record = g_ptr_array_index (snapshot->schedules, 1);
  record->minute = 44;
  apply_ok (other, account_id (f), snapshot, NULL);
  g_assert_true (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  backups_store_check_external_changes (f->store);
  g_assert_false (backups_store_get_schedule_changes (f->store, since, &serial, keys));
  g_assert_cmpuint (keys->len, ==, 0);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (g_steal_pointer (&other));
}

static void
collect_schedule (const BackupsScheduleFields *fields, gpointer user_data)
{
  g_ptr_array_add (user_data, backups_schedule_new (fields));
}

static int
compare_by_key (gconstpointer a, gconstpointer b)
{
  BackupsSchedule *x = *(BackupsSchedule **)a, *y = *(BackupsSchedule **)b;

  if (backups_schedule_get_account_id (x) != backups_schedule_get_account_id (y))
    return backups_schedule_get_account_id (x) < backups_schedule_get_account_id (y) ? -1 : 1;
  return backups_schedule_get_schedule_id (x) < backups_schedule_get_schedule_id (y)   ? -1
         : backups_schedule_get_schedule_id (x) > backups_schedule_get_schedule_id (y) ? 1
                                                                                       : 0;
}

/* The window's order: site URL ignoring ASCII case, then bytewise, then
 * the key. */
static int
compare_by_site (gconstpointer a, gconstpointer b)
{
  BackupsSchedule *x = *(BackupsSchedule **)a, *y = *(BackupsSchedule **)b;
  int              result
    = g_ascii_strcasecmp (backups_schedule_get_site_url (x), backups_schedule_get_site_url (y));

  if (result == 0)
    result = strcmp (backups_schedule_get_site_url (x), backups_schedule_get_site_url (y));
  return result != 0 ? result : compare_by_key (a, b);
}

static GPtrArray *
read_schedules (BackupsStore *store, gint64 org_id, GArray *keys)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;

  g_assert_true (
    backups_store_foreach_schedule (store, org_id, keys, collect_schedule, rows, &error));
  g_assert_no_error (error);
  return g_steal_pointer (&rows);
}

/* A second account in the fixture's org, and one in another org. */
static void
add_more_accounts (Fixture *f, BackupsAccount **second, BackupsAccount **foreign)
{
  g_autoptr (BackupsOrg) other = backups_store_add_org (f->store, "Globex", NULL);

  *second = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", "Second",
                                       "https://x.example/api", "secret-2", NULL);
  *foreign = backups_store_add_account (f->store, backups_org_get_id (other), "gridpane", "Main",
                                        "https://x.example/api", "secret-3", NULL);
  g_assert_nonnull (*second);
  g_assert_nonnull (*foreign);
}

static void
test_read_paths (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsAccount) second = NULL;
  g_autoptr (BackupsAccount) foreign = NULL;
  g_autoptr (BackupsSnapshot) snapshot2 = backups_test_make_snapshot ("acme2", 1, 3, 1);
  g_autoptr (BackupsSnapshot) foreign_data = backups_test_make_snapshot ("globex", 1, 3, 1);
  g_autoptr (GPtrArray) whole = NULL;
  g_autoptr (GPtrArray) keyed = NULL;
  g_autoptr (GPtrArray) queried = NULL;
  g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));
  BackupsScheduleRecord *record;
  gint64                 org_id = backups_org_get_id (f->org);

  add_more_accounts (f, &second, &foreign);

  /* Rows whose server, integration or site the account does not have. */
  record = g_ptr_array_index (snapshot->schedules, 0);
  record->server_remote_id = 999;
  record = g_ptr_array_index (snapshot->schedules, 1);
  record->integration_id = 9999;
  g_free (record->service_name);
  record->service_name = g_strdup ("dropbox");
  record = g_ptr_array_index (snapshot->schedules, 3);
  record->site_remote_id = 12345;
  record->server_remote_id = BACKUPS_NO_VALUE;
  apply_ok (f->store, account_id (f), snapshot, NULL);
  apply_ok (f->store, backups_account_get_id (second), snapshot2, NULL);
  apply_ok (f->store, backups_account_get_id (foreign), foreign_data, NULL);

  /* The whole org (joined in C) and every key (joined by SQLite) agree. */
  whole = read_schedules (f->store, org_id, NULL);
  g_assert_cmpuint (whole->len, ==, 26);
  for (guint i = 0; i < whole->len; i++)
    {
      gint64 key[2] = { backups_schedule_get_account_id (whole->pdata[i]),
                        backups_schedule_get_schedule_id (whole->pdata[i]) };

      g_array_append_vals (keys, key, 2);
    }
  /* A key of another org's account reads nothing. */
  {
    gint64 key[2] = { backups_account_get_id (foreign), 156000 };

    g_array_append_vals (keys, key, 2);
  }
  keyed = read_schedules (f->store, org_id, keys);
  g_ptr_array_sort (keyed, compare_by_key);
  queried = backups_store_query_schedules (f->store, org_id, NULL);
  /* The query gives the window's order: by site URL, case ignored. */
  for (guint i = 1; i < queried->len; i++)
    g_assert_cmpint (g_ascii_strcasecmp (backups_schedule_get_site_url (queried->pdata[i - 1]),
                                         backups_schedule_get_site_url (queried->pdata[i])),
                     <=, 0);
  g_ptr_array_sort (queried, compare_by_key);
  g_assert_cmpuint (keyed->len, ==, whole->len);
  g_assert_cmpuint (queried->len, ==, whole->len);
  for (guint i = 0; i < whole->len; i++)
    {
      g_assert_true (backups_schedule_equal (whole->pdata[i], keyed->pdata[i]));
      g_assert_true (backups_schedule_equal (whole->pdata[i], queried->pdata[i]));
    }

  /* What the missing rows leave out. */
  g_assert_null (backups_schedule_get_server_label (whole->pdata[0]));
  g_assert_null (backups_schedule_get_server_timezone (whole->pdata[0]));
  g_assert_cmpint (backups_schedule_get_server_id (whole->pdata[0]), ==, 999);
  g_assert_null (backups_schedule_get_destination (whole->pdata[1]));
  g_assert_cmpint (backups_schedule_get_integration_id (whole->pdata[1]), ==, 9999);
  g_assert_cmpstr (backups_schedule_get_service_name (whole->pdata[1]), ==, "dropbox");
  /* A site the account does not have: its flag is unknown, not "off". */
  g_assert_cmpint (backups_schedule_get_enabled (whole->pdata[3]), ==, BACKUPS_FLAG_UNKNOWN);
  g_assert_cmpint (backups_schedule_get_retain_days (whole->pdata[3]), ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (backups_schedule_get_server_id (whole->pdata[3]), ==, BACKUPS_NO_VALUE);
  /* And what the present ones give. */
  g_assert_cmpstr (backups_schedule_get_destination (whole->pdata[3]), ==, "acme storage 1");
  g_assert_cmpstr (backups_schedule_get_server_label (whole->pdata[2]), ==, "acme-server-1");
  g_assert_cmpstr (backups_schedule_get_account_name (whole->pdata[25]), ==, "Second");
}

static void
set_site_urls (BackupsSnapshot *snapshot, const char *const *urls, guint n_urls)
{
  for (guint i = 0; i < snapshot->schedules->len; i++)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (snapshot->schedules, i);

      g_free (record->site_url);
      record->site_url = g_strdup (urls[(i * 7) % n_urls]);
    }
}

static void
test_first_by_site (Fixture *f, gconstpointer data)
{
  static const char *const urls[] = {
    "b.example.com",  "B.example.com",    "a.example.com", "Ab.example.com", "ab.example.com",
    "a-.example.com", "a.example.com.au", "Z.example.com", "_.example.com",  "é.example.com",
  };
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, 12, 4);
  g_autoptr (BackupsSnapshot) snapshot2 = backups_test_make_snapshot ("acme2", 1, 4, 1);
  g_autoptr (BackupsSnapshot) foreign_data = backups_test_make_snapshot ("globex", 1, 6, 1);
  g_autoptr (BackupsAccount) second = NULL;
  g_autoptr (BackupsAccount) foreign = NULL;
  g_autoptr (GPtrArray) sorted = NULL;
  gint64 org_id = backups_org_get_id (f->org);

  add_more_accounts (f, &second, &foreign);
  set_site_urls (snapshot, urls, G_N_ELEMENTS (urls));
  set_site_urls (snapshot2, urls + 3, 5);
  set_site_urls (foreign_data, urls, G_N_ELEMENTS (urls));
  apply_ok (f->store, account_id (f), snapshot, NULL);
  apply_ok (f->store, backups_account_get_id (second), snapshot2, NULL);
  apply_ok (f->store, backups_account_get_id (foreign), foreign_data, NULL);

  sorted = read_schedules (f->store, org_id, NULL);
  g_ptr_array_sort (sorted, compare_by_site);

  /* Every length of prefix is the start of the order sorted in C. */
  for (guint n = 0; n <= sorted->len + 2; n += 3)
    {
      g_autoptr (GPtrArray) first = g_ptr_array_new_with_free_func (g_object_unref);
      g_autoptr (GError) error = NULL;

      g_assert_true (backups_store_foreach_first_schedules (f->store, org_id, n, collect_schedule,
                                                            first, &error));
      g_assert_no_error (error);
      g_assert_cmpuint (first->len, ==, MIN (n, sorted->len));
      for (guint i = 0; i < first->len; i++)
        g_assert_true (backups_schedule_equal (first->pdata[i], sorted->pdata[i]));
    }
}

static void
test_cascade_deletes (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 3, 10, 4);
  g_autoptr (BackupsAccount) second = NULL;
  g_autoptr (BackupsSnapshot) snapshot2 = backups_test_make_snapshot ("acme2", 1, 2, 1);
  g_autoptr (GError) error = NULL;

  second = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", "Client B",
                                      "https://x.example/api", "secret-c", NULL);
  apply_ok (f->store, account_id (f), snapshot, NULL);
  apply_ok (f->store, backups_account_get_id (second), snapshot2, NULL);

  g_assert_true (backups_store_remove_account (f->store, account_id (f), &error));
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM backup_schedules"), ==, 4);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM servers"), ==, 1);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM sync_runs"), ==, 1);

  g_assert_true (backups_store_remove_org (f->store, backups_org_get_id (f->org), &error));
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM accounts"), ==, 0);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM backup_schedules"), ==, 0);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM backup_integrations"), ==, 0);
  g_assert_cmpint (count_rows (f->store, "SELECT COUNT (*) FROM sites"), ==, 0);

  /* An apply for a removed account fails and writes nothing. */
  g_assert_false (backups_store_apply_snapshot (f->store, account_id (f), snapshot, NULL, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT);
}

static void
test_names (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) dup = NULL;
  g_autoptr (BackupsOrg) found = NULL;
  g_autoptr (GPtrArray) orgs = NULL;

  dup = backups_store_add_org (f->store, "Acme", &error);
  g_assert_null (dup);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS);
  g_clear_error (&error);

  g_assert_null (backups_store_add_org (f->store, "", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* A name with SQL in it is just a name. */
  g_clear_object (&dup);
  dup = backups_store_add_org (f->store, "x'); DROP TABLE orgs; --", &error);
  g_assert_no_error (error);
  found = backups_store_find_org (f->store, "x'); DROP TABLE orgs; --", &error);
  g_assert_no_error (error);
  g_assert_cmpint (backups_org_get_id (found), ==, backups_org_get_id (dup));

  g_assert_true (backups_store_rename_org (f->store, backups_org_get_id (dup), "Beta", &error));
  orgs = backups_store_list_orgs (f->store, &error);
  g_assert_cmpuint (orgs->len, ==, 2);
  g_assert_cmpstr (backups_org_get_name (g_ptr_array_index (orgs, 0)), ==, "Acme");
  g_assert_cmpstr (backups_org_get_name (g_ptr_array_index (orgs, 1)), ==, "Beta");

  g_assert_null (backups_store_find_org (f->store, "Nope", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ORG);
  g_clear_error (&error);

  g_assert_null (backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane",
                                            "Client A", "https://a", "s", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_true (backups_store_rename_account (f->store, account_id (f), "Renamed", &error));
  g_assert_no_error (error);
  g_clear_object (&f->account);
  f->account
    = backups_store_find_account (f->store, backups_org_get_id (f->org), "Renamed", &error);
  g_assert_no_error (error);
}

static void
test_sync_status (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  gint64 org_id = backups_org_get_id (f->org);
  guint  timeout = BACKUPS_SYNC_DEFAULT_TIMEOUT_SECONDS;

  g_assert_false (backups_store_org_first_sync_pending (f->store, org_id, timeout, NULL));
  g_assert_true (backups_store_begin_sync (f->store, account_id (f), &error));
  g_assert_true (backups_store_org_first_sync_pending (f->store, org_id, timeout, NULL));

  g_assert_true (backups_store_abandon_sync (f->store, account_id (f), &error));
  account = backups_store_get_account (f->store, account_id (f), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_NEVER);
  g_clear_object (&account);

  g_assert_true (backups_store_begin_sync (f->store, account_id (f), &error));
  g_assert_true (backups_store_record_sync_failure (f->store, account_id (f),
                                                    "GridPane rejected the token", &error));
  account = backups_store_get_account (f->store, account_id (f), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_ERROR);
  g_assert_cmpstr (backups_account_get_last_sync_error (account), ==,
                   "GridPane rejected the token");
  g_assert_false (backups_store_org_first_sync_pending (f->store, org_id, timeout, NULL));
  g_assert_cmpint (backups_store_org_last_synced (f->store, org_id, NULL), ==, 0);

  /* A sync whose process was killed an hour ago is not "pending" forever. */
  g_assert_true (backups_store_begin_sync (f->store, account_id (f), &error));
  g_assert_true (backups_store_org_first_sync_pending (f->store, org_id, timeout, NULL));
  {
    sqlite3 *db = backups_store_acquire_connection (f->store, NULL);

    g_assert_cmpint (sqlite3_exec (db,
                                   "UPDATE accounts SET last_sync_started_at = "
                                   "last_sync_started_at - 3600",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    backups_store_release_connection (f->store, db);
  }
  g_assert_false (backups_store_org_first_sync_pending (f->store, org_id, timeout, NULL));
}

static void
test_reopen (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = backups_store_open (NULL, &error);
  g_autoptr (BackupsOrg) org = backups_store_add_org (store, "Persisted", &error);
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("p", 1, 3, 1);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autofree char *dump = NULL;

  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", "A",
                                       "https://a", "s", &error);
  apply_ok (store, backups_account_get_id (account), snapshot, NULL);
  dump = backups_test_dump_store (store);
  g_clear_object (&store);

  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  {
    g_autofree char *now = backups_test_dump_store (store);

    g_assert_cmpstr (now, ==, dump);
  }
  schedules = backups_store_query_schedules (store, backups_org_get_id (org), NULL);
  g_assert_cmpuint (schedules->len, ==, 6);
}

static void
test_migration_from_v1 (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "old.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_exec (db, backups_store_schema_v1, NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (
    sqlite3_exec (db,
                  "PRAGMA user_version = 1;"
                  "INSERT INTO orgs VALUES (1, 'Old Org', 0);"
                  "INSERT INTO accounts (id, org_id, provider, name, base_url, secret_id,"
                  "  created_at, last_sync_finished_at, last_sync_status)"
                  "  VALUES (1, 1, 'gridpane', 'Old', 'https://a', 's', 0, 1700000000, 'ok');"
                  "INSERT INTO backup_schedules VALUES (1, 5, 6, NULL, 'old.example.com',"
                  "  'local', 'daily', 3, 0, NULL, NULL, NULL, '{}');"
                  /* Written before the integration link was known: only the
                   * stored JSON holds its service_user_id. */
                  "INSERT INTO backup_schedules VALUES (1, 7, 6, NULL, 'old.example.com',"
                  "  'remote', 'daily', 4, 0, NULL, 5, 'aws-s3',"
                  "  '{\"id\":7,\"service_id\":5,\"service_user_id\":7627}');"
                  "INSERT INTO backup_integrations VALUES (1, 7627, 'aws-s3', 'GP S3 Backups',"
                  "  NULL, '{}');"
                  "INSERT INTO sites VALUES (1, 6, 'old.example.com', NULL, 1, 1, 30, 0, 90, 1);",
                  NULL, NULL, NULL),
    ==, SQLITE_OK);
  sqlite3_close (db);

  store = backups_store_open (path, &error);
  g_assert_no_error (error);
  g_assert_cmpint (count_rows (store, "PRAGMA user_version"), ==, BACKUPS_STORE_SCHEMA_VERSION);
  orgs = backups_store_list_orgs (store, NULL);
  g_assert_cmpuint (orgs->len, ==, 1);
  schedules = backups_store_query_schedules (store, 1, NULL);
  g_assert_cmpuint (schedules->len, ==, 2);
  g_assert_cmpstr (backups_schedule_get_site_url (g_ptr_array_index (schedules, 0)), ==,
                   "old.example.com");
  /* v4 took the integration from the stored JSON: the destination shows
   * before the next sync, and the JSON is gone. */
  {
    BackupsSchedule *remote = g_ptr_array_index (schedules, 1);
    g_autoptr (GPtrArray) integrations = backups_store_query_integrations (store, 1, NULL);

    g_assert_cmpint (backups_schedule_get_integration_id (remote), ==, 7627);
    g_assert_cmpint (backups_schedule_get_service_id (remote), ==, 5);
    g_assert_cmpstr (backups_schedule_get_destination (remote), ==, "GP S3 Backups");
    g_assert_cmpint (backups_schedule_get_enabled (remote), ==, BACKUPS_FLAG_YES);
    g_assert_cmpuint (integrations->len, ==, 1);
    g_assert_cmpuint (backups_integration_get_used_by (g_ptr_array_index (integrations, 0)), ==, 1);
    g_assert_cmpint (count_rows (store, "SELECT COUNT (*) FROM pragma_table_info "
                                        "('backup_schedules') WHERE name = 'raw_json'"),
                     ==, 0);
  }
  /* v2 carried the last successful sync over. */
  g_assert_cmpint (backups_store_org_last_synced (store, 1, NULL), ==, 1700000000);
}

static void
test_newer_schema_refused (void)
{
  g_autofree char *path = g_build_filename (g_get_user_data_dir (), "new.db", NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after = NULL;
  sqlite3 *db = NULL;

  g_mkdir_with_parents (g_get_user_data_dir (), 0700);
  g_assert_cmpint (sqlite3_open (path, &db), ==, SQLITE_OK);
  g_assert_cmpint (
    sqlite3_exec (db, "CREATE TABLE future (x); PRAGMA user_version = 99;", NULL, NULL, NULL), ==,
    SQLITE_OK);
  sqlite3_close (db);
  before = backups_test_read_file (path);

  store = backups_store_open (path, &error);
  g_assert_null (store);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_TOO_NEW);
  g_assert_nonnull (strstr (error->message, "newer version"));

  after = backups_test_read_file (path);
  g_assert_true (g_bytes_equal (before, after));
}

static void
test_permissions (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autofree char *path = backups_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (path);
  GStatBuf         st;
  mode_t           old_umask = umask (0);

  store = backups_store_open (NULL, &error);
  umask (old_umask);
  g_assert_no_error (error);

  g_assert_cmpint (g_stat (dir, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0700);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  g_assert_cmpint (st.st_mode & 0777, ==, 0600);
  g_assert_true (g_str_has_suffix (path, "org.example.Backups/backups.db"));
}

static void
changed_cb (BackupsStore *store, guint *count)
{
  (*count)++;
}

static gboolean
count_positive (gpointer data)
{
  return *(guint *)data > 0;
}

static void
test_changed_signal (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("acme", 1, 2, 1);
  g_autoptr (BackupsSnapshot) other_snapshot = backups_test_make_snapshot ("other", 1, 3, 1);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) other = NULL;
  guint count = 0;

  g_signal_connect (f->store, "changed", G_CALLBACK (changed_cb), &count);

  /* Our own commit: one emission on the main context, not during the call. */
  apply_ok (f->store, account_id (f), snapshot, NULL);
  g_assert_cmpuint (count, ==, 0);
  g_assert_true (backups_test_wait_until (count_positive, &count, 5000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
  g_assert_cmpuint (count, ==, 1);

  /* A commit through another connection, as another process would make. */
  count = 0;
  other = backups_store_open (backups_store_get_path (f->store), &error);
  g_assert_no_error (error);
  g_signal_handlers_disconnect_by_data (other, &count);
  apply_ok (other, account_id (f), other_snapshot, NULL);
  backups_store_check_external_changes (f->store);
  g_assert_cmpuint (count, ==, 1);

  /* And the store notices by itself within its poll interval. */
  count = 0;
  apply_ok (other, account_id (f), snapshot, NULL);
  g_assert_true (backups_test_wait_until (count_positive, &count, 5000));

  g_signal_handlers_disconnect_by_data (f->store, &count);
}

static void
apply_async_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  BackupsApplyCounts counts = { 0 };
  g_autoptr (GError) error = NULL;

  g_assert_true (
    backups_store_apply_snapshot_finish (BACKUPS_STORE (object), result, &counts, &error));
  g_assert_no_error (error);
  g_assert_cmpuint (counts.inserted, ==, 37);
  *(gboolean *)user_data = TRUE;
}

static void
test_apply_async (Fixture *f, gconstpointer data)
{
  gboolean done = FALSE;

  backups_store_apply_snapshot_async (f->store, account_id (f),
                                      backups_test_make_snapshot ("acme", 3, 10, 4), NULL,
                                      apply_async_cb, &done);
  g_assert_true (backups_test_wait_for (&done, 10000));
  while (g_main_context_iteration (NULL, FALSE))
    ;
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/store/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("first-apply", test_first_apply);
  ADD ("identical-reapply", test_identical_reapply);
  ADD ("one-changed-row", test_one_changed_row);
  ADD ("removed-rows", test_removed_rows);
  ADD ("empty-snapshot", test_empty_snapshot);
  ADD ("failed-apply-rolls-back", test_failed_apply_rolls_back);
  ADD ("out-of-range-time-refused", test_out_of_range_time_refused);
  ADD ("org-isolation", test_org_isolation);
  ADD ("cascade-deletes", test_cascade_deletes);
  ADD ("names", test_names);
  ADD ("sync-status", test_sync_status);
  ADD ("changed-signal", test_changed_signal);
  ADD ("apply-async", test_apply_async);
  ADD ("change-hints", test_change_hints);
  ADD ("read-paths", test_read_paths);
  ADD ("first-by-site", test_first_by_site);
  g_test_add_func ("/store/reopen", test_reopen);
  g_test_add_func ("/store/migration-from-v1", test_migration_from_v1);
  g_test_add_func ("/store/newer-schema-refused", test_newer_schema_refused);
  g_test_add_func ("/store/permissions", test_permissions);

  return g_test_run ();
}
