#!/usr/bin/env bash
# A private PostgreSQL for the benchmarks, with default settings plus pg_stat_statements, so a
# bench can print statements and transactions per update and per purchase. Prints the admin
# URL to give the benches as BENCH_DATABASE_URL:
#
#   export BENCH_DATABASE_URL="$(deploy/bench-postgres.sh)"
#   cargo bench --bench updates
#
# The cluster lives in .pgdata-bench/ (or LOCAL_PG_DATA) on port 5433 (or BENCH_PG_PORT); stop
# it with `pg_ctl -D .pgdata-bench stop` (as the postgres user when you are root).
set -euo pipefail
root="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
env -u DATABASE_URL \
  LOCAL_PG_PORT="${BENCH_PG_PORT:-5433}" \
  LOCAL_PG_DB=postgres \
  LOCAL_PG_DATA="${LOCAL_PG_DATA:-$root/.pgdata-bench}" \
  LOCAL_PG_OPTIONS="-c shared_preload_libraries=pg_stat_statements -c pg_stat_statements.track=all" \
  "$root/deploy/local-postgres.sh"
