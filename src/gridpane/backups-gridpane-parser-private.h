/* backups-gridpane-parser-private.h
 *
 * What the json-glib parsers (backups-gridpane-parser.c) share with the
 * one-pass /backups/schedules parser (backups-gridpane-json.c): the lenient
 * readers work on a BackupsGridpaneValue, whichever parser found it, so both
 * turn the same members into the same records and the same errors.
 */
#pragma once

#include <glib.h>

#include "backups-gridpane-parser.h"

G_BEGIN_DECLS

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

/* The members of a /backups/schedules site entry that matter. */
typedef struct
{
  BackupsGridpaneValue site_id;
  BackupsGridpaneValue server_id;
  BackupsGridpaneValue url;
} BackupsGridpaneSiteFields;

/* The members of one schedule that make its record. */
typedef struct
{
  BackupsGridpaneValue id;
  BackupsGridpaneValue type;
  BackupsGridpaneValue bup_schedule;
  BackupsGridpaneValue hour;
  BackupsGridpaneValue minute;
  BackupsGridpaneValue day;
  BackupsGridpaneValue service_id;
  BackupsGridpaneValue service_name;
  BackupsGridpaneValue service_user_id;
} BackupsGridpaneScheduleFields;

/* The pagination members of a list body, whichever parser found them:
 * those of its `meta` object, the same at the top level (a plain
 * paginator), `links.next` and `next_page_url`. */
typedef struct
{
  BackupsGridpaneValue meta; /* its kind; an empty list has length 0 */
  BackupsGridpaneValue meta_current_page;
  BackupsGridpaneValue meta_last_page;
  BackupsGridpaneValue meta_total_pages;
  BackupsGridpaneValue meta_total;
  BackupsGridpaneValue current_page;
  BackupsGridpaneValue last_page;
  BackupsGridpaneValue total_pages;
  BackupsGridpaneValue total;
  BackupsGridpaneValue links; /* its kind */
  BackupsGridpaneValue links_next;
  BackupsGridpaneValue next_page_url;
} BackupsGridpanePageFields;

/* The page facts of a body from its members (gridpane-api.md,
 * Pagination), or an error for members of the wrong type. */
gboolean backups_gridpane_read_page_fields (const BackupsGridpanePageFields *fields,
                                            guint                            n_items,
                                            BackupsGridpanePage             *page,
                                            GError                         **error);

/* Site entry `index_` (from 0): its id, server id and URL (never NULL).
 * Only a missing or unreadable site id fails; an odd server id or URL is
 * unknown, and *problems (else NULL) says why. */
gboolean backups_gridpane_read_site_entry (const BackupsGridpaneSiteFields *fields,
                                           guint                            index_,
                                           gint64                          *site_id,
                                           gint64                          *server_id,
                                           char                           **url,
                                           char                           **problems,
                                           GError                         **error);

/* Appends the record of one schedule of the site to `records`, or fails
 * when it has no id or one already in `seen_ids` (where it is added). Any
 * other value it cannot read is kept as unknown, with the reason in the
 * record's `problems`. */
gboolean backups_gridpane_add_schedule (const BackupsGridpaneScheduleFields *fields,
                                        gint64                               site_id,
                                        gint64                               server_id,
                                        const char                          *site_url,
                                        const char                          *site_problems,
                                        GHashTable                          *seen_ids,
                                        GPtrArray                           *records,
                                        GError                             **error);

/* TRUE when an integer literal (an optional '-' and `n_digits` digits) is
 * outside gint64; json-glib 1.6 wraps those around. */
gboolean
backups_gridpane_integer_out_of_range (const char *digits, gsize n_digits, gboolean negative);

/* The one-pass parser of backups-gridpane-json.c. It returns the records
 * only for a body it can vouch for, and NULL, never an error, for any other:
 * an invalid body, or one it leaves to json-glib. `page` (may be NULL)
 * gets the body's pagination facts, its items being its site entries. */
GPtrArray *
backups_gridpane_parse_schedules_direct (const char *data, gsize len, BackupsGridpanePage *page);

/* The json-glib path: the reference, and the one that explains errors. */
GPtrArray *backups_gridpane_parse_schedules_tree (const char          *data,
                                                  gsize                len,
                                                  BackupsGridpanePage *page,
                                                  GError             **error);

G_END_DECLS
