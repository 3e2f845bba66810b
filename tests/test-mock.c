/* test-mock.c: the GridPane mock serves what it claims, checked with a plain
 * SoupSession. */
#include "config.h"

#include <string.h>

#include <json-glib/json-glib.h>
#include <libsoup/soup.h>

#include "gridpane-mock.h"

#define TOKEN "test-token"
#define OTHER_TOKEN "other-token"

typedef struct
{
  GridpaneMock *mock;
  SoupSession  *session;
  char         *base_url;
} Fixture;

typedef struct
{
  SoupMessage *msg;
  GBytes      *body;
  GError      *error;
  gboolean     done;
  gint64       elapsed_us;
} Fetch;

static void
fetch_free (Fetch *fetch)
{
  g_clear_object (&fetch->msg);
  g_clear_pointer (&fetch->body, g_bytes_unref);
  g_clear_error (&fetch->error);
  g_free (fetch);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Fetch, fetch_free)

static void
fixture_set_up (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions options = { .seed = 3, .name_prefix = "alpha" };
  g_autoptr (GError) error = NULL;

  fixture->mock = gridpane_mock_new ();
  gridpane_mock_add_account (fixture->mock, TOKEN, &options);
  options.seed = 4;
  options.name_prefix = "beta";
  gridpane_mock_add_account (fixture->mock, OTHER_TOKEN, &options);
  g_assert_true (gridpane_mock_start (fixture->mock, 0, &error));
  g_assert_no_error (error);
  fixture->base_url = gridpane_mock_get_base_url (fixture->mock);
  /* The default proxy resolver reads GSettings, which has no schemas in
   * the isolated test directories; the mock is on loopback anyway. */
  fixture->session = soup_session_new_with_options ("proxy-resolver", NULL, NULL);
}

static void
fixture_tear_down (Fixture *fixture, gconstpointer data)
{
  g_clear_object (&fixture->session);
  g_clear_pointer (&fixture->base_url, g_free);
  gridpane_mock_stop (fixture->mock);
  g_assert_finalize_object (fixture->mock);
}

static void
fetch_done (GObject *source, GAsyncResult *result, gpointer user_data)
{
  Fetch *fetch = user_data;

  fetch->body = soup_session_send_and_read_finish (SOUP_SESSION (source), result, &fetch->error);
  fetch->done = TRUE;
}

static Fetch *
fetch_path (Fixture *fixture, const char *token, const char *path_and_query)
{
  Fetch           *fetch = g_new0 (Fetch, 1);
  g_autofree char *url = g_strconcat (fixture->base_url, path_and_query, NULL);
  gint64           start = g_get_monotonic_time ();

  fetch->msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (fetch->msg), "Accept",
                                "application/json");
  if (token != NULL)
    {
      g_autofree char *auth = g_strdup_printf ("Bearer %s", token);

      soup_message_headers_replace (soup_message_get_request_headers (fetch->msg), "Authorization",
                                    auth);
    }
  soup_session_send_and_read_async (fixture->session, fetch->msg, G_PRIORITY_DEFAULT, NULL,
                                    fetch_done, fetch);
  while (!fetch->done)
    g_main_context_iteration (NULL, TRUE);
  fetch->elapsed_us = g_get_monotonic_time () - start;

  return fetch;
}

static guint
status_of (Fetch *fetch)
{
  return soup_message_get_status (fetch->msg);
}

static const char *
header_of (Fetch *fetch, const char *name)
{
  return soup_message_headers_get_one (soup_message_get_response_headers (fetch->msg), name);
}

static JsonNode *
parse_body (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  gsize       size;
  const char *data = g_bytes_get_data (body, &size);

  json_parser_load_from_data (parser, data, size, &error);
  g_assert_no_error (error);
  return json_node_copy (json_parser_get_root (parser));
}

static gboolean
body_parses (GBytes *body)
{
  g_autoptr (JsonParser) parser = json_parser_new ();
  gsize       size;
  const char *data = g_bytes_get_data (body, &size);

  return json_parser_load_from_data (parser, data, size, NULL);
}

static void
wait_ms (guint ms)
{
  gint64 end = g_get_monotonic_time () + ms * 1000;

  while (g_get_monotonic_time () < end)
    {
      g_main_context_iteration (NULL, FALSE);
      g_usleep (10 * 1000);
    }
}

/* ------------------------------------------------------------------------ */

static void
test_unauthenticated (Fixture *fixture, gconstpointer data)
{
  const char *const paths[]
    = { "/user", "/site", "/server", "/backups/schedules", "/backups/integrations" };

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (Fetch) none = fetch_path (fixture, NULL, paths[i]);
      g_autoptr (Fetch) wrong = fetch_path (fixture, "nope", paths[i]);
      g_autoptr (JsonNode) root = NULL;

      g_assert_no_error (none->error);
      g_assert_cmpuint (status_of (none), ==, 401);
      g_assert_cmpuint (status_of (wrong), ==, 401);
      root = parse_body (none->body);
      g_assert_cmpstr (json_object_get_string_member (json_node_get_object (root), "message"), ==,
                       "Unauthenticated.");
      g_assert_null (header_of (none, "X-RateLimit-Endpoint-Limit"));
    }
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, "/site"), ==, 2);
  g_assert_cmpuint (gridpane_mock_get_request_count (fixture->mock, NULL), ==, 10);
}

static void
test_user (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, "/user");
  g_autoptr (JsonNode) root = NULL;
  JsonObject *user;

  g_assert_cmpuint (status_of (fetch), ==, 200);
  g_assert_cmpstr (header_of (fetch, "X-RateLimit-Endpoint-Limit"), ==, "12");
  g_assert_cmpstr (header_of (fetch, "X-RateLimit-Endpoint-Remaining"), ==, "11");
  g_assert_cmpstr (header_of (fetch, "X-RateLimit-Total-Limit"), ==, "60");
  g_assert_cmpstr (header_of (fetch, "X-RateLimit-Total-Remaining"), ==, "59");
  root = parse_body (fetch->body);
  user = json_node_get_object (root);
  g_assert_cmpint (json_object_get_int_member (user, "id"), >, 0);
  g_assert_nonnull (json_object_get_string_member (user, "name"));
  g_assert_true (
    g_str_has_suffix (json_object_get_string_member (user, "email"), "alpha-example.com"));
}

