/* backups-schedule.h: one backup schedule as the window and CLI show it,
 * joined with its site, server, account and destination. Read-only. */
#pragma once

#include <glib-object.h>

#include "backups-records.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SCHEDULE (backups_schedule_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSchedule, backups_schedule, BACKUPS, SCHEDULE, GObject)

typedef struct
{
  gint64              account_id;
  char               *account_name;
  gint64              schedule_id;
  gint64              site_id;
  char               *site_url;
  gint64              server_id;       /* BACKUPS_NO_VALUE when unknown */
  char               *server_label;    /* nullable */
  char               *server_timezone; /* nullable = unknown (next runs then assume UTC) */
  BackupsScheduleType type;
  BackupsFrequency    frequency;           /* may be BACKUPS_FREQUENCY_UNKNOWN */
  int                 hour;                /* BACKUPS_NO_VALUE when unknown or hourly */
  int                 minute;              /* BACKUPS_NO_VALUE when unknown */
  int                 day;                 /* BACKUPS_NO_VALUE when none */
  gint64              service_id;          /* storage kind id, BACKUPS_NO_VALUE when none */
  char               *service_name;        /* storage kind, nullable */
  gint64              integration_id;      /* BACKUPS_NO_VALUE when none */
  char               *destination;         /* the integration's name, NULL when none matches */
  char               *destination_service; /* the integration's kind, nullable */
  BackupsFlag         enabled;             /* the site's flag for the schedule's type */
  int                 retain_days;         /* BACKUPS_NO_VALUE when unknown */
  int                 prune_schedule;      /* BACKUPS_NO_VALUE when unknown */
  char               *problems; /* values GridPane sent that could not be read; nullable */
} BackupsScheduleFields;

/* Copies `fields` and its strings. */
BackupsSchedule *backups_schedule_new (const BackupsScheduleFields *fields);
/* The strings of `fields` are GRefStrings (g_ref_string_new_intern()): the
 * object takes a reference to each instead of a copy. */
BackupsSchedule *backups_schedule_new_interned (const BackupsScheduleFields *fields);

const BackupsScheduleFields *backups_schedule_get_fields (BackupsSchedule *self);

/* TRUE when every field of a and b is equal (the row did not change). */
gboolean backups_schedule_equal (BackupsSchedule *a, BackupsSchedule *b);
gboolean backups_schedule_fields_equal (const BackupsScheduleFields *a,
                                        const BackupsScheduleFields *b);

/* For fields whose strings are GRefStrings (interned, so that equal
 * strings are one pointer): copies `src` into `dst` with a reference to
 * each string, and releases them. */
void backups_schedule_fields_ref_strings (BackupsScheduleFields       *dst,
                                          const BackupsScheduleFields *src);
void backups_schedule_fields_unref_strings (BackupsScheduleFields *fields);

gint64              backups_schedule_get_account_id (BackupsSchedule *self);
const char         *backups_schedule_get_account_name (BackupsSchedule *self);
gint64              backups_schedule_get_schedule_id (BackupsSchedule *self);
gint64              backups_schedule_get_site_id (BackupsSchedule *self);
const char         *backups_schedule_get_site_url (BackupsSchedule *self);
gint64              backups_schedule_get_server_id (BackupsSchedule *self);
const char         *backups_schedule_get_server_label (BackupsSchedule *self);
const char         *backups_schedule_get_server_timezone (BackupsSchedule *self);
BackupsScheduleType backups_schedule_get_schedule_type (BackupsSchedule *self);
BackupsFrequency    backups_schedule_get_frequency (BackupsSchedule *self);
int                 backups_schedule_get_hour (BackupsSchedule *self);
int                 backups_schedule_get_minute (BackupsSchedule *self);
int                 backups_schedule_get_day (BackupsSchedule *self);
gint64              backups_schedule_get_service_id (BackupsSchedule *self);
gint64              backups_schedule_get_integration_id (BackupsSchedule *self);
const char         *backups_schedule_get_service_name (BackupsSchedule *self);
const char         *backups_schedule_get_destination (BackupsSchedule *self);
const char         *backups_schedule_get_destination_service (BackupsSchedule *self);
BackupsFlag         backups_schedule_get_enabled (BackupsSchedule *self);
int                 backups_schedule_get_retain_days (BackupsSchedule *self);
int                 backups_schedule_get_prune_schedule (BackupsSchedule *self);
const char         *backups_schedule_get_problems (BackupsSchedule *self);

/* The next time the schedule runs after `now`, in UTC; NULL when a value
 * it needs is unknown. *assumed_utc (may be NULL) is TRUE when the
 * server's time zone is unknown or not an IANA name: the time is then
 * computed as if the server ran on UTC, and must be shown as such. */
GDateTime *
backups_schedule_get_next_run (BackupsSchedule *self, GDateTime *now, gboolean *assumed_utc);

G_END_DECLS
