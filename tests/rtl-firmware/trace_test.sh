#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `presil run --trace-rtl DIR`: the firmware still passes and DIR holds a VCD per RTL peripheral
# with its bus pins and timestamps in picoseconds of simulated time.
# Usage: trace_test.sh PRESIL BOARD ELF DIR
set -eu
presil=$1 board=$2 elf=$3 dir=$4
rm -rf "$dir"
fail() { echo "FAIL: $*"; exit 1; }
"$presil" run "$board" --kernel "$elf" --max-wall 120s --trace-rtl "$dir" >"$dir.log" 2>&1 ||
  { cat "$dir.log"; fail "run with --trace-rtl failed"; }
grep -q "rtl_demo: PASS" "$dir.log" || fail "firmware did not pass"
for name in rtl_timer rtl_crc; do
  vcd=$dir/$name.vcd
  [ -s "$vcd" ] || fail "$vcd missing or empty"
  grep -q 'timescale' "$vcd" || fail "$vcd: no timescale"
  grep -q 'enddefinitions' "$vcd" || fail "$vcd: no definitions"
done
grep -q ' PSEL ' "$dir/rtl_timer.vcd" || fail "rtl_timer.vcd: no PSEL signal"
grep -q ' irq ' "$dir/rtl_timer.vcd" || fail "rtl_timer.vcd: no irq signal"
grep -q ' AWVALID ' "$dir/rtl_crc.vcd" || fail "rtl_crc.vcd: no AWVALID signal"
# Timestamps grow past one millisecond of simulated time (the timer runs for 10 x 100 us).
last=$(grep '^#[0-9]' "$dir/rtl_timer.vcd" | tail -1 | tr -d '#')
[ "$last" -gt 1000000000 ] || fail "rtl_timer.vcd: last timestamp $last ps, expected > 1 ms"
echo "PASS: VCDs for rtl_timer and rtl_crc, last timer timestamp $last ps"
