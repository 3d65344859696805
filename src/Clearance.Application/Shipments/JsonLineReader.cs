using System.Text;
using System.Text.Json;

namespace Clearance.Application;

/// <summary>
/// Reads one shipment line of the batch contract from its JSON bytes, fast: <see cref="Utf8JsonReader"/> over the line
/// in place, field values kept as ranges of the line and transcoded onto the stack for validation. Only the id, the
/// end user's and consignee's names and declared facts (rare) become new strings; classifications, licence ids, currencies and units come from a small
/// vocabulary and are looked up, not allocated. An escaped value (<c>"K\u00f6ln"</c>) is unescaped into a buffer
/// kept by the reader. <see cref="ReferenceJsonLineReader"/> reads the same contract plainly; a test holds them equal.
/// One reader per thread. The per-line methods here, in <see cref="ShipmentFields"/>, <see cref="CheckService"/>,
/// <see cref="ResultJson"/> and <see cref="CheckBatch"/> are compiled fully optimised at once (AggressiveOptimization):
/// a batch of a million lines otherwise runs its first second in tier-0 and instrumented code (docs/benchmarks.md).
/// </summary>
public sealed partial class JsonLineReader
{
    internal const int MaxListed = 16;
    private const int MaxVocabulary = 4096;
    private byte[] _unescaped = new byte[1024];
    private int _unescapedUsed;
    // Keyed by the value's UTF-8 bytes, as the line has them: a known value is found without transcoding it first.
    private readonly Vocabulary _vocabulary = new();

    // Lists of two values or more, keyed by the line's bytes from the first value to the last (quotes and commas
    // between them): a line's held licences come as one list, not an array and a lookup per value.
    private readonly Vocabulary _lists = new();

    // The items of lines read by hand found well formed, by the line's bytes (JsonLineReader.ByHand.cs, Classifications).
    private readonly Vocabulary _classifications = new();

    /// <summary>A string value: a range of the line, or of the unescape buffer.</summary>
    private readonly record struct Field(int Start, int Length, bool Unescaped);

    /// <summary>Reads one line (without its line break).</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public ShipmentLine Read(ReadOnlySpan<byte> line, long lineNumber)
    {
        _unescapedUsed = 0;
        ShipmentId? id = null;
        var error = Parse(line, lineNumber, ref id, out var shipment);
        if (error is not null && ReferenceJsonLineReader.SyntaxError(line) is { } syntax)
        {
            // The walk stops at the first bad field; a line that is not JSON at all says so, whatever came first.
            return new ShipmentLine(lineNumber, ReferenceJsonLineReader.IdBeforeSyntaxError(line), null, ShipmentFields.Malformed(lineNumber, "malformed JSON: " + syntax));
        }

        return new ShipmentLine(lineNumber, id, shipment, error);
    }

    [System.Runtime.CompilerServices.SkipLocalsInit] // the stack buffers are written before they are read
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private LineError? Parse(ReadOnlySpan<byte> line, long lineNumber, ref ShipmentId? id, out Shipment? shipment)
    {
        shipment = null;
        Field date = default, from = default, to = default, endUse = default, decision = default;
        Field valueAmount = default, valueCurrency = default, quantityAmount = default, quantityUnit = default;
        Span<Field> items = stackalloc Field[MaxListed];
        Span<Field> held = stackalloc Field[MaxListed];
        int itemCount = -1, heldCount = 0;
        scoped var text = new ShipmentFieldText { Held = [] };
        var hand = new Ranges { Items = items, Held = held, ItemCount = -1 };
        if (ReadByHand(line, ref hand, ref text))
        {
            id = text.Id;
            shipment = Quick(line, hand, text);
            return shipment is not null ? null : Validate(line, lineNumber, hand, text, out shipment);
        }

        // Not the common shape: the walk reads it from nothing (the hand reader may have written part of it).
        text = new ShipmentFieldText { Held = [] };
        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return ShipmentFields.Malformed(lineNumber, "expected a JSON object");
            }

            // The fields every line has come first (held and value before the rarer names): a name is compared with
            // each one before it.
            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                    {
                        return ShipmentFields.Invalid(lineNumber, "id", "expected a string or a number");
                    }

