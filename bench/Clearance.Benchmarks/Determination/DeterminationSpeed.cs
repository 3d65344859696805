using System.Diagnostics;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// <c>determination-speed [SECONDS [PASSES [LINES]]]</c>: the compiled evaluator on one thread over the shipments of
/// <see cref="EarDeterminationBenchmarks"/>, split by regime (the US lines, the JP/KR lines, all of them), with wall and
/// CPU time per determination. A stopwatch loop, not BenchmarkDotNet: on a shared machine the CPU time of the process
/// says more than the wall time, and a US line's cost can be read apart from a JP/KR line's. With PASSES, each round
/// makes that many passes over the shipments instead of running for SECONDS: two runs with different PASSES under
/// <c>perf stat -e instructions:u</c> give the instructions per determination by difference, a count the load of a
/// shared machine does not change. LINES (<c>us</c>, <c>jpkr</c> or <c>all</c>) runs one of the three groups alone, so
/// that such a count, or a profile, is of that group's lines only.
/// </summary>
internal static class DeterminationSpeed
{
    private const int Count = 4096;
    private const int Rounds = 5;

    public static int Run(string[] args)
    {
        var seconds = args.Length > 1 ? double.Parse(args[1], System.Globalization.CultureInfo.InvariantCulture) : 2;
        var passes = args.Length > 2 ? int.Parse(args[2], System.Globalization.CultureInfo.InvariantCulture) : -1;
        var only = args.Length > 3 ? args[3] : null;
        if (only is not (null or "us" or "jpkr" or "all"))
        {
            Console.Error.WriteLine($"determination-speed: LINES is us, jpkr or all, not '{only}'");
            return 2;
        }

        var evaluator = new Evaluator(ContentLoader.LoadBuiltIn());
        var (jurisdictions, facts) = EarDeterminationBenchmarks.MixedShipments(evaluator, Count);
        var us = evaluator.IndexOf("US");
        Console.WriteLine($"{Count} shipments (JP/KR seed 42, every third US seed 13); {Rounds} rounds of {seconds} s each, the first one warming up; load {File.ReadAllText("/proc/loadavg").Trim()}");
        foreach (var (key, name, keep) in new (string, string, Func<CompiledJurisdiction, bool>)[]
        {
            ("us", "US lines", j => j == evaluator.Jurisdictions[us]),
            ("jpkr", "JP/KR lines", j => j != evaluator.Jurisdictions[us]),
            ("all", "all (JP/KR/US mix)", _ => true),
        })
        {
            if (only is not null && only != key)
            {
                continue;
            }


            var chosen = Enumerable.Range(0, Count).Where(i => keep(jurisdictions[i])).ToArray();
            var (wall, cpu) = Measure([.. chosen.Select(i => jurisdictions[i])], [.. chosen.Select(i => facts[i])], seconds, passes);
            Console.WriteLine($"{name}: {chosen.Length} shipments, median of rounds 2-{Rounds}: {wall:F1} ns wall, {cpu:F1} ns CPU per determination ({1e3 / cpu:F2} M/s of CPU)");
        }

        return 0;
    }

    private static (double Wall, double Cpu) Measure(CompiledJurisdiction[] jurisdictions, ShipmentFacts[] facts, double seconds, int passes)
    {
        var walls = new List<double>();
        var cpus = new List<double>();
        var sum = 0L;
        for (var round = 0; round < Rounds; round++)
        {
            var process = Process.GetCurrentProcess();
            var cpuBefore = process.TotalProcessorTime;
            var clock = Stopwatch.StartNew();
            var count = 0L;
            while (passes < 0 ? clock.Elapsed.TotalSeconds < seconds : count < (long)passes * facts.Length)
            {
                for (var i = 0; i < facts.Length; i++)
                {
                    sum += (int)jurisdictions[i].Evaluate(facts[i]).Verdict;
                }

                count += facts.Length;
            }

            process.Refresh();
            if (round > 0)
            {
                walls.Add(clock.Elapsed.TotalNanoseconds / count);
                cpus.Add((process.TotalProcessorTime - cpuBefore).TotalNanoseconds / count);
            }
        }

        // The verdicts' sum keeps the loop from being optimised away.
        GC.KeepAlive(sum);
        return (Median(walls), Median(cpus));
    }

    private static double Median(List<double> values)
    {
        values.Sort();
        return values.Count % 2 == 1 ? values[values.Count / 2] : (values[(values.Count / 2) - 1] + values[values.Count / 2]) / 2;
    }
}
