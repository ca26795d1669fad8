#!/usr/bin/env python3
"""The CLI as a fresh process: what every `saraban` command, every `issue` and the app's
start pay before any work (loading fonts, the word list, the line breaker's models).
Criterion's warm loop hides this; here each run is a new process, timed from outside (wall
clock; the peak resident memory the kernel reports for it, through GNU time), ten runs after
a warm-up, each figure given as its median with the spread (min–max).

    python3 benches/cold.py                       # target/release/saraban
    SARABAN_CLI_BEFORE=/path/to/older/saraban python3 benches/cold.py

With SARABAN_CLI_BEFORE the two builds run in turn, run for run, so that both are measured
in one sitting on one machine state. `make bench` runs it.
"""
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
RUNS = int(os.environ.get("COLD_RUNS", "10"))


JCLAIR = os.path.join(ROOT, "tests/fixtures/jclair-specialists.json")


def six_page_letter(work):
    """The J.CLAIR letter with its body twelve times (six pages), written into `work`."""
    letter = json.load(open(JCLAIR, encoding="utf-8"))
    letter["body"] = letter["body"] * 12
    long = os.path.join(work, "six-pages.json")
    json.dump(letter, open(long, "w", encoding="utf-8"), ensure_ascii=False)
    return long


def run_once(argv, scratch):
    """Wall milliseconds and peak resident MiB of a fresh process. The wall time is taken
    here around the command itself; the peak memory is GNU time's, from another run: there
    the process is GNU time's child, so its peak is the command's own (a process forked
    from this Python counts Python's memory until it runs the command)."""
    t0 = time.perf_counter()
    code = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL).returncode
    wall = (time.perf_counter() - t0) * 1000
    if code != 0:
        sys.exit(f"failed ({code}): {' '.join(argv)}")
    report = os.path.join(scratch, "time.txt")
    subprocess.run(
        ["/usr/bin/time", "-o", report, "-f", "%M", *argv],
        stdout=subprocess.DEVNULL,
        stderr=subprocess.DEVNULL,
        check=False,
    )
    kib = open(report).read().split()[-1]
    return wall, int(kib) / 1024


def spread(xs, digits=0):
    fmt = f"{{:.{digits}f}}"
    return f"{fmt.format(statistics.median(xs))} ({fmt.format(min(xs))}–{fmt.format(max(xs))})"


def main():
    after = os.environ.get("SARABAN_CLI", os.path.join(ROOT, "target/release/saraban"))
    builds = [("after", after)]
    if os.environ.get("SARABAN_CLI_BEFORE"):
        builds.insert(0, ("before", os.environ["SARABAN_CLI_BEFORE"]))
    work = tempfile.mkdtemp(prefix="saraban-cold-")
    jclair = JCLAIR
    long = six_page_letter(work)
    out = os.path.join(work, "out.pdf")
    registers = {}
    for name, binary in builds:
        registers[name] = ["--db", os.path.join(work, f"{name}.sqlite")]
        subprocess.run([binary, *registers[name], "init"], stdout=subprocess.DEVNULL, check=True)
    cases = [
        ("saraban --help", ["--help"]),
        ("saraban check J.CLAIR", ["check", jclair]),
        ("saraban render J.CLAIR (1 page)", ["render", jclair, "-o", out]),
        ("saraban render J.CLAIR ×12 (6 pages)", ["render", long, "-o", out]),
        # A new number each run, into a register of its own for each build.
        ("saraban issue J.CLAIR", lambda name: [*registers[name], "issue", jclair, "-o", out]),
    ]
    results = {}
    for label, args in cases:
        argv = args if callable(args) else (lambda _name, args=args: args)
        for name, binary in builds:
            run_once([binary, *argv(name)], work)  # warm-up: the binary and files in the page cache
        for _ in range(RUNS):
            for name, binary in builds:
                results.setdefault((label, name), []).append(run_once([binary, *argv(name)], work))
    head = " | ".join(f"{n}: wall ms | {n}: peak MiB" for n, _ in builds)
    print(f"\nfresh process, {RUNS} runs each after a warm-up, median (min–max)\n")
    print(f"| command | {head} |")
    print("|---|" + "---|" * (2 * len(builds)))
    for label, _ in cases:
        cells = []
        for name, _ in builds:
            rs = results[(label, name)]
            cells += [spread([w for w, _ in rs]), spread([m for _, m in rs], 1)]
        print(f"| {label} | {' | '.join(cells)} |")
    for name, binary in builds:
        print(f"\n{name}: {symbol_order_found(binary)}")


def symbol_order_found(binary):
    """How many functions of build/symbol-order.txt the program has (build/symbol_order.rs):
    after a change of toolchain or dependencies the names drift, and the list wants writing
    again (scripts/symbol-order.py)."""
    listed = open(os.path.join(ROOT, "build/symbol-order.txt")).read().split()
    own = own_functions(binary)
    found = sum(1 for name in listed if name in own)
    return f"{found} of the {len(listed)} functions of build/symbol-order.txt found in {binary}"


def own_functions(program):
    """The functions defined in `program`, by the linker's names (`nm`)."""
    nm = subprocess.run(["nm", "--defined-only", program], capture_output=True, text=True, check=True)
    return set(
        line.split()[-1]
        for line in nm.stdout.splitlines()
        if len(line.split()) == 3 and line.split()[1] in "tTwW"
    )


if __name__ == "__main__":
    main()
