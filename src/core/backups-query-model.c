/* backups-query-model.c
 *
 * The model keeps the rows of its last result. When the store changes it
 * runs the query again in a worker thread and, back on the main context,
 * merges the new rows into the old ones. Both lists come sorted by
 * (account_id, remote id), so one walk over both finds every run of
 * removed, inserted or modified rows, and each run becomes one
 * items-changed. Unchanged rows keep their objects, so bound widgets,
 * selection and scroll position are left alone.
 */
#include "backups-query-model.h"

#include <string.h>

#include "backups-integration.h"
#include "backups-schedule.h"

/* Each items-changed costs a sort model above us O(rows). Up to this many
 * runs are announced one by one; beyond, one change spans them all, with
 * the unchanged rows in between re-announced as the same objects (so a
 * selection on one of them survives). */
#define MAX_SEPARATE_RUNS 16

struct _BackupsQueryModel
{
  GObject parent_instance;

  BackupsStore    *store;
  gulong           store_changed_id;
  BackupsQueryKind kind;
  gint64           org_id;

  GPtrArray *items;

  /* The current request. Each org switch bumps the generation and replaces
   * the cancellable; a result from an older generation is dropped. */
  GCancellable *cancellable;
  guint         generation;
  guint         in_flight : 1;
  guint         dirty : 1;
  guint         has_result : 1;
  guint         loading : 1;
};

static void backups_query_model_list_model_init (GListModelInterface *iface);

G_DEFINE_ENUM_TYPE (BackupsQueryKind,
                    backups_query_kind,
                    G_DEFINE_ENUM_VALUE (BACKUPS_QUERY_SCHEDULES, "schedules"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_QUERY_INTEGRATIONS, "integrations"))

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
  PROP_LOADING,
  PROP_N_ITEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

typedef struct
{
  BackupsStore    *store;
  BackupsQueryKind kind;
  gint64           org_id;
  guint            generation;
} QueryRequest;

typedef struct
{
  GPtrArray *rows;
  gboolean   first_sync_pending;
} QueryResult;

static void backups_query_model_start_query (BackupsQueryModel *self);

static void
query_request_free (QueryRequest *request)
{
  g_clear_object (&request->store);
  g_free (request);
}

static void
query_result_free (QueryResult *result)
{
  g_clear_pointer (&result->rows, g_ptr_array_unref);
  g_free (result);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (QueryResult, query_result_free)

static GType
backups_query_model_get_item_type (GListModel *model)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (model);

  return self->kind == BACKUPS_QUERY_SCHEDULES ? BACKUPS_TYPE_SCHEDULE : BACKUPS_TYPE_INTEGRATION;
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

  return g_object_ref (g_ptr_array_index (self->items, position));
}

static void
backups_query_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = backups_query_model_get_item_type;
  iface->get_n_items = backups_query_model_get_n_items;
  iface->get_item = backups_query_model_get_item;
}

/* Orders rows the way the store returns them: (account_id, remote id). */
static int
compare_keys (BackupsQueryKind kind, gpointer a, gpointer b)
{
  gint64 account_a, account_b, id_a, id_b;

  if (kind == BACKUPS_QUERY_SCHEDULES)
    {
      account_a = backups_schedule_get_account_id (a);
      account_b = backups_schedule_get_account_id (b);
      id_a = backups_schedule_get_schedule_id (a);
      id_b = backups_schedule_get_schedule_id (b);
    }
  else
    {
      account_a = backups_integration_get_account_id (a);
      account_b = backups_integration_get_account_id (b);
      id_a = backups_integration_get_integration_id (a);
      id_b = backups_integration_get_integration_id (b);
    }

  if (account_a != account_b)
    return account_a < account_b ? -1 : 1;
  if (id_a != id_b)
    return id_a < id_b ? -1 : 1;
  return 0;
}

static gboolean
rows_equal (BackupsQueryKind kind, gpointer a, gpointer b)
{
  if (kind == BACKUPS_QUERY_SCHEDULES)
    return backups_schedule_equal (a, b);
  return backups_integration_equal (a, b);
}

