/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-json-scan-private.h
 *
 * The one-pass reader of GET /backups/schedules (backups-gridpane-json-scan.c),
 * for the schedules parser, which falls back on the json-glib tree.
 */
#pragma once

#include <glib.h>

#include "backups-gridpane-parser.h"

G_BEGIN_DECLS

/* It returns the records only for a body it can vouch for, and NULL, never
 * an error, for any other: an invalid body, or one it leaves to json-glib.
 * `page` (may be NULL) gets the body's pagination facts, its items being
 * its site entries. */
GPtrArray *
backups_gridpane_parse_schedules_direct (const char *data, gsize len, BackupsGridpanePage *page);

G_END_DECLS
