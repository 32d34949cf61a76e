#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Resource limits of `presil run` with firmware that never exits (sw/arm spin, irq_storm, flood).

Usage: limits_cli.py CASE PRESIL BOARD SW_DIR
  max_time   spin.elf --max-time: exit 3, the console line flushed, the limit reported
  max_wall   spin.elf --max-wall: exit 4 in about that wall time, the console line flushed
  irq_storm  irq_storm.elf: SysTick every 16 cycles; simulated time still reaches --max-time (exit 3)
  flood      flood.elf for 20 ms and 50 ms of simulated time, stdout to a file: the output grows with
             the time (tens of MB, written through) while presil's peak RSS stays flat
"""
import os
import re
import subprocess
import sys
import tempfile
import time


def run(cmd, stdout_path=None, timeout=300):
    """Runs cmd; returns (status, stdout text or None, stderr text, wall seconds)."""
    out = open(stdout_path, "wb") if stdout_path else subprocess.PIPE
    start = time.monotonic()
    p = subprocess.Popen(cmd, stdout=out, stderr=subprocess.PIPE)
    try:
        stdout, err = p.communicate(timeout=timeout)
    except subprocess.TimeoutExpired:
        p.kill()
        p.communicate()
        raise SystemExit(f"FAIL: {' '.join(cmd)} did not end within {timeout} s")
    wall = time.monotonic() - start
    text = None
    if stdout_path:
        out.close()
    else:
        text = stdout.decode(errors="replace")
    return p.returncode, text, err.decode(errors="replace"), wall


def measure(cmd, stdout_path):
    """Runs cmd with stdout to a file in a child of a fresh Python process, so RUSAGE_CHILDREN's peak
    RSS is that command's own; returns (status, peak RSS in KiB, stderr)."""
    code = ("import resource,subprocess,sys;"
            "f=open(sys.argv[1],'wb');p=subprocess.run(sys.argv[2:],stdout=f,stderr=subprocess.PIPE);"
            "sys.stderr.write(p.stderr.decode(errors='replace'));"
            "print(p.returncode, resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss)")
    p = subprocess.run([sys.executable, "-c", code, stdout_path] + cmd, capture_output=True, timeout=600)
    status, rss = p.stdout.decode().split()
    return int(status), int(rss), p.stderr.decode(errors="replace")


def expect(cond, what):
    if not cond:
        print("FAIL:", what)
        sys.exit(1)
    print("ok:", what)


def main():
    case, presil, board, sw = sys.argv[1:5]
    base = [presil, "run", board]
    if case == "max_time":
        st, out, err, _ = run(base + ["--kernel", f"{sw}/spin.elf", "--max-time", "5ms"])
        expect(st == 3, f"exit status {st} == 3 (stderr: {err})")
        expect(out == "spin: started, looping forever\n", f"console flushed: {out!r}")
        expect("presil: simulated-time limit of 5 ms reached" in err, f"limit reported: {err!r}")
    elif case == "max_wall":
        st, out, err, wall = run(base + ["--kernel", f"{sw}/spin.elf", "--max-wall", "500ms"])
        expect(st == 4, f"exit status {st} == 4 (stderr: {err})")
        expect(out == "spin: started, looping forever\n", f"console flushed: {out!r}")
        expect("presil: wall-time limit reached at simulated time" in err, f"limit reported: {err!r}")
        expect(wall < 30, f"ended in {wall:.1f} s")
    elif case == "irq_storm":
        st, out, err, _ = run(base + ["--kernel", f"{sw}/irq_storm.elf", "--max-time", "50ms", "--max-wall", "120s",
                                         "--stats"])
        expect(st == 3, f"exit status {st} == 3: simulated time reached the limit (stderr: {err})")
        expect(out.startswith("irq_storm: SysTick every 16 cycles\n"), f"console flushed: {out[:100]!r}")
        expect("presil: simulated 50 ms in" in err, f"simulated 50 ms: {err!r}")
    elif case == "flood":
        with tempfile.TemporaryDirectory() as tmp:
            results = []
            for t in ("20ms", "50ms"):
                path = os.path.join(tmp, f"out-{t}")
                st, rss, err = measure(base + ["--kernel", f"{sw}/flood.elf", "--max-time", t], path)
                size = os.path.getsize(path)
                with open(path, "rb") as f:
                    data = f.read()
                # Complete: 64 KiB blocks, each followed by its UART line "flood: block N", numbered
                # from 0, the last line possibly cut by the limit; nothing lost in between.
                lines = re.findall(rb"flood: block (\d+)\n", data)
                rest = re.sub(rb"flood: block \d+\n", b"", data)
                rest = re.sub(rb"f?l?o?o?d?:? ?b?l?o?c?k? ?\d*$", b"", rest)
                blocks = len(rest) // 65536
                complete = (lines == [str(k).encode() for k in range(len(lines))] and len(rest) % 65536 == 0
                            and blocks in (len(lines), len(lines) + 1))
                del data, rest
                results.append((t, st, rss, size, complete))
                print(f"{t}: exit {st}, {size / 1e6:.1f} MB of output, peak RSS {rss / 1024:.1f} MiB")
                expect(st == 3, f"exit status {st} == 3 (stderr: {err})")
            (_, _, rss1, size1, complete1), (_, _, rss4, size4, complete4) = results
            expect(size4 >= 20e6, f"{size4 / 1e6:.1f} MB written in 50 ms of simulated time (tens of MB)")
            expect(size4 >= 3 * size1, f"output grows with the run ({size1} -> {size4} bytes)")
            expect(rss4 <= rss1 + 16 * 1024, f"peak RSS stays flat ({rss1} KiB -> {rss4} KiB)")
            expect(complete1 and complete4, "the output is complete: every block and line, in order")
    else:
        raise SystemExit(f"unknown case {case}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
