#!/usr/bin/env bash
# Installs the PostgreSQL server binaries from Debian's/Ubuntu's `postgresql` package, as root,
# without the package's own cluster (deploy/local-postgres.sh and the tests start their own).
set -euo pipefail
if [ "$(id -u)" -ne 0 ] || ! command -v apt-get >/dev/null; then
  echo "install-postgres: needs root and apt-get; install the PostgreSQL server binaries yourself (e.g. sudo apt-get install postgresql)" >&2
  exit 1
fi
mkdir -p /etc/postgresql-common/createcluster.d
echo "create_main_cluster = false" > /etc/postgresql-common/createcluster.d/bao-no-main.conf
export DEBIAN_FRONTEND=noninteractive
apt-get update -qq >&2
apt-get install -y -qq postgresql >&2
