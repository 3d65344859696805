using System.Collections.Concurrent;
using System.Data.Common;
using Microsoft.Data.Sqlite;

[assembly: System.Runtime.CompilerServices.InternalsVisibleTo("Clearance.Store.Tests")]

namespace Clearance.Store;

/// <summary>The SQLite file database (the default store).</summary>
public sealed class SqliteProvider : IDbProvider
{
    private readonly string _connectionString;

    /// <summary>
    /// SQLite's memory statistics off for the process, before its first connection (<see cref="MemoryStatisticsOff"/>).
    /// </summary>
    static SqliteProvider()
    {
        MemoryStatisticsOff();
        AppDomain.CurrentDomain.ProcessExit += (_, _) => SettleLogs();
    }

    /// <summary>
    /// Turns SQLite's memory statistics off (<c>SQLITE_CONFIG_MEMSTATUS</c>), when SQLite is not yet initialised in the
    /// process: with them on (the library's default) every allocation and free of SQLite's takes and releases one mutex
    /// for the whole process to count the bytes, and a submit's writer binds millions of texts, each copied into an
    /// allocation of SQLite's. Nothing here reads those statistics (no soft heap limit is set). Returns whether the
    /// setting took: SQLite accepts it only before it is initialised (SQLITE_MISUSE after), so a process that opened a
    /// connection first, as a test host may, keeps the default.
    /// </summary>
    internal static bool MemoryStatisticsOff()
    {
        SQLitePCL.Batteries_V2.Init();
        return SQLitePCL.raw.sqlite3_config(SQLitePCL.raw.SQLITE_CONFIG_MEMSTATUS, 0) == SQLitePCL.raw.SQLITE_OK;
    }

    /// <summary>
    /// Read-only: the connection string that opens the file as immutable (no -wal or -shm file needed), used when the
    /// plain read-only open fails because SQLite cannot create them beside the file (a read-only directory).
    /// </summary>
    private readonly string? _immutableConnectionString;

    /// <summary>Uses (and creates when absent) the database file at <paramref name="path"/>.</summary>
    public SqliteProvider(string path)
        : this(path, readOnly: false)
    {
    }

    /// <summary>
    /// Uses the database file at <paramref name="path"/>; <paramref name="readOnly"/>: opened with Mode=ReadOnly, never
    /// written (no WAL switch, no file created), so that a file or directory without write access can still be read.
    /// </summary>
    public SqliteProvider(string path, bool readOnly)
    {
        Location = path;
        ReadOnly = readOnly;
        _connectionString = ConnectionString(path, readOnly ? SqliteOpenMode.ReadOnly : SqliteOpenMode.ReadWriteCreate);
        if (readOnly)
        {
            // immutable=1: SQLite reads the file as it is, without the -shm file that reading a WAL database otherwise
            // creates. Only used when that file cannot be created, i.e. when nobody can write beside the database either.
            var uri = new UriBuilder { Scheme = "file", Host = string.Empty, Path = Path.GetFullPath(path) }.Uri.AbsoluteUri;
            _immutableConnectionString = ConnectionString(uri + "?immutable=1", SqliteOpenMode.ReadOnly);
        }
    }

    private static string ConnectionString(string dataSource, SqliteOpenMode mode) => new SqliteConnectionStringBuilder
    {
        DataSource = dataSource,
        Mode = mode,
        Cache = SqliteCacheMode.Private,
        Pooling = true,
        DefaultTimeout = (int)ListStore.WriteLockTimeout.TotalSeconds,
    }.ToString();

    /// <summary>True when the file is opened read-only (see the constructor).</summary>
    public bool ReadOnly { get; }

    /// <summary>
    /// Test hook: the most pages the database file may have (SQLite's <c>PRAGMA max_page_count</c>, set on every
    /// connection; such connections are not pooled), so that a test meets SQLITE_FULL as on a full disk without filling one.
    /// Null: SQLite's default.
    /// </summary>
    internal long? MaxPageCount { get; init; }

