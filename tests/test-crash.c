/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-crash.c: crash consistency. `backupsctl sync` of a large account
 * is killed with SIGKILL at random moments; after every kill the database
 * passes `PRAGMA integrity_check` and the account's rows are exactly the
 * snapshot it had before that sync or exactly the one the sync fetched.
 *
 * The mock's fleet alternates between two states (A, and A mutated) from
 * one trial to the next, so every trial's sync has rows to insert, update
 * and delete, and the two outcomes are told apart by a dump of the
 * account's rows. Kill times are drawn from g_test_rand (rerun a failure
 * with the "random seed" the log prints: `test-crash --seed R02S…`); half
 * of them fall anywhere in a sync, half around the write transaction,
 * whose place a first, uninterrupted sync measured.
 *
 * Just before the kill the child is stopped (SIGSTOP) and the WAL write
 * lock in the -shm file is read with F_GETLK: a kill that found the child
 * holding it landed during a write transaction. With the dump that gives
 * how many kills landed before, during and after the commit.
 *
 * BACKUPS_TEST_LONG=1 runs 500 trials instead of 50. */
#include "config.h"

#include <fcntl.h>
#include <signal.h>
#include <sqlite3.h>
#include <string.h>
#include <unistd.h>

#include "backups-cli-run.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define TOKEN "crash-token-8d41"
#define MUTATION_SEED 5

/* SQLite's unix VFS locks the WAL index (-shm) in bytes from 120: the
 * write lock first, then the checkpoint lock. */
#define SHM_WRITE_LOCK 120
#define SHM_CHECKPOINT_LOCK 121

static const GridpaneMockFleetOptions fleet_a = {
  .seed = 21,
  .n_servers = 80,
  .n_sites = 4000,
  .n_integrations = 24,
  .name_prefix = "crash",
};

typedef enum
{
  FLEET_A,
  FLEET_B,
} FleetState;

typedef struct
{
  GridpaneMock *mock;
  BackupsStore *store;
  gint64        account_id;
  char         *db_path;
  int           shm_fd; /* open for the whole test: see probe_locks () */
  char         *dumps[2];
} Crash;

/* Where the kill landed. */
typedef enum
{
  LANDED_BEFORE,     /* nothing written yet, no write transaction open */
  LANDED_DURING,     /* inside a write transaction, nothing committed */
  LANDED_AFTER,      /* the snapshot had committed */
  LANDED_CHECKPOINT, /* after the commit, during the WAL checkpoint */
  LANDED_EXITED,     /* the sync had finished and exited by itself */
  N_LANDED
} Landed;

static const char *const landed_names[N_LANDED] = {
  "before the commit (fetching)",    "during the write transaction", "after the commit",
  "after the commit, checkpointing", "after the sync had exited",
};

static void
set_fleet (Crash *crash, FleetState state)
{
  /* Re-adding a token regenerates its fleet from the same options. */
  gridpane_mock_add_account (crash->mock, TOKEN, &fleet_a);
  if (state == FLEET_B)
    gridpane_mock_mutate_fleet (crash->mock, TOKEN, MUTATION_SEED);
}

