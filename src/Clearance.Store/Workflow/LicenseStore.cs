using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Clearance.Licensing;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>A licence with its history: every state transition and every ledger entry, and the balance they leave.</summary>
/// <param name="License">The licence as it stands.</param>
/// <param name="Transitions">Each state it entered, with the date, actor and reason.</param>
/// <param name="Ledger">Each drawdown and reversal, in order.</param>
/// <param name="Balance">The balance derived from the ledger.</param>
public sealed record LicenseRecord(License License, IReadOnlyList<LicenseTransition> Transitions, IReadOnlyList<LedgerEntry> Ledger, LicenseBalance Balance);

/// <summary>A licence entering a state.</summary>
/// <param name="State">The state entered.</param>
/// <param name="OnDate">The date it took effect.</param>
/// <param name="At">When it was recorded.</param>
/// <param name="Actor">Who recorded it.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record LicenseTransition(LicenseState State, LocalDate OnDate, Instant At, string Actor, string? Reason);

/// <summary>The outcome of drawing on a licence: the ledger entry written, or why nothing was drawn.</summary>
/// <param name="License">The licence drawn on (or that came closest), or null when none was a candidate.</param>
/// <param name="Fit">Covers when drawn; else the reason.</param>
/// <param name="Entry">The entry written, when drawn.</param>
/// <param name="Balance">The balance after the draw (or as it stands when refused).</param>
public sealed record DrawResult(string? License, LicenseFit Fit, LedgerEntry? Entry, LicenseBalance? Balance);

