/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-provider.c */
#include "backups-provider.h"

G_DEFINE_INTERFACE (BackupsProvider, backups_provider, G_TYPE_OBJECT)

static void
backups_provider_default_init (BackupsProviderInterface *iface)
{
}

void
backups_provider_validate_async (BackupsProvider    *self,
                                 GCancellable       *cancellable,
                                 GAsyncReadyCallback callback,
                                 gpointer            user_data)
{
  g_return_if_fail (BACKUPS_IS_PROVIDER (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  BACKUPS_PROVIDER_GET_IFACE (self)->validate_async (self, cancellable, callback, user_data);
}

gboolean
backups_provider_validate_finish (BackupsProvider *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_PROVIDER (self), FALSE);

  return BACKUPS_PROVIDER_GET_IFACE (self)->validate_finish (self, result, error);
}

gboolean
backups_provider_has_resource (BackupsProvider *self, BackupsResource resource)
{
  BackupsProviderInterface *iface;

  g_return_val_if_fail (BACKUPS_IS_PROVIDER (self), FALSE);

  iface = BACKUPS_PROVIDER_GET_IFACE (self);

  switch (resource)
    {
    case BACKUPS_RESOURCE_SERVERS:
      return iface->fetch_servers_async != NULL;
    case BACKUPS_RESOURCE_SITES:
      return iface->fetch_sites_async != NULL;
    case BACKUPS_RESOURCE_BACKUP_SCHEDULES:
      return iface->fetch_backup_schedules_async != NULL;
    case BACKUPS_RESOURCE_BACKUP_INTEGRATIONS:
      return iface->fetch_backup_integrations_async != NULL;
    default:
      g_return_val_if_reached (FALSE);
    }
}

void
backups_provider_fetch_async (BackupsProvider    *self,
                              BackupsResource     resource,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  BackupsProviderInterface *iface;

  g_return_if_fail (BACKUPS_IS_PROVIDER (self));
  g_return_if_fail (backups_provider_has_resource (self, resource));

  iface = BACKUPS_PROVIDER_GET_IFACE (self);

  switch (resource)
    {
    case BACKUPS_RESOURCE_SERVERS:
      iface->fetch_servers_async (self, cancellable, callback, user_data);
      break;
    case BACKUPS_RESOURCE_SITES:
      iface->fetch_sites_async (self, cancellable, callback, user_data);
      break;
    case BACKUPS_RESOURCE_BACKUP_SCHEDULES:
      iface->fetch_backup_schedules_async (self, cancellable, callback, user_data);
      break;
    case BACKUPS_RESOURCE_BACKUP_INTEGRATIONS:
      iface->fetch_backup_integrations_async (self, cancellable, callback, user_data);
      break;
    default:
      g_assert_not_reached ();
    }
}

GPtrArray *
backups_provider_fetch_finish (BackupsProvider *self,
                               BackupsResource  resource,
                               GAsyncResult    *result,
                               GError         **error)
{
  BackupsProviderInterface *iface;

  g_return_val_if_fail (BACKUPS_IS_PROVIDER (self), NULL);

  iface = BACKUPS_PROVIDER_GET_IFACE (self);

  switch (resource)
    {
    case BACKUPS_RESOURCE_SERVERS:
      return iface->fetch_servers_finish (self, result, error);
    case BACKUPS_RESOURCE_SITES:
      return iface->fetch_sites_finish (self, result, error);
    case BACKUPS_RESOURCE_BACKUP_SCHEDULES:
      return iface->fetch_backup_schedules_finish (self, result, error);
    case BACKUPS_RESOURCE_BACKUP_INTEGRATIONS:
      return iface->fetch_backup_integrations_finish (self, result, error);
    default:
      g_assert_not_reached ();
    }
}
