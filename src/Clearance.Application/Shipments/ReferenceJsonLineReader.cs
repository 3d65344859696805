using System.Text.Json;

namespace Clearance.Application;

/// <summary>
/// The shipment contract read plainly with <see cref="JsonDocument"/>: what <see cref="JsonLineReader"/> must agree
/// with, line for line and error for error (a test runs both over generated and damaged input). Written for clarity,
/// not speed.
/// </summary>
public static class ReferenceJsonLineReader
{
    /// <summary>Reads one line (without its line break).</summary>
    public static ShipmentLine Read(ReadOnlySpan<byte> line, long lineNumber)
    {
        JsonDocument document;
        try
        {
            document = JsonDocument.Parse(line.ToArray());
        }
        catch (JsonException e)
        {
            return new ShipmentLine(lineNumber, IdBeforeSyntaxError(line), null, ShipmentFields.Malformed(lineNumber, "malformed JSON: " + ShipmentFields.JsonSyntax(e)));
        }

        using (document)
        {
            ShipmentId? id = null;
            var error = Read(document.RootElement, lineNumber, ref id, out var text);
            return error is null ? text!.Validate(lineNumber) : new ShipmentLine(lineNumber, id, null, error);
        }
    }

    /// <summary>Why the line is not one JSON value, or null when it is.</summary>
    internal static string? SyntaxError(ReadOnlySpan<byte> line)
    {
        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            while (reader.Read())
            {
            }

            return null;
        }
        catch (JsonException e)
        {
            return ShipmentFields.JsonSyntax(e);
        }
    }

    /// <summary>
    /// The id of a line that is not valid JSON, so that its error still names the shipment: the last top-level
    /// <c>id</c> read before the syntax error, when it is a string or a number.
    /// </summary>
    internal static ShipmentId? IdBeforeSyntaxError(ReadOnlySpan<byte> line)
    {
        ShipmentId? id = null;
        var reader = new Utf8JsonReader(line, isFinalBlock: true, state: default);
        try
        {
            while (reader.Read())
            {
                if (reader.CurrentDepth == 1 && reader.TokenType == JsonTokenType.PropertyName && reader.ValueTextEquals("id"u8) && reader.Read())
                {
                    if (reader.TokenType == JsonTokenType.Number)
                    {
                        id = new ShipmentId(System.Text.Encoding.UTF8.GetString(reader.ValueSpan), true);
                    }
                    else if (reader.TokenType == JsonTokenType.String)
                    {
                        id = new ShipmentId(reader.GetString()!, false);
                    }
                }
            }
        }
        catch (Exception e) when (e is JsonException or InvalidOperationException)
        {
            // The syntax error ends the line's readable part.
        }

        return id;
    }

    private static LineError? Read(JsonElement root, long line, ref ShipmentId? id, out ShipmentText? result)
    {
        result = null;
        if (root.ValueKind != JsonValueKind.Object)
        {
            return ShipmentFields.Malformed(line, "expected a JSON object");
        }

        var text = new ShipmentText(null, null, null, null, null);
        // In document order, the last of a repeated field winning: the first error met is the one reported.
        foreach (var property in root.EnumerateObject())
        {
            var value = property.Value;
            if (property.NameEquals("id"u8))
            {
                if (value.ValueKind is not (JsonValueKind.String or JsonValueKind.Number))
                {
                    return ShipmentFields.Invalid(line, "id", "expected a string or a number");
                }

                if (!TryText(value, out var idText))
                {
                    return ShipmentFields.NotUtf8(line, "id");
                }

                id = new ShipmentId(idText, value.ValueKind == JsonValueKind.Number);
                text = text with { Id = id };
            }
            else if (property.NameEquals("date"u8) || property.NameEquals("from"u8) || property.NameEquals("to"u8))
            {
                var name = property.NameEquals("date"u8) ? "date" : property.NameEquals("from"u8) ? "from" : "to";
                if (value.ValueKind != JsonValueKind.String)
                {
                    return ShipmentFields.Invalid(line, name, name == "date" ? "expected a string YYYY-MM-DD" : "expected a country code string");
                }

                if (!TryText(value, out var s))
                {
                    return ShipmentFields.NotUtf8(line, name);
                }

                text = name switch { "date" => text with { Date = s }, "from" => text with { From = s }, _ => text with { To = s } };
            }
            else if (property.NameEquals("item"u8))
            {
                if (Strings(value, line, "item", "expected a classification string such as \"JP:3(1)\" or a list of them", "classifications", allowSingle: true, out var items) is { } e)
                {
                    return e;
                }

                text = text with { Items = items };
            }
            else if (property.NameEquals("end_use"u8) || property.NameEquals("end_user_decision"u8) || property.NameEquals("consignee_decision"u8))
            {
                var decision = !property.NameEquals("end_use"u8);
                var name = property.Name;
                string? s = null;
                if (value.ValueKind != JsonValueKind.Null)
                {
                    if (value.ValueKind != JsonValueKind.String)
                    {
                        return ShipmentFields.Invalid(line, name, "expected one of " + (decision ? "confirmed, cleared" : ShipmentFields.EndUses));
                    }

                    if (!TryText(value, out s))
                    {
                        return ShipmentFields.NotUtf8(line, name);
                    }
                }

                text = name switch
                {
                    "end_user_decision" => text with { EndUserDecision = s },
                    "consignee_decision" => text with { ConsigneeDecision = s },
                    _ => text with { EndUse = s },
                };
            }
            else if (property.NameEquals("intermediate_consignees"u8))
            {
                IReadOnlyList<string>? names = null;
                if (value.ValueKind != JsonValueKind.Null
                    && Strings(value, line, "intermediate_consignees", ShipmentFields.ExpectedNames, "names", allowSingle: false, out names) is { } e)
                {
                    return e;
                }

                text = text with { IntermediateConsignees = names };
            }
            else if (property.NameEquals("end_user"u8) || property.NameEquals("consignee"u8) || property.NameEquals("purchaser"u8) || property.NameEquals("exporter"u8)
                || property.NameEquals("license"u8) || property.NameEquals("customer"u8) || property.NameEquals("order"u8) || property.NameEquals("line"u8))
            {
                var field = property.Name;
                var numberAllowed = field is "order" or "line";
                string? name = null;
                if (value.ValueKind == JsonValueKind.String || (numberAllowed && value.ValueKind == JsonValueKind.Number))
                {
                    if (!TryText(value, out name))
                    {
                        return ShipmentFields.NotUtf8(line, field);
                    }
                }
                else if (value.ValueKind != JsonValueKind.Null)
                {
                    return ShipmentFields.Invalid(line, field, ShipmentFields.ExpectedText(field));
                }

                text = field switch
                {
                    "end_user" => text with { EndUser = name },
                    "consignee" => text with { Consignee = name },
                    "purchaser" => text with { Purchaser = name },
                    "exporter" => text with { Exporter = name },
                    "license" => text with { License = name },
                    "customer" => text with { Customer = name },
                    "order" => text with { Order = name },
                    _ => text with { OrderLine = name },
                };
            }
            else if (property.NameEquals("informed"u8))
            {
                var informed = value.ValueKind == JsonValueKind.True;
                if (value.ValueKind == JsonValueKind.String)
                {
                    if (!TryText(value, out var s))
                    {
                        return ShipmentFields.NotUtf8(line, "informed");
                    }

                    if (!ShipmentFields.TryParseInformed(s, out informed))
                    {
                        return ShipmentFields.InvalidInformed(line, s);
                    }
                }
                else if (value.ValueKind is not (JsonValueKind.True or JsonValueKind.False or JsonValueKind.Null))
                {
                    return ShipmentFields.Invalid(line, "informed", ShipmentFields.ExpectedInformed);
                }

                text = text with { Informed = informed };
            }
            else if (property.NameEquals("held"u8))
            {
                IReadOnlyList<string>? held = [];
                if (value.ValueKind != JsonValueKind.Null
                    && Strings(value, line, "held", "expected a list of licence type ids", "licence ids", allowSingle: false, out held) is { } e)
                {
                    return e;
                }

                text = text with { Held = held };
            }
            else if (property.NameEquals("value"u8))
            {
                if (Measure(value, line, "value", "currency", out var given, out var amount, out var currency) is { } e)
                {
                    return e;
                }

                text = text with { ValueGiven = given, ValueAmount = amount, ValueCurrency = currency };
            }
            else if (property.NameEquals("quantity"u8))
            {
                if (Measure(value, line, "quantity", "unit", out var given, out var amount, out var unit) is { } e)
                {
                    return e;
                }

                text = text with { QuantityGiven = given, QuantityAmount = amount, QuantityUnit = unit };
            }
            else if (property.NameEquals("facts"u8))
            {
                if (Facts(value, line, out var facts) is { } e)
                {
                    return e;
                }

                text = text with { Facts = facts };
            }
            else
            {
                return UnknownField(property, line, null, ShipmentFields.JsonFields);
            }
        }

        result = text;
        return null;
    }

    private static LineError? Strings(JsonElement value, long line, string name, string expected, string what, bool allowSingle, out IReadOnlyList<string>? strings)
    {
        strings = null;
        if (allowSingle && value.ValueKind == JsonValueKind.String)
        {
            if (!TryText(value, out var single))
            {
                return ShipmentFields.NotUtf8(line, name);
            }

            strings = [single];
            return null;
        }

        if (value.ValueKind != JsonValueKind.Array)
        {
            return ShipmentFields.Invalid(line, name, expected);
        }

        var list = new List<string>();
        foreach (var element in value.EnumerateArray())
        {
            if (element.ValueKind != JsonValueKind.String)
            {
                return ShipmentFields.Invalid(line, name, expected);
            }

            if (list.Count == JsonLineReader.MaxListed)
            {
                return ShipmentFields.Invalid(line, name, $"at most {JsonLineReader.MaxListed} {what}");
            }

            if (!TryText(element, out var s))
            {
                return ShipmentFields.NotUtf8(line, name);
            }

            list.Add(s);
        }

        strings = list;
        return null;
    }

    private static LineError? Measure(JsonElement value, long line, string name, string textMember, out bool given, out string? amount, out string? text)
    {
        given = value.ValueKind != JsonValueKind.Null;
        amount = text = null;
        if (!given)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return ShipmentFields.Invalid(line, name, $"expected an object {{\"amount\": ..., \"{textMember}\": ...}}");
        }

        foreach (var member in value.EnumerateObject())
        {
            if (member.NameEquals("amount"u8))
            {
                if (member.Value.ValueKind != JsonValueKind.Number)
                {
                    return ShipmentFields.Invalid(line, name + ".amount", "expected a number");
                }

                amount = member.Value.GetRawText();
            }
            else if (member.NameEquals(textMember))
            {
                if (member.Value.ValueKind != JsonValueKind.String)
                {
                    return ShipmentFields.Invalid(line, $"{name}.{textMember}", "expected a string");
                }

                if (!TryText(member.Value, out var s))
                {
                    return ShipmentFields.NotUtf8(line, $"{name}.{textMember}");
                }

                text = s;
            }
            else
            {
                return UnknownField(member, line, name, name == "value" ? ShipmentFields.ValueMembers : ShipmentFields.QuantityMembers);
            }
        }

        return null;
    }

    /// <summary>The error for a member the contract does not have, named as typed (with its parent's name for a nested one).</summary>
    private static LineError UnknownField(JsonProperty property, long line, string? parent, IReadOnlyList<string> known)
    {
        string name;
        try
        {
            name = property.Name;
        }
        catch (InvalidOperationException)
        {
            return ShipmentFields.NotUtf8(line, parent ?? "field name");
        }

        return ShipmentFields.UnknownField(line, parent is null ? name : $"{parent}.{name}", known);
    }

    private static LineError? Facts(JsonElement value, long line, out IReadOnlyList<FactText>? facts)
    {
        facts = null;
        if (value.ValueKind == JsonValueKind.Null)
        {
            return null;
        }

        if (value.ValueKind != JsonValueKind.Object)
        {
            return ShipmentFields.Invalid(line, "facts", ShipmentFields.ExpectedFacts);
        }

        var list = new List<FactText>();
        foreach (var property in value.EnumerateObject())
        {
            string id;
            try
            {
                id = property.Name;
            }
            catch (InvalidOperationException)
            {
                return ShipmentFields.NotUtf8(line, "facts");
            }

            var field = ShipmentFields.FactField(id);
            var fact = property.Value;
            switch (fact.ValueKind)
            {
                case JsonValueKind.True or JsonValueKind.False:
                    list.Add(new FactText(id, fact.ValueKind == JsonValueKind.True ? "true" : "false"));
                    break;
                case JsonValueKind.String:
                    if (!TryText(fact, out var s))
                    {
                        return ShipmentFields.NotUtf8(line, field);
                    }

                    list.Add(new FactText(id, s));
                    break;
                case JsonValueKind.Object:
                    string? amount = null, unit = null;
                    foreach (var member in fact.EnumerateObject())
                    {
                        if (member.NameEquals("amount"u8))
                        {
                            if (member.Value.ValueKind != JsonValueKind.Number)
                            {
                                return ShipmentFields.Invalid(line, field + ".amount", "expected a number");
                            }

                            amount = member.Value.GetRawText();
                        }
                        else if (member.NameEquals("unit"u8))
                        {
                            if (member.Value.ValueKind != JsonValueKind.String)
                            {
                                return ShipmentFields.Invalid(line, field + ".unit", "expected a string");
                            }

                            if (!TryText(member.Value, out var u))
                            {
                                return ShipmentFields.NotUtf8(line, field + ".unit");
                            }

                            unit = u;
                        }
                        else
                        {
                            return ShipmentFields.Invalid(line, field, ShipmentFields.ExpectedFactAmount);
                        }
                    }

                    list.Add(new FactText(id, null, true, amount, unit));
                    break;
                default:
                    return ShipmentFields.Invalid(line, field, ShipmentFields.ExpectedFactValue);
            }
        }

        facts = list;
        return null;
    }

    /// <summary>A string's text, or a number's as written; false for text that is not valid UTF-8 (or a lone surrogate escape).</summary>
    private static bool TryText(JsonElement value, out string text)
    {
        try
        {
            text = value.ValueKind == JsonValueKind.Number ? value.GetRawText() : value.GetString()!;
            return true;
        }
        catch (InvalidOperationException)
        {
            text = "";
            return false;
        }
    }
}
