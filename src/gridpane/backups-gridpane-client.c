/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-client.c
 *
 * GridPane's rate limits are per token, so every request of an account goes
 * through one queue and runs alone. Before each request the client waits
 * for the rate-limit bucket of its endpoint (and the account-wide one) to
 * allow it, as computed from the previous responses' headers; that keeps a
 * large account from ever seeing a 429. A 429 that still happens is waited
 * out per backups_gridpane_retry_delay_ms() and retried a bounded number of
 * times.
 *
 * The token only ever goes into the Authorization header. No SoupLogger is
 * attached and no message includes it.
 */
#include "config.h"

#include "backups-gridpane-client.h"
#include "backups-gridpane-client-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>
#include <string.h>

#include "backups-error.h"
#include "backups-secrets.h"

#define MS_PER_SECOND 1000
#define BYTES_PER_MB (1024 * 1024)
#define MAX_BODY_BYTES ((gsize)BACKUPS_GRIDPANE_MAX_BODY_MB * BYTES_PER_MB)
/* Connections to the one host an account talks to; requests go one at a
 * time, so a second is only there for the next one while one closes. */
#define MAX_CONNS_PER_HOST 2
/* Environment knobs past this are a typo, not a setting. */
#define MAX_ENV_VALUE 1.0e9
/* Bounds of the properties. */
#define MAX_RETRIES_LIMIT 100
#define MAX_PER_PAGE 10000

typedef struct
{
  gboolean seen;
  double   last_remaining;
  gint64   opened_at; /* monotonic ms */
} RateWindow;

struct _BackupsGridpaneClient
{
  GObject parent_instance;

  char        *account_name;
  char        *base_url;
  char        *token;
  SoupSession *session;

  guint timeout_ms;
  guint retry_default_ms;
  guint max_retries;
  guint per_page;
  guint rate_window_ms;

  /* Requests waiting for their turn (GTask, owned) and the running one. */
  GQueue *pending;
  GTask  *active;

  /* Rate-limit buckets: endpoint path → monotonic ms before which no
   * request may be sent; and the same for the whole account. */
  GHashTable *ready_at;
  gint64      total_ready_at;

  /* When each rate-limit window opened, as far as the client can tell:
   * the arrival of the response that showed the budget grown back. The
   * server opened it while handling that request, so no later than that.
   * Without a Reset header the window ends window_ms after it, not
   * window_ms after the response that found the budget spent. */
  GHashTable *windows; /* endpoint → RateWindow */
  RateWindow  total_window;

  BackupsGridpaneStats stats;

  guint64 sequence; /* clients made before this one */
};

G_DEFINE_FINAL_TYPE (BackupsGridpaneClient, backups_gridpane_client, G_TYPE_OBJECT)

enum
{
  PROP_0,
  PROP_ACCOUNT_NAME,
  PROP_BASE_URL,
  PROP_TOKEN,
  PROP_TIMEOUT,
  PROP_RETRY_DEFAULT_MS,
  PROP_MAX_RETRIES,
  PROP_PER_PAGE,
  N_PROPS
};

static GParamSpec *properties[N_PROPS];

/* One queued GET. */
typedef struct
{
  char *path_and_query;
  char *endpoint; /* path without the query: the rate-limit bucket */
  guint attempt;  /* 429 retries so far */

  SoupMessage  *message;
  GCancellable *cancellable; /* the caller's, chained with the timeout */
  gulong        cancelled_id;
  GSource      *timeout_source;
  gboolean      timed_out;
  gboolean      too_large;

  GSource *wait_source;
  GSource *wait_cancel_source;
  gint64   wait_started;
  gboolean wait_is_pacing;
} Request;

static void request_begin (GTask *task);
static void client_start_next (BackupsGridpaneClient *self);

static void
request_free (Request *request)
{
  g_assert (request->timeout_source == NULL);
  g_assert (request->wait_source == NULL);
  g_assert (request->cancelled_id == 0);

  g_free (request->path_and_query);
  g_free (request->endpoint);
  g_clear_object (&request->message);
  g_clear_object (&request->cancellable);
  g_free (request);
}

