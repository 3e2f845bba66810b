/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Which list a page belongs to, for the sentences about it. */
typedef enum
{
  BACKUPS_GRIDPANE_LIST_SERVERS,
  BACKUPS_GRIDPANE_LIST_SITES,
  BACKUPS_GRIDPANE_LIST_SCHEDULES, /* its items are site entries */
  BACKUPS_GRIDPANE_LIST_INTEGRATIONS,
} BackupsGridpaneListKind;

typedef enum
{
  BACKUPS_GRIDPANE_NEXT_UNKNOWN, /* the body has no next link */
  BACKUPS_GRIDPANE_NEXT_NONE,    /* links.next / next_page_url is null */
  BACKUPS_GRIDPANE_NEXT_LINK,    /* a next page is linked */
} BackupsGridpaneNext;

/* What one list page says of the list, in either shape GridPane sends:
 * Laravel's resource `meta` and `links`, the compact `meta` of /site
 * ({current_page, total_pages, total}), a plain paginator's top-level
 * members, or nothing at all (a list in one piece). */
typedef struct
{
  int                 current_page; /* 0 when the body does not say */
  int                 last_page;    /* last_page, else total_pages; 0 when neither */
  gint64              total;        /* meta.total; -1 when not given */
  BackupsGridpaneNext next;
  guint               n_items; /* items in the page's list (site entries for schedules) */
} BackupsGridpanePage;

typedef enum
{
  BACKUPS_GRIDPANE_PAGES_DONE,
  BACKUPS_GRIDPANE_PAGES_MORE,
  BACKUPS_GRIDPANE_PAGES_FAILED,
} BackupsGridpanePagesStep;

/* The paginator's rule, after page `requested` (from 1) came back as
 * `page`: `n_new` of its records were not on an earlier page, and the pages
 * so far held `n_items` items. The last page is `last_page`, else
 * `total_pages`, else the one whose next link is null; with none of them the
 * list is one page. FAILED, with a BACKUPS_ERROR_INVALID_RESPONSE error, for
 * another page than the one asked for, a page that repeats an earlier one,
 * an empty page before the last, a list that goes past
 * BACKUPS_GRIDPANE_MAX_PAGES, and fewer items in all than `total` says:
 * an incomplete list must never be applied ("GridPane returned 100 of 231
 * sites"). */
BackupsGridpanePagesStep backups_gridpane_pages_step (BackupsGridpaneListKind    kind,
                                                      const BackupsGridpanePage *page,
                                                      int                        requested,
                                                      guint                      n_new,
                                                      guint64                    n_items,
                                                      GError                   **error);

#define BACKUPS_GRIDPANE_MAX_PAGES 1000

/* Bodies nested deeper than this are refused before json-glib sees them,
 * so a hostile body cannot exhaust the stack. */
#define BACKUPS_GRIDPANE_MAX_DEPTH 64

/* Bounds for any wait computed from headers. */
#define BACKUPS_GRIDPANE_MAX_DELAY_MS (120 * 1000)

/* GET /backups/schedules → BackupsScheduleRecord array, one record per
 * schedule (a site with two schedules gives two records). A value outside
 * the documented range does not fail the body: the record keeps it as
 * unknown and says why in `problems`. Fills `page` if not NULL. */
GPtrArray *backups_gridpane_parse_schedules_page (const char          *data,
                                                  gsize                len,
                                                  BackupsGridpanePage *page,
                                                  GError             **error);
GPtrArray *backups_gridpane_parse_schedules (const char *data, gsize len, GError **error);

/* GET /backups/integrations → BackupsIntegrationRecord array. Only the
 * members the app reads are kept: never a credential. */
GPtrArray *backups_gridpane_parse_integrations_page (const char          *data,
                                                     gsize                len,
                                                     BackupsGridpanePage *page,
                                                     GError             **error);
GPtrArray *backups_gridpane_parse_integrations (const char *data, gsize len, GError **error);

/* One page of GET /site → BackupsSiteRecord array, with what each item's
 * embedded server says (its time zone); fills `page` if not NULL. */
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
