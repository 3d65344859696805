using System.Data.Common;

namespace Clearance.Store;

/// <summary>
/// The database behind the store. SQLite is the default; a PostgreSQL provider (Npgsql) plugs in here: the store's SQL
/// is the common subset (ON CONFLICT DO NOTHING/UPDATE, named @parameters), and only the schema and connection differ.
/// </summary>
public interface IDbProvider
{
    /// <summary>A short name for messages ("sqlite", "postgresql").</summary>
    string Name { get; }

    /// <summary>Where the data is, for messages (a file path or a host/database).</summary>
    string Location { get; }

    /// <summary>Opens a new connection, ready for use.</summary>
    DbConnection Open();

    /// <summary>Statements that create the schema when absent (idempotent).</summary>
    IReadOnlyList<string> SchemaStatements { get; }
}
