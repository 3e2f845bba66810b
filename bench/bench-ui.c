/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-ui.c: P5–P7, P10 and P12, the window under a display (Xvfb in
 * bench/run).
 *
 *   --startup   P5 and P7: spawns this program (--first-frame) on a cache of
 *               50,000 schedules and on an empty cache, alternately; the
 *               child prints the monotonic time of its first frame showing
 *               rows (empty cache: its first frame) and, a second after
 *               its list stopped growing, its peak RSS. Start-up is
 *               measured from the spawn.
 *   --startup-sites
 *               P12: the same on the Sites page, where the window opens
 *               (the large fleet's 28,988 sites).
 *   --search    P10: the window open on 50,000 cached schedules, 20
 *               keystrokes typed into the search (site-name words, one
 *               character every 125 ms), a 1 ms timeout recording the
 *               longest gap of the main loop, and the time from the last
 *               keystroke until the filter has no rows pending.
 *   --stall     P6: the window open on an empty cache, a full sync of the
 *               large fleet from the mock (on its own thread), and a 1 ms
 *               timeout that records the longest gap of the main loop.
 *
 * --smoke uses a tiny fleet and prints no verdicts. With no display the
 * program exits 77 (skipped).
 */
#include "config.h"

#include <adwaita.h>
#include <stdio.h>
#include <string.h>
#include <malloc.h>
#include <sqlite3.h>

#include "backups-query-model.h"
#include "backups-schedules-page.h"
#include "backups-secrets.h"
#include "backups-gridpane-provider.h"
#include "backups-staged-model.h"
#include "backups-sync-service.h"
#include "backups-window.h"
#include "bench-common.h"

#define TOKEN "bench-token"

static gboolean smoke = FALSE;
static int      n_runs = 5;

/* Finding the rows on screen ---------------------------------------------- */

static void
collect_column_views (GtkWidget *widget, GPtrArray *found)
{
  if (GTK_IS_COLUMN_VIEW (widget))
    g_ptr_array_add (found, widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    collect_column_views (child, found);
}

/* TRUE when a column view with rows is on screen. */
static gboolean
window_shows_rows (GtkWidget *window)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new ();

  collect_column_views (window, views);
  for (guint i = 0; i < views->len; i++)
    {
      GtkColumnView *view = g_ptr_array_index (views, i);
      GListModel    *model = G_LIST_MODEL (gtk_column_view_get_model (view));

      if (gtk_widget_get_mapped (GTK_WIDGET (view)) && model != NULL
          && g_list_model_get_n_items (model) > 0)
        return TRUE;
    }
  return FALSE;
}

static guint
window_n_rows (GtkWidget *window)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new ();
  guint most = 0;

  collect_column_views (window, views);
  for (guint i = 0; i < views->len; i++)
    {
      GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (g_ptr_array_index (views, i)));

      if (model != NULL)
        most = MAX (most, g_list_model_get_n_items (model));
    }
  return most;
}

/* The child of --startup --------------------------------------------------- */

static void
trace (const char *what)
{
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("%s at %" G_GINT64_FORMAT " us\n", what, g_get_monotonic_time ());
}

typedef struct
{
  gboolean            want_rows;
  const char         *page; /* the page shown: "schedules" (P5-P7) or "sites" (P12) */
  GtkWidget          *window;
  BackupsStore       *store;
  BackupsSecrets     *secrets;
  BackupsSyncService *service;
  gulong              paint_id;
  GdkFrameClock      *clock;
  gboolean            painted;
  gboolean            done;
  guint               last_rows;
  gint64              rows_since;
} Child;

/* The peak of a running window with its whole list, not of a window still
 * building: once the rows shown have not changed for a second. */
static gboolean
settled_cb (gpointer user_data)
{
  Child *child = user_data;
  guint  n_rows = window_n_rows (child->window);
  gint64 now = g_get_monotonic_time ();

  if (n_rows != child->last_rows || child->rows_since == 0)
    {
      child->last_rows = n_rows;
      child->rows_since = now;
    }
  if (now - child->rows_since < (smoke ? 100 : 1000) * G_TIME_SPAN_MILLISECOND)
    return G_SOURCE_CONTINUE;

  printf ("HWM %" G_GINT64_FORMAT " %u\n", bench_peak_rss_kb (), n_rows);
  fflush (stdout);
  if (g_getenv ("BENCH_MEMINFO") != NULL)
    {
      struct mallinfo2 mi = mallinfo2 ();
      g_autofree char *status = NULL;

      g_file_get_contents ("/proc/self/status", &status, NULL, NULL);
      g_printerr ("sqlite memory used %lld highwater %lld\n", (long long)sqlite3_memory_used (),
                  (long long)sqlite3_memory_highwater (0));
      g_printerr ("mallinfo2: arena %zu hblkhd %zu uordblks %zu fordblks %zu keepcost %zu\n%s",
                  mi.arena, mi.hblkhd, mi.uordblks, mi.fordblks, mi.keepcost, status);
      malloc_info (0, stderr);
    }
  gtk_window_destroy (GTK_WINDOW (child->window));
  child->done = TRUE;
  return G_SOURCE_REMOVE;
}

