/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-schedule-time.c: next runs and descriptions on a fixed clock. */
#include "config.h"

#include <locale.h>

#include "backups-schedule-time.h"

static GDateTime *
utc (const char *iso8601)
{
  GDateTime *dt = g_date_time_new_from_iso8601 (iso8601, NULL);

  g_assert_nonnull (dt);
  return dt;
}

/* Asserts the next run after `now` (UTC ISO 8601) is `expected`. */
static void
assert_next_run (BackupsFrequency frequency,
                 int              hour,
                 int              minute,
                 int              day,
                 const char      *tz_name,
                 const char      *now,
                 const char      *expected)
{
  g_autoptr (GDateTime) now_dt = utc (now);
  g_autoptr (GDateTime) run = NULL;
  g_autofree char *run_text = NULL;
  gboolean         assumed_utc = TRUE;

  run = backups_schedule_next_run (frequency, hour, minute, day, tz_name, now_dt, &assumed_utc);
  g_assert_nonnull (run);
  /* The zones of these tests are real ones, but for a missing zone and
   * "Mars/…": those assume UTC, and say so. */
  g_assert_cmpint (assumed_utc, ==,
                   tz_name == NULL || *tz_name == '\0' || g_str_has_prefix (tz_name, "Mars/"));
  g_assert_cmpint (g_date_time_get_utc_offset (run), ==, 0);
  run_text = g_date_time_format (run, "%Y-%m-%dT%H:%M:%SZ");
  g_assert_cmpstr (run_text, ==, expected);
}

static void
test_daily_utc (void)
{
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, NULL, "2026-11-28T01:00:00Z",
                   "2026-11-28T02:30:00Z");
  /* Strictly after: a run due exactly now is the next day's. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "UTC", "2026-11-28T02:30:00Z",
                   "2026-11-29T02:30:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "UTC",
                   "2026-11-28T02:29:59.999Z", "2026-11-28T02:30:00Z");
  /* Year end. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 0, 0, BACKUPS_NO_VALUE, "UTC", "2026-12-31T23:59:00Z",
                   "2027-01-01T00:00:00Z");
}

static void
test_hourly (void)
{
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 30, BACKUPS_NO_VALUE, NULL, "2026-11-28T10:10:00Z",
                   "2026-11-28T10:30:00Z");
  /* :59 already passed this hour: the next hour. */
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 59, BACKUPS_NO_VALUE, NULL, "2026-11-28T10:59:00Z",
                   "2026-11-28T11:59:00Z");
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 59, BACKUPS_NO_VALUE, NULL, "2026-11-28T10:59:30Z",
                   "2026-11-28T11:59:00Z");
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 0, BACKUPS_NO_VALUE, NULL, "2026-12-31T23:30:00Z",
                   "2027-01-01T00:00:00Z");
  /* A half-hour zone: :15 local is :45 UTC in India (+05:30). */
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 15, BACKUPS_NO_VALUE, "Asia/Kolkata",
                   "2026-11-28T10:00:00Z", "2026-11-28T10:45:00Z");
}

static void
test_weekly (void)
{
  /* 2026-11-28 is a Saturday; Sunday (0) wraps to the next day. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0, NULL, "2026-11-28T12:00:00Z",
                   "2026-11-29T05:00:00Z");
  /* Saturday (6) later today. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 23, 0, 6, NULL, "2026-11-28T12:00:00Z",
                   "2026-11-28T23:00:00Z");
  /* Saturday (6) earlier today: a week later. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 5, 0, 6, NULL, "2026-11-28T12:00:00Z",
                   "2026-12-05T05:00:00Z");
  /* Wednesday (3) from Saturday. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 1, 15, 3, NULL, "2026-11-28T12:00:00Z",
                   "2026-12-02T01:15:00Z");
}

static void
test_monthly (void)
{
  /* Day 28 from January 31: February 28. */
  assert_next_run (BACKUPS_FREQUENCY_MONTHLY, 3, 0, 28, NULL, "2026-01-31T12:00:00Z",
                   "2026-02-28T03:00:00Z");
  /* Leap year: February 28 still comes before the 29th. */
  assert_next_run (BACKUPS_FREQUENCY_MONTHLY, 3, 0, 28, NULL, "2028-02-28T04:00:00Z",
                   "2028-03-28T03:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_MONTHLY, 3, 0, 28, NULL, "2028-01-31T12:00:00Z",
                   "2028-02-28T03:00:00Z");
  /* Day 1 from the last day of the year. */
  assert_next_run (BACKUPS_FREQUENCY_MONTHLY, 0, 0, 1, NULL, "2026-12-31T12:00:00Z",
                   "2027-01-01T00:00:00Z");
  /* Day 1 exactly now: next month. */
  assert_next_run (BACKUPS_FREQUENCY_MONTHLY, 0, 0, 1, NULL, "2026-11-01T00:00:00Z",
                   "2026-12-01T00:00:00Z");
}

