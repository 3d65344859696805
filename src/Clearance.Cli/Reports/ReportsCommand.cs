using System.CommandLine;
using System.Globalization;
using Clearance.Application;
using Clearance.Licensing;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Reports;

/// <summary><c>clearance reports</c>: open holds, licence balances and expiries, screening alerts awaiting review, officer overrides.</summary>
internal static class ReportsCommand
{
    public static Command Create()
    {
        var command = new Command("reports", "Reports for the compliance team: open holds, licence balances and expiries, screening alerts awaiting review, officer overrides.");
        command.Subcommands.Add(CreateHolds());
        command.Subcommands.Add(CreateLicenses());
        command.Subcommands.Add(CreateAlerts());
        command.Subcommands.Add(CreateOverrides());
        return command;
    }

    private static Command CreateHolds()
    {
        var detail = new Option<bool>("--detail") { Description = "name the held lines of each group" };
        var command = new Command("holds", "Open holds by reason and by destination: how many lines, and when the longest-held of them was held.") { detail };
        return Report(command, reports => reports.Holds(),
            (report, parse) => ReportsJson.Holds(report, parse.GetValue(detail)),
            (report, parse) => ReportsJson.HoldsCsv(report, parse.GetValue(detail)),
            (report, parse) => HoldsTable(report, parse.GetValue(detail)));
    }

    private static void HoldsTable(HoldsReport report, bool detail)
    {
        if (report.Lines == 0)
        {
            AnsiConsole.MarkupLine("No held lines.");
            return;
        }

        foreach (var (by, groups) in new[] { ("reason", report.ByReason), ("destination", report.ByDestination) })
        {
            var table = new Table().Border(TableBorder.Rounded).Title("held lines by " + by).AddColumns(by, "lines", "oldest hold");
            table.Columns[1].RightAligned();
            table.Columns[2].NoWrap();
            if (detail)
                table.AddColumn("held lines");
            foreach (var g in groups)
            {
                var row = new List<string> { TerminalText.Markup(g.Key.Length == 0 ? "(none)" : g.Key), Count(g.Lines), Day(g.OldestHold) };
                if (detail)
                    row.Add(TerminalText.Markup(string.Join(", ", g.Ids)));
                table.AddRow([.. row]);
            }

            AnsiConsole.Write(table);
        }

        AnsiConsole.MarkupLine($"{Count(report.Lines)} held line(s); the longest held since {Day(report.OldestHold!.Value)}");
    }

    private static Command CreateLicenses()
    {
        var within = new Option<string>("--within") { Description = "the expiry window: licences whose last valid day is within this many days of --date, e.g. 90d (default)", DefaultValueFactory = _ => "90d" };
        var date = new DateOption("the date balances and expiry are seen from (default: today, UTC)");
        var command = new Command("licenses", "Each licence's balance (quantity and value drawn and remaining, share used) and those expiring within the window.") { within };
        date.AddTo(command);
        return Report(command,
            (reports, parse) => Days(parse.GetValue(within)!) is { } days && Lists.ListsCommand.Today(parse, date) is { } today
                ? new LicensesReport(reports.Licenses(today, days), today, days)
                : null,
            (report, _) => ReportsJson.Licenses(report.Lines),
            (report, _) => ReportsJson.LicensesCsv(report.Lines),
            (report, _) => LicensesTable(report.Lines, report.Today, report.Days));
    }

    /// <summary>The licences seen from <paramref name="Today"/>, with the expiry window of <paramref name="Days"/> days.</summary>
    private sealed record LicensesReport(IReadOnlyList<LicenseBalanceLine> Lines, LocalDate Today, int Days);

    /// <summary>The days of <c>--within</c> (<c>90d</c> or <c>90</c>), or null with the error written.</summary>
    private static int? Days(string text)
    {
        var digits = text.EndsWith('d') ? text[..^1] : text;
        if (int.TryParse(digits, NumberStyles.None, CultureInfo.InvariantCulture, out var days))
            return days;
        Console.Error.WriteLine($"error: --within: '{text}' is not a number of days such as 90d");
        return null;
    }

