/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backupsctl-private.h: what the backupsctl command files share. */
#pragma once

#include "backups-error.h"
#include "backups-store.h"

G_BEGIN_DECLS

/* Exit statuses, as DESIGN.md and `backupsctl --help` document them. */
enum
{
  BACKUPSCTL_EXIT_OK = 0,
  BACKUPSCTL_EXIT_FAILED = 1,        /* a sync or the command failed */
  BACKUPSCTL_EXIT_USAGE = 2,         /* the command line is wrong */
  BACKUPSCTL_EXIT_NOT_PROTECTED = 3, /* check: a site is not Protected */
};

typedef struct
{
  /* "org add", "schedules", … and its synopsis, for usage messages. */
  const char   *command;
  const char   *synopsis;
  BackupsStore *store;
  GDateTime    *now;
} Backupsctl;

/* Parses the options of a command. `argv` starts with the command words'
 * stand-in (argv[0]); on return `*args` holds argv[0] and the operands.
 * --help prints the command's help and exits 0. Returns FALSE after
 * printing a usage error. */
gboolean backupsctl_parse_options (
  Backupsctl *cli, GOptionEntry *entries, const char *summary, int argc, char **argv, GStrv *args);

/* Prints "backupsctl: MESSAGE" and the command's short usage to stderr and
 * returns BACKUPSCTL_EXIT_USAGE. */
int backupsctl_usage_error (Backupsctl *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Prints "backupsctl: MESSAGE" to stderr and returns BACKUPSCTL_EXIT_FAILED. */
int backupsctl_fail (Backupsctl *cli, const char *format, ...) G_GNUC_PRINTF (2, 3);

/* Opens the shared database once and checks it is whole: a damaged cache
 * is an error that says to run `backupsctl repair`. */
BackupsStore *backupsctl_get_store (Backupsctl *cli, GError **error);
/* The same without the check, for repair. */
BackupsStore *backupsctl_open_store (Backupsctl *cli, GError **error);

/* The organizations a reading command covers: the one --org names, or all
 * of them (by name) when `org_name` is NULL. */
GPtrArray *backupsctl_resolve_orgs (Backupsctl *cli, const char *org_name, GError **error);

/* The one organization a changing command acts on: the one --org names, or
 * the only one there is. Returns NULL and sets *exit_status. */
BackupsOrg *backupsctl_resolve_single_org (Backupsctl *cli, const char *org_name, int *exit_status);

/* "2026-11-28T10:00:00Z", or NULL for 0. */
char *backupsctl_format_unix_time (gint64 unix_seconds);
char *backupsctl_format_date_time (GDateTime *date_time);

/* "OK", "Failed", "Never synced", "Syncing", for tables. */
const char *backupsctl_sync_status_label (BackupsSyncStatus status);

/* The width a table for people may take: $COLUMNS, else the terminal's
 * when stdout is one, else 0 (no limit: a pipe or a file gets whole
 * values). */
guint backupsctl_terminal_width (void);

/* Writes the whole text to stdout. */
void backupsctl_print (const char *text);

int backupsctl_cmd_org_add (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_org_list (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_org_remove (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_org_rename (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_account_rename (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_account_set_token (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_account_add (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_account_list (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_account_remove (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_sync (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_schedules (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_integrations (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_status (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_sites (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_check (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_repair (Backupsctl *cli, int argc, char **argv);
int backupsctl_cmd_restore_points (Backupsctl *cli, int argc, char **argv);

G_END_DECLS
