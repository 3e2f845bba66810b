/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl.c
 *
 * The command-line face of the core, for scripts, cron and tests. Every
 * read goes through the store API; the only network traffic is `sync` and
 * the token check of `account add`.
 */
#include "config.h"

#include <glib/gi18n.h>
#include <locale.h>
#include <stdio.h>
#include <string.h>
#include <sys/ioctl.h>
#include <unistd.h>

#include "backupsctl-private.h"

typedef int (*BackupsctlCommandFunc) (Backupsctl *cli, int argc, char **argv);

typedef struct
{
  const char           *group; /* "org", "account" or NULL */
  const char           *name;
  const char           *synopsis;
  BackupsctlCommandFunc func;
} BackupsctlCommand;

static const BackupsctlCommand commands[] = {
  { "org", "add", "org add NAME", backupsctl_cmd_org_add },
  { "org", "list", "org list", backupsctl_cmd_org_list },
  { "org", "rename", "org rename NAME NEW-NAME", backupsctl_cmd_org_rename },
  { "org", "remove", "org remove NAME", backupsctl_cmd_org_remove },
  { "account", "add", "account add --org ORG --name NAME [--base-url URL] --token-stdin",
    backupsctl_cmd_account_add },
  { "account", "list", "account list [--org ORG]", backupsctl_cmd_account_list },
  { "account", "rename", "account rename --org ORG --name NAME NEW-NAME",
    backupsctl_cmd_account_rename },
  { "account", "set-token", "account set-token --org ORG --name NAME --token-stdin",
    backupsctl_cmd_account_set_token },
  { "account", "remove", "account remove --org ORG --name NAME", backupsctl_cmd_account_remove },
  { NULL, "sync", "sync [--org ORG] [--account NAME]", backupsctl_cmd_sync },
  { NULL, "schedules", "schedules [--org ORG | --all] [--format table|json|csv]",
    backupsctl_cmd_schedules },
  { NULL, "integrations", "integrations [--org ORG | --all] [--format table|json|csv]",
    backupsctl_cmd_integrations },
  { NULL, "status", "status [--org ORG | --all] [--format table|json]", backupsctl_cmd_status },
  { NULL, "sites", "sites [--org ORG | --all] [--format table|json|csv]", backupsctl_cmd_sites },
  { NULL, "check", "check [--org ORG | --all] [--format table|json]", backupsctl_cmd_check },
  { NULL, "restore-points",
    "restore-points [--org ORG] --site URL [--format table|json|csv] [--wide]",
    backupsctl_cmd_restore_points },
  { NULL, "repair", "repair", backupsctl_cmd_repair },
};

static void
print_synopses (FILE *stream, const char *group)
{
  fprintf (stream, "%s\n", _ ("Usage:"));
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (group == NULL || g_strcmp0 (commands[i].group, group) == 0)
        fprintf (stream, "  backupsctl %s\n", commands[i].synopsis);
    }
}

