/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-account-manager.c
 *
 * Adding an account: the names, then the provider's check of the token,
 * then the token into the secret store under a fresh id, and only then the
 * row (name, URL, secret id; never the token). A failure at any step undoes
 * the steps before it, the organization created for the account included.
 */
#include "config.h"

#include "backups-account-manager.h"

#include <glib/gi18n.h>

#include "backups-error.h"
#include "backups-name.h"

struct _BackupsAccountManager
{
  GObject parent_instance;

  BackupsStore          *store;
  BackupsSecrets        *secrets;
  BackupsProviderFactory factory;
  gpointer               factory_data;
  /* Keyring changes, one at a time in the order asked: a relabel reads a
   * token and writes it back, which must not overtake a removal or a new
   * token. */
  GThreadPool *keyring_queue;
};

G_DEFINE_FINAL_TYPE (BackupsAccountManager, backups_account_manager, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_STORE,
  PROP_SECRETS,
  PROP_PROVIDER_FACTORY,
  PROP_PROVIDER_FACTORY_DATA,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

gboolean
backups_account_manager_is_keyring_error (const GError *error)
{
  return g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING)
         || g_error_matches (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
}

static BackupsSecretOwner *
owner_of_account (BackupsAccount *account)
{
  return backups_secret_owner_new (
    backups_account_get_secret_id (account), backups_account_get_org_name (account),
    backups_account_get_name (account), backups_account_get_base_url (account));
}

/* Organizations ------------------------------------------------------------ */

BackupsOrg *
backups_account_manager_add_org (BackupsAccountManager *self, const char *name, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self), NULL);

  if (!backups_name_check (BACKUPS_NAME_ORG, name, error))
    return NULL;
  return backups_store_add_org (self->store, name, error);
}

gboolean
backups_account_manager_check_new_account (BackupsAccountManager *self,
                                           const char            *org_name,
                                           const char            *name,
                                           GError               **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) existing = NULL;

  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self), FALSE);

  if (!backups_name_check (BACKUPS_NAME_ORG, org_name, error)
      || !backups_name_check (BACKUPS_NAME_ACCOUNT, name, error))
    return FALSE;

  org = backups_store_find_org (self->store, org_name, &local_error);
  if (org == NULL)
    {
      /* A new organization has no accounts yet. */
      if (g_error_matches (local_error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ORG))
        return TRUE;
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }

  existing = backups_store_find_account (self->store, backups_org_get_id (org), name, &local_error);
  if (existing != NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS,
                   _ ("Organization “%s” already has an account named “%s”."),
                   backups_org_get_name (org), name);
      return FALSE;
    }
  if (!g_error_matches (local_error, BACKUPS_ERROR, BACKUPS_ERROR_NO_SUCH_ACCOUNT))
    {
      g_propagate_error (error, g_steal_pointer (&local_error));
      return FALSE;
    }
  return TRUE;
}

/* The keyring ------------------------------------------------------------------
 *
 * A new token is stored; after a rename every token of the organization is
 * relabeled; after a removal the removed accounts' tokens are deleted. In
 * the keyring queue's worker: each is a D-Bus round trip. */

typedef enum
{
  KEYRING_STORE,
  KEYRING_RELABEL,
  KEYRING_FORGET,
} KeyringChange;

typedef struct
{
  KeyringChange       change;
  GPtrArray          *owners; /* BackupsSecretOwner */
  BackupsSecretToken *token;  /* KEYRING_STORE: the token of its one owner */
} KeyringJob;

static void
keyring_job_free (KeyringJob *job)
{
  g_clear_pointer (&job->owners, g_ptr_array_unref);
  g_clear_pointer (&job->token, backups_secret_token_free);
  g_free (job);
}

static KeyringJob *
keyring_job_new (KeyringChange change, GPtrArray *owners)
{
  KeyringJob *job = g_new0 (KeyringJob, 1);

  job->change = change;
  job->owners = owners;
  return job;
}

