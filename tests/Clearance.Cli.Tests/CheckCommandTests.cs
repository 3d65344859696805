using System.Diagnostics;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;

namespace Clearance.Cli.Tests;

/// <summary>A list database with the full Consolidated Screening List (DPL, Entity List, ...) and METI's End User List, imported once.</summary>
public sealed class CheckListsFixture : IDisposable
{
    public CheckListsFixture()
    {
        Db = Path.Combine(Path.GetTempPath(), $"clearance-check-test-{Guid.NewGuid():N}.db");
        Import("csl-csv", SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"));
        Import("meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
    }

    public string Db { get; }

    private void Import(string format, string file)
    {
        var (code, _, stderr) = CommandLineTests.ClearanceWithDb(Db, "lists", "import", "--format", format, file);
        Assert.True(code == 0, stderr);
    }

    public void Dispose()
    {
        foreach (var file in Directory.GetFiles(Path.GetDirectoryName(Db)!, Path.GetFileName(Db) + "*"))
        {
            File.Delete(file);
        }
    }
}

/// <summary>
/// <c>clearance check</c> as a person and a script use it: the issue's examples (BIS DPL, Entity List, Beihang) in a
/// pseudo-terminal at 80 and 120 columns, input values as people type them, every input and output format, exit codes.
/// </summary>
public sealed partial class CheckCommandTests(CheckListsFixture lists) : IClassFixture<CheckListsFixture>, IDisposable
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "clearance.dll");
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clearance-check-");

    public void Dispose() => _dir.Delete(recursive: true);

    private string FileOf(string name, byte[] bytes)
    {
        var path = Path.Combine(_dir.FullName, name);
        File.WriteAllBytes(path, bytes);
        return path;
    }

    private string FileOf(string name, string text) => FileOf(name, Encoding.UTF8.GetBytes(text));

    /// <summary>Runs clearance with redirected output (and <paramref name="stdin"/> when given), as a script does.</summary>
    private (int ExitCode, string Stdout, string Stderr) RunWithInput(string? stdin, params string[] args) => CliRunner.Run(lists.Db, stdin, args);

    private (int ExitCode, string Stdout, string Stderr) Run(params string[] args) => RunWithInput(null, args);

    /// <summary>Runs clearance in a pseudo-terminal of <paramref name="columns"/> columns, as a person sees it.</summary>
    private (int ExitCode, string Raw, string Text) Terminal(int columns, params string[] args) => CliRunner.Terminal(lists.Db, columns, args);

    /// <summary>The text with table borders removed and runs of blanks made one: a wrapped cell reads as one phrase.</summary>
    private static string Flat(string text) => Blanks().Replace(Borders().Replace(text, " "), " ");

