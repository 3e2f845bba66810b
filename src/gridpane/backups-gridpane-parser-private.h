/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-parser-private.h
 *
 * The two readers of GET /backups/schedules, each on its own, for the
 * tests that hold them to the same records: the one-pass reader
 * (backups-gridpane-json-scan.c) and the json-glib tree
 * (backups-gridpane-parser.c), which backups_gridpane_parse_schedules_page()
 * falls back on.
 */
#pragma once

#include <glib.h>

#include "backups-gridpane-json-scan-private.h"
#include "backups-gridpane-parser.h"

G_BEGIN_DECLS

/* The json-glib path: the reference, and the one that explains errors. */
GPtrArray *backups_gridpane_parse_schedules_tree (const char          *data,
                                                  gsize                len,
                                                  BackupsGridpanePage *page,
                                                  GError             **error);

G_END_DECLS
