/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-query-model.c
 *
 * The model keeps the rows of its last result in its own order. When the
 * store changes it reads again in a worker thread and, back on the main
 * context, merges the new rows into the old ones: both lists are in the
 * same order, so one walk over both finds every run of removed, inserted
 * or modified rows, and each run becomes one items-changed. Unchanged rows
 * keep their objects, so bound widgets, selection and scroll position are
 * left alone.
 *
 * Schedules are many (50,000 in a large fleet), so their rows are plain
 * structs whose strings are interned (a server's label or an account's
 * name is one string for all its rows). The BackupsSchedule a view asks
 * for is built in get_item() and remembered (weakly) by its row, so the
 * same row gives the same object while anyone holds it. A view asks only
 * for the rows it shows while no sorter or filter is active, which is why
 * the model's own order is the one the window opens with: by site,
 * ASCII-case-insensitively, then by (account_id, schedule id).
 *
 * When the store can say which schedule rows a change wrote (its change
 * hints), the worker reads only those rows, and the model places them in
 * its list before the same walk announces them.
 */
#include "backups-query-model.h"
#include "backups-query-model-private.h"

#include "backups-error.h"

#include <errno.h>
#ifdef __GLIBC__
#include <malloc.h>
#endif
#include <string.h>
#ifdef __linux__
#include <sys/resource.h>
#include <sys/syscall.h>
#include <unistd.h>
#endif

/* Each items-changed costs a sort model above us O(rows). Up to this many
 * runs are announced one by one; beyond, one change spans them all, with
 * the unchanged rows in between re-announced as the same objects (so a
 * selection on one of them survives). */
#define MAX_SEPARATE_RUNS 16

/* More changed rows than this and a change is read whole. */
#define MAX_KEYED_ROWS 1024

/* A list view builds the widgets of its first rows (GTK 4.8: 200 of
 * them) in the emission that announces them, shown or not. Announcing
 * 50,000 rows at once would stall the main loop for as long as that takes,
 * so a list of REVEAL_ALL_AFTER rows or more that replaces the whole list
 * is revealed in steps: FIRST_REVEAL rows at once, then REVEAL_STEP more a
 * step, a step every REVEAL_INTERVAL_MS (about a frame, so the view lays
 * out each step's rows in a frame of its own), and once REVEAL_ALL_AFTER
 * rows show, the rest in one emission: those build no widgets. */
#define FIRST_REVEAL 12
#define REVEAL_STEP 12
#define REVEAL_ALL_AFTER 256
#define REVEAL_INTERVAL_MS 20

/* Every model's queries share this many threads, at this nice value. */
#define QUERY_THREADS 2
#define QUERY_THREAD_NICE 10

/* A whole result for a model that shows none of the org's rows yet is
 * preceded by its first PREFIX_ROWS rows, read along an index in a
 * millisecond or two: the view has rows to show long before the whole
 * result is read and sorted. */
#define PREFIX_ROWS REVEAL_ALL_AFTER

struct _BackupsQueryModel
{
  GObject parent_instance;

  BackupsStore               *store;
  gulong                      store_changed_id;
  BackupsQueryKind            kind;
  const BackupsQueryRowClass *rows;
  gint64                      org_id;
  guint                       sync_timeout_seconds;
  gpointer                    params; /* of the row class's reads, nullable */

  GPtrArray *items; /* shown rows, in order, each referenced */

  /* A large replacement being revealed: the whole new list, of which the
   * first items->len rows are shown. */
  GPtrArray *revealing;
  GSource   *reveal_source;

  /* The current request. Each org switch bumps the generation and replaces
   * the cancellable; a result from an older generation is dropped. */
  GCancellable *cancellable;
  guint         generation;
  guint64       synced_serial; /* the store's change serial `items` reflect */
  guint         in_flight : 1;
  guint         dirty : 1;
  guint         has_result : 1;
  guint         prefix_shown : 1; /* `items` are the current request's first rows */
  guint         loading : 1;
};

static void backups_query_model_list_model_init (GListModelInterface *iface);

