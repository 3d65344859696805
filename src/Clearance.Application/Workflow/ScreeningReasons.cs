using System.Text.Json.Nodes;
using Clearance.Store;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>
/// The reasons a screening hit gives a shipment line, with the analysts' decisions applied: a false positive on an
/// unchanged entry is <c>screening-cleared</c> (shown, holds nothing); one whose entry changed since is a
/// <c>screening-match</c> again naming the lapsed decision; a true match is a <c>screening-match</c> with
/// <c>"decision": "true-match"</c>, also for an entry that today's screening does not rank.
/// </summary>
public static class ScreeningReasons
{
    /// <summary>
    /// The reason for the party (role <paramref name="party"/>, name <paramref name="name"/>) matching an entry with
    /// <paramref name="score"/>; when the listed party has several entries (<paramref name="listings"/>, gravest first,
    /// the first being <paramref name="list"/> and <paramref name="entity"/>) they are named under <c>listings</c>.
    /// </summary>
    public static JsonObject Match(
        string party, string name, string list, string entity, string entryName, double? score, ScreeningDecisionSet decisions,
        IReadOnlyList<EntityRef>? listings = null)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        var state = decisions.IsEmpty ? null : Governing(decisions, ShipmentWorkflow.Normalize(name), list, entity, listings);
        var cleared = state is { Applies: true, Decision.Decision: ScreeningDecisionKind.FalsePositive };
        var reason = new JsonObject
        {
            ["code"] = cleared ? ShipmentReasons.ScreeningCleared : ShipmentReasons.ScreeningMatch,
            ["party"] = party, ["name"] = name, ["list"] = list, ["entity"] = entity, ["entry_name"] = entryName, ["score"] = score,
        };
        if (listings is { Count: > 1 })
        {
            reason["listings"] = new JsonArray([.. listings.Select(l => (JsonNode)new JsonObject { ["list"] = l.ListId, ["entity"] = l.EntityId })]);
        }

        if (state is not { } s)
        {
            return reason;
        }

        if (cleared)
        {
            Describe(reason, s.Decision);
        }
        else if (s.Decision.Decision == ScreeningDecisionKind.TrueMatch)
        {
            reason["decision"] = ScreeningDecisionKind.TrueMatch;
            Describe(reason, s.Decision);
        }
        else
        {
            // The entry changed since the analyst cleared it: the alert is back, and says what was decided on what.
            var lapsed = new JsonObject { ["decision"] = s.Decision.Decision };
            Describe(lapsed, s.Decision);
            lapsed["list_version"] = s.Decision.VersionNo;
            reason["lapsed_decision"] = lapsed;
        }

