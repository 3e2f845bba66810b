/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-client-private.h
 *
 * What the files of the GridPane client share: the errors that name the
 * account (backups-gridpane-client-errors.c), for the requests
 * (backups-gridpane-client.c) and the list pages
 * (backups-gridpane-client-pages.c).
 */
#pragma once

#include "backups-gridpane-client.h"

G_BEGIN_DECLS

/* libsoup 3.2 has no name for it. */
#define HTTP_TOO_MANY_REQUESTS 429

/* TRUE when the base URL's host is this computer. */
gboolean backups_gridpane_base_url_is_loopback (const char *url);

/* A BACKUPS_ERROR for an HTTP status other than 2xx, a transport error, or
 * a body that could not be read, naming the account and the endpoint. */
GError *backups_gridpane_client_error_for_status (BackupsGridpaneClient *self,
                                                  const char            *endpoint,
                                                  guint                  status);
GError *backups_gridpane_client_error_for_transport (BackupsGridpaneClient *self,
                                                     const char            *endpoint,
                                                     const GError          *error);
GError *backups_gridpane_client_error_for_body (BackupsGridpaneClient *self,
                                                const char            *endpoint,
                                                const GError          *error);

/* Clients are numbered in the order they were made: the accounts whose
 * syncs began first have their pages parsed first. */
guint64 backups_gridpane_client_next_sequence (void);
guint64 backups_gridpane_client_get_sequence (BackupsGridpaneClient *self);

G_END_DECLS
