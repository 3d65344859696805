using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// Determinations per second in process with the JP, KR and US content loaded (the EAR's 2,880 CCL entries, 32 column
/// requirements and 213 licence-scope rules): a third of the shipments are US lines (every entry, 40 destinations,
/// a value in USD for LVS on most), the rest JP and KR as in <see cref="DeterminationBenchmarks"/>, whose methods it runs:
/// the reference evaluator is the baseline, the compiled one on one thread the measure (goal ≥ 5 M/s).
/// </summary>
public class EarDeterminationBenchmarks : DeterminationBenchmarks
{
    /// <summary>The destinations of the US lines (also those of the mixed end-to-end input).</summary>
    internal static readonly string[] Destinations =
        ["CN", "HK", "MO", "RU", "BR", "IN", "IL", "AE", "SG", "TW", "KR", "JP", "DE", "GB", "FR", "CA", "MX", "VN", "TH", "MY",
         "ID", "PH", "PK", "IQ", "TR", "SA", "EG", "ZA", "NG", "AR", "CL", "AU", "NZ", "UA", "KZ", "GL", "CU", "IR", "VE", "US"];

    /// <inheritdoc />
    protected override (CompiledJurisdiction[] Jurisdictions, ShipmentFacts[] Facts) Shipments(Evaluator evaluator, int count) =>
        MixedShipments(evaluator, count);

    /// <summary>The JP/KR shipments of seed 42 with every third one replaced by a US line (seed 13).</summary>
    public static (CompiledJurisdiction[] Jurisdictions, ShipmentFacts[] Facts) MixedShipments(Evaluator evaluator, int count)
    {
        var (jurisdictions, facts) = ShipmentGenerator.Facts(evaluator, count, seed: 42);
        var us = evaluator.Jurisdictions[evaluator.IndexOf("US")];
        var random = new Random(13);
        for (var i = 0; i < count; i += 3)
        {
            var date = new NodaTime.LocalDate(2019, 1, 1).PlusDays(random.Next(0, 2900));
            jurisdictions[i] = us;
            facts[i] = new ShipmentFacts(date, random.Next(us.Model.Items.Count), CountryCode.Parse(Destinations[random.Next(Destinations.Length)]),
                (EndUse)random.Next(4), false, (EndUserStatus)random.Next(4))
            {
                Value = random.Next(4) == 0 ? null : new Amount(random.Next(0, 12_000), "USD"),
            };
        }

        return (jurisdictions, facts);
    }
}
