using System.Data.Common;
using Microsoft.Data.Sqlite;

namespace Clearance.Store;

/// <summary>The SQLite file database (the default store).</summary>
public sealed class SqliteProvider : IDbProvider
{
    private readonly string _connectionString;

    /// <summary>Uses (and creates when absent) the database file at <paramref name="path"/>.</summary>
    public SqliteProvider(string path)
    {
        Location = path;
        _connectionString = new SqliteConnectionStringBuilder
        {
            DataSource = path,
            Mode = SqliteOpenMode.ReadWriteCreate,
            Cache = SqliteCacheMode.Private,
            Pooling = true,
            DefaultTimeout = (int)ListStore.WriteLockTimeout.TotalSeconds,
        }.ToString();
    }

    /// <inheritdoc />
    public string Location { get; }

    /// <summary>The database file.</summary>
    public string LocalPath => Location;

    /// <inheritdoc />
    public DbConnection Open()
    {
        var connection = new SqliteConnection(_connectionString);
        try
        {
            connection.Open();
            using var pragma = connection.CreateCommand();
            // WAL: readers (screening) are not blocked by an import; NORMAL sync is durable at checkpoints and safe against corruption.
            pragma.CommandText = "PRAGMA journal_mode=WAL; PRAGMA synchronous=NORMAL; PRAGMA foreign_keys=ON; PRAGMA busy_timeout=" + (int)ListStore.WriteLockTimeout.TotalMilliseconds + ";";
            pragma.ExecuteNonQuery();
            return connection;
        }
        catch (SqliteException e)
        {
            connection.Dispose();
            throw new ListStoreException(Describe(Location, e), e);
        }
    }

    /// <summary>
    /// What went wrong opening the file, in the user's terms: the SQLite result codes a user can cause (a wrong --db,
    /// a file without write access, a damaged file) named, any other with SQLite's own message.
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
            8 => $"the database {path} is read-only: this command needs to write to it (or to its directory)",
            14 => $"cannot open the database {path}: the file or its directory is missing or not accessible",
            13 => $"the disk holding {path} is full",
            5 or 6 => $"the database {path} is locked by another process; try again when it has finished",
            _ => $"the database {path}: {error.Message}",
        };
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
    ];

    /// <summary>Null: the store's transactions begin IMMEDIATE (Microsoft.Data.Sqlite's default), taking the write lock at once.</summary>
    public string? SchemaLockSql => null;

    /// <summary>Null: BEGIN IMMEDIATE takes the database's write lock, waiting up to busy_timeout (<see cref="ListStore.WriteLockTimeout"/>).</summary>
    public string? ImportLockSql => null;

    /// <inheritdoc />
    public string TableExistsSql => "SELECT COUNT(*) FROM sqlite_master WHERE type = 'table' AND name = @name";
}
