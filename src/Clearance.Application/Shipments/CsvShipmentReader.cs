using System.Text;
using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>
/// Reads shipments from CSV whose header names the contract's fields: id, date, from, to, item, end_use, end_user,
/// consignee, informed, held, value_amount, value_currency, quantity_amount, quantity_unit, end_user_decision,
/// consignee_decision, purchaser, intermediate_consignees, and for the workflow order, line, exporter, license (item and
/// intermediate_consignees ';'-separated, as names hold commas; held ';'- or ','-separated), and a column <c>fact:&lt;id&gt;</c> per declared fact ("true", "energy", "1500 W"). Each record becomes a shipment, validated as JSON input is, or an error on the record's CSV line.
/// </summary>
public static class CsvShipmentReader
{
    private const string FactPrefix = "fact:";

    private static readonly string[] Known =
        ["id", "date", "from", "to", "item", "end_use", "end_user", "consignee", "informed", "held", "value_amount", "value_currency", "quantity_amount", "quantity_unit", "end_user_decision", "order", "line", "exporter", "license", "customer",
            "consignee_decision", "purchaser", "intermediate_consignees"];

    /// <summary>The shipments of <paramref name="source"/>, read lazily; <paramref name="path"/> names the file in errors.</summary>
    /// <exception cref="CsvHeaderException">The header names a column the contract does not have (raised on the first read).</exception>
    public static IEnumerable<ShipmentLine> Read(Stream source, string path)
    {
        using var reader = new DelimitedReader(StrictText.OpenUtf8(source), path);
        var fields = new List<string>();
        string[]? header = null;
        while (true)
        {
            long line;
            ListFormatException? broken = null;
            try
            {
                if (!reader.TryRead(fields))
                {
                    yield break;
                }

                line = reader.RecordLine;
            }
            catch (ListFormatException e)
            {
                broken = e;
                line = Math.Max(e.Line, 1);
            }

            if (broken is not null)
            {
                // A truncated quote or bad encoding ends the readable part of the file: report it on its line and stop.
                yield return new ShipmentLine(line, null, null, new LineError("invalid-csv", broken.Message));
                yield break;
            }

            if (header is null)
            {
                header = [.. fields.Select(f => f.Trim())];
                var unknown = header.Where(h => !Known.Contains(h) && !IsFactColumn(h)).ToList();
                if (unknown.Count == 1 && NearestName.Find(unknown[0], Known) is { } near)
                {
                    throw new CsvHeaderException($"{path}:{line}: unknown column '{StrictText.Shorten(unknown[0])}': did you mean '{near}'?");
                }

                if (unknown.Count > 0)
                {
                    throw new CsvHeaderException($"{path}:{line}: unknown column(s) {StrictText.Shorten(string.Join(", ", unknown))}; expected {string.Join(", ", Known)} or {FactPrefix}<id>");
                }

                continue;
            }

            yield return fields.Count != header.Length
                ? new ShipmentLine(line, null, null, new LineError("invalid-csv", $"{path}:{line}: {fields.Count} columns where the header has {header.Length}"))
                : Record(header, fields, line);
        }
    }

    // "fact:" alone names no fact: rejected with the header, like any column the contract does not have.
    private static bool IsFactColumn(string column) => column.Length > FactPrefix.Length && column.StartsWith(FactPrefix, StringComparison.Ordinal);

    private static ShipmentLine Record(string[] header, List<string> fields, long line)
    {
        string? Cell(string name)
        {
            var i = Array.IndexOf(header, name);
            return i < 0 || fields[i].Length == 0 ? null : fields[i];
        }

        static string[]? Split(string? cell, params char[] separators) => cell?.Split(separators, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

        var id = Cell("id") is { } idText ? new ShipmentId(idText, false) : (ShipmentId?)null;
        var informed = false;
        if (Cell("informed") is { } informedText && !ShipmentFields.TryParseInformed(informedText, out informed))
        {
            return new ShipmentLine(line, id, null, ShipmentFields.InvalidInformed(line, informedText));
        }

        var text = new ShipmentText(
            id, Cell("date"), Cell("from"), Cell("to"), Split(Cell("item"), ';'), Cell("end_use"), Cell("end_user"), informed, Split(Cell("held"), ';', ','),
            ValueGiven: Cell("value_amount") is not null || Cell("value_currency") is not null, Cell("value_amount"), Cell("value_currency"),
            QuantityGiven: Cell("quantity_amount") is not null || Cell("quantity_unit") is not null, Cell("quantity_amount"), Cell("quantity_unit"),
            Cell("end_user_decision"), Facts(header, fields), Cell("consignee"), Cell("order"), Cell("line"), Cell("exporter"), Cell("license"), Cell("customer"),
            Cell("consignee_decision"), Cell("purchaser"), Split(Cell("intermediate_consignees"), ';'));
        return text.Validate(line);
    }

    /// <summary>The record's non-empty <c>fact:</c> cells; null when it has none, as for most records.</summary>
    private static List<FactText>? Facts(string[] header, List<string> fields)
    {
        List<FactText>? facts = null;
        for (var i = 0; i < header.Length; i++)
        {
            if (IsFactColumn(header[i]) && fields[i].Length > 0)
            {
                (facts ??= []).Add(new FactText(header[i][FactPrefix.Length..], fields[i]));
            }
        }

        return facts;
    }
}

/// <summary>The CSV header is not usable: nothing can be read from the file.</summary>
public sealed class CsvHeaderException(string message) : Exception(message);
