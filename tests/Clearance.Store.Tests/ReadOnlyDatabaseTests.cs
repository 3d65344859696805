using System.Diagnostics;
using Clearance.Screening.Lists;
using Dapper;

namespace Clearance.Store.Tests;

/// <summary>
/// A database that cannot be written can still be read: the store opened read-only (Mode=ReadOnly) sets no WAL mode and
/// applies no migrations, and writes through it fail with one clear message. The tests run as root on CI, where file
/// permissions do not stop writes, so the read-only open is asked for explicitly; where chattr works, an immutable file
/// and directory are used as well.
/// </summary>
public sealed class ReadOnlyDatabaseTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static string Meti => SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");

    private static void Import(ListStore store, string path, string listId = "meti-eul")
    {
        var paths = new[] { path };
        store.Import(listId, "meti-eul", ListFiles.ParseAny("meti-eul", paths, listId), ListSource.FromFiles(paths));
    }

    private TestDatabase ImportedDatabase()
    {
        var database = _databases.Create(TestDatabase.Sqlite);
        Import(ListStore.Open(database.Location), Meti);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        return database;
    }

    [Fact]
    public void OpenReadOnly_CurrentDatabase_ReadsStatusAndScreensWithoutWriting()
    {
        var database = ImportedDatabase();
        var before = File.ReadAllBytes(database.Location);

        var store = ListStore.Open(database.Location, readOnly: true);

        Assert.True(store.ReadOnly);
        Assert.Equal(835, Assert.Single(store.Status()).Active.EntityCount);
        var warnings = new List<string>();
        var index = ScreeningIndexFile.Open(store, warnings.Add);
        Assert.NotNull(index);
        Assert.Contains(index.Screen(new Clearance.Screening.Matching.ScreeningQuery("Beihang University")), m => m.EntityId == "501");
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(database.Location));
    }

    [Fact]
    public void OpenReadOnly_Import_FailsWithAClearErrorAndChangesNothing()
    {
        var database = ImportedDatabase();
        var store = ListStore.Open(database.Location, readOnly: true);

        var e = Assert.Throws<ListStoreException>(() => Import(store, SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "other"));

        Assert.Contains("read-only", e.Message, StringComparison.Ordinal);
        Assert.Contains("nothing imported", e.Message, StringComparison.Ordinal);
        Assert.Single(ListStore.Open(database.Location).Status());
    }

    [Fact]
    public void ReadOnlyProvider_RawWrite_IsRefusedBySqlite()
    {
        var database = ImportedDatabase();
        var provider = new SqliteProvider(database.Location, readOnly: true);

        using var connection = provider.Open();
        var e = Assert.Throws<Microsoft.Data.Sqlite.SqliteException>(() => connection.Execute("DELETE FROM lists"));

        Assert.Equal(8, e.SqliteErrorCode); // SQLITE_READONLY
        Assert.Contains("read-only", SqliteProvider.Describe(database.Location, e), StringComparison.Ordinal);
    }

    [Fact]
    public void OpenReadOnly_OlderSchema_OneLineErrorToUpgradeWithWriteAccess_NothingWritten()
    {
        var database = _databases.Create(TestDatabase.Sqlite);
        PreviousReleaseDatabase.Create(database, TestDatabase.Sqlite);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        var before = File.ReadAllBytes(database.Location);

        var e = Assert.Throws<ListStoreException>(() => ListStore.Open(database.Location, readOnly: true));

        Assert.Contains("upgraded by a command with write access", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain('\n', e.Message);
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        Assert.Equal(before, File.ReadAllBytes(database.Location));
        // A writable open still upgrades it.
        Assert.Single(ListStore.Open(database.Location).Status());
    }

    [Fact]
    public void ImmutableFileAndDirectory_ScreensAndShowsStatus_ImportFailsClearly()
    {
        var database = ImportedDatabase();
        var directory = Path.GetDirectoryName(database.Location)!;
        foreach (var file in Directory.GetFiles(directory, "*.screening-index*"))
            File.Delete(file);
        if (!Chattr("+i", database.Location, directory))
            return; // chattr not supported here (not root, or a file system without attributes): covered by the tests above
        try
        {
            var store = ListStore.OpenForReading(database.Location);
            Assert.Single(store.Status());
            var warnings = new List<string>();
            var index = ScreeningIndexFile.Open(database.Location, warnings.Add);
            Assert.NotNull(index);
            Assert.Contains(warnings, w => w.Contains("cannot write", StringComparison.Ordinal));

            var e = Assert.Throws<ListStoreException>(() => Import(ListStore.Open(database.Location), SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "other"));
            Assert.StartsWith($"the database {database.Location} is read-only", e.Message, StringComparison.Ordinal);
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Chattr("-i", database.Location, directory);
        }
    }

    [Fact]
    public void ImmutableDirectory_OpenToWrite_SaysReadOnlyNotMissing()
    {
        var database = ImportedDatabase();
        var directory = Path.GetDirectoryName(database.Location)!;
        // A database whose log was moved into it has no -wal file: SQLite must create one beside it, which the directory
        // refuses. (Its connections leave the log at close: the log is moved into the file here first.)
        using (var connection = new Microsoft.Data.Sqlite.SqliteConnection($"Data Source={database.Location};Pooling=False"))
        {
            connection.Open();
            connection.Execute("PRAGMA wal_checkpoint(TRUNCATE)");
        }

        foreach (var file in Directory.GetFiles(directory).Where(f => f != database.Location))
            File.Delete(file);
        if (!Chattr("+i", directory))
            return; // chattr not supported here: SqliteProvider.Describe's other cases are covered above
        try
        {
            var e = Assert.Throws<ListStoreException>(() => Import(ListStore.Open(database.Location), SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv"), "other"));

            Assert.StartsWith($"the database {database.Location} is read-only: this command needs to write to it (or to its directory)", e.Message, StringComparison.Ordinal);
            Assert.Empty(Directory.GetFiles(directory, "*.probe"));
        }
        finally
        {
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            Chattr("-i", directory);
        }
    }

    [Fact]
    public void Describe_CannotOpenMissingFile_SaysMissing()
    {
        var missing = Path.Combine(Path.GetTempPath(), $"clearance-missing-{Guid.NewGuid():N}", "x.db");
        var error = new Microsoft.Data.Sqlite.SqliteException("unable to open database file", 14);

        Assert.Equal($"cannot open the database {missing}: the file or its directory is missing or not accessible", SqliteProvider.Describe(missing, error));
    }

    /// <summary>Runs chattr on the paths; false when it is not available or fails.</summary>
    internal static bool Chattr(string flag, params string[] paths)
    {
        try
        {
            using var process = Process.Start(new ProcessStartInfo("chattr", [flag, .. paths]) { RedirectStandardError = true, RedirectStandardOutput = true })!;
            process.WaitForExit();
            return process.ExitCode == 0;
        }
        catch (System.ComponentModel.Win32Exception)
        {
            return false;
        }
    }
}