G_DEFINE_ENUM_TYPE (BackupsQueryKind,
                    backups_query_kind,
                    G_DEFINE_ENUM_VALUE (BACKUPS_QUERY_SCHEDULES, "schedules"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_QUERY_INTEGRATIONS, "integrations"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_QUERY_SITES, "sites"))

G_DEFINE_FINAL_TYPE_WITH_CODE (BackupsQueryModel,
                               backups_query_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      backups_query_model_list_model_init))

enum
{
  PROP_0,
  PROP_STORE,
  PROP_KIND,
  PROP_ORG_ID,
  PROP_SYNC_TIMEOUT,
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* Requests --------------------------------------------------------------- */

typedef struct
{
  BackupsStore               *store;
  const BackupsQueryRowClass *rows;
  gint64                      org_id;
  guint                       sync_timeout_seconds;
  guint                       generation;
  gboolean                    has_rows; /* the model has this org's rows: a hint may do */
  guint64                     since;
  guint                       n_items;
  GMainContext               *context; /* the model's */
  gpointer                    params;  /* a copy of the model's */
} QueryRequest;

/* The first rows of a whole result, sent ahead of it. */
typedef struct
{
  BackupsQueryModel *model;
  guint              generation;
  GPtrArray         *rows;
} Prefix;

typedef struct
{
  const BackupsQueryRowClass *row_class;
  GPtrArray                  *rows; /* in the model's order */
  GArray                     *keys; /* non-NULL: `rows` are only those keys' rows */
  guint64                     serial;
  gboolean                    first_sync_pending;
} QueryResult;

static void backups_query_model_start_query (BackupsQueryModel *self);

static void
query_request_free (QueryRequest *request)
{
  g_clear_object (&request->store);
  g_clear_pointer (&request->context, g_main_context_unref);
  if (request->params != NULL)
    request->rows->params_free (request->params);
  g_free (request);
}

static void
prefix_free (Prefix *prefix)
{
  g_clear_object (&prefix->model);
  g_clear_pointer (&prefix->rows, g_ptr_array_unref);
  g_free (prefix);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_clear_pointer (&result->keys, g_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueryResult, query_result_free)

static GPtrArray *
row_array_new (const BackupsQueryRowClass *rows, guint reserved)
{
  return g_ptr_array_new_full (reserved, rows->unref);
}

/* GListModel ------------------------------------------------------------- */

static GType
backups_query_model_get_item_type (GListModel *model)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (model);

  return self->rows->item_type ();
}

static guint
backups_query_model_get_n_items (GListModel *model)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (model);

  return self->items->len;
}

static gpointer
backups_query_model_get_item (GListModel *model, guint position)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (model);

  if (position >= self->items->len)
    return NULL;

  return self->rows->get_item (g_ptr_array_index (self->items, position));
}

static void
backups_query_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = backups_query_model_get_item_type;
  iface->get_n_items = backups_query_model_get_n_items;
  iface->get_item = backups_query_model_get_item;
}

/* Merging ---------------------------------------------------------------- */

static inline gboolean
same_row (const BackupsQueryRowClass *rows, gpointer a, gpointer b)
{
  return rows->compare (a, b) == 0 && rows->equal (a, b);
}

/* Replaces `n_remove` items at `pos` of `array` by `n_add` rows of `src`,
 * with one move of the tail. */
static void
splice_items (const BackupsQueryRowClass *rows,
              GPtrArray                  *array,
              guint                       pos,
              guint                       n_remove,
              gpointer                   *src,
              guint                       n_add)
{
  guint n_kept = MIN (n_remove, n_add);

  if (n_remove > n_add)
    {
      /* Frees the surplus and moves the tail down. */
      g_ptr_array_remove_range (array, pos + n_add, n_remove - n_add);
    }
  else if (n_add > n_remove)
    {
      guint old_len = array->len;
      guint tail = old_len - pos - n_remove;

      g_ptr_array_set_size (array, old_len + (n_add - n_remove));
      memmove (&array->pdata[pos + n_add], &array->pdata[pos + n_remove], tail * sizeof (gpointer));
    }

  /* The first n_kept slots still own removed rows; the rest (when growing)
   * hold stale copies of moved pointers and own nothing. */
  for (guint k = 0; k < n_add; k++)
    {
      if (k < n_kept)
        rows->unref (array->pdata[pos + k]);
      array->pdata[pos + k] = rows->ref (src[k]);
    }
}