static void
after_paint_cb (GdkFrameClock *clock, Child *child)
{
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("paint at %" G_GINT64_FORMAT " us: rows %u shown %d\n", g_get_monotonic_time (),
                window_n_rows (child->window), window_shows_rows (child->window));
  if (child->painted || (child->want_rows && !window_shows_rows (child->window)))
    return;

  child->painted = TRUE;
  printf ("FRAME %" G_GINT64_FORMAT " %u\n", g_get_monotonic_time (),
          window_n_rows (child->window));
  fflush (stdout);
  g_clear_signal_handler (&child->paint_id, clock);
  g_timeout_add (smoke ? 20 : 100, settled_cb, child);
}

static void
window_realize_cb (GtkWidget *window, Child *child)
{
  trace ("realize");
  child->clock = gtk_widget_get_frame_clock (window);
  child->paint_id
    = g_signal_connect (child->clock, "after-paint", G_CALLBACK (after_paint_cb), child);
}

static int
run_first_frame_child (gboolean want_rows)
{
  g_autoptr (GError) error = NULL;
  const char *page = g_getenv ("BENCH_PAGE");
  Child       child = { .want_rows = want_rows, .page = page != NULL ? page : "schedules" };

  trace ("main");
  adw_init ();
  trace ("gtk_init");

  /* What BackupsApplication does at start-up, with tokens in memory. The
   * window runs without a GtkApplication: that would need a session bus,
   * which the benchmark does not have. */
  child.store = backups_store_open (NULL, &error);
  if (child.store == NULL)
    g_error ("Could not open the store: %s", error->message);
  child.secrets = backups_secrets_new_memory ();
  child.service = backups_sync_service_new (child.store, child.secrets,
                                            backups_gridpane_provider_factory, NULL);

  trace ("store");
  child.window
    = GTK_WIDGET (backups_window_new (NULL, child.store, child.secrets, child.service, NULL));
  trace ("window");
  /* Diagnosis only: how much of the start-up is the default sort. */
  if (g_getenv ("BENCH_UNSORTED") != NULL)
    {
      g_autoptr (GPtrArray) views = g_ptr_array_new ();

      collect_column_views (child.window, views);
      for (guint i = 0; i < views->len; i++)
        gtk_column_view_sort_by_column (g_ptr_array_index (views, i), NULL, GTK_SORT_ASCENDING);
    }
  g_signal_connect (child.window, "realize", G_CALLBACK (window_realize_cb), &child);
  /* P5-P7 measure the Schedules page; P12 the Sites page, where the window
   * opens. */
  backups_window_show_page (BACKUPS_WINDOW (child.window), child.page);
  gtk_window_present (GTK_WINDOW (child.window));
  trace ("present");

  while (!child.done)
    g_main_context_iteration (NULL, TRUE);

  g_clear_object (&child.service);
  g_clear_object (&child.secrets);
  g_clear_object (&child.store);
  return child.painted ? 0 : 1;
}

/* P5 and P7: the driver ---------------------------------------------------- */

static void
make_profile (const char *xdg_data_home, BackupsSnapshot *snapshot)
{
  g_autofree char *path
    = g_build_filename (xdg_data_home, "org.example.Backups", "backups.db", NULL);
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (GError) error = NULL;
  BackupsApplyCounts counts;
  gint64             account_id;

  g_mkdir_with_parents (xdg_data_home, 0700);
  store = bench_store_new (path, NULL, NULL, NULL, &account_id);
  /* A fresh, successful sync: the window has no reason to sync at launch. */
  if (!backups_store_apply_snapshot (store, account_id, snapshot, &counts, &error))
    g_error ("apply: %s", error->message);
}

