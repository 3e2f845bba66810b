/* SPDX-License-Identifier: GPL-3.0-or-later */
/* gridpane-mock.c: the GridPane mock server (SoupServer on 127.0.0.1). */
#include "config.h"

#include <math.h>
#include <string.h>

#include <libsoup/soup.h>

#include "gridpane-mock.h"
#include "gridpane-mock-fleet.h"
#include "gridpane-mock-private.h"
#include "gridpane-mock-restore-points.h"

#define API_PREFIX "/oauth/api/v1"

#define DEFAULT_ENDPOINT_LIMIT 12
#define DEFAULT_TOTAL_LIMIT 60
#define DEFAULT_WINDOW_SECONDS 60.0
#define DEFAULT_RETRY_AFTER 27
#define DEFAULT_MAX_PER_PAGE 300

#define RESET_MAX_PARTIAL 8192
#define SLOW_BODY_CHUNKS 8

typedef struct
{
  double start;
  guint  used;
} RateBucket;

typedef struct
{
  char       *token;
  MockFleet  *fleet;
  GHashTable *buckets; /* endpoint path → RateBucket */
  RateBucket  total;
} MockAccount;

typedef struct
{
  char                 *token; /* NULL = every token */
  char                 *path;  /* NULL = every endpoint */
  GridpaneMockFaultKind kind;
  guint                 status;
  guint                 delay_ms;
  guint                 times;
  guint                 used;
} MockFault;

typedef enum
{
  PENDING_RELEASE,
  PENDING_RESET,
  PENDING_TRICKLE,
} PendingKind;

/* A response held back: latency, a connection to drop, a body to trickle. */
typedef struct
{
  GridpaneMock      *self;
  SoupServerMessage *msg;
  PendingKind        kind;
  GBytes            *body;
  gsize              offset;
  gsize              chunk_size;
  guint              interval_ms;
  GSource           *source;
  gulong             finished_id;
  gulong             disconnected_id;
} MockPending;

struct _GridpaneMock
{
  GObject parent_instance;

  SoupServer   *server;
  GMainContext *context;
  char         *base_url;
  guint         port;

  GHashTable *accounts;       /* token → MockAccount */
  GPtrArray  *faults;         /* MockFault */
  GPtrArray  *pending;        /* MockPending */
  GHashTable *request_counts; /* path → count */
  guint       n_requests;
  guint       n_rate_limited;

  guint    latency_ms;
  gboolean rate_limits_enabled;
  guint    endpoint_limit;
  guint    total_limit;
  double   window_seconds;
  guint    retry_after;
  guint    max_per_page;
  char    *default_secret;

  GTlsCertificate *tls_certificate;
};

G_DEFINE_FINAL_TYPE (GridpaneMock, gridpane_mock, G_TYPE_OBJECT)

static void
mock_account_free (gpointer data)
{
  MockAccount *account = data;

  g_free (account->token);
  mock_fleet_free (account->fleet);
  g_hash_table_unref (account->buckets);
  g_free (account);
}

static void
mock_fault_free (gpointer data)
{
  MockFault *fault = data;

  g_free (fault->token);
  g_free (fault->path);
  g_free (fault);
}

static void
mock_pending_free (gpointer data)
{
  MockPending *pending = data;

  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);
  if (pending->source != NULL)
    {
      g_source_destroy (pending->source);
      g_clear_pointer (&pending->source, g_source_unref);
    }
  g_clear_pointer (&pending->body, g_bytes_unref);
  g_clear_object (&pending->msg);
  g_free (pending);
}

static void
gridpane_mock_dispose (GObject *object)
{
  GridpaneMock *self = GRIDPANE_MOCK (object);

  gridpane_mock_stop (self);

  G_OBJECT_CLASS (gridpane_mock_parent_class)->dispose (object);
}

static void
gridpane_mock_finalize (GObject *object)
{
  GridpaneMock *self = GRIDPANE_MOCK (object);

  g_clear_pointer (&self->accounts, g_hash_table_unref);
  g_clear_pointer (&self->faults, g_ptr_array_unref);
  g_clear_pointer (&self->pending, g_ptr_array_unref);
  g_clear_pointer (&self->request_counts, g_hash_table_unref);
  g_clear_pointer (&self->base_url, g_free);
  g_clear_pointer (&self->default_secret, g_free);
  g_clear_object (&self->tls_certificate);

  G_OBJECT_CLASS (gridpane_mock_parent_class)->finalize (object);
}

static void
gridpane_mock_class_init (GridpaneMockClass *klass)
{
  GObjectClass *object_class = G_OBJECT_CLASS (klass);

  object_class->dispose = gridpane_mock_dispose;
  object_class->finalize = gridpane_mock_finalize;
}

