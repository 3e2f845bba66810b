/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-output.c */
#include "config.h"

#include <glib/gi18n.h>
#include <json-glib/json-glib.h>
#include <string.h>

#include "backupsctl-output.h"

/* What a table shows for a missing value. */
#define TABLE_NO_VALUE "—"

gboolean
backupsctl_format_parse (const char *str, BackupsctlFormat *format)
{
  if (g_strcmp0 (str, "table") == 0)
    *format = BACKUPSCTL_FORMAT_TABLE;
  else if (g_strcmp0 (str, "json") == 0)
    *format = BACKUPSCTL_FORMAT_JSON;
  else if (g_strcmp0 (str, "csv") == 0)
    *format = BACKUPSCTL_FORMAT_CSV;
  else
    return FALSE;

  return TRUE;
}

/* Records ------------------------------------------------------------------ */

typedef enum
{
  CELL_NULL,
  CELL_STRING,
  CELL_INT,
  CELL_BOOLEAN,
  CELL_STRINGS,
} CellKind;

typedef struct
{
  CellKind kind;
  char    *string;
  gint64   number;
  GStrv    strings; /* CELL_STRINGS */
} Cell;

struct _BackupsctlRecords
{
  GStrv      keys;
  guint      n_keys;
  GPtrArray *rows; /* GArray of Cell */
};

static void
cell_clear (gpointer data)
{
  Cell *cell = data;

  g_clear_pointer (&cell->string, g_free);
  g_clear_pointer (&cell->strings, g_strfreev);
}

BackupsctlRecords *
backupsctl_records_new (const char *const *keys)
{
  BackupsctlRecords *records;

  g_return_val_if_fail (keys != NULL && keys[0] != NULL, NULL);

  records = g_new0 (BackupsctlRecords, 1);
  records->keys = g_strdupv ((char **)keys);
  records->n_keys = g_strv_length (records->keys);
  records->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_array_unref);

  return records;
}

void
backupsctl_records_free (BackupsctlRecords *records)
{
  if (records == NULL)
    return;

  g_clear_pointer (&records->keys, g_strfreev);
  g_clear_pointer (&records->rows, g_ptr_array_unref);
  g_free (records);
}

void
backupsctl_records_begin_row (BackupsctlRecords *records)
{
  GArray *row = g_array_sized_new (FALSE, TRUE, sizeof (Cell), records->n_keys);

  g_array_set_clear_func (row, cell_clear);
  g_ptr_array_add (records->rows, row);
}

static void
add_cell (BackupsctlRecords *records, Cell *cell)
{
  GArray *row;

  g_return_if_fail (records->rows->len > 0);

  row = g_ptr_array_index (records->rows, records->rows->len - 1);
  g_return_if_fail (row->len < records->n_keys);
  g_array_append_val (row, *cell);
}

void
backupsctl_records_add_string (BackupsctlRecords *records, const char *value)
{
  Cell cell = { value != NULL ? CELL_STRING : CELL_NULL, g_strdup (value), 0 };

  add_cell (records, &cell);
}

void
backupsctl_records_add_int (BackupsctlRecords *records, gint64 value)
{
  Cell cell = { CELL_INT, NULL, value };

  add_cell (records, &cell);
}

void
backupsctl_records_add_boolean (BackupsctlRecords *records, gboolean value)
{
  Cell cell = { CELL_BOOLEAN, NULL, value ? 1 : 0 };

  add_cell (records, &cell);
}

void
backupsctl_records_add_strings (BackupsctlRecords *records,
                                const char *const *values,
                                const char        *csv_separator)
{
  Cell cell = { CELL_STRINGS, NULL, 0, g_strdupv ((char **)values) };

  /* CSV has no arrays: the strings joined. */
  cell.string = g_strjoinv (csv_separator, cell.strings);
  add_cell (records, &cell);
}

void
backupsctl_records_add_null (BackupsctlRecords *records)
{
  Cell cell = { CELL_NULL, NULL, 0 };

  add_cell (records, &cell);
}

