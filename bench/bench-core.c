/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-core.c: P1–P4, the store, the parser and the live model, without a
 * display or a network.
 *
 *   P1  apply the large snapshot into an empty store, against a bare C
 *       loop inserting the same schedule rows (one prepared statement,
 *       one transaction, the same schema)
 *   P2  identical re-apply of the same snapshot
 *   P3  parse the /backups/schedules body, against json_parser alone
 *   P4  live model after a change of one row, against its initial load
 *   P11 the health of every site judged again after a policy change or a
 *       sync, and the main loop meanwhile
 *   D1  the integrity check when a store opens
 *
 * --smoke runs every step on a tiny fleet and prints no verdicts.
 */
#include "config.h"

#include <glib/gstdio.h>

#include <json-glib/json-glib.h>
#include <malloc.h>
#include <sqlite3.h>
#include <stdio.h>

#include "backups-gridpane-parser.h"
#include "backups-query-model.h"
#include "backups-schedule.h"
#include "backups-sites-model.h"
#include "backups-store-private.h"
#include "bench-common.h"

#define TOKEN "bench-token"

static gboolean smoke = FALSE;
static int      n_runs = 5;

static sqlite3_stmt *
prepare_or_die (sqlite3 *db, const char *sql)
{
  sqlite3_stmt *stmt = NULL;

  if (sqlite3_prepare_v2 (db, sql, -1, &stmt, NULL) != SQLITE_OK)
    g_error ("prepare: %s", sqlite3_errmsg (db));
  return stmt;
}

static void
exec_or_die (sqlite3 *db, const char *sql)
{
  if (sqlite3_exec (db, sql, NULL, NULL, NULL) != SQLITE_OK)
    g_error ("%s: %s", sql, sqlite3_errmsg (db));
}

static void
bind_int_or_null (sqlite3_stmt *stmt, int index, gint64 value)
{
  if (value == BACKUPS_NO_VALUE)
    sqlite3_bind_null (stmt, index);
  else
    sqlite3_bind_int64 (stmt, index, value);
}

/* The P1 baseline: what SQLite alone needs to write these schedule rows. */
static double
time_bare_insert (const char *path, GPtrArray *schedules)
{
  g_autoptr (BackupsStore) store = NULL;
  sqlite3_stmt *stmt;
  sqlite3      *db;
  gint64        account_id;
  double        start, elapsed;

  store = bench_store_new (path, NULL, NULL, NULL, &account_id);
  db = backups_store_acquire_connection (store, NULL);
  g_assert (db != NULL);

  start = bench_now ();
  exec_or_die (db, "BEGIN IMMEDIATE");
  stmt = prepare_or_die (db, "INSERT INTO backup_schedules (account_id, remote_id, site_remote_id, "
                             "server_remote_id, site_url, type, frequency, hour, minute, day, "
                             "service_id, service_name, integration_id, problems) "
                             "VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)");
  for (guint i = 0; i < schedules->len; i++)
    {
      const BackupsScheduleRecord *r = g_ptr_array_index (schedules, i);

      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_int64 (stmt, 2, r->remote_id);
      sqlite3_bind_int64 (stmt, 3, r->site_remote_id);
      bind_int_or_null (stmt, 4, r->server_remote_id);
      sqlite3_bind_text (stmt, 5, r->site_url, -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 6, backups_schedule_type_to_string (r->type), -1, SQLITE_STATIC);
      sqlite3_bind_text (stmt, 7, backups_frequency_to_string (r->frequency), -1, SQLITE_STATIC);
      bind_int_or_null (stmt, 8, r->hour);
      bind_int_or_null (stmt, 9, r->minute);
      bind_int_or_null (stmt, 10, r->day);
      bind_int_or_null (stmt, 11, r->service_id);
      if (r->service_name != NULL)
        sqlite3_bind_text (stmt, 12, r->service_name, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 12);
      bind_int_or_null (stmt, 13, r->integration_id);
      if (r->problems != NULL)
        sqlite3_bind_text (stmt, 14, r->problems, -1, SQLITE_STATIC);
      else
        sqlite3_bind_null (stmt, 14);
      if (sqlite3_step (stmt) != SQLITE_DONE)
        g_error ("insert: %s", sqlite3_errmsg (db));
      sqlite3_reset (stmt);
    }
  sqlite3_finalize (stmt);
  exec_or_die (db, "COMMIT");
  elapsed = bench_now () - start;

  backups_store_release_connection (store, db);
  return elapsed;
}

