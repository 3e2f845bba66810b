/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock.h: an in-process GridPane API server for tests, benchmarks
 * and the demo.
 *
 * The mock listens on 127.0.0.1 and runs on the thread-default main context
 * of the thread that calls gridpane_mock_start(). It serves the read
 * endpoints the sync uses (see /work/shared/gridpane-api.md) below
 * "/oauth/api/v1", with Bearer auth, the two pagination shapes GridPane
 * was captured sending (compact meta on /site, Laravel resource meta on
 * /server), GridPane-like rate limits, injectable faults, odd values and
 * incomplete lists. tests/mock/README.md lists the shapes and the knobs.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

/* Pass as a count in GridpaneMockFleetOptions to ask for none at all (0
 * means "the default"). */
#define GRIDPANE_MOCK_NONE G_MAXUINT

typedef struct
{
  guint seed;           /* fleet generator seed */
  guint n_servers;      /* 0 = default 5, GRIDPANE_MOCK_NONE = none */
  guint n_sites;        /* 0 = default 40, GRIDPANE_MOCK_NONE = none */
  guint n_integrations; /* 0 = default 6, GRIDPANE_MOCK_NONE = none */
  const char
    *name_prefix; /* prefix of labels/urls/integration names, e.g. "acme" (NULL = "fleet") */
} GridpaneMockFleetOptions;

typedef enum
{
  GRIDPANE_MOCK_FAULT_NONE,
  GRIDPANE_MOCK_FAULT_STATUS,       /* answer `status` (default 500) with a JSON error body */
  GRIDPANE_MOCK_FAULT_HTML,         /* answer `status` (default 502) with an HTML page */
  GRIDPANE_MOCK_FAULT_TRUNCATED,    /* 200, valid body cut in the middle (Content-Length matches the
                                       cut) */
  GRIDPANE_MOCK_FAULT_RESET,        /* send headers + part of body, then close the connection */
  GRIDPANE_MOCK_FAULT_INVALID_JSON, /* 200, status 0: "{not json"; status != 0: the real body
                                     * without the comma after the first credential value
                                     * ("token": "…") or else after the first text value */
  GRIDPANE_MOCK_FAULT_WRONG_TYPES,  /* 200, status 0: containers wrong ("data": "oops");
                                     * status != 0: containers right, fields wrong (ids as objects,
                                     * …) */
  GRIDPANE_MOCK_FAULT_MISSING_FIELDS, /* 200, items without their required ids */
  GRIDPANE_MOCK_FAULT_SLOW_BODY, /* 200 but the body trickles (chunked) slower than `delay_ms` total
                                  */
  GRIDPANE_MOCK_FAULT_HUGE_BODY, /* 200, a ~50 MB JSON body of the endpoint's shape */
  GRIDPANE_MOCK_FAULT_NON_UTF8,  /* 200, body with invalid UTF-8 bytes in strings */
  GRIDPANE_MOCK_FAULT_REPEAT_PAGE, /* list endpoints: every page is page 1 with last_page huge and
                                      links.next set */
  GRIDPANE_MOCK_FAULT_RATE_LIMIT,  /* 429 with GridPane's headers and "Beep, Beep" body;
                                    * delay_ms != 0 sets Retry-After-Endpoint to ceil(delay_ms /
                                    * 1000) */
  GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, /* 429 with no rate-limit headers at all */
} GridpaneMockFaultKind;

/* The pagination shape of a list (see gridpane_mock_set_meta_shape()). */
typedef enum
{
  GRIDPANE_MOCK_META_DEFAULT,       /* /site: COMPACT; /server and paged /backups lists: LARAVEL */
  GRIDPANE_MOCK_META_COMPACT,       /* "meta": {current_page, total_pages, total} only */
  GRIDPANE_MOCK_META_LARAVEL,       /* "links": {first, last, prev, next} and "meta": {current_page,
                                     * from, last_page, links, path, per_page, to, total} */
  GRIDPANE_MOCK_META_LINKS_ONLY,    /* "links": {"next": url or null} only, no meta */
  GRIDPANE_MOCK_META_NEXT_PAGE_URL, /* a top-level "next_page_url" (url or null), no meta */
  GRIDPANE_MOCK_META_NONE,          /* no pagination at all: every row in one answer */
} GridpaneMockMetaShape;

/* Values outside the documented range, each put in exactly one row of the
 * account (see gridpane_mock_get_odd_row()). */
