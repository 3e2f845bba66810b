/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-staged-model.c
 *
 * While staging, `shown` holds the rows the view has: the model's first
 * VIEW_ROWS rows when hold() was called (the rows past them are
 * announced as removed: they have no widgets). Each step compares them
 * with the model's first VIEW_ROWS rows and announces rows removed or
 * added, the first differences first, a few at a time, until it has
 * spent STEP_TIME_US or moved STEP_ROWS rows. The model's rows
 * keep their order whatever the filter, so a row in both lists stays
 * where it is and keeps its widgets (and its selection).
 */
#include "config.h"

#include "backups-staged-model.h"

/* GTK 4.8's list views build the widgets of 200 rows around their
 * anchor: with the view at its top, the first 200. Staging no more than
 * those, removing a row never brings one from below into that range (a
 * row built only to be removed a step later: with 256 rows staged, the
 * steps after a new word took 5-7 ms for 8 rows). The rows past them
 * follow in one emission at the end, building at most the few on screen
 * past 200. */
#define VIEW_ROWS 200
/* A row built or destroyed (nine text cells) takes GTK about 0.2 ms, and
 * its layout and paint in the next frame about as much again; the frame
 * also repaints the whole list (7 ms or more in software). A step stops
 * after STEP_TIME_US or STEP_ROWS rows, so that neither it nor the frame
 * after it stalls the main loop for a frame. */
#define STEP_TIME_US 4000
#define STEP_ROWS 24
/* Rows announced in one emission (each costs GTK a pass over the rows
 * after it). */
#define EMISSION_ROWS 8
/* About a frame, so each step's rows get a frame of their own. */
#define STEP_INTERVAL_MS 16

struct _BackupsStagedModel
{
  GObject parent_instance;

  GListModel *model;
  /* NULL when the model's rows pass through. */
  GPtrArray *shown;
  /* The model's first rows at the last step: held so that the next step
   * reads the same objects again instead of building them anew. */
  GPtrArray *target;
  gboolean   held;
  guint      step_id;
};

static void backups_staged_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BackupsStagedModel,
                               backups_staged_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      backups_staged_model_list_model_init))

enum
{
  PROP_0,
  PROP_MODEL,
  PROP_PENDING,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static GType
backups_staged_model_get_item_type (GListModel *list)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (list);

  return self->model != NULL ? g_list_model_get_item_type (self->model) : G_TYPE_OBJECT;
}

static guint
model_n_items (BackupsStagedModel *self)
{
  return self->model != NULL ? g_list_model_get_n_items (self->model) : 0;
}

static guint
backups_staged_model_get_n_items (GListModel *list)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (list);

  return self->shown != NULL ? self->shown->len : model_n_items (self);
}

static gpointer
backups_staged_model_get_item (GListModel *list, guint position)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (list);

  if (self->shown == NULL)
    return self->model != NULL ? g_list_model_get_item (self->model, position) : NULL;
  if (position >= self->shown->len)
    return NULL;
  return g_object_ref (g_ptr_array_index (self->shown, position));
}

static void
backups_staged_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = backups_staged_model_get_item_type;
  iface->get_n_items = backups_staged_model_get_n_items;
  iface->get_item = backups_staged_model_get_item;
}

static void
model_items_changed_cb (BackupsStagedModel *self, guint position, guint removed, guint added)
{
  /* While staging, each step reads the model afresh. */
  if (self->shown == NULL)
    g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static GPtrArray *
first_rows (GListModel *model, guint n)
{
  GPtrArray *rows = g_ptr_array_new_full (n, g_object_unref);

  for (guint i = 0; i < n; i++)
    g_ptr_array_add (rows, g_list_model_get_item (model, i));
  return rows;
}

static GHashTable *
row_set (GPtrArray *rows)
{
  GHashTable *set = g_hash_table_new (NULL, NULL);

  for (guint i = 0; i < rows->len; i++)
    g_hash_table_add (set, rows->pdata[i]);
  return set;
}

/* Replaces `removed` shown rows at `position` with `added` rows of
 * `target` from the same position, and announces it. */
static void
replace_rows (BackupsStagedModel *self,
              GHashTable         *shown_set,
              GPtrArray          *target,
              guint               position,
              guint               removed,
              guint               added)
{
  for (guint i = 0; i < removed; i++)
    g_hash_table_remove (shown_set, self->shown->pdata[position + i]);
  g_ptr_array_remove_range (self->shown, position, removed);
  for (guint i = 0; i < added; i++)
    {
      gpointer row = target->pdata[position + i];

      g_ptr_array_insert (self->shown, position + i, g_object_ref (row));
      g_hash_table_add (shown_set, row);
    }
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
}

static void
stop_steps (BackupsStagedModel *self)
{
  g_clear_handle_id (&self->step_id, g_source_remove);
}

/* One step; FALSE once the rows shown are the model's. */
static gboolean
step (BackupsStagedModel *self)
{
  guint      n_model = model_n_items (self);
  GPtrArray *target = first_rows (self->model, MIN (n_model, VIEW_ROWS));
  g_autoptr (GHashTable) target_set = row_set (target);
  g_autoptr (GHashTable) shown_set = row_set (self->shown);
  gint64   deadline = g_get_monotonic_time () + STEP_TIME_US;
  guint    budget = STEP_ROWS;
  guint    position = 0;
  guint    n_shown;
  gboolean done;

  while (budget > 0 && g_get_monotonic_time () < deadline)
    {
      guint      most = MIN (budget, EMISSION_ROWS);
      GPtrArray *shown = self->shown;
      guint      removed = 0, added = 0;

      while (position < shown->len && position < target->len
             && shown->pdata[position] == target->pdata[position])
        position++;
      if (position >= shown->len && position >= target->len)
        break;

      /* Rows gone from the top, then rows new to it, at this position. */
      while (position + removed < shown->len && removed < most
             && !g_hash_table_contains (target_set, shown->pdata[position + removed]))
        removed++;
      while (position + added < target->len && removed + added < most
             && !g_hash_table_contains (shown_set, target->pdata[position + added]))
        added++;
      /* Both lists have both rows, in another order (the sort changed):
       * the row shown goes, to come back where it now belongs. */
      if (removed == 0 && added == 0)
        removed = 1;

      replace_rows (self, shown_set, target, position, removed, added);
      position += added;
      budget -= MIN (budget, removed + added);
    }

  g_clear_pointer (&self->target, g_ptr_array_unref);
  self->target = target;
  done = self->shown->len == target->len;
  for (guint i = 0; done && i < target->len; i++)
    done = self->shown->pdata[i] == target->pdata[i];
  if (!done)
    return TRUE;

  /* The rest: rows past the view's, which build no widgets. */
  n_shown = self->shown->len;
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->target, g_ptr_array_unref);
  if (n_model > n_shown)
    g_list_model_items_changed (G_LIST_MODEL (self), n_shown, 0, n_model - n_shown);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
  return FALSE;
}

