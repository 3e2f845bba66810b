/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-schedule-fields-private.h
 *
 * The members of a /backups/schedules body that make a schedule record,
 * declared once: both readers of that body (the json-glib tree in
 * backups-gridpane-parser.c and the one-pass reader in
 * backups-gridpane-json-scan.c) collect them into these structs and turn
 * them into records here.
 */
#pragma once

#include <glib.h>

#include "backups-gridpane-value-private.h"

G_BEGIN_DECLS

/* The members of a site entry that matter. */
#define BACKUPS_GRIDPANE_SITE_ENTRY_MEMBERS(X)                                                     \
  X (site_id)                                                                                      \
  X (server_id)                                                                                    \
  X (url)

/* The members of one schedule that make its record. */
#define BACKUPS_GRIDPANE_SCHEDULE_MEMBERS(X)                                                       \
  X (id)                                                                                           \
  X (type)                                                                                         \
  X (bup_schedule)                                                                                 \
  X (hour)                                                                                         \
  X (minute)                                                                                       \
  X (day)                                                                                          \
  X (service_id)                                                                                   \
  X (service_name)                                                                                 \
  X (service_user_id)

typedef struct
{
  BACKUPS_GRIDPANE_SITE_ENTRY_MEMBERS (BACKUPS_GRIDPANE_MEMBER_FIELD)
} BackupsGridpaneSiteFields;

typedef struct
{
  BACKUPS_GRIDPANE_SCHEDULE_MEMBERS (BACKUPS_GRIDPANE_MEMBER_FIELD)
} BackupsGridpaneScheduleFields;

extern const BackupsGridpaneMember backups_gridpane_site_entry_members[];
extern const BackupsGridpaneMember backups_gridpane_schedule_members[];

/* What a site entry says of the site of its schedules. */
typedef struct
{
  gint64 site_id;
  gint64 server_id;
  char  *url;      /* never NULL once read */
  char  *problems; /* what could not be read, or NULL */
} BackupsGridpaneSiteEntry;

void backups_gridpane_site_entry_clear (BackupsGridpaneSiteEntry *entry);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BackupsGridpaneSiteEntry, backups_gridpane_site_entry_clear)

/* Site entry `index_` (from 0). Only a missing or unreadable site id
 * fails; an odd server id or URL is unknown, and `problems` says why. */
gboolean backups_gridpane_read_site_entry (const BackupsGridpaneSiteFields *fields,
                                           guint                            index_,
                                           BackupsGridpaneSiteEntry        *entry,
                                           GError                         **error);

/* Appends the record of one schedule of the site to `records`, or fails
 * when it has no id or one already in `seen_ids` (where it is added). Any
 * other value it cannot read is kept as unknown, with the reason in the
 * record's `problems`. */
gboolean backups_gridpane_add_schedule (const BackupsGridpaneScheduleFields *fields,
                                        const BackupsGridpaneSiteEntry      *site,
                                        GHashTable                          *seen_ids,
                                        GPtrArray                           *records,
                                        GError                             **error);

G_END_DECLS
