/* SPDX-License-Identifier: GPL-3.0-or-later */
/* test-mock.c: the GridPane mock serves what it claims, checked with a plain
 * SoupSession and json-glib (not the project's parser): the shapes of
 * /work/shared/gridpane-api.md, and every knob of gridpane-mock.h. */
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

/* Members that only one of the two captured shapes has. */
static void
assert_compact_meta (JsonObject *object)
{
  JsonObject *meta = json_object_get_object_member (object, "meta");

  g_assert_false (json_object_has_member (object, "links"));
  g_assert_true (json_object_has_member (meta, "current_page"));
  g_assert_true (json_object_has_member (meta, "total_pages"));
  g_assert_true (json_object_has_member (meta, "total"));
  g_assert_cmpuint (json_object_get_size (meta), ==, 3);
}

static void
assert_laravel_meta (JsonObject *object)
{
  const char *const meta_members[]
    = { "current_page", "from", "last_page", "links", "path", "per_page", "to", "total" };
  const char *const link_members[] = { "first", "last", "prev", "next" };
  JsonObject       *meta = json_object_get_object_member (object, "meta");
  JsonObject       *links = json_object_get_object_member (object, "links");

  g_assert_nonnull (meta);
  g_assert_nonnull (links);
  for (guint i = 0; i < G_N_ELEMENTS (meta_members); i++)
    g_assert_true (json_object_has_member (meta, meta_members[i]));
  g_assert_cmpuint (json_object_get_size (meta), ==, G_N_ELEMENTS (meta_members));
  g_assert_true (JSON_NODE_HOLDS_ARRAY (json_object_get_member (meta, "links")));
  for (guint i = 0; i < G_N_ELEMENTS (link_members); i++)
    g_assert_true (json_object_has_member (links, link_members[i]));
}

/* Walks a list page by page: /site in the compact shape, /server in the
 * Laravel one, by default. */
static void
check_paginated (Fixture *fixture, const char *path, guint per_page, guint expected_total)
{
  g_autoptr (GHashTable) ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  gboolean compact = g_str_equal (path, "/site");
  guint    page = 1;
  guint    n_pages = 0;
  guint    last_page = 0;

  for (;;)
    {
      g_autofree char *query = per_page > 0
                                 ? g_strdup_printf ("%s?page=%u&per_page=%u", path, page, per_page)
                                 : g_strdup_printf ("%s?page=%u", path, page);
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, query);
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object, *meta, *links = NULL;
      JsonArray  *items;
      guint       expected_per_page = per_page > 0 ? per_page : 10;

      g_assert_cmpuint (status_of (fetch), ==, 200);
      root = parse_body (fetch->body);
      object = json_node_get_object (root);
      items = json_object_get_array_member (object, "data");
      meta = json_object_get_object_member (object, "meta");

      g_assert_cmpint (json_object_get_int_member (meta, "current_page"), ==, page);
      g_assert_cmpint (json_object_get_int_member (meta, "total"), ==, expected_total);
      if (compact)
        {
          assert_compact_meta (object);
          last_page = json_object_get_int_member (meta, "total_pages");
        }
      else
        {
          assert_laravel_meta (object);
          links = json_object_get_object_member (object, "links");
          last_page = json_object_get_int_member (meta, "last_page");
          g_assert_cmpint (json_object_get_int_member (meta, "per_page"), ==, expected_per_page);
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
        }
      g_assert_cmpuint (last_page, ==,
                        MAX (1, (expected_total + expected_per_page - 1) / expected_per_page));

      for (guint i = 0; i < json_array_get_length (items); i++)
        {
          gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");

          g_assert_false (g_hash_table_contains (ids, &id));
          g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
        }

      n_pages++;
      if (page >= last_page)
        {
          if (links != NULL)
            g_assert_true (json_object_get_null_member (links, "next"));
          break;
        }
      g_assert_cmpuint (json_array_get_length (items), ==, expected_per_page);
      if (links != NULL)
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
    if (!compact)
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
  /* The compact meta does not say the page size: only the pages tell. */
  g_assert_cmpint (
    json_object_get_int_member (json_object_get_object_member (object, "meta"), "total_pages"), ==,
    2);
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 25);

  gridpane_mock_set_max_per_page (fixture->mock, 2);
  {
    g_autoptr (Fetch) servers = fetch_path (fixture, TOKEN, "/server?per_page=500");
    g_autoptr (JsonNode) servers_root = parse_body (servers->body);
    JsonObject *meta = json_object_get_object_member (json_node_get_object (servers_root), "meta");

    g_assert_cmpint (json_object_get_int_member (meta, "per_page"), ==, 2);
    g_assert_cmpint (json_object_get_int_member (meta, "last_page"), ==, 3);
    g_assert_true (g_str_has_suffix (
      json_object_get_string_member (
        json_object_get_object_member (json_node_get_object (servers_root), "links"), "next"),
      "?page=2&per_page=2"));
  }
}

/* GridPane's ids of the storage kinds: 5 and 3 captured, 6 documented. */
static gint64
kind_id (const char *kind)
{
  static const struct
  {
    const char *kind;
    gint64      id;
  } kinds[] = { { "aws-s3", 5 }, { "backblaze", 3 }, { "wasabi", 6 }, { "dropbox", 2 } };

  for (guint i = 0; i < G_N_ELEMENTS (kinds); i++)
    if (g_str_equal (kind, kinds[i].kind))
      return kinds[i].id;
  return -1;
}

static gboolean
array_has_id (GArray *ids, gint64 id)
{
  for (guint i = 0; i < ids->len; i++)
    if (g_array_index (ids, gint64, i) == id)
      return TRUE;
  return FALSE;
}

