using System.CommandLine;
using System.Globalization;
using System.Text.Json;
using Clearance.Application;
using Clearance.Cli.Lists;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Clearance.Store;
using Spectre.Console;

namespace Clearance.Cli.Screen;

/// <summary>
/// <c>clearance screen</c>: screens a name, or every party in a file, against the restricted-party
/// lists; <c>clearance screen pairs</c> scores given pairs of names (for evaluation).
/// </summary>
public static class ScreenCommand
{
    /// <summary>Creates the <c>screen</c> command with its <c>pairs</c> subcommand.</summary>
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "The name to screen, in any script.", Arity = ArgumentArity.ZeroOrOne };
        var country = new Option<string?>("--country") { Description = "ISO 3166-1 alpha-2 country or nationality of the party." };
        var type = new Option<string?>("--type") { Description = "person, organization, vessel, aircraft or any (default)." };
        var dob = new Option<string?>("--dob") { Description = "Date of birth: 1965, 1965-03 or 1965-03-12." };
        var threshold = NumberOptions.Score("--threshold", FormattableString.Invariant($"Least score reported, 0 to 1 (default {ScreeningIndex.DefaultThreshold})."));
        var limit = NumberOptions.Count("--limit", "Most matches per party.", defaultValue: 10, least: 1);
        var output = new Option<string>("--output") { Description = "table or json.", DefaultValueFactory = _ => "table" };
        output.AcceptOnlyFromAmong("table", "json");
        country.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !Clearance.Model.CountryCode.TryParse(value, out _))
            {
                result.AddError($"--country: '{value}' is not an ISO 3166-1 alpha-2 country code");
            }
        });
        dob.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !System.Text.RegularExpressions.Regex.IsMatch(value, @"^\d{4}(-\d{2}(-\d{2})?)?$"))
            {
                result.AddError($"--dob: '{value}' is not 1965, 1965-03 or 1965-03-12");
            }
        });
        var input = new Option<string?>("--input") { Description = "Screen every party of a JSON Lines or CSV file (id,name,country,type,dob,address); writes JSON Lines." };
        var lists = new Option<string[]>("--list")
        {
            Description = "Screen against list files instead of the database: FORMAT:PATH[,PATH...]; repeatable. Formats: " + string.Join(", ", ListFiles.Formats) + ".",
            AllowMultipleArgumentsPerToken = false,
        };
        var db = ListsCommand.CreateDbOption();

        var command = new Command("screen", "Screen a party against the restricted-party lists imported into the database (or given with --list).")
        {
            name, country, type, dob, threshold, limit, output, input, lists, db,
        };
        command.Subcommands.Add(CreatePairs());
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            try
            {
                string? inputPath = parseResult.GetValue(input);
                string? single = parseResult.GetValue(name);
                if (inputPath is null == single is null)
                {
                    stderr.WriteLine("error: give either a NAME or --input FILE");
                    return ExitCodes.Failed;
                }

                if (single is not null && string.IsNullOrWhiteSpace(single))
                {
                    stderr.WriteLine("error: NAME is empty");
                    return ExitCodes.Failed;
                }

                string[] listSpecs = parseResult.GetValue(lists) ?? [];
                ScreeningIndex? index = listSpecs.Length > 0
                    ? ScreeningIndex.Build(ListSpecs.Load(listSpecs))
                    : OpenStored(parseResult.GetValue(db), stderr);
                if (index is null)
                {
                    return ExitCodes.Failed;
                }

                double? t = parseResult.GetValue(threshold);
                int n = parseResult.GetValue(limit);
                if (inputPath is not null)
                {
                    return ScreenFile(index, inputPath, t, n, stdout);
                }

                var query = new ScreeningQuery(
                    single!,
                    parseResult.GetValue(country),
                    ScreenInput.ParseKind(parseResult.GetValue(type), "--type", 0),
                    parseResult.GetValue(dob),
                    t,
                    n);
                IReadOnlyList<ScreeningMatch> matches = index.Screen(query);
                string format = parseResult.GetValue(output) ?? "table";
                if (format == "json")
                {
                    stdout.Write(MatchJson.Line("query", single!, matches));
                }
                else
                {
                    WriteTable(ListsCommand.ConsoleFor(stdout), single!, matches, index);
                }

                return 0;
            }
            catch (Exception e) when (e is ScreenInputException or ListFormatException or ListStoreException)
            {
                stderr.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    /// <summary>
    /// The index of the lists in the database (--db, $CLEARANCE_DB or the default location), from its snapshot when
    /// current; null, with the reason written to <paramref name="stderr"/>, when no list has been imported or the database
    /// cannot be opened (exit code 2, as for the other database errors of the lists commands).
    /// </summary>
    private static ScreeningIndex? OpenStored(string? dbOption, TextWriter stderr)
    {
        string path = DatabaseLocation.Resolve(dbOption);
        ScreeningIndex? index;
        try
        {
            index = ScreeningIndexFile.Open(path, warning => stderr.WriteLine("warning: " + warning));
        }
        catch (ArgumentException e) when (DatabaseLocation.IsPostgres(path))
        {
            stderr.WriteLine("error: " + ListsCommand.WithoutParameterName(e));
            return null;
        }
        catch (ListStoreException e)
        {
            stderr.WriteLine("error: " + e.Message);
            return null;
        }

        if (index is null)
        {
            stderr.WriteLine(
                $"error: no restricted-party lists in {DatabaseLocation.Describe(path)}. Import them first, e.g. 'clearance lists import --format meti-eul "
                + "meti_eul.csv' or 'clearance lists update' (see docs/lists.md), or screen against files with --list FORMAT:PATH.");
        }

        return index;
    }

    private static Command CreatePairs()
    {
        var input = new Option<string>("--input") { Description = "JSON Lines or CSV of {id, name1, name2, schema}.", Required = true };
        var threshold = NumberOptions.Score("--threshold", FormattableString.Invariant($"Score at which a pair is a match, 0 to 1 (default {ScreeningIndex.DefaultThreshold})."));
        var command = new Command("pairs", "Score pairs of names with the screening name scorer; writes {id, score, match} JSON Lines.")
        {
            input, threshold,
        };
        command.SetAction(parseResult =>
        {
            try
            {
                double t = parseResult.GetValue(threshold) ?? ScreeningIndex.DefaultThreshold;
                using Stream stdout = Console.OpenStandardOutput();
                foreach (NamePairRecord pair in ScreenInput.ReadPairs(parseResult.GetValue(input)!))
                {
                    double score = NameScorer.Score(NameNormalizer.Normalize(pair.Name1), NameNormalizer.Normalize(pair.Name2));
                    stdout.Write(MatchJson.PairLine(pair.Id, score, t));
                }

                return 0;
            }
            catch (Exception e) when (e is ScreenInputException or ListFormatException)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }
        });
        return command;
    }

    private static int ScreenFile(ScreeningIndex index, string path, double? threshold, int limit, TextWriter stdout)
    {
        // Read and validate the whole file first, so that a bad line stops the run before anything is written.
        List<PartyRecord> parties = [.. ScreenInput.ReadParties(path)];
        using TextWriter output = BufferedOutput(stdout);
        PartyScreening.ScreenAll(index, parties, threshold, limit, output);
        return 0;
    }

    /// <summary>Standard output behind a large buffer (the console writer flushes every write); other writers as they are.</summary>
    private static TextWriter BufferedOutput(TextWriter stdout) =>
        ReferenceEquals(stdout, Console.Out)
            ? new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false), 1 << 16)
            : new NonClosingWriter(stdout);

    /// <summary>Flushes, but leaves open, a writer the caller owns.</summary>
    private sealed class NonClosingWriter(TextWriter inner) : TextWriter
    {
        public override System.Text.Encoding Encoding => inner.Encoding;

        public override void Write(char value) => inner.Write(value);

        public override void Write(string? value) => inner.Write(value);

        protected override void Dispose(bool disposing) => inner.Flush();
    }

    private static void WriteTable(IAnsiConsole console, string query, IReadOnlyList<ScreeningMatch> matches, ScreeningIndex index)
    {
        console.MarkupLine(CultureInfo.InvariantCulture,
            "[bold]{0}[/]: {1} match(es) among {2} entries ({3} names), algorithm {4}",
            TerminalText.Markup(query), matches.Count, index.EntityCount, index.NameCount, NameScorer.Algorithm);
        if (matches.Count == 0)
        {
            return;
        }

        var table = new Table().AddColumns("Score", "List", "Entry", "Name", "Matched name", "Why");
        foreach (ScreeningMatch match in matches)
        {
            table.AddRow(
                match.Score.ToString("0.000", CultureInfo.InvariantCulture),
                TerminalText.Markup(match.ListId),
                TerminalText.Markup(match.EntityId),
                TerminalText.Markup(match.PrimaryName),
                TerminalText.Markup(match.MatchedName),
                TerminalText.Markup(MatchJson.Summary(match.Explanation)));
        }

        console.Write(table);
    }
}