static gboolean
change_keyring_item (BackupsSecrets           *secrets,
                     const KeyringJob         *job,
                     const BackupsSecretOwner *owner,
                     GError                  **error)
{
  const char      *account_name = owner->account_name ? owner->account_name : "";
  g_autofree char *label = NULL;

  switch (job->change)
    {
    case KEYRING_STORE:
      label = backups_secret_owner_label (owner);
      return backups_secrets_store (secrets, owner, label, job->token, error);
    case KEYRING_RELABEL:
      if (backups_secrets_update_owner (secrets, owner, error))
        return TRUE;
      g_prefix_error (error, _ ("The keyring item of account “%s” still has its old names: "),
                      account_name);
      return FALSE;
    case KEYRING_FORGET:
      if (backups_secrets_clear (secrets, owner->secret_id, error))
        return TRUE;
      g_prefix_error (
        error,
        _ ("Account “%s” was removed, but its token could not be deleted from the keyring: "),
        account_name);
      return FALSE;
    default:
      g_assert_not_reached ();
    }
}

static void
keyring_worker (gpointer data, gpointer user_data)
{
  GTask                 *task = data;
  BackupsAccountManager *self = g_task_get_source_object (task);
  KeyringJob            *job = g_task_get_task_data (task);
  GError                *first_error = NULL;

  /* Every item is tried; the first failure is told, the others logged. */
  for (guint i = 0; i < job->owners->len; i++)
    {
      g_autoptr (GError) error = NULL;

      if (change_keyring_item (self->secrets, job, job->owners->pdata[i], &error))
        continue;
      if (first_error == NULL)
        first_error = g_steal_pointer (&error);
      else
        g_debug ("%s", error->message);
    }

  if (first_error != NULL)
    g_task_return_error (task, first_error);
  else
    g_task_return_boolean (task, TRUE);
  g_object_unref (task);
}

/* Queues `job` (taking it); `callback` (nullable) gets the outcome, for
 * keyring_job_finish(). */
static void
queue_keyring_job (BackupsAccountManager *self,
                   KeyringJob            *job,
                   GAsyncReadyCallback    callback,
                   gpointer               user_data)
{
  GTask *task = g_task_new (self, NULL, callback, user_data);

  g_task_set_source_tag (task, queue_keyring_job);
  g_task_set_task_data (task, job, (GDestroyNotify)keyring_job_free);
  g_thread_pool_push (self->keyring_queue, task, NULL);
}

static gboolean
keyring_job_finish (GAsyncResult *result, GError **error)
{
  g_assert (g_task_get_source_tag (G_TASK (result)) == queue_keyring_job);

  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
keyring_followed_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  GError *error = NULL;

  if (keyring_job_finish (result, &error))
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_error (task, error);
}

/* Ends `task` once the keyring has followed the store: the owners with a
 * secret id only. Takes `owners`. */
static void
follow_in_keyring (GTask *task, KeyringChange change, GPtrArray *owners)
{
  for (guint i = owners->len; i > 0; i--)
    {
      const BackupsSecretOwner *owner = owners->pdata[i - 1];

      if (owner->secret_id == NULL || *owner->secret_id == '\0')
        g_ptr_array_remove_index (owners, i - 1);
    }
  if (owners->len == 0)
    {
      g_ptr_array_unref (owners);
      g_task_return_boolean (task, TRUE);
      return;
    }

  /* Once the store has changed, the keyring follows whatever happens. */
  queue_keyring_job (g_task_get_source_object (task), keyring_job_new (change, owners),
                     keyring_followed_cb, g_object_ref (task));
}

static GPtrArray *
owners_new (void)
{
  return g_ptr_array_new_with_free_func ((GDestroyNotify)backups_secret_owner_free);
}

