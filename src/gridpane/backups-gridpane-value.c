/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-value.c
 *
 * The lenient readers of member values, and the page facts of a body,
 * shared by both JSON readers. A value that is required and cannot be read
 * fails the whole body: a partial snapshot would make the store delete rows
 * that still exist. An optional one that cannot be read is kept as
 * unknown, with the reason.
 */
#include "config.h"

#include "backups-gridpane-value-private.h"

#include <string.h>

/* Doubles within this are exact integers (2^53 is about 9.007e15). */
#define MAX_EXACT_DOUBLE 9.0e15

const char *
backups_gridpane_value_type_name (const BackupsGridpaneValue *value)
{
  switch (value->kind)
    {
    case BACKUPS_GRIDPANE_VALUE_OBJECT:
      return "an object";
    case BACKUPS_GRIDPANE_VALUE_ARRAY:
      return "an array";
    case BACKUPS_GRIDPANE_VALUE_BOOLEAN:
      return "a boolean";
    case BACKUPS_GRIDPANE_VALUE_STRING:
      return "a string";
    case BACKUPS_GRIDPANE_VALUE_INT:
    case BACKUPS_GRIDPANE_VALUE_DOUBLE:
      return "a number";
    case BACKUPS_GRIDPANE_VALUE_ABSENT:
    case BACKUPS_GRIDPANE_VALUE_NULL:
    default:
      return "null";
    }
}

/* A string value as a C string: in `buffer` when it fits, else in *heap. */
static const char *
value_to_cstring (const BackupsGridpaneValue *value, char *buffer, gsize size, char **heap)
{
  if (value->length < size)
    {
      memcpy (buffer, value->string, value->length);
      buffer[value->length] = '\0';
      return buffer;
    }
  *heap = g_strndup (value->string, value->length);
  return *heap;
}

gboolean
backups_gridpane_value_to_int (const BackupsGridpaneValue *value, gint64 *out, gboolean *present)
{
  *present = FALSE;

  switch (value->kind)
    {
    case BACKUPS_GRIDPANE_VALUE_ABSENT:
    case BACKUPS_GRIDPANE_VALUE_NULL:
      return TRUE;

    case BACKUPS_GRIDPANE_VALUE_INT:
      *out = value->integer;
      *present = TRUE;
      return TRUE;

    case BACKUPS_GRIDPANE_VALUE_DOUBLE:
      {
        double d = value->number;

        /* 5.0 is 5; 5.5 is not an id or an hour. */
        if (!(d >= -MAX_EXACT_DOUBLE && d <= MAX_EXACT_DOUBLE) || d != (double)(gint64)d)
          return FALSE;
        *out = (gint64)d;
        *present = TRUE;
        return TRUE;
      }

    case BACKUPS_GRIDPANE_VALUE_STRING:
      {
        g_autofree char *heap = NULL;
        char             buffer[32];
        char            *copy = (char *)value_to_cstring (value, buffer, sizeof buffer, &heap);

        g_strstrip (copy);
        if (copy[0] == '\0')
          return TRUE;
        if (!g_ascii_string_to_signed (copy, 10, G_MININT64, G_MAXINT64, out, NULL))
          return FALSE;
        *present = TRUE;
        return TRUE;
      }

    case BACKUPS_GRIDPANE_VALUE_BOOLEAN:
    case BACKUPS_GRIDPANE_VALUE_OBJECT:
    case BACKUPS_GRIDPANE_VALUE_ARRAY:
    default:
      return FALSE;
    }
}

gboolean
backups_gridpane_value_read_int (const BackupsGridpaneValue *value,
                                 const char                 *name,
                                 gboolean                    required,
                                 gint64                      fallback,
                                 gint64                     *out,
                                 const char                 *context,
                                 GError                    **error)
{
  gboolean present;
  gint64   result = 0;

  if (!backups_gridpane_value_to_int (value, &result, &present))
    {
      INVALID (error, "%s: “%s” is %s, not a whole number", context, name,
               backups_gridpane_value_type_name (value));
      return FALSE;
    }
  if (!present)
    {
      if (required)
        {
          INVALID (error, "%s: the required “%s” is missing", context, name);
          return FALSE;
        }
      result = fallback;
    }
  *out = result;
  return TRUE;
}

