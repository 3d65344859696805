using System.CommandLine;
using System.Text;
using Clearance.Application;
using Clearance.Evaluation;
using NodaTime;
using Spectre.Console;

namespace Clearance.Cli.Impact;

/// <summary>
/// <c>clearance impact --orders FILE --known-as-of DATE</c>: what the changes known on a day, not yet in force, do to an
/// order book. The analysis is the Application's <see cref="ImpactAnalysis"/>; this is flags and output only.
/// </summary>
internal static class ImpactCommand
{
    /// <summary>How many changed lines the table shows before it only counts them.</summary>
    private const int TableRows = 40;

    public static Command Create()
    {
        var orders = new Option<string?>("--orders", "--input", "-i")
        {
            HelpName = "FILE",
            Description = "open order lines (the shipment contract with order, line, customer; date is the planned ship date), or - for standard input",
        };
        var input = new InputOptions();
        var knownAsOf = KnownAsOfOption.Create();
        knownAsOf.Description = "the report's day (YYYY-MM-DD): the rules as known then; each line is compared between the rules in force that day and its planned ship date";
        var with = WithOption.Create();
        with.Description = "an overlay file of a hypothetical change (repeatable): each line on its planned date without and with it; the report's day is --known-as-of, else today";
        var rates = RatesOption.Create();
        var db = new Option<string?>("--db") { Description = "list database whose lists screen the end users, as in check (default: CLEARANCE_DB or the user data directory)" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var html = new Option<string?>("--html")
        {
            HelpName = "FILE",
            Description = "also write the report as a self-contained HTML page (headline numbers, causes, charts, totals, changed lines)",
        };
        var command = new Command("impact", "What announced changes do to an order book before they take effect: each line whose outcome changes, why, the licence now needed and whether its ship date is at risk.")
        {
            orders, input.Format, input.Encoding, knownAsOf, with, rates, db, output, html,
        };
        command.Validators.Add(result =>
        {
            if (result.GetResult(knownAsOf) is null && result.GetResult(with) is null)
            {
                result.AddError("--known-as-of is required (YYYY-MM-DD), unless --with gives an overlay of a hypothetical change");
            }
        });
        command.SetAction(parse =>
        {
            if (parse.GetValue(orders) is not { } path)
            {
                Console.Error.WriteLine("error: --orders: give the file of order lines (or - for standard input)");
                return ExitCodes.Failed;
            }

            if (!RatesOption.TryLoad(parse, rates, out var exchangeRates))
            {
                return ExitCodes.Failed;
            }

            ImpactAnalysis analysis;
            try
            {
                analysis = Analysis(parse.GetValue(knownAsOf), parse.GetValue(with) ?? [],
                    EndUserScreeningFactory.Open(parse.GetValue(db), Console.Error), exchangeRates);
            }
            catch (Clearance.Model.ContentValidationException e)
            {
                return WithOption.Report(e);
            }

            using var source = InputOptions.Open("--orders", path, parse.GetValue(input.Encoding), Console.Error);
            if (source is null)
            {
                return ExitCodes.Failed;
            }

            // Opened before the book is read: a path that cannot be written fails at once, not after the analysis.
            StreamWriter? htmlFile = null;
            if (parse.GetValue(html) is { } htmlPath)
            {
                try
                {
                    htmlFile = new StreamWriter(htmlPath, append: false, new UTF8Encoding(false));
                }
                catch (Exception e) when (e is IOException or UnauthorizedAccessException)
                {
                    Console.Error.WriteLine($"error: --html: '{htmlPath}': {e.Message}");
                    return ExitCodes.Failed;
                }
            }

            using var htmlWriter = htmlFile;
            var report = htmlFile is null ? null : new ImpactReportData();
            try
            {
                var lines = InputOptions.FormatOf(path, parse.GetValue(input.Format)) == InputFormat.Csv
                    ? CsvShipmentReader.Read(source, path)
                    : JsonLinesInput.Read(source);
                var summary = OutputOption.Resolve(parse.GetValue(output)) switch
                {
                    OutputFormat.Json => Json(analysis, lines, report),
                    OutputFormat.Csv => Csv(analysis, lines, report),
                    _ => Table(analysis, lines, report),
                };
                if (htmlWriter is not null && report is not null)
                {
                    ImpactHtml.Write(htmlWriter, analysis, summary, report);
                }

                return summary.Errors > 0 ? ExitCodes.SomeRecordsFailed : ExitCodes.Done;
            }
            catch (CsvHeaderException e)
            {
                Console.Error.WriteLine("error: --orders: " + e.Message);
                return ExitCodes.Failed;
            }
            catch (InputEncodingException e)
            {
                Console.Error.WriteLine($"error: --orders: '{path}': {e.Message}; the lines after it were not read");
                return ExitCodes.SomeRecordsFailed;
            }
        });
        return command;
    }

    /// <summary>
    /// Announced changes as known on a day, or a hypothetical change (overlays) from that day or, without one, from today
    /// (the clock is read here, never in the analysis).
    /// </summary>
    private static ImpactAnalysis Analysis(LocalDate? knownAsOf, string[] overlays, EndUserScreening screening, Clearance.Model.ExchangeRates? rates) =>
        overlays.Length == 0
            ? new ImpactAnalysis(ContentSetup.Content(), knownAsOf!.Value, screening, rates)
            : new ImpactAnalysis(ContentSetup.Content(knownAsOf), ContentSetup.Content(knownAsOf, overlays),
                knownAsOf ?? LocalDate.FromDateTime(DateTime.Now), screening, rates);

    private static ImpactSummary Json(ImpactAnalysis analysis, IEnumerable<ShipmentLine> lines, ImpactReportData? report)
    {
        using var stdout = Console.OpenStandardOutput();
        return ImpactBatch.Run(analysis, lines, stdout, report is null ? null : report.Add);
    }

    private static readonly string[] CsvHeader =
        ["id", "line", "order", "order_line", "customer", "date", "to", "item", "value_amount", "value_currency", "before", "after",
         "before_licenses", "after_licenses", "license_needed", "review_days", "earliest_decision", "at_risk", "still_covered", "causes", "known"];

    /// <summary>One row per changed line; input errors go to standard error as one line each.</summary>
    private static ImpactSummary Csv(ImpactAnalysis analysis, IEnumerable<ShipmentLine> lines, ImpactReportData? report)
    {
        var summary = new ImpactSummary();
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new UTF8Encoding(false)) { NewLine = "\n" };
        ResultCsv.Row(stdout, CsvHeader);
        foreach (var line in lines)
        {
            var result = analysis.Analyse(line);
            summary.Add(result);
            if (result.Checked.Error is { } error)
            {
                Console.Error.WriteLine("error: " + error.Message);
            }
            else if (result.Changed is { } c)
            {
                report?.Add(c);
                var s = c.Shipment;
                ResultCsv.Row(stdout, new[]
                {
                    ResultCsv.Inert(s.Id?.Text ?? ""), c.Line.ToString(System.Globalization.CultureInfo.InvariantCulture), ResultCsv.Inert(s.Order ?? ""), ResultCsv.Inert(s.OrderLine ?? ""), ResultCsv.Inert(s.Customer ?? ""),
                    Iso(s.Date), s.To.Value, string.Join(";", s.Classifications),
                    s.Value?.Amount.ToString(System.Globalization.CultureInfo.InvariantCulture) ?? "", s.Value?.Currency ?? "",
                    Determination.Name(c.Before.Determination.Verdict), Determination.Name(c.After.Determination.Verdict),
                    string.Join(";", c.Before.Determination.EligibleLicenses), string.Join(";", c.After.Determination.EligibleLicenses),
                    string.Join(";", c.LicenseNeeded), c.NeedsLicense && c.After.Determination.ReviewDays is { } days ? days.ToString(System.Globalization.CultureInfo.InvariantCulture) : "",
                    c.EarliestDecision is { } e ? Iso(e) : "", c.AtRisk ? "true" : "false", c.StillCovered ? "true" : "false",
                    string.Join(";", c.Causes.Select(x => $"{x.Change.Subject} ({Iso(x.Change.Date)})")),
                    string.Join(";", c.Causes.Select(x => x.Change.Known is { } k ? Iso(k.Date) : "")),
                });
            }
        }

        return summary;
    }

