/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-sync-service.c
 *
 * One AccountSync per account being synced. It looks up the token, creates
 * the provider, fetches every resource the provider has one after another
 * (rate limits are per token), and hands the snapshot to the store, which
 * applies it in one transaction in a worker thread. Anything that fails
 * before the apply leaves the account's rows as they were.
 *
 * The store has one writer at a time, so the service applies one snapshot
 * at a time and queues the others. Left to SQLite, each waiting apply
 * would hold one of the few threads of GTask's pool (which the other
 * accounts' parsers need) asleep in the busy handler, waking up at
 * intervals while the lock is already free.
 */
#include "config.h"

#include "backups-sync-service.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-error.h"

struct _BackupsSyncService
{
  GObject parent_instance;

  BackupsStore          *store;
  BackupsSecrets        *secrets;
  BackupsProviderFactory factory;
  gpointer               factory_data;

  GHashTable   *running;     /* account id → AccountSync */
  GQueue        apply_queue; /* AccountSync with a snapshot, waiting for the store */
  gboolean      applying;
  GCancellable *cancellable;
  guint         timeout_seconds;
};

G_DEFINE_FINAL_TYPE (BackupsSyncService, backups_sync_service, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_PROVIDER_FACTORY,
  PROP_PROVIDER_FACTORY_DATA,
  PROP_SYNCING,
  PROP_TIMEOUT,
  N_PROPS
};

enum
{
  ACCOUNT_STARTED,
  ACCOUNT_FINISHED,
  N_SIGNALS
};

static GParamSpec *properties[N_PROPS];
static guint       signals[N_SIGNALS];

static const BackupsResource fetch_order[] = {
  BACKUPS_RESOURCE_SERVERS,
  BACKUPS_RESOURCE_SITES,
  BACKUPS_RESOURCE_BACKUP_SCHEDULES,
  BACKUPS_RESOURCE_BACKUP_INTEGRATIONS,
};

typedef struct
{
  BackupsSyncService *service;
  gint64              account_id;
  BackupsAccount     *account;
  BackupsProvider    *provider;
  BackupsSnapshot    *snapshot;
  GCancellable       *cancellable;
  GPtrArray          *waiters; /* GTask */
  GArray             *links;   /* CancelLink: cancellables that cancel this sync */
  guint               next_resource;
  guint               timeout_id;
  gboolean            timed_out;
  GSource            *queued_cancel_source; /* while in the apply queue */
} AccountSync;

typedef struct
{
  GCancellable *cancellable;
  gulong        handler_id;
} CancelLink;

static void
waiter_cancelled_cb (GCancellable *cancellable, GCancellable *sync_cancellable)
{
  g_cancellable_cancel (sync_cancellable);
}

/* Cancelling `cancellable` (the service's, or a caller's) cancels the sync. */
static void
account_sync_link_cancellable (AccountSync *sync, GCancellable *cancellable)
{
  CancelLink link;

  if (cancellable == NULL)
    return;

  link.cancellable = g_object_ref (cancellable);
  link.handler_id = g_cancellable_connect (cancellable, G_CALLBACK (waiter_cancelled_cb),
                                           g_object_ref (sync->cancellable), g_object_unref);
  g_array_append_val (sync->links, link);
}

static void
account_sync_free (AccountSync *sync)
{
  for (guint i = 0; i < sync->links->len; i++)
    {
      CancelLink *link = &g_array_index (sync->links, CancelLink, i);

      g_cancellable_disconnect (link->cancellable, link->handler_id);
      g_object_unref (link->cancellable);
    }
  g_array_unref (sync->links);
  g_assert (sync->queued_cancel_source == NULL);
  g_clear_handle_id (&sync->timeout_id, g_source_remove);
  g_clear_object (&sync->account);
  g_clear_object (&sync->provider);
  g_clear_pointer (&sync->snapshot, backups_snapshot_free);
  g_clear_object (&sync->cancellable);
  g_clear_pointer (&sync->waiters, g_ptr_array_unref);
  g_free (sync);
}

static void
update_syncing (BackupsSyncService *self, guint before)
{
  guint after = g_hash_table_size (self->running);

  if ((before == 0) != (after == 0))
    g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_SYNCING]);
}

/* Errors the user reads must say which account they are about. Provider
 * errors already do; errors from the keyring or the cache get a prefix. */
static void
name_account_in_error (GError **error, BackupsAccount *account)
{
  const char *name;

  if (error == NULL || *error == NULL || account == NULL)
    return;

  name = backups_account_get_name (account);
  if (strstr ((*error)->message, name) == NULL)
    /* Translators: the account's name; the reason follows */
    g_prefix_error (error, _ ("Account ‘%s’: "), name);
}

