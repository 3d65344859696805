using System.Diagnostics;
using System.Text.Json;
using System.Text.RegularExpressions;
using Clearance.Cli.Lists;
using Clearance.Store;
using NodaTime;
using Spectre.Console;

namespace Clearance.Cli.Tests.Lists;

/// <summary>
/// <c>lists import --allow-older</c>, <c>lists activate</c>, <c>lists diff --base/--head</c> and <c>lists status</c> as a
/// user runs them: exit codes, the one-line errors, JSON Lines, CSV, and the table at 80 columns.
/// </summary>
public sealed partial class ListsVersionsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private static (int Exit, string Output, string Error) Run(params string[] args) => ListsCommandTests.Run(args);

    private static string Sdn(string date) => SharedListFiles.Path("ofac_sdn", $"sdn_{date}.csv");

    /// <summary>A company list file (format csv) dated by its name: Acme Trading, Borealis Shipping, 김정은 무역 and filler rows.</summary>
    private string Own(string date, params string[] extraRows)
    {
        string[] rows = ["id,name", "1,Acme Trading", "2,Borealis Shipping", "3,김정은 무역", .. Enumerable.Range(10, 20).Select(i => $"{i},Filler Company {i}"), .. extraRows];
        return _dir.Write($"own_{date}.csv", string.Join("\n", rows) + "\n");
    }

    /// <summary>Version 1 of list "own" (2024-04-01) and version 2 (2024-05-03: Borealis renamed, 김정은 무역 removed, Delta added).</summary>
    private void ImportTwoOwnVersions()
    {
        Assert.Equal(0, Run("lists", "import", "--format", "csv", Own("2024-04-01"), "--db", Db).Exit);
        var v2 = _dir.Write("own_2024-05-03.csv", File.ReadAllText(Own("2024-04-01"))
            .Replace("2,Borealis Shipping", "2,Borealis Shipping Co", StringComparison.Ordinal)
            .Replace("3,김정은 무역\n", "", StringComparison.Ordinal) + "4,Delta Ltd\n");
        Assert.Equal(0, Run("lists", "import", "--format", "csv", v2, "--db", Db).Exit);
    }

    private JsonElement StatusJson(params string[] extra)
    {
        var status = Run(["lists", "status", "--output", "json", "--db", Db, .. extra]);
        Assert.Equal(0, status.Exit);
        return JsonDocument.Parse(Assert.Single(status.Output.TrimEnd().Split('\n'))).RootElement;
    }

    [Fact]
    public void Import_Sdn20240131After20240503_RefusedWithoutAllowOlder()
    {
        Assert.Equal(0, Run("lists", "import", "--format", "ofac-csv", Sdn("2024-05-03"), "--db", Db).Exit);

        var refused = Run("lists", "import", "--format", "ofac-csv", Sdn("2024-01-31"), "--db", Db);
        var afterRefusal = StatusJson();
        var allowed = Run("lists", "import", "--format", "ofac-csv", Sdn("2024-01-31"), "--allow-older", "--allow-shrink", "--db", Db);

        Assert.Equal((1, ""), (refused.Exit, refused.Output));
        Assert.Equal(
            $"error: {Sdn("2024-01-31")} has source date 2024-01-31, older than the active version 1 of list ofac-sdn (source date 2024-05-03): nothing imported, " +
            "version 1 stays; to go back to an older list on purpose, import again with --allow-older, or switch to a stored version with clearance lists activate",
            refused.Error.TrimEnd());
        Assert.Equal((1, 1, "2024-05-03"), (afterRefusal.GetProperty("version").GetInt32(), afterRefusal.GetProperty("versions").GetInt32(), afterRefusal.GetProperty("source_date").GetString()));
        Assert.Equal(0, allowed.Exit);
        Assert.Contains("ofac-sdn version 2: 13,901 entities", allowed.Output);
        Assert.Contains("older source date allowed (--allow-older): 2024-01-31, before version 1's 2024-05-03", allowed.Output);
    }

    [Fact]
    public void Activate_StoredVersion_SwitchesRecordsAndRefreshesTheScreeningIndex()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "activate", "--list", "own", "--version", "1", "--note", "May file under review", "--db", Db);

        Assert.Equal((0, ""), (result.Exit, result.Error));
        Assert.Equal(
            ["own: version 1 is now active, was version 2 (23 entities, 23 names, source date 2024-04-01)", $"screening index: 23 entries, 23 names ({Db}.screening-index)"],
            result.Output.TrimEnd().Split('\n'));
        var status = StatusJson();
        Assert.Equal(
            ("activate", "May file under review", 1, 2),
            (status.GetProperty("activated_by").GetString(), status.GetProperty("activation_note").GetString(), status.GetProperty("version").GetInt32(), status.GetProperty("versions").GetInt32()));
        var index = Clearance.Store.ScreeningIndexFile.Open(Db, _ => { })!;
        Assert.Contains(index.Screen(new Clearance.Screening.Matching.ScreeningQuery("김정은 무역")), m => m.EntityId == "3");
    }

    [Fact]
    public void Activate_TheActiveVersion_SaysSoAndChangesNothing()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "activate", "--list", "own", "--version", "2", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Equal("own: version 2 is already the active version (23 entities, 23 names, source date 2024-05-03); nothing changed", result.Output.TrimEnd());
        Assert.Equal("import", StatusJson().GetProperty("activated_by").GetString());
    }

    [Theory]
    [InlineData("own", "7", "error: list own has no version 7 in {db} (its versions are 1 to 2; version 2 is active): the active version of list own is unchanged")]
    [InlineData("ofac-sdn", "1", "error: no list 'ofac-sdn' in {db} (lists: own)")]
    public void Activate_UnknownListOrVersion_Exit1WithOneLine(string list, string version, string message)
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "activate", "--list", list, "--version", version, "--db", Db);

        Assert.Equal((1, ""), (result.Exit, result.Output));
        Assert.Equal(message.Replace("{db}", Db, StringComparison.Ordinal), result.Error.TrimEnd());
        Assert.Equal(2, StatusJson().GetProperty("version").GetInt32());
    }

    [Fact]
    public void Activate_NoVersionGiven_UsageErrorExit1()
    {
        var result = Run("lists", "activate", "--list", "own", "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Contains("--version", result.Error);
    }

    [Fact]
    public void Diff_BaseHeadTable_ShowsEntityIdsAndNames()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "diff", "--list", "own", "--base", "1", "--head", "2", "--output", "table", "--db", Db);

        Assert.Equal(0, result.Exit);
        var lines = result.Output.Split('\n').Select(l => SpaceRuns().Replace(l.Trim(), " ")).ToList();
        Assert.Equal("own: version 1 -> 2: 1 added, 1 removed, 1 changed", lines[0]);
        Assert.Contains("added 4 Delta Ltd", lines);
        Assert.Contains("removed 3 김정은 무역", lines);
        Assert.Contains("changed 2 Borealis Shipping Co", lines);
    }

    [Fact]
    public void Diff_ImportHoldingSeveralLists_TableShowsEachEntrysList()
    {
        string Rows(params string[] extra) => string.Join("\n", ["id,name,list", .. Enumerable.Range(1, 20).Select(i => $"{i},Company {i},group-a"), .. extra]) + "\n";
        Run("lists", "import", "--format", "csv", "--list", "groups", _dir.Write("groups_2024-04-01.csv", Rows()), "--db", Db);
        Run("lists", "import", "--format", "csv", "--list", "groups", _dir.Write("groups_2024-05-01.csv", Rows("7,東京貿易株式会社,group-b")), "--db", Db);

        var result = Run("lists", "diff", "--list", "groups", "-o", "table", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Contains("added group-b 7 東京貿易株式会社", result.Output.Split('\n').Select(l => SpaceRuns().Replace(l.Trim(), " ")));
        Assert.Contains("""{"list":"group-b","entity_id":"7","name":"東京貿易株式会社"}""", Run("lists", "diff", "--list", "groups", "-o", "json", "--db", Db).Output);
    }

    [Fact]
    public void Diff_Json_OneCompactLineWithListEntityIdNameInRawUtf8()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "diff", "--list", "own", "--output", "json", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Equal(
            """{"list":"own","base":1,"head":2,"added":[{"list":"own","entity_id":"4","name":"Delta Ltd"}],"removed":[{"list":"own","entity_id":"3","name":"김정은 무역"}],"changed":[{"list":"own","entity_id":"2","name":"Borealis Shipping Co"}]}""",
            result.Output.TrimEnd());
    }

    [Fact]
    public void Diff_Csv_OneRowPerEntry()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "diff", "--list", "own", "-o", "csv", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Equal(["change,list,entity_id,name", "added,own,4,Delta Ltd", "removed,own,3,김정은 무역", "changed,own,2,Borealis Shipping Co"], result.Output.TrimEnd().Split('\n'));
    }

    [Fact]
    public void Diff_OldFromToNames_StillAcceptedButHiddenFromHelp()
    {
        ImportTwoOwnVersions();

        var old = Run("lists", "diff", "--list", "own", "--from", "1", "--to", "2", "-o", "json", "--db", Db);
        var help = Run("lists", "diff", "--help");

        Assert.Equal(Run("lists", "diff", "--list", "own", "--base", "1", "--head", "2", "-o", "json", "--db", Db).Output, old.Output);
        Assert.Contains("--base", help.Output);
        Assert.DoesNotContain("--from", help.Output);
    }

    [Fact]
    public void Diff_UnknownVersion_Exit1WithOneLine()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "diff", "--list", "own", "--base", "1", "--head", "9", "--db", Db);

        Assert.Equal((1, $"error: list own has no version 9 in {Db}"), (result.Exit, result.Error.TrimEnd()));
    }

    [Fact]
    public void Status_SourceDateMoreThan30DaysOld_StaleInJsonAndWarningWithTheTable()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "status", "--output", "json", "--date", "2024-06-03", "--db", Db);
        var table = Run("lists", "status", "--output", "table", "--date", "2024-06-03", "--db", Db);

        Assert.Equal((0, ""), (result.Exit, result.Error));
        Assert.Equal("warning: own: source date 2024-05-03 is 31 days old; update the list", table.Error.TrimEnd());
        var json = JsonDocument.Parse(result.Output).RootElement;
        Assert.Equal((true, 31), (json.GetProperty("stale").GetBoolean(), json.GetProperty("source_age_days").GetInt32()));
    }

    [Fact]
    public void Status_SourceDate30DaysOld_NoWarning()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "status", "--output", "json", "--date", "2024-06-02", "--db", Db);
        var table = Run("lists", "status", "--output", "table", "--date", "2024-06-02", "--db", Db);

        Assert.Equal((0, ""), (result.Exit, result.Error));
        Assert.Equal((0, ""), (table.Exit, table.Error));
        Assert.False(JsonDocument.Parse(result.Output).RootElement.GetProperty("stale").GetBoolean());
    }

    [Fact]
    public void Status_Table_StaleRowMarkedAndWarningOnStderr()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "status", "--output", "table", "--date", "2024-07-01", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Matches(@"own\s+2/2\s+2024-05-03\s+59 d !", result.Output);
        Assert.Equal("warning: own: source date 2024-05-03 is 59 days old; update the list", result.Error.TrimEnd());
    }

    [Fact]
    public void Status_Csv_HeaderAndOneRowPerList()
    {
        ImportTwoOwnVersions();

        var result = Run("lists", "status", "-o", "csv", "--date", "2024-05-10", "--db", Db);

        Assert.Equal(0, result.Exit);
        var lines = result.Output.TrimEnd().Split('\n');
        Assert.Equal(2, lines.Length);
        Assert.Equal("list,version,versions,format,source_date,source_age_days,stale,imported_at,entities,names,note", lines[0]);
        Assert.StartsWith("own,2,2,csv,2024-05-03,7,false,", lines[1], StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("status", "-o", "xml")]
    [InlineData("diff", "--list", "own", "-o", "yaml")]
    public void Output_UnsupportedValue_Exit1NamingTheChoices(params string[] args)
    {
        var result = Run(["lists", .. args, "--db", Db]);

        Assert.Equal(1, result.Exit);
        Assert.Contains("is not one of table, json, csv", result.Error);
    }

    [Fact]
    public void Import_MissingFile_OneLineInTheSharedWordingExit1()
    {
        var missing = Path.Combine(_dir.FullName, "nope.csv");

        var result = Run("lists", "import", "--format", "csv", Own("2024-04-01"), missing, "--db", Db);

        Assert.Equal((1, "", $"error: PATH: file '{missing}' not found"), (result.Exit, result.Output, result.Error.TrimEnd()));
    }

    [Theory]
    [InlineData(null, "error: --config: file '{path}' not found")]
    [InlineData("{ \"sources\": [ { \"id\": ", "error: --config: {path} is not valid JSON (line 1, byte 24)")]
    public void Update_BadConfigFile_OneLineWithoutParserInternalsExit1(string? content, string message)
    {
        var path = content is null ? Path.Combine(_dir.FullName, "missing.json") : _dir.Write("sources.json", content);

        var result = Run("lists", "update", "--config", path, "--db", Db);

        Assert.Equal((1, message.Replace("{path}", path, StringComparison.Ordinal)), (result.Exit, result.Error.TrimEnd()));
    }

    [Fact]
    public void Status_BadDate_Exit1WithOneLine()
    {
        var result = Run("lists", "status", "--date", "2024-13-01", "--db", Db);

        Assert.Equal((1, "error: --date: '2024-13-01' is not a date (YYYY-MM-DD)"), (result.Exit, result.Error.TrimEnd()));
    }

    [Fact]
    public void StatusTable_At80Columns_EveryLineFits()
    {
        var today = new LocalDate(2026, 12, 1);
        ListStatus List(string id, int entities, LocalDate date, Dictionary<string, int>? byList = null) => new(
            new ListVersion(id, 12, "uk-sanctions", Instant.FromUtc(2026, 11, 30, 23, 59), date, [], "x", entities, entities * 4, null),
            13, byList ?? new Dictionary<string, int> { [id] = entities });
        var status = new[]
        {
            List("csl", 25921, new LocalDate(2026, 7, 31), new Dictionary<string, int> { ["csl-sdn"] = 17000, ["csl-el"] = 3000, ["csl-dpl"] = 900, ["csl-meu"] = 100 }),
            List("ofac-nonsdn", 443, new LocalDate(2026, 11, 20)),
            List("uk-sanctions", 5123, new LocalDate(2024, 5, 3)),
            List("opensanctions-default", 1234567, new LocalDate(2026, 11, 30)),
        };
        var text = new StringWriter();
        var console = AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(text), Ansi = AnsiSupport.No, ColorSystem = ColorSystemSupport.NoColors });
        console.Profile.Width = 80;

        ListsCommand.WriteStatusTable(console, status, "/home/officer/.local/share/clearance/clearance.db", today);

        var lines = text.ToString().TrimEnd().Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s*uk-sanctions\s+12/13\s+2024-05-03\s+942 d !\s+2026-11-30\s+5,123\s+20,492\s*$"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^opensanctions-d\s+12/13\s+2026-11-30\s+1 d\s+2026-11-30\s+1,234,567\s+4,938,268$"));
        Assert.Contains("csl: csl-sdn=17,000, csl-el=3,000, csl-dpl=900, csl-meu=100", text.ToString());
    }

    [Fact]
    public void Status_InATerminalOf80Columns_FitsAndWarns()
    {
        if (!File.Exists("/usr/bin/script"))
            return; // no util-linux script(1) to make a pseudo-terminal
        ImportTwoOwnVersions();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var dll = Path.Combine(AppContext.BaseDirectory, "clearance.dll");
        var start = new ProcessStartInfo("script") { RedirectStandardOutput = true, RedirectStandardError = true, RedirectStandardInput = true };
        foreach (var arg in new[] { "-qec", $"stty cols 80 rows 40; dotnet '{dll}' lists status --date 2024-07-01 --db '{Db}'", "/dev/null" })
            start.ArgumentList.Add(arg);
        start.Environment["TERM"] = "xterm-256color";
        using var process = Process.Start(start)!;
        process.StandardInput.Close();
        var output = process.StandardOutput.ReadToEnd();
        process.WaitForExit();

        var lines = AnsiEscape().Replace(output, "").Split('\n').Select(l => l.TrimEnd('\r')).ToList();
        Assert.Equal(0, process.ExitCode);
        Assert.All(lines, l => Assert.True(l.Length <= 80, $"{l.Length} columns: {l}"));
        Assert.Contains(lines, l => Regex.IsMatch(l, @"^\s*own\s+2/2\s+2024-05-03\s+59 d !"));
        Assert.Contains(lines, l => l.StartsWith("warning: own: source date 2024-05-03 is 59 days", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex AnsiEscape();

    [GeneratedRegex(" {2,}")]
    private static partial Regex SpaceRuns();
}
