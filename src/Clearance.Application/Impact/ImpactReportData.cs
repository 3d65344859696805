using NodaTime;

namespace Clearance.Application;

/// <summary>
/// What the HTML impact report needs beyond the summary, gathered line by line: the first changed lines for its table,
/// and the sums its two charts draw. The sums are keyed by dates (a cause and a ship date; a ship date and a decision
/// date), so memory grows with the calendar, not with the book: a million-line book keeps the table's lines and a few
/// thousand sums.
/// </summary>
public sealed class ImpactReportData
{
    /// <summary>How many changed lines the report's table lists by default before it only counts the rest.</summary>
    public const int DefaultTableLimit = 5000;

    private readonly List<ImpactLine> _lines = [];
    private readonly SortedDictionary<(string Currency, string Cause, LocalDate Date), decimal> _valueAtRisk = [];
    private readonly SortedDictionary<(LocalDate Planned, LocalDate Decision), LeadTime> _leadTimes = [];

    /// <summary>A collector keeping at most <paramref name="tableLimit"/> changed lines for the table.</summary>
    public ImpactReportData(int tableLimit = DefaultTableLimit)
    {
        ArgumentOutOfRangeException.ThrowIfNegative(tableLimit);
        TableLimit = tableLimit;
    }

    /// <summary>How many changed lines the table keeps.</summary>
    public int TableLimit { get; }

    /// <summary>The first changed lines, in the book's order, at most <see cref="TableLimit"/>.</summary>
    public IReadOnlyList<ImpactLine> Lines => _lines;

    /// <summary>Changed lines seen, listed in <see cref="Lines"/> or not.</summary>
    public long Changed { get; private set; }

    /// <summary>
    /// The value of the lines at risk by currency, cause and planned ship date: a line with two causes counts under each,
    /// as either change alone would put it at risk.
    /// </summary>
    public IReadOnlyDictionary<(string Currency, string Cause, LocalDate Date), decimal> ValueAtRisk => _valueAtRisk;

    /// <summary>The lines that need a licence they do not hold with a decision date, by planned ship date and earliest decision.</summary>
    public IReadOnlyDictionary<(LocalDate Planned, LocalDate Decision), LeadTime> LeadTimes => _leadTimes;

    /// <summary>
    /// Analyses every line of <paramref name="lines"/> into this collector and returns the totals; each input error
    /// also goes to <paramref name="error"/> (a page listing the first few).
    /// </summary>
    public ImpactSummary Analyse(ImpactAnalysis analysis, IEnumerable<ShipmentLine> lines, Action<LineError>? error = null)
    {
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(lines);
        var summary = new ImpactSummary();
        foreach (var line in lines)
        {
            var result = analysis.Analyse(line);
            summary.Add(result);
            if (result.Checked.Error is { } failed)
            {
                error?.Invoke(failed);
            }
            else if (result.Changed is { } changed)
            {
                Add(changed);
            }
        }

        return summary;
    }

    /// <summary>Takes one changed line (the <c>changed</c> callback of <see cref="ImpactBatch.Run"/>).</summary>
    public void Add(ImpactLine line)
    {
        ArgumentNullException.ThrowIfNull(line);
        Changed++;
        if (_lines.Count < TableLimit)
        {
            _lines.Add(line);
        }

        if (line.AtRisk && line.Shipment.Value is { } value)
        {
            foreach (var cause in line.Causes.Select(c => c.Change.Subject).Distinct(StringComparer.Ordinal))
            {
                var key = (value.Currency, cause, line.Shipment.Date);
                _valueAtRisk[key] = _valueAtRisk.GetValueOrDefault(key) + value.Amount;
            }
        }

        if (line.NeedsLicense && line.EarliestDecision is { } decision)
        {
            var key = (line.Shipment.Date, decision);
            var sum = _leadTimes.GetValueOrDefault(key);
            _leadTimes[key] = new LeadTime(sum.Lines + 1, sum.AtRisk + (line.AtRisk ? 1 : 0));
        }
    }
}

/// <summary>How many lines share one planned ship date and one earliest decision, and how many of them are at risk.</summary>
/// <param name="Lines">Lines.</param>
/// <param name="AtRisk">Lines at risk.</param>
public readonly record struct LeadTime(long Lines, long AtRisk);
