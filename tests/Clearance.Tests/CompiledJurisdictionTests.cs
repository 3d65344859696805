using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

public sealed class CompiledJurisdictionTests
{
    [Theory]
    [InlineData("JP:3(1)")]
    [InlineData("JP:5(17)")]
    [InlineData("JP:7(19)")]
    public void Evaluate_ThreeItemsToKorea_BulkWithdrawnFrom20190704(string item)
    {
        var before = Engine.Check(item, "KR", "2019-07-03");
        var after = Engine.Check(item, "KR", "2019-07-04");

        Assert.Equal(Verdict.LicenseRequired, before.Verdict);
        Assert.Contains("general-bulk", before.EligibleLicenses);
        Assert.Contains("special-general-bulk", before.EligibleLicenses);
        Assert.Equal(Verdict.LicenseRequired, after.Verdict);
        Assert.Equal(["individual"], after.EligibleLicenses);
        Assert.Equal(90, after.ReviewDays);
        Assert.Contains(after.Grounds, g => g.Kind == RequirementKind.List && g.Rule == "jp.list-control");
        Assert.Contains(after.Trace, t => t.Rule == "jp.kr-2019-07.general-bulk-withdrawn");
    }

    [Fact]
    public void Compile_NoLineNeedsTheRegime_BuildsItsTablesOnlyWhenALineDoes()
    {
        var evaluator = new Evaluator(Engine.Content);
        var us = evaluator.Jurisdictions[evaluator.IndexOf("US")];
        var exporters = new int[evaluator.Jurisdictions.Count];
        var date = new NodaTime.LocalDate(2024, 6, 3);

        // Choosing the regimes of a Japanese export and determining it leave the EAR's tables unbuilt.
        var japan = evaluator.Jurisdictions[evaluator.IndexOf("JP")];
        var governing = evaluator.Governing(CountryCode.Parse("JP"), date, [], exporters);
        Assert.True(japan.TryFindItem("3(1)", out var item));
        var japanese = japan.Evaluate(new ShipmentFacts(date, item, CountryCode.Parse("CN"), EndUse.Civil, false, EndUserStatus.Clear));
        Assert.Equal([evaluator.IndexOf("JP")], exporters[..governing]);
        Assert.Equal(Verdict.LicenseRequired, japanese.Verdict);
        Assert.False(us.IsBuilt);
        Assert.Equal(1, evaluator.Governing(CountryCode.Parse("US"), date, [], exporters));
        Assert.False(us.IsBuilt);

        // A US line builds them, and the answer is the one of tables built at once (the shared evaluator's).
        Assert.True(us.TryFindItem("3A001", out var eccn));
        var facts = new ShipmentFacts(date, eccn, CountryCode.Parse("CN"), EndUse.Civil, false, EndUserStatus.Clear);
        Assert.True(us.IsBuilt);
        Assert.Equal(Engine.Evaluator.Jurisdictions[evaluator.IndexOf("US")].Compute(facts).Code, us.Compute(facts).Code);
    }

    [Fact]
    public void Evaluate_OtherListedItemToKorea_KeepsGeneralBulkUntil20190828()
    {
        Assert.Contains("general-bulk", Engine.Check("JP:8", "KR", "2019-07-04").EligibleLicenses);
        Assert.Contains("general-bulk", Engine.Check("JP:8", "KR", "2019-08-27").EligibleLicenses);
        Assert.DoesNotContain("general-bulk", Engine.Check("JP:8", "KR", "2019-08-28").EligibleLicenses);
        Assert.Contains("special-general-bulk", Engine.Check("JP:8", "KR", "2019-08-28").EligibleLicenses);
    }

    [Fact]
    public void Evaluate_KoreaGroups_AUntil20190827_BFrom20190828_AFrom20230721()
    {
        Assert.Equal(["Group A (Appended Table 3)"], Engine.Check("JP:8", "KR", "2019-08-27").DestinationGroups);
        Assert.Equal(["Group B"], Engine.Check("JP:8", "KR", "2019-08-28").DestinationGroups);
        Assert.Equal(["Group B"], Engine.Check("JP:8", "KR", "2023-07-20").DestinationGroups);
        Assert.Equal(["Group A (Appended Table 3)"], Engine.Check("JP:8", "KR", "2023-07-21").DestinationGroups);
        Assert.DoesNotContain("general-bulk", Engine.Check("JP:8", "KR", "2023-07-20").EligibleLicenses);
        Assert.Contains("general-bulk", Engine.Check("JP:8", "KR", "2023-07-21").EligibleLicenses);
    }

