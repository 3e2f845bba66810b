/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-health.c: each finding on its own, the health they add up to, and
 * the order health sorts in. Pure functions, no store. */
#include "config.h"

#include <locale.h>

#include "backups-health.h"

#define NO BACKUPS_NO_VALUE

/* Schedules as GridPane's rows give them. */
static BackupsHealthSchedule
local_daily (int hour, int minute)
{
  return (BackupsHealthSchedule){
    BACKUPS_SCHEDULE_TYPE_LOCAL, BACKUPS_FREQUENCY_DAILY, hour, minute, NO, NO, FALSE, FALSE
  };
}

static BackupsHealthSchedule
remote (BackupsFrequency frequency, int hour, int minute, int day, gboolean known)
{
  return (BackupsHealthSchedule){
    BACKUPS_SCHEDULE_TYPE_REMOTE, frequency, hour, minute, day, 7627, known, FALSE
  };
}

static BackupsHealthSite
site_with (const BackupsHealthSchedule *schedules, guint n)
{
  return (BackupsHealthSite){ BACKUPS_FLAG_YES, BACKUPS_FLAG_YES, 30, 360, FALSE, n, schedules };
}

static BackupsHealth
health (const BackupsHealthSite *site)
{
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();

  return backups_health_of (site, backups_health_site_findings (site, policy));
}

/* A daily local and a daily remote to a known integration, 30 and 360
 * days, both flags on: nothing to find. */
static void
test_protected (void)
{
  BackupsHealthSchedule schedules[] = {
    local_daily (2, 0),
    remote (BACKUPS_FREQUENCY_DAILY, 3, 30, NO, TRUE),
  };
  BackupsHealthSite site = site_with (schedules, 2);
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();

  g_assert_cmpint (backups_health_site_findings (&site, policy), ==, BACKUPS_FINDING_NONE);
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_PROTECTED);
}

static void
test_no_remote (void)
{
  BackupsHealthSchedule local_only[] = { local_daily (2, 0) };
  BackupsHealthSchedule to_unknown[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, FALSE) };
  BackupsHealthSchedule to_known[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_WEEKLY, 3, 0, 0, TRUE) };
  BackupsHealthSite site = site_with (local_only, 1);
  g_autoptr (BackupsPolicy) lenient = backups_policy_new (FALSE, 30, 24, 5);

  g_assert_true (backups_finding_no_remote (&site));
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_AT_RISK);
  /* The policy may leave remote backups out. */
  g_assert_cmpint (backups_health_site_findings (&site, lenient), ==, BACKUPS_FINDING_NONE);

  /* A remote schedule to an integration the account lacks does not count. */
  site = site_with (to_unknown, 2);
  g_assert_true (backups_finding_no_remote (&site));

  /* Nor does a remote schedule whose automatic backups are off. */
  site = site_with (to_known, 2);
  g_assert_false (backups_finding_no_remote (&site));
  site.remote_bup = BACKUPS_FLAG_NO;
  g_assert_true (backups_finding_no_remote (&site));
  /* A flag GridPane left out is not "off". */
  site.remote_bup = BACKUPS_FLAG_UNKNOWN;
  g_assert_false (backups_finding_no_remote (&site));
}

static void
test_automatic_off (void)
{
  BackupsHealthSchedule schedules[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE) };
  BackupsHealthSite site = site_with (schedules, 2);
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();

  g_assert_false (backups_finding_automatic_off (&site));
  site.local_bup = BACKUPS_FLAG_NO;
  g_assert_true (backups_finding_automatic_off (&site));
  g_assert_cmpint (backups_health_site_findings (&site, policy), ==, BACKUPS_FINDING_AUTOMATIC_OFF);
  /* The remote one still runs. */
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_AT_RISK);

  /* Unknown is not off; no schedule of that type, nothing to switch on. */
  site.local_bup = BACKUPS_FLAG_UNKNOWN;
  g_assert_false (backups_finding_automatic_off (&site));
  site = site_with (&schedules[1], 1);
  site.local_bup = BACKUPS_FLAG_NO;
  g_assert_false (backups_finding_automatic_off (&site));
}

