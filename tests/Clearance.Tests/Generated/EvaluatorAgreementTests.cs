using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Tests.Generated;

/// <summary>
/// The compiled evaluator against the reference one where its bit sets and its per-thread scratch could go wrong and
/// the older agreement tests did not look: more than 64 and 128 candidate rules for one item, licence types, sets and
/// declared facts (so missing-fact codes past 64); periods that touch ([from, to) edges on the same day) and many rules
/// changing on the same days; every kind of fact test, with the shipment's declared facts given, absent, unreadable
/// and in another unit; the determinations of <see cref="CompiledJurisdiction.Evaluate"/> (the per-thread scratch
/// reused between regimes of every size, on one thread and on several), not only the outcome codes of a fresh scratch;
/// and the real JP, KR and US content on the day before and the day of every dated change, to every destination, with
/// every declared fact of the regime, values in three currencies, quantities and the exporting country given.
/// </summary>
public sealed class EvaluatorAgreementTests
{
    // Few items, so each has hundreds of candidate rules: several words of candidates per item, full words among them.
    private static readonly JurisdictionShape ManyRulesPerItem = new(Items: 14, Sets: 140, Requirements: 300, Scope: 270, Licenses: 130, Reviews: 70, ExtraFacts: 70, SharedChangeDays: true);

    // Many items over several rows, fewer rules per item; sets, licence types and declared facts past 64.
    private static readonly JurisdictionShape ManyItems = new(Items: 200, Sets: 70, Requirements: 200, Scope: 150, Licenses: 80, Reviews: 30, ExtraFacts: 80, SharedChangeDays: true);

    // The exporting countries of the real-content lines: not given, the United States, Japan and Korea (A:1), Singapore, China.
    private static readonly CountryCode?[] Exporters = [null, CountryCode.Parse("US"), CountryCode.Parse("JP"), CountryCode.Parse("KR"), CountryCode.Parse("SG"), CountryCode.Parse("CN")];

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    public void Compute_ManyRulesPerItemOnSharedChangeDays_AgreesWithReference(int seed)
    {
        var seen = new Coverage();
        CompareGenerated(ManyRulesPerItem, seed, 1_500, seen);

        // Not vacuous: every verdict but "no licence" (hundreds of rules take each item: one always applies or may),
        // rules past the fourth word, licence types past the second, facts past 64, and a shipment that read more than
        // a word of candidate rules.
        Assert.Superset(new HashSet<Verdict> { Verdict.LicenseRequired, Verdict.Prohibited, Verdict.Indeterminate }, seen.Verdicts);
        Assert.True(seen.HighestRule >= 256, $"highest rule named {seen.HighestRule}");
        Assert.True(seen.HighestLicence >= 128, $"highest eligible licence type {seen.HighestLicence}");
        Assert.True(seen.HighestMissingFact >= 64, $"highest missing fact {seen.HighestMissingFact}");
        Assert.True(seen.MostRulesRead > 64, $"most rules read for one shipment {seen.MostRulesRead}");
        Assert.True(seen.SubItemWithdrawals > 0);
    }

    [Fact]
    public void Compute_ManyItemsSetsAndFactsOnSharedChangeDays_AgreesWithReference()
    {
        var seen = new Coverage();
        CompareGenerated(ManyItems, 11, 3_000, seen);
        CompareGenerated(ManyItems, 12, 3_000, seen);

        // Every verdict but perhaps "no licence" (eighty facts make most conditions undecided on some of them).
        Assert.Superset(new HashSet<Verdict> { Verdict.LicenseRequired, Verdict.Prohibited, Verdict.Indeterminate }, seen.Verdicts);
        Assert.True(seen.HighestRule >= 128, $"highest rule named {seen.HighestRule}");
        Assert.True(seen.HighestLicence >= 64, $"highest eligible licence type {seen.HighestLicence}");
        Assert.True(seen.HighestMissingFact >= 64, $"highest missing fact {seen.HighestMissingFact}");
        Assert.True(seen.HighestGroup >= 64, $"highest destination group {seen.HighestGroup}");
    }