typedef struct
{
  double startup; /* seconds from spawn to the frame */
  gint64 hwm_kb;
  guint  n_rows;     /* in the first frame that shows rows */
  guint  n_all_rows; /* when the peak was taken */
} ChildResult;

static ChildResult
spawn_child (const char *xdg_data_home, gboolean want_rows, const char *page)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *out = NULL;
  g_autofree char *err = NULL;
  g_auto (GStrv) env = g_get_environ ();
  const char *argv[]
    = { "/proc/self/exe", want_rows ? "--first-frame" : "--first-frame-empty", NULL };
  ChildResult      result = { -1, -1, 0 };
  g_autofree char *exe = g_file_read_link ("/proc/self/exe", NULL);
  gint64           spawned;
  const char      *line;
  int              status = 0;

  argv[0] = exe;
  env = g_environ_setenv (env, "XDG_DATA_HOME", xdg_data_home, TRUE);
  env = g_environ_setenv (env, "BENCH_PAGE", page, TRUE);

  spawned = g_get_monotonic_time ();
  if (!g_spawn_sync (NULL, (char **)argv, env, G_SPAWN_DEFAULT, NULL, NULL, &out, &err, &status,
                     &error))
    g_error ("spawn: %s", error->message);
  if (!g_spawn_check_wait_status (status, &error))
    g_error ("The first-frame child failed: %s\n%s%s", error->message, out, err);

  if ((line = strstr (out, "FRAME ")) != NULL)
    {
      char  *end;
      gint64 frame = g_ascii_strtoll (line + 6, &end, 10);

      result.startup = (double)(frame - spawned) / G_USEC_PER_SEC;
      result.n_rows = (guint)g_ascii_strtoull (end, NULL, 10);
    }
  if ((line = strstr (out, "HWM ")) != NULL)
    {
      char *end;

      result.hwm_kb = g_ascii_strtoll (line + 4, &end, 10);
      result.n_all_rows = (guint)g_ascii_strtoull (end, NULL, 10);
    }
  if (result.startup < 0 || result.hwm_kb < 0)
    g_error ("The first-frame child said: %s%s", out, err);
  return result;
}

/* P5 and P7 on the Schedules page, or P12 on the Sites page. */
static void
bench_startup (BackupsSnapshot *large, BackupsSnapshot *empty, const char *page)
{
  g_autofree char   *dir = bench_tmpdir ();
  g_autofree char   *full_home = g_build_filename (dir, "full", NULL);
  g_autofree char   *empty_home = g_build_filename (dir, "empty", NULL);
  g_autofree double *full_t = g_new0 (double, n_runs);
  g_autofree double *empty_t = g_new0 (double, n_runs);
  g_autofree double *full_m = g_new0 (double, n_runs);
  g_autofree double *empty_m = g_new0 (double, n_runs);
  g_autofree char   *figure = NULL;
  gboolean           sites = g_str_equal (page, "sites");
  double             ratio, t_full, t_empty, extra_mb;
  guint              n_rows = 0, n_all_rows = 0;

  make_profile (full_home, large);
  make_profile (empty_home, empty);

  /* One unmeasured launch each warms the page cache and the font caches. */
  spawn_child (full_home, TRUE, page);
  spawn_child (empty_home, FALSE, page);

  for (int run = 0; run < n_runs; run++)
    {
      ChildResult full, none;

      if (run % 2 == 0)
        none = spawn_child (empty_home, FALSE, page);
      full = spawn_child (full_home, TRUE, page);
      if (run % 2 == 1)
        none = spawn_child (empty_home, FALSE, page);

      full_t[run] = full.startup;
      empty_t[run] = none.startup;
      full_m[run] = full.hwm_kb;
      empty_m[run] = none.hwm_kb;
      n_rows = full.n_rows;
      n_all_rows = full.n_all_rows;
    }

  t_full = bench_median (full_t, n_runs);
  t_empty = bench_median (empty_t, n_runs);
  ratio = t_full / t_empty;
  figure
    = g_strdup_printf ("%.2f x (%.0f ms to a frame with the first %u of %u rows vs %.0f ms empty)",
                       ratio, 1000 * t_full, n_rows, n_all_rows, 1000 * t_empty);
  if (sites)
    {
      bench_row (smoke, "P12", "start-up to the first frame of the Sites page with its rows, Xvfb",
                 figure, "<= 1.2 x the empty cache's first frame", ratio <= 1.2);
      bench_rmdir (dir);
      return;
    }
  bench_row (smoke, "P5", "start-up to the first frame showing rows, Xvfb", figure,
             "<= 1.3 x the empty cache's first frame", ratio <= 1.3);

  extra_mb = (bench_median (full_m, n_runs) - bench_median (empty_m, n_runs)) / 1024;
  g_free (figure);
  figure = g_strdup_printf ("%.1f MB (%.1f MB with %u rows shown vs %.1f MB)", extra_mb,
                            bench_median (full_m, n_runs) / 1024, n_all_rows,
                            bench_median (empty_m, n_runs) / 1024);
  bench_row (smoke, "P7", "peak RSS, cached schedules shown minus empty cache", figure, "<= 20 MB",
             extra_mb <= 20);

  bench_rmdir (dir);
}

