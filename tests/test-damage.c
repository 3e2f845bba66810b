/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-damage.c: damaged, full or foreign storage (issue 13).
 *
 * Corruption trials. A cache synced from the mock (three accounts in two
 * organizations, a few hundred schedules, a removed account's free pages)
 * is copied, and each trial overwrites 1-4 pages of the copy with random
 * bytes or zeroes, or changes 1-8 bytes, or sets one field of the file
 * header to a value never written. The copy is then opened the way the
 * window does (read at once, integrity check, read again) and through
 * `backupsctl`. Every trial must end in exactly one of two ways: the same
 * data as the original, or "damaged" (the store refuses, backupsctl exits 1
 * and says to run `backupsctl repair`). Never a crash, never another error.
 * Never other rows either, but a byte changed inside a value (a letter of a
 * site's URL) leaves a file SQLite finds whole, since it keeps no
 * checksums: those trials are counted and mark /damage/trials/bytes
 * incomplete (TODO), not failed, until the store can tell. Each trial
 * prints its seed; BACKUPS_DAMAGE_TRIAL=KIND:SEED (KIND pages, zero, bytes
 * or header) replays that one trial alone. BACKUPS_TEST_LONG=1 runs 1,000
 * random trials instead of 50.
 *
 * Repair. A damaged cache rebuilt in place keeps its organizations and
 * accounts (names, base URLs, keyring references), recovers an account
 * whose row is gone from its keyring item, names the one it cannot
 * recover, and after a sync holds exactly what a fresh sync into an empty
 * cache holds; no token is in any file. backupsctl repair does the same end
 * to end, with a keyring of its own (a private D-Bus session), after every
 * other command refused the damaged cache without writing to it.
 *
 * File errors: a read-only folder, a cache of a newer version, a cache
 * locked by another program, a full disk. Each gives its own sentence
 * naming the file, backupsctl exits 1, and nothing on disk changes; another
 * program writing does not keep anyone from reading, and a full disk keeps
 * the cache readable. As root (which a read-only folder does not stop)
 * backupsctl runs without capabilities (setpriv) for the read-only folder,
 * a read-only bind mount stands for a read-only disk, and the full disk is
 * a small tmpfs; the mounts live in a mount namespace of this test only.
 * Not root: those two are skipped. */
#define _GNU_SOURCE /* unshare () */
#include "config.h"

#include <errno.h>
#include <fcntl.h>
#include <glib/gstdio.h>
#include <sched.h>
#include <signal.h>
#include <stdarg.h>
#include <sqlite3.h>
#include <string.h>
#include <sys/mount.h>
#include <sys/prctl.h>
#include <sys/stat.h>
#include <unistd.h>

#include "backups-cli-run.h"
#include "backups-error.h"
#include "backups-gridpane-provider.h"
#include "backups-store-private.h"
#include "backups-sync-service.h"
#include "backups-test-util.h"
#include "gridpane-mock.h"

#define APP_FOLDER "org.example.Backups"

typedef struct
{
  const char              *org;
  const char              *name;
  const char              *token;
  GridpaneMockFleetOptions fleet;
} AccountSpec;

/* Three accounts in two organizations: 107 + 64 + 44 sites, each with a
 * schedule or two. */
static const AccountSpec trial_accounts[] = {
  { "Agency",
    "Client A",
    "damage-token-a-41c9",
    { .seed = 31, .n_servers = 9, .n_sites = 107, .n_integrations = 7, .name_prefix = "alpha" } },
  { "Agency",
    "Client B",
    "damage-token-b-8e02",
    { .seed = 32, .n_servers = 4, .n_sites = 64, .n_integrations = 4, .name_prefix = "bravo" } },
  { "Other",
    "Client C",
    "damage-token-c-17fd",
    { .seed = 33, .n_servers = 3, .n_sites = 44, .n_integrations = 3, .name_prefix = "charlie" } },
  /* Removed before the trials: its pages are free. */
  { "Other",
    "Client Gone",
    "damage-token-gone-5a20",
    { .seed = 34, .n_servers = 3, .n_sites = 60, .n_integrations = 3, .name_prefix = "gone" } },
};

/* Helpers ------------------------------------------------------------------ */

static char *
cache_path_in (const char *data_home)
{
  return g_build_filename (data_home, APP_FOLDER, "backups.db", NULL);
}

static char *
damaged_sentence (const char *path)
{
  return g_strdup_printf ("The cache at %s is damaged. Run “backupsctl repair” to rebuild it "
                          "from GridPane.",
                          path);
}

static GridpaneMock *
start_mock (const AccountSpec *accounts, guint n_accounts)
{
  g_autoptr (GError) error = NULL;
  GridpaneMock *mock = backups_cli_mock_new (100);

  for (guint i = 0; i < n_accounts; i++)
    gridpane_mock_add_account (mock, accounts[i].token, &accounts[i].fleet);
  g_assert_true (gridpane_mock_start (mock, 0, &error));
  g_assert_no_error (error);
  return mock;
}

typedef struct
{
  gboolean done;
  GError  *error;
} SyncResult;

static void
org_synced_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncResult *r = user_data;

  backups_sync_service_sync_org_finish (BACKUPS_SYNC_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

/* Syncs every organization of the store in this process; NULL or the
 * first error. */
static GError *
sync_all_orgs (BackupsStore *store, BackupsSecrets *secrets)
{
  g_autoptr (BackupsSyncService) service
    = backups_sync_service_new (store, secrets, backups_gridpane_provider_factory, NULL);
  g_autoptr (GPtrArray) orgs = NULL;
  GError *error = NULL;

  orgs = backups_store_list_orgs (store, &error);
  if (orgs == NULL)
    return error;
  for (guint i = 0; i < orgs->len && error == NULL; i++)
    {
      SyncResult r = { 0 };

      backups_sync_service_sync_org_async (service, backups_org_get_id (orgs->pdata[i]), NULL,
                                           org_synced_cb, &r);
      g_assert_true (backups_test_wait_for (&r.done, 60000));
      error = r.error;
    }
  return error;
}

static void
account_synced_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  SyncResult *r = user_data;

  backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (object), result, &r->error);
  r->done = TRUE;
}

/* Syncs the accounts one after the other, in the order of their ids, so
 * that the file is laid out alike every time. */
static void
sync_accounts_in_turn (BackupsStore *store, BackupsSecrets *secrets, guint n_accounts)
{
  g_autoptr (BackupsSyncService) service
    = backups_sync_service_new (store, secrets, backups_gridpane_provider_factory, NULL);

  for (guint id = 1; id <= n_accounts; id++)
    {
      SyncResult r = { 0 };

      backups_sync_service_sync_account_async (service, id, NULL, account_synced_cb, &r);
      g_assert_true (backups_test_wait_for (&r.done, 60000));
      g_assert_no_error (r.error);
    }
}

static gint64
ensure_org (BackupsStore *store, const char *name)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = backups_store_find_org (store, name, NULL);

  if (org == NULL)
    org = backups_store_add_org (store, name, &error);
  g_assert_no_error (error);
  return backups_org_get_id (org);
}

/* Adds the account with its token in `secrets` under `secret_id`. With
 * `with_owner`, the keyring item names its organization, account and base
 * URL, as `account add` stores it; without, it has only its id, as tokens
 * stored before there were owner attributes. */
static void
add_account (BackupsStore      *store,
             BackupsSecrets    *secrets,
             const AccountSpec *spec,
             const char        *base_url,
             const char        *secret_id,
             gboolean           with_owner)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  BackupsSecretOwner owner = {
    .secret_id = (char *)secret_id,
    .org_name = with_owner ? (char *)spec->org : NULL,
    .account_name = with_owner ? (char *)spec->name : NULL,
    .base_url = with_owner ? (char *)base_url : NULL,
  };

  g_assert_true (backups_secrets_store (secrets, &owner, spec->name, spec->token, &error));
  g_assert_no_error (error);
  account = backups_store_add_account (store, ensure_org (store, spec->org), "gridpane", spec->name,
                                       base_url, secret_id, &error);
  g_assert_no_error (error);
}

static void
append_text (GString *out, const char *text)
{
  g_string_append (out, text != NULL ? text : "<null>");
  g_string_append_c (out, '|');
}

static void
append_int (GString *out, gint64 value)
{
  g_string_append_printf (out, "%" G_GINT64_FORMAT "|", value);
}

/* Everything the window and backupsctl show of the store, through the same
 * calls they make, one line a row; NULL with the first error. */
