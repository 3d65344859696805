using System.CommandLine;
using Clearance.Application;
using Clearance.Screening.Lists;
using Clearance.Store;
using NodaTime;
using NodaTime.Text;
using Spectre.Console;

namespace Clearance.Cli.Lists;

/// <summary><c>clearance lists</c>: import, status, diff and update of restricted-party lists in the local database.</summary>
public static class ListsCommand
{
    /// <summary>
    /// Opens the store named by --db; an unreachable server, a damaged file or a schema newer than this release is one
    /// line on standard error (null returned, exit code 2 for the caller), never a stack trace.
    /// </summary>
    /// <param name="parseResult">The command line.</param>
    /// <param name="db">The --db option.</param>
    /// <param name="forReading">The command only reads: a SQLite file without write access is opened read-only (<see cref="ListStore.OpenForReading"/>).</param>
    public static ListStore? OpenStore(ParseResult parseResult, Option<string?> db, bool forReading = false)
    {
        try
        {
            var location = DatabaseLocation.Resolve(parseResult.GetValue(db));
            return forReading ? ListStore.OpenForReading(location) : ListStore.Open(location);
        }
        catch (ListStoreException e)
        {
            parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
            return null;
        }
        catch (ArgumentException e)
        {
            // A malformed PostgreSQL connection string or URI.
            parseResult.InvocationConfiguration.Error.WriteLine($"error: {WithoutParameterName(e)}");
            return null;
        }
    }

    /// <summary>The message of an argument error without the " (Parameter 'x')" that means nothing to a user.</summary>
    public static string WithoutParameterName(ArgumentException error)
    {
        ArgumentNullException.ThrowIfNull(error);
        return error.ParamName is null ? error.Message : error.Message.Replace($" (Parameter '{error.ParamName}')", string.Empty, StringComparison.Ordinal);
    }

    /// <summary>The --allow-shrink option of import and update.</summary>
    internal static Option<bool> CreateAllowShrinkOption() => new("--allow-shrink")
    {
        Description = "Accept a new version that removes more than 10 % of the active version's entries (recorded in the version)",
    };

    /// <summary>The --db option, shared by commands that use the database.</summary>
    public static Option<string?> CreateDbOption() => new("--db")
    {
        Description = $"Database: a SQLite file, or a PostgreSQL connection string or postgres:// URI (default: ${DatabaseLocation.EnvironmentVariable}, else clearance.db in the user's data directory)",
    };

    /// <summary>The --allow-older option of import and update.</summary>
    internal static Option<bool> CreateAllowOlderOption() => new("--allow-older")
    {
        Description = "Accept a new version whose source date is before the active version's (recorded in the version)",
    };

    /// <summary>Builds the command tree.</summary>
    public static Command Create()
    {
        var lists = new Command("lists", "Restricted-party lists: import files, show status, diff and switch versions, download updates.");
        lists.Subcommands.Add(CreateImport());
        lists.Subcommands.Add(CreateStatus());
        lists.Subcommands.Add(CreateDiff());
        lists.Subcommands.Add(CreateActivate());
        lists.Subcommands.Add(ListUpdateCommand.Create());
        return lists;
    }

    /// <summary>The format asked for with --output; by default a table when <paramref name="output"/> is a terminal, JSON Lines otherwise.</summary>
    internal static OutputFormat FormatOf(ParseResult parseResult, Option<string?> option, TextWriter output)
    {
        var value = parseResult.GetValue(option);
        return value is null && output != Console.Out ? OutputFormat.Json : OutputOption.Resolve(value);
    }

