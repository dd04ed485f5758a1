#!/usr/bin/env bash
# Load tests against a release build on SQLite:
#   1. the public event page (GET), 64 connections, 20 s, after a 5 s warm-up (`page`); and
#      (`mixed`) an open stop's page under the same load while about 500 registrations/s go
#      to that stop, then its seats left as the page shows them against the database's;
#   2. registrations (POST, each a new guest) for a 5,000-seat stop, 64 connections,
#      20 s (REGISTRATION_DURATION); then the database counts confirmed (never above 5,000) and waitlisted, and
#      the outbox rows (one per registration, written in its transaction);
#   3. email delivery: `cargo bench -p server --bench mail` (5,000 messages over SMTP to
#      a local aiosmtpd server);
#   4. the lead list at 100,000 leads: `cargo bench -p server --bench leads`;
#   5. a 10,000-recipient campaign, written and delivered over SMTP: `cargo bench -p server --bench campaign`;
#   6. the leaders' dashboard at 5,000 projects, 100,000 leads, 40 units and 200 stops:
#      `cargo bench -p server --bench dashboard`, on SQLite, then on a fresh PostgreSQL database
#      (DASHBOARD_BENCH_PG, default postgres://postgres@127.0.0.1:5432/test; skipped when unreachable).
#   7. registrations over three web nodes behind nginx on one PostgreSQL database
#      (`cluster`: scripts/cluster.sh, 64 connections through nginx, 20 s), then the counts;
#   8. the deployable mail worker (`worker`): WORKER_BENCH_MESSAGES (5,000) confirmations with
#      HTML, text and a calendar invitation queued in an SQLite outbox, `server worker` with the
#      default settings delivering them to scripts/smtp_sink.py; messages/s, then every
#      recipient exactly once.
#   9. the REST API (`api`): a page of 100 registrations of a stop with 150 guests
#      (GET /api/v1/events/{id}/registrations with a read token), 64 connections, 20 s:
#      the same page again and again, then each request a page not asked before.
#  10. the meetings' auto-scheduler at 300 tables × 40 slots × 2,000 participants
#      (`schedule`: `cargo bench -p server --bench schedule`), on SQLite, then on PostgreSQL.
#  11. what "prepare for offline" downloads at a stop of 5,000 guests (`door`: `cargo bench
#      -p server --bench door`), on SQLite, then on PostgreSQL.
#   ./scripts/bench.sh                 # all ten
#   ./scripts/bench.sh registrations   # only the named parts (page, mixed, registrations, mail, leads, campaign, dashboard, cluster, worker, api, schedule, door)
#   SKIP_BUILD=1 ./scripts/bench.sh page   # with the release already built
#   SERVER_BIN=target/debug/server SKIP_BUILD=1 DURATION=2s ./scripts/bench.sh page  # `make benches`: a
#     short run against the debug build the browser tests made, checking the same invariants
# Fails when an invariant breaks: a page or registration answered with an error, the page's
# seats left differing from the database's, more guests confirmed than seats.
# Needs wrk (apt-get install wrk). Reports requests/s and latency percentiles, and the
# compressed size of the WASM bundle.
set -euo pipefail
cd "$(dirname "$0")/.."
parts=${*:-page mixed registrations mail leads campaign dashboard cluster worker api schedule door}
wants() { [[ " $parts " == *" $1 "* ]]; }
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
CONNECTIONS=${CONNECTIONS:-64}
DURATION=${DURATION:-20s}
PORT=${PORT:-3100}
SERVER_BIN=${SERVER_BIN:-target/release/server}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk >/dev/null; }
command -v sqlite3 >/dev/null || { apt-get update -qq && apt-get install -y -qq sqlite3 >/dev/null; }
fail() { echo "bench: FAILED: $*" >&2; exit 1; }
# wrk's report, and a failure when any answer was not 2xx/3xx.
load() {
  local out
  out=$(wrk "$@") || fail "wrk $*"
  echo "$out"
  ! grep -q "Non-2xx or 3xx responses" <<<"$out" || fail "error answers: $(grep 'Non-2xx' <<<"$out")"
}

# A published stop named $1 with $2 seats, created through the API (at $api, signed in with
# the cookies in $jar) as an organizer would.
stop() {
  local id
  id=$(curl -fs -b "$jar" "$api/events/create" \
    -d "form[slug]=$1" -d 'form[title_zh]=压测' -d 'form[title_en]=Load test' -d 'form[city]=Yueyang' \
    -d 'form[country]=CN' -d 'form[region]=Hunan' -d 'form[venue_name]=Hall' -d 'form[time_zone]=Asia/Shanghai' \
    -d 'form[starts_local]=2030-01-10T09:00' -d 'form[ends_local]=2030-01-10T17:00' -d "form[capacity]=$2")
  curl -fs -b "$jar" -o /dev/null "$api/events/status" -d "id=$id" -d status=published
}

