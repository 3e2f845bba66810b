/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* One account being synced. */
typedef struct
{
  SyncRun        *run;
  BackupsOrg     *org;
  BackupsAccount *account;
} SyncItem;

static void
sync_item_free (SyncItem *item)
{
  g_clear_object (&item->org);
  g_clear_object (&item->account);
  g_free (item);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (SyncItem, sync_item_free)

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

  /* A refused token: how to replace it from here. */
  if (g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED))
    {
      g_printerr ("backupsctl: ");
      g_printerr (_ ("Give it a new token with: backupsctl account set-token --org \"%s\" "
                     "--name \"%s\" --token-stdin"),
                  backups_org_get_name (item->org), account_name);
      g_printerr ("\n");
    }
}

static void
on_account_synced (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (SyncItem) item = user_data;
  g_autoptr (GError) error = NULL;
  SyncRun           *run = item->run;
  BackupsApplyCounts counts = { 0 };

  if (!backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (source), result, &error))
    {
      run->n_failed++;
      if (!g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        report_failure (item, error);
    }
  else if (!backups_store_get_last_sync_counts (
             run->cli->store, backups_account_get_id (item->account), &counts, &error))
    {
      run->n_failed++;
      report_failure (item, error);
    }
  else
    {
      /* Rows of every kind: servers, sites, schedules and integrations. */
      printf (_ ("%s / %s: %u inserted, %u updated, %u deleted, %u unchanged\n"),
              backups_org_get_name (item->org), backups_account_get_name (item->account),
              counts.inserted, counts.updated, counts.deleted, counts.unchanged);
      if (counts.unreadable > 0)
        printf (ngettext ("%s / %s: %u row had values Backups could not read; they show as "
                          "Unknown (see “backupsctl status”)\n",
                          "%s / %s: %u rows had values Backups could not read; they show as "
                          "Unknown (see “backupsctl status”)\n",
                          counts.unreadable),
                backups_org_get_name (item->org), backups_account_get_name (item->account),
                counts.unreadable);
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

/* Collects the accounts to sync. */
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

      for (guint j = 0; j < accounts->len; j++)
        {
          SyncItem *item = g_new0 (SyncItem, 1);

          item->run = run;
          item->org = g_object_ref (org);
          item->account = g_object_ref (g_ptr_array_index (accounts, j));
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

/* repair ------------------------------------------------------------------ */

static void
print_names (const char *heading, GPtrArray *names)
{
  if (names->len == 0)
    return;
  printf ("%s\n", heading);
  for (guint i = 0; i < names->len; i++)
    printf ("  %s\n", (const char *)names->pdata[i]);
}

int
backupsctl_cmd_repair (Backupsctl *cli, int argc, char **argv)
{
  GOptionEntry entries[] = { G_OPTION_ENTRY_NULL };
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) keyring_error = NULL;
  g_autoptr (GPtrArray) owners = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (BackupsRebuildReport) report = NULL;
  g_auto (GStrv) args = NULL;
  char         *sync_argv[] = { (char *)"sync", NULL };
  BackupsStore *store;

  if (!backupsctl_parse_options (
        cli, entries,
        _ ("Rebuild a damaged cache from GridPane: move it aside, keep the organizations and\n"
           "accounts it still holds (and those the keyring knows), then sync. Tokens stay in\n"
           "the keyring."),
        argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;
  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);

  store = backupsctl_open_store (cli, &error);
  if (store == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  /* Without a keyring the accounts still readable are kept; those only
   * the keyring knows cannot be. */
  secrets = backups_secrets_new_keyring ();
  owners = backups_secrets_list_owners (secrets, &keyring_error);
  if (owners == NULL)
    g_printerr ("backupsctl: %s\n", keyring_error->message);

  if (!backups_store_rebuild (store, owners, &report, &error))
    return backupsctl_fail (cli, "%s", error->message);

  printf (_ ("The damaged cache was moved to %s; a new one was made.\n"), report->moved_to);
  print_names (_ ("Kept:"), report->kept);
  print_names (_ ("Recovered from the keyring:"), report->from_keyring);
  print_names (_ ("Not recovered:"), report->lost);
  fflush (stdout);

  /* Then the rows come back from GridPane. */
  return backupsctl_cmd_sync (cli, 1, sync_argv);
}
