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

#include <string.h>

/* ---------------------------------------------------------------------- */
/* Parsing in a worker thread                                              */

typedef struct
{
  GBytes                   *bytes;
  BackupsGridpanePageParser parser;
  BackupsGridpanePage       page;
} ParseJob;

static void
parse_job_free (ParseJob *job)
{
  g_bytes_unref (job->bytes);
  g_free (job);
}

static void
parse_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  ParseJob   *job = task_data;
  gsize       len = 0;
  const char *data = g_bytes_get_data (job->bytes, &len);
  GPtrArray  *records;
  GError     *error = NULL;

  records = job->parser (data, len, &job->page, &error);

  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify)g_ptr_array_unref);
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
  job->bytes = g_bytes_ref (bytes);
  job->parser = parser;
  g_task_set_task_data (task, job, (GDestroyNotify)parse_job_free);
  g_task_run_in_thread (task, parse_thread);
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