/* Integration id → integrated_service. */
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
  guint             n_dangling = 0;
  guint             frequencies[4] = { 0 };
  const char *const frequency_names[] = { "hourly", "daily", "weekly", "monthly" };
  g_autoptr (GArray) dangling = NULL;

  gridpane_mock_add_account (fixture->mock, "big", &options);
  integrations = integration_ids (fixture, "big");
  dangling = gridpane_mock_get_dangling_schedules (fixture->mock, "big");
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
              g_assert_true (json_object_get_null_member (schedule, "service_user_id"));
            }
          else
            {
              gint64      service_id = json_object_get_int_member (schedule, "service_id");
              gint64      integration = json_object_get_int_member (schedule, "service_user_id");
              const char *kind = json_object_get_string_member (schedule, "service_name");

              g_assert_cmpstr (type, ==, "remote");
              n_remote++;
              /* service_id is the storage kind's id, never an integration's. */
              if (kind_id (kind) > 0)
                g_assert_cmpint (service_id, ==, kind_id (kind));
              g_assert_null (g_hash_table_lookup (integrations, &service_id));
              /* service_user_id names an integration of the account, of that
               * kind, unless the schedule is one of the dangling ones. */
              if (array_has_id (dangling, id))
                {
                  n_dangling++;
                  g_assert_null (g_hash_table_lookup (integrations, &integration));
                }
              else
                g_assert_cmpstr (g_hash_table_lookup (integrations, &integration), ==, kind);
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
  /* About one remote schedule in 40 names an integration that is gone. */
  g_assert_cmpuint (n_dangling, ==, dangling->len);
  g_assert_cmpuint (n_dangling, >=, 1);
  g_assert_cmpuint (n_dangling, <=, n_schedules / 30);
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

          const char *kind = json_object_get_string_member (item, "integrated_service");

          /* Integration ids are 4-digit and up, never a storage kind's id. */
          g_assert_cmpint (json_object_get_int_member (item, "id"), >=, 2700);
          if (kind_id (kind) > 0)
            g_assert_cmpint (json_object_get_int_member (item, "service_id"), ==, kind_id (kind));
          else
            g_assert_cmpint (json_object_get_int_member (item, "service_id"), >, 0);
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
  guint      n_missing_tz = 0, n_null_tz = 0, n_staging = 0, n_local_off = 0;
  guint      n_server_sites = 0;
  g_autoptr (GHashTable) zones = g_hash_table_new (g_str_hash, g_str_equal);
  /* Server id → its site ids, as /server names them. */
  g_autoptr (GHashTable) server_sites
    = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, (GDestroyNotify)g_array_unref);
  g_autoptr (GHashTable) tz_seen
    = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  gridpane_mock_add_account (fixture->mock, "delta", &options);
  servers = fetch_path (fixture, "delta", "/server?per_page=50");
  servers_root = parse_body (servers->body);
  assert_laravel_meta (json_node_get_object (servers_root));
  items = json_object_get_array_member (json_node_get_object (servers_root), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 12);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject       *server = json_array_get_object_element (items, i);
      const char *const fields[]
        = { "id",       "label",          "ip",       "region", "status", "webserver",
            "database", "update_backups", "provider", "sites" };
      JsonArray *names = json_object_get_array_member (server, "sites");
      GArray    *ids = g_array_new (FALSE, FALSE, sizeof (gint64));
      gint64     id = json_object_get_int_member (server, "id");

      for (guint f = 0; f < G_N_ELEMENTS (fields); f++)
        g_assert_true (json_object_has_member (server, fields[f]));
      /* Correction 2: the /server list carries no time zone. */
      g_assert_false (json_object_has_member (server, "server_timezone"));
      for (guint j = 0; j < json_array_get_length (names); j++)
        {
          JsonObject *named = json_array_get_object_element (names, j);
          gint64      site_id = json_object_get_int_member (named, "id");

          g_assert_nonnull (json_object_get_string_member (named, "url"));
          g_array_append_val (ids, site_id);
          n_server_sites++;
        }
      g_hash_table_insert (server_sites, g_memdup2 (&id, sizeof id), ids);
    }
  /* Staging and canary sites are named too: every site once. */
  g_assert_cmpuint (n_server_sites, ==, 120);

  sites = fetch_path (fixture, "delta", "/site?per_page=200");
  sites_root = parse_body (sites->body);
  assert_compact_meta (json_node_get_object (sites_root));
  items = json_object_get_array_member (json_node_get_object (sites_root), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 120);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *site = json_array_get_object_element (items, i);
      JsonObject *customizer = json_object_get_object_member (site, "site_customizer");
      JsonObject *server = json_object_get_object_member (site, "server");
      const char *type = json_object_get_string_member (site, "type");
      gint64      server_id = json_object_get_int_member (site, "server_id");
      gint64      site_id = json_object_get_int_member (site, "id");
      GArray     *named = g_hash_table_lookup (server_sites, &server_id);

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
      g_assert_cmpuint (strlen (json_object_get_string_member (customizer, "application_token")), >,
                        10);
      g_assert_nonnull (named);
      g_assert_true (array_has_id (named, site_id));

      /* Every site embeds its server: id, label, ip and the time zone,
       * which is sometimes null or missing. */
      g_assert_nonnull (server);
      g_assert_cmpint (json_object_get_int_member (server, "id"), ==, server_id);
      g_assert_nonnull (json_object_get_string_member (server, "label"));
      g_assert_nonnull (json_object_get_string_member (server, "ip"));
      if (g_hash_table_contains (tz_seen, &server_id))
        continue;
      g_hash_table_add (tz_seen, g_memdup2 (&server_id, sizeof server_id));
      if (!json_object_has_member (server, "server_timezone"))
        n_missing_tz++;
      else if (json_object_get_null_member (server, "server_timezone"))
        n_null_tz++;
      else
        g_hash_table_add (zones, (gpointer)g_intern_string (
                                   json_object_get_string_member (server, "server_timezone")));
    }
  g_assert_cmpuint (n_staging, >, 0);
  g_assert_cmpuint (n_local_off, >, 0);
  g_assert_cmpuint (n_missing_tz, >, 0);
  g_assert_cmpuint (n_null_tz, >, 0);
  g_assert_true (g_hash_table_contains (zones, "Etc/UTC"));
  g_assert_true (g_hash_table_contains (zones, "America/New_York"));
  g_assert_true (g_hash_table_contains (zones, "Europe/Berlin"));
  g_assert_true (g_hash_table_contains (zones, "Australia/Sydney"));
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

  gridpane_mock_set_fault (fixture->mock, TOKEN, "/server", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0,
                           0);
  page1 = fetch_path (fixture, TOKEN, "/server?page=1&per_page=2");
  page3 = fetch_path (fixture, TOKEN, "/server?page=3&per_page=2");
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
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "data")), ==, 2);

  /* /site in its compact shape: the same first page, said to be one of many. */
  gridpane_mock_set_fault (fixture->mock, TOKEN, "/site", GRIDPANE_MOCK_FAULT_REPEAT_PAGE, 0, 0, 0);
  {
    g_autoptr (Fetch) a = fetch_path (fixture, TOKEN, "/site?page=1&per_page=5");
    g_autoptr (Fetch) b = fetch_path (fixture, TOKEN, "/site?page=4&per_page=5");
    g_autoptr (JsonNode) site_root = parse_body (b->body);
    JsonObject *meta = json_object_get_object_member (json_node_get_object (site_root), "meta");

    g_assert_true (g_bytes_equal (a->body, b->body));
    g_assert_cmpint (json_object_get_int_member (meta, "current_page"), ==, 1);
    g_assert_cmpint (json_object_get_int_member (meta, "total_pages"), >=, 1000);
  }
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
    g_assert_cmpint (json_object_get_int_member (meta, "total_pages"), ==, 1);
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

/* Shapes and knobs of issue 11 ------------------------------------------- */

static JsonNode *
render_json (GridpaneMock *mock, const char *token, const char *path)
{
  g_autoptr (GBytes) body = gridpane_mock_render (mock, token, path);

  g_assert_nonnull (body);
  return parse_body (body);
}

/* The address of a next link, relative to the mock's base URL. */
static const char *
relative_link (Fixture *fixture, const char *url)
{
  g_assert_true (g_str_has_prefix (url, fixture->base_url));
  return url + strlen (fixture->base_url);
}

static void
add_ids (GHashTable *ids, JsonArray *items, const char *member)
{
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), member);

      g_assert_false (g_hash_table_contains (ids, &id));
      g_hash_table_add (ids, g_memdup2 (&id, sizeof id));
    }
}

