/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-account-manager.c: adding, renaming and removing accounts and
 * organizations, and replacing tokens, with the store and the secret store
 * kept in step; a fake provider stands in for GridPane. */
#include <string.h>

#include "backups-account-manager.h"
#include "backups-error.h"
#include "backups-name.h"
#include "backups-test-util.h"

#define GOOD_TOKEN "good-token"
#define BASE_URL "https://my.gridpane.com/oauth/api/v1"
#define WAIT_MS 5000

/* A provider that accepts GOOD_TOKEN only ----------------------------------- */

#define TEST_TYPE_PROVIDER (test_provider_get_type ())
G_DECLARE_FINAL_TYPE (TestProvider, test_provider, TEST, PROVIDER, GObject)

struct _TestProvider
{
  GObject parent_instance;
  char   *token;
  gboolean (*while_validating) (gpointer data);
  gpointer while_validating_data;
};

static void test_provider_iface_init (BackupsProviderInterface *iface);

G_DEFINE_FINAL_TYPE_WITH_CODE (TestProvider,
                               test_provider,
                               G_TYPE_OBJECT,
                               G_IMPLEMENT_INTERFACE (BACKUPS_TYPE_PROVIDER,
                                                      test_provider_iface_init))

static gboolean
validate_idle (gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  TestProvider *self = g_task_get_source_object (task);

  if (g_task_return_error_if_cancelled (task))
    return G_SOURCE_REMOVE;
  if (self->while_validating != NULL)
    self->while_validating (self->while_validating_data);
  if (g_strcmp0 (self->token, GOOD_TOKEN) == 0)
    g_task_return_boolean (task, TRUE);
  else
    g_task_return_new_error (task, BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED, "Refused");
  return G_SOURCE_REMOVE;
}

static void
test_provider_validate_async (BackupsProvider    *provider,
                              GCancellable       *cancellable,
                              GAsyncReadyCallback callback,
                              gpointer            user_data)
{
  GTask *task = g_task_new (provider, cancellable, callback, user_data);

  /* Later, like a request: the caller may cancel meanwhile. */
  g_idle_add (validate_idle, task);
}

static gboolean
test_provider_validate_finish (BackupsProvider *provider, GAsyncResult *result, GError **error)
{
  return g_task_propagate_boolean (G_TASK (result), error);
}

static void
test_provider_iface_init (BackupsProviderInterface *iface)
{
  iface->validate_async = test_provider_validate_async;
  iface->validate_finish = test_provider_validate_finish;
}

static void
test_provider_finalize (GObject *object)
{
  TestProvider *self = TEST_PROVIDER (object);

  g_free (self->token);
  G_OBJECT_CLASS (test_provider_parent_class)->finalize (object);
}

static void
test_provider_class_init (TestProviderClass *klass)
{
  G_OBJECT_CLASS (klass)->finalize = test_provider_finalize;
}

static void
test_provider_init (TestProvider *self)
{
}

/* Fixture ------------------------------------------------------------------- */

typedef struct
{
  BackupsStore          *store;
  BackupsSecrets        *secrets;
  BackupsAccountManager *manager;
  guint                  n_providers;
  /* Run by the next provider in the middle of its check. */
  gboolean (*while_validating) (gpointer data);
} Fixture;

static BackupsProvider *
factory (const char *provider,
         const char *account_name,
         const char *base_url,
         const char *token,
         gpointer    user_data,
         GError    **error)
{
  Fixture      *f = user_data;
  TestProvider *test_provider;

  f->n_providers++;
  g_assert_cmpstr (provider, ==, BACKUPS_PROVIDER_KIND_GRIDPANE);
  test_provider = g_object_new (TEST_TYPE_PROVIDER, NULL);
  test_provider->token = g_strdup (token);
  test_provider->while_validating = f->while_validating;
  test_provider->while_validating_data = f;
  return BACKUPS_PROVIDER (test_provider);
}

static void
fixture_set_up (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;

  f->store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  f->secrets = backups_secrets_new_memory ();
  f->manager = backups_account_manager_new (f->store, f->secrets, factory, f);
}

