/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-isolation.c: organizations never see each other's rows, the data
 * folder is private whatever the umask, and GridPane is only reached over
 * TLS that verifies (plain http:// only on loopback).
 *
 * Two organizations carry sentinel data: their names, account names,
 * fleet prefixes (site URLs, server labels, integration names) and base
 * URL hosts (127.0.0.1 and localhost, both the mock) differ. Every
 * backupsctl listing and export with --org of one, and the live query
 * models of one, must show its rows and none of the other's. */
#include "config.h"

#include <glib/gstdio.h>
#include <json-glib/json-glib.h>
#include <string.h>
#include <sys/stat.h>

#include "backups-cli-run.h"
#include "backups-gridpane-provider.h"
#include "backups-query-model.h"
#include "backups-secrets.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define WAIT_MS 20000

typedef struct
{
  const char *org;
  const char *account;
  const char *prefix; /* in site URLs, server labels, integration names */
  const char *host;
  const char *token;
  guint       seed;
} Side;

static const Side sides[2] = {
  { "Alpha Org", "Alpha Main", "alphasentinel", "127.0.0.1", "isolation-token-alpha-2d7c", 41 },
  { "Bravo Org", "Bravo Main", "bravosentinel", "localhost", "isolation-token-bravo-f19e", 42 },
};

typedef struct
{
  GridpaneMock *mock;
  BackupsStore *store;
  gint64        org_ids[2];
  gint64        account_ids[2];
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->mock = backups_cli_mock_new (10);
  for (guint i = 0; i < 2; i++)
    gridpane_mock_add_account (f->mock, sides[i].token,
                               &(GridpaneMockFleetOptions){ .seed = sides[i].seed,
                                                            .n_servers = 4,
                                                            .n_sites = 30,
                                                            .n_integrations = 5,
                                                            .name_prefix = sides[i].prefix });
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  backups_cli_tear_down (&f->store, &f->mock);
}

static void
start_mock (Fixture *f)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
}

static char *
side_base_url (Fixture *f, guint side)
{
  return g_strdup_printf ("http://%s:%u/oauth/api/v1", sides[side].host,
                          gridpane_mock_get_port (f->mock));
}

/* Both organizations in the store, tokens in the keyring (for backupsctl)
 * or in `secrets`. */
static void
add_sides (Fixture *f, BackupsSecrets *secrets)
{
  g_autoptr (GError) error = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (BackupsOrg) org = backups_store_add_org (f->store, sides[i].org, &error);
      g_autofree char *base_url = side_base_url (f, i);

      g_assert_no_error (error);
      f->org_ids[i] = backups_org_get_id (org);
      if (secrets == NULL)
        f->account_ids[i] = backups_cli_add_account (f->store, f->org_ids[i], sides[i].account,
                                                     base_url, sides[i].token);
      else
        {
          g_autoptr (BackupsAccount) account = NULL;

          g_assert_true (backups_secrets_store (
            secrets, &(BackupsSecretOwner){ .secret_id = (char *)sides[i].token }, sides[i].account,
            sides[i].token, &error));
          account = backups_store_add_account (f->store, f->org_ids[i], "gridpane",
                                               sides[i].account, base_url, sides[i].token, &error);
          g_assert_no_error (error);
          f->account_ids[i] = backups_account_get_id (account);
        }
    }
}

static gboolean
contains_nocase (const char *haystack, const char *needle)
{
  g_autofree char *h = g_ascii_strdown (haystack, -1);
  g_autofree char *n = g_ascii_strdown (needle, -1);

  return strstr (h, n) != NULL;
}

/* The output names side `own` (what `must` lists of it) and nothing of
 * the other side. */
static void
assert_only_side (const char *output, guint own, const char *what, gboolean rows, gboolean host)
{
  const Side *mine = &sides[own];
  const Side *other = &sides[1 - own];
  const char *foreign[] = { other->org, other->account, other->prefix, host ? other->host : NULL };

  for (guint i = 0; i < G_N_ELEMENTS (foreign); i++)
    if (foreign[i] != NULL && contains_nocase (output, foreign[i]))
      g_error ("%s --org “%s” shows “%s” of the other organization:\n%s", what, mine->org,
               foreign[i], output);

  g_assert_true (contains_nocase (output, mine->account));
  if (rows)
    g_assert_true (contains_nocase (output, mine->prefix));
  if (host)
    g_assert_true (contains_nocase (output, mine->host));
}

