namespace Clearance.Screening.Matching;

/// <summary>A party to screen against the lists.</summary>
/// <param name="Name">The name as given, in any script.</param>
/// <param name="Country">ISO 3166-1 alpha-2 code of the party's country or nationality, when known.</param>
/// <param name="Kind">Person, organisation, vessel or aircraft; null or <see cref="EntityKind.Unknown"/> screens against all.</param>
/// <param name="BirthDate">Date of birth as an ISO 8601 partial date ("1965", "1965-03-12"), when known.</param>
/// <param name="Threshold">Least score reported; null uses <see cref="ScreeningIndex.DefaultThreshold"/>.</param>
/// <param name="Limit">Most matches returned, best first.</param>
/// <param name="Identifiers">Passport, registration or IMO numbers of the party, when known.</param>
/// <param name="Lists">
/// Only entries of these lists (ids such as "meti-eul"); null screens against every list. The limit applies after the
/// filter, so a list's entry is never crowded out by better matches on other lists.
/// </param>
public sealed record ScreeningQuery(
    string Name,
    string? Country = null,
    EntityKind? Kind = null,
    string? BirthDate = null,
    double? Threshold = null,
    int Limit = 10,
    IReadOnlyList<string>? Identifiers = null,
    IReadOnlySet<string>? Lists = null);

/// <summary>How a feature other than the name moved a match score.</summary>
/// <param name="Feature">"birth-date", "country", "identifier" or "weak-alias".</param>
/// <param name="Delta">What it added (positive) or took away (negative).</param>
/// <param name="Detail">The values compared.</param>
public sealed record ScoreFeature(string Feature, double Delta, string Detail);

/// <summary>Why a list entry matched: the name comparison and every adjustment.</summary>
/// <param name="Algorithm">The scoring algorithm and version, e.g. "clearance-name-v2".</param>
/// <param name="NameScore">The score of the best name before adjustments.</param>
/// <param name="Name">Which tokens matched which, and how.</param>
/// <param name="Features">Adjustments for birth date, country, identifiers and alias strength.</param>
public sealed record MatchExplanation(string Algorithm, double NameScore, NameScoreExplanation Name, IReadOnlyList<ScoreFeature> Features);

/// <summary>One list entry that matched a query.</summary>
/// <param name="ListId">The list, e.g. "meti-eul".</param>
/// <param name="EntityId">The entry's id on that list.</param>
/// <param name="PrimaryName">The entry's primary name.</param>
/// <param name="MatchedName">The name of the entry (primary or alias) that matched best.</param>
/// <param name="Score">Final score in [0, 1].</param>
/// <param name="Explanation">How the score was reached.</param>
/// <param name="Entity">The full list entry.</param>
public sealed record ScreeningMatch(
    string ListId,
    string EntityId,
    string PrimaryName,
    string MatchedName,
    double Score,
    MatchExplanation Explanation,
    ListEntity Entity);
