/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-format.c */
#include "config.h"

#include <glib/gi18n.h>
#include <string.h>

#include "backups-format.h"

char *
backups_format_relative_time (gint64 then_unix, gint64 now_unix)
{
  gint64 seconds = MAX (now_unix - then_unix, 0);
  gint64 minutes = seconds / 60;
  gint64 hours = minutes / 60;
  gint64 days = hours / 24;

  if (minutes < 1)
    return g_strdup (_ ("just now"));
  if (hours < 1)
    return g_strdup_printf (
      g_dngettext (GETTEXT_PACKAGE, "%d minute ago", "%d minutes ago", minutes), (int)minutes);
  if (days < 1)
    return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d hour ago", "%d hours ago", hours),
                            (int)hours);
  if (days == 1)
    return g_strdup (_ ("yesterday"));
  return g_strdup_printf (g_dngettext (GETTEXT_PACKAGE, "%d day ago", "%d days ago", days),
                          (int)days);
}

char *
backups_format_local_time (GDateTime *utc, GDateTime *now)
{
  g_autoptr (GDateTime) local = NULL;
  g_autoptr (GDateTime) local_now = NULL;
  g_autofree char *clock = NULL;
  int              day_difference;

  g_return_val_if_fail (utc != NULL, NULL);

  local = g_date_time_to_local (utc);
  local_now = g_date_time_to_local (now);
  clock = g_date_time_format (local, "%H:%M");

  day_difference = g_date_time_get_day_of_year (local) - g_date_time_get_day_of_year (local_now);
  if (g_date_time_get_year (local) != g_date_time_get_year (local_now))
    day_difference = -1; /* around new year: spell the date out */

  if (day_difference == 0)
    /* Translators: a time later today, "Today 05:00" */
    return g_strdup_printf (_ ("Today %s"), clock);
  if (day_difference == 1)
    /* Translators: a time tomorrow, "Tomorrow 05:00" */
    return g_strdup_printf (_ ("Tomorrow %s"), clock);

  /* Translators: a date and time in strftime format, "Sun 30 Nov 05:00" */
  return g_date_time_format (local, _ ("%a %-d %b %H:%M"));
}

void
backups_format_empty_state (const char *org_name,
                            gboolean    has_accounts,
                            const char *noun_title,
                            char      **title,
                            char      **description,
                            gboolean   *offer_sync,
                            gboolean   *offer_add)
{
  *offer_add = org_name != NULL && !has_accounts;

  if (org_name == NULL)
    {
      *title = g_strdup (_ ("No Organizations"));
      *description = g_strdup (
        _ ("Create an organization and add a GridPane account to it. In a terminal:\n"
           "<tt>backupsctl org add \"My Agency\"</tt>\n"
           "<tt>backupsctl account add --org \"My Agency\" --name Main --token-stdin</tt>"));
      *offer_sync = FALSE;
    }
  else if (!has_accounts)
    {
      g_autofree char *escaped = g_markup_escape_text (org_name, -1);

      *title = g_strdup (_ ("No GridPane Accounts"));
      *description = g_strdup_printf (
        _ ("Add an account of “%s” with its GridPane API token. Or, in a terminal:\n"
           "<tt>backupsctl account add --org \"%s\" --name NAME --token-stdin</tt>"),
        escaped, escaped);
      *offer_sync = FALSE;
    }
  else
    {
      *title = g_strdup (noun_title);
      *description
        = g_strdup (_ ("Nothing has been synced for this organization yet, or GridPane has none. "
                       "Sync to fetch the latest data."));
      *offer_sync = TRUE;
    }
}

int
backups_compare_text (const char *a, const char *b)
{
  int result;

  if (a == b)
    return 0;
  if (a == NULL)
    return -1;
  if (b == NULL)
    return 1;

  result = g_ascii_strcasecmp (a, b);
  return result != 0 ? result : strcmp (a, b);
}

static gboolean
is_ascii (const char *text)
{
  for (const char *p = text; *p != '\0'; p++)
    if ((guchar)*p >= 0x80)
      return FALSE;
  return TRUE;
}

char *
backups_search_needle_new (const char *text)
{
  g_autofree char *stripped = NULL;

  if (text == NULL)
    return NULL;

  stripped = g_strstrip (g_strdup (text));
  if (*stripped == '\0')
    return NULL;

  return is_ascii (stripped) ? g_ascii_strdown (stripped, -1) : g_utf8_casefold (stripped, -1);
}

gboolean
backups_text_matches (const char *haystack, const char *needle)
{
  size_t needle_len;

  if (needle == NULL)
    return TRUE;
  if (haystack == NULL)
    return FALSE;

  /* The common case, URLs and names in ASCII: no allocation. */
  if (is_ascii (needle))
    {
      needle_len = strlen (needle);
      for (const char *p = haystack; *p != '\0'; p++)
        if (g_ascii_strncasecmp (p, needle, needle_len) == 0)
          return TRUE;
      return FALSE;
    }
  else
    {
      g_autofree char *folded = g_utf8_casefold (haystack, -1);

      return strstr (folded, needle) != NULL;
    }
}

GtkFilterChange
backups_search_change (const char *old_needle, const char *new_needle)
{
  if (old_needle == NULL)
    return GTK_FILTER_CHANGE_MORE_STRICT;
  if (new_needle == NULL)
    return GTK_FILTER_CHANGE_LESS_STRICT;
  if (strstr (new_needle, old_needle) != NULL)
    return GTK_FILTER_CHANGE_MORE_STRICT;
  if (strstr (old_needle, new_needle) != NULL)
    return GTK_FILTER_CHANGE_LESS_STRICT;
  return GTK_FILTER_CHANGE_DIFFERENT;
}
