/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-json-text-private.h
 *
 * JSON text at the byte level, for both readers of GridPane bodies: the
 * guard that checks a body before json-glib parses it
 * (backups-gridpane-json-tree.c) and the one-pass reader of
 * /backups/schedules (backups-gridpane-json-scan.c). It depends on nothing
 * above GLib.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* JSON's four whitespace characters (RFC 8259); json-glib takes more. */
static inline gboolean
backups_gridpane_json_is_space (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Reads the escape whose letter (after the backslash) is at `p`: the
 * length of the escape from the letter on (1, 5 for \uXXXX, 11 for a
 * surrogate pair), with its character in *c; 0 when it is malformed.
 * \u escapes need four hex digits, and surrogates must pair up: json-glib
 * 1.6 leaks memory on malformed escapes and decodes a lone surrogate into
 * bytes that are not UTF-8. \u0000 is read as the character 0. */
gsize backups_gridpane_json_read_escape (const char *p, const char *end, gunichar *c);

/* TRUE when an integer literal (an optional '-' and `n_digits` digits) is
 * outside gint64; json-glib 1.6 wraps those around. */
gboolean
backups_gridpane_integer_out_of_range (const char *digits, gsize n_digits, gboolean negative);

G_END_DECLS
