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

/// <summary>
/// One listed party that matched a query: one match per party, however many lists carry it (<see cref="SameParty"/>).
/// <see cref="ListId"/>, <see cref="EntityId"/> and <see cref="Entity"/> are its gravest listing (the first of
/// <see cref="Listings"/>); the score and explanation are those of its best-matching listing.
/// </summary>
/// <param name="ListId">The list of the gravest listing, e.g. "ofac-sdn".</param>
/// <param name="EntityId">The entry's id on that list.</param>
/// <param name="PrimaryName">The entry's primary name.</param>
/// <param name="MatchedName">The name (primary or alias, of any listing) that matched best.</param>
/// <param name="Score">Final score in [0, 1].</param>
/// <param name="Explanation">How the score was reached.</param>
/// <param name="Entity">The gravest listing's full entry.</param>
/// <param name="Listings">
/// Every entry of the party on the lists screened (of the query's lists when it names some), gravest first
/// (<see cref="ListConsequences"/>): prohibitions, then licence requirements, then the rest.
/// </param>
public sealed record ScreeningMatch(
    string ListId,
    string EntityId,
    string PrimaryName,
    string MatchedName,
    double Score,
    MatchExplanation Explanation,
    ListEntity Entity,
    IReadOnlyList<ListEntity> Listings)
{
    /// <summary>True when the party has an entry <paramref name="entityId"/> on <paramref name="listId"/>.</summary>
    /// <param name="listId">A list id.</param>
    /// <param name="entityId">An entry id on it.</param>
    public bool IsListedAs(string listId, string entityId) =>
        Listings.Any(l => string.Equals(l.ListId, listId, StringComparison.Ordinal) && string.Equals(l.EntityId, entityId, StringComparison.Ordinal));

    /// <summary>True when the party has an entry on <paramref name="listId"/>.</summary>
    /// <param name="listId">A list id.</param>
    public bool IsOn(string listId) => Listings.Any(l => string.Equals(l.ListId, listId, StringComparison.Ordinal));

    /// <summary>The programmes or legal bases of every listing, each once, in listing order.</summary>
    public IReadOnlyList<string> Programs => Listings.Count == 1 ? Entity.Programs : [.. Listings.SelectMany(l => l.Programs).Distinct(StringComparer.Ordinal)];

    /// <summary>The countries of every listing, each once.</summary>
    public IReadOnlyList<string> Countries => Listings.Count == 1 ? Entity.Countries : [.. Listings.SelectMany(l => l.Countries).Distinct(StringComparer.Ordinal)];

    /// <summary>The birth dates of every listing, each once.</summary>
    public IReadOnlyList<string> BirthDates => Listings.Count == 1 ? Entity.BirthDates : [.. Listings.SelectMany(l => l.BirthDates).Distinct(StringComparer.Ordinal)];

    /// <summary>The identifiers of every listing, each once.</summary>
    public IReadOnlyList<EntityIdentifier> Identifiers => Listings.Count == 1 ? Entity.Identifiers : [.. Listings.SelectMany(l => l.Identifiers).Distinct()];

    /// <summary>The kind the listings give (the first that is known).</summary>
    public EntityKind Kind => Listings.Select(l => l.Kind).FirstOrDefault(k => k != EntityKind.Unknown);
}