static void
fixture_tear_down (Fixture *f, gconstpointer data)
{
  backups_test_assert_finalize (g_steal_pointer (&f->manager));
  g_clear_object (&f->secrets);
  while (g_main_context_iteration (NULL, FALSE))
    ;
  backups_test_assert_finalize (g_steal_pointer (&f->store));
}

static void
result_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  GAsyncResult **out = user_data;

  *out = g_object_ref (result);
}

static GAsyncResult *
wait_for_result (GAsyncResult **result)
{
  guint  timeout = backups_test_scale_timeout (WAIT_MS);
  gint64 end = g_get_monotonic_time () + (gint64)timeout * 1000;

  while (*result == NULL && g_get_monotonic_time () < end)
    g_main_context_iteration (NULL, TRUE);
  g_assert_nonnull (*result);
  return *result;
}

static BackupsAccount *
add_account (Fixture      *f,
             const char   *org_name,
             const char   *name,
             const char   *token,
             GCancellable *cancellable,
             GError      **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  backups_account_manager_add_account_async (f->manager, org_name, BACKUPS_PROVIDER_KIND_GRIDPANE,
                                             name, BASE_URL, token, cancellable, result_cb,
                                             &result);
  return backups_account_manager_add_account_finish (f->manager, wait_for_result (&result), error);
}

static guint
count_tokens (Fixture *f)
{
  g_autoptr (GPtrArray) owners = backups_secrets_list_owners (f->secrets, NULL);

  return owners->len;
}

static guint
count_orgs (Fixture *f)
{
  g_autoptr (GPtrArray) orgs = backups_store_list_orgs (f->store, NULL);

  return orgs->len;
}

static void
assert_token (Fixture *f, BackupsAccount *account, const char *expected)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecretToken) token
    = backups_secrets_lookup (f->secrets, backups_account_get_secret_id (account), &error);

  if (expected == NULL)
    {
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
      return;
    }
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, expected);
}

static const BackupsSecretOwner *
find_owner (GPtrArray *owners, const char *secret_id)
{
  for (guint i = 0; i < owners->len; i++)
    {
      const BackupsSecretOwner *owner = owners->pdata[i];

      if (g_strcmp0 (owner->secret_id, secret_id) == 0)
        return owner;
    }
  g_error ("No keyring item has the secret id %s", secret_id);
}

/* Tests --------------------------------------------------------------------- */

static void
test_add (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccount) found = NULL;
  g_autoptr (GPtrArray) owners = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  const BackupsSecretOwner *owner;

  /* The organization is created with its first account. */
  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (account);
  g_assert_cmpuint (f->n_providers, ==, 1);
  g_assert_cmpstr (backups_account_get_provider (account), ==, BACKUPS_PROVIDER_KIND_GRIDPANE);
  g_assert_cmpstr (backups_account_get_base_url (account), ==, BASE_URL);

  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  found = backups_store_find_account (f->store, backups_org_get_id (org), "Client A", &error);
  g_assert_no_error (error);
  g_assert_cmpstr (backups_account_get_secret_id (found), ==,
                   backups_account_get_secret_id (account));
  assert_token (f, account, GOOD_TOKEN);

  /* The keyring item names its owners. */
  owners = backups_secrets_list_owners (f->secrets, &error);
  g_assert_no_error (error);
  owner = find_owner (owners, backups_account_get_secret_id (account));
  g_assert_cmpstr (owner->org_name, ==, "Acme");
  g_assert_cmpstr (owner->account_name, ==, "Client A");
  g_assert_cmpstr (owner->base_url, ==, BASE_URL);
}

static void
test_add_refused (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;

  account = add_account (f, "Acme", "Client A", "wrong-token", NULL, &error);
  g_assert_null (account);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED);

  /* Nothing is left behind: no token, no organization. */
  g_assert_cmpuint (count_tokens (f), ==, 0);
  g_assert_cmpuint (count_orgs (f), ==, 0);
}

