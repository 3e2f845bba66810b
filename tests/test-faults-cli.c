/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-faults-cli.c: the fault matrix end to end. backupsctl runs as a
 * child process against the in-process GridPane mock over real HTTP; one
 * account of the organization meets the fault, the other does not.
 *
 * For every case: `backupsctl sync` exits 1 with a message naming the
 * faulty account and the cause, the store is byte-identical to before
 * (dump comparison), the other account of the organization syncs, the
 * process ends normally (G_DEBUG=fatal-warnings reaches it, so a warning
 * or critical is a crash), and once the fault is gone the account
 * recovers. tests/FAULTS.md lists the cases and their outcomes. */
#include "config.h"

#include <string.h>

#include "backups-cli-run.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define TOKEN_A "faults-token-a-5e1d"
#define TOKEN_B "faults-token-b-90c4"

typedef enum
{
  OUTCOME_FAILS,    /* exit 1, nothing written for A */
  OUTCOME_SUCCEEDS, /* exit 0, A follows the new fleet (a slow body within the timeout) */
} Outcome;

typedef struct
{
  const char           *name;
  const char           *path; /* endpoint, NULL = connection refused */
  GridpaneMockFaultKind kind;
  guint                 status;
  guint                 delay_ms;
  Outcome               outcome;
  const char           *cause; /* what stderr must say besides the account name */
} FaultCase;

#define SCHEDULES "/backups/schedules"
#define INTEGRATIONS "/backups/integrations"