typedef struct
{
  guint old_start;
  guint n_removed;
  guint new_start;
  guint n_added;
} Run;

/* Finds the runs of rows that differ between `old` and `new`. Returns FALSE
 * when there are more than MAX_SEPARATE_RUNS of them (the runs found so
 * far are then the first ones; the caller finds the end another way). */
static gboolean
find_runs (const BackupsQueryRowClass *rows, GPtrArray *old, GPtrArray *new, GArray *runs)
{
  guint i = 0, j = 0;

  while (i < old->len || j < new->len)
    {
      Run run;

      if (i < old->len && j < new->len &&same_row (rows, old->pdata[i], new->pdata[j]))
        {
          i++;
          j++;
          continue;
        }

      run.old_start = i;
      run.new_start = j;

      while (i < old->len || j < new->len)
        {
          int cmp;

          if (i >= old->len)
            cmp = 1;
          else if (j >= new->len)
            cmp = -1;
          else
            cmp = rows->compare (old->pdata[i], new->pdata[j]);

          if (cmp == 0)
            {
              if (rows->equal (old->pdata[i], new->pdata[j]))
                break;
              i++; /* modified: one out, one in */
              j++;
            }
          else if (cmp < 0)
            i++; /* removed */
          else
            j++; /* inserted */
        }

      run.n_removed = i - run.old_start;
      run.n_added = j - run.new_start;
      g_array_append_val (runs, run);

      if (runs->len > MAX_SEPARATE_RUNS)
        return FALSE;
    }

  return TRUE;
}

/* One items-changed from the first differing row to the last, keeping the
 * rows (and so the objects) of unchanged rows in between. */
static void
merge_span (BackupsQueryModel *self, GPtrArray *new, guint old_start, guint new_start)
{
  const BackupsQueryRowClass *rows = self->rows;
  GPtrArray                  *old = self->items;
  guint                       old_end = old->len;
  guint                       new_end = new->len;
  GPtrArray                  *merged;
  guint                       i, j;

  /* The common tail: rows equal in both from the end backwards. */
  while (old_end > old_start && new_end > new_start
         && same_row (rows, old->pdata[old_end - 1], new->pdata[new_end - 1]))
    {
      old_end--;
      new_end--;
    }

  merged = row_array_new (rows, new->len);
  for (i = 0; i < old_start; i++)
    g_ptr_array_add (merged, rows->ref (old->pdata[i]));

  /* Inside the span, an unchanged row keeps its old row. */
  for (i = old_start, j = new_start; j < new_end; j++)
    {
      gpointer row = new->pdata[j];
      int      cmp = 1;

      while (i < old_end && (cmp = rows->compare (old->pdata[i], row)) < 0)
        i++;
      if (i < old_end && cmp == 0 && rows->equal (old->pdata[i], row))
        row = old->pdata[i];
      g_ptr_array_add (merged, rows->ref (row));
    }

  for (i = old_end; i < old->len; i++)
    g_ptr_array_add (merged, rows->ref (old->pdata[i]));

  self->items = merged;
  g_list_model_items_changed (G_LIST_MODEL (self), old_start, old_end - old_start,
                              new_end - new_start);
  g_ptr_array_unref (old);
}

static void
merge_rows (BackupsQueryModel *self, GPtrArray *new)
{
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));
  int shift = 0;

  if (!find_runs (self->rows, self->items, new, runs))
    {
      const Run *first = &g_array_index (runs, Run, 0);

      merge_span (self, new, first->old_start, first->new_start);
      return;
    }

  /* Each run is applied and announced before the next, so a handler that
   * reads the model during items-changed sees a consistent list. Runs
   * come front to back; `shift` maps old positions to current ones. */
  for (guint k = 0; k < runs->len; k++)
    {
      const Run *run = &g_array_index (runs, Run, k);
      guint      pos = (guint)((int)run->old_start + shift);

      splice_items (self->rows, self->items, pos, run->n_removed, &new->pdata[run->new_start],
                    run->n_added);
      shift += (int)run->n_added - (int)run->n_removed;
      g_list_model_items_changed (G_LIST_MODEL (self), pos, run->n_removed, run->n_added);
    }
}

