/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-fleet.c: the deterministic fleet generator of the GridPane
 * mock, the changes tests make to a fleet, and where the odd values go.
 * gridpane-mock-render.c writes the JSON bodies.
 */
#include "config.h"

#include <string.h>

#include "gridpane-mock-fleet.h"
#include "gridpane-mock-restore-points.h"

#define DEFAULT_N_SERVERS 5
#define DEFAULT_N_SITES 40
#define DEFAULT_N_INTEGRATIONS 6

#define SITE_ID_STRIDE 60000
#define SCHEDULE_ID_BASE 156000
#define SCHEDULE_ID_STRIDE 150000
#define INTEGRATION_ID_BASE 2700
#define INTEGRATION_ID_STRIDE 500
#define USER_ID_BASE 1300
/* service_user_id of a schedule whose integration is gone: far above every
 * slot's integration ids, so it never names a real one. */
#define DANGLING_INTEGRATION_ID_BASE 90000
/* The 8th, 48th, 88th, … remote schedule generated names no integration. */
#define DANGLING_EVERY 40
#define DANGLING_FIRST 7

/* A small, fast, fully specified generator (splitmix64), so fleets are the
 * same on every platform and GLib version. */
typedef struct
{
  guint64 state;
} MockRng;

static guint64
rng_next (MockRng *rng)
{
  guint64 z;

  rng->state += G_GUINT64_CONSTANT (0x9E3779B97F4A7C15);
  z = rng->state;
  z = (z ^ (z >> 30)) * G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  z = (z ^ (z >> 27)) * G_GUINT64_CONSTANT (0x94D049BB133111EB);
  return z ^ (z >> 31);
}

static guint
rng_range (MockRng *rng, guint n)
{
  return n > 0 ? (guint)(rng_next (rng) % n) : 0;
}

static gboolean
rng_chance (MockRng *rng, guint percent)
{
  return rng_range (rng, 100) < percent;
}

static guint64
hash_string (const char *str)
{
  guint64 h = G_GUINT64_CONSTANT (1469598103934665603);

  for (const char *p = str; *p; p++)
    {
      h ^= (guchar)*p;
      h *= G_GUINT64_CONSTANT (1099511628211);
    }
  return h;
}

static guint
resolve_count (guint requested, guint fallback)
{
  if (requested == GRIDPANE_MOCK_NONE)
    return 0;
  return requested == 0 ? fallback : requested;
}

static const char *
options_prefix (const GridpaneMockFleetOptions *opts)
{
  return opts != NULL && opts->name_prefix != NULL && *opts->name_prefix ? opts->name_prefix
                                                                         : "fleet";
}

guint
mock_fleet_preferred_slot (const GridpaneMockFleetOptions *opts)
{
  guint seed = opts != NULL ? opts->seed : 0;

  return (guint)((hash_string (options_prefix (opts)) ^ (seed * G_GUINT64_CONSTANT (2654435761)))
                 % MOCK_N_SLOTS);
}

/* Data tables ------------------------------------------------------------ */

static const char *const subdomains[] = {
  "shop",   "blog",    "www",    "store",   "news",    "docs",    "app",      "help",
  "events", "careers", "portal", "members", "academy", "journal", "market",   "booking",
  "studio", "media",   "wiki",   "forum",   "labs",    "support", "partners", "press",
  "jobs",   "travel",  "food",   "health",  "finance", "legal",   "design",   "photos",
  "music",  "kids",    "garden", "sports",  "auto",    "pets",    "books",    "crafts",
};

static const char *const server_roles[] = {
  "web", "shop", "app", "client", "wp", "edge", "stack", "prod",
};

static const char *const regions[] = {
  "nyc1", "nyc3", "fra1", "lon1", "ams3", "sgp1", "syd1", "tor1", "sfo3", "blr1",
};

static const char *const webservers[] = { "nginx", "nginx", "openlitespeed" };
static const char *const providers[]
  = { "digitalocean", "vultr", "linode", "aws-lightsail", "hetzner", "custom" };
static const char *const databases[] = { "mysql", "percona", "mariadb" };

