#!/usr/bin/env bash
# Publishes the CLI as it is installed and measured: self-contained, with the framework and Clearance's assemblies
# precompiled together into one composite ReadyToRun image (one version bubble), so that the framework's generic code
# instantiated over Clearance's types is precompiled too instead of jitted at every start (docs/benchmarks.md,
# "Published build: composite ReadyToRun"). Needs no .NET runtime on the target (linux-x64 by default); the SDK restores
# the runtime and crossgen2 packs from NuGet at the first publish.
#   scripts/publish.sh                  # to ./publish, then run ./publish/clearance
#   scripts/publish.sh /opt/clearance   # elsewhere
#   RID=linux-arm64 scripts/publish.sh  # another platform
#   COMPOSITE=0 scripts/publish.sh      # the smaller framework-dependent build (ReadyToRun per assembly, needs the
#                                       # .NET 10 runtime; 44 MB instead of 188 MB, a slower start)
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish}
rid=${RID:-linux-x64}
if [ "${COMPOSITE:-1}" = 1 ]; then
  dotnet publish src/Clearance.Cli -c Release -r "$rid" --self-contained true -p:PublishReadyToRunComposite=true -o "$out"
else
  dotnet publish src/Clearance.Cli -c Release -r "$rid" --self-contained false -o "$out"
fi
echo "published to $out: $(du -sh "$out" | cut -f1); run $out/clearance"