static void
test_other_zone (void)
{
  /* Daily 05:00 in New York: 10:00 UTC in winter, 09:00 UTC in summer. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-28T00:00:00Z", "2026-11-28T10:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-07-01T00:00:00Z", "2026-07-01T09:00:00Z");
  /* The local date decides: 04:30Z on the 28th is 23:30 on the 27th in
   * New York, so 23:00 has passed there and 23:45 has not. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 23, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-28T04:30:00Z", "2026-11-29T04:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 23, 45, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-28T04:30:00Z", "2026-11-28T04:45:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 23, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-28T03:00:00Z", "2026-11-28T04:30:00Z");
  /* Weekly Sunday 05:00 in Tokyo (+09:00) is Saturday 20:00 UTC. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0, "Asia/Tokyo", "2026-11-28T12:00:00Z",
                   "2026-11-28T20:00:00Z");
}

static void
test_dst_new_york (void)
{
  /* Spring forward 2026-03-08: 02:00 EST becomes 03:00 EDT. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-03-08T00:00:00Z", "2026-03-08T09:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-03-07T11:00:00Z", "2026-03-08T09:00:00Z");
  /* 02:30 does not exist that day: the run happens when GLib places it,
   * at the moment the clocks jump (03:00 EDT = 07:00Z). */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-03-08T00:00:00Z", "2026-03-08T07:00:00Z");
  /* The day after is normal again. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-03-08T08:00:00Z", "2026-03-09T06:30:00Z");

  /* Fall back 2026-11-01: 01:00–02:00 happens twice. First occurrence
   * (EDT, 05:30Z), not the second (EST, 06:30Z). */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 1, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-01T00:00:00Z", "2026-11-01T05:30:00Z");
  /* Between the two occurrences the day's run is over. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 1, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-01T06:00:00Z", "2026-11-02T06:30:00Z");
  /* Unambiguous times around the change. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-10-31T12:00:00Z", "2026-11-01T10:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 0, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-10-31T12:00:00Z", "2026-11-01T04:30:00Z");

  /* Hourly keeps its minute through both changes, and runs in each copy
   * of the repeated hour. */
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-03-08T06:45:00Z", "2026-03-08T07:30:00Z");
  assert_next_run (BACKUPS_FREQUENCY_HOURLY, 0, 30, BACKUPS_NO_VALUE, "America/New_York",
                   "2026-11-01T05:45:00Z", "2026-11-01T06:30:00Z");
}

static void
test_dst_berlin (void)
{
  /* 2026-03-29 02:00 CET becomes 03:00 CEST. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 4, 0, BACKUPS_NO_VALUE, "Europe/Berlin",
                   "2026-03-28T12:00:00Z", "2026-03-29T02:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 1, 0, BACKUPS_NO_VALUE, "Europe/Berlin",
                   "2026-03-28T12:00:00Z", "2026-03-29T00:00:00Z");
  /* Nonexistent 02:30: at the jump, 03:00 CEST = 01:00Z. */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "Europe/Berlin",
                   "2026-03-28T12:00:00Z", "2026-03-29T01:00:00Z");
  /* Weekly Sunday (0) 02:30 on that Sunday as well. */
  assert_next_run (BACKUPS_FREQUENCY_WEEKLY, 2, 30, 0, "Europe/Berlin", "2026-03-28T12:00:00Z",
                   "2026-03-29T01:00:00Z");
  /* Fall back 2026-10-25: 02:30 first as CEST (00:30Z). */
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "Europe/Berlin",
                   "2026-10-24T12:00:00Z", "2026-10-25T00:30:00Z");
}