static void
test_unknown_destination (void)
{
  BackupsHealthSchedule schedules[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE),
        remote (BACKUPS_FREQUENCY_DAILY, 4, 0, NO, FALSE) };
  BackupsHealthSite site = site_with (schedules, 2);
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();

  g_assert_false (backups_finding_unknown_destination (&site));
  site = site_with (schedules, 3);
  g_assert_true (backups_finding_unknown_destination (&site));
  /* The known remote still satisfies "remote required". */
  g_assert_cmpint (backups_health_site_findings (&site, policy), ==,
                   BACKUPS_FINDING_UNKNOWN_DESTINATION);
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_AT_RISK);
  /* A remote schedule without any service_user_id is the same. */
  schedules[2].integration_id = NO;
  g_assert_true (backups_finding_unknown_destination (&site));
}

static void
test_short_retention (void)
{
  BackupsHealthSchedule schedules[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE) };
  BackupsHealthSite site = site_with (schedules, 2);

  site.local_retain_days = 30;
  g_assert_false (backups_finding_short_retention (&site, 30));
  g_assert_true (backups_finding_short_retention (&site, 31));
  /* 0 days is unlimited in GridPane: it passes any minimum. */
  site.local_retain_days = 0;
  site.remote_retain_days = 0;
  g_assert_false (backups_finding_short_retention (&site, 3650));
  /* A minimum of 0 switches the check off. */
  site.remote_retain_days = 1;
  g_assert_false (backups_finding_short_retention (&site, 0));
  g_assert_true (backups_finding_short_retention (&site, 2));
  /* A disabled schedule's retention does not count. */
  site.remote_bup = BACKUPS_FLAG_NO;
  g_assert_false (backups_finding_short_retention (&site, 2));
  /* Unknown retention is no finding (the site's problems make it Unknown). */
  site.local_retain_days = NO;
  g_assert_false (backups_finding_short_retention (&site, 30));
}

static void
test_infrequent (void)
{
  BackupsHealthSchedule weekly_only[] = { remote (BACKUPS_FREQUENCY_WEEKLY, 3, 0, 0, TRUE) };
  BackupsHealthSchedule mixed[]
    = { remote (BACKUPS_FREQUENCY_MONTHLY, 3, 0, 1, TRUE), local_daily (2, 0) };
  BackupsHealthSchedule hourly[] = { remote (BACKUPS_FREQUENCY_HOURLY, NO, 30, NO, TRUE) };
  BackupsHealthSite     site = site_with (weekly_only, 1);

  g_assert_true (backups_finding_infrequent (&site, 24));
  g_assert_false (backups_finding_infrequent (&site, 168));
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_AT_RISK);

  /* The most frequent enabled schedule counts. */
  site = site_with (mixed, 2);
  g_assert_false (backups_finding_infrequent (&site, 24));
  g_assert_true (backups_finding_infrequent (&site, 23));
  /* Disabled schedules do not. */
  site.local_bup = BACKUPS_FLAG_NO;
  g_assert_true (backups_finding_infrequent (&site, 24));
  g_assert_false (backups_finding_infrequent (&site, 31 * 24));

  site = site_with (hourly, 1);
  g_assert_false (backups_finding_infrequent (&site, 1));
  g_assert_false (backups_finding_infrequent (&site, 0));
}