/* ---------------------------------------------------------------------- */
/* Object                                                                  */

static guint
ms_to_seconds_up (guint ms)
{
  return (guint)(((guint64)ms + MS_PER_SECOND - 1) / MS_PER_SECOND);
}

/* The session's own I/O timeout, a backstop one second past the request's. */
static guint
session_timeout_s (guint timeout_ms)
{
  return ms_to_seconds_up (timeout_ms) + 1;
}

/* Sets a uint field of a property and notifies it when it changed. */
static void
set_uint_property (BackupsGridpaneClient *self, guint *field, guint value, guint prop_id)
{
  if (*field == value)
    return;
  *field = value;
  g_object_notify_by_pspec (G_OBJECT (self), properties[prop_id]);
}

static gboolean
env_double (const char *name, double *out)
{
  const char *value = g_getenv (name);
  char       *end = NULL;
  double      parsed;

  if (value == NULL || *value == '\0')
    return FALSE;
  parsed = g_ascii_strtod (value, &end);
  if (end == NULL || *end != '\0' || !(parsed >= 0.0 && parsed < MAX_ENV_VALUE))
    {
      g_warning ("Ignoring %s=%s: not a number", name, value);
      return FALSE;
    }
  *out = parsed;
  return TRUE;
}

static void
backups_gridpane_client_constructed (GObject *object)
{
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (object);
  g_autofree char       *user_agent = g_strdup_printf ("Backups/%s", PACKAGE_VERSION);
  double                 value;

  G_OBJECT_CLASS (backups_gridpane_client_parent_class)->constructed (object);

  if (env_double ("BACKUPS_GRIDPANE_TIMEOUT", &value))
    self->timeout_ms = MAX (1, (guint)(value * MS_PER_SECOND));
  if (env_double ("BACKUPS_GRIDPANE_RETRY_DEFAULT_MS", &value))
    self->retry_default_ms = (guint)value;
  if (env_double ("BACKUPS_GRIDPANE_RATE_WINDOW_MS", &value))
    self->rate_window_ms = (guint)value;

  /* The session's own I/O timeout is a backstop; the per-request timer in
   * request_send() bounds the whole exchange, slow bodies included. TLS
   * certificate errors are never accepted: there is no handler for
   * SoupMessage::accept-certificate. */
  self->session = soup_session_new_with_options ("user-agent", user_agent, "timeout",
                                                 session_timeout_s (self->timeout_ms),
                                                 "max-conns-per-host", MAX_CONNS_PER_HOST, NULL);

  /* Loopback never goes through a proxy. Skipping the default resolver
   * there also keeps tests and the demo away from the desktop's proxy
   * settings (GSettings schemas that an isolated test has not got). */
  if (backups_gridpane_base_url_is_loopback (self->base_url))
    soup_session_set_proxy_resolver (self->session, NULL);
}

static void
backups_gridpane_client_dispose (GObject *object)
{
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (object);

  /* Queued tasks hold a reference on us, so nothing is pending here. */
  g_assert (self->active == NULL);
  g_assert (g_queue_is_empty (self->pending));

  if (self->session != NULL)
    soup_session_abort (self->session);
  g_clear_object (&self->session);

  G_OBJECT_CLASS (backups_gridpane_client_parent_class)->dispose (object);
}

static void
backups_gridpane_client_finalize (GObject *object)
{
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (object);

  g_free (self->account_name);
  g_free (self->base_url);
  backups_secret_token_free (self->token);
  g_queue_free (self->pending);
  g_hash_table_unref (self->ready_at);
  g_hash_table_unref (self->windows);

  G_OBJECT_CLASS (backups_gridpane_client_parent_class)->finalize (object);
}