/* Replaces `n_remove` items at `pos` of `array` by `n_add` items of `src`,
 * with one move of the tail. */
static void
splice_items (GPtrArray *array, guint pos, guint n_remove, gpointer *src, guint n_add)
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
        g_object_unref (array->pdata[pos + k]);
      array->pdata[pos + k] = g_object_ref (src[k]);
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
find_runs (BackupsQueryKind kind, GPtrArray *old, GPtrArray *new, GArray *runs)
{
  guint i = 0, j = 0;

  while (i < old->len || j < new->len)
    {
      Run run;

      if (i < old->len && j < new->len &&compare_keys (kind, old->pdata[i], new->pdata[j]) == 0
          && rows_equal (kind, old->pdata[i], new->pdata[j]))
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
            cmp = compare_keys (kind, old->pdata[i], new->pdata[j]);

          if (cmp == 0)
            {
              if (rows_equal (kind, old->pdata[i], new->pdata[j]))
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

static void
replace_all (BackupsQueryModel *self, GPtrArray *rows)
{
  g_autoptr (GPtrArray) old = g_steal_pointer (&self->items);
  guint n_old = old->len;

  /* Our own array: we do not rely on how the store made its. */
  self->items = g_ptr_array_new_full (rows->len, g_object_unref);
  for (guint k = 0; k < rows->len; k++)
    g_ptr_array_add (self->items, g_object_ref (rows->pdata[k]));

  if (n_old > 0 || rows->len > 0)
    g_list_model_items_changed (G_LIST_MODEL (self), 0, n_old, rows->len);
}

/* One items-changed from the first differing row to the last, keeping the
 * objects of unchanged rows in between. */
static void
merge_span (BackupsQueryModel *self, GPtrArray *rows, guint old_start, guint new_start)
{
  GPtrArray *old = self->items;
  guint      old_end = old->len;
  guint      new_end = rows->len;
  GPtrArray *merged;
  guint      i, j;

  /* The common tail: rows equal in both from the end backwards. */
  while (old_end > old_start && new_end > new_start
         && compare_keys (self->kind, old->pdata[old_end - 1], rows->pdata[new_end - 1]) == 0
         && rows_equal (self->kind, old->pdata[old_end - 1], rows->pdata[new_end - 1]))
    {
      old_end--;
      new_end--;
    }

  merged = g_ptr_array_new_full (rows->len, g_object_unref);
  for (i = 0; i < old_start; i++)
    g_ptr_array_add (merged, g_object_ref (old->pdata[i]));

  /* Inside the span, an unchanged row keeps its old object. */
  for (i = old_start, j = new_start; j < new_end; j++)
    {
      gpointer row = rows->pdata[j];
      int      cmp = 1;

      while (i < old_end && (cmp = compare_keys (self->kind, old->pdata[i], row)) < 0)
        i++;
      if (i < old_end && cmp == 0 && rows_equal (self->kind, old->pdata[i], row))
        row = old->pdata[i];
      g_ptr_array_add (merged, g_object_ref (row));
    }

  for (i = old_end; i < old->len; i++)
    g_ptr_array_add (merged, g_object_ref (old->pdata[i]));

  self->items = merged;
  g_list_model_items_changed (G_LIST_MODEL (self), old_start, old_end - old_start,
                              new_end - new_start);
  g_ptr_array_unref (old);
}

static void
merge_rows (BackupsQueryModel *self, GPtrArray *rows)
{
  g_autoptr (GArray) runs = g_array_new (FALSE, FALSE, sizeof (Run));
  int shift = 0;

  if (!find_runs (self->kind, self->items, rows, runs))
    {
      const Run *first = &g_array_index (runs, Run, 0);

      merge_span (self, rows, first->old_start, first->new_start);
      return;
    }

  /* Each run is applied and announced before the next, so a handler that
   * reads the model during items-changed sees a consistent list. Runs
   * come front to back; `shift` maps old positions to current ones. */
  for (guint k = 0; k < runs->len; k++)
    {
      const Run *run = &g_array_index (runs, Run, k);
      guint      pos = (guint)((int)run->old_start + shift);

      splice_items (self->items, pos, run->n_removed, &rows->pdata[run->new_start], run->n_added);
      shift += (int)run->n_added - (int)run->n_removed;
      g_list_model_items_changed (G_LIST_MODEL (self), pos, run->n_removed, run->n_added);
    }
}

static void
set_loading (BackupsQueryModel *self, gboolean loading)
{
  loading = !!loading;
  if (self->loading == loading)
    return;

  self->loading = loading;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
}

static void
query_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  QueryRequest *request = task_data;
  g_autoptr (QueryResult) result = g_new0 (QueryResult, 1);
  g_autoptr (GError) error = NULL;

  if (request->kind == BACKUPS_QUERY_SCHEDULES)
    result->rows = backups_store_query_schedules (request->store, request->org_id, &error);
  else
    result->rows = backups_store_query_integrations (request->store, request->org_id, &error);

  if (result->rows == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  /* Only an empty result can mean "not loaded yet". */
  if (result->rows->len == 0)
    {
      result->first_sync_pending
        = backups_store_org_first_sync_pending (request->store, request->org_id, &error);
      if (error != NULL)
        {
          g_task_return_error (task, g_steal_pointer (&error));
          return;
        }
    }

  g_task_return_pointer (task, g_steal_pointer (&result), (GDestroyNotify)query_result_free);
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
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        g_message ("Could not query the store: %s", error->message);
      /* Keep the rows we have, but do not spin forever. */
      self->has_result = TRUE;
      set_loading (self, FALSE);
    }
  else
    {
      if (self->has_result)
        merge_rows (self, result->rows);
      else
        replace_all (self, result->rows);

      self->has_result = TRUE;
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
   * of changes that came in meanwhile. */
  if (self->in_flight)
    {
      self->dirty = TRUE;
      return;
    }

  self->in_flight = TRUE;
  self->dirty = FALSE;

  request = g_new0 (QueryRequest, 1);
  request->store = g_object_ref (self->store);
  request->kind = self->kind;
  request->org_id = self->org_id;
  request->generation = self->generation;

  task = g_task_new (self, self->cancellable, query_done_cb, NULL);
  g_task_set_source_tag (task, backups_query_model_start_query);
  g_task_set_task_data (task, request, (GDestroyNotify)query_request_free);
  g_task_run_in_thread (task, query_thread);
}

static void
store_changed_cb (BackupsQueryModel *self)
{
  backups_query_model_start_query (self);
}

static void
backups_query_model_constructed (GObject *object)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  G_OBJECT_CLASS (backups_query_model_parent_class)->constructed (object);

  g_return_if_fail (BACKUPS_IS_STORE (self->store));

  self->store_changed_id
    = g_signal_connect_swapped (self->store, "changed", G_CALLBACK (store_changed_cb), self);
}

static void
backups_query_model_dispose (GObject *object)
{
  BackupsQueryModel *self = BACKUPS_QUERY_MODEL (object);

  g_cancellable_cancel (self->cancellable);
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
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0,
                                                G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_query_model_init (BackupsQueryModel *self)
{
  self->items = g_ptr_array_new_with_free_func (g_object_unref);
  self->cancellable = g_cancellable_new ();
}

BackupsQueryModel *
backups_query_model_new (BackupsStore *store, BackupsQueryKind kind)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);

  return g_object_new (BACKUPS_TYPE_QUERY_MODEL, "store", store, "kind", kind, NULL);
}

BackupsQueryKind
backups_query_model_get_kind (BackupsQueryModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_QUERY_MODEL (self), BACKUPS_QUERY_SCHEDULES);

  return self->kind;
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
  self->org_id = org_id;
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_ID]);

  if (org_id == 0)
    {
      g_autoptr (GPtrArray) none = g_ptr_array_new_with_free_func (g_object_unref);
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
