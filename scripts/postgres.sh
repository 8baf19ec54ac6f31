#!/usr/bin/env bash
# A throwaway PostgreSQL server for tests, CI and benchmarks (never for production data).
#   scripts/postgres.sh start DIR [--durable]   start one in DIR; prints its postgresql:// URL
#   scripts/postgres.sh stop DIR                stop it and delete DIR
# Uses the newest /usr/lib/postgresql/*/bin; installs Debian's `postgresql` package when there is
# none (root only). As root the server runs as the `postgres` user (initdb refuses root).
# Without --durable it runs with fsync off: tests check Pacer's logic, not the disk.
set -euo pipefail
command="${1:?usage: postgres.sh start|stop DIR [--durable]}"
dir="${2:?usage: postgres.sh start|stop DIR [--durable]}"
durable="${3:-}"

find_bin() { ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1; }
as_owner() {
  if [ "$(id -u)" = 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

case "$command" in
start)
  bin="$(find_bin)"
  if [ -z "$bin" ]; then
    if [ "$(id -u)" != 0 ]; then
      echo "No PostgreSQL found in /usr/lib/postgresql and not root to install it:" >&2
      echo "  apt-get install postgresql   (or unset PACER_TEST_DATABASE_URL to test SQLite only)" >&2
      exit 1
    fi
    echo "Installing PostgreSQL (Debian's postgresql package) ..." >&2
    apt-get update -qq >&2
    # policy-rc.d 101: the package must not start its own cluster; we start ours below.
    printf '#!/bin/sh\nexit 101\n' > /usr/sbin/policy-rc.d && chmod +x /usr/sbin/policy-rc.d
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends \
      postgresql >/dev/null
    rm -f /usr/sbin/policy-rc.d
    bin="$(find_bin)"
  fi
  if [ "$(id -u)" = 0 ] && ! id postgres >/dev/null 2>&1; then
    useradd --system --no-create-home postgres
  fi
  mkdir -p "$dir"
  [ "$(id -u)" = 0 ] && chown postgres "$dir"
  as_owner "$bin/initdb" -D "$dir/data" -U postgres --auth=trust --no-sync -E UTF8 \
    --locale=C.UTF-8 >/dev/null
  port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')"
  options="-c listen_addresses=127.0.0.1 -c port=$port -c unix_socket_directories=$dir"
  options="$options -c max_connections=300 -c shared_buffers=64MB"
  if [ "$durable" != "--durable" ]; then
    options="$options -c fsync=off -c synchronous_commit=off -c full_page_writes=off"
  fi
  as_owner "$bin/pg_ctl" -D "$dir/data" -l "$dir/server.log" -o "$options" -w -t 60 start >/dev/null
  echo "postgresql://postgres@127.0.0.1:$port/postgres"
  ;;
stop)
  bin="$(find_bin)"
  if [ -n "$bin" ] && [ -d "$dir/data" ]; then
    as_owner "$bin/pg_ctl" -D "$dir/data" -m fast -w stop >/dev/null || true
  fi
  rm -rf "$dir"
  ;;
*)
  echo "usage: postgres.sh start|stop DIR [--durable]" >&2
  exit 2
  ;;
esac
