/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-common.c */
#include "bench-common.h"

#include <glib/gstdio.h>
#include <sys/resource.h>
#include <time.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "backups-gridpane-parser.h"

double
bench_now (void)
{
  return (double)g_get_monotonic_time () / G_USEC_PER_SEC;
}

static int
compare_doubles (gconstpointer a, gconstpointer b)
{
  double x = *(const double *)a;
  double y = *(const double *)b;

  return x < y ? -1 : x > y ? 1 : 0;
}

double
bench_median (double *values, guint n)
{
  g_assert (n > 0);

  qsort (values, n, sizeof (double), (int (*) (const void *, const void *))compare_doubles);
  if (n % 2 == 1)
    return values[n / 2];
  return (values[n / 2 - 1] + values[n / 2]) / 2;
}

void
bench_row (gboolean    smoke,
           const char *id,
           const char *what,
           const char *figure,
           const char *target,
           gboolean    met)
{
  printf ("ROW\t%s\t%s\t%s\t%s\t%s\n", id, what, figure, target,
          smoke ? "-"
          : met ? "met"
                : "MISSED");
  fflush (stdout);
}

void
bench_note (const char *format, ...)
{
  g_autofree char *text = NULL;
  va_list          args;

  va_start (args, format);
  text = g_strdup_vprintf (format, args);
  va_end (args);
  printf ("NOTE\t%s\n", text);
  fflush (stdout);
}

guint
bench_mock_add_fleet (GridpaneMock *mock,
                      const char   *token,
                      guint         seed,
                      const char   *prefix,
                      guint         n_schedules,
                      guint         n_servers,
                      guint         n_integrations)
{
  GridpaneMockFleetOptions options = {
    .seed = seed,
    .n_servers = n_servers,
    .n_integrations = n_integrations,
    .name_prefix = prefix,
  };
  guint n_sites = MAX (1, n_schedules * 10 / 17);

  /* The generator's schedules per site is a property of the seed, so two
   * corrections land within a few schedules of the goal. */
  for (guint attempt = 0; attempt < 3; attempt++)
    {
      guint got;

      options.n_sites = n_sites;
      gridpane_mock_add_account (mock, token, &options);
      got = gridpane_mock_get_n_schedules (mock, token);
      if (got == n_schedules || got == 0)
        break;
      n_sites = MAX (1, (guint)((guint64)n_sites * n_schedules / got));
      if (n_sites == options.n_sites)
        break;
    }
  return gridpane_mock_get_n_sites (mock, token);
}

static GBytes *
render (GridpaneMock *mock, const char *token, const char *path)
{
  GBytes *body = gridpane_mock_render (mock, token, path);

  if (body == NULL)
    g_error ("The mock has no body for %s", path);
  return body;
}

static GPtrArray *
parse_all_pages (GridpaneMock *mock,
                 const char   *token,
                 const char   *path,
                 GPtrArray *(*parse) (const char *, gsize, BackupsGridpanePage *, GError **))
{
  GPtrArray *all = NULL;

  for (int page_number = 1;; page_number++)
    {
      g_autofree char *path_and_query
        = g_strdup_printf ("%s?page=%d&per_page=300", path, page_number);
      g_autoptr (GBytes) body = render (mock, token, path_and_query);
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) records = NULL;
      BackupsGridpanePage page = { 0 };
      gsize               len = 0;
      const char         *data = g_bytes_get_data (body, &len);

      records = parse (data, len, &page, &error);
      if (records == NULL)
        g_error ("Could not parse %s: %s", path_and_query, error->message);
      if (all == NULL)
        all = g_ptr_array_ref (records);
      else
        {
          /* Move the records without freeing them twice. */
          g_ptr_array_set_free_func (records, NULL);
          for (guint i = 0; i < records->len; i++)
            g_ptr_array_add (all, g_ptr_array_index (records, i));
        }
      if (backups_gridpane_pages_step (BACKUPS_GRIDPANE_LIST_SITES, &page, page_number,
                                       records->len, 0, NULL)
          != BACKUPS_GRIDPANE_PAGES_MORE)
        break;
    }
  return all;
}

