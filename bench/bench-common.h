/* SPDX-License-Identifier: GPL-3.0-or-later */
/* bench-common.h: what the benchmark programs share: timing, medians, the
 * result rows that bench/run turns into one table, the generated fleet and
 * a mock GridPane server running on a thread of its own. */
#pragma once

#include <gio/gio.h>

#include "backups-records.h"
#include "backups-store.h"
#include "gridpane-mock.h"

G_BEGIN_DECLS

/* The large fleet of the issue: 50,000 schedules on 500 servers with 200
 * integrations, in one account. */
#define BENCH_LARGE_SCHEDULES 50000
#define BENCH_LARGE_SERVERS 500
#define BENCH_LARGE_INTEGRATIONS 200

/* Monotonic time in seconds. */
double bench_now (void);
/* The median of `n` values (sorts them). */
double bench_median (double *values, guint n);

/* Prints one result row for bench/run:
 *   ROW <tab> id <tab> what <tab> figure <tab> target <tab> verdict
 * In smoke mode the verdict is "-". */
void bench_row (gboolean    smoke,
                const char *id,
                const char *what,
                const char *figure,
                const char *target,
                gboolean    met);
/* A line bench/run copies under the table. */
void bench_note (const char *format, ...) G_GNUC_PRINTF (1, 2);

/* Adds `token` to `mock` with a generated fleet of about `n_schedules`
 * schedules: the generator gives each site 1.7 schedules on average, so
 * the site count is tuned until the schedule count is reached. Returns
 * the number of sites. */
guint bench_mock_add_fleet (GridpaneMock *mock,
                            const char   *token,
                            guint         seed,
                            const char   *prefix,
                            guint         n_schedules,
                            guint         n_servers,
                            guint         n_integrations);

/* The snapshot a sync of `token` would fetch: the mock's exact bodies
 * (every page) run through the GridPane parsers. */
BackupsSnapshot *bench_snapshot_from_mock (GridpaneMock *mock, const char *token);
guint            bench_snapshot_n_rows (const BackupsSnapshot *snapshot);

/* A temporary folder, removed with everything in it by bench_rmdir(). */
char *bench_tmpdir (void);
void  bench_rmdir (const char *path);

/* A new store at `path` (NULL: the default path) with one org "Bench"
 * and one gridpane account "Main" at `base_url` whose token is under
 * `secret_id` (both nullable: a loopback URL nobody listens on, "bench"). */
BackupsStore *bench_store_new (const char *path,
                               const char *base_url,
                               const char *secret_id,
                               gint64     *org_id,
                               gint64     *account_id);

/* Iterates the default main context until `cond (data)` or `timeout_s`. */
gboolean bench_wait_until (gboolean (*cond) (gpointer data), gpointer data, double timeout_s);

/* Peak resident set size of this process (VmHWM), in kB. */
gint64 bench_peak_rss_kb (void);
/* CPU seconds (user + system) this process has used so far, all threads. */
double bench_process_cpu (void);
/* Resident set size now (VmRSS), in kB. */
gint64 bench_rss_kb (void);

/* A GridPane mock serving from a thread of its own, so rendering big
 * bodies never runs on the main loop being measured. */
typedef struct _BenchMockThread BenchMockThread;

typedef void (*BenchMockFunc) (GridpaneMock *mock, gpointer data);

BenchMockThread *bench_mock_thread_new (void);
/* Runs `func` on the mock's thread and waits for it. */
void        bench_mock_thread_call (BenchMockThread *self, BenchMockFunc func, gpointer data);
const char *bench_mock_thread_base_url (BenchMockThread *self);
/* CPU seconds the mock's thread has used so far. */
double bench_mock_thread_cpu (BenchMockThread *self);
void   bench_mock_thread_free (BenchMockThread *self);

G_END_DECLS
