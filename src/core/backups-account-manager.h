/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-account-manager.h
 *
 * Organizations and accounts as the user changes them, with the store and
 * the secret store kept in step: a token is checked with its provider
 * before anything is saved and lives in the secret store only, a keyring
 * item names the organization and account it belongs to as they are now,
 * and an account goes with its token. The Accounts window and backupsctl
 * both go through here.
 *
 * A change to the store happens before the _async call returns, so lists
 * follow at once; the keyring follows in a worker. When the store change
 * was made but the keyring could not follow, the _finish call fails with
 * an error for which backups_account_manager_is_keyring_error() is TRUE.
 */
#pragma once

#include <gio/gio.h>

#include "backups-account.h"
#include "backups-org.h"
#include "backups-provider.h"
#include "backups-secrets.h"
#include "backups-store.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_ACCOUNT_MANAGER (backups_account_manager_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsAccountManager, backups_account_manager, BACKUPS, ACCOUNT_MANAGER, GObject)

/* `factory` makes the provider that checks a new token. */
BackupsAccountManager *backups_account_manager_new (BackupsStore          *store,
                                                    BackupsSecrets        *secrets,
                                                    BackupsProviderFactory factory,
                                                    gpointer               factory_data);

BackupsStore *backups_account_manager_get_store (BackupsAccountManager *self);

/* TRUE when `error` says the store changed but the keyring could not
 * follow (no keyring, or no token where one was expected). */
gboolean backups_account_manager_is_keyring_error (const GError *error);

BackupsOrg *
backups_account_manager_add_org (BackupsAccountManager *self, const char *name, GError **error);

/* Whether `name` can be a new account of the organization named
 * `org_name` (which need not exist yet): fails with
 * BACKUPS_ERROR_INVALID_INPUT or BACKUPS_ERROR_EXISTS. */
gboolean backups_account_manager_check_new_account (BackupsAccountManager *self,
                                                    const char            *org_name,
                                                    const char            *name,
                                                    GError               **error);

/* Checks the names and the token, asks the provider whether the token
 * works, keeps it in the secret store, and only then adds the account to
 * the organization named `org_name`, which is created when there is none.
 * When any step fails nothing is left behind. */
void            backups_account_manager_add_account_async (BackupsAccountManager *self,
                                                           const char            *org_name,
                                                           const char            *provider,
                                                           const char            *name,
                                                           const char            *base_url,
                                                           const char            *token,
                                                           GCancellable          *cancellable,
                                                           GAsyncReadyCallback    callback,
                                                           gpointer               user_data);
BackupsAccount *backups_account_manager_add_account_finish (BackupsAccountManager *self,
                                                            GAsyncResult          *result,
                                                            GError               **error);

/* Checks the new token with the provider, then keeps it under the
 * account's secret id. The old token stays when the new one fails. */
void     backups_account_manager_replace_token_async (BackupsAccountManager *self,
                                                      BackupsAccount        *account,
                                                      const char            *token,
                                                      GCancellable          *cancellable,
                                                      GAsyncReadyCallback    callback,
                                                      gpointer               user_data);
gboolean backups_account_manager_replace_token_finish (BackupsAccountManager *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);

/* Renames, then relabels the organization's keyring items. */
void     backups_account_manager_rename_org_async (BackupsAccountManager *self,
                                                   BackupsOrg            *org,
                                                   const char            *new_name,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean backups_account_manager_rename_org_finish (BackupsAccountManager *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void     backups_account_manager_rename_account_async (BackupsAccountManager *self,
                                                       BackupsAccount        *account,
                                                       const char            *new_name,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean backups_account_manager_rename_account_finish (BackupsAccountManager *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

/* Removes from the store, then deletes the tokens from the keyring. */
void     backups_account_manager_remove_org_async (BackupsAccountManager *self,
                                                   BackupsOrg            *org,
                                                   GCancellable          *cancellable,
                                                   GAsyncReadyCallback    callback,
                                                   gpointer               user_data);
gboolean backups_account_manager_remove_org_finish (BackupsAccountManager *self,
                                                    GAsyncResult          *result,
                                                    GError               **error);
void     backups_account_manager_remove_account_async (BackupsAccountManager *self,
                                                       BackupsAccount        *account,
                                                       GCancellable          *cancellable,
                                                       GAsyncReadyCallback    callback,
                                                       gpointer               user_data);
gboolean backups_account_manager_remove_account_finish (BackupsAccountManager *self,
                                                        GAsyncResult          *result,
                                                        GError               **error);

G_END_DECLS
