using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>
/// A decision taken on a possible list match of the end user (<c>end_user_decision</c>) or of the consignee
/// (<c>consignee_decision</c>), given with the shipment until the workflow stores decisions.
/// </summary>
public enum EndUserDecision : byte
{
    /// <summary>The party is the listed entry: the possible match counts as listed.</summary>
    Confirmed,

    /// <summary>The party is not the listed entry: the possible match counts as clear.</summary>
    Cleared,
}

/// <summary>A shipment's id as given: a string, or a number kept as its JSON text (echoed back unchanged).</summary>
/// <param name="Text">The string, or the number's text.</param>
/// <param name="IsNumber">Whether it was a JSON number.</param>
public readonly record struct ShipmentId(string Text, bool IsNumber);

/// <summary>An amount of money.</summary>
/// <param name="Amount">Non-negative.</param>
/// <param name="Currency">ISO 4217 form: three upper-case letters.</param>
public readonly record struct Money(decimal Amount, string Currency);

/// <summary>A quantity of goods.</summary>
/// <param name="Amount">Non-negative.</param>
/// <param name="Unit">Unit as given, e.g. "kg", "pcs".</param>
public readonly record struct Quantity(decimal Amount, string Unit);

/// <summary>
/// One shipment of the check contract, as every input (JSON Lines, CSV, command-line flags) produces it: validated
/// field by field, not yet resolved against the content (jurisdiction and item are looked up by the check).
/// </summary>
/// <param name="Id">Echoed in the result; null when not given.</param>
/// <param name="Date">The as-of date.</param>
/// <param name="From">Exporting country.</param>
/// <param name="To">Destination country (never the exporting country).</param>
/// <param name="Classifications">The item's classifications, <c>REGIME:code</c> each (e.g. "JP:7(19)", "US:3B993"), at least one.</param>
/// <param name="EndUse">Declared end use; <see cref="EndUse.Unknown"/> when not given.</param>
/// <param name="Informed">Whether the authority informed the exporter of a concern.</param>
/// <param name="EndUser">End user name, screened against the lists; null when not given.</param>
/// <param name="Held">Licence type ids the exporter holds.</param>
/// <param name="Value">Value of the shipment, when given.</param>
/// <param name="Quantity">Quantity of the shipment, when given.</param>
/// <param name="EndUserDecision">A decision on a possible end-user-list match, when given.</param>
/// <param name="Facts">
/// Declared facts by id, as the text <see cref="ShipmentFacts.Declared"/> takes ("true"/"false", an enumeration value,
/// an amount "1500 W"); null when none are given. Checked against the governing regimes' declarations by the check.
/// </param>
/// <param name="Consignee">The consignee (the party the goods are shipped to, when not the end user), screened as the end user is; null when not given.</param>
/// <param name="Order">The order the line belongs to (workflow: <c>shipments submit</c>); ignored by <c>check</c>; null when not given.</param>
/// <param name="OrderLine">The line's number or id within the order (the contract's <c>line</c>); null when not given.</param>
/// <param name="Exporter">The exporter (a licence's holder must be it); null when not given.</param>
/// <param name="License">A licence number the user assigns to the line; null for automatic assignment.</param>
/// <param name="Customer">The customer the order is for (reported by <c>impact</c>); ignored by the determination; null when not given.</param>
/// <param name="ConsigneeDecision">A decision on a possible list match of the consignee, when given.</param>
/// <param name="Purchaser">The purchaser (15 CFR 748.5(c)), screened for the facts that name it; null when not given.</param>
/// <param name="IntermediateConsignees">The intermediate consignees (15 CFR 748.5(d)), each screened for the facts that name them; null when none.</param>
public sealed record Shipment(
    ShipmentId? Id,
    LocalDate Date,
    CountryCode From,
    CountryCode To,
    IReadOnlyList<string> Classifications,
    EndUse EndUse,
    bool Informed,
    string? EndUser,
    IReadOnlyList<string> Held,
    Money? Value,
    Quantity? Quantity,
    EndUserDecision? EndUserDecision,
    IReadOnlyDictionary<string, string>? Facts = null,
    string? Consignee = null,
    string? Order = null,
    string? OrderLine = null,
    string? Exporter = null,
    string? License = null,
    string? Customer = null,
    EndUserDecision? ConsigneeDecision = null,
    string? Purchaser = null,
    IReadOnlyList<string>? IntermediateConsignees = null)
{
    // The fields most lines leave out, kept in one object that is null when they all are: a batch reads a shipment per
    // line, and these twelve fields were over half of its ~230 bytes, cleared and written for every line of a million
    // (docs/benchmarks.md, check-lines15). Equality, hashing and printing are unchanged: the record compares this field
    // by value (the rare fields' own record), and a shipment's fields all left out is null here, never an empty object.
    private readonly RareFields? _rare = Quantity is null && EndUserDecision is null && Facts is null && Consignee is null && Order is null && OrderLine is null && Exporter is null
        && License is null && Customer is null && ConsigneeDecision is null && Purchaser is null && IntermediateConsignees is null
        ? null
        : new(Quantity, EndUserDecision, Facts, Consignee, Order, OrderLine, Exporter, License, Customer, ConsigneeDecision, Purchaser, IntermediateConsignees);

    // The fields every line has, held compactly (~56 of the shipment's 152 bytes, docs/benchmarks.md, check-read24):
    // the id as its text and a kind (a ShipmentId? is 24 bytes), the countries as their slots in Codes (a CountryCode is
    // 16 bytes: its text and index), the value as its amount and currency (a Money? is 32). The properties give back
    // exactly what was given, default values too, so equality, hashing and printing are unchanged.
    private static readonly CountryCode[] Codes = [default, .. CountryCode.All];
    private readonly string? _idText = Id?.Text;
    private readonly decimal _amount = Value?.Amount ?? 0;
    private readonly string? _currency = Value?.Currency;
    private readonly ushort _from = Slot(From), _to = Slot(To);
    private readonly IdKind _idKind = Kind(Id);
    private readonly bool _hasValue = Value is not null;

    private enum IdKind : byte
    {
        None,
        Text,
        Number,
    }

    // Every member is declared here, in the order of the parameters, as printing (ToString) lists them in the order of
    // their declarations.

    /// <summary>Echoed in the result; null when not given.</summary>
    public ShipmentId? Id { get => _idKind == IdKind.None ? null : new ShipmentId(_idText!, _idKind == IdKind.Number); init => (_idText, _idKind) = (value?.Text, Kind(value)); }

    /// <summary>The as-of date.</summary>
    public LocalDate Date { get; init; } = Date;

    /// <summary>Exporting country.</summary>
    public CountryCode From { get => Codes[_from]; init => _from = Slot(value); }

    /// <summary>Destination country (never the exporting country).</summary>
    public CountryCode To { get => Codes[_to]; init => _to = Slot(value); }

    /// <summary>The item's classifications, <c>REGIME:code</c> each, at least one.</summary>
    public IReadOnlyList<string> Classifications { get; init; } = Classifications;

    /// <summary>Declared end use; <see cref="EndUse.Unknown"/> when not given.</summary>
    public EndUse EndUse { get; init; } = EndUse;

    /// <summary>Whether the authority informed the exporter of a concern.</summary>
    public bool Informed { get; init; } = Informed;

    /// <summary>End user name, screened against the lists; null when not given.</summary>
    public string? EndUser { get; init; } = EndUser;

    /// <summary>Licence type ids the exporter holds.</summary>
    public IReadOnlyList<string> Held { get; init; } = Held;

    /// <summary>Value of the shipment, when given.</summary>
    public Money? Value { get => _hasValue ? new Money(_amount, _currency!) : null; init => (_amount, _currency, _hasValue) = (value?.Amount ?? 0, value?.Currency, value is not null); }

    /// <summary>Quantity of the shipment, when given.</summary>
    public Quantity? Quantity { get => _rare?.Quantity; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Quantity = value }); }

    /// <summary>A decision on a possible end-user-list match, when given.</summary>
    public EndUserDecision? EndUserDecision { get => _rare?.EndUserDecision; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { EndUserDecision = value }); }

    /// <summary>Declared facts by id, or null when none are given.</summary>
    public IReadOnlyDictionary<string, string>? Facts { get => _rare?.Facts; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Facts = value }); }

    /// <summary>The consignee, or null when not given.</summary>
    public string? Consignee { get => _rare?.Consignee; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Consignee = value }); }

    /// <summary>The order the line belongs to, or null when not given.</summary>
    public string? Order { get => _rare?.Order; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Order = value }); }

    /// <summary>The line's number or id within the order, or null when not given.</summary>
    public string? OrderLine { get => _rare?.OrderLine; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { OrderLine = value }); }

    /// <summary>The exporter, or null when not given.</summary>
    public string? Exporter { get => _rare?.Exporter; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Exporter = value }); }

    /// <summary>A licence number the user assigns to the line, or null.</summary>
    public string? License { get => _rare?.License; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { License = value }); }

    /// <summary>The customer the order is for, or null when not given.</summary>
    public string? Customer { get => _rare?.Customer; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Customer = value }); }

    /// <summary>A decision on a possible list match of the consignee, when given.</summary>
    public EndUserDecision? ConsigneeDecision { get => _rare?.ConsigneeDecision; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { ConsigneeDecision = value }); }

    /// <summary>The purchaser, or null when not given.</summary>
    public string? Purchaser { get => _rare?.Purchaser; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { Purchaser = value }); }

    /// <summary>The intermediate consignees, or null when none.</summary>
    public IReadOnlyList<string>? IntermediateConsignees { get => _rare?.IntermediateConsignees; init => _rare = RareFields.Of((_rare ?? RareFields.None) with { IntermediateConsignees = value }); }

    private static ushort Slot(CountryCode code) => code.Value is null ? (ushort)0 : (ushort)(code.Index + 1);

    private static IdKind Kind(ShipmentId? id) => id is not { } given ? IdKind.None : given.IsNumber ? IdKind.Number : IdKind.Text;

    /// <summary>The fields of <see cref="Shipment"/> most lines leave out.</summary>
    private sealed record RareFields(Quantity? Quantity, EndUserDecision? EndUserDecision, IReadOnlyDictionary<string, string>? Facts, string? Consignee, string? Order, string? OrderLine,
        string? Exporter, string? License, string? Customer, EndUserDecision? ConsigneeDecision, string? Purchaser, IReadOnlyList<string>? IntermediateConsignees)
    {
        /// <summary>Every field left out.</summary>
        public static RareFields None { get; } = new(null, null, null, null, null, null, null, null, null, null, null, null);

        /// <summary><paramref name="fields"/>, or null when it leaves every field out (so that equal shipments hold equal fields).</summary>
        public static RareFields? Of(RareFields fields) => fields == None ? null : fields;
    }
}

