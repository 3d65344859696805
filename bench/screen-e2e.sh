#!/bin/bash
# End-to-end screening with every list of ../shared/lists imported (as docs/lists.md loads them), median of RUNS:
#  - cold single `clearance screen "Beihang University" --country CN` (persisted index) against `clearance --version`
#    (process start-up baseline);
#  - `clearance screen --input` of COUNT parties (the speed-run mix: listed names with a typo, ordinary people).
# Wall time and max RSS by /usr/bin/time. Build first:
#   dotnet build -c Release src/Clearance.Cli -o /tmp/clearance-release && dotnet build -c Release bench/Clearance.Benchmarks
# DB=path reuses a database that already holds the lists (skips the imports).
set -eu
CLI=${CLI:-/tmp/clearance-release/clearance}
RUNS=${RUNS:-9}
COUNT=${COUNT:-20000}
L=${L:-$(cd "$(dirname "$0")/../.." && pwd)/shared/lists}
tmp=$(mktemp -d)
export CLEARANCE_DB=${DB:-$tmp/clearance.db}
if [ -z "${DB:-}" ]; then
  c() { $CLI "$@" >/dev/null; }
  c lists import --format ofac-csv $L/ofac_sdn/sdn_2024-05-03.csv $L/ofac_sdn/watchman_2025-02_add_alt/*.csv
  c lists import --format ofac-csv $L/ofac_consolidated_nonsdn/cons_prim.csv
  c lists import --format un-xml $L/un/UN_consolidated_2026-02-27.xml
  c lists import --format bis-dpl $L/csl_bis/bis_dpl_bench.txt
  c lists import --format csl-csv $L/csl_full/consolidated_2026-07-31.csv
  c lists import --format meti-eul $L/meti_eul/meti_eul_2025-09-29.csv
  c lists import --format ftm $L/opensanctions_ftm/t1/entities.ftm.json
  c lists import --format ftm --list opensanctions-zala $L/opensanctions_ftm/zala_entities.ftm.json
fi
dotnet "$(dirname "$0")"/Clearance.Benchmarks/bin/Release/net10.0/Clearance.Benchmarks.dll screening-parties $COUNT $tmp/parties.jsonl
measure() {
  local label=$1; shift
  for i in $(seq 1 $RUNS); do /usr/bin/time -f "%e %M" -o $tmp/t "$@" >/dev/null; cat $tmp/t; done | sort -n > $tmp/times
  printf "%-60s median %s s (min %s, max %s), max RSS %s MB\n" "$label" "$(sed -n "$(( (RUNS + 1) / 2 ))p" $tmp/times | cut -d' ' -f1)" \
    "$(head -1 $tmp/times | cut -d' ' -f1)" "$(tail -1 $tmp/times | cut -d' ' -f1)" "$(( $(cut -d' ' -f2 $tmp/times | sort -n | tail -1) / 1024 ))"
}
measure "clearance --version (start-up baseline)" $CLI --version
measure "clearance screen \"Beihang University\" --country CN" $CLI screen "Beihang University" --country CN
measure "clearance screen --input ($COUNT parties)" $CLI screen --input $tmp/parties.jsonl
rm -rf $tmp
