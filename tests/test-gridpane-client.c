/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gridpane-client.c: the GridPane client and provider over real HTTP
 * on loopback, against the mock. */
#include "config.h"

#include <libsoup/soup.h>
#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define TOKEN "token-client-a"
#define ACCOUNT "Client A"
#define SENTINEL "SENTINEL-1nt3gr4t10n-s3cr3t"
#define WAIT_MS 60000

typedef struct
{
  GridpaneMock    *mock;
  char            *base_url;
  BackupsProvider *provider;
} Fixture;

static void
setup_fleet (Fixture *fixture, const GridpaneMockFleetOptions *fleet)
{
  g_autoptr (GError) error = NULL;

  fixture->mock = gridpane_mock_new ();
  gridpane_mock_add_account (fixture->mock, TOKEN, fleet);
  /* Tests that want limits turn them on themselves. */
  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60.0, 27);
  g_assert_true (gridpane_mock_start (fixture->mock, 0, &error));
  g_assert_no_error (error);
  fixture->base_url = gridpane_mock_get_base_url (fixture->mock);

  fixture->provider = backups_gridpane_provider_new (ACCOUNT, fixture->base_url, TOKEN, &error);
  g_assert_no_error (error);
  g_assert_nonnull (fixture->provider);
}

static void
setup (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions fleet
    = { .seed = 7, .n_servers = 6, .n_sites = 45, .n_integrations = 6, .name_prefix = "clienta" };

  setup_fleet (fixture, &fleet);
}

static void
teardown (Fixture *fixture, gconstpointer data)
{
  g_assert_finalize_object (fixture->provider);
  gridpane_mock_stop (fixture->mock);
  g_assert_finalize_object (fixture->mock);
  g_free (fixture->base_url);
}

static BackupsGridpaneClient *
client_of (Fixture *fixture)
{
  return backups_gridpane_provider_get_client (BACKUPS_GRIDPANE_PROVIDER (fixture->provider));
}

/* ---------------------------------------------------------------------- */
/* Running async calls to completion                                      */

typedef struct
{
  GAsyncResult *result;
  gboolean      done;
} Waiter;

static void
on_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Waiter *waiter = user_data;

  waiter->result = g_object_ref (result);
  waiter->done = TRUE;
}

static GPtrArray *
fetch (BackupsProvider *provider,
       BackupsResource  resource,
       GCancellable    *cancellable,
       GError         **error)
{
  Waiter     waiter = { NULL, FALSE };
  GPtrArray *records;

  backups_provider_fetch_async (provider, resource, cancellable, on_done, &waiter);
  g_assert_true (backups_test_wait_for (&waiter.done, WAIT_MS));
  records = backups_provider_fetch_finish (provider, resource, waiter.result, error);
  g_object_unref (waiter.result);
  return records;
}

static gboolean
validate (BackupsProvider *provider, GError **error)
{
  Waiter   waiter = { NULL, FALSE };
  gboolean ok;

  backups_provider_validate_async (provider, NULL, on_done, &waiter);
  g_assert_true (backups_test_wait_for (&waiter.done, WAIT_MS));
  ok = backups_provider_validate_finish (provider, waiter.result, error);
  g_object_unref (waiter.result);
  return ok;
}

static void
assert_account_error (const GError *error, gint code)
{
  g_assert_error (error, BACKUPS_ERROR, code);
  g_test_message ("%s", error->message);
  g_assert_nonnull (strstr (error->message, "‘" ACCOUNT "’"));
  g_assert_null (strstr (error->message, TOKEN));
}

/* ---------------------------------------------------------------------- */

static void
test_validate (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) bad = NULL;

  g_assert_true (validate (fixture->provider, &error));
  g_assert_no_error (error);

  bad = backups_gridpane_provider_new (ACCOUNT, fixture->base_url, "not-the-token", &error);
  g_assert_no_error (error);
  g_assert_false (validate (bad, &error));
  assert_account_error (error, BACKUPS_ERROR_UNAUTHORIZED);
  g_assert_nonnull (strstr (error->message, "HTTP 401"));
  g_assert_nonnull (strstr (error->message, "Accounts"));
}

