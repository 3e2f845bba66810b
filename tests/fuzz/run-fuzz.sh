#!/bin/sh
# Builds the GridPane parser fuzz targets with clang's libFuzzer and
# AddressSanitizer, then runs each for a while on the committed seed corpus.
#
#   tests/fuzz/run-fuzz.sh [SECONDS] [TARGET...]
#
# SECONDS defaults to 60 per target; TARGET defaults to all of them
# (schedules integrations sites-page servers-page headers). New inputs the
# fuzzer finds go to $FUZZ_BUILD_DIR/corpus-TARGET, never into the repository;
# crashes are written to $FUZZ_BUILD_DIR/crash-TARGET-* and make the script
# fail. FUZZ_BUILD_DIR defaults to build-fuzz at the top of the repository.
# CC may name another clang. Only the parsers and src/core records are
# compiled: no HTTP, no GTK.
set -eu

here=$(cd "$(dirname "$0")" && pwd)
top=$(cd "$here/../.." && pwd)
seconds=${1:-60}
[ $# -gt 0 ] && shift
targets=${*:-schedules integrations sites-page servers-page headers}
out=${FUZZ_BUILD_DIR:-$top/build-fuzz}
cc=${CC:-clang}

case $seconds in
  ''|*[!0-9]*) echo "run-fuzz.sh: SECONDS must be a whole number" >&2; exit 2 ;;
esac

mkdir -p "$out"
# The parser includes config.h; the fuzz build needs nothing from it.
printf '#pragma once\n#define PACKAGE_VERSION "fuzz"\n#define GETTEXT_PACKAGE "backups"\n' \
  >"$out/config.h"

cflags="-g -O1 -fno-omit-frame-pointer -fsanitize=fuzzer,address,undefined
  -fno-sanitize-recover=undefined -std=gnu11 -Wall -Werror
  -DGLIB_VERSION_MIN_REQUIRED=GLIB_VERSION_2_74 -DGLIB_VERSION_MAX_ALLOWED=GLIB_VERSION_2_74
  -DJSON_VERSION_MIN_REQUIRED=JSON_VERSION_1_6 -DJSON_VERSION_MAX_ALLOWED=JSON_VERSION_1_6
  -I$out -I$top/src/core -I$top/src/gridpane"
pkgs="glib-2.0 json-glib-1.0"
sources="$top/src/gridpane/backups-gridpane-parser.c $top/src/gridpane/backups-gridpane-json.c
  $top/src/core/backups-records.c
  $top/src/core/backups-error.c"

# GLib 2.74 still has a slice allocator; ASan sees through plain malloc.
export G_SLICE=always-malloc G_DEBUG=gc-friendly
export ASAN_OPTIONS=${ASAN_OPTIONS:-detect_leaks=1:abort_on_error=1}
export UBSAN_OPTIONS=${UBSAN_OPTIONS:-print_stacktrace=1:halt_on_error=1}

status=0
for target in $targets; do
  src="$here/fuzz-$target.c"
  if [ ! -f "$src" ]; then
    echo "run-fuzz.sh: no target $target" >&2
    exit 2
  fi
  bin="$out/fuzz-$target"
  # shellcheck disable=SC2086
  $cc $cflags "$src" $sources $(pkg-config --cflags --libs $pkgs) -o "$bin"

  mkdir -p "$out/corpus-$target"
  seeds="$here/corpus/$target"
  echo "== fuzz-$target: $seconds s"
  if ! "$bin" "$out/corpus-$target" "$seeds" \
      -dict="$here/gridpane.dict" -max_total_time="$seconds" -max_len=65536 -timeout=10 \
      -rss_limit_mb=2048 -artifact_prefix="$out/crash-$target-" -print_final_stats=1 \
      >"$out/fuzz-$target.log" 2>&1; then
    echo "fuzz-$target FAILED; see $out/fuzz-$target.log" >&2
    tail -n 40 "$out/fuzz-$target.log" >&2
    status=1
  else
    grep -E '^stat::number_of_executed_units|^Done' "$out/fuzz-$target.log" || true
  fi
done
exit $status
