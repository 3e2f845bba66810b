/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-render.c: the JSON bodies of the GridPane mock, in the
 * shapes captured from the real API (see /work/shared/gridpane-api.md and
 * tests/mock/README.md).
 *
 * Bodies are written with GString rather than JsonBuilder: the mock serves
 * fleets of 50,000 schedules and benchmarks call it in loops.
 */
#include "config.h"

#include <string.h>

#include "gridpane-mock-fleet.h"
#include "gridpane-mock-restore-points.h"

#define DEFAULT_PER_PAGE 10
#define REPEAT_PAGE_LAST 1000000
#define HUGE_BODY_SIZE (50 * 1024 * 1024)
/* Laravel's UrlWindow: pages on each side of the current one. */
#define LARAVEL_ON_EACH_SIDE 3

static const char *const frequency_names[] = { "hourly", "daily", "weekly", "monthly" };
static const char *const frequency_names_capitalized[] = { "Hourly", "Daily", "Weekly", "Monthly" };
static const char *const site_types[] = { "primary", "staging", "canary" };

/* Strings ---------------------------------------------------------------- */

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
append_success (GString *out, const MockFleet *fleet)
{
  if (fleet->odd & GRIDPANE_MOCK_ODD_SUCCESS_STRING)
    g_string_append (out, "\"success\":\"false\",");
  else
    g_string_append (out, "\"success\":true,");
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

/* Odd values ------------------------------------------------------------- */

/* The GridpaneMockOdd bits that go in this row (schedule -1: the site). */
static guint
odd_bits_for (const MockOddRow rows[MOCK_N_ODD], gint site, gint schedule)
{
  guint bits = 0;

  for (guint b = 0; b < MOCK_N_ODD; b++)
    if (rows[b].site == site && rows[b].schedule == schedule)
      bits |= 1u << b;
  return bits;
}

/* Pagination ------------------------------------------------------------- */

typedef struct
{
  /* In */
  const char           *url; /* the list's address: links and meta.path */
  guint                 n_rows;
  guint                 page;           /* asked for, 1-based */
  guint                 per_page;       /* the page size served */
  guint                 per_page_param; /* echoed in links; 0 = not */
  GridpaneMockMetaShape shape;          /* not DEFAULT */
  guint                 total_extra;
  guint                 empty_page;
  gboolean              short_last_page;
  gboolean              repeat_page;

  /* Out of page_compute () */
  guint    last_page;
  guint    from; /* rows [from, to) are served */
  guint    to;
  guint64  total;
  gboolean has_next;
} MockPage;

static void
page_compute (MockPage *p)
{
  guint64 from;

  if (p->repeat_page && p->shape == GRIDPANE_MOCK_META_NONE)
    p->shape = GRIDPANE_MOCK_META_LARAVEL;
  p->per_page = MAX (p->per_page, 1);

  if (p->repeat_page)
    {
      p->page = 1;
      p->from = 0;
      p->to = MIN (p->n_rows, p->per_page);
      p->last_page = REPEAT_PAGE_LAST;
      p->total = (guint64)REPEAT_PAGE_LAST * MAX (p->to, 1);
      p->has_next = TRUE;
      return;
    }

  if (p->shape == GRIDPANE_MOCK_META_NONE)
    {
      /* Not paginated: every row, whatever the page. */
      p->from = 0;
      p->to = p->n_rows;
      p->last_page = 1;
    }
  else if (p->short_last_page)
    {
      p->last_page = 1;
      p->from = p->page == 1 ? 0 : p->n_rows;
      p->to = p->page == 1 ? p->n_rows / 2 : p->n_rows;
    }
  else
    {
      p->last_page = MAX (1, (p->n_rows + p->per_page - 1) / p->per_page);
      from = (guint64)(p->page - 1) * p->per_page;
      p->from = (guint)MIN (from, p->n_rows);
      p->to = (guint)MIN ((guint64)p->from + p->per_page, p->n_rows);
    }

  if (p->empty_page != 0 && p->empty_page == p->page)
    p->to = p->from;
  p->total = (guint64)p->n_rows + p->total_extra;
  p->has_next = p->shape != GRIDPANE_MOCK_META_NONE && p->page < p->last_page;
}

static void
append_page_link (GString *out, const MockPage *p, guint page)
{
  if (p->per_page_param > 0)
    g_string_append_printf (out, "\"%s?page=%u&per_page=%u\"", p->url, page, p->per_page_param);
  else
    g_string_append_printf (out, "\"%s?page=%u\"", p->url, page);
}

static void
append_next_link (GString *out, const MockPage *p)
{
  if (p->has_next)
    append_page_link (out, p, p->repeat_page ? 2 : p->page + 1);
  else
    g_string_append (out, "null");
}

static void
append_meta_link (GString *out, const MockPage *p, guint page)
{
  g_string_append (out, ",{\"url\":");
  append_page_link (out, p, page);
  g_string_append_printf (out, ",\"label\":\"%u\",\"active\":%s}", page,
                          page == p->page ? "true" : "false");
}

static void
append_meta_link_range (GString *out, const MockPage *p, guint first, guint last)
{
  for (guint page = first; page <= last; page++)
    append_meta_link (out, p, page);
}

/* meta.links as Laravel's UrlWindow makes it: every page when there are
 * few, else the first two, "...", a window, "...", the last two. */
static void
append_meta_links (GString *out, const MockPage *p)
{
  const guint each = LARAVEL_ON_EACH_SIDE;
  const guint window = each + 4;
  const char  dots[] = ",{\"url\":null,\"label\":\"...\",\"active\":false}";
  guint       last = p->last_page;
  guint       current = p->page;

  g_string_append (out, "[{\"url\":");
  if (current > 1 && !p->repeat_page)
    append_page_link (out, p, MIN (current - 1, last));
  else
    g_string_append (out, "null");
  g_string_append (out, ",\"label\":\"&laquo; Previous\",\"active\":false}");

  if (last < each * 2 + 8)
    append_meta_link_range (out, p, 1, last);
  else if (current <= window)
    {
      append_meta_link_range (out, p, 1, window + each);
      g_string_append (out, dots);
      append_meta_link_range (out, p, last - 1, last);
    }
  else if (current > last - window)
    {
      append_meta_link_range (out, p, 1, 2);
      g_string_append (out, dots);
      append_meta_link_range (out, p, last - (window + each - 1), last);
    }
  else
    {
      append_meta_link_range (out, p, 1, 2);
      g_string_append (out, dots);
      append_meta_link_range (out, p, current - each, current + each);
      g_string_append (out, dots);
      append_meta_link_range (out, p, last - 1, last);
    }

  g_string_append (out, ",{\"url\":");
  append_next_link (out, p);
  g_string_append (out, ",\"label\":\"Next &raquo;\",\"active\":false}]");
}

/* What follows the list: nothing, meta, links or next_page_url. */
static void
append_page_tail (GString *out, const MockPage *p)
{
  gboolean rows = p->from < p->to;

  switch (p->shape)
    {
    case GRIDPANE_MOCK_META_COMPACT:
      g_string_append_printf (out,
                              ",\"meta\":{\"current_page\":%u,\"total_pages\":%u,"
                              "\"total\":%" G_GUINT64_FORMAT "}",
                              p->page, p->last_page, p->total);
      break;

    case GRIDPANE_MOCK_META_LINKS_ONLY:
      g_string_append (out, ",\"links\":{\"next\":");
      append_next_link (out, p);
      g_string_append_c (out, '}');
      break;

    case GRIDPANE_MOCK_META_NEXT_PAGE_URL:
      g_string_append (out, ",\"next_page_url\":");
      append_next_link (out, p);
      break;

    case GRIDPANE_MOCK_META_NONE:
      break;

    case GRIDPANE_MOCK_META_DEFAULT:
    case GRIDPANE_MOCK_META_LARAVEL:
    default:
      g_string_append (out, ",\"links\":{\"first\":");
      append_page_link (out, p, 1);
      g_string_append (out, ",\"last\":");
      append_page_link (out, p, p->last_page);
      g_string_append (out, ",\"prev\":");
      if (p->page > 1 && !p->repeat_page)
        append_page_link (out, p, MIN (p->page - 1, p->last_page));
      else
        g_string_append (out, "null");
      g_string_append (out, ",\"next\":");
      append_next_link (out, p);
      g_string_append_printf (out, "},\"meta\":{\"current_page\":%u,", p->page);
      if (rows)
        g_string_append_printf (out, "\"from\":%u,", p->from + 1);
      else
        g_string_append (out, "\"from\":null,");
      g_string_append_printf (out, "\"last_page\":%u,\"links\":", p->last_page);
      append_meta_links (out, p);
      g_string_append_printf (out, ",\"path\":\"%s\",\"per_page\":%u,", p->url, p->per_page);
      if (rows)
        g_string_append_printf (out, "\"to\":%u,", p->to);
      else
        g_string_append (out, "\"to\":null,");
      g_string_append_printf (out, "\"total\":%" G_GUINT64_FORMAT "}", p->total);
      break;
    }
}

/* The meta a one-piece /backups list may carry (gridpane_mock_set_schedules_meta). */
static void
append_one_piece_meta (GString               *out,
                       const char            *url,
                       guint                  n_rows,
                       guint                  n_shown,
                       const MockListOptions *options,
                       gboolean               repeat_page)
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
                              REPEAT_PAGE_LAST, url, MAX (n_rows, 1), MAX (n_rows, 1),
                              REPEAT_PAGE_LAST * MAX (n_rows, 1));
      return;
    }
  g_string_append (out, ",\"meta\":{\"current_page\":1,");
  if (n_shown > 0)
    g_string_append (out, "\"from\":1,");
  else
    g_string_append (out, "\"from\":null,");
  g_string_append_printf (out, "\"last_page\":1,\"path\":\"%s\",\"per_page\":%u,", url, n_rows);
  if (n_shown > 0)
    g_string_append_printf (out, "\"to\":%u,", n_shown);
  else
    g_string_append (out, "\"to\":null,");
  g_string_append_printf (out, "\"total\":%" G_GUINT64_FORMAT "}",
                          (guint64)n_rows + options->total_extra);
}