char *
backupsctl_records_to_json (BackupsctlRecords *records)
{
  g_autoptr (JsonBuilder) builder = json_builder_new ();
  g_autoptr (JsonGenerator) generator = json_generator_new ();
  g_autoptr (JsonNode) root = NULL;
  g_autofree char *text = NULL;

  json_builder_begin_array (builder);
  for (guint r = 0; r < records->rows->len; r++)
    {
      GArray *row = g_ptr_array_index (records->rows, r);

      g_assert (row->len == records->n_keys);

      json_builder_begin_object (builder);
      for (guint k = 0; k < records->n_keys; k++)
        {
          const Cell *cell = &g_array_index (row, Cell, k);

          json_builder_set_member_name (builder, records->keys[k]);
          switch (cell->kind)
            {
            case CELL_STRING:
              json_builder_add_string_value (builder, cell->string);
              break;
            case CELL_INT:
              json_builder_add_int_value (builder, cell->number);
              break;
            case CELL_BOOLEAN:
              json_builder_add_boolean_value (builder, cell->number != 0);
              break;
            case CELL_STRINGS:
              json_builder_begin_array (builder);
              for (guint i = 0; cell->strings[i] != NULL; i++)
                json_builder_add_string_value (builder, cell->strings[i]);
              json_builder_end_array (builder);
              break;
            case CELL_NULL:
            default:
              json_builder_add_null_value (builder);
              break;
            }
        }
      json_builder_end_object (builder);
    }
  json_builder_end_array (builder);

  root = json_builder_get_root (builder);
  json_generator_set_root (generator, root);
  json_generator_set_pretty (generator, TRUE);
  json_generator_set_indent (generator, 2);
  text = json_generator_to_data (generator, NULL);

  return g_strconcat (text, "\n", NULL);
}

void
backupsctl_csv_append_field (GString *out, const char *value)
{
  if (value == NULL)
    return;

  if (strpbrk (value, ",\"\r\n") == NULL)
    {
      g_string_append (out, value);
      return;
    }

  g_string_append_c (out, '"');
  for (const char *p = value; *p != '\0'; p++)
    {
      if (*p == '"')
        g_string_append_c (out, '"');
      g_string_append_c (out, *p);
    }
  g_string_append_c (out, '"');
}

char *
backupsctl_records_to_csv (BackupsctlRecords *records)
{
  GString *out = g_string_new (NULL);

  for (guint k = 0; k < records->n_keys; k++)
    {
      if (k > 0)
        g_string_append_c (out, ',');
      backupsctl_csv_append_field (out, records->keys[k]);
    }
  g_string_append (out, "\r\n");

  for (guint r = 0; r < records->rows->len; r++)
    {
      GArray *row = g_ptr_array_index (records->rows, r);

      g_assert (row->len == records->n_keys);

      for (guint k = 0; k < records->n_keys; k++)
        {
          const Cell *cell = &g_array_index (row, Cell, k);

          if (k > 0)
            g_string_append_c (out, ',');

          switch (cell->kind)
            {
            case CELL_STRING:
            case CELL_STRINGS:
              backupsctl_csv_append_field (out, cell->string);
              break;
            case CELL_INT:
              g_string_append_printf (out, "%" G_GINT64_FORMAT, cell->number);
              break;
            case CELL_BOOLEAN:
              g_string_append (out, cell->number != 0 ? "true" : "false");
              break;
            case CELL_NULL:
            default:
              /* An empty field. */
              break;
            }
        }
      g_string_append (out, "\r\n");
    }

  return g_string_free (out, FALSE);
}

/* Tables ------------------------------------------------------------------- */

struct _BackupsctlTable
{
  GStrv      headers;
  guint      n_columns;
  GPtrArray *rows;      /* GStrv */
  guint      max_width; /* 0: as wide as the cells */
  guint     *drop_rank; /* per column: 0 always shown, 1 hidden first, … */
  guint     *shortest;  /* per column: never narrower than this, 0 for the default */
};

/* A column is never made narrower than this (or than its header), so that
 * a shortened value still says what it is. */
#define TABLE_MIN_SHORTENED_WIDTH 8
/* Columns are hidden rather than values cut shorter than this. */
#define TABLE_USEFUL_WIDTH 16
#define TABLE_COLUMN_GAP          2
#define TABLE_ELLIPSIS            "…"

BackupsctlTable *
backupsctl_table_new (const char *const *headers)
{
  BackupsctlTable *table;

  g_return_val_if_fail (headers != NULL && headers[0] != NULL, NULL);

  table = g_new0 (BackupsctlTable, 1);
  table->headers = g_strdupv ((char **)headers);
  table->n_columns = g_strv_length (table->headers);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);
  table->drop_rank = g_new0 (guint, table->n_columns);
  table->shortest = g_new0 (guint, table->n_columns);

  return table;
}

void
backupsctl_table_free (BackupsctlTable *table)
{
  if (table == NULL)
    return;

  g_clear_pointer (&table->headers, g_strfreev);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
  g_free (table->drop_rank);
  g_free (table->shortest);
  g_free (table);
}

