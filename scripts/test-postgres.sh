#!/usr/bin/env bash
# Runs a command with a throwaway PostgreSQL server: initdb in a temporary directory, a server on a free 127.0.0.1 port,
# CLEARANCE_TEST_POSTGRES set to its connection string; the server is stopped and its directory removed on exit, also
# when the command fails. Usage: scripts/test-postgres.sh COMMAND [ARG...]
# Installs PostgreSQL with apt-get when no initdb is found. The server refuses to run as root: as root it runs as the
# `postgres` OS user (created by the Debian package).
set -euo pipefail

find_bin() {
  local dir
  if command -v initdb >/dev/null 2>&1 && command -v pg_ctl >/dev/null 2>&1; then
    dirname "$(readlink -f "$(command -v initdb)")"
    return 0
  fi
  # Debian keeps the server binaries off PATH, one folder per major version: take the newest.
  for dir in $(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -t/ -k4 -n -r); do
    if [ -x "$dir/initdb" ] && [ -x "$dir/pg_ctl" ]; then echo "$dir"; return 0; fi
  done
  return 1
}

if ! PG_BIN=$(find_bin); then
  "$(dirname "$0")/apt-install.sh" test-postgres postgresql
  PG_BIN=$(find_bin) || { echo "test-postgres: PostgreSQL installed but initdb not found" >&2; exit 1; }
fi

as_server_user=()
if [ "$(id -u)" = 0 ]; then
  id postgres >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --shell /usr/sbin/nologin postgres
  as_server_user=(runuser -u postgres --)
fi

PG_DIR=$(mktemp -d "${TMPDIR:-/tmp}/clearance-pg.XXXXXX")
chmod 755 "$PG_DIR"
[ ${#as_server_user[@]} -gt 0 ] && chown postgres "$PG_DIR"

stop_server() {
  if [ -f "$PG_DIR/data/postmaster.pid" ]; then
    "${as_server_user[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -m immediate -w stop >/dev/null 2>&1 || true
  fi
  rm -rf "$PG_DIR"
}
trap stop_server EXIT
trap 'exit 130' INT TERM

"${as_server_user[@]}" "$PG_BIN/initdb" -D "$PG_DIR/data" -U postgres --auth=trust --encoding=UTF8 --no-sync >"$PG_DIR/initdb.log" 2>&1 \
  || { cat "$PG_DIR/initdb.log" >&2; exit 1; }

# Durability is pointless for a throwaway server: fsync off makes the import tests faster. Benchmarks set
# CLEARANCE_TEST_POSTGRES_DURABLE=1 to keep PostgreSQL's defaults (fsync, synchronous commit).
durability="-c fsync=off -c synchronous_commit=off -c full_page_writes=off"
# Every test project runs at once against this one server, each test in a schema with a connection pool of its own
# (and the two-server tests with two): the default of 100 connections is too few for the whole suite.
connections="-c max_connections=500"
[ "${CLEARANCE_TEST_POSTGRES_DURABLE:-}" = 1 ] && durability=""

# A free port: probe a few random ones (nothing answering on /dev/tcp), and retry the start if another process wins the race.
started=""
for _ in 1 2 3 4 5 6 7 8; do
  port=$((20000 + RANDOM % 40000))
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then continue; fi
  if "${as_server_user[@]}" "$PG_BIN/pg_ctl" -D "$PG_DIR/data" -l "$PG_DIR/server.log" -w -t 30 \
      -o "-p $port -c listen_addresses=127.0.0.1 -k $PG_DIR $durability $connections" start >/dev/null; then
    started=1
    break
  fi
done
if [ -z "$started" ]; then
  echo "test-postgres: the server did not start; its log:" >&2
  cat "$PG_DIR/server.log" >&2 || true
  exit 1
fi

# The test database sorts text by an ICU locale where one is available (PostgreSQL 15+ built with ICU), not by bytes, so
# that the tests notice any ORDER BY that depends on the database's collation (the store's keys use COLLATE "C").
database=postgres
if "$PG_BIN/psql" -h 127.0.0.1 -p "$port" -U postgres -d postgres -q -v ON_ERROR_STOP=1 >/dev/null 2>&1 \
    -c "CREATE DATABASE clearance_test TEMPLATE template0 ENCODING 'UTF8' LOCALE_PROVIDER icu ICU_LOCALE 'en-US' LOCALE 'C.UTF-8'"; then
  database=clearance_test
fi

# Every test project runs at once against this one server on a shared machine: a statement that takes 40 ms alone has
# been seen to pass Npgsql's default command timeout of 30 s under that load (a list import's shrink check), so the
# tests allow 300 s; the product keeps the default, or what the user's connection string says.
export CLEARANCE_TEST_POSTGRES="Host=127.0.0.1;Port=$port;Username=postgres;Database=$database;Command Timeout=300"
echo "test-postgres: PostgreSQL $("$PG_BIN/postgres" --version | awk '{print $3}') on 127.0.0.1:$port, database $database (CLEARANCE_TEST_POSTGRES)" >&2
status=0
"$@" || status=$?
if [ "$status" -ne 0 ]; then
  # What the server saw (refused connections, deadlocks, timeouts) is gone with its folder: keep its complaints.
  echo "test-postgres: the command failed (exit $status); the server's errors:" >&2
  grep -E "FATAL|ERROR|PANIC" "$PG_DIR/server.log" | tail -40 >&2 || true
fi
exit "$status"
