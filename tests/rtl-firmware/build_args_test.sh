#!/bin/sh
# SPDX-License-Identifier: Apache-2.0
# `presil rtl build` argument errors: exit status 2 and a message naming the problem.
# Usage: build_args_test.sh PRESIL WORKDIR
set -eu
presil=$1 work=$2
fail() { echo "FAIL: $*"; exit 1; }
expect() { # expect STATUS PATTERN ARGS...
  want=$1 pattern=$2
  shift 2
  set +e
  out=$("$presil" "$@" 2>&1)
  rc=$?
  set -e
  [ "$rc" -eq "$want" ] || fail "presil $*: exit status $rc, expected $want: $out"
  echo "$out" | grep -q -- "$pattern" || fail "presil $*: output lacks '$pattern': $out"
}
mkdir -p "$work"
echo 'module m(input wire PCLK); endmodule' >"$work/m.v"
expect 2 "expected apb or axi-lite" rtl build --top m --bus ahb -o "$work/libm.so" "$work/m.v"
expect 2 "not found" rtl build --top m --bus apb -o "$work/libm.so" "$work/no_such_file.v"
expect 2 "top" rtl build --bus apb -o "$work/libm.so" "$work/m.v"
[ ! -e "$work/libm.so" ] || fail "a library was written"
echo "PASS"
