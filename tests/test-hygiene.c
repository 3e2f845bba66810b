/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-hygiene.c: secrets stay secret. The GridPane token is a sentinel,
 * and the mock's /backups/integrations answers carry sentinel storage
 * credentials (`token`, `secret_token`, and under names no keyword rule
 * would catch: `passphrase`, `credentials.access`, the password in an
 * `endpoint_url`), as do the sites' `application_token`s. After adding the
 * account, good
 * syncs, failing syncs (401, 5xx, HTML, bad and truncated JSON, a syntax
 * error right after a credential, wrong types, a reset connection, 429
 * retries), debug logging (G_MESSAGES_DEBUG=all) and every export, the
 * sentinels are in no byte of any file under the data, config, cache,
 * state and runtime folders (the database, its WAL and -shm included), in
 * no output of backupsctl and in no log message of this process, and no
 * Authorization header value ("Bearer …") is logged anywhere. */
#include "config.h"

#include <string.h>

#include "backups-cli-run.h"
#include "backups-gridpane-provider.h"
#include "backups-secrets.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

/* Distinct halves, so a leak of part of a sentinel is caught too. */
#define SENTINEL_TOKEN "SNTLtok-7f3a9c-e41b5d"
#define SENTINEL_SECRET "SNTLsec-52c8e0-9ad16f"

static const char *const needles[] = {
  SENTINEL_TOKEN, "7f3a9c", "e41b5d", SENTINEL_SECRET, "52c8e0", "9ad16f",
};

#define SCHEDULES "/backups/schedules"
#define INTEGRATIONS "/backups/integrations"

typedef struct
{
  const char           *name;
  const char           *path;
  GridpaneMockFaultKind kind;
  guint                 status;
  guint                 times;
  int                   exit_status;
} Fault;

