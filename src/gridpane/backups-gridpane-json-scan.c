/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-json-scan.c
 *
 * A one-pass parser for the body of GET /backups/schedules. For a large
 * fleet that body is over 10 MB, and loading and freeing json-glib's tree
 * of it alone costs more than parsing it should. This parser reads the
 * bytes once, checks them as it goes (UTF-8, escapes, numbers, nesting) and
 * builds the records directly, through the same readers as the json-glib
 * path (backups-gridpane-schedule-fields-private.h).
 *
 * It only answers for what it can vouch for: strict JSON (RFC 8259) that
 * json-glib reads the same way. On anything else it returns NULL and the
 * caller takes the json-glib path, which gives the records, or the error
 * message, exactly as before. That covers every invalid body (pagination
 * members included: both paths read them through
 * backups_gridpane_read_page_fields()), and the valid shapes whose records
 * depend on json-glib's own rules:
 * \u0000 (json-glib cuts the string there) and whitespace other than
 * JSON's four. Of a member given twice, both paths keep the last value.
 */
#include "config.h"

#include "backups-gridpane-json-scan-private.h"

#include <math.h>
#include <string.h>

#include "backups-gridpane-json-text-private.h"
#include "backups-gridpane-schedule-fields-private.h"

/* Room for any number json-glib reads as a double; longer is left to it. */
#define MAX_NUMBER_CHARS 64
/* Decoded strings of one site entry are kept in blocks of this size. */
#define ENTRY_STRINGS_BLOCK 4096
#define PAGE_STRINGS_BLOCK 64

typedef struct
{
  const char   *p; /* the next byte */
  const char   *end;
  int           depth;
  GString      *decoded; /* a string with escapes, being decoded */
  GStringChunk *strings; /* decoded strings of the current site entry */
} Scanner;

static gboolean scan_value (Scanner *s, BackupsGridpaneValue *value);

/* ---------------------------------------------------------------------- */
/* Tokens                                                                  */

static void
skip_space (Scanner *s)
{
  while (s->p < s->end && backups_gridpane_json_is_space (*s->p))
    s->p++;
}

/* TRUE and past `c` when it is the next byte. */
static gboolean
take (Scanner *s, char c)
{
  if (s->p >= s->end || *s->p != c)
    return FALSE;
  s->p++;
  return TRUE;
}

static gboolean
is_continuation (const char *p, const char *end, gsize n)
{
  for (gsize i = 1; i <= n; i++)
    if (p + i >= end || ((guchar)p[i] & 0xc0) != 0x80)
      return FALSE;
  return TRUE;
}

/* Moves past one UTF-8 sequence of 2 to 4 bytes at s->p, or fails on an
 * overlong form, a surrogate, a code point past U+10FFFF or a cut. */
static gboolean
skip_utf8 (Scanner *s)
{
  guchar lead = (guchar)s->p[0];
  guchar second = s->p + 1 < s->end ? (guchar)s->p[1] : 0;
  gsize  n;

  if (lead >= 0xc2 && lead <= 0xdf)
    n = 1;
  else if (lead >= 0xe0 && lead <= 0xef)
    {
      n = 2;
      if ((lead == 0xe0 && second < 0xa0) || (lead == 0xed && second > 0x9f))
        return FALSE;
    }
  else if (lead >= 0xf0 && lead <= 0xf4)
    {
      n = 3;
      if ((lead == 0xf0 && second < 0x90) || (lead == 0xf4 && second > 0x8f))
        return FALSE;
    }
  else
    return FALSE;

  if (!is_continuation (s->p, s->end, n))
    return FALSE;
  s->p += n + 1;
  return TRUE;
}

/* Decodes the escape after a backslash into s->decoded. json-glib ends
 * the string at \u0000: such a string is left to it. */
static gboolean
decode_escape (Scanner *s)
{
  char     utf8[6];
  gunichar c;
  gsize    n = backups_gridpane_json_read_escape (s->p, s->end, &c);

  if (n == 0 || c == 0)
    return FALSE;
  s->p += n;
  g_string_append_len (s->decoded, utf8, g_unichar_to_utf8 (c, utf8));
  return TRUE;
}

/* Reads the string whose opening quote is at s->p. Its text is left in
 * *value: in the body, or, when it has escapes, decoded in s->strings until
 * the next site entry. */