static void
check_paginated (Fixture *fixture, const char *path, guint per_page, guint expected_total)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  guint page = 1;
  guint n_pages = 0;
  guint last_page = 0;

  for (;;)
    {
      g_autofree char *query = per_page > 0
                                 ? g_strdup_printf ("%s?page=%u&per_page=%u", path, page, per_page)
                                 : g_strdup_printf ("%s?page=%u", path, page);
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, query);
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object, *meta, *links;
      JsonArray  *items;
      guint       expected_per_page = per_page > 0 ? per_page : 10;

      g_assert_cmpuint (status_of (fetch), ==, 200);
      root = parse_body (fetch->body);
      object = json_node_get_object (root);
      items = json_object_get_array_member (object, "data");
      meta = json_object_get_object_member (object, "meta");
      links = json_object_get_object_member (object, "links");

      g_assert_cmpint (json_object_get_int_member (meta, "current_page"), ==, page);
      g_assert_cmpint (json_object_get_int_member (meta, "per_page"), ==, expected_per_page);
      g_assert_cmpint (json_object_get_int_member (meta, "total"), ==, expected_total);
      last_page = json_object_get_int_member (meta, "last_page");
      g_assert_cmpuint (last_page, ==,
                        MAX (1, (expected_total + expected_per_page - 1) / expected_per_page));
      g_assert_cmpint (json_object_get_int_member (meta, "from"), ==,
                       (page - 1) * expected_per_page + 1);
      g_assert_cmpint (json_object_get_int_member (meta, "to"), ==,
                       (page - 1) * expected_per_page + json_array_get_length (items));
      g_assert_true (g_str_has_suffix (json_object_get_string_member (meta, "path"), path));
      g_assert_nonnull (json_object_get_string_member (links, "first"));
      g_assert_nonnull (json_object_get_string_member (links, "last"));
      if (page == 1)
        g_assert_true (json_object_get_null_member (links, "prev"));
      else
        g_assert_nonnull (json_object_get_string_member (links, "prev"));

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

          g_assert_false (g_hash_table_contains (ids, &id));
          g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
        }

      n_pages++;
      if (page >= last_page)
        {
          g_assert_true (json_object_get_null_member (links, "next"));
          break;
        }
      g_assert_cmpuint (json_array_get_length (items), ==, expected_per_page);
      g_assert_nonnull (strstr (json_object_get_string_member (links, "next"), "page="));
      page++;
    }

  g_assert_cmpuint (n_pages, ==, last_page);
  g_assert_cmpuint (g_hash_table_size (ids), ==, expected_total);

  /* Past the end: an empty page, not an error. */
  {
    g_autofree char *query
      = g_strdup_printf ("%s?page=%u&per_page=%u", path, last_page + 1, MAX (per_page, 10));
    g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, query);
    g_autoptr (JsonNode) root = parse_body (fetch->body);
    JsonObject *object = json_node_get_object (root);

    g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 0);
    g_assert_true (
      json_object_get_null_member (json_object_get_object_member (object, "links"), "next"));
  }
}

static void
test_pagination (Fixture *fixture, gconstpointer data)
{
  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);

  check_paginated (fixture, "/site", 7, gridpane_mock_get_n_sites (fixture->mock, TOKEN));
  check_paginated (fixture, "/site", 0, gridpane_mock_get_n_sites (fixture->mock, TOKEN));
  check_paginated (fixture, "/site", 40, 40);
  check_paginated (fixture, "/server", 2, 5);
  check_paginated (fixture, "/server", 0, 5);
}

static void
test_per_page_cap (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;

  gridpane_mock_set_max_per_page (fixture->mock, 25);
  fetch = fetch_path (fixture, TOKEN, "/site?per_page=500");
  root = parse_body (fetch->body);
  object = json_node_get_object (root);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (object, "meta"), "per_page"), ==,
    25);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (object, "meta"), "last_page"), ==,
    2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 25);
}

static GHashTable *
integration_ids (Fixture *fixture, const char *token)
{
  g_autoptr (Fetch) fetch = fetch_path (fixture, token, "/backups/integrations");
  g_autoptr (JsonNode) root = parse_body (fetch->body);
  JsonArray  *items = json_object_get_array_member (json_node_get_object (root), "integrations");
  GHashTable *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, g_free);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gint64      id = json_object_get_int_member (item, "id");

      g_hash_table_insert (ids, g_memdup2 (&id, sizeof id),
                           g_strdup (json_object_get_string_member (item, "integrated_service")));
    }
  return ids;
}

static gint64
json_int_or_string (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  if (json_node_get_value_type (node) == G_TYPE_STRING)
    return g_ascii_strtoll (json_node_get_string (node), NULL, 10);
  return json_node_get_int (node);
}

