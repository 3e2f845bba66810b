/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-value-private.h
 *
 * GridPane is loose about types: ids, hours and flags arrive as numbers on
 * one endpoint and as strings on another, and optional members are either
 * null or missing. Both JSON readers hand the members they find to these
 * lenient readers as a BackupsGridpaneValue, whichever reader found them,
 * so both turn the same members into the same records and the same errors.
 */
#pragma once

#include <glib.h>

#include "backups-error.h"
#include "backups-gridpane-parser.h"

G_BEGIN_DECLS

/* Every message built by the parsers is prefixed by the client with the
 * account and endpoint, so it only describes what was wrong in the body. */
#define INVALID(error, ...)                                                                        \
  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE, __VA_ARGS__)

/* Error contexts are only written when there is an error to put them in. */
#define CONTEXT(error, ...) ((error) != NULL ? g_strdup_printf (__VA_ARGS__) : NULL)

/* A text value is quoted in a problem only up to this many characters. */
#define BACKUPS_GRIDPANE_MAX_QUOTED_CHARS 40

typedef enum
{
  BACKUPS_GRIDPANE_VALUE_ABSENT, /* no such member */
  BACKUPS_GRIDPANE_VALUE_NULL,
  BACKUPS_GRIDPANE_VALUE_BOOLEAN,
  BACKUPS_GRIDPANE_VALUE_INT,
  BACKUPS_GRIDPANE_VALUE_DOUBLE,
  BACKUPS_GRIDPANE_VALUE_STRING,
  BACKUPS_GRIDPANE_VALUE_OBJECT,
  BACKUPS_GRIDPANE_VALUE_ARRAY,
} BackupsGridpaneValueKind;

/* One member's value: scalars with their contents, containers by kind. */
typedef struct
{
  BackupsGridpaneValueKind kind;
  gboolean                 boolean;
  gint64                   integer;
  double                   number; /* finite */
  const char              *string; /* UTF-8 without NUL; `length` bytes, not terminated */
  gsize                    length;
} BackupsGridpaneValue;

/* "an object", "a number", … for messages. */
const char *backups_gridpane_value_type_name (const BackupsGridpaneValue *value);

/* Reads an integer from a number or a numeric string. An empty string
 * counts as absent. Returns FALSE (without an error) when the value is not
 * an integer; *present tells absence apart. */
gboolean
backups_gridpane_value_to_int (const BackupsGridpaneValue *value, gint64 *out, gboolean *present);

/* Reads `value` (member `name`) as an integer. Absent: *out = fallback, and
 * an error when `required`. Not an integer: always an error. */
gboolean backups_gridpane_value_read_int (const BackupsGridpaneValue *value,
                                          const char                 *name,
                                          gboolean                    required,
                                          gint64                      fallback,
                                          gint64                     *out,
                                          const char                 *context,
                                          GError                    **error);

/* Reads a string; numbers are turned into their text. Absent or empty:
 * *out = NULL. Booleans, objects and arrays are an error. */
gboolean backups_gridpane_value_read_string (const BackupsGridpaneValue *value,
                                             const char                 *name,
                                             char                      **out,
                                             const char                 *context,
                                             GError                    **error);

/* Reads the required `id` of a record (a `what`: "schedule") into *id, and
 * names the record by it in *context, which named it until then; fails
 * when the id is one of `seen_ids` (may be NULL). */
gboolean backups_gridpane_read_id (const BackupsGridpaneValue *value,
                                   const char                 *what,
                                   GHashTable                 *seen_ids,
                                   gint64                     *id,
                                   char                      **context,
                                   GError                    **error);

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
} BackupsGridpaneProblems;

void backups_gridpane_problems_add (BackupsGridpaneProblems *problems, const char *format, ...)
  G_GNUC_PRINTF (2, 3);
char *backups_gridpane_problems_free_to_string (BackupsGridpaneProblems *problems);

/* An optional whole number: FALSE when absent, and when unreadable (then
 * noted). */
gboolean backups_gridpane_lenient_int (const BackupsGridpaneValue *value,
                                       const char                 *name,
                                       gint64                     *out,
                                       BackupsGridpaneProblems    *problems);

/* An optional text: NULL when absent, empty, or unreadable (then noted). */
char *backups_gridpane_lenient_string (const BackupsGridpaneValue *value,
                                       const char                 *name,
                                       BackupsGridpaneProblems    *problems);

/* A flag spelled true/false, 0/1, "0"/"1", "true"/"false", "yes"/"no" or
 * "on"/"off". Absent or null: unknown. Anything else: unknown, and noted. */
BackupsFlag backups_gridpane_lenient_flag (const BackupsGridpaneValue *value,
                                           const char                 *name,
                                           BackupsGridpaneProblems    *problems);

/* A whole number within [min, max]: else BACKUPS_NO_VALUE, with the reason
 * (`what` names it; "it has no `what`" when `needed` and absent). */
int backups_gridpane_lenient_ranged (const BackupsGridpaneValue *value,
                                     const char                 *name,
                                     const char                 *what,
                                     int                         min,
                                     int                         max,
                                     gboolean                    needed,
                                     BackupsGridpaneProblems    *problems);

/* ---------------------------------------------------------------------- */
/* Members                                                                 */

/* A struct member per JSON member of an X-macro list, and a row of its
 * table of members (ended by a NULL name). */
#define BACKUPS_GRIDPANE_MEMBER_FIELD(member) BackupsGridpaneValue member;
#define BACKUPS_GRIDPANE_MEMBER_ROW(Struct, member)                                                \
  { #member, sizeof #member - 1, G_STRUCT_OFFSET (Struct, member) },

typedef struct
{
  const char *name;
  gsize       length;
  gsize       offset; /* of its BackupsGridpaneValue in the fields struct */
} BackupsGridpaneMember;

/* The field in `fields` of member `name` (`length` bytes) of `table`, or
 * NULL for a member that does not matter. */
BackupsGridpaneValue *backups_gridpane_member_field (const BackupsGridpaneMember *table,
                                                     gpointer                     fields,
                                                     const char                  *name,
                                                     gsize                        length);

/* ---------------------------------------------------------------------- */
/* Pages                                                                   */

/* The members a paginator writes, in Laravel's `meta` or at the top level
 * of a plain paginator's body. */
#define BACKUPS_GRIDPANE_PAGINATOR_MEMBERS(X)                                                      \
  X (current_page)                                                                                 \
  X (last_page)                                                                                    \
  X (total_pages)                                                                                  \
  X (total)

typedef struct
{
  BACKUPS_GRIDPANE_PAGINATOR_MEMBERS (BACKUPS_GRIDPANE_MEMBER_FIELD)
} BackupsGridpanePaginator;

extern const BackupsGridpaneMember backups_gridpane_paginator_members[];

/* The pagination members of a list body, whichever reader found them:
 * those of its `meta` object, the same at the top level (a plain
 * paginator), `links.next` and `next_page_url`. */
typedef struct
{
  BackupsGridpaneValue     meta; /* its kind; an empty list has length 0 */
  BackupsGridpanePaginator in_meta;
  BackupsGridpanePaginator top;
  BackupsGridpaneValue     links; /* its kind */
  BackupsGridpaneValue     links_next;
  BackupsGridpaneValue     next_page_url;
} BackupsGridpanePageFields;

/* The page facts of a body from its members (gridpane-api.md,
 * Pagination), or an error for members of the wrong type. */
gboolean backups_gridpane_read_page_fields (const BackupsGridpanePageFields *fields,
                                            guint                            n_items,
                                            BackupsGridpanePage             *page,
                                            GError                         **error);

G_END_DECLS
