/* test-gridpane-parser.c: every body shape of gridpane-api.md, and the
 * rate-limit header arithmetic. */
#include "config.h"

#include <json-glib/json-glib.h>
#include <string.h>

#include "backups-error.h"
#include "backups-gridpane-parser-private.h"
#include "backups-gridpane-parser.h"

/* Verbatim from gridpane-api.md. */
static const char schedules_example[]
  = "{\"success\": true,\n"
    " \"data\": [\n"
    "   {\"server_id\": 41522, \"site_id\": 869581, \"url\": \"shop.example.com\",\n"
    "    \"schedule_backups\": [\n"
    "      {\"id\": 156226, \"type\": \"local\",  \"bup_schedule\": \"weekly\", \"hour\": \"05\", "
    "\"minute\": \"00\",\n"
    "       \"day\": \"0\", \"service_id\": null, \"service_name\": null, \"service_user_id\": "
    "null},\n"
    "      {\"id\": 156227, \"type\": \"remote\", \"bup_schedule\": \"daily\",  \"hour\": \"02\", "
    "\"minute\": \"30\",\n"
    "       \"day\": null, \"service_id\": 3847, \"service_name\": \"backblaze\", "
    "\"service_user_id\": 1356}\n"
    "    ]}\n"
    " ]}";

static const char integrations_example[]
  = "{\"success\": true, \"message\": \"...\",\n"
    " \"integrations\": [\n"
    "   {\"id\": 3847, \"integrated_service\": \"backblaze\", \"integration_name\": \"Agency "
    "B2\",\n"
    "    \"token\": \"<secret>\", \"secret_token\": \"<secret>\", \"region\": null},\n"
    "   {\"id\": 2783, \"integrated_service\": \"wasabi\", \"integration_name\": \"Wasabi east\",\n"
    "    \"token\": \"<secret>\", \"secret_token\": \"<secret>\", \"region\": \"us-east-2\"}\n"
    " ]}";

#define SENTINEL "SENTINEL-S3CR3T-5e1f"

static void
assert_same_schedules (GPtrArray *a, GPtrArray *b)
{
  g_assert_cmpuint (a->len, ==, b->len);
  for (guint i = 0; i < a->len; i++)
    {
      BackupsScheduleRecord *x = g_ptr_array_index (a, i);
      BackupsScheduleRecord *y = g_ptr_array_index (b, i);

      g_assert_cmpint (x->remote_id, ==, y->remote_id);
      g_assert_cmpint (x->site_remote_id, ==, y->site_remote_id);
      g_assert_cmpint (x->server_remote_id, ==, y->server_remote_id);
      g_assert_cmpstr (x->site_url, ==, y->site_url);
      g_assert_cmpint (x->type, ==, y->type);
      g_assert_cmpint (x->frequency, ==, y->frequency);
      g_assert_cmpint (x->hour, ==, y->hour);
      g_assert_cmpint (x->minute, ==, y->minute);
      g_assert_cmpint (x->day, ==, y->day);
      g_assert_cmpint (x->service_id, ==, y->service_id);
      g_assert_cmpstr (x->service_name, ==, y->service_name);
      g_assert_cmpstr (x->raw_json, ==, y->raw_json);
    }
}

/* Parses through the public function; whenever the one-pass parser
 * answers, its records are also those of json-glib's tree. */
static GPtrArray *
parse_schedules (const char *json)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) direct = backups_gridpane_parse_schedules_direct (json, strlen (json));
  GPtrArray *records = backups_gridpane_parse_schedules (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  if (direct != NULL)
    {
      g_autoptr (GPtrArray) tree
        = backups_gridpane_parse_schedules_tree (json, strlen (json), &error);

      g_assert_no_error (error);
      assert_same_schedules (direct, tree);
    }
  return records;
}

static void
assert_schedules_invalid (const char *json, gsize len, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;

  if (len == (gsize)-1)
    len = strlen (json);
  /* The one-pass parser never accepts what json-glib's tree refuses. */
  g_assert_null (backups_gridpane_parse_schedules_direct (json, len));
  records = backups_gridpane_parse_schedules (json, len, &error);

  g_assert_null (records);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” not in error “%s”", needle, error->message);
}

static BackupsScheduleRecord *
schedule_at (GPtrArray *records, guint i)
{
  g_assert_cmpuint (i, <, records->len);
  return g_ptr_array_index (records, i);
}

/* ---------------------------------------------------------------------- */

