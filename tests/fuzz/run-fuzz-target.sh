#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# run-fuzz-target.sh BINARY SEEDS DICT WORKDIR
#
# One libFuzzer run of a GridPane parser target, as the meson test
# fuzz-TARGET (suite 'fuzz', build dir configured with -Dfuzzing=true).
# It fuzzes for BACKUPS_FUZZ_SECONDS seconds: 20 by default, 300 when
# BACKUPS_TEST_LONG=1. The committed SEEDS are read, never written; inputs
# the fuzzer finds go to WORKDIR/corpus and are reused by the next run in
# the same build dir. A crash, a leak, undefined behaviour, a GLib warning
# or a broken property (abort) fails the test and leaves the input as
# WORKDIR/crash-* (or leak-*, timeout-*, oom-*): commit it as
# tests/fuzz/corpus/TARGET/regress-WHAT so that fuzz-replay-TARGET checks it
# in every build from then on, and fix the parser.
set -eu

bin=$1
seeds=$2
dict=$3
work=$4

if [ -n "${BACKUPS_FUZZ_SECONDS:-}" ]; then
  seconds=$BACKUPS_FUZZ_SECONDS
elif [ "${BACKUPS_TEST_LONG:-0}" = 1 ]; then
  seconds=300
else
  seconds=20
fi
case $seconds in
  '' | *[!0-9]*)
    echo "run-fuzz-target.sh: BACKUPS_FUZZ_SECONDS must be a whole number" >&2
    exit 2
    ;;
esac

mkdir -p "$work/corpus"
rm -f "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-* "$work"/slow-unit-*

# GLib 2.74 still has a slice allocator; ASan sees through plain malloc.
export G_SLICE=always-malloc
export ASAN_OPTIONS=detect_leaks=1:abort_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1

status=0
# libFuzzer's own exit code for a finding is 77, which meson counts as a
# skipped test: make it 1.
"$bin" "$work/corpus" "$seeds" -dict="$dict" -max_total_time="$seconds" -max_len=65536 \
  -timeout=10 -rss_limit_mb=2048 -artifact_prefix="$work/" -print_final_stats=1 \
  -error_exitcode=1 -timeout_exitcode=1 || status=$?

if [ "$status" -ne 0 ]; then
  for input in "$work"/crash-* "$work"/leak-* "$work"/timeout-* "$work"/oom-*; do
    [ -e "$input" ] || continue
    echo "$(basename "$bin") found an input that fails: $input" >&2
    echo "  commit it as $seeds/regress-<what>, then fix the parser" >&2
  done
fi
exit "$status"