static int
compare_key_pairs (gconstpointer a, gconstpointer b)
{
  const gint64 *x = a, *y = b;

  if (x[0] != y[0])
    return x[0] < y[0] ? -1 : 1;
  return x[1] < y[1] ? -1 : x[1] > y[1] ? 1 : 0;
}

/* A keyed result: `fresh` holds the current rows of the changed keys (a
 * key without a row was deleted). The list it makes is the old one
 * without those keys' rows and with the fresh rows in their places; the
 * same walk as for a whole result then announces the difference. */
static void
apply_keyed (BackupsQueryModel *self, GArray *keys, GPtrArray *fresh)
{
  const BackupsQueryRowClass *rows = self->rows;
  guint                       n_keys = keys->len / 2;
  g_autoptr (GPtrArray) next = row_array_new (rows, self->items->len + fresh->len);
  guint j = 0;

  /* No keys: only a sync status changed, nothing to do. */
  if (n_keys == 0)
    return;

  qsort (keys->data, n_keys, 2 * sizeof (gint64), compare_key_pairs);

  for (guint i = 0; i < self->items->len; i++)
    {
      gpointer row = self->items->pdata[i];
      gint64   key[2];

      rows->get_key (row, &key[0], &key[1]);
      if (bsearch (key, keys->data, n_keys, 2 * sizeof (gint64), compare_key_pairs) != NULL)
        continue;

      /* Fresh rows that go before this one. */
      while (j < fresh->len && rows->compare (fresh->pdata[j], row) < 0)
        g_ptr_array_add (next, rows->ref (fresh->pdata[j++]));
      g_ptr_array_add (next, rows->ref (row));
    }
  while (j < fresh->len)
    g_ptr_array_add (next, rows->ref (fresh->pdata[j++]));

  merge_rows (self, next);
}

/* Revealing a large replacement ------------------------------------------ */

