/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-format.h: small text helpers shared by the window's widgets. */
#pragma once

#include <gtk/gtk.h>

G_BEGIN_DECLS

/* "just now", "5 minutes ago", "3 hours ago", "yesterday", "4 days ago". */
char *backups_format_relative_time (gint64 then_unix, gint64 now_unix);

/* A UTC time shown in local time: "Today 05:00", "Tomorrow 17:30",
 * "Sun 30 Nov 05:00". */
char *backups_format_local_time (GDateTime *utc, GDateTime *now);

G_END_DECLS

G_BEGIN_DECLS

/* The empty state's words. `org_name` NULL: there is no organization.
 * `noun_title` like "No Backup Schedules". The next step is a sync
 * (*offer_sync), adding an account (*offer_add), or the words alone. */
void backups_format_empty_state (const char *org_name,
                                 gboolean    has_accounts,
                                 const char *noun_title,
                                 char      **title,
                                 char      **description,
                                 gboolean   *offer_sync,
                                 gboolean   *offer_add);

G_END_DECLS

G_BEGIN_DECLS

/* Orders two texts for a column sort without allocating: NULL first, then
 * ASCII case-insensitively (URLs and host names), then bytewise. */
int backups_compare_text (const char *a, const char *b);

/* The needle for backups_text_matches(), or NULL for an empty search. */
char *backups_search_needle_new (const char *text);

/* TRUE when `needle` occurs in `haystack`, ignoring case. */
gboolean backups_text_matches (const char *haystack, const char *needle);

/* How a search filter changed from `old_needle` to `new_needle`. */
GtkFilterChange backups_search_change (const char *old_needle, const char *new_needle);

G_END_DECLS