/* In JSON every row names its organization and account. */
static void
assert_json_rows (const char *output, guint own, guint expected_rows)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonArray *rows;

  g_assert_true (json_parser_load_from_data (parser, output, -1, &error));
  g_assert_no_error (error);
  rows = json_node_get_array (json_parser_get_root (parser));
  g_assert_cmpuint (json_array_get_length (rows), ==, expected_rows);
  for (guint i = 0; i < json_array_get_length (rows); i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);

      g_assert_cmpstr (json_object_get_string_member (row, "org"), ==, sides[own].org);
      g_assert_cmpstr (json_object_get_string_member (row, "account"), ==, sides[own].account);
    }
}

static void
test_cli_commands (Fixture *f, gconstpointer data)
{
  static const char *const formats[] = { "table", "json", "csv" };
  g_auto (BackupsCliRun) sync = { 0 };
  guint n_commands = 0;

  if (!backups_cli_keyring_available ())
    return;
  start_mock (f);
  add_sides (f, NULL);

  backups_cli (&sync, "sync");
  backups_cli_assert_status (&sync, 0);

  for (guint own = 0; own < 2; own++)
    {
      const char *org = sides[own].org;
      guint       n_schedules = gridpane_mock_get_n_schedules (f->mock, sides[own].token);
      guint       n_integrations = gridpane_mock_get_n_integrations (f->mock, sides[own].token);

      {
        g_auto (BackupsCliRun) run = { 0 };

        backups_cli (&run, "account", "list", "--org", org);
        backups_cli_assert_status (&run, 0);
        assert_only_side (run.out, own, "account list", FALSE, TRUE);
        n_commands++;
      }
      for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
        {
          g_auto (BackupsCliRun) schedules = { 0 };
          g_auto (BackupsCliRun) integrations = { 0 };
          g_auto (BackupsCliRun) status = { 0 };

          backups_cli (&schedules, "schedules", "--org", org, "--format", formats[i]);
          backups_cli_assert_status (&schedules, 0);
          assert_only_side (schedules.out, own, "schedules", TRUE, FALSE);

          backups_cli (&integrations, "integrations", "--org", org, "--format", formats[i]);
          backups_cli_assert_status (&integrations, 0);
          assert_only_side (integrations.out, own, "integrations", TRUE, FALSE);
          n_commands += 2;

          if (g_str_equal (formats[i], "json"))
            {
              assert_json_rows (schedules.out, own, n_schedules);
              assert_json_rows (integrations.out, own, n_integrations);
            }
          if (g_str_equal (formats[i], "csv"))
            continue;

          {
            g_auto (BackupsCliRun) sites = { 0 };
            g_auto (BackupsCliRun) check = { 0 };

            backups_cli (&sites, "sites", "--org", org, "--format", formats[i]);
            backups_cli_assert_status (&sites, 0);
            assert_only_side (sites.out, own, "sites", TRUE, FALSE);
            if (g_str_equal (formats[i], "json"))
              assert_json_rows (sites.out, own,
                                gridpane_mock_get_n_sites (f->mock, sides[own].token));
            n_commands++;
            if (g_str_equal (formats[i], "csv"))
              continue;

            /* The generated fleets have sites at risk: exit 3. */
            backups_cli (&check, "check", "--org", org, "--format", formats[i]);
            backups_cli_assert_status (&check, 3);
            assert_only_side (check.out, own, "check", TRUE, FALSE);
            n_commands++;
          }

          backups_cli (&status, "status", "--org", org, "--format", formats[i]);
          backups_cli_assert_status (&status, 0);
          assert_only_side (status.out, own, "status", FALSE, FALSE);
          if (g_str_equal (formats[i], "json"))
            assert_json_rows (status.out, own, 1);
          n_commands++;
        }
    }
  g_test_message ("%u listing and export commands, each with --org of either organization",
                  n_commands);

  /* --all shows both organizations, every row with its own org and
   * account. */
  {
    const char *commands[] = { "schedules", "integrations", "sites", "check" };

    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        g_auto (BackupsCliRun) run = { 0 };
        g_autoptr (JsonParser) parser = json_parser_new ();
        g_autoptr (GError) error = NULL;
        JsonArray *rows;
        guint      seen[2] = { 0, 0 };

        backups_cli (&run, commands[c], "--all", "--format", "json");
        backups_cli_assert_status (&run, g_str_equal (commands[c], "check") ? 3 : 0);
        g_assert_true (json_parser_load_from_data (parser, run.out, -1, &error));
        g_assert_no_error (error);
        rows = json_node_get_array (json_parser_get_root (parser));
        for (guint i = 0; i < json_array_get_length (rows); i++)
          {
            JsonObject *row = json_array_get_object_element (rows, i);
            const char *org = json_object_get_string_member (row, "org");
            guint       side = g_str_equal (org, sides[0].org) ? 0 : 1;

            g_assert_cmpstr (org, ==, sides[side].org);
            g_assert_cmpstr (json_object_get_string_member (row, "account"), ==,
                             sides[side].account);
            /* A row of one side never names the other's fleet. */
            if (json_object_has_member (row, "site_url"))
              g_assert_true (contains_nocase (json_object_get_string_member (row, "site_url"),
                                              sides[side].prefix));
            seen[side]++;
          }
        g_assert_cmpuint (seen[0], >, 0);
        g_assert_cmpuint (seen[1], >, 0);
        if (g_str_equal (commands[c], "sites"))
          for (guint side = 0; side < 2; side++)
            g_assert_cmpuint (seen[side], ==,
                              gridpane_mock_get_n_sites (f->mock, sides[side].token));
      }
  }

  /* A sync of one organization leaves the other's rows alone, and says
   * nothing about it. */
  {
    g_auto (BackupsCliRun) run = { 0 };
    g_autofree char *alpha_before = backups_test_dump_account (f->store, f->account_ids[0]);
    g_autofree char *bravo_before = backups_test_dump_account (f->store, f->account_ids[1]);
    g_autofree char *alpha_after = NULL;
    g_autofree char *bravo_after = NULL;

    gridpane_mock_mutate_fleet (f->mock, sides[0].token, 1);
    gridpane_mock_mutate_fleet (f->mock, sides[1].token, 1);
    backups_cli (&run, "sync", "--org", sides[0].org);
    backups_cli_assert_status (&run, 0);
    assert_only_side (run.out, 0, "sync", FALSE, FALSE);
    alpha_after = backups_test_dump_account (f->store, f->account_ids[0]);
    bravo_after = backups_test_dump_account (f->store, f->account_ids[1]);
    g_assert_cmpstr (alpha_after, !=, alpha_before);
    g_assert_cmpstr (bravo_after, ==, bravo_before);
  }
}

