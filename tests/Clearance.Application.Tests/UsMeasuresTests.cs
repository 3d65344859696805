using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Screening.Matching;

namespace Clearance.Application.Tests;

/// <summary>
/// The EAR measures of us-measures.yaml on the day before and the day of each dated change (15 CFR Parts 744 and 746 and
/// the Federal Register rules each test names), through the built-in content. The parties are stated clear by the
/// shipment's facts unless a test screens an end user.
/// </summary>
public sealed class UsMeasuresTests : IClassFixture<AllListsFixture>
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    private static readonly FactText[] ClearParties =
    [
        new("us_entity_list", "false"), new("us_denied_person", "false"), new("us_military_end_user_list", "false"), new("us_unverified_list", "false"),
    ];

    private readonly CheckService _screened;

    public UsMeasuresTests(AllListsFixture lists) =>
        _screened = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index)));

    private static Determination Check(string date, string to, string item, string? endUse = "civil", params FactText[] facts) =>
        Run(new CheckService(Evaluator, EndUserScreening.None), date, to, item, endUse, null, [.. ClearParties.Where(c => !facts.Any(f => f.Id == c.Id)), .. facts]);

    private static Determination Run(CheckService service, string date, string to, string item, string? endUse, string? endUser, FactText[] facts)
    {
        var line = service.Check(new ShipmentText(new ShipmentId("us", false), date, "US", to, [$"US:{item}"], endUse, endUser, Facts: facts).Validate(1));
        Assert.True(line.Error is null, line.Error?.Message);
        return line.Result!.Determination;
    }

    private static bool Ground(Determination d, string rule) => d.Grounds.Any(g => g.Rule == rule);

    private static bool Gap(Determination d, string rule) => d.Verdict == Verdict.Indeterminate && d.Trace.Any(t => t.Rule == rule);

    [Fact]
    public void Check_Footnote5ReexportsDifferingOnlyInTheExportingCountry_EachItsOwnAnswerThroughOneService()
    {
        // 744.11(a)(2)(v)(A)(2): a 3B993 commodity subject to the EAR only by the Footnote 5 rule, for a Footnote 5
        // entity, re-exported from Korea (A:5, not in Supplement No. 4 to Part 742) needs a licence; from Japan (in it)
        // none. One service answers both in turn, as a batch does, through its caches.
        var service = new CheckService(Evaluator, EndUserScreening.None);
        FactText[] facts =
        [
            new("us_entity_list", "true"), new("us_footnote_5_party", "true"), new("us_footnote_5_fdp_only", "true"), new("us_reexporter_headquarters", "other"),
            new("us_denied_person", "false"), new("us_military_end_user_list", "false"), new("us_unverified_list", "false"),
        ];
        Determination From(string from) =>
            service.Check(new ShipmentText(new ShipmentId("fn5", false), "2025-06-01", from, "CN", ["US:3B993"], "civil", null, Facts: facts).Validate(1))
                .Result!.Regimes.Single(r => r.Jurisdiction.Id == "US").Determination;

        for (var round = 0; round < 2; round++)
        {
            var korea = From("KR");
            var japan = From("JP");
            Assert.Equal(Verdict.LicenseRequired, korea.Verdict);
            Assert.True(Ground(korea, "us.744-11-v-a-2.kr-3b993"));
            Assert.Equal(Verdict.NoLicenseRequired, japan.Verdict);
            Assert.Contains("Re-export from JP", japan.Explanation, StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_Cuba_AnyItemNeedsALicence()
    {
        var d = Check("2019-01-01", "CU", "EAR99");

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.True(Ground(d, "us.746.cuba"));
    }

    [Fact]
    public void Check_Iran_CclItemNeedsALicence_Ear99IsOfacsAndNotInTheContent()
    {
        Assert.True(Ground(Check("2019-01-01", "IR", "4A994"), "us.746.iran.ccl"));
        Assert.True(Gap(Check("2019-01-01", "IR", "EAR99"), "us.746.iran.ear99"));
    }

    [Fact]
    public void Check_NorthKorea_Ear99FoodAndMedicineAside()
    {
        Assert.True(Ground(Check("2020-01-01", "KP", "EAR99"), "us.746.north-korea.ear99"));
        Assert.False(Ground(Check("2020-01-01", "KP", "EAR99", "civil", new FactText("us_ear99_food_medicine", "true")), "us.746.north-korea.ear99"));
    }

    [Fact]
    public void Check_Syria_TheDayBeforeTheSeptember2025Rule_NoSppForEar99()
    {
        var d = Check("2025-09-01", "SY", "EAR99");

        Assert.True(Ground(d, "us.746.syria.ear99-2019"));
        Assert.DoesNotContain("SPP", d.EligibleLicenses);
        Assert.Equal(Verdict.NoLicenseRequired, Check("2025-09-01", "SY", "EAR99", "civil", new FactText("us_ear99_food_medicine", "true")).Verdict);
    }

    [Fact]
    public void Check_Syria_OnTheDayOfTheSeptember2025Rule_SppAuthorisesEar99()
    {
        var d = Check("2025-09-02", "SY", "EAR99");

        Assert.True(Ground(d, "us.746.syria.2025.ear99"));
        Assert.Contains("SPP", d.EligibleLicenses);
        Assert.DoesNotContain("SPP", Check("2025-09-02", "SY", "4A994").EligibleLicenses);
    }

    [Theory]
    [InlineData("RU", "2022-02-23", false)]
    [InlineData("RU", "2022-02-24", true)]
    [InlineData("BY", "2022-03-01", false)]
    [InlineData("BY", "2022-03-02", true)]
    public void Check_RussiaBelarusFirstPhase_Categories3To9(string to, string date, bool licence)
    {
        var d = Check(date, to, "4A994");

        Assert.Equal(licence, d.Grounds.Any(g => g.Rule.EndsWith("cat3-9", StringComparison.Ordinal)));
        Assert.Equal(licence ? Verdict.LicenseRequired : Verdict.NoLicenseRequired, d.Verdict);
    }

    [Theory]
    [InlineData("2022-04-07", false)]
    [InlineData("2022-04-08", true)]
    public void Check_RussiaBelarusSecondPhase_Categories0To2(string date, bool licence)
    {
        // 2B991 (Category 2) was outside the first phase: a licence from 8 Apr 2022 (87 FR 22130).
        Assert.Equal(licence, Ground(Check(date, "RU", "2B991"), "us.746.russia-belarus.ccl"));
        Assert.Equal(licence, Ground(Check(date, "BY", "2B991"), "us.746.russia-belarus.ccl"));
    }

    [Fact]
    public void Check_RussiaEar99_OnTheListsTheExporterAnswers()
    {
        var listed = new FactText("us_russia_belarus_listed_ear99", "true");
        Assert.False(Ground(Check("2022-03-02", "RU", "EAR99", "civil", listed), "us.746.russia.listed-ear99"));
        Assert.True(Ground(Check("2022-03-03", "RU", "EAR99", "civil", listed), "us.746.russia.listed-ear99"));
        Assert.Equal(Verdict.Indeterminate, Check("2022-03-03", "RU", "EAR99").Verdict);
    }

    [Fact]
    public void Check_UkraineCoveredRegions_CrimeaAlways_DonetskLuhanskFrom24Feb2022()
    {
        Assert.True(Ground(Check("2019-06-01", "UA", "EAR99", "civil", new FactText("us_ukraine_covered_region", "crimea")), "us.746.ukraine.crimea.ear99"));
        // 746.6(a)(1): food and medicine designated EAR99 are outside the requirement; items on the CCL are not.
        Assert.Equal(Verdict.NoLicenseRequired, Check("2019-06-01", "UA", "EAR99", "civil", new FactText("us_ukraine_covered_region", "crimea"), new FactText("us_ear99_food_medicine", "true")).Verdict);
        Assert.True(Ground(Check("2019-06-01", "UA", "4A994", "civil", new FactText("us_ukraine_covered_region", "crimea")), "us.746.ukraine.crimea"));
        Assert.False(Ground(Check("2022-02-23", "UA", "EAR99", "civil", new FactText("us_ukraine_covered_region", "donetsk-luhansk")), "us.746.ukraine.dnr-lnr.ear99"));
        Assert.True(Ground(Check("2022-02-24", "UA", "EAR99", "civil", new FactText("us_ukraine_covered_region", "donetsk-luhansk")), "us.746.ukraine.dnr-lnr.ear99"));
        Assert.Equal(Verdict.NoLicenseRequired, Check("2022-02-24", "UA", "EAR99", "civil", new FactText("us_ukraine_covered_region", "other")).Verdict);
        Assert.Equal(Verdict.Indeterminate, Check("2022-02-24", "UA", "EAR99").Verdict);
    }

    [Fact]
    public void Check_HongKong_BeforeAndOnTheDayItBecameChina()
    {
        // NP1 is a column of Hong Kong's own row the content does not hold: a gap; NS1 (an X for all but Canada) is held.
        Assert.True(Gap(Check("2020-12-22", "HK", "1A002.b.1"), "us.hong-kong-before-2020-12-23"));
        Assert.Equal(Verdict.LicenseRequired, Check("2020-12-22", "HK", "9A004").Verdict);
        Assert.NotEqual(Verdict.Indeterminate, Check("2020-12-23", "HK", "1A002.b.1").Verdict);
        Assert.NotEqual(Verdict.Indeterminate, Check("2020-12-23", "HK", "3A001").Verdict);
    }

    [Fact]
    public void Check_AustraliaAndUnitedKingdom_Ns1UntilTheAukusRule()
    {
        foreach (var to in new[] { "AU", "GB" })
        {
            Assert.True(Ground(Check("2024-04-18", to, "2E003"), "us.au-uk-before-2024-04-19.NS1"));
            Assert.Equal(Verdict.NoLicenseRequired, Check("2024-04-19", to, "2E003").Verdict);
        }
    }

    [Fact]
    public void Check_3A090_BeforeItExisted_IsIndeterminateNamingWhy()
    {
        var d = Check("2022-10-06", "CN", "3A090.a");

        Assert.True(Gap(d, "us.ccl.not-listed-before-2022-10-07"));
        Assert.Contains(d.MissingFacts, m => m.Contains("did not exist before 7 Oct 2022", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_3A090_October2022Rule_ChinaNeedsALicence_MacauFrom18January2023()
    {
        Assert.True(Ground(Check("2022-10-07", "CN", "3A090.a"), "us.ac.2022.china"));
        // Only China then: the RS requirements of the later texts are dated and do not apply (87 FR 62186).
        Assert.Equal(Verdict.NoLicenseRequired, Check("2022-10-07", "JP", "3A090.a").Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, Check("2023-01-17", "MO", "3A090.a").Verdict);
        Assert.True(Ground(Check("2023-01-18", "MO", "3A090.a"), "us.ac.2023-01.macau"));
    }

    [Fact]
    public void Check_3A090a_ToJapan_BeforeAndOnTheAiDiffusionRule()
    {
        // Japan is in A:5: outside the D:1/D:4/D:5 requirement of 88 FR 73458 until the AI diffusion rule's compliance
        // date (effective 13 Jan 2025, compliance required from 15 May 2025).
        Assert.Equal(Verdict.NoLicenseRequired, Check("2025-01-13", "JP", "3A090.a").Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, Check("2025-05-14", "JP", "3A090.a").Verdict);
        var d = Check("2025-05-15", "JP", "3A090.a");
        Assert.True(Ground(d, "us.ac.2025.ai-diffusion"));
        Assert.Contains(d.Unconfirmed, u => u.Contains("would not enforce", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_3A090c_BeforeTheDecember2024Rule_IsIndeterminate()
    {
        Assert.True(Gap(Check("2024-12-01", "CN", "3A090.c"), "us.ccl.not-listed-before-2024-12-02"));
        Assert.Equal(Verdict.LicenseRequired, Check("2024-12-02", "CN", "3A090.c").Verdict);
    }

    [Theory]
    [InlineData("MM", "2021-03-07", "2021-03-08")] // 86 FR 13173
    [InlineData("KH", "2021-12-08", "2021-12-09")] // 86 FR 70015
    [InlineData("NI", "2024-03-14", "2024-03-15")] // 89 FR 18780
    public void Check_MilitaryEndUse_BurmaCambodiaNicaragua_FromTheRuleThatNamedThem(string to, string before, string on)
    {
        // 744.21: a Supplement No. 2 item (3A991) for a military end use; to China it applied all along.
        Assert.False(Ground(Check(before, to, "3A991", "conventional-military"), "us.744-21.military-end-use"));
        Assert.True(Ground(Check(on, to, "3A991", "conventional-military"), "us.744-21.military-end-use"));
        Assert.True(Ground(Check(on, to, "3A991", "civil", new FactText("us_military_end_user_known", "true")), "us.744-21.military-end-user-china"));
        Assert.False(Ground(Check(on, to, "3A991", "civil"), "us.744-21.military-end-use"));
    }

    [Fact]
    public void Check_PartyListingsUndecided_ExceptionsWithheldAreNamedInTheConditions()
    {
        // 744.11(a), 744.15(a)(1): no licence exception for an Entity List or Unverified List party. Neither listing given
        // nor screened: LVS (2B003 to Brazil, 740.3) is not eligible, and license_conditions says what would decide it.
        var d = Run(new CheckService(Evaluator, EndUserScreening.None), "2026-08-01", "BR", "2B003", "civil", null,
            [new FactText("us_denied_person", "false"), new FactText("us_military_end_user_list", "false")]);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.DoesNotContain("LVS", d.EligibleLicenses);
        Assert.Contains("withheld while undecided", d.LicenseConditions["LVS"], StringComparison.Ordinal);
        Assert.Contains("us.entity-list.no-LVS", d.LicenseConditions["LVS"], StringComparison.Ordinal);
        Assert.Contains("us.uvl.no-LVS", d.LicenseConditions["LVS"], StringComparison.Ordinal);
        // Stated clear, LVS is back among the eligible types (conditional on the value, not given) and nothing is withheld.
        var clear = Check("2026-08-01", "BR", "2B003");
        Assert.Contains("LVS", clear.EligibleLicenses);
        Assert.DoesNotContain("withheld", clear.LicenseConditions["LVS"], StringComparison.Ordinal);
    }

    [Fact]
    public void Check_WmdEndUse_AnyItemAnyDestination_EndUseNotGivenIsIndeterminate()
    {
        Assert.True(Ground(Check("2021-01-01", "DE", "EAR99", "wmd"), "us.744.wmd-end-use"));
        var d = Check("2021-01-01", "DE", "EAR99", null);
        Assert.Equal(Verdict.Indeterminate, d.Verdict);
        Assert.Contains(d.MissingFacts, m => m.Contains("end_use", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_MilitaryEndUseInChina_Supplement2Items()
    {
        Assert.True(Ground(Check("2021-01-01", "CN", "3A991", "conventional-military"), "us.744-21.military-end-use"));
        Assert.False(Ground(Check("2021-01-01", "CN", "3A991", "civil"), "us.744-21.military-end-use"));
    }

    [Fact]
    public void Check_MilitaryEndUserList_FromItsCreation()
    {
        var listed = new FactText("us_military_end_user_list", "true");
        Assert.False(Ground(Check("2020-12-22", "CN", "3A991", "civil", listed), "us.meu-list"));
        Assert.True(Ground(Check("2020-12-23", "CN", "3A991", "civil", listed), "us.meu-list"));
    }

    [Fact]
    public void Check_SupercomputerEndUseInChina_FromTheOctober2022Rule()
    {
        var known = new FactText("us_supercomputer_end_use", "true");
        Assert.False(Ground(Check("2022-10-06", "CN", "4A994", "civil", known), "us.744-23.supercomputer-china"));
        Assert.True(Ground(Check("2022-10-07", "CN", "4A994", "civil", known), "us.744-23.supercomputer-china"));
    }

    [Fact]
    public void Check_HuaweiScreened_EntityListFromTheRuleEffectiveDate()
    {
        var before = Run(_screened, "2019-05-15", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", []);
        var on = Run(_screened, "2019-05-16", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", []);

        Assert.Equal(Verdict.NoLicenseRequired, before.Verdict);
        Assert.Equal(Verdict.LicenseRequired, on.Verdict);
        Assert.True(Ground(on, "us.entity-list"));
    }

    [Fact]
    public void Check_HuaweiScreenedDuringTheTemporaryGeneralLicense_TglWithheldUntilTheFamilyIsStated()
    {
        // Supplement No. 7 to Part 744 (20 May 2019 to 13 Aug 2020): screening finds Huawei on the Entity List but says
        // nothing of which entries the TGL named, so the TGL waits for us_huawei_entity; stated, it is eligible with the
        // activities the supplement then listed. The day before it took effect, and after it expired, only a licence.
        var huawei = new FactText("us_huawei_entity", "true");
        var undecided = Run(_screened, "2019-06-03", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", []);
        var stated = Run(_screened, "2019-06-03", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", [huawei]);
        var before = Run(_screened, "2019-05-19", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", [huawei]);
        var expired = Run(_screened, "2020-08-14", "CN", "EAR99", "civil", "Huawei Technologies Co., Ltd.", [huawei]);

        Assert.True(Ground(undecided, "us.entity-list"));
        Assert.DoesNotContain("TGL", undecided.EligibleLicenses);
        Assert.Contains("us.tgl.huawei-entities-only", undecided.LicenseConditions["TGL"], StringComparison.Ordinal);
        Assert.Contains("TGL", stated.EligibleLicenses);
        Assert.Contains("continued operation of existing networks", stated.LicenseConditions["TGL"], StringComparison.Ordinal);
        Assert.Equal(["license"], before.EligibleLicenses);
        Assert.Equal(["license"], expired.EligibleLicenses);
    }

    [Fact]
    public void Check_DeniedPersonScreened_IsProhibited()
    {
        var d = Run(_screened, "2021-01-01", "JP", "EAR99", "civil", "KATSUTA KEISUKE", []);

        Assert.Equal(Verdict.Prohibited, d.Verdict);
        Assert.True(Ground(d, "us.dpl.denied-person"));
    }

    [Fact]
    public void Check_EntityListParty_TakesNoLicenceException()
    {
        // A Country Chart licence (NS2 to China): no licence exception for an Entity List party (744.11).
        var d = Check("2024-06-01", "CN", "3A001", "civil", new FactText("us_entity_list", "true"));

        Assert.DoesNotContain("LVS", d.EligibleLicenses);
    }
}
