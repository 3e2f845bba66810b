/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-error.h
 *
 * One error domain for everything the user may read. Messages are whole
 * sentences that name the account and say what the user can do.
 */
#pragma once

#include <glib.h>

G_BEGIN_DECLS

#define BACKUPS_ERROR (backups_error_quark ())

typedef enum
{
  BACKUPS_ERROR_FAILED,
  BACKUPS_ERROR_UNAUTHORIZED, /* 401/403: bad or revoked token */
  BACKUPS_ERROR_NOT_FOUND,    /* 404 */
  BACKUPS_ERROR_RATE_LIMITED, /* 429 after the bounded retries */
  BACKUPS_ERROR_SERVER,       /* 5xx */
  BACKUPS_ERROR_OFFLINE,      /* cannot connect / resolve */
  BACKUPS_ERROR_TIMED_OUT,
  BACKUPS_ERROR_INVALID_RESPONSE, /* not the JSON shape GridPane sends */
  BACKUPS_ERROR_INVALID_INPUT,    /* bad user input: names, URLs */
  BACKUPS_ERROR_EXISTS,
  BACKUPS_ERROR_NO_SUCH_ORG,
  BACKUPS_ERROR_NO_SUCH_ACCOUNT,
  BACKUPS_ERROR_NO_KEYRING, /* no Secret Service reachable */
  BACKUPS_ERROR_NO_TOKEN,   /* the keyring has no token for the account */
  BACKUPS_ERROR_DATABASE,
  BACKUPS_ERROR_DATABASE_TOO_NEW,
  BACKUPS_ERROR_DATABASE_DAMAGED,   /* SQLite found the cache corrupt: rebuild it */
  BACKUPS_ERROR_DATABASE_FULL,      /* no space left on its disk */
  BACKUPS_ERROR_DATABASE_READ_ONLY, /* its folder or file may not be written */
  BACKUPS_ERROR_DATABASE_LOCKED,    /* another program holds its lock too long */
} BackupsErrorCode;

GQuark backups_error_quark (void);

G_END_DECLS
