using System.Buffers;
using System.Collections.Concurrent;
using System.Data.Common;
using System.Globalization;
using System.Text;
using System.Text.Json;
using System.Text.Json.Nodes;
using Clearance.Audit;
using Clearance.Licensing;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>The statuses a shipment line moves through.</summary>
public static class ShipmentStatus
{
    /// <summary>May ship: no licence required, covered by a licence drawn on, or released by an officer.</summary>
    public const string Released = "released";

    /// <summary>May not ship yet: every open reason is listed.</summary>
    public const string Held = "held";

    /// <summary>May not ship: prohibited, or rejected by an officer.</summary>
    public const string Rejected = "rejected";

    /// <summary>Withdrawn; its drawdown is returned.</summary>
    public const string Cancelled = "cancelled";

    /// <summary>Every status, as <c>--status</c> accepts them.</summary>
    public static readonly IReadOnlyList<string> All = [Released, Held, Rejected, Cancelled];
}

/// <summary>One step in a shipment line's history.</summary>
/// <param name="At">When it was recorded.</param>
/// <param name="Actor">Who acted.</param>
/// <param name="Action">submit, assign, release, reject, cancel.</param>
/// <param name="Status">The status after it.</param>
/// <param name="License">The licence assigned after it, or null.</param>
/// <param name="Reason">Why, when given.</param>
public sealed record ShipmentEvent(Instant At, string Actor, string Action, string Status, string? License, string? Reason);

/// <summary>A shipment line as stored.</summary>
/// <param name="Id">The line's id (unique).</param>
/// <param name="Status">See <see cref="ShipmentStatus"/>.</param>
/// <param name="License">The licence it draws on, or null.</param>
/// <param name="Reasons">The reasons, a JSON array of objects with a <c>code</c>.</param>
/// <param name="Determination">
/// The check result, as JSON: cut into the line's own part and the shared one for a line just submitted (the submit's
/// output writes it from these, <see cref="DeterminationText.WriteTo"/>), whole for a line read back from the database.
/// </param>
/// <param name="Request">The line as submitted, as JSON.</param>
/// <param name="SubmittedAt">When it was first submitted.</param>
/// <param name="UpdatedAt">When it last changed.</param>
/// <param name="History">Every step, oldest first (empty in lists).</param>
public sealed record ShipmentRecord(
    string Id, string Status, string? License, string Reasons, DeterminationText Determination, string Request, Instant SubmittedAt, Instant UpdatedAt,
    IReadOnlyList<ShipmentEvent> History);

/// <summary>A line to submit, decided up to the licence: what the check found, and what a licence must cover.</summary>
/// <param name="Id">The line's id.</param>
/// <param name="Request">The line as submitted, as JSON.</param>
/// <param name="Determination">The check result, as JSON: whole, or already cut (<see cref="ShipmentStore.Split"/>; else the store cuts it).</param>
/// <param name="Reasons">Open reasons other than the licence (screening, indeterminate, embargo), each an object with a <c>code</c>.</param>
/// <param name="Prohibited">Whether the export is prohibited (the line is rejected).</param>
/// <param name="LicenseRequired">The <c>license-required</c> reason when a licence is required; null otherwise.</param>
/// <param name="Demand">What a licence must cover, when one is required.</param>
/// <param name="License">The licence number the user assigned, or null for automatic assignment.</param>
/// <param name="ContentVersion">The content version of the determination.</param>
public sealed record ShipmentSubmission(
    string Id, string Request, DeterminationText Determination, IReadOnlyList<JsonObject> Reasons, bool Prohibited, JsonObject? LicenseRequired,
    LicenseDemand? Demand, string? License, string ContentVersion)
{
    /// <summary>Equal members; <see cref="Parties"/> are the request's, so not compared.</summary>
    /// <param name="other">The other submission.</param>
    public bool Equals(ShipmentSubmission? other) =>
        other is not null && Id == other.Id && Request == other.Request && Reasons == other.Reasons && Prohibited == other.Prohibited
        && LicenseRequired == other.LicenseRequired && Demand == other.Demand && License == other.License && ContentVersion == other.ContentVersion
        && Determination.Equals(other.Determination);

    /// <inheritdoc />
    public override int GetHashCode() => HashCode.Combine(Id, Request, Determination, Prohibited, License, ContentVersion);

    /// <summary>
    /// The request's parties, destination and requested licence, as the caller has them (they must be the
    /// <c>end_user</c>, <c>consignee</c>, <c>to</c> and <c>license</c> of <see cref="Request"/>), or null: the store then
    /// reads them from the request's JSON.
    /// </summary>
    public ShipmentParties? Parties { get; init; }
}

