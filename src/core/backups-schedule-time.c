/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-schedule-time.c
 *
 * When a schedule next runs and how a person would say it. GridPane's hour
 * and minute are wall-clock time on the site's server, so the arithmetic
 * happens in the server's zone and only the result is turned into UTC.
 */
#include "config.h"

#include <string.h>

#include <glib/gi18n.h>

#include "backups-schedule-time.h"

/* Far enough to find any monthly day (1–28) from any date. */
#define MAX_DAYS_AHEAD 62

/* GLib keeps a zone only while someone holds it, and reads its file again
 * (about 0.3 ms) once nobody does. A list of schedules asks for its
 * servers' few zones at every row, so they are kept here. Any thread.
 * NULL for a missing or unknown zone. */
static GTimeZone *
time_zone_lookup (const char *tz_name)
{
  static GMutex      lock;
  static GHashTable *zones; /* name → GTimeZone; never freed */
  GTimeZone         *tz = NULL;

  if (tz_name != NULL && *tz_name != '\0')
    {
      g_mutex_lock (&lock);
      if (zones == NULL)
        zones = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                       (GDestroyNotify)g_time_zone_unref);
      tz = g_hash_table_lookup (zones, tz_name);
      if (tz == NULL)
        {
          tz = g_time_zone_new_identifier (tz_name);
          if (tz != NULL)
            g_hash_table_insert (zones, g_strdup (tz_name), tz);
        }
      if (tz != NULL)
        g_time_zone_ref (tz);
      g_mutex_unlock (&lock);
    }

  return tz;
}

gboolean
backups_time_zone_is_known (const char *tz_name)
{
  g_autoptr (GTimeZone) tz = time_zone_lookup (tz_name);

  return tz != NULL;
}

/* Seconds since the epoch of a wall-clock time read as if it were UTC. */
static gint64
wall_seconds (GDate *date, int hour, int minute)
{
  g_autoptr (GDateTime) as_utc = g_date_time_new_utc (
    g_date_get_year (date), g_date_get_month (date), g_date_get_day (date), hour, minute, 0);

  return g_date_time_to_unix (as_utc);
}

/* The instant the wall-clock time `hour:minute` on `date` happens in `tz`.
 *
 * A time that happens twice (the hour repeated when clocks fall back) runs
 * at its first occurrence, the way cron runs it once. A time that does not
 * exist (skipped when clocks spring forward) runs when GLib says, which is
 * the moment the clocks jump. */
static GDateTime *
wall_time_to_instant (GTimeZone *tz, GDate *date, int hour, int minute)
{
  g_autoptr (GDateTime) glib_choice = NULL;
  GDateTime *earliest = NULL;
  gint64     wall;
  GTimeSpan  offsets[2];

  glib_choice = g_date_time_new (tz, g_date_get_year (date), g_date_get_month (date),
                                 g_date_get_day (date), hour, minute, 0);
  if (glib_choice == NULL)
    return NULL;

  wall = wall_seconds (date, hour, minute);

  /* Zones change offset at most once around a given day, so the offsets a
   * day before and a day after are every offset this wall time can have. */
  {
    g_autoptr (GDateTime) before = g_date_time_add_days (glib_choice, -1);
    g_autoptr (GDateTime) after = g_date_time_add_days (glib_choice, 1);

    offsets[0] = g_date_time_get_utc_offset (before);
    offsets[1] = g_date_time_get_utc_offset (after);
  }

  for (guint i = 0; i < G_N_ELEMENTS (offsets); i++)
    {
      gint64 instant_seconds = wall - offsets[i] / G_TIME_SPAN_SECOND;
      g_autoptr (GDateTime) instant = g_date_time_new_from_unix_utc (instant_seconds);
      g_autoptr (GDateTime) local = g_date_time_to_timezone (instant, tz);

      /* Only an offset the zone really has at that instant reproduces the
       * wall time; the other one lands in the wrong hour. */
      if (g_date_time_get_utc_offset (local) != offsets[i])
        continue;

      if (earliest == NULL || g_date_time_compare (instant, earliest) < 0)
        {
          g_clear_pointer (&earliest, g_date_time_unref);
          earliest = g_steal_pointer (&instant);
        }
    }

  if (earliest == NULL)
    return g_date_time_to_utc (glib_choice);

  return earliest;
}

