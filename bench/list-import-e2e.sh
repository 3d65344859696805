#!/bin/bash
# Median wall time of `clearance lists import` of one full SDN file into a new database, against `clearance lists status`
# on an empty database (process start-up baseline), 9 runs each, alternating.
# Build first: dotnet build -c Release src/Clearance.Cli -o /tmp/clearance-release
. "$(dirname "$0")/lib.sh"
CLI=${CLI:-/tmp/clearance-release/clearance}
SDN=${SDN:-../shared/lists/ofac_sdn/sdn_2024-05-03.csv}
tmp=$(mktemp -d)
for i in $(seq 1 9); do
  s=$(date +%s.%N); $CLI lists status --db $tmp/empty$i.db >/dev/null; e=$(date +%s.%N); echo "status $(echo "$e - $s" | bc)"
  s=$(date +%s.%N); $CLI lists import --format ofac-csv $SDN --db $tmp/run$i.db >/dev/null; e=$(date +%s.%N); echo "import $(echo "$e - $s" | bc)"
done > $tmp/times
for k in status import; do
  printf "%s median %s s\n" $k "$(median "$(grep "^$k" $tmp/times | awk '{print $2}')")"
done
rm -rf $tmp