static void
test_schedules (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions options = { .seed = 11, .n_sites = 300, .name_prefix = "gamma" };
  g_autoptr (Fetch) fetch = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autoptr (GHashTable) integrations = NULL;
  g_autoptr (GBytes) rendered = NULL;
  JsonArray        *entries;
  guint             n_schedules = 0;
  guint             n_both = 0;
  guint             n_two_remotes = 0;
  guint             n_empty = 0;
  guint             n_numeric = 0;
  guint             frequencies[4] = { 0 };
  const char *const frequency_names[] = { "hourly", "daily", "weekly", "monthly" };

  gridpane_mock_add_account (fixture->mock, "big", &options);
  integrations = integration_ids (fixture, "big");
  fetch = fetch_path (fixture, "big", "/backups/schedules");
  g_assert_cmpuint (status_of (fetch), ==, 200);

  rendered = gridpane_mock_render (fixture->mock, "big", "/backups/schedules");
  g_assert_true (g_bytes_equal (rendered, fetch->body));

  root = parse_body (fetch->body);
  g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "success"));
  entries = json_object_get_array_member (json_node_get_object (root), "data");
  g_assert_cmpuint (json_array_get_length (entries), ==, 300);

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonArray  *schedules = json_object_get_array_member (entry, "schedule_backups");
      guint       n_local = 0, n_remote = 0;

      g_assert_cmpint (json_object_get_int_member (entry, "site_id"), >=, 869000);
      g_assert_cmpint (json_object_get_int_member (entry, "server_id"), >=, 41000);
      g_assert_true (
        g_str_has_suffix (json_object_get_string_member (entry, "url"), ".gamma-example.com"));

      for (guint j = 0; j < json_array_get_length (schedules); j++)
        {
          JsonObject *schedule = json_array_get_object_element (schedules, j);
          gint64      id = json_object_get_int_member (schedule, "id");
          const char *type = json_object_get_string_member (schedule, "type");
          const char *frequency = json_object_get_string_member (schedule, "bup_schedule");
          gint64      hour = json_int_or_string (schedule, "hour");
          gint64      minute = json_int_or_string (schedule, "minute");
          JsonNode   *day = json_object_get_member (schedule, "day");
          guint       f;

          g_assert_cmpint (id, >=, 156000);
          g_assert_false (g_hash_table_contains (ids, &id));
          g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
          n_schedules++;

          if (json_node_get_value_type (json_object_get_member (schedule, "hour")) == G_TYPE_INT64)
            n_numeric++;
          g_assert_cmpint (hour, >=, 0);
          g_assert_cmpint (hour, <=, 23);
          g_assert_cmpint (minute, >=, 0);
          g_assert_cmpint (minute, <=, 59);

          for (f = 0; f < G_N_ELEMENTS (frequency_names); f++)
            if (g_str_equal (frequency, frequency_names[f]))
              break;
          g_assert_cmpuint (f, <, 4);
          frequencies[f]++;
          g_assert_nonnull (day);
          if (f == 2)
            {
              gint64 d = json_int_or_string (schedule, "day");
              g_assert_cmpint (d, >=, 0);
              g_assert_cmpint (d, <=, 6);
            }
          else if (f == 3)
            {
              gint64 d = json_int_or_string (schedule, "day");
              g_assert_cmpint (d, >=, 1);
              g_assert_cmpint (d, <=, 28);
            }
          else
            g_assert_true (JSON_NODE_HOLDS_NULL (day));

          if (g_str_equal (type, "local"))
            {
              n_local++;
              g_assert_true (json_object_get_null_member (schedule, "service_id"));
              g_assert_true (json_object_get_null_member (schedule, "service_name"));
            }
          else
            {
              gint64 service_id = json_object_get_int_member (schedule, "service_id");

              g_assert_cmpstr (type, ==, "remote");
              n_remote++;
              /* A remote schedule names an integration of the same account. */
              g_assert_cmpstr (g_hash_table_lookup (integrations, &service_id), ==,
                               json_object_get_string_member (schedule, "service_name"));
              g_assert_cmpint (json_object_get_int_member (schedule, "service_user_id"), >, 0);
            }
        }
      if (n_local == 1 && n_remote >= 1)
        n_both++;
      if (n_remote == 2)
        n_two_remotes++;
      if (n_local + n_remote == 0)
        n_empty++;
    }

  g_assert_cmpuint (n_schedules, ==, gridpane_mock_get_n_schedules (fixture->mock, "big"));
  g_assert_cmpuint (n_both, >, 150);
  g_assert_cmpuint (n_two_remotes, >, 0);
  g_assert_cmpuint (n_empty, >, 0);
  g_assert_cmpuint (n_numeric, >, 0);
  g_assert_cmpuint (n_numeric, <, n_schedules / 4);
  for (guint f = 0; f < 4; f++)
    g_assert_cmpuint (frequencies[f], >, 0);
}

static void
test_schedules_meta (Fixture *fixture, gconstpointer data)
{
  for (guint with_meta = 0; with_meta < 2; with_meta++)
    {
      g_autoptr (Fetch) fetch = NULL;
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object;

      gridpane_mock_set_schedules_meta (fixture->mock, TOKEN, with_meta);
      fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
      root = parse_body (fetch->body);
      object = json_node_get_object (root);
      g_assert_cmpint (json_object_has_member (object, "meta"), ==, with_meta);
      if (with_meta)
        {
          JsonObject *meta = json_object_get_object_member (object, "meta");

          g_assert_cmpint (json_object_get_int_member (meta, "current_page"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (meta, "last_page"), ==, 1);
          g_assert_cmpint (json_object_get_int_member (meta, "total"), ==,
                           json_array_get_length (json_object_get_array_member (object, "data")));
        }
    }
}

static void
test_integrations (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GHashTable) kinds = g_hash_table_new (g_str_hash, g_str_equal);
  const char *const expected[] = { "aws-s3", "backblaze", "wasabi", "dropbox", "ovh-s3" };

  for (guint round = 0; round < 2; round++)
    {
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, "/backups/integrations");
      g_autoptr (JsonNode) root = parse_body (fetch->body);
      JsonObject *object = json_node_get_object (root);
      JsonArray  *items = json_object_get_array_member (object, "integrations");

      g_assert_true (json_object_get_boolean_member (object, "success"));
      g_assert_nonnull (json_object_get_string_member (object, "message"));
      g_assert_cmpuint (json_array_get_length (items), ==, 6);
      g_assert_cmpuint (json_array_get_length (items), ==,
                        gridpane_mock_get_n_integrations (fixture->mock, TOKEN));

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          JsonObject *item = json_array_get_object_element (items, i);
          const char *secret = json_object_get_string_member (item, "token");
          const char *secret_token = json_object_get_string_member (item, "secret_token");

          g_assert_cmpint (json_object_get_int_member (item, "id"), >=, 2700);
          g_assert_true (
            g_str_has_prefix (json_object_get_string_member (item, "integration_name"), "Alpha "));
          g_assert_true (json_object_has_member (item, "region"));
          g_hash_table_add (kinds, (gpointer)g_intern_string (
                                     json_object_get_string_member (item, "integrated_service")));
          if (round == 0)
            {
              g_assert_cmpuint (strlen (secret), >, 10);
              g_assert_cmpuint (strlen (secret_token), >, 10);
            }
          else
            {
              g_assert_cmpstr (secret, ==, "SENTINEL-SECRET-42");
              g_assert_cmpstr (secret_token, ==, "SENTINEL-SECRET-42");
            }
        }
      gridpane_mock_set_integration_secret (fixture->mock, TOKEN, "SENTINEL-SECRET-42");
    }

  for (guint i = 0; i < G_N_ELEMENTS (expected); i++)
    g_assert_true (g_hash_table_contains (kinds, expected[i]));

  /* The other account keeps its own secrets. */
  {
    g_autoptr (Fetch) fetch = fetch_path (fixture, OTHER_TOKEN, "/backups/integrations");

    g_assert_null (g_strstr_len (g_bytes_get_data (fetch->body, NULL),
                                 g_bytes_get_size (fetch->body), "SENTINEL"));
  }
}

