using System.Collections.Concurrent;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Matching;
using NodaTime;

namespace Clearance.Application;

/// <summary>A restricted-party list entry that the end user's name matched.</summary>
/// <param name="ListId">The list, e.g. "meti-eul".</param>
/// <param name="EntityId">The entry's id on the list.</param>
/// <param name="Name">The entry's primary name.</param>
/// <param name="MatchedName">The name or alias that matched.</param>
/// <param name="Score">Match score, 0 to 1.</param>
public sealed record EndUserMatch(string ListId, string EntityId, string Name, string MatchedName, double Score)
{
    /// <summary>
    /// Every entry of the matched party on the lists screened, gravest first (the first is <see cref="ListId"/>,
    /// <see cref="EntityId"/>): one match per listed party (<see cref="ScreeningMatch.Listings"/>).
    /// </summary>
    public IReadOnlyList<Clearance.Store.EntityRef> Listings { get; init; } = [new(ListId, EntityId)];

    /// <summary>The list entry itself (its listing columns and its list's date tell from when the listing counts), when screening kept it.</summary>
    public ListEntity? Entry { get; init; }
}

/// <summary>The screening of one end user for one jurisdiction.</summary>
/// <param name="Status">What the evaluator is told: listed, possible match, clear, not screened or not given.</param>
/// <param name="Matches">Entries of the jurisdiction's end-user list first (they decide the status), then entries of other lists (warnings only).</param>
/// <param name="EndUserList">The jurisdiction's end-user list id, or null when it has none.</param>
/// <param name="Decision">The decision given with the shipment; it acts only on a possible match.</param>
public sealed record EndUserResult(EndUserStatus Status, IReadOnlyList<EndUserMatch> Matches, string? EndUserList, EndUserDecision? Decision = null)
{
    /// <summary>No end user given.</summary>
    public static EndUserResult NotGiven { get; } = new(EndUserStatus.NotGiven, [], null);

    /// <summary>The list versions the end user was screened against (empty when no list was loaded or no end user given).</summary>
    public IReadOnlyList<ScreenedList> ScreenedAgainst { get; init; } = [];

    /// <summary>
    /// The facts the regime declares <c>screened_by</c> a list, as screening answered them on the export date (empty for
    /// a regime without such facts, or when no end user was given).
    /// </summary>
    public IReadOnlyList<ScreenedFact> ScreenedFacts { get; init; } = [];

    /// <summary>The best entry of the jurisdiction's end-user list, when one matched.</summary>
    public EndUserMatch? ListEntry => Matches.Count > 0 && Matches[0].ListId == EndUserList ? Matches[0] : null;

    /// <summary>What a match on another list than the jurisdiction's end-user list is: a warning, never a ground.</summary>
    public const string OtherListWarning = "warning: listed on another restricted-party list";

    /// <summary>What a match is on a screened list whose fact a closer match of the same party already answers.</summary>
    private const string WeakerOnScreenedList = "a weaker match on the same list as a closer one: review it if the closer one is cleared";

    /// <summary>
    /// The words for <paramref name="match"/> when a closer match on its list answered that list's fact (the end user's
    /// and the consignee's effects alike); null otherwise.
    /// </summary>
    /// <param name="match">One of <see cref="Matches"/> that decided no fact itself.</param>
    internal string? WeakerThanScreened(EndUserMatch match) =>
        ScreenedFacts.Any(f => f.Match?.ListId == match.ListId) ? WeakerOnScreenedList : null;

    /// <summary>Whether <paramref name="match"/> is a warning only (it does not decide the status): a match on another list.</summary>
    /// <param name="match">One of <see cref="Matches"/>.</param>
    public bool IsWarning(EndUserMatch match) => match?.ListId != EndUserList && (match is null || ScreenedFactOf(match) is null);

    /// <summary>The screened fact <paramref name="match"/> decided, or null when it decided none.</summary>
    /// <param name="match">One of <see cref="Matches"/>.</param>
    public ScreenedFact? ScreenedFactOf(EndUserMatch match)
    {
        ArgumentNullException.ThrowIfNull(match);
        foreach (var fact in ScreenedFacts)
        {
            if (fact.Match is { } decided && decided.ListId == match.ListId && decided.EntityId == match.EntityId)
            {
                return fact;
            }
        }

        return null;
    }

