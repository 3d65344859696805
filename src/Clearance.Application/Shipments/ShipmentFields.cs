using System.Globalization;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>
/// A shipment's fields as read from any input, before validation: text spans (JSON values, CSV cells, flags) and the
/// lists already split. Type errors belong to the input format and are reported by its reader; everything else is
/// validated by <see cref="ShipmentFields.Validate"/>, so every input gives the same error for the same value.
/// </summary>
internal ref struct ShipmentFieldText
{
    public ShipmentId? Id;
    public bool HasDate, HasFrom, HasTo, HasEndUse, HasDecision;
    public ReadOnlySpan<char> Date, From, To, EndUse, Decision;
    public IReadOnlyList<string>? Items;
    public bool Informed;
    public string? EndUser;
    public string? Consignee;
    public string? Purchaser;
    public IReadOnlyList<string>? IntermediateConsignees;
    public bool HasConsigneeDecision;
    public ReadOnlySpan<char> ConsigneeDecision;
    public string? Order, OrderLine, Exporter, License, Customer;
    public IReadOnlyList<string> Held;
    public bool HasValue, HasValueAmount, HasValueCurrency;
    public ReadOnlySpan<char> ValueAmount, ValueCurrency;
    public bool HasQuantity, HasQuantityAmount, HasQuantityUnit;
    public ReadOnlySpan<char> QuantityAmount, QuantityUnit;
    public IReadOnlyList<FactText>? Facts;
}

/// <summary>Validation of the shipment contract's fields and the errors it reports, shared by every input.</summary>
public static class ShipmentFields
{
    /// <summary>The end uses, as the contract spells them.</summary>
    public const string EndUses = "civil, wmd, conventional-military, unknown";

    /// <summary>What an <c>informed</c> member must be.</summary>
    internal const string ExpectedInformed = "expected true or false, or a string yes, no, 1 or 0";

    /// <summary>The members of <c>value</c>, as errors name them.</summary>
    internal static readonly IReadOnlyList<string> ValueMembers = ["value.amount", "value.currency"];

    /// <summary>The members of <c>quantity</c>, as errors name them.</summary>
    internal static readonly IReadOnlyList<string> QuantityMembers = ["quantity.amount", "quantity.unit"];

    /// <summary>What a text field (a name, an order or line id, a licence number) must be.</summary>
    internal static string ExpectedText(string field) => field switch
    {
        "order" or "line" => "expected a string or a number",
        "license" => "expected a licence number string",
        _ => "expected a name string",
    };

    /// <summary>What a <c>facts</c> member must be.</summary>
    internal const string ExpectedFacts = "expected an object of declared facts {\"<id>\": <value>, ...}";

    /// <summary>What a declared fact's value must be.</summary>
    internal const string ExpectedFactValue = "expected true, false, a string or an amount {\"amount\": ..., \"unit\": ...}";

    /// <summary>What a declared fact given as an object must be.</summary>
    internal const string ExpectedFactAmount = "expected an amount {\"amount\": ..., \"unit\": ...} (no other members)";