static void
test_servers_and_sites_shape (Fixture *fixture, gconstpointer data)
{
  GridpaneMockFleetOptions options
    = { .seed = 5, .n_servers = 12, .n_sites = 120, .name_prefix = "delta" };
  g_autoptr (Fetch) servers = NULL;
  g_autoptr (Fetch) sites = NULL;
  g_autoptr (JsonNode) servers_root = NULL;
  g_autoptr (JsonNode) sites_root = NULL;
  JsonArray *items;
  guint      n_missing_tz = 0, n_null_tz = 0, n_embedded = 0, n_staging = 0, n_local_off = 0;
  g_autoptr (GHashTable) zones = g_hash_table_new (g_str_hash, g_str_equal);

  gridpane_mock_add_account (fixture->mock, "delta", &options);
  servers = fetch_path (fixture, "delta", "/server?per_page=50");
  servers_root = parse_body (servers->body);
  items = json_object_get_array_member (json_node_get_object (servers_root), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 12);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject       *server = json_array_get_object_element (items, i);
      const char *const fields[]
        = { "id", "label", "ip", "region", "status", "webserver", "database", "update_backups" };

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_true (json_object_has_member (server, fields[f]));
      if (!json_object_has_member (server, "server_timezone"))
        n_missing_tz++;
      else if (json_object_get_null_member (server, "server_timezone"))
        n_null_tz++;
      else
        g_hash_table_add (zones, (gpointer)g_intern_string (
                                   json_object_get_string_member (server, "server_timezone")));
    }
  g_assert_cmpuint (n_missing_tz, >, 0);
  g_assert_cmpuint (n_null_tz, >, 0);
  g_assert_true (g_hash_table_contains (zones, "UTC"));
  g_assert_true (g_hash_table_contains (zones, "America/New_York"));
  g_assert_true (g_hash_table_contains (zones, "Europe/Berlin"));
  g_assert_true (g_hash_table_contains (zones, "Australia/Sydney"));

  sites = fetch_path (fixture, "delta", "/site?per_page=200");
  sites_root = parse_body (sites->body);
  items = json_object_get_array_member (json_node_get_object (sites_root), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 120);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *site = json_array_get_object_element (items, i);
      JsonObject *customizer = json_object_get_object_member (site, "site_customizer");
      const char *type = json_object_get_string_member (site, "type");

      g_assert_true (g_str_equal (type, "primary") || g_str_equal (type, "staging")
                     || g_str_equal (type, "canary"));
      if (!g_str_equal (type, "primary"))
        n_staging++;
      if (!json_object_get_boolean_member (site, "local_bup"))
        n_local_off++;
      g_assert_true (json_object_has_member (site, "remote_bup"));
      g_assert_true (json_object_has_member (site, "local_bup_threshold"));
      g_assert_true (json_object_has_member (customizer, "local_prune_schedule"));
      g_assert_true (json_object_has_member (customizer, "local_retain_days"));
      g_assert_true (json_object_has_member (customizer, "remote_prune_schedule"));
      g_assert_true (json_object_has_member (customizer, "remote_retain_days"));
      if (json_object_has_member (site, "server"))
        {
          n_embedded++;
          g_assert_cmpint (
            json_object_get_int_member (json_object_get_object_member (site, "server"), "id"), ==,
            json_object_get_int_member (site, "server_id"));
        }
    }
  g_assert_cmpuint (n_embedded, >, 0);
  g_assert_cmpuint (n_staging, >, 0);
  g_assert_cmpuint (n_local_off, >, 0);
}

static void
test_rate_limit (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) limited = NULL;
  g_autoptr (Fetch) site_limited = NULL;
  g_autoptr (Fetch) after = NULL;
  g_autoptr (Fetch) other = NULL;
  guint64 retry;

  gridpane_mock_set_rate_limits (fixture->mock, TRUE, 3, 100, 2.0, 27);

  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, "/server");
      g_autofree char *remaining = g_strdup_printf ("%u", 2 - i);

      g_assert_cmpuint (status_of (fetch), ==, 200);
      g_assert_cmpstr (header_of (fetch, "X-RateLimit-Endpoint-Limit"), ==, "3");
      g_assert_cmpstr (header_of (fetch, "X-RateLimit-Endpoint-Remaining"), ==, remaining);
      g_assert_cmpstr (header_of (fetch, "X-RateLimit-Total-Limit"), ==, "100");
    }

  limited = fetch_path (fixture, TOKEN, "/server");
  g_assert_cmpuint (status_of (limited), ==, 429);
  g_assert_cmpstr (header_of (limited, "X-RateLimit-Endpoint-Remaining"), ==, "0");
  g_assert_nonnull (header_of (limited, "X-RateLimit-Endpoint-Reset"));
  g_assert_nonnull (header_of (limited, "X-RateLimit-Total-Remaining"));
  g_assert_null (header_of (limited, "Retry-After"));
  retry = g_ascii_strtoull (header_of (limited, "Retry-After-Endpoint"), NULL, 10);
  g_assert_cmpuint (retry, >=, 1);
  g_assert_cmpuint (retry, <=, 2);
  g_assert_cmpint (g_ascii_strtoll (header_of (limited, "X-RateLimit-Endpoint-Reset"), NULL, 10),
                   >=, g_get_real_time () / G_USEC_PER_SEC);
  g_assert_true (
    g_str_has_prefix (g_bytes_get_data (limited->body, NULL), "Beep, Beep, you're going too fast"));
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 1);

  /* Per endpoint and per token: others still pass. */
  other = fetch_path (fixture, OTHER_TOKEN, "/server");
  g_assert_cmpuint (status_of (other), ==, 200);

  /* A /site page costs two units: the second one is over a budget of 3. */
  {
    g_autoptr (Fetch) first = fetch_path (fixture, TOKEN, "/site");

    g_assert_cmpuint (status_of (first), ==, 200);
    g_assert_cmpstr (header_of (first, "X-RateLimit-Endpoint-Remaining"), ==, "1");
  }
  site_limited = fetch_path (fixture, TOKEN, "/site");
  g_assert_cmpuint (status_of (site_limited), ==, 429);

  /* The window passes. */
  wait_ms (2100);
  after = fetch_path (fixture, TOKEN, "/server");
  g_assert_cmpuint (status_of (after), ==, 200);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 2);
}

static void
test_total_limit (Fixture *fixture, gconstpointer data)
{
  const char *const paths[] = { "/user", "/server", "/backups/integrations", "/backups/schedules" };
  g_autoptr (Fetch) over = NULL;

  gridpane_mock_set_rate_limits (fixture->mock, TRUE, 10, 4, 30.0, 27);
  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, paths[i]);

      g_assert_cmpuint (status_of (fetch), ==, 200);
    }
  over = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (over), ==, 429);
  g_assert_cmpstr (header_of (over, "X-RateLimit-Total-Remaining"), ==, "0");
  /* Capped at the configured retry_after. */
  g_assert_cmpstr (header_of (over, "Retry-After-Endpoint"), ==, "27");
}