/* P6 ------------------------------------------------------------------------ */

typedef struct
{
  double last;
  double max_gap;
  double max_gap_at;
} Ticker;

/* Where main-loop time goes: the longest single emission of the schedules
 * model's items-changed (every GTK handler runs inside it), and the
 * longest frame from its layout phase to the end of its paint. */
typedef struct
{
  GListModel *model;
  double      changed_start;
  double      max_changed;
  double      frame_start;
  double      max_frame;
} Phases;

/* An emission hook runs before every handler, GTK's own included, which
 * were connected before ours. */
static gboolean
changed_hook (GSignalInvocationHint *hint, guint n_values, const GValue *values, gpointer user_data)
{
  Phases *phases = user_data;

  if (g_value_get_object (&values[0]) != (GObject *)phases->model)
    return TRUE;
  phases->changed_start = bench_now ();
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("items-changed (%u, %u, %u) at %.3f\n", g_value_get_uint (&values[1]),
                g_value_get_uint (&values[2]), g_value_get_uint (&values[3]),
                phases->changed_start);
  return TRUE;
}

static void
changed_after_cb (GListModel *model, guint position, guint removed, guint added, Phases *phases)
{
  phases->max_changed = MAX (phases->max_changed, bench_now () - phases->changed_start);
}

static void
frame_layout_cb (GdkFrameClock *clock, Phases *phases)
{
  phases->frame_start = bench_now ();
}

static void
frame_painted_cb (GdkFrameClock *clock, Phases *phases)
{
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("frame %.3f - %.3f\n", phases->frame_start, bench_now ());
  if (phases->frame_start > 0)
    phases->max_frame = MAX (phases->max_frame, bench_now () - phases->frame_start);
  phases->frame_start = 0;
}

static BackupsSchedulesPage *
find_schedules_page (GtkWidget *widget)
{
  if (BACKUPS_IS_SCHEDULES_PAGE (widget))
    return BACKUPS_SCHEDULES_PAGE (widget);
  for (GtkWidget *child = gtk_widget_get_first_child (widget); child != NULL;
       child = gtk_widget_get_next_sibling (child))
    {
      BackupsSchedulesPage *page = find_schedules_page (child);

      if (page != NULL)
        return page;
    }
  return NULL;
}

static gboolean
tick_cb (gpointer user_data)
{
  Ticker *ticker = user_data;
  double  now = bench_now ();

  if (g_getenv ("BENCH_TRACE") != NULL && now - ticker->last > 0.020)
    g_printerr ("gap %.0f ms from %.3f\n", 1000 * (now - ticker->last), ticker->last);
  if (now - ticker->last > ticker->max_gap)
    {
      ticker->max_gap = now - ticker->last;
      ticker->max_gap_at = ticker->last;
    }
  ticker->last = now;
  return G_SOURCE_CONTINUE;
}

typedef struct
{
  GtkWidget          *window;
  BackupsSyncService *service;
  guint               expected;
  gboolean            painted;
} StallWait;

static gboolean
window_painted (gpointer data)
{
  return ((StallWait *)data)->painted;
}

static void
stall_after_paint_cb (GdkFrameClock *clock, StallWait *wait)
{
  wait->painted = TRUE;
}

static gboolean
sync_done_and_shown (gpointer data)
{
  StallWait *wait = data;

  return !backups_sync_service_get_syncing (wait->service)
         && window_n_rows (wait->window) >= wait->expected && window_shows_rows (wait->window);
}

static void
disable_rate_limits (GridpaneMock *mock, gpointer data)
{
  gridpane_mock_set_rate_limits (mock, FALSE, 12, 60, 60, 27);
}