/* Reads a whole list the way the shape allows, and returns its row ids. */
static GHashTable *
walk_list (Fixture *fixture, const char *path, GridpaneMockMetaShape shape, guint *n_requests)
{
  GHashTable      *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *next = g_strdup_printf ("%s?per_page=7", path);
  guint            page = 1;

  *n_requests = 0;
  while (next != NULL)
    {
      g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, next);
      g_autoptr (JsonNode) root = parse_body (fetch->body);
      JsonObject *object = json_node_get_object (root);
      JsonNode   *link = NULL;

      g_assert_cmpuint (status_of (fetch), ==, 200);
      (*n_requests)++;
      add_ids (ids, json_object_get_array_member (object, "data"), "id");
      g_clear_pointer (&next, g_free);

      switch (shape)
        {
        case GRIDPANE_MOCK_META_COMPACT:
          {
            JsonObject *meta = json_object_get_object_member (object, "meta");

            assert_compact_meta (object);
            g_assert_cmpint (json_object_get_int_member (meta, "current_page"), ==, page);
            if (page < json_object_get_int_member (meta, "total_pages"))
              next = g_strdup_printf ("%s?per_page=7&page=%u", path, ++page);
          }
          break;

        case GRIDPANE_MOCK_META_LARAVEL:
          assert_laravel_meta (object);
          link = json_object_get_member (json_object_get_object_member (object, "links"), "next");
          break;

        case GRIDPANE_MOCK_META_LINKS_ONLY:
          {
            JsonObject *links = json_object_get_object_member (object, "links");

            g_assert_false (json_object_has_member (object, "meta"));
            g_assert_cmpuint (json_object_get_size (links), ==, 1);
            link = json_object_get_member (links, "next");
          }
          break;

        case GRIDPANE_MOCK_META_NEXT_PAGE_URL:
          g_assert_false (json_object_has_member (object, "meta"));
          g_assert_false (json_object_has_member (object, "links"));
          link = json_object_get_member (object, "next_page_url");
          break;

        case GRIDPANE_MOCK_META_NONE:
        case GRIDPANE_MOCK_META_DEFAULT:
        default:
          g_assert_cmpuint (json_object_get_size (object), ==, 1);
          break;
        }

      if (link != NULL && !JSON_NODE_HOLDS_NULL (link))
        next = g_strdup (relative_link (fixture, json_node_get_string (link)));
      else
        g_assert_true (link == NULL || JSON_NODE_HOLDS_NULL (link));
    }
  return ids;
}

static void
test_meta_shapes (Fixture *fixture, gconstpointer data)
{
  const char *const paths[] = { "/site", "/server" };

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);

  for (guint p = 0; p < G_N_ELEMENTS (paths); p++)
    {
      guint n_rows = g_str_equal (paths[p], "/site")
                       ? gridpane_mock_get_n_sites (fixture->mock, TOKEN)
                       : gridpane_mock_get_n_servers (fixture->mock, TOKEN);

      for (GridpaneMockMetaShape shape = GRIDPANE_MOCK_META_COMPACT;
           shape <= GRIDPANE_MOCK_META_NONE; shape++)
        {
          g_autoptr (GHashTable) ids = NULL;
          guint n_requests;

          gridpane_mock_set_meta_shape (fixture->mock, TOKEN, paths[p], shape);
          ids = walk_list (fixture, paths[p], shape, &n_requests);
          g_assert_cmpuint (g_hash_table_size (ids), ==, n_rows);
          /* Pages of 7, except the unpaginated shape: one answer. */
          g_assert_cmpuint (n_requests, ==,
                            shape == GRIDPANE_MOCK_META_NONE ? 1 : (n_rows + 6) / 7);
        }

      /* The other account keeps the captured shape. */
      {
        g_autofree char *query = g_strdup_printf ("%s?per_page=7", paths[p]);
        g_autoptr (Fetch) other = fetch_path (fixture, OTHER_TOKEN, query);
        g_autoptr (JsonNode) root = parse_body (other->body);

        if (p == 0)
          assert_compact_meta (json_node_get_object (root));
        else
          assert_laravel_meta (json_node_get_object (root));
      }

      /* DEFAULT is the captured shape again; served is what is rendered. */
      gridpane_mock_set_meta_shape (fixture->mock, TOKEN, paths[p], GRIDPANE_MOCK_META_DEFAULT);
      {
        g_autofree char *query = g_strdup_printf ("%s?per_page=7&page=2", paths[p]);
        g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, query);
        g_autoptr (GBytes) rendered = gridpane_mock_render (fixture->mock, TOKEN, query);
        g_autoptr (JsonNode) root = parse_body (fetch->body);

        g_assert_true (g_bytes_equal (fetch->body, rendered));
        if (p == 0)
          assert_compact_meta (json_node_get_object (root));
        else
          assert_laravel_meta (json_node_get_object (root));
      }
    }
}

/* meta.links: "« Previous", the pages Laravel's window shows, "Next »". */
static void
check_meta_links (GridpaneMock *mock, guint page, guint expected_length, guint expected_dots)
{
  g_autofree char *query = g_strdup_printf ("/server?per_page=1&page=%u", page);
  g_autoptr (JsonNode) root = render_json (mock, "t", query);
  JsonObject *meta = json_object_get_object_member (json_node_get_object (root), "meta");
  JsonArray  *links = json_object_get_array_member (meta, "links");
  guint       n = json_array_get_length (links);
  guint       n_dots = 0;
  guint       n_active = 0;
  JsonObject *first = json_array_get_object_element (links, 0);
  JsonObject *last = json_array_get_object_element (links, n - 1);

  g_assert_cmpuint (n, ==, expected_length);
  g_assert_cmpstr (json_object_get_string_member (first, "label"), ==, "&laquo; Previous");
  g_assert_cmpstr (json_object_get_string_member (last, "label"), ==, "Next &raquo;");
  g_assert_cmpint (JSON_NODE_HOLDS_NULL (json_object_get_member (first, "url")), ==, page == 1);
  g_assert_cmpint (JSON_NODE_HOLDS_NULL (json_object_get_member (last, "url")), ==,
                   page == json_object_get_int_member (meta, "last_page"));
  for (guint i = 1; i + 1 < n; i++)
    {
      JsonObject *link = json_array_get_object_element (links, i);
      const char *label = json_object_get_string_member (link, "label");

      if (g_str_equal (label, "..."))
        {
          n_dots++;
          g_assert_true (JSON_NODE_HOLDS_NULL (json_object_get_member (link, "url")));
          continue;
        }
      {
        g_autofree char *suffix = g_strdup_printf ("?page=%s&per_page=1", label);

        g_assert_true (g_str_has_suffix (json_object_get_string_member (link, "url"), suffix));
      }
      if (json_object_get_boolean_member (link, "active"))
        {
          n_active++;
          g_assert_cmpuint (g_ascii_strtoull (label, NULL, 10), ==, page);
        }
    }
  g_assert_cmpuint (n_active, ==, 1);
  g_assert_cmpuint (n_dots, ==, expected_dots);
}

static void
test_laravel_meta_links (void)
{
  GridpaneMockFleetOptions options = { .seed = 2, .n_servers = 40, .name_prefix = "links" };
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();

  gridpane_mock_add_account (mock, "t", &options);
  /* 40 pages: 1–10 … 39 40; 1 2 … 17–23 … 39 40; 1 2 … 31–40. */
  check_meta_links (mock, 1, 15, 1);
  check_meta_links (mock, 20, 15, 2);
  check_meta_links (mock, 40, 15, 1);
  /* Few pages: all of them. */
  gridpane_mock_clear_fleet (mock, "t");
  options.n_servers = 3;
  gridpane_mock_add_account (mock, "t", &options);
  check_meta_links (mock, 2, 5, 0);
  g_assert_finalize_object (g_steal_pointer (&mock));
}

