/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-keyring-secrets.c: tokens in the Secret Service (GNOME Keyring,
 * KWallet, …) through libsecret. Nothing falls back to plain text. */
#include "config.h"

#include "backups-keyring-secrets.h"

#include <glib/gi18n.h>
#include <libsecret/secret.h>

#include "backups-error.h"

struct _BackupsKeyringSecrets
{
  BackupsSecrets parent_instance;
};

G_DEFINE_FINAL_TYPE (BackupsKeyringSecrets, backups_keyring_secrets, BACKUPS_TYPE_SECRETS)

static const SecretSchema *
token_schema (void)
{
  static const SecretSchema schema = {
    APP_ID ".Token",
    SECRET_SCHEMA_NONE,
    {
      { "secret-id", SECRET_SCHEMA_ATTRIBUTE_STRING },
      /* Whose token it is, for rebuilding a damaged cache. */
      { "organization", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "account", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { "base-url", SECRET_SCHEMA_ATTRIBUTE_STRING },
      { NULL, 0 },
    },
    0,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
    NULL,
  };
  return &schema;
}

/* Anything that goes wrong talking to the Secret Service means the token
 * cannot be kept safely; say so and keep libsecret's reason for details. */
static void
set_keyring_error (GError **error, GError *cause)
{
  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING,
               _ ("No keyring (Secret Service) is available, so the token cannot be stored "
                  "safely and nothing was saved. Start GNOME Keyring or another Secret Service "
                  "and try again (%s)."),
               cause ? cause->message : _ ("unknown error"));
}

/* The same keys with the same values. */
static gboolean
attributes_equal (GHashTable *a, GHashTable *b)
{
  GHashTableIter iter;
  gpointer       key, value;

  if (g_hash_table_size (a) != g_hash_table_size (b))
    return FALSE;
  g_hash_table_iter_init (&iter, a);
  while (g_hash_table_iter_next (&iter, &key, &value))
    if (g_strcmp0 (value, g_hash_table_lookup (b, key)) != 0)
      return FALSE;
  return TRUE;
}

static gboolean
backups_keyring_secrets_store (BackupsSecrets           *secrets,
                               const BackupsSecretOwner *owner,
                               const char               *label,
                               const char               *token,
                               GError                  **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GHashTable) by_id = g_hash_table_new (g_str_hash, g_str_equal);
  g_autoptr (GHashTable) attributes = g_hash_table_new (g_str_hash, g_str_equal);
  g_autolist (SecretRetrievable) items = NULL;

  g_hash_table_insert (by_id, "secret-id", owner->secret_id);
  g_hash_table_insert (attributes, "secret-id", owner->secret_id);
  if (owner->org_name != NULL)
    g_hash_table_insert (attributes, "organization", owner->org_name);
  if (owner->account_name != NULL)
    g_hash_table_insert (attributes, "account", owner->account_name);
  if (owner->base_url != NULL)
    g_hash_table_insert (attributes, "base-url", owner->base_url);

  /* The item with this secret-id is replaced, attributes and all: the new
   * one first, then the others of its id, so that a lookup (a sync) never
   * finds the account without its token in between. */
  if (!secret_password_storev_sync (token_schema (), attributes, SECRET_COLLECTION_DEFAULT, label,
                                    token, NULL, &local_error))
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }
  items
    = secret_password_searchv_sync (token_schema (), by_id, SECRET_SEARCH_ALL, NULL, &local_error);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr (GHashTable) old = secret_retrievable_get_attributes (l->data);

      /* libsecret's own mark of the schema is no attribute of ours. */
      g_hash_table_remove (old, "xdg:schema");
      if (attributes_equal (old, attributes))
        continue;
      /* The item itself: a search by its attributes would also match the
       * new item when they are a subset of its own. */
      if (SECRET_IS_ITEM (l->data))
        secret_item_delete_sync (SECRET_ITEM (l->data), NULL, &local_error);
      else
        g_debug ("A keyring item of another kind keeps an old label");
      if (local_error != NULL)
        {
          set_keyring_error (error, local_error);
          return FALSE;
        }
    }
  return TRUE;
}

static GPtrArray *
backups_keyring_secrets_list_owners (BackupsSecrets *secrets, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  g_autoptr (GHashTable) none = g_hash_table_new (g_str_hash, g_str_equal);
  g_autolist (SecretRetrievable) items = NULL;
  GPtrArray *owners;

  /* Attributes only: no token is read. */
  items
    = secret_password_searchv_sync (token_schema (), none, SECRET_SEARCH_ALL, NULL, &local_error);
  if (local_error != NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING,
                   _ ("The keyring could not be read (%s), so accounts that only the keyring "
                      "knows cannot be recovered."),
                   local_error->message);
      return NULL;
    }

  owners = g_ptr_array_new_with_free_func ((GDestroyNotify)backups_secret_owner_free);
  for (GList *l = items; l != NULL; l = l->next)
    {
      g_autoptr (GHashTable) attributes = secret_retrievable_get_attributes (l->data);
      const char *secret_id = g_hash_table_lookup (attributes, "secret-id");

      if (secret_id != NULL)
        g_ptr_array_add (owners, backups_secret_owner_new (
                                   secret_id, g_hash_table_lookup (attributes, "organization"),
                                   g_hash_table_lookup (attributes, "account"),
                                   g_hash_table_lookup (attributes, "base-url")));
    }
  return owners;
}

static BackupsSecretToken *
backups_keyring_secrets_lookup (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  g_autoptr (GError) local_error = NULL;
  char *password;

  password = secret_password_lookup_nonpageable_sync (token_schema (), NULL, &local_error,
                                                      "secret-id", secret_id, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return NULL;
    }
  if (password == NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN,
                   _ ("The keyring has no token for this account. Enter it again under Accounts."));
      return NULL;
    }

  /* Still in libsecret's non-pageable memory, as BackupsSecretToken is. */
  return password;
}

static gboolean
backups_keyring_secrets_clear (BackupsSecrets *secrets, const char *secret_id, GError **error)
{
  g_autoptr (GError) local_error = NULL;

  secret_password_clear_sync (token_schema (), NULL, &local_error, "secret-id", secret_id, NULL);
  if (local_error != NULL)
    {
      set_keyring_error (error, local_error);
      return FALSE;
    }
  return TRUE;
}

static void
backups_keyring_secrets_class_init (BackupsKeyringSecretsClass *klass)
{
  BackupsSecretsClass *secrets_class = BACKUPS_SECRETS_CLASS (klass);

  secrets_class->store = backups_keyring_secrets_store;
  secrets_class->list_owners = backups_keyring_secrets_list_owners;
  secrets_class->lookup = backups_keyring_secrets_lookup;
  secrets_class->clear = backups_keyring_secrets_clear;
}

static void
backups_keyring_secrets_init (BackupsKeyringSecrets *self)
{
}

BackupsSecrets *
backups_secrets_new_keyring (void)
{
  return g_object_new (BACKUPS_TYPE_KEYRING_SECRETS, NULL);
}