static void
set_loading (BackupsQueryModel *self, gboolean loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

/* Shows `n` more rows of the list being revealed. */
static void
reveal_rows (BackupsQueryModel *self, guint n)
{
  guint pos = self->items->len;

  for (guint k = 0; k < n; k++)
    g_ptr_array_add (self->items, self->rows->ref (self->revealing->pdata[pos + k]));
  g_list_model_items_changed (G_LIST_MODEL (self), pos, 0, n);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
}

static gboolean
reveal_step_cb (gpointer user_data)
{
  BackupsQueryModel *self = user_data;
  guint              left = self->revealing->len - self->items->len;

  reveal_rows (self,
               self->items->len + REVEAL_STEP >= REVEAL_ALL_AFTER ? left : MIN (REVEAL_STEP, left));
  /* A handler may have switched the organization meanwhile. */
  if (self->revealing == NULL)
    return G_SOURCE_REMOVE;
  if (self->items->len < self->revealing->len)
    return G_SOURCE_CONTINUE;

  g_clear_pointer (&self->reveal_source, g_source_unref);
  g_clear_pointer (&self->revealing, g_ptr_array_unref);
  /* Changes that came meanwhile waited for the whole list. */
  if (self->dirty)
    backups_query_model_start_query (self);
  return G_SOURCE_REMOVE;
}

static void
stop_revealing (BackupsQueryModel *self)
{
  if (self->reveal_source != NULL)
    g_source_destroy (self->reveal_source);
  g_clear_pointer (&self->reveal_source, g_source_unref);
  g_clear_pointer (&self->revealing, g_ptr_array_unref);
}

/* A whole result that arrives while its prefix is being revealed: when
 * the shown rows and the rest of the prefix begin it, it becomes the list
 * being revealed. */
static gboolean
extend_reveal (BackupsQueryModel *self, GPtrArray *rows)
{
  if (rows->len < self->revealing->len)
    return FALSE;
  for (guint k = 0; k < self->revealing->len; k++)
    if (!same_row (self->rows, self->revealing->pdata[k], rows->pdata[k]))
      return FALSE;

  g_ptr_array_unref (self->revealing);
  self->revealing = g_ptr_array_ref (rows);
  return TRUE;
}

/* The new list replaces the old one: one items_changed (0, old, new), or
 * for a large list (0, old, FIRST_REVEAL) and then the rest in steps. */
static void
replace_all (BackupsQueryModel *self, GPtrArray *rows)
{
  g_autoptr (GPtrArray) old = NULL;
  guint n_shown = rows->len;

  stop_revealing (self);
  old = g_steal_pointer (&self->items);

  if (rows->len >= REVEAL_ALL_AFTER)
    {
      n_shown = FIRST_REVEAL;
      self->revealing = g_ptr_array_ref (rows);
      self->items = row_array_new (self->rows, rows->len);
      for (guint k = 0; k < n_shown; k++)
        g_ptr_array_add (self->items, self->rows->ref (rows->pdata[k]));

      /* Below GTK's redraw priority: a frame comes first. */
      self->reveal_source = g_timeout_source_new (REVEAL_INTERVAL_MS);
      g_source_set_priority (self->reveal_source, G_PRIORITY_DEFAULT_IDLE);
      g_source_set_callback (self->reveal_source, reveal_step_cb, self, NULL);
      g_source_set_static_name (self->reveal_source, "[backups] reveal rows");
      g_source_attach (self->reveal_source, g_main_context_get_thread_default ());
    }
  else
    self->items = g_ptr_array_ref (rows);

  if (old->len > 0 || n_shown > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, old->len, n_shown);
}

/* Querying --------------------------------------------------------------- */

static int
compare_rows_indirect (gconstpointer a, gconstpointer b, gpointer user_data)
{
  const BackupsQueryRowClass *rows = user_data;

  return rows->compare (*(gconstpointer *)a, *(gconstpointer *)b);
}

static gboolean
prefix_cb (gpointer user_data)
{
  Prefix            *prefix = user_data;
  BackupsQueryModel *self = prefix->model;
  guint              n_before = self->items->len;

  /* Only while the request that sent it is the current one, and before
   * its whole result. */
  if (prefix->generation != self->generation || self->store == NULL || !self->in_flight
      || (self->has_result && self->items->len > 0))
    return G_SOURCE_REMOVE;

  replace_all (self, prefix->rows);
  self->prefix_shown = TRUE;
  set_loading (self, FALSE);
  if (n_before != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  return G_SOURCE_REMOVE;
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  QueryRequest               *request = task_data;
  const BackupsQueryRowClass *rows = request->rows;
  g_autoptr (QueryResult) result = g_new0 (QueryResult, 1);
  g_autoptr (GError) error = NULL;
  gboolean might_be_empty = TRUE;

  result->row_class = rows;
  result->rows = row_array_new (rows, 0);

  if (rows->keyed && request->has_rows)
    {
      g_autoptr (GArray) keys = g_array_new (FALSE, FALSE, sizeof (gint64));

      if (backups_store_get_schedule_changes (request->store, request->since, &result->serial, keys)
          && keys->len / 2 <= MAX_KEYED_ROWS)
        {
          if (keys->len > 0
              && !rows->read (request->store, request->org_id, keys, result->rows, &error))
            {
              g_task_return_error (task, g_steal_pointer (&error));
              return;
            }
          might_be_empty = request->n_items <= keys->len / 2;
          result->keys = g_steal_pointer (&keys);
        }
    }

  if (result->keys == NULL && rows->read_first != NULL && request->n_items == 0)
    {
      g_autoptr (GPtrArray) first = row_array_new (rows, PREFIX_ROWS);

      /* Without it the whole result still comes: no error here. */
      if (rows->read_first (request->store, request->org_id, PREFIX_ROWS, first, NULL)
          && first->len > 0)
        {
          Prefix  *prefix = g_new0 (Prefix, 1);
          GSource *source = g_idle_source_new ();

          prefix->model = g_object_ref (source_object);
          prefix->generation = request->generation;
          prefix->rows = g_steal_pointer (&first);
          /* A source, not g_main_context_invoke(): that would run it right
           * here when the model's thread is not iterating its context. */
          g_source_set_priority (source, G_PRIORITY_DEFAULT);
          g_source_set_callback (source, prefix_cb, prefix, (GDestroyNotify)prefix_free);
          g_source_set_static_name (source, "[backups] first rows");
          g_source_attach (source, request->context);
          g_source_unref (source);
        }
    }

  if (result->keys == NULL)
    {
      /* The serial before reading: a change made meanwhile is applied once
       * more later, which finds nothing to do. */
      result->serial = backups_store_get_change_serial (request->store);
      if (rows->read_with_params != NULL
            ? !rows->read_with_params (request->store, request->org_id, request->params,
                                       result->rows, &error)
            : !rows->read (request->store, request->org_id, NULL, result->rows, &error))
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
      might_be_empty = result->rows->len == 0;
#ifdef __GLIBC__
      /* The read's transients (SQLite's page cache, the joins' tables)
       * are freed by now, but glibc keeps their pages in this thread's
       * arena, resident, beside the rows that stay: about 1.5 MB of a
       * large organization's peak. */
      malloc_trim (0);
#endif
    }

  g_ptr_array_sort_with_data (result->rows, compare_rows_indirect, (gpointer)rows);

  /* Only an empty list can mean "not loaded yet". */
  if (might_be_empty)
    {
      result->first_sync_pending = backups_store_org_first_sync_pending (
        request->store, request->org_id, request->sync_timeout_seconds, &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify)query_result_free);
}

/* The queries run on threads of their own at a lower CPU priority: on a
 * machine with two cores, reading 50,000 rows otherwise takes the main
 * thread's core while it lays out the first rows (the longest main-loop
 * stall of a large sync: 60-140 ms, most of it waiting for a core). They
 * still use every idle core. */
static void
lower_thread_priority (void)
{
#ifdef __linux__
  /* Linux gives each thread a nice value of its own. */
  if (setpriority (PRIO_PROCESS, (id_t)syscall (SYS_gettid), QUERY_THREAD_NICE) != 0)
    g_debug ("Could not lower the query thread's priority: %s", g_strerror (errno));
#endif
}

static void
run_query (gpointer data, gpointer user_data)
{
  g_autoptr (GTask) task = data;
  static GPrivate lowered;

  if (g_private_get (&lowered) == NULL)
    {
      lower_thread_priority ();
      g_private_set (&lowered, GINT_TO_POINTER (1));
    }

  query_thread (task, g_task_get_source_object (task), g_task_get_task_data (task),
                g_task_get_cancellable (task));
}

/* Exclusive: its threads, and their priority, are never lent to other
 * pools (GTask's, which applies snapshots). */
static GThreadPool *
get_query_pool (void)
{
  static GThreadPool *pool;
  static gsize        initialized;

  if (g_once_init_enter (&initialized))
    {
      pool = g_thread_pool_new (run_query, NULL, QUERY_THREADS, TRUE, NULL);
      g_once_init_leave (&initialized, 1);
    }
  return pool;
}

static void
query_done_cb (GObject *object, GAsyncResult *async_result, gpointer user_data)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);
  GTask             *task = G_TASK (async_result);
  QueryRequest      *request = g_task_get_task_data (task);
  g_autoptr (QueryResult) result = NULL;
  g_autoptr (GError) error = NULL;
  guint n_before;

  result = g_task_propagate_pointer (task, &error);

  /* A result for an earlier organization, or for a disposed model. */
  if (request->generation != self->generation || self->store == NULL)
    return;

  self->in_flight = FALSE;
  n_before = self->items->len;

  if (result == NULL)
    {
      /* A damaged cache serves nothing: what is left of it is not data. */
      if (g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED))
        {
          g_autoptr (GPtrArray) none = row_array_new (self->rows, 0);

          replace_all (self, none);
        }
      else if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not query the store: %s", error->message);
      /* Keep the rows we have, but do not spin forever. */
      self->has_result = TRUE;
      set_loading (self, FALSE);
    }
  else
    {
      self->synced_serial = result->serial;
      if (result->keys != NULL)
        apply_keyed (self, result->keys, result->rows);
      else if (self->revealing != NULL && extend_reveal (self, result->rows))
        ; /* the reveal goes on with the whole list */
      else if (self->items->len > 0 && (self->has_result || self->prefix_shown))
        {
          stop_revealing (self);
          merge_rows (self, result->rows);
        }
      else
        replace_all (self, result->rows);

      self->has_result = TRUE;
      self->prefix_shown = FALSE;
      set_loading (self, self->items->len == 0 && result->first_sync_pending);
    }

  if (n_before != self->items->len)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);

  if (self->dirty)
    backups_query_model_start_query (self);
}

