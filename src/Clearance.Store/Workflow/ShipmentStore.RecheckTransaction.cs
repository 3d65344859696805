using System.Data.Common;
using Clearance.Audit;
using NodaTime;

namespace Clearance.Store;

public sealed partial class ShipmentStore
{
    /// <summary>
    /// One transaction of a recheck's writes (<see cref="RecheckWriter"/>): its statements prepared once and bound again
    /// for each line, and the lines' history events and audit records held back and inserted together (the audit chain's
    /// head kept here, as submit's batches keep it) before anything else appends to the trail and at the commit. The
    /// transaction still holds every line whole: nothing it holds back outlives it.
    /// </summary>
    internal sealed class RecheckTransaction : IDisposable
    {
        private readonly ShipmentStore _store;
        private readonly bool _postgres;
        private readonly RowBatch _events = new("shipment_events",
            ("shipment", RowBatch.Kind.Text), ("at", RowBatch.Kind.Text), ("actor", RowBatch.Kind.Text), ("action", RowBatch.Kind.Text),
            ("status", RowBatch.Kind.Text), ("license", RowBatch.Kind.Text), ("reason", RowBatch.Kind.Text));
        private readonly List<AuditTrail.StoredRecord> _audit = [];
        private (long Sequence, string Hash)? _head;
        private DbCommand? _select;
        private int[]? _columns; // status, license, reasons, determination, demand (an array: a nullable tuple's code was compiled at run time)
        private DbCommand? _update;
        private DbCommand? _sharedInsert;
        private readonly HashSet<string> _sharedWritten = new(StringComparer.Ordinal); // keys of the shared parts inserted in this transaction
        private DbCommand? _contentVersion;
        private string? _versionMarked;

        /// <summary>Opens the transaction and takes the workflow's lock first, as every workflow writer does (one lock order, no deadlock).</summary>
        public RecheckTransaction(ShipmentStore store)
        {
            _store = store;
            _postgres = store._provider is NpgsqlProvider;
            Connection = store._provider.Open();
            Transaction = Connection.BeginTransaction();
            _head = store.Audit.Lock(Connection, Transaction);
        }

        /// <summary>The connection.</summary>
        public DbConnection Connection { get; }

        /// <summary>The transaction.</summary>
        public DbTransaction Transaction { get; }

        /// <summary>Line <paramref name="id"/> as stored now (its row locked on PostgreSQL), or null when there is none.</summary>
        public (string Status, string? License, string Reasons, string Determination, string? Demand)? Line(string id)
        {
            // The store's own read of a line for a change (whole determination, the row locked), read by column name:
            // the names looked up at the first line only (each lookup compares the names of every column).
            _select ??= PlainCommand.Prepare(Connection, Transaction, SelectLineForUpdate(_store._provider), "id");
            _select.Parameters[0].Value = id;
            using var reader = _select.ExecuteReader();
            if (!reader.Read())
                return null;
            var c = _columns ??=
                [reader.GetOrdinal("status"), reader.GetOrdinal("license"), reader.GetOrdinal("reasons"), reader.GetOrdinal("determination"), reader.GetOrdinal("demand")];
            return (reader.GetString(c[0]), reader.Text(c[1]), reader.GetString(c[2]), reader.GetString(c[3]), reader.Text(c[4]));
        }

        /// <summary>
        /// Writes a line's new status, licence, reasons, determination and demand. The determination is stored as submit
        /// stores it (<see cref="DeterminationSchema"/>): the line's own part in its row, the shared part once in
        /// <c>determinations</c>, named by its key. Written whole, a determination (~1.6 KB on the bench book) made the
        /// row two and a half times as long as it was, and SQLite moved it and rebalanced its page at each of the 500
        /// lines a list update changes; cut, the row keeps its length (docs/benchmarks.md, branch recheck-warm25).
        /// </summary>
        public void UpdateLine(string id, string status, string? license, string reasons, DeterminationText determination, string? demand, string at)
        {
            var shared = determination.SharedPart ?? throw new ArgumentException("the determination is not cut (ShipmentStore.Split)", nameof(determination));
            if (_sharedWritten.Add(shared.Key))
            {
                // Once a transaction: an insert that finds the part already there (a submit's, an earlier recheck's) does nothing.
                _sharedInsert ??= PlainCommand.Prepare(Connection, Transaction, "INSERT INTO determinations (sha256, body) VALUES (@sha256, @body) ON CONFLICT DO NOTHING", "sha256", "body");
                PlainCommand.Run(_sharedInsert, shared.Key, shared.Text);
            }

            _update ??= PlainCommand.Prepare(Connection, Transaction,
                "UPDATE shipments SET status = @status, license = @license, reasons = @reasons, determination = @determination, determination_sha256 = @sha256, demand = @demand, updated_at = @at WHERE id = @id",
                "status", "license", "reasons", "determination", "sha256", "demand", "at", "id");
            PlainCommand.Run(_update, status, license, reasons, determination.Own, shared.Key, demand, at, id);
        }

