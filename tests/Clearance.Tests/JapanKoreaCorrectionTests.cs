using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

/// <summary>
/// Issue 9 (Japan and Korea corrections) and the content gaps of issue 8: every new or corrected date is checked on the
/// day before and on the day itself, through the compiled evaluator over the built-in content.
/// </summary>
public sealed class JapanKoreaCorrectionTests
{
    private static Determination Check(string item, string to, string date, EndUse endUse = EndUse.Civil, params (string Fact, string Value)[] declared)
    {
        var (facts, jurisdiction) = Engine.Facts(item, to, date, endUse);
        return jurisdiction.Evaluate(declared.Length == 0 ? facts : facts with { Declared = declared.ToDictionary(d => d.Fact, d => d.Value) });
    }

    // 9.1 Côte d'Ivoire left Appended Table 3-2 on 2016-07-29 (cabinet decision 26 Jul 2016; JETRO, 5 Aug 2016).
    [Fact]
    public void Evaluate_CoteDIvoireConventionalEndUse_LicenseRequiredOn20160728()
    {
        var determination = Check("JP:16", "CI", "2016-07-28", EndUse.ConventionalMilitary);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "jp.catch-all.conventional.end-use");
    }

    [Theory]
    [InlineData("2016-07-29")]
    [InlineData("2016-08-01")]
    public void Evaluate_CoteDIvoireConventionalEndUse_NoLicenseFrom20160729(string date)
    {
        var determination = Check("JP:16", "CI", date, EndUse.ConventionalMilitary);

        Assert.Equal(Verdict.NoLicenseRequired, determination.Verdict);
    }

    [Fact]
    public void LoadBuiltIn_CoteDIvoireRemoval_CitedAndConfirmed()
    {
        var member = Assert.Single(Engine.Content.Find("JP")!.Sets.Single(s => s.Id == "table-3-2").Members, m => m.Country.Value == "CI");

        Assert.Equal(new NodaTime.LocalDate(2016, 7, 29), member.Period.To);
        Assert.False(member.Citation.Unconfirmed);
        Assert.Contains("JETRO", member.Citation.Text, StringComparison.Ordinal);
    }

    // 9.2 Korea's situational permit covers conventional weapons from 2020-06-19.
    [Fact]
    public void Evaluate_KoreaConventionalEndUse_NoLicenseOn20200618()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("KR:NS", "CN", "2020-06-18", EndUse.ConventionalMilitary).Verdict);
    }

    [Fact]
    public void Evaluate_KoreaConventionalEndUse_SituationalPermitFrom20200619()
    {
        var determination = Check("KR:NS", "CN", "2020-06-19", EndUse.ConventionalMilitary);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "kr.catch-all.conventional" && g.Citation.Text.Contains("Art. 19(3)", StringComparison.Ordinal));
    }

    // 9.3 The 2019 measure names sub-items; the whole item answers with what holds for every sub-item.
    [Fact]
    public void Evaluate_WholeItemThreeOneToKorea_SpecialGeneralBulkOn20190703()
    {
        var determination = Check("JP:3(1)", "KR", "2019-07-03");

        Assert.Contains("special-general-bulk", determination.EligibleLicenses);
        Assert.DoesNotContain("special-general-bulk", determination.LicenseConditions.Keys);
    }

    [Fact]
    public void Evaluate_WholeItemThreeOneToKorea_SpecialGeneralBulkDependsOnSubItemFrom20190704()
    {
        var determination = Check("JP:3(1)", "KR", "2019-07-04");

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains("individual", determination.EligibleLicenses);
        Assert.DoesNotContain("special-general-bulk", determination.EligibleLicenses);
        Assert.Contains("JP:3(1)/2(1)(i)(he)", determination.LicenseConditions["special-general-bulk"], StringComparison.Ordinal);
        Assert.Contains("JP:3(1)/2(1)(i)(he)", determination.Explanation, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JP:3(1)/2(1)(i)(he)")]
    [InlineData("JP:5(17)/4(xiv)(ro)")]
    public void Evaluate_NamedSubItemToKorea_IndividualOnlyFrom20190704(string item)
    {
        var determination = Check(item, "KR", "2019-07-04");

        Assert.Equal(["individual"], determination.EligibleLicenses);
        Assert.DoesNotContain(determination.LicenseConditions.Values, c => c.StartsWith("depends on the sub-item", StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_HydrogenFluorideToKorea_SpecialGeneralBulkAgainOn20230323()
    {
        Assert.DoesNotContain("special-general-bulk", Check("JP:3(1)/2(1)(i)(he)", "KR", "2023-03-22").EligibleLicenses);
        Assert.Contains("special-general-bulk", Check("JP:3(1)/2(1)(i)(he)", "KR", "2023-03-23").EligibleLicenses);
    }

    // 9.7 The 2023-03-23 relaxation applied from the evening of that day: every withdrawal ending then says so.
    [Fact]
    public void LoadBuiltIn_WithdrawalsEndingOn20230323_NoteTheEveningStart()
    {
        var ending = Engine.Content.Find("JP")!.Scope
            .Where(s => s.Periods.Any(p => p.To == new NodaTime.LocalDate(2023, 3, 23)))
            .ToList();

        Assert.Equal(["jp.kr-2019-07.general-bulk-withdrawn", "jp.kr-2019-07.special-general-bulk-withdrawn", "jp.kr-2019-07.specific-bulk-withdrawn"], ending.Select(s => s.Id).Order(StringComparer.Ordinal));
        Assert.All(ending, s => Assert.Contains("evening of 23 Mar 2023", s.Citation.Note, StringComparison.Ordinal));
    }

    [Fact]
    public void Evaluate_OtherPrecursorOfThreeOne_NotWithdrawnWhenGivenAsTheSubItemsParentIsNot()
    {
        // JP:3(1) stands for every precursor: the withdrawal is named as a condition, not applied to the whole item.
        var determination = Check("JP:3(1)", "KR", "2020-01-10");

        Assert.Contains(determination.Trace, t => t.Effect.StartsWith("withdraws special-general-bulk for sub-items JP:3(1)/2(1)(i)(he)", StringComparison.Ordinal));
        Assert.Contains("specific-bulk", determination.LicenseConditions.Keys);
    }

    // 9.5 Russia and Belarus.
    [Fact]
    public void Evaluate_JapanRowSixToRussia_SpecialGeneralBulkOn20220304()
    {
        Assert.Contains("special-general-bulk", Check("JP:6", "RU", "2022-03-04").EligibleLicenses);
    }

    [Fact]
    public void Evaluate_JapanRowSixToRussia_BulkWithdrawnFrom20220305()
    {
        var determination = Check("JP:6", "RU", "2022-03-05");

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Equal(["individual"], determination.EligibleLicenses);
    }

    [Theory]
    [InlineData("RU")]
    [InlineData("BY")]
    public void Evaluate_JapanRegimeItem_LicenseRequiredOn20220317(string to)
    {
        Assert.Equal(Verdict.LicenseRequired, Check("JP:6", to, "2022-03-17").Verdict);
    }

    [Theory]
    [InlineData("RU", "2022-03-18")]
    [InlineData("BY", "2022-03-18")]
    [InlineData("RU", "2022-06-01")]
    public void Evaluate_JapanRegimeItem_ProhibitedFrom20220318WithHumanitarianException(string to, string date)
    {
        var determination = Check("JP:6", to, date);

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Empty(determination.EligibleLicenses);
        Assert.Contains("humanitarian", determination.LicenseConditions["individual"], StringComparison.Ordinal);
    }

    [Fact]
    public void Evaluate_JapanRowSixteenToRussia_NoLicenseOn20220317()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("JP:16", "RU", "2022-03-17").Verdict);
    }

    [Fact]
    public void Evaluate_JapanRowSixteenToRussia_IndeterminateNamingTheBanListFactFrom20220318()
    {
        var determination = Check("JP:16", "RU", "2022-03-18");

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Contains("jp_russia_belarus_listed_goods", determination.MissingFacts);
    }

    [Theory]
    [InlineData("true", "false", Verdict.Prohibited)]
    [InlineData("false", "true", Verdict.Prohibited)]
    [InlineData("false", "false", Verdict.NoLicenseRequired)]
    public void Evaluate_JapanRowSixteenToBelarus_DecidedByTheBanListAndEntityFacts(string listed, string entity, Verdict expected)
    {
        var determination = Check("JP:16", "BY", "2022-03-18", EndUse.Civil, ("jp_russia_belarus_listed_goods", listed), ("jp_russia_belarus_specified_entity", entity));

        Assert.Equal(expected, determination.Verdict);
    }

    [Fact]
    public void LoadBuiltIn_RussiaBanLists_EachLaterAdditionCitedWithItsDate()
    {
        var japan = Engine.Content.Find("JP")!;
        var rule = japan.Requirements.Single(r => r.Id == "jp.embargo.russia-belarus.listed-goods");
        var fact = japan.DeclaredFacts.Single(f => f.Id == "jp_russia_belarus_listed_goods");

        foreach (var (day, source) in new[] { ("5 Apr 2022", "[S111]"), ("20 May 2022", "[S112]"), ("7 Apr 2023", "[S113]"), ("9 Aug 2023", "[S114]") })
        {
            Assert.Contains(day, rule.Citation.Text, StringComparison.Ordinal);
            Assert.Contains(source, rule.Citation.Text, StringComparison.Ordinal);
            Assert.Contains(day, fact.Description, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evaluate_JapanToRussianSpecifiedEntity_NotBannedOn20220317()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("JP:16", "RU", "2022-03-17", EndUse.Civil, ("jp_russia_belarus_specified_entity", "true")).Verdict);
    }

    [Fact]
    public void Evaluate_JapanToRussia_IndeterminateNamingTheSpecifiedEntityFactFrom20220318()
    {
        var determination = Check("JP:16", "RU", "2022-03-18", EndUse.Civil, ("jp_russia_belarus_listed_goods", "false"));

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Equal(["jp_russia_belarus_specified_entity"], determination.MissingFacts);
    }

    [Theory]
    [InlineData("RU", "2022-02-27")]
    [InlineData("BY", "2022-03-06")]
    public void Evaluate_KoreaStrategicItem_LicenseRequiredTheDayBeforeTheBan(string to, string date)
    {
        Assert.Equal(Verdict.LicenseRequired, Check("KR:3", to, date).Verdict);
    }

    [Theory]
    [InlineData("RU", "2022-02-28")]
    [InlineData("BY", "2022-03-07")]
    public void Evaluate_KoreaStrategicItem_ProhibitedFromTheBan(string to, string date)
    {
        Assert.Equal(Verdict.Prohibited, Check("KR:3", to, date).Verdict);
    }

    [Fact]
    public void Evaluate_KoreaListedNonStrategicToRussia_NoLicenseOn20220325()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("KR:NS", "RU", "2022-03-25", EndUse.Civil, ("kr_russia_belarus_listed_item", "true"), ("kr_russia_belarus_entity_of_concern", "false")).Verdict);
    }

    [Fact]
    public void Evaluate_KoreaToBelarusianEntityOfConcern_NoPermitOn20220306()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("KR:NS", "BY", "2022-03-06", EndUse.Civil, ("kr_russia_belarus_entity_of_concern", "true")).Verdict);
    }

    [Fact]
    public void Evaluate_KoreaToBelarusianEntityOfConcern_PermitFrom20220307()
    {
        var determination = Check("KR:NS", "BY", "2022-03-07", EndUse.Civil, ("kr_russia_belarus_entity_of_concern", "true"));

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "kr.russia-belarus.entities-of-concern");
    }

    [Fact]
    public void Evaluate_KoreaListedNonStrategicToRussia_SituationalPermitFrom20220326()
    {
        var determination = Check("KR:NS", "RU", "2022-03-26", EndUse.Civil, ("kr_russia_belarus_listed_item", "true"));

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "kr.russia-belarus.situational-list");
    }

    [Fact]
    public void Evaluate_KoreaNonStrategicToRussia_IndeterminateNamingTheListFactFrom20220326()
    {
        var determination = Check("KR:NS", "BY", "2022-03-26");

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Contains("kr_russia_belarus_listed_item", determination.MissingFacts);
    }

    [Fact]
    public void Evaluate_KoreaListedNonStrategicToRussia_LicenseRequiredOn20230427()
    {
        Assert.Equal(Verdict.LicenseRequired, Check("KR:NS", "RU", "2023-04-27", EndUse.Civil, ("kr_russia_belarus_listed_item", "true")).Verdict);
    }

    [Fact]
    public void Evaluate_KoreaListedNonStrategicToRussia_BannedInPrincipleFrom20230428()
    {
        var determination = Check("KR:NS", "RU", "2023-04-28", EndUse.Civil, ("kr_russia_belarus_listed_item", "true"));

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Contains("subsidiaries", determination.LicenseConditions["individual"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("2024-02-23", "kr.russia-belarus.situational-list-ban")]
    [InlineData("2024-02-24", "kr.russia-belarus.situational-list-ban-2024")]
    public void Evaluate_KoreaListedNonStrategicToBelarus_ListOf1159From20240224(string date, string rule)
    {
        var determination = Check("KR:NS", "BY", date, EndUse.Civil, ("kr_russia_belarus_listed_item", "true"));

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Equal(rule, Assert.Single(determination.Grounds).Rule);
    }

    [Fact]
    public void Evaluate_DestinationOutsideAFlaggedRule_RuleNotNamedUnconfirmed()
    {
        var determination = Check("KR:NS", "CN", "2024-06-01");

        Assert.DoesNotContain(determination.Unconfirmed, u => u.StartsWith("kr.russia-belarus", StringComparison.Ordinal));
        Assert.Contains(determination.Unconfirmed, u => u.StartsWith("kr.catch-all.wmd:", StringComparison.Ordinal)); // excluded by a fact: still named
    }

    // 9.6 North Korea: prohibited, the humanitarian exception shown as a condition the engine cannot check.
    [Fact]
    public void Evaluate_JapanToNorthKorea_ProhibitedNamingTheHumanitarianException()
    {
        var determination = Check("JP:16", "KP", "2024-01-01");

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Contains("humanitarian", determination.LicenseConditions["export-approval"], StringComparison.Ordinal);
        Assert.Contains("humanitarian", determination.Explanation, StringComparison.Ordinal);
    }

    // Issue 8: a destination the Korean content does not cover is never a silent pass.
    [Theory]
    [InlineData("KR:NS")]
    [InlineData("KR:3")]
    public void Evaluate_KoreaToNorthKorea_ProhibitedWithTheInterKoreanApprovalException(string item)
    {
        var determination = Check(item, "KP", "2024-01-01");

        Assert.Equal(Verdict.Prohibited, determination.Verdict);
        Assert.Contains("Art. 13", determination.Grounds.Single(g => g.Rule == "kr.embargo.north-korea").Citation.Text, StringComparison.Ordinal);
        Assert.Contains("Art. 13(1)", determination.LicenseConditions["inter-korean-approval"], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("KR:NS", "IR")]
    [InlineData("KR:3", "IR")]
    [InlineData("KR:NS", "SY")]
    [InlineData("KR:NS", "PK")]
    public void Evaluate_KoreaToUncoveredDestination_IndeterminateNamingTheGap(string item, string to)
    {
        var determination = Check(item, to, "2024-01-01");

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Contains(determination.MissingFacts, m => m.StartsWith("content:", StringComparison.Ordinal) && m.Contains("kr.gap.iran-syria-pakistan", StringComparison.Ordinal));
        Assert.Empty(determination.EligibleLicenses);
    }

    [Fact]
    public void Evaluate_KoreaStrategicItemToUncoveredDestination_SaysALicenceIsRequiredInAnyCase()
    {
        var determination = Check("KR:3", "IR", "2024-01-01");

        Assert.Contains(determination.Grounds, g => g.Kind == RequirementKind.List);
        Assert.Contains("A licence is required in any case", determination.Explanation, StringComparison.Ordinal);
    }

    // 9.7 Groups A-D exist from 2019-08-02; before that, white countries and the rest.
    [Theory]
    [InlineData("KR", "2019-08-01", "White country (Appended Table 3)")]
    [InlineData("KR", "2019-08-02", "Group A (Appended Table 3)")]
    [InlineData("CN", "2019-08-01", "Other destination (not a white country)")]
    [InlineData("CN", "2019-08-02", "Group C")]
    [InlineData("IR", "2019-08-01", "Other destination (not a white country)")]
    [InlineData("IR", "2019-08-02", "Group D")]
    public void Evaluate_DestinationGroups_GroupsOnlyFrom20190802(string to, string date, string group)
    {
        Assert.Equal([group], Check("JP:8", to, date).DestinationGroups);
    }

    [Fact]
    public void Evaluate_SpecialGeneralBulkBeforeTheGroups_StillExcludesTableThreeTwoAndFour()
    {
        Assert.DoesNotContain("special-general-bulk", Check("JP:8", "IR", "2019-08-01").EligibleLicenses);
        Assert.Contains("special-general-bulk", Check("JP:8", "CN", "2019-08-01").EligibleLicenses);
    }

    // 9.7 South Sudan's 2019-04-12 date is kept flagged: the flag must reach the answers that rest on it, on both sides
    // of the date (before it South Sudan is out of Appended Table 3-2 only if the date is right).
    [Theory]
    [InlineData("2019-04-11", Verdict.NoLicenseRequired)]
    [InlineData("2019-04-12", Verdict.LicenseRequired)]
    public void Evaluate_SouthSudanConventionalEndUse_NamesTheSuspectDate(string date, Verdict expected)
    {
        var determination = Check("JP:16", "SS", date, EndUse.ConventionalMilitary);

        Assert.Equal(expected, determination.Verdict);
        var flag = Assert.Single(determination.Unconfirmed, u => u.StartsWith("SS table-3-2: ", StringComparison.Ordinal));
        Assert.Contains("suspect date", flag, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("JP:8", "EE", "2019-08-01", null)] // Group B does not exist yet
    [InlineData("JP:8", "EE", "2019-08-02", "EE group-b: ")]
    [InlineData("JP:8", "FR", "2019-08-02", null)] // a confirmed member
    [InlineData("KR:3", "TR", "2019-09-18", "TR ga-1: ")]
    [InlineData("KR:3", "TR", "2023-04-24", "TR ga: ")]
    public void Evaluate_DestinationOfAnUnconfirmedMembership_NamesItWhileInForce(string item, string to, string date, string? expected)
    {
        var memberships = Check(item, to, date).Unconfirmed.Where(u => u.StartsWith($"{to} ", StringComparison.Ordinal)).ToList();

        if (expected is null)
        {
            Assert.Empty(memberships);
        }
        else
        {
            Assert.StartsWith(expected, Assert.Single(memberships), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Evaluate_EndUserKnownToDoWmdWork_LicenseRequired()
    {
        var determination = Check("JP:16", "CN", "2024-01-01", EndUse.Civil, ("end_user_wmd_activity", "true"));

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "jp.catch-all.wmd.end-user-known" && g.Kind == RequirementKind.EndUser);
    }

    [Fact]
    public void Evaluate_EndUserListed_GroundNamesTheClearlyNotForWmdException()
    {
        var (facts, jurisdiction) = Engine.Facts("JP:16", "CN", "2024-01-01", endUser: EndUserStatus.Listed);

        var ground = Assert.Single(jurisdiction.Evaluate(facts).Grounds, g => g.Rule == "jp.catch-all.wmd.end-user");

        Assert.Contains("unless it is clear", ground.Title, StringComparison.Ordinal);
    }

    // 9.9 The 2025-10-09 reform: row 16 split into 16(1) and 16(2).
    [Fact]
    public void Evaluate_SpecifiedItemConventionalEndUseToGeneralDestination_NoLicenseOn20251008()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("JP:16(1)", "CN", "2025-10-08", EndUse.ConventionalMilitary).Verdict);
    }

    [Fact]
    public void Evaluate_SpecifiedItemConventionalEndUseToGeneralDestination_LicenseRequiredFrom20251009()
    {
        var determination = Check("JP:16(1)", "CN", "2025-10-09", EndUse.ConventionalMilitary);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Contains(determination.Grounds, g => g.Rule == "jp.catch-all.conventional.specified-items-2025");
    }

    [Fact]
    public void Evaluate_OtherRowSixteenGoodsConventionalEndUse_NoLicenseFrom20251009()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("JP:16(2)", "CN", "2025-10-09", EndUse.ConventionalMilitary).Verdict);
    }

    [Fact]
    public void Evaluate_WholeRowSixteenConventionalEndUse_IndeterminateNamingTheItemFrom20251009()
    {
        Assert.Equal(Verdict.NoLicenseRequired, Check("JP:16", "CN", "2025-10-08", EndUse.ConventionalMilitary).Verdict);

        var determination = Check("JP:16", "CN", "2025-10-09", EndUse.ConventionalMilitary);

        Assert.Equal(Verdict.Indeterminate, determination.Verdict);
        Assert.Contains(determination.MissingFacts, m => m.StartsWith("item:", StringComparison.Ordinal));
    }

    // The other rules of the 9 Oct 2025 reform, each on the day before and the day itself. A listed end user already
    // needs a licence under the WMD end-user requirement outside Appended Table 3, so these tests look at the grounds.
    [Theory]
    [InlineData("JP:16", "AF", "2025-10-08", "jp.catch-all.conventional.end-user-2025", false)] // Appended Table 3-2
    [InlineData("JP:16", "AF", "2025-10-09", "jp.catch-all.conventional.end-user-2025", true)]
    [InlineData("JP:16(1)", "CN", "2025-10-08", "jp.catch-all.conventional.specified-items.end-user-2025", false)] // specified items elsewhere
    [InlineData("JP:16(1)", "CN", "2025-10-09", "jp.catch-all.conventional.specified-items.end-user-2025", true)]
    public void Evaluate_ListedEndUser_ConventionalEndUserGroundFrom20251009(string item, string to, string date, string rule, bool expected)
    {
        var (facts, jurisdiction) = Engine.Facts(item, to, date, endUser: EndUserStatus.Listed);

        var determination = jurisdiction.Evaluate(facts);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Equal(expected, determination.Grounds.Any(g => g.Rule == rule));
    }

    [Fact]
    public void Evaluate_OtherRowSixteenGoodsToListedEndUserInGeneralDestination_NoConventionalEndUserGroundFrom20251009()
    {
        var (facts, jurisdiction) = Engine.Facts("JP:16(2)", "CN", "2025-10-09", endUser: EndUserStatus.Listed);

        var determination = jurisdiction.Evaluate(facts);

        Assert.DoesNotContain(determination.Grounds, g => g.Rule == "jp.catch-all.conventional.specified-items.end-user-2025");
        Assert.Contains(determination.Grounds, g => g.Rule == "jp.catch-all.wmd.end-user");
    }

    [Fact]
    public void Evaluate_InformedExporterToGroupA_NoLicenseOn20251008()
    {
        var (facts, jurisdiction) = Engine.Facts("JP:16", "US", "2025-10-08", informed: true);

        Assert.Equal(Verdict.NoLicenseRequired, jurisdiction.Evaluate(facts).Verdict);
    }

    [Fact]
    public void Evaluate_InformedExporterToGroupA_LicenseRequiredFrom20251009()
    {
        var (facts, jurisdiction) = Engine.Facts("JP:16", "US", "2025-10-09", informed: true);

        var determination = jurisdiction.Evaluate(facts);

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
        Assert.Equal("jp.catch-all.inform.group-a-2025", Assert.Single(determination.Grounds).Rule);
    }

    // Issue 8: a result past the content's last review carries a warning.
    [Fact]
    public void Evaluate_OnTheReviewDate_NoWarning()
    {
        Assert.Empty(Check("JP:8", "CN", "2026-12-01").Warnings);
        Assert.Empty(Check("KR:3", "CN", "2026-12-01").Warnings);
    }

    [Theory]
    [InlineData("JP:8", "2026-12-02")]
    [InlineData("KR:3", "2030-01-01")]
    [InlineData("JP:16", "2030-01-01")]
    public void Evaluate_AfterTheReviewDate_WarningNamesTheReview(string item, string date)
    {
        var warning = Assert.Single(Check(item, "CN", date).Warnings);

        Assert.Contains("last review on 2026-12-01", warning, StringComparison.Ordinal);
    }

    [Fact]
    public void Combine_Warnings_PrefixedByRegime()
    {
        var japan = Check("JP:8", "CN", "2030-01-01");
        var korea = Check("KR:3", "CN", "2024-01-01");

        var combined = Determination.Combine([japan, korea]);

        Assert.Equal(["JP: " + japan.Warnings[0]], combined.Warnings);
    }
}
