/* SPDX-License-Identifier: GPL-3.0-or-later */
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

/* Schedule rows ----------------------------------------------------------
 *
 * Every column of a row comes from backups-schedule-fields.h. A few rows
 * (by key, or the first ones) are read with SQLite's joins; a whole org is
 * read from backup_schedules alone and joined here, through lookups. */

/* The site's values the row's type picks from (BY_TYPE columns): a pair
 * each, [BACKUPS_SCHEDULE_TYPE_LOCAL] and [BACKUPS_SCHEDULE_TYPE_REMOTE]. */
#define SITE_PAIR_OWN(column) SITE_PAIR_NONE
#define SITE_PAIR_JOINED(expression) SITE_PAIR_NONE
#define SITE_PAIR_BY_TYPE(local, remote) SITE_PAIR_MEMBER
#define SITE_PAIR_DERIVED() SITE_PAIR_NONE
#define SITE_PAIR_NONE(KIND, member)
#define SITE_PAIR_MEMBER(KIND, member) gint32 member[2];
#define SITE_PAIR(KIND, member, property, key, SOURCE) SITE_PAIR_##SOURCE (KIND, member)

typedef struct
{
  BACKUPS_SCHEDULE_FIELDS (SITE_PAIR)
} SitePairs;

G_STATIC_ASSERT (BACKUPS_SCHEDULE_TYPE_LOCAL == 0 && BACKUPS_SCHEDULE_TYPE_REMOTE == 1);

/* The one place where a schedule's type picks its site's flag and
 * retention: `site` NULL is a site the cache does not have. */
#define TAKE_PAIR_OWN(column) TAKE_PAIR_NONE
#define TAKE_PAIR_JOINED(expression) TAKE_PAIR_NONE
#define TAKE_PAIR_BY_TYPE(local, remote) TAKE_PAIR_MEMBER
#define TAKE_PAIR_DERIVED() TAKE_PAIR_NONE
#define TAKE_PAIR_NONE(KIND, member)
#define TAKE_PAIR_MEMBER(KIND, member)                                                             \
  f->member = site != NULL ? (BACKUPS_FIELD_CTYPE_##KIND)site->member[f->schedule_type]            \
                           : BACKUPS_FIELD_FALLBACK_##KIND;
#define TAKE_PAIR(KIND, member, property, key, SOURCE) TAKE_PAIR_##SOURCE (KIND, member)

static void
schedule_fields_take_site (BackupsScheduleFields *f, const SitePairs *site)
{
  BACKUPS_SCHEDULE_FIELDS (TAKE_PAIR)
}

/* Reading one column of a kind. */
static BackupsScheduleType
column_schedule_type (sqlite3_stmt *stmt, int column)
{
  BackupsScheduleType type = BACKUPS_SCHEDULE_TYPE_LOCAL;

  backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, column), &type);
  return type;
}

static BackupsFrequency
column_frequency (sqlite3_stmt *stmt, int column)
{
  BackupsFrequency frequency;

  backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, column), &frequency);
  return frequency;
}

#define READ_ID(stmt, column) sqlite3_column_int64 (stmt, column)
#define READ_OPTIONAL_ID(stmt, column) backups_store_column_int_or_none (stmt, column)
#define READ_NUMBER(stmt, column) (int)backups_store_column_int_or_none (stmt, column)
#define READ_SMALL(stmt, column) READ_NUMBER (stmt, column)
#define READ_STRING(stmt, column) backups_store_column_intern (stmt, column)
#define READ_ZONE(stmt, column) READ_STRING (stmt, column)
#define READ_TYPE(stmt, column) column_schedule_type (stmt, column)
#define READ_FREQUENCY(stmt, column) column_frequency (stmt, column)
#define READ_FLAG(stmt, column)                                                                    \
  backups_flag_from_int (backups_store_column_int_or_none (stmt, column))

/* With SQLite's joins: the row's own columns, the joined values, and both
 * values of each site pair. The list ends in a NULL column, as each entry
 * ends in a comma. */
#define JOIN_SQL_OWN(column) "s." column ", "
#define JOIN_SQL_JOINED(expression) expression ", "
#define JOIN_SQL_BY_TYPE(local, remote) "si." local ", si." remote ", "
#define JOIN_SQL_DERIVED()
#define JOIN_SQL(KIND, member, property, key, SOURCE) JOIN_SQL_##SOURCE

#define SCHEDULE_COLUMNS BACKUPS_SCHEDULE_FIELDS (JOIN_SQL) "NULL "
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

#define READ_JOINED_OWN(column) READ_JOINED_ONE
#define READ_JOINED_JOINED(expression) READ_JOINED_ONE
#define READ_JOINED_BY_TYPE(local, remote) READ_JOINED_PAIR
#define READ_JOINED_DERIVED() READ_JOINED_NONE
#define READ_JOINED_ONE(KIND, member)                                                              \
  f->member = READ_##KIND (stmt, column);                                                          \
  column++;
