using System.Data.Common;
using System.Globalization;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>
/// One step of the store's schema. The steps are data, one ordered list per provider (<see cref="IDbProvider.Migrations"/>),
/// because SQLite and PostgreSQL need their own types and options for the same tables; <see cref="SchemaMigrations"/>
/// applies either list.
/// </summary>
/// <param name="Version">The schema version this step leads to: 1 for the first, then one more for each step.</param>
/// <param name="Name">What the step does, recorded in the schema_migrations table.</param>
/// <param name="Sql">The statements, run in one transaction together with the step's row in schema_migrations.</param>
public sealed record SchemaMigration(int Version, string Name, string Sql);

/// <summary>
/// The database was made or upgraded by a later release: its schema has migrations this build does not know, so reading
/// or writing it could misread data or break the later release's invariants. Nothing is changed. A
/// <see cref="ListStoreException"/>, so that every place that reports store errors as one line reports this one too.
/// </summary>
public sealed class SchemaVersionException(string location, int databaseVersion, int supportedVersion)
    : ListStoreException(
        $"database schema version {databaseVersion} of {location} is newer than this clearance supports (version {supportedVersion}); upgrade clearance")
{
    /// <summary>The version recorded in the database.</summary>
    public int DatabaseVersion { get; } = databaseVersion;

    /// <summary>The latest version this build knows.</summary>
    public int SupportedVersion { get; } = supportedVersion;
}

/// <summary>
/// Brings a database's schema to the provider's latest version when the store opens it. The applied versions are rows of
/// schema_migrations; each pending migration runs in its own transaction with its row, so an interrupted upgrade leaves
/// the database at the last complete version, and the next open continues from there.
/// </summary>
internal static class SchemaMigrations
{
    /// <summary>The same on both providers: INTEGER and TEXT mean what is needed on each.</summary>
    private const string CreateMigrationsTable =
        """
        CREATE TABLE IF NOT EXISTS schema_migrations (
            version    INTEGER PRIMARY KEY,
            name       TEXT NOT NULL,
            applied_at TEXT NOT NULL
        )
        """;

    /// <summary>
    /// Migration 3's SQL with a provider's types: the list_activations table, filled with the history so far. Before it,
    /// only imports changed a list's active version, each to the version it created, from the list's version before, at
    /// its import time.
    /// </summary>
    /// <param name="idColumn">The type and key of a generated id column.</param>
    /// <param name="integer">The integer type of version numbers.</param>
    /// <param name="collate">The collation clause of list ids (as on the lists table), or "".</param>
    public static string ListActivations(string idColumn, string integer, string collate) =>
        $"""
        CREATE TABLE list_activations (
            activation_id    {idColumn},
            list_id          TEXT{collate} NOT NULL REFERENCES lists(list_id),
            version_no       {integer} NOT NULL,
            previous_version {integer} NULL,
            activated_at     TEXT NOT NULL,
            kind             TEXT NOT NULL,
            note             TEXT NULL
        );
        CREATE INDEX list_activations_list ON list_activations (list_id, activation_id);
        INSERT INTO list_activations (list_id, version_no, previous_version, activated_at, kind, note)
        SELECT v.list_id, v.version_no,
               (SELECT MAX(p.version_no) FROM list_versions p WHERE p.list_id = v.list_id AND p.version_no < v.version_no),
               v.imported_at, 'import', NULL
        FROM list_versions v ORDER BY v.version_id
        """;

    /// <summary>
    /// The tables of version 1, which releases before schema versions created with no schema_migrations table: a
    /// database that has them all is one of those and is adopted as version 1.
    /// </summary>
    private static readonly string[] PreviousReleaseTables = ["lists", "list_versions", "entity_data", "version_entities"];

    /// <summary>Applies the pending migrations of <paramref name="provider"/>, adopting a database made before schema versions.</summary>
    /// <exception cref="SchemaVersionException">The database's version is newer than the provider's latest migration.</exception>
    /// <exception cref="ListStoreException">The database has some of version 1's tables but not all, and no schema_migrations.</exception>
    public static void Apply(IDbProvider provider, IClock clock)
    {
        var migrations = provider.Migrations;
        var latest = migrations[^1].Version;
        using var connection = provider.Open();

        // Up to date is the common case: checked without a transaction, because taking the write lock at every open would
        // make a screening wait for a running import (SQLite) for nothing.
        if (Exists(connection, null, provider, "schema_migrations") && CheckedVersion(connection, null, provider, latest) == latest)
            return;

        ApplyPending(connection, provider, clock);
    }

