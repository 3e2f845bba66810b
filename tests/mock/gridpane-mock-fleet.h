/* gridpane-mock-fleet.h: the generated data of one mock GridPane user and
 * its JSON rendering. Private to the mock. */
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
  gint64      service_id;   /* 0 = null (local) */
  const char *service_name; /* NULL for local */
  guint8      is_remote;
  guint8      frequency; /* MockFrequency */
  gint8       hour;
  gint8       minute;
  gint8       day;     /* -1 = null */
  guint8      numeric; /* hour/minute/day as JSON numbers */
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
  guint8       embed_server;
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
  const char *timezone; /* NULL: see tz_null */
  guint8      tz_null;  /* TRUE: "server_timezone": null; else missing when timezone is NULL */
  guint8      update_backups;
} MockServer;

typedef struct
{
  gint64      id;
  const char *kind;
  char       *name;
  const char *region;
  char       *token;
  char       *secret_token;
} MockIntegration;

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

  gboolean schedules_meta;
  char    *secret; /* sentinel for token/secret_token, or NULL */
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

guint      mock_fleet_preferred_slot (const GridpaneMockFleetOptions *opts);
MockFleet *mock_fleet_new (const GridpaneMockFleetOptions *opts, guint slot);
void       mock_fleet_free (MockFleet *fleet);
void       mock_fleet_clear (MockFleet *fleet);
void       mock_fleet_mutate (MockFleet *fleet, guint seed);
gboolean   mock_fleet_remove_schedule (MockFleet *fleet, gint64 schedule_id);
gboolean mock_fleet_set_schedule_time (MockFleet *fleet, gint64 schedule_id, int hour, int minute);
void     mock_fleet_set_secret (MockFleet *fleet, const char *secret);
guint    mock_fleet_count_schedules (MockFleet *fleet);

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
