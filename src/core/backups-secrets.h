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

struct _BackupsSecretsClass
{
  GObjectClass parent_class;

  /* Blocking; may be called from a worker thread. */
  gboolean (*store) (BackupsSecrets *self,
                     const char     *secret_id,
                     const char     *label,
                     const char     *token,
                     GError        **error);
  char *(*lookup) (BackupsSecrets *self, const char *secret_id, GError **error);
  gboolean (*clear) (BackupsSecrets *self, const char *secret_id, GError **error);
};

BackupsSecrets *backups_secrets_new_keyring (void);
BackupsSecrets *backups_secrets_new_memory (void);

/* A fresh random id for a new account's token. */
char *backups_secrets_generate_id (void);

/* Fails with BACKUPS_ERROR_NO_KEYRING when no Secret Service is reachable. */
gboolean backups_secrets_store (BackupsSecrets *self,
                                const char     *secret_id,
                                const char     *label,
                                const char     *token,
                                GError        **error);
/* Fails with BACKUPS_ERROR_NO_TOKEN when nothing is stored under the id. */
char    *backups_secrets_lookup (BackupsSecrets *self, const char *secret_id, GError **error);
gboolean backups_secrets_clear (BackupsSecrets *self, const char *secret_id, GError **error);

/* The same calls run in a worker thread. */
void     backups_secrets_store_async (BackupsSecrets     *self,
                                      const char         *secret_id,
                                      const char         *label,
                                      const char         *token,
                                      GCancellable       *cancellable,
                                      GAsyncReadyCallback callback,
                                      gpointer            user_data);
gboolean backups_secrets_store_finish (BackupsSecrets *self, GAsyncResult *result, GError **error);
void     backups_secrets_lookup_async (BackupsSecrets     *self,
                                       const char         *secret_id,
                                       GCancellable       *cancellable,
                                       GAsyncReadyCallback callback,
                                       gpointer            user_data);
char    *backups_secrets_lookup_finish (BackupsSecrets *self, GAsyncResult *result, GError **error);

G_END_DECLS