static void
test_fetch_all (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) servers = NULL;
  g_autoptr (GPtrArray) sites = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;
  g_autoptr (GHashTable) sites_with_two = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GHashTable) seen = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n_two = 0;

  gridpane_mock_set_integration_secret (fixture->mock, NULL, SENTINEL);

  servers = fetch (fixture->provider, BACKUPS_RESOURCE_SERVERS, NULL, &error);
  g_assert_no_error (error);
  sites = fetch (fixture->provider, BACKUPS_RESOURCE_SITES, NULL, &error);
  g_assert_no_error (error);
  schedules = fetch (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES, NULL, &error);
  g_assert_no_error (error);
  integrations = fetch (fixture->provider, BACKUPS_RESOURCE_BACKUP_INTEGRATIONS, NULL, &error);
  g_assert_no_error (error);

  g_assert_cmpuint (servers->len, ==, gridpane_mock_get_n_servers (fixture->mock, TOKEN));
  g_assert_cmpuint (sites->len, ==, gridpane_mock_get_n_sites (fixture->mock, TOKEN));
  g_assert_cmpuint (schedules->len, ==, gridpane_mock_get_n_schedules (fixture->mock, TOKEN));
  g_assert_cmpuint (integrations->len, ==, gridpane_mock_get_n_integrations (fixture->mock, TOKEN));
  g_assert_cmpuint (schedules->len, >, 0);

  /* Every schedule kept by its own id, both of a two-schedule site too. */
  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsScheduleRecord *schedule = g_ptr_array_index (schedules, i);

      g_assert_false (g_hash_table_contains (seen, &schedule->remote_id));
      g_hash_table_add (seen, &schedule->remote_id);
      if (g_hash_table_contains (sites_with_two, &schedule->site_remote_id))
        n_two++;
      g_hash_table_add (sites_with_two, &schedule->site_remote_id);
    }
  g_assert_cmpuint (n_two, >, 0);

  for (guint i = 0; i < integrations->len; i++)
    {
      BackupsIntegrationRecord *integration = g_ptr_array_index (integrations, i);

      /* Only the allow-listed members are read: no field holds a secret. */
      g_assert_null (strstr (integration->name, SENTINEL));
      g_assert_null (strstr (integration->service, SENTINEL));
      g_assert_true (integration->region == NULL || strstr (integration->region, SENTINEL) == NULL);
    }

  /* One request per list: the page size is large enough. */
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, 1);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/server"), ==, 1);
}

static void
test_multi_page (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sites = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  guint n_sites = gridpane_mock_get_n_sites (fixture->mock, TOKEN);
  guint expected_pages = (n_sites + 9) / 10;

  /* The server caps the page size below what the client asks for. */
  gridpane_mock_set_max_per_page (fixture->mock, 10);
  sites = fetch (fixture->provider, BACKUPS_RESOURCE_SITES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sites->len, ==, n_sites);
  for (guint i = 0; i < sites->len; i++)
    g_hash_table_add (ids, &((BackupsSiteRecord *)g_ptr_array_index (sites, i))->remote_id);
  g_assert_cmpuint (g_hash_table_size (ids), ==, n_sites);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, expected_pages);
}

static void
test_repeat_page (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sites = NULL;

  gridpane_mock_set_max_per_page (fixture->mock, 10);
  gridpane_mock_set_fault (fixture->mock, NULL, "/site", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, 0);
  sites = fetch (fixture->provider, BACKUPS_RESOURCE_SITES, NULL, &error);
  g_assert_null (sites);
  assert_account_error (error, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, 2);
}

static void
test_rate_limit_retry (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  BackupsGridpaneStats stats;
  gint64               start = g_get_monotonic_time ();

  /* Retry-After-Endpoint: 1 → wait 2 s, then success. */
  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                           GRIDPANE_MOCK_FAULT_RATE_LIMIT, 0, 1000, 1);
  schedules = fetch (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (schedules->len, ==, gridpane_mock_get_n_schedules (fixture->mock, TOKEN));

  backups_gridpane_client_get_stats (client_of (fixture), &stats);
  g_assert_cmpuint (stats.n_rate_limited, ==, 1);
  g_assert_cmpuint (stats.n_retries, ==, 1);
  g_assert_cmpuint (stats.n_requests, ==, 2);
  g_assert_cmpint (stats.wait_ms, >=, 1900);
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 1900 * 1000);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 1);
}