static void
test_schedules_example (void)
{
  g_autoptr (GPtrArray) records = parse_schedules (schedules_example);
  BackupsScheduleRecord *local;
  BackupsScheduleRecord *remote;

  /* A two-schedule site keeps both. */
  g_assert_cmpuint (records->len, ==, 2);
  local = schedule_at (records, 0);
  remote = schedule_at (records, 1);

  g_assert_cmpint (local->remote_id, ==, 156226);
  g_assert_cmpint (local->site_remote_id, ==, 869581);
  g_assert_cmpint (local->server_remote_id, ==, 41522);
  g_assert_cmpstr (local->site_url, ==, "shop.example.com");
  g_assert_cmpint (local->type, ==, BACKUPS_SCHEDULE_TYPE_LOCAL);
  g_assert_cmpint (local->frequency, ==, BACKUPS_FREQUENCY_WEEKLY);
  g_assert_cmpint (local->hour, ==, 5);
  g_assert_cmpint (local->minute, ==, 0);
  g_assert_cmpint (local->day, ==, 0);
  g_assert_cmpint (local->service_id, ==, BACKUPS_NO_VALUE);
  g_assert_null (local->service_name);
  g_assert_nonnull (strstr (local->raw_json, "\"id\":156226"));
  g_assert_nonnull (strstr (local->raw_json, "\"bup_schedule\":\"weekly\""));

  g_assert_cmpint (remote->remote_id, ==, 156227);
  g_assert_cmpint (remote->site_remote_id, ==, 869581);
  g_assert_cmpint (remote->type, ==, BACKUPS_SCHEDULE_TYPE_REMOTE);
  g_assert_cmpint (remote->frequency, ==, BACKUPS_FREQUENCY_DAILY);
  g_assert_cmpint (remote->hour, ==, 2);
  g_assert_cmpint (remote->minute, ==, 30);
  g_assert_cmpint (remote->day, ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (remote->service_id, ==, 3847);
  g_assert_cmpstr (remote->service_name, ==, "backblaze");
  g_assert_nonnull (strstr (remote->raw_json, "\"service_user_id\":1356"));
}

static void
test_schedules_numbers_and_strings (void)
{
  /* Numbers where strings are usual, and strings where numbers are. */
  g_autoptr (GPtrArray) records = parse_schedules (
    "{\"data\":[{\"server_id\":\"41522\",\"site_id\":\"869581\",\"url\":\"a.example\","
    "\"schedule_backups\":[{\"id\":\"156226\",\"type\":\"local\",\"bup_schedule\":\"monthly\","
    "\"hour\":23,\"minute\":59,\"day\":28,\"service_id\":null,\"service_name\":null},"
    "{\"id\":156227.0,\"type\":\"remote\",\"bup_schedule\":\"hourly\",\"hour\":\" 7 \","
    "\"minute\":\"15\",\"day\":\"3\",\"service_id\":\"3847\",\"service_name\":\"aws-s3\"}]}]}");
  BackupsScheduleRecord *first = schedule_at (records, 0);
  BackupsScheduleRecord *second = schedule_at (records, 1);

  g_assert_cmpuint (records->len, ==, 2);
  g_assert_cmpint (first->remote_id, ==, 156226);
  g_assert_cmpint (first->site_remote_id, ==, 869581);
  g_assert_cmpint (first->server_remote_id, ==, 41522);
  g_assert_cmpint (first->hour, ==, 23);
  g_assert_cmpint (first->minute, ==, 59);
  g_assert_cmpint (first->day, ==, 28);

  g_assert_cmpint (second->remote_id, ==, 156227);
  g_assert_cmpint (second->hour, ==, 7);
  g_assert_cmpint (second->minute, ==, 15);
  /* Hourly: a day means nothing. */
  g_assert_cmpint (second->day, ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (second->service_id, ==, 3847);
  g_assert_cmpstr (second->service_name, ==, "aws-s3");
}

static void
test_schedules_weekly_monthly_day (void)
{
  g_autoptr (GPtrArray) records = parse_schedules (
    "{\"data\":[{\"site_id\":1,\"schedule_backups\":["
    "{\"id\":1,\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":\"0\",\"minute\":\"0\","
    "\"day\":\"6\"},"
    "{\"id\":2,\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":\"0\",\"minute\":\"0\","
    "\"day\":7},"
    "{\"id\":3,\"type\":\"remote\",\"bup_schedule\":\"monthly\",\"hour\":\"0\",\"minute\":\"0\","
    "\"day\":\"1\",\"service_id\":5},"
    "{\"id\":4,\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":\"0\",\"minute\":\"0\","
    "\"day\":\"4\"},"
    "{\"id\":5,\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":\"0\",\"minute\":\"0\"}"
    "]}]}");

  g_assert_cmpuint (records->len, ==, 5);
  g_assert_cmpint (schedule_at (records, 0)->day, ==, 6);
  g_assert_cmpint (schedule_at (records, 1)->day, ==, 0); /* 7 is Sunday too */
  g_assert_cmpint (schedule_at (records, 2)->day, ==, 1);
  g_assert_cmpint (schedule_at (records, 3)->day, ==, BACKUPS_NO_VALUE);
  g_assert_cmpint (schedule_at (records, 4)->day, ==, BACKUPS_NO_VALUE);
  /* Site without server_id or url. */
  g_assert_cmpint (schedule_at (records, 0)->server_remote_id, ==, BACKUPS_NO_VALUE);
  g_assert_cmpstr (schedule_at (records, 0)->site_url, ==, "");

  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":1,"
                            "\"minute\":1,\"day\":8}]}]}",
                            (gsize)-1, "weekday 8");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"monthly\",\"hour\":1,"
                            "\"minute\":1,\"day\":\"31\"}]}]}",
                            (gsize)-1, "day of month 31");
}

static void
test_schedules_nulls_and_missing (void)
{
  g_autoptr (GPtrArray) records
    = parse_schedules ("{\"data\":["
                       "{\"site_id\":1,\"server_id\":null,\"url\":null,\"schedule_backups\":null},"
                       "{\"site_id\":2},"
                       "{\"site_id\":3,\"schedule_backups\":[]},"
                       "{\"site_id\":4,\"schedule_backups\":[{\"id\":9,\"type\":\"local\","
                       "\"bup_schedule\":\"hourly\",\"hour\":null,\"minute\":\"\"}]}"
                       "]}");

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (schedule_at (records, 0)->remote_id, ==, 9);
  g_assert_cmpint (schedule_at (records, 0)->hour, ==, 0);
  g_assert_cmpint (schedule_at (records, 0)->minute, ==, 0);
  g_assert_null (schedule_at (records, 0)->service_name);
}

static void
test_schedules_meta_and_bare (void)
{
  g_autoptr (GPtrArray) with_meta = parse_schedules (
    "{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
    "\"bup_schedule\":\"daily\",\"hour\":\"01\",\"minute\":\"02\"}]}],"
    "\"links\":{\"first\":null,\"last\":null,\"prev\":null,\"next\":null},"
    "\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":1,\"path\":\"x\",\"per_page\":15,"
    "\"to\":1,\"total\":1}}");
  g_autoptr (GPtrArray) bare
    = parse_schedules ("[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
                       "\"bup_schedule\":\"daily\",\"hour\":\"01\",\"minute\":\"02\"}]}]");
  g_autoptr (GPtrArray) empty = parse_schedules ("{\"success\":true,\"data\":[]}");
  g_autoptr (GPtrArray) escaped = parse_schedules (
    "{\"data\":[{\"site_id\":1,\"url\":\"caf\\u00e9-\\ud83d\\ude00\\n\\\"\",\"schedule_backups\":"
    "[{\"id\":1,\"type\":\"local\",\"bup_schedule\":\"daily\"}]}]}");

  g_assert_cmpuint (with_meta->len, ==, 1);
  g_assert_cmpuint (bare->len, ==, 1);
  g_assert_cmpint (schedule_at (bare, 0)->minute, ==, 2);
  g_assert_cmpuint (empty->len, ==, 0);
  g_assert_cmpstr (schedule_at (escaped, 0)->site_url, ==, "caf\u00e9-\U0001F600\n\"");
}

/* raw_json is valid JSON whatever the numbers and strings in it. */
static void
test_schedules_raw_json_round_trip (void)
{
  g_autoptr (GPtrArray) records = parse_schedules (
    "{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
    "\"bup_schedule\":\"daily\",\"a\":1e76,\"b\":-0.5,\"c\":\"q\\\"\\\\\\u0001\\u00e9\","
    "\"d\":[true,false,null,{}],\"e\":{\"secret\":\"x\",\"f\":[]}}]}]}");
  const char *raw = schedule_at (records, 0)->raw_json;
  g_autoptr (JsonParser) parser = json_parser_new ();
  g_autoptr (GError) error = NULL;
  JsonObject *object;

  g_test_message ("%s", raw);
  g_assert_true (json_parser_load_from_data (parser, raw, -1, &error));
  g_assert_no_error (error);
  object = json_node_get_object (json_parser_get_root (parser));
  g_assert_cmpfloat (json_object_get_double_member (object, "a"), ==, 1e76);
  g_assert_cmpfloat (json_object_get_double_member (object, "b"), ==, -0.5);
  g_assert_cmpstr (json_object_get_string_member (object, "c"), ==, "q\"\\\001\u00e9");
  g_assert_cmpuint (json_array_get_length (json_object_get_array_member (object, "d")), ==, 4);
  g_assert_false (json_object_has_member (json_object_get_object_member (object, "e"), "secret"));
  g_assert_true (json_object_has_member (json_object_get_object_member (object, "e"), "f"));
}

