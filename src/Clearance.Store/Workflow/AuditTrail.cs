using System.Data.Common;
using Clearance.Audit;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>Which audit records to show; a null field does not filter.</summary>
/// <param name="Action">The action (kind), e.g. "shipment.release".</param>
/// <param name="Actor">Who acted (a key's name, or the CLI's user).</param>
/// <param name="From">The first day (UTC) of the records.</param>
/// <param name="To">The last day (UTC) of the records.</param>
public sealed record AuditFilter(string? Action, string? Actor, LocalDate? From, LocalDate? To);

/// <summary>
/// The audit trail in the store: records appended inside the transaction of the change they record (so a change and its
/// record commit or roll back together), chained by hash (<see cref="AuditChain"/>). Appends take turns: SQLite's write
/// lock already serialises them; on PostgreSQL an advisory lock held to the end of the transaction does.
/// </summary>
public sealed class AuditTrail
{
    private const long PostgresLockKey = 7325146302;
    private readonly IDbProvider _provider;

    /// <summary>The trail of the database behind <paramref name="provider"/> (whose schema is already current).</summary>
    public AuditTrail(IDbProvider provider) => _provider = provider;

    /// <summary>What an audit record says, before the trail gives it its place and hash.</summary>
    /// <param name="Actor">Who acted.</param>
    /// <param name="Action">What was done.</param>
    /// <param name="Subject">What it was done to.</param>
    /// <param name="Inputs">Inputs as JSON.</param>
    /// <param name="Outputs">Outputs as JSON.</param>
    /// <param name="ContentVersion">Content version used, or empty.</param>
    /// <param name="ListVersions">List versions used, or empty.</param>
    public readonly record struct Entry(string Actor, string Action, string Subject, string Inputs, string Outputs, string ContentVersion = "", string ListVersions = "");

    /// <summary>Appends <paramref name="entry"/> in <paramref name="transaction"/>, after the trail's last record.</summary>
    public AuditRecord Append(DbConnection connection, DbTransaction transaction, Instant time, Entry entry)
    {
        ArgumentNullException.ThrowIfNull(connection);
        var (sequence, hash) = Lock(connection, transaction);
        var record = AuditChain.Append(hash, sequence + 1, time,
            entry.Actor, entry.Action, entry.Subject, entry.Inputs, entry.Outputs, entry.ContentVersion, entry.ListVersions);
        Insert(connection, transaction, [new StoredRecord(record, null, 0)]);
        return record;
    }

    /// <summary>
    /// Takes the trail's turn for <paramref name="transaction"/> (PostgreSQL: the advisory lock, held to its end; SQLite:
    /// the transaction's write lock already is it) and returns the last record's sequence and hash (0 and
    /// <see cref="AuditChain.Genesis"/> for an empty trail). Nobody else appends until the transaction ends, so a writer
    /// that appends many records keeps the chain's head itself instead of reading it again for each. Every transaction
    /// of the workflow that appends calls this first, before it locks any licence or shipment row, so that the lock
    /// order is the same everywhere and two writers cannot deadlock.
    /// </summary>
    internal (long Sequence, string Hash) Lock(DbConnection connection, DbTransaction transaction)
    {
        // Advisory locks are the database's, not the schema's: the key is the schema's own, so that stores in other
        // schemas of the same database (tenants, the tests' schemas) do not wait for each other.
        if (_provider is NpgsqlProvider)
            PlainCommand.Execute(connection, "SELECT pg_advisory_xact_lock(hashtextextended(current_schema(), @key))", transaction, ("key", PostgresLockKey));
        using var command = PlainCommand.Create(connection, "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1", transaction);
        using var reader = command.ExecuteReader();
        return reader.Read() ? (reader.GetInt64(0), reader.GetString(1)) : (0, AuditChain.Genesis);
    }

    /// <summary>
    /// An audit record as it is stored: when <paramref name="SharedKey"/> is set, the record's outputs lack the shared part
    /// of a determination (<see cref="DeterminationSchema"/>), which goes back in at <paramref name="SharedAt"/> when read;
    /// its hash is over the whole outputs. The place is stored counted from the end of the outputs (they end with the
    /// determination), so that an edit of the record's other outputs still leaves it readable, and named by verify and
    /// replay, rather than spliced at the wrong place.
    /// </summary>
    /// <param name="Record">The record, its outputs as stored.</param>
    /// <param name="SharedKey">The key of the shared part in <c>determinations</c>, or null when the outputs are whole.</param>
    /// <param name="SharedAt">Where in the outputs the shared part goes.</param>
    /// <param name="InputsFromLine">
    /// The record's inputs are the request stored with the line it is about (<c>shipments.request</c> of its subject,
    /// written in the same transaction): not stored a second time, read back from there; the hash is over them all the same.
    /// </param>
    /// <param name="Time">The record's time as <see cref="AuditChain.FormatTime"/> gave it for its hash, or null to format it again.</param>
    internal readonly record struct StoredRecord(AuditRecord Record, string? SharedKey, int SharedAt, bool InputsFromLine = false, string? Time = null);