/* Live query models --------------------------------------------------------- */

typedef struct
{
  BackupsQueryModel *model;
  GHashTable        *accounts; /* account ids allowed now */
  const char        *prefix;   /* in every row */
  guint              n_changes;
} Watch;

static void
check_rows (Watch *watch)
{
  GListModel *list = G_LIST_MODEL (watch->model);

  for (guint i = 0; i < g_list_model_get_n_items (list); i++)
    {
      g_autoptr (GObject) item = g_list_model_get_item (list, i);
      gint64      account_id;
      const char *text;

      if (BACKUPS_IS_SCHEDULE (item))
        {
          account_id = backups_schedule_get_account_id (BACKUPS_SCHEDULE (item));
          text = backups_schedule_get_site_url (BACKUPS_SCHEDULE (item));
        }
      else
        {
          account_id = backups_integration_get_account_id (BACKUPS_INTEGRATION (item));
          text = backups_integration_get_name (BACKUPS_INTEGRATION (item));
        }
      if (!g_hash_table_contains (watch->accounts, &account_id)
          || !contains_nocase (text, watch->prefix))
        g_error ("Row %u (“%s”, account %" G_GINT64_FORMAT ") is not one of the shown organization",
                 i, text, account_id);
    }
}

static void
items_changed_cb (GListModel *list, guint position, guint removed, guint added, Watch *watch)
{
  watch->n_changes++;
  check_rows (watch);
}

static gboolean
model_loaded (gpointer data)
{
  return !backups_query_model_get_loading (BACKUPS_QUERY_MODEL (data));
}

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (
    backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &error));
  g_assert_no_error (error);
  *(gboolean *)user_data = TRUE;
}

