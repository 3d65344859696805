using System.Text;
using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application.Tests;

/// <summary>Several regimes on one line, and the shipment's value reaching a value-limited licence through the check.</summary>
public sealed class RegimesAndFactsTests
{
    private static List<JsonElement> Run(string input, Evaluator? evaluator = null)
    {
        var output = new MemoryStream();
        CheckBatch.Run(new CheckService(evaluator ?? new Evaluator(ContentLoader.LoadBuiltIn()), EndUserScreening.None), new ResultJson(false),
            JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(input))), output);
        return [.. Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement)];
    }

    private static string Error(JsonElement result, string member) => result.GetProperty("error").GetProperty(member).GetString()!;

    [Fact]
    public void Check_JapaneseAndUsClassification_BothRegimesUsIndeterminate()
    {
        var r = Assert.Single(Run("""{"id": 1, "date": "2019-07-04", "from": "JP", "to": "KR", "item": ["JP:7(19)", "US:3B993"], "held": ["JP:individual"]}"""));

        Assert.Equal("JP+US", r.GetProperty("jurisdiction").GetString());
        Assert.Equal("license-required", r.GetProperty("verdict").GetString()); // the most restrictive of the two
        Assert.Equal(["JP:individual"], r.GetProperty("eligible_licenses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("covered_by").ValueKind); // the JP licence does not answer the US side
        Assert.Contains(r.GetProperty("missing_facts").EnumerateArray(), m => m.GetString()!.StartsWith("US: content:", StringComparison.Ordinal));
        var regimes = r.GetProperty("regimes").EnumerateArray().ToList();
        Assert.Equal("individual", regimes[0].GetProperty("covered_by").GetString());
        Assert.Equal("indeterminate", regimes[1].GetProperty("verdict").GetString());
        Assert.Equal("US:3B993", regimes[1].GetProperty("classification").GetString());
    }

    [Fact]
    public void Check_SameCombinationTwice_OneSharedDetermination()
    {
        // Wire forms are cached per determination: a new combined object per line would grow that cache with the batch.
        var service = new CheckService(new Evaluator(ContentLoader.LoadBuiltIn()), EndUserScreening.None);
        var lines = JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes("""
            {"id": 1, "date": "2019-07-04", "from": "JP", "to": "KR", "item": ["JP:7(19)", "US:3B993"]}
            {"id": 2, "date": "2019-07-05", "from": "JP", "to": "KR", "item": ["JP:7(19)", "US:3B993"]}
            """))).ToList();

        var first = service.Check(lines[0]).Result!;
        var second = service.Check(lines[1]).Result!;

        Assert.True(first.IsCombined);
        Assert.Same(first.Determination, second.Determination);
    }

    [Fact]
    public void Check_SeveralRegimes_CombinedListGroundCitesEachLinesOwnItem()
    {
        // JP:3(1) and JP:5(17) to Korea share one combined determination: the item a ground cites comes from the line.
        var results = Run("""
            {"id": 1, "date": "2024-01-01", "from": "JP", "to": "KR", "item": ["JP:3(1)", "US:3B993"]}
            {"id": 2, "date": "2024-01-01", "from": "JP", "to": "KR", "item": ["JP:5(17)", "US:3B993"]}
            {"id": 3, "date": "2024-01-01", "from": "JP", "to": "KR", "item": "JP:5(17)"}
            """);
        var japan = ContentLoader.LoadBuiltIn().Jurisdictions.Single(j => j.Id == "JP");
        string ItemCitation(string classification) => japan.Items.Single(i => "JP:" + i.Code == classification).Citation.Text;
        string Citation(JsonElement answer) => Assert.Single(answer.GetProperty("grounds").EnumerateArray(), g => g.GetProperty("kind").GetString() == "list").GetProperty("citation").GetString()!;
        for (var line = 0; line < 2; line++)
        {
            var combined = Citation(results[line]);
            var regime = results[line].GetProperty("regimes")[0];
            Assert.Equal(Citation(regime), combined);
            Assert.EndsWith("; " + ItemCitation(regime.GetProperty("classification").GetString()!), combined, StringComparison.Ordinal);
        }

        Assert.Equal(Citation(results[2]), Citation(results[1])); // as the single-regime answer cites it
        Assert.NotEqual(Citation(results[0]), Citation(results[1]));
    }

    [Theory]
    [InlineData("CN", "\"XA:individual\", \"XB:individual\"", "license-required", "XA:individual + XB:individual")]
    [InlineData("CN", "\"XA:individual\"", "license-required", null)] // XB requires one too, and none is held
    [InlineData("KP", "\"XA:individual\", \"XB:individual\"", "prohibited", null)] // XB prohibits: XA's licence authorises nothing
    public void Check_TwoRegimesDecided_CoveredOnlyWhenEveryRegimeIsAnswered(string to, string held, string verdict, string? coveredBy)
    {
        // XA governs exports from XK; XB reaches items classified under it from anywhere, and embargoes KP.
        const string exporting = """
            jurisdiction: {id: XA, name: A, law: a, coverage_from: 2019-01-01, exporters: {countries: [XK]}, cite: a}
            items:
              - {code: "1", title: item, cite: list}
            requirements:
              - {id: xa.list, kind: list, title: listed, items: ["1"], destinations: any, cite: s1}
            license_types:
              - {id: individual, name: Individual, cite: s2}
            license_scope:
              - {id: xa.scope, license: individual, effect: allow, title: any, items: any, destinations: any, cite: s2}
            """;
        const string reaching = """
            jurisdiction: {id: XB, name: B, law: b, coverage_from: 2019-01-01, exporters: {countries: [DE]}, reach: classified-items, cite: b}
            items:
              - {code: "2", title: item, cite: list}
            requirements:
              - {id: xb.list, kind: list, title: listed, items: ["2"], destinations: any, cite: t1}
              - {id: xb.embargo, kind: embargo, title: embargo, items: any, destinations: {countries: [KP]}, cite: t3}
            license_types:
              - {id: individual, name: Individual, cite: t2}
            license_scope:
              - {id: xb.scope, license: individual, effect: allow, title: any, items: any, destinations: any, cite: t2}
            """;
        var evaluator = new Evaluator(ContentLoader.Load([("xa.yaml", exporting), ("xb.yaml", reaching)]));

        var r = Assert.Single(Run($$"""{"id": 1, "date": "2020-01-01", "from": "XK", "to": "{{to}}", "item": ["XA:1", "XB:2"], "held": [{{held}}]}""", evaluator));

        Assert.Equal(verdict, r.GetProperty("verdict").GetString());
        Assert.Equal(coveredBy, r.GetProperty("covered_by").GetString());
    }

    [Fact]
    public void Check_OneRegime_NoRegimesMember()
    {
        var r = Assert.Single(Run("""{"id": 1, "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:7(19)"}"""));

        Assert.Equal("JP", r.GetProperty("jurisdiction").GetString());
        Assert.False(r.TryGetProperty("regimes", out _));
    }

    [Fact]
    public void Check_OnlyAUsClassificationFromJapan_JapanNamesItsMissingClassification()
    {
        var r = Assert.Single(Run("""{"id": 1, "date": "2020-01-01", "from": "JP", "to": "CN", "item": "US:EAR99", "end_use": "civil"}"""));

        Assert.Equal("indeterminate", r.GetProperty("verdict").GetString());
        Assert.Contains(r.GetProperty("missing_facts").EnumerateArray(), m => m.GetString()!.StartsWith("JP: item: a JP classification", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""["KR:3C002"]""", "unknown-item", "KR's rules do not govern exports from 'JP'")]
    [InlineData("""["XX:1"]""", "unknown-item", "'XX:1' names no regime")]
    [InlineData("""["JP:3(1)", "JP:7(19)"]""", "invalid-field", "two classifications under JP")]
    [InlineData("""["US:3B99"]""", "unknown-item", "'US:3B99' is not an item of US's control list")]
    [InlineData("""["JP:1", "JP:2", "KR:NS", "US:EAR99"]""", "invalid-field", "4 classifications, more than the 3 regimes")]
    public void Check_BadClassifications_ErrorNamesFieldAndLine(string items, string code, string message)
    {
        var r = Assert.Single(Run($$"""{"id": 1, "date": "2020-01-01", "from": "JP", "to": "CN", "item": {{items}}}"""));

        Assert.Equal(code, Error(r, "code"));
        Assert.StartsWith("line 1: field 'item': ", Error(r, "message"), StringComparison.Ordinal);
        Assert.Contains(message, Error(r, "message"), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ValueOfTheShipment_DecidesAValueLimitedLicenseWithTheRatesGiven()
    {
        const string content = """
            jurisdiction: {id: XT, name: Test, law: test, coverage_from: 2019-01-01, exporters: {countries: [XK]}, cite: test}
            items:
              - {code: "1A001", title: item, attributes: {reasons: [NS2]}, cite: list}
            requirements:
              - {id: r, kind: list, title: listed, items: {any: true, where: {reasons: [NS2]}}, destinations: any, cite: s1}
            license_types:
              - {id: individual, name: Individual, cite: s2}
              - {id: lvs, name: Limited value, cite: s3}
            license_scope:
              - {id: a, license: individual, effect: allow, title: any, items: any, destinations: any, cite: s2}
              - {id: b, license: lvs, effect: allow, title: small, items: any, destinations: any, when: {value: "<= 1500 USD"}, cite: s3}
            """;
        var rates = ExchangeRates.Parse("date,base,quote,rate\n2019-01-01,USD,JPY,110\n", "rates.csv");
        var evaluator = new Evaluator(ContentLoader.Load([("xt.yaml", content)]), rates);

        var results = Run("""
            {"id": "usd", "date": "2020-01-01", "from": "XK", "to": "CN", "item": "XT:1A001", "value": {"amount": 1500, "currency": "USD"}}
            {"id": "jpy", "date": "2020-01-01", "from": "XK", "to": "CN", "item": "XT:1A001", "value": {"amount": 165001, "currency": "JPY"}}
            {"id": "none", "date": "2020-01-01", "from": "XK", "to": "CN", "item": "XT:1A001"}
            """, evaluator);

        string[] Eligible(int i) => [.. results[i].GetProperty("eligible_licenses").EnumerateArray().Select(e => e.GetString()!)];
        Assert.Equal(["individual", "lvs"], Eligible(0));
        Assert.Equal(["individual"], Eligible(1)); // 165,001 JPY at 110 is just over 1,500 USD
        Assert.Equal(["individual", "lvs"], Eligible(2));
        Assert.Contains("not decided", results[2].GetProperty("license_conditions").GetProperty("lvs").GetString(), StringComparison.Ordinal);
    }
}
