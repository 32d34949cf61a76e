#!/usr/bin/env python3
# SPDX-License-Identifier: Apache-2.0
# Checks `presil test`: exit status, console summary, JUnit XML, JSON summary, artifacts, shards, bad suites.
"""Usage: check_suite.py MODE --presil PRESIL --sw SW_DIR --suite-dir DIR [--work DIR]

MODE: mixed (passing/failing/timing-out/crashing cases and their reports), shard (3 shards
of firmware.yaml are disjoint and cover it), quanta (--quanta flags the quantum-dependent
case only), bad (every bad/*.yaml gives exit 2 and its "# error: TEXT" message)."""

import argparse
import glob
import json
import os
import re
import shutil
import subprocess
import sys
import tempfile
import xml.etree.ElementTree as ET

failures = []


def check(condition, message):
    """Records a failed expectation."""
    if not condition:
        failures.append(message)
        print("FAIL: " + message)


def run(args, presil, sw):
    """Runs presil test; returns (exit status, stdout, stderr)."""
    cmd = [presil, "test"] + args + ["--define", "SW=" + sw]
    proc = subprocess.run(cmd, stdin=subprocess.DEVNULL, capture_output=True, text=True, timeout=300)
    print("$ " + " ".join(cmd) + f"  -> {proc.returncode}")
    print(proc.stdout, end="")
    print(proc.stderr, end="", file=sys.stderr)
    return proc.returncode, proc.stdout, proc.stderr


def mixed(a, work):
    """The mixed suite: exit 1, right outcomes in console/JUnit/JSON, artifacts for failures only."""
    junit, js, art = (os.path.join(work, n) for n in ("junit.xml", "summary.json", "artifacts"))
    rc, out, _ = run([os.path.join(a.suite_dir, "mixed.yaml"), "-j", "2", "--junit", junit, "--json", js,
                      "--artifacts", art], a.presil, a.sw)
    expected = {
        "hello-golden": "PASS", "hello-regex": "PASS", "hello-repeat#1": "PASS", "hello-repeat#2": "PASS",
        "demo-time-limit-expected": "PASS", "hello-wrong-output": "FAIL", "hello-wrong-exit": "FAIL",
        "demo-sim-timeout": "TIMEOUT", "bench-wall-timeout": "TIMEOUT", "missing-firmware": "CRASH",
    }
    passed = sum(1 for v in expected.values() if v == "PASS")
    check(rc == 1, f"exit status {rc}, expected 1 (some cases fail)")
    check(f"\n{passed} passed, {len(expected) - passed} failed\n" in "\n" + out,
          f"no summary line '{passed} passed, {len(expected) - passed} failed'")
    for name, outcome in expected.items():
        check(re.search(rf"^\[\s*\d+/{len(expected)}\] {outcome}\s+{re.escape(name)} \(", out, re.M),
              f"no progress line '{outcome} {name}'")
    check("wall-time limit 300ms reached: process killed" in out, "wall-time timeout reason missing")
    check("simulated-time limit 100us reached" in out, "simulated-time timeout reason missing")

    # JUnit: parsed by a JUnit consumer (xml.etree), one testcase per run with the right element.
    root = ET.parse(junit).getroot()
    check(root.tag == "testsuites", f"JUnit root is <{root.tag}>")
    suite = root.find("testsuite")
    check(suite is not None and suite.get("name") == "mixed", "no <testsuite name=mixed>")
    cases = {tc.get("name"): tc for tc in suite.iter("testcase")}
    check(set(cases) == set(expected), f"JUnit testcases {sorted(cases)}")
    check(suite.get("tests") == str(len(expected)), f"tests={suite.get('tests')}")
    check(suite.get("failures") == "4" and suite.get("errors") == "1",
          f"failures={suite.get('failures')} errors={suite.get('errors')}")
    for name, outcome in expected.items():
        tc = cases.get(name)
        if tc is None:
            continue
        fail, err = tc.find("failure"), tc.find("error")
        if outcome == "PASS":
            check(fail is None and err is None, f"{name}: passing case has <failure>/<error>")
        elif outcome == "CRASH":
            check(err is not None and err.get("type") == "CRASH", f"{name}: no <error type=CRASH>")
        else:
            check(fail is not None and fail.get("type") == outcome, f"{name}: no <failure type={outcome}>")
        check(tc.find("system-out") is not None, f"{name}: no <system-out>")
    check("Hello from presil" in (cases["hello-golden"].findtext("system-out") or ""), "console not in system-out")
    msg = cases["hello-wrong-output"].find("failure").get("message")
    check('Goodbye from presil <&> "quoted"' in msg, f"unescaped expected text lost: {msg!r}")
    check("no-such-firmware.elf" in (cases["missing-firmware"].find("error").get("message") or ""),
          "crash message lacks presil's error")

    # JSON summary.
    with open(js, encoding="utf-8") as f:
        summary = json.load(f)
    check(summary["passed"] == passed and summary["failed"] == len(expected) - passed, "JSON counts")
    check({c["name"]: c["outcome"] for c in summary["cases"]} == expected, "JSON outcomes")

    # Artifacts: the failed runs only, with their console log and stderr (statistics).
    dirs = set(os.listdir(art))
    bad = {n for n, o in expected.items() if o != "PASS"}
    check(dirs == bad, f"artifact folders {sorted(dirs)}, expected {sorted(bad)}")
    for name in bad & dirs:
        for f in ("console.log", "stderr.log", "result.txt"):
            check(os.path.isfile(os.path.join(art, name, f)), f"{name}/{f} missing")
    if "hello-wrong-output" in dirs:
        with open(os.path.join(art, "hello-wrong-output", "console.log"), encoding="utf-8") as f:
            check("Hello from presil" in f.read(), "console.log lacks the console")
        with open(os.path.join(art, "hello-wrong-output", "stderr.log"), encoding="utf-8") as f:
            check("simulated" in f.read(), "stderr.log lacks the statistics")