gboolean
backups_gridpane_value_read_string (const BackupsGridpaneValue *value,
                                    const char                 *name,
                                    char                      **out,
                                    const char                 *context,
                                    GError                    **error)
{
  *out = NULL;

  switch (value->kind)
    {
    case BACKUPS_GRIDPANE_VALUE_ABSENT:
    case BACKUPS_GRIDPANE_VALUE_NULL:
      return TRUE;
    case BACKUPS_GRIDPANE_VALUE_STRING:
      if (value->length > 0)
        *out = g_strndup (value->string, value->length);
      return TRUE;
    case BACKUPS_GRIDPANE_VALUE_INT:
      *out = g_strdup_printf ("%" G_GINT64_FORMAT, value->integer);
      return TRUE;
    case BACKUPS_GRIDPANE_VALUE_DOUBLE:
      {
        char buf[G_ASCII_DTOSTR_BUF_SIZE];

        *out = g_strdup (g_ascii_dtostr (buf, sizeof buf, value->number));
        return TRUE;
      }
    case BACKUPS_GRIDPANE_VALUE_BOOLEAN:
    case BACKUPS_GRIDPANE_VALUE_OBJECT:
    case BACKUPS_GRIDPANE_VALUE_ARRAY:
    default:
      INVALID (error, "%s: “%s” is %s, not text", context, name,
               backups_gridpane_value_type_name (value));
      return FALSE;
    }
}

BackupsGridpaneValue *
backups_gridpane_member_field (const BackupsGridpaneMember *table,
                               gpointer                     fields,
                               const char                  *name,
                               gsize                        length)
{
  for (const BackupsGridpaneMember *member = table; member->name != NULL; member++)
    if (member->length == length && memcmp (member->name, name, length) == 0)
      return G_STRUCT_MEMBER_P (fields, member->offset);
  return NULL;
}