static gboolean
day_matches (BackupsFrequency frequency, int day, GDate *date)
{
  switch (frequency)
    {
    case BACKUPS_FREQUENCY_DAILY:
      return TRUE;
    case BACKUPS_FREQUENCY_WEEKLY:
      /* GDate counts Monday = 1 … Sunday = 7; GridPane Sunday = 0. */
      return (g_date_get_weekday (date) % 7) == (guint)day;
    case BACKUPS_FREQUENCY_MONTHLY:
      return g_date_get_day (date) == (GDateDay)day;
    case BACKUPS_FREQUENCY_HOURLY:
    default:
      return FALSE;
    }
}

static GDateTime *
next_hourly_run (GTimeZone *tz, int minute, GDateTime *now)
{
  g_autoptr (GDateTime) local_now = g_date_time_to_timezone (now, tz);
  g_autoptr (GDateTime) candidate = NULL;
  GTimeSpan shift;

  /* Step in real time, not wall time: every hour that passes has a :MM,
   * including both copies of an hour repeated when clocks fall back. */
  shift = (GTimeSpan)(minute - g_date_time_get_minute (local_now)) * G_TIME_SPAN_MINUTE
          - (GTimeSpan)g_date_time_get_second (local_now) * G_TIME_SPAN_SECOND
          - (GTimeSpan)g_date_time_get_microsecond (local_now);
  candidate = g_date_time_add (local_now, shift);

  while (g_date_time_compare (candidate, now) <= 0)
    {
      GDateTime *later = g_date_time_add_hours (candidate, 1);

      g_date_time_unref (candidate);
      candidate = later;
    }

  return g_date_time_to_utc (candidate);
}

/* TRUE when the values a schedule of `frequency` needs are known and in
 * range. */
static gboolean
schedule_values_valid (BackupsFrequency frequency, int hour, int minute, int day)
{
  if (minute < 0 || minute > 59)
    return FALSE;

  switch (frequency)
    {
    case BACKUPS_FREQUENCY_HOURLY:
      return TRUE;
    case BACKUPS_FREQUENCY_DAILY:
      return hour >= 0 && hour <= 23;
    case BACKUPS_FREQUENCY_WEEKLY:
      return hour >= 0 && hour <= 23 && day >= 0 && day <= 6;
    case BACKUPS_FREQUENCY_MONTHLY:
      return hour >= 0 && hour <= 23 && day >= 1 && day <= 28;
    default:
      return FALSE;
    }
}

/* The server's zone; an unknown zone is never silently UTC: the caller is
 * told through *assumed_utc. */
static GTimeZone *
schedule_zone (const char *tz_name, gboolean *assumed_utc)
{
  GTimeZone *tz = time_zone_lookup (tz_name);

  if (assumed_utc != NULL)
    *assumed_utc = tz == NULL;
  return tz != NULL ? tz : g_time_zone_new_utc ();
}

/* The local date of `now` in `tz`, moved by `days`. */
static void
local_date (GDate *date, GTimeZone *tz, GDateTime *now, int days)
{
  g_autoptr (GDateTime) local_now = g_date_time_to_timezone (now, tz);

  g_date_clear (date, 1);
  g_date_set_dmy (date, g_date_time_get_day_of_month (local_now), g_date_time_get_month (local_now),
                  g_date_time_get_year (local_now));
  if (days < 0)
    g_date_subtract_days (date, -days);
  else
    g_date_add_days (date, days);
}

