/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-fleet.h: the generated data of one mock GridPane user and
 * its JSON rendering. Private to the mock: gridpane-mock-fleet.c generates
 * and changes fleets, gridpane-mock-render.c writes the bodies. */
#pragma once

#include <glib.h>

#include "gridpane-mock.h"

G_BEGIN_DECLS

typedef enum
{
  MOCK_FREQ_HOURLY,
  MOCK_FREQ_DAILY,
  MOCK_FREQ_WEEKLY,
  MOCK_FREQ_MONTHLY,
} MockFrequency;

typedef struct
{
  gint64      id;
  gint64      service_id;     /* the storage kind's id (5 = aws-s3, …); 0 = null (local) */
  gint64      integration_id; /* the integration it goes to; 0 = null (local) */
  const char *service_name;   /* the storage kind ("aws-s3", …); NULL for local */
  guint8      is_remote;
  guint8      frequency; /* MockFrequency */
  gint8       hour;
  gint8       minute;
  gint8       day;      /* -1 = null */
  guint8      numeric;  /* hour/minute/day as JSON numbers */
  guint8      dangling; /* names an integration that does not exist (when the fleet allows) */
} MockSchedule;

#define MOCK_MAX_SCHEDULES_PER_SITE 4

typedef struct
{
  gint64       id;
  gint64       server_id;
  char        *url;
  guint8       type; /* 0 primary, 1 staging, 2 canary */
  guint8       local_bup;
  guint8       remote_bup;
  guint8       local_bup_threshold;
  guint8       local_prune;
  guint8       remote_prune;
  guint16      local_retain;
  guint16      remote_retain;
  guint8       n_schedules;
  MockSchedule schedules[MOCK_MAX_SCHEDULES_PER_SITE];
} MockSite;

typedef struct
{
  gint64      id;
  char       *label;
  char       *ip;
  const char *region;
  const char *status;
  const char *webserver;
  const char *database;
  const char *provider;
  const char *timezone; /* NULL: see tz_null */
  guint8      tz_null;  /* TRUE: "server_timezone": null; else missing when timezone is NULL */
  guint8      update_backups;
} MockServer;

typedef struct
{
  gint64      id;
  gint64      service_id; /* the storage kind's id */
  const char *kind;
  char       *name;
  const char *region;
  char       *token;
  char       *secret_token;
} MockIntegration;

/* The four lists, each with its own pagination knobs. */
typedef enum
{
  MOCK_LIST_SERVERS,
  MOCK_LIST_SITES,
  MOCK_LIST_SCHEDULES,
  MOCK_LIST_INTEGRATIONS,
  MOCK_N_LISTS,
} MockList;

typedef struct
{
  GridpaneMockMetaShape shape;
  guint                 total_extra;
  guint                 empty_page; /* 0 = none */
  guint                 page_size;  /* schedules and integrations only; 0 = one piece */
  gboolean              short_last_page;
} MockListOptions;

/* The odd values, one bit each (GridpaneMockOdd). */
#define MOCK_N_ODD 9
#define MOCK_ODD_ALL ((1u << MOCK_N_ODD) - 1)

/* Where one odd value is rendered: indices into `sites` and that site's
 * `schedules`; -1 = none (schedule -1 with a site: a site-level value). */
typedef struct
{
  gint site;
  gint schedule;
} MockOddRow;

typedef struct
{
  char   *prefix;
  char   *domain;
  guint   seed;
  guint   slot;
  guint64 salt;

  gint64 user_id;
  char  *user_name;
  char  *user_email;

  GArray *servers;      /* MockServer */
  GArray *sites;        /* MockSite */
  GArray *integrations; /* MockIntegration */

  gint64 next_server_id;
  gint64 next_site_id;
  gint64 next_schedule_id;
  gint64 next_integration_id;
  guint  n_generated_sites;
  guint  n_generated_integrations;
  guint  n_generated_remote;

  gboolean        schedules_meta;
  gboolean        dangling; /* marked schedules name a missing integration (default TRUE) */
  guint           odd;      /* GridpaneMockOdd bits */
  MockListOptions lists[MOCK_N_LISTS];
  char           *secret; /* sentinel for token/secret_token, or NULL */
  /* Site id → when its restore-point record was refreshed (gint64 Unix
   * seconds; gridpane-mock-restore-points.c); NULL until one is asked. */
  GHashTable *restore_points_at;
} MockFleet;

typedef struct
{
  guint omit_ids : 1;
  guint bad_utf8 : 1;
  guint repeat_page : 1;
  guint wrong_types : 2; /* 0 no, 1 containers, 2 fields */
} MockRenderFlags;

/* The id ranges of fleet `slot` do not overlap other slots' (below MOCK_N_SLOTS). */
#define MOCK_N_SLOTS 16

#define MOCK_SERVER_ID_BASE 41000
#define MOCK_SERVER_ID_STRIDE 1500
#define MOCK_SITE_ID_BASE 869000

guint      mock_fleet_preferred_slot (const GridpaneMockFleetOptions *opts);
MockFleet *mock_fleet_new (const GridpaneMockFleetOptions *opts, guint slot);
void       mock_fleet_free (MockFleet *fleet);
void       mock_fleet_clear (MockFleet *fleet);
void       mock_fleet_mutate (MockFleet *fleet, guint seed);
gboolean   mock_fleet_remove_schedule (MockFleet *fleet, gint64 schedule_id);
gboolean mock_fleet_set_schedule_time (MockFleet *fleet, gint64 schedule_id, int hour, int minute);
void     mock_fleet_set_secret (MockFleet *fleet, const char *secret);
/* Makes the first schedule of up to `n_sites` sites of the server with the
 * most scheduled sites run daily at hour:minute, its automatic backups on.
 * Returns how many sites it changed. */
guint mock_fleet_crowd_start (MockFleet *fleet, guint n_sites, int hour, int minute);
void  mock_fleet_set_dangling (MockFleet *fleet, gboolean dangling);
guint mock_fleet_count_schedules (MockFleet *fleet);
/* The id a schedule sends as service_user_id (0 = null). */
gint64 mock_fleet_service_user_id (const MockFleet *fleet, const MockSchedule *schedule);
/* Ids of the schedules whose service_user_id names no integration. */
GArray *mock_fleet_dangling_schedules (MockFleet *fleet);
/* Where each odd value of fleet->odd goes, by bit index. */
void mock_fleet_pick_odd_rows (MockFleet *fleet, MockOddRow rows[MOCK_N_ODD]);

/* A /site item's site_customizer.application_token: a secret GridPane
 * sends, derived from the site so that it need not be stored. */
#define MOCK_APPLICATION_TOKEN_LEN 32
void mock_fleet_site_application_token (const MockFleet *fleet,
                                        const MockSite  *site,
                                        char             token[MOCK_APPLICATION_TOKEN_LEN + 1]);

/* MOCK_LIST_* for a list endpoint's path, -1 for any other path. */
int      mock_fleet_list_for_path (const char *path);
gboolean mock_fleet_is_endpoint (const char *path);
/* Renders GET `path` (relative to the API base). `query` maps decoded
 * parameter names to values and may be NULL. NULL for an unknown path. */
GBytes *mock_fleet_render (MockFleet             *fleet,
                           const char            *base_url,
                           const char            *path,
                           GHashTable            *query,
                           guint                  max_per_page,
                           const MockRenderFlags *flags);
/* About 50 MB of valid JSON shaped like the endpoint's answer. */
GBytes *mock_fleet_render_huge (MockFleet *fleet, const char *path);

G_END_DECLS