static char *
describe_store (BackupsStore *store, GError **error)
{
  g_autoptr (GString) out = g_string_new (NULL);
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (store, error);

  if (orgs == NULL)
    return NULL;
  for (guint o = 0; o < orgs->len; o++)
    {
      BackupsOrg *org = orgs->pdata[o];
      gint64      org_id = backups_org_get_id (org);
      g_autoptr (GPtrArray) accounts = NULL;
      g_autoptr (GPtrArray) schedules = NULL;
      g_autoptr (GPtrArray) integrations = NULL;

      g_string_append_printf (out, "org|%" G_GINT64_FORMAT "|%s\n", org_id,
                              backups_org_get_name (org));
      if ((accounts = backups_store_list_accounts (store, org_id, error)) == NULL
          || (schedules = backups_store_query_schedules (store, org_id, error)) == NULL
          || (integrations = backups_store_query_integrations (store, org_id, error)) == NULL)
        return NULL;

      for (guint i = 0; i < accounts->len; i++)
        {
          BackupsAccount *account = accounts->pdata[i];

          g_string_append (out, "account|");
          append_int (out, backups_account_get_id (account));
          append_text (out, backups_account_get_provider (account));
          append_text (out, backups_account_get_name (account));
          append_text (out, backups_account_get_base_url (account));
          append_text (out, backups_account_get_secret_id (account));
          append_int (out, backups_account_get_last_sync_finished_at (account));
          g_string_append_c (out, '\n');
        }
      for (guint i = 0; i < schedules->len; i++)
        {
          const BackupsScheduleFields *f = backups_schedule_get_fields (schedules->pdata[i]);

          g_string_append (out, "schedule|");
          append_int (out, f->account_id);
          append_text (out, f->account_name);
          append_int (out, f->schedule_id);
          append_int (out, f->site_id);
          append_text (out, f->site_url);
          append_int (out, f->server_id);
          append_text (out, f->server_label);
          append_text (out, f->server_timezone);
          append_int (out, f->schedule_type);
          append_int (out, f->frequency);
          append_int (out, f->hour);
          append_int (out, f->minute);
          append_int (out, f->day);
          append_int (out, f->service_id);
          append_text (out, f->service_name);
          append_int (out, f->integration_id);
          append_text (out, f->destination);
          append_text (out, f->destination_service);
          append_int (out, f->enabled);
          append_int (out, f->retain_days);
          append_int (out, f->prune_schedule);
          append_text (out, f->problems);
          g_string_append_c (out, '\n');
        }
      for (guint i = 0; i < integrations->len; i++)
        {
          BackupsIntegration *integration = integrations->pdata[i];

          g_string_append (out, "integration|");
          append_int (out, backups_integration_get_account_id (integration));
          append_text (out, backups_integration_get_account_name (integration));
          append_int (out, backups_integration_get_integration_id (integration));
          append_text (out, backups_integration_get_service (integration));
          append_text (out, backups_integration_get_name (integration));
          append_text (out, backups_integration_get_region (integration));
          append_int (out, backups_integration_get_used_by (integration));
          g_string_append_c (out, '\n');
        }
    }
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* The first line where two descriptions part, for failure messages. */
static char *
first_difference (const char *expected, const char *actual)
{
  g_auto (GStrv) a = g_strsplit (expected, "\n", -1);
  g_auto (GStrv) b = g_strsplit (actual, "\n", -1);
  guint i;

  for (i = 0; a[i] != NULL && b[i] != NULL; i++)
    {
      if (strcmp (a[i], b[i]) != 0)
        break;
    }
  return g_strdup_printf ("line %u: expected\n  %s\nbut got\n  %s", i + 1,
                          a[i] != NULL ? a[i] : "<end>", b[i] != NULL ? b[i] : "<end>");
}

/* One backupsctl run with `data_home` as its XDG_DATA_HOME (NULL: the
 * test's own) and `extra` ("NAME=value", may be NULL) in its environment,
 * without logging its output (the trials run thousands). */
static void
run_cli_quietly (BackupsCliRun     *run,
                 const char        *data_home,
                 const char        *extra,
                 const char *const *args)
{
  g_autofree char *data_env
    = data_home != NULL ? g_strconcat ("XDG_DATA_HOME=", data_home, NULL) : NULL;
  const char *env[3] = { NULL };
  guint       n = 0;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GSubprocess) process = NULL;

  if (data_env != NULL)
    env[n++] = data_env;
  if (extra != NULL)
    env[n++] = extra;
  launcher = backups_cli_launcher_new (env);
  process = backups_cli_spawn (launcher, args);
  backups_cli_finish (process, NULL, 0, run);
}

static void
remove_cache_files (const char *path)
{
  static const char *const suffixes[] = { "", "-wal", "-shm", "-journal" };

  for (guint i = 0; i < G_N_ELEMENTS (suffixes); i++)
    {
      g_autofree char *file = g_strconcat (path, suffixes[i], NULL);

      g_remove (file);
    }
}

static int
compare_lines (gconstpointer a, gconstpointer b)
{
  return strcmp (*(char *const *)a, *(char *const *)b);
}

/* What a folder holds: every file's name, size, mode, mtime and a checksum
 * of its bytes, sorted; equal exactly when nothing in it changed. */
static char *
describe_folder (const char *dir)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  g_autoptr (GPtrArray) lines = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GString) out = g_string_new (NULL);
  struct stat folder;
  const char *name;

  g_assert_nonnull (handle);
  g_assert_cmpint (g_stat (dir, &folder), ==, 0);
  g_string_append_printf (out, ". mode %o\n", folder.st_mode & 07777);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);
      g_autoptr (GBytes) bytes = backups_test_read_file (path);
      g_autofree char *sum = NULL;
      struct stat      st;

      g_assert_cmpint (g_stat (path, &st), ==, 0);
      /* Every reader writes its marks into the -shm: it holds no data. */
      if (g_str_has_suffix (name, "-shm"))
        {
          g_ptr_array_add (lines, g_strdup (name));
          continue;
        }
      if (bytes != NULL)
        sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, bytes);
      g_ptr_array_add (lines, g_strdup_printf ("%s size %" G_GOFFSET_FORMAT " mode %o mtime "
                                               "%ld.%09ld sha256 %s",
                                               name, (goffset)st.st_size, st.st_mode & 07777,
                                               (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
                                               sum != NULL ? sum : "-"));
    }
  g_ptr_array_sort (lines, compare_lines);
  for (guint i = 0; i < lines->len; i++)
    g_string_append_printf (out, "%s\n", (char *)lines->pdata[i]);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* Corruption trials -------------------------------------------------------- */

typedef enum
{
  DAMAGE_RANDOM_PAGES, /* 1-4 whole pages of random bytes */
  DAMAGE_ZERO_PAGES,   /* 1-4 whole pages of zeroes */
  DAMAGE_FLIP_BYTES,   /* 1-8 bytes changed, anywhere but in the file header */
  DAMAGE_HEADER,       /* one field of the file header, header_damages[seed] */
  N_DAMAGE_KINDS
} DamageKind;

static const char *const damage_names[N_DAMAGE_KINDS] = { "pages", "zero", "bytes", "header" };

/* A field of the 100-byte file header (sqlite.org/fileformat.html) set to
 * a value this program never writes: each is tried once, in order, rather
 * than left to the one flip in 30,000 that lands on it. */
static const struct
{
  const char *name;
  guint       offset;
  guint8      value[4];
  guint       len;
} header_damages[] = {
  { "page size 1024", 16, { 0x04, 0x00 }, 2 },
  { "write version 3", 18, { 3 }, 1 },
  { "read version 3", 19, { 3 }, 1 },
  { "reserved bytes 64", 20, { 64 }, 1 },
  { "leaf payload fraction 33", 23, { 33 }, 1 },
  { "first freelist page 65535", 32, { 0, 0, 0xff, 0xff }, 4 },
  { "schema format 5", 44, { 0, 0, 0, 5 }, 4 },
  { "schema format 0x01000004", 44, { 1, 0, 0, 4 }, 4 },
  { "text encoding UTF-16le", 56, { 0, 0, 0, 2 }, 4 },
  { "text encoding 7", 56, { 0, 0, 0, 7 }, 4 },
  { "user_version 0", 60, { 0, 0, 0, 0 }, 4 },
  { "user_version 2", 60, { 0, 0, 0, 2 }, 4 },
  { "user_version 0x01000004", 60, { 1, 0, 0, 4 }, 4 },
  { "auto-vacuum root 1", 52, { 0, 0, 0, 1 }, 4 },
};

typedef enum
{
  OUTCOME_IDENTICAL,
  OUTCOME_DAMAGED,
  OUTCOME_DIFFERENT, /* other rows, shown as if they were the data: never allowed */
  N_OUTCOMES
} Outcome;

static const char *const outcome_names[N_OUTCOMES] = { "identical", "damaged", "different" };

/* The backupsctl commands of a trial, and what each printed on the
 * original cache. */
static const char *const *const trial_commands[] = {
  (const char *const[]){ "schedules", "--format", "json", NULL },
  (const char *const[]){ "integrations", "--format", "json", NULL },
  (const char *const[]){ "account", "list", NULL },
};

typedef struct
{
  GBytes *original; /* the checkpointed cache file */
  guint   page_size;
  char   *description; /* describe_store () of the original */
  char   *outputs[G_N_ELEMENTS (trial_commands)];
  char   *store_path; /* where the in-process copy goes */
  char   *cli_home;   /* XDG_DATA_HOME of the backupsctl copy */
  char   *cli_path;
} Trials;

/* Damages `data` as `kind` says, with `rand`; says where in `log`. */
static void
damage_bytes (guint8    *data,
              gsize      len,
              guint      page_size,
              DamageKind kind,
              guint32    seed,
              GRand     *rand,
              GString   *log)
{
  guint n_pages = (guint)(len / page_size);

  if (kind == DAMAGE_HEADER)
    {
      guint h = seed % G_N_ELEMENTS (header_damages);

      memcpy (data + header_damages[h].offset, header_damages[h].value, header_damages[h].len);
      g_string_append_printf (log, "header: %s", header_damages[h].name);
      return;
    }

  if (kind == DAMAGE_FLIP_BYTES)
    {
      guint n = (guint)g_rand_int_range (rand, 1, 9);

      g_string_append_printf (log, "%u bytes at", n);
      for (guint i = 0; i < n; i++)
        {
          gsize  offset = (gsize)g_rand_int_range (rand, 100, (gint32)len);
          guint8 value;

          do
            value = (guint8)g_rand_int_range (rand, 0, 256);
          while (value == data[offset]);
          data[offset] = value;
          g_string_append_printf (log, " %zu (page %zu)", offset, offset / page_size + 1);
        }
      return;
    }

  g_string_append_printf (log, "%s pages", kind == DAMAGE_ZERO_PAGES ? "zeroed" : "random");
  for (guint i = 0, n = (guint)g_rand_int_range (rand, 1, 5); i < n; i++)
    {
      guint   page = (guint)g_rand_int_range (rand, 0, (gint32)n_pages);
      guint8 *start = data + (gsize)page * page_size;

      if (kind == DAMAGE_ZERO_PAGES)
        memset (start, 0, page_size);
      else
        for (guint b = 0; b < page_size; b++)
          start[b] = (guint8)g_rand_int_range (rand, 0, 256);
      g_string_append_printf (log, " %u", page + 1);
    }
  g_string_append_printf (log, " of %u", n_pages);
}

/* Opens the copy in this process as the window does: reads at once (the
 * integrity check runs in a worker meanwhile), then checks, then reads
 * again. Any read may show what the file holds until the check ends; after
 * it, the store is damaged or shows the original exactly. */
static Outcome
open_in_process (Trials *trials, const char *what, GString *why)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autofree char *early = NULL;
  g_autofree char *late = NULL;
  Outcome          outcome = OUTCOME_IDENTICAL;

  store = backups_store_open (trials->store_path, &error);
  if (store == NULL)
    g_error ("%s: opening the store failed with something else than damage: %s", what,
             error->message);

  early = describe_store (store, &error);
  if (early == NULL)
    {
      if (!g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED))
        g_error ("%s: a first read failed with something else than damage: %s", what,
                 error->message);
      g_clear_error (&error);
    }

  if (!backups_store_check_integrity (store, &error))
    {
      if (!g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED))
        g_error ("%s: the integrity check failed with something else than damage: %s", what,
                 error->message);
      g_clear_error (&error);
    }

  late = describe_store (store, &error);
  if (late == NULL)
    {
      if (!g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED))
        g_error ("%s: a read after the check failed with something else than damage: %s", what,
                 error->message);
      g_clear_error (&error);
    }

  if (backups_store_is_damaged (store))
    {
      g_autoptr (GPtrArray) orgs = backups_store_list_orgs (store, &error);

      /* Damaged is for good: nothing more comes out of it. */
      g_assert_null (late);
      g_assert_null (orgs);
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED);
      outcome = OUTCOME_DAMAGED;
    }
  else
    {
      if (late == NULL)
        g_error ("%s: a read failed but the store is not damaged", what);
      if (strcmp (late, trials->description) != 0)
        {
          g_autofree char *difference = first_difference (trials->description, late);

          g_string_append_printf (why, "the store passed its check but shows other rows: %s",
                                  difference);
          outcome = OUTCOME_DIFFERENT;
        }
    }

  backups_test_assert_finalize (g_steal_pointer (&store));
  return outcome;
}

