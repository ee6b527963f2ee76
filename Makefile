# Entry points. The README's quick start uses `make run` and `make test`.
SWIFT ?= swift
BIN := .build/debug/registry
RELEASE_BIN := .build/release/registry

.PHONY: build run test test-verbose release bench-http bench-api load-test fuzz ui-check clean

build:
	$(SWIFT) build

# Runs the registry on an embedded private PostgreSQL (./data) with demo data, printing the demo
# credentials on the first run.
run: build
	./scripts/run.sh $(BIN)

# The whole test suite: builds everything (the integration tests start the real `registry` binary
# and a private PostgreSQL cluster themselves), then runs every test target.
# The servers' logs go to a directory of the run's own; after the suite, OPS-42: no issued key,
# password or token in any of them. A clean run removes the directory; a failed one keeps it.
test:
	$(SWIFT) build --build-tests
	logs=$$(mktemp -d /tmp/registry-test-logs.XXXXXX) && \
	  { REGISTRY_TEST_LOG_DIR=$$logs $(SWIFT) test --skip-build && python3 scripts/scan-test-logs.py $$logs \
	    || { echo "server logs of this run kept in $$logs"; exit 1; }; } && \
	  rm -rf $$logs

release:
	$(SWIFT) build -c release

# HTTP-layer benchmark against a Hummingbird 2 baseline built in the same run (not part of CI).
bench-http:
	./scripts/bench-http.sh

# API benchmark on a generated dataset, against pgbench running the same SQL (not part of CI).
bench-api:
	./scripts/bench-api.sh

# OPS-75 load test: LOAD_CLIENTS clients (default 30) each running the §8.2 ingest sequence for
# LOAD_SECONDS (default 60) against a fresh embedded cluster; then `registry audit verify`
# (not part of CI or `make test`).
LOAD_CLIENTS ?= 30
LOAD_SECONDS ?= 60
load-test:
	LOAD_CLIENTS=$(LOAD_CLIENTS) LOAD_SECONDS=$(LOAD_SECONDS) ./scripts/load-ingest.sh

# libFuzzer on the request parser: make fuzz FUZZ_SECONDS=600
FUZZ_SECONDS ?= 60
fuzz:
	./scripts/fuzz-parser.sh $(FUZZ_SECONDS)

# The staff HTML view in headless Chromium at 1280 and 390 px: screenshots in .build-ui/, fails on
# console errors, horizontal scroll at 390 px, images without alt, unlabelled fields, pages over 1 s
# (not in CI; needs Debian's chromium).
ui-check: build
	./scripts/ui-check.sh

clean:
	rm -rf .build .build-*
