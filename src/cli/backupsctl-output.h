/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-output.h
 *
 * The three shapes backupsctl prints: aligned tables for people, and JSON
 * or CSV records for scripts. Records carry typed cells so JSON gets
 * numbers, booleans and null where DESIGN.md asks for them.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

typedef enum
{
  BACKUPSCTL_FORMAT_TABLE,
  BACKUPSCTL_FORMAT_JSON,
  BACKUPSCTL_FORMAT_CSV,
} BackupsctlFormat;

gboolean backupsctl_format_parse (const char *str, BackupsctlFormat *format);

/* Rows of typed cells under fixed snake_case keys. */
typedef struct _BackupsctlRecords BackupsctlRecords;

BackupsctlRecords *backupsctl_records_new (const char *const *keys);
void               backupsctl_records_free (BackupsctlRecords *records);

/* Starts a row; then add exactly one cell per key, in key order. */
void backupsctl_records_begin_row (BackupsctlRecords *records);
/* NULL becomes null. */
void backupsctl_records_add_string (BackupsctlRecords *records, const char *value);
void backupsctl_records_add_int (BackupsctlRecords *records, gint64 value);
void backupsctl_records_add_boolean (BackupsctlRecords *records, gboolean value);
void backupsctl_records_add_null (BackupsctlRecords *records);
/* A JSON array of strings (`values` NULL-terminated); in CSV one field,
 * the strings joined by `csv_separator`. */
void backupsctl_records_add_strings (BackupsctlRecords *records,
                                     const char *const *values,
                                     const char        *csv_separator);

/* One JSON array of objects, pretty-printed, ending in a newline. */
char *backupsctl_records_to_json (BackupsctlRecords *records);
/* RFC 4180: a header row of the keys, CRLF line ends, quoting as needed. */
char *backupsctl_records_to_csv (BackupsctlRecords *records);

/* Quotes one CSV field when it holds a comma, a quote, CR or LF. */
void backupsctl_csv_append_field (GString *out, const char *value);

/* An aligned text table with a header row. */
typedef struct _BackupsctlTable BackupsctlTable;

BackupsctlTable *backupsctl_table_new (const char *const *headers);
void             backupsctl_table_free (BackupsctlTable *table);
/* `cells` holds one string per header; NULL cells print as a dash. */
void  backupsctl_table_add_row (BackupsctlTable *table, const char *const *cells);
guint backupsctl_table_get_n_rows (BackupsctlTable *table);
/* Makes the table at most `max_width` terminal columns wide by shortening
 * the longest values with "…" (0, the default: as wide as its cells). */
void  backupsctl_table_set_max_width (BackupsctlTable *table, guint max_width);
/* The columns (by header) to hide, in this order, when the table cannot
 * fit its max width otherwise; a line under the table names them. */
void  backupsctl_table_set_drop_order (BackupsctlTable *table, const char *const *headers);
/* A column (by header) that is never cut shorter than `width` (nor than
 * its header): times, health words. */
void  backupsctl_table_set_shortest (BackupsctlTable *table, const char *header, guint width);
char *backupsctl_table_to_string (BackupsctlTable *table);

/* `text` broken between words into lines of at most `width` terminal
 * columns (0: one line), the lines after the first indented by `indent`;
 * ends in a newline. A word longer than a line stays whole. */
char *backupsctl_wrap (const char *text, guint width, guint indent);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsctlRecords, backupsctl_records_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsctlTable, backupsctl_table_free)

G_END_DECLS
