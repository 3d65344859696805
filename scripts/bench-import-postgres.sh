#!/usr/bin/env bash
# Median wall time of `clearance lists import` of one full SDN file into a new database, SQLite file vs PostgreSQL
# (a throwaway local server with its default durability settings), against `clearance lists status` on an empty SQLite
# database (process start-up baseline); 9 runs each, alternating, in the same run.
# Build first: dotnet build -c Release src/Clearance.Cli -o /tmp/clearance-release
# Run from the repository root: scripts/bench-import-postgres.sh
set -euo pipefail
cd "$(dirname "$0")/.."
if [ -z "${CLEARANCE_TEST_POSTGRES:-}" ]; then
  CLEARANCE_TEST_POSTGRES_DURABLE=1 exec scripts/test-postgres.sh "$0" "$@"
fi
CLI=${CLI:-/tmp/clearance-release/clearance}
SDN=${SDN:-../shared/lists/ofac_sdn/sdn_2024-05-03.csv}
RUNS=${RUNS:-9}
tmp=$(mktemp -d)
trap 'rm -rf "$tmp"' EXIT
export XDG_DATA_HOME=$tmp/data   # the PostgreSQL store's screening index snapshot goes here
server=${CLEARANCE_TEST_POSTGRES%%;Database=*}
port=${server##*Port=}; port=${port%%;*}
now() { date +%s.%N; }
for i in $(seq 1 "$RUNS"); do
  psql -h 127.0.0.1 -p "$port" -U postgres -d postgres -qc "CREATE DATABASE run$i" >/dev/null
  s=$(now); $CLI lists status --db "$tmp/empty$i.db" >/dev/null; e=$(now); echo "status $(echo "$e - $s" | bc)"
  s=$(now); $CLI lists import --format ofac-csv "$SDN" --db "$tmp/run$i.db" >/dev/null; e=$(now); echo "sqlite $(echo "$e - $s" | bc)"
  s=$(now); $CLI lists import --format ofac-csv "$SDN" --db "$server;Database=run$i" >/dev/null; e=$(now); echo "postgresql $(echo "$e - $s" | bc)"
done > "$tmp/times"
for k in status sqlite postgresql; do
  printf "%-10s median %s s  (runs: %s)\n" $k "$(grep "^$k " "$tmp/times" | awk '{print $2}' | sort -n | awk '{a[NR]=$1} END {print a[int((NR+1)/2)]}')" \
    "$(grep "^$k " "$tmp/times" | awk '{printf "%.2f ", $2}')"
done
