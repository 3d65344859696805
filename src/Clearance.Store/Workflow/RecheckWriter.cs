namespace Clearance.Store;

/// <summary>
/// Writes the lines a recheck changes, many to a transaction: a transaction is opened at the first line that needs one
/// and committed after <see cref="DefaultLinesPerTransaction"/> of them, after a quarter of a second, or at
/// <see cref="Commit"/>, so that a few hundred changed lines cost a few commits rather than one each. Each line is still whole or absent after a crash: it is
/// written in full inside one transaction. The lines of a transaction are reported only once it has committed.
/// </summary>
public sealed class RecheckWriter : IDisposable
{
    /// <summary>How many lines a transaction holds by default: enough that commits are rare, few enough that the workflow's lock is not held long.</summary>
    public const int DefaultLinesPerTransaction = 200;

    /// <summary>
    /// How long a transaction stays open at most: lines checked again in full between two changed lines can take a while,
    /// and the transaction holds the workflow's lock (SQLite: the database's write lock) that submits wait for.
    /// </summary>
    private static readonly TimeSpan MaxTransactionTime = TimeSpan.FromMilliseconds(250);

    private readonly ShipmentStore _store;
    private readonly int _linesPerTransaction;
    private readonly Action<RecheckChange>? _committed;
    private readonly List<RecheckChange> _pending = [];
    private readonly RecheckDecisions _decisions = new();
    private ShipmentStore.RecheckTransaction? _transaction;
    private int _lines;
    private long _opened;

    internal RecheckWriter(ShipmentStore store, int linesPerTransaction, Action<RecheckChange>? committed)
    {
        ArgumentOutOfRangeException.ThrowIfLessThan(linesPerTransaction, 1);
        (_store, _linesPerTransaction, _committed) = (store, linesPerTransaction, committed);
    }

    /// <summary>
    /// Applies <paramref name="line"/>'s new evaluation (see <see cref="ShipmentStore.BeginRecheckWrites"/>): its status,
    /// licence and reasons decided again, and written when they change. The change is returned at once and reported
    /// when its transaction commits.
    /// </summary>
    public RecheckChange Apply(OpenShipment line, RecheckedLine evaluation, LicenseBook book, string actor, Func<string, string> normalize)
    {
        var opened = false;
        var change = _store.Recheck(() =>
        {
            opened = true;
            return Open();
        }, line, evaluation, book, actor, normalize, _decisions);
        if (change.Changed)
            _pending.Add(change);
        if (opened)
            _lines++;
        if (_transaction is not null && (_lines >= _linesPerTransaction || System.Diagnostics.Stopwatch.GetElapsedTime(_opened) >= MaxTransactionTime))
            Commit();
        return change;
    }

    /// <summary>Commits the open transaction, if any, and reports its changed lines.</summary>
    public void Commit()
    {
        if (_transaction is not null)
        {
            _transaction.Commit(); // the events and audit records it held back first
            Close();
        }

        foreach (var change in _pending)
            _committed?.Invoke(change);
        _pending.Clear();
    }

    /// <summary>Rolls back a transaction not committed (its lines were not written).</summary>
    public void Dispose()
    {
        Close();
        _pending.Clear();
    }

    private ShipmentStore.RecheckTransaction Open()
    {
        if (_transaction is null)
        {
            _transaction = new ShipmentStore.RecheckTransaction(_store);
            _opened = System.Diagnostics.Stopwatch.GetTimestamp();
        }

        return _transaction;
    }

    private void Close()
    {
        _transaction?.Dispose();
        (_transaction, _lines) = (null, 0);
    }
}