static void
add_large_fleet (GridpaneMock *mock, gpointer data)
{
  guint *n_schedules = data;

  bench_mock_add_fleet (mock, TOKEN, 7, "bench", *n_schedules, smoke ? 5 : BENCH_LARGE_SERVERS,
                        smoke ? 4 : BENCH_LARGE_INTEGRATIONS);
  *n_schedules = gridpane_mock_get_n_schedules (mock, TOKEN);
}

static void
bench_stall (void)
{
  g_autofree char   *dir = bench_tmpdir ();
  BenchMockThread   *mock = bench_mock_thread_new ();
  int                runs = smoke ? 1 : MIN (n_runs, 3);
  g_autofree double *gaps = g_new0 (double, runs);
  g_autofree double *walls = g_new0 (double, runs);
  g_autofree char   *figure = NULL;
  guint              n_schedules = smoke ? 300 : BENCH_LARGE_SCHEDULES;
  double             worst = 0, worst_at = 0;
  Phases             phases = { 0 };

  bench_mock_thread_call (mock, disable_rate_limits, NULL);
  bench_mock_thread_call (mock, add_large_fleet, &n_schedules);

  for (int run = 0; run < runs; run++)
    {
      g_autofree char *path = g_strdup_printf ("%s/p6-%d.db", dir, run);
      g_autoptr (BackupsStore) store = NULL;
      g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
      g_autoptr (BackupsSyncService) service = NULL;
      g_autoptr (GError) error = NULL;
      StallWait      wait = { 0 };
      Ticker         ticker = { 0 };
      GtkWidget     *window;
      GListModel    *model;
      GdkFrameClock *clock;
      gulong         paint_id, hook_id;
      guint          tick_id;
      double         start;

      if (!backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)"p6" },
                                  "Main", TOKEN, &error))
        g_error ("secrets: %s", error->message);
      store = bench_store_new (path, bench_mock_thread_base_url (mock), "p6", NULL, NULL);
      service = backups_sync_service_new (store, secrets, backups_gridpane_provider_factory, NULL);
      window = g_object_new (BACKUPS_TYPE_WINDOW, "store", store, "sync-service", service,
                             "auto-sync", FALSE, NULL);
      backups_window_show_page (BACKUPS_WINDOW (window), "schedules");
      gtk_window_present (GTK_WINDOW (window));
      /* Diagnosis only: the stall without the default sort. */
      if (g_getenv ("BENCH_UNSORTED") != NULL)
        {
          g_autoptr (GPtrArray) views = g_ptr_array_new ();

          collect_column_views (window, views);
          for (guint i = 0; i < views->len; i++)
            gtk_column_view_sort_by_column (g_ptr_array_index (views, i), NULL, GTK_SORT_ASCENDING);
        }
      wait.window = window;
      wait.service = service;
      wait.expected = n_schedules;

      gtk_widget_realize (window);
      paint_id = g_signal_connect (gtk_widget_get_frame_clock (window), "after-paint",
                                   G_CALLBACK (stall_after_paint_cb), &wait);
      bench_wait_until (window_painted, &wait, 30);
      clock = gtk_widget_get_frame_clock (window);
      g_clear_signal_handler (&paint_id, clock);

      model = G_LIST_MODEL (
        backups_list_page_get_model (BACKUPS_LIST_PAGE (find_schedules_page (window))));
      phases.model = model;
      hook_id = g_signal_add_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), 0,
                                            changed_hook, &phases, NULL);
      g_signal_connect_after (model, "items-changed", G_CALLBACK (changed_after_cb), &phases);
      g_signal_connect (clock, "layout", G_CALLBACK (frame_layout_cb), &phases);
      g_signal_connect_after (clock, "paint", G_CALLBACK (frame_painted_cb), &phases);

      ticker.last = start = bench_now ();
      tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &ticker, NULL);
      backups_window_sync (BACKUPS_WINDOW (window));
      if (!bench_wait_until (sync_done_and_shown, &wait, 300))
        g_error ("P6: the sync did not finish with %u rows shown (%u)", n_schedules,
                 window_n_rows (window));
      walls[run] = bench_now () - start;
      /* The frames right after the rows arrived count too. */
      {
        StallWait never = { 0 };

        bench_wait_until (window_painted, &never, smoke ? 0.1 : 0.5);
      }
      g_source_remove (tick_id);

      gaps[run] = ticker.max_gap;
      if (ticker.max_gap >= worst)
        {
          worst = ticker.max_gap;
          worst_at = ticker.max_gap_at - start;
        }
      g_signal_remove_emission_hook (g_signal_lookup ("items-changed", G_TYPE_LIST_MODEL), hook_id);
      g_signal_handlers_disconnect_by_data (model, &phases);
      g_signal_handlers_disconnect_by_data (clock, &phases);
      gtk_window_destroy (GTK_WINDOW (window));
      {
        StallWait never = { 0 };

        bench_wait_until (window_painted, &never, 0.2);
      }
    }

  figure = g_strdup_printf (
    "%.0f ms longest stall (median of %d syncs of %u schedules, %.1f s each; "
    "worst began %.1f s into the sync)",
    1000 * bench_median (gaps, runs), runs, n_schedules, bench_median (walls, runs), worst_at);
  bench_row (smoke, "P6", "main-loop stall during a full sync, window open", figure, "<= 20 ms",
             bench_median (gaps, runs) <= 0.020);
  bench_note ("P6 where the time goes (longest over the runs): %.0f ms in one emission of the "
              "schedules model's items-changed (GTK's handlers included), %.0f ms in one frame's "
              "layout and paint",
              1000 * phases.max_changed, 1000 * phases.max_frame);

  bench_mock_thread_free (mock);
  bench_rmdir (dir);
}

