#!/usr/bin/env bash
# Publishes Clearance as it is installed and measured. By default the CLI is native (Native AOT): one executable of
# machine code, no JIT, no .NET runtime needed to run it, ~22 % less CPU for a batch check and a third of the CPU
# of a one-line check than the ReadyToRun builds (docs/benchmarks.md, "Native AOT: the published form"). `clearance serve`
# runs the HTTP server, which cannot be native (its pages are Razor components), as a second executable beside it:
# publish/server/clearance-server, framework-dependent ReadyToRun, which needs the ASP.NET Core 10 runtime (only serve
# does). The native build needs a C toolchain: clang (or a versioned clang-N) and zlib (Debian: `apt-get install -y clang
# zlib1g-dev`); the SDK restores the ILCompiler packages from NuGet at the first publish (~8 minutes on 2 loaded cores).
#   scripts/publish.sh                  # to ./publish, then run ./publish/clearance
#   scripts/publish.sh /opt/clearance   # elsewhere
#   RID=linux-arm64 scripts/publish.sh  # another platform (a native build for another CPU needs its cross toolchain)
#   SYMBOLS=1 scripts/publish.sh        # with the debugging symbols (below)
#   PIE=1 scripts/publish.sh            # the native clearance position-independent (its code at a random address; a
#                                       # slower start: docs/deployment.md, "The installed folder")
#   NATIVE=0 scripts/publish.sh         # the earlier form: self-contained, the framework and Clearance precompiled
#                                       # together into one composite ReadyToRun image (188 MB); serve in process
#   NATIVE=0 COMPOSITE=0 scripts/publish.sh  # the smaller framework-dependent build (ReadyToRun per assembly, needs
#                                       # the .NET 10 runtime; 44 MB, a slower start)
# The folder holds what running needs and nothing else: the native clearance and the native libraries it loads (SQLite,
# Skia for the impact report's charts), and server/ with clearance-server's assemblies, its .deps.json and
# .runtimeconfig.json. Not published by default: the .xml documentation files (for an editor's hints; nothing reads them
# at run time), the managed .pdb files (the native clearance holds no IL for them to describe; clearance-server's only
# add file and line numbers to a --verbose stack trace) and clearance.dbg (54 MB of DWARF for gdb, lldb or perf over the
# 28 MB clearance, which names its methods in a stack trace without it). SYMBOLS=1 publishes the symbols, .pdb and .dbg,
# where the tools look for them: beside what they describe (clearance's .gnu_debuglink names clearance.dbg). The switch
# changes what is copied, not what is compiled (the native build makes clearance.dbg either way in obj/).
set -euo pipefail
cd "$(dirname "$0")/.."
out=${1:-publish}
rid=${RID:-linux-x64}
# Publish-time switches only (what is copied, not what is compiled).
files=(-p:PublishDocumentationFiles=false)
if [ "${SYMBOLS:-0}" != 1 ]; then
  # The project's own symbols (for the native build, clearance.dbg), and those of the assemblies it references.
  files+=(-p:CopyOutputSymbolsToPublishDirectory=false "-p:AllowedReferenceRelatedFileExtensions=.dll.config%3B.exe.config")
fi
if [ "${NATIVE:-1}" = 1 ]; then
  # clang if installed, else the newest clang-N on PATH (Debian installs clang-14 without the plain name at times).
  if command -v clang >/dev/null; then
    cc=clang
  else
    cc=$(compgen -c clang- | grep -E '^clang-[0-9]+$' | sort -t- -k2 -n | tail -1 || true)
  fi
  if [ -z "$cc" ]; then
    echo "publish.sh: the native build needs clang and zlib: apt-get install -y clang zlib1g-dev (or NATIVE=0 for ReadyToRun)" >&2
    exit 1
  fi
  # The repository treats warnings as errors (Directory.Build.props): a trim or AOT warning fails the native publish.
  pie=()
  if [ "${PIE:-0}" = 1 ]; then
    pie=(-p:PositionIndependentExecutable=true)
  fi
  dotnet publish src/Clearance.Cli -c Release -r "$rid" -p:NativeCli=true -p:CppCompilerAndLinker="$cc" "${files[@]}" "${pie[@]}" -o "$out"
  dotnet publish src/Clearance.Server.Host -c Release -r "$rid" --self-contained false "${files[@]}" -o "$out/server"
elif [ "${COMPOSITE:-1}" = 1 ]; then
  dotnet publish src/Clearance.Cli -c Release -r "$rid" --self-contained true -p:PublishReadyToRunComposite=true "${files[@]}" -o "$out"
else
  dotnet publish src/Clearance.Cli -c Release -r "$rid" --self-contained false "${files[@]}" -o "$out"
fi
echo "published to $out: $(du -sh "$out" | cut -f1); run $out/clearance"
