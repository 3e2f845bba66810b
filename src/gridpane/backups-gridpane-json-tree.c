/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-json-tree.c
 *
 * The json-glib reader of GridPane bodies: a guard that refuses what
 * json-glib 1.6 mishandles, the tree, and the helpers that find a body's
 * list and read its members into BackupsGridpaneValues for the lenient
 * readers. Every body but a plain /backups/schedules one is read here, and
 * every error message about a body comes from here or the readers.
 */
#include "config.h"

#include "backups-gridpane-json-tree-private.h"

#include <math.h>
#include <string.h>

#include "backups-gridpane-json-text-private.h"

/* Quoted texts from a body are cut to this many characters in messages. */
#define MAX_ERROR_DETAIL_CHARS 160
#define MAX_FAILURE_MESSAGE_CHARS 200

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
 * than BACKUPS_GRIDPANE_MAX_DEPTH (json-glib and node_problem ()
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
              gunichar decoded;
              gsize    n = backups_gridpane_json_read_escape (data + i, data + len, &decoded);

              escaped = FALSE;
              if (n == 0)
                {
                  INVALID (error, "the body has a malformed escape in a string");
                  return FALSE;
                }
              /* To the escape's last byte. */
              i += n - 1;
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

JsonNode *
backups_gridpane_json_load (const char *data, gsize len, GError **error)
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

      if (g_utf8_strlen (detail, -1) > MAX_ERROR_DETAIL_CHARS)
        *g_utf8_offset_to_pointer (detail, MAX_ERROR_DETAIL_CHARS) = '\0';
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
/* Members                                                                 */

BackupsGridpaneValue
backups_gridpane_node_value (JsonNode *node)
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

BackupsGridpaneValue
backups_gridpane_member_value (JsonObject *object, const char *name)
{
  return backups_gridpane_node_value (json_object_get_member (object, name));
}

const char *
backups_gridpane_node_type_name (JsonNode *node)
{
  BackupsGridpaneValue value = backups_gridpane_node_value (node);

  return backups_gridpane_value_type_name (&value);
}

gboolean
backups_gridpane_node_is_absent (JsonNode *node)
{
  return node == NULL || JSON_NODE_HOLDS_NULL (node);
}

gboolean
backups_gridpane_member_read_string (
  JsonObject *object, const char *name, char **out, const char *context, GError **error)
{
  BackupsGridpaneValue value = backups_gridpane_member_value (object, name);

  return backups_gridpane_value_read_string (&value, name, out, context, error);
}
/* ---------------------------------------------------------------------- */
/* Envelopes                                                               */

gboolean
backups_gridpane_check_success (JsonObject *root, GError **error)
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
      if (message != NULL && g_utf8_strlen (message, -1) > MAX_FAILURE_MESSAGE_CHARS)
        message = NULL;
      INVALID (error, "GridPane reported a failure%s%s", message ? ": " : "",
               message ? message : "");
      return FALSE;
    }
  return TRUE;
}

JsonArray *
backups_gridpane_find_list (JsonNode *root, const char *const *keys, GError **error)
{
  JsonObject *object;

  if (JSON_NODE_HOLDS_ARRAY (root))
    return json_node_get_array (root);

  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      INVALID (error, "the body is %s, not a JSON object", backups_gridpane_node_type_name (root));
      return NULL;
    }

  object = json_node_get_object (root);
  if (!backups_gridpane_check_success (object, error))
    return NULL;

  for (guint i = 0; keys[i] != NULL; i++)
    {
      JsonNode *node = json_object_get_member (object, keys[i]);

      if (node == NULL)
        continue;
      if (!JSON_NODE_HOLDS_ARRAY (node))
        {
          INVALID (error, "“%s” is %s, not a list", keys[i],
                   backups_gridpane_node_type_name (node));
          return NULL;
        }
      return json_node_get_array (node);
    }

  INVALID (error, "the body has no “%s” list", keys[0]);
  return NULL;
}

JsonObject *
backups_gridpane_element_object (JsonArray *array, guint index_, const char *what, GError **error)
{
  JsonNode *node = json_array_get_element (array, index_);

  if (!JSON_NODE_HOLDS_OBJECT (node))
    {
      INVALID (error, "%s %u is %s, not an object", what, index_ + 1,
               backups_gridpane_node_type_name (node));
      return NULL;
    }
  return json_node_get_object (node);
}

