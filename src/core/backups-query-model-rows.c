/* SPDX-License-Identifier: GPL-3.0-or-later
 *
 * backups-query-model-rows.c: the two kinds of rows the live model keeps,
 * how they are read, ordered, compared and turned into objects.
 */
#include "backups-query-model-private.h"

#include <string.h>

#include "backups-integration.h"
#include "backups-schedule.h"

/* Schedule rows ---------------------------------------------------------- */

/* A schedule as the model keeps it: the stored columns of
 * backups-schedule-fields.h packed by size (8-byte values, then 4, then 1),
 * 136 bytes and no object. */
#define PACK_8_ID(member) gint64 member;
#define PACK_8_OPTIONAL_ID(member) gint64 member;
#define PACK_8_STRING(member) char *member; /* interned: equal strings are one pointer */
#define PACK_8_ZONE(member) char *member;
#define PACK_8_NUMBER(member)
#define PACK_8_SMALL(member)
#define PACK_8_TYPE(member)
#define PACK_8_FREQUENCY(member)
#define PACK_8_FLAG(member)
#define PACK_8_NEXT_RUN(member)
#define PACK_8_ASSUMED(member)
#define PACK_4_NUMBER(member) gint32 member;
#define PACK_1_SMALL(member) gint8 member;
#define PACK_1_TYPE(member) guint8 member;
#define PACK_1_FREQUENCY(member) guint8 member;
#define PACK_1_FLAG(member) gint8 member;
#define PACK_8(KIND, member, property, key, SOURCE) PACK_8_##KIND (member)
#define PACK_4(KIND, member, property, key, SOURCE)                                                \
  BACKUPS_FIELD_IF_STORED_##KIND (PACK_4_IF_##KIND (member))
#define PACK_1(KIND, member, property, key, SOURCE)                                                \
  BACKUPS_FIELD_IF_STORED_##KIND (PACK_1_IF_##KIND (member))
#define PACK_4_IF_ID(member)
#define PACK_4_IF_OPTIONAL_ID(member)
#define PACK_4_IF_STRING(member)
#define PACK_4_IF_ZONE(member)
#define PACK_4_IF_NUMBER(member) PACK_4_NUMBER (member)
#define PACK_4_IF_SMALL(member)
#define PACK_4_IF_TYPE(member)
#define PACK_4_IF_FREQUENCY(member)
#define PACK_4_IF_FLAG(member)
#define PACK_1_IF_ID(member)
#define PACK_1_IF_OPTIONAL_ID(member)
#define PACK_1_IF_STRING(member)
#define PACK_1_IF_ZONE(member)
#define PACK_1_IF_NUMBER(member)
#define PACK_1_IF_SMALL(member) PACK_1_SMALL (member)
#define PACK_1_IF_TYPE(member) PACK_1_TYPE (member)
#define PACK_1_IF_FREQUENCY(member) PACK_1_FREQUENCY (member)
#define PACK_1_IF_FLAG(member) PACK_1_FLAG (member)

typedef struct
{
  BACKUPS_SCHEDULE_FIELDS (PACK_8)
  BackupsSchedule *item; /* weak: the object while anyone holds it */
  BACKUPS_SCHEDULE_FIELDS (PACK_4)
  gatomicrefcount ref_count;
  BACKUPS_SCHEDULE_FIELDS (PACK_1)
} ScheduleRow;

G_STATIC_ASSERT (sizeof (ScheduleRow) <= 136);

/* A SMALL value kept in a byte: -1 (unknown) to 127. */
#define PACK_VALUE_SMALL(x) (gint8) CLAMP (x, BACKUPS_NO_VALUE, G_MAXINT8)
#define PACK_VALUE(KIND, x) PACK_VALUE_##KIND (x)
#define PACK_VALUE_ID(x) (x)
#define PACK_VALUE_OPTIONAL_ID(x) (x)
#define PACK_VALUE_STRING(x) (x)
#define PACK_VALUE_ZONE(x) (x)
#define PACK_VALUE_NUMBER(x) (gint32) (x)
#define PACK_VALUE_TYPE(x) (guint8) (x)
#define PACK_VALUE_FREQUENCY(x) (guint8) (x)
#define PACK_VALUE_FLAG(x) (gint8) (x)

#define UNPACK_FIELD(KIND, member, property, key, SOURCE)                                          \
  BACKUPS_FIELD_IF_STORED_##KIND (f->member = (BACKUPS_FIELD_CTYPE_##KIND)row->member;)
#define PACK_FIELD(KIND, member, property, key, SOURCE)                                            \
  BACKUPS_FIELD_IF_STORED_##KIND (row->member = PACK_VALUE (KIND, f.member);)

/* The row's fields; the strings stay the row's. */
static void
schedule_row_get_fields (const ScheduleRow *row, BackupsScheduleFields *f)
{
  BACKUPS_SCHEDULE_FIELDS (UNPACK_FIELD)
}