/* service_user_id → whether it names an integration; counts the remote
 * schedules of the dangling ones, and checks every other. */
static guint
check_service_user_ids (GridpaneMock *mock, const char *token, GArray *dangling)
{
  g_autoptr (JsonNode) schedules = render_json (mock, token, "/backups/schedules");
  g_autoptr (JsonNode) integrations = render_json (mock, token, "/backups/integrations");
  g_autoptr (GHashTable) kinds = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  JsonArray *items
    = json_object_get_array_member (json_node_get_object (integrations), "integrations");
  JsonArray *entries = json_object_get_array_member (json_node_get_object (schedules), "data");
  guint      n_dangling = 0;

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      JsonObject *item = json_array_get_object_element (items, i);
      gint64      id = json_object_get_int_member (item, "id");

      g_hash_table_insert (kinds, g_memdup2 (&id, sizeof id),
                           (gpointer)json_object_get_string_member (item, "integrated_service"));
    }

  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonArray *list = json_object_get_array_member (json_array_get_object_element (entries, i),
                                                      "schedule_backups");

      for (guint j = 0; j < json_array_get_length (list); j++)
        {
          JsonObject *schedule = json_array_get_object_element (list, j);
          gint64      id = json_object_get_int_member (schedule, "id");
          gint64      integration;

          if (g_str_equal (json_object_get_string_member (schedule, "type"), "local"))
            continue;
          integration = json_object_get_int_member (schedule, "service_user_id");
          if (array_has_id (dangling, id))
            {
              n_dangling++;
              g_assert_false (g_hash_table_contains (kinds, &integration));
              g_assert_cmpint (integration, >=, 1000);
            }
          else
            g_assert_cmpstr (g_hash_table_lookup (kinds, &integration), ==,
                             json_object_get_string_member (schedule, "service_name"));
        }
    }
  return n_dangling;
}

static void
test_dangling_integration (void)
{
  GridpaneMockFleetOptions small = { .seed = 1, .n_sites = 3, .name_prefix = "small" };
  g_autoptr (GridpaneMock) mock = gridpane_mock_new ();
  g_autoptr (GArray) dangling = NULL;
  g_autoptr (GArray) none = NULL;
  g_autoptr (GArray) marked = NULL;

  /* The default fleet: one remote schedule of its ~35 names no integration. */
  gridpane_mock_add_account (mock, "t", NULL);
  dangling = gridpane_mock_get_dangling_schedules (mock, "t");
  g_assert_cmpuint (dangling->len, ==, 1);
  g_assert_cmpuint (check_service_user_ids (mock, "t", dangling), ==, 1);

  /* Off: the same schedule names its integration again. */
  gridpane_mock_set_dangling_integration (mock, "t", FALSE);
  none = gridpane_mock_get_dangling_schedules (mock, "t");
  g_assert_cmpuint (none->len, ==, 0);
  g_assert_cmpuint (check_service_user_ids (mock, "t", none), ==, 0);
  gridpane_mock_set_dangling_integration (mock, "t", TRUE);
  {
    g_autoptr (GArray) again = gridpane_mock_get_dangling_schedules (mock, "t");

    g_assert_cmpuint (again->len, ==, 1);
    g_assert_cmpint (g_array_index (again, gint64, 0), ==, g_array_index (dangling, gint64, 0));
  }

  /* A fleet too small for one: asking marks its first remote schedule. */
  gridpane_mock_add_account (mock, "s", &small);
  {
    g_autoptr (GArray) before = gridpane_mock_get_dangling_schedules (mock, "s");

    g_assert_cmpuint (before->len, ==, 0);
  }
  gridpane_mock_set_dangling_integration (mock, "s", TRUE);
  marked = gridpane_mock_get_dangling_schedules (mock, "s");
  g_assert_cmpuint (marked->len, ==, 1);
  g_assert_cmpuint (check_service_user_ids (mock, "s", marked), ==, 1);

  g_assert_finalize_object (g_steal_pointer (&mock));
}

/* Every row of the account: each schedule of /backups/schedules, then each
 * item of /site, with the ids that name it (schedule 0 for a site). */
typedef struct
{
  GPtrArray *nodes;
  GArray    *site_ids;
  GArray    *schedule_ids;
  JsonNode  *schedules_root;
  JsonNode  *integrations_root;
} Rows;

static void
rows_free (Rows *rows)
{
  g_ptr_array_unref (rows->nodes);
  g_array_unref (rows->site_ids);
  g_array_unref (rows->schedule_ids);
  json_node_unref (rows->schedules_root);
  json_node_unref (rows->integrations_root);
  g_free (rows);
}

G_DEFINE_AUTOPTR_CLEANUP_FUNC (Rows, rows_free)

static void
rows_add (Rows *rows, JsonNode *node, gint64 site_id, gint64 schedule_id)
{
  g_ptr_array_add (rows->nodes, json_node_copy (node));
  g_array_append_val (rows->site_ids, site_id);
  g_array_append_val (rows->schedule_ids, schedule_id);
}

static Rows *
collect_rows (GridpaneMock *mock, const char *token)
{
  Rows *rows = g_new0 (Rows, 1);
  g_autoptr (JsonNode) sites = render_json (mock, token, "/site?per_page=300");
  JsonArray *entries;
  JsonArray *items;

  rows->nodes = g_ptr_array_new_with_free_func ((GDestroyNotify)json_node_unref);
  rows->site_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  rows->schedule_ids = g_array_new (FALSE, FALSE, sizeof (gint64));
  rows->schedules_root = render_json (mock, token, "/backups/schedules");
  rows->integrations_root = render_json (mock, token, "/backups/integrations");

  entries = json_object_get_array_member (json_node_get_object (rows->schedules_root), "data");
  for (guint i = 0; i < json_array_get_length (entries); i++)
    {
      JsonObject *entry = json_array_get_object_element (entries, i);
      JsonArray  *list = json_object_get_array_member (entry, "schedule_backups");

      for (guint j = 0; j < json_array_get_length (list); j++)
        rows_add (rows, json_array_get_element (list, j),
                  json_object_get_int_member (entry, "site_id"),
                  json_object_get_int_member (json_array_get_object_element (list, j), "id"));
    }
  items = json_object_get_array_member (json_node_get_object (sites), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, gridpane_mock_get_n_sites (mock, token));
  for (guint i = 0; i < json_array_get_length (items); i++)
    rows_add (rows, json_array_get_element (items, i),
              json_object_get_int_member (json_array_get_object_element (items, i), "id"), 0);
  return rows;
}

/* The indices of the rows that differ from the plain account's. */
static GArray *
changed_rows (Rows *plain, Rows *odd)
{
  GArray *changed = g_array_new (FALSE, FALSE, sizeof (guint));

  g_assert_cmpuint (plain->nodes->len, ==, odd->nodes->len);
  for (guint i = 0; i < plain->nodes->len; i++)
    {
      g_assert_cmpint (g_array_index (plain->site_ids, gint64, i), ==,
                       g_array_index (odd->site_ids, gint64, i));
      g_assert_cmpint (g_array_index (plain->schedule_ids, gint64, i), ==,
                       g_array_index (odd->schedule_ids, gint64, i));
      if (!json_node_equal (g_ptr_array_index (plain->nodes, i), g_ptr_array_index (odd->nodes, i)))
        g_array_append_val (changed, i);
    }
  return changed;
}

