/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-cli.c: backupsctl end to end, as a subprocess on an isolated
 * database. Reports run on a store filled with backups_test_make_snapshot();
 * account add and sync talk to the in-process GridPane mock and need a
 * Secret Service (the test command provides one). */
#include "config.h"

#include <json-glib/json-glib.h>
#include <glib/gstdio.h>
#include <locale.h>
#include <string.h>

#include "backups-cli-run.h"
#include "backups-error.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

/* A Saturday. Next runs below are computed from it. */
#define FIXED_NOW "2026-11-28T12:00:00Z"

#define GOOD_TOKEN "cli-good-token-3f9a"
#define REVOKED_TOKEN "cli-revoked-token-77c1"
#define NEW_TOKEN "cli-new-token-b2d4"

typedef struct
{
  int   status;
  char *out;
  char *err;
} CliResult;

static void
cli_result_clear (CliResult *result)
{
  g_clear_pointer (&result->out, g_free);
  g_clear_pointer (&result->err, g_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (CliResult, cli_result_clear)

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Pending;

static void
on_communicated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Pending *pending = user_data;

  pending->result = g_object_ref (result);
  pending->done = TRUE;
}

/* Runs backupsctl with `input` on stdin and the environment of the test
 * (isolated XDG dirs), plus `extra_env` ("NAME=value", NULL-terminated).
 * The main context keeps running meanwhile, so the in-process mock serves. */
static void
run_cli_env (CliResult         *result,
             const char        *input,
             const char *const *extra_env,
             const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char *binary = g_getenv ("BACKUPSCTL");
  Pending     pending = { 0 };

  g_assert_nonnull (binary);

  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* G_TEST_OPTION_ISOLATE_DIRS points GLib at a fresh folder per test
   * but leaves /dev/null in the environment; hand the real ones down. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "BACKUPSCTL_NOW", FIXED_NOW, TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "COLUMNS");
  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      g_auto (GStrv) pair = g_strsplit (extra_env[i], "=", 2);

      g_subprocess_launcher_setenv (launcher, pair[0], pair[1], TRUE);
    }

  g_ptr_array_add (argv, (gpointer)binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);

  /* A child that refuses before reading its stdin must not lose its output
   * to the broken pipe. */
  backups_cli_write_stdin (process, input);
  g_subprocess_communicate_utf8_async (process, "", NULL, on_communicated, &pending);
  while (!pending.done)
    g_main_context_iteration (NULL, TRUE);

  g_subprocess_communicate_utf8_finish (process, pending.result, &result->out, &result->err,
                                        &error);
  g_clear_object (&pending.result);
  g_assert_no_error (error);

  if (!g_subprocess_get_if_exited (process))
    g_error ("backupsctl did not exit normally; stderr:\n%s", result->err);

  result->status = g_subprocess_get_exit_status (process);
  g_test_message ("backupsctl %s → %d\nstdout:\n%s\nstderr:\n%s", args[0] != NULL ? args[0] : "",
                  result->status, result->out, result->err);
}

#define run_cli(result, input, ...)                                                                \
  run_cli_env ((result), (input), NULL, (const char *const[]){ __VA_ARGS__, NULL })

static void
assert_status (CliResult *result, int expected)
{
  if (result->status != expected)
    g_error ("backupsctl exited %d, expected %d\nstdout:\n%s\nstderr:\n%s", result->status,
             expected, result->out, result->err);
}

/* Store set-up ------------------------------------------------------------- */

static BackupsStore *
open_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = backups_store_default_path ();
  BackupsStore    *store = backups_store_open (path, &error);

  g_assert_no_error (error);
  return store;
}

static gint64
add_org (BackupsStore *store, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_add_org (store, name, &error);

  g_assert_no_error (error);
  return backups_org_get_id (org);
}

static gint64
add_account (
  BackupsStore *store, gint64 org_id, const char *name, const char *base_url, const char *secret_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;

  account = backups_store_add_account (store, org_id, "gridpane", name,
                                       base_url ? base_url : "https://my.gridpane.com/oauth/api/v1",
                                       secret_id ? secret_id : "no-such-secret", &error);
  g_assert_no_error (error);
  return backups_account_get_id (account);
}

static void
apply (BackupsStore *store, gint64 account_id, BackupsSnapshot *snapshot)
{
  g_autoptr (GError) error = NULL;
  BackupsApplyCounts counts;

  g_assert_true (backups_store_apply_snapshot (store, account_id, snapshot, &counts, &error));
  g_assert_no_error (error);
}

/* Org "Acme" with account "Client A" (3 sites on 2 servers, 2
 * integrations) and org "Globex" with "Sentinel" rows that must never show
 * under Acme. Site 0 and integration 0 carry a comma and a quote. */
static BackupsStore *
populate (void)
{
  BackupsStore *store = open_store ();
  g_autoptr (BackupsSnapshot) acme = backups_test_make_snapshot ("acme", 2, 3, 2);
  g_autoptr (BackupsSnapshot) globex = backups_test_make_snapshot ("globexsentinel", 1, 1, 1);
  BackupsSiteRecord        *site = g_ptr_array_index (acme->sites, 0);
  BackupsIntegrationRecord *integration = g_ptr_array_index (acme->integrations, 0);
  gint64                    acme_id;
  gint64                    globex_id;

  g_free (site->url);
  site->url = g_strdup ("odd,\"site\".example.com");
  for (guint i = 0; i < acme->schedules->len; i++)
    {
      BackupsScheduleRecord *schedule = g_ptr_array_index (acme->schedules, i);

      if (schedule->site_remote_id == site->remote_id)
        {
          g_free (schedule->site_url);
          schedule->site_url = g_strdup (site->url);
        }
    }
  g_free (integration->name);
  integration->name = g_strdup ("Backup, \"main\"");

  acme_id = add_org (store, "Acme");
  globex_id = add_org (store, "Globex");
  apply (store, add_account (store, acme_id, "Client A", NULL, NULL), acme);
  apply (store, add_account (store, globex_id, "Sentinel", NULL, NULL), globex);

  return store;
}

static JsonArray *
parse_json_array (const char *text)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonNode *root;

  json_parser_load_from_data (parser, text, -1, &error);
  g_assert_no_error (error);
  root = json_parser_get_root (parser);
  g_assert_true (JSON_NODE_HOLDS_ARRAY (root));
  return json_array_ref (json_node_get_array (root));
}

/* Asserts the object has exactly `keys`, in any order. */
static void
assert_exact_keys (JsonObject *object, const char *const *keys)
{
  g_autoptr (GList) members = json_object_get_members (object);

  g_assert_cmpuint (g_list_length (members), ==, g_strv_length ((char **)keys));
  for (guint i = 0; keys[i] != NULL; i++)
    {
      if (!json_object_has_member (object, keys[i]))
        g_error ("JSON object lacks the key “%s”", keys[i]);
    }
}

static void
assert_member_type (JsonObject *object, const char *key, GType type, gboolean nullable)
{
  JsonNode *node = json_object_get_member (object, key);

  g_assert_nonnull (node);
  if (JSON_NODE_HOLDS_NULL (node))
    {
      if (!nullable)
        g_error ("“%s” is null", key);
      return;
    }
  g_assert_true (JSON_NODE_HOLDS_VALUE (node));
  if (json_node_get_value_type (node) != type)
    g_error ("“%s” is a %s, expected %s", key, g_type_name (json_node_get_value_type (node)),
             g_type_name (type));
}

static JsonObject *
find_object (JsonArray *array, const char *key, gint64 value)
{
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      JsonObject *object = json_array_get_object_element (array, i);

      if (json_object_get_int_member (object, key) == value)
        return object;
    }
  g_error ("no object with %s = %" G_GINT64_FORMAT, key, value);
  return NULL;
}

static guint
count_lines (const char *text)
{
  guint n = 0;

  for (const char *p = text; *p != '\0'; p++)
    n += *p == '\n';
  return n;
}

/* Usage ------------------------------------------------------------------- */

static void
test_usage_errors (void)
{
  const char *const *cases[] = {
    (const char *const[]){ NULL },
    (const char *const[]){ "org", NULL },
    (const char *const[]){ "org", "rename", NULL },
    (const char *const[]){ "org", "rename", "Acme", NULL },
    (const char *const[]){ "account", "rename", "--org", "Acme", "--name", "A", NULL },
    (const char *const[]){ "account", "set-token", "--org", "Acme", "--name", "A", NULL },
    (const char *const[]){ "org", "add", NULL },
    (const char *const[]){ "org", "add", "A", "B", NULL },
    (const char *const[]){ "org", "list", "extra", NULL },
    (const char *const[]){ "org", "remove", NULL },
    (const char *const[]){ "account", "add", "--org", "Acme", "--token-stdin", NULL },
    (const char *const[]){ "account", "add", "--org", "Acme", "--name", "A", NULL },
    (const char *const[]){ "account", "remove", "--org", "Acme", NULL },
    (const char *const[]){ "account", "list", "--bogus", NULL },
    (const char *const[]){ "sync", "--org", NULL },
    (const char *const[]){ "sync", "extra", NULL },
    (const char *const[]){ "schedules", "--format", "xml", NULL },
    (const char *const[]){ "integrations", "--format", NULL },
    (const char *const[]){ "status", "--format", "csv", NULL },
    (const char *const[]){ "status", "--verbose", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliResult) result = { 0 };

      run_cli_env (&result, NULL, NULL, cases[i]);
      assert_status (&result, 2);
      g_assert_true (strstr (result.err, "Usage:") != NULL);
      g_assert_cmpstr (result.out, ==, "");
    }
}

