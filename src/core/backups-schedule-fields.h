/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-schedule-fields.h: the columns of a schedule row, declared once.
 *
 * Every layer derives what it needs of a schedule row from this table: the
 * BackupsScheduleFields struct and the BackupsSchedule properties and
 * getters (backups-schedule.[ch]), the store's SELECT lists and row readers
 * (backups-store-read.c), the live model's packed row
 * (backups-query-model.c), equality, and the keys of `backupsctl schedules
 * --format json|csv` (backupsctl-reports.c). A new column is one line here,
 * a migration that adds it to the store, and a column in the window's .ui.
 *
 * BACKUPS_SCHEDULE_FIELDS (X) calls X (KIND, member, property, key, SOURCE)
 * for each column, in the order backupsctl prints them:
 *
 *   KIND      how the value is kept, compared and shown:
 *               ID           gint64, always known
 *               OPTIONAL_ID  gint64, BACKUPS_NO_VALUE when unknown or none
 *               NUMBER       int, BACKUPS_NO_VALUE when unknown
 *               SMALL        int from -1 to 127 (packed into a byte),
 *                            BACKUPS_NO_VALUE when unknown
 *               STRING       char * (interned where rows are many), nullable
 *               ZONE         a STRING holding an IANA time zone; backupsctl
 *                            prints it only when GLib knows the zone
 *               TYPE         BackupsScheduleType
 *               FREQUENCY    BackupsFrequency
 *               FLAG         BackupsFlag
 *               NEXT_RUN, ASSUMED
 *                            not stored: backupsctl's next run (ISO 8601
 *                            UTC) and whether it assumed UTC for want of a
 *                            zone; their member names only the key
 *   member    the BackupsScheduleFields member; the getter is
 *             backups_schedule_get_<member>()
 *   property  the BackupsSchedule property, NULL for what is not stored
 *   key       the JSON/CSV key, NULL when backupsctl leaves it out
 *   SOURCE    where the store reads it, over backup_schedules (s), its
 *             account (a), server (sv), site (si) and integration (i):
 *               OWN (column)           a column of backup_schedules
 *               JOINED (expression)    a value of a joined row; the store's
 *                                      whole-org reader fills these by hand
 *                                      from its lookups (that is the join)
 *               BY_TYPE (local, remote)
 *                                      a column pair of the site: the
 *                                      local one for a local schedule, the
 *                                      remote one for a remote schedule
 *               DERIVED ()             not stored
 *
 * BY_TYPE columns must come after schedule_type, which chooses between
 * their two values.
 */
#pragma once

#define BACKUPS_SCHEDULE_FIELDS(X)                                                                 \
  X (ID, account_id, "account-id", NULL, OWN ("account_id"))                                       \
  X (STRING, account_name, "account-name", "account", JOINED ("a.name"))                           \
  X (ID, site_id, "site-id", "site_id", OWN ("site_remote_id"))                                    \
  X (STRING, site_url, "site-url", "site_url", OWN ("site_url"))                                   \
  X (OPTIONAL_ID, server_id, "server-id", "server_id", OWN ("server_remote_id"))                   \
  X (STRING, server_label, "server-label", "server_label", JOINED ("sv.label"))                    \
  X (ID, schedule_id, "schedule-id", "schedule_id", OWN ("remote_id"))                             \
  X (TYPE, schedule_type, "schedule-type", "type", OWN ("type"))                                   \
  X (FREQUENCY, frequency, "frequency", "frequency", OWN ("frequency"))                            \
  X (SMALL, hour, "hour", "hour", OWN ("hour"))                                                    \
  X (SMALL, minute, "minute", "minute", OWN ("minute"))                                            \
  X (SMALL, day, "day", "day", OWN ("day"))                                                        \
  X (OPTIONAL_ID, service_id, "service-id", "service_id", OWN ("service_id"))                      \
  X (STRING, service_name, "service-name", "service_name", OWN ("service_name"))                   \
  X (OPTIONAL_ID, integration_id, "integration-id", "integration_id", OWN ("integration_id"))      \
  X (STRING, destination, "destination", "destination", JOINED ("i.name"))                         \
  X (STRING, destination_service, "destination-service", NULL, JOINED ("i.service"))               \
  X (FLAG, enabled, "enabled", "enabled", BY_TYPE ("local_bup", "remote_bup"))                     \
  X (NUMBER, retain_days, "retain-days", "retain_days",                                            \
     BY_TYPE ("local_retain_days", "remote_retain_days"))                                          \
  X (SMALL, prune_schedule, "prune-schedule", NULL,                                                \
     BY_TYPE ("local_prune_schedule", "remote_prune_schedule"))                                    \
  X (NEXT_RUN, next_run, NULL, "next_run", DERIVED ())                                             \
  X (ZONE, server_timezone, "server-timezone", "timezone", JOINED ("sv.timezone"))                 \
  X (ASSUMED, timezone_assumed, NULL, "timezone_assumed", DERIVED ())                              \
  X (STRING, problems, "problems", "problems", OWN ("problems"))