/* A /backups list: in one piece unless a list page size is set. Sets the
 * page's rows; FALSE for one piece, where [from, to) are the rows. */
static gboolean
backups_list_page (MockPage              *p,
                   const MockListOptions *options,
                   const char            *url,
                   guint                  n_rows,
                   GHashTable            *query,
                   const MockRenderFlags *flags)
{
  memset (p, 0, sizeof *p);
  p->url = url;
  p->n_rows = n_rows;

  if (options->page_size == 0)
    {
      p->page = 1;
      p->from = 0;
      p->to = options->short_last_page ? n_rows / 2 : n_rows;
      if (options->empty_page == 1)
        p->to = 0;
      return FALSE;
    }

  p->page = query_uint (query, "page", 1);
  p->per_page = options->page_size;
  p->shape
    = options->shape != GRIDPANE_MOCK_META_DEFAULT ? options->shape : GRIDPANE_MOCK_META_LARAVEL;
  p->total_extra = options->total_extra;
  p->empty_page = options->empty_page;
  p->short_last_page = options->short_last_page;
  p->repeat_page = flags->repeat_page;
  page_compute (p);
  return TRUE;
}

/* /backups/schedules ----------------------------------------------------- */

static void
append_schedule (GString               *out,
                 const MockFleet       *fleet,
                 const MockSchedule    *schedule,
                 const MockRenderFlags *flags,
                 guint                  odd)
{
  guint frequency = schedule->frequency;
  int   hour = schedule->hour;
  int   day = schedule->day;

  if (odd & GRIDPANE_MOCK_ODD_MONTHLY_DAY_31)
    {
      frequency = MOCK_FREQ_MONTHLY;
      day = 31;
    }
  if (odd & GRIDPANE_MOCK_ODD_HOUR_24)
    hour = 24;

  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", schedule->id);
  g_string_append_printf (out, "\"type\":\"%s\",", schedule->is_remote ? "remote" : "local");
  if (odd & GRIDPANE_MOCK_ODD_NULL_FREQUENCY)
    g_string_append (out, "\"bup_schedule\":null,");
  else
    g_string_append_printf (out, "\"bup_schedule\":\"%s\",",
                            odd & GRIDPANE_MOCK_ODD_FREQUENCY_CASE
                              ? frequency_names_capitalized[frequency]
                              : frequency_names[frequency]);

  if (odd & GRIDPANE_MOCK_ODD_NULL_TIME)
    g_string_append (out, "\"hour\":null,\"minute\":null,");
  else if (schedule->numeric)
    g_string_append_printf (out, "\"hour\":%d,\"minute\":%d,", hour, schedule->minute);
  else
    g_string_append_printf (out, "\"hour\":\"%02d\",\"minute\":\"%02d\",", hour, schedule->minute);

  if (day < 0)
    g_string_append (out, "\"day\":null,");
  else if (schedule->numeric)
    g_string_append_printf (out, "\"day\":%d,", day);
  else
    g_string_append_printf (out, "\"day\":\"%d\",", day);

  /* service_id is the storage kind, service_user_id the integration. */
  if (schedule->is_remote)
    {
      gint64 integration_id = mock_fleet_service_user_id (fleet, schedule);

      g_string_append_printf (out, "\"service_id\":%" G_GINT64_FORMAT ",\"service_name\":\"%s\",",
                              schedule->service_id, schedule->service_name);
      if (integration_id != 0)
        g_string_append_printf (out, "\"service_user_id\":%" G_GINT64_FORMAT "}", integration_id);
      else
        g_string_append (out, "\"service_user_id\":null}");
    }
  else
    g_string_append (out, "\"service_id\":null,\"service_name\":null,\"service_user_id\":null}");
}