static void
gridpane_mock_init (GridpaneMock *self)
{
  self->accounts = g_hash_table_new_full (g_str_hash, g_str_equal, NULL, mock_account_free);
  self->faults = g_ptr_array_new_with_free_func (mock_fault_free);
  self->pending = g_ptr_array_new_with_free_func (mock_pending_free);
  self->request_counts = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, NULL);
  self->rate_limits_enabled = TRUE;
  self->endpoint_limit = DEFAULT_ENDPOINT_LIMIT;
  self->total_limit = DEFAULT_TOTAL_LIMIT;
  self->window_seconds = DEFAULT_WINDOW_SECONDS;
  self->retry_after = DEFAULT_RETRY_AFTER;
  self->max_per_page = DEFAULT_MAX_PER_PAGE;
}

GridpaneMock *
gridpane_mock_new (void)
{
  return g_object_new (GRIDPANE_TYPE_MOCK, NULL);
}

/* Helpers ---------------------------------------------------------------- */

static MockAccount *
lookup_account (GridpaneMock *self, const char *token)
{
  if (token == NULL)
    return NULL;
  return g_hash_table_lookup (self->accounts, token);
}

static const char *
effective_base_url (GridpaneMock *self)
{
  return self->base_url != NULL ? self->base_url : "http://127.0.0.1" API_PREFIX;
}

static double
now_seconds (void)
{
  return g_get_monotonic_time () / (double)G_USEC_PER_SEC;
}

static void
set_json_response (SoupServerMessage *msg, guint status, const char *json)
{
  soup_server_message_set_status (msg, status, NULL);
  soup_server_message_set_response (msg, "application/json", SOUP_MEMORY_COPY, json, strlen (json));
}

static void
set_bytes_response (SoupServerMessage *msg, guint status, const char *content_type, GBytes *bytes)
{
  SoupMessageBody *body = soup_server_message_get_response_body (msg);

  soup_server_message_set_status (msg, status, NULL);
  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Content-Type",
                                content_type);
  soup_message_body_truncate (body);
  soup_message_body_append_bytes (body, bytes);
}

static void
count_request (GridpaneMock *self, const char *path)
{
  gpointer value = g_hash_table_lookup (self->request_counts, path);

  g_hash_table_replace (self->request_counts, g_strdup (path),
                        GUINT_TO_POINTER (GPOINTER_TO_UINT (value) + 1));
  self->n_requests++;
}

static char *
bearer_token (SoupServerMessage *msg)
{
  const char *auth
    = soup_message_headers_get_one (soup_server_message_get_request_headers (msg), "Authorization");

  if (auth == NULL || g_ascii_strncasecmp (auth, "Bearer ", 7) != 0)
    return NULL;
  return g_strstrip (g_strdup (auth + 7));
}

static MockFault *
take_fault (GridpaneMock *self, const char *token, const char *path)
{
  for (guint i = 0; i < self->faults->len; i++)
    {
      MockFault *fault = g_ptr_array_index (self->faults, i);

      if (fault->token != NULL && g_strcmp0 (fault->token, token) != 0)
        continue;
      /* A fault on a restore-point route is on every site's. */
      if (fault->path != NULL && !g_str_equal (fault->path, path)
          && g_strcmp0 (fault->path, mock_restore_points_route (path)) != 0)
        continue;
      if (fault->times != 0 && fault->used >= fault->times)
        continue;
      fault->used++;
      return fault;
    }
  return NULL;
}

/* Rate limits ------------------------------------------------------------ */

static void
bucket_refresh (RateBucket *bucket, double now, double window)
{
  if (bucket->used == 0 || now - bucket->start >= window)
    {
      bucket->start = now;
      bucket->used = 0;
    }
}

static guint
bucket_reset_seconds (GridpaneMock *self, const RateBucket *bucket, double now)
{
  double left = bucket->start + self->window_seconds - now;

  return (guint)MAX (1.0, ceil (left));
}

static void
set_rate_headers (GridpaneMock      *self,
                  SoupServerMessage *msg,
                  RateBucket        *endpoint,
                  RateBucket        *total)
{
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);
  char                value[32];

  g_snprintf (value, sizeof value, "%u", self->endpoint_limit);
  soup_message_headers_replace (headers, "X-RateLimit-Endpoint-Limit", value);
  g_snprintf (value, sizeof value, "%u",
              endpoint->used >= self->endpoint_limit ? 0 : self->endpoint_limit - endpoint->used);
  soup_message_headers_replace (headers, "X-RateLimit-Endpoint-Remaining", value);
  g_snprintf (value, sizeof value, "%u", self->total_limit);
  soup_message_headers_replace (headers, "X-RateLimit-Total-Limit", value);
  g_snprintf (value, sizeof value, "%u",
              total->used >= self->total_limit ? 0 : self->total_limit - total->used);
  soup_message_headers_replace (headers, "X-RateLimit-Total-Remaining", value);
}

