/* backups-gridpane-json.c
 *
 * A one-pass parser for the body of GET /backups/schedules. For a large
 * fleet that body is over 10 MB, and loading and freeing json-glib's tree
 * of it alone costs more than parsing it should. This parser reads the
 * bytes once, checks them as it goes (UTF-8, escapes, numbers, nesting) and
 * builds the records directly, through the same readers as the json-glib
 * path (backups-gridpane-parser-private.h).
 *
 * It only answers for what it can vouch for: strict JSON (RFC 8259) that
 * json-glib reads the same way. On anything else it returns NULL and the
 * caller takes the json-glib path, which gives the records, or the error
 * message, exactly as before. That covers every invalid body, and the few
 * valid shapes whose records depend on json-glib's own rules: \u0000
 * (json-glib cuts the string there), objects in a schedule with duplicate
 * members (json-glib keeps the last value in the first one's place) or with
 * over 64 of them, and whitespace other than JSON's four.
 *
 * raw_json is what the json-glib path writes: the schedule without
 * whitespace or credential members, strings re-escaped, numbers printed
 * from their values. Most schedules come spelled that way already; those
 * are copied as they are, the others are rewritten in a second pass over
 * their bytes.
 */
#include "config.h"

#include <math.h>
#include <string.h>

#include "backups-gridpane-parser-private.h"

/* Objects of a schedule (where duplicates must be found) with more
 * members than this go to json-glib rather than a quadratic search. */
#define MAX_CHECKED_MEMBERS 64

typedef struct
{
  const char   *p; /* the next byte */
  const char   *end;
  int           depth;
  GString      *decoded; /* a string with escapes, being decoded */
  GStringChunk *strings; /* decoded strings of the current site entry */
  GString      *raw;     /* a schedule's raw_json, being rewritten */
} Scanner;

/* How a value inside a schedule is copied into raw_json. */
typedef struct
{
  GString *out;      /* the rewrite, or NULL when only checking */
  gboolean verbatim; /* so far, the bytes are what the rewrite would be */
} Rewrite;

typedef struct
{
  BackupsGridpaneScheduleFields fields;
  char                         *raw_json;
} PendingSchedule;

static gboolean scan_value (Scanner *s, Rewrite *rw, BackupsGridpaneValue *value);

/* ---------------------------------------------------------------------- */
/* Tokens                                                                  */

static gboolean
is_json_space (char c)
{
  return c == ' ' || c == '\n' || c == '\r' || c == '\t';
}

