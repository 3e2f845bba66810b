/* gridpane-mock-fleet.c: deterministic fleet generator and JSON rendering
 * for the GridPane mock.
 *
 * Bodies are written with GString rather than JsonBuilder: the mock serves
 * fleets of 50,000 schedules and benchmarks call it in loops.
 */
#include "config.h"

#include <string.h>

#include "gridpane-mock-fleet.h"

#define DEFAULT_N_SERVERS 5
#define DEFAULT_N_SITES 40
#define DEFAULT_N_INTEGRATIONS 6

#define SERVER_ID_BASE 41000
#define SERVER_ID_STRIDE 1500
#define SITE_ID_BASE 869000
#define SITE_ID_STRIDE 60000
#define SCHEDULE_ID_BASE 156000
#define SCHEDULE_ID_STRIDE 150000
#define INTEGRATION_ID_BASE 2700
#define INTEGRATION_ID_STRIDE 500
#define USER_ID_BASE 1300

#define REPEAT_PAGE_LAST 1000000
#define HUGE_BODY_SIZE (50 * 1024 * 1024)

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
static const char *const databases[] = { "mysql", "percona", "mariadb" };

/* The first servers get one of each time-zone shape so even small fleets
 * exercise them; NULL entries are missing (even index) or null (odd). */
static const char *const timezones[] = {
  "UTC", "America/New_York", "Europe/Berlin", "Australia/Sydney", NULL, NULL,
};

static const guint16 retain_days[] = { 0, 30, 90, 180, 360 };
static const guint8  bup_thresholds[] = { 0, 80, 85, 90 };

typedef struct
{
  const char *kind;
  const char *label;
  const char *token_prefix;
  const char *regions[4];
} IntegrationKind;

static const IntegrationKind integration_kinds[] = {
  { "backblaze", "B2", "K004", { "us-west-004", "eu-central-003", NULL, NULL } },
  { "wasabi", "Wasabi", "WSB", { "us-east-2", "eu-central-1", "ap-northeast-1", NULL } },
  { "aws-s3", "S3", "AKIA", { "us-east-1", "eu-central-1", "ap-southeast-2", "us-west-2" } },
  { "dropbox", "Dropbox", "sl.", { NULL, NULL, NULL, NULL } },
  { "ovh-s3", "OVH", "OVH", { "gra", "bhs", NULL, NULL } },
};

static const char *const integration_names[] = {
  "main", "offsite", "archive", "clients", "europe", "long-term", "cold", "mirror",
};

static const char *const frequency_names[] = { "hourly", "daily", "weekly", "monthly" };
static const char *const site_types[] = { "primary", "staging", "canary" };

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

      schedule->service_id = integration->id;
      schedule->service_name = integration->kind;
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
    site.server_id = SERVER_ID_BASE + fleet->slot * SERVER_ID_STRIDE;

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
  site.embed_server = rng_chance (rng, 25);

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

  fleet->next_server_id = SERVER_ID_BASE + fleet->slot * SERVER_ID_STRIDE + 11;
  fleet->next_site_id = SITE_ID_BASE + (gint64)fleet->slot * SITE_ID_STRIDE + 17;
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
              if (site->schedules[j].service_id == gone)
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

/* Rendering -------------------------------------------------------------- */

static void
append_json_string (GString *out, const char *str, gboolean bad_utf8)
{
  g_string_append_c (out, '"');
  for (const char *p = str; *p; p++)
    {
      guchar c = (guchar)*p;

      switch (c)
        {
        case '"':
          g_string_append (out, "\\\"");
          break;
        case '\\':
          g_string_append (out, "\\\\");
          break;
        case '\n':
          g_string_append (out, "\\n");
          break;
        case '\r':
          g_string_append (out, "\\r");
          break;
        case '\t':
          g_string_append (out, "\\t");
          break;
        default:
          if (c < 0x20)
            g_string_append_printf (out, "\\u%04x", c);
          else
            g_string_append_c (out, (char)c);
          break;
        }
    }
  /* A lone Latin-1 byte and a stray continuation byte. */
  if (bad_utf8)
    g_string_append (out, "-caf\xe9\xff");
  g_string_append_c (out, '"');
}

