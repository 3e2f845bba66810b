/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-query-model-sites.c: the live model's rows of the Sites page.
 * A site's health depends on the policy and on its server's other sites,
 * so the whole organization is read and judged again on every change (no
 * keyed reads); the model's walk then announces only the rows that differ.
 * The rows are the BackupsSite objects themselves.
 *
 * A policy change can replace every row of a large organization at once:
 * finalizing 25,000 objects took the main thread 20-30 ms inside one
 * items-changed. A row whose last reference the model drops is therefore
 * finalized in a worker: nothing else can reach an object only the model
 * holds, and a BackupsSite's finalize frees memory only.
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

static GMutex     graveyard_lock;
static GPtrArray *graveyard; /* objects whose last reference the model dropped */

static void
bury_batch (gpointer data, gpointer user_data)
{
  g_ptr_array_unref (data);
}

/* Hands what was dropped meanwhile to a worker. */
static gboolean
flush_graveyard_cb (gpointer data)
{
  static GThreadPool *pool;
  static gsize        initialized;
  GPtrArray          *batch;

  if (g_once_init_enter (&initialized))
    {
      pool = g_thread_pool_new (bury_batch, NULL, 1, FALSE, NULL);
      g_once_init_leave (&initialized, 1);
    }

  g_mutex_lock (&graveyard_lock);
  batch = g_steal_pointer (&graveyard);
  g_mutex_unlock (&graveyard_lock);
  if (batch != NULL)
    g_thread_pool_push (pool, batch, NULL);
  return G_SOURCE_REMOVE;
}

static void
unref_site_row (gpointer row)
{
  GObject *object = row;
  gboolean first;

  if (g_atomic_int_get (&object->ref_count) != 1)
    {
      g_object_unref (object);
      return;
    }

  g_mutex_lock (&graveyard_lock);
  first = graveyard == NULL;
  if (first)
    graveyard = g_ptr_array_new_full (1024, g_object_unref);
  g_ptr_array_add (graveyard, object);
  g_mutex_unlock (&graveyard_lock);

  /* After the emission that dropped them, on the context that runs it. */
  if (first)
    {
      GSource *source = g_idle_source_new ();

      g_source_set_callback (source, flush_graveyard_cb, NULL, NULL);
      g_source_set_static_name (source, "[backups] finalize dropped sites");
      g_source_attach (source, g_main_context_get_thread_default ());
      g_source_unref (source);
    }
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
  .unref = unref_site_row,
  .read_with_params = read_site_rows,
  .params_copy = copy_policy,
  .params_free = (GDestroyNotify)backups_policy_free,
};
