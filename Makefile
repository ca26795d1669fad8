# Saraban. A new user needs two commands (README): `bash scripts/start.sh` sets everything up
# and starts the app; `bash scripts/test.sh` runs every test (it ends in `make test`).
SHELL := /bin/bash
.PHONY: setup build release run app test test-rust test-ui test-e2e bench app-bench package screenshots examples fmt fuzz windows package-windows test-windows

CARGO ?= cargo
OUT ?= out
EMBLEM ?= $(firstword $(wildcard ../shared/assets/garuda.svg))
ENV := source scripts/env.sh &&
XVFB := xvfb-run -a -s "-screen 0 1366x768x24"
TAURI := ui/node_modules/.bin/tauri

setup:
	@bash scripts/setup.sh

# Everything the tests run, compiled once in one cargo run: the Rust tests, the CLI
# (target/debug/saraban) and the app with its UI embedded (target/debug/saraban-app, the
# `custom-protocol` feature `tauri build` would turn on), which the end-to-end tests drive.
# One run, one set of features: the dependencies are compiled once (a `tauri build --debug`
# beside `cargo test` compiled them all again with other features).
RUST_TESTS := --workspace --all-targets --features saraban-app/custom-protocol
build: setup
	$(ENV) npm --prefix ui run --silent build
	$(CARGO) test $(RUST_TESTS) --no-run

# The app (its pages embedded) and the CLI in one cargo run: shared crates built once.
release: setup
	$(ENV) npm --prefix ui run --silent build
	$(CARGO) build --release -p saraban-app -p saraban --features saraban-app/custom-protocol

run:
	@bash scripts/start.sh

# The .deb package (target/release/bundle/deb/).
package: setup
	$(ENV) $(TAURI) build --bundles deb

test: test-rust test-ui test-e2e

# Windows, made on Debian (scripts/windows.sh; not in CI: the Windows build compiles its
# own standard library and every crate again): the CLI for x86_64-pc-windows-gnu; a
# per-user NSIS installer, installed and uninstalled silently under Wine; the core's tests
# built for Windows and run under Wine.
windows:
	bash scripts/windows.sh build
package-windows:
	bash scripts/windows.sh package
test-windows:
	bash scripts/windows.sh test

# Four test threads on two cores: most integration tests wait (on servers, locks, child
# processes), so the run takes two thirds of the time it takes with two. (The variable,
# not --test-threads: the benches and examples/busy_year, run once as tests, take no flags.)
test-rust: build
	RUST_TEST_THREADS=4 $(CARGO) test $(RUST_TESTS)

# Types (svelte-check), the format (Prettier with its Svelte plugin: `npm --prefix ui run
# format` rewrites), and the component tests.
test-ui: setup
	$(ENV) npm --prefix ui run --silent check
	$(ENV) npm --prefix ui run --silent format:check
	$(ENV) npm --prefix ui test

# The real app under Xvfb, driven through tauri-driver. When ../shared has the real
# emblem, the first two tests run again with it: importing a real Garuda and composing
# with it is what the stand-in cannot show; the rest does not depend on the emblem. The
# runner exits when the tests end (--test-force-exit) and a hard timeout stops a hung
# WebDriver: nothing left behind ever holds CI.
E2E := timeout 900 $(XVFB) node --test --test-force-exit --test-concurrency=1 --test-reporter=spec
test-e2e: build
	$(ENV) $(E2E) e2e/tests/
	$(if $(EMBLEM),$(ENV) SARABAN_EMBLEM=$(abspath $(EMBLEM)) $(E2E) --test-name-pattern="^(first run|compose)" e2e/tests/,)

# Screenshots of every screen, with the real emblem when there is one.
screenshots: build
	rm -rf docs/screenshots
	$(ENV) SCREENSHOTS=docs/screenshots $(if $(EMBLEM),SARABAN_EMBLEM=$(abspath $(EMBLEM)),) timeout 600 $(XVFB) node --test --test-force-exit --test-concurrency=1 e2e/tests/

# The CLI's fresh process measured as users build it (`make release`: with the app, so its
# crates' features and its linker's function list, build/symbol-order.txt, are theirs).
# The server's search again on a kept server, without moving a million letters again:
# `saraban migrate --from target/bench-pg-source-1000000.sqlite --to postgres://…` once,
# then SARABAN_BENCH_PG_URL=postgres://… SARABAN_BENCH_SEARCH_PASSES=3 on register_pg
# (passes of the 203 queries, then each compared with the SQLite register's answer).
bench: release
	python3 benches/cold.py
	$(CARGO) bench --bench render
	SARABAN_BENCH_LETTERS=$${SARABAN_BENCH_LETTERS:-1000000} SARABAN_BOOK_LETTERS=$${SARABAN_BOOK_LETTERS:-50000} $(CARGO) bench --bench register
	SARABAN_BENCH_LETTERS=$${SARABAN_BENCH_LETTERS:-1000000} $(CARGO) bench --bench register_pg

# The app's own figures: cold start, keystroke to preview, memory (PSS), each the median
# of APP_BENCH_RUNS runs (3) with its spread. SARABAN_APP_BEFORE=path/to/an/older/saraban-app
# (and SARABAN_CLI_BEFORE) measures that build too, run for run in turn with this one.
# Then the register tab on a million letters, three runs: keystroke to search result on
# screen (the register is made once, target/bench-register-1000000.sqlite, 12 GB). Then an
# issued letter's stored PDF opened from the register tab (pdf.js), three runs.
app-bench: release
	$(ENV) timeout 3600 $(XVFB) node e2e/bench/runs.js
	for i in 1 2 3; do $(ENV) timeout 3600 $(XVFB) node e2e/bench/register-search.js || exit $$?; done
	for i in 1 2 3; do $(ENV) timeout 600 $(XVFB) node e2e/bench/stored-pdf.js || exit $$?; done

# Fuzzing (cargo fuzz on nightly; not in CI): letter parsing, typesetting, emblem files,
# each for FUZZ_SECONDS, seeded with the test fixtures. Findings land in fuzz/artifacts/.
FUZZ_SECONDS ?= 60
fuzz: setup
	@test -x .tools/bin/cargo-fuzz || $(CARGO) install cargo-fuzz --locked --root .tools
	@mkdir -p fuzz/corpus/letter_json fuzz/corpus/typeset fuzz/corpus/emblem
	@cp tests/fixtures/*.json fuzz/corpus/letter_json/ && cp tests/fixtures/*.json fuzz/corpus/typeset/
	@printf '<svg xmlns="http://www.w3.org/2000/svg" width="9" height="9"><path d="M1 1H8V8Z"/></svg>' > fuzz/corpus/emblem/seed.svg
	@for t in $(or $(FUZZ_TARGETS),letter_json typeset emblem); do \
	  $(ENV) cargo +nightly fuzz run $$t fuzz/corpus/$$t -- -max_total_time=$(FUZZ_SECONDS) -max_len=65536 -rss_limit_mb=4096 || exit $$?; \
	done

# The example letters rendered by the CLI.
examples: setup
	$(CARGO) build --release --bin saraban
	@mkdir -p $(OUT)
	@for f in tests/fixtures/*.json; do \
	  n=$$(basename $$f .json); \
	  ./target/release/saraban render $$f -o $(OUT)/$$n.pdf $(if $(EMBLEM),--emblem $(EMBLEM),) || exit $$?; \
	done
	@echo "PDFs are in $$(cd $(OUT) && pwd)"

fmt:
	$(CARGO) fmt --all