/* Helpers for code that expands the table. BACKUPS_FIELD_IF_STORED_<KIND>
 * (...) is its arguments for a stored kind and nothing for NEXT_RUN and ASSUMED. */
#define BACKUPS_FIELD_IF_STORED_ID(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_OPTIONAL_ID(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_NUMBER(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_SMALL(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_STRING(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_ZONE(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_TYPE(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_FREQUENCY(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_FLAG(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STORED_NEXT_RUN(...)
#define BACKUPS_FIELD_IF_STORED_ASSUMED(...)

/* BACKUPS_FIELD_IF_STRING_<KIND> (...): its arguments for the kinds held
 * as strings, nothing for the others. */
#define BACKUPS_FIELD_IF_STRING_ID(...)
#define BACKUPS_FIELD_IF_STRING_OPTIONAL_ID(...)
#define BACKUPS_FIELD_IF_STRING_NUMBER(...)
#define BACKUPS_FIELD_IF_STRING_SMALL(...)
#define BACKUPS_FIELD_IF_STRING_STRING(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STRING_ZONE(...) __VA_ARGS__
#define BACKUPS_FIELD_IF_STRING_TYPE(...)
#define BACKUPS_FIELD_IF_STRING_FREQUENCY(...)
#define BACKUPS_FIELD_IF_STRING_FLAG(...)
#define BACKUPS_FIELD_IF_STRING_NEXT_RUN(...)
#define BACKUPS_FIELD_IF_STRING_ASSUMED(...)

/* The C type a stored kind has in BackupsScheduleFields. */
#define BACKUPS_FIELD_CTYPE_ID gint64
#define BACKUPS_FIELD_CTYPE_OPTIONAL_ID gint64
#define BACKUPS_FIELD_CTYPE_NUMBER int
#define BACKUPS_FIELD_CTYPE_SMALL int
#define BACKUPS_FIELD_CTYPE_STRING char *
#define BACKUPS_FIELD_CTYPE_ZONE char *
#define BACKUPS_FIELD_CTYPE_TYPE BackupsScheduleType
#define BACKUPS_FIELD_CTYPE_FREQUENCY BackupsFrequency
#define BACKUPS_FIELD_CTYPE_FLAG BackupsFlag

/* What a getter returns for a NULL schedule, by kind. */
#define BACKUPS_FIELD_FALLBACK_ID 0
#define BACKUPS_FIELD_FALLBACK_OPTIONAL_ID BACKUPS_NO_VALUE
#define BACKUPS_FIELD_FALLBACK_NUMBER BACKUPS_NO_VALUE
#define BACKUPS_FIELD_FALLBACK_SMALL BACKUPS_NO_VALUE
#define BACKUPS_FIELD_FALLBACK_STRING NULL
#define BACKUPS_FIELD_FALLBACK_ZONE NULL
#define BACKUPS_FIELD_FALLBACK_TYPE BACKUPS_SCHEDULE_TYPE_LOCAL
#define BACKUPS_FIELD_FALLBACK_FREQUENCY BACKUPS_FREQUENCY_UNKNOWN
#define BACKUPS_FIELD_FALLBACK_FLAG BACKUPS_FLAG_UNKNOWN

/* The getter's return type: strings are borrowed. */
#define BACKUPS_FIELD_RTYPE_ID gint64
#define BACKUPS_FIELD_RTYPE_OPTIONAL_ID gint64
#define BACKUPS_FIELD_RTYPE_NUMBER int
#define BACKUPS_FIELD_RTYPE_SMALL int
#define BACKUPS_FIELD_RTYPE_STRING const char *
#define BACKUPS_FIELD_RTYPE_ZONE const char *
#define BACKUPS_FIELD_RTYPE_TYPE BackupsScheduleType
#define BACKUPS_FIELD_RTYPE_FREQUENCY BackupsFrequency
#define BACKUPS_FIELD_RTYPE_FLAG BackupsFlag
