/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-client.h
 *
 * The HTTP side of one GridPane account: one SoupSession, requests one at a
 * time, pagination, rate-limit pacing and retries, and errors mapped to
 * BACKUPS_ERROR with messages that name the account.
 */
#pragma once

#include <gio/gio.h>

#include "backups-gridpane-parser.h"
#include "backups-provider.h"

G_BEGIN_DECLS

#define BACKUPS_GRIDPANE_DEFAULT_BASE_URL BACKUPS_PROVIDER_GRIDPANE_DEFAULT_BASE_URL
#define BACKUPS_GRIDPANE_DEFAULT_TIMEOUT 30 /* seconds */
#define BACKUPS_GRIDPANE_DEFAULT_RETRY_MS 30000
#define BACKUPS_GRIDPANE_DEFAULT_MAX_RETRIES 4
#define BACKUPS_GRIDPANE_DEFAULT_PER_PAGE 300
#define BACKUPS_GRIDPANE_DEFAULT_RATE_WINDOW_MS 60000
/* The largest body accepted. The schedules of 50,000 sites take about
 * 10 MB; anything far past that is not a GridPane answer. */
#define BACKUPS_GRIDPANE_MAX_BODY_MB 32

#define BACKUPS_TYPE_GRIDPANE_CLIENT (backups_gridpane_client_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsGridpaneClient, backups_gridpane_client, BACKUPS, GRIDPANE_CLIENT, GObject)

/* Counters for tests and benchmarks. */
typedef struct
{
  guint  n_requests;     /* HTTP requests sent, retries included */
  guint  n_rate_limited; /* 429 answers received */
  guint  n_retries;      /* requests repeated after a 429 */
  gint64 wait_ms;        /* total time spent waiting, pacing and back-off */
  gint64 pacing_wait_ms; /* the part of wait_ms spent pacing before a 429 could happen */
} BackupsGridpaneStats;

/* Parses one list page (see backups-gridpane-parser.h). */
typedef GPtrArray *(*BackupsGridpanePageParser) (const char          *data,
                                                 gsize                len,
                                                 BackupsGridpanePage *page,
                                                 GError             **error);
/* The remote id of one record of a page, to drop duplicates when the list
 * shifts between two page requests. */
typedef gint64 (*BackupsGridpaneRecordId) (gconstpointer record);

/* How to read one list of GridPane. */
typedef struct
{
  BackupsGridpaneListKind   kind;
  BackupsGridpanePageParser parser;
  BackupsGridpaneRecordId   record_id;
  GPtrArray *(*array_new) (void);
  /* The list comes in one piece unless its meta says otherwise: page 1 is
   * asked for without a query (/backups/schedules, /backups/integrations). */
  gboolean one_piece;
} BackupsGridpaneListSpec;

/* TRUE for https:// URLs, and http:// to a loopback host (127.0.0.0/8, ::1,
 * localhost). Otherwise FALSE with BACKUPS_ERROR_INVALID_INPUT. */
gboolean backups_gridpane_check_base_url (const char *url, GError **error);

/* Environment knobs, read at construction:
 *   BACKUPS_GRIDPANE_TIMEOUT          request timeout in seconds (fractions allowed)
 *   BACKUPS_GRIDPANE_RETRY_DEFAULT_MS wait after a 429 that has no rate-limit headers
 *   BACKUPS_GRIDPANE_RATE_WINDOW_MS   rate-limit window assumed when no reset is sent */
BackupsGridpaneClient *backups_gridpane_client_new (const char *account_name,
                                                    const char *base_url,
                                                    const char *token,
                                                    GError    **error);

const char *backups_gridpane_client_get_account_name (BackupsGridpaneClient *self);
const char *backups_gridpane_client_get_base_url (BackupsGridpaneClient *self);

guint backups_gridpane_client_get_timeout (BackupsGridpaneClient *self);
void  backups_gridpane_client_set_timeout (BackupsGridpaneClient *self, guint seconds);
void  backups_gridpane_client_set_timeout_ms (BackupsGridpaneClient *self, guint timeout_ms);
guint backups_gridpane_client_get_retry_default_ms (BackupsGridpaneClient *self);
void  backups_gridpane_client_set_retry_default_ms (BackupsGridpaneClient *self, guint retry_ms);
guint backups_gridpane_client_get_max_retries (BackupsGridpaneClient *self);
void  backups_gridpane_client_set_max_retries (BackupsGridpaneClient *self, guint max_retries);
guint backups_gridpane_client_get_per_page (BackupsGridpaneClient *self);
void  backups_gridpane_client_set_per_page (BackupsGridpaneClient *self, guint per_page);
void  backups_gridpane_client_set_rate_window_ms (BackupsGridpaneClient *self, guint window_ms);

void backups_gridpane_client_get_stats (BackupsGridpaneClient *self, BackupsGridpaneStats *stats);

/* GET base_url + path_and_query. Queued behind this account's other
 * requests, paced, and retried after a 429. The bytes of a 2xx body. */
void    backups_gridpane_client_get_async (BackupsGridpaneClient *self,
                                           const char            *path_and_query,
                                           GCancellable          *cancellable,
                                           GAsyncReadyCallback    callback,
                                           gpointer               user_data);
GBytes *backups_gridpane_client_get_finish (BackupsGridpaneClient *self,
                                            GAsyncResult          *result,
                                            GError               **error);

/* GET every page of path (?page=N&per_page=M), parse each in a worker
 * thread and return all records in one array built by `array_new`. The
 * pages end as backups_gridpane_pages_step() says: a page that repeats, an
 * empty page before the last, or fewer items than the list's total fail
 * the whole list, naming the account. */
void       backups_gridpane_client_fetch_pages_async (BackupsGridpaneClient         *self,
                                                      const char                    *path,
                                                      const BackupsGridpaneListSpec *spec,
                                                      GCancellable                  *cancellable,
                                                      GAsyncReadyCallback            callback,
                                                      gpointer                       user_data);
GPtrArray *backups_gridpane_client_fetch_pages_finish (BackupsGridpaneClient *self,
                                                       GAsyncResult          *result,
                                                       GError               **error);

G_END_DECLS
