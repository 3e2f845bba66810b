/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-gridpane-restore-points.c: reading GridPane's record of the backups
 * that exist for a site (`/backups/original/{site}`). */
#include "config.h"

#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-restore-points.h"

static GTimeZone *
zone (const char *name)
{
  GTimeZone *tz = g_time_zone_new_identifier (name);

  g_assert_nonnull (tz);
  return tz;
}

static gint64
utc (int year, int month, int day, int hour, int minute)
{
  g_autoptr (GDateTime) when = g_date_time_new_utc (year, month, day, hour, minute, 0);

  return g_date_time_to_unix (when);
}

static BackupsRestorePointRecord *
point_at (BackupsRestorePoints *points, guint index_)
{
  g_assert_cmpuint (index_, <, points->points->len);
  return g_ptr_array_index (points->points, index_);
}

static void
parse_ok (const char *body, GTimeZone *tz, BackupsRestorePoints *points)
{
  g_autoptr (GError) error = NULL;

  g_assert_true (backups_gridpane_parse_restore_points (body, strlen (body), tz, points, &error));
  g_assert_no_error (error);
}

/* The documented shape: comma-separated names in one string per kind,
 * read on the server's clock, tags kept, newest first. */
static void
test_documented_shape (void)
{
  g_autoptr (GTimeZone) new_york = zone ("America/New_York");
  g_auto (BackupsRestorePoints) points = { 0 };
  BackupsRestorePointRecord *point;

  parse_ok ("{\"success\": true, \"backups\": {\"local\": {"
            "\"automatic\": \"2024-04-30 00:00, 2024-05-01 00:00,2024-04-29 00:00\","
            "\"manual\": \"2024-04-30 10:11 pre-update\"}}}",
            new_york, &points);

  g_assert_cmpuint (points.points->len, ==, 4);
  g_assert_cmpuint (points.n_unreadable, ==, 0);
  g_assert_null (points.first_unreadable);

  point = point_at (&points, 0);
  g_assert_cmpstr (point->source, ==, "local");
  g_assert_cmpint (point->kind, ==, BACKUPS_RESTORE_POINT_AUTOMATIC);
  g_assert_cmpstr (point->name, ==, "2024-05-01 00:00");
  /* Midnight in New York in May (EDT, UTC-4) is 04:00 UTC. */
  g_assert_cmpint (point->taken_at, ==, utc (2024, 5, 1, 4, 0));
  g_assert_null (point->tag);

  point = point_at (&points, 1);
  g_assert_cmpint (point->kind, ==, BACKUPS_RESTORE_POINT_MANUAL);
  g_assert_cmpstr (point->name, ==, "2024-04-30 10:11 pre-update");
  g_assert_cmpstr (point->tag, ==, "pre-update");
  g_assert_cmpint (point->taken_at, ==, utc (2024, 4, 30, 14, 11));

  g_assert_cmpint (point_at (&points, 2)->taken_at, ==, utc (2024, 4, 30, 4, 0));
  g_assert_cmpint (point_at (&points, 3)->taken_at, ==, utc (2024, 4, 29, 4, 0));
}

/* Remote copies come under their storage kind's key, any kind taken as
 * data; a site without local backups has no "local". */
static void
test_remote_sources (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  g_auto (BackupsRestorePoints) points = { 0 };

  parse_ok ("{\"success\": true, \"backups\": {"
            "\"aws-s3\": {\"automatic\": \"2024-05-02 06:30\", \"manual\": \"\"},"
            "\"ovh-s3\": {\"manual\": \"2024-05-01 12:00 before-theme\"}}}",
            tz, &points);

  g_assert_cmpuint (points.points->len, ==, 2);
  g_assert_cmpstr (point_at (&points, 0)->source, ==, "aws-s3");
  g_assert_cmpint (point_at (&points, 0)->taken_at, ==, utc (2024, 5, 2, 6, 30));
  g_assert_cmpstr (point_at (&points, 1)->source, ==, "ovh-s3");
  g_assert_cmpint (point_at (&points, 1)->kind, ==, BACKUPS_RESTORE_POINT_MANUAL);
  g_assert_cmpstr (point_at (&points, 1)->tag, ==, "before-theme");
}

/* Names that do not read are counted and left out; the others stay. */
static void
test_unreadable_names (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  g_auto (BackupsRestorePoints) points = { 0 };

  parse_ok ("{\"success\": true, \"backups\": {\"local\": {\"automatic\": "
            "\"2024-05-01 00:00, yesterday, 2024-13-01 00:00, 2024-02-30 01:00, 2024-05-01 24:00,"
            " 2024-05-01 00:00x, 2024-5-1 00:00, , ,2024-05-03 23:59\"}}}",
            tz, &points);

  g_assert_cmpuint (points.points->len, ==, 2);
  g_assert_cmpuint (points.n_unreadable, ==, 6);
  g_assert_cmpstr (points.first_unreadable, ==, "local: “yesterday”");
  g_assert_cmpint (point_at (&points, 0)->taken_at, ==, utc (2024, 5, 3, 23, 59));
}

