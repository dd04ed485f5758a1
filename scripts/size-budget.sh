#!/usr/bin/env bash
# The bytes a browser downloads, against their budgets (brotli, as served): a guest's page
# loads the guest script only (<= 60 KB of script in all); the organizer's first load is
# the WASM's loader, its main module and the first page's own pieces (target 450 KB). Builds
# the browser side as a release does (`cargo leptos build --release --split`, into its own
# folders), prints the sizes, fails above a budget. (The browser tests check what each
# public page downloads, page by page.)
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"

target=${SIZE_TARGET_DIR:-target/size}
# Names without content hashes, so the script finds the files; otherwise as released.
CARGO_TARGET_DIR=$target LEPTOS_SITE_ROOT=$target/site LEPTOS_HASH_FILES=false \
  cargo leptos build --release --split --frontend-only >/dev/null
node scripts/size-budget.mjs "$target/site/pkg" app/src/guest.js
