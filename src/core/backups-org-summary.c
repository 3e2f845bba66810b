/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-org-summary.c
 *
 * The reads use the store's "any thread" calls, each on a connection of
 * its own, so a worker can make them while the main thread draws.
 */
#include "config.h"

#include "backups-org-summary.h"

BackupsOrgSummary *
backups_org_summary_load (BackupsStore *store, gint64 org_id)
{
  g_autoptr (GError) error = NULL;
  BackupsOrgSummary *summary;

  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);

  summary = g_new0 (BackupsOrgSummary, 1);
  summary->serial = backups_store_get_change_serial (store);
  summary->orgs = backups_store_list_orgs (store, &error);
  if (summary->orgs == NULL)
    g_debug ("Could not list organizations: %s", error->message);
  g_clear_error (&error);

  summary->org_id = org_id;
  if (org_id != 0)
    summary->accounts = backups_store_list_accounts (store, org_id, &error);
  if (error != NULL)
    g_debug ("Could not list accounts: %s", error->message);
  if (summary->accounts == NULL)
    summary->accounts = g_ptr_array_new_with_free_func (g_object_unref);

  g_clear_error (&error);
  if (org_id != 0)
    summary->last_synced = backups_store_org_last_synced (store, org_id, &error);
  if (error != NULL)
    {
      g_debug ("Could not read the last sync time: %s", error->message);
      summary->last_synced = 0;
    }

  return summary;
}

static void
load_in_thread (GTask *task, gpointer source, gpointer task_data, GCancellable *cancellable)
{
  gint64 org_id = *(gint64 *)task_data;

  g_task_return_pointer (task, backups_org_summary_load (BACKUPS_STORE (source), org_id),
                         (GDestroyNotify)backups_org_summary_free);
}

void
backups_org_summary_load_async (BackupsStore       *store,
                                gint64              org_id,
                                GCancellable       *cancellable,
                                GAsyncReadyCallback callback,
                                gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;

  g_return_if_fail (BACKUPS_IS_STORE (store));
  g_return_if_fail (cancellable == NULL || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (store, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_org_summary_load_async);
  g_task_set_return_on_cancel (task, TRUE);
  g_task_set_task_data (task, g_memdup2 (&org_id, sizeof org_id), g_free);
  g_task_run_in_thread (task, load_in_thread);
}

BackupsOrgSummary *
backups_org_summary_load_finish (BackupsStore *store, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);
  g_return_val_if_fail (g_task_is_valid (result, store), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == backups_org_summary_load_async,
                        NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

void
backups_org_summary_free (BackupsOrgSummary *summary)
{
  if (summary == NULL)
    return;

  g_clear_pointer (&summary->orgs, g_ptr_array_unref);
  g_clear_pointer (&summary->accounts, g_ptr_array_unref);
  g_free (summary);
}
