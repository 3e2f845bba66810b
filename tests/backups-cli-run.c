/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-cli-run.c */
#include "backups-cli-run.h"

#include <signal.h>
#include <string.h>

#include "backups-secrets.h"
#include "backups-test-util.h"

/* Secret ids put in the keyring by backups_cli_add_account(). */
static GPtrArray *added_secret_ids;

void
backups_cli_run_clear (BackupsCliRun *run)
{
  g_clear_pointer (&run->out, g_free);
  g_clear_pointer (&run->err, g_free);
}

GSubprocessLauncher *
backups_cli_launcher_new (const char *const *extra_env)
{
  GSubprocessLauncher *launcher;
  g_autofree char     *timeout = NULL;

  launcher
    = g_subprocess_launcher_new (G_SUBPROCESS_FLAGS_STDIN_PIPE | G_SUBPROCESS_FLAGS_STDOUT_PIPE
                                 | G_SUBPROCESS_FLAGS_STDERR_PIPE);
  /* The per-test folders of G_TEST_OPTION_ISOLATE_DIRS, spelled out so the
   * child uses exactly the ones this process sees. */
  g_subprocess_launcher_setenv (launcher, "HOME", g_get_home_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_DATA_HOME", g_get_user_data_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CONFIG_HOME", g_get_user_config_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_CACHE_HOME", g_get_user_cache_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_STATE_HOME", g_get_user_state_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "XDG_RUNTIME_DIR", g_get_user_runtime_dir (), TRUE);
  g_subprocess_launcher_setenv (launcher, "LC_ALL", "C.UTF-8", TRUE);
  g_subprocess_launcher_setenv (launcher, "LANGUAGE", "C", TRUE);
  g_subprocess_launcher_unsetenv (launcher, "COLUMNS");
  g_subprocess_launcher_setenv (launcher, "BACKUPSCTL_NOW", "2026-11-28T12:00:00Z", TRUE);
  /* Faults should cost seconds, not the production 30 s. A test whose
   * syncs must succeed on a busy machine sets its own in its environment. */
  timeout = g_strdup_printf ("%u", backups_test_scale_timeout (2000) / 1000);
  g_subprocess_launcher_setenv (launcher, "BACKUPS_GRIDPANE_TIMEOUT", timeout, FALSE);
  g_subprocess_launcher_setenv (launcher, "BACKUPS_GRIDPANE_RETRY_DEFAULT_MS", "50", FALSE);

  for (guint i = 0; extra_env != NULL && extra_env[i] != NULL; i++)
    {
      const char      *eq = strchr (extra_env[i], '=');
      g_autofree char *name = NULL;

      g_assert_nonnull (eq);
      name = g_strndup (extra_env[i], eq - extra_env[i]);
      g_subprocess_launcher_setenv (launcher, name, eq + 1, TRUE);
    }

  return launcher;
}

GSubprocess *
backups_cli_spawn (GSubprocessLauncher *launcher, const char *const *args)
{
  g_autoptr (GPtrArray) argv = g_ptr_array_new ();
  g_autoptr (GError) error = NULL;
  const char  *binary = g_getenv ("BACKUPSCTL");
  GSubprocess *process;

  if (binary == NULL)
    g_error ("BACKUPSCTL is not set: run this test through meson");

  g_ptr_array_add (argv, (gpointer)binary);
  for (guint i = 0; args[i] != NULL; i++)
    g_ptr_array_add (argv, (gpointer)args[i]);
  g_ptr_array_add (argv, NULL);

  process = g_subprocess_launcher_spawnv (launcher, (const char *const *)argv->pdata, &error);
  g_assert_no_error (error);
  return process;
}

typedef struct
{
  gboolean      done;
  GAsyncResult *result;
} Communication;

static void
communicated_cb (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Communication *communication = user_data;

  communication->result = g_object_ref (result);
  communication->done = TRUE;
}

