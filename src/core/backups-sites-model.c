/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sites-model.c
 *
 * A pass-through of a BackupsQueryModel of sites that adds the policy and
 * the per-health counts. The counts are taken from the query model's rows
 * (BackupsSite objects, one enum read each: 25,000 rows in well under a
 * millisecond) before each items-changed is passed on.
 */
#include "config.h"

#include "backups-sites-model.h"

#include "backups-query-model-private.h"
#include "backups-query-model.h"

struct _BackupsSitesModel
{
  GObject parent_instance;

  BackupsStore      *store;
  BackupsQueryModel *query;
  BackupsPolicy     *policy;
  GSettings         *settings;
  gulong             settings_changed_id;
  guint              counts[BACKUPS_N_HEALTHS];
};

static void backups_sites_model_list_model_init (GListModelInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BackupsSitesModel,
                               backups_sites_model,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (G_TYPE_LIST_MODEL,
                                                      backups_sites_model_list_model_init))

enum
{
  PROP_0,
  PROP_STORE,
  PROP_ORG_ID,
  PROP_POLICY,
  PROP_LOADING,
  PROP_N_ITEMS,
  PROP_N_UNPROTECTED, /* in BackupsHealth's order */
  PROP_N_UNKNOWN,
  PROP_N_AT_RISK,
  PROP_N_PROTECTED,
  N_PROPS
};

G_STATIC_ASSERT (PROP_N_UNKNOWN - PROP_N_UNPROTECTED == BACKUPS_HEALTH_UNKNOWN);
G_STATIC_ASSERT (PROP_N_PROTECTED - PROP_N_UNPROTECTED == BACKUPS_HEALTH_PROTECTED);

static GParamSpec *properties[N_PROPS];

static GType
backups_sites_model_get_item_type (GListModel *model)
{
  return BACKUPS_TYPE_SITE;
}

static guint
backups_sites_model_get_n_items (GListModel *model)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (model);

  return g_list_model_get_n_items (G_LIST_MODEL (self->query));
}

static gpointer
backups_sites_model_get_item (GListModel *model, guint position)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (model);

  return g_list_model_get_item (G_LIST_MODEL (self->query), position);
}

static void
backups_sites_model_list_model_init (GListModelInterface *iface)
{
  iface->get_item_type = backups_sites_model_get_item_type;
  iface->get_n_items = backups_sites_model_get_n_items;
  iface->get_item = backups_sites_model_get_item;
}

static void
query_items_changed_cb (BackupsSitesModel *self, guint position, guint removed, guint added)
{
  GPtrArray *rows = backups_query_model_peek_rows (self->query);
  guint      counts[BACKUPS_N_HEALTHS] = { 0 };

  for (guint i = 0; i < rows->len; i++)
    {
      BackupsHealth health = backups_site_get_health (rows->pdata[i]);

      if ((guint)health < BACKUPS_N_HEALTHS)
        counts[health]++;
    }

  /* The handlers of items-changed read the new counts; notify follows. */
  g_object_freeze_notify (G_OBJECT (self));
  for (guint h = 0; h < BACKUPS_N_HEALTHS; h++)
    if (counts[h] != self->counts[h])
      {
        self->counts[h] = counts[h];
        g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_UNPROTECTED + h]);
      }
  g_list_model_items_changed (G_LIST_MODEL (self), position, removed, added);
  g_object_thaw_notify (G_OBJECT (self));
}

static void
query_notify_cb (BackupsSitesModel *self, GParamSpec *pspec)
{
  const char *name = g_param_spec_get_name (pspec);

  if (g_strcmp0 (name, "loading") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_LOADING]);
  else if (g_strcmp0 (name, "n-items") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_N_ITEMS]);
  else if (g_strcmp0 (name, "org-id") == 0)
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_ORG_ID]);
}

static void
backups_sites_model_constructed (GObject *object)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (object);

  G_OBJECT_CLASS (backups_sites_model_parent_class)->constructed (object);

  g_return_if_fail (BACKUPS_IS_STORE (self->store));

  self->query = backups_query_model_new (self->store, BACKUPS_QUERY_SITES);
  backups_query_model_set_params (self->query, self->policy);
  g_signal_connect_object (self->query, "items-changed", G_CALLBACK (query_items_changed_cb), self,
                           G_CONNECT_SWAPPED);
  g_signal_connect_object (self->query, "notify", G_CALLBACK (query_notify_cb), self,
                           G_CONNECT_SWAPPED);
}

static void
backups_sites_model_dispose (GObject *object)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (object);

  g_clear_signal_handler (&self->settings_changed_id, self->settings);
  g_clear_object (&self->settings);
  g_clear_object (&self->query);
  g_clear_object (&self->store);

  G_OBJECT_CLASS (backups_sites_model_parent_class)->dispose (object);
}

static void
backups_sites_model_finalize (GObject *object)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (object);

  g_clear_pointer (&self->policy, backups_policy_free);

  G_OBJECT_CLASS (backups_sites_model_parent_class)->finalize (object);
}

