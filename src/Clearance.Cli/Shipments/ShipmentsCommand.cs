using System.Buffers;
using System.CommandLine;
using System.Text.Json;
using Clearance.Application;
using Clearance.Store;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Shipments;

/// <summary><c>clearance shipments</c>: shipment lines submitted, held, released, rejected and cancelled, with their licence and history.</summary>
internal static class ShipmentsCommand
{
    public static Command Create()
    {
        var command = new Command("shipments", "Shipment lines: submit (check, screen, assign a licence, hold or release), list, show, release, reject, cancel, assign, recheck.");
        command.Subcommands.Add(CreateSubmit());
        command.Subcommands.Add(CreateList());
        command.Subcommands.Add(CreateShow());
        command.Subcommands.Add(CreateChange("release", "An officer releases a held line (the override is recorded with the reason).", reasonRequired: true,
            (store, id, reason, actor) => store.Release(id, reason!, actor)));
        command.Subcommands.Add(CreateChange("reject", "Reject a line (a drawdown it had is returned to its licence).", reasonRequired: true,
            (store, id, reason, actor) => store.Reject(id, reason!, actor)));
        command.Subcommands.Add(CreateChange("cancel", "Cancel a line: its drawdown is returned to its licence.", reasonRequired: false,
            (store, id, reason, actor) => store.Cancel(id, reason, actor)));
        command.Subcommands.Add(CreateAssign());
        command.Subcommands.Add(RecheckCommand.Create());
        return command;
    }

    private static Option<string?> DbOption() => Licenses.LicensesCommand.DbOption();

    /// <summary>The shipment store at --db, or null with the reason written (one line).</summary>
    private static ShipmentStore? OpenStore(string? db) => Licenses.LicensesCommand.OpenStore(db, ShipmentStore.Open);

