using System.Text.Json.Nodes;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Licensing;
using Clearance.Model;
using Clearance.Screening;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Clearance.Store;
using NodaTime;

namespace Clearance.Application.Tests;

/// <summary>The reasons <c>shipments submit</c> gives a line, from the check's determination and screening.</summary>
public sealed class ShipmentWorkflowTests : IDisposable
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());
    private static readonly Lazy<ScreeningIndex?> MetiEul = new(() =>
        ScreeningIndex.Build([.. ListFiles.ParseAny(MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")])]));

    private readonly TempDirectory _dir = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private SubmittedLine Submit(ShipmentText line)
    {
        var store = new ShipmentStore(new SqliteProvider(Path.Combine(_dir.FullName, "clearance.db")));
        var workflow = new ShipmentWorkflow(new CheckService(Evaluator, new EndUserScreening(MetiEul)), store, "clearance");
        return workflow.Submit(line.Validate(1));
    }

    private static JsonArray Reasons(SubmittedLine line) => JsonNode.Parse(line.Record!.Reasons)!.AsArray();

    /// <summary>The request as a <see cref="JsonObject"/> tree gives it: what <see cref="ShipmentWorkflow.Request"/> wrote before it wrote UTF-8 straight.</summary>
    private static string RequestTree(Shipment s)
    {
        var o = new JsonObject
        {
            ["id"] = s.Id?.Text, ["order"] = s.Order, ["line"] = s.OrderLine, ["exporter"] = s.Exporter, ["license"] = s.License,
            ["date"] = NodaTime.Text.LocalDatePattern.Iso.Format(s.Date), ["from"] = s.From.Value, ["to"] = s.To.Value,
            ["item"] = new JsonArray([.. s.Classifications.Select(i => (JsonNode)i)]), ["end_use"] = Names.Of(s.EndUse),
            ["end_user"] = s.EndUser, ["consignee"] = s.Consignee, ["informed"] = s.Informed,
            ["held"] = new JsonArray([.. s.Held.Select(h => (JsonNode)h)]),
            ["value"] = s.Value is { } v ? new JsonObject { ["amount"] = v.Amount, ["currency"] = v.Currency } : null,
            ["quantity"] = s.Quantity is { } q ? new JsonObject { ["amount"] = q.Amount, ["unit"] = q.Unit } : null,
        };
        if (s.EndUserDecision is { } decision)
            o["end_user_decision"] = decision == EndUserDecision.Cleared ? "cleared" : "confirmed";
        if (s.ConsigneeDecision is { } consigneeDecision)
            o["consignee_decision"] = consigneeDecision == EndUserDecision.Cleared ? "cleared" : "confirmed";
        if (s.Purchaser is { } purchaser)
            o["purchaser"] = purchaser;
        if (s.IntermediateConsignees is { } intermediates)
            o["intermediate_consignees"] = new JsonArray([.. intermediates.Select(i => (JsonNode)i)]);
        if (s.Facts is { } facts)
            o["facts"] = new JsonObject([.. facts.OrderBy(f => f.Key, StringComparer.Ordinal).Select(f => KeyValuePair.Create(f.Key, (JsonNode?)f.Value))]);
        return o.ToJsonString(new System.Text.Json.JsonSerializerOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
    }

    [Fact]
    public void Request_LinesWithAndWithoutEachMember_SameTextAsTheJsonTree()
    {
        var plain = new Shipment(new ShipmentId("SO-1/1", false), new LocalDate(2019, 7, 4), CountryCode.Parse("JP"), CountryCode.Parse("KR"),
            ["JP:7(19)"], EndUse.Civil, false, "Samsung \"Display\" Co., Ltd.", [], null, new Quantity(12.50m, "kg"), null,
            Consignee: "Kumho Wafer 72 Ltd.", Order: "SO-1", OrderLine: "1", Exporter: "Shinsei Resist K.K.");
        Shipment[] lines =
        [
            plain,
            plain with { Id = null, EndUser = null, Consignee = null, Quantity = null, Order = null, OrderLine = null, Exporter = null },
            plain with { Value = new Money(1_000_000.125m, "JPY"), License = "METI-2019-0001", Held = ["individual", "general-bulk"], Informed = true },
            plain with { EndUserDecision = EndUserDecision.Cleared, Facts = new Dictionary<string, string> { ["wmd_use"] = "false", ["a_fact"] = "<&>'ü東京" } },
            plain with { EndUserDecision = EndUserDecision.Confirmed, Classifications = ["JP:3(1)", "US:3B001"], EndUser = "Ünïcode — 北京航空航天大学\t" },
            plain with { ConsigneeDecision = EndUserDecision.Cleared, Purchaser = "Käufer \"K\" GmbH", IntermediateConsignees = ["Transit Co.", "北京 Forwarding"] },
            plain with { EndUserDecision = EndUserDecision.Cleared, ConsigneeDecision = EndUserDecision.Confirmed, IntermediateConsignees = ["Transit Co."] },
        ];

        foreach (var line in lines)
            Assert.Equal(RequestTree(line), ShipmentWorkflow.Request(line));
    }

    [Fact]
    public void Decide_TwoLinesWithTheSameRequirement_OneReasonInstanceWithTheTreesTextAndTheItemChainWorkedOut()
    {
        var check = new CheckService(Evaluator, new EndUserScreening(MetiEul));
        CheckResult Checked(string id, string date) =>
            check.Check(new ShipmentText(new ShipmentId(id, false), date, "JP", "KR", ["JP:3(1)/2(1)(i)(he)"], "civil", "Example Display Co.", Exporter: "Example Co.").Validate(1)).Result!;
        var (first, second, later) = (Checked("s-1", "2020-03-24"), Checked("s-2", "2020-03-24"), Checked("s-3", "2020-03-25"));

        var (a, b, c) = (ShipmentWorkflow.Decide(first, "{}"), ShipmentWorkflow.Decide(second, "{}"), ShipmentWorkflow.Decide(later, "{}"));

        // Shared by the lines with the same requirement; its own for another review end.
        Assert.Same(a.LicenseRequired, b.LicenseRequired);
        Assert.NotSame(a.LicenseRequired, c.LicenseRequired);
        var regime = first.Primary;
        var d = regime.Determination;
        var tree = new JsonObject
        {
            ["code"] = "license-required",
            ["jurisdiction"] = regime.Jurisdiction.Id,
            ["eligible_types"] = new JsonArray([.. d.EligibleLicenses.Select(l => (JsonNode)l)]),
            ["review_days"] = d.ReviewDays,
            ["earliest_decision"] = d.ReviewDays is { } days ? NodaTime.Text.LocalDatePattern.Iso.Format(new LocalDate(2020, 3, 24).PlusDays(days)) : null,
        };
        Assert.Equal(tree.ToJsonString(), a.LicenseRequired!.ToJsonString());
        // The item chain as the reference works it out: the sub-item and every code above it.
        Assert.Equal(ShipmentWorkflow.ItemChain(regime), a.Demand!.Items);
        Assert.Equal("JP:3(1)/2(1)(i)(he)", a.Demand.Items[0]);
        Assert.Contains("JP:3(1)", a.Demand.Items);
    }

    [Fact]
    public void Submit_EndUserOnTheEndUserList_HeldForTheMatchAndTheLicence_NothingDrawn()
    {
        var line = Submit(new ShipmentText(new ShipmentId("s-1", false), "2024-01-01", "JP", "CN", ["JP:16"], "civil", "Beihang University", Exporter: "Example Co."));

        Assert.Equal(ShipmentStatus.Held, line.Record!.Status);
        var reasons = Reasons(line);
        var match = reasons.First(r => r!["code"]!.GetValue<string>() == "screening-match")!;
        Assert.Equal(("end_user", "meti-eul"), (match["party"]!.GetValue<string>(), match["list"]!.GetValue<string>()));
        Assert.True(match["score"]!.GetValue<double>() > 0.9);
        Assert.Contains(reasons, r => r!["code"]!.GetValue<string>() == "license-required");
        Assert.Null(line.Record.License);
    }

    [Fact]
    public void Submit_EndUserOnAListAndItsCopy_OneScreeningMatchNamingBothListings()
    {
        // MAHAN AIR on the SDN List and the CSL's SDN section: one party, one reason.
        var lists = new Lazy<ScreeningIndex?>(() => ScreeningIndex.Build(
        [
            new ListEntity("csl-sdn", "8254", EntityKind.Organization, "MAHAN AIR", [], [], ["IR"], [], [], ["SDGT"], null, null),
            new ListEntity("ofac-sdn", "12927", EntityKind.Organization, "MAHAN AIR", [], [], ["IR"], [], [], ["SDGT"], null, null),
        ]));
        var store = new ShipmentStore(new SqliteProvider(Path.Combine(_dir.FullName, "clearance.db")));
        var workflow = new ShipmentWorkflow(new CheckService(Evaluator, new EndUserScreening(lists)), store, "clearance");

        var line = workflow.Submit(new ShipmentText(new ShipmentId("s-9", false), "2024-01-01", "JP", "AE", ["JP:16"], "civil", "Mahan Airlines", Exporter: "Example Co.").Validate(1));

        var match = Assert.Single(Reasons(line), r => r!["code"]!.GetValue<string>() == "screening-match")!;
        Assert.Equal(("ofac-sdn", "12927"), (match["list"]!.GetValue<string>(), match["entity"]!.GetValue<string>()));
        Assert.Equal(["ofac-sdn:12927", "csl-sdn:8254"], match["listings"]!.AsArray().Select(l => $"{l!["list"]}:{l["entity"]}"));
    }

    [Fact]
    public void Submit_FactsMissing_HeldAsIndeterminateNamingThem()
    {
        var line = Submit(new ShipmentText(new ShipmentId("s-2", false), "2024-01-01", "JP", "CN", ["JP:16"], Exporter: "Example Co."));

        var reason = Assert.Single(Reasons(line))!;
        Assert.Equal("indeterminate", reason["code"]!.GetValue<string>());
        Assert.Equal(["end_user", "end_use"], reason["missing_facts"]!.AsArray().Select(m => m!.GetValue<string>()));
    }

    [Fact]
    public void Submit_LicensedUnderOneRegimeUndecidedUnderAnother_HeldAsIndeterminateNothingDrawn()
    {
        // The JP licence covers resist to Korea; the EAR cannot decide for the US classification.
        var store = new ShipmentStore(new SqliteProvider(Path.Combine(_dir.FullName, "clearance.db")));
        new LicenseStore(new SqliteProvider(Path.Combine(_dir.FullName, "clearance.db"))).Add(new License(
            "METI-2019-0001", "JP", "individual", "Example Co.", new LicenseScope(["JP:7(19)"], [CountryCode.Parse("KR")], [], []),
            new Period(new LocalDate(2019, 8, 8), new LocalDate(2020, 8, 8)), new LicenseLimit(500, "kg"), null, 0, LicenseState.Granted), "officer");
        var workflow = new ShipmentWorkflow(new CheckService(Evaluator, new EndUserScreening(MetiEul)), store, "clearance");
        ShipmentText Line(string id, params string[] items) =>
            new(new ShipmentId(id, false), "2019-09-02", "JP", "KR", items, "civil", Exporter: "Example Co.", QuantityGiven: true, QuantityAmount: "100", QuantityUnit: "kg");

        var japanOnly = workflow.Submit(Line("s-5", "JP:7(19)").Validate(1));
        var withUs = workflow.Submit(Line("s-6", "JP:7(19)", "US:3B993").Validate(2));

        Assert.Equal((ShipmentStatus.Released, "METI-2019-0001"), (japanOnly.Record!.Status, japanOnly.Record.License));
        Assert.Equal(ShipmentStatus.Held, withUs.Record!.Status);
        Assert.Null(withUs.Record.License);
        var undecided = Assert.Single(Reasons(withUs), r => r!["code"]!.GetValue<string>() == "indeterminate")!;
        // The EAR side is undecided: 3B993 did not exist before 2 Dec 2024 (89 FR 96790), and no end user was screened.
        var missing = undecided["missing_facts"]!.AsArray().Select(m => m!.GetValue<string>()).ToList();
        Assert.Contains(missing, m => m.StartsWith("US: content:", StringComparison.Ordinal));
        Assert.Contains("US: us_entity_list", missing);
    }

    [Fact]
    public void Submit_Embargoed_RejectedWithTheEmbargoGround()
    {
        var line = Submit(new ShipmentText(new ShipmentId("s-3", false), "2020-01-01", "JP", "KP", ["JP:16"], Exporter: "Example Co."));

        Assert.Equal(ShipmentStatus.Rejected, line.Record!.Status);
        var reason = Reasons(line)[0]!;
        Assert.Equal("embargo", reason["code"]!.GetValue<string>());
        Assert.Equal("jp.embargo.north-korea", reason["grounds"]![0]!.GetValue<string>());
    }

    [Fact]
    public void Submit_WithoutIdOrExporter_ErrorAndNothingRecorded()
    {
        var noId = Submit(new ShipmentText(null, "2024-01-01", "JP", "US", ["JP:16"], "civil", Exporter: "Example Co."));
        var noExporter = Submit(new ShipmentText(new ShipmentId("s-4", false), "2024-01-01", "JP", "US", ["JP:16"], "civil"));

        Assert.Equal("line 1: missing required field 'id'", noId.Error!.Message);
        Assert.Equal("line 1: missing required field 'exporter'", noExporter.Error!.Message);
        Assert.Equal((ShipmentId?)new ShipmentId("s-4", false), noExporter.Id);
        Assert.Null(noId.Record ?? noExporter.Record);
    }

    [Fact]
    public void Submitted_StoredLineOfTwoRegimes_ItemsJoinedAndTextFieldsAsGiven()
    {
        var line = Submit(new ShipmentText(new ShipmentId("s-5", false), "2024-01-01", "JP", "US", ["JP:7(19)", "US:3B993"], "civil", Exporter: "Example Co."));

        Assert.Equal("JP:7(19), US:3B993", ShipmentFilter.Submitted(line.Record!, "item"));
        Assert.Equal(("US", "2024-01-01", "Example Co."), (ShipmentFilter.Submitted(line.Record!, "to"), ShipmentFilter.Submitted(line.Record!, "date"), ShipmentFilter.Submitted(line.Record!, "exporter")));
        Assert.Equal("", ShipmentFilter.Submitted(line.Record!, "end_user"));
    }

    /// <summary>Every answer of <paramref name="workflow"/> to <paramref name="json"/> (JSON Lines), as <c>shipments submit --output json</c> writes it.</summary>
    private static List<string> Answers(ShipmentWorkflow workflow, IEnumerable<string> json)
    {
        var lines = JsonLinesInput.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join("\n", json) + "\n")));
        var answers = new List<string>();
        foreach (var line in workflow.Submit(lines).SelectMany(batch => batch))
        {
            var buffer = new System.Buffers.ArrayBufferWriter<byte>();
            using (var writer = new System.Text.Json.Utf8JsonWriter(buffer, new System.Text.Json.JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
                ShipmentJson.Write(writer, line);
            answers.Add(System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan));
        }

        return answers;
    }

    [Fact]
    public void Submit_ContentOnDemand_SameAnswersAsTheWholeContent_WholeVersionKept()
    {
        // More Japanese lines than the first chunk the content is sized by (so the later lines add the EAR, then need the
        // whole content for a licence id only another regime knows), licensed and screened lines among them.
        var json = Enumerable.Range(0, ReadAhead.ChunkSize + 1)
            .Select(i => $$$"""{"id": "jp-{{{i}}}", "exporter": "Example Co.", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil", "end_user": "{{{(i % 3 == 0 ? "Beihang University" : "Mirae Display")}}}", "quantity": {"amount": 1, "unit": "kg"}}""")
            .Concat(
            [
                """{"id": "jp-us", "exporter": "Example Co.", "date": "2024-05-06", "from": "JP", "to": "CN", "item": ["JP:16", "US:3B993"], "end_use": "civil"}""",
                """{"id": "lvs", "exporter": "Example Co.", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "held": ["lvs"]}""",
                """{"id": "kr", "exporter": "Example Co.", "date": "2021-07-04", "from": "KR", "to": "CN", "item": "KR:3C002", "end_use": "civil"}""",
                """{"id": "jp-0", "exporter": "Example Co.", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil"}""",
            ]).ToList();
        ShipmentStore Store(string name)
        {
            var db = Path.Combine(_dir.FullName, name);
            new LicenseStore(new SqliteProvider(db)).Add(new License(
                "METI-2019-0001", "JP", "individual", "Example Co.", new LicenseScope(["JP:3(1)"], [CountryCode.Parse("KR")], [], []),
                new Period(new LocalDate(2019, 7, 4), new LocalDate(2020, 7, 4)), new LicenseLimit(400, "kg"), null, 0, LicenseState.Granted), "officer");
            return new ShipmentStore(new SqliteProvider(db));
        }

        var (wholeStore, onDemandStore) = (Store("whole.db"), Store("on-demand.db"));
        var whole = Answers(new ShipmentWorkflow(new CheckService(Evaluator, new EndUserScreening(MetiEul)), wholeStore, "clearance"), json);
        var onDemand = new ShipmentWorkflow(ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, new EndUserScreening(MetiEul))), onDemandStore, "clearance");
        var answers = Answers(onDemand, json);

        Assert.Equal(whole, answers);
        Assert.Equal(json.Count, answers.Count);
        Assert.Contains(answers, a => a.Contains("\"METI-2019-0001\"", StringComparison.Ordinal)); // drawn until the limit
        Assert.Contains(answers, a => a.Contains("screening-match", StringComparison.Ordinal));
        Assert.Contains(answers, a => a.Contains("\"repeated\":true", StringComparison.Ordinal));
        Assert.True(onDemand.ContentVersionStored);
        Assert.True(onDemandStore.Content.IsKept(Evaluator.Content.Version));
        Assert.Equal(Evaluator.Content.Files, onDemandStore.Content.Find(Evaluator.Content.Version));
    }
}
