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

/* The first run strictly after `now`, as a UTC GDateTime. `tz_name` is an
 * IANA zone; NULL or unknown means UTC. Returns NULL for invalid input. */
GDateTime *backups_schedule_next_run (
  BackupsFrequency frequency, int hour, int minute, int day, const char *tz_name, GDateTime *now);

/* "Weekly on Sunday at 05:00", "Hourly at :30", "Monthly on day 1 at 00:00",
 * "Daily at 02:30". Translated. */
char *backups_schedule_describe (BackupsFrequency frequency, int hour, int minute, int day);

/* "Keep 30 days, daily for a week then weekly", "Keep forever", "Unknown". */
char *backups_retention_describe (int retain_days, int prune_schedule);

/* "Amazon S3", "Backblaze B2", "Wasabi", "Dropbox", else the raw kind. */
const char *backups_storage_kind_label (const char *service);

G_END_DECLS
