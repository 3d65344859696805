using System.Data.Common;
using System.Globalization;

namespace Clearance.Store;

/// <summary>Where the recheck's kept parties stood after a fold: the watermark and the shipments rows accounted for (<see cref="ShipmentStore.KeepRecheckParties"/>).</summary>
/// <param name="EventId">The highest shipment_events id folded in.</param>
/// <param name="Lines">The shipments rows there were then.</param>
public sealed record RecheckPartiesMark(long EventId, long Lines);

/// <summary>Migration 11's parties, kept by the recheck itself (<see cref="RecheckPartiesSchema"/>).</summary>
public sealed partial class ShipmentStore
{
    /// <summary>The parties kept after a fold, under the workflow's lock.</summary>
    private sealed record KeptParties(RecheckPartiesMark Mark, string? Floor, List<(string Name, string Destination)> Parties);

    /// <summary>
    /// Folds the lines submitted since the last recheck into the kept parties (<see cref="RecheckPartiesSchema"/>) and
    /// returns the watermark, so that <c>--full</c> can compact the set afterwards from the lines it read
    /// (<see cref="CompactRecheckParties"/>).
    /// </summary>
    public RecheckPartiesMark KeepRecheckParties()
    {
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        Audit.Lock(connection, transaction);
        var kept = Fold(connection, transaction, null, withParties: false);
        transaction.Commit();
        return kept.Mark;
    }

    /// <summary>
    /// <c>--full</c>: the kept parties made again from <paramref name="lines"/> (every held and released line, read after
    /// the fold that gave <paramref name="from"/>) and the lines submitted since that fold, so that the parties of closed
    /// lines leave the set. A line open now was submitted either before that fold (then it was open when the lines were
    /// read, and is among them) or after it (then its submit event is above the watermark); a count of shipments rows that
    /// the events do not explain builds the set whole instead.
    /// </summary>
    public void CompactRecheckParties(RecheckPartiesMark from, IReadOnlyList<OpenShipment> lines)
    {
        ArgumentNullException.ThrowIfNull(from);
        ArgumentNullException.ThrowIfNull(lines);
        var parties = new HashSet<(string, string)>();
        string? floor = null;
        foreach (var line in lines)
        {
            foreach (var name in line.Parties())
                parties.Add((name, line.Destination));
        }

        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        Audit.Lock(connection, transaction);
        if (lines.Count > 0)
        {
            // The floor: the earliest submission of the lines read, the first of them (OpenLines gives them in the order submitted).
            floor = PlainCommand.Scalar(connection, "SELECT submitted_at FROM shipment_facts WHERE shipment_id = @id", transaction, ("id", lines[0].Id)) as string;
        }

        Fold(connection, transaction, (from, [.. parties], floor), withParties: false);
        transaction.Commit();
    }

    /// <summary>
    /// The fold, in <paramref name="transaction"/> under the workflow's lock: the submit events above the watermark read
    /// (or, with <paramref name="replace"/>, above its mark, the set replaced by its parties first), their open lines'
    /// parties added, the watermark moved; the set built whole when there is no mark yet or the shipments rows outnumber
    /// what the events explain. Returns the kept parties (read only when <paramref name="withParties"/>).
    /// </summary>
    private KeptParties Fold(
        DbConnection connection, DbTransaction transaction, (RecheckPartiesMark From, List<(string, string)> Parties, string? Floor)? replace, bool withParties)
    {
        var lines = Convert.ToInt64(PlainCommand.Scalar(connection, "SELECT COUNT(*) FROM shipments", transaction), CultureInfo.InvariantCulture);
        RecheckPartiesMark? mark = null;
        string? floor = null;
        string? version = null; // migration 13: the content version of every line folded in, or null
        using (var command = PlainCommand.Create(connection, "SELECT event_id, lines, floor, content_version FROM recheck_parties_mark", transaction))
        using (var reader = command.ExecuteReader())
        {
            if (reader.Read())
            {
                mark = new RecheckPartiesMark(Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture), Convert.ToInt64(reader.GetValue(1), CultureInfo.InvariantCulture));
                floor = reader.Text(2);
                version = reader.Text(3);
            }
        }

        var versionRead = version;