static void
backups_gridpane_client_get_property (GObject    *object,
                                      guint       prop_id,
                                      GValue     *value,
                                      GParamSpec *pspec)
{
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_NAME:
      g_value_set_string (value, self->account_name);
      break;
    case PROP_BASE_URL:
      g_value_set_string (value, self->base_url);
      break;
    case PROP_TIMEOUT:
      g_value_set_uint (value, backups_gridpane_client_get_timeout (self));
      break;
    case PROP_RETRY_DEFAULT_MS:
      g_value_set_uint (value, self->retry_default_ms);
      break;
    case PROP_MAX_RETRIES:
      g_value_set_uint (value, self->max_retries);
      break;
    case PROP_PER_PAGE:
      g_value_set_uint (value, self->per_page);
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_gridpane_client_set_property (GObject      *object,
                                      guint         prop_id,
                                      const GValue *value,
                                      GParamSpec   *pspec)
{
  BackupsGridpaneClient *self = BACKUPS_GRIDPANE_CLIENT (object);

  switch (prop_id)
    {
    case PROP_ACCOUNT_NAME:
      self->account_name = g_value_dup_string (value);
      if (self->account_name == NULL)
        self->account_name = g_strdup ("");
      break;
    case PROP_BASE_URL:
      {
        const char *url = g_value_get_string (value);
        gsize       len = url != NULL ? strlen (url) : 0;

        /* Paths are appended with their leading slash. */
        while (len > 0 && url[len - 1] == '/')
          len--;
        self->base_url = g_strndup (url != NULL ? url : "", len);
        break;
      }
    case PROP_TOKEN:
      self->token = backups_secret_token_new (g_value_get_string (value));
      break;
    case PROP_TIMEOUT:
      backups_gridpane_client_set_timeout (self, g_value_get_uint (value));
      break;
    case PROP_RETRY_DEFAULT_MS:
      backups_gridpane_client_set_retry_default_ms (self, g_value_get_uint (value));
      break;
    case PROP_MAX_RETRIES:
      backups_gridpane_client_set_max_retries (self, g_value_get_uint (value));
      break;
    case PROP_PER_PAGE:
      backups_gridpane_client_set_per_page (self, g_value_get_uint (value));
      break;
    default:
      G_OBJECT_WARN_INVALID_PROPERTY_ID (object, prop_id, pspec);
    }
}

static void
backups_gridpane_client_class_init (BackupsGridpaneClientClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->constructed = backups_gridpane_client_constructed;
  object_class->dispose = backups_gridpane_client_dispose;
  object_class->finalize = backups_gridpane_client_finalize;
  object_class->get_property = backups_gridpane_client_get_property;
  object_class->set_property = backups_gridpane_client_set_property;

  properties[PROP_ACCOUNT_NAME]
    = g_param_spec_string ("account-name", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_BASE_URL]
    = g_param_spec_string ("base-url", NULL, NULL, NULL,
                           G_PARAM_READWRITE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  /* Write-only: nothing can read the token back out of the client. */
  properties[PROP_TOKEN] = g_param_spec_string (
    "token", NULL, NULL, NULL, G_PARAM_WRITABLE | G_PARAM_CONSTRUCT_ONLY | G_PARAM_STATIC_STRINGS);
  properties[PROP_TIMEOUT] = g_param_spec_uint (
    "timeout", NULL, NULL, 1, G_MAXUINT / MS_PER_SECOND, BACKUPS_GRIDPANE_DEFAULT_TIMEOUT,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_RETRY_DEFAULT_MS] = g_param_spec_uint (
    "retry-default-ms", NULL, NULL, 0, G_MAXUINT, BACKUPS_GRIDPANE_DEFAULT_RETRY_MS,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_MAX_RETRIES] = g_param_spec_uint (
    "max-retries", NULL, NULL, 0, MAX_RETRIES_LIMIT, BACKUPS_GRIDPANE_DEFAULT_MAX_RETRIES,
    G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);
  properties[PROP_PER_PAGE]
    = g_param_spec_uint ("per-page", NULL, NULL, 1, MAX_PER_PAGE, BACKUPS_GRIDPANE_DEFAULT_PER_PAGE,
                         G_PARAM_READWRITE | G_PARAM_EXPLICIT_NOTIFY | G_PARAM_STATIC_STRINGS);

  g_object_class_install_properties (object_class, N_PROPS, properties);
}

static void
backups_gridpane_client_init (BackupsGridpaneClient *self)
{
  self->timeout_ms = BACKUPS_GRIDPANE_DEFAULT_TIMEOUT * MS_PER_SECOND;
  self->retry_default_ms = BACKUPS_GRIDPANE_DEFAULT_RETRY_MS;
  self->max_retries = BACKUPS_GRIDPANE_DEFAULT_MAX_RETRIES;
  self->per_page = BACKUPS_GRIDPANE_DEFAULT_PER_PAGE;
  self->rate_window_ms = BACKUPS_GRIDPANE_DEFAULT_RATE_WINDOW_MS;
  self->pending = g_queue_new ();
  self->ready_at = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->windows = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  self->sequence = backups_gridpane_client_next_sequence ();
}

guint64
backups_gridpane_client_get_sequence (BackupsGridpaneClient *self)
{
  return self->sequence;
}

BackupsGridpaneClient *
backups_gridpane_client_new (const char *account_name,
                             const char *base_url,
                             const char *token,
                             GError    **error)
{
  g_return_val_if_fail (account_name != NULL, NULL);
  g_return_val_if_fail (token != NULL, NULL);

  if (!backups_gridpane_check_base_url (base_url, error))
    return NULL;

  return g_object_new (BACKUPS_TYPE_GRIDPANE_CLIENT, "account-name", account_name, "base-url",
                       base_url, "token", token, NULL);
}

const char *
backups_gridpane_client_get_account_name (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), NULL);
  return self->account_name;
}

