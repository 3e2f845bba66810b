/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-sites-model.c: the live model of the Sites page. Every site is a
 * row (those without a schedule too), a policy change re-judges them at
 * once without a sync, and the per-health counts follow. */
#include "config.h"

#define G_SETTINGS_ENABLE_BACKEND
#include <gio/gsettingsbackend.h>
#include <glib/gstdio.h>
#include <locale.h>

#include "backups-sites-model.h"
#include "backups-store-sites.h"
#include "backups-store.h"
#include "backups-test-util.h"

#define WAIT_MS 10000

typedef struct
{
  BackupsStore      *store;
  BackupsOrg        *org;
  BackupsAccount    *account;
  BackupsSitesModel *model;
  guint              n_changes;
  guint              n_rows_changed; /* removed + added over all emissions */
  guint              n_count_notifies;
  char              *dir;
} Fixture;

static void
items_changed_cb (GListModel *model, guint position, guint removed, guint added, Fixture *fixture)
{
  fixture->n_changes++;
  fixture->n_rows_changed += removed + added;
}

static void
count_notify_cb (Fixture *fixture)
{
  fixture->n_count_notifies++;
}

static void
add_schedule (BackupsSnapshot    *snapshot,
              BackupsSiteRecord  *site,
              gint64              id,
              BackupsScheduleType type,
              BackupsFrequency    frequency,
              int                 hour,
              int                 day,
              gint64              integration_id)
{
  BackupsScheduleRecord *schedule = backups_schedule_record_new ();

  schedule->remote_id = id;
  schedule->site_remote_id = site->remote_id;
  schedule->server_remote_id = site->server_remote_id;
  schedule->site_url = g_strdup (site->url);
  schedule->type = type;
  schedule->frequency = frequency;
  schedule->hour = hour;
  schedule->minute = 0;
  schedule->day = day;
  schedule->service_id = type == BACKUPS_SCHEDULE_TYPE_REMOTE ? 5 : BACKUPS_NO_VALUE;
  schedule->service_name = type == BACKUPS_SCHEDULE_TYPE_REMOTE ? g_strdup ("aws-s3") : NULL;
  schedule->integration_id = integration_id;
  g_ptr_array_add (snapshot->schedules, schedule);
}

static BackupsSiteRecord *
add_site (BackupsSnapshot *snapshot, gint64 id, const char *url)
{
  BackupsSiteRecord *site = backups_site_record_new ();

  site->remote_id = id;
  site->url = g_strdup (url);
  site->server_remote_id = 1;
  site->local_bup = BACKUPS_FLAG_YES;
  site->remote_bup = BACKUPS_FLAG_YES;
  site->local_retain_days = 30;
  site->local_prune_schedule = 1;
  site->remote_retain_days = 360;
  site->remote_prune_schedule = 1;
  g_ptr_array_add (snapshot->sites, site);
  return site;
}

/* Five sites, one of each health and two at risk:
 *   protected.example    daily local and daily remote to "GP S3 Backups"
 *   no-remote.example    daily local only                 (at risk)
 *   weekly.example       weekly local and weekly remote   (at risk: infrequent)
 *   no-schedule.example  nothing at all                   (unprotected)
 *   unreadable.example   local_bup GridPane spelled oddly (unknown)
 * `with_remote`: no-remote.example gets its remote schedule. */
