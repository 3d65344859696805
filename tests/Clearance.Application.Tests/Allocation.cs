namespace Clearance.Application.Tests;

/// <summary>Bytes a piece of code allocates on its thread, measured so that the runtime's own one-off allocations do not count.</summary>
internal static class Allocation
{
    /// <summary>
    /// The least that <paramref name="round"/> allocates on this thread over many rounds. The code is first run
    /// unoptimised (tier 0), which allocates what the optimised code keeps on the stack, and on a loaded machine the
    /// optimised code can arrive seconds later; a fixed count of rounds then measured tier 0 in one call and tier 1 in
    /// another (a flaky comparison). The rounds go on until the least has not fallen for a second (at least 20 rounds,
    /// at most 20 seconds).
    /// </summary>
    public static long Least(Action round)
    {
        var least = long.MaxValue;
        var clock = System.Diagnostics.Stopwatch.StartNew();
        var lastFall = TimeSpan.Zero;
        for (var n = 0; n < 20 || (clock.Elapsed - lastFall < TimeSpan.FromSeconds(1) && clock.Elapsed < TimeSpan.FromSeconds(20)); n++)
        {
            var before = GC.GetAllocatedBytesForCurrentThread();
            round();
            var allocated = GC.GetAllocatedBytesForCurrentThread() - before;
            if (allocated < least)
            {
                least = allocated;
                lastFall = clock.Elapsed;
            }
        }

        return least;
    }
}
