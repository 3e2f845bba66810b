/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-reports.c: schedules, integrations, status, sites and check. */
#include "config.h"

#include <glib/gi18n.h>
#include <stdio.h>

#include "backups-policy.h"
#include "backups-schedule-time.h"
#include "backups-store-sites.h"
#include "backupsctl-output.h"
#include "backupsctl-private.h"

/* The JSON and CSV keys of a schedule: its org, then the keyed columns of
 * backups-schedule-fields.h (as DESIGN.md names them; integration_id is
 * the schedule's service_user_id, timezone the server's zone (null when
 * unknown, and then timezone_assumed says next_run assumed UTC), problems
 * what GridPane sent that could not be read). NULL for the columns
 * backupsctl leaves out. */
#define SCHEDULE_KEY(KIND, member, property, key, SOURCE) key,

static const char *const schedule_column_keys[] = { BACKUPS_SCHEDULE_FIELDS (SCHEDULE_KEY) };

/* "org" and the keyed columns, NULL-terminated. */
static char **
schedule_keys_new (void)
{
  g_autoptr (GStrvBuilder) keys = g_strv_builder_new ();

  g_strv_builder_add (keys, "org");
  for (guint k = 0; k < G_N_ELEMENTS (schedule_column_keys); k++)
    if (schedule_column_keys[k] != NULL)
      g_strv_builder_add (keys, schedule_column_keys[k]);
  return g_strv_builder_end (keys);
}

static const char *const integration_keys[] = {
  "org", "account", "integration_id", "service", "name", "region", "used_by", NULL,
};

static const char *const status_keys[] = {
  "org",       "account",      "last_sync_status", "last_sync_finished_at", "last_sync_error",
  "schedules", "integrations", "unreadable_rows",  "unreadable_reasons",    NULL,
};

/* A site: its health, the stable ids of its findings and a sentence for
 * each (the same order), what it backs up and when it next does. */
static const char *const site_keys[] = {
  "org",      "account",   "site_id", "site_url", "server_id",   "server_label", "health",
  "findings", "sentences", "local",   "remote",   "next_backup", "problems",     NULL,
};

typedef struct
{
  char            *org_name;
  gboolean         all;
  char            *format_name;
  BackupsctlFormat format;
  gboolean         wide;
  char            *site_url; /* --site, for the commands that take one */
  GStrv            args;
} ReportOptions;

static void
report_options_clear (ReportOptions *options)
{
  g_clear_pointer (&options->org_name, g_free);
  g_clear_pointer (&options->format_name, g_free);
  g_clear_pointer (&options->site_url, g_free);
  g_clear_pointer (&options->args, g_strfreev);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportOptions, report_options_clear)

/* With `takes_site`, the command also has a required --site URL. */
static gboolean
parse_report_options (Backupsctl    *cli,
                      const char    *summary,
                      gboolean       allow_csv,
                      gboolean       takes_site,
                      int            argc,
                      char         **argv,
                      ReportOptions *options,
                      int           *exit_status)
{
  GOptionEntry site_entries[] = {
    { "site", 0, 0, G_OPTION_ARG_STRING, &options->site_url,
      N_ ("The site, by its URL (required)"), N_ ("URL") },
    G_OPTION_ENTRY_NULL,
  };
  GOptionEntry entries[] = {
    { "org", 0, 0, G_OPTION_ARG_STRING, &options->org_name,
      N_ ("Only this organization (default: every organization)"), N_ ("ORG") },
    { "all", 0, 0, G_OPTION_ARG_NONE, &options->all,
      N_ ("Every organization, each row naming its own (the default)"), NULL },
    { "format", 0, 0, G_OPTION_ARG_STRING, &options->format_name,
      allow_csv ? N_ ("Output format: table (default), json or csv")
                : N_ ("Output format: table (default) or json"),
      N_ ("FORMAT") },
    { "wide", 0, 0, G_OPTION_ARG_NONE, &options->wide,
      N_ ("Show every column of a table in full, however wide the terminal"), NULL },
    G_OPTION_ENTRY_NULL,
  };

  g_autoptr (GArray) all_entries = g_array_new (TRUE, TRUE, sizeof (GOptionEntry));

  *exit_status = BACKUPSCTL_EXIT_USAGE;

  if (takes_site)
    g_array_append_vals (all_entries, site_entries, 1);
  g_array_append_vals (all_entries, entries, G_N_ELEMENTS (entries) - 1);
  if (!backupsctl_parse_options (cli, (GOptionEntry *)all_entries->data, summary, argc, argv,
                                 &options->args))
    return FALSE;

  if (takes_site && (options->site_url == NULL || *options->site_url == '\0'))
    {
      backupsctl_usage_error (cli, "%s", _ ("--site is required."));
      return FALSE;
    }

  if (g_strv_length (options->args) != 1)
    {
      backupsctl_usage_error (cli, _ ("Unexpected argument “%s”."), options->args[1]);
      return FALSE;
    }

  if (options->all && options->org_name != NULL)
    {
      backupsctl_usage_error (cli, "%s", _ ("Use either --org or --all, not both."));
      return FALSE;
    }

  options->format = BACKUPSCTL_FORMAT_TABLE;
  if (options->format_name != NULL
      && (!backupsctl_format_parse (options->format_name, &options->format)
          || (!allow_csv && options->format == BACKUPSCTL_FORMAT_CSV)))
    {
      backupsctl_usage_error (cli, _ ("Unknown format “%s”."), options->format_name);
      return FALSE;
    }

  return TRUE;
}