    [Theory]
    [InlineData(31)]
    [InlineData(32)]
    public void Compute_ListedAndExceptedSelectors_AgreesWithReference(int seed)
    {
        var shape = ManyItems with { ListedSelectors = true };
        var j = RandomJurisdiction.Create(shape, seed);
        var seen = new Coverage();
        CompareGenerated(shape, seed, 3_000, seen);

        // Not vacuous: catch-all scopes, rules that take every listed entry and rules with exceptions, and every verdict
        // but perhaps "no licence".
        Assert.Contains(j.Items, i => i.CatchAll);
        Assert.Contains(j.Requirements, r => r.Items.Listed);
        Assert.Contains(j.Requirements, r => r.Items.Except.Count > 0);
        Assert.Contains(j.Scope, s => s.Items.Except.Count > 0);
        Assert.Superset(new HashSet<Verdict> { Verdict.LicenseRequired, Verdict.Prohibited, Verdict.Indeterminate }, seen.Verdicts);
    }

    [Fact]
    public void Evaluate_RegimesOfEverySizeInterleavedOnOneThread_SameDeterminationsAsReference()
    {
        // A thread of its own: its scratch starts at its first size and must grow and be reused between a regime of
        // 300 requirement rules and regimes of one word, leaving nothing of one determination in the next.
        var lines = MixedLines(perRegime: 400, seed: 20191220);
        Exception? failure = null;
        var thread = new Thread(() =>
        {
            try
            {
                foreach (var (compiled, facts, expected) in lines)
                {
                    AssertSameDetermination(expected, compiled.Evaluate(facts), compiled.Model, facts);
                }
            }
            catch (Exception e)
            {
                failure = e;
            }
        });
        thread.Start();
        thread.Join();

        Assert.Null(failure);
    }

    [Fact]
    public void Evaluate_RegimesOfEverySizeOnFourThreads_SameDeterminationsAsReference()
    {
        var lines = MixedLines(perRegime: 400, seed: 20230721);

        Assert.Empty(DisagreeingOnFourThreads(lines, (compiled, facts, expected) => Describe(expected) == Describe(compiled.Evaluate(facts))));
    }

    [Fact]
    public void EvaluateUntraced_RegimesOfEverySizeOnFourThreads_SameAnswersAsReferenceWithoutTrace()
    {
        // Without the trace every regime answers as the reference does in every other member, and outcomes of one
        // answer share one determination.
        var lines = MixedLines(perRegime: 400, seed: 20261203);
        var failures = DisagreeingOnFourThreads(lines, (compiled, facts, expected) =>
            compiled.EvaluateUntraced(facts) is var actual && !actual.IsTraced && Describe(expected with { Trace = Determination.NotTraced }) == Describe(actual));

        Assert.Empty(failures);
        var us = lines.Where(l => l.Compiled.Model.Id == "US").ToList();
        Assert.True(
            us.Select(l => l.Compiled.EvaluateUntraced(l.Facts)).Distinct(ReferenceEqualityComparer.Instance).Count() < us.Select(l => l.Compiled.Compute(l.Facts).Code).Distinct(new CodeComparer()).Count(),
            "outcomes of one answer share one untraced determination");
    }

