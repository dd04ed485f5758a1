#!/usr/bin/env bash
# `make run`: builds Roadshow (debug) and serves it at http://127.0.0.1:3000, on a fresh
# machine too. It needs neither cargo-leptos nor wasm-bindgen-cli (compiling those two was
# most of a first run's wait): the frontend and the server are built with cargo and the
# flags cargo-leptos gives them, and scripts/site (wasm-bindgen's and cargo-leptos's
# splitter libraries, compiled lightly) turns the WASM into the site's files, in
# target/run-site (target/site stays cargo-leptos's). With --build, builds and stops. The
# server takes its settings from the environment (DATABASE_URL, LEPTOS_SITE_ADDR, ...).
set -euo pipefail
cd "$(dirname "$0")/.."

SITE=target/run-site
say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

./scripts/setup.sh --toolchain

say "building the site tool, the frontend (WASM) and the server"
cargo build --quiet --package=site --profile=tool --target-dir=target/tool &
tool=$!
# cargo-leptos's variables and flags for a debug build, so each build reuses the other's.
export LEPTOS_OUTPUT_NAME=roadshow
RUSTFLAGS="-Clink-args=--emit-relocs --cfg erase_components" cargo build --package=frontend --lib \
  --target-dir=target/front --target=wasm32-unknown-unknown --no-default-features
RUSTFLAGS="--cfg erase_components" cargo build --package=server --bin=server --no-default-features
wait "$tool"

say "writing the site's files into $SITE"
rm -rf "$SITE" && mkdir -p "$SITE/pkg"
target/tool/tool/site target/front/wasm32-unknown-unknown/debug/frontend.wasm "$SITE/pkg" roadshow
cp style/main.css "$SITE/pkg/roadshow.css"
cp -r public/. "$SITE/"
[ "${1:-}" = "--build" ] && exit 0

say "serving at http://${LEPTOS_SITE_ADDR:-127.0.0.1:3000}"
exec env LEPTOS_SITE_ROOT="$SITE" LEPTOS_SITE_PKG_DIR=pkg LEPTOS_HASH_FILES=false target/debug/server
