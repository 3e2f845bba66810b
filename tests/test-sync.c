/* SPDX-License-Identifier: GPL-3.0-or-later */
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

  g_assert_true (backups_secrets_store (
    f->secrets, &(BackupsSecretOwner){ .secret_id = (char *)secret_id }, name, token, &error));
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

static gboolean
array_contains_id (GArray *ids, gint64 id)
{
  for (guint i = 0; ids != NULL && i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

static BackupsIntegration *
find_integration (GPtrArray *integrations, gint64 id)
{
  for (guint i = 0; i < integrations->len; i++)
    if (backups_integration_get_integration_id (g_ptr_array_index (integrations, i)) == id)
      return g_ptr_array_index (integrations, i);
  return NULL;
}

static BackupsSchedule *
find_schedule (GPtrArray *schedules, gint64 id)
{
  for (guint i = 0; i < schedules->len; i++)
    if (backups_schedule_get_schedule_id (g_ptr_array_index (schedules, i)) == id)
      return g_ptr_array_index (schedules, i);
  return NULL;
}

static void
test_full_sync (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;
  g_autoptr (GHashTable) per_site = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GArray) dangling = gridpane_mock_get_dangling_schedules (f->mock, "token-a");
  gboolean           two_schedule_site = FALSE;
  gboolean           weekly_seen = FALSE, monthly_seen = FALSE, remote_seen = FALSE;
  g_autofree gint64 *site_ids = NULL;
  guint              n_dangling_seen = 0, n_linked = 0, n_used = 0;

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
          gint64 schedule_id = backups_schedule_get_schedule_id (s);
          gint64 integration_id = backups_schedule_get_integration_id (s);

          remote_seen = TRUE;
          /* service_id is the storage kind (small ids); the integration is
           * service_user_id (gridpane-api.md, Corrections). */
          g_assert_cmpint (backups_schedule_get_service_id (s), >, 0);
          g_assert_cmpint (backups_schedule_get_service_id (s), <, 100);
          g_assert_cmpint (integration_id, >, 1000);
          if (array_contains_id (dangling, schedule_id))
            {
              /* An integration the account does not have: no name. */
              g_assert_null (backups_schedule_get_destination (s));
              g_assert_null (find_integration (integrations, integration_id));
              n_dangling_seen++;
            }
          else
            {
              BackupsIntegration *integration = find_integration (integrations, integration_id);

              /* The destination is the integration the schedule names. */
              g_assert_nonnull (integration);
              g_assert_cmpstr (backups_schedule_get_destination (s), ==,
                               backups_integration_get_name (integration));
              n_linked++;
            }
        }
      else
        g_assert_null (backups_schedule_get_destination (s));
    }
  g_assert_cmpuint (n_dangling_seen, ==, dangling->len);
  /* "Used by" counts the schedules that name each integration. */
  for (guint i = 0; i < integrations->len; i++)
    n_used += backups_integration_get_used_by (g_ptr_array_index (integrations, i));
  g_assert_cmpuint (n_used, ==, n_linked);
  g_assert_cmpuint (n_linked, >, 0);
  /* Every server a site embeds has its zone from there: none is unknown
   * but those the mock leaves without one. */
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM servers WHERE timezone IS NOT NULL"),
                   >, 0);
  g_assert_true (two_schedule_site);
  g_assert_true (weekly_seen);
  g_assert_true (monthly_seen);
  g_assert_true (remote_seen);

  account = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_OK);
  g_assert_null (backups_account_get_last_sync_error (account));
}

/* Truth on real accounts ----------------------------------------------------- */

static GPtrArray *
org_schedules (Fixture *f)
{
  return backups_store_query_schedules (f->store, backups_org_get_id (f->org), NULL);
}

static gint64
odd_schedule (Fixture *f, GridpaneMockOdd odd)
{
  gint64 site_id = 0, schedule_id = 0;

  g_assert_true (gridpane_mock_get_odd_row (f->mock, "token-a", odd, &site_id, &schedule_id));
  return schedule_id;
}

