/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock-main.c: the mock GridPane API as a standalone server for
 * the demo, the CLI tests and trying things with curl.
 *
 * Prints the base URL on one line, then serves until SIGINT or SIGTERM.
 */
#include "config.h"

#include <signal.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <glib-unix.h>

#include "gridpane-mock.h"

typedef struct
{
  const char           *name;
  GridpaneMockFaultKind kind;
} FaultName;

static const FaultName fault_names[] = {
  { "none", GRIDPANE_MOCK_FAULT_NONE },
  { "status", GRIDPANE_MOCK_FAULT_STATUS },
  { "html", GRIDPANE_MOCK_FAULT_HTML },
  { "truncated", GRIDPANE_MOCK_FAULT_TRUNCATED },
  { "reset", GRIDPANE_MOCK_FAULT_RESET },
  { "invalid-json", GRIDPANE_MOCK_FAULT_INVALID_JSON },
  { "wrong-types", GRIDPANE_MOCK_FAULT_WRONG_TYPES },
  { "missing-fields", GRIDPANE_MOCK_FAULT_MISSING_FIELDS },
  { "slow-body", GRIDPANE_MOCK_FAULT_SLOW_BODY },
  { "huge-body", GRIDPANE_MOCK_FAULT_HUGE_BODY },
  { "non-utf8", GRIDPANE_MOCK_FAULT_NON_UTF8 },
  { "repeat-page", GRIDPANE_MOCK_FAULT_REPEAT_PAGE },
  { "rate-limit", GRIDPANE_MOCK_FAULT_RATE_LIMIT },
  { "rate-limit-bare", GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE },
};

typedef struct
{
  const char           *name;
  GridpaneMockMetaShape shape;
} ShapeName;

static const ShapeName shape_names[] = {
  { "default", GRIDPANE_MOCK_META_DEFAULT },
  { "compact", GRIDPANE_MOCK_META_COMPACT },
  { "laravel", GRIDPANE_MOCK_META_LARAVEL },
  { "links-only", GRIDPANE_MOCK_META_LINKS_ONLY },
  { "next-page-url", GRIDPANE_MOCK_META_NEXT_PAGE_URL },
  { "none", GRIDPANE_MOCK_META_NONE },
};

typedef struct
{
  const char     *name;
  GridpaneMockOdd odd;
} OddName;

static const OddName odd_names[] = {
  { "monthly-day-31", GRIDPANE_MOCK_ODD_MONTHLY_DAY_31 },
  { "frequency-case", GRIDPANE_MOCK_ODD_FREQUENCY_CASE },
  { "hour-24", GRIDPANE_MOCK_ODD_HOUR_24 },
  { "null-frequency", GRIDPANE_MOCK_ODD_NULL_FREQUENCY },
  { "empty-customizer", GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER },
  { "flag-word", GRIDPANE_MOCK_ODD_FLAG_WORD },
  { "null-time", GRIDPANE_MOCK_ODD_NULL_TIME },
  { "missing-flag", GRIDPANE_MOCK_ODD_MISSING_FLAG },
  { "success-string", GRIDPANE_MOCK_ODD_SUCCESS_STRING },
};

typedef enum
{
  LIST_KNOB_META,
  LIST_KNOB_TOTAL_EXTRA,
  LIST_KNOB_SHORT_LAST_PAGE,
  LIST_KNOB_EMPTY_PAGE,
  LIST_KNOB_PAGE_SIZE,
} ListKnob;

static gboolean
quit_loop (gpointer user_data)
{
  g_main_loop_quit (user_data);
  return G_SOURCE_CONTINUE;
}

static gboolean
parse_uint (const char *str, guint *out)
{
  guint64 value;

  if (!g_ascii_string_to_unsigned (str, 10, 0, G_MAXUINT, &value, NULL))
    return FALSE;
  *out = (guint)value;
  return TRUE;
}

/* PATH=KIND[:N[:TIMES]]; N is the status (status, html, wrong-types) or the
 * delay in ms (slow-body, rate-limit). */
