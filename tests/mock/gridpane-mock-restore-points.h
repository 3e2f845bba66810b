/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-restore-points.h: the mock's restore-point routes
 * (gridpane-mock-restore-points.c says what they serve). */
#pragma once

#include "gridpane-mock-fleet.h"

G_BEGIN_DECLS

#define MOCK_RESTORE_ORIGINAL_ROUTE "/backups/original"
#define MOCK_RESTORE_REFRESH_ROUTE  "/backups/refresh"

/* What a site's record holds, for tests that look for each case. */
typedef enum
{
  MOCK_RESTORE_CURRENT, /* a point for each expected run */
  MOCK_RESTORE_STOPPED, /* the newest points are two to nine days old */
  MOCK_RESTORE_NONE,    /* no restore points at all */
} MockRestoreClass;

MockRestoreClass mock_restore_points_class (const MockFleet *fleet, const MockSite *site);

/* Whether `path` is "/backups/original/{id}" or "/backups/refresh/{id}". */
gboolean mock_restore_points_parse_path (const char *path, gboolean *refresh, gint64 *site_id);
/* The route of such a path without its site (the rate-limit bucket), or
 * NULL for another path. */
const char *mock_restore_points_route (const char *path);
/* The body of GET `path` at Unix time `now`, and its status (404 for a
 * site the fleet does not have). A refresh brings the site's record to
 * `now` and answers it. */
GBytes *mock_restore_points_render (MockFleet *fleet, const char *path, gint64 now, guint *status);

G_END_DECLS
