using System.Globalization;
using NodaTime;

namespace Clearance.Content.Ear;

/// <summary>What held before a dated change to the Commerce Control List, as far as the content says.</summary>
public enum EarlierText
{
    /// <summary>The entry or paragraph did not exist: before the date such items were classified under other ECCNs, so the
    /// generated content answers `indeterminate` (classify the item under the CCL of the export date).</summary>
    NotListed,

    /// <summary>What held before is written by hand, with its citation, in us-measures.yaml (the rules that select the
    /// dated column codes this change gives).</summary>
    Authored,

    /// <summary>The control did not exist before the date: nothing held for that reason (no licence for it).</summary>
    NoControl,

    /// <summary>The content does not hold the text before the date (the entry may have existed with other controls, or
    /// its items may have been classified elsewhere): the generated content answers `indeterminate`, naming the rule.</summary>
    NotInContent,
}

/// <summary>
/// One change to the Commerce Control List since the content's coverage (2019) whose current text the generator must
/// not apply before it took effect: the ECCN or paragraph (and everything below it) and, when not all, the Country Chart
/// columns the rule introduced or changed there.
/// </summary>
/// <param name="Code">The ECCN or paragraph, as the generated items spell it ("3A090.a").</param>
/// <param name="Columns">The column codes the change concerns (as generated: "RS-WW"); empty for every column.</param>
/// <param name="Effective">The first day the current text applied.</param>
/// <param name="Rule">The Federal Register rule, short ("90 FR 4544").</param>
/// <param name="Cite">The rule's title and effective date, as the content cites it.</param>
/// <param name="Source">Where the rule and its date were read.</param>
/// <param name="Earlier">What held before the date.</param>
public sealed record CclTextDate(string Code, IReadOnlyList<string> Columns, LocalDate Effective, string Rule, string Cite, string Source, EarlierText Earlier)
{
    /// <summary>
    /// The first day exporters had to comply, when the rule gave a later one than its effective date (the AI diffusion
    /// rule: effective 13 Jan 2025, "not required to comply ... until 120 days from date of publication", 15 May 2025):
    /// the dated code (<c>RS-WW.since-2025-05-15</c>) and its requirement start on this day, what held before (authored)
    /// running until it; the item's citation names the text's effective date. Null: compliance from the effective date.
    /// </summary>
    public LocalDate? Compliance { get; init; }

    /// <summary>A fact about the rule an answer must show flagged (e.g. a non-enforcement statement), or null.</summary>
    public string? Note { get; init; }

    /// <summary>The first day the requirement of the dated code applies: the compliance date, else the effective date.</summary>
    public LocalDate Applies => Compliance ?? Effective;
}

/// <summary>
/// The dated changes the generator applies to the eCFR text of the reference (which is undated): the advanced-computing
/// rules of October 2022, October 2023, December 2024 and January 2025, and the semiconductor-equipment rule of October
/// 2023. Every generated column a row covers becomes a
/// dated column code (<c>RS-WW.since-2025-05-15</c>) whose requirement starts on the row's date (its compliance date where
/// the rule gave a later one); the most specific row
/// (the longest code) wins for an item and column.
/// </summary>
public static class CclTextDates
{
    private const string October2022 = "87 FR 62186";
    private const string October2022Cite = "87 FR 62186 (Implementation of Additional Export Controls: Certain Advanced Computing and Semiconductor Manufacturing Items; Supercomputer and Semiconductor End Use; Entity List Modification, 13 Oct 2022), effective 7 Oct 2022";
    private const string October2022Source = "https://open-gov.usebase.io/federal-register/2022-21658";
    private const string October2023 = "88 FR 73458";
    private const string October2023Cite = "88 FR 73458 (Implementation of Additional Export Controls: Certain Advanced Computing Items; Supercomputer and Semiconductor End Use; Updates and Corrections, 25 Oct 2023), effective 17 Nov 2023";
    private const string October2023Source = "https://federalstatelaw.com/federal-register/2023-23055";
    private const string December2024 = "89 FR 96790";
    private const string December2024Cite = "89 FR 96790 (Foreign-Produced Direct Product Rule Additions, and Refinements to Controls for Advanced Computing and Semiconductor Manufacturing Items, 5 Dec 2024), effective 2 Dec 2024";
    private const string December2024Source = "https://federalstatelaw.com/federal-register/2024-28270";
    private const string January2025 = "90 FR 4544";
    private const string January2025Cite = "90 FR 4544 (Framework for Artificial Intelligence Diffusion, 15 Jan 2025), effective 13 Jan 2025";
    private const string January2025Source = "https://sanctionsnews.bakermckenzie.com/bis-begins-rescinding-ai-diffusion-rule-and-issues-guidance-on-huawei-ics-and-on-ics-and-commodities-used-to-train-ai-models";

