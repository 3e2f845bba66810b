/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-query-model-private.h: what the live model needs of each kind of
 * row it keeps (backups-query-model-rows.c), and the model's use of them
 * (backups-query-model.c).
 */
#pragma once

#include "backups-query-model.h"
#include "backups-store.h"

G_BEGIN_DECLS

typedef struct
{
  GType (*item_type) (void);
  /* In a worker: appends the org's rows, or with `keys` those of them, to
   * `rows`. */
  gboolean (*read) (
    BackupsStore *store, gint64 org_id, GArray *keys, GPtrArray *rows, GError **error);
  /* In a worker, optional: appends the org's first `n` rows in the model's
   * order, quickly. */
  gboolean (*read_first) (
    BackupsStore *store, gint64 org_id, guint n, GPtrArray *rows, GError **error);
  int (*compare) (gconstpointer a, gconstpointer b); /* the model's order */
  gboolean (*equal) (gconstpointer a, gconstpointer b);
  void (*get_key) (gconstpointer row, gint64 *account_id, gint64 *remote_id);
  gpointer (*get_item) (gpointer row); /* a new reference to the row's object */
  gpointer (*ref) (gpointer row);
  void (*unref) (gpointer row);
  gboolean keyed; /* the store's change hints name these rows */
  /* Optional, for a kind whose reads take the model's parameters
   * (backups_query_model_set_params(): the sites' policy). In a worker,
   * instead of `read`: the whole org's rows; `params` may be NULL. */
  gboolean (*read_with_params) (
    BackupsStore *store, gint64 org_id, gconstpointer params, GPtrArray *rows, GError **error);
  gpointer (*params_copy) (gconstpointer params);
  void (*params_free) (gpointer params);
} BackupsQueryRowClass;

/* Schedules are many: packed rows with interned strings, their objects
 * made on demand. Integrations are few: kept as the objects. */
extern const BackupsQueryRowClass backups_query_schedule_rows;
extern const BackupsQueryRowClass backups_query_integration_rows;
/* Sites: kept as BackupsSite objects (backups-query-model-sites.c). */
extern const BackupsQueryRowClass backups_query_site_rows;

/* A copy of `params` goes with each query from now on, and the query runs
 * again at once (see read_with_params). */
void backups_query_model_set_params (BackupsQueryModel *self, gconstpointer params);
/* The rows shown, in order (borrowed; the row class's rows). */
GPtrArray *backups_query_model_peek_rows (BackupsQueryModel *self);

G_END_DECLS
