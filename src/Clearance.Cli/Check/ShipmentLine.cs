using System.Text;
using System.Text.Json;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Cli.Check;

/// <summary>An input line that cannot be evaluated: a stable code and a message naming the field and line.</summary>
internal sealed record LineError(string Code, string Message);

/// <summary>
/// One shipment line of the batch contract, parsed from its JSON bytes without allocating: spans point into the line.
/// </summary>
internal ref struct ShipmentLine
{
    public const int MaxHeld = 16;

    public ReadOnlySpan<byte> IdRaw;
    public bool IdIsString;
    public bool HasId;
    public ReadOnlySpan<byte> DateRaw;
    public LocalDate Date;
    public CompiledJurisdiction Jurisdiction;
    public CountryCode To;
    public int Item;
    public EndUse EndUse;
    public bool Informed;
    public string? EndUser;
    public int HeldCount;

    /// <summary>Parses one line; <paramref name="held"/> receives the ranges of the held licence ids within the line.</summary>
    public static LineError? Parse(ReadOnlySpan<byte> line, long lineNumber, Evaluator evaluator, Span<Range> held, out ShipmentLine result)
    {
        result = default;
        ReadOnlySpan<byte> date = default, from = default, to = default, item = default, endUse = default;
        bool hasDate = false, hasFrom = false, hasTo = false, hasItem = false;
        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            if (!reader.Read() || reader.TokenType != JsonTokenType.StartObject)
            {
                return new LineError("malformed-json", $"line {lineNumber}: expected a JSON object");
            }

            while (reader.Read() && reader.TokenType == JsonTokenType.PropertyName)
            {
                if (reader.ValueTextEquals("id"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.String or JsonTokenType.Number))
                    {
                        return Invalid(lineNumber, "id", "expected a string or a number");
                    }

                    if (!System.Text.Unicode.Utf8.IsValid(reader.ValueSpan))
                    {
                        return new LineError("malformed-json", $"line {lineNumber}: field 'id': not valid UTF-8 text");
                    }

                    result.IdRaw = reader.ValueSpan;
                    result.IdIsString = reader.TokenType == JsonTokenType.String;
                    result.HasId = true;
                }
                else if (reader.ValueTextEquals("date"u8))
                {
                    if (!ReadString(ref reader, out var dateRange))
                    {
                        return Invalid(lineNumber, "date", "expected a string YYYY-MM-DD");
                    }

                    date = line[dateRange];
                    hasDate = true;
                }
                else if (reader.ValueTextEquals("from"u8))
                {
                    if (!ReadString(ref reader, out var fromRange))
                    {
                        return Invalid(lineNumber, "from", "expected a country code string");
                    }

                    from = line[fromRange];
                    hasFrom = true;
                }
                else if (reader.ValueTextEquals("to"u8))
                {
                    if (!ReadString(ref reader, out var toRange))
                    {
                        return Invalid(lineNumber, "to", "expected a country code string");
                    }

                    to = line[toRange];
                    hasTo = true;
                }
                else if (reader.ValueTextEquals("item"u8))
                {
                    if (!ReadString(ref reader, out var itemRange))
                    {
                        return Invalid(lineNumber, "item", "expected an item code string such as \"JP:3(1)\"");
                    }

                    item = line[itemRange];
                    hasItem = true;
                }
                else if (reader.ValueTextEquals("end_use"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                    {
                        return Invalid(lineNumber, "end_use", "expected one of civil, wmd, conventional-military, unknown");
                    }

                    endUse = reader.ValueSpan;
                }
                else if (reader.ValueTextEquals("end_user"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.String)
                    {
                        var name = reader.GetString();
                        result.EndUser = string.IsNullOrWhiteSpace(name) ? null : name;
                    }
                    else if (reader.TokenType != JsonTokenType.Null)
                    {
                        return Invalid(lineNumber, "end_user", "expected a name string");
                    }
                }
                else if (reader.ValueTextEquals("informed"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.True or JsonTokenType.False or JsonTokenType.Null))
                    {
                        return Invalid(lineNumber, "informed", "expected true or false");
                    }

                    result.Informed = reader.TokenType == JsonTokenType.True;
                }
                else if (reader.ValueTextEquals("held"u8))
                {
                    reader.Read();
                    if (reader.TokenType == JsonTokenType.Null)
                    {
                        continue;
                    }

                    if (reader.TokenType != JsonTokenType.StartArray)
                    {
                        return Invalid(lineNumber, "held", "expected a list of licence type ids");
                    }

                    while (reader.Read() && reader.TokenType != JsonTokenType.EndArray)
                    {
                        if (reader.TokenType != JsonTokenType.String || reader.ValueIsEscaped)
                        {
                            return Invalid(lineNumber, "held", "expected a list of licence type ids");
                        }

                        if (result.HeldCount == held.Length)
                        {
                            return Invalid(lineNumber, "held", $"at most {held.Length} licence ids");
                        }

                        var start = (int)reader.TokenStartIndex + 1;
                        held[result.HeldCount++] = new Range(start, start + reader.ValueSpan.Length);
                    }
                }
                else if (reader.ValueTextEquals(CsvShipments.ErrorField))
                {
                    reader.Read();
                    return new LineError("invalid-csv", reader.GetString() ?? "invalid CSV record");
                }
                else if (reader.ValueTextEquals("value"u8))
                {
                    reader.Read();
                    if (reader.TokenType is not (JsonTokenType.StartObject or JsonTokenType.Null))
                    {
                        return Invalid(lineNumber, "value", "expected an object {\"amount\": ..., \"currency\": ...}");
                    }

                    reader.Skip();
                }
                else
                {
                    // Unknown fields are carried by integrators (order numbers, notes): ignored, never fatal.
                    reader.Read();
                    reader.Skip();
                }
            }

            if (reader.TokenType != JsonTokenType.EndObject || reader.Read())
            {
                return new LineError("malformed-json", $"line {lineNumber}: malformed JSON: expected one object per line");
            }
        }
        catch (JsonException e)
        {
            return new LineError("malformed-json", $"line {lineNumber}: malformed JSON: {e.Message}");
        }
        catch (InvalidOperationException e) when (e.InnerException is DecoderFallbackException)
        {
            return new LineError("malformed-json", $"line {lineNumber}: not valid UTF-8 text");
        }

        if (!hasDate)
        {
            return Missing(lineNumber, "date");
        }

        if (!hasFrom)
        {
            return Missing(lineNumber, "from");
        }

        if (!hasTo)
        {
            return Missing(lineNumber, "to");
        }

        if (!hasItem)
        {
            return Missing(lineNumber, "item");
        }

        if (!TryParseDate(date, out result.Date))
        {
            return new LineError("invalid-date", $"line {lineNumber}: field 'date': '{Text(date)}' is not a valid date (YYYY-MM-DD)");
        }

        result.DateRaw = date;
        if (!TryParseCountry(from, out var exporter))
        {
            return Country(lineNumber, "from", from);
        }

        if (!TryParseCountry(to, out result.To))
        {
            return Country(lineNumber, "to", to);
        }

        if (evaluator.For(exporter) is not { } jurisdiction)
        {
            var available = string.Join(", ", evaluator.Content.Jurisdictions.Select(j => j.Id));
            return new LineError("unsupported-jurisdiction", $"line {lineNumber}: field 'from': no regulatory content for exports from '{exporter}' (available: {available})");
        }

        if (result.To == exporter)
        {
            return Invalid(lineNumber, "to", $"'{result.To}' is the exporting country: not an export");
        }

        result.Jurisdiction = jurisdiction;
        if (!TryParseItem(item, jurisdiction, out result.Item))
        {
            var id = jurisdiction.Model.Id;
            return new LineError("unknown-item", $"line {lineNumber}: field 'item': '{Text(item)}' is not an item of {id}'s control list (expected {id}:<code>, e.g. {Example(jurisdiction.Model)})");
        }

        if (!endUse.IsEmpty && !TryParseEndUse(endUse, out result.EndUse))
        {
            return Invalid(lineNumber, "end_use", $"'{Text(endUse)}' is not one of civil, wmd, conventional-military, unknown");
        }

        return null;
    }

    private static bool ReadString(ref Utf8JsonReader reader, out Range range)
    {
        reader.Read();
        var start = (int)reader.TokenStartIndex + 1;
        range = new Range(start, start + reader.ValueSpan.Length);
        return reader.TokenType == JsonTokenType.String && !reader.ValueIsEscaped;
    }

    private static bool TryParseDate(ReadOnlySpan<byte> s, out LocalDate date)
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

    private static int Digits(ReadOnlySpan<byte> s)
    {
        var value = 0;
        foreach (var b in s)
        {
            if ((uint)(b - '0') > 9)
            {
                return -1;
            }

            value = (value * 10) + (b - '0');
        }

        return value;
    }

    private static bool TryParseCountry(ReadOnlySpan<byte> s, out CountryCode code)
    {
        code = default;
        return s.Length == 2 && CountryCode.TryParse([(char)s[0], (char)s[1]], out code);
    }

    private static bool TryParseItem(ReadOnlySpan<byte> s, CompiledJurisdiction jurisdiction, out int item)
    {
        item = -1;
        var id = jurisdiction.Model.Id;
        if (s.Length <= id.Length + 1 || s.Length > 64 || s[id.Length] != ':')
        {
            return false;
        }

        Span<char> chars = stackalloc char[s.Length];
        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = (char)s[i];
        }

        return chars[..id.Length].Equals(id, StringComparison.OrdinalIgnoreCase)
            && jurisdiction.TryFindItem(chars[(id.Length + 1)..], out item);
    }

    private static bool TryParseEndUse(ReadOnlySpan<byte> s, out EndUse endUse)
    {
        Span<char> chars = stackalloc char[Math.Min(s.Length, 32)];
        if (s.Length > 32)
        {
            endUse = EndUse.Unknown;
            return false;
        }

        for (var i = 0; i < s.Length; i++)
        {
            chars[i] = (char)s[i];
        }

        return Names.TryParseEndUse(chars, out endUse);
    }

    private static string Example(Jurisdiction j) => string.Join(", ", j.Items.Where(i => i.Parent is not null).Take(2).Select(i => $"{j.Id}:{i.Code}"));

    private static string Text(ReadOnlySpan<byte> s) => Encoding.UTF8.GetString(s);

    private static LineError Missing(long line, string field) => new("missing-field", $"line {line}: missing required field '{field}'");

    private static LineError Invalid(long line, string field, string what) => new("invalid-field", $"line {line}: field '{field}': {what}");

    private static LineError Country(long line, string field, ReadOnlySpan<byte> value) =>
        new("unknown-country", $"line {line}: field '{field}': '{Text(value)}' is not an ISO 3166-1 alpha-2 country code");
}
