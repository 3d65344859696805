using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>A change of the rules that moves a line's outcome: the change and the regime it belongs to.</summary>
/// <param name="Jurisdiction">The regime's id.</param>
/// <param name="Change">The change, with its effective date, citation and, where the content gives it, the day it became known.</param>
public sealed record ImpactCause(string Jurisdiction, Change Change);

/// <summary>
/// One order line whose outcome a change moves: the outcome before (the rules in force on the day the report is made
/// as of) and after (on the planned ship date under every change known by then), why, and what it means for the
/// delivery.
/// </summary>
/// <param name="Line">The input line.</param>
/// <param name="Shipment">The order line as read.</param>
/// <param name="Before">The outcome under the rules in force on the report's day.</param>
/// <param name="After">The outcome on the planned ship date.</param>
/// <param name="Causes">The changes between the two that concern the line (its destination, its item), by date.</param>
/// <param name="EarliestDecision">
/// For a line that now needs a licence it does not hold: the day the standard review of a licence applied for on the
/// report's day ends (the report's day plus the review days), the day a delivery can be planned on with confidence;
/// null otherwise, or when the content gives no review period.
/// </param>
/// <param name="AtRisk">Whether the planned ship date is in danger: the change makes the line harder to ship and it is
/// prohibited now, or needs a licence that the standard review would not deliver by the planned date (or with no
/// review period to plan with).</param>
public sealed record ImpactLine(long Line, Shipment Shipment, CheckResult Before, CheckResult After, IReadOnlyList<ImpactCause> Causes, LocalDate? EarliestDecision, bool AtRisk)
{
    /// <summary>The licence types that could authorise the line now, when it needs one it does not hold; else empty.</summary>
    public IReadOnlyList<string> LicenseNeeded => NeedsLicense ? After.Determination.EligibleLicenses : [];

    /// <summary>Whether the line now needs a licence that the licences held do not cover.</summary>
    public bool NeedsLicense => After.Determination.Verdict == Verdict.LicenseRequired && After.CoveredBy is null;

    /// <summary>Whether a licence already held still covers the line after the change.</summary>
    public bool StillCovered => After.Determination.Verdict == Verdict.LicenseRequired && After.CoveredBy is not null;

    /// <summary>Whether the change makes the line easier to ship (a milder verdict, or more licence types to choose from).</summary>
    public bool Better =>
        Determination.Severity(After.Determination.Verdict) < Determination.Severity(Before.Determination.Verdict)
        || (After.Determination.Verdict == Before.Determination.Verdict
            && After.Determination.EligibleLicenses.Except(Before.Determination.EligibleLicenses, StringComparer.Ordinal).Any()
            && !Before.Determination.EligibleLicenses.Except(After.Determination.EligibleLicenses, StringComparer.Ordinal).Any());

    /// <summary>Whether the change makes the line harder to ship (a stricter verdict, or fewer licence types to choose from).</summary>
    public bool Worse =>
        Determination.Severity(After.Determination.Verdict) > Determination.Severity(Before.Determination.Verdict)
        || (After.Determination.Verdict == Before.Determination.Verdict && After.CoveredBy is null
            && Before.Determination.EligibleLicenses.Except(After.Determination.EligibleLicenses, StringComparer.Ordinal).Any());
}

/// <summary>What one order line came to: an error in the input, an outcome that does not change, or a changed line.</summary>
/// <param name="Checked">The line as checked on its planned date (its error, when the input was invalid).</param>
/// <param name="Changed">The change, when the outcome moves; null otherwise.</param>
public readonly record struct ImpactResult(CheckedLine Checked, ImpactLine? Changed);

/// <summary>
/// The effect of announced changes on an order book (<c>clearance impact --known-as-of DATE</c>): each line is checked
/// twice with the rules as they were known on the report's day, once on that day (the rules in force then) and once on
/// its planned ship date (every change known by then that takes effect before it), and the lines whose outcome moves
/// are reported with the changes that concern them. A change already in force on the report's day is part of both
/// answers, so it is never a cause; a change announced after that day is invisible to both.
/// </summary>
public sealed class ImpactAnalysis
{
    private readonly CheckService _service;

