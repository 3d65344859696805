using Clearance.Screening.Lists;
using Dapper;

namespace Clearance.Store.Tests;

/// <summary>
/// A full disk during an import (issue 7): the import fails with one clear line and the old version stays active, with
/// nothing half-written; the screening index snapshot that cannot be written is a warning, not a failure. The tests cannot
/// fill a real disk (no tmpfs without root): SQLite's <c>max_page_count</c> makes it answer SQLITE_FULL exactly as on a
/// full disk, and the snapshot's temporary file is written through a stream that fails as a full disk does (ENOSPC).
/// </summary>
public sealed class FullDiskTests : IDisposable
{
    private static readonly string Meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");

    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>The METI file cut to its header and the first <paramref name="rows"/> rows.</summary>
    private string MetiRows(int rows) =>
        _databases.Directory.Write($"meti-{rows}.csv", string.Join("\n", File.ReadLines(Meti).Take(1 + rows)) + "\n");

    private static ImportResult Import(ListStore store, string path) =>
        store.Import("meti-eul", "meti-eul", MetiEulParser.Parse(path), ListSource.FromFiles([path]));

    private static long Scalar(string database, string sql)
    {
        using var connection = new SqliteProvider(database).Open();
        return connection.ExecuteScalar<long>(sql);
    }

    [Fact]
    public void Import_DiskFullWhileWriting_OneLineAndTheOldVersionStaysWhole()
    {
        var database = _databases.Create(TestDatabase.Sqlite).Location;
        var first = Import(ListStore.OpenSqlite(database), MetiRows(760));
        var pages = Scalar(database, "PRAGMA page_count");
        var entityData = Scalar(database, "SELECT COUNT(*) FROM entity_data");
        var full = new ListStore(new SqliteProvider(database) { MaxPageCount = pages });

        var e = Assert.Throws<ListStoreException>(() => Import(full, Meti));

        Assert.Equal($"the disk holding {database} is full; nothing imported for list meti-eul", e.Message);
        Assert.DoesNotContain('\n', e.Message);
        var store = ListStore.OpenSqlite(database);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, 760), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
        Assert.Equal(760, store.LoadActiveEntities().Count);
        Assert.Equal(entityData, Scalar(database, "SELECT COUNT(*) FROM entity_data"));
        Assert.Equal(1, Scalar(database, "SELECT COUNT(*) FROM list_versions"));
        using (var connection = new SqliteProvider(database).Open())
            Assert.Equal("ok", connection.ExecuteScalar<string>("PRAGMA integrity_check"));

        // With space again the same import goes through, as the next version after the one that stayed.
        var second = Import(store, Meti);
        Assert.Equal((2, 835), (second.Version.VersionNo, second.Version.EntityCount));
        Assert.Equal(first.Version.VersionNo, second.Changes!.FromVersion);
    }

    [Fact]
    public void Import_DiskFullOnTheFirstVersion_NoListAppears()
    {
        var database = _databases.Create(TestDatabase.Sqlite).Location;
        _ = ListStore.OpenSqlite(database); // the schema, then no room for more
        var pages = Scalar(database, "PRAGMA page_count");
        var full = new ListStore(new SqliteProvider(database) { MaxPageCount = pages });

        var e = Assert.Throws<ListStoreException>(() => Import(full, Meti));

        Assert.Equal($"the disk holding {database} is full; nothing imported for list meti-eul", e.Message);
        Assert.Empty(ListStore.OpenSqlite(database).Status());
        Assert.Equal(0, Scalar(database, "SELECT COUNT(*) FROM version_entities"));
    }

    [Fact]
    public void Open_DiskFullCreatingTheSchema_OneLine()
    {
        var database = _databases.Create(TestDatabase.Sqlite).Location;

        var e = Assert.Throws<ListStoreException>(() => new ListStore(new SqliteProvider(database) { MaxPageCount = 2 }));

        Assert.Equal($"the disk holding {database} is full", e.Message);
    }

    [Fact]
    public void Refresh_DiskFullWritingTheSnapshot_WarnsKeepsTheOldSnapshotAndScreens()
    {
        var database = _databases.Create(TestDatabase.Sqlite).Location;
        var store = ListStore.OpenSqlite(database);
        Import(store, MetiRows(760));
        var warnings = new List<string>();
        Assert.NotNull(ScreeningIndexFile.Refresh(store, warnings.Add));
        var snapshot = ScreeningIndexFile.SnapshotPath(store);
        var before = File.ReadAllBytes(snapshot);
        Import(store, Meti);

        Clearance.Screening.Matching.ScreeningIndex? index;
        ScreeningIndexFile.WriteThrough.Value = file => new FullDiskStream(file, roomLeft: 4096);
        try
        {
            index = ScreeningIndexFile.Refresh(store, warnings.Add);
        }
        finally
        {
            ScreeningIndexFile.WriteThrough.Value = null;
        }

        Assert.NotNull(index);
        Assert.Equal(835, index.EntityCount);
        var warning = Assert.Single(warnings);
        Assert.StartsWith($"cannot write {snapshot} (No space left on device", warning, StringComparison.Ordinal);
        Assert.EndsWith("screening will rebuild the index on each start", warning, StringComparison.Ordinal);
        Assert.Equal(before, File.ReadAllBytes(snapshot));
        Assert.Empty(Directory.EnumerateFiles(_databases.Directory.FullName, "*.tmp"));

        // The old snapshot is stale (other versions): the next start rebuilds from the database, without a warning.
        var reopened = ScreeningIndexFile.Open(database, warnings.Add);
        Assert.Equal(835, reopened!.EntityCount);
        Assert.Single(warnings);
    }

    /// <summary>Passes the first <paramref name="roomLeft"/> bytes on, then fails every write as a full disk does.</summary>
    private sealed class FullDiskStream(Stream inner, long roomLeft) : Stream
    {
        private long _written;

        public override void Write(byte[] buffer, int offset, int count)
        {
            if (_written + count > roomLeft)
                throw new IOException("No space left on device", 28);
            inner.Write(buffer, offset, count);
            _written += count;
        }

        public override bool CanRead => false;
        public override bool CanSeek => false;
        public override bool CanWrite => true;
        public override long Length => _written;
        public override long Position { get => _written; set => throw new NotSupportedException(); }
        public override void Flush() => inner.Flush();
        public override int Read(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
    }
}