static void
backups_query_model_start_query (BackupsQueryModel *self)
{
  g_autoptr (GTask) task = NULL;
  QueryRequest *request;

  g_assert (BACKUPS_IS_QUERY_MODEL (self));

  if (self->store == NULL || self->org_id == 0)
    return;

  /* Coalesce: one query at a time, and one more after it for every burst
   * of changes that came in meanwhile. A list being revealed is finished
   * first. */
  if (self->in_flight || self->revealing != NULL)
    {
      self->dirty = TRUE;
      return;
    }

  self->in_flight = TRUE;
  self->dirty = FALSE;

  request = g_new0 (QueryRequest, 1);
  request->store = g_object_ref (self->store);
  request->rows = self->rows;
  request->org_id = self->org_id;
  request->sync_timeout_seconds = self->sync_timeout_seconds;
  request->generation = self->generation;
  request->has_rows = self->has_result;
  request->since = self->synced_serial;
  /* The old org's rows do not count: they will be replaced. */
  request->n_items = self->has_result ? self->items->len : 0;
  request->context = g_main_context_ref_thread_default ();
  if (self->params != NULL)
    request->params = self->rows->params_copy (self->params);

  task = g_task_new (self, self->cancellable, query_done_cb, NULL);
  g_task_set_source_tag (task, backups_query_model_start_query);
  g_task_set_task_data (task, request, (GDestroyNotify)query_request_free);
  g_thread_pool_push (get_query_pool (), g_steal_pointer (&task), NULL);
}

