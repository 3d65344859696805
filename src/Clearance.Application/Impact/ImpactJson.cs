using System.Text.Json;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Application;

/// <summary>Counts of changed lines over one key (a destination, an item, a customer), with the value at risk.</summary>
public sealed class ImpactTally
{
    /// <summary>Changed lines.</summary>
    public long Changed { get; private set; }

    /// <summary>Changed lines whose planned ship date is at risk.</summary>
    public long AtRisk { get; private set; }

    /// <summary>The value of the lines at risk, by currency (lines without a value count in <see cref="AtRisk"/> only).</summary>
    public SortedDictionary<string, decimal> ValueAtRisk { get; } = new(StringComparer.Ordinal);

    internal void Add(ImpactLine line)
    {
        Changed++;
        if (line.AtRisk)
        {
            AtRisk++;
            if (line.Shipment.Value is { } value)
            {
                ValueAtRisk[value.Currency] = ValueAtRisk.GetValueOrDefault(value.Currency) + value.Amount;
            }
        }
    }
}

/// <summary>The totals of an impact report, accumulated line by line (memory grows with the keys, not the lines).</summary>
public sealed class ImpactSummary
{
    /// <summary>Lines read.</summary>
    public long Lines { get; private set; }

    /// <summary>Lines in error (each reported as an error record).</summary>
    public long Errors { get; private set; }

    /// <summary>Every changed line.</summary>
    public ImpactTally Total { get; } = new();

    /// <summary>Changed lines that now need a licence they do not hold.</summary>
    public long NeedLicense { get; private set; }

    /// <summary>Changed lines that a licence already held still covers.</summary>
    public long StillCovered { get; private set; }

    /// <summary>Changed lines that the change makes easier to ship (a lifted measure).</summary>
    public long Relieved { get; private set; }

    /// <summary>By destination (alpha-2).</summary>
    public SortedDictionary<string, ImpactTally> ByDestination { get; } = new(StringComparer.Ordinal);

    /// <summary>By item classification (the line's first).</summary>
    public SortedDictionary<string, ImpactTally> ByItem { get; } = new(StringComparer.Ordinal);

    /// <summary>By customer (the line's customer, else its purchaser, else its consignee, else its end user; "(not given)" when none).</summary>
    public SortedDictionary<string, ImpactTally> ByCustomer { get; } = new(StringComparer.Ordinal);

    /// <summary>By cause (the rule or membership change, by its subject).</summary>
    public SortedDictionary<string, ImpactTally> ByCause { get; } = new(StringComparer.Ordinal);

    /// <summary>Each cause met, by its subject: the change in full (description, citation, announcement), written once.</summary>
    public SortedDictionary<string, ImpactCause> Causes { get; } = new(StringComparer.Ordinal);

    /// <summary>Adds one line's result.</summary>
    public void Add(ImpactResult result)
    {
        Lines++;
        if (result.Checked.Error is not null)
        {
            Errors++;
        }

        if (result.Changed is not { } line)
        {
            return;
        }

        Total.Add(line);
        NeedLicense += line.NeedsLicense ? 1 : 0;
        StillCovered += line.StillCovered ? 1 : 0;
        Relieved += line.Better ? 1 : 0;
        Tally(ByDestination, line.Shipment.To.Value, line);
        Tally(ByItem, line.Shipment.Classifications[0], line);
        Tally(ByCustomer, CustomerOf(line.Shipment), line);
        foreach (var cause in line.Causes.DistinctBy(c => c.Change.Subject, StringComparer.Ordinal))
        {
            Tally(ByCause, cause.Change.Subject, line);
            Causes.TryAdd(cause.Change.Subject, cause);
        }
    }

    /// <summary>The name a line's customer is reported under.</summary>
    // The purchaser (15 CFR 748.5(c)) is the party that buys the goods: the customer when the line names no customer of
    // its own, before the consignee, who may only receive them.
    public static string CustomerOf(Shipment shipment) => shipment.Customer ?? shipment.Purchaser ?? shipment.Consignee ?? shipment.EndUser ?? "(not given)";

    private static void Tally(SortedDictionary<string, ImpactTally> tallies, string key, ImpactLine line)
    {
        if (!tallies.TryGetValue(key, out var tally))
        {
            tallies[key] = tally = new ImpactTally();
        }

        tally.Add(line);
    }
}