    private const string SemiconductorEquipment2023 = "88 FR 73424";
    private const string SemiconductorEquipment2023Cite = "88 FR 73424 (Export Controls on Semiconductor Manufacturing Items, 25 Oct 2023), effective 17 Nov 2023: the semiconductor manufacturing equipment the October 2022 rule had put in 3B090 (RS to China) moved into 3B001 and 3B002 with NS and RS controls to or within Macau or Country Group D:5 (742.4(a)(4), 742.6(a)(6)); 3B090 removed";
    private const string SemiconductorEquipment2023Source = "https://regulations.justia.com/regulations/fedreg/2023/10/25/2023-23049.html";

    private static readonly LocalDate Oct2022 = new(2022, 10, 7);
    private static readonly LocalDate Nov2023 = new(2023, 11, 17);
    private static readonly LocalDate Dec2024 = new(2024, 12, 2);
    private static readonly LocalDate Jan2025 = new(2025, 1, 13);

    // The AI diffusion rule's compliance date: BIS's page for the rule (bis.gov/advanced-compute-resources): "Although
    // this rule is effective upon publication, exporters ... are not required to comply with the changes made in this rule
    // until 120 days from date of publication" (published 15 Jan 2025: 15 May 2025; Akin Gump, 14 Jan 2025, the same day).
    private static readonly LocalDate May2025 = new(2025, 5, 15);
    private const string January2025Note = "the AI diffusion rule required compliance only from 15 May 2025 (120 days after its publication on 15 Jan 2025, BIS's page for the rule), and on 13 May 2025 BIS announced its rescission and that it would not enforce it (no Federal Register rescission by the content's review date): the content answers the rule as published from its compliance date; whether a licence is needed in practice is a matter for counsel";

    /// <summary>A row of the AI diffusion rule (90 FR 4544): effective 13 Jan 2025, compliance from 15 May 2025, flagged.</summary>
    private static CclTextDate AiDiffusion(string code) =>
        new(code, ["RS-WW"], Jan2025, January2025, January2025Cite, January2025Source, EarlierText.Authored) { Compliance = May2025, Note = January2025Note };

    // The ".z" paragraphs: items of older ECCNs that also meet the 3A090 or 4A090 parameters, added by the October 2023 rule.
    private static readonly string[] ZParagraphs = ["3A001.z", "4A003.z", "4A004.z", "4A005.z", "5A002.z", "5A004.z", "5A992.z", "5D002.z", "5D992.z"];

    // The software and technology entries whose RS controls for 3A090/4A090 items (and their .z paragraphs) the rules
    // wrote: "RS applies to software for 3A090.a" (worldwide from the AI diffusion rule), "... 3A090.b" (the UAE or D:1,
    // D:4, D:5 outside A:5/A:6 from the October 2023 rule), "... 3A090.c" (Macau or D:5 from December 2024).
    private static readonly string[] SoftwareAndTechnology = ["3D001", "3E001", "4D001", "4D090", "4E001", "5E002", "5E992"];

    // The ECCNs whose RS control is "see 742.6(a)(11)" (a Footnote 5 party), all added by the December 2024 rule.
    private static readonly string[] FootnoteFiveEntries = ["3B993", "3B994", "3D993", "3D994", "3E993", "3E994"];