const char *
backups_gridpane_client_get_base_url (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), NULL);
  return self->base_url;
}

guint
backups_gridpane_client_get_timeout (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), 0);
  return MAX (1, ms_to_seconds_up (self->timeout_ms));
}

void
backups_gridpane_client_set_timeout_ms (BackupsGridpaneClient *self, guint timeout_ms)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  g_return_if_fail (timeout_ms > 0);

  if (self->timeout_ms == timeout_ms)
    return;
  if (self->session != NULL)
    g_object_set (self->session, "timeout", session_timeout_s (timeout_ms), NULL);
  set_uint_property (self, &self->timeout_ms, timeout_ms, PROP_TIMEOUT);
}

void
backups_gridpane_client_set_timeout (BackupsGridpaneClient *self, guint seconds)
{
  g_return_if_fail (seconds > 0 && seconds <= G_MAXUINT / MS_PER_SECOND);
  backups_gridpane_client_set_timeout_ms (self, seconds * MS_PER_SECOND);
}

guint
backups_gridpane_client_get_retry_default_ms (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), 0);
  return self->retry_default_ms;
}

void
backups_gridpane_client_set_retry_default_ms (BackupsGridpaneClient *self, guint retry_ms)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));

  set_uint_property (self, &self->retry_default_ms, retry_ms, PROP_RETRY_DEFAULT_MS);
}

guint
backups_gridpane_client_get_max_retries (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), 0);
  return self->max_retries;
}

void
backups_gridpane_client_set_max_retries (BackupsGridpaneClient *self, guint max_retries)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));

  set_uint_property (self, &self->max_retries, max_retries, PROP_MAX_RETRIES);
}

guint
backups_gridpane_client_get_per_page (BackupsGridpaneClient *self)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), 0);
  return self->per_page;
}

void
backups_gridpane_client_set_per_page (BackupsGridpaneClient *self, guint per_page)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  g_return_if_fail (per_page > 0);

  set_uint_property (self, &self->per_page, per_page, PROP_PER_PAGE);
}

void
backups_gridpane_client_set_rate_window_ms (BackupsGridpaneClient *self, guint window_ms)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  self->rate_window_ms = window_ms;
}

void
backups_gridpane_client_get_stats (BackupsGridpaneClient *self, BackupsGridpaneStats *stats)
{
  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  g_return_if_fail (stats != NULL);
  *stats = self->stats;
}