/// <summary>What a submit did: the record, and whether it was stored already (nothing drawn again).</summary>
/// <param name="Record">The line as stored.</param>
/// <param name="Repeated">True when the id was submitted before: the stored result, unchanged.</param>
/// <param name="Differs">For a repeat: the line submitted now differs from the one stored (the stored result stands).</param>
public sealed record SubmitResult(ShipmentRecord Record, bool Repeated, bool Differs = false);

/// <summary>A request about a shipment that cannot be done (unknown id, a status that does not allow it, a licence that does not cover it).</summary>
public sealed class ShipmentStoreException(string message) : Exception(message);

/// <summary>
/// Shipment lines, their status, reasons and history, in the same database as the licences and the audit trail. Each
/// change is one transaction (a submit: many lines to one, see ShipmentStore.Batch.cs): the status, the licence drawdown
/// (or its reversal), the history event and the audit records commit together or not at all, so a line is either wholly
/// recorded or absent.
/// </summary>
public sealed partial class ShipmentStore
{
    internal static readonly JsonSerializerOptions AuditJson = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };
    private readonly IDbProvider _provider;
    private readonly IClock _clock;
    private readonly LicenseStore _licenses;
    private string? _listVersions;

    /// <summary>Opens the store on <paramref name="provider"/>, bringing the schema up to date.</summary>
    public ShipmentStore(IDbProvider provider, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
        _licenses = new LicenseStore(provider, _clock);
    }

    /// <summary>Opens the store at a location as <see cref="DatabaseLocation.Resolve"/> gives it.</summary>
    public static ShipmentStore Open(string location) =>
        new(DatabaseLocation.Provider(location));

    /// <summary>The licences of the same database.</summary>
    public LicenseStore Licenses => _licenses;

    /// <summary>The audit trail of the same database.</summary>
    public AuditTrail Audit => _licenses.Audit;

    /// <summary>The content versions kept in the same database, for replaying recorded determinations.</summary>
    public ContentArchive Content => new(_provider, _clock);

    /// <summary>
    /// Records <paramref name="submission"/>: its status, reasons and licence drawdown with their audit records, in one
    /// transaction (a batch of one: see <see cref="Submit(IReadOnlyList{ShipmentSubmission}, string, Func{string, string})"/>).
    /// An id stored already returns the stored line and draws nothing (the repeat is audited).
    /// </summary>
    /// <exception cref="ShipmentStoreException">The assigned licence does not exist or cannot cover the line (nothing written).</exception>
    public SubmitResult Submit(ShipmentSubmission submission, string actor, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(submission);
        var outcome = Submit([submission], actor, normalize)[0];
        return outcome.Result ?? throw outcome.Error!;
    }

    /// <summary>A submitted line's audit outputs without the shared part of its determination (it goes back in before the closing brace).</summary>
    internal static string SubmitOutputs(string status, string? license, string reasons, string ownDetermination) =>
        $"{{\"status\":\"{status}\",\"license\":{(license is null ? "null" : LicenceText(license))},\"reasons\":{reasons},\"determination\":{ownDetermination}}}";

    /// <summary>
    /// Licence numbers as JSON strings (<see cref="JsonSerializer"/>'s text), remembered: every line that draws names one
    /// of a few hundred licences in its audit outputs, and serialising the number made a string and ran the serializer
    /// each time on the batch's thread. At most <see cref="LicenceTextsRemembered"/> are kept.
    /// </summary>
    private static readonly ConcurrentDictionary<string, string> LicenceTexts = new(StringComparer.Ordinal);

    private const int LicenceTextsRemembered = 10_000;

    /// <summary>A licence number as a JSON string.</summary>
    private static string LicenceText(string license)
    {
        if (LicenceTexts.TryGetValue(license, out var text))
            return text;
        if (LicenceTexts.Count >= LicenceTextsRemembered)
            LicenceTexts.Clear();
        return LicenceTexts.GetOrAdd(license, static l => JsonSerializer.Serialize(l, StoreJson.Default.String));
    }

    /// <summary>
    /// The reasons of a line with none: one instance for every such line (45 % of the book's lines), so that the batch's
    /// writer sees it repeat by reference and does not bind it again (RowBatch), and no string is made for each.
    /// </summary>
    private const string NoReasons = "[]";

    /// <summary>
    /// <paramref name="reasons"/>, then <paramref name="added"/> when given, as a JSON array: the text a
    /// <see cref="JsonArray"/> of clones of them gives with <see cref="AuditJson"/>, written without cloning them.
    /// </summary>
    internal static string ReasonsJson(IReadOnlyList<JsonObject> reasons, JsonObject? added) =>
        reasons.Count == 0 && added is null ? NoReasons : JsonWriting.Text((reasons, added), static (w, s) =>
        {
            w.WriteStartArray();
            foreach (var reason in s.reasons)
                reason.WriteTo(w, AuditJson);
            s.added?.WriteTo(w, AuditJson);
            w.WriteEndArray();
        });

    /// <summary>
    /// The reasons of a line no licence covers: its open reasons, the licence requirement with the closest licence and
    /// its fit, and the balance when that was what fell short. Written straight to UTF-8: the text a
    /// <see cref="JsonArray"/> of clones of them, the members added at the end of the requirement's, gives with
    /// <see cref="AuditJson"/> (a held line of a book had them cloned and serialised on the writing thread).
    /// </summary>
    internal static string RefusedReasonsJson(IReadOnlyList<JsonObject> openReasons, JsonObject required, DrawResult drawn, LicenseDemand demand) =>
        JsonWriting.Text((openReasons, required, drawn, demand), static (w, s) =>
        {
            var (openReasons, required, drawn, demand) = s;
            w.WriteStartArray();
            foreach (var open in openReasons)
                open.WriteTo(w, AuditJson);
            var closest = drawn.License is { } number && drawn.Fit != LicenseFit.WrongType ? number : null;
            var fit = closest is null ? null : LicenseMatch.Name(drawn.Fit);
            var (closestWritten, fitWritten) = (closest is null, closest is null);
            w.WriteStartObject();
            foreach (var (name, value) in required)
            {
                // A member the requirement has already is set in place, as the JsonObject's indexer does; else added last.
                if (!closestWritten && name == "closest_license")
                {
                    w.WriteString(name, closest);
                    closestWritten = true;
                }
                else if (!fitWritten && name == "fit")
                {
                    w.WriteString(name, fit);
                    fitWritten = true;
                }
                else if (value is null)
                {
                    w.WriteNull(name);
                }
                else
                {
                    w.WritePropertyName(name);
                    value.WriteTo(w, AuditJson);
                }
            }

            if (!closestWritten)
                w.WriteString("closest_license", closest);
            if (!fitWritten)
                w.WriteString("fit", fit);
            w.WriteEndObject();
            if (drawn.Fit == LicenseFit.Balance)
            {
                w.WriteStartObject();
                w.WriteString("code", "license-balance");
                w.WriteString("license", drawn.License);
                w.WriteNumberOrNull("quantity_remaining", drawn.Balance?.QuantityRemaining);
                w.WriteNumberOrNull("value_remaining", drawn.Balance?.ValueRemaining);
                w.WriteNumberOrNull("quantity", demand.Quantity?.Amount);
                w.WriteNumberOrNull("value", demand.Value?.Amount);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        });

    /// <summary>The line with its history, or null.</summary>
    public ShipmentRecord? Find(string id)
    {
        using var connection = _provider.Open();
        return Load(connection, null, id, history: true);
    }

    /// <summary>Every line (with the status given, when given), in the order submitted; without history.</summary>
    public IReadOnlyList<ShipmentRecord> List(string? status = null)
    {
        using var connection = _provider.Open();
        using var command = status is null
            ? PlainCommand.Create(connection, SelectLines + " ORDER BY " + InSubmissionOrder)
            : PlainCommand.Create(connection, SelectLines + " WHERE s.status = @status ORDER BY " + InSubmissionOrder, null, ("status", status));
        using var reader = command.ExecuteReader();
        var records = new List<ShipmentRecord>();
        while (reader.Read())
            records.Add(Row.Read(reader).ToRecord([]));
        return records;
    }

    /// <summary>An officer releases a held line: the override is recorded as an <c>officer-release</c> reason with who and why.</summary>
    public ShipmentRecord Release(string id, string reason, string actor) => Change(id, actor, "release", reason, (connection, transaction, row, now) =>
    {
        if (row.Status != ShipmentStatus.Held)
            throw new ShipmentStoreException($"shipment {id} is {row.Status}: only a held line is released by an officer");
        var reasons = JsonNode.Parse(row.Reasons)!.AsArray();
        reasons.Add((JsonNode)new JsonObject { ["code"] = "officer-release", ["actor"] = actor, ["reason"] = reason, ["at"] = Format(now) });
        return (ShipmentStatus.Released, row.License, reasons.ToJsonString(AuditJson));
    });

    /// <summary>An officer rejects a line; a drawdown it had is returned (the line then names no licence; its history does).</summary>
    public ShipmentRecord Reject(string id, string reason, string actor) => Change(id, actor, "reject", reason, (connection, transaction, row, now) =>
    {
        if (row.Status is ShipmentStatus.Rejected or ShipmentStatus.Cancelled)
            throw new ShipmentStoreException($"shipment {id} is {row.Status} already");
        _licenses.Reverse(connection, transaction, id, actor, "shipment rejected: " + reason);
        return (ShipmentStatus.Rejected, null, row.Reasons); // it draws on no licence now (the history keeps which it did)
    });

    /// <summary>Cancels a line; its drawdown is returned to the licence (the line then names no licence; its history does).</summary>
    public ShipmentRecord Cancel(string id, string? reason, string actor) => Change(id, actor, "cancel", reason, (connection, transaction, row, now) =>
    {
        if (row.Status == ShipmentStatus.Cancelled)
            throw new ShipmentStoreException($"shipment {id} is cancelled already");
        _licenses.Reverse(connection, transaction, id, actor, "shipment cancelled" + (reason is null ? "" : ": " + reason));
        return (ShipmentStatus.Cancelled, null, row.Reasons);
    });

    /// <summary>
    /// Assigns licence <paramref name="number"/> to a held line that needs one: draws on it (returning a drawdown on
    /// another licence first) and releases the line when nothing else holds it. A line released on that licence
    /// already is left as it is.
    /// </summary>
    /// <exception cref="ShipmentStoreException">No such line or licence, a line that needs no licence, or a licence that does not cover it.</exception>
    public ShipmentRecord Assign(string id, string number, string actor, Func<string, string> normalize) => Change(id, actor, "assign", null, (connection, transaction, row, now) =>
    {
        if (row.Status is ShipmentStatus.Rejected or ShipmentStatus.Cancelled)
            throw new ShipmentStoreException($"shipment {id} is {row.Status}: no licence can be assigned");
        if (row.Demand is null)
            throw new ShipmentStoreException($"shipment {id} needs no licence");
        if (row.License == number && row.Status == ShipmentStatus.Released)
            return (row.Status, row.License, row.Reasons); // assigned already: no change (a re-run changes nothing)
        _licenses.Reverse(connection, transaction, id, actor, $"re-assigned to licence {number}");
        var demand = DemandJson.Read(row.Demand);
        var drawn = Draw(connection, transaction, id, number, demand, actor, normalize);
        if (drawn.Fit != LicenseFit.Covers)
            throw new ShipmentStoreException($"licence {number} does not cover shipment {id}: {LicenseMatch.Name(drawn.Fit)}{BalanceText(drawn)}");
        var reasons = JsonNode.Parse(row.Reasons)!.AsArray();
        foreach (var covered in reasons.Where(r => r?["code"]?.GetValue<string>() is "license-required" or "license-balance").ToList())
            reasons.Remove(covered);
        var open = reasons.Any(ShipmentReasons.IsOpen);
        return (open ? ShipmentStatus.Held : ShipmentStatus.Released, number, reasons.ToJsonString(AuditJson));
    });

    private delegate (string Status, string? License, string Reasons) Transition(DbConnection connection, DbTransaction transaction, Row row, Instant now);

    private ShipmentRecord Change(string id, string actor, string action, string? reason, Transition transition)
    {
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        Audit.Lock(connection, transaction); // first, as every workflow writer does: one lock order, no deadlock
        // The line's row is locked for the change (SQLite: BeginTransaction already holds the write lock), so that two
        // officers acting on one line at once take turns: the second sees the first's status and drawdown.
        var row = PlainCommand.First(connection, SelectLineForUpdate(_provider), transaction, Row.Read, ("id", id))
            ?? throw new ShipmentStoreException($"no shipment with id {id}");
        var now = _clock.GetCurrentInstant();
        var (status, license, reasons) = transition(connection, transaction, row, now);
        if (status == row.Status && license == row.License && reasons == row.Reasons && action == "assign")
            return Load(connection, transaction, id, history: true)!;
        PlainCommand.Execute(connection, "UPDATE shipments SET status = @status, license = @license, reasons = @reasons, updated_at = @at WHERE id = @id",
            transaction, ("status", status), ("license", license), ("reasons", reasons), ("at", Format(now)), ("id", id));
        Event(connection, transaction, id, now, actor, action, status, license, reason);
        AppendAudit(connection, transaction, now, actor, "shipment." + action, id,
            JsonSerializer.Serialize(new JsonShapes.ChangeInputs(action == "assign" ? license : null, reason), StoreJson.Relaxed.ChangeInputs),
            $"{{\"previous\":\"{row.Status}\",\"status\":\"{status}\",\"license\":{JsonSerializer.Serialize(license, StoreJson.Default.String)},\"reasons\":{reasons}}}", "");
        transaction.Commit();
        return Load(connection, null, id, history: true)!;
    }

    private DrawResult Draw(DbConnection connection, DbTransaction transaction, string id, string? number, LicenseDemand demand, string actor, Func<string, string> normalize)
    {
        try
        {
            return _licenses.Draw(connection, transaction, number, demand, id, actor, normalize);
        }
        catch (ListStoreException e) when (number is not null && e.Message.StartsWith("no licence numbered", StringComparison.Ordinal))
        {
            throw new ShipmentStoreException($"field 'license': {e.Message}");
        }
    }

    private static string BalanceText(DrawResult drawn) => drawn.Fit == LicenseFit.Balance && drawn.Balance is { } b
        ? $" (remaining: {string.Join(", ", new[] { b.QuantityRemaining, b.ValueRemaining }.Where(x => x is not null).Select(x => x!.Value.ToString(CultureInfo.InvariantCulture)))})"
        : "";

    private void AppendAudit(DbConnection connection, DbTransaction transaction, Instant now, string actor, string action, string subject, string inputs, string outputs, string contentVersion) =>
        Audit.Append(connection, transaction, now, new AuditTrail.Entry(actor, action, subject, inputs, outputs, contentVersion, ListVersions(connection, transaction)));

    /// <summary>The active list versions ("meti-eul:1,ofac-sdn:3"), read once per store.</summary>
    private string ListVersions(DbConnection connection, DbTransaction transaction) =>
        _listVersions ??= ScreeningDecisionStore.ActiveVersions(connection, transaction);

    private static void Event(DbConnection connection, DbTransaction transaction, string id, Instant at, string actor, string action, string status, string? license, string? reason) =>
        PlainCommand.Execute(connection,
            "INSERT INTO shipment_events (shipment, at, actor, action, status, license, reason) VALUES (@id, @at, @actor, @action, @status, @license, @reason)",
            transaction, ("id", id), ("at", Format(at)), ("actor", actor), ("action", action), ("status", status), ("license", license), ("reason", reason));

    private static ShipmentRecord? Load(DbConnection connection, DbTransaction? transaction, string id, bool history)
    {
        Row row;
        using (var command = PlainCommand.Create(connection, SelectLines + " WHERE s.id = @id", transaction, ("id", id)))
        using (var reader = command.ExecuteReader())
        {
            if (!reader.Read())
                return null;
            row = Row.Read(reader);
        }

        var events = new List<ShipmentEvent>();
        if (history)
        {
            using var command = PlainCommand.Create(connection, "SELECT " + EventRow.Columns + " FROM shipment_events WHERE shipment = @id ORDER BY id", transaction, ("id", id));
            using var reader = command.ExecuteReader();
            while (reader.Read())
                events.Add(EventRow.Read(reader).ToEvent());
        }

        return row.ToRecord(events);
    }

    /// <summary>
    /// The lines with their whole determination: the line's own part followed by the shared part it names, when it names
    /// one (<see cref="DeterminationSchema"/>). Filter on <c>s.</c> columns.
    /// </summary>
    internal const string SelectLines =
        "SELECT s.id, s.status, s.license, s.reasons, s.determination || COALESCE(d.body, '') AS determination, s.request, s.demand, s.submitted_at, s.updated_at " +
        "FROM shipments s LEFT JOIN determinations d ON d.sha256 = s.determination_sha256";

    /// <summary>
    /// The ORDER BY terms that list lines as they were submitted. Stored instants are ISO text with as few fraction digits
    /// as the instant needs ("…00.1Z", "…00.12Z"), so the text itself does not sort in time order ('Z' sorts after a digit);
    /// without its 'Z' an earlier instant is a prefix of, or smaller than, a later one in the same second, so it sorts first.
    /// </summary>
    internal const string InSubmissionOrder = "rtrim(s.submitted_at, 'Z'), s.id";

    /// <summary>One line by <c>@id</c>, its row locked for a change on PostgreSQL (SQLite: the transaction holds the write lock).</summary>
    internal static string SelectLineForUpdate(IDbProvider provider) =>
        provider is NpgsqlProvider ? SelectLines + " WHERE s.id = @id FOR UPDATE OF s" : SelectLines + " WHERE s.id = @id";

    // The audit chain's spelling of an instant: a submit's and a recheck's audit records hash the line's row time text as it is.
    private static string Format(Instant at) => AuditChain.FormatTime(at);

    private static Instant Parse(string at) => InstantPattern.ExtendedIso.Parse(at).GetValueOrThrow();

    private sealed class Row
    {
        public string Id { get; set; } = "";
        public string Status { get; set; } = "";
        public string? License { get; set; }
        public string Reasons { get; set; } = "[]";
        public string Determination { get; set; } = "{}";
        public string Request { get; set; } = "{}";
        public string? Demand { get; set; }
        public string Submitted_At { get; set; } = "";
        public string Updated_At { get; set; } = "";

        public ShipmentRecord ToRecord(IReadOnlyList<ShipmentEvent> history) =>
            new(Id, Status, License, Reasons, new DeterminationText(Determination), Request, Parse(Submitted_At), Parse(Updated_At), history);

        /// <summary>The row at <paramref name="reader"/>'s position, its columns in <see cref="SelectLines"/>' order.</summary>
        public static Row Read(DbDataReader reader) => new()
        {
            Id = reader.GetString(0),
            Status = reader.GetString(1),
            License = reader.Text(2),
            Reasons = reader.GetString(3),
            Determination = reader.GetString(4),
            Request = reader.GetString(5),
            Demand = reader.Text(6),
            Submitted_At = reader.GetString(7),
            Updated_At = reader.GetString(8),
        };
    }

    private sealed class EventRow
    {
        public string Shipment { get; set; } = "";
        public string At { get; set; } = "";
        public string Actor { get; set; } = "";
        public string Action { get; set; } = "";
        public string Status { get; set; } = "";
        public string? License { get; set; }
        public string? Reason { get; set; }

        public ShipmentEvent ToEvent() => new(Parse(At), Actor, Action, Status, License, Reason);

        /// <summary>The columns <see cref="Read"/> reads, in its order.</summary>
        public const string Columns = "shipment, at, actor, action, status, license, reason";

        /// <summary>The event at <paramref name="reader"/>'s position, its columns in <see cref="Columns"/>' order.</summary>
        public static EventRow Read(DbDataReader reader) => new()
        {
            Shipment = reader.GetString(0),
            At = reader.GetString(1),
            Actor = reader.GetString(2),
            Action = reader.GetString(3),
            Status = reader.GetString(4),
            License = reader.Text(5),
            Reason = reader.Text(6),
        };
    }

    /// <summary>A licence demand as stored with its line, so that a licence can be assigned later.</summary>
    internal static class DemandJson
    {
        /// <summary>
        /// The demand as JSON: written straight to UTF-8 (the same text a <see cref="JsonObject"/> of these members gives
        /// with <see cref="AuditJson"/>, without building the tree: every line that needs a licence stores one).
        /// </summary>
        public static string Write(LicenseDemand demand) =>
            JsonWriting.Text(demand, static (w, d) =>
            {
                w.WriteStartObject();
                w.WriteDate("date", d.Date);
                w.WriteString("jurisdiction", d.Jurisdiction);
                w.WriteStrings("eligible_types", d.EligibleTypes);
                w.WriteString("exporter", d.Exporter);
                w.WriteStrings("items", d.Items);
                w.WriteString("destination", d.Destination.Value);
                w.WriteString("consignee", d.Consignee);
                w.WriteString("end_user", d.EndUser);
                w.WriteAmount("quantity", d.Quantity?.Amount, "unit", d.Quantity?.Unit);
                w.WriteAmount("value", d.Value?.Amount, "unit", d.Value?.Unit);
                w.WriteEndObject();
            });

        public static LicenseDemand Read(string json)
        {
            var o = JsonNode.Parse(json)!.AsObject();
            return new LicenseDemand(
                LocalDatePattern.Iso.Parse(o["date"]!.GetValue<string>()).Value, o["jurisdiction"]!.GetValue<string>(),
                [.. o["eligible_types"]!.AsArray().Select(t => t!.GetValue<string>())], o["exporter"]?.GetValue<string>(),
                [.. o["items"]!.AsArray().Select(t => t!.GetValue<string>())], CountryCode.Parse(o["destination"]!.GetValue<string>()),
                o["consignee"]?.GetValue<string>(), o["end_user"]?.GetValue<string>(), ReadLimit(o["quantity"]), ReadLimit(o["value"]));
        }

        private static LicenseLimit? ReadLimit(JsonNode? node) => node is null ? null : new LicenseLimit(node["amount"]!.GetValue<decimal>(), node["unit"]!.GetValue<string>());
    }
}