gboolean
backups_gridpane_read_id (const BackupsGridpaneValue *value,
                          const char                 *what,
                          GHashTable                 *seen_ids,
                          gint64                     *id,
                          char                      **context,
                          GError                    **error)
{
  /* The id is what the row is: without it there is no row. */
  if (!backups_gridpane_value_read_int (value, "id", TRUE, 0, id, *context, error))
    return FALSE;
  g_free (*context);
  *context = CONTEXT (error, "%s %" G_GINT64_FORMAT, what, *id);

  if (seen_ids != NULL && g_hash_table_contains (seen_ids, id))
    {
      INVALID (error, "%s appears twice", *context);
      return FALSE;
    }
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Values kept as unknown                                                  */

void
backups_gridpane_problems_add (BackupsGridpaneProblems *problems, const char *format, ...)
{
  va_list args;

  if (problems->text == NULL)
    {
      problems->text = g_string_new (NULL);
      g_string_printf (problems->text, "%s %" G_GINT64_FORMAT ": ", problems->what, problems->id);
    }
  else
    g_string_append (problems->text, "; ");
  va_start (args, format);
  g_string_append_vprintf (problems->text, format, args);
  va_end (args);
}

char *
backups_gridpane_problems_free_to_string (BackupsGridpaneProblems *problems)
{
  if (problems->text == NULL)
    return NULL;
  return g_string_free (g_steal_pointer (&problems->text), FALSE);
}

gboolean
backups_gridpane_lenient_int (const BackupsGridpaneValue *value,
                              const char                 *name,
                              gint64                     *out,
                              BackupsGridpaneProblems    *problems)
{
  gboolean present;

  if (!backups_gridpane_value_to_int (value, out, &present))
    {
      if (value->kind == BACKUPS_GRIDPANE_VALUE_STRING
          && value->length <= BACKUPS_GRIDPANE_MAX_QUOTED_CHARS)
        backups_gridpane_problems_add (problems, "“%s” is “%.*s”, not a whole number", name,
                                       (int)value->length, value->string);
      else
        backups_gridpane_problems_add (problems, "“%s” is %s, not a whole number", name,
                                       backups_gridpane_value_type_name (value));
      return FALSE;
    }
  return present;
}

char *
backups_gridpane_lenient_string (const BackupsGridpaneValue *value,
                                 const char                 *name,
                                 BackupsGridpaneProblems    *problems)
{
  char *out = NULL;

  if (!backups_gridpane_value_read_string (value, name, &out, "", NULL))
    backups_gridpane_problems_add (problems, "“%s” is %s, not text", name,
                                   backups_gridpane_value_type_name (value));
  return out;
}

BackupsFlag
backups_gridpane_lenient_flag (const BackupsGridpaneValue *value,
                               const char                 *name,
                               BackupsGridpaneProblems    *problems)
{
  switch (value->kind)
    {
    case BACKUPS_GRIDPANE_VALUE_ABSENT:
    case BACKUPS_GRIDPANE_VALUE_NULL:
      return BACKUPS_FLAG_UNKNOWN;
    case BACKUPS_GRIDPANE_VALUE_BOOLEAN:
      return value->boolean ? BACKUPS_FLAG_YES : BACKUPS_FLAG_NO;
    case BACKUPS_GRIDPANE_VALUE_INT:
      if (value->integer == 0 || value->integer == 1)
        return value->integer ? BACKUPS_FLAG_YES : BACKUPS_FLAG_NO;
      break;
    case BACKUPS_GRIDPANE_VALUE_STRING:
      {
        g_autofree char         *copy = g_strstrip (g_ascii_strdown (value->string, value->length));
        static const char *const yes[] = { "1", "true", "yes", "on" };
        static const char *const no[] = { "0", "false", "no", "off" };

        for (guint i = 0; i < G_N_ELEMENTS (yes); i++)
          if (strcmp (copy, yes[i]) == 0)
            return BACKUPS_FLAG_YES;
        for (guint i = 0; i < G_N_ELEMENTS (no); i++)
          if (strcmp (copy, no[i]) == 0)
            return BACKUPS_FLAG_NO;
        if (copy[0] == '\0')
          return BACKUPS_FLAG_UNKNOWN;
        if (g_utf8_strlen (copy, -1) <= BACKUPS_GRIDPANE_MAX_QUOTED_CHARS)
          {
            backups_gridpane_problems_add (problems, "“%s” is “%s”, not yes or no", name, copy);
            return BACKUPS_FLAG_UNKNOWN;
          }
        break;
      }
    case BACKUPS_GRIDPANE_VALUE_DOUBLE:
    case BACKUPS_GRIDPANE_VALUE_OBJECT:
    case BACKUPS_GRIDPANE_VALUE_ARRAY:
    default:
      break;
    }
  backups_gridpane_problems_add (problems, "“%s” is %s that is not yes or no", name,
                                 backups_gridpane_value_type_name (value));
  return BACKUPS_FLAG_UNKNOWN;
}

int
backups_gridpane_lenient_ranged (const BackupsGridpaneValue *value,
                                 const char                 *name,
                                 const char                 *what,
                                 int                         min,
                                 int                         max,
                                 gboolean                    needed,
                                 BackupsGridpaneProblems    *problems)
{
  gint64 number;

  if (!backups_gridpane_lenient_int (value, name, &number, problems))
    {
      if (needed
          && (value->kind == BACKUPS_GRIDPANE_VALUE_ABSENT
              || value->kind == BACKUPS_GRIDPANE_VALUE_NULL
              || (value->kind == BACKUPS_GRIDPANE_VALUE_STRING && value->length == 0)))
        backups_gridpane_problems_add (problems, "it has no %s", what);
      return BACKUPS_NO_VALUE;
    }
  if (number < min || number > max)
    {
      backups_gridpane_problems_add (problems, "%s %" G_GINT64_FORMAT " is not between %d and %d",
                                     what, number, min, max);
      return BACKUPS_NO_VALUE;
    }
  return (int)number;
}

/* ---------------------------------------------------------------------- */
/* Pages                                                                   */

#define PAGINATOR_ROW(member) BACKUPS_GRIDPANE_MEMBER_ROW (BackupsGridpanePaginator, member)
const BackupsGridpaneMember backups_gridpane_paginator_members[]
  = { BACKUPS_GRIDPANE_PAGINATOR_MEMBERS (PAGINATOR_ROW){ NULL } };
#undef PAGINATOR_ROW

static int
clamp_page_int (gint64 value)
{
  if (value < 1 || value > G_MAXINT)
    return 0;
  return (int)value;
}

static BackupsGridpaneNext
next_of_value (const BackupsGridpaneValue *next)
{
  if (next->kind == BACKUPS_GRIDPANE_VALUE_ABSENT)
    return BACKUPS_GRIDPANE_NEXT_UNKNOWN;
  if (next->kind == BACKUPS_GRIDPANE_VALUE_STRING && next->length > 0)
    return BACKUPS_GRIDPANE_NEXT_LINK;
  return BACKUPS_GRIDPANE_NEXT_NONE;
}

gboolean
backups_gridpane_read_page_fields (const BackupsGridpanePageFields *f,
                                   guint                            n_items,
                                   BackupsGridpanePage             *page,
                                   GError                         **error)
{
  const BackupsGridpanePaginator *paginator = NULL;

  page->current_page = 0;
  page->last_page = 0;
  page->total = -1;
  page->next = BACKUPS_GRIDPANE_NEXT_UNKNOWN;
  page->n_items = n_items;

  /* Laravel's `meta`, or a plain paginator's members at the top; Laravel
   * writes an empty object as [], which is no meta. */
  if (f->meta.kind == BACKUPS_GRIDPANE_VALUE_OBJECT)
    paginator = &f->in_meta;
  else if (f->top.current_page.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           || f->top.last_page.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           || f->top.total_pages.kind != BACKUPS_GRIDPANE_VALUE_ABSENT)
    paginator = &f->top;
  else if (f->meta.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           && f->meta.kind != BACKUPS_GRIDPANE_VALUE_NULL
           && !(f->meta.kind == BACKUPS_GRIDPANE_VALUE_ARRAY && f->meta.length == 0))
    {
      INVALID (error, "“meta” is %s, not an object", backups_gridpane_value_type_name (&f->meta));
      return FALSE;
    }

  if (paginator != NULL)
    {
      gint64 current_n = 0, last_n = 0, total_pages_n = 0, total_n = -1;

#define READ_PAGINATOR_INT(member, fallback, out)                                                  \
  backups_gridpane_value_read_int (&paginator->member, #member, FALSE, fallback, out,              \
                                   "the page meta", error)
      if (!READ_PAGINATOR_INT (current_page, 0, &current_n)
          || !READ_PAGINATOR_INT (last_page, 0, &last_n)
          || !READ_PAGINATOR_INT (total_pages, 0, &total_pages_n)
          || !READ_PAGINATOR_INT (total, -1, &total_n))
        return FALSE;
#undef READ_PAGINATOR_INT
      if (current_n < 0 || last_n < 0 || total_pages_n < 0 || total_n < -1)
        {
          INVALID (error, "the page meta has a negative number");
          return FALSE;
        }
      page->current_page = clamp_page_int (current_n);
      page->last_page = clamp_page_int (last_n > 0 ? last_n : total_pages_n);
      page->total = total_n;
    }

  if (f->links.kind == BACKUPS_GRIDPANE_VALUE_OBJECT)
    page->next = next_of_value (&f->links_next);
  if (page->next == BACKUPS_GRIDPANE_NEXT_UNKNOWN)
    page->next = next_of_value (&f->next_page_url);
  return TRUE;
}