    /// <summary>
    /// Imports, refreshes the screening index, and prints the result; the progress bar (on a terminal) covers both, and
    /// what they print is held until it has gone.
    /// </summary>
    private static int Import(ParseResult parseResult, ListStore store, string format, IReadOnlyList<string> paths, string? list, ImportOptions options, StandardInputList? piped = null)
    {
        var output = parseResult.InvocationConfiguration.Output;
        var error = parseResult.InvocationConfiguration.Error;
        if (paths.FirstOrDefault(p => p.Length > 1 && p.StartsWith('-') && !File.Exists(p)) is { } dashed)
        {
            // The parser hands an unknown option to PATH (it takes any number of words): say what it is, not "file not found".
            error.WriteLine($"error: unknown option '{dashed}' for 'clearance lists import' (see 'clearance lists import --help')");
            return ExitCodes.Failed;
        }

        if (paths.FirstOrDefault(p => !File.Exists(p)) is { } missing)
        {
            error.WriteLine(CliMessages.FileNotFound("PATH", missing));
            return ExitCodes.Failed;
        }
        var (held, heldErrors) = (new StringWriter(), new StringWriter());
        try
        {
            var title = $"importing {piped?.Shown ?? string.Join(", ", paths.Select(Path.GetFileName))}";
            var result = ImportProgressDisplay.Run(error, title, progress =>
            {
                var result = ListImport.Run(store, format, paths, list, options with { Progress = progress });
                held.WriteLine(ListImport.Describe(result));
                if (!result.All(r => r.Unchanged))
                {
                    progress?.Report(new ImportProgress(ImportPhase.Indexing, 0, null));
                    ListImport.RefreshScreeningIndex(store, held, heldErrors);
                }
                return result;
            });
            output.Write(held.ToString());
            error.Write(heldErrors.ToString());
            return ExitCodes.Done;
        }
        catch (Exception e) when (e is ListFormatException or ListStoreException or FileNotFoundException or DirectoryNotFoundException)
        {
            // One line: the store's own refusals already say what stays; a parse error does not.
            var stays = e.Message.Contains("nothing imported", StringComparison.Ordinal) ? "" : "; nothing imported, the list's previous version (if any) stays active";
            error.WriteLine($"error: {piped?.Named(e.Message) ?? e.Message}{stays}");
            return ExitCodes.Failed;
        }
    }

    /// <summary>
    /// <c>lists import</c> of files, or of standard input (<c>-</c>, alone) copied to a file named as
    /// <paramref name="fileName"/> says.
    /// </summary>
    private static int ImportFilesOrInput(ParseResult parseResult, ListStore store, string format, string[] paths, string? fileName, string? list, ImportOptions options)
    {
        var error = parseResult.InvocationConfiguration.Error;
        if (!paths.Contains("-"))
        {
            if (fileName is not null)
            {
                error.WriteLine("error: --filename names what - (standard input) holds; a file's own name is used");
                return ExitCodes.Failed;
            }

            return Import(parseResult, store, format, paths, list, options);
        }

        if (paths.Length > 1)
        {
            error.WriteLine("error: PATH: - (standard input) is one list file: give it alone");
            return ExitCodes.Failed;
        }

        using var piped = StandardInputList.Copy(Console.OpenStandardInput(), fileName, error);
        return piped is null ? ExitCodes.Failed : Import(parseResult, store, format, [piped.Path], list, options, piped);
    }

    private static Command CreateImport()
    {
        var format = new Option<string>("--format", "-f") { Description = $"File format: {string.Join(", ", ListFiles.Formats)}", Required = true };
        format.AcceptOnlyFromAmong([.. ListFiles.Formats]);
        var list = new Option<string?>("--list") { Description = "List id to file the import under (default: the format's usual list, e.g. ofac-sdn)" };
        var paths = new Argument<string[]>("PATH") { Description = "List files (for ofac-csv: sdn.csv or cons_prim.csv, companions found beside it), or - for standard input", Arity = ArgumentArity.OneOrMore };
        var fileName = new Option<string?>("--filename")
        {
            Description = "With - (standard input): the list file's name, which carries its source date as a file's does (sdn_2024-05-03.csv)",
        };
        var db = CreateDbOption();
        var allowShrink = CreateAllowShrinkOption();
        var allowOlder = CreateAllowOlderOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("import", "Import list files as a new version of a list (atomically: on any error nothing is imported).")
        {
            format, list, paths, fileName, db, allowShrink, allowOlder, noRecheck,
        };
        command.SetAction(parseResult => OpenStore(parseResult, db) is not { } store
            ? ExitCodes.Failed
            : Shipments.RecheckCommand.Then(
                ImportFilesOrInput(parseResult, store, parseResult.GetRequiredValue(format), parseResult.GetRequiredValue(paths), parseResult.GetValue(fileName),
                    parseResult.GetValue(list), new ImportOptions(parseResult.GetValue(allowShrink), parseResult.GetValue(allowOlder))),
                parseResult.GetValue(db), parseResult.GetValue(noRecheck)));
        return command;
    }

