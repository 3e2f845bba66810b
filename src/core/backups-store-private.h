/* backups-store-private.h: for the core's own tests and siblings only. */
#pragma once

#include <sqlite3.h>

#include "backups-store.h"

G_BEGIN_DECLS

/* The SQL that creates schema version 1, so tests can build an old
 * database and watch it migrate. */
extern const char backups_store_schema_v1[];

/* Borrows a connection of the store's pool (any thread) and gives it back. */
sqlite3 *backups_store_acquire_connection (BackupsStore *self, GError **error);
void     backups_store_release_connection (BackupsStore *self, sqlite3 *db);

G_END_DECLS
