/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-concurrency.c: several processes on one data folder. backupsctl
 * runs as child processes against the in-process mock while this process
 * holds connections of its own to the same database.
 *
 * - Processes that start together on a folder with no database yet all
 *   create, migrate and write it.
 * - `backupsctl sync` processes at once, over the same and over different
 *   accounts: every one succeeds, none says the database is locked or
 *   busy, and nothing is lost: a sync right after them writes nothing.
 * - A sync while another connection keeps taking the write lock for a
 *   while: the sync waits its turn, and both writers' rows are there.
 *
 * BACKUPS_TEST_LONG=1 runs more rounds and more processes. */
#include "config.h"

#include <sqlite3.h>
#include <string.h>

#include "backups-cli-run.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define N_ACCOUNTS 3

static const char *const tokens[N_ACCOUNTS] = {
  "concurrency-token-a-41c2",
  "concurrency-token-b-9e07",
  "concurrency-token-c-15fa",
};
static const char *const account_names[N_ACCOUNTS] = { "Client A", "Client B", "Client C" };

typedef struct
{
  GridpaneMock *mock;
  char         *base_url;
  BackupsStore *store;
  gint64        org_id;
} Fixture;

static gboolean
long_run (void)
{
  return g_strcmp0 (g_getenv ("BACKUPS_TEST_LONG"), "1") == 0;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  /* Several pages and a little latency, so the processes overlap. */
  f->mock = backups_cli_mock_new (200);
  gridpane_mock_set_latency (f->mock, 15);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *prefix = g_strdup_printf ("conc%c", 'a' + i);

      gridpane_mock_add_account (f->mock, tokens[i],
                                 &(GridpaneMockFleetOptions){ .seed = 31 + i,
                                                              .n_servers = 20,
                                                              .n_sites = 700,
                                                              .n_integrations = 8,
                                                              .name_prefix = prefix });
    }
  g_assert_true (gridpane_mock_start (f->mock, 0, &error));
  g_assert_no_error (error);
  f->base_url = gridpane_mock_get_base_url (f->mock);
}

static void
open_store_with_accounts (Fixture *f)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  org = backups_store_add_org (f->store, "Agency", &error);
  g_assert_no_error (error);
  f->org_id = backups_org_get_id (org);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    backups_cli_add_account (f->store, f->org_id, account_names[i], f->base_url, tokens[i]);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  backups_cli_tear_down (&f->store, &f->mock);
  g_clear_pointer (&f->base_url, g_free);
}

/* What a user or cron would see if the database were contended badly. */
static void
assert_clean_stderr (BackupsCliRun *run, const char *what)
{
  static const char *const bad[]
    = { "locked", "busy", "SQLITE", "WARNING", "CRITICAL", "Could not" };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    if (strstr (run->err, bad[i]) != NULL)
      g_error ("%s: stderr says “%s”:\n%s", what, bad[i], run->err);
}

/* Starts every command at once, then collects them all. */
static void
run_together (guint n, const char *const *const *commands, BackupsCliRun *runs)
{
  g_autoptr (GPtrArray) processes = g_ptr_array_new_with_free_func (g_object_unref);

  for (guint i = 0; i < n; i++)
    {
      g_autoptr (GSubprocessLauncher) launcher = backups_cli_launcher_new (NULL);

      g_ptr_array_add (processes, backups_cli_spawn (launcher, commands[i]));
    }
  /* Output is a few lines each: a pipe holds it until it is read. */
  for (guint i = 0; i < n; i++)
    backups_cli_finish (g_ptr_array_index (processes, i), NULL, 0, &runs[i]);
}

/* A sync right after: if any process's rows had been lost or left stale,
 * this one would have something to write. */
static void
assert_nothing_left_to_write (Fixture *f)
{
  g_auto (BackupsCliRun) run = { 0 };

  backups_cli (&run, "sync", "--org", "Agency");
  backups_cli_assert_status (&run, 0);
  for (guint i = 0; i < N_ACCOUNTS; i++)
    {
      g_autofree char *line
        = g_strdup_printf ("Agency / %s: 0 inserted, 0 updated, 0 deleted,", account_names[i]);

      if (strstr (run.out, line) == NULL)
        g_error ("The store did not hold every row of %s:\n%s", account_names[i], run.out);
    }
}