/* ---------------------------------------------------------------------- */
/* The queue                                                               */

static gint64
now_ms (void)
{
  return g_get_monotonic_time () / G_TIME_SPAN_MILLISECOND;
}

static void
client_start_next (BackupsGridpaneClient *self)
{
  if (self->active != NULL || g_queue_is_empty (self->pending))
    return;

  self->active = g_queue_pop_head (self->pending);
  request_begin (self->active);
}

/* Completes the running request. The task result must already be set up
 * by the caller through one of the request_return_* helpers. */
static void
request_complete (GTask *task)
{
  BackupsGridpaneClient *self = g_task_get_source_object (task);
  Request               *request = g_task_get_task_data (task);

  g_assert (self->active == task);
  g_assert (request->wait_source == NULL && request->timeout_source == NULL);

  self->active = NULL;
}

static void
request_return_error (GTask *task, GError *error)
{
  g_autoptr (GTask) owned = task;
  g_autoptr (GObject) self = g_object_ref (g_task_get_source_object (task));

  request_complete (task);
  g_task_return_error (owned, error);
  client_start_next (BACKUPS_GRIDPANE_CLIENT (self));
}

static void
request_return_bytes (GTask *task, GBytes *bytes)
{
  g_autoptr (GTask) owned = task;
  g_autoptr (GObject) self = g_object_ref (g_task_get_source_object (task));

  request_complete (task);
  g_task_return_pointer (owned, bytes, (GDestroyNotify)g_bytes_unref);
  client_start_next (BACKUPS_GRIDPANE_CLIENT (self));
}

/* ---------------------------------------------------------------------- */
/* Waiting                                                                 */

static void
request_clear_wait (Request *request)
{
  if (request->wait_source != NULL)
    {
      g_source_destroy (request->wait_source);
      g_clear_pointer (&request->wait_source, g_source_unref);
    }
  if (request->wait_cancel_source != NULL)
    {
      g_source_destroy (request->wait_cancel_source);
      g_clear_pointer (&request->wait_cancel_source, g_source_unref);
    }
}

static void request_send (GTask *task);

static void
request_account_wait (BackupsGridpaneClient *self, Request *request)
{
  gint64 waited = now_ms () - request->wait_started;

  self->stats.wait_ms += waited;
  if (request->wait_is_pacing)
    self->stats.pacing_wait_ms += waited;
}

static gboolean
on_wait_done (gpointer user_data)
{
  GTask   *task = user_data;
  Request *request = g_task_get_task_data (task);

  request_account_wait (g_task_get_source_object (task), request);
  request_clear_wait (request);
  request_send (task);
  return G_SOURCE_REMOVE;
}

static gboolean
on_wait_cancelled (GCancellable *cancellable, gpointer user_data)
{
  GTask   *task = user_data;
  Request *request = g_task_get_task_data (task);
  GError  *error = NULL;

  request_account_wait (g_task_get_source_object (task), request);
  request_clear_wait (request);
  g_cancellable_set_error_if_cancelled (cancellable, &error);
  request_return_error (task, error);
  return G_SOURCE_REMOVE;
}

/* Waits for the endpoint's and the account's rate-limit buckets, then
 * sends. The wait ends early, with G_IO_ERROR_CANCELLED, on cancellation. */
static void
request_begin (GTask *task)
{
  BackupsGridpaneClient *self = g_task_get_source_object (task);
  Request               *request = g_task_get_task_data (task);
  GCancellable          *cancellable = g_task_get_cancellable (task);
  GError                *error = NULL;
  gint64                *endpoint_ready;
  gint64                 ready;
  gint64                 wait;

  if (g_cancellable_set_error_if_cancelled (cancellable, &error))
    {
      request_return_error (task, error);
      return;
    }

  endpoint_ready = g_hash_table_lookup (self->ready_at, request->endpoint);
  ready = MAX (self->total_ready_at, endpoint_ready != NULL ? *endpoint_ready : 0);
  wait = ready - now_ms ();

  if (wait <= 0)
    {
      request_send (task);
      return;
    }

  request->wait_started = now_ms ();
  request->wait_is_pacing = request->attempt == 0;
  request->wait_source = g_timeout_source_new ((guint)MIN (wait, G_MAXUINT));
  g_source_set_callback (request->wait_source, on_wait_done, task, NULL);
  g_source_set_static_name (request->wait_source, "[backups] gridpane rate-limit wait");
  g_source_attach (request->wait_source, g_task_get_context (task));

  if (cancellable != NULL)
    {
      request->wait_cancel_source = g_cancellable_source_new (cancellable);
      g_source_set_callback (request->wait_cancel_source, G_SOURCE_FUNC (on_wait_cancelled), task,
                             NULL);
      g_source_attach (request->wait_cancel_source, g_task_get_context (task));
    }
}

