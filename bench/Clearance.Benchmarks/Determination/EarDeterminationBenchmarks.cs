using BenchmarkDotNet.Attributes;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// Determinations per second in process with the JP, KR and US content loaded (the EAR's 2,880 CCL entries, 32 column
/// requirements and 213 licence-scope rules): a third of the shipments are US lines (every entry, 40 destinations,
/// a value in USD for LVS on most), the rest JP and KR as in <see cref="DeterminationBenchmarks"/>. The reference
/// evaluator is the baseline, the compiled one on one thread the measure (goal ≥ 5 M/s).
/// </summary>
[MemoryDiagnoser]
public class EarDeterminationBenchmarks
{
    private const int Count = 4096;
    private static readonly string[] Destinations =
        ["CN", "HK", "MO", "RU", "BR", "IN", "IL", "AE", "SG", "TW", "KR", "JP", "DE", "GB", "FR", "CA", "MX", "VN", "TH", "MY",
         "ID", "PH", "PK", "IQ", "TR", "SA", "EG", "ZA", "NG", "AR", "CL", "AU", "NZ", "UA", "KZ", "GL", "CU", "IR", "VE", "US"];

    private CompiledJurisdiction[] _jurisdictions = [];
    private ShipmentFacts[] _facts = [];

    [GlobalSetup]
    public void Setup()
    {
        var evaluator = new Evaluator(ContentLoader.LoadBuiltIn());
        (_jurisdictions, _facts) = ShipmentGenerator.Facts(evaluator, Count, seed: 42);
        var us = evaluator.Jurisdictions[evaluator.IndexOf("US")];
        var random = new Random(13);
        for (var i = 0; i < Count; i += 3)
        {
            var date = new NodaTime.LocalDate(2019, 1, 1).PlusDays(random.Next(0, 2900));
            _jurisdictions[i] = us;
            _facts[i] = new ShipmentFacts(date, random.Next(us.Model.Items.Count), CountryCode.Parse(Destinations[random.Next(Destinations.Length)]),
                (EndUse)random.Next(4), false, (EndUserStatus)random.Next(4))
            {
                Value = random.Next(4) == 0 ? null : new Amount(random.Next(0, 12_000), "USD"),
            };
        }
    }

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
}