/* The same copy through backupsctl: each command prints what it printed on
 * the original, or exits 1 saying the cache is damaged. */
static Outcome
open_with_cli (
  Trials *trials, const char *what, GString *why, guint *n_mixed, gboolean *any_damaged)
{
  g_autofree char *sentence = damaged_sentence (trials->cli_path);
  Outcome          outcome = N_OUTCOMES;

  for (guint c = 0; c < G_N_ELEMENTS (trial_commands); c++)
    {
      g_auto (BackupsCliRun) run = { 0 };
      Outcome this_outcome;

      run_cli_quietly (&run, trials->cli_home, NULL, trial_commands[c]);
      if (!run.exited)
        g_error ("%s: backupsctl %s was killed by signal %d (%s)\nstderr:\n%s", what,
                 trial_commands[c][0], run.term_sig, g_strsignal (run.term_sig), run.err);
      if (run.status == 0 && strcmp (run.out, trials->outputs[c]) == 0 && run.err[0] == '\0')
        this_outcome = OUTCOME_IDENTICAL;
      else if (run.status == 1 && strstr (run.err, sentence) != NULL && run.out[0] == '\0')
        this_outcome = OUTCOME_DAMAGED;
      else if (run.status == 0 && run.err[0] == '\0')
        {
          g_autofree char *difference = first_difference (trials->outputs[c], run.out);

          g_string_append_printf (why, "%sbackupsctl %s printed other rows: %s",
                                  why->len > 0 ? "; " : "", trial_commands[c][0], difference);
          this_outcome = OUTCOME_DIFFERENT;
        }
      else
        g_error ("%s: backupsctl %s exited %d without the damaged sentence\nstderr:\n%s", what,
                 trial_commands[c][0], run.status, run.err);

      /* A command may find damage the integrity check passed over (PRAGMA
       * quick_check does not compare indexes with their tables): its
       * answer is right, and so is the one before that did not need the
       * index. Such trials are counted. */
      if (outcome != N_OUTCOMES
          && (this_outcome == OUTCOME_DAMAGED) != (outcome == OUTCOME_DAMAGED))
        {
          g_test_message ("%s: backupsctl %s found the cache %s, the command before it %s", what,
                          trial_commands[c][0], outcome_names[this_outcome],
                          outcome_names[outcome]);
          (*n_mixed)++;
        }
      *any_damaged |= this_outcome == OUTCOME_DAMAGED;
      if (outcome == N_OUTCOMES || this_outcome == OUTCOME_DIFFERENT
          || (this_outcome == OUTCOME_DAMAGED && outcome == OUTCOME_IDENTICAL))
        outcome = this_outcome;
    }
  return outcome;
}

static Outcome
run_trial (
  Trials *trials, DamageKind kind, guint32 seed, const char *what, GString *why, guint *n_mixed)
{
  g_autoptr (GRand) rand = g_rand_new_with_seed (seed);
  g_autoptr (GString) log = g_string_new (NULL);
  gsize              len = 0;
  const guint8      *original = g_bytes_get_data (trials->original, &len);
  g_autofree guint8 *data = g_memdup2 (original, len);
  Outcome            in_process, with_cli;
  gboolean           cli_damaged = FALSE;

  damage_bytes (data, len, trials->page_size, kind, seed, rand, log);
  g_test_message ("%s: %s:%" G_GUINT32_FORMAT ": %s", what, damage_names[kind], seed, log->str);

  remove_cache_files (trials->store_path);
  remove_cache_files (trials->cli_path);
  g_assert_true (g_file_set_contents (trials->store_path, (const char *)data, len, NULL));
  g_assert_true (g_file_set_contents (trials->cli_path, (const char *)data, len, NULL));

  in_process = open_in_process (trials, what, why);
  with_cli = open_with_cli (trials, what, why, n_mixed, &cli_damaged);
  /* Both read the same file: both find its damage (the store reads all
   * that the commands together read), and they may differ only in what
   * else they show (the store has more than backupsctl prints). */
  if ((in_process == OUTCOME_DAMAGED) != cli_damaged)
    g_error ("%s: the store found the copy %s, backupsctl %s; %s", what, outcome_names[in_process],
             outcome_names[with_cli], why->str);
  return MAX (in_process, with_cli);
}

/* Builds the original: syncs the accounts into a cache of their own, closes
 * it (so the WAL is checkpointed into the file) and records what the store
 * and backupsctl show of it. */
static void
trials_set_up (Trials *trials, GridpaneMock *mock)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  /* The port with five digits, so that the file's layout does not depend
   * on it: a trial's seed damages the same bytes in every run. */
  g_autofree char *base_url
    = g_strdup_printf ("http://127.0.0.1:%05u/oauth/api/v1", gridpane_mock_get_port (mock));
  g_autofree char *original_home = g_build_filename (g_get_user_cache_dir (), "original", NULL);
  g_autofree char *original_path = cache_path_in (original_home);
  g_autofree char *store_dir = g_build_filename (g_get_user_cache_dir (), "in-process", NULL);
  const guint8    *header;
  guint            n_schedules = 0;

  store = backups_store_open (original_path, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (trial_accounts); i++)
    {
      g_autofree char *secret_id = g_strdup_printf ("damage-trials-secret-%u", i);

      add_account (store, secrets, &trial_accounts[i], base_url, secret_id, TRUE);
    }
  sync_accounts_in_turn (store, secrets, G_N_ELEMENTS (trial_accounts));
  /* A cache with a past: rows updated and deleted leave free pages. */
  for (guint i = 0; i < G_N_ELEMENTS (trial_accounts); i++)
    gridpane_mock_mutate_fleet (mock, trial_accounts[i].token, 3);
  sync_accounts_in_turn (store, secrets, G_N_ELEMENTS (trial_accounts));
  {
    g_autoptr (BackupsAccount) gone
      = backups_store_find_account (store, ensure_org (store, "Other"), "Client Gone", &error);

    g_assert_no_error (error);
    g_assert_true (backups_store_remove_account (store, backups_account_get_id (gone), &error));
    g_assert_no_error (error);
  }
  /* The same port and times every run, written in place (same sizes). */
  {
    sqlite3 *db = backups_store_acquire_connection (store, NULL);

    g_assert_cmpint (sqlite3_exec (db,
                                   "UPDATE accounts SET"
                                   "  base_url = 'http://127.0.0.1:00000/oauth/api/v1',"
                                   "  created_at = 1800000000, last_sync_started_at = 1800000000,"
                                   "  last_sync_finished_at = 1800000000,"
                                   "  last_success_at = 1800000000;"
                                   "UPDATE orgs SET created_at = 1800000000;"
                                   "UPDATE sync_runs SET started_at = 1800000000,"
                                   "  finished_at = 1800000000;",
                                   NULL, NULL, NULL),
                     ==, SQLITE_OK);
    backups_store_release_connection (store, db);
  }
  trials->description = describe_store (store, &error);
  g_assert_no_error (error);
  for (guint i = 0; i + 1 < G_N_ELEMENTS (trial_accounts); i++)
    n_schedules += gridpane_mock_get_n_schedules (mock, trial_accounts[i].token);
  backups_test_assert_finalize (g_steal_pointer (&store));

  /* The last connection closed: everything is in the file itself. */
  trials->original = backups_test_read_file (original_path);
  g_assert_nonnull (trials->original);
  header = g_bytes_get_data (trials->original, NULL);
  trials->page_size = header[16] << 8 | header[17];
  if (trials->page_size == 1)
    trials->page_size = 65536;
  g_assert_cmpuint (g_bytes_get_size (trials->original) % trials->page_size, ==, 0);
  {
    g_autofree char *sum = g_compute_checksum_for_bytes (G_CHECKSUM_SHA256, trials->original);

    g_test_message ("original: %u schedules, %" G_GSIZE_FORMAT " bytes in pages of %u, %u of "
                    "them free, sha256 %s",
                    n_schedules, g_bytes_get_size (trials->original), trials->page_size,
                    header[36] << 24 | header[37] << 16 | header[38] << 8 | header[39], sum);
  }
  g_assert_cmpuint (n_schedules, >=, 200);

  for (guint c = 0; c < G_N_ELEMENTS (trial_commands); c++)
    {
      g_auto (BackupsCliRun) run = { 0 };

      run_cli_quietly (&run, original_home, NULL, trial_commands[c]);
      backups_cli_assert_status (&run, 0);
      g_assert_cmpstr (run.err, ==, "");
      trials->outputs[c] = g_steal_pointer (&run.out);
    }
  g_assert_nonnull (strstr (trials->outputs[0], "alpha"));
  g_assert_nonnull (strstr (trials->outputs[0], "charlie"));

  g_assert_cmpint (g_mkdir_with_parents (store_dir, 0700), ==, 0);
  trials->store_path = g_build_filename (store_dir, "backups.db", NULL);
  trials->cli_home = g_build_filename (g_get_user_cache_dir (), "cli", NULL);
  trials->cli_path = cache_path_in (trials->cli_home);
  g_assert_cmpint (g_mkdir_with_parents (trials->cli_home, 0700), ==, 0);
  {
    g_autofree char *app_dir = g_path_get_dirname (trials->cli_path);

    g_assert_cmpint (g_mkdir_with_parents (app_dir, 0700), ==, 0);
  }
}

static void
trials_clear (Trials *trials)
{
  g_clear_pointer (&trials->original, g_bytes_unref);
  g_clear_pointer (&trials->description, g_free);
  for (guint c = 0; c < G_N_ELEMENTS (trial_commands); c++)
    g_clear_pointer (&trials->outputs[c], g_free);
  g_clear_pointer (&trials->store_path, g_free);
  g_clear_pointer (&trials->cli_home, g_free);
  g_clear_pointer (&trials->cli_path, g_free);
}

