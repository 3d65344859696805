using System.CommandLine;
using System.Text.Json;
using Clearance.Application;
using Clearance.Cli.Lists;

namespace Clearance.Cli.Tests.Lists;

public sealed class ListsCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    internal static (int Exit, string Output, string Error) Run(params string[] args)
    {
        var root = new RootCommand { ListsCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();
        var exit = root.Parse(args).Invoke(new InvocationConfiguration { Output = output, Error = error });
        return (exit, output.ToString(), error.ToString());
    }

    [Theory]
    [InlineData("status")]
    [InlineData("import")]
    [InlineData("diff")]
    public void Command_DatabaseOfANewerRelease_OneLineErrorExit1(string command)
    {
        Assert.Equal(0, Run("lists", "status", "--db", Db).Exit);
        NewerReleaseDatabase.Mark(Db, 99);

        string[] args = command switch
        {
            "import" => ["lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"), "--db", Db],
            "diff" => ["lists", "diff", "--list", "meti-eul", "--db", Db],
            _ => ["lists", "status", "--db", Db],
        };
        var (exit, _, error) = Run(args);

        Assert.Equal(1, exit);
        Assert.StartsWith("error: database schema version 99", error, StringComparison.Ordinal);
        Assert.Contains("newer than this clearance supports", error, StringComparison.Ordinal);
        Assert.DoesNotContain("   at ", error, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData("--input", "error: unknown option '--input' for 'clearance lists import' (see 'clearance lists import --help')")]
    [InlineData("-", "error: PATH: - (standard input) is one list file: give it alone")]
    public void Import_UnknownOptionOrStandardInputWithFiles_SaysSoNotFileNotFoundExit1(string word, string message)
    {
        var (exit, output, error) = Run("lists", "import", "--format", "meti-eul", word, SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"), "--db", Db);

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public void Import_StandardInputWithFilename_SourceDateFromTheNameAsForAFile()
    {
        var eul = File.ReadAllText(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));

        var (exit, output, error) = CliRunner.Run(Db, eul, "lists", "import", "--format", "meti-eul", "--filename", "meti_eul_2025-09-29.csv", "-");

        Assert.True(exit == 0, error);
        Assert.StartsWith("meti-eul version 1: 835 entities, 3,081 names, source date 2025-09-29 (first version)", output, StringComparison.Ordinal);
        var status = JsonDocument.Parse(Run("lists", "status", "--db", Db, "-o", "json").Output).RootElement;
        Assert.Equal("2025-09-29", status.GetProperty("source_date").GetString());
    }

    [Fact]
    public void Import_StandardInputOlderThanTheActiveVersion_RefusedNamingStandardInputExit1()
    {
        var file = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        Assert.Equal(0, Run("lists", "import", "--format", "meti-eul", file, "--db", Db).Exit);

        // The same file would be "unchanged"; without its last entry it is a new version, dated a day earlier by its name.
        var lines = File.ReadAllLines(file);
        var lastEntryRemoved = string.Join("\n", lines[..^1]) + "\n";

        var (exit, output, error) = CliRunner.Run(Db, lastEntryRemoved, "lists", "import", "--format", "meti-eul", "--filename", "meti_eul_2025-09-28.csv", "-");

        Assert.Equal(1, exit);
        Assert.Equal("", output);
        Assert.StartsWith("error: meti_eul_2025-09-28.csv (standard input) has source date 2025-09-28, older than the active version 1 of list meti-eul", error, StringComparison.Ordinal);
        Assert.DoesNotContain("clearance-stdin-", error, StringComparison.Ordinal); // never the temporary copy's path
    }

    [Theory]
    [InlineData("../sdn_2024-05-03.csv", "-", "error: --filename: '../sdn_2024-05-03.csv' is not a plain file name (no directories), e.g. sdn_2024-05-03.csv")]
    [InlineData("sdn_2024-05-03.csv", "sdn.csv", "error: --filename names what - (standard input) holds; a file's own name is used")]
    public void Import_FilenameNotPlainOrWithoutStandardInput_OneLineExit1(string fileName, string path, string message)
    {
        var (exit, _, error) = CliRunner.Run(Db, "", "lists", "import", "--format", "ofac-csv", "--filename", fileName, path);

        Assert.Equal(1, exit);
        Assert.Equal(message, error.Trim());
    }

    [Fact]
    public void Import_ThenStatusJson_ShowsVersionAndCounts()
    {
        var import = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"), "--db", Db);

        Assert.Equal(0, import.Exit);
        Assert.Contains("meti-eul version 1: 835 entities", import.Output);
        var status = Run("lists", "status", "--output", "json", "--db", Db);
        using var json = JsonDocument.Parse(Assert.Single(status.Output.TrimEnd().Split('\n')));
        var list = json.RootElement;
        Assert.Equal("meti-eul", list.GetProperty("list").GetString());
        Assert.Equal(835, list.GetProperty("entities").GetInt32());
        Assert.Equal("2025-09-29", list.GetProperty("source_date").GetString());
    }

    [Fact]
    public void Diff_AfterTwoSdnImports_PrintsCountsAndIds()
    {
        Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-04-26.csv"), "--db", Db);
        Run("lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv"), "--db", Db);

        var diff = Run("lists", "diff", "--list", "ofac-sdn", "--output", "table", "--db", Db);

        Assert.Equal(0, diff.Exit);
        Assert.Contains("ofac-sdn: version 1 -> 2: 305 added, 8 removed, 0 changed", diff.Output);
        var removed = diff.Output.Split('\n').Where(l => l.TrimStart().StartsWith("removed", StringComparison.Ordinal))
            .Select(l => l.Split(' ', StringSplitOptions.RemoveEmptyEntries)[1]);
        Assert.Equal(["38556", "38557", "38558", "38559", "38560", "38563", "38565", "38566"], removed);
    }

    [Fact]
    public void Import_BrokenFile_ExitCode1AndPreviousVersionStays()
    {
        Run("lists", "import", "--format", "bis-dpl", SharedListFiles.Path("csl_bis", "bis_dpl.txt"), "--db", Db);
        var broken = _dir.Write("dpl.txt", string.Join("\n", File.ReadLines(SharedListFiles.Path("csl_bis", "bis_dpl_bench.txt")).Take(100)) + "\n\"TRUNCATED\t\"x");

        var result = Run("lists", "import", "--format", "bis-dpl", broken, "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Contains("dpl.txt:101", result.Error);
        Assert.Contains("nothing imported", result.Error);
        Assert.Contains("bis-dpl version 1", Run("lists", "import", "--format", "bis-dpl", SharedListFiles.Path("csl_bis", "bis_dpl.txt"), "--db", Db).Output);
    }

    [Fact]
    public void Import_HeaderOnlyCsv_Exit1AndScreeningStillSeesTheActiveVersion()
    {
        var meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        Run("lists", "import", "--format", "meti-eul", meti, "--db", Db);
        var header = _dir.Write("eul.csv", File.ReadLines(meti).First() + "\n");

        var result = Run("lists", "import", "--format", "meti-eul", header, "--db", Db);

        Assert.Equal(1, result.Exit);
        Assert.Equal($"error: {header} contains no entries: nothing imported; the active version 1 of list meti-eul stays", result.Error.Trim());
        var screen = new RootCommand { Clearance.Cli.Screen.ScreenCommand.Create(), ListsCommand.Create() }.Parse(["screen", "Beihang University", "--db", Db]);
        var output = new StringWriter();
        Assert.Equal(ExitCodes.Hit, screen.Invoke(new InvocationConfiguration { Output = output, Error = new StringWriter() }));
        Assert.Contains("Beihang University", output.ToString());
    }

    [Fact]
    public void Import_TenthOfTheEntries_RefusedUnlessAllowShrink()
    {
        var meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        Run("lists", "import", "--format", "meti-eul", meti, "--db", Db);
        var tenth = _dir.Write("eul.csv", string.Join("\n", File.ReadLines(meti).Take(1 + 83)) + "\n");

        var refused = Run("lists", "import", "--format", "meti-eul", tenth, "--db", Db);
        var allowed = Run("lists", "import", "--format", "meti-eul", tenth, "--allow-shrink", "--db", Db);

        Assert.Equal(1, refused.Exit);
        Assert.Contains("removes 752 of the 835 entries of version 1 (more than 10 %; among them meti-eul/", refused.Error);
        Assert.Contains("--allow-shrink", refused.Error);
        Assert.Equal(0, allowed.Exit);
        Assert.Contains("meti-eul version 2: 83 entities", allowed.Output);
        Assert.Contains("(shrink allowed (--allow-shrink): removes 752 of the 835 entries of version 1)", allowed.Output);
        using var status = JsonDocument.Parse(Run("lists", "status", "--output", "json", "--db", Db).Output);
        Assert.Equal("shrink allowed (--allow-shrink): removes 752 of the 835 entries of version 1",
            status.RootElement.GetProperty("note").GetString());
    }

    [Fact]
    public void Import_FtmDeltaIndex_AppliesEveryVersionInOrder()
    {
        // One delta of the series deletes one of three entries: more than the shrink limit allows without the flag.
        var result = Run("lists", "import", "--format", "ftm", "--list", "os", SharedListFiles.Path("opensanctions_ftm", "t2", "delta.json"), "--allow-shrink", "--db", Db);

        Assert.Equal(0, result.Exit);
        Assert.Contains("os version 5: 3 entities", result.Output);
    }

    [Fact]
    public void Import_UnknownFormat_RejectedByParser()
    {
        var result = Run("lists", "import", "--format", "xlsx", "x.xlsx", "--db", Db);

        Assert.NotEqual(0, result.Exit);
        Assert.Contains("xlsx", result.Error);
    }
}