    /// <summary>Validates <paramref name="text"/> into a shipment, or returns the first error in the contract's order.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    internal static LineError? Validate(long line, scoped in ShipmentFieldText text, out Shipment? shipment)
    {
        shipment = null;
        if (!text.HasDate)
        {
            return Missing(line, "date");
        }

        if (!text.HasFrom)
        {
            return Missing(line, "from");
        }

        if (!text.HasTo)
        {
            return Missing(line, "to");
        }

        if (text.Items is not { } items)
        {
            return Missing(line, "item");
        }

        if (!TryParseDate(text.Date, out var date))
        {
            return new LineError("invalid-date", $"line {line}: field 'date': '{text.Date}' is not a valid date (YYYY-MM-DD)");
        }

        if (!TryParseCountry(text.From, out var from))
        {
            return Country(line, "from", text.From);
        }

        if (!TryParseCountry(text.To, out var to))
        {
            return Country(line, "to", text.To);
        }

        if (to == from)
        {
            return Invalid(line, "to", $"'{to}' is the exporting country: not an export");
        }

        // As a span: the reader's vocabulary array, without an interface call per element (ListSpan).
        var classifications = ListSpan.Of(items);
        if (classifications.Length == 0)
        {
            return Invalid(line, "item", "expected at least one classification such as \"JP:3(1)\"");
        }

        for (var i = 0; i < classifications.Length; i++)
        {
            if (!IsClassification(classifications[i]))
            {
                return Invalid(line, "item", $"'{classifications[i]}' is not a classification <REGIME>:<code> such as \"JP:3(1)\" or \"US:3B993\"");
            }
        }

        var endUse = EndUse.Unknown;
        if (text.HasEndUse && !TryParseEndUse(text.EndUse, out endUse))
        {
            return Invalid(line, "end_use", $"'{text.EndUse}' is not one of {EndUses}");
        }

        Money? value = null;
        if (text.HasValue)
        {
            if (Amount(line, "value", text.HasValueAmount, text.ValueAmount, out var amount) is { } amountError)
            {
                return amountError;
            }

            if (!text.HasValueCurrency)
            {
                return Missing(line, "value.currency");
            }

            if (!IsCurrency(text.ValueCurrency))
            {
                return Invalid(line, "value.currency", $"'{text.ValueCurrency}' is not a currency code of three upper-case letters (ISO 4217), e.g. USD");
            }

            value = new Money(amount, Interned(text.ValueCurrency));
        }

        Quantity? quantity = null;
        if (text.HasQuantity)
        {
            if (Amount(line, "quantity", text.HasQuantityAmount, text.QuantityAmount, out var amount) is { } amountError)
            {
                return amountError;
            }

            if (!text.HasQuantityUnit)
            {
                return Missing(line, "quantity.unit");
            }

            if (!IsUnit(text.QuantityUnit))
            {
                return Invalid(line, "quantity.unit", $"'{text.QuantityUnit}' is not a unit such as kg, l or pcs (letters and digits, at most 16)");
            }

            quantity = new Quantity(amount, Interned(text.QuantityUnit));
        }

        EndUserDecision? decision = null;
        if (text.HasDecision)
        {
            if (!TryParseDecision(text.Decision, out var d))
            {
                return Invalid(line, "end_user_decision", $"'{text.Decision}' is not one of confirmed, cleared");
            }

            decision = d;
        }

        EndUserDecision? consigneeDecision = null;
        if (text.HasConsigneeDecision)
        {
            if (!TryParseDecision(text.ConsigneeDecision, out var d))
            {
                return Invalid(line, "consignee_decision", $"'{text.ConsigneeDecision}' is not one of confirmed, cleared");
            }

            consigneeDecision = d;
        }

        IReadOnlyDictionary<string, string>? facts = null;
        if (text.Facts is { } given && DeclaredFacts(line, given, out facts) is { } factError)
        {
            return factError;
        }

        shipment = new Shipment(text.Id, date, from, to, items, endUse, text.Informed, text.EndUser, text.Held, value, quantity, decision, facts, text.Consignee,
            text.Order, text.OrderLine, text.Exporter, text.License, text.Customer, consigneeDecision, text.Purchaser, text.IntermediateConsignees);
        return null;
    }

    /// <summary>The names given, blank ones dropped (a blank name is a name not given); null when none is left.</summary>
    internal static IReadOnlyList<string>? GivenNames(IReadOnlyList<string>? given)
    {
        if (given is null || given.Count == 0)
        {
            return null;
        }

        return given.All(n => !string.IsNullOrWhiteSpace(n)) ? given : given.Where(n => !string.IsNullOrWhiteSpace(n)).ToArray() is { Length: > 0 } names ? names : null;
    }

