/* SPDX-License-Identifier: GPL-3.0-or-later */
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
/* Each member of `table` of `object` into its field in `fields`. */
void backups_gridpane_read_members (JsonObject                  *object,
                                    const BackupsGridpaneMember *table,
                                    gpointer                     fields);
/* TRUE for a missing member and for null. */
gboolean backups_gridpane_node_is_absent (JsonNode *node);

/* backups_gridpane_value_read_string() of a member. */
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

/* Reads the object of a list item whose id, `id`, is read already into a
 * record, or fails. `context` names the item in messages ("server 42"),
 * or is NULL when there is no error to put it in. */
typedef gpointer (*BackupsGridpaneItemReader) (JsonObject *object,
                                               gint64      id,
                                               const char *context,
                                               GError    **error);

/* How to read a list body whose items are objects with an `id`. */
typedef struct
{
  const char *const *keys;       /* where the list is: see backups_gridpane_find_list() */
  const char        *what;       /* an item, in messages: "server" */
  gboolean           unique_ids; /* an id given twice fails the body */
  GPtrArray *(*array_new) (void);
  BackupsGridpaneItemReader read_item;
} BackupsGridpaneListReader;

/* The records of a list body, or NULL and an error; fills `page` if not
 * NULL. Every item must be an object with an `id`. */
GPtrArray *backups_gridpane_parse_list (const BackupsGridpaneListReader *reader,
                                        const char                      *data,
                                        gsize                            len,
                                        BackupsGridpanePage             *page,
                                        GError                         **error);

G_END_DECLS