static void
backups_sites_model_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_ORG_ID:
      g_value_set_int64 (value, backups_sites_model_get_org_id (self));
      break;
    case PROP_POLICY:
      g_value_set_boxed (value, self->policy);
      break;
    case PROP_LOADING:
      g_value_set_boolean (value, backups_sites_model_get_loading (self));
      break;
    case PROP_N_ITEMS:
      g_value_set_uint (value, backups_sites_model_get_n_items (G_LIST_MODEL (self)));
      break;
    case PROP_N_UNPROTECTED:
    case PROP_N_UNKNOWN:
    case PROP_N_AT_RISK:
    case PROP_N_PROTECTED:
      g_value_set_uint (value, self->counts[prop_id - PROP_N_UNPROTECTED]);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_sites_model_set_property (GObject      *object,
                                  guint         prop_id,
                                  const GValue *value,
                                  GParamSpec   *pspec)
{
  BackupsSitesModel *self = BACKUPS_SITES_MODEL (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_ORG_ID:
      backups_sites_model_set_org_id (self, g_value_get_int64 (value));
      break;
    case PROP_POLICY:
      backups_sites_model_set_policy (self, g_value_get_boxed (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_sites_model_class_init (BackupsSitesModelClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);
  GParamFlags   readable = G_PARAM_READABLE | G_PARAM_STATIC_STRINGS;

  object_class->constructed = backups_sites_model_constructed;
  object_class->dispose = backups_sites_model_dispose;
  object_class->finalize = backups_sites_model_finalize;
  object_class->get_property = backups_sites_model_get_property;
  object_class->set_property = backups_sites_model_set_property;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_ORG_ID]
    = g_param_spec_int64 ("org-id", NULL, NULL, 0, G_MAXINT64, 0,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_POLICY]
    = g_param_spec_boxed ("policy", NULL, NULL, BACKUPS_TYPE_POLICY,
                          G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_LOADING] = g_param_spec_boolean ("loading", NULL, NULL, FALSE, readable);
  properties[PROP_N_ITEMS] = g_param_spec_uint ("n-items", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_UNPROTECTED]
    = g_param_spec_uint ("n-unprotected", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_UNKNOWN]
    = g_param_spec_uint ("n-unknown", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_AT_RISK]
    = g_param_spec_uint ("n-at-risk", NULL, NULL, 0, G_MAXUINT, 0, readable);
  properties[PROP_N_PROTECTED]
    = g_param_spec_uint ("n-protected", NULL, NULL, 0, G_MAXUINT, 0, readable);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_sites_model_init (BackupsSitesModel *self)
{
  self->policy = backups_policy_new_default ();
}

BackupsSitesModel *
backups_sites_model_new (BackupsStore *store)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);

  return g_object_new (BACKUPS_TYPE_SITES_MODEL, "store", store, NULL);
}

void
backups_sites_model_set_org_id (BackupsSitesModel *self, gint64 org_id)
{
  g_return_if_fail (BACKUPS_IS_SITES_MODEL (self));

  /* The query model notifies org-id; query_notify_cb passes it on. */
  backups_query_model_set_org_id (self->query, org_id);
}

gint64
backups_sites_model_get_org_id (BackupsSitesModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_SITES_MODEL (self), 0);

  return backups_query_model_get_org_id (self->query);
}

void
backups_sites_model_set_policy (BackupsSitesModel *self, const BackupsPolicy *policy)
{
  g_return_if_fail (BACKUPS_IS_SITES_MODEL (self));
  g_return_if_fail (policy != NULL);

  if (backups_policy_equal (self->policy, policy))
    return;

  g_clear_pointer (&self->policy, backups_policy_free);
  self->policy = backups_policy_copy (policy);
  backups_query_model_set_params (self->query, self->policy);
  g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_POLICY]);
}

const BackupsPolicy *
backups_sites_model_get_policy (BackupsSitesModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_SITES_MODEL (self), NULL);

  return self->policy;
}

static void
settings_changed_cb (BackupsSitesModel *self, const char *key, GSettings *settings)
{
  g_autoptr (BackupsPolicy) policy = NULL;

  if (key != NULL && !backups_policy_is_settings_key (key))
    return;
  policy = backups_policy_new_from_settings (settings);
  backups_sites_model_set_policy (self, policy);
}

void
backups_sites_model_follow_settings (BackupsSitesModel *self, GSettings *settings)
{
  g_return_if_fail (BACKUPS_IS_SITES_MODEL (self));
  g_return_if_fail (G_IS_SETTINGS (settings));

  g_clear_signal_handler (&self->settings_changed_id, self->settings);
  g_set_object (&self->settings, settings);
  self->settings_changed_id = g_signal_connect_object (
    settings, "changed", G_CALLBACK (settings_changed_cb), self, G_CONNECT_SWAPPED);
  settings_changed_cb (self, NULL, settings);
}

guint
backups_sites_model_get_n_health (BackupsSitesModel *self, BackupsHealth health)
{
  g_return_val_if_fail (BACKUPS_IS_SITES_MODEL (self), 0);
  g_return_val_if_fail ((guint)health < BACKUPS_N_HEALTHS, 0);

  return self->counts[health];
}

gboolean
backups_sites_model_get_loading (BackupsSitesModel *self)
{
  g_return_val_if_fail (BACKUPS_IS_SITES_MODEL (self), FALSE);

  return self->query != NULL && backups_query_model_get_loading (self->query);
}

void
backups_sites_model_refresh (BackupsSitesModel *self)
{
  g_return_if_fail (BACKUPS_IS_SITES_MODEL (self));

  backups_query_model_refresh (self->query);
}
