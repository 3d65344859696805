using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

/// <summary>
/// Issue 13: "the result names the review policy". Each ground that can require a licence under the EAR names the
/// policy its paragraph states, cited (session 47, docs/ear-review.md); one row per ground, the exact string, through
/// both evaluators. LVS and the "N/A for NP" reading: an NP-controlled paragraph takes no LVS whatever the destination,
/// a sibling paragraph without NP keeps it under its value.
/// </summary>
public sealed class EarReviewPolicyTests
{
    private const string Russia746 = "policy of denial, case-by-case for applications related to safety of flight, maritime safety, civil nuclear safety, humanitarian needs, government space cooperation, government-to-government activities, civil telecommunications infrastructure (companies headquartered in A:5 or A:6) and subsidiaries and joint ventures of US and A:5/A:6 companies (15 CFR 746.8(b))";
    private const string Syria2019 = "general policy of denial, case-by-case for the categories of items 746.9(c) names (e.g. safety of civil aviation, telecommunications, humanitarian and reconstruction needs) (15 CFR 746.9(c) as it read before 2 Sep 2025)";
    private const string Syria2025 = "case-by-case, with applications for telecommunications infrastructure, sanitation, power generation and civil aviation favourably reviewed (15 CFR 746.9(c) as revised by 90 FR 42315, effective 2 Sep 2025; BIS's statement of 28 Aug 2025)";
    private const string Ukraine = "policy of denial, case-by-case for transactions authorised by OFAC's Ukraine-related general licences (15 CFR 746.6(b))";
    private const string Sme = "presumption of denial, case-by-case for the applications 742.6(b)(10) names (among them end users headquartered in the United States or Country Group A:5 or A:6, and items for which a foreign-made item not subject to the EAR performs the same function)";
    private const string AdvancedTechnologies = "presumption of denial for Macau and Country Group D:5 destinations; case-by-case for the other destinations";
    private const string EndUse744_23 = "presumption of denial (15 CFR 744.23(d)(1)), unless the end user is headquartered in the United States or A:5/A:6 and not majority-owned from Macau or D:5 (presumption of approval, (d)(2)) or (d)(3) applies (case-by-case)";
    private const string RegionalStabilityIraq = "case-by-case (15 CFR 742.6(b)(1); for Iraq, 746.3(b))";
    private const string AdvancedComputing = "presumption of denial for Macau and Country Group D:5 destinations and entities headquartered there (or whose ultimate parent is); presumption of approval or case-by-case for the other destinations, as 742.6(b)(10) sets out (15 CFR 742.6(b)(10))";