static void
append_schedule_entry (GString               *out,
                       const MockFleet       *fleet,
                       guint                  index,
                       const MockOddRow       odd_rows[MOCK_N_ODD],
                       const MockRenderFlags *flags)
{
  const MockSite *site = &g_array_index (fleet->sites, MockSite, index);

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
      append_schedule (out, fleet, &site->schedules[j], flags,
                       fleet->odd != 0 ? odd_bits_for (odd_rows, (gint)index, (gint)j) : 0);
    }
  g_string_append (out, "]}");
}

static void
render_schedules (GString               *out,
                  MockFleet             *fleet,
                  const char            *base_url,
                  GHashTable            *query,
                  const MockRenderFlags *flags)
{
  const MockListOptions *options = &fleet->lists[MOCK_LIST_SCHEDULES];
  g_autofree char       *url = g_strdup_printf ("%s/backups/schedules", base_url);
  MockOddRow             odd_rows[MOCK_N_ODD];
  MockPage               page;
  gboolean               paged;

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

  mock_fleet_pick_odd_rows (fleet, odd_rows);
  paged = backups_list_page (&page, options, url, fleet->sites->len, query, flags);

  g_string_append_c (out, '{');
  append_success (out, fleet);
  g_string_append (out, "\"data\":[");
  for (guint i = page.from; i < page.to; i++)
    {
      if (i > page.from)
        g_string_append_c (out, ',');
      append_schedule_entry (out, fleet, i, odd_rows, flags);
    }
  g_string_append_c (out, ']');
  if (paged)
    append_page_tail (out, &page);
  else if (fleet->schedules_meta || flags->repeat_page)
    append_one_piece_meta (out, url, fleet->sites->len, page.to - page.from, options,
                           flags->repeat_page);
  g_string_append_c (out, '}');
}