static void
relabel_org (GTask *task, gint64 org_id)
{
  BackupsAccountManager *self = g_task_get_source_object (task);
  g_autoptr (GError) error = NULL;
  GPtrArray *owners;

  owners = backups_store_list_secret_owners (self->store, org_id, &error);
  if (owners == NULL)
    {
      /* The rename stands; the labels are only what rebuilding reads. */
      g_debug ("Could not list the tokens to relabel: %s", error->message);
      g_task_return_boolean (task, TRUE);
      return;
    }
  follow_in_keyring (task, KEYRING_RELABEL, owners);
}

static gboolean
finish_boolean (BackupsAccountManager *self,
                GAsyncResult          *result,
                gpointer               source_tag,
                GError               **error)
{
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self), FALSE);
  g_return_val_if_fail (g_task_is_valid (result, self), FALSE);
  g_return_val_if_fail (g_task_get_source_tag (G_TASK (result)) == source_tag, FALSE);

  return g_task_propagate_boolean (G_TASK (result), error);
}

/* Renames the organization or account `id` of the organization `org_id`,
 * then relabels the organization's tokens. */
static void
rename_async (BackupsAccountManager *self,
              BackupsNameKind        kind,
              gint64                 id,
              gint64                 org_id,
              const char            *new_name,
              GCancellable          *cancellable,
              GAsyncReadyCallback    callback,
              gpointer               user_data,
              gpointer               source_tag)
{
  g_autoptr (GTask) task = g_task_new (self, cancellable, callback, user_data);
  GError  *error = NULL;
  gboolean renamed;

  g_task_set_source_tag (task, source_tag);

  renamed = backups_name_check (kind, new_name, &error)
            && (kind == BACKUPS_NAME_ORG
                  ? backups_store_rename_org (self->store, id, new_name, &error)
                  : backups_store_rename_account (self->store, id, new_name, &error));
  if (!renamed)
    g_task_return_error (task, error);
  else
    relabel_org (task, org_id);
}

void
backups_account_manager_rename_org_async (BackupsAccountManager *self,
                                          BackupsOrg            *org,
                                          const char            *new_name,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (BACKUPS_IS_ORG (org));

  rename_async (self, BACKUPS_NAME_ORG, backups_org_get_id (org), backups_org_get_id (org),
                new_name, cancellable, callback, user_data,
                backups_account_manager_rename_org_async);
}

gboolean
backups_account_manager_rename_org_finish (BackupsAccountManager *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  return finish_boolean (self, result, backups_account_manager_rename_org_async, error);
}

void
backups_account_manager_rename_account_async (BackupsAccountManager *self,
                                              BackupsAccount        *account,
                                              const char            *new_name,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (BACKUPS_IS_ACCOUNT (account));

  rename_async (self, BACKUPS_NAME_ACCOUNT, backups_account_get_id (account),
                backups_account_get_org_id (account), new_name, cancellable, callback, user_data,
                backups_account_manager_rename_account_async);
}

gboolean
backups_account_manager_rename_account_finish (BackupsAccountManager *self,
                                               GAsyncResult          *result,
                                               GError               **error)
{
  return finish_boolean (self, result, backups_account_manager_rename_account_async, error);
}

