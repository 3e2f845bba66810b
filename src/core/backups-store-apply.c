/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-apply.c
 *
 * Applying a sync's snapshot: each table is compared row by row with what
 * the account has, and only what differs is written, in one transaction.
 */
#include "config.h"

#include "backups-store-private.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-error.h"

/* Each table is described once, as the record fields its columns hold;
 * the generic apply code makes a record's cells, compares them with a
 * 64-bit digest of the stored row, and writes only what differs. */
typedef enum
{
  CELL_NULL,
  CELL_INT,
  CELL_TEXT,
} CellKind;

typedef struct
{
  CellKind    kind;
  gint64      i;
  const char *s;
} Cell;

#define MAX_CELLS 16

/* The reasons a sync run keeps of the rows it could not read. */
#define MAX_UNREADABLE_REASONS 20

/* How a column's record field becomes its cell. */
typedef enum
{
  FIELD_INT64,         /* gint64, never NULL */
  FIELD_INT64_OR_NULL, /* gint64, BACKUPS_NO_VALUE for NULL */
  FIELD_INT_OR_NULL,   /* int, BACKUPS_NO_VALUE for NULL */
  FIELD_FLAG,          /* BackupsFlag, as backups_flag_to_int() */
  FIELD_TEXT,          /* char *, nullable */
  FIELD_SCHEDULE_TYPE, /* BackupsScheduleType, as its string */
  FIELD_FREQUENCY,     /* BackupsFrequency, as its string */
} FieldKind;

typedef struct
{
  const char *name; /* the column's, and the record field's */
  FieldKind   kind;
  gsize       offset;
} Column;

/* A column named after the record field it holds. */
#define COLUMN(Record, field, KIND)                                                                \
  {                                                                                                \
#field, FIELD_##KIND, G_STRUCT_OFFSET(Record, field)                                           \
  }

typedef struct
{
  const char   *table;
  const Column *columns; /* after account_id, remote_id */
  guint         n_columns;
  gsize         remote_id_offset;
} TableSpec;

static const Column server_columns[] = {
  COLUMN (BackupsServerRecord, label, TEXT),
  COLUMN (BackupsServerRecord, ip, TEXT),
  COLUMN (BackupsServerRecord, timezone, TEXT),
};

static const Column site_columns[] = {
  COLUMN (BackupsSiteRecord, url, TEXT),
  COLUMN (BackupsSiteRecord, server_remote_id, INT64_OR_NULL),
  COLUMN (BackupsSiteRecord, local_bup, FLAG),
  COLUMN (BackupsSiteRecord, remote_bup, FLAG),
  COLUMN (BackupsSiteRecord, local_retain_days, INT_OR_NULL),
  COLUMN (BackupsSiteRecord, local_prune_schedule, INT_OR_NULL),
  COLUMN (BackupsSiteRecord, remote_retain_days, INT_OR_NULL),
  COLUMN (BackupsSiteRecord, remote_prune_schedule, INT_OR_NULL),
  COLUMN (BackupsSiteRecord, problems, TEXT),
};

static const Column schedule_columns[] = {
  COLUMN (BackupsScheduleRecord, site_remote_id, INT64),
  COLUMN (BackupsScheduleRecord, server_remote_id, INT64_OR_NULL),
  COLUMN (BackupsScheduleRecord, site_url, TEXT),
  COLUMN (BackupsScheduleRecord, type, SCHEDULE_TYPE),
  COLUMN (BackupsScheduleRecord, frequency, FREQUENCY),
  COLUMN (BackupsScheduleRecord, hour, INT_OR_NULL),
  COLUMN (BackupsScheduleRecord, minute, INT_OR_NULL),
  COLUMN (BackupsScheduleRecord, day, INT_OR_NULL),
  COLUMN (BackupsScheduleRecord, service_id, INT64_OR_NULL),
  COLUMN (BackupsScheduleRecord, service_name, TEXT),
  COLUMN (BackupsScheduleRecord, integration_id, INT64_OR_NULL),
  COLUMN (BackupsScheduleRecord, problems, TEXT),
};

static const Column integration_columns[] = {
  COLUMN (BackupsIntegrationRecord, service, TEXT),
  COLUMN (BackupsIntegrationRecord, name, TEXT),
  COLUMN (BackupsIntegrationRecord, region, TEXT),
};