static void
store_changed_cb (BackupsQueryModel *self)
{
  backups_query_model_start_query (self);
}

/* GObject ---------------------------------------------------------------- */

static void
backups_query_model_constructed (GObject *object)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  G_OBJECT_CLASS (backups_query_model_parent_class)->constructed (object);

  g_return_if_fail (BACKUPS_IS_STORE (self->store));

  switch (self->kind)
    {
    case BACKUPS_QUERY_SCHEDULES:
      self->rows = &backups_query_schedule_rows;
      break;
    case BACKUPS_QUERY_SITES:
      self->rows = &backups_query_site_rows;
      break;
    case BACKUPS_QUERY_INTEGRATIONS:
    default:
      self->rows = &backups_query_integration_rows;
      break;
    }
  self->items = row_array_new (self->rows, 0);
  self->store_changed_id
    = g_signal_connect_swapped (self->store, "changed", G_CALLBACK (store_changed_cb), self);
}

static void
backups_query_model_dispose (GObject *object)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  g_cancellable_cancel (self->cancellable);
  stop_revealing (self);
  g_clear_signal_handler (&self->store_changed_id, self->store);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (backups_query_model_parent_class)->dispose (object);
}

static void
backups_query_model_finalize (GObject *object)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  g_clear_object (&self->cancellable);
  g_clear_pointer (&self->items, g_ptr_array_unref);
  if (self->params != NULL)
    self->rows->params_free (self->params);

  G_OBJECT_CLASS (backups_query_model_parent_class)->finalize (object);
}

