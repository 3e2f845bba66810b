/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-site.h: one site of `/site` with what the Sites page shows of it:
 * its organization, account and server, a summary of its local and remote
 * backups, when it next backs up, and its health with the findings behind
 * it (backups-health.h). Read-only; the live sites model makes these in a
 * worker (backups-sites-model.h).
 *
 * The local and remote summaries describe the site's most frequent enabled
 * schedule of each type (else its first schedule of that type): the window
 * shows them as "Daily at 02:00 · 30 days" or "Off", "Weekly on Sunday at
 * 05:00 → GP S3 Backups · 360 days" or "None"
 * (backups_site_describe_local/remote() give those texts ready-made).
 */
#pragma once

#include <glib-object.h>

#include "backups-health.h"
#include "backups-records.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SITE (backups_site_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSite, backups_site, BACKUPS, SITE, GObject)

/* When an enabled schedule runs, on the server's clock. */
typedef struct
{
  BackupsFrequency frequency;
  gint8            hour; /* BACKUPS_NO_VALUE for hourly */
  gint8            minute;
  gint8            day; /* weekly 0-6, monthly 1-28, else BACKUPS_NO_VALUE */
} BackupsSiteRun;

/* One type's backups of a site. */
typedef struct
{
  BackupsFlag      enabled;     /* the site's local_bup / remote_bup */
  guint            n_schedules; /* schedules of this type */
  BackupsFrequency frequency;   /* of the schedule described; UNKNOWN when none */
  int              hour, minute, day;
  int              retain_days;         /* 0 unlimited, BACKUPS_NO_VALUE unknown */
  gint64           integration_id;      /* remote: service_user_id, else BACKUPS_NO_VALUE */
  char            *destination;         /* remote: the integration's name, NULL when unknown */
  char            *destination_service; /* its kind (aws-s3, …), nullable */
} BackupsSiteBackups;

/* Every string is a GRefString (g_ref_string_new_intern()): equal strings
 * are one pointer. */
typedef struct
{
  gint64             org_id;
  char              *org_name;
  gint64             account_id;
  char              *account_name;
  gint64             site_id;
  char              *site_url;
  gint64             server_id; /* BACKUPS_NO_VALUE when unknown */
  char              *server_label;
  char              *server_timezone; /* IANA name, nullable */
  BackupsSiteBackups local;
  BackupsSiteBackups remote;
  guint              n_runs; /* the enabled schedules' runs, for the next backup */
  BackupsSiteRun    *runs;
  BackupsHealth      health;
  BackupsFinding     findings;
  /* The policy the findings were judged by; the values of findings the
   * site does not have are 0, so that a policy change leaves the sites it
   * does not touch equal. */
  BackupsPolicy policy;
  char         *problems; /* the site's and its schedules' unreadable values; nullable */
} BackupsSiteFields;

/* Takes `fields`' strings and runs, and zeroes them. */
BackupsSite *backups_site_new_take (BackupsSiteFields *fields);
void         backups_site_fields_clear (BackupsSiteFields *fields);

const BackupsSiteFields *backups_site_get_fields (BackupsSite *self);
gboolean                 backups_site_equal (BackupsSite *a, BackupsSite *b);
/* The Sites page's order: health worst first, then site URL (ASCII case
 * ignored, then bytewise), then (account id, site id). 0 only for the
 * same site. */
int backups_site_compare (BackupsSite *a, BackupsSite *b);

gint64                    backups_site_get_org_id (BackupsSite *self);
const char               *backups_site_get_org_name (BackupsSite *self);
gint64                    backups_site_get_account_id (BackupsSite *self);
const char               *backups_site_get_account_name (BackupsSite *self);
gint64                    backups_site_get_site_id (BackupsSite *self);
const char               *backups_site_get_site_url (BackupsSite *self);
gint64                    backups_site_get_server_id (BackupsSite *self);
const char               *backups_site_get_server_label (BackupsSite *self);
const char               *backups_site_get_server_timezone (BackupsSite *self);
BackupsHealth             backups_site_get_health (BackupsSite *self);
BackupsFinding            backups_site_get_findings (BackupsSite *self);
const char               *backups_site_get_problems (BackupsSite *self);
const BackupsSiteBackups *backups_site_get_local (BackupsSite *self);
const BackupsSiteBackups *backups_site_get_remote (BackupsSite *self);

/* The earliest next run of the site's enabled schedules after `now`, in
 * UTC; NULL when it has none (or none whose time is known).
 * *assumed_utc as for backups_schedule_next_run(). */
GDateTime *backups_site_get_next_backup (BackupsSite *self, GDateTime *now, gboolean *assumed_utc);

/* "Daily at 02:00 · 30 days", "Daily at 02:00 · kept forever", "Off"
 * (no enabled local schedule), "Unknown" (the flag could not be read).
 * Translated. */
char *backups_site_describe_local (BackupsSite *self);
/* "Weekly on Sunday at 05:00 → GP S3 Backups · 360 days", "… → Unknown
 * integration (id 7627) · …", "None", "Unknown". Translated. */
char *backups_site_describe_remote (BackupsSite *self);
/* One sentence (or two) a finding, a line each: what is wrong and what to
 * change in GridPane. Empty for a site without findings. Translated. */
char *backups_site_describe_findings (BackupsSite *self);

G_END_DECLS