static void
test_rate_limit_give_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) schedules = NULL;
  BackupsGridpaneClient *client = client_of (fixture);
  BackupsGridpaneStats   stats;

  /* No headers at all: the default wait, made short here. */
  backups_gridpane_client_set_retry_default_ms (client, 20);
  backups_gridpane_client_set_max_retries (client, 3);
  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                           GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, 0, 0, 0);
  schedules = fetch (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES, NULL, &error);
  g_assert_null (schedules);
  assert_account_error (error, BACKUPS_ERROR_RATE_LIMITED);

  backups_gridpane_client_get_stats (client, &stats);
  g_assert_cmpuint (stats.n_requests, ==, 4);
  g_assert_cmpuint (stats.n_rate_limited, ==, 4);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/backups/schedules"), ==, 4);
}

static void
test_large_fleet_paced (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions fleet
    = { .seed = 11, .n_servers = 40, .n_sites = 3000, .n_integrations = 8, .name_prefix = "big" };
  BackupsGridpaneClient       *client;
  BackupsGridpaneStats         stats;
  static const BackupsResource resources[] = {
    BACKUPS_RESOURCE_SERVERS,
    BACKUPS_RESOURCE_SITES,
    BACKUPS_RESOURCE_BACKUP_SCHEDULES,
    BACKUPS_RESOURCE_BACKUP_INTEGRATIONS,
  };

  g_clear_object (&fixture->provider);
  gridpane_mock_stop (fixture->mock);
  g_clear_object (&fixture->mock);
  g_clear_pointer (&fixture->base_url, g_free);
  setup_fleet (fixture, &fleet);

  /* GridPane's budgets, on a one-second window. The mock sends no reset on
   * success, so the client is told the window length. */
  gridpane_mock_set_rate_limits (fixture->mock, TRUE, 12, 60, 1.0, 27);
  client = client_of (fixture);
  backups_gridpane_client_set_rate_window_ms (client, 1000);
  /* Any 429 would be visible, not hidden by a short retry. */
  backups_gridpane_client_set_max_retries (client, 0);

  /* Twice, so the second round starts inside a used window. */
  for (guint round = 0; round < 2; round++)
    for (guint i = 0; i < G_N_ELEMENTS (resources); i++)
      {
        g_autoptr (GError) error = NULL;
        g_autoptr (GPtrArray) records = fetch (fixture->provider, resources[i], NULL, &error);

        g_assert_no_error (error);
        if (resources[i] == BACKUPS_RESOURCE_SITES)
          g_assert_cmpuint (records->len, ==, 3000);
      }

  backups_gridpane_client_get_stats (client, &stats);
  g_test_message ("requests %u, 429s %u, waited %" G_GINT64_FORMAT " ms", stats.n_requests,
                  stats.n_rate_limited, stats.wait_ms);
  g_assert_cmpuint (stats.n_rate_limited, ==, 0);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 0);
  /* Normally the client had to pace; a very slow run (sanitizers) may
   * spread the requests over enough windows by itself. */
  if (stats.pacing_wait_ms == 0)
    g_test_message ("no pacing was needed: the run was slower than the limits");
  /* 3000 sites at 300 a page. */
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, 20);
}

/* GridPane sends no reset on a success: when the budget runs out, the
 * client waits for the window to turn, counted from the window's first
 * request rather than from the response that found the budget spent, and
 * it does not spread the last requests over a window it can only guess. */
static void
test_rate_window_counted_from_its_start (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sites = NULL;
  BackupsGridpaneClient *client = client_of (fixture);
  BackupsGridpaneStats   stats;
  gint64                 start;
  gint64                 elapsed_ms;

  /* /site pages cost 2 of the 12 per window: 6 pages a window. */
  gridpane_mock_set_rate_limits (fixture->mock, TRUE, 12, 60, 1.0, 27);
  backups_gridpane_client_set_rate_window_ms (client, 1000);
  backups_gridpane_client_set_max_retries (client, 0);
  backups_gridpane_client_set_per_page (client, 3);

  start = g_get_monotonic_time ();
  sites = fetch (fixture->provider, BACKUPS_RESOURCE_SITES, NULL, &error);
  elapsed_ms = (g_get_monotonic_time () - start) / 1000;
  g_assert_no_error (error);
  g_assert_cmpuint (sites->len, ==, 45);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, 15);

  backups_gridpane_client_get_stats (client, &stats);
  g_test_message ("15 pages in %" G_GINT64_FORMAT " ms, %" G_GINT64_FORMAT " ms pacing", elapsed_ms,
                  stats.pacing_wait_ms);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 0);
  g_assert_cmpuint (stats.n_rate_limited, ==, 0);
  /* Pages 7 and 13 had to wait for the second and third windows... */
  g_assert_cmpint (elapsed_ms, >=, 2000);
  /* ...and no longer: spreading the last pages of each window, then
   * waiting a whole window from the response that spent it, takes 2.8 s. */
  g_assert_cmpint (elapsed_ms, <, 2500);
}

