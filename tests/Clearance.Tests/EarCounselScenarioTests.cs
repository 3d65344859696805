using Clearance.Evaluation;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Tests;

/// <summary>
/// The EAR answers checked as an export-control counsel would check them: each scenario's expected answer is decided
/// from the regulation and the content's sources (the citation in the row), not from what the program says, and runs
/// through both evaluators. Where the content cannot decide, the expected answer is `indeterminate` naming why; a
/// modelling limit is never expected to pass silently. The parties are stated clear unless a row says otherwise.
/// </summary>
public sealed class EarCounselScenarioTests
{
    private static readonly Jurisdiction Us = Engine.Content.Find("US")!;

    /// <summary>
    /// Rows: the citation the expectation rests on; item; destination; the country a re-export is made from ("" an export
    /// from the United States); date; facts ("name=value" separated by ';', with <c>value</c> for the shipment's value and
    /// <c>end_use</c> for civil, wmd or conventional-military); the answer ("NLR"; "LR:" and the grounds that must be among
    /// the determination's, by id prefix; "PROHIBITED:" a ground; "IND:" a gap rule in the trace or a missing fact); and
    /// further checks separated by ';': "+X" licence type X eligible, "-X" not eligible, "~text" flagged unconfirmed with
    /// the text, "!text" the explanation says it, "policy:text" a ground's review policy says it, "trace:rule" the rule is
    /// in the trace (a licence type withdrawn, a rule that may apply), "^rule" the rule is not a ground, "if:X=text" licence
    /// type X's condition in <c>license_conditions</c> says text ("!if:X=text": it does not).
    /// </summary>
    [Theory]
    // ---- Country Chart reasons and columns (15 CFR 738.4(a)(2); 738 Supp. 1 as of the eCFR of 2026-07-23) ----
    [InlineData("738 Supp. 1: NS Column 2 has an X for Brazil; 742.4(b)(1) case-by-case", "2B003", "BR", "", "2026-08-01", "", "LR:us.ccl.NS2", "+license;policy:case-by-case")]
    [InlineData("738 Supp. 1: no X in NS Column 2 for Japan; 738.4(a)(2)(ii)(B): no X is no licence only if General Prohibitions 4-10 do not apply", "2B003", "JP", "", "2026-08-01", "", "NLR", "!General Prohibitions Four to Ten")]
    [InlineData("738 Supp. 1: NS Column 1 has an X for Japan; 740.20(c)(1) STA to A:5 for NS; 774 Supp. 1 9B005 LVS and GBS N/A", "9B005", "JP", "", "2026-08-01", "", "LR:us.ccl.NS1", "+STA;-GBS;-LVS")]
    [InlineData("738 Supp. 1: Canada has no X in NS Column 1", "9B005", "CA", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 1C351: CB Column 2 for the entry, CB Column 1 only for .d.15 and .d.16; 738 Supp. 1: India has CB1, not CB2", "1C351.a", "IN", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 1C351.d.15 (ricin): CB Column 1, an X for India", "1C351.d.15", "IN", "", "2026-08-01", "", "LR:us.ccl.CB1", "")]
    [InlineData("774 Supp. 1 0A504: CC Column 1; 738 Supp. 1: an X for Mexico; 742.7(b) favourable consideration", "0A504", "MX", "", "2026-08-01", "", "LR:us.ccl.CC1", "policy:approval")]
    [InlineData("774 Supp. 1 1A002.b.1: NP Column 1 and NS Column 2, China has both X; LVS N/A for NP", "1A002.b.1", "CN", "", "2026-08-01", "value=100 USD", "LR:us.ccl.NP1,us.ccl.NS2", "-LVS")]
    [InlineData("774 Supp. 1 2B004: MT Column 1, an X for Japan; 740.2(a)(5): no STA for MT items", "2B004", "JP", "", "2026-08-01", "", "LR:us.ccl.MT1", "-STA")]
    [InlineData("774 Supp. 1 3A991: AT Column 1 only; no AT X outside the Part 746 destinations", "3A991", "CN", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 0A501: NS and RS apply to the entire entry except 0A501.y; NS Column 1 X for China (0A501.c is named later, by LVS)", "0A501.c", "CN", "", "2026-08-01", "", "LR:us.ccl.NS1,us.ccl.RS1", "")]
    [InlineData("774 Supp. 1 9A619: NS and RS apply to the entire entry except 9A619.y; the entry given without its paragraph depends on whether it is .y", "9A619", "DE", "", "2026-08-01", "", "IND:item", "")]
    // ---- a paragraph named with an exception of its own (the generator read the list as one qualified reference; counsel review ear-review27) ----
    [InlineData("774 Supp. 1 5A001: 'NS applies to 5A001.b (except .b.5), .c, .d, .f (except f.3), .g, and .j': NS Column 2, an X for China", "5A001.d", "CN", "", "2026-08-01", "", "LR:us.ccl.NS2", "")]
    [InlineData("774 Supp. 1 5A001: NS Column 2 for 5A001.j (IP network surveillance), an X for China", "5A001.j.1.a", "CN", "", "2026-08-01", "", "LR:us.ccl.NS2", "")]
    [InlineData("774 Supp. 1 5A001: NS Column 2 for 5A001.f except f.3: f.2 to China", "5A001.f.2", "CN", "", "2026-08-01", "", "LR:us.ccl.NS2", "^us.ccl.NS1")]
    [InlineData("774 Supp. 1 5A001: 5A001.b.5 is excepted from NS Column 2 (it is NS Column 1)", "5A001.b.5", "CN", "", "2026-08-01", "", "LR:us.ccl.NS1", "^us.ccl.NS2")]
    [InlineData("774 Supp. 1 5A001: 5A001.f.3 is excepted from NS Column 2 (it is NS Column 1)", "5A001.f.3", "CN", "", "2026-08-01", "", "LR:us.ccl.NS1", "^us.ccl.NS2")]
    [InlineData("774 Supp. 1 5A001.d: NS Column 2 only; Japan has no NS2 X", "5A001.d", "JP", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 6A002: 'RS applies to 6A002.a.1, a.2, a.3 (except ... for lead selenide FPAs), .c, and .f': RS Column 1, an X for Germany", "6A002.c", "DE", "", "2026-08-01", "", "LR:us.ccl.RS1", "")]
    [InlineData("774 Supp. 1 6A002: RS Column 1 for 6A002.f, an X for Japan", "6A002.f", "JP", "", "2026-08-01", "", "LR:us.ccl.RS1", "")]
    [InlineData("774 Supp. 1 6A002: 6A002.a.3 takes RS Column 1, its lead selenide exception not checked (flagged)", "6A002.a.3", "JP", "", "2026-08-01", "", "LR:us.ccl.RS1", "~6A002.a.3")]
    // ---- "entire entry except P" where the data lists no other paragraph: P does not inherit the entry's columns ----
    [InlineData("774 Supp. 1 9A619: NS1 and RS1 apply to 9A619 except .y; 9A619.y is RS only to China, Russia or Venezuela (742.6(a)(7)); Germany: no such X", "9A619.y", "DE", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 0A617: NS and RS Column 1 apply to the entire entry except 0A617.y; 0A617.y: RS to China, Russia or Venezuela", "0A617.y", "DE", "", "2019-06-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 0A617.y: RS to China, Russia or Venezuela only (742.6(a)(7)), not NS1 or RS1", "0A617.y", "CN", "", "2026-08-01", "", "LR:us.ccl.RS-CNRUVE", "^us.ccl.NS1;^us.ccl.RS1")]
    [InlineData("774 Supp. 1 0A617: the rest of the entry keeps NS1 and RS1 (Germany has both X)", "0A617", "DE", "", "2026-08-01", "", "IND:item", "")]
    [InlineData("774 Supp. 1 8E609: NS and RS Column 1 apply to the entire entry except 8E609.y", "8E609.y", "FR", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 8B620: NS Column 1 applies to the entire entry except 8B620.b; RS Column 1 to the entire entry", "8B620.b", "DE", "", "2026-08-01", "", "LR:us.ccl.RS1", "^us.ccl.NS1")]
    [InlineData("774 Supp. 1 9B610: NS Column 1 except 9B610.c; MT Column 1 for 9B610.c; RS Column 1 for the entire entry", "9B610.c", "JP", "", "2026-08-01", "", "LR:us.ccl.MT1,us.ccl.RS1", "^us.ccl.NS1")]
    [InlineData("774 Supp. 1 9A012: NS Column 1 for the entire entry except .a.1, NS Column 2 for 9A012.a.1; Japan has an X in NS1, not in NS2", "9A012.a.1", "JP", "", "2026-08-01", "", "LR:us.ccl.MT1", "^us.ccl.NS1;^us.ccl.NS2")]
    [InlineData("774 Supp. 1 9A012.a.1: NS Column 2, an X for China", "9A012.a.1", "CN", "", "2026-08-01", "", "LR:us.ccl.NS2", "^us.ccl.NS1")]
    [InlineData("774 Supp. 1 2B999: RS (Pakistan, 742.6(a)(12)) for the entire entry other than 2B999.h.2", "2B999.h.2", "PK", "", "2026-08-01", "", "NLR", "")]
    [InlineData("774 Supp. 1 2B999: 2B999.h given without its sub-paragraph depends on whether it is .h.2", "2B999.h", "PK", "", "2026-08-01", "", "IND:item", "")]
    [InlineData("738 Supp. 1 footnote 7: a licence is still required for 9A515.e (RS Column 2) to India, which has no RS2 X", "9A515.e", "IN", "", "2026-08-01", "", "LR:us.cc-footnote-7.india", "~footnote")]
    // ---- Australia and the United Kingdom (89 FR 28594, effective 19 Apr 2024; Country Chart footnote 10) ----
    [InlineData("738 Supp. 1 before 89 FR 28594: NS Column 1 X for the United Kingdom", "9B005", "GB", "", "2024-04-18", "", "LR:us.au-uk-before-2024-04-19.NS1", "")]
    [InlineData("89 FR 28594 (effective 19 Apr 2024) removed NS1, RS1 and MT1 for the United Kingdom", "9B005", "GB", "", "2024-04-19", "", "NLR", "")]
    [InlineData("738 Supp. 1 before 89 FR 28594: NS1 and RS1 X for Australia on 0A501 firearms", "0A501.c", "AU", "", "2024-04-18", "", "LR:us.au-uk-before-2024-04-19.NS1,us.au-uk-before-2024-04-19.RS1", "")]
    [InlineData("738 Supp. 1 footnote 10 (footnote 9 of the AUKUS rule, 89 FR 28594 as corrected by 89 FR 38837): firearms to Australia still need a licence", "0A501.c", "AU", "", "2024-04-19", "", "LR:us.cc-footnote-10.au-uk-firearms", "~footnote")]
    [InlineData("738 Supp. 1 footnote 10: 0A506 semi-automatic rifles to the United Kingdom", "0A506", "GB", "", "2026-08-01", "", "LR:us.cc-footnote-10.au-uk-firearms", "")]
    // ---- licence exceptions (Part 740) ----
    [InlineData("740.3(d): LVS to Group B up to the ECCN's value; 774 Supp. 1 2B003 LVS $5000", "2B003", "BR", "", "2026-08-01", "value=5000 USD", "LR:us.ccl.NS2", "+LVS")]
    [InlineData("740.3(d): LVS value limit exceeded by one cent", "2B003", "BR", "", "2026-08-01", "value=5000.01 USD", "LR:us.ccl.NS2", "-LVS")]
    [InlineData("740.3: LVS only to Country Group B; China (D:1) is not in B", "2B003", "CN", "", "2026-08-01", "value=100 USD", "LR:us.ccl.NS2", "-LVS")]
    [InlineData("740.4: GBS to Group B where the ECCN says GBS Yes (3C005)", "3C005", "BR", "", "2026-08-01", "", "LR:us.ccl.NS2", "+GBS")]
    [InlineData("740.4: no GBS outside Group B", "3C005", "CN", "", "2026-08-01", "", "LR:us.ccl.NS2", "-GBS")]
    [InlineData("740.20(c)(2): STA to A:6 (Israel) for NS-only items, the consignee statement of 740.20(d) a condition", "3C005", "IL", "", "2026-08-01", "", "LR:us.ccl.NS2", "+STA")]
    [InlineData("774 Supp. 1 1A002 STA paragraph: STA may not be used for any item in the entry to A:6", "1A002.a", "IL", "", "2026-08-01", "", "LR:us.ccl.NS2", "-STA")]
    [InlineData("740.17: ENC for 5A002 not to E:1/E:2; China is neither", "5A002.a", "CN", "", "2026-08-01", "", "LR:us.ccl.NS1", "+ENC")]
    // ---- LVS for "components" only (5A002, 5A003, 5A004; counsel audit, line 929768) and STA's exceptions (740.20(b)(2)) ----
    [InlineData("740.3; 774 Supp. 1 5A002 LVS: '$500 for components' (N/A for systems and equipment): the condition names the component, not the value only", "5A002.a.4.b", "JP", "", "2024-01-18", "value=400 USD", "LR:us.ccl.NS1", "+LVS;if:LVS=us item component is true")]
    [InlineData("740.3; 5A002 LVS: a component stated, LVS to Group B within $500", "5A002.a.4.b", "JP", "", "2024-01-18", "value=400 USD;us_item_component=true", "LR:us.ccl.NS1", "+LVS")]
    [InlineData("740.3; 5A002 LVS: a system or equipment (not a component) takes no LVS", "5A002.a.4.b", "JP", "", "2024-01-18", "value=400 USD;us_item_component=false", "LR:us.ccl.NS1", "-LVS;+ENC")]
    [InlineData("740.3; 774 Supp. 1 5A004 LVS: 'N/A for systems and equipment'", "5A004.a", "KR", "", "2019-06-01", "value=100 USD;us_item_component=false", "LR:us.ccl.NS1", "-LVS")]
    // 774 Supp. 1 3A001: "NS applies to ... 3A001.b.2 and ... 3A001.b.3, except those 3A001.b.2 and b.3 items being exported or
    // reexported for use in civil telecommunications applications" (NS Column 1; the RS Column 1 line the same); the STA
    // paragraph excepts the same use. Not stated: the NS1 and RS1 requirements are undecided (ear-content12).
    [InlineData("774 Supp. 1 3A001 NS1/RS1 except civil telecommunications use: not stated, undecided (India: NS1 and RS1 X, no NS2 X)", "3A001.b.2.a.1", "IN", "", "2026-02-14", "", "IND:us_civil_telecommunications_use", "")]
    [InlineData("774 Supp. 1 3A001 NS1/RS1: 3A001.b.2 for civil telecommunications applications: no NS1 or RS1 licence; no other X for India", "3A001.b.2.a.1", "IN", "", "2026-02-14", "us_civil_telecommunications_use=true", "NLR", "")]
    [InlineData("774 Supp. 1 3A001 NS1/RS1 for another use; 740.20(b)(2) STA withheld (counsel audit, line 370768)", "3A001.b.2.a.1", "IN", "", "2026-02-14", "us_civil_telecommunications_use=false", "LR:us.ccl.NS1.unless-civil-telecommunications,us.ccl.RS1.unless-civil-telecommunications", "-STA;+TMP;trace:us.sta.excluded.3A001.except-civil-telecommunications")]
    [InlineData("774 Supp. 1 3A001 names '3A001.b.2 or b.3': b.3 (discrete microwave transistors) for another use, STA withheld (it was offered: the generator read b.2 only)", "3A001.b.3", "IN", "", "2026-02-14", "us_civil_telecommunications_use=false", "LR:us.ccl.NS1.unless-civil-telecommunications", "-STA;+TMP")]
    [InlineData("774 Supp. 1 3A001 NS1/RS1: 3A001.b.3 for civil telecommunications: no licence to India", "3A001.b.3", "IN", "", "2019-06-01", "us_civil_telecommunications_use=true", "NLR", "")]
    [InlineData("774 Supp. 1 3A001 NS1/RS1: Japan (A:1) has NS1 and RS1 X only: not stated, undecided", "3A001.b.3.a.1", "JP", "", "2026-08-01", "", "IND:us_civil_telecommunications_use", "")]
    [InlineData("774 Supp. 1 3A001 NS2 applies to the entire entry (China X): a licence whatever the use; NS1/RS1 excepted for civil telecommunications", "3A001.b.2.a.1", "CN", "", "2026-08-01", "us_civil_telecommunications_use=true", "LR:us.ccl.NS2", "^us.ccl.NS1.unless-civil-telecommunications;^us.ccl.RS1.unless-civil-telecommunications")]
    [InlineData("738 Supp. 1 before 89 FR 28594: NS1 and RS1 X for Australia; 3A001.b.2 for another use", "3A001.b.2.a.1", "AU", "", "2024-04-18", "us_civil_telecommunications_use=false", "LR:us.au-uk-before-2024-04-19.NS1.unless-civil-telecommunications,us.au-uk-before-2024-04-19.RS1.unless-civil-telecommunications", "")]
    [InlineData("738 Supp. 1 before 89 FR 28594, 3A001 NS1/RS1: for civil telecommunications, no licence to Australia the day before either", "3A001.b.2.a.1", "AU", "", "2024-04-18", "us_civil_telecommunications_use=true", "NLR", "")]
    [InlineData("738 Supp. 1 before 89 FR 28594: not stated, undecided the day before", "3A001.b.2.a.1", "AU", "", "2024-04-18", "", "IND:us_civil_telecommunications_use", "")]
    [InlineData("89 FR 28594 (effective 19 Apr 2024) removed NS1 and RS1 for Australia: no licence whatever the use", "3A001.b.2.a.1", "AU", "", "2024-04-19", "us_civil_telecommunications_use=false", "NLR", "")]
    [InlineData("740.20(b)(2); 3A001 STA: 3A001.z is withheld whatever the use", "3A001.z.1.a", "IN", "", "2026-02-14", "us_civil_telecommunications_use=true", "LR:us.ccl.RS-WW.since-2025-05-15", "-STA")]
    [InlineData("740.20(b)(2); 774 Supp. 1 5A001 STA: '5A001.b.3, .b.5 or .h' to A:5/A:6: .b.5 withheld (it was offered)", "5A001.b.5", "JP", "", "2026-08-01", "", "LR:us.ccl.NS1", "-STA;+GBS;trace:us.sta.excluded.5A001")]
    [InlineData("740.17, 740.2; 746.7: no ENC to Iran (E:1), the embargo's licence", "5A002.a", "IR", "", "2026-08-01", "", "LR:us.746.iran.ccl", "-ENC")]
    [InlineData("740.20(c)(1) (A:5 only): 88 FR 73458 treats the UAE as a D:4 destination outside A:5 in 2023-2025: no STA", "3C005", "AE", "", "2024-06-01", "", "LR:us.ccl.NS2", "-STA;trace:us.sta.uae-not-a5-before-2025-01-13")]
    [InlineData("740.20(c)(1): the day before the AI diffusion rule the UAE is still treated as outside A:5 (88 FR 73458)", "3C005", "AE", "", "2025-01-12", "", "LR:us.ccl.NS2", "-STA")]
    [InlineData("740.20(c)(1): from 13 Jan 2025 the 2026 membership (A:5, Supp. 8 entities only) is applied, flagged", "3C005", "AE", "", "2025-01-13", "", "LR:us.ccl.NS2", "+STA")]
    [InlineData("740.20(c)(1), 740.2(a)(26): the UAE in A:5 (eCFR 2026), STA only for the approved entities of Supp. 8 to Part 740; undated membership flagged", "3C005", "AE", "", "2026-08-01", "", "LR:us.ccl.NS2", "+STA")]
    // ---- restricted parties (Part 744, General Prohibition Four) ----
    [InlineData("744.11, Supp. 4 to Part 744: an Entity List party needs a licence for all items subject to the EAR; no licence exception", "EAR99", "CN", "", "2026-08-01", "us_entity_list=true;value=10 USD", "LR:us.entity-list", "+license;-LVS;-TMP")]
    [InlineData("736.2(b)(4) General Prohibition Four: a denied person makes the export prohibited", "EAR99", "DE", "", "2026-08-01", "us_denied_person=true", "PROHIBITED:us.dpl.denied-person", "")]
    [InlineData("736.2(b)(4) over 744.11: a party on both lists: prohibited", "3A991", "CN", "", "2026-08-01", "us_denied_person=true;us_entity_list=true", "PROHIBITED:us.dpl.denied-person", "")]
    [InlineData("85 FR 51596 (17 Aug 2020): a Huawei entity's foreign-produced item; the line states the item is subject to the EAR (the application's explanation says de minimis and the FDP rules are not computed)", "EAR99", "CN", "JP", "2020-08-17", "us_entity_list=true", "LR:us.entity-list", "+license;-APR")]
    // ---- the Huawei Temporary General License (Supplement No. 7 to Part 744, 20 May 2019 to 13 Aug 2020) ----
    [InlineData("84 FR 22961 (effective 16 May 2019): Huawei on the Entity List; the TGL of 84 FR 23468 took effect only on 20 May 2019", "EAR99", "CN", "", "2019-05-19", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+license;-TGL")]
    [InlineData("84 FR 23468 (effective 20 May 2019): the TGL authorises the listed activities, 5G standards among them, for a Huawei entity", "EAR99", "CN", "", "2019-05-20", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+license;+TGL;if:TGL=5G standards;if:TGL=16 May 2019;~Husch Blackwell")]
    [InlineData("84 FR 23468: the TGL as first issued, the day before its revision", "EAR99", "CN", "", "2019-08-18", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+TGL;if:TGL=5G standards;trace:us.tgl.huawei.2019-05-20")]
    [InlineData("84 FR 43487 (effective 19 Aug 2019): extended and narrowed, no 5G standards, the Huawei entity's certification first", "EAR99", "CN", "", "2019-08-19", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+TGL;if:TGL=certification;if:TGL=personal consumer electronic devices;!if:TGL=engagement as necessary")]
    [InlineData("84 FR 43493 (effective 19 Aug 2019): an affiliate listed that day is a Huawei entity the revised TGL names", "5A991", "GB", "", "2019-08-19", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+TGL")]
    [InlineData("85 FR 8722 (effective 13 Feb 2020 through 1 Apr 2020): the TGL extended", "EAR99", "CN", "", "2020-02-13", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+TGL")]
    [InlineData("The extension effective 15 May 2020 ran through 13 Aug 2020: its last day", "EAR99", "CN", "", "2020-08-13", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+TGL")]
    [InlineData("85 FR 51596: the TGL expired on 13 Aug 2020", "EAR99", "CN", "", "2020-08-14", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "+license;-TGL")]
    [InlineData("85 FR 51596 (effective 17 Aug 2020) removed Supplement No. 7", "EAR99", "CN", "", "2020-08-17", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list", "-TGL")]
    [InlineData("Supplement No. 7 to Part 744 named Huawei and its listed affiliates only: another Entity List party takes no TGL", "EAR99", "RU", "", "2019-06-01", "us_entity_list=true;us_huawei_entity=false", "LR:us.entity-list", "+license;-TGL;trace:us.tgl.huawei-entities-only")]
    [InlineData("Supplement No. 7 to Part 744: a party not said to be a Huawei entity: the TGL is withheld, naming the fact", "EAR99", "CN", "", "2019-06-01", "us_entity_list=true", "LR:us.entity-list", "-TGL;if:TGL=us huawei entity")]
    [InlineData("Supplement No. 7 to Part 744: 'subject to other provisions of the EAR': the TGL answers the Entity List requirement only, not NS Column 2", "2B003", "CN", "", "2019-06-01", "us_entity_list=true;us_huawei_entity=true", "LR:us.entity-list,us.ccl.NS2", "+license;-TGL")]
    // ---- the savings clauses of the footnote 1 (Huawei) foreign direct product rules (85 FR 29849, 85 FR 51596) ----
    [InlineData("85 FR 29849 (effective 15 May 2020) created the footnote 1 rule: the day before, a statement of its savings clause changes nothing", "EAR99", "CN", "TW", "2020-05-14", "us_entity_list=true;us_footnote_1_fdp_savings=true", "LR:us.entity-list", "^us.entity-list.footnote-1-savings-period")]
    [InlineData("85 FR 29849 savings clause: an item in production before 15 May 2020, shipped on the effective day, needs no Entity List licence", "EAR99", "CN", "TW", "2020-05-15", "us_entity_list=true;us_footnote_1_fdp_savings=true", "NLR", "")]
    [InlineData("85 FR 29849: without the savings clause stated, the footnote 1 item takes the Entity List licence", "EAR99", "CN", "TW", "2020-05-15", "us_entity_list=true", "LR:us.entity-list.footnote-1-savings-period", "")]
    [InlineData("85 FR 51596 savings clause (effective 17 Aug 2020): a shipment en route on the effective day", "5A991", "CN", "KR", "2020-08-17", "us_entity_list=true;us_footnote_1_fdp_savings=true", "NLR", "")]
    [InlineData("85 FR 29849, 85 FR 51596: the savings clauses' last day, 14 Sep 2020", "EAR99", "CN", "TW", "2020-09-14", "us_entity_list=true;us_footnote_1_fdp_savings=true", "NLR", "")]
    [InlineData("85 FR 29849, 85 FR 51596: after 14 Sep 2020 the savings clauses no longer apply", "EAR99", "CN", "TW", "2020-09-15", "us_entity_list=true;us_footnote_1_fdp_savings=true", "LR:us.entity-list", "+license;^us.entity-list.footnote-1-savings-period")]
    [InlineData("The savings clause lifts the Entity List requirement only: a Country Chart ground of the classification given stays", "2B003", "CN", "TW", "2020-06-01", "us_entity_list=true;us_footnote_1_fdp_savings=true", "LR:us.ccl.NS2", "^us.entity-list;^us.entity-list.footnote-1-savings-period")]
    [InlineData("744.15(b): a UVL party where no licence is required: the export waits for the UVL statement", "EAR99", "CN", "", "2026-08-01", "us_unverified_list=true", "IND:us_uvl_statement", "")]
    [InlineData("744.15(b): the UVL statement obtained, no licence is required", "EAR99", "CN", "", "2026-08-01", "us_unverified_list=true;us_uvl_statement=true", "NLR", "")]
    [InlineData("744.15(a)(1): a UVL party where a licence is required: the licence, and no licence exception", "2B003", "BR", "", "2026-08-01", "us_unverified_list=true;value=100 USD", "LR:us.ccl.NS2", "+license;-LVS")]
    // ---- 744.21 military end users: Russia and Venezuela since 2014, China from 29 Jun 2020 (counsel review ear-review27) ----
    [InlineData("744.21(a) since 79 FR 66288 (7 Nov 2014): a known Venezuelan military end user, Supp. 2 item, before 85 FR 23459", "3A991", "VE", "", "2019-06-01", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "+license;policy:presumption of denial;~us.744-21.military-end-user-russia-venezuela")]
    [InlineData("744.21(a) since the rule of 17 Sep 2014: a known Russian military end user the day before 85 FR 23459", "3A991", "RU", "", "2020-06-28", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "^us.744-21.military-end-user-china")]
    [InlineData("744.21(a): the Russian military end user requirement holds on the content's first day", "5A992.c", "RU", "", "2019-01-01", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "")]
    [InlineData("744.21(a): Venezuela on the day 85 FR 23459 took effect: still its 2014 requirement, not the China rule", "3A991", "VE", "", "2020-06-29", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "^us.744-21.military-end-user-china")]
    [InlineData("85 FR 23459 (effective 29 Jun 2020) added military end users in China: the day before, a military end use only", "3A991", "CN", "", "2020-06-28", "us_military_end_user_known=true", "NLR", "")]
    [InlineData("85 FR 23459 (effective 29 Jun 2020): a known Chinese military end user", "3A991", "CN", "", "2020-06-29", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-china", "policy:presumption of denial")]
    [InlineData("744.21: military end user not known: no licence to Venezuela for an AT-only item", "3A991", "VE", "", "2019-06-01", "us_military_end_user_known=false", "NLR", "")]
    // An X in the AT columns is for the state sponsors of terrorism only: the gap for Russia's row before 85 FR 10274 no
    // longer leaves an AT-only item undecided (an NS2 item stays so, below).
    [InlineData("738 Supp. 1: AT Column 1 has an X only for state sponsors of terrorism, never Russia: 3A991 the day before 85 FR 10274", "3A991", "RU", "", "2020-02-23", "", "NLR", "")]
    // 744.21(a)(2) of 2026 has no food-and-medicine exclusion (the 2022 rules had one): the licence, flagged.
    [InlineData("744.21(a)(2), (e)(1) (eCFR 2026): EAR99 food for a Russian military end use: a licence, case-by-case; the 2022 exclusion flagged", "EAR99", "RU", "", "2023-01-01", "end_use=conventional-military;us_ear99_food_medicine=true;us_russia_belarus_listed_ear99=false", "LR:us.744-21.russia-all-items", "policy:case-by-case for food and medicine;~us.744-21.russia-all-items")]
    [InlineData("744.21(b), 85 FR 83793: the MEU List did not exist before 23 Dec 2020", "4A994", "CN", "", "2020-12-22", "us_military_end_user_list=true", "NLR", "")]
    [InlineData("744.21(b), 85 FR 83793 (effective 23 Dec 2020): MEU List party, Supp. 2 item", "4A994", "CN", "", "2020-12-23", "us_military_end_user_list=true", "LR:us.meu-list", "")]
    // ---- end uses (Part 744) ----
    [InlineData("744.21(a)(1): Supp. 2 item for a military end use in China", "3A991", "CN", "", "2026-08-01", "end_use=conventional-military", "LR:us.744-21.military-end-use", "")]
    [InlineData("744.21 names China, Russia, Venezuela: Hong Kong a separate destination until 85 FR 83765", "3A991", "HK", "", "2020-12-22", "end_use=conventional-military", "NLR", "")]
    [InlineData("85 FR 83765 (effective 23 Dec 2020): Hong Kong is China, 744.21 applies", "3A991", "HK", "", "2020-12-23", "end_use=conventional-military", "LR:us.744-21.military-end-use", "")]
    [InlineData("744.2-744.4: WMD end use, any item, any destination", "EAR99", "FR", "", "2026-08-01", "end_use=wmd", "LR:us.744.wmd-end-use", "")]
    [InlineData("744.3(c), 744.4(c): 'No License Exceptions apply'; 744.2(c) only TSU for Supplement No. 3 countries: no GOV for a WMD end use (the counsel audit found it offered)", "4A994.f", "JP", "", "2021-06-24", "end_use=wmd", "LR:us.744.wmd-end-use", "+license;-GOV;trace:us.744.wmd-end-use.no-GOV")]
    [InlineData("744.3(c), 744.4(c): an NS item for a WMD end use takes no exception for its Country Chart ground either", "3A001.b.2.a.1", "IN", "", "2026-02-14", "end_use=wmd", "LR:us.744.wmd-end-use", "+license;-TMP;-RPL;-GOV")]
    [InlineData("740.9, 740.10, 740.11: for a civil end use the same NS item keeps its exceptions", "3A001.b.2.a.1", "IN", "", "2026-02-14", "end_use=civil;us_civil_telecommunications_use=false", "LR:us.ccl.NS1", "+TMP;+RPL;+GOV")]
    [InlineData("744.23(a)(2): the supercomputer end use did not exist before 87 FR 62186 (7 Oct 2022)", "4A994", "CN", "", "2022-10-06", "us_supercomputer_end_use=true", "NLR", "")]
    [InlineData("744.23(a)(2), 87 FR 62186 (effective 7 Oct 2022): supercomputer end use in China", "4A994", "CN", "", "2022-10-07", "us_supercomputer_end_use=true", "LR:us.744-23.supercomputer-china", "")]
    // ---- embargoes and comprehensive controls (Part 746) ----
    [InlineData("746.2: Cuba, all items subject to the EAR", "EAR99", "CU", "", "2026-08-01", "", "LR:us.746.cuba", "")]
    [InlineData("746.7(a)(2), 31 CFR 560.204: EAR99 to Iran is OFAC's; not in the content", "EAR99", "IR", "", "2026-08-01", "", "IND:us.746.iran.ear99", "!31 CFR 560.204;!without an OFAC licence")]
    [InlineData("746.4(a): North Korea, all items but EAR99 food and medicine", "EAR99", "KP", "", "2026-08-01", "us_ear99_food_medicine=true", "NLR", "")]
    [InlineData("746.9 before 90 FR 42315: Syria, EAR99 other than food and medicine, no SPP; TMP for the news media (746.9(b)(1), a condition)", "EAR99", "SY", "", "2025-09-01", "", "LR:us.746.syria.ear99-2019", "-SPP;+TMP")]
    [InlineData("90 FR 42315 (effective 2 Sep 2025): Syria, License Exception SPP for EAR99", "EAR99", "SY", "", "2025-09-02", "", "LR:us.746.syria.2025.ear99", "+SPP")]
    [InlineData("746.9(a) before 90 FR 42315: EAR99 food and medicine to Syria need no licence", "EAR99", "SY", "", "2025-09-01", "us_ear99_food_medicine=true", "NLR", "")]
    [InlineData("746.9(a) as revised by 90 FR 42315 (2 Sep 2025) keeps 'except food and medicine classified as EAR99': still no licence", "EAR99", "SY", "", "2025-09-02", "us_ear99_food_medicine=true", "NLR", "")]
    [InlineData("746.9(a), (b) as revised by 90 FR 42315: CCL items to Syria still need a licence; SPP is for EAR99 only (740.5(a)); TMP (b)(2) and RPL (b)(3) on their conditions", "3A991", "SY", "", "2025-09-02", "", "LR:us.746.syria.2025", "-SPP;+TMP;+RPL;^us.746.syria.2025.ear99")]
    [InlineData("746.9(a), (b)(1) before 90 FR 42315: CCL items to Syria, TMP only for the news media (a condition), no RPL", "3A991", "SY", "", "2025-09-01", "", "LR:us.746.syria.ccl-2019", "-SPP;+TMP;-RPL;~Cornell")]
    [InlineData("746.9(b)(3) before 90 FR 42315: TSU (740.13(a)-(c)) for software to Syria", "2D991", "SY", "", "2025-09-01", "", "LR:us.746.syria.ccl-2019", "+TSU;+TMP")]
    [InlineData("746.9(b)(2) as revised by 90 FR 42315: TMP for technology (740.9(a)(3)) to Syria; RPL is for commodities", "2E991", "SY", "", "2025-09-02", "", "LR:us.746.syria.2025", "+TMP;-RPL")]
    [InlineData("85 FR 10274 (24 Feb 2020) changed Russia's row; the row before is not in the content", "2B003", "RU", "", "2020-02-23", "", "IND:us.russia-chart-before-2020-02-24", "")]
    [InlineData("738 Supp. 1 after 85 FR 10274: NS Column 2 X for Russia", "2B003", "RU", "", "2020-02-24", "", "LR:us.ccl.NS2", "")]
    [InlineData("87 FR 12226 (effective 24 Feb 2022): not yet in force for CCL Categories 3-9 to Russia", "4A994", "RU", "", "2022-02-23", "", "NLR", "")]
    [InlineData("87 FR 12226 (effective 24 Feb 2022): CCL Categories 3-9 to Russia, policy of denial", "4A994", "RU", "", "2022-02-24", "", "LR:us.746.russia.cat3-9", "")]
    [InlineData("87 FR 22130 (effective 8 Apr 2022): every CCL category to Russia and Belarus", "2B991", "BY", "", "2022-04-08", "", "LR:us.746.russia-belarus.ccl", "")]
    // ---- 746.5(a)(1)(i): the Russian oil and gas sanctions of 2014 (79 FR 45675), until the 2022 rules overtook them ----
    [InlineData("746.5(a)(1)(i): 8A992 to Russia for a deepwater, Arctic offshore or shale project, presumption of denial (746.5(b))", "8A992", "RU", "", "2021-06-01", "us_russia_oil_gas_project=true", "LR:us.746-5.russia-oil-gas.ccl", "policy:presumption of denial;~746.5")]
    [InlineData("746.5(a)(1)(i) is knowledge-based: not stated, 8A992 (AT1 only) needs no licence to Russia in 2021", "8A992", "RU", "", "2021-06-01", "", "NLR", "")]
    [InlineData("746.5(a)(1)(i): an EAR99 item for such a project needs a licence only if listed in Supp. 2 to Part 746: not given, undecided", "EAR99", "RU", "", "2021-06-01", "us_russia_oil_gas_project=true", "IND:us_russia_belarus_listed_ear99", "")]
    [InlineData("746.5(a)(1)(i): a Supp. 2 EAR99 item for such a project, the day before 87 FR 12856", "EAR99", "RU", "", "2022-03-02", "us_russia_oil_gas_project=true;us_russia_belarus_listed_ear99=true", "LR:us.746-5.russia-oil-gas.ear99", "")]
    [InlineData("746.5(a)(1)(ii), 87 FR 12856 (effective 3 Mar 2022): listed EAR99 items need a licence whatever the project", "EAR99", "RU", "", "2022-03-03", "us_russia_oil_gas_project=true;us_russia_belarus_listed_ear99=true", "LR:us.746.russia.listed-ear99", "^us.746-5.russia-oil-gas.ear99")]
    [InlineData("746.5(a)(1)(i): 0A998 (Category 0, outside the 24 Feb 2022 rule) the day before 87 FR 22130", "0A998", "RU", "", "2022-04-07", "us_russia_oil_gas_project=true", "LR:us.746-5.russia-oil-gas.ccl", "")]
    [InlineData("746.8(a)(1) as amended by 87 FR 22130 (effective 8 Apr 2022): every CCL item to Russia, the oil and gas condition no longer needed", "0A998", "RU", "", "2022-04-08", "us_russia_oil_gas_project=true", "LR:us.746.russia-belarus.ccl", "^us.746-5.russia-oil-gas.ccl")]
    // ---- 746.8(c): the licence exceptions that overcome the Russia and Belarus requirements (740.2(a)(6)) ----
    [InlineData("740.17: ENC to Russia before 87 FR 12226 (only the Country Chart's NS1)", "5A002.a", "RU", "", "2022-02-23", "", "LR:us.ccl.NS1", "+ENC")]
    [InlineData("746.8(c)(6) as written by 87 FR 12226 (24 Feb 2022): ENC still overcomes 746.8(a)(1) for the listed civil end users (a condition)", "5A002.a", "RU", "", "2022-02-24", "", "LR:us.ccl.NS1,us.746.russia.cat3-9", "+ENC;+GOV;-LVS;~87 FR 13062")]
    [InlineData("746.8(c)(1), (2): TMP (news media) and GOV; 740.2(a)(6): not RPL, which 746.8(c) does not list", "4A994", "RU", "", "2022-02-24", "", "LR:us.746.russia.cat3-9", "+TMP;+GOV;-RPL;-LVS")]
    [InlineData("87 FR 13048 (effective 2 Mar 2022) extended 746.8 to Belarus: the day before, ENC on the Country Chart's NS1 alone", "5A002.a", "BY", "", "2022-03-01", "", "LR:us.ccl.NS1", "+ENC")]
    [InlineData("746.8(c)(6) as amended by 87 FR 13048 (2 Mar 2022): ENC for Belarus", "5A002.a", "BY", "", "2022-03-02", "", "LR:us.ccl.NS1,us.746.belarus.cat3-9", "+ENC")]
    [InlineData("746.8(c)(3), (4) after 87 FR 22130 (8 Apr 2022, all CCL categories): TSU software updates and BAG", "4D994", "RU", "", "2022-04-08", "", "LR:us.746.russia-belarus.ccl", "+TSU;+BAG")]
    [InlineData("746.8(c)(5): AVS (740.15(a), (b)) not for Russian aircraft, a condition", "9A991", "BY", "", "2022-04-08", "", "LR:us.746.russia-belarus.ccl", "+AVS;-RPL")]
    [InlineData("744.21 before 87 FR 12226: EAR99 is not a Supp. 2 item", "EAR99", "RU", "", "2022-02-23", "end_use=conventional-military", "NLR", "")]
    [InlineData("744.21 as amended by 87 FR 12226 (24 Feb 2022): Russia, all items for a military end use", "EAR99", "RU", "", "2022-02-24", "end_use=conventional-military", "LR:us.744-21.russia-all-items", "")]
    [InlineData("746.6 as amended by 87 FR 12226 (24 Feb 2022): the covered regions of Ukraine, not before", "EAR99", "UA", "", "2022-02-23", "us_ukraine_covered_region=donetsk-luhansk", "NLR", "")]
    [InlineData("746.6(a)(1), 87 FR 12226: the covered regions of Ukraine, EAR99 other than food and medicine", "EAR99", "UA", "", "2022-02-24", "us_ukraine_covered_region=donetsk-luhansk", "LR:us.746.ukraine.dnr-lnr.ear99", "")]
    [InlineData("746.6(a)(1): food and medicine designated EAR99 are outside the Crimea requirement", "EAR99", "UA", "", "2022-02-24", "us_ukraine_covered_region=crimea;us_ear99_food_medicine=true", "NLR", "")]
    [InlineData("746.6(a)(1): CCL items to the Crimea region", "4A994", "UA", "", "2019-06-01", "us_ukraine_covered_region=crimea", "LR:us.746.ukraine.crimea", "")]
    [InlineData("746.6: a destination in Ukraine without its region cannot be answered", "EAR99", "UA", "", "2026-08-01", "", "IND:us_ukraine_covered_region", "")]
    // ---- advanced computing and semiconductors ----
    [InlineData("87 FR 62186 (effective 7 Oct 2022) created 3A090: before, classify under the CCL of the date", "3A090.a", "CN", "", "2022-10-06", "", "IND:us.ccl.not-listed-before-2022-10-07", "")]
    [InlineData("87 FR 62186 (effective 7 Oct 2022): 3A090 RS licence to China", "3A090.a", "CN", "", "2022-10-07", "", "LR:us.ac.2022.china", "")]
    [InlineData("88 FR 73458 (effective 17 Nov 2023): not yet for the UAE", "3A090.a", "AE", "", "2023-11-16", "", "NLR", "")]
    [InlineData("88 FR 73458 (effective 17 Nov 2023): 3A090.a to the UAE (D:4, not A:5)", "3A090.a", "AE", "", "2023-11-17", "", "LR:us.ac.2023.uae", "")]
    [InlineData("90 FR 4544 (effective 13 Jan 2025): not yet worldwide", "3A090.a", "JP", "", "2025-01-12", "", "NLR", "")]
    [InlineData("90 FR 4544: effective 13 Jan 2025, but exporters 'not required to comply ... until 120 days from date of publication' (BIS's page for the rule): 15 May 2025", "3A090.a", "JP", "", "2025-01-13", "", "NLR", "")]
    [InlineData("90 FR 4544, compliance from 15 May 2025 (counsel audit, line 551835: 3A090.a.1 to Japan on 12 May 2025)", "3A090.a.1", "JP", "", "2025-05-14", "", "NLR", "")]
    [InlineData("90 FR 4544 from its compliance date: 3A090.a worldwide as the rule stood; BIS said on 13 May 2025 it would not enforce it (flagged, on both grounds)", "3A090.a.1", "JP", "", "2025-05-15", "", "LR:us.ccl.RS-WW.since-2025-05-15,us.ac.2025.ai-diffusion", "~13 May 2025;~compliance only from 15 May 2025")]
    [InlineData("88 FR 73458: until the AI diffusion rule's compliance date the October 2023 requirement to D:1/D:4/D:5 and Macau holds", "3A090.a", "CN", "", "2025-05-14", "", "LR:us.ac.2023.d145-macau", "^us.ccl.RS-WW.since-2025-05-15")]
    [InlineData("90 FR 4544 from 15 May 2025: China under the worldwide requirement", "3A090.a", "CN", "", "2025-05-15", "", "LR:us.ccl.RS-WW.since-2025-05-15", "^us.ac.2023.d145-macau")]
    [InlineData("88 FR 73458: the UAE (then D:4, not A:5) until the AI diffusion rule's compliance date", "4A090.a", "AE", "", "2025-05-14", "", "LR:us.ac.2023.uae", "")]
    [InlineData("90 FR 4544 from 15 May 2025: the UAE under the worldwide requirement", "4A090.a", "AE", "", "2025-05-15", "", "LR:us.ccl.RS-WW.since-2025-05-15", "^us.ac.2023.uae")]
    [InlineData("90 FR 4544: Korea (A:5) needed no licence for 4A090.a before the compliance date", "4A090.a", "KR", "", "2025-05-14", "", "NLR", "")]
    [InlineData("90 FR 4544 from 15 May 2025: Korea too (AIA not offered: a licence), flagged", "4A090.a", "KR", "", "2025-05-15", "", "LR:us.ac.2025.ai-diffusion", "+license;-AIA;~13 May 2025")]
    [InlineData("89 FR 96790 (effective 2 Dec 2024) created 3A090.c (HBM)", "3A090.c", "CN", "", "2024-12-01", "", "IND:us.ccl.not-listed-before-2024-12-02", "")]
    [InlineData("89 FR 96790 (effective 2 Dec 2024): 3A090.c RS to Macau or D:5", "3A090.c", "CN", "", "2024-12-02", "", "LR:us.ccl.RS-MOD5.since-2024-12-02", "")]
    // ---- re-exports of US items from Japan and Korea (738.4(a)(1): the destination's row; 740.16 APR by the re-exporting country) ----
    [InlineData("738.4(a)(1): NS Column 1 X for Germany; STA to A:5; 740.16(b)(1) APR among A:1", "9B005", "DE", "JP", "2026-08-01", "", "LR:us.ccl.NS1", "+STA;+APR")]
    [InlineData("740.16(a)(3)(ii): APR from A:1 to D:1 for NS (flagged: the 2020 proposal to remove it)", "1A002.a", "CN", "JP", "2026-08-01", "", "LR:us.ccl.NS2", "+APR;~85 FR 23496")]
    [InlineData("740.16: APR is for re-exports from A:1; Singapore is not in A:1", "1A002.a", "CN", "SG", "2026-08-01", "", "LR:us.ccl.NS2", "-APR")]
    [InlineData("740.16(a)(3)(i) excludes D:2-D:4: the UAE was in D:4 before 13 Jan 2025 (88 FR 73458)", "1A002.a", "AE", "JP", "2024-06-01", "", "LR:us.ccl.NS2", "-APR")]
    [InlineData("740.20(c)(2), 740.4, 740.3: a re-export from Korea to Israel takes STA (A:6), GBS and LVS (Group B) as an export would", "3C005", "IL", "KR", "2026-08-01", "value=100 USD", "LR:us.ccl.NS2", "+STA;+GBS;+LVS")]
    [InlineData("740.20(c)(1), 740.16: Korea's own groups on the first date of the content: re-export from Japan to Korea (A:5, A:1) takes STA and APR", "9B005", "KR", "JP", "2019-01-01", "", "LR:us.ccl.NS1", "+STA;+APR;-GBS")]
    [InlineData("740.20(c)(1), 740.4, 740.3: Japan's own groups (A:5, B) on the first date of the content: re-export from Korea to Japan of an NS2 item needs no licence (Japan has no NS2 X)", "3C005", "JP", "KR", "2019-01-01", "", "NLR", "")]
    [InlineData("740.20(c)(1): Japan in A:5 in 2020: 9B005 (NS1) re-exported from Korea to Japan takes STA", "9B005", "JP", "KR", "2020-06-01", "", "LR:us.ccl.NS1", "+STA;+APR")]
    [InlineData("88 FR 73458 (17 Nov 2023): 3A090.a re-exported from Japan to China", "3A090.a", "CN", "JP", "2023-11-17", "", "LR:us.ac.2023.d145-macau", "")]
    // ---- 742.6(a)(6)(iii)(B): the D145 column names the UAE before the A:5/A:6 exception ----
    [InlineData("742.6(a)(6)(iii)(B): 3A090.b did not exist before 88 FR 73458", "3A090.b", "AE", "", "2023-11-16", "", "IND:us.ccl.not-listed-before-2023-11-17", "")]
    [InlineData("742.6(a)(6)(iii)(B) (88 FR 73458): 3A090.b to the UAE, named by the column whatever its groups", "3A090.b", "AE", "", "2023-11-17", "", "LR:us.ac.uae-d145.since-2023-11-17", "")]
    [InlineData("742.6(a)(6)(iii)(B): the exception for A:5 still takes Japan", "3A090.b", "JP", "", "2025-06-01", "", "NLR", "")]
    // ---- 744.21(c), (e): GOV only under 740.11(b)(2)(i)-(ii); presumption / policy of denial (eCFR of 2026-07-23) ----
    [InlineData("744.21(a)(1), (c), (e)(1): Supp. 2 item for a military end use in China: presumption of denial, GOV only for US Government use", "3A991.a", "CN", "", "2025-06-01", "end_use=conventional-military", "LR:us.744-21.military-end-use", "-GOV;+license;policy:presumption of denial")]
    [InlineData("744.21(c), 740.11(b)(2): GOV for the official use of US Government agencies", "3A991.a", "CN", "", "2025-06-01", "end_use=conventional-military;us_government_official_use=true", "LR:us.744-21.military-end-use", "+GOV")]
    [InlineData("744.21 before 87 FR 12226: EAR99 is not in Supp. 2 to Part 744 (day before Russia's all-items rule)", "EAR99", "RU", "", "2022-02-23", "end_use=conventional-military", "NLR", "")]
    [InlineData("744.21(a), (c), (e)(1) as amended by 87 FR 12226: all items for a military end use in Russia from 24 Feb 2022, policy of denial, GOV only for US Government use", "EAR99", "RU", "", "2022-02-24", "end_use=conventional-military", "LR:us.744-21.russia-all-items", "-GOV;policy:policy of denial")]
    // ---- 740.2(a)(9): licence exceptions for the advanced computing and semiconductor manufacturing items (flagged: read from a summary) ----
    [InlineData("740.2(a)(9) did not exist before 87 FR 62186; nor did 3A090", "3A090.a", "CN", "", "2022-10-06", "", "IND:us.ccl.not-listed-before-2022-10-07", "")]
    [InlineData("740.2(a)(9)(ii), 740.11(b): 3A090 to China from 7 Oct 2022: GOV only for official US Government use, not stated", "3A090.a", "CN", "", "2022-10-07", "", "LR:us.ac.2022.china", "-GOV;+license;trace:us.740-2-a-9-ii.no-GOV;~740.2(a)(9)")]
    [InlineData("740.2(a)(9)(ii), 740.11(b): GOV stays for official US Government use", "3A090.a", "CN", "", "2024-06-01", "us_government_official_use=true", "LR:us.ac.2023.d145-macau", "+GOV")]
    [InlineData("740.2(a)(9)(ii): no ENC for a .z paragraph (88 FR 73458)", "5A002.z.1.a", "CN", "", "2023-11-17", "", "LR:us.ccl.NS1", "-ENC;-GOV")]
    [InlineData("740.2(a)(9)(i) not yet written (88 FR 73424 took effect 17 Nov 2023): 3D002 to China takes TMP, TSU, GOV on their conditions", "3D002", "CN", "", "2023-11-16", "", "LR:us.ccl.NS1", "+TMP;+TSU;+GOV")]
    [InlineData("740.2(a)(9)(i): 3D002 to China (D:5) from 17 Nov 2023: no licence exception but GOV under 740.11(b)", "3D002", "CN", "", "2023-11-17", "", "LR:us.ccl.NS1", "-TMP;-TSU;-BAG;-GOV;+license")]
    [InlineData("740.2(a)(9)(i) is for Macau and D:5 only: 3D002 to India (NS1 X, not D:5) keeps TSU", "3D002", "IN", "", "2023-11-17", "", "LR:us.ccl.NS1", "+TSU")]
    // ---- 744.21 and 746.8 for Russia and Belarus as each 2022 rule wrote them; the 2014 rules (session 47) ----
    [InlineData("79 FR 55608 (17 Sep 2014): a known Russian military end user, Supp. 2 item, the day before 87 FR 12226", "3A991", "RU", "", "2022-02-23", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "policy:presumption of denial;^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24")]
    [InlineData("87 FR 12226 (24 Feb 2022) moved Russia's military end users to 744.21(a)(2): all items, policy of denial", "3A991", "RU", "", "2022-02-24", "us_military_end_user_known=true", "LR:us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24", "^us.744-21.military-end-user-russia-venezuela;policy:policy of denial")]
    [InlineData("79 FR 66288 (7 Nov 2014): Venezuela keeps the Supp. 2 military end-user rule after 24 Feb 2022", "3A991", "VE", "", "2022-02-24", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "")]
    [InlineData("744.21(a)(1) before 87 FR 12226: a Supp. 2 item for a military end use in Russia", "3A991", "RU", "", "2022-02-23", "end_use=conventional-military", "LR:us.744-21.military-end-use", "^us.744-21.russia-all-items.ccl-2022-02-24")]
    [InlineData("87 FR 12226 (24 Feb 2022): a military end use in Russia under 744.21(a)(2), no longer (a)(1)", "3A991", "RU", "", "2022-02-24", "end_use=conventional-military", "LR:us.744-21.russia-all-items.ccl-2022-02-24", "^us.744-21.military-end-use")]
    [InlineData("87 FR 12226: 5A992.c for a military end use in Russia needs the licence only for a government end user or state-owned enterprise: not given, undecided", "5A992.c", "RU", "", "2022-02-24", "end_use=conventional-military", "IND:us_russia_government_end_user", "")]
    [InlineData("87 FR 12226: 5A992.c for a Russian government end user: 744.21(a)(2) and 746.8(a)(1) (flagged)", "5A992.c", "RU", "", "2022-02-24", "end_use=conventional-military;us_russia_government_end_user=true", "LR:us.744-21.russia-all-items.mass-market-government-2022-02-24,us.746.russia.mass-market-2022-02-24", "~us.746.russia.mass-market-2022-02-24;-TMP")]
    [InlineData("87 FR 12226, 746.8(a)(1), (c): 5A992.c to a Russian government end user for a civil use: a licence, TMP (news media) and GOV on their conditions (flagged)", "5A992.c", "RU", "", "2022-02-24", "end_use=civil;us_russia_government_end_user=true", "LR:us.746.russia.mass-market-2022-02-24", "^us.744-21.russia-all-items.mass-market-government-2022-02-24;+TMP;+GOV;~us.746.russia.mass-market-2022-02-24")]
    [InlineData("87 FR 12226, 746.8(a): mass market 5D992.c to a non-government end user in Russia, the day before 87 FR 13048: no licence (flagged)", "5D992.c", "RU", "", "2022-03-01", "end_use=civil;us_russia_government_end_user=false", "NLR", "~us.746.russia.mass-market-2022-02-24")]
    [InlineData("87 FR 13048 (2 Mar 2022), 746.8(a) as amended at 87 FR 13062: 5D992.c to a non-government end user in Russia needs a licence unless a US or A:5/A:6 subsidiary", "5D992.c", "RU", "", "2022-03-02", "end_use=civil;us_russia_government_end_user=false", "LR:us.746.russia-belarus.mass-market", "+TSU")]
    [InlineData("746.8(a) as amended at 87 FR 13062: the civil end user is a wholly-owned subsidiary of a company headquartered in A:5: no licence", "5A992.c", "RU", "", "2022-03-02", "end_use=civil;us_russia_belarus_mass_market_civil_end_user=true", "NLR", "")]
    [InlineData("746.8(a) from 87 FR 13048: Belarus the same from 2 Mar 2022", "5A992.c", "BY", "", "2022-03-02", "end_use=civil", "LR:us.746.russia-belarus.mass-market", "")]
    [InlineData("87 FR 13048: 744.21(a)(2) without the mass market exclusion: 5A992.c for a military end use in Russia, even for a listed subsidiary", "5A992.c", "RU", "", "2022-03-02", "end_use=conventional-military;us_russia_belarus_mass_market_civil_end_user=true", "LR:us.744-21.russia-all-items.ccl", "^us.746.russia-belarus.mass-market")]
    [InlineData("88 FR 73458: 5A992.z keeps 746.8(a)(1) whatever the end user (the mass market exclusion is for 740.17 items)", "5A992.z.1", "RU", "", "2024-01-01", "end_use=civil;us_russia_belarus_mass_market_civil_end_user=true", "LR:us.746.russia-belarus.ccl", "")]
    // ---- 87 FR 12226 "all items on the CCL other than 5A992.c and 5D992.c" written as the regulation words it (items: {listed: true, except: ...}; session 48) ----
    [InlineData("87 FR 12226: a known Russian military end user, an ECCN item (1C350): every item on the CCL", "1C350", "RU", "", "2022-02-24", "us_military_end_user_known=true", "LR:us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24", "policy:policy of denial")]
    [InlineData("87 FR 12226: a known Russian military end user, EAR99 (not on the CCL): the EAR99 rule, not the CCL one", "EAR99", "RU", "", "2022-02-24", "us_military_end_user_known=true;us_ear99_food_medicine=false", "LR:us.744-21.russia-belarus-known-military-end-user.ear99-2022-russia", "^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24")]
    [InlineData("79 FR 55608: a known Russian military end user, 5A992.c the day before 87 FR 12226: the Supp. 2 rule", "5A992.c", "RU", "", "2022-02-23", "us_military_end_user_known=true", "LR:us.744-21.military-end-user-russia-venezuela", "^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24")]
    [InlineData("87 FR 12226: a known Russian military end user, 5A992.c is excepted unless for a government end user: not given, undecided", "5A992.c", "RU", "", "2022-02-24", "us_military_end_user_known=true", "IND:us_russia_government_end_user", "^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24")]
    [InlineData("87 FR 12226: a known Russian military end user that is a government end user, 5A992.c: the mass market rule alone", "5A992.c", "RU", "", "2022-03-01", "us_military_end_user_known=true;us_russia_government_end_user=true", "LR:us.744-21.russia-belarus-known-military-end-user.mass-market-government-2022-02-24", "^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24")]
    [InlineData("87 FR 13048 (2 Mar 2022): a known Russian military end user, 5A992.c without the exclusion", "5A992.c", "RU", "", "2022-03-02", "us_military_end_user_known=true", "LR:us.744-21.russia-belarus-known-military-end-user.ccl", "^us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24;^us.744-21.russia-belarus-known-military-end-user.mass-market-government-2022-02-24")]
    [InlineData("87 FR 12226 excepts 5A992.c only: 5A992.a (the hand list left out 5A992 and 5D992 whole) is caught for any military end user", "5A992.a", "RU", "", "2022-02-24", "us_military_end_user_known=true;us_russia_government_end_user=false", "LR:us.744-21.russia-belarus-known-military-end-user.ccl-2022-02-24", "^us.744-21.russia-belarus-known-military-end-user.mass-market-government-2022-02-24")]
    [InlineData("87 FR 12226: 5D992 given without its paragraph depends on whether it is .c", "5D992", "RU", "", "2022-02-24", "us_military_end_user_known=true;us_russia_government_end_user=false", "IND:item", "")]
    [InlineData("746.8(a) excepts 5A992.c only: 5A992.a keeps 746.8(a)(1) whatever the end user", "5A992.a", "BY", "", "2024-01-01", "end_use=civil;us_russia_belarus_mass_market_civil_end_user=true", "LR:us.746.russia-belarus.ccl", "^us.746.russia-belarus.mass-market")]
    [InlineData("744.21(a)(2) before 87 FR 34136 (effective 2 Jun 2022): EAR99 food for a Russian military end use, no licence", "EAR99", "RU", "", "2022-06-01", "end_use=conventional-military;us_ear99_food_medicine=true;us_russia_belarus_listed_ear99=false", "NLR", "")]
    [InlineData("744.21(a)(2), (e)(1) as amended at 87 FR 34136 (effective 2 Jun 2022): EAR99 food for a Russian military end use, case-by-case (flagged)", "EAR99", "RU", "", "2022-06-02", "end_use=conventional-military;us_ear99_food_medicine=true;us_russia_belarus_listed_ear99=false", "LR:us.744-21.russia-all-items.ear99", "policy:case-by-case for food and medicine;~us.744-21.russia-all-items.ear99")]
    [InlineData("744.21(a)(2) as revised by 87 FR 13048: EAR99 other than food and medicine for a Belarusian military end use", "EAR99", "BY", "", "2022-03-02", "end_use=conventional-military;us_russia_belarus_listed_ear99=false", "LR:us.744-21.belarus-all-items.ear99-2022", "")]
    [InlineData("744.21(a)(2) before 87 FR 34136: EAR99 medicine for a known Belarusian military end user, no licence", "EAR99", "BY", "", "2022-06-01", "us_military_end_user_known=true;us_ear99_food_medicine=true;us_russia_belarus_listed_ear99=false", "NLR", "")]
    [InlineData("744.21(a)(2) as amended at 87 FR 34136 (effective 2 Jun 2022): EAR99 medicine for a known Belarusian military end user", "EAR99", "BY", "", "2022-06-02", "us_military_end_user_known=true;us_ear99_food_medicine=true;us_russia_belarus_listed_ear99=false", "LR:us.744-21.russia-belarus-known-military-end-user.ear99", "")]
    // ---- Syria from 90 FR 42315 (session 47) ----
    [InlineData("746.9(b) as revised by 90 FR 42315: CCD extended to Syria, 740.19's item list not in the content: not offered, GOV on its condition", "5A992.c", "SY", "", "2025-09-02", "", "LR:us.746.syria.2025", "-CCD;-SPP;+GOV;~us.746.syria.2025")]
    // ---- the Huawei entries' carve-outs: footnote 2 (85 FR 51596) and the standards release (85 FR 36719, 87 FR 55241) ----
    [InlineData("85 FR 51596 (effective 17 Aug 2020) added footnote 2; the TGL had expired on 13 Aug 2020: 16 Aug 2020 had neither", "EAR99", "CN", "", "2020-08-16", "us_entity_list=true;us_huawei_entity=true;us_huawei_vulnerability_disclosure=true", "LR:us.entity-list.vulnerability-disclosure-outside", "+license;-TGL")]
    [InlineData("Footnote 2 to the Huawei entries (85 FR 51596, effective 17 Aug 2020): a vulnerability disclosure to a Huawei entity is excluded from the Entity List requirement", "EAR99", "CN", "", "2020-08-17", "us_entity_list=true;us_huawei_entity=true;us_huawei_vulnerability_disclosure=true", "NLR", "")]
    [InlineData("Footnote 2 (Supplement No. 4 to Part 744, eCFR of 2026): still in force", "EAR99", "CN", "", "2026-08-01", "us_entity_list=true;us_huawei_entity=true;us_huawei_vulnerability_disclosure=true", "NLR", "")]
    [InlineData("Footnote 2 is the Huawei entries' only: another Entity List party keeps the requirement", "EAR99", "RU", "", "2021-03-01", "us_entity_list=true;us_huawei_entity=false;us_huawei_vulnerability_disclosure=true", "LR:us.entity-list.vulnerability-disclosure-outside-huawei", "^us.entity-list")]
    [InlineData("Footnote 2 applies to a Huawei entity: a disclosure to a party not said to be one asks it", "EAR99", "CN", "", "2021-03-01", "us_entity_list=true;us_huawei_vulnerability_disclosure=true", "IND:us_huawei_entity", "")]
    [InlineData("Footnote 2 lifts the Entity List requirement only ('subject to other provisions of the EAR'): 3E001's NS Column 1 stays", "3E001", "CN", "", "2021-03-01", "us_entity_list=true;us_huawei_entity=true;us_huawei_vulnerability_disclosure=true", "LR:us.ccl.NS1", "^us.entity-list;^us.entity-list.vulnerability-disclosure-outside-huawei")]
    [InlineData("Supplement No. 7 to Part 744 as revised by 84 FR 43487: before footnote 2, the TGL's activity (3) authorised such a disclosure", "EAR99", "CN", "", "2020-06-01", "us_entity_list=true;us_huawei_entity=true;us_huawei_vulnerability_disclosure=true", "LR:us.entity-list.vulnerability-disclosure-outside", "+TGL;if:TGL=cybersecurity research")]
    [InlineData("85 FR 36719 (18 Jun 2020): the standards release did not exist the day before", "EAR99", "CN", "", "2020-06-17", "us_entity_list=true;us_huawei_entity=true;us_standards_related_release=true", "LR:us.entity-list.standards-release-outside", "+license")]
    [InlineData("85 FR 36719 (effective 18 Jun 2020): EAR99 technology released to members of a standards organization, to a Huawei entity: no Entity List licence", "EAR99", "CN", "", "2020-06-18", "us_entity_list=true;us_huawei_entity=true;us_standards_related_release=true", "NLR", "")]
    [InlineData("85 FR 36719: AT-only technology (5E991, AT Column 1 only) released for standards development to a Huawei entity", "5E991", "CN", "", "2021-03-01", "us_entity_list=true;us_huawei_entity=true;us_standards_related_release=true", "NLR", "")]
    [InlineData("85 FR 36719 revised the Huawei entries only: another Entity List party on 8 Sep 2022 keeps the requirement", "EAR99", "AE", "", "2022-09-08", "us_entity_list=true;us_huawei_entity=false;us_standards_related_release=true", "LR:us.entity-list.standards-release-outside-huawei", "")]
    [InlineData("87 FR 55241 (effective 9 Sep 2022): the standards-related activity authorisation reaches every Entity List entry", "EAR99", "AE", "", "2022-09-09", "us_entity_list=true;us_huawei_entity=false;us_standards_related_release=true", "NLR", "")]
    [InlineData("87 FR 55241: every entry, so the Huawei fact is not asked", "EAR99", "CN", "", "2023-03-01", "us_entity_list=true;us_standards_related_release=true", "NLR", "")]
    [InlineData("85 FR 36719 named technology only: AT-only software (5D992.c) to a Huawei entity on 8 Sep 2022 keeps the requirement", "5D992.c", "CN", "", "2022-09-08", "us_entity_list=true;us_huawei_entity=true;us_standards_related_release=true", "LR:us.entity-list.standards-release-outside-technology", "")]
    [InlineData("87 FR 55241 (effective 9 Sep 2022) added software", "5D992.c", "CN", "", "2022-09-09", "us_entity_list=true;us_huawei_entity=true;us_standards_related_release=true", "NLR", "")]
    [InlineData("87 FR 55241: technology and software, not commodities (5A992.c, AT only)", "5A992.c", "CN", "", "2023-03-01", "us_entity_list=true;us_standards_related_release=true", "LR:us.entity-list.standards-release-outside-technology-software", "")]
    [InlineData("85 FR 36719, 87 FR 55241: EAR99 or AT-only only; 3E001 is NS-controlled, so the Entity List requirement stays beside NS Column 1", "3E001", "CN", "", "2023-03-01", "us_entity_list=true;us_standards_related_release=true", "LR:us.entity-list.standards-release-outside-at-only,us.ccl.NS1", "")]
    // ---- 744.11(a)(2)(v)(A): Footnote 5 foreign direct products by the re-exporter's headquarters ----
    [InlineData("744.11(a)(2)(v)(A)(1): re-exporter headquartered in Macau or D:5, from any country", "3B992.a", "CN", "JP", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=macau-or-d5", "LR:us.744-11-v-a-1.macau-d5-headquartered", "policy:case-by-case")]
    [InlineData("744.11(a)(2)(v)(A)(2)-(3): Japan is in A:5 and in Supp. 4 to Part 742 (CSIS, Dec 2024): neither paragraph requires a licence for a re-export from Japan", "3B992.a", "CN", "JP", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other", "NLR", "trace:us.744-11-v-a-2-3.reexporting-country")]
    [InlineData("744.11(a)(2)(v)(A)(2): 3B993 from Japan (A:5, in Supp. 4 to Part 742): no licence, on the day the paragraph took effect", "3B993", "CN", "JP", "2024-12-02", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other", "NLR", "^us.744-11-v-a-2.kr-3b993")]
    [InlineData("744.11(a)(2)(v)(A)(2): 3B993 from Korea (A:5, not in Supp. 4 to Part 742, no equivalent controls): a licence, case-by-case (B)", "3B993", "CN", "KR", "2024-12-02", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other", "LR:us.744-11-v-a-2.kr-3b993", "policy:case-by-case;~CSIS")]
    [InlineData("744.11(a)(2)(v)(A)(2): from Korea to any destination, whatever the headquarters (not given: (1) may apply too, (2) requires a licence in any case)", "3B993", "SG", "KR", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true", "LR:us.744-11-v-a-2.kr-3b993", "")]
    [InlineData("744.11(a)(2)(v)(A)(2): 3B993 from Korea where Korea controls it equivalently: no licence", "3B993", "CN", "KR", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other;us_equivalent_controls_3b993=true", "NLR", "")]
    [InlineData("744.11(a)(2)(v)(A)(2) names 3B993 only; (3) is for re-exports from outside A:5: 3B992 from Korea needs none", "3B992.a", "CN", "KR", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other", "NLR", "")]
    [InlineData("744.11(a)(2)(v)(A)(3): from Singapore (not A:5) the re-exporter's Supp. 4 status decides, not in the content", "3B992.a", "CN", "SG", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true;us_reexporter_headquarters=other", "IND:us.744-11-v-a-2-3.reexporting-country", "")]
    [InlineData("744.11(a)(2)(v)(A): the headquarters not given where the rule needs it", "3B992.a", "CN", "KR", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true;us_footnote_5_fdp_only=true", "IND:us_reexporter_headquarters", "")]
    [InlineData("744.11(a), Supp. 4 to Part 744: an item subject to the EAR on another ground takes the Footnote 5 entry's licence for all items", "3B992.a", "CN", "JP", "2025-06-01", "us_entity_list=true;us_footnote_5_party=true", "LR:us.entity-list", "")]
    public void Check_CounselScenario_AnswersAsTheLawReads(string citation, string item, string to, string from, string date, string facts, string expected, string checks)
    {
        var d = CheckBoth(item, to, from, date, facts);
        var because = $"{citation}: US:{item} to {to}{(from.Length > 0 ? " from " + from : "")} on {date} gave {d.Verdict} [{string.Join(", ", d.Grounds.Select(g => g.Rule))}] missing [{string.Join(", ", d.MissingFacts)}]";

        var colon = expected.IndexOf(':', StringComparison.Ordinal);
        var (kind, detail) = colon < 0 ? (expected, "") : (expected[..colon], expected[(colon + 1)..]);
        switch (kind)
        {
            case "NLR":
                Assert.True(d.Verdict == Verdict.NoLicenseRequired, because);
                break;
            case "LR":
                Assert.True(d.Verdict == Verdict.LicenseRequired, because);
                AssertGrounds(d, detail, because);
                break;
            case "PROHIBITED":
                Assert.True(d.Verdict == Verdict.Prohibited, because);
                AssertGrounds(d, detail, because);
                break;
            case "IND":
                Assert.True(d.Verdict == Verdict.Indeterminate, because);
                Assert.True(detail.StartsWith("us.", StringComparison.Ordinal)
                    ? d.Trace.Any(t => t.Rule == detail)
                    : d.MissingFacts.Any(m => m.Contains(detail, StringComparison.Ordinal)), because);
                break;
            default:
                Assert.Fail($"unknown expected answer '{expected}'");
                break;
        }

        foreach (var check in checks.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            if (check.StartsWith("if:", StringComparison.Ordinal) || check.StartsWith("!if:", StringComparison.Ordinal))
            {
                AssertLicenceCondition(d, check, because);
                continue;
            }

            var text = check.StartsWith("policy:", StringComparison.Ordinal) || check.StartsWith("trace:", StringComparison.Ordinal) ? check[(check.IndexOf(':', StringComparison.Ordinal) + 1)..] : check[1..];
            switch (check[0])
            {
                case '+':
                    Assert.True(d.EligibleLicenses.Contains(text), $"{because}: {text} expected eligible, got [{string.Join(", ", d.EligibleLicenses)}]");
                    break;
                case '-':
                    Assert.False(d.EligibleLicenses.Contains(text), $"{because}: {text} expected not eligible");
                    break;
                case '~':
                    Assert.True(d.Unconfirmed.Any(u => u.Contains(text, StringComparison.Ordinal)), $"{because}: expected a flag saying '{text}'");
                    break;
                case '!':
                    Assert.True(d.Explanation.Contains(text, StringComparison.Ordinal), $"{because}: the explanation should say '{text}': {d.Explanation}");
                    break;
                case 'p':
                    Assert.True(d.Grounds.Any(g => g.ReviewPolicy?.Contains(text, StringComparison.Ordinal) == true), $"{because}: a review policy saying '{text}' expected");
                    break;
                case 't':
                    Assert.True(d.Trace.Any(t => t.Rule == text), $"{because}: {text} expected in the trace");
                    break;
                case '^':
                    Assert.False(d.Grounds.Any(g => g.Rule == text), $"{because}: ground {text} not expected");
                    break;
                default:
                    Assert.Fail($"unknown check '{check}'");
                    break;
            }
        }
    }

    [Fact]
    public void Evaluate_LinesDifferingOnlyInExportingCountry_EachGetsItsOwnCachedAnswer()
    {
        // 744.11(a)(2)(v)(A)(2): the same Footnote 5 line re-exported from Korea needs a licence, from Japan none. The
        // compiled evaluator keeps determinations by outcome code: the exporting country must reach that code, or the
        // second line would be answered with the first one's determination.
        var (shipment, jurisdiction) = Engine.Facts("US:3B993", "CN", "2025-06-01");
        var declared = new Dictionary<string, string>(EarTests.ClearParties, StringComparer.Ordinal)
        {
            ["us_entity_list"] = "true",
            ["us_footnote_5_party"] = "true",
            ["us_footnote_5_fdp_only"] = "true",
            ["us_reexporter_headquarters"] = "other",
        };
        var fromKorea = shipment with { Declared = declared, From = CountryCode.Parse("KR") };
        var fromJapan = fromKorea with { From = CountryCode.Parse("JP") };

        var korea = jurisdiction.Evaluate(fromKorea);
        var japan = jurisdiction.Evaluate(fromJapan);

        Assert.Equal(Verdict.LicenseRequired, korea.Verdict);
        Assert.Contains(korea.Grounds, g => g.Rule == "us.744-11-v-a-2.kr-3b993");
        Assert.Equal(Verdict.NoLicenseRequired, japan.Verdict);
        Assert.DoesNotContain(japan.Grounds, g => g.Rule == "us.744-11-v-a-2.kr-3b993");
        // Asked again in the other order, each is served from the cache with its own answer.
        Assert.Same(japan, jurisdiction.Evaluate(fromJapan));
        Assert.Same(korea, jurisdiction.Evaluate(fromKorea));
        Assert.Equal(ReferenceEvaluator.Compute(Us, fromKorea).Code, jurisdiction.Compute(fromKorea).Code);
        Assert.Equal(ReferenceEvaluator.Compute(Us, fromJapan).Code, jurisdiction.Compute(fromJapan).Code);
    }

    [Fact]
    public void Evaluate_LinesDifferingOnlyInHuaweiFacts_EachGetsItsOwnCachedAnswer()
    {
        // The TGL (us_huawei_entity) and the footnote 1 savings clause (us_footnote_1_fdp_savings) are declared facts the
        // compiled evaluator must key its determinations by: lines that differ only in them are answered differently.
        var (shipment, jurisdiction) = Engine.Facts("US:EAR99", "CN", "2020-06-01");
        Dictionary<string, string> Stating(string fact, string value) => new(EarTests.ClearParties, StringComparer.Ordinal) { ["us_entity_list"] = "true", [fact] = value };
        var huawei = shipment with { Declared = Stating("us_huawei_entity", "true"), From = CountryCode.Parse("TW") };
        var other = huawei with { Declared = Stating("us_huawei_entity", "false") };
        var saved = huawei with { Declared = Stating("us_footnote_1_fdp_savings", "true") };
        var notSaved = huawei with { Declared = Stating("us_footnote_1_fdp_savings", "false") };

        var answers = new[] { huawei, other, saved, notSaved }.Select(line => jurisdiction.Evaluate(line)).ToArray();

        Assert.Contains("TGL", answers[0].EligibleLicenses);
        Assert.DoesNotContain("TGL", answers[1].EligibleLicenses);
        Assert.Equal(Verdict.NoLicenseRequired, answers[2].Verdict);
        Assert.Equal(Verdict.LicenseRequired, answers[3].Verdict);
        // Asked again in the reverse order, each is served from the cache with its own answer, and the evaluators agree.
        foreach (var (line, answer) in new[] { notSaved, saved, other, huawei }.Zip(answers.Reverse()))
        {
            Assert.Same(answer, jurisdiction.Evaluate(line));
            Assert.Equal(ReferenceEvaluator.Compute(Us, line).Code, jurisdiction.Compute(line).Code);
        }
    }

    [Fact]
    public void Evaluate_LinesDifferingOnlyInCarveOutFacts_EachGetsItsOwnCachedAnswer()
    {
        // Footnote 2's vulnerability disclosure and the standards release are declared facts with defaults: the compiled
        // evaluator must key its determinations by them, or a line stating one would take the answer of a line that did not.
        var (shipment, jurisdiction) = Engine.Facts("US:EAR99", "CN", "2023-03-01");
        Dictionary<string, string> Stating(params string[] facts)
        {
            var declared = new Dictionary<string, string>(EarTests.ClearParties, StringComparer.Ordinal) { ["us_entity_list"] = "true", ["us_huawei_entity"] = "true" };
            foreach (var fact in facts)
            {
                declared[fact] = "true";
            }

            return declared;
        }

        var plain = shipment with { Declared = Stating() };
        var disclosure = shipment with { Declared = Stating("us_huawei_vulnerability_disclosure") };
        var standards = shipment with { Declared = Stating("us_standards_related_release") };

        var answers = new[] { plain, disclosure, standards }.Select(line => jurisdiction.Evaluate(line)).ToArray();

        Assert.Equal(Verdict.LicenseRequired, answers[0].Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, answers[1].Verdict);
        Assert.Equal(Verdict.NoLicenseRequired, answers[2].Verdict);
        foreach (var (line, answer) in new[] { standards, disclosure, plain }.Zip(answers.Reverse()))
        {
            Assert.Same(answer, jurisdiction.Evaluate(line));
            Assert.Equal(ReferenceEvaluator.Compute(Us, line).Code, jurisdiction.Compute(line).Code);
        }
    }

    /// <summary>"if:X=text": licence type X's condition says text; "!if:X=text": it does not (X may have no condition).</summary>
    private static void AssertLicenceCondition(Determination d, string check, string because)
    {
        var negated = check[0] == '!';
        var spec = check[(check.IndexOf(':', StringComparison.Ordinal) + 1)..];
        var (licence, text) = (spec[..spec.IndexOf('=', StringComparison.Ordinal)], spec[(spec.IndexOf('=', StringComparison.Ordinal) + 1)..]);
        var says = d.LicenseConditions.TryGetValue(licence, out var condition) && condition.Contains(text, StringComparison.Ordinal);
        Assert.True(says != negated, $"{because}: {licence}'s condition should {(negated ? "not " : "")}say '{text}': {condition}");
    }

    private static void AssertGrounds(Determination d, string expected, string because)
    {
        foreach (var rule in expected.Split(',', StringSplitOptions.RemoveEmptyEntries))
        {
            Assert.True(d.Grounds.Any(g => g.Rule.StartsWith(rule, StringComparison.Ordinal)), $"{because}: ground {rule} expected");
        }
    }

    /// <summary>One line through the reference and the compiled evaluator: the compiled determination, after asserting both agree.</summary>
    internal static Determination CheckBoth(string item, string to, string from, string date, string facts)
    {
        var (shipment, jurisdiction) = Engine.Facts("US:" + item, to, date);
        var declared = new Dictionary<string, string>(EarTests.ClearParties, StringComparer.Ordinal);
        foreach (var pair in facts.Split(';', StringSplitOptions.RemoveEmptyEntries))
        {
            var (name, value) = (pair[..pair.IndexOf('=', StringComparison.Ordinal)], pair[(pair.IndexOf('=', StringComparison.Ordinal) + 1)..]);
            switch (name)
            {
                case "value":
                    Assert.True(Amount.TryParse(value, out var amount), value);
                    shipment = shipment with { Value = amount };
                    break;
                case "end_use":
                    shipment = shipment with { EndUse = value switch { "wmd" => EndUse.Wmd, "conventional-military" => EndUse.ConventionalMilitary, _ => EndUse.Civil } };
                    break;
                default:
                    declared[name] = value;
                    break;
            }
        }

        shipment = shipment with { Declared = declared, From = from.Length > 0 ? CountryCode.Parse(from) : null };
        Assert.Equal(ReferenceEvaluator.Compute(Us, shipment).Code, jurisdiction.Compute(shipment).Code);
        Assert.True(LocalDatePattern.Iso.Parse(date).Success);
        return jurisdiction.Evaluate(shipment);
    }
}
