/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-restore-points.c: GridPane's record of the backups that
 * exist, `GET /backups/original/{site}` and `GET /backups/refresh/{site}`
 * (gridpane-api.md, "Restore points").
 *
 * The record of each site is as of a moment: GridPane refreshes it only on
 * use. It starts up to six hours old (per site) and `refresh` brings it to
 * now, so new points appear. Every enabled schedule has a point for each
 * expected run up to that moment, named on the server's clock, within its
 * retention: an hourly site keeps a week of hourly points and a month of
 * daily ones (hundreds of names), a daily one a month, a weekly one twelve
 * weeks, a monthly one six months. A schedule whose site flag is off
 * stopped three weeks ago. Per site, from a hash of the fleet and the
 * site: about 4 % have no points at all, about 8 % stopped two to nine
 * days ago (overdue), about 10 % have manual points with tags, and about
 * 3 % carry a name that does not parse. Names come oldest first, joined by
 * ", " or ",": the order is not documented, so a client must not rely on
 * it. */
#include "config.h"

#include <string.h>

#include "gridpane-mock-restore-points.h"

#define HOUR (G_TIME_SPAN_HOUR / G_TIME_SPAN_SECOND)
#define DAY  (24 * HOUR)

/* Purposes of the site hash: one independent draw each. */
enum
{
  DRAW_CLASS,
  DRAW_RECORD_AGE,
  DRAW_STOPPED_DAYS,
  DRAW_MANUAL,
  DRAW_MALFORMED,
  DRAW_SEPARATOR,
};

static guint64
site_draw (const MockFleet *fleet, const MockSite *site, guint purpose)
{
  guint64 x = fleet->salt ^ ((guint64)site->id << 8) ^ purpose;

  /* SplitMix64's finalizer. */
  x ^= x >> 30;
  x *= G_GUINT64_CONSTANT (0xBF58476D1CE4E5B9);
  x ^= x >> 27;
  x *= G_GUINT64_CONSTANT (0x94D049BB133111EB);
  x ^= x >> 31;
  return x;
}

MockRestoreClass
mock_restore_points_class (const MockFleet *fleet, const MockSite *site)
{
  guint draw = site_draw (fleet, site, DRAW_CLASS) % 100;

  if (draw < 4)
    return MOCK_RESTORE_NONE;
  if (draw < 12)
    return MOCK_RESTORE_STOPPED;
  return MOCK_RESTORE_CURRENT;
}

gboolean
mock_restore_points_parse_path (const char *path, gboolean *refresh, gint64 *site_id)
{
  const char *rest;
  char       *end;
  guint64     id;

  if (g_str_has_prefix (path, MOCK_RESTORE_ORIGINAL_ROUTE "/"))
    {
      *refresh = FALSE;
      rest = path + strlen (MOCK_RESTORE_ORIGINAL_ROUTE "/");
    }
  else if (g_str_has_prefix (path, MOCK_RESTORE_REFRESH_ROUTE "/"))
    {
      *refresh = TRUE;
      rest = path + strlen (MOCK_RESTORE_REFRESH_ROUTE "/");
    }
  else
    return FALSE;

  if (!g_ascii_isdigit (*rest))
    return FALSE;
  id = g_ascii_strtoull (rest, &end, 10);
  if (*end != '\0' || id == 0 || id > G_MAXINT64)
    return FALSE;
  *site_id = (gint64)id;
  return TRUE;
}

const char *
mock_restore_points_route (const char *path)
{
  gboolean refresh;
  gint64   site_id;

  if (!mock_restore_points_parse_path (path, &refresh, &site_id))
    return NULL;
  return refresh ? MOCK_RESTORE_REFRESH_ROUTE : MOCK_RESTORE_ORIGINAL_ROUTE;
}

static MockSite *
find_site (MockFleet *fleet, gint64 site_id)
{
  for (guint i = 0; i < fleet->sites->len; i++)
    {
      MockSite *site = &g_array_index (fleet->sites, MockSite, i);

      if (site->id == site_id)
        return site;
    }
  return NULL;
}

static GTimeZone *
site_zone (const MockFleet *fleet, const MockSite *site)
{
  for (guint i = 0; i < fleet->servers->len; i++)
    {
      const MockServer *server = &g_array_index (fleet->servers, MockServer, i);

      if (server->id == site->server_id && server->timezone != NULL)
        {
          GTimeZone *tz = g_time_zone_new_identifier (server->timezone);

          if (tz != NULL)
            return tz;
        }
    }
  return g_time_zone_new_utc ();
}

