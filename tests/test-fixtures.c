/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-fixtures.c: the GridPane bodies of tests/fixtures/gridpane (one per
 * endpoint, in the shapes gridpane-api.md quotes) go through the project's
 * parsers and page walk into a real store; the rows read back carry the
 * derived facts of DESIGN.md "Data model" (destination, used by, enabled,
 * retention, next run), each checked against a value worked out by hand
 * from the fixture files. See tests/fixtures/gridpane/README.md. */
#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-parser.h"
#include "backups-schedule-time.h"
#include "backups-test-util.h"

#define N_SITE_PAGES 2

static const char *const site_page_files[N_SITE_PAGES] = { "site-page-1.json", "site-page-2.json" };

/* Every credential in the fixtures, each in the file that carries it. */
static const struct
{
  const char *file;
  const char *secret;
} sentinels[] = {
  { "site-page-1.json", "gpfx-secret-app-token-869581" },
  { "site-page-1.json", "gpfx-secret-app-token-869582" },
  { "site-page-1.json", "gpfx-secret-app-token-869590" },
  { "site-page-2.json", "gpfx-secret-app-token-869600" },
  { "site-page-2.json", "gpfx-secret-app-token-869601" },
  { "backups-integrations.json", "gpfx-secret-s3-token-7627" },
  { "backups-integrations.json", "gpfx-secret-s3-secret-7627" },
  { "backups-integrations.json", "gpfx-secret-b2-token-3847" },
  { "backups-integrations.json", "gpfx-secret-b2-secret-3847" },
  { "backups-integrations.json", "gpfx-secret-s3-token-8120" },
  { "backups-integrations.json", "gpfx-secret-s3-secret-8120" },
};
/* What every sentinel starts with: one the list above forgot is caught too. */
#define SENTINEL_PREFIX "gpfx-secret-"

typedef struct
{
  BackupsStore   *store;
  BackupsOrg     *org;
  BackupsAccount *account;

  /* The page walk, as the client does it. */
  BackupsGridpanePage      server_page;
  BackupsGridpanePagesStep server_step;
  BackupsGridpanePage      site_pages[N_SITE_PAGES];
  BackupsGridpanePagesStep site_steps[N_SITE_PAGES];
  guint64                  site_items;
  guint                    n_site_records;
  BackupsGridpanePage      schedule_page;
  BackupsGridpanePagesStep schedule_step;
  BackupsGridpanePage      integration_page;
  BackupsGridpanePagesStep integration_step;

  BackupsApplyCounts counts;
  GPtrArray         *schedules;    /* BackupsSchedule, read back from the store */
  GPtrArray         *integrations; /* BackupsIntegration, read back from the store */
} Fixture;

/* ---------------------------------------------------------------------- */
/* Reading and walking the fixtures                                        */

static GBytes *
read_fixture (const char *name)
{
  g_autofree char *path = g_test_build_filename (G_TEST_DIST, "fixtures", "gridpane", name, NULL);
  GBytes          *bytes = backups_test_read_file (path);

  if (bytes == NULL)
    g_error ("cannot read fixture %s", path);
  return bytes;
}

typedef GPtrArray *(*PageParser) (const char          *data,
                                  gsize                len,
                                  BackupsGridpanePage *page,
                                  GError             **error);

static gint64
server_id_of (gconstpointer record)
{
  return ((const BackupsServerRecord *)record)->remote_id;
}

static gint64
site_id_of (gconstpointer record)
{
  return ((const BackupsSiteRecord *)record)->remote_id;
}

static gint64
schedule_id_of (gconstpointer record)
{
  return ((const BackupsScheduleRecord *)record)->remote_id;
}

static gint64
integration_id_of (gconstpointer record)
{
  return ((const BackupsIntegrationRecord *)record)->remote_id;
}

/* Parses the pages `files` (page 1, 2, … of one list) as the client walks
 * them: the records not seen on an earlier page are moved to `all`, and
 * backups_gridpane_pages_step() decides after each page. Fills pages[i] and
 * steps[i] for each page; returns the items counted over all pages. */
