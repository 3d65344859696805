namespace Clearance.Evaluation;

/// <summary>Facts whose absence left a rule undecided.</summary>
[Flags]
internal enum MissingFact : byte
{
    None = 0,
    ItemDetail = 1,
    EndUse = 2,
    EndUser = 4,
    EndUserScreening = 8,
    Coverage = 16,
    EndUserReview = 32,
}

/// <summary>
/// What a determination decided, as bit masks over a jurisdiction's rules (index in the model's lists). Both the
/// reference and the compiled evaluator produce it; equal outcomes share one <see cref="Determination"/>.
/// </summary>
internal readonly record struct Outcome(
    Verdict Verdict,
    ulong Grounds,
    ulong Maybe,
    ulong ExcludedByDestination,
    ulong ExcludedByCondition,
    MissingFact Missing,
    ulong Eligible,
    ulong Allowing,
    ulong Conditional,
    ulong Denying,
    ulong DenyMaybe,
    int ReviewRule,
    ulong Groups,
    int UnconfirmedItem);

/// <summary>Three-valued logic shared by the evaluators.</summary>
internal static class Tri
{
    public static Model.Match And(Model.Match a, Model.Match b) =>
        a == Model.Match.No || b == Model.Match.No ? Model.Match.No
        : a == Model.Match.Maybe || b == Model.Match.Maybe ? Model.Match.Maybe
        : Model.Match.Yes;

    /// <summary>Evaluates a rule's fact conditions; <paramref name="needs"/> names the unknown facts.</summary>
    public static Model.Match Condition(Model.FactCondition condition, in ShipmentFacts facts, out MissingFact needs)
    {
        needs = MissingFact.None;
        var result = Model.Match.Yes;
        if (condition.EndUses is { } endUses)
        {
            if (facts.EndUse == Model.EndUse.Unknown)
            {
                result = Model.Match.Maybe;
                needs |= MissingFact.EndUse;
            }
            else if (!Contains(endUses, facts.EndUse))
            {
                return Model.Match.No;
            }
        }

        if (condition.Informed is { } informed && informed != facts.Informed)
        {
            return Model.Match.No;
        }

        if (condition.EndUserListed is { } listed)
        {
            switch (facts.EndUser)
            {
                case EndUserStatus.Listed when !listed:
                case EndUserStatus.Clear when listed:
                    return Model.Match.No;
                case EndUserStatus.NotGiven:
                    result = Model.Match.Maybe;
                    needs |= MissingFact.EndUser;
                    break;
                case EndUserStatus.NotScreened:
                    result = Model.Match.Maybe;
                    needs |= MissingFact.EndUserScreening;
                    break;
                case EndUserStatus.PossibleMatch:
                    result = Model.Match.Maybe;
                    needs |= MissingFact.EndUserReview;
                    break;
            }
        }

        return result;
    }

    private static bool Contains(IReadOnlyList<Model.EndUse> list, Model.EndUse value)
    {
        for (var i = 0; i < list.Count; i++)
        {
            if (list[i] == value)
            {
                return true;
            }
        }

        return false;
    }
}
