/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-org-summary.h: what the window says about the organization it
 * shows beside its lists (the organizations, the accounts' sync status, the
 * last sync), read
 * in one go, off the main thread when the store changes. */
#pragma once

#include <gio/gio.h>

#include "backups-store.h"

G_BEGIN_DECLS

typedef struct
{
  guint64    serial; /* the store's change serial before the reads */
  GPtrArray *orgs;   /* BackupsOrg, by name; NULL when they could not be read */
  gint64     org_id;
  GPtrArray *accounts;    /* BackupsAccount, by name; empty when they could not be read */
  gint64     last_synced; /* unix seconds; 0 when never or unknown */
} BackupsOrgSummary;

/* Reads the summary of `org_id` (0: none, an empty summary). What cannot
 * be read is left empty and logged. Any thread. */
BackupsOrgSummary *backups_org_summary_load (BackupsStore *store, gint64 org_id);
/* The same in a worker thread. */
void backups_org_summary_load_async (BackupsStore       *store,
                                     gint64              org_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data);
BackupsOrgSummary      *
backups_org_summary_load_finish (BackupsStore *store, GAsyncResult *result, GError **error);
void backups_org_summary_free (BackupsOrgSummary *summary);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsOrgSummary, backups_org_summary_free)

G_END_DECLS