static void
print_help (void)
{
  print_synopses (stdout, NULL);
  printf ("\n%s\n",
          _ ("Shows the backup schedules and storage integrations of every GridPane site,\n"
             "across all GridPane accounts of an organization. It shares its database with\n"
             "the Backups app: $XDG_DATA_HOME/org.example.Backups/backups.db."));
  printf ("\n%s\n",
          _ ("Organizations:\n"
             "  Without --org, account list, sync, schedules, integrations, status, sites\n"
             "  and check cover every organization, one after another by name, and each row\n"
             "  names its organization; the listings also take --all to say so. account add,\n"
             "  account remove and sync --account act inside one organization: they need\n"
             "  --org unless exactly one organization exists."));
  printf ("\n%s\n",
          _ ("Health:\n"
             "  sites and check judge each site by the policy of the Backups app (GSettings\n"
             "  org.example.Backups: require-remote, min-retain-days, max-gap-hours,\n"
             "  crowded-start-sites): Protected, At risk (a finding such as no-remote),\n"
             "  Unprotected (no enabled schedule at all) or Unknown (a value GridPane sent\n"
             "  could not be read)."));
  printf ("\n%s\n",
          _ ("Tokens:\n"
             "  account add reads the GridPane API token from standard input, checks it with\n"
             "  GridPane and keeps it in the Secret Service (GNOME Keyring). Tokens are never\n"
             "  passed as arguments, written to the database or printed."));
  printf ("\n%s\n",
          _ ("Exit status:\n"
             "  0  success\n"
             "  1  an account failed to sync, or the command failed (no such organization or\n"
             "     account, a name already taken, a token GridPane rejects, no keyring, …)\n"
             "  2  usage error: unknown command or option, missing or invalid argument\n"
             "  3  check: at least one site is not Protected"));
  printf ("\n%s\n",
          _ ("Environment:\n"
             "  BACKUPSCTL_NOW  an ISO 8601 time to compute next runs from instead of now,\n"
             "                  for tests and reproducible reports"));
  printf ("\n%s\n", _ ("Run “backupsctl COMMAND --help” for the options of a command."));
}

static int
top_level_usage_error (const char *message)
{
  g_printerr ("backupsctl: %s\n", message);
  print_synopses (stderr, NULL);
  g_printerr ("%s\n", _ ("Run “backupsctl --help” for more."));
  return BACKUPSCTL_EXIT_USAGE;
}

static gboolean
is_help_flag (const char *arg)
{
  return g_strcmp0 (arg, "--help") == 0 || g_strcmp0 (arg, "-h") == 0 || g_strcmp0 (arg, "-?") == 0
         || g_strcmp0 (arg, "help") == 0;
}

static const BackupsctlCommand *
find_command (const char *group, const char *name)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].group, group) == 0 && g_strcmp0 (commands[i].name, name) == 0)
        return &commands[i];
    }
  return NULL;
}

static gboolean
is_group (const char *word)
{
  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      if (g_strcmp0 (commands[i].group, word) == 0)
        return TRUE;
    }
  return FALSE;
}

/* The number of single-character edits (insert, delete, replace, swap two
 * neighbours) that turn `a` into `b`, bytewise. */
static guint
edit_distance (const char *a, const char *b)
{
  gsize             n = strlen (a), m = strlen (b);
  g_autofree guint *d = g_new (guint, (n + 1) * (m + 1));

#define D(i, j) d[(i) * (m + 1) + (j)]
  for (gsize i = 0; i <= n; i++)
    D (i, 0) = i;
  for (gsize j = 0; j <= m; j++)
    D (0, j) = j;
  for (gsize i = 1; i <= n; i++)
    for (gsize j = 1; j <= m; j++)
      {
        guint cost = g_ascii_tolower (a[i - 1]) == g_ascii_tolower (b[j - 1]) ? 0 : 1;

        D (i, j) = MIN (MIN (D (i - 1, j) + 1, D (i, j - 1) + 1), D (i - 1, j - 1) + cost);
        if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
          D (i, j) = MIN (D (i, j), D (i - 2, j - 2) + 1);
      }
  return D (n, m);
#undef D
}

/* The command words nearest to what was typed ("schedules" for "schedule",
 * "org add" for "org ad"), or NULL when none is near: a typed word that
 * starts exactly one command, or at most a third of its letters (and at
 * least 2) wrong. */
static char *
suggest_command (const char *typed)
{
  g_autofree char *best = NULL;
  guint            best_distance = G_MAXUINT;
  guint            n_prefixed = 0;
  g_autofree char *prefixed = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (commands); i++)
    {
      g_autofree char *words = commands[i].group != NULL
                                 ? g_strdup_printf ("%s %s", commands[i].group, commands[i].name)
                                 : g_strdup (commands[i].name);
      guint            distance = edit_distance (typed, words);

      if (*typed != '\0' && g_str_has_prefix (words, typed))
        {
          n_prefixed++;
          g_free (prefixed);
          prefixed = g_strdup (words);
        }
      if (distance < best_distance)
        {
          best_distance = distance;
          g_free (best);
          best = g_steal_pointer (&words);
        }
    }

  if (n_prefixed == 1)
    return g_steal_pointer (&prefixed);
  if (best_distance <= MAX (2, strlen (typed) / 3) && best_distance < strlen (typed))
    return g_steal_pointer (&best);
  return NULL;
}