void
backups_account_manager_remove_org_async (BackupsAccountManager *self,
                                          BackupsOrg            *org,
                                          GCancellable          *cancellable,
                                          GAsyncReadyCallback    callback,
                                          gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autoptr (GPtrArray) accounts = NULL;
  GPtrArray *owners;
  GError    *error = NULL;
  gint64     org_id;

  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (BACKUPS_IS_ORG (org));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_account_manager_remove_org_async);

  org_id = backups_org_get_id (org);
  accounts = backups_store_list_accounts (self->store, org_id, &error);
  /* The accounts and every cached row of them go with it. */
  if (accounts == NULL || !backups_store_remove_org (self->store, org_id, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  owners = owners_new ();
  for (guint i = 0; i < accounts->len; i++)
    g_ptr_array_add (owners, owner_of_account (accounts->pdata[i]));
  follow_in_keyring (task, KEYRING_FORGET, owners);
}

gboolean
backups_account_manager_remove_org_finish (BackupsAccountManager *self,
                                           GAsyncResult          *result,
                                           GError               **error)
{
  return finish_boolean (self, result, backups_account_manager_remove_org_async, error);
}

void
backups_account_manager_remove_account_async (BackupsAccountManager *self,
                                              BackupsAccount        *account,
                                              GCancellable          *cancellable,
                                              GAsyncReadyCallback    callback,
                                              gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  GPtrArray *owners;
  GError    *error = NULL;

  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (BACKUPS_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_account_manager_remove_account_async);

  if (!backups_store_remove_account (self->store, backups_account_get_id (account), &error))
    {
      g_task_return_error (task, error);
      return;
    }

  owners = owners_new ();
  g_ptr_array_add (owners, owner_of_account (account));
  follow_in_keyring (task, KEYRING_FORGET, owners);
}

gboolean
backups_account_manager_remove_account_finish (BackupsAccountManager *self,
                                               GAsyncResult          *result,
                                               GError               **error)
{
  return finish_boolean (self, result, backups_account_manager_remove_account_async, error);
}

/* Tokens -----------------------------------------------------------------------
 *
 * Adding and replacing share their first two steps: the provider checks
 * the token, then the secret store keeps it for its owner. */

typedef struct
{
  BackupsSecretOwner *owner;
  char               *provider_kind;
  BackupsSecretToken *token;
  BackupsProvider    *provider;
  /* Ends the task once the token is kept; NULL when nothing is left to do. */
  void (*then) (GTask *task);
  /* Adding only: the organization was created for this account, and why
   * the account could not be added after its token was kept. */
  gboolean created_org;
  GError  *error;
} TokenWork;

static void
token_work_free (TokenWork *work)
{
  g_clear_pointer (&work->owner, backups_secret_owner_free);
  g_free (work->provider_kind);
  g_clear_pointer (&work->token, backups_secret_token_free);
  g_clear_object (&work->provider);
  g_clear_error (&work->error);
  g_free (work);
}

static void
token_stored_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TokenWork *work = g_task_get_task_data (task);
  GError    *error = NULL;

  if (!keyring_job_finish (result, &error))
    g_task_return_error (task, error);
  else if (work->then != NULL)
    work->then (task);
  else
    g_task_return_boolean (task, TRUE);
}

