using Microsoft.Data.Sqlite;

namespace Clearance.Store.Tests;

// The recheck's summary counts the open lines as every line less the others (three ranges of the status index): the
// same count as the held and released lines counted themselves, whatever statuses the table holds.
public sealed class OpenCountTests
{
    [Fact]
    public void OpenCount_EveryStatus_TheHeldAndReleasedLines()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        Execute(connection, "CREATE TABLE shipments (id TEXT PRIMARY KEY, status TEXT NOT NULL); CREATE INDEX shipments_status ON shipments(status)");
        // The four statuses, and texts that sort next to 'held' and 'released' on either side (a prefix, an extension, case).
        string[] statuses =
        [
            ShipmentStatus.Held, ShipmentStatus.Released, ShipmentStatus.Rejected, ShipmentStatus.Cancelled,
            "", "a", "hel", "held ", "heldx", "Held", "releas", "releasedx", "RELEASED", "zzz", "i", "q",
        ];
        var random = new Random(20261205);
        for (var round = 0; round < 30; round++)
        {
            Execute(connection, "DELETE FROM shipments");
            var lines = random.Next(0, 200);
            for (var i = 0; i < lines; i++)
            {
                // Open lines most often, as in a book; every status some of the time.
                var status = random.Next(3) == 0 ? statuses[random.Next(statuses.Length)] : statuses[random.Next(2)];
                Execute(connection, $"INSERT INTO shipments (id, status) VALUES ('L{i}', '{status}')");
            }

            Assert.Equal(
                Scalar(connection, "SELECT COUNT(*) FROM shipments WHERE status IN ('held', 'released')"),
                Scalar(connection, ShipmentStore.OpenCountSqlite));
        }
    }

    private static void Execute(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        command.ExecuteNonQuery();
    }

    private static long Scalar(SqliteConnection connection, string sql)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        return (long)command.ExecuteScalar()!;
    }
}