static int
unknown_command_error (const char *typed)
{
  g_autofree char *suggestion = suggest_command (typed);
  g_autofree char *message
    = suggestion != NULL
        ? g_strdup_printf (_ ("Unknown command “%s”. Did you mean “%s”?"), typed, suggestion)
        : g_strdup_printf (_ ("Unknown command “%s”."), typed);

  g_printerr ("backupsctl: %s\n", message);
  g_printerr ("%s\n", _ ("Run “backupsctl --help” for the list of commands."));
  return BACKUPSCTL_EXIT_USAGE;
}

/* Helpers shared by the commands ------------------------------------------- */

guint
backupsctl_terminal_width (void)
{
  const char    *columns = g_getenv ("COLUMNS");
  guint64        width = 0;
  struct winsize size = { 0 };

  if (columns != NULL && g_ascii_string_to_unsigned (columns, 10, 1, G_MAXUINT16, &width, NULL))
    return (guint)width;
  if (isatty (STDOUT_FILENO) && ioctl (STDOUT_FILENO, TIOCGWINSZ, &size) == 0 && size.ws_col > 0)
    return size.ws_col;
  return 0;
}

static void
print_short_usage (Backupsctl *cli)
{
  g_printerr ("%s backupsctl %s\n", _ ("Usage:"), cli->synopsis);
  g_printerr (_ ("Run “backupsctl %s --help” for more.\n"), cli->command);
}

/* What follows the command words in its synopsis: "NAME" for "org add". */
static const char *
parameter_string (Backupsctl *cli)
{
  const char *rest = cli->synopsis + strlen (cli->command);

  while (*rest == ' ')
    rest++;
  return *rest != '\0' ? rest : NULL;
}

gboolean
backupsctl_parse_options (
  Backupsctl *cli, GOptionEntry *entries, const char *summary, int argc, char **argv, GStrv *args)
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GError) error = NULL;
  g_auto (GStrv) strv = NULL;

  strv = g_new0 (char *, argc + 1);
  for (int i = 0; i < argc; i++)
    strv[i] = g_strdup (argv[i]);

  /* GOptionContext prints "Usage: PRGNAME [OPTION…] PARAMETERS" and the
   * program name is "backupsctl org add" here (see main). */
  context = g_option_context_new (parameter_string (cli));
  g_option_context_set_summary (context, summary);
  g_option_context_set_translation_domain (context, GETTEXT_PACKAGE);
  if (entries != NULL)
    g_option_context_add_main_entries (context, entries, GETTEXT_PACKAGE);

  if (!g_option_context_parse_strv (context, &strv, &error))
    {
      backupsctl_usage_error (cli, "%s", error->message);
      return FALSE;
    }

  /* Options after "--" are operands, not options. */
  if (strv[1] != NULL && g_strcmp0 (strv[1], "--") == 0)
    {
      g_free (strv[1]);
      memmove (&strv[1], &strv[2], sizeof (char *) * g_strv_length (&strv[1]));
    }

  *args = g_steal_pointer (&strv);
  return TRUE;
}

int
backupsctl_usage_error (Backupsctl *cli, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);

  g_printerr ("backupsctl: %s\n", message);
  print_short_usage (cli);
  return BACKUPSCTL_EXIT_USAGE;
}

