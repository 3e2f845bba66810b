/* fuzz-integrations.c: backups_gridpane_parse_integrations(), and the
 * promise that no credential member survives into raw_json. */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records
    = backups_gridpane_parse_integrations ((const char *)data, size, &error);

  fuzz_check_outcome (records, error);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      BackupsIntegrationRecord *record = g_ptr_array_index (records, i);

      if (record->service == NULL || record->name == NULL)
        abort ();
      fuzz_check_raw_json (record->raw_json);
    }
  return 0;
}
