/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-client-pages.c
 *
 * A GridPane list, page after page: each page is fetched through the
 * account's queue, parsed in a worker thread, and checked against the
 * paginator's rule (backups_gridpane_pages_step()), so that an incomplete
 * list is an error, never a snapshot.
 */
#include "config.h"

#include "backups-gridpane-client-private.h"

#include <errno.h>
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* ---------------------------------------------------------------------- */
/* Parsing in worker threads                                               */

/* Pages are parsed on a pool of their own, one thread per core, at a lower
 * CPU priority (the live models' reads have the same), the pages of the
 * account whose sync began first first.
 *
 * When many accounts sync together, their pages arrive at about the same
 * times. On GTask's pool (ten threads) every account's page was parsed at
 * once, each at a fraction of a core, so that every account got its last
 * answer at about the same moment, and their snapshots then waited one
 * after another for the store's one writer. In the order the accounts
 * began, the first ones finish earlier and their snapshots are applied
 * while the others are still being fetched; at a lower priority, the
 * writer and the main thread (which sends the next requests) get a core
 * when they need one. */
#define PARSE_THREAD_NICE 10

typedef struct
{
  GTask                    *task;
  guint64                   account_order; /* the client's sequence */
  guint64                   order;         /* of the page among all pages */
  GBytes                   *bytes;
  BackupsGridpanePageParser parser;
  BackupsGridpanePage       page;
} ParseJob;

static GMutex  sequence_lock;
static guint64 next_client_sequence;
static guint64 next_page_sequence;

static guint64
take_sequence (guint64 *counter)
{
  guint64 sequence;

  g_mutex_lock (&sequence_lock);
  sequence = (*counter)++;
  g_mutex_unlock (&sequence_lock);
  return sequence;
}

guint64
backups_gridpane_client_next_sequence (void)
{
  return take_sequence (&next_client_sequence);
}

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

static int
compare_parse_jobs (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const ParseJob *x = a;
  const ParseJob *y = b;

  if (x->account_order != y->account_order)
    return x->account_order < y->account_order ? -1 : 1;
  return x->order < y->order ? -1 : (x->order > y->order ? 1 : 0);
}

static void
lower_thread_priority (void)
{
#ifdef __linux__
  /* Linux gives each thread a nice value of its own. */
  if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), PARSE_THREAD_NICE) != 0)
    g_debug ("Could not lower the parser thread's priority: %s", g_strerror (errno));
#endif
}

static void
parse_thread (gpointer data, gpointer user_data)
{
  ParseJob *job = data;
  g_autoptr (GTask) task = g_steal_pointer (&job->task);
  static GPrivate lowered;
  gsize           len = 0;
  const char     *body = g_bytes_get_data (job->bytes, &len);
  GPtrArray      *records;
  GError         *error = NULL;

  /* The pool's threads are its own (exclusive), so the priority stays
   * with the parsers. */
  if (g_private_get (&lowered) == NULL)
    {
      lower_thread_priority ();
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }

  if (g_task_return_error_if_cancelled (task))
    return;
  records = job->parser (body, len, &job->page, &error);

  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify)g_ptr_array_unref);
}

static GThreadPool *
parse_pool (void)
{
  static gsize pool = 0;

  if (g_once_init_enter (&pool))
    {
      GThreadPool *new_pool;

      new_pool = g_thread_pool_new (parse_thread, NULL, (int)g_get_num_processors (), TRUE, NULL);
      g_thread_pool_set_sort_function (new_pool, compare_parse_jobs, NULL);
      g_once_init_leave (&pool, (gsize)new_pool);
    }
  return (GThreadPool *)pool;
}

static void
parse_async (BackupsGridpaneClient    *self,
             GBytes                   *bytes,
             BackupsGridpanePageParser parser,
             GCancellable             *cancellable,
             GAsyncReadyCallback       callback,
             gpointer                  user_data)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  ParseJob *job = g_new0 (ParseJob, 1);

  g_task_set_source_tag (task, parse_async);
  job->account_order = backups_gridpane_client_get_sequence (self);
  job->order = take_sequence (&next_page_sequence);
  job->bytes = g_bytes_ref (bytes);
  job->parser = parser;
  g_task_set_task_data (task, job, (GDestroyNotify)parse_job_free);
  job->task = g_object_ref (task);
  g_thread_pool_push (parse_pool (), job, NULL);
}

