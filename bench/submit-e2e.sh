#!/usr/bin/env bash
# End-to-end measurement of `clearance shipments submit` on SQLite and on PostgreSQL: the book of bench/make-book.py
# (100,000 lines, 5,000 parties, 200 licences; every line audited), `licenses import` and Japan's End User List
# imported first (not timed), each run on a fresh database, output as JSON Lines to /dev/null. The build before the
# batched submit (BASE, built from git in a temporary folder) runs the first OLD_LINES lines of the same book in the same
# run, as the baseline (it is too slow for the whole book). Prints each run and the medians in lines/s.
#   bench/submit-e2e.sh                 # SQLite, then PostgreSQL (a throwaway server: scripts/test-postgres.sh)
#   RUNS=5 OLD_LINES=5000 BASE=dc1c541 PROVIDERS="sqlite postgresql" bench/submit-e2e.sh
# MAIN_DLL=/path/to/clearance.dll (another build, e.g. main's: `git archive main | tar -x -C /tmp/main && dotnet build -c
# Release /tmp/main/src/Clearance.Cli`) also runs the whole book in each run, interleaved with this tree's build, as the
# same-run baseline; each run then prints both builds' wall, CPU and database size (SQLite: bytes per line).
# NEW_CLI / MAIN_CLI: a command instead of this tree's build / MAIN_DLL, e.g. a published executable (scripts/publish.sh):
#   OLD_LINES=0 NEW_CLI=/tmp/pub/clearance MAIN_CLI=/work/base-pub/clearance PROVIDERS=sqlite bench/submit-e2e.sh
# OLD_LINES=0 skips the old build (and its build from git).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
runs=${RUNS:-3}
old_lines=${OLD_LINES:-5000}
base=${BASE:-dc1c541}
providers=${PROVIDERS:-sqlite postgresql}
work=${WORK:-/tmp/clearance-submit-e2e}
eul=${EUL:-../shared/lists/meti_eul/meti_eul_2025-09-29.csv}
mkdir -p "$work"

if [ "${1:-}" != --inner ]; then
  [ -n "${NEW_CLI:-}" ] || dotnet build -c Release -nologo -v q src/Clearance.Cli >/dev/null
  if [ "$old_lines" != 0 ] && [ ! -f "$work/old/src/Clearance.Cli/bin/Release/net10.0/clearance.dll" ]; then
    rm -rf "$work/old" && mkdir -p "$work/old"
    git archive "$base" | tar -x -C "$work/old"
    (cd "$work/old" && dotnet build -c Release -nologo -v q src/Clearance.Cli >/dev/null)
  fi
  [ -f "$work/book/book.jsonl" ] || python3 bench/make-book.py "$work/book"
  head -n "$old_lines" "$work/book/book.jsonl" > "$work/book/book-head.jsonl"
  echo "book: $(wc -l < "$work/book/book.jsonl") lines, $(du -m "$work/book/book.jsonl" | cut -f1) MB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg)"
  for provider in $providers; do
    if [ "$provider" = postgresql ]; then
      CLEARANCE_TEST_POSTGRES_DURABLE=1 scripts/test-postgres.sh "$0" --inner postgresql
    else
      "$0" --inner sqlite
    fi
  done
  exit 0
fi