static double
time_apply (BackupsStore       *store,
            gint64              account_id,
            BackupsSnapshot    *snapshot,
            BackupsApplyCounts *counts)
{
  g_autoptr (GError) error = NULL;
  double start = bench_now ();

  if (!backups_store_apply_snapshot (store, account_id, snapshot, counts, &error))
    g_error ("apply: %s", error->message);
  return bench_now () - start;
}

static void
bench_store (const char *dir, BackupsSnapshot *snapshot)
{
  g_autofree double *bare = g_new0 (double, n_runs);
  g_autofree double *apply = g_new0 (double, n_runs);
  g_autofree double *reapply = g_new0 (double, n_runs);
  guint              n_schedules = snapshot->schedules->len;
  guint              n_rows = bench_snapshot_n_rows (snapshot);
  guint              max_written = 0;
  double             bare_rate, apply_rate, ratio, t_apply, t_reapply;
  g_autofree char   *figure = NULL;

  for (int run = 0; run < n_runs; run++)
    {
      g_autofree char *bare_path = g_strdup_printf ("%s/p1-bare-%d.db", dir, run);
      g_autofree char *apply_path = g_strdup_printf ("%s/p1-apply-%d.db", dir, run);
      g_autoptr (BackupsStore) store = NULL;
      BackupsApplyCounts counts = { 0 };
      gint64             account_id;

      /* Alternate the order so neither side always gets the warm caches. */
      if (run % 2 == 0)
        bare[run] = time_bare_insert (bare_path, snapshot->schedules);

      store = bench_store_new (apply_path, NULL, NULL, NULL, &account_id);
      apply[run] = time_apply (store, account_id, snapshot, &counts);
      if (counts.inserted != n_rows)
        g_error ("P1: the apply inserted %u rows of %u", counts.inserted, n_rows);

      memset (&counts, 0, sizeof counts);
      reapply[run] = time_apply (store, account_id, snapshot, &counts);
      max_written = MAX (max_written, counts.inserted + counts.updated + counts.deleted);

      if (run % 2 == 1)
        bare[run] = time_bare_insert (bare_path, snapshot->schedules);
    }

  /* The apply's time covers all four tables; only its schedule rows are
   * counted, so the ratio can only be understated. */
  bare_rate = n_schedules / bench_median (bare, n_runs);
  t_apply = bench_median (apply, n_runs);
  apply_rate = n_schedules / t_apply;
  ratio = apply_rate / bare_rate;
  figure = g_strdup_printf ("%.0f %% (%.0f vs %.0f schedule rows/s; apply %.0f ms for %u rows, "
                            "bare loop %.0f ms)",
                            100 * ratio, apply_rate, bare_rate, 1000 * t_apply, n_rows,
                            1000 * n_schedules / bare_rate);
  bench_row (smoke, "P1", "apply the large snapshot into an empty store", figure,
             ">= 40 % of the bare loop's rows/s", ratio >= 0.40);

  t_reapply = bench_median (reapply, n_runs);
  g_free (figure);
  figure = g_strdup_printf ("%u rows written, %.0f %% of P1 (%.0f ms)", max_written,
                            100 * t_reapply / t_apply, 1000 * t_reapply);
  bench_row (smoke, "P2", "identical re-apply of the same snapshot", figure,
             "0 rows written, <= 50 % of P1's time",
             max_written == 0 && t_reapply <= 0.5 * t_apply);
}

/* D1: the integrity check a store runs when it opens (in a worker, so
 * start-up does not wait; the CLI waits for it), on P1's cache (issue 13;
 * it was P11 until issue 14 named P11). */
static void
bench_integrity (const char *dir)
{
  g_autofree char   *path = g_strdup_printf ("%s/p1-apply-0.db", dir);
  g_autofree double *check = g_new0 (double, n_runs);
  g_autofree char   *figure = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (GError) error = NULL;
  GStatBuf st = { 0 };

  store = backups_store_open (path, &error);
  if (store == NULL)
    g_error ("D1: %s", error->message);
  for (int run = 0; run < n_runs; run++)
    {
      double start = bench_now ();

      if (!backups_store_check_integrity (store, &error))
        g_error ("D1: %s", error->message);
      check[run] = bench_now () - start;
    }
  g_stat (path, &st);
  figure = g_strdup_printf ("%.0f ms (PRAGMA quick_check of a %.1f MB cache)",
                            1000 * bench_median (check, n_runs), st.st_size / 1e6);
  bench_row (smoke, "D1", "integrity check of the large cache when it opens", figure, "<= 150 ms",
             bench_median (check, n_runs) <= 0.150);
}

