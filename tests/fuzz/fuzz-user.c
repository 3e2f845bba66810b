/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-user.c: backups_gridpane_parse_user(), the credential check. */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  gboolean ok = backups_gridpane_parse_user ((const char *)data, size, &error);
  FuzzBody body = FUZZ_BODY_INIT (data, size);

  /* TRUE without an error, or FALSE with one: never both, never neither. */
  fuzz_check_outcome (ok ? GINT_TO_POINTER (1) : NULL, error);
  /* An error never quotes what only a credential member held. */
  fuzz_check_error_secret_free (&body, error);
  return 0;
}
