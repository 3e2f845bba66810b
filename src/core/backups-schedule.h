/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-schedule.h: one backup schedule as the window and CLI show it,
 * joined with its site, server, account and destination. Read-only. */
#pragma once

#include <glib-object.h>

#include "backups-records.h"
#include "backups-schedule-fields.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_SCHEDULE (backups_schedule_get_type ())

G_DECLARE_FINAL_TYPE (BackupsSchedule, backups_schedule, BACKUPS, SCHEDULE, GObject)

/* The stored columns of backups-schedule-fields.h. */
#define BACKUPS_SCHEDULE_MEMBER(KIND, member, property, key, SOURCE)                               \
  BACKUPS_FIELD_IF_STORED_##KIND (BACKUPS_FIELD_CTYPE_##KIND member;)

typedef struct
{
  BACKUPS_SCHEDULE_FIELDS (BACKUPS_SCHEDULE_MEMBER)
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

/* backups_schedule_get_<member> () for each stored column of
 * backups-schedule-fields.h; strings are borrowed. */
#define BACKUPS_SCHEDULE_GETTER_DECLARATION(KIND, member, property, key, SOURCE)                   \
  BACKUPS_FIELD_IF_STORED_##KIND (                                                                 \
    BACKUPS_FIELD_RTYPE_##KIND backups_schedule_get_##member (BackupsSchedule *self);)

BACKUPS_SCHEDULE_FIELDS (BACKUPS_SCHEDULE_GETTER_DECLARATION)

/* The next time the schedule runs after `now`, in UTC; NULL when a value
 * it needs is unknown. *assumed_utc (may be NULL) is TRUE when the
 * server's time zone is unknown or not an IANA name: the time is then
 * computed as if the server ran on UTC, and must be shown as such. */
GDateTime *
backups_schedule_get_next_run (BackupsSchedule *self, GDateTime *now, gboolean *assumed_utc);

G_END_DECLS