static void
test_schedules_invalid (void)
{
  static const char non_utf8[] = "{\"data\":[{\"site_id\":1,\"url\":\"caf\xe9\"}]}";
  static const char with_nul[] = "{\"data\":[]}\0garbage";
  g_autofree char  *deep = NULL;
  g_autofree char  *truncated = g_strndup (schedules_example, strlen (schedules_example) / 2);

  assert_schedules_invalid ("<!DOCTYPE html><html><body>502 Bad Gateway</body></html>", (gsize)-1,
                            "HTML");
  assert_schedules_invalid (truncated, (gsize)-1, "not valid JSON");
  assert_schedules_invalid ("", 0, "empty");
  assert_schedules_invalid ("{not json", (gsize)-1, "not valid JSON");
  assert_schedules_invalid (non_utf8, sizeof non_utf8 - 1, "UTF-8");
  assert_schedules_invalid (with_nul, sizeof with_nul - 1, "UTF-8");
  assert_schedules_invalid ("42", (gsize)-1, "not a JSON object");
  assert_schedules_invalid ("{\"success\":true}", (gsize)-1, "no “data” list");
  assert_schedules_invalid ("{\"data\":\"oops\"}", (gsize)-1, "not a list");
  assert_schedules_invalid ("{\"success\":false,\"message\":\"Unauthenticated.\"}", (gsize)-1,
                            "Unauthenticated.");
  assert_schedules_invalid ("{\"data\":[1,2]}", (gsize)-1, "site entry 1");
  assert_schedules_invalid ("{\"data\":[{\"url\":\"a\"}]}", (gsize)-1, "“site_id”");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":{\"x\":1}}]}", (gsize)-1, "an object");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":{}}]}", (gsize)-1,
                            "schedule_backups");

  /* A good site before a bad one: nothing comes back, not the good half. */
  assert_schedules_invalid (
    "{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
    "\"bup_schedule\":\"daily\",\"hour\":1,\"minute\":1}]},"
    "{\"site_id\":2,\"schedule_backups\":[{\"type\":\"local\",\"bup_schedule\":\"daily\"}]}]}",
    (gsize)-1, "“id”");
  assert_schedules_invalid (
    "{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":[1],\"type\":\"local\","
    "\"bup_schedule\":\"daily\"}]}]}",
    (gsize)-1, "an array");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"bup_schedule\":\"daily\"}]}]}",
                            (gsize)-1, "“type”");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"offsite\",\"bup_schedule\":\"daily\"}]}]}",
                            (gsize)-1, "offsite");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\"}]}]}",
                            (gsize)-1, "bup_schedule");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"fortnightly\"}]}]}",
                            (gsize)-1, "fortnightly");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":\"5am\"}]}]}",
                            (gsize)-1, "hour");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":24}]}]}",
                            (gsize)-1, "hour 24");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"daily\",\"minute\":1.5}]}]}",
                            (gsize)-1, "minute");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":["
                            "{\"id\":1,\"type\":\"local\",\"bup_schedule\":\"daily\"},"
                            "{\"id\":1,\"type\":\"remote\",\"bup_schedule\":\"daily\"}]}]}",
                            (gsize)-1, "twice");

  /* Found by fuzzing: json-glib 1.6 accepts text after a scalar root,
   * leaks memory on malformed escapes and on a stray '/' in a list, and
   * decodes a lone surrogate escape into bytes that are not UTF-8. */
  assert_schedules_invalid ("0{\"data\":[]}", (gsize)-1, "not a JSON object");
  assert_schedules_invalid ("{\"data\":[]} {\"data\":[]}", (gsize)-1, "more text");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"url\":\"\\ud800x\"}]}", (gsize)-1,
                            "escape");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"\\udfff\":1}]}", (gsize)-1, "escape");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"\\ud8\":1}]}", (gsize)-1, "escape");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"\\q\":1}]}", (gsize)-1, "escape");
  assert_schedules_invalid ("[/[/][]]", (gsize)-1, "outside a string");
  assert_schedules_invalid ("{\"data\":[] /* none */}", (gsize)-1, "outside a string");

  /* json-glib keeps 1e999 as inf, which would not serialize as JSON. */
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,"
                            "\"type\":\"local\",\"bup_schedule\":\"daily\",\"x\":-1e999}]}]}",
                            (gsize)-1, "out of range");

  /* Hostile nesting is refused before it reaches the recursive parser. */
  deep = g_strnfill (100000, '[');
  assert_schedules_invalid (deep, (gsize)-1, "nested");
}

/* One schedule of site 1 with `members` after its required ones. */
#define ONE_SCHEDULE(members)                                                                      \
  "{\"data\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","                  \
  "\"bup_schedule\":\"daily\"" members "}]}]}"
#define RAW_PREFIX "{\"id\":1,\"type\":\"local\",\"bup_schedule\":\"daily\""

static void
assert_raw_json (const char *json, const char *expected)
{
  g_autoptr (GPtrArray) records = parse_schedules (json);

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpstr (schedule_at (records, 0)->raw_json, ==, expected);
}

/* raw_json is the schedule object without whitespace, strings re-escaped
 * (only quotes, backslashes and control characters), in member order. */
static void
test_schedules_raw_json_exact (void)
{
  g_autoptr (GPtrArray) example = parse_schedules (schedules_example);

  g_assert_cmpstr (schedule_at (example, 0)->raw_json, ==,
                   "{\"id\":156226,\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":\"05\","
                   "\"minute\":\"00\",\"day\":\"0\",\"service_id\":null,\"service_name\":null,"
                   "\"service_user_id\":null}");
  assert_raw_json (
    ONE_SCHEDULE (",\"note\":\"a\\/b\\n\\t\\u00e9\\ud83d\\ude00\\\"\\\\\\u001f\\b\""),
    RAW_PREFIX ",\"note\":\"a/b\\u000a\\u0009\u00e9\U0001F600\\\"\\\\\\u001f\\u0008\"}");
  assert_raw_json (ONE_SCHEDULE (",\"n\":[-0,1.0,-0.0,0.1,1E2,1e-400,-12,2.5e+3,9007199254740993]"),
                   RAW_PREFIX
                   ",\"n\":[0,1,-0,0.10000000000000001,100,0,-12,2500,9007199254740993]}");
  assert_raw_json (ONE_SCHEDULE (" , \"e\" : { } , \"a\" : [ ] , \"t\" : [ true , false , null ] "),
                   RAW_PREFIX ",\"e\":{},\"a\":[],\"t\":[true,false,null]}");
}