    [Fact]
    public void EvaluateUntraced_UsEveryItemAroundTheChanges_ExplanationWrittenAsTheReferenceText()
    {
        // A new answer's explanation is written into a builder without being made a string (the compact JSON form): the
        // text written, before and after the string is read, is the reference determination's, for every item of the EAR
        // on a change day (or the day before) drawn with the seed. Compiled under a version of its own, so that its
        // answers are new here and not those other tests built and read.
        var us = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var j = us.Model;
        var compiled = CompiledJurisdiction.Compile(j, "explanation-written");
        var days = ChangeDays(us);
        var random = new Random(20261204);
        var text = new System.Text.StringBuilder();
        var failures = new List<string>();
        var deferred = 0;
        for (var item = 0; item < j.Items.Count; item++)
        {
            var facts = RealFacts(random, j, item, CountryCode.All[random.Next(CountryCode.Count)], days[random.Next(days.Length)]);
            var actual = compiled.EvaluateUntraced(facts);
            text.Clear().Append("before ");
            deferred += actual.TryWriteExplanation(text) ? 1 : 0;
            var written = text.ToString(7, text.Length - 7);
            var expected = OutcomeText.Build(j, "explanation-reference", ReferenceEvaluator.Compute(j, facts)).Explanation;
            var read = actual.Explanation;
            text.Clear();
            var writtenAfterRead = actual.TryWriteExplanation(text) ? text.ToString() : null;
            if (written != expected || read != expected || writtenAfterRead != expected)
            {
                failures.Add($"{j.Items[item].Code} to {facts.Destination} on {facts.Date}: written '{written}', read '{read}', written after '{writtenAfterRead}', reference '{expected}'");
            }
        }

        Assert.Empty(failures);
        Assert.Equal(j.Items.Count, deferred);
    }

    /// <summary>The lines, each checked four times in a scattered order on four threads, on which <paramref name="agrees"/> fails.</summary>
    private static string[] DisagreeingOnFourThreads(List<(CompiledJurisdiction Compiled, ShipmentFacts Facts, Determination Expected)> lines, Func<CompiledJurisdiction, ShipmentFacts, Determination, bool> agrees)
    {
        var failures = new System.Collections.Concurrent.ConcurrentBag<string>();
        Parallel.For(0, lines.Count * 4, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i =>
        {
            var (compiled, facts, expected) = lines[(i * 7919) % lines.Count];
            if (!agrees(compiled, facts, expected))
            {
                failures.Add($"{compiled.Model.Items[facts.Item].Code} to {facts.Destination} on {facts.Date}");
            }
        });

        return [.. failures];
    }

    /// <summary>Outcome codes compared by value.</summary>
    private sealed class CodeComparer : IEqualityComparer<int[]>
    {
        public bool Equals(int[]? x, int[]? y) => x.AsSpan().SequenceEqual(y);

        public int GetHashCode(int[] code) => code.Aggregate(17, (hash, value) => (hash * 31) + value);
    }