static void
test_rate_limit_faults (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) bare = NULL;
  g_autoptr (Fetch) gridpane = NULL;
  g_autoptr (Fetch) fine = NULL;

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/user", GRIDPANE_MOCK_FAULT_RATE_LIMIT_BARE, 0, 0,
                           1);
  gridpane_mock_set_fault (fixture->mock, TOKEN, "/user", GRIDPANE_MOCK_FAULT_RATE_LIMIT, 0, 3000,
                           1);

  bare = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (bare), ==, 429);
  g_assert_null (header_of (bare, "X-RateLimit-Endpoint-Limit"));
  g_assert_null (header_of (bare, "X-RateLimit-Endpoint-Remaining"));
  g_assert_null (header_of (bare, "X-RateLimit-Endpoint-Reset"));
  g_assert_null (header_of (bare, "X-RateLimit-Total-Limit"));
  g_assert_null (header_of (bare, "Retry-After-Endpoint"));
  g_assert_null (header_of (bare, "Retry-After"));

  gridpane = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (gridpane), ==, 429);
  g_assert_cmpstr (header_of (gridpane, "Retry-After-Endpoint"), ==, "3");
  g_assert_nonnull (header_of (gridpane, "X-RateLimit-Endpoint-Reset"));
  g_assert_cmpstr (header_of (gridpane, "X-RateLimit-Endpoint-Remaining"), ==, "0");
  g_assert_null (header_of (gridpane, "Retry-After"));

  fine = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (fine), ==, 200);
  g_assert_cmpuint (gridpane_mock_get_rate_limited_count (fixture->mock), ==, 2);
}

static void
test_fault_status_html (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) status = NULL;
  g_autoptr (Fetch) html = NULL;
  g_autoptr (Fetch) other = NULL;
  g_autoptr (JsonNode) root = NULL;

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/site", GRIDPANE_MOCK_FAULT_STATUS, 503, 0, 1);
  gridpane_mock_set_fault (fixture->mock, TOKEN, "/site", GRIDPANE_MOCK_FAULT_HTML, 502, 0, 1);

  /* Faults are per token. */
  other = fetch_path (fixture, OTHER_TOKEN, "/site");
  g_assert_cmpuint (status_of (other), ==, 200);

  status = fetch_path (fixture, TOKEN, "/site");
  g_assert_cmpuint (status_of (status), ==, 503);
  root = parse_body (status->body);
  g_assert_nonnull (json_object_get_string_member (json_node_get_object (root), "message"));

  html = fetch_path (fixture, TOKEN, "/site");
  g_assert_cmpuint (status_of (html), ==, 502);
  g_assert_true (g_str_has_prefix (header_of (html, "Content-Type"), "text/html"));
  g_assert_nonnull (
    g_strstr_len (g_bytes_get_data (html->body, NULL), g_bytes_get_size (html->body), "<html>"));
}

static void
test_fault_bodies (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GBytes) full = gridpane_mock_render (fixture->mock, TOKEN, "/backups/schedules");

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);

  /* Truncated: a clean, short, unparsable body. */
  {
    g_autoptr (Fetch) fetch = NULL;

    gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                             GRIDPANE_MOCK_FAULT_TRUNCATED, 0, 0, 1);
    fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
    g_assert_no_error (fetch->error);
    g_assert_cmpuint (status_of (fetch), ==, 200);
    g_assert_cmpuint (g_bytes_get_size (fetch->body), <, g_bytes_get_size (full));
    g_assert_cmpint (memcmp (g_bytes_get_data (fetch->body, NULL), g_bytes_get_data (full, NULL),
                             g_bytes_get_size (fetch->body)),
                     ==, 0);
    g_assert_false (body_parses (fetch->body));
  }

  /* Invalid JSON. */
  {
    g_autoptr (Fetch) fetch = NULL;

    gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                             GRIDPANE_MOCK_FAULT_INVALID_JSON, 0, 0, 1);
    fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
    g_assert_cmpuint (status_of (fetch), ==, 200);
    g_assert_cmpmem (g_bytes_get_data (fetch->body, NULL), g_bytes_get_size (fetch->body),
                     "{not json", 9);
  }

  /* Wrong types: containers, then fields. */
  {
    g_autoptr (Fetch) containers = NULL;
    g_autoptr (Fetch) fields = NULL;
    g_autoptr (JsonNode) root1 = NULL;
    g_autoptr (JsonNode) root2 = NULL;
    JsonArray  *entries;
    JsonObject *first;

    gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                             GRIDPANE_MOCK_FAULT_WRONG_TYPES, 0, 0, 1);
    gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                             GRIDPANE_MOCK_FAULT_WRONG_TYPES, 1, 0, 1);
    containers = fetch_path (fixture, TOKEN, "/backups/schedules");
    root1 = parse_body (containers->body);
    g_assert_cmpuint (
      json_node_get_value_type (json_object_get_member (json_node_get_object (root1), "data")), ==,
      G_TYPE_STRING);

    fields = fetch_path (fixture, TOKEN, "/backups/schedules");
    root2 = parse_body (fields->body);
    entries = json_object_get_array_member (json_node_get_object (root2), "data");
    first = json_array_get_object_element (entries, 0);
    g_assert_true (JSON_NODE_HOLDS_OBJECT (json_object_get_member (first, "server_id")));
    g_assert_false (JSON_NODE_HOLDS_ARRAY (json_object_get_member (first, "schedule_backups")));
  }

  /* Missing ids. */
  {
    g_autoptr (Fetch) fetch = NULL;
    g_autoptr (JsonNode) root = NULL;
    JsonArray *entries;

    gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules",
                             GRIDPANE_MOCK_FAULT_MISSING_FIELDS, 0, 0, 1);
    fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
    root = parse_body (fetch->body);
    entries = json_object_get_array_member (json_node_get_object (root), "data");
    g_assert_cmpuint (json_array_get_length (entries), >, 0);
    for (guint i = 0; i < json_array_get_length (entries); i++)
      {
        JsonObject *entry = json_array_get_object_element (entries, i);
        JsonArray  *schedules = json_object_get_array_member (entry, "schedule_backups");

        g_assert_false (json_object_has_member (entry, "site_id"));
        for (guint j = 0; j < json_array_get_length (schedules); j++)
          g_assert_false (
            json_object_has_member (json_array_get_object_element (schedules, j), "id"));
      }
  }

  /* Invalid UTF-8 inside strings. */
  {
    g_autoptr (Fetch) fetch = NULL;

    gridpane_mock_set_fault (fixture->mock, NULL, "/site", GRIDPANE_MOCK_FAULT_NON_UTF8, 0, 0, 1);
    fetch = fetch_path (fixture, TOKEN, "/site");
    g_assert_cmpuint (status_of (fetch), ==, 200);
    g_assert_false (
      g_utf8_validate (g_bytes_get_data (fetch->body, NULL), g_bytes_get_size (fetch->body), NULL));
  }

  /* Back to normal once the faults are used up. */
  {
    g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, "/backups/schedules");

    g_assert_true (g_bytes_equal (fetch->body, full));
  }
}

