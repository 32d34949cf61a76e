#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Runs presil with --stats=json and checks the document: its fields, the exit it records, and the
# interrupt-lateness figures against what the firmware and the quantum imply.
"""Usage: check_stats.py CHECK --presil PRESIL --board BOARD --elf ELF [--quantum Q] [options]

CHECK is one of:
  fields          every documented field is present with the right type; the run's exit is recorded
  lateness-exact  interrupts raised by devices on their own events (irq_latency.elf): every one is
                  taken within --max-late cycles of its due time, whatever the quantum
  lateness-ahead  interrupts the core raises by its own device writes (tx_irq.elf): lateness is
                  bounded by the quantum, exceeds --min-max-late at a long quantum, and the suggested
                  quantum follows the documented rule
  max-time        --max-time stops the run: exit status 3 in the process and in the document
  config-error    a bad board file: exit status 2 and a document saying so
"""

import argparse
import json
import math
import os
import subprocess
import sys
import tempfile

BOUND_S = 1e-6  # platform/stats.h kLatenessBound


def fail(msg):
    print("FAIL: " + msg)
    sys.exit(1)


def run(args, extra, expect_status=None):
    fd, path = tempfile.mkstemp(prefix="presil-stats-", suffix=".json")
    os.close(fd)
    os.unlink(path)
    cmd = [args.presil, "run", args.board]
    if args.elf:
        cmd += ["--kernel", args.elf]
    if args.quantum:
        cmd += ["--quantum", args.quantum]
    cmd += ["--max-wall", "120s", "--stats=json", path] + extra
    r = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, timeout=180)
    print("$ " + " ".join(cmd))
    print("exit status", r.returncode)
    sys.stdout.write(r.stderr.decode("utf-8", "replace")[-2000:])
    if expect_status is not None and r.returncode != expect_status:
        fail(f"expected exit status {expect_status}, got {r.returncode}")
    if not os.path.exists(path):
        fail("no JSON statistics written")
    with open(path, encoding="utf-8") as f:
        text = f.read()
    os.unlink(path)
    try:
        doc = json.loads(text)
    except json.JSONDecodeError as e:
        fail(f"invalid JSON: {e}\n{text[:2000]}")
    return r.returncode, doc


def need(obj, key, types, where):
    if key not in obj:
        fail(f"{where}: missing '{key}'")
    v = obj[key]
    if not isinstance(v, types) or isinstance(v, bool):
        fail(f"{where}.{key}: expected {types}, got {v!r}")
    return obj[key]


NUM = (int, float)
NUM_OR_NULL = (int, float, type(None))


def check_fields(doc, status, reason):
    need(doc, "format", str, "doc")
    if doc["format"] != "presil-stats" or doc.get("version") != 1:
        fail("format/version")
    for k in ("quantum_s", "simulated_time_s", "wall_time_s"):
        need(doc, k, NUM, "doc")
    ex = need(doc, "exit", dict, "doc")
    if need(ex, "status", int, "exit") != status:
        fail(f"exit.status {ex['status']} != {status}")
    if need(ex, "reason", str, "exit") != reason:
        fail(f"exit.reason {ex['reason']!r} != {reason!r}")
    cpus = need(doc, "cpus", list, "doc")
    return cpus


def check_cpu_fields(cpu):
    w = "cpus[" + str(cpu.get("name")) + "]"
    need(cpu, "name", str, w)
    for k in ("clock_hz", "guest_instructions", "cycles", "sleep_cycles", "transports", "exceptions"):
        need(cpu, k, int, w)
    for k in ("simulated_time_s", "wall_time_s", "mips"):
        need(cpu, k, NUM, w)
    ht = need(cpu, "host_time_s", dict, w)
    for k in ("translation", "execution", "devices", "rtl", "systemc_kernel", "cpu_thread"):
        if need(ht, k, NUM, w + ".host_time_s") < 0:
            fail(f"negative host time {k}")
    if ht["translation"] + ht["devices"] + ht["rtl"] > ht["cpu_thread"] * 1.05 + 1e-3:
        fail("translation + devices + rtl exceed the CPU thread's host time")
    bl = need(cpu, "blocks", dict, w)
    for k in ("translated", "guest_instructions_translated", "flushes", "invalidated"):
        need(bl, k, int, w + ".blocks")
    ch = need(cpu, "chaining", dict, w)
    for k in ("loop_entries", "chains_made", "jump_cache_hits", "hash_hits"):
        need(ch, k, int, w + ".chaining")
    for k in ("chain_hit_rate", "jump_cache_hit_rate"):
        v = need(ch, k, NUM_OR_NULL, w + ".chaining")
        if v is not None and not 0 <= v <= 1:
            fail(f"{k} {v} outside [0, 1]")
    sy = need(cpu, "syncs", dict, w)
    for k in ("quantum", "event", "halt", "mmio", "exit", "total"):
        need(sy, k, int, w + ".syncs")
    if sum(sy[k] for k in ("quantum", "event", "halt", "mmio", "exit")) != sy["total"]:
        fail("syncs do not add up to total")
    it = need(cpu, "interrupts", dict, w)
    need(it, "exception_entries", int, w + ".interrupts")
    need(it, "lateness_bound_s", NUM, w + ".interrupts")
    need(it, "suggested_quantum_s", NUM, w + ".interrupts")
    need(it, "suggestion_rule", str, w + ".interrupts")
    lat = need(it, "lateness_cycles", dict, w + ".interrupts")
    need(lat, "count", int, "lateness_cycles")
    for k in ("min", "max", "mean", "p50", "p90", "p99"):
        need(lat, k, NUM_OR_NULL, "lateness_cycles")
    hist = need(lat, "histogram", list, "lateness_cycles")
    if sum(b["count"] for b in hist) != lat["count"]:
        fail("histogram counts do not add up to the interrupt count")
    if lat["count"]:
        if not lat["min"] <= lat["p50"] <= lat["p90"] <= lat["p99"] <= lat["max"]:
            fail(f"lateness summary not ordered: {lat}")
        if not lat["min"] <= lat["mean"] <= lat["max"]:
            fail("mean outside [min, max]")
    return it, lat