    [Theory]
    [InlineData("746.2(b): Cuba, general policy of denial", "EAR99", "CU", "2019-03-01", "", "us.746.cuba", "general policy of denial; general policy of approval or case-by-case for the categories of items 746.2(b)(2) and (b)(3) name (15 CFR 746.2(b))")]
    [InlineData("746.7(b): Iran, CCL items", "5A002.a", "IR", "2026-08-01", "", "us.746.iran.ccl", "policy of denial (licences for other purposes 'generally will be denied'), case-by-case for humanitarian reasons or the safety of civil aviation (15 CFR 746.7(b))")]
    [InlineData("746.4(b): North Korea, CCL items", "3A991", "KP", "2026-08-01", "", "us.746.north-korea.ccl", "general policy of denial for items controlled for NS, MT, NP, CB and other multilateral reasons; case-by-case for others (e.g. items controlled for AT reasons only); general policy of approval for humanitarian items (15 CFR 746.4(b))")]
    [InlineData("746.4(b): North Korea, EAR99 other than food and medicine", "EAR99", "KP", "2026-08-01", "us_ear99_food_medicine=false", "us.746.north-korea.ear99", "case-by-case; policy of denial for luxury goods (Supplement No. 1 to Part 746); general policy of approval for humanitarian items (15 CFR 746.4(b))")]
    [InlineData("746.9(c) before 90 FR 42315: Syria, CCL items, the day before", "3A991", "SY", "2025-09-01", "", "us.746.syria.ccl-2019", Syria2019)]
    [InlineData("746.9(c) before 90 FR 42315: Syria, EAR99", "EAR99", "SY", "2025-08-31", "us_ear99_food_medicine=false", "us.746.syria.ear99-2019", Syria2019)]
    [InlineData("746.9(c) as revised by 90 FR 42315 (effective 2 Sep 2025): Syria, CCL items, the day of", "3A991", "SY", "2025-09-02", "", "us.746.syria.2025", Syria2025)]
    [InlineData("746.8(b) (87 FR 12226, effective 24 Feb 2022): Russia, Categories 3 to 9", "3A991", "RU", "2022-02-24", "", "us.746.russia.cat3-9", Russia746)]
    [InlineData("746.8(b) (87 FR 13048, effective 2 Mar 2022): Belarus, Categories 3 to 9", "3A991", "BY", "2022-03-02", "", "us.746.belarus.cat3-9", Russia746)]
    [InlineData("746.8(a)(1), (b) as added by 87 FR 12226: mass market 5A992.c to a Russian government end user, the first week", "5A992.c", "RU", "2022-03-01", "us_russia_government_end_user=true", "us.746.russia.mass-market-2022-02-24", Russia746)]
    [InlineData("746.8(a)(1), (b) as amended by 87 FR 13048 (effective 2 Mar 2022): mass market 5D992.c to Belarus, not a civil A:5/A:6 subsidiary", "5D992.c", "BY", "2022-03-02", "us_russia_belarus_mass_market_civil_end_user=false", "us.746.russia-belarus.mass-market", Russia746)]
    [InlineData("746.8(b) (87 FR 22130, effective 8 Apr 2022): Russia, every CCL category", "1C350", "RU", "2023-06-01", "", "us.746.russia-belarus.ccl", Russia746)]
    [InlineData("746.6(b): Crimea, EAR99 other than food and medicine", "EAR99", "UA", "2021-06-01", "us_ukraine_covered_region=crimea;us_ear99_food_medicine=false", "us.746.ukraine.crimea.ear99", "policy of denial, case-by-case for transactions authorised by OFAC's Ukraine-related general licences (15 CFR 746.6(b); written by 80 FR 4776 (29 Jan 2015) as a presumption of denial, case-by-case for OFAC General License No. 4 items)")]
    [InlineData("746.6(b) (87 FR 12226, effective 24 Feb 2022): the covered regions of Ukraine", "3A991", "UA", "2022-02-24", "us_ukraine_covered_region=donetsk-luhansk", "us.746.ukraine.dnr-lnr", Ukraine)]
    [InlineData("742.6(b)(10) as added by 87 FR 62186 (effective 7 Oct 2022): 3A090.a to China", "3A090.a", "CN", "2022-10-07", "", "us.ac.2022.china", "presumption of denial, case-by-case for some applications taking into account technology level, customers and compliance plans (15 CFR 742.6(b)(10) as added by 87 FR 62186)")]
    [InlineData("742.6(b)(10), Macau added by 88 FR 2821", "3A090.a", "MO", "2023-01-18", "", "us.ac.2023-01.macau", "presumption of denial, case-by-case for some applications taking into account technology level, customers and compliance plans (15 CFR 742.6(b)(10) as added by 87 FR 62186, Macau added by 88 FR 2821)")]
    [InlineData("742.6(b)(10) as revised by 88 FR 73458 (effective 17 Nov 2023): D:1/D:4/D:5 and Macau", "3A090.a", "CN", "2023-11-17", "", "us.ac.2023.d145-macau", "presumption of approval for destinations other than Macau and Country Group D:5 (and entities headquartered there), presumption of denial for Macau and D:5, case-by-case for the rest (15 CFR 742.6(b)(10) as revised by 88 FR 73458)")]
    [InlineData("742.6(b)(10): the worldwide column of the eCFR of 2026 (90 FR 4544's text)", "3A090.a", "MO", "2026-08-01", "", "us.ccl.RS-WW.since-2025-05-15", AdvancedComputing)]
    [InlineData("742.17(b): FC Column 1, Brazil (an OAS member)", "0A501.c", "BR", "2026-08-01", "", "us.ccl.FC1", "case-by-case (15 CFR 742.17(b))")]
    [InlineData("742.4(b): NS Column 1 for the United Kingdom before the AUKUS rule (89 FR 28594, effective 19 Apr 2024)", "9B005", "GB", "2024-04-18", "", "us.au-uk-before-2024-04-19.NS1", "case-by-case (15 CFR 742.4(b))")]
    [InlineData("742.6(b)(1): RS Column 1 for Australia before the AUKUS rule", "0A501.c", "AU", "2024-04-18", "", "us.au-uk-before-2024-04-19.RS1", "case-by-case (15 CFR 742.6(b)(1))")]
    [InlineData("744.21(e)(1): the Military End-User List", "3A991", "CN", "2021-06-01", "us_military_end_user_list=true", "us.meu-list", "presumption of denial (15 CFR 744.21(e)(1))")]
    // Session 47, second round: the grounds that had no policy (docs/ear-review.md).
    [InlineData("742.19(b): the AT column naming North Korea alone", "0A505.c", "KP", "2026-08-01", "", "us.ccl.AT-KP", "general policy of denial for items also controlled for NS, MT, NP or CB reasons and for military-related items; case-by-case for the other AT-controlled items (15 CFR 742.19(b))")]
    [InlineData("742.7(b): CC to every destination but Canada (0A503)", "0A503", "BR", "2026-08-01", "", "us.ccl.CC-XCA", "general policy of approval, except where there is civil disorder or violations of human rights (15 CFR 742.7(b))")]
    [InlineData("742.15(b): EI to every destination but Canada", "5A002.a", "BR", "2026-08-01", "", "us.ccl.EI-XCA", "case-by-case, to determine whether the export or reexport is consistent with US national security and foreign policy interests (15 CFR 742.15(b))")]
    [InlineData("742.13(b): SL worldwide (5A001.f.1)", "5A001.f.1", "BR", "2026-08-01", "", "us.ccl.SL-WW", "general policy of denial; general policy of approval, except to destinations with AT controls, for providers of wire or electronic communication service acting in the normal course of business and for officers, agents or employees of, or contractors to, the US, a State or a political subdivision in the normal course of government activities (15 CFR 742.13(b))")]
    [InlineData("742.4(b), 742.6(b)(10) (88 FR 73424, effective 17 Nov 2023): NS for SME to China, the day of", "3B001.c", "CN", "2023-11-17", "", "us.ccl.NS-MOD5.since-2023-11-17", Sme + " (15 CFR 742.4(b), read with 742.6(b)(10))")]
    [InlineData("742.6(b)(10) (88 FR 73424, effective 17 Nov 2023): RS for SME to China", "3B001.c", "CN", "2026-08-01", "", "us.ccl.RS-MOD5.since-2023-11-17", Sme + " (15 CFR 742.6(b)(10))")]
    [InlineData("742.6(b)(10): RS to Macau and D:5 of the eCFR of 2026 (3A069)", "3A069", "CN", "2026-08-01", "", "us.ccl.RS-MOD5", Sme + " (15 CFR 742.6(b)(10))")]
    [InlineData("742.4(b) as amended by 89 FR 72926 (effective 6 Sep 2024): NS worldwide, the day of", "3A901", "BR", "2024-09-06", "", "us.ccl.NS-WW.since-2024-09-06", AdvancedTechnologies + " (15 CFR 742.4(b) as amended by 89 FR 72926)")]
    [InlineData("742.6(b) as amended by 89 FR 72926: RS worldwide", "3A901", "BR", "2026-08-01", "", "us.ccl.RS-WW.since-2024-09-06", AdvancedTechnologies + " (15 CFR 742.6(b) as amended by 89 FR 72926)")]
    [InlineData("742.6(b)(7): the .y items to China, Russia and Venezuela", "9A610.y", "CN", "2026-08-01", "", "us.ccl.RS-CNRUVE", "presumption of denial where the item would make a material contribution to the military capabilities of China, Russia or Venezuela; case-by-case otherwise (15 CFR 742.6(b)(7))")]
    [InlineData("742.6(b)(1), 746.3(b): RS to Iraq", "0B999", "IQ", "2026-08-01", "", "us.ccl.RS-IQ", RegionalStabilityIraq)]
    [InlineData("742.6(b)(1), 746.3(b): RS to Iraq or Pakistan", "3A999", "PK", "2026-08-01", "", "us.ccl.RS-IQPK", RegionalStabilityIraq)]
    [InlineData("742.6(b)(1): RS to Pakistan (742.6(a)(12))", "2A992", "PK", "2026-08-01", "", "us.ccl.RS-PK", "case-by-case (15 CFR 742.6(b)(1))")]
    [InlineData("744.2(d), 744.3(d), 744.4(d): a WMD end use", "EAR99", "BR", "2026-08-01", "end_use=wmd", "us.744.wmd-end-use", "case-by-case: denied where the export would make a material contribution to rocket systems or unmanned aerial vehicles (744.3(d)) or to chemical or biological weapons (744.4(d)); for nuclear end uses, the factors of 744.2(d) (15 CFR 744.2(d), 744.3(d), 744.4(d))")]
    [InlineData("744.23(d) as added by 87 FR 62186: a supercomputer end use in China, the day before its revision", "3A991", "CN", "2023-11-16", "us_supercomputer_end_use=true", "us.744-23.supercomputer-china", "presumption of denial (15 CFR 744.23(d) as added by 87 FR 62186)")]
    [InlineData("744.23(d) as revised by 88 FR 73458 (effective 17 Nov 2023): a supercomputer end use in China, the day of", "3A991", "CN", "2023-11-17", "us_supercomputer_end_use=true", "us.744-23.supercomputer-d5", EndUse744_23)]
    [InlineData("744.23(d) as added by 87 FR 62186 (effective 7 Oct 2022): an advanced-node IC end use in China, the day of", "3A991", "CN", "2022-10-07", "us_advanced_ic_end_use=true", "us.744-23.advanced-ic-china", "presumption of denial for facilities owned by entities headquartered in China; case-by-case for facilities owned by multinationals headquartered elsewhere (15 CFR 744.23(d) as added by 87 FR 62186)")]
    [InlineData("744.23(d) as revised by 88 FR 73458: an advanced-node IC end use in China", "3A991", "CN", "2023-11-17", "us_advanced_ic_end_use=true", "us.744-23.advanced-ic-d5", EndUse744_23)]
    public void Evaluate_GroundThatRequiresALicence_NamesItsReviewPolicy(string citation, string item, string to, string date, string facts, string rule, string policy)
    {
        var d = CheckBoth(item, to, date, facts);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        var ground = d.Grounds.FirstOrDefault(g => g.Rule == rule);
        Assert.True(ground is not null, $"{citation}: ground {rule} expected among {string.Join(", ", d.Grounds.Select(g => g.Rule))}");
        Assert.Equal(policy, ground.ReviewPolicy);
    }

