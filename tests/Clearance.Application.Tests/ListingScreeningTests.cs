using System.Text;
using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>
/// Facts answered by screening a dated list (the EAR's Entity List, Denied Persons List): the CSL's own entries, each
/// listing counted from the effective date of its Federal Register rule, through a small regime built for the test.
/// </summary>
public sealed class ListingScreeningTests : IClassFixture<AllListsFixture>
{
    // The regime under test: the two rules the EAR hangs on these lists, and one listing rule dated by its source (the
    // Huawei rule of 84 FR 22961, effective 16 May 2019); every other rule is dated by its Federal Register volume.
    private const string Content = """
        jurisdiction: {id: XU, name: Test EAR, law: test, coverage_from: 2019-01-01, exporters: {countries: [US]}, cite: test}
        facts:
          - {id: xu_entity_list, type: boolean, screened_by: csl-el, screened_parties: [end_user, consignee, purchaser, intermediate_consignee], description: a party is on the Entity List, cite: s1}
          - {id: xu_denied_person, type: boolean, screened_by: csl-dpl, description: a party is a denied person, cite: s2}
        listing_rules:
          - {rule: "84 FR 22961", last_page: 22968, published: 2019-05-21, effective: 2019-05-16, title: Huawei and 68 affiliates, cite: "84 FR 22961"}
        items:
          - {code: "EAR99", title: item, cite: list}
        requirements:
          - {id: xu.dpl, kind: embargo, title: denied person, items: any, destinations: any, when: {xu_denied_person: true}, cite: s2}
          - {id: xu.el, kind: end-user, title: Entity List, items: any, destinations: any, when: {xu_entity_list: true}, cite: s1}
        license_types:
          - {id: license, name: Licence, cite: s3}
        license_scope:
          - {id: a, license: license, effect: allow, title: any, items: any, destinations: any, cite: s3}
        """;

    private static readonly Evaluator Evaluator = new(ContentLoader.Load([("xu.yaml", Content)]));

    private readonly CheckService _service;

