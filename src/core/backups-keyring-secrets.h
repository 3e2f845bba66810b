/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-keyring-secrets.h */
#pragma once

#include "backups-secrets.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_KEYRING_SECRETS (backups_keyring_secrets_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsKeyringSecrets, backups_keyring_secrets, BACKUPS, KEYRING_SECRETS, BackupsSecrets)

G_END_DECLS
