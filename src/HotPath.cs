using System.Runtime.CompilerServices;

namespace Clearance;

// How the per-line methods of a batch (reading, checking, evaluating, formatting, screening) are compiled, chosen by
// the build: [MethodImpl(HotPath.Compile)] on each of them. Linked into every assembly of src by Directory.Build.props,
// which defines HOT_PATHS_PRECOMPILED for `dotnet publish` (the CLI is published ReadyToRun).
//
// Plain comments, not XML documentation: this file is compiled into every assembly of src, and the OpenAPI document
// generator of Clearance.Server reads the XML documentation of the assemblies it references, where a second entry for
// the same member (F:Clearance.HotPath.Compile) failed the whole document with a 500.
internal static class HotPath
{
#if HOT_PATHS_PRECOMPILED
    // Nothing: ReadyToRun precompiles the method and tiering promotes it when it is hot. ReadyToRun skips methods marked
    // AggressiveOptimization (the JIT compiles them at their first call), so in a published build the mark only added
    // JIT time to every start (docs/benchmarks.md, "Branch recheck-speed4").
    public const MethodImplOptions Compile = default;
#else
    // AggressiveOptimization: in a `dotnet build` binary every method starts as unoptimised tier-0 code, and a batch of
    // a million lines would run its first second there.
    public const MethodImplOptions Compile = MethodImplOptions.AggressiveOptimization;
#endif
}
