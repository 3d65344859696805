using System.Text;
using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening.Matching;

namespace Clearance.Application.Tests;

/// <summary>
/// Nothing unsafe passes silently: every restricted-party match of the end user or consignee, on any list, is in the
/// result's JSON and its explanation, with the real lists of ../shared/lists loaded (the examples).
/// </summary>
public sealed class PartyHitsTests(AllListsFixture lists) : IClassFixture<AllListsFixture>
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    private JsonElement Check(string json)
    {
        var service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index)));
        var output = new MemoryStream();
        var summary = CheckBatch.Run(service, new ResultJson(false), JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(json))), output);
        Assert.Equal(0, summary.Errors);
        return JsonDocument.Parse(output.ToArray()).RootElement;
    }

    [Fact]
    public void Check_EndUserOnDeniedPersonsList_WarningInMatchesAndExplanation()
    {
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Mahan Air General Trading LLC"}""");

        Assert.Equal("no-license-required", r.GetProperty("verdict").GetString());
        // The Denied Persons List and the CSL's copy of it: one party, the BIS list first, the copy among its listings.
        var match = Assert.Single(r.GetProperty("end_user_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "bis-dpl");
        Assert.Equal(EndUserResult.OtherListWarning, match.GetProperty("effect").GetString());
        Assert.Contains(match.GetProperty("listings").EnumerateArray(), l => (l.GetProperty("list").GetString(), l.GetProperty("entity_id").GetString()) == ("csl-dpl", "855"));
        var explanation = r.GetProperty("explanation").GetString();
        Assert.Contains("End user 'Mahan Air General Trading LLC' matches", explanation, StringComparison.Ordinal);
        Assert.Contains("MAHAN AIR GENERAL TRADING LLC (score 1.00; also csl-dpl 855)", explanation, StringComparison.Ordinal);
        Assert.Contains("MAHAN AIR GENERAL TRADING LLC", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EndUserOnEntityList_NamedInExplanation()
    {
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Huawei Technologies Co., Ltd."}""");

        Assert.Contains(r.GetProperty("end_user_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "csl-el");
        Assert.Contains("csl-el", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_KoreaToChinaBeihang_EveryListNamedEvenWithoutKoreanEndUserList()
    {
        var r = Check("""{"date":"2024-01-01","from":"KR","to":"CN","item":"KR:NS","end_use":"civil","end_user":"Beihang University"}""");

        var listsMatched = r.GetProperty("end_user_matches").EnumerateArray().Select(m => m.GetProperty("list").GetString()).ToList();
        Assert.Contains("meti-eul", listsMatched);
        Assert.Contains("csl-el", listsMatched);
        var explanation = r.GetProperty("explanation").GetString();
        Assert.Contains("meti-eul 501", explanation, StringComparison.Ordinal);
        Assert.Contains("csl-el", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConsigneeOnDeniedPersonsList_ConsigneeMatchesAndExplanationVerdictUnchanged()
    {
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Example Trading","consignee":"Mahan Air General Trading LLC"}""");

        Assert.Equal("no-license-required", r.GetProperty("verdict").GetString());
        var match = Assert.Single(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("listings").EnumerateArray().Any(l => l.GetProperty("list").GetString() == "csl-dpl"));
        Assert.Equal("bis-dpl", match.GetProperty("list").GetString());
        Assert.StartsWith("warning:", match.GetProperty("effect").GetString(), StringComparison.Ordinal);
        Assert.Contains("Consignee 'Mahan Air General Trading LLC' matches", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.Contains("also csl-dpl 855", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConsigneeOnTheEndUserList_WarningAsksForReviewNeverAGround()
    {
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","consignee":"Beihang University"}""");

        Assert.Empty(r.GetProperty("grounds").EnumerateArray());
        var match = Assert.Single(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "meti-eul");
        Assert.Contains("consignee is on the end-user list", match.GetProperty("effect").GetString(), StringComparison.Ordinal);
        Assert.Contains("review required", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UsExportConsigneeDeniedPerson_IsProhibitedNamingTheConsignee()
    {
        // General Prohibition Four (736.2(b)(4)): a denied person anywhere in the transaction; the consignee answers
        // us_denied_person under the EAR (screened_parties), where under Japan's rules above it is a warning.
        var r = Check("""{"date":"2024-01-01","from":"US","to":"AE","item":"US:EAR99","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","consignee":"Mahan Air General Trading LLC"}""");

        Assert.Equal("prohibited", r.GetProperty("verdict").GetString());
        Assert.Contains(r.GetProperty("grounds").EnumerateArray(), g => g.GetProperty("rule").GetString() == "us.dpl.denied-person");
        var match = Assert.Single(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "csl-dpl");
        Assert.StartsWith("a party to the transaction (consignee): us_denied_person: ", match.GetProperty("effect").GetString(), StringComparison.Ordinal);
        var explanation = r.GetProperty("explanation").GetString();
        Assert.Contains("Consignee 'Mahan Air General Trading LLC' matches ", explanation, StringComparison.Ordinal);
        Assert.Contains("csl-dpl 855 MAHAN AIR GENERAL TRADING LLC (score 1.00): a party to the transaction (consignee): us_denied_person", explanation, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ReexportFromJapanConsigneeOnTheEntityList_EarRequiresALicenceJapanWarns()
    {
        // A JP:16 item that is also US:EAR99, re-exported from Japan to China with Huawei as consignee: 744.11 reaches the
        // consignee (a party to the transaction), Japan's catch-all concerns the end user alone.
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"CN","item":["JP:16","US:EAR99"],"end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","consignee":"Huawei Technologies Co., Ltd."}""");

        var regimes = r.GetProperty("regimes").EnumerateArray().ToList();
        var jp = Assert.Single(regimes, g => g.GetProperty("jurisdiction").GetString() == "JP");
        var us = Assert.Single(regimes, g => g.GetProperty("jurisdiction").GetString() == "US");
        Assert.Equal("no-license-required", jp.GetProperty("verdict").GetString());
        Assert.DoesNotContain(jp.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction", StringComparison.Ordinal));
        Assert.Equal("license-required", us.GetProperty("verdict").GetString());
        Assert.Contains(us.GetProperty("grounds").EnumerateArray(), g => g.GetProperty("rule").GetString() == "us.entity-list");
        Assert.Contains(us.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction (consignee): us_entity_list: listed from 2019-05-16", StringComparison.Ordinal));
        Assert.Equal("license-required", r.GetProperty("verdict").GetString());
    }

    [Theory]
    [InlineData("2020-12-22", "no-license-required", null)] // the MEU List did not exist (85 FR 83793, effective 23 Dec 2020)
    [InlineData("2020-12-23", "license-required", "us.meu-list")]
    public void Check_UsExportConsigneeOnTheMeuList_AParty744_21bii(string date, string verdict, string? ground)
    {
        // 744.21(b)(1)(ii), Supplement No. 7: a licence for Supplement No. 2 items when a listed MEU is a party to the
        // transaction (748.5(c)-(f)), from the list's creation; 3A991 is a Supplement No. 2 item.
        var r = Check($$"""{"date":"{{date}}","from":"US","to":"CN","item":"US:3A991","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","consignee":"Academy of Aerospace Solid Propulsion Technology (AASPT)"}""");

        Assert.Equal(verdict, r.GetProperty("verdict").GetString());
        Assert.Equal(ground, r.GetProperty("grounds").EnumerateArray().Select(g => g.GetProperty("rule").GetString()).SingleOrDefault());
        Assert.Contains(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction (consignee): us_military_end_user_list: ", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_UsExportConsigneeOnTheUnverifiedList_AsksForTheUvlStatement()
    {
        // 744.15(b): a party listed on the UVL in a transaction that needs no licence: its UVL statement first. The entry
        // cites no rule, so it counts from the imported list's date (31 Jul 2026).
        var r = Check("""{"date":"2026-08-01","from":"US","to":"AM","item":"US:EAR99","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","consignee":"Atlas Sanatgaran"}""");

        Assert.Equal("indeterminate", r.GetProperty("verdict").GetString());
        Assert.Contains(r.GetProperty("missing_facts").EnumerateArray(), f => f.GetString() == "us_uvl_statement");
        Assert.Contains(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction (consignee): us_unverified_list: on the list of 2026-07-31", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_UsExportIntermediateConsigneeDeniedPerson_IsProhibitedNamingIt()
    {
        // General Prohibition Four (736.2(b)(4)) and 748.5(d): a denied person as intermediate consignee; the fact names
        // every party to the transaction (screened_parties), the match is shown with the intermediate consignee it is of.
        var r = Check("""{"date":"2024-01-01","from":"US","to":"AE","item":"US:EAR99","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","intermediate_consignees":["Another Clean Trading GmbH Bremen","Mahan Air General Trading LLC"]}""");

        Assert.Equal("prohibited", r.GetProperty("verdict").GetString());
        Assert.Contains(r.GetProperty("grounds").EnumerateArray(), g => g.GetProperty("rule").GetString() == "us.dpl.denied-person");
        var match = Assert.Single(r.GetProperty("intermediate_consignee_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "csl-dpl");
        Assert.Equal("Mahan Air General Trading LLC", match.GetProperty("intermediate_consignee").GetString());
        Assert.StartsWith("a party to the transaction (intermediate consignee): us_denied_person: ", match.GetProperty("effect").GetString(), StringComparison.Ordinal);
        Assert.Contains("Intermediate consignee 'Mahan Air General Trading LLC' matches ", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.False(r.TryGetProperty("purchaser_matches", out _));
    }

    [Theory]
    [InlineData("2019-05-15", "no-license-required", "not yet listed on 2019-05-15")] // 84 FR 22961 effective 16 May 2019
    [InlineData("2019-05-16", "license-required", "listed from 2019-05-16")]
    public void Check_UsExportPurchaserOnTheEntityList_APartyFromItsListing(string date, string verdict, string effect)
    {
        // 744.11(a) and 748.5(c): the purchaser is a party to the transaction.
        var r = Check($$"""{"date":"{{date}}","from":"US","to":"CN","item":"US:EAR99","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","purchaser":"Huawei Technologies Co., Ltd."}""");

        Assert.Equal(verdict, r.GetProperty("verdict").GetString());
        Assert.Contains(r.GetProperty("purchaser_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction (purchaser): us_entity_list: " + effect, StringComparison.Ordinal));
        Assert.Contains("Purchaser 'Huawei Technologies Co., Ltd.' matches ", r.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_JapanExportPurchaserOnTheEndUserList_AWarningOnly()
    {
        // Japan's End User List concerns the end user (catch-all): the purchaser's match asks who the end user is.
        var r = Check("""{"date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","purchaser":"Beihang University"}""");

        Assert.Equal("no-license-required", r.GetProperty("verdict").GetString());
        var match = Assert.Single(r.GetProperty("purchaser_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "meti-eul");
        Assert.Contains("the purchaser is on the end-user list", match.GetProperty("effect").GetString(), StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(null, "indeterminate")]
    [InlineData("confirmed", "license-required")]
    [InlineData("cleared", "no-license-required")]
    public void Check_UsExportConsigneePossibleMatch_DecidedByConsigneeDecision(string? decision, string verdict)
    {
        // 744.11(a): Beihang University Hospital scores 0.81 against Beihang University (Entity List): a possible match
        // the exporter reviews; consignee_decision confirms or clears it.
        var given = decision is null ? "" : $$""","consignee_decision":"{{decision}}" """;
        var r = Check($$"""{"date":"2024-01-01","from":"US","to":"CN","item":"US:EAR99","end_use":"civil","end_user":"Kleine Baeckerei Mueller Hamburg","consignee":"Beihang University Hospital"{{given}}}""");

        Assert.Equal(verdict, r.GetProperty("verdict").GetString());
        var effect = Assert.Single(r.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "csl-el").GetProperty("effect").GetString()!;
        Assert.Contains(decision is null ? "state consignee_decision confirmed or cleared" : $"possible match {decision} by consignee_decision", effect, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_NoMatch_ExplanationIsTheDeterminationsOwn()
    {
        var service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index)));
        var line = new ShipmentText(new ShipmentId("x", false), "2024-01-01", "JP", "CN", ["JP:16"], "civil", "Suzhou Tasty Noodle Restaurant",
            Consignee: "Suzhou Tasty Noodle Restaurant").Validate(1);
        var result = service.Check(line).Result!;

        Assert.Empty(result.EndUser.Matches);
        Assert.Empty(result.Consignee!.Matches);
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
        Assert.False(PartyHits.Any(result.EndUser, result.Consignee));
        Assert.Equal("", PartyHits.Sentences("a", result.EndUser, "b", result.Consignee, isGround: false));
    }
}
