/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-schedule.c: a schedule row as an object; its fields, properties,
 * getters and equality all derive from backups-schedule-fields.h. */
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

#define PROP_ENUM(KIND, member, property, key, SOURCE)                                             \
  BACKUPS_FIELD_IF_STORED_##KIND (PROP_##member, )

enum
{
  PROP_0,
  BACKUPS_SCHEDULE_FIELDS (PROP_ENUM) N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* The string fields, for code that treats them alike. */
#define STRING_MEMBER(KIND, member, property, key, SOURCE)                                         \
  BACKUPS_FIELD_IF_STRING_##KIND (&fields_->member, )

#define FOREACH_STRING(f, code)                                                                    \
  G_STMT_START                                                                                     \
  {                                                                                                \
    BackupsScheduleFields *fields_ = (f);                                                          \
    char                 **strings[] = { BACKUPS_SCHEDULE_FIELDS (STRING_MEMBER) };                \
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

#define SET_VALUE_ID(v, x) g_value_set_int64 (v, x)
#define SET_VALUE_OPTIONAL_ID(v, x) g_value_set_int64 (v, x)
#define SET_VALUE_NUMBER(v, x) g_value_set_int (v, x)
#define SET_VALUE_SMALL(v, x) g_value_set_int (v, x)
#define SET_VALUE_STRING(v, x) g_value_set_string (v, x)
#define SET_VALUE_ZONE(v, x) g_value_set_string (v, x)
#define SET_VALUE_TYPE(v, x) g_value_set_string (v, backups_schedule_type_to_string (x))
#define SET_VALUE_FREQUENCY(v, x) g_value_set_string (v, backups_frequency_to_string (x))
#define SET_VALUE_FLAG(v, x) g_value_set_int (v, x)
#define GET_CASE(KIND, member, property, key, SOURCE)                                              \
  BACKUPS_FIELD_IF_STORED_##KIND (case PROP_##member : SET_VALUE_##KIND (value, f->member); break;)

  switch (prop_id)
    {
      BACKUPS_SCHEDULE_FIELDS (GET_CASE)
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

  /* Ids are -1 when unknown; numbers and flags (1 yes, 0 no) too. */
#define PSPEC_ID(name) g_param_spec_int64 (name, NULL, NULL, -1, G_MAXINT64, -1, flags)
#define PSPEC_OPTIONAL_ID(name) PSPEC_ID (name)
#define PSPEC_NUMBER(name) g_param_spec_int (name, NULL, NULL, -1, G_MAXINT, -1, flags)
#define PSPEC_SMALL(name) PSPEC_NUMBER (name)
#define PSPEC_FLAG(name) PSPEC_NUMBER (name)
#define PSPEC_STRING(name) g_param_spec_string (name, NULL, NULL, NULL, flags)
#define PSPEC_ZONE(name) PSPEC_STRING (name)
#define PSPEC_TYPE(name) PSPEC_STRING (name)
#define PSPEC_FREQUENCY(name) PSPEC_STRING (name)
#define INSTALL(KIND, member, property, key, SOURCE)                                               \
  BACKUPS_FIELD_IF_STORED_##KIND (properties[PROP_##member] = PSPEC_##KIND (property);)

  BACKUPS_SCHEDULE_FIELDS (INSTALL)

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

#define EQUAL_ID(x, y) ((x) == (y))
#define EQUAL_OPTIONAL_ID(x, y) ((x) == (y))
#define EQUAL_NUMBER(x, y) ((x) == (y))
#define EQUAL_SMALL(x, y) ((x) == (y))
#define EQUAL_TYPE(x, y) ((x) == (y))
#define EQUAL_FREQUENCY(x, y) ((x) == (y))
#define EQUAL_FLAG(x, y) ((x) == (y))
#define EQUAL_STRING(x, y) str_equal (x, y)
#define EQUAL_ZONE(x, y) str_equal (x, y)
#define AND_EQUAL(KIND, member, property, key, SOURCE)                                             \
  BACKUPS_FIELD_IF_STORED_##KIND (&&EQUAL_##KIND (x->member, y->member))

gboolean
backups_schedule_fields_equal (const BackupsScheduleFields *x, const BackupsScheduleFields *y)
{
  return TRUE BACKUPS_SCHEDULE_FIELDS (AND_EQUAL);
}

#define GETTER(KIND, member, property, key, SOURCE)                                                \
  BACKUPS_FIELD_IF_STORED_##KIND (                                                                 \
    BACKUPS_FIELD_RTYPE_##KIND backups_schedule_get_##member (BackupsSchedule *self) {             \
      g_return_val_if_fail (BACKUPS_IS_SCHEDULE (self), BACKUPS_FIELD_FALLBACK_##KIND);            \
      return self->f.member;                                                                       \
    })

BACKUPS_SCHEDULE_FIELDS (GETTER)

GDateTime *
backups_schedule_get_next_run (BackupsSchedule *self, GDateTime *now, gboolean *assumed_utc)
{
  g_return_val_if_fail (BACKUPS_IS_SCHEDULE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  return backups_schedule_next_run (self->f.frequency, self->f.hour, self->f.minute, self->f.day,
                                    self->f.server_timezone, now, assumed_utc);
}
