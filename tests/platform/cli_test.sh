#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# Exit statuses and outputs of the presil command (built with the test-only CPU and device types).
# Usage: cli_test.sh PRESIL TESTS_PLATFORM_SOURCE_DIR ELF_DIR
presil=$1 src=$2 elf=$3
good=$src/boards-good
export SC_COPYRIGHT_MESSAGE=DISABLE
out=$(mktemp) err=$(mktemp)
trap 'rm -f "$out" "$err"' EXIT
failures=0

# expect STATUS PATTERN ARGS...: runs presil ARGS, checks the status and that stdout+stderr contain
# PATTERN (an empty PATTERN: that there is no output at all).
expect() {
    want=$1 pattern=$2
    shift 2
    "$presil" "$@" >"$out" 2>"$err"
    rc=$?
    if [ "$rc" != "$want" ]; then
        echo "FAIL: presil $*: exit status $rc, expected $want"; cat "$out" "$err"; failures=$((failures + 1)); return
    fi
    if [ -z "$pattern" ]; then
        if [ -s "$out" ] || [ -s "$err" ]; then
            echo "FAIL: presil $*: unexpected output"; cat "$out" "$err"; failures=$((failures + 1)); return
        fi
    elif ! cat "$out" "$err" | grep -qF -- "$pattern"; then
        echo "FAIL: presil $*: output lacks '$pattern'"; cat "$out" "$err"; failures=$((failures + 1)); return
    fi
    echo "ok: presil $* -> $rc"
}

expect 0 "4      wall-time limit (--max-wall) reached" --help
expect 0 "  3      simulated-time limit (--max-time) reached" run --help
expect 2 "board is required" run
expect 2 "A subcommand is required" frobnicate
expect 0 "  base.yaml                platform test board (test-initiator CPU, ROM, RAM, test devices)" boards
PRESIL_BOARDS_DIR=$src/boards-bad expect 0 "  zero-size.yaml           " boards
PRESIL_BOARDS_DIR=/nonexistent/boards expect 2 "cannot read the boards folder /nonexistent/boards" boards
expect 0 "  dev1         0x40001000 0x40001fff     4KiB  test-dev" check "$good/base.yaml"
expect 0 "  dev2                 -> cpu0 IRQ 6" check "$good/derived.yaml"
expect 2 "cannot open board file" check "$good/no-such.yaml"
# The test CPU of derived.yaml reads the word at 0x100 (7 in prog.elf) and exits with it.
expect 7 "" run "$good/derived.yaml" --kernel "$elf/prog.elf" --max-time 1ms
expect 7 "presil: simulated 1 us in" run "$good/derived.yaml" --kernel "$elf/prog.elf" --stats
expect 3 "presil: simulated-time limit of 20 us reached" run "$good/base.yaml" --max-time 20us
expect 4 "presil: wall-time limit reached" run "$good/base.yaml" --max-time 1000s --max-wall 50ms
expect 4 "presil: wall-time limit reached (the simulation did not return control)" run "$good/hang.yaml" --max-wall 100ms
expect 1 "the simulation has nothing left to do" run "$good/base.yaml"
expect 1 "host64.elf: 64-bit ELF file, but the board's CPU runs 32-bit programs" run "$good/base.yaml" --kernel "$elf/host64.elf"
expect 1 "outside.elf: segment 0 [0x80000000, 0x80000063] is outside any memory of board 'test-base'" run "$good/base.yaml" --kernel "$elf/outside.elf"
expect 1 "no-such.elf: cannot open: No such file or directory" run "$good/base.yaml" --kernel "$elf/no-such.elf"
expect 2 "expected a time with a unit" run "$good/base.yaml" --quantum 10parsecs
expect 2 "unknown device type 'flux-capacitor'" run "$src/boards-bad/unknown-device-type.yaml"

if [ "$failures" != 0 ]; then
    echo "$failures failure(s)"
    exit 1
fi
echo "all passed"