static void
test_fault_repeat_page (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) page1 = NULL;
  g_autoptr (Fetch) page3 = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonObject *object;

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/site", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, 0);
  page1 = fetch_path (fixture, TOKEN, "/site?page=1&per_page=5");
  page3 = fetch_path (fixture, TOKEN, "/site?page=3&per_page=5");
  g_assert_true (g_bytes_equal (page1->body, page3->body));
  root = parse_body (page3->body);
  object = json_node_get_object (root);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (object, "meta"), "current_page"), ==,
    1);
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (object, "meta"), "last_page"), >=,
    1000);
  g_assert_nonnull (
    json_object_get_string_member (json_object_get_object_member (object, "links"), "next"));
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 5);
}

static void
test_fault_reset (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = NULL;
  g_autoptr (Fetch) again = NULL;

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/backups/schedules", GRIDPANE_MOCK_FAULT_RESET, 0,
                           0, 1);
  fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
  g_assert_nonnull (fetch->error);
  g_assert_null (fetch->body);
  g_test_message ("reset gave: %s", fetch->error->message);

  /* The server keeps serving. */
  again = fetch_path (fixture, TOKEN, "/backups/schedules");
  g_assert_no_error (again->error);
  g_assert_cmpuint (status_of (again), ==, 200);
}

static void
test_fault_slow_body (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = NULL;
  g_autoptr (GBytes) full = gridpane_mock_render (fixture->mock, TOKEN, "/backups/schedules");

  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules", GRIDPANE_MOCK_FAULT_SLOW_BODY,
                           0, 600, 1);
  fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
  g_assert_no_error (fetch->error);
  g_assert_cmpuint (status_of (fetch), ==, 200);
  g_assert_cmpint (fetch->elapsed_us, >=, 600 * 1000);
  g_assert_true (g_bytes_equal (fetch->body, full));
}

static void
test_fault_slow_body_abandoned (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree char *url = g_strconcat (fixture->base_url, "/backups/schedules", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", TOKEN);
  g_autoptr (Fetch) after = NULL;
  Fetch fetch = { 0 };

  /* A client giving up mid-trickle must not upset the server. */
  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules", GRIDPANE_MOCK_FAULT_SLOW_BODY,
                           0, 2000, 1);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    fetch_done, &fetch);
  wait_ms (400);
  g_cancellable_cancel (cancellable);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&fetch.error);
  wait_ms (2500);

  after = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (after), ==, 200);
}

static void
abandon_request (Fixture *fixture, const char *path, guint abandon_after_ms, guint then_wait_ms)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree char *url = g_strconcat (fixture->base_url, path, NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", TOKEN);
  Fetch            fetch = { 0 };

  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    fetch_done, &fetch);
  wait_ms (abandon_after_ms);
  g_cancellable_cancel (cancellable);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  g_assert_error (fetch.error, G_IO_ERROR, G_IO_ERROR_CANCELLED);
  g_clear_error (&fetch.error);
  wait_ms (then_wait_ms);
}

static void
test_abandoned_latency_and_reset (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) after = NULL;

  /* The client leaves while the mock holds the answer back. */
  gridpane_mock_set_latency (fixture->mock, 500);
  abandon_request (fixture, "/user", 100, 700);
  gridpane_mock_set_fault (fixture->mock, NULL, "/server", GRIDPANE_MOCK_FAULT_RESET, 0, 0, 1);
  abandon_request (fixture, "/server", 100, 700);
  gridpane_mock_set_fault (fixture->mock, NULL, "/site", GRIDPANE_MOCK_FAULT_SLOW_BODY, 0, 1000, 1);
  abandon_request (fixture, "/site", 100, 1500);

  gridpane_mock_set_latency (fixture->mock, 0);
  after = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (after), ==, 200);
}

static void
test_stop_while_pending (Fixture *fixture, gconstpointer data)
{
  g_autoptr (GCancellable) cancellable = g_cancellable_new ();
  g_autoptr (SoupMessage) msg = NULL;
  g_autofree char *url = g_strconcat (fixture->base_url, "/user", NULL);
  g_autofree char *auth = g_strdup_printf ("Bearer %s", TOKEN);
  Fetch            fetch = { 0 };

  gridpane_mock_set_latency (fixture->mock, 2000);
  msg = soup_message_new (SOUP_METHOD_GET, url);
  soup_message_headers_replace (soup_message_get_request_headers (msg), "Authorization", auth);
  soup_session_send_and_read_async (fixture->session, msg, G_PRIORITY_DEFAULT, cancellable,
                                    fetch_done, &fetch);
  wait_ms (200);
  gridpane_mock_stop (fixture->mock);
  while (!fetch.done)
    g_main_context_iteration (NULL, TRUE);
  /* Connection dropped by the stop: an error, not a hang. */
  g_assert_nonnull (fetch.error);
  g_clear_error (&fetch.error);
  g_clear_pointer (&fetch.body, g_bytes_unref);
}

static void
test_fault_huge_body (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = NULL;
  const char *body;
  gsize       size;

  gridpane_mock_set_fault (fixture->mock, NULL, "/backups/schedules", GRIDPANE_MOCK_FAULT_HUGE_BODY,
                           0, 0, 1);
  fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
  g_assert_cmpuint (status_of (fetch), ==, 200);
  body = g_bytes_get_data (fetch->body, &size);
  g_assert_cmpuint (size, >=, 45 * 1024 * 1024);
  g_assert_true (g_str_has_prefix (body, "{\"success\":true,\"data\":[{"));
  g_assert_cmpmem (body + size - 3, 3, "}]}", 3);
}

static void
test_fault_scope (Fixture *fixture, gconstpointer data)
{
  gridpane_mock_set_fault (fixture->mock, NULL, NULL, GRIDPANE_MOCK_FAULT_STATUS, 500, 0, 0);
  for (guint i = 0; i < 3; i++)
    {
      g_autoptr (Fetch) a = fetch_path (fixture, TOKEN, "/user");
      g_autoptr (Fetch) b = fetch_path (fixture, OTHER_TOKEN, "/server");

      g_assert_cmpuint (status_of (a), ==, 500);
      g_assert_cmpuint (status_of (b), ==, 500);
    }
  gridpane_mock_clear_faults (fixture->mock);
  {
    g_autoptr (Fetch) ok = fetch_path (fixture, TOKEN, "/user");

    g_assert_cmpuint (status_of (ok), ==, 200);
  }
}

