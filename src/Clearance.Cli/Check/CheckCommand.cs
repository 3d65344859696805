using System.CommandLine;
using Clearance.Application;
using Clearance.Content;
using Clearance.Evaluation;
using Spectre.Console;

namespace Clearance.Cli.Check;

/// <summary><c>clearance check</c>: determinations for one shipment from flags or many from JSON Lines / CSV.</summary>
internal static class CheckCommand
{
    public static Command Create()
    {
        var input = new Option<string?>("--input", "-i") { Description = "JSON Lines or CSV file of shipments ('-' for stdin)" };
        var id = new Option<string?>("--id") { Description = "shipment id echoed in the result" };
        var date = new Option<string?>("--date") { Description = "export date YYYY-MM-DD (the as-of date)" };
        var from = new Option<string?>("--from") { Description = "exporting country (selects the jurisdiction), e.g. JP" };
        var to = new Option<string?>("--to") { Description = "destination country, ISO 3166-1 alpha-2" };
        var item = new Option<string[]>("--item")
        {
            Description = "classification REGIME:code, e.g. JP:3(1), JP:7, KR:3C002; repeatable for several regimes (JP:7(19) US:3B993): every regime that governs the export answers",
            AllowMultipleArgumentsPerToken = true,
        };
        var endUse = new Option<string?>("--end-use") { Description = "civil | wmd | conventional-military | unknown" };
        var endUser = new Option<string?>("--end-user") { Description = "end user name (screened against the jurisdiction's end-user list; other lists give warnings)" };
        var decision = new Option<string?>("--end-user-decision")
        {
            Description = "confirmed | cleared: the decision on a possible end-user-list match (ignored when the match is strong or there is none)",
        };
        var informed = new Option<bool>("--informed") { Description = "the authority has informed the exporter of a concern" };
        var held = new Option<string[]>("--held") { Description = "licence type ids the exporter holds", AllowMultipleArgumentsPerToken = true };
        var value = new Option<string?>("--value") { Description = "value of the shipment: amount and ISO 4217 currency, e.g. --value \"1200.50 USD\"" };
        var quantity = new Option<string?>("--quantity") { Description = "quantity of the shipment: amount and unit, e.g. --quantity \"5 kg\"" };
        var fact = new Option<string[]>("--fact")
        {
            Description = "a fact the governing regime declares, id=value; repeatable: --fact military_end_user=true --fact \"power=1500 W\"",
        };
        var rates = new Option<string?>("--rates") { Description = "exchange rates file (CSV date,base,quote,rate) to compare values with limits in another currency" };
        var trace = new Option<bool>("--trace") { Description = "include every rule consulted in the JSON output" };
        var output = OutputOption.Create();
        var db = new Option<string?>("--db") { Description = "list database (default: CLEARANCE_DB or the user data directory)" };

        var command = new Command("check", "Determine whether shipments need a licence, on which grounds, and which licence types can authorise them.")
        {
            input, id, date, from, to, item, endUse, endUser, decision, informed, held, value, quantity, fact, rates, trace, output, db,
        };
        command.SetAction(parse =>
        {
            var format = OutputOption.Resolve(parse.GetValue(output));
            Evaluator evaluator;
            try
            {
                evaluator = ContentSetup.Evaluator(parse.GetValue(rates));
            }
            catch (FormatException e)
            {
                Console.Error.WriteLine("error: --rates: " + e.Message);
                return ExitCodes.Failed;
            }

            var service = new CheckService(evaluator, EndUserScreeningFactory.Open(parse.GetValue(db), Console.Error));
            var json = new ResultJson(parse.GetValue(trace));
            var path = parse.GetValue(input);
            if (path is null)
            {
                var (valueAmount, currency) = Split(parse.GetValue(value));
                var (quantityAmount, unit) = Split(parse.GetValue(quantity));
                var shipment = new ShipmentText(
                    new ShipmentId(parse.GetValue(id) ?? "cli", false), parse.GetValue(date), parse.GetValue(from), parse.GetValue(to),
                    parse.GetValue(item) is { Length: > 0 } items ? items : null, parse.GetValue(endUse), parse.GetValue(endUser), parse.GetValue(informed),
                    parse.GetValue(held) ?? [], valueAmount is not null, valueAmount, currency, quantityAmount is not null, quantityAmount, unit,
                    parse.GetValue(decision), Facts(parse.GetValue(fact))).Validate(line: 1);
                return Run(format, service, json, [shipment], null);
            }

            if (parse.GetValue(date) is not null || parse.GetValue(item) is { Length: > 0 } || parse.GetValue(fact) is { Length: > 0 })
            {
                Console.Error.WriteLine("error: give either --input or the shipment flags (--date, --from, --to, --item, ...), not both");
                return ExitCodes.Failed;
            }

            if (path != "-" && !File.Exists(path))
            {
                Console.Error.WriteLine($"error: --input: file '{path}' not found");
                return ExitCodes.Failed;
            }

            using var source = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            try
            {
                if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    return Run(format, service, json, CsvShipmentReader.Read(source, path), null);
                }

                var size = path != "-" && format == OutputFormat.Json && !Console.IsErrorRedirected ? new FileInfo(path).Length : 0;
                return size > 8 << 20 ? RunWithProgress(service, json, source, size) : Run(format, service, json, JsonLinesInput.Read(source), null);
            }
            catch (CsvHeaderException e)
            {
                Console.Error.WriteLine("error: --input: " + e.Message);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>"1200.50 USD" as its two parts; a lone amount leaves the second part missing (reported by validation).</summary>
    private static (string? Amount, string? Unit) Split(string? flag)
    {
        if (flag is null)
        {
            return (null, null);
        }

        var parts = flag.Split(' ', 2, StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
        return (parts.Length > 0 ? parts[0] : "", parts.Length > 1 ? parts[1] : null);
    }

    /// <summary>"id=value" flags as facts; a flag without '=' keeps no value (reported by validation).</summary>
    private static FactText[]? Facts(string[]? flags) => flags is { Length: > 0 }
        ? [.. flags.Select(f => f.Split('=', 2) is [var id, var text] ? new FactText(id.Trim(), text.Trim()) : new FactText(f.Trim(), null))]
        : null;

    private static int Run(OutputFormat format, CheckService service, ResultJson json, IEnumerable<ShipmentLine> lines, Action<long>? progress)
    {
        if (format == OutputFormat.Json)
        {
            using var stdout = Console.OpenStandardOutput();
            return CheckBatch.Run(service, json, lines, stdout).Errors == 0 ? ExitCodes.Done : ExitCodes.SomeRecordsFailed;
        }

        var results = lines.Select(service.Check).ToList();
        RenderTable(results);
        return results.Any(r => r.Error is not null) ? ExitCodes.SomeRecordsFailed : ExitCodes.Done;
    }

    private static int RunWithProgress(CheckService service, ResultJson json, Stream source, long size)
    {
        var exit = 0;
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            .Progress()
            .Start(ctx =>
            {
                var task = ctx.AddTask("checking", maxValue: size);
                exit = Run(OutputFormat.Json, service, json, JsonLinesInput.Read(source, consumed => task.Value = consumed), null);
                task.Value = size;
            });
        return exit;
    }

    private static void RenderTable(List<CheckedLine> results)
    {
        if (results is [{ Result: { } single }])
        {
            RenderOne(single);
            return;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumns("id", "as of", "verdict", "eligible licences", "review", "grounds", "explanation");
        foreach (var line in results)
        {
            if (line.Result is not { } r)
            {
                table.AddRow(TerminalText.Markup(line.Id?.Text ?? ""), "", "[red]error[/]", "", "", TerminalText.Markup(line.Error!.Code), TerminalText.Markup(line.Error.Message));
                continue;
            }

            var d = r.Determination;
            var eligible = string.Join("\n", d.EligibleLicenses.Select(l => l == r.CoveredBy || (r.CoveredBy?.Split(" + ").Contains(l) ?? false) ? l + " (held)" : l));
            var grounds = string.Join("\n", d.Grounds.Select(g => $"{Clearance.Model.Names.Of(g.Kind)}: {g.Citation.Text}"));
            table.AddRow(
                TerminalText.Markup(line.Id?.Text ?? ""),
                NodaTime.Text.LocalDatePattern.Iso.Format(r.Shipment.Date),
                VerdictMarkup(d.Verdict, bold: false),
                TerminalText.Markup(eligible),
                d.ReviewDays is { } days ? $"{days} days" : "",
                TerminalText.Markup(grounds),
                TerminalText.Markup(d.Explanation + (d.Unconfirmed.Count > 0 ? "\nUnconfirmed: " + string.Join("; ", d.Unconfirmed) : "")));
        }

        AnsiConsole.Write(table);
        if (results.FirstOrDefault(r => r.Result is not null).Result is { } first)
        {
            AnsiConsole.MarkupLine($"[grey]content {TerminalText.Markup(first.Determination.ContentVersion)}[/]");
        }
    }

    private static string VerdictMarkup(Verdict verdict, bool bold) => verdict switch
    {
        Verdict.Prohibited => "[red bold]prohibited[/]",
        Verdict.LicenseRequired => bold ? "[yellow bold]license-required[/]" : "[yellow]license-required[/]",
        Verdict.Indeterminate => bold ? "[fuchsia bold]indeterminate[/]" : "[fuchsia]indeterminate[/]",
        _ => bold ? "[green bold]no-license-required[/]" : "[green]no-license-required[/]",
    };

    /// <summary>One shipment: a field/value grid, readable at any terminal width; with several regimes, the combined answer and then each regime's.</summary>
    private static void RenderOne(CheckResult r)
    {
        var d = r.Determination;
        var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        void Row(string field, string value) => grid.AddRow($"[bold]{field}[/]", value);
        Row("verdict", VerdictMarkup(d.Verdict, bold: true));
        Row("as of", NodaTime.Text.LocalDatePattern.Iso.Format(r.Shipment.Date));
        Row("jurisdiction", TerminalText.Markup(d.Jurisdiction));
        if (r.IsCombined)
        {
            foreach (var regime in r.Regimes)
            {
                var rd = regime.Determination;
                Row($"regime {TerminalText.Markup(regime.Jurisdiction.Id)}", VerdictMarkup(rd.Verdict, bold: false) + TerminalText.Markup(
                    $"\n{ItemText(regime)}{(rd.EligibleLicenses.Count > 0 ? "\neligible: " + string.Join(", ", rd.EligibleLicenses) : "")}\n{rd.Explanation}"));
            }
        }
        else
        {
            Row("item", TerminalText.Markup(ItemText(r.Primary)));
        }

        Row("destination groups", TerminalText.Markup(string.Join(", ", d.DestinationGroups)));
        if (d.Verdict == Verdict.LicenseRequired)
        {
            Row("eligible licences", TerminalText.Markup(string.Join("\n", d.EligibleLicenses.Select(l =>
                l + (l == r.CoveredBy ? " (held: covers this export)" : "") + (d.LicenseConditions.TryGetValue(l, out var c) ? $" — only {c}" : "")))));
            Row("covered by", TerminalText.Markup(r.CoveredBy ?? "none of the held licences"));
            Row("review", d.ReviewDays is { } days ? $"individual licence: up to {days} days" : "");
        }

        foreach (var g in d.Grounds)
        {
            Row($"ground ({Clearance.Model.Names.Of(g.Kind)})", TerminalText.Markup($"{g.Title}\n{g.Citation.Text}{(g.Citation.Url is null ? "" : "\n" + g.Citation.Url)}\nrule {g.Rule}"));
        }

        if (d.MissingFacts.Count > 0)
        {
            Row("missing facts", TerminalText.Markup(string.Join("\n", d.MissingFacts)));
        }

        if (d.Unconfirmed.Count > 0)
        {
            Row("[fuchsia]unconfirmed[/]", TerminalText.Markup(string.Join("\n", d.Unconfirmed)));
        }

        foreach (var m in r.EndUser.Matches)
        {
            Row("end-user match", TerminalText.Markup($"{m.ListId} {m.EntityId} {m.Name} (score {m.Score:0.000}): {r.EndUser.Effect(m, d.Grounds.Any(g => g.Kind == Clearance.Model.RequirementKind.EndUser))}"));
        }

        Row("explanation", TerminalText.Markup(d.Explanation));
        Row("content", TerminalText.Markup(d.ContentVersion));
        AnsiConsole.Write(grid);
    }

    private static string ItemText(RegimeResult regime) => regime.Item is { } item
        ? $"{regime.Jurisdiction.Id}:{item.Code} {item.Title}\n{item.Citation.Text}"
        : regime.Classification is { } given ? $"{given} (recognised by its form; {regime.Jurisdiction.Id}'s control list is not in the content yet)"
        : $"no {regime.Jurisdiction.Id} classification given";
}
