/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-restore-points.c: backups_gridpane_parse_restore_points(), a site's
 * record of the backups that exist. */
#include "fuzz-common.h"

#include "backups-gridpane-restore-points.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  static GTimeZone *zone;
  g_auto (BackupsRestorePoints) points = { 0 };
  g_autoptr (GError) error = NULL;
  gboolean ok;

  if (zone == NULL)
    zone = g_time_zone_new_identifier ("America/New_York");
  if (zone == NULL)
    zone = g_time_zone_new_utc ();

  ok = backups_gridpane_parse_restore_points ((const char *)data, size, zone, &points, &error);
  fuzz_check_outcome (ok ? points.points : NULL, error);
  if (!ok)
    return 0;

  /* Counted names have an example, and only they. */
  if ((points.n_unreadable > 0) != (points.first_unreadable != NULL))
    abort ();

  for (guint i = 0; i < points.points->len; i++)
    {
      BackupsRestorePointRecord *point = g_ptr_array_index (points.points, i);
      g_autofree char           *tag = NULL;
      gint64                     taken_at;

      /* Newest first; each point reads again to the same time and tag. */
      if (i > 0
          && ((BackupsRestorePointRecord *)g_ptr_array_index (points.points, i - 1))->taken_at
               < point->taken_at)
        abort ();
      if (!backups_gridpane_read_restore_point_name (point->name, zone, &taken_at, &tag)
          || taken_at != point->taken_at || g_strcmp0 (tag, point->tag) != 0)
        abort ();
      if (point->source == NULL || !g_utf8_validate (point->name, -1, NULL)
          || strchr (point->name, ',') != NULL)
        abort ();
    }
  return 0;
}