static guint64
walk_pages (BackupsGridpaneListKind kind,
            PageParser              parse,
            gint64 (*id_of) (gconstpointer record),
            const char *const        *files,
            guint                     n_files,
            GPtrArray                *all,
            BackupsGridpanePage      *pages,
            BackupsGridpanePagesStep *steps)
{
  g_autoptr (GHashTable) seen = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint64 n_items = 0;

  for (guint i = 0; i < n_files; i++)
    {
      g_autoptr (GBytes) bytes = read_fixture (files[i]);
      g_autoptr (GPtrArray) records = NULL;
      g_autoptr (GError) error = NULL;
      gsize       len;
      const char *data = g_bytes_get_data (bytes, &len);
      guint       n_new = 0;

      records = parse (data, len, &pages[i], &error);
      g_assert_no_error (error);
      g_assert_nonnull (records);

      for (guint r = 0; r < records->len; r++)
        {
          gint64 id = id_of (g_ptr_array_index (records, r));

          /* A record an earlier page had is left where it is. */
          if (g_hash_table_contains (seen, &id))
            continue;
          g_hash_table_add (seen, g_memdup2 (&id, sizeof id));
          g_ptr_array_add (all, g_ptr_array_index (records, r));
          /* Moved: the record free functions accept NULL. */
          records->pdata[r] = NULL;
          n_new++;
        }
      /* A page whose items hold no records is new as long as it has items. */
      if (records->len == 0)
        n_new = pages[i].n_items;
      n_items += pages[i].n_items;

      steps[i] = backups_gridpane_pages_step (kind, &pages[i], (int)i + 1, n_new, n_items, &error);
      g_assert_no_error (error);
    }
  return n_items;
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = backups_snapshot_new ();
  g_autoptr (GError) error = NULL;
  static const char *const server_files[] = { "server.json" };
  static const char *const schedule_files[] = { "backups-schedules.json" };
  static const char *const integration_files[] = { "backups-integrations.json" };

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  f->org = backups_store_add_org (f->store, "Agency", &error);
  g_assert_no_error (error);
  f->account
    = backups_store_add_account (f->store, backups_org_get_id (f->org), "gridpane", "Fixtures",
                                 "https://my.gridpane.com/oauth/api/v1", "secret-fixtures", &error);
  g_assert_no_error (error);

  snapshot->servers = backups_server_record_array_new ();
  snapshot->sites = backups_site_record_array_new ();
  snapshot->schedules = backups_schedule_record_array_new ();
  snapshot->integrations = backups_integration_record_array_new ();

  walk_pages (BACKUPS_GRIDPANE_LIST_SERVERS, backups_gridpane_parse_servers_page, server_id_of,
              server_files, 1, snapshot->servers, &f->server_page, &f->server_step);
  f->site_items
    = walk_pages (BACKUPS_GRIDPANE_LIST_SITES, backups_gridpane_parse_sites_page, site_id_of,
                  site_page_files, N_SITE_PAGES, snapshot->sites, f->site_pages, f->site_steps);
  f->n_site_records = snapshot->sites->len;
  walk_pages (BACKUPS_GRIDPANE_LIST_SCHEDULES, backups_gridpane_parse_schedules_page,
              schedule_id_of, schedule_files, 1, snapshot->schedules, &f->schedule_page,
              &f->schedule_step);
  walk_pages (BACKUPS_GRIDPANE_LIST_INTEGRATIONS, backups_gridpane_parse_integrations_page,
              integration_id_of, integration_files, 1, snapshot->integrations, &f->integration_page,
              &f->integration_step);

  /* The store links the sites' zones onto the servers itself. */
  g_assert_true (backups_store_apply_snapshot (f->store, backups_account_get_id (f->account),
                                               snapshot, &f->counts, &error));
  g_assert_no_error (error);

  f->schedules = backups_store_query_schedules (f->store, backups_org_get_id (f->org), &error);
  g_assert_no_error (error);
  f->integrations
    = backups_store_query_integrations (f->store, backups_org_get_id (f->org), &error);
  g_assert_no_error (error);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  g_clear_pointer (&f->schedules, g_ptr_array_unref);
  g_clear_pointer (&f->integrations, g_ptr_array_unref);
  g_clear_object (&f->account);
  g_clear_object (&f->org);
  /* Pending ::changed idles hold a reference. */
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (f->store);
}