def shard(a, work):
    """Shards 1..3 of 3 are disjoint and together the whole suite, in a stable order."""
    suite = os.path.join(a.suite_dir, "firmware.yaml")
    rc, out, _ = run([suite, "--list"], a.presil, a.sw)
    everything = out.split()
    check(rc == 0 and len(everything) >= 3, f"--list gave {everything}")
    seen = []
    for k in (1, 2, 3):
        js = os.path.join(work, f"shard{k}.json")
        rc, _, _ = run([suite, "--shard", f"{k}/3", "-j", "2", "--json", js], a.presil, a.sw)
        check(rc == 0, f"shard {k}/3: exit status {rc}")
        with open(js, encoding="utf-8") as f:
            names = [c["case"] for c in json.load(f)["cases"]]
        check(names == everything[k - 1::3], f"shard {k}/3 ran {names}, expected {everything[k - 1::3]}")
        seen += names
    check(len(seen) == len(set(seen)), f"shards overlap: {seen}")
    check(sorted(seen) == sorted(everything), f"shards do not cover the suite: {sorted(seen)}")
    for badshard in ("0/3", "4/3", "1/0", "x"):
        rc, _, err = run([suite, "--shard", badshard, "--list"], a.presil, a.sw)
        check(rc == 2 and "--shard" in err, f"--shard {badshard}: exit {rc}")


def quanta(a, work):
    """--quanta 1us,1ms: only the quantum-dependent case is reported, exit 1."""
    js = os.path.join(work, "quanta.json")
    rc, out, _ = run([os.path.join(a.suite_dir, "timing.yaml"), "--quanta", "1us,1ms", "-j", "2", "--json", js],
                     a.presil, a.sw)
    check(rc == 1, f"exit status {rc}, expected 1 (a flaky case)")
    with open(js, encoding="utf-8") as f:
        summary = json.load(f)
    check(summary["flaky"] == ["hello-50us"], f"flaky: {summary['flaky']}")
    outcomes = {c["name"]: c["outcome"] for c in summary["cases"]}
    check(outcomes == {"hello-stable@1us": "PASS", "hello-stable@1ms": "PASS",
                       "hello-50us@1us": "TIMEOUT", "hello-50us@1ms": "PASS"}, f"outcomes {outcomes}")
    check(re.search(r"^FLAKY\s+hello-50us:", out, re.M), "no FLAKY line")
    rc, out, _ = run([os.path.join(a.suite_dir, "timing.yaml"), "--filter", "stable", "--quanta", "1us,1ms"],
                     a.presil, a.sw)
    check(rc == 0 and "FLAKY" not in out, f"stable case reported flaky or failed (exit {rc})")


def bad(a, work):
    """Every bad suite gives exit 2 and its FILE:LINE:COLUMN message."""
    files = sorted(glob.glob(os.path.join(a.suite_dir, "bad", "*.yaml")))
    check(files, "no bad suites")
    for path in files:
        with open(path, encoding="utf-8") as f:
            want = f.readline().removeprefix("# error:").strip()
        rc, _, err = run([path], a.presil, a.sw)
        check(rc == 2, f"{os.path.basename(path)}: exit status {rc}, expected 2")
        check(want in err, f"{os.path.basename(path)}: stderr {err.strip()!r} lacks {want!r}")
    rc, _, err = run([os.path.join(a.suite_dir, "bad", "missing.yaml")], a.presil, a.sw)
    check(rc == 2 and "cannot open the suite file" in err, "missing suite file")


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("mode", choices=["mixed", "shard", "quanta", "bad"])
    p.add_argument("--presil", required=True)
    p.add_argument("--sw", required=True, help="folder of the ARM firmware ELF files")
    p.add_argument("--suite-dir", default=os.path.dirname(os.path.abspath(__file__)))
    a = p.parse_args()
    work = tempfile.mkdtemp(prefix=f"presil-suite-{a.mode}-")
    try:
        globals()[a.mode](a, work)
    finally:
        shutil.rmtree(work, ignore_errors=True)
    print(f"{a.mode}: {'FAIL (' + str(len(failures)) + ')' if failures else 'PASS'}")
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
