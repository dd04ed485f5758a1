#!/usr/bin/env bash
# Roadshow as a deployment of several nodes, on this machine: three web nodes
# (`server serve --no-workers`), the mail and scheduler workers (`server worker`) and nginx
# in front with the very site of deploy/nginx/roadshow.conf (listening elsewhere), all on one
# PostgreSQL database.
#
#   scripts/cluster.sh up                 starts everything, waits until every node is ready
#   scripts/cluster.sh restart            rolling restart of the web nodes, one at a time:
#                                         taken out of nginx, stopped (SIGTERM: requests in
#                                         flight finish), started, ready, put back
#   scripts/cluster.sh kill worker|node N SIGKILL to worker N or web node N (1-based)
#   scripts/cluster.sh start worker|node N starts it again
#   scripts/cluster.sh down               stops everything
#
# Settings (environment): CLUSTER_DIR (.cluster: logs, pids, nginx's files), DATABASE_URL
# (default: a new database roadshow_cluster on 127.0.0.1:5432), CLUSTER_PORT (8080, where
# nginx listens), NODE_PORTS ("3101 3102 3103"), WORKERS (1), SERVER_BIN
# (target/debug/server), NGINX (nginx or /usr/sbin/nginx); any of the server's own settings
# (SMTP_URL, ROADSHOW_REGISTRATIONS_PER_MINUTE, ...) reach every process.
set -euo pipefail
root="$(cd "$(dirname "$0")/.." && pwd)"

dir="$(mkdir -p "${CLUSTER_DIR:-$root/.cluster}" && cd "${CLUSTER_DIR:-$root/.cluster}" && pwd)"
port="${CLUSTER_PORT:-8080}"
read -r -a node_ports <<< "${NODE_PORTS:-3101 3102 3103}"
workers="${WORKERS:-1}"
server="${SERVER_BIN:-$root/target/debug/server}"
nginx="${NGINX:-$(command -v nginx || echo /usr/sbin/nginx)}"

say() { printf '==> %s\n' "$*" >&2; }

# The database, chosen once per cluster folder (so `restart` and `down` find it).
if [ -f "$dir/database_url" ]; then
  DATABASE_URL="$(cat "$dir/database_url")"
elif [ -z "${DATABASE_URL:-}" ]; then
  psql -h 127.0.0.1 -U postgres -d test -qc 'DROP DATABASE IF EXISTS roadshow_cluster' >/dev/null
  psql -h 127.0.0.1 -U postgres -d test -qc 'CREATE DATABASE roadshow_cluster' >/dev/null
  DATABASE_URL="postgres://postgres@127.0.0.1:5432/roadshow_cluster"
fi
export DATABASE_URL
export ROADSHOW_PUBLIC_URL="${ROADSHOW_PUBLIC_URL:-http://127.0.0.1:$port}"
# The nodes believe nginx's X-Forwarded-For: the rate limits count the client, not nginx.
export ROADSHOW_TRUSTED_PROXIES="${ROADSHOW_TRUSTED_PROXIES:-127.0.0.1}"

pid_of() { cat "$dir/$1.pid" 2>/dev/null || true; }
alive() { local pid; pid="$(pid_of "$1")"; [ -n "$pid" ] && kill -0 "$pid" 2>/dev/null; }

# Waits (up to 60 s) until the node on port $1 says it is ready.
wait_ready() {
  for _ in $(seq 600); do
    curl -sf -o /dev/null "http://127.0.0.1:$1/readyz" && return 0
    sleep 0.1
  done
  say "node on port $1 not ready after 60 s; its log:"
  tail -20 "$dir/node-$1.log" >&2
  return 1
}

start_node() {
  local p="${node_ports[$(($1 - 1))]}"
  "$server" serve --addr "127.0.0.1:$p" --no-workers >> "$dir/node-$p.log" 2>&1 &
  echo $! > "$dir/node-$p.pid"
  wait_ready "$p"
}

start_worker() {
  "$server" worker >> "$dir/worker-$1.log" 2>&1 &
  echo $! > "$dir/worker-$1.pid"
}