static void
respond_too_many (GridpaneMock *self, SoupServerMessage *msg, gboolean with_headers, guint reset_in)
{
  static const char   beep[] = "Beep, Beep, you're going too fast...";
  SoupMessageHeaders *headers = soup_server_message_get_response_headers (msg);

  soup_server_message_set_status (msg, 429, "Too Many Requests");
  soup_server_message_set_response (msg, "text/plain; charset=UTF-8", SOUP_MEMORY_STATIC, beep,
                                    strlen (beep));
  if (with_headers)
    {
      char   value[32];
      gint64 reset_at = g_get_real_time () / G_USEC_PER_SEC + reset_in;

      soup_message_headers_replace (headers, "X-RateLimit-Endpoint-Remaining", "0");
      g_snprintf (value, sizeof value, "%" G_GINT64_FORMAT, reset_at);
      soup_message_headers_replace (headers, "X-RateLimit-Endpoint-Reset", value);
      g_snprintf (value, sizeof value, "%u", reset_in);
      soup_message_headers_replace (headers, "Retry-After-Endpoint", value);
    }
  self->n_rate_limited++;
}

/* TRUE when the request may go on; otherwise the 429 is already set. */
static gboolean
check_rate_limit (GridpaneMock      *self,
                  SoupServerMessage *msg,
                  MockAccount       *account,
                  const char        *path,
                  const MockFault   *fault)
{
  RateBucket *endpoint;
  double      now = now_seconds ();
  guint       cost = g_str_equal (path, "/site") ? 2 : 1;
  gboolean    endpoint_over;
  gboolean    total_over;

  if (!self->rate_limits_enabled)
    {
      if (fault != NULL && fault->kind == GRIDPANE_MOCK_FAULT_RATE_LIMIT)
        {
          respond_too_many (self, msg, TRUE,
                            fault->delay_ms > 0 ? (fault->delay_ms + 999) / 1000
                                                : self->retry_after);
          return FALSE;
        }
      return TRUE;
    }

  /* One bucket per route: every site's restore points share theirs. */
  if (mock_restore_points_route (path) != NULL)
    path = mock_restore_points_route (path);
  endpoint = g_hash_table_lookup (account->buckets, path);
  if (endpoint == NULL)
    {
      endpoint = g_new0 (RateBucket, 1);
      g_hash_table_insert (account->buckets, g_strdup (path), endpoint);
    }
  bucket_refresh (endpoint, now, self->window_seconds);
  bucket_refresh (&account->total, now, self->window_seconds);

  if (fault != NULL && fault->kind == GRIDPANE_MOCK_FAULT_RATE_LIMIT)
    {
      guint reset_in = fault->delay_ms > 0
                         ? (fault->delay_ms + 999) / 1000
                         : MIN (self->retry_after, bucket_reset_seconds (self, endpoint, now));

      set_rate_headers (self, msg, endpoint, &account->total);
      respond_too_many (self, msg, TRUE, reset_in);
      return FALSE;
    }

  endpoint_over = endpoint->used + cost > self->endpoint_limit;
  total_over = account->total.used + cost > self->total_limit;
  if (endpoint_over || total_over)
    {
      guint reset_in = 0;

      if (endpoint_over)
        reset_in = bucket_reset_seconds (self, endpoint, now);
      if (total_over)
        reset_in = MAX (reset_in, bucket_reset_seconds (self, &account->total, now));
      set_rate_headers (self, msg, endpoint, &account->total);
      respond_too_many (self, msg, TRUE, MIN (self->retry_after, reset_in));
      return FALSE;
    }

  endpoint->used += cost;
  account->total.used += cost;
  set_rate_headers (self, msg, endpoint, &account->total);
  return TRUE;
}

/* Held-back responses ---------------------------------------------------- */

static void
pending_finish (MockPending *pending)
{
  g_ptr_array_remove_fast (pending->self->pending, pending);
}

static void
pending_message_done (SoupServerMessage *msg, MockPending *pending)
{
  pending_finish (pending);
}

static void pending_schedule (MockPending *pending, guint delay_ms);

static void
pending_reset_connection (MockPending *pending)
{
  g_autoptr (GIOStream) stream = NULL;
  g_autoptr (GString) head = g_string_new (NULL);
  GOutputStream *output;
  gsize          size = g_bytes_get_size (pending->body);
  gsize          partial = MIN (size / 2, RESET_MAX_PARTIAL);

  /* Stealing the connection emits "disconnected": stop listening first. */
  g_clear_signal_handler (&pending->finished_id, pending->msg);
  g_clear_signal_handler (&pending->disconnected_id, pending->msg);

  stream = soup_server_message_steal_connection (pending->msg);
  if (stream == NULL)
    return;

  g_string_append_printf (head,
                          "HTTP/1.1 200 OK\r\n"
                          "Server: nginx\r\n"
                          "Content-Type: application/json\r\n"
                          "Content-Length: %" G_GSIZE_FORMAT "\r\n"
                          "\r\n",
                          size);
  output = g_io_stream_get_output_stream (stream);
  /* The few KiB fit in the socket buffer, so these writes do not block
   * the client sharing this main context. Errors just mean the peer left. */
  if (g_output_stream_write_all (output, head->str, head->len, NULL, NULL, NULL))
    g_output_stream_write_all (output, g_bytes_get_data (pending->body, NULL), partial, NULL, NULL,
                               NULL);
  g_output_stream_flush (output, NULL, NULL);
  g_io_stream_close (stream, NULL, NULL);
}

