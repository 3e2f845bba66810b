/* gridpane-mock.h: an in-process GridPane API server for tests, benchmarks
 * and the demo.
 *
 * The mock listens on 127.0.0.1 and runs on the thread-default main context
 * of the thread that calls gridpane_mock_start(). It serves the read
 * endpoints the sync uses (see /work/shared/gridpane-api.md) below
 * "/oauth/api/v1", with Bearer auth, Laravel pagination, GridPane-like rate
 * limits and injectable faults.
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
/* No sites/schedules/integrations/servers afterwards (the user remains). */
void gridpane_mock_clear_fleet (GridpaneMock *self, const char *token);

/* Sentinel secrets: the value every integration of that token (NULL = all
 * tokens, including ones added later) carries in both `token` and
 * `secret_token`. By default they carry generated strings. */
void
gridpane_mock_set_integration_secret (GridpaneMock *self, const char *token, const char *secret);

/* Whether GET /backups/schedules carries a Laravel `meta` object. The
 * default is decided by the fleet seed (odd seeds carry it). */
void gridpane_mock_set_schedules_meta (GridpaneMock *self, const char *token, gboolean with_meta);

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
