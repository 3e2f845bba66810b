/* test-sync.c: the whole pipeline over real HTTP on loopback: mock
 * GridPane → client → provider → sync service → store. */
#include <sqlite3.h>
#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-store-private.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

typedef struct
{
  GridpaneMock       *mock;
  char               *base_url;
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  BackupsOrg         *org;
  BackupsAccount     *account_a;
  BackupsAccount     *account_b;
} Fixture;

static BackupsAccount *
add_account (Fixture *f, const char *name, const char *token)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *secret_id = backups_secrets_generate_id ();
  BackupsAccount  *account;

  g_assert_true (backups_secrets_store (f->secrets, secret_id, name, token, &error));
  account = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", name,
                                       f->base_url, secret_id, &error);
  g_assert_no_error (error);
  return account;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* Short waits so faults and rate limits don't slow the suite down. */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "3", TRUE);
  g_setenv ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS", "50", TRUE);

  f->mock = gridpane_mock_new ();
  gridpane_mock_set_rate_limits (f->mock, FALSE, 0, 0, 60, 27);
  gridpane_mock_add_account (
    f->mock, "token-a",
    &(GridpaneMockFleetOptions){
      .seed = 1, .n_servers = 4, .n_sites = 30, .n_integrations = 5, .name_prefix = "alpha" });
  gridpane_mock_add_account (
    f->mock, "token-b",
    &(GridpaneMockFleetOptions){
      .seed = 2, .n_servers = 2, .n_sites = 12, .n_integrations = 3, .name_prefix = "bravo" });
  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
  f->base_url = gridpane_mock_get_base_url (f->mock);

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  f->secrets = backups_secrets_new_memory ();
  f->service
    = backups_sync_service_new (f->store, f->secrets, backups_gridpane_provider_factory, NULL);
  f->org = backups_store_add_org (f->store, "Agency", &error);
  f->account_a = add_account (f, "Client A", "token-a");
  f->account_b = add_account (f, "Client B", "token-b");
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_object (&f->account_a);
  g_clear_object (&f->account_b);
  g_clear_object (&f->org);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (f->service);
  g_clear_object (&f->secrets);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (f->store);
  gridpane_mock_stop (f->mock);
  g_clear_object (&f->mock);
  g_clear_pointer (&f->base_url, g_free);
}

typedef struct
{
  gboolean done;
  GError  *error;
} SyncResult;

static void
account_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncResult *r = user_data;

  backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

static void
org_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncResult *r = user_data;

  backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

/* Syncs one account to the end; returns its error (or NULL). */
static GError *
sync_account (Fixture *f, BackupsAccount *account)
{
  SyncResult r = { 0 };

  backups_sync_service_sync_account_async (f->service, backups_account_get_id (account), NULL,
                                           account_done_cb, &r);
  g_assert_true (backups_test_wait_for (&r.done, 60000));
  return r.error;
}

static GError *
sync_org (Fixture *f)
{
  SyncResult r = { 0 };

  backups_sync_service_sync_org_async (f->service, backups_org_get_id (f->org), NULL, org_done_cb,
                                       &r);
  g_assert_true (backups_test_wait_for (&r.done, 60000));
  return r.error;
}

static gint64
query_int (BackupsStore *store, const char *sql)
{
  sqlite3      *db = backups_store_acquire_connection (store, NULL);
  sqlite3_stmt *stmt = NULL;
  gint64        value = -1;

  g_assert_cmpint (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL), ==, SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    value = sqlite3_column_int64 (stmt, 0);
  sqlite3_finalize (stmt);
  backups_store_release_connection (store, db);
  return value;
}

static guint
count_account_schedules (Fixture *f, BackupsAccount *account)
{
  g_autoptr (GPtrArray) rows
    = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  guint n = 0;

  for (guint i = 0; i < rows->len; i++)
    if (backups_schedule_get_account_id (g_ptr_array_index (rows, i))
        == backups_account_get_id (account))
      n++;
  return n;
}

