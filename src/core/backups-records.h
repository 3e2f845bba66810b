/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-records.h
 *
 * Plain records a provider returns and the store applies. They carry no
 * behaviour and no GObject overhead, so a fleet of 50,000 schedules stays
 * cheap to build, hand between threads and free.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Sentinel for "the API gave no value" in integer fields stored as NULL. */
#define BACKUPS_NO_VALUE (-1)

typedef enum
{
  BACKUPS_SCHEDULE_TYPE_LOCAL,
  BACKUPS_SCHEDULE_TYPE_REMOTE,
} BackupsScheduleType;

typedef enum
{
  BACKUPS_FREQUENCY_HOURLY,
  BACKUPS_FREQUENCY_DAILY,
  BACKUPS_FREQUENCY_WEEKLY,
  BACKUPS_FREQUENCY_MONTHLY,
  BACKUPS_FREQUENCY_UNKNOWN, /* GridPane sent none, or a word outside the four */
} BackupsFrequency;

/* A yes/no fact GridPane may leave out or spell in a way nobody can read:
 * then it is unknown, never "no". */
typedef enum
{
  BACKUPS_FLAG_UNKNOWN = -1,
  BACKUPS_FLAG_NO = 0,
  BACKUPS_FLAG_YES = 1,
} BackupsFlag;

typedef struct
{
  gint64 remote_id;
  char  *label;
  char  *ip;       /* nullable */
  char  *timezone; /* IANA name from a /site item's embedded server; nullable = unknown */
} BackupsServerRecord;

typedef struct
{
  gint64      remote_id;
  char       *url;
  gint64      server_remote_id; /* BACKUPS_NO_VALUE when unknown */
  BackupsFlag local_bup;
  BackupsFlag remote_bup;
  int         local_retain_days;     /* BACKUPS_NO_VALUE when unknown */
  int         local_prune_schedule;  /* BACKUPS_NO_VALUE when unknown */
  int         remote_retain_days;    /* BACKUPS_NO_VALUE when unknown */
  int         remote_prune_schedule; /* BACKUPS_NO_VALUE when unknown */
  /* The site's server as the item embeds it: the only place GridPane
   * names a server's time zone. Each nullable. */
  char *server_label;
  char *server_ip;
  char *server_timezone;
  char *problems; /* values that could not be read, "; "-separated; nullable */
} BackupsSiteRecord;

typedef struct
{
  gint64              remote_id; /* the schedule's own id: its identity */
  gint64              site_remote_id;
  gint64              server_remote_id; /* BACKUPS_NO_VALUE when unknown */
  char               *site_url;
  BackupsScheduleType type;
  BackupsFrequency    frequency;
  int                 hour;       /* 0-23, BACKUPS_NO_VALUE when unknown (and for hourly) */
  int                 minute;     /* 0-59, BACKUPS_NO_VALUE when unknown */
  int                 day;        /* weekday 0-6 (weekly), 1-28 (monthly), else BACKUPS_NO_VALUE */
  gint64              service_id; /* the storage kind's id; BACKUPS_NO_VALUE for local */
  char               *service_name;   /* the storage kind, nullable */
  gint64              integration_id; /* service_user_id; BACKUPS_NO_VALUE when none */
  char               *problems;       /* values that could not be read, "; "-separated; nullable */
} BackupsScheduleRecord;

typedef struct
{
  gint64 remote_id;
  char  *service; /* aws-s3, backblaze, wasabi, dropbox, or anything else */
  char  *name;
  char  *region; /* nullable */
} BackupsIntegrationRecord;

/* Whether GridPane took a restore point on its schedule or on request. */
typedef enum
{
  BACKUPS_RESTORE_POINT_AUTOMATIC,
  BACKUPS_RESTORE_POINT_MANUAL,
} BackupsRestorePointKind;

