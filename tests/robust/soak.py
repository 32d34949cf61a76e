#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Soak run: sw/arm/soak.elf on boards/mps2-an385-rtl.yaml for a fixed, large simulated time, twice.

Usage: soak.py PRESIL BOARD ELF [--time 5s] [--runs 2]
Checks that each run stops at the simulated-time limit (exit 3) with the expected number of status
lines, that the runs print identical output, and that presil's memory stays flat: the resident set
size, sampled from /proc/PID/status every 0.2 s, is no higher in the last half of a run than
in the first half plus a small margin. Prints the wall time and peak memory (VmHWM) of each run.
"""
import argparse
import hashlib
import subprocess
import sys
import tempfile
import time


def status_kib(pid, key):
    try:
        with open(f"/proc/{pid}/status") as f:
            for line in f:
                if line.startswith(key + ":"):
                    return int(line.split()[1])
    except OSError:
        pass
    return None


def one_run(cmd, out_path):
    samples = []  # (seconds since start, VmRSS KiB)
    hwm = 0
    start = time.monotonic()
    with open(out_path, "wb") as out:
        p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
        while p.poll() is None:
            rss = status_kib(p.pid, "VmRSS")
            h = status_kib(p.pid, "VmHWM")
            if rss is not None:
                samples.append((time.monotonic() - start, rss))
            if h is not None:
                hwm = max(hwm, h)
            time.sleep(0.2)
        err = p.stderr.read().decode(errors="replace")
    return p.returncode, err, time.monotonic() - start, samples, hwm


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("presil")
    ap.add_argument("board")
    ap.add_argument("elf")
    ap.add_argument("--time", default="5s", help="simulated time of each run (a presil time)")
    ap.add_argument("--runs", type=int, default=2)
    ap.add_argument("--margin-mib", type=float, default=8.0, help="allowed RSS growth, second half vs first")
    a = ap.parse_args()
    cmd = [a.presil, "run", a.board, "--kernel", a.elf, "--max-time", a.time, "--stats"]
    failures = 0
    digests = []
    with tempfile.TemporaryDirectory() as tmp:
        for k in range(a.runs):
            out_path = f"{tmp}/run{k}.out"
            status, err, wall, samples, hwm = one_run(cmd, out_path)
            with open(out_path, "rb") as f:
                data = f.read()
            digests.append(hashlib.sha256(data).hexdigest())
            lines = data.decode(errors="replace").splitlines()
            status_lines = [l for l in lines if l.startswith("soak: ") and " ms, " in l]
            print(f"run {k + 1}: exit status {status}, {wall:.1f} s wall, peak memory (VmHWM) {hwm / 1024:.1f} MiB, "
                  f"{len(samples)} RSS samples, {len(status_lines)} status lines, output sha256 {digests[-1][:16]}")
            print("  " + (status_lines[-1] if status_lines else "(no status line)"))
            if status != 3:
                print(f"FAIL: exit status {status}, expected 3 (simulated-time limit)\n{err}")
                failures += 1
            if any("FAIL" in l for l in lines):
                print("FAIL: the firmware reported a failure")
                failures += 1
            if len(samples) >= 10:
                half = len(samples) // 2
                # Skip the first second (start-up, translation of the whole program).
                first = max((r for t, r in samples[:half] if t >= 1.0), default=max(r for _, r in samples[:half]))
                last = max(r for _, r in samples[half:])
                print(f"  RSS: first half max {first / 1024:.1f} MiB, second half max {last / 1024:.1f} MiB")
                if last > first + a.margin_mib * 1024:
                    print(f"FAIL: memory grows over the run ({first} KiB -> {last} KiB)")
                    failures += 1
            else:
                print("FAIL: the run was too short to sample memory (raise --time)")
                failures += 1
        if len(set(digests)) != 1:
            print("FAIL: the runs printed different output")
            failures += 1
    print("soak:", "FAILED" if failures else "passed")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
