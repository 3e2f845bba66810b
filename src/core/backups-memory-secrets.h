/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-memory-secrets.h */
#pragma once

#include "backups-secrets.h"

G_BEGIN_DECLS

#define BACKUPS_TYPE_MEMORY_SECRETS (backups_memory_secrets_get_type ())

G_DECLARE_FINAL_TYPE (
  BackupsMemorySecrets, backups_memory_secrets, BACKUPS, MEMORY_SECRETS, BackupsSecrets)

G_END_DECLS