/* ---------------------------------------------------------------------- */
/* Sending                                                                 */

/* A body announced larger than any real GridPane answer is refused before
 * it is read into memory. */
static void
on_got_headers (SoupMessage *message, gpointer user_data)
{
  Request *request = user_data;
  goffset  length;

  length = soup_message_headers_get_content_length (soup_message_get_response_headers (message));
  if (length > (goffset)MAX_BODY_BYTES)
    {
      request->too_large = TRUE;
      g_cancellable_cancel (request->cancellable);
    }
}

static void
on_caller_cancelled (GCancellable *cancellable, gpointer user_data)
{
  g_cancellable_cancel (G_CANCELLABLE (user_data));
}

static gboolean
on_request_timeout (gpointer user_data)
{
  Request *request = user_data;

  request->timed_out = TRUE;
  g_cancellable_cancel (request->cancellable);
  return G_SOURCE_REMOVE;
}

static void
request_disarm (GTask *task)
{
  Request *request = g_task_get_task_data (task);

  if (request->timeout_source != NULL)
    {
      g_source_destroy (request->timeout_source);
      g_clear_pointer (&request->timeout_source, g_source_unref);
    }
  if (request->cancelled_id != 0)
    {
      g_cancellable_disconnect (g_task_get_cancellable (task), request->cancelled_id);
      request->cancelled_id = 0;
    }
}

static const char *
header (SoupMessageHeaders *headers, const char *name)
{
  return soup_message_headers_get_one (headers, name);
}

static gint64
real_now_ms (void)
{
  return g_get_real_time () / G_TIME_SPAN_MILLISECOND;
}

static void
bump_ready_at (BackupsGridpaneClient *self, const char *endpoint, gint64 ready)
{
  gint64 *slot = g_hash_table_lookup (self->ready_at, endpoint);

  if (slot == NULL)
    {
      slot = g_new0 (gint64, 1);
      g_hash_table_insert (self->ready_at, g_strdup (endpoint), slot);
    }
  *slot = MAX (*slot, ready);
}

/* The time left in the bucket's window, in ms. A budget that grew back (or
 * the first one seen) means a window opened with the request that found it;
 * its response is the latest the opening can have been. */
static gint64
window_left_ms (BackupsGridpaneClient *self, RateWindow *window, const char *remaining, gint64 mono)
{
  double value;

  if (remaining == NULL)
    return self->rate_window_ms;
  value = g_ascii_strtod (remaining, NULL);
  if (!window->seen || value > window->last_remaining)
    window->opened_at = mono;
  window->seen = TRUE;
  window->last_remaining = value;
  return CLAMP (window->opened_at + (gint64)self->rate_window_ms - mono, 0,
                (gint64)self->rate_window_ms);
}