static void
test_full_sync (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;
  g_autoptr (GHashTable) per_site = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (BackupsAccount) account = NULL;
  gboolean           two_schedule_site = FALSE;
  gboolean           weekly_seen = FALSE, monthly_seen = FALSE, remote_seen = FALSE;
  g_autofree gint64 *site_ids = NULL;

  g_assert_no_error (error);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (schedules->len, ==, gridpane_mock_get_n_schedules (f->mock, "token-a"));
  g_assert_cmpuint (schedules->len, >, 0);
  integrations = backups_store_query_integrations (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpuint (integrations->len, ==, gridpane_mock_get_n_integrations (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM sites"), ==,
                   gridpane_mock_get_n_sites (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM servers"), ==,
                   gridpane_mock_get_n_servers (f->mock, "token-a"));

  site_ids = g_new0 (gint64, schedules->len);
  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsSchedule *s = g_ptr_array_index (schedules, i);
      gint64          *count;

      site_ids[i] = backups_schedule_get_site_id (s);
      count = g_hash_table_lookup (per_site, &site_ids[i]);
      g_hash_table_insert (per_site, &site_ids[i], GINT_TO_POINTER (GPOINTER_TO_INT (count) + 1));
      if (GPOINTER_TO_INT (count) + 1 >= 2)
        two_schedule_site = TRUE;

      g_assert_nonnull (backups_schedule_get_site_url (s));
      g_assert_true (strstr (backups_schedule_get_site_url (s), "alpha") != NULL);
      /* An hourly schedule has no hour; the others have one. */
      if (backups_schedule_get_frequency (s) == BACKUPS_FREQUENCY_HOURLY)
        g_assert_cmpint (backups_schedule_get_hour (s), ==, BACKUPS_NO_VALUE);
      else
        g_assert_cmpint (backups_schedule_get_hour (s), >=, 0);
      g_assert_cmpint (backups_schedule_get_hour (s), <=, 23);
      g_assert_cmpint (backups_schedule_get_minute (s), >=, 0);
      g_assert_cmpint (backups_schedule_get_minute (s), <=, 59);
      g_assert_null (backups_schedule_get_problems (s));
      g_assert_nonnull (backups_schedule_get_server_label (s));

      switch (backups_schedule_get_frequency (s))
        {
        case BACKUPS_FREQUENCY_WEEKLY:
          weekly_seen = TRUE;
          g_assert_cmpint (backups_schedule_get_day (s), >=, 0);
          g_assert_cmpint (backups_schedule_get_day (s), <=, 6);
          break;
        case BACKUPS_FREQUENCY_MONTHLY:
          monthly_seen = TRUE;
          g_assert_cmpint (backups_schedule_get_day (s), >=, 1);
          g_assert_cmpint (backups_schedule_get_day (s), <=, 28);
          break;
        case BACKUPS_FREQUENCY_HOURLY:
        case BACKUPS_FREQUENCY_DAILY:
        default:
          g_assert_cmpint (backups_schedule_get_day (s), ==, BACKUPS_NO_VALUE);
          break;
        }

      if (backups_schedule_get_schedule_type (s) == BACKUPS_SCHEDULE_TYPE_REMOTE)
        {
          remote_seen = TRUE;
          g_assert_cmpint (backups_schedule_get_service_id (s), >, 0);
          /* The destination is the integration the schedule names. */
          g_assert_nonnull (backups_schedule_get_destination (s));
        }
      else
        g_assert_null (backups_schedule_get_destination (s));
    }
  g_assert_true (two_schedule_site);
  g_assert_true (weekly_seen);
  g_assert_true (monthly_seen);
  g_assert_true (remote_seen);

  account = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_OK);
  g_assert_null (backups_account_get_last_sync_error (account));
}

static void
test_identical_resync (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autofree char *before = NULL;

  g_assert_no_error (error);
  before = backups_test_dump_store (f->store);

  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  {
    g_autofree char *now = backups_test_dump_store (f->store);

    g_assert_cmpstr (now, ==, before);
  }
  g_assert_cmpint (query_int (f->store, "SELECT inserted + updated + deleted FROM sync_runs "
                                        "ORDER BY id DESC LIMIT 1"),
                   ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT unchanged FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   >, 0);
}

static void
test_changes_follow (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autoptr (GPtrArray) schedules = NULL;
  gint64 first_id, second_id;

  g_assert_no_error (error);
  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  first_id = backups_schedule_get_schedule_id (g_ptr_array_index (schedules, 0));
  second_id = backups_schedule_get_schedule_id (g_ptr_array_index (schedules, 1));
  g_clear_pointer (&schedules, g_ptr_array_unref);

  g_assert_true (gridpane_mock_remove_schedule (f->mock, "token-a", first_id));
  g_assert_true (gridpane_mock_set_schedule_time (f->mock, "token-a", second_id, 13, 45));
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT deleted FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT updated FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   ==, 1);
  g_assert_cmpint (query_int (f->store, "SELECT inserted FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   ==, 0);

  schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
  g_assert_cmpint (backups_schedule_get_schedule_id (g_ptr_array_index (schedules, 0)), ==,
                   second_id);
  g_assert_cmpint (backups_schedule_get_hour (g_ptr_array_index (schedules, 0)), ==, 13);
  g_assert_cmpint (backups_schedule_get_minute (g_ptr_array_index (schedules, 0)), ==, 45);
  g_clear_pointer (&schedules, g_ptr_array_unref);

  /* A bigger change: removals, additions and edits all land. */
  gridpane_mock_mutate_fleet (f->mock, "token-a", 7);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==,
                    gridpane_mock_get_n_schedules (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM backup_integrations"), ==,
                   gridpane_mock_get_n_integrations (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT inserted FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   >, 0);
  g_assert_cmpint (query_int (f->store, "SELECT deleted FROM sync_runs ORDER BY id DESC LIMIT 1"),
                   >, 0);

  /* Everything gone upstream: the cache follows. */
  gridpane_mock_clear_fleet (f->mock, "token-a");
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==, 0);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM sites"), ==, 0);
}

static void
test_org_sync_one_account_fails (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) b = NULL;

  gridpane_mock_set_fault (f->mock, "token-b", NULL, GRIDPANE_MOCK_FAULT_STATUS, 401, 0, 0);
  error = sync_org (f);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "Client B"));
  g_assert_null (strstr (error->message, "Client A"));

  /* A synced despite B. */
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==,
                    gridpane_mock_get_n_schedules (f->mock, "token-a"));
  g_assert_cmpuint (count_account_schedules (f, f->account_b), ==, 0);

  b = backups_store_get_account (f->store, backups_account_get_id (f->account_b), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (b), ==, BACKUPS_SYNC_STATUS_ERROR);
  g_assert_nonnull (strstr (backups_account_get_last_sync_error (b), "Client B"));
  g_assert_nonnull (strstr (backups_account_get_last_sync_error (b), "401"));
}