static gboolean
pending_fire (gpointer user_data)
{
  MockPending *pending = user_data;

  g_clear_pointer (&pending->source, g_source_unref);

  switch (pending->kind)
    {
    case PENDING_RELEASE:
      g_clear_signal_handler (&pending->finished_id, pending->msg);
      g_clear_signal_handler (&pending->disconnected_id, pending->msg);
      soup_server_message_unpause (pending->msg);
      pending_finish (pending);
      break;

    case PENDING_RESET:
      pending_reset_connection (pending);
      pending_finish (pending);
      break;

    case PENDING_TRICKLE:
      {
        SoupMessageBody *body = soup_server_message_get_response_body (pending->msg);
        gsize            size = g_bytes_get_size (pending->body);

        if (pending->offset < size)
          {
            gsize n = MIN (pending->chunk_size, size - pending->offset);

            g_autoptr (GBytes) chunk = g_bytes_new_from_bytes (pending->body, pending->offset, n);

            soup_message_body_append_bytes (body, chunk);
            pending->offset += n;
            soup_server_message_unpause (pending->msg);
            pending_schedule (pending, pending->interval_ms);
          }
        else
          {
            g_clear_signal_handler (&pending->finished_id, pending->msg);
            g_clear_signal_handler (&pending->disconnected_id, pending->msg);
            soup_message_body_complete (body);
            soup_server_message_unpause (pending->msg);
            pending_finish (pending);
          }
      }
      break;

    default:
      g_assert_not_reached ();
    }

  return G_SOURCE_REMOVE;
}

static void
pending_schedule (MockPending *pending, guint delay_ms)
{
  g_assert (pending->source == NULL);

  pending->source = g_timeout_source_new (delay_ms);
  g_source_set_callback (pending->source, pending_fire, pending, NULL);
  g_source_set_static_name (pending->source, "[gridpane-mock] pending response");
  g_source_attach (pending->source, pending->self->context);
}

static MockPending *
hold_message (GridpaneMock *self, SoupServerMessage *msg, PendingKind kind, GBytes *body)
{
  MockPending *pending = g_new0 (MockPending, 1);

  pending->self = self;
  pending->msg = g_object_ref (msg);
  pending->kind = kind;
  pending->body = body != NULL ? g_bytes_ref (body) : NULL;
  pending->finished_id
    = g_signal_connect (msg, "finished", G_CALLBACK (pending_message_done), pending);
  pending->disconnected_id
    = g_signal_connect (msg, "disconnected", G_CALLBACK (pending_message_done), pending);
  g_ptr_array_add (self->pending, pending);

  soup_server_message_pause (msg);
  return pending;
}

/* Request handling ------------------------------------------------------- */

static const char html_page[]
  = "<html>\r\n<head><title>%u %s</title></head>\r\n<body>\r\n"
    "<center><h1>%u %s</h1></center>\r\n<hr><center>nginx</center>\r\n</body>\r\n</html>\r\n";

/* The real body with one comma missing: the one after the first
 * credential ("token": "…"), else after the first text value. Parsers
 * report such an error quoting the text next to it. */
static GBytes *
drop_comma_after_credential (GBytes *full)
{
  gsize            len = 0;
  const char      *data = g_bytes_get_data (full, &len);
  g_autofree char *text = g_strndup (data, len);
  char            *value = strstr (text, "\"token\":\"");
  char            *end;

  if (value != NULL)
    value += strlen ("\"token\":");
  else if ((value = strstr (text, "\":\"")) != NULL)
    value += strlen ("\":");
  if (value == NULL)
    return g_bytes_ref (full);

  for (end = value + 1; *end != '\0' && *end != '"'; end++)
    if (*end == '\\' && end[1] != '\0')
      end++;
  if (*end == '"' && end[1] == ',')
    memmove (end + 1, end + 2, strlen (end + 2) + 1);
  len = strlen (text);
  return g_bytes_new_take (g_steal_pointer (&text), len);
}