/* Prints records as JSON or CSV. */
static void
print_records (BackupsctlRecords *records, BackupsctlFormat format)
{
  g_autofree char *text = NULL;

  if (format == BACKUPSCTL_FORMAT_JSON)
    text = backupsctl_records_to_json (records);
  else
    text = backupsctl_records_to_csv (records);

  backupsctl_print (text);
}

static void
print_table (BackupsctlTable *table, const char *empty_message)
{
  g_autofree char *text = NULL;

  if (backupsctl_table_get_n_rows (table) == 0)
    {
      /* NULL: the caller says it its own way. */
      if (empty_message != NULL)
        printf ("%s\n", empty_message);
      return;
    }

  text = backupsctl_table_to_string (table);
  backupsctl_print (text);
}

/* Where a report's rows go: a table for people, records for JSON and CSV. */
typedef struct
{
  BackupsctlFormat   format;
  BackupsctlTable   *table;
  BackupsctlRecords *records;
  guint              width; /* what a table and its notes may take; 0: any */
} ReportOutput;

static void
report_output_clear (ReportOutput *output)
{
  g_clear_pointer (&output->table, backupsctl_table_free);
  g_clear_pointer (&output->records, backupsctl_records_free);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (ReportOutput, report_output_clear)

/* Parses the options and finds the organizations to report on, then gets
 * the output ready: FALSE (and *exit_status) when the command ends there. */
static gboolean
start_report_for_site (Backupsctl        *cli,
                       const char        *summary,
                       gboolean           allow_csv,
                       int                argc,
                       char             **argv,
                       const char *const *headers,
                       const char *const *keys,
                       ReportOutput      *output,
                       GPtrArray        **orgs,
                       char             **site_url,
                       int               *exit_status)
{
  g_auto (ReportOptions) options = { 0 };
  g_autoptr (GError) error = NULL;

  if (!parse_report_options (cli, summary, allow_csv, site_url != NULL, argc, argv, &options,
                             exit_status))
    return FALSE;
  if (site_url != NULL)
    *site_url = g_steal_pointer (&options.site_url);

  *orgs = backupsctl_resolve_orgs (cli, options.org_name, &error);
  if (*orgs == NULL)
    {
      *exit_status = backupsctl_fail (cli, "%s", error->message);
      return FALSE;
    }

  output->format = options.format;
  if (options.format == BACKUPSCTL_FORMAT_TABLE)
    {
      output->table = backupsctl_table_new (headers);
      output->width = options.wide ? 0 : backupsctl_terminal_width ();
      backupsctl_table_set_max_width (output->table, output->width);
    }
  else
    output->records = backupsctl_records_new (keys);
  return TRUE;
}

static gboolean
start_report (Backupsctl        *cli,
              const char        *summary,
              gboolean           allow_csv,
              int                argc,
              char             **argv,
              const char *const *headers,
              const char *const *keys,
              ReportOutput      *output,
              GPtrArray        **orgs,
              int               *exit_status)
{
  return start_report_for_site (cli, summary, allow_csv, argc, argv, headers, keys, output, orgs,
                                NULL, exit_status);
}

static void
report_output_print (ReportOutput *output, const char *empty_message)
{
  if (output->table != NULL)
    print_table (output->table, empty_message);
  else
    print_records (output->records, output->format);
}

static void
add_optional_int (BackupsctlRecords *records, gint64 value)
{
  if (value == BACKUPS_NO_VALUE)
    backupsctl_records_add_null (records);
  else
    backupsctl_records_add_int (records, value);
}

/* schedules ---------------------------------------------------------------- */

static char *
describe_destination (BackupsSchedule *schedule)
{
  return backups_destination_describe (
    backups_schedule_get_schedule_type (schedule), backups_schedule_get_destination (schedule),
    backups_schedule_get_destination_service (schedule),
    backups_schedule_get_service_name (schedule), backups_schedule_get_integration_id (schedule));
}

static void
add_flag (BackupsctlRecords *records, BackupsFlag flag)
{
  if (flag == BACKUPS_FLAG_UNKNOWN)
    backupsctl_records_add_null (records);
  else
    backupsctl_records_add_boolean (records, flag == BACKUPS_FLAG_YES);
}

/* A column's value, by kind. */
#define RECORD_ID(member) backupsctl_records_add_int (records, f->member)
#define RECORD_OPTIONAL_ID(member) add_optional_int (records, f->member)
#define RECORD_NUMBER(member) add_optional_int (records, f->member)
#define RECORD_SMALL(member) add_optional_int (records, f->member)
#define RECORD_STRING(member) backupsctl_records_add_string (records, f->member)
#define RECORD_ZONE(member)                                                                        \
  backupsctl_records_add_string (records, backups_time_zone_is_known (f->member) ? f->member : NULL)
#define RECORD_TYPE(member)                                                                        \
  backupsctl_records_add_string (records, backups_schedule_type_to_string (f->member))
#define RECORD_FREQUENCY(member)                                                                   \
  backupsctl_records_add_string (records, backups_frequency_to_string (f->member))
#define RECORD_FLAG(member) add_flag (records, f->member)
#define RECORD_NEXT_RUN(member) backupsctl_records_add_string (records, next_run_text)
#define RECORD_ASSUMED(member)                                                                     \
  backupsctl_records_add_boolean (records, next_run != NULL && assumed_utc)
#define RECORD(KIND, member, property, key, SOURCE)                                                \
  if (schedule_column_keys[column++] != NULL)                                                      \
    RECORD_##KIND (member);

static void
add_schedule_record (BackupsctlRecords *records,
                     const char        *org_name,
                     BackupsSchedule   *schedule,
                     GDateTime         *next_run,
                     gboolean           assumed_utc)
{
  g_autofree char             *next_run_text = backupsctl_format_date_time (next_run);
  const BackupsScheduleFields *f = backups_schedule_get_fields (schedule);
  guint                        column = 0;

  backupsctl_records_begin_row (records);
  backupsctl_records_add_string (records, org_name);
  BACKUPS_SCHEDULE_FIELDS (RECORD)
}

static void
add_schedule_table_row (BackupsctlTable *table,
                        const char      *org_name,
                        BackupsSchedule *schedule,
                        GDateTime       *now,
                        GDateTime       *next_run,
                        gboolean         assumed_utc)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autofree char *when = NULL;
  g_autofree char *next_run_text = backupsctl_format_date_time (next_run);
  g_autofree char *destination = describe_destination (schedule);
  g_autofree char *retention = NULL;
  const char      *cells[11];

  /* The schedule is the server's wall-clock time, NEXT RUN is UTC: the
   * schedule names the server's zone when it is not UTC. */
  when = backups_schedule_describe_zoned (
    backups_schedule_get_frequency (schedule), backups_schedule_get_hour (schedule),
    backups_schedule_get_minute (schedule), backups_schedule_get_day (schedule),
    backups_schedule_get_server_timezone (schedule), next_run != NULL ? next_run : now, utc);
  retention = backups_retention_describe (backups_schedule_get_retain_days (schedule),
                                          backups_schedule_get_prune_schedule (schedule));

  cells[0] = org_name;
  cells[1] = backups_schedule_get_account_name (schedule);
  cells[2] = backups_schedule_get_site_url (schedule);
  cells[3] = backups_schedule_get_server_label (schedule);
  cells[4] = backups_schedule_get_schedule_type (schedule) == BACKUPS_SCHEDULE_TYPE_LOCAL
               ? _ ("Local")
               : _ ("Remote");
  if (next_run != NULL && assumed_utc)
    {
      /* Translators: a next run computed without the server's time zone. */
      char *assumed = g_strdup_printf (_ ("%s (zone unknown, UTC assumed)"), next_run_text);

      g_free (next_run_text);
      next_run_text = assumed;
    }
  else if (next_run == NULL)
    {
      g_free (next_run_text);
      next_run_text = g_strdup (_ ("Unknown"));
    }
  cells[5] = when;
  cells[6] = next_run_text;
  cells[7] = destination;
  cells[8] = retention;
  cells[9] = backups_flag_describe_enabled (backups_schedule_get_enabled (schedule));
  cells[10] = NULL;

  backupsctl_table_add_row (table, cells);
}