        /// <summary>After a rollback to a savepoint: the shared parts inserted since may be gone, and are inserted again when next named.</summary>
        public void RolledBackToSavepoint() => _sharedWritten.Clear();

        /// <summary>Records the content version a line's determination was made with.</summary>
        public void UpdateContentVersion(string id, string contentVersion)
        {
            _contentVersion ??= PlainCommand.Prepare(Connection, Transaction, "UPDATE shipment_facts SET content_version = @version WHERE shipment_id = @id", "version", "id");
            PlainCommand.Run(_contentVersion, contentVersion, id);
            if (_versionMarked != contentVersion)
            {
                // The kept mark says every line has one content version (migration 13): no longer, unless it is this one.
                // Once a transaction: the lock it holds keeps any other writer of the mark out until it commits.
                PlainCommand.Execute(Connection, RecheckLinePartiesSchema.Written(_postgres), Transaction, ("version", contentVersion));
                _versionMarked = contentVersion;
            }
        }

        /// <summary>A history event of a line, inserted with the others before the commit.</summary>
        public void Event(string id, string at, string actor, string action, string status, string? license, string? reason) =>
            _events.Row().Text(id).Text(at).Text(actor).Text(action).Text(status).Text(license).Text(reason).End();

        /// <summary>
        /// An audit record, chained after the last one and inserted with the others before the commit; <paramref name="timeText"/>
        /// is its time as <see cref="AuditChain.FormatTime"/> writes it (the line's row has it already), hashed and stored as it is.
        /// </summary>
        /// <remarks>
        /// With <paramref name="shared"/>, <paramref name="outputs"/> end with a determination's own part and the closing
        /// brace: the record's outputs are those with the shared part put back before the brace, hashed whole, and stored
        /// as submit stores its records (the part named by its key, once in <c>determinations</c>, written by
        /// <see cref="UpdateLine"/>): the same record, read back whole.
        /// </remarks>
        public void Audit(Instant time, string timeText, string actor, string action, string subject, string inputs, string outputs, string contentVersion, string listVersions,
            SharedPart? shared = null)
        {
            var (sequence, hash) = _head ??= _store.Audit.Lock(Connection, Transaction);
            var sharedAt = outputs.Length - 1;
            var record = shared is null
                ? AuditChain.Append(hash, sequence + 1, time, timeText, actor, action, subject, inputs, outputs, contentVersion, listVersions)
                : AuditChain.AppendShared(hash, sequence + 1, time, actor, action, subject, inputs, outputs, sharedAt, shared.Utf8, contentVersion, listVersions, timeText);
            _audit.Add(new AuditTrail.StoredRecord(record, shared?.Key, shared is null ? 0 : sharedAt, Time: timeText));
            _head = (record.Sequence, record.Hash);
        }

        /// <summary>
        /// Inserts the events and audit records held back, before another writer (the licence store's draw or return)
        /// appends to the trail in this transaction; the chain's head is read again after it.
        /// </summary>
        public void BeforeOtherWriter()
        {
            Flush();
            _head = null;
        }

        /// <summary>Inserts what is held back and commits.</summary>
        public void Commit()
        {
            Flush();
            Transaction.Commit();
        }

        /// <summary>Rolls back what was not committed.</summary>
        public void Dispose()
        {
            foreach (var command in new[] { _select, _update, _sharedInsert, _contentVersion })
                command?.Dispose();
            Transaction.Dispose();
            Connection.Dispose();
        }

        private void Flush()
        {
            _events.Write(Connection, Transaction, _postgres);
            _events.Clear();
            _store.Audit.Insert(Connection, Transaction, _audit);
            _audit.Clear();
        }
    }
}