/* Nothing is not an error: missing or empty kinds, null, and Laravel's []
 * for an empty object. */
static void
test_empty (void)
{
  const char *const bodies[] = {
    "{\"success\": true, \"backups\": {}}",
    "{\"success\": true, \"backups\": []}",
    "{\"success\": true, \"backups\": null}",
    "{\"backups\": {\"local\": []}}",
    "{\"backups\": {\"local\": {\"automatic\": \"\", \"manual\": null}}}",
    "{\"backups\": {\"local\": {}, \"aws-s3\": null}}",
  };
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_auto (BackupsRestorePoints) points = { 0 };

      parse_ok (bodies[i], tz, &points);
      g_assert_cmpuint (points.points->len, ==, 0);
      g_assert_cmpuint (points.n_unreadable, ==, 0);
    }
}

/* Hourly sites keep hundreds of names in one string. */
static void
test_many_names (void)
{
  g_autoptr (GTimeZone) tz = zone ("Europe/Berlin");
  g_autoptr (GString) body = g_string_new ("{\"success\": true, \"backups\": {\"local\": "
                                           "{\"automatic\": \"");
  g_autoptr (GDateTime) start = g_date_time_new (tz, 2024, 3, 1, 0, 0, 0);
  g_auto (BackupsRestorePoints) points = { 0 };

  for (guint i = 0; i < 720; i++)
    {
      g_autoptr (GDateTime) when = g_date_time_add_hours (start, i);
      g_autofree char *name = g_date_time_format (when, "%Y-%m-%d %H:%M");

      g_string_append_printf (body, "%s%s", i > 0 ? ", " : "", name);
    }
  g_string_append (body, "\"}}}");

  parse_ok (body->str, tz, &points);
  /* 31 March 2024: 02:00-02:59 does not exist in Berlin, 03:00 follows
   * 01:00; GLib's formatting skips it too, so every name reads. */
  g_assert_cmpuint (points.points->len, ==, 720);
  g_assert_cmpuint (points.n_unreadable, ==, 0);
  for (guint i = 1; i < points.points->len; i++)
    g_assert_cmpint (point_at (&points, i - 1)->taken_at, >=, point_at (&points, i)->taken_at);
}

/* A body that is not this shape fails with a sentence about the body. */
static void
test_invalid_bodies (void)
{
  const struct
  {
    const char *body;
    const char *message;
  } cases[] = {
    { "[]", "not a JSON object" },
    { "{\"success\": true}", "no “backups” member" },
    { "{\"backups\": 3}", "“backups” is" },
    { "{\"backups\": {\"local\": \"2024-05-01 00:00\"}}", "backups.local is" },
    { "{\"backups\": {\"local\": {\"automatic\": 20240501}}}", "backups.local.automatic is" },
    { "{\"backups\": {\"local\": {\"manual\": [1]}}}", "backups.local.manual[0] is" },
    { "{\"success\": false, \"message\": \"Site not found\"}", "Site not found" },
    { "{\"backups\": {", NULL },
  };
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_auto (BackupsRestorePoints) points = { 0 };
      g_autoptr (GError) error = NULL;

      g_assert_false (backups_gridpane_parse_restore_points (
        cases[i].body, strlen (cases[i].body), tz, &points, &error));
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
      if (cases[i].message != NULL && strstr (error->message, cases[i].message) == NULL)
        g_error ("body %s: “%s” does not say “%s”", cases[i].body, error->message,
                 cases[i].message);
      g_assert_null (points.points);
    }
}

/* Lenient: a list of names is read like the string GridPane documents. */
static void
test_list_of_names (void)
{
  g_autoptr (GTimeZone) tz = g_time_zone_new_utc ();
  g_auto (BackupsRestorePoints) points = { 0 };

  parse_ok ("{\"backups\": {\"local\": {\"automatic\": [\"2024-05-01 00:00\", \" 2024-05-02 00:00 \"]}}}",
            tz, &points);
  g_assert_cmpuint (points.points->len, ==, 2);
  g_assert_cmpstr (point_at (&points, 0)->name, ==, "2024-05-02 00:00");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, NULL);

  g_test_add_func ("/restore-points/documented-shape", test_documented_shape);
  g_test_add_func ("/restore-points/remote-sources", test_remote_sources);
  g_test_add_func ("/restore-points/unreadable-names", test_unreadable_names);
  g_test_add_func ("/restore-points/empty", test_empty);
  g_test_add_func ("/restore-points/many-names", test_many_names);
  g_test_add_func ("/restore-points/invalid-bodies", test_invalid_bodies);
  g_test_add_func ("/restore-points/list-of-names", test_list_of_names);

  return g_test_run ();
}
