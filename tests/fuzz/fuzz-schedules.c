/* fuzz-schedules.c: backups_gridpane_parse_schedules(), and the one-pass
 * parser against json-glib's tree: whenever the one-pass parser answers, the
 * tree must give the same records. */
#include <string.h>

#include "backups-gridpane-parser-private.h"
#include "fuzz-common.h"

static int
strcmp0 (const char *a, const char *b)
{
  return a == NULL || b == NULL ? (a != b) : strcmp (a, b);
}

static void
check_same_records (GPtrArray *direct, GPtrArray *tree)
{
  if (direct->len != tree->len)
    abort ();
  for (guint i = 0; i < direct->len; i++)
    {
      BackupsScheduleRecord *a = g_ptr_array_index (direct, i);
      BackupsScheduleRecord *b = g_ptr_array_index (tree, i);

      if (a->remote_id != b->remote_id || a->site_remote_id != b->site_remote_id
          || a->server_remote_id != b->server_remote_id || strcmp0 (a->site_url, b->site_url) != 0
          || a->type != b->type || a->frequency != b->frequency || a->hour != b->hour
          || a->minute != b->minute || a->day != b->day || a->service_id != b->service_id
          || strcmp0 (a->service_name, b->service_name) != 0
          || strcmp0 (a->raw_json, b->raw_json) != 0)
        abort ();
    }
}

int
LLVMFuzzerTestOneInput (const uint8_t *data, size_t size)
{
  g_autoptr (GError) error = NULL;
  g_autoptr (GPtrArray) direct = backups_gridpane_parse_schedules_direct ((const char *)data, size);
  g_autoptr (GPtrArray) records
    = backups_gridpane_parse_schedules ((const char *)data, size, &error);

  fuzz_check_outcome (records, error);
  if (direct != NULL)
    {
      g_autoptr (GError) tree_error = NULL;
      g_autoptr (GPtrArray) tree
        = backups_gridpane_parse_schedules_tree ((const char *)data, size, &tree_error);

      /* The one-pass parser never accepts a body the tree refuses. */
      if (tree == NULL)
        abort ();
      check_same_records (direct, tree);
    }

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