./scripts/setup.sh
if wants page || wants mixed || wants registrations || wants cluster || wants worker || wants api; then
[ -n "${SKIP_BUILD:-}" ] || cargo leptos build --release --precompress --split >/dev/null
fi
if wants page || wants mixed || wants registrations || wants api; then

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=roadshow \
LEPTOS_HASH_FILES=true RUST_LOG=warn DATABASE_URL="sqlite://$work/bench.db?mode=rwc" \
ROADSHOW_ADMIN_EMAIL=bench@example.com ROADSHOW_ADMIN_PASSWORD=bench-password-123 \
ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 ROADSHOW_API_REQUESTS_PER_MINUTE=100000000 ROADSHOW_MAIL_DIR="$work/mail" \
  "$SERVER_BIN" >"$work/server.log" 2>&1 &
server=$!
for _ in $(seq 1 100); do curl -fs "http://127.0.0.1:$PORT/healthz" >/dev/null && break; sleep 0.2; done

# A stop of the demo roadshow, loaded on first start.
url="http://127.0.0.1:$PORT/e/2023-frankfurt-advanced-equipment"
if wants page; then
  curl -fs -o /dev/null -w "page: %{http_code}, %{size_download} bytes\n" "$url"
  load -t2 -c"$CONNECTIONS" -d"${WARMUP:-5s}" "$url" >/dev/null
  load -t2 -c"$CONNECTIONS" -d"$DURATION" --latency "$url"
fi

# Signed in as the organizer the server created, to make stops.
api="http://127.0.0.1:$PORT/api"
jar="$work/cookies"
curl -fs -c "$jar" -o /dev/null "$api/auth/login" -d 'form[email]=bench@example.com' -d 'form[password]=bench-password-123'

if wants mixed; then
  stop mixed-stop 100000
  page_url="http://127.0.0.1:$PORT/e/mixed-stop"
  SLUG=mixed-stop PAUSE_MS=${MIXED_PAUSE_MS:-16} wrk -t2 -c${MIXED_CONNECTIONS:-16} -d"$DURATION" -s scripts/register.lua "http://127.0.0.1:$PORT" >"$work/mixed-registrations.txt" &
  registering=$!
  load -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H 'Accept-Language: en' "$page_url"
  wait $registering
  grep -E "Requests/sec|registrations:" "$work/mixed-registrations.txt" | sed 's/^/registrations beside it: /'
  grep -q "non-2xx/3xx 0$" "$work/mixed-registrations.txt" || fail "registrations answered with errors"
  sleep 1
  shown=$(curl -fs -H 'Accept-Language: en' "$page_url" | grep -o '[0-9,]* seats left' | tr -d ',' | cut -d' ' -f1)
  confirmed=$(sqlite3 "$work/bench.db" "select count(*) from registration r join event e on e.id = r.event_id where e.slug = 'mixed-stop' and r.status = 'confirmed'")
  echo "seats left shown 1 s after the run: $shown (capacity 100,000, confirmed in the database: $confirmed)"
  [ "$shown" = "$((100000 - confirmed))" ] || fail "the page showed $shown seats left, the database says $((100000 - confirmed))"
fi

if wants registrations; then
stop bench-stop 5000
out=$(SLUG=bench-stop wrk -t2 -c"$CONNECTIONS" -d"${REGISTRATION_DURATION:-20s}" --latency -s scripts/register.lua "http://127.0.0.1:$PORT")
echo "$out"
grep -q "non-2xx/3xx 0$" <<<"$out" || fail "registrations answered with errors"
sleep 2  # requests still queued when wrk stopped finish first
sqlite3 "$work/bench.db" "select 'registrations', status, count(*) from registration group by status;
  select 'outbox', kind, count(*) from outbox_message group by kind;
  select 'leads', count(*) from lead"
confirmed=$(sqlite3 "$work/bench.db" "select count(*) from registration r join event e on e.id = r.event_id where e.slug = 'bench-stop' and r.status = 'confirmed'")
[ "$confirmed" -le 5000 ] || fail "$confirmed guests confirmed for 5,000 seats"
fi