static gboolean
kill_cb (gpointer user_data)
{
  g_subprocess_send_signal (G_SUBPROCESS (user_data), SIGKILL);
  return G_SOURCE_REMOVE;
}

static char *
bytes_to_string (GBytes *bytes)
{
  gsize       len = 0;
  const char *data = bytes != NULL ? g_bytes_get_data (bytes, &len) : NULL;
  char       *text = g_malloc (len + 1);

  if (len > 0)
    memcpy (text, data, len);
  text[len] = '\0';
  return text;
}

void
backups_cli_write_stdin (GSubprocess *process, const char *input)
{
  GOutputStream *stdin_pipe = g_subprocess_get_stdin_pipe (process);

  if (stdin_pipe == NULL)
    return;

  /* EPIPE, not a SIGPIPE that would end the test. */
  signal (SIGPIPE, SIG_IGN);
  if (input != NULL)
    g_output_stream_write_all (stdin_pipe, input, strlen (input), NULL, NULL, NULL);
}

void
backups_cli_finish (GSubprocess   *process,
                    const char    *input,
                    guint          kill_after_ms,
                    BackupsCliRun *run)
{
  g_autoptr (GBytes) no_input = g_bytes_new_static ("", 0);
  g_autoptr (GBytes) out = NULL;
  g_autoptr (GBytes) err = NULL;
  g_autoptr (GError) error = NULL;
  Communication communication = { 0 };
  guint         kill_id = 0;

  if (kill_after_ms > 0)
    kill_id = g_timeout_add_full (G_PRIORITY_HIGH, kill_after_ms, kill_cb, g_object_ref (process),
                                  g_object_unref);

  /* The input goes in first, and a child that exits without reading it
   * (a usage error) is fine: handed to communicate, the broken pipe would
   * end the whole exchange and lose the child's stdout and stderr. */
  backups_cli_write_stdin (process, input);
  g_subprocess_communicate_async (process, no_input, NULL, communicated_cb, &communication);
  while (!communication.done)
    g_main_context_iteration (NULL, TRUE);

  g_subprocess_communicate_finish (process, communication.result, &out, &err, &error);
  g_clear_object (&communication.result);
  /* The child may be killed before it read its stdin. */
  if (error != NULL && !g_error_matches (error, G_IO_ERROR, G_IO_ERROR_BROKEN_PIPE))
    g_assert_no_error (error);
  g_clear_error (&error);

  /* communicate returns at EOF; make sure the child has been reaped too. */
  g_subprocess_wait (process, NULL, &error);
  g_assert_no_error (error);

  if (kill_id != 0)
    {
      GSource *source = g_main_context_find_source_by_id (NULL, kill_id);

      if (source != NULL && !g_source_is_destroyed (source))
        g_source_remove (kill_id);
    }

  backups_cli_run_clear (run);
  run->out = bytes_to_string (out);
  run->err = bytes_to_string (err);
  run->exited = g_subprocess_get_if_exited (process);
  run->status = run->exited ? g_subprocess_get_exit_status (process) : -1;
  run->term_sig = g_subprocess_get_if_signaled (process) ? g_subprocess_get_term_sig (process) : 0;
}

void
backups_cli_run (BackupsCliRun     *run,
                 const char        *input,
                 const char *const *extra_env,
                 const char *const *args)
{
  g_autoptr (GSubprocessLauncher) launcher = backups_cli_launcher_new (extra_env);
  g_autoptr (GSubprocess) process = backups_cli_spawn (launcher, args);

  backups_cli_finish (process, input, 0, run);
  g_test_message ("backupsctl %s → %s %d\nstdout:\n%s\nstderr:\n%s", args[0],
                  run->exited ? "exit" : "signal", run->exited ? run->status : run->term_sig,
                  run->out, run->err);
}

void
backups_cli_assert_status (BackupsCliRun *run, int status)
{
  if (!run->exited)
    g_error ("backupsctl was killed by signal %d (%s)\nstdout:\n%s\nstderr:\n%s", run->term_sig,
             g_strsignal (run->term_sig), run->out, run->err);
  if (run->status != status)
    g_error ("backupsctl exited %d, expected %d\nstdout:\n%s\nstderr:\n%s", run->status, status,
             run->out, run->err);
}