static gboolean
scan_string (Scanner *s, BackupsGridpaneValue *value)
{
  const char *start = ++s->p;
  const char *run;

  for (;;)
    {
      guchar c;

      while (s->p < s->end && (guchar)*s->p >= 0x20 && *s->p != '"' && *s->p != '\\'
             && (guchar)*s->p < 0x80)
        s->p++;
      if (s->p >= s->end)
        return FALSE;
      c = (guchar)*s->p;
      if (c == '"' || c == '\\')
        break;
      /* Control characters must be escaped. */
      if (c < 0x20 || !skip_utf8 (s))
        return FALSE;
    }

  value->kind = BACKUPS_GRIDPANE_VALUE_STRING;
  if (*s->p == '"')
    {
      value->string = start;
      value->length = s->p - start;
      s->p++;
      return TRUE;
    }

  /* Escapes: the rest is decoded. */
  g_string_truncate (s->decoded, 0);
  run = start;
  for (;;)
    {
      guchar c;

      if (s->p >= s->end)
        return FALSE;
      c = (guchar)*s->p;
      if (c == '"' || c == '\\')
        {
          g_string_append_len (s->decoded, run, s->p - run);
          s->p++;
          if (c == '"')
            break;
          if (!decode_escape (s))
            return FALSE;
          run = s->p;
        }
      else if (c < 0x20)
        return FALSE;
      else if (c < 0x80)
        s->p++;
      else if (!skip_utf8 (s))
        return FALSE;
    }

  value->string = g_string_chunk_insert_len (s->strings, s->decoded->str, s->decoded->len);
  value->length = s->decoded->len;
  return TRUE;
}

/* Reads a number as RFC 8259 spells it. */
static gboolean
scan_number (Scanner *s, BackupsGridpaneValue *value)
{
  const char *start = s->p;
  const char *digits;
  gboolean    negative = take (s, '-');
  gboolean    integer = TRUE;
  char        text[MAX_NUMBER_CHARS];

  digits = s->p;
  if (take (s, '0'))
    ;
  else if (s->p < s->end && *s->p >= '1' && *s->p <= '9')
    while (s->p < s->end && g_ascii_isdigit (*s->p))
      s->p++;
  else
    return FALSE;

  if (take (s, '.'))
    {
      integer = FALSE;
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }
  if (take (s, 'e') || take (s, 'E'))
    {
      integer = FALSE;
      if (!take (s, '+'))
        take (s, '-');
      if (s->p >= s->end || !g_ascii_isdigit (*s->p))
        return FALSE;
      while (s->p < s->end && g_ascii_isdigit (*s->p))
        s->p++;
    }

  if (integer)
    {
      gsize   n_digits = s->p - digits;
      guint64 magnitude = 0;

      /* The tree path refuses what json-glib would wrap around. */
      if (backups_gridpane_integer_out_of_range (digits, n_digits, negative))
        return FALSE;
      for (gsize i = 0; i < n_digits; i++)
        magnitude = magnitude * 10 + (guint64)(digits[i] - '0');
      value->kind = BACKUPS_GRIDPANE_VALUE_INT;
      value->integer = negative ? (gint64)(0 - magnitude) : (gint64)magnitude;
      return TRUE;
    }

  if ((gsize)(s->p - start) >= sizeof text)
    return FALSE;
  memcpy (text, start, s->p - start);
  text[s->p - start] = '\0';
  value->kind = BACKUPS_GRIDPANE_VALUE_DOUBLE;
  value->number = g_ascii_strtod (text, NULL);
  /* json-glib keeps 1e999 as inf, which the tree path refuses. */
  return isfinite (value->number);
}