/* Returns the held-back message when the fault needs one. */
static MockPending *
respond_fault (GridpaneMock      *self,
               SoupServerMessage *msg,
               MockAccount       *account,
               const char        *path,
               GHashTable        *query,
               const MockFault   *fault)
{
  MockRenderFlags flags = { 0 };
  g_autoptr (GBytes) body = NULL;

  switch (fault->kind)
    {
    case GRIDPANE_MOCK_FAULT_STATUS:
      {
        guint       status = fault->status != 0 ? fault->status : SOUP_STATUS_INTERNAL_SERVER_ERROR;
        const char *phrase = soup_status_get_phrase (status);
        g_autofree char *json = g_strdup_printf ("{\"message\":\"%s\"}", phrase ? phrase : "Error");

        set_json_response (msg, status, json);
      }
      return NULL;

    case GRIDPANE_MOCK_FAULT_HTML:
      {
        guint            status = fault->status != 0 ? fault->status : SOUP_STATUS_BAD_GATEWAY;
        const char      *phrase = soup_status_get_phrase (status);
        g_autofree char *html = NULL;

        if (phrase == NULL)
          phrase = "Error";
        html = g_strdup_printf (html_page, status, phrase, status, phrase);
        soup_server_message_set_status (msg, status, NULL);
        soup_server_message_set_response (msg, "text/html", SOUP_MEMORY_COPY, html, strlen (html));
      }
      return NULL;

    case GRIDPANE_MOCK_FAULT_TRUNCATED:
      {
        g_autoptr (GBytes) full = mock_fleet_render (account->fleet, effective_base_url (self),
                                                     path, query, self->max_per_page, NULL);
        gsize size = g_bytes_get_size (full);

        body = g_bytes_new_from_bytes (full, 0, MAX (size / 2, 1));
        set_bytes_response (msg, SOUP_STATUS_OK, "application/json", body);
      }
      return NULL;

    case GRIDPANE_MOCK_FAULT_RESET:
      body = mock_fleet_render (account->fleet, effective_base_url (self), path, query,
                                self->max_per_page, NULL);
      return hold_message (self, msg, PENDING_RESET, body);

    case GRIDPANE_MOCK_FAULT_INVALID_JSON:
      if (fault->status == 0)
        {
          set_json_response (msg, SOUP_STATUS_OK, "{not json");
          return NULL;
        }
      {
        g_autoptr (GBytes) full = mock_fleet_render (account->fleet, effective_base_url (self),
                                                     path, query, self->max_per_page, NULL);

        body = drop_comma_after_credential (full);
        set_bytes_response (msg, SOUP_STATUS_OK, "application/json", body);
      }
      return NULL;

    case GRIDPANE_MOCK_FAULT_WRONG_TYPES:
      flags.wrong_types = fault->status == 0 ? 1 : 2;
      break;

    case GRIDPANE_MOCK_FAULT_MISSING_FIELDS:
      flags.omit_ids = TRUE;
      break;

    case GRIDPANE_MOCK_FAULT_NON_UTF8:
      flags.bad_utf8 = TRUE;
      break;

    case GRIDPANE_MOCK_FAULT_REPEAT_PAGE:
      flags.repeat_page = TRUE;
      break;

    case GRIDPANE_MOCK_FAULT_SLOW_BODY:
      {
        MockPending *pending;

        body = mock_fleet_render (account->fleet, effective_base_url (self), path, query,
                                  self->max_per_page, NULL);
        soup_server_message_set_status (msg, SOUP_STATUS_OK, NULL);
        soup_message_headers_replace (soup_server_message_get_response_headers (msg),
                                      "Content-Type", "application/json");
        soup_message_headers_set_encoding (soup_server_message_get_response_headers (msg),
                                           SOUP_ENCODING_CHUNKED);
        pending = hold_message (self, msg, PENDING_TRICKLE, body);
        /* SLOW_BODY_CHUNKS pieces and one final wait, each interval long:
         * the whole body takes longer than delay_ms. */
        pending->chunk_size
          = MAX (1, (g_bytes_get_size (body) + SLOW_BODY_CHUNKS - 1) / SLOW_BODY_CHUNKS);
        pending->interval_ms = fault->delay_ms / SLOW_BODY_CHUNKS + 1;
        return pending;
      }

    case GRIDPANE_MOCK_FAULT_HUGE_BODY:
      body = mock_fleet_render_huge (account->fleet, path);
      set_bytes_response (msg, SOUP_STATUS_OK, "application/json", body);
      return NULL;

    case GRIDPANE_MOCK_FAULT_NONE:
    case GRIDPANE_MOCK_FAULT_RATE_LIMIT:
    case GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE:
    default:
      break;
    }

  body = mock_fleet_render (account->fleet, effective_base_url (self), path, query,
                            self->max_per_page, &flags);
  set_bytes_response (msg, SOUP_STATUS_OK, "application/json", body);
  return NULL;
}