gboolean
backups_cli_keyring_available (void)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_keyring ();
  g_autoptr (GError) error = NULL;
  g_autofree char *id = backups_secrets_generate_id ();

  if (backups_secrets_store (secrets, &(BackupsSecretOwner){ .secret_id = (char *)id },
                             "Backups test probe", "probe", &error))
    {
      backups_secrets_clear (secrets, id, NULL);
      return TRUE;
    }
  if (g_strcmp0 (g_getenv ("BACKUPS_TEST_REQUIRE_KEYRING"), "1") == 0)
    g_error ("No Secret Service although the test command provides one: %s", error->message);
  g_test_skip ("No Secret Service in this session; run the suite with ./run-tests");
  return FALSE;
}

gint64
backups_cli_add_account (
  BackupsStore *store, gint64 org_id, const char *name, const char *base_url, const char *token)
{
  g_autoptr (BackupsSecrets) secrets = backups_secrets_new_keyring ();
  g_autoptr (BackupsAccount) account = NULL;
  g_autoptr (GError) error = NULL;
  char *secret_id = backups_secrets_generate_id ();

  g_assert_true (backups_secrets_store (
    secrets, &(BackupsSecretOwner){ .secret_id = (char *)secret_id }, name, token, &error));
  g_assert_no_error (error);
  if (added_secret_ids == NULL)
    added_secret_ids = g_ptr_array_new_with_free_func (g_free);
  g_ptr_array_add (added_secret_ids, secret_id);

  account
    = backups_store_add_account (store, org_id, "gridpane", name, base_url, secret_id, &error);
  g_assert_no_error (error);
  return backups_account_get_id (account);
}

void
backups_cli_forget_tokens (void)
{
  g_autoptr (BackupsSecrets) secrets = NULL;

  if (added_secret_ids == NULL)
    return;
  secrets = backups_secrets_new_keyring ();
  for (guint i = 0; i < added_secret_ids->len; i++)
    backups_secrets_clear (secrets, g_ptr_array_index (added_secret_ids, i), NULL);
  g_clear_pointer (&added_secret_ids, g_ptr_array_unref);
}

GridpaneMock *
backups_cli_mock_new (guint max_per_page)
{
  GridpaneMock *mock = gridpane_mock_new ();

  gridpane_mock_set_rate_limits (mock, FALSE, 0, 0, 60, 27);
  gridpane_mock_set_max_per_page (mock, max_per_page);
  return mock;
}

void
backups_cli_tear_down (BackupsStore **store, GridpaneMock **mock)
{
  backups_cli_forget_tokens ();
  while (g_main_context_iteration (NULL, FALSE))
    ;
  if (*store != NULL)
    backups_test_assert_finalize (g_steal_pointer (store));
  gridpane_mock_stop (*mock);
  g_clear_object (mock);
}

guint
backups_cli_closed_port (void)
{
  g_autoptr (GSocket) socket = NULL;
  g_autoptr (GInetAddress) loopback = g_inet_address_new_loopback (G_SOCKET_FAMILY_IPV4);
  g_autoptr (GSocketAddress) any = g_inet_socket_address_new (loopback, 0);
  g_autoptr (GSocketAddress) bound = NULL;
  g_autoptr (GError) error = NULL;
  guint port;

  socket = g_socket_new (G_SOCKET_FAMILY_IPV4, G_SOCKET_TYPE_STREAM, G_SOCKET_PROTOCOL_TCP, &error);
  g_assert_no_error (error);
  g_assert_true (g_socket_bind (socket, any, FALSE, &error));
  bound = g_socket_get_local_address (socket, &error);
  g_assert_no_error (error);
  port = g_inet_socket_address_get_port (G_INET_SOCKET_ADDRESS (bound));
  g_socket_close (socket, NULL);
  return port;
}