static gboolean
scan_literal (Scanner *s, const char *word, gsize len)
{
  if ((gsize)(s->end - s->p) < len || memcmp (s->p, word, len) != 0)
    return FALSE;
  s->p += len;
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Values                                                                  */

static gboolean
name_is (const BackupsGridpaneValue *name, const char *literal)
{
  gsize len = strlen (literal);

  return name->length == len && memcmp (name->string, literal, len) == 0;
}

typedef gboolean (*ElementFunc) (Scanner *s, gpointer data);
typedef gboolean (*MemberFunc) (Scanner *s, const BackupsGridpaneValue *name, gpointer data);

/* Reads the object or array at s->p ('{' or '['), up to `close`, calling
 * `func` at each item. */
static gboolean
scan_items (Scanner *s, char close, ElementFunc func, gpointer data)
{
  s->p++;
  if (++s->depth > BACKUPS_GRIDPANE_MAX_DEPTH)
    return FALSE;
  skip_space (s);
  if (!take (s, close))
    {
      do
        {
          skip_space (s);
          if (!func (s, data))
            return FALSE;
          skip_space (s);
        }
      while (take (s, ','));
      if (!take (s, close))
        return FALSE;
    }
  s->depth--;
  return TRUE;
}

typedef struct
{
  MemberFunc func;
  gpointer   data;
} MemberScan;

/* One member: its name, the colon, and its value by the MemberScan. */
static gboolean
scan_member (Scanner *s, gpointer data)
{
  MemberScan          *scan = data;
  BackupsGridpaneValue name;

  if (s->p >= s->end || *s->p != '"' || !scan_string (s, &name))
    return FALSE;
  skip_space (s);
  if (!take (s, ':'))
    return FALSE;
  skip_space (s);
  return scan->func (s, &name, scan->data);
}

/* Reads the object at s->p ('{'), calling `func` at each member's value. */
static gboolean
scan_members (Scanner *s, MemberFunc func, gpointer data)
{
  MemberScan scan = { func, data };

  return scan_items (s, '}', scan_member, &scan);
}

/* Reads the array at s->p ('['), calling `func` at each element. */
static gboolean
scan_elements (Scanner *s, ElementFunc func, gpointer data)
{
  return scan_items (s, ']', func, data);
}

static gboolean
skip_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  return scan_value (s, NULL);
}

static gboolean
skip_element (Scanner *s, gpointer data)
{
  return scan_value (s, NULL);
}

/* Reads and checks any value. When `value` is not NULL it gets what the
 * readers need. */
static gboolean
scan_value (Scanner *s, BackupsGridpaneValue *value)
{
  BackupsGridpaneValue scalar;

  if (value == NULL)
    value = &scalar;
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
      value->kind = BACKUPS_GRIDPANE_VALUE_OBJECT;
      return scan_members (s, skip_member, NULL);

    case '[':
      value->kind = BACKUPS_GRIDPANE_VALUE_ARRAY;
      return scan_elements (s, skip_element, NULL);

    case '"':
      return scan_string (s, value);

    case 't':
    case 'f':
      value->kind = BACKUPS_GRIDPANE_VALUE_BOOLEAN;
      value->boolean = *s->p == 't';
      return value->boolean ? scan_literal (s, "true", 4) : scan_literal (s, "false", 5);

    case 'n':
      value->kind = BACKUPS_GRIDPANE_VALUE_NULL;
      return scan_literal (s, "null", 4);

    default:
      return scan_number (s, value);
    }
}

/* ---------------------------------------------------------------------- */
/* Schedules                                                               */

/* A member given twice counts with its last value, as in json-glib. */
static gboolean
schedule_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  return scan_value (s, backups_gridpane_member_field (backups_gridpane_schedule_members, data,
                                                       name->string, name->length));
}

static gboolean
schedule_element (Scanner *s, gpointer data)
{
  GArray                       *pending = data;
  BackupsGridpaneScheduleFields fields;

  /* A schedule that is not an object is an error. */
  if (s->p >= s->end || *s->p != '{')
    return FALSE;
  memset (&fields, 0, sizeof fields);
  if (!scan_members (s, schedule_member, &fields))
    return FALSE;
  g_array_append_val (pending, fields);
  return TRUE;
}

typedef struct
{
  BackupsGridpaneSiteFields fields;
  BackupsGridpaneValueKind  list_kind;
  GArray                   *pending; /* BackupsGridpaneScheduleFields */
} ScannedSite;

static gboolean
site_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  ScannedSite         *site = data;
  BackupsGridpaneValue list;

  if (!name_is (name, "schedule_backups"))
    return scan_value (s,
                       backups_gridpane_member_field (backups_gridpane_site_entry_members,
                                                      &site->fields, name->string, name->length));

  g_array_set_size (site->pending, 0);
  if (s->p < s->end && *s->p == '[')
    {
      site->list_kind = BACKUPS_GRIDPANE_VALUE_ARRAY;
      return scan_elements (s, schedule_element, site->pending);
    }
  if (!scan_value (s, &list))
    return FALSE;
  site->list_kind = list.kind;
  return TRUE;
}

typedef struct
{
  GArray     *pending;
  GPtrArray  *records;
  GHashTable *seen_ids;
  guint       index;
} SiteList;