static void
add_schedule_row (const BackupsScheduleFields *fields, gpointer user_data)
{
  ScheduleRow          *row = g_new0 (ScheduleRow, 1);
  BackupsScheduleFields f;

  backups_schedule_fields_ref_strings (&f, fields);
  BACKUPS_SCHEDULE_FIELDS (PACK_FIELD)
  g_atomic_ref_count_init (&row->ref_count);
  g_ptr_array_add (user_data, row);
}

static gboolean
read_schedule_rows (
  BackupsStore *store, gint64 org_id, GArray *keys, GPtrArray *rows, GError **error)
{
  return backups_store_foreach_schedule (store, org_id, keys, add_schedule_row, rows, error);
}

static gboolean
read_first_schedule_rows (
  BackupsStore *store, gint64 org_id, guint n, GPtrArray *rows, GError **error)
{
  return backups_store_foreach_first_schedules (store, org_id, n, add_schedule_row, rows, error);
}

static int
compare_schedule_rows (gconstpointer a, gconstpointer b)
{
  const ScheduleRow *x = a;
  const ScheduleRow *y = b;
  int                order;

  if ((order = backups_site_url_compare (x->site_url, y->site_url)) != 0)
    return order;
  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  if (x->schedule_id != y->schedule_id)
    return x->schedule_id < y->schedule_id ? -1 : 1;
  return 0;
}

static gboolean
schedule_rows_equal (gconstpointer a, gconstpointer b)
{
  BackupsScheduleFields x, y;

  if (a == b)
    return TRUE;
  schedule_row_get_fields (a, &x);
  schedule_row_get_fields (b, &y);
  return backups_schedule_fields_equal (&x, &y);
}

static void
get_schedule_key (gconstpointer row, gint64 *account_id, gint64 *remote_id)
{
  *account_id = ((const ScheduleRow *)row)->account_id;
  *remote_id = ((const ScheduleRow *)row)->schedule_id;
}

static gpointer
get_schedule_item (gpointer data)
{
  ScheduleRow          *row = data;
  BackupsScheduleFields fields;

  if (row->item != NULL)
    return g_object_ref (row->item);

  schedule_row_get_fields (row, &fields);
  row->item = backups_schedule_new_interned (&fields);
  g_object_add_weak_pointer (G_OBJECT (row->item), (gpointer *)&row->item);
  return row->item;
}

static gpointer
ref_schedule_row (gpointer data)
{
  ScheduleRow *row = data;

  g_atomic_ref_count_inc (&row->ref_count);
  return row;
}

static void
unref_schedule_row (gpointer data)
{
  ScheduleRow          *row = data;
  BackupsScheduleFields fields;

  if (!g_atomic_ref_count_dec (&row->ref_count))
    return;

  if (row->item != NULL)
    g_object_remove_weak_pointer (G_OBJECT (row->item), (gpointer *)&row->item);
  schedule_row_get_fields (row, &fields);
  backups_schedule_fields_unref_strings (&fields);
  g_free (row);
}

const BackupsQueryRowClass backups_query_schedule_rows = {
  .item_type = backups_schedule_get_type,
  .read = read_schedule_rows,
  .read_first = read_first_schedule_rows,
  .compare = compare_schedule_rows,
  .equal = schedule_rows_equal,
  .get_key = get_schedule_key,
  .get_item = get_schedule_item,
  .ref = ref_schedule_row,
  .unref = unref_schedule_row,
  .keyed = TRUE,
};

/* Integration rows: a few hundred at most, kept as the objects. ---------- */

static gboolean
read_integration_rows (
  BackupsStore *store, gint64 org_id, GArray *keys, GPtrArray *rows, GError **error)
{
  g_autoptr (GPtrArray) integrations = backups_store_query_integrations (store, org_id, error);

  if (integrations == NULL)
    return FALSE;
  for (guint i = 0; i < integrations->len; i++)
    g_ptr_array_add (rows, g_object_ref (integrations->pdata[i]));
  return TRUE;
}

static void
get_integration_key (gconstpointer row, gint64 *account_id, gint64 *remote_id)
{
  *account_id = backups_integration_get_account_id ((BackupsIntegration *)row);
  *remote_id = backups_integration_get_integration_id ((BackupsIntegration *)row);
}

static int
compare_integration_rows (gconstpointer a, gconstpointer b)
{
  gint64 account_a, account_b, id_a, id_b;

  get_integration_key (a, &account_a, &id_a);
  get_integration_key (b, &account_b, &id_b);
  if (account_a != account_b)
    return account_a < account_b ? -1 : 1;
  if (id_a != id_b)
    return id_a < id_b ? -1 : 1;
  return 0;
}

static gboolean
integration_rows_equal (gconstpointer a, gconstpointer b)
{
  return a == b || backups_integration_equal ((BackupsIntegration *)a, (BackupsIntegration *)b);
}

const BackupsQueryRowClass backups_query_integration_rows = {
  .item_type = backups_integration_get_type,
  .read = read_integration_rows,
  .compare = compare_integration_rows,
  .equal = integration_rows_equal,
  .get_key = get_integration_key,
  .get_item = g_object_ref,
  .ref = g_object_ref,
  .unref = g_object_unref,
};
