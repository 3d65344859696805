using System.Text.Encodings.Web;
using System.Text.Json;

namespace Clearance.Store.Tests;

// The store's source-generated JSON against the reflection serializer on the anonymous objects it replaced: audit hashes are
// over these texts, so a database written before must verify, and a licence added again must compare equal.
public sealed class StoreJsonTests
{
    private static readonly JsonSerializerOptions Relaxed = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    // Texts a user types: non-ASCII letters, quotes, a backslash, a control character, HTML-sensitive characters, an emoji.
    public static TheoryData<string> Texts() => ["plain", "株式会社 東京 \"quoted\" \\ <b>&amp;</b> 'x'", "tab\there\nline \u0001", "Müller – ünïcödé 😀", ""];

    [Theory]
    [MemberData(nameof(Texts))]
    public void Relaxed_AuditObjects_SameTextAsTheReflectionSerializer(string text)
    {
        Assert.Equal(JsonSerializer.Serialize(new { name = text, role = "admin" }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.KeyAudit(text, "admin"), StoreJson.Relaxed.KeyAudit));
        Assert.Equal(JsonSerializer.Serialize(new { party = text, entity = "meti-eul:12", decision = "false-positive", reason = text }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.DecisionInputs(text, "meti-eul:12", "false-positive", text), StoreJson.Relaxed.DecisionInputs));
        Assert.Equal(JsonSerializer.Serialize(new { id = 7L, party_key = text, list = "meti-eul", version = 3L, content_hash = "ab12", entry_name = text }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.DecisionOutputs(7, text, "meti-eul", 3, "ab12", text), StoreJson.Relaxed.DecisionOutputs));
        Assert.Equal(JsonSerializer.Serialize(new { state = "suspended", on = "2026-12-05", reason = text }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.StateInputs("suspended", "2026-12-05", text), StoreJson.Relaxed.StateInputs));
        Assert.Equal(JsonSerializer.Serialize(new { previous = "granted" }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.StateOutputs("granted"), StoreJson.Relaxed.StateOutputs));
        Assert.Equal(JsonSerializer.Serialize(new { shipment = text, reverses = 41L, reason = text }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.ReverseInputs(text, 41, text), StoreJson.Relaxed.ReverseInputs));
        Assert.Equal(JsonSerializer.Serialize(new { sequence = 42L }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.ReverseOutputs(42), StoreJson.Relaxed.ReverseOutputs));
        Assert.Equal(JsonSerializer.Serialize(new { status = "held", license = (string?)text, repeated = true, differs = false }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.RepeatOutputs("held", text, true, false), StoreJson.Relaxed.RepeatOutputs));
    }

    [Theory]
    [InlineData("L-1", "checked")]
    [InlineData(null, "株式会社 \"x\"")]
    [InlineData(null, null)]
    public void Relaxed_ChangeInputsWithNulls_SameTextAsTheReflectionSerializer(string? license, string? reason) =>
        Assert.Equal(JsonSerializer.Serialize(new { license, reason }, Relaxed),
            JsonSerializer.Serialize(new JsonShapes.ChangeInputs(license, reason), StoreJson.Relaxed.ChangeInputs));

    [Theory]
    [InlineData(true)]
    [InlineData(false)]
    public void Relaxed_LicenseWithAndWithoutLimits_SameTextAsTheReflectionSerializer(bool limits)
    {
        string[] items = ["JP:7(19)", "株式会社"], destinations = ["KR", "CN"], consignees = ["Müller \"GmbH\""], endUsers = [];
        var reference = JsonSerializer.Serialize(new
        {
            number = "L-1", jurisdiction = "JP", type = "individual", holder = "Example <Co.>",
            items, destinations = destinations.Select(d => d), consignees, end_users = endUsers,
            valid_from = "2019-08-08", valid_to = limits ? "2020-08-07" : null,
            quantity = limits ? new { amount = 500.25m, unit = "kg" } : null,
            value = limits ? new { amount = 1_000_000m, currency = "JPY" } : null,
            tolerance = 0.05m, state = "granted",
        }, Relaxed);

        var generated = JsonSerializer.Serialize(new JsonShapes.LicenseAudit(
            "L-1", "JP", "individual", "Example <Co.>", items, destinations, consignees, endUsers, "2019-08-08", limits ? "2020-08-07" : null,
            limits ? new JsonShapes.QuantityLimit(500.25m, "kg") : null, limits ? new JsonShapes.ValueLimit(1_000_000m, "JPY") : null, 0.05m, "granted"),
            StoreJson.Relaxed.LicenseAudit);

        Assert.Equal(reference, generated);
    }

    [Theory]
    [MemberData(nameof(Texts))]
    public void Default_NamesAndNumbers_SameTextAsTheReflectionSerializer(string text)
    {
        IReadOnlyList<string> names = [text, "B & Co."];
        Assert.Equal(JsonSerializer.Serialize(names), JsonSerializer.Serialize(names, StoreJson.Default.IReadOnlyListString));
        Assert.Equal(JsonSerializer.Serialize((IReadOnlyCollection<string>)names), JsonSerializer.Serialize((IReadOnlyCollection<string>)names, StoreJson.Default.IReadOnlyCollectionString));
        Assert.Equal(JsonSerializer.Serialize(names.ToArray()), JsonSerializer.Serialize(names.ToArray(), StoreJson.Default.StringArray));
        Assert.Equal(JsonSerializer.Serialize(text), JsonSerializer.Serialize(text, StoreJson.Default.String));
        Assert.Equal(JsonSerializer.Deserialize<string[]>(JsonSerializer.Serialize(names)), JsonSerializer.Deserialize(JsonSerializer.Serialize(names), StoreJson.Default.StringArray));
        Assert.Equal(JsonSerializer.Serialize((string?)null), JsonSerializer.Serialize(null, StoreJson.Default.String));
    }

    [Fact]
    public void Default_SourceFiles_SameTextAsTheReflectionSerializer()
    {
        (string Path, string Sha256, long Bytes)[] files = [("../shared/lists/meti_eul/meti_eul_2025-09-29.csv", "0a1b", 123_456), ("C:\\lists\\ü.csv", "ff", 0)];
        Assert.Equal(JsonSerializer.Serialize(files.Select(f => new { path = f.Path, sha256 = f.Sha256, bytes = f.Bytes })),
            JsonSerializer.Serialize([.. files.Select(f => new JsonShapes.SourceFile(f.Path, f.Sha256, f.Bytes))], StoreJson.Default.SourceFileArray));
    }
}