    /// <summary>What a match did, in words, for <c>end_user_matches</c>.</summary>
    /// <param name="match">One of <see cref="Matches"/>.</param>
    /// <param name="isGround">Whether the determination has an end-user ground (the item and destination are in catch-all scope).</param>
    public string Effect(EndUserMatch match, bool isGround)
    {
        ArgumentNullException.ThrowIfNull(match);
        if (ScreenedFactOf(match) is { } screened)
        {
            return screened.Effect;
        }

        if (match.ListId != EndUserList)
        {
            return WeakerThanScreened(match) ?? OtherListWarning;
        }

        var listed = isGround ? "end-user ground"
            : "on the end-user list; not a ground for this item and destination (a licence, if required, is required on the grounds given)";
        var strong = ListEntry is { } best && best.Score >= EndUserScreening.StrongMatch;
        return strong ? listed
            : Decision switch
            {
                EndUserDecision.Confirmed => "possible match confirmed by end_user_decision: " + listed,
                EndUserDecision.Cleared => "possible match cleared by end_user_decision: not the listed entry",
                _ => "possible match: review required (state end_user_decision confirmed or cleared)",
            };
    }
}

/// <summary>
/// The screening of the other parties to the transaction (the consignee, the purchaser, the intermediate consignees): the
/// same lists and thresholds as the end user. A match answers the facts the regime declares screened for that party
/// (<see cref="FactDefinition.ScreenedParties"/>: the EAR's lists, which apply to every party to the transaction, 15 CFR
/// 748.5(c)-(f)); every other match is a warning that never decides the verdict (an end-user list is about the end user),
/// and one on the jurisdiction's end-user list asks for a review of who the end user is.
/// </summary>
public static class ConsigneeScreening
{
    /// <summary>What a match of a party other than the end user is, in words, for <c>consignee_matches</c>, <c>purchaser_matches</c>, <c>intermediate_consignee_matches</c>.</summary>
    /// <param name="screening">The party's screening.</param>
    /// <param name="match">One of its matches.</param>
    /// <param name="party">The party: the consignee unless said.</param>
    public static string Effect(EndUserResult screening, EndUserMatch match, ScreenedParty party = ScreenedParty.Consignee)
    {
        ArgumentNullException.ThrowIfNull(screening);
        ArgumentNullException.ThrowIfNull(match);
        var role = Role(party);
        if (screening.ScreenedFactOf(match) is { } screened)
        {
            return $"a party to the transaction ({role}): {screened.Effect}";
        }

        return screening.WeakerThanScreened(match) ?? (match.ListId == screening.EndUserList
            ? $"warning: the {role} is on the end-user list; if it is also the user of the goods, give it as end_user (review required)"
            : EndUserResult.OtherListWarning);
    }

    /// <summary>The party in words: "consignee", "purchaser", "intermediate consignee", "end user".</summary>
    /// <param name="party">The party.</param>
    public static string Role(ScreenedParty party) => party switch
    {
        ScreenedParty.Consignee => "consignee",
        ScreenedParty.Purchaser => "purchaser",
        ScreenedParty.IntermediateConsignee => "intermediate consignee",
        _ => "end user",
    };

    /// <summary>The field whose decision confirms or clears the party's possible match, or null for a party without one (its fact is given once reviewed).</summary>
    /// <param name="party">The party.</param>
    public static string? DecisionField(ScreenedParty party) => party switch
    {
        ScreenedParty.EndUser => "end_user_decision",
        ScreenedParty.Consignee => "consignee_decision",
        _ => null,
    };
}

/// <summary>What the parties' screening found, in the words added to a result's explanation.</summary>
public static class PartyHits
{
    /// <summary>Whether a result has any restricted-party match to report.</summary>
    /// <param name="endUser">The end user's screening.</param>
    /// <param name="consignee">The consignee's screening.</param>
    /// <param name="parties">The purchaser's and intermediate consignees' screening, or null.</param>
    public static bool Any(EndUserResult endUser, EndUserResult? consignee, IReadOnlyList<TransactionParty>? parties = null) =>
        endUser.Matches.Count > 0 || consignee?.Matches.Count > 0 || (parties is not null && parties.Any(p => p.Screening.Matches.Count > 0));

