/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-json-text.c
 *
 * Escapes and integer literals, read the same way by both JSON readers.
 */
#include "config.h"

#include "backups-gridpane-json-text-private.h"

#include <string.h>

#define HEX4_LEN 4 /* the digits of a \u escape */

/* UTF-16 surrogates: a high one must be followed by a \u escape of a low one. */
#define HIGH_SURROGATE_FIRST 0xd800
#define HIGH_SURROGATE_LAST 0xdbff
#define LOW_SURROGATE_FIRST 0xdc00
#define LOW_SURROGATE_LAST 0xdfff
#define SUPPLEMENTARY_FIRST 0x10000

/* The four hex digits at `p`, or -1. */
static int
hex4 (const char *p, const char *end)
{
  int value = 0;

  if (end - p < HEX4_LEN)
    return -1;
  for (int i = 0; i < HEX4_LEN; i++)
    {
      int digit = g_ascii_xdigit_value (p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

static gboolean
is_low_surrogate (int unit)
{
  return unit >= LOW_SURROGATE_FIRST && unit <= LOW_SURROGATE_LAST;
}

gsize
backups_gridpane_json_read_escape (const char *p, const char *end, gunichar *c)
{
  static const char simple[] = "\"\\/bfnrt";
  static const char decoded[] = "\"\\/\b\f\n\r\t";
  const char       *found;
  int               unit;
  int               low;

  if (p >= end)
    return 0;
  if (*p != '\0' && (found = strchr (simple, *p)) != NULL)
    {
      *c = (gunichar)decoded[found - simple];
      return 1;
    }
  if (*p != 'u')
    return 0;

  unit = hex4 (p + 1, end);
  if (unit < 0 || is_low_surrogate (unit))
    return 0;
  if (unit < HIGH_SURROGATE_FIRST || unit > HIGH_SURROGATE_LAST)
    {
      *c = (gunichar)unit;
      return 1 + HEX4_LEN;
    }

  /* A high surrogate: the low half must follow at once. */
  p += 1 + HEX4_LEN;
  if (end - p < 2 || p[0] != '\\' || p[1] != 'u')
    return 0;
  low = hex4 (p + 2, end);
  if (!is_low_surrogate (low))
    return 0;
  *c = SUPPLEMENTARY_FIRST + (((gunichar)unit - HIGH_SURROGATE_FIRST) << 10)
       + ((gunichar)low - LOW_SURROGATE_FIRST);
  return 2 * (1 + HEX4_LEN) + 1;
}

gboolean
backups_gridpane_integer_out_of_range (const char *digits, gsize n_digits, gboolean negative)
{
  static const char max_digits[] = "9223372036854775807";
  static const char min_digits[] = "9223372036854775808";

  while (n_digits > 1 && digits[0] == '0')
    {
      digits++;
      n_digits--;
    }
  if (n_digits != sizeof max_digits - 1)
    return n_digits > sizeof max_digits - 1;
  return memcmp (digits, negative ? min_digits : max_digits, n_digits) > 0;
}
