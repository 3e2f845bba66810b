/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-query-model.h
 *
 * A live GListModel over one store query for one organization. It re-runs
 * the query in a worker thread whenever the store changes and emits
 * items-changed only for the rows that changed.
 *
 * Order: schedules by site URL (ASCII case ignored, then bytewise), then
 * by (account_id, schedule id): the order the window opens with, so that
 * its sort model has nothing to do until the user sorts by a column.
 * Integrations by (account_id, integration id).
 *
 * Emissions:
 * - A change of some rows: one items-changed per run of changed rows
 *   (more than 16 runs: one change spanning them, unchanged rows inside it
 *   keeping their objects).
 * - A new list that replaces the whole list (first load, organization
 *   switch, first sync of an empty organization): one
 *   items_changed (0, old, new), except for a list of 256 rows or more.
 *   That one is announced as items_changed (0, old, 12), then appended in
 *   steps of 12 rows about a frame apart up to 256 rows, then the rest in
 *   one emission. (A list view builds the widgets of
 *   its first 200 rows in the emission that announces them; one emission
 *   of 50,000 rows stalled the main loop for 200-400 ms.) Other changes
 *   wait until the list is complete. n-items follows each step.
 * - For a large organization the first 256 rows are read ahead of the
 *   whole result (along an index, in a millisecond or two) and shown at
 *   once, in the steps above; the whole result then continues them.
 *
 * Items are built when asked for: get_item() makes the row's object, and
 * the row keeps giving that same object while anyone holds it.
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
  BACKUPS_QUERY_SITES,        /* items are BackupsSite: see backups-sites-model.h */
} BackupsQueryKind;

#define BACKUPS_TYPE_QUERY_KIND (backups_query_kind_get_type ())
GType backups_query_kind_get_type (void);

BackupsQueryModel *backups_query_model_new (BackupsStore *store, BackupsQueryKind kind);
/* 0 = no organization: the model is empty and not loading. */
void   backups_query_model_set_org_id (BackupsQueryModel *self, gint64 org_id);
gint64 backups_query_model_get_org_id (BackupsQueryModel *self);
/* TRUE only while the model has no result yet for its organization. */
gboolean backups_query_model_get_loading (BackupsQueryModel *self);
/* Re-runs the query now (the store's ::changed does this by itself). */
void backups_query_model_refresh (BackupsQueryModel *self);

G_END_DECLS