/* P10 ----------------------------------------------------------------------- */

/* What a user types into the search field: site-name words, one character
 * at a time; each new word replaces the last (select all, type). 20
 * keystrokes in all. */
static const char *const search_words[] = { "journal", "staging", "garden" };

#define KEYSTROKE_INTERVAL_MS 125 /* about 8 characters a second */

typedef struct
{
  BackupsSchedulesPage *page;
  BackupsStagedModel   *staged_model;
  GtkFilterListModel   *filter_model;
  guint                 word;
  guint                 length;
  guint                 n_keystrokes;
  double                last_keystroke;
  gboolean              typed;
  guint                 source_id;
} Typist;

/* The filter model of the column view on screen, and the staged model
 * through which the view sees it. */
static GtkFilterListModel *
find_filter_model (GtkWidget *window, BackupsStagedModel **staged_model)
{
  g_autoptr (GPtrArray) views = g_ptr_array_new ();

  collect_column_views (window, views);
  for (guint i = 0; i < views->len; i++)
    {
      GListModel *model = G_LIST_MODEL (gtk_column_view_get_model (g_ptr_array_index (views, i)));

      /* selection → staged → sort → filter */
      while (model != NULL && !GTK_IS_FILTER_LIST_MODEL (model))
        {
          if (GTK_IS_SINGLE_SELECTION (model))
            model = gtk_single_selection_get_model (GTK_SINGLE_SELECTION (model));
          else if (BACKUPS_IS_STAGED_MODEL (model))
            {
              *staged_model = BACKUPS_STAGED_MODEL (model);
              model = backups_staged_model_get_model (BACKUPS_STAGED_MODEL (model));
            }
          else if (GTK_IS_SORT_LIST_MODEL (model))
            model = gtk_sort_list_model_get_model (GTK_SORT_LIST_MODEL (model));
          else
            model = NULL;
        }
      if (model != NULL && gtk_widget_get_mapped (g_ptr_array_index (views, i)))
        return GTK_FILTER_LIST_MODEL (model);
    }
  return NULL;
}

static gboolean
keystroke_cb (gpointer user_data)
{
  Typist          *typist = user_data;
  const char      *word = search_words[typist->word];
  g_autofree char *text = NULL;

  typist->length++;
  text = g_strndup (word, typist->length);
  typist->last_keystroke = bench_now ();
  backups_list_page_set_search_text (BACKUPS_LIST_PAGE (typist->page), text);
  typist->n_keystrokes++;
  if (g_getenv ("BENCH_TRACE") != NULL)
    g_printerr ("typed \"%s\" in %.1f ms\n", text, 1000 * (bench_now () - typist->last_keystroke));

  if (typist->length == strlen (word))
    {
      typist->word++;
      typist->length = 0;
    }
  if (typist->word == G_N_ELEMENTS (search_words) || (smoke && typist->n_keystrokes >= 4))
    {
      typist->typed = TRUE;
      typist->source_id = 0;
      return G_SOURCE_REMOVE;
    }
  return G_SOURCE_CONTINUE;
}