#define TABLE(name, Record, columns)                                                               \
  {                                                                                                \
    name, columns, G_N_ELEMENTS (columns), G_STRUCT_OFFSET (Record, remote_id)                     \
  }

/* In the order of the snapshot's arrays. */
static const TableSpec table_specs[] = {
  TABLE ("servers", BackupsServerRecord, server_columns),
  TABLE ("sites", BackupsSiteRecord, site_columns),
  TABLE ("backup_schedules", BackupsScheduleRecord, schedule_columns),
  TABLE ("backup_integrations", BackupsIntegrationRecord, integration_columns),
};

G_STATIC_ASSERT (G_N_ELEMENTS (site_columns) <= MAX_CELLS);
G_STATIC_ASSERT (G_N_ELEMENTS (schedule_columns) <= MAX_CELLS);

static inline void
cell_int (Cell *cell, gint64 value)
{
  cell->kind = CELL_INT;
  cell->i = value;
}

static inline void
cell_int_or_null (Cell *cell, gint64 value)
{
  cell->kind = value == BACKUPS_NO_VALUE ? CELL_NULL : CELL_INT;
  cell->i = value;
}

static inline void
cell_text (Cell *cell, const char *value)
{
  cell->kind = value ? CELL_TEXT : CELL_NULL;
  cell->s = value;
}

/* The record's cells, in the spec's column order; returns its remote_id. */
static gint64
fill_cells (const TableSpec *spec, gconstpointer record, Cell *cells)
{
  const guint8 *base = record;

  for (guint i = 0; i < spec->n_columns; i++)
    {
      gconstpointer field = base + spec->columns[i].offset;

      switch (spec->columns[i].kind)
        {
        case FIELD_INT64:
          cell_int (&cells[i], *(const gint64 *)field);
          break;
        case FIELD_INT64_OR_NULL:
          cell_int_or_null (&cells[i], *(const gint64 *)field);
          break;
        case FIELD_INT_OR_NULL:
          cell_int_or_null (&cells[i], *(const int *)field);
          break;
        case FIELD_FLAG:
          cell_int_or_null (&cells[i], backups_flag_to_int (*(const BackupsFlag *)field));
          break;
        case FIELD_TEXT:
          cell_text (&cells[i], *(const char *const *)field);
          break;
        case FIELD_SCHEDULE_TYPE:
          cell_text (&cells[i],
                     backups_schedule_type_to_string (*(const BackupsScheduleType *)field));
          break;
        case FIELD_FREQUENCY:
          cell_text (&cells[i], backups_frequency_to_string (*(const BackupsFrequency *)field));
          break;
        default:
          g_assert_not_reached ();
        }
    }
  return *(const gint64 *)(base + spec->remote_id_offset);
}

/* FNV-1a over kind tags and values. Stored rows and new records go through
 * the same function, so equal rows give equal digests. */
static inline guint64
digest_bytes (guint64 h, const guint8 *p, gsize len)
{
  for (gsize i = 0; i < len; i++)
    {
      h ^= p[i];
      h *= G_GUINT64_CONSTANT (0x100000001b3);
    }
  return h;
}

static guint64
digest_cells (const Cell *cells, guint n)
{
  guint64 h = G_GUINT64_CONSTANT (0xcbf29ce484222325);

  for (guint i = 0; i < n; i++)
    {
      guint8 tag = (guint8)cells[i].kind;

      h = digest_bytes (h, &tag, 1);
      if (cells[i].kind == CELL_INT)
        h = digest_bytes (h, (const guint8 *)&cells[i].i, sizeof cells[i].i);
      else if (cells[i].kind == CELL_TEXT)
        h = digest_bytes (h, (const guint8 *)cells[i].s, strlen (cells[i].s) + 1);
    }
  return h;
}

static void
bind_cells (sqlite3_stmt *stmt, int first_index, const Cell *cells, guint n)
{
  for (guint i = 0; i < n; i++)
    {
      int index = first_index + (int)i;

      switch (cells[i].kind)
        {
        case CELL_INT:
          sqlite3_bind_int64 (stmt, index, cells[i].i);
          break;
        case CELL_TEXT:
          sqlite3_bind_text (stmt, index, cells[i].s, -1, SQLITE_STATIC);
          break;
        case CELL_NULL:
        default:
          sqlite3_bind_null (stmt, index);
          break;
        }
    }
}

