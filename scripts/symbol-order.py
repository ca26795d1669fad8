#!/usr/bin/env python3
"""Writes build/symbol-order.txt: the functions a fresh `saraban` runs for its everyday
commands, command by command, for the linker to lay out side by side; and
build/symbol-order-app.txt: the app's, as `make app-bench` drives it (build/symbol_order.rs
gives the app that list, then the CLI's).

Why: a fresh process maps its program's code in 64 KB windows around each page it touches.
Laid out as the compiler leaves it, the 2 MB of code a `saraban render` runs is spread over
the 19 MB of the program's code, and the process holds 7.8 MB of it; laid out together it
holds a quarter of that (README, "The CLI's memory"). build.rs passes this list to the
linker (LLD's `--symbol-ordering-file`) for release builds on Linux.

The names are the linker's (mangled, with the hash of their crate's build), so they match
the release build of one toolchain and one Cargo.lock. Names the linker does not find are
skipped, so a stale list costs memory, never correctness: `make bench` (benches/cold.py)
says how many of them the release program has. Run this again after a change of toolchain
or dependencies:

    python3 scripts/symbol-order.py        # runs `make release`; needs valgrind, and the
                                           # end-to-end tests' set-up for the app (Xvfb)

It runs each command once under valgrind's callgrind (which records every function called)
and keeps the program's own functions: the render's first, then each further command's new
ones, each command's in name order (so that a list written again changes only where the
code did).
"""
import os
import re
import shutil
import subprocess
import sys
import tempfile

ROOT = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
sys.path.insert(0, os.path.join(ROOT, "benches"))
import cold  # noqa: E402  (the CLI's cold bench: the same letters)
OUT = os.path.join(ROOT, "build", "symbol-order.txt")
FIXTURES = os.path.join(ROOT, "tests", "fixtures")


def commands(work):
    """The everyday commands, most frequent first: the render of a one-page letter (also
    the start of every `issue` and of the app's preview), a long one, every fixture, the
    check, then a register's issue, search and show."""
    jclair = cold.JCLAIR
    long = cold.six_page_letter(work)
    out = os.path.join(work, "out.pdf")
    db = ["--db", os.path.join(work, "register.sqlite")]
    yield ["render", jclair, "-o", out]
    yield ["render", long, "-o", out]
    for name in sorted(os.listdir(FIXTURES)):
        if name.endswith(".json"):
            yield ["render", os.path.join(FIXTURES, name), "-o", out]
    yield ["check", jclair]
    yield [*db, "init"]
    yield [*db, "issue", jclair, "-o", out]
    yield [*db, "search", "ผู้เชี่ยวชาญ"]
    yield [*db, "show", "1"]
    yield ["--help"]


def called(profile):
    """The functions of a callgrind profile, in the order the profile first names them
    (`fn=(id) name` defines a name; later lines give the id alone)."""
    names = []
    for line in open(profile, encoding="utf-8", errors="replace"):
        m = re.match(r"^c?fn=\(\d+\) (.+)$", line.rstrip("\n"))
        if m:
            names.append(m.group(1))
    return names


def main():
    if shutil.which("valgrind") is None:
        sys.exit("valgrind is needed: sudo apt-get install valgrind")
    # Built as users build it (scripts/start.sh, `make release`: with the app, in one cargo
    # run): a crate built with other features (the CLI alone, or for `cargo bench`) has
    # other names.
    subprocess.run(["make", "release"], cwd=ROOT, check=True)
    program = os.path.join(ROOT, "target", "release", "saraban")
    own = cold.own_functions(program)
    order, seen = [], set()
    with tempfile.TemporaryDirectory(prefix="saraban-order-") as work:
        for i, args in enumerate(commands(work)):
            profile = os.path.join(work, f"callgrind.{i}")
            subprocess.run(
                ["valgrind", "--tool=callgrind", "--demangle=no",
                 f"--callgrind-out-file={profile}", program, *args],
                stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL, check=True,
                env={**os.environ, "SARABAN_LOCAL_DIR": work},
            )
            # A command's new functions in name order: callgrind names them in no set
            # order, and a list written again should differ only where the code did.
            new = sorted(set(n for n in called(profile) if n in own) - seen)
            seen.update(new)
            order.extend(new)
    with open(OUT, "w", encoding="utf-8") as f:
        f.write("".join(f"{name}\n" for name in order))
    print(f"wrote {OUT}: {len(order)} functions")
    app_list()


def app_list():
    """build/symbol-order-app.txt: the app's own functions as `make app-bench`'s session
    runs them (a start, three letters opened and typed into, each page of their preview
    drawn), the app under callgrind. The app lives on until the bench closes it, so its
    profile is asked for every 15 seconds (`callgrind_control -d`); each dump holds the
    functions met since the one before."""
    program = os.path.join(ROOT, "target", "release", "saraban-app")
    own = cold.own_functions(program)
    seen = set()
    with tempfile.TemporaryDirectory(prefix="saraban-order-app-") as work:
        wrapper = os.path.join(work, "saraban-app")
        with open(wrapper, "w") as f:
            f.write(
                "#!/bin/sh\nexec valgrind --tool=callgrind --demangle=no"
                f" --callgrind-out-file={work}/callgrind.%p {program} \"$@\"\n"
            )
        os.chmod(wrapper, 0o755)
        dumping = subprocess.Popen(
            ["sh", "-c", "while true; do callgrind_control -d >/dev/null 2>&1; sleep 15; done"]
        )
        try:
            subprocess.run(
                ["xvfb-run", "-a", "-s", "-screen 0 1366x768x24", "node",
                 os.path.join(ROOT, "e2e", "bench", "app-bench.js")],
                cwd=ROOT, check=True, stdout=subprocess.DEVNULL,
                env={**os.environ, "SARABAN_APP": wrapper, "SARABAN_BENCH_PROFILED": "1",
                     "BENCH_KEYS_ONLY": "1"},
            )
        finally:
            dumping.kill()
        # In name order: the dumps fall where the clock says, not where the session is.
        for name in os.listdir(work):
            if name.startswith("callgrind."):
                seen.update(n for n in called(os.path.join(work, name)) if n in own)
        order = sorted(seen)
    out = os.path.join(ROOT, "build", "symbol-order-app.txt")
    with open(out, "w", encoding="utf-8") as f:
        f.write("".join(f"{name}\n" for name in order))
    print(f"wrote {out}: {len(order)} functions")


if __name__ == "__main__":
    main()