typedef struct
{
  DamageKind kinds[N_DAMAGE_KINDS + 1]; /* ended by N_DAMAGE_KINDS */
  /* Bytes changed inside a value (a letter of a site's URL) leave a file
   * SQLite finds whole: it keeps no checksums. Such trials are counted and
   * the test marked incomplete, instead of failed, until the store can
   * tell (issue 13). */
  gboolean different_is_known;
  /* Not random: trial i is seed i (the header fields, each once). */
  guint n_fixed_trials;
} TrialsCase;

static void
test_corruption_trials (gconstpointer data)
{
  const TrialsCase *trials_case = data;
  gboolean          long_run = g_strcmp0 (g_getenv ("BACKUPS_TEST_LONG"), "1") == 0;
  const char       *replay = g_getenv ("BACKUPS_DAMAGE_TRIAL");
  guint             n_trials = long_run ? 1000 : 50;
  guint             outcomes[N_DAMAGE_KINDS][N_OUTCOMES] = { { 0 } };
  guint             n_kinds = 0;
  guint             n_different = 0;
  guint             n_mixed = 0;
  g_autoptr (GString) first_different = g_string_new (NULL);
  Trials        trials = { 0 };
  GridpaneMock *mock;
  gint64        started = g_get_monotonic_time ();

  while (trials_case->kinds[n_kinds] != N_DAMAGE_KINDS)
    n_kinds++;
  if (trials_case->n_fixed_trials > 0)
    n_trials = trials_case->n_fixed_trials;

  mock = start_mock (trial_accounts, G_N_ELEMENTS (trial_accounts));
  trials_set_up (&trials, mock);

  for (guint trial = 0; trial < n_trials; trial++)
    {
      g_autoptr (GString) why = g_string_new (NULL);
      g_autofree char *what = g_strdup_printf ("trial %u", trial + 1);
      DamageKind       kind = trials_case->kinds[trial % n_kinds];
      guint32          seed = trials_case->n_fixed_trials > 0 ? trial : (guint32)g_test_rand_int ();
      Outcome          outcome;

      if (replay != NULL)
        {
          g_auto (GStrv) parts = g_strsplit (replay, ":", 2);

          kind = N_DAMAGE_KINDS;
          for (guint k = 0; k < N_DAMAGE_KINDS; k++)
            if (g_strcmp0 (parts[0], damage_names[k]) == 0)
              kind = k;
          if (kind == N_DAMAGE_KINDS || parts[1] == NULL)
            g_error ("BACKUPS_DAMAGE_TRIAL=%s is not KIND:SEED (KIND pages, zero, bytes, header)",
                     replay);
          seed = (guint32)g_ascii_strtoull (parts[1], NULL, 10);
          n_trials = 1;
        }

      outcome = run_trial (&trials, kind, seed, what, why, &n_mixed);
      outcomes[kind][outcome]++;
      if (outcome != OUTCOME_DIFFERENT)
        continue;
      if (!trials_case->different_is_known)
        g_error ("%s (%s:%" G_GUINT32_FORMAT "): %s", what, damage_names[kind], seed, why->str);
      g_test_message ("%s: other rows, and no error: %s", what, why->str);
      if (n_different++ == 0)
        g_string_printf (first_different, "%s:%" G_GUINT32_FORMAT, damage_names[kind], seed);
    }

  for (guint k = 0; k < N_DAMAGE_KINDS; k++)
    {
      if (outcomes[k][OUTCOME_IDENTICAL] + outcomes[k][OUTCOME_DAMAGED]
            + outcomes[k][OUTCOME_DIFFERENT]
          > 0)
        g_test_message ("%s: %u identical, %u damaged, %u different", damage_names[k],
                        outcomes[k][OUTCOME_IDENTICAL], outcomes[k][OUTCOME_DAMAGED],
                        outcomes[k][OUTCOME_DIFFERENT]);
    }
  g_test_message ("%u trials in %" G_GINT64_FORMAT " ms; in %u, backupsctl found the damage "
                  "with one command and not another",
                  n_trials, (g_get_monotonic_time () - started) / 1000, n_mixed);

  trials_clear (&trials);
  gridpane_mock_stop (mock);
  g_object_unref (mock);

  if (n_different > 0)
    {
      g_autofree char *message = g_strdup_printf (
        "%u of %u trials showed other rows without any error (the first: "
        "BACKUPS_DAMAGE_TRIAL=%s): SQLite keeps no checksums, so a changed byte inside a value "
        "passes PRAGMA quick_check",
        n_different, n_trials, first_different->str);

      g_test_incomplete (message);
    }
}

/* Files and raw SQL, to damage caches as a bad disk or a foreign program
 * would ------------------------------------------------------------------- */

/* Runs `sql` on the file in a connection of its own; closing it, the last
 * one, checkpoints the WAL into the file. */
static void
sql_on_file (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char    *message = NULL;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL), ==, SQLITE_OK);
  if (sqlite3_exec (db, sql, NULL, NULL, &message) != SQLITE_OK)
    g_error ("%s: %s", sql, message);
  g_assert_cmpint (sqlite3_close (db), ==, SQLITE_OK);
}

/* Every row `sql` gives, one line each, columns joined by '|'. */
static char *
sql_rows (sqlite3 *db, const char *sql)
{
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
  while (sqlite3_step (stmt) == SQLITE_ROW)
    {
      for (int i = 0; i < sqlite3_column_count (stmt); i++)
        {
          const char *text = (const char *)sqlite3_column_text (stmt, i);

          g_string_append_printf (out, "%s%s", i ? "|" : "", text != NULL ? text : "<null>");
        }
      g_string_append_c (out, '\n');
    }
  g_assert_cmpint (sqlite3_finalize (stmt), ==, SQLITE_OK);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

static char *
sql_rows_of_file (const char *path, const char *sql)
{
  sqlite3 *db = NULL;
  char    *rows;

  g_assert_cmpint (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READONLY, NULL), ==, SQLITE_OK);
  rows = sql_rows (db, sql);
  sqlite3_close (db);
  return rows;
}

/* Overwrites page `page` (from 1) of a file no one has open with zeroes,
 * in place. */
static void
zero_page (const char *path, guint page)
{
  guint8 header[100];
  guint8 zeros[65536] = { 0 };
  guint  page_size;
  int    fd = g_open (path, O_RDWR | O_CLOEXEC, 0);

  g_assert_cmpint (fd, >=, 0);
  g_assert_cmpint (pread (fd, header, sizeof header, 0), ==, sizeof header);
  page_size = header[16] << 8 | header[17];
  g_assert_cmpint (pwrite (fd, zeros, page_size, (off_t)(page - 1) * page_size), ==, page_size);
  g_assert_cmpint (close (fd), ==, 0);
}

static void
append_rows (GString *out, sqlite3 *db, const char *sql)
{
  g_autofree char *rows = sql_rows (db, sql);

  g_string_append (out, rows);
}

/* The organizations, accounts and rows of the store by name, without the
 * ids and times that differ between two caches holding the same data. */
static char *
dump_by_name (BackupsStore *store)
{
  static const char *const tables[]
    = { "servers", "sites", "backup_schedules", "backup_integrations" };
  g_autoptr (GString) out = g_string_new (NULL);
  sqlite3 *db = backups_store_acquire_connection (store, NULL);

  g_assert_nonnull (db);
  g_string_append (out, "[orgs]\n");
  append_rows (out, db, "SELECT name FROM orgs ORDER BY name");
  g_string_append (out, "[accounts]\n");
  append_rows (out, db,
               "SELECT o.name, a.provider, a.name, a.base_url, a.secret_id, a.last_sync_status "
               "FROM accounts a JOIN orgs o ON o.id = a.org_id "
               "ORDER BY o.name, a.name");
  for (guint t = 0; t < G_N_ELEMENTS (tables); t++)
    {
      g_autofree char *columns_sql
        = g_strdup_printf ("SELECT group_concat ('t.' || name, ', ') FROM pragma_table_info ('%s') "
                           "WHERE name != 'account_id'",
                           tables[t]);
      g_autofree char *columns = sql_rows (db, columns_sql);
      g_autofree char *rows_sql = NULL;

      g_strchomp (columns);
      rows_sql = g_strdup_printf ("SELECT o.name, a.name, %s FROM %s t "
                                  "JOIN accounts a ON a.id = t.account_id "
                                  "JOIN orgs o ON o.id = a.org_id "
                                  "ORDER BY o.name, a.name, t.remote_id",
                                  columns, tables[t]);
      g_string_append_printf (out, "[%s]\n", tables[t]);
      append_rows (out, db, rows_sql);
    }
  backups_store_release_connection (store, db);
  return g_string_free (g_steal_pointer (&out), FALSE);
}

/* TRUE when no file of `dir` holds any of the tokens. */
static void
assert_no_token_in_folder (const char *dir, const AccountSpec *accounts, guint n_accounts)
{
  g_autoptr (GDir) handle = g_dir_open (dir, 0, NULL);
  const char *name;
  guint       n_files = 0;

  g_assert_nonnull (handle);
  while ((name = g_dir_read_name (handle)) != NULL)
    {
      g_autofree char *path = g_build_filename (dir, name, NULL);

      n_files++;
      for (guint i = 0; i < n_accounts; i++)
        if (backups_test_file_contains (path, accounts[i].token))
          g_error ("The token of %s is in %s", accounts[i].name, path);
    }
  g_assert_cmpuint (n_files, >, 0);
}

static void
assert_strings (GPtrArray *strings, ...)
{
  g_autoptr (GPtrArray) expected = g_ptr_array_new ();
  va_list     ap;
  const char *s;

  va_start (ap, strings);
  while ((s = va_arg (ap, const char *)) != NULL)
    g_ptr_array_add (expected, (gpointer)s);
  va_end (ap);

  for (guint i = 0; i < strings->len; i++)
    g_test_message ("  %s", (const char *)strings->pdata[i]);
  g_assert_cmpuint (strings->len, ==, expected->len);
  for (guint i = 0; i < expected->len; i++)
    g_assert_cmpstr (strings->pdata[i], ==, expected->pdata[i]);
}

/* Repair -------------------------------------------------------------------- */

static const AccountSpec repair_accounts[] = {
  { "Agency",
    "Client A",
    "repair-token-a-6b1e",
    { .seed = 41, .n_servers = 3, .n_sites = 18, .n_integrations = 3, .name_prefix = "alpha" } },
  { "Agency",
    "Client B",
    "repair-token-b-c470",
    { .seed = 42, .n_servers = 2, .n_sites = 12, .n_integrations = 2, .name_prefix = "bravo" } },
  { "Other",
    "Client C",
    "repair-token-c-2d95",
    { .seed = 43, .n_servers = 2, .n_sites = 9, .n_integrations = 2, .name_prefix = "charlie" } },
  { "Legacy",
    "Client D",
    "repair-token-d-91aa",
    { .seed = 44, .n_servers = 1, .n_sites = 5, .n_integrations = 1, .name_prefix = "delta" } },
};

