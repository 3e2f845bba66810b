/* backups-store-read.c
 *
 * The read paths of the lists: schedule rows (the first ones, a few by key,
 * or a whole organization's) and integrations.
 */
#include "config.h"

#include "backups-store-private.h"

#include <string.h>

/* Queries ------------------------------------------------------------------ */

static int
compare_int64 (gconstpointer a, gconstpointer b)
{
  gint64 x = *(const gint64 *)a, y = *(const gint64 *)b;

  return x < y ? -1 : x > y;
}

/* A schedule row's columns, joined with what it shows of its account (as
 * `a`), server, site and integration. */
#define SCHEDULE_COLUMNS                                                                           \
  "s.account_id, a.name, s.remote_id, s.site_remote_id, s.site_url, s.server_remote_id,"           \
  "  sv.label, sv.timezone, s.type, s.frequency, s.hour, s.minute, s.day, s.service_id,"           \
  "  s.service_name, i.name, i.service,"                                                           \
  "  CASE s.type WHEN 'local' THEN si.local_bup ELSE si.remote_bup END,"                           \
  "  CASE s.type WHEN 'local' THEN si.local_retain_days ELSE si.remote_retain_days END,"           \
  "  CASE s.type WHEN 'local' THEN si.local_prune_schedule ELSE si.remote_prune_schedule END,"     \
  "  s.integration_id, s.problems "
/* A remote schedule's destination is the integration its service_user_id
 * names (gridpane-api.md, Corrections); service_id is only the kind. */
#define SCHEDULE_JOINS                                                                             \
  "  LEFT JOIN servers sv ON sv.account_id = s.account_id AND sv.remote_id = s.server_remote_id"   \
  "  LEFT JOIN sites si ON si.account_id = s.account_id AND si.remote_id = s.site_remote_id"       \
  "  LEFT JOIN backup_integrations i"                                                              \
  "    ON i.account_id = s.account_id AND i.remote_id = s.integration_id "

static const char schedules_sql[]
  = "SELECT " SCHEDULE_COLUMNS
    "FROM accounts a JOIN backup_schedules s ON s.account_id = a.id" SCHEDULE_JOINS
    "WHERE a.org_id = ?1 ";

/* The row's strings are interned: release them with
 * backups_schedule_fields_unref_strings(). */
static void
schedule_fields_from_row (sqlite3_stmt *stmt, BackupsScheduleFields *f)
{
  f->account_id = sqlite3_column_int64 (stmt, 0);
  f->account_name = backups_store_column_intern (stmt, 1);
  f->schedule_id = sqlite3_column_int64 (stmt, 2);
  f->site_id = sqlite3_column_int64 (stmt, 3);
  f->site_url = backups_store_column_intern (stmt, 4);
  f->server_id = backups_store_column_int_or_none (stmt, 5);
  f->server_label = backups_store_column_intern (stmt, 6);
  f->server_timezone = backups_store_column_intern (stmt, 7);
  backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, 8), &f->type);
  backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, 9), &f->frequency);
  f->hour = (int)backups_store_column_int_or_none (stmt, 10);
  f->minute = (int)backups_store_column_int_or_none (stmt, 11);
  f->day = (int)backups_store_column_int_or_none (stmt, 12);
  f->service_id = backups_store_column_int_or_none (stmt, 13);
  f->service_name = backups_store_column_intern (stmt, 14);
  f->destination = backups_store_column_intern (stmt, 15);
  f->destination_service = backups_store_column_intern (stmt, 16);
  f->enabled = backups_flag_from_int (backups_store_column_int_or_none (stmt, 17));
  f->retain_days = (int)backups_store_column_int_or_none (stmt, 18);
  f->prune_schedule = (int)backups_store_column_int_or_none (stmt, 19);
  f->integration_id = backups_store_column_int_or_none (stmt, 20);
  f->problems = backups_store_column_intern (stmt, 21);
}