static void
test_schedules_escapes (void)
{
  /* Escaped member names are the same names; \u escapes of every width,
   * surrogate pairs included, decode to UTF-8. */
  g_autoptr (GPtrArray) records = parse_schedules (
    "{\"d\\u0061ta\":[{\"site_\\u0069d\":\"1\\u0032\",\"url\":\"https:\\/\\/caf\\u00e9.example\\/"
    "\\u2603\\ud834\\udd1e\",\"schedule_backups\":[{\"id\":1,\"typ\\u0065\":\"\\u006cocal\","
    "\"bup_schedule\":\"daily\",\"\\u0068our\":\"\\u0030\\u0039\"}]}]}");
  BackupsScheduleRecord *record = schedule_at (records, 0);

  g_assert_cmpint (record->site_remote_id, ==, 12);
  g_assert_cmpstr (record->site_url, ==, "https://caf\u00e9.example/\u2603\U0001D11E");
  g_assert_cmpint (record->type, ==, BACKUPS_SCHEDULE_TYPE_LOCAL);
  g_assert_cmpint (record->hour, ==, 9);
  g_assert_cmpstr (record->raw_json, ==,
                   "{\"id\":1,\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":\"09\"}");

  /* Malformed escapes, wherever they are. */
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":\"\\ud83d\""), (gsize)-1, "escape");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":\"\\ud83d\\u0041\""), (gsize)-1, "escape");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":\"\\ude00\\ud83d\""), (gsize)-1, "escape");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":\"\\u12G4\""), (gsize)-1, "escape");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":\"\\x41\""), (gsize)-1, "escape");
  assert_schedules_invalid ("{\"data\":[],\"\\u00\"}", (gsize)-1, "escape");
}

static void
test_schedules_invalid_utf8 (void)
{
  static const char *const bad[] = {
    "\xc0\xaf",         /* overlong "/" */
    "\xe0\x80\xaf",     /* overlong, three bytes */
    "\xed\xa0\x80",     /* a surrogate, encoded */
    "\xf4\x90\x80\x80", /* past U+10FFFF */
    "\x80",             /* a lone continuation byte */
    "\xe2\x98",         /* cut short */
    "\xff",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bad); i++)
    {
      g_autofree char *in_string = g_strdup_printf (ONE_SCHEDULE (",\"x\":\"a%sb\""), bad[i]);
      g_autofree char *in_name = g_strdup_printf (ONE_SCHEDULE (",\"%s\":1"), bad[i]);
      g_autofree char *outside = g_strdup_printf ("{\"data\":[]%s}", bad[i]);

      assert_schedules_invalid (in_string, (gsize)-1, "UTF-8");
      assert_schedules_invalid (in_name, (gsize)-1, "UTF-8");
      assert_schedules_invalid (outside, (gsize)-1, "UTF-8");
    }

  /* What is valid stays: the largest code point and a noncharacter. */
  assert_raw_json (ONE_SCHEDULE (",\"x\":\"\xf4\x8f\xbf\xbf\xef\xbf\xbf\""),
                   RAW_PREFIX ",\"x\":\"\xf4\x8f\xbf\xbf\xef\xbf\xbf\"}");
}

/* Nesting up to BACKUPS_GRIDPANE_MAX_DEPTH levels (the root counts) is fine. */
static void
test_schedules_depth (void)
{
  /* The root, "data", the site, "schedule_backups" and the schedule are
   * 5 levels; "x" adds the rest. */
  guint            extra = BACKUPS_GRIDPANE_MAX_DEPTH - 5;
  g_autofree char *open = g_strnfill (extra, '[');
  g_autofree char *close = g_strnfill (extra, ']');
  g_autofree char *deepest = g_strdup_printf (ONE_SCHEDULE (",\"x\":%s%s"), open, close);
  g_autofree char *too_deep = g_strdup_printf (ONE_SCHEDULE (",\"x\":[%s%s]"), open, close);
  g_autofree char *raw = g_strdup_printf (RAW_PREFIX ",\"x\":%s%s}", open, close);

  assert_raw_json (deepest, raw);
  assert_schedules_invalid (too_deep, (gsize)-1, "nested");
}

/* json-glib keeps the last of duplicate members, in the first one's place. */
static void
test_schedules_duplicate_keys (void)
{
  g_autoptr (GPtrArray) sites = parse_schedules (
    "{\"data\":[{\"site_id\":1,\"url\":\"a\",\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
    "\"bup_schedule\":\"daily\"}],\"site_id\":2,\"url\":\"b\",\"schedule_backups\":[{\"id\":3,"
    "\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":1,\"minute\":2,\"hour\":3,"
    "\"x\":{\"y\":1,\"y\":2}}]}]}");
  g_autoptr (GPtrArray) lists = parse_schedules (
    "{\"schedules\":[{\"site_id\":7,\"schedule_backups\":[{\"id\":7,\"type\":\"local\","
    "\"bup_schedule\":\"daily\"}]}],\"data\":[{\"site_id\":8}],"
    "\"data\":[{\"site_id\":9,\"schedule_backups\":[{\"id\":9,\"type\":\"local\","
    "\"bup_schedule\":\"daily\"}]}]}");
  BackupsScheduleRecord *record;

  g_assert_cmpuint (sites->len, ==, 1);
  record = schedule_at (sites, 0);
  g_assert_cmpint (record->remote_id, ==, 3);
  g_assert_cmpint (record->site_remote_id, ==, 2);
  g_assert_cmpstr (record->site_url, ==, "b");
  g_assert_cmpint (record->hour, ==, 3);
  g_assert_cmpint (record->minute, ==, 2);
  g_assert_cmpstr (record->raw_json, ==,
                   "{\"id\":3,\"type\":\"local\",\"bup_schedule\":\"daily\",\"hour\":3,"
                   "\"minute\":2,\"x\":{\"y\":2}}");

  /* "data" wins over "schedules" wherever it is, and the last "data" counts. */
  g_assert_cmpuint (lists->len, ==, 1);
  g_assert_cmpint (schedule_at (lists, 0)->remote_id, ==, 9);

  /* A duplicate that is wrong fails, even after a right one... */
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"site_id\":true}]}", (gsize)-1,
                            "a boolean");
  /* ...and one that is right repairs a wrong one before it. */
  g_clear_pointer (&sites, g_ptr_array_unref);
  sites = parse_schedules (ONE_SCHEDULE (",\"hour\":99,\"hour\":4"));
  g_assert_cmpint (schedule_at (sites, 0)->hour, ==, 4);
}