static void
test_latency (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) fetch = NULL;

  gridpane_mock_set_latency (fixture->mock, 300);
  fetch = fetch_path (fixture, TOKEN, "/user");
  g_assert_cmpuint (status_of (fetch), ==, 200);
  g_assert_cmpint (fetch->elapsed_us, >=, 300 * 1000);
}

static GBytes *
render_all (GridpaneMock *mock, const char *token)
{
  const char *const paths[] = { "/backups/schedules", "/backups/integrations", "/site?per_page=300",
                                "/server?per_page=300", "/user" };
  GByteArray       *all = g_byte_array_new ();

  for (guint i = 0; i < G_N_ELEMENTS (paths); i++)
    {
      g_autoptr (GBytes) part = gridpane_mock_render (mock, token, paths[i]);

      g_assert_nonnull (part);
      g_byte_array_append (all, g_bytes_get_data (part, NULL), g_bytes_get_size (part));
    }
  return g_byte_array_free_to_bytes (all);
}

static void
test_mutate (void)
{
  GridpaneMockFleetOptions options = { .seed = 9, .n_sites = 200, .name_prefix = "mut" };
  g_autoptr (GridpaneMock) a = gridpane_mock_new ();
  g_autoptr (GridpaneMock) b = gridpane_mock_new ();
  g_autoptr (GBytes) before = NULL;
  g_autoptr (GBytes) after_a = NULL;
  g_autoptr (GBytes) after_b = NULL;
  guint n_schedules, n_integrations, n_sites;

  gridpane_mock_add_account (a, "t", &options);
  gridpane_mock_add_account (b, "t", &options);
  before = render_all (a, "t");
  {
    g_autoptr (GBytes) other = render_all (b, "t");

    g_assert_true (g_bytes_equal (before, other));
  }

  n_schedules = gridpane_mock_get_n_schedules (a, "t");
  n_integrations = gridpane_mock_get_n_integrations (a, "t");
  n_sites = gridpane_mock_get_n_sites (a, "t");

  gridpane_mock_mutate_fleet (a, "t", 1);
  gridpane_mock_mutate_fleet (b, "t", 1);
  after_a = render_all (a, "t");
  after_b = render_all (b, "t");
  g_assert_true (g_bytes_equal (after_a, after_b));
  g_assert_false (g_bytes_equal (before, after_a));
  g_assert_cmpuint (gridpane_mock_get_n_schedules (a, "t"), ==,
                    gridpane_mock_get_n_schedules (b, "t"));
  g_assert_cmpuint (gridpane_mock_get_n_schedules (a, "t"), !=, n_schedules);
  g_assert_cmpuint (gridpane_mock_get_n_integrations (a, "t"), ==, n_integrations);
  g_assert_cmpuint (gridpane_mock_get_n_sites (a, "t"), >, n_sites);

  /* Another seed, another change. */
  gridpane_mock_mutate_fleet (b, "t", 2);
  gridpane_mock_mutate_fleet (a, "t", 3);
  {
    g_autoptr (GBytes) x = render_all (a, "t");
    g_autoptr (GBytes) y = render_all (b, "t");

    g_assert_false (g_bytes_equal (x, y));
  }

  g_assert_finalize_object (g_steal_pointer (&a));
  g_assert_finalize_object (g_steal_pointer (&b));
}

static void
test_edit_and_clear (void)
{
  GridpaneMockFleetOptions options = { .seed = 1, .name_prefix = "edit" };
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GBytes) body = NULL;
  g_autoptr (JsonNode) root = NULL;
  JsonArray *entries;
  gint64     schedule_id = 0;
  guint      n;

  gridpane_mock_add_account (mock, "t", &options);
  body = gridpane_mock_render (mock, "t", "/backups/schedules");
  root = parse_body (body);
  entries = json_object_get_array_member (json_node_get_object (root), "data");
  for (guint i = 0; i < json_array_get_length (entries) && schedule_id == 0; i++)
    {
      JsonArray *schedules = json_object_get_array_member (
        json_array_get_object_element (entries, i), "schedule_backups");

      if (json_array_get_length (schedules) > 0)
        schedule_id
          = json_object_get_int_member (json_array_get_object_element (schedules, 0), "id");
    }
  g_assert_cmpint (schedule_id, >, 0);

  g_assert_true (gridpane_mock_set_schedule_time (mock, "t", schedule_id, 23, 59));
  {
    g_autoptr (GBytes) edited = gridpane_mock_render (mock, "t", "/backups/schedules");
    g_autofree char *text = g_strndup (g_bytes_get_data (edited, NULL), g_bytes_get_size (edited));
    g_autofree char *needle = g_strdup_printf ("\"id\":%" G_GINT64_FORMAT ",", schedule_id);
    const char      *at = strstr (text, needle);

    g_assert_nonnull (at);
    g_assert_true (strstr (at, "\"hour\":\"23\",\"minute\":\"59\"") != NULL
                   || strstr (at, "\"hour\":23,\"minute\":59") != NULL);
  }

  n = gridpane_mock_get_n_schedules (mock, "t");
  g_assert_true (gridpane_mock_remove_schedule (mock, "t", schedule_id));
  g_assert_false (gridpane_mock_remove_schedule (mock, "t", schedule_id));
  g_assert_cmpuint (gridpane_mock_get_n_schedules (mock, "t"), ==, n - 1);

  gridpane_mock_clear_fleet (mock, "t");
  g_assert_cmpuint (gridpane_mock_get_n_schedules (mock, "t"), ==, 0);
  g_assert_cmpuint (gridpane_mock_get_n_integrations (mock, "t"), ==, 0);
  {
    g_autoptr (GBytes) empty = gridpane_mock_render (mock, "t", "/backups/schedules");
    g_autoptr (GBytes) sites = gridpane_mock_render (mock, "t", "/site");
    g_autoptr (JsonNode) sites_root = parse_body (sites);
    JsonObject *meta = json_object_get_object_member (json_node_get_object (sites_root), "meta");

    g_assert_true (
      g_str_has_prefix (g_bytes_get_data (empty, NULL), "{\"success\":true,\"data\":[]"));
    g_assert_cmpint (json_object_get_int_member (meta, "total"), ==, 0);
    g_assert_cmpint (json_object_get_int_member (meta, "last_page"), ==, 1);
  }

  gridpane_mock_remove_account (mock, "t");
  g_assert_null (gridpane_mock_render (mock, "t", "/user"));
  g_assert_finalize_object (g_steal_pointer (&mock));
}