static gboolean
apply_table (sqlite3            *db,
             const TableSpec    *spec,
             gint64              account_id,
             GPtrArray          *records,
             BackupsApplyCounts *counts,
             GArray             *changed_ids,
             GError            **error)
{
  g_autoptr (sqlite3_stmt) select_stmt = NULL;
  g_autoptr (sqlite3_stmt) insert_stmt = NULL;
  g_autoptr (sqlite3_stmt) update_stmt = NULL;
  g_autoptr (sqlite3_stmt) delete_stmt = NULL;
  g_autoptr (GHashTable) existing = NULL; /* remote_id → digest, both boxed in one gint64 pair */
  g_autoptr (GString) sql = g_string_new (NULL);
  GHashTableIter iter;
  gpointer       key, value;
  int            rc;

  /* sql-check: allow sql: table and column names come from table_specs,
   * every value is a bound "?" placeholder. */

  /* What the account has now. */
  g_string_printf (sql, "SELECT remote_id");
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, ", %s", spec->columns[i].name);
  g_string_append_printf (sql, " FROM %s WHERE account_id = ?", spec->table);
  select_stmt = backups_store_prepare (db, sql->str, error);
  if (select_stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (select_stmt, 1, account_id);

  existing = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  while ((rc = sqlite3_step (select_stmt)) == SQLITE_ROW)
    {
      Cell    cells[MAX_CELLS];
      gint64 *entry = g_new (gint64, 2);

      for (guint i = 0; i < spec->n_columns; i++)
        {
          int column = (int)i + 1;

          switch (sqlite3_column_type (select_stmt, column))
            {
            case SQLITE_NULL:
              cells[i].kind = CELL_NULL;
              break;
            case SQLITE_INTEGER:
              cell_int (&cells[i], sqlite3_column_int64 (select_stmt, column));
              break;
            default:
              cell_text (&cells[i], (const char *)sqlite3_column_text (select_stmt, column));
              break;
            }
        }
      entry[0] = sqlite3_column_int64 (select_stmt, 0);
      entry[1] = (gint64)digest_cells (cells, spec->n_columns);
      g_hash_table_add (existing, entry);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cached rows");

  /* Insert statement. */
  g_string_printf (sql, "INSERT INTO %s (account_id, remote_id", spec->table);
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, ", %s", spec->columns[i].name);
  g_string_append (sql, ") VALUES (?, ?");
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append (sql, ", ?");
  g_string_append (sql, ")");
  insert_stmt = backups_store_prepare (db, sql->str, error);

  /* Update statement. */
  g_string_printf (sql, "UPDATE %s SET ", spec->table);
  for (guint i = 0; i < spec->n_columns; i++)
    g_string_append_printf (sql, "%s%s = ?%u", i ? ", " : "", spec->columns[i].name, i + 3);
  g_string_append (sql, " WHERE account_id = ?1 AND remote_id = ?2");
  update_stmt = backups_store_prepare (db, sql->str, error);

  g_string_printf (sql, "DELETE FROM %s WHERE account_id = ? AND remote_id = ?", spec->table);
  delete_stmt = backups_store_prepare (db, sql->str, error);

  if (insert_stmt == NULL || update_stmt == NULL || delete_stmt == NULL)
    return FALSE;

  for (guint r = 0; r < records->len; r++)
    {
      Cell          cells[MAX_CELLS];
      gint64        remote_id = fill_cells (spec, g_ptr_array_index (records, r), cells);
      gint64       *entry = g_hash_table_lookup (existing, &remote_id);
      sqlite3_stmt *stmt;

      if (entry != NULL && entry[1] == (gint64)digest_cells (cells, spec->n_columns))
        {
          g_hash_table_remove (existing, &remote_id);
          counts->unchanged++;
          continue;
        }

      stmt = entry != NULL ? update_stmt : insert_stmt;
      sqlite3_bind_int64 (stmt, 1, account_id);
      sqlite3_bind_int64 (stmt, 2, remote_id);
      bind_cells (stmt, 3, cells, spec->n_columns);
      rc = sqlite3_step (stmt);
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return backups_store_set_db_error (error, db, "store a fetched row");

      if (entry != NULL)
        {
          g_hash_table_remove (existing, &remote_id);
          counts->updated++;
        }
      else
        counts->inserted++;
      g_array_append_val (changed_ids, remote_id);
    }

  /* Whatever the snapshot no longer has goes. */
  g_hash_table_iter_init (&iter, existing);
  while (g_hash_table_iter_next (&iter, &key, &value))
    {
      const gint64 *entry = key;

      sqlite3_bind_int64 (delete_stmt, 1, account_id);
      sqlite3_bind_int64 (delete_stmt, 2, entry[0]);
      rc = sqlite3_step (delete_stmt);
      sqlite3_reset (delete_stmt);
      if (rc != SQLITE_DONE)
        return backups_store_set_db_error (error, db, "delete a stale row");
      counts->deleted++;
      g_array_append_val (changed_ids, entry[0]);
    }

  return TRUE;
}