    /// <summary>The rows, in the order the generator reads them (the most specific wins, whatever the order).</summary>
    public static IReadOnlyList<CclTextDate> All { get; } =
    [
        // 3A090 and 4A090 were added in October 2022, one paragraph each, RS to China (the China rule is authored by hand).
        new("3A090", [], Oct2022, October2022, October2022Cite, October2022Source, EarlierText.NotListed),
        new("4A090", [], Oct2022, October2022, October2022Cite, October2022Source, EarlierText.NotListed),
        // .a: worldwide from the AI diffusion rule; before it, China (2022), Macau (Jan 2023), D:1/D:4/D:5 (Nov 2023).
        AiDiffusion("3A090.a"),
        AiDiffusion("4A090.a"),
        // .b: the lower-performance paragraph the October 2023 rule created.
        new("3A090.b", [], Nov2023, October2023, October2023Cite, October2023Source, EarlierText.NotListed),
        new("4A090.b", [], Nov2023, October2023, October2023Cite, October2023Source, EarlierText.NotListed),
        // .c: high-bandwidth memory, December 2024.
        new("3A090.c", [], Dec2024, December2024, December2024Cite, December2024Source, EarlierText.NotListed),
        // The semiconductor manufacturing equipment the December 2024 rule listed for its foreign direct product rules and
        // Footnote 5 entities (RS "see 742.6(a)(11)"), with their software and technology: new entries on that day (the
        // Entity List rule of the same day, whose entries cite 89 FR 96836, names 3B993 and 3B994 in its Footnote 5 review
        // policies, e.g. SMIC's in the Entity List of the reference).
        .. FootnoteFiveEntries.Select(e => new CclTextDate(e, [], Dec2024, December2024, December2024Cite, December2024Source, EarlierText.NotListed)),
        // Their NS, MT and NP columns are those of the items they belong to (4A003.z.1 is a 4A003.b or .c computer), which
        // were controlled so before; before 17 Nov 2023 the paragraphs themselves are gaps.
        .. ZParagraphs.Select(z => new CclTextDate(z, ["RS-D145"], Nov2023, October2023, October2023Cite, October2023Source, EarlierText.NotListed)),
        .. ZParagraphs.Select(AiDiffusion),
        .. SoftwareAndTechnology.Select(AiDiffusion),
        .. SoftwareAndTechnology.Select(e => new CclTextDate(e, ["RS-D145"], Nov2023, October2023, October2023Cite, October2023Source, EarlierText.Authored)),
        .. SoftwareAndTechnology.Select(e => new CclTextDate(e, ["RS-MOD5"], Dec2024, December2024, December2024Cite, December2024Source, EarlierText.NoControl)),
        // Semiconductor manufacturing equipment: the "Macau or D:5" NS and RS controls of 3B001 (a.4, c, d, f.1, f.5, f.6,
        // k to n, p.2, p.4, r) and 3B002.c are the October 2023 rule's text. Before it such equipment was partly 3B090 (RS
        // to China, 7 Oct 2022 to 16 Nov 2023, not an entry of the reference) and partly 3B001/3B002 under NS Column 2:
        // the content does not hold that text, so those paragraphs are indeterminate before the day, naming the rule.
        new("3B001", ["NS-MOD5", "RS-MOD5"], Nov2023, SemiconductorEquipment2023, SemiconductorEquipment2023Cite, SemiconductorEquipment2023Source, EarlierText.NotInContent),
        new("3B002", ["NS-MOD5", "RS-MOD5"], Nov2023, SemiconductorEquipment2023, SemiconductorEquipment2023Cite, SemiconductorEquipment2023Source, EarlierText.NotInContent),
        // Their software and technology, 3D992 and 3E992, carry the same "Macau or D:5" controls under the same sections
        // (742.4(a)(4), 742.6(a)(6)(i)), which the October 2023 rule wrote for this equipment: not before 17 Nov 2023. Their
        // headings name the 3B001 paragraphs of that rule; the paragraphs 3D992.c and 3E992.b (and 3B001.f.6), whose
        // complements 3D993.e, 3E993.c and 3B993.f.4 the December 2024 rule created, are gaps before 2 Dec 2024 in
        // us-measures.yaml (us.ccl.duv-immersion-before-2024-12-02).
        new("3D992", ["NS-MOD5", "RS-MOD5"], Nov2023, SemiconductorEquipment2023, SemiconductorEquipment2023Cite, SemiconductorEquipment2023Source, EarlierText.NotInContent),
        new("3E992", ["NS-MOD5", "RS-MOD5"], Nov2023, SemiconductorEquipment2023, SemiconductorEquipment2023Cite, SemiconductorEquipment2023Source, EarlierText.NotInContent),
    ];

