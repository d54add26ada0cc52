#!/usr/bin/env bash
# Start a throwaway local PostgreSQL server for the store tests and print its SQLAlchemy URL.
# Usage: export SCRUTINY_TEST_PG_URL=$(.ci/postgres.sh)   (installs Debian's postgresql if absent)
set -euo pipefail
PORT=$(python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])')
if ! ls /usr/lib/postgresql/*/bin/initdb >/dev/null 2>&1; then
  { apt-get update -qq && DEBIAN_FRONTEND=noninteractive apt-get install -y -qq postgresql; } >&2
fi
BIN=$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -n 1)
DATA=$(mktemp -d /tmp/scrutiny-pg.XXXXXX)
chown postgres "$DATA"
su postgres -c "$BIN/initdb -D $DATA -A trust -U postgres" >&2
su postgres -c "$BIN/pg_ctl -D $DATA -l $DATA/server.log -w -o '-p $PORT -k /tmp -c listen_addresses=127.0.0.1' start" >&2
echo "postgresql+psycopg://postgres@127.0.0.1:$PORT/postgres"