/* The first servers get one of each time-zone shape so even small fleets
 * exercise them; NULL entries are missing (even index) or null (odd). */
static const char *const timezones[] = {
  "Etc/UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", NULL, NULL,
};

static const guint16 retain_days[] = { 0, 30, 90, 180, 360 };
static const guint8  bup_thresholds[] = { 0, 80, 85, 90 };

typedef struct
{
  const char *kind;
  gint64      service_id; /* GridPane's id of the storage kind */
  const char *label;
  const char *token_prefix;
  const char *regions[4];
} IntegrationKind;

static const IntegrationKind integration_kinds[] = {
  /* 5 (aws-s3) and 3 (backblaze) are captured, 6 (wasabi) is from the
   * documentation's example; 2 (dropbox) and 9 (ovh-s3, a kind GridPane
   * does not document, to be taken as data) are the mock's own. */
  { "backblaze", 3, "B2", "K004", { "us-west-004", "eu-central-003", NULL, NULL } },
  { "wasabi", 6, "Wasabi", "WSB", { "us-east-2", "eu-central-1", "ap-northeast-1", NULL } },
  { "aws-s3", 5, "S3", "AKIA", { "us-east-1", "eu-central-1", "ap-southeast-2", "us-west-2" } },
  { "dropbox", 2, "Dropbox", "sl.", { NULL, NULL, NULL, NULL } },
  { "ovh-s3", 9, "OVH", "OVH", { "gra", "bhs", NULL, NULL } },
};

static const char *const integration_names[] = {
  "main", "offsite", "archive", "clients", "europe", "long-term", "cold", "mirror",
};

/* Generation ------------------------------------------------------------- */

static char *
random_token (MockRng *rng, const char *prefix, guint length)
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  GString          *str = g_string_new (prefix);

  for (guint i = 0; i < length; i++)
    g_string_append_c (str, alphabet[rng_range (rng, sizeof alphabet - 1)]);
  return g_string_free (str, FALSE);
}

/* "acme-clients" → "Acme Clients", for display names. */
static char *
capitalized (const char *str)
{
  char    *copy = g_strdup (str);
  gboolean word_start = TRUE;

  for (char *p = copy; *p; p++)
    {
      if (*p == '-' || *p == '_')
        {
          *p = ' ';
          word_start = TRUE;
        }
      else if (word_start)
        {
          *p = g_ascii_toupper (*p);
          word_start = FALSE;
        }
    }
  return copy;
}

static void
add_server (MockFleet *fleet, MockRng *rng)
{
  MockServer server = { 0 };
  guint      index = fleet->servers->len;
  guint      tz_index;

  server.id = fleet->next_server_id++;
  server.label = g_strdup_printf ("%s-%s-%02u", fleet->prefix,
                                  server_roles[index % G_N_ELEMENTS (server_roles)], index + 1);
  server.ip = g_strdup_printf ("%u.%u.%u.%u", 45 + rng_range (rng, 150), rng_range (rng, 256),
                               rng_range (rng, 256), 1 + rng_range (rng, 254));
  server.region = regions[rng_range (rng, G_N_ELEMENTS (regions))];
  server.status = rng_chance (rng, 95) ? "active" : "building";
  server.webserver = webservers[rng_range (rng, G_N_ELEMENTS (webservers))];
  server.database = databases[rng_range (rng, G_N_ELEMENTS (databases))];
  server.update_backups = rng_chance (rng, 90);
  /* Not from the generator: fleets stay those of earlier mocks. */
  server.provider = providers[hash_string (server.label) % G_N_ELEMENTS (providers)];

  if (index < G_N_ELEMENTS (timezones))
    tz_index = index;
  else
    {
      guint roll = rng_range (rng, 100);

      tz_index = roll < 40 ? 0 : roll < 60 ? 1 : roll < 75 ? 2 : roll < 85 ? 3 : roll < 93 ? 4 : 5;
    }
  server.timezone = timezones[tz_index];
  server.tz_null = server.timezone == NULL && (tz_index % 2) == 1;

  g_array_append_val (fleet->servers, server);
}