static void
handle_request (SoupServer        *server,
                SoupServerMessage *msg,
                const char        *full_path,
                GHashTable        *query,
                gpointer           user_data)
{
  GridpaneMock    *self = GRIDPANE_MOCK (user_data);
  g_autofree char *path = NULL;
  g_autofree char *token = NULL;
  MockAccount     *account;
  MockFault       *fault = NULL;
  MockPending     *pending = NULL;
  gsize            len;

  soup_message_headers_replace (soup_server_message_get_response_headers (msg), "Cache-Control",
                                "no-cache, private");

  if (!g_str_has_prefix (full_path, API_PREFIX "/"))
    {
      count_request (self, full_path);
      set_json_response (msg, SOUP_STATUS_NOT_FOUND, "{\"message\":\"Not Found\"}");
      goto out;
    }

  path = g_strdup (full_path + strlen (API_PREFIX));
  len = strlen (path);
  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';
  count_request (self, path);

  token = bearer_token (msg);
  account = lookup_account (self, token);
  if (account == NULL)
    {
      set_json_response (msg, SOUP_STATUS_UNAUTHORIZED, "{\"message\":\"Unauthenticated.\"}");
      goto out;
    }

  if (!mock_fleet_is_endpoint (path))
    {
      set_json_response (msg, SOUP_STATUS_NOT_FOUND, "{\"message\":\"Not Found\"}");
      goto out;
    }

  if (!g_str_equal (soup_server_message_get_method (msg), SOUP_METHOD_GET))
    {
      g_autofree char *json
        = g_strdup_printf ("{\"message\":\"The %s method is not supported for this route. "
                           "Supported methods: GET.\"}",
                           soup_server_message_get_method (msg));

      set_json_response (msg, SOUP_STATUS_METHOD_NOT_ALLOWED, json);
      goto out;
    }

  fault = take_fault (self, token, path);
  if (fault != NULL && fault->kind == GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE)
    {
      respond_too_many (self, msg, FALSE, 0);
      goto out;
    }

  if (!check_rate_limit (self, msg, account, path, fault))
    goto out;

  if (fault != NULL && fault->kind != GRIDPANE_MOCK_FAULT_NONE)
    {
      pending = respond_fault (self, msg, account, path, query, fault);
      goto out;
    }

  if (mock_restore_points_route (path) != NULL)
    {
      guint status;
      g_autoptr (GBytes) body = mock_restore_points_render (
        account->fleet, path, g_get_real_time () / G_USEC_PER_SEC, &status);

      set_bytes_response (msg, status, "application/json", body);
    }
  else
    {
      g_autoptr (GBytes) body = mock_fleet_render (account->fleet, effective_base_url (self), path,
                                                   query, self->max_per_page, NULL);

      set_bytes_response (msg, SOUP_STATUS_OK, "application/json", body);
    }

out:
  /* A fault may already hold the message back. */
  if (pending != NULL)
    pending_schedule (pending, self->latency_ms);
  else if (self->latency_ms > 0)
    pending_schedule (hold_message (self, msg, PENDING_RELEASE, NULL), self->latency_ms);
}

/* Public API ------------------------------------------------------------- */

gboolean
gridpane_mock_start (GridpaneMock *self, guint port, GError **error)
{
  g_autoptr (SoupServer) server = NULL;
  GSList *uris;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), FALSE);
  g_return_val_if_fail (self->server == NULL, FALSE);
  g_return_val_if_fail (port <= G_MAXUINT16, FALSE);
  g_return_val_if_fail (error == NULL || *error == NULL, FALSE);

  server
    = soup_server_new ("server-header", "nginx", "tls-certificate", self->tls_certificate, NULL);
  soup_server_add_handler (server, NULL, handle_request, self, NULL);

  if (!soup_server_listen_local (server, port,
                                 SOUP_SERVER_LISTEN_IPV4_ONLY
                                   | (self->tls_certificate ? SOUP_SERVER_LISTEN_HTTPS : 0),
                                 error))
    return FALSE;

  uris = soup_server_get_uris (server);
  g_assert (uris != NULL);
  self->port = (guint)g_uri_get_port (uris->data);
  g_slist_free_full (uris, (GDestroyNotify)g_uri_unref);

  self->context = g_main_context_ref_thread_default ();
  self->server = g_steal_pointer (&server);
  g_free (self->base_url);
  self->base_url = g_strdup_printf ("%s://127.0.0.1:%u" API_PREFIX,
                                    self->tls_certificate ? "https" : "http", self->port);

  return TRUE;
}

void
gridpane_mock_stop (GridpaneMock *self)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  if (self->pending != NULL)
    g_ptr_array_set_size (self->pending, 0);

  if (self->server != NULL)
    {
      soup_server_disconnect (self->server);
      g_clear_object (&self->server);
    }
  g_clear_pointer (&self->context, g_main_context_unref);
  self->port = 0;
}