#define READ_JOINED_PAIR(KIND, member)                                                             \
  site.member[0] = (gint32)READ_##KIND (stmt, column);                                             \
  site.member[1] = (gint32)READ_##KIND (stmt, column + 1);                                         \
  column += 2;
#define READ_JOINED_NONE(KIND, member)
#define READ_JOINED(KIND, member, property, key, SOURCE) READ_JOINED_##SOURCE (KIND, member)

/* A row of schedules_sql. Its strings are interned: release them with
 * backups_schedule_fields_unref_strings(). */
static void
schedule_fields_from_row (sqlite3_stmt *stmt, BackupsScheduleFields *f)
{
  SitePairs site;
  int       column = 0;

  BACKUPS_SCHEDULE_FIELDS (READ_JOINED)
  /* A LEFT JOIN without a site gives NULLs: unknown, as without a site. */
  schedule_fields_take_site (f, &site);
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
  RowKey    key;
  SitePairs pairs;
} SiteRow;

static int
compare_row_keys (gconstpointer a, gconstpointer b)
{
  const RowKey *x = a, *y = b;

  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  return x->remote_id < y->remote_id ? -1 : x->remote_id > y->remote_id;
}

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

/* The org's sites: the pairs their schedules pick from. */
#define SITE_SQL_OWN(column)
#define SITE_SQL_JOINED(expression)
#define SITE_SQL_BY_TYPE(local, remote) local ", " remote ", "
#define SITE_SQL_DERIVED()
#define SITE_SQL(KIND, member, property, key, SOURCE) SITE_SQL_##SOURCE

static const char sites_sql[] = "SELECT account_id, remote_id, " BACKUPS_SCHEDULE_FIELDS (
  SITE_SQL) "NULL FROM sites WHERE " ORG_ACCOUNTS " ORDER BY account_id, remote_id";

#define READ_SITE_PAIR(KIND, member, property, key, SOURCE) READ_SITE_PAIR_##SOURCE (KIND, member)
#define READ_SITE_PAIR_OWN(column) READ_JOINED_NONE
#define READ_SITE_PAIR_JOINED(expression) READ_JOINED_NONE
#define READ_SITE_PAIR_BY_TYPE(local, remote) READ_JOINED_SITE_PAIR
#define READ_SITE_PAIR_DERIVED() READ_JOINED_NONE
#define READ_JOINED_SITE_PAIR(KIND, member)                                                        \
  site.pairs.member[0] = (gint32)READ_##KIND (stmt, column);                                       \
  site.pairs.member[1] = (gint32)READ_##KIND (stmt, column + 1);                                   \
  column += 2;