/// <summary>One declared fact as an input gives it, before validation: a text value, or the members of an amount object.</summary>
/// <param name="Id">The fact's id as given (may be empty: an error).</param>
/// <param name="Value">The text ("true", "energy", "1500 W"); null for an amount object, or for a flag without a value.</param>
/// <param name="IsAmount">Whether it was given as an amount object <c>{"amount": ..., "unit": ...}</c>.</param>
/// <param name="Amount">The amount object's <c>amount</c> as written; null when missing.</param>
/// <param name="Unit">The amount object's <c>unit</c>; null when missing.</param>
public readonly record struct FactText(string Id, string? Value, bool IsAmount = false, string? Amount = null, string? Unit = null);

/// <summary>An input line that cannot be checked: a stable code and a message naming the line and field.</summary>
/// <param name="Code">missing-field, invalid-field, unknown-field, invalid-date, unknown-country, unknown-licence, malformed-json, invalid-csv, unsupported-jurisdiction, unknown-item.</param>
/// <param name="Message">"line N: field 'x': ..." or "line N: ...".</param>
public sealed record LineError(string Code, string Message);

/// <summary>One line of input read: its shipment, or the error that stopped it (with the id when it was readable).</summary>
/// <param name="Line">Line number in the input (a CSV record's first line).</param>
/// <param name="Id">The id, when readable, also for a line in error.</param>
/// <param name="Shipment">The shipment; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the line has no shipment.</param>
public readonly record struct ShipmentLine(long Line, ShipmentId? Id, Shipment? Shipment, LineError? Error);