static gboolean
step_cb (gpointer user_data)
{
  BackupsStagedModel *self = user_data;
  if (step (self))
    return G_SOURCE_CONTINUE;
  self->step_id = 0;
  return G_SOURCE_REMOVE;
}

static void
backups_staged_model_dispose (GObject *object)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (object);

  stop_steps (self);
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_clear_object (&self->model);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->target, g_ptr_array_unref);

  G_OBJECT_CLASS (backups_staged_model_parent_class)->dispose (object);
}

static void
backups_staged_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      g_value_set_object (value, self->model);
      break;
    case PROP_PENDING:
      g_value_set_boolean (value, backups_staged_model_get_pending (self));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_staged_model_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BackupsStagedModel *self = BACKUPS_STAGED_MODEL (object);

  switch (prop_id)
    {
    case PROP_MODEL:
      backups_staged_model_set_model (self, g_value_get_object (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_staged_model_class_init (BackupsStagedModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = backups_staged_model_dispose;
  object_class->get_property = backups_staged_model_get_property;
  object_class->set_property = backups_staged_model_set_property;

  properties[PROP_MODEL]
    = g_param_spec_object ("model", NULL, NULL, G_TYPE_LIST_MODEL,
                           G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PENDING] = g_param_spec_boolean ("pending", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_staged_model_init (BackupsStagedModel *self)
{
}

BackupsStagedModel *
backups_staged_model_new (GListModel *model)
{
  g_return_val_if_fail (model == NULL || G_IS_LIST_MODEL (model), NULL);

  return g_object_new (BACKUPS_TYPE_STAGED_MODEL, "model", model, NULL);
}

GListModel *
backups_staged_model_get_model (BackupsStagedModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_STAGED_MODEL (self), NULL);

  return self->model;
}

void
backups_staged_model_set_model (BackupsStagedModel *self, GListModel *model)
{
  guint old_n;

  g_return_if_fail (BACKUPS_IS_STAGED_MODEL (self));
  g_return_if_fail (model == NULL || G_IS_LIST_MODEL (model));

  if (self->model == model)
    return;

  old_n = backups_staged_model_get_n_items (G_LIST_MODEL (self));
  stop_steps (self);
  g_clear_pointer (&self->shown, g_ptr_array_unref);
  g_clear_pointer (&self->target, g_ptr_array_unref);
  self->held = FALSE;
  if (self->model != NULL)
    g_signal_handlers_disconnect_by_data (self->model, self);
  g_set_object (&self->model, model);
  if (model != NULL)
    g_signal_connect_swapped (model, "items-changed", G_CALLBACK (model_items_changed_cb), self);

  g_list_model_items_changed (G_LIST_MODEL (self), 0, old_n, model_n_items (self));
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_MODEL]);
}

void
backups_staged_model_hold (BackupsStagedModel *self)
{
  g_return_if_fail (BACKUPS_IS_STAGED_MODEL (self));

  self->held = TRUE;
  stop_steps (self);
  if (self->shown != NULL || self->model == NULL)
    return;

  {
    guint n = model_n_items (self);

    self->shown = first_rows (self->model, MIN (n, VIEW_ROWS));
    if (n > self->shown->len)
      g_list_model_items_changed (G_LIST_MODEL (self), self->shown->len, n - self->shown->len, 0);
  }
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_PENDING]);
}

void
backups_staged_model_release (BackupsStagedModel *self)
{
  g_return_if_fail (BACKUPS_IS_STAGED_MODEL (self));

  if (!self->held)
    return;
  self->held = FALSE;
  if (self->shown == NULL || self->step_id != 0)
    return;

  /* Not at once: the model may have settled in an idle step of its own,
   * which the first step would make longer. */
  self->step_id = g_timeout_add (STEP_INTERVAL_MS, step_cb, self);
}

gboolean
backups_staged_model_get_pending (BackupsStagedModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_STAGED_MODEL (self), FALSE);

  return self->shown != NULL;
}
