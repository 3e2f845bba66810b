/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-name.h: what an organization or account name may be. */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

/* Longer names would not fit a row, a drop-down or a keyring label. */
#define BACKUPS_NAME_MAX_CHARS 200

typedef enum
{
  BACKUPS_NAME_ORG,
  BACKUPS_NAME_ACCOUNT,
} BackupsNameKind;

/* Fails with BACKUPS_ERROR_INVALID_INPUT, in a sentence naming the kind,
 * for an empty name, one that is not UTF-8, or one longer than
 * BACKUPS_NAME_MAX_CHARS characters. */
gboolean backups_name_check (BackupsNameKind kind, const char *name, GError **error);

G_END_DECLS
