/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-restore-points.c */
#include "config.h"

#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-json-tree-private.h"
#include "backups-gridpane-restore-points.h"

/* "YYYY-MM-DD HH:MM" */
#define NAME_TIME_LENGTH 16

void
backups_restore_points_clear (BackupsRestorePoints *points)
{
  g_clear_pointer (&points->points, g_ptr_array_unref);
  g_clear_pointer (&points->first_unreadable, g_free);
  points->n_unreadable = 0;
}

static gboolean
read_digits (const char *text, guint n, int *value)
{
  *value = 0;
  for (guint i = 0; i < n; i++)
    {
      if (!g_ascii_isdigit (text[i]))
        return FALSE;
      *value = *value * 10 + g_ascii_digit_value (text[i]);
    }
  return TRUE;
}

gboolean
backups_gridpane_read_restore_point_name (const char *name,
                                          GTimeZone  *server_zone,
                                          gint64     *taken_at,
                                          char      **tag)
{
  g_autoptr (GDateTime) when = NULL;
  int year, month, day, hour, minute;

  g_return_val_if_fail (name != NULL && server_zone != NULL, FALSE);

  if (strlen (name) < NAME_TIME_LENGTH || !read_digits (name, 4, &year) || name[4] != '-'
      || !read_digits (name + 5, 2, &month) || name[7] != '-' || !read_digits (name + 8, 2, &day)
      || name[10] != ' ' || !read_digits (name + 11, 2, &hour) || name[13] != ':'
      || !read_digits (name + 14, 2, &minute))
    return FALSE;
  if (name[NAME_TIME_LENGTH] != '\0' && name[NAME_TIME_LENGTH] != ' ')
    return FALSE;
  if (year < 1970 || month < 1 || month > 12 || day < 1
      || day > g_date_get_days_in_month (month, year) || hour > 23 || minute > 59)
    return FALSE;

  when = g_date_time_new (server_zone, year, month, day, hour, minute, 0);
  if (when == NULL)
    return FALSE;

  *taken_at = g_date_time_to_unix (when);
  *tag = NULL;
  if (name[NAME_TIME_LENGTH] == ' ')
    {
      g_autofree char *rest = g_strstrip (g_strdup (name + NAME_TIME_LENGTH));

      if (*rest != '\0')
        *tag = g_steal_pointer (&rest);
    }
  return TRUE;
}

static void
add_name (BackupsRestorePoints   *out,
          const char             *source,
          BackupsRestorePointKind kind,
          const char             *raw,
          GTimeZone              *server_zone)
{
  g_autofree char           *name = g_strstrip (g_strdup (raw));
  BackupsRestorePointRecord *point;
  gint64                     taken_at;
  char                      *tag;

  if (*name == '\0')
    return;

  if (!backups_gridpane_read_restore_point_name (name, server_zone, &taken_at, &tag))
    {
      if (out->n_unreadable++ == 0)
        out->first_unreadable = g_strdup_printf ("%s: “%s”", source, name);
      return;
    }

  point = backups_restore_point_record_new ();
  point->source = g_strdup (source);
  point->kind = kind;
  point->name = g_steal_pointer (&name);
  point->taken_at = taken_at;
  point->tag = tag;
  g_ptr_array_add (out->points, point);
}

/* One source's "automatic" or "manual": a string of comma-separated names
 * as documented, or, leniently, a list of such strings. */
