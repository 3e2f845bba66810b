/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-client-errors.c
 *
 * What the client tells the user: whether a base URL may be used, and the
 * errors of a request mapped to BACKUPS_ERROR with messages that name the
 * account.
 */
#include "config.h"

#include "backups-gridpane-client-private.h"

#include <glib/gi18n-lib.h>
#include <libsoup/soup.h>

#include "backups-error.h"

static gboolean
host_is_loopback (const char *host)
{
  g_autoptr (GInetAddress) address = NULL;

  if (host == NULL)
    return FALSE;
  if (g_ascii_strcasecmp (host, "localhost") == 0)
    return TRUE;

  address = g_inet_address_new_from_string (host);
  return address != NULL && g_inet_address_get_is_loopback (address);
}

gboolean
backups_gridpane_base_url_is_loopback (const char *url)
{
  g_autoptr (GUri) uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);

  return uri != NULL && host_is_loopback (g_uri_get_host (uri));
}

gboolean
backups_gridpane_check_base_url (const char *url, GError **error)
{
  g_autoptr (GUri) uri = NULL;
  const char *scheme;
  const char *host;

  if (url == NULL || *url == '\0')
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("The GridPane base URL is empty. Enter an address such as %s."),
                   BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
      return FALSE;
    }

  uri = g_uri_parse (url, G_URI_FLAGS_NONE, NULL);
  if (uri == NULL || g_uri_get_host (uri) == NULL || *g_uri_get_host (uri) == '\0')
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("“%s” is not a web address. Enter an address such as %s."), url,
                   BACKUPS_GRIDPANE_DEFAULT_BASE_URL);
      return FALSE;
    }

  scheme = g_uri_get_scheme (uri);
  host = g_uri_get_host (uri);

  if (g_uri_get_userinfo (uri) != NULL || g_uri_get_query (uri) != NULL
      || g_uri_get_fragment (uri) != NULL)
    {
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("The GridPane base URL “%s” must not contain a user name, a query or a "
                      "fragment."),
                   url);
      return FALSE;
    }

  if (g_ascii_strcasecmp (scheme, "https") == 0)
    return TRUE;

  if (g_ascii_strcasecmp (scheme, "http") == 0)
    {
      if (host_is_loopback (host))
        return TRUE;
      g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                   _ ("The GridPane base URL “%s” is not encrypted. Use an https:// address; "
                      "http:// is only allowed to this computer (localhost)."),
                   url);
      return FALSE;
    }

  g_set_error (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
               _ ("The GridPane base URL “%s” must start with https://."), url);
  return FALSE;
}

/* ---------------------------------------------------------------------- */
/* Errors                                                                  */

GError *
backups_gridpane_client_error_for_status (BackupsGridpaneClient *self,
                                          const char            *endpoint,
                                          guint                  status)
{
  const char *account = backups_gridpane_client_get_account_name (self);

  if (status == SOUP_STATUS_UNAUTHORIZED || status == SOUP_STATUS_FORBIDDEN)
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_UNAUTHORIZED,
                        _ ("GridPane rejected the token of account ‘%s’ (HTTP %u). Update it "
                           "under Accounts."),
                        account, status);

  if (status == SOUP_STATUS_NOT_FOUND)
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_NOT_FOUND,
                        _ ("GridPane has no %s for account ‘%s’ (HTTP 404). Check the account’s "
                           "base URL under Accounts."),
                        endpoint, account);

  if (status == HTTP_TOO_MANY_REQUESTS)
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_RATE_LIMITED,
                        _ ("GridPane kept refusing requests of account ‘%s’ because of its rate "
                           "limit (HTTP 429, %u retries). Try again in a few minutes."),
                        account, backups_gridpane_client_get_max_retries (self));

  if (SOUP_STATUS_IS_SERVER_ERROR (status))
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_SERVER,
                        _ ("GridPane had a server error (HTTP %u) while syncing account ‘%s’. Try "
                           "again later."),
                        status, account);

  if (SOUP_STATUS_IS_REDIRECTION (status))
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_FAILED,
                        _ ("GridPane redirected %s of account ‘%s’ elsewhere (HTTP %u), and "
                           "Backups does not follow redirects. Check the account’s base URL "
                           "under Accounts."),
                        endpoint, account, status);

  return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_FAILED,
                      _ ("GridPane answered HTTP %u to %s for account ‘%s’. Try again later."),
                      status, endpoint, account);
}

GError *
backups_gridpane_client_error_for_transport (BackupsGridpaneClient *self,
                                             const char            *endpoint,
                                             const GError          *error)
{
  const char *account = backups_gridpane_client_get_account_name (self);

  if (g_error_matches (error, G_IO_ERROR, G_IO_ERROR_TIMED_OUT))
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_TIMED_OUT,
                        _ ("GridPane did not answer %s for account ‘%s’ in time. Try again "
                           "later."),
                        endpoint, account);

  if (error->domain == G_TLS_ERROR)
    return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_OFFLINE,
                        _ ("Could not connect securely to GridPane for account ‘%s’: %s. Check "
                           "the base URL and your connection."),
                        account, error->message);

  return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_OFFLINE,
                      _ ("Could not connect to GridPane for account ‘%s’: %s. Check your "
                         "connection."),
                      account, error->message);
}

GError *
backups_gridpane_client_error_for_body (BackupsGridpaneClient *self,
                                        const char            *endpoint,
                                        const GError          *error)
{
  const char *account = backups_gridpane_client_get_account_name (self);

  return g_error_new (BACKUPS_ERROR, BACKUPS_ERROR_INVALID_RESPONSE,
                      _ ("GridPane sent a response for account ‘%s’ that Backups could not read "
                         "(%s: %s)."),
                      account, endpoint, error->message);
}