enum
{
  CLIENT_A,
  CLIENT_B,
  CLIENT_C,
  CLIENT_D,
};

/* As a bad sector could: Client B's account row and the Legacy
 * organization's row are gone, and the schedules cannot be read (the root
 * page of their table is zeroes). What is left of the organizations and
 * accounts reads fine. */
static void
damage_for_repair (const char *path)
{
  g_autofree char *root = NULL;

  sql_on_file (path, "DELETE FROM accounts WHERE name = 'Client B';"
                     "DELETE FROM orgs WHERE name = 'Legacy';");
  root = sql_rows_of_file (path, "SELECT rootpage FROM sqlite_schema "
                                 "WHERE name = 'backup_schedules'");
  zero_page (path, (guint)g_ascii_strtoull (root, NULL, 10));
}

static void
assert_moved_aside (const char *path, const char *moved_to)
{
  g_autofree char *prefix = g_strconcat (path, ".damaged-", NULL);

  g_assert_true (g_str_has_prefix (moved_to, prefix));
  g_assert_true (g_regex_match_simple ("^[0-9]{8}-[0-9]{6}$", moved_to + strlen (prefix), 0, 0));
  g_assert_true (g_file_test (moved_to, G_FILE_TEST_IS_REGULAR));
  g_assert_true (g_file_test (path, G_FILE_TEST_IS_REGULAR));
}

/* backups_store_rebuild() as the window's button calls it, with the
 * keyring's owners: Client A and C are kept, B comes back from its keyring
 * item, D (whose organization is lost and whose token was stored before
 * tokens named their owners) is reported lost. The next sync gives exactly
 * the rows of a fresh sync into an empty cache. */
static void
test_repair_store (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autoptr (BackupsRebuildReport) report = NULL;
  g_autoptr (GPtrArray) owners = NULL;
  g_autofree char *base_url = NULL;
  g_autofree char *path = backups_store_default_path ();
  g_autofree char *folder = g_path_get_dirname (path);
  g_autofree char *fresh_path = NULL;
  g_autofree char *expected_accounts = NULL;
  g_autofree char *accounts = NULL;
  g_autofree char *repaired = NULL;
  g_autofree char *fresh = NULL;
  char            *secret_ids[G_N_ELEMENTS (repair_accounts)];
  BackupsStore    *store;
  BackupsStore    *fresh_store;
  GridpaneMock    *mock;

  mock = start_mock (repair_accounts, G_N_ELEMENTS (repair_accounts));
  base_url = gridpane_mock_get_base_url (mock);
  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  for (guint i = 0; i < G_N_ELEMENTS (repair_accounts); i++)
    {
      secret_ids[i] = backups_secrets_generate_id ();
      add_account (store, secrets, &repair_accounts[i], base_url, secret_ids[i], i != CLIENT_D);
    }
  g_assert_no_error (sync_all_orgs (store, secrets));
  backups_test_assert_finalize (store);

  damage_for_repair (path);
  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  g_assert_false (backups_store_check_integrity (store, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED);
  g_assert_nonnull (strstr (error->message, path));
  g_clear_error (&error);
  g_assert_true (backups_store_is_damaged (store));

  owners = backups_secrets_list_owners (secrets, &error);
  g_assert_no_error (error);
  g_assert_true (backups_store_rebuild (store, owners, &report, &error));
  g_assert_no_error (error);
  g_assert_false (backups_store_is_damaged (store));
  assert_moved_aside (path, report->moved_to);
  assert_strings (report->kept, "Agency / Client A", "Other / Client C", NULL);
  assert_strings (report->from_keyring, "Agency / Client B", NULL);
  assert_strings (report->lost,
                  "Account ‘Client D’ could not be recovered: add it again under Accounts.", NULL);

  /* The organizations and accounts as they were: names, base URLs and
   * keyring references. */
  expected_accounts = g_strdup_printf ("Agency|gridpane|Client A|%s|%s|never\n"
                                       "Agency|gridpane|Client B|%s|%s|never\n"
                                       "Other|gridpane|Client C|%s|%s|never\n",
                                       base_url, secret_ids[CLIENT_A], base_url,
                                       secret_ids[CLIENT_B], base_url, secret_ids[CLIENT_C]);
  {
    g_autofree char *dump = dump_by_name (store);

    accounts = g_strndup (strstr (dump, "[accounts]\n") + strlen ("[accounts]\n"),
                          strstr (dump, "[servers]") - strstr (dump, "[accounts]\n")
                            - strlen ("[accounts]\n"));
    g_assert_true (g_str_has_prefix (dump, "[orgs]\nAgency\nOther\n[accounts]\n"));
  }
  g_assert_cmpstr (accounts, ==, expected_accounts);

  g_assert_no_error (sync_all_orgs (store, secrets));
  repaired = dump_by_name (store);

  /* The same accounts synced into an empty cache. */
  fresh_path = g_build_filename (g_get_user_cache_dir (), "fresh", "backups.db", NULL);
  fresh_store = backups_store_open (fresh_path, &error);
  g_assert_no_error (error);
  for (guint i = CLIENT_A; i <= CLIENT_C; i++)
    {
      g_autoptr (BackupsAccount) account = backups_store_add_account (
        fresh_store, ensure_org (fresh_store, repair_accounts[i].org), "gridpane",
        repair_accounts[i].name, base_url, secret_ids[i], &error);

      g_assert_no_error (error);
    }
  g_assert_no_error (sync_all_orgs (fresh_store, secrets));
  fresh = dump_by_name (fresh_store);
  g_assert_cmpstr (repaired, ==, fresh);
  g_assert_nonnull (strstr (repaired, "bravo"));

  backups_test_assert_finalize (fresh_store);
  backups_test_assert_finalize (store);
  assert_no_token_in_folder (folder, repair_accounts, G_N_ELEMENTS (repair_accounts));
  for (guint i = 0; i < G_N_ELEMENTS (repair_accounts); i++)
    g_free (secret_ids[i]);
  gridpane_mock_stop (mock);
  g_object_unref (mock);
}

/* A Secret Service of the test's own, in a D-Bus session of its own, so
 * that `backupsctl repair` finds exactly the tokens this test stored (the
 * keyring of the test command is shared by the tests running alongside). */
typedef struct
{
  GSubprocess *bus;
  GSubprocess *daemon;
  char        *address;
} PrivateKeyring;

static gboolean
secret_service_owned (GDBusConnection *connection)
{
  g_autoptr (GVariant) reply = NULL;
  gboolean owned = FALSE;

  reply = g_dbus_connection_call_sync (
    connection, "org.freedesktop.DBus", "/org/freedesktop/DBus", "org.freedesktop.DBus",
    "NameHasOwner", g_variant_new ("(s)", "org.freedesktop.secrets"), G_VARIANT_TYPE ("(b)"),
    G_DBUS_CALL_FLAGS_NONE, -1, NULL, NULL);
  if (reply != NULL)
    g_variant_get (reply, "(b)", &owned);
  return owned;
}

/* A daemon of the test's ends with it, also when it aborts. */
static void
die_with_parent (gpointer user_data)
{
  prctl (PR_SET_PDEATHSIG, SIGKILL);
}

static gboolean
private_keyring_start (PrivateKeyring *keyring)
{
  g_autofree char *dir = g_build_filename (g_get_user_cache_dir (), "private-keyring", NULL);
  g_autofree char *run_dir = g_build_filename (dir, "run", NULL);
  g_autofree char *data_dir = g_build_filename (dir, "data", NULL);
  g_autofree char *address_option = g_strdup_printf ("--address=unix:path=%s/bus", dir);
  g_autofree char *dbus_daemon = g_find_program_in_path ("dbus-daemon");
  g_autofree char *keyring_daemon = g_find_program_in_path ("gnome-keyring-daemon");
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GDBusConnection) connection = NULL;
  g_autoptr (GError) error = NULL;
  GOutputStream *input;
  gint64         deadline;

  if (dbus_daemon == NULL || keyring_daemon == NULL)
    {
      if (g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0)
        g_error ("dbus-daemon and gnome-keyring-daemon are needed (tools/install-deps)");
      g_test_skip ("dbus-daemon and gnome-keyring-daemon are needed for a keyring of the test's "
                   "own");
      return FALSE;
    }
  g_assert_cmpint (g_mkdir_with_parents (run_dir, 0700), ==, 0);
  g_assert_cmpint (g_mkdir_with_parents (data_dir, 0700), ==, 0);

  launcher = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                        | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  keyring->bus
    = g_subprocess_launcher_spawn (launcher, &error, dbus_daemon, "--session", "--nofork",
                                   "--print-address=1", address_option, NULL);
  g_clear_object (&launcher);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (keyring->bus));
  keyring->address = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (keyring->address);

  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_SILENCE
                                 | G_SUBPROCESS_FLAGS_STDERR_SILENCE);
  g_subprocess_launcher_set_child_setup (launcher, die_with_parent, NULL, NULL);
  g_subprocess_launcher_setenv (launcher, "DBUS_SESSION_BUS_ADDRESS", keyring->address, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", data_dir, TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", run_dir, TRUE);
  keyring->daemon = g_subprocess_launcher_spawn (launcher, &error, keyring_daemon, "--foreground",
                                                 "--unlock", "--components=secrets", NULL);
  g_assert_no_error (error);
  /* --unlock reads the password of the (new) login keyring from stdin. */
  input = g_subprocess_get_stdin_pipe (keyring->daemon);
  g_assert_true (
    g_output_stream_write_all (input, "backups-test-keyring\n", 21, NULL, NULL, &error));
  g_assert_true (g_output_stream_close (input, NULL, &error));
  g_assert_no_error (error);

  connection = g_dbus_connection_new_for_address_sync (
    keyring->address,
    G_DBUS_CONNECTION_FLAGS_AUTHENTICATION_CLIENT | G_DBUS_CONNECTION_FLAGS_MESSAGE_BUS_CONNECTION,
    NULL, NULL, &error);
  g_assert_no_error (error);
  deadline = g_get_monotonic_time () + backups_test_scale_timeout (10000) * (gint64)1000;
  while (!secret_service_owned (connection))
    {
      if (g_get_monotonic_time () > deadline)
        g_error ("The test's own gnome-keyring-daemon did not come up on %s", keyring->address);
      g_usleep (20000);
    }
  return TRUE;
}