int
backupsctl_cmd_schedules (Backupsctl *cli, int argc, char **argv)
{
  const char *headers[] = {
    _ ("ORG"),      _ ("ACCOUNT"),        _ ("SITE"),        _ ("SERVER"),    _ ("TYPE"),
    _ ("SCHEDULE"), _ ("NEXT RUN (UTC)"), _ ("DESTINATION"), _ ("RETENTION"), _ ("STATUS"),
    NULL,
  };
  g_auto (GStrv) keys = schedule_keys_new ();
  g_auto (ReportOutput) output = { 0 };
  g_autoptr (GPtrArray) orgs = NULL;
  int status;

  if (!start_report (cli,
                     _ ("List the backup schedules of every site, with their next run in UTC."),
                     TRUE, argc, argv, headers, (const char *const *)keys, &output, &orgs, &status))
    return status;
  if (output.table != NULL)
    {
      backupsctl_table_set_drop_order (
        output.table,
        (const char *const[]){ _ ("SERVER"), _ ("ACCOUNT"), _ ("TYPE"), _ ("RETENTION"), NULL });
      /* "2026-11-29T05:00:00Z" whole, and a "…" when more follows. */
      backupsctl_table_set_shortest (output.table, _ ("NEXT RUN (UTC)"), 21);
    }

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      g_autoptr (GPtrArray) schedules = NULL;
      g_autoptr (GError) error = NULL;

      schedules = backups_store_query_schedules (cli->store, backups_org_get_id (org), &error);
      if (schedules == NULL)
        return backupsctl_fail (cli, "%s", error->message);

      for (guint j = 0; j < schedules->len; j++)
        {
          BackupsSchedule *schedule = g_ptr_array_index (schedules, j);
          g_autoptr (GDateTime) next_run = NULL;
          gboolean assumed_utc = FALSE;

          next_run = backups_schedule_get_next_run (schedule, cli->now, &assumed_utc);

          if (output.table != NULL)
            add_schedule_table_row (output.table, backups_org_get_name (org), schedule, cli->now,
                                    next_run, assumed_utc);
          else
            add_schedule_record (output.records, backups_org_get_name (org), schedule, next_run,
                                 assumed_utc);
        }
    }

  report_output_print (&output, _ ("No backup schedules."));
  return BACKUPSCTL_EXIT_OK;
}