    [Fact]
    public void Evaluate_CatchAllToKorea_AppliesFrom20190828UntilReturn()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Engine.Check("JP:16", "KR", "2019-08-27", EndUse.Wmd).Verdict);
        Assert.Equal(Verdict.LicenseRequired, Engine.Check("JP:16", "KR", "2019-08-28", EndUse.Wmd).Verdict);
        Assert.Equal(Verdict.LicenseRequired, Engine.Check("JP:16", "KR", "2023-07-20", EndUse.Wmd).Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, Engine.Check("JP:16", "KR", "2023-07-21", EndUse.Wmd).Verdict);
    }

    [Fact]
    public void Evaluate_ResistToKorea_SpecificBulkFrom20191220_ForQualifyingPairs()
    {
        var before = Engine.Check("JP:7(19)", "KR", "2019-12-19");
        var after = Engine.Check("JP:7(19)", "KR", "2019-12-20");

        Assert.Equal(["individual"], before.EligibleLicenses);
        Assert.Equal(["individual", "specific-bulk"], after.EligibleLicenses);
        Assert.Contains("track record", after.LicenseConditions["specific-bulk"], StringComparison.Ordinal);
        Assert.Equal(["individual"], Engine.Check("JP:3(1)", "KR", "2019-12-20").EligibleLicenses);
        Assert.Equal(["individual"], Engine.Check("JP:5(17)", "KR", "2019-12-20").EligibleLicenses);
    }

    [Theory]
    [InlineData("JP:3(1)")]
    [InlineData("JP:5(17)")]
    [InlineData("JP:7(19)")]
    public void Evaluate_ThreeItemsToKorea_SpecialGeneralBulkBackFrom20230323(string item)
    {
        Assert.DoesNotContain("special-general-bulk", Engine.Check(item, "KR", "2023-03-22").EligibleLicenses);
        Assert.Contains("special-general-bulk", Engine.Check(item, "KR", "2023-03-23").EligibleLicenses);
        Assert.DoesNotContain("general-bulk", Engine.Check(item, "KR", "2023-03-23").EligibleLicenses);
        Assert.Contains("general-bulk", Engine.Check(item, "KR", "2023-07-21").EligibleLicenses);
    }

    [Fact]
    public void Evaluate_NorthKorea_ProhibitedFrom20090618WhateverTheItem()
    {
        var determination = Engine.Check("JP:16", "KP", "2019-07-04");

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Empty(determination.EligibleLicenses);
        Assert.Null(determination.ReviewDays);
        Assert.Contains(determination.Grounds, g => g.Kind == RequirementKind.Embargo);
        Assert.Equal(Verdict.Prohibited, Engine.Check("JP:3(1)", "KP", "2026-11-27").Verdict);
    }

    [Fact]
    public void Evaluate_ConventionalCatchAll_EritreaUntil20181218_SouthSudanFrom20190412()
    {
        Assert.Equal(Verdict.LicenseRequired, Engine.Check("JP:16", "ER", "2018-12-18", EndUse.ConventionalMilitary).Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, Engine.Check("JP:16", "ER", "2018-12-19", EndUse.ConventionalMilitary).Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, Engine.Check("JP:16", "SS", "2019-04-11", EndUse.ConventionalMilitary).Verdict);
        Assert.Equal(Verdict.LicenseRequired, Engine.Check("JP:16", "SS", "2019-04-12", EndUse.ConventionalMilitary).Verdict);
    }

    [Theory]
    [InlineData("US", EndUse.Wmd, false, EndUserStatus.Listed, Verdict.NoLicenseRequired)] // Group A: no catch-all
    [InlineData("US", EndUse.Unknown, false, EndUserStatus.NotGiven, Verdict.NoLicenseRequired)]
    [InlineData("KR", EndUse.Wmd, false, EndUserStatus.Clear, Verdict.LicenseRequired)] // Group B (2020): WMD objective
    [InlineData("KR", EndUse.ConventionalMilitary, false, EndUserStatus.Clear, Verdict.NoLicenseRequired)] // conventional: inform only
    [InlineData("KR", EndUse.ConventionalMilitary, true, EndUserStatus.Clear, Verdict.LicenseRequired)]
    [InlineData("CN", EndUse.Civil, false, EndUserStatus.Listed, Verdict.LicenseRequired)] // Group C: end-user list
    [InlineData("CN", EndUse.Civil, false, EndUserStatus.Clear, Verdict.NoLicenseRequired)]
    [InlineData("CN", EndUse.Unknown, false, EndUserStatus.Clear, Verdict.Indeterminate)]
    [InlineData("CN", EndUse.Civil, false, EndUserStatus.NotScreened, Verdict.Indeterminate)]
    [InlineData("IQ", EndUse.ConventionalMilitary, false, EndUserStatus.Clear, Verdict.LicenseRequired)] // Group D, Table 3-2
    [InlineData("IR", EndUse.ConventionalMilitary, false, EndUserStatus.Clear, Verdict.NoLicenseRequired)] // Group D, Table 4 only
    public void Evaluate_CatchAllPerGroup(string to, EndUse endUse, bool informed, EndUserStatus endUser, Verdict expected)
    {
        Assert.Equal(expected, Engine.Check("JP:16", to, "2020-06-01", endUse, informed, endUser).Verdict);
    }

    [Fact]
    public void Evaluate_Indeterminate_NamesMissingFact()
    {
        var noEndUse = Engine.Check("JP:16", "CN", "2020-06-01", EndUse.Unknown);
        var noEndUser = Engine.Check("JP:16", "CN", "2020-06-01", EndUse.Civil, endUser: EndUserStatus.NotGiven);

        Assert.Equal(["end_use"], noEndUse.MissingFacts);
        Assert.Equal(["end_user"], noEndUser.MissingFacts);
        Assert.Empty(noEndUse.EligibleLicenses);
    }

    [Fact]
    public void Evaluate_EndUserListed_GroundOfKindEndUser()
    {
        var determination = Engine.Check("JP:16", "CN", "2024-01-01", EndUse.Civil, endUser: EndUserStatus.Listed);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Kind == RequirementKind.EndUser);
        Assert.Equal(["individual"], determination.EligibleLicenses);
    }

    [Fact]
    public void Evaluate_RowOnlyItem_BulkDependsOnTheSubItem()
    {
        var determination = Engine.Check("JP:3", "KR", "2020-01-10");

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.DoesNotContain("special-general-bulk", determination.EligibleLicenses);
        Assert.Contains("JP:3(1)/2(1)(i)(he)", determination.LicenseConditions["special-general-bulk"], StringComparison.Ordinal);
        Assert.Contains(determination.Trace, t => t.Effect.StartsWith("withdraws special-general-bulk for sub-items JP:3(1)/2(1)(i)(he)", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_BeforeCoverage_Indeterminate()
    {
        var determination = Engine.Check("JP:8", "KR", "2010-01-01");

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Contains(determination.MissingFacts, f => f.StartsWith("date", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_KoreaToJapan_Review5Until20190917_15From20190918_5From20230424()
    {
        Assert.Equal(5, Engine.Check("KR:3C002", "JP", "2019-09-17").ReviewDays);
        Assert.Equal(15, Engine.Check("KR:3C002", "JP", "2019-09-18").ReviewDays);
        Assert.Equal(15, Engine.Check("KR:3C002", "JP", "2023-04-23").ReviewDays);
        Assert.Equal(5, Engine.Check("KR:3C002", "JP", "2023-04-24").ReviewDays);
        Assert.Equal(["Ga-2 (가의2)"], Engine.Check("KR:3C002", "JP", "2019-09-18").DestinationGroups);
    }

    [Fact]
    public void Evaluate_KoreaToJapan_BulkOnlyByExceptionDuringGa2()
    {
        Assert.DoesNotContain("bulk", Engine.Check("KR:3C002", "JP", "2019-09-17").LicenseConditions.Keys);
        Assert.Contains("bulk", Engine.Check("KR:3C002", "JP", "2019-09-18").LicenseConditions.Keys);
        Assert.Contains("bulk", Engine.Check("KR:3C002", "JP", "2023-04-24").EligibleLicenses);
        Assert.DoesNotContain("bulk", Engine.Check("KR:3C002", "JP", "2023-04-24").LicenseConditions.Keys);
    }

    [Fact]
    public void Evaluate_SameOutcome_SharesOneDetermination()
    {
        Assert.Same(Engine.Check("JP:3(1)", "KR", "2019-09-05"), Engine.Check("JP:3(1)", "KR", "2020-01-05"));
    }

    [Fact]
    public void Compute_AgreesWithReferenceEvaluator_OnGeneratedShipments()
    {
        var random = new Random(4072019);
        var countries = CountryCode.All;
        var start = new NodaTime.LocalDate(2013, 1, 1);
        foreach (var compiled in Engine.Evaluator.Jurisdictions.Where(j => j.Model.Items.Count > 0))
        {
            var j = compiled.Model;
            var edgeDays = compiled.EpochStarts.Where(d => d.Year > 2000).SelectMany(d => new[] { d, d.PlusDays(-1) }).ToArray();
            for (var i = 0; i < 20_000; i++)
            {
                var date = i % 2 == 0 ? edgeDays[random.Next(edgeDays.Length)] : start.PlusDays(random.Next(0, 5500));
                var facts = new ShipmentFacts(
                    date,
                    random.Next(j.Items.Count),
                    i % 3 == 0 ? CountryCode.Parse(new[] { "KR", "JP", "KP", "CN", "US", "IQ", "ER", "SS", "EE" }[random.Next(9)]) : countries[random.Next(countries.Count)],
                    (EndUse)random.Next(4),
                    random.Next(2) == 0,
                    (EndUserStatus)random.Next(5));
                Assert.Equal(ReferenceEvaluator.Compute(j, facts).Code, compiled.Compute(facts).Code);
            }
        }
    }
}

public sealed class GoverningRegimesTests
{
    private static string[] Governing(string from, string date, params string[] classifiedUnder)
    {
        var evaluator = Engine.Evaluator;
        int[] classified = [.. classifiedUnder.Select(id => evaluator.IndexOf(id))];
        Span<int> regimes = stackalloc int[evaluator.Jurisdictions.Count];
        var count = evaluator.Governing(CountryCode.Parse(from), NodaTime.Text.LocalDatePattern.Iso.Parse(date).Value, classified, regimes);
        return [.. regimes[..count].ToArray().Select(i => evaluator.Jurisdictions[i].Model.Id)];
    }

    [Fact]
    public void Governing_JapaneseExportOfUsItem_JapanAndTheEar()
    {
        Assert.Equal(["JP", "US"], Governing("JP", "2020-01-01", "JP", "US"));
        Assert.Equal(["JP", "US"], Governing("JP", "2020-01-01", "US")); // Japan's law governs without a JP classification
        Assert.Equal(["JP"], Governing("JP", "2020-01-01", "JP"));
        Assert.Equal(["KR", "US"], Governing("KR", "2020-01-01", "KR", "US"));
    }

    [Fact]
    public void Evaluate_RegimeWithoutRules_IndeterminateNamingTheMissingContent()
    {
        const string Incomplete = """
            jurisdiction:
              id: XI
              name: A regime not yet authored
              law: test law
              coverage_from: 2019-01-01
              reach: classified-items
              incomplete: "the XI rules are not yet in the content"
              code_pattern: "[0-9][A-E][0-9]{3}(\\.[a-z0-9]+)*|EAR99"
              cite: "test law"
            """;
        var content = Clearance.Content.ContentLoader.Load([("xi.yaml", Incomplete)]);
        var regime = CompiledJurisdiction.Compile(content.Jurisdictions[0], content.Version);
        var determination = regime.Evaluate(new ShipmentFacts(new NodaTime.LocalDate(2020, 1, 1), ShipmentFacts.NoItem, CountryCode.Parse("CN"), EndUse.Civil, false, EndUserStatus.Clear));

        Assert.True(regime.RecognisesCode("3B993"));
        Assert.True(regime.RecognisesCode("EAR99"));
        Assert.False(regime.RecognisesCode("3B99"));
        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.StartsWith("content: the XI rules", Assert.Single(determination.MissingFacts), StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_GoverningRegimeWithoutItsClassification_IndeterminateNamingIt()
    {
        var japan = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("JP")];
        var determination = japan.Evaluate(new ShipmentFacts(new NodaTime.LocalDate(2020, 1, 1), ShipmentFacts.NoItem, CountryCode.Parse("CN"), EndUse.Civil, false, EndUserStatus.Clear));

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.StartsWith("item: a JP classification", Assert.Single(determination.MissingFacts), StringComparison.Ordinal);
    }

    [Fact]
    public void EpochKeys_EveryJurisdiction_AsChangeDates()
    {
        // The epochs' first days compiled over int keys are the reference's: the change dates, the earliest date and
        // the coverage's start, distinct and ascending, for every jurisdiction of the built-in content (and its view as
        // known on an early date, whose rules end sooner).
        foreach (var content in new[] { Engine.Content, Engine.Content.AsKnownOn(new NodaTime.LocalDate(2019, 7, 1)) })
        {
            Assert.NotEmpty(content.Jurisdictions);
            foreach (var j in content.Jurisdictions)
            {
                NodaTime.LocalDate[] expected = [.. j.ChangeDates().Append(NodaTime.LocalDate.MinIsoValue).Append(j.CoverageFrom).Distinct().Order()];
                var compiled = new CompiledRules(j, content.Version, ExchangeRates.None);
                Assert.Equal(expected, compiled.EpochStarts);
            }
        }
    }
}