/* /backups/integrations -------------------------------------------------- */

static void
append_integration (GString               *out,
                    const MockFleet       *fleet,
                    const MockIntegration *integration,
                    const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", integration->id);
  g_string_append_printf (
    out, "\"service_id\":%" G_GINT64_FORMAT ",\"integrated_service\":", integration->service_id);
  append_json_string (out, integration->kind, FALSE);
  g_string_append (out, ",\"integration_name\":");
  append_json_string (out, integration->name, flags->bad_utf8);
  g_string_append (out, ",\"token\":");
  append_json_string (out, fleet->secret ? fleet->secret : integration->token, FALSE);
  g_string_append (out, ",\"secret_token\":");
  append_json_string (out, fleet->secret ? fleet->secret : integration->secret_token, FALSE);
  if (fleet->secret != NULL)
    {
      /* The sentinel under names no "token"/"secret" rule would catch:
       * only an allowlist keeps it out of the cache. */
      g_string_append (out, ",\"passphrase\":");
      append_json_string (out, fleet->secret, FALSE);
      g_string_append (out, ",\"credentials\":{\"access\":");
      append_json_string (out, fleet->secret, FALSE);
      g_string_append_printf (out, "},\"endpoint_url\":\"https://backup:%s@s3.example.com\"",
                              fleet->secret);
    }
  g_string_append (out, ",\"region\":");
  append_nullable_string (out, integration->region);
  g_string_append_c (out, '}');
}

