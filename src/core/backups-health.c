/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-health.c
 *
 * The findings and the health of a site. Pure functions: the caller
 * brings one site's rows (or one server's sites) and the policy's values.
 */
#include "config.h"

#include <glib/gi18n.h>

#include "backups-health.h"

G_DEFINE_ENUM_TYPE (BackupsHealth,
                    backups_health,
                    G_DEFINE_ENUM_VALUE (BACKUPS_HEALTH_UNPROTECTED, "unprotected"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_HEALTH_UNKNOWN, "unknown"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_HEALTH_AT_RISK, "at-risk"),
                    G_DEFINE_ENUM_VALUE (BACKUPS_HEALTH_PROTECTED, "protected"))

G_DEFINE_FLAGS_TYPE (BackupsFinding,
                     backups_finding,
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_NONE, "none"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_NO_REMOTE, "no-remote"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_AUTOMATIC_OFF, "automatic-off"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_UNKNOWN_DESTINATION,
                                          "unknown-destination"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_SHORT_RETENTION, "short-retention"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_INFREQUENT, "infrequent"),
                     G_DEFINE_ENUM_VALUE (BACKUPS_FINDING_CROWDED_START, "crowded-start"))

/* The findings in the order they are listed and printed. */
static const struct
{
  BackupsFinding finding;
  const char    *id;
} findings_table[] = {
  { BACKUPS_FINDING_NO_REMOTE, "no-remote" },
  { BACKUPS_FINDING_AUTOMATIC_OFF, "automatic-off" },
  { BACKUPS_FINDING_UNKNOWN_DESTINATION, "unknown-destination" },
  { BACKUPS_FINDING_SHORT_RETENTION, "short-retention" },
  { BACKUPS_FINDING_INFREQUENT, "infrequent" },
  { BACKUPS_FINDING_CROWDED_START, "crowded-start" },
};

G_STATIC_ASSERT (G_N_ELEMENTS (findings_table) == BACKUPS_N_FINDINGS);

BackupsFlag
backups_health_site_flag (const BackupsHealthSite *site, BackupsScheduleType type)
{
  return type == BACKUPS_SCHEDULE_TYPE_REMOTE ? site->remote_bup : site->local_bup;
}

static gboolean
schedule_enabled (const BackupsHealthSite *site, const BackupsHealthSchedule *schedule)
{
  return backups_health_site_flag (site, schedule->type) == BACKUPS_FLAG_YES;
}

gboolean
backups_finding_no_remote (const BackupsHealthSite *site)
{
  g_return_val_if_fail (site != NULL, FALSE);

  for (guint i = 0; i < site->n_schedules; i++)
    {
      const BackupsHealthSchedule *schedule = &site->schedules[i];

      if (schedule->type != BACKUPS_SCHEDULE_TYPE_REMOTE)
        continue;
      /* A flag nobody could read may well be on: not a finding. */
      if (site->remote_bup == BACKUPS_FLAG_UNKNOWN)
        return FALSE;
      if (schedule_enabled (site, schedule) && schedule->integration_known)
        return FALSE;
    }
  return TRUE;
}

gboolean
backups_finding_automatic_off (const BackupsHealthSite *site)
{
  g_return_val_if_fail (site != NULL, FALSE);

  for (guint i = 0; i < site->n_schedules; i++)
    if (backups_health_site_flag (site, site->schedules[i].type) == BACKUPS_FLAG_NO)
      return TRUE;
  return FALSE;
}

gboolean
backups_finding_unknown_destination (const BackupsHealthSite *site)
{
  g_return_val_if_fail (site != NULL, FALSE);

  for (guint i = 0; i < site->n_schedules; i++)
    if (site->schedules[i].type == BACKUPS_SCHEDULE_TYPE_REMOTE
        && !site->schedules[i].integration_known)
      return TRUE;
  return FALSE;
}

gboolean
backups_finding_short_retention (const BackupsHealthSite *site, guint min_retain_days)
{
  g_return_val_if_fail (site != NULL, FALSE);

  if (min_retain_days == 0)
    return FALSE;

  for (guint i = 0; i < site->n_schedules; i++)
    {
      const BackupsHealthSchedule *schedule = &site->schedules[i];
      int                          days;

      if (!schedule_enabled (site, schedule))
        continue;
      days = schedule->type == BACKUPS_SCHEDULE_TYPE_REMOTE ? site->remote_retain_days
                                                            : site->local_retain_days;
      /* 0 is unlimited; unknown is no finding (the site's problems say). */
      if (days > 0 && (guint)days < min_retain_days)
        return TRUE;
    }
  return FALSE;
}