static gboolean
site_element (Scanner *s, gpointer data)
{
  SiteList   *list = data;
  ScannedSite site = { { { 0 } }, BACKUPS_GRIDPANE_VALUE_ABSENT, list->pending };
  g_auto (BackupsGridpaneSiteEntry) entry = { 0 };

  if (s->p >= s->end || *s->p != '{')
    return FALSE;

  g_string_chunk_clear (s->strings);
  g_array_set_size (list->pending, 0);
  if (!scan_members (s, site_member, &site)
      || !backups_gridpane_read_site_entry (&site.fields, list->index++, &entry, NULL))
    return FALSE;

  if (site.list_kind == BACKUPS_GRIDPANE_VALUE_ABSENT
      || site.list_kind == BACKUPS_GRIDPANE_VALUE_NULL)
    return TRUE;
  if (site.list_kind != BACKUPS_GRIDPANE_VALUE_ARRAY)
    return FALSE;

  for (guint i = 0; i < list->pending->len; i++)
    {
      if (!backups_gridpane_add_schedule (
            &g_array_index (list->pending, BackupsGridpaneScheduleFields, i), &entry,
            list->seen_ids, list->records, NULL))
        return FALSE;
    }
  return TRUE;
}

/* Reads the list of site entries at s->p ('['); *n_entries gets their number. */
static GPtrArray *
scan_site_list (Scanner *s, guint *n_entries)
{
  g_autoptr (GPtrArray) records = backups_schedule_record_array_new ();
  g_autoptr (GHashTable) seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) pending = g_array_new (FALSE, TRUE, sizeof (BackupsGridpaneScheduleFields));
  SiteList list = { pending, records, seen_ids, 0 };

  if (!scan_elements (s, site_element, &list))
    return NULL;
  *n_entries = list.index;
  return g_steal_pointer (&records);
}

typedef enum
{
  LIST_NONE,
  LIST_FOUND,
  LIST_NOT_A_LIST,
} ListState;

typedef struct
{
  BackupsGridpaneValue      success;
  ListState                 data_state;
  ListState                 schedules_state;
  GPtrArray                *data;
  GPtrArray                *schedules;
  guint                     data_entries;
  guint                     schedules_entries;
  BackupsGridpanePageFields page;
  GStringChunk             *kept; /* the page members' texts, kept past the site entries */
} Envelope;

/* A page member's text outlives the site entry whose strings it may
 * share. */
static gboolean
scan_kept_value (Scanner *s, Envelope *envelope, BackupsGridpaneValue *value)
{
  if (!scan_value (s, value))
    return FALSE;
  if (value->kind == BACKUPS_GRIDPANE_VALUE_STRING)
    value->string = g_string_chunk_insert_len (envelope->kept, value->string, value->length);
  return TRUE;
}

static gboolean
meta_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  Envelope             *envelope = data;
  BackupsGridpaneValue *value = backups_gridpane_member_field (
    backups_gridpane_paginator_members, &envelope->page.in_meta, name->string, name->length);

  if (value != NULL)
    return scan_kept_value (s, envelope, value);
  return scan_value (s, NULL);
}

static gboolean
links_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  Envelope *envelope = data;

  if (name_is (name, "next"))
    return scan_kept_value (s, envelope, &envelope->page.links_next);
  return scan_value (s, NULL);
}

static gboolean
count_element (Scanner *s, gpointer data)
{
  (*(gsize *)data)++;
  return scan_value (s, NULL);
}

/* "meta" and "links": the last one given counts, as in json-glib. */
static gboolean
scan_page_container (Scanner *s, Envelope *envelope, gboolean meta)
{
  BackupsGridpanePageFields *page = &envelope->page;
  BackupsGridpaneValue      *value = meta ? &page->meta : &page->links;
  const BackupsGridpaneValue absent = { BACKUPS_GRIDPANE_VALUE_ABSENT };

  if (meta)
    memset (&page->in_meta, 0, sizeof page->in_meta);
  else
    page->links_next = absent;

  *value = absent;
  if (s->p < s->end && *s->p == '{')
    {
      value->kind = BACKUPS_GRIDPANE_VALUE_OBJECT;
      return scan_members (s, meta ? meta_member : links_member, envelope);
    }
  if (s->p < s->end && *s->p == '[')
    {
      value->kind = BACKUPS_GRIDPANE_VALUE_ARRAY;
      value->length = 0;
      return scan_elements (s, count_element, &value->length);
    }
  return scan_kept_value (s, envelope, value);
}

