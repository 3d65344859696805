namespace Clearance.Model;

/// <summary>The end use an exporter declares for a shipment.</summary>
public enum EndUse : byte
{
    /// <summary>Not known to the exporter, or not given.</summary>
    Unknown,
    /// <summary>Civil use.</summary>
    Civil,
    /// <summary>Development, manufacture or use of weapons of mass destruction or their delivery.</summary>
    Wmd,
    /// <summary>Development, manufacture or use of conventional weapons.</summary>
    ConventionalMilitary,
}

/// <summary>Why a licence is (or may be) needed.</summary>
public enum RequirementKind : byte
{
    /// <summary>The item is on the control list.</summary>
    List,
    /// <summary>Catch-all: an unlisted item with a concerning end use, or the authority informed the exporter.</summary>
    CatchAll,
    /// <summary>The end user is on the exporting jurisdiction's end-user list.</summary>
    EndUser,
    /// <summary>The destination is embargoed: exports are prohibited.</summary>
    Embargo,
    /// <summary>
    /// The content does not cover what the rule selects (a destination whose measures are not authored): every export
    /// it takes is indeterminate, naming the gap, unless another rule prohibits it. Never a ground.
    /// </summary>
    Gap,
}

/// <summary>A rule that makes a licence necessary, or prohibits the export, while it is in force.</summary>
/// <param name="Id">Stable id, used in traces and diffs.</param>
/// <param name="Kind">List control, catch-all, end-user or embargo.</param>
/// <param name="Title">One line a compliance officer understands.</param>
/// <param name="Items">Items it concerns.</param>
/// <param name="Destinations">Destinations it concerns.</param>
/// <param name="When">Conditions on the facts.</param>
/// <param name="Periods">When it is in force (non-overlapping).</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record RequirementRule(
    string Id,
    RequirementKind Kind,
    string Title,
    ItemSelector Items,
    DestinationSelector Destinations,
    FactCondition When,
    IReadOnlyList<Period> Periods,
    Citation Citation,
    SourceRef Source) : IDatedRule
{
    /// <summary>
    /// For an embargo: the exception the measure itself provides (e.g. humanitarian purposes), under a licence or
    /// approval type, as a condition the engine cannot check. The verdict stays prohibited; the exception is shown.
    /// </summary>
    public RuleException? Exception { get; init; }

    /// <summary>
    /// How the authority reviews an application for a licence this rule requires, when a source states it: e.g.
    /// "case-by-case (15 CFR 742.4(b))", "presumption of denial ...", "policy of denial ...". Shown with the ground.
    /// </summary>
    public string? ReviewPolicy { get; init; }

    /// <summary>The policies a <see cref="ReviewPolicy"/> must start with (the EAR's terms).</summary>
    public static IReadOnlyList<string> ReviewPolicies { get; } = ["case-by-case", "presumption of approval", "general policy of approval", "presumption of denial", "policy of denial", "general policy of denial"];

    /// <summary>
    /// The countries the export or re-export must be made from for the rule to apply (<c>exported_from</c>), or null
    /// for any: the EAR's Footnote 5 licence requirements for foreign-produced items turn on the country the item is
    /// re-exported from (15 CFR 744.11(a)(2)(v)(A)(2)-(3): Country Group A:5, Supplement No. 4 to Part 742). A rule whose
    /// exporting country is not met is excluded as by a fact of the shipment; a shipment whose exporting country is not
    /// given does not meet it (every shipment the application reads names it).
    /// </summary>
    public DestinationSelector? ExportedFrom { get; init; }
}

/// <summary>An exception to a prohibition, granted under a licence or approval the engine cannot check.</summary>
/// <param name="License">The licence type id under which the exception is granted.</param>
/// <param name="Condition">When the exception applies, as the measure states it.</param>
public sealed record RuleException(string License, string Condition);