typedef struct
{
  const char           *name;
  const char           *path;
  GridpaneMockFaultKind kind;
  guint                 status;
  guint                 delay_ms;
  int                   code; /* expected BACKUPS_ERROR code, -1 = any */
} FaultCase;

static const FaultCase fault_cases[] = {
  { "500", "/backups/schedules", GRIDPANE_MOCK_FAULT_STATUS, 500, 0, BACKUPS_ERROR_SERVER },
  { "502-html", "/site", GRIDPANE_MOCK_FAULT_HTML, 502, 0, BACKUPS_ERROR_SERVER },
  { "401", "/backups/integrations", GRIDPANE_MOCK_FAULT_STATUS, 401, 0,
    BACKUPS_ERROR_UNAUTHORIZED },
  { "403", "/server", GRIDPANE_MOCK_FAULT_STATUS, 403, 0, BACKUPS_ERROR_UNAUTHORIZED },
  { "404", "/backups/schedules", GRIDPANE_MOCK_FAULT_STATUS, 404, 0, BACKUPS_ERROR_NOT_FOUND },
  { "truncated", "/backups/schedules", GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "reset", "/site", GRIDPANE_MOCK_FAULT_RESET, 0, 0, -1 },
  { "invalid-json", "/backups/integrations", GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "wrong-types", "/backups/schedules", GRIDPANE_MOCK_FAULT_WRONG_TYPES, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "wrong-field-types", "/backups/schedules", GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "missing-fields", "/site", GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "non-utf8", "/backups/schedules", GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE },
  { "repeat-page", "/site", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, BACKUPS_ERROR_INVALID_RESPONSE },
  { "slow-body", "/backups/schedules", GRIDPANE_MOCK_FAULT_SLOW_BODY, 0, 8000,
    BACKUPS_ERROR_TIMED_OUT },
  { "429-bare", "/server", GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, 0, 0, BACKUPS_ERROR_RATE_LIMITED },
};

