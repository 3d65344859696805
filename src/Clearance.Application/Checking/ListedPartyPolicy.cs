using System.Collections.Concurrent;
using System.Runtime.CompilerServices;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The review policy of an end-user ground that states none of its own, taken from the list entry that made it apply:
/// the Entity List's policy is each entry's (Supplement No. 4 to Part 744, the CSL's licence-policy column), and the
/// entry may be any party's to the transaction, as the EAR's list binds every party (744.11(a), 748.5(c)-(f)). The
/// policy goes into the determination's ground, so that every writer (the JSON forms of the CLI and the server) writes
/// what the determination holds instead of screening results of its own.
/// </summary>
/// <remarks>
/// The wire form stays a string. The policy, cleaned of its closing full stop, then:
/// <list type="bullet">
/// <item>when every listed party's entry states the same policy and the end user is among them (the form from before
/// other parties were read, unchanged): <c>Presumption of denial (the Entity List entry's licence review policy,
/// Supplement No. 4 to Part 744)</c>;</item>
/// <item>when one policy comes from other parties only, they are named: <c>Presumption of denial (entry of the
/// consignee; the Entity List entry's licence review policy, Supplement No. 4 to Part 744)</c>;</item>
/// <item>when the entries state different policies, each is followed by the parties whose entries state it, in the
/// parties' order, and none is chosen as the stricter (that is the licensing officer's reading, not ours):
/// <c>Presumption of denial (entry of the end user); Case-by-case basis (entry of the consignee): the Entity List
/// entries' licence review policies, Supplement No. 4 to Part 744</c>.</item>
/// </list>
/// A policy may hold semicolons of its own ("Policy of denial; Case-by-case basis for ..."): the parenthesis naming the
/// parties is what ends each one.
/// </remarks>
public static class ListedPartyPolicy
{
    private const string Source = "Supplement No. 4 to Part 744";

    private const string EndUser = "the end user";

    // The copies of a shared determination carrying entry policies, by the policies' text: lines naming the same listed
    // parties share one copy, as they share the determination (its wire form is kept once). Weakly keyed by the
    // determination, which the core's outcome tables let go.
    private static readonly ConditionalWeakTable<Determination, ConcurrentDictionary<string, Determination>> Copies = [];

    // The copies' grounds, by the determination's grounds and the policies' text: determinations that are equal by
    // value (a traced evaluation makes a new one per line, with the members shared) stay equal once copied, as a
    // determination's equality compares its lists by reference.
    private static readonly ConditionalWeakTable<IReadOnlyList<Ground>, ConcurrentDictionary<string, IReadOnlyList<Ground>>> GroundCopies = [];

    // For each regime, the screened facts (FactDefinition.ScreenedBy) each end-user rule requires true: the facts whose
    // entries a ground of that rule rests on.
    private static readonly ConditionalWeakTable<Jurisdiction, Dictionary<string, string[]>> RequiredScreenedFacts = [];

    /// <summary>
    /// <paramref name="determination"/> with each end-user ground that states no review policy given the policy of the
    /// entries that answered the screened fact its rule requires true; the determination itself when there is none to
    /// give (the usual case: no such ground, or no entry states a policy).
    /// </summary>
    /// <param name="jurisdiction">The regime: its rules and the facts it declares screened.</param>
    /// <param name="determination">The regime's answer.</param>
    /// <param name="endUser">The end user's screening.</param>
    /// <param name="consignee">The consignee's screening, or null.</param>
    /// <param name="parties">The purchaser's and intermediate consignees' screening, or null.</param>
    [MethodImpl(HotPath.Compile)]
    public static Determination Apply(Jurisdiction jurisdiction, Determination determination, EndUserResult endUser, EndUserResult? consignee, IReadOnlyList<TransactionParty>? parties)
    {
        ArgumentNullException.ThrowIfNull(determination);
        var grounds = determination.Grounds;
        var any = false;
        for (var i = 0; i < grounds.Count && !any; i++)
        {
            any = grounds[i].Kind == RequirementKind.EndUser && grounds[i].ReviewPolicy is null;
        }

        if (!any || (endUser.ScreenedFacts.Count == 0 && (consignee is null || consignee.ScreenedFacts.Count == 0) && parties is null))
        {
            return determination;
        }

        var policies = new string?[grounds.Count];
        var found = false;
        for (var i = 0; i < grounds.Count; i++)
        {
            if (grounds[i].Kind == RequirementKind.EndUser && grounds[i].ReviewPolicy is null)
            {
                policies[i] = Of(FactsOf(jurisdiction, grounds[i].Rule), endUser, consignee, parties);
                found |= policies[i] is not null;
            }
        }

        if (!found)
        {
            return determination;
        }

        var key = string.Join('\n', policies.Select(p => p ?? ""));
        return Copies.GetOrCreateValue(determination).GetOrAdd(key, static (key, state) => state.Determination with
        {
            Grounds = GroundCopies.GetOrCreateValue(state.Determination.Grounds).GetOrAdd(key, static (_, state) =>
                [.. state.Determination.Grounds.Select((g, i) => state.Policies[i] is { } policy ? g with { ReviewPolicy = policy } : g)], state),
        }, (Determination: determination, Policies: policies));
    }