    [Theory]
    [InlineData("JP")]
    [InlineData("KR")]
    public void Compute_AroundEveryChangeToEveryDestinationWithEveryFact_AgreesWithReference(string regime)
    {
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf(regime)];
        var j = compiled.Model;
        var random = new Random(regime == "JP" ? 20190704 : 20190828);
        foreach (var day in ChangeDays(compiled))
        {
            // Three items to every destination: the reference evaluator reads these small regimes fast.
            for (var country = 0; country < 3 * CountryCode.Count; country++)
            {
                var facts = RealFacts(random, j, random.Next(j.Items.Count), CountryCode.All[country % CountryCode.Count], day);
                AssertSameCode(j, facts, ReferenceEvaluator.Compute(j, facts), compiled.Compute(facts));
            }
        }
    }

    [Fact]
    public void Compute_UsAroundEveryChangeWithDeclaredFactsQuantitiesAndExporters_AgreesWithReference()
    {
        // EarDatedAgreementTests covers every ECCN and destination around the changes with no declared fact given;
        // here the declared facts (Entity List, end uses, footnote-5 parties, ...) are given, absent or unreadable.
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var j = compiled.Model;
        var random = new Random(20221007);
        var days = ChangeDays(compiled);
        var destination = 0;
        foreach (var day in days)
        {
            // Sixty destinations a day, in turn: every destination on every third day or so.
            for (var k = 0; k < 60; k++, destination++)
            {
                var facts = RealFacts(random, j, random.Next(j.Items.Count), CountryCode.All[destination % CountryCode.Count], day);
                AssertSameCode(j, facts, ReferenceEvaluator.Compute(j, facts), compiled.Compute(facts));
            }
        }
    }

    /// <summary>The outcome codes of both evaluators on <paramref name="count"/> shipments of a generated regime; what the reference's reached is added to <paramref name="seen"/>.</summary>
    private static void CompareGenerated(JurisdictionShape shape, int seed, int count, Coverage seen)
    {
        var j = RandomJurisdiction.Create(shape, seed);
        var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);
        foreach (var facts in RandomJurisdiction.Shipments(compiled, count, seed + 100))
        {
            var reference = ReferenceEvaluator.Compute(j, facts, RandomJurisdiction.Rates);
            AssertSameCode(j, facts, reference, compiled.Compute(facts));
            seen.Add(reference);
        }
    }

    /// <summary>The day before and the day of every epoch start of a compiled regime after the minimum date.</summary>
    private static LocalDate[] ChangeDays(CompiledJurisdiction compiled) =>
        [.. compiled.EpochStarts.Where(d => d != LocalDate.MinIsoValue).SelectMany(d => new[] { d.PlusDays(-1), d }).Distinct().Order()];

    /// <summary>A line of real content: every fact drawn with the seed, each declared fact of the regime given (of its type, or unreadable) or not.</summary>
    private static ShipmentFacts RealFacts(Random random, Jurisdiction j, int item, CountryCode to, LocalDate date) =>
        new(date, item, to, (EndUse)random.Next(4), random.Next(2) == 0, (EndUserStatus)random.Next(5))
        {
            Value = random.Next(4) switch
            {
                0 => null,
                1 => new Amount(random.Next(0, 12_000), "USD"),
                2 => new Amount(random.Next(0, 2_000_000), "JPY"),
                _ => new Amount(random.Next(0, 20_000_000), "KRW"),
            },
            Quantity = random.Next(3) == 0 ? null : new Amount(random.Next(0, 50), "kg"),
            From = Exporters[random.Next(Exporters.Length)],
            Declared = random.Next(4) == 0 ? null : j.DeclaredFacts.Where(_ => random.Next(3) != 0).ToDictionary(f => f.Id, f => DeclaredText(random, f)),
        };

    private static string DeclaredText(Random random, FactDefinition fact) => fact.Type switch
    {
        FactType.Boolean => random.Next(2) == 0 ? "true" : "false",
        FactType.Enumeration => random.Next(5) == 0 || fact.Values.Count == 0 ? "unlisted" : fact.Values[random.Next(fact.Values.Count)],
        _ => random.Next(5) == 0 ? "unreadable" : $"{random.Next(0, 10_000)} {(random.Next(2) == 0 ? "USD" : "kg")}",
    };

    /// <summary>
    /// Lines of a generated regime of 300 requirement rules, a small generated one and the built-in JP, KR and US, in
    /// turn, each with the determination the reference evaluator's outcome reads as.
    /// </summary>
    private static List<(CompiledJurisdiction Compiled, ShipmentFacts Facts, Determination Expected)> MixedLines(int perRegime, int seed)
    {
        var large = RandomJurisdiction.Create(ManyRulesPerItem, seed);
        var small = RandomJurisdiction.Create(JurisdictionShape.Small, seed + 1);
        var random = new Random(seed);
        var regimes = new List<(CompiledJurisdiction Compiled, ExchangeRates Rates, string Version, ShipmentFacts[] Facts)>
        {
            Generated(small, seed + 2),
            Generated(large, seed + 3),
        };
        foreach (var id in new[] { "JP", "KR", "US" })
        {
            var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf(id)];
            var days = ChangeDays(compiled);
            var facts = Enumerable.Range(0, perRegime)
                .Select(_ => RealFacts(random, compiled.Model, random.Next(compiled.Model.Items.Count), CountryCode.All[random.Next(CountryCode.Count)], days[random.Next(days.Length)]))
                .ToArray();
            regimes.Add((compiled, ExchangeRates.None, Engine.Content.Version, facts));
        }

        var lines = new List<(CompiledJurisdiction, ShipmentFacts, Determination)>();
        for (var i = 0; i < perRegime; i++)
        {
            foreach (var (compiled, rates, version, facts) in regimes)
            {
                var reference = ReferenceEvaluator.Compute(compiled.Model, facts[i], rates);
                lines.Add((compiled, facts[i], OutcomeText.Build(compiled.Model, version, reference)));
            }
        }

        return lines;

        (CompiledJurisdiction, ExchangeRates, string, ShipmentFacts[]) Generated(Jurisdiction j, int shipmentSeed)
        {
            var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);
            return (compiled, RandomJurisdiction.Rates, "generated", RandomJurisdiction.Shipments(compiled, perRegime, shipmentSeed));
        }
    }

    private static void AssertSameCode(Jurisdiction j, in ShipmentFacts facts, Outcome reference, Outcome compiled) =>
        Assert.True(reference.Code.AsSpan().SequenceEqual(compiled.Code),
            $"{j.Items[facts.Item].Code} to {facts.Destination} from {facts.From} on {facts.Date}: reference [{string.Join(',', reference.Code)}], compiled [{string.Join(',', compiled.Code)}]");

    private static void AssertSameDetermination(Determination expected, Determination actual, Jurisdiction j, in ShipmentFacts facts) =>
        Assert.True(Describe(expected) == Describe(actual),
            $"{j.Items[facts.Item].Code} to {facts.Destination} on {facts.Date}:\nreference {Describe(expected)}\ncompiled  {Describe(actual)}");

    /// <summary>Everything a determination says, as text: the verdict, licences and conditions, grounds, missing facts, groups, trace, unconfirmed facts, explanation, warnings.</summary>
    private static string Describe(Determination d) => string.Join(" | ",
        d.Jurisdiction, d.Verdict, string.Join(',', d.EligibleLicenses), string.Join(',', d.LicenseConditions.Select(c => $"{c.Key}={c.Value}")), d.ReviewDays,
        string.Join(',', d.Grounds), string.Join(',', d.MissingFacts), string.Join(',', d.DestinationGroups), d.IsTraced ? string.Join(',', d.Trace) : "not traced",
        string.Join(',', d.Unconfirmed), d.Explanation, d.ContentVersion, string.Join(',', d.Warnings));

    /// <summary>What the reference outcomes of a run reached, to show that a comparison was not vacuous.</summary>
    private sealed class Coverage
    {
        public HashSet<Verdict> Verdicts { get; } = [];

        public int HighestRule { get; private set; } = -1;

        public int HighestLicence { get; private set; } = -1;

        public int HighestMissingFact { get; private set; } = -1;

        public int HighestGroup { get; private set; } = -1;

        public int MostRulesRead { get; private set; }

        public int SubItemWithdrawals { get; private set; }

        public void Add(Outcome o)
        {
            Verdicts.Add(o.Verdict);
            foreach (var section in new[] { Section.Grounds, Section.Maybe, Section.ExcludedByDestination, Section.ExcludedByCondition })
            {
                foreach (var rule in o[section])
                {
                    HighestRule = Math.Max(HighestRule, rule);
                }
            }

            foreach (var licence in o[Section.Eligible])
            {
                HighestLicence = Math.Max(HighestLicence, licence);
            }

            foreach (var code in o[Section.Missing])
            {
                // The index among the regime's declared facts (after the built-in ones).
                HighestMissingFact = Math.Max(HighestMissingFact, MissingCode.Decode(code).Fact - Facts.BuiltIn.Count);
            }

            foreach (var group in o[Section.Groups])
            {
                HighestGroup = Math.Max(HighestGroup, group);
            }

            MostRulesRead = Math.Max(MostRulesRead, o[Section.Grounds].Length + o[Section.Maybe].Length + o[Section.ExcludedByDestination].Length + o[Section.ExcludedByCondition].Length);
            SubItemWithdrawals += o[Section.DenySubItem].Length;
        }
    }
}