BackupsSnapshot *
bench_snapshot_from_mock (GridpaneMock *mock, const char *token)
{
  BackupsSnapshot *snapshot = backups_snapshot_new ();
  g_autoptr (GBytes) schedules = render (mock, token, "/backups/schedules");
  g_autoptr (GBytes) integrations = render (mock, token, "/backups/integrations");
  g_autoptr (GError) error = NULL;
  gsize       len = 0;
  const char *data;

  snapshot->servers = parse_all_pages (mock, token, "/server", backups_gridpane_parse_servers_page);
  snapshot->sites = parse_all_pages (mock, token, "/site", backups_gridpane_parse_sites_page);

  data = g_bytes_get_data (schedules, &len);
  snapshot->schedules = backups_gridpane_parse_schedules (data, len, &error);
  if (snapshot->schedules == NULL)
    g_error ("Could not parse the schedules: %s", error->message);

  data = g_bytes_get_data (integrations, &len);
  snapshot->integrations = backups_gridpane_parse_integrations (data, len, &error);
  if (snapshot->integrations == NULL)
    g_error ("Could not parse the integrations: %s", error->message);

  return snapshot;
}

guint
bench_snapshot_n_rows (const BackupsSnapshot *snapshot)
{
  return snapshot->servers->len + snapshot->sites->len + snapshot->schedules->len
         + snapshot->integrations->len;
}

char *
bench_tmpdir (void)
{
  g_autoptr (GError) error = NULL;
  char *path = g_dir_make_tmp ("backups-bench-XXXXXX", &error);

  if (path == NULL)
    g_error ("Could not make a temporary folder: %s", error->message);
  return path;
}

void
bench_rmdir (const char *path)
{
  g_autoptr (GDir) dir = g_dir_open (path, 0, NULL);
  const char *name;

  if (dir == NULL)
    return;
  while ((name = g_dir_read_name (dir)) != NULL)
    {
      g_autofree char *child = g_build_filename (path, name, NULL);

      if (g_file_test (child, G_FILE_TEST_IS_DIR) && !g_file_test (child, G_FILE_TEST_IS_SYMLINK))
        bench_rmdir (child);
      else
        g_unlink (child);
    }
  g_rmdir (path);
}

BackupsStore *
bench_store_new (
  const char *path, const char *base_url, const char *secret_id, gint64 *org_id, gint64 *account_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  BackupsStore *store = backups_store_open (path, &error);

  if (store == NULL)
    g_error ("Could not open the store: %s", error->message);
  org = backups_store_add_org (store, "Bench", &error);
  if (org == NULL)
    g_error ("Could not add the org: %s", error->message);
  account = backups_store_add_account (store, backups_org_get_id (org), "gridpane", "Main",
                                       base_url ? base_url : "http://127.0.0.1:9/oauth/api/v1",
                                       secret_id ? secret_id : "bench", &error);
  if (account == NULL)
    g_error ("Could not add the account: %s", error->message);

  if (org_id != NULL)
    *org_id = backups_org_get_id (org);
  if (account_id != NULL)
    *account_id = backups_account_get_id (account);
  return store;
}

static gboolean
flag_cb (gpointer data)
{
  *(gboolean *)data = TRUE;
  return G_SOURCE_REMOVE;
}

gboolean
bench_wait_until (gboolean (*cond) (gpointer data), gpointer data, double timeout_s)
{
  gboolean timed_out = FALSE;
  guint    id = g_timeout_add ((guint)(timeout_s * 1000), flag_cb, &timed_out);

  while (!cond (data) && !timed_out)
    g_main_context_iteration (NULL, TRUE);
  if (!timed_out)
    g_source_remove (id);
  return cond (data);
}

static gint64
read_status_kb (const char *field)
{
  g_autofree char *status = NULL;
  const char      *line;

  if (!g_file_get_contents ("/proc/self/status", &status, NULL, NULL))
    return -1;
  line = strstr (status, field);
  if (line == NULL)
    return -1;
  return g_ascii_strtoll (line + strlen (field), NULL, 10);
}

