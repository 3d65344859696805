using Microsoft.Data.Sqlite;

namespace Clearance.Store.Tests;

// Plain commands name their parameters as the SQL writes them (@name), so that Microsoft.Data.Sqlite binds each with one
// lookup instead of trying every prefix: the same values bound to the same placeholders as the unprefixed names were.
public sealed class PlainCommandTests
{
    [Fact]
    public void Placeholder_NameWithAndWithoutAt_OneAtInFront()
    {
        Assert.Equal("@id", PlainCommand.Placeholder("id"));
        Assert.Equal("@id", PlainCommand.Placeholder("@id"));
        Assert.Equal("@content_version", PlainCommand.Placeholder("content_version"));
    }

    [Fact]
    public void CreateAndPrepare_RandomValues_BoundAsThePlainNamesWere()
    {
        using var connection = new SqliteConnection("Data Source=:memory:");
        connection.Open();
        const string Sql = "SELECT @a || '|' || coalesce(@b, 'null') || '|' || @a || '|' || @c";
        var random = new Random(20261205);
        using var prepared = PlainCommand.Prepare(connection, null, Sql, "a", "b", "c");
        for (var round = 0; round < 200; round++)
        {
            string? Value() => random.Next(5) == 0 ? null : new string((char)('a' + random.Next(26)), random.Next(0, 4));
            var (a, b, c) = (Value() ?? "", Value(), Value() ?? "");

            // The reference: Microsoft.Data.Sqlite's own binding of names without their prefix.
            using var reference = connection.CreateCommand();
            reference.CommandText = Sql;
            reference.Parameters.AddWithValue("a", a);
            reference.Parameters.AddWithValue("b", (object?)b ?? DBNull.Value);
            reference.Parameters.AddWithValue("c", c);
            var expected = (string)reference.ExecuteScalar()!;

            Assert.Equal(expected, PlainCommand.Scalar(connection, Sql, null, ("a", a), ("b", b), ("c", c)));
            for (var i = 0; i < 3; i++)
                prepared.Parameters[i].Value = (object?)new[] { a, b, c }[i] ?? DBNull.Value;
            Assert.Equal(expected, prepared.ExecuteScalar());
        }
    }
}
