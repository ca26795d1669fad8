# Saraban: the two commands a new user needs are `make run` and `make test`.
.PHONY: setup build run test bench fmt examples

CARGO ?= cargo
OUT ?= out
EMBLEM ?= $(firstword $(wildcard ../shared/assets/garuda.svg))

setup:
	@bash scripts/setup.sh

build: setup
	$(CARGO) build --release

# Until the desktop app exists: render the example letters and say where the PDFs are.
run: build examples

examples:
	@mkdir -p $(OUT)
	@for f in tests/fixtures/*.json; do \
	  n=$$(basename $$f .json); \
	  ./target/release/saraban render $$f -o $(OUT)/$$n.pdf $(if $(EMBLEM),--emblem $(EMBLEM),) || exit $$?; \
	done
	@echo "PDFs are in $$(cd $(OUT) && pwd)"

test: setup
	$(CARGO) test --all-targets

bench: setup
	$(CARGO) bench --bench render
	SARABAN_BENCH_LETTERS=$${SARABAN_BENCH_LETTERS:-1000000} $(CARGO) bench --bench register

fmt:
	$(CARGO) fmt --all
