/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-application.h: the single-instance application. It owns the
 * store, the secrets and the sync service that every window shares. */
#pragma once

#include <adwaita.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_APPLICATION (backups_application_get_type ())

G_DECLARE_FINAL_TYPE (BackupsApplication, backups_application, BACKUPS, APPLICATION, AdwApplication)

BackupsApplication *backups_application_new (void);

G_END_DECLS