/* An unknown command names the nearest one instead of printing every
 * synopsis. */
static void
test_unknown_command (void)
{
  const struct
  {
    const char *const *args;
    const char        *suggestion; /* NULL: none */
  } cases[] = {
    { (const char *const[]){ "schedule", NULL }, "“schedules”" },
    { (const char *const[]){ "intergations", NULL }, "“integrations”" },
    { (const char *const[]){ "stat", NULL }, "“status”" },
    { (const char *const[]){ "org", "ad", NULL }, "“org add”" },
    { (const char *const[]){ "account", "lst", NULL }, "“account list”" },
    { (const char *const[]){ "frobnicate", NULL }, NULL },
    { (const char *const[]){ "org", "frobnicate", NULL }, NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliResult) result = { 0 };
      g_autofree char *expected = NULL;

      run_cli_env (&result, NULL, NULL, cases[i].args);
      assert_status (&result, 2);
      g_assert_cmpstr (result.out, ==, "");
      g_assert_true (strstr (result.err, "Unknown command") != NULL);
      g_assert_true (strstr (result.err, "backupsctl --help") != NULL);
      /* Not the list of every command. */
      g_assert_null (strstr (result.err, "Usage:"));
      g_assert_cmpuint (count_lines (result.err), ==, 2);
      if (cases[i].suggestion != NULL)
        {
          expected = g_strdup_printf ("Did you mean %s?", cases[i].suggestion);
          g_assert_true (strstr (result.err, expected) != NULL);
        }
      else
        g_assert_null (strstr (result.err, "Did you mean"));
    }
}

static guint
display_columns (const char *line)
{
  guint n = 0;

  for (const char *p = line; *p != '\0'; p = g_utf8_next_char (p))
    n += g_unichar_iswide (g_utf8_get_char (p)) ? 2 : 1;
  return n;
}

/* In an 80-column terminal the schedules table fits: the least useful
 * columns go first and say so, long values end in "…"; --wide and a pipe
 * without COLUMNS get every column in full. */
static void
test_schedules_table_width (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) narrow = { 0 };
  g_auto (CliResult) wide = { 0 };
  g_auto (CliResult) piped = { 0 };
  g_auto (GStrv) lines = NULL;
  guint widest = 0;

  run_cli_env (&narrow, NULL, (const char *const[]){ "COLUMNS=80", NULL },
               (const char *const[]){ "schedules", "--org", "Acme", NULL });
  assert_status (&narrow, 0);
  lines = g_strsplit (narrow.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    {
      if (display_columns (lines[i]) > 80)
        g_error ("line %u is %u columns wide:\n%s", i, display_columns (lines[i]), narrow.out);
    }
  g_assert_true (g_str_has_prefix (lines[0], "ORG "));
  g_assert_true (strstr (lines[0], "SITE") != NULL);
  g_assert_true (strstr (lines[0], "NEXT RUN") != NULL);
  g_assert_true (strstr (lines[0], "STATUS") != NULL);
  g_assert_null (strstr (lines[0], "SERVER"));
  g_assert_true (strstr (narrow.out, "…") != NULL);
  g_assert_true (strstr (narrow.out, "Hidden to fit: ") != NULL);
  g_assert_true (strstr (strstr (narrow.out, "Hidden to fit"), "SERVER") != NULL);
  /* Times are never cut. */
  g_assert_true (strstr (narrow.out, "2026-11-29T05:00:00Z") != NULL);

  run_cli_env (&wide, NULL, (const char *const[]){ "COLUMNS=80", NULL },
               (const char *const[]){ "schedules", "--org", "Acme", "--wide", NULL });
  assert_status (&wide, 0);
  g_strfreev (lines);
  lines = g_strsplit (wide.out, "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    widest = MAX (widest, display_columns (lines[i]));
  g_assert_cmpuint (widest, >, 80);
  g_assert_true (strstr (lines[0], "SERVER") != NULL);
  g_assert_null (strstr (wide.out, "…"));
  g_assert_true (strstr (wide.out, "Keep 90 days · daily for a month, then monthly") != NULL);

  /* No COLUMNS and not a terminal: whole values, as before. */
  run_cli (&piped, NULL, "schedules", "--org", "Acme");
  assert_status (&piped, 0);
  g_assert_cmpstr (piped.out, ==, wide.out);

  /* Every table, and the notes under check's, fits 80 columns. */
  {
    const char *const *commands[] = {
      (const char *const[]){ "integrations", NULL },
      (const char *const[]){ "status", NULL },
      (const char *const[]){ "sites", NULL },
      (const char *const[]){ "check", NULL },
      (const char *const[]){ "account", "list", NULL },
    };

    for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
      {
        g_auto (CliResult) result = { 0 };
        g_auto (GStrv) out_lines = NULL;

        run_cli_env (&result, NULL, (const char *const[]){ "COLUMNS=80", NULL }, commands[c]);
        g_assert_cmpint (result.status, !=, 2);
        out_lines = g_strsplit (result.out, "\n", -1);
        g_assert_cmpuint (g_strv_length (out_lines), >, 1);
        for (guint i = 0; out_lines[i] != NULL; i++)
          if (display_columns (out_lines[i]) > 80)
            g_error ("%s: line %u is %u columns wide:\n%s", commands[c][0], i,
                     display_columns (out_lines[i]), result.out);
      }
  }
}

static void
test_help (void)
{
  const char *const *cases[] = {
    (const char *const[]){ "--help", NULL },
    (const char *const[]){ "help", NULL },
    (const char *const[]){ "org", "--help", NULL },
    (const char *const[]){ "org", "add", "--help", NULL },
    (const char *const[]){ "org", "list", "--help", NULL },
    (const char *const[]){ "org", "remove", "--help", NULL },
    (const char *const[]){ "account", "--help", NULL },
    (const char *const[]){ "account", "add", "--help", NULL },
    (const char *const[]){ "account", "list", "--help", NULL },
    (const char *const[]){ "account", "remove", "--help", NULL },
    (const char *const[]){ "sync", "--help", NULL },
    (const char *const[]){ "schedules", "--help", NULL },
    (const char *const[]){ "integrations", "--help", NULL },
    (const char *const[]){ "status", "-h", NULL },
  };
  g_auto (CliResult) top = { 0 };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (CliResult) result = { 0 };

      run_cli_env (&result, NULL, NULL, cases[i]);
      assert_status (&result, 0);
      g_assert_true (strstr (result.out, "Usage:") != NULL);
    }

  run_cli (&top, NULL, "--help");
  g_assert_true (strstr (top.out, "Exit status") != NULL);
  g_assert_true (strstr (top.out, "--org") != NULL);
}

/* Organizations and accounts ------------------------------------------------ */

static void
test_org (void)
{
  g_auto (CliResult) add = { 0 };
  g_auto (CliResult) duplicate = { 0 };
  g_auto (CliResult) add_second = { 0 };
  g_auto (CliResult) list = { 0 };
  g_auto (CliResult) remove = { 0 };
  g_auto (CliResult) remove_missing = { 0 };
  g_auto (CliResult) list_after = { 0 };
  g_auto (CliResult) empty_name = { 0 };

  run_cli (&add, NULL, "org", "add", "Acme");
  assert_status (&add, 0);

  run_cli (&duplicate, NULL, "org", "add", "Acme");
  assert_status (&duplicate, 1);
  g_assert_true (strstr (duplicate.err, "Acme") != NULL);

  run_cli (&add_second, NULL, "org", "add", "Beta, \"Inc\"");
  assert_status (&add_second, 0);

  run_cli (&list, NULL, "org", "list");
  assert_status (&list, 0);
  g_assert_cmpstr (list.out, ==, "Acme\nBeta, \"Inc\"\n");

  run_cli (&remove, NULL, "org", "remove", "Acme");
  assert_status (&remove, 0);

  run_cli (&remove_missing, NULL, "org", "remove", "Acme");
  assert_status (&remove_missing, 1);

  run_cli (&empty_name, NULL, "org", "add", "");
  assert_status (&empty_name, 1);

  run_cli (&list_after, NULL, "org", "list");
  assert_status (&list_after, 0);
  g_assert_cmpstr (list_after.out, ==, "Beta, \"Inc\"\n");
}

static void
test_org_remove_cascades (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_auto (CliResult) remove = { 0 };
  g_auto (CliResult) schedules = { 0 };

  run_cli (&remove, NULL, "org", "remove", "Globex");
  assert_status (&remove, 0);

  orgs = backups_store_list_orgs (store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, 1);

  run_cli (&schedules, NULL, "schedules", "--format", "csv");
  assert_status (&schedules, 0);
  g_assert_null (strstr (schedules.out, "globexsentinel"));
  g_assert_cmpuint (count_lines (schedules.out), ==, 1 + 6);
}