/* When the site's record was last refreshed (Unix seconds). */
static gint64
record_time (MockFleet *fleet, const MockSite *site, gint64 now)
{
  gpointer value;

  if (fleet->restore_points_at == NULL)
    fleet->restore_points_at = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  value = g_hash_table_lookup (fleet->restore_points_at, &site->id);
  if (value == NULL)
    {
      gint64 at = now - (gint64)(site_draw (fleet, site, DRAW_RECORD_AGE) % (6 * HOUR));

      g_hash_table_insert (fleet->restore_points_at, g_memdup2 (&site->id, sizeof site->id),
                           g_memdup2 (&at, sizeof at));
      return at;
    }
  return *(gint64 *)value;
}

static void
append_name (GString *names, GDateTime *local, const char *tag, const char *separator)
{
  g_autofree char *name = g_date_time_format (local, "%Y-%m-%d %H:%M");

  if (names->len > 0)
    g_string_append (names, separator);
  g_string_append (names, name);
  if (tag != NULL)
    g_string_append_printf (names, " %s", tag);
}

/* The local wall-clock times of one schedule's runs in (`since`, `until`],
 * oldest first, into `runs` (GDateTime *, in `tz`). */
static void
schedule_runs (const MockSchedule *schedule,
               GTimeZone          *tz,
               gint64              since,
               gint64              until,
               GPtrArray          *runs)
{
  g_autoptr (GDateTime) last = g_date_time_new_from_unix_utc (until);
  g_autoptr (GDateTime) local_last = g_date_time_to_timezone (last, tz);
  int n_days = (int)((until - since) / DAY) + 2;

  for (int d = n_days; d >= 0; d--)
    {
      g_autoptr (GDateTime) day = g_date_time_add_days (local_last, -d);
      int hours[24], n_hours = 0;

      switch (schedule->frequency)
        {
        case MOCK_FREQ_HOURLY:
          for (int h = 0; h < 24; h++)
            hours[n_hours++] = h;
          break;
        case MOCK_FREQ_DAILY:
          hours[n_hours++] = schedule->hour;
          break;
        case MOCK_FREQ_WEEKLY:
          if (g_date_time_get_day_of_week (day) % 7 == schedule->day)
            hours[n_hours++] = schedule->hour;
          break;
        case MOCK_FREQ_MONTHLY:
        default:
          if (g_date_time_get_day_of_month (day) == schedule->day)
            hours[n_hours++] = schedule->hour;
          break;
        }

      for (int h = 0; h < n_hours; h++)
        {
          GDateTime *run = g_date_time_new (tz, g_date_time_get_year (day),
                                            g_date_time_get_month (day),
                                            g_date_time_get_day_of_month (day), hours[h],
                                            schedule->minute, 0);
          gint64     at;

          if (run == NULL)
            continue;
          at = g_date_time_to_unix (run);
          if (at > since && at <= until)
            g_ptr_array_add (runs, run);
          else
            g_date_time_unref (run);
        }
    }
}

/* How far back a schedule's points go, and which of them are kept: an
 * hourly schedule's older points thin out to one a day. */
static gint64
kept_days (const MockSchedule *schedule, guint retain_days)
{
  gint64 days;

  switch (schedule->frequency)
    {
    case MOCK_FREQ_HOURLY:
    case MOCK_FREQ_DAILY:
      days = 30;
      break;
    case MOCK_FREQ_WEEKLY:
      days = 12 * 7;
      break;
    case MOCK_FREQ_MONTHLY:
    default:
      days = 183;
      break;
    }
  return retain_days > 0 ? MIN (days, (gint64)retain_days) : days;
}

static void
append_schedule_points (GString            *names,
                        const MockSchedule *schedule,
                        guint               retain_days,
                        GTimeZone          *tz,
                        gint64              until,
                        const char         *separator)
{
  g_autoptr (GPtrArray) runs = g_ptr_array_new_with_free_func ((GDestroyNotify)g_date_time_unref);
  gint64 since = until - kept_days (schedule, retain_days) * DAY;

  schedule_runs (schedule, tz, since, until, runs);
  for (guint i = 0; i < runs->len; i++)
    {
      GDateTime *run = g_ptr_array_index (runs, i);
      gint64     age = until - g_date_time_to_unix (run);

      /* Past a week, an hourly schedule keeps its first point of a day. */
      if (schedule->frequency == MOCK_FREQ_HOURLY && age > 7 * DAY
          && g_date_time_get_hour (run) != 0)
        continue;
      append_name (names, run, NULL, separator);
    }
}

typedef struct
{
  const char *source;
  GString    *automatic;
  GString    *manual;
} MockSource;