typedef struct
{
  const char           *path;
  BackupsResource       resource;
  GridpaneMockFaultKind kind;
  guint                 status;
  guint                 delay_ms;
  BackupsErrorCode      code;
  const char           *needle;
} FaultCase;

static const FaultCase fault_cases[] = {
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_STATUS, 500, 0,
    BACKUPS_ERROR_SERVER, "HTTP 500" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_STATUS, 503, 0,
    BACKUPS_ERROR_SERVER, "Try again later" },
  { "/site", BACKUPS_RESOURCE_SITES, GRIDPANE_MOCK_FAULT_STATUS, 404, 0, BACKUPS_ERROR_NOT_FOUND,
    "HTTP 404" },
  { "/server", BACKUPS_RESOURCE_SERVERS, GRIDPANE_MOCK_FAULT_STATUS, 403, 0,
    BACKUPS_ERROR_UNAUTHORIZED, "HTTP 403" },
  { "/backups/integrations", BACKUPS_RESOURCE_BACKUP_INTEGRATIONS, GRIDPANE_MOCK_FAULT_STATUS, 418,
    0, BACKUPS_ERROR_FAILED, "HTTP 418" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_HTML, 502, 0,
    BACKUPS_ERROR_SERVER, "HTTP 502" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_HTML, 200, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "HTML" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "/backups/schedules" },
  { "/backups/integrations", BACKUPS_RESOURCE_BACKUP_INTEGRATIONS, GRIDPANE_MOCK_FAULT_RESET, 0, 0,
    BACKUPS_ERROR_OFFLINE, "connection" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "not valid JSON" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "/backups/schedules" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "/backups/schedules" },
  { "/site", BACKUPS_RESOURCE_SITES, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "/site" },
  { "/backups/integrations", BACKUPS_RESOURCE_BACKUP_INTEGRATIONS,
    GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0, BACKUPS_ERROR_INVALID_RESPONSE, "“id”" },
  { "/server", BACKUPS_RESOURCE_SERVERS, GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "“id”" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0,
    BACKUPS_ERROR_INVALID_RESPONSE, "UTF-8" },
  { "/backups/schedules", BACKUPS_RESOURCE_BACKUP_SCHEDULES, GRIDPANE_MOCK_FAULT_SLOW_BODY, 0, 3000,
    BACKUPS_ERROR_TIMED_OUT, "in time" },
};

static void
test_faults (Fixture *fixture, gconstpointer data)
{
  BackupsGridpaneClient *client = client_of (fixture);

  backups_gridpane_client_set_timeout (client, 1);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      const FaultCase *fault = &fault_cases[i];
      g_autoptr (GError) error = NULL;
      g_autoptr (GError) retry_error = NULL;
      g_autoptr (GPtrArray) records = NULL;
      g_autoptr (GPtrArray) again = NULL;

      g_test_message ("fault %u on %s", fault->kind, fault->path);
      gridpane_mock_clear_faults (fixture->mock);
      gridpane_mock_set_fault (fixture->mock, TOKEN, fault->path, fault->kind, fault->status,
                               fault->delay_ms, 1);

      records = fetch (fixture->provider, fault->resource, NULL, &error);
      g_assert_null (records);
      assert_account_error (error, fault->code);
      if (strstr (error->message, fault->needle) == NULL)
        g_error ("“%s” not in “%s”", fault->needle, error->message);

      /* The fault was for one request: the client is not left broken. */
      again = fetch (fixture->provider, fault->resource, NULL, &retry_error);
      g_assert_no_error (retry_error);
      g_assert_nonnull (again);
    }
}

static void
test_huge_body (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) servers = NULL;

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/server", GRIDPANE_MOCK_FAULT_HUGE_BODY, 0, 0, 1);
  servers = fetch (fixture->provider, BACKUPS_RESOURCE_SERVERS, NULL, &error);
  g_assert_null (servers);
  assert_account_error (error, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
}