static void
test_add_invalid (Fixture *f, gconstpointer data)
{
  g_autofree char *long_name = g_strnfill (BACKUPS_NAME_MAX_CHARS + 1, 'x');
  g_autofree char *longest_name = g_strnfill (BACKUPS_NAME_MAX_CHARS, 'x');
  struct
  {
    const char *org;
    const char *name;
    const char *token;
    const char *message;
  } cases[] = {
    { "Acme", "", GOOD_TOKEN, "The account name is empty." },
    { "", "Client A", GOOD_TOKEN, "The organization name is empty." },
    { "Acme", long_name, GOOD_TOKEN, "The account name is longer than 200 characters." },
    { long_name, "Client A", GOOD_TOKEN, "The organization name is longer than 200 characters." },
    { "Acme", "Client A", "", "The token is empty." },
  };
  g_autoptr (BackupsAccount) longest = NULL;
  g_autoptr (GError) error = NULL;

  for (guint i = 0; i < G_N_ELEMENTS (cases); i++)
    {
      g_autoptr (GError) case_error = NULL;
      g_autoptr (BackupsAccount) account = NULL;

      account = add_account (f, cases[i].org, cases[i].name, cases[i].token, NULL, &case_error);
      g_assert_null (account);
      g_assert_error (case_error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
      g_assert_cmpstr (case_error->message, ==, cases[i].message);
    }

  /* Refused before the provider is asked. */
  g_assert_cmpuint (f->n_providers, ==, 0);
  g_assert_cmpuint (count_tokens (f), ==, 0);
  g_assert_cmpuint (count_orgs (f), ==, 0);

  /* The limit itself is allowed. */
  longest = add_account (f, longest_name, longest_name, GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (longest);
}

static void
test_add_taken (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) first = NULL;
  g_autoptr (BackupsAccount) second = NULL;
  g_autoptr (BackupsAccount) elsewhere = NULL;

  first = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);

  g_assert_false (
    backups_account_manager_check_new_account (f->manager, "Acme", "Client A", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS);
  g_assert_cmpstr (error->message, ==,
                   "Organization “Acme” already has an account named “Client A”.");
  g_clear_error (&error);

  second = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_null (second);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_EXISTS);
  g_clear_error (&error);
  g_assert_cmpuint (f->n_providers, ==, 1);
  g_assert_cmpuint (count_tokens (f), ==, 1);

  /* Names are unique per organization only. */
  elsewhere = add_account (f, "Globex", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_nonnull (elsewhere);
  g_assert_cmpuint (count_tokens (f), ==, 2);
}

/* Another process takes the name while the token is being checked. */
static gboolean
take_the_name (gpointer data)
{
  Fixture *f = data;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  account
    = backups_store_add_account (f->store, backups_org_get_id (org), BACKUPS_PROVIDER_KIND_GRIDPANE,
                                 "Client A", BASE_URL, "someone-elses-secret", &error);
  g_assert_no_error (error);
  return TRUE;
}

static void
test_add_row_fails (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (BackupsAccount) account = NULL;

  org = backups_account_manager_add_org (f->manager, "Acme", &error);
  g_assert_no_error (error);
  f->while_validating = take_the_name;

  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_null (account);
  g_assert_nonnull (error);

  /* The token stored for it is taken back. */
  g_assert_cmpuint (count_tokens (f), ==, 0);
}

static void
test_add_cancelled (Fixture *f, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;

  backups_account_manager_add_account_async (f->manager, "Acme", BACKUPS_PROVIDER_KIND_GRIDPANE,
                                             "Client A", BASE_URL, GOOD_TOKEN, cancellable,
                                             result_cb, &result);
  g_cancellable_cancel (cancellable);
  account
    = backups_account_manager_add_account_finish (f->manager, wait_for_result (&result), &error);
  g_assert_null (account);
  g_assert_error (error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_assert_cmpuint (count_tokens (f), ==, 0);
  g_assert_cmpuint (count_orgs (f), ==, 0);
}

static gboolean
replace_token (Fixture *f, BackupsAccount *account, const char *token, GError **error)
{
  g_autoptr (GAsyncResult) result = NULL;

  backups_account_manager_replace_token_async (f->manager, account, token, NULL, result_cb,
                                               &result);
  return backups_account_manager_replace_token_finish (f->manager, wait_for_result (&result),
                                                       error);
}

static void
test_replace_token (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccount) reread = NULL;

  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  /* A token only the keyring knows was changed behind our back. */
  g_assert_true (backups_secrets_store (
    f->secrets,
    &(BackupsSecretOwner){ .secret_id = (char *)backups_account_get_secret_id (account) }, "label",
    "old-token", &error));
  g_assert_no_error (error);

  /* A refused token leaves the old one. */
  g_assert_false (replace_token (f, account, "wrong-token", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED);
  g_clear_error (&error);
  assert_token (f, account, "old-token");

  g_assert_false (replace_token (f, account, "", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  /* Read back from the store, as the window and the CLI have it. */
  reread = backups_store_get_account (f->store, backups_account_get_id (account), &error);
  g_assert_no_error (error);
  g_assert_true (replace_token (f, reread, GOOD_TOKEN, &error));
  g_assert_no_error (error);
  assert_token (f, account, GOOD_TOKEN);
  g_assert_cmpuint (count_tokens (f), ==, 1);
}

static gboolean
run_boolean (Fixture *f,
             gboolean (*finish) (BackupsAccountManager *, GAsyncResult *, GError **),
             GAsyncResult **result,
             GError       **error)
{
  return finish (f->manager, wait_for_result (result), error);
}

static void
assert_owner_names (Fixture *f, BackupsAccount *account, const char *org, const char *name)
{
  g_autoptr (GPtrArray) owners = backups_secrets_list_owners (f->secrets, NULL);
  const BackupsSecretOwner *owner = find_owner (owners, backups_account_get_secret_id (account));

  g_assert_cmpstr (owner->org_name, ==, org);
  g_assert_cmpstr (owner->account_name, ==, name);
}

static void
test_rename (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsAccount) other = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) taken_result = NULL;
  g_autoptr (GAsyncResult) org_result = NULL;

  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  other = add_account (f, "Acme", "Client B", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);

  backups_account_manager_rename_account_async (f->manager, account, "Client C", NULL, result_cb,
                                                &result);
  g_assert_true (run_boolean (f, backups_account_manager_rename_account_finish, &result, &error));
  g_assert_no_error (error);
  assert_owner_names (f, account, "Acme", "Client C");
  assert_owner_names (f, other, "Acme", "Client B");
  /* The token stays. */
  assert_token (f, account, GOOD_TOKEN);

  /* A taken name changes nothing. */
  backups_account_manager_rename_account_async (f->manager, other, "Client C", NULL, result_cb,
                                                &taken_result);
  g_assert_false (
    run_boolean (f, backups_account_manager_rename_account_finish, &taken_result, &error));
  g_assert_nonnull (error);
  g_assert_false (backups_account_manager_is_keyring_error (error));
  g_clear_error (&error);
  assert_owner_names (f, other, "Acme", "Client B");

  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  backups_account_manager_rename_org_async (f->manager, org, "Acme Agency", NULL, result_cb,
                                            &org_result);
  g_assert_true (run_boolean (f, backups_account_manager_rename_org_finish, &org_result, &error));
  g_assert_no_error (error);
  assert_owner_names (f, account, "Acme Agency", "Client C");
  assert_owner_names (f, other, "Acme Agency", "Client B");
}

static void
test_rename_invalid (Fixture *f, gconstpointer data)
{
  g_autofree char *long_name = g_strnfill (BACKUPS_NAME_MAX_CHARS + 1, 'x');
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) org_result = NULL;

  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);

  backups_account_manager_rename_account_async (f->manager, account, long_name, NULL, result_cb,
                                                &result);
  g_assert_false (run_boolean (f, backups_account_manager_rename_account_finish, &result, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "The account name is longer than 200 characters.");
  g_clear_error (&error);

  backups_account_manager_rename_org_async (f->manager, org, "", NULL, result_cb, &org_result);
  g_assert_false (run_boolean (f, backups_account_manager_rename_org_finish, &org_result, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_assert_cmpstr (error->message, ==, "The organization name is empty.");
  g_clear_error (&error);

  assert_owner_names (f, account, "Acme", "Client A");
}

static void
test_remove (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) a = NULL;
  g_autoptr (BackupsAccount) b = NULL;
  g_autoptr (BackupsAccount) c = NULL;
  g_autoptr (BackupsAccount) other = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GAsyncResult) result = NULL;
  g_autoptr (GAsyncResult) org_result = NULL;

  a = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  b = add_account (f, "Acme", "Client B", GOOD_TOKEN, NULL, &error);
  c = add_account (f, "Acme", "Client C", GOOD_TOKEN, NULL, &error);
  other = add_account (f, "Globex", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (count_tokens (f), ==, 4);

  backups_account_manager_remove_account_async (f->manager, a, NULL, result_cb, &result);
  g_assert_true (run_boolean (f, backups_account_manager_remove_account_finish, &result, &error));
  g_assert_no_error (error);
  assert_token (f, a, NULL);
  g_assert_null (backups_store_get_account (f->store, backups_account_get_id (a), NULL));
  g_assert_cmpuint (count_tokens (f), ==, 3);

  /* An organization goes with its accounts and their tokens. */
  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);
  backups_account_manager_remove_org_async (f->manager, org, NULL, result_cb, &org_result);
  g_assert_true (run_boolean (f, backups_account_manager_remove_org_finish, &org_result, &error));
  g_assert_no_error (error);
  assert_token (f, b, NULL);
  assert_token (f, c, NULL);
  assert_token (f, other, GOOD_TOKEN);
  g_assert_cmpuint (count_orgs (f), ==, 1);
}

/* A rename reads each token and writes it back: a removal asked for
 * meanwhile must still win. */
static void
test_keyring_order (Fixture *f, gconstpointer data)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (BackupsOrg) org = NULL;
  g_autoptr (GAsyncResult) renamed = NULL;
  g_autoptr (GAsyncResult) removed = NULL;

  account = add_account (f, "Acme", "Client A", GOOD_TOKEN, NULL, &error);
  g_assert_no_error (error);
  org = backups_store_find_org (f->store, "Acme", &error);
  g_assert_no_error (error);

  backups_account_manager_rename_org_async (f->manager, org, "Acme Agency", NULL, result_cb,
                                            &renamed);
  backups_account_manager_remove_org_async (f->manager, org, NULL, result_cb, &removed);
  g_assert_true (run_boolean (f, backups_account_manager_rename_org_finish, &renamed, &error));
  g_assert_no_error (error);
  g_assert_true (run_boolean (f, backups_account_manager_remove_org_finish, &removed, &error));
  g_assert_no_error (error);

  assert_token (f, account, NULL);
  g_assert_cmpuint (count_tokens (f), ==, 0);
}

static void
test_token_memory (void)
{
  g_autoptr (BackupsSecretToken) token = backups_secret_token_new ("secret");
  g_autoptr (GError) error = NULL;

  g_assert_cmpstr (token, ==, "secret");
  g_assert_null (backups_secret_token_new (NULL));
  g_assert_true (backups_secret_token_check ("x", &error));
  g_assert_false (backups_secret_token_check ("", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  backups_secret_token_free (NULL);
}

int
main (int argc, char **argv)
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(path, func)                                                                            \
  g_test_add ("/account-manager/" path, Fixture, NULL, fixture_set_up, func, fixture_tear_down)
  ADD ("add", test_add);
  ADD ("add/refused", test_add_refused);
  ADD ("add/invalid", test_add_invalid);
  ADD ("add/taken", test_add_taken);
  ADD ("add/row-fails", test_add_row_fails);
  ADD ("add/cancelled", test_add_cancelled);
  ADD ("replace-token", test_replace_token);
  ADD ("rename", test_rename);
  ADD ("rename/invalid", test_rename_invalid);
  ADD ("remove", test_remove);
  ADD ("keyring-order", test_keyring_order);
#undef ADD
  g_test_add_func ("/account-manager/token-memory", test_token_memory);

  return g_test_run ();
}
