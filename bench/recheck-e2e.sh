#!/bin/bash
# `clearance shipments recheck` of a 100,000-line book (5,000 distinct parties) after an OFAC SDN update, against
# `shipments recheck --full` (every party screened again against every entry, every line determined again).
# The book: 5,000 lines (party i as end user and consignee; destinations AE, CN, SG, TH, DE, US; 1 % of the names are
# SDN entries, 0.5 % entries that the update adds) submitted with `shipments submit`, then each row copied 19 times
# under new ids straight in the database, with its shipment_facts row (quicker than submitting them all). Lists: METI EUL and the SDN
# file of BASE; the update imports HEAD. Wall time by /usr/bin/time, one run each on a copy of the same database.
# Build first: dotnet build -c Release src/Clearance.Cli -o /tmp/clearance-release, or as it is installed (scripts/publish.sh:
# CLI=publish/clearance), or framework-dependent (docs/deployment.md),
# precompiled: dotnet publish src/Clearance.Cli -c Release -r linux-x64 --self-contained false -o /tmp/clearance-release.
# RUNS=N: N alternated pairs (incremental, --full; the order swapped every other pair) and their medians.
# TIMINGS=1: each recheck prints its phases (wall and CPU) on standard error (shipments recheck --timings).
# The same two rechecks in one process, on fresh copies of the book this keeps with KEEP=1 (the work without the
# runtime's start): dotnet bench/Clearance.Benchmarks/bin/Release/net10.0/Clearance.Benchmarks.dll recheck-speed BOOK.db.
set -eu
. "$(dirname "$0")/lib.sh"
CLI=${CLI:-/tmp/clearance-release/clearance}
BASE=${BASE:-2024-04-26}
HEAD=${HEAD:-2024-05-03}
COPIES=${COPIES:-19}
L=${L:-$(cd "$(dirname "$0")/../.." && pwd)/shared/lists}
tmp=$(mktemp -d)
export CLEARANCE_DB=$tmp/book.db
$CLI lists import --format meti-eul $L/meti_eul/meti_eul_2025-09-29.csv >/dev/null
$CLI lists import --format ofac-csv --allow-older $L/ofac_sdn/sdn_$BASE.csv >/dev/null
# Names of entries the update adds, and of entries already listed (from a throwaway database).
CLEARANCE_DB=$tmp/names.db $CLI lists import --format ofac-csv --allow-older $L/ofac_sdn/sdn_$BASE.csv >/dev/null
CLEARANCE_DB=$tmp/names.db $CLI lists import --format ofac-csv --allow-older --no-recheck $L/ofac_sdn/sdn_$HEAD.csv >/dev/null
CLEARANCE_DB=$tmp/names.db $CLI lists diff --list ofac-sdn -o json > $tmp/diff.json
python3 - "$tmp" <<'PYEOF'
import json, random, sys
tmp = sys.argv[1]
random.seed(20190704)
diff = json.load(open(f"{tmp}/diff.json"))
added = [e["name"] for e in diff["added"] + diff["changed"]]
words = ["Global", "Pacific", "Eastern", "Sun", "Star", "Union", "Trade", "Tech", "Precision", "Materials", "Chemical", "Logistics",
         "Industrial", "Ocean", "Golden", "Harbor", "Metro", "Prime", "Alpha", "Nova", "Orient", "Summit", "Delta", "Crown"]
forms = ["Co., Ltd.", "LLC", "GmbH", "Pte. Ltd.", "Trading FZE", "Inc.", "S.A.", "Limited"]
names = set()
while len(names) < 4975:
    names.add(f"{random.choice(words)} {random.choice(words)} {random.choice(words)} {random.choice(forms)}")
names = sorted(names)[:4950] + random.sample(added, min(25, len(added)))
listed = ["Beihang University", "Harbin Engineering University", "Mahan Air", "Pouya Air", "Islamic Republic of Iran Shipping Lines"]
names += [f"{listed[i % len(listed)]}" + ("" if i < len(listed) else f" Branch {i}") for i in range(5000 - len(names))]
with open(f"{tmp}/book.jsonl", "w") as f:
    for i, n in enumerate(names):
        to = ["AE", "CN", "SG", "TH", "DE", "US"][i % 6]
        f.write(json.dumps({"id": f"B{i}", "exporter": "Example Chemical Co.", "date": "2024-05-06", "from": "JP", "to": to,
                            "item": "JP:16", "end_use": "civil", "end_user": n, "consignee": n}) + "\n")