static gint64
odd_site (Fixture *f, GridpaneMockOdd odd)
{
  gint64 site_id = 0, schedule_id = 0;

  g_assert_true (gridpane_mock_get_odd_row (f->mock, "token-a", odd, &site_id, &schedule_id));
  return site_id;
}

/* Every odd value of gridpane-api.md in one account: the sync succeeds, every
 * row is there, each odd value is unknown with its reason, and the sync run
 * counts the rows it could not read. */
static void
test_odd_values_kept (Fixture *f, gconstpointer data)
{
  guint odd = GRIDPANE_MOCK_ODD_MONTHLY_DAY_31 | GRIDPANE_MOCK_ODD_FREQUENCY_CASE
              | GRIDPANE_MOCK_ODD_HOUR_24 | GRIDPANE_MOCK_ODD_NULL_FREQUENCY
              | GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER | GRIDPANE_MOCK_ODD_FLAG_WORD
              | GRIDPANE_MOCK_ODD_NULL_TIME | GRIDPANE_MOCK_ODD_MISSING_FLAG;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  BackupsSchedule *s;
  guint            n_problems = 0;

  gridpane_mock_set_odd_values (f->mock, "token-a", odd);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);

  schedules = org_schedules (f);
  g_assert_cmpuint (schedules->len, ==, gridpane_mock_get_n_schedules (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM sites"), ==,
                   gridpane_mock_get_n_sites (f->mock, "token-a"));

  s = find_schedule (schedules, odd_schedule (f, GRIDPANE_MOCK_ODD_MONTHLY_DAY_31));
  g_assert_cmpint (backups_schedule_get_frequency (s), ==, BACKUPS_FREQUENCY_MONTHLY);
  g_assert_cmpint (backups_schedule_get_day (s), ==, BACKUPS_NO_VALUE);
  g_assert_nonnull (strstr (backups_schedule_get_problems (s), "day of month 31"));
  g_assert_null (backups_schedule_get_next_run (s, now, NULL));

  s = find_schedule (schedules, odd_schedule (f, GRIDPANE_MOCK_ODD_FREQUENCY_CASE));
  g_assert_cmpint (backups_schedule_get_frequency (s), ==, BACKUPS_FREQUENCY_UNKNOWN);
  g_assert_nonnull (strstr (backups_schedule_get_problems (s), "“Daily”"));

  s = find_schedule (schedules, odd_schedule (f, GRIDPANE_MOCK_ODD_HOUR_24));
  g_assert_cmpint (backups_schedule_get_hour (s), ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (backups_schedule_get_minute (s), >=, 0);
  g_assert_nonnull (strstr (backups_schedule_get_problems (s), "hour 24"));

  s = find_schedule (schedules, odd_schedule (f, GRIDPANE_MOCK_ODD_NULL_FREQUENCY));
  g_assert_cmpint (backups_schedule_get_frequency (s), ==, BACKUPS_FREQUENCY_UNKNOWN);
  g_assert_nonnull (strstr (backups_schedule_get_problems (s), "no frequency"));

  /* A missing time is unknown, never 00:00 with a confident next run. */
  s = find_schedule (schedules, odd_schedule (f, GRIDPANE_MOCK_ODD_NULL_TIME));
  g_assert_cmpint (backups_schedule_get_hour (s), ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (backups_schedule_get_minute (s), ==, BACKUPS_NO_VALUE);
  g_assert_null (backups_schedule_get_next_run (s, now, NULL));
  g_assert_nonnull (backups_schedule_get_problems (s));

  /* Site-level values: "site_customizer": [] is no settings (retention
   * unknown, nothing to report); "local_bup": "enabled" is unknown and
   * reported; a missing flag is unknown, not false, and not an error. */
  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsSchedule *row = g_ptr_array_index (schedules, i);
      gint64           site_id = backups_schedule_get_site_id (row);
      gboolean local = backups_schedule_get_schedule_type (row) == BACKUPS_SCHEDULE_TYPE_LOCAL;

      if (site_id == odd_site (f, GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER))
        g_assert_cmpint (backups_schedule_get_retain_days (row), ==, BACKUPS_NO_VALUE);
      if (local
          && (site_id == odd_site (f, GRIDPANE_MOCK_ODD_FLAG_WORD)
              || site_id == odd_site (f, GRIDPANE_MOCK_ODD_MISSING_FLAG)))
        g_assert_cmpint (backups_schedule_get_enabled (row), ==, BACKUPS_FLAG_UNKNOWN);
      if (backups_schedule_get_problems (row) != NULL)
        n_problems++;
    }
  /* The five odd schedules, and nothing else among the schedules. */
  g_assert_cmpuint (n_problems, ==, 5);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM sites WHERE problems IS NOT NULL"),
                   ==, 1);

  /* The sync says how many rows it could not read, and why. */
  account = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_OK);
  g_assert_cmpuint (backups_account_get_last_sync_unreadable (account), ==, 6);
  g_assert_nonnull (
    strstr (backups_account_get_last_sync_unreadable_reasons (account), "“enabled”"));
  g_assert_cmpint (
    query_int (f->store, "SELECT unreadable FROM sync_runs ORDER BY id DESC LIMIT 1"), ==, 6);

  /* Once GridPane sends good values again, the row and the count follow. */
  gridpane_mock_set_odd_values (f->mock, "token-a", 0);
  g_clear_error (&error);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_clear_object (&account);
  account = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpuint (backups_account_get_last_sync_unreadable (account), ==, 0);
  g_assert_cmpint (
    query_int (f->store, "SELECT COUNT (*) FROM backup_schedules WHERE problems IS NOT NULL"), ==,
    0);
}