static void
test_schedules_wrong_types (void)
{
  g_autoptr (GPtrArray) records = parse_schedules (
    "[{\"site_id\":1.0,\"server_id\":\"  41 \",\"url\":12,\"schedule_backups\":[{\"id\":\"5\","
    "\"type\":\"remote\",\"bup_schedule\":\"weekly\",\"day\":7.0,\"service_id\":\"\","
    "\"service_name\":1.5}]},{\"site_id\":2,\"url\":-0.25,\"schedule_backups\":null}]");
  BackupsScheduleRecord *record = schedule_at (records, 0);

  g_assert_cmpuint (records->len, ==, 1);
  g_assert_cmpint (record->site_remote_id, ==, 1);
  g_assert_cmpint (record->server_remote_id, ==, 41);
  g_assert_cmpstr (record->site_url, ==, "12");
  g_assert_cmpint (record->remote_id, ==, 5);
  g_assert_cmpint (record->day, ==, 0);
  g_assert_cmpint (record->service_id, ==, BACKUPS_NO_VALUE);
  g_assert_cmpstr (record->service_name, ==, "1.5");

  assert_schedules_invalid (ONE_SCHEDULE (",\"hour\":true"), (gsize)-1,
                            "“hour” is a boolean, not a whole number");
  assert_schedules_invalid (ONE_SCHEDULE (",\"minute\":{}"), (gsize)-1, "an object");
  assert_schedules_invalid (ONE_SCHEDULE (",\"service_name\":[]"), (gsize)-1, "not text");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"url\":false}]}", (gsize)-1, "not text");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":[[]]}]}", (gsize)-1,
                            "a schedule of site 1 is an array");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1,\"schedule_backups\":\"none\"}]}", (gsize)-1,
                            "not a list");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":1},null]}", (gsize)-1, "site entry 2 is null");
  assert_schedules_invalid ("{\"data\":null,\"schedules\":[]}", (gsize)-1, "not a list");
  assert_schedules_invalid ("{\"success\":false,\"data\":[]}", (gsize)-1, "failure");
  assert_schedules_invalid ("[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":7,"
                            "\"bup_schedule\":\"daily\"}]}]",
                            (gsize)-1, "unknown type “7”");
}

/* Every cut of a body short of its end is refused. */
static void
test_schedules_truncated (void)
{
  gsize len = strlen (schedules_example);

  for (gsize cut = 1; cut < len; cut++)
    {
      /* A copy of its own, so nothing past the cut can be read. */
      g_autofree char *prefix = g_memdup2 (schedules_example, cut);

      assert_schedules_invalid (prefix, cut, NULL);
    }
}

static void
test_schedules_numbers_out_of_range (void)
{
  g_autoptr (GPtrArray) records = NULL;

  assert_schedules_invalid (ONE_SCHEDULE (",\"hour\":1e400"), (gsize)-1, "out of range");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":[-1e999]"), (gsize)-1, "out of range");
  assert_schedules_invalid (ONE_SCHEDULE (",\"hour\":\"99999999999999999999\""), (gsize)-1,
                            "not a whole number");
  assert_schedules_invalid (ONE_SCHEDULE (",\"service_id\":9.1e15"), (gsize)-1,
                            "not a whole number");
  assert_schedules_invalid (ONE_SCHEDULE (",\"minute\":-1"), (gsize)-1, "minute -1");

  /* Integers outside gint64: json-glib 1.6 would wrap them around (2^64 - 1
   * would become -1, which means "no value" here). */
  assert_schedules_invalid (ONE_SCHEDULE (",\"service_id\":18446744073709551615"), (gsize)-1,
                            "out of range");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":9223372036854775808}]}", (gsize)-1,
                            "out of range");
  assert_schedules_invalid ("{\"data\":[{\"site_id\":-9223372036854775809}]}", (gsize)-1,
                            "out of range");
  assert_schedules_invalid (ONE_SCHEDULE (",\"x\":[1,123456789012345678901234567890]"), (gsize)-1,
                            "out of range");

  /* The largest ids there are. */
  records = parse_schedules ("{\"data\":[{\"site_id\":-9223372036854775808,\"schedule_backups\":"
                             "[{\"id\":9223372036854775807,\"type\":\"local\","
                             "\"bup_schedule\":\"daily\"}]}]}");
  g_assert_cmpint (schedule_at (records, 0)->remote_id, ==, G_MAXINT64);
  g_assert_cmpint (schedule_at (records, 0)->site_remote_id, ==, G_MININT64);
}

/* Credential members go at every depth of raw_json, whatever their case. */
static void
test_schedules_credentials_dropped (void)
{
  assert_raw_json (ONE_SCHEDULE (",\"token\":\"" SENTINEL "\",\"x\":[{\"Secret_Key\":\"" SENTINEL
                                 "\",\"y\":{\"PassWord\":[\"" SENTINEL "\"],\"keep\":1}}],"
                                 "\"api\\u004bey\":\"" SENTINEL "\",\"z\":{\"KEY\":1}"),
                   RAW_PREFIX ",\"x\":[{\"y\":{\"keep\":1}}],\"z\":{}}");
}

/* What GridPane sends is read in one pass, without json-glib's tree: the
 * documented example, PHP's escaped slashes, Laravel's meta, a bare list,
 * numbers and strings both ways, escapes and credentials to drop. */
static void
test_schedules_one_pass (void)
{
  static const char *const bodies[] = {
    schedules_example,
    "{\"success\":true,\"data\":[{\"server_id\":41522,\"site_id\":869581,"
    "\"url\":\"https:\\/\\/shop.example.com\\/\",\"schedule_backups\":[{\"id\":156226,"
    "\"type\":\"local\",\"bup_schedule\":\"weekly\",\"hour\":5,\"minute\":0,\"day\":\"0\","
    "\"service_id\":null,\"service_name\":null,\"service_user_id\":null},{\"id\":156227,"
    "\"type\":\"remote\",\"bup_schedule\":\"monthly\",\"hour\":\"02\",\"minute\":\"30\","
    "\"day\":28,\"service_id\":3847,\"service_name\":\"caf\\u00e9 \\ud83d\\ude00\","
    "\"service_user_id\":1356,\"token\":\"" SENTINEL "\",\"extra\":{\"a\":[1.5,-0,true]}}]},"
    "{\"server_id\":null,\"site_id\":\"7\",\"url\":null,\"schedule_backups\":null}],"
    "\"links\":{\"next\":null},\"meta\":{\"current_page\":1,\"last_page\":1}}",
    "[{\"site_id\":1,\"schedule_backups\":[]},{\"site_id\":2}]",
    "{\"schedules\":[{\"site_id\":1,\"schedule_backups\":[{\"id\":1,\"type\":\"local\","
    "\"bup_schedule\":\"hourly\",\"hour\":null}]}]}",
    "{\"success\":true,\"data\":[]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GPtrArray) direct
        = backups_gridpane_parse_schedules_direct (bodies[i], strlen (bodies[i]));
      g_autoptr (GPtrArray) records = parse_schedules (bodies[i]);

      g_test_message ("body %u", i);
      g_assert_nonnull (direct);
      for (guint j = 0; j < direct->len; j++)
        g_assert_null (strstr (schedule_at (direct, j)->raw_json, SENTINEL));
    }
}

