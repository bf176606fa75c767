#!/usr/bin/env bash
# The test command: formatting, lints, then every test against a real PostgreSQL (and, for
# the dashboard and the sandbox, headless Chromium; both installed here when missing). Test
# databases are created (and dropped) through TEST_DATABASE_URL, or through a local
# PostgreSQL started by deploy/local-postgres.sh. DATABASE_URL is ignored on purpose, so
# tests never touch the database you run the shop on.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/.."
if [ -z "${TEST_DATABASE_URL:-}" ]; then
  TEST_DATABASE_URL="$(env -u DATABASE_URL LOCAL_PG_DB=postgres deploy/local-postgres.sh)"
fi
export TEST_DATABASE_URL
# The PostgreSQL crash test starts (and kills) a server of its own from the machine's server
# binaries, even when the shared one above runs elsewhere; install them without a cluster.
if [ -z "${PG_BIN:-}" ] && ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    deploy/install-postgres.sh
  else
    echo "the PostgreSQL crash test needs the server binaries (apt-get install postgresql, or PG_BIN=<dir with initdb>)" >&2
    exit 1
  fi
fi
# The dashboard test drives headless Chromium through ChromeDriver (Debian's packages).
if ! command -v chromedriver >/dev/null || ! command -v chromium >/dev/null; then
  if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null; then
    apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq chromium chromium-driver >/dev/null
  else
    echo "the dashboard test needs chromium and chromium-driver (apt-get install chromium chromium-driver)" >&2
    exit 1
  fi
fi
export SQLX_OFFLINE=true
unset DATABASE_URL
cargo fmt --all -- --check
cargo clippy --release --locked --workspace --all-targets -- -D warnings
cargo test --release --locked --workspace
# The benchmarks are built too, so they cannot rot unseen (running them is by hand, see the
# README's Benchmarks).
cargo bench --locked --workspace --no-run
