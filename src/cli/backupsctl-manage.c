/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-manage.c: the org and account commands, on the core's
 * BackupsAccountManager with the keyring and the GridPane provider. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <termios.h>
#include <unistd.h>

#include "backups-account-manager.h"
#include "backups-gridpane-provider.h"
#include "backupsctl-output.h"
#include "backupsctl-private.h"

/* A token is a line of text; anything this long is not one. */
#define MAX_TOKEN_BYTES (16 * 1024)

static BackupsAccountManager *
account_manager_new (Backupsctl *cli)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_keyring ();

  return backups_account_manager_new (cli->store, secrets, backups_gridpane_provider_factory, NULL);
}

static void
result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

/* The command line waits for each change to be done. */
static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  while (*result == NULL)
    g_main_context_iteration (NULL, TRUE);
  return *result;
}

/* Ends a change whose store part is done: a keyring that could not follow
 * is told. Not reaching the Secret Service at all only warns, as what it
 * holds cannot be changed now anyway. Returns the exit status. */
static int
report_keyring_follow_up (const GError *error)
{
  if (error == NULL)
    return BACKUPSCTL_EXIT_OK;

  g_printerr ("backupsctl: %s\n", error->message);
  return g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING) ? BACKUPSCTL_EXIT_OK
                                                                          : BACKUPSCTL_EXIT_FAILED;
}

/* org add NAME ------------------------------------------------------------- */

