using System.CommandLine;
using System.Text;
using System.Text.Json;
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
        var item = new Option<string?>("--item") { Description = "item code, e.g. JP:3(1), JP:7, JP:16, KR:3C002" };
        var endUse = new Option<string?>("--end-use") { Description = "civil | wmd | conventional-military | unknown" };
        var endUser = new Option<string?>("--end-user") { Description = "end user name (screened against the loaded lists)" };
        var informed = new Option<bool>("--informed") { Description = "the authority has informed the exporter of a concern" };
        var held = new Option<string[]>("--held") { Description = "licence type ids the exporter holds", AllowMultipleArgumentsPerToken = true };
        var trace = new Option<bool>("--trace") { Description = "include every rule consulted in the JSON output" };
        var output = OutputOption.Create();
        var db = new Option<string?>("--db") { Description = "list database (default: CLEARANCE_DB or the user data directory)" };

        var command = new Command("check", "Determine whether shipments need a licence, on which grounds, and which licence types can authorise them.")
        {
            input, id, date, from, to, item, endUse, endUser, informed, held, trace, output, db,
        };
        command.SetAction(parse =>
        {
            var format = OutputOption.Resolve(parse.GetValue(output));
            var screening = EndUserScreeningFactory.Open(parse.GetValue(db), Console.Error);
            var evaluator = new Evaluator(ContentLoader.LoadBuiltIn());
            var forms = new WireForms(parse.GetValue(trace));
            var path = parse.GetValue(input);
            Stream source;
            if (path is not null)
            {
                if (parse.GetValue(date) is not null || parse.GetValue(item) is not null)
                {
                    Console.Error.WriteLine("error: give either --input or the shipment flags (--date, --from, --to, --item, ...), not both");
                    return 2;
                }

                if (path != "-" && !File.Exists(path))
                {
                    Console.Error.WriteLine($"error: --input: file '{path}' not found");
                    return 2;
                }

                source = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
                if (path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase))
                {
                    source = CsvShipments.ToJsonLines(source, path);
                }
            }
            else
            {
                source = new MemoryStream(FlagsToJson(parse.GetValue(id), parse.GetValue(date), parse.GetValue(from), parse.GetValue(to), parse.GetValue(item),
                    parse.GetValue(endUse), parse.GetValue(endUser), parse.GetValue(informed), parse.GetValue(held)));
            }

            using (source)
            {
                try
                {
                    return format == OutputFormat.Json
                        ? RunJson(evaluator, screening, forms, source, path)
                        : RunTable(evaluator, screening, forms, source);
                }
                catch (CsvHeaderException e)
                {
                    Console.Error.WriteLine("error: --input: " + e.Message);
                    return 2;
                }
            }
        });
        return command;
    }

    private static int RunJson(Evaluator evaluator, EndUserScreening screening, WireForms forms, Stream source, string? path)
    {
        using var stdout = Console.OpenStandardOutput();
        var runner = new BatchRunner(evaluator, screening, forms);
        BatchSummary summary;
        if (path is not null && path != "-" && !Console.IsErrorRedirected && new FileInfo(path).Length > 8 << 20)
        {
            var size = new FileInfo(path).Length;
            summary = default;
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
                .Progress()
                .Start(ctx =>
                {
                    var task = ctx.AddTask("checking", maxValue: size);
                    summary = runner.Run(source, stdout, consumed => task.Value = consumed);
                    task.Value = size;
                });
        }
        else
        {
            summary = runner.Run(source, stdout);
        }

        return summary.Errors == 0 ? 0 : 2;
    }

    private static int RunTable(Evaluator evaluator, EndUserScreening screening, WireForms forms, Stream source)
    {
        var results = new List<ShipmentResult>();
        var runner = new BatchRunner(evaluator, screening, forms) { OnResult = (_, r) => results.Add(r) };
        var summary = runner.Run(source, Stream.Null);
        if (results is [{ Determination: { } single } only])
        {
            RenderOne(only, single);
            return summary.Errors == 0 ? 0 : 2;
        }

        var table = new Table().Border(TableBorder.Rounded).Expand();
        table.AddColumns("id", "as of", "verdict", "eligible licences", "review", "grounds", "explanation");
        foreach (var r in results)
        {
            if (r.Error is { } error)
            {
                table.AddRow(Markup.Escape(r.Id ?? ""), "", "[red]error[/]", "", "", Markup.Escape(error.Code), Markup.Escape(error.Message));
                continue;
            }

            var d = r.Determination!;
            var verdict = d.Verdict switch
            {
                Verdict.Prohibited => "[red bold]prohibited[/]",
                Verdict.LicenseRequired => "[yellow]license-required[/]",
                Verdict.Indeterminate => "[fuchsia]indeterminate[/]",
                _ => "[green]no-license-required[/]",
            };
            var eligible = string.Join("\n", d.EligibleLicences.Select(l => l == r.CoveredBy ? l + " (held)" : l));
            var grounds = string.Join("\n", d.Grounds.Select(g => $"{Clearance.Model.Names.Of(g.Kind)}: {g.Citation.Text}"));
            table.AddRow(
                Markup.Escape(r.Id ?? ""),
                r.Date is { } day ? NodaTime.Text.LocalDatePattern.Iso.Format(day) : "",
                verdict,
                Markup.Escape(eligible),
                d.ReviewDays is { } days ? $"{days} days" : "",
                Markup.Escape(grounds),
                Markup.Escape(d.Explanation + (d.Unconfirmed.Count > 0 ? "\nUnconfirmed: " + string.Join("; ", d.Unconfirmed) : "")));
        }

        AnsiConsole.Write(table);
        if (results.Count > 0 && results[0].Determination is { } first)
        {
            AnsiConsole.MarkupLine($"[grey]content {Markup.Escape(first.ContentVersion)}[/]");
        }

        return summary.Errors == 0 ? 0 : 2;
    }

    /// <summary>One shipment: a field/value grid, readable at any terminal width.</summary>
    private static void RenderOne(ShipmentResult r, Determination d)
    {
        var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        void Row(string field, string value) => grid.AddRow($"[bold]{field}[/]", value);
        Row("verdict", d.Verdict switch
        {
            Verdict.Prohibited => "[red bold]prohibited[/]",
            Verdict.LicenseRequired => "[yellow bold]license-required[/]",
            Verdict.Indeterminate => "[fuchsia bold]indeterminate[/]",
            _ => "[green bold]no-license-required[/]",
        });
        Row("as of", r.Date is { } day ? NodaTime.Text.LocalDatePattern.Iso.Format(day) : "");
        Row("jurisdiction", Markup.Escape(d.Jurisdiction));
        if (r.Item is { } item)
        {
            Row("item", Markup.Escape($"{d.Jurisdiction}:{item.Code} {item.Title}\n{item.Citation.Text}"));
        }

        Row("destination groups", Markup.Escape(string.Join(", ", d.DestinationGroups)));
        if (d.Verdict == Verdict.LicenseRequired)
        {
            Row("eligible licences", Markup.Escape(string.Join("\n", d.EligibleLicences.Select(l =>
                l + (l == r.CoveredBy ? " (held: covers this export)" : "") + (d.LicenceConditions.TryGetValue(l, out var c) ? $" — only {c}" : "")))));
            Row("covered by", Markup.Escape(r.CoveredBy ?? "none of the held licences"));
            Row("review", d.ReviewDays is { } days ? $"individual licence: up to {days} days" : "");
        }

        foreach (var g in d.Grounds)
        {
            Row($"ground ({Clearance.Model.Names.Of(g.Kind)})", Markup.Escape($"{g.Title}\n{g.Citation.Text}{(g.Citation.Url is null ? "" : "\n" + g.Citation.Url)}\nrule {g.Rule}"));
        }

        if (d.MissingFacts.Count > 0)
        {
            Row("missing facts", Markup.Escape(string.Join("\n", d.MissingFacts)));
        }

        if (d.Unconfirmed.Count > 0)
        {
            Row("[fuchsia]unconfirmed[/]", Markup.Escape(string.Join("\n", d.Unconfirmed)));
        }

        Row("explanation", Markup.Escape(d.Explanation));
        Row("content", Markup.Escape(d.ContentVersion));
        AnsiConsole.Write(grid);
    }

    private static byte[] FlagsToJson(string? id, string? date, string? from, string? to, string? item, string? endUse, string? endUser, bool informed, string[]? held)
    {
        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WriteString("id", id ?? "cli");
            WriteIf(w, "date", date);
            WriteIf(w, "from", from);
            WriteIf(w, "to", to);
            WriteIf(w, "item", item);
            WriteIf(w, "end_use", endUse);
            WriteIf(w, "end_user", endUser);
            w.WriteBoolean("informed", informed);
            w.WriteStartArray("held");
            foreach (var h in held ?? [])
            {
                w.WriteStringValue(h);
            }

            w.WriteEndArray();
            w.WriteEndObject();
        }

        buffer.WriteByte((byte)'\n');
        return buffer.ToArray();
    }

    private static void WriteIf(Utf8JsonWriter w, string name, string? value)
    {
        if (value is not null)
        {
            w.WriteString(name, value);
        }
    }
}