    /// <summary>
    /// The sentences naming every match: <c>End user 'X' matches csl-dpl 855 NAME (score 1.00): warning: ...</c>; empty
    /// when there is none.
    /// </summary>
    /// <param name="endUserName">The end user's name as given.</param>
    /// <param name="endUser">The end user's screening.</param>
    /// <param name="consigneeName">The consignee's name as given.</param>
    /// <param name="consignee">The consignee's screening.</param>
    /// <param name="isGround">Whether the determination has an end-user ground.</param>
    /// <param name="parties">The purchaser's and intermediate consignees' screening, or null.</param>
    public static string Sentences(string? endUserName, EndUserResult endUser, string? consigneeName, EndUserResult? consignee, bool isGround, IReadOnlyList<TransactionParty>? parties = null)
    {
        ArgumentNullException.ThrowIfNull(endUser);
        var text = new System.Text.StringBuilder();
        if (endUser.Matches.Count > 0)
        {
            text.Append(System.Globalization.CultureInfo.InvariantCulture, $"End user '{endUserName}' matches ")
                .AppendJoin("; ", endUser.Matches.Select(m => $"{Describe(m)}: {endUser.Effect(m, isGround)}")).Append('.');
        }

        if (consignee?.Matches.Count > 0)
        {
            Party(text, ScreenedParty.Consignee, consigneeName, consignee);
        }

        foreach (var party in parties ?? [])
        {
            if (party.Screening.Matches.Count > 0)
            {
                Party(text, party.Party, party.Name, party.Screening);
            }
        }

        return text.ToString();
    }

    private static void Party(System.Text.StringBuilder text, ScreenedParty party, string? name, EndUserResult screening)
    {
        var role = ConsigneeScreening.Role(party);
        text.Append(text.Length > 0 ? " " : "").Append(char.ToUpperInvariant(role[0])).Append(role.AsSpan(1))
            .Append(System.Globalization.CultureInfo.InvariantCulture, $" '{name}' matches ")
            .AppendJoin("; ", screening.Matches.Select(m => $"{Describe(m)}: {ConsigneeScreening.Effect(screening, m, party)}")).Append('.');
    }

    /// <summary>A match as one phrase: list, entry id, name and score, and the party's other listings ("also csl-dpl 855").</summary>
    /// <param name="match">The match.</param>
    public static string Describe(EndUserMatch match) =>
        string.Create(System.Globalization.CultureInfo.InvariantCulture, $"{match?.ListId} {match!.EntityId} {match.Name} (score {match.Score:0.00}")
        + (match.Listings.Count > 1 ? "; also " + string.Join(", ", match.Listings.Skip(1).Select(l => $"{l.ListId} {l.EntityId}")) : "") + ")";
}

/// <summary>
/// Screens end users against the restricted-party lists loaded in the store. The end user is screened against the
/// jurisdiction's end-user list itself, and that alone decides the status: a strong match is listed, a weaker one
/// above the reporting threshold is a possible match for a person to review (a decision given with the shipment
/// confirms or clears it). Matches on other lists are reported as warnings and never decide. The index is opened on
/// the first end user (checks without end users never touch the database); results are cached per name and
/// destination, as a batch repeats its customers. Without the jurisdiction's end-user list loaded, the status is "not
/// screened" and the determination names the missing list instead of passing silently.
/// </summary>
public sealed class EndUserScreening(Lazy<ScreeningIndex?> index)
{
    /// <summary>
    /// The score from which a match on the end-user list is taken as the listed entry without review. Measured with
    /// every list in ../shared/lists loaded (EndUserScreeningTests): METI End User List entries screened by their names
    /// and aliases score 1.0 ("Beihang University", "Harbin Engineering University"), a respelling such as "Beijing
    /// Aeronautics University" 0.97, while a different organisation carrying an entry's name ("Harbin Institute of
    /// Technology Weihai", "Beihang University Hospital") scores 0.81 to 0.86. 0.95 keeps names and respellings listed
    /// and sends the near names to a person, as a compliance team would. A shortened name can still score above it
    /// ("Harbin University" 0.97 against Harbin Engineering University): the match is named in the ground for review.
    /// </summary>
    public const double StrongMatch = 0.95;

    private const int MatchesPerList = 5;
    private readonly ConcurrentDictionary<(string Name, string Country, string? List), IReadOnlyList<EndUserMatch>> _cache = new();

    /// <summary>No lists loaded: every given end user is "not screened".</summary>
    public static EndUserScreening None { get; } = new(new Lazy<ScreeningIndex?>((ScreeningIndex?)null));

    /// <summary>
    /// Starts opening the lists' index on a thread-pool thread, for a caller that will screen soon and has other work
    /// first (a recheck reading its book): the first screening then waits for it instead of opening it itself. A failure
    /// is met there, as it would have been.
    /// </summary>
    public void OpenInBackground()
    {
        if (!index.IsValueCreated)
        {
            _ = Task.Run(() => index.Value);
        }
    }

    /// <summary>The list versions end users are screened against: empty until the first end user opens the lists, or when none are loaded.</summary>
    public IReadOnlyList<ScreenedList> ScreenedAgainst => index.IsValueCreated && index.Value is { } lists ? lists.ScreenedAgainst : [];