static void
test_account_list_remove (void)
{
  g_autoptr (BackupsStore) store = open_store ();
  gint64 acme_id = add_org (store, "Acme");
  g_auto (CliResult) empty = { 0 };
  g_auto (CliResult) list = { 0 };
  g_auto (CliResult) list_acme = { 0 };
  g_auto (CliResult) ambiguous = { 0 };
  g_auto (CliResult) remove = { 0 };
  g_auto (CliResult) remove_again = { 0 };
  g_auto (CliResult) remove_sole_org = { 0 };
  g_auto (CliResult) no_org = { 0 };
  g_auto (CliResult) list_after = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  gint64 globex_id;

  run_cli (&empty, NULL, "account", "list");
  assert_status (&empty, 0);
  g_assert_true (strstr (empty.out, "No accounts") != NULL);

  add_account (store, acme_id, "Client A", NULL, NULL);
  add_account (store, acme_id, "Client B", "https://panel.agency.example/oauth/api/v1", NULL);
  globex_id = add_org (store, "Globex");
  add_account (store, globex_id, "Globex main", NULL, NULL);

  run_cli (&list, NULL, "account", "list");
  assert_status (&list, 0);
  g_assert_true (g_str_has_prefix (list.out, "ORG "));
  g_assert_cmpuint (count_lines (list.out), ==, 4);
  g_assert_true (strstr (list.out, "Client A") != NULL);
  g_assert_true (strstr (list.out, "https://panel.agency.example/oauth/api/v1") != NULL);
  g_assert_true (strstr (list.out, "Globex main") != NULL);
  g_assert_true (strstr (list.out, "Never synced") != NULL);

  run_cli (&list_acme, NULL, "account", "list", "--org", "Acme");
  assert_status (&list_acme, 0);
  g_assert_cmpuint (count_lines (list_acme.out), ==, 3);
  g_assert_null (strstr (list_acme.out, "Globex"));

  /* Two organizations: removing needs --org. */
  run_cli (&ambiguous, NULL, "account", "remove", "--name", "Client B");
  assert_status (&ambiguous, 2);

  run_cli (&no_org, NULL, "account", "list", "--org", "Initech");
  assert_status (&no_org, 1);
  g_assert_true (strstr (no_org.err, "Initech") != NULL);

  run_cli (&remove, NULL, "account", "remove", "--org", "Acme", "--name", "Client B");
  assert_status (&remove, 0);
  run_cli (&remove_again, NULL, "account", "remove", "--org", "Acme", "--name", "Client B");
  assert_status (&remove_again, 1);

  accounts = backups_store_list_accounts (store, acme_id, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (accounts->len, ==, 1);

  /* One organization left: --org may be left out. */
  g_assert_true (backups_store_remove_org (store, globex_id, &error));
  run_cli (&remove_sole_org, NULL, "account", "remove", "--name", "Client A");
  assert_status (&remove_sole_org, 0);

  run_cli (&list_after, NULL, "account", "list");
  assert_status (&list_after, 0);
  g_assert_true (strstr (list_after.out, "No accounts") != NULL);
}

/* Reports ----------------------------------------------------------------- */

static const char *const schedule_keys[] = {
  "org",         "account",      "site_id",          "site_url",    "server_id", "server_label",
  "schedule_id", "type",         "frequency",        "hour",        "minute",    "day",
  "service_id",  "service_name", "integration_id",   "destination", "enabled",   "retain_days",
  "next_run",    "timezone",     "timezone_assumed", "problems",    NULL,
};

static const char *const integration_keys[] = {
  "org", "account", "integration_id", "service", "name", "region", "used_by", NULL,
};

static const char *const status_keys[] = {
  "org",       "account",      "last_sync_status", "last_sync_finished_at", "last_sync_error",
  "schedules", "integrations", "unreadable_rows",  "unreadable_reasons",    NULL,
};

static void
test_schedules_json (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autoptr (JsonArray) array = NULL;
  g_autoptr (JsonArray) all = NULL;
  g_auto (CliResult) result = { 0 };
  g_auto (CliResult) everything = { 0 };
  g_auto (CliResult) unknown = { 0 };
  JsonObject *object;

  run_cli (&result, NULL, "schedules", "--org", "Acme", "--format", "json");
  assert_status (&result, 0);
  array = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (array), ==, 6);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      object = json_array_get_object_element (array, i);
      assert_exact_keys (object, schedule_keys);
      g_assert_cmpstr (json_object_get_string_member (object, "org"), ==, "Acme");
      g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "Client A");
      assert_member_type (object, "site_id", G_TYPE_INT64, FALSE);
      assert_member_type (object, "site_url", G_TYPE_STRING, FALSE);
      assert_member_type (object, "server_id", G_TYPE_INT64, TRUE);
      assert_member_type (object, "server_label", G_TYPE_STRING, TRUE);
      assert_member_type (object, "schedule_id", G_TYPE_INT64, FALSE);
      assert_member_type (object, "type", G_TYPE_STRING, FALSE);
      assert_member_type (object, "frequency", G_TYPE_STRING, TRUE);
      assert_member_type (object, "hour", G_TYPE_INT64, TRUE);
      assert_member_type (object, "minute", G_TYPE_INT64, TRUE);
      assert_member_type (object, "day", G_TYPE_INT64, TRUE);
      assert_member_type (object, "service_id", G_TYPE_INT64, TRUE);
      assert_member_type (object, "service_name", G_TYPE_STRING, TRUE);
      assert_member_type (object, "integration_id", G_TYPE_INT64, TRUE);
      assert_member_type (object, "destination", G_TYPE_STRING, TRUE);
      assert_member_type (object, "enabled", G_TYPE_BOOLEAN, TRUE);
      assert_member_type (object, "retain_days", G_TYPE_INT64, TRUE);
      assert_member_type (object, "next_run", G_TYPE_STRING, TRUE);
      assert_member_type (object, "timezone", G_TYPE_STRING, TRUE);
      assert_member_type (object, "timezone_assumed", G_TYPE_BOOLEAN, FALSE);
      assert_member_type (object, "problems", G_TYPE_STRING, TRUE);
      g_assert_null (strstr (json_object_get_string_member (object, "site_url"), "globex"));
    }

  /* Site 0, local: weekly on Sunday (0) at 05:00 on a UTC server. */
  object = find_object (array, "schedule_id", 156000);
  g_assert_cmpint (json_object_get_int_member (object, "site_id"), ==, 869000);
  g_assert_cmpstr (json_object_get_string_member (object, "site_url"), ==,
                   "odd,\"site\".example.com");
  g_assert_cmpint (json_object_get_int_member (object, "server_id"), ==, 41000);
  g_assert_cmpstr (json_object_get_string_member (object, "server_label"), ==, "acme-server-0");
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "local");
  g_assert_cmpstr (json_object_get_string_member (object, "frequency"), ==, "weekly");
  g_assert_cmpint (json_object_get_int_member (object, "hour"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "minute"), ==, 0);
  g_assert_cmpint (json_object_get_int_member (object, "day"), ==, 0);
  g_assert_true (json_object_get_null_member (object, "service_id"));
  g_assert_true (json_object_get_null_member (object, "service_name"));
  g_assert_true (json_object_get_null_member (object, "integration_id"));
  g_assert_true (json_object_get_null_member (object, "destination"));
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpint (json_object_get_int_member (object, "retain_days"), ==, 30);
  g_assert_cmpstr (json_object_get_string_member (object, "next_run"), ==, "2026-11-29T05:00:00Z");
  g_assert_cmpstr (json_object_get_string_member (object, "timezone"), ==, "UTC");
  g_assert_false (json_object_get_boolean_member (object, "timezone_assumed"));
  g_assert_true (json_object_get_null_member (object, "problems"));

  /* Site 0, remote: daily 02:30 UTC to integration 2700 (an Amazon S3
   * bucket: kind id 5), disabled. */
  object = find_object (array, "schedule_id", 156001);
  g_assert_cmpstr (json_object_get_string_member (object, "type"), ==, "remote");
  g_assert_cmpstr (json_object_get_string_member (object, "frequency"), ==, "daily");
  g_assert_true (json_object_get_null_member (object, "day"));
  g_assert_cmpint (json_object_get_int_member (object, "service_id"), ==, 5);
  g_assert_cmpint (json_object_get_int_member (object, "integration_id"), ==, 2700);
  g_assert_cmpstr (json_object_get_string_member (object, "service_name"), ==, "aws-s3");
  g_assert_cmpstr (json_object_get_string_member (object, "destination"), ==, "Backup, \"main\"");
  g_assert_false (json_object_get_boolean_member (object, "enabled"));
  g_assert_cmpint (json_object_get_int_member (object, "retain_days"), ==, 90);
  g_assert_cmpstr (json_object_get_string_member (object, "next_run"), ==, "2026-11-29T02:30:00Z");

  /* Site 1 is on a New York server: Monday 05:00 EST, daily 02:30 EST. */
  object = find_object (array, "schedule_id", 156002);
  g_assert_cmpint (json_object_get_int_member (object, "day"), ==, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "timezone"), ==, "America/New_York");
  g_assert_cmpstr (json_object_get_string_member (object, "next_run"), ==, "2026-11-30T10:00:00Z");
  object = find_object (array, "schedule_id", 156003);
  g_assert_true (json_object_get_boolean_member (object, "enabled"));
  /* 02:30 EST on the 28th (07:30Z) has passed at 12:00Z. */
  g_assert_cmpstr (json_object_get_string_member (object, "next_run"), ==, "2026-11-29T07:30:00Z");

  /* Without --org: every organization, each row naming its own. */
  run_cli (&everything, NULL, "schedules", "--format", "json");
  assert_status (&everything, 0);
  all = parse_json_array (everything.out);
  g_assert_cmpuint (json_array_get_length (all), ==, 6 + 2);
  for (guint i = 0; i < json_array_get_length (all); i++)
    {
      JsonObject *row = json_array_get_object_element (all, i);
      const char *org = json_object_get_string_member (row, "org");
      const char *url = json_object_get_string_member (row, "site_url");

      g_assert_cmpint (g_strcmp0 (org, "Globex") == 0, ==, strstr (url, "globex") != NULL);
    }

  run_cli (&unknown, NULL, "schedules", "--org", "Initech", "--format", "json");
  assert_status (&unknown, 1);
  g_assert_cmpstr (unknown.out, ==, "");
  g_assert_true (strstr (unknown.err, "Initech") != NULL);
}