static void
private_keyring_stop (PrivateKeyring *keyring)
{
  GSubprocess *processes[] = { keyring->daemon, keyring->bus };

  for (guint i = 0; i < G_N_ELEMENTS (processes); i++)
    {
      if (processes[i] == NULL)
        continue;
      g_subprocess_send_signal (processes[i], SIGTERM);
      g_subprocess_wait (processes[i], NULL, NULL);
    }
  g_clear_object (&keyring->daemon);
  g_clear_object (&keyring->bus);
  g_clear_pointer (&keyring->address, g_free);
}

/* backupsctl with the test's own keyring and data folder, logged. */
static void
run_cli_with_keyring (BackupsCliRun        *run,
                      const PrivateKeyring *keyring,
                      const char           *input,
                      const char *const    *args)
{
  g_autofree char *bus = g_strconcat ("DBUS_SESSION_BUS_ADDRESS=", keyring->address, NULL);

  backups_cli_run (run, input, (const char *const[]){ bus, NULL }, args);
}

/* `backupsctl repair` end to end: every other command refuses the damaged
 * cache and leaves it as it is; repair keeps Client A and C, recovers D
 * (whose organization's row is lost) and B (whose row is lost) from their
 * keyring items, and syncs: the schedules and integrations are those of
 * the first sync. With `rename_first`, "Agency" was renamed "Agency Ltd"
 * before the damage: B comes back in the organization it was in. */
static void
test_repair_cli (gconstpointer data)
{
  gboolean                 rename_first = GPOINTER_TO_INT (data);
  const char              *agency = rename_first ? "Agency Ltd" : "Agency";
  PrivateKeyring           keyring = { 0 };
  g_autofree char         *base_url = NULL;
  g_autofree char         *path = backups_store_default_path ();
  g_autofree char         *folder = g_path_get_dirname (path);
  g_autofree char         *sentence = damaged_sentence (path);
  g_autofree char         *accounts_sql = NULL;
  g_autofree char         *accounts_before = NULL;
  g_autofree char         *accounts_after = NULL;
  g_autofree char         *folder_before = NULL;
  g_autofree char         *folder_after = NULL;
  g_autofree char         *moved = NULL;
  g_autofree char         *expected_report = NULL;
  char                    *before[3] = { NULL };
  const char *const *const reports[] = {
    (const char *const[]){ "schedules", "--format", "json", NULL },
    (const char *const[]){ "integrations", "--format", "json", NULL },
    (const char *const[]){ "org", "list", NULL },
  };
  const char *const *const refused[] = {
    (const char *const[]){ "schedules", NULL },
    (const char *const[]){ "integrations", "--format", "csv", NULL },
    (const char *const[]){ "status", NULL },
    (const char *const[]){ "org", "list", NULL },
    (const char *const[]){ "account", "list", NULL },
    (const char *const[]){ "sync", NULL },
    (const char *const[]){ "org", "add", "Newcomer", NULL },
    (const char *const[]){ "org", "rename", "Other", "Others", NULL },
  };
  GridpaneMock *mock;

  if (!private_keyring_start (&keyring))
    return;
  mock = start_mock (repair_accounts, G_N_ELEMENTS (repair_accounts));
  base_url = gridpane_mock_get_base_url (mock);

  for (guint i = 0; i < G_N_ELEMENTS (repair_accounts); i++)
    {
      g_auto (BackupsCliRun) org = { 0 };
      g_auto (BackupsCliRun) account = { 0 };
      g_autofree char *token = g_strconcat (repair_accounts[i].token, "\n", NULL);

      run_cli_with_keyring (&org, &keyring, NULL,
                            (const char *const[]){ "org", "add", repair_accounts[i].org, NULL });
      run_cli_with_keyring (&account, &keyring, token,
                            (const char *const[]){ "account", "add", "--org",
                                                   repair_accounts[i].org, "--name",
                                                   repair_accounts[i].name, "--base-url", base_url,
                                                   "--token-stdin", NULL });
      backups_cli_assert_status (&account, 0);
    }
  if (rename_first)
    {
      g_auto (BackupsCliRun) run = { 0 };

      run_cli_with_keyring (&run, &keyring, NULL,
                            (const char *const[]){ "org", "rename", "Agency", agency, NULL });
      backups_cli_assert_status (&run, 0);
    }
  {
    g_auto (BackupsCliRun) run = { 0 };

    run_cli_with_keyring (&run, &keyring, NULL, (const char *const[]){ "sync", NULL });
    backups_cli_assert_status (&run, 0);
  }
  for (guint r = 0; r < G_N_ELEMENTS (reports); r++)
    {
      g_auto (BackupsCliRun) run = { 0 };

      run_cli_with_keyring (&run, &keyring, NULL, reports[r]);
      backups_cli_assert_status (&run, 0);
      before[r] = g_steal_pointer (&run.out);
    }
  accounts_sql = g_strdup ("SELECT o.name, a.name, a.provider, a.base_url, a.secret_id "
                           "FROM accounts a JOIN orgs o ON o.id = a.org_id "
                           "ORDER BY o.name, a.name");
  accounts_before = sql_rows_of_file (path, accounts_sql);

  damage_for_repair (path);

  /* Every command but repair refuses, and writes nothing. */
  folder_before = describe_folder (folder);
  for (guint r = 0; r < G_N_ELEMENTS (refused); r++)
    {
      g_auto (BackupsCliRun) run = { 0 };

      run_cli_with_keyring (&run, &keyring, NULL, refused[r]);
      backups_cli_assert_status (&run, 1);
      if (strstr (run.err, sentence) == NULL)
        g_error ("backupsctl %s does not say “%s”:\n%s", refused[r][0], sentence, run.err);
      g_assert_cmpstr (run.out, ==, "");
    }
  folder_after = describe_folder (folder);
  g_assert_cmpstr (folder_after, ==, folder_before);

  {
    g_auto (BackupsCliRun) run = { 0 };
    const char *line_end;

    run_cli_with_keyring (&run, &keyring, NULL, (const char *const[]){ "repair", NULL });
    backups_cli_assert_status (&run, 0);
    moved = g_strdup_printf ("The damaged cache was moved to %s.damaged-", path);
    g_assert_true (g_str_has_prefix (run.out, moved));
    line_end = strstr (run.out, "; a new one was made.\n");
    g_assert_nonnull (line_end);
    g_free (moved);
    moved = g_strndup (run.out + strlen ("The damaged cache was moved to "),
                       line_end - run.out - strlen ("The damaged cache was moved to "));
    assert_moved_aside (path, moved);
    expected_report = g_strdup_printf ("Kept:\n"
                                       "  %s / Client A\n"
                                       "  Other / Client C\n"
                                       "  Legacy / Client D\n"
                                       "Recovered from the keyring:\n"
                                       "  %s / Client B\n",
                                       agency, agency);
    /* After a rename the keyring item names the organization as it is now. */
    if (strstr (run.out, expected_report) == NULL)
      g_error ("repair does not report\n%s\nbut\n%s", expected_report, run.out);
    g_assert_null (strstr (run.out, "Not recovered"));
  }

  for (guint r = 0; r < G_N_ELEMENTS (reports); r++)
    {
      g_auto (BackupsCliRun) run = { 0 };

      run_cli_with_keyring (&run, &keyring, NULL, reports[r]);
      backups_cli_assert_status (&run, 0);
      g_assert_cmpstr (run.out, ==, before[r]);
    }
  accounts_after = sql_rows_of_file (path, accounts_sql);
  g_assert_cmpstr (accounts_after, ==, accounts_before);
  assert_no_token_in_folder (folder, repair_accounts, G_N_ELEMENTS (repair_accounts));

  for (guint r = 0; r < G_N_ELEMENTS (reports); r++)
    g_free (before[r]);
  gridpane_mock_stop (mock);
  g_object_unref (mock);
  private_keyring_stop (&keyring);
}

/* File errors ---------------------------------------------------------------- */

static const AccountSpec small_account = {
  "Agency",
  "Client A",
  "files-token-a-3c0d",
  { .seed = 51, .n_servers = 2, .n_sites = 10, .n_integrations = 2, .name_prefix = "alpha" },
};

typedef struct
{
  GridpaneMock *mock;
  char         *data_home;
  char         *path;      /* the cache */
  char         *folder;    /* its folder */
  char         *schedules; /* what `backupsctl schedules --format json` prints of it */
} SmallCache;

/* A synced cache of one account in `data_home`, closed. */
static void
small_cache_set_up (SmallCache *cache, const char *data_home)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autofree char *base_url = NULL;
  g_autofree char *secret_id = backups_secrets_generate_id ();
  g_auto (BackupsCliRun) run = { 0 };
  BackupsStore *store;

  cache->mock = start_mock (&small_account, 1);
  cache->data_home = g_strdup (data_home);
  cache->path = cache_path_in (data_home);
  cache->folder = g_path_get_dirname (cache->path);
  base_url = gridpane_mock_get_base_url (cache->mock);

  store = backups_store_open (cache->path, &error);
  g_assert_no_error (error);
  add_account (store, secrets, &small_account, base_url, secret_id, TRUE);
  g_assert_no_error (sync_all_orgs (store, secrets));
  backups_test_assert_finalize (store);

  run_cli_quietly (&run, data_home, NULL,
                   (const char *const[]){ "schedules", "--format", "json", NULL });
  backups_cli_assert_status (&run, 0);
  g_assert_nonnull (strstr (run.out, "alpha"));
  cache->schedules = g_steal_pointer (&run.out);
}

static void
small_cache_clear (SmallCache *cache)
{
  gridpane_mock_stop (cache->mock);
  g_clear_object (&cache->mock);
  g_clear_pointer (&cache->data_home, g_free);
  g_clear_pointer (&cache->path, g_free);
  g_clear_pointer (&cache->folder, g_free);
  g_clear_pointer (&cache->schedules, g_free);
}

/* Runs backupsctl on the cache, through `wrapper` (argv, may be NULL), and
 * checks it exits 1 with `sentence` on stderr and nothing on stdout. */
static void
assert_cli_refuses (SmallCache        *cache,
                    const char *const *wrapper,
                    const char *const *args,
                    const char        *sentence)
{
  g_autofree char *data_env = g_strconcat ("XDG_DATA_HOME=", cache->data_home, NULL);
  g_autoptr (GSubprocessLauncher) launcher
    = backups_cli_launcher_new ((const char *const[]){ data_env, NULL });
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GSubprocess) process = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (BackupsCliRun) run = { 0 };

  for (guint i = 0; wrapper != NULL && wrapper[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)wrapper[i]);
  g_ptr_array_add (argv, (gpointer)g_getenv ("BACKUPSCTL"));
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);
  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);
  backups_cli_finish (process, NULL, 0, &run);
  g_test_message ("backupsctl %s → %d\nstderr:\n%s", args[0], run.status, run.err);

  backups_cli_assert_status (&run, 1);
  if (strstr (run.err, sentence) == NULL)
    g_error ("backupsctl %s does not say “%s”:\n%s", args[0], sentence, run.err);
  g_assert_cmpstr (run.out, ==, "");
}

