/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-schedule-time.h
 *
 * Derived, human facts about a schedule: when it next runs (in its server's
 * time zone, daylight saving included) and how a person would say it.
 * Pure functions of their arguments, so they can be tested on a fixed clock.
 */
#pragma once

#include <glib.h>

#include "backups-records.h"

G_BEGIN_DECLS

/* The first run strictly after `now`, as a UTC GDateTime. `tz_name` is the
 * server's IANA zone. When it is missing or unknown the run is computed as
 * if the server ran on UTC and *assumed_utc (may be NULL) is set: a caller
 * must say so. NULL when a value the frequency needs is unknown or out of
 * range. */
GDateTime *backups_schedule_next_run (BackupsFrequency frequency,
                                      int              hour,
                                      int              minute,
                                      int              day,
                                      const char      *tz_name,
                                      GDateTime       *now,
                                      gboolean        *assumed_utc);

/* The last run at or before `now` (a restore point should exist for it),
 * as a UTC GDateTime, with the same rules as backups_schedule_next_run().
 * For an hourly schedule, the run an hour before the next one. */
GDateTime *backups_schedule_previous_run (BackupsFrequency frequency,
                                          int              hour,
                                          int              minute,
                                          int              day,
                                          const char      *tz_name,
                                          GDateTime       *now,
                                          gboolean        *assumed_utc);

/* TRUE when `tz_name` is a time zone GLib knows (an IANA name). */
gboolean backups_time_zone_is_known (const char *tz_name);

/* "Weekly on Sunday at 05:00", "Hourly at :30", "Monthly on day 1 at 00:00",
 * "Daily at 02:30"; "Daily, time unknown" or "Unknown" when GridPane's
 * values could not be read. Translated. */
char *backups_schedule_describe (BackupsFrequency frequency, int hour, int minute, int day);

/* The abbreviation of the server's zone `tz_name` at `at` ("EST",
 * "CEST", "+03") when its offset then differs from `viewer`'s, else NULL
 * (also for an unknown zone). */
char *backups_schedule_zone_if_other (const char *tz_name, GDateTime *at, GTimeZone *viewer);

/* backups_schedule_describe() followed by the server's zone when it is not
 * the viewer's at `at`: "Daily at 06:15 EST" beside a next run in the
 * viewer's time. No zone for an unknown time or zone. */
char *backups_schedule_describe_zoned (BackupsFrequency frequency,
                                       int              hour,
                                       int              minute,
                                       int              day,
                                       const char      *tz_name,
                                       GDateTime       *at,
                                       GTimeZone       *viewer);

/* A schedule's time as the server's clock shows it, and which clock:
 * "05:00 on the server, America/New_York", ":30 on the server, …" for an
 * hourly one, "… time zone unknown" when `tz_name` is not a known zone.
 * NULL when the time is unknown. */
char *backups_schedule_describe_server_time (BackupsFrequency frequency,
                                             int              hour,
                                             int              minute,
                                             const char      *tz_name);

/* "Keep 30 days, daily for a week then weekly", "Keep forever", "Unknown". */
char *backups_retention_describe (int retain_days, int prune_schedule);

/* Where a schedule's backups go: "On the server" for a local one; for a
 * remote one "Agency B2 (Backblaze B2)", or, when its integration id names
 * no integration of the account, "Unknown integration (id 7627)". Never a
 * guess from the kind alone. `name` and `kind` are the matched integration's
 * (nullable); `schedule_kind` the schedule's own service_name. */
char *backups_destination_describe (BackupsScheduleType type,
                                    const char         *name,
                                    const char         *kind,
                                    const char         *schedule_kind,
                                    gint64              integration_id);

/* "Enabled", "Disabled" or "Unknown". */
const char *backups_flag_describe_enabled (BackupsFlag enabled);

/* "Amazon S3", "Backblaze B2", "Wasabi", "Dropbox", else the kind made
 * readable: "ovh-s3" is "OVH S3", "google-cloud" "Google Cloud" (the raw
 * kind belongs in a tooltip then). */
const char *backups_storage_kind_label (const char *service);

G_END_DECLS