static guint
count_schedules (BackupsStore *store, gint64 org_id, const char *account_name)
{
  g_autoptr (GPtrArray) schedules = backups_store_query_schedules (store, org_id, NULL);
  guint n = 0;

  for (guint i = 0; i < schedules->len; i++)
    n += g_strcmp0 (backups_schedule_get_account_name (g_ptr_array_index (schedules, i)),
                    account_name)
         == 0;
  return n;
}

static void
test_first_open_race (Fixture *f, gconstpointer data)
{
  guint                     n = long_run () ? 12 : 6;
  g_autofree BackupsCliRun *runs = g_new0 (BackupsCliRun, n);
  g_autoptr (GPtrArray) names = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) commands = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *path = backups_store_default_path ();

  /* No database yet: each process may be the one that creates it, turns
   * on WAL and writes the schema. */
  g_assert_false (g_file_test (path, G_FILE_TEST_EXISTS));
  for (guint i = 0; i < n; i++)
    {
      const char **argv = g_new0 (const char *, 4);

      g_ptr_array_add (names, g_strdup_printf ("Org %02u", i));
      argv[0] = "org";
      argv[1] = "add";
      argv[2] = g_ptr_array_index (names, i);
      g_ptr_array_add (commands, argv);
    }
  run_together (n, (const char *const *const *)commands->pdata, runs);

  for (guint i = 0; i < n; i++)
    {
      backups_cli_assert_status (&runs[i], 0);
      assert_clean_stderr (&runs[i], "org add");
      backups_cli_run_clear (&runs[i]);
    }

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  orgs = backups_store_list_orgs (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, n);
}

static void
test_syncs_at_once (Fixture *f, gconstpointer data)
{
  static const char *const sync_all[] = { "sync", "--org", "Agency", NULL };
  static const char *const sync_a[] = { "sync", "--org", "Agency", "--account", "Client A", NULL };
  static const char *const sync_b[] = { "sync", "--org", "Agency", "--account", "Client B", NULL };
  static const char *const sync_c[] = { "sync", "--org", "Agency", "--account", "Client C", NULL };
  /* The same accounts from two processes, and different accounts from
   * others, all at once. */
  static const char *const *const commands[]
    = { sync_all, sync_a, sync_b, sync_all, sync_c, sync_a };
  guint n_rounds = long_run () ? 12 : 3;
  guint n_processes = long_run () ? G_N_ELEMENTS (commands) : 4;

  if (!backups_cli_keyring_available ())
    return;
  open_store_with_accounts (f);

  for (guint round = 0; round < n_rounds; round++)
    {
      BackupsCliRun runs[G_N_ELEMENTS (commands)] = { { 0 } };

      /* Every account has something to write. */
      for (guint i = 0; i < N_ACCOUNTS; i++)
        gridpane_mock_mutate_fleet (f->mock, tokens[i], round + 1);

      run_together (n_processes, commands, runs);
      for (guint i = 0; i < n_processes; i++)
        {
          g_test_message ("round %u, process %u:\n%s%s", round, i, runs[i].out, runs[i].err);
          backups_cli_assert_status (&runs[i], 0);
          assert_clean_stderr (&runs[i], "sync");
          backups_cli_run_clear (&runs[i]);
        }

      for (guint i = 0; i < N_ACCOUNTS; i++)
        g_assert_cmpuint (count_schedules (f->store, f->org_id, account_names[i]), ==,
                          gridpane_mock_get_n_schedules (f->mock, tokens[i]));
      assert_nothing_left_to_write (f);
    }
}

/* Another connection (this process) that takes the write lock, writes a
 * row of its own, keeps the lock for `hold_ms`, commits, and starts again
 * `every_ms` later. */
typedef struct
{
  sqlite3 *db;
  guint    hold_ms;
  guint    n_committed;
  guint    hold_id;
  gboolean holding;
} Holder;

