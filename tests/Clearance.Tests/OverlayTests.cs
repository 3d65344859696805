using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Tests;

/// <summary>
/// Issue 12, proposed changes as overlays: an overlay file applied to the built-in content changes what the engine
/// answers from the days it names, flags what it made as a proposal, and is as strict as the content (file:line).
/// </summary>
public sealed class OverlayTests
{
    private const string KoreaLeavesGroupA = """
        overlay:
          jurisdiction: JP
          title: "Korea leaves Group A from 2027-01-01 (hypothetical)"
          known: 2026-11-20
          cite: "proposal under discussion"
        changes:
          - end_membership: {set: table-3, country: KR, on: 2027-01-01}
          - add_membership: {set: group-b, country: KR, from: 2027-01-01}
          - end_rule: {rule: jp.kr-2019-12.resist-specific-bulk, on: 2027-01-01}
          - item: {code: "7(20)", parent: "7", title: "Hypothetical new row for photoresist precursors", cite: "draft amendment of Appended Table 1"}
          - license_scope: {id: jp.proposal.us-resist-no-general-bulk, license: general-bulk, effect: deny, title: "Resist to the United States no longer under general bulk", items: ["7(19)"], destinations: {countries: [US]}, from: 2027-01-01, cite: "draft circular"}
        """;

    private static ContentSet Overlaid(string text = KoreaLeavesGroupA, ContentSet? content = null) =>
        OverlayLoader.Apply(content ?? Engine.Content, "korea.yaml", text);

    private static Determination Check(ContentSet content, string item, string to, string date)
    {
        var evaluator = new Evaluator(content);
        var prefix = item[..item.IndexOf(':', StringComparison.Ordinal)];
        var jurisdiction = evaluator.Jurisdictions[evaluator.IndexOf(prefix)];
        Assert.True(jurisdiction.TryFindItem(item.AsSpan(prefix.Length + 1), out var index), $"unknown item {item}");
        return jurisdiction.Evaluate(new ShipmentFacts(LocalDatePattern.Iso.Parse(date).Value, index, CountryCode.Parse(to), EndUse.Civil, false, EndUserStatus.Clear));
    }

    private static ContentError Fails(string changes)
    {
        var text = KoreaLeavesGroupA[..(KoreaLeavesGroupA.IndexOf("changes:", StringComparison.Ordinal) + "changes:\n".Length)] + changes;
        var e = Assert.Throws<ContentValidationException>(() => Overlaid(text));
        return Assert.Single(e.Errors);
    }

    [Theory]
    [InlineData("2026-12-31", true)]
    [InlineData("2027-01-01", false)]
    [InlineData("2027-02-01", false)]
    public void Apply_KoreaLeavesGroupA_RowSixLosesGeneralBulkFromItsDay(string date, bool generalBulk)
    {
        var content = Overlaid();

        Assert.Equal(generalBulk, Check(content, "JP:6", "KR", date).EligibleLicenses.Contains("general-bulk"));
        Assert.Contains("general-bulk", Check(Engine.Content, "JP:6", "KR", date).EligibleLicenses);
    }

    [Fact]
    public void Apply_VersionNamesBaseAndOverlay()
    {
        var content = Overlaid();

        Assert.Matches($"^{Engine.Content.Version}\\+overlay-sha256:[0-9a-f]{{12}}$", content.Version);
        Assert.Equal(content.Version, Overlaid().Version);
        Assert.NotEqual(content.Version, Overlaid(KoreaLeavesGroupA.Replace("2027-01-01}", "2027-01-02}", StringComparison.Ordinal)).Version);
    }

    [Fact]
    public void Apply_EveryElementMadeOrEnded_FlaggedAsProposalWithOverlayLine()
    {
        var jp = Overlaid().Find("JP")!;
        var ended = jp.Sets.Single(s => s.Id == "table-3").Members.Single(m => m.Country.Value == "KR" && m.Period.To?.Year == 2027);
        var joined = jp.Sets.Single(s => s.Id == "group-b").Members.Single(m => m.Country.Value == "KR" && m.Period.From.Year == 2027);
        var item = jp.Items.Single(i => i.Code == "7(20)");
        var scope = jp.Scope.Single(s => s.Id == "jp.proposal.us-resist-no-general-bulk");

        foreach (var citation in new[] { ended.Citation, joined.Citation, item.Citation, scope.Citation, ended.Period.EndKnown!.Citation })
        {
            Assert.True(citation.Unconfirmed);
            Assert.StartsWith("proposed, not in force", citation.Note, StringComparison.Ordinal);
        }

        Assert.StartsWith("proposal under discussion", ended.Citation.Text, StringComparison.Ordinal);
        Assert.Equal(new SourceRef("korea.yaml", 7), ended.Source);
        Assert.Equal("2026-11-20", LocalDatePattern.Iso.Format(joined.Period.StartKnown!.Date));
    }