/* A body that is not a success fails the account; "false" as a string is
 * not a success either. The previous rows stay. */
static void
test_success_string_fails (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  before = backups_test_dump_store (f->store);

  gridpane_mock_set_odd_values (f->mock, "token-a", GRIDPANE_MOCK_ODD_SUCCESS_STRING);
  error = sync_account (f, f->account_a);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Client A"));
  g_assert_nonnull (strstr (error->message, "reported a failure"));
  after = backups_test_dump_store (f->store);
  g_assert_cmpstr (after, ==, before);
}

typedef struct
{
  const char           *name;
  const char           *path;
  GridpaneMockMetaShape shape;
} MetaCase;

static const MetaCase meta_cases[] = {
  { "site-compact", "/site", GRIDPANE_MOCK_META_COMPACT },
  { "site-laravel", "/site", GRIDPANE_MOCK_META_LARAVEL },
  { "site-links-only", "/site", GRIDPANE_MOCK_META_LINKS_ONLY },
  { "site-next-page-url", "/site", GRIDPANE_MOCK_META_NEXT_PAGE_URL },
  { "server-compact", "/server", GRIDPANE_MOCK_META_COMPACT },
  { "server-links-only", "/server", GRIDPANE_MOCK_META_LINKS_ONLY },
};

/* Every page of a list is read, whichever pagination it speaks: sites of
 * later pages keep their flags and retention. */
static void
test_pagination_shapes (Fixture *f, gconstpointer data)
{
  const MetaCase *c = data;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = NULL;

  /* Pages of 7: 30 sites take 5 pages, 4 servers one. */
  gridpane_mock_set_max_per_page (f->mock, 7);
  if (g_str_equal (c->path, "/server"))
    gridpane_mock_set_max_per_page (f->mock, 3);
  gridpane_mock_set_meta_shape (f->mock, "token-a", c->path, c->shape);

  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, c->path), >, 1);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM sites"), ==,
                   gridpane_mock_get_n_sites (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM servers"), ==,
                   gridpane_mock_get_n_servers (f->mock, "token-a"));

  /* No schedule lost its site's flags: none is unknown. */
  schedules = org_schedules (f);
  for (guint i = 0; i < schedules->len; i++)
    g_assert_cmpint (backups_schedule_get_enabled (g_ptr_array_index (schedules, i)), !=,
                     BACKUPS_FLAG_UNKNOWN);
}

