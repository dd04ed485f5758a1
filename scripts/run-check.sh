#!/usr/bin/env bash
# `make run` checked in Chromium: scripts/run.sh builds (after the browser tests it finds the
# WASM and the server built, with the same flags) and writes target/run-site, then serves it
# as `make run` does, on a fresh SQLite database and another port; the browser test of the
# organizer's areas (split WASM pieces fetched by area, every page hydrated) runs against it.
set -euo pipefail
cd "$(dirname "$0")/.."

./scripts/run.sh --build
dir="$PWD/target/run-check"
rm -rf "$dir" && mkdir -p "$dir"
port=3007
DATABASE_URL="sqlite://$dir/roadshow.db?mode=rwc" ROADSHOW_DEMO_DATA=1 ROADSHOW_MAIL_DIR="$dir/mail" \
  ROADSHOW_FILES_DIR="$dir/files" ROADSHOW_ADMIN_EMAIL=admin@example.com \
  ROADSHOW_ADMIN_PASSWORD=end-to-end-password LEPTOS_SITE_ADDR="127.0.0.1:$port" \
  ./scripts/run.sh >"$dir/server.log" 2>&1 &
server=$!
trap 'kill "$server" 2>/dev/null || true' EXIT
for _ in $(seq 1 120); do
  curl -sf "http://127.0.0.1:$port/healthz" >/dev/null && break
  kill -0 "$server" 2>/dev/null || { cat "$dir/server.log"; exit 1; }
  sleep 0.5
done
(cd end2end && BASE_URL="http://127.0.0.1:$port" npx playwright test tests/areas.spec.ts)