    /// <summary>
    /// The declared facts as the text the evaluator reads, by id: whether each is a fact of the governing regimes, and of
    /// the right type, is for the check to say (it knows the regimes).
    /// </summary>
    private static LineError? DeclaredFacts(long line, IReadOnlyList<FactText> given, out IReadOnlyDictionary<string, string>? facts)
    {
        facts = null;
        var byId = new Dictionary<string, string>(given.Count, StringComparer.Ordinal);
        foreach (var fact in given)
        {
            var field = FactField(fact.Id);
            if (fact.Id.Length == 0)
            {
                return Invalid(line, field, "a fact without an id");
            }

            if (byId.ContainsKey(fact.Id))
            {
                return Invalid(line, field, "given twice");
            }

            string text;
            if (fact.IsAmount)
            {
                if (Amount(line, field, fact.Amount is not null, fact.Amount.AsSpan(), out var amount) is { } amountError)
                {
                    return amountError;
                }

                if (fact.Unit is null)
                {
                    return Missing(line, field + ".unit");
                }

                if (!IsUnit(fact.Unit))
                {
                    return Invalid(line, field + ".unit", $"'{fact.Unit}' is not a unit such as kg, l or pcs (letters and digits, at most 16)");
                }

                text = $"{amount.ToString(CultureInfo.InvariantCulture)} {fact.Unit}";
            }
            else if (fact.Value is null)
            {
                return Invalid(line, field, "no value given (id=value)");
            }
            else
            {
                text = fact.Value;
            }

            byId.Add(fact.Id, text);
        }

        facts = byId.Count == 0 ? null : byId;
        return null;
    }

    /// <summary>"facts.&lt;id&gt;", the name errors give a declared fact (just "facts" when it has no id).</summary>
    internal static string FactField(string id) => id.Length == 0 ? "facts" : "facts." + id;

    /// <summary>An amount fact's text: a non-negative decimal and a unit, one space apart ("1500 W").</summary>
    public static bool IsFactAmount(ReadOnlySpan<char> s)
    {
        var space = s.IndexOf(' ');
        return space > 0 && TryParseAmount(s[..space], out _) && IsUnit(s[(space + 1)..]);
    }

    private static LineError? Amount(long line, string field, bool given, ReadOnlySpan<char> text, out decimal amount)
    {
        amount = 0;
        if (!given)
        {
            return Missing(line, field + ".amount");
        }

        return TryParseAmount(text, out amount) ? null
            : Invalid(line, field + ".amount", $"'{text}' is not a non-negative decimal number such as 1200.50");
    }

    /// <summary>YYYY-MM-DD, a real day.</summary>
    public static bool TryParseDate(ReadOnlySpan<char> s, out LocalDate date)
    {
        date = default;
        if (s.Length != 10 || s[4] != '-' || s[7] != '-')
        {
            return false;
        }

        var year = Digits(s[..4]);
        var month = Digits(s.Slice(5, 2));
        var day = Digits(s.Slice(8, 2));
        if (year < 1 || month is < 1 or > 12 || day < 1 || day > CalendarSystem.Iso.GetDaysInMonth(year, month))
        {
            return false;
        }

        date = new LocalDate(year, month, day);
        return true;
    }

    // The code of every pair of letters AA..ZZ (default where there is none), as CountryCode.TryParse gives it.
    private static readonly CountryCode[] CodesByLetters = [.. Enumerable.Range(0, 26 * 26).Select(i =>
        CountryCode.TryParse([(char)('A' + (i / 26)), (char)('A' + (i % 26))], out var code) ? code : default)];

    /// <summary>An ISO 3166-1 alpha-2 code, either case, or a country's English name as the country table spells it, any case.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public static bool TryParseCountry(ReadOnlySpan<char> s, out CountryCode code)
    {
        code = default;
        if (s.Length == 2)
        {
            // Two ASCII letters (every line's from and to): an index into the table of every pair, where
            // CountryCode.TryParse hashes the text into a dictionary; anything else (a non-ASCII letter that upper-cases
            // to one) goes the long way, so the answers are the same.
            return IsLetterPair(s[0], s[1], out code) ? code.Value is not null : CountryCode.TryParse(s, out code);
        }

        return CountryNames.ByName.TryGetValue(s.Trim(), out var alpha2) && CountryCode.TryParse(alpha2, out code);
    }

