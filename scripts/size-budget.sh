#!/usr/bin/env bash
# The bytes a browser downloads, against their budgets (brotli, as served): a guest's page
# loads the guest script only (<= 60 KB of script in all); the organizer's first load is
# the WASM and its loader (ceiling 700 KB, target 450 KB). Builds the browser side as a
# release does (profile wasm-release, wasm-bindgen, wasm-opt -Oz), prints the sizes, fails
# above a budget. (The browser tests check what each public page downloads, page by page.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

target=${SIZE_TARGET_DIR:-target/size}
# As cargo-leptos builds it (`always-erase-components` in Cargo.toml).
CARGO_TARGET_DIR=$target RUSTFLAGS="--cfg erase_components" cargo build --quiet -p frontend --lib --profile wasm-release --target wasm32-unknown-unknown
pkg=$target/pkg
rm -rf "$pkg"
wasm-bindgen --target web --no-typescript --out-dir "$pkg" --out-name roadshow \
  "$target/wasm32-unknown-unknown/wasm-release/frontend.wasm"
wasm-opt -Oz --strip-debug --enable-bulk-memory --enable-nontrapping-float-to-int --enable-sign-ext \
  --enable-mutable-globals -o "$pkg/roadshow_bg.opt.wasm" "$pkg/roadshow_bg.wasm"
node scripts/size-budget.mjs "$pkg" app/src/guest.js
