#!/usr/bin/env bash
# Quick start: build and run the whole shop in one process against a local PostgreSQL
# (started by deploy/local-postgres.sh when DATABASE_URL is not set). Extra arguments go to
# bot-auto-order, e.g. `deploy/run.sh jobs stats`.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
DATABASE_URL="$(deploy/local-postgres.sh)"
export DATABASE_URL
export SQLX_OFFLINE=true
cargo build --release --locked
exec target/release/bot-auto-order "${@:-run}"
