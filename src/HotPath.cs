using System.Runtime.CompilerServices;

namespace Clearance;

/// <summary>
/// How the per-line methods of a batch (reading, checking, evaluating, formatting, screening) are compiled, chosen by
/// the build: <c>[MethodImpl(HotPath.Compile)]</c> on each of them. Linked into every assembly of <c>src</c> by
/// Directory.Build.props, which defines <c>HOT_PATHS_PRECOMPILED</c> for <c>dotnet publish</c> (the CLI is published
/// ReadyToRun).
/// </summary>
internal static class HotPath
{
#if HOT_PATHS_PRECOMPILED
    /// <summary>
    /// Nothing: ReadyToRun precompiles the method and tiering promotes it when it is hot. ReadyToRun skips methods marked
    /// <see cref="MethodImplOptions.AggressiveOptimization"/> (the JIT compiles them at their first call), so in a
    /// published build the mark only added JIT time to every start (docs/benchmarks.md, "Branch recheck-speed4").
    /// </summary>
    public const MethodImplOptions Compile = default;
#else
    /// <summary>
    /// <see cref="MethodImplOptions.AggressiveOptimization"/>: in a <c>dotnet build</c> binary every method starts as
    /// unoptimised tier-0 code, and a batch of a million lines would run its first second there.
    /// </summary>
    public const MethodImplOptions Compile = MethodImplOptions.AggressiveOptimization;
#endif
}
