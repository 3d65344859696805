using System.Globalization;
using System.Net;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime;

namespace Clearance.Application;

/// <summary>
/// The impact report as HTML for a compliance officer briefing sales (<c>clearance impact --html FILE</c>, and the
/// server's impact page): the headline numbers, the causes with their citations, two charts (value at risk over time
/// by cause; licence lead time against the planned ship dates), the totals by destination, item and customer, and the
/// changed lines. Self-contained: inline CSS and SVG, no script, no external file. Every text from the book or the
/// content is HTML-escaped.
/// </summary>
public static class ImpactHtml
{
    /// <summary>Rows of the totals by item and by customer; the rest are counted under the table.</summary>
    public const int TallyRows = 30;

    // Scoped to the report's element so the server page can embed it beside its own style sheet.
    private const string Css =
        """
        .impact-report { font-family: system-ui, "DejaVu Sans", sans-serif; color: #1d1d1f; line-height: 1.35; }
        .impact-report h1 { font-size: 1.5rem; margin: 0 0 .3rem 0; } .impact-report h2 { font-size: 1.15rem; margin: 1.6rem 0 .5rem 0; border-bottom: 2px solid #16324f; }
        .impact-report .meta, .impact-report .note, .impact-report cite { color: #555; font-size: .85rem; }
        .impact-report .headline { display: flex; flex-wrap: wrap; gap: .6rem; margin: .8rem 0; }
        .impact-report .headline div { border: 1px solid #ccd; border-radius: .3rem; padding: .4rem .8rem; min-width: 8rem; }
        .impact-report .headline strong { display: block; font-size: 1.5rem; } .impact-report .headline .risk strong { color: #b00020; }
        .impact-report table { border-collapse: collapse; font-size: .85rem; margin: .3rem 0; }
        .impact-report th, .impact-report td { text-align: left; padding: .2rem .6rem .2rem 0; border-bottom: 1px solid #ddd; vertical-align: top; }
        .impact-report td.number, .impact-report th.number { text-align: right; }
        .impact-report tr.at-risk td { background: #fbe9eb; } .impact-report tr.at-risk td.risk { color: #b00020; font-weight: 600; }
        .impact-report .tallies { display: flex; flex-wrap: wrap; gap: 1.5rem; }
        .impact-report svg { max-width: 100%; height: auto; display: block; }
        .impact-report .unconfirmed { color: #b35c00; }
        """;

