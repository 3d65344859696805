#!/usr/bin/env bash
# The impact benchmark of issue 12: `clearance impact` over about a million order lines (the worked example's generator,
# 340,000 orders, fixed seed), as known on two dates, with Japan's End User List imported for the end users; `check` of
# the same book in the same runs as the baseline. Prints wall and CPU seconds and the peak memory of each run.
#   RUNS=3 bench/impact-e2e.sh
set -euo pipefail
cd "$(dirname "$0")/.."
RUNS=${RUNS:-3}
OUT=${OUT:-/tmp/clearance-impact-bench}
mkdir -p "$OUT"
dotnet build src/Clearance.Cli -c Release -nologo -v q -o "$OUT/bin" >/dev/null
CLI="dotnet $OUT/bin/clearance.dll"
[ -f "$OUT/book.jsonl" ] || python3 docs/examples/make-2019-orders.py 340000 > "$OUT/book.jsonl"
rm -f "$OUT/bench.db"*
$CLI lists import --db "$OUT/bench.db" --format meti-eul ../shared/lists/meti_eul/meti_eul_2025-09-29.csv >/dev/null 2>&1
echo "lines: $(wc -l < "$OUT/book.jsonl")"
for run in $(seq "$RUNS"); do
  for known in 2019-07-01 2019-08-02; do
    /usr/bin/time -f "run $run impact --known-as-of $known: wall %e s, user %U s, sys %S s, max RSS %M KB" \
      $CLI impact --db "$OUT/bench.db" --orders "$OUT/book.jsonl" --known-as-of "$known" --output json > "$OUT/impact-$known.jsonl"
  done
  /usr/bin/time -f "run $run check (baseline): wall %e s, user %U s, sys %S s, max RSS %M KB" \
    $CLI check --db "$OUT/bench.db" --input "$OUT/book.jsonl" --output json > /dev/null
done
