#!/usr/bin/env bash
# The 1M-line `clearance check` of a native CLI (scripts/publish.sh) against two floors in the same window: the JIT
# floor (Clearance.Benchmarks `floor`, the floor of every earlier measurement) and the same loop compiled ahead of time
# (Clearance.NativeFloor.Benchmarks), with an optional base CLI beside them. Per round each program runs once, the order
# reversed every other round (the host's speed drifts); output to a file, as in production; every CLI output is compared
# with REF when given. Prints each round (wall s / CPU s / minor faults), the medians and the per-round-median ratios.
#   bench/check-native.sh CLI [ROUNDS]
#   BASE_CLI=/work/base/publish/clearance REF=/tmp/ref.jsonl BASE_REF=/tmp/base-ref.jsonl bench/check-native.sh publish/clearance 6
# INPUT (default: bench/check-e2e.sh's 1M mixed JP/KR/US input, generated when missing), WORK (default /tmp/clearance-e2e).
set -euo pipefail
cd "$(dirname "$0")/.."
. bench/lib.sh
cli=$(realpath "$1")
rounds=${2:-6}
work=${WORK:-/tmp/clearance-e2e}
input=${INPUT:-$work/shipments-us0.33.jsonl}
mkdir -p "$work"
dotnet build -c Release -nologo -v q bench/Clearance.Benchmarks >/dev/null
bench="dotnet bench/Clearance.Benchmarks/bin/Release/net10.0/Clearance.Benchmarks.dll"
native_floor="$work/native-floor/native-floor"
if [ ! -x "$native_floor" ] || [ bench/Clearance.Benchmarks/Determination/StreamingFloor.cs -nt "$native_floor" ]; then
  dotnet publish bench/Clearance.NativeFloor.Benchmarks -c Release -r linux-x64 -nologo -v q -o "$work/native-floor" >/dev/null
fi
[ -f "$input" ] || $bench gen-shipments 1000000 "$input" 0.33
names=(jit-floor native-floor)
commands=("$bench floor $input" "$native_floor $input")
if [ -n "${BASE_CLI:-}" ]; then names+=(base); commands+=("$(realpath "$BASE_CLI") check --input $input --output json"); fi
names+=(cli); commands+=("$cli check --input $input --output json")
n=${#names[@]}
echo "input: $(wc -l < "$input") lines, $(du -m "$input" | cut -f1) MB; $(nproc) cores; load $(cut -d' ' -f1-3 /proc/loadavg); $rounds rounds"
declare -A wall cpu faults
for round in $(seq "$rounds"); do
  order=$(seq 0 $((n - 1))); [ $((round % 2)) = 0 ] && order=$(seq $((n - 1)) -1 0)
  line="round $round:"
  for i in $order; do
    # wall, user, sys (s), minor faults
    t=$( { /usr/bin/time -f "%e %U %S %R" ${commands[$i]} > "$work/native-run.out"; } 2>&1 | tail -1)
    read -r w u s f <<< "$t"
    c=$(cpu_seconds "$u" "$s")
    wall[$i]+="$w "; cpu[$i]+="$c "; faults[$i]+="$f "
    line+="  ${names[$i]} $w/$c/$f"
    # The base's output is compared with BASE_REF when given (a content change between base and CLI changes answers).
    ref=""; [ "${names[$i]}" = cli ] && ref=${REF:-}; [ "${names[$i]}" = base ] && ref=${BASE_REF:-}
    if [ -n "$ref" ]; then
      cmp -s "$work/native-run.out" "$ref" || { echo "${names[$i]}: output differs from $ref (round $round)" >&2; exit 1; }
    fi
  done
  echo "$line"
done
# The ratio of each round (program / floor of the same round), then their median: the host's drift cancels within a round.
ratios() { paste -d' ' <(printf '%s\n' $1) <(printf '%s\n' $2) | awk '{printf "%.4f\n", $1/$2}'; }
echo "medians (wall / CPU / faults) and per-round-median wall ratios to the JIT floor and the native floor:"
for i in $(seq 0 $((n - 1))); do
  printf '  %-12s %s / %s / %s   %.2fx   %.2fx\n' "${names[$i]}" "$(median "${wall[$i]}")" "$(median "${cpu[$i]}")" \
    "$(median "${faults[$i]}")" "$(median "$(ratios "${wall[$i]}" "${wall[0]}")")" "$(median "$(ratios "${wall[$i]}" "${wall[1]}")")"
done
[ -n "${REF:-}" ] && echo "every CLI output identical to $REF"
[ -n "${BASE_REF:-}" ] && echo "every base output identical to $BASE_REF"
rm -f "$work/native-run.out"