static BackupsSchedule *
find_schedule (Fixture *f, gint64 id)
{
  for (guint i = 0; i < f->schedules->len; i++)
    {
      BackupsSchedule *schedule = g_ptr_array_index (f->schedules, i);

      if (backups_schedule_get_schedule_id (schedule) == id)
        return schedule;
    }
  g_error ("schedule %" G_GINT64_FORMAT " is not in the store", id);
  return NULL;
}

static BackupsIntegration *
find_integration (Fixture *f, gint64 id)
{
  for (guint i = 0; i < f->integrations->len; i++)
    {
      BackupsIntegration *integration = g_ptr_array_index (f->integrations, i);

      if (backups_integration_get_integration_id (integration) == id)
        return integration;
    }
  g_error ("integration %" G_GINT64_FORMAT " is not in the store", id);
  return NULL;
}

/* ---------------------------------------------------------------------- */
/* The facts of each schedule, worked out by hand from the fixtures        */

#define NONE BACKUPS_NO_VALUE
#define LOCAL BACKUPS_SCHEDULE_TYPE_LOCAL
#define REMOTE BACKUPS_SCHEDULE_TYPE_REMOTE
#define YES BACKUPS_FLAG_YES
#define NO BACKUPS_FLAG_NO
#define UNKNOWN BACKUPS_FLAG_UNKNOWN

typedef struct
{
  gint64              id;
  gint64              site_id;
  gint64              server_id;
  const char         *server_timezone; /* the site's embedded server; NULL = unknown */
  BackupsScheduleType type;
  BackupsFrequency    frequency;
  int                 hour, minute, day;
  gint64              service_id;       /* the storage kind */
  const char         *service_name;     /* the storage kind's name */
  gint64              integration_id;   /* service_user_id */
  const char         *destination;      /* the name of the integration it names; NULL = none */
  const char         *destination_text; /* backups_destination_describe () */
  BackupsFlag         enabled;          /* the site's local_bup / remote_bup */
  int                 retain_days;      /* site_customizer.{local,remote}_retain_days */
  int                 prune_schedule;   /* site_customizer.{local,remote}_prune_schedule */
} ExpectedSchedule;