static void
append_nullable_string (GString *out, const char *str)
{
  if (str == NULL)
    g_string_append (out, "null");
  else
    append_json_string (out, str, FALSE);
}

static void
append_schedule (GString               *out,
                 const MockFleet       *fleet,
                 const MockSchedule    *schedule,
                 const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", schedule->id);
  g_string_append_printf (out, "\"type\":\"%s\",\"bup_schedule\":\"%s\",",
                          schedule->is_remote ? "remote" : "local",
                          frequency_names[schedule->frequency]);
  if (schedule->numeric)
    {
      g_string_append_printf (out, "\"hour\":%d,\"minute\":%d,", schedule->hour, schedule->minute);
      if (schedule->day < 0)
        g_string_append (out, "\"day\":null,");
      else
        g_string_append_printf (out, "\"day\":%d,", schedule->day);
    }
  else
    {
      g_string_append_printf (out, "\"hour\":\"%02d\",\"minute\":\"%02d\",", schedule->hour,
                              schedule->minute);
      if (schedule->day < 0)
        g_string_append (out, "\"day\":null,");
      else
        g_string_append_printf (out, "\"day\":\"%d\",", schedule->day);
    }
  if (schedule->is_remote)
    g_string_append_printf (out,
                            "\"service_id\":%" G_GINT64_FORMAT ",\"service_name\":\"%s\","
                            "\"service_user_id\":%" G_GINT64_FORMAT "}",
                            schedule->service_id, schedule->service_name, fleet->user_id);
  else
    g_string_append (out, "\"service_id\":null,\"service_name\":null,\"service_user_id\":null}");
}

static void
append_list_meta (GString *out, const char *url, guint total, gboolean repeat_page)
{
  if (repeat_page)
    {
      g_string_append_printf (out,
                              ",\"links\":{\"first\":\"%s?page=1\",\"last\":\"%s?page=%u\","
                              "\"prev\":null,\"next\":\"%s?page=2\"}",
                              url, url, REPEAT_PAGE_LAST, url);
      g_string_append_printf (out,
                              ",\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":%u,"
                              "\"path\":\"%s\",\"per_page\":%u,\"to\":%u,\"total\":%u}",
                              REPEAT_PAGE_LAST, url, MAX (total, 1), MAX (total, 1),
                              REPEAT_PAGE_LAST * MAX (total, 1));
      return;
    }
  if (total == 0)
    g_string_append_printf (out,
                            ",\"meta\":{\"current_page\":1,\"from\":null,\"last_page\":1,"
                            "\"path\":\"%s\",\"per_page\":0,\"to\":null,\"total\":0}",
                            url);
  else
    g_string_append_printf (out,
                            ",\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":1,"
                            "\"path\":\"%s\",\"per_page\":%u,\"to\":%u,\"total\":%u}",
                            url, total, total, total);
}

static void
render_schedules (GString               *out,
                  MockFleet             *fleet,
                  const char            *base_url,
                  const MockRenderFlags *flags)
{
  g_autofree char *url = g_strdup_printf ("%s/backups/schedules", base_url);

  if (flags->wrong_types == 1)
    {
      g_string_append (out, "{\"success\":\"yes\",\"data\":\"oops\"}");
      return;
    }
  if (flags->wrong_types == 2)
    {
      g_string_append (
        out,
        "{\"success\":true,\"data\":["
        "{\"server_id\":{\"id\":41011},\"site_id\":\"eight\",\"url\":12,"
        "\"schedule_backups\":\"none\"},"
        "{\"server_id\":[41011],\"site_id\":{\"id\":869017},\"url\":true,"
        "\"schedule_backups\":[{\"id\":{\"id\":156003},\"type\":7,\"bup_schedule\":[\"daily\"],"
        "\"hour\":{},\"minute\":true,\"day\":[1],\"service_id\":\"x\",\"service_name\":5,"
        "\"service_user_id\":{}}]}]}");
      return;
    }

  g_string_append (out, "{\"success\":true,\"data\":[");
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      const MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      if (i > 0)
        g_string_append_c (out, ',');
      g_string_append_printf (out, "{\"server_id\":%" G_GINT64_FORMAT ",", site->server_id);
      if (!flags->omit_ids)
        g_string_append_printf (out, "\"site_id\":%" G_GINT64_FORMAT ",", site->id);
      g_string_append (out, "\"url\":");
      append_json_string (out, site->url, flags->bad_utf8);
      g_string_append (out, ",\"schedule_backups\":[");
      for (guint j = 0; j < site->n_schedules; j++)
        {
          if (j > 0)
            g_string_append_c (out, ',');
          append_schedule (out, fleet, &site->schedules[j], flags);
        }
      g_string_append (out, "]}");
    }
  g_string_append_c (out, ']');
  if (fleet->schedules_meta || flags->repeat_page)
    append_list_meta (out, url, fleet->sites->len, flags->repeat_page);
  g_string_append_c (out, '}');
}