static void
test_unknown_zone (void)
{
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "Mars/Olympus_Mons",
                   "2026-11-28T00:00:00Z", "2026-11-28T05:00:00Z");
  assert_next_run (BACKUPS_FREQUENCY_DAILY, 5, 0, BACKUPS_NO_VALUE, "", "2026-11-28T00:00:00Z",
                   "2026-11-28T05:00:00Z");
}

static void
test_invalid (void)
{
  g_autoptr (GDateTime) now = utc ("2026-11-28T00:00:00Z");
  struct
  {
    BackupsFrequency frequency;
    int              hour, minute, day;
  } cases[] = {
    { BACKUPS_FREQUENCY_DAILY, 24, 0, BACKUPS_NO_VALUE },
    { BACKUPS_FREQUENCY_DAILY, -1, 0, BACKUPS_NO_VALUE },
    { BACKUPS_FREQUENCY_DAILY, 1, 60, BACKUPS_NO_VALUE },
    { BACKUPS_FREQUENCY_HOURLY, 0, -1, BACKUPS_NO_VALUE },
    { BACKUPS_FREQUENCY_WEEKLY, 1, 0, 7 },
    { BACKUPS_FREQUENCY_WEEKLY, 1, 0, BACKUPS_NO_VALUE },
    { BACKUPS_FREQUENCY_MONTHLY, 1, 0, 0 },
    { BACKUPS_FREQUENCY_MONTHLY, 1, 0, 29 },
    { (BackupsFrequency)42, 1, 0, 1 },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) run = backups_schedule_next_run (
        cases[i].frequency, cases[i].hour, cases[i].minute, cases[i].day, "UTC", now, NULL);

      g_assert_null (run);
    }
}

