/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-store-sites.c
 *
 * A whole organization's sites with their schedules, judged: the sites,
 * schedules, servers and integrations are read table by table (bound
 * parameters only) and joined here, then each site's findings and health
 * come from backups-health.c, crowded start over each server's sites.
 */
#include "config.h"

#include "backups-store-private.h"
#include "backups-store-sites.h"

#include <string.h>

#include "backups-health.h"

#define ORG_ACCOUNTS "account_id IN (SELECT id FROM accounts WHERE org_id = ?1)"

typedef struct
{
  gint64 account_id;
  gint64 remote_id;
} Key;

static int
compare_keys (gconstpointer a, gconstpointer b)
{
  const Key *x = a, *y = b;

  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  return x->remote_id < y->remote_id ? -1 : x->remote_id > y->remote_id;
}

static guint
key_hash (gconstpointer key)
{
  const Key *k = key;

  return (guint)(k->remote_id ^ (k->remote_id >> 32)) * 31u + (guint)k->account_id;
}

static gboolean
key_equal (gconstpointer a, gconstpointer b)
{
  return compare_keys (a, b) == 0;
}

/* A server or an integration: a key and two interned texts. */
typedef struct
{
  Key   key;
  char *texts[2];
} Named;

static void
named_free (gpointer data)
{
  Named *named = data;

  g_clear_pointer (&named->texts[0], g_ref_string_release);
  g_clear_pointer (&named->texts[1], g_ref_string_release);
  g_free (named);
}

static sqlite3_stmt *
prepare_org (sqlite3 *db, const char *sql, gint64 org_id, GError **error)
{
  sqlite3_stmt *stmt = backups_store_prepare (db, sql, error);

  if (stmt != NULL)
    sqlite3_bind_int64 (stmt, 1, org_id);
  return stmt;
}

static gboolean
read_named (sqlite3 *db, const char *sql, gint64 org_id, GHashTable **table, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = prepare_org (db, sql, org_id, error);
  int rc;

  *table = g_hash_table_new_full (key_hash, key_equal, named_free, NULL);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Named *named = g_new0 (Named, 1);

      named->key.account_id = sqlite3_column_int64 (stmt, 0);
      named->key.remote_id = sqlite3_column_int64 (stmt, 1);
      named->texts[0] = backups_store_column_intern (stmt, 2);
      named->texts[1] = backups_store_column_intern (stmt, 3);
      g_hash_table_add (*table, named);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  return TRUE;
}

typedef struct
{
  Key         key; /* first: sites are searched by it */
  gint64      server_id;
  char       *url;
  char       *problems;
  BackupsFlag local_bup;
  BackupsFlag remote_bup;
  int         local_retain_days;
  int         remote_retain_days;
  guint       first_schedule;
  guint       n_schedules;
} SiteIn;

typedef struct
{
  guint                 site;
  BackupsHealthSchedule schedule;
  char                 *problems;
} ScheduleIn;

typedef struct
{
  char       *org_name;
  GHashTable *accounts;     /* account id → interned name */
  GHashTable *servers;      /* Key → Named: label, timezone */
  GHashTable *integrations; /* Key → Named: name, service */
  GArray     *sites;        /* SiteIn, by key */
  GArray     *schedules;    /* ScheduleIn, by site */
} OrgSites;

static void
org_sites_clear (OrgSites *org)
{
  g_clear_pointer (&org->org_name, g_ref_string_release);
  g_clear_pointer (&org->accounts, g_hash_table_unref);
  g_clear_pointer (&org->servers, g_hash_table_unref);
  g_clear_pointer (&org->integrations, g_hash_table_unref);
  if (org->sites != NULL)
    for (guint i = 0; i < org->sites->len; i++)
      {
        SiteIn *site = &g_array_index (org->sites, SiteIn, i);

        g_clear_pointer (&site->url, g_ref_string_release);
        g_clear_pointer (&site->problems, g_ref_string_release);
      }
  if (org->schedules != NULL)
    for (guint i = 0; i < org->schedules->len; i++)
      g_clear_pointer (&g_array_index (org->schedules, ScheduleIn, i).problems,
                       g_ref_string_release);
  g_clear_pointer (&org->sites, g_array_unref);
  g_clear_pointer (&org->schedules, g_array_unref);
}

G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (OrgSites, org_sites_clear)

static const Named *
lookup_named (GHashTable *table, gint64 account_id, gint64 remote_id)
{
  Key key = { account_id, remote_id };

  return remote_id == BACKUPS_NO_VALUE ? NULL : g_hash_table_lookup (table, &key);
}