static BackupsSnapshot *
make_snapshot (gboolean with_remote)
{
  BackupsSnapshot          *snapshot = backups_snapshot_new ();
  BackupsServerRecord      *server = backups_server_record_new ();
  BackupsIntegrationRecord *integration = backups_integration_record_new ();
  BackupsSiteRecord        *site;

  snapshot->servers = backups_server_record_array_new ();
  snapshot->sites = backups_site_record_array_new ();
  snapshot->schedules = backups_schedule_record_array_new ();
  snapshot->integrations = backups_integration_record_array_new ();

  server->remote_id = 1;
  server->label = g_strdup ("web-1");
  server->timezone = g_strdup ("Europe/Berlin");
  g_ptr_array_add (snapshot->servers, server);
  integration->remote_id = 7627;
  integration->service = g_strdup ("aws-s3");
  integration->name = g_strdup ("GP S3 Backups");
  g_ptr_array_add (snapshot->integrations, integration);

  site = add_site (snapshot, 1, "protected.example");
  add_schedule (snapshot, site, 11, BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_DAILY, 2,
                BACKUPS_NO_VALUE, BACKUPS_NO_VALUE);
  add_schedule (snapshot, site, 12, BACKUPS_SCHEDULE_TYPE_REMOTE, BACKUPS_FREQUENCY_DAILY, 3,
                BACKUPS_NO_VALUE, 7627);
  site = add_site (snapshot, 2, "no-remote.example");
  add_schedule (snapshot, site, 21, BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_DAILY, 4,
                BACKUPS_NO_VALUE, BACKUPS_NO_VALUE);
  if (with_remote)
    add_schedule (snapshot, site, 22, BACKUPS_SCHEDULE_TYPE_REMOTE, BACKUPS_FREQUENCY_DAILY, 5,
                  BACKUPS_NO_VALUE, 7627);
  site = add_site (snapshot, 3, "weekly.example");
  add_schedule (snapshot, site, 31, BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_WEEKLY, 6, 0,
                BACKUPS_NO_VALUE);
  add_schedule (snapshot, site, 32, BACKUPS_SCHEDULE_TYPE_REMOTE, BACKUPS_FREQUENCY_WEEKLY, 7, 0,
                7627);
  add_site (snapshot, 4, "no-schedule.example");
  site = add_site (snapshot, 5, "unreadable.example");
  site->local_bup = BACKUPS_FLAG_UNKNOWN;
  site->problems = g_strdup ("local_bup: \"enabled\" is not a flag");
  add_schedule (snapshot, site, 51, BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_DAILY, 8,
                BACKUPS_NO_VALUE, BACKUPS_NO_VALUE);

  return snapshot;
}

static void
apply (Fixture *fixture, BackupsSnapshot *snapshot)
{
  g_autoptr (GError) error = NULL;
  gboolean ok;

  ok = backups_store_apply_snapshot (fixture->store, backups_account_get_id (fixture->account),
                                     snapshot, NULL, &error);
  g_assert_no_error (error);
  g_assert_true (ok);
}

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *path = NULL;
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot (FALSE);
  const char *counts[]
    = { "notify::n-protected", "notify::n-at-risk", "notify::n-unprotected", "notify::n-unknown" };

  fixture->dir = g_dir_make_tmp ("test-sites-model-XXXXXX", &error);
  g_assert_no_error (error);
  path = g_build_filename (fixture->dir, "backups.db", NULL);
  fixture->store = backups_store_open (path, &error);
  g_assert_no_error (error);
  fixture->org = backups_store_add_org (fixture->store, "Acme", &error);
  g_assert_no_error (error);
  fixture->account
    = backups_store_add_account (fixture->store, backups_org_get_id (fixture->org), "gridpane",
                                 "Main", "http://127.0.0.1:1", "Main", &error);
  g_assert_no_error (error);
  apply (fixture, snapshot);

  fixture->model = backups_sites_model_new (fixture->store);
  g_signal_connect (fixture->model, "items-changed", G_CALLBACK (items_changed_cb), fixture);
  for (guint i = 0; i < G_N_ELEMENTS (counts); i++)
    g_signal_connect_swapped (fixture->model, counts[i], G_CALLBACK (count_notify_cb), fixture);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_autofree char *path = g_build_filename (fixture->dir, "backups.db", NULL);
  g_autofree char *wal = g_strconcat (path, "-wal", NULL);
  g_autofree char *shm = g_strconcat (path, "-shm", NULL);

  g_signal_handlers_disconnect_by_data (fixture->model, fixture);
  backups_test_assert_finalize (g_steal_pointer (&fixture->model));
  g_clear_object (&fixture->account);
  g_clear_object (&fixture->org);
  backups_test_assert_finalize (g_steal_pointer (&fixture->store));
  g_unlink (path);
  g_unlink (wal);
  g_unlink (shm);
  g_rmdir (fixture->dir);
  g_free (fixture->dir);
}