    public ListingScreeningTests(AllListsFixture lists) =>
        _service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists.Index)));

    private CheckResult Check(string date, string to, string? endUser, params FactText[] facts) => CheckWith(date, to, endUser, null, facts);

    private CheckResult CheckWith(string date, string to, string? endUser, string? consignee, params FactText[] facts) =>
        CheckParties(new ShipmentText(new ShipmentId("t", false), date, "US", to, ["XU:EAR99"], "civil", endUser, Facts: facts, Consignee: consignee));

    private CheckResult CheckParties(ShipmentText text)
    {
        var line = _service.Check(text.Validate(1));
        Assert.True(line.Error is null, line.Error?.Message);
        return line.Result!;
    }

    private static ShipmentText Line(string date, string to, string? endUser) =>
        new(new ShipmentId("t", false), date, "US", to, ["XU:EAR99"], "civil", endUser);

    private static string? Screened(CheckResult result, string fact) =>
        result.EndUser.ScreenedFacts.Single(f => f.Fact == fact).Value;

    [Fact]
    public void Check_HuaweiTheDayBeforeItsListing_IsNotAGround()
    {
        var result = Check("2019-05-15", "CN", "Huawei Technologies Co., Ltd.");

        Assert.Equal("false", Screened(result, "xu_entity_list"));
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
        var effect = result.EndUser.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Effect;
        Assert.Contains("not yet listed on 2019-05-15: listed from 2019-05-16 (84 FR 22963, the rule at 84 FR 22961 effective 2019-05-16)", effect, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HuaweiOnTheRuleEffectiveDate_NeedsALicence_WithTheEntryColumns()
    {
        var result = Check("2019-05-16", "CN", "Huawei Technologies Co., Ltd.");

        Assert.Equal("true", Screened(result, "xu_entity_list"));
        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
        var fact = result.EndUser.ScreenedFacts.Single(f => f.Fact == "xu_entity_list");
        Assert.Equal("csl-el", fact.Match!.ListId);
        Assert.Contains("review policy: Presumption of denial", fact.Effect, StringComparison.Ordinal);
        Assert.Contains("734.9(e)", fact.Effect, StringComparison.Ordinal);
        Assert.Equal(fact.Effect, result.EndUser.Effect(fact.Match, isGround: true));
    }

    /// <summary>The line's result as the CLI writes it (the compact form of <see cref="ResultJson"/>).</summary>
    private JsonElement Written(string date, string to, string endUser)
    {
        var output = new MemoryStream();
        CheckBatch.Run(_service, new ResultJson(false), [Line(date, to, endUser).Validate(1)], output);
        return JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).RootElement;
    }

    [Theory]
    // Supplement No. 4 to Part 744: each entry's licence review policy column, as the CSL prints it.
    [InlineData("Huawei Technologies Co., Ltd.", "2019-05-16", "CN", "Presumption of denial (the Entity List entry's licence review policy, Supplement No. 4 to Part 744)")]
    [InlineData("University of Electronic Science and Technology of China", "2023-06-01", "CN", "Case-by-case basis (the Entity List entry's licence review policy, Supplement No. 4 to Part 744)")]
    public void Write_EntityListGround_TakesTheMatchedEntrysReviewPolicy(string endUser, string date, string to, string policy)
    {
        var result = Written(date, to, endUser);

        Assert.Equal("license-required", result.GetProperty("verdict").GetString());
        var ground = Assert.Single(result.GetProperty("grounds").EnumerateArray());
        Assert.Equal("xu.el", ground.GetProperty("rule").GetString());
        Assert.Equal(policy, ground.GetProperty("review_policy").GetString());
    }

    /// <summary>The grounds' review policies of the line as the CLI writes it (compact) and with --trace, which must agree; null for a ground without one.</summary>
    private IReadOnlyList<string?> WrittenPolicies(ShipmentText text)
    {
        var line = text.Validate(1);
        string?[]? first = null;
        foreach (var trace in new[] { false, true })
        {
            var output = new MemoryStream();
            CheckBatch.Run(_service, new ResultJson(trace), [line], output);
            var result = JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).RootElement;
            Assert.Equal("license-required", result.GetProperty("verdict").GetString());
            var policies = result.GetProperty("grounds").EnumerateArray()
                .Select(g => g.TryGetProperty("review_policy", out var policy) ? policy.GetString() : null).ToArray();
            Assert.Equal(first ?? policies, policies);
            first = policies;
        }

        return first!;
    }

    private const string PolicySource = "Supplement No. 4 to Part 744";

    [Fact]
    public void Write_EntityListGround_ConsigneeListedOnly_NamesTheConsigneesEntry()
    {
        var policies = WrittenPolicies(Line("2019-05-16", "CN", ClearParty) with { Consignee = "Huawei Technologies Co., Ltd." });

        Assert.Equal([$"Presumption of denial (entry of the consignee; the Entity List entry's licence review policy, {PolicySource})"], policies);
    }

    [Fact]
    public void Write_EntityListGround_PurchaserListedOnly_NamesThePurchasersEntry()
    {
        var policies = WrittenPolicies(Line("2023-06-01", "CN", ClearParty) with { Purchaser = "University of Electronic Science and Technology of China" });

        Assert.Equal([$"Case-by-case basis (entry of the purchaser; the Entity List entry's licence review policy, {PolicySource})"], policies);
    }

    [Fact]
    public void Write_EntityListGround_TwoPartiesWithDifferentPolicies_NamesBoth()
    {
        // Neither is chosen as the stricter: each policy with the party whose entry states it, the end user first.
        var policies = WrittenPolicies(Line("2023-06-01", "CN", "University of Electronic Science and Technology of China") with
        {
            Consignee = ClearParty,
            IntermediateConsignees = ["Huawei Technologies Co., Ltd."],
        });

        Assert.Equal([$"Case-by-case basis (entry of the end user); Presumption of denial (entry of the intermediate consignee 'Huawei Technologies Co., Ltd.'): the Entity List entries' licence review policies, {PolicySource}"], policies);
    }

    [Fact]
    public void Write_EntityListGround_ConsigneeAndPurchaserWithOnePolicy_NamesThemOnce()
    {
        var policies = WrittenPolicies(Line("2020-01-01", "CN", ClearParty) with { Consignee = "Huawei Technologies Co., Ltd.", Purchaser = "Huawei Technologies Co., Ltd." });

        Assert.Equal([$"Presumption of denial (entries of the consignee and the purchaser; the Entity List entry's licence review policy, {PolicySource})"], policies);
    }

    [Fact]
    public void Write_EntityListGround_EndUserAndConsigneeWithOnePolicy_TheEndUsersForm()
    {
        // The same policy from the end user's entry and another's: written as when the end user alone is listed.
        var policies = WrittenPolicies(Line("2020-01-01", "CN", "Huawei Technologies Co., Ltd.") with { Consignee = "Huawei Technologies Co., Ltd." });

        Assert.Equal([$"Presumption of denial (the Entity List entry's licence review policy, {PolicySource})"], policies);
    }

    [Fact]
    public void Check_EntityListGround_ThePolicyIsTheDeterminations()
    {
        // The determination carries it (every writer reads it there); the shared answer without parties stays without.
        var listed = CheckParties(Line("2019-05-16", "CN", ClearParty) with { Consignee = "Huawei Technologies Co., Ltd." });
        var given = Check("2019-05-16", "CN", ClearParty, new FactText("xu_entity_list", "true"));

        Assert.StartsWith("Presumption of denial (entry of the consignee; ", Assert.Single(listed.Determination.Grounds).ReviewPolicy, StringComparison.Ordinal);
        Assert.Null(Assert.Single(given.Determination.Grounds).ReviewPolicy);
        Assert.Equal(given.Determination.Explanation, listed.Determination.Explanation);
    }

    [Fact]
    public void Write_EntityListGround_EntryWithoutAPolicyColumn_WritesNoPolicy()
    {
        // An Entity List row whose licence-policy column is empty (the CSL prints every entry's today; a list may not).
        var path = Path.Combine(Path.GetTempPath(), $"csl-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, "_id,source,entity_number,type,programs,name,addresses,federal_register_notice,license_requirement,license_policy,remarks,alt_names,citizenships,dates_of_birth,nationalities,ids\n"
            + "1,Entity List (EL) - Bureau of Industry and Security,,,,Quarzwerk Policyless Trading Co,CN,84 FR 22963,For all items subject to the EAR,,,,,,,\n");
        try
        {
            var lists = ScreeningIndex.Build(ListFiles.ParseAny(CslCsvParser.Format, [path]));
            var service = new CheckService(Evaluator, new EndUserScreening(new Lazy<ScreeningIndex?>(lists)));
            foreach (var text in new[] { Line("2020-01-01", "CN", "Quarzwerk Policyless Trading Co"), Line("2020-01-01", "CN", ClearParty) with { Consignee = "Quarzwerk Policyless Trading Co" } })
            {
                var output = new MemoryStream();
                CheckBatch.Run(service, new ResultJson(false), [text.Validate(1)], output);
                var result = JsonDocument.Parse(Encoding.UTF8.GetString(output.ToArray())).RootElement;
                Assert.Equal("license-required", result.GetProperty("verdict").GetString());
                var ground = Assert.Single(result.GetProperty("grounds").EnumerateArray());
                Assert.Equal("xu.el", ground.GetProperty("rule").GetString());
                Assert.False(ground.TryGetProperty("review_policy", out _));
            }
        }
        finally
        {
            File.Delete(path);
        }
    }

    [Theory]
    [InlineData("2024-11-30", "false", Verdict.NoLicenseRequired)] // a month before the rule's year: not yet listed
    [InlineData("2025-06-01", null, Verdict.Indeterminate)] // in the rule's year, the day not in the content
    [InlineData("2026-02-28", null, Verdict.Indeterminate)] // within two months after that year
    [InlineData("2026-03-01", "true", Verdict.LicenseRequired)]
    public void Check_ListingWhoseRuleIsNotInTheContent_IsDatedByItsVolumeYear(string date, string? screened, Verdict verdict)
    {
        // Added by 90 FR 14032 (a 2025 rule the test content does not date).
        var result = Check(date, "CN", "Aeronautics Computing Technique Research Institute");

        Assert.Equal(screened, Screened(result, "xu_entity_list"));
        Assert.Equal(verdict, result.Determination.Verdict);
        if (screened is null)
        {
            Assert.Contains("xu_entity_list", OutcomeTextOf(result), StringComparison.Ordinal);
        }
    }

    [Fact]
    public void Check_UndatableListingGivenByTheShipment_TheShipmentDecides()
    {
        var given = Check("2025-06-01", "CN", "Aeronautics Computing Technique Research Institute", new FactText("xu_entity_list", "true"));

        Assert.Equal(Verdict.LicenseRequired, given.Determination.Verdict);
    }

    [Fact]
    public void Check_ShipmentSaysNotListed_ButScreeningFindsTheListing_TheListingHolds()
    {
        var result = Check("2020-01-01", "CN", "Huawei Technologies Co., Ltd.", new FactText("xu_entity_list", "false"));

        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
    }

    [Fact]
    public void Check_EntryWithAConditionalLicenceRequirement_LeavesTheFactToTheShipment()
    {
        // "For all items subject to the EAR when used in projects specified in § 746.8(a)(4)": it depends on the project.
        var result = Check("2025-01-01", "RU", "Achim Development, OOO");

        Assert.Null(Screened(result, "xu_entity_list"));
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
        Assert.Contains("conditional", result.EndUser.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Effect, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_DeniedPerson_IsProhibited()
    {
        // On the DPL since 58 FR 42719 (1993): listed on every day the content covers.
        var result = Check("2019-01-01", "JP", "KATSUTA KEISUKE");

        Assert.Equal("true", Screened(result, "xu_denied_person"));
        Assert.Equal(Verdict.Prohibited, result.Determination.Verdict);
    }

    // The consignee is a party to the transaction (744.11(a) through 748.5(c)-(f)): its listing answers a fact screened
    // for it (xu_entity_list), on the listing's own date; the fact screened for the end user alone (xu_denied_person, as
    // an end-user list) leaves the consignee's match a warning.
    private const string ClearParty = "Kleine Baeckerei Mueller Hamburg";

    [Theory]
    [InlineData("2019-05-15", "false", Verdict.NoLicenseRequired)]
    [InlineData("2019-05-16", "true", Verdict.LicenseRequired)]
    public void Check_ConsigneeOnTheEntityList_AnswersTheFactFromItsListingDate(string date, string screened, Verdict verdict)
    {
        var result = CheckWith(date, "CN", ClearParty, "Huawei Technologies Co., Ltd.");

        Assert.Equal("false", Screened(result, "xu_entity_list"));
        var fact = result.Consignee!.ScreenedFacts.Single(f => f.Fact == "xu_entity_list");
        Assert.Equal(screened, fact.Value);
        Assert.Equal(verdict, result.Determination.Verdict);
        var effect = ConsigneeScreening.Effect(result.Consignee, fact.Match!);
        Assert.StartsWith("a party to the transaction (consignee): xu_entity_list: ", effect, StringComparison.Ordinal);
        Assert.Contains("84 FR 22961 effective 2019-05-16", effect, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConsigneeDeniedPerson_FactScreenedForTheEndUserOnly_StaysAWarning()
    {
        var result = CheckWith("2019-01-01", "JP", ClearParty, "KATSUTA KEISUKE");

        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
        Assert.DoesNotContain(result.Consignee!.ScreenedFacts, f => f.Fact == "xu_denied_person");
        var match = Assert.Single(result.Consignee.Matches, m => m.Listings.Any(l => l.ListId == "csl-dpl"));
        Assert.Equal(EndUserResult.OtherListWarning, ConsigneeScreening.Effect(result.Consignee, match));
    }

    [Fact]
    public void Check_ConsigneeListed_NoEndUser_NeedsALicence()
    {
        var result = CheckWith("2020-01-01", "CN", null, "Huawei Technologies Co., Ltd.");

        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
        Assert.Contains(result.Determination.Grounds, g => g.Rule == "xu.el");
    }

    [Fact]
    public void Check_ConsigneeClear_NoEndUser_TheFactStaysMissing()
    {
        var result = CheckWith("2020-01-01", "DE", null, ClearParty);

        Assert.Equal("false", result.Consignee!.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Value);
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
        Assert.Contains("xu_entity_list", OutcomeTextOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EndUserAndConsigneeClear_IsClear()
    {
        var result = CheckWith("2020-01-01", "DE", ClearParty, "Another Clean Trading GmbH Bremen");

        Assert.Equal("false", result.Consignee!.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Value);
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
    }

    [Fact]
    public void Check_ConsigneePossibleMatch_LeavesTheFactToTheShipment()
    {
        // A different organisation carrying a listed name (0.81 against Beihang University): a possible match to review.
        var result = CheckWith("2024-01-01", "CN", ClearParty, "Beihang University Hospital");

        var fact = result.Consignee!.ScreenedFacts.Single(f => f.Fact == "xu_entity_list");
        Assert.Null(fact.Value);
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
        Assert.Contains("possible match: review required (state consignee_decision confirmed or cleared, or give xu_entity_list)", fact.Effect, StringComparison.Ordinal);
        var reviewed = CheckWith("2024-01-01", "CN", ClearParty, "Beihang University Hospital", new FactText("xu_entity_list", "false"));
        Assert.Equal(Verdict.NoLicenseRequired, reviewed.Determination.Verdict);
    }

    [Theory]
    [InlineData("confirmed", Verdict.LicenseRequired, "true", "xu_entity_list: possible match confirmed by consignee_decision; ")]
    [InlineData("cleared", Verdict.NoLicenseRequired, "false", "xu_entity_list: possible match cleared by consignee_decision: not the listed entry")]
    public void Check_ConsigneePossibleMatch_DecidedByConsigneeDecision(string decision, Verdict verdict, string value, string effect)
    {
        // 744.11(a): the consignee is a party to the transaction; the exporter's review of the possible match (0.81
        // against Beihang University) confirms or clears it, as end_user_decision does the end user's.
        var result = CheckParties(Line("2024-01-01", "CN", ClearParty) with { Consignee = "Beihang University Hospital", ConsigneeDecision = decision });

        var fact = result.Consignee!.ScreenedFacts.Single(f => f.Fact == "xu_entity_list");
        Assert.Equal(value, fact.Value);
        Assert.StartsWith(effect, fact.Effect, StringComparison.Ordinal);
        Assert.Equal(verdict, result.Determination.Verdict);
        Assert.Equal(EndUserDecision.Cleared == result.Shipment.ConsigneeDecision, decision == "cleared");
    }

    [Fact]
    public void Check_ConsigneeDecisionOnAStrongMatch_ChangesNothing()
    {
        // A decision acts on a possible match only: Huawei's own name is the listed entry, whatever the line says.
        var result = CheckParties(Line("2020-01-01", "CN", ClearParty) with { Consignee = "Huawei Technologies Co., Ltd.", ConsigneeDecision = "cleared" });

        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
    }

    [Theory]
    [InlineData("2019-05-15", Verdict.NoLicenseRequired, "false")] // the day before 84 FR 22961 took effect
    [InlineData("2019-05-16", Verdict.LicenseRequired, "true")]
    public void Check_PurchaserOnTheEntityList_APartyFromItsListing(string date, Verdict verdict, string value)
    {
        // 744.11(a): "a party to the transaction as described in § 748.5(c) through (f)"; 748.5(c) is the purchaser.
        var result = CheckParties(Line(date, "CN", ClearParty) with { Purchaser = "Huawei Technologies Co., Ltd." });

        var purchaser = Assert.Single(result.Parties!);
        Assert.Equal(ScreenedParty.Purchaser, purchaser.Party);
        Assert.Equal(value, purchaser.Screening.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Value);
        Assert.Equal(verdict, result.Determination.Verdict);
        var match = purchaser.Screening.ScreenedFacts.Single(f => f.Fact == "xu_entity_list").Match!;
        Assert.StartsWith("a party to the transaction (purchaser): xu_entity_list: ", ConsigneeScreening.Effect(purchaser.Screening, match, ScreenedParty.Purchaser), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PurchaserPossibleMatch_LeavesTheFactToTheShipment()
    {
        // The purchaser has no decision field: the exporter reviews the match and gives the fact.
        var result = CheckParties(Line("2024-01-01", "CN", ClearParty) with { Purchaser = "Beihang University Hospital" });

        var fact = Assert.Single(result.Parties!).Screening.ScreenedFacts.Single(f => f.Fact == "xu_entity_list");
        Assert.Null(fact.Value);
        Assert.Contains("possible match: review required (give xu_entity_list once reviewed)", fact.Effect, StringComparison.Ordinal);
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
    }

    [Fact]
    public void Check_IntermediateConsignees_OneListedIsEnough()
    {
        // 748.5(d): every intermediate consignee is a party; one listed among clear ones makes the fact true.
        var result = CheckParties(Line("2020-01-01", "CN", ClearParty) with { IntermediateConsignees = ["Another Clean Trading GmbH Bremen", "Huawei Technologies Co., Ltd."] });

        Assert.Equal(2, result.Parties!.Count);
        Assert.All(result.Parties, p => Assert.Equal(ScreenedParty.IntermediateConsignee, p.Party));
        Assert.Equal(Verdict.LicenseRequired, result.Determination.Verdict);
        Assert.Contains(result.Determination.Grounds, g => g.Rule == "xu.el");
    }

    [Fact]
    public void Check_EveryPartyClear_IsClear_AndAClearPurchaserAloneClearsNothing()
    {
        var clear = CheckParties(Line("2020-01-01", "DE", ClearParty) with { Consignee = "Another Clean Trading GmbH Bremen", Purchaser = "Kleine Baeckerei Mueller Hamburg", IntermediateConsignees = ["Another Clean Trading GmbH Bremen"] });
        var noEndUser = CheckParties(Line("2020-01-01", "DE", null) with { Purchaser = ClearParty });

        Assert.Equal(Verdict.NoLicenseRequired, clear.Determination.Verdict);
        Assert.Equal(Verdict.Indeterminate, noEndUser.Determination.Verdict);
        Assert.Contains("xu_entity_list", OutcomeTextOf(noEndUser), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_IntermediateConsigneeDeniedPerson_FactScreenedForTheEndUserOnly_StaysAWarning()
    {
        // xu_denied_person names the end user alone here: an intermediate consignee's match on it decides nothing.
        var result = CheckParties(Line("2019-01-01", "JP", ClearParty) with { IntermediateConsignees = ["KATSUTA KEISUKE"] });

        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
        var party = Assert.Single(result.Parties!);
        var match = Assert.Single(party.Screening.Matches, m => m.Listings.Any(l => l.ListId == "csl-dpl"));
        Assert.Equal(EndUserResult.OtherListWarning, ConsigneeScreening.Effect(party.Screening, match, ScreenedParty.IntermediateConsignee));
    }

    [Fact]
    public void Check_NoEndUser_TheListingFactsAreMissing()
    {
        var result = Check("2023-01-01", "DE", null);

        Assert.Empty(result.EndUser.ScreenedFacts);
        Assert.Equal(Verdict.Indeterminate, result.Determination.Verdict);
        Assert.Contains("xu_entity_list", OutcomeTextOf(result), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_PartyOnNoList_IsClearOnEveryList()
    {
        var result = Check("2023-01-01", "DE", "Kleine Baeckerei Mueller Hamburg");

        Assert.Equal("false", Screened(result, "xu_entity_list"));
        Assert.Equal("false", Screened(result, "xu_denied_person"));
        Assert.Equal(Verdict.NoLicenseRequired, result.Determination.Verdict);
    }

    [Fact]
    public void Screen_ListNotLoaded_LeavesTheFactToTheShipment()
    {
        var lists = ScreeningIndex.Build(ListFiles.ParseAny(MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")]));
        var screening = new EndUserScreening(new Lazy<ScreeningIndex?>(lists));

        var result = screening.Screen(Evaluator.Content.Jurisdictions[0], "Huawei Technologies Co., Ltd.", CountryCode.Parse("CN"), null, new LocalDate(2020, 1, 1));

        Assert.All(result.ScreenedFacts, f => Assert.Null(f.Value));
        Assert.Contains("the csl-el list is not loaded", result.ScreenedFacts[0].Effect, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("84 FR 22963, 84 FR 43495", "84 FR 22963")]
    [InlineData("88 F.R. 77955 11/14/2023", "88 FR 77955")]
    [InlineData("87 FR 20299; 87 FR 34136", "87 FR 20299")]
    [InlineData("89 FR 14388; 85 FR 83420", "85 FR 83420")]
    public void AddingRule_EarliestCitation_IsTheRuleThatAddedTheEntry(string notices, string expected)
    {
        var listing = CslCsvParserListing(notices);

        Assert.Equal(expected, ListingDates.AddingRule(listing)!.Value.Rule);
    }

    [Theory]
    [InlineData("For all items subject to the EAR. (See §744.11 of the EAR).", false)]
    [InlineData("For any item subject to the EAR listed in supplement no. 2 to part 744.", false)]
    [InlineData("For all items subject to the EAR when used in projects specified in § 746.8(a)(4) of the EAR", true)]
    [InlineData("For items on the CCL and EAR99 items listed in supplement no. 7 to part 746 of the EAR.", true)]
    [InlineData("All items subject to the EAR except for: crude oil, condensates", true)]
    [InlineData("For all items subject to the EAR. (See § 744.11 of the EAR). This license requirement may be overcome by License Exception GOV", true)]
    public void IsConditional_RequirementColumn_NamesWhatTheLineDoesNotState(string requirement, bool conditional)
    {
        Assert.Equal(conditional, ListingDates.IsConditional(requirement));
    }

    private static ExportListing CslCsvParserListing(string notices)
    {
        var path = Path.Combine(Path.GetTempPath(), $"csl-{Guid.NewGuid():N}.csv");
        File.WriteAllText(path, $"_id,source,entity_number,type,programs,name,addresses,federal_register_notice,license_requirement,license_policy,remarks,alt_names,citizenships,dates_of_birth,nationalities,ids\n1,Entity List (EL) - Bureau of Industry and Security,,,,Test Co,CN,\"{notices}\",For all items subject to the EAR,Presumption of denial,,,,,,\n");
        try
        {
            return Assert.Single(CslCsvParser.Parse(path)).Listing!;
        }
        finally
        {
            File.Delete(path);
        }
    }

    private static string OutcomeTextOf(CheckResult result) =>
        string.Join(" ", result.Determination.MissingFacts) + " " + result.Determination.Explanation;
}