static void
add_integration (MockFleet *fleet, MockRng *rng)
{
  MockIntegration        integration = { 0 };
  const IntegrationKind *kind;
  guint                  index = fleet->n_generated_integrations++;
  guint                  n_regions = 0;
  g_autofree char       *cap = capitalized (fleet->prefix);

  /* One of each kind first, dropbox and the unknown kind only once. */
  if (index < G_N_ELEMENTS (integration_kinds))
    kind = &integration_kinds[index];
  else
    kind = &integration_kinds[rng_range (rng, 3)];

  integration.id = fleet->next_integration_id++;
  integration.service_id = kind->service_id;
  integration.kind = kind->kind;
  if (index < G_N_ELEMENTS (integration_names))
    integration.name = g_strdup_printf ("%s %s %s", cap, kind->label, integration_names[index]);
  else
    integration.name
      = g_strdup_printf ("%s %s %s %u", cap, kind->label,
                         integration_names[index % G_N_ELEMENTS (integration_names)], index + 1);

  while (n_regions < G_N_ELEMENTS (kind->regions) && kind->regions[n_regions] != NULL)
    n_regions++;
  integration.region
    = n_regions > 0 && !(g_str_equal (kind->kind, "backblaze") && rng_chance (rng, 40))
        ? kind->regions[rng_range (rng, n_regions)]
        : NULL;
  integration.token = random_token (rng, kind->token_prefix, 16);
  integration.secret_token = random_token (rng, "", 40);

  g_array_append_val (fleet->integrations, integration);
}

static void
make_schedule (MockFleet *fleet, MockRng *rng, MockSchedule *schedule, gboolean is_remote)
{
  guint              roll = rng_range (rng, 100);
  static const gint8 minutes[] = { 0, 0, 0, 15, 30, 45, -1 };

  memset (schedule, 0, sizeof *schedule);
  schedule->id = fleet->next_schedule_id++;
  schedule->is_remote = is_remote;
  schedule->frequency = roll < 45   ? MOCK_FREQ_DAILY
                        : roll < 70 ? MOCK_FREQ_WEEKLY
                        : roll < 85 ? MOCK_FREQ_HOURLY
                                    : MOCK_FREQ_MONTHLY;
  schedule->hour = (gint8)rng_range (rng, 24);
  schedule->minute = minutes[rng_range (rng, G_N_ELEMENTS (minutes))];
  if (schedule->minute < 0)
    schedule->minute = (gint8)rng_range (rng, 60);
  if (schedule->frequency == MOCK_FREQ_WEEKLY)
    schedule->day = (gint8)rng_range (rng, 7);
  else if (schedule->frequency == MOCK_FREQ_MONTHLY)
    schedule->day = (gint8)(1 + rng_range (rng, 28));
  else
    schedule->day = -1;
  schedule->numeric = rng_chance (rng, 7);

  if (is_remote && fleet->integrations->len > 0)
    {
      guint                  n = fleet->integrations->len;
      const MockIntegration *integration
        = &g_array_index (fleet->integrations, MockIntegration, rng_range (rng, n));

      /* Legacy and unknown kinds are rarer targets. */
      if ((g_str_equal (integration->kind, "dropbox") || g_str_equal (integration->kind, "ovh-s3"))
          && rng_chance (rng, 70))
        integration = &g_array_index (fleet->integrations, MockIntegration, rng_range (rng, n));

      schedule->service_id = integration->service_id;
      schedule->integration_id = integration->id;
      schedule->service_name = integration->kind;
      schedule->dangling = fleet->n_generated_remote++ % DANGLING_EVERY == DANGLING_FIRST;
    }
}