/* clang-format off */
static const ExpectedSchedule expected_schedules[] = {
  /* site 869581 shop.example.com on 41522 (America/New_York): local_bup true,
   * remote_bup true; local 30 days / prune 1, remote 90 days / prune 3. */
  { 156226, 869581, 41522, "America/New_York", LOCAL, BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0,
    NONE, NULL, NONE, NULL, "On the server", YES, 30, 1 },
  /* service_user_id 3847 = "Agency B2" (backblaze); service_id 3 is the kind */
  { 156227, 869581, 41522, "America/New_York", REMOTE, BACKUPS_FREQUENCY_DAILY, 2, 30, NONE,
    3, "backblaze", 3847, "Agency B2", "Agency B2 (Backblaze B2)", YES, 90, 3 },

  /* site 869582 blog.example.com on 41522: local_bup true, remote_bup FALSE;
   * local 30 days / prune 0, remote 180 days / prune 2. Hourly: no hour. */
  { 156230, 869582, 41522, "America/New_York", LOCAL, BACKUPS_FREQUENCY_HOURLY, NONE, 30, NONE,
    NONE, NULL, NONE, NULL, "On the server", YES, 30, 0 },
  /* service_user_id 7627 = "GP S3 Backups" (aws-s3); disabled by remote_bup false */
  { 156231, 869582, 41522, "America/New_York", REMOTE, BACKUPS_FREQUENCY_DAILY, 3, 15, NONE,
    5, "aws-s3", 7627, "GP S3 Backups", "GP S3 Backups (Amazon S3)", NO, 180, 2 },

  /* site 869590 news.example.org on 41523 (Etc/UTC): both flags true;
   * local 90 days / prune 2, remote 360 days / prune 3. */
  { 156240, 869590, 41523, "Etc/UTC", LOCAL, BACKUPS_FREQUENCY_WEEKLY, 5, 0, 0,
    NONE, NULL, NONE, NULL, "On the server", YES, 90, 2 },
  { 156241, 869590, 41523, "Etc/UTC", REMOTE, BACKUPS_FREQUENCY_MONTHLY, 0, 0, 1,
    5, "aws-s3", 7627, "GP S3 Backups", "GP S3 Backups (Amazon S3)", YES, 360, 3 },

  /* site 869591 docs.example.org on 41523: both flags true, but
   * "site_customizer": [] so both retentions are unknown. */
  { 156245, 869591, 41523, "Etc/UTC", LOCAL, BACKUPS_FREQUENCY_DAILY, 2, 30, NONE,
    NONE, NULL, NONE, NULL, "On the server", YES, NONE, NONE },
  /* service_user_id 9999 names no integration (7627, 3847, 8120): no
   * destination, and no guess from the kind (the account has two aws-s3). */
  { 156246, 869591, 41523, "Etc/UTC", REMOTE, BACKUPS_FREQUENCY_DAILY, 4, 0, NONE,
    5, "aws-s3", 9999, NULL, "Unknown integration (id 9999)", YES, NONE, NONE },

  /* site 869600 kundenportal.example.de on 41524 (Europe/Berlin): both true;
   * local 0 days (unlimited) / prune 1, remote 30 days / prune 0. */
  { 156250, 869600, 41524, "Europe/Berlin", LOCAL, BACKUPS_FREQUENCY_DAILY, 1, 0, NONE,
    NONE, NULL, NONE, NULL, "On the server", YES, 0, 1 },
  { 156251, 869600, 41524, "Europe/Berlin", REMOTE, BACKUPS_FREQUENCY_DAILY, 1, 30, NONE,
    3, "backblaze", 3847, "Agency B2", "Agency B2 (Backblaze B2)", YES, 30, 0 },

  /* site 869601 shop.example.de on 41524: local_bup FALSE, remote_bup true;
   * local 180 days / prune 3, remote 90 days / prune 1. */
  { 156255, 869601, 41524, "Europe/Berlin", LOCAL, BACKUPS_FREQUENCY_WEEKLY, 23, 45, 6,
    NONE, NULL, NONE, NULL, "On the server", NO, 180, 3 },
  { 156256, 869601, 41524, "Europe/Berlin", REMOTE, BACKUPS_FREQUENCY_HOURLY, NONE, 15, NONE,
    5, "aws-s3", 7627, "GP S3 Backups", "GP S3 Backups (Amazon S3)", YES, 90, 1 },

  /* site 869700 on server 41530: in no /site page and no /server item, so
   * no zone, no flag and no retention are known. */
  { 156260, 869700, 41530, NULL, LOCAL, BACKUPS_FREQUENCY_DAILY, 5, 0, NONE,
    NONE, NULL, NONE, NULL, "On the server", UNKNOWN, NONE, NONE },
};
/* clang-format on */

/* ---------------------------------------------------------------------- */
/* Tests                                                                   */

static void
test_user (void)
{
  g_autoptr (GBytes) bytes = read_fixture ("user.json");
  g_autoptr (GError) error = NULL;
  gsize       len;
  const char *data = g_bytes_get_data (bytes, &len);

  g_assert_true (backups_gridpane_parse_user (data, len, &error));
  g_assert_no_error (error);
}