static char *
integrity_check (const char *path)
{
  sqlite3      *db = NULL;
  sqlite3_stmt *stmt = NULL;
  GString      *result = g_string_new (NULL);

  /* A connection of its own, as a new process would open. */
  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  sqlite3_busy_timeout (db, 10000);
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA integrity_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  while (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (result, "%s%s", result->len ? "; " : "",
                            (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);

  /* Foreign keys are not part of integrity_check. */
  g_assert_cmpint (sqlite3_prepare_v2 (db, "PRAGMA foreign_key_check", -1, &stmt, NULL), ==,
                   SQLITE_OK);
  if (sqlite3_step (stmt) == SQLITE_ROW)
    g_string_append_printf (result, "; foreign key broken in %s",
                            (const char *)sqlite3_column_text (stmt, 0));
  sqlite3_finalize (stmt);
  sqlite3_close (db);
  return g_string_free (result, FALSE);
}

static gboolean
lock_held (int fd, off_t offset)
{
  struct flock lock = { 0 };

  lock.l_type = F_WRLCK;
  lock.l_whence = SEEK_SET;
  lock.l_start = offset;
  lock.l_len = 1;
  g_assert_cmpint (fcntl (fd, F_GETLK, &lock), ==, 0);
  /* F_GETLK reports other processes' locks only. */
  return lock.l_type != F_UNLCK;
}

/* TRUE once the kernel says the process is stopped. */
static gboolean
process_stopped (GPid pid)
{
  g_autofree char *path = g_strdup_printf ("/proc/%d/stat", (int)pid);
  g_autofree char *contents = NULL;
  const char      *paren;

  if (!g_file_get_contents (path, &contents, NULL, NULL))
    return TRUE; /* gone */
  paren = strrchr (contents, ')');
  return paren == NULL || paren[1] == '\0' || paren[2] == 'T' || paren[2] == 't' || paren[2] == 'Z';
}

typedef struct
{
  Crash       *crash;
  GSubprocess *process;
  gboolean     fired;
  gboolean     held_write;
  gboolean     held_checkpoint;
} Kill;

static gboolean
stop_probe_kill_cb (gpointer user_data)
{
  Kill       *kill_data = user_data;
  const char *identifier = g_subprocess_get_identifier (kill_data->process);
  GPid        pid;
  gint64      deadline = g_get_monotonic_time () + G_USEC_PER_SEC;

  kill_data->fired = TRUE;
  if (identifier == NULL)
    return G_SOURCE_REMOVE; /* already exited */
  pid = (GPid)g_ascii_strtoll (identifier, NULL, 10);

  /* Frozen first, so the locks read are the ones the kill finds. */
  g_subprocess_send_signal (kill_data->process, SIGSTOP);
  while (!process_stopped (pid) && g_get_monotonic_time () < deadline)
    g_usleep (100);
  kill_data->held_write = lock_held (kill_data->crash->shm_fd, SHM_WRITE_LOCK);
  kill_data->held_checkpoint = lock_held (kill_data->crash->shm_fd, SHM_CHECKPOINT_LOCK);
  g_subprocess_send_signal (kill_data->process, SIGKILL);
  return G_SOURCE_REMOVE;
}

/* When the kill is sent: `delay_ms` after the anchor. */
typedef enum
{
  ANCHOR_SPAWN,        /* the start of the process */
  ANCHOR_INTEGRATIONS, /* the last request of the sync reached the mock */
  ANCHOR_COMMIT,       /* the snapshot's write transaction ended */
  N_ANCHORS
} Anchor;

static const char *const anchor_names[N_ANCHORS] = {
  "at a random time after the start",
  "at a random time after the last request",
  "shortly after the snapshot's transaction ended",
};

/* A 1 ms watch on the mock and on the WAL write lock, on the main
 * context. It records when things happened and fires the kill after its
 * anchor. */
typedef struct
{
  Crash   *crash;
  Kill    *kill;
  Anchor   anchor;
  guint    delay_ms;
  guint    kill_id;
  gint64   started;
  guint    integrations_before;
  gint64   integrations_at; /* offsets from started, µs; 0 = not yet */
  gboolean held;
  guint    held_polls;
  gint64   held_since;
  gint64   write_start; /* the longest write transaction seen */
  gint64   write_end;
} Watch;

static void
watch_arm_kill (Watch *watch)
{
  GSource *source;

  if (watch->kill == NULL || watch->kill_id != 0)
    return;
  source = g_timeout_source_new (watch->delay_ms);
  g_source_set_priority (source, G_PRIORITY_HIGH);
  g_source_set_callback (source, stop_probe_kill_cb, watch->kill, NULL);
  watch->kill_id = g_source_attach (source, NULL);
  g_source_unref (source);
}

static gboolean
watch_cb (gpointer user_data)
{
  Watch   *watch = user_data;
  gint64   now = g_get_monotonic_time () - watch->started;
  gboolean held = watch->crash->shm_fd >= 0 && lock_held (watch->crash->shm_fd, SHM_WRITE_LOCK);

  if (watch->integrations_at == 0
      && gridpane_mock_get_request_count (watch->crash->mock, "/backups/integrations")
           > watch->integrations_before)
    {
      watch->integrations_at = now;
      if (watch->anchor == ANCHOR_INTEGRATIONS)
        watch_arm_kill (watch);
    }

  if (held && !watch->held)
    {
      watch->held_since = now;
      watch->held_polls = 0;
    }
  if (held)
    watch->held_polls++;
  if (!held && watch->held)
    {
      if (now - watch->held_since > watch->write_end - watch->write_start)
        {
          watch->write_start = watch->held_since;
          watch->write_end = now;
        }
      /* The opening and the status updates are shorter than a few polls;
       * the snapshot is not. */
      if (watch->anchor == ANCHOR_COMMIT && watch->held_polls >= 3)
        watch_arm_kill (watch);
    }
  watch->held = held;
  return G_SOURCE_CONTINUE;
}

/* Runs one sync. With `kill_data`, kills it `delay_ms` after `anchor`. */
static void
run_sync (
  Crash *crash, Anchor anchor, guint delay_ms, Kill *kill_data, Watch *watch, BackupsCliRun *run)
{
  g_autoptr (GSubprocessLauncher) launcher = backups_cli_launcher_new (NULL);
  g_autoptr (GSubprocess) process = NULL;
  guint watch_id;

  memset (watch, 0, sizeof *watch);
  watch->crash = crash;
  watch->kill = kill_data;
  watch->anchor = anchor;
  watch->delay_ms = delay_ms;
  watch->integrations_before
    = gridpane_mock_get_request_count (crash->mock, "/backups/integrations");
  watch->started = g_get_monotonic_time ();

  process = backups_cli_spawn (launcher, (const char *const[]){ "sync", "--org", "Crash", NULL });
  if (kill_data != NULL)
    {
      memset (kill_data, 0, sizeof *kill_data);
      kill_data->crash = crash;
      kill_data->process = process;
      if (anchor == ANCHOR_SPAWN)
        watch_arm_kill (watch);
    }
  watch_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, watch_cb, watch, NULL);

  backups_cli_finish (process, NULL, 0, run);
  g_source_remove (watch_id);
  if (watch->kill_id != 0 && !kill_data->fired)
    g_source_remove (watch->kill_id);
  if (kill_data != NULL)
    kill_data->process = NULL;
}

/* An uninterrupted sync to `state`; returns how long it took, µs. */
static gint64
timed_sync (Crash *crash, FleetState state, Watch *watch)
{
  g_auto (BackupsCliRun) run = { 0 };
  Watch  local;
  gint64 duration;

  if (watch == NULL)
    watch = &local;
  set_fleet (crash, state);
  run_sync (crash, ANCHOR_SPAWN, 0, NULL, watch, &run);
  duration = g_get_monotonic_time () - watch->started;
  backups_cli_assert_status (&run, 0);
  return duration;
}

static FleetState
identify (Crash *crash, const char *dump)
{
  if (g_strcmp0 (dump, crash->dumps[FLEET_A]) == 0)
    return FLEET_A;
  if (g_strcmp0 (dump, crash->dumps[FLEET_B]) == 0)
    return FLEET_B;
  g_error ("After a kill the account's rows are neither the old snapshot nor the new one "
           "(%zu bytes of dump; A %zu, B %zu)",
           strlen (dump), strlen (crash->dumps[FLEET_A]), strlen (crash->dumps[FLEET_B]));
  return FLEET_A;
}

static void
test_sigkill_during_sync (void)
{
  Crash crash = { 0 };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autofree char *shm_path = NULL;
  gboolean         long_run = g_strcmp0 (g_getenv ("BACKUPS_TEST_LONG"), "1") == 0;
  guint            n_trials = long_run ? 500 : 50;
  guint            landed[N_ANCHORS][N_LANDED] = { { 0 } };
  guint            n_changed = 0;
  gint64           duration;
  Watch            calibration;
  FleetState       current;

  if (!backups_cli_keyring_available ())
    return;

  crash.shm_fd = -1;
  crash.mock = backups_cli_mock_new (300);
  set_fleet (&crash, FLEET_A);
  g_assert_true (gridpane_mock_start (crash.mock, 0, &error));
  g_assert_no_error (error);

  crash.store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  crash.db_path = g_strdup (backups_store_get_path (crash.store));
  org = backups_store_add_org (crash.store, "Crash", &error);
  g_assert_no_error (error);
  {
    g_autofree char *base_url = gridpane_mock_get_base_url (crash.mock);

    crash.account_id
      = backups_cli_add_account (crash.store, backups_org_get_id (org), "Big", base_url, TOKEN);
  }

  /* The two snapshots, each from a whole sync. The -shm file exists from
   * then on; this process keeps it open only to read its locks, and never
   * closes it before the store (closing any descriptor of a file drops
   * all of this process's POSIX locks on it, SQLite's included). */
  timed_sync (&crash, FLEET_A, NULL);
  crash.dumps[FLEET_A] = backups_test_dump_account (crash.store, crash.account_id);
  shm_path = g_strconcat (crash.db_path, "-shm", NULL);
  crash.shm_fd = open (shm_path, O_RDONLY | O_CLOEXEC);
  g_assert_cmpint (crash.shm_fd, >=, 0);
  duration = timed_sync (&crash, FLEET_B, &calibration);
  crash.dumps[FLEET_B] = backups_test_dump_account (crash.store, crash.account_id);
  g_assert_cmpstr (crash.dumps[FLEET_A], !=, crash.dumps[FLEET_B]);
  g_assert_cmpint (calibration.integrations_at, >, 0);
  g_assert_cmpint (calibration.write_end, >, calibration.write_start);
  g_test_message ("fleet: %u schedules, %u sites; a sync takes %" G_GINT64_FORMAT
                  " ms: last request at %" G_GINT64_FORMAT
                  " ms, snapshot transaction %" G_GINT64_FORMAT "-%" G_GINT64_FORMAT " ms",
                  gridpane_mock_get_n_schedules (crash.mock, TOKEN),
                  gridpane_mock_get_n_sites (crash.mock, TOKEN), duration / 1000,
                  calibration.integrations_at / 1000, calibration.write_start / 1000,
                  calibration.write_end / 1000);

  current = FLEET_B;
  for (guint trial = 0; trial < n_trials; trial++)
    {
      g_auto (BackupsCliRun) run = { 0 };
      g_autofree char *integrity = NULL;
      g_autofree char *dump = NULL;
      FleetState       target = current == FLEET_A ? FLEET_B : FLEET_A;
      FleetState       found;
      Anchor           anchor = trial % N_ANCHORS;
      guint            delay_ms;
      Kill             kill_data;
      Watch            watch;
      Landed           where;

      /* Anywhere in the sync; anywhere from the last request to the exit;
       * right after the commit. */
      if (anchor == ANCHOR_SPAWN)
        delay_ms = g_test_rand_int_range (1, (gint32)(duration * 9 / 10000) + 2);
      else if (anchor == ANCHOR_INTEGRATIONS)
        delay_ms = g_test_rand_int_range (
          0, (gint32)((duration - calibration.integrations_at) / 1000) + 1);
      else
        delay_ms = g_test_rand_int_range (0, 4);

      set_fleet (&crash, target);
      run_sync (&crash, anchor, delay_ms, &kill_data, &watch, &run);

      integrity = integrity_check (crash.db_path);
      if (g_strcmp0 (integrity, "ok") != 0)
        g_error ("trial %u (kill %s, +%u ms): integrity_check says “%s”", trial,
                 anchor_names[anchor], delay_ms, integrity);

      dump = backups_test_dump_account (crash.store, crash.account_id);
      found = identify (&crash, dump);

      if (run.exited)
        {
          backups_cli_assert_status (&run, 0);
          g_assert_cmpint (found, ==, target);
          where = LANDED_EXITED;
        }
      else
        {
          g_assert_cmpint (run.term_sig, ==, SIGKILL);
          if (found == target)
            where = kill_data.held_checkpoint ? LANDED_CHECKPOINT : LANDED_AFTER;
          else
            where = kill_data.held_write ? LANDED_DURING : LANDED_BEFORE;
        }
      landed[anchor][where]++;
      n_changed += found != current;
      current = found;
    }

  /* After all that, a sync still works and brings the newest rows. */
  timed_sync (&crash, current == FLEET_A ? FLEET_B : FLEET_A, NULL);
  {
    g_autofree char *dump = backups_test_dump_account (crash.store, crash.account_id);

    g_assert_cmpint (identify (&crash, dump), !=, current);
  }

  g_test_message ("%u SIGKILL trials (seed above): integrity_check ok and the account's rows "
                  "exactly the old or the new snapshot every time; %u ended on the new one",
                  n_trials, n_changed);
  for (guint i = 0; i < N_LANDED; i++)
    {
      guint total = 0;

      for (guint j = 0; j < N_ANCHORS; j++)
        total += landed[j][i];
      g_test_message ("  %3u %-32s (%u, %u, %u by kind of trial)", total, landed_names[i],
                      landed[ANCHOR_SPAWN][i], landed[ANCHOR_INTEGRATIONS][i],
                      landed[ANCHOR_COMMIT][i]);
    }
  for (guint j = 0; j < N_ANCHORS; j++)
    g_test_message ("  kind %u: kill %s", j + 1, anchor_names[j]);

  /* Kills landed on both sides of the commit and inside the transaction,
   * or the trials prove less than they claim. */
  g_assert_cmpuint (
    landed[ANCHOR_SPAWN][LANDED_BEFORE] + landed[ANCHOR_INTEGRATIONS][LANDED_BEFORE], >, 0);
  g_assert_cmpuint (landed[ANCHOR_INTEGRATIONS][LANDED_DURING], >, 0);
  g_assert_cmpuint (landed[ANCHOR_COMMIT][LANDED_AFTER] + landed[ANCHOR_COMMIT][LANDED_CHECKPOINT],
                    >, 0);

  /* The store first: see the -shm descriptor above. */
  backups_cli_tear_down (&crash.store, &crash.mock);
  close (crash.shm_fd);
  g_free (crash.db_path);
  g_free (crash.dumps[FLEET_A]);
  g_free (crash.dumps[FLEET_B]);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* These syncs must succeed, also on a busy machine (backups-cli-run.h). */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "30", TRUE);

  g_test_add_func ("/crash/sigkill-during-sync", test_sigkill_during_sync);

  return g_test_run ();
}
