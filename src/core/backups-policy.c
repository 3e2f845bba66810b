/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-policy.c */
#include "config.h"

#include "backups-policy.h"

#include <string.h>

#define SETTINGS_SCHEMA_ID "org.example.Backups"

G_DEFINE_BOXED_TYPE (BackupsPolicy, backups_policy, backups_policy_copy, backups_policy_free)

static const char *const settings_keys[] = {
  "require-remote",
  "min-retain-days",
  "max-gap-hours",
  "crowded-start-sites",
};

BackupsPolicy *
backups_policy_new (gboolean require_remote,
                    guint    min_retain_days,
                    guint    max_gap_hours,
                    guint    crowded_start_sites)
{
  BackupsPolicy *policy = g_new0 (BackupsPolicy, 1);

  policy->require_remote = !!require_remote;
  policy->min_retain_days = min_retain_days;
  policy->max_gap_hours = max_gap_hours;
  policy->crowded_start_sites = crowded_start_sites;
  return policy;
}

BackupsPolicy *
backups_policy_new_default (void)
{
  return backups_policy_new (
    BACKUPS_POLICY_DEFAULT_REQUIRE_REMOTE, BACKUPS_POLICY_DEFAULT_MIN_RETAIN_DAYS,
    BACKUPS_POLICY_DEFAULT_MAX_GAP_HOURS, BACKUPS_POLICY_DEFAULT_CROWDED_START_SITES);
}

BackupsPolicy *
backups_policy_new_from_settings (GSettings *settings)
{
  g_return_val_if_fail (G_IS_SETTINGS (settings), NULL);

  return backups_policy_new (g_settings_get_boolean (settings, "require-remote"),
                             g_settings_get_uint (settings, "min-retain-days"),
                             g_settings_get_uint (settings, "max-gap-hours"),
                             g_settings_get_uint (settings, "crowded-start-sites"));
}

BackupsPolicy *
backups_policy_new_from_default_settings (void)
{
  GSettingsSchemaSource *source = g_settings_schema_source_get_default ();
  g_autoptr (GSettingsSchema) schema = NULL;
  g_autoptr (GSettings) settings = NULL;

  if (source != NULL)
    schema = g_settings_schema_source_lookup (source, SETTINGS_SCHEMA_ID, TRUE);
  if (schema == NULL)
    {
      g_debug ("No %s schema installed: the policy's defaults apply", SETTINGS_SCHEMA_ID);
      return backups_policy_new_default ();
    }
  /* An older installed schema may lack the keys. */
  for (guint i = 0; i < G_N_ELEMENTS (settings_keys); i++)
    if (!g_settings_schema_has_key (schema, settings_keys[i]))
      return backups_policy_new_default ();

  settings = g_settings_new_full (schema, NULL, NULL);
  return backups_policy_new_from_settings (settings);
}

BackupsPolicy *
backups_policy_copy (const BackupsPolicy *policy)
{
  g_return_val_if_fail (policy != NULL, NULL);

  return g_memdup2 (policy, sizeof *policy);
}

void
backups_policy_free (BackupsPolicy *policy)
{
  g_free (policy);
}

gboolean
backups_policy_equal (const BackupsPolicy *a, const BackupsPolicy *b)
{
  if (a == NULL || b == NULL)
    return a == b;
  return !a->require_remote == !b->require_remote && a->min_retain_days == b->min_retain_days
         && a->max_gap_hours == b->max_gap_hours
         && a->crowded_start_sites == b->crowded_start_sites;
}

gboolean
backups_policy_is_settings_key (const char *key)
{
  for (guint i = 0; i < G_N_ELEMENTS (settings_keys); i++)
    if (g_strcmp0 (key, settings_keys[i]) == 0)
      return TRUE;
  return FALSE;
}