    /// <summary>The first changed lines, then the totals by cause and by destination, for a person at a terminal.</summary>
    private static ImpactSummary Table(ImpactAnalysis analysis, IEnumerable<ShipmentLine> lines, ImpactReportData? report)
    {
        var summary = new ImpactSummary();
        var shown = new List<ImpactLine>();
        var errors = new List<string>();
        foreach (var line in lines)
        {
            var result = analysis.Analyse(line);
            summary.Add(result);
            if (result.Checked.Error is { } error && errors.Count < 10)
            {
                errors.Add(error.Message);
            }
            else if (result.Changed is { } c)
            {
                report?.Add(c);
                if (shown.Count < TableRows)
                {
                    shown.Add(c);
                }
            }
        }

        var console = AnsiConsole.Console;
        console.MarkupLine($"[bold]Impact as known on {DateText.Date(analysis.KnownAsOf)}[/]: {summary.Lines} line(s), "
            + $"[bold]{summary.Total.Changed}[/] changed, [red]{summary.Total.AtRisk} at risk[/], {summary.NeedLicense} need a licence they do not hold, "
            + $"{summary.StillCovered} still covered by a licence held, {summary.Relieved} relieved");
        if (shown.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).Expand()
                .AddColumn("line")
                .AddColumn("ship date")
                .AddColumn("item, to")
                .AddColumn("what changes")
                .AddColumn("licence now");
            foreach (var c in shown)
            {
                var decision = c.NeedsLicense
                    ? $"{string.Join(", ", c.LicenseNeeded)}{(c.After.Determination.ReviewDays is { } d ? $"; {d}-day review" : "")}{(c.EarliestDecision is { } e ? $", by {DateText.Date(e)}" : "")}"
                    : c.StillCovered ? $"covered by {c.After.CoveredBy}" : "";
                table.AddRow(
                    TerminalText.Markup(c.Shipment.Id?.Text ?? c.Line.ToString(System.Globalization.CultureInfo.InvariantCulture)),
                    (c.AtRisk ? "[red]" : "[green]") + TerminalText.Markup(DateText.Date(c.Shipment.Date)) + (c.AtRisk ? "\nat risk[/]" : "[/]"),
                    TerminalText.Markup($"{string.Join(" ", c.Shipment.Classifications)} to {c.Shipment.To.Value}"),
                    TerminalText.Markup(ImpactText.WhatChanges(c)),
                    TerminalText.Markup(decision));
            }

            console.Write(table);
            if (summary.Total.Changed > shown.Count)
            {
                console.MarkupLine($"[grey]the first {shown.Count} of {summary.Total.Changed} changed lines; --output json or csv lists every one[/]");
            }
        }