static void
test_fault (Fixture *f, gconstpointer data)
{
  const FaultCase *fault = data;
  g_autoptr (GError) error = sync_org (f);
  g_autofree char *before = NULL;
  g_autoptr (BackupsAccount) a = NULL;

  g_assert_no_error (error);
  /* Change upstream so a sync that went through would write. */
  gridpane_mock_mutate_fleet (f->mock, "token-a", 3);
  before = backups_test_dump_store (f->store);

  gridpane_mock_set_fault (f->mock, "token-a", fault->path, fault->kind, fault->status,
                           fault->delay_ms, 0);
  error = sync_account (f, f->account_a);

  g_assert_nonnull (error);
  g_assert_true (error->domain == BACKUPS_ERROR);
  if (fault->code >= 0)
    g_assert_cmpint (error->code, ==, fault->code);
  g_assert_nonnull (strstr (error->message, "Client A"));
  g_test_message ("%s: %s", fault->name, error->message);

  /* Not one row changed. */
  {
    g_autofree char *now = backups_test_dump_store (f->store);

    g_assert_cmpstr (now, ==, before);
  }
  a = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (a), ==, BACKUPS_SYNC_STATUS_ERROR);
  g_assert_cmpstr (backups_account_get_last_sync_error (a), ==, error->message);
  g_clear_error (&error);

  /* The other account of the org still syncs. */
  gridpane_mock_mutate_fleet (f->mock, "token-b", 4);
  error = sync_account (f, f->account_b);
  g_assert_no_error (error);
  g_assert_cmpuint (count_account_schedules (f, f->account_b), ==,
                    gridpane_mock_get_n_schedules (f->mock, "token-b"));

  /* And once the fault is gone, A recovers. */
  gridpane_mock_clear_faults (f->mock);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==,
                    gridpane_mock_get_n_schedules (f->mock, "token-a"));
}

static void
test_rate_limit_honoured (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* Two 429s with GridPane's headers (Retry-After-Endpoint: 1), then fine. */
  gridpane_mock_set_fault (f->mock, "token-a", "/backups/schedules", GRIDPANE_MOCK_FAULT_RATE_LIMIT,
                           0, 1000, 2);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (f->mock), ==, 2);
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==,
                    gridpane_mock_get_n_schedules (f->mock, "token-a"));
}

static void
syncing_notify_cb (GObject *object, GParamSpec *pspec, GString *log)
{
  g_string_append_c (log,
                     backups_sync_service_get_syncing (BACKUPS_SYNC_SERVICE (object)) ? '1' : '0');
}

static void
started_cb (BackupsSyncService *service, gint64 account_id, GString *log)
{
  g_string_append (log, "s");
}

static void
finished_cb (BackupsSyncService *service, gint64 account_id, const GError *error, GString *log)
{
  g_string_append (log, error ? "E" : "f");
}

static void
test_join_and_syncing (Fixture *f, gconstpointer data)
{
  g_autoptr (GString) log = g_string_new (NULL);
  SyncResult first = { 0 }, second = { 0 }, org = { 0 };

  gridpane_mock_set_latency (f->mock, 30);
  g_signal_connect (f->service, "notify::syncing", G_CALLBACK (syncing_notify_cb), log);
  g_signal_connect (f->service, "account-started", G_CALLBACK (started_cb), log);
  g_signal_connect (f->service, "account-finished", G_CALLBACK (finished_cb), log);

  backups_sync_service_sync_account_async (f->service, backups_account_get_id (f->account_a), NULL,
                                           account_done_cb, &first);
  backups_sync_service_sync_account_async (f->service, backups_account_get_id (f->account_a), NULL,
                                           account_done_cb, &second);
  backups_sync_service_sync_org_async (f->service, backups_org_get_id (f->org), NULL, org_done_cb,
                                       &org);
  g_assert_true (backups_sync_service_get_syncing (f->service));
  g_assert_true (
    backups_sync_service_is_account_syncing (f->service, backups_account_get_id (f->account_a)));

  g_assert_true (backups_test_wait_for (&first.done, 30000));
  g_assert_true (backups_test_wait_for (&second.done, 30000));
  g_assert_true (backups_test_wait_for (&org.done, 30000));
  g_assert_no_error (first.error);
  g_assert_no_error (second.error);
  g_assert_no_error (org.error);

  /* One sync of A (joined three times), one of B; syncing went 0→1→0 once. */
  g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, "/backups/schedules"), ==, 2);
  g_assert_cmpstr (log->str, ==, "1ssff0");
  g_assert_false (backups_sync_service_get_syncing (f->service));
  g_signal_handlers_disconnect_by_data (f->service, log);
}