/* What GridPane sent that could not be read is unknown, never a guess:
 * null in JSON, "Unknown" in the table, the reason with the row, and the
 * count in `status`. A server without a known zone says its next runs
 * assume UTC. */
static void
test_schedules_unknown_values (void)
{
  g_autoptr (BackupsStore) store = open_store ();
  g_autoptr (BackupsSnapshot) snapshot = backups_test_make_snapshot ("odd", 2, 2, 1);
  g_autoptr (JsonArray) array = NULL;
  g_autoptr (JsonArray) status_array = NULL;
  g_auto (CliResult) json = { 0 };
  g_auto (CliResult) table = { 0 };
  g_auto (CliResult) status = { 0 };
  g_auto (CliResult) status_json = { 0 };
  BackupsScheduleRecord *odd = g_ptr_array_index (snapshot->schedules, 0);
  BackupsSiteRecord     *site = g_ptr_array_index (snapshot->sites, 1);
  BackupsServerRecord   *server = g_ptr_array_index (snapshot->servers, 1);
  JsonObject            *object;
  gint64                 org_id;

  /* Site 0's local schedule: a monthly day 31 at hour 24. */
  odd->frequency = BACKUPS_FREQUENCY_MONTHLY;
  odd->hour = BACKUPS_NO_VALUE;
  odd->day = BACKUPS_NO_VALUE;
  odd->problems = g_strdup ("schedule 156000: hour 24 is not between 0 and 23; day of month 31 "
                            "is not between 1 and 28");
  /* Site 1: GridPane said "local_bup": "enabled". */
  site->local_bup = BACKUPS_FLAG_UNKNOWN;
  site->problems = g_strdup ("site 869001: “local_bup” is “enabled”, not yes or no");
  /* Server 1 (site 1's): a zone GLib does not know. */
  g_free (server->timezone);
  server->timezone = g_strdup ("America/Gotham");

  org_id = add_org (store, "Odd");
  apply (store, add_account (store, org_id, "Odd Account", NULL, NULL), snapshot);

  run_cli (&json, NULL, "schedules", "--format", "json");
  assert_status (&json, 0);
  array = parse_json_array (json.out);

  object = find_object (array, "schedule_id", 156000);
  g_assert_cmpstr (json_object_get_string_member (object, "frequency"), ==, "monthly");
  g_assert_true (json_object_get_null_member (object, "hour"));
  g_assert_true (json_object_get_null_member (object, "day"));
  g_assert_true (json_object_get_null_member (object, "next_run"));
  g_assert_nonnull (strstr (json_object_get_string_member (object, "problems"), "hour 24"));

  /* Site 1's local schedule: enabled unknown, zone unknown. */
  object = find_object (array, "schedule_id", 156002);
  g_assert_true (json_object_get_null_member (object, "enabled"));
  g_assert_true (json_object_get_null_member (object, "timezone"));
  g_assert_true (json_object_get_boolean_member (object, "timezone_assumed"));
  /* Monday 05:00 read as UTC, and said to be. */
  g_assert_cmpstr (json_object_get_string_member (object, "next_run"), ==, "2026-11-30T05:00:00Z");

  run_cli (&table, NULL, "schedules");
  assert_status (&table, 0);
  g_assert_nonnull (strstr (table.out, "Monthly, time unknown"));
  g_assert_nonnull (strstr (table.out, "2026-11-30T05:00:00Z (zone unknown, UTC assumed)"));
  g_assert_nonnull (strstr (table.out, "Unknown"));

  run_cli (&status, NULL, "status");
  assert_status (&status, 0);
  g_assert_nonnull (
    strstr (status.out, "Odd / Odd Account: 2 rows had values Backups could not read"));
  g_assert_nonnull (strstr (status.out, "  schedule 156000: hour 24 is not between 0 and 23"));
  g_assert_nonnull (strstr (status.out, "  site 869001: “local_bup” is “enabled”"));

  run_cli (&status_json, NULL, "status", "--format", "json");
  assert_status (&status_json, 0);
  status_array = parse_json_array (status_json.out);
  object = json_array_get_object_element (status_array, 0);
  g_assert_cmpint (json_object_get_int_member (object, "unreadable_rows"), ==, 2);
  g_assert_nonnull (
    strstr (json_object_get_string_member (object, "unreadable_reasons"), "day of month 31"));
}

static void
test_schedules_csv (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) result = { 0 };
  g_auto (GStrv) lines = NULL;
  g_autofree char *header = g_strjoinv (",", (char **)schedule_keys);

  run_cli (&result, NULL, "schedules", "--org", "Acme", "--format", "csv");
  assert_status (&result, 0);

  /* CRLF after every record, including the last. */
  g_assert_true (g_str_has_suffix (result.out, "\r\n"));
  lines = g_strsplit (result.out, "\r\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
  g_assert_cmpstr (lines[7], ==, "");
  g_assert_cmpstr (lines[0], ==, header);
  for (guint i = 0; lines[i] != NULL; i++)
    g_assert_null (strchr (lines[i], '\n'));

  /* Fields with a comma or quote are quoted, inner quotes doubled;
   * null is an empty field, booleans are words. */
  g_assert_true (
    strstr (result.out, "Acme,Client A,869000,\"odd,\"\"site\"\".example.com\",41000,acme-server-0,"
                        "156000,local,weekly,5,0,0,,,,,true,30,2026-11-29T05:00:00Z,UTC,false,\r\n")
    != NULL);
  g_assert_true (strstr (result.out, ",156001,remote,daily,2,30,,5,aws-s3,2700,"
                                     "\"Backup, \"\"main\"\"\",false,90,2026-11-29T02:30:00Z,UTC,"
                                     "false,\r\n")
                 != NULL);
}

static void
test_schedules_table (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) result = { 0 };
  g_auto (CliResult) empty = { 0 };
  g_autoptr (JsonArray) empty_array = NULL;
  g_auto (GStrv) lines = NULL;
  const char *header_end;

  run_cli (&result, NULL, "schedules", "--org", "Acme");
  assert_status (&result, 0);
  lines = g_strsplit (result.out, "\n", -1);
  g_assert_cmpuint (g_strv_length (lines), ==, 1 + 6 + 1);
  g_assert_true (g_str_has_prefix (lines[0], "ORG "));
  g_assert_true (strstr (lines[0], "NEXT RUN") != NULL);

  /* Columns line up: the SITE column starts at the same offset on every row. */
  header_end = strstr (lines[0], "SITE");
  g_assert_nonnull (header_end);
  for (guint i = 1; i <= 6; i++)
    {
      const char *cell
        = g_utf8_offset_to_pointer (lines[i], g_utf8_pointer_to_offset (lines[0], header_end));

      g_assert_true (g_str_has_prefix (cell, "site") || g_str_has_prefix (cell, "odd,"));
      g_assert_true (cell[-1] == ' ' && cell[-2] == ' ');
    }

  g_assert_true (strstr (result.out, "Weekly on Sunday at 05:00") != NULL);
  /* The schedule is the server's clock, NEXT RUN UTC: a New York server's
   * schedule says so; a UTC server's says nothing more. */
  g_assert_true (strstr (result.out, "Weekly on Monday at 05:00 EST  2026-11-30T10:00:00Z") != NULL);
  g_assert_null (strstr (result.out, "Weekly on Sunday at 05:00 UTC"));
  g_assert_true (strstr (result.out, "Daily at 02:30") != NULL);
  g_assert_true (strstr (result.out, "Keep 30 days · daily for a week, then weekly") != NULL);
  g_assert_true (strstr (result.out, "Keep 90 days · daily for a month, then monthly") != NULL);
  g_assert_true (strstr (result.out, "Backup, \"main\" (Amazon S3)") != NULL);
  g_assert_true (strstr (result.out, "Disabled") != NULL);
  g_assert_true (strstr (result.out, "2026-11-29T05:00:00Z") != NULL);
  g_assert_null (strstr (result.out, "globex"));

  run_cli (&empty, NULL, "org", "add", "Empty");
  assert_status (&empty, 0);
  cli_result_clear (&empty);
  run_cli (&empty, NULL, "schedules", "--org", "Empty");
  assert_status (&empty, 0);
  g_assert_cmpstr (empty.out, ==, "No backup schedules.\n");
  cli_result_clear (&empty);
  run_cli (&empty, NULL, "schedules", "--org", "Empty", "--format", "json");
  assert_status (&empty, 0);
  empty_array = parse_json_array (empty.out);
  g_assert_cmpuint (json_array_get_length (empty_array), ==, 0);
}