static void
token_validated_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BackupsAccountManager *self = g_task_get_source_object (task);
  TokenWork             *work = g_task_get_task_data (task);
  GPtrArray             *owners;
  KeyringJob            *job;
  GError                *error = NULL;

  if (!backups_provider_validate_finish (BACKUPS_PROVIDER (object), result, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  /* Not cancellable: whether the token was kept must be known for sure,
   * so that adding can take it back. */
  owners = owners_new ();
  g_ptr_array_add (owners,
                   backups_secret_owner_new (work->owner->secret_id, work->owner->org_name,
                                             work->owner->account_name, work->owner->base_url));
  job = keyring_job_new (KEYRING_STORE, owners);
  job->token = backups_secret_token_new (work->token);
  queue_keyring_job (self, job, token_stored_cb, g_steal_pointer (&task));
}

/* Starts the check and the store of work->token. */
static void
check_and_store_token (GTask *task, TokenWork *work)
{
  BackupsAccountManager *self = g_task_get_source_object (task);
  GError                *error = NULL;

  g_task_set_task_data (task, work, (GDestroyNotify)token_work_free);

  if (work->provider_kind == NULL || *work->provider_kind == '\0')
    {
      g_task_return_new_error (task, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                               _ ("Account “%s” has no provider."), work->owner->account_name);
      return;
    }

  work->provider = self->factory (work->provider_kind, work->owner->account_name,
                                  work->owner->base_url, work->token, self->factory_data, &error);
  if (work->provider == NULL)
    {
      g_task_return_error (task, error);
      return;
    }

  backups_provider_validate_async (work->provider, g_task_get_cancellable (task),
                                   token_validated_cb, g_object_ref (task));
}

void
backups_account_manager_replace_token_async (BackupsAccountManager *self,
                                             BackupsAccount        *account,
                                             const char            *token,
                                             GCancellable          *cancellable,
                                             GAsyncReadyCallback    callback,
                                             gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  TokenWork *work;
  GError    *error = NULL;

  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));
  g_return_if_fail (BACKUPS_IS_ACCOUNT (account));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_account_manager_replace_token_async);

  if (!backups_secret_token_check (token, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  work = g_new0 (TokenWork, 1);
  work->owner = owner_of_account (account);
  work->provider_kind = g_strdup (backups_account_get_provider (account));
  work->token = backups_secret_token_new (token);
  check_and_store_token (task, work);
}

gboolean
backups_account_manager_replace_token_finish (BackupsAccountManager *self,
                                              GAsyncResult          *result,
                                              GError               **error)
{
  return finish_boolean (self, result, backups_account_manager_replace_token_async, error);
}

/* The organization named in the owner; created when there is none. */
static gint64
ensure_org (BackupsAccountManager *self, TokenWork *work, GError **error)
{
  g_autoptr (BackupsOrg) org = NULL;

  org = backups_store_find_org (self->store, work->owner->org_name, NULL);
  if (org == NULL)
    {
      org = backups_store_add_org (self->store, work->owner->org_name, error);
      work->created_org = org != NULL;
    }
  return org != NULL ? backups_org_get_id (org) : 0;
}

static void
token_taken_back_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TokenWork *work = g_task_get_task_data (task);
  g_autoptr (GError) error = NULL;

  if (!keyring_job_finish (result, &error))
    g_debug ("Could not take back the token of an account not added: %s", error->message);
  g_task_return_error (task, g_steal_pointer (&work->error));
}

/* The last step of adding: the row, now that the token is safe. */
static void
add_account_row (GTask *task)
{
  BackupsAccountManager *self = g_task_get_source_object (task);
  TokenWork             *work = g_task_get_task_data (task);
  BackupsAccount        *account = NULL;
  GPtrArray             *owners;
  gint64                 org_id = 0;

  /* The token is kept by now even when the caller gave up meanwhile. */
  if (!g_cancellable_set_error_if_cancelled (g_task_get_cancellable (task), &work->error))
    {
      org_id = ensure_org (self, work, &work->error);
      if (org_id != 0)
        account = backups_store_add_account (self->store, org_id, work->provider_kind,
                                             work->owner->account_name, work->owner->base_url,
                                             work->owner->secret_id, &work->error);
      if (account != NULL)
        {
          g_task_return_pointer (task, account, g_object_unref);
          return;
        }
      if (work->created_org)
        backups_store_remove_org (self->store, org_id, NULL);
    }

  /* Ends once the token is gone again, so that nothing is left behind. */
  owners = owners_new ();
  g_ptr_array_add (owners, g_steal_pointer (&work->owner));
  queue_keyring_job (self, keyring_job_new (KEYRING_FORGET, owners), token_taken_back_cb,
                     g_object_ref (task));
}

void
backups_account_manager_add_account_async (BackupsAccountManager *self,
                                           const char            *org_name,
                                           const char            *provider,
                                           const char            *name,
                                           const char            *base_url,
                                           const char            *token,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  g_autofree char *secret_id = NULL;
  TokenWork       *work;
  GError          *error = NULL;

  g_return_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_account_manager_add_account_async);

  if (!backups_account_manager_check_new_account (self, org_name, name, &error)
      || !backups_secret_token_check (token, &error))
    {
      g_task_return_error (task, error);
      return;
    }

  secret_id = backups_secrets_generate_id ();
  work = g_new0 (TokenWork, 1);
  work->owner = backups_secret_owner_new (secret_id, org_name, name, base_url);
  work->provider_kind = g_strdup (provider);
  work->token = backups_secret_token_new (token);
  work->then = add_account_row;
  check_and_store_token (task, work);
}