static void
bench_parse (GBytes *body)
{
  g_autofree double *json = g_new0 (double, n_runs);
  g_autofree double *parse = g_new0 (double, n_runs);
  g_autofree double *json_free = g_new0 (double, n_runs);
  gsize              len = 0;
  const char        *data = g_bytes_get_data (body, &len);
  guint              n_records = 0;
  double             ratio;
  g_autofree char   *figure = NULL;

  for (int run = 0; run < n_runs; run++)
    {
      g_autoptr (JsonParser) parser = json_parser_new ();
      g_autoptr (GPtrArray) records = NULL;
      g_autoptr (GError) error = NULL;
      double start;

      start = bench_now ();
      if (!json_parser_load_from_data (parser, data, (gssize)len, &error))
        g_error ("json: %s", error->message);
      json[run] = bench_now () - start;
      /* Not part of the baseline, shown beside it: freeing json-glib's
       * tree, which any parse built on it pays too. */
      start = bench_now ();
      g_clear_object (&parser);
      json_free[run] = json[run] + bench_now () - start;

      start = bench_now ();
      records = backups_gridpane_parse_schedules (data, len, &error);
      parse[run] = bench_now () - start;
      if (records == NULL)
        g_error ("parse: %s", error->message);
      n_records = records->len;
    }

  ratio = bench_median (parse, n_runs) / bench_median (json, n_runs);
  figure = g_strdup_printf ("%.2f x (%.0f ms vs %.0f ms; %.1f MB, %u schedules; json-glib's load "
                            "and free of its tree: %.0f ms)",
                            ratio, 1000 * bench_median (parse, n_runs),
                            1000 * bench_median (json, n_runs), len / 1e6, n_records,
                            1000 * bench_median (json_free, n_runs));
  bench_row (smoke, "P3", "parse the /backups/schedules body into records", figure,
             "<= 1.5 x json_parser_load_from_data", ratio <= 1.5);
}

/* P4 ---------------------------------------------------------------------- */

typedef struct
{
  guint  position;
  guint  removed;
  guint  added;
  double when;
} Emission;

typedef struct
{
  GArray     *emissions;
  guint       expected;
  GListModel *model;
} ModelWatch;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, ModelWatch *watch)
{
  Emission emission = { position, removed, added, bench_now () };

  g_array_append_val (watch->emissions, emission);
}

static gboolean
model_has_expected (gpointer data)
{
  ModelWatch *watch = data;

  return g_list_model_get_n_items (watch->model) == watch->expected;
}

