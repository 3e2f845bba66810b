/* backupsctl-sync.c: `backupsctl sync`, for people and for cron. */
#include "config.h"

#include <glib-unix.h>
#include <glib/gi18n.h>
#include <signal.h>
#include <stdio.h>
#include <string.h>

#include "backups-gridpane-provider.h"
#include "backups-secrets.h"
#include "backups-sync-service.h"
#include "backupsctl-private.h"

typedef struct
{
  Backupsctl         *cli;
  BackupsSyncService *service;
  GMainLoop          *loop;
  guint               pending;
  guint               n_failed;
  gboolean            interrupted;
} SyncRun;

/* One account being synced, with the rows it had before, so the summary
 * can say what the sync inserted, updated and deleted. */
typedef struct
{
  SyncRun        *run;
  BackupsOrg     *org;
  BackupsAccount *account;
  GHashTable     *schedules_before;    /* gint64 * → BackupsSchedule */
  GHashTable     *integrations_before; /* gint64 * → BackupsIntegration */
} SyncItem;

static void
sync_item_free (SyncItem *item)
{
  g_clear_object (&item->org);
  g_clear_object (&item->account);
  g_clear_pointer (&item->schedules_before, g_hash_table_unref);
  g_clear_pointer (&item->integrations_before, g_hash_table_unref);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncItem, sync_item_free)

typedef struct
{
  guint inserted;
  guint updated;
  guint deleted;
  guint total;
} RowChanges;

static GHashTable *
row_table_new (void)
{
  return g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_object_unref);
}

static void
row_table_add (GHashTable *table, gint64 id, gpointer row)
{
  g_hash_table_insert (table, g_memdup2 (&id, sizeof id), g_object_ref (row));
}

/* Fills the item's "before" tables from rows of its whole organization. */
static void
sync_item_remember (SyncItem *item, GPtrArray *schedules, GPtrArray *integrations)
{
  gint64 account_id = backups_account_get_id (item->account);

  item->schedules_before = row_table_new ();
  item->integrations_before = row_table_new ();

  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsSchedule *schedule = g_ptr_array_index (schedules, i);

      if (backups_schedule_get_account_id (schedule) == account_id)
        row_table_add (item->schedules_before, backups_schedule_get_schedule_id (schedule),
                       schedule);
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      BackupsIntegration *integration = g_ptr_array_index (integrations, i);

      if (backups_integration_get_account_id (integration) == account_id)
        row_table_add (item->integrations_before,
                       backups_integration_get_integration_id (integration), integration);
    }
}

/* Compares the rows the account has now with those it had before. Each
 * matched row leaves `before`, so what remains there was deleted. */
static gboolean
sync_item_count_changes (SyncItem *item, RowChanges *changes, GError **error)
{
  BackupsStore *store = item->run->cli->store;
  gint64        org_id = backups_org_get_id (item->org);
  gint64        account_id = backups_account_get_id (item->account);
  g_autoptr (GPtrArray) schedules = NULL;
  g_autoptr (GPtrArray) integrations = NULL;

  schedules = backups_store_query_schedules (store, org_id, error);
  if (schedules == NULL)
    return FALSE;
  integrations = backups_store_query_integrations (store, org_id, error);
  if (integrations == NULL)
    return FALSE;

  for (guint i = 0; i < schedules->len; i++)
    {
      BackupsSchedule *schedule = g_ptr_array_index (schedules, i);
      gint64           id = backups_schedule_get_schedule_id (schedule);
      BackupsSchedule *old;

      if (backups_schedule_get_account_id (schedule) != account_id)
        continue;

      changes->total++;
      old = g_hash_table_lookup (item->schedules_before, &id);
      if (old == NULL)
        changes->inserted++;
      else if (!backups_schedule_equal (old, schedule))
        changes->updated++;
      g_hash_table_remove (item->schedules_before, &id);
    }

  for (guint i = 0; i < integrations->len; i++)
    {
      BackupsIntegration *integration = g_ptr_array_index (integrations, i);
      gint64              id = backups_integration_get_integration_id (integration);
      BackupsIntegration *old;

      if (backups_integration_get_account_id (integration) != account_id)
        continue;

      changes->total++;
      old = g_hash_table_lookup (item->integrations_before, &id);
      if (old == NULL)
        changes->inserted++;
      else if (!backups_integration_equal (old, integration))
        changes->updated++;
      g_hash_table_remove (item->integrations_before, &id);
    }

  changes->deleted
    = g_hash_table_size (item->schedules_before) + g_hash_table_size (item->integrations_before);
  return TRUE;
}

static void
report_failure (SyncItem *item, const GError *error)
{
  const char *account_name = backups_account_get_name (item->account);

  /* The sync service's messages name the account; make sure every one does,
   * since cron mails only this line. */
  if (strstr (error->message, account_name) != NULL)
    g_printerr ("backupsctl: %s\n", error->message);
  else
    {
      g_printerr ("backupsctl: ");
      g_printerr (_ ("Account “%s” of “%s”: %s"), account_name, backups_org_get_name (item->org),
                  error->message);
      g_printerr ("\n");
    }
}

