using System.CommandLine;
using System.Text.Json.Nodes;
using Clearance.Application;
using Clearance.Store;
using Spectre.Console;

namespace Clearance.Cli.Shipments;

/// <summary><c>clearance shipments recheck</c>, and the recheck that list imports, licence changes and screening decisions run after them.</summary>
internal static class RecheckCommand
{
    public static Command Create()
    {
        var full = new Option<bool>("--full") { Description = "check every line again in full, screening every party against every entry (default: only parties against the entries added or changed since)" };
        var actor = Licenses.LicensesCommand.ActorOption();
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json);
        var db = Licenses.LicensesCommand.DbOption();
        var timings = new Option<bool>("--timings") { Description = "print on standard error where the time went: the process's start, each phase of the recheck, the process's CPU" };
        var command = new Command("recheck", "Evaluate every held and released line again (after a content, list, licence or screening-decision change) and show the lines whose status or reasons changed, old → new.")
        {
            full, actor, output, db, timings,
        };
        command.SetAction(parse =>
        {
            // Before the store is opened: SQLite's page cache on the advised heap, and what the run allocates from its start
            // in the collector's advised range (CLEARANCE_HEAP_HUGE_PAGES=0, CLEARANCE_GC_HUGE_PAGES=0: off).
            var heapAdvice = NativeHeapHugePages.AdviseForBatch();
            var collectorAdvice = CollectorHugePages.AdviseForBatch();
            if (Licenses.LicensesCommand.OpenStore(parse.GetValue(db), ShipmentStore.Open) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var summary = Run(store, parse.GetValue(db), parse.GetValue(actor)!, parse.GetValue(full));
            if (OutputOption.Resolve(parse.GetValue(output)) == OutputFormat.Json)
            {
                // The JSON's bytes in pieces of 64 KB: Console.Out wrote each line through in pieces of 256 bytes, ~1,600
                // system calls for 500 changes, after a round trip through strings.
                using var stdout = Console.OpenStandardOutput();
                RecheckJson.Write(summary, stdout);
            }
            else
            {
                WriteTable(summary);
            }

            foreach (var e in summary.Errors)
            {
                Console.Error.WriteLine($"warning: {e}; the line is left as it was");
            }

            if (parse.GetValue(timings) && summary.Phases is { } phases)
            {
                Console.Error.WriteLine(phases.Line());
                Console.Error.WriteLine($"huge pages: native heap {heapAdvice}; collector {collectorAdvice}");
                using var process = System.Diagnostics.Process.GetCurrentProcess();
                Console.Error.WriteLine(string.Create(System.Globalization.CultureInfo.InvariantCulture,
                    $"process: {(DateTime.Now - process.StartTime).TotalMilliseconds:0} ms wall, {process.TotalProcessorTime.TotalMilliseconds:0} ms CPU so far, JIT {System.Runtime.JitInfo.GetCompilationTime().TotalMilliseconds:0} ms ({System.Runtime.JitInfo.GetCompiledMethodCount():N0} methods), {GC.GetTotalAllocatedBytes() / 1e6:0.0} MB allocated, {GC.CollectionCount(0)} collection(s); {phases.CpuBefore.TotalMilliseconds:0} ms CPU before the recheck; outside the recheck {(DateTime.Now - process.StartTime - phases.Wall).TotalMilliseconds:0} ms wall (start, store, output)"));
            }

            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The option that turns off the recheck after a list import or a licence change.</summary>
    public static Option<bool> NoRecheckOption() => new("--no-recheck") { Description = "do not recheck the held and released shipment lines afterwards" };

    /// <summary>
    /// The recheck after a list import or update, a licence change or a screening decision: nothing when <paramref name="skip"/> or when no line is
    /// held or released; otherwise the summary line on standard error (when <paramref name="quiet"/> is false) and the
    /// summary. A failure is a warning: the change it follows stands.
    /// </summary>
    public static RecheckSummary? After(string? db, string actor, bool skip, bool quiet = false)
    {
        if (skip)
        {
            return null;
        }

        try
        {
            var store = ShipmentStore.Open(DatabaseLocation.Resolve(db));
            if (!store.HasOpenLines())
            {
                return null;
            }

            var summary = Run(store, db, actor, full: false);
            if (!quiet)
            {
                Console.Error.WriteLine(summary.Line());
            }

            return summary;
        }
        catch (Exception e) when (e is ListStoreException or ShipmentStoreException or System.Data.Common.DbException)
        {
            Console.Error.WriteLine($"warning: shipments not rechecked: {e.Message} (run clearance shipments recheck)");
            return null;
        }
    }

    /// <summary>
    /// <paramref name="exit"/> of a command that changed lists, licences or screening decisions, after the recheck it calls for when it did
    /// anything (exit 0 or 2) and <paramref name="noRecheck"/> is not set; <paramref name="actor"/> (default: the user
    /// name) is recorded as the one who rechecked.
    /// </summary>
    public static int Then(int exit, string? db, bool noRecheck, string? actor = null)
    {
        if (exit is ExitCodes.Done or ExitCodes.SomeRecordsFailed)
        {
            After(db, actor ?? Environment.UserName, noRecheck);
        }

        return exit;
    }

    private static RecheckSummary Run(ShipmentStore store, string? db, string actor, bool full)
    {
        // Only the content the lines checked again need is compiled (all of it for --full, on another thread); every
        // check shares one screening, whose index is opened for the first end user screened. A recheck always writes
        // (its run's record at least), which makes the index's stamp stale at once: it is not recorded, as for a submit.
        var screening = EndUserScreeningFactory.OpenBeforeWriting(db, Console.Error);
        // The book's lines: the collector's fresh memory on huge pages, as for check --input (CLEARANCE_GC_HUGE_PAGES=0: off;
        // the command advised it at its start already, a recheck after an import here).
        _ = CollectorHugePages.AdviseForBatch();
        return new Recheck(store, ContentOnDemand.BuiltIn(evaluator => new CheckService(evaluator, screening)), actor)
        {
            PrepareChecks = screening.OpenInBackground,
        }.Run(full);
    }

    /// <summary>
    /// The changed lines as a table and the summary line, on the terminal. A method of its own so that JSON output never
    /// loads the terminal library (Spectre.Console and what it uses): the runtime resolves the types a method names when
    /// it first runs it, whichever branch is taken.
    /// </summary>
    private static void WriteTable(RecheckSummary summary)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("id", "old", "new");
        table.Columns[0].NoWrap();
        foreach (var c in summary.Changes)
        {
            table.AddRow(TerminalText.Markup(c.Id), TerminalText.Markup(State(c.OldStatus, c.OldLicense, c.OldReasons)), TerminalText.Markup(State(c.Status, c.License, c.Reasons)));
        }

        if (summary.Changes.Count > 0)
        {
            AnsiConsole.Write(table);
        }

        AnsiConsole.MarkupLine(TerminalText.Markup(summary.Line()));
    }

    private static string State(string status, string? license, string reasons) =>
        $"{status}{(license is null ? "" : " on " + license)}\n" + string.Join("\n", JsonNode.Parse(reasons)!.AsArray().Select(r => string.Join(" ", r!.AsObject()
            .Where(p => p.Value is not null && p.Key is "code" or "party" or "name" or "list" or "entity" or "score" or "license" or "state" or "decided_by")
            .Select(p => p.Key == "code" ? p.Value!.ToString() : $"{p.Key}={p.Value!.ToJsonString()}"))));
}