static gboolean
add_fault (GridpaneMock *mock, const char *spec, GError **error)
{
  g_auto (GStrv) halves = g_strsplit (spec, "=", 2);
  g_auto (GStrv) parts = NULL;
  const FaultName *found = NULL;
  guint            number = 0;
  guint            times = 0;
  const char      *path;

  if (g_strv_length (halves) != 2 || halves[0][0] != '/')
    goto invalid;

  path = halves[0];
  parts = g_strsplit (halves[1], ":", 3);
  for (guint i = 0; i < G_N_ELEMENTS (fault_names); i++)
    if (g_str_equal (parts[0], fault_names[i].name))
      found = &fault_names[i];
  if (found == NULL)
    goto invalid;
  if (parts[1] != NULL && parts[1][0] != '\0' && !parse_uint (parts[1], &number))
    goto invalid;
  if (parts[1] != NULL && parts[2] != NULL && !parse_uint (parts[2], &times))
    goto invalid;

  if (found->kind == GRIDPANE_MOCK_FAULT_SLOW_BODY || found->kind == GRIDPANE_MOCK_FAULT_RATE_LIMIT)
    gridpane_mock_set_fault (mock, NULL, g_str_equal (path, "/*") ? NULL : path, found->kind, 0,
                             number, times);
  else
    gridpane_mock_set_fault (mock, NULL, g_str_equal (path, "/*") ? NULL : path, found->kind,
                             number, 0, times);
  return TRUE;

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
               "Invalid --fault '%s': expected PATH=KIND[:N[:TIMES]]", spec);
  return FALSE;
}

static gboolean
is_list_path (const char *path)
{
  return g_str_equal (path, "/site") || g_str_equal (path, "/server")
         || g_str_equal (path, "/backups/schedules") || g_str_equal (path, "/backups/integrations");
}

/* PATH=VALUE (PATH alone for --short-last-page), for every account. */
static gboolean
set_list_knob (GridpaneMock *mock, ListKnob knob, const char *spec, GError **error)
{
  g_auto (GStrv) halves = g_strsplit (spec, "=", 2);
  const char *path = halves[0];
  const char *value = halves[1];
  guint       number = 0;

  if (!is_list_path (path))
    goto invalid;

  switch (knob)
    {
    case LIST_KNOB_META:
      for (guint i = 0; value != NULL && i < G_N_ELEMENTS (shape_names); i++)
        if (g_str_equal (value, shape_names[i].name))
          {
            gridpane_mock_set_meta_shape (mock, NULL, path, shape_names[i].shape);
            return TRUE;
          }
      goto invalid;

    case LIST_KNOB_SHORT_LAST_PAGE:
      if (value != NULL)
        goto invalid;
      gridpane_mock_set_short_last_page (mock, NULL, path, TRUE);
      return TRUE;

    case LIST_KNOB_TOTAL_EXTRA:
    case LIST_KNOB_EMPTY_PAGE:
    case LIST_KNOB_PAGE_SIZE:
    default:
      if (value == NULL || !parse_uint (value, &number))
        goto invalid;
      if (knob == LIST_KNOB_TOTAL_EXTRA)
        gridpane_mock_set_total_extra (mock, NULL, path, number);
      else if (knob == LIST_KNOB_EMPTY_PAGE)
        gridpane_mock_set_empty_page (mock, NULL, path, number);
      else if (g_str_has_prefix (path, "/backups/"))
        gridpane_mock_set_list_page_size (mock, NULL, path, number);
      else
        goto invalid;
      return TRUE;
    }

invalid:
  g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE, "Invalid list option '%s'", spec);
  return FALSE;
}

/* NAME[,NAME...] of odd_names. */
static gboolean
parse_odd (const char *spec, guint *odd, GError **error)
{
  g_auto (GStrv) names = g_strsplit (spec, ",", -1);

  for (guint i = 0; names[i] != NULL; i++)
    {
      guint j;

      for (j = 0; j < G_N_ELEMENTS (odd_names); j++)
        if (g_str_equal (g_strstrip (names[i]), odd_names[j].name))
          break;
      if (j == G_N_ELEMENTS (odd_names))
        {
          g_set_error (error, G_OPTION_ERROR, G_OPTION_ERROR_BAD_VALUE,
                       "Invalid --odd '%s': unknown value '%s'", spec, names[i]);
          return FALSE;
        }
      *odd |= odd_names[j].odd;
    }
  return TRUE;
}