/* Six sites of one server with the policy's default of 5. */
static void
test_crowded_start (void)
{
  BackupsHealthSchedule    at_0630[6][1];
  BackupsHealthSite        sites[7];
  const BackupsHealthSite *pointers[7];
  gboolean                 crowded[7];

  for (guint i = 0; i < 6; i++)
    {
      at_0630[i][0] = remote (BACKUPS_FREQUENCY_DAILY, 6, 30, NO, TRUE);
      sites[i] = site_with (at_0630[i], 1);
      pointers[i] = &sites[i];
    }

  /* Five in one minute are allowed, six are not. */
  backups_finding_crowded_start (pointers, 5, 5, crowded);
  for (guint i = 0; i < 5; i++)
    g_assert_false (crowded[i]);
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  for (guint i = 0; i < 6; i++)
    g_assert_true (crowded[i]);
  /* 0 switches the check off. */
  backups_finding_crowded_start (pointers, 6, 0, crowded);
  g_assert_false (crowded[0]);

  /* An hourly one at :30 meets the daily ones at 06:30. */
  at_0630[5][0] = remote (BACKUPS_FREQUENCY_HOURLY, NO, 30, NO, TRUE);
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  for (guint i = 0; i < 6; i++)
    g_assert_true (crowded[i]);
  /* At :31 it does not. */
  at_0630[5][0].minute = 31;
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  for (guint i = 0; i < 6; i++)
    g_assert_false (crowded[i]);

  /* Weekly on Monday and weekly on Tuesday never meet: two weekly ones
   * on Monday with four daily ones fill 06:30 on Monday. */
  at_0630[4][0] = remote (BACKUPS_FREQUENCY_WEEKLY, 6, 30, 1, TRUE);
  at_0630[5][0] = remote (BACKUPS_FREQUENCY_WEEKLY, 6, 30, 2, TRUE);
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  g_assert_false (crowded[0]);
  at_0630[5][0].day = 1;
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  g_assert_true (crowded[0] && crowded[4] && crowded[5]);

  /* A monthly one on day 5 meets a weekly one (in months whose 5th is
   * that weekday), but not a monthly one on day 6. */
  at_0630[5][0] = remote (BACKUPS_FREQUENCY_MONTHLY, 6, 30, 5, TRUE);
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  g_assert_true (crowded[5]);
  at_0630[4][0] = remote (BACKUPS_FREQUENCY_MONTHLY, 6, 30, 6, TRUE);
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  g_assert_false (crowded[5]);

  /* Disabled schedules do not start; one site with two schedules in the
   * minute is one site. */
  at_0630[4][0] = remote (BACKUPS_FREQUENCY_DAILY, 6, 30, NO, TRUE);
  at_0630[5][0] = remote (BACKUPS_FREQUENCY_DAILY, 6, 30, NO, TRUE);
  sites[5].remote_bup = BACKUPS_FLAG_NO;
  backups_finding_crowded_start (pointers, 6, 5, crowded);
  g_assert_false (crowded[0]);
  {
    BackupsHealthSchedule two[]
      = { local_daily (6, 30), remote (BACKUPS_FREQUENCY_DAILY, 6, 30, NO, TRUE) };

    sites[5] = site_with (two, 2);
    sites[5].remote_bup = BACKUPS_FLAG_YES;
    backups_finding_crowded_start (pointers, 5, 4, crowded);
    g_assert_true (crowded[0]);
    sites[4] = site_with (two, 2);
    pointers[4] = &sites[5];
    backups_finding_crowded_start (pointers, 5, 4, crowded);
    /* Sites 0-3 and the one with two schedules (at index 4): five. */
    g_assert_true (crowded[4]);
    sites[3].remote_bup = BACKUPS_FLAG_NO;
    backups_finding_crowded_start (pointers, 5, 4, crowded);
    g_assert_false (crowded[0]);
  }
}

/* No enabled schedule at all: unprotected, also with no schedule. */
static void
test_unprotected (void)
{
  BackupsHealthSchedule schedules[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE) };
  BackupsHealthSite site = site_with (NULL, 0);
  g_autoptr (BackupsPolicy) policy = backups_policy_new_default ();

  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_true (backups_health_site_findings (&site, policy) & BACKUPS_FINDING_NO_REMOTE);
  /* With problems on the site it is still certain: nothing is scheduled. */
  site.has_problems = TRUE;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNPROTECTED);

  site = site_with (schedules, 2);
  site.local_bup = BACKUPS_FLAG_NO;
  site.remote_bup = BACKUPS_FLAG_NO;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNPROTECTED);
  g_assert_true (backups_health_site_findings (&site, policy) & BACKUPS_FINDING_AUTOMATIC_OFF);
}

/* Something the sync could not read: unknown, not a guess. */
static void
test_unknown (void)
{
  BackupsHealthSchedule schedules[]
    = { local_daily (2, 0), remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE) };
  BackupsHealthSite site = site_with (schedules, 2);

  schedules[1].has_problems = TRUE;
  schedules[1].frequency = BACKUPS_FREQUENCY_UNKNOWN;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNKNOWN);

  schedules[1] = remote (BACKUPS_FREQUENCY_DAILY, 3, 0, NO, TRUE);
  site.remote_bup = BACKUPS_FLAG_UNKNOWN;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNKNOWN);

  site.remote_bup = BACKUPS_FLAG_YES;
  site.has_problems = TRUE;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_UNKNOWN);
  site.has_problems = FALSE;
  g_assert_cmpint (health (&site), ==, BACKUPS_HEALTH_PROTECTED);
}

static int
compare_health (gconstpointer a, gconstpointer b)
{
  return (int)*(const BackupsHealth *)a - (int)*(const BackupsHealth *)b;
}

