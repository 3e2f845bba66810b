/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-site.c: a site row as an object, with the texts the Sites page
 * and backupsctl show of it. */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-schedule-time.h"
#include "backups-site.h"

struct _BackupsSite
{
  GObject           parent_instance;
  BackupsSiteFields f;
};

G_DEFINE_FINAL_TYPE (BackupsSite, backups_site, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ORG_NAME,
  PROP_ACCOUNT_ID,
  PROP_ACCOUNT_NAME,
  PROP_SITE_ID,
  PROP_SITE_URL,
  PROP_SERVER_ID,
  PROP_SERVER_LABEL,
  PROP_SERVER_TIMEZONE,
  PROP_HEALTH,
  PROP_HEALTH_LABEL,
  PROP_FINDINGS,
  PROP_FINDINGS_DESCRIPTION,
  PROP_LOCAL_DESCRIPTION,
  PROP_REMOTE_DESCRIPTION,
  PROP_PROBLEMS,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
backups_site_backups_clear (BackupsSiteBackups *backups)
{
  g_clear_pointer (&backups->destination, g_ref_string_release);
  g_clear_pointer (&backups->destination_service, g_ref_string_release);
}

void
backups_site_fields_clear (BackupsSiteFields *f)
{
  g_clear_pointer (&f->org_name, g_ref_string_release);
  g_clear_pointer (&f->account_name, g_ref_string_release);
  g_clear_pointer (&f->site_url, g_ref_string_release);
  g_clear_pointer (&f->server_label, g_ref_string_release);
  g_clear_pointer (&f->server_timezone, g_ref_string_release);
  g_clear_pointer (&f->problems, g_ref_string_release);
  g_clear_pointer (&f->runs, g_free);
  f->n_runs = 0;
  backups_site_backups_clear (&f->local);
  backups_site_backups_clear (&f->remote);
}

static void
backups_site_finalize (GObject *object)
{
  BackupsSite *self = (BackupsSite *)object;

  backups_site_fields_clear (&self->f);

  G_OBJECT_CLASS (backups_site_parent_class)->finalize (object);
}

static void
backups_site_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsSite *self = BACKUPS_SITE (object);

  switch (prop_id)
    {
    case PROP_ORG_NAME:
      g_value_set_string (value, self->f.org_name);
      break;
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->f.account_id);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->f.account_name);
      break;
    case PROP_SITE_ID:
      g_value_set_int64 (value, self->f.site_id);
      break;
    case PROP_SITE_URL:
      g_value_set_string (value, self->f.site_url);
      break;
    case PROP_SERVER_ID:
      g_value_set_int64 (value, self->f.server_id);
      break;
    case PROP_SERVER_LABEL:
      g_value_set_string (value, self->f.server_label);
      break;
    case PROP_SERVER_TIMEZONE:
      g_value_set_string (value, self->f.server_timezone);
      break;
    case PROP_HEALTH:
      g_value_set_enum (value, self->f.health);
      break;
    case PROP_HEALTH_LABEL:
      g_value_set_string (value, backups_health_to_label (self->f.health));
      break;
    case PROP_FINDINGS:
      g_value_set_flags (value, self->f.findings);
      break;
    case PROP_FINDINGS_DESCRIPTION:
      g_value_take_string (value, backups_site_describe_findings (self));
      break;
    case PROP_LOCAL_DESCRIPTION:
      g_value_take_string (value, backups_site_describe_local (self));
      break;
    case PROP_REMOTE_DESCRIPTION:
      g_value_take_string (value, backups_site_describe_remote (self));
      break;
    case PROP_PROBLEMS:
      g_value_set_string (value, self->f.problems);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_site_class_init (BackupsSiteClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = backups_site_finalize;
  object_class->get_property = backups_site_get_property;

  properties[PROP_ORG_NAME] = g_param_spec_string ("org-name", NULL, NULL, NULL, flags);
  properties[PROP_ACCOUNT_ID]
    = g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, NULL, flags);
  properties[PROP_SITE_ID] = g_param_spec_int64 ("site-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_SITE_URL] = g_param_spec_string ("site-url", NULL, NULL, NULL, flags);
  properties[PROP_SERVER_ID] = g_param_spec_int64 ("server-id", NULL, NULL, BACKUPS_NO_VALUE,
                                                   G_MAXINT64, BACKUPS_NO_VALUE, flags);
  properties[PROP_SERVER_LABEL] = g_param_spec_string ("server-label", NULL, NULL, NULL, flags);
  properties[PROP_SERVER_TIMEZONE]
    = g_param_spec_string ("server-timezone", NULL, NULL, NULL, flags);
  /* Sorting by it sorts worst first. */
  properties[PROP_HEALTH]
    = g_param_spec_enum ("health", NULL, NULL, BACKUPS_TYPE_HEALTH, BACKUPS_HEALTH_UNKNOWN, flags);
  properties[PROP_HEALTH_LABEL] = g_param_spec_string ("health-label", NULL, NULL, NULL, flags);
  properties[PROP_FINDINGS] = g_param_spec_flags ("findings", NULL, NULL, BACKUPS_TYPE_FINDING,
                                                  BACKUPS_FINDING_NONE, flags);
  properties[PROP_FINDINGS_DESCRIPTION]
    = g_param_spec_string ("findings-description", NULL, NULL, NULL, flags);
  properties[PROP_LOCAL_DESCRIPTION]
    = g_param_spec_string ("local-description", NULL, NULL, NULL, flags);
  properties[PROP_REMOTE_DESCRIPTION]
    = g_param_spec_string ("remote-description", NULL, NULL, NULL, flags);
  properties[PROP_PROBLEMS] = g_param_spec_string ("problems", NULL, NULL, NULL, flags);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_site_init (BackupsSite *self)
{
}

BackupsSite *
backups_site_new_take (BackupsSiteFields *fields)
{
  BackupsSite *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (BACKUPS_TYPE_SITE, NULL);
  self->f = *fields;
  memset (fields, 0, sizeof *fields);
  return self;
}

const BackupsSiteFields *
backups_site_get_fields (BackupsSite *self)
{
  g_return_val_if_fail (BACKUPS_IS_SITE (self), NULL);

  return &self->f;
}

/* Strings are interned: equal strings are one pointer. */
static gboolean
site_backups_equal (const BackupsSiteBackups *a, const BackupsSiteBackups *b)
{
  return a->enabled == b->enabled && a->n_schedules == b->n_schedules
         && a->frequency == b->frequency && a->hour == b->hour && a->minute == b->minute
         && a->day == b->day && a->retain_days == b->retain_days
         && a->integration_id == b->integration_id && a->destination == b->destination
         && a->destination_service == b->destination_service;
}

/* Field by field: a run's padding is not compared. */
static gboolean
site_runs_equal (const BackupsSiteFields *x, const BackupsSiteFields *y)
{
  if (x->n_runs != y->n_runs)
    return FALSE;
  for (guint i = 0; i < x->n_runs; i++)
    if (x->runs[i].frequency != y->runs[i].frequency || x->runs[i].hour != y->runs[i].hour
        || x->runs[i].minute != y->runs[i].minute || x->runs[i].day != y->runs[i].day)
      return FALSE;
  return TRUE;
}

gboolean
backups_site_equal (BackupsSite *a, BackupsSite *b)
{
  const BackupsSiteFields *x, *y;

  g_return_val_if_fail (BACKUPS_IS_SITE (a) && BACKUPS_IS_SITE (b), FALSE);

  if (a == b)
    return TRUE;
  x = &a->f;
  y = &b->f;
  return x->org_id == y->org_id && x->account_id == y->account_id && x->site_id == y->site_id
         && x->server_id == y->server_id && x->health == y->health && x->findings == y->findings
         && backups_policy_equal (&x->policy, &y->policy)
         && g_strcmp0 (x->org_name, y->org_name) == 0 && x->account_name == y->account_name
         && x->site_url == y->site_url && x->server_label == y->server_label
         && x->server_timezone == y->server_timezone && x->problems == y->problems
         && site_backups_equal (&x->local, &y->local) && site_backups_equal (&x->remote, &y->remote)
         && site_runs_equal (x, y);
}

int
backups_site_compare (BackupsSite *a, BackupsSite *b)
{
  const BackupsSiteFields *x = &a->f;
  const BackupsSiteFields *y = &b->f;
  int                      order;

  if (x->health != y->health)
    return x->health < y->health ? -1 : 1;
  if ((order = backups_site_url_compare (x->site_url, y->site_url)) != 0)
    return order;
  if (x->account_id != y->account_id)
    return x->account_id < y->account_id ? -1 : 1;
  if (x->site_id != y->site_id)
    return x->site_id < y->site_id ? -1 : 1;
  return 0;
}

#define GETTER(type, name, expression, fallback)                                                   \
  type backups_site_get_##name (BackupsSite *self)                                                 \
  {                                                                                                \
    g_return_val_if_fail (BACKUPS_IS_SITE (self), fallback);                                       \
    return expression;                                                                             \
  }

GETTER (gint64, org_id, self->f.org_id, 0)
GETTER (const char *, org_name, self->f.org_name, NULL)
GETTER (gint64, account_id, self->f.account_id, 0)
GETTER (const char *, account_name, self->f.account_name, NULL)
GETTER (gint64, site_id, self->f.site_id, 0)
GETTER (const char *, site_url, self->f.site_url, NULL)
GETTER (gint64, server_id, self->f.server_id, BACKUPS_NO_VALUE)
GETTER (const char *, server_label, self->f.server_label, NULL)
GETTER (const char *, server_timezone, self->f.server_timezone, NULL)
GETTER (BackupsHealth, health, self->f.health, BACKUPS_HEALTH_UNKNOWN)
GETTER (BackupsFinding, findings, self->f.findings, BACKUPS_FINDING_NONE)
GETTER (const char *, problems, self->f.problems, NULL)
GETTER (const BackupsSiteBackups *, local, &self->f.local, NULL)
GETTER (const BackupsSiteBackups *, remote, &self->f.remote, NULL)

GDateTime *
backups_site_get_next_backup (BackupsSite *self, GDateTime *now, gboolean *assumed_utc)
{
  GDateTime *earliest = NULL;

  g_return_val_if_fail (BACKUPS_IS_SITE (self), NULL);
  g_return_val_if_fail (now != NULL, NULL);

  if (assumed_utc != NULL)
    *assumed_utc = FALSE;
  for (guint i = 0; i < self->f.n_runs; i++)
    {
      const BackupsSiteRun *run = &self->f.runs[i];
      GDateTime            *next;

      next = backups_schedule_next_run (run->frequency, run->hour, run->minute, run->day,
                                        self->f.server_timezone, now, assumed_utc);
      if (next == NULL)
        continue;
      if (earliest == NULL || g_date_time_compare (next, earliest) < 0)
        {
          g_clear_pointer (&earliest, g_date_time_unref);
          earliest = next;
        }
      else
        g_date_time_unref (next);
    }
  return earliest;
}

/* "Daily at 02:00 · 30 days": the schedule and how long it keeps. */
static char *
describe_with_retention (const char *schedule, int retain_days)
{
  if (retain_days == 0)
    /* Translators: a backup schedule, then how long its backups are kept. */
    return g_strdup_printf (_ ("%s · kept forever"), schedule);
  if (retain_days < 0)
    return g_strdup (schedule);
  /* Translators: a backup schedule, then for how many days its backups are kept. */
  return g_strdup_printf (
    g_dngettext (GETTEXT_PACKAGE, "%s · %d day", "%s · %d days", (gulong)retain_days), schedule,
    retain_days);
}

char *
backups_site_describe_local (BackupsSite *self)
{
  const BackupsSiteBackups *local;
  g_autofree char          *schedule = NULL;

  g_return_val_if_fail (BACKUPS_IS_SITE (self), NULL);

  local = &self->f.local;
  if (local->n_schedules == 0 || local->enabled == BACKUPS_FLAG_NO)
    /* Translators: a site's local backups. */
    return g_strdup (C_ ("local backups", "Off"));
  if (local->enabled == BACKUPS_FLAG_UNKNOWN)
    return g_strdup (_ ("Unknown"));
  schedule = backups_schedule_describe (local->frequency, local->hour, local->minute, local->day);
  return describe_with_retention (schedule, local->retain_days);
}

char *
backups_site_describe_remote (BackupsSite *self)
{
  const BackupsSiteBackups *remote;
  g_autofree char          *schedule = NULL;
  g_autofree char          *destination = NULL;
  g_autofree char          *both = NULL;

  g_return_val_if_fail (BACKUPS_IS_SITE (self), NULL);

  remote = &self->f.remote;
  if (remote->n_schedules == 0 || remote->enabled == BACKUPS_FLAG_NO)
    /* Translators: a site's remote backups. */
    return g_strdup (C_ ("remote backups", "None"));
  if (remote->enabled == BACKUPS_FLAG_UNKNOWN)
    return g_strdup (_ ("Unknown"));
  schedule
    = backups_schedule_describe (remote->frequency, remote->hour, remote->minute, remote->day);
  if (remote->destination != NULL)
    destination = g_strdup (remote->destination);
  else
    destination = backups_destination_describe (BACKUPS_SCHEDULE_TYPE_REMOTE, NULL, NULL, NULL,
                                                remote->integration_id);
  /* Translators: a backup schedule, then the integration its backups go to. */
  both = g_strdup_printf (_ ("%s → %s"), schedule, destination);
  return describe_with_retention (both, remote->retain_days);
}

char *
backups_site_describe_findings (BackupsSite *self)
{
  g_autoptr (GString) text = g_string_new (NULL);
  BackupsFinding list[BACKUPS_N_FINDINGS];
  guint          n;

  g_return_val_if_fail (BACKUPS_IS_SITE (self), NULL);

  n = backups_finding_list (self->f.findings, list);
  for (guint i = 0; i < n; i++)
    {
      g_autofree char *sentence = backups_finding_describe (list[i], &self->f.policy);

      if (i > 0)
        g_string_append_c (text, '\n');
      g_string_append (text, sentence);
    }
  return g_string_free (g_steal_pointer (&text), FALSE);
}