/// <summary>A kind of licence that can authorise exports.</summary>
/// <param name="Id">Stable id used in input (<c>held</c>) and output (<c>eligible_licenses</c>), e.g. "individual", "general-bulk".</param>
/// <param name="Name">Name, with the original-language term.</param>
/// <param name="Validity">Typical validity, as text.</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record LicenseType(string Id, string Name, string? Validity, Citation Citation, SourceRef Source);

/// <summary>Whether a scope rule extends or withdraws a licence type's coverage.</summary>
public enum ScopeEffect : byte
{
    /// <summary>The licence type can authorise what the rule selects.</summary>
    Allow,
    /// <summary>The licence type cannot authorise what the rule selects, whatever an allow rule says.</summary>
    Deny,
}

/// <summary>A time-effective statement of what a licence type can authorise.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="License">The licence type id.</param>
/// <param name="Effect">Allow or deny (deny wins).</param>
/// <param name="Title">One line.</param>
/// <param name="Items">Items concerned.</param>
/// <param name="Destinations">Destinations concerned.</param>
/// <param name="Grounds">Which requirement kinds the licence can answer (e.g. list control only); empty, with <see cref="LicenseScopeRule.GroundRules"/> empty, means all.</param>
/// <param name="Condition">A condition on the exporter that the engine cannot check (e.g. "≥6 approvals with the same importer"), shown with the result.</param>
/// <param name="Periods">When it is in force.</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record LicenseScopeRule(
    string Id,
    string License,
    ScopeEffect Effect,
    string Title,
    ItemSelector Items,
    DestinationSelector Destinations,
    IReadOnlyList<RequirementKind> Grounds,
    string? Condition,
    IReadOnlyList<Period> Periods,
    Citation Citation,
    SourceRef Source) : IDatedRule
{
    /// <summary>
    /// The requirement rules (by id) an allow answers besides the kinds in <see cref="Grounds"/>: the EAR's licence
    /// exceptions each overcome some reasons for control and not others (15 CFR 738.4(a)(2)(ii)), so an allow for LVS
    /// names the Country Chart requirements it answers. Empty, with <see cref="Grounds"/> empty: it answers every ground.
    /// </summary>
    public IReadOnlyList<string> GroundRules { get; init; } = [];

    /// <summary>Whether the rule answers the requirement <paramref name="ground"/> (an allow answers only its grounds).</summary>
    public bool Answers(RequirementRule ground) =>
        (Grounds.Count == 0 && GroundRules.Count == 0) || Grounds.Contains(ground.Kind) || GroundRules.Contains(ground.Id);

    /// <summary>
    /// Conditions on the shipment's facts the engine checks (e.g. <c>value &lt;= 1500 USD</c> for a value-limited
    /// licence): an allow rule whose condition fails does not allow; one whose condition cannot be decided (fact not
    /// given, no exchange rate) allows only conditionally, naming the fact. A deny rule withdraws when it holds.
    /// </summary>
    public FactCondition When { get; init; } = FactCondition.None;

    /// <summary>
    /// The countries the export or re-export must be made from for the rule to apply (<c>exported_from</c>), or null
    /// for any: the EAR's License Exception APR (15 CFR 740.16) authorises re-exports from Country Group A:1 only. A
    /// shipment whose exporting country is not given does not meet it.
    /// </summary>
    public DestinationSelector? ExportedFrom { get; init; }
}

/// <summary>The standard review period of a licence type for destinations, while in force.</summary>
/// <param name="Id">Stable id.</param>
/// <param name="License">The licence type id.</param>
/// <param name="Days">Standard review period in days (a maximum "in principle", counted from receipt).</param>
/// <param name="Destinations">Destinations concerned.</param>
/// <param name="Periods">When in force.</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record ReviewPeriodRule(
    string Id,
    string License,
    int Days,
    DestinationSelector Destinations,
    IReadOnlyList<Period> Periods,
    Citation Citation,
    SourceRef Source) : IDatedRule;

