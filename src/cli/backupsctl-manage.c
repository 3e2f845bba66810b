/* backupsctl-manage.c: the org and account commands. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>
#include <string.h>
#include <termios.h>
#include <unistd.h>

#include "backups-gridpane-provider.h"
#include "backups-provider.h"
#include "backups-secrets.h"
#include "backupsctl-output.h"
#include "backupsctl-private.h"

/* A token is a line of text; anything this long is not one. */
#define MAX_TOKEN_BYTES (16 * 1024)

/* Removes a token from the keyring. A missing Secret Service only warns:
 * the row is gone, and a keyring that cannot be reached held nothing we
 * could delete now. Returns FALSE when deleting really failed. */
static gboolean
clear_token (BackupsSecrets *secrets, BackupsAccount *account)
{
  g_autoptr (GError) error = NULL;
  const char *secret_id = backups_account_get_secret_id (account);

  if (secret_id == NULL || *secret_id == '\0')
    return TRUE;

  if (backups_secrets_clear (secrets, secret_id, &error))
    return TRUE;

  g_printerr ("backupsctl: ");
  g_printerr (_ ("Account “%s” was removed, but its token could not be deleted from the "
                 "keyring: %s"),
              backups_account_get_name (account), error->message);
  g_printerr ("\n");

  return g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING);
}

/* org add NAME ------------------------------------------------------------- */

int
backupsctl_cmd_org_add (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_auto (GStrv) args = NULL;
  BackupsStore *store;

  if (!backupsctl_parse_options (cli, NULL, _ ("Create an organization."), argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 2)
    return backupsctl_usage_error (cli, "%s", _ ("Expected exactly one NAME."));

  store = backupsctl_get_store (cli, &error);
  if (store != NULL)
    org = backups_store_add_org (store, args[1], &error);
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
  g_autoptr (GPtrArray) accounts = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_auto (GStrv) args = NULL;
  BackupsStore *store;
  int           status = BACKUPSCTL_EXIT_OK;

  if (!backupsctl_parse_options (
        cli, NULL, _ ("Remove an organization, its accounts, their data and their tokens."), argc,
        argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 2)
    return backupsctl_usage_error (cli, "%s", _ ("Expected exactly one NAME."));

  store = backupsctl_get_store (cli, &error);
  if (store != NULL)
    org = backups_store_find_org (store, args[1], &error);
  if (org != NULL)
    accounts = backups_store_list_accounts (store, backups_org_get_id (org), &error);
  if (accounts == NULL || !backups_store_remove_org (store, backups_org_get_id (org), &error))
    return backupsctl_fail (cli, "%s", error->message);

  if (accounts->len > 0)
    secrets = backups_secrets_new_keyring ();
  for (guint i = 0; i < accounts->len; i++)
    {
      if (!clear_token (secrets, g_ptr_array_index (accounts, i)))
        status = BACKUPSCTL_EXIT_FAILED;
    }

  printf (_ ("Removed organization “%s”.\n"), backups_org_get_name (org));
  return status;
}

/* org rename OLD NEW -------------------------------------------------------- */

/* The keyring items name their organization and account, for rebuilding a
 * damaged cache: a rename follows there. A keyring that cannot be written
 * is told, but the rename stands. */
static void
update_keyring_owners (Backupsctl *cli, gint64 org_id)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autoptr (GPtrArray) owners = backups_store_list_secret_owners (cli->store, org_id, &error);

  if (owners == NULL || owners->len == 0)
    return;
  secrets = backups_secrets_new_keyring ();
  for (guint i = 0; i < owners->len; i++)
    if (!backups_secrets_update_owner (secrets, owners->pdata[i], &error))
      {
        g_printerr ("backupsctl: %s\n", error->message);
        return;
      }
}

int
backupsctl_cmd_org_rename (Backupsctl *cli, int argc, char **argv)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_auto (GStrv) args = NULL;
  BackupsStore *store;

  if (!backupsctl_parse_options (cli, NULL, _ ("Rename an organization."), argc, argv, &args))
    return BACKUPSCTL_EXIT_USAGE;

  if (g_strv_length (args) != 3)
    return backupsctl_usage_error (cli, "%s", _ ("Expected the NAME and the NEW-NAME."));

  store = backupsctl_get_store (cli, &error);
  if (store != NULL)
    org = backups_store_find_org (store, args[1], &error);
  if (org == NULL || !backups_store_rename_org (store, backups_org_get_id (org), args[2], &error))
    return backupsctl_fail (cli, "%s", error->message);

  printf (_ ("Renamed organization “%s” to “%s”.\n"), args[1], args[2]);
  update_keyring_owners (cli, backups_org_get_id (org));
  return BACKUPSCTL_EXIT_OK;
}

/* account add -------------------------------------------------------------- */

typedef struct
{
  GMainLoop *loop;
  gboolean   valid;
  GError    *error;
} Validation;

static void
on_token_validated (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Validation *validation = user_data;

  validation->valid
    = backups_provider_validate_finish (BACKUPS_PROVIDER (source), result, &validation->error);
  g_main_loop_quit (validation->loop);
}

static gboolean
validate_token (const char *account_name, const char *base_url, const char *token, GError **error)
{
  g_autoptr (BackupsProvider) provider = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  Validation validation = { 0 };

  provider
    = backups_gridpane_provider_factory ("gridpane", account_name, base_url, token, NULL, error);
  if (provider == NULL)
    return FALSE;

  loop = g_main_loop_new (NULL, FALSE);
  validation.loop = loop;
  backups_provider_validate_async (provider, NULL, on_token_validated, &validation);
  g_main_loop_run (loop);

  if (!validation.valid)
    {
      g_propagate_error (error, validation.error);
      return FALSE;
    }

  return TRUE;
}