/* A site's restore points, by its URL as a person types it. */
static void
test_restore_points (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (store, NULL);
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (GPtrArray) points = backups_restore_point_record_array_new ();
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) array = NULL;
  BackupsRestorePointRecord *point;
  JsonObject *first;
  gint64 acme_account;

  accounts = backups_store_list_accounts (store, backups_org_get_id (orgs->pdata[0]), NULL);
  acme_account = backups_account_get_id (accounts->pdata[0]);

  /* Not read yet: said so, and how to read them. */
  {
    g_auto (CliResult) unread = { 0 };

    run_cli (&unread, NULL, "restore-points", "--org", "Acme", "--site", "site1.acme.example.com");
    assert_status (&unread, 0);
    g_assert_true (strstr (unread.out, "has not read") != NULL);
  }

  point = backups_restore_point_record_new ();
  point->source = g_strdup ("local");
  point->name = g_strdup ("2026-11-27 05:00");
  point->taken_at = 1795755600; /* 2026-11-27T05:00:00Z */
  g_ptr_array_add (points, point);
  point = backups_restore_point_record_new ();
  point->source = g_strdup ("aws-s3");
  point->kind = BACKUPS_RESTORE_POINT_MANUAL;
  point->name = g_strdup ("2026-11-28 09:30 pre-update");
  point->taken_at = 1795858200; /* 2026-11-28T09:30:00Z */
  point->tag = g_strdup ("pre-update");
  g_ptr_array_add (points, point);
  g_assert_true (backups_store_replace_restore_points (store, acme_account, 869001, points, 0,
                                                       1795860000, &error));
  g_assert_no_error (error);

  {
    g_auto (CliResult) table = { 0 };
    g_auto (GStrv) lines = NULL;

    run_cli (&table, NULL, "restore-points", "--org", "Acme", "--site",
             "https://SITE1.acme.example.com/");
    assert_status (&table, 0);
    lines = g_strsplit (table.out, "\n", -1);
    g_assert_cmpuint (g_strv_length (lines), ==, 1 + 2 + 1);
    /* Newest first, sources and kinds in words. */
    g_assert_true (strstr (lines[1], "Amazon S3") != NULL);
    g_assert_true (strstr (lines[1], "Manual") != NULL);
    g_assert_true (strstr (lines[1], "2026-11-28T09:30:00Z") != NULL);
    g_assert_true (strstr (lines[1], "pre-update") != NULL);
    g_assert_true (strstr (lines[2], "On the server") != NULL);
    g_assert_true (strstr (lines[2], "Automatic") != NULL);
  }

  {
    g_auto (CliResult) json = { 0 };
    const char *const keys[] = { "org",  "account",  "site_url", "source", "kind",
                                 "name", "taken_at", "tag",      NULL };

    run_cli (&json, NULL, "restore-points", "--site", "site1.acme.example.com", "--format", "json");
    assert_status (&json, 0);
    array = parse_json_array (json.out);
    g_assert_cmpuint (json_array_get_length (array), ==, 2);
    first = json_array_get_object_element (array, 0);
    assert_exact_keys (first, keys);
    g_assert_cmpstr (json_object_get_string_member (first, "source"), ==, "aws-s3");
    g_assert_cmpstr (json_object_get_string_member (first, "kind"), ==, "manual");
    g_assert_cmpstr (json_object_get_string_member (first, "taken_at"), ==, "2026-11-28T09:30:00Z");
    g_assert_cmpstr (json_object_get_string_member (first, "tag"), ==, "pre-update");
    g_assert_true (json_object_get_null_member (json_array_get_object_element (array, 1), "tag"));
  }

  /* Another organization does not have the site; nobody has this one. */
  {
    g_auto (CliResult) other = { 0 };
    g_auto (CliResult) missing = { 0 };
    g_auto (CliResult) usage = { 0 };

    run_cli (&other, NULL, "restore-points", "--org", "Globex", "--site", "site1.acme.example.com");
    assert_status (&other, 1);
    g_assert_true (strstr (other.err, "site1.acme.example.com") != NULL);
    g_assert_cmpstr (other.out, ==, "");
    run_cli (&missing, NULL, "restore-points", "--site", "nowhere.example.com");
    assert_status (&missing, 1);
    run_cli (&usage, NULL, "restore-points", "--org", "Acme");
    assert_status (&usage, 2);
    g_assert_true (strstr (usage.err, "--site") != NULL);
  }
}

static void
test_integrations (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autoptr (JsonArray) array = NULL;
  g_auto (CliResult) json = { 0 };
  g_auto (CliResult) csv = { 0 };
  g_auto (CliResult) table = { 0 };
  g_autofree char *header = g_strjoinv (",", (char **)integration_keys);
  JsonObject      *object;

  run_cli (&json, NULL, "integrations", "--org", "Acme", "--format", "json");
  assert_status (&json, 0);
  array = parse_json_array (json.out);
  g_assert_cmpuint (json_array_get_length (array), ==, 2);
  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      object = json_array_get_object_element (array, i);
      assert_exact_keys (object, integration_keys);
      assert_member_type (object, "org", G_TYPE_STRING, FALSE);
      assert_member_type (object, "account", G_TYPE_STRING, FALSE);
      assert_member_type (object, "integration_id", G_TYPE_INT64, FALSE);
      assert_member_type (object, "service", G_TYPE_STRING, FALSE);
      assert_member_type (object, "name", G_TYPE_STRING, FALSE);
      assert_member_type (object, "region", G_TYPE_STRING, TRUE);
      assert_member_type (object, "used_by", G_TYPE_INT64, FALSE);
    }

  object = find_object (array, "integration_id", 2700);
  g_assert_cmpstr (json_object_get_string_member (object, "service"), ==, "aws-s3");
  g_assert_cmpstr (json_object_get_string_member (object, "name"), ==, "Backup, \"main\"");
  g_assert_true (json_object_get_null_member (object, "region"));
  g_assert_cmpint (json_object_get_int_member (object, "used_by"), ==, 2);
  object = find_object (array, "integration_id", 2701);
  g_assert_cmpstr (json_object_get_string_member (object, "service"), ==, "backblaze");
  g_assert_cmpstr (json_object_get_string_member (object, "region"), ==, "us-east-2");
  g_assert_cmpint (json_object_get_int_member (object, "used_by"), ==, 1);

  run_cli (&csv, NULL, "integrations", "--org", "Acme", "--format", "csv");
  assert_status (&csv, 0);
  g_assert_true (g_str_has_prefix (csv.out, header));
  g_assert_true (strstr (csv.out, "Acme,Client A,2700,aws-s3,\"Backup, \"\"main\"\"\",,2\r\n")
                 != NULL);
  g_assert_true (strstr (csv.out, "Acme,Client A,2701,backblaze,acme storage 1,us-east-2,1\r\n")
                 != NULL);
  g_assert_null (strstr (csv.out, "globex"));

  run_cli (&table, NULL, "integrations");
  assert_status (&table, 0);
  g_assert_cmpuint (count_lines (table.out), ==, 1 + 2 + 1);
  g_assert_true (strstr (table.out, "Amazon S3") != NULL);
  g_assert_true (strstr (table.out, "Backblaze B2") != NULL);
  g_assert_true (strstr (table.out, "globexsentinel storage 0") != NULL);
}

static void
test_status (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autoptr (JsonArray) array = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) acme = NULL;
  g_auto (CliResult) json = { 0 };
  g_auto (CliResult) table = { 0 };
  JsonObject *object;
  gint64      failing_id;

  acme = backups_store_find_org (store, "Acme", &error);
  g_assert_no_error (error);
  failing_id = add_account (store, backups_org_get_id (acme), "Client B", NULL, NULL);
  g_assert_true (backups_store_begin_sync (store, failing_id, &error));
  g_assert_true (backups_store_record_sync_failure (
    store, failing_id, "GridPane rejected the token of account ‘Client B’ (HTTP 401).", &error));

  run_cli (&json, NULL, "status", "--format", "json");
  assert_status (&json, 0);
  array = parse_json_array (json.out);
  g_assert_cmpuint (json_array_get_length (array), ==, 3);

  for (guint i = 0; i < json_array_get_length (array); i++)
    {
      object = json_array_get_object_element (array, i);
      assert_exact_keys (object, status_keys);
      assert_member_type (object, "last_sync_status", G_TYPE_STRING, FALSE);
      assert_member_type (object, "last_sync_finished_at", G_TYPE_STRING, TRUE);
      assert_member_type (object, "last_sync_error", G_TYPE_STRING, TRUE);
      assert_member_type (object, "schedules", G_TYPE_INT64, FALSE);
      assert_member_type (object, "integrations", G_TYPE_INT64, FALSE);
    }

  object = json_array_get_object_element (array, 0);
  g_assert_cmpstr (json_object_get_string_member (object, "org"), ==, "Acme");
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "Client A");
  g_assert_cmpstr (json_object_get_string_member (object, "last_sync_status"), ==, "ok");
  g_assert_true (
    g_str_has_suffix (json_object_get_string_member (object, "last_sync_finished_at"), "Z"));
  g_assert_true (json_object_get_null_member (object, "last_sync_error"));
  g_assert_cmpint (json_object_get_int_member (object, "schedules"), ==, 6);
  g_assert_cmpint (json_object_get_int_member (object, "integrations"), ==, 2);

  object = json_array_get_object_element (array, 1);
  g_assert_cmpstr (json_object_get_string_member (object, "account"), ==, "Client B");
  g_assert_cmpstr (json_object_get_string_member (object, "last_sync_status"), ==, "error");
  g_assert_true (strstr (json_object_get_string_member (object, "last_sync_error"), "401") != NULL);
  g_assert_cmpint (json_object_get_int_member (object, "schedules"), ==, 0);

  object = json_array_get_object_element (array, 2);
  g_assert_cmpstr (json_object_get_string_member (object, "org"), ==, "Globex");
  g_assert_cmpint (json_object_get_int_member (object, "schedules"), ==, 2);
  g_assert_cmpint (json_object_get_int_member (object, "integrations"), ==, 1);

  run_cli (&table, NULL, "status", "--org", "Acme");
  assert_status (&table, 0);
  g_assert_cmpuint (count_lines (table.out), ==, 3);
  g_assert_true (strstr (table.out, "OK") != NULL);
  g_assert_true (strstr (table.out, "Failed") != NULL);
  g_assert_true (strstr (table.out, "HTTP 401") != NULL);
  g_assert_null (strstr (table.out, "Globex"));
}