/* ---------------------------------------------------------------------- */

static GPtrArray *
parse_integrations (const char *json)
{
  g_autoptr (GError) error = NULL;
  GPtrArray *records = backups_gridpane_parse_integrations (json, strlen (json), &error);

  g_assert_no_error (error);
  g_assert_nonnull (records);
  return records;
}

static BackupsIntegrationRecord *
integration_at (GPtrArray *records, guint i)
{
  g_assert_cmpuint (i, <, records->len);
  return g_ptr_array_index (records, i);
}

static void
test_integrations_example (void)
{
  g_autoptr (GPtrArray) records = parse_integrations (integrations_example);
  BackupsIntegrationRecord *b2;
  BackupsIntegrationRecord *wasabi;

  g_assert_cmpuint (records->len, ==, 2);
  b2 = integration_at (records, 0);
  wasabi = integration_at (records, 1);

  g_assert_cmpint (b2->remote_id, ==, 3847);
  g_assert_cmpstr (b2->service, ==, "backblaze");
  g_assert_cmpstr (b2->name, ==, "Agency B2");
  g_assert_null (b2->region);
  g_assert_cmpint (wasabi->remote_id, ==, 2783);
  g_assert_cmpstr (wasabi->service, ==, "wasabi");
  g_assert_cmpstr (wasabi->name, ==, "Wasabi east");
  g_assert_cmpstr (wasabi->region, ==, "us-east-2");

  for (guint i = 0; i < records->len; i++)
    {
      const char *raw = integration_at (records, i)->raw_json;

      g_assert_null (strstr (raw, "<secret>"));
      g_assert_null (strstr (raw, "token"));
      g_assert_nonnull (strstr (raw, "integration_name"));
    }
}

static void
test_integrations_credentials_dropped (void)
{
  g_autoptr (GPtrArray) records = parse_integrations (
    "{\"integrations\":[{\"id\":\"7\",\"integrated_service\":\"aws-s3\","
    "\"integration_name\":\"S3\",\"token\":\"" SENTINEL "\",\"secret_token\":\"" SENTINEL "\","
    "\"Access_Key\":\"" SENTINEL "\",\"password\":\"" SENTINEL "\","
    "\"settings\":{\"bucket\":\"b\",\"API_TOKEN\":\"" SENTINEL "\","
    "\"nested\":[{\"client_secret\":\"" SENTINEL "\",\"keep\":1}]}}]}");
  const char *raw = integration_at (records, 0)->raw_json;

  g_assert_cmpint (integration_at (records, 0)->remote_id, ==, 7);
  g_assert_null (strstr (raw, SENTINEL));
  g_assert_nonnull (strstr (raw, "\"bucket\":\"b\""));
  g_assert_nonnull (strstr (raw, "\"keep\":1"));
  g_assert_null (strstr (raw, "secret"));
  g_assert_null (strstr (raw, "API_TOKEN"));
}

static void
test_integrations_unknown_kind_and_data_key (void)
{
  g_autoptr (GPtrArray) records = parse_integrations (
    "{\"success\":true,\"data\":[{\"id\":1,\"integrated_service\":\"vultr\","
    "\"integration_name\":\"Servers\",\"api_key\":\"" SENTINEL "\",\"extra\":{\"a\":1}},"
    "{\"id\":2,\"integrated_service\":\"dropbox\"},{\"id\":3}],"
    "\"meta\":{\"current_page\":1,\"last_page\":1}}");
  g_autoptr (GPtrArray) bare = parse_integrations ("[{\"id\":4,\"integrated_service\":\"x\"}]");

  g_assert_cmpuint (records->len, ==, 3);
  g_assert_cmpstr (integration_at (records, 0)->service, ==, "vultr");
  g_assert_null (strstr (integration_at (records, 0)->raw_json, SENTINEL));
  g_assert_cmpstr (integration_at (records, 1)->service, ==, "dropbox");
  g_assert_cmpstr (integration_at (records, 1)->name, ==, "");
  g_assert_cmpstr (integration_at (records, 2)->service, ==, "");
  g_assert_cmpuint (bare->len, ==, 1);
}

static void
assert_integrations_invalid (const char *json, const char *needle)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = backups_gridpane_parse_integrations (json, strlen (json), &error);

  g_assert_null (records);
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
  if (needle != NULL && strstr (error->message, needle) == NULL)
    g_error ("“%s” not in error “%s”", needle, error->message);
  /* The message never echoes a credential. */
  g_assert_null (strstr (error->message, SENTINEL));
}

static void
test_integrations_invalid (void)
{
  assert_integrations_invalid ("<html>oops</html>", "HTML");
  assert_integrations_invalid ("{\"integrations\":[{\"id\":1,\"token\":\"" SENTINEL "\"},"
                               "{\"integrated_service\":\"wasabi\"}]}",
                               "“id”");
  assert_integrations_invalid ("{\"integrations\":{\"id\":1}}", "not a list");
  assert_integrations_invalid ("{\"integrations\":[{\"id\":true}]}", "a boolean");
  assert_integrations_invalid ("{\"integrations\":[{\"id\":1,\"integration_name\":[]}]}",
                               "integration_name");
  assert_integrations_invalid ("{\"message\":\"x\"}", "integrations");
  assert_integrations_invalid ("{\"integrations\":[{\"id\":1},{\"id\":1}]}", "twice");
}

/* ---------------------------------------------------------------------- */

