/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-sites.h: an organization's sites as the Sites page and
 * `backupsctl sites` show them, judged by a policy. */
#pragma once

#include "backups-policy.h"
#include "backups-site.h"
#include "backups-store.h"

G_BEGIN_DECLS

/* An organization id that stands for every organization: their sites one
 * organization after another (by name), each naming its own. Only the
 * sites' reads (and BackupsSitesModel) know it. */
#define BACKUPS_STORE_ALL_ORGS G_MAXINT64

/* Called for each site; it may take the fields' strings and runs (they are
 * released after it returns unless it zeroes them, as
 * backups_site_new_take() does). */
typedef void (*BackupsSiteRowFunc) (BackupsSiteFields *site, gpointer user_data);

/* Every site of `/site` the organization's accounts have (those without a
 * schedule too; `org_id` may be BACKUPS_STORE_ALL_ORGS) with its
 * schedules' summaries, findings and health under `policy`, in (account_id,
 * site id) order, read in one transaction. Any thread; a whole organization
 * of 25,000 sites takes a worker some tens of milliseconds. */
gboolean backups_store_foreach_site (BackupsStore        *self,
                                     gint64               org_id,
                                     const BackupsPolicy *policy,
                                     BackupsSiteRowFunc   func,
                                     gpointer             user_data,
                                     GError             **error);

/* The sites as BackupsSite objects, in the same order. */
GPtrArray *backups_store_query_sites (BackupsStore        *self,
                                      gint64               org_id,
                                      const BackupsPolicy *policy,
                                      GError             **error);

G_END_DECLS
