/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-integrations.c: backups_gridpane_parse_integrations_page(), and
 * the promise that no credential reaches a record or an error: a body whose
 * sentinel sits only under credential-named members gives none back. */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  FuzzBody            body = FUZZ_BODY_INIT (data, size);
  BackupsGridpanePage page;

  records = backups_gridpane_parse_integrations_page ((const char *)data, size, &page, &error);
  fuzz_check_outcome (records, error);
  fuzz_check_error_secret_free (&body, error);
  if (records != NULL)
    {
      g_autoptr (GError) plain_error = NULL;
      g_autoptr (GPtrArray) plain
        = backups_gridpane_parse_integrations ((const char *)data, size, &plain_error);

      /* The function without a page gives the same answer. */
      if (plain == NULL || plain->len != records->len)
        abort ();
      fuzz_check_page (records, &page, TRUE);
      for (guint i = 0; i < records->len; i++)
        fuzz_check_integration (g_ptr_array_index (records, i), &body);
    }
  return 0;
}
