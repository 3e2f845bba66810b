/* SPDX-License-Identifier: GPL-3.0-or-later */
/* fuzz-sites-page.c: backups_gridpane_parse_sites_page(): flags, retention
 * and the embedded server in bounds, odd values explained, no credential
 * (site_customizer's application_token...) in a record or an error. */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  FuzzBody            body = FUZZ_BODY_INIT (data, size);
  BackupsGridpanePage page;

  records = backups_gridpane_parse_sites_page ((const char *)data, size, &page, &error);
  fuzz_check_outcome (records, error);
  fuzz_check_error_secret_free (&body, error);
  if (records != NULL)
    {
      fuzz_check_page (records, &page, TRUE);
      for (guint i = 0; i < records->len; i++)
        fuzz_check_site (g_ptr_array_index (records, i), &body);
    }
  return 0;
}
