/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-integration.h: one backup storage integration with the number of
 * schedules that use it. Read-only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_INTEGRATION (backups_integration_get_type ())

G_DECLARE_FINAL_TYPE (BackupsIntegration, backups_integration, BACKUPS, INTEGRATION, GObject)

typedef struct
{
  gint64 account_id;
  char  *account_name;
  gint64 integration_id;
  char  *service;
  char  *name;
  char  *region; /* nullable */
  guint  used_by;
} BackupsIntegrationFields;

/* Takes ownership of the strings in `fields` and zeroes them. */
BackupsIntegration *backups_integration_new_take (BackupsIntegrationFields *fields);

gboolean backups_integration_equal (BackupsIntegration *a, BackupsIntegration *b);

gint64      backups_integration_get_account_id (BackupsIntegration *self);
const char *backups_integration_get_account_name (BackupsIntegration *self);
gint64      backups_integration_get_integration_id (BackupsIntegration *self);
const char *backups_integration_get_service (BackupsIntegration *self);
const char *backups_integration_get_name (BackupsIntegration *self);
const char *backups_integration_get_region (BackupsIntegration *self);
guint       backups_integration_get_used_by (BackupsIntegration *self);

G_END_DECLS
