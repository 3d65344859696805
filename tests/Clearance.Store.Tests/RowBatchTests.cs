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
    public void Write_DirectBindingAgainstTheReference_SameRowsStored()
    {
        // The CLI's and this host's SQLite is SQLitePCLRaw's e_sqlite3: the direct binding must be there, or the writer
        // silently takes the slower reference path.
        Assert.NotNull(RowBatch.DirectBinding.Available);
        var database = _databases.Create(TestDatabase.Sqlite);
        _ = new ListStore(database.CreateProvider());
        using var connection = database.CreateProvider().Open();
        connection.Execute("CREATE TABLE direct_test (n BIGINT, text TEXT, number BIGINT, other TEXT)");
        connection.Execute("CREATE TABLE reference_test (n BIGINT, text TEXT, number BIGINT, other TEXT)");
        var direct = new RowBatch("direct_test",
            ("n", RowBatch.Kind.Long), ("text", RowBatch.Kind.Text), ("number", RowBatch.Kind.Long), ("other", RowBatch.Kind.Text));
        var reference = new RowBatch("reference_test",
            ("n", RowBatch.Kind.Long), ("text", RowBatch.Kind.Text), ("number", RowBatch.Kind.Long), ("other", RowBatch.Kind.Text)) { ReferenceBinding = true };
        // Fixed seed: texts of every size (empty; short; past one of the arena's 256 KB blocks, so a statement spans blocks
        // and has texts in arrays of their own), non-ASCII (2-, 3- and 4-byte UTF-8), repeated instances and nulls.
        var random = new Random(23);
        var pieces = new[] { "a", "é", "東京", "😀", "Straße ", "\"q\"", "\u0000" };
        var shared = "shared " + pieces[2];
        for (var write = 0; write < 3; write++)
        {
            using var transaction = connection.BeginTransaction();
            for (var n = write * 1000; n < (write * 1000) + 300 + write; n++)
            {
                var length = random.Next(10) switch { 0 => 0, < 8 => random.Next(1, 200), 8 => random.Next(1_000, 20_000), _ => random.Next(90_000, 300_000) };
                var text = new System.Text.StringBuilder();
                while (text.Length < length)
                    text.Append(pieces[random.Next(pieces.Length)]);
                string? value = random.Next(6) switch { 0 => null, 1 => shared, _ => text.ToString() };
                long? number = random.Next(4) == 0 ? null : random.NextInt64(long.MinValue, long.MaxValue);
                var other = random.Next(3) == 0 ? null : random.Next(2) == 0 ? shared : "other " + n;
                direct.Row().Long(n).Text(value).Long(number).Text(other).End();
                reference.Row().Long(n).Text(value).Long(number).Text(other).End();
            }

            direct.Write(connection, transaction, postgres: false);
            reference.Write(connection, transaction, postgres: false);
            direct.Clear();
            reference.Clear();
            transaction.Commit();
        }

        const string Rows = "SELECT n, text, number, other, typeof(text), length(CAST(text AS BLOB)) FROM {0} ORDER BY n";
        var written = connection.Query<(long, string?, long?, string?, string, long?)>(string.Format(System.Globalization.CultureInfo.InvariantCulture, Rows, "direct_test")).ToList();
        var expected = connection.Query<(long, string?, long?, string?, string, long?)>(string.Format(System.Globalization.CultureInfo.InvariantCulture, Rows, "reference_test")).ToList();
        Assert.Equal(903, written.Count);
        Assert.Equal(expected, written);
        Assert.Contains(written, row => row.Item2 == "");
        Assert.Contains(written, row => row.Item2 is { Length: > 256 * 1024 });
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