        if (replace is { } r)
            (mark, floor) = (r.From, r.Floor);
        var whole = mark is null;
        if (mark is not null)
        {
            var added = new List<(string, string)>();
            var lineParties = new List<(string, string)>(); // (party, line id)
            var (events, top) = (0L, mark.EventId);
            using (var command = PlainCommand.Create(connection, RecheckPartiesSchema.Submitted, transaction, ("mark", mark.EventId)))
            using (var reader = command.ExecuteReader())
            {
                while (reader.Read())
                {
                    events++;
                    top = Math.Max(top, Convert.ToInt64(reader.GetValue(0), CultureInfo.InvariantCulture));
                    if (reader.GetString(1) is not (ShipmentStatus.Held or ShipmentStatus.Released))
                        continue; // closed already: it never opens again
                    var (destination, id) = (reader.GetString(4), reader.GetString(9));
                    void Party(string name)
                    {
                        added.Add((name, destination));
                        lineParties.Add((name, id));
                    }

                    if (reader.Text(2) is { } endUser)
                        Party(endUser);
                    if (reader.Text(3) is { } consignee)
                        Party(consignee);
                    if (reader.Text(6) is { } purchaser)
                        Party(purchaser);
                    foreach (var name in ShipmentParties.Names(reader.Text(7)) ?? [])
                        Party(name);
                    if (reader.Text(8) != version)
                        version = null; // a line of another content version folded in: not every line has one any more
                    var submitted = reader.GetString(5);
                    if (floor is null || string.CompareOrdinal(submitted.TrimEnd('Z'), floor.TrimEnd('Z')) < 0)
                        floor = submitted;
                }
            }

            // Lines written without a submit event (straight into the database), or rows gone: the events do not say
            // which parties are open, so the set is built whole.
            whole = mark.Lines + events != lines;
            if (!whole)
            {
                if (replace is { } with)
                {
                    PlainCommand.Execute(connection, "DELETE FROM recheck_parties", transaction);
                    added.AddRange(with.Parties);
                    PlainCommand.Execute(connection, RecheckLinePartiesSchema.DropClosed(_provider is NpgsqlProvider), transaction);
                }

                AddPairs(connection, transaction, "recheck_parties (name, destination)", added);
                AddPairs(connection, transaction, "recheck_line_parties (name, shipment_id)", lineParties);
                if (replace is not null || events > 0 || lines != mark.Lines || version != versionRead)
                    WriteMark(connection, transaction, new RecheckPartiesMark(top, lines), floor, version);
                mark = new RecheckPartiesMark(top, lines);
            }
        }

        if (whole)
        {
            // Rows the events do not explain may lack their facts (written straight into the database): filled first.
            // Otherwise every row has them: the last fold filled them, and submit writes each line's with it. (Before
            // migration 13 the two tables were counted at every recheck, ~4-8 ms of SQLite for 100,000 lines.)
            FillMissingFacts(connection, transaction);
            PlainCommand.Execute(connection, RecheckPartiesSchema.Rebuild(_provider is NpgsqlProvider), transaction);
            PlainCommand.Execute(connection, RecheckLinePartiesSchema.Rebuild(_provider is NpgsqlProvider), transaction);
            floor = PlainCommand.Scalar(connection, RecheckPartiesSchema.Floor, transaction) as string;
            var top = Convert.ToInt64(PlainCommand.Scalar(connection, "SELECT COALESCE(MAX(id), 0) FROM shipment_events", transaction), CultureInfo.InvariantCulture);
            mark = new RecheckPartiesMark(top, lines);
            WriteMark(connection, transaction, mark, floor, null); // the content versions unknown: the next filtered read settles them
        }

        var parties = new List<(string, string)>();
        if (withParties)
        {
            using var command = PlainCommand.Create(connection, "SELECT name, destination FROM recheck_parties", transaction);
            using var reader = command.ExecuteReader();
            while (reader.Read())
                parties.Add((reader.GetString(0), reader.GetString(1)));
        }

        return new KeptParties(mark!, floor, parties);
    }

    /// <summary>
    /// Adds <paramref name="parties"/> to <paramref name="table"/> (a kept table of two text columns and its column
    /// names: <c>recheck_parties (name, destination)</c> or <c>recheck_line_parties (name, shipment_id)</c>; rows kept
    /// already stay as they are) in one statement.
    /// </summary>
    private void AddPairs(DbConnection connection, DbTransaction transaction, string table, List<(string Name, string Other)> parties)
    {
        if (parties.Count == 0)
            return;
        if (_provider is NpgsqlProvider)
        {
            var (names, others) = (new string[parties.Count], new string[parties.Count]);
            for (var i = 0; i < parties.Count; i++)
                (names[i], others[i]) = parties[i];
            PlainCommand.Execute(connection,
                $"INSERT INTO {table} SELECT DISTINCT n, d FROM unnest(@names, @others) AS p(n, d) ON CONFLICT DO NOTHING",
                transaction, ("names", names), ("others", others));
            return;
        }

        // SQLite: one JSON array of [name, destination] pairs. Two arrays joined on json_each's keys were compared pair
        // by pair (no index on a table-valued function): 5,000 parties took more than a second of CPU.
        var pairs = JsonText(parties, static (w, parties) =>
        {
            w.WriteStartArray();
            foreach (var (name, other) in parties)
            {
                w.WriteStartArray();
                w.WriteStringValue(name);
                w.WriteStringValue(other);
                w.WriteEndArray();
            }

            w.WriteEndArray();
        });
        PlainCommand.Execute(connection,
            $"""
            INSERT INTO {table}
            SELECT DISTINCT json_extract(value, '$[0]'), json_extract(value, '$[1]') FROM json_each(@pairs) WHERE true
            ON CONFLICT DO NOTHING
            """,
            transaction, ("pairs", pairs));
    }

    private static void WriteMark(DbConnection connection, DbTransaction transaction, RecheckPartiesMark mark, string? floor, string? contentVersion) =>
        PlainCommand.Execute(connection, RecheckPartiesSchema.WriteMark, transaction, ("event", mark.EventId), ("lines", mark.Lines), ("floor", floor), ("version", contentVersion));
}