    /// <summary>
    /// Whether <paramref name="first"/> and <paramref name="second"/> (UTF-16 or UTF-8 units) are two ASCII letters, either
    /// case; <paramref name="code"/> is then their destination code, default (no <see cref="CountryCode.Value"/>) when
    /// the pair is none.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    internal static bool IsLetterPair(int first, int second, out CountryCode code)
    {
        var a = (uint)((first | 0x20) - 'a');
        var b = (uint)((second | 0x20) - 'a');
        var letters = a < 26 && b < 26;
        code = letters ? CodesByLetters[(a * 26) + b] : default;
        return letters;
    }

    /// <summary>"confirmed" or "cleared", any case.</summary>
    public static bool TryParseDecision(ReadOnlySpan<char> s, out EndUserDecision decision)
    {
        s = s.Trim();
        decision = s.Equals("cleared", StringComparison.OrdinalIgnoreCase) ? EndUserDecision.Cleared : EndUserDecision.Confirmed;
        return s.Equals("confirmed", StringComparison.OrdinalIgnoreCase) || s.Equals("cleared", StringComparison.OrdinalIgnoreCase);
    }

    /// <summary>An end use as the contract spells it (<see cref="EndUses"/>), any case.</summary>
    public static bool TryParseEndUse(ReadOnlySpan<char> s, out EndUse endUse)
    {
        if (Names.TryParseEndUse(s, out endUse))
        {
            return true; // as the contract spells it: the usual case, no copy
        }

        s = s.Trim();
        Span<char> lower = stackalloc char[32];
        return s.Length <= lower.Length && Names.TryParseEndUse(lower[..s.ToLowerInvariant(lower)], out endUse);
    }

    /// <summary>The values <c>informed</c> accepts, as errors name them.</summary>
    public const string InformedValues = "true, false, yes, no, 1, 0";

    /// <summary>Whether the authority informed the exporter, as people type it: true/false, yes/no, 1/0, any case.</summary>
    public static bool TryParseInformed(ReadOnlySpan<char> s, out bool informed)
    {
        s = s.Trim();
        informed = s.Equals("true", StringComparison.OrdinalIgnoreCase) || s.Equals("yes", StringComparison.OrdinalIgnoreCase) || s is "1";
        return informed || s.Equals("false", StringComparison.OrdinalIgnoreCase) || s.Equals("no", StringComparison.OrdinalIgnoreCase) || s is "0";
    }

    /// <summary>The error for an <c>informed</c> value that is not one of <see cref="InformedValues"/>.</summary>
    public static LineError InvalidInformed(long line, string value) => Invalid(line, "informed", $"'{value}' is not one of {InformedValues}");

    /// <summary>Digits with an optional fractional part: no sign, no exponent (a value is never negative).</summary>
    public static bool TryParseAmount(ReadOnlySpan<char> s, out decimal amount)
    {
        amount = 0;
        var point = s.IndexOf('.');
        var whole = point < 0 ? s : s[..point];
        var fraction = point < 0 ? [] : s[(point + 1)..];
        return whole.Length > 0 && !whole.ContainsAnyExceptInRange('0', '9')
            && (point < 0 || (fraction.Length > 0 && !fraction.ContainsAnyExceptInRange('0', '9')))
            && decimal.TryParse(s, NumberStyles.AllowDecimalPoint, CultureInfo.InvariantCulture, out amount);
    }

    /// <summary>Three upper-case ASCII letters: the form of an ISO 4217 code.</summary>
    public static bool IsCurrency(ReadOnlySpan<char> s) => s.Length == 3 && !s.ContainsAnyExceptInRange('A', 'Z');

    /// <summary>1 to 16 ASCII letters or digits.</summary>
    public static bool IsUnit(ReadOnlySpan<char> s) => s.Length is >= 1 and <= 16 && s.IndexOfAnyExcept(UnitChars) < 0;

