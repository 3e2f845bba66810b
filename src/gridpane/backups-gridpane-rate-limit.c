/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-rate-limit.c
 *
 * The rate-limit header arithmetic (gridpane-api.md, Rate limits): how long
 * to wait after a 429, and how to pace requests before one can happen.
 */
#include "config.h"

#include "backups-gridpane-parser.h"

/* Header values past this are garbage, not seconds nor a unix time. */
#define MAX_HEADER_SECONDS 1.0e12
/* Retry-After-Endpoint is rounded down to whole seconds: one more. */
#define RETRY_AFTER_SLACK_MS 1000
/* A reset already past (clock skew) still deserves a short pause. */
#define MIN_PAST_RESET_DELAY_MS 1000
/* Reset times are whole seconds; a little margin keeps the next request
 * from landing just before the window turns. */
#define RESET_MARGIN_MS 100
/* A budget at or below this share of the limit is spread over the window. */
#define LOW_BUDGET_FRACTION 0.25

/* Parses a header holding a number of seconds (or a unix time), possibly
 * with a fraction. Absent, empty, negative or garbage: FALSE. */
static gboolean
parse_seconds (const char *header, double *out)
{
  g_autofree char *copy = NULL;
  char            *end = NULL;
  double           value;

  if (header == NULL)
    return FALSE;
  copy = g_strstrip (g_strdup (header));
  if (copy[0] == '\0' || !(g_ascii_isdigit (copy[0]) || copy[0] == '.'))
    return FALSE;

  value = g_ascii_strtod (copy, &end);
  if (end == NULL || *end != '\0' || !(value >= 0.0 && value < MAX_HEADER_SECONDS))
    return FALSE;
  *out = value;
  return TRUE;
}

/* Below this a "reset" is a number of seconds, not a unix time. */
#define UNIX_TIME_THRESHOLD 1000000000.0

static gint64
reset_to_delay_ms (double reset, gint64 now_ms)
{
  if (reset < UNIX_TIME_THRESHOLD)
    return (gint64)(reset * 1000.0);
  return (gint64)(reset * 1000.0) - now_ms;
}

gint64
backups_gridpane_retry_delay_ms (const char *retry_after_endpoint,
                                 const char *endpoint_reset,
                                 gint64      now_ms,
                                 guint       default_ms)
{
  gint64 max_ms = MAX ((gint64)default_ms, BACKUPS_GRIDPANE_MAX_DELAY_MS);
  gint64 delay;
  double seconds;

  if (parse_seconds (retry_after_endpoint, &seconds))
    delay = (gint64)(seconds * 1000.0) + RETRY_AFTER_SLACK_MS;
  else if (parse_seconds (endpoint_reset, &seconds))
    delay = MAX (reset_to_delay_ms (seconds, now_ms), MIN_PAST_RESET_DELAY_MS);
  else
    delay = default_ms;

  return CLAMP (delay, 0, max_ms);
}

gint64
backups_gridpane_pacing_delay_ms (
  const char *remaining, const char *limit, const char *reset, gint64 now_ms, guint window_ms)
{
  double remaining_value;
  double limit_value;
  double reset_value;
  gint64 until_reset;

  if (!parse_seconds (remaining, &remaining_value))
    return 0;

  if (parse_seconds (reset, &reset_value))
    until_reset = reset_to_delay_ms (reset_value, now_ms);
  else
    until_reset = window_ms;
  until_reset = CLAMP (until_reset, 0, BACKUPS_GRIDPANE_MAX_DELAY_MS);

  if (remaining_value < 1.0)
    {
      return MIN (until_reset + RESET_MARGIN_MS, BACKUPS_GRIDPANE_MAX_DELAY_MS);
    }

  if (!parse_seconds (limit, &limit_value) || limit_value < 1.0)
    return 0;

  /* Spreading what is left only helps when the server says when the
   * window turns; guessed, it only makes the sync slower. */
  if (reset != NULL && remaining_value <= limit_value * LOW_BUDGET_FRACTION)
    return until_reset / ((gint64)remaining_value + 1);

  return 0;
}