/* Keyring and mock --------------------------------------------------------- */

static gboolean
keyring_available (void)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_keyring ();
  g_autoptr (GError) error = NULL;
  g_autofree char *probe_id = backups_secrets_generate_id ();

  if (backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)probe_id },
                             "Backups: test-cli probe", "probe", &error))
    {
      backups_secrets_clear (secrets, probe_id, NULL);
      return TRUE;
    }

  if (g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0)
    g_error ("The test command promised a keyring but: %s", error->message);

  g_test_skip ("No Secret Service reachable in this session (run under ./run-tests)");
  return FALSE;
}

static GridpaneMock *
start_mock (void)
{
  g_autoptr (GError) error = NULL;
  GridpaneMock *mock = gridpane_mock_new ();

  gridpane_mock_set_rate_limits (mock, FALSE, 0, 0, 60, 0);
  gridpane_mock_add_account (
    mock, GOOD_TOKEN,
    &(GridpaneMockFleetOptions){
      .seed = 7, .n_servers = 2, .n_sites = 6, .n_integrations = 3, .name_prefix = "acme" });
  g_assert_true (gridpane_mock_start (mock, 0, &error));
  g_assert_no_error (error);
  return mock;
}

static BackupsAccount *
find_account (BackupsStore *store, const char *org_name, const char *name)
{
  g_autoptr (BackupsOrg) org = backups_store_find_org (store, org_name, NULL);

  if (org == NULL)
    return NULL;
  return backups_store_find_account (store, backups_org_get_id (org), name, NULL);
}

static guint
count_account_rows (BackupsStore *store,
                    const char   *org_name,
                    const char   *account_name,
                    gboolean      integrations)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_find_org (store, org_name, &error);
  g_autoptr (GPtrArray) rows = NULL;
  guint n = 0;

  g_assert_no_error (error);
  if (integrations)
    rows = backups_store_query_integrations (store, backups_org_get_id (org), &error);
  else
    rows = backups_store_query_schedules (store, backups_org_get_id (org), &error);
  g_assert_no_error (error);

  for (guint i = 0; i < rows->len; i++)
    {
      const char *name = integrations
                           ? backups_integration_get_account_name (g_ptr_array_index (rows, i))
                           : backups_schedule_get_account_name (g_ptr_array_index (rows, i));

      n += g_strcmp0 (name, account_name) == 0;
    }
  return n;
}

static void
assert_token_not_in_database (BackupsStore *store, const char *token)
{
  g_autofree char *wal = g_strconcat (backups_store_get_path (store), "-wal", NULL);

  g_assert_false (backups_test_file_contains (backups_store_get_path (store), token));
  if (g_file_test (wal, G_FILE_TEST_EXISTS))
    g_assert_false (backups_test_file_contains (wal, token));
}

static void
test_account_add (void)
{
  g_autoptr (GridpaneMock) mock = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;
  g_auto (CliResult) good = { 0 };
  g_auto (CliResult) bad = { 0 };
  g_auto (CliResult) plain_http = { 0 };
  g_auto (CliResult) empty = { 0 };
  g_auto (CliResult) taken = { 0 };
  g_auto (CliResult) list = { 0 };
  g_auto (CliResult) remove = { 0 };

  if (!keyring_available ())
    return;

  mock = start_mock ();
  base_url = gridpane_mock_get_base_url (mock);
  store = open_store ();
  add_org (store, "Acme");

  /* A good token: checked with GET /user, kept in the keyring only. */
  run_cli (&good, GOOD_TOKEN "\n", "account", "add", "--org", "Acme", "--name", "Client A",
           "--base-url", base_url, "--token-stdin");
  assert_status (&good, 0);
  g_assert_null (strstr (good.out, GOOD_TOKEN));
  g_assert_null (strstr (good.err, GOOD_TOKEN));
  g_assert_cmpuint (gridpane_mock_get_request_count (mock, "/user"), >=, 1);

  account = find_account (store, "Acme", "Client A");
  g_assert_nonnull (account);
  g_assert_cmpstr (backups_account_get_base_url (account), ==, base_url);
  secrets = backups_secrets_new_keyring ();
  token = backups_secrets_lookup (secrets, backups_account_get_secret_id (account), &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, GOOD_TOKEN);
  assert_token_not_in_database (store, GOOD_TOKEN);

  /* A token GridPane rejects: exit 1, nothing saved. */
  run_cli (&bad, "not-a-token\n", "account", "add", "--org", "Acme", "--name", "Client B",
           "--base-url", base_url, "--token-stdin");
  assert_status (&bad, 1);
  g_assert_true (strstr (bad.err, "Client B") != NULL);
  g_assert_null (strstr (bad.err, "not-a-token"));
  g_assert_null (find_account (store, "Acme", "Client B"));

  /* Plain http:// to anything but this computer: refused before any request. */
  run_cli (&plain_http, GOOD_TOKEN "\n", "account", "add", "--org", "Acme", "--name", "Client C",
           "--base-url", "http://gridpane.example.com/oauth/api/v1", "--token-stdin");
  assert_status (&plain_http, 2);
  g_assert_null (find_account (store, "Acme", "Client C"));

  run_cli (&empty, "\n", "account", "add", "--org", "Acme", "--name", "Client C", "--base-url",
           base_url, "--token-stdin");
  assert_status (&empty, 2);
  g_assert_null (find_account (store, "Acme", "Client C"));

  run_cli (&taken, GOOD_TOKEN "\n", "account", "add", "--name", "Client A", "--base-url", base_url,
           "--token-stdin");
  assert_status (&taken, 1);

  run_cli (&list, NULL, "account", "list", "--org", "Acme");
  assert_status (&list, 0);
  g_assert_cmpuint (count_lines (list.out), ==, 2);

  /* Removing the account deletes its token from the keyring too. */
  run_cli (&remove, NULL, "account", "remove", "--org", "Acme", "--name", "Client A");
  assert_status (&remove, 0);
  g_clear_pointer (&token, backups_secret_token_free);
  token = backups_secrets_lookup (secrets, backups_account_get_secret_id (account), &error);
  g_assert_null (token);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
}

static void
test_account_add_without_keyring (void)
{
  g_autoptr (GridpaneMock) mock = start_mock ();
  g_autoptr (BackupsStore) store = open_store ();
  g_autofree char *base_url = gridpane_mock_get_base_url (mock);
  g_autofree char *no_bus
    = g_strdup_printf ("DBUS_SESSION_BUS_ADDRESS=unix:path=%s/no-bus", g_get_user_runtime_dir ());
  const char *env[] = { no_bus, NULL };
  g_auto (CliResult) result = { 0 };

  add_org (store, "Acme");

  run_cli_env (&result, GOOD_TOKEN "\n", env,
               (const char *const[]){ "account", "add", "--org", "Acme", "--name", "Client A",
                                      "--base-url", base_url, "--token-stdin", NULL });
  assert_status (&result, 1);
  g_assert_true (strstr (result.err, "Secret Service") != NULL);
  g_assert_true (strstr (result.err, "Nothing was saved") != NULL);
  g_assert_null (strstr (result.err, GOOD_TOKEN));
  g_assert_null (find_account (store, "Acme", "Client A"));
  assert_token_not_in_database (store, GOOD_TOKEN);
}