    private static void LicensesTable(IReadOnlyList<LicenseBalanceLine> lines, LocalDate today, int days)
    {
        if (lines.Count == 0)
        {
            AnsiConsole.MarkupLine("No licences.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("number", "licence", "drawn / limit", "used", "last day");
        table.Columns[0].NoWrap(); // a licence number is looked up as a whole: never broken over lines
        table.Columns[3].RightAligned();
        table.Columns[4].NoWrap();
        foreach (var line in lines)
        {
            var (l, b) = (line.Record.License, line.Record.Balance);
            var expires = line.DaysLeft switch
            {
                null => "open-ended",
                < 0 => $"{LocalDatePattern.Iso.Format(ReportsJson.LastDay(l)!.Value)}\n[grey]ended[/]",
                var d => $"{LocalDatePattern.Iso.Format(ReportsJson.LastDay(l)!.Value)}\n{(line.Expiring ? $"[yellow]in {d} days[/]" : $"in {d} days")}",
            };
            // The quantity and the value each on a line of its own, so that neither is broken inside an amount.
            var drawn = new[] { Drawn(b.QuantityDrawn, l.Quantity), Drawn(b.ValueDrawn, l.Value) }.Where(t => t.Length > 0);
            table.AddRow(
                TerminalText.Markup(l.Number),
                TerminalText.Markup($"{l.Jurisdiction} {l.Type}\n{License.Name(l.State)}"),
                TerminalText.Markup(string.Join("\n", drawn)),
                line.Used is { } used ? (used >= 100 ? $"[red]{used:0.#} %[/]" : $"{used:0.#} %") : "",
                expires);
        }

        AnsiConsole.Write(table);
        var expiring = lines.Where(l => l.Expiring).Select(l => l.Record.License.Number).ToList();
        AnsiConsole.MarkupLine(TerminalText.Markup(
            $"{lines.Count} licence(s); {expiring.Count} expiring within {days} days of {LocalDatePattern.Iso.Format(today)}{(expiring.Count == 0 ? "" : ": " + string.Join(", ", expiring))}"));
    }

    /// <summary><c>300 / 500 kg</c>: drawn of the limit; empty without a limit.</summary>
    private static string Drawn(decimal drawn, LicenseLimit? limit) =>
        limit is { } l ? $"{LicenseJson.Text(drawn, null)} / {LicenseJson.Text(l.Amount, l.Unit)}" : "";

    private static Command CreateAlerts()
    {
        var command = new Command("alerts", "Screening alerts awaiting review: the held lines' screening matches by party and list entry, with how many lines each holds and its best score.");
        return Report(command, reports => reports.Alerts(),
            (alerts, _) => ReportsJson.Alerts(alerts), (alerts, _) => ReportsJson.AlertsCsv(alerts), (alerts, _) => AlertsTable(alerts));
    }

    private static void AlertsTable(IReadOnlyList<ScreeningAlert> alerts)
    {
        if (alerts.Count == 0)
        {
            AnsiConsole.MarkupLine("No screening alerts awaiting review.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("party", "list entry", "lines", "best score", "oldest hold");
        table.Columns[2].RightAligned();
        table.Columns[3].RightAligned();
        table.Columns[4].NoWrap();
        foreach (var a in alerts)
        {
            table.AddRow(
                TerminalText.Markup($"{a.Party}\n({string.Join(", ", a.Roles)})"),
                TerminalText.Markup($"{a.List} {a.Entity}\n{a.EntryName}"),
                Count(a.Lines),
                a.BestScore.ToString("0.00", CultureInfo.InvariantCulture),
                Day(a.OldestHold));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Count(alerts.Count)} alert(s) awaiting review, holding {Count(alerts.SelectMany(a => a.Ids).Distinct().Count())} line(s)");
    }

    private static Command CreateOverrides()
    {
        var command = new Command("overrides", "Lines released by an officer over their open reasons: who, when and why, and the line's status now.");
        return Report(command, reports => reports.Overrides(),
            (overrides, _) => ReportsJson.Overrides(overrides), (overrides, _) => ReportsJson.OverridesCsv(overrides), (overrides, _) => OverridesTable(overrides));
    }

    private static void OverridesTable(IReadOnlyList<OfficerOverride> overrides)
    {
        if (overrides.Count == 0)
        {
            AnsiConsole.MarkupLine("No lines released by officer override.");
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).AddColumns("line", "released", "by", "reason", "now");
        table.Columns[0].NoWrap();
        table.Columns[1].NoWrap();
        foreach (var o in overrides)
        {
            table.AddRow(
                TerminalText.Markup(o.Id),
                InstantPattern.CreateWithInvariantCulture("uuuu'-'MM'-'dd HH':'mm").Format(o.At),
                TerminalText.Markup(o.Actor),
                TerminalText.Markup(o.Reason),
                TerminalText.Markup(o.Status + (o.License is null ? "" : " on " + o.License)));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{Count(overrides.Count)} override(s)");
    }

    /// <summary>A report command that needs no further input than the database.</summary>
    private static Command Report<T>(Command command, Func<WorkflowReports, T> query, Func<T, ParseResult, IEnumerable<string>> json,
        Func<T, ParseResult, IEnumerable<string>> csv, Action<T, ParseResult> table)
        where T : class =>
        Report(command, (reports, _) => query(reports), json, csv, table);

    /// <summary>
    /// Adds <c>--output</c> and <c>--db</c> and the action: the report (null when the options were wrong, the error
    /// written), then JSON Lines, CSV or a table.
    /// </summary>
    private static Command Report<T>(Command command, Func<WorkflowReports, ParseResult, T?> query, Func<T, ParseResult, IEnumerable<string>> json,
        Func<T, ParseResult, IEnumerable<string>> csv, Action<T, ParseResult> table)
        where T : class
    {
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var db = Licenses.LicensesCommand.DbOption();
        command.Options.Add(output);
        command.Options.Add(db);
        command.SetAction(parse =>
        {
            if (Licenses.LicensesCommand.OpenStore(parse.GetValue(db), WorkflowReports.Open) is not { } reports || query(reports, parse) is not { } report)
            {
                return ExitCodes.Failed;
            }

            switch (OutputOption.Resolve(parse.GetValue(output)))
            {
                case OutputFormat.Json:
                    foreach (var line in json(report, parse))
                        Console.Out.WriteLine(line);
                    break;
                case OutputFormat.Csv:
                    foreach (var line in csv(report, parse))
                        Console.Out.WriteLine(line);
                    break;
                default:
                    table(report, parse);
                    break;
            }

            return ExitCodes.Done;
        });
        return command;
    }

    private static string Count(int n) => n.ToString("N0", CultureInfo.InvariantCulture);

    private static string Day(Instant at) => LocalDatePattern.Iso.Format(at.InUtc().Date);
}
