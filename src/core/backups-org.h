/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-org.h: an organization, a row of `orgs`. Read-only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_ORG (backups_org_get_type ())

G_DECLARE_FINAL_TYPE (BackupsOrg, backups_org, BACKUPS, ORG, GObject)

BackupsOrg *backups_org_new (gint64 id, const char *name);
gint64      backups_org_get_id (BackupsOrg *self);
const char *backups_org_get_name (BackupsOrg *self);

G_END_DECLS
