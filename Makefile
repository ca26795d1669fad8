# Saraban. A new user needs two commands (README): `bash scripts/start.sh` sets everything up
# and starts the app; `bash scripts/test.sh` runs every test (it ends in `make test`).
SHELL := /bin/bash
.PHONY: setup build release run app test test-rust test-ui test-e2e bench app-bench package screenshots examples fmt fuzz

CARGO ?= cargo
OUT ?= out
EMBLEM ?= $(firstword $(wildcard ../shared/assets/garuda.svg))
ENV := source scripts/env.sh &&
XVFB := xvfb-run -a -s "-screen 0 1280x800x24"
TAURI := ui/node_modules/.bin/tauri

setup:
	@bash scripts/setup.sh

# The app with its UI embedded (debug: what the end-to-end tests drive), and the CLI: the
# very binary the Rust tests built (target/debug/saraban), so that nothing is compiled
# again with other features (`cargo build --bin saraban` alone leaves out the tests'
# dev-dependency features and rebuilt the core and several crates).
build: setup
	$(ENV) $(TAURI) build --debug --no-bundle
	$(CARGO) test --workspace --all-targets --no-run

release: setup
	$(ENV) $(TAURI) build --no-bundle
	$(CARGO) build --release --bin saraban

run:
	@bash scripts/start.sh

# The .deb package (target/release/bundle/deb/).
package: setup
	$(ENV) $(TAURI) build --bundles deb

test: test-rust test-ui test-e2e

test-rust: setup
	$(CARGO) test --workspace --all-targets

# Types (svelte-check), the format (Prettier with its Svelte plugin: `npm --prefix ui run
# format` rewrites), and the component tests.
test-ui: setup
	$(ENV) npm --prefix ui run --silent check
	$(ENV) npm --prefix ui run --silent format:check
	$(ENV) npm --prefix ui test

# The real app under Xvfb, driven through tauri-driver; again with the real emblem when
# ../shared has one. The runner exits when the tests end (--test-force-exit) and a hard
# timeout stops a hung WebDriver: nothing left behind ever holds CI.
test-e2e: build
	$(ENV) timeout 600 $(XVFB) node --test --test-force-exit --test-concurrency=1 --test-reporter=spec e2e/tests/
	$(if $(EMBLEM),$(ENV) SARABAN_EMBLEM=$(abspath $(EMBLEM)) timeout 600 $(XVFB) node --test --test-force-exit --test-concurrency=1 --test-reporter=spec e2e/tests/,)

# Screenshots of every screen, with the real emblem when there is one.
screenshots: build
	rm -rf docs/screenshots
	$(ENV) SCREENSHOTS=docs/screenshots $(if $(EMBLEM),SARABAN_EMBLEM=$(abspath $(EMBLEM)),) timeout 600 $(XVFB) node --test --test-force-exit --test-concurrency=1 e2e/tests/

bench: setup
	$(CARGO) bench --bench render
	SARABAN_BENCH_LETTERS=$${SARABAN_BENCH_LETTERS:-1000000} SARABAN_BOOK_LETTERS=$${SARABAN_BOOK_LETTERS:-50000} $(CARGO) bench --bench register
	SARABAN_BENCH_LETTERS=$${SARABAN_BENCH_LETTERS:-1000000} $(CARGO) bench --bench register_pg

# The app's own figures: cold start, keystroke to preview, memory (PSS).
app-bench: release
	$(ENV) timeout 900 $(XVFB) node e2e/bench/app-bench.js

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