/// <summary>
/// The JSON Lines form of an impact report: one object per changed line, then one summary object
/// (<c>{"summary": {...}}</c>) that also describes each cause in full. Lines whose outcome does not change are not
/// written; input errors are error records as in <c>check</c>. A line's outcomes and causes are shared by many lines
/// (the determinations are cached, the causes are per destination and item): their JSON is made once and copied.
/// </summary>
public sealed class ImpactJson
{
    private readonly Dictionary<IReadOnlyList<ImpactCause>, byte[]> _causes = new(ReferenceEqualityComparer.Instance);
    private const int MaxCached = 4096;
    private readonly Dictionary<(Determination, string?), byte[]> _outcomes = new(new OutcomeKey());

    /// <summary>Writes one changed line.</summary>
    public void Write(Utf8JsonWriter w, ImpactLine line, LocalDate knownAsOf)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(line);
        var s = line.Shipment;
        w.WriteStartObject();
        if (s.Id is { } id)
        {
            if (id.IsNumber)
            {
                w.WritePropertyName("id");
                w.WriteRawValue(id.Text);
            }
            else
            {
                w.WriteString("id", id.Text);
            }
        }

        w.WriteNumber("line", line.Line);
        WriteOptional(w, "order", s.Order);
        WriteOptional(w, "order_line", s.OrderLine);
        WriteOptional(w, "customer", s.Customer);
        w.WriteString("date", Iso(s.Date));
        w.WriteString("from", s.From.Value);
        w.WriteString("to", s.To.Value);
        ResultJson.WriteStrings(w, "item", s.Classifications);
        if (s.Value is { } value)
        {
            w.WriteStartObject("value");
            w.WriteNumber("amount", value.Amount);
            w.WriteString("currency", value.Currency);
            w.WriteEndObject();
        }

        w.WriteString("known_as_of", Iso(knownAsOf));
        WriteOutcome(w, "before", line.Before);
        WriteOutcome(w, "after", line.After);
        w.WritePropertyName("causes");
        if (!_causes.TryGetValue(line.Causes, out var causes))
        {
            if (_causes.Count >= MaxCached)
            {
                _causes.Clear();
            }

            _causes[line.Causes] = causes = ResultJson.Serialized(c =>
            {
                c.WriteStartArray();
                foreach (var cause in line.Causes)
                {
                    c.WriteStartObject();
                    c.WriteString("jurisdiction", cause.Jurisdiction);
                    c.WriteString("rule", cause.Change.Subject);
                    c.WriteString("kind", cause.Change.Kind);
                    c.WriteString("effective", Iso(cause.Change.Date));
                    c.WriteString("citation", cause.Change.Citation.Text);
                    if (cause.Change.Known is { } known)
                    {
                        c.WriteString("known", Iso(known.Date));
                    }
                    else
                    {
                        c.WriteNull("known");
                    }

                    c.WriteEndObject();
                }

                c.WriteEndArray();
            });
        }

        w.WriteRawValue(causes, skipInputValidation: true);
        ResultJson.WriteStrings(w, "license_needed", line.LicenseNeeded);
        if (line.NeedsLicense && line.After.Determination.ReviewDays is { } days)
        {
            w.WriteNumber("review_days", days);
        }
        else
        {
            w.WriteNull("review_days");
        }

        if (line.EarliestDecision is { } earliest)
        {
            w.WriteString("earliest_decision", Iso(earliest));
        }
        else
        {
            w.WriteNull("earliest_decision");
        }