/* integrations ------------------------------------------------------------- */

int
backupsctl_cmd_integrations (Backupsctl *cli, int argc, char **argv)
{
  const char *headers[] = {
    _ ("ORG"),    _ ("ACCOUNT"), _ ("NAME"), _ ("STORAGE"),
    _ ("REGION"), _ ("USED BY"), _ ("ID"),   NULL,
  };
  g_auto (ReportOutput) output = { 0 };
  g_autoptr (GPtrArray) orgs = NULL;
  int status;

  if (!start_report (cli,
                     _ ("List the backup storage integrations and how many schedules use each."),
                     TRUE, argc, argv, headers, integration_keys, &output, &orgs, &status))
    return status;
  if (output.table != NULL)
    {
      backupsctl_table_set_drop_order (
        output.table, (const char *const[]){ _ ("ID"), _ ("REGION"), _ ("ACCOUNT"), NULL });
      backupsctl_table_set_shortest (output.table, _ ("USED BY"), 7);
    }

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg        *org = g_ptr_array_index (orgs, i);
      BackupsctlTable   *table = output.table;
      BackupsctlRecords *records = output.records;
      g_autoptr (GPtrArray) integrations = NULL;
      g_autoptr (GError) error = NULL;

      integrations
        = backups_store_query_integrations (cli->store, backups_org_get_id (org), &error);
      if (integrations == NULL)
        return backupsctl_fail (cli, "%s", error->message);

      for (guint j = 0; j < integrations->len; j++)
        {
          BackupsIntegration *integration = g_ptr_array_index (integrations, j);

          if (table != NULL)
            {
              g_autofree char *used_by = NULL;
              g_autofree char *id = NULL;
              const char      *cells[8];

              used_by = g_strdup_printf ("%u", backups_integration_get_used_by (integration));
              id = g_strdup_printf ("%" G_GINT64_FORMAT,
                                    backups_integration_get_integration_id (integration));
              cells[0] = backups_org_get_name (org);
              cells[1] = backups_integration_get_account_name (integration);
              cells[2] = backups_integration_get_name (integration);
              cells[3] = backups_storage_kind_label (backups_integration_get_service (integration));
              cells[4] = backups_integration_get_region (integration);
              cells[5] = used_by;
              cells[6] = id;
              cells[7] = NULL;
              backupsctl_table_add_row (table, cells);
            }
          else
            {
              backupsctl_records_begin_row (records);
              backupsctl_records_add_string (records, backups_org_get_name (org));
              backupsctl_records_add_string (records,
                                             backups_integration_get_account_name (integration));
              backupsctl_records_add_int (records,
                                          backups_integration_get_integration_id (integration));
              backupsctl_records_add_string (records,
                                             backups_integration_get_service (integration));
              backupsctl_records_add_string (records, backups_integration_get_name (integration));
              backupsctl_records_add_string (records, backups_integration_get_region (integration));
              backupsctl_records_add_int (records, backups_integration_get_used_by (integration));
            }
        }
    }

  report_output_print (&output, _ ("No backup storage integrations."));

  return BACKUPSCTL_EXIT_OK;
}