if wants api; then
  stop api-stop 1000
  SLUG=api-stop wrk -t1 -c4 -d1s -s scripts/register.lua "http://127.0.0.1:$PORT" >/dev/null
  event=$(sqlite3 "$work/bench.db" "select id from event where slug = 'api-stop'")
  guests=$(sqlite3 "$work/bench.db" "select count(*) from registration where event_id = $event")
  [ "$guests" -ge 100 ] || fail "only $guests guests registered for the API's stop"
  token=$(curl -fs -b "$jar" "$api/api-tokens/create" -d 'form[name]=bench' -d 'form[scope]=read' | tr -d '"')
  list="http://127.0.0.1:$PORT/api/v1/events/$event/registrations"
  items=$(curl -fs -H "Authorization: Bearer $token" "$list" | grep -o '"email"' | wc -l)
  echo "api: a page of $items registrations ($guests guests), $(curl -fs -o /dev/null -w '%{size_download}' -H "Authorization: Bearer $token" "$list") bytes"
  [ "$items" = 100 ] || fail "the API's page held $items registrations, not 100"
  load -t2 -c"$CONNECTIONS" -d"${WARMUP:-5s}" -H "Authorization: Bearer $token" "$list" >/dev/null
  echo "api: the same page asked again (answered from the page kept while nothing changes)"
  load -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" "$list"
  echo "api: a page no request asked before (read and serialized each time)"
  load -t2 -c"$CONNECTIONS" -d"$DURATION" --latency -H "Authorization: Bearer $token" -s scripts/api_cold.lua "$list"
fi
kill $server 2>/dev/null || true
fi

if wants cluster; then
  # Three web nodes, one worker and nginx on a new PostgreSQL database (scripts/cluster.sh).
  cluster_dir=$(mktemp -d)
  cluster() {
    CLUSTER_DIR="$cluster_dir" SERVER_BIN="$SERVER_BIN" CLUSTER_PORT=${CLUSTER_PORT:-3180} \
      NODE_PORTS="3181 3182 3183" ROADSHOW_REGISTRATIONS_PER_MINUTE=100000000 RUST_LOG=warn \
      ROADSHOW_DEMO_DATA=off ROADSHOW_ADMIN_EMAIL=bench@example.com ROADSHOW_ADMIN_PASSWORD=bench-password-123 \
      ROADSHOW_MAIL_DIR="$cluster_dir/mail" ./scripts/cluster.sh "$@"
  }
  trap 'cluster down >/dev/null 2>&1 || true; rm -rf "$cluster_dir"' EXIT
  cluster up
  api="http://127.0.0.1:${CLUSTER_PORT:-3180}/api"
  jar="$cluster_dir/cookies"
  curl -fs -c "$jar" -o /dev/null "$api/auth/login" -d 'form[email]=bench@example.com' -d 'form[password]=bench-password-123'
  stop cluster-stop 5000
  out=$(SLUG=cluster-stop wrk -t2 -c"$CONNECTIONS" -d"${REGISTRATION_DURATION:-20s}" --latency -s scripts/register.lua "http://127.0.0.1:${CLUSTER_PORT:-3180}")
  echo "$out"
  grep -q "non-2xx/3xx 0$" <<<"$out" || fail "registrations through nginx answered with errors"
  sleep 2
  pg="postgres://postgres@127.0.0.1:5432/roadshow_cluster"
  psql "$pg" -Atc "select 'registrations', status, count(*) from registration group by status"
  # Whether the worker kept up: the confirmations still waiting 2 s after the run.
  psql "$pg" -Atc "select 'outbox', status, count(*) from outbox_message group by status order by status"
  confirmed=$(psql "$pg" -Atc "select count(*) from registration r join event e on e.id = r.event_id where e.slug = 'cluster-stop' and r.status = 'confirmed'")
  [ "$confirmed" -le 5000 ] || fail "$confirmed guests confirmed for 5,000 seats over three nodes"
  cluster down >/dev/null
fi

