using Clearance.Evaluation;
using NodaTime;

namespace Clearance.Application;

/// <summary>One stretch of time over which a shipment gets the same answer.</summary>
/// <param name="From">The first day of the stretch (null: since before the content's first change for the destination).</param>
/// <param name="To">The first day of the next stretch, or null for open-ended.</param>
/// <param name="Verdict">The answer's verdict.</param>
/// <param name="EligibleLicenses">The licence types that can authorise it.</param>
public sealed record AnswerSpan(LocalDate? From, LocalDate? To, Verdict Verdict, IReadOnlyList<string> EligibleLicenses);

/// <summary>
/// The same shipment on every date: its answer re-evaluated on each day the primary regime's content changes for the
/// destination (group memberships, rules, licence scope), consecutive equal answers joined. What a date slider needs
/// to show where the answer changes, without evaluating every day.
/// </summary>
public static class AnswerOverTime
{
    /// <summary>The stretches of equal answers of <paramref name="result"/>'s shipment, in date order.</summary>
    public static IReadOnlyList<AnswerSpan> Of(CheckService service, CheckResult result)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(result);
        var (groups, changes) = ChangeLog.Timeline(result.Jurisdiction, result.Shipment.To);
        var dates = changes.Select(c => c.Date)
            .Concat(groups.SelectMany(g => new[] { g.Period.From, g.Period.To ?? g.Period.From }))
            .Where(d => d != LocalDate.MinIsoValue)
            .Distinct()
            .Order()
            .ToList();
        var spans = new List<AnswerSpan>();
        // The day before the first change stands for the time before it.
        foreach (var date in dates.Count > 0 ? dates.Prepend(dates[0].PlusDays(-1)) : [result.Shipment.Date])
        {
            var line = service.Check(new ShipmentLine(1, result.Shipment.Id, result.Shipment with { Date = date }, null));
            if (line.Result is not { } answer)
                continue; // a date before the content's coverage: no answer to show
            var from = spans.Count == 0 ? (LocalDate?)null : date;
            var (verdict, eligible) = (answer.Determination.Verdict, answer.Determination.EligibleLicenses);
            if (spans.Count > 0 && spans[^1].Verdict == verdict && spans[^1].EligibleLicenses.SequenceEqual(eligible))
                continue;
            if (spans.Count > 0)
                spans[^1] = spans[^1] with { To = date };
            spans.Add(new AnswerSpan(from, null, verdict, eligible));
        }

        return spans;
    }
}
