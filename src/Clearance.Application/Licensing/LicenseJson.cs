using System.Globalization;
using System.Text.Encodings.Web;
using System.Text.Json;
using Clearance.Licensing;
using Clearance.Store;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>
/// The licence record on the wire, the same names the input takes (<see cref="LicenseInput.Fields"/>), with
/// <c>balance</c> and <c>drawdowns</c> for <c>licenses show</c>: compact JSON, raw UTF-8.
/// </summary>
public static class LicenseJson
{
    private static readonly JsonWriterOptions Options = new() { Encoder = JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>One line of JSON for <paramref name="record"/>; with its transitions and ledger when <paramref name="history"/>.</summary>
    public static string Line(LicenseRecord record, bool history)
    {
        ArgumentNullException.ThrowIfNull(record);
        using var buffer = new MemoryStream();
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            var l = record.License;
            json.WriteStartObject();
            json.WriteString("number", l.Number);
            json.WriteString("jurisdiction", l.Jurisdiction);
            json.WriteString("type", l.Type);
            json.WriteString("holder", l.Holder);
            Strings(json, "items", l.Scope.Items);
            Strings(json, "destinations", l.Scope.Destinations.Select(d => d.Value));
            Strings(json, "consignees", l.Scope.Consignees);
            Strings(json, "end_users", l.Scope.EndUsers);
            json.WriteString("valid_from", LocalDatePattern.Iso.Format(l.Validity.From));
            if (l.Validity.To is { } end)
                json.WriteString("valid_to", LocalDatePattern.Iso.Format(end.PlusDays(-1)));
            else
                json.WriteNull("valid_to");
            Limit(json, "quantity", "unit", l.Quantity);
            Limit(json, "value", "currency", l.Value);
            json.WriteNumber("tolerance", l.Tolerance);
            json.WriteString("state", License.Name(l.State));
            json.WriteStartObject("balance");
            json.WriteNumber("quantity_drawn", record.Balance.QuantityDrawn);
            json.WriteNumber("value_drawn", record.Balance.ValueDrawn);
            Number(json, "quantity_remaining", record.Balance.QuantityRemaining);
            Number(json, "value_remaining", record.Balance.ValueRemaining);
            json.WriteEndObject();
            if (history)
            {
                json.WriteStartArray("transitions");
                foreach (var t in record.Transitions)
                {
                    json.WriteStartObject();
                    json.WriteString("state", License.Name(t.State));
                    json.WriteString("on", LocalDatePattern.Iso.Format(t.OnDate));
                    json.WriteString("at", InstantPattern.ExtendedIso.Format(t.At));
                    json.WriteString("actor", t.Actor);
                    json.WriteString("reason", t.Reason);
                    json.WriteEndObject();
                }

                json.WriteEndArray();
                json.WriteStartArray("drawdowns");
                foreach (var d in record.Ledger)
                {
                    json.WriteStartObject();
                    json.WriteNumber("sequence", d.Sequence);
                    json.WriteString("shipment", d.Shipment);
                    json.WriteNumber("quantity", d.Quantity);
                    json.WriteNumber("value", d.Value);
                    if (d.Reverses is { } reversed)
                        json.WriteNumber("reverses", reversed);
                    else
                        json.WriteNull("reverses");
                    json.WriteEndObject();
                }

                json.WriteEndArray();
            }

            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.ToArray());
    }

    /// <summary>An amount as people read it: "40 kg", "4,500,000 JPY".</summary>
    public static string Text(decimal? amount, string? unit) =>
        amount is { } a ? a.ToString("#,0.####", CultureInfo.InvariantCulture) + (unit is null ? "" : " " + unit) : "";

    private static void Strings(Utf8JsonWriter json, string name, IEnumerable<string> values)
    {
        json.WriteStartArray(name);
        foreach (var v in values)
            json.WriteStringValue(v);
        json.WriteEndArray();
    }

    private static void Limit(Utf8JsonWriter json, string name, string unitName, LicenseLimit? limit)
    {
        if (limit is not { } l)
        {
            json.WriteNull(name);
            return;
        }

        json.WriteStartObject(name);
        json.WriteNumber("amount", l.Amount);
        json.WriteString(unitName, l.Unit);
        json.WriteEndObject();
    }

    private static void Number(Utf8JsonWriter json, string name, decimal? value)
    {
        if (value is { } v)
            json.WriteNumber(name, v);
        else
            json.WriteNull(name);
    }
}
