/* backups-gridpane-parser.h
 *
 * Pure functions from GridPane response bytes to plain records, and the
 * rate-limit header arithmetic. Nothing here does I/O or keeps state, so
 * every function can be unit-tested and fuzzed on its own.
 *
 * Every parser either returns a complete array or NULL with a
 * BACKUPS_ERROR_INVALID_RESPONSE error; it never returns part of a body.
 * Error messages describe the body only ("schedule 12: “hour” is not a
 * number"); the client adds the account and the endpoint.
 */
#pragma once

#include <glib.h>

#include "backups-records.h"

G_BEGIN_DECLS

/* Pagination facts of one list page (Laravel style `meta` and `links`).
 * A body without pagination data is a single page: current_page and
 * last_page are 1, per_page and total are the number of items, and
 * has_next is FALSE. */
typedef struct
{
  int      current_page;
  int      last_page;
  int      per_page;
  int      total;
  gboolean has_next; /* another page should be requested */
} BackupsGridpanePage;

/* Bodies nested deeper than this are refused before json-glib sees them,
 * so a hostile body cannot exhaust the stack. */
#define BACKUPS_GRIDPANE_MAX_DEPTH 64

/* Bounds for any wait computed from headers. */
#define BACKUPS_GRIDPANE_MAX_DELAY_MS (120 * 1000)

/* GET /backups/schedules → BackupsScheduleRecord array, one record per
 * schedule (a site with two schedules gives two records). */
GPtrArray *backups_gridpane_parse_schedules (const char *data, gsize len, GError **error);

/* GET /backups/integrations → BackupsIntegrationRecord array. Credential
 * members are removed from raw_json here, recursively. */
GPtrArray *backups_gridpane_parse_integrations (const char *data, gsize len, GError **error);

/* One page of GET /site → BackupsSiteRecord array; fills `page` if not
 * NULL. */
GPtrArray *backups_gridpane_parse_sites_page (const char          *data,
                                              gsize                len,
                                              BackupsGridpanePage *page,
                                              GError             **error);

/* One page of GET /server → BackupsServerRecord array; fills `page` if not
 * NULL. */
GPtrArray *backups_gridpane_parse_servers_page (const char          *data,
                                                gsize                len,
                                                BackupsGridpanePage *page,
                                                GError             **error);

/* GET /user: TRUE when the body is the JSON object GridPane sends. */
gboolean backups_gridpane_parse_user (const char *data, gsize len, GError **error);

/* How long to wait after a 429, in milliseconds: Retry-After-Endpoint + 1 s;
 * else X-RateLimit-Endpoint-Reset − now (a value too small to be a unix
 * time is taken as seconds from now); else `default_ms`. Unparseable
 * headers count as absent. The result is within
 * [0, MAX (default_ms, BACKUPS_GRIDPANE_MAX_DELAY_MS)]. `now_ms` is unix
 * time in milliseconds. */
gint64 backups_gridpane_retry_delay_ms (const char *retry_after_endpoint,
                                        const char *endpoint_reset,
                                        gint64      now_ms,
                                        guint       default_ms);

/* How long to wait before the next request to the same rate-limit bucket,
 * from a successful response's X-RateLimit-*-Remaining, -Limit and -Reset
 * headers (each nullable). Remaining 0 waits until the reset, or for
 * `window_ms` (the time the caller reckons is left in the window) when no
 * reset was sent, which is what GridPane does on a success. With a reset, a
 * low remaining budget (a quarter of the limit or less) is spread over the
 * time left; otherwise 0. */
gint64 backups_gridpane_pacing_delay_ms (
  const char *remaining, const char *limit, const char *reset, gint64 now_ms, guint window_ms);

G_END_DECLS