/* The apply checks the CHECK constraints of the tables it writes itself
 * and has SQLite skip them during its transaction: SQLite 3.40 evaluates
 * backup_schedules' `frequency IN ('hourly', 'daily', 'weekly', 'monthly')`
 * by building a temporary table for every row it writes, which made a
 * quarter of an apply's time while the next account's snapshot waited for
 * the one writer. Keep this in step with backups-store-schema.c: type and
 * frequency are written from their enums (backups_*_to_string() gives one
 * of the allowed words or NULL), the time's fields are checked here, and
 * the status the apply sets is a literal. NOT NULL, keys and foreign keys
 * stay SQLite's. */
static gboolean
check_int_range (int value, int low, int high, const char *column, GError **error)
{
  if (value == BACKUPS_NO_VALUE || (value >= low && value <= high))
    return TRUE;
  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE, _ ("Could not %s in the cache: %s"),
               "store a fetched row", column);
  return FALSE;
}

static gboolean
check_schedule_records (GPtrArray *schedules, GError **error)
{
  for (guint i = 0; schedules != NULL && i < schedules->len; i++)
    {
      const BackupsScheduleRecord *record = g_ptr_array_index (schedules, i);

      /* SQLite's own words for these, as its CHECK would fail. */
      if (!check_int_range (record->hour, 0, 23, "CHECK constraint failed: hour", error)
          || !check_int_range (record->minute, 0, 59, "CHECK constraint failed: minute", error)
          || !check_int_range (record->day, 0, 31, "CHECK constraint failed: day", error))
        return FALSE;
    }
  return TRUE;
}

static gboolean
apply_in_transaction (sqlite3            *db,
                      gint64              account_id,
                      BackupsSnapshot    *snapshot,
                      BackupsApplyCounts *counts,
                      GArray             *schedule_ids,
                      gboolean           *others_changed,
                      GError            **error)
{
  g_autoptr (sqlite3_stmt) check = NULL;
  g_autoptr (sqlite3_stmt) status = NULL;
  g_autoptr (sqlite3_stmt) run = NULL;
  GPtrArray *arrays[]
    = { snapshot->servers, snapshot->sites, snapshot->schedules, snapshot->integrations };
  gint64           now = backups_store_now ();
  guint            unreadable;
  g_autofree char *unreadable_reasons = NULL;

  G_STATIC_ASSERT (G_N_ELEMENTS (arrays) == G_N_ELEMENTS (table_specs));

  check = backups_store_prepare (db, "SELECT 1 FROM accounts WHERE id = ?", error);
  if (check == NULL)
    return FALSE;
  sqlite3_bind_int64 (check, 1, account_id);
  if (sqlite3_step (check) != SQLITE_ROW)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT,
                   _ ("The account was removed while it was syncing."));
      return FALSE;
    }

  /* Time zones are only on the servers the sites embed. */
  backups_snapshot_link_servers (snapshot);
  unreadable
    = backups_snapshot_count_problems (snapshot, MAX_UNREADABLE_REASONS, &unreadable_reasons);

  for (guint i = 0; i < G_N_ELEMENTS (table_specs); i++)
    {
      g_autoptr (GArray) ids = NULL;

      if (arrays[i] == NULL)
        continue;
      ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      if (!apply_table (db, &table_specs[i], account_id, arrays[i], counts, ids, error))
        return FALSE;
      /* Schedule rows show their site's, server's and integration's
       * columns: a change there is not known row by row. */
      if (arrays[i] == snapshot->schedules)
        g_array_append_vals (schedule_ids, ids->data, ids->len);
      else if (ids->len > 0)
        *others_changed = TRUE;
    }

  status = backups_store_prepare (
    db,
    "UPDATE accounts SET last_sync_status = 'ok', last_sync_finished_at = ?2, "
    "  last_success_at = ?2, last_sync_error = NULL WHERE id = ?1",
    error);
  run = backups_store_prepare (
    db,
    "INSERT INTO sync_runs (account_id, started_at, finished_at, status, inserted, "
    "  updated, deleted, unchanged, unreadable, unreadable_reasons) "
    "SELECT id, last_sync_started_at, ?2, 'ok', ?3, ?4, ?5, ?6, ?7, ?8 FROM accounts WHERE id = ?1",
    error);
  if (status == NULL || run == NULL)
    return FALSE;

  sqlite3_bind_int64 (status, 1, account_id);
  sqlite3_bind_int64 (status, 2, now);
  if (!backups_store_step_done (db, status, "record the sync status", error))
    return FALSE;

  sqlite3_bind_int64 (run, 1, account_id);
  sqlite3_bind_int64 (run, 2, now);
  sqlite3_bind_int64 (run, 3, counts->inserted);
  sqlite3_bind_int64 (run, 4, counts->updated);
  sqlite3_bind_int64 (run, 5, counts->deleted);
  sqlite3_bind_int64 (run, 6, counts->unchanged);
  sqlite3_bind_int64 (run, 7, unreadable);
  backups_store_bind_text_or_null (run, 8, unreadable_reasons);
  counts->unreadable = unreadable;
  return backups_store_step_done (db, run, "record the sync run", error);
}