static gboolean
has_emission (gpointer data)
{
  return ((ModelWatch *)data)->emissions->len > 0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
bench_model (const char *dir, BackupsSnapshot *snapshot)
{
  g_autofree char *path = g_strdup_printf ("%s/p4.db", dir);
  g_autoptr (BackupsStore) store = NULL;
  g_autofree double *load = g_new0 (double, n_runs);
  g_autofree double *update = g_new0 (double, n_runs);
  g_autoptr (GString) seen = g_string_new (NULL);
  BackupsApplyCounts counts = { 0 };
  gboolean           exact = TRUE;
  gint64             org_id, account_id;
  guint              n = snapshot->schedules->len;
  double             ratio, read_start, read_time = 0, objects_mb = 0, model_mb = 0;
  g_autofree double *first = g_new0 (double, n_runs);
  g_autofree char   *figure = NULL;

  store = bench_store_new (path, NULL, NULL, &org_id, &account_id);
  time_apply (store, account_id, snapshot, &counts);

  /* For P7: what the rows weigh as objects (how the model kept them until
   * it kept packed rows), and how long reading the whole org takes, the
   * model's worker's part of a full load. Heap in use, which RSS hides
   * when freed memory gets reused; all threads share one arena here. */
  {
    g_autoptr (GPtrArray) rows = NULL;
    size_t before = mallinfo2 ().uordblks;

    read_start = bench_now ();
    rows = backups_store_query_schedules (store, org_id, NULL);
    read_time = bench_now () - read_start;
    objects_mb = ((double)mallinfo2 ().uordblks - (double)before) / (1024.0 * 1024.0);
  }

  for (int run = 0; run < n_runs; run++)
    {
      g_autoptr (BackupsQueryModel) model
        = backups_query_model_new (store, BACKUPS_QUERY_SCHEDULES);
      ModelWatch watch = { g_array_new (FALSE, FALSE, sizeof (Emission)), n, G_LIST_MODEL (model) };
      BackupsScheduleRecord *changed;
      g_autoptr (BackupsSchedule) at_position = NULL;
      double start;
      size_t heap_with_model;

      g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &watch);

      /* The initial full load: from choosing the org to all rows shown
       * (a large list is revealed in steps about a frame apart). */
      start = bench_now ();
      backups_query_model_set_org_id (model, org_id);
      if (!bench_wait_until (model_has_expected, &watch, 60))
        g_error ("P4: the model never loaded");
      load[run] = g_array_index (watch.emissions, Emission, watch.emissions->len - 1).when - start;
      first[run] = g_array_index (watch.emissions, Emission, 0).when - start;

      /* Let the store's own after-commit notifications settle. */
      bench_wait_until (never, NULL, 0.3);
      g_array_set_size (watch.emissions, 0);

      /* One row changes: a schedule in the middle moves by an hour. */
      changed = g_ptr_array_index (snapshot->schedules, (n / 2 + (guint)run * 7) % n);
      changed->hour = (changed->hour + 1) % 24;
      time_apply (store, account_id, snapshot, &counts);
      if (counts.updated != 1 || counts.inserted != 0 || counts.deleted != 0)
        g_error ("P4: the apply wrote %u/%u/%u rows", counts.inserted, counts.updated,
                 counts.deleted);

      /* From the commit to the model's row change. */
      start = bench_now ();
      if (!bench_wait_until (has_emission, &watch, 60))
        g_error ("P4: the model never noticed the change");
      update[run] = g_array_index (watch.emissions, Emission, 0).when - start;
      /* Anything else the model has to say arrives now. */
      bench_wait_until (never, NULL, smoke ? 0.2 : 1.2);

      for (guint i = 0; i < watch.emissions->len; i++)
        {
          Emission *e = &g_array_index (watch.emissions, Emission, i);

          if (run == 0)
            g_string_append_printf (seen, "%s(%u, %u, %u)", i ? " " : "", e->position, e->removed,
                                    e->added);
        }
      /* The one emission must replace exactly the changed row, wherever the
       * model's order puts it. */
      if (watch.emissions->len == 1)
        at_position = g_list_model_get_item (G_LIST_MODEL (model),
                                             g_array_index (watch.emissions, Emission, 0).position);
      if (watch.emissions->len != 1 || g_array_index (watch.emissions, Emission, 0).removed != 1
          || g_array_index (watch.emissions, Emission, 0).added != 1 || at_position == NULL
          || backups_schedule_get_schedule_id (at_position) != changed->remote_id
          || backups_schedule_get_hour (at_position) != changed->hour)
        exact = FALSE;

      g_signal_handlers_disconnect_by_data (model, &watch);
      g_array_unref (watch.emissions);

      /* What the model's rows weigh: what its end gives back. */
      g_clear_object (&at_position);
      heap_with_model = mallinfo2 ().uordblks;
      g_clear_object (&model);
      model_mb = MAX (model_mb, ((double)heap_with_model - (double)mallinfo2 ().uordblks)
                                  / (1024.0 * 1024.0));
    }

  ratio = bench_median (update, n_runs) / bench_median (load, n_runs);
  figure = g_strdup_printf (
    "%s items-changed: %s; %.0f %% of the initial load (%.0f ms vs %.0f ms; %.0f %% of reading the "
    "whole org once, %.0f ms)",
    exact ? "exactly one" : "NOT exactly one", seen->str, 100 * ratio,
    1000 * bench_median (update, n_runs), 1000 * bench_median (load, n_runs),
    100 * bench_median (update, n_runs) / read_time, 1000 * read_time);
  bench_row (smoke, "P4", "live model after a sync that changes 1 row", figure,
             "one items-changed (pos, 1, 1), <= 10 % of the initial load", exact && ratio <= 0.10);
  bench_note ("P4: the initial load shows its first rows after %.0f ms and all %u after %.0f ms "
              "(the first 256 are revealed in steps about a frame apart)",
              1000 * bench_median (first, n_runs), n, 1000 * bench_median (load, n_runs));
  bench_note (
    "P7: the live model's %u rows hold %.1f MB of heap (packed rows and interned strings, "
    "no objects); "
    "the same rows as BackupsSchedule objects: %.1f MB",
    n, model_mb, objects_mb);
}