static MockSource *
source_for (GPtrArray *sources, const char *name)
{
  MockSource *source;

  for (guint i = 0; i < sources->len; i++)
    {
      source = g_ptr_array_index (sources, i);
      if (g_str_equal (source->source, name))
        return source;
    }
  source = g_new0 (MockSource, 1);
  source->source = name;
  source->automatic = g_string_new (NULL);
  source->manual = g_string_new (NULL);
  g_ptr_array_add (sources, source);
  return source;
}

static void
mock_source_free (gpointer data)
{
  MockSource *source = data;

  g_string_free (source->automatic, TRUE);
  g_string_free (source->manual, TRUE);
  g_free (source);
}

static void
append_json_text (GString *out, const char *text)
{
  g_string_append_c (out, '"');
  for (const char *p = text; *p != '\0'; p++)
    {
      if (*p == '"' || *p == '\\')
        g_string_append_c (out, '\\');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

static void
render_record (GString *out, MockFleet *fleet, const MockSite *site, gint64 until)
{
  static const char *const tags[] = { "pre-update", "before-theme", "migration", NULL };
  g_autoptr (GTimeZone) tz = site_zone (fleet, site);
  g_autoptr (GPtrArray) sources = g_ptr_array_new_with_free_func (mock_source_free);
  const char *separator = site_draw (fleet, site, DRAW_SEPARATOR) % 2 ? ", " : ",";
  MockRestoreClass klass = mock_restore_points_class (fleet, site);

  g_string_append (out, "{\"success\":true,\"backups\":");
  if (klass == MOCK_RESTORE_NONE)
    {
      /* Laravel writes the empty object as a list. */
      g_string_append (out, "[]}");
      return;
    }
  if (klass == MOCK_RESTORE_STOPPED)
    until -= (gint64)(2 + site_draw (fleet, site, DRAW_STOPPED_DAYS) % 8) * DAY;

  for (guint i = 0; i < site->n_schedules; i++)
    {
      const MockSchedule *schedule = &site->schedules[i];
      gboolean            enabled = schedule->is_remote ? site->remote_bup : site->local_bup;
      MockSource         *source
        = source_for (sources, schedule->is_remote && schedule->service_name != NULL
                                 ? schedule->service_name
                                 : "local");

      append_schedule_points (source->automatic, schedule,
                              schedule->is_remote ? site->remote_retain : site->local_retain, tz,
                              enabled ? until : until - 21 * DAY, separator);
    }

  if (site_draw (fleet, site, DRAW_MANUAL) % 10 == 0)
    {
      MockSource *local = source_for (sources, "local");
      guint64     draw = site_draw (fleet, site, DRAW_MANUAL) / 10;

      for (guint i = 0; i < 1 + draw % 3; i++)
        {
          g_autoptr (GDateTime) at
            = g_date_time_new_from_unix_utc (until - (gint64)((draw >> (8 * i)) % (20 * DAY)));
          g_autoptr (GDateTime) local_at = g_date_time_to_timezone (at, tz);

          append_name (local->manual, local_at, tags[(draw >> (4 * i)) % G_N_ELEMENTS (tags)],
                       separator);
        }
    }

  if (site_draw (fleet, site, DRAW_MALFORMED) % 33 == 0)
    {
      MockSource *local = source_for (sources, "local");

      if (local->automatic->len > 0)
        g_string_append (local->automatic, separator);
      g_string_append (local->automatic, "backup-latest");
    }

  g_string_append_c (out, '{');
  for (guint i = 0; i < sources->len; i++)
    {
      MockSource *source = g_ptr_array_index (sources, i);

      if (i > 0)
        g_string_append_c (out, ',');
      append_json_text (out, source->source);
      g_string_append (out, ":{\"automatic\":");
      append_json_text (out, source->automatic->str);
      g_string_append (out, ",\"manual\":");
      append_json_text (out, source->manual->str);
      g_string_append_c (out, '}');
    }
  g_string_append (out, "}}");
}

GBytes *
mock_restore_points_render (MockFleet *fleet, const char *path, gint64 now, guint *status)
{
  GString  *out = g_string_new (NULL);
  gboolean  refresh;
  gint64    site_id;
  MockSite *site;

  if (!mock_restore_points_parse_path (path, &refresh, &site_id)
      || (site = find_site (fleet, site_id)) == NULL)
    {
      *status = 404;
      g_string_append (out, "{\"message\":\"No query results for model [App\\\\Site].\"}");
      return g_string_free_to_bytes (out);
    }

  if (refresh)
    {
      gint64 at = now;

      record_time (fleet, site, now);
      g_hash_table_insert (fleet->restore_points_at, g_memdup2 (&site->id, sizeof site->id),
                           g_memdup2 (&at, sizeof at));
    }

  *status = 200;
  render_record (out, fleet, site, record_time (fleet, site, now));
  return g_string_free_to_bytes (out);
}