/* The longest gap between two runs of a frequency, in hours; 0 unknown. */
static guint
frequency_gap_hours (BackupsFrequency frequency)
{
  switch (frequency)
    {
    case BACKUPS_FREQUENCY_HOURLY:
      return 1;
    case BACKUPS_FREQUENCY_DAILY:
      return 24;
    case BACKUPS_FREQUENCY_WEEKLY:
      return 7 * 24;
    case BACKUPS_FREQUENCY_MONTHLY:
      return 31 * 24;
    case BACKUPS_FREQUENCY_UNKNOWN:
    default:
      return 0;
    }
}

gboolean
backups_finding_infrequent (const BackupsHealthSite *site, guint max_gap_hours)
{
  guint shortest = G_MAXUINT;

  g_return_val_if_fail (site != NULL, FALSE);

  if (max_gap_hours == 0)
    return FALSE;

  for (guint i = 0; i < site->n_schedules; i++)
    {
      const BackupsHealthSchedule *schedule = &site->schedules[i];
      guint                        gap;

      if (!schedule_enabled (site, schedule))
        continue;
      gap = frequency_gap_hours (schedule->frequency);
      /* An enabled schedule of unknown frequency may run often enough. */
      if (gap == 0)
        return FALSE;
      shortest = MIN (shortest, gap);
    }
  /* No enabled schedule: unprotected, which says more. */
  return shortest != G_MAXUINT && shortest > max_gap_hours;
}

/* Crowded start ------------------------------------------------------------
 *
 * A run of a schedule is a minute with up to three more fields fixed: the
 * hour (all but hourly), the weekday (weekly) and the day of the month
 * (monthly). Two schedules meet when every field both fix is equal, and a
 * group of schedules that meet pairwise has a minute in common (each field
 * is free or has one value). So the instants to count are, within each
 * minute of the hour, every combination of the hours, weekdays and days
 * that some schedule fixes; an instant with a free field is never fuller
 * than one that fixes it to a value in use. */

#define ANY (-1)

typedef struct
{
  guint site;
  int   minute;
  int   hour;    /* ANY for hourly */
  int   weekday; /* weekly only */
  int   day;     /* monthly only */
} Start;

static int
compare_starts (gconstpointer a, gconstpointer b)
{
  const Start *x = a, *y = b;

  if (x->minute != y->minute)
    return x->minute - y->minute;
  return (int)x->site - (int)y->site;
}

static gboolean
start_from_schedule (const BackupsHealthSchedule *schedule, guint site, Start *start)
{
  start->site = site;
  start->minute = schedule->minute;
  start->hour = schedule->hour;
  start->weekday = ANY;
  start->day = ANY;
  if (schedule->minute < 0 || schedule->minute > 59)
    return FALSE;
  switch (schedule->frequency)
    {
    case BACKUPS_FREQUENCY_HOURLY:
      start->hour = ANY;
      return TRUE;
    case BACKUPS_FREQUENCY_DAILY:
      return schedule->hour >= 0 && schedule->hour <= 23;
    case BACKUPS_FREQUENCY_WEEKLY:
      start->weekday = schedule->day;
      return schedule->hour >= 0 && schedule->hour <= 23 && schedule->day >= 0
             && schedule->day <= 6;
    case BACKUPS_FREQUENCY_MONTHLY:
      start->day = schedule->day;
      return schedule->hour >= 0 && schedule->hour <= 23 && schedule->day >= 1
             && schedule->day <= 31;
    case BACKUPS_FREQUENCY_UNKNOWN:
    default:
      return FALSE;
    }
}

static inline gboolean
field_meets (int fixed, int value)
{
  return fixed == ANY || value == ANY || fixed == value;
}

/* The distinct values of one field among `starts`, or just ANY. */
static guint
distinct_values (const Start *starts, guint n, gsize offset, int *values)
{
  guint n_values = 0;

  for (guint i = 0; i < n; i++)
    {
      int      value = G_STRUCT_MEMBER (int, &starts[i], offset);
      gboolean seen = FALSE;

      if (value == ANY)
        continue;
      for (guint k = 0; k < n_values && !seen; k++)
        seen = values[k] == value;
      if (!seen)
        values[n_values++] = value;
    }
  if (n_values == 0)
    values[n_values++] = ANY;
  return n_values;
}