PYEOF
/usr/bin/time -f "submit of 5,000 lines: %e s, %M KB" $CLI shipments submit --input $tmp/book.jsonl -o json > $tmp/submitted.jsonl
python3 - "$CLEARANCE_DB" "$COPIES" <<'PYEOF'
import sqlite3, sys
db = sqlite3.connect(sys.argv[1])
for k in range(1, int(sys.argv[2]) + 1):
    db.execute("""INSERT INTO shipments (id, status, license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at)
                  SELECT id || '-' || ?, status, license, reasons, determination, determination_sha256, request, demand, submitted_at, updated_at
                  FROM shipments WHERE id NOT LIKE '%-%'""", (k,))
    db.execute("""INSERT INTO shipment_facts (shipment_id, end_user, consignee, destination, requested_license, content_version, submitted_at)
                  SELECT shipment_id || '-' || ?, end_user, consignee, destination, requested_license, content_version, submitted_at
                  FROM shipment_facts WHERE shipment_id NOT LIKE '%-%'""", (k,))
db.commit()
print("book:", db.execute("SELECT status, COUNT(*) FROM shipments GROUP BY status").fetchall())
PYEOF
# One recheck before the update, as a list import would have run (nothing has changed: no line is checked again). Since
# migration 11 the recheck keeps the open lines' parties itself and folds in only the lines submitted since the last one;
# the copies above have no submit event, so without this the timed recheck would be the one that builds the set whole.
$CLI shipments recheck >/dev/null
$CLI lists import --format ofac-csv --allow-older --no-recheck $L/ofac_sdn/sdn_$HEAD.csv
# RUNS pairs (default 1), the order swapped every other pair, each on a fresh copy of the updated book.
runs=${RUNS:-1}
one() {
  local mode=$1 i=$2
  rm -f $tmp/run.db*
  for f in $tmp/book.db*; do cp "$f" "${f/book.db/run.db}"; done
  # A copied database does not match its screening index snapshot: one screen brings it up to date (as the import had).
  CLEARANCE_DB=$tmp/run.db $CLI screen "warm up" >/dev/null || true
  CLEARANCE_DB=$tmp/run.db /usr/bin/time -o $tmp/time -f "%e %U %S %M" $CLI shipments recheck $mode -o json ${TIMINGS:+--timings} > $tmp/recheck$mode.jsonl
  read -r w u s m < $tmp/time
  c=$(cpu_seconds "$u" "$s")
  echo "recheck ${mode:-(incremental)} $i: $w s wall, CPU $u s user + $s s sys = $c s, $m KB; $(tail -1 $tmp/recheck$mode.jsonl)"
  echo "changed lines: $(grep -c '"old"' $tmp/recheck$mode.jsonl || true)"
  if [ -z "$mode" ]; then inc_wall+="$w "; inc_cpu+="$c "; else full_wall+="$w "; full_cpu+="$c "; fi
}
inc_wall=""; inc_cpu=""; full_wall=""; full_cpu=""
for i in $(seq "$runs"); do
  if [ $((i % 2)) = 1 ]; then one "" $i; one --full $i; else one --full $i; one "" $i; fi
done
iw=$(median "$inc_wall"); ic=$(median "$inc_cpu"); fw=$(median "$full_wall"); fc=$(median "$full_cpu")
echo "medians of $runs: incremental $iw s wall / $ic s CPU, --full $fw s wall / $fc s CPU; --full / incremental: $(awk -v a="$fw" -v b="$iw" 'BEGIN {printf "%.1f", a/b}')x wall, $(awk -v a="$fc" -v b="$ic" 'BEGIN {printf "%.1f", a/b}')x CPU"
# The lines --full changes beyond the incremental run: a hit on an entry the update left alone whose score moved (each
# token's weight is its rarity among all names) or that more matches pushed out (five kept per list), never a verdict.
python3 - "$tmp" <<'PYEOF'
import json, sys
tmp = sys.argv[1]
def changed(path):
    return {o["id"]: o for o in map(json.loads, open(path)) if "old" in o}
incremental, full = changed(f"{tmp}/recheck.jsonl"), changed(f"{tmp}/recheck--full.jsonl")
beyond = [o for i, o in full.items() if i not in incremental]
same_status = sum(o["old"]["status"] == o["new"]["status"] and o["old"]["license"] == o["new"]["license"] for o in beyond)
print(f"--full beyond the incremental: {len(beyond)} line(s), {same_status} of them with the same status and licence; "
      f"changed by the incremental and not by --full: {sum(i not in full for i in incremental)}")
PYEOF
[ -n "${KEEP:-}" ] && echo "kept $tmp" || rm -rf "$tmp"
