using System.Globalization;

namespace Clearance.Model;

/// <summary>An amount in a unit: a value in a currency ("1500 USD") or a quantity in a unit of measure ("5 kg").</summary>
/// <param name="Value">The amount.</param>
/// <param name="Unit">ISO 4217 currency code for values; a unit of measure (as written, case-sensitive) for quantities.</param>
public readonly record struct Amount(decimal Value, string Unit)
{
    /// <inheritdoc />
    public override string ToString() => $"{Value.ToString(CultureInfo.InvariantCulture)} {Unit}";

    /// <summary>Parses "1500 USD" or "1500.5 kg".</summary>
    public static bool TryParse(string text, out Amount amount)
    {
        amount = TryParse(text, out var value, out var unit) ? new Amount(value, unit.ToString()) : default;
        return amount.Unit is not null;
    }

    /// <summary>Parses "1500 USD" without allocating: the number, and the unit as a slice of the text.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out decimal value, out ReadOnlySpan<char> unit)
    {
        text = text.Trim(' ');
        var space = text.IndexOf(' ');
        unit = space < 0 ? default : text[(space + 1)..].TrimStart(' ');
        value = 0;
        return space > 0 && !unit.IsEmpty && !unit.Contains(' ')
            && decimal.TryParse(text[..space], NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out value);
    }
}

/// <summary>How a fact is typed: what a rule may test and what a shipment must give.</summary>
public enum FactType : byte
{
    /// <summary>True or false.</summary>
    Boolean,
    /// <summary>One value of a fixed list.</summary>
    Enumeration,
    /// <summary>An amount with a unit (currency or unit of measure).</summary>
    Amount,
}

/// <summary>
/// A fact a rule may test. The built-in facts (<see cref="Facts.BuiltIn"/>) are read from the shipment's own fields; a
/// jurisdiction declares any further fact it needs in its content, and shipments give those in their <c>facts</c>
/// object, so the set of facts has no fixed ceiling.
/// </summary>
/// <param name="Id">Wire name, e.g. "end_use", "value".</param>
/// <param name="Type">Boolean, enumeration or amount.</param>
/// <param name="Values">For enumerations: the allowed values.</param>
/// <param name="Description">What the fact means, for the user who must supply it.</param>
/// <param name="DefaultWhenMissing">For booleans only: the value taken when the shipment does not give the fact (e.g. <c>informed</c>: an inform notice is a written act the exporter holds), or null when a missing fact leaves a rule undecided.</param>
public sealed record FactDefinition(string Id, FactType Type, IReadOnlyList<string> Values, string Description, bool? DefaultWhenMissing = null)
{
    /// <summary>
    /// For booleans only: the restricted-party list (e.g. "csl-el", the Entity List in the Consolidated Screening List)
    /// whose screening of the end user answers the fact when the shipment names one: true for a listing in force on the
    /// export date, false when screened clear. Null for a fact only the shipment gives.
    /// </summary>
    public string? ScreenedBy { get; init; }

    /// <summary>
    /// For a fact <see cref="ScreenedBy"/> a list: the parties to the transaction whose screening answers it
    /// (<c>screened_parties</c>). The end user alone by default; the EAR's Entity List, Denied Persons List, Unverified
    /// List and Military End-User List apply whenever a listed person is a party to the transaction (purchaser,
    /// intermediate or ultimate consignee, end user: 15 CFR 748.5(c)-(f)), so their facts name all four, while
    /// an end-user list (Japan's) concerns the end user alone and keeps a consignee's match a warning.
    /// </summary>
    public IReadOnlyList<ScreenedParty> ScreenedParties { get; init; } = [ScreenedParty.EndUser];

    /// <summary>Whether screening <paramref name="party"/> answers the fact (it names a list and the party is one it covers).</summary>
    /// <param name="party">The party screened.</param>
    public bool IsScreenedFor(ScreenedParty party) => ScreenedBy is not null && ScreenedParties.Contains(party);
}

/// <summary>A party to the transaction a shipment names, whose screening may answer a fact (<see cref="FactDefinition.ScreenedParties"/>).</summary>
public enum ScreenedParty : byte
{
    /// <summary>The end user (<c>end_user</c>).</summary>
    EndUser,
    /// <summary>The consignee (<c>consignee</c>).</summary>
    Consignee,
    /// <summary>The purchaser (<c>purchaser</c>), when not the consignee or end user: 15 CFR 748.5(c).</summary>
    Purchaser,
    /// <summary>An intermediate consignee (<c>intermediate_consignees</c>): 15 CFR 748.5(d).</summary>
    IntermediateConsignee,
}

