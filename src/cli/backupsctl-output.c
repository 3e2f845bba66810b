/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-output.c */
#include "config.h"

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
  GPtrArray *rows; /* GStrv */
};

BackupsctlTable *
backupsctl_table_new (const char *const *headers)
{
  BackupsctlTable *table;

  g_return_val_if_fail (headers != NULL && headers[0] != NULL, NULL);

  table = g_new0 (BackupsctlTable, 1);
  table->headers = g_strdupv ((char **)headers);
  table->n_columns = g_strv_length (table->headers);
  table->rows = g_ptr_array_new_with_free_func ((GDestroyNotify)g_strfreev);

  return table;
}

void
backupsctl_table_free (BackupsctlTable *table)
{
  if (table == NULL)
    return;

  g_clear_pointer (&table->headers, g_strfreev);
  g_clear_pointer (&table->rows, g_ptr_array_unref);
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

static void
append_padded (GString *out, const char *text, guint width, gboolean last)
{
  glong length = g_utf8_strlen (text, -1);

  g_string_append (out, text);
  if (last)
    return;

  for (glong i = length; i < (glong)width + 2; i++)
    g_string_append_c (out, ' ');
}

static void
append_row (GString *out, const char *const *cells, const guint *widths, guint n_columns)
{
  for (guint c = 0; c < n_columns; c++)
    append_padded (out, cells[c], widths[c], c + 1 == n_columns);
  g_string_append_c (out, '\n');
}

char *
backupsctl_table_to_string (BackupsctlTable *table)
{
  g_autofree guint *widths = g_new0 (guint, table->n_columns);
  GString          *out = g_string_new (NULL);

  for (guint c = 0; c < table->n_columns; c++)
    widths[c] = (guint)g_utf8_strlen (table->headers[c], -1);

  for (guint r = 0; r < table->rows->len; r++)
    {
      GStrv row = g_ptr_array_index (table->rows, r);

      for (guint c = 0; c < table->n_columns; c++)
        widths[c] = MAX (widths[c], (guint)g_utf8_strlen (row[c], -1));
    }

  append_row (out, (const char *const *)table->headers, widths, table->n_columns);
  for (guint r = 0; r < table->rows->len; r++)
    append_row (out, g_ptr_array_index (table->rows, r), widths, table->n_columns);

  return g_string_free (out, FALSE);
}