static void
sync_org (BackupsSyncService *service, gint64 org_id)
{
  gboolean done = FALSE;

  backups_sync_service_sync_org_async (service, org_id, NULL, sync_done_cb, &done);
  g_assert_true (backups_test_wait_for (&done, WAIT_MS));
}

static void
show (Fixture *f, Watch *watch, guint side, guint expected)
{
  g_hash_table_remove_all (watch->accounts);
  g_hash_table_add (watch->accounts, &f->account_ids[side]);
  watch->prefix = sides[side].prefix;
  backups_query_model_set_org_id (watch->model, f->org_ids[side]);
  g_assert_true (backups_test_wait_until (model_loaded, watch->model, WAIT_MS));
  check_rows (watch);
  g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (watch->model)), ==, expected);
}

static void
test_query_models (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autoptr (BackupsSyncService) service = NULL;
  g_autoptr (GHashTable) accounts = g_hash_table_new (g_int64_hash, g_int64_equal);
  BackupsQueryKind kinds[] = { BACKUPS_QUERY_SCHEDULES, BACKUPS_QUERY_INTEGRATIONS };

  start_mock (f);
  add_sides (f, secrets);
  service = backups_sync_service_new (f->store, secrets, backups_gridpane_provider_factory, NULL);
  sync_org (service, f->org_ids[0]);
  sync_org (service, f->org_ids[1]);

  for (guint k = 0; k < G_N_ELEMENTS (kinds); k++)
    {
      Watch watch = { 0 };
      guint (*count) (GridpaneMock *, const char *) = kinds[k] == BACKUPS_QUERY_SCHEDULES
                                                        ? gridpane_mock_get_n_schedules
                                                        : gridpane_mock_get_n_integrations;

      watch.model = backups_query_model_new (f->store, kinds[k]);
      watch.accounts = accounts;
      g_signal_connect (watch.model, "items-changed", G_CALLBACK (items_changed_cb), &watch);

      /* Each organization in turn; every emission is checked on the way. */
      show (f, &watch, 0, count (f->mock, sides[0].token));
      show (f, &watch, 1, count (f->mock, sides[1].token));
      show (f, &watch, 0, count (f->mock, sides[0].token));

      /* The other organization changes: nothing here moves. */
      watch.n_changes = 0;
      gridpane_mock_mutate_fleet (f->mock, sides[1].token, 2 + k);
      sync_org (service, f->org_ids[1]);
      backups_query_model_refresh (watch.model);
      g_assert_true (backups_test_wait_until (model_loaded, watch.model, WAIT_MS));
      {
        /* Give a wrong re-query time to arrive. */
        gboolean never = FALSE;

        backups_test_wait_for (&never, 300);
      }
      g_assert_cmpuint (watch.n_changes, ==, 0);
      show (f, &watch, 1, count (f->mock, sides[1].token));

      g_signal_handlers_disconnect_by_data (watch.model, &watch);
      backups_test_assert_finalize (watch.model);
    }

  backups_test_assert_finalize (g_steal_pointer (&service));
}

/* Permissions ------------------------------------------------------------- */

static guint
mode_of (const char *path)
{
  GStatBuf buf;

  if (g_stat (path, &buf) != 0)
    g_error ("%s is missing", path);
  return buf.st_mode & 0777;
}

static void
assert_mode (const char *path, guint expected)
{
  guint mode = mode_of (path);

  if (mode != expected)
    g_error ("%s has mode %03o, not %03o", path, mode, expected);
}