    /// <summary>Writes <paramref name="records"/> (chained after the head <see cref="Lock"/> returned) in <paramref name="transaction"/>.</summary>
    internal void Insert(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredRecord> records) =>
        Insert(connection, transaction, records, Rows(records.Count));

    /// <summary>Empty rows for <see cref="Insert(DbConnection, DbTransaction, IReadOnlyList{StoredRecord}, RowBatch)"/>, with room for <paramref name="records"/> records.</summary>
    internal static RowBatch Rows(int records) => new("audit", records,
        ("sequence", RowBatch.Kind.Long), ("time", RowBatch.Kind.Text), ("actor", RowBatch.Kind.Text), ("action", RowBatch.Kind.Text),
        ("subject", RowBatch.Kind.Text), ("inputs", RowBatch.Kind.Text), ("outputs", RowBatch.Kind.Text), ("content_version", RowBatch.Kind.Text),
        ("list_versions", RowBatch.Kind.Text), ("previous_hash", RowBatch.Kind.Text), ("hash", RowBatch.Kind.Text),
        ("shared_sha256", RowBatch.Kind.Text), ("shared_from_end", RowBatch.Kind.Long), ("inputs_from_line", RowBatch.Kind.Long));

    /// <summary>
    /// <see cref="Insert(DbConnection, DbTransaction, IReadOnlyList{StoredRecord})"/> through <paramref name="rows"/> (made by
    /// <see cref="Rows"/>, empty): a writer that inserts batch after batch keeps one and does not allocate its columns
    /// each time. The rows are cleared after they are written.
    /// </summary>
    internal void Insert(DbConnection connection, DbTransaction transaction, IReadOnlyList<StoredRecord> records, RowBatch rows)
    {
        foreach (var (r, sharedKey, sharedAt, inputsFromLine, time) in records)
        {
            rows.Row().Long(r.Sequence).Text(time ?? AuditChain.FormatTime(r.Time)).Text(r.Actor).Text(r.Action).Text(r.Subject)
                .Text(inputsFromLine ? "" : r.Inputs).Text(r.Outputs).Text(r.ContentVersion).Text(r.ListVersions).Text(r.PreviousHash).Text(r.Hash)
                .Text(sharedKey).Long(sharedKey is null ? null : r.Outputs.Length - sharedAt).Long(inputsFromLine ? 1L : null).End();
        }

        try
        {
            rows.Write(connection, transaction, _provider is NpgsqlProvider);
        }
        finally
        {
            rows.Clear();
        }
    }

    /// <summary>The records, in sequence order, optionally only those recorded in [<paramref name="from"/>, <paramref name="to"/>).</summary>
    public IEnumerable<AuditRecord> Read(Instant? from = null, Instant? to = null)
    {
        using var connection = _provider.Open();
        // Unbuffered: a trail of millions of records is verified or exported without holding it in memory.
        foreach (var record in PlainCommand.Stream(connection, Select + " ORDER BY sequence", ReadRecord))
        {
            if ((from is { } f && record.Time < f) || (to is { } t && record.Time >= t))
                continue;
            yield return record;
        }
    }

    /// <summary>
    /// A page of the trail, newest first: the records that pass <paramref name="filter"/>, after skipping
    /// <paramref name="skip"/> of them, at most <paramref name="take"/>; and how many pass in all.
    /// </summary>
    public (IReadOnlyList<AuditRecord> Records, long Total) Newest(AuditFilter filter, int skip, int take)
    {
        ArgumentNullException.ThrowIfNull(filter);
        var conditions = new List<string>();
        var parameters = new List<(string Name, object? Value)>();
        void Where(string condition, string name, string? value)
        {
            if (value is null)
                return;
            conditions.Add(condition);
            parameters.Add((name, value));
        }

        Where("action = @action", "action", filter.Action);
        Where("actor = @actor", "actor", filter.Actor);
        // Times are stored as ISO instants in UTC: their first ten characters are the UTC day.
        Where("substr(time, 1, 10) >= @from", "from", filter.From is { } from ? LocalDatePattern.Iso.Format(from) : null);
        Where("substr(time, 1, 10) <= @to", "to", filter.To is { } to ? LocalDatePattern.Iso.Format(to) : null);
        var where = conditions.Count == 0 ? "" : " WHERE " + string.Join(" AND ", conditions);
        using var connection = _provider.Open();
        var total = PlainCommand.Int64(connection, "SELECT COUNT(*) FROM audit" + where, null, [.. parameters]);
        parameters.Add(("skip", (long)Math.Max(skip, 0)));
        parameters.Add(("take", (long)Math.Max(take, 0)));
        var records = PlainCommand.Query(connection, Select + where + " ORDER BY sequence DESC LIMIT @take OFFSET @skip", null, ReadRecord, [.. parameters]);
        return (records, total);
    }

