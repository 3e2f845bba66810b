/* backups-gridpane-parser.c
 *
 * GridPane is loose about types: ids, hours and flags arrive as numbers on
 * one endpoint and as strings on another, and optional members are either
 * null or missing. These parsers accept every such spelling, but a value
 * that is required and cannot be read fails the whole body: a partial
 * snapshot would make the store delete rows that still exist.
 */
#include "config.h"

#include "backups-gridpane-parser.h"
#include "backups-gridpane-parser-private.h"

#include <json-glib/json-glib.h>
#include <math.h>
#include <string.h>

#include "backups-error.h"

#include <glib/gi18n-lib.h>

/* Every message built here is prefixed by the client with the account and
 * endpoint, so it only describes what was wrong in the body. */
#define INVALID(error, ...)                                                                        \
  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE, __VA_ARGS__)

/* ---------------------------------------------------------------------- */
/* Loading                                                                 */

static gboolean
looks_like_html (const char *data, gsize len)
{
  gsize i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  return i < len && data[i] == '<';
}

static int
hex4 (const char *data, gsize len, gsize at)
{
  int value = 0;

  if (at + 4 > len)
    return -1;
  for (gsize k = at; k < at + 4; k++)
    {
      int digit = g_ascii_xdigit_value (data[k]);

      if (digit < 0)
        return -1;
      value = value * 16 + digit;
    }
  return value;
}

/* Checks the escape whose letter is at data[*i] and moves *i to its last
 * byte. \u escapes need four hex digits, and surrogates must pair up:
 * json-glib 1.6 leaks memory on malformed escapes and decodes a lone
 * surrogate into bytes that are not UTF-8. */
static gboolean
check_escape (const char *data, gsize len, gsize *i)
{
  int unit;

  if (strchr ("\"\\/bfnrt", data[*i]) != NULL && data[*i] != '\0')
    return TRUE;
  if (data[*i] != 'u')
    return FALSE;

  unit = hex4 (data, len, *i + 1);
  if (unit < 0 || (unit >= 0xdc00 && unit <= 0xdfff))
    return FALSE;
  *i += 4;
  if (unit < 0xd800 || unit > 0xdbff)
    return TRUE;

  /* A high surrogate: the low half must follow at once. */
  if (*i + 2 >= len || data[*i + 1] != '\\' || data[*i + 2] != 'u')
    return FALSE;
  unit = hex4 (data, len, *i + 3);
  if (unit < 0xdc00 || unit > 0xdfff)
    return FALSE;
  *i += 6;
  return TRUE;
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

static gboolean
is_number_char (char c)
{
  return g_ascii_isalnum (c) || c == '.' || c == '+' || c == '-';
}

/* An integer that does not fit gint64 (json-glib 1.6 would wrap it around:
 * 18446744073709551615 becomes -1) in the number starting at data[i]. */
static gboolean
number_out_of_range (const char *data, gsize len, gsize i)
{
  gboolean negative = data[i] == '-';
  gsize    start = negative ? i + 1 : i;
  gsize    end = start;

  while (end < len && g_ascii_isdigit (data[end]))
    end++;
  /* Fractions and exponents are doubles, checked once parsed. */
  if (end < len && is_number_char (data[end]))
    return FALSE;
  return backups_gridpane_integer_out_of_range (data + start, end - start, negative);
}

/* A cheap scan before json-glib sees the body. Every GridPane body is one
 * object or list, so anything else is refused here: bodies nested deeper
 * than BACKUPS_GRIDPANE_MAX_DEPTH (json-glib and the credential filter
 * both recurse), scalar roots, text after the root value (json-glib 1.6
 * accepts "0{...}" and leaks what follows the 0), integers too large for
 * gint64, and comments. */
static gboolean
check_structure (const char *data, gsize len, GError **error)
{
  gboolean in_string = FALSE;
  gboolean escaped = FALSE;
  gboolean closed = FALSE;
  int      depth = 0;
  gsize    i = 0;

  while (i < len && g_ascii_isspace (data[i]))
    i++;
  if (i < len && data[i] != '{' && data[i] != '[')
    {
      INVALID (error, "the body is not a JSON object or list");
      return FALSE;
    }

  for (; i < len; i++)
    {
      char c = data[i];

      if (closed)
        {
          if (!g_ascii_isspace (c))
            {
              INVALID (error, "the body has more text after its JSON value");
              return FALSE;
            }
          continue;
        }

      if (in_string)
        {
          if (escaped)
            {
              escaped = FALSE;
              if (!check_escape (data, len, &i))
                {
                  INVALID (error, "the body has a malformed escape in a string");
                  return FALSE;
                }
            }
          else if (c == '\\')
            escaped = TRUE;
          else if (c == '"')
            in_string = FALSE;
          continue;
        }

      if (c == '"')
        in_string = TRUE;
      else if (c == '/')
        {
          /* JSON has no comments. json-glib 1.6 takes some, and leaks
           * the nodes of a list that a stray '/' breaks ("[/[/][]"). */
          INVALID (error, "the body has a “/” outside a string");
          return FALSE;
        }
      else if ((c == '-' || g_ascii_isdigit (c)) && (i == 0 || !is_number_char (data[i - 1]))
               && number_out_of_range (data, len, i))
        {
          INVALID (error, "the body has a number out of range");
          return FALSE;
        }
      else if (c == '[' || c == '{')
        {
          if (++depth > BACKUPS_GRIDPANE_MAX_DEPTH)
            {
              INVALID (error, "the JSON is nested more than %d levels deep",
                       BACKUPS_GRIDPANE_MAX_DEPTH);
              return FALSE;
            }
        }
      else if (c == ']' || c == '}')
        {
          /* A stray closer is left for json-glib to report. */
          if (--depth == 0)
            closed = TRUE;
        }
    }
  return TRUE;
}

static const char *node_problem (JsonNode *node);

static void
member_problem_cb (JsonObject *object,
                   const char *member_name,
                   JsonNode   *member_node,
                   gpointer    user_data)
{
  const char **problem = user_data;

  if (*problem != NULL)
    return;
  if (!g_utf8_validate (member_name, -1, NULL))
    *problem = "a member name that is not valid UTF-8";
  else
    *problem = node_problem (member_node);
}

static void
element_problem_cb (JsonArray *array, guint index_, JsonNode *element_node, gpointer user_data)
{
  const char **problem = user_data;

  if (*problem == NULL)
    *problem = node_problem (element_node);
}

/* What json-glib lets through but nothing downstream may see: a string
 * that is not UTF-8 (json-glib decodes some escapes into such bytes) and a
 * number too large for a double (1e999), which json-glib keeps as inf and
 * would serialize into raw_json as invalid JSON. NULL when the tree is
 * fine. Depth is bounded by check_structure(). */
static const char *
node_problem (JsonNode *node)
{
  const char *problem = NULL;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      json_object_foreach_member (json_node_get_object (node), member_problem_cb, &problem);
      return problem;
    case JSON_NODE_ARRAY:
      json_array_foreach_element (json_node_get_array (node), element_problem_cb, &problem);
      return problem;
    case JSON_NODE_VALUE:
      if (json_node_get_value_type (node) == G_TYPE_STRING
          && !g_utf8_validate (json_node_get_string (node), -1, NULL))
        return "text that is not valid UTF-8";
      if (json_node_get_value_type (node) == G_TYPE_DOUBLE
          && !isfinite (json_node_get_double (node)))
        return "a number out of range";
      return NULL;
    case JSON_NODE_NULL:
    default:
      return NULL;
    }
}