static void
render_integrations (GString               *out,
                     MockFleet             *fleet,
                     const char            *base_url,
                     GHashTable            *query,
                     const MockRenderFlags *flags)
{
  const MockListOptions *options = &fleet->lists[MOCK_LIST_INTEGRATIONS];
  g_autofree char       *url = g_strdup_printf ("%s/backups/integrations", base_url);
  MockPage               page;
  gboolean               paged;

  if (flags->wrong_types == 1)
    {
      g_string_append (out, "{\"success\":true,\"message\":[],\"integrations\":\"oops\"}");
      return;
    }
  if (flags->wrong_types == 2)
    {
      g_string_append (out,
                       "{\"success\":true,\"message\":\"Integrations retrieved\",\"integrations\":["
                       "{\"id\":{\"id\":2705},\"service_id\":\"five\",\"integrated_service\":5,"
                       "\"integration_name\":[],\"token\":{},\"secret_token\":[],\"region\":7}]}");
      return;
    }

  paged = backups_list_page (&page, options, url, fleet->integrations->len, query, flags);

  g_string_append_c (out, '{');
  append_success (out, fleet);
  g_string_append (out, "\"message\":\"Integrations retrieved successfully\",\"integrations\":[");
  for (guint i = page.from; i < page.to; i++)
    {
      if (i > page.from)
        g_string_append_c (out, ',');
      append_integration (out, fleet, &g_array_index (fleet->integrations, MockIntegration, i),
                          flags);
    }
  g_string_append_c (out, ']');
  if (paged)
    append_page_tail (out, &page);
  else if (flags->repeat_page)
    append_one_piece_meta (out, url, fleet->integrations->len, page.to - page.from, options, TRUE);
  g_string_append_c (out, '}');
}

/* /site and /server ------------------------------------------------------ */

static const MockServer *
find_server (const MockFleet *fleet, guint from, guint to, gint64 server_id, guint *index)
{
  /* Servers are sorted by id. */
  guint lo = from;
  guint hi = to;

  while (lo < hi)
    {
      guint             mid = lo + (hi - lo) / 2;
      const MockServer *server = &g_array_index (fleet->servers, MockServer, mid);

      if (server->id == server_id)
        {
          if (index != NULL)
            *index = mid;
          return server;
        }
      if (server->id < server_id)
        lo = mid + 1;
      else
        hi = mid;
    }
  return NULL;
}

static void
append_timezone (GString *out, const MockServer *server)
{
  if (server->timezone != NULL)
    g_string_append_printf (out, ",\"server_timezone\":\"%s\"", server->timezone);
  else if (server->tz_null)
    g_string_append (out, ",\"server_timezone\":null");
}

/* A /server item: no time zone (only the server embedded in /site has
 * one), and `sites` naming every site on it, staging and canary too. */