/* status ------------------------------------------------------------------- */

/* Under the table: "Acme / Client A: 2 rows had values Backups could not
 * read:" and the reasons, indented. */
static void
append_unreadable_note (GString *notes, BackupsOrg *org, BackupsAccount *account)
{
  guint       n = backups_account_get_last_sync_unreadable (account);
  const char *reasons = backups_account_get_last_sync_unreadable_reasons (account);
  g_auto (GStrv) lines = NULL;

  if (n == 0)
    return;

  g_string_append_c (notes, '\n');
  g_string_append_printf (notes,
                          /* Translators: organization, account, then how many rows. */
                          ngettext ("%s / %s: %u row had values Backups could not read "
                                    "(shown as Unknown):\n",
                                    "%s / %s: %u rows had values Backups could not read "
                                    "(shown as Unknown):\n",
                                    n),
                          backups_org_get_name (org), backups_account_get_name (account), n);
  lines = g_strsplit (reasons != NULL ? reasons : "", "\n", -1);
  for (guint i = 0; lines[i] != NULL; i++)
    if (lines[i][0] != '\0')
      g_string_append_printf (notes, "  %s\n", lines[i]);
}

int
backupsctl_cmd_status (Backupsctl *cli, int argc, char **argv)
{
  const char *headers[] = {
    _ ("ORG"),       _ ("ACCOUNT"),      _ ("STATUS"), _ ("LAST SYNCED (UTC)"),
    _ ("SCHEDULES"), _ ("INTEGRATIONS"), _ ("ERROR"),  NULL,
  };
  g_autoptr (GString) unreadable_notes = g_string_new (NULL);
  g_auto (ReportOutput) output = { 0 };
  g_autoptr (GPtrArray) orgs = NULL;
  int status;

  if (!start_report (cli, _ ("Show each account’s last sync and how much it holds."), FALSE, argc,
                     argv, headers, status_keys, &output, &orgs, &status))
    return status;

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg        *org = g_ptr_array_index (orgs, i);
      gint64             org_id = backups_org_get_id (org);
      BackupsctlTable   *table = output.table;
      BackupsctlRecords *records = output.records;
      g_autoptr (GError) error = NULL;
      g_autoptr (GPtrArray) accounts = NULL;
      g_autoptr (GPtrArray) schedules = NULL;
      g_autoptr (GPtrArray) integrations = NULL;

      accounts = backups_store_list_accounts (cli->store, org_id, &error);
      if (accounts != NULL)
        schedules = backups_store_query_schedules (cli->store, org_id, &error);
      if (schedules != NULL)
        integrations = backups_store_query_integrations (cli->store, org_id, &error);
      if (integrations == NULL)
        return backupsctl_fail (cli, "%s", error->message);

      for (guint j = 0; j < accounts->len; j++)
        {
          BackupsAccount  *account = g_ptr_array_index (accounts, j);
          gint64           account_id = backups_account_get_id (account);
          g_autofree char *finished = NULL;
          guint            n_schedules = 0;
          guint            n_integrations = 0;

          for (guint k = 0; k < schedules->len; k++)
            n_schedules
              += backups_schedule_get_account_id (g_ptr_array_index (schedules, k)) == account_id;
          for (guint k = 0; k < integrations->len; k++)
            n_integrations
              += backups_integration_get_account_id (g_ptr_array_index (integrations, k))
                 == account_id;

          finished
            = backupsctl_format_unix_time (backups_account_get_last_sync_finished_at (account));

          if (table != NULL)
            {
              g_autofree char *schedules_text = g_strdup_printf ("%u", n_schedules);
              g_autofree char *integrations_text = g_strdup_printf ("%u", n_integrations);
              const char      *cells[8];

              cells[0] = backups_org_get_name (org);
              cells[1] = backups_account_get_name (account);
              cells[2]
                = backupsctl_sync_status_label (backups_account_get_last_sync_status (account));
              cells[3] = finished;
              cells[4] = schedules_text;
              cells[5] = integrations_text;
              cells[6] = backups_account_get_last_sync_error (account);
              cells[7] = NULL;
              backupsctl_table_add_row (table, cells);
              append_unreadable_note (unreadable_notes, org, account);
            }
          else
            {
              backupsctl_records_begin_row (records);
              backupsctl_records_add_string (records, backups_org_get_name (org));
              backupsctl_records_add_string (records, backups_account_get_name (account));
              backupsctl_records_add_string (
                records,
                backups_sync_status_to_string (backups_account_get_last_sync_status (account)));
              backupsctl_records_add_string (records, finished);
              backupsctl_records_add_string (records,
                                             backups_account_get_last_sync_error (account));
              backupsctl_records_add_int (records, n_schedules);
              backupsctl_records_add_int (records, n_integrations);
              backupsctl_records_add_int (records,
                                          backups_account_get_last_sync_unreadable (account));
              backupsctl_records_add_string (
                records, backups_account_get_last_sync_unreadable_reasons (account));
            }
        }
    }

  report_output_print (&output, _ ("No accounts. Add one with “backupsctl account add”."));
  if (output.table != NULL && unreadable_notes->len > 0)
    backupsctl_print (unreadable_notes->str);

  return BACKUPSCTL_EXIT_OK;
}