static gboolean
search_done (gpointer data)
{
  Typist *typist = data;

  /* Filtered, and the view shows the result. */
  return typist->typed && gtk_filter_list_model_get_pending (typist->filter_model) == 0
         && !backups_staged_model_get_pending (typist->staged_model);
}

static gboolean
rows_shown_at_least (gpointer data)
{
  StallWait *wait = data;

  return window_n_rows (wait->window) >= wait->expected && window_shows_rows (wait->window);
}

static void
bench_search (BackupsSnapshot *large)
{
  g_autofree char   *dir = bench_tmpdir ();
  g_autofree char   *path = g_build_filename (dir, "p10.db", NULL);
  int                runs = smoke ? 1 : MIN (n_runs, 3);
  g_autofree double *stalls = g_new0 (double, runs);
  g_autofree double *tails = g_new0 (double, runs);
  g_autofree char   *figure = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autoptr (GError) error = NULL;
  BackupsApplyCounts counts;
  gint64             account_id;
  guint              n_rows = bench_snapshot_n_rows (large), n_found = 0, n_keystrokes = 0;
  double             stall, tail;

  store = bench_store_new (path, NULL, NULL, NULL, &account_id);
  if (!backups_store_apply_snapshot (store, account_id, large, &counts, &error))
    g_error ("apply: %s", error->message);

  for (int run = 0; run < runs; run++)
    {
      g_autoptr (BackupsSyncService) service
        = backups_sync_service_new (store, secrets, backups_gridpane_provider_factory, NULL);
      StallWait  wait = { 0 };
      Ticker     ticker = { 0 };
      Typist     typist = { 0 };
      GtkWidget *window;
      guint      tick_id;

      window = g_object_new (BACKUPS_TYPE_WINDOW, "store", store, "sync-service", service,
                             "auto-sync", FALSE, NULL);
      backups_window_show_page (BACKUPS_WINDOW (window), "schedules");
      gtk_window_present (GTK_WINDOW (window));
      wait.window = window;
      /* Every row of the cache shown, and a second to settle. */
      {
        BackupsQueryModel *model = BACKUPS_QUERY_MODEL (
          backups_list_page_get_model (BACKUPS_LIST_PAGE (find_schedules_page (window))));

        while (backups_query_model_get_loading (model)
               || g_list_model_get_n_items (G_LIST_MODEL (model)) == 0)
          g_main_context_iteration (NULL, TRUE);
        wait.expected = n_rows;
        bench_wait_until (rows_shown_at_least, &wait, 30);
        {
          StallWait never = { 0 };

          bench_wait_until (window_painted, &never, smoke ? 0.2 : 1.0);
        }
        n_rows = g_list_model_get_n_items (G_LIST_MODEL (model));
      }

      typist.page = find_schedules_page (window);
      typist.filter_model = find_filter_model (window, &typist.staged_model);
      if (typist.filter_model == NULL || typist.staged_model == NULL)
        g_error ("P10: no filter model on screen");

      ticker.last = bench_now ();
      tick_id = g_timeout_add_full (G_PRIORITY_HIGH, 1, tick_cb, &ticker, NULL);
      typist.source_id = g_timeout_add (KEYSTROKE_INTERVAL_MS, keystroke_cb, &typist);
      if (!bench_wait_until (search_done, &typist, 60))
        g_error ("P10: the search did not finish");
      tails[run] = bench_now () - typist.last_keystroke;
      /* The frames right after the last results count too. */
      {
        StallWait never = { 0 };

        bench_wait_until (window_painted, &never, smoke ? 0.1 : 0.3);
      }
      g_source_remove (tick_id);
      g_clear_handle_id (&typist.source_id, g_source_remove);
      stalls[run] = ticker.max_gap;
      n_found = window_n_rows (window);
      n_keystrokes = typist.n_keystrokes;

      gtk_window_destroy (GTK_WINDOW (window));
      {
        StallWait never = { 0 };

        bench_wait_until (window_painted, &never, 0.2);
      }
    }

  stall = bench_median (stalls, runs);
  tail = bench_median (tails, runs);
  figure = g_strdup_printf ("%.0f ms longest stall, results complete %.0f ms after the last "
                            "keystroke (median of %d runs of %u keystrokes over %u rows; "
                            "%u rows match at the end)",
                            1000 * stall, 1000 * tail, runs, n_keystrokes, n_rows, n_found);
  bench_row (smoke, "P10", "typing in the search field, 8 characters a second", figure,
             "<= 16 ms stall per keystroke, results <= 150 ms after the last",
             stall <= 0.016 && tail <= 0.150);

  bench_rmdir (dir);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context
    = g_option_context_new ("- window benchmarks (needs a display)");
  g_autoptr (GError) error = NULL;
  gboolean first_frame = FALSE, first_frame_empty = FALSE, startup = FALSE, stall = FALSE,
           search = FALSE, startup_sites = FALSE;
  g_autofree char *profile = NULL;
  GOptionEntry     entries[] = {
        { "smoke", 0, 0, G_OPTION_ARG_NONE, &smoke, "Tiny sizes, no verdicts", NULL },
        { "runs", 0, 0, G_OPTION_ARG_INT, &n_runs, "Runs per figure (median)", "N" },
        { "startup", 0, 0, G_OPTION_ARG_NONE, &startup, "P5 and P7", NULL },
        { "startup-sites", 0, 0, G_OPTION_ARG_NONE, &startup_sites, "P12", NULL },
        { "stall", 0, 0, G_OPTION_ARG_NONE, &stall, "P6", NULL },
        { "search", 0, 0, G_OPTION_ARG_NONE, &search, "P10", NULL },
        { "make-profile", 0, 0, G_OPTION_ARG_FILENAME, &profile,
          "Only write a profile (XDG_DATA_HOME) with the large cache, for profiling the start-up",
          "DIR" },
        { "first-frame", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &first_frame, NULL, NULL },
        { "first-frame-empty", 0, G_OPTION_FLAG_HIDDEN, G_OPTION_ARG_NONE, &first_frame_empty, NULL,
          NULL },
        { NULL },
  };

  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }

  g_setenv ("GSETTINGS_SCHEMA_DIR", BENCH_SCHEMA_DIR, FALSE);
  g_setenv ("GSETTINGS_BACKEND", "memory", FALSE);
  g_setenv ("NO_AT_BRIDGE", "1", FALSE);

  if (first_frame || first_frame_empty)
    return run_first_frame_child (first_frame);

  if (profile == NULL && g_getenv ("DISPLAY") == NULL && g_getenv ("WAYLAND_DISPLAY") == NULL)
    {
      g_printerr ("bench-ui: no display, skipped\n");
      return 77;
    }
  if (smoke)
    n_runs = MIN (n_runs, 2);
  n_runs = MAX (n_runs, 1);
  if (!startup && !stall && !search && !startup_sites)
    startup = stall = search = startup_sites = TRUE;

  if (profile != NULL)
    {
      g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
      BackupsSnapshot *large;

      bench_mock_add_fleet (mock, TOKEN, 7, "bench", smoke ? 300 : BENCH_LARGE_SCHEDULES,
                            smoke ? 5 : BENCH_LARGE_SERVERS, smoke ? 4 : BENCH_LARGE_INTEGRATIONS);
      large = bench_snapshot_from_mock (mock, TOKEN);
      make_profile (profile, large);
      backups_snapshot_free (large);
      return 0;
    }

  adw_init ();

  if (startup || startup_sites)
    {
      g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
      BackupsSnapshot *large, *empty;

      bench_mock_add_fleet (mock, TOKEN, 7, "bench", smoke ? 300 : BENCH_LARGE_SCHEDULES,
                            smoke ? 5 : BENCH_LARGE_SERVERS, smoke ? 4 : BENCH_LARGE_INTEGRATIONS);
      large = bench_snapshot_from_mock (mock, TOKEN);
      gridpane_mock_clear_fleet (mock, TOKEN);
      empty = bench_snapshot_from_mock (mock, TOKEN);
      if (startup)
        bench_startup (large, empty, "schedules");
      /* The large fleet has about 29,000 sites: more than issue 14's
       * 25,000, so the figure errs on the slow side. */
      if (startup_sites)
        bench_startup (large, empty, "sites");
      backups_snapshot_free (large);
      backups_snapshot_free (empty);
    }
  if (stall)
    bench_stall ();
  if (search)
    {
      g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
      BackupsSnapshot *large;

      bench_mock_add_fleet (mock, TOKEN, 7, "bench", smoke ? 300 : BENCH_LARGE_SCHEDULES,
                            smoke ? 5 : BENCH_LARGE_SERVERS, smoke ? 4 : BENCH_LARGE_INTEGRATIONS);
      large = bench_snapshot_from_mock (mock, TOKEN);
      bench_search (large);
      backups_snapshot_free (large);
    }
  return 0;
}
