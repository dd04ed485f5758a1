#!/usr/bin/env bash
# Installs what building and testing Roadshow needs, skipping what is already there at
# the right version: the pinned Rust toolchain (with the wasm32 target, from
# rust-toolchain.toml), cargo-leptos, wasm-bindgen-cli at the Cargo.lock version, the
# npm packages of end2end/ (Playwright, binaryen's wasm-opt) and, with --browser,
# Debian's Chromium, and aiosmtpd (a real SMTP server for the tests) in a virtualenv.
# With --toolchain only the toolchain and its wasm32 target (all `make run` needs: see
# scripts/run.sh).
set -euo pipefail
cd "$(dirname "$0")/.."

CARGO_LEPTOS_VERSION=0.3.11
WASM_BINDGEN_VERSION=$(awk '/^name = "wasm-bindgen"$/ { getline; gsub(/version = |"/, ""); print; exit }' Cargo.lock)

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

# rustup installs the toolchain named in rust-toolchain.toml on first use.
rustup show active-toolchain >/dev/null 2>&1 || rustup toolchain install --no-self-update
rustup target list --installed | grep -q wasm32-unknown-unknown || rustup target add wasm32-unknown-unknown
[ "${1:-}" = "--toolchain" ] && exit 0

# The two build tools compile at once (their slow single-threaded ends overlap), each with
# light optimization (opt-level 1, no link-time optimization, 16 codegen units): what they
# do at build time (orchestrate cargo, split and bind the WASM, bundle the CSS) takes
# seconds either way, and compiling them fully optimized was most of a first run's wait
# (cargo-leptos alone 16 minutes here with opt-level 3; with its own fat LTO, more).
pids=()
light=(env CARGO_PROFILE_RELEASE_OPT_LEVEL=1 CARGO_PROFILE_RELEASE_LTO=off CARGO_PROFILE_RELEASE_CODEGEN_UNITS=16)
if ! cargo leptos --version 2>/dev/null | grep -q "$CARGO_LEPTOS_VERSION"; then
  say "installing cargo-leptos $CARGO_LEPTOS_VERSION (once)"
  "${light[@]}" cargo install cargo-leptos --version "$CARGO_LEPTOS_VERSION" --locked --features no_downloads &
  pids+=($!)
fi
if ! wasm-bindgen --version 2>/dev/null | grep -q "$WASM_BINDGEN_VERSION"; then
  say "installing wasm-bindgen-cli $WASM_BINDGEN_VERSION (once)"
  "${light[@]}" cargo install wasm-bindgen-cli --version "=$WASM_BINDGEN_VERSION" &
  pids+=($!)
fi
for pid in "${pids[@]}"; do wait "$pid"; done

if [ ! -x end2end/node_modules/.bin/wasm-opt ] || [ ! -x end2end/node_modules/.bin/playwright ]; then
  say "installing npm packages of end2end/"
  (cd end2end && npm ci --no-audit --no-fund)
fi

# A real SMTP server for the tests and the mail benchmark, in its own virtualenv, with
# dkimpy, which checks the DKIM signatures of what it receives, and an independent
# validator of the API's OpenAPI document and of webhook signatures.
if ! .tools/smtp-venv/bin/python -c 'import aiosmtpd, dkim, openapi_spec_validator, standardwebhooks' >/dev/null 2>&1; then
  say "installing aiosmtpd (the tests' SMTP server), dkimpy, openapi-spec-validator and standardwebhooks into .tools/smtp-venv"
  python3 -m venv .tools/smtp-venv
  .tools/smtp-venv/bin/pip install --quiet --disable-pip-version-check 'aiosmtpd==1.4.6' 'dkimpy==1.1.8' \
    'openapi-spec-validator==0.9.0' 'standardwebhooks==1.3.0'
fi

if [ "${1:-}" = "--browser" ] && ! command -v chromium >/dev/null 2>&1; then
  say "installing Debian's Chromium"
  apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium >/dev/null
fi

# The tests' other Debian packages: nginx (the deployment's site, the several-node test), wrk
# and sqlite3 (the load test and its counts), systemd-analyze (the units' check).
if [ "${1:-}" = "--browser" ]; then
  missing=()
  command -v nginx >/dev/null 2>&1 || [ -x /usr/sbin/nginx ] || missing+=(nginx)
  command -v wrk >/dev/null 2>&1 || missing+=(wrk)
  command -v sqlite3 >/dev/null 2>&1 || missing+=(sqlite3)
  command -v systemd-analyze >/dev/null 2>&1 || missing+=(systemd)
  if [ ${#missing[@]} -gt 0 ]; then
    say "installing ${missing[*]}"
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq "${missing[@]}" >/dev/null
  fi
fi