static void
test_offline (void)
{
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;
  g_autofree char *base_url = NULL;

  /* A port that was just listening and no longer is. */
  g_assert_true (gridpane_mock_start (mock, 0, &error));
  base_url = gridpane_mock_get_base_url (mock);
  gridpane_mock_stop (mock);

  provider = backups_gridpane_provider_new (ACCOUNT, base_url, TOKEN, &error);
  g_assert_no_error (error);
  g_assert_false (validate (provider, &error));
  assert_account_error (error, BACKUPS_ERROR_OFFLINE);
  g_assert_nonnull (strstr (error->message, "Check your connection"));
}

static void
test_cancel (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  Waiter waiter = { NULL, FALSE };
  gint64 start;

  /* Already cancelled. */
  g_cancellable_cancel (cancellable);
  records = fetch (fixture->provider, BACKUPS_RESOURCE_SITES, cancellable, &error);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&error);
  g_clear_object (&cancellable);

  /* Cancelled while waiting out a 429 of 27 s: returns at once. */
  cancellable = g_cancellable_new ();
  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                           GRIDPANE_MOCK_FAULT_RATE_LIMIT, 0, 27000, 0);
  start = g_get_monotonic_time ();
  backups_provider_fetch_async (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES, cancellable,
                                on_done, &waiter);
  while (gridpane_mock_get_rate_limited_count (fixture->mock) == 0)
    g_main_context_iteration (NULL, TRUE);
  g_cancellable_cancel (cancellable);
  g_assert_true (backups_test_wait_for (&waiter.done, 5000));
  records = backups_provider_fetch_finish (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES,
                                           waiter.result, &error);
  g_object_unref (waiter.result);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpint (g_get_monotonic_time () - start, <, 5 * G_USEC_PER_SEC);
  g_clear_error (&error);
  gridpane_mock_clear_faults (fixture->mock);

  /* Cancelled in flight, during a slow answer. */
  g_clear_object (&cancellable);
  cancellable = g_cancellable_new ();
  waiter.done = FALSE;
  gridpane_mock_set_latency (fixture->mock, 2000);
  backups_provider_fetch_async (fixture->provider, BACKUPS_RESOURCE_SITES, cancellable, on_done,
                                &waiter);
  g_cancellable_cancel (cancellable);
  g_assert_true (backups_test_wait_for (&waiter.done, 5000));
  records = backups_provider_fetch_finish (fixture->provider, BACKUPS_RESOURCE_SITES, waiter.result,
                                           &error);
  g_object_unref (waiter.result);
  g_assert_null (records);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  gridpane_mock_set_latency (fixture->mock, 0);
}

/* Requests of one account run one at a time. */
static void
test_serial (Fixture *fixture, gconstpointer data)
{
  Waiter waiters[3] = { { NULL, FALSE }, { NULL, FALSE }, { NULL, FALSE } };
  gint64 start = g_get_monotonic_time ();

  gridpane_mock_set_latency (fixture->mock, 300);
  backups_provider_fetch_async (fixture->provider, BACKUPS_RESOURCE_SITES, NULL, on_done,
                                &waiters[0]);
  backups_provider_fetch_async (fixture->provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES, NULL, on_done,
                                &waiters[1]);
  backups_provider_fetch_async (fixture->provider, BACKUPS_RESOURCE_BACKUP_INTEGRATIONS, NULL,
                                on_done, &waiters[2]);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) records = NULL;
      static const BackupsResource resources[] = {
        BACKUPS_RESOURCE_SITES,
        BACKUPS_RESOURCE_BACKUP_SCHEDULES,
        BACKUPS_RESOURCE_BACKUP_INTEGRATIONS,
      };

      g_assert_true (backups_test_wait_for (&waiters[i].done, WAIT_MS));
      records = backups_provider_fetch_finish (fixture->provider, resources[i], waiters[i].result,
                                               &error);
      g_object_unref (waiters[i].result);
      g_assert_no_error (error);
      g_assert_nonnull (records);
    }
  g_assert_cmpint (g_get_monotonic_time () - start, >=, 3 * 290 * 1000);
}

static void
redirect_handler (SoupServer        *server,
                  SoupServerMessage *msg,
                  const char        *path,
                  GHashTable        *query,
                  gpointer           user_data)
{
  const char *target = user_data;

  soup_server_message_set_redirect (msg, SOUP_STATUS_FOUND, target);
}