static void
add_demo_accounts (GridpaneMock *mock)
{
  const GridpaneMockFleetOptions acme_main = {
    .seed = 2024,
    .n_servers = 6,
    .n_sites = 60,
    .n_integrations = 5,
    .name_prefix = "acme",
  };
  const GridpaneMockFleetOptions acme_clients = {
    .seed = 2025,
    .n_servers = 4,
    .n_sites = 35,
    .n_integrations = 3,
    .name_prefix = "acme-clients",
  };
  const GridpaneMockFleetOptions globex = {
    .seed = 7,
    .n_servers = 3,
    .n_sites = 25,
    .n_integrations = 4,
    .name_prefix = "globex",
  };

  gridpane_mock_add_account (mock, "demo-acme-main", &acme_main);
  gridpane_mock_add_account (mock, "demo-acme-clients", &acme_clients);
  gridpane_mock_add_account (mock, "demo-globex", &globex);
  gridpane_mock_set_rate_limits (mock, FALSE, 12, 60, 60, 27);

  /* Sites of every health (issue 14): the generated fleets have protected
   * sites, sites without any schedule, automatic backups off, no remote,
   * weekly-only and unknown integrations; add what a real fleet also has:
   * seven sites of one server starting at 03:00 (crowded start with the
   * default policy of 5) and a site flag GridPane left out and an hour it
   * could not mean (Unknown). Short retention needs a policy above 30 days:
   * GridPane keeps 0 (forever), 30, 90, 180 or 360. */
  gridpane_mock_crowd_start (mock, "demo-acme-main", 7, 3, 0);
  gridpane_mock_set_odd_values (mock, "demo-globex",
                                GRIDPANE_MOCK_ODD_MISSING_FLAG | GRIDPANE_MOCK_ODD_HOUR_24);
}