static void
add_site (MockFleet *fleet, MockRng *rng)
{
  MockSite         site = { 0 };
  guint            index = fleet->n_generated_sites++;
  guint            n_words = G_N_ELEMENTS (subdomains);
  guint            roll;
  gboolean         can_remote = fleet->integrations->len > 0;
  guint            n_remote = 0;
  gboolean         has_local = FALSE;
  g_autofree char *base = NULL;

  site.id = fleet->next_site_id++;
  if (fleet->servers->len > 0)
    site.server_id
      = g_array_index (fleet->servers, MockServer, rng_range (rng, fleet->servers->len)).id;
  else
    site.server_id = MOCK_SERVER_ID_BASE + fleet->slot * MOCK_SERVER_ID_STRIDE;

  if (index < n_words)
    base = g_strdup_printf ("%s.%s", subdomains[index], fleet->domain);
  else
    base = g_strdup_printf ("%s%u.%s", subdomains[index % n_words], index / n_words + 1,
                            fleet->domain);

  roll = rng_range (rng, 100);
  site.type = roll < 85 ? 0 : roll < 96 ? 1 : 2;
  if (site.type == 0)
    site.url = g_steal_pointer (&base);
  else
    site.url = g_strdup_printf ("%s.%s", site.type == 1 ? "staging" : "canary", base);

  site.local_bup_threshold = bup_thresholds[rng_range (rng, G_N_ELEMENTS (bup_thresholds))];
  site.local_prune = (guint8)rng_range (rng, 4);
  site.remote_prune = (guint8)rng_range (rng, 4);
  site.local_retain = retain_days[rng_range (rng, G_N_ELEMENTS (retain_days))];
  site.remote_retain = retain_days[rng_range (rng, G_N_ELEMENTS (retain_days))];
  /* Every site embeds its server now; the draw stays so that fleets are
   * those of earlier mocks. */
  (void)rng_chance (rng, 25);

  /* Most sites: local + one remote; some only local, some nothing, a few
   * with two remotes or only a remote. */
  roll = rng_range (rng, 100);
  if (roll < 8)
    ;
  else if (roll < 22 || !can_remote)
    has_local = TRUE;
  else if (roll < 27)
    {
      has_local = TRUE;
      n_remote = 2;
    }
  else if (roll < 29)
    n_remote = 1;
  else
    {
      has_local = TRUE;
      n_remote = 1;
    }

  if (has_local)
    make_schedule (fleet, rng, &site.schedules[site.n_schedules++], FALSE);
  for (guint i = 0; i < n_remote; i++)
    make_schedule (fleet, rng, &site.schedules[site.n_schedules++], TRUE);

  site.local_bup = has_local ? rng_chance (rng, 92) : rng_chance (rng, 20);
  site.remote_bup = n_remote > 0 ? rng_chance (rng, 88) : rng_chance (rng, 10);

  g_array_append_val (fleet->sites, site);
}

static void
clear_server (gpointer data)
{
  MockServer *server = data;

  g_free (server->label);
  g_free (server->ip);
}

static void
clear_site (gpointer data)
{
  MockSite *site = data;

  g_free (site->url);
}

static void
clear_integration (gpointer data)
{
  MockIntegration *integration = data;

  g_free (integration->name);
  g_free (integration->token);
  g_free (integration->secret_token);
}

