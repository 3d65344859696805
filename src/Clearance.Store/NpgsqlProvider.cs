using System.Data.Common;
using System.Globalization;
using System.Net.Sockets;
using System.Security.Cryptography;
using System.Text;
using Npgsql;

namespace Clearance.Store;

/// <summary>
/// A PostgreSQL database (Npgsql), named by a connection string (<c>Host=...;Database=...</c>) or a URI
/// (<c>postgres://user:password@host:port/database?sslmode=require</c>). The store's SQL runs unchanged; only the
/// schema's types differ from SQLite's, and text keys use the "C" collation so that rows come back in the same (byte)
/// order as from SQLite whatever the database's locale.
/// </summary>
public sealed class NpgsqlProvider : IDbProvider
{
    private readonly string _connectionString;

    /// <summary>Uses the database named by <paramref name="connectionStringOrUri"/>.</summary>
    /// <exception cref="ArgumentException">It is neither a valid Npgsql connection string nor a postgres:// URI.</exception>
    public NpgsqlProvider(string connectionStringOrUri)
    {
        ArgumentNullException.ThrowIfNull(connectionStringOrUri);
        var builder = Parse(connectionStringOrUri.Trim());
        _connectionString = builder.ConnectionString;
        var host = builder.Host ?? "localhost";
        var database = builder.Database ?? builder.Username ?? "";
        var searchPath = string.IsNullOrEmpty(builder.SearchPath) ? "" : "?search_path=" + Uri.EscapeDataString(builder.SearchPath);
        Location = string.Create(CultureInfo.InvariantCulture,
            $"postgresql://{(builder.Username is { Length: > 0 } user ? Uri.EscapeDataString(user) + "@" : "")}{host}:{builder.Port}/{Uri.EscapeDataString(database)}{searchPath}");
        // Keyed by what identifies the data (not the password, which may change and must not leak into a file name).
        var key = Convert.ToHexStringLower(SHA256.HashData(Encoding.UTF8.GetBytes(Location.ToLowerInvariant())))[..16];
        LocalPath = Path.Combine(DatabaseLocation.DataDirectory(), "clearance", "postgresql", key, "clearance");
    }

    /// <summary>postgresql://user@host:port/database (never the password).</summary>
    public string Location { get; }

    /// <summary>
    /// $XDG_DATA_HOME/clearance/postgresql/HASH/clearance, HASH being 16 hex digits of the SHA-256 of
    /// <see cref="Location"/>: one folder per server, database, user and search path.
    /// </summary>
    public string LocalPath { get; }

    /// <inheritdoc />
    /// <exception cref="ListStoreException">The server cannot be reached or refuses the connection.</exception>
    public DbConnection Open()
    {
        var connection = new NpgsqlConnection(_connectionString);
        try
        {
            connection.Open();
            return connection;
        }
        catch (Exception e) when (e is NpgsqlException or SocketException or TimeoutException)
        {
            connection.Dispose();
            throw new ListStoreException($"cannot connect to the PostgreSQL database {Location}: {e.Message}", e);
        }
    }

    /// <summary>
    /// What a PostgreSQL error that a user can meet while writing means, in the user's terms: a read-only session or
    /// standby server (SQLSTATE 25006), a user without write grants (42501), a full disk on the server (53100); null for
    /// any other error.
    /// </summary>
    /// <param name="location">The database, as <see cref="Location"/> says it.</param>
    /// <param name="error">The error the server sent.</param>
    public static string? Describe(string location, PostgresException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.SqlState switch
        {
            PostgresErrorCodes.ReadOnlySqlTransaction =>
                $"the database {location} is read-only (a read-only session or a standby server): this command needs to write to it; " +
                "commands that only read (screen, lists status, lists diff) can use it as it is",
            PostgresErrorCodes.InsufficientPrivilege =>
                $"the PostgreSQL user may not write to the database {location} ({error.MessageText}): this command needs a user with " +
                "write grants; commands that only read (screen, lists status, lists diff) can use it as it is",
            PostgresErrorCodes.DiskFull => $"the disk of the PostgreSQL server holding {location} is full",
            _ => null,
        };
    }

    /// <summary>True for the errors of a session that may read but not write (<see cref="Describe"/>: read-only, no write grants).</summary>
    internal static bool IsWriteRefused(Exception? error) =>
        error is PostgresException { SqlState: PostgresErrorCodes.ReadOnlySqlTransaction or PostgresErrorCodes.InsufficientPrivilege };

