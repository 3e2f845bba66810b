/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-parser-sites.c
 *
 * The parsers of the pages of GET /site and GET /server, read through the
 * json-glib tree.
 */
#include "config.h"

#include "backups-gridpane-parser.h"

#include "backups-gridpane-json-tree-private.h"

/* The retention GridPane offers is at most 360 days; past this a number is
 * not a retention at all. */
#define MAX_RETAIN_DAYS 100000
/* prune_schedule 0 keep daily … 3 daily, weekly, then monthly. */
#define MAX_PRUNE_SCHEDULE 3

/* Retention days: any count of days, 0 for unlimited. */
static int
read_retain_days (JsonObject *customizer, const char *name, BackupsGridpaneProblems *problems)
{
  BackupsGridpaneValue value = backups_gridpane_member_value (customizer, name);
  gint64               number;

  if (!backups_gridpane_lenient_int (&value, name, &number, problems))
    return BACKUPS_NO_VALUE;
  if (number < 0 || number > MAX_RETAIN_DAYS)
    {
      backups_gridpane_problems_add (problems, "“%s” %" G_GINT64_FORMAT " is not a number of days",
                                     name, number);
      return BACKUPS_NO_VALUE;
    }
  return (int)number;
}

static gpointer
read_site (JsonObject *object, gint64 id, const char *context, GError **error)
{
  g_autoptr (BackupsSiteRecord) record = backups_site_record_new ();
  BackupsGridpaneProblems problems = { NULL, "site", id };
  JsonObject             *server = NULL;
  JsonObject             *customizer = NULL;
  gint64                  number;

  record->remote_id = id;

  {
    BackupsGridpaneValue url = backups_gridpane_member_value (object, "url");
    BackupsGridpaneValue server_id = backups_gridpane_member_value (object, "server_id");
    BackupsGridpaneValue local_bup = backups_gridpane_member_value (object, "local_bup");
    BackupsGridpaneValue remote_bup = backups_gridpane_member_value (object, "remote_bup");

    record->url = backups_gridpane_lenient_string (&url, "url", &problems);
    if (record->url == NULL)
      record->url = g_strdup ("");
    if (backups_gridpane_lenient_int (&server_id, "server_id", &number, &problems))
      record->server_remote_id = number;
    record->local_bup = backups_gridpane_lenient_flag (&local_bup, "local_bup", &problems);
    record->remote_bup = backups_gridpane_lenient_flag (&remote_bup, "remote_bup", &problems);
  }

  /* The embedded server is the only place GridPane names its time zone. */
  if (backups_gridpane_member_object (object, "server", &server, &problems) && server != NULL)
    {
      BackupsGridpaneValue embedded_id = backups_gridpane_member_value (server, "id");
      BackupsGridpaneValue label = backups_gridpane_member_value (server, "label");
      BackupsGridpaneValue ip = backups_gridpane_member_value (server, "ip");
      BackupsGridpaneValue timezone = backups_gridpane_member_value (server, "server_timezone");

      if (backups_gridpane_lenient_int (&embedded_id, "server.id", &number, &problems)
          && record->server_remote_id == BACKUPS_NO_VALUE)
        record->server_remote_id = number;
      record->server_label = backups_gridpane_lenient_string (&label, "server.label", &problems);
      record->server_ip = backups_gridpane_lenient_string (&ip, "server.ip", &problems);
      record->server_timezone
        = backups_gridpane_lenient_string (&timezone, "server.server_timezone", &problems);
    }

  /* [] is Laravel's empty object: no settings, not a broken body. */
  if (backups_gridpane_member_object (object, "site_customizer", &customizer, &problems)
      && customizer != NULL)
    {
      BackupsGridpaneValue local_prune
        = backups_gridpane_member_value (customizer, "local_prune_schedule");
      BackupsGridpaneValue remote_prune
        = backups_gridpane_member_value (customizer, "remote_prune_schedule");

      record->local_retain_days = read_retain_days (customizer, "local_retain_days", &problems);
      record->remote_retain_days = read_retain_days (customizer, "remote_retain_days", &problems);
      record->local_prune_schedule = backups_gridpane_lenient_ranged (
        &local_prune, "local_prune_schedule", "local_prune_schedule", 0, MAX_PRUNE_SCHEDULE, FALSE,
        &problems);
      record->remote_prune_schedule = backups_gridpane_lenient_ranged (
        &remote_prune, "remote_prune_schedule", "remote_prune_schedule", 0, MAX_PRUNE_SCHEDULE,
        FALSE, &problems);
    }

  record->problems = backups_gridpane_problems_free_to_string (&problems);
  return g_steal_pointer (&record);
}

static gpointer
read_server (JsonObject *object, gint64 id, const char *context, GError **error)
{
  g_autoptr (BackupsServerRecord) record = backups_server_record_new ();

  record->remote_id = id;
  /* No time zone here: the /server list does not carry one (gridpane-api.md,
   * Corrections); the sites' embedded servers do. */
  if (!backups_gridpane_member_read_string (object, "label", &record->label, context, error)
      || !backups_gridpane_member_read_string (object, "ip", &record->ip, context, error))
    return NULL;
  return g_steal_pointer (&record);
}

static const char *const page_list_keys[] = { "data", NULL };

static const BackupsGridpaneListReader sites_reader
  = { page_list_keys, "site", FALSE, backups_site_record_array_new, read_site };

static const BackupsGridpaneListReader servers_reader
  = { page_list_keys, "server", FALSE, backups_server_record_array_new, read_server };

GPtrArray *
backups_gridpane_parse_sites_page (const char          *data,
                                   gsize                len,
                                   BackupsGridpanePage *page,
                                   GError             **error)
{
  return backups_gridpane_parse_list (&sites_reader, data, len, page, error);
}

GPtrArray *
backups_gridpane_parse_servers_page (const char          *data,
                                     gsize                len,
                                     BackupsGridpanePage *page,
                                     GError             **error)
{
  return backups_gridpane_parse_list (&servers_reader, data, len, page, error);
}