static void
assert_describe (BackupsFrequency frequency, int hour, int minute, int day, const char *expected)
{
  g_autofree char *text = backups_schedule_describe (frequency, hour, minute, day);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_describe (void)
{
  assert_describe (BACKUPS_FREQUENCY_HOURLY, 0, 30, BACKUPS_NO_VALUE, "Hourly at :30");
  assert_describe (BACKUPS_FREQUENCY_HOURLY, 0, 5, BACKUPS_NO_VALUE, "Hourly at :05");
  assert_describe (BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "Daily at 02:30");
  assert_describe (BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0, "Weekly on Sunday at 05:00");
  assert_describe (BACKUPS_FREQUENCY_WEEKLY, 23, 59, 6, "Weekly on Saturday at 23:59");
  assert_describe (BACKUPS_FREQUENCY_WEEKLY, 5, 0, BACKUPS_NO_VALUE, "Weekly at 05:00");
  assert_describe (BACKUPS_FREQUENCY_MONTHLY, 0, 0, 1, "Monthly on day 1 at 00:00");
  assert_describe (BACKUPS_FREQUENCY_MONTHLY, 12, 0, 28, "Monthly on day 28 at 12:00");
  assert_describe (BACKUPS_FREQUENCY_MONTHLY, 12, 0, BACKUPS_NO_VALUE, "Monthly at 12:00");
  /* What GridPane sent could not be read: said so, never 00:00. */
  assert_describe (BACKUPS_FREQUENCY_DAILY, BACKUPS_NO_VALUE, BACKUPS_NO_VALUE, BACKUPS_NO_VALUE,
                   "Daily, time unknown");
  assert_describe (BACKUPS_FREQUENCY_WEEKLY, BACKUPS_NO_VALUE, 0, 0, "Weekly, time unknown");
  assert_describe (BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, BACKUPS_NO_VALUE, BACKUPS_NO_VALUE,
                   "Hourly, minute unknown");
  assert_describe (BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 30, BACKUPS_NO_VALUE,
                   "Hourly at :30");
  assert_describe (BACKUPS_FREQUENCY_UNKNOWN, 5, 0, BACKUPS_NO_VALUE, "Unknown");
}

static void
assert_retention (int retain_days, int prune_schedule, const char *expected)
{
  g_autofree char *text = backups_retention_describe (retain_days, prune_schedule);

  g_assert_cmpstr (text, ==, expected);
}

static void
test_retention (void)
{
  assert_retention (0, BACKUPS_NO_VALUE, "Keep forever");
  assert_retention (30, BACKUPS_NO_VALUE, "Keep 30 days");
  assert_retention (1, BACKUPS_NO_VALUE, "Keep 1 day");
  assert_retention (30, 0, "Keep 30 days · daily backups");
  assert_retention (30, 1, "Keep 30 days · daily for a week, then weekly");
  assert_retention (90, 2, "Keep 90 days · daily for a month, then monthly");
  assert_retention (360, 3, "Keep 360 days · daily for a week, weekly for a month, then monthly");
  assert_retention (0, 1, "Keep forever · daily for a week, then weekly");
  assert_retention (180, 9, "Keep 180 days");
  assert_retention (BACKUPS_NO_VALUE, BACKUPS_NO_VALUE, "Unknown");
  assert_retention (BACKUPS_NO_VALUE, 7, "Unknown");
}

static char *
iso (GDateTime *when)
{
  return when != NULL ? g_date_time_format_iso8601 (when) : g_strdup ("(none)");
}

/* The last run at or before now: what a restore point should exist for. */
static void
test_previous_run (void)
{
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 12, 3, 12, 0, 0);
  const struct
  {
    BackupsFrequency frequency;
    int              hour, minute, day;
    const char      *zone;
    const char      *expected;
  } cases[] = {
    { BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE, "America/New_York", "2026-12-03T07:30:00Z" },
    { BACKUPS_FREQUENCY_DAILY, 13, 0, BACKUPS_NO_VALUE, "UTC", "2026-12-02T13:00:00Z" },
    { BACKUPS_FREQUENCY_DAILY, 12, 0, BACKUPS_NO_VALUE, "UTC", "2026-12-03T12:00:00Z" },
    { BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0, "UTC", "2026-11-29T05:00:00Z" },
    { BACKUPS_FREQUENCY_MONTHLY, 0, 0, 5, "UTC", "2026-11-05T00:00:00Z" },
    { BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 30, BACKUPS_NO_VALUE, "UTC",
      "2026-12-03T11:30:00Z" },
    { BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 0, BACKUPS_NO_VALUE, "UTC",
      "2026-12-03T12:00:00Z" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GDateTime) previous = backups_schedule_previous_run (
        cases[i].frequency, cases[i].hour, cases[i].minute, cases[i].day, cases[i].zone, now, NULL);
      g_autofree char *text = iso (previous);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  /* Unknown values: no run. */
  g_assert_null (backups_schedule_previous_run (BACKUPS_FREQUENCY_DAILY, BACKUPS_NO_VALUE, 0,
                                                BACKUPS_NO_VALUE, "UTC", now, NULL));
}

/* Around the clock changes of a year, for every kind of schedule: the
 * previous run is at or before now and the next run after it, with no run
 * between them. */
static void
test_previous_next_agree (void)
{
  const char *const zones[] = { "America/New_York", "Europe/Berlin", "Australia/Sydney" };
  g_autoptr (GDateTime) start = g_date_time_new_utc (2026, 1, 1, 0, 17, 0);

  for (guint z = 0; z < G_N_ELEMENTS (zones); z++)
    for (guint step = 0; step < 365 * 4; step++)
      {
        g_autoptr (GDateTime) now = g_date_time_add_minutes (start, step * 6 * 60 + step % 59);
        const struct
        {
          BackupsFrequency frequency;
          int              hour, minute, day;
        } schedules[] = {
          { BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 30, BACKUPS_NO_VALUE },
          { BACKUPS_FREQUENCY_DAILY, 2, 30, BACKUPS_NO_VALUE },
          { BACKUPS_FREQUENCY_WEEKLY, 3, 0, 0 },
          { BACKUPS_FREQUENCY_MONTHLY, 23, 59, 28 },
        };

        for (guint k = 0; k < G_N_ELEMENTS (schedules); k++)
          {
            g_autoptr (GDateTime) previous = backups_schedule_previous_run (
              schedules[k].frequency, schedules[k].hour, schedules[k].minute, schedules[k].day,
              zones[z], now, NULL);
            g_autoptr (GDateTime) next = backups_schedule_next_run (
              schedules[k].frequency, schedules[k].hour, schedules[k].minute, schedules[k].day,
              zones[z], now, NULL);
            g_autoptr (GDateTime) after_previous = NULL;

            g_assert_nonnull (previous);
            g_assert_nonnull (next);
            g_assert_cmpint (g_date_time_compare (previous, now), <=, 0);
            /* The run after the previous one is the next one. */
            after_previous = backups_schedule_next_run (
              schedules[k].frequency, schedules[k].hour, schedules[k].minute, schedules[k].day,
              zones[z], previous, NULL);
            if (!g_date_time_equal (after_previous, next))
              {
                g_autofree char *a = iso (now), *b = iso (previous), *c = iso (next);
                g_autofree char *d = iso (after_previous);

                g_error ("%s, schedule %u at %s: previous %s, next %s, but after previous %s",
                         zones[z], k, a, b, c, d);
              }
          }
      }
}

/* The schedule names the server's zone only when the viewer's differs,
 * with its abbreviation at that time (daylight saving included). */
static void
test_describe_zoned (void)
{
  g_autoptr (GTimeZone) utc = g_time_zone_new_utc ();
  g_autoptr (GTimeZone) new_york = g_time_zone_new_identifier ("America/New_York");
  g_autoptr (GDateTime) winter = g_date_time_new_utc (2026, 12, 3, 12, 0, 0);
  g_autoptr (GDateTime) summer = g_date_time_new_utc (2026, 7, 1, 12, 0, 0);
  g_autofree char *est = NULL, *edt = NULL, *same = NULL, *unknown = NULL, *no_time = NULL;
  g_autofree char *hourly = NULL;

  g_assert_nonnull (new_york);
  est = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_DAILY, 6, 15, BACKUPS_NO_VALUE,
                                         "America/New_York", winter, utc);
  g_assert_cmpstr (est, ==, "Daily at 06:15 EST");
  edt = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0, "America/New_York",
                                         summer, utc);
  g_assert_cmpstr (edt, ==, "Weekly on Sunday at 05:00 EDT");
  hourly = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 30,
                                            BACKUPS_NO_VALUE, "Asia/Kolkata", winter, utc);
  g_assert_cmpstr (hourly, ==, "Hourly at :30 IST");
  /* The viewer is in the server's zone: nothing to say. */
  same = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_DAILY, 6, 15, BACKUPS_NO_VALUE,
                                          "America/New_York", winter, new_york);
  g_assert_cmpstr (same, ==, "Daily at 06:15");
  /* No zone GLib knows, or no time: no guess. */
  unknown = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_DAILY, 6, 15, BACKUPS_NO_VALUE,
                                             "Mars/Olympus", winter, utc);
  g_assert_cmpstr (unknown, ==, "Daily at 06:15");
  no_time = backups_schedule_describe_zoned (BACKUPS_FREQUENCY_DAILY, BACKUPS_NO_VALUE, 15,
                                             BACKUPS_NO_VALUE, "America/New_York", winter, utc);
  g_assert_null (strstr (no_time, "EST"));
}