/* P11 --------------------------------------------------------------------- */

#define P11_SITES 25000

/* The longest the main loop went without running a 1 ms timeout. */
typedef struct
{
  double last;
  double longest;
} LoopGap;

static gboolean
loop_tick_cb (gpointer data)
{
  LoopGap *gap = data;
  double   now = bench_now ();

  gap->longest = MAX (gap->longest, now - gap->last);
  gap->last = now;
  return G_SOURCE_CONTINUE;
}

/* Waits for the model to announce a change: until it has emitted and then
 * been quiet for 100 ms. The time of its last emission after `start`, and
 * the main loop's longest gap meanwhile. */
static double
time_recompute (BackupsSitesModel *model, ModelWatch *watch, double start, double *longest_gap)
{
  LoopGap gap = { bench_now (), 0 };
  guint   tick = g_timeout_add (1, loop_tick_cb, &gap);
  double  last = 0;

  if (!bench_wait_until (has_emission, watch, 60))
    g_error ("P11: the sites model never re-judged");
  while (TRUE)
    {
      guint n = watch->emissions->len;

      bench_wait_until (never, NULL, 0.1);
      if (watch->emissions->len == n)
        break;
    }
  g_source_remove (tick);
  last = g_array_index (watch->emissions, Emission, watch->emissions->len - 1).when;
  *longest_gap = gap.longest;
  return last - start;
}

/* P11: every site of the large fleet judged again, in the sites model's
 * worker, after a policy change (no sync) and after a sync that changes
 * one site. */