int
backupsctl_fail (Backupsctl *cli, const char *format, ...)
{
  g_autofree char *message = NULL;
  va_list          ap;

  va_start (ap, format);
  message = g_strdup_vprintf (format, ap);
  va_end (ap);

  /* Damage a read found after the check passed (in an index, say) is
   * told as the check tells it, with what to run. */
  if (cli->store != NULL && backups_store_is_damaged (cli->store)
      && g_strcmp0 (cli->command, "repair") != 0)
    {
      g_free (message);
      message = g_strdup_printf (_ ("The cache at %s is damaged. Run “backupsctl repair” to "
                                    "rebuild it from GridPane."),
                                 backups_store_get_path (cli->store));
    }

  g_printerr ("backupsctl: %s\n", message);
  return BACKUPSCTL_EXIT_FAILED;
}

BackupsStore *
backupsctl_open_store (Backupsctl *cli, GError **error)
{
  if (cli->store == NULL)
    cli->store = backups_store_open (NULL, error);

  return cli->store;
}

BackupsStore *
backupsctl_get_store (Backupsctl *cli, GError **error)
{
  gboolean opened = cli->store != NULL;

  if (backupsctl_open_store (cli, error) == NULL)
    return NULL;

  /* Every command but repair first makes sure the cache is whole: a
   * damaged one must not pass off what is left as data. A check that could
   * not run (a lock, a full disk) says why; only damage marks the store. */
  if (!opened && !backups_store_check_integrity (cli->store, error)
      && !backups_store_is_damaged (cli->store))
    return NULL;

  if (backups_store_is_damaged (cli->store))
    {
      g_clear_error (error);
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                   _ ("The cache at %s is damaged. Run “backupsctl repair” to rebuild it from "
                      "GridPane."),
                   backups_store_get_path (cli->store));
      return NULL;
    }
  return cli->store;
}

GPtrArray *
backupsctl_resolve_orgs (Backupsctl *cli, const char *org_name, GError **error)
{
  BackupsStore *store = backupsctl_get_store (cli, error);
  GPtrArray    *orgs;
  BackupsOrg   *org;

  if (store == NULL)
    return NULL;

  if (org_name == NULL)
    return backups_store_list_orgs (store, error);

  org = backups_store_find_org (store, org_name, error);
  if (org == NULL)
    return NULL;

  orgs = g_ptr_array_new_with_free_func (g_object_unref);
  g_ptr_array_add (orgs, org);
  return orgs;
}

BackupsOrg *
backupsctl_resolve_single_org (Backupsctl *cli, const char *org_name, int *exit_status)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) orgs = NULL;
  BackupsStore *store = backupsctl_get_store (cli, &error);

  if (store == NULL)
    {
      *exit_status = backupsctl_fail (cli, "%s", error->message);
      return NULL;
    }

  if (org_name != NULL)
    {
      BackupsOrg *org = backups_store_find_org (store, org_name, &error);

      if (org == NULL)
        *exit_status = backupsctl_fail (cli, "%s", error->message);
      return org;
    }

  orgs = backups_store_list_orgs (store, &error);
  if (orgs == NULL)
    {
      *exit_status = backupsctl_fail (cli, "%s", error->message);
      return NULL;
    }

  if (orgs->len == 1)
    return g_object_ref (g_ptr_array_index (orgs, 0));

  if (orgs->len == 0)
    *exit_status = backupsctl_fail (
      cli, "%s", _ ("There is no organization yet. Create one with “backupsctl org add NAME”."));
  else
    *exit_status = backupsctl_usage_error (
      cli, _ ("There are %u organizations: name one with --org."), orgs->len);

  return NULL;
}

char *
backupsctl_format_date_time (GDateTime *date_time)
{
  g_autoptr (GDateTime) utc = NULL;

  if (date_time == NULL)
    return NULL;

  utc = g_date_time_to_utc (date_time);
  return g_date_time_format (utc, "%Y-%m-%dT%H:%M:%SZ");
}

char *
backupsctl_format_unix_time (gint64 unix_seconds)
{
  g_autoptr (GDateTime) date_time = NULL;

  if (unix_seconds <= 0)
    return NULL;

  date_time = g_date_time_new_from_unix_utc (unix_seconds);
  return backupsctl_format_date_time (date_time);
}