gboolean
backups_gridpane_member_object (JsonObject              *object,
                                const char              *name,
                                JsonObject             **out,
                                BackupsGridpaneProblems *problems)
{
  JsonNode *node = json_object_get_member (object, name);

  *out = NULL;
  if (backups_gridpane_node_is_absent (node))
    return TRUE;
  if (JSON_NODE_HOLDS_OBJECT (node))
    {
      *out = json_node_get_object (node);
      return TRUE;
    }
  if (JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0)
    return TRUE;
  backups_gridpane_problems_add (problems, "“%s” is %s, not an object", name,
                                 backups_gridpane_node_type_name (node));
  return FALSE;
}

/* ---------------------------------------------------------------------- */
void
backups_gridpane_read_members (JsonObject                  *object,
                               const BackupsGridpaneMember *table,
                               gpointer                     fields)
{
  for (const BackupsGridpaneMember *member = table; member->name != NULL; member++)
    *(BackupsGridpaneValue *)G_STRUCT_MEMBER_P (fields, member->offset)
      = backups_gridpane_member_value (object, member->name);
}

gboolean
backups_gridpane_read_page (JsonNode            *root,
                            guint                n_items,
                            BackupsGridpanePage *page,
                            GError             **error)
{
  BackupsGridpanePageFields fields = { { BACKUPS_GRIDPANE_VALUE_ABSENT } };
  JsonObject               *object;
  JsonNode                 *node;

  if (JSON_NODE_HOLDS_OBJECT (root))
    {
      object = json_node_get_object (root);
      fields.meta = backups_gridpane_member_value (object, "meta");
      node = json_object_get_member (object, "meta");
      if (node != NULL && JSON_NODE_HOLDS_ARRAY (node))
        fields.meta.length = json_array_get_length (json_node_get_array (node));
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        backups_gridpane_read_members (json_node_get_object (node),
                                       backups_gridpane_paginator_members, &fields.in_meta);
      backups_gridpane_read_members (object, backups_gridpane_paginator_members, &fields.top);
      fields.links = backups_gridpane_member_value (object, "links");
      node = json_object_get_member (object, "links");
      if (node != NULL && JSON_NODE_HOLDS_OBJECT (node))
        fields.links_next = backups_gridpane_member_value (json_node_get_object (node), "next");
      fields.next_page_url = backups_gridpane_member_value (object, "next_page_url");
    }
  return backups_gridpane_read_page_fields (&fields, n_items, page, error);
}

GPtrArray *
backups_gridpane_parse_list (const BackupsGridpaneListReader *reader,
                             const char                      *data,
                             gsize                            len,
                             BackupsGridpanePage             *page,
                             GError                         **error)
{
  g_autoptr (GPtrArray) records = NULL;
  g_autoptr (GHashTable) seen_ids = NULL;
  g_autoptr (JsonNode) root = NULL;
  BackupsGridpanePage local_page;
  JsonArray          *list;

  if (!(root = backups_gridpane_json_load (data, len, error)))
    return NULL;
  if (!(list = backups_gridpane_find_list (root, reader->keys, error)))
    return NULL;

  records = reader->array_new ();
  if (reader->unique_ids)
    seen_ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  for (guint i = 0; i < json_array_get_length (list); i++)
    {
      g_autofree char     *context = CONTEXT (error, "%s %u", reader->what, i + 1);
      BackupsGridpaneValue id_value;
      JsonObject          *object;
      gpointer             record;
      gint64               id;

      if (!(object = backups_gridpane_element_object (list, i, reader->what, error)))
        return NULL;
      id_value = backups_gridpane_member_value (object, "id");
      if (!backups_gridpane_read_id (&id_value, reader->what, seen_ids, &id, &context, error))
        return NULL;
      if (!(record = reader->read_item (object, id, context, error)))
        return NULL;
      if (seen_ids != NULL)
        g_hash_table_add (seen_ids, g_memdup2 (&id, sizeof id));
      g_ptr_array_add (records, record);
    }

  if (!backups_gridpane_read_page (root, records->len, page != NULL ? page : &local_page, error))
    return NULL;
  return g_steal_pointer (&records);
}