/* sites and check ---------------------------------------------------------- */

/* "no-remote, short-retention", or NULL for none. */
static char *
join_finding_ids (BackupsFinding findings, const char *separator)
{
  BackupsFinding list[BACKUPS_N_FINDINGS];
  const char    *ids[BACKUPS_N_FINDINGS + 1];
  guint          n = backups_finding_list (findings, list);

  if (n == 0)
    return NULL;
  for (guint i = 0; i < n; i++)
    ids[i] = backups_finding_to_id (list[i]);
  ids[n] = NULL;
  return g_strjoinv (separator, (char **)ids);
}

static void
add_site_record (BackupsctlRecords *records, BackupsSite *site, GDateTime *now)
{
  const BackupsSiteFields *f = backups_site_get_fields (site);
  BackupsFinding           list[BACKUPS_N_FINDINGS];
  const char              *ids[BACKUPS_N_FINDINGS + 1];
  g_autoptr (GPtrArray) sentences = g_ptr_array_new_with_free_func (g_free);
  g_autoptr (GDateTime) next = backups_site_get_next_backup (site, now, NULL);
  g_autofree char *next_text = backupsctl_format_date_time (next);
  g_autofree char *local = backups_site_describe_local (site);
  g_autofree char *remote = backups_site_describe_remote (site);
  guint            n = backups_finding_list (f->findings, list);

  for (guint i = 0; i < n; i++)
    {
      ids[i] = backups_finding_to_id (list[i]);
      g_ptr_array_add (sentences, backups_finding_describe (list[i], &f->policy));
    }
  ids[n] = NULL;
  g_ptr_array_add (sentences, NULL);

  backupsctl_records_begin_row (records);
  backupsctl_records_add_string (records, f->org_name);
  backupsctl_records_add_string (records, f->account_name);
  backupsctl_records_add_int (records, f->site_id);
  backupsctl_records_add_string (records, f->site_url);
  add_optional_int (records, f->server_id);
  backupsctl_records_add_string (records, f->server_label);
  backupsctl_records_add_string (records, backups_health_to_id (f->health));
  backupsctl_records_add_strings (records, ids, ";");
  backupsctl_records_add_strings (records, (const char *const *)sentences->pdata, " ");
  backupsctl_records_add_string (records, local);
  backupsctl_records_add_string (records, remote);
  backupsctl_records_add_string (records, next_text);
  backupsctl_records_add_string (records, f->problems);
}

static void
add_site_table_row (BackupsctlTable *table, BackupsSite *site, GDateTime *now, gboolean brief)
{
  const BackupsSiteFields *f = backups_site_get_fields (site);
  g_autoptr (GDateTime) next = backups_site_get_next_backup (site, now, NULL);
  g_autofree char *next_text = backupsctl_format_date_time (next);
  g_autofree char *local = backups_site_describe_local (site);
  g_autofree char *remote = backups_site_describe_remote (site);
  g_autofree char *findings = join_finding_ids (f->findings, ", ");
  const char      *cells[10];
  guint            n = 0;

  cells[n++] = f->org_name;
  cells[n++] = f->account_name;
  cells[n++] = f->site_url;
  cells[n++] = f->server_label;
  if (!brief)
    {
      cells[n++] = local;
      cells[n++] = remote;
      cells[n++] = next_text;
    }
  cells[n++] = backups_health_to_label (f->health);
  cells[n++] = findings;
  cells[n] = NULL;
  backupsctl_table_add_row (table, cells);
}

static void
append_wrapped (GString *notes, const char *text, guint width)
{
  g_autofree char *wrapped = backupsctl_wrap (text, width, 2);

  g_string_append (notes, wrapped);
}

/* Under check's table: what the health words it shows mean, and each
 * finding it shows with what to change, wrapped to `width`. */
