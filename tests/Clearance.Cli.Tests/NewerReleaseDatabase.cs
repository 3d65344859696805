using Microsoft.Data.Sqlite;

namespace Clearance.Cli.Tests;

/// <summary>Makes a SQLite database look as a later release of clearance left it: one more applied migration.</summary>
internal static class NewerReleaseDatabase
{
    /// <summary>Records migration <paramref name="version"/> as applied in the database at <paramref name="path"/> (opened once before).</summary>
    public static void Mark(string path, int version)
    {
        using var connection = new SqliteConnection($"Data Source={path};Pooling=False");
        connection.Open();
        using var command = connection.CreateCommand();
        command.CommandText = "INSERT INTO schema_migrations (version, name, applied_at) VALUES (@version, 'from a later release', '2030-01-01T00:00:00Z')";
        command.Parameters.AddWithValue("@version", version);
        command.ExecuteNonQuery();
    }
}
