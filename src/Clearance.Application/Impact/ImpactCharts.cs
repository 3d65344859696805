using System.Globalization;
using System.Text.RegularExpressions;
using NodaTime;
using ScottPlot;

namespace Clearance.Application;

/// <summary>
/// The impact report's two charts, drawn with ScottPlot and rendered to SVG for embedding in the page: the value at
/// risk over the planned ship dates, one series per cause, and the licence lead time against the planned ship dates.
/// </summary>
internal static partial class ImpactCharts
{
    private const int Width = 960;

    /// <summary>Rows of the lead-time chart; later planned dates are counted under it.</summary>
    public const int LeadTimeRows = 60;

    private static readonly Color AtRisk = Color.FromHex("#b00020");
    private static readonly Color InTime = Color.FromHex("#1e7b34");
    private static readonly Color ReportDay = Color.FromHex("#16324f");
    private static readonly Color ReviewEnd = Color.FromHex("#b35c00");

    /// <summary>
    /// The cumulative value of the at-risk lines in <paramref name="currency"/> by planned ship date, one step line per
    /// cause, from the report's day on.
    /// </summary>
    public static string ValueAtRisk(ImpactReportData data, string currency, LocalDate knownAsOf, string idPrefix)
    {
        var byCause = data.ValueAtRisk.Where(v => v.Key.Currency == currency).GroupBy(v => v.Key.Cause, StringComparer.Ordinal).ToList();
        var last = byCause.SelectMany(c => c).Max(v => v.Key.Date);
        var total = byCause.Max(c => c.Sum(v => v.Value));
        // Amounts of a yen book run to billions: an axis in millions reads better than 1.5E+09.
        var (scale, unit) = total >= 10_000_000m ? (1_000_000m, "million " + currency) : (1m, currency);
        var plot = NewPlot();
        foreach (var (cause, index) in byCause.Select((c, i) => (c, i)))
        {
            List<double> xs = [X(knownAsOf)];
            List<double> ys = [0];
            var sum = 0m;
            foreach (var day in cause.OrderBy(v => v.Key.Date))
            {
                sum += day.Value;
                xs.Add(X(day.Key.Date));
                ys.Add((double)(sum / scale));
            }

            xs.Add(X(last.PlusDays(7)));
            ys.Add((double)(sum / scale));
            var series = plot.Add.Scatter(xs.ToArray(), ys.ToArray());
            series.ConnectStyle = ConnectStyle.StepHorizontal;
            // Causes announced together often put the same lines at risk: each line is drawn narrower than the one
            // before it and every other one dashed, so one drawn on top of another leaves both visible.
            series.LineWidth = 2 + (1.5f * (byCause.Count - 1 - index));
            series.LinePattern = index % 2 == 0 ? LinePattern.Solid : LinePattern.Dashed;
            series.MarkerSize = 0;
            series.LegendText = cause.Key;
        }

        MarkReportDay(plot, knownAsOf);
        DateAxis(plot);
        plot.Axes.Left.Label.Text = $"value at risk, cumulative ({unit})";
        plot.Axes.Bottom.Label.Text = "planned ship date";
        plot.Axes.SetLimitsY(0, (double)(total / scale) * 1.1);
        plot.ShowLegend(Alignment.UpperLeft);
        return Svg(plot, Width, 380, idPrefix);
    }

    /// <summary>
    /// One row per planned ship date and earliest decision (the first <see cref="LeadTimeRows"/> by date): a bar from the
    /// report's day to the end of the standard review, and a dot on the planned ship date, red when it comes before the
    /// decision; the report's day and each review end marked across the chart.
    /// </summary>
    public static string LeadTime(ImpactReportData data, LocalDate knownAsOf, string idPrefix)
    {
        var rows = data.LeadTimes.Take(LeadTimeRows).ToList();
        var plot = NewPlot();
        var ticks = new ScottPlot.TickGenerators.NumericManual();
        bool legendAtRisk = false, legendInTime = false;
        for (var i = 0; i < rows.Count; i++)
        {
            var ((planned, decision), count) = rows[i];
            var y = -i;
            var lead = plot.Add.Line(X(knownAsOf), y, X(decision), y);
            lead.LineWidth = 5;
            lead.LineColor = ReportDay.WithAlpha(0.35);
            lead.MarkerSize = 0;
            var late = planned < decision;
            var dot = plot.Add.Marker(X(planned), y, MarkerShape.FilledCircle, 9, late ? AtRisk : InTime);
            if (late && !legendAtRisk)
            {
                dot.LegendText = "planned ship date before the decision (at risk)";
                legendAtRisk = true;
            }
            else if (!late && !legendInTime)
            {
                dot.LegendText = "planned ship date after the decision";
                legendInTime = true;
            }

            ticks.AddMajor(y, string.Create(CultureInfo.InvariantCulture, $"{DateText.Date(planned)} ({count.Lines})"));
        }

        var today = MarkReportDay(plot, knownAsOf);
        today.LegendText = "report's day: a licence applied for";
        foreach (var (decision, index) in rows.Select(r => r.Key.Decision).Distinct().Select((d, i) => (d, i)))
        {
            var end = plot.Add.VerticalLine(X(decision), 2, ReviewEnd, LinePattern.Dashed);
            if (index == 0)
            {
                end.LegendText = $"end of the {NodaTime.Period.DaysBetween(knownAsOf, decision)}-day standard review";
            }
        }

        plot.Axes.Left.TickGenerator = ticks;
        plot.Axes.Left.Label.Text = "planned ship date (lines)";
        plot.Axes.Bottom.Label.Text = "date";
        DateAxis(plot);
        plot.Axes.SetLimitsY(-rows.Count + 0.4, 0.6);
        plot.ShowLegend(Alignment.UpperRight);
        return Svg(plot, Width, 140 + (18 * rows.Count), idPrefix);
    }

    private static Plot NewPlot()
    {
        var plot = new Plot();
        plot.Font.Set("DejaVu Sans");
        return plot;
    }

    private static ScottPlot.Plottables.VerticalLine MarkReportDay(Plot plot, LocalDate knownAsOf) => plot.Add.VerticalLine(X(knownAsOf), 2, ReportDay);

    private static void DateAxis(Plot plot)
    {
        plot.Axes.DateTimeTicksBottom();
        if (plot.Axes.Bottom.TickGenerator is ScottPlot.TickGenerators.DateTimeAutomatic dates)
        {
            dates.LabelFormatter = d => d.ToString("d MMM yyyy", CultureInfo.InvariantCulture);
        }
    }

    private static double X(LocalDate date) => date.ToDateTimeUnspecified().ToOADate();

    /// <summary>
    /// The chart as an SVG element to put inside HTML: without the XML declaration, scaling with the page, and with its
    /// ids (clip paths) prefixed, as two charts on one page would otherwise share them.
    /// </summary>
    private static string Svg(Plot plot, int width, int height, string idPrefix)
    {
        var svg = plot.GetSvgXml(width, height);
        svg = svg[svg.IndexOf("<svg", StringComparison.Ordinal)..];
        svg = Id().Replace(svg, m => m.Groups[1].Value + idPrefix + m.Groups[2].Value);
        return svg.Replace("<svg ", $"<svg viewBox=\"0 0 {width} {height}\" role=\"img\" ", StringComparison.Ordinal);
    }

    [GeneratedRegex("""(id="|url\(#|href="#)([^"\)]+)""")]
    private static partial Regex Id();
}