static gboolean
load_org_lookups (sqlite3 *db, gint64 org_id, OrgLookups *lookups, GError **error)
{
  GHashTable **named_tables[] = { &lookups->servers, &lookups->integrations };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n_sites;
  int   rc;

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

  /* Sized at once: tens of thousands of rows, doubling as they come,
   * would leave the smaller copies behind in the worker's heap. */
  stmt = backups_store_prepare (db, "SELECT COUNT(*) FROM sites WHERE " ORG_ACCOUNTS, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  n_sites = sqlite3_step (stmt) == SQLITE_ROW ? (guint)sqlite3_column_int64 (stmt, 0) : 0;
  g_clear_pointer (&stmt, sqlite3_finalize);

  lookups->sites = g_array_sized_new (FALSE, FALSE, sizeof (SiteRow), n_sites);
  stmt = backups_store_prepare (db, sites_sql, error);
  if (stmt == NULL)
    return FALSE;
  sqlite3_bind_int64 (stmt, 1, org_id);
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SiteRow site;
      int     column = 2;

      site.key.account_id = sqlite3_column_int64 (stmt, 0);
      site.key.remote_id = sqlite3_column_int64 (stmt, 1);
      BACKUPS_SCHEDULE_FIELDS (READ_SITE_PAIR)
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

/* An account's rows, their own columns only. */
#define OWN_SQL_OWN(column) column ", "
#define OWN_SQL_JOINED(expression)
#define OWN_SQL_BY_TYPE(local, remote)
#define OWN_SQL_DERIVED()
#define OWN_SQL(KIND, member, property, key, SOURCE) OWN_SQL_##SOURCE

static const char own_columns_sql[]
  = "SELECT " BACKUPS_SCHEDULE_FIELDS (OWN_SQL) "NULL FROM backup_schedules WHERE account_id = ?";

/* The same string comes row after row (a site's schedules are one after
 * the other; kinds and problems repeat): each string column remembers its
 * last value, which the row borrows. */
#define OWN_COUNT_OWN(column) +1
#define OWN_COUNT_JOINED(expression)
#define OWN_COUNT_BY_TYPE(local, remote)
#define OWN_COUNT_DERIVED()
#define OWN_COUNT(KIND, member, property, key, SOURCE) OWN_COUNT_##SOURCE

/* own_columns_sql's columns, the closing NULL left out. */
enum
{
  N_OWN_COLUMNS = 0 BACKUPS_SCHEDULE_FIELDS (OWN_COUNT)
};

typedef struct
{
  GRefString *last[N_OWN_COLUMNS];
} RepeatedStrings;

static void
repeated_strings_clear (RepeatedStrings *repeated)
{
  for (guint i = 0; i < N_OWN_COLUMNS; i++)
    g_clear_pointer (&repeated->last[i], g_ref_string_release);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (RepeatedStrings, repeated_strings_clear)

static const char *
column_repeated_string (sqlite3_stmt *stmt, int column, GRefString **last)
{
  const char *text = (const char *)sqlite3_column_text (stmt, column);

  g_assert (column < N_OWN_COLUMNS);
  if (text == NULL)
    return NULL;
  if (last[column] == NULL || strcmp (last[column], text) != 0)
    {
      g_clear_pointer (&last[column], g_ref_string_release);
      last[column] = g_ref_string_new_intern (text);
    }
  return last[column];
}

#define READ_REPEATED_ID(stmt, column) READ_ID (stmt, column)
#define READ_REPEATED_OPTIONAL_ID(stmt, column) READ_OPTIONAL_ID (stmt, column)
#define READ_REPEATED_NUMBER(stmt, column) READ_NUMBER (stmt, column)
#define READ_REPEATED_SMALL(stmt, column) READ_SMALL (stmt, column)
#define READ_REPEATED_STRING(stmt, column)                                                         \
  (char *)column_repeated_string (stmt, column, repeated.last)
#define READ_REPEATED_ZONE(stmt, column) READ_REPEATED_STRING (stmt, column)
#define READ_REPEATED_TYPE(stmt, column) READ_TYPE (stmt, column)
#define READ_REPEATED_FREQUENCY(stmt, column) READ_FREQUENCY (stmt, column)
#define READ_REPEATED_FLAG(stmt, column) READ_FLAG (stmt, column)

#define READ_OWN(KIND, member, property, key, SOURCE) READ_OWN_##SOURCE (KIND, member)
#define READ_OWN_OWN(column) READ_OWN_ONE
#define READ_OWN_JOINED(expression) READ_JOINED_NONE
#define READ_OWN_BY_TYPE(local, remote) READ_JOINED_NONE
#define READ_OWN_DERIVED() READ_JOINED_NONE
#define READ_OWN_ONE(KIND, member)                                                                 \
  f.member = READ_REPEATED_##KIND (stmt, column);                                                  \
  column++;

static gboolean
foreach_org_schedule (
  sqlite3 *db, gint64 org_id, BackupsScheduleRowFunc func, gpointer user_data, GError **error)
{
  g_auto (OrgLookups) lookups = { 0 };
  g_autoptr (sqlite3_stmt) stmt = NULL;
  g_autofree gint64 *account_ids = NULL;
  g_auto (RepeatedStrings) repeated = { { NULL } };
  guint n_accounts;
  int   rc;

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

  stmt = backups_store_prepare (db, own_columns_sql, error);
  if (stmt == NULL)
    return FALSE;

  for (guint a = 0; a < n_accounts; a++)
    {
      const char *account_name = g_hash_table_lookup (lookups.accounts, &account_ids[a]);

      sqlite3_bind_int64 (stmt, 1, account_ids[a]);
      while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
        {
          BackupsScheduleFields f = { 0 };
          RowKey                key = { account_ids[a], 0 };
          const SiteRow        *site;
          int                   column = 0;

          BACKUPS_SCHEDULE_FIELDS (READ_OWN)

          /* The joined columns: this is the join. */
          f.account_name = (char *)account_name;
          lookup_named_row (lookups.servers, account_ids[a], f.server_id, &f.server_label,
                            &f.server_timezone);
          lookup_named_row (lookups.integrations, account_ids[a], f.integration_id, &f.destination,
                            &f.destination_service);
          key.remote_id = f.site_id;
          site = lookups.sites->len == 0 ? NULL
                                         : bsearch (&key, lookups.sites->data, lookups.sites->len,
                                                    sizeof (SiteRow), compare_row_keys);
          schedule_fields_take_site (&f, site != NULL ? &site->pairs : NULL);

          func (&f, user_data);
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

  if (!backups_store_foreach_first_schedules (self, org_id, G_MAXUINT, add_schedule_object, rows,
                                              error))
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
