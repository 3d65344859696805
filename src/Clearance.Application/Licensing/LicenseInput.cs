using System.Text.Json;
using Clearance.Licensing;
using Clearance.Model;
using Clearance.Screening.Lists;
using NodaTime;

namespace Clearance.Application;

/// <summary>One licence record read: the licence, or the error that stopped it.</summary>
/// <param name="Line">Line of the input (a CSV record's first line).</param>
/// <param name="License">The licence; null when <paramref name="Error"/> is set.</param>
/// <param name="Error">Why the record is no licence.</param>
public readonly record struct LicenseLine(long Line, License? License, LineError? Error);

/// <summary>
/// Licence records as every input gives them (JSON Lines, CSV, the <c>licenses add</c> flags), validated once against
/// the content: the jurisdiction and its licence types exist, items are classifications under that jurisdiction,
/// destinations are countries, limits are positive amounts with their unit or currency, the validity is a range, the
/// tolerance a fraction. An unknown field is an error naming the nearest known one, never ignored: a misspelt
/// <c>destinatons</c> would otherwise widen the licence to every destination.
/// </summary>
public static class LicenseInput
{
    /// <summary>The fields of a licence record (JSON names; CSV has <c>quantity_amount</c>, <c>quantity_unit</c>, <c>value_amount</c>, <c>value_currency</c> for the two objects).</summary>
    public static readonly IReadOnlyList<string> Fields =
        ["number", "jurisdiction", "type", "holder", "items", "destinations", "consignees", "end_users", "valid_from", "valid_to", "quantity", "value", "tolerance", "state"];

    private static readonly string[] CsvFields =
        ["number", "jurisdiction", "type", "holder", "items", "destinations", "consignees", "end_users", "valid_from", "valid_to",
         "quantity_amount", "quantity_unit", "value_amount", "value_currency", "tolerance", "state"];

    private static readonly string[] ListFields = ["items", "destinations", "consignees", "end_users"];