void
backupsctl_table_add_row (BackupsctlTable *table, const char *const *cells)
{
  GStrv row = g_new0 (char *, table->n_columns + 1);

  for (guint c = 0; c < table->n_columns; c++)
    {
      const char *cell = cells[c] != NULL && cells[c][0] != '\0' ? cells[c] : TABLE_NO_VALUE;

      /* Keep one row on one line whatever the data holds. */
      row[c] = g_strdelimit (g_strdup (cell), "\t\r\n", ' ');
    }

  g_ptr_array_add (table->rows, row);
}

guint
backupsctl_table_get_n_rows (BackupsctlTable *table)
{
  return table->rows->len;
}

void
backupsctl_table_set_max_width (BackupsctlTable *table, guint max_width)
{
  table->max_width = max_width;
}

void
backupsctl_table_set_drop_order (BackupsctlTable *table, const char *const *headers)
{
  for (guint rank = 0; headers[rank] != NULL; rank++)
    for (guint c = 0; c < table->n_columns; c++)
      if (g_strcmp0 (table->headers[c], headers[rank]) == 0)
        table->drop_rank[c] = rank + 1;
}

void
backupsctl_table_set_shortest (BackupsctlTable *table, const char *header, guint width)
{
  for (guint c = 0; c < table->n_columns; c++)
    if (g_strcmp0 (table->headers[c], header) == 0)
      table->shortest[c] = width;
}

/* The number of terminal columns `text` takes: East Asian wide characters
 * take two, combining marks none. */
static guint
display_width (const char *text)
{
  guint width = 0;

  for (const char *p = text; *p != '\0'; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);

      if (g_unichar_iszerowidth (c))
        continue;
      width += g_unichar_iswide (c) ? 2 : 1;
    }
  return width;
}

/* `text` cut to `width` terminal columns, its end replaced by "…" when it
 * is cut. */
static char *
shorten (const char *text, guint width)
{
  GString *out;
  guint    used = 0;

  if (display_width (text) <= width)
    return g_strdup (text);

  out = g_string_new (NULL);
  for (const char *p = text; *p != '\0' && width > 0; p = g_utf8_next_char (p))
    {
      gunichar c = g_utf8_get_char (p);
      guint    w = g_unichar_iszerowidth (c) ? 0 : g_unichar_iswide (c) ? 2 : 1;

      if (used + w > width - 1)
        break;
      g_string_append_unichar (out, c);
      used += w;
    }
  if (width > 0)
    g_string_append (out, TABLE_ELLIPSIS);
  return g_string_free (out, FALSE);
}

/* A hidden column's width is TABLE_HIDDEN. */
#define TABLE_HIDDEN G_MAXUINT

static guint
total_width (const guint *widths, guint n_columns)
{
  guint total = 0, shown = 0;

  for (guint c = 0; c < n_columns; c++)
    if (widths[c] != TABLE_HIDDEN)
      {
        total += widths[c];
        shown++;
      }
  return total + (shown > 0 ? (shown - 1) * TABLE_COLUMN_GAP : 0);
}

static guint
shortest_width (BackupsctlTable *table, const guint *natural, guint c)
{
  if (table->shortest[c] > 0)
    return MIN (natural[c], MAX (table->shortest[c], display_width (table->headers[c])));
  return MIN (natural[c], MAX (display_width (table->headers[c]), TABLE_MIN_SHORTENED_WIDTH));
}

/* The widths with every shown, shortenable column cut to at most `cap`
 * (never below its shortest). */
static void
cap_widths (BackupsctlTable *table, const guint *natural, guint cap, guint *widths)
{
  for (guint c = 0; c < table->n_columns; c++)
    if (widths[c] != TABLE_HIDDEN)
      widths[c] = MIN (natural[c], MAX (cap, shortest_width (table, natural, c)));
}

/* The largest cap that fits, or 0 when none does. */
static guint
largest_cap (BackupsctlTable *table, const guint *natural, guint *widths)
{
  guint lowest = 0, highest = 0;

  for (guint c = 0; c < table->n_columns; c++)
    if (widths[c] != TABLE_HIDDEN)
      highest = MAX (highest, natural[c]);

  while (lowest < highest)
    {
      guint cap = lowest + (highest - lowest + 1) / 2;

      cap_widths (table, natural, cap, widths);
      if (total_width (widths, table->n_columns) <= table->max_width)
        lowest = cap;
      else
        highest = cap - 1;
    }
  cap_widths (table, natural, lowest, widths);
  return lowest;
}

