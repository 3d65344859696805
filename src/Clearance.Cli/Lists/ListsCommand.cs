using System.CommandLine;
using Clearance.Application;
using Clearance.Screening.Lists;
using Clearance.Store;
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

    /// <summary>Builds the command tree.</summary>
    public static Command Create()
    {
        var lists = new Command("lists", "Restricted-party lists: import files, show status, diff versions, download updates.");
        lists.Subcommands.Add(CreateImport());
        lists.Subcommands.Add(CreateStatus());
        lists.Subcommands.Add(CreateDiff());
        lists.Subcommands.Add(ListUpdateCommand.Create());
        return lists;
    }

    internal static Option<string> CreateOutputOption() => new("--output", "-o")
    {
        Description = "Output format: table (default) or json",
        DefaultValueFactory = _ => "table",
    };

    private static Command CreateImport()
    {
        var format = new Option<string>("--format", "-f") { Description = $"File format: {string.Join(", ", ListFiles.Formats)}", Required = true };
        format.AcceptOnlyFromAmong([.. ListFiles.Formats]);
        var list = new Option<string?>("--list") { Description = "List id to file the import under (default: the format's usual list, e.g. ofac-sdn)" };
        var paths = new Argument<string[]>("PATH") { Description = "List files (for ofac-csv: sdn.csv or cons_prim.csv, companions found beside it)", Arity = ArgumentArity.OneOrMore };
        var db = CreateDbOption();
        var allowShrink = CreateAllowShrinkOption();
        var command = new Command("import", "Import list files as a new version of a list (atomically: on any error nothing is imported).")
        {
            format, list, paths, db, allowShrink,
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
                var result = ListImport.Run(store, parseResult.GetRequiredValue(format), parseResult.GetRequiredValue(paths), parseResult.GetValue(list), parseResult.GetValue(allowShrink));
                output.WriteLine(ListImport.Describe(result));
                ListImport.RefreshScreeningIndex(store, output, error);
                return 0;
            }
            catch (Exception e) when (e is ListFormatException or ListStoreException or FileNotFoundException or DirectoryNotFoundException)
            {
                // One line: the store's own refusals already say what stays; a parse error does not.
                var stays = e.Message.Contains("nothing imported", StringComparison.Ordinal) ? "" : "; nothing imported, the list's previous version (if any) stays active";
                error.WriteLine($"error: {e.Message}{stays}");
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static Command CreateStatus()
    {
        var db = CreateDbOption();
        var outputFormat = CreateOutputOption();
        var command = new Command("status", "Each list with its active version, source date and entity and name counts.") { db, outputFormat };
        command.SetAction(parseResult =>
        {
            var output = parseResult.InvocationConfiguration.Output;
            if (OpenStore(parseResult, db, forReading: true) is not { } store)
            {
                return ExitCodes.Failed;
            }

            var path = store.Location;
            IReadOnlyList<ListStatus> status;
            try
            {
                status = store.Status();
            }
            catch (ListStoreException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }

            if (parseResult.GetValue(outputFormat) == "json")
            {
                output.WriteLine(ListsJson.Status(status));
                return 0;
            }
            var console = ConsoleFor(output);
            if (status.Count == 0)
            {
                console.WriteLine($"No lists in {path}. Import some with: clearance lists import --format FORMAT PATH...");
                return 0;
            }
            var table = new Table().Title($"Lists in {TerminalText.Markup(path)}");
            foreach (var header in new[] { "List", "Version", "Source date", "Imported (UTC)", "Format", "Entities", "Names", "Versions", "Entities by list" })
                table.AddColumn(header);
            foreach (var s in status)
            {
                var byList = s.EntitiesByList.Count > 1 ? string.Join(", ", s.EntitiesByList.Select(kv => $"{kv.Key} {kv.Value:N0}")) : "";
                table.AddRow(
                    TerminalText.Markup(s.Active.ListId), s.Active.VersionNo.ToString(null, null), s.Active.SourceDate?.ToString("yyyy-MM-dd", null) ?? "-",
                    s.Active.ImportedAt.ToString("yyyy-MM-dd HH:mm", null), s.Active.Format, s.Active.EntityCount.ToString("N0", null),
                    s.Active.NameCount.ToString("N0", null), s.VersionCount.ToString(null, null), TerminalText.Markup(byList));
            }
            table.Columns[5].RightAligned();
            table.Columns[6].RightAligned();
            console.Write(table);
            return 0;
        });
        return command;
    }

    private static Command CreateDiff()
    {
        var list = new Option<string>("--list") { Description = "List id", Required = true };
        var from = new Option<int?>("--from") { Description = "Older version (default: the one before --to)" };
        var to = new Option<int?>("--to") { Description = "Newer version (default: the active one)" };
        var db = CreateDbOption();
        var outputFormat = CreateOutputOption();
        var command = new Command("diff", "Entries added, removed and changed between two versions of a list.") { list, from, to, db, outputFormat };
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
                diff = store.Diff(parseResult.GetRequiredValue(list), parseResult.GetValue(from), parseResult.GetValue(to));
            }
            catch (ListStoreException e)
            {
                parseResult.InvocationConfiguration.Error.WriteLine($"error: {e.Message}");
                return ExitCodes.Failed;
            }
            if (parseResult.GetValue(outputFormat) == "json")
            {
                output.WriteLine(ListsJson.Diff(diff));
                return 0;
            }
            output.WriteLine($"{diff.ListId}: version {diff.FromVersion} -> {diff.ToVersion}: {diff.Added.Count} added, {diff.Removed.Count} removed, {diff.Changed.Count} changed");
            foreach (var (label, refs) in new[] { ("added", diff.Added), ("removed", diff.Removed), ("changed", diff.Changed) })
            {
                if (refs.Count > 0)
                    output.WriteLine($"{label}: {string.Join(", ", refs.Select(r => r.ListId == diff.ListId ? r.EntityId : $"{r.ListId}/{r.EntityId}"))}");
            }
            return 0;
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