void
gridpane_mock_set_tls_certificate (GridpaneMock *self, GTlsCertificate *certificate)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail (certificate == NULL || G_IS_TLS_CERTIFICATE (certificate));
  g_return_if_fail (self->server == NULL);

  g_set_object (&self->tls_certificate, certificate);
}

char *
gridpane_mock_get_base_url (GridpaneMock *self)
{
  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), NULL);

  return self->server != NULL ? g_strdup (self->base_url) : NULL;
}

guint
gridpane_mock_get_port (GridpaneMock *self)
{
  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  return self->port;
}

static gboolean
slot_taken (GridpaneMock *self, guint slot, const char *except_token)
{
  GHashTableIter iter;
  MockAccount   *account;

  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&account))
    if (account->fleet->slot == slot && g_strcmp0 (account->token, except_token) != 0)
      return TRUE;
  return FALSE;
}

void
gridpane_mock_add_account (GridpaneMock                   *self,
                           const char                     *token,
                           const GridpaneMockFleetOptions *fleet)
{
  MockAccount *account;
  guint        slot;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail (token != NULL && *token != '\0');

  /* Accounts of one mock get disjoint id ranges, like real GridPane
   * users, whenever there are slots to spare. */
  slot = mock_fleet_preferred_slot (fleet);
  for (guint i = 0; i < MOCK_N_SLOTS && slot_taken (self, slot, token); i++)
    slot = (slot + 1) % MOCK_N_SLOTS;

  account = g_new0 (MockAccount, 1);
  account->token = g_strdup (token);
  account->fleet = mock_fleet_new (fleet, slot);
  account->buckets = g_hash_table_new_full (g_str_hash, g_str_equal, g_free, g_free);
  if (self->default_secret != NULL)
    mock_fleet_set_secret (account->fleet, self->default_secret);

  g_hash_table_replace (self->accounts, account->token, account);
}

void
gridpane_mock_remove_account (GridpaneMock *self, const char *token)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail (token != NULL);

  g_hash_table_remove (self->accounts, token);
}

void
gridpane_mock_set_latency (GridpaneMock *self, guint latency_ms)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  self->latency_ms = latency_ms;
}

void
gridpane_mock_set_rate_limits (GridpaneMock *self,
                               gboolean      enabled,
                               guint         endpoint_limit,
                               guint         total_limit,
                               double        window_seconds,
                               guint         retry_after_seconds)
{
  GHashTableIter iter;
  MockAccount   *account;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail (window_seconds > 0);

  self->rate_limits_enabled = !!enabled;
  self->endpoint_limit = endpoint_limit;
  self->total_limit = total_limit;
  self->window_seconds = window_seconds;
  self->retry_after = retry_after_seconds;

  /* New limits start a new window. */
  g_hash_table_iter_init (&iter, self->accounts);
  while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&account))
    {
      g_hash_table_remove_all (account->buckets);
      account->total.used = 0;
    }
}

void
gridpane_mock_set_max_per_page (GridpaneMock *self, guint max_per_page)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));
  g_return_if_fail (max_per_page > 0);

  self->max_per_page = max_per_page;
}

void
gridpane_mock_set_fault (GridpaneMock         *self,
                         const char           *token,
                         const char           *path,
                         GridpaneMockFaultKind kind,
                         guint                 status,
                         guint                 delay_ms,
                         guint                 times)
{
  MockFault *fault;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  fault = g_new0 (MockFault, 1);
  fault->token = g_strdup (token);
  fault->path = g_strdup (path);
  fault->kind = kind;
  fault->status = status;
  fault->delay_ms = delay_ms;
  fault->times = times;
  g_ptr_array_add (self->faults, fault);
}

void
gridpane_mock_clear_faults (GridpaneMock *self)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  g_ptr_array_set_size (self->faults, 0);
}

MockFleet *
gridpane_mock_fleet_for (GridpaneMock *self, const char *token)
{
  MockAccount *account = lookup_account (self, token);

  if (account == NULL)
    {
      g_critical ("gridpane-mock: no account for token “%s”", token ? token : "(null)");
      return NULL;
    }
  return account->fleet;
}

void
gridpane_mock_mutate_fleet (GridpaneMock *self, const char *token, guint seed)
{
  MockFleet *fleet;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  if ((fleet = gridpane_mock_fleet_for (self, token)) != NULL)
    mock_fleet_mutate (fleet, seed);
}

gboolean
gridpane_mock_remove_schedule (GridpaneMock *self, const char *token, gint64 schedule_id)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), FALSE);

  if ((fleet = gridpane_mock_fleet_for (self, token)) == NULL)
    return FALSE;
  return mock_fleet_remove_schedule (fleet, schedule_id);
}

