/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-test-util.h: helpers shared by the test programs. */
#pragma once

#include "backups-records.h"
#include "backups-store.h"

G_BEGIN_DECLS

/* A deterministic snapshot: n_sites sites on n_servers servers, each site
 * with a local and a remote schedule, n_integrations integrations. Names
 * carry `prefix` so isolation tests can look for sentinels. */
BackupsSnapshot *backups_test_make_snapshot (const char *prefix,
                                             guint       n_servers,
                                             guint       n_sites,
                                             guint       n_integrations);

/* Every row the store holds for the account, one line each, sorted: two
 * dumps are equal exactly when the account's data is. */
char *backups_test_dump_account (BackupsStore *store, gint64 account_id);

/* A whole-database dump of every table (sync_runs and the accounts' sync
 * bookkeeping columns excluded), for byte-identical comparisons. */
char *backups_test_dump_store (BackupsStore *store);

/* `timeout_ms` times BACKUPS_TEST_TIMEOUT_SCALE (a whole number, set by
 * ./run-tests for its sanitizer and valgrind stages, where the same work
 * runs 3 to 50 times slower); every wait below is stretched by it. */
guint backups_test_scale_timeout (guint timeout_ms);

/* Runs the default main context until `*flag` is TRUE or `timeout_ms`
 * passed. Returns *flag. */
gboolean backups_test_wait_for (gboolean *flag, guint timeout_ms);

/* Runs the main context until `cond (data)` is TRUE or timeout. */
gboolean
backups_test_wait_until (gboolean (*cond) (gpointer data), gpointer data, guint timeout_ms);

/* Reads the whole file, or NULL. */
GBytes *backups_test_read_file (const char *path);

/* TRUE when `needle` occurs in the bytes of the file at `path`. */
gboolean backups_test_file_contains (const char *path, const char *needle);

G_END_DECLS

G_BEGIN_DECLS
/* Drops the last reference and asserts the object is finalized, allowing
 * worker threads and idles a moment to let go of theirs. */
void backups_test_assert_finalize (gpointer object);
G_END_DECLS
