using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

/// <summary>
/// The EAR's Country Groups on each date since 2019 (15 CFR Part 740, Supplement No. 1, dated by the generator from
/// CountryGroupDates.cs), the semiconductor-equipment controls of 88 FR 73424, and License Exception APR (740.16), whose
/// availability depends on the country a re-export is made from: every case through both evaluators.
/// </summary>
public sealed class EarCountryGroupTests
{
    private static readonly Jurisdiction Us = Engine.Content.Find("US")!;

    // The restricted-party facts stated clear: these cases are about the groups and the control list.
    private static readonly Dictionary<string, string> ClearParties = new(StringComparer.Ordinal)
    {
        ["us_entity_list"] = "false", ["us_denied_person"] = "false", ["us_military_end_user_list"] = "false", ["us_unverified_list"] = "false",
    };

    private static Determination CheckBoth(string item, string to, string date, string? from = null)
    {
        var (facts, jurisdiction) = Engine.Facts(item, to, date);
        facts = facts with { Declared = ClearParties, From = from is null ? null : CountryCode.Parse(from) };
        Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, jurisdiction.Compute(facts).Code);
        return jurisdiction.Evaluate(facts);
    }

    private static bool InGroup(Determination d, string group) =>
        d.DestinationGroups.Any(g => g.StartsWith($"Country Group {group} ", StringComparison.Ordinal) || g == $"Country Group {group}");

    /// <summary>
    /// Each membership a rule since 2019 changed, on the day before and the day of its effective date: 85 FR 10274
    /// (24 Feb 2020: Russia out of A:2/A:4, into D:2/D:4; Yemen out of B, into D:1), 85 FR 83765 (23 Dec 2020: Hong Kong
    /// takes China's groups), 86 FR 4929 (14 Jan 2021: Sudan out of E:1, into B), 86 FR 13173 (8 Mar 2021: Burma into
    /// D:1, out of B), 86 FR 14802 (18 Mar 2021: Russia on the State Department's arms-embargo list, which the note to
    /// D:5 makes controlling; flagged), 86 FR 70015 (9 Dec 2021: Cambodia into D:5), 89 FR 18780 (15 Mar 2024: Nicaragua out of B, into
    /// D:1 and D:5), 89 FR 40369 (30 May 2024: Cyprus out of D:5), RIN 0694-AK41 (3 Feb 2026: Cambodia out of D:5).
    /// </summary>
    [Theory]
    [InlineData("RU", "A:2", "2020-02-24", true)]
    [InlineData("RU", "A:4", "2020-02-24", true)]
    [InlineData("RU", "D:2", "2020-02-24", false)]
    [InlineData("RU", "D:4", "2020-02-24", false)]
    [InlineData("YE", "B", "2020-02-24", true)]
    [InlineData("YE", "D:1", "2020-02-24", false)]
    [InlineData("HK", "D:1", "2020-12-23", false)]
    [InlineData("HK", "D:5", "2020-12-23", false)]
    [InlineData("SD", "E:1", "2021-01-14", true)]
    [InlineData("SD", "B", "2021-01-14", false)]
    [InlineData("MM", "D:1", "2021-03-08", false)]
    [InlineData("MM", "B", "2021-03-08", true)]
    [InlineData("RU", "D:5", "2021-03-18", false)]
    [InlineData("KH", "D:5", "2021-12-09", false)]
    [InlineData("NI", "B", "2024-03-15", true)]
    [InlineData("NI", "D:1", "2024-03-15", false)]
    [InlineData("NI", "D:5", "2024-03-15", false)]
    [InlineData("CY", "D:5", "2024-05-30", true)]
    [InlineData("KH", "D:5", "2026-02-03", true)]
    public void Check_CountryGroupChange_MemberUntilTheDayBeforeAndNotOnTheDay(string country, string group, string effective, bool memberBefore)
    {
        var day = NodaTime.Text.LocalDatePattern.Iso.Parse(effective).Value;
        var before = CheckBoth("US:EAR99", country, day.PlusDays(-1).ToString("uuuu-MM-dd", null));
        var on = CheckBoth("US:EAR99", country, effective);

        Assert.Equal(memberBefore, InGroup(before, group));
        Assert.Equal(!memberBefore, InGroup(on, group));
    }

    /// <summary>
    /// Hong Kong before 85 FR 83765 (effective 23 Dec 2020) on its own Country Chart row, as far as the content holds it:
    /// NS2 (an X since 23 Dec 2014), NS1, MT1, RS1 and CB1 (columns with an X for every destination but Canada, or for
    /// every one), no AT column; an item controlled for another column is a gap before the day. From the day, China's row.
    /// </summary>
    [Theory]
    [InlineData("3C005", "2020-12-22", "us.ccl.NS2")]
    [InlineData("3C005", "2020-12-23", "us.ccl.NS2")]
    [InlineData("9A004", "2019-01-01", "us.ccl.NS1")]
    [InlineData("9A004", "2020-12-22", "us.ccl.NS1")]
    [InlineData("9A004", "2020-12-23", "us.ccl.NS1")]
    [InlineData("1A002.b.1", "2020-12-22", "gap:us.hong-kong-before-2020-12-23")]
    [InlineData("1A002.b.1", "2020-12-23", "us.ccl.NP1")]
    [InlineData("3A991", "2020-12-22", "")]
    public void Check_HongKongBeforeItsRemovalAsASeparateDestination_AnsweredOnTheColumnsItsRowIsKnownFor(string item, string date, string expected)
    {
        var d = CheckBoth("US:" + item, "HK", date);

        EarTests.AssertAnswer(d, expected);
        if (expected.StartsWith("us.", StringComparison.Ordinal))
        {
            Assert.DoesNotContain(d.Trace, t => t.Rule == "us.hong-kong-before-2020-12-23");
        }

        if (expected.StartsWith("us.", StringComparison.Ordinal) && string.CompareOrdinal(date, "2020-12-23") < 0)
        {
            // Hong Kong's own row, read from a summary or inferred from the column: flagged on the answer.
            Assert.Contains(d.Unconfirmed, u => u.Contains("Hong Kong's own row was not read", StringComparison.Ordinal));
        }
    }

    /// <summary>
    /// Hong Kong's own Country Groups before 85 FR 83765 (A:6 and B, flagged) and the suspension of the licence exceptions
    /// that treated it differently from China (85 FR 45998, effective 31 Jul 2020): GBS (Group B, 3C005 "GBS: Yes"), LVS
    /// (Group B, 3C005 up to $3,000) and STA (A:6, national security only) on the day before and the day of each change.
    /// </summary>
    [Theory]
    [InlineData("2019-01-01", true)]
    [InlineData("2020-07-30", true)]
    [InlineData("2020-07-31", false)]
    [InlineData("2020-12-22", false)]
    [InlineData("2020-12-23", false)]
    public void Check_HongKongExceptionsBeforeItsRemoval_OpenUntilTheirSuspension(string date, bool open)
    {
        var (facts, _) = Engine.Facts("US:3C005", "HK", date);
        Assert.True(Amount.TryParse("100 USD", out var value));
        facts = facts with { Declared = ClearParties, Value = value };
        var compiled = Engine.Evaluator.Jurisdictions[Engine.Evaluator.IndexOf("US")];
        Assert.Equal(ReferenceEvaluator.Compute(Us, facts).Code, compiled.Compute(facts).Code);
        var d = compiled.Evaluate(facts);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        foreach (var exception in new[] { "GBS", "LVS", "STA" })
        {
            Assert.Equal(open, d.EligibleLicenses.Contains(exception));
        }

        if (open)
        {
            Assert.Contains(d.Unconfirmed, u => u.Contains("Country Groups A:6 and B", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Check_GbsToNicaraguaAcrossItsMoveOutOfGroupB_EligibleOnlyBefore()
    {
        // 3C005 is NS2 with GBS "Yes": GBS (740.4) reaches Country Group B, which Nicaragua left on 15 Mar 2024.
        var before = CheckBoth("US:3C005", "NI", "2024-03-14");
        var on = CheckBoth("US:3C005", "NI", "2024-03-15");

        Assert.Equal(Verdict.LicenseRequired, before.Verdict);
        Assert.Contains("GBS", before.EligibleLicenses);
        Assert.Equal(Verdict.LicenseRequired, on.Verdict);
        Assert.DoesNotContain("GBS", on.EligibleLicenses);
    }

    [Fact]
    public void Check_SemiconductorEquipmentMacauOrD5_IndeterminateBeforeTheOctober2023Rule()
    {
        // 3B002.c carries the NS and RS "Macau or D:5" controls of 88 FR 73424, effective 17 Nov 2023.
        var before = CheckBoth("US:3B002.c", "CN", "2023-11-16");
        var on = CheckBoth("US:3B002.c", "CN", "2023-11-17");

        Assert.Equal(Verdict.Indeterminate, before.Verdict);
        Assert.Contains(before.Trace, t => t.Rule == "us.ccl.controls-before-2023-11-17");
        Assert.Equal(Verdict.LicenseRequired, on.Verdict);
        Assert.Contains("us.ccl.NS-MOD5.since-2023-11-17", on.Grounds.Select(g => g.Rule));
        Assert.Contains("us.ccl.RS-MOD5.since-2023-11-17", on.Grounds.Select(g => g.Rule));
        Assert.Equal(Verdict.NoLicenseRequired, CheckBoth("US:3B002.c", "JP", "2023-11-17").Verdict);
    }

    [Fact]
    public void Check_CambodiaInD5_SemiconductorEquipmentNeedsALicenceOnlyWhileAMember()
    {
        // Cambodia was in D:5 from 9 Dec 2021 (86 FR 70015) to 2 Feb 2026 (out from 3 Feb 2026).
        Assert.Equal(Verdict.LicenseRequired, CheckBoth("US:3B002.c", "KH", "2026-02-02").Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, CheckBoth("US:3B002.c", "KH", "2026-02-03").Verdict);
    }

    [Theory]
    [InlineData("RU", "2020-02-23", "us.russia-chart-before-2020-02-24")]
    [InlineData("SD", "2021-01-13", "us.sudan-chart-before-2021-01-14")]
    public void Check_ChartRowBeforeTheRuleThatChangedIt_IndeterminateNamingTheRule(string to, string date, string gap)
    {
        var d = CheckBoth("US:1A002", to, date);

        Assert.Equal(Verdict.Indeterminate, d.Verdict);
        Assert.Contains(d.Trace, t => t.Rule == gap);
    }

    [Fact]
    public void Check_UaeInA5_FlaggedUnconfirmed()
    {
        var d = CheckBoth("US:EAR99", "AE", "2026-08-01");

        Assert.True(InGroup(d, "A:5"));
        Assert.Contains(d.Unconfirmed, u => u.Contains("Supplement No. 8 to Part 740", StringComparison.Ordinal));
    }

    /// <summary>
    /// APR (740.16): 1A002.a (NS2) re-exported from Japan to China (D:1, (a)(3)(ii)) and to Brazil (Group B outside
    /// D:2-D:4, (a)(3)(i)), from Korea to Vietnam (D:1); 9B005 (NS1) from Japan to Germany (A:1, (b)(1)) and from Korea
    /// to China. Not from the United States, not from a country outside A:1 (Singapore), and not for MT or CB-controlled
    /// items (2B004, 1B101, 1C351).
    /// </summary>
    [Theory]
    [InlineData("1A002.a", "JP", "CN", true)]
    [InlineData("1A002.a", "US", "CN", false)]
    [InlineData("1A002.a", "SG", "CN", false)]
    [InlineData("1A002.a", "JP", "BR", true)]
    [InlineData("1A002.a", "KR", "VN", true)]
    [InlineData("9B005", "JP", "DE", true)]
    [InlineData("9B005", "US", "DE", false)]
    [InlineData("9B005", "KR", "CN", true)]
    [InlineData("2B004", "JP", "CN", false)]
    [InlineData("1B101", "JP", "DE", false)]
    [InlineData("1C351", "KR", "CN", false)]
    public void Check_AprForAReexport_EligibleAsTheReexportingCountryAndItemAllow(string item, string from, string to, bool eligible)
    {
        var d = CheckBoth("US:" + item, to, "2026-08-01", from);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.Equal(eligible, d.EligibleLicenses.Contains("APR"));
    }

    [Fact]
    public void Check_AprForAnEntryWithAnNpParagraph_DependsOnTheSubItem()
    {
        // 1A002.b.1 is controlled for NP (NP1): APR (a)(2) excludes it, so 1A002 given whole leaves APR to the sub-item.
        var whole = CheckBoth("US:1A002", "CN", "2026-08-01", "JP");

        Assert.DoesNotContain("APR", whole.EligibleLicenses);
        Assert.Contains("APR, not for US:1A002.b.1", whole.Explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_AprWithoutTheExportingCountry_NotEligible()
    {
        Assert.DoesNotContain("APR", CheckBoth("US:1A002.a", "CN", "2026-08-01").EligibleLicenses);
    }

    [Fact]
    public void Check_AprToAD1CountryBeforeItJoined_FollowsTheDestinationsGroupsOfTheDate()
    {
        // Nicaragua joined D:1 on 15 Mar 2024: an NS2 re-export from Japan the day before was to Group B (and in no
        // D:2-D:4), so (a)(3)(i) applied; on the day (a)(3)(ii) does. Either way APR stays available.
        Assert.Contains("APR", CheckBoth("US:1A002.a", "NI", "2024-03-14", "JP").EligibleLicenses);
        Assert.Contains("APR", CheckBoth("US:1A002.a", "NI", "2024-03-15", "JP").EligibleLicenses);
    }
}