        return reason;
    }

    /// <summary>
    /// Adds a <c>screening-match</c> for each true-match decision on the party that screening did not report
    /// (<paramref name="seen"/>: role, list, entry), so that every line of a party confirmed as listed is held.
    /// </summary>
    public static void AddTrueMatches(List<JsonObject> reasons, string party, string? name, HashSet<(string, string, string)> seen, ScreeningDecisionSet decisions)
    {
        ArgumentNullException.ThrowIfNull(reasons);
        ArgumentNullException.ThrowIfNull(seen);
        ArgumentNullException.ThrowIfNull(decisions);
        if (name is null || decisions.IsEmpty)
        {
            return;
        }

        foreach (var state in decisions.TrueMatches(ShipmentWorkflow.Normalize(name)))
        {
            var d = state.Decision;
            if (seen.Add((party, d.EntityList, d.EntityId)))
            {
                reasons.Add(Match(party, name, d.EntityList, d.EntityId, d.EntryName, null, decisions));
            }
        }
    }

    /// <summary>
    /// A stored line's reasons other than its licence's and an officer's, with today's decisions applied to its
    /// screening hits (as submit would give them): the hits screening found are kept with their scores, and the
    /// reasons that only a true-match decision gave are given again from the decisions in force.
    /// </summary>
    /// <param name="stored">The line's stored reasons.</param>
    /// <param name="endUser">The line's end user, if any.</param>
    /// <param name="consignee">The line's consignee, if any.</param>
    /// <param name="decisions">The decisions in force.</param>
    /// <param name="purchaser">The line's purchaser, if any.</param>
    /// <param name="intermediateConsignees">The line's intermediate consignees, if any.</param>
    public static List<JsonObject> Reapply(JsonArray stored, string? endUser, string? consignee, ScreeningDecisionSet decisions, string? purchaser = null, IReadOnlyList<string>? intermediateConsignees = null)
    {
        ArgumentNullException.ThrowIfNull(stored);
        var before = new List<JsonObject>();
        var screening = new List<JsonObject>();
        var after = new List<JsonObject>();
        var seen = new HashSet<(string, string, string)>();
        foreach (var node in stored)
        {
            var r = node!.AsObject();
            switch (ShipmentReasons.Code(r))
            {
                case ShipmentReasons.ScreeningMatch or ShipmentReasons.ScreeningCleared:
                    if (r["score"] is { } score)
                    {
                        var (party, list, entity) = (r["party"]!.GetValue<string>(), r["list"]!.GetValue<string>(), r["entity"]!.GetValue<string>());
                        List<EntityRef> listings = r["listings"] is JsonArray named
                            ? [.. named.Select(l => new EntityRef(l!["list"]!.GetValue<string>(), l["entity"]!.GetValue<string>()))]
                            : [new EntityRef(list, entity)];
                        foreach (var listing in listings)
                        {
                            seen.Add((party, listing.ListId, listing.EntityId));
                        }

                        screening.Add(Match(party, r["name"]!.GetValue<string>(), list, entity, r["entry_name"]?.GetValue<string>() ?? "", score.GetValue<double>(), decisions, listings));
                    }

                    break;
                case "license-required" or "license-balance" or ShipmentReasons.LicenseWithdrawn or ShipmentReasons.OfficerRelease:
                    break; // the store decides these again
                case "embargo" or "prohibited":
                    before.Add((JsonObject)r.DeepClone());
                    break;
                default:
                    after.Add((JsonObject)r.DeepClone());
                    break;
            }
        }

        AddTrueMatches(screening, "end_user", endUser, seen, decisions);
        AddTrueMatches(screening, "consignee", consignee, seen, decisions);
        AddTrueMatches(screening, "purchaser", purchaser, seen, decisions);
        foreach (var name in intermediateConsignees ?? [])
        {
            AddTrueMatches(screening, "intermediate_consignee", name, seen, decisions);
        }

        return [.. before, .. screening, .. after];
    }

    /// <summary>
    /// The decision that governs a hit on a party listed under several entries (one hit per listed party): the analyst
    /// decided on one of them, and the hit names them all. A true match on any listing wins; then a false positive whose
    /// entry changed since (the alert returns, naming it); then a false positive in force on any listing (the party is
    /// not that listed party, whichever of its entries the analyst looked at).
    /// </summary>
    private static DecisionState? Governing(ScreeningDecisionSet decisions, string partyKey, string list, string entity, IReadOnlyList<EntityRef>? listings)
    {
        ArgumentNullException.ThrowIfNull(decisions);
        if (listings is not { Count: > 1 })
        {
            return decisions.For(partyKey, list, entity);
        }

        // The listings start with (list, entity) itself, so the loop reads its decision too.

        DecisionState? trueMatch = null, lapsed = null, cleared = null;
        foreach (var listing in listings)
        {
            if (decisions.For(partyKey, listing.ListId, listing.EntityId) is not { } state)
            {
                continue;
            }

            if (state.Decision.Decision == ScreeningDecisionKind.TrueMatch)
            {
                trueMatch ??= state;
            }
            else if (state.Lapsed)
            {
                lapsed ??= state;
            }
            else
            {
                cleared ??= state;
            }
        }

        return trueMatch ?? lapsed ?? cleared;
    }

    private static void Describe(JsonObject reason, ScreeningDecision d)
    {
        reason["decided_by"] = d.Actor;
        reason["decided_at"] = InstantPattern.ExtendedIso.Format(d.DecidedAt);
        reason["decision_reason"] = d.Reason;
    }
}