static const FaultCase fault_cases[] = {
  { "connection-refused", NULL, GRIDPANE_MOCK_FAULT_NONE, 0, 0, OUTCOME_FAILS,
    "Could not connect" },
  { "reset/site", "/site", GRIDPANE_MOCK_FAULT_RESET, 0, 0, OUTCOME_FAILS, NULL },
  { "reset/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_RESET, 0, 0, OUTCOME_FAILS, NULL },
  { "timeout", SCHEDULES, GRIDPANE_MOCK_FAULT_SLOW_BODY, 0, 8000, OUTCOME_FAILS, "in time" },
  { "slow-body", "/server", GRIDPANE_MOCK_FAULT_SLOW_BODY, 0, 700, OUTCOME_SUCCEEDS, NULL },
  { "500/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_STATUS, 500, 0, OUTCOME_FAILS, "HTTP 500" },
  { "500/site", "/site", GRIDPANE_MOCK_FAULT_STATUS, 500, 0, OUTCOME_FAILS, "HTTP 500" },
  { "502-html/site", "/site", GRIDPANE_MOCK_FAULT_HTML, 502, 0, OUTCOME_FAILS, "HTTP 502" },
  { "502-html/integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_HTML, 502, 0, OUTCOME_FAILS,
    "HTTP 502" },
  { "401/integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_STATUS, 401, 0, OUTCOME_FAILS,
    "HTTP 401" },
  { "401/all", NULL, GRIDPANE_MOCK_FAULT_STATUS, 401, 0, OUTCOME_FAILS, "HTTP 401" },
  { "403/server", "/server", GRIDPANE_MOCK_FAULT_STATUS, 403, 0, OUTCOME_FAILS, "HTTP 403" },
  { "404/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_STATUS, 404, 0, OUTCOME_FAILS, "HTTP 404" },
  { "429-gridpane-headers", SCHEDULES, GRIDPANE_MOCK_FAULT_RATE_LIMIT, 0, 1000, OUTCOME_FAILS,
    "rate limit" },
  { "429-bare", "/server", GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, 0, 0, OUTCOME_FAILS, "rate limit" },
  { "invalid-json/integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0,
    OUTCOME_FAILS, "could not read" },
  { "invalid-json/site", "/site", GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "truncated/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "truncated/server", "/server", GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "wrong-types/containers", SCHEDULES, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "wrong-types/fields-schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0, OUTCOME_FAILS,
    "could not read" },
  { "wrong-types/fields-site", "/site", GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0, OUTCOME_FAILS,
    "could not read" },
  { "wrong-types/fields-integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0,
    OUTCOME_FAILS, "could not read" },
  { "missing-fields/site", "/site", GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "missing-fields/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "missing-fields/integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0,
    OUTCOME_FAILS, "could not read" },
  { "non-utf8/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0, OUTCOME_FAILS,
    "could not read" },
  { "non-utf8/site", "/site", GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0, OUTCOME_FAILS, "could not read" },
  { "repeat-page/site", "/site", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, OUTCOME_FAILS,
    "came back" },
  { "repeat-page/server", "/server", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, OUTCOME_FAILS,
    "came back" },
  /* Refused: larger than any real GridPane answer (32 MB cap). */
  { "50mb-body/schedules", SCHEDULES, GRIDPANE_MOCK_FAULT_HUGE_BODY, 0, 0, OUTCOME_FAILS, NULL },
};

typedef struct
{
  GridpaneMock *mock;
  char         *base_url;
  BackupsStore *store;
  gint64        org_id;
  gint64        account_a;
  gint64        account_b;
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsOrg) other = NULL;

  f->mock = gridpane_mock_new ();
  gridpane_mock_set_rate_limits (f->mock, FALSE, 0, 0, 60, 27);
  /* Pages of 10 so /site and /server paginate. */
  gridpane_mock_set_max_per_page (f->mock, 10);
  gridpane_mock_add_account (
    f->mock, TOKEN_A,
    &(GridpaneMockFleetOptions){
      .seed = 11, .n_servers = 12, .n_sites = 25, .n_integrations = 5, .name_prefix = "alpha" });
  gridpane_mock_add_account (
    f->mock, TOKEN_B,
    &(GridpaneMockFleetOptions){
      .seed = 12, .n_servers = 3, .n_sites = 15, .n_integrations = 3, .name_prefix = "bravo" });
  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
  f->base_url = gridpane_mock_get_base_url (f->mock);

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, "Agency", &error);
  g_assert_no_error (error);
  f->org_id = backups_org_get_id (org);
  /* An organization the sync must leave alone. */
  other = backups_store_add_org (f->store, "Other", &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  backups_cli_forget_tokens ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (f->store != NULL)
    backups_test_assert_finalize (g_steal_pointer (&f->store));
  gridpane_mock_stop (f->mock);
  g_clear_object (&f->mock);
  g_clear_pointer (&f->base_url, g_free);
}

static guint
count_rows (BackupsStore *store, gint64 org_id, gint64 account_id)
{
  g_autoptr (GPtrArray) schedules = backups_store_query_schedules (store, org_id, NULL);
  g_autoptr (GPtrArray) integrations = backups_store_query_integrations (store, org_id, NULL);
  guint n = 0;

  for (guint i = 0; i < schedules->len; i++)
    n += backups_schedule_get_account_id (g_ptr_array_index (schedules, i)) == account_id;
  for (guint i = 0; i < integrations->len; i++)
    n += backups_integration_get_account_id (g_ptr_array_index (integrations, i)) == account_id;
  return n;
}

static guint
mock_rows (GridpaneMock *mock, const char *token)
{
  return gridpane_mock_get_n_schedules (mock, token)
         + gridpane_mock_get_n_integrations (mock, token);
}

static void
assert_no_crash_or_noise (BackupsCliRun *run)
{
  /* fatal-warnings turns any warning or critical into SIGTRAP. */
  g_assert_true (run->exited);
  g_assert_null (strstr (run->err, "CRITICAL"));
  g_assert_null (strstr (run->err, "WARNING"));
  g_assert_null (strstr (run->err, "database is locked"));
  g_assert_null (strstr (run->err, "SQLITE"));
}

static void
assert_names_cause (BackupsCliRun *run, const FaultCase *fault)
{
  g_assert_nonnull (strstr (run->err, "Client A"));
  if (fault->cause != NULL && strstr (run->err, fault->cause) == NULL)
    g_error ("stderr does not name the cause “%s”:\n%s", fault->cause, run->err);
}

static void
test_fault (Fixture *f, gconstpointer data)
{
  const FaultCase *fault = data;
  gboolean         refused = fault->path == NULL && fault->kind == GRIDPANE_MOCK_FAULT_NONE;
  g_autofree char *refused_url = NULL;
  g_autofree char *store_before = NULL;
  g_autofree char *store_after = NULL;
  g_autofree char *a_before = NULL;
  g_autofree char *a_after = NULL;
  g_autofree char *b_before = NULL;
  g_autofree char *b_after = NULL;
  g_auto (BackupsCliRun) first = { 0 };
  g_auto (BackupsCliRun) alone = { 0 };
  g_auto (BackupsCliRun) org = { 0 };
  g_auto (BackupsCliRun) status = { 0 };
  g_auto (BackupsCliRun) recovered = { 0 };

  if (!backups_cli_keyring_available ())
    return;

  if (refused)
    refused_url = g_strdup_printf ("http://127.0.0.1:%u/oauth/api/v1", backups_cli_closed_port ());
  f->account_a = backups_cli_add_account (f->store, f->org_id, "Client A",
                                          refused ? refused_url : f->base_url, TOKEN_A);
  f->account_b = backups_cli_add_account (f->store, f->org_id, "Client B", f->base_url, TOKEN_B);

  /* A first good sync, so there are old rows to keep (none for a refused
   * connection: A keeps its empty state then). */
  backups_cli (&first, "sync", "--org", "Agency");
  backups_cli_assert_status (&first, refused ? 1 : 0);
  if (!refused)
    g_assert_cmpuint (count_rows (f->store, f->org_id, f->account_a), ==,
                      mock_rows (f->mock, TOKEN_A));

  /* Upstream changes, so any sync that went through would write. */
  gridpane_mock_mutate_fleet (f->mock, TOKEN_A, 3);
  gridpane_mock_mutate_fleet (f->mock, TOKEN_B, 4);
  if (fault->kind != GRIDPANE_MOCK_FAULT_NONE)
    gridpane_mock_set_fault (f->mock, TOKEN_A, fault->path, fault->kind, fault->status,
                             fault->delay_ms, 0);

  /* The faulty account alone: the whole store stays byte-identical. */
  store_before = backups_test_dump_store (f->store);
  a_before = backups_test_dump_account (f->store, f->account_a);
  b_before = backups_test_dump_account (f->store, f->account_b);
  backups_cli (&alone, "sync", "--org", "Agency", "--account", "Client A");
  assert_no_crash_or_noise (&alone);

  if (fault->outcome == OUTCOME_SUCCEEDS)
    {
      backups_cli_assert_status (&alone, 0);
      g_assert_cmpuint (count_rows (f->store, f->org_id, f->account_a), ==,
                        mock_rows (f->mock, TOKEN_A));
      a_after = backups_test_dump_account (f->store, f->account_a);
      g_assert_cmpstr (a_after, !=, a_before);
      return;
    }

  backups_cli_assert_status (&alone, 1);
  assert_names_cause (&alone, fault);
  g_test_message ("%s: %s", fault->name, alone.err);
  store_after = backups_test_dump_store (f->store);
  g_assert_cmpstr (store_after, ==, store_before);

  /* The whole organization: A keeps its rows, B follows its new fleet. */
  backups_cli (&org, "sync", "--org", "Agency");
  assert_no_crash_or_noise (&org);
  backups_cli_assert_status (&org, 1);
  assert_names_cause (&org, fault);
  g_assert_null (strstr (org.err, "Client B"));
  g_assert_nonnull (strstr (org.out, "Client B"));
  a_after = backups_test_dump_account (f->store, f->account_a);
  g_assert_cmpstr (a_after, ==, a_before);
  b_after = backups_test_dump_account (f->store, f->account_b);
  g_assert_cmpstr (b_after, !=, b_before);
  g_assert_cmpuint (count_rows (f->store, f->org_id, f->account_b), ==,
                    mock_rows (f->mock, TOKEN_B));

  /* Every process sees the failure and its cause. */
  backups_cli (&status, "status", "--org", "Agency", "--format", "json");
  backups_cli_assert_status (&status, 0);
  g_assert_nonnull (strstr (status.out, "\"error\""));
  if (fault->cause != NULL)
    g_assert_nonnull (strstr (status.out, fault->cause));

  /* Without the fault, A recovers. */
  if (refused)
    return;
  gridpane_mock_clear_faults (f->mock);
  backups_cli (&recovered, "sync", "--org", "Agency", "--account", "Client A");
  backups_cli_assert_status (&recovered, 0);
  g_assert_cmpuint (count_rows (f->store, f->org_id, f->account_a), ==,
                    mock_rows (f->mock, TOKEN_A));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  for (guint i = 0; i < G_N_ELEMENTS (fault_cases); i++)
    {
      g_autofree char *path = g_strdup_printf ("/faults-cli/%s", fault_cases[i].name);

      g_test_add (path, Fixture, &fault_cases[i], fixture_set_up, test_fault, fixture_tear_down);
    }

  return g_test_run ();
}