static void
test_pages (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  BackupsGridpanePage page_1_alone;

  /* /server, Laravel shape: current_page 1, last_page 1, total 3,
   * links.next null: one page, done. */
  g_assert_cmpint (f->server_page.current_page, ==, 1);
  g_assert_cmpint (f->server_page.last_page, ==, 1);
  g_assert_cmpint (f->server_page.total, ==, 3);
  g_assert_cmpint (f->server_page.next, ==, BACKUPS_GRIDPANE_NEXT_NONE);
  g_assert_cmpuint (f->server_page.n_items, ==, 3);
  g_assert_cmpint (f->server_step, ==, BACKUPS_GRIDPANE_PAGES_DONE);

  /* /site, compact shape: no last_page, so total_pages 2 is the last page;
   * page 1 holds 4 of total 6 sites, so more follow. */
  g_assert_cmpint (f->site_pages[0].current_page, ==, 1);
  g_assert_cmpint (f->site_pages[0].last_page, ==, 2);
  g_assert_cmpint (f->site_pages[0].total, ==, 6);
  g_assert_cmpint (f->site_pages[0].next, ==, BACKUPS_GRIDPANE_NEXT_UNKNOWN);
  g_assert_cmpuint (f->site_pages[0].n_items, ==, 4);
  g_assert_cmpint (f->site_steps[0], ==, BACKUPS_GRIDPANE_PAGES_MORE);
  /* Page 2 of 2 holds 2 more: 4 + 2 = 6 = total, done. */
  g_assert_cmpint (f->site_pages[1].current_page, ==, 2);
  g_assert_cmpint (f->site_pages[1].last_page, ==, 2);
  g_assert_cmpint (f->site_pages[1].total, ==, 6);
  g_assert_cmpuint (f->site_pages[1].n_items, ==, 2);
  g_assert_cmpint (f->site_steps[1], ==, BACKUPS_GRIDPANE_PAGES_DONE);
  g_assert_cmpuint (f->site_items, ==, 6);
  g_assert_cmpuint (f->n_site_records, ==, 6);

  /* Page 1 alone is not the list: had it said it was the last, its 4
   * sites fall short of total 6, and the walk must fail. */
  page_1_alone = f->site_pages[0];
  page_1_alone.last_page = 1;
  g_assert_cmpint (
    backups_gridpane_pages_step (BACKUPS_GRIDPANE_LIST_SITES, &page_1_alone, 1, 4, 4, &error), ==,
    BACKUPS_GRIDPANE_PAGES_FAILED);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
  g_assert_nonnull (strstr (error->message, "4 of 6"));

  /* /backups/schedules and /backups/integrations: one piece, no meta. The
   * schedules body has 7 site entries; the integrations body 3 items. */
  g_assert_cmpint (f->schedule_page.last_page, ==, 0);
  g_assert_cmpint (f->schedule_page.total, ==, -1);
  g_assert_cmpuint (f->schedule_page.n_items, ==, 7);
  g_assert_cmpint (f->schedule_step, ==, BACKUPS_GRIDPANE_PAGES_DONE);
  g_assert_cmpint (f->integration_page.last_page, ==, 0);
  g_assert_cmpint (f->integration_page.total, ==, -1);
  g_assert_cmpuint (f->integration_page.n_items, ==, 3);
  g_assert_cmpint (f->integration_step, ==, BACKUPS_GRIDPANE_PAGES_DONE);
}

static void
test_rows (Fixture *f, gconstpointer data)
{
  /* 3 servers (41530 is named by a schedule only, not by a site, so no
   * server row is made for it) + 6 sites + 13 schedules + 3 integrations. */
  g_assert_cmpuint (f->counts.inserted, ==, 3 + 6 + 13 + 3);
  g_assert_cmpuint (f->counts.updated, ==, 0);
  g_assert_cmpuint (f->counts.deleted, ==, 0);
  /* Every value in the fixtures is in its documented range. */
  g_assert_cmpuint (f->counts.unreadable, ==, 0);

  g_assert_cmpuint (f->schedules->len, ==, G_N_ELEMENTS (expected_schedules));
  g_assert_cmpuint (f->integrations->len, ==, 3);
}