GDateTime *
backups_schedule_next_run (BackupsFrequency frequency,
                           int              hour,
                           int              minute,
                           int              day,
                           const char      *tz_name,
                           GDateTime       *now,
                           gboolean        *assumed_utc)
{
  g_autoptr (GTimeZone) tz = NULL;
  GDate date;

  g_return_val_if_fail (now != NULL, NULL);

  if (assumed_utc != NULL)
    *assumed_utc = FALSE;
  if (!schedule_values_valid (frequency, hour, minute, day))
    return NULL;

  tz = schedule_zone (tz_name, assumed_utc);
  if (frequency == BACKUPS_FREQUENCY_HOURLY)
    return next_hourly_run (tz, minute, now);

  /* Start a day early: a run on the previous local date can still lie in
   * the future when its wall time was shifted across midnight. */
  local_date (&date, tz, now, -1);

  for (guint i = 0; i <= MAX_DAYS_AHEAD; i++, g_date_add_days (&date, 1))
    {
      g_autoptr (GDateTime) run = NULL;

      if (!day_matches (frequency, day, &date))
        continue;

      run = wall_time_to_instant (tz, &date, hour, minute);
      if (run != NULL && g_date_time_compare (run, now) > 0)
        return g_date_time_to_utc (run);
    }

  g_return_val_if_reached (NULL);
}

GDateTime *
backups_schedule_previous_run (BackupsFrequency frequency,
                               int              hour,
                               int              minute,
                               int              day,
                               const char      *tz_name,
                               GDateTime       *now,
                               gboolean        *assumed_utc)
{
  g_autoptr (GTimeZone) tz = NULL;
  GDate date;

  g_return_val_if_fail (now != NULL, NULL);

  if (assumed_utc != NULL)
    *assumed_utc = FALSE;
  if (!schedule_values_valid (frequency, hour, minute, day))
    return NULL;

  tz = schedule_zone (tz_name, assumed_utc);
  if (frequency == BACKUPS_FREQUENCY_HOURLY)
    {
      /* The next run is at most an hour ahead, in real time. */
      g_autoptr (GDateTime) next = next_hourly_run (tz, minute, now);

      return g_date_time_add_hours (next, -1);
    }

  /* Start a day late: a run on the next local date can already lie in the
   * past when its wall time was shifted across midnight. */
  local_date (&date, tz, now, 1);

  for (guint i = 0; i <= MAX_DAYS_AHEAD; i++, g_date_subtract_days (&date, 1))
    {
      g_autoptr (GDateTime) run = NULL;

      if (!day_matches (frequency, day, &date))
        continue;

      run = wall_time_to_instant (tz, &date, hour, minute);
      if (run != NULL && g_date_time_compare (run, now) <= 0)
        return g_date_time_to_utc (run);
    }

  g_return_val_if_reached (NULL);
}

static const char *
weekday_name (int day)
{
  static const char *const names[] = {
    N_ ("Sunday"),   N_ ("Monday"), N_ ("Tuesday"),  N_ ("Wednesday"),
    N_ ("Thursday"), N_ ("Friday"), N_ ("Saturday"),
  };

  if (day < 0 || day >= (int)G_N_ELEMENTS (names))
    return NULL;

  return _ (names[day]);
}

char *
backups_schedule_describe (BackupsFrequency frequency, int hour, int minute, int day)
{
  gboolean time_unknown = minute < 0 || minute > 59
                          || (frequency != BACKUPS_FREQUENCY_HOURLY && (hour < 0 || hour > 23));

  if (time_unknown)
    {
      switch (frequency)
        {
        case BACKUPS_FREQUENCY_HOURLY:
          return g_strdup (_ ("Hourly, minute unknown"));
        case BACKUPS_FREQUENCY_DAILY:
          return g_strdup (_ ("Daily, time unknown"));
        case BACKUPS_FREQUENCY_WEEKLY:
          return g_strdup (_ ("Weekly, time unknown"));
        case BACKUPS_FREQUENCY_MONTHLY:
          return g_strdup (_ ("Monthly, time unknown"));
        case BACKUPS_FREQUENCY_UNKNOWN:
        default:
          return g_strdup (_ ("Unknown"));
        }
    }

  switch (frequency)
    {
    case BACKUPS_FREQUENCY_HOURLY:
      /* Translators: an hourly backup, "%02d" is the minute: "Hourly at :30". */
      return g_strdup_printf (_ ("Hourly at :%02d"), minute);

    case BACKUPS_FREQUENCY_DAILY:
      /* Translators: hour and minute on a 24-hour clock: "Daily at 02:30". */
      return g_strdup_printf (_ ("Daily at %02d:%02d"), hour, minute);

    case BACKUPS_FREQUENCY_WEEKLY:
      if (weekday_name (day) == NULL)
        return g_strdup_printf (_ ("Weekly at %02d:%02d"), hour, minute);
      /* Translators: a weekday name, then hour and minute:
       * "Weekly on Sunday at 05:00". */
      return g_strdup_printf (_ ("Weekly on %s at %02d:%02d"), weekday_name (day), hour, minute);

    case BACKUPS_FREQUENCY_MONTHLY:
      if (day < 1 || day > 28)
        return g_strdup_printf (_ ("Monthly at %02d:%02d"), hour, minute);
      /* Translators: day of the month, then hour and minute:
       * "Monthly on day 1 at 00:00". */
      return g_strdup_printf (_ ("Monthly on day %d at %02d:%02d"), day, hour, minute);

    default:
      return g_strdup (_ ("Unknown"));
    }
}

