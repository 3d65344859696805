using NodaTime;

namespace Clearance.Content.Ear;

/// <summary>Whether a rule put a country into a Country Group or took it out.</summary>
public enum GroupChange
{
    /// <summary>The rule added the country to the group: a member from the effective date.</summary>
    Added,

    /// <summary>The rule removed the country from the group: a member until the day before the effective date.</summary>
    Removed,
}

/// <summary>
/// One change to a Country Group (15 CFR Part 740, Supplement No. 1) since the content's coverage (2019-01-01), with
/// the rule that made it: the reference data holds the groups of 2026-07-23 only, so without these rows a country that
/// moved would be answered on its 2026 groups for every date.
/// </summary>
/// <param name="Group">The group as the reference names it ("D:5").</param>
/// <param name="Country">The ISO code of the country.</param>
/// <param name="Change">Added or removed.</param>
/// <param name="Effective">The first day the change applied.</param>
/// <param name="Cite">The rule, its Federal Register citation and effective date, and what it did.</param>
/// <param name="Source">Where the rule and its date were read.</param>
/// <param name="Unconfirmed">Why the row is not confirmed (shown with every answer resting on it), or null.</param>
public sealed record CountryGroupDate(string Group, string Country, GroupChange Change, LocalDate Effective, string Cite, string Source, string? Unconfirmed = null);

/// <summary>
/// A 2026 membership whose start the content cannot date: flagged unconfirmed on every date, with why.
/// </summary>
/// <param name="Group">The group as the reference names it ("A:5").</param>
/// <param name="Country">The ISO code of the country.</param>
/// <param name="Note">What is known and what is missing.</param>
public sealed record UndatedGroupMembership(string Group, string Country, string Note);

/// <summary>
/// The sourced table of Country Group changes since 2019 the generator applies to the 2026 groups of the reference
/// (the generator checks that the changes end in the 2026 membership, so a row cannot contradict the data).
/// </summary>
public static class CountryGroupDates
{
    private const string RussiaYemen2020 = "85 FR 10274 (Amendments to Country Groups for Russia and Yemen Under the Export Administration Regulations, 24 Feb 2020), effective 24 Feb 2020: Russia removed from Country Groups A:2 and A:4 and added to D:2 and D:4; Yemen removed from Country Group B (instruction supplied by the correction 85 FR 13009, 6 Mar 2020, applicable 24 Feb 2020) and added to D:1";
    private const string RussiaYemen2020Source = "https://www.thompsonhinesmartrade.com/2020/02/commerce-tightens-licensing-policy-for-u-s-exports-to-russia-and-yemen/";
    private const string Sudan2021 = "86 FR 4929 (Implementation in the EAR of the United States' Rescission of Sudan's Designation as a State Sponsor of Terrorism, 19 Jan 2021), effective 14 Jan 2021: Sudan removed from Country Group E:1 and added to Country Group B";
    private const string Sudan2021Source = "https://law.lawstack.com/laws/us-federal-register_document_2020-29037_implementation-in-the-export-administration-regulations-of-the-united-states-rescission-of-sudan-s-designatio-99e04a17-26ac-4b63-8f74-47deb0396888";
    private const string Cyprus2024 = "89 FR 40369 (Conforming and Clarifying Changes to the Export Administration Regulations, 10 May 2024), effective 30 May 2024: a conforming change 'to reflect that Cyprus is no longer a Country Group D:5 country'";
    private const string Cyprus2024Source = "https://regulations.justia.com/regulations/fedreg/2024/05/10/2024-10280.html";
    private const string Burma2021 = "86 FR 13173 (Burma: Implementation of Sanctions, 8 Mar 2021), effective 8 Mar 2021: Burma moved to Country Group D:1 and made subject to 744.21";
    private const string Burma2021Source = "https://regulations.justia.com/regulations/fedreg/2021/03/08/2021-04745.html";
    private const string Cambodia2021 = "86 FR 70015 (Revision of Controls for Cambodia Under the Export Administration Regulations, 9 Dec 2021), effective 9 Dec 2021: Cambodia added to Country Group D:5 (and to 744.21)";
    private const string Cambodia2021Source = "https://regulations.justia.com/regulations/fedreg/2021/12/09/2021-26633.html";
    private const string Cambodia2026 = "BIS final rule 'Export Administration Regulations: Conforming Change for Cambodia' (RIN 0694-AK41, Docket No. 260127-0035), effective 3 Feb 2026: 'Cambodia is no longer a Country Group D:5 country' (the State Department lifted its arms embargo on 7 Nov 2025); Cambodia stays in D:1";
    private const string Cambodia2026Source = "https://demo3.theasset.com/article/55845/us-lifts-arms-embargo-on-cambodia";
    private const string Russia2021 = "86 FR 14802 (Department of State, International Traffic in Arms Regulations: Addition of Russia to 22 CFR 126.1, 18 Mar 2021), effective 18 Mar 2021: Russia added to the State Department's list of arms-embargoed destinations (policy of denial for defense articles and services), which by the note to Country Group D:5 controls over the EAR's table";
    private const string Russia2021Source = "https://www.natlawreview.com/article/us-imposes-additional-export-restrictions-russia";
    private const string Nicaragua2024 = "89 FR 18780 (Revisions to Export, Reexport, and Transfer (in-Country) Controls for Nicaragua Under the EAR, 15 Mar 2024), effective 15 Mar 2024: Nicaragua moved from Country Group B to D:1 and added to D:5";
    private const string HongKong2020 = HongKongAsChinaCite + ": Hong Kong, until then a destination of its own in Country Groups A:6 and B, removed from the Country Group tables and given China's (D:1, D:3, D:4, D:5)";
    private const string HongKong2020Source = "https://sanctionsnews.bakermckenzie.com/commerce-department-removes-hong-kong-as-a-separate-destination-under-the-export-administration-regulations";
    private const string HongKong2020Unconfirmed = "Hong Kong's memberships before 23 Dec 2020 are read from a law-firm summary of 85 FR 83765 ('Hong Kong was previously in Country Groups A:6 and B'), not from the Country Group table of the time; that the licence exceptions providing differential treatment from China were suspended from 31 Jul 2020 (85 FR 45998) is applied in us-measures.yaml";
    private const string Nicaragua2024Source = "https://www.globaltradeandsanctionslaw.com/u-s-increases-export-restrictions-against-nicaragua/";