/* SQLite's own threshold for a checkpoint, in WAL pages. */
#define CHECKPOINT_WAL_PAGES 1000

/* Installed on the connection of an apply in place of SQLite's automatic
 * checkpoint, which would copy the log into the database (and sync both
 * files) inside the apply, while the next account's snapshot waits for
 * the one writer. It notes the log's size; the apply's thread checkpoints
 * once the store is free for the next writer (a passive checkpoint runs
 * beside a writer). */
static int
note_wal_size (gpointer user_data, sqlite3 *db, const char *name, int n_pages)
{
  int *wal_pages = user_data;

  *wal_pages = n_pages;
  return SQLITE_OK;
}

static gboolean
apply_snapshot_no_checkpoint (BackupsStore       *self,
                              gint64              account_id,
                              BackupsSnapshot    *snapshot,
                              BackupsApplyCounts *counts,
                              int                *wal_pages,
                              GError            **error)
{
  BackupsApplyCounts local_counts = { 0 };
  g_autoptr (GArray) schedule_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  gboolean         others_changed = FALSE;
  gboolean         ok;
  BackupsStoreConn conn;

  *wal_pages = 0;
  if (!check_schedule_records (snapshot->schedules, error))
    return FALSE;
  if (!backups_store_conn_open (&conn, self, error))
    return FALSE;

  sqlite3_wal_hook (conn.db, note_wal_size, wal_pages);
  ok = backups_store_exec (conn.db, "PRAGMA ignore_check_constraints = ON", "start saving the sync",
                           error)
       && backups_store_exec (conn.db, "BEGIN IMMEDIATE", "start saving the sync", error)
       && apply_in_transaction (conn.db, account_id, snapshot, &local_counts, schedule_ids,
                                &others_changed, error);

  if (ok)
    ok = backups_store_exec (conn.db, "COMMIT", "save the sync", error);

  if (!ok && !sqlite3_get_autocommit (conn.db))
    backups_store_exec (conn.db, "ROLLBACK", "roll back", NULL);

  /* Every other statement on this connection checks the constraints and
   * checkpoints as SQLite does. (Setting a flag fails only on a connection
   * that no longer works at all.) */
  if (sqlite3_exec (conn.db, "PRAGMA ignore_check_constraints = OFF", NULL, NULL, NULL)
      != SQLITE_OK)
    g_warning ("Could not turn the cache's constraints back on: %s", sqlite3_errmsg (conn.db));
  sqlite3_wal_autocheckpoint (conn.db, CHECKPOINT_WAL_PAGES);
  backups_store_conn_close (&conn);

  if (!ok)
    return FALSE;

  backups_store_protect_sidecar_files (self->path);
  if (counts != NULL)
    *counts = local_counts;
  if (others_changed)
    backups_store_record_unknown_change (self);
  else
    backups_store_record_schedule_changes (self, account_id, schedule_ids);
  backups_store_queue_changed_recorded (self);
  return TRUE;
}

