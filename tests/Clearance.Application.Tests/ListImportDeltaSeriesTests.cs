using Clearance.Application;
using Clearance.Screening;
using Clearance.Screening.Lists;
using Clearance.Store;

namespace Clearance.Application.Tests;

/// <summary>
/// Issue 7: an FtM delta series (a delta index naming several delta files) of which a later file is broken applies
/// nothing: every file is read before the first is applied. A store refusal part-way (the shrink rule) stops the series
/// as docs/lists.md says: the versions before it stay, and importing the series again completes it to the same entries.
/// </summary>
public sealed class ListImportDeltaSeriesTests : IDisposable
{
    private static readonly string Series = SharedListFiles.Path("opensanctions_ftm", "t2");
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    /// <summary>A copy of the t2 series with its last delta file (3iv) replaced by <paramref name="last"/>; returns the index.</summary>
    private string CopySeries(string? last = null)
    {
        var folder = Path.Combine(_directory.FullName, "series");
        foreach (var version in Directory.GetDirectories(Series))
        {
            var target = Path.Combine(folder, Path.GetFileName(version));
            Directory.CreateDirectory(target);
            File.Copy(Path.Combine(version, "entities.delta.json"), Path.Combine(target, "entities.delta.json"));
        }
        if (last is not null)
            File.WriteAllText(Path.Combine(folder, "20240528134729-3iv", "entities.delta.json"), last);
        File.Copy(Path.Combine(Series, "delta.json"), Path.Combine(folder, "delta.json"));
        return Path.Combine(folder, "delta.json");
    }

    private ListStore NewStore() => ListStore.OpenSqlite(Path.Combine(_directory.FullName, "clearance.db"));

    [Fact]
    public void Run_DeltaIndexWithABrokenLastFile_AppliesNothing()
    {
        var store = NewStore();
        var full = SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json");
        ListImport.Run(store, "ftm", [full], "os", allowShrink: false);
        var index = CopySeries("{\"op\":\"DEL\",\"entity\":{\"id\":\"a\"}}\n{\"op\":\"ADD\",\"entity\":{\"id\":\"b\",\"schema\":\"Comp");

        var e = Assert.Throws<ListFormatException>(() => ListImport.Run(store, "ftm", [index], "os", allowShrink: true));

        Assert.EndsWith(Path.Combine("20240528134729-3iv", "entities.delta.json"), e.File, StringComparison.Ordinal);
        Assert.Equal(2, e.Line);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, 6), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
    }

    [Fact]
    public void Run_DeltaFilesGivenOneByOneWithABrokenLastFile_AppliesNothing()
    {
        var store = NewStore();
        var index = CopySeries("{\"op\":\"MOVE\",\"entity\":{\"id\":\"a\"}}\n");
        var files = Directory.GetDirectories(Path.GetDirectoryName(index)!).Order(StringComparer.Ordinal)
            .Select(d => Path.Combine(d, "entities.delta.json")).ToList();

        var e = Assert.Throws<ListFormatException>(() => ListImport.Run(store, "ftm", files, "os", allowShrink: true));

        Assert.Contains("unknown operation 'MOVE'", e.Message, StringComparison.Ordinal);
        Assert.Empty(store.Status());
    }

    [Fact]
    public void Run_DeltaIndexRefusedPartWayByTheShrinkRule_EarlierVersionsStayAndARerunCompletesIt()
    {
        var store = NewStore();
        var index = CopySeries();

        // npf (the fourth file) deletes one of three entries: more than a tenth, refused without --allow-shrink.
        var e = Assert.Throws<ListStoreException>(() => ListImport.Run(store, "ftm", [index], "os", allowShrink: false));

        Assert.Contains("removes 1 of the 3 entries of version 3", e.Message, StringComparison.Ordinal);
        var stopped = Assert.Single(store.Status());
        Assert.Equal((3, 3, 3), (stopped.Active.VersionNo, stopped.VersionCount, stopped.Active.EntityCount));

        ListImport.Run(store, "ftm", [index], "os", allowShrink: true);

        var clean = ListStore.OpenSqlite(Path.Combine(_directory.FullName, "clean.db"));
        ListImport.Run(clean, "ftm", [index], "os", allowShrink: true);
        Assert.Equal(
            clean.LoadActiveEntities().Select(Describe).Order(StringComparer.Ordinal),
            store.LoadActiveEntities().Select(Describe).Order(StringComparer.Ordinal));
    }

    private static string Describe(ListEntity entity) =>
        $"{entity.EntityId} {entity.PrimaryName} {string.Join("|", entity.Aliases.Select(a => a.Name))}";
}
