using System.Text;
using System.Text.Json;
using Clearance.Application;
using Clearance.Content;
using Clearance.Evaluation;

namespace Clearance.Application.Tests;

public sealed class CheckBatchTests
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());

    internal static (List<JsonElement> Results, BatchSummary Summary) Run(string input, Stream? source = null, bool trace = false, IEnumerable<ShipmentLine>? lines = null)
    {
        var output = new MemoryStream();
        var summary = CheckBatch.Run(new CheckService(Evaluator, EndUserScreening.None), new ResultJson(trace), lines ?? JsonLinesInput.Read(source ?? new MemoryStream(Encoding.UTF8.GetBytes(input))), output);
        var written = Encoding.UTF8.GetString(output.ToArray()).Split('\n', StringSplitOptions.RemoveEmptyEntries);
        return ([.. written.Select(l => JsonDocument.Parse(l).RootElement)], summary);
    }

    [Fact]
    public void Run_ContractExample_LicenseRequiredIndividualOnly()
    {
        var (results, summary) = Run("""{"id": "o-1", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil", "end_user": "Example Co., Ltd.", "informed": false, "value": {"amount": 5000000, "currency": "JPY"}, "held": ["general-bulk"]}""");

        var r = Assert.Single(results);
        Assert.Equal(0, summary.Errors);
        Assert.Equal("o-1", r.GetProperty("id").GetString());
        Assert.Equal("2019-07-04", r.GetProperty("as_of").GetString());
        Assert.Equal("JP", r.GetProperty("jurisdiction").GetString());
        Assert.Equal("license-required", r.GetProperty("verdict").GetString());
        Assert.Equal(["individual"], r.GetProperty("eligible_licenses").EnumerateArray().Select(e => e.GetString()));
        Assert.Equal(JsonValueKind.Null, r.GetProperty("covered_by").ValueKind);
        Assert.Equal(90, r.GetProperty("review_days").GetInt32());
        Assert.Equal("list", r.GetProperty("grounds")[0].GetProperty("kind").GetString());
        Assert.Contains("Appended Table 1", r.GetProperty("grounds")[0].GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Contains("row 3(1)", r.GetProperty("grounds")[0].GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.StartsWith("sha256:", r.GetProperty("content_version").GetString(), StringComparison.Ordinal);
        Assert.False(string.IsNullOrEmpty(r.GetProperty("explanation").GetString()));
    }

    [Fact]
    public void Run_WorkflowFields_AcceptedAndTheResultUnchanged()
    {
        const string Line = """{"id": "o-1", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:7(19)"WORKFLOW}""";
        var plain = Run(Line.Replace("WORKFLOW", "", StringComparison.Ordinal)).Results;
        var submitted = Run(Line.Replace("WORKFLOW", """, "order": "PO-1", "line": 1, "exporter": "Example Co.", "license": "L-1" """.TrimEnd(), StringComparison.Ordinal)).Results;

        Assert.Equal(plain[0].GetRawText(), submitted[0].GetRawText());
    }

    [Fact]
    public void Run_Trace_ItemCitationAndRulesConsulted()
    {
        var (results, _) = Run("""{"id": "t", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)"}""", trace: true);

        Assert.Contains("3(1)", results[0].GetProperty("item").GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Contains(results[0].GetProperty("trace").EnumerateArray(), t => t.GetProperty("rule").GetString() == "jp.kr-2019-07.general-bulk-withdrawn");
    }

    [Fact]
    public void Run_OneOutcomeForSeveralItems_EachListGroundCitesTheLinesOwnItem()
    {
        // The compact form is shared by the items of one outcome, the item's citation written in per line; with --trace
        // each item has its own form. Both must cite the same text for every ground of every line.
        // 3A001.a.1 and 3A002.a.1 to China: one outcome (NS column 2), two entries of the list cited.
        string[] items = ["US:3A001.a.1", "US:3A002.a.1", "US:3A001.a.1", "US:3A001.b.2", "US:5A002.a", "JP:3(1)", "JP:7(19)", "JP:3(1)"];
        var input = string.Join('\n', items.Select((item, i) =>
            $$"""{"id": "l-{{i}}", "date": "2024-05-02", "from": "{{item[..2]}}", "to": "CN", "item": "{{item}}", "end_use": "civil", "value": {"amount": 900000, "currency": "USD"} }"""));

        var compact = Run(input).Results;
        var traced = Run(input, trace: true).Results;

        static string[] Citations(JsonElement r) => [.. r.GetProperty("grounds").EnumerateArray().Select(g => $"{g.GetProperty("rule").GetString()}: {g.GetProperty("citation").GetString()}")];
        Assert.Equal(items.Length, compact.Count);
        for (var i = 0; i < items.Length; i++)
        {
            Assert.NotEmpty(Citations(compact[i]));
            Assert.Equal(Citations(traced[i]), Citations(compact[i]));
        }

        // Each provision once, the eCFR day once, no data file (issue 13).
        Assert.Equal("us.ccl.NS2: 15 CFR 738.4(a)(2); 15 CFR 738 Supp. 1 (Commerce Country Chart), column NS2; 15 CFR 774 Supp. 1, ECCN 3A001 (eCFR 2026-07-23)", Citations(compact[0])[0]);
        Assert.Contains("ECCN 3A002", Citations(compact[1])[0], StringComparison.Ordinal);
        Assert.Equal(compact[0].GetRawText().Replace("l-0", "l-2", StringComparison.Ordinal), compact[2].GetRawText());
        Assert.Equal(compact[0].GetProperty("explanation").GetString(), compact[1].GetProperty("explanation").GetString());
    }

    [Fact]
    public void Run_UnconfirmedItem_NamedInUnconfirmed()
    {
        var (results, _) = Run("""{"id": "u", "date": "2020-01-10", "from": "JP", "to": "US", "item": "JP:7(19)"}""");

        Assert.Contains("JP:7(19)", results[0].GetProperty("unconfirmed").EnumerateArray().Select(e => e.GetString()));
    }

    [Fact]
    public void Run_HeldEligibleLicense_CoveredBy()
    {
        var (results, _) = Run("""{"id": 7, "date": "2019-07-03", "from": "JP", "to": "KR", "item": "JP:3(1)", "held": ["specific-bulk", "general-bulk"]}""");

        Assert.Equal(7, results[0].GetProperty("id").GetInt32());
        Assert.Equal("general-bulk", results[0].GetProperty("covered_by").GetString());
    }

    [Fact]
    public void Run_BadLines_ErrorsNameFieldAndLine_BatchGoesOn()
    {
        var input = string.Join('\n',
            """{"id": "a", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)"}""",
            """{"id": "b", "date": "2019-02-30", "from": "JP", "to": "KR", "item": "JP:3(1)"}""",
            """{"id": "c", "date": "2019-07-04", "from": "JP", "to": "XX", "item": "JP:3(1)"}""",
            """{"id": "d", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:99(1)"}""",
            """{"id": "e", "date": "2019-07-04", "from": "JP", "to": "KR"}""",
            """{"id": "f", "date": "2019-07-04", "from": "JP", """,
            """{"id": "g", "date": "2019-07-04", "from": "DE", "to": "KR", "item": "JP:3(1)"}""",
            """{"id": "h", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "peaceful"}""",
            "",
            """{"id": "i", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:16", "end_use": "wmd"}""");

        var (results, summary) = Run(input);

        Assert.Equal(9, results.Count);
        Assert.Equal(7, summary.Errors);
        Assert.Equal(["a", "b", "c", "d", "e", "f", "g", "h", "i"], results.Select(r => r.GetProperty("id").GetString()));
        string Error(int i, string what) => results[i].GetProperty("error").GetProperty(what).GetString()!;
        Assert.Equal("invalid-date", Error(1, "code"));
        Assert.Contains("line 2: field 'date'", Error(1, "message"), StringComparison.Ordinal);
        Assert.Equal("unknown-country", Error(2, "code"));
        Assert.Contains("field 'to'", Error(2, "message"), StringComparison.Ordinal);
        Assert.Equal("unknown-item", Error(3, "code"));
        Assert.Equal("missing-field", Error(4, "code"));
        Assert.Contains("line 5: missing required field 'item'", Error(4, "message"), StringComparison.Ordinal);
        Assert.Equal("malformed-json", Error(5, "code"));
        Assert.Contains("line 6", Error(5, "message"), StringComparison.Ordinal);
        Assert.Equal("unsupported-jurisdiction", Error(6, "code"));
        Assert.Equal("invalid-field", Error(7, "code"));
        Assert.Contains("field 'end_use'", Error(7, "message"), StringComparison.Ordinal);
        Assert.Equal("no-license-required", results[8].GetProperty("verdict").GetString()); // Korea still in Group A: no catch-all
        Assert.False(results[8].TryGetProperty("error", out _));
    }

    /// <summary>Lines of the three regimes over several chunks: items, destinations, dates, held licences, combined (JP+US) lines and lines in error, so that chunks' outputs differ.</summary>
    private static string ManyLines(int count)
    {
        string[] items = ["JP:3(1)", "JP:7(19)", "JP:16", "KR:3C002", "KR:NS", "US:3A001.a.1", "US:5A002.a", "US:3A002.a.1", "JP:3(1) US:3A001.a.1", "JP:99(1)"];
        string[] to = ["KR", "CN", "US", "DE", "RU", "IR", "XX"];
        string[] dates = ["2019-07-04", "2020-01-01", "2023-06-30", "2024-05-02", "2019-02-30"];
        return string.Join('\n', Enumerable.Range(0, count).Select(i =>
        {
            var item = items[i % items.Length];
            var from = item[..2] == "US" ? "US" : item[..2];
            var held = i % 7 == 0 ? """, "held": ["general-bulk", "Individual"]""" : "";
            return i % 97 == 5
                ? $$"""{"id": "l-{{i}}", "date": "2020-01-01", """
                : $$"""{"id": "l-{{i}}", "date": "{{dates[i / 3 % dates.Length]}}", "from": "{{from}}", "to": "{{to[i / 11 % to.Length]}}", "item": "{{item}}", "end_use": "civil", "value": {"amount": {{900 * (i % 13)}}, "currency": "USD"}{{held}}}""";
        }));
    }

    private static (byte[] Output, BatchSummary Summary, Exception? Failure) RunBytes(IEnumerable<ShipmentLine> lines, int checkers, bool trace = false)
    {
        var output = new MemoryStream();
        try
        {
            var summary = CheckBatch.Run(new CheckService(Evaluator, EndUserScreening.None), new ResultJson(trace), lines, output, checkers);
            return (output.ToArray(), summary, null);
        }
        catch (InvalidOperationException e)
        {
            return (output.ToArray(), default, e);
        }
    }

    private static IEnumerable<ShipmentLine> Read(string text) => JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)));

    [Theory]
    [InlineData(2, false)]
    [InlineData(3, false)]
    [InlineData(2, true)]
    public void Run_SeveralCheckersOverManyChunks_SameBytesAsOne(int checkers, bool trace)
    {
        var input = ManyLines((CheckBatch.ChunkSize * 3) + 77);

        var one = RunBytes(Read(input), 1, trace);
        var several = RunBytes(Read(input), checkers, trace);

        Assert.Equal((CheckBatch.ChunkSize * 3) + 77, one.Summary.Lines);
        Assert.True(one.Summary.Errors > 0);
        Assert.Equal(one.Summary, several.Summary);
        Assert.Equal(one.Output, several.Output);
    }

    [Fact]
    public void Run_TwoCheckersLessThanAChunk_SameBytesAsOne()
    {
        var input = ManyLines(40);

        var one = RunBytes(Read(input), 1);
        var two = RunBytes(Read(input), 2);

        Assert.Equal(40, two.Summary.Lines);
        Assert.Equal(one.Output, two.Output);
    }

    [Fact]
    public void Run_TwoCheckersInputFailsAfterSomeChunks_LinesBeforeWrittenThenThrows()
    {
        var input = ManyLines((CheckBatch.ChunkSize * 2) + 300);
        IEnumerable<ShipmentLine> Failing()
        {
            foreach (var line in Read(input))
            {
                yield return line;
            }

            throw new InvalidOperationException("input broke");
        }

        var one = RunBytes(Failing(), 1);
        var two = RunBytes(Failing(), 2);

        Assert.Equal("input broke", one.Failure?.Message);
        Assert.Equal("input broke", two.Failure?.Message);
        Assert.Equal(RunBytes(Read(input), 1).Output, two.Output);
        Assert.Equal(one.Output, two.Output);
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void Run_CheckThrowsInALaterChunk_LinesBeforeWrittenThenThrows(int checkers)
    {
        var input = ManyLines((CheckBatch.ChunkSize * 3) + 10);
        var failAt = CheckBatch.ChunkSize + 500;
        var output = new MemoryStream();

        var failure = Record.Exception(() => CheckBatch.Run(new FailingAt(new CheckService(Evaluator, EndUserScreening.None), failAt), new ResultJson(false), Read(input), output, checkers));

        Assert.Equal($"line {failAt}", Assert.IsType<InvalidOperationException>(failure).Message);
        var before = string.Join('\n', input.Split('\n').Take(failAt - 1));
        Assert.Equal(RunBytes(Read(before), 1).Output, output.ToArray());
    }

    /// <summary>A check that fails on one line (a bug in a service), to see what the batch writes before it stops.</summary>
    private sealed class FailingAt(IShipmentCheck check, long line) : IShipmentCheck
    {
        public CheckedLine Check(ShipmentLine shipmentLine) =>
            shipmentLine.Line == line ? throw new InvalidOperationException($"line {line}") : check.Check(shipmentLine);
    }

    [Fact]
    public void Run_NoTrailingNewlineAndCrLf_AllLinesRead()
    {
        var (results, summary) = Run("{\"id\":\"x\",\"date\":\"2020-01-01\",\"from\":\"KR\",\"to\":\"JP\",\"item\":\"KR:3C002\"}\r\n{\"id\":\"y\",\"date\":\"2024-01-01\",\"from\":\"KR\",\"to\":\"JP\",\"item\":\"KR:3C002\"}");

        Assert.Equal(0, summary.Errors);
        Assert.Equal(15, results[0].GetProperty("review_days").GetInt32());
        Assert.Equal(5, results[1].GetProperty("review_days").GetInt32());
    }

    [Fact]
    public void Run_LineLongerThanBlock_Read()
    {
        var padding = new string('x', 3 << 20);
        var line = $$"""{"id":"long","end_user":"{{padding}}","date":"2020-01-01","from":"JP","to":"US","item":"JP:8"}""";
        var (results, summary) = Run("", lines: JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(line)), maxLineLength: 8 << 20));

        Assert.Equal(0, summary.Errors);
        Assert.Equal("long", results[0].GetProperty("id").GetString());
    }

    [Fact]
    public void Run_EndUserGivenWithoutLists_IndeterminateNamesScreening()
    {
        var (results, _) = Run("""{"id":"eu","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","end_user":"Beijing University of Aeronautics & Astronautics"}""");

        Assert.Equal("indeterminate", results[0].GetProperty("verdict").GetString());
        Assert.Contains("meti-eul", results[0].GetProperty("missing_facts")[0].GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_Csv_SameFieldsAsColumns_ErrorsCarryCsvLine()
    {
        var csv = "id,date,from,to,item,end_use,held\nc1,2019-07-04,JP,KR,JP:7(19),civil,general-bulk;individual\nc2,2019-07-04,JP,KR\n\"c,3\",2019-12-20,JP,KR,JP:7(19),civil,specific-bulk\n";
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv");

        var (results, summary) = Run("", lines: lines);

        Assert.Equal(1, summary.Errors);
        Assert.Equal("individual", results[0].GetProperty("covered_by").GetString());
        Assert.Equal("invalid-csv", results[1].GetProperty("error").GetProperty("code").GetString());
        Assert.Contains("orders.csv:3: 4 columns where the header has 7", results[1].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
        Assert.Equal("c,3", results[2].GetProperty("id").GetString());
        Assert.Equal("specific-bulk", results[2].GetProperty("covered_by").GetString());
    }

    [Fact]
    public void Run_CsvClassificationsValueAndQuantityColumns_ReadAsShipments()
    {
        var csv = "id,date,from,to,item,value_amount,value_currency,quantity_amount,quantity_unit,end_user_decision\n"
            + "a,2019-07-04,JP,KR,US:3B993;JP:3(1),1200.50,USD,5,kg,confirmed\n"
            + "b,2019-07-04,JP,KR,JP:3(1),1200.50,,,,\n"
            + "c,2019-07-04,JP,KR,JP:3(1),,,,,maybe\n";
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv").ToList();

        var a = lines[0].Shipment!;
        Assert.Equal(["US:3B993", "JP:3(1)"], a.Classifications);
        Assert.Equal((new Money(1200.50m, "USD"), new Quantity(5, "kg"), EndUserDecision.Confirmed), (a.Value, a.Quantity, a.EndUserDecision));
        Assert.Equal("line 3: missing required field 'value.currency'", lines[1].Error!.Message);
        Assert.Equal("line 4: field 'end_user_decision': 'maybe' is not one of confirmed, cleared", lines[2].Error!.Message);
        var (results, summary) = Run("", lines: lines);
        Assert.Equal(2, summary.Errors);
        Assert.Equal("license-required", results[0].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Run_CsvQuotedLineBreak_LaterErrorsKeepTheirCsvLine()
    {
        var csv = "id,date,from,to,item\n\"multi\nline\",2019-07-04,JP,KR,JP:3(1)\nbad,2019-13-01,JP,KR,JP:3(1)\n";
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv");

        var (results, summary) = Run("", lines: lines);

        Assert.Equal(1, summary.Errors);
        Assert.Equal("multi\nline", results[0].GetProperty("id").GetString());
        Assert.Contains("line 4: field 'date'", results[1].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CsvTruncatedQuote_ErrorNamesFileAndLine()
    {
        var csv = "id,date,from,to,item\nok,2019-07-04,JP,KR,JP:3(1)\n\"open,2019-07-04,JP,KR,JP:3(1)\n";
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv");

        var (results, summary) = Run("", lines: lines);

        Assert.Equal(1, summary.Errors);
        Assert.Equal("license-required", results[0].GetProperty("verdict").GetString());
        Assert.Contains("orders.csv:3", results[1].GetProperty("error").GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Run_CsvUnknownColumn_RefusedNamingTheNearest()
    {
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("id,date,frm\n")), "orders.csv");

        var error = Assert.Throws<CsvHeaderException>(() => Run("", lines: lines));
        Assert.Equal("orders.csv:1: unknown column 'frm': did you mean 'from'?", error.Message);
    }

    [Fact]
    public void Run_CsvUnknownColumns_RefusedListingTheKnown()
    {
        var lines = CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes("id,date,order_no,note\n")), "orders.csv");

        var error = Assert.Throws<CsvHeaderException>(() => Run("", lines: lines));
        Assert.Contains("orders.csv:1: unknown column(s) order_no, note; expected id, date", error.Message, StringComparison.Ordinal);
    }
}