/* What SQLite's automatic checkpoint would have done after the apply. A
 * checkpoint that cannot run now (another one runs, a reader holds the
 * log) is left to the next commit. */
static void
checkpoint_if_large (BackupsStore *self, int wal_pages)
{
  g_autoptr (GError) error = NULL;
  BackupsStoreConn conn;
  int              rc;

  if (wal_pages < CHECKPOINT_WAL_PAGES)
    return;
  if (!backups_store_conn_open (&conn, self, &error))
    {
      g_debug ("No checkpoint after the apply: %s", error->message);
      return;
    }
  rc = sqlite3_wal_checkpoint_v2 (conn.db, NULL, SQLITE_CHECKPOINT_PASSIVE, NULL, NULL);
  if (rc != SQLITE_OK && rc != SQLITE_BUSY)
    {
      backups_store_set_db_error (&error, conn.db, "copy the log into the cache");
      g_debug ("%s", error->message);
    }
  backups_store_conn_close (&conn);
}

gboolean
backups_store_apply_snapshot (BackupsStore       *self,
                              gint64              account_id,
                              BackupsSnapshot    *snapshot,
                              BackupsApplyCounts *counts,
                              GError            **error)
{
  int wal_pages;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (snapshot != NULL, FALSE);

  if (!apply_snapshot_no_checkpoint (self, account_id, snapshot, counts, &wal_pages, error))
    return FALSE;
  checkpoint_if_large (self, wal_pages);
  return TRUE;
}

typedef struct
{
  gint64             account_id;
  BackupsSnapshot   *snapshot;
  BackupsApplyCounts counts;
} ApplyData;

static void
apply_data_free (ApplyData *data)
{
  g_clear_pointer (&data->snapshot, backups_snapshot_free);
  g_free (data);
}

static void
apply_snapshot_thread (GTask        *task,
                       gpointer      source_object,
                       gpointer      task_data,
                       GCancellable *cancellable)
{
  BackupsStore    *self = source_object;
  ApplyData       *data = task_data;
  BackupsSnapshot *snapshot = g_steal_pointer (&data->snapshot);
  GError          *error = NULL;
  gboolean         ok;
  int              wal_pages;

  ok = apply_snapshot_no_checkpoint (self, data->account_id, snapshot, &data->counts, &wal_pages,
                                     &error);
  /* The store is free for the next writer from here on: say so first.
   * Freeing a large fleet's records takes tens of milliseconds, and a
   * checkpoint copies megabytes and syncs the file: both are spent here,
   * not on the caller's thread, and beside the next apply rather than
   * before it (the sync service queues them). */
  if (ok)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
  backups_snapshot_free (snapshot);
  if (ok)
    checkpoint_if_large (self, wal_pages);
}

void
backups_store_apply_snapshot_async (BackupsStore       *self,
                                    gint64              account_id,
                                    BackupsSnapshot    *snapshot,
                                    GCancellable       *cancellable,
                                    GAsyncReadyCallback callback,
                                    gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  ApplyData *data;

  g_return_if_fail (BACKUPS_IS_STORE (self));
  g_return_if_fail (snapshot != NULL);

  data = g_new0 (ApplyData, 1);
  data->account_id = account_id;
  data->snapshot = snapshot;

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_store_apply_snapshot_async);
  g_task_set_task_data (task, data, (GDestroyNotify)apply_data_free);
  /* Once started the apply is one transaction: a late cancel must not
   * report failure for rows that did commit. */
  g_task_set_check_cancellable (task, FALSE);
  if (g_cancellable_is_cancelled (cancellable))
    {
      g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
      return;
    }
  g_task_run_in_thread (task, apply_snapshot_thread);
}

gboolean
backups_store_apply_snapshot_finish (BackupsStore       *self,
                                     GAsyncResult       *result,
                                     BackupsApplyCounts *counts,
                                     GError            **error)
{
  ApplyData *data;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  data = g_task_get_task_data (G_TASK (result));
  if (!g_task_propagate_boolean (G_TASK (result), error))
    return FALSE;
  if (counts != NULL)
    *counts = data->counts;
  return TRUE;
}