/* Skips whitespace; inside a schedule, raw_json has none. */
static void
skip_space (Scanner *s, Rewrite *rw)
{
  const char *start = s->p;

  while (s->p < s->end && is_json_space (*s->p))
    s->p++;
  if (rw != NULL && s->p != start)
    rw->verbatim = FALSE;
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

static int
read_hex4 (Scanner *s)
{
  int value = 0;

  if (s->end - s->p < 4)
    return -1;
  for (int i = 0; i < 4; i++)
    {
      int digit = g_ascii_xdigit_value (s->p[i]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  s->p += 4;
  return value;
}

/* Decodes the escape after a backslash into s->decoded. */
static gboolean
decode_escape (Scanner *s)
{
  char     utf8[6];
  gunichar c;
  int      unit;

  if (s->p >= s->end)
    return FALSE;
  switch (*s->p++)
    {
    case '"':
      g_string_append_c (s->decoded, '"');
      return TRUE;
    case '\\':
      g_string_append_c (s->decoded, '\\');
      return TRUE;
    case '/':
      g_string_append_c (s->decoded, '/');
      return TRUE;
    case 'b':
      g_string_append_c (s->decoded, '\b');
      return TRUE;
    case 'f':
      g_string_append_c (s->decoded, '\f');
      return TRUE;
    case 'n':
      g_string_append_c (s->decoded, '\n');
      return TRUE;
    case 'r':
      g_string_append_c (s->decoded, '\r');
      return TRUE;
    case 't':
      g_string_append_c (s->decoded, '\t');
      return TRUE;
    case 'u':
      break;
    default:
      return FALSE;
    }

  /* json-glib ends the string at \u0000; lone surrogates are refused. */
  unit = read_hex4 (s);
  if (unit <= 0 || (unit >= 0xdc00 && unit <= 0xdfff))
    return FALSE;
  c = (gunichar)unit;
  if (unit >= 0xd800 && unit <= 0xdbff)
    {
      int low;

      if (!take (s, '\\') || !take (s, 'u'))
        return FALSE;
      low = read_hex4 (s);
      if (low < 0xdc00 || low > 0xdfff)
        return FALSE;
      c = 0x10000 + (((gunichar)unit - 0xd800) << 10) + ((gunichar)low - 0xdc00);
    }
  g_string_append_len (s->decoded, utf8, g_unichar_to_utf8 (c, utf8));
  return TRUE;
}

/* Reads the string whose opening quote is at s->p. Its text is left in
 * *value: in the body, or, when it has escapes (*escaped), decoded in
 * s->strings until the next site entry. */
static gboolean
scan_string (Scanner *s, BackupsGridpaneValue *value, gboolean *escaped)
{
  const char *start = ++s->p;
  const char *run;

  *escaped = FALSE;
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
  *escaped = TRUE;
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

static void
write_string (GString *out, const BackupsGridpaneValue *value, gboolean escaped)
{
  if (escaped)
    backups_gridpane_write_json_string (out, value->string, value->length);
  else
    g_string_append_len (out, value->string - 1, value->length + 2);
}

/* Reads a number as RFC 8259 spells it. *canonical: raw_json prints it as
 * it is spelled (an integer other than -0). */
static gboolean
scan_number (Scanner *s, BackupsGridpaneValue *value, gboolean *canonical)
{
  const char *start = s->p;
  const char *digits;
  gboolean    negative = take (s, '-');
  gboolean    integer = TRUE;
  char        text[64];

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
      *canonical = !(negative && magnitude == 0);
      return TRUE;
    }

  if ((gsize)(s->p - start) >= sizeof text)
    return FALSE;
  memcpy (text, start, s->p - start);
  text[s->p - start] = '\0';
  value->kind = BACKUPS_GRIDPANE_VALUE_DOUBLE;
  value->number = g_ascii_strtod (text, NULL);
  *canonical = FALSE;
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

/* The same test as backups_is_credential_key(), on a name that is not
 * NUL-terminated, without a lowered copy per member. */
static gboolean
name_is_credential (const BackupsGridpaneValue *name)
{
  static const char *const needles[] = { "token", "secret", "password", "key" };

  for (gsize i = 0; i < name->length; i++)
    {
      char first = g_ascii_tolower (name->string[i]);

      for (guint k = 0; k < G_N_ELEMENTS (needles); k++)
        {
          gsize n = strlen (needles[k]);

          if (first == needles[k][0] && name->length - i >= n
              && g_ascii_strncasecmp (name->string + i, needles[k], n) == 0)
            return TRUE;
        }
    }
  return FALSE;
}

typedef gboolean (*MemberFunc) (Scanner                    *s,
                                const BackupsGridpaneValue *name,
                                gboolean                    escaped,
                                gpointer                    data);

/* Reads the object at s->p ('{'), calling `func` at each member's value. */
static gboolean
scan_members (Scanner *s, Rewrite *rw, MemberFunc func, gpointer data)
{
  s->p++;
  if (++s->depth > BACKUPS_GRIDPANE_MAX_DEPTH)
    return FALSE;
  skip_space (s, rw);
  if (!take (s, '}'))
    {
      do
        {
          BackupsGridpaneValue name;
          gboolean             escaped;

          skip_space (s, rw);
          if (s->p >= s->end || *s->p != '"' || !scan_string (s, &name, &escaped))
            return FALSE;
          skip_space (s, rw);
          if (!take (s, ':'))
            return FALSE;
          skip_space (s, rw);
          if (!func (s, &name, escaped, data))
            return FALSE;
          skip_space (s, rw);
        }
      while (take (s, ','));
      if (!take (s, '}'))
        return FALSE;
    }
  s->depth--;
  return TRUE;
}

/* Reads the array at s->p ('['), calling `func` at each element. */
static gboolean
scan_elements (Scanner *s, Rewrite *rw, gboolean (*func) (Scanner *s, gpointer data), gpointer data)
{
  s->p++;
  if (++s->depth > BACKUPS_GRIDPANE_MAX_DEPTH)
    return FALSE;
  skip_space (s, rw);
  if (!take (s, ']'))
    {
      do
        {
          skip_space (s, rw);
          if (!func (s, data))
            return FALSE;
          skip_space (s, rw);
        }
      while (take (s, ','));
      if (!take (s, ']'))
        return FALSE;
    }
  s->depth--;
  return TRUE;
}

/* An object or array being copied into raw_json (rw != NULL), or only
 * checked (rw == NULL: outside the schedules, nothing is kept). */
typedef struct
{
  Rewrite                       *rw;
  gboolean                       first;
  BackupsGridpaneScheduleFields *fields; /* the schedule's own members, in the schedule */
  guint                          n_names;
  struct
  {
    const char *string;
    gsize       length;
  } names[MAX_CHECKED_MEMBERS]; /* left uninitialized: only n_names count */
} Container;

static void
container_init (Container *c, Rewrite *rw, BackupsGridpaneScheduleFields *fields)
{
  c->rw = rw;
  c->first = TRUE;
  c->fields = fields;
  c->n_names = 0;
}

static BackupsGridpaneValue *
schedule_field (BackupsGridpaneScheduleFields *fields, const BackupsGridpaneValue *name)
{
#define FIELD(member)                                                                              \
  if (name->length == sizeof #member - 1 && memcmp (name->string, #member, name->length) == 0)     \
    return &fields->member;
  FIELD (id);
  FIELD (type);
  FIELD (bup_schedule);
  FIELD (hour);
  FIELD (minute);
  FIELD (day);
  FIELD (service_id);
  FIELD (service_name);
#undef FIELD
  return NULL;
}

static gboolean
container_member (Scanner *s, const BackupsGridpaneValue *name, gboolean escaped, gpointer data)
{
  Container            *c = data;
  Rewrite              *rw = c->rw;
  BackupsGridpaneValue *field = NULL;
  Rewrite               dropped = { NULL, FALSE };

  if (rw == NULL)
    return scan_value (s, NULL, NULL);

  if (escaped)
    rw->verbatim = FALSE;

  /* json-glib keeps the last of duplicates, in the first one's place. */
  if (c->n_names == MAX_CHECKED_MEMBERS)
    return FALSE;
  for (guint i = 0; i < c->n_names; i++)
    if (c->names[i].length == name->length
        && memcmp (c->names[i].string, name->string, name->length) == 0)
      return FALSE;
  c->names[c->n_names].string = name->string;
  c->names[c->n_names].length = name->length;
  c->n_names++;

  if (c->fields != NULL)
    field = schedule_field (c->fields, name);
  /* None of the schedule's own members is named like a credential. */
  if (field == NULL && name_is_credential (name))
    {
      rw->verbatim = FALSE;
      return scan_value (s, &dropped, NULL);
    }

  if (rw->out != NULL)
    {
      if (!c->first)
        g_string_append_c (rw->out, ',');
      write_string (rw->out, name, escaped);
      g_string_append_c (rw->out, ':');
    }
  c->first = FALSE;
  return scan_value (s, rw, field);
}

static gboolean
container_element (Scanner *s, gpointer data)
{
  Container *c = data;

  if (c->rw != NULL && c->rw->out != NULL && !c->first)
    g_string_append_c (c->rw->out, ',');
  c->first = FALSE;
  return scan_value (s, c->rw, NULL);
}

/* Reads any value; in a schedule, copies or checks it for raw_json. When
 * `value` is not NULL it gets what the readers need. */
static gboolean
scan_value (Scanner *s, Rewrite *rw, BackupsGridpaneValue *value)
{
  BackupsGridpaneValue scalar;
  GString             *out = rw != NULL ? rw->out : NULL;
  const char          *start = s->p;

  if (value == NULL)
    value = &scalar;
  if (s->p >= s->end)
    return FALSE;

  switch (*s->p)
    {
    case '{':
    case '[':
      {
        Container c;
        gboolean  object = *s->p == '{';

        container_init (&c, rw, NULL);
        value->kind = object ? BACKUPS_GRIDPANE_VALUE_OBJECT : BACKUPS_GRIDPANE_VALUE_ARRAY;
        if (out != NULL)
          g_string_append_c (out, *s->p);
        if (object ? !scan_members (s, rw, container_member, &c)
                   : !scan_elements (s, rw, container_element, &c))
          return FALSE;
        if (out != NULL)
          g_string_append_c (out, object ? '}' : ']');
        return TRUE;
      }

    case '"':
      {
        gboolean escaped;

        if (!scan_string (s, value, &escaped))
          return FALSE;
        if (rw != NULL && escaped)
          rw->verbatim = FALSE;
        if (out != NULL)
          write_string (out, value, escaped);
        return TRUE;
      }

    case 't':
    case 'f':
      value->kind = BACKUPS_GRIDPANE_VALUE_BOOLEAN;
      value->boolean = *s->p == 't';
      if (!(value->boolean ? scan_literal (s, "true", 4) : scan_literal (s, "false", 5)))
        return FALSE;
      break;

    case 'n':
      value->kind = BACKUPS_GRIDPANE_VALUE_NULL;
      if (!scan_literal (s, "null", 4))
        return FALSE;
      break;

    default:
      {
        gboolean canonical;

        if (!scan_number (s, value, &canonical))
          return FALSE;
        if (rw != NULL && !canonical)
          rw->verbatim = FALSE;
        if (out != NULL && !canonical)
          {
            if (value->kind == BACKUPS_GRIDPANE_VALUE_INT)
              g_string_append_printf (out, "%" G_GINT64_FORMAT, value->integer);
            else
              backups_gridpane_write_json_double (out, value->number);
            return TRUE;
          }
        break;
      }
    }

  /* Literals and canonical numbers are printed as they are spelled. */
  if (out != NULL)
    g_string_append_len (out, start, s->p - start);
  return TRUE;
}

/* ---------------------------------------------------------------------- */
/* Schedules                                                               */

static void
pending_schedule_clear (gpointer data)
{
  PendingSchedule *pending = data;

  g_clear_pointer (&pending->raw_json, g_free);
}

/* Reads one schedule object into `pending` (its members and raw_json). */
static gboolean
scan_schedule (Scanner *s, PendingSchedule *pending)
{
  const char *start = s->p;
  const char *end;
  int         depth = s->depth;
  Rewrite     rw = { NULL, TRUE };
  Container   c;

  memset (&pending->fields, 0, sizeof pending->fields);
  container_init (&c, &rw, &pending->fields);
  if (!scan_members (s, &rw, container_member, &c))
    return FALSE;
  end = s->p;

  if (rw.verbatim)
    {
      pending->raw_json = g_strndup (start, end - start);
      return TRUE;
    }

  /* Once more over the same bytes, now known to be good, writing. */
  g_string_truncate (s->raw, 0);
  rw.out = s->raw;
  s->p = start;
  s->depth = depth;
  if (!scan_value (s, &rw, NULL))
    return FALSE;
  g_assert (s->p == end);
  pending->raw_json = g_strndup (s->raw->str, s->raw->len);
  return TRUE;
}

static gboolean
schedule_element (Scanner *s, gpointer data)
{
  GArray         *pending = data;
  PendingSchedule item = { { { 0 } }, NULL };

  /* A schedule that is not an object is an error. */
  if (s->p >= s->end || *s->p != '{')
    return FALSE;
  if (!scan_schedule (s, &item))
    {
      g_free (item.raw_json);
      return FALSE;
    }
  g_array_append_val (pending, item);
  return TRUE;
}

typedef struct
{
  BackupsGridpaneSiteFields fields;
  BackupsGridpaneValueKind  list_kind;
  GArray                   *pending; /* PendingSchedule */
} SiteEntry;

static gboolean
site_member (Scanner *s, const BackupsGridpaneValue *name, gboolean escaped, gpointer data)
{
  SiteEntry           *site = data;
  BackupsGridpaneValue list;

#define IS(literal)                                                                                \
  (name->length == sizeof literal - 1 && memcmp (name->string, literal, name->length) == 0)
  /* A member given twice counts with its last value, as in json-glib. */
  if (IS ("site_id"))
    return scan_value (s, NULL, &site->fields.site_id);
  if (IS ("server_id"))
    return scan_value (s, NULL, &site->fields.server_id);
  if (IS ("url"))
    return scan_value (s, NULL, &site->fields.url);
  if (!IS ("schedule_backups"))
    return scan_value (s, NULL, NULL);
#undef IS

  g_array_set_size (site->pending, 0);
  if (s->p < s->end && *s->p == '[')
    {
      site->list_kind = BACKUPS_GRIDPANE_VALUE_ARRAY;
      return scan_elements (s, NULL, schedule_element, site->pending);
    }
  if (!scan_value (s, NULL, &list))
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
  SiteList        *list = data;
  SiteEntry        site = { { { 0 } }, BACKUPS_GRIDPANE_VALUE_ABSENT, list->pending };
  g_autofree char *url = NULL;
  gint64           site_id;
  gint64           server_id;
  gboolean         ok;

  if (s->p >= s->end || *s->p != '{')
    return FALSE;

  g_string_chunk_clear (s->strings);
  g_array_set_size (list->pending, 0);
  if (!scan_members (s, NULL, site_member, &site)
      || !backups_gridpane_read_site_entry (&site.fields, list->index++, &site_id, &server_id, &url,
                                            NULL))
    return FALSE;

  if (site.list_kind == BACKUPS_GRIDPANE_VALUE_ABSENT
      || site.list_kind == BACKUPS_GRIDPANE_VALUE_NULL)
    return TRUE;
  if (site.list_kind != BACKUPS_GRIDPANE_VALUE_ARRAY)
    return FALSE;

  ok = TRUE;
  for (guint i = 0; i < list->pending->len && ok; i++)
    {
      PendingSchedule *pending = &g_array_index (list->pending, PendingSchedule, i);

      ok = backups_gridpane_add_schedule (&pending->fields, site_id, server_id, url,
                                          g_steal_pointer (&pending->raw_json), list->seen_ids,
                                          list->records, NULL);
    }
  return ok;
}

/* Reads the list of site entries at s->p ('['). */
static GPtrArray *
scan_site_list (Scanner *s)
{
  g_autoptr (GPtrArray) records = backups_schedule_record_array_new ();
  g_autoptr (GHashTable) seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_autoptr (GArray) pending = g_array_new (FALSE, TRUE, sizeof (PendingSchedule));
  SiteList list = { pending, records, seen_ids, 0 };

  g_array_set_clear_func (pending, pending_schedule_clear);
  if (!scan_elements (s, NULL, site_element, &list))
    return NULL;
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
  BackupsGridpaneValue success;
  ListState            data_state;
  ListState            schedules_state;
  GPtrArray           *data;
  GPtrArray           *schedules;
} Envelope;

/* Reads a top-level list member into *records, the last one counting. */
static gboolean
scan_list_member (Scanner *s, ListState *state, GPtrArray **records)
{
  g_clear_pointer (records, g_ptr_array_unref);
  if (s->p < s->end && *s->p == '[')
    {
      *state = LIST_FOUND;
      *records = scan_site_list (s);
      return *records != NULL;
    }
  *state = LIST_NOT_A_LIST;
  return scan_value (s, NULL, NULL);
}

static gboolean
envelope_member (Scanner *s, const BackupsGridpaneValue *name, gboolean escaped, gpointer data)
{
  Envelope *envelope = data;

  if (name->length == 7 && memcmp (name->string, "success", 7) == 0)
    return scan_value (s, NULL, &envelope->success);
  if (name->length == 4 && memcmp (name->string, "data", 4) == 0)
    return scan_list_member (s, &envelope->data_state, &envelope->data);
  /* "data" wins wherever it is: then "schedules" need only be valid. */
  if (name->length == 9 && memcmp (name->string, "schedules", 9) == 0
      && envelope->data_state == LIST_NONE)
    return scan_list_member (s, &envelope->schedules_state, &envelope->schedules);
  return scan_value (s, NULL, NULL);
}

/* The records of an object body, in the order of find_list(). */
static GPtrArray *
envelope_records (Envelope *envelope)
{
  /* GridPane says {"success": false} on some failures. */
  if (envelope->success.kind == BACKUPS_GRIDPANE_VALUE_BOOLEAN && !envelope->success.boolean)
    return NULL;
  if (envelope->data_state == LIST_FOUND)
    return g_steal_pointer (&envelope->data);
  if (envelope->data_state == LIST_NONE && envelope->schedules_state == LIST_FOUND)
    return g_steal_pointer (&envelope->schedules);
  return NULL;
}

GPtrArray *
backups_gridpane_parse_schedules_direct (const char *data, gsize len)
{
  g_autoptr (GString) decoded = NULL;
  g_autoptr (GString) raw = NULL;
  g_autoptr (GPtrArray) records = NULL;
  Envelope envelope = { { BACKUPS_GRIDPANE_VALUE_ABSENT } };
  Scanner  s;

  if (data == NULL || len == 0 || len > G_MAXSSIZE)
    return NULL;

  decoded = g_string_new (NULL);
  raw = g_string_new (NULL);
  s = (Scanner){ data, data + len, 0, decoded, g_string_chunk_new (4096), raw };

  skip_space (&s, NULL);
  if (s.p < s.end && *s.p == '[')
    records = scan_site_list (&s);
  else if (s.p < s.end && *s.p == '{' && scan_members (&s, NULL, envelope_member, &envelope))
    records = envelope_records (&envelope);
  skip_space (&s, NULL);

  g_clear_pointer (&envelope.data, g_ptr_array_unref);
  g_clear_pointer (&envelope.schedules, g_ptr_array_unref);
  g_string_chunk_free (s.strings);
  if (records == NULL || s.p != s.end)
    return NULL;
  return g_steal_pointer (&records);
}