static const char *
string_or_null (JsonObject *object, const char *member)
{
  JsonNode *node = json_object_get_member (object, member);

  g_assert_nonnull (node);
  return JSON_NODE_HOLDS_NULL (node) ? NULL : json_node_get_string (node);
}

/* The odd value is there, and only the members it names changed. */
static void
check_odd_value (GridpaneMockOdd odd, JsonObject *plain, JsonObject *row)
{
  g_autoptr (GList) members = json_object_get_members (plain);
  const char *const       *changed = NULL;
  static const char *const frequency[] = { "bup_schedule", NULL };
  static const char *const monthly[] = { "bup_schedule", "day", NULL };
  static const char *const hour[] = { "hour", NULL };
  static const char *const time[] = { "hour", "minute", NULL };
  static const char *const customizer[] = { "site_customizer", NULL };
  static const char *const flag[] = { "local_bup", NULL };

  switch (odd)
    {
    case GRIDPANE_MOCK_ODD_MONTHLY_DAY_31:
      g_assert_cmpstr (json_object_get_string_member (row, "bup_schedule"), ==, "monthly");
      g_assert_cmpint (json_int_or_string (row, "day"), ==, 31);
      changed = monthly;
      break;
    case GRIDPANE_MOCK_ODD_FREQUENCY_CASE:
      g_assert_cmpstr (json_object_get_string_member (row, "bup_schedule"), ==, "Daily");
      changed = frequency;
      break;
    case GRIDPANE_MOCK_ODD_HOUR_24:
      g_assert_cmpint (json_int_or_string (row, "hour"), ==, 24);
      changed = hour;
      break;
    case GRIDPANE_MOCK_ODD_NULL_FREQUENCY:
      g_assert_null (string_or_null (row, "bup_schedule"));
      changed = frequency;
      break;
    case GRIDPANE_MOCK_ODD_EMPTY_CUSTOMIZER:
      {
        JsonNode *node = json_object_get_member (row, "site_customizer");

        g_assert_true (JSON_NODE_HOLDS_ARRAY (node));
        g_assert_cmpuint (json_array_get_length (json_node_get_array (node)), ==, 0);
        changed = customizer;
      }
      break;
    case GRIDPANE_MOCK_ODD_FLAG_WORD:
      g_assert_cmpstr (json_object_get_string_member (row, "local_bup"), ==, "enabled");
      changed = flag;
      break;
    case GRIDPANE_MOCK_ODD_NULL_TIME:
      g_assert_cmpstr (json_object_get_string_member (row, "bup_schedule"), ==, "daily");
      g_assert_null (string_or_null (row, "hour"));
      g_assert_null (string_or_null (row, "minute"));
      changed = time;
      break;
    case GRIDPANE_MOCK_ODD_MISSING_FLAG:
      g_assert_false (json_object_has_member (row, "local_bup"));
      changed = flag;
      break;
    case GRIDPANE_MOCK_ODD_SUCCESS_STRING:
    default:
      g_assert_not_reached ();
    }

  for (GList *l = members; l != NULL; l = l->next)
    {
      const char *member = l->data;

      if (g_strv_contains (changed, member))
        continue;
      g_assert_true (json_object_has_member (row, member));
      g_assert_true (json_node_equal (json_object_get_member (plain, member),
                                      json_object_get_member (row, member)));
    }
}

static void
test_odd_values (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Rows) plain = collect_rows (fixture->mock, TOKEN);
  g_autoptr (GHashTable) odd_sites
    = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);

  g_assert_false (
    gridpane_mock_get_odd_row (fixture->mock, TOKEN, GRIDPANE_MOCK_ODD_HOUR_24, NULL, NULL));

  for (guint bit = 0; bit < 9; bit++)
    {
      GridpaneMockOdd odd = 1u << bit;
      g_autoptr (Rows) rows = NULL;
      g_autoptr (GArray) changed = NULL;
      gint64 site_id = -1, schedule_id = -1;
      guint  index;

      gridpane_mock_set_odd_values (fixture->mock, TOKEN, odd);
      rows = collect_rows (fixture->mock, TOKEN);
      changed = changed_rows (plain, rows);
      g_assert_true (gridpane_mock_get_odd_row (fixture->mock, TOKEN, odd, &site_id, &schedule_id));

      if (odd == GRIDPANE_MOCK_ODD_SUCCESS_STRING)
        {
          /* The body, not a row: "success" is the string "false". */
          g_assert_cmpuint (changed->len, ==, 0);
          g_assert_cmpint (site_id, ==, 0);
          g_assert_cmpint (schedule_id, ==, 0);
          g_assert_cmpstr (
            json_object_get_string_member (json_node_get_object (rows->schedules_root), "success"),
            ==, "false");
          g_assert_cmpstr (json_object_get_string_member (
                             json_node_get_object (rows->integrations_root), "success"),
                           ==, "false");
          continue;
        }

      g_assert_true (
        json_object_get_boolean_member (json_node_get_object (rows->schedules_root), "success"));
      /* Exactly one row of the account, the one the mock names. */
      g_assert_cmpuint (changed->len, ==, 1);
      index = g_array_index (changed, guint, 0);
      g_assert_cmpint (g_array_index (rows->site_ids, gint64, index), ==, site_id);
      g_assert_cmpint (g_array_index (rows->schedule_ids, gint64, index), ==, schedule_id);
      g_assert_cmpint (site_id, >, 0);
      g_test_message ("odd value %u: site %" G_GINT64_FORMAT ", schedule %" G_GINT64_FORMAT, odd,
                      site_id, schedule_id);
      check_odd_value (odd, json_node_get_object (g_ptr_array_index (plain->nodes, index)),
                       json_node_get_object (g_ptr_array_index (rows->nodes, index)));
    }

  /* All at once: the same rows, each on a site of its own, and the other
   * account untouched. */
  gridpane_mock_set_odd_values (fixture->mock, TOKEN, 0x1ff);
  {
    g_autoptr (Rows) rows = collect_rows (fixture->mock, TOKEN);
    g_autoptr (GArray) changed = changed_rows (plain, rows);
    g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, "/backups/schedules");
    g_autoptr (GBytes) rendered = gridpane_mock_render (fixture->mock, TOKEN, "/backups/schedules");

    g_assert_cmpuint (changed->len, ==, 8);
    for (guint bit = 0; bit < 8; bit++)
      {
        gint64 site_id, schedule_id;

        g_assert_true (
          gridpane_mock_get_odd_row (fixture->mock, TOKEN, 1u << bit, &site_id, &schedule_id));
        g_assert_false (g_hash_table_contains (odd_sites, &site_id));
        g_hash_table_add (odd_sites, g_memdup2 (&site_id, sizeof site_id));
      }
    g_assert_true (g_bytes_equal (fetch->body, rendered));
  }
  {
    g_autoptr (Fetch) other = fetch_path (fixture, OTHER_TOKEN, "/backups/schedules");
    g_autoptr (JsonNode) root = parse_body (other->body);

    g_assert_true (json_object_get_boolean_member (json_node_get_object (root), "success"));
    g_assert_false (gridpane_mock_get_odd_row (fixture->mock, OTHER_TOKEN,
                                               GRIDPANE_MOCK_ODD_NULL_TIME, NULL, NULL));
  }

  gridpane_mock_set_odd_values (fixture->mock, TOKEN, 0);
  {
    g_autoptr (Rows) rows = collect_rows (fixture->mock, TOKEN);
    g_autoptr (GArray) changed = changed_rows (plain, rows);

    g_assert_cmpuint (changed->len, ==, 0);
  }
}