/* The store refuses the file too: opening it fails with `code` and a
 * message naming it, or (reads being possible) writing does. */
static void
assert_store_refuses (SmallCache *cache, BackupsErrorCode code)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  BackupsStore *store = backups_store_open (cache->path, &error);

  if (store != NULL)
    {
      org = backups_store_add_org (store, "Newcomer", &error);
      g_assert_null (org);
      backups_test_assert_finalize (store);
    }
  g_assert_error (error, BACKUPS_ERROR, code);
  g_assert_nonnull (strstr (error->message, cache->path));
}

static void
test_read_only_folder (void)
{
  SmallCache       cache = { 0 };
  gboolean         root = getuid () == 0;
  g_autofree char *setpriv = g_find_program_in_path ("setpriv");
  g_autofree char *sentence = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  /* Root may write anywhere; without capabilities it is a user like any. */
  const char *const without_capabilities[]
    = { setpriv, "--bounding-set=-all", "--inh-caps=-all", "--", NULL };
  const char *const *wrapper = root ? without_capabilities : NULL;

  if (root && setpriv == NULL)
    {
      g_test_skip ("Running as root, which a read-only folder does not stop, and setpriv (to "
                   "run backupsctl without capabilities) is missing");
      return;
    }

  small_cache_set_up (&cache, g_get_user_data_dir ());
  sentence = g_strdup_printf ("Backups may not write to %s or its folder.", cache.path);
  g_assert_cmpint (g_chmod (cache.folder, 0500), ==, 0);
  before = describe_folder (cache.folder);

  assert_cli_refuses (&cache, wrapper, (const char *const[]){ "schedules", NULL }, sentence);
  assert_cli_refuses (&cache, wrapper, (const char *const[]){ "org", "add", "Newcomer", NULL },
                      sentence);
  if (!root)
    assert_store_refuses (&cache, BACKUPS_ERROR_DATABASE_READ_ONLY);

  after = describe_folder (cache.folder);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (g_chmod (cache.folder, 0700), ==, 0);
  small_cache_clear (&cache);
}

static void
test_read_only_mount (void)
{
  SmallCache       cache = { 0 };
  g_autofree char *sentence = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;

  if (getuid () != 0)
    {
      g_test_skip ("Only root can bind-mount the data folder read-only (the read-only folder "
                   "test covers a user's read-only folder)");
      return;
    }

  small_cache_set_up (&cache, g_get_user_data_dir ());
  if (mount (cache.folder, cache.folder, NULL, MS_BIND, NULL) != 0
      || mount (NULL, cache.folder, NULL, MS_REMOUNT | MS_BIND | MS_RDONLY, NULL) != 0)
    {
      g_autofree char *reason = g_strdup_printf ("Could not bind-mount %s read-only: %s",
                                                 cache.folder, g_strerror (errno));

      umount2 (cache.folder, MNT_DETACH);
      small_cache_clear (&cache);
      g_test_skip (reason);
      return;
    }
  sentence = g_strdup_printf ("Backups may not write to %s or its folder.", cache.path);
  before = describe_folder (cache.folder);

  assert_cli_refuses (&cache, NULL, (const char *const[]){ "schedules", NULL }, sentence);
  assert_cli_refuses (&cache, NULL, (const char *const[]){ "org", "add", "Newcomer", NULL },
                      sentence);
  assert_store_refuses (&cache, BACKUPS_ERROR_DATABASE_READ_ONLY);

  after = describe_folder (cache.folder);
  g_assert_cmpstr (after, ==, before);
  g_assert_cmpint (umount2 (cache.folder, MNT_DETACH), ==, 0);
  small_cache_clear (&cache);
}

static void
test_too_new (void)
{
  SmallCache       cache = { 0 };
  g_autofree char *sentence = NULL;
  g_autofree char *before = NULL;
  g_autofree char *after = NULL;
  g_autofree char *version = NULL;

  small_cache_set_up (&cache, g_get_user_data_dir ());
  sql_on_file (cache.path, "PRAGMA user_version = 99");
  sentence = g_strdup_printf ("The cache %s was written by a newer version of Backups", cache.path);
  before = describe_folder (cache.folder);

  assert_cli_refuses (&cache, NULL, (const char *const[]){ "schedules", NULL }, sentence);
  assert_cli_refuses (&cache, NULL, (const char *const[]){ "org", "add", "Newcomer", NULL },
                      sentence);
  /* Never rebuilt either: it is not damaged, only newer. */
  assert_cli_refuses (&cache, NULL, (const char *const[]){ "repair", NULL }, sentence);
  assert_store_refuses (&cache, BACKUPS_ERROR_DATABASE_TOO_NEW);

  after = describe_folder (cache.folder);
  g_assert_cmpstr (after, ==, before);
  version = sql_rows_of_file (cache.path, "PRAGMA user_version");
  g_assert_cmpstr (version, ==, "99\n");
  small_cache_clear (&cache);
}

/* The cache's bytes and time, which a lock holder's -wal and -shm do not
 * change. Read by another process: closing a descriptor of the file here
 * would drop every POSIX lock this process holds on it, the open store's
 * included (and the next connection elsewhere would think itself the last
 * and delete the -wal and -shm). */
static char *
describe_file (const char *path)
{
  g_autofree char *sum = NULL;
  g_autoptr (GError) error = NULL;
  struct stat st;
  int         status = 0;

  g_assert_true (g_spawn_sync (NULL, (char *[]){ (char *)"sha256sum", (char *)path, NULL }, NULL,
                               G_SPAWN_SEARCH_PATH | G_SPAWN_STDERR_TO_DEV_NULL, NULL, NULL, &sum,
                               NULL, &status, &error));
  g_assert_no_error (error);
  g_assert_cmpint (status, ==, 0);
  g_strchomp (sum);
  g_assert_cmpint (g_stat (path, &st), ==, 0);
  return g_strdup_printf ("size %" G_GOFFSET_FORMAT " mtime %ld.%09ld sha256 %s",
                          (goffset)st.st_size, (long)st.st_mtim.tv_sec, (long)st.st_mtim.tv_nsec,
                          sum);
}

/* The lock holder: this program again (see main ()), as another process,
 * because closing any descriptor of the file in this one would drop the
 * holder's POSIX locks. It prints "locked" and holds on until its stdin
 * closes. */
#define HOLD_LOCK_ENV "BACKUPS_DAMAGE_HOLD_LOCK"

static int
hold_lock (const char *spec)
{
  const char *path = strchr (spec, ':') + 1;
  gboolean    whole_file = g_str_has_prefix (spec, "file:");
  sqlite3    *db = NULL;
  char        byte;

  if (sqlite3_open_v2 (path, &db, SQLITE_OPEN_READWRITE, NULL) != SQLITE_OK
      || sqlite3_exec (db,
                       whole_file ? "PRAGMA locking_mode = EXCLUSIVE; BEGIN EXCLUSIVE;"
                                    "UPDATE orgs SET name = name;"
                                  : "BEGIN EXCLUSIVE",
                       NULL, NULL, NULL)
           != SQLITE_OK)
    {
      g_printerr ("Could not lock %s: %s\n", path, sqlite3_errmsg (db));
      return 1;
    }
  g_print ("locked\n");
  while (read (STDIN_FILENO, &byte, 1) > 0)
    ;
  sqlite3_exec (db, "ROLLBACK", NULL, NULL, NULL);
  return sqlite3_close (db) == SQLITE_OK ? 0 : 1;
}

static char *test_program;

typedef struct
{
  SmallCache   cache;
  GSubprocess *holder;
  char        *file_before;
} Locked;

/* Another program holding a write transaction (BEGIN EXCLUSIVE), or, with
 * `whole_file`, the whole file (locking_mode EXCLUSIVE: no one may even
 * read). */
static void
locked_set_up (Locked *locked, const char *name, gboolean whole_file)
{
  g_autofree char *data_home = g_build_filename (g_get_user_cache_dir (), name, NULL);
  g_autofree char *spec = NULL;
  g_autofree char *line = NULL;
  g_autoptr (GSubprocessLauncher) launcher = NULL;
  g_autoptr (GDataInputStream) lines = NULL;
  g_autoptr (GError) error = NULL;

  small_cache_set_up (&locked->cache, data_home);
  locked->file_before = describe_file (locked->cache.path);

  spec = g_strconcat (whole_file ? "file:" : "write:", locked->cache.path, NULL);
  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE);
  g_subprocess_launcher_setenv (launcher, HOLD_LOCK_ENV, spec, TRUE);
  locked->holder = g_subprocess_launcher_spawn (launcher, &error, test_program, NULL);
  g_assert_no_error (error);
  lines = g_data_input_stream_new (g_subprocess_get_stdout_pipe (locked->holder));
  line = g_data_input_stream_read_line (lines, NULL, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (line, ==, "locked");
}

static void
locked_tear_down (Locked *locked)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *file_after = NULL;

  g_output_stream_close (g_subprocess_get_stdin_pipe (locked->holder), NULL, NULL);
  g_assert_true (g_subprocess_wait_check (locked->holder, NULL, &error));
  g_assert_no_error (error);
  g_clear_object (&locked->holder);
  file_after = describe_file (locked->cache.path);
  g_assert_cmpstr (file_after, ==, locked->file_before);
  g_free (locked->file_before);
  small_cache_clear (&locked->cache);
}

static gpointer
open_locked_store_thread (gpointer data)
{
  Locked *locked = data;
  GError *error = NULL;
  g_autoptr (GMainContext) context = g_main_context_new ();
  BackupsStore *store;

  g_main_context_push_thread_default (context);
  store = backups_store_open (locked->cache.path, &error);
  if (store != NULL)
    {
      g_autoptr (GPtrArray) orgs = backups_store_list_orgs (store, &error);

      if (orgs != NULL)
        g_set_error (&error, BACKUPS_ERROR, BACKUPS_ERROR_FAILED, "Read a locked cache");
      g_object_unref (store);
    }
  while (g_main_context_iteration (context, FALSE))
    ;
  g_main_context_pop_thread_default (context);
  return error;
}