gboolean
gridpane_mock_set_schedule_time (
  GridpaneMock *self, const char *token, gint64 schedule_id, int hour, int minute)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), FALSE);
  g_return_val_if_fail (hour >= 0 && hour <= 23, FALSE);
  g_return_val_if_fail (minute >= 0 && minute <= 59, FALSE);

  if ((fleet = gridpane_mock_fleet_for (self, token)) == NULL)
    return FALSE;
  return mock_fleet_set_schedule_time (fleet, schedule_id, hour, minute);
}

guint
gridpane_mock_crowd_start (
  GridpaneMock *self, const char *token, guint n_sites, int hour, int minute)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  if ((fleet = gridpane_mock_fleet_for (self, token)) == NULL)
    return 0;
  return mock_fleet_crowd_start (fleet, n_sites, hour, minute);
}

void
gridpane_mock_clear_fleet (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  if ((fleet = gridpane_mock_fleet_for (self, token)) != NULL)
    mock_fleet_clear (fleet);
}

void
gridpane_mock_set_integration_secret (GridpaneMock *self, const char *token, const char *secret)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  if (token == NULL)
    {
      GHashTableIter iter;
      MockAccount   *account;

      g_free (self->default_secret);
      self->default_secret = g_strdup (secret);
      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&account))
        mock_fleet_set_secret (account->fleet, secret);
    }
  else
    {
      MockFleet *fleet = gridpane_mock_fleet_for (self, token);

      if (fleet != NULL)
        mock_fleet_set_secret (fleet, secret);
    }
}

void
gridpane_mock_set_schedules_meta (GridpaneMock *self, const char *token, gboolean with_meta)
{
  MockFleet *fleet;

  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  if ((fleet = gridpane_mock_fleet_for (self, token)) != NULL)
    fleet->schedules_meta = !!with_meta;
}

/* The fleet of `token`, or of every account when it is NULL. */
GPtrArray *
gridpane_mock_fleets_for (GridpaneMock *self, const char *token)
{
  GPtrArray *fleets = g_ptr_array_new ();

  if (token == NULL)
    {
      GHashTableIter iter;
      MockAccount   *account;

      g_hash_table_iter_init (&iter, self->accounts);
      while (g_hash_table_iter_next (&iter, NULL, (gpointer *)&account))
        g_ptr_array_add (fleets, account->fleet);
    }
  else
    {
      MockFleet *fleet = gridpane_mock_fleet_for (self, token);

      if (fleet != NULL)
        g_ptr_array_add (fleets, fleet);
    }
  return fleets;
}

guint
gridpane_mock_get_request_count (GridpaneMock *self, const char *path)
{
  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  if (path == NULL)
    return self->n_requests;
  return GPOINTER_TO_UINT (g_hash_table_lookup (self->request_counts, path));
}

guint
gridpane_mock_get_rate_limited_count (GridpaneMock *self)
{
  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  return self->n_rate_limited;
}

void
gridpane_mock_reset_counters (GridpaneMock *self)
{
  g_return_if_fail (GRIDPANE_IS_MOCK (self));

  g_hash_table_remove_all (self->request_counts);
  self->n_requests = 0;
  self->n_rate_limited = 0;
}

guint
gridpane_mock_get_n_schedules (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  fleet = gridpane_mock_fleet_for (self, token);
  return fleet != NULL ? mock_fleet_count_schedules (fleet) : 0;
}

guint
gridpane_mock_get_n_integrations (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  fleet = gridpane_mock_fleet_for (self, token);
  return fleet != NULL ? fleet->integrations->len : 0;
}

guint
gridpane_mock_get_n_sites (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  fleet = gridpane_mock_fleet_for (self, token);
  return fleet != NULL ? fleet->sites->len : 0;
}

guint
gridpane_mock_get_n_servers (GridpaneMock *self, const char *token)
{
  MockFleet *fleet;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), 0);

  fleet = gridpane_mock_fleet_for (self, token);
  return fleet != NULL ? fleet->servers->len : 0;
}

GBytes *
gridpane_mock_render (GridpaneMock *self, const char *token, const char *path_and_query)
{
  MockAccount     *account;
  g_autofree char *path = NULL;
  g_autoptr (GHashTable) query = NULL;
  const char *question;
  gsize       len;

  g_return_val_if_fail (GRIDPANE_IS_MOCK (self), NULL);
  g_return_val_if_fail (path_and_query != NULL, NULL);

  account = lookup_account (self, token);
  if (account == NULL)
    return NULL;

  if (g_str_has_prefix (path_and_query, API_PREFIX))
    path_and_query += strlen (API_PREFIX);

  question = strchr (path_and_query, '?');
  if (question != NULL)
    {
      path = g_strndup (path_and_query, question - path_and_query);
      query = soup_form_decode (question + 1);
    }
  else
    path = g_strdup (path_and_query);

  len = strlen (path);
  while (len > 1 && path[len - 1] == '/')
    path[--len] = '\0';

  return mock_fleet_render (account->fleet, effective_base_url (self), path, query,
                            self->max_per_page, NULL);
}