static void
print_finding_notes (BackupsFinding       shown,
                     const gboolean       healths_shown[BACKUPS_N_HEALTHS],
                     const BackupsPolicy *policy,
                     guint                width)
{
  g_autoptr (GString) notes = g_string_new ("\n");
  BackupsFinding list[BACKUPS_N_FINDINGS];
  guint          n = backups_finding_list (shown, list);

  if (healths_shown[BACKUPS_HEALTH_UNPROTECTED])
    append_wrapped (notes,
                    _ ("Unprotected: no backup schedule of the site is on. Add one or "
                       "turn one on under Site → Backups in GridPane."),
                    width);
  if (healths_shown[BACKUPS_HEALTH_UNKNOWN])
    append_wrapped (notes,
                    _ ("Unknown: GridPane sent a value for the site that could not be "
                       "read, so nobody can tell whether it is backed up. “backupsctl "
                       "status” lists what could not be read."),
                    width);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sentence = backups_finding_describe (list[i], policy);
      g_autofree char *note = g_strdup_printf ("%s: %s", backups_finding_to_id (list[i]), sentence);

      append_wrapped (notes, note, width);
    }
  backupsctl_print (notes->str);
}

static int
compare_sites (gconstpointer a, gconstpointer b)
{
  return backups_site_compare (*(BackupsSite **)a, *(BackupsSite **)b);
}

/* The sites of every organization the options name, each org's worst
 * first; only those not Protected when `unsafe_only`. */
static int
report_sites (Backupsctl *cli, int argc, char **argv, gboolean check)
{
  const char *site_headers[] = {
    _ ("ORG"),    _ ("ACCOUNT"),           _ ("SITE"),   _ ("SERVER"),   _ ("LOCAL"),
    _ ("REMOTE"), _ ("NEXT BACKUP (UTC)"), _ ("HEALTH"), _ ("FINDINGS"), NULL,
  };
  const char *check_headers[] = {
    _ ("ORG"), _ ("ACCOUNT"), _ ("SITE"), _ ("SERVER"), _ ("HEALTH"), _ ("FINDINGS"), NULL,
  };
  g_autoptr (BackupsPolicy) policy = backups_policy_new_from_default_settings ();
  g_auto (ReportOutput) output = { 0 };
  g_autoptr (GPtrArray) orgs = NULL;
  BackupsFinding shown = BACKUPS_FINDING_NONE;
  gboolean       healths_shown[BACKUPS_N_HEALTHS] = { FALSE };
  guint          n_sites = 0, n_unsafe = 0;
  int            status;

  if (!start_report (cli,
                     check ? _ ("List the sites that are not protected; exit with 3 when there "
                                "is one.")
                           : _ ("List every site with its health and what puts it at risk."),
                     !check, argc, argv, check ? check_headers : site_headers, site_keys, &output,
                     &orgs, &status))
    return status;
  if (output.table != NULL)
    {
      backupsctl_table_set_drop_order (
        output.table, (const char *const[]){ _ ("SERVER"), _ ("ACCOUNT"), _ ("LOCAL"), _ ("REMOTE"),
                                             _ ("NEXT BACKUP (UTC)"), NULL });
      backupsctl_table_set_shortest (output.table, _ ("NEXT BACKUP (UTC)"), 21);
      backupsctl_table_set_shortest (output.table, _ ("HEALTH"), 11);
    }

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      g_autoptr (GPtrArray) sites = NULL;
      g_autoptr (GError) error = NULL;

      sites = backups_store_query_sites (cli->store, backups_org_get_id (org), policy, &error);
      if (sites == NULL)
        return backupsctl_fail (cli, "%s", error->message);
      g_ptr_array_sort (sites, compare_sites);

      for (guint j = 0; j < sites->len; j++)
        {
          BackupsSite *site = g_ptr_array_index (sites, j);
          gboolean     unsafe = backups_site_get_health (site) != BACKUPS_HEALTH_PROTECTED;

          n_sites++;
          n_unsafe += unsafe;
          if (check && !unsafe)
            continue;
          shown |= backups_site_get_findings (site);
          healths_shown[backups_site_get_health (site)] = TRUE;
          if (output.table != NULL)
            add_site_table_row (output.table, site, cli->now, check);
          else
            add_site_record (output.records, site, cli->now);
        }
    }

  if (!check)
    {
      report_output_print (&output, _ ("No sites."));
      return BACKUPSCTL_EXIT_OK;
    }

  if (output.table == NULL)
    report_output_print (&output, NULL);
  else if (n_unsafe == 0)
    {
      g_autofree char *text
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "All %u site is protected.\n",
                                        "All %u sites are protected.\n", n_sites),
                           n_sites);

      backupsctl_print (text);
    }
  else
    {
      g_autofree char *summary
        = g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%u of %u sites is not protected.\n",
                                        "%u of %u sites are not protected.\n", n_unsafe),
                           n_unsafe, n_sites);

      report_output_print (&output, NULL);
      print_finding_notes (shown, healths_shown, policy, output.width);
      backupsctl_print ("\n");
      backupsctl_print (summary);
    }
  return n_unsafe > 0 ? BACKUPSCTL_EXIT_NOT_PROTECTED : BACKUPSCTL_EXIT_OK;
}

