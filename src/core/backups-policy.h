/* SPDX-License-Identifier: GPL-3.0-or-later */
/* backups-policy.h
 *
 * The protection policy a site's health is judged by (DESIGN.md,
 * "Protection"): four values the user sets under Preferences → Policy,
 * kept in GSettings (`require-remote`, `min-retain-days`, `max-gap-hours`,
 * `crowded-start-sites`). A plain value: copy it freely, hand it to a
 * worker thread, compare it.
 */
#pragma once

#include <gio/gio.h>

G_BEGIN_DECLS

#define BACKUPS_TYPE_POLICY (backups_policy_get_type ())

typedef struct
{
  gboolean require_remote;      /* no enabled remote schedule to a known integration: at risk */
  guint    min_retain_days;     /* fewer days kept: at risk; 0 switches the check off */
  guint    max_gap_hours;       /* most frequent schedule runs less often: at risk; 0 = off */
  guint    crowded_start_sites; /* more sites of a server start in one minute: at risk; 0 = off */
} BackupsPolicy;

/* The schema's defaults: remote required, 30 days, 24 hours, 5 sites. */
#define BACKUPS_POLICY_DEFAULT_REQUIRE_REMOTE TRUE
#define BACKUPS_POLICY_DEFAULT_MIN_RETAIN_DAYS 30
#define BACKUPS_POLICY_DEFAULT_MAX_GAP_HOURS 24
#define BACKUPS_POLICY_DEFAULT_CROWDED_START_SITES 5

GType backups_policy_get_type (void) G_GNUC_CONST;

BackupsPolicy *backups_policy_new (gboolean require_remote,
                                   guint    min_retain_days,
                                   guint    max_gap_hours,
                                   guint    crowded_start_sites);
BackupsPolicy *backups_policy_new_default (void);
/* From the four keys of `settings` (schema org.example.Backups). */
BackupsPolicy *backups_policy_new_from_settings (GSettings *settings);
/* From the installed org.example.Backups schema; the defaults when it is
 * not installed (a test, a build tree run without GSETTINGS_SCHEMA_DIR). */
BackupsPolicy *backups_policy_new_from_default_settings (void);
BackupsPolicy *backups_policy_copy (const BackupsPolicy *policy);
void           backups_policy_free (BackupsPolicy *policy);
gboolean       backups_policy_equal (const BackupsPolicy *a, const BackupsPolicy *b);

/* TRUE when `key` is one of the policy's GSettings keys. */
gboolean backups_policy_is_settings_key (const char *key);

G_DEFINE_AUTOPTR_CLEANUP_FUNC (BackupsPolicy, backups_policy_free)

G_END_DECLS