static void
on_account_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SyncItem) item = user_data;
  g_autoptr (GError) error = NULL;
  SyncRun   *run = item->run;
  RowChanges changes = { 0 };

  if (!backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (source), result, &error))
    {
      run->n_failed++;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_failure (item, error);
    }
  else if (!sync_item_count_changes (item, &changes, &error))
    {
      run->n_failed++;
      report_failure (item, error);
    }
  else
    {
      printf (_ ("%s / %s: %u inserted, %u updated, %u deleted (%u schedules and integrations)\n"),
              backups_org_get_name (item->org), backups_account_get_name (item->account),
              changes.inserted, changes.updated, changes.deleted, changes.total);
      fflush (stdout);
    }

  if (--run->pending == 0)
    g_main_loop_quit (run->loop);
}

static gboolean
on_interrupt (gpointer user_data)
{
  SyncRun *run = user_data;

  /* Cancelled syncs write nothing; the loop ends once each reports back. */
  run->interrupted = TRUE;
  backups_sync_service_cancel_all (run->service);
  return G_SOURCE_CONTINUE;
}

/* Collects the accounts to sync, each with its rows before the sync. */
static GPtrArray *
collect_items (SyncRun *run, GPtrArray *orgs, const char *account_name, GError **error)
{
  BackupsStore *store = run->cli->store;
  g_autoptr (GPtrArray) items = g_ptr_array_new_with_free_func ((GDestroyNotify)sync_item_free);

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      gint64      org_id = backups_org_get_id (org);
      g_autoptr (GPtrArray) accounts = NULL;
      g_autoptr (GPtrArray) schedules = NULL;
      g_autoptr (GPtrArray) integrations = NULL;

      if (account_name != NULL)
        {
          BackupsAccount *account = backups_store_find_account (store, org_id, account_name, error);

          if (account == NULL)
            return NULL;
          accounts = g_ptr_array_new_with_free_func (g_object_unref);
          g_ptr_array_add (accounts, account);
        }
      else
        {
          accounts = backups_store_list_accounts (store, org_id, error);
          if (accounts == NULL)
            return NULL;
        }

      if (accounts->len == 0)
        continue;

      schedules = backups_store_query_schedules (store, org_id, error);
      if (schedules == NULL)
        return NULL;
      integrations = backups_store_query_integrations (store, org_id, error);
      if (integrations == NULL)
        return NULL;

      for (guint j = 0; j < accounts->len; j++)
        {
          SyncItem *item = g_new0 (SyncItem, 1);

          item->run = run;
          item->org = g_object_ref (org);
          item->account = g_object_ref (g_ptr_array_index (accounts, j));
          sync_item_remember (item, schedules, integrations);
          g_ptr_array_add (items, item);
        }
    }

  return g_steal_pointer (&items);
}

int
backupsctl_cmd_sync (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  g_autofree char *account_name = NULL;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name,
          N_ ("Only this organization (default: every organization)"), N_ ("ORG") },
        { "account", 0, 0, G_OPTION_ARG_STRING, &account_name, N_ ("Only this account"), N_ ("NAME") },
        G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_autoptr (GPtrArray) items = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (BackupsSyncService) service = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_auto (GStrv) args = NULL;
  SyncRun run = { 0 };
  guint   sigint_id;
  guint   sigterm_id;
  int     status;

  if (!backupsctl_parse_options (
        cli, entries,
        _ ("Fetch fresh data from GridPane. Accounts sync in parallel; one that fails leaves\n"
           "its previous data as it was and makes the exit status 1."),
        argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);

  if (account_name != NULL)
    {
      /* An account name means something only inside one organization. */
      BackupsOrg *org = backupsctl_resolve_single_org (cli, org_name, &status);

      if (org == NULL)
        return status;
      orgs = g_ptr_array_new_with_free_func (g_object_unref);
      g_ptr_array_add (orgs, org);
    }
  else
    {
      orgs = backupsctl_resolve_orgs (cli, org_name, &error);
      if (orgs == NULL)
        return backupsctl_fail (cli, "%s", error->message);
    }

  run.cli = cli;
  items = collect_items (&run, orgs, account_name, &error);
  if (items == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  if (items->len == 0)
    {
      printf ("%s\n", _ ("No accounts to sync. Add one with “backupsctl account add”."));
      return BACKUPSCTL_EXIT_OK;
    }

  secrets = backups_secrets_new_keyring ();
  service = backups_sync_service_new (cli->store, secrets, backups_gridpane_provider_factory, NULL);
  loop = g_main_loop_new (NULL, FALSE);
  run.service = service;
  run.loop = loop;
  run.pending = items->len;

  sigint_id = g_unix_signal_add (SIGINT, on_interrupt, &run);
  sigterm_id = g_unix_signal_add (SIGTERM, on_interrupt, &run);

  /* Each item goes to its callback, which frees it. */
  for (guint i = 0; i < items->len; i++)
    {
      SyncItem *item = g_ptr_array_index (items, i);

      backups_sync_service_sync_account_async (service, backups_account_get_id (item->account),
                                               NULL, on_account_synced, item);
    }
  g_ptr_array_set_free_func (items, NULL);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);

  if (run.interrupted)
    {
      g_printerr ("backupsctl: %s\n",
                  _ ("Interrupted. Accounts that had not finished keep their previous data."));
      return BACKUPSCTL_EXIT_FAILED;
    }

  return run.n_failed > 0 ? BACKUPSCTL_EXIT_FAILED : BACKUPSCTL_EXIT_OK;
}