    private static Command CreateSubmit()
    {
        var input = new InputOptions();
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("submit", "Submit shipment lines (the check contract plus id and exporter, order, line and optional license): each is checked, screened, assigned a licence where one is required, and stored released, held (with every open reason) or rejected.")
        {
            actor, output, db,
        };
        input.AddTo(command);
        command.SetAction(parse =>
        {
            if (input.RequiredPath(parse, "shipment lines") is not { } path)
            {
                return ExitCodes.Failed;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            using var source = input.Open(parse, path);
            if (source is null)
            {
                return ExitCodes.Failed;
            }

            // A batch: the collector's fresh memory on huge pages, fewer first-touch faults (CLEARANCE_GC_HUGE_PAGES=0: off).
            _ = CollectorHugePages.AdviseForBatch();
            _ = NativeHeapHugePages.AdviseForBatch(); // the native heap too (CLEARANCE_HEAP_HUGE_PAGES=0: off)

            // The content compiled as the lines need it, as `check` does: not the EAR's generated list for a book of
            // Japanese exports. The submit writes the database itself, so the screening index's stamp is not recorded.
            var screening = EndUserScreeningFactory.OpenBeforeWriting(parse.GetValue(db), Console.Error);
            var workflow = new ShipmentWorkflow(ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, screening)), store, parse.GetValue(actor)!);
            var json = OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json;
            var results = new List<SubmittedLine>();
            var errors = 0;
            try
            {
                var lines = InputOptions.FormatOf(path, parse.GetValue(input.Format)) == InputFormat.Csv
                    ? CsvShipmentReader.Read(source, path)
                    : JsonLinesInput.Read(source);
                // A batch's answers are gathered in memory and written in one go once its transaction committed. The JSON
                // writer writes to that buffer, not to the stream: its Flush flushes a stream too, which made a write system
                // call of every line.
                using var stdout = Console.OpenStandardOutput();
                var answers = new ArrayBufferWriter<byte>(1 << 16);
                using var writer = new Utf8JsonWriter(answers, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
                foreach (var batch in workflow.Submit(lines))
                {
                    foreach (var submitted in batch)
                    {
                        errors += submitted.Error is null ? 0 : 1;
                        if (submitted.Differs)
                        {
                            Console.Error.WriteLine($"warning: line {submitted.Line}: id {submitted.Record!.Id} was submitted before with other fields; the stored result stands (submit a changed line under a new id)");
                        }

                        if (!json)
                        {
                            results.Add(submitted);
                            continue;
                        }

                        ShipmentJson.Write(writer, submitted);
                        writer.Flush();
                        answers.Write("\n"u8);
                        writer.Reset();
                    }

                    stdout.Write(answers.WrittenSpan);
                    stdout.Flush();
                    answers.ResetWrittenCount();
                }
            }
            catch (CsvHeaderException e)
            {
                Console.Error.WriteLine("error: --input: " + e.Message);
                return ExitCodes.Failed;
            }
            catch (InputEncodingException e)
            {
                Console.Error.WriteLine($"error: --input: '{path}': {e.Message}; the lines after it were not read");
                return ExitCodes.SomeRecordsFailed;
            }

            if (!json)
            {
                var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "status", "licence", "reasons");
                table.Columns[0].NoWrap();
                foreach (var r in results)
                {
                    if (r.Record is { } record)
                        table.AddRow(TerminalText.Markup(record.Id), Status(record.Status), TerminalText.Markup(record.License ?? ""),
                            TerminalText.Markup(string.Join("\n", ShipmentJson.ReasonTexts(record)) + (r.Repeated ? "\n(submitted before: stored result)" : "")));
                    else
                        table.AddRow(TerminalText.Markup(r.Id?.Text ?? ""), "[red]error[/]", "", TerminalText.Markup(r.Error!.Message));
                }

                AnsiConsole.Write(table);
                AnsiConsole.MarkupLine($"{results.Count} line(s): {results.Count(r => r.Record?.Status == ShipmentStatus.Released)} released, {results.Count(r => r.Record?.Status == ShipmentStatus.Held)} held, {results.Count(r => r.Record?.Status == ShipmentStatus.Rejected)} rejected, {errors} error(s)");
            }

            return errors == 0 ? ExitCodes.Done : ExitCodes.SomeRecordsFailed;
        });
        return command;
    }

    private static string Status(string status) => status switch
    {
        ShipmentStatus.Released => "[green]released[/]",
        ShipmentStatus.Held => "[yellow]held[/]",
        ShipmentStatus.Rejected => "[red]rejected[/]",
        _ => status,
    };

    private static Command CreateList()
    {
        var status = new Option<string?>("--status") { Description = "only lines with this status: " + string.Join(", ", ShipmentStatus.All) };
        var reason = new Option<string?>("--reason") { Description = "only lines with an open reason of this code, e.g. license-required" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("list", "Shipment lines with their status, licence and reasons.") { status, reason, output, db };
        command.SetAction(parse =>
        {
            string? wanted = null;
            if (parse.GetValue(status) is { } given && (wanted = ShipmentFilter.ParseStatus(given)) is null)
            {
                Console.Error.WriteLine($"error: --status: '{parse.GetValue(status)}' is not one of {string.Join(", ", ShipmentStatus.All)}");
                return ExitCodes.Failed;
            }

            if (OpenStore(parse.GetValue(db)) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var records = ShipmentFilter.List(store, wanted, parse.GetValue(reason));
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                WriteJson(records, history: false);
                return ExitCodes.Done;
            }

            WriteTable(records);
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The lines as a table and their count, on the terminal (its own method: see RecheckCommand.WriteTable).</summary>
    private static void WriteTable(IReadOnlyList<ShipmentRecord> records)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "status", "licence", "reasons", "submitted");
        table.Columns[0].NoWrap();
        foreach (var r in records)
        {
            table.AddRow(TerminalText.Markup(r.Id), Status(r.Status), TerminalText.Markup(r.License ?? ""), TerminalText.Markup(ShipmentJson.ReasonCodes(r)),
                InstantPattern.General.Format(r.SubmittedAt));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine($"{records.Count} line(s)");
    }

    private static void WriteJson(IEnumerable<ShipmentRecord> records, bool history)
    {
        using var stdout = Console.OpenStandardOutput();
        using var writer = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping });
        foreach (var r in records)
        {
            ShipmentJson.Write(writer, r, history);
            writer.Flush();
            stdout.WriteByte((byte)'\n');
            writer.Reset();
        }
    }

    private static Command CreateShow()
    {
        var id = new Argument<string>("ID") { Description = "the shipment line's id" };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("show", "A shipment line with its status, reasons, licence, determination and whole history.") { id, output, db };
        command.SetAction(parse => Apply(parse, db, output, null,
            store => store.Find(parse.GetValue(id)!) ?? throw new ShipmentStoreException($"no shipment with id {parse.GetValue(id)}")));
        return command;
    }

    private static void Render(ShipmentRecord record)
    {
        var grid = new Table().Border(TableBorder.Rounded).HideHeaders().AddColumns("field", "value");
        grid.AddRow("[bold]shipment[/]", TerminalText.Markup(record.Id));
        grid.AddRow("[bold]status[/]", Status(record.Status));
        grid.AddRow("[bold]licence[/]", TerminalText.Markup(record.License ?? "none"));
        foreach (var reason in ShipmentJson.ReasonTexts(record))
            grid.AddRow("[bold]reason[/]", TerminalText.Markup(reason));
        foreach (var e in record.History)
            grid.AddRow("[bold]" + e.Action + "[/]", TerminalText.Markup($"{InstantPattern.General.Format(e.At)} {e.Actor}: {e.Status}{(e.License is null ? "" : " on " + e.License)}{(e.Reason is null ? "" : " (" + e.Reason + ")")}"));
        AnsiConsole.Write(grid);
    }

    private static Command CreateChange(string name, string description, bool reasonRequired, Func<ShipmentStore, string, string?, string, ShipmentRecord> change)
    {
        var id = new Argument<string>("ID") { Description = "the shipment line's id" };
        var reason = new Option<string?>("--reason") { Description = reasonRequired ? "why (required, recorded)" : "why (recorded)", Required = reasonRequired };
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command(name, description) { id, reason, actor, output, db };
        command.SetAction(parse => Apply(parse, db, output, reasonRequired ? reason : null, store => change(store, parse.GetValue(id)!, parse.GetValue(reason), parse.GetValue(actor)!)));
        return command;
    }

    private static Command CreateAssign()
    {
        var id = new Argument<string>("ID") { Description = "the shipment line's id" };
        var license = new Option<string>("--license") { Description = "the licence number to draw on", Required = true };
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = DbOption();
        var command = new Command("assign", "Assign a licence to a line that needs one: its quantity and value are drawn, and the line is released when nothing else holds it.")
        {
            id, license, actor, output, db,
        };
        command.SetAction(parse => Apply(parse, db, output, null,
            store => store.Assign(parse.GetValue(id)!, parse.GetValue(license)!, parse.GetValue(actor)!, ShipmentWorkflow.Normalize)));
        return command;
    }

    private static int Apply(ParseResult parse, Option<string?> db, Option<string?> output, Option<string?>? requiredReason, Func<ShipmentStore, ShipmentRecord> change)
    {
        if (requiredReason is not null && string.IsNullOrWhiteSpace(parse.GetValue(requiredReason)))
        {
            Console.Error.WriteLine("error: --reason: give the reason (it is recorded)");
            return ExitCodes.Failed;
        }

        if (OpenStore(parse.GetValue(db)) is not { } store)
        {
            return ExitCodes.Failed;
        }

        ShipmentRecord record;
        try
        {
            record = change(store);
        }
        catch (Exception e) when (e is ShipmentStoreException or ListStoreException)
        {
            Console.Error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }

        if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
        {
            WriteJson([record], history: true);
        }
        else
        {
            Render(record);
        }

        return ExitCodes.Done;
    }
}
