/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-account.c */
#include "backups-account.h"

struct _BackupsAccount
{
  GObject           parent_instance;
  gint64            id;
  gint64            org_id;
  char             *org_name;
  char             *provider;
  char             *name;
  char             *base_url;
  char             *secret_id;
  gint64            created_at;
  gint64            last_sync_started_at;
  gint64            last_sync_finished_at;
  BackupsSyncStatus last_sync_status;
  char             *last_sync_error;
  guint             last_sync_unreadable;
  char             *last_sync_unreadable_reasons;
};

G_DEFINE_FINAL_TYPE (BackupsAccount, backups_account, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_ORG_ID,
  PROP_ORG_NAME,
  PROP_PROVIDER,
  PROP_NAME,
  PROP_BASE_URL,
  PROP_LAST_SYNC_FINISHED_AT,
  PROP_LAST_SYNC_STATUS,
  PROP_LAST_SYNC_ERROR,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static const char *const status_names[] = { "never", "syncing", "ok", "error" };

const char *
backups_sync_status_to_string (BackupsSyncStatus status)
{
  g_return_val_if_fail (status <= BACKUPS_SYNC_STATUS_ERROR, NULL);
  return status_names[status];
}

gboolean
backups_sync_status_from_string (const char *str, BackupsSyncStatus *status)
{
  for (guint i = 0; i < G_N_ELEMENTS (status_names); i++)
    {
      if (g_strcmp0 (str, status_names[i]) == 0)
        {
          *status = (BackupsSyncStatus)i;
          return TRUE;
        }
    }
  return FALSE;
}

static void
backups_account_finalize (GObject *object)
{
  BackupsAccount *self = (BackupsAccount *)object;

  g_clear_pointer (&self->org_name, g_free);
  g_clear_pointer (&self->provider, g_free);
  g_clear_pointer (&self->name, g_free);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->secret_id, g_free);
  g_clear_pointer (&self->last_sync_error, g_free);
  g_clear_pointer (&self->last_sync_unreadable_reasons, g_free);

  G_OBJECT_CLASS (backups_account_parent_class)->finalize (object);
}

static void
backups_account_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsAccount *self = BACKUPS_ACCOUNT (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_ORG_ID:
      g_value_set_int64 (value, self->org_id);
      break;
    case PROP_ORG_NAME:
      g_value_set_string (value, self->org_name);
      break;
    case PROP_PROVIDER:
      g_value_set_string (value, self->provider);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_LAST_SYNC_FINISHED_AT:
      g_value_set_int64 (value, self->last_sync_finished_at);
      break;
    case PROP_LAST_SYNC_STATUS:
      g_value_set_string (value, backups_sync_status_to_string (self->last_sync_status));
      break;
    case PROP_LAST_SYNC_ERROR:
      g_value_set_string (value, self->last_sync_error);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_account_class_init (BackupsAccountClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = backups_account_finalize;
  object_class->get_property = backups_account_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ORG_ID] = g_param_spec_int64 ("org-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ORG_NAME] = g_param_spec_string ("org-name", NULL, NULL, NULL, flags);
  properties[PROP_PROVIDER] = g_param_spec_string ("provider", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_BASE_URL] = g_param_spec_string ("base-url", NULL, NULL, NULL, flags);
  properties[PROP_LAST_SYNC_FINISHED_AT]
    = g_param_spec_int64 ("last-sync-finished-at", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_LAST_SYNC_STATUS]
    = g_param_spec_string ("last-sync-status", NULL, NULL, NULL, flags);
  properties[PROP_LAST_SYNC_ERROR]
    = g_param_spec_string ("last-sync-error", NULL, NULL, NULL, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_account_init (BackupsAccount *self)
{
}

BackupsAccount *
backups_account_new (const BackupsAccountFields *fields)
{
  BackupsAccount *self = g_object_new (BACKUPS_TYPE_ACCOUNT, NULL);

  self->id = fields->id;
  self->org_id = fields->org_id;
  self->org_name = g_strdup (fields->org_name);
  self->provider = g_strdup (fields->provider);
  self->name = g_strdup (fields->name);
  self->base_url = g_strdup (fields->base_url);
  self->secret_id = g_strdup (fields->secret_id);
  self->created_at = fields->created_at;
  self->last_sync_started_at = fields->last_sync_started_at;
  self->last_sync_finished_at = fields->last_sync_finished_at;
  self->last_sync_status = fields->last_sync_status;
  self->last_sync_error = g_strdup (fields->last_sync_error);
  self->last_sync_unreadable = fields->last_sync_unreadable;
  self->last_sync_unreadable_reasons = g_strdup (fields->last_sync_unreadable_reasons);
  return self;
}

#define ACCOUNT_GETTER(type, field, fallback)                                                      \
  type backups_account_get_##field (BackupsAccount *self)                                          \
  {                                                                                                \
    g_return_val_if_fail (BACKUPS_IS_ACCOUNT (self), fallback);                                    \
    return self->field;                                                                            \
  }

ACCOUNT_GETTER (gint64, id, 0)
ACCOUNT_GETTER (gint64, org_id, 0)
ACCOUNT_GETTER (const char *, org_name, NULL)
ACCOUNT_GETTER (const char *, provider, NULL)
ACCOUNT_GETTER (const char *, name, NULL)
ACCOUNT_GETTER (const char *, base_url, NULL)
ACCOUNT_GETTER (const char *, secret_id, NULL)
ACCOUNT_GETTER (gint64, last_sync_finished_at, 0)
ACCOUNT_GETTER (BackupsSyncStatus, last_sync_status, BACKUPS_SYNC_STATUS_NEVER)
ACCOUNT_GETTER (const char *, last_sync_error, NULL)
ACCOUNT_GETTER (guint, last_sync_unreadable, 0)
ACCOUNT_GETTER (const char *, last_sync_unreadable_reasons, NULL)