    /// <summary>
    /// The page size of a new database file: 16 KiB instead of SQLite's 4 KiB. A submitted line writes about 2.2 KB to
    /// seven B-trees; with larger pages the file has a quarter of the pages, so a quarter of the WAL frames (each one a
    /// write system call, a checksum and a header) and fewer B-tree splits, and rows of a kilobyte or more rarely spill
    /// to overflow pages (measured in docs/benchmarks.md, branch submit-speed5). A database made before keeps its page
    /// size (changing it needs a VACUUM of the whole file, which WAL mode does not allow).
    /// </summary>
    internal const int PageSize = 16_384;

    /// <summary>
    /// The size of the write-ahead log above which the process's exit moves it into the database file (a checkpoint);
    /// below it the log is only synced to disk and stays for the next process. See <see cref="SettleLog"/>.
    /// </summary>
    internal const long LogKeptAtExit = 8L * 1024 * 1024;

    /// <summary>
    /// The size SQLite truncates the log to when it starts it again after a checkpoint (<c>PRAGMA journal_size_limit</c>):
    /// a log grown by one large transaction (a whole import) does not keep its size on disk for good once its
    /// connections no longer move it into the file at close.
    /// </summary>
    private const long LogSizeLimit = 32L * 1024 * 1024;

    /// <summary>The database files this process opened to write: their logs are settled at its exit (<see cref="SettleLogs"/>).</summary>
    private static readonly ConcurrentDictionary<string, bool> WrittenFiles = new(StringComparer.Ordinal);

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>The database file.</summary>
    public string LocalPath => Location;

    /// <inheritdoc />
    public DbConnection Open()
    {
        if (!ReadOnly)
            return Open(_connectionString, readOnly: false);
        try
        {
            return Open(_connectionString, readOnly: true);
        }
        catch (ListStoreException e) when (e.InnerException is SqliteException { SqliteErrorCode: 8 or 14 } && File.Exists(Location))
        {
            // SQLITE_READONLY_CANTINIT / CANTOPEN: the -shm file of a WAL database cannot be created (read-only directory).
            // Opened as immutable, SQLite reads the file alone: changes still in its log would be missed, so that is
            // refused rather than answered from an older state.
            if (HasLoggedChanges(Location))
            {
                throw new ListStoreException(
                    $"the database {Location} cannot be read here: its log {Location}-wal holds changes not yet in the file, and SQLite cannot create {Location}-shm beside it to read them (a read-only directory); open it once with write access to its directory (any clearance command creates that file), or copy the database with its -wal file to a directory that can be written",
                    e);
            }

            return Open(_immutableConnectionString!, readOnly: true);
        }
    }

    private DbConnection Open(string connectionString, bool readOnly)
    {
        // A connection with the test hook's page limit is never pooled: it would keep the limit for later users.
        var connection = new SqliteConnection(MaxPageCount is null ? connectionString
            : new SqliteConnectionStringBuilder(connectionString) { Pooling = false }.ToString());
        try
        {
            connection.Open();
            if (readOnly)
            {
                // No journal mode or synchronous setting: both would write. Reading the schema here makes a file that
                // cannot be read fail now, with the messages below, rather than at the first query.
                using var readOnlyPragma = connection.CreateCommand();
                readOnlyPragma.CommandText = "PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" + (int)ListStore.WriteLockTimeout.TotalMilliseconds + ";";
                readOnlyPragma.ExecuteNonQuery();
                readOnlyPragma.CommandText = "SELECT COUNT(*) FROM sqlite_master";
                readOnlyPragma.ExecuteScalar();
                return connection;
            }

            using var pragma = connection.CreateCommand();
            // WAL: readers (screening) are not blocked by an import; NORMAL sync is durable at checkpoints and safe against corruption.
            // The page size applies only to a database not yet written (it is set before WAL, which writes the file's
            // header): see PageSize.
            pragma.CommandText = $"PRAGMA page_size={PageSize}; PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" + (int)ListStore.WriteLockTimeout.TotalMilliseconds + ";"
                + $" PRAGMA journal_size_limit={LogSizeLimit};"
                + (MaxPageCount is { } pages ? $" PRAGMA max_page_count={pages};" : "");
            pragma.ExecuteNonQuery();

            // No checkpoint when the last connection closes: a command's few hundred changed pages were copied into the
            // file and the file synced at every exit, which cost a recheck ~65 ms of its ~0.25 s on this machine's disk
            // (docs/benchmarks.md, session 48). The log stays beside the file, where every reader finds it (SQLite reads a
            // database together with its log), and is moved into the file by SQLite's automatic checkpoint (1,000 pages)
            // or at the exit of a process that leaves it above LogKeptAtExit; a process's exit syncs what it wrote
            // (SettleLogs), so a finished command is as durable as before.
            SQLitePCL.raw.sqlite3_db_config(connection.Handle, SQLitePCL.raw.SQLITE_DBCONFIG_NO_CKPT_ON_CLOSE, 1, out _);
            WrittenFiles.TryAdd(Path.GetFullPath(Location), true);
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ListStoreException(Describe(Location, e), e);
        }
    }