static void
test_permissions_umask_000 (Fixture *f, gconstpointer data)
{
  g_autofree char *db = backups_store_default_path ();
  g_autofree char *dir = g_path_get_dirname (db);
  g_autofree char *wal = g_strconcat (db, "-wal", NULL);
  g_autofree char *shm = g_strconcat (db, "-shm", NULL);
  mode_t           saved;

  if (!backups_cli_keyring_available ())
    return;
  start_mock (f);

  /* Children inherit the umask: everything below is created under 000. */
  saved = umask (0);
  g_assert_false (g_file_test (dir, G_FILE_TEST_EXISTS));
  {
    g_auto (BackupsCliRun) run = { 0 };

    backups_cli (&run, "org", "add", sides[0].org);
    backups_cli_assert_status (&run, 0);
  }
  assert_mode (dir, 0700);
  assert_mode (db, 0600);

  /* Made loose by someone else: the next run tightens them again. */
  g_assert_cmpint (g_chmod (dir, 0777), ==, 0);
  g_assert_cmpint (g_chmod (db, 0666), ==, 0);
  {
    g_auto (BackupsCliRun) run = { 0 };

    backups_cli (&run, "org", "list");
    backups_cli_assert_status (&run, 0);
  }
  assert_mode (dir, 0700);
  assert_mode (db, 0600);

  /* WAL and -shm while both this process and a sync have it open. */
  {
    g_autoptr (GError) error = NULL;
    g_autoptr (BackupsOrg) org = NULL;
    g_autofree char *base_url = side_base_url (f, 0);
    g_auto (BackupsCliRun) run = { 0 };

    f->store = backups_store_open (NULL, &error);
    g_assert_no_error (error);
    org = backups_store_find_org (f->store, sides[0].org, &error);
    g_assert_no_error (error);
    backups_cli_add_account (f->store, backups_org_get_id (org), sides[0].account, base_url,
                             sides[0].token);
    backups_cli (&run, "sync");
    backups_cli_assert_status (&run, 0);
  }
  assert_mode (dir, 0700);
  assert_mode (db, 0600);
  assert_mode (wal, 0600);
  assert_mode (shm, 0600);
  umask (saved);
}

/* Transport ---------------------------------------------------------------- */

static void
assert_refused (BackupsCliRun *run, const char *account, const char *cause, gint64 started)
{
  backups_cli_assert_status (run, 1);
  if (strstr (run->err, account) == NULL || strstr (run->err, cause) == NULL)
    g_error ("The refusal does not name “%s” and “%s”:\n%s", account, cause, run->err);
  /* Refused at once: trying the network would have waited for the
   * client's 30 s timeout. */
  g_assert_cmpint (g_get_monotonic_time () - started, <, 10 * G_USEC_PER_SEC);
}

static void
test_plain_http_refused (Fixture *f, gconstpointer data)
{
  /* TEST-NET-3: nobody answers there, so only a refusal is quick. */
  const char *remote = "http://203.0.113.7/oauth/api/v1";
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GPtrArray) accounts = NULL;

  if (!backups_cli_keyring_available ())
    return;
  start_mock (f);
  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, sides[0].org, &error);
  g_assert_no_error (error);

  /* Adding such an account is refused before the token is read. */
  {
    g_auto (BackupsCliRun) run = { 0 };

    backups_cli_run (&run, "token-never-sent\n", NULL,
                     (const char *const[]){ "account", "add", "--org", sides[0].org, "--name",
                                            "Plain", "--base-url", remote, "--token-stdin", NULL });
    g_assert_true (run.exited);
    g_assert_cmpint (run.status, !=, 0);
    g_assert_nonnull (strstr (run.err, "not encrypted"));
    g_assert_nonnull (strstr (run.err, "https://"));
  }
  accounts = backups_store_list_accounts (f->store, backups_org_get_id (org), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  /* An account that has one anyway (an edited or older database) does
   * not sync; its message names it. */
  backups_cli_add_account (f->store, backups_org_get_id (org), "Plain Client", remote,
                           "token-never-sent");
  {
    g_auto (BackupsCliRun) run = { 0 };
    gint64 started = g_get_monotonic_time ();

    backups_cli (&run, "sync", "--org", sides[0].org);
    assert_refused (&run, "Plain Client", "https://", started);
  }
}

/* A self-signed certificate for 127.0.0.1, made now. */
static GTlsCertificate *
self_signed_certificate (const char *dir)
{
  g_autofree char *cert = g_build_filename (dir, "cert.pem", NULL);
  g_autofree char *key = g_build_filename (dir, "key.pem", NULL);
  g_autofree char *openssl = g_find_program_in_path ("openssl");
  g_autofree char *err = NULL;
  g_autoptr (GError) error = NULL;
  GTlsCertificate *certificate;
  int              status = 0;

  if (openssl == NULL)
    {
      if (g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0)
        g_error ("openssl is missing although the test command installs it (tools/install-deps)");
      g_test_skip ("openssl is missing (tools/install-deps installs it)");
      return NULL;
    }

  g_spawn_sync (NULL,
                (char *[]){ openssl, "req", "-x509", "-newkey", "ec", "-pkeyopt",
                            "ec_paramgen_curve:prime256v1", "-nodes", "-keyout", key, "-out", cert,
                            "-days", "2", "-subj", "/CN=127.0.0.1", "-addext",
                            "subjectAltName=IP:127.0.0.1", NULL },
                NULL, G_SPAWN_STDOUT_TO_DEV_NULL, NULL, NULL, NULL, &err, &status, &error);
  g_assert_no_error (error);
  if (!g_spawn_check_wait_status (status, NULL))
    g_error ("openssl failed: %s", err);

  certificate = g_tls_certificate_new_from_files (cert, key, &error);
  g_assert_no_error (error);
  return certificate;
}

