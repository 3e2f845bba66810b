/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-secrets.h
 *
 * Where API tokens live. The app and CLI use the Secret Service (libsecret,
 * backups_secrets_new_keyring()); tests and the demo use an in-memory store
 * (backups_secrets_new_memory()). Tokens are never written anywhere else.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_SECRETS (backups_secrets_get_type ())

G_DECLARE_DERIVABLE_TYPE (BackupsSecrets, backups_secrets, BACKUPS, SECRETS, GObject)

/* Whose a token is, kept with it in the keyring as attributes (never in the
 * token): what rebuilding a damaged cache reads back to recover an account
 * whose row is lost. Every member but secret_id is nullable. */
typedef struct
{
  char *secret_id;
  char *org_name;
  char *account_name;
  char *base_url;
} BackupsSecretOwner;

BackupsSecretOwner *backups_secret_owner_new (const char *secret_id,
                                              const char *org_name,
                                              const char *account_name,
                                              const char *base_url);
void                backups_secret_owner_free (BackupsSecretOwner *owner);
/* The token's label in the keyring (Seahorse), from its owner's names. */
char *backups_secret_owner_label (const BackupsSecretOwner *owner);

/* A token as the app holds it: in libsecret's non-pageable memory, which is
 * wiped when freed. The keyring hands tokens out this way, and every copy
 * (a form's, a worker's, the HTTP client's) stays so until the token is
 * written into the Authorization header. */
typedef char BackupsSecretToken;

BackupsSecretToken *backups_secret_token_new (const char *text);
void                backups_secret_token_free (BackupsSecretToken *token);
/* Clears a plain string that held a token (a line read from a terminal,
 * an HTTP header being built) in a way the compiler does not drop. */
void backups_secret_wipe (char *text);
/* Fails with BACKUPS_ERROR_INVALID_INPUT for an empty token. */
gboolean backups_secret_token_check (const char *token, GError **error);

struct _BackupsSecretsClass
{
  GObjectClass parent_class;

  /* Blocking; may be called from a worker thread. */
  gboolean (*store) (BackupsSecrets           *self,
                     const BackupsSecretOwner *owner,
                     const char               *label,
                     const char               *token,
                     GError                  **error);
  BackupsSecretToken *(*lookup) (BackupsSecrets *self, const char *secret_id, GError **error);
  gboolean (*clear) (BackupsSecrets *self, const char *secret_id, GError **error);
  /* The owners of every token of this app, without their tokens. */
  GPtrArray *(*list_owners) (BackupsSecrets *self, GError **error);
};

BackupsSecrets *backups_secrets_new_keyring (void);
BackupsSecrets *backups_secrets_new_memory (void);

/* A fresh random id for a new account's token. */
char *backups_secrets_generate_id (void);

/* Stores `token` under owner->secret_id, with the owner's names as
 * attributes. Fails with BACKUPS_ERROR_NO_KEYRING when no Secret Service is
 * reachable. */
gboolean backups_secrets_store (BackupsSecrets           *self,
                                const BackupsSecretOwner *owner,
                                const char               *label,
                                const char               *token,
                                GError                  **error);
/* Rewrites the names kept with the token under owner->secret_id, keeping
 * the token itself: after a rename, so that rebuilding a damaged cache
 * recovers the account under its current names. */
gboolean backups_secrets_update_owner (BackupsSecrets           *self,
                                       const BackupsSecretOwner *owner,
                                       GError                  **error);

/* BackupsSecretOwner of every token this app stored. */
GPtrArray *backups_secrets_list_owners (BackupsSecrets *self, GError **error);
/* Fails with BACKUPS_ERROR_NO_TOKEN when nothing is stored under the id.
 * Free the token with backups_secret_token_free(). */
BackupsSecretToken          *
backups_secrets_lookup (BackupsSecrets *self, const char *secret_id, GError **error);
gboolean backups_secrets_clear (BackupsSecrets *self, const char *secret_id, GError **error);

/* The lookup run in a worker thread. */
void backups_secrets_lookup_async (BackupsSecrets     *self,
                                   const char         *secret_id,
                                   GCancellable       *cancellable,
                                   GAsyncReadyCallback callback,
                                   gpointer            user_data);
BackupsSecretToken *
backups_secrets_lookup_finish (BackupsSecrets *self, GAsyncResult *result, GError **error);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSecretOwner, backups_secret_owner_free)
G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsSecretToken, backups_secret_token_free)

G_END_DECLS