static void
test_schedule_facts (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_schedules); i++)
    {
      const ExpectedSchedule *e = &expected_schedules[i];
      BackupsSchedule        *s = find_schedule (f, e->id);
      g_autofree char        *text = NULL;

      g_test_message ("schedule %" G_GINT64_FORMAT, e->id);
      g_assert_cmpint (backups_schedule_get_site_id (s), ==, e->site_id);
      g_assert_cmpint (backups_schedule_get_server_id (s), ==, e->server_id);
      g_assert_cmpstr (backups_schedule_get_server_timezone (s), ==, e->server_timezone);
      g_assert_cmpint (backups_schedule_get_schedule_type (s), ==, e->type);
      g_assert_cmpint (backups_schedule_get_frequency (s), ==, e->frequency);
      g_assert_cmpint (backups_schedule_get_hour (s), ==, e->hour);
      g_assert_cmpint (backups_schedule_get_minute (s), ==, e->minute);
      g_assert_cmpint (backups_schedule_get_day (s), ==, e->day);
      g_assert_null (backups_schedule_get_problems (s));
      g_assert_cmpstr (backups_schedule_get_account_name (s), ==, "Fixtures");

      /* enabled: the site's flag for the schedule's type */
      g_assert_cmpint (backups_schedule_get_enabled (s), ==, e->enabled);
      /* retention: the site's values for the schedule's type */
      g_assert_cmpint (backups_schedule_get_retain_days (s), ==, e->retain_days);
      g_assert_cmpint (backups_schedule_get_prune_schedule (s), ==, e->prune_schedule);

      /* destination: the integration service_user_id names */
      g_assert_cmpint (backups_schedule_get_service_id (s), ==, e->service_id);
      g_assert_cmpstr (backups_schedule_get_service_name (s), ==, e->service_name);
      g_assert_cmpint (backups_schedule_get_integration_id (s), ==, e->integration_id);
      g_assert_cmpstr (backups_schedule_get_destination (s), ==, e->destination);
      text = backups_destination_describe (
        backups_schedule_get_schedule_type (s), backups_schedule_get_destination (s),
        backups_schedule_get_destination_service (s), backups_schedule_get_service_name (s),
        backups_schedule_get_integration_id (s));
      g_assert_cmpstr (text, ==, e->destination_text);
    }

  /* Server labels come from /server (41522-41524); 41530 is known by id only. */
  g_assert_cmpstr (backups_schedule_get_server_label (find_schedule (f, 156226)), ==, "nyc-prod-1");
  g_assert_cmpstr (backups_schedule_get_server_label (find_schedule (f, 156240)), ==, "util-1");
  g_assert_cmpstr (backups_schedule_get_server_label (find_schedule (f, 156250)), ==, "fra-prod-1");
  g_assert_null (backups_schedule_get_server_label (find_schedule (f, 156260)));
}

static void
test_ids_kept_apart (Fixture *f, gconstpointer data)
{
  BackupsSchedule *b2 = find_schedule (f, 156227);
  BackupsSchedule *s3 = find_schedule (f, 156231);

  /* 156227: "service_id": 3 (the backblaze kind), "service_user_id": 3847
   * (the "Agency B2" integration). */
  g_assert_cmpint (backups_schedule_get_service_id (b2), ==, 3);
  g_assert_cmpint (backups_schedule_get_integration_id (b2), ==, 3847);
  g_assert_cmpstr (backups_schedule_get_destination (b2), ==, "Agency B2");
  g_assert_cmpstr (backups_schedule_get_destination_service (b2), ==, "backblaze");

  /* 156231: "service_id": 5 (aws-s3), "service_user_id": 7627. */
  g_assert_cmpint (backups_schedule_get_service_id (s3), ==, 5);
  g_assert_cmpint (backups_schedule_get_integration_id (s3), ==, 7627);
  g_assert_cmpstr (backups_schedule_get_destination (s3), ==, "GP S3 Backups");
  g_assert_cmpstr (backups_schedule_get_destination_service (s3), ==, "aws-s3");

  /* The integrations are keyed by their own id, never by the kind's: no
   * integration 3 or 5, and 7627 and 8120 share the kind 5 (aws-s3). */
  for (guint i = 0; i < f->integrations->len; i++)
    {
      gint64 id = backups_integration_get_integration_id (g_ptr_array_index (f->integrations, i));

      g_assert_cmpint (id, !=, 3);
      g_assert_cmpint (id, !=, 5);
    }
  g_assert_cmpstr (backups_integration_get_service (find_integration (f, 7627)), ==, "aws-s3");
  g_assert_cmpstr (backups_integration_get_service (find_integration (f, 8120)), ==, "aws-s3");
  g_assert_cmpstr (backups_integration_get_service (find_integration (f, 3847)), ==, "backblaze");
}