static void
append_server (GString               *out,
               const MockServer      *server,
               const GString         *sites,
               const MockRenderFlags *flags)
{
  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", server->id);
  g_string_append (out, "\"label\":");
  append_json_string (out, server->label, flags->bad_utf8);
  g_string_append_printf (out,
                          ",\"ip\":\"%s\",\"region\":\"%s\",\"status\":\"%s\","
                          "\"webserver\":\"%s\",\"database\":\"%s\",\"update_backups\":%s,"
                          "\"provider\":\"%s\",\"sites\":[",
                          server->ip, server->region, server->status, server->webserver,
                          server->database, server->update_backups ? "true" : "false",
                          server->provider);
  /* Each site was written with a leading comma. */
  if (sites->len > 0)
    g_string_append_len (out, sites->str + 1, sites->len - 1);
  g_string_append (out, "]}");
}

static void
append_site (GString               *out,
             const MockFleet       *fleet,
             const MockSite        *site,
             const MockRenderFlags *flags,
             guint                  odd)
{
  const MockServer *server;

  g_string_append_c (out, '{');
  if (!flags->omit_ids)
    g_string_append_printf (out, "\"id\":%" G_GINT64_FORMAT ",", site->id);
  g_string_append (out, "\"url\":");
  append_json_string (out, site->url, flags->bad_utf8);
  g_string_append_printf (out, ",\"server_id\":%" G_GINT64_FORMAT ",\"type\":\"%s\",",
                          site->server_id, site_types[site->type]);
  if (odd & GRIDPANE_MOCK_ODD_FLAG_WORD)
    g_string_append_printf (out, "\"local_bup\":\"%s\",", site->local_bup ? "enabled" : "disabled");
  else if (!(odd & GRIDPANE_MOCK_ODD_MISSING_FLAG))
    g_string_append_printf (out, "\"local_bup\":%s,", site->local_bup ? "true" : "false");
  g_string_append_printf (out, "\"remote_bup\":%s,\"local_bup_threshold\":%u,\"site_customizer\":",
                          site->remote_bup ? "true" : "false", site->local_bup_threshold);

  /* Laravel writes an empty object as []. */
  if (odd & GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER)
    g_string_append (out, "[]");
  else
    {
      char token[MOCK_APPLICATION_TOKEN_LEN + 1];

      mock_fleet_site_application_token (fleet, site, token);
      if (fleet->secret != NULL)
        g_strlcpy (token, fleet->secret, sizeof token);
      g_string_append_printf (out,
                              "{\"local_prune_schedule\":%u,\"local_retain_days\":%u,"
                              "\"remote_prune_schedule\":%u,\"remote_retain_days\":%u,"
                              "\"application_token\":\"%s\"}",
                              site->local_prune, site->local_retain, site->remote_prune,
                              site->remote_retain, token);
    }

  server = find_server (fleet, 0, fleet->servers->len, site->server_id, NULL);
  if (server != NULL)
    {
      g_string_append_printf (out,
                              ",\"server\":{\"id\":%" G_GINT64_FORMAT ",\"label\":", server->id);
      append_json_string (out, server->label, flags->bad_utf8);
      g_string_append_printf (out, ",\"ip\":\"%s\"", server->ip);
      append_timezone (out, server);
      g_string_append_c (out, '}');
    }
  g_string_append_c (out, '}');
}

static void
string_free (gpointer data)
{
  g_string_free (data, TRUE);
}

/* The `sites` of servers [from, to), in one pass over the sites. */
static GPtrArray *
sites_of_servers (const MockFleet *fleet, guint from, guint to, const MockRenderFlags *flags)
{
  GPtrArray *lists = g_ptr_array_new_full (to - from, string_free);

  for (guint i = from; i < to; i++)
    g_ptr_array_add (lists, g_string_new (NULL));
  if (from >= to)
    return lists;

  for (guint i = 0; i < fleet->sites->len; i++)
    {
      const MockSite *site = &g_array_index (fleet->sites, MockSite, i);
      guint           index;
      GString        *list;

      if (find_server (fleet, from, to, site->server_id, &index) == NULL)
        continue;
      list = g_ptr_array_index (lists, index - from);
      g_string_append_c (list, ',');
      if (!flags->omit_ids)
        g_string_append_printf (list, "{\"id\":%" G_GINT64_FORMAT ",\"url\":", site->id);
      else
        g_string_append (list, "{\"url\":");
      append_json_string (list, site->url, flags->bad_utf8);
      g_string_append_c (list, '}');
    }
  return lists;
}