static void
append_integration (GString               *out,
                    const MockFleet       *fleet,
                    const MockIntegration *integration,
                    const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", integration->id);
  g_string_append (out, "\"integrated_service\":");
  append_json_string (out, integration->kind, FALSE);
  g_string_append (out, ",\"integration_name\":");
  append_json_string (out, integration->name, flags->bad_utf8);
  g_string_append (out, ",\"token\":");
  append_json_string (out, fleet->secret ? fleet->secret : integration->token, FALSE);
  g_string_append (out, ",\"secret_token\":");
  append_json_string (out, fleet->secret ? fleet->secret : integration->secret_token, FALSE);
  g_string_append (out, ",\"region\":");
  append_nullable_string (out, integration->region);
  g_string_append_c (out, '}');
}

static void
render_integrations (GString               *out,
                     MockFleet             *fleet,
                     const char            *base_url,
                     const MockRenderFlags *flags)
{
  if (flags->wrong_types == 1)
    {
      g_string_append (out, "{\"success\":true,\"message\":[],\"integrations\":\"oops\"}");
      return;
    }
  if (flags->wrong_types == 2)
    {
      g_string_append (out,
                       "{\"success\":true,\"message\":\"Integrations retrieved\",\"integrations\":["
                       "{\"id\":{\"id\":2705},\"integrated_service\":5,\"integration_name\":[],"
                       "\"token\":{},\"secret_token\":[],\"region\":7}]}");
      return;
    }

  g_string_append (
    out,
    "{\"success\":true,\"message\":\"Integrations retrieved successfully\",\"integrations\":[");
  for (guint i = 0; i < fleet->integrations->len; i++)
    {
      if (i > 0)
        g_string_append_c (out, ',');
      append_integration (out, fleet, &g_array_index (fleet->integrations, MockIntegration, i),
                          flags);
    }
  g_string_append_c (out, ']');
  if (flags->repeat_page)
    {
      g_autofree char *url = g_strdup_printf ("%s/backups/integrations", base_url);

      append_list_meta (out, url, fleet->integrations->len, TRUE);
    }
  g_string_append_c (out, '}');
}

static void
append_timezone (GString *out, const MockServer *server)
{
  if (server->timezone != NULL)
    g_string_append_printf (out, ",\"server_timezone\":\"%s\"", server->timezone);
  else if (server->tz_null)
    g_string_append (out, ",\"server_timezone\":null");
}

static void
append_server (GString *out, const MockServer *server, const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", server->id);
  g_string_append (out, "\"label\":");
  append_json_string (out, server->label, flags->bad_utf8);
  g_string_append_printf (out,
                          ",\"ip\":\"%s\",\"region\":\"%s\",\"status\":\"%s\","
                          "\"webserver\":\"%s\",\"database\":\"%s\",\"update_backups\":%s",
                          server->ip, server->region, server->status, server->webserver,
                          server->database, server->update_backups ? "true" : "false");
  append_timezone (out, server);
  g_string_append_c (out, '}');
}

