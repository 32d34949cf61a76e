#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
"""Drives gdb-multiarch in batch mode against `presil run --gdb :0 -S` and checks its output.

Session: break at main, continue, next/step/stepi, read and write registers and memory, a write
watchpoint (the stop reply must name the watched address with pc AT the storing instruction),
monitor commands, Ctrl-C (SIGINT to gdb while the target spins), detach (the program then runs
to its end). A second, short session checks `monitor reset` and that `kill` ends presil with exit status 6; a third
attaches to a running target twice in a row. A fourth (with --sleep-elf) continues a firmware that
sleeps in WFI with nothing pending (no event left in the simulation) and checks that Ctrl-C stops it
with SIGINT at a pc inside the firmware.
Exit status: 0 pass, 1 fail, 77 skip (no gdb-multiarch)."""
import argparse
import os
import pty
import re
import select
import shutil
import signal
import subprocess
import sys
import tempfile
import time

KILL_STATUS = 6  # platform/simulation.h kExitDebuggerKill


def start_presil(args, wait=True, elf=None):
    # An explicit quantum: `monitor quantum` is checked against it, whatever the board says.
    cmd = [args.presil, "run", args.board, "--kernel", elf or args.elf, "--gdb", ":0", "--quantum", "100us",
           "--max-wall", "90s"]
    if wait:
        cmd.append("-S")
    sim = subprocess.Popen(cmd, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    line = sim.stderr.readline()
    m = re.search(r"listening on 127\.0\.0\.1:(\d+)", line)
    if not m:
        sim.kill()
        sys.exit(f"FAIL: presil did not announce its gdb port: {line!r}")
    return sim, int(m.group(1))


def run_gdb(args, script, on_marker=None, timeout=60, elf=None):
    """Runs gdb on `script` with its output on a pty (so it is not block-buffered);
    on_marker(text, gdb) is called as output arrives. Returns the output."""
    with tempfile.NamedTemporaryFile("w", suffix=".gdb", delete=False) as f:
        f.write(script)
        path = f.name
    master, slave = pty.openpty()
    gdb = subprocess.Popen([args.gdb, "-batch", "-nx", "-x", path, elf or args.elf], stdin=subprocess.DEVNULL,
                           stdout=slave, stderr=slave)
    os.close(slave)
    out = b""
    deadline = time.monotonic() + timeout
    try:
        while time.monotonic() < deadline:
            ready, _, _ = select.select([master], [], [], 0.1)
            if ready:
                try:
                    data = os.read(master, 65536)
                except OSError:
                    data = b""
                if not data:
                    break
                out += data
            if on_marker:
                on_marker(out.decode(errors="replace"), gdb)
            if not ready and gdb.poll() is not None:
                break
        else:
            gdb.kill()
            out += b"\n<gdb timed out>\n"
        gdb.wait(timeout=10)
    finally:
        os.close(master)
        os.unlink(path)
    return out.decode(errors="replace").replace("\r\n", "\n")


def ctrl_c_after(marker, delay=0.5):
    """An on_marker callback for run_gdb: sends gdb one SIGINT (Ctrl-C) `delay` seconds after `marker`."""
    seen = {}

    def on_marker(text, gdb):
        if "at" not in seen and marker in text:
            seen["at"] = time.monotonic()
        elif "at" in seen and "sent" not in seen and time.monotonic() - seen["at"] > delay:
            gdb.send_signal(signal.SIGINT)
            seen["sent"] = True

    return on_marker


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--presil", required=True)
    ap.add_argument("--board", required=True)
    ap.add_argument("--elf", required=True)
    ap.add_argument("--gdb", default="gdb-multiarch")
    ap.add_argument("--sleep-elf", help="sw/arm/sleep_forever.elf: Ctrl-C while the CPU sleeps in WFI")
    args = ap.parse_args()
    if not shutil.which(args.gdb):
        print(f"SKIP: {args.gdb} not found (Debian package gdb-multiarch; ci/setup installs it)")
        return 77
    t0 = time.monotonic()

    # --- Session 1: the full tour. ---
    sim, port = start_presil(args)
    script = f"""set pagination off
set confirm off
set width 0
echo @@SYM\\n
p/x &gdb_watch_store
p/x &gdb_watch_after
p/x &g_watched
target remote :{port}
echo @@CONNECTED\\n
info symbol $pc
break main
continue
echo @@NEXT\\n
next
echo @@STEP\\n
step
echo @@STEPI\\n
p/x $pc
stepi
p/x $pc
echo @@REGS\\n
info registers r0 sp lr pc xpsr msp psp primask basepri faultmask control
p $r0
set $r0 = 0x1234
p/x $r0
set $r0 = 2
echo @@MEM\\n
x/4wx &g_buffer
set {{int}}&g_buffer = 0xdeadbeef
x/wx &g_buffer
x/wx 0x4002fffc
x/wx 0xe000ed00
echo @@WATCH\\n
watch g_watched
set debug remote 1
continue
set debug remote 0
echo @@AFTERWATCH\\n
p/x $pc
delete
echo @@MONITOR\\n
monitor quantum
monitor quantum 50us
monitor stats
info threads
echo @@SPIN\\n
continue
echo @@STOPPED\\n
p g_spin
info symbol $pc
set var g_spin = 0
echo @@DETACH\\n
detach
"""
    # Ctrl-C once the target has been running the spin loop for a moment.
    out = run_gdb(args, script, ctrl_c_after("@@SPIN"))
    try:
        sim_out, sim_err = sim.communicate(timeout=60)
    except subprocess.TimeoutExpired:
        sim.kill()
        sim_out, sim_err = sim.communicate()
        sim_err += "\n<presil did not finish after detach>"

    failures = []

    def section(name, nxt):
        i = out.find("@@" + name)
        j = out.find("@@" + nxt, i + 1) if nxt else len(out)
        return out[i:j] if i >= 0 and j >= 0 else ""

    def expect(desc, pattern, text):
        m = re.search(pattern, text, re.M)
        if not m:
            failures.append(f"{desc}: no match for /{pattern}/")
        return m

    sym = section("SYM", "CONNECTED")
    addrs = [int(a, 16) for a in re.findall(r"^\$\d+ = (0x[0-9a-f]+)", sym, re.M)]
    if len(addrs) != 3:
        print(out)
        print("FAIL: could not read the symbol addresses from gdb")
        return 1
    store, after, watched = addrs

    expect("connected before the first instruction (-S)", r"reset_handler in section", section("CONNECTED", "NEXT"))
    expect("break at main", r"Breakpoint 1, main \(\) at .*gdb_target\.c:\d+", section("CONNECTED", "NEXT"))
    expect("next", r"^\d+\s+r \+= step_me\(2\);", section("NEXT", "STEP"))
    expect("step into step_me", r"step_me \(x=.*\) at .*gdb_target\.c:\d+", section("STEP", "STEPI"))
    pcs = [int(a, 16) for a in re.findall(r"^\$\d+ = (0x[0-9a-f]+)", section("STEPI", "REGS"), re.M)]
    if len(pcs) != 2 or pcs[1] - pcs[0] not in (2, 4):
        failures.append(f"stepi: expected pc to advance by one instruction, got {[hex(p) for p in pcs]}")
    regs = section("REGS", "MEM")
    for name in ("r0", "sp", "lr", "pc", "xpsr", "msp", "psp", "primask", "basepri", "faultmask", "control"):
        expect(f"info registers {name}", rf"^{name}\s+0x[0-9a-f]+", regs)
    expect("p $r0 (step_me's argument)", r"^\$\d+ = 2$", regs)
    expect("set $r0", r"^\$\d+ = 0x1234$", regs)
    mem = section("MEM", "WATCH")
    expect("x/4wx", r"<g_buffer>:\s+0x11111111\s+0x22222222\s+0x33333333\s+0x44444444", mem)
    expect("set {int} then x/wx", r"<g_buffer>:\s+0xdeadbeef$", mem)
    expect("device register by debug read (SCC ID)", r"^0x4002fffc:\s+0x41043850$", mem)
    expect("core register by debug read (SCB CPUID)", r"^0xe000ed00:\s+0x410fc231$", mem)
    watch = section("WATCH", "AFTERWATCH")
    expect("watchpoint set", r"Hardware watchpoint 2: g_watched", watch)
    expect("watchpoint hit", r"Old value = 0\nNew value = 4100", watch)
    stop = expect("watch stop reply", r"Packet received: T05watch:([0-9a-f]+);thread:1;0f:([0-9a-f]{8});", watch)
    if stop:
        addr = int(stop.group(1), 16)
        pc = int.from_bytes(bytes.fromhex(stop.group(2)), "little")
        if addr != watched:
            failures.append(f"watch stop address {addr:#x}, expected &g_watched = {watched:#x}")
        if pc != store:
            failures.append(f"watch stop pc {pc:#x}, expected the storing instruction gdb_watch_store = {store:#x}")
    aw = section("AFTERWATCH", "MONITOR")
    expect("pc after gdb stepped over the store", rf"^\$\d+ = {after:#x}$", aw)
    mon = section("MONITOR", "SPIN")
    expect("monitor quantum", r"^quantum 100us$", mon)  # --quantum given by start_presil
    expect("monitor quantum 50us", r"^quantum 50us$", mon)
    expect("monitor stats", r"guest instructions \d+", mon)
    expect("info threads", r"\*\s+1\s+Thread 1", mon)
    stopped = section("SPIN", "DETACH")
    expect("Ctrl-C", r"Program received signal SIGINT, Interrupt\.", stopped)
    expect("Ctrl-C stopped in the spin loop", r"^\$\d+ = 1\nmain \+ \d+ in section", section("STOPPED", "DETACH"))
    expect("detach", r"\[Inferior 1 \(Remote target\) detached\]", section("DETACH", None))
    expect("program finished after detach", r"gdb_target: watched=1004 buffer0=deadbeef spin=0", sim_out)
    if sim.returncode != 0:
        failures.append(f"presil exit status {sim.returncode} after detach, expected 0")

    # --- Session 2: kill ends the run with its own exit status. ---
    sim2, port2 = start_presil(args)
    out2 = run_gdb(args, f"""set confirm off
target remote :{port2}
break main
continue
monitor reset
maintenance flush register-cache
info symbol $pc
kill
""", timeout=30)
    try:
        sim2.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        sim2.kill()
        sim2.communicate()
    expect("monitor reset", r"^CPUs reset\n(.*\n)?reset_handler in section", out2)
    expect("kill", r"\[Inferior 1 \(Remote target\) killed\]", out2)
    if sim2.returncode != KILL_STATUS:
        failures.append(f"presil exit status {sim2.returncode} after kill, expected {KILL_STATUS}")

    # --- Session 3: attach to a running target, detach, attach again (the server accepts anew). ---
    sim3, port3 = start_presil(args, wait=False)
    time.sleep(0.3)
    out3 = run_gdb(args, f"set confirm off\ntarget remote :{port3}\np g_spin\ndetach\n", timeout=30)
    out3 += run_gdb(args, f"set confirm off\ntarget remote :{port3}\nset var g_spin = 0\ndetach\n", timeout=30)
    try:
        sim3_out, _ = sim3.communicate(timeout=30)
    except subprocess.TimeoutExpired:
        sim3.kill()
        sim3_out, _ = sim3.communicate()
    expect("attach to a running target", r"^\$1 = 1$", out3)
    if out3.count("[Inferior 1 (Remote target) detached]") != 2:
        failures.append("attach/detach twice: expected two detaches")
    expect("released by the second debugger", r"spin=0", sim3_out)
    if sim3.returncode != 0:
        failures.append(f"presil exit status {sim3.returncode} after the second detach, expected 0")

    # --- Session 4: Ctrl-C while the only CPU sleeps in WFI and nothing is pending. ---
    out4 = ""
    if args.sleep_elf:
        sim4, port4 = start_presil(args, elf=args.sleep_elf)
        # The firmware prints its line and sleeps at once: by 0.5 s the simulation has starved.
        interrupt_sleep = ctrl_c_after("@@SLEEP")

        out4 = run_gdb(args, f"""set confirm off
set pagination off
target remote :{port4}
echo @@SLEEP\\n
continue
echo @@WOKEN\\n
info symbol $pc
kill
""", interrupt_sleep, timeout=30, elf=args.sleep_elf)
        try:
            sim4_out, sim4_err = sim4.communicate(timeout=30)
        except subprocess.TimeoutExpired:
            sim4.kill()
            sim4_out, sim4_err = sim4.communicate()
        sleep_stop = out4[out4.find("@@SLEEP"):] if "@@SLEEP" in out4 else ""
        expect("Ctrl-C while sleeping in WFI", r"Program received signal SIGINT, Interrupt\.", sleep_stop)
        expect("stopped inside the firmware (main)", r"^main \+ \d+ in section", sleep_stop)
        expect("the firmware ran up to its sleep", r"sleep_forever: going to sleep", sim4_out)
        if "nothing left to do" in sim4_err:
            failures.append("the run ended for want of events while gdb was connected")
        if sim4.returncode != KILL_STATUS:
            failures.append(f"presil exit status {sim4.returncode} after kill (sleeping), expected {KILL_STATUS}")
        out4 += "\npresil stderr:\n" + sim4_err

    if failures:
        print("gdb output:\n" + out + "\n--- kill session:\n" + out2 + "\n--- attach sessions:\n" + out3)
        print("--- sleep session:\n" + out4)
        print("presil stdout:\n" + sim_out + "\npresil stderr:\n" + sim_err)
        for f in failures:
            print("FAIL: " + f)
        return 1
    print(f"PASS: gdb session checks in {time.monotonic() - t0:.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main())