static gboolean
loaded (gpointer data)
{
  Fixture *fixture = data;

  return !backups_sites_model_get_loading (fixture->model)
         && g_list_model_get_n_items (G_LIST_MODEL (fixture->model)) > 0;
}

static gboolean
changed (gpointer data)
{
  return ((Fixture *)data)->n_changes > 0;
}

static gboolean
never (gpointer data)
{
  return FALSE;
}

static void
load (Fixture *fixture)
{
  backups_sites_model_set_org_id (fixture->model, backups_org_get_id (fixture->org));
  g_assert_true (backups_test_wait_until (loaded, fixture, WAIT_MS));
}

/* Waits for the next emissions, then a while longer for any stray one. */
static void
wait_for_change (Fixture *fixture)
{
  g_assert_true (backups_test_wait_until (changed, fixture, WAIT_MS));
  backups_test_wait_until (never, NULL, 300);
}

static void
reset (Fixture *fixture)
{
  fixture->n_changes = 0;
  fixture->n_rows_changed = 0;
  fixture->n_count_notifies = 0;
}

static BackupsSite *
find_site (Fixture *fixture, const char *url, guint *position)
{
  GListModel *model = G_LIST_MODEL (fixture->model);

  for (guint i = 0; i < g_list_model_get_n_items (model); i++)
    {
      g_autoptr (BackupsSite) site = g_list_model_get_item (model, i);

      if (g_strcmp0 (backups_site_get_site_url (site), url) == 0)
        {
          if (position != NULL)
            *position = i;
          return site; /* the model holds it */
        }
    }
  g_assert_not_reached ();
}

static void
assert_counts (Fixture *fixture, guint unprotected, guint unknown, guint at_risk, guint protected)
{
  guint n_at_risk = 0;

  g_assert_cmpuint (backups_sites_model_get_n_health (fixture->model, BACKUPS_HEALTH_UNPROTECTED),
                    ==, unprotected);
  g_assert_cmpuint (backups_sites_model_get_n_health (fixture->model, BACKUPS_HEALTH_UNKNOWN), ==,
                    unknown);
  g_assert_cmpuint (backups_sites_model_get_n_health (fixture->model, BACKUPS_HEALTH_AT_RISK), ==,
                    at_risk);
  g_assert_cmpuint (backups_sites_model_get_n_health (fixture->model, BACKUPS_HEALTH_PROTECTED), ==,
                    protected);
  /* The properties say the same. */
  g_object_get (fixture->model, "n-at-risk", &n_at_risk, NULL);
  g_assert_cmpuint (n_at_risk, ==, at_risk);
}

