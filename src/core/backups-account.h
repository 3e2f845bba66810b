/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-account.h: a hosting account, a row of `accounts`. Read-only. */
#pragma once

#include <glib-object.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_ACCOUNT (backups_account_get_type ())

G_DECLARE_FINAL_TYPE (BackupsAccount, backups_account, BACKUPS, ACCOUNT, GObject)

typedef enum
{
  BACKUPS_SYNC_STATUS_NEVER,
  BACKUPS_SYNC_STATUS_SYNCING,
  BACKUPS_SYNC_STATUS_OK,
  BACKUPS_SYNC_STATUS_ERROR,
} BackupsSyncStatus;

typedef struct
{
  gint64            id;
  gint64            org_id;
  const char       *org_name;
  const char       *provider;
  const char       *name;
  const char       *base_url;
  const char       *secret_id;
  gint64            created_at;            /* unix seconds */
  gint64            last_sync_started_at;  /* 0 = never */
  gint64            last_sync_finished_at; /* 0 = never */
  BackupsSyncStatus last_sync_status;
  const char       *last_sync_error; /* nullable */
  /* Of the newest successful sync: how many rows had values that could not
   * be read, and why (one reason a line; nullable). */
  guint       last_sync_unreadable;
  const char *last_sync_unreadable_reasons;
} BackupsAccountFields;

BackupsAccount   *backups_account_new (const BackupsAccountFields *fields);
gint64            backups_account_get_id (BackupsAccount *self);
gint64            backups_account_get_org_id (BackupsAccount *self);
const char       *backups_account_get_org_name (BackupsAccount *self);
const char       *backups_account_get_provider (BackupsAccount *self);
const char       *backups_account_get_name (BackupsAccount *self);
const char       *backups_account_get_base_url (BackupsAccount *self);
const char       *backups_account_get_secret_id (BackupsAccount *self);
gint64            backups_account_get_last_sync_finished_at (BackupsAccount *self);
BackupsSyncStatus backups_account_get_last_sync_status (BackupsAccount *self);
const char       *backups_account_get_last_sync_error (BackupsAccount *self);
guint             backups_account_get_last_sync_unreadable (BackupsAccount *self);
const char       *backups_account_get_last_sync_unreadable_reasons (BackupsAccount *self);

const char *backups_sync_status_to_string (BackupsSyncStatus status);
gboolean    backups_sync_status_from_string (const char *str, BackupsSyncStatus *status);

G_END_DECLS
