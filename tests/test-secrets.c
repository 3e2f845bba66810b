/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-secrets.c: tokens in memory and in a real Secret Service. */
#include <string.h>

#include "backups-error.h"
#include "backups-secrets.h"
#include "backups-store.h"
#include "backups-test-util.h"

static void
exercise (BackupsSecrets *secrets)
{
  g_autoptr (GError) error = NULL;
  g_autofree char *id = backups_secrets_generate_id ();
  g_autofree char *other_id = backups_secrets_generate_id ();
  g_autoptr (BackupsSecretToken) token = NULL;

  g_assert_cmpstr (id, !=, other_id);

  g_assert_true (backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)id },
                                        "Backups: test", "tok-SENTINEL-123", &error));
  g_assert_no_error (error);
  token = backups_secrets_lookup (secrets, id, &error);
  g_assert_no_error (error);
  g_assert_cmpstr (token, ==, "tok-SENTINEL-123");
  g_clear_pointer (&token, backups_secret_token_free);

  /* Replacing keeps one token per id. */
  g_assert_true (backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)id },
                                        "Backups: test", "tok-2", &error));
  token = backups_secrets_lookup (secrets, id, &error);
  g_assert_cmpstr (token, ==, "tok-2");
  g_clear_pointer (&token, backups_secret_token_free);

  g_assert_null (backups_secrets_lookup (secrets, other_id, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
  g_clear_error (&error);

  g_assert_false (backups_secrets_store (
    secrets, &(BackupsSecretOwner){ .secret_id = (char *)other_id }, "Backups: test", "", &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT);
  g_clear_error (&error);

  g_assert_true (backups_secrets_clear (secrets, id, &error));
  g_assert_null (backups_secrets_lookup (secrets, id, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_TOKEN);
}

static void
test_memory (void)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();

  exercise (secrets);
}

static gboolean
keyring_required (void)
{
  return g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0;
}

static void
test_keyring (void)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_keyring ();
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsStore) store = NULL;
  g_autofree char *probe_id = backups_secrets_generate_id ();
  g_autofree char *db_path = NULL;

  if (!backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)probe_id },
                              "Backups: probe", "probe", &error))
    {
      if (keyring_required ())
        g_error ("The test command promised a keyring but: %s", error->message);
      g_test_skip ("No Secret Service in this session (run under the test command)");
      return;
    }
  backups_secrets_clear (secrets, probe_id, NULL);

  exercise (secrets);

  /* A relabel (an organization renamed, a base URL given) replaces the item:
   * one item with the new names, its token kept, whether the new names are
   * more or fewer than the old ones. */
  {
    g_autofree char          *id = backups_secrets_generate_id ();
    BackupsSecretOwner        first = { id, "Acme", "Main", NULL };
    BackupsSecretOwner        second = { id, "Acme Renamed", "Main", "https://example.com/api" };
    BackupsSecretOwner        third = { id, "Acme Again", NULL, NULL };
    const BackupsSecretOwner *steps[] = { &first, &second, &third };

    for (guint i = 0; i < G_N_ELEMENTS (steps); i++)
      {
        g_autoptr (GPtrArray) owners = NULL;
        g_autoptr (BackupsSecretToken) token = NULL;
        guint n_items = 0;

        if (i == 0)
          g_assert_true (
            backups_secrets_store (secrets, steps[i], "Backups: relabel", "tok-RELABEL", &error));
        else
          g_assert_true (backups_secrets_update_owner (secrets, steps[i], &error));
        g_assert_no_error (error);
        token = backups_secrets_lookup (secrets, id, &error);
        g_assert_no_error (error);
        g_assert_cmpstr (token, ==, "tok-RELABEL");
        owners = backups_secrets_list_owners (secrets, &error);
        g_assert_no_error (error);
        for (guint k = 0; k < owners->len; k++)
          {
            const BackupsSecretOwner *owner = owners->pdata[k];

            if (g_strcmp0 (owner->secret_id, id) != 0)
              continue;
            n_items++;
            g_assert_cmpstr (owner->org_name, ==, steps[i]->org_name);
            g_assert_cmpstr (owner->account_name, ==, steps[i]->account_name);
            g_assert_cmpstr (owner->base_url, ==, steps[i]->base_url);
          }
        g_assert_cmpuint (n_items, ==, 1);
      }
    g_assert_true (backups_secrets_clear (secrets, id, &error));
  }

  /* The keyring is the only place a token goes: not the cache. */
  store = backups_store_open (NULL, &error);
  g_assert_no_error (error);
  db_path = g_strdup (backups_store_get_path (store));
  g_assert_false (backups_test_file_contains (db_path, "tok-SENTINEL-123"));
}

static void
lookup_cb (GObject *object, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GError) error = NULL;
  char **token = user_data;

  *token = backups_secrets_lookup_finish (BACKUPS_SECRETS (object), result, &error);
  g_assert_no_error (error);
}

static gboolean
token_arrived (gpointer data)
{
  return *(char **)data != NULL;
}

static void
test_lookup_async (void)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_memory ();
  g_autoptr (GError) error = NULL;
  g_autoptr (BackupsSecretToken) token = NULL;

  backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)"id-1" }, "label",
                         "async-token", &error);
  g_assert_no_error (error);
  backups_secrets_lookup_async (secrets, "id-1", NULL, lookup_cb, &token);
  g_assert_true (backups_test_wait_until (token_arrived, &token, 5000));
  g_assert_cmpstr (token, ==, "async-token");
}

static void
test_no_secret_service (void)
{
  if (g_test_subprocess ())
    {
      g_autoptr (BackupsSecrets) secrets = NULL;
      g_autoptr (GError) error = NULL;

      /* Nobody listens here, as on a machine without a keyring. */
      g_setenv ("DBUS_SESSION_BUS_ADDRESS", "unix:path=/nonexistent/bus", TRUE);
      secrets = backups_secrets_new_keyring ();
      g_assert_false (backups_secrets_store (secrets,
                                             &(BackupsSecretOwner){ .secret_id = (char *)"id" },
                                             "Backups: x", "tok-NOKEYRING", &error));
      g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_NO_KEYRING);
      g_assert_nonnull (strstr (error->message, "keyring"));
      g_assert_null (strstr (error->message, "tok-NOKEYRING"));
      g_print ("%s\n", error->message);
      return;
    }

  g_test_trap_subprocess (NULL, 30 * G_USEC_PER_SEC, G_TEST_SUBPROCESS_DEFAULT);
  g_test_trap_assert_passed ();
  g_test_trap_assert_stdout ("*No keyring*nothing was saved*");
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/secrets/memory", test_memory);
  g_test_add_func ("/secrets/memory-async", test_lookup_async);
  g_test_add_func ("/secrets/keyring", test_keyring);
  g_test_add_func ("/secrets/no-secret-service", test_no_secret_service);

  return g_test_run ();
}