static JsonObject *
fetch_object (Fixture *fixture, const char *query, JsonNode **root)
{
  g_autoptr (Fetch) fetch = fetch_path (fixture, TOKEN, query);
  g_autoptr (GBytes) rendered = gridpane_mock_render (fixture->mock, TOKEN, query);

  g_assert_cmpuint (status_of (fetch), ==, 200);
  g_assert_true (g_bytes_equal (fetch->body, rendered));
  *root = parse_body (fetch->body);
  return json_node_get_object (*root);
}

static guint
data_length (JsonObject *object, const char *member)
{
  return json_array_get_length (json_object_get_array_member (object, member));
}

static gint64
meta_int (JsonObject *object, const char *member)
{
  return json_object_get_int_member (json_object_get_object_member (object, "meta"), member);
}

static void
test_total_extra (Fixture *fixture, gconstpointer data)
{
  guint n_sites = gridpane_mock_get_n_sites (fixture->mock, TOKEN);
  guint n_servers = gridpane_mock_get_n_servers (fixture->mock, TOKEN);

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  gridpane_mock_set_total_extra (fixture->mock, TOKEN, "/site", 3);
  gridpane_mock_set_total_extra (fixture->mock, TOKEN, "/server", 2);
  gridpane_mock_set_total_extra (fixture->mock, TOKEN, "/backups/schedules", 5);

  /* Compact: total says 3 more; the pages are those of the real rows. */
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/site?per_page=7", &root);

    g_assert_cmpint (meta_int (object, "total"), ==, n_sites + 3);
    g_assert_cmpint (meta_int (object, "total_pages"), ==, (n_sites + 6) / 7);
    g_assert_cmpuint (data_length (object, "data"), ==, 7);
  }
  {
    guint n_requests;
    g_autoptr (GHashTable) ids
      = walk_list (fixture, "/site", GRIDPANE_MOCK_META_COMPACT, &n_requests);

    g_assert_cmpuint (g_hash_table_size (ids), ==, n_sites);
  }
  /* Laravel. */
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/server?per_page=300", &root);

    g_assert_cmpint (meta_int (object, "total"), ==, n_servers + 2);
    g_assert_cmpint (meta_int (object, "last_page"), ==, 1);
    g_assert_cmpint (meta_int (object, "to"), ==, n_servers);
    g_assert_cmpuint (data_length (object, "data"), ==, n_servers);
  }
  /* The one-piece schedules meta. */
  gridpane_mock_set_schedules_meta (fixture->mock, TOKEN, TRUE);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/backups/schedules", &root);

    g_assert_cmpint (meta_int (object, "total"), ==, n_sites + 5);
    g_assert_cmpuint (data_length (object, "data"), ==, n_sites);
  }
  /* Other accounts and lists are not touched. */
  {
    g_autoptr (Fetch) other = fetch_path (fixture, OTHER_TOKEN, "/site?per_page=300");
    g_autoptr (JsonNode) root = parse_body (other->body);

    g_assert_cmpint (meta_int (json_node_get_object (root), "total"), ==,
                     gridpane_mock_get_n_sites (fixture->mock, OTHER_TOKEN));
  }
  gridpane_mock_set_total_extra (fixture->mock, TOKEN, "/site", 0);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/site?per_page=7", &root);

    g_assert_cmpint (meta_int (object, "total"), ==, n_sites);
  }
}

static void
test_short_last_page (Fixture *fixture, gconstpointer data)
{
  guint n_sites = gridpane_mock_get_n_sites (fixture->mock, TOKEN);
  guint n_servers = gridpane_mock_get_n_servers (fixture->mock, TOKEN);

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  gridpane_mock_set_short_last_page (fixture->mock, TOKEN, "/site", TRUE);
  gridpane_mock_set_short_last_page (fixture->mock, TOKEN, "/server", TRUE);

  /* The only page, with half of the rows; total is the real count. */
  for (guint i = 0; i < 2; i++)
    {
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object
        = fetch_object (fixture, i == 0 ? "/site?per_page=300" : "/site?per_page=7", &root);

      assert_compact_meta (object);
      g_assert_cmpint (meta_int (object, "current_page"), ==, 1);
      g_assert_cmpint (meta_int (object, "total_pages"), ==, 1);
      g_assert_cmpint (meta_int (object, "total"), ==, n_sites);
      g_assert_cmpuint (data_length (object, "data"), ==, n_sites / 2);
    }
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/server?per_page=300", &root);

    g_assert_cmpint (meta_int (object, "last_page"), ==, 1);
    g_assert_cmpint (meta_int (object, "total"), ==, n_servers);
    g_assert_true (
      json_object_get_null_member (json_object_get_object_member (object, "links"), "next"));
    g_assert_cmpuint (data_length (object, "data"), ==, n_servers / 2);
  }
  /* Paged schedules too. */
  gridpane_mock_set_list_page_size (fixture->mock, TOKEN, "/backups/schedules", 7);
  gridpane_mock_set_short_last_page (fixture->mock, TOKEN, "/backups/schedules", TRUE);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/backups/schedules", &root);

    g_assert_cmpint (meta_int (object, "last_page"), ==, 1);
    g_assert_cmpint (meta_int (object, "total"), ==, n_sites);
    g_assert_cmpuint (data_length (object, "data"), ==, n_sites / 2);
  }

  gridpane_mock_set_short_last_page (fixture->mock, TOKEN, "/site", FALSE);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/site?per_page=300", &root);

    g_assert_cmpuint (data_length (object, "data"), ==, n_sites);
  }
}

static void
test_empty_page (Fixture *fixture, gconstpointer data)
{
  guint n_sites = gridpane_mock_get_n_sites (fixture->mock, TOKEN);

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  gridpane_mock_set_empty_page (fixture->mock, TOKEN, "/site", 2);
  gridpane_mock_set_empty_page (fixture->mock, TOKEN, "/server", 1);

  for (guint page = 1; page <= 4; page++)
    {
      g_autofree char *query = g_strdup_printf ("/site?per_page=10&page=%u", page);
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object = fetch_object (fixture, query, &root);

      /* The meta still says there are more pages. */
      g_assert_cmpint (meta_int (object, "total_pages"), ==, (n_sites + 9) / 10);
      g_assert_cmpint (meta_int (object, "total"), ==, n_sites);
      g_assert_cmpuint (data_length (object, "data"), ==, page == 2 ? 0 : 10);
    }
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/server?per_page=2", &root);

    g_assert_cmpuint (data_length (object, "data"), ==, 0);
    g_assert_cmpint (meta_int (object, "last_page"), ==, 3);
    g_assert_nonnull (
      json_object_get_string_member (json_object_get_object_member (object, "links"), "next"));
  }
  gridpane_mock_set_empty_page (fixture->mock, TOKEN, "/site", 0);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/site?per_page=10&page=2", &root);

    g_assert_cmpuint (data_length (object, "data"), ==, 10);
  }
}