if wants worker; then
  n=${WORKER_BENCH_MESSAGES:-5000}
  wdir=$(mktemp -d)
  db="$wdir/outbox.db"
  DATABASE_URL="sqlite://$db?mode=rwc" ROADSHOW_DEMO_DATA=off "$SERVER_BIN" migrate >/dev/null
  now=$(date -u +%Y-%m-%dT%H:%M:%S+00:00)
  ics='BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:-//Roadshow//EN\r\nMETHOD:REQUEST\r\nBEGIN:VEVENT\r\nUID:bench@roadshow.example\r\nSEQUENCE:0\r\nDTSTAMP:20261202T010000Z\r\nDTSTART:20270110T090000Z\r\nDTEND:20270110T120000Z\r\nSUMMARY:岳阳（法兰克福）先进装备制造产业链招商推介会\r\nLOCATION:Frankfurt Marriott Hotel, Hamburger Allee 2, Frankfurt\r\nORGANIZER;CN=Hunan Investment Promotion Bureau:mailto:events@roadshow.example\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n'
  sqlite3 "$db" "WITH RECURSIVE n(i) AS (SELECT 1 UNION ALL SELECT i + 1 FROM n WHERE i < $n)
    INSERT INTO outbox_message (kind, to_address, to_name, subject, text_body, html_body, calendar, calendar_method,
      message_id, status, attempts, next_attempt_at, created_at, updated_at, marketing)
    SELECT 'confirmation', 'guest' || i || '@example.com', 'Guest ' || i, '报名成功：岳阳（法兰克福）先进装备制造产业链招商推介会',
      replace(hex(zeroblob(40)), '00', '您的席位已确认。' || char(10)),
      '<p>' || replace(hex(zeroblob(80)), '00', 'Your seat is confirmed. ') || '</p>',
      replace('$ics', '\r\n', char(13, 10)), 'REQUEST', '<' || i || '.bench@roadshow.example>', 'queued', 0, '$now', '$now', '$now', 0
    FROM n"
  port=${WORKER_BENCH_PORT:-2625}
  .tools/smtp-venv/bin/python scripts/smtp_sink.py --port "$port" --dir "$wdir/received" > "$wdir/sink.out" &
  sink=$!
  until grep -q READY "$wdir/sink.out" 2>/dev/null; do sleep 0.1; done
  start=$(date +%s.%N)
  SMTP_URL="smtp://127.0.0.1:$port" DATABASE_URL="sqlite://$db?mode=rwc" ROADSHOW_DEMO_DATA=off RUST_LOG=warn \
    "$SERVER_BIN" worker > "$wdir/worker.log" 2>&1 &
  worker=$!
  deadline=$(( $(date +%s) + 300 ))
  while [ "$(sqlite3 "$db" "select count(*) from outbox_message where status <> 'queued' and status <> 'sending'")" -lt "$n" ]; do
    [ "$(date +%s)" -lt "$deadline" ] || { kill $worker $sink; fail "the worker did not finish $n messages in 300 s"; }
    sleep 0.05
  done
  end=$(date +%s.%N)
  kill -TERM $worker; wait $worker || true
  kill $sink; wait $sink 2>/dev/null || true
  sent=$(sqlite3 "$db" "select count(*) from outbox_message where status = 'sent'")
  files=$(find "$wdir/received" -name '*.eml' | wc -l)
  recipients=$(grep -h '^To: ' "$wdir"/received/*.eml | sort -u | wc -l)
  echo "worker: $n messages in $(printf '%.2f' "$(echo "$end - $start" | bc)") s = $(echo "$n / ($end - $start)" | bc) messages/s (server worker, default settings); sent $sent, received $files, distinct recipients $recipients"
  [ "$sent" = "$n" ] && [ "$files" = "$n" ] && [ "$recipients" = "$n" ] || fail "not every recipient got exactly one message"
  rm -rf "$wdir"
fi

if wants mail; then cargo bench -p server --bench mail; fi
if wants leads; then cargo bench -p server --bench leads; fi
if wants campaign; then cargo bench -p server --bench campaign; fi
if wants dashboard; then
  cargo bench -p server --bench dashboard
  pg=${DASHBOARD_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
  db="dashboard_bench_$$"
  if psql "$pg" -qc "CREATE DATABASE $db" 2>/dev/null; then
    DASHBOARD_BENCH_URL="${pg%/*}/$db" cargo bench -p server --bench dashboard || true
    psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)" || true
  else
    echo "dashboard on PostgreSQL: skipped ($pg not reachable with psql)"
  fi
fi
# A cargo bench on SQLite, then on a fresh PostgreSQL database named by its `<NAME>_BENCH_URL`.
on_both_databases() {
  local bench=$1 variable=$2
  cargo bench -p server --bench "$bench"
  local pg=${DASHBOARD_BENCH_PG:-postgres://postgres@127.0.0.1:5432/test}
  local db="${bench}_bench_$$"
  if psql "$pg" -qc "CREATE DATABASE $db" 2>/dev/null; then
    env "$variable=${pg%/*}/$db" cargo bench -p server --bench "$bench" || true
    psql "$pg" -qc "DROP DATABASE $db WITH (FORCE)" || true
  else
    echo "$bench on PostgreSQL: skipped ($pg not reachable with psql)"
  fi
}
if wants schedule; then
  on_both_databases schedule SCHEDULE_BENCH_URL
fi
if wants door; then
  on_both_databases door DOOR_BENCH_URL
fi

wasm=$(ls target/site/pkg/*.wasm 2>/dev/null | head -1) || exit 0
[ -n "$wasm" ] || exit 0
printf 'WASM: %s bytes raw, %s gzip -9, %s brotli\n' "$(stat -c %s "$wasm")" "$(gzip -9c "$wasm" | wc -c)" \
  "$( [ -f "$wasm.br" ] && stat -c %s "$wasm.br" || echo n/a)"