char *
backups_schedule_zone_if_other (const char *tz_name, GDateTime *at, GTimeZone *viewer)
{
  g_autoptr (GTimeZone) tz = time_zone_lookup (tz_name);
  gint64 instant = g_date_time_to_unix (at);
  int    interval, viewer_interval;

  if (tz == NULL || viewer == NULL)
    return NULL;

  interval = g_time_zone_find_interval (tz, G_TIME_TYPE_UNIVERSAL, instant);
  viewer_interval = g_time_zone_find_interval (viewer, G_TIME_TYPE_UNIVERSAL, instant);
  if (interval < 0 || viewer_interval < 0
      || g_time_zone_get_offset (tz, interval) == g_time_zone_get_offset (viewer, viewer_interval))
    return NULL;

  return g_strdup (g_time_zone_get_abbreviation (tz, interval));
}

char *
backups_schedule_describe_zoned (BackupsFrequency frequency,
                                 int              hour,
                                 int              minute,
                                 int              day,
                                 const char      *tz_name,
                                 GDateTime       *at,
                                 GTimeZone       *viewer)
{
  g_autofree char *when = backups_schedule_describe (frequency, hour, minute, day);
  g_autofree char *zone = NULL;

  if (minute == BACKUPS_NO_VALUE
      || (frequency != BACKUPS_FREQUENCY_HOURLY && hour == BACKUPS_NO_VALUE))
    return g_steal_pointer (&when);

  zone = backups_schedule_zone_if_other (tz_name, at, viewer);
  if (zone == NULL)
    return g_steal_pointer (&when);

  /* Translators: a schedule and the server's time zone when it is not
   * the viewer's: "Daily at 06:15 EST". */
  return g_strdup_printf (C_ ("schedule in a time zone", "%s %s"), when, zone);
}

char *
backups_schedule_describe_server_time (BackupsFrequency frequency,
                                       int              hour,
                                       int              minute,
                                       const char      *tz_name)
{
  char time[16];

  if (minute < 0 || minute > 59)
    return NULL;
  if (frequency == BACKUPS_FREQUENCY_HOURLY)
    g_snprintf (time, sizeof time, ":%02d", minute);
  else if (hour >= 0 && hour <= 23)
    g_snprintf (time, sizeof time, "%02d:%02d", hour, minute);
  else
    return NULL;

  if (!backups_time_zone_is_known (tz_name))
    /* Translators: a schedule's time, "05:00 on the server, time zone unknown". */
    return g_strdup_printf (_ ("%s on the server, time zone unknown"), time);
  /* Translators: a schedule's time and the server's zone,
   * "05:00 on the server, America/New_York". */
  return g_strdup_printf (_ ("%s on the server, %s"), time, tz_name);
}

