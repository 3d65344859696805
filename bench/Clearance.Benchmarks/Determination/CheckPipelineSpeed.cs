using System.Diagnostics;
using Clearance.Application;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// <c>check-pipeline FILE [read]</c>: the batch of <c>clearance check --input FILE --output json</c> (no --trace) run in
/// process as the command line runs it (the built-in content on demand, lines read ahead on their own thread, two
/// checking threads), its output dropped, and what the CLI does not print: the bytes allocated per line, the
/// collections by generation, the time they paused the threads (one core collects meanwhile: wall time the checking
/// threads do not use), and how long the checking threads waited for lines from the reading thread (the time spent
/// taking a line from the read-ahead, summed over the threads: near zero when the reader keeps ahead). With
/// <c>read</c>, the lines are only read (one thread, no check): the reader's own allocation per line.
/// </summary>
public static class CheckPipelineSpeed
{
    public static int Run(string[] args)
    {
        if (args is not ["check-pipeline", var path, .. var mode] || mode.Length > 1)
        {
            Console.Error.WriteLine("usage: check-pipeline FILE [read]");
            return 2;
        }

        var readOnly = mode is ["read"];
        var gcBefore = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2));
        var allocatedBefore = GC.GetTotalAllocatedBytes(precise: true);
        var cpuBefore = Process.GetCurrentProcess().TotalProcessorTime;
        var pausedBefore = GC.GetTotalPauseDuration();
        var wall = Stopwatch.StartNew();
        long lines = 0, waited = 0;
        using (var input = File.OpenRead(path))
        {
            if (readOnly)
            {
                foreach (var line in JsonLinesInput.Read(input))
                {
                    lines += line.Shipment is null ? 0 : 1;
                }
            }
            else
            {
                var shared = EndUserScreeningFactory.Open(null, Console.Error);
                var service = new CheckOnDemand(ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, shared) { Traced = false }));
                var timed = new Timed(ReadAhead.Of(JsonLinesInput.Read(input)));
                var summary = CheckBatch.Run(service, new ResultJson(false), service.Sized(timed), Stream.Null, CheckBatch.Checkers);
                lines = summary.Lines;
                waited = timed.Ticks;
            }
        }

        wall.Stop();
        var cpu = Process.GetCurrentProcess().TotalProcessorTime - cpuBefore;
        var allocated = GC.GetTotalAllocatedBytes(precise: true) - allocatedBefore;
        Console.WriteLine(FormattableString.Invariant(
            $"{(readOnly ? "read" : "check")}: {lines:N0} lines, wall {wall.Elapsed.TotalSeconds:F2} s, CPU {cpu.TotalSeconds:F2} s; allocated {allocated / 1e6:F0} MB ({(double)allocated / Math.Max(1, lines):F0} bytes a line); collections gen0 {GC.CollectionCount(0) - gcBefore.Item1}, gen1 {GC.CollectionCount(1) - gcBefore.Item2}, gen2 {GC.CollectionCount(2) - gcBefore.Item3}, paused {(GC.GetTotalPauseDuration() - pausedBefore).TotalSeconds:F2} s; waiting for the reader {(double)waited / Stopwatch.Frequency:F2} s; the last full collection paused {GC.GetGCMemoryInfo(GCKind.FullBlocking).PauseDurations[0].TotalMilliseconds:F0} ms, {GC.GetGCMemoryInfo(GCKind.FullBlocking).PromotedBytes / 1e6:F0} MB live"));
        return 0;
    }

    /// <summary>The lines, with the time spent in taking each (from the read-ahead's queue: the consumers' waits).</summary>
    private sealed class Timed(IEnumerable<ShipmentLine> lines) : IEnumerable<ShipmentLine>
    {
        public long Ticks;

        public IEnumerator<ShipmentLine> GetEnumerator()
        {
            using var inner = lines.GetEnumerator();
            while (true)
            {
                var start = Stopwatch.GetTimestamp();
                var more = inner.MoveNext();
                Ticks += Stopwatch.GetTimestamp() - start; // taken under the batch's input lock: one thread at a time
                if (!more)
                {
                    yield break;
                }

                yield return inner.Current;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