/* Every site is a row, worst first, the one without a schedule too. */
static void
test_every_site (Fixture *fixture, gconstpointer data)
{
  GListModel      *model = G_LIST_MODEL (fixture->model);
  const char      *order[] = { "no-schedule.example", "unreadable.example", "no-remote.example",
                               "weekly.example", "protected.example" };
  BackupsSite     *site;
  g_autofree char *local = NULL;
  g_autofree char *remote = NULL;
  g_autofree char *findings = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_utc (2026, 12, 3, 12, 0, 0);
  g_autoptr (GDateTime) next = NULL;

  load (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, G_N_ELEMENTS (order));
  for (guint i = 0; i < G_N_ELEMENTS (order); i++)
    {
      g_autoptr (BackupsSite) item = g_list_model_get_item (model, i);

      g_assert_cmpstr (backups_site_get_site_url (item), ==, order[i]);
      g_assert_cmpstr (backups_site_get_org_name (item), ==, "Acme");
      g_assert_cmpstr (backups_site_get_account_name (item), ==, "Main");
      g_assert_cmpstr (backups_site_get_server_label (item), ==, "web-1");
    }
  assert_counts (fixture, 1, 1, 2, 1);

  site = find_site (fixture, "no-schedule.example", NULL);
  g_assert_cmpint (backups_site_get_health (site), ==, BACKUPS_HEALTH_UNPROTECTED);
  local = backups_site_describe_local (site);
  remote = backups_site_describe_remote (site);
  g_assert_cmpstr (local, ==, "Off");
  g_assert_cmpstr (remote, ==, "None");
  g_assert_null (backups_site_get_next_backup (site, now, NULL));

  site = find_site (fixture, "unreadable.example", NULL);
  g_assert_cmpint (backups_site_get_health (site), ==, BACKUPS_HEALTH_UNKNOWN);
  g_assert_nonnull (strstr (backups_site_get_problems (site), "local_bup"));

  site = find_site (fixture, "protected.example", NULL);
  g_assert_cmpint (backups_site_get_findings (site), ==, BACKUPS_FINDING_NONE);
  g_clear_pointer (&local, g_free);
  g_clear_pointer (&remote, g_free);
  local = backups_site_describe_local (site);
  remote = backups_site_describe_remote (site);
  g_assert_cmpstr (local, ==, "Daily at 02:00 · 30 days");
  g_assert_cmpstr (remote, ==, "Daily at 03:00 → GP S3 Backups · 360 days");
  /* 02:00 in Berlin (UTC+1 in December) is 01:00 UTC, the earliest of
   * the two runs. */
  next = backups_site_get_next_backup (site, now, NULL);
  g_assert_nonnull (next);
  g_assert_cmpint (g_date_time_get_hour (next), ==, 1);
  g_assert_cmpint (g_date_time_get_day_of_month (next), ==, 4);

  site = find_site (fixture, "no-remote.example", NULL);
  g_assert_cmpint (backups_site_get_findings (site), ==, BACKUPS_FINDING_NO_REMOTE);
  findings = backups_site_describe_findings (site);
  g_assert_nonnull (strstr (findings, "Site → Backups"));
}

/* A policy change re-judges the sites at once, with no sync: only the
 * sites whose health changed are announced, the others keep their
 * objects, and the counts follow. */
static void
test_policy_change (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsPolicy) weekly_ok = backups_policy_new (TRUE, 30, 168, 5);
  g_autoptr (BackupsPolicy) no_remote_needed = backups_policy_new (FALSE, 30, 168, 5);
  g_autoptr (BackupsSite) protected_before = NULL;
  guint  position;
  gint64 last_synced;

  load (fixture);
  protected_before = g_object_ref (find_site (fixture, "protected.example", NULL));
  last_synced
    = backups_store_org_last_synced (fixture->store, backups_org_get_id (fixture->org), NULL);
  reset (fixture);

  backups_sites_model_set_policy (fixture->model, weekly_ok);
  wait_for_change (fixture);
  g_assert_cmpint (backups_site_get_health (find_site (fixture, "weekly.example", &position)), ==,
                   BACKUPS_HEALTH_PROTECTED);
  /* Moved among the protected ones: one row out, one in. */
  g_assert_cmpuint (fixture->n_rows_changed, ==, 2);
  g_assert_true (find_site (fixture, "protected.example", NULL) == protected_before);
  assert_counts (fixture, 1, 1, 1, 2);
  g_assert_cmpuint (fixture->n_count_notifies, ==, 2);
  /* No sync ran. */
  g_assert_cmpint (
    backups_store_org_last_synced (fixture->store, backups_org_get_id (fixture->org), NULL), ==,
    last_synced);

  /* Setting the same policy again does nothing. */
  reset (fixture);
  backups_sites_model_set_policy (fixture->model, weekly_ok);
  backups_test_wait_until (never, NULL, 300);
  g_assert_cmpuint (fixture->n_changes, ==, 0);

  /* Without "remote required" the site with only local backups passes. */
  backups_sites_model_set_policy (fixture->model, no_remote_needed);
  wait_for_change (fixture);
  assert_counts (fixture, 1, 1, 0, 3);
  g_assert_true (find_site (fixture, "protected.example", NULL) == protected_before);
}

