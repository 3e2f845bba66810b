/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-schedule-fields.c
 *
 * A /backups/schedules site entry and its schedules, from the members
 * either reader found, to schedule records.
 */
#include "config.h"

#include "backups-gridpane-schedule-fields-private.h"

#include <string.h>

/* The schedule's time and its checks (gridpane-api.md). */
#define HOUR_MAX 23
#define MINUTE_MAX 59
#define WEEKDAY_MAX 6 /* Saturday; 0 is Sunday */
#define CRON_SUNDAY 7 /* cron's other spelling of Sunday */
#define MONTH_DAY_MAX 28

#define SITE_ENTRY_ROW(member) BACKUPS_GRIDPANE_MEMBER_ROW (BackupsGridpaneSiteFields, member)
#define SCHEDULE_ROW(member) BACKUPS_GRIDPANE_MEMBER_ROW (BackupsGridpaneScheduleFields, member)
const BackupsGridpaneMember backups_gridpane_site_entry_members[]
  = { BACKUPS_GRIDPANE_SITE_ENTRY_MEMBERS (SITE_ENTRY_ROW){ NULL } };
const BackupsGridpaneMember backups_gridpane_schedule_members[]
  = { BACKUPS_GRIDPANE_SCHEDULE_MEMBERS (SCHEDULE_ROW){ NULL } };
#undef SITE_ENTRY_ROW
#undef SCHEDULE_ROW

void
backups_gridpane_site_entry_clear (BackupsGridpaneSiteEntry *entry)
{
  g_clear_pointer (&entry->url, g_free);
  g_clear_pointer (&entry->problems, g_free);
}

gboolean
backups_gridpane_read_site_entry (const BackupsGridpaneSiteFields *fields,
                                  guint                            index_,
                                  BackupsGridpaneSiteEntry        *entry,
                                  GError                         **error)
{
  g_autofree char        *context = CONTEXT (error, "site entry %u", index_ + 1);
  BackupsGridpaneProblems site_problems = { NULL, "site", 0 };

  backups_gridpane_site_entry_clear (entry);
  /* The site id is what the entry is about: without it there is none. */
  if (!backups_gridpane_value_read_int (&fields->site_id, "site_id", TRUE, 0, &entry->site_id,
                                        context, error))
    return FALSE;
  site_problems.id = entry->site_id;

  /* Its server and URL can be odd: the schedules keep them as unknown. */
  if (!backups_gridpane_lenient_int (&fields->server_id, "server_id", &entry->server_id,
                                     &site_problems))
    entry->server_id = BACKUPS_NO_VALUE;
  entry->url = backups_gridpane_lenient_string (&fields->url, "url", &site_problems);
  if (entry->url == NULL)
    entry->url = g_strdup ("");
  entry->problems = backups_gridpane_problems_free_to_string (&site_problems);
  return TRUE;
}

/* The frequency: one of the four words, else unknown. "Daily" is not
 * "daily": GridPane never sends it, and a guess would be shown as fact. */
static BackupsFrequency
read_frequency (const BackupsGridpaneValue *value, BackupsGridpaneProblems *problems)
{
  g_autofree char *word = backups_gridpane_lenient_string (value, "bup_schedule", problems);
  BackupsFrequency frequency;

  if (word == NULL)
    {
      if (value->kind != BACKUPS_GRIDPANE_VALUE_BOOLEAN
          && value->kind != BACKUPS_GRIDPANE_VALUE_OBJECT
          && value->kind != BACKUPS_GRIDPANE_VALUE_ARRAY)
        backups_gridpane_problems_add (problems, "it has no frequency (“bup_schedule”)");
      return BACKUPS_FREQUENCY_UNKNOWN;
    }
  if (!backups_frequency_from_string (word, &frequency))
    {
      if (g_utf8_strlen (word, -1) > BACKUPS_GRIDPANE_MAX_QUOTED_CHARS)
        backups_gridpane_problems_add (problems,
                                       "its frequency is not hourly, daily, weekly or monthly");
      else
        backups_gridpane_problems_add (
          problems, "frequency “%s” is not hourly, daily, weekly or monthly", word);
    }
  return frequency;
}