/* Steps a statement of schedules_sql's columns through `func`. */
static gboolean
step_schedule_rows (
  sqlite3 *db, sqlite3_stmt *stmt, BackupsScheduleRowFunc func, gpointer user_data, GError **error)
{
  int rc;

  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      BackupsScheduleFields fields = { 0 };

      schedule_fields_from_row (stmt, &fields);
      func (&fields, user_data);
      backups_schedule_fields_unref_strings (&fields);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  return TRUE;
}

/* A few rows by key: the joins are SQLite's. */
static gboolean
foreach_keyed_schedule (sqlite3               *db,
                        gint64                 org_id,
                        GArray                *keys,
                        BackupsScheduleRowFunc func,
                        gpointer               user_data,
                        GError               **error)
{
  for (guint first = 0; first < keys->len / 2; first += BACKUPS_STORE_MAX_KEYS)
    {
      g_autoptr (sqlite3_stmt) stmt = NULL;
      g_autoptr (GString) sql = g_string_new (schedules_sql);
      guint n = MIN (BACKUPS_STORE_MAX_KEYS, keys->len / 2 - first);

      /* sql-check: allow sql: the constant query and "(?, ?)" placeholders,
       * one pair a key; the keys are bound. */

      g_string_append (sql, "AND (s.account_id, s.remote_id) IN (VALUES ");
      for (guint i = 0; i < n; i++)
        g_string_append (sql, i ? ", (?, ?)" : "(?, ?)");
      g_string_append (sql, ")");

      stmt = backups_store_prepare (db, sql->str, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, org_id);
      for (guint i = 0; i < 2 * n; i++)
        sqlite3_bind_int64 (stmt, (int)i + 2, g_array_index (keys, gint64, 2 * first + i));

      if (!step_schedule_rows (db, stmt, func, user_data, error))
        return FALSE;
    }
  return TRUE;
}

/* The whole org: every schedule row joined with its account, server, site
 * and integration. Those are few (or, for sites, one lookup each), and
 * hash lookups here cost a third of SQLite's index searches. */

typedef struct
{
  gint64 account_id;
  gint64 remote_id;
} RowKey;

static guint
row_key_hash (gconstpointer key)
{
  const RowKey *k = key;

  return (guint)(k->remote_id ^ (k->remote_id >> 32)) * 31u + (guint)k->account_id;
}

static gboolean
row_key_equal (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;

  return x->account_id == y->account_id && x->remote_id == y->remote_id;
}

typedef struct
{
  RowKey key;
  char  *texts[2]; /* server: label, timezone; integration: name, service */
} NamedRow;

typedef struct
{
  RowKey key;
  gint32 retain_days[2]; /* [BACKUPS_SCHEDULE_TYPE_LOCAL], [..._REMOTE] */
  gint32 prune_schedule[2];
  gint8  enabled[2];
} SiteRow;

static int
compare_row_keys (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;

  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  return x->remote_id < y->remote_id ? -1 : x->remote_id > y->remote_id;
}

G_STATIC_ASSERT (BACKUPS_SCHEDULE_TYPE_LOCAL == 0 && BACKUPS_SCHEDULE_TYPE_REMOTE == 1);

static void
named_row_free (gpointer data)
{
  NamedRow *row = data;

  g_clear_pointer (&row->texts[0], g_ref_string_release);
  g_clear_pointer (&row->texts[1], g_ref_string_release);
  g_free (row);
}

/* The strings are interned. */
typedef struct
{
  GHashTable *accounts; /* account id → name */
  GHashTable *servers;  /* RowKey → NamedRow */
  GHashTable *integrations;
  GArray     *sites; /* SiteRow, by key: tens of thousands, kept compact */
} OrgLookups;

