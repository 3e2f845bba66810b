/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-org.c */
#include "backups-org.h"

struct _BackupsOrg
{
  GObject parent_instance;
  gint64  id;
  char   *name;
};

G_DEFINE_FINAL_TYPE (BackupsOrg, backups_org, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ID,
  PROP_NAME,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void
backups_org_finalize (GObject *object)
{
  BackupsOrg *self = (BackupsOrg *)object;

  g_clear_pointer (&self->name, g_free);

  G_OBJECT_CLASS (backups_org_parent_class)->finalize (object);
}

static void
backups_org_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsOrg *self = BACKUPS_ORG (object);

  switch (prop_id)
    {
    case PROP_ID:
      g_value_set_int64 (value, self->id);
      break;
    case PROP_NAME:
      g_value_set_string (value, self->name);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_org_class_init (BackupsOrgClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->finalize = backups_org_finalize;
  object_class->get_property = backups_org_get_property;

  properties[PROP_ID] = g_param_spec_int64 ("id", NULL, NULL, 0, G_MAXINT64, 0,
                                            G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_NAME]
    = g_param_spec_string ("name", NULL, NULL, NULL, G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_org_init (BackupsOrg *self)
{
}

BackupsOrg *
backups_org_new (gint64 id, const char *name)
{
  BackupsOrg *self = g_object_new (BACKUPS_TYPE_ORG, NULL);

  self->id = id;
  self->name = g_strdup (name);
  return self;
}

gint64
backups_org_get_id (BackupsOrg *self)
{
  g_return_val_if_fail (BACKUPS_IS_ORG (self), 0);
  return self->id;
}

const char *
backups_org_get_name (BackupsOrg *self)
{
  g_return_val_if_fail (BACKUPS_IS_ORG (self), NULL);
  return self->name;
}
