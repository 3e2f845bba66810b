/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-memory-secrets.c: tokens kept in this process only, for tests and
 * the demo profile. They vanish when the process ends. */
#include "config.h"

#include "backups-memory-secrets.h"

#include <glib/gi18n.h>

#include "backups-error.h"

struct _BackupsMemorySecrets
{
  BackupsSecrets parent_instance;
  GMutex         lock;
  GHashTable    *tokens; /* secret id → BackupsSecretToken */
  GHashTable    *owners; /* secret id → BackupsSecretOwner */
};

G_DEFINE_FINAL_TYPE (BackupsMemorySecrets, backups_memory_secrets, BACKUPS_TYPE_SECRETS)

static gboolean
backups_memory_secrets_store (BackupsSecrets           *secrets,
                              const BackupsSecretOwner *owner,
                              const char               *label,
                              const char               *token,
                              GError                  **error)
{
  BackupsMemorySecrets *self = BACKUPS_MEMORY_SECRETS (secrets);

  g_mutex_lock (&self->lock);
  g_hash_table_replace (self->tokens, g_strdup (owner->secret_id),
                        backups_secret_token_new (token));
  g_hash_table_replace (self->owners, g_strdup (owner->secret_id),
                        backups_secret_owner_new (owner->secret_id, owner->org_name,
                                                  owner->account_name, owner->base_url));
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static GPtrArray *
backups_memory_secrets_list_owners (BackupsSecrets *secrets, GError **error)
{
  BackupsMemorySecrets *self = BACKUPS_MEMORY_SECRETS (secrets);
  GPtrArray *owners = g_ptr_array_new_with_free_func ((GDestroyNotify)backups_secret_owner_free);
  GHashTableIter iter;
  gpointer       value;

  g_mutex_lock (&self->lock);
  g_hash_table_iter_init (&iter, self->owners);
  while (g_hash_table_iter_next (&iter, NULL, &value))
    {
      const BackupsSecretOwner *owner = value;

      g_ptr_array_add (owners, backups_secret_owner_new (owner->secret_id, owner->org_name,
                                                         owner->account_name, owner->base_url));
    }
  g_mutex_unlock (&self->lock);
  return owners;
}

static BackupsSecretToken *
backups_memory_secrets_lookup (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  BackupsMemorySecrets *self = BACKUPS_MEMORY_SECRETS (secrets);
  BackupsSecretToken   *token = NULL;
  const char           *stored;

  g_mutex_lock (&self->lock);
  stored = g_hash_table_lookup (self->tokens, secret_id);
  if (stored != NULL)
    token = backups_secret_token_new (stored);
  g_mutex_unlock (&self->lock);

  if (token == NULL)
    g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN,
                 _ ("The keyring has no token for this account. Enter it again under Accounts."));
  return token;
}

static gboolean
backups_memory_secrets_clear (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  BackupsMemorySecrets *self = BACKUPS_MEMORY_SECRETS (secrets);

  g_mutex_lock (&self->lock);
  g_hash_table_remove (self->tokens, secret_id);
  g_hash_table_remove (self->owners, secret_id);
  g_mutex_unlock (&self->lock);
  return TRUE;
}

static void
backups_memory_secrets_finalize (GObject *object)
{
  BackupsMemorySecrets *self = (BackupsMemorySecrets *)object;

  g_clear_pointer (&self->tokens, g_hash_table_unref);
  g_clear_pointer (&self->owners, g_hash_table_unref);
  g_mutex_clear (&self->lock);

  G_OBJECT_CLASS (backups_memory_secrets_parent_class)->finalize (object);
}

static void
backups_memory_secrets_class_init (BackupsMemorySecretsClass *klass)
{
  GObjectClass        *object_class = G_OBJECT_CLASS (klass);
  BackupsSecretsClass *secrets_class = BACKUPS_SECRETS_CLASS (klass);

  object_class->finalize = backups_memory_secrets_finalize;
  secrets_class->store = backups_memory_secrets_store;
  secrets_class->lookup = backups_memory_secrets_lookup;
  secrets_class->clear = backups_memory_secrets_clear;
  secrets_class->list_owners = backups_memory_secrets_list_owners;
}

static void
backups_memory_secrets_init (BackupsMemorySecrets *self)
{
  g_mutex_init (&self->lock);
  self->tokens = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)backups_secret_token_free);
  self->owners = g_hash_table_new_full (g_str_hash, g_str_equal, g_free,
                                        (GDestroyNotify)backups_secret_owner_free);
}

BackupsSecrets *
backups_secrets_new_memory (void)
{
  return g_object_new (BACKUPS_TYPE_MEMORY_SECRETS, NULL);
}