static void
test_sites_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) sites = NULL;
  BackupsGridpanePage page;
  BackupsSiteRecord  *site;
  const char         *json
    = "{\"data\":["
      "{\"id\":869581,\"url\":\"shop.example.com\",\"server_id\":41522,\"type\":\"primary\","
      "\"local_bup\":true,\"remote_bup\":false,\"local_bup_threshold\":90,"
      "\"site_customizer\":{\"local_prune_schedule\":\"1\",\"local_retain_days\":\"30\","
      "\"remote_prune_schedule\":3,\"remote_retain_days\":360},"
      "\"server\":{\"id\":41522,\"server_timezone\":\"America/New_York\"}},"
      "{\"id\":\"2\",\"url\":\"b.example\",\"server_id\":null,\"local_bup\":\"1\","
      "\"remote_bup\":1,\"site_customizer\":null,\"server\":{\"id\":\"7\"}},"
      "{\"id\":3,\"url\":\"c.example\",\"local_bup\":\"true\",\"remote_bup\":\"0\"},"
      "{\"id\":4,\"local_bup\":0,\"remote_bup\":\"false\"}],"
      "\"links\":{\"first\":\"https://x/site?page=1\",\"last\":\"https://x/site?page=3\","
      "\"prev\":null,\"next\":\"https://x/site?page=2\"},"
      "\"meta\":{\"current_page\":1,\"from\":1,\"last_page\":3,\"path\":\"https://x/site\","
      "\"per_page\":\"4\",\"to\":4,\"total\":11}}";

  sites = backups_gridpane_parse_sites_page (json, strlen (json), &page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (sites->len, ==, 4);

  site = g_ptr_array_index (sites, 0);
  g_assert_cmpint (site->remote_id, ==, 869581);
  g_assert_cmpstr (site->url, ==, "shop.example.com");
  g_assert_cmpint (site->server_remote_id, ==, 41522);
  g_assert_true (site->local_bup);
  g_assert_false (site->remote_bup);
  g_assert_cmpint (site->local_prune_schedule, ==, 1);
  g_assert_cmpint (site->local_retain_days, ==, 30);
  g_assert_cmpint (site->remote_prune_schedule, ==, 3);
  g_assert_cmpint (site->remote_retain_days, ==, 360);

  site = g_ptr_array_index (sites, 1);
  g_assert_cmpint (site->remote_id, ==, 2);
  g_assert_cmpint (site->server_remote_id, ==, 7); /* from the embedded server */
  g_assert_true (site->local_bup);
  g_assert_true (site->remote_bup);
  g_assert_cmpint (site->local_retain_days, ==, BACKUPS_NO_VALUE);

  site = g_ptr_array_index (sites, 2);
  g_assert_true (site->local_bup);
  g_assert_false (site->remote_bup);
  g_assert_cmpint (site->server_remote_id, ==, BACKUPS_NO_VALUE);

  site = g_ptr_array_index (sites, 3);
  g_assert_false (site->local_bup);
  g_assert_false (site->remote_bup);
  g_assert_cmpstr (site->url, ==, "");

  g_assert_cmpint (page.current_page, ==, 1);
  g_assert_cmpint (page.last_page, ==, 3);
  g_assert_cmpint (page.per_page, ==, 4);
  g_assert_cmpint (page.total, ==, 11);
  g_assert_true (page.has_next);
}

static void
assert_page (const char *json, int current, int last, gboolean has_next, guint n_items)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) servers = NULL;
  BackupsGridpanePage page;

  memset (&page, 0xff, sizeof page);
  servers = backups_gridpane_parse_servers_page (json, strlen (json), &page, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, n_items);
  g_assert_cmpint (page.current_page, ==, current);
  g_assert_cmpint (page.last_page, ==, last);
  g_assert_cmpint (page.has_next, ==, has_next);
}

static void
test_pagination_variants (void)
{
  /* No meta at all: a single page. */
  assert_page ("{\"data\":[{\"id\":1},{\"id\":2}]}", 1, 1, FALSE, 2);
  assert_page ("[{\"id\":1}]", 1, 1, FALSE, 1);
  /* Last page by meta. */
  assert_page ("{\"data\":[{\"id\":1}],\"meta\":{\"current_page\":3,\"last_page\":3}}", 3, 3, FALSE,
               1);
  /* Meta says more, links.next says no: stop. */
  assert_page ("{\"data\":[{\"id\":1}],\"links\":{\"next\":null},"
               "\"meta\":{\"current_page\":1,\"last_page\":5}}",
               1, 5, FALSE, 1);
  /* Meta says more, but the page is empty: stop. */
  assert_page ("{\"data\":[],\"links\":{\"next\":\"https://x?page=2\"},"
               "\"meta\":{\"current_page\":1,\"last_page\":5}}",
               1, 5, FALSE, 0);
  /* Numbers as strings in meta. */
  assert_page ("{\"data\":[{\"id\":1}],\"meta\":{\"current_page\":\"2\",\"last_page\":\"4\"}}", 2,
               4, TRUE, 1);
  /* Plain Laravel paginator: fields at the top level. */
  assert_page ("{\"current_page\":1,\"data\":[{\"id\":1}],\"last_page\":2,"
               "\"next_page_url\":\"https://x?page=2\",\"per_page\":1,\"total\":2}",
               1, 2, TRUE, 1);
  /* Only links, no meta. */
  assert_page ("{\"data\":[{\"id\":1}],\"links\":{\"next\":\"https://x?page=2\"}}", 1, 1, TRUE, 1);
}

static void
test_servers_page (void)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) servers = NULL;
  BackupsServerRecord *server;
  const char          *json
    = "{\"data\":[{\"id\":41522,\"label\":\"web-1\",\"ip\":\"203.0.113.7\",\"region\":\"nyc1\","
      "\"status\":\"active\",\"webserver\":\"nginx\",\"database\":\"percona\","
      "\"update_backups\":true,\"server_timezone\":\"America/New_York\"},"
      "{\"id\":\"41523\",\"label\":\"web-2\",\"ip\":null,\"server_timezone\":null},"
      "{\"id\":41524,\"label\":\"web-3\",\"server_timezone\":\"\"}]}";

  servers = backups_gridpane_parse_servers_page (json, strlen (json), NULL, &error);
  g_assert_no_error (error);
  g_assert_cmpuint (servers->len, ==, 3);
  server = g_ptr_array_index (servers, 0);
  g_assert_cmpint (server->remote_id, ==, 41522);
  g_assert_cmpstr (server->label, ==, "web-1");
  g_assert_cmpstr (server->ip, ==, "203.0.113.7");
  g_assert_cmpstr (server->timezone, ==, "America/New_York");
  server = g_ptr_array_index (servers, 1);
  g_assert_cmpint (server->remote_id, ==, 41523);
  g_assert_null (server->ip);
  g_assert_null (server->timezone);
  server = g_ptr_array_index (servers, 2);
  g_assert_null (server->timezone);
}