/// <summary>
/// Licences, their state transitions and their drawdown ledger, in the list store's database. Every change is recorded
/// in the audit trail in the same transaction. Every writer first takes the workflow's lock (<see cref="AuditTrail.Lock"/>:
/// SQLite's write lock, PostgreSQL's advisory lock), then the licence rows it draws on (PostgreSQL: FOR UPDATE, in number
/// order), so that two writers never deadlock, and reads the balance under them: two lines racing for the last units
/// can never overdraw, the second sees the first's entry and is refused.
/// </summary>
public sealed class LicenseStore
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;
    private readonly IDbProvider _provider;
    private readonly IClock _clock;
    private readonly AuditTrail _audit;

    /// <summary>Opens the store on <paramref name="provider"/>, bringing the schema up to date.</summary>
    public LicenseStore(IDbProvider provider, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
        SchemaMigrations.Apply(provider, _clock);
        _audit = new AuditTrail(provider);
    }

    /// <summary>Opens the store at a location as <see cref="DatabaseLocation.Resolve"/> gives it (SQLite path or PostgreSQL connection string).</summary>
    public static LicenseStore Open(string location) =>
        new(DatabaseLocation.Provider(location));

    /// <summary>The audit trail of the same database.</summary>
    public AuditTrail Audit => _audit;

    /// <summary>
    /// Adds <paramref name="license"/>; false when the same licence is recorded already, whatever state it has moved to
    /// since (a re-run import changes nothing, as re-importing an unchanged list file does).
    /// </summary>
    /// <exception cref="ListStoreException">Another licence with that number exists.</exception>
    public bool Add(License license, string actor)
    {
        ArgumentNullException.ThrowIfNull(license);
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        _audit.Lock(connection, transaction);
        if (FindRow(connection, transaction, license.Number) is { } existing)
        {
            // The state is left out: it moves by transitions after the add, and adding the same licence again is no change.
            if (Row.Json(existing.ToLicense() with { State = license.State }) == Row.Json(license))
                return false;
            throw new ListStoreException($"licence {license.Number} exists already with other details; nothing added (licences are changed by grant, suspend or revoke)");
        }

        var row = Row.From(license);
        PlainCommand.Execute(connection,
            """
            INSERT INTO licenses (number, jurisdiction, type, holder, items, destinations, consignees, end_users, valid_from, valid_to,
                                  quantity_limit, quantity_unit, value_limit, value_currency, tolerance, state)
            VALUES (@Number, @Jurisdiction, @Type, @Holder, @Items, @Destinations, @Consignees, @End_Users, @Valid_From, @Valid_To,
                    @Quantity_Limit, @Quantity_Unit, @Value_Limit, @Value_Currency, @Tolerance, @State)
            """,
            transaction, ("Number", row.Number), ("Jurisdiction", row.Jurisdiction), ("Type", row.Type), ("Holder", row.Holder), ("Items", row.Items),
            ("Destinations", row.Destinations), ("Consignees", row.Consignees), ("End_Users", row.End_Users), ("Valid_From", row.Valid_From),
            ("Valid_To", row.Valid_To), ("Quantity_Limit", row.Quantity_Limit), ("Quantity_Unit", row.Quantity_Unit), ("Value_Limit", row.Value_Limit),
            ("Value_Currency", row.Value_Currency), ("Tolerance", row.Tolerance), ("State", row.State));
        var now = _clock.GetCurrentInstant();
        Transition(connection, transaction, license.Number, license.State, license.Validity.From, now, actor, "added");
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "license.add", license.Number, Row.Json(license), "{}"));
        transaction.Commit();
        return true;
    }

    /// <summary>The licence numbered <paramref name="number"/> with its history, or null.</summary>
    public LicenseRecord? Find(string number)
    {
        using var connection = _provider.Open();
        return Find(connection, null, number);
    }

    /// <summary>The licence numbered <paramref name="number"/> with its history as <paramref name="transaction"/> sees it, or null.</summary>
    internal LicenseRecord? Find(DbConnection connection, DbTransaction? transaction, string number)
    {
        var row = FindRow(connection, transaction, number);
        return row is null ? null : Load(connection, transaction, row);
    }

    /// <summary>The licence's row, or null.</summary>
    private static Row? FindRow(DbConnection connection, DbTransaction? transaction, string number) =>
        PlainCommand.First(connection, $"SELECT {Row.Columns} FROM licenses WHERE number = @number", transaction, Row.Read, ("number", number));

    /// <summary>Every licence with its history, by number.</summary>
    public IReadOnlyList<LicenseRecord> List()
    {
        using var connection = _provider.Open();
        var rows = PlainCommand.Query(connection, $"SELECT {Row.Columns} FROM licenses ORDER BY number", null, Row.Read);
        var records = new LicenseRecord[rows.Count];
        for (var i = 0; i < rows.Count; i++)
            records[i] = Load(connection, null, rows[i]);
        return records;
    }

    /// <summary>Moves the licence to <paramref name="state"/> from <paramref name="onDate"/>, recorded with its reason (nothing when it is in that state already).</summary>
    /// <exception cref="ListStoreException">No such licence, or a revoked licence (revocation is final).</exception>
    public License ChangeState(string number, LicenseState state, LocalDate onDate, string reason, string actor)
    {
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        _audit.Lock(connection, transaction);
        var row = LockRows(connection, transaction, [number]).SingleOrDefault()
            ?? throw new ListStoreException($"no licence numbered {number}");
        var license = row.ToLicense();
        if (license.State == LicenseState.Revoked)
            throw new ListStoreException($"licence {number} is revoked; a revocation is final");
        if (license.State == state)
            return license; // already in that state: nothing to record
        PlainCommand.Execute(connection, "UPDATE licenses SET state = @state WHERE number = @number", transaction, ("state", License.Name(state)), ("number", number));
        var now = _clock.GetCurrentInstant();
        Transition(connection, transaction, number, state, onDate, now, actor, reason);
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "license." + License.Name(state), number,
            JsonSerializer.Serialize(new JsonShapes.StateInputs(License.Name(state), Iso.Format(onDate), reason), StoreJson.Relaxed.StateInputs),
            JsonSerializer.Serialize(new JsonShapes.StateOutputs(License.Name(license.State)), StoreJson.Relaxed.StateOutputs)));
        transaction.Commit();
        return license with { State = state };
    }

    /// <summary>
    /// Draws the line's quantity and value from a licence: the one numbered <paramref name="number"/>, or when null the
    /// one <see cref="LicenseMatch.Choose"/> picks among the granted licences of the demand's jurisdiction and eligible
    /// types. Under the licences' lock: the balance read, the fit decided and the entry written in one transaction.
    /// </summary>
    public DrawResult Draw(string? number, LicenseDemand demand, string shipment, string actor, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(demand);
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        _audit.Lock(connection, transaction);
        var result = Draw(connection, transaction, number, demand, shipment, actor, normalize);
        if (result.Entry is null)
        {
            transaction.Rollback();
        }
        else
        {
            transaction.Commit();
        }

        return result;
    }

    /// <summary>
    /// <see cref="Draw(string?, LicenseDemand, string, string, Func{string, string})"/> inside the caller's
    /// <paramref name="transaction"/> (a shipment's status, its draw and their audit records commit together): takes the
    /// licences' lock, writes the entry and its audit record when a licence covers the line, and writes nothing otherwise.
    /// </summary>
    internal DrawResult Draw(DbConnection connection, DbTransaction transaction, string? number, LicenseDemand demand, string shipment, string actor, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(demand);
        var candidates = number is not null
            ? LockRows(connection, transaction, [number])
            : LockRows(connection, transaction, PlainCommand.Query(connection,
                "SELECT number FROM licenses WHERE jurisdiction = @jurisdiction AND state = 'granted' ORDER BY number",
                transaction, r => r.GetString(0), ("jurisdiction", demand.Jurisdiction)));
        if (number is not null && candidates.Count == 0)
            throw new ListStoreException($"no licence numbered {number}");
        var withBalances = candidates.Select(r =>
        {
            var license = r.ToLicense();
            return (license, BalanceOf(connection, transaction, license));
        }).ToList();
        var (chosen, fit, closest) = LicenseMatch.Choose(withBalances, demand, normalize);
        if (chosen is null)
        {
            return closest < 0 ? new DrawResult(null, fit, null, null) : new DrawResult(withBalances[closest].license.Number, fit, null, withBalances[closest].Item2);
        }

        var quantity = demand.Quantity?.Amount ?? 0;
        var value = demand.Value?.Amount ?? 0;
        var now = _clock.GetCurrentInstant();
        var sequence = PlainCommand.Int64(connection,
            "INSERT INTO license_ledger (number, shipment, quantity, value, reverses, at, actor) VALUES (@number, @shipment, @quantity, @value, NULL, @at, @actor) RETURNING sequence",
            transaction, ("number", chosen.Number), ("shipment", shipment), ("quantity", Scaled(quantity)), ("value", Scaled(value)),
            ("at", InstantPattern.ExtendedIso.Format(now)), ("actor", actor));
        var entry = new LedgerEntry(sequence, chosen.Number, shipment, quantity, value, null);
        var balance = BalanceOf(connection, transaction, chosen);
        _audit.Append(connection, transaction, now, DrawEntry(actor, entry, balance));
        return new DrawResult(chosen.Number, LicenseFit.Covers, entry, balance);
    }

    /// <summary>The audit record of a draw: the shipment and amounts in, the ledger entry and the balance left out.</summary>
    /// <remarks>
    /// Written with the thread's <see cref="JsonWriting.Text"/> writer, the text the serializer gave for the anonymous
    /// objects it was written from before (same members, order, numbers and escaping): a submit writes one for every line
    /// it draws for, and the serializer's anonymous objects and metadata look-ups were most of its cost.
    /// </remarks>
    internal static AuditTrail.Entry DrawEntry(string actor, LedgerEntry entry, LicenseBalance balance) =>
        new(actor, "license.draw", entry.License,
            JsonWriting.Text(entry, static (w, e) =>
            {
                w.WriteStartObject();
                w.WriteString("shipment", e.Shipment);
                w.WriteNumber("quantity", e.Quantity);
                w.WriteNumber("value", e.Value);
                w.WriteEndObject();
            }),
            JsonWriting.Text((entry.Sequence, balance), static (w, s) =>
            {
                w.WriteStartObject();
                w.WriteNumber("sequence", s.Sequence);
                w.WriteNumberOrNull("quantity_remaining", s.balance.QuantityRemaining);
                w.WriteNumberOrNull("value_remaining", s.balance.ValueRemaining);
                w.WriteEndObject();
            }));

    /// <summary>
    /// Every licence, by number, and a mark that changes whenever one is added or changes state (each writes a
    /// transition): a writer that keeps the licences in memory across transactions reads the mark in each, under the
    /// workflow's lock (<see cref="AuditTrail.Lock"/>), and reloads only when it moved.
    /// </summary>
    internal static (IReadOnlyList<License> Licenses, (long Count, long Last) Mark) LoadAll(DbConnection connection, DbTransaction transaction) =>
        ([.. PlainCommand.Query(connection, $"SELECT {Row.Columns} FROM licenses ORDER BY number", transaction, Row.Read).Select(r => r.ToLicense())], Mark(connection, transaction));

    /// <summary>See <see cref="LoadAll"/>.</summary>
    internal static (long Count, long Last) Mark(DbConnection connection, DbTransaction transaction) =>
        PlainCommand.First(connection, "SELECT COUNT(*), COALESCE(MAX(id), 0) FROM license_transitions", transaction, r => (r.Int64(0), r.Int64(1)));

    /// <summary>
    /// The licence's state and the sums of its ledger (in ten-thousandths), read under its lock (PostgreSQL: its row,
    /// FOR UPDATE; SQLite: the transaction's write lock), for a writer that then keeps the balance itself to the end of
    /// <paramref name="transaction"/>; null when no such licence exists.
    /// </summary>
    internal (string State, long Quantity, long Value)? LockBalance(DbConnection connection, DbTransaction transaction, string number) =>
        PlainCommand.First<(string, long, long)?>(connection,
            "SELECT l.state, COALESCE((SELECT SUM(quantity) FROM license_ledger WHERE number = l.number), 0), COALESCE((SELECT SUM(value) FROM license_ledger WHERE number = l.number), 0) FROM licenses l WHERE l.number = @number"
            + (_provider is NpgsqlProvider ? " FOR UPDATE" : ""),
            transaction, r => (r.GetString(0), r.Int64(1), r.Int64(2)), ("number", number));

    /// <summary>
    /// <see cref="LockBalance"/> for many licences in two statements (the rows locked in number order on PostgreSQL):
    /// each one's state and ledger sums, by number; licences that do not exist are left out.
    /// </summary>
    internal Dictionary<string, (string State, long Quantity, long Value)> LockBalances(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> numbers)
    {
        var postgres = _provider is NpgsqlProvider;
        var (filter, list) = NumbersFilter(postgres, numbers);
        var states = PlainCommand.Query(connection,
            $"SELECT number, state FROM licenses WHERE {filter} ORDER BY number" + (postgres ? " FOR UPDATE" : ""), transaction,
            r => (Number: r.GetString(0), State: r.GetString(1)), ("numbers", list));
        var sums = PlainCommand.Query(connection,
            $"SELECT number, SUM(quantity), SUM(value) FROM license_ledger WHERE {filter} GROUP BY number", transaction,
            r => (Number: r.GetString(0), Quantity: r.Int64(1), Value: r.Int64(2)), ("numbers", list))
            .ToDictionary(s => s.Number, StringComparer.Ordinal);
        return states.ToDictionary(s => s.Number, s => (s.State, sums.GetValueOrDefault(s.Number).Quantity, sums.GetValueOrDefault(s.Number).Value), StringComparer.Ordinal);
    }

    /// <summary>Reverses the shipment's open draws (those not reversed yet), returning their amounts to the balance; the entries written.</summary>
    public IReadOnlyList<LedgerEntry> Reverse(string shipment, string actor, string reason)
    {
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        _audit.Lock(connection, transaction);
        var written = Reverse(connection, transaction, shipment, actor, reason);
        transaction.Commit();
        return written;
    }

    /// <summary><see cref="Reverse(string, string, string)"/> inside the caller's <paramref name="transaction"/>.</summary>
    internal IReadOnlyList<LedgerEntry> Reverse(DbConnection connection, DbTransaction transaction, string shipment, string actor, string reason)
    {
        var open = PlainCommand.Query(connection,
            $"SELECT {LedgerRow.Columns} FROM license_ledger l WHERE shipment = @shipment AND reverses IS NULL AND NOT EXISTS (SELECT 1 FROM license_ledger r WHERE r.reverses = l.sequence) ORDER BY sequence",
            transaction, LedgerRow.Read, ("shipment", shipment));
        LockRows(connection, transaction, [.. open.Select(o => o.Number).Distinct().Order(StringComparer.Ordinal)]);
        var now = _clock.GetCurrentInstant();
        var written = new List<LedgerEntry>();
        foreach (var o in open)
        {
            var sequence = PlainCommand.Int64(connection,
                "INSERT INTO license_ledger (number, shipment, quantity, value, reverses, at, actor) VALUES (@Number, @Shipment, @quantity, @value, @reverses, @at, @actor) RETURNING sequence",
                transaction, ("Number", o.Number), ("Shipment", o.Shipment), ("quantity", -o.Quantity), ("value", -o.Value), ("reverses", o.Sequence),
                ("at", InstantPattern.ExtendedIso.Format(now)), ("actor", actor));
            written.Add(new LedgerEntry(sequence, o.Number, o.Shipment, -o.Quantity / WorkflowSchema.Scale, -o.Value / WorkflowSchema.Scale, o.Sequence));
            _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "license.reverse", o.Number,
                JsonSerializer.Serialize(new JsonShapes.ReverseInputs(shipment, o.Sequence, reason), StoreJson.Relaxed.ReverseInputs),
                JsonSerializer.Serialize(new JsonShapes.ReverseOutputs(sequence), StoreJson.Relaxed.ReverseOutputs)));
        }

        return written;
    }

    /// <summary>An amount as the ledger stores it: in ten-thousandths (an amount with more decimal places is refused).</summary>
    internal static long Scaled(decimal amount)
    {
        var scaled = amount * WorkflowSchema.Scale;
        if (scaled != decimal.Truncate(scaled))
            throw new ArgumentException($"amount {amount.ToString(CultureInfo.InvariantCulture)} has more than 4 decimal places");
        return (long)scaled;
    }

    private List<Row> LockRows(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> numbers)
    {
        if (numbers.Count == 0)
            return [];
        // SQLite: BeginTransaction is BEGIN IMMEDIATE, the database's write lock, so a plain read is already under it.
        var postgres = _provider is NpgsqlProvider;
        var (filter, list) = NumbersFilter(postgres, numbers);
        return PlainCommand.Query(connection, $"SELECT {Row.Columns} FROM licenses WHERE {filter} ORDER BY number" + (postgres ? " FOR UPDATE" : ""),
            transaction, Row.Read, ("numbers", list));
    }

    /// <summary>
    /// A condition on <c>number</c> that holds for <paramref name="numbers"/>, with its parameter <c>@numbers</c>: a text
    /// array on PostgreSQL, a JSON array on SQLite (one parameter, not one per number, which a command's text would have to
    /// be rewritten for).
    /// </summary>
    private static (string Filter, object List) NumbersFilter(bool postgres, IReadOnlyList<string> numbers) => postgres
        ? ("number = ANY(@numbers)", numbers.ToArray())
        : ("number IN (SELECT value FROM json_each(@numbers))", JsonSerializer.Serialize(numbers, StoreJson.Default.IReadOnlyListString));

    private static LicenseBalance BalanceOf(DbConnection connection, DbTransaction? transaction, License license)
    {
        var (quantity, value) = PlainCommand.First(connection,
            "SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(value), 0) FROM license_ledger WHERE number = @number", transaction,
            r => (r.Int64(0), r.Int64(1)), ("number", license.Number));
        return LicenseBalance.From(license, quantity / WorkflowSchema.Scale, value / WorkflowSchema.Scale);
    }

    private static LicenseRecord Load(DbConnection connection, DbTransaction? transaction, Row row)
    {
        var license = row.ToLicense();
        var transitions = PlainCommand.Query(connection, "SELECT state, on_date, at, actor, reason FROM license_transitions WHERE number = @number ORDER BY id", transaction,
            r => new LicenseTransition(License.ParseState(r.GetString(0)) ?? LicenseState.Applied, Iso.Parse(r.GetString(1)).Value,
                InstantPattern.ExtendedIso.Parse(r.GetString(2)).Value, r.GetString(3), r.Text(4)),
            ("number", license.Number));
        var ledger = PlainCommand.Query(connection, $"SELECT {LedgerRow.Columns} FROM license_ledger WHERE number = @number ORDER BY sequence", transaction,
                LedgerRow.Read, ("number", license.Number))
            .Select(l => new LedgerEntry(l.Sequence, l.Number, l.Shipment, l.Quantity / WorkflowSchema.Scale, l.Value / WorkflowSchema.Scale, l.Reverses)).ToList();
        return new LicenseRecord(license, transitions, ledger, LicenseBalance.Of(license, ledger));
    }

    private static void Transition(DbConnection connection, DbTransaction transaction, string number, LicenseState state, LocalDate onDate, Instant at, string actor, string? reason) =>
        PlainCommand.Execute(connection,
            "INSERT INTO license_transitions (number, state, on_date, at, actor, reason) VALUES (@number, @state, @onDate, @at, @actor, @reason)",
            transaction, ("number", number), ("state", License.Name(state)), ("onDate", Iso.Format(onDate)), ("at", InstantPattern.ExtendedIso.Format(at)),
            ("actor", actor), ("reason", reason));

    private sealed class Row
    {
        public string Number { get; set; } = "";
        public string Jurisdiction { get; set; } = "";
        public string Type { get; set; } = "";
        public string Holder { get; set; } = "";
        public string Items { get; set; } = "[]";
        public string Destinations { get; set; } = "[]";
        public string Consignees { get; set; } = "[]";
        public string End_Users { get; set; } = "[]";
        public string Valid_From { get; set; } = "";
        public string? Valid_To { get; set; }
        public string? Quantity_Limit { get; set; }
        public string? Quantity_Unit { get; set; }
        public string? Value_Limit { get; set; }
        public string? Value_Currency { get; set; }
        public string Tolerance { get; set; } = "0";
        public string State { get; set; } = "";

        /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
        public const string Columns =
            "number, jurisdiction, type, holder, items, destinations, consignees, end_users, valid_from, valid_to, quantity_limit, quantity_unit, value_limit, value_currency, tolerance, state";

        /// <summary>The row at <paramref name="reader"/>, its columns those of <see cref="Columns"/>.</summary>
        public static Row Read(DbDataReader reader) => new()
        {
            Number = reader.GetString(0), Jurisdiction = reader.GetString(1), Type = reader.GetString(2), Holder = reader.GetString(3),
            Items = reader.GetString(4), Destinations = reader.GetString(5), Consignees = reader.GetString(6), End_Users = reader.GetString(7),
            Valid_From = reader.GetString(8), Valid_To = reader.Text(9), Quantity_Limit = reader.Text(10), Quantity_Unit = reader.Text(11),
            Value_Limit = reader.Text(12), Value_Currency = reader.Text(13), Tolerance = reader.GetString(14), State = reader.GetString(15),
        };

        /// <summary>The licence as the table's columns (valid_to: its last valid day).</summary>
        public static Row From(License l) => new()
        {
            Number = l.Number, Jurisdiction = l.Jurisdiction, Type = l.Type, Holder = l.Holder,
            Items = Strings(l.Scope.Items), Destinations = Strings([.. l.Scope.Destinations.Select(d => d.Value)]),
            Consignees = Strings(l.Scope.Consignees), End_Users = Strings(l.Scope.EndUsers),
            Valid_From = Iso.Format(l.Validity.From), Valid_To = l.Validity.To is { } to ? Iso.Format(to.PlusDays(-1)) : null,
            Quantity_Limit = l.Quantity?.Amount.ToString(CultureInfo.InvariantCulture), Quantity_Unit = l.Quantity?.Unit,
            Value_Limit = l.Value?.Amount.ToString(CultureInfo.InvariantCulture), Value_Currency = l.Value?.Unit,
            Tolerance = l.Tolerance.ToString(CultureInfo.InvariantCulture), State = License.Name(l.State),
        };

        /// <summary>The licence in the wire's names, for the audit record of its addition.</summary>
        public static string Json(License l) => JsonSerializer.Serialize(new JsonShapes.LicenseAudit(
            l.Number, l.Jurisdiction, l.Type, l.Holder,
            l.Scope.Items, [.. l.Scope.Destinations.Select(d => d.Value)], l.Scope.Consignees, l.Scope.EndUsers,
            Iso.Format(l.Validity.From), l.Validity.To is { } to ? Iso.Format(to.PlusDays(-1)) : null,
            l.Quantity is { } q ? new JsonShapes.QuantityLimit(q.Amount, q.Unit) : null,
            l.Value is { } v ? new JsonShapes.ValueLimit(v.Amount, v.Unit) : null,
            l.Tolerance, License.Name(l.State)), StoreJson.Relaxed.LicenseAudit);

        /// <summary>A list of the licence's scope as stored: a JSON array, escaped as the serializer's defaults do.</summary>
        private static string Strings(IReadOnlyList<string> values) => JsonSerializer.Serialize(values, StoreJson.Default.IReadOnlyListString);

        /// <summary>A list of the licence's scope as stored, read back.</summary>
        private static string[] ReadStrings(string json) => JsonSerializer.Deserialize(json, StoreJson.Default.StringArray) ?? [];

        public License ToLicense() => new(
            Number, Jurisdiction, Type, Holder,
            new LicenseScope(
                ReadStrings(Items),
                [.. ReadStrings(Destinations).Select(CountryCode.Parse)],
                ReadStrings(Consignees),
                ReadStrings(End_Users)),
            new Period(Iso.Parse(Valid_From).Value, Valid_To is null ? null : Iso.Parse(Valid_To).Value.PlusDays(1)),
            Quantity_Limit is null ? null : new LicenseLimit(decimal.Parse(Quantity_Limit, CultureInfo.InvariantCulture), Quantity_Unit!),
            Value_Limit is null ? null : new LicenseLimit(decimal.Parse(Value_Limit, CultureInfo.InvariantCulture), Value_Currency!),
            decimal.Parse(Tolerance, CultureInfo.InvariantCulture),
            License.ParseState(State) ?? throw new ListStoreException($"licence {Number} has an unknown state '{State}' in the database"));
    }

    /// <summary>A ledger entry as stored (amounts in ten-thousandths).</summary>
    private sealed record LedgerRow(long Sequence, string Number, string Shipment, long Quantity, long Value, long? Reverses)
    {
        /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
        public const string Columns = "sequence, number, shipment, quantity, value, reverses";

        /// <summary>The entry at <paramref name="reader"/>'s position, its columns those of <see cref="Columns"/>.</summary>
        public static LedgerRow Read(DbDataReader reader) =>
            new(reader.Int64(0), reader.GetString(1), reader.GetString(2), reader.Int64(3), reader.Int64(4), reader.NullableInt64(5));
    }
}