MockFleet *
mock_fleet_new (const GridpaneMockFleetOptions *opts, guint slot)
{
  MockFleet *fleet = g_new0 (MockFleet, 1);
  guint      n_servers = resolve_count (opts ? opts->n_servers : 0, DEFAULT_N_SERVERS);
  guint      n_sites = resolve_count (opts ? opts->n_sites : 0, DEFAULT_N_SITES);
  guint n_integrations = resolve_count (opts ? opts->n_integrations : 0, DEFAULT_N_INTEGRATIONS);
  g_autofree char *cap = NULL;
  MockRng          rng;

  fleet->prefix = g_strdup (options_prefix (opts));
  fleet->domain = g_strdup_printf ("%s-example.com", fleet->prefix);
  fleet->seed = opts ? opts->seed : 0;
  fleet->slot = slot % MOCK_N_SLOTS;
  fleet->salt = hash_string (fleet->prefix) ^ ((guint64)fleet->seed << 32) ^ fleet->seed;
  fleet->schedules_meta = (fleet->seed % 2) == 1;
  fleet->dangling = TRUE;

  cap = capitalized (fleet->prefix);
  fleet->user_id = USER_ID_BASE + fleet->slot * 13 + 7;
  fleet->user_name = g_strdup_printf ("%s Admin", cap);
  fleet->user_email = g_strdup_printf ("admin@%s", fleet->domain);

  fleet->servers = g_array_sized_new (FALSE, TRUE, sizeof (MockServer), n_servers);
  g_array_set_clear_func (fleet->servers, clear_server);
  fleet->sites = g_array_sized_new (FALSE, TRUE, sizeof (MockSite), n_sites);
  g_array_set_clear_func (fleet->sites, clear_site);
  fleet->integrations = g_array_sized_new (FALSE, TRUE, sizeof (MockIntegration), n_integrations);
  g_array_set_clear_func (fleet->integrations, clear_integration);

  fleet->next_server_id = MOCK_SERVER_ID_BASE + fleet->slot * MOCK_SERVER_ID_STRIDE + 11;
  fleet->next_site_id = MOCK_SITE_ID_BASE + (gint64)fleet->slot * SITE_ID_STRIDE + 17;
  fleet->next_schedule_id = SCHEDULE_ID_BASE + (gint64)fleet->slot * SCHEDULE_ID_STRIDE + 3;
  fleet->next_integration_id = INTEGRATION_ID_BASE + fleet->slot * INTEGRATION_ID_STRIDE + 5;

  rng.state = fleet->salt;
  for (guint i = 0; i < n_servers; i++)
    add_server (fleet, &rng);
  for (guint i = 0; i < n_integrations; i++)
    add_integration (fleet, &rng);
  for (guint i = 0; i < n_sites; i++)
    add_site (fleet, &rng);

  return fleet;
}

void
mock_fleet_free (MockFleet *fleet)
{
  if (fleet == NULL)
    return;

  g_free (fleet->prefix);
  g_free (fleet->domain);
  g_free (fleet->user_name);
  g_free (fleet->user_email);
  g_free (fleet->secret);
  g_array_unref (fleet->servers);
  g_array_unref (fleet->sites);
  g_array_unref (fleet->integrations);
  g_clear_pointer (&fleet->restore_points_at, g_hash_table_unref);
  g_free (fleet);
}

void
mock_fleet_clear (MockFleet *fleet)
{
  g_array_set_size (fleet->servers, 0);
  g_array_set_size (fleet->sites, 0);
  g_array_set_size (fleet->integrations, 0);
}

void
mock_fleet_set_secret (MockFleet *fleet, const char *secret)
{
  g_free (fleet->secret);
  fleet->secret = g_strdup (secret);
}

guint
mock_fleet_count_schedules (MockFleet *fleet)
{
  guint n = 0;

  for (guint i = 0; i < fleet->sites->len; i++)
    n += g_array_index (fleet->sites, MockSite, i).n_schedules;
  return n;
}

static void
site_remove_schedule_at (MockSite *site, guint index)
{
  g_assert (index < site->n_schedules);

  memmove (&site->schedules[index], &site->schedules[index + 1],
           (site->n_schedules - index - 1) * sizeof (MockSchedule));
  site->n_schedules--;
}

static MockSchedule *
find_schedule (MockFleet *fleet, gint64 schedule_id, MockSite **site_out, guint *index_out)
{
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      for (guint j = 0; j < site->n_schedules; j++)
        {
          if (site->schedules[j].id == schedule_id)
            {
              if (site_out)
                *site_out = site;
              if (index_out)
                *index_out = j;
              return &site->schedules[j];
            }
        }
    }
  return NULL;
}

gboolean
mock_fleet_remove_schedule (MockFleet *fleet, gint64 schedule_id)
{
  MockSite *site = NULL;
  guint     index = 0;

  if (find_schedule (fleet, schedule_id, &site, &index) == NULL)
    return FALSE;
  site_remove_schedule_at (site, index);
  return TRUE;
}

gboolean
mock_fleet_set_schedule_time (MockFleet *fleet, gint64 schedule_id, int hour, int minute)
{
  MockSchedule *schedule = find_schedule (fleet, schedule_id, NULL, NULL);

  if (schedule == NULL)
    return FALSE;
  schedule->hour = (gint8)CLAMP (hour, 0, 23);
  schedule->minute = (gint8)CLAMP (minute, 0, 59);
  return TRUE;
}

