#!/usr/bin/env bash
# Prints a PostgreSQL URL for local use on stdout, starting a database when there is none.
#
#   1. DATABASE_URL is set             -> prints it unchanged.
#   2. something answers on 127.0.0.1:5432 -> uses it (database bot_auto_order, created if missing).
#   3. otherwise                       -> starts a private cluster from the machine's PostgreSQL
#      binaries (installing Debian's/Ubuntu's `postgresql` package if they are missing) with its
#      data under the project folder (.pgdata/), owned by an unprivileged user because
#      PostgreSQL refuses to run as root.
#
# Idempotent: run it as often as you like; a running private cluster is reused.
# Environment: LOCAL_PG_PORT (5432), LOCAL_PG_DB (bot_auto_order), LOCAL_PG_DATA (the private
# cluster's folder, .pgdata/), LOCAL_PG_OPTIONS (extra server options for a cluster it starts,
# e.g. `-c shared_preload_libraries=pg_stat_statements`).
set -euo pipefail

port="${LOCAL_PG_PORT:-5432}"
db="${LOCAL_PG_DB:-bot_auto_order}"
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
say() { echo "local-postgres: $*" >&2; }

if [ -n "${DATABASE_URL:-}" ]; then
  echo "$DATABASE_URL"
  exit 0
fi

answers() { (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; }

find_bin() {
  local dir
  dir=$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -n 1)
  [ -n "$dir" ] && [ -x "$dir/initdb" ] && echo "$dir"
}

as_owner() {
  if [ "$(id -u)" -eq 0 ]; then
    runuser -u postgres -- "$@"
  else
    "$@"
  fi
}

if ! answers; then
  bin=$(find_bin || true)
  if [ -z "$bin" ]; then
    if [ "$(id -u)" -ne 0 ]; then
      say "no PostgreSQL server binaries found; install them (e.g. sudo apt-get install postgresql) and run this again"
      exit 1
    fi
    say "installing PostgreSQL server binaries (apt-get install postgresql)"
    "$root/deploy/install-postgres.sh"
    bin=$(find_bin)
  fi
  data="${LOCAL_PG_DATA:-$root/.pgdata}"
  if [ "$(id -u)" -eq 0 ]; then
    id postgres >/dev/null 2>&1 || useradd --system --home-dir /var/lib/postgresql --shell /bin/sh postgres
    mkdir -p "$data"
    chown postgres "$data"
    if ! runuser -u postgres -- test -w "$data"; then
      data="/var/lib/bot-auto-order/pgdata-$(echo "$root" | md5sum | cut -c1-8)"
      say "project folder is not reachable by user postgres; keeping the cluster in $data"
      mkdir -p "$data"
      chown postgres "$data"
    fi
  fi
  if [ ! -f "$data/PG_VERSION" ]; then
    say "creating a private cluster in $data"
    as_owner "$bin/initdb" -D "$data" -U postgres --auth=trust -E UTF8 --locale=C.UTF-8 >&2
  fi
  mkdir -p "$data/run"
  [ "$(id -u)" -eq 0 ] && chown postgres "$data/run"
  if ! as_owner "$bin/pg_ctl" -D "$data" status >/dev/null 2>&1; then
    say "starting PostgreSQL on 127.0.0.1:$port"
    as_owner "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 \
      -o "-p $port -k $data/run -c listen_addresses=127.0.0.1 ${LOCAL_PG_OPTIONS:-}" start >&2
  fi
  for _ in $(seq 1 60); do answers && break; sleep 0.5; done
  answers || { say "PostgreSQL did not come up; see $data/server.log"; exit 1; }
fi

admin="postgres://postgres@127.0.0.1:$port/postgres"
if command -v psql >/dev/null 2>&1; then
  exists=$(psql "$admin" -tAc "SELECT 1 FROM pg_database WHERE datname = '$db'" 2>/dev/null || true)
  if [ "$exists" != "1" ]; then
    psql "$admin" -qc "CREATE DATABASE $db" >&2 || say "could not create database $db; create it yourself"
  fi
fi
echo "postgres://postgres@127.0.0.1:$port/$db"
