using System.Text.Json.Nodes;
using Clearance.Store;
using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>
/// Analysts' decisions on a hit for a party listed under several entries (one hit per listed party, issue 14): the
/// decision was taken on one entry, the hit names them all, and the decision governs the hit whichever entry it names.
/// </summary>
public sealed class ScreeningReasonsTests
{
    private static readonly EntityRef[] MahanAir = [new("ofac-sdn", "12927"), new("csl-sdn", "8254")];

    private static DecisionState Decided(string list, string entity, string decision, string hashThen, string? hashNow) =>
        new(new ScreeningDecision(1, "Mahan Airlines", ShipmentWorkflow.Normalize("Mahan Airlines"), list, entity, list, 1, hashThen,
            "MAHAN AIR", decision, "checked", "analyst", Instant.FromUtc(2026, 11, 30, 9, 0)), hashNow);

    private static JsonObject Hit(params DecisionState[] decisions) =>
        ScreeningReasons.Match("end_user", "Mahan Airlines", "ofac-sdn", "12927", "MAHAN AIR", 0.97, new ScreeningDecisionSet(decisions), MahanAir);

    [Fact]
    public void Match_FalsePositiveOnTheCopyEntry_ClearsTheHitNamedByTheGravestListing()
    {
        var reason = Hit(Decided("csl-sdn", "8254", ScreeningDecisionKind.FalsePositive, "h1", "h1"));

        Assert.Equal("screening-cleared", reason["code"]!.GetValue<string>());
        Assert.Equal("analyst", reason["decided_by"]!.GetValue<string>());
    }

    [Fact]
    public void Match_FalsePositiveOnTheCopyWhoseEntryChanged_AlertReturnsNamingTheLapsedDecision()
    {
        var reason = Hit(
            Decided("ofac-sdn", "12927", ScreeningDecisionKind.FalsePositive, "h1", "h1"),
            Decided("csl-sdn", "8254", ScreeningDecisionKind.FalsePositive, "h2", "h3"));

        Assert.Equal("screening-match", reason["code"]!.GetValue<string>());
        Assert.Equal(ScreeningDecisionKind.FalsePositive, reason["lapsed_decision"]!["decision"]!.GetValue<string>());
    }

    [Fact]
    public void Match_TrueMatchOnTheCopyAndFalsePositiveOnTheFirst_HeldAsATrueMatch()
    {
        var reason = Hit(
            Decided("ofac-sdn", "12927", ScreeningDecisionKind.FalsePositive, "h1", "h1"),
            Decided("csl-sdn", "8254", ScreeningDecisionKind.TrueMatch, "h2", "h2"));

        Assert.Equal("screening-match", reason["code"]!.GetValue<string>());
        Assert.Equal(ScreeningDecisionKind.TrueMatch, reason["decision"]!.GetValue<string>());
    }

    [Fact]
    public void Match_DecisionOnAnotherPartysEntry_HitStaysAnAlert()
    {
        var reason = Hit(Decided("ofac-sdn", "99999", ScreeningDecisionKind.FalsePositive, "h1", "h1"));

        Assert.Equal("screening-match", reason["code"]!.GetValue<string>());
        Assert.Null(reason["decided_by"]);
    }
}