/* Follows links.next of a paged /backups list, checking each page. */
static GHashTable *
walk_backups_list (Fixture    *fixture,
                   const char *path,
                   const char *member,
                   const char *id_member,
                   guint       page_size,
                   guint       n_rows,
                   guint      *n_items)
{
  GHashTable      *ids = g_hash_table_new_full (g_int64_hash, g_int64_equal, g_free, NULL);
  g_autofree char *next = g_strdup (path);
  guint            page = 1;
  guint            last_page = MAX (1, (n_rows + page_size - 1) / page_size);

  *n_items = 0;
  while (next != NULL)
    {
      g_autoptr (JsonNode) root = NULL;
      JsonObject *object = fetch_object (fixture, next, &root);
      JsonArray  *items = json_object_get_array_member (object, member);
      JsonNode   *link
        = json_object_get_member (json_object_get_object_member (object, "links"), "next");

      g_assert_true (json_object_get_boolean_member (object, "success"));
      assert_laravel_meta (object);
      g_assert_cmpint (meta_int (object, "current_page"), ==, page);
      g_assert_cmpint (meta_int (object, "last_page"), ==, last_page);
      g_assert_cmpint (meta_int (object, "per_page"), ==, page_size);
      g_assert_cmpint (meta_int (object, "total"), ==, n_rows);
      g_assert_cmpuint (json_array_get_length (items), ==,
                        page < last_page ? page_size : n_rows - (last_page - 1) * page_size);
      add_ids (ids, items, id_member);
      if (g_str_equal (member, "data"))
        for (guint i = 0; i < json_array_get_length (items); i++)
          *n_items += json_array_get_length (json_object_get_array_member (
            json_array_get_object_element (items, i), "schedule_backups"));
      else
        *n_items += json_array_get_length (items);

      g_clear_pointer (&next, g_free);
      if (!JSON_NODE_HOLDS_NULL (link))
        next = g_strdup (relative_link (fixture, json_node_get_string (link)));
      else
        g_assert_cmpuint (page, ==, last_page);
      page++;
    }
  return ids;
}

static void
test_list_pagination (Fixture *fixture, gconstpointer data)
{
  guint n_sites = gridpane_mock_get_n_sites (fixture->mock, TOKEN);
  guint n_integrations = gridpane_mock_get_n_integrations (fixture->mock, TOKEN);
  guint n_items;

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  gridpane_mock_set_list_page_size (fixture->mock, TOKEN, "/backups/schedules", 7);
  gridpane_mock_set_list_page_size (fixture->mock, TOKEN, "/backups/integrations", 4);

  {
    g_autoptr (GHashTable) sites
      = walk_backups_list (fixture, "/backups/schedules", "data", "site_id", 7, n_sites, &n_items);

    g_assert_cmpuint (g_hash_table_size (sites), ==, n_sites);
    g_assert_cmpuint (n_items, ==, gridpane_mock_get_n_schedules (fixture->mock, TOKEN));
  }
  {
    g_autoptr (GHashTable) integrations = walk_backups_list (
      fixture, "/backups/integrations", "integrations", "id", 4, n_integrations, &n_items);

    g_assert_cmpuint (g_hash_table_size (integrations), ==, n_integrations);
  }

  /* No page is page 1; per_page is the server's to choose. */
  {
    g_autoptr (GBytes) bare = gridpane_mock_render (fixture->mock, TOKEN, "/backups/schedules");
    g_autoptr (GBytes) first
      = gridpane_mock_render (fixture->mock, TOKEN, "/backups/schedules?page=1&per_page=100");

    g_assert_true (g_bytes_equal (bare, first));
  }

  /* Another shape on the paged list. */
  gridpane_mock_set_meta_shape (fixture->mock, TOKEN, "/backups/schedules",
                                GRIDPANE_MOCK_META_COMPACT);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/backups/schedules?page=2", &root);

    g_assert_true (json_object_get_boolean_member (object, "success"));
    g_assert_cmpint (meta_int (object, "current_page"), ==, 2);
    g_assert_cmpint (meta_int (object, "total_pages"), ==, (n_sites + 6) / 7);
    g_assert_false (json_object_has_member (object, "links"));
  }

  /* Page size 0: one piece again, with the one-page meta of
   * gridpane_mock_set_schedules_meta. */
  gridpane_mock_set_list_page_size (fixture->mock, TOKEN, "/backups/schedules", 0);
  gridpane_mock_set_schedules_meta (fixture->mock, TOKEN, TRUE);
  {
    g_autoptr (JsonNode) root = NULL;
    JsonObject *object = fetch_object (fixture, "/backups/schedules?page=2", &root);

    g_assert_cmpuint (data_length (object, "data"), ==, n_sites);
    g_assert_cmpint (meta_int (object, "last_page"), ==, 1);
    g_assert_cmpint (meta_int (object, "total"), ==, n_sites);
  }
  /* The other account answers in one piece. */
  {
    g_autoptr (Fetch) other = fetch_path (fixture, OTHER_TOKEN, "/backups/integrations?page=2");
    g_autoptr (JsonNode) root = parse_body (other->body);

    g_assert_cmpuint (data_length (json_node_get_object (root), "integrations"), ==,
                      gridpane_mock_get_n_integrations (fixture->mock, OTHER_TOKEN));
    g_assert_false (json_object_has_member (json_node_get_object (root), "meta"));
  }
}

/* Restore points ---------------------------------------------------------- */

/* The names of one source's "automatic" or "manual" string: split on commas
 * and trimmed, as gridpane-api.md says a client must read them. */
static GPtrArray *
split_names (JsonObject *source, const char *member)
{
  GPtrArray *names = g_ptr_array_new_with_free_func (g_free);
  g_auto (GStrv) parts = g_strsplit (json_object_get_string_member (source, member), ",", -1);

  for (guint i = 0; parts[i] != NULL; i++)
    {
      char *name = g_strstrip (g_strdup (parts[i]));

      if (*name != '\0')
        g_ptr_array_add (names, name);
      else
        g_free (name);
    }
  return names;
}

/* The newest of `names` that read as "YYYY-MM-DD HH:MM" (wall-clock, as
 * text: they sort as they read); NULL when none does. */
static const char *
newest_name (GPtrArray *names, guint *n_unreadable)
{
  const char *newest = NULL;

  for (guint i = 0; i < names->len; i++)
    {
      const char *name = g_ptr_array_index (names, i);

      if (strlen (name) < 16 || name[4] != '-' || name[10] != ' ' || name[13] != ':')
        {
          (*n_unreadable)++;
          continue;
        }
      if (newest == NULL || strncmp (name, newest, 16) > 0)
        newest = name;
    }
  return newest;
}

/* Every site has a record in the documented shape: comma-separated names
 * per source, "local" and storage kinds; some sites have none, some stopped
 * days ago, some hold manual points with tags and a name that does not
 * parse; hourly sites hold hundreds of names. */