guint
mock_fleet_crowd_start (MockFleet *fleet, guint n_sites, int hour, int minute)
{
  gint64 busiest = 0;
  guint  most = 0;
  guint  n_crowded = 0;

  /* The server with the most sites that have a schedule. */
  for (guint i = 0; i < fleet->servers->len; i++)
    {
      gint64 server_id = g_array_index (fleet->servers, MockServer, i).id;
      guint  n = 0;

      for (guint j = 0; j < fleet->sites->len; j++)
        {
          const MockSite *site = &g_array_index (fleet->sites, MockSite, j);

          n += site->server_id == server_id && site->n_schedules > 0;
        }
      if (n > most)
        {
          most = n;
          busiest = server_id;
        }
    }

  for (guint j = 0; j < fleet->sites->len && n_crowded < n_sites; j++)
    {
      MockSite     *site = &g_array_index (fleet->sites, MockSite, j);
      MockSchedule *schedule;

      if (site->server_id != busiest || site->n_schedules == 0)
        continue;
      schedule = &site->schedules[0];
      schedule->frequency = MOCK_FREQ_DAILY;
      schedule->hour = (gint8)CLAMP (hour, 0, 23);
      schedule->minute = (gint8)CLAMP (minute, 0, 59);
      schedule->day = -1;
      if (schedule->is_remote)
        site->remote_bup = TRUE;
      else
        site->local_bup = TRUE;
      n_crowded++;
    }
  return n_crowded;
}

static void
change_frequency (MockSchedule *schedule, MockRng *rng)
{
  schedule->frequency = (schedule->frequency + 1 + rng_range (rng, 3)) % 4;
  if (schedule->frequency == MOCK_FREQ_WEEKLY)
    schedule->day = (gint8)rng_range (rng, 7);
  else if (schedule->frequency == MOCK_FREQ_MONTHLY)
    schedule->day = (gint8)(1 + rng_range (rng, 28));
  else
    schedule->day = -1;
}

void
mock_fleet_mutate (MockFleet *fleet, guint seed)
{
  MockRng rng = { fleet->salt ^ (G_GUINT64_CONSTANT (0xA5A5F00D) * (seed + 1)) };
  guint   n_removed = 0;
  guint   n_new_sites;

  /* Remove about one schedule in ten, at least one. */
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      for (guint j = 0; j < site->n_schedules;)
        {
          if (rng_chance (&rng, 10))
            {
              site_remove_schedule_at (site, j);
              n_removed++;
            }
          else
            j++;
        }
    }
  for (guint i = 0; n_removed == 0 && i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      if (site->n_schedules > 0)
        {
          site_remove_schedule_at (site, 0);
          n_removed++;
        }
    }

  /* Move some times, change some frequencies and retention. */
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      for (guint j = 0; j < site->n_schedules; j++)
        {
          MockSchedule *schedule = &site->schedules[j];

          if (!rng_chance (&rng, 10))
            continue;
          schedule->hour = (gint8)rng_range (&rng, 24);
          schedule->minute = (gint8)(rng_range (&rng, 4) * 15);
          if (rng_chance (&rng, 50))
            change_frequency (schedule, &rng);
        }
      if (rng_chance (&rng, 10))
        {
          site->local_retain = retain_days[rng_range (&rng, G_N_ELEMENTS (retain_days))];
          site->remote_retain = retain_days[rng_range (&rng, G_N_ELEMENTS (retain_days))];
          site->remote_prune = (guint8)rng_range (&rng, 4);
        }
    }

  /* Drop one integration, and the remote schedules that used it. */
  if (fleet->integrations->len > 0)
    {
      guint  index = rng_range (&rng, fleet->integrations->len);
      gint64 gone = g_array_index (fleet->integrations, MockIntegration, index).id;

      g_array_remove_index (fleet->integrations, index);
      for (guint i = 0; i < fleet->sites->len; i++)
        {
          MockSite *site = &g_array_index (fleet->sites, MockSite, i);

          for (guint j = 0; j < site->n_schedules;)
            {
              if (site->schedules[j].integration_id == gone)
                site_remove_schedule_at (site, j);
              else
                j++;
            }
        }
    }

  /* A new integration, new sites, and schedules for sites that had none. */
  add_integration (fleet, &rng);
  if (fleet->servers->len == 0)
    add_server (fleet, &rng);
  n_new_sites = MAX (1, fleet->sites->len / 20);
  for (guint i = 0; i < n_new_sites; i++)
    add_site (fleet, &rng);
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      if (site->n_schedules == 0 && rng_chance (&rng, 30))
        make_schedule (fleet, &rng, &site->schedules[site->n_schedules++], FALSE);
    }
}