static void
org_lookups_clear (OrgLookups *lookups)
{
  g_clear_pointer (&lookups->accounts, g_hash_table_unref);
  g_clear_pointer (&lookups->servers, g_hash_table_unref);
  g_clear_pointer (&lookups->integrations, g_hash_table_unref);
  g_clear_pointer (&lookups->sites, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrgLookups, org_lookups_clear)

#define ORG_ACCOUNTS "account_id IN (SELECT id FROM accounts WHERE org_id = ?1)"

/* The org's servers and integrations: a key and two texts each. */
static const struct
{
  const char *sql;
} named_lookups[] = {
  { "SELECT account_id, remote_id, label, timezone FROM servers WHERE " ORG_ACCOUNTS },
  { "SELECT account_id, remote_id, name, service FROM backup_integrations WHERE " ORG_ACCOUNTS },
};

static gboolean
load_org_lookups (sqlite3 *db, gint64 org_id, OrgLookups *lookups, GError **error)
{
  GHashTable **named_tables[] = { &lookups->servers, &lookups->integrations };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  int rc;

  G_STATIC_ASSERT (G_N_ELEMENTS (named_lookups) == G_N_ELEMENTS (named_tables));

  lookups->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                             (GDestroyNotify)g_ref_string_release);

  stmt = backups_store_prepare (db, "SELECT id, name FROM accounts WHERE org_id = ?1", error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (lookups->accounts, g_memdup2 (&id, sizeof id),
                           backups_store_column_intern (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  g_clear_pointer (&stmt, sqlite3_finalize);

  for (guint t = 0; t < G_N_ELEMENTS (named_lookups); t++)
    {
      *named_tables[t] = g_hash_table_new_full (row_key_hash, row_key_equal, named_row_free, NULL);
      stmt = backups_store_prepare (db, named_lookups[t].sql, error);
      if (stmt == NULL)
        return FALSE;
      sqlite3_bind_int64 (stmt, 1, org_id);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          NamedRow *row = g_new0 (NamedRow, 1);

          row->key.account_id = sqlite3_column_int64 (stmt, 0);
          row->key.remote_id = sqlite3_column_int64 (stmt, 1);
          row->texts[0] = backups_store_column_intern (stmt, 2);
          row->texts[1] = backups_store_column_intern (stmt, 3);
          g_hash_table_add (*named_tables[t], row);
        }
      if (rc != SQLITE_DONE)
        return backups_store_set_db_error (error, db, "read the cache");
      g_clear_pointer (&stmt, sqlite3_finalize);
    }

  lookups->sites = g_array_new (FALSE, FALSE, sizeof (SiteRow));
  stmt = backups_store_prepare (
    db,
    "SELECT account_id, remote_id, local_bup, remote_bup, local_retain_days,"
    "  remote_retain_days, local_prune_schedule, remote_prune_schedule "
    "FROM sites WHERE " ORG_ACCOUNTS " ORDER BY account_id, remote_id",
    error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SiteRow site;

      site.key.account_id = sqlite3_column_int64 (stmt, 0);
      site.key.remote_id = sqlite3_column_int64 (stmt, 1);
      for (guint i = 0; i < 2; i++)
        {
          site.enabled[i]
            = (gint8)backups_flag_from_int (backups_store_column_int_or_none (stmt, 2 + (int)i));
          site.retain_days[i] = (gint32)backups_store_column_int_or_none (stmt, 4 + (int)i);
          site.prune_schedule[i] = (gint32)backups_store_column_int_or_none (stmt, 6 + (int)i);
        }
      g_array_append_val (lookups->sites, site);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  return TRUE;
}

/* A server's or an integration's two texts (borrowed), or NULLs. */
static void
lookup_named_row (
  GHashTable *table, gint64 account_id, gint64 remote_id, char **first, char **second)
{
  RowKey          key = { account_id, remote_id };
  const NamedRow *row = NULL;

  if (remote_id != BACKUPS_NO_VALUE)
    row = g_hash_table_lookup (table, &key);
  *first = row != NULL ? row->texts[0] : NULL;
  *second = row != NULL ? row->texts[1] : NULL;
}

static gboolean
foreach_org_schedule (
  sqlite3 *db, gint64 org_id, BackupsScheduleRowFunc func, gpointer user_data, GError **error)
{
  g_auto (OrgLookups) lookups = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gint64 *account_ids = NULL;
  guint              n_accounts;
  int                rc;

  if (!load_org_lookups (db, org_id, &lookups, error))
    return FALSE;

  /* Account by account, in id order: the rows then come in key order. */
  {
    g_autofree gpointer *keys = g_hash_table_get_keys_as_array (lookups.accounts, &n_accounts);

    account_ids = g_new (gint64, n_accounts + 1);
    for (guint i = 0; i < n_accounts; i++)
      account_ids[i] = *(gint64 *)keys[i];
  }
  qsort (account_ids, n_accounts, sizeof (gint64), compare_int64);

  stmt = backups_store_prepare (
    db,
    "SELECT remote_id, site_remote_id, site_url, server_remote_id, type, frequency,"
    "  hour, minute, day, service_id, service_name, integration_id, problems "
    "FROM backup_schedules WHERE account_id = ?",
    error);
  if (stmt == NULL)
    return FALSE;

  for (guint a = 0; a < n_accounts; a++)
    {
      const char *account_name = g_hash_table_lookup (lookups.accounts, &account_ids[a]);
      g_autoptr (GRefString) last_site_url = NULL;

      sqlite3_bind_int64 (stmt, 1, account_ids[a]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BackupsScheduleFields f = { 0 };
          RowKey                key = { account_ids[a], 0 };
          const SiteRow        *site;

          f.account_id = account_ids[a];
          f.account_name = (char *)account_name;
          f.schedule_id = sqlite3_column_int64 (stmt, 0);
          f.site_id = sqlite3_column_int64 (stmt, 1);
          /* A site's schedules mostly come one after the other. */
          if (last_site_url == NULL
              || strcmp (last_site_url, (const char *)sqlite3_column_text (stmt, 2)) != 0)
            {
              g_clear_pointer (&last_site_url, g_ref_string_release);
              last_site_url = backups_store_column_intern (stmt, 2);
            }
          f.site_url = last_site_url;
          f.server_id = backups_store_column_int_or_none (stmt, 3);
          backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, 4), &f.type);
          backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, 5), &f.frequency);
          f.hour = (int)backups_store_column_int_or_none (stmt, 6);
          f.minute = (int)backups_store_column_int_or_none (stmt, 7);
          f.day = (int)backups_store_column_int_or_none (stmt, 8);
          f.service_id = backups_store_column_int_or_none (stmt, 9);
          f.service_name = backups_store_column_intern (stmt, 10);
          f.integration_id = backups_store_column_int_or_none (stmt, 11);
          f.problems = backups_store_column_intern (stmt, 12);

          lookup_named_row (lookups.servers, account_ids[a], f.server_id, &f.server_label,
                            &f.server_timezone);
          lookup_named_row (lookups.integrations, account_ids[a], f.integration_id, &f.destination,
                            &f.destination_service);

          key.remote_id = f.site_id;
          site = lookups.sites->len == 0 ? NULL
                                         : bsearch (&key, lookups.sites->data, lookups.sites->len,
                                                    sizeof (SiteRow), compare_row_keys);
          f.enabled = site ? (BackupsFlag)site->enabled[f.type] : BACKUPS_FLAG_UNKNOWN;
          f.retain_days = site ? site->retain_days[f.type] : BACKUPS_NO_VALUE;
          f.prune_schedule = site ? site->prune_schedule[f.type] : BACKUPS_NO_VALUE;

          func (&f, user_data);
          g_clear_pointer (&f.service_name, g_ref_string_release);
          g_clear_pointer (&f.problems, g_ref_string_release);
        }
      sqlite3_reset (stmt);
      if (rc != SQLITE_DONE)
        return backups_store_set_db_error (error, db, "read the cache");
    }
  return TRUE;
}