static const Fault faults[] = {
  { "401 everywhere", NULL, GRIDPANE_MOCK_FAULT_STATUS, 401, 0, 1 },
  { "500 on integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_STATUS, 500, 0, 1 },
  { "502 HTML on integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_HTML, 502, 0, 1 },
  { "invalid JSON", INTEGRATIONS, GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0, 1 },
  { "a comma missing after a credential", INTEGRATIONS, GRIDPANE_MOCK_FAULT_INVALID_JSON, 1, 0, 1 },
  { "truncated integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0, 1 },
  { "reset in the integrations body", INTEGRATIONS, GRIDPANE_MOCK_FAULT_RESET, 0, 0, 1 },
  { "wrong types in integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0, 1 },
  { "integrations without ids", INTEGRATIONS, GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0, 1 },
  { "non-UTF-8 integrations", INTEGRATIONS, GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0, 1 },
  { "429 twice, then through", SCHEDULES, GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, 0, 2, 0 },
};

/* Every log message of this process, while a test captures. */
static GString *captured_log;

static GLogWriterOutput
capture_writer (GLogLevelFlags   log_level,
                const GLogField *fields,
                gsize            n_fields,
                gpointer         user_data)
{
  if (captured_log != NULL)
    {
      for (gsize i = 0; i < n_fields; i++)
        {
          if (fields[i].length < 0)
            g_string_append_printf (captured_log, "%s=%s ", fields[i].key,
                                    (const char *)fields[i].value);
          else
            {
              g_string_append_printf (captured_log, "%s=", fields[i].key);
              g_string_append_len (captured_log, fields[i].value, fields[i].length);
              g_string_append_c (captured_log, ' ');
            }
        }
      g_string_append_c (captured_log, '\n');
    }
  return g_log_writer_default (log_level, fields, n_fields, user_data);
}

typedef struct
{
  GridpaneMock *mock;
  char         *base_url;
  GString      *output; /* everything backupsctl printed */
} Fixture;

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->mock = backups_cli_mock_new (10);
  gridpane_mock_set_integration_secret (f->mock, NULL, SENTINEL_SECRET);
  gridpane_mock_add_account (
    f->mock, SENTINEL_TOKEN,
    &(GridpaneMockFleetOptions){
      .seed = 7, .n_servers = 4, .n_sites = 25, .n_integrations = 6, .name_prefix = "hygiene" });
  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
  f->base_url = gridpane_mock_get_base_url (f->mock);
  f->output = g_string_new (NULL);
  captured_log = g_string_new (NULL);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  BackupsStore *no_store = NULL;

  backups_cli_tear_down (&no_store, &f->mock);
  g_string_free (g_steal_pointer (&captured_log), TRUE);
  g_string_free (f->output, TRUE);
  g_clear_pointer (&f->base_url, g_free);
}

static gboolean
bytes_contain (const guint8 *data, gsize len, const char *needle)
{
  gsize needle_len = strlen (needle);

  for (gsize i = 0; i + needle_len <= len; i++)
    if (memcmp (data + i, needle, needle_len) == 0)
      return TRUE;
  return FALSE;
}

static void
assert_text_clean (const char *text, gsize len, const char *where)
{
  for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
    if (bytes_contain ((const guint8 *)text, len, needles[i]))
      g_error ("%s holds the sentinel “%s”:\n%.*s", where, needles[i], (int)MIN (len, 4000), text);
  /* No Authorization header, not even with another token. */
  if (bytes_contain ((const guint8 *)text, len, "Bearer")
      || bytes_contain ((const guint8 *)text, len, "Authorization"))
    g_error ("%s logs an Authorization header:\n%.*s", where, (int)MIN (len, 4000), text);
}

/* The file's bytes, read by another process: closing a descriptor of the
 * database here would drop every POSIX lock this process holds on it,
 * SQLite's included, and let another process delete the WAL under it. */
static GBytes *
read_file_elsewhere (const char *path)
{
  g_autoptr (GSubprocess) cat = NULL;
  g_autoptr (GError) error = NULL;
  GBytes *bytes = NULL;

  cat = g_subprocess_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE, &error, "cat", "--", path, NULL);
  g_assert_no_error (error);
  g_subprocess_communicate (cat, NULL, NULL, &bytes, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (g_subprocess_get_successful (cat));
  return bytes;
}

/* Every file below `dir`, raw bytes. Returns how many files. */
static guint
scan_folder (const char *dir, GHashTable *seen, GPtrArray *names)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n = 0;

  if (handle == NULL || !g_hash_table_add (seen, g_strdup (dir)))
    return 0;
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      if (g_file_test (path, G_FILE_TEST_IS_SYMLINK))
        continue;
      if (g_file_test (path, G_FILE_TEST_IS_DIR))
        n += scan_folder (path, seen, names);
      else if (g_file_test (path, G_FILE_TEST_IS_REGULAR))
        {
          g_autoptr (GBytes) bytes = read_file_elsewhere (path);
          gsize         len = 0;
          const guint8 *data = bytes ? g_bytes_get_data (bytes, &len) : NULL;

          g_assert_nonnull (bytes);
          for (guint i = 0; i < G_N_ELEMENTS (needles); i++)
            if (bytes_contain (data, len, needles[i]))
              g_error ("%s (%zu bytes) holds the sentinel “%s”", path, len, needles[i]);
          g_ptr_array_add (names, g_strdup_printf ("%s (%zu bytes)", name, len));
          n++;
        }
    }
  return n;
}

/* The whole isolated home: data, config, cache, state and runtime. The
 * database's WAL is there as long as the test holds a connection. */
static void
assert_files_clean (gboolean expect_wal)
{
  const char *dirs[] = {
    g_get_user_data_dir (),  g_get_user_config_dir (),  g_get_user_cache_dir (),
    g_get_user_state_dir (), g_get_user_runtime_dir (), g_get_home_dir (),
  };
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autofree char *joined = NULL;
  gboolean         saw_db = FALSE, saw_wal = FALSE, saw_shm = FALSE;
  guint            n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (dirs); i++)
    n += scan_folder (dirs[i], seen, names);

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      saw_db |= g_str_has_prefix (name, "backups.db (");
      saw_wal |= g_str_has_prefix (name, "backups.db-wal (") && !strstr (name, "(0 bytes)");
      saw_shm |= g_str_has_prefix (name, "backups.db-shm (");
    }
  g_ptr_array_add (names, NULL);
  joined = g_strjoinv (", ", (char **)names->pdata);
  g_test_message ("%u files clean: %s", n, joined);

  /* The scan saw what it claims to have seen. */
  g_assert_true (saw_db);
  if (expect_wal)
    {
      g_assert_true (saw_wal);
      g_assert_true (saw_shm);
    }
}

static void
cli (Fixture *f, int status, const char *input, const char *const *args)
{
  static const char *const debug_env[] = { "G_MESSAGES_DEBUG=all", NULL };
  g_auto (BackupsCliRun) run = { 0 };
  g_autofree char *what = g_strjoinv (" ", (char **)args);

  backups_cli_run (&run, input, debug_env, args);
  backups_cli_assert_status (&run, status);
  g_string_append_printf (f->output, "$ backupsctl %s\n%s%s", what, run.out, run.err);
  assert_text_clean (run.out, strlen (run.out), what);
  assert_text_clean (run.err, strlen (run.err), what);
}

#define CLI(f, status, ...) cli ((f), (status), NULL, (const char *const[]){ __VA_ARGS__, NULL })