    /// <summary>The actions and the actors the trail holds, each sorted, for a filter's choices.</summary>
    public (IReadOnlyList<string> Actions, IReadOnlyList<string> Actors) Kinds()
    {
        using var connection = _provider.Open();
        return (PlainCommand.Query(connection, "SELECT DISTINCT action FROM audit ORDER BY action", null, r => r.GetString(0)),
            PlainCommand.Query(connection, "SELECT DISTINCT actor FROM audit ORDER BY actor", null, r => r.GetString(0)));
    }

    /// <summary>The record numbered <paramref name="sequence"/>, or null when the trail has none.</summary>
    public AuditRecord? Find(long sequence)
    {
        using var connection = _provider.Open();
        return PlainCommand.First(connection, Select + " WHERE sequence = @sequence", null, ReadRecord, ("sequence", sequence));
    }

    /// <summary>Checks the whole chain; null when it verifies, else the first break.</summary>
    public AuditBreak? Verify() => AuditChain.Verify(Read());

    /// <summary>The number of records and the last one's hash (keep it elsewhere: a trail rewritten whole from the first record on can only be caught against it).</summary>
    public (long Count, string Head) Head()
    {
        using var connection = _provider.Open();
        var last = PlainCommand.First<(long Sequence, string Hash)?>(connection, "SELECT sequence, hash FROM audit ORDER BY sequence DESC LIMIT 1", null,
            r => (r.Int64(0), r.GetString(1)));
        return (last?.Sequence ?? 0, last?.Hash ?? AuditChain.Genesis);
    }

    /// <summary>
    /// The records with the shared part of their determination (if any) and the request of the line whose request their
    /// inputs are (if so) beside them: <see cref="ReadRecord"/> puts both back. The columns in its order.
    /// </summary>
    private const string Select =
        "SELECT a.sequence, a.time, a.actor, a.action, a.subject, a.inputs, a.outputs, a.content_version, a.list_versions, a.previous_hash, a.hash,"
        + " a.shared_sha256, a.shared_from_end, d.body AS shared_body, a.inputs_from_line, s.request AS line_request"
        + " FROM audit a LEFT JOIN determinations d ON d.sha256 = a.shared_sha256"
        + " LEFT JOIN shipments s ON a.inputs_from_line = 1 AND s.id = a.subject";

    /// <summary>The record at <paramref name="reader"/>'s position, its columns those of <see cref="Select"/>.</summary>
    private static AuditRecord ReadRecord(DbDataReader reader)
    {
        // A time that does not parse is kept as the epoch: the hash then fails and verify names the record.
        var time = InstantPattern.ExtendedIso.Parse(reader.GetString(1)) is { Success: true } parsed ? parsed.Value : Instant.FromUnixTimeTicks(0);
        var outputs = reader.GetString(6);
        if (!reader.IsDBNull(11))
        {
            // The shared part put back where it was taken out. A missing shared row or a place out of range (both
            // only by an edit of the database) gives outputs that do not match the hash: verify names the record.
            var at = outputs.Length - (int)Math.Clamp(reader.NullableInt64(12) ?? 0, 0, outputs.Length);
            outputs = string.Concat(outputs.AsSpan(0, at), reader.Text(13), outputs.AsSpan(at));
        }

        // The line's request, when the record's inputs are it; a line missing (only by an edit of the database) gives
        // empty inputs, which do not match the hash: verify names the record.
        var inputs = reader.NullableInt64(14) == 1 ? reader.Text(15) ?? "" : reader.GetString(5);
        return new AuditRecord(reader.Int64(0), time, reader.GetString(2), reader.GetString(3), reader.GetString(4), inputs, outputs,
            reader.GetString(7), reader.GetString(8), reader.GetString(9), reader.GetString(10));
    }
}