    /// <summary>The report as a whole HTML document.</summary>
    public static void Write(TextWriter w, ImpactAnalysis analysis, ImpactSummary summary, ImpactReportData data)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(analysis);
        w.Write("<!DOCTYPE html>\n<html lang=\"en\">\n<head>\n<meta charset=\"utf-8\" />\n<meta name=\"viewport\" content=\"width=device-width, initial-scale=1\" />\n");
        w.Write($"<title>Impact as known on {E(DateText.Date(analysis.KnownAsOf))}</title>\n</head>\n<body>\n");
        WriteReport(w, analysis, summary, data);
        w.Write("</body>\n</html>\n");
    }

    /// <summary>The report as one element (<c>&lt;section class="impact-report"&gt;</c> with its style) to embed in a page.</summary>
    public static void WriteReport(TextWriter w, ImpactAnalysis analysis, ImpactSummary summary, ImpactReportData data)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(analysis);
        ArgumentNullException.ThrowIfNull(summary);
        ArgumentNullException.ThrowIfNull(data);
        var day = analysis.KnownAsOf;
        w.Write($"<section class=\"impact-report\">\n<style>\n{Css}\n</style>\n");
        w.Write($"<h1>What the announced changes do to the order book, as known on {E(DateText.Date(day))}</h1>\n");
        w.Write($"<p class=\"meta\">Each open line is checked twice with the rules as known on {E(DateText.Date(day))}: under the rules in force that day, "
            + $"and on its planned ship date under every change known by then. A licence applied for on {E(DateText.Date(day))} is decided at the end of the standard review. "
            + $"Content {E(analysis.ContentVersion)}.</p>\n");
        Headline(w, summary);
        Causes(w, analysis, summary);
        Charts(w, data, day);
        w.Write("<h2>Totals</h2>\n<div class=\"tallies\">\n");
        Tallies(w, "By destination", "to", summary.ByDestination);
        Tallies(w, "By item", "item", summary.ByItem);
        Tallies(w, "By customer", "customer", summary.ByCustomer);
        w.Write("</div>\n");
        Lines(w, data, summary);
        w.Write("</section>\n");
    }

    private static void Headline(TextWriter w, ImpactSummary summary)
    {
        w.Write("<div class=\"headline\">\n");
        Figure(w, "lines", summary.Lines, "order lines read");
        Figure(w, "changed", summary.Total.Changed, "lines whose answer changes");
        Figure(w, "risk", summary.Total.AtRisk, "ship dates at risk");
        Figure(w, "license", summary.NeedLicense, "need a licence they do not hold");
        Figure(w, "covered", summary.StillCovered, "still covered by a licence held");
        if (summary.Relieved > 0)
        {
            Figure(w, "relieved", summary.Relieved, "relieved");
        }

        if (summary.Errors > 0)
        {
            Figure(w, "errors", summary.Errors, "lines in error (not analysed)");
        }

        w.Write($"<div class=\"risk value\"><strong>{E(ImpactText.Values(summary.Total.ValueAtRisk))}</strong>value at risk</div>\n");
        w.Write("</div>\n");
    }

    private static void Figure(TextWriter w, string kind, long count, string label) =>
        w.Write($"<div class=\"{kind}\"><strong>{Count(count)}</strong>{E(label)}</div>\n");

    private static void Causes(TextWriter w, ImpactAnalysis analysis, ImpactSummary summary)
    {
        w.Write("<h2>Causes</h2>\n");
        var causes = analysis.PendingChanges.Where(c => summary.ByCause.ContainsKey(c.Change.Subject)).DistinctBy(c => c.Change.Subject).ToList();
        if (causes.Count == 0)
        {
            w.Write($"<p>No change known on {E(DateText.Date(analysis.KnownAsOf))} and not yet in force changes a line of this book.</p>\n");
            return;
        }

        w.Write("<table class=\"causes\">\n<thead><tr><th>Rule</th><th>What changes</th><th>In force</th><th>Known</th>"
            + "<th class=\"number\">Lines</th><th class=\"number\">At risk</th><th>Value at risk</th></tr></thead>\n<tbody>\n");
        foreach (var cause in causes)
        {
            var c = cause.Change;
            var tally = summary.ByCause[c.Subject];
            w.Write($"<tr><td><strong>{E(c.Subject)}</strong><br /><span class=\"meta\">{E(cause.Jurisdiction)} {E(c.Kind)}</span></td>");
            w.Write($"<td>{E(c.Description)}<br />{Cite(c.Citation)}</td>");
            w.Write($"<td>{E(DateText.Date(c.Date))}</td>");
            w.Write(c.Known is { } known
                ? $"<td>{E(DateText.Date(known.Date))}<br />{Cite(known.Citation)}</td>"
                : "<td>when in force<br /><span class=\"meta\">the content gives no earlier announcement</span></td>");
            w.Write($"<td class=\"number\">{Count(tally.Changed)}</td><td class=\"number\">{Count(tally.AtRisk)}</td><td>{E(ImpactText.Values(tally.ValueAtRisk))}</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n");
    }

    private static string Cite(Citation citation)
    {
        var text = citation.Url is { } url && Uri.TryCreate(url, UriKind.Absolute, out var uri) && uri.Scheme is "https" or "http"
            ? $"<a href=\"{E(url)}\">{E(citation.Text)}</a>"
            : E(citation.Text);
        return $"<cite>{text}{(citation.Unconfirmed ? " <span class=\"unconfirmed\">(unconfirmed)</span>" : "")}</cite>";
    }

    private static void Charts(TextWriter w, ImpactReportData data, LocalDate day)
    {
        w.Write("<h2>Value at risk over time, by cause</h2>\n");
        var currencies = data.ValueAtRisk.Keys.Select(k => k.Currency).Distinct(StringComparer.Ordinal).ToList();
        if (currencies.Count == 0)
        {
            w.Write("<p>No line at risk carries a value.</p>\n");
        }

        foreach (var currency in currencies)
        {
            w.Write("<figure>\n");
            w.Write(ImpactCharts.ValueAtRisk(data, currency, day, "value-" + currency + "-"));
            w.Write($"<figcaption class=\"note\">The value of the lines at risk in {E(currency)}, added up by planned ship date from the report's day; "
                + "a line with two causes counts under each.</figcaption>\n</figure>\n");
        }

        w.Write("<h2>Licence lead time against planned ship dates</h2>\n");
        if (data.LeadTimes.Count == 0)
        {
            w.Write("<p>No changed line needs a licence that it does not hold.</p>\n");
            return;
        }

        w.Write("<figure>\n");
        w.Write(ImpactCharts.LeadTime(data, day, "lead-"));
        var rest = data.LeadTimes.Skip(ImpactCharts.LeadTimeRows).Sum(l => l.Value.Lines);
        w.Write("<figcaption class=\"note\">Each row is a planned ship date (with its number of lines) of the lines that now need a licence: "
            + "the bar runs from the report's day, when a licence would be applied for, to the end of the standard review; "
            + "a red dot is a ship date that comes before the decision."
            + (rest > 0 ? $" {Count(rest)} more line(s) planned later are not drawn." : "") + "</figcaption>\n</figure>\n");
    }

    private static void Tallies(TextWriter w, string title, string key, SortedDictionary<string, ImpactTally> tallies)
    {
        // The most at-risk first: a long tail of customers is counted, not listed.
        var rows = tallies.OrderByDescending(t => t.Value.AtRisk).ThenByDescending(t => t.Value.Changed).ThenBy(t => t.Key, StringComparer.Ordinal).Take(TallyRows).ToList();
        w.Write($"<div>\n<h3>{E(title)}</h3>\n<table>\n<thead><tr><th>{E(key)}</th><th class=\"number\">changed</th><th class=\"number\">at risk</th><th>value at risk</th></tr></thead>\n<tbody>\n");
        foreach (var (name, tally) in rows)
        {
            w.Write($"<tr><td>{E(name)}</td><td class=\"number\">{Count(tally.Changed)}</td><td class=\"number\">{Count(tally.AtRisk)}</td><td>{E(ImpactText.Values(tally.ValueAtRisk))}</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n");
        if (tallies.Count > rows.Count)
        {
            w.Write($"<p class=\"note\">{Count(tallies.Count - rows.Count)} more, with fewer lines at risk.</p>\n");
        }

        w.Write("</div>\n");
    }

    private static void Lines(TextWriter w, ImpactReportData data, ImpactSummary summary)
    {
        w.Write("<h2>Changed lines</h2>\n");
        if (data.Lines.Count == 0)
        {
            w.Write("<p>No line changes.</p>\n");
            return;
        }

        w.Write("<table class=\"lines\">\n<thead><tr><th>Line</th><th>Order</th><th>Customer</th><th>Ship date</th><th>Item</th><th>To</th>"
            + "<th>What changes</th><th>Licence needed</th><th class=\"number\">Review days</th><th>Earliest decision</th><th>At risk</th></tr></thead>\n<tbody>\n");
        foreach (var line in data.Lines)
        {
            var s = line.Shipment;
            var order = s.Order is null ? "" : s.Order + (s.OrderLine is null ? "" : "/" + s.OrderLine);
            var license = line.NeedsLicense ? string.Join(", ", line.LicenseNeeded) : line.StillCovered ? "covered by " + line.After.CoveredBy : "";
            var review = line.NeedsLicense && line.After.Determination.ReviewDays is { } days ? days.ToString(CultureInfo.InvariantCulture) : "";
            w.Write($"<tr class=\"{(line.AtRisk ? "at-risk" : "in-time")}\"><td>{E(s.Id?.Text ?? line.Line.ToString(CultureInfo.InvariantCulture))}</td>"
                + $"<td>{E(order)}</td><td>{E(ImpactSummary.CustomerOf(s))}</td><td>{E(DateText.Date(s.Date))}</td>"
                + $"<td>{E(string.Join(" ", s.Classifications))}</td><td>{E(s.To.Value)}</td><td>{E(ImpactText.WhatChanges(line))}</td>"
                + $"<td>{E(license)}</td><td class=\"number\">{review}</td><td>{(line.EarliestDecision is { } e ? E(DateText.Date(e)) : "")}</td>"
                + $"<td class=\"risk\">{(line.AtRisk ? "at risk" : "")}</td></tr>\n");
        }

        w.Write("</tbody>\n</table>\n");
        if (summary.Total.Changed > data.Lines.Count)
        {
            w.Write($"<p class=\"note\">The first {Count(data.Lines.Count)} of {Count(summary.Total.Changed)} changed lines; "
                + "<code>--output json</code> or <code>csv</code> lists every one.</p>\n");
        }
    }

    private static string Count(long count) => count.ToString("#,0", CultureInfo.InvariantCulture);

    /// <summary>Text from the book or the content, HTML-escaped (quotes too, for attributes).</summary>
    private static string E(string text) => WebUtility.HtmlEncode(text);
}
