/* fuzz-schedules.c: backups_gridpane_parse_schedules() */
#include "fuzz-common.h"

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) records
    = backups_gridpane_parse_schedules ((const char *)data, size, &error);

  fuzz_check_outcome (records, error);
  for (guint i = 0; records != NULL && i < records->len; i++)
    {
      BackupsScheduleRecord *record = g_ptr_array_index (records, i);

      if (record->hour < 0 || record->hour > 23 || record->minute < 0 || record->minute > 59)
        abort ();
      if (record->day != BACKUPS_NO_VALUE
          && !(record->frequency == BACKUPS_FREQUENCY_WEEKLY && record->day >= 0
               && record->day <= 6)
          && !(record->frequency == BACKUPS_FREQUENCY_MONTHLY && record->day >= 1
               && record->day <= 28))
        abort ();
      if (record->site_url == NULL)
        abort ();
      fuzz_check_raw_json (record->raw_json);
    }
  return 0;
}