/* Unknown integrations ---------------------------------------------------- */

void
mock_fleet_set_dangling (MockFleet *fleet, gboolean dangling)
{
  MockSchedule *first_remote = NULL;

  fleet->dangling = !!dangling;
  if (!fleet->dangling)
    return;

  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      for (guint j = 0; j < site->n_schedules; j++)
        {
          MockSchedule *schedule = &site->schedules[j];

          if (!schedule->is_remote)
            continue;
          if (schedule->dangling)
            return;
          if (first_remote == NULL)
            first_remote = schedule;
        }
    }
  if (first_remote != NULL)
    first_remote->dangling = TRUE;
}

gint64
mock_fleet_service_user_id (const MockFleet *fleet, const MockSchedule *schedule)
{
  if (!schedule->is_remote)
    return 0;
  if (schedule->dangling && fleet->dangling)
    return DANGLING_INTEGRATION_ID_BASE + fleet->slot * 100 + schedule->id % 100;
  return schedule->integration_id;
}

GArray *
mock_fleet_dangling_schedules (MockFleet *fleet)
{
  GArray *ids = g_array_new (FALSE, FALSE, sizeof (gint64));

  if (!fleet->dangling)
    return ids;

  for (guint i = 0; i < fleet->sites->len; i++)
    {
      const MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      for (guint j = 0; j < site->n_schedules; j++)
        if (site->schedules[j].is_remote && site->schedules[j].dangling)
          g_array_append_val (ids, site->schedules[j].id);
    }
  return ids;
}

/* Odd values -------------------------------------------------------------- */

typedef gboolean (*OddFits) (const MockSite *site, const MockSchedule *schedule);

static gboolean
fits_monthly (const MockSite *site, const MockSchedule *schedule)
{
  return schedule->frequency == MOCK_FREQ_MONTHLY;
}

static gboolean
fits_daily (const MockSite *site, const MockSchedule *schedule)
{
  return schedule->frequency == MOCK_FREQ_DAILY;
}

/* An hour that matters: not an hourly schedule. */
static gboolean
fits_timed (const MockSite *site, const MockSchedule *schedule)
{
  return schedule->frequency != MOCK_FREQ_HOURLY;
}

/* A site-level value is seen next to the site's schedules. */
static gboolean
fits_scheduled (const MockSite *site, const MockSchedule *schedule)
{
  return site->n_schedules > 0;
}

/* "enabled" stands for a flag that is on. */
static gboolean
fits_local_on (const MockSite *site, const MockSchedule *schedule)
{
  return site->n_schedules > 0 && site->local_bup;
}

typedef struct
{
  gboolean site_level;
  OddFits  preferred; /* NULL: any row fits as well as another */
} OddRule;

/* By bit index of GridpaneMockOdd. SUCCESS_STRING is in no row. */
static const OddRule odd_rules[MOCK_N_ODD] = {
  { FALSE, fits_monthly },  /* MONTHLY_DAY_31 */
  { FALSE, fits_daily },    /* FREQUENCY_CASE */
  { FALSE, fits_timed },    /* HOUR_24 */
  { FALSE, NULL },          /* NULL_FREQUENCY */
  { TRUE, fits_scheduled }, /* EMPTY_CUSTOMIZER */
  { TRUE, fits_local_on },  /* FLAG_WORD */
  { FALSE, fits_daily },    /* NULL_TIME */
  { TRUE, fits_scheduled }, /* MISSING_FLAG */
  { FALSE, NULL },          /* SUCCESS_STRING */
};

