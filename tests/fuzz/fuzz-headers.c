/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-headers.c: the rate-limit header arithmetic. The input is split at
 * newlines into Retry-After-Endpoint, Endpoint-Reset, Remaining and Limit
 * (a missing line is a missing header); the results must stay within
 * their documented bounds. */
#include "fuzz-common.h"

#include <string.h>

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autofree char *text = g_strndup ((const char *)data, size);
  g_auto (GStrv) lines = g_strsplit (text, "\n", 5);
  const char *fields[4] = { NULL, NULL, NULL, NULL };
  gint64      now_ms = G_GINT64_CONSTANT (1764300000000);
  guint       default_ms = 30000;
  gint64      delay;

  for (guint i = 0; i < 4 && lines[i] != NULL; i++)
    fields[i] = lines[i];
  /* The last byte, if any, varies the default and the clock a little. */
  if (size > 0)
    {
      default_ms = data[size - 1] * 1000u;
      now_ms += (gint64)data[0] * 997;
    }

  delay = backups_gridpane_retry_delay_ms (fields[0], fields[1], now_ms, default_ms);
  if (delay < 0 || delay > MAX ((gint64)default_ms, BACKUPS_GRIDPANE_MAX_DELAY_MS))
    abort ();

  delay = backups_gridpane_pacing_delay_ms (fields[2], fields[3], fields[1], now_ms, default_ms);
  if (delay < 0 || delay > BACKUPS_GRIDPANE_MAX_DELAY_MS)
    abort ();
  return 0;
}
