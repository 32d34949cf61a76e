#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""One row of the bad-input table: runs a command and checks its exit status and exact stderr.

Usage: check.py --status N --stderr TEXT [--stdout TEXT] [--file PATH=TEXT]... -- COMMAND...
  --stderr   the whole standard error, exactly (one trailing newline ignored); "{TMP}" is a
             fresh folder the command may use, also substituted into COMMAND and --file;
             "{SEMI}" stands for a semicolon (CMake lists cannot carry one)
  --stdout   the whole standard output, exactly (default: not checked)
  --file     after the run, PATH must exist and end with TEXT, trailing white space aside
             (output flushed and complete)
  --touch    creates an empty file PATH before the run
  --listen   occupies a free loopback TCP port during the run; "{PORT}" stands for it
"""
import argparse
import shutil
import socket
import subprocess
import sys
import tempfile


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--status", type=int, required=True)
    ap.add_argument("--stderr", required=True)
    ap.add_argument("--stdout")
    ap.add_argument("--file", action="append", default=[])
    ap.add_argument("--timeout", type=float, default=120)
    ap.add_argument("--touch", action="append", default=[])
    ap.add_argument("--listen", action="store_true")
    ap.add_argument("command", nargs=argparse.REMAINDER)
    a = ap.parse_args()
    cmd = a.command[1:] if a.command and a.command[0] == "--" else a.command
    tmp = tempfile.mkdtemp(prefix="presil-bad-input-")
    try:
        port = ""
        if a.listen:
            listener = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
            listener.bind(("127.0.0.1", 0))
            listener.listen(1)
            port = str(listener.getsockname()[1])
        sub = lambda s: s.replace("{TMP}", tmp).replace("{SEMI}", ";").replace("{PORT}", port)
        cmd = [sub(c) for c in cmd]
        for path in a.touch:
            open(sub(path), "wb").close()
        try:
            p = subprocess.run(cmd, capture_output=True, timeout=a.timeout)
        except subprocess.TimeoutExpired:
            print(f"FAIL: no answer within {a.timeout} s: {' '.join(cmd)}")
            return 1
        out = p.stdout.decode(errors="replace")
        err = p.stderr.decode(errors="replace")
        fails = []
        if p.returncode != a.status:
            fails.append(f"exit status {p.returncode}, expected {a.status}")
        want_err = sub(a.stderr)
        if err.rstrip("\n") != want_err.rstrip("\n"):
            fails.append(f"stderr differs:\n--- expected\n{want_err}\n--- got\n{err}")
        if a.stdout is not None and out.rstrip("\n") != sub(a.stdout).rstrip("\n"):
            fails.append(f"stdout differs:\n--- expected\n{sub(a.stdout)}\n--- got\n{out}")
        for spec in a.file:
            path, _, tail = sub(spec).partition("=")
            try:
                with open(path, "rb") as f:
                    data = f.read().decode(errors="replace")
            except OSError as e:
                fails.append(f"{path}: {e}")
                continue
            if not data.rstrip().endswith(tail.rstrip()):
                fails.append(f"{path} is incomplete: it should end with {tail!r}, it ends with {data[-200:]!r}")
        print(f"$ {' '.join(cmd)}\nexit status {p.returncode}\nstderr: {err}")
        if fails:
            for f in fails:
                print("FAIL:", f)
            return 1
        print("ok")
        return 0
    finally:
        shutil.rmtree(tmp, ignore_errors=True)


if __name__ == "__main__":
    sys.exit(main())