static void
wipe_string (GString *string)
{
  /* Do not leave the token lying in freed memory. */
  memset (string->str, 0, string->allocated_len);
  g_string_free (string, TRUE);
}

/* Reads the token from standard input: a single line when typed at a
 * terminal (without echo), else everything up to end of file. */
static char *
read_token (GError **error)
{
  GString       *input = g_string_new (NULL);
  struct termios saved;
  gboolean       terminal = isatty (STDIN_FILENO);
  gboolean       echo_off = FALSE;
  char          *token;
  int            c;

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

  token = g_strdup (input->str);
  wipe_string (input);
  return token;
}

static void
report_keyring_failure (Backupsctl *cli, const GError *error)
{
  if (g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING))
    backupsctl_fail (cli,
                     _ ("No Secret Service (keyring) is reachable, so the token cannot be "
                        "kept safely. Nothing was saved: start or unlock GNOME Keyring and "
                        "try again. (%s)"),
                     error->message);
  else
    backupsctl_fail (cli, _ ("Could not store the token in the keyring: %s Nothing was saved."),
                     error->message);
}

static void
free_token (char *token)
{
  if (token != NULL)
    memset (token, 0, strlen (token));
  g_free (token);
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
  g_autoptr (BackupsAccount) existing = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autofree char *secret_id = NULL;
  g_autofree char *label = NULL;
  g_autoptr (BackupsSecretOwner) owner = NULL;
  g_auto (GStrv) args = NULL;
  char *token = NULL;
  int   status = BACKUPSCTL_EXIT_FAILED;

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
    base_url = g_strdup (BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
  if (!backups_gridpane_check_base_url (base_url, &error))
    return backupsctl_usage_error (cli, "%s", error->message);

  org = backupsctl_resolve_single_org (cli, org_name, &status);
  if (org == NULL)
    return status;
  status = BACKUPSCTL_EXIT_FAILED;

  /* Fail before asking for the token when the name is taken. */
  existing = backups_store_find_account (cli->store, backups_org_get_id (org), name, NULL);
  if (existing != NULL)
    return backupsctl_fail (cli, _ ("Organization “%s” already has an account named “%s”."),
                            backups_org_get_name (org), name);

  token = read_token (&error);
  if (token == NULL)
    return backupsctl_usage_error (cli, "%s", error->message);

  if (!validate_token (name, base_url, token, &error))
    {
      backupsctl_fail (cli, "%s %s", error->message, _ ("Nothing was saved."));
      goto out;
    }

  secrets = backups_secrets_new_keyring ();
  secret_id = backups_secrets_generate_id ();
  owner = backups_secret_owner_new (secret_id, backups_org_get_name (org), name, base_url);
  label = backups_secret_owner_label (owner);
  if (!backups_secrets_store (secrets, owner, label, token, &error))
    {
      report_keyring_failure (cli, error);
      goto out;
    }

  account = backups_store_add_account (cli->store, backups_org_get_id (org), "gridpane", name,
                                       base_url, secret_id, &error);
  if (account == NULL)
    {
      g_autoptr (GError) clear_error = NULL;

      backupsctl_fail (cli, "%s", error->message);
      backups_secrets_clear (secrets, secret_id, &clear_error);
      goto out;
    }

  printf (_ ("Added account “%s” to “%s”. Run “backupsctl sync --org %s” to fetch its backups.\n"),
          backups_account_get_name (account), backups_org_get_name (org),
          backups_org_get_name (org));
  status = BACKUPSCTL_EXIT_OK;

out:
  free_token (token);
  return status;
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
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
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

  if (!backups_store_rename_account (cli->store, backups_account_get_id (account), args[1], &error))
    return backupsctl_fail (cli, "%s", error->message);

  printf (_ ("Renamed account “%s” of “%s” to “%s”.\n"), name, backups_org_get_name (org), args[1]);
  update_keyring_owners (cli, backups_org_get_id (org));
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
  g_autoptr (BackupsSecrets) secrets = NULL;
  g_autofree char *label = NULL;
  g_autoptr (BackupsSecretOwner) owner = NULL;
  g_auto (GStrv) args = NULL;
  char *token = NULL;
  int   status = BACKUPSCTL_EXIT_FAILED;

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
  status = BACKUPSCTL_EXIT_FAILED;

  token = read_token (&error);
  if (token == NULL)
    return backupsctl_usage_error (cli, "%s", error->message);

  if (!validate_token (name, backups_account_get_base_url (account), token, &error))
    {
      backupsctl_fail (cli, "%s %s", error->message, _ ("Nothing was saved."));
      goto out;
    }

  secrets = backups_secrets_new_keyring ();
  owner
    = backups_secret_owner_new (backups_account_get_secret_id (account), backups_org_get_name (org),
                                name, backups_account_get_base_url (account));
  label = backups_secret_owner_label (owner);
  if (!backups_secrets_store (secrets, owner, label, token, &error))
    {
      report_keyring_failure (cli, error);
      goto out;
    }

  printf (_ ("Saved the new token of account “%s” of “%s”.\n"), name, backups_org_get_name (org));
  status = BACKUPSCTL_EXIT_OK;

out:
  free_token (token);
  return status;
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
  g_autoptr (BackupsSecrets) secrets = NULL;
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

  if (!backups_store_remove_account (cli->store, backups_account_get_id (account), &error))
    return backupsctl_fail (cli, "%s", error->message);

  secrets = backups_secrets_new_keyring ();
  status = clear_token (secrets, account) ? BACKUPSCTL_EXIT_OK : BACKUPSCTL_EXIT_FAILED;

  printf (_ ("Removed account “%s” from “%s”.\n"), backups_account_get_name (account),
          backups_org_get_name (org));
  return status;
}