    private static Command CreateStatus()
    {
        var db = CreateDbOption();
        var outputFormat = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var date = new DateOption("The day the 30-day warning counts source dates' age to (default: today, UTC)");
        var command = new Command("status", "Each list with its active version, source date and entity and name counts; warns of lists more than 30 days old.")
        {
            db, outputFormat,
        };
        date.AddTo(command);
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (Today(parseResult, date) is not { } today)
            {
                return ExitCodes.Failed;
            }

            if (OpenStore(parseResult, db, forReading: true) is not { } store)
            {
                return ExitCodes.Failed;
            }

            IReadOnlyList<ListStatus> status;
            try
            {
                status = store.Status();
            }
            catch (ListStoreException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }

            switch (FormatOf(parseResult, outputFormat, output))
            {
                case OutputFormat.Json:
                    foreach (var line in ListsJson.Status(status, today))
                        output.WriteLine(line);
                    break;
                case OutputFormat.Csv:
                    foreach (var line in ListsJson.StatusCsv(status, today))
                        output.WriteLine(line);
                    break;
                default:
                    WriteStatusTable(ConsoleFor(output), status, store.Location, today);
                    // For a person: a line each on standard error. JSON and CSV carry it as the stale field, for scripts.
                    foreach (var s in status)
                    {
                        if (ListFreshness.Warning(s.Active, today) is { } warning)
                            error.WriteLine("warning: " + warning);
                    }
                    break;
            }
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The --date given, or today (UTC); null with the error written when it is not a date.</summary>
    internal static LocalDate? Today(ParseResult parseResult, DateOption date)
    {
        if (date.Get(parseResult) is not { } text)
            return SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        var parsed = LocalDatePattern.Iso.Parse(text);
        if (parsed.Success)
            return parsed.Value;
        parseResult.InvocationConfiguration.Error.WriteLine($"error: --date: '{text}' is not a date (YYYY-MM-DD)");
        return null;
    }

    /// <summary>
    /// The status table, narrow enough for 80 columns: one row per list, a stale source date in yellow with its age and a
    /// "!" (the warning itself is a line on standard error), and below the table the per-list counts of lists that hold
    /// several (csl), activations, and the notes of unusual versions.
    /// </summary>
    internal static void WriteStatusTable(IAnsiConsole console, IReadOnlyList<ListStatus> status, string location, LocalDate today)
    {
        if (status.Count == 0)
        {
            console.WriteLine($"No lists in {location}. Import some with: clearance lists import --format FORMAT PATH...");
            return;
        }
        // No borders, two spaces between columns (as kubectl and gh print): six columns of dates and numbers that never
        // wrap, and list ids, which wrap only when one is longer than 80 columns leave room for.
        var table = new Table().Border(TableBorder.None);
        foreach (var (header, right) in new[] { ("List", false), ("Version", false), ("Source date", false), ("Age", true), ("Imported", false), ("Entities", true), ("Names", true) })
        {
            var column = new TableColumn($"[bold]{header}[/]").PadLeft(0).PadRight(header == "Names" ? 0 : 2);
            if (header != "List")
                column.NoWrap();
            table.AddColumn(right ? column.RightAligned() : column);
        }
        var notes = new List<string>();
        foreach (var s in status)
        {
            var v = s.Active;
            var age = ListFreshness.AgeDays(v, today) is { } days ? $"{days:N0} d" : "";
            var stale = ListFreshness.IsStale(v, today);
            table.AddRow(
                TerminalText.Markup(v.ListId),
                $"{v.VersionNo}/{s.VersionCount}",
                v.SourceDate is { } d ? (stale ? $"[yellow]{d:yyyy-MM-dd}[/]" : d.ToString("yyyy-MM-dd", null)) : "-",
                stale ? $"[yellow]{age} ![/]" : age,
                v.ImportedAt.InUtc().Date.ToString("yyyy-MM-dd", null),
                v.EntityCount.ToString("N0", null),
                v.NameCount.ToString("N0", null));
            if (s.EntitiesByList.Count > 1)
                notes.Add($"{v.ListId}: {string.Join(", ", s.EntitiesByList.Select(kv => $"{kv.Key}={kv.Value:N0}"))}"); // "=": a line break never parts a list from its count
            if (s.Activation is { Kind: ListActivation.ActivateKind } a)
                notes.Add($"{v.ListId}: version {a.VersionNo} activated {a.ActivatedAt.InUtc().Date:yyyy-MM-dd} (was {a.PreviousVersion}){(a.Note is null ? "" : ": " + a.Note)}");
            if (v.Note is not null)
                notes.Add($"{v.ListId}: {v.Note}");
        }
        console.WriteLine($"Lists in {location}");
        console.Write(table);
        foreach (var note in notes)
            console.MarkupLine(TerminalText.Markup(note));
    }

    private static Command CreateDiff()
    {
        var list = new Option<string>("--list") { Description = "List id", Required = true };
        var baseVersion = new Option<int?>("--base") { Description = "The version to compare from (default: the one before --head)" };
        var head = new Option<int?>("--head") { Description = "The version to compare to (default: the active one)" };
        var from = new Option<int?>("--from") { Hidden = true };
        var to = new Option<int?>("--to") { Hidden = true };
        var db = CreateDbOption();
        var outputFormat = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var command = new Command("diff", "Entries added, removed and changed between two versions of a list, with their names.")
        {
            list, baseVersion, head, from, to, db, outputFormat,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            if (OpenStore(parseResult, db, forReading: true) is not { } store)
            {
                return ExitCodes.Failed;
            }

            ListDiff diff;
            try
            {
                diff = store.Diff(parseResult.GetRequiredValue(list),
                    parseResult.GetValue(baseVersion) ?? parseResult.GetValue(from), parseResult.GetValue(head) ?? parseResult.GetValue(to));
            }
            catch (ListStoreException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            switch (FormatOf(parseResult, outputFormat, output))
            {
                case OutputFormat.Json:
                    output.WriteLine(ListsJson.Diff(diff));
                    break;
                case OutputFormat.Csv:
                    foreach (var line in ListsJson.DiffCsv(diff))
                        output.WriteLine(line);
                    break;
                default:
                    WriteDiffTable(ConsoleFor(output), diff);
                    break;
            }
            return ExitCodes.Done;
        });
        return command;
    }

    /// <summary>The counts, then one row per entry: the change, the entry's id (with its own list when the import holds several) and its name.</summary>
    internal static void WriteDiffTable(IAnsiConsole console, ListDiff diff)
    {
        console.WriteLine($"{diff.ListId}: version {diff.FromVersion} -> {diff.ToVersion}: {diff.Added.Count:N0} added, {diff.Removed.Count:N0} removed, {diff.Changed.Count:N0} changed");
        var changes = ListsJson.Changes(diff).Where(c => c.Entries.Count > 0).ToList();
        if (changes.Count == 0)
            return;
        var severalLists = changes.SelectMany(c => c.Entries).Any(r => r.ListId != diff.ListId);
        var table = new Table().Border(TableBorder.Simple);
        table.AddColumn("Change");
        if (severalLists)
            table.AddColumn("List");
        table.AddColumn("Entity id");
        table.AddColumn("Name");
        foreach (var (change, entries) in changes)
        {
            var markup = change switch { "added" => "[green]added[/]", "removed" => "[red]removed[/]", _ => "[yellow]changed[/]" };
            foreach (var r in entries)
            {
                string[] cells = severalLists
                    ? [markup, TerminalText.Markup(r.ListId), TerminalText.Markup(r.EntityId), TerminalText.Markup(diff.NameOf(r))]
                    : [markup, TerminalText.Markup(r.EntityId), TerminalText.Markup(diff.NameOf(r))];
                table.AddRow(cells);
            }
        }
        console.Write(table);
    }

    private static Command CreateActivate()
    {
        var list = new Option<string>("--list") { Description = "List id", Required = true };
        var version = new Option<int>("--version") { Description = "The stored version to make active (see lists status and lists diff)", Required = true };
        var note = new Option<string?>("--note") { Description = "Why, recorded with the switch (shown by lists status)" };
        var db = CreateDbOption();
        var noRecheck = Shipments.RecheckCommand.NoRecheckOption();
        var command = new Command("activate", "Make a stored version of a list the active one (e.g. to go back after a wrong import); recorded with the time and --note.")
        {
            list, version, note, db, noRecheck,
        };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            var error = parseResult.InvocationConfiguration.Error;
            if (OpenStore(parseResult, db) is not { } store)
            {
                return ExitCodes.Failed;
            }

            try
            {
                ListActivate.Run(store, parseResult.GetRequiredValue(list), parseResult.GetRequiredValue(version), parseResult.GetValue(note), output, error);
            }
            catch (ListStoreException e)
            {
                error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }

            // Another version screens the lines against other entries, as an import does: they are rechecked the same way.
            return Shipments.RecheckCommand.Then(ExitCodes.Done, parseResult.GetValue(db), parseResult.GetValue(noRecheck));
        });
        return command;
    }

    internal static IAnsiConsole ConsoleFor(TextWriter writer)
    {
        var terminal = writer == Console.Out && !Console.IsOutputRedirected;
        var console = AnsiConsole.Create(new AnsiConsoleSettings
        {
            Out = new AnsiConsoleOutput(writer),
            Ansi = terminal ? AnsiSupport.Detect : AnsiSupport.No,
            ColorSystem = terminal ? ColorSystemSupport.Detect : ColorSystemSupport.NoColors,
        });
        if (!terminal)
            console.Profile.Width = 200; // a file or pipe has no width: do not wrap the table
        return console;
    }
}
