#!/usr/bin/env bash
# Lighthouse (mobile: a slow 4G phone, as Lighthouse emulates it) on the guest's pages of a
# release build in Debian's Chromium: the home page, an upcoming stop's page, the private
# registration page (after registering), the roadshow page and a meeting host's own page. Prints each page's scores and
# fails below 95 performance (MIN_PERFORMANCE) or 100 accessibility, best practices and SEO.
#   ./scripts/lighthouse.sh            # builds the release first (cargo leptos build --release --split)
#   SKIP_BUILD=1 ./scripts/lighthouse.sh
#   SERVER_BIN=target/debug/server SKIP_BUILD=1 ./scripts/lighthouse.sh   # `make benches`: the debug build
set -euo pipefail
cd "$(dirname "$0")/.."
export PATH="$PWD/end2end/node_modules/.bin:$HOME/.cargo/bin:$PATH"
PORT=${PORT:-3200}
LIGHTHOUSE_VERSION=12.8.2
lighthouse=.tools/lighthouse/node_modules/.bin/lighthouse
if ! "$lighthouse" --version 2>/dev/null | grep -qx "$LIGHTHOUSE_VERSION"; then
  npm install --prefix .tools/lighthouse --no-audit --no-fund --silent "lighthouse@$LIGHTHOUSE_VERSION"
fi
[ -n "${SKIP_BUILD:-}" ] || cargo leptos build --release --precompress --split >/dev/null

work=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$work"' EXIT
LEPTOS_SITE_ADDR=127.0.0.1:$PORT LEPTOS_SITE_ROOT=target/site LEPTOS_OUTPUT_NAME=roadshow \
LEPTOS_HASH_FILES=true RUST_LOG=warn DATABASE_URL="sqlite://$work/lighthouse.db?mode=rwc" \
ROADSHOW_DEMO_DATA=1 ROADSHOW_MAIL_DIR="$work/mail" \
ROADSHOW_ADMIN_EMAIL=lighthouse@example.com ROADSHOW_ADMIN_PASSWORD=lighthouse-password-1 "${SERVER_BIN:-target/release/server}" >"$work/server.log" 2>&1 &
server=$!
base="http://127.0.0.1:$PORT"
for _ in $(seq 1 150); do curl -fs "$base/healthz" >/dev/null && break; sleep 0.2; done

# An upcoming stop of the demo, its roadshow, and a guest's private page (a plain form post).
stop=$(curl -fs "$base/" | grep -o 'href="/e/[^"]*"' | head -1 | cut -d'"' -f2)
roadshow=$(curl -fs "$base$stop" | grep -o 'href="/roadshow/[0-9]*"' | head -1 | cut -d'"' -f2)
slug=${stop#/e/}
private=$(curl -fs -o /dev/null -w '%{redirect_url}' -H "Referer: $base$stop" -H 'Accept: text/html' \
  --data-urlencode "slug=$slug" --data-urlencode 'form[name]=Amara Okafor' \
  --data-urlencode 'form[email]=amara.okafor@example.com' --data-urlencode 'form[consent_data]=on' \
  "$base/api/registrations/register")
private=${private#"$base"}
# A host's own page: the organizer opens meetings at a stop and adds a host (the link is on
# the programme's page, in its JSON here).
post() { curl -fs -b "$work/jar" -c "$work/jar" -H "Origin: $base" "$base/api/$1" "${@:2}"; }
post auth/login --data-urlencode 'form[email]=lighthouse@example.com' \
  --data-urlencode 'form[password]=lighthouse-password-1' -o /dev/null
event=$(curl -fs -b "$work/jar" "$base/admin" | grep -o 'href="/admin/events/[0-9]*"' | head -1 | grep -o '[0-9]*')
post meetings/settings -d "event_id=$event" -d 'form[enabled]=on' -d 'form[first_slot_at]=2031-05-08T14:00' \
  -d 'form[slot_minutes]=20' -d 'form[slot_count]=12' -d 'form[request_hours]=48' -d 'form[max_open_requests]=10' \
  -d 'form[reminder_minutes]=15' -o /dev/null
post meetings/host -d "event_id=$event" --data-urlencode 'form[name]=Li Ming' \
  --data-urlencode 'form[organization]=Miluo Circular Economy Industrial Park' -o /dev/null
host_page=$(post meetings/programme -d "event_id=$event" | grep -o '/h/[0-9]*-[0-9a-f]*' | head -1)
[ -n "$stop" ] && [ -n "$roadshow" ] && [[ "$private" == /r/* ]] && [[ "$host_page" == /h/* ]] ||
  { echo "could not find the pages: '$stop' '$roadshow' '$private' '$host_page'"; exit 1; }

# The release must score at least 95 for performance. `make benches` runs it against the
# debug server with MIN_PERFORMANCE=80: there it checks that the audit runs and the three
# categories that do not move with the machine (100 each); performance, which moved between
# 92 and 98 from run to run on a busy machine, is the release run's to measure.
min_performance=${MIN_PERFORMANCE:-95}
# One audit: Lighthouse itself sometimes fails to record a trace (NO_NAVSTART, NO_FCP) on a
# loaded machine; such a run (no report, not a low score) is tried again, twice at most.
audit() {
  local attempt
  for attempt in 1 2 3; do
    rm -f "$work/report.json"
    CHROME_PATH=/usr/bin/chromium "$lighthouse" "$1" --quiet --output=json --output-path="$work/report.json" \
      --only-categories=performance,accessibility,best-practices,seo --form-factor=mobile \
      --chrome-flags="--headless=new --no-sandbox --disable-gpu --disable-background-networking --disable-component-update --disable-sync --no-first-run" \
      && return 0
    echo "lighthouse run $attempt on $1 failed to record; trying again" >&2
  done
  return 1
}

failed=0
for path in / "$stop" "$private" "$roadshow" "$host_page"; do
  audit "$base$path" || { echo "$path: lighthouse failed"; failed=1; continue; }
  node -e '
    const r = require(process.argv[1]);
    const c = r.categories, s = (k) => Math.round(c[k].score * 100);
    const lcp = r.audits["largest-contentful-paint"].displayValue, tbt = r.audits["total-blocking-time"].displayValue;
    const label = process.argv[2].replace(/^\/([rh])\/.*/, "/$1/<token>");
    console.log(`${label}: performance ${s("performance")}, accessibility ${s("accessibility")}, best practices ${s("best-practices")}, SEO ${s("seo")} (LCP ${lcp}, TBT ${tbt})`);
    const low = s("performance") < Number(process.argv[3]) || ["accessibility", "best-practices", "seo"].some((k) => s(k) < 100);
    if (low) {
      for (const [id, a] of Object.entries(r.audits))
        if (a.score !== null && a.score < 1 && a.scoreDisplayMode !== "informative" && a.scoreDisplayMode !== "notApplicable")
          console.log(`    ${id}: ${a.title} (${a.displayValue ?? a.score})`);
      process.exit(1);
    }' "$work/report.json" "$path" "$min_performance" || failed=1
done
exit $failed
