#!/usr/bin/env bash
# Load test of the public event page against a release build on SQLite.
#   ./scripts/bench.sh            # 64 connections, 20 s, after a 5 s warm-up
# Needs wrk (apt-get install wrk). Reports requests/s and latency percentiles, and the
# compressed size of the WASM bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
PORT=${PORT:-3100}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }

./scripts/setup.sh
cargo leptos build --release --precompress >/dev/null

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=roadshow \
LEPTOS_HASH_FILES=true RUST_LOG=warn DATABASE_URL="sqlite://$work/bench.db?mode=rwc" \
  target/release/server >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# A stop of the demo roadshow, loaded on first start.
url="http://127.0.0.1:$PORT/e/2023-frankfurt-advanced-equipment"
curl -fs -o /dev/null -w "page: %{http_code}, %{size_download} bytes\n" "$url"
wrk -t2 -c"$CONNECTIONS" -d5s "$url" >/dev/null
wrk -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url"

wasm=$(ls target/site/pkg/*.wasm | head -1)
printf 'WASM: %s bytes raw, %s gzip -9, %s brotli\n' "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)" \
  "$( [ -f "$wasm.br" ] && stat -c %s "$wasm.br" || echo n/a)"