static void
account_sync_complete (AccountSync *sync, GError *error)
{
  BackupsSyncService *self = sync->service;
  g_autoptr (GError) local_error = error;
  g_autoptr (GError) store_error = NULL;
  guint before = g_hash_table_size (self->running);

  g_clear_handle_id (&sync->timeout_id, g_source_remove);

  if (local_error != NULL && sync->timed_out)
    {
      g_clear_error (&local_error);
      local_error = g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_TIMED_OUT,
                                 _ ("Syncing account ‘%s’ took longer than %u seconds and was "
                                    "stopped. Try again later."),
                                 sync->account ? backups_account_get_name (sync->account) : "?",
                                 self->timeout_seconds);
    }

  if (local_error == NULL)
    ; /* the apply recorded the status in its own transaction */
  else if (g_error_matches (local_error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
    backups_store_abandon_sync (self->store, sync->account_id, &store_error);
  else
    {
      name_account_in_error (&local_error, sync->account);
      backups_store_record_sync_failure (self->store, sync->account_id, local_error->message,
                                         &store_error);
    }

  /* The cache refusing (full, read-only, locked, damaged) is what the
   * sync's own error already says; it is no programming error. */
  if (store_error != NULL)
    g_debug ("Could not record the sync status: %s", store_error->message);

  g_hash_table_steal (self->running, &sync->account_id);

  g_signal_emit (self, signals[ACCOUNT_FINISHED], 0, sync->account_id, local_error);

  for (guint i = 0; i < sync->waiters->len; i++)
    {
      GTask *task = g_ptr_array_index (sync->waiters, i);

      if (local_error != NULL)
        g_task_return_error (task, g_error_copy (local_error));
      else
        g_task_return_boolean (task, TRUE);
    }

  update_syncing (self, before);
  g_object_unref (self);
  account_sync_free (sync);
}

static void apply_next (BackupsSyncService *self);

static void
apply_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AccountSync *sync = user_data;
  g_autoptr (BackupsSyncService) self = g_object_ref (sync->service);
  GError *error = NULL;

  backups_store_apply_snapshot_finish (BACKUPS_STORE (object), result, NULL, &error);
  self->applying = FALSE;
  account_sync_complete (sync, error);
  apply_next (self);
}

static void
account_sync_unqueue (AccountSync *sync)
{
  g_queue_remove (&sync->service->apply_queue, sync);
  g_source_destroy (sync->queued_cancel_source);
  g_clear_pointer (&sync->queued_cancel_source, g_source_unref);
}

/* A sync waiting for its turn ends as soon as it is cancelled. */
static gboolean
queued_sync_cancelled_cb (GCancellable *cancellable, gpointer user_data)
{
  AccountSync *sync = user_data;

  account_sync_unqueue (sync);
  account_sync_complete (sync, g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
  return G_SOURCE_REMOVE;
}

static void
apply_next (BackupsSyncService *self)
{
  AccountSync *sync;

  if (self->applying || g_queue_is_empty (&self->apply_queue))
    return;

  sync = g_queue_peek_head (&self->apply_queue);
  account_sync_unqueue (sync);
  self->applying = TRUE;
  /* One transaction, off the main thread. */
  backups_store_apply_snapshot_async (self->store, sync->account_id,
                                      g_steal_pointer (&sync->snapshot), sync->cancellable,
                                      apply_cb, sync);
}

static void
account_sync_queue_apply (AccountSync *sync)
{
  BackupsSyncService *self = sync->service;

  sync->queued_cancel_source = g_cancellable_source_new (sync->cancellable);
  g_source_set_callback (sync->queued_cancel_source, G_SOURCE_FUNC (queued_sync_cancelled_cb), sync,
                         NULL);
  g_source_set_static_name (sync->queued_cancel_source, "[backups] queued sync cancelled");
  g_source_attach (sync->queued_cancel_source, g_main_context_get_thread_default ());
  g_queue_push_tail (&self->apply_queue, sync);
  apply_next (self);
}

static void fetch_next (AccountSync *sync);

static void
fetch_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AccountSync    *sync = user_data;
  BackupsResource resource = fetch_order[sync->next_resource - 1];
  GError         *error = NULL;
  GPtrArray      *rows;

  rows = backups_provider_fetch_finish (BACKUPS_PROVIDER (object), resource, result, &error);
  if (rows == NULL)
    {
      if (error == NULL)
        error = g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE,
                             _ ("The provider returned nothing for account ‘%s’."),
                             backups_account_get_name (sync->account));
      account_sync_complete (sync, error);
      return;
    }

  switch (resource)
    {
    case BACKUPS_RESOURCE_SERVERS:
      sync->snapshot->servers = rows;
      break;
    case BACKUPS_RESOURCE_SITES:
      sync->snapshot->sites = rows;
      break;
    case BACKUPS_RESOURCE_BACKUP_SCHEDULES:
      sync->snapshot->schedules = rows;
      break;
    case BACKUPS_RESOURCE_BACKUP_INTEGRATIONS:
      sync->snapshot->integrations = rows;
      break;
    default:
      g_assert_not_reached ();
    }

  fetch_next (sync);
}

