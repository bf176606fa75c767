#!/usr/bin/env bash
# Regenerates .sqlx/, the offline data that lets sqlx's compile-time checked queries build
# without a database. Run it after adding or changing a query or a migration, and commit
# .sqlx/ with the change. Needs a PostgreSQL (deploy/local-postgres.sh finds or starts one),
# psql and python3.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
admin="$(env -u DATABASE_URL LOCAL_PG_DB=postgres deploy/local-postgres.sh)"
db="bao_sqlx_prepare"
url="${admin%/*}/$db"
psql "$admin" -qc "DROP DATABASE IF EXISTS $db WITH (FORCE)" -c "CREATE DATABASE $db"
# The schema the queries are checked against: apalis-postgres's migrations, then ours, applied
# with psql (the binary itself may not build until the new queries are checked).
apalis_dir=$(cargo metadata --format-version 1 --locked | python3 -c '
import json, sys
packages = json.load(sys.stdin)["packages"]
print([p["manifest_path"] for p in packages if p["name"] == "apalis-postgres"][0].rsplit("/", 1)[0])')
for file in "$apalis_dir"/migrations/*.sql migrations/*.sql; do
  psql "$url" -q -v ON_ERROR_STOP=1 -f "$file" >/dev/null
done
psql "$url" -qc "CREATE TABLE _sqlx_migrations (version BIGINT PRIMARY KEY, description TEXT NOT NULL,
  installed_on TIMESTAMPTZ NOT NULL DEFAULT now(), success BOOLEAN NOT NULL, checksum BYTEA NOT NULL,
  execution_time BIGINT NOT NULL)"
rm -rf .sqlx && mkdir .sqlx
touch jobs/src/lib.rs workers/src/lib.rs src/lib.rs
# apalis-postgres's own checked queries are written here too: rebuild it so a cached build
# does not leave them out.
cargo clean --release --locked -p apalis-postgres
DATABASE_URL="$url" SQLX_OFFLINE=false SQLX_OFFLINE_DIR="$PWD/.sqlx" \
  cargo check --release --locked --workspace --all-targets
psql "$admin" -qc "DROP DATABASE $db WITH (FORCE)"
echo "sqlx-prepare: .sqlx/ now holds $(ls .sqlx | wc -l) queries; commit it with your change"