    /// <summary><c>REGIME:code</c>: a regime of 2 to 8 ASCII letters, a code of 1 to 64 characters without spaces.</summary>
    public static bool IsClassification(ReadOnlySpan<char> s)
    {
        var colon = s.IndexOf(':');
        if (colon is < 2 or > 8 || s[..colon].IndexOfAnyExcept(Letters) >= 0)
        {
            return false;
        }

        var code = s[(colon + 1)..];
        return code.Length is >= 1 and <= 64 && !code.ContainsAnyInRange('\0', ' ') && !code.Contains('\u007f');
    }

    private static readonly System.Buffers.SearchValues<char> Letters = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz");

    private static readonly System.Buffers.SearchValues<char> UnitChars = System.Buffers.SearchValues.Create("ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789");

    // Currencies and units come from a small vocabulary: one string each, not one per line.
    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string> Vocabulary = new(StringComparer.Ordinal);

    private static readonly System.Collections.Concurrent.ConcurrentDictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> VocabularyBySpan =
        Vocabulary.GetAlternateLookup<ReadOnlySpan<char>>();

    private static string Interned(ReadOnlySpan<char> s)
    {
        if (VocabularyBySpan.TryGetValue(s, out var known))
        {
            return known;
        }

        var text = s.ToString();
        return Vocabulary.Count < 4096 ? Vocabulary.GetOrAdd(text, text) : text;
    }

    private static int Digits(ReadOnlySpan<char> s)
    {
        var value = 0;
        foreach (var c in s)
        {
            if ((uint)(c - '0') > 9)
            {
                return -1;
            }

            value = (value * 10) + (c - '0');
        }

        return value;
    }

    internal static LineError Missing(long line, string field) => new("missing-field", $"line {line}: missing required field '{field}'");

    internal static LineError Invalid(long line, string field, string what) => new("invalid-field", $"line {line}: field '{field}': {what}");

    internal static LineError Malformed(long line, string what) => new("malformed-json", $"line {line}: {what}");

    /// <summary>
    /// A JSON syntax error in the words of the message, without the parser's own coordinates ("LineNumber: 0 |
    /// BytePositionInLine: 12."): the position as the column of the line, counted from 1.
    /// </summary>
    internal static string JsonSyntax(System.Text.Json.JsonException e)
    {
        var message = e.Message;
        var coordinates = message.IndexOf(" LineNumber:", StringComparison.Ordinal);
        if (coordinates >= 0)
        {
            message = message[..coordinates].TrimEnd().TrimEnd('.');
        }

        return e.BytePositionInLine is { } position ? $"{message} (at byte {position + 1})" : message;
    }

    internal static LineError NotUtf8(long line, string field) => new("malformed-json", $"line {line}: field '{field}': not valid UTF-8 text");

    private static LineError Country(long line, string field, ReadOnlySpan<char> value) =>
        new("unknown-country", $"line {line}: field '{field}': {CountryNames.NotACountry(value.ToString())}");

    /// <summary>The error for a field that is not part of the contract, naming the nearest field that is.</summary>
    internal static LineError UnknownField(long line, string field, IEnumerable<string> known) =>
        new("unknown-field", $"line {line}: unknown field '{field}'" + (NearestName.Find(field, known) is { } near
            ? $": did you mean '{near}'?" : $" (fields: {string.Join(", ", known)})"));

    /// <summary>The fields of a shipment line, as JSON names them.</summary>
    public static readonly IReadOnlyList<string> JsonFields =
        ["id", "date", "from", "to", "item", "end_use", "end_user", "consignee", "informed", "held", "value", "quantity", "end_user_decision", "facts", "order", "line", "exporter", "license", "customer",
            "consignee_decision", "purchaser", "intermediate_consignees"];

    /// <summary>What <c>intermediate_consignees</c> must be.</summary>
    internal const string ExpectedNames = "expected a list of name strings";
}
