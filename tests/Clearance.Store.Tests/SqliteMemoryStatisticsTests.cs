using System.Runtime.CompilerServices;
using Dapper;

namespace Clearance.Store.Tests;

// SqliteProvider.MemoryStatisticsOff: SQLite's per-allocation statistics (a process-wide mutex) are off once the store
// has opened a database, as in the CLI, whose every connection is opened by SqliteProvider.
public sealed class SqliteMemoryStatisticsTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>
    /// The provider's class constructor before any test opens a connection of its own (SqlitePageSizeTests opens one
    /// with Microsoft.Data.Sqlite alone): SQLite takes the setting only before it is initialised, as in the CLI.
    /// </summary>
    [ModuleInitializer]
    internal static void ProviderFirst() => RuntimeHelpers.RunClassConstructor(typeof(SqliteProvider).TypeHandle);

    [Fact]
    public void Open_AnyDatabase_SqliteCountsNoMemory()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;

        using var connection = new SqliteProvider(path).Open();
        connection.Execute("CREATE TABLE t (value TEXT); INSERT INTO t VALUES (hex(randomblob(100000)))");

        // With the statistics on, SQLite counts the bytes it holds (the page cache, the statement): a few hundred KB here.
        Assert.Equal(SQLitePCL.raw.SQLITE_OK, SQLitePCL.raw.sqlite3_status(SQLitePCL.raw.SQLITE_STATUS_MEMORY_USED, out var used, out var highest, 0));
        Assert.Equal(0, used);
        Assert.Equal(0, highest);
    }

    [Fact]
    public void MemoryStatisticsOff_SqliteAlreadyInitialised_RefusedWithoutError()
    {
        using (var connection = new SqliteProvider(_databases.Create(TestDatabase.Sqlite).Location).Open())
            connection.Execute("SELECT 1");

        Assert.False(SqliteProvider.MemoryStatisticsOff());
    }
}