/* The schedule's time and day, checked against its frequency. */
static void
read_schedule_time (const BackupsGridpaneScheduleFields *fields,
                    BackupsScheduleRecord               *record,
                    BackupsGridpaneProblems             *problems)
{
  gboolean hourly = record->frequency == BACKUPS_FREQUENCY_HOURLY;

  /* An hourly schedule has no hour and GridPane may leave it out; one it
   * sends out of range is still reported. */
  record->hour = backups_gridpane_lenient_ranged (&fields->hour, "hour", "hour", 0, HOUR_MAX,
                                                  !hourly, problems);
  if (hourly)
    record->hour = BACKUPS_NO_VALUE;
  record->minute = backups_gridpane_lenient_ranged (&fields->minute, "minute", "minute", 0,
                                                    MINUTE_MAX, TRUE, problems);

  switch (record->frequency)
    {
    case BACKUPS_FREQUENCY_WEEKLY:
      {
        BackupsGridpaneValue day = fields->day;
        gint64               number;
        gboolean             present;

        /* Cron spells Sunday both 0 and 7. */
        if (backups_gridpane_value_to_int (&day, &number, &present) && present
            && number == CRON_SUNDAY)
          {
            day.kind = BACKUPS_GRIDPANE_VALUE_INT;
            day.integer = 0;
          }
        record->day = backups_gridpane_lenient_ranged (&day, "day", "weekday", 0, WEEKDAY_MAX, TRUE,
                                                       problems);
        break;
      }

    case BACKUPS_FREQUENCY_MONTHLY:
      record->day = backups_gridpane_lenient_ranged (&fields->day, "day", "day of month", 1,
                                                     MONTH_DAY_MAX, TRUE, problems);
      break;

    case BACKUPS_FREQUENCY_HOURLY:
    case BACKUPS_FREQUENCY_DAILY:
    case BACKUPS_FREQUENCY_UNKNOWN:
    default:
      /* `day` means nothing here, whatever GridPane left in it. */
      record->day = BACKUPS_NO_VALUE;
      break;
    }
}

gboolean
backups_gridpane_add_schedule (const BackupsGridpaneScheduleFields *fields,
                               const BackupsGridpaneSiteEntry      *site,
                               GHashTable                          *seen_ids,
                               GPtrArray                           *records,
                               GError                             **error)
{
  g_autoptr (BackupsScheduleRecord) record = backups_schedule_record_new ();
  g_autofree char *context = CONTEXT (error, "a schedule of site %" G_GINT64_FORMAT, site->site_id);
  g_autofree char *type = NULL;
  BackupsGridpaneProblems problems = { NULL, "schedule", 0 };
  gint64                  number;

  /* Its id and type are what the row is: without them there is no row. */
  if (!backups_gridpane_read_id (&fields->id, "schedule", seen_ids, &record->remote_id, &context,
                                 error))
    return FALSE;
  problems.id = record->remote_id;

  record->site_remote_id = site->site_id;
  record->server_remote_id = site->server_id;
  record->site_url = g_strdup (site->url != NULL ? site->url : "");

  if (!backups_gridpane_value_read_string (&fields->type, "type", &type, context, error))
    return FALSE;
  if (type == NULL)
    {
      INVALID (error, "%s: the required “type” is missing", context);
      return FALSE;
    }
  if (!backups_schedule_type_from_string (type, &record->type))
    {
      INVALID (error, "%s: unknown type “%s”", context, type);
      return FALSE;
    }

  record->frequency = read_frequency (&fields->bup_schedule, &problems);
  read_schedule_time (fields, record, &problems);

  /* A local backup has no destination, whatever the body says. */
  if (record->type == BACKUPS_SCHEDULE_TYPE_REMOTE)
    {
      if (backups_gridpane_lenient_int (&fields->service_id, "service_id", &number, &problems))
        record->service_id = number;
      record->service_name
        = backups_gridpane_lenient_string (&fields->service_name, "service_name", &problems);
      if (backups_gridpane_lenient_int (&fields->service_user_id, "service_user_id", &number,
                                        &problems))
        record->integration_id = number;
    }

  /* What its site entry had that could not be read goes with it. */
  if (site->problems != NULL)
    backups_gridpane_problems_add (&problems, "%s", site->problems);
  record->problems = backups_gridpane_problems_free_to_string (&problems);
  g_hash_table_add (seen_ids, &record->remote_id);
  g_ptr_array_add (records, g_steal_pointer (&record));
  return TRUE;
}
