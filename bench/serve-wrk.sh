#!/usr/bin/env bash
# Load test of `clearance serve` with wrk (installed from Debian when missing): single determinations (POST /api/v1/check
# with one shipment), the batch endpoint (arrays of BATCH shipments) and single screenings (POST /api/v1/screen against
# the METI EUL and OFAC SDN from ../shared/lists), and an ERP-like mix (bench/serve/mixed.lua). The server and wrk share
# this machine.
# Usage: bench/serve-wrk.sh [DURATION=20s] [CONNECTIONS=64] [BATCH=1000]
set -euo pipefail
cd "$(dirname "$0")/.."
duration=${1:-20s}; connections=${2:-64}; batch=${3:-1000}
command -v wrk >/dev/null || { apt-get update -qq && apt-get install -y -qq wrk; }
out=$(mktemp -d)
trap 'kill $server 2>/dev/null || true; rm -rf "$out"' EXIT
dotnet build -c Release src/Clearance.Cli -o "$out/bin" -nologo -v q >/dev/null
clearance() { dotnet "$out/bin/clearance.dll" "$@"; }
if ss -ltn 2>/dev/null | grep -q '127.0.0.1:5081 '; then echo "port 5081 is taken" >&2; exit 1; fi
export CLEARANCE_DB="$out/bench.db"
clearance lists import --format meti-eul ../shared/lists/meti_eul/meti_eul_2025-09-29.csv >/dev/null
clearance lists import --format ofac-csv ../shared/lists/ofac_sdn/sdn_2024-05-03.csv >/dev/null
KEY=$(clearance keys create --name bench --role operator --output json | sed 's/.*"key":"\([^"]*\)".*/\1/')
export KEY
# The per-key rate limit would cap the measurement: raised for the benchmark.
# dotnet itself in the background (not a function's subshell): $! is the server, which the trap stops.
Clearance__PermitsPerSecond=100000000 dotnet "$out/bin/clearance.dll" serve --urls http://127.0.0.1:5081 > "$out/serve.log" 2>&1 &
server=$!
for _ in $(seq 100); do grep -q "listening on" "$out/serve.log" && break; sleep 0.2; done
echo "load before: $(uptime)"
# Warm-up (JIT, caches), then the measurements.
wrk -t2 -c"$connections" -d5s -s bench/serve/check.lua http://127.0.0.1:5081 >/dev/null
echo "== single determinations: wrk -t2 -c$connections -d$duration --latency -s bench/serve/check.lua"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/serve/check.lua http://127.0.0.1:5081
echo "== batch of $batch: BATCH=$batch wrk -t2 -c8 -d$duration --latency -s bench/serve/check.lua"
BATCH=$batch wrk -t2 -c8 -d5s -s bench/serve/check.lua http://127.0.0.1:5081 >/dev/null
BATCH=$batch wrk -t2 -c8 -d"$duration" --latency -s bench/serve/check.lua http://127.0.0.1:5081
echo "== single screenings: wrk -t2 -c$connections -d$duration --latency -s bench/serve/screen.lua"
wrk -t2 -c"$connections" -d5s -s bench/serve/screen.lua http://127.0.0.1:5081 >/dev/null
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/serve/screen.lua http://127.0.0.1:5081
echo "== mixed (16 checks, 3 screenings, 1 submitted shipment line in 20): wrk -t2 -c$connections -d$duration --latency -s bench/serve/mixed.lua"
wrk -t2 -c"$connections" -d"$duration" --latency -s bench/serve/mixed.lua http://127.0.0.1:5081
