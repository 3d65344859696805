using Dapper;
using Microsoft.Data.Sqlite;

namespace Clearance.Store.Tests;

// SqliteProvider's write-ahead log: its connections do not move the log into the file when the last one closes
// (SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE); what was written stays readable from the log, a process's exit settles it
// (SettleLog: synced, or moved into the file above LogKeptAtExit), and a read-only open that could only read the file
// alone refuses rather than answer from an older state.
public sealed class SqliteLogTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static void Write(string path, int rows, int bytesPerRow)
    {
        using var connection = new SqliteProvider(path).Open();
        connection.Execute("CREATE TABLE IF NOT EXISTS written (n INTEGER, data BLOB)");
        using var transaction = connection.BeginTransaction();
        for (var n = 0; n < rows; n++)
        {
            connection.Execute("INSERT INTO written VALUES (@n, randomblob(@size))", new { n, size = bytesPerRow }, transaction);
        }

        transaction.Commit();
    }

    /// <summary>The rows of the database file alone, copied without its log (what a copy of that file would hold).</summary>
    private long RowsInFileAlone(string path)
    {
        var copy = Path.Combine(_databases.Directory.FullName, $"alone-{Guid.NewGuid():N}.db");
        File.Copy(path, copy);
        using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = copy, Pooling = false }.ToString());
        connection.Open();
        return connection.ExecuteScalar<long>("SELECT COUNT(*) FROM sqlite_master WHERE name = 'written'") == 0 ? 0
            : connection.ExecuteScalar<long>("SELECT COUNT(*) FROM written");
    }

    [Fact]
    public void Close_LastConnection_LeavesTheLogAndItsRowsReadable()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;

        Write(path, 100, 1000);
        SqliteConnection.ClearAllPools();

        Assert.True(SqliteProvider.HasLoggedChanges(path));
        Assert.Equal(0, RowsInFileAlone(path)); // not checkpointed at close
        using var connection = new SqliteProvider(path).Open();
        Assert.Equal(100, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM written"));
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
    }

    [Fact]
    public void SettleLog_SmallLog_KeepsItWhole()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;
        Write(path, 100, 1000);
        SqliteConnection.ClearAllPools();
        var before = new FileInfo(path + "-wal").Length;

        SqliteProvider.SettleLog(path);

        Assert.Equal(before, new FileInfo(path + "-wal").Length);
        Assert.True(before <= SqliteProvider.LogKeptAtExit);
        using var connection = new SqliteProvider(path).Open();
        Assert.Equal(100, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM written"));
    }

    [Fact]
    public void SettleLog_LogAboveTheLimit_MovesItIntoTheFileAndTruncatesIt()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;
        var rows = (int)(SqliteProvider.LogKeptAtExit / 8_000) + 100; // one transaction: no automatic checkpoint inside it
        Write(path, rows, 8_000);
        SqliteConnection.ClearAllPools();
        Assert.True(new FileInfo(path + "-wal").Length > SqliteProvider.LogKeptAtExit);

        SqliteProvider.SettleLog(path);

        Assert.False(SqliteProvider.HasLoggedChanges(path));
        Assert.Equal(rows, RowsInFileAlone(path));
    }

    [Fact]
    public void SettleLog_NoLog_DoesNothing()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;

        SqliteProvider.SettleLog(path);

        Assert.False(File.Exists(path + "-wal"));
    }

    [Fact]
    public void OpenReadOnly_LoggedChangesInAnImmutableDirectoryWithoutShm_RefusesNamingTheLog()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;
        Write(path, 10, 100);
        SqliteConnection.ClearAllPools();
        File.Delete(path + "-shm"); // SQLite must create it to read the log, which the directory refuses
        var directory = Path.GetDirectoryName(path)!;
        if (!ReadOnlyDatabaseTests.Chattr("+i", directory))
            return; // chattr not supported here (not root, or a file system without attributes)
        try
        {
            var e = Assert.Throws<ListStoreException>(() => new SqliteProvider(path, readOnly: true).Open());

            Assert.Contains($"its log {path}-wal holds changes not yet in the file", e.Message, StringComparison.Ordinal);
            Assert.DoesNotContain('\n', e.Message);
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            ReadOnlyDatabaseTests.Chattr("-i", directory);
        }
    }

    [Fact]
    public void OpenReadOnly_LoggedChangesWithShmInAnImmutableDirectory_ReadsThem()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;
        Write(path, 10, 100);
        SqliteConnection.ClearAllPools();
        var directory = Path.GetDirectoryName(path)!;
        if (!ReadOnlyDatabaseTests.Chattr("+i", directory))
            return; // chattr not supported here
        try
        {
            using var connection = new SqliteProvider(path, readOnly: true).Open();

            Assert.Equal(10, connection.ExecuteScalar<long>("SELECT COUNT(*) FROM written"));
        }
        finally
        {
            SqliteConnection.ClearAllPools();
            ReadOnlyDatabaseTests.Chattr("-i", directory);
        }
    }
}