/* Makes the table fit `max_width`: while the values would be cut shorter
 * than TABLE_USEFUL_WIDTH, hides the next columns of the drop order; then
 * cuts the longest values to one common cap and gives what is left over to
 * the first cut columns. No column goes below its header or
 * TABLE_MIN_SHORTENED_WIDTH, so a table that cannot drop enough may stay
 * wider than asked. */
static void
fit_widths (BackupsctlTable *table, guint *widths)
{
  g_autofree guint *natural = g_memdup2 (widths, table->n_columns * sizeof (guint));
  guint             left_over;

  if (table->max_width == 0 || total_width (widths, table->n_columns) <= table->max_width)
    return;

  for (guint rank = 1;; rank++)
    {
      gboolean droppable = FALSE;

      if (largest_cap (table, natural, widths) >= TABLE_USEFUL_WIDTH
          && total_width (widths, table->n_columns) <= table->max_width)
        break;
      for (guint c = 0; c < table->n_columns; c++)
        if (table->drop_rank[c] == rank)
          {
            widths[c] = TABLE_HIDDEN;
            droppable = TRUE;
          }
      if (!droppable)
        {
          largest_cap (table, natural, widths);
          break;
        }
    }

  left_over = table->max_width - MIN (table->max_width, total_width (widths, table->n_columns));
  for (guint c = 0; c < table->n_columns && left_over > 0; c++)
    if (widths[c] != TABLE_HIDDEN && widths[c] < natural[c])
      {
        guint more = MIN (left_over, natural[c] - widths[c]);

        widths[c] += more;
        left_over -= more;
      }
}

static void
append_padded (GString *out, const char *text, guint width, gboolean last)
{
  g_autofree char *shown = shorten (text, width);

  g_string_append (out, shown);
  if (last)
    return;

  for (guint i = display_width (shown); i < width + TABLE_COLUMN_GAP; i++)
    g_string_append_c (out, ' ');
}

static void
append_row (GString *out, const char *const *cells, const guint *widths, guint n_columns)
{
  guint last = 0;

  for (guint c = 0; c < n_columns; c++)
    if (widths[c] != TABLE_HIDDEN)
      last = c;
  for (guint c = 0; c < n_columns; c++)
    if (widths[c] != TABLE_HIDDEN)
      append_padded (out, cells[c], widths[c], c == last);
  g_string_append_c (out, '\n');
}

char *
backupsctl_table_to_string (BackupsctlTable *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  g_autoptr (GPtrArray) hidden = g_ptr_array_new ();
  GString *out = g_string_new (NULL);

  for (guint c = 0; c < table->n_columns; c++)
    widths[c] = display_width (table->headers[c]);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], display_width (row[c]));
    }

  fit_widths (table, widths);

  append_row (out, (const char *const *)table->headers, widths, table->n_columns);
  for (guint r = 0; r < table->rows->len; r++)
    append_row (out, g_ptr_array_index (table->rows, r), widths, table->n_columns);

  for (guint c = 0; c < table->n_columns; c++)
    if (widths[c] == TABLE_HIDDEN)
      g_ptr_array_add (hidden, table->headers[c]);
  if (hidden->len > 0)
    {
      g_autofree char *names = NULL;

      g_ptr_array_add (hidden, NULL);
      names = g_strjoinv (", ", (char **)hidden->pdata);
      /* TRANSLATORS: below a table; %s lists column headers, --wide is an option. */
      g_string_append_printf (out, _ ("Hidden to fit: %s (--wide shows all).\n"),
                              names);
    }

  return g_string_free (out, FALSE);
}

char *
backupsctl_wrap (const char *text, guint width, guint indent)
{
  g_auto (GStrv) words = g_strsplit (text, " ", -1);
  GString *out = g_string_new (NULL);
  guint    column = 0;

  for (guint i = 0; words[i] != NULL; i++)
    {
      guint length = display_width (words[i]);

      if (*words[i] == '\0')
        continue;
      if (column > 0 && width > 0 && column + 1 + length > width)
        {
          g_string_append_c (out, '\n');
          for (column = 0; column < indent; column++)
            g_string_append_c (out, ' ');
        }
      else if (column > 0)
        {
          g_string_append_c (out, ' ');
          column++;
        }
      g_string_append (out, words[i]);
      column += length;
    }
  g_string_append_c (out, '\n');
  return g_string_free (out, FALSE);
}