gint64
bench_peak_rss_kb (void)
{
  return read_status_kb ("VmHWM:");
}

gint64
bench_rss_kb (void)
{
  return read_status_kb ("VmRSS:");
}

double
bench_process_cpu (void)
{
  struct rusage usage;

  getrusage (RUSAGE_SELF, &usage);
  return usage.ru_utime.tv_sec + usage.ru_stime.tv_sec
         + (usage.ru_utime.tv_usec + usage.ru_stime.tv_usec) / 1e6;
}

/* The mock's thread ------------------------------------------------------- */

struct _BenchMockThread
{
  GThread      *thread;
  GMainContext *context;
  GMainLoop    *loop;
  GridpaneMock *mock;
  char         *base_url;

  GMutex   lock;
  GCond    cond;
  gboolean ready;
};

static gpointer
mock_thread_main (gpointer user_data)
{
  BenchMockThread *self = user_data;
  g_autoptr (GError) error = NULL;

  g_main_context_push_thread_default (self->context);

  self->mock = gridpane_mock_new ();
  if (!gridpane_mock_start (self->mock, 0, &error))
    g_error ("Could not start the mock: %s", error->message);
  self->base_url = gridpane_mock_get_base_url (self->mock);

  g_mutex_lock (&self->lock);
  self->ready = TRUE;
  g_cond_broadcast (&self->cond);
  g_mutex_unlock (&self->lock);

  g_main_loop_run (self->loop);

  gridpane_mock_stop (self->mock);
  g_clear_object (&self->mock);
  /* Let the server's sources finish going away. */
  while (g_main_context_iteration (self->context, FALSE))
    ;
  g_main_context_pop_thread_default (self->context);
  return NULL;
}

BenchMockThread *
bench_mock_thread_new (void)
{
  BenchMockThread *self = g_new0 (BenchMockThread, 1);

  g_mutex_init (&self->lock);
  g_cond_init (&self->cond);
  self->context = g_main_context_new ();
  self->loop = g_main_loop_new (self->context, FALSE);
  self->thread = g_thread_new ("bench-mock", mock_thread_main, self);

  g_mutex_lock (&self->lock);
  while (!self->ready)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
  return self;
}

typedef struct
{
  BenchMockThread *self;
  BenchMockFunc    func;
  gpointer         data;
  gboolean         done;
} MockCall;

static gboolean
mock_call_cb (gpointer user_data)
{
  MockCall *call = user_data;

  call->func (call->self->mock, call->data);
  g_mutex_lock (&call->self->lock);
  call->done = TRUE;
  g_cond_broadcast (&call->self->cond);
  g_mutex_unlock (&call->self->lock);
  return G_SOURCE_REMOVE;
}

void
bench_mock_thread_call (BenchMockThread *self, BenchMockFunc func, gpointer data)
{
  MockCall call = { self, func, data, FALSE };

  g_main_context_invoke (self->context, mock_call_cb, &call);
  g_mutex_lock (&self->lock);
  while (!call.done)
    g_cond_wait (&self->cond, &self->lock);
  g_mutex_unlock (&self->lock);
}

const char *
bench_mock_thread_base_url (BenchMockThread *self)
{
  return self->base_url;
}

static void
read_thread_cpu (GridpaneMock *mock, gpointer data)
{
  struct timespec now;

  clock_gettime (CLOCK_THREAD_CPUTIME_ID, &now);
  *(double *)data = now.tv_sec + now.tv_nsec / 1e9;
}

double
bench_mock_thread_cpu (BenchMockThread *self)
{
  double cpu = 0;

  bench_mock_thread_call (self, read_thread_cpu, &cpu);
  return cpu;
}

static gboolean
quit_cb (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_REMOVE;
}

void
bench_mock_thread_free (BenchMockThread *self)
{
  if (self == NULL)
    return;
  g_main_context_invoke (self->context, quit_cb, self->loop);
  g_thread_join (self->thread);
  g_main_loop_unref (self->loop);
  g_main_context_unref (self->context);
  g_free (self->base_url);
  g_mutex_clear (&self->lock);
  g_cond_clear (&self->cond);
  g_free (self);
}