static void
test_cli (Fixture *f, gconstpointer data)
{
  static const char *const formats[] = { "table", "json", "csv" };
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (GError) error = NULL;

  if (!backups_cli_keyring_available ())
    return;

  /* The token only ever goes in on stdin. */
  CLI (f, 0, "org", "add", "Agency");
  cli (f, 0, SENTINEL_TOKEN "\n",
       (const char *const[]){ "account", "add", "--org", "Agency", "--name", "Client A",
                              "--base-url", f->base_url, "--token-stdin", NULL });

  /* Held open from here, so the WAL and -shm stay to be read. */
  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);

  CLI (f, 0, "sync");
  gridpane_mock_mutate_fleet (f->mock, SENTINEL_TOKEN, 1);
  CLI (f, 0, "sync", "--org", "Agency", "--account", "Client A");
  for (guint i = 0; i < G_N_ELEMENTS (faults); i++)
    {
      gridpane_mock_clear_faults (f->mock);
      gridpane_mock_set_fault (f->mock, SENTINEL_TOKEN, faults[i].path, faults[i].kind,
                               faults[i].status, 0, faults[i].times);
      g_test_message ("fault: %s", faults[i].name);
      CLI (f, faults[i].exit_status, "sync", "--org", "Agency");
      assert_files_clean (TRUE);
    }
  gridpane_mock_clear_faults (f->mock);

  for (guint i = 0; i < G_N_ELEMENTS (formats); i++)
    {
      CLI (f, 0, "schedules", "--format", formats[i]);
      CLI (f, 0, "integrations", "--org", "Agency", "--format", formats[i]);
      if (!g_str_equal (formats[i], "csv"))
        CLI (f, 0, "status", "--format", formats[i]);
    }
  CLI (f, 0, "account", "list");
  CLI (f, 0, "org", "list");

  /* The exports show the integrations, without their credentials. */
  g_assert_nonnull (strstr (f->output->str, "Hygiene B2 main"));
  /* The failures were recorded and shown. */
  g_assert_nonnull (strstr (f->output->str, "HTTP 401"));
  g_assert_nonnull (strstr (f->output->str, "not valid JSON"));
  assert_files_clean (TRUE);
  assert_text_clean (captured_log->str, captured_log->len, "this process's log");

  /* Removing the account takes its token out of the keyring. */
  CLI (f, 0, "account", "remove", "--org", "Agency", "--name", "Client A");
  g_test_message ("%s", f->output->str);
}

typedef struct
{
  gboolean done;
  gboolean ok;
} SyncWait;

static void
sync_done_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncWait *wait = user_data;
  g_autoptr (GError) error = NULL;

  wait->ok = backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &error);
  if (error != NULL)
    g_test_message ("sync: %s", error->message);
  wait->done = TRUE;
}

/* The app's side: its sync service in this process, every log message
 * captured. */
static void
test_in_process (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autoptr (BackupsSyncService) service = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) accounts = NULL;

  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (store, "Agency", &error);
  g_assert_no_error (error);
  g_assert_true (backups_secrets_store (secrets,
                                        &(BackupsSecretOwner){ .secret_id = (char *)"secret-a" },
                                        "Client A", SENTINEL_TOKEN, &error));
  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", "Client A",
                                       f->base_url, "secret-a", &error);
  g_assert_no_error (error);
  service = backups_sync_service_new (store, secrets, backups_gridpane_provider_factory, NULL);

  for (guint i = 0; i <= G_N_ELEMENTS (faults); i++)
    {
      SyncWait wait = { 0 };

      gridpane_mock_clear_faults (f->mock);
      if (i < G_N_ELEMENTS (faults))
        {
          g_test_message ("fault: %s", faults[i].name);
          gridpane_mock_set_fault (f->mock, SENTINEL_TOKEN, faults[i].path, faults[i].kind,
                                   faults[i].status, 0, faults[i].times);
        }
      backups_sync_service_sync_org_async (service, backups_org_get_id (org), NULL, sync_done_cb,
                                           &wait);
      g_assert_true (backups_test_wait_for (&wait.done, 20000));
      g_assert_cmpint (wait.ok, ==, i == G_N_ELEMENTS (faults) || faults[i].exit_status == 0);
    }

  /* What the window reads back: the accounts and their last errors. */
  accounts = backups_store_list_accounts (store, backups_org_get_id (org), &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);

  assert_files_clean (TRUE);
  /* The client logs its rate-limit waits; that log was captured. */
  g_assert_nonnull (strstr (captured_log->str, "rate limit"));
  assert_text_clean (captured_log->str, captured_log->len, "this process's log");
  g_test_message ("captured log:\n%s", captured_log->str);
}

int
main (int argc, char *argv[])
{
  g_log_set_writer_func (capture_writer, NULL, NULL);
  /* As backupsctl gets them (backups-cli-run.c): faults cost little time. */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "2", TRUE);
  g_setenv ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS", "50", TRUE);
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/hygiene/cli", test_cli);
  ADD ("/hygiene/in-process", test_in_process);

#undef ADD

  return g_test_run ();
}