/* One backup that exists, as GridPane's record of a site lists it. */
typedef struct
{
  char                   *source;   /* "local", or the storage kind of a remote copy */
  BackupsRestorePointKind kind;
  char                   *name;     /* as GridPane wrote it, trimmed */
  gint64                  taken_at; /* Unix time (UTC) of the name's server wall-clock time */
  char                   *tag;      /* the name's tag, NULL for none */
} BackupsRestorePointRecord;

/* The order the window lists sites in: URL compared ASCII-case-insensitively,
 * then bytewise (the store's backup_schedules_by_site index sorts alike).
 * Equal pointers (interned URLs) are equal at once. */
int backups_site_url_compare (const char *a, const char *b);

/* What one sync of one account fetched. A NULL array means the provider
 * has no such resource: the store then leaves that table alone. An empty
 * array means "there are none": the store deletes the account's rows. */
typedef struct
{
  GPtrArray *servers;      /* BackupsServerRecord */
  GPtrArray *sites;        /* BackupsSiteRecord */
  GPtrArray *schedules;    /* BackupsScheduleRecord */
  GPtrArray *integrations; /* BackupsIntegrationRecord */
} BackupsSnapshot;

typedef struct
{
  guint inserted;
  guint updated;
  guint deleted;
  guint unchanged;
  guint unreadable; /* records kept with values that could not be read */
} BackupsApplyCounts;

BackupsServerRecord      *backups_server_record_new (void);
void                      backups_server_record_free (BackupsServerRecord *record);
BackupsSiteRecord        *backups_site_record_new (void);
void                      backups_site_record_free (BackupsSiteRecord *record);
BackupsScheduleRecord    *backups_schedule_record_new (void);
void                      backups_schedule_record_free (BackupsScheduleRecord *record);
BackupsIntegrationRecord *backups_integration_record_new (void);
void                      backups_integration_record_free (BackupsIntegrationRecord *record);
BackupsRestorePointRecord *backups_restore_point_record_new (void);
void backups_restore_point_record_free (BackupsRestorePointRecord *record);

/* Arrays that own their records (free functions set). */
GPtrArray *backups_server_record_array_new (void);
GPtrArray *backups_site_record_array_new (void);
GPtrArray *backups_schedule_record_array_new (void);
GPtrArray *backups_integration_record_array_new (void);
GPtrArray *backups_restore_point_record_array_new (void);

BackupsSnapshot *backups_snapshot_new (void);
void             backups_snapshot_free (BackupsSnapshot *snapshot);

/* Gives each server record the time zone (and, when the /server list left
 * them out, the label and address) that the sites embed, and adds the
 * servers that only the sites name. Servers no site names keep an unknown
 * zone. Does nothing when either list is NULL. */
void backups_snapshot_link_servers (BackupsSnapshot *snapshot);

/* How many records of the snapshot carry problems, and up to `max_reasons`
 * of the reasons, one a line (nullable when there are none). */
guint
backups_snapshot_count_problems (BackupsSnapshot *snapshot, guint max_reasons, char **reasons);

const char *backups_schedule_type_to_string (BackupsScheduleType type);
gboolean    backups_schedule_type_from_string (const char *str, BackupsScheduleType *type);
/* NULL for BACKUPS_FREQUENCY_UNKNOWN. */
const char *backups_frequency_to_string (BackupsFrequency frequency);
/* FALSE (and *frequency = UNKNOWN) for anything but the four words. */
gboolean backups_frequency_from_string (const char *str, BackupsFrequency *frequency);

/* 1, 0 or BACKUPS_NO_VALUE, as the store and JSON keep a flag. */
gint64      backups_flag_to_int (BackupsFlag flag);
BackupsFlag backups_flag_from_int (gint64 value);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsServerRecord, backups_server_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSiteRecord, backups_site_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsScheduleRecord, backups_schedule_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsIntegrationRecord, backups_integration_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSnapshot, backups_snapshot_free)

G_END_DECLS