static const MockServer *
find_server (MockFleet *fleet, gint64 server_id)
{
  /* Servers are few and sorted by id. */
  guint lo = 0;
  guint hi = fleet->servers->len;

  while (lo < hi)
    {
      guint             mid = lo + (hi - lo) / 2;
      const MockServer *server = &g_array_index (fleet->servers, MockServer, mid);

      if (server->id == server_id)
        return server;
      if (server->id < server_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

static void
append_site (GString *out, MockFleet *fleet, const MockSite *site, const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", site->id);
  g_string_append (out, "\"url\":");
  append_json_string (out, site->url, flags->bad_utf8);
  g_string_append_printf (
    out,
    ",\"server_id\":%" G_GINT64_FORMAT ",\"type\":\"%s\","
    "\"local_bup\":%s,\"remote_bup\":%s,\"local_bup_threshold\":%u,"
    "\"site_customizer\":{\"local_prune_schedule\":%u,\"local_retain_days\":%u,"
    "\"remote_prune_schedule\":%u,\"remote_retain_days\":%u}",
    site->server_id, site_types[site->type], site->local_bup ? "true" : "false",
    site->remote_bup ? "true" : "false", site->local_bup_threshold, site->local_prune,
    site->local_retain, site->remote_prune, site->remote_retain);
  if (site->embed_server)
    {
      const MockServer *server = find_server (fleet, site->server_id);

      if (server != NULL)
        {
          g_string_append_printf (
            out, ",\"server\":{\"id\":%" G_GINT64_FORMAT ",\"label\":", server->id);
          append_json_string (out, server->label, flags->bad_utf8);
          g_string_append_printf (out, ",\"ip\":\"%s\"", server->ip);
          append_timezone (out, server);
          g_string_append_c (out, '}');
        }
    }
  g_string_append_c (out, '}');
}

static guint
query_uint (GHashTable *query, const char *name, guint fallback)
{
  const char *value = query ? g_hash_table_lookup (query, name) : NULL;
  guint64     parsed;

  if (value == NULL || !g_ascii_string_to_unsigned (value, 10, 1, G_MAXUINT, &parsed, NULL))
    return fallback;
  return (guint)parsed;
}

static void
append_page_link (GString *out, const char *url, guint page, guint per_page_param)
{
  if (per_page_param > 0)
    g_string_append_printf (out, "\"%s?page=%u&per_page=%u\"", url, page, per_page_param);
  else
    g_string_append_printf (out, "\"%s?page=%u\"", url, page);
}

typedef enum
{
  LIST_SERVERS,
  LIST_SITES,
} ListKind;

static void
render_paginated (GString               *out,
                  MockFleet             *fleet,
                  const char            *base_url,
                  ListKind               kind,
                  GHashTable            *query,
                  guint                  max_per_page,
                  const MockRenderFlags *flags)
{
  g_autofree char *url
    = g_strdup_printf ("%s/%s", base_url, kind == LIST_SITES ? "site" : "server");
  guint total = kind == LIST_SITES ? fleet->sites->len : fleet->servers->len;
  guint per_page_param = query_uint (query, "per_page", 0);
  guint per_page = per_page_param > 0 ? MIN (per_page_param, MAX (max_per_page, 1)) : 10;
  guint page = query_uint (query, "page", 1);
  guint last_page = MAX (1, (total + per_page - 1) / per_page);
  guint from = (page - 1) * per_page;
  guint to = MIN (total, from + per_page);

  /* Laravel keeps appended query parameters in its links when asked to;
   * GridPane's links carry per_page exactly as the client sent it. */
  if (per_page_param > 0)
    per_page_param = per_page;

  if (flags->wrong_types == 1)
    {
      g_string_append (out, "{\"data\":\"oops\",\"links\":[],\"meta\":\"oops\"}");
      return;
    }
  if (flags->wrong_types == 2)
    {
      if (kind == LIST_SITES)
        g_string_append (
          out, "{\"data\":[{\"id\":{\"id\":869017},\"url\":5,\"server_id\":\"x\",\"type\":1,"
               "\"local_bup\":\"yes\",\"remote_bup\":{},\"site_customizer\":\"none\"}],");
      else
        g_string_append (
          out, "{\"data\":[{\"id\":{\"id\":41011},\"label\":7,\"ip\":[],\"update_backups\":\"yes\","
               "\"server_timezone\":3}],");
      g_string_append_printf (
        out,
        "\"links\":{\"first\":\"%s?page=1\",\"last\":\"%s?page=1\",\"prev\":null,"
        "\"next\":null},\"meta\":{\"current_page\":\"one\",\"from\":1,\"last_page\":\"1\","
        "\"path\":\"%s\",\"per_page\":\"10\",\"to\":1,\"total\":\"1\"}}",
        url, url, url);
      return;
    }

  if (flags->repeat_page)
    {
      page = 1;
      from = 0;
      to = MIN (total, per_page);
      last_page = REPEAT_PAGE_LAST;
    }

  g_string_append (out, "{\"data\":[");
  for (guint i = from; i < to; i++)
    {
      if (i > from)
        g_string_append_c (out, ',');
      if (kind == LIST_SITES)
        append_site (out, fleet, &g_array_index (fleet->sites, MockSite, i), flags);
      else
        append_server (out, &g_array_index (fleet->servers, MockServer, i), flags);
    }
  g_string_append (out, "],\"links\":{\"first\":");
  append_page_link (out, url, 1, per_page_param);
  g_string_append (out, ",\"last\":");
  append_page_link (out, url, last_page, per_page_param);
  g_string_append (out, ",\"prev\":");
  if (page > 1 && !flags->repeat_page)
    append_page_link (out, url, MIN (page - 1, last_page), per_page_param);
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"next\":");
  if (flags->repeat_page)
    append_page_link (out, url, 2, per_page_param);
  else if (page < last_page)
    append_page_link (out, url, page + 1, per_page_param);
  else
    g_string_append (out, "null");
  g_string_append_printf (out, "},\"meta\":{\"current_page\":%u,", page);
  if (from < to)
    g_string_append_printf (out, "\"from\":%u,", from + 1);
  else
    g_string_append (out, "\"from\":null,");
  g_string_append_printf (out, "\"last_page\":%u,\"path\":\"%s\",\"per_page\":%u,", last_page, url,
                          per_page);
  if (from < to)
    g_string_append_printf (out, "\"to\":%u,", to);
  else
    g_string_append (out, "\"to\":null,");
  g_string_append_printf (out, "\"total\":%u}}",
                          flags->repeat_page ? REPEAT_PAGE_LAST * MAX (to, 1) : total);
}

static void
render_user (GString *out, MockFleet *fleet, const MockRenderFlags *flags)
{
  if (flags->wrong_types != 0)
    {
      g_string_append (out, "{\"id\":{\"value\":1},\"name\":42,\"email\":[]}");
      return;
    }
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", fleet->user_id);
  g_string_append (out, "\"name\":");
  append_json_string (out, fleet->user_name, flags->bad_utf8);
  g_string_append (out, ",\"email\":");
  append_json_string (out, fleet->user_email, FALSE);
  g_string_append_printf (out, ",\"timezone\":\"UTC\",\"created_at\":\"2021-03-0%u 09:14:22\"}",
                          1 + fleet->slot % 9);
}

static const char *const endpoints[] = {
  "/user", "/server", "/site", "/backups/schedules", "/backups/integrations",
};

gboolean
mock_fleet_is_endpoint (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (endpoints); i++)
    if (g_str_equal (path, endpoints[i]))
      return TRUE;
  return FALSE;
}

GBytes *
mock_fleet_render (MockFleet             *fleet,
                   const char            *base_url,
                   const char            *path,
                   GHashTable            *query,
                   guint                  max_per_page,
                   const MockRenderFlags *flags)
{
  static const MockRenderFlags no_flags = { 0 };
  GString                     *out;

  if (flags == NULL)
    flags = &no_flags;

  if (g_str_equal (path, "/backups/schedules"))
    {
      /* About 230 bytes a schedule: size the buffer once. */
      out = g_string_sized_new (256 + fleet->sites->len * 120
                                + mock_fleet_count_schedules (fleet) * 240);
      render_schedules (out, fleet, base_url, flags);
    }
  else if (g_str_equal (path, "/backups/integrations"))
    {
      out = g_string_sized_new (256 + fleet->integrations->len * 256);
      render_integrations (out, fleet, base_url, flags);
    }
  else if (g_str_equal (path, "/site"))
    {
      out = g_string_sized_new (4096);
      render_paginated (out, fleet, base_url, LIST_SITES, query, max_per_page, flags);
    }
  else if (g_str_equal (path, "/server"))
    {
      out = g_string_sized_new (4096);
      render_paginated (out, fleet, base_url, LIST_SERVERS, query, max_per_page, flags);
    }
  else if (g_str_equal (path, "/user"))
    {
      out = g_string_sized_new (256);
      render_user (out, fleet, flags);
    }
  else
    return NULL;

  return g_string_free_to_bytes (out);
}

GBytes *
mock_fleet_render_huge (MockFleet *fleet, const char *path)
{
  GString *out = g_string_sized_new (HUGE_BODY_SIZE + 4096);
  gint64   id = 1;

  if (g_str_equal (path, "/backups/schedules"))
    {
      g_string_append (out, "{\"success\":true,\"data\":[");
      while (out->len < HUGE_BODY_SIZE)
        {
          g_string_append_printf (
            out,
            "%s{\"server_id\":41011,\"site_id\":%" G_GINT64_FORMAT ",\"url\":"
            "\"huge%" G_GINT64_FORMAT ".%s\",\"schedule_backups\":["
            "{\"id\":%" G_GINT64_FORMAT ",\"type\":\"local\",\"bup_schedule\":\"daily\","
            "\"hour\":\"05\",\"minute\":\"00\",\"day\":null,\"service_id\":null,"
            "\"service_name\":null,\"service_user_id\":null}]}",
            id > 1 ? "," : "", 869000 + id, id, fleet->domain, 156000 + id);
          id++;
        }
      g_string_append (out, "]}");
    }
  else if (g_str_equal (path, "/backups/integrations"))
    {
      g_string_append (out, "{\"success\":true,\"message\":\"huge\",\"integrations\":[");
      while (out->len < HUGE_BODY_SIZE)
        {
          g_string_append_printf (
            out,
            "%s{\"id\":%" G_GINT64_FORMAT ",\"integrated_service\":\"aws-s3\","
            "\"integration_name\":\"huge %" G_GINT64_FORMAT "\",\"token\":\"x\","
            "\"secret_token\":\"y\",\"region\":null}",
            id > 1 ? "," : "", 2700 + id, id);
          id++;
        }
      g_string_append (out, "]}");
    }
  else if (g_str_equal (path, "/site") || g_str_equal (path, "/server"))
    {
      gboolean sites = g_str_equal (path, "/site");

      g_string_append (out, "{\"data\":[");
      while (out->len < HUGE_BODY_SIZE)
        {
          if (sites)
            g_string_append_printf (
              out,
              "%s{\"id\":%" G_GINT64_FORMAT ",\"url\":\"huge%" G_GINT64_FORMAT ".%s\","
              "\"server_id\":41011,\"type\":\"primary\",\"local_bup\":true,"
              "\"remote_bup\":true,\"local_bup_threshold\":90,\"site_customizer\":"
              "{\"local_prune_schedule\":0,\"local_retain_days\":30,"
              "\"remote_prune_schedule\":0,\"remote_retain_days\":30}}",
              id > 1 ? "," : "", 869000 + id, id, fleet->domain);
          else
            g_string_append_printf (
              out,
              "%s{\"id\":%" G_GINT64_FORMAT ",\"label\":\"huge-%" G_GINT64_FORMAT "\","
              "\"ip\":\"10.0.0.1\",\"region\":\"nyc1\",\"status\":\"active\","
              "\"webserver\":\"nginx\",\"database\":\"mysql\",\"update_backups\":true,"
              "\"server_timezone\":\"UTC\"}",
              id > 1 ? "," : "", 41000 + id, id);
          id++;
        }
      g_string_append_printf (
        out,
        "],\"links\":{\"first\":null,\"last\":null,\"prev\":null,\"next\":null},"
        "\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":1,\"path\":\"%s\","
        "\"per_page\":%" G_GINT64_FORMAT ",\"to\":%" G_GINT64_FORMAT ",\"total\":%" G_GINT64_FORMAT
        "}}",
        path, id - 1, id - 1, id - 1);
    }
  else
    {
      /* The user object with a very long name. */
      g_string_append_printf (out, "{\"id\":%" G_GINT64_FORMAT ",\"email\":\"%s\",\"name\":\"",
                              fleet->user_id, fleet->user_email);
      while (out->len < HUGE_BODY_SIZE)
        g_string_append (out, "Huge Name Huge Name Huge Name Huge Name Huge Name Huge Name ");
      g_string_append (out, "\"}");
    }

  return g_string_free_to_bytes (out);
}