    /// <summary>Screens <paramref name="endUser"/> for an export under <paramref name="jurisdiction"/> to <paramref name="destination"/>.</summary>
    /// <param name="jurisdiction">The regime: its end-user list, and the facts it declares screened by a list.</param>
    /// <param name="endUser">The end user's name, or null when not given.</param>
    /// <param name="destination">The destination (matches in the same country score higher).</param>
    /// <param name="decision">The decision given with the shipment on a possible match.</param>
    /// <param name="date">The export date: a dated listing (the Entity List) counts only from its rule's effective date.</param>
    /// <param name="party">The party screened: the facts it answers are those the regime declares screened for it.</param>
    public EndUserResult Screen(Jurisdiction jurisdiction, string? endUser, CountryCode destination, EndUserDecision? decision = null, LocalDate? date = null, ScreenedParty party = ScreenedParty.EndUser)
    {
        ArgumentNullException.ThrowIfNull(jurisdiction);
        if (endUser is null)
        {
            return EndUserResult.NotGiven;
        }

        var list = jurisdiction.EndUserList;
        if (index.Value is not { } lists)
        {
            return new EndUserResult(EndUserStatus.NotScreened, [], list, decision);
        }

        // A book names the same parties on many lines: the whole result is kept per party, destination, list and decision,
        // so a repeated party costs one lookup and no allocation.
        var result = _results.GetOrAdd((list, endUser, destination, decision), static (key, state) => state.Screening.Result(state.Lists, key.List, key.Name, key.Destination, key.Decision),
            (Screening: this, Lists: lists));
        if (date is not { } day || !DeclaresScreenedFact(jurisdiction, party))
        {
            return result;
        }

        // Dated listings make the answer depend on the export date as well; a book's dates are few beside its lines.
        return _dated.Count < MaxDatedResults
            ? _dated.GetOrAdd((jurisdiction, result, endUser, destination, day, party), static (key, state) => state.Screening.WithScreenedFacts(state.Lists, key.Jurisdiction, key.Result, key.Name, key.Destination, key.Day, key.Party), (Screening: this, Lists: lists))
            : WithScreenedFacts(lists, jurisdiction, result, endUser, destination, day, party);
    }

    private const int MaxDatedResults = 100_000;

    /// <summary>Whether the regime declares a fact screened for <paramref name="party"/>: a loop, as a lambda capturing the party was an allocation each screening of each line.</summary>
    private static bool DeclaresScreenedFact(Jurisdiction jurisdiction, ScreenedParty party)
    {
        var facts = jurisdiction.DeclaredFacts;
        for (var i = 0; i < facts.Count; i++)
        {
            if (facts[i].IsScreenedFor(party))
                return true;
        }

        return false;
    }

    private readonly ConcurrentDictionary<(Jurisdiction Jurisdiction, EndUserResult Result, string Name, CountryCode Destination, LocalDate Day, ScreenedParty Party), EndUserResult> _dated = new();

    /// <summary>
    /// The facts the regime declares screened by a list, answered from the matches on each list on <paramref name="day"/>:
    /// a strong match (or a possible one the decision confirmed) whose listing applied that day makes the fact true; no
    /// match, a listing not yet in force, or a possible match the decision cleared makes it false; a possible match
    /// without a decision, a listing whose day the content cannot date, an entry whose licence requirement is
    /// conditional, or a list not loaded leave it to the shipment (undecided when the shipment does not give it).
    /// </summary>
    private EndUserResult WithScreenedFacts(ScreeningIndex lists, Jurisdiction jurisdiction, EndUserResult result, string endUser, CountryCode destination, LocalDate day, ScreenedParty party)
    {
        var facts = new List<ScreenedFact>();
        var matches = result.Matches.ToList();
        foreach (var fact in jurisdiction.DeclaredFacts)
        {
            if (fact.ScreenedBy is not { } list || !fact.IsScreenedFor(party))
            {
                continue;
            }

            if (!lists.ListIds.Contains(list))
            {
                facts.Add(new ScreenedFact(fact.Id, null, null, $"{fact.Id}: the {list} list is not loaded (clearance lists import)"));
                continue;
            }

            var found = Matches(lists, endUser, destination, list);
            if (found.Count == 0)
            {
                facts.Add(new ScreenedFact(fact.Id, "false", null, ""));
                continue;
            }

            foreach (var match in found.Where(m => !matches.Any(o => o.ListId == m.ListId && o.EntityId == m.EntityId)))
            {
                matches.Add(match);
            }

            facts.Add(Answer(fact.Id, found[0], result.Decision, jurisdiction.ListingRules, day, party));
        }

        return result with { Matches = matches, ScreenedFacts = facts };
    }

