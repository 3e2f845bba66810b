/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-query-model-private.h: what the live model needs of each kind of
 * row it keeps (backups-query-model-rows.c), and the model's use of them
 * (backups-query-model.c).
 */
#pragma once

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
} BackupsQueryRowClass;

/* Schedules are many: packed rows with interned strings, their objects
 * made on demand. Integrations are few: kept as the objects. */
extern const BackupsQueryRowClass backups_query_schedule_rows;
extern const BackupsQueryRowClass backups_query_integration_rows;

G_END_DECLS
