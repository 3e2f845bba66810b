/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-secrets.c: the token store's base class and async wrappers. */
#include "config.h"

#include "backups-secrets.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "backups-error.h"

G_DEFINE_ABSTRACT_TYPE (BackupsSecrets, backups_secrets, G_TYPE_OBJECT)

static void
backups_secrets_class_init (BackupsSecretsClass *klass)
{
}

static void
backups_secrets_init (BackupsSecrets *self)
{
}

BackupsSecretToken *
backups_secret_token_new (const char *text)
{
  if (text == NULL)
    return NULL;

  /* A SecretValue copies its secret into non-pageable memory; handing it
   * over as a password keeps that memory. */
  return secret_value_unref_to_password (secret_value_new (text, -1, "text/plain"), NULL);
}

void
backups_secret_token_free (BackupsSecretToken *token)
{
  /* Wipes, then frees, whichever memory libsecret gave. */
  if (token != NULL)
    secret_password_free (token);
}

void
backups_secret_wipe (char *text)
{
  secret_password_wipe (text);
}

gboolean
backups_secret_token_check (const char *token, GError **error)
{
  if (token == NULL || *token == '\0')
    {
      g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                           _ ("The token is empty."));
      return FALSE;
    }
  return TRUE;
}

char *
backups_secrets_generate_id (void)
{
  return g_uuid_string_random ();
}

BackupsSecretOwner *
backups_secret_owner_new (const char *secret_id,
                          const char *org_name,
                          const char *account_name,
                          const char *base_url)
{
  BackupsSecretOwner *owner = g_new0 (BackupsSecretOwner, 1);

  owner->secret_id = g_strdup (secret_id);
  owner->org_name = g_strdup (org_name);
  owner->account_name = g_strdup (account_name);
  owner->base_url = g_strdup (base_url);
  return owner;
}

char *
backups_secret_owner_label (const BackupsSecretOwner *owner)
{
  /* Translators: the label of the token in the keyring (Seahorse). */
  return g_strdup_printf (_ ("GridPane API token of account “%s” (%s)"),
                          owner->account_name ? owner->account_name : "",
                          owner->org_name ? owner->org_name : "");
}

void
backups_secret_owner_free (BackupsSecretOwner *owner)
{
  if (owner == NULL)
    return;
  g_free (owner->secret_id);
  g_free (owner->org_name);
  g_free (owner->account_name);
  g_free (owner->base_url);
  g_free (owner);
}

gboolean
backups_secrets_update_owner (BackupsSecrets *self, const BackupsSecretOwner *owner, GError **error)
{
  g_autofree char *label = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;

  g_return_val_if_fail (BACKUPS_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (owner != NULL && owner->secret_id != NULL, FALSE);

  token = backups_secrets_lookup (self, owner->secret_id, error);
  if (token == NULL)
    return FALSE;
  label = backups_secret_owner_label (owner);
  return backups_secrets_store (self, owner, label, token, error);
}

GPtrArray *
backups_secrets_list_owners (BackupsSecrets *self, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_SECRETS (self), NULL);

  return BACKUPS_SECRETS_GET_CLASS (self)->list_owners (self, error);
}

gboolean
backups_secrets_store (BackupsSecrets           *self,
                       const BackupsSecretOwner *owner,
                       const char               *label,
                       const char               *token,
                       GError                  **error)
{
  g_return_val_if_fail (BACKUPS_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (owner != NULL && owner->secret_id != NULL, FALSE);
  g_return_val_if_fail (label != NULL, FALSE);
  g_return_val_if_fail (token != NULL, FALSE);

  if (!backups_secret_token_check (token, error))
    return FALSE;

  return BACKUPS_SECRETS_GET_CLASS (self)->store (self, owner, label, token, error);
}

BackupsSecretToken *
backups_secrets_lookup (BackupsSecrets *self, const char *secret_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_SECRETS (self), NULL);
  g_return_val_if_fail (secret_id != NULL, NULL);

  return BACKUPS_SECRETS_GET_CLASS (self)->lookup (self, secret_id, error);
}

gboolean
backups_secrets_clear (BackupsSecrets *self, const char *secret_id, GError **error)
{
  g_return_val_if_fail (BACKUPS_IS_SECRETS (self), FALSE);
  g_return_val_if_fail (secret_id != NULL, FALSE);

  return BACKUPS_SECRETS_GET_CLASS (self)->clear (self, secret_id, error);
}

typedef struct
{
  char *secret_id;
} SecretCall;

static void
secret_call_free (SecretCall *call)
{
  g_free (call->secret_id);
  g_free (call);
}

static void
lookup_thread (GTask *task, gpointer source_object, gpointer task_data, GCancellable *cancellable)
{
  SecretCall         *call = task_data;
  GError             *error = NULL;
  BackupsSecretToken *token;

  token = backups_secrets_lookup (source_object, call->secret_id, &error);
  if (token != NULL)
    g_task_return_pointer (task, token, (GDestroyNotify)backups_secret_token_free);
  else
    g_task_return_error (task, error);
}

void
backups_secrets_lookup_async (BackupsSecrets     *self,
                              const char         *secret_id,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  g_autoptr (GTask) task = NULL;
  SecretCall *call;

  g_return_if_fail (BACKUPS_IS_SECRETS (self));

  call = g_new0 (SecretCall, 1);
  call->secret_id = g_strdup (secret_id);

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_secrets_lookup_async);
  g_task_set_task_data (task, call, (GDestroyNotify)secret_call_free);
  g_task_run_in_thread (task, lookup_thread);
}

BackupsSecretToken *
backups_secrets_lookup_finish (BackupsSecrets *self, GAsyncResult *result, GError **error)
{
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  return g_task_propagate_pointer (G_TASK (result), error);
}