    /// <summary>What the best match on a screened list answers for its fact on <paramref name="day"/>, and why.</summary>
    internal static ScreenedFact Answer(string fact, EndUserMatch best, EndUserDecision? decision, IReadOnlyList<ListingRule> rules, LocalDate day, ScreenedParty party = ScreenedParty.EndUser)
    {
        var strong = best.Score >= StrongMatch;
        // end_user_decision decides the end user's match, consignee_decision the consignee's; the purchaser's and an
        // intermediate consignee's are reviewed and the fact given (they have no decision field).
        var decisionField = ConsigneeScreening.DecisionField(party);
        if (!strong && decision == EndUserDecision.Cleared)
        {
            return new ScreenedFact(fact, "false", best, $"{fact}: possible match cleared by {decisionField}: not the listed entry");
        }

        if (!strong && decision != EndUserDecision.Confirmed)
        {
            return new ScreenedFact(fact, null, best, decisionField is not null
                ? $"{fact}: possible match: review required (state {decisionField} confirmed or cleared, or give {fact})"
                : $"{fact}: possible match: review required (give {fact} once reviewed)");
        }

        var identity = strong ? "" : $"possible match confirmed by {decisionField}; ";
        if (best.Entry is not { } entry)
        {
            return new ScreenedFact(fact, "true", best, $"{fact}: {identity}listed");
        }

        var (inForce, reason) = ListingDates.On(entry, rules, day);
        var columns = entry.Listing is { } listing
            ? string.Concat(
                listing.LicenseRequirement.Length > 0 ? $"; licence requirement: {listing.LicenseRequirement}" : "",
                listing.LicensePolicy.Length > 0 ? $"; review policy: {listing.LicensePolicy}" : "",
                listing.FederalRegisterNotices.Count > 0 ? $"; Federal Register: {string.Join(", ", listing.FederalRegisterNotices)}" : "")
            : "";
        return inForce switch
        {
            ListingInForce.No => new ScreenedFact(fact, "false", best, $"{fact}: {identity}{reason}: not a ground on this date{columns}"),
            ListingInForce.Unknown => new ScreenedFact(fact, null, best, $"{fact}: {identity}{reason}: give {fact} for the export date{columns}"),
            _ when entry.Listing is { } conditional && ListingDates.IsConditional(conditional.LicenseRequirement) =>
                new ScreenedFact(fact, null, best, $"{fact}: {identity}{reason}; the entry's licence requirement is conditional (it names items, end uses or an exception the line does not state): give {fact} for this item and use{columns}"),
            _ => new ScreenedFact(fact, "true", best, $"{fact}: {identity}{reason}{columns}"),
        };
    }

    private readonly ConcurrentDictionary<(string? List, string Name, CountryCode Destination, EndUserDecision? Decision), EndUserResult> _results = new();

    private EndUserResult Result(ScreeningIndex lists, string? list, string endUser, CountryCode destination, EndUserDecision? decision)
    {
        var onList = list is not null && lists.ListIds.Contains(list) ? Matches(lists, endUser, destination, list) : [];
        // A party on the end-user list and on others is the on-list match already: it is not a warning as well. When the
        // end-user list is the only list loaded, every list's matches are its own: that second screening finds nothing else.
        IEnumerable<EndUserMatch> others = list is not null && lists.ListIds is [var only] && only == list
            ? []
            : Matches(lists, endUser, destination, null).Where(m => !m.Listings.Any(l => l.ListId == list));
        var status = list is null || !lists.ListIds.Contains(list) ? EndUserStatus.NotScreened
            : onList.Count == 0 ? EndUserStatus.Clear
            : onList[0].Score >= StrongMatch ? EndUserStatus.Listed
            : decision switch
            {
                EndUserDecision.Confirmed => EndUserStatus.Listed,
                EndUserDecision.Cleared => EndUserStatus.Clear,
                _ => EndUserStatus.PossibleMatch,
            };
        return new EndUserResult(status, [.. onList, .. others], list, decision) { ScreenedAgainst = lists.ScreenedAgainst };
    }

    private IReadOnlyList<EndUserMatch> Matches(ScreeningIndex lists, string name, CountryCode destination, string? list) =>
        _cache.GetOrAdd((name, destination.Value, list), key =>
            [.. lists.Screen(new ScreeningQuery(key.Name, key.Country, Limit: MatchesPerList, Lists: key.List is null ? null : new HashSet<string> { key.List }))
                .Select(m => new EndUserMatch(m.ListId, m.EntityId, m.PrimaryName, m.MatchedName, m.Score)
                {
                    Listings = [.. m.Listings.Select(l => new Clearance.Store.EntityRef(l.ListId, l.EntityId))],
                    Entry = m.Entity,
                })]);
}
