#!/usr/bin/env bash
# End-to-end measurement of `clearance check` over 1,000,000 JSON lines against the floor (a naive single-threaded
# pass that parses each line's JSON and writes a small JSON object, no determination), measured alternately in the
# same run. Prints each run (wall and CPU time, max RSS) and the medians; results go to a file on disk, as in
# production. US_SHARE (default 0.33) is the share of US lines (any CCL entry, 40 destinations, 2019-2026, a USD
# value on three in four; a generator of their own, seed 13) among the JP/KR lines of seed 20190704; US_SHARE=0
# gives the JP/KR-only input of the earlier measures. CHECK_CLI: the command to measure instead of this tree's `dotnet
# build`, e.g. the published executable (CHECK_CLI=publish/clearance after scripts/publish.sh).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${RUNS:-5}
lines=${LINES:-1000000}
work=${WORK:-/tmp/clearance-e2e}
us_share=${US_SHARE:-0.33}
mkdir -p "$work"
dotnet build -c Release -nologo -v q bench/Clearance.Benchmarks >/dev/null
bench="dotnet bench/Clearance.Benchmarks/bin/Release/net10.0/Clearance.Benchmarks.dll"
check=${CHECK_CLI:-dotnet src/Clearance.Cli/bin/Release/net10.0/clearance.dll}
input="$work/shipments-us$us_share.jsonl"
if [ "$us_share" = 0 ]; then input="$work/shipments.jsonl"; fi
[ -f "$input" ] || $bench gen-shipments "$lines" "$input" "$us_share"
echo "input: $(wc -l < "$input") lines ($(grep -c '"from":"US"' "$input") US), $(du -m "$input" | cut -f1) MB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
floor=(); ours=(); floor_cpu=(); ours_cpu=()
for i in $(seq "$runs"); do
  # wall, user, sys (s), max RSS (KB); CPU is user+sys, printed beside wall as the machine may be shared.
  f=$( { /usr/bin/time -f "%e %U %S %M" $bench floor "$input" > "$work/floor.out"; } 2>&1 | tail -1)
  c=$( { /usr/bin/time -f "%e %U %S %M" $check check --input "$input" --output json > "$work/check.out"; } 2>&1 | tail -1)
  read -r fw fu fs fm <<< "$f"; read -r cw cu cs cm <<< "$c"
  fc=$(cpu_seconds "$fu" "$fs"); cc=$(cpu_seconds "$cu" "$cs")
  echo "run $i: floor $fw s wall, $fc s CPU (max RSS $fm KB)   check $cw s wall, $cc s CPU (max RSS $cm KB)"
  floor+=("$fw"); ours+=("$cw"); floor_cpu+=("$fc"); ours_cpu+=("$cc")
done
mf=$(median "${floor[@]}"); mc=$(median "${ours[@]}"); mfc=$(median "${floor_cpu[@]}"); mcc=$(median "${ours_cpu[@]}")
echo "median: floor $mf s wall ($mfc s CPU), check $mc s wall ($mcc s CPU), ratio $(awk -v c="$mc" -v f="$mf" 'BEGIN {printf "%.2f", c/f}') wall, $(awk -v c="$mcc" -v f="$mfc" 'BEGIN {printf "%.2f", c/f}') CPU; output $(du -m "$work/check.out" | cut -f1) MB, $(wc -l < "$work/check.out") lines"
