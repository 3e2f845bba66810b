/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-provider.h
 *
 * The adapter for one kind of hosting account. A provider fetches and maps;
 * it returns plain records (backups-records.h) and never touches the store.
 * `validate` is required. Each fetch method is optional: leave it NULL when
 * the provider has no such resource, and the sync service skips it.
 */
#pragma once

#include <gio/gio.h>

#include "backups-records.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_PROVIDER (backups_provider_get_type ())

G_DECLARE_INTERFACE (BackupsProvider, backups_provider, BACKUPS, PROVIDER, GObject)

typedef enum
{
  BACKUPS_RESOURCE_SERVERS,
  BACKUPS_RESOURCE_SITES,
  BACKUPS_RESOURCE_BACKUP_SCHEDULES,
  BACKUPS_RESOURCE_BACKUP_INTEGRATIONS,
} BackupsResource;

struct _BackupsProviderInterface
{
  GTypeInterface parent_iface;

  void (*validate_async) (BackupsProvider    *self,
                          GCancellable       *cancellable,
                          GAsyncReadyCallback callback,
                          gpointer            user_data);
  gboolean (*validate_finish) (BackupsProvider *self, GAsyncResult *result, GError **error);

  /* Each fetch returns a GPtrArray of the matching record type, owning its
   * records (see backups_*_record_array_new). */
  void (*fetch_servers_async) (BackupsProvider    *self,
                               GCancellable       *cancellable,
                               GAsyncReadyCallback callback,
                               gpointer            user_data);
  GPtrArray *(*fetch_servers_finish) (BackupsProvider *self, GAsyncResult *result, GError **error);
  void (*fetch_sites_async) (BackupsProvider    *self,
                             GCancellable       *cancellable,
                             GAsyncReadyCallback callback,
                             gpointer            user_data);
  GPtrArray *(*fetch_sites_finish) (BackupsProvider *self, GAsyncResult *result, GError **error);
  void (*fetch_backup_schedules_async) (BackupsProvider    *self,
                                        GCancellable       *cancellable,
                                        GAsyncReadyCallback callback,
                                        gpointer            user_data);
  GPtrArray *(*fetch_backup_schedules_finish) (BackupsProvider *self,
                                               GAsyncResult    *result,
                                               GError         **error);
  void (*fetch_backup_integrations_async) (BackupsProvider    *self,
                                           GCancellable       *cancellable,
                                           GAsyncReadyCallback callback,
                                           gpointer            user_data);
  GPtrArray *(*fetch_backup_integrations_finish) (BackupsProvider *self,
                                                  GAsyncResult    *result,
                                                  GError         **error);
};

/* The provider kinds, as the `provider` column of `accounts` stores them. */
#define BACKUPS_PROVIDER_KIND_GRIDPANE "gridpane"

/* Where an account of that kind is read when its base URL is left empty. */
#define BACKUPS_PROVIDER_GRIDPANE_DEFAULT_BASE_URL "https://my.gridpane.com/oauth/api/v1"

/* Creates the provider for an account. `provider` is the account's provider
 * kind (BACKUPS_PROVIDER_KIND_GRIDPANE); `account_name` is used in error
 * messages. */
typedef BackupsProvider *(*BackupsProviderFactory) (const char *provider,
                                                    const char *account_name,
                                                    const char *base_url,
                                                    const char *token,
                                                    gpointer    user_data,
                                                    GError    **error);

void backups_provider_validate_async (BackupsProvider    *self,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean
backups_provider_validate_finish (BackupsProvider *self, GAsyncResult *result, GError **error);

gboolean   backups_provider_has_resource (BackupsProvider *self, BackupsResource resource);
void       backups_provider_fetch_async (BackupsProvider    *self,
                                         BackupsResource     resource,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data);
GPtrArray *backups_provider_fetch_finish (BackupsProvider *self,
                                          BackupsResource  resource,
                                          GAsyncResult    *result,
                                          GError         **error);

G_END_DECLS