    [Theory]
    // 774 Supp. 1 1C002: LVS "$3000; N/A for NP"; NP Column 1 for 1C002.b.3 (and b.4), NS Column 2 for the entry; Brazil
    // has an NS2 X and no NP1 X. The conservative reading (ear-review item D): the NP-controlled paragraph takes no LVS.
    [InlineData("1C002 LVS 'N/A for NP': 1C002.b.3 is NP-controlled: no LVS to Brazil whatever the value", "1C002.b.3", "BR", "value=100 USD", false)]
    [InlineData("1C002 LVS $3,000: the sibling 1C002.a has no NP control: LVS within the value", "1C002.a", "BR", "value=3000 USD", true)]
    [InlineData("1C002 LVS $3,000: the sibling 1C002.a over the value: no LVS", "1C002.a", "BR", "value=3000.01 USD", false)]
    public void Evaluate_LvsForAParagraphControlledForNpOrMt_FollowsTheConservativeReading(string citation, string item, string to, string facts, bool eligible)
    {
        var d = CheckBoth(item, to, "2026-08-01", facts);

        Assert.Equal(Verdict.LicenseRequired, d.Verdict);
        Assert.True(d.EligibleLicenses.Contains("LVS") == eligible, $"{citation}: LVS {(eligible ? "" : "not ")}expected: {string.Join(", ", d.EligibleLicenses)}");
    }

    private static Determination CheckBoth(string item, string to, string date, string facts) => EarCounselScenarioTests.CheckBoth(item, to, "", date, facts);
}
