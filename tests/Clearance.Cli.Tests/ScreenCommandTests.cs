using System.CommandLine;
using System.Text.Json;
using Clearance.Cli.Lists;
using Clearance.Application;
using Clearance.Cli.Screen;
using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Cli.Tests;

public sealed class ScreenCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand { ScreenCommand.Create(), ListsCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        int exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    private void ImportMeti()
    {
        var import = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"), "--db", Db);
        Assert.Equal(0, import.Exit);
        Assert.Contains("screening index: 835 entries", import.Output);
    }

    [Fact]
    public void Screen_WithoutList_UsesTheListsInTheDatabase()
    {
        ImportMeti();

        var result = Run("screen", "Beihang University", "--country", "CN", "--output", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Equal("", result.Error);
        using var json = JsonDocument.Parse(result.Output);
        JsonElement match = json.RootElement.GetProperty("matches")[0];
        Assert.Equal("meti-eul", match.GetProperty("list").GetString());
        Assert.Equal("501", match.GetProperty("entity_id").GetString());
        Assert.True(match.GetProperty("explanation").GetProperty("tokens").GetArrayLength() > 0);
    }

    [Fact]
    public void Screen_TableOutput_NamesTheEntryAndWhy()
    {
        ImportMeti();

        var result = Run("screen", "Beihang University", "--country", "CN", "-o", "table", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Contains("835 entries", result.Output);
        Assert.Contains("501", result.Output);
        Assert.Contains("beihang=beihang", result.Output);
    }

    [Fact]
    public void ScreenAndStatus_ReadOnlyDatabaseAndDirectory_WorkWithAWarning_ImportFailsInOneLine()
    {
        ImportMeti();
        foreach (var file in Directory.GetFiles(_dir.FullName, "*.screening-index*"))
            File.Delete(file);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        if (!Chattr("+i", Db, _dir.FullName))
            return; // no chattr here (the tests run as root, so permissions would not stop writes): the store tests open read-only explicitly
        try
        {
            var status = Run("lists", "status", "--db", Db);
            var screen = Run("screen", "Beihang University", "--country", "CN", "-o", "table", "--db", Db);
            var import = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "--list", "other", "--db", Db);

            Assert.Equal((0, ""), (status.Exit, status.Error));
            Assert.Contains("meti-eul", status.Output);
            Assert.Equal(ExitCodes.Hit, screen.Exit);
            Assert.Contains("501", screen.Output);
            Assert.StartsWith("warning: cannot write", screen.Error, StringComparison.Ordinal);
            Assert.Equal(1, import.Exit);
            Assert.StartsWith($"error: the database {Db} is read-only", import.Error, StringComparison.Ordinal);
            Assert.Single(import.Error.TrimEnd().Split('\n'));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Chattr("-i", Db, _dir.FullName);
        }
    }

    /// <summary>Runs chattr on the paths; false when it is not available or fails.</summary>
    internal static bool Chattr(string flag, params string[] paths)
    {
        try
        {
            using var process = System.Diagnostics.Process.Start(new System.Diagnostics.ProcessStartInfo("chattr", [flag, .. paths]) { RedirectStandardError = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }

    [Fact]
    public void Screen_EmptyOrMissingDatabase_SaysToImportLists()
    {
        var missing = Run("screen", "Beihang University", "--db", Db);
        Run("lists", "status", "--db", Db);
        var empty = Run("screen", "Beihang University", "--db", Db);

        foreach (var result in new[] { missing, empty })
        {
            Assert.Equal(1, result.Exit);
            Assert.Equal("", result.Output);
            Assert.Contains("no restricted-party lists in " + Db, result.Error);
            Assert.Contains("clearance lists import", result.Error);
            Assert.Contains("clearance lists update", result.Error);
        }
    }

    [Fact]
    public void Screen_ListOption_ScreensTheFileInsteadOfTheDatabase()
    {
        var result = Run("screen", "Beihang University", "--output", "json", "--db", Db,
            "--list", "meti-eul:" + SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"));

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Contains("\"entity_id\":\"460\"", result.Output);
        Assert.False(File.Exists(Db));
    }

    [Fact]
    public void Screen_Input_WritesOneLinePerPartyInInputOrder_AsSingleQueriesDo()
    {
        ImportMeti();
        ScreeningIndex index = ScreeningIndexFile.Open(Db, _ => { })!;
        List<string> names = [.. index.Screen(new ScreeningQuery("University", Threshold: 0.5, Limit: 200)).Select(m => m.MatchedName)];
        var random = new Random(41);
        var lines = Enumerable.Range(0, 5000).Select(i =>
            JsonSerializer.Serialize(new { id = $"p{i}", name = i % 3 == 0 ? "Maria Schneider" : names[random.Next(names.Count)], country = "CN" }));
        string input = _dir.Write("parties.jsonl", string.Join("\n", lines) + "\n");

        var result = Run("screen", "--input", input, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        string[] output = result.Output.Split('\n', StringSplitOptions.RemoveEmptyEntries);
        Assert.Equal(5000, output.Length);
        for (int i = 0; i < output.Length; i += 7)
        {
            using var json = JsonDocument.Parse(output[i]);
            Assert.Equal($"p{i}", json.RootElement.GetProperty("id").GetString());
            string name = i % 3 == 0 ? "Maria Schneider" : json.RootElement.GetProperty("matches")[0].GetProperty("matched_name").GetString()!;
            var expected = index.Screen(new ScreeningQuery(name, "CN")).Select(m => m.EntityId);
            Assert.Equal(expected, json.RootElement.GetProperty("matches").EnumerateArray().Select(m => m.GetProperty("entity_id").GetString()));
        }
    }

    [Theory]
    [InlineData("--threshold", "7", "--threshold: 7 is not between 0 and 1")]
    [InlineData("--country", "XX", "--country: 'XX' is not a country (an ISO 3166-1 alpha-2 code such as JP, or an English name such as Japan)")]
    [InlineData("--country", "Chinaa", "--country: 'Chinaa' is not a country (an ISO 3166-1 alpha-2 code such as JP, or an English name such as Japan): did you mean 'China' (CN)?")]
    [InlineData("--dob", "12/03/1965", "--dob: '12/03/1965' is not 1965, 1965-03 or 1965-03-12")]
    [InlineData("--limit", "0", "--limit: must be at least 1")]
    public void Screen_BadOption_ErrorNamesTheOption(string option, string value, string message)
    {
        var result = Run("screen", "Beihang University", option, value, "--db", Db);

        Assert.NotEqual(0, result.Exit);
        Assert.Contains(message, result.Error);
    }

    [Fact]
    public void Screen_EmptyName_Error()
    {
        var result = Run("screen", "  ", "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Contains("NAME is empty", result.Error);
    }

    [Fact]
    public void Screen_InputCsvTruncatedQuote_ErrorWithFileAndLine()
    {
        ImportMeti();
        var path = Path.Combine(_dir.FullName, "parties.csv");
        File.WriteAllText(path, "id,name,country\n1,Beihang University,CN\n2,\"unterminated\n");

        var result = Run("screen", "--input", path, "-o", "json", "--db", Db);

        // Line 2 is screened (a hit: exit 3 wins over 2); line 3 is an error record; the rest cannot be delimited.
        Assert.Equal(ExitCodes.Hit, result.Exit);
        string[] lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.StartsWith("{\"id\":\"1\",\"total\":", lines[0], StringComparison.Ordinal);
        using var error = JsonDocument.Parse(lines[1]);
        Assert.Equal(3, error.RootElement.GetProperty("line").GetInt32());
        Assert.Equal("invalid-csv", error.RootElement.GetProperty("error").GetProperty("code").GetString());
        Assert.Contains($"{path}:3: quoted field not closed", error.RootElement.GetProperty("error").GetProperty("message").GetString());
    }

    [Fact]
    public void Screen_InputInvalidUtf8_ErrorNamesTheLine()
    {
        ImportMeti();
        var path = Path.Combine(_dir.FullName, "parties.jsonl");
        File.WriteAllBytes(path, [.. "{\"id\":\"1\",\"name\":\"Beihang\"}\n{\"id\":\"2\",\"name\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8]);

        var result = Run("screen", "--input", path, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Contains("\"line\":2,\"error\":{\"code\":\"invalid-utf8\",\"message\":\"line 2: bytes that are not valid UTF-8", result.Output);
    }

    [Fact]
    public void Screen_TableOutput_EscapesControlCharactersFromListData()
    {
        // Raw control characters in a CSV are refused by the strict decoder; JSON escapes (FtM) still carry them into
        // names, so the table must make them visible instead of sending them to the terminal.
        var list = Path.Combine(_dir.FullName, "entities.ftm.json");
        File.WriteAllText(list, """{"id": "E1", "schema": "Company", "properties": {"name": ["EVIL\u001b[2J\u001b]0;owned\u0007 TRADING\u202E CORP"]}}""" + "\n");

        var result = Run("screen", "Evil Trading Corp", "-o", "table", "--list", "ftm:" + list);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Contains("E1", result.Output);
        Assert.Contains("\\u001b[2J", result.Output);
        Assert.Contains("\\u202e", result.Output);
        Assert.DoesNotContain('\u001b', result.Output);
        Assert.DoesNotContain('\u0007', result.Output);
        Assert.DoesNotContain('\u202E', result.Output);
    }

    [Theory]
    [InlineData("NaN")]
    [InlineData("abc")]
    [InlineData("Infinity")]
    [InlineData("1e999")]
    public void Screen_ThresholdNotAFiniteNumber_ErrorNamesTheValue(string value)
    {
        var result = Run("screen", "Beihang University", "--threshold", value, "--db", Db);

        Assert.NotEqual(0, result.Exit);
        Assert.Contains($"--threshold: '{value}' is not a number between 0 and 1", result.Error);
    }

    [Fact]
    public void Screen_DatabaseIsATextFile_OneLineError()
    {
        File.WriteAllText(Db, "not a database\n");

        var result = Run("screen", "Beihang University", "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Equal($"error: {Db} is not a clearance database (SQLite: file is not a database); give the database with --db or $CLEARANCE_DB", result.Error.Trim());
    }

    [Fact]
    public void Screen_MalformedConnectionString_OneLineError()
    {
        var result = Run("screen", "Beihang University", "--db", "Host=;;=Port=abc");

        Assert.Equal(1, result.Exit);
        Assert.StartsWith("error: invalid PostgreSQL connection string", result.Error);
        Assert.DoesNotContain("Parameter", result.Error);
        Assert.Single(result.Error.Trim().Split('\n'));
    }

    private void ImportSdn(params string[] dates)
    {
        foreach (string date in dates)
        {
            var import = Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv"), "--db", Db);
            Assert.Equal(0, import.Exit);
        }
    }

    [Fact]
    public void Screen_KimCholOnSdn20240503_JsonGivesTheTotalWhatTheLimitCutAndTheListVersion()
    {
        ImportSdn("2024-04-26", "2024-05-03");

        var result = Run("screen", "Kim Chol", "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Single(result.Output.TrimEnd('\n').Split('\n'));
        using var json = JsonDocument.Parse(result.Output);
        JsonElement root = json.RootElement;
        // 13 entries of the SDN list of 2024-05-03 score 0.80 or more (ScreeningIndexTests checks it with the full scan).
        Assert.Equal(13, root.GetProperty("total").GetInt32());
        Assert.True(root.GetProperty("truncated").GetBoolean());
        Assert.Equal(10, root.GetProperty("matches").GetArrayLength());
        Assert.Equal("""[{"list":"ofac-sdn","version":2,"source_date":"2024-05-03"}]""", root.GetProperty("screened_against").GetRawText());
        Assert.All(root.GetProperty("matches").EnumerateArray(), m => Assert.Equal("2024-05-03", m.GetProperty("source_date").GetString()));

        var all = Run("screen", "Kim Chol", "-o", "json", "--limit", "50", "--db", Db);
        using var allJson = JsonDocument.Parse(all.Output);
        Assert.Equal((13, false), (allJson.RootElement.GetProperty("total").GetInt32(), allJson.RootElement.GetProperty("truncated").GetBoolean()));
        Assert.Equal(13, allJson.RootElement.GetProperty("matches").GetArrayLength());
    }

    [Fact]
    public void Screen_KimCholOnSdn20240503_TableSaysWhatTheLimitCutAndWhatWasScreenedAgainst()
    {
        ImportSdn("2024-05-03");

        var result = Run("screen", "Kim Chol", "-o", "table", "--db", Db);
        var three = Run("screen", "Kim Chol", "-o", "table", "--limit", "3", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Contains("Kim Chol: 13 match(es) at or above 0.80, showing 10 of 13 (--limit 10)", result.Output);
        Assert.Contains("screened against ofac-sdn v1 (2024-05-03)", result.Output);
        Assert.Contains("showing 3 of 13 (--limit 3)", three.Output);
    }

    [Fact]
    public void Screen_Match_ShowsProgrammesCountriesBirthDatesIdentifiersAndSourceDate()
    {
        ImportSdn("2024-05-03");

        var json = Run("screen", "Kim Song Chol", "-o", "json", "--limit", "1", "--db", Db);
        var table = Run("screen", "Kim Song Chol", "-o", "table", "--limit", "1", "--db", Db);
        var csv = Run("screen", "Kim Song Chol", "-o", "csv", "--limit", "1", "--db", Db);

        using var document = JsonDocument.Parse(json.Output);
        JsonElement match = document.RootElement.GetProperty("matches")[0];
        Assert.Equal(("19531", "person"), (match.GetProperty("entity_id").GetString(), match.GetProperty("kind").GetString()));
        Assert.Equal("""["NPWMD"]""", match.GetProperty("programs").GetRawText());
        Assert.Equal("""["KP"]""", match.GetProperty("countries").GetRawText());
        Assert.Equal("""["1968-03-26","1970-10-15"]""", match.GetProperty("birth_dates").GetRawText());
        Assert.Equal("""{"type":"Passport","value":"654120219","country":"KP"}""", match.GetProperty("identifiers")[0].GetRawText());
        Assert.Equal("2024-05-03", match.GetProperty("source_date").GetString());
        foreach (string shown in new[] { "ofac-sdn 19531", "2024-05-03", "programmes: NPWMD", "countries: KP", "born: 1968-03-26, 1970-10-15", "Passport 654120219 (KP)" })
        {
            Assert.Contains(shown, table.Output);
        }

        Assert.Equal(MatchCsv.Header, csv.Output[..(csv.Output.IndexOf('\n') + 1)]);
        Assert.Contains(",1,1.0000,ofac-sdn,19531,\"KIM, Song Chol\",\"KIM, Song Chol\",person,NPWMD,KP,1968-03-26; 1970-10-15,Passport 654120219 (KP); Passport 381420565 (KP),2024-05-03,ofac-sdn 19531 2024-05-03,", csv.Output);
    }

    [Fact]
    public void Screen_ExitCode_3OnAHit_0WithoutAMatch()
    {
        ImportMeti();

        var hit = Run("screen", "Beihang University", "-o", "json", "--db", Db);
        var none = Run("screen", "Qxzv Wplmk", "-o", "json", "--db", Db);
        var noneTable = Run("screen", "Qxzv Wplmk", "-o", "table", "--db", Db);

        Assert.Equal(ExitCodes.Hit, hit.Exit);
        Assert.Equal(ExitCodes.Done, none.Exit);
        Assert.StartsWith("""{"query":"Qxzv Wplmk","total":0,"truncated":false,"matches":[],"screened_against":[{"list":"meti-eul","version":1,"source_date":"2025-09-29"}]}""", none.Output, StringComparison.Ordinal);
        Assert.Equal(ExitCodes.Done, noneTable.Exit);
        Assert.Contains("no match at or above 0.80", noneTable.Output);
    }

    [Fact]
    public void Screen_InputWithBadLines_WritesAnErrorRecordForEachAndGoesOn_Exit3WhenAPartyMatched()
    {
        ImportMeti();
        string input = _dir.Write("parties.jsonl", string.Join("\n",
            """{"id":"a","name":"Beihang University","country":"CN"}""",
            "not json",
            """{"id":"c","country":"CN"}""",
            """{"id":"d","name":"Acme","country":"ZZ"}""",
            """{"id":"e","name":"Acme","type":"ship"}""",
            """{"id":"f","name":"Acme","dob":"12/03/1965"}""",
            """{"id":"g","name":"Qxzv Wplmk"}""") + "\n");

        var result = Run("screen", "--input", input, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.Equal("", result.Error);
        string[] lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(7, lines.Length);
        Assert.StartsWith("""{"id":"a","total":""", lines[0], StringComparison.Ordinal);
        string[] codes = [.. lines[1..6].Select(l => JsonDocument.Parse(l).RootElement.GetProperty("error").GetProperty("code").GetString()!)];
        Assert.Equal(["malformed-json", "missing-field", "unknown-country", "invalid-field", "invalid-field"], codes);
        Assert.Equal("""{"id":"c","line":3,"error":{"code":"missing-field","message":"line 3: missing required field 'name'"}}""", lines[2]);
        Assert.DoesNotContain("LineNumber", lines[1], StringComparison.Ordinal);
        Assert.StartsWith("""{"id":"g","total":0,""", lines[6], StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_InputUnknownField_ErrorRecordNamesTheNearestKnownField()
    {
        ImportMeti();
        string input = _dir.Write("parties.jsonl", """{"id":"1","name":"Qxzv Wplmk","contry":"CN"}""" + "\n" + """{"id":"2","name":"Qxzv Wplmk","region":"CN"}""" + "\n");
        string csv = _dir.Write("parties.csv", "id,name,dob_\n1,Qxzv Wplmk,1965\n");

        var result = Run("screen", "--input", input, "-o", "json", "--db", Db);
        var header = Run("screen", "--input", csv, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.SomeRecordsFailed, result.Exit);
        string[] lines = result.Output.TrimEnd('\n').Split('\n');
        // Worded as check words it (the same error, the same message everywhere).
        Assert.Equal("""{"id":"1","line":1,"error":{"code":"unknown-field","message":"line 1: unknown field 'contry': did you mean 'country'?"}}""", lines[0]);
        Assert.Contains("unknown field 'region' (fields: id, name, country, type, dob, address)", lines[1]);
        Assert.Equal(ExitCodes.Failed, header.Exit);
        Assert.Equal($"error: {csv}:1: unknown column 'dob_': did you mean 'dob'?", header.Error.Trim());
    }

    [Fact]
    public void Screen_InputCsvHeaderWithoutTheNameColumnMisspelt_ErrorNotScreenedAsAParty()
    {
        ImportMeti();
        // "nam" for "name": before, a header without a column starting "name" was read as a party called "nam".
        string csv = _dir.Write("parties.csv", "id,nam,country\n1,Beihang University,CN\n");

        var result = Run("screen", "--input", csv, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Equal("", result.Output);
        Assert.Equal($"error: {csv}:1: unknown column 'nam': did you mean 'name'?", result.Error.Trim());
    }

    [Fact]
    public void Screen_CountryAsEnglishName_SameAsTheCode()
    {
        ImportMeti();
        string input = _dir.Write("parties.jsonl", """{"id":"1","name":"Beihang University","country":"China"}""" + "\n"
            + """{"id":"2","name":"Beihang University","country":"CN"}""" + "\n");

        var byName = Run("screen", "Beihang University", "--country", "china", "-o", "json", "--db", Db);
        var byCode = Run("screen", "Beihang University", "--country", "CN", "-o", "json", "--db", Db);
        var batch = Run("screen", "--input", input, "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, byName.Exit);
        Assert.Equal(byCode.Output, byName.Output);
        string[] lines = batch.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal(lines[1][lines[1].IndexOf(",\"total\"", StringComparison.Ordinal)..], lines[0][lines[0].IndexOf(",\"total\"", StringComparison.Ordinal)..]);
    }

    [Fact]
    public void Screen_InputWithBadLinesAndNoHit_Exit2_WithoutBadLines_Exit0()
    {
        ImportMeti();
        string bad = _dir.Write("bad.csv", "id,name,country\n1,Qxzv Wplmk,CN\n2,,CN\n3,Zzyq Plov,XX\n");
        string good = _dir.Write("good.csv", "id,name,country\n1,Qxzv Wplmk,CN\n");

        var withErrors = Run("screen", "--input", bad, "-o", "json", "--db", Db);
        var clean = Run("screen", "--input", good, "-o", "csv", "--db", Db);

        Assert.Equal(ExitCodes.SomeRecordsFailed, withErrors.Exit);
        Assert.Equal(3, withErrors.Output.TrimEnd('\n').Split('\n').Length);
        Assert.Contains("""{"id":"2","line":3,"error":{"code":"missing-field",""", withErrors.Output);
        Assert.Equal(ExitCodes.Done, clean.Exit);
        Assert.Equal(MatchCsv.Header + "1,2,Qxzv Wplmk,0,,,,,,,,,,,,,,,meti-eul v1 2025-09-29,,\n", clean.Output);
    }

    [Fact]
    public void Screen_InputFormatAndEncoding_ShiftJisCsvWithoutCsvExtension()
    {
        ImportMeti();
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        string path = Path.Combine(_dir.FullName, "parties.txt");
        File.WriteAllBytes(path, System.Text.Encoding.GetEncoding(932).GetBytes("id,name,country\nj1,北京航空航天大学,CN\n"));

        var result = Run("screen", "--input", path, "--input-format", "csv", "--encoding", "shift_jis", "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.StartsWith("""{"id":"j1","total":""", result.Output, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--country", "CN", "error: --country, --type and --dob describe a NAME")]
    [InlineData("--encoding", "utf-16", "error: --input-format and --encoding describe an --input file")]
    public void Screen_OptionsForTheOtherMode_OneLineErrorExit1(string option, string value, string message)
    {
        ImportMeti();
        string input = _dir.Write("parties.jsonl", """{"name":"Beihang University"}""" + "\n");

        var result = option == "--country" ? Run("screen", "--input", input, option, value, "--db", Db) : Run("screen", "Beihang University", option, value, "--db", Db);

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.StartsWith(message, result.Error, StringComparison.Ordinal);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Screen_InputFileMissing_OneLineErrorExit1()
    {
        ImportMeti();

        var result = Run("screen", "--input", Path.Combine(_dir.FullName, "missing.jsonl"), "--db", Db);

        Assert.Equal(ExitCodes.Failed, result.Exit);
        Assert.Equal($"error: --input: file '{Path.Combine(_dir.FullName, "missing.jsonl")}' not found", result.Error.Trim());
    }

    [Fact]
    public void Screen_HangulName_JsonIsCompactRawUtf8()
    {
        ImportSdn("2024-05-03");

        var result = Run("screen", "김정은", "-o", "json", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        Assert.StartsWith("""{"query":"김정은","total":""", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\\u", result.Output, StringComparison.Ordinal);
        Assert.DoesNotContain("\n ", result.Output, StringComparison.Ordinal);
        Assert.Contains("\"entity_id\":\"20157\"", result.Output);
    }

    [Fact]
    public void ScreenPairs_BadLines_ErrorRecordsAndGoesOn_Exit2()
    {
        string input = _dir.Write("pairs.jsonl", string.Join("\n",
            """{"id":"1","name1":"Beihang University","name2":"Beihang Univ."}""",
            """{"id":"2","name1":"Acme"}""",
            "{",
            """{"id":"4","name1":"김정은","name2":"KIM Jong Un"}""") + "\n");

        var result = Run("screen", "pairs", "--input", input, "-o", "json");

        Assert.Equal(ExitCodes.SomeRecordsFailed, result.Exit);
        string[] lines = result.Output.TrimEnd('\n').Split('\n');
        Assert.Equal(4, lines.Length);
        Assert.StartsWith("""{"id":"1","score":""", lines[0], StringComparison.Ordinal);
        Assert.Equal("""{"id":"2","line":2,"error":{"code":"missing-field","message":"line 2: missing required field 'name2'"}}""", lines[1]);
        Assert.Contains("\"code\":\"malformed-json\"", lines[2]);
        Assert.StartsWith("""{"id":"4","score":""", lines[3], StringComparison.Ordinal);
    }

    [Fact]
    public void ScreenPairs_Csv_OutputCsv()
    {
        string input = _dir.Write("pairs.csv", "id,name1,name2\n1,Beihang University,Beihang University\n");

        var result = Run("screen", "pairs", "--input", input, "-o", "csv");

        Assert.Equal(ExitCodes.Done, result.Exit);
        Assert.Equal("id,score,match,error_code,error_message\n1,1,true,,\n", result.Output);
    }

    [Theory]
    [InlineData("screen", "Kim Chol", "--limit", "3")]
    [InlineData("screen", "--input", "PARTIES")]
    [InlineData("screen", "Qxzv Wplmk")]
    public void Screen_Terminal80Columns_PrintsTheTableWithoutCrashing(params string[] args)
    {
        ImportSdn("2024-05-03");
        string parties = _dir.Write("parties.csv", "id,name,country\n1,Kim Chol,KP\n2,,KP\n3,Qxzv Wplmk,\n");
        string command = string.Join(' ', args.Select(a => Quote(a == "PARTIES" ? parties : a)));
        string clearance = Path.Combine(AppContext.BaseDirectory, "clearance.dll");

        var (exit, output) = Terminal($"COLUMNS=80 dotnet {Quote(clearance)} {command} --db {Quote(Db)}");

        Assert.True(exit is 0 or 3, $"exit {exit}: {output}");
        Assert.DoesNotContain("Exception", output, StringComparison.Ordinal);
        Assert.DoesNotContain("error:", output, StringComparison.Ordinal);
        string text = System.Text.RegularExpressions.Regex.Replace(output, @"\x1b\[[0-9;?]*[A-Za-z]|\x1b[=>]", "");
        Assert.All(text.Split('\n'), line => Assert.True(line.TrimEnd('\r').Length <= 80, $"wider than 80 columns: '{line}'"));
        if (args.Contains("Kim Chol"))
        {
            Assert.Equal(3, exit);
            Assert.Contains("showing 3 of 13 (--limit 3)", text);
            Assert.Contains("screened against ofac-sdn v1 (2024-05-03)", text);
        }
        else if (args.Contains("--input"))
        {
            Assert.Equal(3, exit);
            Assert.Contains("2 part(ies) screened: 1 with matches, 1 line(s) in error", text);
        }
        else
        {
            Assert.Equal(0, exit);
            Assert.Contains("no match at or above 0.80", text);
        }
    }

    [Fact]
    public void Screen_InputOverAMegabyte_StderrATerminal_ProgressOnStderrAndEveryLineOnStdout()
    {
        ImportSdn("2024-05-03");
        // Names on no list, each of four words of its own (each looked up among the near words of the SDN list): over a
        // megabyte and, even on an idle machine, a few seconds of screening.
        var random = new Random(8);
        string Word() => string.Concat(Enumerable.Range(0, 6).Select(_ => (char)('a' + random.Next(26))));
        string parties = _dir.Write("parties.jsonl", string.Concat(Enumerable.Range(0, 20_000).Select(i => $"{{\"id\":\"p{i}\",\"name\":\"{Word()} {Word()} {Word()} {Word()}\"}}\n")));
        string output = Path.Combine(_dir.FullName, "out.jsonl");
        string clearance = Path.Combine(AppContext.BaseDirectory, "clearance.dll");

        var (exit, terminal) = Terminal($"dotnet {Quote(clearance)} screen --input {Quote(parties)} --db {Quote(Db)} > {Quote(output)}");

        Assert.True(exit is ExitCodes.Done or ExitCodes.Hit, $"exit {exit}");
        Assert.Contains("screening", terminal, StringComparison.Ordinal);
        string[] lines = File.ReadAllLines(output);
        Assert.Equal(20_000, lines.Length);
        Assert.StartsWith("""{"id":"p19999","total":""", lines[^1], StringComparison.Ordinal);
    }

    [Fact]
    public void Screen_ReadmeLists_KimCholTotal22PartiesAndTheLimitSaidInTheTable()
    {
        ImportMeti();
        ImportSdn("2024-05-03");
        Assert.Equal(0, Run("lists", "import", "--format", "csl-csv", SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"), "--db", Db).Exit);

        var result = Run("screen", "Kim Chol", "--limit", "3", "-o", "table", "--db", Db);

        Assert.Equal(ExitCodes.Hit, result.Exit);
        // 28 entries reach 0.80 (the count before one match per party): 22 listed parties, seven of them on the SDN List and the CSL's SDN section.
        Assert.Contains("Kim Chol: 22 match(es) at or above 0.80, showing 3 of 22 (--limit 3)", result.Output);
        Assert.Contains("screened against csl v1 (2026-07-31), meti-eul v1 (2025-09-29), ofac-sdn v1 (2024-05-03)", result.Output);
    }

    [Fact]
    public void Screen_StandardInputShiftJisCsv_ScreenedAsTheReadmeShows()
    {
        ImportMeti();
        System.Text.Encoding.RegisterProvider(System.Text.CodePagesEncodingProvider.Instance);
        var start = new System.Diagnostics.ProcessStartInfo("dotnet",
            [Path.Combine(AppContext.BaseDirectory, "clearance.dll"), "screen", "--input", "-", "--input-format", "csv", "--encoding", "shift_jis", "--db", Db])
        {
            RedirectStandardInput = true,
            RedirectStandardOutput = true,
            RedirectStandardError = true,
        };
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.BaseStream.Write(System.Text.Encoding.GetEncoding(932).GetBytes("id,name,country\nj1,北京航空航天大学,CN\nj2,山田太郎,JP\n"));
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        string error = process.StandardError.ReadToEnd();
        process.WaitForExit();

        Assert.Equal((ExitCodes.Hit, ""), (process.ExitCode, error));
        string[] lines = output.TrimEnd('\n').Split('\n');
        Assert.StartsWith("""{"id":"j1","total":""", lines[0], StringComparison.Ordinal);
        Assert.Contains("\"entity_id\":\"501\"", lines[0]);
        Assert.StartsWith("""{"id":"j2","total":0,""", lines[1], StringComparison.Ordinal);
    }

    private static string Quote(string text) => "'" + text.Replace("'", "'\\''", StringComparison.Ordinal) + "'";

    /// <summary>Runs a shell command in a pseudo-terminal (util-linux script), as a person at a terminal would.</summary>
    private static (int Exit, string Output) Terminal(string command)
    {
        var start = new System.Diagnostics.ProcessStartInfo("script", ["-qec", command + "; echo \"[exit $?]\"", "/dev/null"])
        {
            RedirectStandardOutput = true,
            RedirectStandardInput = true,
        };
        start.Environment.Remove("CLEARANCE_DB");
        using var process = System.Diagnostics.Process.Start(start)!;
        process.StandardInput.Close();
        string output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();
        var exit = System.Text.RegularExpressions.Regex.Match(output, @"\[exit (\d+)\]");
        Assert.True(exit.Success, output);
        return (int.Parse(exit.Groups[1].Value, System.Globalization.CultureInfo.InvariantCulture), output[..exit.Index]);
    }
}