typedef enum
{
  GRIDPANE_MOCK_ODD_MONTHLY_DAY_31 = 1 << 0,   /* a schedule "monthly" on "day": "31" */
  GRIDPANE_MOCK_ODD_FREQUENCY_CASE = 1 << 1,   /* "bup_schedule": "Daily" */
  GRIDPANE_MOCK_ODD_HOUR_24 = 1 << 2,          /* "hour": "24" */
  GRIDPANE_MOCK_ODD_NULL_FREQUENCY = 1 << 3,   /* "bup_schedule": null */
  GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER = 1 << 4, /* a /site item's "site_customizer": [] */
  GRIDPANE_MOCK_ODD_FLAG_WORD = 1 << 5,        /* a /site item's "local_bup": "enabled" */
  GRIDPANE_MOCK_ODD_NULL_TIME = 1 << 6,      /* "hour": null, "minute": null on a daily schedule */
  GRIDPANE_MOCK_ODD_MISSING_FLAG = 1 << 7,   /* a /site item without its local_bup member */
  GRIDPANE_MOCK_ODD_SUCCESS_STRING = 1 << 8, /* "success": "false" (a string) on
                                              * /backups/schedules and /backups/integrations */
} GridpaneMockOdd;

#define GRIDPANE_TYPE_MOCK (gridpane_mock_get_type ())

G_DECLARE_FINAL_TYPE (GridpaneMock, gridpane_mock, GRIDPANE, MOCK, GObject)

GridpaneMock *gridpane_mock_new (void);
gboolean      gridpane_mock_start (GridpaneMock *self, guint port, GError **error);
void          gridpane_mock_stop (GridpaneMock *self);
/* Serves HTTPS with this certificate (call before start; NULL = plain
 * HTTP, the default). Tests use a self-signed one to check that clients
 * refuse it. */
void gridpane_mock_set_tls_certificate (GridpaneMock *self, GTlsCertificate *certificate);
/* "http://127.0.0.1:PORT/oauth/api/v1" ("https://" with a certificate);
 * NULL before start. */
char *gridpane_mock_get_base_url (GridpaneMock *self);
/* The port listened on, 0 before start. */
guint gridpane_mock_get_port (GridpaneMock *self);

/* One GridPane user per token, each with its own generated fleet. `fleet`
 * may be NULL for the defaults. Adding an existing token replaces its
 * fleet. */
void gridpane_mock_add_account (GridpaneMock                   *self,
                                const char                     *token,
                                const GridpaneMockFleetOptions *fleet);
void gridpane_mock_remove_account (GridpaneMock *self, const char *token);

/* Latency added to every response, ms. */
void gridpane_mock_set_latency (GridpaneMock *self, guint latency_ms);

/* Rate limiting like GridPane: per token, per endpoint budget and overall
 * budget per window. Defaults GridPane-like: enabled, endpoint_limit 12,
 * total_limit 60, window_seconds 60, retry_after 27, /site pages cost 2.
 * Retry-After-Endpoint is MIN (retry_after, ceil (time left in window)).
 * Disabled: never 429 and no X-RateLimit-* headers. */
void gridpane_mock_set_rate_limits (GridpaneMock *self,
                                    gboolean      enabled,
                                    guint         endpoint_limit,
                                    guint         total_limit,
                                    double        window_seconds,
                                    guint         retry_after_seconds);

/* Page size: default 10 when no per_page, capped at max_per_page (default 300). */
void gridpane_mock_set_max_per_page (GridpaneMock *self, guint max_per_page);

/* Fault on an endpoint path ("/backups/schedules", "/site", "/server",
 * "/backups/integrations", "/user"; NULL = every endpoint) for a token (NULL
 * = all tokens). `times` = how many requests get the fault (0 = forever).
 * status is used by STATUS/HTML (and selects the WRONG_TYPES variant),
 * delay_ms by SLOW_BODY and RATE_LIMIT. The first matching fault wins;
 * faults apply after authentication. */
void gridpane_mock_set_fault (GridpaneMock         *self,
                              const char           *token,
                              const char           *path,
                              GridpaneMockFaultKind kind,
                              guint                 status,
                              guint                 delay_ms,
                              guint                 times);
void gridpane_mock_clear_faults (GridpaneMock *self);

/* Fleet changes between syncs. mutate_fleet removes some schedules & an
 * integration (with the remote schedules that named it), adds new
 * integration, sites and schedules, modifies some hours/frequencies and
 * retention; deterministic for a given fleet state and seed. */
void     gridpane_mock_mutate_fleet (GridpaneMock *self, const char *token, guint seed);
gboolean gridpane_mock_remove_schedule (GridpaneMock *self, const char *token, gint64 schedule_id);
gboolean gridpane_mock_set_schedule_time (
  GridpaneMock *self, const char *token, gint64 schedule_id, int hour, int minute);
/* Crowded start: the first schedule of up to `n_sites` sites of the
 * fleet's busiest server runs daily at hour:minute (automatic backups on).
 * Returns how many sites it changed. */
guint gridpane_mock_crowd_start (
  GridpaneMock *self, const char *token, guint n_sites, int hour, int minute);
/* No sites/schedules/integrations/servers afterwards (the user remains). */
void gridpane_mock_clear_fleet (GridpaneMock *self, const char *token);