provider=$2
new=${NEW_CLI:-dotnet src/Clearance.Cli/bin/Release/net10.0/clearance.dll}
old="dotnet $work/old/src/Clearance.Cli/bin/Release/net10.0/clearance.dll"
main=${MAIN_CLI:-${MAIN_DLL:+dotnet $MAIN_DLL}}
run=0
# A fresh database: a new SQLite file, or a new schema on the throwaway server.
fresh() {
  run=$((run + 1))
  if [ "$provider" = sqlite ]; then
    rm -f "$work"/run.db*
    export CLEARANCE_DB="$work/run.db"
  else
    local port; port=$(sed -E 's/.*Port=([0-9]+).*/\1/' <<< "$CLEARANCE_TEST_POSTGRES")
    local database; database=$(sed -E 's/.*Database=([^;]+).*/\1/' <<< "$CLEARANCE_TEST_POSTGRES")
    psql -h 127.0.0.1 -p "$port" -U postgres -d "$database" -q -c "CREATE SCHEMA run_$run" 2>/dev/null \
      || "$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)/psql" -h 127.0.0.1 -p "$port" -U postgres -d "$database" -q -c "CREATE SCHEMA run_$run"
    export CLEARANCE_DB="$CLEARANCE_TEST_POSTGRES;Search Path=run_$run"
  fi
  $1 lists import --format meti-eul "$eul" >/dev/null
  $1 licenses import --input "$work/book/licenses.jsonl" >/dev/null
}
# Seconds (wall) and CPU seconds of one submit.
timed() {
  /usr/bin/time -o "$work/time" -f "%e %U %S" "$@" > /dev/null 2>"$work/stderr" || true
  tail -1 "$work/time"
}
# The SQLite file's size (database and WAL) in bytes per line of the book, or "-" on PostgreSQL.
size() {
  if [ "$provider" = sqlite ]; then
    { cat "$work"/run.db "$work"/run.db-wal 2>/dev/null || true; } | wc -c | awk -v l="$lines" '{printf "%.0f", $1 / l}'
  else
    echo -
  fi
}
lines=$(wc -l < "$work/book/book.jsonl")
newrates=(); oldrates=(); cpurates=(); mainrates=(); maincpurates=()
for i in $(seq "$runs"); do
  o="1 1 0"
  if [ "$old_lines" != 0 ]; then
    fresh "$old"
    o=$(timed $old shipments submit --input "$work/book/book-head.jsonl" --output json)
  fi
  if [ -n "$main" ]; then
    fresh "$main"
    m=$(timed $main shipments submit --input "$work/book/book.jsonl" --output json)
    read -r mw mu ms <<< "$m"
    mainrates+=("$(awk -v l="$lines" -v s="$mw" 'BEGIN {printf "%.0f", l/s}')")
    maincpurates+=("$(awk -v l="$lines" -v u="$mu" -v s="$ms" 'BEGIN {printf "%.0f", l/(u+s)}')")
    echo "$provider run $i: MAIN_DLL $lines lines ${mw} s = ${mainrates[-1]} lines/s (CPU ${mu} user + ${ms} sys: ${maincpurates[-1]} lines per CPU second); $(size) bytes a line; load $(cut -d' ' -f1 /proc/loadavg)"
  fi
  fresh "$new"
  n=$(timed $new shipments submit --input "$work/book/book.jsonl" --output json)
  newsize=$(size)
  read -r ow ou os <<< "$o"; read -r nw nu ns <<< "$n"
  oldrate=$(awk -v l="$old_lines" -v s="$ow" 'BEGIN {printf "%.0f", l/s}')
  newrate=$(awk -v l="$lines" -v s="$nw" 'BEGIN {printf "%.0f", l/s}')
  cpurate=$(awk -v l="$lines" -v u="$nu" -v s="$ns" 'BEGIN {printf "%.0f", l/(u+s)}')
  echo "$provider run $i: old $old_lines lines ${ow} s = $oldrate lines/s; new $lines lines ${nw} s = $newrate lines/s (CPU ${nu} user + ${ns} sys: $cpurate lines per CPU second); $newsize bytes a line; load $(cut -d' ' -f1 /proc/loadavg)"
  oldrates+=("$oldrate"); newrates+=("$newrate"); cpurates+=("$cpurate")
done
mo=$(median "${oldrates[@]}"); mn=$(median "${newrates[@]}")
[ -n "$main" ] && echo "$provider median: MAIN_DLL $(median "${mainrates[@]}") lines/s, per CPU second $(median "${maincpurates[@]}")"
echo "$provider median: old $mo lines/s, new $mn lines/s (x$(awk -v n="$mn" -v o="$mo" 'BEGIN {printf "%.1f", n/o}')), new per CPU second $(median "${cpurates[@]}")"
