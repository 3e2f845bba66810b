/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-provider.c */
#include "config.h"

#include "backups-gridpane-provider.h"

#include <glib/gi18n-lib.h>

#include "backups-error.h"

struct _BackupsGridpaneProvider
{
  GObject parent_instance;

  BackupsGridpaneClient *client;
};

enum
{
  PROP_0,
  PROP_CLIENT,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

static void provider_iface_init (BackupsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (BackupsGridpaneProvider,
                               backups_gridpane_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BACKUPS_TYPE_PROVIDER, provider_iface_init))

static void
backups_gridpane_provider_dispose (GObject *object)
{
  BackupsGridpaneProvider *self = BACKUPS_GRIDPANE_PROVIDER (object);

  g_clear_object (&self->client);

  G_OBJECT_CLASS (backups_gridpane_provider_parent_class)->dispose (object);
}

static void
backups_gridpane_provider_get_property (GObject    *object,
                                        guint       prop_id,
                                        GValue     *value,
                                        GParamSpec *pspec)
{
  BackupsGridpaneProvider *self = BACKUPS_GRIDPANE_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      g_value_set_object (value, self->client);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_gridpane_provider_set_property (GObject      *object,
                                        guint         prop_id,
                                        const GValue *value,
                                        GParamSpec   *pspec)
{
  BackupsGridpaneProvider *self = BACKUPS_GRIDPANE_PROVIDER (object);

  switch (prop_id)
    {
    case PROP_CLIENT:
      self->client = g_value_dup_object (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_gridpane_provider_class_init (BackupsGridpaneProviderClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = backups_gridpane_provider_dispose;
  object_class->get_property = backups_gridpane_provider_get_property;
  object_class->set_property = backups_gridpane_provider_set_property;

  /* The account's HTTP client: one per account, its queue and its limits. */
  properties[PROP_CLIENT]
    = g_param_spec_object ("client", NULL, NULL, BACKUPS_TYPE_GRIDPANE_CLIENT,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_gridpane_provider_init (BackupsGridpaneProvider *self)
{
}

BackupsProvider *
backups_gridpane_provider_new (const char *account_name,
                               const char *base_url,
                               const char *token,
                               GError    **error)
{
  g_autoptr (BackupsGridpaneClient) client = NULL;

  g_return_val_if_fail (account_name != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (base_url == NULL || base_url[0] == '\0')
    base_url = BACKUPS_GRIDPANE_DEFAULT_BASE_URL;

  client = backups_gridpane_client_new (account_name, base_url, token, error);
  if (client == NULL)
    return NULL;

  return g_object_new (BACKUPS_TYPE_GRIDPANE_PROVIDER, "client", client, NULL);
}

BackupsProvider *
backups_gridpane_provider_factory (const char *provider,
                                   const char *account_name,
                                   const char *base_url,
                                   const char *token,
                                   gpointer    user_data,
                                   GError    **error)
{
  if (g_strcmp0 (provider, BACKUPS_PROVIDER_KIND_GRIDPANE) != 0)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("Account ‘%s’ uses the provider “%s”, which Backups does not know."),
                   account_name != NULL ? account_name : "", provider != NULL ? provider : "");
      return NULL;
    }

  return backups_gridpane_provider_new (account_name, base_url, token, error);
}

BackupsGridpaneClient *
backups_gridpane_provider_get_client (BackupsGridpaneProvider *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_PROVIDER (self), NULL);
  return self->client;
}

/* ---------------------------------------------------------------------- */
/* validate                                                                */

static void
on_user_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BackupsGridpaneClient *client = BACKUPS_GRIDPANE_CLIENT (source);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  gsize       len = 0;
  const char *data;

  bytes = backups_gridpane_client_get_finish (client, result, &error);
  if (bytes == NULL)
    {
      g_task_return_error (task, g_steal_pointer (&error));
      return;
    }

  data = g_bytes_get_data (bytes, &len);
  if (!backups_gridpane_parse_user (data, len, &error))
    {
      g_task_return_new_error (task, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE,
                               _ ("GridPane sent a response for account ‘%s’ that Backups could "
                                  "not read (%s: %s)."),
                               backups_gridpane_client_get_account_name (client), "/user",
                               error->message);
      return;
    }

  g_task_return_boolean (task, TRUE);
}

static void
provider_validate_async (BackupsProvider    *provider,
                         GCancellable       *cancellable,
                         GAsyncReadyCallback callback,
                         gpointer            user_data)
{
  BackupsGridpaneProvider *self = BACKUPS_GRIDPANE_PROVIDER (provider);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_task_set_source_tag (task, provider_validate_async);
  backups_gridpane_client_get_async (self->client, "/user", cancellable, on_user_fetched,
                                     g_steal_pointer (&task));
}

static gboolean
provider_validate_finish (BackupsProvider *provider, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == provider_validate_async, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* ---------------------------------------------------------------------- */
/* fetches                                                                 */

static void
on_records_fetched (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError    *error = NULL;
  GPtrArray *records;

  records
    = backups_gridpane_client_fetch_pages_finish (BACKUPS_GRIDPANE_CLIENT (source), result, &error);
  if (records == NULL)
    g_task_return_error (task, error);
  else
    g_task_return_pointer (task, records, (GDestroyNotify)g_ptr_array_unref);
}

static GPtrArray *
records_finish (BackupsProvider *provider,
                GAsyncResult    *result,
                gpointer         source_tag,
                GError         **error)
{
  g_return_val_if_fail (g_task_is_valid (result, provider), NULL);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Every record starts with its remote id: one reader serves the four. */
G_STATIC_ASSERT (G_STRUCT_OFFSET (BackupsServerRecord, remote_id) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (BackupsSiteRecord, remote_id) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (BackupsScheduleRecord, remote_id) == 0);
G_STATIC_ASSERT (G_STRUCT_OFFSET (BackupsIntegrationRecord, remote_id) == 0);

static gint64
record_remote_id (gconstpointer record)
{
  return *(const gint64 *)record;
}

/* The four lists the sync reads. /site and /server are paginated;
 * the backup lists came in one piece in every capture, but their meta is
 * followed when they carry one. */
static const struct
{
  const char             *path;
  BackupsGridpaneListSpec spec;
} lists[] = {
  { "/server",
    { BACKUPS_GRIDPANE_LIST_SERVERS, backups_gridpane_parse_servers_page, record_remote_id,
      backups_server_record_array_new, FALSE } },
  { "/site",
    { BACKUPS_GRIDPANE_LIST_SITES, backups_gridpane_parse_sites_page, record_remote_id,
      backups_site_record_array_new, FALSE } },
  { "/backups/schedules",
    { BACKUPS_GRIDPANE_LIST_SCHEDULES, backups_gridpane_parse_schedules_page, record_remote_id,
      backups_schedule_record_array_new, TRUE } },
  { "/backups/integrations",
    { BACKUPS_GRIDPANE_LIST_INTEGRATIONS, backups_gridpane_parse_integrations_page,
      record_remote_id, backups_integration_record_array_new, TRUE } },
};

static void
fetch_list (BackupsProvider        *provider,
            BackupsGridpaneListKind kind,
            gpointer                source_tag,
            GCancellable           *cancellable,
            GAsyncReadyCallback     callback,
            gpointer                user_data)
{
  BackupsGridpaneProvider *self = BACKUPS_GRIDPANE_PROVIDER (provider);
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);

  g_assert (kind < G_N_ELEMENTS (lists) && lists[kind].spec.kind == kind);

  g_task_set_source_tag (task, source_tag);
  backups_gridpane_client_fetch_pages_async (self->client, lists[kind].path, &lists[kind].spec,
                                             cancellable, on_records_fetched,
                                             g_steal_pointer (&task));
}

#define PROVIDER_FETCH(name, kind)                                                                 \
  static void provider_fetch_##name##_async (BackupsProvider *provider, GCancellable *cancellable, \
                                             GAsyncReadyCallback callback, gpointer user_data)     \
  {                                                                                                \
    fetch_list (provider, kind, provider_fetch_##name##_async, cancellable, callback, user_data);  \
  }                                                                                                \
  static GPtrArray *provider_fetch_##name##_finish (BackupsProvider *provider,                     \
                                                    GAsyncResult *result, GError **error)          \
  {                                                                                                \
    return records_finish (provider, result, provider_fetch_##name##_async, error);                \
  }

PROVIDER_FETCH (servers, BACKUPS_GRIDPANE_LIST_SERVERS)
PROVIDER_FETCH (sites, BACKUPS_GRIDPANE_LIST_SITES)
PROVIDER_FETCH (backup_schedules, BACKUPS_GRIDPANE_LIST_SCHEDULES)
PROVIDER_FETCH (backup_integrations, BACKUPS_GRIDPANE_LIST_INTEGRATIONS)

static void
provider_iface_init (BackupsProviderInterface *iface)
{
  iface->validate_async = provider_validate_async;
  iface->validate_finish = provider_validate_finish;
  iface->fetch_servers_async = provider_fetch_servers_async;
  iface->fetch_servers_finish = provider_fetch_servers_finish;
  iface->fetch_sites_async = provider_fetch_sites_async;
  iface->fetch_sites_finish = provider_fetch_sites_finish;
  iface->fetch_backup_schedules_async = provider_fetch_backup_schedules_async;
  iface->fetch_backup_schedules_finish = provider_fetch_backup_schedules_finish;
  iface->fetch_backup_integrations_async = provider_fetch_backup_integrations_async;
  iface->fetch_backup_integrations_finish = provider_fetch_backup_integrations_finish;
}