static void
test_restore_points (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) sites = NULL;
  g_autoptr (JsonNode) root = NULL;
  g_autoptr (GDateTime) now = g_date_time_new_now_utc ();
  g_autoptr (GDateTime) two_days_ago = g_date_time_add_days (now, -2);
  g_autofree char *stale = g_date_time_format (two_days_ago, "%Y-%m-%d %H:%M");
  JsonArray *items;
  guint      n_empty = 0, n_stale = 0, n_tagged = 0, n_unreadable = 0, most = 0, n_remote = 0;

  GridpaneMockFleetOptions options = { .seed = 9, .n_sites = 200, .name_prefix = "gamma" };

  gridpane_mock_add_account (fixture->mock, "restore-token", &options);
  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  sites = fetch_path (fixture, "restore-token", "/site?per_page=300");
  root = parse_body (sites->body);
  items = json_object_get_array_member (json_node_get_object (root), "data");
  g_assert_cmpuint (json_array_get_length (items), ==, 200);

  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");
      g_autofree char *path = g_strdup_printf ("/backups/original/%" G_GINT64_FORMAT, id);
      g_autoptr (Fetch) fetch = fetch_path (fixture, "restore-token", path);
      g_autoptr (JsonNode) body = NULL;
      JsonNode *backups;
      g_autofree char *newest = NULL; /* "YYYY-MM-DD HH:MM" */

      g_assert_cmpuint (status_of (fetch), ==, 200);
      body = parse_body (fetch->body);
      g_assert_true (json_object_get_boolean_member (json_node_get_object (body), "success"));
      backups = json_object_get_member (json_node_get_object (body), "backups");
      g_assert_nonnull (backups);
      if (JSON_NODE_HOLDS_ARRAY (backups))
        {
          /* Laravel's empty object. */
          g_assert_cmpuint (json_array_get_length (json_node_get_array (backups)), ==, 0);
          n_empty++;
          continue;
        }

      {
        JsonObject *object = json_node_get_object (backups);
        g_autoptr (GList) members = json_object_get_members (object);

        for (GList *m = members; m != NULL; m = m->next)
          {
            JsonObject *source = json_object_get_object_member (object, m->data);
            g_autoptr (GPtrArray) automatic = split_names (source, "automatic");
            g_autoptr (GPtrArray) manual = split_names (source, "manual");
            const char *source_newest = newest_name (automatic, &n_unreadable);

            n_remote += !g_str_equal (m->data, "local");
            most = MAX (most, automatic->len);
            if (source_newest != NULL && (newest == NULL || strncmp (source_newest, newest, 16) > 0))
              {
                g_free (newest);
                newest = g_strndup (source_newest, 16);
              }
            for (guint k = 0; k < manual->len; k++)
              n_tagged += strlen (g_ptr_array_index (manual, k)) > 16;
          }
      }
      if (newest == NULL || strncmp (newest, stale, 16) < 0)
        n_stale++;
    }

  g_assert_cmpuint (n_empty, >, 0);
  g_assert_cmpuint (n_stale, >, 0);
  g_assert_cmpuint (n_remote, >, 0);
  g_assert_cmpuint (n_empty + n_stale, <, json_array_get_length (items) / 2);
  g_assert_cmpuint (most, >=, 150);
  g_assert_cmpuint (n_tagged, >, 0);
  g_assert_cmpuint (n_unreadable, >, 0);
}

/* A record is only as new as its last refresh: refresh brings it to now
 * (new points appear), original then answers the same. An unknown site is
 * a 404. Each route is one rate-limit bucket for every site. */
static void
test_restore_points_refresh (Fixture *fixture, gconstpointer data)
{
  g_autoptr (Fetch) sites = fetch_path (fixture, TOKEN, "/site?per_page=300");
  g_autoptr (JsonNode) root = parse_body (sites->body);
  JsonArray *items = json_object_get_array_member (json_node_get_object (root), "data");
  guint      n_newer = 0;

  gridpane_mock_set_rate_limits (fixture->mock, FALSE, 12, 60, 60, 27);
  for (guint i = 0; i < json_array_get_length (items); i++)
    {
      gint64 id = json_object_get_int_member (json_array_get_object_element (items, i), "id");
      g_autofree char *original = g_strdup_printf ("/backups/original/%" G_GINT64_FORMAT, id);
      g_autofree char *refresh = g_strdup_printf ("/backups/refresh/%" G_GINT64_FORMAT, id);
      g_autoptr (Fetch) before = fetch_path (fixture, TOKEN, original);
      g_autoptr (Fetch) refreshed = fetch_path (fixture, TOKEN, refresh);
      g_autoptr (Fetch) after = fetch_path (fixture, TOKEN, original);

      g_assert_cmpuint (status_of (refreshed), ==, 200);
      g_assert_true (body_parses (refreshed->body));
      g_assert_true (g_bytes_equal (refreshed->body, after->body));
      /* Never fewer names: older points stay within retention. */
      g_assert_cmpuint (g_bytes_get_size (after->body), >=, g_bytes_get_size (before->body) / 2);
      n_newer += !g_bytes_equal (before->body, after->body);
    }
  g_assert_cmpuint (n_newer, >, 0);

  {
    g_autoptr (Fetch) missing = fetch_path (fixture, TOKEN, "/backups/original/12345");
    g_autoptr (Fetch) junk = fetch_path (fixture, TOKEN, "/backups/original/abc");

    g_assert_cmpuint (status_of (missing), ==, 404);
    g_assert_cmpuint (status_of (junk), ==, 404);
  }

  /* GridPane-like limits: 12 a minute for the route, whichever sites. */
  gridpane_mock_set_rate_limits (fixture->mock, TRUE, 12, 1000, 60, 27);
  for (guint i = 0; i < 13; i++)
    {
      gint64 id = json_object_get_int_member (
        json_array_get_object_element (items, i % json_array_get_length (items)), "id");
      g_autofree char *path = g_strdup_printf ("/backups/original/%" G_GINT64_FORMAT, id);
      g_autoptr (Fetch) fetch = fetch_path (fixture, OTHER_TOKEN, path);

      /* OTHER_TOKEN's fleet has other sites: a 404 still counts. */
      g_assert_cmpuint (status_of (fetch), ==, i < 12 ? 404 : 429);
    }
  {
    g_autoptr (Fetch) refresh = fetch_path (fixture, OTHER_TOKEN, "/backups/refresh/1");

    g_assert_cmpuint (status_of (refresh), ==, 404); /* its own bucket */
  }
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
  ADD ("meta-shapes", test_meta_shapes);
  ADD ("odd-values", test_odd_values);
  ADD ("total-extra", test_total_extra);
  ADD ("short-last-page", test_short_last_page);
  ADD ("empty-page", test_empty_page);
  ADD ("list-pagination", test_list_pagination);
#undef ADD

  g_test_add_func ("/mock/mutate", test_mutate);
  g_test_add_func ("/mock/edit-and-clear", test_edit_and_clear);
  g_test_add_func ("/mock/isolation", test_isolation);
  g_test_add_func ("/mock/large-fleet", test_large_fleet);
  g_test_add_func ("/mock/restart", test_restart);
  g_test_add_func ("/mock/laravel-meta-links", test_laravel_meta_links);
  g_test_add_func ("/mock/dangling-integration", test_dangling_integration);
  g_test_add ("/mock/restore-points", Fixture, NULL, fixture_set_up, test_restore_points,
              fixture_tear_down);
  g_test_add ("/mock/restore-points-refresh", Fixture, NULL, fixture_set_up,
              test_restore_points_refresh, fixture_tear_down);

  return g_test_run ();
}