static void
test_tls_error_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GTlsCertificate) certificate = NULL;
  g_autofree char *asan_options = NULL;
  const char      *tls_env[] = { NULL, NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  g_autofree char *tmp = NULL;
  g_autofree char *base_url = NULL;

  if (!backups_cli_keyring_available ())
    return;
  tmp = g_dir_make_tmp ("backups-tls-XXXXXX", &error);
  g_assert_no_error (error);
  certificate = self_signed_certificate (tmp);
  if (certificate == NULL)
    return;

  gridpane_mock_set_tls_certificate (f->mock, certificate);
  start_mock (f);
  base_url = gridpane_mock_get_base_url (f->mock);
  g_assert_true (g_str_has_prefix (base_url, "https://127.0.0.1:"));

  /* In the ASan build, LeakSanitizer's thread tracer crashed ("Tracer
   * caught signal 11") stopping GnuTLS's threads at the exit of these
   * children; they keep AddressSanitizer but check no leaks. */
  asan_options
    = g_strdup_printf ("ASAN_OPTIONS=%s:detect_leaks=0", g_getenv ("ASAN_OPTIONS") ?: "");
  tls_env[0] = asan_options;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, sides[0].org, &error);
  g_assert_no_error (error);

  /* The token check fails on the certificate: nothing is saved. */
  {
    g_auto (BackupsCliRun) run = { 0 };
    gint64 started = g_get_monotonic_time ();

    backups_cli_run (&run, "isolation-token-alpha-2d7c\n", tls_env,
                     (const char *const[]){ "account", "add", "--org", sides[0].org, "--name",
                                            "Secure Client", "--base-url", base_url,
                                            "--token-stdin", NULL });
    assert_refused (&run, "Secure Client", "securely", started);
    g_assert_nonnull (strstr (run.err, "certificate"));
  }
  accounts = backups_store_list_accounts (f->store, backups_org_get_id (org), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 0);

  /* A sync is refused too, names the account, and the failure is kept. */
  backups_cli_add_account (f->store, backups_org_get_id (org), "Secure Client", base_url,
                           sides[0].token);
  {
    g_auto (BackupsCliRun) run = { 0 };
    g_auto (BackupsCliRun) status = { 0 };
    gint64 started = g_get_monotonic_time ();

    backups_cli_run (&run, NULL, tls_env,
                     (const char *const[]){ "sync", "--org", sides[0].org, NULL });
    assert_refused (&run, "Secure Client", "securely", started);
    g_assert_nonnull (strstr (run.err, "certificate"));
    backups_cli (&status, "status", "--org", sides[0].org, "--format", "json");
    backups_cli_assert_status (&status, 0);
    g_assert_nonnull (strstr (status.out, "securely"));
  }

  /* No request got through the handshake: the token was never sent. */
  g_assert_cmpuint (gridpane_mock_get_request_count (f->mock, NULL), ==, 0);

  {
    g_autofree char *cert = g_build_filename (tmp, "cert.pem", NULL);
    g_autofree char *key = g_build_filename (tmp, "key.pem", NULL);

    g_unlink (cert);
    g_unlink (key);
    g_rmdir (tmp);
  }
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* These syncs must succeed, also on a busy machine (backups-cli-run.h). */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "30", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/isolation/cli-commands", test_cli_commands);
  ADD ("/isolation/query-models", test_query_models);
  ADD ("/isolation/permissions-umask-000", test_permissions_umask_000);
  ADD ("/isolation/plain-http-refused", test_plain_http_refused);
  ADD ("/isolation/tls-error-refused", test_tls_error_refused);

#undef ADD

  return g_test_run ();
}