static void
test_foreign_lock (void)
{
  Locked           writing = { 0 };
  Locked           holding = { 0 };
  g_autofree char *writing_sentence = NULL;
  g_autofree char *holding_sentence = NULL;
  g_autofree char *writing_env = NULL;
  g_autofree char *holding_env = NULL;
  g_autoptr (GSubprocessLauncher) writing_launcher = NULL;
  g_autoptr (GSubprocessLauncher) holding_launcher = NULL;
  g_autoptr (GSubprocess) read_while_writing = NULL;
  g_autoptr (GSubprocess) write_while_writing = NULL;
  g_autoptr (GSubprocess) read_while_holding = NULL;
  g_auto (BackupsCliRun) run = { 0 };
  g_autoptr (GError) store_error = NULL;
  GThread *thread;
  gint64   started;

  locked_set_up (&writing, "writing", FALSE);
  locked_set_up (&holding, "holding", TRUE);
  writing_sentence = g_strdup_printf ("Another program has held the cache at %s locked for over "
                                      "10 seconds",
                                      writing.cache.path);
  holding_sentence = g_strdup_printf ("Another program has held the cache at %s locked for over "
                                      "10 seconds",
                                      holding.cache.path);

  /* The lock is held longer than the 10 s every wait of the store allows:
   * everything waits at once. */
  started = g_get_monotonic_time ();
  writing_env = g_strconcat ("XDG_DATA_HOME=", writing.cache.data_home, NULL);
  holding_env = g_strconcat ("XDG_DATA_HOME=", holding.cache.data_home, NULL);
  writing_launcher = backups_cli_launcher_new ((const char *const[]){ writing_env, NULL });
  holding_launcher = backups_cli_launcher_new ((const char *const[]){ holding_env, NULL });
  read_while_writing = backups_cli_spawn (
    writing_launcher, (const char *const[]){ "schedules", "--format", "json", NULL });
  write_while_writing
    = backups_cli_spawn (writing_launcher, (const char *const[]){ "org", "add", "Newcomer", NULL });
  read_while_holding
    = backups_cli_spawn (holding_launcher, (const char *const[]){ "schedules", NULL });
  thread = g_thread_new ("open-locked", open_locked_store_thread, &holding);

  /* Another program writing does not keep anyone from reading. */
  backups_cli_finish (read_while_writing, NULL, 0, &run);
  g_test_message ("schedules while another program writes → %d\n%s", run.status, run.err);
  backups_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, writing.cache.schedules);

  backups_cli_finish (write_while_writing, NULL, 0, &run);
  g_test_message ("org add while another program writes → %d\n%s", run.status, run.err);
  backups_cli_assert_status (&run, 1);
  if (strstr (run.err, writing_sentence) == NULL)
    g_error ("org add does not say “%s”:\n%s", writing_sentence, run.err);

  backups_cli_finish (read_while_holding, NULL, 0, &run);
  g_test_message ("schedules while another program holds the file → %d\n%s", run.status, run.err);
  backups_cli_assert_status (&run, 1);
  if (strstr (run.err, holding_sentence) == NULL)
    g_error ("schedules does not say “%s”:\n%s", holding_sentence, run.err);
  g_assert_cmpstr (run.out, ==, "");

  store_error = g_thread_join (thread);
  g_assert_error (store_error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_LOCKED);
  g_assert_nonnull (strstr (store_error->message, holding.cache.path));
  g_test_message ("all waited %" G_GINT64_FORMAT " ms", (g_get_monotonic_time () - started) / 1000);

  locked_tear_down (&writing);
  locked_tear_down (&holding);
}

/* Fills the file system of `dir` to the last byte. */
static int
fill_disk (const char *dir)
{
  g_autofree char   *path = g_build_filename (dir, "filler", NULL);
  static const gsize chunks[] = { 65536, 4096, 512, 1 };
  char               zeros[65536] = { 0 };
  int                fd = g_open (path, O_WRONLY | O_CREAT | O_CLOEXEC, 0600);

  g_assert_cmpint (fd, >=, 0);
  for (guint c = 0; c < G_N_ELEMENTS (chunks); c++)
    while (write (fd, zeros, chunks[c]) == (gssize)chunks[c])
      ;
  g_assert_cmpint (errno, ==, ENOSPC);
  return fd;
}

static void
test_full_disk (void)
{
  g_autofree char *mount_point = g_build_filename (g_get_user_cache_dir (), "small-disk", NULL);
  g_autofree char *base_url = NULL;
  g_autofree char *sentence = NULL;
  g_autofree char *file_before = NULL;
  g_autofree char *file_after = NULL;
  g_autofree char *rows_before = NULL;
  g_autofree char *rows_after = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (BackupsCliRun) run = { 0 };
  SmallCache    cache = { 0 };
  BackupsStore *store;
  int           filler;

  if (getuid () != 0)
    {
      g_test_skip ("Only root can mount the small tmpfs a full disk is made of");
      return;
    }
  if (!backups_cli_keyring_available ())
    return;

  g_assert_cmpint (g_mkdir_with_parents (mount_point, 0700), ==, 0);
  if (mount ("tmpfs", mount_point, "tmpfs", 0, "size=512k,mode=0700") != 0)
    {
      g_autofree char *reason
        = g_strdup_printf ("Could not mount a tmpfs on %s: %s", mount_point, g_strerror (errno));

      g_test_skip (reason);
      return;
    }

  /* The cache on the small disk, its token in the keyring for backupsctl. */
  cache.mock = start_mock (&small_account, 1);
  cache.data_home = g_strdup (mount_point);
  cache.path = cache_path_in (mount_point);
  cache.folder = g_path_get_dirname (cache.path);
  base_url = gridpane_mock_get_base_url (cache.mock);
  store = backups_store_open (cache.path, &error);
  g_assert_no_error (error);
  backups_cli_add_account (store, ensure_org (store, small_account.org), small_account.name,
                           base_url, small_account.token);
  secrets = backups_secrets_new_keyring ();
  g_assert_no_error (sync_all_orgs (store, secrets));
  rows_before = backups_test_dump_store (store);
  run_cli_quietly (&run, mount_point, NULL,
                   (const char *const[]){ "schedules", "--format", "json", NULL });
  backups_cli_assert_status (&run, 0);
  cache.schedules = g_steal_pointer (&run.out);

  /* The store stays open, so its -wal and -shm exist; the WAL is emptied so
   * that any write needs new room. */
  {
    sqlite3 *db = backups_store_acquire_connection (store, NULL);

    g_assert_cmpint (sqlite3_exec (db, "PRAGMA wal_checkpoint(TRUNCATE)", NULL, NULL, NULL), ==,
                     SQLITE_OK);
    backups_store_release_connection (store, db);
  }
  file_before = describe_file (cache.path);
  filler = fill_disk (mount_point);
  gridpane_mock_mutate_fleet (cache.mock, small_account.token, 7);
  sentence = g_strdup_printf ("No space left on the disk that holds %s", cache.path);

  /* Writing fails, saying why and where… */
  assert_cli_refuses (&cache, NULL, (const char *const[]){ "sync", NULL }, sentence);
  assert_cli_refuses (&cache, NULL, (const char *const[]){ "org", "add", "Newcomer", NULL },
                      sentence);
  /* (The organization's sync names the account in a sentence of its own.) */
  error = sync_all_orgs (store, secrets);
  g_assert_nonnull (error);
  if (strstr (error->message, sentence) == NULL)
    g_error ("The sync does not say “%s”: %s", sentence, error->message);
  g_clear_error (&error);

  /* …and what is cached can still be read. */
  run_cli_quietly (&run, mount_point, NULL,
                   (const char *const[]){ "schedules", "--format", "json", NULL });
  backups_cli_assert_status (&run, 0);
  g_assert_cmpstr (run.out, ==, cache.schedules);
  rows_after = backups_test_dump_store (store);
  g_assert_cmpstr (rows_after, ==, rows_before);
  g_assert_false (backups_store_is_damaged (store));

  backups_test_assert_finalize (store);
  file_after = describe_file (cache.path);
  g_assert_cmpstr (file_after, ==, file_before);

  close (filler);
  backups_cli_forget_tokens ();
  g_assert_cmpint (umount2 (mount_point, MNT_DETACH), ==, 0);
  small_cache_clear (&cache);
}

/* As root, the tests mount file systems (a read-only bind mount, a small
 * tmpfs): in a mount namespace of this process only, made before any
 * thread, so that nothing is left mounted whatever happens. */
static void
enter_private_mount_namespace (void)
{
  if (getuid () != 0)
    return;
  if (unshare (CLONE_NEWNS) != 0 || mount (NULL, "/", NULL, MS_REC | MS_PRIVATE, NULL) != 0)
    g_printerr ("# no mount namespace of its own (%s): mounts are undone at the end of each "
                "test\n",
                g_strerror (errno));
}

int
main (int argc, char *argv[])
{
  static const TrialsCase pages
    = { { DAMAGE_RANDOM_PAGES, DAMAGE_ZERO_PAGES, N_DAMAGE_KINDS }, FALSE };
  static const TrialsCase bytes = { { DAMAGE_FLIP_BYTES, N_DAMAGE_KINDS }, TRUE };
  static const TrialsCase header
    = { { DAMAGE_HEADER, N_DAMAGE_KINDS }, FALSE, G_N_ELEMENTS (header_damages) };

  if (g_getenv (HOLD_LOCK_ENV) != NULL)
    return hold_lock (g_getenv (HOLD_LOCK_ENV));
  test_program = g_file_read_link ("/proc/self/exe", NULL);
  enter_private_mount_namespace ();
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);
  /* Syncs here must succeed, also on a busy machine. */
  g_setenv ("BACKUPS_GRIDPANE_TIMEOUT", "30", TRUE);

  g_test_add_data_func ("/damage/trials/pages", &pages, test_corruption_trials);
  g_test_add_data_func ("/damage/trials/bytes", &bytes, test_corruption_trials);
  g_test_add_data_func ("/damage/trials/header", &header, test_corruption_trials);
  g_test_add_func ("/damage/repair/store", test_repair_store);
  g_test_add_data_func ("/damage/repair/cli", GINT_TO_POINTER (FALSE), test_repair_cli);
  g_test_add_data_func ("/damage/repair/cli-after-org-rename", GINT_TO_POINTER (TRUE),
                        test_repair_cli);
  g_test_add_func ("/damage/files/read-only-folder", test_read_only_folder);
  g_test_add_func ("/damage/files/read-only-mount", test_read_only_mount);
  g_test_add_func ("/damage/files/too-new", test_too_new);
  g_test_add_func ("/damage/files/foreign-lock", test_foreign_lock);
  g_test_add_func ("/damage/files/full-disk", test_full_disk);

  return g_test_run ();
}
