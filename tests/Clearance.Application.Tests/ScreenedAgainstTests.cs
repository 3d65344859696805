using System.Text.Json;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Application.Tests;

/// <summary>Results name the list versions they were screened against (issue 8).</summary>
public sealed class ScreenedAgainstTests : IDisposable
{
    private static readonly Evaluator Evaluator = new(ContentLoader.LoadBuiltIn());
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private void ImportMetiTwice()
    {
        var store = ListStore.OpenSqlite(Db);
        ListImport.Run(store, MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv")], null, allowShrink: true);
        ListImport.Run(store, MetiEulParser.Format, [SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")], null, allowShrink: true);
        ListImport.RefreshScreeningIndex(store, TextWriter.Null, TextWriter.Null);
    }

    private static string[] Check(EndUserScreening screening, params string?[] endUsers)
    {
        var service = new CheckService(Evaluator, screening);
        var lines = endUsers.Select((endUser, i) =>
            new ShipmentText(new ShipmentId($"s{i}", false), "2024-01-01", "JP", "CN", ["JP:16"], "civil", endUser).Validate(i + 1));
        using var output = new MemoryStream();
        CheckBatch.Run(service, new ResultJson(false), lines, output);
        return System.Text.Encoding.UTF8.GetString(output.ToArray()).TrimEnd('\n').Split('\n');
    }

    [Fact]
    public void Check_EndUserScreened_NamesTheActiveListVersionAndItsSourceDate()
    {
        ImportMetiTwice();
        EndUserScreening screening = EndUserScreeningFactory.Open(Db, TextWriter.Null);

        string[] lines = Check(screening, "Beihang University", null);

        using var screened = JsonDocument.Parse(lines[0]);
        Assert.Equal("""[{"list":"meti-eul","version":2,"source_date":"2025-09-29"}]""", screened.RootElement.GetProperty("screened_against").GetRawText());
        Assert.Equal([new ScreenedList("meti-eul", 2, new NodaTime.LocalDate(2025, 9, 29))], screening.ScreenedAgainst);
        // A line without an end user was screened against nothing, and says nothing of it.
        Assert.DoesNotContain("screened_against", lines[1], StringComparison.Ordinal);
    }

    [Fact]
    public void ScreeningIndexFile_FromTheSnapshotAsFromTheDatabase_SameVersions()
    {
        ImportMetiTwice();

        // The first open reads the snapshot written by the import (no database read, thanks to the stamp); the second
        // rebuilds from the database after the snapshot is gone.
        var fromSnapshot = ScreeningIndexFile.Open(Db, _ => { })!.ScreenedAgainst;
        File.Delete(ScreeningIndexFile.SnapshotPath(Db));
        var rebuilt = ScreeningIndexFile.Open(Db, _ => { })!.ScreenedAgainst;

        Assert.Equal([new ScreenedList("meti-eul", 2, new NodaTime.LocalDate(2025, 9, 29))], fromSnapshot);
        Assert.Equal(fromSnapshot, rebuilt);
    }

    [Fact]
    public void EndUserScreening_NothingOpened_NoVersions()
    {
        EndUserScreening screening = EndUserScreeningFactory.Open(Db, TextWriter.Null);

        Assert.Empty(screening.ScreenedAgainst);
        Assert.Empty(screening.Screen(Evaluator.Content.Jurisdictions.First(j => j.EndUserList == "meti-eul"), null, CountryCode.Parse("CN")).ScreenedAgainst);
    }
}
