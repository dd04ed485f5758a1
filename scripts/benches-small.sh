#!/usr/bin/env bash
# Every benchmark the README names, at a small size, so that none can rot unnoticed
# (`make benches`, part of `make test`): the cargo benches (email, lead list, campaign,
# dashboard, meetings' scheduler) in the test profile, the lead list, the dashboard and the
# scheduler on PostgreSQL too, the
# load test's six parts (the REST API; three web nodes behind nginx on PostgreSQL; the mail worker binary) and
# Lighthouse against the debug build the browser tests made.
# Each fails on a broken invariant (a copy too many, an error answer, a wrong count). The
# numbers mean nothing at this size: `make bench` measures.
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
export BENCH_RUNS=1 MAIL_BENCH_MESSAGES=300 WORKER_BENCH_MESSAGES=300 CAMPAIGN_BENCH_RECIPIENTS=300 LEADS_BENCH_LEADS=2000 DASHBOARD_BENCH_LEADS=2000 \
  SCHEDULE_BENCH_PEOPLE=200 SCHEDULE_BENCH_TABLES=30 DOOR_BENCH_GUESTS=500

cargo test -p server --benches

pg=${BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
db="roadshow_benches_$$"
psql "$pg" -qc "CREATE DATABASE $db"
trap 'psql "$pg" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" >/dev/null 2>&1 || true' EXIT
LEADS_BENCH_URL="${pg%/*}/$db" cargo test -p server --bench leads
psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)" && psql "$pg" -qc "CREATE DATABASE $db"
DASHBOARD_BENCH_URL="${pg%/*}/$db" cargo test -p server --bench dashboard
psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)" && psql "$pg" -qc "CREATE DATABASE $db"
SCHEDULE_BENCH_URL="${pg%/*}/$db" cargo test -p server --bench schedule
psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)" && psql "$pg" -qc "CREATE DATABASE $db"
DOOR_BENCH_URL="${pg%/*}/$db" cargo test -p server --bench door

[ -x target/debug/server ] && [ -d target/site/pkg ] || { echo "benches: run the browser tests first (make e2e builds the site)"; exit 1; }
SERVER_BIN=target/debug/server SKIP_BUILD=1 WARMUP=1s DURATION=3s REGISTRATION_DURATION=3s \
  ./scripts/bench.sh page mixed registrations cluster worker api
SERVER_BIN=target/debug/server SKIP_BUILD=1 MIN_PERFORMANCE=80 ./scripts/lighthouse.sh