int
backupsctl_cmd_org_add (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_auto (GStrv) args = NULL;

  if (!backupsctl_parse_options (cli, NULL, _ ("Create an organization."), argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 2)
    return backupsctl_usage_error (cli, "%s", _ ("Expected exactly one NAME."));

  if (backupsctl_get_store (cli, &error) != NULL)
    {
      g_autoptr (BackupsAccountManager) manager = account_manager_new (cli);

      org = backups_account_manager_add_org (manager, args[1], &error);
    }
  if (org == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  printf (_ ("Added organization “%s”.\n"), backups_org_get_name (org));
  return BACKUPSCTL_EXIT_OK;
}

/* org list ----------------------------------------------------------------- */

int
backupsctl_cmd_org_list (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_auto (GStrv) args = NULL;

  if (!backupsctl_parse_options (cli, NULL, _ ("List the organizations, one name a line."), argc,
                                 argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);

  orgs = backupsctl_resolve_orgs (cli, NULL, &error);
  if (orgs == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  for (guint i = 0; i < orgs->len; i++)
    printf ("%s\n", backups_org_get_name (g_ptr_array_index (orgs, i)));

  return BACKUPSCTL_EXIT_OK;
}

/* org remove NAME ---------------------------------------------------------- */

int
backupsctl_cmd_org_remove (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  BackupsStore *store;
  int           status;

  if (!backupsctl_parse_options (
        cli, NULL, _ ("Remove an organization, its accounts, their data and their tokens."), argc,
        argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 2)
    return backupsctl_usage_error (cli, "%s", _ ("Expected exactly one NAME."));

  store = backupsctl_get_store (cli, &error);
  if (store != NULL)
    org = backups_store_find_org (store, args[1], &error);
  if (org == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  manager = account_manager_new (cli);
  backups_account_manager_remove_org_async (manager, org, NULL, result_cb, &result);
  if (!backups_account_manager_remove_org_finish (manager, wait_for_result (&result), &error)
      && !backups_account_manager_is_keyring_error (error))
    return backupsctl_fail (cli, "%s", error->message);
  status = report_keyring_follow_up (error);

  printf (_ ("Removed organization “%s”.\n"), backups_org_get_name (org));
  return status;
}

/* org rename OLD NEW -------------------------------------------------------- */

/* The keyring items name their organization and account, for rebuilding a
 * damaged cache, and follow a rename. A keyring that cannot be written is
 * told, but the rename stands. Returns FALSE after printing a store error. */
static gboolean
finish_rename (Backupsctl            *cli,
               BackupsAccountManager *manager,
               gboolean (*finish) (BackupsAccountManager *, GAsyncResult *, GError **),
               GAsyncResult **result,
               GError       **keyring_error)
{
  g_autoptr (GError) error = NULL;

  if (finish (manager, wait_for_result (result), &error))
    return TRUE;
  if (!backups_account_manager_is_keyring_error (error))
    {
      backupsctl_fail (cli, "%s", error->message);
      return FALSE;
    }
  g_propagate_error (keyring_error, g_steal_pointer (&error));
  return TRUE;
}

int
backupsctl_cmd_org_rename (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GError) keyring_error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  BackupsStore *store;

  if (!backupsctl_parse_options (cli, NULL, _ ("Rename an organization."), argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 3)
    return backupsctl_usage_error (cli, "%s", _ ("Expected the NAME and the NEW-NAME."));

  store = backupsctl_get_store (cli, &error);
  if (store != NULL)
    org = backups_store_find_org (store, args[1], &error);
  if (org == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  manager = account_manager_new (cli);
  backups_account_manager_rename_org_async (manager, org, args[2], NULL, result_cb, &result);
  if (!finish_rename (cli, manager, backups_account_manager_rename_org_finish, &result,
                      &keyring_error))
    return BACKUPSCTL_EXIT_FAILED;

  printf (_ ("Renamed organization “%s” to “%s”.\n"), args[1], args[2]);
  report_keyring_follow_up (keyring_error);
  return BACKUPSCTL_EXIT_OK;
}

/* account add -------------------------------------------------------------- */

static void
wipe_string (GString *string)
{
  backups_secret_wipe (string->str);
  g_string_free (string, TRUE);
}

/* Reads the token from standard input: a single line when typed at a
 * terminal (without echo), else everything up to end of file. */
static BackupsSecretToken *
read_token (GError **error)
{
  GString            *input = g_string_new (NULL);
  struct termios      saved;
  gboolean            terminal = isatty (STDIN_FILENO);
  gboolean            echo_off = FALSE;
  BackupsSecretToken *token;
  int                 c;

  if (terminal)
    {
      g_printerr ("%s", _ ("GridPane API token: "));
      if (tcgetattr (STDIN_FILENO, &saved) == 0)
        {
          struct termios quiet = saved;

          quiet.c_lflag &= ~(tcflag_t)ECHO;
          echo_off = tcsetattr (STDIN_FILENO, TCSAFLUSH, &quiet) == 0;
        }
    }

  while ((c = getchar ()) != EOF)
    {
      if (terminal && c == '\n')
        break;
      if (input->len >= MAX_TOKEN_BYTES)
        break;
      g_string_append_c (input, (char)c);
    }

  if (echo_off)
    tcsetattr (STDIN_FILENO, TCSAFLUSH, &saved);
  if (terminal)
    g_printerr ("\n");

  if (input->len >= MAX_TOKEN_BYTES)
    {
      wipe_string (input);
      g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                           _ ("The input on standard input is too long to be an API token."));
      return NULL;
    }

  /* "echo TOKEN |" and copy-pasting add line ends and stray blanks. */
  g_strstrip (input->str);

  if (input->str[0] == '\0')
    {
      wipe_string (input);
      g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                           _ ("No token on standard input. Pipe the GridPane API token into "
                              "backupsctl, for example from a password manager."));
      return NULL;
    }

  for (const char *p = input->str; *p != '\0'; p++)
    {
      if (g_ascii_iscntrl (*p) || *p == ' ')
        {
          wipe_string (input);
          g_set_error_literal (
            error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
            _ ("The token on standard input must be a single word on one line."));
          return NULL;
        }
    }

  token = backups_secret_token_new (input->str);
  wipe_string (input);
  return token;
}

/* Nothing is saved when a token is refused or cannot be kept. */
static int
report_token_failure (Backupsctl *cli, const GError *error)
{
  if (g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING))
    return backupsctl_fail (cli,
                            _ ("No Secret Service (keyring) is reachable, so the token cannot be "
                               "kept safely. Nothing was saved: start or unlock GNOME Keyring and "
                               "try again. (%s)"),
                            error->message);
  /* Translators: the reason, then that nothing was saved */
  return backupsctl_fail (cli, _ ("%s Nothing was saved."), error->message);
}

int
backupsctl_cmd_account_add (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  g_autofree char *base_url = NULL;
  gboolean         token_stdin = FALSE;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name, N_ ("The organization"), N_ ("ORG") },
        { "name", 0, 0, G_OPTION_ARG_STRING, &name,
          N_ ("A name for the account, unique in its organization"), N_ ("NAME") },
        { "base-url", 0, 0, G_OPTION_ARG_STRING, &base_url,
          N_ ("The GridPane API base URL, for white-label hosts (default: GridPane’s own)"),
          N_ ("URL") },
        { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin,
          N_ ("Read the API token from standard input (required)"), NULL },
        G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  int status = BACKUPSCTL_EXIT_FAILED;

  if (!backupsctl_parse_options (
        cli, entries,
        _ ("Add a GridPane account. The token is checked with GridPane, then kept in the\n"
           "Secret Service (GNOME Keyring); nothing is saved when either step fails."),
        argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);
  if (name == NULL || *name == '\0')
    return backupsctl_usage_error (cli, "%s", _ ("--name is required."));
  if (!token_stdin)
    return backupsctl_usage_error (
      cli, "%s", _ ("--token-stdin is required: tokens are never passed as arguments."));

  if (base_url == NULL)
    base_url = g_strdup (BACKUPS_PROVIDER_GRIDPANE_DEFAULT_BASE_URL);
  if (!backups_gridpane_check_base_url (base_url, &error))
    return backupsctl_usage_error (cli, "%s", error->message);

  org = backupsctl_resolve_single_org (cli, org_name, &status);
  if (org == NULL)
    return status;

  /* Fail before asking for the token when the name is taken. */
  manager = account_manager_new (cli);
  if (!backups_account_manager_check_new_account (manager, backups_org_get_name (org), name,
                                                  &error))
    return backupsctl_fail (cli, "%s", error->message);

  token = read_token (&error);
  if (token == NULL)
    return backupsctl_usage_error (cli, "%s", error->message);

  backups_account_manager_add_account_async (manager, backups_org_get_name (org),
                                             BACKUPS_PROVIDER_KIND_GRIDPANE, name, base_url, token,
                                             NULL, result_cb, &result);
  account = backups_account_manager_add_account_finish (manager, wait_for_result (&result), &error);
  if (account == NULL)
    return report_token_failure (cli, error);

  printf (_ ("Added account “%s” to “%s”. Run “backupsctl sync --org %s” to fetch its backups.\n"),
          backups_account_get_name (account), backups_org_get_name (org),
          backups_org_get_name (org));
  return BACKUPSCTL_EXIT_OK;
}

/* account list ------------------------------------------------------------- */

int
backupsctl_cmd_account_list (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name,
          N_ ("Only this organization (default: every organization)"), N_ ("ORG") },
        G_OPTION_ENTRY_NULL,
  };
  const char *headers[] = {
    _ ("ORG"),       _ ("ACCOUNT"),     _ ("PROVIDER"), _ ("BASE URL"),
    _ ("LAST SYNC"), _ ("LAST SYNCED"), NULL,
  };
  g_autoptr (BackupsctlTable) table = backupsctl_table_new (headers);
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  g_autofree char *text = NULL;
  g_auto (GStrv) args = NULL;

  if (!backupsctl_parse_options (cli, entries, _ ("List the GridPane accounts."), argc, argv,
                                 &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);

  orgs = backupsctl_resolve_orgs (cli, org_name, &error);
  if (orgs == NULL)
    return backupsctl_fail (cli, "%s", error->message);

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      g_autoptr (GPtrArray) accounts = NULL;

      accounts = backups_store_list_accounts (cli->store, backups_org_get_id (org), &error);
      if (accounts == NULL)
        return backupsctl_fail (cli, "%s", error->message);

      for (guint j = 0; j < accounts->len; j++)
        {
          BackupsAccount  *account = g_ptr_array_index (accounts, j);
          g_autofree char *synced = NULL;
          const char      *cells[7];

          synced
            = backupsctl_format_unix_time (backups_account_get_last_sync_finished_at (account));
          cells[0] = backups_org_get_name (org);
          cells[1] = backups_account_get_name (account);
          cells[2] = backups_account_get_provider (account);
          cells[3] = backups_account_get_base_url (account);
          cells[4] = backupsctl_sync_status_label (backups_account_get_last_sync_status (account));
          cells[5] = synced;
          cells[6] = NULL;
          backupsctl_table_add_row (table, cells);
        }
    }

  if (backupsctl_table_get_n_rows (table) == 0)
    {
      printf ("%s\n", _ ("No accounts. Add one with “backupsctl account add”."));
      return BACKUPSCTL_EXIT_OK;
    }

  backupsctl_table_set_max_width (table, backupsctl_terminal_width ());
  text = backupsctl_table_to_string (table);
  backupsctl_print (text);
  return BACKUPSCTL_EXIT_OK;
}

/* The account an --org/--name pair names. Returns NULL after reporting
 * why, with *exit_status set. */
static BackupsAccount *
find_named_account (
  Backupsctl *cli, const char *org_name, const char *name, BackupsOrg **org_out, int *exit_status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  BackupsAccount *account;

  if (name == NULL || *name == '\0')
    {
      *exit_status = backupsctl_usage_error (cli, "%s", _ ("--name is required."));
      return NULL;
    }

  org = backupsctl_resolve_single_org (cli, org_name, exit_status);
  if (org == NULL)
    return NULL;

  account = backups_store_find_account (cli->store, backups_org_get_id (org), name, &error);
  if (account == NULL)
    {
      *exit_status = backupsctl_fail (cli, "%s", error->message);
      return NULL;
    }

  *org_out = g_steal_pointer (&org);
  return account;
}

/* account rename ------------------------------------------------------------ */

int
backupsctl_cmd_account_rename (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name, N_ ("The organization"), N_ ("ORG") },
        { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The account"), N_ ("NAME") },
        G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) keyring_error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  int status = BACKUPSCTL_EXIT_FAILED;

  if (!backupsctl_parse_options (cli, entries, _ ("Rename an account; its data stays."), argc, argv,
                                 &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 2)
    return backupsctl_usage_error (cli, "%s", _ ("Expected exactly one NEW-NAME."));

  account = find_named_account (cli, org_name, name, &org, &status);
  if (account == NULL)
    return status;

  manager = account_manager_new (cli);
  backups_account_manager_rename_account_async (manager, account, args[1], NULL, result_cb,
                                                &result);
  if (!finish_rename (cli, manager, backups_account_manager_rename_account_finish, &result,
                      &keyring_error))
    return BACKUPSCTL_EXIT_FAILED;

  printf (_ ("Renamed account “%s” of “%s” to “%s”.\n"), name, backups_org_get_name (org), args[1]);
  report_keyring_follow_up (keyring_error);
  return BACKUPSCTL_EXIT_OK;
}

/* account set-token ----------------------------------------------------------- */

int
backupsctl_cmd_account_set_token (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  gboolean         token_stdin = FALSE;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name, N_ ("The organization"), N_ ("ORG") },
        { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The account"), N_ ("NAME") },
        { "token-stdin", 0, 0, G_OPTION_ARG_NONE, &token_stdin,
          N_ ("Read the new API token from standard input (required)"), NULL },
        G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  int status = BACKUPSCTL_EXIT_FAILED;

  if (!backupsctl_parse_options (
        cli, entries,
        _ ("Give an account a new API token, after checking it with GridPane. The old token\n"
           "stays when the new one is refused."),
        argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);
  if (!token_stdin)
    return backupsctl_usage_error (
      cli, "%s", _ ("--token-stdin is required: tokens are never passed as arguments."));

  account = find_named_account (cli, org_name, name, &org, &status);
  if (account == NULL)
    return status;

  token = read_token (&error);
  if (token == NULL)
    return backupsctl_usage_error (cli, "%s", error->message);

  manager = account_manager_new (cli);
  backups_account_manager_replace_token_async (manager, account, token, NULL, result_cb, &result);
  if (!backups_account_manager_replace_token_finish (manager, wait_for_result (&result), &error))
    return report_token_failure (cli, error);

  printf (_ ("Saved the new token of account “%s” of “%s”.\n"), name, backups_org_get_name (org));
  return BACKUPSCTL_EXIT_OK;
}

/* account remove ----------------------------------------------------------- */

int
backupsctl_cmd_account_remove (Backupsctl *cli, int argc, char **argv)
{
  g_autofree char *org_name = NULL;
  g_autofree char *name = NULL;
  GOptionEntry     entries[] = {
        { "org", 0, 0, G_OPTION_ARG_STRING, &org_name, N_ ("The organization"), N_ ("ORG") },
        { "name", 0, 0, G_OPTION_ARG_STRING, &name, N_ ("The account"), N_ ("NAME") },
        G_OPTION_ENTRY_NULL,
  };
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccountManager) manager = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_auto (GStrv) args = NULL;
  int status = BACKUPSCTL_EXIT_FAILED;

  if (!backupsctl_parse_options (cli, entries,
                                 _ ("Remove an account, its data and its token in the keyring."),
                                 argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 1)
    return backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), args[1]);

  account = find_named_account (cli, org_name, name, &org, &status);
  if (account == NULL)
    return status;

  manager = account_manager_new (cli);
  backups_account_manager_remove_account_async (manager, account, NULL, result_cb, &result);
  if (!backups_account_manager_remove_account_finish (manager, wait_for_result (&result), &error)
      && !backups_account_manager_is_keyring_error (error))
    return backupsctl_fail (cli, "%s", error->message);
  status = report_keyring_follow_up (error);

  printf (_ ("Removed account “%s” from “%s”.\n"), backups_account_get_name (account),
          backups_org_get_name (org));
  return status;
}