BackupsAccount *
backups_account_manager_add_account_finish (BackupsAccountManager *self,
                                            GAsyncResult          *result,
                                            GError               **error)
{
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == backups_account_manager_add_account_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}

/* Object ---------------------------------------------------------------------- */

BackupsAccountManager *
backups_account_manager_new (BackupsStore          *store,
                             BackupsSecrets        *secrets,
                             BackupsProviderFactory factory,
                             gpointer               factory_data)
{
  g_return_val_if_fail (BACKUPS_IS_STORE (store), NULL);
  g_return_val_if_fail (BACKUPS_IS_SECRETS (secrets), NULL);
  g_return_val_if_fail (factory != NULL, NULL);

  return g_object_new (BACKUPS_TYPE_ACCOUNT_MANAGER, "store", store, "secrets", secrets,
                       "provider-factory", factory, "provider-factory-data", factory_data, NULL);
}

BackupsStore *
backups_account_manager_get_store (BackupsAccountManager *self)
{
  g_return_val_if_fail (BACKUPS_IS_ACCOUNT_MANAGER (self), NULL);
  return self->store;
}

static void
backups_account_manager_finalize (GObject *object)
{
  BackupsAccountManager *self = BACKUPS_ACCOUNT_MANAGER (object);

  /* Empty by now: every job holds a reference. Not waiting, as the last
   * reference may go in the queue's own worker. */
  g_thread_pool_free (self->keyring_queue, FALSE, FALSE);

  G_OBJECT_CLASS (backups_account_manager_parent_class)->finalize (object);
}

static void
backups_account_manager_dispose (GObject *object)
{
  BackupsAccountManager *self = BACKUPS_ACCOUNT_MANAGER (object);

  g_clear_object (&self->store);
  g_clear_object (&self->secrets);

  G_OBJECT_CLASS (backups_account_manager_parent_class)->dispose (object);
}

static void
backups_account_manager_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BackupsAccountManager *self = BACKUPS_ACCOUNT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      g_value_set_object (value, self->store);
      break;
    case PROP_SECRETS:
      g_value_set_object (value, self->secrets);
      break;
    case PROP_PROVIDER_FACTORY:
      g_value_set_pointer (value, self->factory);
      break;
    case PROP_PROVIDER_FACTORY_DATA:
      g_value_set_pointer (value, self->factory_data);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_account_manager_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BackupsAccountManager *self = BACKUPS_ACCOUNT_MANAGER (object);

  switch (prop_id)
    {
    case PROP_STORE:
      self->store = g_value_dup_object (value);
      break;
    case PROP_SECRETS:
      self->secrets = g_value_dup_object (value);
      break;
    case PROP_PROVIDER_FACTORY:
      self->factory = g_value_get_pointer (value);
      break;
    case PROP_PROVIDER_FACTORY_DATA:
      self->factory_data = g_value_get_pointer (value);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_account_manager_class_init (BackupsAccountManagerClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = backups_account_manager_dispose;
  object_class->finalize = backups_account_manager_finalize;
  object_class->get_property = backups_account_manager_get_property;
  object_class->set_property = backups_account_manager_set_property;

  properties[PROP_STORE]
    = g_param_spec_object ("store", NULL, NULL, BACKUPS_TYPE_STORE,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_SECRETS]
    = g_param_spec_object ("secrets", NULL, NULL, BACKUPS_TYPE_SECRETS,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* A BackupsProviderFactory and its data. */
  properties[PROP_PROVIDER_FACTORY]
    = g_param_spec_pointer ("provider-factory", NULL, NULL,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PROVIDER_FACTORY_DATA]
    = g_param_spec_pointer ("provider-factory-data", NULL, NULL,
                            G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_account_manager_init (BackupsAccountManager *self)
{
  self->keyring_queue = g_thread_pool_new (keyring_worker, NULL, 1, FALSE, NULL);
}
