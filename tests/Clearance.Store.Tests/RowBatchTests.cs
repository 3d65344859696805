using Dapper;

namespace Clearance.Store.Tests;

// RowBatch binds a value again only when it is not the string instance (or null) its parameter holds from the statement's
// last execution (branch submit-speed7; by instance since submit-speed14): the rows stored must be the rows given,
// whatever repeats from one statement to the next.
public sealed class RowBatchTests : IDisposable
{
    private readonly TestDatabases _databases = new();

    public void Dispose() => _databases.Dispose();

    /// <summary>
    /// Row <paramref name="n"/>'s values: texts that repeat (the same string, or an equal one made anew), that change, and
    /// that turn null and back; numbers likewise, so that a parameter meets every change of kind between executions.
    /// </summary>
    private static (long N, string? Text, long? Number, string? Other) Row(int n) => (
        n,
        (n % 7) switch { 0 => null, 1 or 2 => "same", 3 => string.Concat("sa", "me"), 4 => "", _ => "text " + n },
        (n % 5) switch { 0 => null, 1 or 2 => 7, _ => n },
        n % 33 < 20 ? "constant" : n % 2 == 0 ? null : "odd " + n);

    [Theory]
    [MemberData(nameof(TestDatabase.Providers), MemberType = typeof(TestDatabase))]
    public void Write_ValuesRepeatingAndChangingAcrossStatements_StoredAsGiven(string provider)
    {
        var database = _databases.Create(provider);
        _ = new ListStore(database.CreateProvider()); // the database's schema and pragmas, as a store opens it
        using var connection = database.CreateProvider().Open();
        connection.Execute("CREATE TABLE row_batch_test (n BIGINT, text TEXT, number BIGINT, other TEXT)");
        var batch = new RowBatch("row_batch_test",
            ("n", RowBatch.Kind.Long), ("text", RowBatch.Kind.Text), ("number", RowBatch.Kind.Long), ("other", RowBatch.Kind.Text));
        // Four whole statements of 32 rows and a tail of single rows, written twice through the same batch object.
        var expected = new List<(long, string?, long?, string?)>();
        for (var write = 0; write < 2; write++)
        {
            using var transaction = connection.BeginTransaction();
            for (var n = write * 1000; n < write * 1000 + (4 * RowBatch.SqliteRowsPerStatement) + 5; n++)
            {
                var (number, text, value, other) = Row(n);
                batch.Row().Long(number).Text(text).Long(value).Text(other).End();
                expected.Add((number, text, value, other));
            }

            batch.Write(connection, transaction, provider == TestDatabase.Postgres);
            batch.Clear();
            transaction.Commit();
        }

        var stored = connection.Query<(long, string?, long?, string?)>("SELECT n, text, number, other FROM row_batch_test ORDER BY n").ToList();
        Assert.Equal(expected, stored);
    }

    [Fact]
    public void Row_ValueOfAnotherKindOrTooFewOrTooMany_RefusedAndNotCounted()
    {
        var batch = new RowBatch("row_batch_test", ("n", RowBatch.Kind.Long), ("text", RowBatch.Kind.Text));
        Assert.Throws<ArgumentException>(() => batch.Row().Text("1"));
        Assert.Throws<ArgumentException>(() => batch.Row().Long(1).Long(2));
        Assert.Throws<ArgumentException>(() => batch.Row().Long(1).End());
        Assert.Throws<ArgumentException>(() => batch.Row().Long(1).Text("a").Text("b"));
        Assert.Equal(0, batch.Count);
        batch.Row().Long(1).Text(null).End();
        Assert.Equal(1, batch.Count);
    }
}