    /// <summary>True when the database's write-ahead log holds at least one frame (more than its 32-byte header).</summary>
    internal static bool HasLoggedChanges(string path)
    {
        var log = new FileInfo(path + "-wal");
        return log.Exists && log.Length > 32;
    }

    /// <summary>Settles the log of every database file this process opened to write (<see cref="SettleLog"/>); run at the process's exit.</summary>
    internal static void SettleLogs()
    {
        foreach (var path in WrittenFiles.Keys)
        {
            SettleLog(path);
        }
    }

    /// <summary>
    /// Makes what the process wrote to the database at <paramref name="path"/> durable: a log above
    /// <see cref="LogKeptAtExit"/> is moved into the file and truncated (a checkpoint, which syncs both), so that the
    /// next process does not read it all again to rebuild its index; a smaller one is synced as it is (SQLite's
    /// synchronous=NORMAL writes the log at each commit without syncing it, and syncs it at checkpoints only). Failures
    /// are ignored: the data stays in the log, where SQLite finds it, and the next checkpoint syncs it.
    /// </summary>
    internal static void SettleLog(string path)
    {
        try
        {
            var log = new FileInfo(path + "-wal");
            if (!log.Exists)
            {
                return;
            }

            if (log.Length > LogKeptAtExit)
            {
                using var connection = new SqliteConnection(new SqliteConnectionStringBuilder { DataSource = path, Mode = SqliteOpenMode.ReadWrite, Pooling = false }.ToString());
                connection.Open();
                using var checkpoint = connection.CreateCommand();
                checkpoint.CommandText = "PRAGMA wal_checkpoint(TRUNCATE)";
                checkpoint.ExecuteNonQuery();
                return;
            }

            using var stream = new FileStream(log.FullName, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete, 1);
            stream.Flush(flushToDisk: true);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or SqliteException)
        {
        }
    }

    /// <summary>
    /// What went wrong opening or writing the file, in the user's terms: the SQLite result codes a user can cause or meet
    /// (a wrong --db, a file without write access, a damaged file, a full disk, a disk error) named, any other with
    /// SQLite's own message.
    /// </summary>
    /// <param name="path">The database file.</param>
    /// <param name="error">The SQLite error.</param>
    public static string Describe(string path, SqliteException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.SqliteErrorCode switch
        {
            26 => $"{path} is not a clearance database (SQLite: file is not a database); give the database with --db or ${DatabaseLocation.EnvironmentVariable}",
            11 => $"the database {path} is damaged (SQLite: database disk image is malformed)",
            8 => ReadOnlyMessage(path),
            // CANTOPEN also when the file is there but SQLite cannot write it or create its -wal file beside it (a
            // read-only directory or file system): that is the cause to name, not a missing file.
            14 when CannotWriteExisting(path) => ReadOnlyMessage(path),
            14 => $"cannot open the database {path}: the file or its directory is missing or not accessible",
            13 => $"the disk holding {path} is full",
            10 => $"cannot read or write the database {path}: the disk reported an error (SQLite: disk I/O error)",
            5 or 6 => $"the database {path} is locked by another process; try again when it has finished",
            _ => $"the database {path}: {error.Message}",
        };
    }

    private static string ReadOnlyMessage(string path) =>
        $"the database {path} is read-only: this command needs to write to it (or to its directory); commands that only read (screen, lists status, lists diff) can use it as it is";

