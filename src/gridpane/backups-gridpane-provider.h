/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-gridpane-provider.h
 *
 * BackupsProvider for GridPane accounts: validate is GET /user, and the
 * four fetches map /server, /site, /backups/schedules and
 * /backups/integrations to records.
 */
#pragma once

#include "backups-provider.h"
#include "backups-gridpane-client.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_GRIDPANE_PROVIDER (backups_gridpane_provider_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsGridpaneProvider, backups_gridpane_provider, BACKUPS, GRIDPANE_PROVIDER, GObject)

/* `base_url` NULL or "" means BACKUPS_GRIDPANE_DEFAULT_BASE_URL. Fails with
 * BACKUPS_ERROR_INVALID_INPUT for a base URL that is not https:// (or
 * http:// to loopback). */
BackupsProvider *backups_gridpane_provider_new (const char *account_name,
                                                const char *base_url,
                                                const char *token,
                                                GError    **error);

/* A BackupsProviderFactory: `provider` must be BACKUPS_PROVIDER_KIND_GRIDPANE. */
BackupsProvider *backups_gridpane_provider_factory (const char *provider,
                                                    const char *account_name,
                                                    const char *base_url,
                                                    const char *token,
                                                    gpointer    user_data,
                                                    GError    **error);

/* The client, for tuning (timeouts, retries) and counters in tests and
 * benchmarks. */
BackupsGridpaneClient *backups_gridpane_provider_get_client (BackupsGridpaneProvider *self);

G_END_DECLS
