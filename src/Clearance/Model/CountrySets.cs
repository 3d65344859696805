namespace Clearance.Model;

/// <summary>How a country set's membership is defined.</summary>
public enum CountrySetKind : byte
{
    /// <summary>Listed members, each with its periods.</summary>
    Explicit,
    /// <summary>Members of any of the named sets.</summary>
    Union,
    /// <summary>Every country that is in none of the named sets (e.g. Japan's Group C).</summary>
    Residual,
}

/// <summary>A country's membership of an explicit set for one period.</summary>
/// <param name="Country">The member.</param>
/// <param name="Period">When a member.</param>
/// <param name="Citation">Legal basis of the membership (designation, removal).</param>
/// <param name="Source">Where defined.</param>
public sealed record Membership(CountryCode Country, Period Period, Citation Citation, SourceRef Source);

/// <summary>
/// A legal table of countries (Japan's Appended Table 3, 3-2, 4) or a country group (Group A–D, Korea's Ga/Na),
/// with time-effective membership.
/// </summary>
/// <param name="Id">Stable id, e.g. "table-3", "group-b", "ga-2".</param>
/// <param name="Name">Display name.</param>
/// <param name="Kind">Explicit, union or residual.</param>
/// <param name="Members">For explicit sets: memberships (periods of one country never overlap).</param>
/// <param name="Of">For union and residual sets: the sets it is defined from.</param>
/// <param name="IsGroup">Whether it is one of the jurisdiction's destination groups (used to classify a destination).</param>
/// <param name="Description">What it is.</param>
/// <param name="Citation">Legal basis.</param>
/// <param name="Source">Where defined.</param>
public sealed record CountrySet(
    string Id,
    string Name,
    CountrySetKind Kind,
    IReadOnlyList<Membership> Members,
    IReadOnlyList<string> Of,
    bool IsGroup,
    string? Description,
    Citation Citation,
    SourceRef Source)
{
    /// <summary>
    /// When the set exists in law (Japan's Groups A-D from 2 Aug 2019): outside it no country is a member, whatever
    /// its memberships or the sets it is defined from say. Always, by default.
    /// </summary>
    public Period Existence { get; init; } = Period.Always;
}