    [Theory]
    [InlineData("2026-12-31", true)]
    [InlineData("2027-01-01", false)]
    public void Apply_LicenseScopeDeny_ResistToUnitedStatesLosesGeneralBulk(string date, bool generalBulk)
    {
        Assert.Equal(generalBulk, Check(Overlaid(), "JP:7(19)", "US", date).EligibleLicenses.Contains("general-bulk"));
    }

    [Fact]
    public void Apply_NewControlListRow_IsListControlled()
    {
        var determination = Check(Overlaid(), "JP:7(20)", "CN", "2027-02-01");

        Assert.Equal(Verdict.LicenseRequired, determination.Verdict);
    }

    [Theory]
    [InlineData("2026-11-19", true)]
    [InlineData("2026-11-20", false)]
    public void AsKnownOn_AfterOverlay_ProposalVisibleFromItsKnownDay(string knownOn, bool generalBulk)
    {
        var view = Overlaid().AsKnownOn(LocalDatePattern.Iso.Parse(knownOn).Value);

        Assert.Equal(generalBulk, Check(view, "JP:6", "KR", "2027-02-01").EligibleLicenses.Contains("general-bulk"));
    }

    [Theory]
    [InlineData("  - end_membership: {set: table-9, country: KR, on: 2027-01-01}\n", 7, "'set': 'table-9' is not a country set")]
    [InlineData("  - end_membership: {set: table-3, country: CN, on: 2027-01-01}\n", 7, "CN is not a member of 'table-3'")]
    [InlineData("  - end_membership: {set: table-3, country: KR, on: 2023-07-21}\n", 7, "no membership ends on 2023-07-21")]
    [InlineData("  - end_membership: {set: table-3, country: KR, on: 2027-01-01, colour: red}\n", 7, "unknown field 'colour'")]
    [InlineData("  - end_rule: {rule: jp.no-such-rule, on: 2027-01-01}\n", 7, "'rule': 'jp.no-such-rule' is not a rule of JP")]
    [InlineData("  - end_rule: {rule: jp.kr-2019-07.general-bulk-withdrawn, on: 2027-01-01}\n", 7, "cannot end on 2027-01-01")]
    [InlineData("  - item: {code: \"7(19)\", parent: \"7\", title: Resist, cite: draft}\n", 7, "item '7(19)' is already on JP's control list")]
    [InlineData("  - item: {code: \"7(20)\", parent: \"77\", title: New, cite: draft}\n", 7, "'parent': item '77' is not on JP's control list")]
    [InlineData("  - add_membership: {set: table-3, country: KR, from: 2025-01-01}\n", 7, "overlaps")]
    [InlineData("  - license_scope: {id: jp.general-bulk.scope, license: general-bulk, effect: deny, title: t, items: any, destinations: any, cite: c}\n", 7, "rule 'jp.general-bulk.scope' is already defined")]
    [InlineData("  - license_scope: {id: jp.new, license: general-bulk, effect: deny, title: t, items: [\"99\"], destinations: any, cite: c}\n", 7, "item '99' is not defined")]
    [InlineData("  - leave_group: {country: KR}\n", 7, "unknown change 'leave_group'")]
    public void Apply_BrokenChange_ErrorNamesFileAndLine(string change, int line, string message)
    {
        var error = Fails(change);

        Assert.Equal("korea.yaml", error.File);
        Assert.Equal(line, error.Line);
        Assert.Contains(message, error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Apply_UnknownJurisdictionOrHeaderKey_ErrorNamesLine()
    {
        var jurisdiction = Assert.Throws<ContentValidationException>(() => Overlaid(KoreaLeavesGroupA.Replace("jurisdiction: JP", "jurisdiction: XX", StringComparison.Ordinal)));
        var key = Assert.Throws<ContentValidationException>(() => Overlaid(KoreaLeavesGroupA.Replace("  known:", "  knwon:", StringComparison.Ordinal)));

        Assert.Equal(new ContentError("korea.yaml", 2, jurisdiction.Errors[0].Message), jurisdiction.Errors[0]);
        Assert.Contains("'XX' is not in the content", jurisdiction.Errors[0].Message, StringComparison.Ordinal);
        Assert.Equal("korea.yaml", key.Errors[0].File);
        Assert.Contains("known", key.Errors[0].Message, StringComparison.Ordinal);
    }
}