/* The policy can follow GSettings' keys. */
static void
test_follow_settings (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GSettingsBackend) backend = g_memory_settings_backend_new ();
  g_autoptr (GSettingsSchemaSource) source = NULL;
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettings) settings = NULL;
  g_autoptr (GError) error = NULL;

  source
    = g_settings_schema_source_new_from_directory (BACKUPS_TEST_SCHEMA_DIR, NULL, FALSE, &error);
  g_assert_no_error (error);
  schema = g_settings_schema_source_lookup (source, "org.example.Backups", FALSE);
  g_assert_nonnull (schema);
  settings = g_settings_new_full (schema, backend, NULL);

  backups_sites_model_follow_settings (fixture->model, settings);
  load (fixture);
  assert_counts (fixture, 1, 1, 2, 1);

  reset (fixture);
  g_settings_set_uint (settings, "max-gap-hours", 168);
  wait_for_change (fixture);
  assert_counts (fixture, 1, 1, 1, 2);
  g_assert_cmpuint (backups_sites_model_get_policy (fixture->model)->max_gap_hours, ==, 168);
}

/* A sync that changes one site changes its row and the counts. */
static void
test_sync_changes (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = make_snapshot (TRUE);

  load (fixture);
  reset (fixture);
  apply (fixture, snapshot);
  wait_for_change (fixture);
  g_assert_cmpint (backups_site_get_health (find_site (fixture, "no-remote.example", NULL)), ==,
                   BACKUPS_HEALTH_PROTECTED);
  g_assert_cmpuint (fixture->n_rows_changed, ==, 2);
  assert_counts (fixture, 1, 1, 1, 2);
}

typedef struct
{
  gint64 last;
  gint64 longest;
} Ticks;

static gboolean
tick_cb (gpointer data)
{
  Ticks *ticks = data;
  gint64 now = g_get_monotonic_time ();

  if (ticks->last != 0)
    ticks->longest = MAX (ticks->longest, now - ticks->last);
  ticks->last = now;
  return G_SOURCE_CONTINUE;
}

/* All Organizations: every organization's sites, each naming its own; one
 * organization's view still shows only its own. */
static void
test_all_organizations (Fixture *fixture, gconstpointer data)
{
  GListModel *model = G_LIST_MODEL (fixture->model);
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) globex = backups_store_add_org (fixture->store, "Globex", &error);
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsSnapshot) snapshot = backups_snapshot_new ();
  BackupsSiteRecord *site;
  guint              n_globex = 0;

  g_assert_no_error (error);
  account = backups_store_add_account (fixture->store, backups_org_get_id (globex), "gridpane",
                                       "Sentinel", "http://127.0.0.1:1", "Sentinel", &error);
  g_assert_no_error (error);
  snapshot->servers = backups_server_record_array_new ();
  snapshot->sites = backups_site_record_array_new ();
  snapshot->schedules = backups_schedule_record_array_new ();
  snapshot->integrations = backups_integration_record_array_new ();
  site = add_site (snapshot, 9, "globex-sentinel.example");
  add_schedule (snapshot, site, 91, BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_DAILY, 1,
                BACKUPS_NO_VALUE, BACKUPS_NO_VALUE);
  g_assert_true (backups_store_apply_snapshot (fixture->store, backups_account_get_id (account),
                                               snapshot, NULL, &error));
  g_assert_no_error (error);

  backups_sites_model_set_org_id (fixture->model, BACKUPS_SITES_MODEL_ALL_ORGS);
  g_assert_true (backups_test_wait_until (loaded, fixture, WAIT_MS));
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 6);
  for (guint i = 0; i < 6; i++)
    {
      g_autoptr (BackupsSite) item = g_list_model_get_item (model, i);
      gboolean is_globex = g_str_equal (backups_site_get_org_name (item), "Globex");

      g_assert_cmpint (is_globex, ==,
                       g_str_equal (backups_site_get_site_url (item), "globex-sentinel.example"));
      g_assert_cmpstr (backups_site_get_account_name (item), ==, is_globex ? "Sentinel" : "Main");
      n_globex += is_globex;
    }
  g_assert_cmpuint (n_globex, ==, 1);
  /* Its only remote-less site is at risk too. */
  assert_counts (fixture, 1, 1, 3, 1);

  reset (fixture);
  backups_sites_model_set_org_id (fixture->model, backups_org_get_id (globex));
  wait_for_change (fixture);
  g_assert_cmpuint (g_list_model_get_n_items (model), ==, 1);
  assert_counts (fixture, 0, 0, 1, 0);
}