def suggested(quantum_s, p99_cycles, clock_hz):
    """The documented rule (docs/debugging.md, platform/stats.cpp suggest_quantum)."""
    late_s = p99_cycles / clock_hz
    if late_s <= BOUND_S * (1 + 1e-9):
        return quantum_s, "within-bound"
    ps = quantum_s * 1e12 * BOUND_S / late_s
    decade = 10 ** math.floor(math.log10(ps))
    for m in (5, 2, 1):
        if m * decade <= ps * (1 + 1e-9):
            return max(m * decade, 1e12 / clock_hz) / 1e12, "scaled-down"
    return decade / 1e12, "scaled-down"


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("check")
    p.add_argument("--presil", required=True)
    p.add_argument("--board", required=True)
    p.add_argument("--elf", default="")
    p.add_argument("--quantum", default="")
    p.add_argument("--interrupts", type=int, default=None, help="expected interrupt count")
    p.add_argument("--max-late", type=int, default=None, help="lateness-exact: largest allowed lateness (cycles)")
    p.add_argument("--min-max-late", type=int, default=None, help="lateness-ahead: the largest lateness must exceed this")
    args = p.parse_args()

    if args.check == "fields":
        status, doc = run(args, [], expect_status=0)
        cpus = check_fields(doc, 0, "guest-exit")
        if len(cpus) != 1:
            fail("expected one CPU")
        check_cpu_fields(cpus[0])
        c = cpus[0]
        if c["guest_instructions"] <= 0 or c["cycles"] <= 0 or c["blocks"]["translated"] <= 0:
            fail("no instructions/cycles/blocks counted")
        if abs(doc["simulated_time_s"] - c["simulated_time_s"]) > doc["quantum_s"] + 1e-9:
            fail("board and CPU simulated times differ by more than a quantum")
    elif args.check in ("lateness-exact", "lateness-ahead"):
        status, doc = run(args, [], expect_status=0)
        cpus = check_fields(doc, 0, "guest-exit")
        c = cpus[0]
        it, lat = check_cpu_fields(c)
        q_cycles = round(doc["quantum_s"] * c["clock_hz"])
        print(f"quantum {doc['quantum_s']} s = {q_cycles} cycles; lateness {json.dumps(lat)}")
        print(f"suggested quantum {it['suggested_quantum_s']} s ({it['suggestion_rule']})")
        if args.interrupts is not None and lat["count"] != args.interrupts:
            fail(f"expected {args.interrupts} interrupts, counted {lat['count']}")
        if args.check == "lateness-exact":
            if lat["max"] > args.max_late:
                fail(f"an interrupt was taken {lat['max']} cycles after it was due (allowed {args.max_late})")
            if it["suggestion_rule"] != "within-bound" or abs(it["suggested_quantum_s"] - doc["quantum_s"]) > 1e-15:
                fail("on-time interrupts must keep the quantum (rule: within-bound)")
        else:
            # The core is at most one quantum (plus the instruction that straddles its end) ahead.
            if lat["max"] > q_cycles + 16:
                fail(f"lateness {lat['max']} exceeds the quantum ({q_cycles} cycles)")
            if args.min_max_late is not None and lat["max"] <= args.min_max_late:
                fail(f"largest lateness {lat['max']} should exceed {args.min_max_late} at this quantum")
            want_q, want_rule = suggested(doc["quantum_s"], lat["p99"], c["clock_hz"])
            if it["suggestion_rule"] != want_rule or abs(it["suggested_quantum_s"] - want_q) > want_q * 1e-9:
                fail(f"suggested {it['suggested_quantum_s']} ({it['suggestion_rule']}), rule gives {want_q} ({want_rule})")
            if it["suggested_quantum_s"] > doc["quantum_s"] * (1 + 1e-9):
                fail("the suggestion never grows the quantum")
    elif args.check == "max-time":
        status, doc = run(args, ["--max-time", "2ms"], expect_status=3)
        cpus = check_fields(doc, 3, "max-time")
        check_cpu_fields(cpus[0])
        if abs(doc["simulated_time_s"] - 2e-3) > 1e-9:
            fail(f"simulated time {doc['simulated_time_s']} != 2 ms")
    elif args.check == "config-error":
        args.board = args.board + ".missing.yaml"
        status, doc = run(args, [], expect_status=2)
        check_fields(doc, 2, "config-error")
        if not doc["exit"].get("message"):
            fail("the error message is not recorded")
    else:
        p.error("unknown check " + args.check)
    print("PASS")


if __name__ == "__main__":
    main()