/* Reads a top-level list member into *records, the last one counting. */
static gboolean
scan_list_member (Scanner *s, ListState *state, GPtrArray **records, guint *n_entries)
{
  g_clear_pointer (records, g_ptr_array_unref);
  if (s->p < s->end && *s->p == '[')
    {
      *state = LIST_FOUND;
      *records = scan_site_list (s, n_entries);
      return *records != NULL;
    }
  *state = LIST_NOT_A_LIST;
  return scan_value (s, NULL);
}

static gboolean
envelope_member (Scanner *s, const BackupsGridpaneValue *name, gpointer data)
{
  Envelope                  *envelope = data;
  BackupsGridpanePageFields *page = &envelope->page;
  BackupsGridpaneValue      *value;

  if (name_is (name, "success"))
    return scan_value (s, &envelope->success);
  if (name_is (name, "data"))
    return scan_list_member (s, &envelope->data_state, &envelope->data, &envelope->data_entries);
  /* "data" wins wherever it is: then "schedules" need only be valid. */
  if (name_is (name, "schedules") && envelope->data_state == LIST_NONE)
    return scan_list_member (s, &envelope->schedules_state, &envelope->schedules,
                             &envelope->schedules_entries);
  if (name_is (name, "meta"))
    return scan_page_container (s, envelope, TRUE);
  if (name_is (name, "links"))
    return scan_page_container (s, envelope, FALSE);
  if ((value = backups_gridpane_member_field (backups_gridpane_paginator_members, &page->top,
                                              name->string, name->length))
      != NULL)
    return scan_kept_value (s, envelope, value);
  if (name_is (name, "next_page_url"))
    return scan_kept_value (s, envelope, &page->next_page_url);
  return scan_value (s, NULL);
}

/* The records of an object body, in the order of find_list(). */
static GPtrArray *
envelope_records (Envelope *envelope, guint *n_entries)
{
  /* Only the boolean true is success; the tree path explains the rest. */
  if (envelope->success.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
      && !(envelope->success.kind == BACKUPS_GRIDPANE_VALUE_BOOLEAN && envelope->success.boolean))
    return NULL;
  if (envelope->data_state == LIST_FOUND)
    {
      *n_entries = envelope->data_entries;
      return g_steal_pointer (&envelope->data);
    }
  if (envelope->data_state == LIST_NONE && envelope->schedules_state == LIST_FOUND)
    {
      *n_entries = envelope->schedules_entries;
      return g_steal_pointer (&envelope->schedules);
    }
  return NULL;
}

GPtrArray *
backups_gridpane_parse_schedules_direct (const char *data, gsize len, BackupsGridpanePage *page)
{
  g_autoptr (GString) decoded = NULL;
  g_autoptr (GPtrArray) records = NULL;
  Envelope            envelope = { { BACKUPS_GRIDPANE_VALUE_ABSENT } };
  Scanner             s;
  guint               entries = 0;
  BackupsGridpanePage local_page;

  if (data == NULL || len == 0 || len > G_MAXSSIZE)
    return NULL;

  decoded = g_string_new (NULL);
  envelope.kept = g_string_chunk_new (PAGE_STRINGS_BLOCK);
  s = (Scanner){ data, data + len, 0, decoded, g_string_chunk_new (ENTRY_STRINGS_BLOCK) };

  skip_space (&s);
  if (s.p < s.end && *s.p == '[')
    records = scan_site_list (&s, &entries);
  else if (s.p < s.end && *s.p == '{' && scan_members (&s, envelope_member, &envelope))
    records = envelope_records (&envelope, &entries);
  skip_space (&s);

  /* Pagination members the tree would refuse are left to it to explain. */
  if (records != NULL
      && !backups_gridpane_read_page_fields (&envelope.page, entries,
                                             page != NULL ? page : &local_page, NULL))
    g_clear_pointer (&records, g_ptr_array_unref);

  g_clear_pointer (&envelope.data, g_ptr_array_unref);
  g_clear_pointer (&envelope.schedules, g_ptr_array_unref);
  g_string_chunk_free (envelope.kept);
  g_string_chunk_free (s.strings);
  if (records == NULL || s.p != s.end)
    return NULL;
  return g_steal_pointer (&records);
}
