using System.Text;
using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

/// <summary>Facts a regime declares, given by a shipment in JSON, CSV or flags, checked against the regime and evaluated.</summary>
public sealed class DeclaredFactsTests
{
    private const string Content = """
        jurisdiction: {id: XT, name: Test, law: test, coverage_from: 2019-01-01, exporters: {countries: [XK]}, cite: test}
        facts:
          - {id: military_end_user, type: boolean, default: false, description: the end user is military, cite: s9}
          - {id: sector, type: enumeration, values: [energy, defence], description: the end user's sector, cite: s10}
          - {id: power, type: amount, description: rated power, cite: s11}
        items:
          - {code: "1A001", title: item, cite: list}
        requirements:
          - {id: xt.mil, kind: catch-all, title: military end users, items: any, destinations: any, when: {military_end_user: true}, cite: s9}
          - {id: xt.defence, kind: catch-all, title: defence sector, items: any, destinations: any, when: {sector: defence}, cite: s10}
          - {id: xt.power, kind: catch-all, title: high power, items: any, destinations: any, when: {power: ">= 1000 W"}, cite: s11}
        license_types:
          - {id: individual, name: Individual, cite: s2}
        license_scope:
          - {id: a, license: individual, effect: allow, title: any, items: any, destinations: any, cite: s2}
        """;

    private static readonly Evaluator Evaluator = new(ContentLoader.Load([("xt.yaml", Content)]));

    private const string Shipment = "\"date\": \"2020-01-01\", \"from\": \"XK\", \"to\": \"CN\", \"item\": \"XT:1A001\"";

    private static CheckedLine Check(ShipmentLine line) => new CheckService(Evaluator, EndUserScreening.None).Check(line);

    private static CheckedLine Json(string facts) =>
        Check(new JsonLineReader().Read(Encoding.UTF8.GetBytes("{" + Shipment + (facts.Length == 0 ? "" : ", \"facts\": " + facts) + "}"), 1));