/* Sorting by health puts the worst first. */
static void
test_order (void)
{
  BackupsHealth healths[] = { BACKUPS_HEALTH_PROTECTED, BACKUPS_HEALTH_AT_RISK,
                              BACKUPS_HEALTH_UNKNOWN, BACKUPS_HEALTH_UNPROTECTED };
  const char   *worst_first[] = { "unprotected", "unknown", "at-risk", "protected" };

  qsort (healths, G_N_ELEMENTS (healths), sizeof healths[0], compare_health);
  for (guint i = 0; i < G_N_ELEMENTS (healths); i++)
    g_assert_cmpstr (backups_health_to_id (healths[i]), ==, worst_first[i]);
}

static void
test_ids_and_sentences (void)
{
  g_autoptr (BackupsPolicy) policy = backups_policy_new (TRUE, 90, 12, 7);
  const char      *ids[] = { "no-remote",       "automatic-off", "unknown-destination",
                             "short-retention", "infrequent",    "crowded-start" };
  BackupsFinding   list[BACKUPS_N_FINDINGS];
  guint            n;
  g_autofree char *retention = NULL;
  g_autofree char *gap = NULL;
  g_autofree char *crowd = NULL;

  n = backups_finding_list ((1 << BACKUPS_N_FINDINGS) - 1, list);
  g_assert_cmpuint (n, ==, G_N_ELEMENTS (ids));
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sentence = backups_finding_describe (list[i], policy);

      g_assert_cmpstr (backups_finding_to_id (list[i]), ==, ids[i]);
      /* What to change, and where in GridPane. */
      g_assert_true (g_str_has_suffix (sentence, "in GridPane."));
    }
  n = backups_finding_list (BACKUPS_FINDING_INFREQUENT | BACKUPS_FINDING_NO_REMOTE, list);
  g_assert_cmpuint (n, ==, 2);
  g_assert_cmpint (list[0], ==, BACKUPS_FINDING_NO_REMOTE);

  /* The policy's values are in the sentences. */
  retention = backups_finding_describe (BACKUPS_FINDING_SHORT_RETENTION, policy);
  gap = backups_finding_describe (BACKUPS_FINDING_INFREQUENT, policy);
  crowd = backups_finding_describe (BACKUPS_FINDING_CROWDED_START, policy);
  g_assert_nonnull (strstr (retention, "90 days"));
  g_assert_nonnull (strstr (gap, "12 hours"));
  g_assert_nonnull (strstr (crowd, "7 sites"));
}

static void
test_policy (void)
{
  g_autoptr (BackupsPolicy) defaults = backups_policy_new_default ();
  g_autoptr (BackupsPolicy) copy = backups_policy_copy (defaults);
  g_autoptr (BackupsPolicy) other = backups_policy_new (TRUE, 30, 24, 6);

  g_assert_true (defaults->require_remote);
  g_assert_cmpuint (defaults->min_retain_days, ==, 30);
  g_assert_cmpuint (defaults->max_gap_hours, ==, 24);
  g_assert_cmpuint (defaults->crowded_start_sites, ==, 5);
  g_assert_true (backups_policy_equal (defaults, copy));
  g_assert_false (backups_policy_equal (defaults, other));
  g_assert_true (backups_policy_is_settings_key ("max-gap-hours"));
  g_assert_false (backups_policy_is_settings_key ("window-width"));
}

int
main (int argc, char *argv[])
{
  setlocale (LC_ALL, "C.UTF-8");
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/health/protected", test_protected);
  g_test_add_func ("/health/finding/no-remote", test_no_remote);
  g_test_add_func ("/health/finding/automatic-off", test_automatic_off);
  g_test_add_func ("/health/finding/unknown-destination", test_unknown_destination);
  g_test_add_func ("/health/finding/short-retention", test_short_retention);
  g_test_add_func ("/health/finding/infrequent", test_infrequent);
  g_test_add_func ("/health/finding/crowded-start", test_crowded_start);
  g_test_add_func ("/health/unprotected", test_unprotected);
  g_test_add_func ("/health/unknown", test_unknown);
  g_test_add_func ("/health/order", test_order);
  g_test_add_func ("/health/ids-and-sentences", test_ids_and_sentences);
  g_test_add_func ("/health/policy", test_policy);

  return g_test_run ();
}