/* Sentinel secrets: the value every integration of that token (NULL = all
 * tokens, including ones added later) carries in both `token` and
 * `secret_token`, and, with it set, also under names no keyword rule would
 * catch (`passphrase`, `credentials.access`, the password of an
 * `endpoint_url`); the sites' `site_customizer.application_token` carries it
 * too (cut to the token's length). By default they carry generated strings. */
void
gridpane_mock_set_integration_secret (GridpaneMock *self, const char *token, const char *secret);

/* Whether GET /backups/schedules, answered in one piece, carries a one-page
 * Laravel `meta` object. The default is decided by the fleet seed (odd
 * seeds carry it). */
void gridpane_mock_set_schedules_meta (GridpaneMock *self, const char *token, gboolean with_meta);

/* The knobs below take a token (NULL = every account that exists at the
 * time of the call) and, where they take one, the path of a list:
 * "/site", "/server", "/backups/schedules" or "/backups/integrations". */

/* The pagination shape of that list. DEFAULT is the captured shape:
 * COMPACT on /site, LARAVEL on /server and on paged /backups lists.
 * /backups lists answered in one piece (no list page size) ignore it. */
void gridpane_mock_set_meta_shape (GridpaneMock         *self,
                                   const char           *token,
                                   const char           *path,
                                   GridpaneMockMetaShape shape);
/* meta.total says `extra` more rows than the list has (COMPACT, LARAVEL
 * and the one-piece schedules meta); the pages themselves are unchanged. */
void gridpane_mock_set_total_extra (GridpaneMock *self,
                                    const char   *token,
                                    const char   *path,
                                    guint         extra);
/* The list says it is one page (last_page 1, total_pages 1, no next link):
 * page 1 holds the first half of the rows (rounded down, whatever the
 * per_page), later pages none, while total stays the real number of rows. */
void gridpane_mock_set_short_last_page (GridpaneMock *self,
                                        const char   *token,
                                        const char   *path,
                                        gboolean      short_);
/* That page (1-based; 0 = none) answers "data": [] while its meta and
 * links stay those of the full page (more pages follow). */
void
gridpane_mock_set_empty_page (GridpaneMock *self, const char *token, const char *path, guint page);
/* "/backups/schedules" or "/backups/integrations": non-zero pages the list
 * by `page_size` site entries or integrations, honouring ?page=N (no page =
 * page 1; per_page is ignored), with Laravel meta and links by default.
 * 0 (the default) answers in one piece. */
void gridpane_mock_set_list_page_size (GridpaneMock *self,
                                       const char   *token,
                                       const char   *path,
                                       guint         page_size);

/* The GridpaneMockOdd bits to serve (0 = none, the default). */
void gridpane_mock_set_odd_values (GridpaneMock *self, const char *token, guint odd);
/* Which row got `odd` (one GridpaneMockOdd bit): the site's id, and the
 * schedule's id or 0 for a value of the /site item. SUCCESS_STRING is in
 * no row: TRUE with both ids 0. FALSE when `odd` is not served or fits no
 * row (an empty fleet). Either out pointer may be NULL. */
gboolean gridpane_mock_get_odd_row (
  GridpaneMock *self, const char *token, GridpaneMockOdd odd, gint64 *site_id, gint64 *schedule_id);

/* About one remote schedule in 40 (the 8th, 48th, … generated) has a
 * service_user_id that names no integration. TRUE (the default) serves
 * them so; FALSE names their real integration instead. TRUE on a fleet
 * without such a schedule marks its first remote schedule. */
void
gridpane_mock_set_dangling_integration (GridpaneMock *self, const char *token, gboolean dangling);
/* The ids (gint64) of the schedules served with an unknown integration. */
GArray *gridpane_mock_get_dangling_schedules (GridpaneMock *self, const char *token);

/* Introspection for tests. Paths as for set_fault ("/site"). */
guint gridpane_mock_get_request_count (GridpaneMock *self, const char *path);
guint gridpane_mock_get_rate_limited_count (GridpaneMock *self);
guint gridpane_mock_get_n_schedules (GridpaneMock *self, const char *token);
guint gridpane_mock_get_n_integrations (GridpaneMock *self, const char *token);
guint gridpane_mock_get_n_sites (GridpaneMock *self, const char *token);
guint gridpane_mock_get_n_servers (GridpaneMock *self, const char *token);
/* Zeroes every request and 429 counter. */
void gridpane_mock_reset_counters (GridpaneMock *self);

/* The exact body the mock would serve for GET path_and_query (e.g.
 * "/backups/schedules" or "/site?page=2&per_page=5"; the "/oauth/api/v1"
 * prefix is optional) for that token, without faults or rate limits. NULL
 * for an unknown token or path. */
GBytes *gridpane_mock_render (GridpaneMock *self, const char *token, const char *path_and_query);

G_END_DECLS