    /// <summary>
    /// The migrations <see cref="Apply"/> found pending. A method of its own, kept out of line, so that the up-to-date
    /// check of every command's open does not load Dapper (which these statements use): the runtime resolves the types a
    /// precompiled method names when it first runs it, whichever branch is taken (docs/benchmarks.md, recheck-cold23).
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.NoInlining)]
    private static void ApplyPending(DbConnection connection, IDbProvider provider, IClock clock)
    {
        var migrations = provider.Migrations;
        var latest = migrations[^1].Version;
        using (var transaction = Begin(connection, provider))
        {
            if (!Exists(connection, transaction, provider, "schema_migrations"))
                CreateOrAdopt(connection, transaction, provider, migrations[0], clock);
            transaction.Commit();
        }

        foreach (var migration in migrations)
        {
            using var transaction = Begin(connection, provider);
            // Read again under the lock: another process may have applied this migration since the check above.
            if (migration.Version <= CheckedVersion(connection, transaction, provider, latest))
                continue;
            PlainCommand.Execute(connection, migration.Sql, transaction);
            Record(connection, transaction, migration.Version, migration.Name, clock);
            transaction.Commit();
        }
    }

    /// <summary>
    /// For a store opened read-only: checks, without writing anything, that the database's schema is the provider's
    /// latest version. Migrations are writes, so an older (or empty) database cannot be brought up to date here.
    /// </summary>
    /// <exception cref="SchemaVersionException">The database's version is newer than the provider's latest migration.</exception>
    /// <exception cref="ListStoreException">The database needs migrations (or is not a clearance database yet).</exception>
    public static void Check(IDbProvider provider)
    {
        var latest = provider.Migrations[^1].Version;
        using var connection = provider.Open();
        var version = Exists(connection, null, provider, "schema_migrations") ? CheckedVersion(connection, null, provider, latest) : 0;
        if (version == latest)
            return;
        throw new ListStoreException(version == 0 && !Exists(connection, null, provider, "lists")
            ? $"the database {provider.Location} has no clearance tables and is open read-only: import a list with write access first"
            : $"the database {provider.Location} has schema version {version} and this clearance needs version {latest}: it is open read-only, so it " +
              "must first be upgraded by a command with write access to it and its directory (e.g. clearance lists import, or any command where it is writable)");
    }

    /// <summary>
    /// Creates schema_migrations; when the database already has the previous release's tables, records version 1 without
    /// running its DDL, so that the tables and their data stay as they are and later migrations apply to them in place.
    /// </summary>
    private static void CreateOrAdopt(DbConnection connection, DbTransaction transaction, IDbProvider provider, SchemaMigration first, IClock clock)
    {
        var present = PreviousReleaseTables.Where(table => Exists(connection, transaction, provider, table)).ToArray();
        if (present.Length > 0 && present.Length < PreviousReleaseTables.Length)
        {
            throw new ListStoreException(
                $"the database {provider.Location} has the table(s) {string.Join(", ", present)} but not " +
                $"{string.Join(", ", PreviousReleaseTables.Except(present))}, and no schema_migrations table: it was not made by " +
                "clearance, or it is damaged; use another database");
        }
        PlainCommand.Execute(connection, CreateMigrationsTable, transaction);
        if (present.Length == PreviousReleaseTables.Length)
            Record(connection, transaction, first.Version, first.Name + " (adopted: made by a release before schema versions)", clock);
    }

    /// <summary>A transaction that no other opener's schema transaction runs beside.</summary>
    private static DbTransaction Begin(DbConnection connection, IDbProvider provider)
    {
        var transaction = connection.BeginTransaction();
        if (provider.SchemaLockSql is { } lockSql)
            PlainCommand.Execute(connection, lockSql, transaction);
        return transaction;
    }

    /// <summary>The database's schema version (0 when no migration is recorded), refused when newer than <paramref name="latest"/>.</summary>
    private static int CheckedVersion(DbConnection connection, DbTransaction? transaction, IDbProvider provider, int latest)
    {
        var version = PlainCommand.Scalar(connection, "SELECT MAX(version) FROM schema_migrations", transaction) is { } v ? Convert.ToInt32(v, CultureInfo.InvariantCulture) : 0;
        if (version > latest)
            throw new SchemaVersionException(provider.Location, version, latest);
        return version;
    }

    private static bool Exists(DbConnection connection, DbTransaction? transaction, IDbProvider provider, string table) =>
        Convert.ToInt64(PlainCommand.Scalar(connection, provider.TableExistsSql, transaction, ("name", table)) ?? 0L, CultureInfo.InvariantCulture) > 0;

    private static void Record(DbConnection connection, DbTransaction transaction, int version, string name, IClock clock) =>
        PlainCommand.Execute(connection,
            "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, @name, @appliedAt)",
            transaction, ("version", version), ("name", name), ("appliedAt", InstantPattern.ExtendedIso.Format(clock.GetCurrentInstant())));
}
