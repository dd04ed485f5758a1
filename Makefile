# The two commands of Roadshow: `make run` and `make test` (see README.md).
SHELL := /bin/bash
export PATH := $(CURDIR)/end2end/node_modules/.bin:$(HOME)/.cargo/bin:$(PATH)
E2E_DB := $(CURDIR)/target/e2e/roadshow.db

.PHONY: run test lint unit integration e2e run-check benches size bench dist setup

## Build and serve at http://127.0.0.1:3000 (SQLite file roadshow.db, demo data). A debug
## build: the quickest first run on a fresh machine; `make dist` and the benchmarks build the
## optimized release.
run:
	./scripts/run.sh

## Every check and test: formatting, clippy (ssr and hydrate apart), unit, integration
## (SQLite and PostgreSQL), the browser tests in headless Chromium (also against `make run`'s
## build), every benchmark at a small size, then the download budget.
test:
	./scripts/setup.sh --browser
	$(MAKE) lint unit integration e2e run-check benches size

lint:
	python3 scripts/layers.py
	cargo fmt --all --check
	cargo clippy -p migration -p server -p site --all-targets -- -D warnings
	cargo clippy -p app --features ssr --all-targets -- -D warnings
	cargo clippy -p app -p frontend --features app/hydrate --target wasm32-unknown-unknown -- -D warnings

unit:
	cargo test -p app --features ssr

integration:
	cargo test -p server

e2e:
	rm -rf $(dir $(E2E_DB)) && mkdir -p $(dir $(E2E_DB))
	DATABASE_URL="sqlite://$(E2E_DB)?mode=rwc" ROADSHOW_DEMO_DATA=1 ROADSHOW_MAIL_DIR=$(dir $(E2E_DB))mail \
	ROADSHOW_FILES_DIR=$(dir $(E2E_DB))files \
	ROADSHOW_ADMIN_EMAIL=admin@example.com ROADSHOW_ADMIN_PASSWORD=end-to-end-password \
	cargo leptos end-to-end --split

## `make run`'s build (without cargo-leptos) served and checked in Chromium: the organizer's
## areas load their split WASM pieces and hydrate.
run-check:
	./scripts/run-check.sh

## Every benchmark of `make bench` at a small size, checking its invariants (after e2e: it
## uses the debug build the browser tests made).
benches:
	./scripts/benches-small.sh

## What a guest's page and the organizer's first load download, against their budgets.
size:
	./scripts/size-budget.sh

## The deployable folder dist/roadshow (the binary, hash.txt and site/ beside it, the
## deploy/ files) and dist/roadshow.tar.gz, from an optimized release build.
dist:
	./scripts/setup.sh
	cargo leptos build --release --precompress --split
	rm -rf dist && mkdir -p dist/roadshow
	cp target/release/server target/release/hash.txt dist/roadshow/
	cp -r target/site dist/roadshow/site
	cp -r deploy README.md dist/roadshow/
	tar -C dist -czf dist/roadshow.tar.gz roadshow
	@echo "dist/roadshow.tar.gz: unpack into /opt (see README.md, Deploying)"

## Load test of the public event page against a release build (see README.md).
bench:
	./scripts/bench.sh
