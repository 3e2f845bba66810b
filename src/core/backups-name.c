/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-name.c */
#include "config.h"

#include "backups-name.h"

#include <glib/gi18n.h>

#include "backups-error.h"

gboolean
backups_name_check (BackupsNameKind kind, const char *name, GError **error)
{
  if (name == NULL || *name == '\0' || !g_utf8_validate (name, -1, NULL))
    {
      g_set_error_literal (error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
                           kind == BACKUPS_NAME_ORG ? _ ("The organization name is empty.")
                                                    : _ ("The account name is empty."));
      return FALSE;
    }

  if (g_utf8_strlen (name, -1) > BACKUPS_NAME_MAX_CHARS)
    {
      g_set_error (
        error, BACKUPS_ERROR, BACKUPS_ERROR_INVALID_INPUT,
        kind == BACKUPS_NAME_ORG
          ? ngettext ("The organization name is longer than %d character.",
                      "The organization name is longer than %d characters.", BACKUPS_NAME_MAX_CHARS)
          : ngettext ("The account name is longer than %d character.",
                      "The account name is longer than %d characters.", BACKUPS_NAME_MAX_CHARS),
        BACKUPS_NAME_MAX_CHARS);
      return FALSE;
    }

  return TRUE;
}
