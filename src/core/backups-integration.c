/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-integration.c */
#include "backups-integration.h"

#include <string.h>

struct _BackupsIntegration
{
  GObject                  parent_instance;
  BackupsIntegrationFields f;
};

G_DEFINE_FINAL_TYPE (BackupsIntegration, backups_integration, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCOUNT_ID,
  PROP_ACCOUNT_NAME,
  PROP_INTEGRATION_ID,
  PROP_SERVICE,
  PROP_NAME,
  PROP_REGION,
  PROP_USED_BY,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
backups_integration_finalize (GObject *object)
{
  BackupsIntegration *self = (BackupsIntegration *)object;

  g_clear_pointer (&self->f.account_name, g_free);
  g_clear_pointer (&self->f.service, g_free);
  g_clear_pointer (&self->f.name, g_free);
  g_clear_pointer (&self->f.region, g_free);

  G_OBJECT_CLASS (backups_integration_parent_class)->finalize (object);
}

static void
backups_integration_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsIntegration *self = BACKUPS_INTEGRATION (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_ID:
      g_value_set_int64 (value, self->f.account_id);
      break;
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->f.account_name);
      break;
    case PROP_INTEGRATION_ID:
      g_value_set_int64 (value, self->f.integration_id);
      break;
    case PROP_SERVICE:
      g_value_set_string (value, self->f.service);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->f.name);
      break;
    case PROP_REGION:
      g_value_set_string (value, self->f.region);
      break;
    case PROP_USED_BY:
      g_value_set_uint (value, self->f.used_by);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_integration_class_init (BackupsIntegrationClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   flags = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->finalize = backups_integration_finalize;
  object_class->get_property = backups_integration_get_property;

  properties[PROP_ACCOUNT_ID]
    = g_param_spec_int64 ("account-id", NULL, NULL, 0, G_MAXINT64, 0, flags);
  properties[PROP_ACCOUNT_NAME] = g_param_spec_string ("account-name", NULL, NULL, NULL, flags);
  properties[PROP_INTEGRATION_ID]
    = g_param_spec_int64 ("integration-id", NULL, NULL, G_MININT64, G_MAXINT64, 0, flags);
  properties[PROP_SERVICE] = g_param_spec_string ("service", NULL, NULL, NULL, flags);
  properties[PROP_NAME] = g_param_spec_string ("name", NULL, NULL, NULL, flags);
  properties[PROP_REGION] = g_param_spec_string ("region", NULL, NULL, NULL, flags);
  properties[PROP_USED_BY] = g_param_spec_uint ("used-by", NULL, NULL, 0, G_MAXUINT, 0, flags);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_integration_init (BackupsIntegration *self)
{
}

BackupsIntegration *
backups_integration_new_take (BackupsIntegrationFields *fields)
{
  BackupsIntegration *self;

  g_return_val_if_fail (fields != NULL, NULL);

  self = g_object_new (BACKUPS_TYPE_INTEGRATION, NULL);
  self->f = *fields;
  memset (fields, 0, sizeof *fields);
  return self;
}

gboolean
backups_integration_equal (BackupsIntegration *a, BackupsIntegration *b)
{
  return a->f.account_id == b->f.account_id && a->f.integration_id == b->f.integration_id
         && a->f.used_by == b->f.used_by && g_strcmp0 (a->f.account_name, b->f.account_name) == 0
         && g_strcmp0 (a->f.service, b->f.service) == 0 && g_strcmp0 (a->f.name, b->f.name) == 0
         && g_strcmp0 (a->f.region, b->f.region) == 0;
}

#define INTEGRATION_GETTER(type, field, fallback)                                                  \
  type backups_integration_get_##field (BackupsIntegration *self)                                  \
  {                                                                                                \
    g_return_val_if_fail (BACKUPS_IS_INTEGRATION (self), fallback);                                \
    return self->f.field;                                                                          \
  }

INTEGRATION_GETTER (gint64, account_id, 0)
INTEGRATION_GETTER (const char *, account_name, NULL)
INTEGRATION_GETTER (gint64, integration_id, 0)
INTEGRATION_GETTER (const char *, service, NULL)
INTEGRATION_GETTER (const char *, name, NULL)
INTEGRATION_GETTER (const char *, region, NULL)
INTEGRATION_GETTER (guint, used_by, 0)