    /// <summary>The dated changes, each row one country in one group.</summary>
    public static IReadOnlyList<CountryGroupDate> All { get; } =
    [
        new("A:2", "RU", GroupChange.Removed, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("A:4", "RU", GroupChange.Removed, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("D:2", "RU", GroupChange.Added, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("D:4", "RU", GroupChange.Added, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("B", "YE", GroupChange.Removed, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("D:1", "YE", GroupChange.Added, new(2020, 2, 24), RussiaYemen2020, RussiaYemen2020Source),
        new("E:1", "SD", GroupChange.Removed, new(2021, 1, 14), Sudan2021, Sudan2021Source),
        new("B", "SD", GroupChange.Added, new(2021, 1, 14), Sudan2021, Sudan2021Source),
        // The note to D:5 makes the State Department's arms-embargo list control where the table differs: State lifted
        // its policy of denial for Cyprus from 1 Oct 2022 (renewed yearly), so the table's date is the later bound.
        new("D:5", "CY", GroupChange.Removed, new(2024, 5, 30), Cyprus2024, Cyprus2024Source,
            "by the note to Country Group D:5 the State Department's list controls: its policy of denial for Cyprus was suspended from 1 Oct 2022 (22 CFR 126.1(r), renewed each fiscal year), so Cyprus may have been out of D:5 in law from that day, before the EAR table followed on 30 May 2024"),
        new("D:1", "MM", GroupChange.Added, new(2021, 3, 8), Burma2021, Burma2021Source),
        new("B", "MM", GroupChange.Removed, new(2021, 3, 8), Burma2021, Burma2021Source,
            "the rule's amendatory text was not retrieved: reports say it 'moved Burma into Country Group D:1'; that this took Burma out of Country Group B (it is not in B in the eCFR of 2026) is read from the move, as 89 FR 18780 did for Nicaragua"),
        // Russia: no rule of the EAR putting it in D:5 was found; the State Department's 126.1 listing, which the note to
        // D:5 makes controlling, is the first day on which it was an arms-embargoed destination since 2019.
        new("D:5", "RU", GroupChange.Added, new(2021, 3, 18), Russia2021, Russia2021Source,
            "the day the EAR's own D:5 table first listed Russia was not found (89 FR 40369, effective 30 May 2024, aligned the EAR's references with 'the designation of Russia as a U.S. Arms Embargoed destination'); dated by the State Department's listing under 22 CFR 126.1 (86 FR 14802, effective 18 Mar 2021), which the note to D:5 makes controlling: a reading of the note, not a BIS rule, and Russia's earlier 126.1 history (before 2019) was not checked"),
        new("D:5", "KH", GroupChange.Added, new(2021, 12, 9), Cambodia2021, Cambodia2021Source),
        new("D:5", "KH", GroupChange.Removed, new(2026, 2, 3), Cambodia2026, Cambodia2026Source),
        new("B", "NI", GroupChange.Removed, new(2024, 3, 15), Nicaragua2024, Nicaragua2024Source),
        new("D:1", "NI", GroupChange.Added, new(2024, 3, 15), Nicaragua2024, Nicaragua2024Source),
        new("D:5", "NI", GroupChange.Added, new(2024, 3, 15), Nicaragua2024, Nicaragua2024Source),
        new("A:6", "HK", GroupChange.Removed, new(2020, 12, 23), HongKong2020, HongKong2020Source, HongKong2020Unconfirmed),
        new("B", "HK", GroupChange.Removed, new(2020, 12, 23), HongKong2020, HongKong2020Source, HongKong2020Unconfirmed),
    ];

    /// <summary>
    /// The first day Hong Kong took China's Country Groups: before it, Hong Kong was a destination of its own (its own
    /// memberships are not in the content; the chart gap of us-measures.yaml answers its column items indeterminate).
    /// </summary>
    public static LocalDate HongKongAsChina { get; } = new(2020, 12, 23);

    /// <summary>The rule that removed Hong Kong as a separate destination.</summary>
    public const string HongKongAsChinaCite = "85 FR 83765 (Removal of Hong Kong as a Separate Destination Under the Export Administration Regulations, 23 Dec 2020), effective 23 Dec 2020";

    private const string HongKongRowStructure = "Hong Kong's own row was not read (the CFR editions of 2019 and 2020 were found only as their first pages, the rule that removed the row only as summaries): the X is inferred from the column's structure in the chart of 2026 (country-chart.json)";

    /// <summary>
    /// Hong Kong's own Country Chart row before 23 Dec 2020, as far as the content holds it: the columns with an X (each
    /// flagged, with where it was read). Its other columns are a gap in us-measures.yaml (us.hong-kong-before-2020-12-23).
    /// </summary>
    public static IReadOnlyList<HongKongColumn> HongKongRowBefore { get; } =
    [
        new("NS1", "every Country Chart row but Canada's has an X in NS1 (Australia's and the United Kingdom's until 19 Apr 2024)", HongKongRowStructure),
        new("NS2", "an X for Hong Kong since the BIS rule of 23 Dec 2014 (MMIC rule; shipments en route until 23 Jan 2015), read from a law-firm summary (https://www.lexology.com/library/detail.aspx?g=561ff87a-ab1c-4086-8683-5a6fee39a2b2)", "Hong Kong's own row was not read (the CFR editions of 2019 and 2020 were found only as their first pages): the X is read from a law-firm summary of the rule of 23 Dec 2014, not from the chart"),
        new("MT1", "every Country Chart row but Canada's has an X in MT1 (Australia's and the United Kingdom's until 19 Apr 2024)", HongKongRowStructure),
        new("RS1", "every Country Chart row but Canada's has an X in RS1 (Australia's and the United Kingdom's until 19 Apr 2024)", HongKongRowStructure),
        new("CB1", "every Country Chart row, Canada's included, has an X in CB1", HongKongRowStructure),
    ];

    /// <summary>Memberships of 2026 whose start since 2019 was not found: flagged on every date.</summary>
    public static IReadOnlyList<UndatedGroupMembership> Undated { get; } =
    [
        new("A:5", "AE",
            "the UAE is in Country Group A:5 (with License Exception STA only for the approved entities of Supplement No. 8 to Part 740) in the eCFR of 2026-07-23; in the EAR as the October 2023 rule (88 FR 73458) read it, it was in D:4 and not in A:5. The rule that moved it was not retrieved, so before that rule STA to the UAE may not have been available"),
    ];
}

/// <summary>A column of Hong Kong's own Country Chart row before 23 Dec 2020 with an X, as the content holds it.</summary>
/// <param name="Column">The column code as the generated sets name it ("NS1").</param>
/// <param name="Basis">Why the row has an X there.</param>
/// <param name="Unconfirmed">Why it is not confirmed (shown with every answer resting on it).</param>
public sealed record HongKongColumn(string Column, string Basis, string Unconfirmed);