static void
test_pages_invalid (void)
{
  static const char *const bodies[] = {
    "<html><body>Server Error</body></html>",
    "{\"data\":[{\"id\":1}",
    "{\"data\":[{\"label\":\"no id\"}]}",
    "{\"data\":[{\"id\":{\"n\":1}}]}",
    "{\"data\":\"oops\"}",
    "{\"data\":[{\"id\":1,\"local_bup\":[]}]}",
    "{\"data\":[{\"id\":1,\"local_bup\":\"maybe\"}]}",
    "{\"data\":[{\"id\":1,\"site_customizer\":[1]}]}",
    "{\"data\":[{\"id\":1}],\"meta\":{\"current_page\":\"one\"}}",
    "{\"data\":[{\"id\":1}],\"meta\":\"x\"}",
    "{\"data\":[{\"id\":1,\"label\":{}}]}",
  };

  for (guint i = 0; i < G_N_ELEMENTS (bodies); i++)
    {
      g_autoptr (GError) site_error = NULL;
      g_autoptr (GError) server_error = NULL;
      g_autoptr (GPtrArray) sites = NULL;
      g_autoptr (GPtrArray) servers = NULL;
      BackupsGridpanePage page;

      sites = backups_gridpane_parse_sites_page (bodies[i], strlen (bodies[i]), &page, &site_error);
      servers
        = backups_gridpane_parse_servers_page (bodies[i], strlen (bodies[i]), &page, &server_error);
      g_test_message ("body %u: %s / %s", i, site_error ? site_error->message : "ok",
                      server_error ? server_error->message : "ok");
      /* Each body is wrong for at least one of the two shapes, and a wrong
       * body never yields records. */
      g_assert_true (sites == NULL || servers == NULL);
      if (sites == NULL)
        g_assert_error (site_error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
      if (servers == NULL)
        g_assert_error (server_error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
    }
}

static void
test_user (void)
{
  g_autoptr (GError) error = NULL;
  const char *good = "{\"id\":1,\"name\":\"Ann\",\"email\":\"ann@example.com\"}";

  g_assert_true (backups_gridpane_parse_user (good, strlen (good), &error));
  g_assert_no_error (error);
  g_assert_false (backups_gridpane_parse_user ("<html></html>", 13, &error));
  g_assert_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE);
}

/* ---------------------------------------------------------------------- */

#define NOW_MS G_GINT64_CONSTANT (1764300000000)

static void
test_retry_delay (void)
{
  /* Retry-After-Endpoint + 1 s wins. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("27", "1764300010", NOW_MS, 30000), ==, 28000);
  g_assert_cmpint (backups_gridpane_retry_delay_ms (" 0 ", NULL, NOW_MS, 30000), ==, 1000);
  /* Else the reset time minus now. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms (NULL, "1764300010", NOW_MS, 30000), ==, 10000);
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("soon", "1764300005", NOW_MS, 30000), ==, 5000);
  /* A reset already past still pauses a moment. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms (NULL, "1764299990", NOW_MS, 30000), ==, 1000);
  /* A small reset is a number of seconds. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms (NULL, "12", NOW_MS, 30000), ==, 12000);
  /* Else the default. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms (NULL, NULL, NOW_MS, 30000), ==, 30000);
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("", "", NOW_MS, 50), ==, 50);
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("-5", "x", NOW_MS, 50), ==, 50);
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("1e400", "nan", NOW_MS, 50), ==, 50);
  /* Bounded: an absurd header cannot park the sync for a day. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms (NULL, "1764400000", NOW_MS, 30000), ==,
                   BACKUPS_GRIDPANE_MAX_DELAY_MS);
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("86400", NULL, NOW_MS, 30000), ==,
                   BACKUPS_GRIDPANE_MAX_DELAY_MS);
  /* Fractions are fine. */
  g_assert_cmpint (backups_gridpane_retry_delay_ms ("0.5", NULL, NOW_MS, 30000), ==, 1500);
}

static void
test_pacing_delay (void)
{
  /* Plenty left: no wait. */
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("10", "12", NULL, NOW_MS, 60000), ==, 0);
  g_assert_cmpint (backups_gridpane_pacing_delay_ms (NULL, NULL, NULL, NOW_MS, 60000), ==, 0);
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("x", "12", NULL, NOW_MS, 60000), ==, 0);
  /* None left: wait for the reset, or a whole window without one. */
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("0", "12", "1764300020", NOW_MS, 60000), ==,
                   20100);
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("0", "12", NULL, NOW_MS, 60000), ==, 60100);
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("0", NULL, NULL, NOW_MS, 500), ==, 600);
  /* Low, without a Reset header (a success from GridPane): the window is
   * the caller's guess, so the rest is not spread over it. */
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("3", "12", NULL, NOW_MS, 60000), ==, 0);
  /* Low, with a reset: spread what is left over the time left. */
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("1", "12", "1764300010", NOW_MS, 60000), ==,
                   5000);
  /* Bounded. */
  g_assert_cmpint (backups_gridpane_pacing_delay_ms ("0", "12", "1764900000", NOW_MS, 60000), <=,
                   BACKUPS_GRIDPANE_MAX_DELAY_MS);
}

int
main (int argc, char *argv[])
{
  g_test_init (&argc, &argv, G_TEST_OPTION_ISOLATE_DIRS, NULL);

  g_test_add_func ("/gridpane/parser/schedules/example", test_schedules_example);
  g_test_add_func ("/gridpane/parser/schedules/numbers-and-strings",
                   test_schedules_numbers_and_strings);
  g_test_add_func ("/gridpane/parser/schedules/weekly-monthly-day",
                   test_schedules_weekly_monthly_day);
  g_test_add_func ("/gridpane/parser/schedules/nulls-and-missing",
                   test_schedules_nulls_and_missing);
  g_test_add_func ("/gridpane/parser/schedules/meta-and-bare", test_schedules_meta_and_bare);
  g_test_add_func ("/gridpane/parser/schedules/raw-json", test_schedules_raw_json_round_trip);
  g_test_add_func ("/gridpane/parser/schedules/invalid", test_schedules_invalid);
  g_test_add_func ("/gridpane/parser/schedules/one-pass", test_schedules_one_pass);
  g_test_add_func ("/gridpane/parser/schedules/raw-json-exact", test_schedules_raw_json_exact);
  g_test_add_func ("/gridpane/parser/schedules/escapes", test_schedules_escapes);
  g_test_add_func ("/gridpane/parser/schedules/invalid-utf8", test_schedules_invalid_utf8);
  g_test_add_func ("/gridpane/parser/schedules/depth", test_schedules_depth);
  g_test_add_func ("/gridpane/parser/schedules/duplicate-keys", test_schedules_duplicate_keys);
  g_test_add_func ("/gridpane/parser/schedules/wrong-types", test_schedules_wrong_types);
  g_test_add_func ("/gridpane/parser/schedules/truncated", test_schedules_truncated);
  g_test_add_func ("/gridpane/parser/schedules/numbers-out-of-range",
                   test_schedules_numbers_out_of_range);
  g_test_add_func ("/gridpane/parser/schedules/credentials-dropped",
                   test_schedules_credentials_dropped);
  g_test_add_func ("/gridpane/parser/integrations/example", test_integrations_example);
  g_test_add_func ("/gridpane/parser/integrations/credentials-dropped",
                   test_integrations_credentials_dropped);
  g_test_add_func ("/gridpane/parser/integrations/unknown-kind",
                   test_integrations_unknown_kind_and_data_key);
  g_test_add_func ("/gridpane/parser/integrations/invalid", test_integrations_invalid);
  g_test_add_func ("/gridpane/parser/sites/page", test_sites_page);
  g_test_add_func ("/gridpane/parser/servers/page", test_servers_page);
  g_test_add_func ("/gridpane/parser/pages/variants", test_pagination_variants);
  g_test_add_func ("/gridpane/parser/pages/invalid", test_pages_invalid);
  g_test_add_func ("/gridpane/parser/user", test_user);
  g_test_add_func ("/gridpane/parser/retry-delay", test_retry_delay);
  g_test_add_func ("/gridpane/parser/pacing-delay", test_pacing_delay);

  return g_test_run ();
}