        if (summary.ByCause.Count > 0)
        {
            var causes = new Table().Border(TableBorder.Rounded).Expand().AddColumn("cause").AddColumn("in force").AddColumn("known").AddColumn("lines").AddColumn("at risk");
            foreach (var cause in analysis.PendingChanges.Where(c => summary.ByCause.ContainsKey(c.Change.Subject)).DistinctBy(c => c.Change.Subject))
            {
                var tally = summary.ByCause[cause.Change.Subject];
                causes.AddRow(
                    TerminalText.Markup($"{cause.Change.Subject} ({cause.Change.Kind})"),
                    TerminalText.Markup(DateText.Date(cause.Change.Date)),
                    TerminalText.Markup(cause.Change.Known is { } k ? DateText.Date(k.Date) : "when in force"),
                    tally.Changed.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    tally.AtRisk.ToString(System.Globalization.CultureInfo.InvariantCulture));
            }

            console.Write(causes);
        }

        if (summary.ByDestination.Count > 0)
        {
            var destinations = new Table().Border(TableBorder.Rounded).AddColumn("to").AddColumn("changed").AddColumn("at risk").AddColumn("value at risk");
            foreach (var (to, tally) in summary.ByDestination)
            {
                destinations.AddRow(to, tally.Changed.ToString(System.Globalization.CultureInfo.InvariantCulture), tally.AtRisk.ToString(System.Globalization.CultureInfo.InvariantCulture),
                    TerminalText.Markup(ImpactText.Values(tally.ValueAtRisk)));
            }

            console.Write(destinations);
        }

        foreach (var error in errors)
        {
            Console.Error.WriteLine("error: " + error);
        }

        console.MarkupLine($"[grey]content {TerminalText.Markup(analysis.ContentVersion)}; parties screened as by check[/]");
        return summary;
    }

    private static string Iso(LocalDate d) => NodaTime.Text.LocalDatePattern.Iso.Format(d);
}