int
backupsctl_cmd_sites (Backupsctl *cli, int argc, char **argv)
{
  return report_sites (cli, argc, argv, FALSE);
}

int
backupsctl_cmd_check (Backupsctl *cli, int argc, char **argv)
{
  return report_sites (cli, argc, argv, TRUE);
}

/* restore-points ----------------------------------------------------------- */

static const char *const restore_point_keys[] = {
  "org", "account", "site_url", "source", "kind", "name", "taken_at", "tag", NULL,
};

int
backupsctl_cmd_restore_points (Backupsctl *cli, int argc, char **argv)
{
  const char *headers[] = {
    _ ("ORG"),  _ ("ACCOUNT"),         _ ("SITE"), _ ("SOURCE"), _ ("KIND"),
    _ ("NAME"), _ ("TAKEN AT (UTC)"), _ ("TAG"),  NULL,
  };
  g_auto (ReportOutput) output = { 0 };
  g_autoptr (GPtrArray) orgs = NULL;
  g_autofree char *site_url = NULL;
  guint n_sites = 0, n_unchecked = 0;
  int   status;

  if (!start_report_for_site (
        cli,
        _ ("List the restore points of one site that Backups has read from GridPane, newest "
           "first."),
        TRUE, argc, argv, headers, restore_point_keys, &output, &orgs, &site_url, &status))
    return status;
  if (output.table != NULL)
    backupsctl_table_set_drop_order (output.table,
                                     (const char *const[]){ _ ("ORG"), _ ("ACCOUNT"), _ ("SITE"),
                                                            _ ("NAME"), NULL });

  for (guint i = 0; i < orgs->len; i++)
    {
      BackupsOrg *org = g_ptr_array_index (orgs, i);
      g_autoptr (GPtrArray) refs = NULL;
      g_autoptr (GError) error = NULL;

      refs = backups_store_find_sites (cli->store, backups_org_get_id (org), site_url, &error);
      if (refs == NULL)
        return backupsctl_fail (cli, "%s", error->message);

      for (guint j = 0; j < refs->len; j++)
        {
          BackupsSiteRef *ref = g_ptr_array_index (refs, j);
          g_autoptr (GPtrArray) points = NULL;
          gint64 checked_at;

          points = backups_store_list_restore_points (cli->store, backups_org_get_id (org),
                                                      ref->account_id, ref->site_id, &checked_at,
                                                      &error);
          if (points == NULL)
            return backupsctl_fail (cli, "%s", error->message);
          n_sites++;
          n_unchecked += checked_at == 0;

          for (guint k = 0; k < points->len; k++)
            {
              BackupsRestorePointRecord *point = g_ptr_array_index (points, k);
              g_autofree char *taken_at = backupsctl_format_unix_time (point->taken_at);
              const char *kind = point->kind == BACKUPS_RESTORE_POINT_MANUAL ? "manual" : "automatic";

              if (output.table != NULL)
                {
                  const char *cells[] = {
                    backups_org_get_name (org),
                    ref->account_name,
                    ref->url,
                    g_str_equal (point->source, "local") ? _ ("On the server")
                                                         : backups_storage_kind_label (point->source),
                    point->kind == BACKUPS_RESTORE_POINT_MANUAL ? _ ("Manual") : _ ("Automatic"),
                    point->name,
                    taken_at,
                    point->tag,
                    NULL,
                  };

                  backupsctl_table_add_row (output.table, cells);
                }
              else
                {
                  backupsctl_records_begin_row (output.records);
                  backupsctl_records_add_string (output.records, backups_org_get_name (org));
                  backupsctl_records_add_string (output.records, ref->account_name);
                  backupsctl_records_add_string (output.records, ref->url);
                  backupsctl_records_add_string (output.records, point->source);
                  backupsctl_records_add_string (output.records, kind);
                  backupsctl_records_add_string (output.records, point->name);
                  backupsctl_records_add_string (output.records, taken_at);
                  backupsctl_records_add_string (output.records, point->tag);
                }
            }
        }
    }

  if (n_sites == 0)
    return backupsctl_fail (cli, _ ("No site “%s” in the cache. Check the URL, or sync first."),
                            site_url);

  if (output.table != NULL && n_unchecked == n_sites)
    {
      printf ("%s\n", _ ("Backups has not read this site’s restore points yet. Run “backupsctl "
                          "sync --restore-points --site URL”."));
      return BACKUPSCTL_EXIT_OK;
    }
  report_output_print (&output, _ ("GridPane lists no restore points for this site."));
  return BACKUPSCTL_EXIT_OK;
}
