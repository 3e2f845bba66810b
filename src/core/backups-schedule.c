/* backups-schedule.c */
#include "backups-schedule.h"

#include "backups-schedule-time.h"

#include <string.h>

struct _BackupsSchedule
{
  GObject               parent_instance;
  BackupsScheduleFields f;
  gboolean              interned; /* the strings are GRefStrings */
};

G_DEFINE_FINAL_TYPE (BackupsSchedule, backups_schedule, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCOUNT_ID,
  PROP_ACCOUNT_NAME,
  PROP_SCHEDULE_ID,
  PROP_SITE_ID,
  PROP_SITE_URL,
  PROP_SERVER_ID,
  PROP_SERVER_LABEL,
  PROP_SERVER_TIMEZONE,
  PROP_SCHEDULE_TYPE,
  PROP_FREQUENCY,
  PROP_HOUR,
  PROP_MINUTE,
  PROP_DAY,
  PROP_SERVICE_ID,
  PROP_SERVICE_NAME,
  PROP_INTEGRATION_ID,
  PROP_DESTINATION,
  PROP_DESTINATION_SERVICE,
  PROP_ENABLED,
  PROP_RETAIN_DAYS,
  PROP_PRUNE_SCHEDULE,
  PROP_PROBLEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string fields, for code that treats them alike. */
#define FOREACH_STRING(f, code)                                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    char **strings[]                                                                               \
      = { &(f)->account_name, &(f)->site_url,    &(f)->server_label,        &(f)->server_timezone, \
          &(f)->service_name, &(f)->destination, &(f)->destination_service, &(f)->problems };      \
    for (guint i_ = 0; i_ < G_N_ELEMENTS (strings); i_++)                                          \
      {                                                                                            \
        char **string = strings[i_];                                                               \
        code;                                                                                      \
      }                                                                                            \
  }                                                                                                \
  G_STMT_END

static void
backups_schedule_finalize (GObject *object)
{
  BackupsSchedule *self = (BackupsSchedule *)object;

  if (self->interned)
    FOREACH_STRING (&self->f, g_clear_pointer (string, g_ref_string_release));
  else
    FOREACH_STRING (&self->f, g_clear_pointer (string, g_free));

  G_OBJECT_CLASS (backups_schedule_parent_class)->finalize (object);
}