# Sends SIGTERM to $1's process and waits (up to 30 s) for it to finish what it holds.
stop() {
  local pid; pid="$(pid_of "$1")"
  [ -n "$pid" ] || return 0
  kill -TERM "$pid" 2>/dev/null || true
  for _ in $(seq 300); do kill -0 "$pid" 2>/dev/null || break; sleep 0.1; done
  kill -KILL "$pid" 2>/dev/null || true
  rm -f "$dir/$1.pid"
}

# nginx's site: deploy/nginx/roadshow.conf with this cluster's ports, the nodes named in
# $@ marked down (taken out of the rotation).
write_site() {
  local site; site="$(sed -e "s/listen 80;/listen 127.0.0.1:$port;/" -e '/listen \[::\]:80;/d' "$root/deploy/nginx/roadshow.conf")"
  local i=0
  for default in 3001 3002 3003; do
    site="$(sed "s/127.0.0.1:$default /127.0.0.1:${node_ports[$i]} /" <<< "$site")"
    i=$((i + 1))
  done
  for down in "$@"; do
    site="$(sed -E "s/(server 127.0.0.1:$down [^;]*);/\1 down;/" <<< "$site")"
  done
  printf '%s\n' "$site" > "$dir/roadshow.conf"
}

write_nginx_conf() {
  mkdir -p "$dir/nginx-tmp"
  local user=""
  [ "$(id -u)" = 0 ] && user="user root;"
  cat > "$dir/nginx.conf" <<EOF
$user
worker_processes auto;
pid $dir/nginx.pid;
error_log $dir/nginx-error.log;
events { worker_connections 4096; }
http {
    access_log off;
    client_body_temp_path $dir/nginx-tmp/body;
    proxy_temp_path $dir/nginx-tmp/proxy;
    fastcgi_temp_path $dir/nginx-tmp/fastcgi;
    uwsgi_temp_path $dir/nginx-tmp/uwsgi;
    scgi_temp_path $dir/nginx-tmp/scgi;
    include $dir/roadshow.conf;
}
EOF
}

reload_nginx() {
  "$nginx" -c "$dir/nginx.conf" -s reload
  # The reload is done once the old workers (which finish their requests) are gone.
  sleep 0.5
}

up() {
  [ -x "$server" ] || { say "$server missing: build it (cargo build -p server) or set SERVER_BIN"; exit 1; }
  echo "$DATABASE_URL" > "$dir/database_url"
  say "migrating $DATABASE_URL"
  "$server" migrate >> "$dir/migrate.log" 2>&1
  for n in $(seq "${#node_ports[@]}"); do start_node "$n"; done
  for n in $(seq "$workers"); do start_worker "$n"; done
  write_site
  write_nginx_conf
  "$nginx" -c "$dir/nginx.conf"
  for _ in $(seq 100); do curl -sf -o /dev/null "http://127.0.0.1:$port/readyz" && break; sleep 0.1; done
  say "Roadshow on http://127.0.0.1:$port (nodes ${node_ports[*]}, $workers worker(s)); logs in $dir"
}

restart() {
  for n in $(seq "${#node_ports[@]}"); do
    local p="${node_ports[$(($n - 1))]}"
    say "restarting node $n (port $p)"
    write_site "$p"
    reload_nginx
    stop "node-$p"
    start_node "$n"
    write_site
    reload_nginx
  done
}

down() {
  [ -f "$dir/nginx.pid" ] && "$nginx" -c "$dir/nginx.conf" -s quit 2>/dev/null || true
  for p in "${node_ports[@]}"; do stop "node-$p"; done
  for n in $(seq "$workers"); do stop "worker-$n"; done
  rm -f "$dir/database_url"
}

case "${1:-}" in
  up) up ;;
  restart) restart ;;
  down) down ;;
  kill)
    case "$2" in
      worker) name="worker-$3" ;;
      node) name="node-${node_ports[$(($3 - 1))]}" ;;
    esac
    kill -KILL "$(pid_of "$name")"
    rm -f "$dir/$name.pid"
    ;;
  start)
    case "$2" in
      worker) start_worker "$3" ;;
      node) start_node "$3" ;;
    esac
    ;;
  *) sed -n '2,20p' "$0" | sed 's/^# \{0,1\}//'; exit 2 ;;
esac
