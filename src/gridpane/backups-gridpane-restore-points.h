/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-restore-points.h
 *
 * GridPane's record of the backups that exist for one site, the body of
 * `GET /backups/original/{site}` (gridpane-api.md, "Restore points"):
 *
 *   {"success": true,
 *    "backups": {"local": {"automatic": "2024-05-01 00:00, 2024-04-30 10:11 pre-update",
 *                          "manual": "…"},
 *                "aws-s3": {"automatic": "…", "manual": "…"}}}
 *
 * Each source ("local", or a storage kind for a remote copy; any key is
 * taken as data) holds two strings of comma-separated names. A name is
 * the server's wall-clock time to the minute, "YYYY-MM-DD HH:MM", then
 * optionally a space and a tag. A name that does not read so is counted
 * and left out, never fatal; only a body that is not this shape fails.
 * Pure functions: no I/O, no clock.
 */
#pragma once

#include <glib.h>

#include "backups-records.h"

G_BEGIN_DECLS

typedef struct
{
  GPtrArray *points;           /* BackupsRestorePointRecord, newest first */
  guint      n_unreadable;     /* names left out */
  char      *first_unreadable; /* the first of them, for a message; NULL when none */
} BackupsRestorePoints;

void backups_restore_points_clear (BackupsRestorePoints *points);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BackupsRestorePoints, backups_restore_points_clear)

/* Reads one name: its time in `server_zone` (the site's server's zone; UTC
 * when the caller knows none, and says so) as Unix time, and its tag (NULL
 * when it has none). FALSE when the name is not "YYYY-MM-DD HH:MM" with a
 * real date and time, optionally followed by a space and a tag. A
 * wall-clock time that daylight saving skips or repeats is read as GLib's
 * g_date_time_new() reads it. */
gboolean backups_gridpane_read_restore_point_name (const char *name,
                                                   GTimeZone  *server_zone,
                                                   gint64     *taken_at,
                                                   char      **tag);

/* The restore points of one `/backups/original/{site}` body into `out`
 * (cleared first), or FALSE with a BACKUPS_ERROR_INVALID_RESPONSE error
 * that describes the body. */
gboolean backups_gridpane_parse_restore_points (const char           *data,
                                                gsize                 len,
                                                GTimeZone            *server_zone,
                                                BackupsRestorePoints *out,
                                                GError              **error);

G_END_DECLS
