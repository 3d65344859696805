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

        Assert.Equal(0, result.Exit);
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

        var result = Run("screen", "Beihang University", "--country", "CN", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Contains("among 835 entries", result.Output);
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
            var screen = Run("screen", "Beihang University", "--country", "CN", "--db", Db);
            var import = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "--list", "other", "--db", Db);

            Assert.Equal((0, ""), (status.Exit, status.Error));
            Assert.Contains("meti-eul", status.Output);
            Assert.Equal(0, screen.Exit);
            Assert.Contains("501", screen.Output);
            Assert.StartsWith("warning: cannot write", screen.Error, StringComparison.Ordinal);
            Assert.Equal(1, import.Exit);
            Assert.StartsWith("error: ", import.Error, StringComparison.Ordinal);
            Assert.Single(import.Error.TrimEnd().Split('\n'));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Chattr("-i", Db, _dir.FullName);
        }
    }

    private static bool Chattr(string flag, params string[] paths)
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

        Assert.Equal(0, result.Exit);
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

        var result = Run("screen", "--input", input, "--db", Db);

        Assert.Equal(0, result.Exit);
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
    [InlineData("--country", "XX", "--country: 'XX' is not an ISO 3166-1 alpha-2 country code")]
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

        var result = Run("screen", "--input", path, "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Contains($"{path}:3: quoted field not closed", result.Error);
        Assert.Equal("", result.Output);
    }

    [Fact]
    public void Screen_InputInvalidUtf8_ErrorNamesTheLine()
    {
        ImportMeti();
        var path = Path.Combine(_dir.FullName, "parties.jsonl");
        File.WriteAllBytes(path, [.. "{\"id\":\"1\",\"name\":\"Beihang\"}\n{\"id\":\"2\",\"name\":\""u8, 0xFF, 0xFE, .. "\"}\n"u8]);

        var result = Run("screen", "--input", path, "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Contains("line 2: bytes that are not valid utf-8", result.Error);
    }

    [Fact]
    public void Screen_TableOutput_EscapesControlCharactersFromListData()
    {
        // Raw control characters in a CSV are refused by the strict decoder; JSON escapes (FtM) still carry them into
        // names, so the table must make them visible instead of sending them to the terminal.
        var list = Path.Combine(_dir.FullName, "entities.ftm.json");
        File.WriteAllText(list, """{"id": "E1", "schema": "Company", "properties": {"name": ["EVIL\u001b[2J\u001b]0;owned\u0007 TRADING\u202E CORP"]}}""" + "\n");

        var result = Run("screen", "Evil Trading Corp", "--list", "ftm:" + list);

        Assert.Equal(0, result.Exit);
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
}