        w.WriteBoolean("at_risk", line.AtRisk);
        w.WriteBoolean("still_covered", line.StillCovered);
        w.WriteEndObject();
    }

    /// <summary>Writes the summary object.</summary>
    public static void WriteSummary(Utf8JsonWriter w, ImpactSummary summary, LocalDate knownAsOf, string contentVersion)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(summary);
        w.WriteStartObject();
        w.WriteStartObject("summary");
        w.WriteString("known_as_of", Iso(knownAsOf));
        w.WriteString("content_version", contentVersion);
        w.WriteNumber("lines", summary.Lines);
        w.WriteNumber("errors", summary.Errors);
        w.WriteNumber("changed", summary.Total.Changed);
        w.WriteNumber("need_license", summary.NeedLicense);
        w.WriteNumber("still_covered", summary.StillCovered);
        w.WriteNumber("relieved", summary.Relieved);
        w.WriteNumber("at_risk", summary.Total.AtRisk);
        WriteValues(w, "value_at_risk", summary.Total.ValueAtRisk);
        WriteTallies(w, "by_destination", "to", summary.ByDestination);
        WriteTallies(w, "by_item", "item", summary.ByItem);
        WriteTallies(w, "by_customer", "customer", summary.ByCustomer);
        WriteTallies(w, "by_cause", "rule", summary.ByCause);
        w.WriteStartArray("causes");
        foreach (var cause in summary.Causes.Values)
        {
            w.WriteStartObject();
            w.WriteString("jurisdiction", cause.Jurisdiction);
            w.WriteString("rule", cause.Change.Subject);
            w.WriteString("kind", cause.Change.Kind);
            w.WriteString("description", cause.Change.Description);
            w.WriteString("effective", Iso(cause.Change.Date));
            ResultJson.WriteCitation(w, cause.Change.Citation);
            RulesJson.WriteKnown(w, cause.Change.Known);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary><c>"before": {"date", "verdict", "eligible_licenses", "covered_by", "review_days", "grounds"}</c>; all but the date made once per outcome.</summary>
    private void WriteOutcome(Utf8JsonWriter w, string name, CheckResult result)
    {
        var key = (result.Determination, result.CoveredBy);
        if (!_outcomes.TryGetValue(key, out var members))
        {
            if (_outcomes.Count >= MaxCached)
            {
                // Determinations are shared (cached by outcome), so few distinct ones exist; a bound keeps memory flat
                // should a content ever make one per line.
                _outcomes.Clear();
            }

            var d = result.Determination;
            _outcomes[key] = members = ResultJson.Fragment(o =>
            {
                o.WriteString("verdict", Determination.Name(d.Verdict));
                ResultJson.WriteStrings(o, "eligible_licenses", d.EligibleLicenses);
                if (result.CoveredBy is { } covered)
                {
                    o.WriteString("covered_by", covered);
                }
                else
                {
                    o.WriteNull("covered_by");
                }

                if (d.ReviewDays is { } days)
                {
                    o.WriteNumber("review_days", days);
                }
                else
                {
                    o.WriteNull("review_days");
                }

                ResultJson.WriteStrings(o, "grounds", [.. d.Grounds.Select(g => g.Rule)]);
            }); // the members alone: the date goes first
        }

        w.WritePropertyName(name);
        Span<byte> json = stackalloc byte[members.Length + 24];
        "{\"date\":\""u8.CopyTo(json);
        var at = 9 + IsoText.WriteDate(result.Shipment.Date, json[9..]);
        "\","u8.CopyTo(json[at..]);
        at += 2;
        members.CopyTo(json[at..]);
        at += members.Length;
        json[at++] = (byte)'}';
        w.WriteRawValue(json[..at], skipInputValidation: true);
    }

    /// <summary>Outcomes by the identity of their (shared, cached) determination and the licence covering the line.</summary>
    private sealed class OutcomeKey : IEqualityComparer<(Determination, string?)>
    {
        public bool Equals((Determination, string?) x, (Determination, string?) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

        public int GetHashCode((Determination, string?) obj) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(obj.Item1), obj.Item2);
    }

    private static void WriteTallies(Utf8JsonWriter w, string name, string key, SortedDictionary<string, ImpactTally> tallies)
    {
        w.WriteStartArray(name);
        foreach (var (value, tally) in tallies)
        {
            w.WriteStartObject();
            w.WriteString(key, value);
            w.WriteNumber("changed", tally.Changed);
            w.WriteNumber("at_risk", tally.AtRisk);
            WriteValues(w, "value_at_risk", tally.ValueAtRisk);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteValues(Utf8JsonWriter w, string name, SortedDictionary<string, decimal> values)
    {
        w.WriteStartArray(name);
        foreach (var (currency, amount) in values)
        {
            w.WriteStartObject();
            w.WriteNumber("amount", amount);
            w.WriteString("currency", currency);
            w.WriteEndObject();
        }

        w.WriteEndArray();
    }

    private static void WriteOptional(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }

    private static string Iso(LocalDate date) => LocalDatePattern.Iso.Format(date);
}