    /// <summary>
    /// The review policy the entries that answered one of <paramref name="facts"/> true state, in the wire form (see the
    /// remarks of <see cref="ListedPartyPolicy"/>); null when no such entry states one.
    /// </summary>
    /// <param name="facts">The screened facts the ground's rule requires true, in the order the regime declares them.</param>
    /// <param name="endUser">The end user's screening.</param>
    /// <param name="consignee">The consignee's screening, or null.</param>
    /// <param name="parties">The purchaser's and intermediate consignees' screening, or null.</param>
    internal static string? Of(IReadOnlyList<string> facts, EndUserResult endUser, EndUserResult? consignee, IReadOnlyList<TransactionParty>? parties)
    {
        // The parties in a fixed order, the one the result writes their matches in (end_user_matches,
        // consignee_matches, purchaser_matches, intermediate_consignee_matches, the last as the line lists them): the
        // string reads in the order of the matches it points to, the same line always reads the same way, and the end
        // user, the party the ground named alone before the others were read, keeps its form when it is listed.
        List<(string Policy, List<string> Parties)> stated = [];
        Add(stated, facts, endUser, EndUser);
        if (consignee is not null)
        {
            Add(stated, facts, consignee, "the consignee");
        }

        foreach (var party in parties ?? [])
        {
            Add(stated, facts, party.Screening, party.Party == ScreenedParty.IntermediateConsignee ? $"the intermediate consignee '{party.Name}'" : $"the {ConsigneeScreening.Role(party.Party)}");
        }

        return stated switch
        {
            [] => null,
            [(var policy, var named)] when named.Contains(EndUser) => $"{policy} (the Entity List entry's licence review policy, {Source})",
            [(var policy, var named)] => $"{policy} ({Entries(named)}; the Entity List entry's licence review policy, {Source})",
            _ => string.Join("; ", stated.Select(s => $"{s.Policy} ({Entries(s.Parties)})")) + $": the Entity List entries' licence review policies, {Source}",
        };
    }

    private static string Entries(List<string> parties) =>
        (parties.Count == 1 ? "entry of " : "entries of ") + (parties.Count <= 2 ? string.Join(" and ", parties) : string.Join(", ", parties.Take(parties.Count - 1)) + " and " + parties[^1]);

    /// <summary>Adds the policy of the party's entry that answered the first of <paramref name="facts"/> it answered true, when the entry states one.</summary>
    private static void Add(List<(string Policy, List<string> Parties)> stated, IReadOnlyList<string> facts, EndUserResult screening, string party)
    {
        foreach (var fact in facts)
        {
            foreach (var answered in screening.ScreenedFacts)
            {
                if (answered.Fact != fact || answered.Value != "true")
                {
                    continue;
                }

                if (answered.Match?.Entry?.Listing is not { LicensePolicy.Length: > 0 } listing)
                {
                    // Listed, but the entry states no policy (the CSL's column is empty): nothing to name for this party.
                    return;
                }

                var policy = listing.LicensePolicy.Trim().TrimEnd('.');
                var at = stated.FindIndex(s => s.Policy == policy);
                if (at < 0)
                {
                    stated.Add((policy, [party]));
                }
                else
                {
                    stated[at].Parties.Add(party);
                }

                return;
            }
        }
    }

    /// <summary>The screened facts rule <paramref name="rule"/> requires true, in the order the regime declares them (empty for a rule that requires none).</summary>
    private static string[] FactsOf(Jurisdiction jurisdiction, string rule) =>
        RequiredScreenedFacts.GetValue(jurisdiction, static j =>
        {
            var screened = j.DeclaredFacts.Where(f => f.ScreenedBy is not null).Select(f => f.Id).ToList();
            var byRule = new Dictionary<string, string[]>(StringComparer.Ordinal);
            foreach (var requirement in j.Requirements.Where(r => r.Kind == RequirementKind.EndUser))
            {
                byRule.TryAdd(requirement.Id, [.. screened.Where(fact => requirement.When.Tests.Any(t => t is FlagTest { Expected: true } flag && flag.Fact == fact))]);
            }

            return byRule;
        }).GetValueOrDefault(rule, []);
}