/// <summary>A rule with an id, periods in force and a citation.</summary>
public interface IDatedRule
{
    /// <summary>Stable id.</summary>
    string Id { get; }

    /// <summary>When in force.</summary>
    IReadOnlyList<Period> Periods { get; }

    /// <summary>Legal basis.</summary>
    Citation Citation { get; }

    /// <summary>Where defined.</summary>
    SourceRef Source { get; }
}

/// <summary>Wire names of the enumerations (kebab-case, as in the JSON contract).</summary>
public static class Names
{
    /// <summary>"civil", "wmd", "conventional-military", "unknown".</summary>
    public static string Of(EndUse endUse) => endUse switch
    {
        EndUse.Civil => "civil",
        EndUse.Wmd => "wmd",
        EndUse.ConventionalMilitary => "conventional-military",
        _ => "unknown",
    };

    /// <summary>"list", "catch-all", "end-user", "embargo", "gap".</summary>
    public static string Of(RequirementKind kind) => kind switch
    {
        RequirementKind.List => "list",
        RequirementKind.CatchAll => "catch-all",
        RequirementKind.EndUser => "end-user",
        RequirementKind.Gap => "gap",
        _ => "embargo",
    };

    /// <summary>Parses an end use wire name.</summary>
    public static bool TryParseEndUse(ReadOnlySpan<char> text, out EndUse endUse)
    {
        switch (text)
        {
            case "civil": endUse = EndUse.Civil; return true;
            case "wmd": endUse = EndUse.Wmd; return true;
            case "conventional-military": endUse = EndUse.ConventionalMilitary; return true;
            case "unknown": endUse = EndUse.Unknown; return true;
            default: endUse = EndUse.Unknown; return false;
        }
    }

    /// <summary>Parses a requirement kind wire name.</summary>
    public static bool TryParseRequirementKind(string text, out RequirementKind kind)
    {
        switch (text)
        {
            case "list": kind = RequirementKind.List; return true;
            case "catch-all": kind = RequirementKind.CatchAll; return true;
            case "end-user": kind = RequirementKind.EndUser; return true;
            case "embargo": kind = RequirementKind.Embargo; return true;
            case "gap": kind = RequirementKind.Gap; return true;
            default: kind = default; return false;
        }
    }
}

/// <summary>A rule that added parties to a screened list (the Entity List), with the day it took effect.</summary>
/// <param name="Rule">The rule's Federal Register citation (its first page), e.g. "84 FR 22961".</param>
/// <param name="Effective">The first day the listing applied (often days before publication: the rule's effective date).</param>
/// <param name="Published">The day the rule was published in the Federal Register, when known.</param>
/// <param name="Title">What the rule did, in short.</param>
/// <param name="Citation">The source of the dates.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record ListingRule(string Rule, NodaTime.LocalDate Effective, NodaTime.LocalDate? Published, string Title, Citation Citation, SourceRef Source)
{
    /// <summary>
    /// The rule's last page in the Federal Register, when known: lists cite the page an entry is printed on ("84 FR
    /// 22963" for an entry of the rule at 84 FR 22961), so a citation of any page from the first to this one is the rule.
    /// Null: only the first page is known, and only a citation of it matches.
    /// </summary>
    public int? LastPage { get; init; }

    /// <summary>Whether the citation "VOLUME FR PAGE" falls within this rule's pages.</summary>
    /// <param name="volume">The citation's volume.</param>
    /// <param name="page">The citation's page.</param>
    public bool Covers(int volume, int page)
    {
        var parts = Rule.Split(' ');
        var ruleVolume = int.Parse(parts[0], System.Globalization.CultureInfo.InvariantCulture);
        var first = int.Parse(parts[2], System.Globalization.CultureInfo.InvariantCulture);
        return volume == ruleVolume && page >= first && page <= (LastPage ?? first);
    }
}