static void
test_integrations (Fixture *f, gconstpointer data)
{
  BackupsIntegration *s3 = find_integration (f, 7627);
  BackupsIntegration *b2 = find_integration (f, 3847);
  BackupsIntegration *archive = find_integration (f, 8120);

  g_assert_cmpstr (backups_integration_get_name (s3), ==, "GP S3 Backups");
  g_assert_cmpstr (backups_integration_get_region (s3), ==, "us-east-1");
  g_assert_cmpstr (backups_integration_get_name (b2), ==, "Agency B2");
  g_assert_null (backups_integration_get_region (b2));
  g_assert_cmpstr (backups_integration_get_name (archive), ==, "Client archive S3");
  g_assert_cmpstr (backups_integration_get_region (archive), ==, "eu-central-1");

  /* used by: schedules whose service_user_id is the integration's id.
   * 7627: 156231, 156241, 156256 = 3 (156231 is disabled but still names it;
   * 156246 is aws-s3 too but names 9999). */
  g_assert_cmpuint (backups_integration_get_used_by (s3), ==, 3);
  /* 3847: 156227, 156251 = 2. */
  g_assert_cmpuint (backups_integration_get_used_by (b2), ==, 2);
  /* 8120: named by no schedule = 0. */
  g_assert_cmpuint (backups_integration_get_used_by (archive), ==, 0);
}

typedef struct
{
  gint64      id;
  const char *now;         /* UTC */
  const char *next_run;    /* UTC */
  gboolean    assumed_utc; /* the server's zone is unknown */
} ExpectedRun;

/* 2026-01-01 is a Thursday, so Sundays fall on Jan 4, 11, 18; Feb 1;
 * Mar 1, 8; Jul 5, 12, 19. America/New_York is UTC-5 (EST) until
 * 2026-03-08 02:00 local, the second Sunday of March, then UTC-4 (EDT).
 * Europe/Berlin is UTC+1 (CET) in winter and UTC+2 (CEST) in summer. */
#define WINTER "2026-01-14T12:00:00Z"  /* a Wednesday; 07:00 EST, 13:00 CET */
#define DST_EVE "2026-03-07T12:00:00Z" /* Saturday, EST; the clocks change tomorrow */
#define SUMMER "2026-07-15T12:00:00Z"  /* a Wednesday; 08:00 EDT, 14:00 CEST */

static const ExpectedRun expected_runs[] = {
  /* weekly Sunday 05:00 New York: Sunday Jan 18 05:00 EST + 5 h */
  { 156226, WINTER, "2026-01-18T10:00:00Z", FALSE },
  /* Sunday Mar 8 05:00 is already EDT (from 02:00): + 4 h, not the + 5 h of now */
  { 156226, DST_EVE, "2026-03-08T09:00:00Z", FALSE },
  /* Sunday Jul 19 05:00 EDT + 4 h */
  { 156226, SUMMER, "2026-07-19T09:00:00Z", FALSE },
  /* the same weekly Sunday 05:00 on Etc/UTC: + 0 h, winter and summer */
  { 156240, WINTER, "2026-01-18T05:00:00Z", FALSE },
  { 156240, SUMMER, "2026-07-19T05:00:00Z", FALSE },
  /* daily 01:00 Berlin: now 13:00 CET Jan 14, so Jan 15 01:00 CET - 1 h */
  { 156250, WINTER, "2026-01-15T00:00:00Z", FALSE },
  /* now 14:00 CEST Jul 15, so Jul 16 01:00 CEST - 2 h = Jul 15 23:00 */
  { 156250, SUMMER, "2026-07-15T23:00:00Z", FALSE },
  /* weekly Saturday 23:45 Berlin: Sat Jan 17 23:45 CET - 1 h */
  { 156255, WINTER, "2026-01-17T22:45:00Z", FALSE },
  /* hourly at :30 in New York (whole-hour offset): 12:00 -> 12:30 */
  { 156230, WINTER, "2026-01-14T12:30:00Z", FALSE },
  /* monthly day 1 at 00:00 Etc/UTC: after Jan 14 comes Feb 1 */
  { 156241, WINTER, "2026-02-01T00:00:00Z", FALSE },
  /* daily 05:00 on server 41530, zone unknown: taken as UTC, and said so;
   * 05:00 on Jan 14 has passed at 12:00, so Jan 15 05:00 */
  { 156260, WINTER, "2026-01-15T05:00:00Z", TRUE },
  { 156260, SUMMER, "2026-07-16T05:00:00Z", TRUE },
};

