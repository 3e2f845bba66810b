#!/bin/bash
# SPDX-License-Identifier: GPL-3.0-or-later
# The compiled schema of the build (data/gschemas.compiled): the auto-sync
# interval refuses values under 5 minutes, and keeps its default of 15.
# Usage: check-schema.sh BUILD_DATA_DIR
set -uo pipefail
schema_dir=$1
export GSETTINGS_BACKEND=memory
gsettings() { command gsettings --schemadir "$schema_dir" "$@"; }
failures=0
fail() { echo "FAIL: $*"; failures=$((failures + 1)); }

range=$(gsettings range org.example.Backups auto-sync-interval | tr '\n' ' ')
[[ "$range" == "range u 5 1440 " ]] || fail "auto-sync-interval range is “$range”, wanted 5 to 1440"
[[ $(gsettings get org.example.Backups auto-sync-interval) == "uint32 15" ]] ||
  fail "auto-sync-interval default is not 15"
gsettings set org.example.Backups auto-sync-interval 4 2>/dev/null &&
  fail "auto-sync-interval accepted 4 minutes"
gsettings set org.example.Backups auto-sync-interval 5 || fail "auto-sync-interval refused 5 minutes"
for key in window-width window-height window-maximized last-organization; do
  gsettings range org.example.Backups "$key" >/dev/null || fail "no key $key"
done
echo "$failures failures"
exit $((failures > 0))