/* Paces the next requests from the budget the response reports left. */
static void
record_rate_headers (BackupsGridpaneClient *self, Request *request, SoupMessageHeaders *headers)
{
  gint64      wall = real_now_ms ();
  gint64      mono = now_ms ();
  RateWindow *window = g_hash_table_lookup (self->windows, request->endpoint);
  gint64      endpoint_delay;
  gint64      total_delay;

  if (window == NULL)
    {
      window = g_new0 (RateWindow, 1);
      g_hash_table_insert (self->windows, g_strdup (request->endpoint), window);
    }

  endpoint_delay = backups_gridpane_pacing_delay_ms (
    header (headers, "X-RateLimit-Endpoint-Remaining"),
    header (headers, "X-RateLimit-Endpoint-Limit"), header (headers, "X-RateLimit-Endpoint-Reset"),
    wall,
    (guint)window_left_ms (self, window, header (headers, "X-RateLimit-Endpoint-Remaining"), mono));
  total_delay = backups_gridpane_pacing_delay_ms (
    header (headers, "X-RateLimit-Total-Remaining"), header (headers, "X-RateLimit-Total-Limit"),
    header (headers, "X-RateLimit-Total-Reset"), wall,
    (guint)window_left_ms (self, &self->total_window,
                           header (headers, "X-RateLimit-Total-Remaining"), mono));
  if (endpoint_delay > 0)
    bump_ready_at (self, request->endpoint, mono + endpoint_delay);
  if (total_delay > 0)
    self->total_ready_at = MAX (self->total_ready_at, mono + total_delay);
}

static void
on_send_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  g_autoptr (GTask) task = user_data;
  BackupsGridpaneClient *self = g_task_get_source_object (task);
  Request               *request = g_task_get_task_data (task);
  g_autoptr (GBytes) bytes = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;
  guint               status;

  bytes = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &error);
  request_disarm (task);

  /* A chunked body announces no length: check what arrived. */
  if (bytes != NULL && g_bytes_get_size (bytes) > MAX_BODY_BYTES)
    {
      g_clear_pointer (&bytes, g_bytes_unref);
      request->too_large = TRUE;
      error = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_CANCELLED, "too large");
    }

  if (bytes == NULL)
    {
      GTask *active = g_steal_pointer (&task);

      if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_CANCELLED))
        {
          if (request->too_large)
            {
              g_autoptr (GError) detail
                = g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE,
                               "the body is larger than %d MB", BACKUPS_GRIDPANE_MAX_BODY_MB);

              request_return_error (
                active, backups_gridpane_client_error_for_body (self, request->endpoint, detail));
            }
          else if (request->timed_out)
            {
              g_autoptr (GError) timeout
                = g_error_new_literal (G_IO_ERROR, G_IO_ERROR_TIMED_OUT, "timed out");

              request_return_error (active, backups_gridpane_client_error_for_transport (
                                              self, request->endpoint, timeout));
            }
          else
            request_return_error (active, g_steal_pointer (&error));
        }
      else
        request_return_error (
          active, backups_gridpane_client_error_for_transport (self, request->endpoint, error));
      return;
    }

  status = soup_message_get_status (request->message);
  headers = soup_message_get_response_headers (request->message);
  record_rate_headers (self, request, headers);

  if (status == HTTP_TOO_MANY_REQUESTS)
    {
      self->stats.n_rate_limited++;

      if (request->attempt < self->max_retries)
        {
          gint64 delay = backups_gridpane_retry_delay_ms (
            header (headers, "Retry-After-Endpoint"),
            header (headers, "X-RateLimit-Endpoint-Reset"), real_now_ms (), self->retry_default_ms);

          g_debug ("GridPane rate limit on %s for account ‘%s’: retrying in %" G_GINT64_FORMAT
                   " ms",
                   request->endpoint, self->account_name, delay);
          request->attempt++;
          self->stats.n_retries++;
          bump_ready_at (self, request->endpoint, now_ms () + delay);
          g_clear_object (&request->message);
          g_clear_object (&request->cancellable);
          request->timed_out = FALSE;
          request->too_large = FALSE;
          /* The task stays active: the account's queue waits with it. */
          request_begin (g_steal_pointer (&task));
          return;
        }
    }

  if (SOUP_STATUS_IS_SUCCESSFUL (status))
    request_return_bytes (g_steal_pointer (&task), g_steal_pointer (&bytes));
  else
    request_return_error (g_steal_pointer (&task), backups_gridpane_client_error_for_status (
                                                     self, request->endpoint, status));
}