    private static CheckedLine Csv(string header, string record) =>
        Check(CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes($"date,from,to,item,{header}\n2020-01-01,XK,CN,XT:1A001,{record}\n")), "orders.csv").Single());

    private static CheckedLine Flags(params FactText[] facts) =>
        Check(new ShipmentText(new ShipmentId("cli", false), "2020-01-01", "XK", "CN", ["XT:1A001"], Facts: facts).Validate(1));

    private static Verdict VerdictOf(CheckedLine line)
    {
        Assert.True(line.Error is null, line.Error?.Message);
        return line.Result!.Determination.Verdict;
    }

    [Theory]
    [InlineData("""{"military_end_user": true, "sector": "energy"}""", Verdict.LicenseRequired)]
    [InlineData("""{"military_end_user": false, "sector": "energy", "power": {"amount": 5, "unit": "W"}}""", Verdict.NoLicenseRequired)]
    [InlineData("""{"sector": "energy", "power": {"amount": 5, "unit": "W"}}""", Verdict.NoLicenseRequired)] // military_end_user defaults to false
    [InlineData("""{"sector": "defence"}""", Verdict.LicenseRequired)]
    [InlineData("""{"sector": "energy", "power": {"amount": 1500, "unit": "W"}}""", Verdict.LicenseRequired)]
    [InlineData("""{"sector": "\u0065nergy", "power": {"amount": 999.5, "unit": "W"}}""", Verdict.NoLicenseRequired)]
    public void Check_JsonFacts_DecideTheRulesThatTestThem(string facts, Verdict expected)
    {
        Assert.Equal(expected, VerdictOf(Json(facts)));
    }

    [Fact]
    public void Check_JsonFacts_ReachTheShipmentAsText()
    {
        var line = Json("""{"military_end_user": true, "sector": "energy", "power": {"amount": 1500.50, "unit": "W"}}""");

        Assert.Equal(
            new Dictionary<string, string> { ["military_end_user"] = "true", ["sector"] = "energy", ["power"] = "1500.50 W" },
            line.Result!.Shipment.Facts);
    }

    [Fact]
    public void Check_NoFactWithoutDefault_IndeterminateNamingTheFact()
    {
        var line = Json("");

        Assert.Equal(Verdict.Indeterminate, VerdictOf(line));
        Assert.Null(line.Result!.Shipment.Facts);
        Assert.Contains(line.Result.Determination.MissingFacts, m => m.Contains("sector", StringComparison.Ordinal));
    }

    [Theory]
    [InlineData("""{"sector": "energy", "army": true}""", "line 1: field 'facts.army': not a fact of XT (declared: military_end_user, sector, power)")]
    [InlineData("""{"military_end_user": "energy"}""", "line 1: field 'facts.military_end_user': 'energy' is not true or false (XT's military_end_user is a boolean)")]
    [InlineData("""{"sector": "mining"}""", "line 1: field 'facts.sector': 'mining' is not one of energy, defence (XT's sector)")]
    [InlineData("""{"sector": true}""", "line 1: field 'facts.sector': 'true' is not one of energy, defence (XT's sector)")]
    [InlineData("""{"power": "lots"}""", "line 1: field 'facts.power': 'lots' is not an amount with its unit such as \"1500 W\" (XT's power)")]
    [InlineData("""{"end_use": "civil"}""", "line 1: field 'facts.end_use': 'end_use' is a built-in fact: give it in the field 'end_use'")]
    [InlineData("""{"end_user_listed": false}""", "line 1: field 'facts.end_user_listed': 'end_user_listed' is a built-in fact: give it in the field 'end_user' (screening decides it)")]
    public void Check_FactsNotOfTheRegime_ErrorNamingTheField(string facts, string message)
    {
        var line = Json(facts);

        Assert.Equal("invalid-field", line.Error?.Code);
        Assert.Equal(message, line.Error!.Message);
    }

    [Theory]
    [InlineData("""[]""", "line 1: field 'facts': expected an object of declared facts {\"<id>\": <value>, ...}")]
    [InlineData("""{"sector": 7}""", "line 1: field 'facts.sector': expected true, false, a string or an amount {\"amount\": ..., \"unit\": ...}")]
    [InlineData("""{"power": {"amount": 1, "unit": "W", "at": 5}}""", "line 1: field 'facts.power': expected an amount {\"amount\": ..., \"unit\": ...} (no other members)")]
    [InlineData("""{"power": {"amount": "1", "unit": "W"}}""", "line 1: field 'facts.power.amount': expected a number")]
    [InlineData("""{"power": {"amount": -1, "unit": "W"}}""", "line 1: field 'facts.power.amount': '-1' is not a non-negative decimal number such as 1200.50")]
    [InlineData("""{"power": {"amount": 1}}""", "line 1: missing required field 'facts.power.unit'")]
    [InlineData("""{"": true}""", "line 1: field 'facts': a fact without an id")]
    [InlineData("""{"sector": "energy", "sector": "defence"}""", "line 1: field 'facts.sector': given twice")]
    [InlineData("""{"sector": "\ud800"}""", "line 1: field 'facts.sector': not valid UTF-8 text")]
    public void Read_MalformedFacts_SameErrorInBothReaders(string facts, string message)
    {
        var json = Encoding.UTF8.GetBytes("{" + Shipment + ", \"facts\": " + facts + "}");

        Assert.Equal(message, new JsonLineReader().Read(json, 1).Error?.Message);
        Assert.Equal(message, ReferenceJsonLineReader.Read(json, 1).Error?.Message);
    }

    [Fact]
    public void Read_LineWithoutFacts_NoDictionary()
    {
        var line = new JsonLineReader().Read(Encoding.UTF8.GetBytes("{" + Shipment + ", \"facts\": null}"), 1);

        Assert.Null(line.Error);
        Assert.Null(line.Shipment!.Facts);
    }

    [Theory]
    [InlineData("fact:military_end_user,fact:sector,fact:power", "true,energy,5 W", Verdict.LicenseRequired)]
    [InlineData("fact:military_end_user,fact:sector,fact:power", "false,energy,5 W", Verdict.NoLicenseRequired)]
    [InlineData("fact:military_end_user,fact:sector,fact:power", ",energy,5 W", Verdict.NoLicenseRequired)]
    [InlineData("fact:sector,fact:power", "energy,1500 W", Verdict.LicenseRequired)]
    [InlineData("fact:military_end_user", "false", Verdict.Indeterminate)]
    public void Check_CsvFactColumns_DecideTheRules(string header, string record, Verdict expected)
    {
        Assert.Equal(expected, VerdictOf(Csv(header, record)));
    }

    [Theory]
    [InlineData("fact:army", "true", "line 2: field 'facts.army': not a fact of XT (declared: military_end_user, sector, power)")]
    [InlineData("fact:military_end_user", "yes", "line 2: field 'facts.military_end_user': 'yes' is not true or false (XT's military_end_user is a boolean)")]
    [InlineData("fact:power", "1500", "line 2: field 'facts.power': '1500' is not an amount with its unit such as \"1500 W\" (XT's power)")]
    public void Check_CsvFactColumns_ErrorNamingTheField(string header, string record, string message)
    {
        Assert.Equal(message, Csv(header, record).Error?.Message);
    }

    [Fact]
    public void Read_CsvFactColumnWithoutId_HeaderError()
    {
        var error = Assert.Throws<CsvHeaderException>(() => CsvShipmentReader.Read(new MemoryStream("date,fact:\n"u8.ToArray()), "orders.csv").ToList());

        Assert.Contains("unknown column(s) fact:", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_FlagFacts_DecideTheRules()
    {
        Assert.Equal(Verdict.LicenseRequired, VerdictOf(Flags(new FactText("military_end_user", "true"), new FactText("sector", "energy"))));
        Assert.Equal(Verdict.NoLicenseRequired, VerdictOf(Flags(new FactText("military_end_user", "false"), new FactText("sector", "energy"), new FactText("power", "5 W"))));
    }

    [Fact]
    public void Check_FlagFactUndeclaredOrWithoutValue_ErrorNamingTheField()
    {
        Assert.Equal("line 1: field 'facts.army': not a fact of XT (declared: military_end_user, sector, power)", Flags(new FactText("army", "true")).Error?.Message);
        Assert.Equal("line 1: field 'facts.sector': no value given (id=value)", Flags(new FactText("sector", null)).Error?.Message);
    }

    [Fact]
    public void Check_FactsThroughTheBatch_ResultOrErrorPerLine()
    {
        var output = new MemoryStream();
        CheckBatch.Run(new CheckService(Evaluator, EndUserScreening.None), new ResultJson(false), JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(
            "{" + Shipment + ", \"facts\": {\"military_end_user\": true, \"sector\": \"energy\"}}\n{" + Shipment + ", \"facts\": {\"army\": true}}\n"))), output);

        var results = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("license-required", results[0].GetProperty("verdict").GetString());
        Assert.Equal("invalid-field", results[1].GetProperty("error").GetProperty("code").GetString());
    }
}