    /// <inheritdoc />
    public IReadOnlyList<SchemaMigration> Migrations { get; } =
    [
        new(1, "lists, list versions and their entities",
            """
            CREATE TABLE lists (
                list_id        TEXT COLLATE "C" PRIMARY KEY,
                format         TEXT NOT NULL,
                active_version BIGINT NULL
            );
            CREATE TABLE list_versions (
                version_id   BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY,
                list_id      TEXT COLLATE "C" NOT NULL REFERENCES lists(list_id),
                version_no   BIGINT NOT NULL,
                format       TEXT NOT NULL,
                imported_at  TEXT NOT NULL,
                source_date  TEXT NULL,
                source_files TEXT NOT NULL,
                sha256       TEXT NOT NULL,
                entity_count BIGINT NOT NULL,
                name_count   BIGINT NOT NULL,
                based_on     BIGINT NULL REFERENCES list_versions(version_id),
                UNIQUE (list_id, version_no)
            );
            CREATE TABLE entity_data (
                content_hash BYTEA PRIMARY KEY,
                name_count   BIGINT NOT NULL,
                data         BYTEA NOT NULL
            );
            CREATE TABLE version_entities (
                version_id     BIGINT NOT NULL REFERENCES list_versions(version_id),
                entity_list_id TEXT COLLATE "C" NOT NULL,
                entity_id      TEXT COLLATE "C" NOT NULL,
                content_hash   BYTEA NOT NULL,
                PRIMARY KEY (version_id, entity_list_id, entity_id)
            )
            """),
        new(2, "a note on list versions (e.g. a shrink accepted with --allow-shrink)",
            "ALTER TABLE list_versions ADD COLUMN note TEXT NULL"),
        new(3, "list activations: every change of a list's active version (imports, lists activate)", SchemaMigrations.ListActivations("BIGINT GENERATED BY DEFAULT AS IDENTITY PRIMARY KEY", "BIGINT", " COLLATE \"C\"")),
        new(4, WorkflowSchema.Name, WorkflowSchema.Postgres),
        new(5, ContentArchiveSchema.Name, ContentArchiveSchema.Sql),
        new(6, ApiKeySchema.Name, ApiKeySchema.Sql),
        new(7, ScreeningDecisionSchema.Name, ScreeningDecisionSchema.Postgres),
        new(8, ShipmentFactsSchema.Name, ShipmentFactsSchema.Postgres),
        new(9, DeterminationSchema.Name, DeterminationSchema.Postgres),
        new(AuditRowidSchema.Version, AuditRowidSchema.Name, AuditRowidSchema.Postgres),
        new(RecheckPartiesSchema.Version, RecheckPartiesSchema.Name, RecheckPartiesSchema.Postgres),
        new(TransactionPartiesSchema.Version, TransactionPartiesSchema.Name, TransactionPartiesSchema.Sql),
        new(RecheckLinePartiesSchema.Version, RecheckLinePartiesSchema.Name, RecheckLinePartiesSchema.Postgres),
        new(RecheckFlaggedLinesSchema.Version, RecheckFlaggedLinesSchema.Name, RecheckFlaggedLinesSchema.Postgres),
        new(VersionChangesSchema.Version, VersionChangesSchema.Name, VersionChangesSchema.Postgres),
    ];

    /// <summary>
    /// A transaction-scoped advisory lock (the key the releases before schema versions used around their CREATE TABLE IF
    /// NOT EXISTS): the catalog is not safe against concurrent creation of the same table, and two openers must not both
    /// apply a migration.
    /// </summary>
    public string? SchemaLockSql => "SELECT pg_advisory_xact_lock(7325146301)";

    /// <summary>
    /// A transaction-scoped advisory lock per list (the two-key form, apart from the schema lock's single key), waited for
    /// at most lock_timeout: imports of the same list take turns, imports of different lists run side by side.
    /// </summary>
    public string? ImportLockSql => "SELECT set_config('lock_timeout', @timeout, true); SELECT pg_advisory_xact_lock(7325146, hashtext(@listId))";

    /// <summary>Tables in current_schema(), the first schema of the search path, where unqualified CREATE TABLE creates them.</summary>
    public string TableExistsSql => "SELECT COUNT(*) FROM pg_catalog.pg_tables WHERE schemaname = current_schema() AND tablename = @name";

    /// <summary>Reads a connection string, or a postgres:// / postgresql:// URI as libpq writes it.</summary>
    private static NpgsqlConnectionStringBuilder Parse(string text)
    {
        if (!DatabaseLocation.IsPostgresUri(text))
        {
            try
            {
                return new NpgsqlConnectionStringBuilder(text);
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"invalid PostgreSQL connection string: {e.Message}", nameof(text), e);
            }
        }

        if (!Uri.TryCreate(text, UriKind.Absolute, out var uri) || uri.Host.Length == 0)
            throw new ArgumentException("invalid PostgreSQL URI: expected postgres://[user[:password]@]host[:port][/database][?param=value&...]", nameof(text));
        var builder = new NpgsqlConnectionStringBuilder { Host = uri.Host.Trim('[', ']') };
        if (uri.Port > 0)
            builder.Port = uri.Port;
        if (uri.UserInfo.Length > 0)
        {
            var colon = uri.UserInfo.IndexOf(':', StringComparison.Ordinal);
            builder.Username = Uri.UnescapeDataString(colon < 0 ? uri.UserInfo : uri.UserInfo[..colon]);
            if (colon >= 0)
                builder.Password = Uri.UnescapeDataString(uri.UserInfo[(colon + 1)..]);
        }
        if (uri.AbsolutePath.Trim('/') is { Length: > 0 } database)
            builder.Database = Uri.UnescapeDataString(database);
        foreach (var pair in uri.Query.TrimStart('?').Split('&', StringSplitOptions.RemoveEmptyEntries))
        {
            var equals = pair.IndexOf('=', StringComparison.Ordinal);
            var name = Uri.UnescapeDataString(equals < 0 ? pair : pair[..equals]);
            var value = equals < 0 ? "" : Uri.UnescapeDataString(pair[(equals + 1)..]);
            var keyword = name.ToLowerInvariant() switch
            {
                "sslmode" => "SSL Mode",
                "application_name" => "Application Name",
                "connect_timeout" => "Timeout",
                "search_path" => "Search Path",
                _ => name,
            };
            try
            {
                builder[keyword] = value;
            }
            catch (Exception e) when (e is ArgumentException or FormatException or InvalidCastException)
            {
                throw new ArgumentException($"invalid PostgreSQL URI parameter '{name}': {e.Message}", nameof(text), e);
            }
        }
        return builder;
    }
}