static JsonNode *
load_json (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonParser) parser = NULL;
  g_autoptr (GError) local_error = NULL;
  const char *problem;
  JsonNode   *root;

  if (data == NULL || len == 0)
    {
      INVALID (error, "the body is empty");
      return NULL;
    }
  if (len > G_MAXSSIZE)
    {
      INVALID (error, "the body is too large");
      return NULL;
    }
  if (!g_utf8_validate_len (data, len, NULL))
    {
      INVALID (error, "the body is not UTF-8 text");
      return NULL;
    }
  if (looks_like_html (data, len))
    {
      INVALID (error, "the body is an HTML page, not JSON");
      return NULL;
    }
  if (!check_structure (data, len, error))
    return NULL;

  parser = json_parser_new_immutable ();
  if (!json_parser_load_from_data (parser, data, (gssize)len, &local_error))
    {
      /* json-glib quotes the text it stumbled on, which may be a credential
       * (an integration's token) and may not be UTF-8: keep where and what
       * kind of error, not the quote. */
      g_autofree char *unquoted
        = g_strndup (local_error->message, strcspn (local_error->message, "\"`'"));
      g_autofree char *detail = g_utf8_make_valid (g_strchomp (unquoted), -1);

      if (g_utf8_strlen (detail, -1) > 160)
        *g_utf8_offset_to_pointer (detail, 160) = '\0';
      INVALID (error, "the body is not valid JSON (%s)", detail);
      return NULL;
    }

  root = json_parser_get_root (parser);
  if (root == NULL)
    {
      INVALID (error, "the body holds no JSON value");
      return NULL;
    }
  if ((problem = node_problem (root)) != NULL)
    {
      INVALID (error, "the body has %s", problem);
      return NULL;
    }
  return json_node_ref (root);
}

/* ---------------------------------------------------------------------- */
/* Lenient readers                                                         */

static BackupsGridpaneValue
value_of_node (JsonNode *node)
{
  BackupsGridpaneValue value = { BACKUPS_GRIDPANE_VALUE_ABSENT };

  if (node == NULL)
    return value;

  switch (json_node_get_node_type (node))
    {
    case JSON_NODE_OBJECT:
      value.kind = BACKUPS_GRIDPANE_VALUE_OBJECT;
      break;
    case JSON_NODE_ARRAY:
      value.kind = BACKUPS_GRIDPANE_VALUE_ARRAY;
      break;
    case JSON_NODE_VALUE:
      switch (json_node_get_value_type (node))
        {
        case G_TYPE_BOOLEAN:
          value.kind = BACKUPS_GRIDPANE_VALUE_BOOLEAN;
          value.boolean = json_node_get_boolean (node);
          break;
        case G_TYPE_INT64:
          value.kind = BACKUPS_GRIDPANE_VALUE_INT;
          value.integer = json_node_get_int (node);
          break;
        case G_TYPE_DOUBLE:
          value.kind = BACKUPS_GRIDPANE_VALUE_DOUBLE;
          value.number = json_node_get_double (node);
          break;
        case G_TYPE_STRING:
          value.kind = BACKUPS_GRIDPANE_VALUE_STRING;
          value.string = json_node_get_string (node);
          value.length = strlen (value.string);
          break;
        default:
          /* json-glib's parser makes no other values. */
          value.kind = BACKUPS_GRIDPANE_VALUE_NULL;
          break;
        }
      break;
    case JSON_NODE_NULL:
    default:
      value.kind = BACKUPS_GRIDPANE_VALUE_NULL;
      break;
    }
  return value;
}

static BackupsGridpaneValue
member_value (JsonObject *object, const char *name)
{
  return value_of_node (json_object_get_member (object, name));
}

static const char *
value_type_name (const BackupsGridpaneValue *value)
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

