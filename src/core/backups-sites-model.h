/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sites-model.h
 *
 * The Sites page's list: a live GListModel of BackupsSite, one item per
 * site of `/site` of one organization (sites without any schedule too),
 * each with its health and findings under a policy.
 *
 * - Live: built on BackupsQueryModel (kind BACKUPS_QUERY_SITES). The
 *   organization is read and judged in a worker thread whenever the store
 *   changes (a sync, another process's commit) or the policy changes, and
 *   items-changed is emitted only for the sites whose row changed (its
 *   health, findings, schedules, names…); an unchanged site keeps its
 *   object. The large-list reveal and `loading` work as described in
 *   backups-query-model.h.
 * - Order: health worst first (Unprotected, Unknown, At risk, Protected:
 *   the order of BackupsHealth), then site URL (ASCII case ignored), then
 *   (account id, site id). A view sorted "by health, worst first" has
 *   nothing to sort at start.
 * - Counts: `n-protected`, `n-at-risk`, `n-unprotected`, `n-unknown` are
 *   the rows of each health among the items; each is notified when it
 *   changes, after the items-changed that changed it (so a handler of
 *   items-changed already reads the new counts).
 * - Policy: `policy` (a BackupsPolicy); setting one that differs re-judges
 *   the organization at once, without a sync. backups_sites_model_follow_settings()
 *   keeps it equal to GSettings' four policy keys.
 *
 * Typical use in the window:
 *
 *   model = backups_sites_model_new (store);
 *   backups_sites_model_follow_settings (model, settings);
 *   backups_sites_model_set_org_id (model, org_id);
 *   g_object_bind_property (model, "n-at-risk", label, ...);
 */
#pragma once

#include <gio/gio.h>

#include "backups-health.h"
#include "backups-policy.h"
#include "backups-site.h"
#include "backups-store-sites.h"
#include "backups-store.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SITES_MODEL (backups_sites_model_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSitesModel, backups_sites_model, BACKUPS, SITES_MODEL, GObject)

/* With the policy's defaults until one is set. */
BackupsSitesModel *backups_sites_model_new (BackupsStore *store);

/* Every organization's sites, each naming its own (the All Organizations
 * view): pass it as the org id. */
#define BACKUPS_SITES_MODEL_ALL_ORGS BACKUPS_STORE_ALL_ORGS

/* 0 = no organization: the model is empty and not loading. */
void   backups_sites_model_set_org_id (BackupsSitesModel *self, gint64 org_id);
gint64 backups_sites_model_get_org_id (BackupsSitesModel *self);

void backups_sites_model_set_policy (BackupsSitesModel *self, const BackupsPolicy *policy);
const BackupsPolicy *backups_sites_model_get_policy (BackupsSitesModel *self);
/* Takes the policy from `settings` (schema org.example.Backups) now and
 * whenever one of its policy keys changes. */
void backups_sites_model_follow_settings (BackupsSitesModel *self, GSettings *settings);

/* How many items have `health`. */
guint backups_sites_model_get_n_health (BackupsSitesModel *self, BackupsHealth health);
/* TRUE only while the model has no result yet for its organization. */
gboolean backups_sites_model_get_loading (BackupsSitesModel *self);
/* Reads and judges again now (the store's ::changed does this by itself). */
void backups_sites_model_refresh (BackupsSitesModel *self);

G_END_DECLS