    // The content without the overlay, for an analysis of a hypothetical change; null for one of announced changes.
    private readonly CheckService? _beforeService;
    private readonly Dictionary<string, (Jurisdiction Model, IReadOnlyList<Change> Pending, Dictionary<string, IDatedRule> Rules)> _regimes;
    private readonly System.Collections.Concurrent.ConcurrentDictionary<(string Regime, int Item, CountryCode To, int Pending), IReadOnlyList<ImpactCause>> _causes = new();

    /// <summary>
    /// An analysis as of <paramref name="knownAsOf"/> over <paramref name="content"/> (all the content knows, with the
    /// announcement dates it carries); parties are screened by <paramref name="screening"/> the same way on both sides.
    /// </summary>
    public ImpactAnalysis(ContentSet content, LocalDate knownAsOf, EndUserScreening screening, ExchangeRates? rates = null)
    {
        ArgumentNullException.ThrowIfNull(content);
        KnownAsOf = knownAsOf;
        var view = content.AsKnownOn(knownAsOf);
        _service = new CheckService(new Evaluator(view, rates), screening);
        _regimes = view.Jurisdictions.ToDictionary(
            j => j.Id,
            j => (j, ChangeLog.Between(j, knownAsOf, LocalDate.MaxIsoValue), j.DatedRules.ToDictionary(r => r.Id, StringComparer.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// An analysis of a hypothetical change (<c>clearance impact --with overlay.yaml</c>): each line is checked on its
    /// planned ship date under <paramref name="before"/> (the content without the change) and under
    /// <paramref name="after"/> (the same content with it); the causes are the changes <paramref name="after"/> has and
    /// <paramref name="before"/> has not. <paramref name="reportDay"/> is the day a licence would be applied for (the
    /// caller's today, or the known-as-of day); lines planned on or before it are not analysed.
    /// </summary>
    public ImpactAnalysis(ContentSet before, ContentSet after, LocalDate reportDay, EndUserScreening screening, ExchangeRates? rates = null)
    {
        ArgumentNullException.ThrowIfNull(before);
        ArgumentNullException.ThrowIfNull(after);
        KnownAsOf = reportDay;
        _beforeService = new CheckService(new Evaluator(before, rates), screening);
        _service = new CheckService(new Evaluator(after, rates), screening);
        _regimes = after.Jurisdictions.ToDictionary(
            j => j.Id,
            j => (j, Added(before.Find(j.Id), j), j.DatedRules.ToDictionary(r => r.Id, StringComparer.Ordinal)),
            StringComparer.OrdinalIgnoreCase);
    }

    /// <summary>
    /// The changes of <paramref name="after"/> that <paramref name="before"/> does not make on the same day to the same
    /// subject, by date: a rule the overlay ends keeps its old start (with an amended citation), which is no cause.
    /// </summary>
    private static IReadOnlyList<Change> Added(Jurisdiction? before, Jurisdiction after)
    {
        var existing = before is null ? []
            : ChangeLog.Between(before, LocalDate.MinIsoValue, LocalDate.MaxIsoValue).Select(c => (c.Date, c.Kind, c.Subject)).ToHashSet();
        return [.. ChangeLog.Between(after, LocalDate.MinIsoValue, LocalDate.MaxIsoValue).Where(c => !existing.Contains((c.Date, c.Kind, c.Subject)))];
    }

    /// <summary>The report's day: the rules as known then, and the day a licence would be applied for.</summary>
    public LocalDate KnownAsOf { get; }

    /// <summary>The content version the answers after the changes come from (the view of the content as known on the report's day, or the overlaid content).</summary>
    public string ContentVersion => _service.Evaluator.Content.Version;

    /// <summary>Every change known on the report's day that takes effect after it (for a hypothetical change: every change it makes), by regime.</summary>
    public IReadOnlyList<ImpactCause> PendingChanges =>
        [.. _regimes.Values.SelectMany(r => r.Pending.Select(c => new ImpactCause(r.Model.Id, c))).OrderBy(c => c.Change.Date)];

    /// <summary>Analyses one order line read by any input; a line in error passes through.</summary>
    public ImpactResult Analyse(ShipmentLine line)
    {
        var after = _service.Check(line);
        if (after.Result is not { } afterResult || line.Shipment is not { } shipment || shipment.Date <= KnownAsOf)
        {
            // An invalid line, or one shipped by the report's day: no change still to come can reach it.
            return new ImpactResult(after, null);
        }

        var before = _beforeService is { } without ? without.Check(line) : _service.Check(line with { Shipment = shipment with { Date = KnownAsOf } });
        if (before.Result is not { } beforeResult || Same(beforeResult, afterResult))
        {
            return new ImpactResult(after, null);
        }

        var causes = Causes(afterResult);
        var changed = new ImpactLine(line.Line, shipment, beforeResult, afterResult, causes, null, false);
        if (changed.NeedsLicense)
        {
            LocalDate? earliest = afterResult.Determination.ReviewDays is { } days ? KnownAsOf.PlusDays(days) : null;
            changed = changed with { EarliestDecision = earliest, AtRisk = changed.Worse && (earliest is not { } decided || shipment.Date < decided) };
        }
        else if (afterResult.Determination.Verdict == Verdict.Prohibited)
        {
            changed = changed with { AtRisk = changed.Worse };
        }

        return new ImpactResult(after, changed);
    }

    private static bool Same(CheckResult before, CheckResult after) =>
        before.Determination.Verdict == after.Determination.Verdict
        && before.CoveredBy == after.CoveredBy
        && before.Determination.ReviewDays == after.Determination.ReviewDays
        && before.Determination.EligibleLicenses.SequenceEqual(after.Determination.EligibleLicenses, StringComparer.Ordinal);

    /// <summary>
    /// The pending changes up to the line's date that concern it: a rule whose items may select the line's item and whose
    /// destinations may take its destination, or a membership or group change of its destination.
    /// </summary>
    private IReadOnlyList<ImpactCause> Causes(CheckResult after)
    {
        var to = after.Shipment.To;
        var date = after.Shipment.Date;
        if (after.Others is null)
        {
            // One regime, the usual case: the cached list itself, shared by every line of its destination, item and
            // date range (the JSON writer serialises it once).
            return RegimeCauses(after.Primary, to, date);
        }

        var causes = new List<ImpactCause>();
        foreach (var regime in after.Regimes)
        {
            causes.AddRange(RegimeCauses(regime, to, date));
        }

        return causes;
    }

    private IReadOnlyList<ImpactCause> RegimeCauses(RegimeResult regime, CountryCode to, LocalDate date)
    {
        var (model, pending, rules) = _regimes[regime.Jurisdiction.Id];
        var upTo = 0;
        while (upTo < pending.Count && pending[upTo].Date <= date)
        {
            upTo++;
        }

        return _causes.GetOrAdd((model.Id, regime.ItemIndex, to, upTo), key =>
        {
            // A group change is derived from memberships (named by them) or renames groups (Japan's Groups A-D of
            // 2 Aug 2019, which moved no country's rules): never a cause of its own.
            return [.. pending.Take(key.Pending).Where(c => c.Kind != "group-change" && Concerns(model, rules, c, regime.Item, key.To))
                .Select(c => new ImpactCause(model.Id, c))];
        });
    }

    private static bool Concerns(Jurisdiction j, Dictionary<string, IDatedRule> rules, Change change, ControlEntry? item, CountryCode to)
    {
        switch (change.Kind)
        {
            case "rule-start":
            case "rule-end":
                if (!rules.TryGetValue(change.Subject, out var rule))
                {
                    return false;
                }

                // A rule that ends is judged on its last day in force; one that starts, on its first.
                var on = change.Kind == "rule-end" ? change.Date.PlusDays(-1) : change.Date;
                var (items, destinations) = rule switch
                {
                    RequirementRule r => (r.Items, r.Destinations),
                    LicenseScopeRule s => (s.Items, s.Destinations),
                    ReviewPeriodRule v => (ItemSelector.All, v.Destinations),
                    _ => (ItemSelector.All, DestinationSelector.All),
                };
                return (item is null ? items.Any : ReferenceEvaluator.ItemMatch(j, items, item) != Match.No)
                    && ReferenceEvaluator.Destination(j, destinations, to, on) != Match.No;
            default:
                // A membership starting or ending: "KR table-3".
                return change.Subject.StartsWith(to.Value + " ", StringComparison.Ordinal);
        }
    }
}
