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
} BackupsFrequency;

typedef struct
{
  gint64 remote_id;
  char  *label;
  char  *ip;       /* nullable */
  char  *timezone; /* IANA name from server_timezone, nullable = UTC */
} BackupsServerRecord;

typedef struct
{
  gint64   remote_id;
  char    *url;
  gint64   server_remote_id; /* BACKUPS_NO_VALUE when unknown */
  gboolean local_bup;
  gboolean remote_bup;
  int      local_retain_days;     /* BACKUPS_NO_VALUE when unknown */
  int      local_prune_schedule;  /* BACKUPS_NO_VALUE when unknown */
  int      remote_retain_days;    /* BACKUPS_NO_VALUE when unknown */
  int      remote_prune_schedule; /* BACKUPS_NO_VALUE when unknown */
} BackupsSiteRecord;

typedef struct
{
  gint64              remote_id; /* the schedule's own id: its identity */
  gint64              site_remote_id;
  gint64              server_remote_id; /* BACKUPS_NO_VALUE when unknown */
  char               *site_url;
  BackupsScheduleType type;
  BackupsFrequency    frequency;
  int                 hour;
  int                 minute;
  int                 day;        /* weekday 0-6 (weekly), 1-28 (monthly), else BACKUPS_NO_VALUE */
  gint64              service_id; /* BACKUPS_NO_VALUE for local schedules */
  char               *service_name; /* nullable */
  char               *raw_json;     /* the schedule object as received */
} BackupsScheduleRecord;

typedef struct
{
  gint64 remote_id;
  char  *service; /* aws-s3, backblaze, wasabi, dropbox, or anything else */
  char  *name;
  char  *region;   /* nullable */
  char  *raw_json; /* every credential field removed */
} BackupsIntegrationRecord;

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
} BackupsApplyCounts;

BackupsServerRecord      *backups_server_record_new (void);
void                      backups_server_record_free (BackupsServerRecord *record);
BackupsSiteRecord        *backups_site_record_new (void);
void                      backups_site_record_free (BackupsSiteRecord *record);
BackupsScheduleRecord    *backups_schedule_record_new (void);
void                      backups_schedule_record_free (BackupsScheduleRecord *record);
BackupsIntegrationRecord *backups_integration_record_new (void);
void                      backups_integration_record_free (BackupsIntegrationRecord *record);

/* Arrays that own their records (free functions set). */
GPtrArray *backups_server_record_array_new (void);
GPtrArray *backups_site_record_array_new (void);
GPtrArray *backups_schedule_record_array_new (void);
GPtrArray *backups_integration_record_array_new (void);

BackupsSnapshot *backups_snapshot_new (void);
void             backups_snapshot_free (BackupsSnapshot *snapshot);

const char *backups_schedule_type_to_string (BackupsScheduleType type);
gboolean    backups_schedule_type_from_string (const char *str, BackupsScheduleType *type);
const char *backups_frequency_to_string (BackupsFrequency frequency);
gboolean    backups_frequency_from_string (const char *str, BackupsFrequency *frequency);

/* TRUE when a JSON object key names a credential (token, secret, password,
 * key, case-insensitive) and must never be stored or shown. */
gboolean backups_is_credential_key (const char *key);

/* `json` with every member whose key is a credential removed, at any depth.
 * Text that is not JSON gives "{}": an unreadable blob could hide a secret. */
char *backups_json_strip_credentials (const char *json);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsServerRecord, backups_server_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSiteRecord, backups_site_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsScheduleRecord, backups_schedule_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsIntegrationRecord, backups_integration_record_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSnapshot, backups_snapshot_free)

G_END_DECLS