/* A redirect is not followed: it could carry the token elsewhere. */
static void
test_no_redirect (Fixture *fixture, gconstpointer data)
{
  g_autoptr (SoupServer) server = soup_server_new (NULL, NULL);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;
  g_autofree char *target = g_strconcat (fixture->base_url, "/user", NULL);
  g_autofree char *base_url = NULL;
  GSList          *uris;

  soup_server_add_handler (server, NULL, redirect_handler, target, NULL);
  g_assert_true (soup_server_listen_local (server, 0, SOUP_SERVER_LISTEN_IPV4_ONLY, &error));
  uris = soup_server_get_uris (server);
  base_url = g_strdup_printf ("http://127.0.0.1:%d/api", g_uri_get_port (uris->data));
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  provider = backups_gridpane_provider_new (ACCOUNT, base_url, TOKEN, &error);
  g_assert_no_error (error);
  g_assert_false (validate (provider, &error));
  assert_account_error (error, BACKUPS_ERROR_FAILED);
  g_assert_nonnull (strstr (error->message, "HTTP 302"));
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/user"), ==, 0);
}

/* The service's threads add to the test's array: the test waits for them
 * before the array goes (it crashed once when the client was quicker). */
static GMutex huge_lock;

static gboolean
on_incoming_huge (GThreadedSocketService *service,
                  GSocketConnection      *connection,
                  GObject                *source_object,
                  gpointer                user_data)
{
  static const char head[] = "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\n"
                             "Content-Length: 900000000\r\n\r\n{\"data\":[";
  GPtrArray        *connections = user_data;
  GInputStream     *input = g_io_stream_get_input_stream (G_IO_STREAM (connection));
  char              buf[4096];

  /* Read the request (it fits one read), answer the headers and a few
   * bytes, and keep the connection open. */
  g_input_stream_read (input, buf, sizeof buf, NULL, NULL);
  g_output_stream_write_all (g_io_stream_get_output_stream (G_IO_STREAM (connection)), head,
                             strlen (head), NULL, NULL, NULL);
  g_mutex_lock (&huge_lock);
  g_ptr_array_add (connections, g_object_ref (connection));
  g_mutex_unlock (&huge_lock);
  return TRUE;
}

static gboolean
huge_connection_kept (gpointer data)
{
  GPtrArray *connections = data;
  gboolean   kept;

  g_mutex_lock (&huge_lock);
  kept = connections->len > 0;
  g_mutex_unlock (&huge_lock);
  return kept;
}

/* A body announced larger than BACKUPS_GRIDPANE_MAX_BODY_MB is refused at
 * once, not read into memory. */
static void
test_body_too_large (void)
{
  /* Threaded: the handler blocks while the client runs on this thread. */
  g_autoptr (GSocketService) service = g_threaded_socket_service_new (2);
  g_autoptr (GPtrArray) connections = g_ptr_array_new_with_free_func (g_object_unref);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;
  g_autofree char *base_url = NULL;
  guint16          port;

  port = g_socket_listener_add_any_inet_port (G_SOCKET_LISTENER (service), NULL, &error);
  g_assert_no_error (error);
  g_signal_connect (service, "run", G_CALLBACK (on_incoming_huge), connections);
  g_socket_service_start (service);
  base_url = g_strdup_printf ("http://127.0.0.1:%u/api", port);

  provider = backups_gridpane_provider_new (ACCOUNT, base_url, TOKEN, &error);
  g_assert_no_error (error);
  backups_gridpane_client_set_timeout (
    backups_gridpane_provider_get_client (BACKUPS_GRIDPANE_PROVIDER (provider)), 20);
  g_assert_false (validate (provider, &error));
  assert_account_error (error, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "larger than"));
  g_assert_true (backups_test_wait_until (huge_connection_kept, connections, 10000));
  g_socket_service_stop (service);
  g_socket_listener_close (G_SOCKET_LISTENER (service));
}

