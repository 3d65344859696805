using System.Data.Common;
using System.Globalization;
using System.Text.Json;
using Clearance.Licensing;
using Clearance.Model;
using Dapper;
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
    private static readonly JsonSerializerOptions AuditJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
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
        if (connection.QueryFirstOrDefault<Row>("SELECT * FROM licenses WHERE number = @number", new { number = license.Number }, transaction) is { } existing)
        {
            // The state is left out: it moves by transitions after the add, and adding the same licence again is no change.
            if (Row.Json(existing.ToLicense() with { State = license.State }) == Row.Json(license))
                return false;
            throw new ListStoreException($"licence {license.Number} exists already with other details; nothing added (licences are changed by grant, suspend or revoke)");
        }

        connection.Execute(
            """
            INSERT INTO licenses (number, jurisdiction, type, holder, items, destinations, consignees, end_users, valid_from, valid_to,
                                  quantity_limit, quantity_unit, value_limit, value_currency, tolerance, state)
            VALUES (@Number, @Jurisdiction, @Type, @Holder, @Items, @Destinations, @Consignees, @End_Users, @Valid_From, @Valid_To,
                    @Quantity_Limit, @Quantity_Unit, @Value_Limit, @Value_Currency, @Tolerance, @State)
            """,
            Row.From(license), transaction);
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
        var row = connection.QueryFirstOrDefault<Row>("SELECT * FROM licenses WHERE number = @number", new { number }, transaction);
        return row is null ? null : Load(connection, transaction, row);
    }

    /// <summary>Every licence with its history, by number.</summary>
    public IReadOnlyList<LicenseRecord> List()
    {
        using var connection = _provider.Open();
        // A plain reader: every recheck lists the licences first, and Dapper's emitted row reader was compiled at run time
        // in its process, licences or none.
        var rows = new List<Row>();
        using (var command = PlainCommand.Create(connection, $"SELECT {Row.Columns} FROM licenses ORDER BY number"))
        using (var reader = command.ExecuteReader())
        {
            while (reader.Read())
                rows.Add(Row.Read(reader));
        }

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
        connection.Execute("UPDATE licenses SET state = @state WHERE number = @number", new { state = License.Name(state), number }, transaction);
        var now = _clock.GetCurrentInstant();
        Transition(connection, transaction, number, state, onDate, now, actor, reason);
        _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "license." + License.Name(state), number,
            JsonSerializer.Serialize(new { state = License.Name(state), on = Iso.Format(onDate), reason }, AuditJson), JsonSerializer.Serialize(new { previous = License.Name(license.State) }, AuditJson)));
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
            : LockRows(connection, transaction, [.. connection.Query<string>(
                "SELECT number FROM licenses WHERE jurisdiction = @jurisdiction AND state = 'granted' ORDER BY number",
                new { jurisdiction = demand.Jurisdiction }, transaction)]);
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
        var sequence = connection.ExecuteScalar<long>(
            "INSERT INTO license_ledger (number, shipment, quantity, value, reverses, at, actor) VALUES (@number, @shipment, @quantity, @value, NULL, @at, @actor) RETURNING sequence",
            new { number = chosen.Number, shipment, quantity = Scaled(quantity), value = Scaled(value), at = InstantPattern.ExtendedIso.Format(now), actor }, transaction);
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
        ([.. connection.Query<Row>("SELECT * FROM licenses ORDER BY number", transaction: transaction).Select(r => r.ToLicense())], Mark(connection, transaction));

    /// <summary>See <see cref="LoadAll"/>.</summary>
    internal static (long Count, long Last) Mark(DbConnection connection, DbTransaction transaction) =>
        connection.QuerySingle<(long, long)>("SELECT COUNT(*), COALESCE(MAX(id), 0) FROM license_transitions", transaction: transaction);

    /// <summary>
    /// The licence's state and the sums of its ledger (in ten-thousandths), read under its lock (PostgreSQL: its row,
    /// FOR UPDATE; SQLite: the transaction's write lock), for a writer that then keeps the balance itself to the end of
    /// <paramref name="transaction"/>; null when no such licence exists.
    /// </summary>
    internal (string State, long Quantity, long Value)? LockBalance(DbConnection connection, DbTransaction transaction, string number) =>
        connection.QueryFirstOrDefault<(string, long, long)?>(
            "SELECT l.state, COALESCE((SELECT SUM(quantity) FROM license_ledger WHERE number = l.number), 0), COALESCE((SELECT SUM(value) FROM license_ledger WHERE number = l.number), 0) FROM licenses l WHERE l.number = @number"
            + (_provider is NpgsqlProvider ? " FOR UPDATE" : ""),
            new { number }, transaction);

    /// <summary>
    /// <see cref="LockBalance"/> for many licences in two statements (the rows locked in number order on PostgreSQL):
    /// each one's state and ledger sums, by number; licences that do not exist are left out.
    /// </summary>
    internal Dictionary<string, (string State, long Quantity, long Value)> LockBalances(DbConnection connection, DbTransaction transaction, IReadOnlyList<string> numbers)
    {
        var postgres = _provider is NpgsqlProvider;
        object list = postgres ? numbers.ToArray() : JsonSerializer.Serialize(numbers);
        var filter = postgres ? "number = ANY(@numbers)" : "number IN (SELECT value FROM json_each(@numbers))";
        var states = connection.Query<(string Number, string State)>(
            $"SELECT number, state FROM licenses WHERE {filter} ORDER BY number" + (postgres ? " FOR UPDATE" : ""), new { numbers = list }, transaction);
        var sums = connection.Query<(string Number, long Quantity, long Value)>(
            $"SELECT number, SUM(quantity), SUM(value) FROM license_ledger WHERE {filter} GROUP BY number", new { numbers = list }, transaction)
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
        var open = connection.Query<LedgerRow>(
            "SELECT * FROM license_ledger l WHERE shipment = @shipment AND reverses IS NULL AND NOT EXISTS (SELECT 1 FROM license_ledger r WHERE r.reverses = l.sequence) ORDER BY sequence",
            new { shipment }, transaction).ToList();
        LockRows(connection, transaction, [.. open.Select(o => o.Number).Distinct().Order(StringComparer.Ordinal)]);
        var now = _clock.GetCurrentInstant();
        var written = new List<LedgerEntry>();
        foreach (var o in open)
        {
            var sequence = connection.ExecuteScalar<long>(
                "INSERT INTO license_ledger (number, shipment, quantity, value, reverses, at, actor) VALUES (@Number, @Shipment, @quantity, @value, @reverses, @at, @actor) RETURNING sequence",
                new { o.Number, o.Shipment, quantity = -o.Quantity, value = -o.Value, reverses = o.Sequence, at = InstantPattern.ExtendedIso.Format(now), actor }, transaction);
            written.Add(new LedgerEntry(sequence, o.Number, o.Shipment, -o.Quantity / WorkflowSchema.Scale, -o.Value / WorkflowSchema.Scale, o.Sequence));
            _audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, "license.reverse", o.Number,
                JsonSerializer.Serialize(new { shipment, reverses = o.Sequence, reason }, AuditJson), JsonSerializer.Serialize(new { sequence }, AuditJson)));
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
        var sql = _provider is NpgsqlProvider
            ? "SELECT * FROM licenses WHERE number = ANY(@numbers) ORDER BY number FOR UPDATE"
            : "SELECT * FROM licenses WHERE number IN @numbers ORDER BY number";
        return [.. connection.Query<Row>(sql, new { numbers = numbers.ToArray() }, transaction)];
    }

    private static LicenseBalance BalanceOf(DbConnection connection, DbTransaction? transaction, License license)
    {
        var (quantity, value) = connection.QuerySingle<(long, long)>(
            "SELECT COALESCE(SUM(quantity), 0), COALESCE(SUM(value), 0) FROM license_ledger WHERE number = @number", new { number = license.Number }, transaction);
        return LicenseBalance.From(license, quantity / WorkflowSchema.Scale, value / WorkflowSchema.Scale);
    }

    private static LicenseRecord Load(DbConnection connection, DbTransaction? transaction, Row row)
    {
        var license = row.ToLicense();
        var transitions = connection.Query<TransitionRow>("SELECT * FROM license_transitions WHERE number = @number ORDER BY id", new { number = license.Number }, transaction)
            .Select(t => t.ToTransition()).ToList();
        var ledger = connection.Query<LedgerRow>("SELECT * FROM license_ledger WHERE number = @number ORDER BY sequence", new { number = license.Number }, transaction)
            .Select(l => new LedgerEntry(l.Sequence, l.Number, l.Shipment, l.Quantity / WorkflowSchema.Scale, l.Value / WorkflowSchema.Scale, l.Reverses)).ToList();
        return new LicenseRecord(license, transitions, ledger, LicenseBalance.Of(license, ledger));
    }

    private static void Transition(DbConnection connection, DbTransaction transaction, string number, LicenseState state, LocalDate onDate, Instant at, string actor, string? reason) =>
        connection.Execute(
            "INSERT INTO license_transitions (number, state, on_date, at, actor, reason) VALUES (@number, @state, @onDate, @at, @actor, @reason)",
            new { number, state = License.Name(state), onDate = Iso.Format(onDate), at = InstantPattern.ExtendedIso.Format(at), actor, reason },
            transaction);

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
            Items = JsonSerializer.Serialize(l.Scope.Items), Destinations = JsonSerializer.Serialize(l.Scope.Destinations.Select(d => d.Value)),
            Consignees = JsonSerializer.Serialize(l.Scope.Consignees), End_Users = JsonSerializer.Serialize(l.Scope.EndUsers),
            Valid_From = Iso.Format(l.Validity.From), Valid_To = l.Validity.To is { } to ? Iso.Format(to.PlusDays(-1)) : null,
            Quantity_Limit = l.Quantity?.Amount.ToString(CultureInfo.InvariantCulture), Quantity_Unit = l.Quantity?.Unit,
            Value_Limit = l.Value?.Amount.ToString(CultureInfo.InvariantCulture), Value_Currency = l.Value?.Unit,
            Tolerance = l.Tolerance.ToString(CultureInfo.InvariantCulture), State = License.Name(l.State),
        };

        /// <summary>The licence in the wire's names, for the audit record of its addition.</summary>
        public static string Json(License l) => JsonSerializer.Serialize(new
        {
            number = l.Number, jurisdiction = l.Jurisdiction, type = l.Type, holder = l.Holder,
            items = l.Scope.Items, destinations = l.Scope.Destinations.Select(d => d.Value), consignees = l.Scope.Consignees, end_users = l.Scope.EndUsers,
            valid_from = Iso.Format(l.Validity.From), valid_to = l.Validity.To is { } to ? Iso.Format(to.PlusDays(-1)) : null,
            quantity = l.Quantity is { } q ? new { amount = q.Amount, unit = q.Unit } : null,
            value = l.Value is { } v ? new { amount = v.Amount, currency = v.Unit } : null,
            tolerance = l.Tolerance, state = License.Name(l.State),
        }, AuditJson);

        public License ToLicense() => new(
            Number, Jurisdiction, Type, Holder,
            new LicenseScope(
                JsonSerializer.Deserialize<string[]>(Items) ?? [],
                [.. (JsonSerializer.Deserialize<string[]>(Destinations) ?? []).Select(CountryCode.Parse)],
                JsonSerializer.Deserialize<string[]>(Consignees) ?? [],
                JsonSerializer.Deserialize<string[]>(End_Users) ?? []),
            new Period(Iso.Parse(Valid_From).Value, Valid_To is null ? null : Iso.Parse(Valid_To).Value.PlusDays(1)),
            Quantity_Limit is null ? null : new LicenseLimit(decimal.Parse(Quantity_Limit, CultureInfo.InvariantCulture), Quantity_Unit!),
            Value_Limit is null ? null : new LicenseLimit(decimal.Parse(Value_Limit, CultureInfo.InvariantCulture), Value_Currency!),
            decimal.Parse(Tolerance, CultureInfo.InvariantCulture),
            License.ParseState(State) ?? throw new ListStoreException($"licence {Number} has an unknown state '{State}' in the database"));
    }

    private sealed class TransitionRow
    {
        public string State { get; set; } = "";
        public string On_Date { get; set; } = "";
        public string At { get; set; } = "";
        public string Actor { get; set; } = "";
        public string? Reason { get; set; }

        public LicenseTransition ToTransition() => new(
            License.ParseState(State) ?? LicenseState.Applied, Iso.Parse(On_Date).Value, InstantPattern.ExtendedIso.Parse(At).Value, Actor, Reason);
    }

    private sealed class LedgerRow
    {
        public long Sequence { get; set; }
        public string Number { get; set; } = "";
        public string Shipment { get; set; } = "";
        public long Quantity { get; set; }
        public long Value { get; set; }
        public long? Reverses { get; set; }
    }
}