static void
test_cancellation_writes_nothing (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autofree char *before = NULL;
  g_autoptr (BackupsAccount) a = NULL;
  SyncResult r = { 0 };

  g_assert_no_error (error);
  gridpane_mock_mutate_fleet (f->mock, "token-a", 5);
  gridpane_mock_set_latency (f->mock, 200);
  before = backups_test_dump_store (f->store);

  backups_sync_service_sync_account_async (f->service, backups_account_get_id (f->account_a),
                                           cancellable, account_done_cb, &r);
  /* Let a request or two go out, then cancel mid-sync. */
  g_timeout_add_once (250, (GSourceOnceFunc)g_cancellable_cancel, cancellable);
  g_assert_true (backups_test_wait_for (&r.done, 30000));
  g_assert_error (r.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&r.error);

  {
    g_autofree char *now = backups_test_dump_store (f->store);

    g_assert_cmpstr (now, ==, before);
  }
  a = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  /* Silent: no error recorded, the previous status is back. */
  g_assert_cmpint (backups_account_get_last_sync_status (a), ==, BACKUPS_SYNC_STATUS_OK);
  g_assert_null (backups_account_get_last_sync_error (a));
}

static void
test_sync_timeout (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  backups_sync_service_set_timeout (f->service, 1);
  gridpane_mock_set_latency (f->mock, 700);
  error = sync_account (f, f->account_a);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_TIMED_OUT);
  g_assert_nonnull (strstr (error->message, "Client A"));
  g_assert_cmpuint (count_account_schedules (f, f->account_a), ==, 0);
}

static void
test_missing_token (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  backups_secrets_clear (f->secrets, backups_account_get_secret_id (f->account_a), NULL);
  error = sync_account (f, f->account_a);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
  g_assert_nonnull (strstr (error->message, "Client A"));
}

static void
test_secrets_not_stored (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *wal = g_strconcat (backups_store_get_path (f->store), "-wal", NULL);

  gridpane_mock_set_integration_secret (f->mock, NULL, "SENTINEL-S3-SECRET-42");
  error = sync_org (f);
  g_assert_no_error (error);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM backup_integrations"), >, 0);
  g_assert_false (
    backups_test_file_contains (backups_store_get_path (f->store), "SENTINEL-S3-SECRET-42"));
  g_assert_false (backups_test_file_contains (wal, "SENTINEL-S3-SECRET-42"));
  /* The account tokens are not in the cache either. */
  g_assert_false (backups_test_file_contains (wal, "token-a"));
  g_assert_false (backups_test_file_contains (backups_store_get_path (f->store), "token-a"));
}

static void
test_http_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;

  provider = backups_gridpane_provider_factory (
    "gridpane", "Client C", "http://my.gridpane.com/oauth/api/v1", "t", NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "https"));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func, data)                                                                      \
  g_test_add ("/sync/" path, Fixture, data, fixture_set_up, func, fixture_tear_down)

  ADD ("full-sync", test_full_sync, NULL);
  ADD ("identical-resync", test_identical_resync, NULL);
  ADD ("changes-follow", test_changes_follow, NULL);
  ADD ("org-one-account-fails", test_org_sync_one_account_fails, NULL);
  ADD ("rate-limit-honoured", test_rate_limit_honoured, NULL);
  ADD ("join-and-syncing", test_join_and_syncing, NULL);
  ADD ("cancellation-writes-nothing", test_cancellation_writes_nothing, NULL);
  ADD ("timeout", test_sync_timeout, NULL);
  ADD ("missing-token", test_missing_token, NULL);
  ADD ("secrets-not-stored", test_secrets_not_stored, NULL);
  ADD ("http-refused", test_http_refused, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync/fault/%s", fault_cases[i].name);

      g_test_add (path, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