static void
backups_schedule_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsSchedule             *self = BACKUPS_SCHEDULE (object);
  const BackupsScheduleFields *f = &self->f;

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, f->account_id);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, f->account_name);
      break;
    case PROP_SCHEDULE_ID:
      g_value_set_int64 (value, f->schedule_id);
      break;
    case PROP_SITE_ID:
      g_value_set_int64 (value, f->site_id);
      break;
    case PROP_SITE_URL:
      g_value_set_string (value, f->site_url);
      break;
    case PROP_SERVER_ID:
      g_value_set_int64 (value, f->server_id);
      break;
    case PROP_SERVER_LABEL:
      g_value_set_string (value, f->server_label);
      break;
    case PROP_SERVER_TIMEZONE:
      g_value_set_string (value, f->server_timezone);
      break;
    case PROP_SCHEDULE_TYPE:
      g_value_set_string (value, backups_schedule_type_to_string (f->type));
      break;
    case PROP_FREQUENCY:
      g_value_set_string (value, backups_frequency_to_string (f->frequency));
      break;
    case PROP_HOUR:
      g_value_set_int (value, f->hour);
      break;
    case PROP_MINUTE:
      g_value_set_int (value, f->minute);
      break;
    case PROP_DAY:
      g_value_set_int (value, f->day);
      break;
    case PROP_SERVICE_ID:
      g_value_set_int64 (value, f->service_id);
      break;
    case PROP_SERVICE_NAME:
      g_value_set_string (value, f->service_name);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_int64 (value, f->integration_id);
      break;
    case PROP_DESTINATION:
      g_value_set_string (value, f->destination);
      break;
    case PROP_DESTINATION_SERVICE:
      g_value_set_string (value, f->destination_service);
      break;
    case PROP_ENABLED:
      g_value_set_int (value, f->enabled);
      break;
    case PROP_RETAIN_DAYS:
      g_value_set_int (value, f->retain_days);
      break;
    case PROP_PRUNE_SCHEDULE:
      g_value_set_int (value, f->prune_schedule);
      break;
    case PROP_PROBLEMS:
      g_value_set_string (value, f->problems);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_schedule_class_init (BackupsScheduleClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = backups_schedule_finalize;
  object_class->get_property = backups_schedule_get_property;

#define INT64_PROP(id, name)                                                                       \
  properties[id] = g_param_spec_int64 (name, NULL, NULL, -1, G_MAXINT64, -1, flags)
#define INT_PROP(id, name)                                                                         \
  properties[id] = g_param_spec_int (name, NULL, NULL, -1, G_MAXINT, -1, flags)
#define STRING_PROP(id, name) properties[id] = g_param_spec_string (name, NULL, NULL, NULL, flags)

  INT64_PROP (PROP_ACCOUNT_ID, "account-id");
  STRING_PROP (PROP_ACCOUNT_NAME, "account-name");
  INT64_PROP (PROP_SCHEDULE_ID, "schedule-id");
  INT64_PROP (PROP_SITE_ID, "site-id");
  STRING_PROP (PROP_SITE_URL, "site-url");
  INT64_PROP (PROP_SERVER_ID, "server-id");
  STRING_PROP (PROP_SERVER_LABEL, "server-label");
  STRING_PROP (PROP_SERVER_TIMEZONE, "server-timezone");
  STRING_PROP (PROP_SCHEDULE_TYPE, "schedule-type");
  STRING_PROP (PROP_FREQUENCY, "frequency");
  INT_PROP (PROP_HOUR, "hour");
  INT_PROP (PROP_MINUTE, "minute");
  INT_PROP (PROP_DAY, "day");
  INT64_PROP (PROP_SERVICE_ID, "service-id");
  STRING_PROP (PROP_SERVICE_NAME, "service-name");
  INT64_PROP (PROP_INTEGRATION_ID, "integration-id");
  STRING_PROP (PROP_DESTINATION, "destination");
  STRING_PROP (PROP_DESTINATION_SERVICE, "destination-service");
  /* 1, 0, or -1 when the site's flag is unknown. */
  INT_PROP (PROP_ENABLED, "enabled");
  INT_PROP (PROP_RETAIN_DAYS, "retain-days");
  INT_PROP (PROP_PRUNE_SCHEDULE, "prune-schedule");
  STRING_PROP (PROP_PROBLEMS, "problems");

#undef INT64_PROP
#undef INT_PROP
#undef STRING_PROP

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_schedule_init (BackupsSchedule *self)
{
}

BackupsSchedule *
backups_schedule_new (const BackupsScheduleFields *fields)
{
  BackupsSchedule *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (BACKUPS_TYPE_SCHEDULE, NULL);
  self->f = *fields;
  FOREACH_STRING (&self->f, *string = g_strdup (*string));
  return self;
}

BackupsSchedule *
backups_schedule_new_interned (const BackupsScheduleFields *fields)
{
  BackupsSchedule *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (BACKUPS_TYPE_SCHEDULE, NULL);
  backups_schedule_fields_ref_strings (&self->f, fields);
  self->interned = TRUE;
  return self;
}

const BackupsScheduleFields *
backups_schedule_get_fields (BackupsSchedule *self)
{
  g_return_val_if_fail (BACKUPS_IS_SCHEDULE (self), NULL);
  return &self->f;
}

gboolean
backups_schedule_equal (BackupsSchedule *a, BackupsSchedule *b)
{
  return backups_schedule_fields_equal (&a->f, &b->f);
}

void
backups_schedule_fields_ref_strings (BackupsScheduleFields *dst, const BackupsScheduleFields *src)
{
  *dst = *src;
  FOREACH_STRING (dst, if (*string != NULL) g_ref_string_acquire (*string));
}

void
backups_schedule_fields_unref_strings (BackupsScheduleFields *fields)
{
  FOREACH_STRING (fields, g_clear_pointer (string, g_ref_string_release));
}

/* Interned strings are equal exactly when they are the same pointer; the
 * others are compared. */
static inline gboolean
str_equal (const char *a, const char *b)
{
  return a == b || (a != NULL && b != NULL && strcmp (a, b) == 0);
}

gboolean
backups_schedule_fields_equal (const BackupsScheduleFields *x, const BackupsScheduleFields *y)
{
  return x->account_id == y->account_id && x->schedule_id == y->schedule_id
         && x->site_id == y->site_id && x->server_id == y->server_id && x->type == y->type
         && x->frequency == y->frequency && x->hour == y->hour && x->minute == y->minute
         && x->day == y->day && x->service_id == y->service_id
         && x->integration_id == y->integration_id && x->enabled == y->enabled
         && x->retain_days == y->retain_days && x->prune_schedule == y->prune_schedule
         && str_equal (x->account_name, y->account_name) && str_equal (x->site_url, y->site_url)
         && str_equal (x->server_label, y->server_label)
         && str_equal (x->server_timezone, y->server_timezone)
         && str_equal (x->service_name, y->service_name)
         && str_equal (x->destination, y->destination)
         && str_equal (x->destination_service, y->destination_service)
         && str_equal (x->problems, y->problems);
}

#define SCHEDULE_GETTER(type, name, field, fallback)                                               \
  type backups_schedule_get_##name (BackupsSchedule *self)                                         \
  {                                                                                                \
    g_return_val_if_fail (BACKUPS_IS_SCHEDULE (self), fallback);                                   \
    return self->f.field;                                                                          \
  }

SCHEDULE_GETTER (gint64, account_id, account_id, 0)
SCHEDULE_GETTER (const char *, account_name, account_name, NULL)
SCHEDULE_GETTER (gint64, schedule_id, schedule_id, 0)
SCHEDULE_GETTER (gint64, site_id, site_id, 0)
SCHEDULE_GETTER (const char *, site_url, site_url, NULL)
SCHEDULE_GETTER (gint64, server_id, server_id, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (const char *, server_label, server_label, NULL)
SCHEDULE_GETTER (const char *, server_timezone, server_timezone, NULL)
SCHEDULE_GETTER (BackupsScheduleType, schedule_type, type, BACKUPS_SCHEDULE_TYPE_LOCAL)
SCHEDULE_GETTER (BackupsFrequency, frequency, frequency, BACKUPS_FREQUENCY_DAILY)
SCHEDULE_GETTER (int, hour, hour, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (int, minute, minute, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (int, day, day, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (gint64, service_id, service_id, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (const char *, service_name, service_name, NULL)
SCHEDULE_GETTER (gint64, integration_id, integration_id, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (const char *, destination, destination, NULL)
SCHEDULE_GETTER (const char *, destination_service, destination_service, NULL)
SCHEDULE_GETTER (BackupsFlag, enabled, enabled, BACKUPS_FLAG_UNKNOWN)
SCHEDULE_GETTER (int, retain_days, retain_days, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (int, prune_schedule, prune_schedule, BACKUPS_NO_VALUE)
SCHEDULE_GETTER (const char *, problems, problems, NULL)

GDateTime *
backups_schedule_get_next_run (BackupsSchedule *self, GDateTime *now, gboolean *assumed_utc)
{
  g_return_val_if_fail (BACKUPS_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  return backups_schedule_next_run (self->f.frequency, self->f.hour, self->f.minute, self->f.day,
                                    self->f.server_timezone, now, assumed_utc);
}
