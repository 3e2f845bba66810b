/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-query-model-sites.c: the live model's rows of the Sites page.
 * A site's health depends on the policy and on its server's other sites,
 * so the whole organization is read and judged again on every change (no
 * keyed reads); the model's walk then announces only the rows that differ.
 * The rows are the BackupsSite objects themselves.
 */
#include "backups-query-model-private.h"

#include "backups-policy.h"
#include "backups-site.h"
#include "backups-store-sites.h"

static void
add_site_row (BackupsSiteFields *fields, gpointer user_data)
{
  g_ptr_array_add (user_data, backups_site_new_take (fields));
}

static gboolean
read_site_rows (
  BackupsStore *store, gint64 org_id, gconstpointer params, GPtrArray *rows, GError **error)
{
  g_autoptr (BackupsPolicy) defaults = NULL;

  if (params == NULL)
    params = defaults = backups_policy_new_default ();
  return backups_store_foreach_site (store, org_id, params, add_site_row, rows, error);
}

static gboolean
read_site_rows_without_policy (
  BackupsStore *store, gint64 org_id, GArray *keys, GPtrArray *rows, GError **error)
{
  g_assert (keys == NULL);
  return read_site_rows (store, org_id, NULL, rows, error);
}

static int
compare_site_rows (gconstpointer a, gconstpointer b)
{
  return backups_site_compare ((BackupsSite *)a, (BackupsSite *)b);
}

static gboolean
site_rows_equal (gconstpointer a, gconstpointer b)
{
  return backups_site_equal ((BackupsSite *)a, (BackupsSite *)b);
}

static void
get_site_key (gconstpointer row, gint64 *account_id, gint64 *remote_id)
{
  *account_id = backups_site_get_account_id ((BackupsSite *)row);
  *remote_id = backups_site_get_site_id ((BackupsSite *)row);
}

static gpointer
copy_policy (gconstpointer policy)
{
  return backups_policy_copy (policy);
}

const BackupsQueryRowClass backups_query_site_rows = {
  .item_type = backups_site_get_type,
  .read = read_site_rows_without_policy,
  .compare = compare_site_rows,
  .equal = site_rows_equal,
  .get_key = get_site_key,
  .get_item = g_object_ref,
  .ref = g_object_ref,
  .unref = g_object_unref,
  .read_with_params = read_site_rows,
  .params_copy = copy_policy,
  .params_free = (GDestroyNotify)backups_policy_free,
};