static void
render_paginated (GString               *out,
                  MockFleet             *fleet,
                  const char            *base_url,
                  MockList               list,
                  GHashTable            *query,
                  guint                  max_per_page,
                  const MockRenderFlags *flags)
{
  const MockListOptions *options = &fleet->lists[list];
  gboolean               sites = list == MOCK_LIST_SITES;
  g_autofree char       *url = g_strdup_printf ("%s/%s", base_url, sites ? "site" : "server");
  guint                  per_page_param = query_uint (query, "per_page", 0);
  MockPage               page = { 0 };

  if (flags->wrong_types == 1)
    {
      g_string_append (out, "{\"data\":\"oops\",\"links\":[],\"meta\":\"oops\"}");
      return;
    }
  if (flags->wrong_types == 2)
    {
      if (sites)
        g_string_append (
          out, "{\"data\":[{\"id\":{\"id\":869017},\"url\":5,\"server_id\":\"x\",\"type\":1,"
               "\"local_bup\":\"yes\",\"remote_bup\":{},\"site_customizer\":\"none\","
               "\"server\":{\"id\":[],\"server_timezone\":3}}],");
      else
        g_string_append (
          out, "{\"data\":[{\"id\":{\"id\":41011},\"label\":7,\"ip\":[],\"update_backups\":\"yes\","
               "\"sites\":\"none\"}],");
      g_string_append_printf (
        out,
        "\"links\":{\"first\":\"%s?page=1\",\"last\":\"%s?page=1\",\"prev\":null,"
        "\"next\":null},\"meta\":{\"current_page\":\"one\",\"from\":1,\"last_page\":\"1\","
        "\"path\":\"%s\",\"per_page\":\"10\",\"to\":1,\"total\":\"1\",\"total_pages\":\"1\"}}",
        url, url, url);
      return;
    }

  page.url = url;
  page.n_rows = sites ? fleet->sites->len : fleet->servers->len;
  page.page = query_uint (query, "page", 1);
  page.per_page
    = per_page_param > 0 ? MIN (per_page_param, MAX (max_per_page, 1)) : DEFAULT_PER_PAGE;
  /* GridPane's links carry per_page when the client sent it, as served. */
  page.per_page_param = per_page_param > 0 ? page.per_page : 0;
  page.shape = options->shape;
  if (page.shape == GRIDPANE_MOCK_META_DEFAULT)
    page.shape = sites ? GRIDPANE_MOCK_META_COMPACT : GRIDPANE_MOCK_META_LARAVEL;
  page.total_extra = options->total_extra;
  page.empty_page = options->empty_page;
  page.short_last_page = options->short_last_page;
  page.repeat_page = flags->repeat_page;
  page_compute (&page);

  g_string_append (out, "{\"data\":[");
  if (sites)
    {
      MockOddRow odd_rows[MOCK_N_ODD];

      mock_fleet_pick_odd_rows (fleet, odd_rows);
      for (guint i = page.from; i < page.to; i++)
        {
          if (i > page.from)
            g_string_append_c (out, ',');
          append_site (out, fleet, &g_array_index (fleet->sites, MockSite, i), flags,
                       fleet->odd != 0 ? odd_bits_for (odd_rows, (gint)i, -1) : 0);
        }
    }
  else
    {
      g_autoptr (GPtrArray) site_lists = sites_of_servers (fleet, page.from, page.to, flags);

      for (guint i = page.from; i < page.to; i++)
        {
          if (i > page.from)
            g_string_append_c (out, ',');
          append_server (out, &g_array_index (fleet->servers, MockServer, i),
                         g_ptr_array_index (site_lists, i - page.from), flags);
        }
    }
  g_string_append_c (out, ']');
  append_page_tail (out, &page);
  g_string_append_c (out, '}');
}