static int
compare_schedules_by_site (gconstpointer a, gconstpointer b)
{
  const ScheduleIn *x = a, *y = b;

  return x->site < y->site ? -1 : x->site > y->site;
}

static gboolean
read_org (sqlite3 *db, gint64 org_id, OrgSites *org, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = NULL;
  guint n_sites = 0;
  int   rc;

  stmt = prepare_org (db, "SELECT name FROM orgs WHERE id = ?1", org_id, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    org->org_name = backups_store_column_intern (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  org->accounts = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free,
                                         (GDestroyNotify)g_ref_string_release);
  stmt = prepare_org (db, "SELECT id, name FROM accounts WHERE org_id = ?1", org_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_hash_table_insert (org->accounts, g_memdup2 (&id, sizeof id),
                           backups_store_column_intern (stmt, 1));
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  g_clear_pointer (&stmt, sqlite3_finalize);

  if (!read_named (db,
                   "SELECT account_id, remote_id, label, timezone FROM servers WHERE " ORG_ACCOUNTS,
                   org_id, &org->servers, error)
      || !read_named (db,
                      "SELECT account_id, remote_id, name, service FROM backup_integrations "
                      "WHERE " ORG_ACCOUNTS,
                      org_id, &org->integrations, error))
    return FALSE;

  /* Sized at once: tens of thousands of rows. */
  stmt = prepare_org (db, "SELECT COUNT(*) FROM sites WHERE " ORG_ACCOUNTS, org_id, error);
  if (stmt == NULL)
    return FALSE;
  if (sqlite3_step (stmt) == SQLITE_ROW)
    n_sites = (guint)sqlite3_column_int64 (stmt, 0);
  g_clear_pointer (&stmt, sqlite3_finalize);

  org->sites = g_array_sized_new (FALSE, TRUE, sizeof (SiteIn), n_sites);
  stmt = prepare_org (db,
                      "SELECT account_id, remote_id, server_remote_id, url, problems, local_bup,"
                      "  remote_bup, local_retain_days, remote_retain_days "
                      "FROM sites WHERE " ORG_ACCOUNTS " ORDER BY account_id, remote_id",
                      org_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      SiteIn site = { { 0 } };

      site.key.account_id = sqlite3_column_int64 (stmt, 0);
      site.key.remote_id = sqlite3_column_int64 (stmt, 1);
      site.server_id = backups_store_column_int_or_none (stmt, 2);
      site.url = backups_store_column_intern (stmt, 3);
      site.problems = backups_store_column_intern (stmt, 4);
      site.local_bup = backups_flag_from_int (backups_store_column_int_or_none (stmt, 5));
      site.remote_bup = backups_flag_from_int (backups_store_column_int_or_none (stmt, 6));
      site.local_retain_days = (int)backups_store_column_int_or_none (stmt, 7);
      site.remote_retain_days = (int)backups_store_column_int_or_none (stmt, 8);
      g_array_append_val (org->sites, site);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");
  g_clear_pointer (&stmt, sqlite3_finalize);

  /* Each schedule goes to its site; one whose site `/site` did not list
   * has no row on the Sites page (its schedule still shows under
   * Schedules). */
  org->schedules = g_array_new (FALSE, TRUE, sizeof (ScheduleIn));
  stmt = prepare_org (db,
                      "SELECT account_id, site_remote_id, type, frequency, hour, minute, day,"
                      "  integration_id, problems "
                      "FROM backup_schedules WHERE " ORG_ACCOUNTS,
                      org_id, error);
  if (stmt == NULL)
    return FALSE;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      Key                 key = { sqlite3_column_int64 (stmt, 0), sqlite3_column_int64 (stmt, 1) };
      SiteIn             *site = NULL;
      ScheduleIn          in = { 0 };
      BackupsScheduleType type = BACKUPS_SCHEDULE_TYPE_LOCAL;

      if (org->sites->len > 0)
        site = bsearch (&key, org->sites->data, org->sites->len, sizeof (SiteIn), compare_keys);
      if (site == NULL)
        continue;

      backups_schedule_type_from_string ((const char *)sqlite3_column_text (stmt, 2), &type);
      in.site = (guint)(site - (SiteIn *)org->sites->data);
      in.schedule.type = type;
      backups_frequency_from_string ((const char *)sqlite3_column_text (stmt, 3),
                                     &in.schedule.frequency);
      in.schedule.hour = (int)backups_store_column_int_or_none (stmt, 4);
      in.schedule.minute = (int)backups_store_column_int_or_none (stmt, 5);
      in.schedule.day = (int)backups_store_column_int_or_none (stmt, 6);
      in.schedule.integration_id = backups_store_column_int_or_none (stmt, 7);
      in.schedule.integration_known
        = type == BACKUPS_SCHEDULE_TYPE_REMOTE
          && lookup_named (org->integrations, key.account_id, in.schedule.integration_id) != NULL;
      in.problems = backups_store_column_intern (stmt, 8);
      in.schedule.has_problems = in.problems != NULL;
      g_array_append_val (org->schedules, in);
    }
  if (rc != SQLITE_DONE)
    return backups_store_set_db_error (error, db, "read the cache");

  g_array_sort (org->schedules, compare_schedules_by_site);
  for (guint i = 0; i < org->schedules->len; i++)
    {
      const ScheduleIn *in = &g_array_index (org->schedules, ScheduleIn, i);
      SiteIn           *site = &g_array_index (org->sites, SiteIn, in->site);

      if (site->n_schedules++ == 0)
        site->first_schedule = i;
    }
  return TRUE;
}

/* The schedule a type's summary describes: the most frequent (the
 * frequencies' order), else the first. */
static void
summarize_type (const OrgSites          *org,
                const SiteIn            *site,
                const BackupsHealthSite *health_site,
                BackupsScheduleType      type,
                BackupsSiteBackups      *out)
{
  const BackupsHealthSchedule *chosen = NULL;

  out->enabled = backups_health_site_flag (health_site, type);
  out->retain_days
    = type == BACKUPS_SCHEDULE_TYPE_REMOTE ? site->remote_retain_days : site->local_retain_days;
  out->frequency = BACKUPS_FREQUENCY_UNKNOWN;
  out->hour = out->minute = out->day = BACKUPS_NO_VALUE;
  out->integration_id = BACKUPS_NO_VALUE;

  for (guint i = 0; i < health_site->n_schedules; i++)
    {
      const BackupsHealthSchedule *schedule = &health_site->schedules[i];

      if (schedule->type != type)
        continue;
      out->n_schedules++;
      if (chosen == NULL || schedule->frequency < chosen->frequency)
        chosen = schedule;
    }
  if (chosen == NULL)
    return;

  out->frequency = chosen->frequency;
  out->hour = chosen->hour;
  out->minute = chosen->minute;
  out->day = chosen->day;
  if (type == BACKUPS_SCHEDULE_TYPE_REMOTE)
    {
      const Named *integration
        = lookup_named (org->integrations, site->key.account_id, chosen->integration_id);

      out->integration_id = chosen->integration_id;
      if (integration != NULL)
        {
          out->destination = g_ref_string_acquire (integration->texts[0]);
          out->destination_service
            = integration->texts[1] != NULL ? g_ref_string_acquire (integration->texts[1]) : NULL;
        }
    }
}

/* The site's and its schedules' unreadable values, each once. */
static char *
join_problems (const OrgSites *org, const SiteIn *site)
{
  g_autoptr (GString) text = NULL;

  for (guint i = 0; i < site->n_schedules; i++)
    {
      const char *problems
        = g_array_index (org->schedules, ScheduleIn, site->first_schedule + i).problems;

      if (problems == NULL)
        continue;
      if (text == NULL)
        text = g_string_new (site->problems);
      if (strstr (text->str, problems) != NULL)
        continue;
      if (text->len > 0)
        g_string_append (text, "; ");
      g_string_append (text, problems);
    }
  if (text == NULL)
    return site->problems != NULL ? g_ref_string_acquire (site->problems) : NULL;
  return g_ref_string_new_intern (text->str);
}

typedef struct
{
  guint  site;
  gint64 account_id;
  gint64 server_id;
} ServerSlot;

static int
compare_server_slots (gconstpointer a, gconstpointer b)
{
  const ServerSlot *x = a, *y = b;

  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  if (x->server_id != y->server_id)
    return x->server_id < y->server_id ? -1 : 1;
  return x->site < y->site ? -1 : x->site > y->site;
}

/* Crowded start, server by server. */
static void
find_crowded (const OrgSites          *org,
              const BackupsHealthSite *health_sites,
              guint                    max_sites,
              gboolean                *crowded)
{
  guint                                n = org->sites->len;
  g_autofree ServerSlot               *slots = g_new (ServerSlot, n);
  g_autofree const BackupsHealthSite **group = g_new (const BackupsHealthSite *, n);
  g_autofree gboolean                 *group_crowded = g_new (gboolean, n);

  for (guint i = 0; i < n; i++)
    {
      const SiteIn *site = &g_array_index (org->sites, SiteIn, i);

      slots[i] = (ServerSlot){ i, site->key.account_id, site->server_id };
      crowded[i] = FALSE;
    }
  /* No sites (qsort must not be given g_new's NULL), or the check off. */
  if (n == 0 || max_sites == 0)
    return;
  qsort (slots, n, sizeof *slots, compare_server_slots);

  for (guint first = 0; first < n;)
    {
      guint count = 1;

      while (first + count < n && slots[first + count].account_id == slots[first].account_id
             && slots[first + count].server_id == slots[first].server_id)
        count++;
      /* Sites of an unknown server share no known server. */
      if (slots[first].server_id != BACKUPS_NO_VALUE && count > max_sites)
        {
          for (guint k = 0; k < count; k++)
            group[k] = &health_sites[slots[first + k].site];
          backups_finding_crowded_start (group, count, max_sites, group_crowded);
          for (guint k = 0; k < count; k++)
            crowded[slots[first + k].site] = group_crowded[k];
        }
      first += count;
    }
}

/* The policy's values behind the findings the site has, the others 0. */
static void
policy_for_findings (const BackupsPolicy *policy, BackupsFinding findings, BackupsPolicy *out)
{
  memset (out, 0, sizeof *out);
  if (findings & BACKUPS_FINDING_NO_REMOTE)
    out->require_remote = policy->require_remote;
  if (findings & BACKUPS_FINDING_SHORT_RETENTION)
    out->min_retain_days = policy->min_retain_days;
  if (findings & BACKUPS_FINDING_INFREQUENT)
    out->max_gap_hours = policy->max_gap_hours;
  if (findings & BACKUPS_FINDING_CROWDED_START)
    out->crowded_start_sites = policy->crowded_start_sites;
}

static void
emit_sites (const OrgSites      *org,
            gint64               org_id,
            const BackupsPolicy *policy,
            BackupsSiteRowFunc   func,
            gpointer             user_data)
{
  guint                             n = org->sites->len;
  g_autofree BackupsHealthSchedule *schedules
    = g_new (BackupsHealthSchedule, org->schedules->len + 1);
  g_autofree BackupsHealthSite *health_sites = g_new0 (BackupsHealthSite, n + 1);
  g_autofree gboolean          *crowded = g_new (gboolean, n + 1);

  for (guint i = 0; i < org->schedules->len; i++)
    schedules[i] = g_array_index (org->schedules, ScheduleIn, i).schedule;

  for (guint i = 0; i < n; i++)
    {
      const SiteIn      *site = &g_array_index (org->sites, SiteIn, i);
      BackupsHealthSite *h = &health_sites[i];

      h->local_bup = site->local_bup;
      h->remote_bup = site->remote_bup;
      h->local_retain_days = site->local_retain_days;
      h->remote_retain_days = site->remote_retain_days;
      h->has_problems = site->problems != NULL;
      h->n_schedules = site->n_schedules;
      h->schedules = site->n_schedules > 0 ? &schedules[site->first_schedule] : NULL;
    }

  find_crowded (org, health_sites, policy->crowded_start_sites, crowded);

  for (guint i = 0; i < n; i++)
    {
      const SiteIn            *site = &g_array_index (org->sites, SiteIn, i);
      const BackupsHealthSite *h = &health_sites[i];
      const Named      *server = lookup_named (org->servers, site->key.account_id, site->server_id);
      const char       *account_name = g_hash_table_lookup (org->accounts, &site->key.account_id);
      BackupsSiteFields f = { 0 };

      f.org_id = org_id;
      f.org_name = org->org_name != NULL ? g_ref_string_acquire (org->org_name) : NULL;
      f.account_id = site->key.account_id;
      f.account_name = account_name != NULL ? g_ref_string_acquire ((char *)account_name) : NULL;
      f.site_id = site->key.remote_id;
      f.site_url = g_ref_string_acquire (site->url);
      f.server_id = site->server_id;
      if (server != NULL)
        {
          f.server_label
            = server->texts[0] != NULL ? g_ref_string_acquire (server->texts[0]) : NULL;
          f.server_timezone
            = server->texts[1] != NULL ? g_ref_string_acquire (server->texts[1]) : NULL;
        }
      summarize_type (org, site, h, BACKUPS_SCHEDULE_TYPE_LOCAL, &f.local);
      summarize_type (org, site, h, BACKUPS_SCHEDULE_TYPE_REMOTE, &f.remote);

      f.runs = g_new0 (BackupsSiteRun, MAX (h->n_schedules, 1));
      for (guint k = 0; k < h->n_schedules; k++)
        {
          const BackupsHealthSchedule *schedule = &h->schedules[k];

          if (backups_health_site_flag (h, schedule->type) != BACKUPS_FLAG_YES
              || schedule->frequency == BACKUPS_FREQUENCY_UNKNOWN)
            continue;
          f.runs[f.n_runs++] = (BackupsSiteRun){ schedule->frequency, (gint8)schedule->hour,
                                                 (gint8)schedule->minute, (gint8)schedule->day };
        }
      if (f.n_runs == 0)
        g_clear_pointer (&f.runs, g_free);

      f.findings = backups_health_site_findings (h, policy);
      if (crowded[i])
        f.findings |= BACKUPS_FINDING_CROWDED_START;
      f.health = backups_health_of (h, f.findings);
      policy_for_findings (policy, f.findings, &f.policy);
      f.problems = join_problems (org, site);

      func (&f, user_data);
      backups_site_fields_clear (&f);
    }
}

/* The ids of every organization, by name. */
static GArray *
read_org_ids (sqlite3 *db, GError **error)
{
  g_autoptr (sqlite3_stmt) stmt = backups_store_prepare (db, "SELECT id FROM orgs ORDER BY name",
                                                         error);
  g_autoptr (GArray) ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  int rc;

  if (stmt == NULL)
    return NULL;
  while ((rc = sqlite3_step (stmt)) == SQLITE_ROW)
    {
      gint64 id = sqlite3_column_int64 (stmt, 0);

      g_array_append_val (ids, id);
    }
  if (rc != SQLITE_DONE)
    {
      backups_store_set_db_error (error, db, "read the cache");
      return NULL;
    }
  return g_steal_pointer (&ids);
}

static void
org_sites_free (gpointer data)
{
  org_sites_clear (data);
  g_free (data);
}

gboolean
backups_store_foreach_site (BackupsStore        *self,
                            gint64               org_id,
                            const BackupsPolicy *policy,
                            BackupsSiteRowFunc   func,
                            gpointer             user_data,
                            GError             **error)
{
  g_auto (BackupsStoreConn) conn = { 0 };
  g_autoptr (GArray) org_ids = NULL;
  g_autoptr (GPtrArray) orgs = g_ptr_array_new_with_free_func (org_sites_free);
  gboolean ok = TRUE;

  g_return_val_if_fail (BACKUPS_IS_STORE (self), FALSE);
  g_return_val_if_fail (policy != NULL, FALSE);
  g_return_val_if_fail (func != NULL, FALSE);

  if (!backups_store_conn_open (&conn, self, error))
    return FALSE;

  /* One read transaction: the sites and what they join are one snapshot. */
  if (!backups_store_exec (conn.db, "BEGIN", "read the cache", error))
    return FALSE;
  if (org_id == BACKUPS_STORE_ALL_ORGS)
    org_ids = read_org_ids (conn.db, error);
  else
    {
      org_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      g_array_append_val (org_ids, org_id);
    }
  ok = org_ids != NULL;
  for (guint i = 0; ok && i < org_ids->len; i++)
    {
      OrgSites *org = g_new0 (OrgSites, 1);

      g_ptr_array_add (orgs, org);
      ok = read_org (conn.db, g_array_index (org_ids, gint64, i), org, error);
    }
  backups_store_exec (conn.db, "COMMIT", "read the cache", NULL);
  if (!ok)
    return FALSE;

  for (guint i = 0; i < orgs->len; i++)
    emit_sites (orgs->pdata[i], g_array_index (org_ids, gint64, i), policy, func, user_data);
  return TRUE;
}

static void
add_site_object (BackupsSiteFields *fields, gpointer user_data)
{
  g_ptr_array_add (user_data, backups_site_new_take (fields));
}

GPtrArray *
backups_store_query_sites (BackupsStore        *self,
                           gint64               org_id,
                           const BackupsPolicy *policy,
                           GError             **error)
{
  g_autoptr (GPtrArray) sites = g_ptr_array_new_with_free_func (g_object_unref);

  if (!backups_store_foreach_site (self, org_id, policy, add_site_object, sites, error))
    return NULL;
  return g_steal_pointer (&sites);
}