/// <summary>The facts every jurisdiction can test, read from the shipment's own fields.</summary>
public static class Facts
{
    /// <summary>"end_use": civil, wmd, conventional-military.</summary>
    public const string EndUse = "end_use";

    /// <summary>"informed": the authority informed the exporter of a concern.</summary>
    public const string Informed = "informed";

    /// <summary>"end_user_listed": the end user is on the jurisdiction's end-user list (from screening).</summary>
    public const string EndUserListed = "end_user_listed";

    /// <summary>"value": the shipment's value with its currency.</summary>
    public const string Value = "value";

    /// <summary>"quantity": the shipment's quantity with its unit.</summary>
    public const string Quantity = "quantity";

    /// <summary>The built-in facts.</summary>
    public static IReadOnlyList<FactDefinition> BuiltIn { get; } =
    [
        new(EndUse, FactType.Enumeration, ["civil", "wmd", "conventional-military"], "the end use the exporter declares"),
        new(Informed, FactType.Boolean, [], "whether the authority informed the exporter of a concern", DefaultWhenMissing: false),
        new(EndUserListed, FactType.Boolean, [], "whether the end user is on the jurisdiction's end-user list (screening decides it)"),
        new(Value, FactType.Amount, [], "the value of the shipment, with its currency"),
        new(Quantity, FactType.Amount, [], "the quantity shipped, with its unit"),
    ];
}

/// <summary>How a comparison test compares a fact's amount with its bound.</summary>
public enum Comparison : byte
{
    /// <summary>&lt;</summary>
    Less,
    /// <summary>&lt;=</summary>
    LessOrEqual,
    /// <summary>&gt;</summary>
    Greater,
    /// <summary>&gt;=</summary>
    GreaterOrEqual,
    /// <summary>=</summary>
    Equal,
}

/// <summary>One test of a fact: membership of a list of values, a boolean, or a comparison of an amount.</summary>
/// <param name="Fact">The fact's id.</param>
public abstract record FactTest(string Fact)
{
    /// <summary>The comparison operators as written in content.</summary>
    public static string Symbol(Comparison op) => op switch
    {
        Comparison.Less => "<",
        Comparison.LessOrEqual => "<=",
        Comparison.Greater => ">",
        Comparison.GreaterOrEqual => ">=",
        _ => "=",
    };
}

/// <summary>The fact's value is one of <paramref name="Values"/>.</summary>
public sealed record OneOfTest(string Fact, IReadOnlyList<string> Values) : FactTest(Fact)
{
    /// <inheritdoc />
    public override string ToString() => $"{Fact.Replace('_', ' ')} is {string.Join(" or ", Values)}";
}

/// <summary>The boolean fact equals <paramref name="Expected"/>.</summary>
public sealed record FlagTest(string Fact, bool Expected) : FactTest(Fact)
{
    /// <inheritdoc />
    public override string ToString() => Fact switch
    {
        Facts.Informed => Expected ? "exporter was informed" : "exporter was not informed",
        Facts.EndUserListed => Expected ? "end user is on the end-user list" : "end user is not on the end-user list",
        _ => $"{Fact.Replace('_', ' ')} is {(Expected ? "true" : "false")}",
    };
}

/// <summary>The fact's amount compares with <paramref name="Bound"/> (converted into the bound's unit first).</summary>
public sealed record CompareTest(string Fact, Comparison Op, Amount Bound) : FactTest(Fact)
{
    /// <summary>Whether <paramref name="value"/> (in the bound's unit) passes.</summary>
    public bool Holds(decimal value) => Op switch
    {
        Comparison.Less => value < Bound.Value,
        Comparison.LessOrEqual => value <= Bound.Value,
        Comparison.Greater => value > Bound.Value,
        Comparison.GreaterOrEqual => value >= Bound.Value,
        _ => value == Bound.Value,
    };

    /// <inheritdoc />
    public override string ToString() => $"{Fact.Replace('_', ' ')} {Symbol(Op)} {Bound}";
}

/// <summary>Conditions on the shipment's facts that must all hold for a rule to apply; empty is no condition.</summary>
/// <param name="Tests">The tests, all of which must hold.</param>
public sealed record FactCondition(IReadOnlyList<FactTest> Tests)
{
    /// <summary>No condition.</summary>
    public static FactCondition None { get; } = new([]);

    /// <summary>Whether the rule is unconditional.</summary>
    public bool IsNone => Tests.Count == 0;

    /// <inheritdoc />
    public override string ToString() => IsNone ? "always" : string.Join(" and ", Tests);
}
