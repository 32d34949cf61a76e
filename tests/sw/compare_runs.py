#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Runs one guest program several times with different presil options and requires the
# console output to be identical: byte for byte (determinism) or apart from "[time] " lines.
"""Usage: compare_runs.py --elf X.elf [--ignore-time] [--timeout S] [--exit-status N]
                          --variant "ARGS" [--variant "ARGS" ...] -- PRESIL_COMMAND...

The command after "--" gets each variant's (space-separated) arguments appended; the token
{elf} is replaced by the ELF path. Every run must exit with the same status (N if given)
and print the same output as the first one, within the timeout."""

import argparse
import difflib
import shlex
import subprocess
import sys

TIME_PREFIX = "[time] "


def run(command, timeout):
    r = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=timeout)
    return r.returncode, r.stdout.decode("utf-8", "replace").splitlines()


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elf", required=True)
    parser.add_argument("--variant", action="append", required=True, help="extra arguments of one run")
    parser.add_argument("--ignore-time", action="store_true", help="compare lines starting with '[time] ' by prefix only")
    parser.add_argument("--timeout", type=float, default=120.0)
    parser.add_argument("--exit-status", type=int, help="the status every run must exit with")
    parser.add_argument("command", nargs=argparse.REMAINDER)
    args = parser.parse_args()
    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("missing the presil command after --")
    command = [part.replace("{elf}", args.elf) for part in command]

    def norm(lines):
        if not args.ignore_time:
            return lines
        return [TIME_PREFIX + "..." if line.startswith(TIME_PREFIX) else line for line in lines]

    first = None
    for variant in args.variant:
        try:
            status, out = run(command + shlex.split(variant), args.timeout)
        except subprocess.TimeoutExpired:
            print(f"FAIL: run [{variant}] did not end within {args.timeout} s")
            return 1
        print(f"run [{variant}]: exit status {status}, {len(out)} lines")
        if args.exit_status is not None and status != args.exit_status:
            print(f"FAIL: run [{variant}] exited with {status}, expected {args.exit_status}")
            return 1
        if first is None:
            first = (variant, status, out)
            if not out:
                print("FAIL: the first run printed nothing")
                return 1
            continue
        base_variant, base_status, base_out = first
        if status != base_status or norm(out) != norm(base_out):
            print(f"FAIL: run [{variant}] differs from run [{base_variant}]")
            if status != base_status:
                print(f"  exit status {status} vs {base_status}")
            sys.stdout.writelines(l + "\n" for l in difflib.unified_diff(
                base_out, out, base_variant, variant, lineterm=""))
            return 1
    print(f"PASS: {len(args.variant)} runs agree")
    return 0


if __name__ == "__main__":
    sys.exit(main())