static const char *
node_type_name (JsonNode *node)
{
  BackupsGridpaneValue value = value_of_node (node);

  return value_type_name (&value);
}

static gboolean
is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
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

/* Reads an integer from a number or a numeric string. An empty string
 * counts as absent. Returns FALSE (without an error) when the value is not
 * an integer; *present tells absence apart. */
static gboolean
value_to_int (const BackupsGridpaneValue *value, gint64 *out, gboolean *present)
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
        if (!(d >= -9.0e15 && d <= 9.0e15) || d != (double)(gint64)d)
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

/* Reads `value` (member `name`) as an integer. Absent: *out = fallback, and
 * an error when `required`. Not an integer: always an error. */
static gboolean
value_read_int (const BackupsGridpaneValue *value,
                const char                 *name,
                gboolean                    required,
                gint64                      fallback,
                gint64                     *out,
                const char                 *context,
                GError                    **error)
{
  gboolean present;
  gint64   result = 0;

  if (!value_to_int (value, &result, &present))
    {
      INVALID (error, "%s: “%s” is %s, not a whole number", context, name, value_type_name (value));
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

static gboolean
read_int (JsonObject *object,
          const char *name,
          gboolean    required,
          gint64      fallback,
          gint64     *out,
          const char *context,
          GError    **error)
{
  BackupsGridpaneValue value = member_value (object, name);

  return value_read_int (&value, name, required, fallback, out, context, error);
}

/* Reads a string; numbers are turned into their text. Absent or empty:
 * *out = NULL. Booleans, objects and arrays are an error. */
static gboolean
value_read_string (const BackupsGridpaneValue *value,
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
      INVALID (error, "%s: “%s” is %s, not text", context, name, value_type_name (value));
      return FALSE;
    }
}

static gboolean
read_string (JsonObject *object, const char *name, char **out, const char *context, GError **error)
{
  BackupsGridpaneValue value = member_value (object, name);

  return value_read_string (&value, name, out, context, error);
}

/* ---------------------------------------------------------------------- */
/* Values kept as unknown                                                  */

/* One row's values that could not be read. The row keeps its other facts;
 * these become unknown, and the reasons go with the row so the sync can
 * say what it could not read. Rare, so the text is only built then. */
typedef struct
{
  GString    *text;
  const char *what; /* "schedule", "site" */
  gint64      id;
} Problems;

static void problem_add (Problems *problems, const char *format, ...) G_GNUC_PRINTF (2, 3);

static void
problem_add (Problems *problems, const char *format, ...)
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

static char *
problems_free_to_string (Problems *problems)
{
  if (problems->text == NULL)
    return NULL;
  return g_string_free (g_steal_pointer (&problems->text), FALSE);
}

/* An optional whole number: FALSE when absent, and when unreadable (then
 * noted). */
static gboolean
lenient_int (const BackupsGridpaneValue *value, const char *name, gint64 *out, Problems *problems)
{
  gboolean present;

  if (!value_to_int (value, out, &present))
    {
      if (value->kind == BACKUPS_GRIDPANE_VALUE_STRING && value->length <= 40)
        problem_add (problems, "“%s” is “%.*s”, not a whole number", name, (int)value->length,
                     value->string);
      else
        problem_add (problems, "“%s” is %s, not a whole number", name, value_type_name (value));
      return FALSE;
    }
  return present;
}

/* An optional text: NULL when absent, empty, or unreadable (then noted). */
static char *
lenient_string (const BackupsGridpaneValue *value, const char *name, Problems *problems)
{
  char *out = NULL;

  if (!value_read_string (value, name, &out, "", NULL))
    problem_add (problems, "“%s” is %s, not text", name, value_type_name (value));
  return out;
}

/* A flag spelled true/false, 0/1, "0"/"1", "true"/"false", "yes"/"no" or
 * "on"/"off". Absent or null: unknown. Anything else: unknown, and noted. */
static BackupsFlag
lenient_flag (const BackupsGridpaneValue *value, const char *name, Problems *problems)
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
        if (g_utf8_strlen (copy, -1) <= 40)
          {
            problem_add (problems, "“%s” is “%s”, not yes or no", name, copy);
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
  problem_add (problems, "“%s” is %s that is not yes or no", name, value_type_name (value));
  return BACKUPS_FLAG_UNKNOWN;
}

/* ---------------------------------------------------------------------- */
/* Envelopes                                                               */

/* GridPane says {"success": false, "message": "..."} on some failures with
 * a 200 status. Only the boolean true is success: "false" as a string, or
 * any other value, is not. A body without the member says nothing. */
static gboolean
check_success (JsonObject *root, GError **error)
{
  JsonNode *node = json_object_get_member (root, "success");

  if (node != NULL
      && !(JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_BOOLEAN
           && json_node_get_boolean (node)))
    {
      JsonNode   *message_node = json_object_get_member (root, "message");
      const char *message = NULL;

      /* The message is text only when GridPane sends text. */
      if (message_node != NULL && JSON_NODE_HOLDS_VALUE (message_node)
          && json_node_get_value_type (message_node) == G_TYPE_STRING)
        message = json_node_get_string (message_node);
      if (message != NULL && g_utf8_strlen (message, -1) > 200)
        message = NULL;
      INVALID (error, "GridPane reported a failure%s%s", message ? ": " : "",
               message ? message : "");
      return FALSE;
    }
  return TRUE;
}

/* Finds the list in a body: a bare array, or the first of `keys` that
 * holds an array in a top-level object. */
static JsonArray *
find_list (JsonNode *root, const char *const *keys, GError **error)
{
  JsonObject *object;

  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      INVALID (error, "the body is %s, not a JSON object", node_type_name (root));
      return NULL;
    }

  object = json_node_get_object (root);
  if (!check_success (object, error))
    return NULL;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, keys[i]);

      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          INVALID (error, "“%s” is %s, not a list", keys[i], node_type_name (node));
          return NULL;
        }
      return json_node_get_array (node);
    }

  INVALID (error, "the body has no “%s” list", keys[0]);
  return NULL;
}