static void
bench_health (const char *dir, BackupsSnapshot *snapshot)
{
  g_autofree char *path = g_strdup_printf ("%s/p11.db", dir);
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsSitesModel) model = NULL;
  g_autofree double *policy_time = g_new0 (double, n_runs);
  g_autofree double *policy_gap = g_new0 (double, n_runs);
  g_autofree double *sync_time = g_new0 (double, n_runs);
  g_autofree double *sync_gap = g_new0 (double, n_runs);
  g_autofree char   *figure = NULL;
  BackupsApplyCounts counts = { 0 };
  ModelWatch         watch = { g_array_new (FALSE, FALSE, sizeof (Emission)), 0, NULL };
  gint64             org_id, account_id;
  double             worst_time, worst_gap;
  guint              n_sites;

  /* Issue 14's fleet: 25,000 sites (the large fleet's first ones, with
   * their schedules). The snapshot is not used after this. */
  if (!smoke && snapshot->sites->len > P11_SITES)
    {
      g_autoptr (GHashTable) kept = g_hash_table_new (g_int64_hash, g_int64_equal);

      g_ptr_array_set_size (snapshot->sites, P11_SITES);
      for (guint i = 0; i < snapshot->sites->len; i++)
        g_hash_table_add (kept, &((BackupsSiteRecord *)snapshot->sites->pdata[i])->remote_id);
      for (guint i = snapshot->schedules->len; i-- > 0;)
        if (!g_hash_table_contains (
              kept, &((BackupsScheduleRecord *)snapshot->schedules->pdata[i])->site_remote_id))
          g_ptr_array_remove_index_fast (snapshot->schedules, i);
    }
  store = bench_store_new (path, NULL, NULL, &org_id, &account_id);
  time_apply (store, account_id, snapshot, &counts);
  n_sites = snapshot->sites->len;

  model = backups_sites_model_new (store);
  watch.model = G_LIST_MODEL (model);
  watch.expected = n_sites;
  g_signal_connect (model, "items-changed", G_CALLBACK (items_changed_cb), &watch);
  backups_sites_model_set_org_id (model, org_id);
  if (!bench_wait_until (model_has_expected, &watch, 120))
    g_error ("P11: the sites model never loaded (%u of %u sites)",
             g_list_model_get_n_items (G_LIST_MODEL (model)), n_sites);
  bench_wait_until (never, NULL, 0.5);

  for (int run = 0; run < n_runs; run++)
    {
      /* A policy change: a stricter gap turns every daily-only site at
       * risk, and back. */
      g_autoptr (BackupsPolicy) policy = backups_policy_new (TRUE, 30, run % 2 ? 24 : 12, 5);
      BackupsSiteRecord *site;
      double             start;

      g_array_set_size (watch.emissions, 0);
      start = bench_now ();
      backups_sites_model_set_policy (model, policy);
      policy_time[run] = time_recompute (model, &watch, start, &policy_gap[run]);

      /* A sync that switches one site's remote backups off. */
      site = g_ptr_array_index (snapshot->sites, ((guint)run * 7919) % n_sites);
      site->remote_bup = site->remote_bup == BACKUPS_FLAG_YES ? BACKUPS_FLAG_NO : BACKUPS_FLAG_YES;
      g_array_set_size (watch.emissions, 0);
      time_apply (store, account_id, snapshot, &counts);
      start = bench_now ();
      sync_time[run] = time_recompute (model, &watch, start, &sync_gap[run]);
    }

  worst_time = MAX (bench_median (policy_time, n_runs), bench_median (sync_time, n_runs));
  worst_gap = MAX (bench_median (policy_gap, n_runs), bench_median (sync_gap, n_runs));
  figure = g_strdup_printf ("%.0f ms after a policy change, %.0f ms after a sync; longest "
                            "main-loop gap %.0f ms and %.0f ms (%u sites, judged in a worker)",
                            1000 * bench_median (policy_time, n_runs),
                            1000 * bench_median (sync_time, n_runs),
                            1000 * bench_median (policy_gap, n_runs),
                            1000 * bench_median (sync_gap, n_runs), n_sites);
  bench_row (smoke, "P11", "health of every site recomputed, off the main thread", figure,
             "<= 150 ms, no main-loop gap over 16 ms",
             worst_time <= 0.150 && worst_gap <= 0.016);
  g_signal_handlers_disconnect_by_data (model, &watch);
  g_array_unref (watch.emissions);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context
    = g_option_context_new ("- store, parser and model benchmarks");
  g_autoptr (GError) error = NULL;
  g_autoptr (GridpaneMock) mock = NULL;
  g_autoptr (GBytes) body = NULL;
  g_autofree char *dir = NULL;
  BackupsSnapshot *snapshot;
  guint            n_sites;
  gboolean         only_p3 = FALSE;
  GOptionEntry     entries[] = {
        { "smoke", 0, 0, G_OPTION_ARG_NONE, &smoke, "Tiny sizes, no verdicts", NULL },
        { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per figure (median)", "N" },
        { "p3", 0, 0, G_OPTION_ARG_NONE, &only_p3, "Only P3", NULL },
        { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (smoke)
    n_runs = MIN (n_runs, 2);
  n_runs = MAX (n_runs, 1);
  /* One arena for every thread, so mallinfo2() sees the model's worker's
   * allocations too (P7 notes). Before any thread starts. */
  mallopt (M_ARENA_MAX, 1);

  /* The mock's generator makes the fleet; it need not listen to render. */
  mock = gridpane_mock_new ();
  n_sites
    = bench_mock_add_fleet (mock, TOKEN, 7, "bench", smoke ? 300 : BENCH_LARGE_SCHEDULES,
                            smoke ? 5 : BENCH_LARGE_SERVERS, smoke ? 4 : BENCH_LARGE_INTEGRATIONS);
  snapshot = bench_snapshot_from_mock (mock, TOKEN);
  body = gridpane_mock_render (mock, TOKEN, "/backups/schedules");
  bench_note (
    "P1-P4 fleet: %u schedules over %u sites on %u servers, %u integrations (mock generator)",
    snapshot->schedules->len, n_sites, snapshot->servers->len, snapshot->integrations->len);

  dir = bench_tmpdir ();
  if (!only_p3)
    {
      bench_store (dir, snapshot);
      bench_integrity (dir);
    }
  bench_parse (body);
  if (!only_p3)
    {
      bench_model (dir, snapshot);
      bench_health (dir, snapshot);
    }

  backups_snapshot_free (snapshot);
  bench_rmdir (dir);
  return 0;
}
