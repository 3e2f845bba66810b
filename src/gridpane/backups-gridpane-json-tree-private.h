/* backups-gridpane-json-tree-private.h
 *
 * The json-glib reader of GridPane bodies, for the parsers of each list:
 * loading a body safely, finding its list, and reading members into the
 * BackupsGridpaneValues of backups-gridpane-value-private.h.
 */
#pragma once

#include <json-glib/json-glib.h>

#include "backups-gridpane-value-private.h"

G_BEGIN_DECLS

/* The root of a body that is one JSON object or list, or an
 * INVALID_RESPONSE error. Before json-glib sees the body, what it
 * mishandles is refused: bodies nested deeper than
 * BACKUPS_GRIDPANE_MAX_DEPTH, scalar roots, text after the root value,
 * integers too large for gint64, comments and malformed escapes. After it,
 * strings that are not UTF-8 and numbers too large for a double. */
JsonNode *backups_gridpane_json_load (const char *data, gsize len, GError **error);

/* A node (NULL for absent) as the lenient readers take it. */
BackupsGridpaneValue backups_gridpane_node_value (JsonNode *node);
BackupsGridpaneValue backups_gridpane_member_value (JsonObject *object, const char *name);
const char          *backups_gridpane_node_type_name (JsonNode *node);
/* TRUE for a missing member and for null. */
gboolean backups_gridpane_node_is_absent (JsonNode *node);

/* backups_gridpane_value_read_int() and _read_string() of a member. */
gboolean backups_gridpane_member_read_int (JsonObject *object,
                                           const char *name,
                                           gboolean    required,
                                           gint64      fallback,
                                           gint64     *out,
                                           const char *context,
                                           GError    **error);
gboolean backups_gridpane_member_read_string (
  JsonObject *object, const char *name, char **out, const char *context, GError **error);

/* GridPane says {"success": false, "message": "..."} on some failures with
 * a 200 status. Only the boolean true is success: "false" as a string, or
 * any other value, is not. A body without the member says nothing. */
gboolean backups_gridpane_check_success (JsonObject *root, GError **error);

/* Finds the list in a body: a bare array, or the first of `keys` that
 * holds an array in a top-level object. */
JsonArray *backups_gridpane_find_list (JsonNode *root, const char *const *keys, GError **error);

/* Element `index_` of a list of `what`s, which must be an object. */
JsonObject *
backups_gridpane_element_object (JsonArray *array, guint index_, const char *what, GError **error);

/* Laravel writes an empty object as []: an object member that is an empty
 * list is an empty object. *out is NULL for absent or null. Anything else
 * is noted in `problems` and FALSE. */
gboolean backups_gridpane_member_object (JsonObject              *object,
                                         const char              *name,
                                         JsonObject             **out,
                                         BackupsGridpaneProblems *problems);

/* The page facts of a body (see backups_gridpane_read_page_fields()). */
gboolean backups_gridpane_read_page (JsonNode            *root,
                                     guint                n_items,
                                     BackupsGridpanePage *page,
                                     GError             **error);

/* Reads the object of list item `index_` (from 0) into a record, or fails. */
typedef gpointer (*BackupsGridpaneItemReader) (JsonObject *object,
                                               guint       index_,
                                               gpointer    user_data,
                                               GError    **error);

/* A list body whose items are objects, each read by `read_item` into
 * `records` (taken over; returned when the whole body was read). The list
 * is the first of `keys` (see backups_gridpane_find_list()); `what` names
 * an item in messages. Fills `page` if not NULL. */
GPtrArray *backups_gridpane_parse_list (const char               *data,
                                        gsize                     len,
                                        const char *const        *keys,
                                        const char               *what,
                                        GPtrArray                *records,
                                        BackupsGridpaneItemReader read_item,
                                        gpointer                  user_data,
                                        BackupsGridpanePage      *page,
                                        GError                  **error);

G_END_DECLS
