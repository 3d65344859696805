using System.Data.Common;

namespace Clearance.Store;

/// <summary>
/// The database behind the store: <see cref="SqliteProvider"/> (the default) or <see cref="NpgsqlProvider"/>. The store's
/// SQL is the common subset (ON CONFLICT DO NOTHING/UPDATE, RETURNING, named @parameters); only the schema and the
/// connection differ.
/// The providers are data for the shared code (ListStore, SchemaMigrations), not strategies with behaviour of their own.
/// </summary>
public interface IDbProvider
{
    /// <summary>Where the data is, for messages (a file path or a host/database).</summary>
    string Location { get; }

    /// <summary>
    /// The local file path that files derived from this database are named after (the persisted screening index, list
    /// downloads): the database file itself for SQLite, a path in the user's data directory for a server.
    /// </summary>
    string LocalPath { get; }

    /// <summary>Opens a new connection, ready for use.</summary>
    DbConnection Open();

    /// <summary>
    /// The schema as ordered migrations, versions 1, 2, 3...; version 1 is the schema of the releases before schema
    /// versions. A migration, once released, never changes: databases record that they have it.
    /// </summary>
    IReadOnlyList<SchemaMigration> Migrations { get; }

    /// <summary>
    /// Run first in every schema transaction, so that processes opening the same new or older database take turns instead
    /// of racing; null where beginning a transaction already shuts out other writers (SQLite's BEGIN IMMEDIATE).
    /// </summary>
    string? SchemaLockSql { get; }

    /// <summary>
    /// Run first in every import transaction, with @listId and @timeout (e.g. "30000ms"), so that imports of the same list
    /// take turns and a waiting one gives up after the timeout; null where beginning a transaction already takes the
    /// database's write lock (SQLite's BEGIN IMMEDIATE, which waits for the connection's busy timeout).
    /// </summary>
    string? ImportLockSql { get; }

    /// <summary>A query that counts the tables named @name where the store's tables are created (the catalogs differ).</summary>
    string TableExistsSql { get; }
}
