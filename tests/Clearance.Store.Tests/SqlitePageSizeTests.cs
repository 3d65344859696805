using Dapper;
using Microsoft.Data.Sqlite;

namespace Clearance.Store.Tests;

// SqliteProvider.PageSize: a new database file gets 16 KiB pages; one made before keeps its own and stays readable.
public sealed class SqlitePageSizeTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    private static long PageSize(string path)
    {
        using var connection = new SqliteProvider(path).Open();
        return connection.ExecuteScalar<long>("PRAGMA page_size");
    }

    [Fact]
    public void Open_NewFile_PagesOfSixteenKibibytesInWal()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;

        _ = new ListStore(new SqliteProvider(path));

        Assert.Equal(SqliteProvider.PageSize, PageSize(path));
        using var connection = new SqliteProvider(path).Open();
        Assert.Equal("wal", connection.ExecuteScalar<string>("PRAGMA journal_mode"));
    }

    [Fact]
    public void Open_FileWrittenWithFourKibibytePages_KeepsThemAndItsRows()
    {
        var path = _databases.Create(TestDatabase.Sqlite).Location;
        using (var before = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Pooling = false }.ToString()))
        {
            before.Open();
            before.Execute("PRAGMA page_size=4096; PRAGMA journal_mode=WAL; CREATE TABLE kept (value TEXT); INSERT INTO kept VALUES ('written before')");
        }

        _ = new ListStore(new SqliteProvider(path));

        Assert.Equal(4096, PageSize(path));
        using var connection = new SqliteProvider(path).Open();
        Assert.Equal("written before", connection.ExecuteScalar<string>("SELECT value FROM kept"));
        Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));
    }
}