int
main (int argc, char *argv[])
{
  g_autoptr (GOptionContext) context = NULL;
  g_autoptr (GridpaneMock) mock = NULL;
  g_autoptr (GMainLoop) loop = NULL;
  g_autoptr (GError) error = NULL;
  g_autofree char *base_url = NULL;
  g_auto (GStrv) tokens = NULL;
  g_auto (GStrv) faults = NULL;
  g_auto (GStrv) metas = NULL;
  g_auto (GStrv) odds = NULL;
  g_auto (GStrv) total_extras = NULL;
  g_auto (GStrv) short_pages = NULL;
  g_auto (GStrv) empty_pages = NULL;
  g_auto (GStrv) page_sizes = NULL;
  g_autofree char   *prefix = NULL;
  int                port = 0;
  int                seed = 1;
  int                n_servers = 0;
  int                n_sites = 0;
  int                n_integrations = 0;
  int                latency_ms = 0;
  gboolean           no_rate_limit = FALSE;
  gboolean           demo = FALSE;
  gboolean           no_dangling = FALSE;
  guint              odd = 0;
  int                endpoint_limit = 12;
  int                total_limit = 60;
  double             window_seconds = 60.0;
  int                retry_after = 27;
  int                max_per_page = 300;
  guint              sigint_id;
  guint              sigterm_id;
  const GOptionEntry entries[]
    = { { "port", 0, 0, G_OPTION_ARG_INT, &port, "Port to listen on (0 = any free port)", "PORT" },
        { "seed", 0, 0, G_OPTION_ARG_INT, &seed, "Fleet generator seed (default 1)", "N" },
        { "servers", 0, 0, G_OPTION_ARG_INT, &n_servers, "Servers per account (default 5)", "N" },
        { "sites", 0, 0, G_OPTION_ARG_INT, &n_sites, "Sites per account (default 40)", "N" },
        { "integrations", 0, 0, G_OPTION_ARG_INT, &n_integrations,
          "Integrations per account (default 6)", "N" },
        { "prefix", 0, 0, G_OPTION_ARG_STRING, &prefix,
          "Name prefix of labels, URLs and integrations (default fleet)", "PREFIX" },
        { "token", 0, 0, G_OPTION_ARG_STRING_ARRAY, &tokens,
          "Accepted API token, one account each (repeatable; default mock-token)", "TOKEN" },
        { "latency-ms", 0, 0, G_OPTION_ARG_INT, &latency_ms, "Latency added to every response",
          "MS" },
        { "no-rate-limit", 0, 0, G_OPTION_ARG_NONE, &no_rate_limit, "Disable rate limiting", NULL },
        { "endpoint-limit", 0, 0, G_OPTION_ARG_INT, &endpoint_limit,
          "Requests per endpoint per window (default 12)", "N" },
        { "total-limit", 0, 0, G_OPTION_ARG_INT, &total_limit,
          "Requests per window overall (default 60)", "N" },
        { "window-seconds", 0, 0, G_OPTION_ARG_DOUBLE, &window_seconds,
          "Rate-limit window (default 60)", "SECONDS" },
        { "retry-after", 0, 0, G_OPTION_ARG_INT, &retry_after,
          "Largest Retry-After-Endpoint sent (default 27)", "SECONDS" },
        { "max-per-page", 0, 0, G_OPTION_ARG_INT, &max_per_page,
          "Largest page size served (default 300)", "N" },
        { "fault", 0, 0, G_OPTION_ARG_STRING_ARRAY, &faults,
          "Inject a fault on every request to PATH (/* = all); KIND is one of "
          "status, html, truncated, reset, invalid-json, wrong-types, missing-fields, slow-body, "
          "huge-body, non-utf8, "
          "repeat-page, rate-limit, rate-limit-bare (repeatable)",
          "PATH=KIND[:N[:TIMES]]" },
        { "meta", 0, 0, G_OPTION_ARG_STRING_ARRAY, &metas,
          "Pagination shape of a list: default, compact, laravel, links-only, next-page-url or "
          "none (repeatable)",
          "PATH=SHAPE" },
        { "total-extra", 0, 0, G_OPTION_ARG_STRING_ARRAY, &total_extras,
          "meta.total of a list says N rows more than it has (repeatable)", "PATH=N" },
        { "short-last-page", 0, 0, G_OPTION_ARG_STRING_ARRAY, &short_pages,
          "A list is one page with half of its rows (repeatable)", "PATH" },
        { "empty-page", 0, 0, G_OPTION_ARG_STRING_ARRAY, &empty_pages,
          "Page N of a list answers no rows (repeatable)", "PATH=N" },
        { "list-page-size", 0, 0, G_OPTION_ARG_STRING_ARRAY, &page_sizes,
          "Page /backups/schedules or /backups/integrations by N (repeatable)", "PATH=N" },
        { "odd", 0, 0, G_OPTION_ARG_STRING_ARRAY, &odds,
          "Serve odd values, one row each: monthly-day-31, frequency-case, hour-24, "
          "null-frequency, empty-customizer, flag-word, null-time, missing-flag, success-string "
          "(comma-separated, repeatable)",
          "NAME[,NAME...]" },
        { "no-dangling-integration", 0, 0, G_OPTION_ARG_NONE, &no_dangling,
          "Every remote schedule names an existing integration", NULL },
        { "demo", 0, 0, G_OPTION_ARG_NONE, &demo,
          "Serve three demo accounts (demo-acme-main, demo-acme-clients, demo-globex) without rate "
          "limits",
          NULL },
        { NULL } };

  context = g_option_context_new ("- mock GridPane API server");
  g_option_context_add_main_entries (context, entries, NULL);
  if (!g_option_context_parse (context, &argc, &argv, &error))
    {
      g_printerr ("%s\n", error->message);
      return 2;
    }
  if (port < 0 || port > 65535 || seed < 0 || n_servers < 0 || n_sites < 0 || n_integrations < 0
      || latency_ms < 0 || endpoint_limit < 0 || total_limit < 0 || retry_after < 0
      || max_per_page <= 0 || window_seconds <= 0)
    {
      g_printerr ("Numeric options must be positive (and --port at most 65535)\n");
      return 2;
    }

  /* stdout carries the base URL and nothing else, even with
   * G_MESSAGES_DEBUG set. */
  g_log_writer_default_set_use_stderr (TRUE);

  /* Catch the signals before the slow parts of start-up. */
  loop = g_main_loop_new (NULL, FALSE);
  sigint_id = g_unix_signal_add (SIGINT, quit_loop, loop);
  sigterm_id = g_unix_signal_add (SIGTERM, quit_loop, loop);

  mock = gridpane_mock_new ();
  gridpane_mock_set_latency (mock, latency_ms);
  gridpane_mock_set_max_per_page (mock, max_per_page);
  gridpane_mock_set_rate_limits (mock, !no_rate_limit, endpoint_limit, total_limit, window_seconds,
                                 retry_after);

  if (demo)
    add_demo_accounts (mock);

  if (tokens != NULL || !demo)
    {
      const char *const  default_tokens[] = { "mock-token", NULL };
      const char *const *list = tokens != NULL ? (const char *const *)tokens : default_tokens;
      const char        *base_prefix = prefix != NULL ? prefix : "fleet";

      for (guint i = 0; list[i] != NULL; i++)
        {
          /* Several tokens get distinct fleets: "fleet", "fleet2", … */
          g_autofree char *account_prefix
            = i == 0 ? g_strdup (base_prefix) : g_strdup_printf ("%s%u", base_prefix, i + 1);
          GridpaneMockFleetOptions options = {
            .seed = (guint)seed + i,
            .n_servers = n_servers == 0 ? 0 : (guint)n_servers,
            .n_sites = n_sites == 0 ? 0 : (guint)n_sites,
            .n_integrations = n_integrations == 0 ? 0 : (guint)n_integrations,
            .name_prefix = account_prefix,
          };

          gridpane_mock_add_account (mock, list[i], &options);
        }
    }

  for (guint i = 0; faults != NULL && faults[i] != NULL; i++)
    {
      if (!add_fault (mock, faults[i], &error))
        {
          g_printerr ("%s\n", error->message);
          return 2;
        }
    }

  /* The shape and odd-value options apply to every account above. */
  {
    const struct
    {
      GStrv    specs;
      ListKnob knob;
    } list_options[] = {
      { metas, LIST_KNOB_META },
      { total_extras, LIST_KNOB_TOTAL_EXTRA },
      { short_pages, LIST_KNOB_SHORT_LAST_PAGE },
      { empty_pages, LIST_KNOB_EMPTY_PAGE },
      { page_sizes, LIST_KNOB_PAGE_SIZE },
    };

    for (guint k = 0; k < G_N_ELEMENTS (list_options); k++)
      for (guint i = 0; list_options[k].specs != NULL && list_options[k].specs[i] != NULL; i++)
        if (!set_list_knob (mock, list_options[k].knob, list_options[k].specs[i], &error))
          {
            g_printerr ("%s\n", error->message);
            return 2;
          }
  }
  for (guint i = 0; odds != NULL && odds[i] != NULL; i++)
    if (!parse_odd (odds[i], &odd, &error))
      {
        g_printerr ("%s\n", error->message);
        return 2;
      }
  if (odd != 0)
    gridpane_mock_set_odd_values (mock, NULL, odd);
  if (no_dangling)
    gridpane_mock_set_dangling_integration (mock, NULL, FALSE);

  if (!gridpane_mock_start (mock, (guint)port, &error))
    {
      g_printerr ("Cannot listen on 127.0.0.1:%d: %s\n", port, error->message);
      return 1;
    }

  base_url = gridpane_mock_get_base_url (mock);
  printf ("%s\n", base_url);
  fflush (stdout);

  g_main_loop_run (loop);

  g_source_remove (sigint_id);
  g_source_remove (sigterm_id);
  gridpane_mock_stop (mock);

  return EXIT_SUCCESS;
}
