using System.Text;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>
/// A new answer's compact wire form built straight into UTF-8 from pieces (<see cref="CompactForm.Build"/>, what a
/// batch without --trace writes) agrees byte for byte with the form the JSON writer writes from the determination's
/// members (<see cref="ResultJson.ReferenceForm"/>): over the EAR's answers for every item, dated around every change,
/// with the facts drawn with a fixed seed; and over texts that need escaping.
/// </summary>
public sealed class CompactFormAgreementTests
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    private static readonly CountryCode?[] Exporters = [null, CountryCode.Parse("US"), CountryCode.Parse("JP"), CountryCode.Parse("SG"), CountryCode.Parse("CN")];

    [Fact]
    public void Build_UsEveryItemAroundEveryChange_SameBytesAsReferenceForm()
    {
        // Compiled under a version of its own: its answers are new here (explanations not yet read as strings), as a
        // batch's are when their forms are built.
        var j = Evaluator.Jurisdictions[Evaluator.IndexOf("US")].Model;
        var compiled = CompiledJurisdiction.Compile(j, "compact-form-agreement");
        LocalDate[] days = [.. compiled.EpochStarts.Where(d => d != LocalDate.MinIsoValue).SelectMany(d => new[] { d.PlusDays(-1), d }).Distinct().Order()];
        var random = new Random(20261204);
        var failures = new List<string>();
        var answers = new HashSet<Determination>(ReferenceEqualityComparer.Instance);
        // Every item twice, each time on a change day (every day in turn, then one drawn) to a destination drawn.
        for (var n = 0; n < 2 * j.Items.Count; n++)
        {
            var item = n % j.Items.Count;
            var day = n < j.Items.Count ? days[n % days.Length] : days[random.Next(days.Length)];
            var facts = Facts(random, j, item, CountryCode.All[random.Next(CountryCode.All.Count)], day);
            var d = compiled.EvaluateUntraced(facts);
            if (answers.Add(d))
            {
                Compare(d, $"{j.Items[item].Code} to {facts.Destination} on {facts.Date}", failures);
            }
        }

        Assert.Empty(failures);
        // The answers reach every part of the form: list-control grounds (item citations), review policies, licence
        // conditions, missing facts, unconfirmed facts and warnings.
        Assert.Contains(answers, d => d.Grounds.Any(g => g.Kind == RequirementKind.List));
        Assert.Contains(answers, d => d.Grounds.Any(g => g.ReviewPolicy is not null));
        Assert.Contains(answers, d => d.LicenseConditions.Count > 0);
        Assert.Contains(answers, d => d.MissingFacts.Count > 0);
        Assert.Contains(answers, d => d.Unconfirmed.Count > 0);
        Assert.Contains(answers, d => d.Warnings.Count > 0);
        Assert.Contains(answers, d => d.ReviewDays is not null);
        Assert.True(answers.Count > j.Items.Count / 2, $"{answers.Count} answers");
    }

    [Fact]
    public void Build_TextsThatNeedEscaping_SameBytesAsReferenceForm()
    {
        // Quotes, backslashes, control characters, non-ASCII and a character outside the basic plane, in every member
        // the form writes; the explanation given as a string, and long (the builder's chunks).
        const string odd = "a \"quoted\" \\ back\nline\ttab \u0001 é 輸出 😀 <&'>+";
        var citation = new Citation($"cite {odd}", null, true, null);
        var d = new Determination(
            $"X{odd}",
            Verdict.LicenseRequired,
            ["general", $"licence {odd}"],
            new Dictionary<string, string> { ["general"] = $"if {odd}", [$"licence {odd}"] = "plain" },
            42,
            [new Ground(RequirementKind.List, $"list {odd}", "title", citation) { ReviewPolicy = $"policy {odd}" }, new Ground(RequirementKind.CatchAll, "catch", "title", citation)],
            [$"fact {odd}"],
            [$"Group {odd}", "A:5"],
            Determination.NotTraced,
            [$"rule {odd}: note {odd}"],
            string.Concat(Enumerable.Repeat($"explained {odd} ", 600)),
            $"v {odd}")
        {
            Warnings = [$"warning {odd}"],
        };
        var failures = new List<string>();

        Compare(d, "escaped texts", failures);

        Assert.Empty(failures);
    }

    /// <summary>Both forms of <paramref name="d"/> (shared by items and item-less) against the reference's; a difference is added to <paramref name="failures"/>.</summary>
    private static void Compare(Determination d, string what, List<string> failures)
    {
        foreach (var shared in new[] { true, false })
        {
            var expected = ResultJson.ReferenceForm(d, shared);
            var actual = CompactForm.Build(d, shared);
            if (!actual.Head.Span.SequenceEqual(expected.Head.Span) || !actual.Tail.Span.SequenceEqual(expected.Tail.Span)
                || !actual.ItemCitationAt.AsSpan().SequenceEqual(expected.ItemCitationAt) || !actual.Eligible.SequenceEqual(expected.Eligible)
                || !actual.EligibleUtf8.Select(Convert.ToHexString).SequenceEqual(expected.EligibleUtf8.Select(Convert.ToHexString))
                || (actual.GroundItems is null) != (expected.GroundItems is null) || actual.GroundItems?.Count != expected.GroundItems?.Count
                || (actual.GroundItems?.Any(i => i is not null) ?? false))
            {
                failures.Add($"{what} (shared {shared}):\n  {Encoding.UTF8.GetString(actual.Head.Span)} | {Encoding.UTF8.GetString(actual.Tail.Span)} at [{string.Join(",", actual.ItemCitationAt)}]\n  "
                    + $"{Encoding.UTF8.GetString(expected.Head.Span)} | {Encoding.UTF8.GetString(expected.Tail.Span)} at [{string.Join(",", expected.ItemCitationAt)}]");
            }
        }
    }

    /// <summary>A line's facts drawn with the seed: end use, informed, end-user status, value, quantity, exporter, and each declared fact given (of its type, or unreadable) or not.</summary>
    private static ShipmentFacts Facts(Random random, Jurisdiction j, int item, CountryCode to, LocalDate date) =>
        new(date, item, to, (EndUse)random.Next(4), random.Next(2) == 0, (EndUserStatus)random.Next(5))
        {
            Value = random.Next(3) switch
            {
                0 => null,
                1 => new Amount(random.Next(0, 12_000), "USD"),
                _ => new Amount(random.Next(0, 2_000_000), "JPY"),
            },
            Quantity = random.Next(3) == 0 ? null : new Amount(random.Next(0, 50), "kg"),
            From = Exporters[random.Next(Exporters.Length)],
            Declared = random.Next(4) == 0 ? null : j.DeclaredFacts.Where(_ => random.Next(3) != 0).ToDictionary(f => f.Id, f => f.Type switch
            {
                FactType.Boolean => random.Next(2) == 0 ? "true" : "false",
                FactType.Enumeration => random.Next(5) == 0 || f.Values.Count == 0 ? "unlisted" : f.Values[random.Next(f.Values.Count)],
                _ => random.Next(5) == 0 ? "unreadable" : $"{random.Next(0, 10_000)} {(random.Next(2) == 0 ? "USD" : "kg")}",
            }),
        };
}