/* The schedules_sql columns, read along backup_schedules_by_site. */
static const char schedules_by_site_sql[]
  = "SELECT " SCHEDULE_COLUMNS "FROM backup_schedules s INDEXED BY backup_schedules_by_site"
    "  CROSS JOIN accounts a ON a.id = s.account_id" SCHEDULE_JOINS "WHERE a.org_id = ?1 "
    "ORDER BY s.site_url COLLATE NOCASE, s.site_url, s.account_id, s.remote_id "
    "LIMIT ?2";

gboolean
backups_store_foreach_first_schedules (BackupsStore          *self,
                                       gint64                 org_id,
                                       guint                  n,
                                       BackupsScheduleRowFunc func,
                                       gpointer               user_data,
                                       GError               **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  /* The index gives the order: the first rows come without a sort. */
  stmt = backups_store_conn_prepare (&conn, self, schedules_by_site_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  sqlite3_bind_int64 (stmt, 2, n);
  return step_schedule_rows (conn.db, stmt, func, user_data, error);
}

gboolean
backups_store_foreach_schedule (BackupsStore          *self,
                                gint64                 org_id,
                                GArray                *keys,
                                BackupsScheduleRowFunc func,
                                gpointer               user_data,
                                GError               **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  gboolean ok;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (keys != NULL && keys->len < 2)
    return TRUE;

  if (!backups_store_conn_open (&conn, self, error))
    return FALSE;

  /* One read transaction: the rows and what they join are one snapshot. */
  if (!backups_store_exec (conn.db, "BEGIN", "read the cache", error))
    return FALSE;
  if (keys != NULL)
    ok = foreach_keyed_schedule (conn.db, org_id, keys, func, user_data, error);
  else
    ok = foreach_org_schedule (conn.db, org_id, func, user_data, error);
  backups_store_exec (conn.db, "COMMIT", "read the cache", NULL);
  return ok;
}

static void
add_schedule_object (const BackupsScheduleFields *fields, gpointer user_data)
{
  g_ptr_array_add (user_data, backups_schedule_new (fields));
}

static const char integrations_sql[]
  = "SELECT i.account_id, a.name, i.remote_id, i.service, i.name, i.region,"
    "  (SELECT COUNT (*) FROM backup_schedules s"
    "   WHERE s.account_id = i.account_id AND s.integration_id = i.remote_id) "
    "FROM accounts a JOIN backup_integrations i ON i.account_id = a.id "
    "WHERE a.org_id = ? "
    "ORDER BY i.account_id, i.remote_id";

static BackupsIntegration *
integration_from_row (sqlite3_stmt *stmt)
{
  BackupsIntegrationFields f = { 0 };

  f.account_id = sqlite3_column_int64 (stmt, 0);
  f.account_name = backups_store_column_strdup (stmt, 1);
  f.integration_id = sqlite3_column_int64 (stmt, 2);
  f.service = backups_store_column_strdup (stmt, 3);
  f.name = backups_store_column_strdup (stmt, 4);
  f.region = backups_store_column_strdup (stmt, 5);
  f.used_by = (guint)sqlite3_column_int64 (stmt, 6);

  return backups_integration_new_take (&f);
}

GPtrArray *
backups_store_query_schedules (BackupsStore *self, gint64 org_id, GError **error)
{
  g_autoptr (GPtrArray) rows = g_ptr_array_new_with_free_func (g_object_unref);

  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  if (!backups_store_foreach_schedule (self, org_id, NULL, add_schedule_object, rows, error))
    return NULL;
  return g_steal_pointer (&rows);
}

GPtrArray *
backups_store_query_integrations (BackupsStore *self, gint64 org_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (self), NULL);

  return backups_store_query_org_rows (self, integrations_sql, org_id,
                                       (BackupsStoreRowFunc)integration_from_row, "read the cache",
                                       error);
}
