/* backups-query-model.h
 *
 * A live GListModel over one store query for one organization. It re-runs
 * the query in a worker thread whenever the store changes and emits
 * items-changed only for the rows that changed.
 */
#pragma once

#include <gio/gio.h>

#include "backups-store.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_QUERY_MODEL (backups_query_model_get_type ())

G_DECLARE_FINAL_TYPE (BackupsQueryModel, backups_query_model, BACKUPS, QUERY_MODEL, GObject)

typedef enum
{
  BACKUPS_QUERY_SCHEDULES,    /* items are BackupsSchedule */
  BACKUPS_QUERY_INTEGRATIONS, /* items are BackupsIntegration */
} BackupsQueryKind;

#define BACKUPS_TYPE_QUERY_KIND (backups_query_kind_get_type ())
GType backups_query_kind_get_type (void);

BackupsQueryModel *backups_query_model_new (BackupsStore *store, BackupsQueryKind kind);
BackupsQueryKind   backups_query_model_get_kind (BackupsQueryModel *self);
/* 0 = no organization: the model is empty and not loading. */
void   backups_query_model_set_org_id (BackupsQueryModel *self, gint64 org_id);
gint64 backups_query_model_get_org_id (BackupsQueryModel *self);
/* TRUE only while the model has no result yet for its organization. */
gboolean backups_query_model_get_loading (BackupsQueryModel *self);
/* Re-runs the query now (the store's ::changed does this by itself). */
void backups_query_model_refresh (BackupsQueryModel *self);

G_END_DECLS