static gboolean
odd_site_taken (const MockOddRow rows[MOCK_N_ODD], gint site, gboolean site_level_only)
{
  for (guint b = 0; b < MOCK_N_ODD; b++)
    if (rows[b].site == site && (!site_level_only || rows[b].schedule < 0))
      return TRUE;
  return FALSE;
}

static gboolean
odd_schedule_taken (const MockOddRow rows[MOCK_N_ODD], gint site, gint schedule)
{
  for (guint b = 0; b < MOCK_N_ODD; b++)
    if (rows[b].site == site && rows[b].schedule == schedule)
      return TRUE;
  return FALSE;
}

/* Each value takes the first row that fits, in the order of the bits: first
 * a preferred row on a site without another odd value, then any row on such
 * a site, then rows on sites that already carry one (small fleets). */
void
mock_fleet_pick_odd_rows (MockFleet *fleet, MockOddRow rows[MOCK_N_ODD])
{
  for (guint b = 0; b < MOCK_N_ODD; b++)
    rows[b].site = rows[b].schedule = -1;

  for (guint b = 0; b < MOCK_N_ODD; b++)
    {
      const OddRule *rule = &odd_rules[b];
      gboolean       found = FALSE;

      if ((fleet->odd & (1u << b)) == 0 || (1u << b) == GRIDPANE_MOCK_ODD_SUCCESS_STRING)
        continue;

      for (guint pass = 0; pass < 4 && !found; pass++)
        {
          gboolean free_site = pass < 2;
          gboolean preferred = (pass % 2) == 0;

          if (!preferred && rule->preferred == NULL)
            continue;

          for (guint i = 0; i < fleet->sites->len && !found; i++)
            {
              const MockSite *site = &g_array_index (fleet->sites, MockSite, i);

              if (free_site ? odd_site_taken (rows, (gint)i, FALSE)
                            : rule->site_level && odd_site_taken (rows, (gint)i, TRUE))
                continue;

              if (rule->site_level)
                {
                  if (preferred && rule->preferred != NULL && !rule->preferred (site, NULL))
                    continue;
                  rows[b].site = (gint)i;
                  found = TRUE;
                  continue;
                }

              for (guint j = 0; j < site->n_schedules && !found; j++)
                {
                  if (odd_schedule_taken (rows, (gint)i, (gint)j))
                    continue;
                  if (preferred && rule->preferred != NULL
                      && !rule->preferred (site, &site->schedules[j]))
                    continue;
                  rows[b].site = (gint)i;
                  rows[b].schedule = (gint)j;
                  found = TRUE;
                }
            }
        }
    }
}

/* Endpoints --------------------------------------------------------------- */

static const char *const list_paths[MOCK_N_LISTS] = {
  [MOCK_LIST_SERVERS] = "/server",
  [MOCK_LIST_SITES] = "/site",
  [MOCK_LIST_SCHEDULES] = "/backups/schedules",
  [MOCK_LIST_INTEGRATIONS] = "/backups/integrations",
};

int
mock_fleet_list_for_path (const char *path)
{
  for (guint i = 0; i < MOCK_N_LISTS; i++)
    if (g_strcmp0 (path, list_paths[i]) == 0)
      return (int)i;
  return -1;
}

gboolean
mock_fleet_is_endpoint (const char *path)
{
  gboolean refresh;
  gint64   site_id;

  return g_str_equal (path, "/user") || mock_fleet_list_for_path (path) >= 0
         || mock_restore_points_parse_path (path, &refresh, &site_id);
}

void
mock_fleet_site_application_token (const MockFleet *fleet,
                                   const MockSite  *site,
                                   char             token[MOCK_APPLICATION_TOKEN_LEN + 1])
{
  static const char alphabet[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789";
  /* Its own stream: the fleet's generator is not touched. */
  MockRng rng = { fleet->salt ^ ((guint64)site->id * G_GUINT64_CONSTANT (0x2545F4914F6CDD1D)) };

  for (guint i = 0; i < MOCK_APPLICATION_TOKEN_LEN; i++)
    token[i] = alphabet[rng_range (&rng, sizeof alphabet - 1)];
  token[MOCK_APPLICATION_TOKEN_LEN] = '\0';
}
