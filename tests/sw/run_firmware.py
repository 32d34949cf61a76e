#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Runs one guest program on an emulator and compares its console output and exit status
# with a golden file; lines starting with "[time] " depend on timing and match any such line.
"""Usage: run_firmware.py --elf X.elf --golden G.out --exit-status N [--timeout S] -- EMULATOR ARGS...

The emulator command follows "--"; the token {elf} in it is replaced by the ELF path.
Exit status: 0 when output and status match, 1 on a mismatch, 77 (skip) when the
emulator is not installed."""

import argparse
import difflib
import os
import shutil
import subprocess
import sys

SKIP = 77
TIME_PREFIX = "[time] "


def normalise(lines):
    """Timing lines compare by their prefix only."""
    return [TIME_PREFIX + "..." if line.startswith(TIME_PREFIX) else line for line in lines]


def main():
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--elf", required=True, help="guest program")
    parser.add_argument("--golden", required=True, help="expected console output")
    parser.add_argument("--exit-status", type=int, required=True, help="expected exit status")
    parser.add_argument("--timeout", type=float, default=120.0, help="seconds before the run is killed")
    parser.add_argument("command", nargs=argparse.REMAINDER, help="-- emulator command with {elf}")
    args = parser.parse_args()

    command = args.command[1:] if args.command[:1] == ["--"] else args.command
    if not command:
        parser.error("missing the emulator command after --")
    if shutil.which(command[0]) is None:
        print(f"SKIP: {command[0]} is not installed; cannot run {os.path.basename(args.elf)}")
        return SKIP
    if not os.path.isfile(args.elf):
        print(f"error: guest program {args.elf} does not exist (build the sw targets first)")
        return 1
    command = [part.replace("{elf}", args.elf) for part in command]
    with open(args.golden, encoding="utf-8") as f:
        golden = f.read().splitlines()

    try:
        run = subprocess.run(command, stdin=subprocess.DEVNULL, capture_output=True, timeout=args.timeout)
    except subprocess.TimeoutExpired as e:
        print(f"FAIL: timed out after {args.timeout} s: {' '.join(command)}")
        sys.stdout.write((e.stdout or b"").decode("utf-8", "replace"))
        return 1
    output = run.stdout.decode("utf-8", "replace").replace("\r\n", "\n").splitlines()

    ok = True
    if normalise(output) != normalise(golden):
        ok = False
        print(f"FAIL: console output differs from {args.golden}")
        sys.stdout.writelines(
            line + "\n" for line in difflib.unified_diff(golden, output, "expected", "actual", lineterm=""))
    if run.returncode != args.exit_status:
        ok = False
        print(f"FAIL: exit status {run.returncode}, expected {args.exit_status}")
    if run.stderr:
        print("stderr:\n" + run.stderr.decode("utf-8", "replace"))
    if ok:
        print(f"PASS: {os.path.basename(args.elf)}: {len(output)} lines match, exit status {run.returncode}")
    return 0 if ok else 1


if __name__ == "__main__":
    sys.exit(main())