/* One minute's starts, sorted by site. */
static void
crowd_minute (
  const Start *starts, guint n, guint max_sites, guint *stamps, guint *stamp, gboolean *crowded)
{
  g_autofree int *hours = g_new (int, n + 1);
  g_autofree int *weekdays = g_new (int, n + 1);
  g_autofree int *days = g_new (int, n + 1);
  guint           n_sites = 0, n_hours, n_weekdays, n_days;

  for (guint i = 0; i < n; i++)
    if (i == 0 || starts[i].site != starts[i - 1].site)
      n_sites++;
  if (n_sites <= max_sites)
    return;

  n_hours = distinct_values (starts, n, G_STRUCT_OFFSET (Start, hour), hours);
  n_weekdays = distinct_values (starts, n, G_STRUCT_OFFSET (Start, weekday), weekdays);
  n_days = distinct_values (starts, n, G_STRUCT_OFFSET (Start, day), days);

  for (guint h = 0; h < n_hours; h++)
    for (guint w = 0; w < n_weekdays; w++)
      for (guint d = 0; d < n_days; d++)
        {
          guint count = 0;

          (*stamp)++;
          for (guint i = 0; i < n; i++)
            if (field_meets (starts[i].hour, hours[h])
                && field_meets (starts[i].weekday, weekdays[w])
                && field_meets (starts[i].day, days[d]) && stamps[starts[i].site] != *stamp)
              {
                stamps[starts[i].site] = *stamp;
                count++;
              }
          if (count <= max_sites)
            continue;
          for (guint i = 0; i < n; i++)
            if (stamps[starts[i].site] == *stamp)
              crowded[starts[i].site] = TRUE;
        }
}

void
backups_finding_crowded_start (const BackupsHealthSite *const *sites,
                               guint                           n_sites,
                               guint                           max_sites,
                               gboolean                       *crowded)
{
  g_autoptr (GArray) starts = NULL;
  g_autofree guint *stamps = NULL;
  guint             stamp = 0;

  g_return_if_fail (n_sites == 0 || (sites != NULL && crowded != NULL));

  for (guint i = 0; i < n_sites; i++)
    crowded[i] = FALSE;
  if (max_sites == 0 || n_sites <= max_sites)
    return;

  starts = g_array_new (FALSE, FALSE, sizeof (Start));
  for (guint i = 0; i < n_sites; i++)
    for (guint k = 0; k < sites[i]->n_schedules; k++)
      {
        const BackupsHealthSchedule *schedule = &sites[i]->schedules[k];
        Start                        start;

        if (schedule_enabled (sites[i], schedule) && start_from_schedule (schedule, i, &start))
          g_array_append_val (starts, start);
      }
  g_array_sort (starts, compare_starts);

  stamps = g_new0 (guint, n_sites);
  for (guint first = 0; first < starts->len;)
    {
      const Start *group = &g_array_index (starts, Start, first);
      guint        n = 1;

      while (first + n < starts->len && group[n].minute == group[0].minute)
        n++;
      crowd_minute (group, n, max_sites, stamps, &stamp, crowded);
      first += n;
    }
}

/* The whole site --------------------------------------------------------- */

BackupsFinding
backups_health_site_findings (const BackupsHealthSite *site, const BackupsPolicy *policy)
{
  BackupsFinding findings = BACKUPS_FINDING_NONE;

  g_return_val_if_fail (site != NULL, BACKUPS_FINDING_NONE);
  g_return_val_if_fail (policy != NULL, BACKUPS_FINDING_NONE);

  if (policy->require_remote && backups_finding_no_remote (site))
    findings |= BACKUPS_FINDING_NO_REMOTE;
  if (backups_finding_automatic_off (site))
    findings |= BACKUPS_FINDING_AUTOMATIC_OFF;
  if (backups_finding_unknown_destination (site))
    findings |= BACKUPS_FINDING_UNKNOWN_DESTINATION;
  if (backups_finding_short_retention (site, policy->min_retain_days))
    findings |= BACKUPS_FINDING_SHORT_RETENTION;
  if (backups_finding_infrequent (site, policy->max_gap_hours))
    findings |= BACKUPS_FINDING_INFREQUENT;
  return findings;
}