static void
test_next_runs (Fixture *f, gconstpointer data)
{
  for (guint i = 0; i < G_N_ELEMENTS (expected_runs); i++)
    {
      const ExpectedRun *e = &expected_runs[i];
      g_autoptr (GDateTime) now = g_date_time_new_from_iso8601 (e->now, NULL);
      g_autoptr (GDateTime) next = NULL;
      g_autofree char *text = NULL;
      gboolean         assumed_utc = !e->assumed_utc;

      g_assert_nonnull (now);
      next = backups_schedule_get_next_run (find_schedule (f, e->id), now, &assumed_utc);
      g_assert_nonnull (next);
      text = g_date_time_format_iso8601 (next);
      g_test_message ("schedule %" G_GINT64_FORMAT " after %s: %s", e->id, e->now, text);
      g_assert_cmpstr (text, ==, e->next_run);
      g_assert_cmpint (assumed_utc, ==, e->assumed_utc);
    }
}

static void
assert_file_has_no_secrets (const char *path)
{
  for (guint i = 0; i < G_N_ELEMENTS (sentinels); i++)
    if (backups_test_file_contains (path, sentinels[i].secret))
      g_error ("%s holds the secret %s", path, sentinels[i].secret);
  g_assert_false (backups_test_file_contains (path, SENTINEL_PREFIX));
}

static void
test_no_secrets_stored (Fixture *f, gconstpointer data)
{
  const char      *db_path = backups_store_get_path (f->store);
  g_autofree char *wal_path = g_strconcat (db_path, "-wal", NULL);
  g_autofree char *journal_path = g_strconcat (db_path, "-journal", NULL);
  gboolean         name_found;

  /* The fixtures do carry every secret: the check below means something. */
  for (guint i = 0; i < G_N_ELEMENTS (sentinels); i++)
    {
      g_autoptr (GBytes) bytes = read_fixture (sentinels[i].file);
      g_autofree char *text = g_strndup (g_bytes_get_data (bytes, NULL), g_bytes_get_size (bytes));

      g_assert_nonnull (strstr (text, sentinels[i].secret));
    }

  g_assert_true (g_file_test (db_path, G_FILE_TEST_IS_REGULAR));
  /* And the files are the ones the rows went to: plain names are there. */
  name_found = backups_test_file_contains (db_path, "GP S3 Backups")
               || backups_test_file_contains (wal_path, "GP S3 Backups");
  g_assert_true (name_found);

  assert_file_has_no_secrets (db_path);
  if (g_file_test (wal_path, G_FILE_TEST_EXISTS))
    assert_file_has_no_secrets (wal_path);
  if (g_file_test (journal_path, G_FILE_TEST_EXISTS))
    assert_file_has_no_secrets (journal_path);
  g_test_message ("checked %s%s%s", db_path,
                  g_file_test (wal_path, G_FILE_TEST_EXISTS) ? " and its -wal" : "",
                  g_file_test (journal_path, G_FILE_TEST_EXISTS) ? " and its -journal" : "");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/fixtures/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  g_test_add_func ("/fixtures/user", test_user);
  ADD ("pages", test_pages);
  ADD ("rows", test_rows);
  ADD ("schedule-facts", test_schedule_facts);
  ADD ("ids-kept-apart", test_ids_kept_apart);
  ADD ("integrations", test_integrations);
  ADD ("next-runs", test_next_runs);
  ADD ("no-secrets-stored", test_no_secrets_stored);

  return g_test_run ();
}