static void
fetch_next (AccountSync *sync)
{
  if (g_cancellable_is_cancelled (sync->cancellable))
    {
      account_sync_complete (sync,
                             g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
      return;
    }

  while (sync->next_resource < G_N_ELEMENTS (fetch_order))
    {
      BackupsResource resource = fetch_order[sync->next_resource++];

      if (backups_provider_has_resource (sync->provider, resource))
        {
          backups_provider_fetch_async (sync->provider, resource, sync->cancellable, fetch_cb,
                                        sync);
          return;
        }
    }

  /* Everything arrived. */
  account_sync_queue_apply (sync);
}

static void
token_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  AccountSync        *sync = user_data;
  BackupsSyncService *self = sync->service;
  GError             *error = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;

  token = backups_secrets_lookup_finish (BACKUPS_SECRETS (object), result, &error);
  if (token == NULL)
    {
      account_sync_complete (sync, error);
      return;
    }
  if (g_cancellable_is_cancelled (sync->cancellable))
    {
      account_sync_complete (sync,
                             g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled"));
      return;
    }

  sync->provider = self->factory (
    backups_account_get_provider (sync->account), backups_account_get_name (sync->account),
    backups_account_get_base_url (sync->account), token, self->factory_data, &error);
  if (sync->provider == NULL)
    {
      account_sync_complete (sync, error);
      return;
    }

  fetch_next (sync);
}

static gboolean
sync_timeout_cb (gpointer user_data)
{
  AccountSync *sync = user_data;

  sync->timeout_id = 0;
  sync->timed_out = TRUE;
  g_cancellable_cancel (sync->cancellable);
  return G_SOURCE_REMOVE;
}

static void
account_sync_start (AccountSync *sync)
{
  BackupsSyncService *self = sync->service;
  GError             *error = NULL;

  sync->account = backups_store_get_account (self->store, sync->account_id, &error);
  if (sync->account == NULL)
    {
      account_sync_complete (sync, error);
      return;
    }

  if (!backups_store_begin_sync (self->store, sync->account_id, &error))
    {
      account_sync_complete (sync, error);
      return;
    }

  sync->snapshot = backups_snapshot_new ();
  sync->timeout_id = g_timeout_add_seconds (self->timeout_seconds, sync_timeout_cb, sync);
  backups_secrets_lookup_async (self->secrets, backups_account_get_secret_id (sync->account),
                                sync->cancellable, token_cb, sync);
}

/* Object ------------------------------------------------------------------ */

static void
backups_sync_service_dispose (GObject *object)
{
  BackupsSyncService *self = (BackupsSyncService *)object;

  if (self->cancellable != NULL)
    g_cancellable_cancel (self->cancellable);

  G_OBJECT_CLASS (backups_sync_service_parent_class)->dispose (object);
}

static void
backups_sync_service_finalize (GObject *object)
{
  BackupsSyncService *self = (BackupsSyncService *)object;

  /* Each running sync holds a reference on the service, so none is left. */
  g_assert (g_hash_table_size (self->running) == 0);
  g_assert (g_queue_is_empty (&self->apply_queue) && !self->applying);

  g_clear_pointer (&self->running, g_hash_table_unref);
  g_clear_object (&self->cancellable);
  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (backups_sync_service_parent_class)->finalize (object);
}

static void
backups_sync_service_get_property (GObject *object, guint prop_id, GValue *value, GParamSpec *pspec)
{
  BackupsSyncService *self = BACKUPS_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_PROVIDER_FACTORY:
      g_value_set_pointer (value, (gpointer)self->factory);
      break;
    case PROP_PROVIDER_FACTORY_DATA:
      g_value_set_pointer (value, self->factory_data);
      break;
    case PROP_SYNCING:
      g_value_set_boolean (value, backups_sync_service_get_syncing (self));
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, self->timeout_seconds);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_sync_service_set_property (GObject      *object,
                                   guint         prop_id,
                                   const GValue *value,
                                   GParamSpec   *pspec)
{
  BackupsSyncService *self = BACKUPS_SYNC_SERVICE (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_PROVIDER_FACTORY:
      self->factory = (BackupsProviderFactory)g_value_get_pointer (value);
      break;
    case PROP_PROVIDER_FACTORY_DATA:
      self->factory_data = g_value_get_pointer (value);
      break;
    case PROP_TIMEOUT:
      backups_sync_service_set_timeout (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_sync_service_class_init (BackupsSyncServiceClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = backups_sync_service_dispose;
  object_class->finalize = backups_sync_service_finalize;
  object_class->get_property = backups_sync_service_get_property;
  object_class->set_property = backups_sync_service_set_property;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS]
    = g_param_spec_object ("secrets", NULL, NULL, BACKUPS_TYPE_SECRETS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A BackupsProviderFactory, and the data it is called with. */
  properties[PROP_PROVIDER_FACTORY]
    = g_param_spec_pointer ("provider-factory", NULL, NULL,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_FACTORY_DATA]
    = g_param_spec_pointer ("provider-factory-data", NULL, NULL,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /**
   * BackupsSyncService:syncing:
   *
   * Whether any account is syncing. Notifies only on its 0↔1 transitions.
   */
  properties[PROP_SYNCING] = g_param_spec_boolean ("syncing", NULL, NULL, FALSE,
                                                   G_PARAM_READABLE | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT]
    = g_param_spec_uint ("timeout", NULL, NULL, 1, G_MAXUINT, BACKUPS_SYNC_DEFAULT_TIMEOUT_SECONDS,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);

  signals[ACCOUNT_STARTED]
    = g_signal_new ("account-started", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 1, G_TYPE_INT64);
  /**
   * BackupsSyncService::account-finished:
   * @account_id: the account
   * @error: (nullable): why it failed, NULL on success
   */
  signals[ACCOUNT_FINISHED]
    = g_signal_new ("account-finished", G_TYPE_FROM_CLASS (klass), G_SIGNAL_RUN_LAST, 0, NULL, NULL,
                    NULL, G_TYPE_NONE, 2, G_TYPE_INT64, G_TYPE_ERROR);
}

static void
backups_sync_service_init (BackupsSyncService *self)
{
  self->running = g_hash_table_new (g_int64_hash, g_int64_equal);
  g_queue_init (&self->apply_queue);
  self->cancellable = g_cancellable_new ();
  self->timeout_seconds = BACKUPS_SYNC_DEFAULT_TIMEOUT_SECONDS;
}

BackupsSyncService *
backups_sync_service_new (BackupsStore          *store,
                          BackupsSecrets        *secrets,
                          BackupsProviderFactory factory,
                          gpointer               factory_data)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);
  g_return_val_if_fail (BACKUPS_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (factory != NULL, NULL);

  return g_object_new (BACKUPS_TYPE_SYNC_SERVICE, "store", store, "secrets", secrets,
                       "provider-factory", factory, "provider-factory-data", factory_data, NULL);
}

gboolean
backups_sync_service_get_syncing (BackupsSyncService *self)
{
  g_return_val_if_fail (BACKUPS_IS_SYNC_SERVICE (self), FALSE);
  return g_hash_table_size (self->running) > 0;
}

gboolean
backups_sync_service_is_account_syncing (BackupsSyncService *self, gint64 account_id)
{
  g_return_val_if_fail (BACKUPS_IS_SYNC_SERVICE (self), FALSE);
  return g_hash_table_contains (self->running, &account_id);
}

void
backups_sync_service_set_timeout (BackupsSyncService *self, guint seconds)
{
  g_return_if_fail (BACKUPS_IS_SYNC_SERVICE (self));
  g_return_if_fail (seconds > 0);

  if (self->timeout_seconds != seconds)
    {
      self->timeout_seconds = seconds;
      g_object_notify_by_pspec (G_OBJECT (self), properties[PROP_TIMEOUT]);
    }
}

void
backups_sync_service_sync_account_async (BackupsSyncService *self,
                                         gint64              account_id,
                                         GCancellable       *cancellable,
                                         GAsyncReadyCallback callback,
                                         gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  AccountSync *sync;
  guint        before;

  g_return_if_fail (BACKUPS_IS_SYNC_SERVICE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_sync_service_sync_account_async);
  /* The shared sync decides the outcome; a cancelled caller gets
   * G_IO_ERROR_CANCELLED through it. */
  g_task_set_check_cancellable (task, FALSE);

  /* Nothing is written to a damaged cache, so nothing is fetched for it. */
  if (backups_store_is_damaged (self->store))
    {
      g_task_return_new_error (task, BACKUPS_ERROR, BACKUPS_ERROR_DATABASE_DAMAGED,
                               _ ("The cache at %s is damaged. Rebuild it from GridPane."),
                               backups_store_get_path (self->store));
      return;
    }

  sync = g_hash_table_lookup (self->running, &account_id);
  if (sync != NULL)
    {
      /* Already syncing: join it. */
      account_sync_link_cancellable (sync, cancellable);
      g_ptr_array_add (sync->waiters, g_steal_pointer (&task));
      return;
    }

  before = g_hash_table_size (self->running);

  sync = g_new0 (AccountSync, 1);
  sync->service = g_object_ref (self);
  sync->account_id = account_id;
  sync->cancellable = g_cancellable_new ();
  sync->waiters = g_ptr_array_new_with_free_func (g_object_unref);
  sync->links = g_array_new (FALSE, FALSE, sizeof (CancelLink));
  g_ptr_array_add (sync->waiters, g_steal_pointer (&task));

  account_sync_link_cancellable (sync, self->cancellable);
  account_sync_link_cancellable (sync, cancellable);

  g_hash_table_insert (self->running, &sync->account_id, sync);
  update_syncing (self, before);
  g_signal_emit (self, signals[ACCOUNT_STARTED], 0, account_id);

  account_sync_start (sync);
}

gboolean
backups_sync_service_sync_account_finish (BackupsSyncService *self,
                                          GAsyncResult       *result,
                                          GError            **error)
{
  g_return_val_if_fail (BACKUPS_IS_SYNC_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

typedef struct
{
  guint      pending;
  GPtrArray *messages;
  gboolean   cancelled;
} OrgSync;

static void
org_sync_free (OrgSync *org)
{
  g_ptr_array_unref (org->messages);
  g_free (org);
}

static void
org_account_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  OrgSync *org = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!backups_sync_service_sync_account_finish (BACKUPS_SYNC_SERVICE (object), result, &error))
    {
      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        org->cancelled = TRUE;
      else
        g_ptr_array_add (org->messages, g_strdup (error->message));
    }

  if (--org->pending > 0)
    return;

  if (org->messages->len > 0)
    {
      g_autofree char *joined = NULL;

      g_ptr_array_add (org->messages, NULL);
      joined = g_strjoinv ("\n", (char **)org->messages->pdata);
      g_task_return_new_error (task, BACKUPS_ERROR, BACKUPS_ERROR_FAILED, "%s", joined);
    }
  else if (org->cancelled)
    g_task_return_new_error (task, G_IO_ERROR, G_IO_ERROR_CANCELLED, "Cancelled");
  else
    g_task_return_boolean (task, TRUE);
}

void
backups_sync_service_sync_org_async (BackupsSyncService *self,
                                     gint64              org_id,
                                     GCancellable       *cancellable,
                                     GAsyncReadyCallback callback,
                                     gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  GError  *error = NULL;
  OrgSync *org;

  g_return_if_fail (BACKUPS_IS_SYNC_SERVICE (self));
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_sync_service_sync_org_async);
  g_task_set_check_cancellable (task, FALSE);

  accounts = backups_store_list_accounts (self->store, org_id, &error);
  if (accounts == NULL)
    {
      g_task_return_error (task, error);
      return;
    }
  if (accounts->len == 0)
    {
      g_task_return_boolean (task, TRUE);
      return;
    }

  org = g_new0 (OrgSync, 1);
  org->pending = accounts->len;
  org->messages = g_ptr_array_new_with_free_func (g_free);
  g_task_set_task_data (task, org, (GDestroyNotify)org_sync_free);

  for (guint i = 0; i < accounts->len; i++)
    backups_sync_service_sync_account_async (
      self, backups_account_get_id (g_ptr_array_index (accounts, i)), cancellable, org_account_cb,
      g_object_ref (task));
}

gboolean
backups_sync_service_sync_org_finish (BackupsSyncService *self,
                                      GAsyncResult       *result,
                                      GError            **error)
{
  g_return_val_if_fail (BACKUPS_IS_SYNC_SERVICE (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

void
backups_sync_service_cancel_all (BackupsSyncService *self)
{
  g_return_if_fail (BACKUPS_IS_SYNC_SERVICE (self));

  g_cancellable_cancel (self->cancellable);
  g_clear_object (&self->cancellable);
  self->cancellable = g_cancellable_new ();
}