static void
test_sync (void)
{
  g_autoptr (GridpaneMock) mock = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (GError) error = NULL;
  g_autoptr (JsonArray) status_rows = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *revoked_secret = backups_secrets_generate_id ();
  g_autofree char *dump_before = NULL;
  g_autofree char *dump_after = NULL;
  g_auto (CliResult) add = { 0 };
  g_auto (CliResult) first = { 0 };
  g_auto (CliResult) again = { 0 };
  g_auto (CliResult) one = { 0 };
  g_auto (CliResult) both = { 0 };
  g_auto (CliResult) status = { 0 };
  g_auto (CliResult) nothing = { 0 };
  g_auto (CliResult) unknown = { 0 };
  g_auto (CliResult) refused = { 0 };
  g_auto (CliResult) replaced = { 0 };
  g_auto (CliResult) fixed = { 0 };
  g_auto (CliResult) renamed = { 0 };
  g_auto (CliResult) org_renamed = { 0 };
  g_auto (CliResult) taken = { 0 };
  g_auto (CliResult) listed = { 0 };
  g_autoptr (BackupsSecretToken) token = NULL;
  g_autoptr (BackupsAccount) client_a = NULL;
  guint  n_schedules;
  guint  n_integrations;
  gint64 org_id;
  gint64 revoked_id;

  if (!keyring_available ())
    return;

  mock = start_mock ();
  base_url = gridpane_mock_get_base_url (mock);
  store = open_store ();
  org_id = add_org (store, "Acme");

  run_cli (&nothing, NULL, "sync");
  assert_status (&nothing, 0);

  run_cli (&add, GOOD_TOKEN "\n", "account", "add", "--org", "Acme", "--name", "Client A",
           "--base-url", base_url, "--token-stdin");
  assert_status (&add, 0);

  /* The sole organization: sync of everything, then of one account. */
  run_cli (&first, NULL, "sync");
  assert_status (&first, 0);
  n_schedules = gridpane_mock_get_n_schedules (mock, GOOD_TOKEN);
  n_integrations = gridpane_mock_get_n_integrations (mock, GOOD_TOKEN);
  g_assert_cmpuint (n_schedules, >, 0);
  g_assert_cmpuint (count_account_rows (store, "Acme", "Client A", FALSE), ==, n_schedules);
  g_assert_cmpuint (count_account_rows (store, "Acme", "Client A", TRUE), ==, n_integrations);
  g_assert_true (strstr (first.out, "Client A") != NULL);
  g_assert_true (strstr (first.out, " 0 deleted") != NULL);

  run_cli (&again, NULL, "sync", "--account", "Client A");
  assert_status (&again, 0);
  g_assert_true (strstr (again.out, "0 inserted, 0 updated, 0 deleted") != NULL);

  /* A second account whose token GridPane no longer accepts. */
  secrets = backups_secrets_new_keyring ();
  g_assert_true (
    backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)revoked_secret },
                           "Backups: test-cli", REVOKED_TOKEN, &error));
  g_assert_no_error (error);
  revoked_id = add_account (store, org_id, "Client B", base_url, revoked_secret);

  gridpane_mock_mutate_fleet (mock, GOOD_TOKEN, 3);
  client_a = find_account (store, "Acme", "Client A");
  dump_before = backups_test_dump_account (store, revoked_id);

  run_cli (&both, NULL, "sync", "--org", "Acme");
  assert_status (&both, 1);
  g_assert_true (strstr (both.err, "Client B") != NULL);
  g_assert_null (strstr (both.err, REVOKED_TOKEN));
  g_assert_true (strstr (both.out, "Client A") != NULL);
  g_assert_null (strstr (both.out, "Client B"));
  /* The other account of the org synced: the store follows the mutated fleet. */
  g_assert_cmpuint (count_account_rows (store, "Acme", "Client A", FALSE), ==,
                    gridpane_mock_get_n_schedules (mock, GOOD_TOKEN));
  g_assert_cmpuint (count_account_rows (store, "Acme", "Client A", TRUE), ==,
                    gridpane_mock_get_n_integrations (mock, GOOD_TOKEN));
  dump_after = backups_test_dump_account (store, revoked_id);
  g_assert_cmpstr (dump_after, ==, dump_before);

  run_cli (&one, NULL, "sync", "--org", "Acme", "--account", "Client B");
  assert_status (&one, 1);
  g_assert_true (strstr (one.err, "Client B") != NULL);
  /* It says how to replace the token. */
  g_assert_true (strstr (one.err, "backupsctl account set-token --org \"Acme\" --name \"Client B\"")
                 != NULL);

  run_cli (&unknown, NULL, "sync", "--org", "Acme", "--account", "Client Z");
  assert_status (&unknown, 1);

  run_cli (&status, NULL, "status", "--format", "json");
  assert_status (&status, 0);
  status_rows = parse_json_array (status.out);
  g_assert_cmpuint (json_array_get_length (status_rows), ==, 2);
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (status_rows, 0),
                                                  "last_sync_status"),
                   ==, "ok");
  g_assert_cmpstr (json_object_get_string_member (json_array_get_object_element (status_rows, 1),
                                                  "last_sync_status"),
                   ==, "error");

  /* A new token: refused ones change nothing, a good one replaces it. */
  gridpane_mock_add_account (
    mock, NEW_TOKEN,
    &(GridpaneMockFleetOptions){ .seed = 9, .n_sites = 4, .name_prefix = "clientb" });
  run_cli (&refused, "still-not-valid\n", "account", "set-token", "--org", "Acme", "--name",
           "Client B", "--token-stdin");
  assert_status (&refused, 1);
  g_assert_true (strstr (refused.err, "Nothing was saved") != NULL);
  token = backups_secrets_lookup (secrets, revoked_secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, REVOKED_TOKEN);
  g_clear_pointer (&token, backups_secret_token_free);

  run_cli (&replaced, NEW_TOKEN "\n", "account", "set-token", "--org", "Acme", "--name", "Client B",
           "--token-stdin");
  assert_status (&replaced, 0);
  g_assert_null (strstr (replaced.out, NEW_TOKEN));
  token = backups_secrets_lookup (secrets, revoked_secret, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, NEW_TOKEN);
  run_cli (&fixed, NULL, "sync", "--org", "Acme", "--account", "Client B");
  assert_status (&fixed, 0);
  g_assert_cmpuint (count_account_rows (store, "Acme", "Client B", FALSE), ==,
                    gridpane_mock_get_n_schedules (mock, NEW_TOKEN));

  /* Renames keep the rows; the reports show the new names. */
  run_cli (&renamed, NULL, "account", "rename", "--org", "Acme", "--name", "Client B",
           "Client Bee");
  assert_status (&renamed, 0);
  run_cli (&org_renamed, NULL, "org", "rename", "Acme", "Acme Agency");
  assert_status (&org_renamed, 0);
  g_assert_cmpuint (count_account_rows (store, "Acme Agency", "Client Bee", FALSE), ==,
                    gridpane_mock_get_n_schedules (mock, NEW_TOKEN));
  add_org (store, "Globex");
  run_cli (&taken, NULL, "org", "rename", "Acme Agency", "Globex");
  assert_status (&taken, 1);
  g_assert_true (strstr (taken.err, "already exists") != NULL);
  run_cli (&listed, NULL, "account", "list");
  assert_status (&listed, 0);
  g_assert_true (strstr (listed.out, "Client Bee") != NULL);
  g_assert_true (strstr (listed.out, "Acme Agency") != NULL);

  assert_token_not_in_database (store, GOOD_TOKEN);
  assert_token_not_in_database (store, REVOKED_TOKEN);
  assert_token_not_in_database (store, NEW_TOKEN);
  backups_secrets_clear (secrets, revoked_secret, NULL);
  backups_secrets_clear (secrets, backups_account_get_secret_id (client_a), NULL);
}

/* sites and check ---------------------------------------------------------- */

static const char *const site_keys[] = {
  "org",      "account",   "site_id", "site_url", "server_id",   "server_label", "health",
  "findings", "sentences", "local",   "remote",   "next_backup", "problems",     NULL,
};

/* An organization "Safe" whose two sites are both protected. */
static void
add_safe_org (BackupsStore *store)
{
  g_autoptr (BackupsSnapshot) safe = backups_test_make_snapshot ("safe", 1, 2, 1);
  BackupsSiteRecord *site = g_ptr_array_index (safe->sites, 0);

  site->remote_bup = BACKUPS_FLAG_YES;
  apply (store, add_account (store, add_org (store, "Safe"), "Vault", NULL, NULL), safe);
}

/* One row per site with its health, the ids of its findings and a
 * sentence for each. */
static void
test_sites_json (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) result = { 0 };
  g_autoptr (JsonArray) rows = NULL;
  JsonObject *at_risk;
  JsonArray  *findings;
  JsonArray  *sentences;
  guint       n_protected = 0;

  run_cli (&result, NULL, "sites", "--org", "Acme", "--format", "json");
  assert_status (&result, 0);
  g_assert_null (strstr (result.out, "globexsentinel"));
  rows = parse_json_array (result.out);
  g_assert_cmpuint (json_array_get_length (rows), ==, 3);

  for (guint i = 0; i < 3; i++)
    {
      JsonObject *row = json_array_get_object_element (rows, i);
      const char *health = json_object_get_string_member (row, "health");

      assert_exact_keys (row, site_keys);
      assert_member_type (row, "site_id", G_TYPE_INT64, FALSE);
      assert_member_type (row, "server_id", G_TYPE_INT64, TRUE);
      assert_member_type (row, "next_backup", G_TYPE_STRING, TRUE);
      g_assert_cmpstr (json_object_get_string_member (row, "org"), ==, "Acme");
      g_assert_true (g_strv_contains (
        (const char *const[]){ "protected", "at-risk", "unprotected", "unknown", NULL }, health));
      g_assert_cmpuint (json_array_get_length (json_object_get_array_member (row, "findings")), ==,
                        json_array_get_length (json_object_get_array_member (row, "sentences")));
      n_protected += g_str_equal (health, "protected");
    }
  g_assert_cmpuint (n_protected, ==, 2);

  /* Site 0 has its remote backups switched off and runs a weekly local
   * backup only; it is listed first, worst first. */
  at_risk = find_object (rows, "site_id", 869000);
  g_assert_true (at_risk == json_array_get_object_element (rows, 0));
  g_assert_cmpstr (json_object_get_string_member (at_risk, "health"), ==, "at-risk");
  findings = json_object_get_array_member (at_risk, "findings");
  sentences = json_object_get_array_member (at_risk, "sentences");
  g_assert_cmpuint (json_array_get_length (findings), ==, 3);
  g_assert_cmpstr (json_array_get_string_element (findings, 0), ==, "no-remote");
  g_assert_cmpstr (json_array_get_string_element (findings, 1), ==, "automatic-off");
  g_assert_cmpstr (json_array_get_string_element (findings, 2), ==, "infrequent");
  g_assert_true (g_str_has_suffix (json_array_get_string_element (sentences, 2),
                                   "under Site → Backups in GridPane."));
  g_assert_nonnull (strstr (json_array_get_string_element (sentences, 2), "24 hours"));
  g_assert_cmpstr (json_object_get_string_member (at_risk, "remote"), ==, "None");
  g_assert_cmpstr (json_object_get_string_member (at_risk, "local"), ==,
                   "Weekly on Sunday at 05:00 · 30 days");
  /* Sunday 05:00 UTC after Saturday 2026-11-28 12:00 UTC. */
  g_assert_cmpstr (json_object_get_string_member (at_risk, "next_backup"), ==,
                   "2026-11-29T05:00:00Z");
}