static GPtrArray *
parse_finish (GAsyncResult *result, BackupsGridpanePage *page, GError **error)
{
  ParseJob *job = g_task_get_task_data (G_TASK (result));

  g_assert (g_task_get_source_tag (G_TASK (result)) == parse_async);

  if (page != NULL)
    *page = job->page;
  return g_task_propagate_pointer (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* Pages                                                                   */

typedef struct
{
  BackupsGridpaneListSpec spec;
  char                   *path;
  GPtrArray              *records;
  GHashTable             *seen_ids; /* gint64 → present */
  int                     page;     /* the page requested last */
  guint64                 n_items;  /* items of the pages so far */
} PagesData;

static void
pages_data_free (PagesData *data)
{
  g_free (data->path);
  g_clear_pointer (&data->records, g_ptr_array_unref);
  g_clear_pointer (&data->seen_ids, g_hash_table_unref);
  g_free (data);
}

static void pages_request_next (GTask *task);

static void
on_page_parsed (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (source);
  PagesData             *data = g_task_get_task_data (task);
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GError) error = NULL;
  BackupsGridpanePage page;
  guint               n_new = 0;

  records = parse_finish (result, &page, &error);
  if (records == NULL)
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_task_return_error (task, g_steal_pointer (&error));
      else
        g_task_return_error (task,
                             backups_gridpane_client_error_for_body (self, data->path, error));
      return;
    }

  for (guint i = 0; i < records->len; i++)
    {
      gpointer record = g_ptr_array_index (records, i);
      gint64   id = data->spec.record_id (record);

      /* The list can shift between two page requests; keep the first. */
      if (g_hash_table_contains (data->seen_ids, &id))
        continue;
      g_hash_table_add (data->seen_ids, g_memdup2 (&id, sizeof id));
      g_ptr_array_add (data->records, record);
      /* Moved: the page array must not free it (the free functions accept NULL). */
      records->pdata[i] = NULL;
      n_new++;
    }
  /* A page whose items hold no records (site entries without schedules)
   * is new as long as it has items. */
  if (records->len == 0)
    n_new = page.n_items;
  data->n_items += page.n_items;

  switch (
    backups_gridpane_pages_step (data->spec.kind, &page, data->page, n_new, data->n_items, &error))
    {
    case BACKUPS_GRIDPANE_PAGES_DONE:
      g_task_return_pointer (task, g_steal_pointer (&data->records),
                             (GDestroyNotify)g_ptr_array_unref);
      return;
    case BACKUPS_GRIDPANE_PAGES_MORE:
      data->page++;
      pages_request_next (g_steal_pointer (&task));
      return;
    case BACKUPS_GRIDPANE_PAGES_FAILED:
    default:
      /* An incomplete list is never a snapshot: nothing is applied. */
      g_task_return_error (task, backups_gridpane_client_error_for_body (self, data->path, error));
      return;
    }
}

static void
on_page_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (source);
  PagesData             *data = g_task_get_task_data (task);
  g_autoptr (GBytes) bytes = NULL;
  GError       *error = NULL;
  GCancellable *cancellable;

  bytes = backups_gridpane_client_get_finish (self, result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  /* The cancellable is read before the task is moved: argument evaluation
   * order is unspecified. */
  cancellable = g_task_get_cancellable (task);
  parse_async (self, bytes, data->spec.parser, cancellable, on_page_parsed,
               g_steal_pointer (&task));
}

static void
pages_request_next (GTask *task)
{
  BackupsGridpaneClient *self = g_task_get_source_object (task);
  PagesData             *data = g_task_get_task_data (task);
  g_autofree char       *path_and_query = NULL;

  /* A list that usually comes in one piece is asked for as is, and its
   * further pages by number alone, so that every page has the server's
   * one page size. */
  if (!data->spec.one_piece)
    path_and_query = g_strdup_printf ("%s?page=%d&per_page=%u", data->path, data->page,
                                      backups_gridpane_client_get_per_page (self));
  else if (data->page > 1)
    path_and_query = g_strdup_printf ("%s?page=%d", data->path, data->page);
  else
    path_and_query = g_strdup (data->path);
  backups_gridpane_client_get_async (self, path_and_query, g_task_get_cancellable (task),
                                     on_page_fetched, task);
}

void
backups_gridpane_client_fetch_pages_async (BackupsGridpaneClient         *self,
                                           const char                    *path,
                                           const BackupsGridpaneListSpec *spec,
                                           GCancellable                  *cancellable,
                                           GAsyncReadyCallback            callback,
                                           gpointer                       user_data)
{
  g_autoptr (GTask) task = NULL;
  PagesData *data;

  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  g_return_if_fail (path != NULL && path[0] == '/' && strchr (path, '?') == NULL);
  g_return_if_fail (spec != NULL && spec->parser != NULL && spec->record_id != NULL
                    && spec->array_new != NULL);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_gridpane_client_fetch_pages_async);
  data = g_new0 (PagesData, 1);
  data->spec = *spec;
  data->path = g_strdup (path);
  data->records = spec->array_new ();
  data->seen_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  data->page = 1;
  g_task_set_task_data (task, data, (GDestroyNotify)pages_data_free);

  pages_request_next (g_steal_pointer (&task));
}

GPtrArray *
backups_gridpane_client_fetch_pages_finish (BackupsGridpaneClient *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == backups_gridpane_client_fetch_pages_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
