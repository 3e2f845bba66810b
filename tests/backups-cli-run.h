/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-cli-run.h: running backupsctl as a child process from the
 * reliability tests (faults, crashes, concurrency, hygiene, isolation),
 * while the test's main context keeps serving the in-process mock. */
#pragma once

#include <gio/gio.h>

#include "backups-store.h"
#include "gridpane-mock.h"

G_BEGIN_DECLS

typedef struct
{
  gboolean exited;   /* exited normally (not killed by a signal) */
  int      status;   /* exit status when exited */
  int      term_sig; /* the signal that ended it otherwise */
  char    *out;      /* stdout and stderr, raw bytes plus a NUL */
  char    *err;
} BackupsCliRun;

void backups_cli_run_clear (BackupsCliRun *run);
G_DEFINE_AUTO_CLEANUP_CLEAR_FUNC (BackupsCliRun, backups_cli_run_clear)

/* A launcher for backupsctl with the test's isolated XDG dirs, the C
 * locale and short GridPane timeouts (BACKUPS_GRIDPANE_TIMEOUT 2 s unless
 * this process's environment has one); `extra_env` holds "NAME=value"
 * strings (NULL-terminated, may be NULL). */
GSubprocessLauncher *backups_cli_launcher_new (const char *const *extra_env);

/* Starts backupsctl ARGS… with piped stdin/stdout/stderr. */
GSubprocess *backups_cli_spawn (GSubprocessLauncher *launcher, const char *const *args);

/* Writes `input` to the child's stdin, collects its output and waits for
 * it, running the default main context meanwhile. When kill_after_ms is
 * not 0, the child gets SIGKILL that many milliseconds after the call. */
void backups_cli_finish (GSubprocess   *process,
                         const char    *input,
                         guint          kill_after_ms,
                         BackupsCliRun *run);

/* Spawn and finish in one go. */
void backups_cli_run (BackupsCliRun     *run,
                      const char        *input,
                      const char *const *extra_env,
                      const char *const *args);

#define backups_cli(run, ...)                                                                      \
  backups_cli_run ((run), NULL, NULL, (const char *const[]){ __VA_ARGS__, NULL })

/* Fails the test with the whole output unless the child exited `status`. */
void backups_cli_assert_status (BackupsCliRun *run, int status);

/* TRUE when a Secret Service answers. Without one, fails under the test
 * command (BACKUPS_TEST_REQUIRE_KEYRING=1) and skips the test otherwise. */
gboolean backups_cli_keyring_available (void);

/* Adds a GridPane account straight into the store with its token in the
 * keyring, as `account add` would, without the token check. */
gint64 backups_cli_add_account (
  BackupsStore *store, gint64 org_id, const char *name, const char *base_url, const char *token);

/* Removes every token backups_cli_add_account() put in the keyring. */
void backups_cli_forget_tokens (void);

/* A mock with rate limiting off and pages of `max_per_page`, not started. */
GridpaneMock *backups_cli_mock_new (guint max_per_page);

/* The end of a test: forgets the tokens, lets pending work run, asserts
 * the store (if any) is finalized, stops and drops the mock. */
void backups_cli_tear_down (BackupsStore **store, GridpaneMock **mock);

/* A loopback port on which nothing listens (bound, then closed). */
guint backups_cli_closed_port (void);

/* Writes `input` (may be NULL) to the child's stdin, leaving it open for
 * g_subprocess_communicate() with empty input to close; a child that
 * already exited is no error. */
void backups_cli_write_stdin (GSubprocess *process, const char *input);

G_END_DECLS