    /// <summary>The licences of a JSON Lines stream, one per non-blank line.</summary>
    public static IEnumerable<LicenseLine> ReadJsonLines(Stream source, string name, ContentSet content)
    {
        using var reader = StrictText.OpenUtf8(source);
        var text = new System.Text.StringBuilder();
        long line = 0;
        while (true)
        {
            bool more;
            LineError? broken = null;
            try
            {
                more = StrictText.ReadLine(reader, text, name, line + 1);
            }
            catch (ListFormatException e)
            {
                more = false;
                broken = new LineError("invalid-input", e.Message);
            }

            line++;
            if (broken is not null)
            {
                yield return new LicenseLine(line, null, broken);
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            if (string.IsNullOrWhiteSpace(text.ToString()))
            {
                continue;
            }

            yield return FromJson(text.ToString(), line, content);
        }
    }

    /// <summary>The licences of a CSV stream with a header naming the fields (lists <c>;</c>-separated).</summary>
    /// <exception cref="CsvHeaderException">The header names a column no licence has.</exception>
    public static IEnumerable<LicenseLine> ReadCsv(Stream source, string name, ContentSet content)
    {
        using var reader = new DelimitedReader(StrictText.OpenUtf8(source), name);
        var fields = new List<string>();
        string[]? header = null;
        while (true)
        {
            LineError? broken = null;
            var more = false;
            try
            {
                more = reader.TryRead(fields);
            }
            catch (ListFormatException e)
            {
                broken = new LineError("invalid-csv", e.Message);
            }

            if (broken is not null)
            {
                yield return new LicenseLine(Math.Max(reader.RecordLine, 1), null, broken);
                yield break;
            }

            if (!more)
            {
                yield break;
            }

            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                var unknown = header.Where(h => !CsvFields.Contains(h)).ToList();
                if (unknown.Count > 0)
                {
                    throw new CsvHeaderException($"{name}:{reader.RecordLine}: unknown column '{StrictText.Shorten(unknown[0])}'{NearestName.DidYouMean(unknown[0], CsvFields)}; the columns are {string.Join(", ", CsvFields)}");
                }

                continue;
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            for (var i = 0; i < header.Length && i < fields.Count; i++)
            {
                values[header[i]] = fields[i].Trim() is { Length: > 0 } v ? v : null;
            }

            yield return Validate(values, reader.RecordLine, content);
        }
    }

    /// <summary>One licence from a JSON object's text.</summary>
    public static LicenseLine FromJson(string json, long line, ContentSet content)
    {
        ArgumentNullException.ThrowIfNull(content);
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(json);
        }
        catch (JsonException)
        {
            return Error(line, "malformed-json", "not a JSON object");
        }

        using (document)
        {
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                return Error(line, "malformed-json", "not a JSON object");
            }

            var values = new Dictionary<string, string?>(StringComparer.Ordinal);
            foreach (var property in document.RootElement.EnumerateObject())
            {
                var field = property.Name;
                var value = property.Value;
                if (!Fields.Contains(field))
                {
                    return Error(line, "unknown-field", $"unknown field '{StrictText.Shorten(field)}'{NearestName.DidYouMean(field, Fields)}");
                }

                if (ListFields.Contains(field))
                {
                    if (value.ValueKind is not (JsonValueKind.Array or JsonValueKind.Null) || value.ValueKind == JsonValueKind.Array && value.EnumerateArray().Any(e => e.ValueKind != JsonValueKind.String))
                    {
                        return Error(line, "invalid-field", $"field '{field}': a list of strings");
                    }

                    values[field] = value.ValueKind == JsonValueKind.Null ? null : string.Join(";", value.EnumerateArray().Select(e => e.GetString()));
                }
                else if (field is "quantity" or "value")
                {
                    var unitName = field == "quantity" ? "unit" : "currency";
                    if (value.ValueKind == JsonValueKind.Null)
                    {
                        continue;
                    }

                    if (value.ValueKind != JsonValueKind.Object)
                    {
                        return Error(line, "invalid-field", $"field '{field}': an object {{\"amount\", \"{unitName}\"}}");
                    }

                    foreach (var member in value.EnumerateObject())
                    {
                        if (member.Name != "amount" && member.Name != unitName)
                        {
                            return Error(line, "unknown-field", $"unknown field '{field}.{StrictText.Shorten(member.Name)}'{NearestName.DidYouMean(member.Name, ["amount", unitName])}");
                        }
                    }

                    values[field + "_amount"] = value.TryGetProperty("amount", out var amount) ? amount.ValueKind == JsonValueKind.Number ? amount.GetRawText() : amount.ToString() : null;
                    values[field + "_" + unitName] = value.TryGetProperty(unitName, out var unit) ? unit.ToString() : null;
                }
                else if (field == "tolerance")
                {
                    values[field] = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.ValueKind == JsonValueKind.Null ? null : value.ToString();
                }
                else
                {
                    if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Null))
                    {
                        return Error(line, "invalid-field", $"field '{field}': a string");
                    }

                    values[field] = value.GetString();
                }
            }

            return Validate(values, line, content);
        }
    }

    /// <summary>
    /// Validates a licence given as field values (lists <c>;</c>-separated, amounts split into <c>quantity_amount</c>,
    /// <c>quantity_unit</c>, <c>value_amount</c>, <c>value_currency</c>): the one validation every input goes through.
    /// </summary>
    public static LicenseLine Validate(IReadOnlyDictionary<string, string?> values, long line, ContentSet content)
    {
        ArgumentNullException.ThrowIfNull(values);
        ArgumentNullException.ThrowIfNull(content);
        string? Get(string field) => values.TryGetValue(field, out var v) && !string.IsNullOrWhiteSpace(v) ? v.Trim() : null;
        string[] List(string field) => Get(field) is { } v ? [.. v.Split(';', StringSplitOptions.TrimEntries | StringSplitOptions.RemoveEmptyEntries)] : [];

        foreach (var required in new[] { "number", "jurisdiction", "type", "holder", "valid_from" })
        {
            if (Get(required) is null)
            {
                return Error(line, "missing-field", $"field '{required}' is required");
            }
        }

        var jurisdictionId = Get("jurisdiction")!;
        var jurisdiction = content.Jurisdictions.FirstOrDefault(j => string.Equals(j.Id, jurisdictionId, StringComparison.OrdinalIgnoreCase));
        if (jurisdiction is null)
        {
            return Error(line, "invalid-field", $"field 'jurisdiction': '{StrictText.Shorten(jurisdictionId)}' is not a jurisdiction of the content ({string.Join(", ", content.Jurisdictions.Select(j => j.Id))})");
        }

        var typeId = Get("type")!;
        var type = jurisdiction.Licenses.FirstOrDefault(t => string.Equals(t.Id, typeId, StringComparison.OrdinalIgnoreCase));
        if (type is null)
        {
            return Error(line, "invalid-field", $"field 'type': '{StrictText.Shorten(typeId)}' is not a licence type of {jurisdiction.Id}{NearestName.DidYouMean(typeId, jurisdiction.Licenses.Select(t => t.Id))} ({string.Join(", ", jurisdiction.Licenses.Select(t => t.Id))})");
        }

        var items = List("items");
        if (items.FirstOrDefault(i => !i.StartsWith(jurisdiction.Id + ":", StringComparison.OrdinalIgnoreCase)) is { } foreign)
        {
            return Error(line, "invalid-field", $"field 'items': '{StrictText.Shorten(foreign)}' is not a {jurisdiction.Id} classification ({jurisdiction.Id}:<code>)");
        }

        var destinations = new List<CountryCode>();
        foreach (var text in List("destinations"))
        {
            if (ShipmentFields.TryParseCountry(text, out var code))
            {
                destinations.Add(code);
            }
            else
            {
                return Error(line, "unknown-country", $"field 'destinations': {CountryNames.NotACountry(text)}");
            }
        }

        if (!ShipmentFields.TryParseDate(Get("valid_from"), out var from))
        {
            return Error(line, "invalid-date", $"field 'valid_from': '{StrictText.Shorten(Get("valid_from")!)}' is not a date YYYY-MM-DD");
        }

        LocalDate? end = null;
        if (Get("valid_to") is { } toText)
        {
            if (!ShipmentFields.TryParseDate(toText, out var lastDay))
            {
                return Error(line, "invalid-date", $"field 'valid_to': '{StrictText.Shorten(toText)}' is not a date YYYY-MM-DD");
            }

            if (lastDay < from)
            {
                return Error(line, "invalid-field", $"field 'valid_to': {toText} is before valid_from {Get("valid_from")}");
            }

            end = lastDay.PlusDays(1); // valid_to is the last valid day; the period is half-open
        }

        if (!TryLimit(Get("quantity_amount"), Get("quantity_unit"), "quantity", "unit", out var quantity, out var quantityError))
        {
            return Error(line, "invalid-field", quantityError!);
        }

        if (!TryLimit(Get("value_amount"), Get("value_currency"), "value", "currency", out var value, out var valueError))
        {
            return Error(line, "invalid-field", valueError!);
        }

        if (value is { } v && !ShipmentFields.IsCurrency(v.Unit))
        {
            return Error(line, "invalid-field", $"field 'value': currency '{StrictText.Shorten(v.Unit)}' is not an ISO 4217 code (three upper-case letters)");
        }

        decimal tolerance = 0;
        if (Get("tolerance") is { } toleranceText &&
            (!ShipmentFields.TryParseAmount(toleranceText, out tolerance) || tolerance > 1))
        {
            return Error(line, "invalid-field", $"field 'tolerance': '{StrictText.Shorten(toleranceText)}' is not a fraction between 0 and 1 (0.1 = 10 %)");
        }

        var state = LicenseState.Granted;
        if (Get("state") is { } stateText)
        {
            if (License.ParseState(stateText) is not { } parsed)
            {
                return Error(line, "invalid-field", $"field 'state': '{StrictText.Shorten(stateText)}' is not applied, granted, suspended, expired or revoked");
            }

            state = parsed;
        }

        var license = new License(
            Get("number")!, jurisdiction.Id, type.Id, Get("holder")!,
            new LicenseScope([.. items.Select(i => jurisdiction.Id + i[jurisdiction.Id.Length..])], destinations, List("consignees"), List("end_users")),
            new Period(from, end), quantity, value, tolerance, state);
        return new LicenseLine(line, license, null);
    }

    private static bool TryLimit(string? amountText, string? unit, string field, string unitName, out LicenseLimit? limit, out string? error)
    {
        limit = null;
        error = null;
        if (amountText is null && unit is null)
        {
            return true;
        }

        if (amountText is null || unit is null)
        {
            error = $"field '{field}': give both amount and {unitName}";
            return false;
        }

        if (!ShipmentFields.TryParseAmount(amountText, out var amount) || amount == 0 || decimal.Round(amount, 4) != amount)
        {
            error = $"field '{field}': amount '{StrictText.Shorten(amountText)}' is not a positive number with at most 4 decimal places";
            return false;
        }

        limit = new LicenseLimit(amount, unit);
        return true;
    }

    private static LicenseLine Error(long line, string code, string message) => new(line, null, new LineError(code, $"line {line}: {message}"));
}