                    if (!TryGetString(ref reader, out var idText))
                    {
                        return ShipmentFields.NotUtf8(lineNumber, "id");
                    }

                    id = new ShipmentId(idText, reader.TokenType == JsonTokenType.Number);
                    text.Id = id;
                }
                else if (reader.ValueTextEquals("date"u8))
                {
                    if (ReadString(ref reader, lineNumber, "date", "expected a string YYYY-MM-DD", out date) is { } e)
                    {
                        return e;
                    }

                    text.HasDate = true;
                }
                else if (reader.ValueTextEquals("from"u8))
                {
                    if (ReadString(ref reader, lineNumber, "from", "expected a country code string", out from) is { } e)
                    {
                        return e;
                    }

                    text.HasFrom = true;
                }
                else if (reader.ValueTextEquals("to"u8))
                {
                    if (ReadString(ref reader, lineNumber, "to", "expected a country code string", out to) is { } e)
                    {
                        return e;
                    }

                    text.HasTo = true;
                }
                else if (reader.ValueTextEquals("item"u8))
                {
                    const string Expected = "expected a classification string such as \"JP:3(1)\" or a list of them";
                    reader.Read();
                    itemCount = 0;
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        if (Value(ref reader, lineNumber, "item", out items[0]) is { } e)
                        {
                            return e;
                        }

                        itemCount = 1;
                    }
                    else if (reader.TokenType == JsonTokenType.StartArray)
                    {
                        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                        {
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                return ShipmentFields.Invalid(lineNumber, "item", Expected);
                            }

                            if (itemCount == MaxListed)
                            {
                                return ShipmentFields.Invalid(lineNumber, "item", $"at most {MaxListed} classifications");
                            }

                            if (Value(ref reader, lineNumber, "item", out items[itemCount++]) is { } e)
                            {
                                return e;
                            }
                        }
                    }
                    else
                    {
                        return ShipmentFields.Invalid(lineNumber, "item", Expected);
                    }
                }
                else if (reader.ValueTextEquals("end_use"u8))
                {
                    reader.Read();
                    text.HasEndUse = reader.TokenType != JsonTokenType.Null;
                    if (!text.HasEndUse)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String)
                    {
                        return ShipmentFields.Invalid(lineNumber, "end_use", "expected one of " + ShipmentFields.EndUses);
                    }

                    if (Value(ref reader, lineNumber, "end_use", out endUse) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("held"u8))
                {
                    reader.Read();
                    heldCount = 0;
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return ShipmentFields.Invalid(lineNumber, "held", "expected a list of licence type ids");
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String)
                        {
                            return ShipmentFields.Invalid(lineNumber, "held", "expected a list of licence type ids");
                        }

                        if (heldCount == MaxListed)
                        {
                            return ShipmentFields.Invalid(lineNumber, "held", $"at most {MaxListed} licence ids");
                        }

                        if (Value(ref reader, lineNumber, "held", out held[heldCount++]) is { } e)
                        {
                            return e;
                        }
                    }
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    if (Measure(ref reader, lineNumber, "value", "currency", ref text.HasValue, ref text.HasValueAmount, ref text.HasValueCurrency, ref valueAmount, ref valueCurrency) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("end_user"u8))
                {
                    if (ReadName(ref reader, lineNumber, "end_user", out text.EndUser) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("consignee"u8))
                {
                    if (ReadName(ref reader, lineNumber, "consignee", out text.Consignee) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("order"u8))
                {
                    if (ReadName(ref reader, lineNumber, "order", out text.Order, allowNumber: true) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("line"u8))
                {
                    if (ReadName(ref reader, lineNumber, "line", out text.OrderLine, allowNumber: true) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("exporter"u8))
                {
                    if (ReadName(ref reader, lineNumber, "exporter", out text.Exporter) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("customer"u8))
                {
                    if (ReadName(ref reader, lineNumber, "customer", out text.Customer) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("license"u8))
                {
                    if (ReadName(ref reader, lineNumber, "license", out text.License) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("informed"u8))
                {
                    if (ReadInformed(ref reader, lineNumber, out text.Informed) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("quantity"u8))
                {
                    if (Measure(ref reader, lineNumber, "quantity", "unit", ref text.HasQuantity, ref text.HasQuantityAmount, ref text.HasQuantityUnit, ref quantityAmount, ref quantityUnit) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("end_user_decision"u8))
                {
                    if (DecisionToken(ref reader, lineNumber, "end_user_decision", out text.HasDecision) is { } e)
                    {
                        return e;
                    }

                    if (text.HasDecision && Value(ref reader, lineNumber, "end_user_decision", out decision) is { } notUtf8)
                    {
                        return notUtf8;
                    }
                }
                else if (reader.ValueTextEquals("facts"u8))
                {
                    if (ReadFacts(ref reader, lineNumber, out text.Facts) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("purchaser"u8))
                {
                    if (ReadName(ref reader, lineNumber, "purchaser", out text.Purchaser) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("intermediate_consignees"u8))
                {
                    if (ReadNames(ref reader, lineNumber, "intermediate_consignees", out text.IntermediateConsignees) is { } e)
                    {
                        return e;
                    }
                }
                else if (reader.ValueTextEquals("consignee_decision"u8))
                {
                    // Rare: read as a string (where end_user_decision stays a range of the line).
                    if (DecisionToken(ref reader, lineNumber, "consignee_decision", out text.HasConsigneeDecision) is { } e)
                    {
                        return e;
                    }

                    if (text.HasConsigneeDecision)
                    {
                        if (!TryGetString(ref reader, out var consigneeDecision))
                        {
                            return ShipmentFields.NotUtf8(lineNumber, "consignee_decision");
                        }

                        text.ConsigneeDecision = consigneeDecision;
                    }
                }
                else
                {
                    // A misspelt field ("inform") would otherwise be ignored and could change the verdict silently.
                    return Unknown(ref reader, lineNumber, null, ShipmentFields.JsonFields);
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return ShipmentFields.Malformed(lineNumber, "malformed JSON: expected one object per line");
            }
        }
        catch (JsonException e)
        {
            return ShipmentFields.Malformed(lineNumber, "malformed JSON: " + ShipmentFields.JsonSyntax(e));
        }

        var walked = new Ranges
        {
            Date = date, From = from, To = to, EndUse = endUse, Decision = decision, ValueAmount = valueAmount, ValueCurrency = valueCurrency,
            QuantityAmount = quantityAmount, QuantityUnit = quantityUnit, Items = items, ItemCount = itemCount, Held = held, HeldCount = heldCount,
        };
        return Validate(line, lineNumber, walked, text, out shipment);
    }

    /// <summary>The ranges as text, validated: the same for the hand reader and the walk.</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit] // the stack buffer is written before it is read
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private LineError? Validate(ReadOnlySpan<byte> line, long lineNumber, scoped in Ranges ranges, scoped ShipmentFieldText text, out Shipment? shipment)
    {
        // Validation works on text: every value is transcoded onto the stack (valid values are short).
        Span<char> chars = stackalloc char[9 * 80];
        text.Date = Chars(line, ranges.Date, chars[..80]);
        text.From = Chars(line, ranges.From, chars[80..160]);
        text.To = Chars(line, ranges.To, chars[160..240]);
        text.EndUse = Chars(line, ranges.EndUse, chars[240..320]);
        text.Decision = Chars(line, ranges.Decision, chars[320..400]);
        text.ValueAmount = Chars(line, ranges.ValueAmount, chars[400..480]);
        text.ValueCurrency = Chars(line, ranges.ValueCurrency, chars[480..560]);
        text.QuantityAmount = Chars(line, ranges.QuantityAmount, chars[560..640]);
        text.QuantityUnit = Chars(line, ranges.QuantityUnit, chars[640..720]);
        text.Items = ranges.ItemCount < 0 ? null : Strings(line, ranges.Items[..ranges.ItemCount]);
        text.Held = Strings(line, ranges.Held[..ranges.HeldCount]);
        return ShipmentFields.Validate(lineNumber, text, out shipment);
    }

    /// <summary>The members of a <c>value</c> or <c>quantity</c> object: <c>amount</c> (a number) and the named text member.</summary>
    private LineError? Measure(ref Utf8JsonReader reader, long lineNumber, string name, string textMember, ref bool given, ref bool hasAmount, ref bool hasText, ref Field amount, ref Field text)
    {
        // Names for the messages, built only when there is an error to report.
        string Member() => name + "." + textMember;
        reader.Read();
        given = reader.TokenType != JsonTokenType.Null;
        hasAmount = hasText = false;
        if (!given)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ShipmentFields.Invalid(lineNumber, name, $"expected an object {{\"amount\": ..., \"{textMember}\": ...}}");
        }

        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (reader.ValueTextEquals("amount"u8))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.Number)
                {
                    return ShipmentFields.Invalid(lineNumber, name + ".amount", "expected a number");
                }

                var start = (int)reader.TokenStartIndex;
                amount = new Field(start, reader.ValueSpan.Length, false);
                hasAmount = true;
            }
            else if (reader.ValueTextEquals(textMember))
            {
                reader.Read();
                if (reader.TokenType != JsonTokenType.String)
                {
                    return ShipmentFields.Invalid(lineNumber, Member(), "expected a string");
                }

                if (Value(ref reader, lineNumber, name, out text) is not null)
                {
                    return ShipmentFields.NotUtf8(lineNumber, Member());
                }

                hasText = true;
            }
            else
            {
                return Unknown(ref reader, lineNumber, name, name == "value" ? ShipmentFields.ValueMembers : ShipmentFields.QuantityMembers);
            }
        }

        return null;
    }

    /// <summary>The error for the property name under the reader: a field the contract does not have (rare: allocates).</summary>
    private static LineError Unknown(ref Utf8JsonReader reader, long lineNumber, string? parent, IReadOnlyList<string> known) =>
        TryGetString(ref reader, out var name)
            ? ShipmentFields.UnknownField(lineNumber, parent is null ? name : $"{parent}.{name}", known)
            : ShipmentFields.NotUtf8(lineNumber, parent ?? "field name");

    /// <summary>A name field (<c>end_user</c>, <c>consignee</c>, <c>exporter</c>, <c>license</c>; <c>order</c> and <c>line</c> also as a number): a string, blank or null meaning not given.</summary>
    private static LineError? ReadName(ref Utf8JsonReader reader, long lineNumber, string field, out string? name, bool allowNumber = false)
    {
        reader.Read();
        name = null;
        if (reader.TokenType == JsonTokenType.String || (allowNumber && reader.TokenType == JsonTokenType.Number))
        {
            if (!TryGetString(ref reader, out var text))
            {
                return ShipmentFields.NotUtf8(lineNumber, field);
            }

            name = string.IsNullOrWhiteSpace(text) ? null : text;
        }
        else if (reader.TokenType != JsonTokenType.Null)
        {
            return ShipmentFields.Invalid(lineNumber, field, ShipmentFields.ExpectedText(field));
        }

        return null;
    }

    /// <summary>A decision's value (<c>end_user_decision</c>, <c>consignee_decision</c>) read: null (not given) or a string, the reader on it.</summary>
    private static LineError? DecisionToken(ref Utf8JsonReader reader, long lineNumber, string field, out bool given)
    {
        reader.Read();
        given = reader.TokenType != JsonTokenType.Null;
        return !given || reader.TokenType == JsonTokenType.String ? null : ShipmentFields.Invalid(lineNumber, field, "expected one of confirmed, cleared");
    }

    /// <summary>A list of names (<c>intermediate_consignees</c>): strings, blank ones dropped; null, or none left, meaning not given.</summary>
    private static LineError? ReadNames(ref Utf8JsonReader reader, long lineNumber, string field, out IReadOnlyList<string>? names)
    {
        reader.Read();
        names = null;
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartArray)
        {
            return ShipmentFields.Invalid(lineNumber, field, ShipmentFields.ExpectedNames);
        }

        var list = new List<string>();
        while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
        {
            if (reader.TokenType != JsonTokenType.String)
            {
                return ShipmentFields.Invalid(lineNumber, field, ShipmentFields.ExpectedNames);
            }

            if (list.Count == MaxListed)
            {
                return ShipmentFields.Invalid(lineNumber, field, $"at most {MaxListed} names");
            }

            if (!TryGetString(ref reader, out var name))
            {
                return ShipmentFields.NotUtf8(lineNumber, field);
            }

            list.Add(name);
        }

        names = ShipmentFields.GivenNames(list);
        return null;
    }

    /// <summary><c>informed</c>: true, false or null, or a string as people type it ("yes", "No", "1").</summary>
    [System.Runtime.CompilerServices.SkipLocalsInit]
    private static LineError? ReadInformed(ref Utf8JsonReader reader, long lineNumber, out bool informed)
    {
        reader.Read();
        informed = reader.TokenType == JsonTokenType.True;
        if (reader.TokenType is JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.String)
        {
            return ShipmentFields.Invalid(lineNumber, "informed", ShipmentFields.ExpectedInformed);
        }

        Span<char> chars = stackalloc char[16];
        if (reader.ValueSpan.Length <= chars.Length)
        {
            // Unescaping never makes a value longer: it fits.
            int length;
            try
            {
                length = reader.CopyString(chars);
            }
            catch (InvalidOperationException)
            {
                return ShipmentFields.NotUtf8(lineNumber, "informed");
            }

            if (ShipmentFields.TryParseInformed(chars[..length], out informed))
            {
                return null;
            }
        }

        return TryGetString(ref reader, out var value) ? ShipmentFields.InvalidInformed(lineNumber, value) : ShipmentFields.NotUtf8(lineNumber, "informed");
    }

    /// <summary>
    /// The <c>facts</c> object, null when null. Lines with facts are rare: these become strings and a list, where the
    /// other fields stay ranges of the line.
    /// </summary>
    private static LineError? ReadFacts(ref Utf8JsonReader reader, long lineNumber, out IReadOnlyList<FactText>? facts)
    {
        facts = null;
        reader.Read();
        if (reader.TokenType == JsonTokenType.Null)
        {
            return null;
        }

        if (reader.TokenType != JsonTokenType.StartObject)
        {
            return ShipmentFields.Invalid(lineNumber, "facts", ShipmentFields.ExpectedFacts);
        }

        var list = new List<FactText>();
        while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
        {
            if (!TryGetString(ref reader, out var id))
            {
                return ShipmentFields.NotUtf8(lineNumber, "facts");
            }

            var field = ShipmentFields.FactField(id);
            reader.Read();
            switch (reader.TokenType)
            {
                case JsonTokenType.True or JsonTokenType.False:
                    list.Add(new FactText(id, reader.TokenType == JsonTokenType.True ? "true" : "false"));
                    break;
                case JsonTokenType.String:
                    if (!TryGetString(ref reader, out var value))
                    {
                        return ShipmentFields.NotUtf8(lineNumber, field);
                    }

                    list.Add(new FactText(id, value));
                    break;
                case JsonTokenType.StartObject:
                    string? amount = null, unit = null;
                    while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
                    {
                        if (reader.ValueTextEquals("amount"u8))
                        {
                            reader.Read();
                            if (reader.TokenType != JsonTokenType.Number)
                            {
                                return ShipmentFields.Invalid(lineNumber, field + ".amount", "expected a number");
                            }

                            amount = Encoding.UTF8.GetString(reader.ValueSpan);
                        }
                        else if (reader.ValueTextEquals("unit"u8))
                        {
                            reader.Read();
                            if (reader.TokenType != JsonTokenType.String)
                            {
                                return ShipmentFields.Invalid(lineNumber, field + ".unit", "expected a string");
                            }

                            if (!TryGetString(ref reader, out var u))
                            {
                                return ShipmentFields.NotUtf8(lineNumber, field + ".unit");
                            }

                            unit = u;
                        }
                        else
                        {
                            return ShipmentFields.Invalid(lineNumber, field, ShipmentFields.ExpectedFactAmount);
                        }
                    }

                    list.Add(new FactText(id, null, true, amount, unit));
                    break;
                default:
                    return ShipmentFields.Invalid(lineNumber, field, ShipmentFields.ExpectedFactValue);
            }
        }

        facts = list;
        return null;
    }

    private LineError? ReadString(ref Utf8JsonReader reader, long lineNumber, string name, string expected, out Field field)
    {
        reader.Read();
        if (reader.TokenType != JsonTokenType.String)
        {
            field = default;
            return ShipmentFields.Invalid(lineNumber, name, expected);
        }

        return Value(ref reader, lineNumber, name, out field);
    }

    /// <summary>The current string token: its range in the line, or, escaped, its unescaped bytes in the buffer.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private LineError? Value(ref Utf8JsonReader reader, long lineNumber, string name, out Field field)
    {
        if (!reader.ValueIsEscaped)
        {
            var start = (int)reader.TokenStartIndex + 1;
            var value = reader.ValueSpan;
            field = new Field(start, value.Length, false);
            return System.Text.Ascii.IsValid(value) || System.Text.Unicode.Utf8.IsValid(value) ? null : ShipmentFields.NotUtf8(lineNumber, name);
        }

        // Unescaping never makes a value longer.
        var length = reader.ValueSpan.Length;
        if (_unescaped.Length - _unescapedUsed < length)
        {
            Array.Resize(ref _unescaped, Math.Max(_unescaped.Length * 2, _unescapedUsed + length));
        }

        try
        {
            var written = reader.CopyString(_unescaped.AsSpan(_unescapedUsed));
            field = new Field(_unescapedUsed, written, true);
            _unescapedUsed += written;
            return System.Text.Unicode.Utf8.IsValid(_unescaped.AsSpan(field.Start, field.Length)) ? null : ShipmentFields.NotUtf8(lineNumber, name);
        }
        catch (InvalidOperationException)
        {
            field = default; // a lone surrogate such as "\ud800"
            return ShipmentFields.NotUtf8(lineNumber, name);
        }
    }

    private static bool TryGetString(ref Utf8JsonReader reader, out string text)
    {
        try
        {
            text = reader.TokenType == JsonTokenType.Number ? Encoding.UTF8.GetString(reader.ValueSpan) : reader.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }

    private ReadOnlySpan<byte> Bytes(ReadOnlySpan<byte> line, Field field) =>
        field.Unescaped ? _unescaped.AsSpan(field.Start, field.Length) : line.Slice(field.Start, field.Length);

    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private ReadOnlySpan<char> Chars(ReadOnlySpan<byte> line, Field field, Span<char> destination)
    {
        if (field.Length == 0)
        {
            return [];
        }

        var bytes = Bytes(line, field);
        if (bytes.Length <= destination.Length)
        {
            // Valid values are short ASCII: widened in a loop, cheaper than a transcoder call per field.
            for (var i = 0; i < bytes.Length; i++)
            {
                if (bytes[i] >= 0x80)
                {
                    return destination[..Encoding.UTF8.GetChars(bytes, destination)];
                }

                destination[i] = (char)bytes[i];
            }

            return destination[..bytes.Length];
        }

        // UTF-16 never needs more chars than UTF-8 has bytes; a value too long for the stack is invalid anyway (rare).
        var target = new char[bytes.Length];
        return target.AsSpan(0, Encoding.UTF8.GetChars(bytes, target));
    }

    /// <summary>
    /// The values as strings from the vocabulary: one array per distinct single value, and one per distinct list of
    /// values none of which is escaped, so that none is allocated per line.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private string[] Strings(ReadOnlySpan<byte> line, ReadOnlySpan<Field> fields)
    {
        if (fields.IsEmpty)
        {
            return [];
        }

        if (fields.Length == 1)
        {
            return Single(Bytes(line, fields[0]));
        }

        // Unescaped values hold no quote, so the bytes from the first to the last, with the quotes and commas between
        // them, name the list alone. An escaped value is not a range of the line: such a list is built each time.
        var raw = true;
        foreach (var field in fields)
        {
            raw &= !field.Unescaped;
        }

        var key = raw ? line[fields[0].Start..(fields[^1].Start + fields[^1].Length)] : default;
        var hash = raw ? Vocabulary.Hash(key) : 0;
        if (raw && _lists.TryGet(key, hash) is { } known)
        {
            return known;
        }

        var strings = new string[fields.Length];
        for (var i = 0; i < fields.Length; i++)
        {
            strings[i] = Single(Bytes(line, fields[i]))[0];
        }

        if (raw)
        {
            _lists.TryAdd(key, hash, strings);
        }

        return strings;
    }

    /// <summary>The value of <paramref name="bytes"/> (valid UTF-8: <see cref="Value"/> checked it) from the vocabulary, or a new string.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private string[] Single(ReadOnlySpan<byte> bytes)
    {
        var hash = Vocabulary.Hash(bytes);
        if (_vocabulary.TryGet(bytes, hash) is { } known)
        {
            return known;
        }

        string[] single = [Encoding.UTF8.GetString(bytes)];
        _vocabulary.TryAdd(bytes, hash, single);
        return single;
    }

    /// <summary>
    /// Arrays of strings by UTF-8 key, at most <see cref="MaxVocabulary"/> (a reader's values past them are built each
    /// time): an open addressing table kept at most half full, probed without a comparer's interface calls (a
    /// dictionary with an alternate span key cost a tenth of the reading thread). The hash is seeded per process, as the
    /// keys are the input's. A key's first 16 bytes are held in its entry, so that a probe compares them there: a key
    /// kept as an array of its own cost a second cache miss per probe (the US lines' ~3,000 classifications spread the
    /// table over ~200 KB; the probe was a tenth of the reading thread's samples, docs/benchmarks.md, check-read24).
    /// </summary>
    private sealed class Vocabulary
    {
        private static readonly ulong Seed = (ulong)Random.Shared.NextInt64() | 1;
        private Entry[] _entries = new Entry[64];
        private int _count;

        private struct Entry
        {
            public ulong Head, Tail; // the key's bytes 0-7 and 8-15, zero past its end
            public byte[]? Rest; // the key's bytes past the first 16; null for a shorter key
            public string[]? Value; // null: an empty slot
            public int Hash, Length;
        }

        [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
        public string[]? TryGet(ReadOnlySpan<byte> key, int hash)
        {
            var (head, tail) = Words(key);
            var entries = _entries;
            var mask = entries.Length - 1;
            for (var at = hash & mask; ; at = (at + 1) & mask)
            {
                ref var entry = ref entries[at];
                if (entry.Value is null)
                {
                    return null;
                }

                if (entry.Hash == hash && entry.Length == key.Length && entry.Head == head && entry.Tail == tail && (key.Length <= 16 || key[16..].SequenceEqual(entry.Rest)))
                {
                    return entry.Value;
                }
            }
        }

        public void TryAdd(ReadOnlySpan<byte> key, int hash, string[] value)
        {
            if (_count >= MaxVocabulary)
            {
                return;
            }

            if ((_count + 1) * 2 > _entries.Length)
            {
                var grown = new Entry[_entries.Length * 2];
                foreach (var entry in _entries)
                {
                    if (entry.Value is not null)
                    {
                        Place(grown, entry);
                    }
                }

                _entries = grown;
            }

            var (head, tail) = Words(key);
            Place(_entries, new Entry { Head = head, Tail = tail, Rest = key.Length > 16 ? key[16..].ToArray() : null, Value = value, Hash = hash, Length = key.Length });
            _count++;
        }

        private static void Place(Entry[] entries, Entry entry)
        {
            var mask = entries.Length - 1;
            var at = entry.Hash & mask;
            while (entries[at].Value is not null)
            {
                at = (at + 1) & mask;
            }

            entries[at] = entry;
        }

        /// <summary>The key's first 16 bytes as two little-endian words, zero past its end.</summary>
        [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
        private static (ulong Head, ulong Tail) Words(ReadOnlySpan<byte> key)
        {
            if (key.Length >= 16)
            {
                return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(key), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(key[8..]));
            }

            Span<byte> padded = stackalloc byte[16];
            padded.Clear();
            key.CopyTo(padded);
            return (System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded), System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(padded[8..]));
        }

        /// <summary>The bytes read as 64-bit words, each mixed in by a multiply with the seed and a rotation (keys are short).</summary>
        [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
        public static int Hash(ReadOnlySpan<byte> key)
        {
            var hash = (ulong)key.Length * Seed;
            while (key.Length >= 8)
            {
                hash = System.Numerics.BitOperations.RotateLeft((hash ^ System.Buffers.Binary.BinaryPrimitives.ReadUInt64LittleEndian(key)) * Seed, 29);
                key = key[8..];
            }

            ulong tail = 0;
            for (var i = 0; i < key.Length; i++)
            {
                tail |= (ulong)key[i] << (8 * i);
            }

            hash = (hash ^ tail) * Seed;
            return (int)(hash >> 32) ^ (int)hash;
        }
    }
}