static gboolean
holder_commit_cb (gpointer user_data)
{
  Holder *holder = user_data;

  g_assert_cmpint (sqlite3_exec (holder->db, "COMMIT", NULL, NULL, NULL), ==, SQLITE_OK);
  holder->n_committed++;
  holder->holding = FALSE;
  holder->hold_id = 0;
  return G_SOURCE_REMOVE;
}

static gboolean
holder_begin_cb (gpointer user_data)
{
  Holder          *holder = user_data;
  sqlite3_stmt    *stmt = NULL;
  g_autofree char *name = NULL;

  if (holder->holding)
    return G_SOURCE_CONTINUE;

  /* Waits (busy timeout) while a sync writes. */
  g_assert_cmpint (sqlite3_exec (holder->db, "BEGIN IMMEDIATE", NULL, NULL, NULL), ==, SQLITE_OK);
  g_assert_cmpint (sqlite3_prepare_v2 (holder->db,
                                       "INSERT INTO orgs (name, created_at) VALUES (?, 0)", -1,
                                       &stmt, NULL),
                   ==, SQLITE_OK);
  name = g_strdup_printf ("Holder %u", holder->n_committed);
  sqlite3_bind_text (stmt, 1, name, -1, SQLITE_TRANSIENT);
  g_assert_cmpint (sqlite3_step (stmt), ==, SQLITE_DONE);
  sqlite3_finalize (stmt);

  holder->holding = TRUE;
  holder->hold_id = g_timeout_add (holder->hold_ms, holder_commit_cb, holder);
  return G_SOURCE_CONTINUE;
}

static void
test_sync_while_write_lock_held (Fixture *f, gconstpointer data)
{
  g_auto (BackupsCliRun) run = { 0 };
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GError) error = NULL;
  Holder holder = { 0 };
  guint  every_id;
  gint64 started;

  if (!backups_cli_keyring_available ())
    return;
  open_store_with_accounts (f);

  g_assert_cmpint (
    sqlite3_open_v2 (backups_store_get_path (f->store), &holder.db, SQLITE_OPEN_READWRITE, NULL),
    ==, SQLITE_OK);
  sqlite3_busy_timeout (holder.db, 10000);

  /* First a hold of two seconds over the sync's start (its status
   * update and every read), then short ones, 100 ms in every 150, until
   * it ends. */
  holder.hold_ms = 2000;
  holder_begin_cb (&holder);
  holder.hold_ms = 100;
  every_id = g_timeout_add (150, holder_begin_cb, &holder);

  started = g_get_monotonic_time ();
  launcher = backups_cli_launcher_new (NULL);
  process = backups_cli_spawn (launcher, (const char *const[]){ "sync", "--org", "Agency", NULL });
  backups_cli_finish (process, NULL, 0, &run);
  g_test_message ("sync took %" G_GINT64_FORMAT " ms beside %u held write transactions:\n%s%s",
                  (g_get_monotonic_time () - started) / 1000, holder.n_committed, run.out, run.err);

  g_source_remove (every_id);
  while (holder.holding)
    g_main_context_iteration (NULL, TRUE);

  backups_cli_assert_status (&run, 0);
  assert_clean_stderr (&run, "sync");
  /* It had to wait at least for the first hold. */
  g_assert_cmpint (g_get_monotonic_time () - started, >=, 2000 * 1000);
  g_assert_cmpuint (holder.n_committed, >=, 2);

  /* Both writers' rows are there. */
  for (guint i = 0; i < N_ACCOUNTS; i++)
    g_assert_cmpuint (count_schedules (f->store, f->org_id, account_names[i]), ==,
                      gridpane_mock_get_n_schedules (f->mock, tokens[i]));
  orgs = backups_store_list_orgs (f->store, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (orgs->len, ==, 1 + holder.n_committed);
  sqlite3_close (holder.db);
  assert_nothing_left_to_write (f);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* These syncs must succeed, also on a busy machine (backups-cli-run.h). */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "30", TRUE);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("/concurrency/first-open-race", test_first_open_race);
  ADD ("/concurrency/syncs-at-once", test_syncs_at_once);
  ADD ("/concurrency/sync-while-write-lock-held", test_sync_while_write_lock_held);

#undef ADD

  return g_test_run ();
}
