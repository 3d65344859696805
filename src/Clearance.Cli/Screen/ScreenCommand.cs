using System.CommandLine;
using System.Globalization;
using Clearance.Application;
using Clearance.Cli.Lists;
using Clearance.Screening;
using Clearance.Screening.Lists;
using Clearance.Screening.Matching;
using Clearance.Store;
using Spectre.Console;

namespace Clearance.Cli.Screen;

/// <summary>
/// <c>clearance screen</c>: screens a name, or every party in a file, against the restricted-party lists; exits with
/// <see cref="ExitCodes.Hit"/> when a party matched. <c>clearance screen pairs</c> scores given pairs of names (for
/// evaluation).
/// </summary>
public static class ScreenCommand
{
    /// <summary>Creates the <c>screen</c> command with its <c>pairs</c> subcommand.</summary>
    public static Command Create()
    {
        var name = new Argument<string?>("NAME") { Description = "The name to screen, in any script.", Arity = ArgumentArity.ZeroOrOne };
        var country = new Option<string?>("--country") { Description = "Country or nationality of the party: ISO 3166-1 alpha-2 code or English name (CN, China)." };
        var type = new Option<string?>("--type") { Description = "person, organization, vessel, aircraft or any (default)." };
        var dob = new Option<string?>("--dob") { Description = "Date of birth: 1965, 1965-03 or 1965-03-12." };
        var threshold = NumberOptions.Score("--threshold", FormattableString.Invariant($"Least score reported, 0 to 1 (default {ScreeningIndex.DefaultThreshold})."));
        var limit = NumberOptions.Count("--limit", "Most matches shown per party (the total above the threshold is always reported).", defaultValue: 10, least: 1);
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var input = new InputOptions();
        input.Path.Description = "Screen every party of a JSON Lines or CSV file (id,name,country,type,dob,address), or - for standard input.";
        country.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !ShipmentFields.TryParseCountry(value, out _))
            {
                result.AddError($"--country: {CountryNames.NotACountry(value)}");
            }
        });
        dob.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && !ScreenInput.IsBirthDate(value))
            {
                result.AddError($"--dob: '{value}' is not 1965, 1965-03 or 1965-03-12");
            }
        });
        var lists = new Option<string[]>("--list")
        {
            Description = "Screen against list files instead of the database: FORMAT:PATH[,PATH...]; repeatable. Formats: " + string.Join(", ", ListFiles.Formats) + ".",
            AllowMultipleArgumentsPerToken = false,
        };
        var db = ListsCommand.CreateDbOption();

        var command = new Command("screen", "Screen a party against the restricted-party lists imported into the database (or given with --list). Exit code 3 when a party matched.")
        {
            name, country, type, dob, threshold, limit, output, lists, db,
        };
        input.AddTo(command);
        command.Subcommands.Add(CreatePairs());
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            try
            {
                string? inputPath = parseResult.GetValue(input.Path);
                string? single = parseResult.GetValue(name);
                if (inputPath is null == single is null)
                {
                    stderr.WriteLine("error: give either a NAME or --input FILE");
                    return ExitCodes.Failed;
                }

                if (inputPath is not null && (parseResult.GetValue(country) ?? parseResult.GetValue(type) ?? parseResult.GetValue(dob)) is not null)
                {
                    stderr.WriteLine("error: --country, --type and --dob describe a NAME; with --input each party has its own (columns country, type, dob)");
                    return ExitCodes.Failed;
                }

                if (inputPath is null && (parseResult.GetValue(input.Format) is not null || parseResult.GetValue(input.Encoding) is not null))
                {
                    stderr.WriteLine("error: --input-format and --encoding describe an --input file: give --input FILE or -");
                    return ExitCodes.Failed;
                }

                if (single is not null && string.IsNullOrWhiteSpace(single))
                {
                    stderr.WriteLine("error: NAME is empty");
                    return ExitCodes.Failed;
                }

                EntityKind? kind = ScreenInput.ParseKind(parseResult.GetValue(type), "--type");
                OutputFormat format = OutputOption.Resolve(parseResult.GetValue(output));

                // The input is opened first: a missing file is reported before the lists are loaded.
                using Stream? source = inputPath is null ? null : InputOptions.Open("--input", inputPath, parseResult.GetValue(input.Encoding), stderr);
                if (inputPath is not null && source is null)
                {
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
                if (source is not null)
                {
                    bool csv = InputOptions.FormatOf(inputPath!, parseResult.GetValue(input.Format)) == InputFormat.Csv;
                    var counted = new CountingStream(source);
                    IEnumerable<InputLine<PartyRecord>> parties = ScreenInput.ReadParties(counted, inputPath!, csv);
                    return WithProgress(ProgressSize(inputPath!, stderr), counted, () => ScreenBatch(index, parties, t, n, format, stdout));
                }

                string? countryCode = parseResult.GetValue(country) is { } given && ShipmentFields.TryParseCountry(given, out var code) ? code.Value : null;
                var query = new ScreeningQuery(single!, countryCode, kind, parseResult.GetValue(dob), t, n);
                IReadOnlyList<ScreeningMatch> matches = index.Screen(query, out int total);
                switch (format)
                {
                    case OutputFormat.Json:
                        stdout.Write(MatchJson.Line("query", single!, matches, total, MatchJson.ScreenedAgainstArray(index.ScreenedAgainst)));
                        break;
                    case OutputFormat.Csv:
                        stdout.Write(MatchCsv.Header);
                        stdout.Write(MatchCsv.Rows(null, null, single, matches, total, MatchCsv.ScreenedAgainst(index.ScreenedAgainst), null));
                        break;
                    default:
                        WriteTable(ListsCommand.ConsoleFor(stdout), single!, matches, total, query, index);
                        break;
                }

                return total > 0 ? ExitCodes.Hit : ExitCodes.Done;
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
    /// cannot be opened.
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

    /// <summary>
    /// Screens every party and writes one result per input line, in input order: JSON Lines (a line in error as an
    /// error record), CSV rows, or a table. 3 when a party matched, else 2 when a line had an error, else 0.
    /// </summary>
    private static int ScreenBatch(ScreeningIndex index, IEnumerable<InputLine<PartyRecord>> parties, double? threshold, int limit, OutputFormat format, TextWriter stdout)
    {
        int hits = 0, errors = 0, screened = 0;
        void Count(bool isHit, bool isError)
        {
            errors += isError ? 1 : 0;
            screened += isError ? 0 : 1;
            hits += isHit ? 1 : 0;
        }

        if (format == OutputFormat.Table)
        {
            var results = new List<PartyResult>();
            foreach ((bool isHit, bool isError, PartyResult result) in PartyScreening.ScreenAll(index, parties, threshold, limit, r => r))
            {
                Count(isHit, isError);
                results.Add(result);
            }

            WriteBatchTable(ListsCommand.ConsoleFor(stdout), results, new ScreeningSummary(screened, hits, errors), index);
        }
        else if (format == OutputFormat.Csv)
        {
            using TextWriter output = BufferedOutput(stdout);
            output.Write(MatchCsv.Header);
            string lists = MatchCsv.ScreenedAgainst(index.ScreenedAgainst);
            foreach ((bool isHit, bool isError, string rows) in PartyScreening.ScreenAll(
                index, parties, threshold, limit, r => MatchCsv.Rows(r.Id, r.Line, r.Party?.Name, r.Matches, r.Total, lists, r.Error)))
            {
                Count(isHit, isError);
                output.Write(rows);
            }
        }
        else
        {
            // JSON Lines go to standard output as the UTF-8 the writer made; another writer (tests) gets them as text.
            byte[] lists = MatchJson.ScreenedAgainstArray(index.ScreenedAgainst);
            using Stream? raw = ReferenceEquals(stdout, Console.Out) ? new BufferedStream(Console.OpenStandardOutput(), 1 << 16) : null;
            foreach ((bool isHit, bool isError, byte[] line) in PartyScreening.ScreenAll(index, parties, threshold, limit, r => PartyScreening.JsonLine(r, lists)))
            {
                Count(isHit, isError);
                if (raw is not null)
                {
                    raw.Write(line);
                }
                else
                {
                    stdout.Write(System.Text.Encoding.UTF8.GetString(line));
                }
            }
        }

        return hits > 0 ? ExitCodes.Hit : errors > 0 ? ExitCodes.SomeRecordsFailed : ExitCodes.Done;
    }

    /// <summary>
    /// The size of the input to show progress against: a file of more than a megabyte (some 15,000 parties, more than a
    /// second) while standard error is a terminal; else 0, no progress.
    /// </summary>
    private static long ProgressSize(string path, TextWriter stderr)
    {
        if (path == "-" || !ReferenceEquals(stderr, Console.Error) || Console.IsErrorRedirected)
        {
            return 0;
        }

        long size = new FileInfo(path).Length;
        return size > 1 << 20 ? size : 0;
    }

    /// <summary>Runs <paramref name="run"/> with a progress bar on standard error over the bytes read, when <paramref name="size"/> is positive.</summary>
    private static int WithProgress(long size, CountingStream input, Func<int> run)
    {
        if (size <= 0)
        {
            return run();
        }

        int exit = 0;
        AnsiConsole.Create(new AnsiConsoleSettings { Out = new AnsiConsoleOutput(Console.Error) })
            .Progress()
            .Start(context =>
            {
                ProgressTask task = context.AddTask("screening", maxValue: size);
                using (new Timer(_ => task.Value = Math.Min(size, input.BytesRead), null, 100, 100))
                {
                    exit = run();
                }

                task.Value = size;
            });
        return exit;
    }

    /// <summary>A read-only stream that counts the bytes read through it (for progress).</summary>
    private sealed class CountingStream(Stream inner) : Stream
    {
        private long _read;

        public long BytesRead => Interlocked.Read(ref _read);

        public override bool CanRead => true;

        public override bool CanSeek => false;

        public override bool CanWrite => false;

        public override long Length => throw new NotSupportedException();

        public override long Position { get => BytesRead; set => throw new NotSupportedException(); }

        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public override int Read(Span<byte> buffer)
        {
            int read = inner.Read(buffer);
            Interlocked.Add(ref _read, read);
            return read;
        }

        public override void Flush()
        {
        }

        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

        public override void SetLength(long value) => throw new NotSupportedException();

        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
    }

    private static Command CreatePairs()
    {
        var input = new InputOptions();
        input.Path.Description = "JSON Lines or CSV of {id, name1, name2, schema}, or - for standard input.";
        input.Path.Required = true;
        var threshold = NumberOptions.Score("--threshold", FormattableString.Invariant($"Score at which a pair is a match, 0 to 1 (default {ScreeningIndex.DefaultThreshold})."));
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var command = new Command("pairs", "Score pairs of names with the screening name scorer: {id, score, match} per pair.")
        {
            threshold, output,
        };
        input.AddTo(command);
        command.SetAction(parseResult =>
        {
            TextWriter stdout = parseResult.InvocationConfiguration.Output;
            TextWriter stderr = parseResult.InvocationConfiguration.Error;
            string path = parseResult.GetValue(input.Path)!;
            using Stream? source = InputOptions.Open("--input", path, parseResult.GetValue(input.Encoding), stderr);
            if (source is null)
            {
                return ExitCodes.Failed;
            }

            double t = parseResult.GetValue(threshold) ?? ScreeningIndex.DefaultThreshold;
            OutputFormat format = OutputOption.Resolve(parseResult.GetValue(output));
            bool csv = InputOptions.FormatOf(path, parseResult.GetValue(input.Format)) == InputFormat.Csv;
            int errors = 0;
            var table = new Table().AddColumns("Id", "Score", "Match", "Error");
            using TextWriter text = BufferedOutput(stdout);
            if (format == OutputFormat.Csv)
            {
                text.Write("id,score,match,error_code,error_message\n");
            }

            foreach (InputLine<NamePairRecord> line in ScreenInput.ReadPairs(source, path, csv))
            {
                if (line.Record is not { } pair)
                {
                    errors++;
                    LineError error = line.Error!;
                    switch (format)
                    {
                        case OutputFormat.Json:
                            text.Write(MatchJson.ErrorLine(line.Id, line.Line, error));
                            break;
                        case OutputFormat.Csv:
                            text.Write(MatchCsv.Row(line.Id, "", "", error.Code, error.Message));
                            break;
                        default:
                            table.AddRow(TerminalText.Markup(line.Id ?? ""), "", "[red]error[/]", TerminalText.Markup(error.Message));
                            break;
                    }

                    continue;
                }

                double score = PairScorer.Score(pair.Name1, pair.Name2);
                string scoreText = Math.Round(score, 4).ToString(CultureInfo.InvariantCulture);
                switch (format)
                {
                    case OutputFormat.Json:
                        text.Write(System.Text.Encoding.UTF8.GetString(MatchJson.PairLine(pair.Id, score, t)));
                        break;
                    case OutputFormat.Csv:
                        text.Write(MatchCsv.Row(pair.Id, scoreText, score >= t ? "true" : "false", "", ""));
                        break;
                    default:
                        table.AddRow(TerminalText.Markup(pair.Id), scoreText, score >= t ? "[green]match[/]" : "no match", "");
                        break;
                }
            }

            if (format == OutputFormat.Table)
            {
                text.Flush();
                ListsCommand.ConsoleFor(stdout).Write(table);
            }

            return errors > 0 ? ExitCodes.SomeRecordsFailed : ExitCodes.Done;
        });
        return command;
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

    /// <summary>
    /// One name: a line with the total and what the limit cut, a table of the matches (score, list and entry with the
    /// list's source date, names, what the list says of the entry and why it matched), and the lists screened against.
    /// </summary>
    private static void WriteTable(IAnsiConsole console, string query, IReadOnlyList<ScreeningMatch> matches, int total, ScreeningQuery screened, ScreeningIndex index)
    {
        string threshold = (screened.Threshold ?? ScreeningIndex.DefaultThreshold).ToString("0.00", CultureInfo.InvariantCulture);
        string count = total == 0 ? $"[green]no match[/] at or above {threshold}"
            : total > matches.Count ? $"[yellow bold]{total} match(es)[/] at or above {threshold}, showing {matches.Count} of {total} (--limit {screened.Limit})"
            : $"[yellow bold]{total} match(es)[/] at or above {threshold}";
        console.MarkupLine(CultureInfo.InvariantCulture, "[bold]{0}[/]: {1}", TerminalText.Markup(query), count);
        if (matches.Count > 0)
        {
            var table = new Table().Border(TableBorder.Rounded).AddColumns("Score", "List / entry", "Name", "Details");
            table.Columns[0].RightAligned();
            foreach (ScreeningMatch match in matches)
            {
                table.AddRow(
                    match.Score.ToString("0.000", CultureInfo.InvariantCulture),
                    EntryCell(match),
                    NameCell(match),
                    DetailsCell(match));
            }

            console.Write(table);
        }

        console.MarkupLine(CultureInfo.InvariantCulture, "[grey]screened against {0}: {1:N0} entries ({2:N0} parties), {3:N0} names, {4}[/]",
            TerminalText.Markup(ListsText(index.ScreenedAgainst)), index.EntityCount, index.PartyCount, index.NameCount, NameScorer.Algorithm);
    }

    /// <summary>A batch: one row per input line (its best match, or its error), then the counts and the lists screened against.</summary>
    private static void WriteBatchTable(IAnsiConsole console, List<PartyResult> results, ScreeningSummary summary, ScreeningIndex index)
    {
        var table = new Table().Border(TableBorder.Rounded).AddColumns("Line", "Id", "Name", "Matches", "Best match");
        table.Columns[0].RightAligned();
        foreach (PartyResult result in results)
        {
            string line = result.Line.ToString(CultureInfo.InvariantCulture);
            if (result.Error is { } error)
            {
                table.AddRow(line, TerminalText.Markup(result.Id ?? ""), "", "[red]error[/]", TerminalText.Markup(error.Message));
                continue;
            }

            string matches = result.Total == 0 ? "[green]0[/]"
                : result.Total > result.Matches.Count ? $"[yellow bold]{result.Total}[/] ({result.Matches.Count} shown)" : $"[yellow bold]{result.Total}[/]";
            string best = result.Matches.Count == 0 ? ""
                : $"{result.Matches[0].Score.ToString("0.000", CultureInfo.InvariantCulture)} {EntryCell(result.Matches[0]).Split('\n')[0]}\n{TerminalText.Markup(result.Matches[0].PrimaryName)}";
            table.AddRow(line, TerminalText.Markup(result.Id ?? ""), TerminalText.Markup(result.Party!.Name), matches, best);
        }

        console.Write(table);
        console.MarkupLine(CultureInfo.InvariantCulture, "{0:N0} part(ies) screened: {1}, {2}",
            summary.Screened,
            summary.Hits > 0 ? $"[yellow bold]{summary.Hits:N0} with matches[/]" : "[green]none with matches[/]",
            summary.Errors > 0 ? $"[red]{summary.Errors:N0} line(s) in error[/]" : "no errors");
        console.MarkupLine(CultureInfo.InvariantCulture, "[grey]screened against {0}[/]", TerminalText.Markup(ListsText(index.ScreenedAgainst)));
    }

    /// <summary>Every listing of the party, gravest first: "ofac-sdn 7421" and, below it, the list's source date.</summary>
    private static string EntryCell(ScreeningMatch match) =>
        string.Join("\n", match.Listings.Select(listing =>
            TerminalText.Markup($"{listing.ListId} {listing.EntityId}")
            + (listing.SourceDate is { } date ? $"\n[grey]{MatchJson.IsoDate(date)}[/]" : "")));

    /// <summary>The entry's primary name and, when another name matched, that name.</summary>
    private static string NameCell(ScreeningMatch match) =>
        TerminalText.Markup(match.PrimaryName)
        + (match.MatchedName == match.PrimaryName ? "" : "\n[grey]matched:[/] " + TerminalText.Markup(match.MatchedName));

    /// <summary>Kind, programmes, countries, dates of birth and identifiers as the list gives them, then why it matched.</summary>
    private static string DetailsCell(ScreeningMatch match)
    {
        var lines = new List<string>();
        void Add(string label, IEnumerable<string> values)
        {
            string text = string.Join(", ", values);
            if (text.Length > 0)
            {
                lines.Add($"[grey]{label}:[/] {TerminalText.Markup(text)}");
            }
        }

        if (match.Kind != EntityKind.Unknown)
        {
            lines.Add($"[grey]kind:[/] {MatchJson.KindName(match.Kind)}");
        }

        Add("programmes", match.Programs);
        Add("countries", match.Countries);
        Add("born", match.BirthDates);
        Add("ids", match.Identifiers.Select(MatchCsv.Identifier));
        lines.Add("[grey]why:[/] " + TerminalText.Markup(MatchJson.Summary(match.Explanation)));
        return string.Join("\n", lines);
    }

    /// <summary>"ofac-sdn v3 (2024-05-03), meti-eul v1 (2025-09-29)"; list files without a version as "file".</summary>
    internal static string ListsText(IReadOnlyList<ScreenedList> lists) =>
        lists.Count == 0 ? "no list" : string.Join(", ", lists.Select(l =>
            $"{l.ListId} {(l.Version is { } v ? "v" + v.ToString(CultureInfo.InvariantCulture) : "file")}{(l.SourceDate is null ? "" : $" ({MatchJson.IsoDate(l.SourceDate)})")}"));
}