static void
test_isolation (void)
{
  GridpaneMockFleetOptions acme = { .seed = 1, .name_prefix = "acme" };
  GridpaneMockFleetOptions globex = { .seed = 1, .name_prefix = "globex" };
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GBytes) a = NULL;
  g_autoptr (GBytes) b = NULL;
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  const char *const tokens[] = { "a", "b" };

  gridpane_mock_add_account (mock, "a", &acme);
  gridpane_mock_add_account (mock, "b", &globex);
  a = render_all (mock, "a");
  b = render_all (mock, "b");
  g_assert_null (g_strstr_len (g_bytes_get_data (a, NULL), g_bytes_get_size (a), "globex"));
  g_assert_null (g_strstr_len (g_bytes_get_data (b, NULL), g_bytes_get_size (b), "acme"));

  /* Schedule and site ids of two accounts do not collide either. */
  for (guint t = 0; t < G_N_ELEMENTS (tokens); t++)
    {
      g_autoptr (GBytes) body = gridpane_mock_render (mock, tokens[t], "/backups/schedules");
      g_autoptr (JsonNode) root = parse_body (body);
      JsonArray *entries = json_object_get_array_member (json_node_get_object (root), "data");

      for (guint i = 0; i < json_array_get_length (entries); i++)
        {
          JsonObject *entry = json_array_get_object_element (entries, i);
          JsonArray  *schedules = json_object_get_array_member (entry, "schedule_backups");
          gint64      site_id = json_object_get_int_member (entry, "site_id");

          g_assert_false (g_hash_table_contains (ids, &site_id));
          g_hash_table_add (ids, g_memdup2 (&site_id, sizeof site_id));
          for (guint j = 0; j < json_array_get_length (schedules); j++)
            {
              gint64 id
                = json_object_get_int_member (json_array_get_object_element (schedules, j), "id");

              g_assert_false (g_hash_table_contains (ids, &id));
              g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
            }
        }
    }
  g_assert_finalize_object (g_steal_pointer (&mock));
}

static void
test_large_fleet (void)
{
  GridpaneMockFleetOptions options = {
    .seed = 42,
    .n_servers = 500,
    .n_sites = 25000,
    .n_integrations = 200,
    .name_prefix = "large",
  };
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GBytes) body = NULL;
  gint64 start = g_get_monotonic_time ();
  gint64 generated, rendered;

  gridpane_mock_add_account (mock, "t", &options);
  generated = g_get_monotonic_time () - start;
  body = gridpane_mock_render (mock, "t", "/backups/schedules");
  rendered = g_get_monotonic_time () - start - generated;

  g_test_message ("25,000 sites, %u schedules: generated in %.1f ms, rendered %.1f MB in %.1f ms",
                  gridpane_mock_get_n_schedules (mock, "t"), generated / 1000.0,
                  g_bytes_get_size (body) / 1e6, rendered / 1000.0);
  g_assert_cmpuint (gridpane_mock_get_n_sites (mock, "t"), ==, 25000);
  g_assert_cmpuint (gridpane_mock_get_n_servers (mock, "t"), ==, 500);
  g_assert_cmpuint (gridpane_mock_get_n_integrations (mock, "t"), ==, 200);
  g_assert_cmpuint (gridpane_mock_get_n_schedules (mock, "t"), >, 40000);
  /* Typically ~100 ms; the bound only catches quadratic blow-ups and
   * leaves room for sanitizer and valgrind runs. */
  g_assert_cmpint (generated + rendered, <, 30 * G_USEC_PER_SEC);
  g_assert_finalize_object (g_steal_pointer (&mock));
}

static void
test_restart (void)
{
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GError) error = NULL;
  g_autofree char *url = NULL;

  g_assert_null (gridpane_mock_get_base_url (mock));
  g_assert_true (gridpane_mock_start (mock, 0, &error));
  g_assert_no_error (error);
  url = gridpane_mock_get_base_url (mock);
  g_assert_true (g_str_has_prefix (url, "http://127.0.0.1:"));
  g_assert_true (g_str_has_suffix (url, "/oauth/api/v1"));
  g_assert_cmpuint (gridpane_mock_get_port (mock), >, 0);
  gridpane_mock_stop (mock);
  g_assert_null (gridpane_mock_get_base_url (mock));
  g_assert_true (gridpane_mock_start (mock, 0, &error));
  g_assert_no_error (error);
  g_assert_finalize_object (g_steal_pointer (&mock));
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

#define ADD(name, func)                                                                            \
  g_test_add ("/mock/" name, Fixture, NULL, fixture_set_up, func, fixture_tear_down)

  ADD ("unauthenticated", test_unauthenticated);
  ADD ("user", test_user);
  ADD ("pagination", test_pagination);
  ADD ("per-page-cap", test_per_page_cap);
  ADD ("schedules", test_schedules);
  ADD ("schedules-meta", test_schedules_meta);
  ADD ("integrations", test_integrations);
  ADD ("servers-and-sites", test_servers_and_sites_shape);
  ADD ("rate-limit/endpoint", test_rate_limit);
  ADD ("rate-limit/total", test_total_limit);
  ADD ("rate-limit/faults", test_rate_limit_faults);
  ADD ("fault/status-html", test_fault_status_html);
  ADD ("fault/bodies", test_fault_bodies);
  ADD ("fault/repeat-page", test_fault_repeat_page);
  ADD ("fault/reset", test_fault_reset);
  ADD ("fault/slow-body", test_fault_slow_body);
  ADD ("fault/slow-body-abandoned", test_fault_slow_body_abandoned);
  ADD ("fault/huge-body", test_fault_huge_body);
  ADD ("fault/scope", test_fault_scope);
  ADD ("latency", test_latency);
  ADD ("abandoned", test_abandoned_latency_and_reset);
  ADD ("stop-while-pending", test_stop_while_pending);
#undef ADD

  g_test_add_func ("/mock/mutate", test_mutate);
  g_test_add_func ("/mock/edit-and-clear", test_edit_and_clear);
  g_test_add_func ("/mock/isolation", test_isolation);
  g_test_add_func ("/mock/large-fleet", test_large_fleet);
  g_test_add_func ("/mock/restart", test_restart);

  return g_test_run ();
}