static void
request_send (GTask *task)
{
  BackupsGridpaneClient *self = g_task_get_source_object (task);
  Request               *request = g_task_get_task_data (task);
  GCancellable          *caller_cancellable = g_task_get_cancellable (task);
  g_autofree char       *url = g_strconcat (self->base_url, request->path_and_query, NULL);
  g_autofree char       *authorization = NULL;
  g_autoptr (GError) error = NULL;
  SoupMessageHeaders *headers;

  if (g_cancellable_set_error_if_cancelled (caller_cancellable, &error))
    {
      request_return_error (task, g_steal_pointer (&error));
      return;
    }

  request->message = soup_message_new (SOUP_METHOD_GET, url);
  if (request->message == NULL)
    {
      request_return_error (task, g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                                               _ ("The GridPane base URL of account ‘%s’ is not a "
                                                  "valid address. Fix it under Accounts."),
                                               self->account_name));
      return;
    }

  /* A redirect could carry the token to another host, or to plain http. */
  soup_message_add_flags (request->message, SOUP_MESSAGE_NO_REDIRECT);

  g_signal_connect (request->message, "got-headers", G_CALLBACK (on_got_headers), request);

  headers = soup_message_get_request_headers (request->message);
  authorization = g_strconcat ("Bearer ", self->token, NULL);
  soup_message_headers_replace (headers, "Authorization", authorization);
  soup_message_headers_replace (headers, "Accept", "application/json");
  backups_secret_wipe (authorization);

  /* The caller's cancellable is chained to one of our own so the timeout
   * can cancel the exchange without cancelling the caller. */
  request->cancellable = g_cancellable_new ();
  if (caller_cancellable != NULL)
    request->cancelled_id
      = g_cancellable_connect (caller_cancellable, G_CALLBACK (on_caller_cancelled),
                               g_object_ref (request->cancellable), g_object_unref);
  /* On the task's context, like the request itself. */
  request->timeout_source = g_timeout_source_new (self->timeout_ms);
  g_source_set_callback (request->timeout_source, on_request_timeout, request, NULL);
  g_source_set_static_name (request->timeout_source, "[backups] gridpane request timeout");
  g_source_attach (request->timeout_source, g_task_get_context (task));

  self->stats.n_requests++;
  soup_session_send_and_read_async (self->session, request->message, G_PRIORITY_DEFAULT,
                                    request->cancellable, on_send_done, task);
}

void
backups_gridpane_client_get_async (BackupsGridpaneClient *self,
                                   const char            *path_and_query,
                                   GCancellable          *cancellable,
                                   GAsyncReadyCallback    callback,
                                   gpointer               user_data)
{
  g_autoptr (GTask) task = NULL;
  Request    *request;
  const char *query;

  g_return_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self));
  g_return_if_fail (path_and_query != NULL && path_and_query[0] == '/');
  g_return_if_fail (!cancellable || G_IS_CANCELLABLE (cancellable));

  task = g_task_new (self, cancellable, callback, user_data);
  g_task_set_source_tag (task, backups_gridpane_client_get_async);

  request = g_new0 (Request, 1);
  request->path_and_query = g_strdup (path_and_query);
  query = strchr (path_and_query, '?');
  request->endpoint = query != NULL ? g_strndup (path_and_query, query - path_and_query)
                                    : g_strdup (path_and_query);
  g_task_set_task_data (task, request, (GDestroyNotify)request_free);

  g_queue_push_tail (self->pending, g_steal_pointer (&task));
  client_start_next (self);
}

GBytes *
backups_gridpane_client_get_finish (BackupsGridpaneClient *self,
                                    GAsyncResult          *result,
                                    GError               **error)
{
  g_return_val_if_fail (BACKUPS_IS_GRIDPANE_CLIENT (self), NULL);
  g_return_val_if_fail (g_task_is_valid (result, self), NULL);
  g_return_val_if_fail (
    g_task_get_source_tag (G_TASK (result)) == backups_gridpane_client_get_async, NULL);

  return g_task_propagate_pointer (G_TASK (result), error);
}