/* /user ------------------------------------------------------------------ */

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

/* Entry points ----------------------------------------------------------- */

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
  int                          list;

  if (flags == NULL)
    flags = &no_flags;

  list = mock_fleet_list_for_path (path);
  switch (list)
    {
    case MOCK_LIST_SCHEDULES:
      /* About 230 bytes a schedule: size the buffer once. */
      out = g_string_sized_new (256 + fleet->sites->len * 120
                                + mock_fleet_count_schedules (fleet) * 240);
      render_schedules (out, fleet, base_url, query, flags);
      break;

    case MOCK_LIST_INTEGRATIONS:
      out = g_string_sized_new (256 + fleet->integrations->len * 256);
      render_integrations (out, fleet, base_url, query, flags);
      break;

    case MOCK_LIST_SITES:
    case MOCK_LIST_SERVERS:
      out = g_string_sized_new (4096);
      render_paginated (out, fleet, base_url, (MockList)list, query, max_per_page, flags);
      break;

    default:
      if (mock_restore_points_route (path) != NULL)
        {
          guint status;

          return mock_restore_points_render (fleet, path, g_get_real_time () / G_USEC_PER_SEC,
                                             &status);
        }
      if (!g_str_equal (path, "/user"))
        return NULL;
      out = g_string_sized_new (256);
      render_user (out, fleet, flags);
      break;
    }

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
            "%s{\"id\":%" G_GINT64_FORMAT ",\"service_id\":5,\"integrated_service\":\"aws-s3\","
            "\"integration_name\":\"huge %" G_GINT64_FORMAT "\",\"token\":\"x\","
            "\"secret_token\":\"y\",\"region\":null}",
            id > 1 ? "," : "", 2700 + id, id);
          id++;
        }
      g_string_append (out, "]}");
    }
  else if (g_str_equal (path, "/site"))
    {
      g_string_append (out, "{\"data\":[");
      while (out->len < HUGE_BODY_SIZE)
        {
          g_string_append_printf (
            out,
            "%s{\"id\":%" G_GINT64_FORMAT ",\"url\":\"huge%" G_GINT64_FORMAT ".%s\","
            "\"server_id\":41011,\"type\":\"primary\",\"local_bup\":true,"
            "\"remote_bup\":true,\"local_bup_threshold\":90,\"site_customizer\":"
            "{\"local_prune_schedule\":0,\"local_retain_days\":30,"
            "\"remote_prune_schedule\":0,\"remote_retain_days\":30},"
            "\"server\":{\"id\":41011,\"label\":\"huge\",\"ip\":\"10.0.0.1\","
            "\"server_timezone\":\"Etc/UTC\"}}",
            id > 1 ? "," : "", 869000 + id, id, fleet->domain);
          id++;
        }
      g_string_append_printf (out,
                              "],\"meta\":{\"current_page\":1,\"total_pages\":1,"
                              "\"total\":%" G_GINT64_FORMAT "}}",
                              id - 1);
    }
  else if (g_str_equal (path, "/server"))
    {
      g_string_append (out, "{\"data\":[");
      while (out->len < HUGE_BODY_SIZE)
        {
          g_string_append_printf (
            out,
            "%s{\"id\":%" G_GINT64_FORMAT ",\"label\":\"huge-%" G_GINT64_FORMAT "\","
            "\"ip\":\"10.0.0.1\",\"region\":\"nyc1\",\"status\":\"active\","
            "\"webserver\":\"nginx\",\"database\":\"mysql\",\"update_backups\":true,"
            "\"provider\":\"custom\",\"sites\":[]}",
            id > 1 ? "," : "", 41000 + id, id);
          id++;
        }
      g_string_append_printf (
        out,
        "],\"links\":{\"first\":null,\"last\":null,\"prev\":null,\"next\":null},"
        "\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":1,\"links\":[],\"path\":\"%s\","
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