static JsonObject *
element_object (JsonArray *array, guint index_, const char *what, GError **error)
{
  JsonNode *node = json_array_get_element (array, index_);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      INVALID (error, "%s %u is %s, not an object", what, index_ + 1, node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

/* Laravel writes an empty object as []: an object member that is an empty
 * list is an empty object. NULL for absent or null. */
static gboolean
member_object (JsonObject *object, const char *name, JsonObject **out, Problems *problems)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (is_absent (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      *out = json_node_get_object (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return TRUE;
  problem_add (problems, "“%s” is %s, not an object", name, node_type_name (node));
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Pages                                                                   */

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
  const BackupsGridpaneValue *current = NULL, *last = NULL, *total_pages = NULL, *total = NULL;

  page->current_page = 0;
  page->last_page = 0;
  page->total = -1;
  page->next = BACKUPS_GRIDPANE_NEXT_UNKNOWN;
  page->n_items = n_items;

  /* Laravel's `meta`, or a plain paginator's members at the top; Laravel
   * writes an empty object as [], which is no meta. */
  if (f->meta.kind == BACKUPS_GRIDPANE_VALUE_OBJECT)
    {
      current = &f->meta_current_page;
      last = &f->meta_last_page;
      total_pages = &f->meta_total_pages;
      total = &f->meta_total;
    }
  else if (f->current_page.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           || f->last_page.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           || f->total_pages.kind != BACKUPS_GRIDPANE_VALUE_ABSENT)
    {
      current = &f->current_page;
      last = &f->last_page;
      total_pages = &f->total_pages;
      total = &f->total;
    }
  else if (f->meta.kind != BACKUPS_GRIDPANE_VALUE_ABSENT
           && f->meta.kind != BACKUPS_GRIDPANE_VALUE_NULL
           && !(f->meta.kind == BACKUPS_GRIDPANE_VALUE_ARRAY && f->meta.length == 0))
    {
      INVALID (error, "“meta” is %s, not an object", value_type_name (&f->meta));
      return FALSE;
    }

  if (current != NULL)
    {
      gint64 current_n = 0, last_n = 0, total_pages_n = 0, total_n = -1;

      if (!value_read_int (current, "current_page", FALSE, 0, &current_n, "the page meta", error)
          || !value_read_int (last, "last_page", FALSE, 0, &last_n, "the page meta", error)
          || !value_read_int (total_pages, "total_pages", FALSE, 0, &total_pages_n, "the page meta",
                              error)
          || !value_read_int (total, "total", FALSE, -1, &total_n, "the page meta", error))
        return FALSE;
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

/* The tree's members, into the fields both parsers share. */
static gboolean
read_page (JsonNode *root, guint n_items, BackupsGridpanePage *page, GError **error)
{
  BackupsGridpanePageFields fields = { { BACKUPS_GRIDPANE_VALUE_ABSENT } };
  JsonObject               *object;
  JsonNode                 *node;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      fields.meta = member_value (object, "meta");
      node = json_object_get_member (object, "meta");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        fields.meta.length = json_array_get_length (json_node_get_array (node));
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        {
          JsonObject *meta = json_node_get_object (node);

          fields.meta_current_page = member_value (meta, "current_page");
          fields.meta_last_page = member_value (meta, "last_page");
          fields.meta_total_pages = member_value (meta, "total_pages");
          fields.meta_total = member_value (meta, "total");
        }
      fields.current_page = member_value (object, "current_page");
      fields.last_page = member_value (object, "last_page");
      fields.total_pages = member_value (object, "total_pages");
      fields.total = member_value (object, "total");
      fields.links = member_value (object, "links");
      node = json_object_get_member (object, "links");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        fields.links_next = member_value (json_node_get_object (node), "next");
      fields.next_page_url = member_value (object, "next_page_url");
    }
  return backups_gridpane_read_page_fields (&fields, n_items, page, error);
}

/* "GridPane returned 100 of 231 sites": the client adds the account. */
static void
set_shortfall_error (GError **error, BackupsGridpaneListKind kind, guint64 n_items, gint64 total)
{
  guint n = (guint)MIN (n_items, G_MAXUINT);
  guint of = (guint)MIN (total, G_MAXUINT);

  switch (kind)
    {
    case BACKUPS_GRIDPANE_LIST_SERVERS:
      INVALID (error, _ ("GridPane returned %u of %u servers"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_SITES:
      INVALID (error, _ ("GridPane returned %u of %u sites"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_SCHEDULES:
      INVALID (error, _ ("GridPane returned the backup schedules of %u of %u sites"), n, of);
      break;
    case BACKUPS_GRIDPANE_LIST_INTEGRATIONS:
    default:
      INVALID (error, _ ("GridPane returned %u of %u backup integrations"), n, of);
      break;
    }
}

BackupsGridpanePagesStep
backups_gridpane_pages_step (BackupsGridpaneListKind    kind,
                             const BackupsGridpanePage *page,
                             int                        requested,
                             guint                      n_new,
                             guint64                    n_items,
                             GError                   **error)
{
  gboolean more;

  g_return_val_if_fail (page != NULL, BACKUPS_GRIDPANE_PAGES_FAILED);
  g_return_val_if_fail (requested >= 1, BACKUPS_GRIDPANE_PAGES_FAILED);

  if (page->current_page != 0 && page->current_page != requested)
    {
      INVALID (error, _ ("page %d was asked for but page %d came back"), requested,
               page->current_page);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (page->n_items > 0 && n_new == 0 && requested > 1)
    {
      INVALID (error, _ ("page %d repeats the records of an earlier page"), requested);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (page->last_page > 0)
    more = requested < page->last_page;
  else
    more = page->next == BACKUPS_GRIDPANE_NEXT_LINK;

  if (more && page->n_items == 0)
    {
      INVALID (error, _ ("page %d is empty, but the list says more pages follow"), requested);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }

  if (!more)
    {
      if (page->total >= 0 && n_items < (guint64)page->total)
        {
          set_shortfall_error (error, kind, n_items, page->total);
          return BACKUPS_GRIDPANE_PAGES_FAILED;
        }
      return BACKUPS_GRIDPANE_PAGES_DONE;
    }

  if (requested >= BACKUPS_GRIDPANE_MAX_PAGES)
    {
      INVALID (error, _ ("the list goes on past %d pages"), BACKUPS_GRIDPANE_MAX_PAGES);
      return BACKUPS_GRIDPANE_PAGES_FAILED;
    }
  return BACKUPS_GRIDPANE_PAGES_MORE;
}

/* ---------------------------------------------------------------------- */
/* Schedules                                                               */

/* Error contexts are only written when there is an error to put them in. */
#define CONTEXT(error, ...) ((error) != NULL ? g_strdup_printf (__VA_ARGS__) : NULL)

gboolean
backups_gridpane_read_site_entry (const BackupsGridpaneSiteFields *fields,
                                  guint                            index_,
                                  gint64                          *site_id,
                                  gint64                          *server_id,
                                  char                           **url,
                                  char                           **problems,
                                  GError                         **error)
{
  g_autofree char *context = CONTEXT (error, "site entry %u", index_ + 1);
  Problems         site_problems = { NULL, "site", 0 };

  *url = NULL;
  *problems = NULL;
  /* The site id is what the entry is about: without it there is none. */
  if (!value_read_int (&fields->site_id, "site_id", TRUE, 0, site_id, context, error))
    return FALSE;
  site_problems.id = *site_id;

  /* Its server and URL can be odd: the schedules keep them as unknown. */
  if (!lenient_int (&fields->server_id, "server_id", server_id, &site_problems))
    *server_id = BACKUPS_NO_VALUE;
  *url = lenient_string (&fields->url, "url", &site_problems);
  if (*url == NULL)
    *url = g_strdup ("");
  *problems = problems_free_to_string (&site_problems);
  return TRUE;
}

/* The frequency: one of the four words, else unknown. "Daily" is not
 * "daily": GridPane never sends it, and a guess would be shown as fact. */
static BackupsFrequency
read_frequency (const BackupsGridpaneValue *value, Problems *problems)
{
  g_autofree char *word = lenient_string (value, "bup_schedule", problems);
  BackupsFrequency frequency;

  if (word == NULL)
    {
      if (value->kind != BACKUPS_GRIDPANE_VALUE_BOOLEAN
          && value->kind != BACKUPS_GRIDPANE_VALUE_OBJECT
          && value->kind != BACKUPS_GRIDPANE_VALUE_ARRAY)
        problem_add (problems, "it has no frequency (“bup_schedule”)");
      return BACKUPS_FREQUENCY_UNKNOWN;
    }
  if (!backups_frequency_from_string (word, &frequency))
    {
      if (g_utf8_strlen (word, -1) > 40)
        problem_add (problems, "its frequency is not hourly, daily, weekly or monthly");
      else
        problem_add (problems, "frequency “%s” is not hourly, daily, weekly or monthly", word);
    }
  return frequency;
}

/* A time part within [min, max]: else unknown, with the reason. */
static int
read_ranged (const BackupsGridpaneValue *value,
             const char                 *name,
             const char                 *what,
             int                         min,
             int                         max,
             gboolean                    needed,
             Problems                   *problems)
{
  gint64 number;

  if (!lenient_int (value, name, &number, problems))
    {
      if (needed
          && (value->kind == BACKUPS_GRIDPANE_VALUE_ABSENT
              || value->kind == BACKUPS_GRIDPANE_VALUE_NULL
              || (value->kind == BACKUPS_GRIDPANE_VALUE_STRING && value->length == 0)))
        problem_add (problems, "it has no %s", what);
      return BACKUPS_NO_VALUE;
    }
  if (number < min || number > max)
    {
      problem_add (problems, "%s %" G_GINT64_FORMAT " is not between %d and %d", what, number, min,
                   max);
      return BACKUPS_NO_VALUE;
    }
  return (int)number;
}

/* The schedule's time and day, checked against its frequency. */
static void
read_schedule_time (const BackupsGridpaneScheduleFields *fields,
                    BackupsScheduleRecord               *record,
                    Problems                            *problems)
{
  gboolean hourly = record->frequency == BACKUPS_FREQUENCY_HOURLY;

  /* An hourly schedule has no hour and GridPane may leave it out; one it
   * sends out of range is still reported. */
  record->hour = read_ranged (&fields->hour, "hour", "hour", 0, 23, !hourly, problems);
  if (hourly)
    record->hour = BACKUPS_NO_VALUE;
  record->minute = read_ranged (&fields->minute, "minute", "minute", 0, 59, TRUE, problems);

  switch (record->frequency)
    {
    case BACKUPS_FREQUENCY_WEEKLY:
      {
        BackupsGridpaneValue day = fields->day;
        gint64               number;
        gboolean             present;

        /* Cron spells Sunday both 0 and 7. */
        if (value_to_int (&day, &number, &present) && present && number == 7)
          {
            day.kind = BACKUPS_GRIDPANE_VALUE_INT;
            day.integer = 0;
          }
        record->day = read_ranged (&day, "day", "weekday", 0, 6, TRUE, problems);
        break;
      }

    case BACKUPS_FREQUENCY_MONTHLY:
      record->day = read_ranged (&fields->day, "day", "day of month", 1, 28, TRUE, problems);
      break;

    case BACKUPS_FREQUENCY_HOURLY:
    case BACKUPS_FREQUENCY_DAILY:
    case BACKUPS_FREQUENCY_UNKNOWN:
    default:
      /* `day` means nothing here, whatever GridPane left in it. */
      record->day = BACKUPS_NO_VALUE;
      break;
    }
}

gboolean
backups_gridpane_add_schedule (const BackupsGridpaneScheduleFields *fields,
                               gint64                               site_id,
                               gint64                               server_id,
                               const char                          *site_url,
                               const char                          *site_problems,
                               GHashTable                          *seen_ids,
                               GPtrArray                           *records,
                               GError                             **error)
{
  g_autoptr (BackupsScheduleRecord) record = backups_schedule_record_new ();
  g_autofree char *context = CONTEXT (error, "a schedule of site %" G_GINT64_FORMAT, site_id);
  g_autofree char *type = NULL;
  Problems         problems = { NULL, "schedule", 0 };
  gint64           number;

  /* Its id and type are what the row is: without them there is no row. */
  if (!value_read_int (&fields->id, "id", TRUE, 0, &record->remote_id, context, error))
    return FALSE;
  g_free (context);
  context = CONTEXT (error, "schedule %" G_GINT64_FORMAT, record->remote_id);
  problems.id = record->remote_id;

  if (g_hash_table_contains (seen_ids, &record->remote_id))
    {
      INVALID (error, "%s appears twice", context);
      return FALSE;
    }

  record->site_remote_id = site_id;
  record->server_remote_id = server_id;
  record->site_url = g_strdup (site_url != NULL ? site_url : "");

  if (!value_read_string (&fields->type, "type", &type, context, error))
    return FALSE;
  if (type == NULL)
    {
      INVALID (error, "%s: the required “type” is missing", context);
      return FALSE;
    }
  if (!backups_schedule_type_from_string (type, &record->type))
    {
      INVALID (error, "%s: unknown type “%s”", context, type);
      return FALSE;
    }

  record->frequency = read_frequency (&fields->bup_schedule, &problems);
  read_schedule_time (fields, record, &problems);

  /* A local backup has no destination, whatever the body says. */
  if (record->type == BACKUPS_SCHEDULE_TYPE_REMOTE)
    {
      if (lenient_int (&fields->service_id, "service_id", &number, &problems))
        record->service_id = number;
      record->service_name = lenient_string (&fields->service_name, "service_name", &problems);
      if (lenient_int (&fields->service_user_id, "service_user_id", &number, &problems))
        record->integration_id = number;
    }

  /* What its site entry had that could not be read goes with it. */
  if (site_problems != NULL)
    problem_add (&problems, "%s", site_problems);
  record->problems = problems_free_to_string (&problems);
  g_hash_table_add (seen_ids, &record->remote_id);
  g_ptr_array_add (records, g_steal_pointer (&record));
  return TRUE;
}

static gboolean
parse_tree_schedule (JsonNode   *node,
                     gint64      site_id,
                     gint64      server_id,
                     const char *site_url,
                     const char *site_problems,
                     GHashTable *seen_ids,
                     GPtrArray  *records,
                     GError    **error)
{
  BackupsGridpaneScheduleFields fields;
  JsonObject                   *object;

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      INVALID (error, "a schedule of site %" G_GINT64_FORMAT " is %s, not an object", site_id,
               node_type_name (node));
      return FALSE;
    }
  object = json_node_get_object (node);

  fields.id = member_value (object, "id");
  fields.type = member_value (object, "type");
  fields.bup_schedule = member_value (object, "bup_schedule");
  fields.hour = member_value (object, "hour");
  fields.minute = member_value (object, "minute");
  fields.day = member_value (object, "day");
  fields.service_id = member_value (object, "service_id");
  fields.service_name = member_value (object, "service_name");
  fields.service_user_id = member_value (object, "service_user_id");

  return backups_gridpane_add_schedule (&fields, site_id, server_id, site_url, site_problems,
                                        seen_ids, records, error);
}

GPtrArray *
backups_gridpane_parse_schedules_tree (const char          *data,
                                       gsize                len,
                                       BackupsGridpanePage *page,
                                       GError             **error)
{
  static const char *const keys[] = { "data", "schedules", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GHashTable) seen_ids = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *sites;
  guint               n_sites;

  if (!(root = load_json (data, len, error)))
    return NULL;
  if (!(sites = find_list (root, keys, error)))
    return NULL;

  records = backups_schedule_record_array_new ();
  seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);
  n_sites = json_array_get_length (sites);

  for (guint i = 0; i < n_sites; i++)
    {
      g_autofree char          *url = NULL;
      g_autofree char          *site_problems = NULL;
      BackupsGridpaneSiteFields fields;
      JsonObject               *site;
      JsonNode                 *list;
      JsonArray                *schedules;
      gint64                    site_id;
      gint64                    server_id;

      if (!(site = element_object (sites, i, "site entry", error)))
        return NULL;

      fields.site_id = member_value (site, "site_id");
      fields.server_id = member_value (site, "server_id");
      fields.url = member_value (site, "url");
      if (!backups_gridpane_read_site_entry (&fields, i, &site_id, &server_id, &url, &site_problems,
                                             error))
        return NULL;

      list = json_object_get_member (site, "schedule_backups");
      if (is_absent (list))
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (list))
        {
          INVALID (error, "site %" G_GINT64_FORMAT ": “schedule_backups” is %s, not a list",
                   site_id, node_type_name (list));
          return NULL;
        }

      schedules = json_node_get_array (list);
      for (guint j = 0; j < json_array_get_length (schedules); j++)
        {
          if (!parse_tree_schedule (json_array_get_element (schedules, j), site_id, server_id, url,
                                    site_problems, seen_ids, records, error))
            return NULL;
        }
    }

  if (!read_page (root, n_sites, page != NULL ? page : &local_page, error))
    return NULL;
  return g_steal_pointer (&records);
}

/* The one-pass parser reads what GridPane sends in a fraction of the time
 * json-glib's tree takes. Whatever it leaves (any invalid body, a page of
 * several, and the odd shapes it does not handle) takes the tree, which is
 * the reference: the same records, and the error messages. */
GPtrArray *
backups_gridpane_parse_schedules_page (const char          *data,
                                       gsize                len,
                                       BackupsGridpanePage *page,
                                       GError             **error)
{
  GPtrArray *records = backups_gridpane_parse_schedules_direct (data, len, page);

  if (records == NULL)
    return backups_gridpane_parse_schedules_tree (data, len, page, error);
  return records;
}

GPtrArray *
backups_gridpane_parse_schedules (const char *data, gsize len, GError **error)
{
  return backups_gridpane_parse_schedules_page (data, len, NULL, error);
}

/* ---------------------------------------------------------------------- */
/* Integrations                                                            */

GPtrArray *
backups_gridpane_parse_integrations_page (const char          *data,
                                          gsize                len,
                                          BackupsGridpanePage *page,
                                          GError             **error)
{
  static const char *const keys[] = { "integrations", "data", NULL };
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GHashTable) seen_ids = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *list;

  if (!(root = load_json (data, len, error)))
    return NULL;
  if (!(list = find_list (root, keys, error)))
    return NULL;

  records = backups_integration_record_array_new ();
  seen_ids = g_hash_table_new (g_int64_hash, g_int64_equal);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autoptr (BackupsIntegrationRecord) record = backups_integration_record_new ();
      g_autofree char *context = NULL;
      JsonObject      *object;

      if (!(object = element_object (list, i, "integration", error)))
        return NULL;

      context = g_strdup_printf ("integration %u", i + 1);
      if (!read_int (object, "id", TRUE, 0, &record->remote_id, context, error))
        return NULL;
      g_free (context);
      context = g_strdup_printf ("integration %" G_GINT64_FORMAT, record->remote_id);

      if (g_hash_table_contains (seen_ids, &record->remote_id))
        {
          INVALID (error, "%s appears twice", context);
          return NULL;
        }

      /* Only what the app shows is read: the storage provider's keys
       * (`token`, `secret_token`, and whatever else the body carries)
       * never leave this function. */
      if (!read_string (object, "integrated_service", &record->service, context, error)
          || !read_string (object, "integration_name", &record->name, context, error)
          || !read_string (object, "region", &record->region, context, error))
        return NULL;

      /* Unknown and missing kinds are data, not errors. */
      if (record->service == NULL)
        record->service = g_strdup ("");
      if (record->name == NULL)
        record->name = g_strdup ("");

      /* The key points into the record, which the array keeps alive. */
      g_hash_table_add (seen_ids, &record->remote_id);
      g_ptr_array_add (records, g_steal_pointer (&record));
    }

  if (!read_page (root, records->len, page != NULL ? page : &local_page, error))
    return NULL;
  return g_steal_pointer (&records);
}

GPtrArray *
backups_gridpane_parse_integrations (const char *data, gsize len, GError **error)
{
  return backups_gridpane_parse_integrations_page (data, len, NULL, error);
}

/* ---------------------------------------------------------------------- */
/* Sites and servers                                                       */

static JsonArray *
find_page_list (JsonNode *root, GError **error)
{
  static const char *const keys[] = { "data", NULL };

  return find_list (root, keys, error);
}

/* Retention days: any count of days, 0 for unlimited. */
static int
read_retain_days (JsonObject *customizer, const char *name, Problems *problems)
{
  BackupsGridpaneValue value = member_value (customizer, name);
  gint64               number;

  if (!lenient_int (&value, name, &number, problems))
    return BACKUPS_NO_VALUE;
  if (number < 0 || number > 100000)
    {
      problem_add (problems, "“%s” %" G_GINT64_FORMAT " is not a number of days", name, number);
      return BACKUPS_NO_VALUE;
    }
  return (int)number;
}

static BackupsSiteRecord *
parse_site (JsonObject *object, guint index_, GError **error)
{
  g_autoptr (BackupsSiteRecord) record = backups_site_record_new ();
  g_autofree char *context = g_strdup_printf ("site %u", index_ + 1);
  Problems         problems = { NULL, "site", 0 };
  JsonObject      *server = NULL;
  JsonObject      *customizer = NULL;
  gint64           number;

  /* Its id is what the row is: without it there is no row. */
  if (!read_int (object, "id", TRUE, 0, &record->remote_id, context, error))
    return NULL;
  problems.id = record->remote_id;

  {
    BackupsGridpaneValue url = member_value (object, "url");
    BackupsGridpaneValue server_id = member_value (object, "server_id");
    BackupsGridpaneValue local_bup = member_value (object, "local_bup");
    BackupsGridpaneValue remote_bup = member_value (object, "remote_bup");

    record->url = lenient_string (&url, "url", &problems);
    if (record->url == NULL)
      record->url = g_strdup ("");
    if (lenient_int (&server_id, "server_id", &number, &problems))
      record->server_remote_id = number;
    record->local_bup = lenient_flag (&local_bup, "local_bup", &problems);
    record->remote_bup = lenient_flag (&remote_bup, "remote_bup", &problems);
  }

  /* The embedded server is the only place GridPane names its time zone. */
  if (member_object (object, "server", &server, &problems) && server != NULL)
    {
      BackupsGridpaneValue id = member_value (server, "id");
      BackupsGridpaneValue label = member_value (server, "label");
      BackupsGridpaneValue ip = member_value (server, "ip");
      BackupsGridpaneValue timezone = member_value (server, "server_timezone");

      if (lenient_int (&id, "server.id", &number, &problems)
          && record->server_remote_id == BACKUPS_NO_VALUE)
        record->server_remote_id = number;
      record->server_label = lenient_string (&label, "server.label", &problems);
      record->server_ip = lenient_string (&ip, "server.ip", &problems);
      record->server_timezone = lenient_string (&timezone, "server.server_timezone", &problems);
    }

  /* [] is Laravel's empty object: no settings, not a broken body. */
  if (member_object (object, "site_customizer", &customizer, &problems) && customizer != NULL)
    {
      BackupsGridpaneValue local_prune = member_value (customizer, "local_prune_schedule");
      BackupsGridpaneValue remote_prune = member_value (customizer, "remote_prune_schedule");

      record->local_retain_days = read_retain_days (customizer, "local_retain_days", &problems);
      record->remote_retain_days = read_retain_days (customizer, "remote_retain_days", &problems);
      record->local_prune_schedule = read_ranged (&local_prune, "local_prune_schedule",
                                                  "local_prune_schedule", 0, 3, FALSE, &problems);
      record->remote_prune_schedule = read_ranged (&remote_prune, "remote_prune_schedule",
                                                   "remote_prune_schedule", 0, 3, FALSE, &problems);
    }

  record->problems = problems_free_to_string (&problems);
  return g_steal_pointer (&record);
}

GPtrArray *
backups_gridpane_parse_sites_page (const char          *data,
                                   gsize                len,
                                   BackupsGridpanePage *page,
                                   GError             **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) records = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *list;

  if (!(root = load_json (data, len, error)))
    return NULL;
  if (!(list = find_page_list (root, error)))
    return NULL;

  records = backups_site_record_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject        *object;
      BackupsSiteRecord *record;

      if (!(object = element_object (list, i, "site", error)))
        return NULL;
      if (!(record = parse_site (object, i, error)))
        return NULL;
      g_ptr_array_add (records, record);
    }

  if (!read_page (root, records->len, page != NULL ? page : &local_page, error))
    return NULL;

  return g_steal_pointer (&records);
}

static BackupsServerRecord *
parse_server (JsonObject *object, guint index_, GError **error)
{
  g_autoptr (BackupsServerRecord) record = backups_server_record_new ();
  g_autofree char *context = g_strdup_printf ("server %u", index_ + 1);

  if (!read_int (object, "id", TRUE, 0, &record->remote_id, context, error))
    return NULL;
  g_free (context);
  context = g_strdup_printf ("server %" G_GINT64_FORMAT, record->remote_id);

  /* No time zone here: the /server list does not carry one (gridpane-api.md,
   * Corrections); the sites' embedded servers do. */
  if (!read_string (object, "label", &record->label, context, error)
      || !read_string (object, "ip", &record->ip, context, error))
    return NULL;

  return g_steal_pointer (&record);
}

GPtrArray *
backups_gridpane_parse_servers_page (const char          *data,
                                     gsize                len,
                                     BackupsGridpanePage *page,
                                     GError             **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GPtrArray) records = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *list;

  if (!(root = load_json (data, len, error)))
    return NULL;
  if (!(list = find_page_list (root, error)))
    return NULL;

  records = backups_server_record_array_new ();
  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      JsonObject          *object;
      BackupsServerRecord *record;

      if (!(object = element_object (list, i, "server", error)))
        return NULL;
      if (!(record = parse_server (object, i, error)))
        return NULL;
      g_ptr_array_add (records, record);
    }

  if (!read_page (root, records->len, page != NULL ? page : &local_page, error))
    return NULL;

  return g_steal_pointer (&records);
}

gboolean
backups_gridpane_parse_user (const char *data, gsize len, GError **error)
{
  g_autoptr (JsonNode) root = NULL;

  if (!(root = load_json (data, len, error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      INVALID (error, "the body is %s, not a JSON object", node_type_name (root));
      return FALSE;
    }
  return check_success (json_node_get_object (root), error);
}

/* ---------------------------------------------------------------------- */
/* Rate-limit headers                                                      */

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
  if (end == NULL || *end != '\0' || !(value >= 0.0 && value < 1.0e12))
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
    delay = (gint64)(seconds * 1000.0) + 1000;
  else if (parse_seconds (endpoint_reset, &seconds))
    /* A reset already past (clock skew) still deserves a short pause. */
    delay = MAX (reset_to_delay_ms (seconds, now_ms), 1000);
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
      /* Reset times are whole seconds; a little margin keeps the next
       * request from landing just before the window turns. */
      return MIN (until_reset + 100, BACKUPS_GRIDPANE_MAX_DELAY_MS);
    }

  if (!parse_seconds (limit, &limit_value) || limit_value < 1.0)
    return 0;

  /* Spreading what is left only helps when the server says when the
   * window turns; guessed, it only makes the sync slower. */
  if (reset != NULL && remaining_value <= limit_value / 4.0)
    return until_reset / ((gint64)remaining_value + 1);

  return 0;
}