static void
test_sites_csv_and_table (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) csv = { 0 };
  g_auto (CliResult) table = { 0 };

  run_cli (&csv, NULL, "sites", "--org", "Acme", "--format", "csv");
  assert_status (&csv, 0);
  g_assert_true (g_str_has_prefix (csv.out, "org,account,site_id,site_url,server_id,server_label,"
                                            "health,findings,sentences,"));
  g_assert_cmpuint (count_lines (csv.out), ==, 4);
  g_assert_nonnull (strstr (csv.out, ",at-risk,no-remote;automatic-off;infrequent,"));

  run_cli (&table, NULL, "sites", "--org", "Acme");
  assert_status (&table, 0);
  g_assert_nonnull (strstr (table.out, "HEALTH"));
  g_assert_nonnull (strstr (table.out, "At risk"));
  g_assert_nonnull (strstr (table.out, "Protected"));
}

/* check: 3 when a site is not protected, 0 when all are; 1 and 2 keep
 * their meanings. */
static void
test_check_exit_codes (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_auto (CliResult) unsafe = { 0 };
  g_auto (CliResult) safe = { 0 };
  g_auto (CliResult) unsafe_json = { 0 };
  g_auto (CliResult) safe_json = { 0 };
  g_auto (CliResult) missing = { 0 };
  g_auto (CliResult) both = { 0 };
  g_auto (CliResult) csv = { 0 };
  g_autoptr (JsonArray) rows = NULL;

  add_safe_org (store);

  run_cli (&unsafe, NULL, "check", "--org", "Acme");
  assert_status (&unsafe, 3);
  g_assert_nonnull (strstr (unsafe.out, "odd,\"site\".example.com"));
  g_assert_null (strstr (unsafe.out, "site1.acme"));
  g_assert_nonnull (strstr (unsafe.out, "no-remote: "));
  g_assert_nonnull (strstr (unsafe.out, "1 of 3 sites is not protected."));

  run_cli (&safe, NULL, "check", "--org", "Safe");
  assert_status (&safe, 0);
  g_assert_cmpstr (safe.out, ==, "All 2 sites are protected.\n");

  /* JSON lists only the sites that are not protected. */
  run_cli (&unsafe_json, NULL, "check", "--org", "Acme", "--format", "json");
  assert_status (&unsafe_json, 3);
  rows = parse_json_array (unsafe_json.out);
  g_assert_cmpuint (json_array_get_length (rows), ==, 1);
  assert_exact_keys (json_array_get_object_element (rows, 0), site_keys);
  run_cli (&safe_json, NULL, "check", "--org", "Safe", "--format", "json");
  assert_status (&safe_json, 0);
  g_assert_cmpstr (g_strstrip (safe_json.out), ==, "[]");

  /* Every organization: Acme's and Globex's sites fail the check. */
  {
    g_auto (CliResult) all = { 0 };

    run_cli (&all, NULL, "check", "--all");
    assert_status (&all, 3);
    g_assert_nonnull (strstr (all.out, "2 of 6 sites are not protected."));
  }

  /* A site without any schedule is unprotected, and check says what that
   * means. */
  {
    g_autoptr (BackupsSnapshot) bare = backups_test_make_snapshot ("bare", 1, 1, 1);
    g_auto (CliResult) unprotected = { 0 };

    g_ptr_array_set_size (bare->schedules, 0);
    apply (store, add_account (store, add_org (store, "Bare"), "Empty", NULL, NULL), bare);
    run_cli (&unprotected, NULL, "check", "--org", "Bare");
    assert_status (&unprotected, 3);
    g_assert_nonnull (strstr (unprotected.out, "Unprotected"));
    g_assert_nonnull (
      strstr (unprotected.out, "Unprotected: no backup schedule of the site is on."));
    g_assert_nonnull (strstr (unprotected.out, "1 of 1 sites is not protected."));
  }

  run_cli (&missing, NULL, "check", "--org", "Nowhere");
  assert_status (&missing, 1);
  run_cli (&both, NULL, "check", "--org", "Acme", "--all");
  assert_status (&both, 2);
  g_assert_nonnull (strstr (both.err, "either --org or --all"));
  run_cli (&csv, NULL, "check", "--format", "csv");
  assert_status (&csv, 2);
}

/* --all: the rows of every organization, each naming its own. */
static void
test_all_organizations (void)
{
  g_autoptr (BackupsStore) store = populate ();
  const char *commands[] = { "schedules", "integrations", "status", "sites" };
  const guint expected[] = { 6 + 2, 2 + 1, 1 + 1, 3 + 1 };

  for (guint c = 0; c < G_N_ELEMENTS (commands); c++)
    {
      g_auto (CliResult) all = { 0 };
      g_auto (CliResult) one = { 0 };
      g_autoptr (JsonArray) rows = NULL;
      g_autoptr (JsonArray) one_rows = NULL;
      guint n_globex = 0;

      run_cli (&all, NULL, commands[c], "--all", "--format", "json");
      assert_status (&all, 0);
      rows = parse_json_array (all.out);
      g_assert_cmpuint (json_array_get_length (rows), ==, expected[c]);
      for (guint i = 0; i < json_array_get_length (rows); i++)
        {
          JsonObject *row = json_array_get_object_element (rows, i);
          const char *org = json_object_get_string_member (row, "org");
          const char *account = json_object_get_string_member (row, "account");

          g_assert_true (g_str_equal (org, "Acme") || g_str_equal (org, "Globex"));
          g_assert_cmpstr (account, ==, g_str_equal (org, "Acme") ? "Client A" : "Sentinel");
          n_globex += g_str_equal (org, "Globex");
        }
      g_assert_cmpuint (n_globex, >, 0);

      /* --org still shows one. */
      run_cli (&one, NULL, commands[c], "--org", "Globex", "--format", "json");
      assert_status (&one, 0);
      one_rows = parse_json_array (one.out);
      g_assert_cmpuint (json_array_get_length (one_rows), ==, n_globex);
      g_assert_null (strstr (one.out, "Acme"));
    }
}

/* The policy comes from the app's GSettings keys. */
static void
test_sites_policy_from_settings (void)
{
  g_autoptr (BackupsStore) store = populate ();
  g_autofree char *dir = g_build_filename (g_get_user_config_dir (), "glib-2.0", "settings", NULL);
  g_autofree char *keyfile = g_build_filename (dir, "keyfile", NULL);
  g_autoptr (GError) error = NULL;
  const char *env[]
    = { "GSETTINGS_BACKEND=keyfile", "GSETTINGS_SCHEMA_DIR=" BACKUPS_TEST_SCHEMA_DIR, NULL };
  g_auto (CliResult) strict = { 0 };
  g_auto (CliResult) lenient = { 0 };
  g_autoptr (JsonArray) rows = NULL;
  JsonArray *findings;

  /* Weekly backups pass a gap of a week; remote ones are not required. */
  g_assert_cmpint (g_mkdir_with_parents (dir, 0700), ==, 0);
  g_file_set_contents (keyfile, "[org/example/Backups]\nmax-gap-hours=168\nrequire-remote=false\n",
                       -1, &error);
  g_assert_no_error (error);

  run_cli_env (&lenient, NULL, env,
               (const char *const[]){ "sites", "--org", "Acme", "--format", "json", NULL });
  assert_status (&lenient, 0);
  rows = parse_json_array (lenient.out);
  findings = json_object_get_array_member (find_object (rows, "site_id", 869000), "findings");
  g_assert_cmpuint (json_array_get_length (findings), ==, 1);
  g_assert_cmpstr (json_array_get_string_element (findings, 0), ==, "automatic-off");

  /* Without the keyfile, the schema's defaults. */
  g_assert_cmpint (g_unlink (keyfile), ==, 0);
  run_cli_env (&strict, NULL, env, (const char *const[]){ "check", "--org", "Acme", NULL });
  assert_status (&strict, 3);
  g_assert_nonnull (strstr (strict.out, "no-remote, automatic-off, infrequent"));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/cli/usage-errors", test_usage_errors);
  g_test_add_func ("/cli/help", test_help);
  g_test_add_func ("/cli/unknown-command", test_unknown_command);
  g_test_add_func ("/cli/schedules/table-width", test_schedules_table_width);
  g_test_add_func ("/cli/org", test_org);
  g_test_add_func ("/cli/org-remove-cascades", test_org_remove_cascades);
  g_test_add_func ("/cli/account-list-remove", test_account_list_remove);
  g_test_add_func ("/cli/schedules/json", test_schedules_json);
  g_test_add_func ("/cli/schedules/csv", test_schedules_csv);
  g_test_add_func ("/cli/schedules/unknown-values", test_schedules_unknown_values);
  g_test_add_func ("/cli/schedules/table", test_schedules_table);
  g_test_add_func ("/cli/integrations", test_integrations);
  g_test_add_func ("/cli/restore-points", test_restore_points);
  g_test_add_func ("/cli/status", test_status);
  g_test_add_func ("/cli/sites/json", test_sites_json);
  g_test_add_func ("/cli/sites/csv-and-table", test_sites_csv_and_table);
  g_test_add_func ("/cli/check/exit-codes", test_check_exit_codes);
  g_test_add_func ("/cli/sites/policy-from-settings", test_sites_policy_from_settings);
  g_test_add_func ("/cli/all-organizations", test_all_organizations);
  g_test_add_func ("/cli/account-add/mock", test_account_add);
  g_test_add_func ("/cli/account-add/no-keyring", test_account_add_without_keyring);
  g_test_add_func ("/cli/sync/mock", test_sync);

  return g_test_run ();
}
