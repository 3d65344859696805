using System.Text.Json.Nodes;
using NodaTime;

namespace Clearance.Store.Tests;

// A recheck decides a changed line in memory first; a decision that asked nothing of the licences is kept by evaluation
// and given to every later line stored as the first was (the copies of a line in a book), each under its own id.
public sealed class RecheckDecisionsTests
{
    private const string Before = """[{"code":"screening-match","party":"end_user","name":"ACME","list":"ofac-sdn","entity":"1","entry_name":"ACME","score":0.9}]""";
    private const string After = """[{"code":"screening-match","party":"end_user","name":"ACME","list":"ofac-sdn","entity":"2","entry_name":"ACME CO","score":1}]""";

    private static OpenShipment Line(string id, string reasons = Before, string status = ShipmentStatus.Held) =>
        new(id, status, null, reasons, null, "ACME", "ACME", "AE", null, true, Instant.FromUnixTimeSeconds(0), null);

    private static RecheckedLine Evaluation(string? determination = "{\"verdict\":\"no-license-required\"}") =>
        new([JsonNode.Parse(After)!.AsArray()[0]!.AsObject()], false, null, null, determination, "sha256:1");

    /// <summary>Decisions holding <paramref name="first"/>'s: its reasons changed to <see cref="After"/> under <paramref name="evaluation"/>.</summary>
    private static RecheckDecisions Holding(OpenShipment first, RecheckedLine evaluation)
    {
        var decisions = new RecheckDecisions();
        decisions.Add(new PlannedDecision(first, evaluation, new RecheckChange(first.Id, first.Status, null, first.Reasons, ShipmentStatus.Held, null, After)));
        return decisions;
    }

    [Fact]
    public void Find_CopyStoredAsTheLineDecided_ItsDecisionUnderItsOwnId()
    {
        var (first, evaluation) = (Line("SO-1"), Evaluation());
        var decisions = Holding(first, evaluation);

        var copy = Line("SO-1-a", reasons: string.Concat(Before.AsSpan(0, 1), Before.AsSpan(1))); // equal text, another string
        var found = decisions.Find(copy, evaluation);

        Assert.NotNull(found);
        Assert.Equal(new RecheckChange("SO-1-a", ShipmentStatus.Held, null, Before, ShipmentStatus.Held, null, After), found.For(copy));
        Assert.True(found.For(copy).Changed);
    }

    [Fact]
    public void Find_OtherStateOrAnotherEvaluation_None()
    {
        var (first, evaluation) = (Line("SO-1"), Evaluation());
        var decisions = Holding(first, evaluation);

        Assert.Null(decisions.Find(Line("SO-2", reasons: "[]"), evaluation));
        Assert.Null(decisions.Find(Line("SO-3", status: ShipmentStatus.Released), evaluation));
        Assert.Null(decisions.Find(first with { License = "L-1" }, evaluation));
        Assert.Null(decisions.Find(first with { Demand = "{}" }, evaluation));
        Assert.Null(decisions.Find(first, Evaluation())); // an equal evaluation of another request is not the same check
    }

    [Fact]
    public void Add_LineNotCheckedAgain_NotKept()
    {
        // A line not checked again gets an evaluation of its own (its stored reasons applied again): no other line shares it.
        var (first, evaluation) = (Line("SO-1"), Evaluation(determination: null));
        var decisions = Holding(first, evaluation);

        Assert.Null(decisions.Find(first, evaluation));
    }
}
