using System.Buffers;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Licensing;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store.Tests;

// The texts a submit writes straight to UTF-8 (branch submit-speed6) are the texts the JSON trees they replaced gave.
public sealed class SubmitTextsTests
{
    private static LicenseDemand Demand(decimal? quantity, decimal? value) => new(
        new LocalDate(2019, 8, 20), "JP", ["individual"], "Tokyo Ohka", ["JP:3C001"], CountryCode.Parse("KR"), "SAMSUNG", "SAMSUNG",
        quantity is { } q ? new LicenseLimit(q, "kg") : null, value is { } v ? new LicenseLimit(v, "JPY") : null);

    private static JsonObject Required(int? reviewDays, bool withFit) => new()
    {
        ["code"] = "license-required",
        ["jurisdiction"] = "JP",
        ["eligible_types"] = new JsonArray("individual", "bulk"),
        ["review_days"] = reviewDays,
        ["earliest_decision"] = reviewDays is null ? null : "2019-09-19",
        ["fit"] = withFit ? "set before" : null,
    };

    /// <summary>What the batch wrote before: clones of the reasons in a JsonArray, the members set by the indexer.</summary>
    private static string AsTree(IReadOnlyList<JsonObject> openReasons, JsonObject required, DrawResult drawn, LicenseDemand demand)
    {
        var reasons = new JsonArray([.. openReasons.Select(r => (JsonNode)r.DeepClone())]);
        var reason = (JsonObject)required.DeepClone();
        if (drawn.License is { } closest && drawn.Fit != LicenseFit.WrongType)
        {
            reason["closest_license"] = closest;
            reason["fit"] = LicenseMatch.Name(drawn.Fit);
        }

        reasons.Add(reason);
        if (drawn.Fit == LicenseFit.Balance)
        {
            reasons.Add(new JsonObject
            {
                ["code"] = "license-balance", ["license"] = drawn.License,
                ["quantity_remaining"] = drawn.Balance?.QuantityRemaining, ["value_remaining"] = drawn.Balance?.ValueRemaining,
                ["quantity"] = demand.Quantity?.Amount, ["value"] = demand.Value?.Amount,
            });
        }

        return reasons.ToJsonString(ShipmentStore.AuditJson);
    }

    [Fact]
    public void WriteDate_AnyDate_SameTextAsTheIsoPattern()
    {
        var dates = new List<LocalDate>
        {
            new(1, 1, 1), new(9999, 12, 31), new(2019, 7, 4), new(2024, 2, 29), new(1970, 1, 1), new(0, 12, 31), new(-44, 3, 15),
            new(10, 10, 10), new(999, 9, 9),
        };
        var random = new Random(20261204);
        for (var i = 0; i < 5_000; i++)
            dates.Add(new LocalDate(1, 1, 1).PlusDays(random.Next(3_652_058)));
        var written = new ArrayBufferWriter<byte>();
        var expected = new ArrayBufferWriter<byte>();
        foreach (var date in dates)
        {
            written.ResetWrittenCount();
            expected.ResetWrittenCount();
            using (var w = new Utf8JsonWriter(written))
            {
                w.WriteStartObject();
                w.WriteDate("date", date);
                w.WriteEndObject();
            }

            using (var w = new Utf8JsonWriter(expected))
            {
                w.WriteStartObject();
                w.WriteString("date", LocalDatePattern.Iso.Format(date));
                w.WriteEndObject();
            }

            Assert.Equal(Encoding.UTF8.GetString(expected.WrittenSpan), Encoding.UTF8.GetString(written.WrittenSpan));
        }
    }

    [Fact]
    public void RefusedReasonsJson_EveryKindOfRefusal_SameTextAsTheJsonTree()
    {
        JsonObject[][] opens =
        [
            [],
            [new JsonObject { ["code"] = "screening-cleared", ["party"] = "end_user", ["name"] = "株式会社 <Ünïcode> & \"quoted\"", ["score"] = 0.912m }],
        ];
        DrawResult[] draws =
        [
            new(null, LicenseFit.WrongType, null, null),
            new("METI-1", LicenseFit.WrongType, null, null),
            new("METI-2", LicenseFit.WrongHolder, null, null),
            new("METI-3", LicenseFit.ConsigneeOutOfScope, null, null),
            new("METI-4", LicenseFit.Balance, null, new LicenseBalance(900, 0, 100.5m, null)),
            new("METI-5", LicenseFit.Balance, null, new LicenseBalance(10, 2_000_000, 0m, 1_000.25m)),
            new("METI-6", LicenseFit.Balance, null, null),
        ];
        var compared = 0;
        foreach (var open in opens)
        {
            foreach (var drawn in draws)
            {
                foreach (var (quantity, value) in new (decimal?, decimal?)[] { (250m, null), (null, 1_500_000.5m), (12.125m, 3m) })
                {
                    foreach (var (reviewDays, withFit) in new (int?, bool)[] { (30, false), (null, false), (90, true) })
                    {
                        var demand = Demand(quantity, value);
                        var required = Required(reviewDays, withFit);
                        Assert.Equal(AsTree(open, required, drawn, demand), ShipmentStore.RefusedReasonsJson(open, required, drawn, demand));
                        compared++;
                    }
                }
            }
        }

        Assert.Equal(2 * 7 * 3 * 3, compared);
    }

    [Theory]
    [InlineData("""{"id":"A","to":"KR","end_user":"Samsung","consignee":"Hynix","license":"METI-1"}""", "Samsung", "Hynix", "KR", "METI-1")]
    [InlineData("""{"id":"B","end_\u0075ser":"Escaped name","facts":{"end_user":"nested, not read"},"to":"TW"}""", "Escaped name", null, "TW", null)]
    [InlineData("""{"id":"C","end_user":null,"consignee":42,"to":["KR"],"license":{"no":1}}""", null, null, "", null)]
    [InlineData("""{"id":"D","end_user":"東京 \"quoted\" \u00e9","to":"JP"}""", "東京 \"quoted\" é", null, "JP", null)]
    [InlineData("""{"id":"E","end_user":"First","end_user":"Last"}""", "Last", null, "", null)]
    [InlineData("""not json""", null, null, "", null)]
    [InlineData("""["an","array"]""", null, null, "", null)]
    public void ShipmentPartiesRead_RequestsOfEveryShape_TopLevelStringsOnly(string request, string? endUser, string? consignee, string destination, string? license)
    {
        Assert.Equal(new ShipmentParties(endUser, consignee, destination, license), ShipmentParties.Read(request));
    }

    [Fact]
    public void ShipmentPartiesRead_PurchaserAndIntermediateConsignees_TopLevelOnlyTheNamesAsStored()
    {
        var parties = ShipmentParties.Read("""{"id":"F","to":"AE","purchaser":"Buyer","intermediate_consignees":["Transit \u00e9",7,"Two"],"facts":{"purchaser":"nested, not read"}}""");

        Assert.Equal("Buyer", parties.Purchaser);
        Assert.Equal(["Transit é", "Two"], ShipmentParties.Names(parties.IntermediateConsignees));
        Assert.Null(ShipmentParties.Read("""{"id":"G","intermediate_consignees":[]}""").IntermediateConsignees);
    }
}
