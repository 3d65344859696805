using System.Data.Common;

namespace Clearance.Store;

/// <summary>
/// The database behind the store: <see cref="SqliteProvider"/> (the default) or <see cref="NpgsqlProvider"/>. The store's
/// SQL is the common subset (ON CONFLICT DO NOTHING/UPDATE, RETURNING, named @parameters); only the schema and the
/// connection differ.
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

    /// <summary>Statements that create the schema when absent (idempotent).</summary>
    IReadOnlyList<string> SchemaStatements { get; }
}
