/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-health.h
 *
 * Is a site protected? The findings of DESIGN.md's policy ("Protection")
 * and the health they add up to, each a pure function of one site's stored
 * rows (crowded start: of one server's sites) with the policy's values as
 * parameters. No store, no clock: the caller reads the rows.
 *
 * A schedule is *enabled* when its site's flag for its type (`local_bup` or
 * `remote_bup`) is on. A flag GridPane left out is unknown, never off.
 *
 * Health, worst first (the enum's order, so sorting by the value sorts
 * worst first):
 *   UNPROTECTED  no schedule is enabled or could be (a site without any
 *                schedule, or every schedule's flag off);
 *   UNKNOWN      a value the findings need could not be read (the site's
 *                or a schedule's `problems`, a flag GridPane left out):
 *                the site may be unprotected, nobody can tell;
 *   AT_RISK      backups run, but some finding holds;
 *   PROTECTED    no finding.
 */
#pragma once

#include <glib-object.h>

#include "backups-policy.h"
#include "backups-records.h"

G_BEGIN_DECLS

typedef enum
{
  BACKUPS_HEALTH_UNPROTECTED,
  BACKUPS_HEALTH_UNKNOWN,
  BACKUPS_HEALTH_AT_RISK,
  BACKUPS_HEALTH_PROTECTED,
} BackupsHealth;

#define BACKUPS_N_HEALTHS 4

/* Each finding a bit; its stable id (JSON, CSV) in brackets. */
typedef enum /*< flags >*/
{
  BACKUPS_FINDING_NONE = 0,
  BACKUPS_FINDING_NO_REMOTE = 1 << 0,           /* [no-remote] */
  BACKUPS_FINDING_AUTOMATIC_OFF = 1 << 1,       /* [automatic-off] */
  BACKUPS_FINDING_UNKNOWN_DESTINATION = 1 << 2, /* [unknown-destination] */
  BACKUPS_FINDING_SHORT_RETENTION = 1 << 3,     /* [short-retention] */
  BACKUPS_FINDING_INFREQUENT = 1 << 4,          /* [infrequent] */
  BACKUPS_FINDING_CROWDED_START = 1 << 5,       /* [crowded-start] */
  /* 1 << 6 is kept for [overdue], which needs restore points (a later
   * issue): add it here, to the table in backups-health.c, and raise
   * BACKUPS_N_FINDINGS. */
} BackupsFinding;

#define BACKUPS_N_FINDINGS 6

#define BACKUPS_TYPE_HEALTH (backups_health_get_type ())
#define BACKUPS_TYPE_FINDING (backups_finding_get_type ())
GType backups_health_get_type (void) G_GNUC_CONST;
GType backups_finding_get_type (void) G_GNUC_CONST;

/* One schedule of a site, as stored. */
typedef struct
{
  BackupsScheduleType type;
  BackupsFrequency    frequency;
  int                 hour;              /* BACKUPS_NO_VALUE when unknown (hourly has none) */
  int                 minute;            /* BACKUPS_NO_VALUE when unknown */
  int                 day;               /* weekly 0-6, monthly 1-28, else BACKUPS_NO_VALUE */
  gint64              integration_id;    /* service_user_id; BACKUPS_NO_VALUE when none */
  gboolean            integration_known; /* the account has that integration */
  gboolean            has_problems;      /* a value of the row could not be read */
} BackupsHealthSchedule;

/* One site with its schedules. */
typedef struct
{
  BackupsFlag                  local_bup;
  BackupsFlag                  remote_bup;
  int                          local_retain_days;  /* 0 unlimited, BACKUPS_NO_VALUE unknown */
  int                          remote_retain_days; /* likewise */
  gboolean                     has_problems;
  guint                        n_schedules;
  const BackupsHealthSchedule *schedules;
} BackupsHealthSite;

/* The site's flag for a schedule of `type`. */
BackupsFlag backups_health_site_flag (const BackupsHealthSite *site, BackupsScheduleType type);

/* The findings, one by one. Each is FALSE when the values it needs are
 * unknown (the health is then UNKNOWN, see backups_health_of()). */

/* No enabled remote schedule goes to an integration the account has. */
gboolean backups_finding_no_remote (const BackupsHealthSite *site);
/* A schedule exists but the site's flag for its type is off. */
gboolean backups_finding_automatic_off (const BackupsHealthSite *site);
/* A remote schedule names no integration the account has. */
gboolean backups_finding_unknown_destination (const BackupsHealthSite *site);
/* An enabled schedule's type keeps its backups fewer than
 * `min_retain_days` days (0 days in GridPane is unlimited and passes;
 * `min_retain_days` 0 switches the check off). */
gboolean backups_finding_short_retention (const BackupsHealthSite *site, guint min_retain_days);
/* The most frequent enabled schedule leaves gaps longer than
 * `max_gap_hours` (hourly 1 h, daily 24 h, weekly 168 h, monthly 744 h:
 * the longest month). 0 switches the check off. */
gboolean backups_finding_infrequent (const BackupsHealthSite *site, guint max_gap_hours);

/* Crowded start, over the `n_sites` sites of one server: sets crowded[i]
 * when more than `max_sites` of them can start an enabled backup in the
 * same minute of the same day, site i among them. Two schedules meet when
 * some run of each falls on the same minute on the server's clock: every
 * field both fix is equal (an hourly at :30 meets a daily at 06:30; a
 * weekly on Monday meets a monthly on day 5 at the same time, in the
 * months whose 5th is a Monday; two monthly ones meet only on the same
 * day). `max_sites` 0 switches the check off. */
void backups_finding_crowded_start (const BackupsHealthSite *const *sites,
                                    guint                           n_sites,
                                    guint                           max_sites,
                                    gboolean                       *crowded);

/* Every finding of one site but crowded start (which needs the server's
 * other sites). */
BackupsFinding backups_health_site_findings (const BackupsHealthSite *site,
                                             const BackupsPolicy     *policy);

/* The health of a site with `findings`. */
BackupsHealth backups_health_of (const BackupsHealthSite *site, BackupsFinding findings);

/* "protected", "at-risk", "unprotected", "unknown": stable, for JSON and CSV. */
const char *backups_health_to_id (BackupsHealth health);
/* "Protected", "At risk", "Unprotected", "Unknown": translated. */
const char *backups_health_to_label (BackupsHealth health);

/* The stable id of one finding bit: "no-remote", …; NULL for another value. */
const char *backups_finding_to_id (BackupsFinding finding);
/* What is wrong and what to change in GridPane, one translated sentence
 * (or two) for one finding bit, with the policy's value in it. */
char *backups_finding_describe (BackupsFinding finding, const BackupsPolicy *policy);
/* The bits of `findings`, one by one in the table's order (no-remote
 * first), into `out`; returns how many. */
guint backups_finding_list (BackupsFinding findings, BackupsFinding out[BACKUPS_N_FINDINGS]);

G_END_DECLS
