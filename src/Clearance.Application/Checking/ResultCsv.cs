using System.Globalization;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// Check results as CSV (<c>clearance check --output csv</c>), for spreadsheets: a header, then one row per input line
/// with the main fields; lists within a cell are joined by "; ". A line in error has its <c>error</c> cell and no
/// verdict. The CSV form of what <see cref="ResultJson"/> writes as JSON, beside it so that every front end writes one.
/// </summary>
public static class ResultCsv
{
    /// <summary>The columns, in order.</summary>
    public static readonly string[] Columns =
    [
        "id", "line", "as_of", "from", "to", "item", "jurisdiction", "verdict", "covered_by", "eligible_licenses", "grounds",
        "review_days", "missing_facts", "end_user_matches", "consignee_matches", "purchaser_matches",
        "intermediate_consignee_matches", "explanation", "error",
    ];

    /// <summary>Writes the header and a row per line; returns the number of lines in error.</summary>
    public static long Write(IEnumerable<CheckedLine> lines, TextWriter output)
    {
        Row(output, Columns);
        long errors = 0;
        var cells = new string[Columns.Length];
        foreach (var line in lines)
        {
            Array.Fill(cells, "");
            cells[0] = Inert(line.Id?.Text ?? "");
            cells[1] = line.Line.ToString(CultureInfo.InvariantCulture);
            if (line.Result is not { } r)
            {
                errors++;
                cells[^1] = $"{line.Error!.Code}: {line.Error.Message}";
                Row(output, cells);
                continue;
            }

            var d = r.Determination;
            var isGround = d.Grounds.Any(g => g.Kind == RequirementKind.EndUser);
            cells[2] = NodaTime.Text.LocalDatePattern.Iso.Format(r.Shipment.Date);
            cells[3] = r.Shipment.From.Value;
            cells[4] = r.Shipment.To.Value;
            cells[5] = string.Join("; ", r.Shipment.Classifications);
            cells[6] = d.Jurisdiction;
            cells[7] = Determination.Name(d.Verdict);
            cells[8] = r.CoveredBy ?? "";
            cells[9] = string.Join("; ", d.EligibleLicenses);
            cells[10] = string.Join("; ", d.Grounds.Select(g => $"{Names.Of(g.Kind)}: {g.Rule}"));
            cells[11] = d.ReviewDays?.ToString(CultureInfo.InvariantCulture) ?? "";
            cells[12] = string.Join("; ", d.MissingFacts);
            cells[13] = string.Join("; ", r.EndUser.Matches.Select(m => $"{PartyHits.Describe(m)}: {r.EndUser.Effect(m, isGround)}"));
            cells[14] = r.Consignee is { } c ? string.Join("; ", c.Matches.Select(m => $"{PartyHits.Describe(m)}: {ConsigneeScreening.Effect(c, m)}")) : "";
            cells[15] = Matches(r.Parties, ScreenedParty.Purchaser);
            cells[16] = Matches(r.Parties, ScreenedParty.IntermediateConsignee);
            var hits = PartyHits.Sentences(r.Shipment.EndUser, r.EndUser, r.Shipment.Consignee, r.Consignee, isGround, r.Parties);
            cells[17] = hits.Length == 0 ? d.Explanation : $"{d.Explanation} {hits}";
            Row(output, cells);
        }

        output.Flush();
        return errors;
    }

    /// <summary>The matches of the purchaser or of the intermediate consignees (each named: a line may give several).</summary>
    private static string Matches(IReadOnlyList<TransactionParty>? parties, ScreenedParty role) => parties is null ? "" : string.Join("; ", parties
        .Where(p => p.Party == role)
        .SelectMany(p => p.Screening.Matches.Select(m => (role == ScreenedParty.IntermediateConsignee ? $"{p.Name}: " : "") + $"{PartyHits.Describe(m)}: {ConsigneeScreening.Effect(p.Screening, m, role)}")));

    /// <summary>
    /// The id as a spreadsheet shows it, never runs it: text from the input that begins like a formula (<c>=</c>,
    /// <c>+</c>, <c>-</c>, <c>@</c>, a tab or carriage return) gets a leading apostrophe (OWASP's CSV injection advice).
    /// The other cells begin with the engine's own text.
    /// </summary>
    public static string Inert(string cell) => cell.Length > 0 && cell[0] is '=' or '+' or '-' or '@' or '\t' or '\r' ? "'" + cell : cell;

    /// <summary>One CSV record (RFC 4180): a cell with a comma, quote or line break is quoted, quotes doubled.</summary>
    public static void Row(TextWriter output, IReadOnlyList<string> cells)
    {
        for (var i = 0; i < cells.Count; i++)
        {
            if (i > 0)
            {
                output.Write(',');
            }

            var cell = cells[i];
            if (cell.AsSpan().IndexOfAny(",\"\r\n") < 0)
            {
                output.Write(cell);
            }
            else
            {
                output.Write('"');
                output.Write(cell.Replace("\"", "\"\"", StringComparison.Ordinal));
                output.Write('"');
            }
        }

        output.Write('\n');
    }
}
