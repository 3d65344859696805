using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Tests;

/// <summary>
/// The compiled evaluator against the reference one on the EAR content on the days that matter: the day before and the
/// day of every dated change the content holds (rules and country-group memberships starting or ending), for every
/// ECCN and every destination. Issue 13: "the compiled and reference evaluators agree on generated shipments to every
/// destination on dates around every dated change".
/// </summary>
public sealed class EarDatedAgreementTests
{
    private static readonly Jurisdiction Us = Engine.Content.Find("US")!;

    // The countries the lines leave from, in turn (APR depends on it): not given, the United States, Japan and Korea
    // (Country Group A:1), Singapore (not in A:1).
    private static readonly CountryCode?[] ExportedFrom = [null, CountryCode.Parse("US"), CountryCode.Parse("JP"), CountryCode.Parse("KR"), CountryCode.Parse("SG")];

    /// <summary>The day before and the day of each change from the coverage start to the end of 2026, and the coverage start.</summary>
    private static LocalDate[] ChangeDays()
    {
        var changes = ChangeLog.Between(Us, Us.CoverageFrom, new LocalDate(2026, 12, 31));
        return [.. changes.Select(c => c.Date).Append(Us.CoverageFrom)
            .SelectMany(d => new[] { d.PlusDays(-1), d })
            .Where(d => d >= Us.CoverageFrom)
            .Distinct()
            .Order()];
    }

    [Fact]
    public void ChangeDays_TheEarContent_HoldsTheDatedChangesOfIssue13()
    {
        var days = ChangeDays();

        // Huawei's listing rule, the MEU List, the October 2022 rule, its 2023 revision, December 2024, January 2025 and
        // its compliance date (15 May 2025), the AUKUS rule and Syria's SPP, and the Country Group changes (Russia and
        // Yemen, Sudan, Burma, Cambodia in and out of D:5, Nicaragua, Cyprus): each with the day before it.
        foreach (var day in new[] { "2020-12-23", "2022-10-07", "2023-11-17", "2024-12-02", "2025-01-13", "2025-05-15", "2024-04-19", "2025-09-02",
                     "2020-02-24", "2021-01-14", "2021-03-08", "2021-12-09", "2024-03-15", "2024-05-30", "2026-02-03" })
        {
            var date = LocalDate.FromDateTime(DateTime.Parse(day, System.Globalization.CultureInfo.InvariantCulture));
            Assert.Contains(date, days);
            Assert.Contains(date.PlusDays(-1), days);
        }
    }

    [Fact]
    public void Compute_EveryEccnToEveryDestinationAroundTheChanges_CompiledAgreesWithReference()
    {
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        var days = ChangeDays();
        var random = new Random(20221007);
        var roots = Enumerable.Range(0, Us.Items.Count).Where(i => Us.Items[i].Parent is null).ToArray();

        // Every root ECCN to every destination once, on a change day drawn with the seed: the reference evaluator is slow
        // by design, so the full product of ECCNs, destinations and days (about 14 million) is sampled this way and below.
        foreach (var item in roots)
        {
            for (var country = 0; country < CountryCode.Count; country++)
            {
                AssertAgree(compiled, EarTests.Facts(random, item, CountryCode.All[country], days[random.Next(days.Length)]) with { From = ExportedFrom[(item + country) % ExportedFrom.Length] });
            }
        }

        // Every change day to every destination, with paragraphs as well as ECCNs drawn with the seed.
        foreach (var day in days)
        {
            for (var country = 0; country < CountryCode.Count; country++)
            {
                AssertAgree(compiled, EarTests.Facts(random, random.Next(Us.Items.Count), CountryCode.All[country], day) with { From = ExportedFrom[country % ExportedFrom.Length] });
            }
        }
    }

    private static void AssertAgree(CompiledJurisdiction compiled, ShipmentFacts facts)
    {
        var reference = ReferenceEvaluator.Compute(Us, facts).Code;
        var fast = compiled.Compute(facts).Code;
        Assert.True(reference.AsSpan().SequenceEqual(fast), $"{Us.Items[facts.Item].Code} to {facts.Destination} on {facts.Date}: reference [{string.Join(',', reference)}], compiled [{string.Join(',', fast)}]");
    }
}