    [GeneratedRegex(@"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"[│╭╮╰╯─┬┴┼├┤]")]
    private static partial Regex Borders();

    [GeneratedRegex(@"\s+")]
    private static partial Regex Blanks();

    /// <summary>orange1, the warning colour, in 256-colour mode.</summary>
    private const string WarningColour = "\u001b[38;5;214m";

    private static readonly string[] MahanAir =
        ["check", "--from", "JP", "--to", "AE", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil", "--end-user", "Mahan Air General Trading LLC"];

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Check_EndUserOnDeniedPersonsList_WarningVisibleInItsColourOnATerminal(int columns)
    {
        var (code, raw, text) = Terminal(columns, MahanAir);

        Assert.Equal(0, code);
        var flat = Flat(text);
        Assert.Contains("no-license-required", flat, StringComparison.Ordinal);
        Assert.Contains("end user warning", flat, StringComparison.Ordinal);
        Assert.Contains("csl-dpl 855 MAHAN AIR GENERAL TRADING LLC", flat, StringComparison.Ordinal);
        Assert.Contains("warning: listed on another restricted-party list", flat, StringComparison.Ordinal);
        Assert.Contains("End user 'Mahan Air General Trading LLC' matches", flat, StringComparison.Ordinal); // in the explanation
        Assert.Contains(WarningColour + "csl-dpl 855", raw, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(80, "JP", "CN", "JP:16", "Huawei Technologies Co., Ltd.", "csl-el 5207 Huawei Technologies Co., Ltd.")]
    [InlineData(120, "KR", "CN", "KR:NS", "Beihang University", "meti-eul 501 Beijing University of Aeronautics and Astronautics")]
    [InlineData(80, "KR", "CN", "KR:NS", "Beihang University", "csl-el 5176 Beijing University of Aeronautics and Astronautics")]
    public void Check_IssueExamples_EveryListHitVisibleOnATerminal(int columns, string from, string to, string item, string endUser, string shown)
    {
        var (code, _, text) = Terminal(columns, "check", "--from", from, "--to", to, "--item", item, "--date", "2024-01-01", "--end-use", "civil", "--end-user", endUser);

        Assert.Equal(0, code);
        Assert.Contains(shown, Flat(text), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EndUserOnTheEndUserList_MatchInRedAsTheGround()
    {
        var (code, raw, text) = Terminal(80, "check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil", "--end-user", "Beihang University");

        Assert.Equal(0, code);
        var flat = Flat(text);
        Assert.Contains("license-required", flat, StringComparison.Ordinal);
        Assert.Contains("end user match", flat, StringComparison.Ordinal);
        Assert.Contains("end-user ground", flat, StringComparison.Ordinal);
        Assert.Contains("\u001b[38;5;9mmeti-eul 501", raw, StringComparison.Ordinal); // red
        Assert.Contains("screened against", flat, StringComparison.Ordinal); // the list versions the answer used
        Assert.Contains("meti-eul v1 (2025-09-29)", flat, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ConsigneeFlag_ScreenedAndShownAsWarning()
    {
        var (code, stdout, _) = Run("check", "--from", "JP", "--to", "AE", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil",
            "--consignee", "Mahan Air General Trading LLC", "--output", "json");

        Assert.Equal(0, code);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Contains(result.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("list").GetString() == "csl-dpl");
        Assert.Contains("Consignee 'Mahan Air General Trading LLC' matches", result.GetProperty("explanation").GetString(), StringComparison.Ordinal);
        Assert.False(result.TryGetProperty("end_user_matches", out _));
    }

    [Theory]
    [InlineData("confirmed", "license-required")]
    [InlineData("cleared", "no-license-required")]
    public void Check_ConsigneeDecisionFlag_DecidesAPossibleConsigneeMatch(string decision, string verdict)
    {
        // 744.11(a): a possible Entity List match of the consignee (0.81), confirmed or cleared by the exporter's review.
        var (code, stdout, stderr) = Run("check", "--from", "US", "--to", "CN", "--item", "US:EAR99", "--date", "2024-01-01", "--end-use", "civil",
            "--end-user", "Kleine Baeckerei Mueller Hamburg", "--consignee", "Beihang University Hospital", "--consignee-decision", decision, "--output", "json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal(verdict, result.GetProperty("verdict").GetString());
        Assert.Contains(result.GetProperty("consignee_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.Contains($"possible match {decision} by consignee_decision", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_PurchaserAndIntermediateConsigneeFlags_ScreenedAsPartiesToTheTransaction()
    {
        // 748.5(c)-(d): the purchaser and the intermediate consignees; a denied person among them prohibits (736.2(b)(4)).
        var (code, stdout, stderr) = Run("check", "--from", "US", "--to", "AE", "--item", "US:EAR99", "--date", "2024-01-01", "--end-use", "civil",
            "--end-user", "Kleine Baeckerei Mueller Hamburg", "--purchaser", "Huawei Technologies Co., Ltd.",
            "--intermediate-consignee", "Another Clean Trading GmbH Bremen", "--intermediate-consignee", "Mahan Air General Trading LLC", "--output", "json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("prohibited", result.GetProperty("verdict").GetString());
        Assert.Contains(result.GetProperty("purchaser_matches").EnumerateArray(), m => m.GetProperty("effect").GetString()!.StartsWith("a party to the transaction (purchaser): us_entity_list", StringComparison.Ordinal));
        Assert.Contains(result.GetProperty("intermediate_consignee_matches").EnumerateArray(), m => m.GetProperty("intermediate_consignee").GetString() == "Mahan Air General Trading LLC");
    }

    [Fact]
    public void Check_ConsigneeDecisionFlagInvalid_ErrorNamesTheField()
    {
        var (code, stdout, _) = Run("check", "--from", "US", "--to", "CN", "--item", "US:EAR99", "--date", "2024-01-01", "--consignee", "X", "--consignee-decision", "maybe", "--output", "json");

        Assert.Equal(2, code);
        Assert.Contains("field 'consignee_decision': 'maybe' is not one of confirmed, cleared", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CsvWithTheOtherParties_ReadAndScreened()
    {
        // intermediate_consignees ';'-separated: names hold commas.
        var csv = "id,date,from,to,item,end_use,end_user,purchaser,intermediate_consignees,consignee,consignee_decision\n"
            + "p1,2019-05-16,US,CN,US:EAR99,civil,Kleine Baeckerei Mueller Hamburg,,\"Another Clean Trading GmbH Bremen;Huawei Technologies Co., Ltd.\",Beihang University Hospital,cleared\n";
        var (code, stdout, stderr) = RunWithInput(csv, "check", "--input", "-", "--input-format", "csv", "--output", "json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("license-required", result.GetProperty("verdict").GetString());
        Assert.Contains(result.GetProperty("intermediate_consignee_matches").EnumerateArray(), m => m.GetProperty("intermediate_consignee").GetString() == "Huawei Technologies Co., Ltd.");
    }

    private string Batch() => FileOf("orders.jsonl", """
        {"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil","held":["individual"]}
        {"id":"o-2","date":"2024-01-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Mahan Air General Trading LLC"}
        {"id":"o-3","date":"2024-01-01","from":"KR","to":"CN","item":"KR:NS","end_use":"civil","end_user":"Beihang University"}
        {"id":"o-4","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","inform":true}
        {"id":"o-5","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","consignee":"Huawei Technologies Co., Ltd."}
        """);

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Check_BatchWithTheCollectorsHugePagesOnAndOff_SameBytes(string output)
    {
        // Enough lines for the collector to fill several regions of the advised range (CollectorHugePages).
        var orders = new StringBuilder();
        for (var i = 0; i < 20_000; i++)
        {
            var id = i.ToString(CultureInfo.InvariantCulture);
            var day = (1 + (i % 28)).ToString("00", CultureInfo.InvariantCulture);
            orders.Append((i % 4) switch
            {
                0 => $$"""{"id":"o-{{id}}","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil","held":["individual"]}""",
                1 => $$"""{"id":"o-{{id}}","date":"2024-01-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Mahan Air General Trading LLC"}""",
                2 => $$"""{"id":"o-{{id}}","date":"2024-01-01","from":"KR","to":"CN","item":"KR:NS","end_use":"civil","end_user":"Beihang University"}""",
                _ => $$"""{"id":"o-{{id}}","date":"2024-01-{{day}}","from":"JP","to":"CN","item":"JP:16","end_use":"civil","inform":true}""",
            }).Append('\n');
        }

        string[] args = ["check", "--input", FileOf("orders.jsonl", orders.ToString()), "--output", output];
        var advised = CliRunner.RunWith([], lists.Db, null, args);
        var off = CliRunner.RunWith([(Clearance.Application.CollectorHugePages.Variable, "0")], lists.Db, null, args);
        var wider = CliRunner.RunWith([(Clearance.Application.CollectorHugePages.Variable, "1024")], lists.Db, null, args);

        Assert.Equal(2, advised.Exit);
        Assert.Equal(20_000 + (output == "csv" ? 1 : 0), advised.Stdout.Count(c => c == '\n'));
        Assert.Equal(off, advised);
        Assert.Equal(off, wider);
    }

    [Theory]
    [InlineData(80)]
    [InlineData(120)]
    public void Check_BatchTable_OneRowPerLineEveryHitAndCountsByVerdict(int columns)
    {
        var (code, raw, text) = Terminal(columns, "check", "--input", Batch());

        Assert.Equal(2, code);
        var flat = Flat(text);
        Assert.Contains(columns >= 100 ? "id date from to item verdict covered by ground" : "id date from→to item verdict, covered by ground", flat, StringComparison.Ordinal);
        Assert.Contains(columns >= 100 ? "o-1 2019-07-04 JP KR JP:3(1) license-required individual list: jp.list-control" : "o-1 2019-07-04 JP→KR JP:3(1) license-required list: jp.list-control covered: individual", flat, StringComparison.Ordinal);
        // The verdict is never broken inside a word, at 80 columns either ("no-license-requi" / "red").
        Assert.Contains(columns >= 100 ? "o-2 2024-01-01 JP AE JP:16 no-license-required" : "o-2 2024-01-01 JP→AE JP:16 no-license-required", flat, StringComparison.Ordinal);
        Assert.Contains("end user on csl-dpl: MAHAN AIR GENERAL TRADING LLC", flat, StringComparison.Ordinal);
        Assert.Contains("end user on meti-eul: Beijing University of Aeronautics and Astronautics", flat, StringComparison.Ordinal);
        Assert.Contains("consignee on csl-el: Huawei Technologies Co., Ltd.", flat, StringComparison.Ordinal);
        Assert.Contains("unknown field 'inform': did you mean 'informed'?", flat, StringComparison.Ordinal);
        Assert.Contains("o-2 end user: csl-dpl 855 MAHAN AIR GENERAL TRADING LLC (score 1.00): warning", flat, StringComparison.Ordinal);
        Assert.Contains("5 line(s): 1 error, 1 indeterminate, 1 license-required, 2 no-license-required; 3 with a restricted-party match", flat, StringComparison.Ordinal);
        Assert.Contains(WarningColour + "⚠ end user on csl-dpl", raw, StringComparison.Ordinal);
        // One row per line: each id starts a line of the table once.
        var table = text[..text.IndexOf("restricted-party matches", StringComparison.Ordinal)];
        foreach (var id in new[] { "o-1", "o-2", "o-3", "o-4", "o-5" })
        {
            Assert.Single(table.Split('\n'), l => l.TrimStart().StartsWith(id + " ", StringComparison.Ordinal));
        }
    }

    [Fact]
    public void Check_BatchTableAt80Columns_SeveralRegimesOneClassificationALineGroundUnbroken()
    {
        var orders = FileOf("regimes.jsonl", """
            {"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}
            {"id":"o-2","date":"2024-01-01","from":"JP","to":"US","item":["JP:7(19)","US:3B993"]}
            """);

        var (code, _, text) = Terminal(80, "check", "--input", orders);

        Assert.Equal(0, code);
        var lines = text.Split('\n');
        // The rule id is not broken inside a word ("jp.list-contro" / "l"): the item column is as wide as one classification.
        Assert.Contains(lines, l => l.Contains("o-2", StringComparison.Ordinal) && l.Contains("JP:7(19)", StringComparison.Ordinal) && l.Contains("jp.list-control", StringComparison.Ordinal));
        Assert.Contains(lines, l => l.TrimStart().StartsWith("US:3B993", StringComparison.Ordinal) || l.Contains(" US:3B993 ", StringComparison.Ordinal));
    }

    [Fact]
    public void Check_TraceInTable_SingleAndBatchShowTheRules()
    {
        var single = Terminal(80, "check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--trace");
        var batch = Terminal(120, "check", "--input", Batch(), "--trace");

        Assert.Contains("jp.kr-2019-07.general-bulk-withdrawn: withdraws general-bulk", Flat(single.Text), StringComparison.Ordinal);
        Assert.Contains("trace of o-1", batch.Text, StringComparison.Ordinal);
        Assert.Contains("jp.embargo.north-korea", batch.Text, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_HeldLicenceForOneRegimeOfTwo_TableSaysItCoversThatRegimeOnly()
    {
        var shown = Terminal(120, "check", "--from", "JP", "--to", "KR", "--item", "JP:7(19)", "--item", "US:3B993", "--held", "JP:individual", "--date", "2019-09-02");

        Assert.Contains("not every regime: JP:individual covers its own regime only", Flat(shown.Text), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_CsvOutput_HeaderAndOneRowPerLine()
    {
        var (code, stdout, _) = Run("check", "--input", Batch(), "--output", "csv");

        Assert.Equal(2, code);
        var rows = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(6, rows.Length);
        Assert.StartsWith("id,line,as_of,from,to,item,jurisdiction,verdict,covered_by,eligible_licenses,grounds,", rows[0], StringComparison.Ordinal);
        Assert.StartsWith("o-1,1,2019-07-04,JP,KR,JP:3(1),JP,license-required,individual,individual,list: jp.list-control,90,", rows[1], StringComparison.Ordinal);
        Assert.Contains("csl-dpl 855 MAHAN AIR GENERAL TRADING LLC (score 1.00): warning", rows[2], StringComparison.Ordinal);
        Assert.Equal("o-4,4,,,,,,,,,,,,,,,,,unknown-field: line 4: unknown field 'inform': did you mean 'informed'?", rows[4]);
        // A cell with a comma is quoted; of equal scores the Entity List (a licence requirement) comes before CMIC (other).
        Assert.Contains(",\"csl-el 5207 Huawei Technologies Co., Ltd. (score 1.00)", rows[5], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--informed")]
    [InlineData("--informed", "yes")]
    [InlineData("--informed", "TRUE")]
    [InlineData("--informed", "1")]
    public void Check_InformedFlagAsSwitchOrValue_Informed(params string[] flag)
    {
        var (code, stdout, _) = Run(["check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil", .. flag, "--output", "json"]);

        Assert.Equal(0, code);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("license-required", result.GetProperty("verdict").GetString());
        Assert.Equal("catch-all", result.GetProperty("grounds")[0].GetProperty("kind").GetString());
    }

    [Theory]
    [InlineData("no")]
    [InlineData("False")]
    [InlineData("0")]
    public void Check_InformedFlagNo_NotInformed(string value)
    {
        var informed = Run("check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil", "--informed", value, "--output", "json");
        var absent = Run("check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01", "--end-use", "civil", "--output", "json");

        Assert.Equal(absent.Stdout, informed.Stdout);
    }

    [Fact]
    public void Check_InformedFlagBadValue_OneLineExit1()
    {
        var (code, stdout, stderr) = Run("check", "--from", "JP", "--to", "CN", "--item", "JP:16", "--date", "2024-01-01", "--informed", "maybe");

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal("error: --informed: 'maybe' is not one of true, false, yes, no, 1, 0", stderr.Trim());
    }

    [Fact]
    public void Check_HeldCommaSeparatedAnyCaseAndCountryNames_Covered()
    {
        var (code, stdout, _) = Run("check", "--from", "Japan", "--to", "south korea", "--item", "JP:3(1)", "--date", "2019-07-04",
            "--held", "General-Bulk,INDIVIDUAL", "--end-use", "Civil", "--output", "json");

        Assert.Equal(0, code);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("individual", result.GetProperty("covered_by").GetString());
        // On 2019-07-04 the Groups A-D did not exist yet (from 2019-08-02): Korea was a white country (Appended Table 3).
        Assert.Equal(["White country (Appended Table 3)"], result.GetProperty("destination_groups").EnumerateArray().Select(g => g.GetString()));
    }

    [Fact]
    public void Check_UnknownLicenceId_ErrorNamingItAndTheNearestExit2()
    {
        var (code, stdout, _) = Run("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--held", "individual,generl-bulk", "--output", "json");

        Assert.Equal(2, code);
        var error = JsonDocument.Parse(stdout).RootElement.GetProperty("error");
        Assert.Equal("unknown-licence", error.GetProperty("code").GetString());
        Assert.StartsWith("line 1: field 'held': 'generl-bulk' is not a licence type id: did you mean 'general-bulk'?", error.GetProperty("message").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_UnknownCountryName_ErrorWithNearestName()
    {
        var (code, stdout, _) = Run("check", "--from", "JP", "--to", "Sout Korea", "--item", "JP:3(1)", "--date", "2019-07-04", "--output", "json");

        Assert.Equal(2, code);
        Assert.Contains("'Sout Korea' is not a country", stdout, StringComparison.Ordinal);
        Assert.Contains("did you mean 'South Korea' (KR)?", stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_MisspeltJsonField_ErrorRecordWithNearestFieldOthersEvaluatedExit2()
    {
        var input = FileOf("typo.jsonl", """
            {"id":"a","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","inform":true}
            {"id":"b","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_use":"civil","informed":"yes"}
            """);

        var (code, stdout, _) = Run("check", "--input", input);

        Assert.Equal(2, code);
        var lines = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        Assert.Equal("line 1: unknown field 'inform': did you mean 'informed'?", lines[0].GetProperty("error").GetProperty("message").GetString());
        Assert.Equal("license-required", lines[1].GetProperty("verdict").GetString());
    }

    [Fact]
    public void Check_CsvFromStandardInput_InputFormatCsv()
    {
        var csv = "id,date,from,to,item,end_use,informed,held\nc1,2019-07-04,JP,KR,JP:3(1),civil,No,\"individual,general-bulk\"\n";

        var (code, stdout, stderr) = RunWithInput(csv, "check", "--input", "-", "--input-format", "csv", "--output", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal("individual", JsonDocument.Parse(stdout).RootElement.GetProperty("covered_by").GetString());
    }

    [Fact]
    public void Check_ShiftJisCsvWithJapaneseNames_ReadWithEncodingAndScreened()
    {
        InputEncodingName();
        var csv = "id,date,from,to,item,end_use,end_user\nsj1,2024-01-01,JP,CN,JP:16,civil,北京航空航天大学\n";
        var input = FileOf("orders-sjis.csv", System.Text.Encoding.GetEncoding(932).GetBytes(csv));

        var (code, stdout, stderr) = Run("check", "--input", input, "--encoding", "shift_jis", "--output", "json");

        Assert.True(code == 0, stderr);
        var result = JsonDocument.Parse(stdout).RootElement;
        Assert.Equal("license-required", result.GetProperty("verdict").GetString());
        Assert.Contains("北京航空航天大学", result.GetProperty("explanation").GetString(), StringComparison.Ordinal);
    }

    [Fact]
    public void Check_ShiftJisCsvWithoutEncoding_ErrorRecordNotMojibake()
    {
        InputEncodingName();
        var csv = "id,date,from,to,item,end_use,end_user\nsj1,2024-01-01,JP,CN,JP:16,civil,北京航空航天大学\n";
        var input = FileOf("orders-sjis.csv", System.Text.Encoding.GetEncoding(932).GetBytes(csv));

        var (code, stdout, _) = Run("check", "--input", input, "--output", "json");

        Assert.Equal(2, code);
        Assert.Equal("invalid-csv", JsonDocument.Parse(stdout).RootElement.GetProperty("error").GetProperty("code").GetString());
    }

    [Fact]
    public void Check_Utf16JsonLinesWithByteOrderMark_DetectedWithoutEncoding()
    {
        var json = """{"id":"u1","date":"2024-01-01","from":"JP","to":"AE","item":"JP:16","end_use":"civil","end_user":"Mahan Air General Trading LLC"}""" + "\n";
        var input = FileOf("orders-utf16.jsonl", [.. Encoding.Unicode.GetPreamble(), .. Encoding.Unicode.GetBytes(json)]);

        var (code, stdout, stderr) = Run("check", "--input", input, "--output", "json");

        Assert.True(code == 0, stderr);
        Assert.Equal("u1", JsonDocument.Parse(stdout).RootElement.GetProperty("id").GetString());
    }

    [Fact]
    public void Check_BytesInvalidInShiftJis_OneLineNamingBytesNoDotNetText()
    {
        InputEncodingName();
        var input = FileOf("bad-sjis.jsonl", [.. "{\"id\":\""u8, 0x81, 0x20, .. "\"}\n"u8]);

        var (code, _, stderr) = Run("check", "--input", input, "--encoding", "cp932");

        Assert.Equal(2, code);
        Assert.Equal($"error: --input: '{input}': 0x81 0x20 are not valid shift_jis text: the input is in another encoding (--encoding) or damaged; the lines after it were not read", stderr.Trim());
    }

    [Theory]
    [InlineData(new[] { "check", "--input", "/nonexistent/orders.jsonl" }, "error: --input: file '/nonexistent/orders.jsonl' not found")]
    [InlineData(new[] { "check" }, "error: nothing to check: give --input FILE (- for standard input) or a shipment: --from, --to, --item, --date")]
    [InlineData(new[] { "check", "--input", "x.jsonl", "--from", "JP" }, "error: give either --input or the shipment flags, not both (--from given with --input)")]
    [InlineData(new[] { "check", "--from", "JP", "--output", "xml" }, "error: --output: 'xml' is not one of table, json, csv")]
    [InlineData(new[] { "check", "--input", "x.jsonl", "--input-format", "xlsx" }, "error: --input-format: 'xlsx' is not jsonl or csv")]
    [InlineData(new[] { "check", "--input", "x.csv", "--encoding", "latin1" }, "error: --encoding: 'latin1' is not one of utf-8, utf-16, utf-16be, shift_jis")]
    [InlineData(new[] { "check", "--from", "JP", "--encoding", "utf-16" }, "error: --input-format and --encoding describe an --input file: give --input too")]
    [InlineData(new[] { "check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--rates", "/nonexistent/rates.csv" }, "error: --rates: file '/nonexistent/rates.csv' not found")]
    public void Check_NothingCanBeDone_OneLineExit1(string[] args, string message)
    {
        var (code, stdout, stderr) = Run(args);

        Assert.Equal(1, code);
        Assert.Equal("", stdout);
        Assert.Equal(message, stderr.Trim());
    }

    [Fact]
    public void Check_AsOfHiddenAlias_SameAsDate()
    {
        var date = Run("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-07-04", "--output", "json");
        var asOf = Run("check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--as-of", "2019-07-04", "--output", "json");

        Assert.Equal(0, asOf.ExitCode);
        Assert.Equal(date.Stdout, asOf.Stdout);
        Assert.DoesNotContain("--as-of", Run("check", "--help").Stdout, StringComparison.Ordinal);
    }

    [Fact]
    public void Check_EmptyInputInTable_SaysSoExit0()
    {
        var (code, stdout, _) = Run("check", "--input", FileOf("empty.jsonl", ""), "--output", "table");

        Assert.Equal(0, code);
        Assert.Equal("no shipments in the input", stdout.Trim());
    }

    [Fact]
    public void Check_CsvOutputIdLikeAFormula_MadeInert()
    {
        var input = FileOf("formula.jsonl", """{"id":"=HYPERLINK(\"http://x\")","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)"}""" + "\n");

        var (code, stdout, _) = Run("check", "--input", input, "--output", "csv");

        Assert.Equal(0, code);
        Assert.StartsWith("\"'=HYPERLINK(\"\"http://x\"\")\",1,2019-07-04,", stdout.Split('\n')[1], StringComparison.Ordinal);
    }

    /// <summary>Code page 932 for the test's own encoding of input files.</summary>
    private static void InputEncodingName() => System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);

    [Fact]
    public void Check_ContentCacheCannotBeMadeOrIsEmpty_SameOutputAsWithTheCacheKept()
    {
        // The built-in content's snapshot (ContentSnapshot) under CLEARANCE_CACHE: a path below a file cannot be made
        // (as root too), a new directory is written on the first run, read on the second; every answer is the same
        // (its content_version among them, read back from the cache on the second run).
        var input = FileOf("lines.jsonl", """
            {"id": "jp", "date": "2019-07-04", "from": "JP", "to": "KR", "item": "JP:3(1)", "end_use": "civil"}
            {"id": "us", "date": "2025-01-20", "from": "US", "to": "CN", "item": "US:3A090.a", "end_use": "civil"}
            """);
        var blocked = FileOf("a-file", "");
        var cache = Path.Combine(_dir.FullName, "cache");
        string[] args = ["check", "--input", input, "--output", "json", "--trace"];

        var unwritable = CliRunner.RunWith([("CLEARANCE_CACHE", Path.Combine(blocked, "cache"))], lists.Db, null, args);
        var cold = CliRunner.RunWith([("CLEARANCE_CACHE", cache)], lists.Db, null, args);
        var kept = Directory.EnumerateFiles(cache, "*.bin", SearchOption.AllDirectories).Select(Path.GetFileName).Order(StringComparer.Ordinal).ToList();
        var warm = CliRunner.RunWith([("CLEARANCE_CACHE", cache)], lists.Db, null, args);
        var none = CliRunner.RunWith([("CLEARANCE_CACHE", "")], lists.Db, null, args);

        Assert.Equal((0, ""), (unwritable.Exit, unwritable.Stderr));
        // The snapshot's files, and the built-in content's version id kept for the build (ContentSnapshot.BuiltInVersion).
        Assert.Equal(["heads.bin", "jurisdiction-JP.bin", "jurisdiction-US.bin", "version.bin"], kept);
        Assert.Contains("\"id\":\"us\",\"as_of\"", unwritable.Stdout, StringComparison.Ordinal);
        Assert.All(new[] { cold, warm, none }, run => Assert.Equal((0, unwritable.Stdout, ""), (run.Exit, run.Stdout, run.Stderr)));
    }
}