    private const string September2024 = "89 FR 72926";
    private const string September2024Cite = "89 FR 72926 (Commerce Control List Additions and Revisions; Implementation of Controls on Advanced Technologies Consistent With Controls Implemented by International Partners, 6 Sep 2024), effective 6 Sep 2024: the worldwide NS and RS licence requirements of 742.4(a)(5) and 742.6(a)(10) and License Exception IEC";
    private const string September2024Source = "https://d1tvxue8o4w0fl.cloudfront.net/federal-register/commerce-control-list-additions-and-revisions-implementation-of-controls-on-advanced-technologies-consistent-with-controls-implemented-by-international-partners";

    /// <summary>
    /// Controls dated by the section their Country Chart text refers to, wherever they stand: a column a control line
    /// produces whose text names <see cref="ControlTextDate.Marker"/> is dated by that row (the two worldwide
    /// requirements the September 2024 rule added to Part 742, and the ECCNs and paragraphs it added with them).
    /// </summary>
    public static IReadOnlyList<ControlTextDate> ByControlText { get; } =
    [
        new("742.4(a)(5)", new(2024, 9, 6), September2024, September2024Cite, September2024Source, EarlierText.NotInContent),
        new("742.6(a)(10)", new(2024, 9, 6), September2024, September2024Cite, September2024Source, EarlierText.NotInContent),
    ];

    /// <summary>The dated column code the generator writes: the column and the first day of its current text.</summary>
    /// <param name="column">The column code ("RS-WW").</param>
    /// <param name="effective">The first day the control applied in its current text.</param>
    public static string Dated(string column, LocalDate effective) =>
        $"{column}.since-{effective.ToString("uuuu-MM-dd", CultureInfo.InvariantCulture)}";

    /// <summary>The column code a dated code stands for ("RS-WW" for "RS-WW.since-2025-05-15"), or the code itself.</summary>
    /// <param name="code">A column code, dated or not.</param>
    public static string BaseColumn(string code) =>
        code.IndexOf(".since-", StringComparison.Ordinal) is var at and >= 0 ? code[..at]
        : code.EndsWith(CivilTelecommunicationsSuffix, StringComparison.Ordinal) ? code[..^CivilTelecommunicationsSuffix.Length]
        : code;

    /// <summary>
    /// The suffix of a column that applies unless the item is exported or re-exported for use in civil
    /// telecommunications applications (3A001's NS1 and RS1 for 3A001.b.2 and b.3): <c>NS1.unless-civil-telecommunications</c>,
    /// whose requirement tests <c>us_civil_telecommunications_use</c>.
    /// </summary>
    public const string CivilTelecommunicationsSuffix = ".unless-civil-telecommunications";

    /// <summary>The row that dates <paramref name="column"/> on <paramref name="code"/>: the most specific, or null.</summary>
    /// <param name="code">An item code.</param>
    /// <param name="column">A column code the item carries.</param>
    public static CclTextDate? For(string code, string column) =>
        All.Where(r => (r.Code == code || code.StartsWith(r.Code + ".", StringComparison.Ordinal)) && (r.Columns.Count == 0 || r.Columns.Contains(column)))
            .OrderByDescending(r => r.Code.Length).ThenByDescending(r => r.Columns.Count).FirstOrDefault();
}

/// <summary>A control dated by the EAR section its Country Chart text refers to (see <see cref="CclTextDates.ByControlText"/>).</summary>
/// <param name="Marker">The section as the control's text cites it ("742.4(a)(5)").</param>
/// <param name="Effective">The first day the section's requirement applied.</param>
/// <param name="Rule">The Federal Register rule, short.</param>
/// <param name="Cite">The rule's title and effective date.</param>
/// <param name="Source">Where the rule and its date were read.</param>
/// <param name="Earlier">What held before the date.</param>
public sealed record ControlTextDate(string Marker, LocalDate Effective, string Rule, string Cite, string Source, EarlierText Earlier);