static gboolean
all_rows_shown (gpointer data)
{
  Fixture *fixture = data;

  return g_list_model_get_n_items (G_LIST_MODEL (fixture->model)) == 25000;
}

/* P11's figure: a large organization read and judged in a worker. Run
 * with -m perf. */
static void
test_perf (Fixture *fixture, gconstpointer data)
{
  g_autoptr (BackupsSnapshot) snapshot = NULL;
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();
  double best = G_MAXDOUBLE;
  double longest_stall = 0;
  guint  n = 0;

  if (!g_test_perf ())
    {
      g_test_skip ("a measurement: run with -m perf");
      return;
    }

  snapshot = backups_test_make_snapshot ("perf", 500, 25000, 200);
  apply (fixture, snapshot);
  for (guint run = 0; run < 5; run++)
    {
      g_autoptr (GPtrArray) sites = NULL;
      g_autoptr (GError) error = NULL;
      gint64 start = g_get_monotonic_time ();

      policy->max_gap_hours = run % 2 ? 24 : 168;
      sites = backups_store_query_sites (fixture->store, backups_org_get_id (fixture->org), policy,
                                         &error);
      g_assert_no_error (error);
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      n = sites->len;
    }
  g_test_minimized_result (best, "read and judged %u sites in %.1f ms", n, best);
  g_assert_cmpuint (n, ==, 25000);

  /* The live model: from a policy change to the changed rows announced,
   * the worker's read and judgement, its sort and the main thread's walk
   * over the rows included. */
  load (fixture);
  g_assert_true (backups_test_wait_until (all_rows_shown, fixture, WAIT_MS));
  backups_test_wait_until (never, NULL, 300);
  best = G_MAXDOUBLE;
  for (guint run = 0; run < 5; run++)
    {
      g_autoptr (BackupsPolicy) next = backups_policy_new (TRUE, 30, run % 2 ? 24 : 168, 5);
      Ticks  ticks = { 0, 0 };
      guint  tick_id = g_timeout_add (1, tick_cb, &ticks);
      gint64 start = g_get_monotonic_time ();

      reset (fixture);
      backups_sites_model_set_policy (fixture->model, next);
      g_assert_true (backups_test_wait_until (changed, fixture, WAIT_MS));
      best = MIN (best, (g_get_monotonic_time () - start) / 1000.0);
      backups_test_wait_until (never, NULL, 20);
      g_source_remove (tick_id);
      longest_stall = MAX (longest_stall, ticks.longest / 1000.0);
      /* Every site has a weekly local schedule: 24 h or 168 h flips them. */
      g_assert_cmpuint (fixture->n_changes, >, 0);
      backups_test_wait_until (never, NULL, 200);
      g_assert_cmpuint (g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), ==, 25000);
    }
  g_test_minimized_result (best, "live model re-judged %u sites after a policy change in %.1f ms",
                           g_list_model_get_n_items (G_LIST_MODEL (fixture->model)), best);
  g_test_maximized_result (longest_stall,
                           "longest main-loop gap (1 ms timeout) over those 5 changes: %.1f ms",
                           longest_stall);
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func) g_test_add (path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("/sites-model/every-site", test_every_site);
  ADD ("/sites-model/policy-change", test_policy_change);
  ADD ("/sites-model/follow-settings", test_follow_settings);
  ADD ("/sites-model/sync-changes", test_sync_changes);
  ADD ("/sites-model/all-organizations", test_all_organizations);
  ADD ("/sites-model/perf", test_perf);
#undef ADD

  return g_test_run ();
}