static void
test_base_url (void)
{
  static const char *const good[] = {
    "https://my.gridpane.com/oauth/api/v1", "https://agency.example.com/oauth/api/v1/",
    "http://127.0.0.1:8080/oauth/api/v1",   "http://127.9.8.7/x",
    "http://[::1]:9000/oauth/api/v1",       "http://localhost:1234",
  };
  static const char *const bad[] = {
    "http://my.gridpane.com/oauth/api/v1",
    "http://localhost.example.com/",
    "http://128.0.0.1/",
    "http://10.0.0.1/",
    "ftp://my.gridpane.com/",
    "my.gridpane.com/oauth/api/v1",
    "",
    "https://user:pw@my.gridpane.com/",
    "https://my.gridpane.com/?a=b",
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (good); i++)
    {
      g_assert_true (backups_gridpane_check_base_url (good[i], &error));
      g_assert_no_error (error);
    }
  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_assert_false (backups_gridpane_check_base_url (bad[i], &error));
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
      g_test_message ("%s", error->message);
      g_clear_error (&error);
    }

  provider
    = backups_gridpane_provider_new (ACCOUNT, "http://example.com/oauth/api/v1", TOKEN, &error);
  g_assert_null (provider);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_assert_nonnull (strstr (error->message, "https://"));
  g_clear_error (&error);

  /* The default base URL when none is given. */
  provider = backups_gridpane_provider_new (ACCOUNT, NULL, TOKEN, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backups_gridpane_client_get_base_url (
                     backups_gridpane_provider_get_client (BACKUPS_GRIDPANE_PROVIDER (provider))),
                   ==, BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
}

static void
test_factory (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsProvider) provider = NULL;
  BackupsProviderFactory factory = backups_gridpane_provider_factory;

  provider
    = factory ("gridpane", ACCOUNT, "https://my.gridpane.com/oauth/api/v1", TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (BACKUPS_IS_GRIDPANE_PROVIDER (provider));
  g_assert_true (backups_provider_has_resource (provider, BACKUPS_RESOURCE_SERVERS));
  g_assert_true (backups_provider_has_resource (provider, BACKUPS_RESOURCE_SITES));
  g_assert_true (backups_provider_has_resource (provider, BACKUPS_RESOURCE_BACKUP_SCHEDULES));
  g_assert_true (backups_provider_has_resource (provider, BACKUPS_RESOURCE_BACKUP_INTEGRATIONS));
  g_clear_object (&provider);

  provider = factory ("cloudways", ACCOUNT, NULL, TOKEN, NULL, &error);
  g_assert_null (provider);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
}

static void
test_env_knobs (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsGridpaneClient) client = NULL;

  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "5", TRUE);
  g_setenv ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS", "40", TRUE);
  client
    = backups_gridpane_client_new (ACCOUNT, "https://my.gridpane.com/oauth/api/v1", TOKEN, &error);
  g_unsetenv ("BACKUPS_GRIDPANE_TIMEOUT");
  g_unsetenv ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS");
  g_assert_no_error (error);
  g_assert_cmpuint (backups_gridpane_client_get_timeout (client), ==, 5);
  g_assert_cmpuint (backups_gridpane_client_get_retry_default_ms (client), ==, 40);
  g_assert_cmpuint (backups_gridpane_client_get_per_page (client), ==, 300);
  g_assert_cmpuint (backups_gridpane_client_get_max_retries (client), ==, 4);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_unsetenv ("BACKUPS_GRIDPANE_TIMEOUT");
  g_unsetenv ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS");
  g_unsetenv ("BACKUPS_GRIDPANE_RATE_WINDOW_MS");

#define ADD(path, func) g_test_add (path, Fixture, NULL, setup, func, teardown)
  ADD ("/gridpane/client/validate", test_validate);
  ADD ("/gridpane/client/fetch-all", test_fetch_all);
  ADD ("/gridpane/client/multi-page", test_multi_page);
  ADD ("/gridpane/client/repeat-page", test_repeat_page);
  ADD ("/gridpane/client/rate-limit/retry", test_rate_limit_retry);
  ADD ("/gridpane/client/rate-limit/give-up", test_rate_limit_give_up);
  ADD ("/gridpane/client/rate-limit/large-fleet-paced", test_large_fleet_paced);
  ADD ("/gridpane/client/rate-limit/window-from-its-start",
       test_rate_window_counted_from_its_start);
  ADD ("/gridpane/client/faults", test_faults);
  ADD ("/gridpane/client/huge-body", test_huge_body);
  ADD ("/gridpane/client/cancel", test_cancel);
  ADD ("/gridpane/client/serial", test_serial);
  ADD ("/gridpane/client/no-redirect", test_no_redirect);
#undef ADD
  g_test_add_func ("/gridpane/client/offline", test_offline);
  g_test_add_func ("/gridpane/client/body-too-large", test_body_too_large);
  g_test_add_func ("/gridpane/client/base-url", test_base_url);
  g_test_add_func ("/gridpane/client/factory", test_factory);
  g_test_add_func ("/gridpane/client/env-knobs", test_env_knobs);

  return g_test_run ();
}
