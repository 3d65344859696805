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
        var input = new InputOptions();
        var id = new Option<string?>("--id") { Description = "shipment id echoed in the result" };
        var date = new DateOption("export date YYYY-MM-DD (the as-of date)");
        var from = new Option<string?>("--from") { Description = "exporting country (selects the jurisdiction): alpha-2 code or English name, e.g. JP or Japan" };
        var to = new Option<string?>("--to") { Description = "destination country: ISO 3166-1 alpha-2 code or English name" };
        var item = new Option<string[]>("--item")
        {
            Description = "classification REGIME:code, e.g. JP:3(1), JP:7, KR:3C002; repeatable for several regimes (JP:7(19) US:3B993): every regime that governs the export answers",
            AllowMultipleArgumentsPerToken = true,
        };
        var endUse = new Option<string?>("--end-use") { Description = "civil | wmd | conventional-military | unknown (any case)" };
        var endUser = new Option<string?>("--end-user") { Description = "end user name (screened against the jurisdiction's end-user list; other lists give warnings)" };
        var consignee = new Option<string?>("--consignee")
        {
            Description = "consignee name, when not the end user (screened against the same lists: a party to the transaction for the EAR's lists, otherwise its matches are warnings)",
        };
        var consigneeDecision = new Option<string?>("--consignee-decision")
        {
            Description = "confirmed | cleared: the decision on a possible match of the consignee on a list whose fact names it (the EAR's)",
        };
        var purchaser = new Option<string?>("--purchaser") { Description = "purchaser name, when not the consignee or end user (15 CFR 748.5(c); screened for the EAR's lists)" };
        var intermediate = new Option<string[]>("--intermediate-consignee")
        {
            Description = "intermediate consignee name (15 CFR 748.5(d); screened for the EAR's lists); repeatable",
        };
        var decision = new Option<string?>("--end-user-decision")
        {
            Description = "confirmed | cleared: the decision on a possible end-user-list match (ignored when the match is strong or there is none)",
        };
        var informed = InformedOption();
        var held = new Option<string[]>("--held")
        {
            Description = "licence type ids the exporter holds (any case), comma-separated or repeated: --held individual,general-bulk",
            HelpName = "id,...",
            AllowMultipleArgumentsPerToken = true,
        };
        var value = new Option<string?>("--value") { Description = "value of the shipment: amount and ISO 4217 currency, e.g. --value \"1200.50 USD\"" };
        var quantity = new Option<string?>("--quantity") { Description = "quantity of the shipment: amount and unit, e.g. --quantity \"5 kg\"" };
        var fact = new Option<string[]>("--fact")
        {
            Description = "a fact the governing regime declares, id=value; repeatable: --fact military_end_user=true --fact \"power=1500 W\"",
        };
        var rates = RatesOption.Create();
        var knownAsOf = KnownAsOfOption.Create();
        var with = WithOption.Create();
        var trace = new Option<bool>("--trace") { Description = "show every rule consulted (JSON: a trace member; table: the rules under the result)" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var db = new Option<string?>("--db") { Description = "list database (default: CLEARANCE_DB or the user data directory)" };

        var command = new Command("check", "Determine whether shipments need a licence, on which grounds, and which licence types can authorise them.");
        input.AddTo(command);
        command.Options.Add(id);
        date.AddTo(command);
        foreach (var option in new Option[] { from, to, item, endUse, endUser, consignee, decision, consigneeDecision, purchaser, intermediate, informed, held, value, quantity, fact, rates, knownAsOf, with, trace, output, db })
        {
            command.Options.Add(option);
        }

        command.SetAction(parse =>
        {
            var format = OutputOption.Resolve(parse.GetValue(output));
            var path = parse.GetValue(input.Path);
            Option[] shipmentFlags = [id, date.Date, date.AsOf, from, to, item, endUse, endUser, consignee, decision, consigneeDecision, purchaser, intermediate, informed, held, value, quantity, fact];
            var given = shipmentFlags.Where(o => parse.GetResult(o) is { Implicit: false }).Select(o => o.Name).ToList();
            if (path is not null && given.Count > 0)
            {
                Console.Error.WriteLine($"error: give either --input or the shipment flags, not both ({string.Join(", ", given)} given with --input)");
                return ExitCodes.Failed;
            }

            if (path is null && given.Count == 0)
            {
                Console.Error.WriteLine("error: nothing to check: give --input FILE (- for standard input) or a shipment: --from, --to, --item, --date");
                return ExitCodes.Failed;
            }

            if (path is null && (parse.GetResult(input.Format) is not null || parse.GetResult(input.Encoding) is not null))
            {
                Console.Error.WriteLine("error: --input-format and --encoding describe an --input file: give --input too");
                return ExitCodes.Failed;
            }

            if (!RatesOption.TryLoad(parse, rates, out var exchangeRates))
            {
                return ExitCodes.Failed;
            }

            if (path is not null)
            {
                // A batch: the collector's fresh memory on huge pages, fewer first-touch faults (CLEARANCE_GC_HUGE_PAGES=0: off).
                _ = CollectorHugePages.AdviseForBatch();
                _ = NativeHeapHugePages.AdviseForBatch(); // the native heap too (CLEARANCE_HEAP_HUGE_PAGES=0: off)
            }

            // The table shows the trace under --trace, JSON writes it: only JSON and CSV without --trace never read it.
            var traced = parse.GetValue(trace) || format == OutputFormat.Table;
            if (Check(parse.GetValue(knownAsOf), parse.GetValue(with), exchangeRates, () => EndUserScreeningFactory.Open(parse.GetValue(db), Console.Error), traced) is not { } service)
            {
                return ExitCodes.Failed;
            }

            var view = new CheckView(parse.GetValue(trace));
            if (path is null)
            {
                var (valueAmount, currency) = Split(parse.GetValue(value));
                var (quantityAmount, unit) = Split(parse.GetValue(quantity));
                var shipment = new ShipmentText(
                    new ShipmentId(parse.GetValue(id) ?? "cli", false), date.Get(parse), parse.GetValue(from), parse.GetValue(to),
                    parse.GetValue(item) is { Length: > 0 } items ? items : null, parse.GetValue(endUse), parse.GetValue(endUser),
                    parse.GetValue(informed) is { } informedText && ShipmentFields.TryParseInformed(informedText, out var isInformed) && isInformed,
                    Held(parse.GetValue(held)), valueAmount is not null, valueAmount, currency, quantityAmount is not null, quantityAmount, unit,
                    parse.GetValue(decision), Facts(parse.GetValue(fact)), parse.GetValue(consignee),
                    ConsigneeDecision: parse.GetValue(consigneeDecision), Purchaser: parse.GetValue(purchaser),
                    IntermediateConsignees: parse.GetValue(intermediate) is { Length: > 0 } intermediates ? intermediates : null).Validate(line: 1);
                return view.Run(format, service, [shipment]);
            }

            var encoding = parse.GetValue(input.Encoding);
            using var source = InputOptions.Open("--input", path, encoding, Console.Error);
            if (source is null)
            {
                return ExitCodes.Failed;
            }

            try
            {
                // A file's lines are read and validated on a thread of their own, ahead of the checks (ReadAhead).
                if (InputOptions.FormatOf(path, parse.GetValue(input.Format)) == InputFormat.Csv)
                {
                    return view.Run(format, service, service.Sized(ReadAhead.Of(CsvShipmentReader.Read(source, path))));
                }

                var size = path != "-" && format == OutputFormat.Json && !Console.IsErrorRedirected && encoding is null ? new FileInfo(path).Length : 0;
                return size > 8 << 20 ? view.RunWithProgress(service, source, size) : view.Run(format, service, service.Sized(ReadAhead.Of(JsonLinesInput.Read(source))));
            }
            catch (CsvHeaderException e)
            {
                Console.Error.WriteLine("error: --input: " + e.Message);
                return ExitCodes.Failed;
            }
            catch (InputEncodingException e)
            {
                // Only a transcoded input throws (UTF-8 is checked line by line by the readers): the lines before were answered.
                Console.Error.WriteLine($"error: --input: '{path}': {e.Message}; the lines after it were not read");
                return ExitCodes.SomeRecordsFailed;
            }
        });
        return command;
    }

    /// <summary>
    /// The check: the built-in content compiled as the lines need it (<see cref="CheckOnDemand"/>: a batch of Japanese
    /// exports never loads the EAR); with <c>--known-as-of</c> or <c>--with</c>, the whole content as it was known or
    /// as the overlays change it. Null when an overlay is invalid (reported). Unless <paramref name="traced"/>, the
    /// determinations come without their trace (<see cref="CheckService.Traced"/>), one per answer.
    /// </summary>
    private static IShipmentCheck? Check(NodaTime.LocalDate? knownAsOf, IReadOnlyList<string>? overlays, Clearance.Model.ExchangeRates? rates, Func<EndUserScreening> screening, bool traced)
    {
        if (knownAsOf is null && overlays is not { Count: > 0 })
        {
            var shared = screening();
            return new CheckOnDemand(ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, shared) { Traced = traced }, rates));
        }

        Evaluator evaluator;
        try
        {
            evaluator = new Evaluator(ContentSetup.Content(knownAsOf, overlays), rates);
        }
        catch (Clearance.Model.ContentValidationException e)
        {
            WithOption.Report(e);
            return null;
        }

        return new CheckService(evaluator, screening()) { Traced = traced };
    }

    /// <summary>
    /// <c>--informed</c> alone means informed; <c>--informed yes|no|true|false|1|0</c> (any case) says it either way, as
    /// the <c>informed</c> field of a file does.
    /// </summary>
    private static Option<string?> InformedOption() => new("--informed")
    {
        Description = "the authority has informed the exporter of a concern: --informed, or --informed yes|no (true/false, 1/0)",
        HelpName = "yes|no",
        Arity = ArgumentArity.ZeroOrOne,
        CustomParser = result =>
        {
            if (result.Tokens.Count == 0)
            {
                return "true";
            }

            var text = result.Tokens[0].Value;
            if (!ShipmentFields.TryParseInformed(text, out _))
            {
                result.AddError($"--informed: '{text}' is not one of {ShipmentFields.InformedValues}");
            }

            return text;
        },
    };

    /// <summary>The held licence ids of <c>--held a,b --held c</c>: split on commas, blanks dropped.</summary>
    internal static string[] Held(string[]? flags) =>
        flags is null ? [] : [.. flags.SelectMany(f => f.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))];

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

    /// <summary>The check's output: JSON Lines (streamed), CSV (streamed) or tables for people.</summary>
    private sealed class CheckView(bool trace)
    {
        private readonly ResultJson _json = new(trace);

        public int Run(OutputFormat format, IShipmentCheck service, IEnumerable<ShipmentLine> lines)
        {
            switch (format)
            {
                case OutputFormat.Json:
                {
                    using var stdout = Console.OpenStandardOutput();
                    return CheckBatch.Run(service, _json, lines, stdout, CheckBatch.Checkers).Errors == 0 ? ExitCodes.Done : ExitCodes.SomeRecordsFailed;
                }

                case OutputFormat.Csv:
                {
                    using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16);
                    return ResultCsv.Write(lines.Select(service.Check), stdout) == 0 ? ExitCodes.Done : ExitCodes.SomeRecordsFailed;
                }

                default:
                {
                    var results = lines.Select(service.Check).ToList();
                    CheckTable.Render(AnsiConsole.Console, results, trace);
                    return results.Any(r => r.Error is not null) ? ExitCodes.SomeRecordsFailed : ExitCodes.Done;
                }
            }
        }

        public int RunWithProgress(IShipmentCheck service, Stream source, long size)
        {
            var exit = 0;
            AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
                .Progress()
                .Start(ctx =>
                {
                    var task = ctx.AddTask("checking", maxValue: size);
                    exit = Run(OutputFormat.Json, service, service.Sized(ReadAhead.Of(JsonLinesInput.Read(source, consumed => task.Value = consumed))));
                    task.Value = size;
                });
            return exit;
        }
    }
}