const char *
backupsctl_sync_status_label (BackupsSyncStatus status)
{
  switch (status)
    {
    case BACKUPS_SYNC_STATUS_NEVER:
      return _ ("Never synced");
    case BACKUPS_SYNC_STATUS_SYNCING:
      return _ ("Syncing");
    case BACKUPS_SYNC_STATUS_OK:
      return _ ("OK");
    case BACKUPS_SYNC_STATUS_ERROR:
      return _ ("Failed");
    default:
      return NULL;
    }
}

void
backupsctl_print (const char *text)
{
  fputs (text, stdout);
  fflush (stdout);
}

/* The clock next runs are computed from. BACKUPSCTL_NOW (ISO 8601) pins it,
 * so tests and reproducible reports get stable output. */
static GDateTime *
current_time (void)
{
  const char *pinned = g_getenv ("BACKUPSCTL_NOW");

  if (pinned != NULL && *pinned != '\0')
    {
      GDateTime *now = g_date_time_new_from_iso8601 (pinned, NULL);

      if (now != NULL)
        return now;
      g_printerr ("backupsctl: %s\n", _ ("Ignoring BACKUPSCTL_NOW: not an ISO 8601 time."));
    }

  return g_date_time_new_now_utc ();
}

int
main (int argc, char *argv[])
{
  const BackupsctlCommand *command = NULL;
  Backupsctl               cli = { 0 };
  g_autofree char         *words = NULL;
  g_autofree char        **sub_argv = NULL;
  int                      first_arg;
  int                      status;

  setlocale (LC_ALL, "");
  bindtextdomain (GETTEXT_PACKAGE, LOCALEDIR);
  bind_textdomain_codeset (GETTEXT_PACKAGE, "UTF-8");
  textdomain (GETTEXT_PACKAGE);

  if (argc < 2)
    return top_level_usage_error (_ ("Missing command."));

  if (is_help_flag (argv[1]))
    {
      print_help ();
      return BACKUPSCTL_EXIT_OK;
    }

  if (g_strcmp0 (argv[1], "--version") == 0)
    {
      printf ("backupsctl %s\n", PACKAGE_VERSION);
      return BACKUPSCTL_EXIT_OK;
    }

  if (is_group (argv[1]))
    {
      if (argc < 3)
        {
          g_autofree char *message = g_strdup_printf (_ ("“%s” needs a command."), argv[1]);

          g_printerr ("backupsctl: %s\n", message);
          print_synopses (stderr, argv[1]);
          return BACKUPSCTL_EXIT_USAGE;
        }
      if (is_help_flag (argv[2]))
        {
          print_synopses (stdout, argv[1]);
          return BACKUPSCTL_EXIT_OK;
        }
      command = find_command (argv[1], argv[2]);
      first_arg = 3;
    }
  else
    {
      command = find_command (NULL, argv[1]);
      first_arg = 2;
    }

  if (command == NULL)
    {
      g_autofree char *typed
        = is_group (argv[1]) ? g_strdup_printf ("%s %s", argv[1], argv[2]) : g_strdup (argv[1]);

      return unknown_command_error (typed);
    }

  words = command->group != NULL ? g_strdup_printf ("%s %s", command->group, command->name)
                                 : g_strdup (command->name);
  cli.command = words;
  cli.synopsis = command->synopsis;
  cli.now = current_time ();

  /* The sub-command sees "backupsctl org add" as its program name, so its
   * --help reads "Usage: backupsctl org add [OPTION…]". */
  sub_argv = g_new0 (char *, argc - first_arg + 2);
  sub_argv[0] = g_strdup_printf ("backupsctl %s", words);
  for (int i = first_arg; i < argc; i++)
    sub_argv[i - first_arg + 1] = argv[i];

  status = command->func (&cli, argc - first_arg + 1, sub_argv);

  g_free (sub_argv[0]);
  g_clear_object (&cli.store);
  g_clear_pointer (&cli.now, g_date_time_unref);

  return status;
}