typedef struct
{
  const char *name;
  const char *path;
  int         fault; /* 0 total_extra, 1 short last page, 2 empty page */
  const char *expected;
} IncompleteCase;

static const IncompleteCase incomplete_cases[] = {
  { "site-total-short", "/site", 0, "GridPane returned 30 of 33 sites" },
  { "site-short-last-page", "/site", 1, "GridPane returned 15 of 30 sites" },
  { "site-empty-page", "/site", 2, "page 2 is empty" },
  { "server-total-short", "/server", 0, "GridPane returned 4 of 7 servers" },
  { "schedules-total-short", "/backups/schedules", 0,
    "GridPane returned the backup schedules of 30 of 33 sites" },
  { "integrations-total-short", "/backups/integrations", 0,
    "GridPane returned 5 of 8 backup integrations" },
};

/* An incomplete list is an error, never a snapshot: the message names the
 * account and the list, and the previous rows stay exactly as they were. */
static void
test_incomplete_list (Fixture *f, gconstpointer data)
{
  const IncompleteCase *c = data;
  g_autoptr (GError) error = sync_account (f, f->account_a);
  g_autoptr (BackupsAccount) account = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  g_assert_no_error (error);
  before = backups_test_dump_store (f->store);

  gridpane_mock_set_max_per_page (f->mock, 10);
  if (g_str_has_prefix (c->path, "/backups/"))
    gridpane_mock_set_list_page_size (f->mock, "token-a", c->path, 10);
  switch (c->fault)
    {
    case 0:
      gridpane_mock_set_total_extra (f->mock, "token-a", c->path, 3);
      break;
    case 1:
      gridpane_mock_set_short_last_page (f->mock, "token-a", c->path, TRUE);
      break;
    default:
      gridpane_mock_set_empty_page (f->mock, "token-a", c->path, 2);
      break;
    }

  error = sync_account (f, f->account_a);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "Client A"));
  if (strstr (error->message, c->expected) == NULL)
    g_error ("“%s” does not say “%s”", error->message, c->expected);

  after = backups_test_dump_store (f->store);
  g_assert_cmpstr (after, ==, before);
  account = backups_store_get_account (f->store, backups_account_get_id (f->account_a), NULL);
  g_assert_cmpint (backups_account_get_last_sync_status (account), ==, BACKUPS_SYNC_STATUS_ERROR);
}

/* The backup lists follow their meta when they come in pages. */
static void
test_paginated_backup_lists (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  gridpane_mock_set_list_page_size (f->mock, "token-a", "/backups/schedules", 7);
  gridpane_mock_set_list_page_size (f->mock, "token-a", "/backups/integrations", 2);
  error = sync_account (f, f->account_a);
  g_assert_no_error (error);
  g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, "/backups/schedules"), ==, 5);
  g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, "/backups/integrations"), ==, 3);
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM backup_schedules"), ==,
                   gridpane_mock_get_n_schedules (f->mock, "token-a"));
  g_assert_cmpint (query_int (f->store, "SELECT COUNT (*) FROM backup_integrations"), ==,
                   gridpane_mock_get_n_integrations (f->mock, "token-a"));
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
  ADD ("odd-values-kept", test_odd_values_kept, NULL);
  ADD ("success-string-fails", test_success_string_fails, NULL);
  ADD ("paginated-backup-lists", test_paginated_backup_lists, NULL);
  for (guint i = 0; i < G_N_ELEMENTS (meta_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/sync/pages/", meta_cases[i].name, NULL);

      g_test_add (path, Fixture, &meta_cases[i], fixture_set_up, test_pagination_shapes,
                  fixture_tear_down);
    }
  for (guint i = 0; i < G_N_ELEMENTS (incomplete_cases); i++)
    {
      g_autofree char *path = g_strconcat ("/sync/incomplete/", incomplete_cases[i].name, NULL);

      g_test_add (path, Fixture, &incomplete_cases[i], fixture_set_up, test_incomplete_list,
                  fixture_tear_down);
    }
  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/sync/fault/%s", fault_cases[i].name);

      g_test_add (path, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