static gboolean
read_names (BackupsRestorePoints   *out,
            JsonObject             *object,
            const char             *source,
            const char             *member,
            BackupsRestorePointKind kind,
            GTimeZone              *server_zone,
            GError                **error)
{
  JsonNode *node = json_object_get_member (object, member);

  if (backups_gridpane_node_is_absent (node))
    return TRUE;

  if (JSON_NODE_HOLDS_VALUE (node) && json_node_get_value_type (node) == G_TYPE_STRING)
    {
      g_auto (GStrv) names = g_strsplit (json_node_get_string (node), ",", -1);

      for (guint i = 0; names[i] != NULL; i++)
        add_name (out, source, kind, names[i], server_zone);
      return TRUE;
    }

  if (JSON_NODE_HOLDS_ARRAY (node))
    {
      JsonArray *array = json_node_get_array (node);

      for (guint i = 0; i < json_array_get_length (array); i++)
        {
          JsonNode *item = json_array_get_element (array, i);

          if (!JSON_NODE_HOLDS_VALUE (item) || json_node_get_value_type (item) != G_TYPE_STRING)
            {
              INVALID (error, "backups.%s.%s[%u] is %s, not a name", source, member, i,
                       backups_gridpane_node_type_name (item));
              return FALSE;
            }
          add_name (out, source, kind, json_node_get_string (item), server_zone);
        }
      return TRUE;
    }

  INVALID (error, "backups.%s.%s is %s, not a list of names", source, member,
           backups_gridpane_node_type_name (node));
  return FALSE;
}

/* Laravel writes an empty object as []. */
static gboolean
is_empty_list (JsonNode *node)
{
  return JSON_NODE_HOLDS_ARRAY (node) && json_array_get_length (json_node_get_array (node)) == 0;
}

static int
compare_newest_first (gconstpointer a, gconstpointer b)
{
  const BackupsRestorePointRecord *x = *(BackupsRestorePointRecord *const *)a;
  const BackupsRestorePointRecord *y = *(BackupsRestorePointRecord *const *)b;
  int                              order;

  if (x->taken_at != y->taken_at)
    return x->taken_at > y->taken_at ? -1 : 1;
  if ((order = strcmp (x->source, y->source)) != 0)
    return order;
  if (x->kind != y->kind)
    return x->kind < y->kind ? -1 : 1;
  return strcmp (x->name, y->name);
}

gboolean
backups_gridpane_parse_restore_points (const char           *data,
                                       gsize                 len,
                                       GTimeZone            *server_zone,
                                       BackupsRestorePoints *out,
                                       GError              **error)
{
  g_autoptr (JsonNode) root = NULL;
  g_auto (BackupsRestorePoints) result = { 0 };
  JsonObject *object;
  JsonNode   *backups;

  g_return_val_if_fail (server_zone != NULL, FALSE);

  backups_restore_points_clear (out);

  if (!(root = backups_gridpane_json_load (data, len, error)))
    return FALSE;
  if (!JSON_NODE_HOLDS_OBJECT (root))
    {
      INVALID (error, "the body is %s, not a JSON object", backups_gridpane_node_type_name (root));
      return FALSE;
    }
  object = json_node_get_object (root);
  if (!backups_gridpane_check_success (object, error))
    return FALSE;

  result.points = backups_restore_point_record_array_new ();
  backups = json_object_get_member (object, "backups");
  if (backups == NULL)
    {
      INVALID (error, "the body has no “backups” member");
      return FALSE;
    }

  if (JSON_NODE_HOLDS_OBJECT (backups))
    {
      JsonObjectIter iter;
      const char    *source;
      JsonNode      *node;

      json_object_iter_init (&iter, json_node_get_object (backups));
      while (json_object_iter_next (&iter, &source, &node))
        {
          JsonObject *kinds;

          if (backups_gridpane_node_is_absent (node) || is_empty_list (node))
            continue;
          if (!JSON_NODE_HOLDS_OBJECT (node))
            {
              INVALID (error, "backups.%s is %s, not an object", source,
                       backups_gridpane_node_type_name (node));
              return FALSE;
            }
          kinds = json_node_get_object (node);
          if (!read_names (&result, kinds, source, "automatic", BACKUPS_RESTORE_POINT_AUTOMATIC,
                           server_zone, error)
              || !read_names (&result, kinds, source, "manual", BACKUPS_RESTORE_POINT_MANUAL,
                              server_zone, error))
            return FALSE;
        }
    }
  else if (!backups_gridpane_node_is_absent (backups) && !is_empty_list (backups))
    {
      INVALID (error, "“backups” is %s, not an object", backups_gridpane_node_type_name (backups));
      return FALSE;
    }

  g_ptr_array_sort (result.points, compare_newest_first);
  *out = result;
  memset (&result, 0, sizeof result);
  return TRUE;
}