static void
test_storage_kind (void)
{
  g_assert_cmpstr (backups_storage_kind_label ("aws-s3"), ==, "Amazon S3");
  g_assert_cmpstr (backups_storage_kind_label ("backblaze"), ==, "Backblaze B2");
  g_assert_cmpstr (backups_storage_kind_label ("wasabi"), ==, "Wasabi");
  g_assert_cmpstr (backups_storage_kind_label ("dropbox"), ==, "Dropbox");
  /* Kinds GridPane adds are data, shown readably. */
  g_assert_cmpstr (backups_storage_kind_label ("vultr"), ==, "Vultr");
  g_assert_cmpstr (backups_storage_kind_label ("ovh-s3"), ==, "OVH S3");
  g_assert_cmpstr (backups_storage_kind_label ("google_cloud-storage"), ==,
                   "Google Cloud Storage");
  g_assert_cmpstr (backups_storage_kind_label ("--"), ==, "--");
  g_assert_null (backups_storage_kind_label (NULL));
}

/* The Frequency tooltip: the time on the server's clock, and which clock. */
static void
test_server_time (void)
{
  struct
  {
    BackupsFrequency frequency;
    int              hour, minute;
    const char      *zone;
    const char      *expected;
  } cases[] = {
    { BACKUPS_FREQUENCY_WEEKLY, 5, 0, "America/New_York", "05:00 on the server, America/New_York" },
    { BACKUPS_FREQUENCY_DAILY, 2, 30, "Etc/UTC", "02:30 on the server, Etc/UTC" },
    { BACKUPS_FREQUENCY_HOURLY, BACKUPS_NO_VALUE, 30, "Europe/Berlin",
      ":30 on the server, Europe/Berlin" },
    { BACKUPS_FREQUENCY_DAILY, 2, 30, NULL, "02:30 on the server, time zone unknown" },
    { BACKUPS_FREQUENCY_DAILY, 2, 30, "Mars/Olympus_Mons",
      "02:30 on the server, time zone unknown" },
    { BACKUPS_FREQUENCY_DAILY, BACKUPS_NO_VALUE, 30, "Etc/UTC", NULL },
    { BACKUPS_FREQUENCY_MONTHLY, 3, BACKUPS_NO_VALUE, "Etc/UTC", NULL },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text = backups_schedule_describe_server_time (
        cases[i].frequency, cases[i].hour, cases[i].minute, cases[i].zone);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }
}

