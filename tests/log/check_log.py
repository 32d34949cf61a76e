#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Runs `presil run` with -d/-D/-dfilter/--trace on known firmware and checks what was logged.

One case per invocation (--case NAME); expectations come from the firmware's ELF (symbol
addresses, instruction bytes) so they follow the firmware when it is rebuilt.
"""
import argparse
import json
import os
import re
import struct
import subprocess
import sys
import tempfile


class Elf32:
    """Just enough of an ELF32 little-endian reader: symbols and bytes at an address."""

    def __init__(self, path):
        with open(path, "rb") as f:
            self.data = f.read()
        d = self.data
        if d[:4] != b"\x7fELF" or d[4] != 1:
            raise SystemExit(f"{path}: not an ELF32 file")
        (self.entry, phoff, shoff) = struct.unpack_from("<III", d, 24)
        (phentsize, phnum, shentsize, shnum) = struct.unpack_from("<HHHH", d, 42)
        self.segments = []
        for i in range(phnum):
            p_type, p_offset, _vaddr, p_paddr, p_filesz = struct.unpack_from("<IIIII", d, phoff + i * phentsize)
            vaddr = struct.unpack_from("<I", d, phoff + i * phentsize + 8)[0]
            if p_type == 1:
                self.segments.append((vaddr, p_offset, p_filesz))
        self.symbols = {}
        sections = [struct.unpack_from("<IIIIIIIIII", d, shoff + i * shentsize) for i in range(shnum)]
        for s in sections:
            if s[1] != 2:  # SHT_SYMTAB
                continue
            strtab = sections[s[6]]
            for k in range(s[5] // 16):
                name, value, _size, info = struct.unpack_from("<IIIB", d, s[4] + 16 * k)
                if info & 0xF != 2:  # STT_FUNC
                    continue
                start = strtab[4] + name
                end = d.index(b"\0", start)
                self.symbols[d[start:end].decode()] = value & ~1

    def read(self, addr, n):
        for vaddr, off, size in self.segments:
            if vaddr <= addr and addr + n <= vaddr + size:
                return self.data[off + addr - vaddr : off + addr - vaddr + n]
        raise SystemExit(f"no loaded bytes at {addr:#x}")


def fail(msg, text=""):
    print("FAIL:", msg)
    if text:
        print("---- log (first 60 lines) ----")
        print("\n".join(text.splitlines()[:60]))
    sys.exit(1)


def expect(pattern, text, what):
    m = re.search(pattern, text, re.M)
    if not m:
        fail(f"{what}: no line matches /{pattern}/", text)
    print(f"ok: {what}: {m.group(0)[:160]}")
    return m


def run(args, base, extra, status=None):
    cmd = [args.presil, "run", args.board] + base + extra
    print("$", " ".join(cmd))
    p = subprocess.run(cmd, capture_output=True, text=True, errors="replace", timeout=args.timeout)
    if status is not None and p.returncode != status:
        fail(f"exit status {p.returncode}, expected {status}\nstdout:\n{p.stdout[-2000:]}\nstderr:\n{p.stderr[-2000:]}")
    return p


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--presil", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--sw", required=True, help="folder of the ARM firmware ELF files")
    ap.add_argument("--case", required=True)
    ap.add_argument("--timeout", type=int, default=120)
    args = ap.parse_args()

    tmp = tempfile.mkdtemp(prefix="presil-log-")
    log = os.path.join(tmp, "presil.log")

    def elf(name):
        return os.path.join(args.sw, name + ".elf")

    def logged(fw, cats, extra=(), status=0):
        run(args, ["--kernel", elf(fw), "--max-wall", "100s"], ["-d", cats, "-D", log] + list(extra), status)
        with open(log, errors="replace") as f:
            return f.read()

    c = args.case
    if c == "in_asm":
        e = Elf32(elf("hello"))
        reset = e.symbols["reset_handler"]
        text = logged("hello", "in_asm")
        first = e.read(reset, 2)
        hw = struct.unpack("<H", first)[0]
        insn = e.read(reset, 4 if (hw & 0xF800) >= 0xE800 else 2)
        expect(rf"^IN: cpu0 pc {reset:#010x} <reset_handler>", text, "block header at the reset handler")
        expect(rf"^  {reset:#010x}:  {insn.hex()}\s+\w+", text, "reset handler's first instruction (ELF bytes)")
        main_ = e.symbols["main"]
        expect(rf"^IN: cpu0 pc {main_:#010x} <main>", text, "block at main")
    elif c == "op":
        text = logged("hello", "op")
        expect(r"^OP: cpu0 pc 0x[0-9a-f]{8}", text, "IR header")
        expect(r"^ ---- 0x[0-9a-f]+ ", text, "instruction markers")
        if "OP after optimization" in text:
            fail("-d op printed optimised IR", text)
    elif c == "op_opt":
        e = Elf32(elf("hello"))
        text = logged("hello", "op_opt")
        expect(rf"^OP after optimization: cpu0 pc {e.symbols['reset_handler']:#010x}", text, "optimised IR at reset")
        expect(r"^ (ExitTb|GotoTb|GotoPtr)\b", text, "block exit op")
        before = logged("hello", "op")
        n_before = sum(1 for l in before.splitlines() if l.startswith(" "))
        n_after = sum(1 for l in text.splitlines() if l.startswith(" "))
        print(f"IR lines before {n_before}, after {n_after}")
        if not (0 < n_after < n_before):
            fail(f"optimised IR is not smaller ({n_after} vs {n_before} op lines)")
    elif c == "out_asm":
        text = logged("hello", "out_asm")
        m = expect(r"^OUT: cpu0 pc 0x[0-9a-f]{8} \[(host code|interpreter bytecode) back-end (\w+)", text, "host code header")
        if m.group(2) == "x86_64":
            expect(r"^  0x[0-9a-f]+:  (mov|sub|cmp|jmp|add|lea|ret)\b", text, "x86-64 disassembly")
        else:
            expect(r"^\s+\d+: \w+", text, "interpreter bytecode")
    elif c == "exec":
        e = Elf32(elf("hello"))
        reset = e.symbols["reset_handler"]
        text = logged("hello", "exec")
        m = expect(rf"^exec: cpu0 t=(\d+\.\d+) us pc {reset:#010x} <reset_handler>", text, "reset handler executed first")
        first = text.splitlines()[0]
        if f"pc {reset:#010x}" not in first:
            fail(f"first executed block is not the reset handler: {first}")
        times = [float(x) for x in re.findall(r"^exec: cpu0 t=(\d+\.\d+) us", text, re.M)]
        if len(times) < 100 or any(b < a for a, b in zip(times, times[1:])):
            fail(f"exec times missing or going backwards ({len(times)} lines)")
        print(f"ok: {len(times)} blocks, simulated time {times[0]} .. {times[-1]} us, never backwards")
    elif c == "int":
        e = Elf32(elf("timer_irq"))
        text = logged("timer_irq", "int")
        h = e.symbols["irq8_handler"]
        m = expect(rf"^int: cpu0 exception 24 \(IRQ 8\) raised t=(\S+) us entered t=(\S+) us latency (\d+) cycles "
                   rf"from pc 0x[0-9a-f]{{8}}.* to handler {h:#010x} <irq8_handler>", text, "timer 0 interrupt (IRQ 8)")
        if float(m.group(2)) < float(m.group(1)):
            fail("entered before raised")
        expect(r"^int: cpu0 exception 25 \(IRQ 9\)", text, "timer 1 interrupt (IRQ 9)")
        expect(r"^int: cpu0 exception 26 \(IRQ 10\)", text, "dual timer interrupt (IRQ 10)")
    elif c == "mmio":
        text = logged("hello", "mmio")
        expect(r"^mmio: cpu0 write 0x40004000 \(uart0\+0x0\) size 4 data 0x00000048 delay \S+ s response "
               r"TLM_OK_RESPONSE", text, "UART0 data register write of 'H'")
        expect(r"^mmio: cpu0 read 0x4000401[0-9a-f]|^mmio: cpu0 read 0x40004004", text, "UART0 status read")
        expect(r"^mmio: cpu0 read 0x4000[0-9a-f]{4} \(\w+\+0x[0-9a-f]+\) size 4 data 0x[0-9a-f]{8}", text, "read data")
    elif c == "sync":
        text = logged("timer_irq", "sync", ["--quantum", "10us"])
        for cause in ("quantum", "event", "halt", "exit"):
            if re.search(rf"^sync: cpu0 t=\S+ us cause {cause} ahead -?\d+ cycles", text, re.M):
                print(f"ok: sync cause {cause}")
        expect(r"^sync: cpu0 t=\S+ us cause quantum ahead \d+ cycles \(SystemC time \S+ us\) insns \d+", text,
               "quantum sync")
        expect(r"^sync: cpu0 t=\S+ us cause (event|halt) ", text, "event or halt sync (timer interrupts)")
    elif c == "unimp":
        e = Elf32(elf("fault"))
        text = logged("fault", "unimp")
        # `udf #1` in main: the undefined instruction and its address.
        expect(r"^unimp: cpu0 undefined instruction de01 at 0x[0-9a-f]{8} <main\+0x[0-9a-f]+>", text,
               "udf #1 reported with its pc in main")
        if "bus error" in text:
            fail("-d unimp printed guest errors", text)
        text = logged("hello", "unimp", ["--max-time", "1ms"], status=None)
        print("hello with -d unimp:", len(text.splitlines()), "lines")
    elif c == "guest_errors":
        text = logged("fault", "guest_errors")
        expect(r"^guest_errors: cpu0 bus error: read of 4 bytes at 0x60000010 \(unmapped\+0x0\)", text,
               "bus error at the unmapped address")
        expect(r"^guest_errors: cpu0 BusFault \(CFSR 0x00008200, HFSR 0x00000000, BFAR 0x60000010\): precise data bus "
               r"error", text, "BusFault with BFAR")
        expect(r"^guest_errors: cpu0 HardFault .*BFAR 0x60000110.*escalated to HardFault", text, "escalated bus error")
        expect(r"^guest_errors: cpu0 UsageFault .*divide by zero", text, "divide by zero")
    elif c == "dfilter":
        e = Elf32(elf("hello"))
        main_ = e.symbols["main"]
        reset = e.symbols["reset_handler"]
        text = logged("hello", "in_asm,exec", ["-dfilter", f"{main_:#x}+2"])
        expect(rf"^IN: cpu0 pc {main_:#010x} <main>", text, "block at main kept")
        pcs = {int(x, 16) for x in re.findall(r"^(?:IN|exec): cpu0 (?:t=\S+ us )?pc (0x[0-9a-f]+)", text, re.M)}
        if reset in pcs:
            fail("-dfilter let the reset handler's block through", text)
        sizes = {}
        for m in re.finditer(r"^IN: cpu0 pc (0x[0-9a-f]+) .*\((\d+) insns, (\d+) bytes", text, re.M):
            sizes[int(m.group(1), 16)] = int(m.group(3))
        for pc, size in sizes.items():
            if not (pc <= main_ + 1 and main_ < pc + size):
                fail(f"block {pc:#x}+{size} is outside the filter", text)
        print(f"ok: only blocks covering main ({sorted(hex(p) for p in pcs)})")
        text = logged("hello", "in_asm", ["-dfilter", f"{main_:#x}..{main_ + 1:#x}"])
        expect(rf"^IN: cpu0 pc {main_:#010x}", text, "START..END form")
        p = run(args, ["--kernel", elf("hello")], ["-d", "in_asm", "--dfilter", "0x100+zz"], 2)
        if "-dfilter" not in p.stderr:
            fail("bad -dfilter not explained: " + p.stderr)
        print("ok: bad range:", p.stderr.strip())
    elif c == "help":
        p = subprocess.run([args.presil, "run", "-d", "help"], capture_output=True, text=True)
        if p.returncode != 0:
            fail(f"-d help exit status {p.returncode}")
        for cat in ("in_asm", "op", "op_opt", "out_asm", "exec", "int", "mmio", "sync", "unimp", "guest_errors"):
            if not re.search(rf"^  {cat}\s", p.stdout, re.M):
                fail(f"-d help does not list {cat}:\n{p.stdout}")
        print("ok: -d help lists every category")
        p = run(args, ["--kernel", elf("hello")], ["-d", "in_asm,bogus"], 2)
        if "unknown log category 'bogus'" not in p.stderr:
            fail("unknown category not explained: " + p.stderr)
        print("ok:", p.stderr.strip())
    elif c == "unwritable":
        bad = os.path.join(tmp, "no-such-folder", "x.log")
        p = run(args, ["--kernel", elf("hello")], ["-d", "exec", "-D", bad], 2)
        if "cannot write the log file" not in p.stderr or bad not in p.stderr:
            fail("unwritable -D not explained: " + p.stderr)
        print("ok:", p.stderr.strip())
        p = run(args, ["--kernel", elf("hello")], ["--trace", bad], 2)
        if "cannot write the trace file" not in p.stderr:
            fail("unwritable --trace not explained: " + p.stderr)
        print("ok:", p.stderr.strip())
    elif c == "timeline":
        trace = os.path.join(tmp, "run.json")
        # Stopped by --max-time (exit 3) in the middle of the run: the JSON must still be complete.
        run(args, ["--kernel", elf("timer_irq")], ["--trace", trace, "--max-time", "3ms", "-d", "int", "-D", log], 3)
        with open(trace) as f:
            doc = json.load(f)
        ev = doc["traceEvents"]
        names = {e["args"]["name"] for e in ev if e.get("ph") == "M" and e.get("name") == "thread_name"}
        print("tracks:", sorted(names))
        for track in ("cpu0", "cpu0 interrupts"):
            if track not in names:
                fail(f"no track {track}")
        counters = [e for e in ev if e.get("ph") == "C" and "insns" in e.get("args", {})]
        if len(counters) < 2 or any(b["args"]["insns"] < a["args"]["insns"] for a, b in zip(counters, counters[1:])):
            fail("instruction counters missing or decreasing")
        syncs = [e for e in ev if e.get("cat") == "sync"]
        tlm = [e for e in ev if e.get("cat") == "tlm"]
        irqs = [e for e in ev if e.get("cat") == "interrupt" and e.get("ph") == "X"]
        if not syncs or not tlm or not irqs:
            fail(f"syncs {len(syncs)} tlm {len(tlm)} interrupts {len(irqs)}")
        if not any(e["name"] == "24 IRQ 8" for e in irqs):
            fail("no IRQ 8 interrupt span")
        last = max(float(e.get("ts", 0)) for e in ev)
        if not (0 < last <= 3000.0 + 1e-6 + 1000):
            fail(f"timestamps not in simulated microseconds (last {last})")
        uart = [e for e in tlm if e["args"].get("initiator") == "cpu0"]
        print(f"ok: {len(ev)} events, {len(counters)} counters, {len(syncs)} syncs, {len(tlm)} transactions "
              f"({len(uart)} from cpu0), {len(irqs)} interrupts, last ts {last} us")
        # The -d int log written alongside agrees with the timeline.
        with open(log) as f:
            n_int = sum(1 for line in f if line.startswith("int: "))
        if n_int != len(irqs):
            fail(f"-d int has {n_int} lines, the timeline {len(irqs)} interrupt spans")
        # Guest exit (exit 0) and a run-time error (exit 1) also leave valid JSON.
        run(args, ["--kernel", elf("hello")], ["--trace", trace], 0)
        with open(trace) as f:
            json.load(f)
        print("ok: valid JSON after the guest's exit")
        p = run(args, ["--kernel", os.path.join(tmp, "missing.elf")], ["--trace", trace], None)
        with open(trace) as f:
            json.load(f)
        print(f"ok: valid JSON after exit status {p.returncode} ({p.stderr.strip()[:100]})")
    else:
        fail(f"unknown case {c}")
    print("PASS")


if __name__ == "__main__":
    main()