static const char *
prune_schedule_words (int prune_schedule)
{
  switch (prune_schedule)
    {
    case 0:
      /* Translators: follows "Keep 30 days · ": every daily backup is kept. */
      return _ ("daily backups");
    case 1:
      return _ ("daily for a week, then weekly");
    case 2:
      return _ ("daily for a month, then monthly");
    case 3:
      return _ ("daily for a week, weekly for a month, then monthly");
    default:
      return NULL;
    }
}

char *
backups_retention_describe (int retain_days, int prune_schedule)
{
  g_autofree char *keep = NULL;
  const char      *prune = prune_schedule_words (prune_schedule);

  if (retain_days < 0)
    keep = g_strdup (_ ("Unknown"));
  else if (retain_days == 0)
    keep = g_strdup (_ ("Keep forever"));
  else
    /* Translators: how long backups are kept: "Keep 30 days". */
    keep = g_strdup_printf (ngettext ("Keep %d day", "Keep %d days", retain_days), retain_days);

  if (prune == NULL)
    return g_steal_pointer (&keep);

  /* Translators: retention, then how backups are thinned out:
   * "Keep 30 days · daily for a week, then weekly". */
  return g_strdup_printf (_ ("%s · %s"), keep, prune);
}

/* A kind GridPane may add without telling ("ovh-s3", "google_cloud"), in a
 * readable form: words split at dashes and underscores, a word of up to
 * three characters in capitals ("OVH S3"), a longer one capitalised
 * ("Google Cloud"). Interned: kinds are few. */
static const char *
readable_kind (const char *service)
{
  g_auto (GStrv) words = g_strsplit_set (service, "-_ ", -1);
  g_autoptr (GString) out = g_string_new (NULL);

  for (guint i = 0; words[i] != NULL; i++)
    {
      g_autofree char *word = NULL;

      if (words[i][0] == '\0')
        continue;
      if (strlen (words[i]) <= 3)
        word = g_ascii_strup (words[i], -1);
      else
        {
          word = g_strdup (words[i]);
          word[0] = g_ascii_toupper (word[0]);
        }
      if (out->len > 0)
        g_string_append_c (out, ' ');
      g_string_append (out, word);
    }

  return g_intern_string (out->len > 0 ? out->str : service);
}

const char *
backups_storage_kind_label (const char *service)
{
  if (g_strcmp0 (service, "aws-s3") == 0)
    return "Amazon S3";
  if (g_strcmp0 (service, "backblaze") == 0)
    return "Backblaze B2";
  if (g_strcmp0 (service, "wasabi") == 0)
    return "Wasabi";
  if (g_strcmp0 (service, "dropbox") == 0)
    return "Dropbox";
  if (service == NULL || *service == '\0')
    return service;

  return readable_kind (service);
}

char *
backups_destination_describe (BackupsScheduleType type,
                              const char         *name,
                              const char         *kind,
                              const char         *schedule_kind,
                              gint64              integration_id)
{
  if (type == BACKUPS_SCHEDULE_TYPE_LOCAL)
    return g_strdup (_ ("On the server"));

  if (kind == NULL)
    kind = schedule_kind;

  if (name != NULL && kind != NULL && *kind != '\0')
    /* Translators: an integration's name and its kind, "Offsite (Amazon S3)" */
    return g_strdup_printf (_ ("%s (%s)"), name, backups_storage_kind_label (kind));
  if (name != NULL)
    return g_strdup (name);

  if (integration_id != BACKUPS_NO_VALUE)
    {
      char id[32];

      g_snprintf (id, sizeof id, "%" G_GINT64_FORMAT, integration_id);
      /* Translators: a remote schedule names an integration the account
       * does not have; %s is its id. */
      return g_strdup_printf (_ ("Unknown integration (id %s)"), id);
    }
  return g_strdup (_ ("Unknown integration"));
}

const char *
backups_flag_describe_enabled (BackupsFlag enabled)
{
  switch (enabled)
    {
    case BACKUPS_FLAG_YES:
      return _ ("Enabled");
    case BACKUPS_FLAG_NO:
      return _ ("Disabled");
    case BACKUPS_FLAG_UNKNOWN:
    default:
      return _ ("Unknown");
    }
}
