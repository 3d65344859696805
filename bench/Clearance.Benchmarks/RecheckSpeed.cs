using System.Diagnostics;
using System.Globalization;
using Clearance.Application;
using Clearance.Store;

namespace Clearance.Benchmarks;

/// <summary>
/// <c>recheck-speed BOOK.db [ROUNDS [SCRATCH]]</c>: <c>shipments recheck</c> (incremental) and <c>shipments recheck
/// --full</c> run in this one process on fresh copies of one database (a book kept by <c>KEEP=1 bench/recheck-e2e.sh</c>,
/// its list update imported with <c>--no-recheck</c>), alternated, ROUNDS of each (default 5). Each run opens the store
/// and the screening and compiles the content as the command does (<c>RecheckCommand</c>); only the copy and the
/// bringing up to date of the copy's screening index snapshot (the script's <c>clearance screen "warm up"</c>) are left
/// out of the time. The first round pays the JIT and type loading the command pays at every start; the later rounds
/// are the work itself, so the ratio of their medians is the ratio of the recheck's own work, beside the end-to-end
/// one of bench/recheck-e2e.sh (process start included). With RECHECK_SPEED_INCREMENTAL_ONLY=1 only the incremental
/// rounds run (a profile of them without the full ones' samples).
/// </summary>
internal static class RecheckSpeed
{
    public static int Run(string[] args)
    {
        if (args.Length < 2 || !File.Exists(args[1]))
        {
            Console.Error.WriteLine("usage: recheck-speed BOOK.db [ROUNDS [SCRATCH]] (a book kept by KEEP=1 bench/recheck-e2e.sh)");
            return 2;
        }

        var book = Path.GetFullPath(args[1]);
        var rounds = args.Length > 2 ? int.Parse(args[2], CultureInfo.InvariantCulture) : 5;
        var scratch = args.Length > 3 ? args[3] : Path.Combine(Path.GetTempPath(), "recheck-speed-" + Environment.ProcessId.ToString(CultureInfo.InvariantCulture));
        Directory.CreateDirectory(scratch);
        Console.WriteLine($"recheck-speed: {book}, {rounds} rounds (incremental then --full, each on a fresh copy); load {File.ReadAllText("/proc/loadavg").Trim()}");
        var times = new Dictionary<bool, List<(double Wall, double Cpu)>> { [false] = [], [true] = [] };
        try
        {
            for (var round = 1; round <= rounds; round++)
            {
                foreach (var full in Environment.GetEnvironmentVariable("RECHECK_SPEED_INCREMENTAL_ONLY") == "1" ? new[] { false } : new[] { false, true })
                {
                    var db = Copy(book, scratch);
                    var (g0, g1, g2, pause) = (GC.CollectionCount(0), GC.CollectionCount(1), GC.CollectionCount(2), GC.GetTotalPauseDuration());
                    var (wall, cpu, summary) = Measure(db, full);
                    if (Environment.GetEnvironmentVariable("RECHECK_SPEED_GC") == "1")
                        Console.WriteLine(string.Create(CultureInfo.InvariantCulture, $"    gc: {GC.CollectionCount(0) - g0} gen0, {GC.CollectionCount(1) - g1} gen1, {GC.CollectionCount(2) - g2} gen2, pause {(GC.GetTotalPauseDuration() - pause).TotalMilliseconds:F1} ms; gen0 budget {GC.GetGCMemoryInfo().GenerationInfo[0].SizeAfterBytes / 1e6:F1} MB after"));
                    times[full].Add((wall, cpu));
                    Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                        $"round {round} {(full ? "--full     " : "incremental")}: {wall,7:F0} ms wall, {cpu,7:F0} ms CPU; {summary.Lines} lines, {summary.Changes.Count} changed, {summary.LinesCheckedAgain} checked again"));
                    Console.WriteLine("    " + summary.Phases?.Line());
                }
            }
        }
        finally
        {
            Directory.Delete(scratch, recursive: true);
        }

        // The first round is the cold one (JIT, type loading): the work itself is the median of the others.
        static double Median(IEnumerable<double> values)
        {
            var sorted = values.Order().ToArray();
            return sorted.Length == 0 ? double.NaN : sorted.Length % 2 == 1 ? sorted[sorted.Length / 2] : (sorted[(sorted.Length / 2) - 1] + sorted[sorted.Length / 2]) / 2;
        }

        var (incremental, full2) = (times[false].Skip(1).ToList(), times[true].Skip(1).ToList());
        if (incremental.Count > 0)
        {
            var (ic, fc) = (Median(incremental.Select(t => t.Cpu)), Median(full2.Select(t => t.Cpu)));
            var (iw, fw) = (Median(incremental.Select(t => t.Wall)), Median(full2.Select(t => t.Wall)));
            Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
                $"rounds 2-{rounds}, medians: incremental {iw:F0} ms wall, {ic:F0} ms CPU; --full {fw:F0} ms wall, {fc:F0} ms CPU; ratio full / incremental {fc / ic:F1}x CPU, {fw / iw:F1}x wall"));
        }

        if (times[true].Count == 0)
        {
            return 0;
        }

        Console.WriteLine(string.Create(CultureInfo.InvariantCulture,
            $"round 1 (cold): incremental {times[false][0].Cpu:F0} ms CPU, --full {times[true][0].Cpu:F0} ms CPU; ratio {times[true][0].Cpu / times[false][0].Cpu:F1}x"));
        return 0;
    }

    /// <summary>A fresh copy of the book (with its write-ahead log) whose screening index snapshot is brought up to date, as the script's warm-up screen does.</summary>
    private static string Copy(string book, string scratch)
    {
        var db = Path.Combine(scratch, "run.db");
        foreach (var old in Directory.GetFiles(scratch, "run.db*"))
        {
            File.Delete(old);
        }

        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(book)!, Path.GetFileName(book) + "*"))
        {
            File.Copy(file, db + file[book.Length..]);
        }

        // A copied database does not match its snapshot's stamp: reading the key from it (and rebuilding nothing when
        // the versions are the same) is what the script's `clearance screen "warm up"` does before its timed run.
        _ = ScreeningIndexFile.Open(db, _ => { });
        return db;
    }

    private static (double Wall, double Cpu, RecheckSummary Summary) Measure(string db, bool full)
    {
        var process = Process.GetCurrentProcess();
        process.Refresh();
        var cpu = process.TotalProcessorTime;
        var wall = Stopwatch.StartNew();

        // As RecheckCommand runs it: the store, the screening opened at the first end user (without recording a stamp,
        // which the recheck's own writes make stale: EndUserScreeningFactory.Open cleared the connection pools twice and
        // wrote and synced a stamp file inside the timed first check), the content on demand.
        var store = ShipmentStore.Open(DatabaseLocation.Resolve(db));
        var screening = EndUserScreeningFactory.OpenBeforeWriting(db, Console.Error);
        var summary = new Recheck(store, ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, screening)), "bench").Run(full);
        wall.Stop();
        process.Refresh();
        return (wall.Elapsed.TotalMilliseconds, (process.TotalProcessorTime - cpu).TotalMilliseconds, summary);
    }
}