BackupsHealth
backups_health_of (const BackupsHealthSite *site, BackupsFinding findings)
{
  gboolean may_run = FALSE;
  gboolean unreadable;

  g_return_val_if_fail (site != NULL, BACKUPS_HEALTH_UNKNOWN);

  unreadable = site->has_problems;
  for (guint i = 0; i < site->n_schedules; i++)
    {
      const BackupsHealthSchedule *schedule = &site->schedules[i];
      BackupsFlag                  flag = backups_health_site_flag (site, schedule->type);

      if (flag != BACKUPS_FLAG_NO)
        may_run = TRUE;
      if (flag == BACKUPS_FLAG_UNKNOWN || schedule->has_problems)
        unreadable = TRUE;
    }

  /* Known for sure, whatever else could not be read. */
  if (!may_run)
    return BACKUPS_HEALTH_UNPROTECTED;
  if (unreadable)
    return BACKUPS_HEALTH_UNKNOWN;
  return findings != BACKUPS_FINDING_NONE ? BACKUPS_HEALTH_AT_RISK : BACKUPS_HEALTH_PROTECTED;
}

/* Words ------------------------------------------------------------------ */

const char *
backups_health_to_id (BackupsHealth health)
{
  switch (health)
    {
    case BACKUPS_HEALTH_UNPROTECTED:
      return "unprotected";
    case BACKUPS_HEALTH_UNKNOWN:
      return "unknown";
    case BACKUPS_HEALTH_AT_RISK:
      return "at-risk";
    case BACKUPS_HEALTH_PROTECTED:
      return "protected";
    default:
      g_return_val_if_reached ("unknown");
    }
}

const char *
backups_health_to_label (BackupsHealth health)
{
  switch (health)
    {
    case BACKUPS_HEALTH_UNPROTECTED:
      return _ ("Unprotected");
    case BACKUPS_HEALTH_UNKNOWN:
      return _ ("Unknown");
    case BACKUPS_HEALTH_AT_RISK:
      return _ ("At risk");
    case BACKUPS_HEALTH_PROTECTED:
      return _ ("Protected");
    default:
      g_return_val_if_reached (_ ("Unknown"));
    }
}

const char *
backups_finding_to_id (BackupsFinding finding)
{
  for (guint i = 0; i < G_N_ELEMENTS (findings_table); i++)
    if (findings_table[i].finding == finding)
      return findings_table[i].id;
  return NULL;
}

guint
backups_finding_list (BackupsFinding findings, BackupsFinding out[BACKUPS_N_FINDINGS])
{
  guint n = 0;

  for (guint i = 0; i < G_N_ELEMENTS (findings_table); i++)
    if (findings & findings_table[i].finding)
      out[n++] = findings_table[i].finding;
  return n;
}

char *
backups_finding_describe (BackupsFinding finding, const BackupsPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  switch (finding)
    {
    case BACKUPS_FINDING_NO_REMOTE:
      return g_strdup (_ ("No remote backup is on, so losing the server loses its backups too. "
                          "Turn on remote backups to a storage integration under Site → Backups "
                          "in GridPane."));
    case BACKUPS_FINDING_AUTOMATIC_OFF:
      return g_strdup (_ ("A backup schedule is set up but automatic backups of its kind are off. "
                          "Turn them on under Site → Backups in GridPane."));
    case BACKUPS_FINDING_UNKNOWN_DESTINATION:
      return g_strdup (_ ("A remote schedule sends its backups to an integration this account "
                          "does not have. Choose an existing integration under Site → Backups → "
                          "Remote in GridPane."));
    case BACKUPS_FINDING_SHORT_RETENTION:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Backups are kept for less than %u day. Keep them "
                                           "longer under Site → Backups → Prune Schedule in "
                                           "GridPane.",
                                           "Backups are kept for less than %u days. Keep them "
                                           "longer under Site → Backups → Prune Schedule in "
                                           "GridPane.",
                                           policy->min_retain_days),
                              policy->min_retain_days);
    case BACKUPS_FINDING_INFREQUENT:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "Backups run less often than every %u hour. Choose a "
                                           "more frequent schedule under Site → Backups in "
                                           "GridPane.",
                                           "Backups run less often than every %u hours. Choose a "
                                           "more frequent schedule under Site → Backups in "
                                           "GridPane.",
                                           policy->max_gap_hours),
                              policy->max_gap_hours);
    case BACKUPS_FINDING_CROWDED_START:
      return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE,
                                           "More than %u site of this server can start a backup "
                                           "in the same minute, and GridPane queues them. Move "
                                           "this site's backups to another time under Site → "
                                           "Backups in GridPane.",
                                           "More than %u sites of this server can start a backup "
                                           "in the same minute, and GridPane queues them. Move "
                                           "this site's backups to another time under Site → "
                                           "Backups in GridPane.",
                                           policy->crowded_start_sites),
                              policy->crowded_start_sites);
    case BACKUPS_FINDING_NONE:
    default:
      g_return_val_if_reached (NULL);
    }
}