static void
backups_query_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_KIND:
      g_value_set_enum (value, self->kind);
      break;
    case PROP_ORG_ID:
      g_value_set_int64 (value, self->org_id);
      break;
    case PROP_SYNC_TIMEOUT:
      g_value_set_uint (value, self->sync_timeout_seconds);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, self->loading);
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, self->items->len);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_query_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_KIND:
      self->kind = g_value_get_enum (value);
      break;
    case PROP_ORG_ID:
      backups_query_model_set_org_id (self, g_value_get_int64 (value));
      break;
    case PROP_SYNC_TIMEOUT:
      self->sync_timeout_seconds = g_value_get_uint (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_query_model_class_init (BackupsQueryModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = backups_query_model_constructed;
  object_class->dispose = backups_query_model_dispose;
  object_class->finalize = backups_query_model_finalize;
  object_class->get_property = backups_query_model_get_property;
  object_class->set_property = backups_query_model_set_property;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_KIND]
    = g_param_spec_enum ("kind", NULL, NULL, BACKUPS_TYPE_QUERY_KIND, BACKUPS_QUERY_SCHEDULES,
                         G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORG_ID]
    = g_param_spec_int64 ("org-id", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  /* The sync service's timeout: a first sync that started more than
   * twice as long ago died with its process, and is not waited for. */
  properties[PROP_SYNC_TIMEOUT] = g_param_spec_uint (
    "sync-timeout", NULL, NULL, 1, G_MAXUINT, BACKUPS_STORE_DEFAULT_SYNC_TIMEOUT_SECONDS,
    G_PARAM_READWRITE | G_PARAM_CONSTRUCT | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_query_model_init (BackupsQueryModel *self)
{
  self->cancellable = g_cancellable_new ();
}

BackupsQueryModel *
backups_query_model_new (BackupsStore *store, BackupsQueryKind kind)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);

  return g_object_new (BACKUPS_TYPE_QUERY_MODEL, "store", store, "kind", kind, NULL);
}

void
backups_query_model_set_org_id (BackupsQueryModel *self, gint64 org_id)
{
  g_return_if_fail (BACKUPS_IS_QUERY_MODEL (self));
  g_return_if_fail (org_id >= 0);

  if (self->org_id == org_id)
    return;

  /* Drop whatever the previous organization still had in flight. */
  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
  self->generation++;
  self->in_flight = FALSE;
  self->dirty = FALSE;
  self->has_result = FALSE;
  self->prefix_shown = FALSE;
  self->org_id = org_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_ID]);

  /* Rows still being revealed belong to the old organization. */
  stop_revealing (self);

  if (org_id == 0)
    {
      g_autoptr (GPtrArray) none = row_array_new (self->rows, 0);
      guint n_before = self->items->len;

      replace_all (self, none);
      set_loading (self, FALSE);
      if (n_before != 0)
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
      return;
    }

  /* The old rows stay until the new ones replace them in one emission; the
   * view shows the spinner meanwhile, not them. */
  set_loading (self, TRUE);
  backups_query_model_start_query (self);
}

gint64
backups_query_model_get_org_id (BackupsQueryModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_QUERY_MODEL (self), 0);

  return self->org_id;
}

gboolean
backups_query_model_get_loading (BackupsQueryModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_QUERY_MODEL (self), FALSE);

  return self->loading;
}

void
backups_query_model_refresh (BackupsQueryModel *self)
{
  g_return_if_fail (BACKUPS_IS_QUERY_MODEL (self));

  backups_query_model_start_query (self);
}

void
backups_query_model_set_params (BackupsQueryModel *self, gconstpointer params)
{
  g_return_if_fail (BACKUPS_IS_QUERY_MODEL (self));
  g_return_if_fail (self->rows->params_copy != NULL);

  if (self->params != NULL)
    self->rows->params_free (self->params);
  self->params = params != NULL ? self->rows->params_copy (params) : NULL;
  backups_query_model_start_query (self);
}

GPtrArray *
backups_query_model_peek_rows (BackupsQueryModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_QUERY_MODEL (self), NULL);

  return self->items;
}