    /// <summary>
    /// True when <paramref name="path"/> is a file that can be read but not written, or whose directory takes no new
    /// file (probed with a temporary file deleted on close): what SQLite needs to write a WAL database.
    /// </summary>
    private static bool CannotWriteExisting(string path)
    {
        try
        {
            if (!File.Exists(path))
                return false;
            using (File.OpenRead(path))
            {
            }
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return false; // not readable either: "not accessible" says it
        }

        try
        {
            using (File.Open(path, FileMode.Open, FileAccess.ReadWrite, FileShare.ReadWrite | FileShare.Delete))
            {
            }

            var directory = Path.GetDirectoryName(Path.GetFullPath(path))!;
            var probe = Path.Combine(directory, $".{Path.GetFileName(path)}.{Environment.ProcessId}.{Guid.NewGuid():N}.probe");
            using (new FileStream(probe, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1, FileOptions.DeleteOnClose))
            {
            }

            return false;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return true;
        }
    }

    /// <inheritdoc />
    public IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, "lists, list versions and their entities",
            """
            CREATE TABLE lists (
                list_id        TEXT PRIMARY KEY,
                format         TEXT NOT NULL,
                active_version INTEGER NULL
            );
            CREATE TABLE list_versions (
                version_id   INTEGER PRIMARY KEY AUTOINCREMENT,
                list_id      TEXT NOT NULL REFERENCES lists(list_id),
                version_no   INTEGER NOT NULL,
                format       TEXT NOT NULL,
                imported_at  TEXT NOT NULL,
                source_date  TEXT NULL,
                source_files TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                entity_count INTEGER NOT NULL,
                name_count   INTEGER NOT NULL,
                based_on     INTEGER NULL REFERENCES list_versions(version_id),
                UNIQUE (list_id, version_no)
            );
            CREATE TABLE entity_data (
                content_hash BLOB PRIMARY KEY,
                name_count   INTEGER NOT NULL,
                data         BLOB NOT NULL
            ) WITHOUT ROWID;
            CREATE TABLE version_entities (
                version_id     INTEGER NOT NULL REFERENCES list_versions(version_id),
                entity_list_id TEXT NOT NULL,
                entity_id      TEXT NOT NULL,
                content_hash   BLOB NOT NULL,
                PRIMARY KEY (version_id, entity_list_id, entity_id)
            ) WITHOUT ROWID
            """),
        new(2, "a note on list versions (e.g. a shrink accepted with --allow-shrink)",
            "ALTER TABLE list_versions ADD COLUMN note TEXT NULL"),
        new(3, "list activations: every change of a list's active version (imports, lists activate)", SchemaMigrations.ListActivations("INTEGER PRIMARY KEY AUTOINCREMENT", "INTEGER", "")),
        new(4, WorkflowSchema.Name, WorkflowSchema.Sqlite),
        new(5, ContentArchiveSchema.Name, ContentArchiveSchema.Sql),
        new(6, ApiKeySchema.Name, ApiKeySchema.Sql),
        new(7, ScreeningDecisionSchema.Name, ScreeningDecisionSchema.Sqlite),
        new(8, ShipmentFactsSchema.Name, ShipmentFactsSchema.Sqlite),
        new(9, DeterminationSchema.Name, DeterminationSchema.Sqlite),
        new(AuditRowidSchema.Version, AuditRowidSchema.Name, AuditRowidSchema.Sqlite),
        new(RecheckPartiesSchema.Version, RecheckPartiesSchema.Name, RecheckPartiesSchema.Sqlite),
        new(TransactionPartiesSchema.Version, TransactionPartiesSchema.Name, TransactionPartiesSchema.Sql),
        new(RecheckLinePartiesSchema.Version, RecheckLinePartiesSchema.Name, RecheckLinePartiesSchema.Sqlite),
        new(RecheckFlaggedLinesSchema.Version, RecheckFlaggedLinesSchema.Name, RecheckFlaggedLinesSchema.Sqlite),
        new(VersionChangesSchema.Version, VersionChangesSchema.Name, VersionChangesSchema.Sqlite),
    ];

    /// <summary>Null: the store's transactions begin IMMEDIATE (Microsoft.Data.Sqlite's default), taking the write lock at once.</summary>
    public string? SchemaLockSql => null;

    /// <summary>Null: BEGIN IMMEDIATE takes the database's write lock, waiting up to busy_timeout (<see cref="ListStore.WriteLockTimeout"/>).</summary>
    public string? ImportLockSql => null;

    /// <inheritdoc />
    public string TableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
}
