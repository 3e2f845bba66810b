/* fuzz-sites-page.c: backups_gridpane_parse_sites_page() */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records = NULL;
  BackupsGridpanePage page;

  records = backups_gridpane_parse_sites_page ((const char *)data, size, &page, &error);
  fuzz_check_outcome (records, error);
  if (records != NULL)
    {
      fuzz_check_page (records, &page);
      for (guint i = 0; i < records->len; i++)
        if (((BackupsSiteRecord *)g_ptr_array_index (records, i))->url == NULL)
          abort ();
    }
  return 0;
}