/* Where backups go, in words; never a guess from the kind. */
static void
test_destination (void)
{
  struct
  {
    BackupsScheduleType type;
    const char         *name, *kind, *schedule_kind;
    gint64              integration_id;
    const char         *expected;
  } cases[] = {
    { BACKUPS_SCHEDULE_TYPE_LOCAL, NULL, NULL, NULL, BACKUPS_NO_VALUE, "On the server" },
    { BACKUPS_SCHEDULE_TYPE_REMOTE, "GP S3 Backups", "aws-s3", "aws-s3", 7627,
      "GP S3 Backups (Amazon S3)" },
    { BACKUPS_SCHEDULE_TYPE_REMOTE, "Agency B2", NULL, "backblaze", 3847,
      "Agency B2 (Backblaze B2)" },
    { BACKUPS_SCHEDULE_TYPE_REMOTE, NULL, NULL, "aws-s3", 9999, "Unknown integration (id 9999)" },
    { BACKUPS_SCHEDULE_TYPE_REMOTE, NULL, NULL, "aws-s3", BACKUPS_NO_VALUE, "Unknown integration" },
  };

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autofree char *text
        = backups_destination_describe (cases[i].type, cases[i].name, cases[i].kind,
                                        cases[i].schedule_kind, cases[i].integration_id);

      g_assert_cmpstr (text, ==, cases[i].expected);
    }

  g_assert_cmpstr (backups_flag_describe_enabled (BACKUPS_FLAG_YES), ==, "Enabled");
  g_assert_cmpstr (backups_flag_describe_enabled (BACKUPS_FLAG_NO), ==, "Disabled");
  g_assert_cmpstr (backups_flag_describe_enabled (BACKUPS_FLAG_UNKNOWN), ==, "Unknown");
}

int
main (int argc, char *argv[])
{
  /* The expected strings are the untranslated ones. */
  setlocale (LC_ALL, "C.UTF-8");
  g_setenv ("LANGUAGE", "C", TRUE);

  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/schedule-time/daily-utc", test_daily_utc);
  g_test_add_func ("/schedule-time/hourly", test_hourly);
  g_test_add_func ("/schedule-time/weekly", test_weekly);
  g_test_add_func ("/schedule-time/monthly", test_monthly);
  g_test_add_func ("/schedule-time/other-zone", test_other_zone);
  g_test_add_func ("/schedule-time/dst-new-york", test_dst_new_york);
  g_test_add_func ("/schedule-time/dst-berlin", test_dst_berlin);
  g_test_add_func ("/schedule-time/unknown-zone", test_unknown_zone);
  g_test_add_func ("/schedule-time/invalid", test_invalid);
  g_test_add_func ("/schedule-time/describe", test_describe);
  g_test_add_func ("/schedule-time/retention", test_retention);
  g_test_add_func ("/schedule-time/storage-kind", test_storage_kind);
  g_test_add_func ("/schedule-time/describe-zoned", test_describe_zoned);
  g_test_add_func ("/schedule-time/previous-run", test_previous_run);
  g_test_add_func ("/schedule-time/previous-next-agree", test_previous_next_agree);
  g_test_add_func ("/schedule-time/server-time", test_server_time);
  g_test_add_func ("/schedule-time/destination", test_destination);

  return g_test_run ();
}
