using BenchmarkDotNet.Attributes;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// Determinations per second in process: the compiled evaluator against the reference evaluator (the baseline), on
/// the same 4,096 generated shipments (fixed seed). <c>CompiledParallel</c> uses both cores of the machine.
/// </summary>
[MemoryDiagnoser]
public class DeterminationBenchmarks
{
    private const int Count = 4096;
    private CompiledJurisdiction[] _jurisdictions = [];
    private ShipmentFacts[] _facts = [];

    [GlobalSetup]
    public void Setup()
    {
        var evaluator = new Evaluator(ContentLoader.LoadBuiltIn());
        (_jurisdictions, _facts) = Shipments(evaluator, Count);
    }

    /// <summary>The shipments measured, each with the jurisdiction that answers it.</summary>
    protected virtual (CompiledJurisdiction[] Jurisdictions, ShipmentFacts[] Facts) Shipments(Evaluator evaluator, int count) =>
        ShipmentGenerator.Facts(evaluator, count, seed: 42);

    [Benchmark(Baseline = true, OperationsPerInvoke = Count)]
    public int Reference()
    {
        var sum = 0;
        for (var i = 0; i < _facts.Length; i++)
        {
            sum += (int)ReferenceEvaluator.Compute(_jurisdictions[i].Model, _facts[i]).Verdict;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Compiled()
    {
        var sum = 0;
        for (var i = 0; i < _facts.Length; i++)
        {
            sum += (int)_jurisdictions[i].Evaluate(_facts[i]).Verdict;
        }

        return sum;
    }

    [Benchmark(OperationsPerInvoke = Count * 64)]
    public int CompiledParallel()
    {
        var total = 0;
        Parallel.For(0, Environment.ProcessorCount, () => 0, (_, _, sum) =>
        {
            var share = 64 / Environment.ProcessorCount;
            for (var round = 0; round < share; round++)
            {
                for (var i = 0; i < _facts.Length; i++)
                {
                    sum += (int)_jurisdictions[i].Evaluate(_facts[i]).Verdict;
                }
            }

            return sum;
        }, sum => Interlocked.Add(ref total, sum));
        return total;
    }
}

/// <summary>Generated shipments, shared by the benchmarks and the end-to-end input generator.</summary>
public static class ShipmentGenerator
{
    private static readonly string[] Destinations = ["KR", "CN", "US", "DE", "TW", "VN", "TH", "IN", "RU", "IR", "KP", "IQ", "SG", "MY", "GB", "FR", "JP"];
    private static readonly string[] EndUses = ["civil", "civil", "civil", "wmd", "conventional-military", "unknown"];

    /// <summary>Facts with items resolved, for in-process benchmarks.</summary>
    public static (CompiledJurisdiction[] Jurisdictions, ShipmentFacts[] Facts) Facts(Evaluator evaluator, int count, int seed)
    {
        var random = new Random(seed);
        var jurisdictions = new CompiledJurisdiction[count];
        var facts = new ShipmentFacts[count];
        for (var i = 0; i < count; i++)
        {
            var (from, to, item, date, endUse) = Line(random, evaluator);
            var j = evaluator.Jurisdictions[evaluator.IndexOf(from)];
            j.TryFindItem(item.AsSpan(3), out var index);
            Names.TryParseEndUse(endUse, out var use);
            jurisdictions[i] = j;
            facts[i] = new ShipmentFacts(NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, index, CountryCode.Parse(to), use, random.Next(20) == 0, (Evaluation.EndUserStatus)random.Next(4));
        }

        return (jurisdictions, facts);
    }

    /// <summary>
    /// Writes <paramref name="count"/> JSON Lines in the check contract (about 100 bytes each). A share
    /// <paramref name="usShare"/> of them (drawn from a generator of its own, seed 13, so the JP/KR lines are those of a
    /// JP/KR-only input in the same order) are US lines: any entry of the Commerce Control List, the destinations of
    /// <see cref="EarDeterminationBenchmarks"/>, dates 2019-2026, a value in USD on three in four, an end use on most.
    /// </summary>
    public static void WriteJsonLines(Evaluator evaluator, int count, int seed, Stream output, double usShare = 0)
    {
        var random = new Random(seed);
        var usRandom = new Random(13);
        var us = usShare > 0 ? evaluator.Jurisdictions[evaluator.IndexOf("US")].Model : null;
        using var writer = new StreamWriter(output, new System.Text.UTF8Encoding(false), 1 << 20);
        for (var i = 0; i < count; i++)
        {
            if (us is not null && usRandom.NextDouble() < usShare)
            {
                writer.Write(UsLine(usRandom, us, i));
                continue;
            }

            var (from, to, item, date, endUse) = Line(random, evaluator);
            var held = random.Next(3) switch { 0 => "[]", 1 => "[\"general-bulk\"]", _ => "[\"special-general-bulk\",\"individual\"]" };
            var value = random.Next(10) == 0 ? $",\"value\":{{\"amount\":{random.Next(1000, 9_000_000)},\"currency\":\"JPY\"}}" : "";
            var informed = random.Next(20) == 0 ? ",\"informed\":true" : "";
            writer.Write($"{{\"id\":\"o-{i}\",\"date\":\"{date}\",\"from\":\"{from}\",\"to\":\"{to}\",\"item\":\"{item}\",\"end_use\":\"{endUse}\"{informed}{value},\"held\":{held}}}\n");
        }
    }

    private static string UsLine(Random random, Jurisdiction us, int i)
    {
        var item = us.Items[random.Next(us.Items.Count)].Code;
        var to = EarDeterminationBenchmarks.Destinations[random.Next(EarDeterminationBenchmarks.Destinations.Length)];
        if (to == "US")
        {
            to = "CA";
        }

        var date = NodaTime.Text.LocalDatePattern.Iso.Format(new NodaTime.LocalDate(2019, 1, 1).PlusDays(random.Next(0, 2900)));
        var endUse = EndUses[random.Next(EndUses.Length)];
        var value = random.Next(4) == 0 ? "" : $",\"value\":{{\"amount\":{random.Next(0, 12_000)},\"currency\":\"USD\"}}";
        return $"{{\"id\":\"o-{i}\",\"date\":\"{date}\",\"from\":\"US\",\"to\":\"{to}\",\"item\":\"US:{item}\",\"end_use\":\"{endUse}\"{value},\"held\":[]}}\n";
    }

    private static (string From, string To, string Item, string Date, string EndUse) Line(Random random, Evaluator evaluator)
    {
        var from = random.Next(5) == 0 ? "KR" : "JP";
        var j = evaluator.Jurisdictions[evaluator.IndexOf(from)].Model;
        var to = Destinations[random.Next(Destinations.Length)];
        if (to == from)
        {
            to = from == "JP" ? "KR" : "JP";
        }

        var item = $"{from}:{j.Items[random.Next(j.Items.Count)].Code}";
        var date = new NodaTime.LocalDate(2019, 1, 1).PlusDays(random.Next(0, 2900));
        return (from, to, item, NodaTime.Text.LocalDatePattern.Iso.Format(date), EndUses[random.Next(EndUses.Length)]);
    }
}
