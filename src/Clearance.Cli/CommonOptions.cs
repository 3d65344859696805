using System.CommandLine;
using System.Text;
using Clearance.Application;

namespace Clearance.Cli;

/// <summary>How a command prints its results.</summary>
internal enum OutputFormat
{
    /// <summary>A table for people (default on a terminal).</summary>
    Table,
    /// <summary>Compact JSON Lines with raw UTF-8 (default when output is redirected).</summary>
    Json,
    /// <summary>CSV with a header row, for spreadsheets.</summary>
    Csv,
}

/// <summary>The <c>--output</c> (<c>-o</c>) option shared by every command that prints records.</summary>
internal static class OutputOption
{
    /// <summary>The option accepting <paramref name="supported"/> (default: table and json).</summary>
    public static Option<string?> Create(params OutputFormat[] supported)
    {
        OutputFormat[] formats = supported.Length > 0 ? supported : [OutputFormat.Table, OutputFormat.Json];
        var names = string.Join(", ", formats.Select(Name));
        return new Option<string?>("--output", "-o")
        {
            Description = $"{names} (default: table on a terminal, json otherwise)",
            CustomParser = result =>
            {
                var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
                if (value is not null && !formats.Any(f => Name(f) == value.ToLowerInvariant()))
                {
                    result.AddError($"--output: '{value}' is not one of {names}");
                }

                return value?.ToLowerInvariant();
            },
        };
    }

    /// <summary>The format asked for, or the default: a table on a terminal, JSON when standard output is redirected.</summary>
    public static OutputFormat Resolve(string? value) => value switch
    {
        "json" => OutputFormat.Json,
        "csv" => OutputFormat.Csv,
        "table" => OutputFormat.Table,
        _ => Console.IsOutputRedirected ? OutputFormat.Json : OutputFormat.Table,
    };

    private static string Name(OutputFormat format) => format switch
    {
        OutputFormat.Json => "json",
        OutputFormat.Csv => "csv",
        _ => "table",
    };
}

/// <summary>An input file's record format.</summary>
internal enum InputFormat
{
    /// <summary>One JSON object per line.</summary>
    JsonLines,
    /// <summary>CSV with a header row naming the fields.</summary>
    Csv,
}

/// <summary>
/// <c>--input FILE</c> (<c>-</c> for standard input), <c>--input-format jsonl|csv</c> (guessed from the extension;
/// JSON Lines for standard input unless given) and <c>--encoding</c>, the same on every command that reads records.
/// </summary>
internal sealed class InputOptions
{
    /// <summary>The file, or <c>-</c> for standard input.</summary>
    public Option<string?> Path { get; } = new("--input", "-i") { Description = "file of records, or - for standard input" };

    /// <summary><c>jsonl</c> or <c>csv</c>.</summary>
    public Option<string?> Format { get; } = new("--input-format")
    {
        Description = "jsonl or csv (default: from the file's extension, .csv is CSV; JSON Lines for standard input)",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value.ToLowerInvariant() : null;
            if (value is not (null or "jsonl" or "csv"))
            {
                result.AddError($"--input-format: '{result.Tokens[0].Value}' is not jsonl or csv");
            }

            return value;
        },
    };

    /// <summary>The input's text encoding.</summary>
    public Option<string?> Encoding { get; } = new("--encoding")
    {
        Description = "the input's encoding: utf-8 (default), utf-16, utf-16be or shift_jis (cp932, Excel in Japan); a UTF-16 byte-order mark is detected",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (value is not null && InputEncoding.Find(value) is null)
            {
                result.AddError($"--encoding: '{value}' is not one of {string.Join(", ", InputEncoding.Names)}");
            }

            return value;
        },
    };

    /// <summary>Adds the three options to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Path);
        command.Options.Add(Format);
        command.Options.Add(Encoding);
    }

    /// <summary>The record format of <paramref name="path"/>: as given, else from its extension.</summary>
    public static InputFormat FormatOf(string path, string? given) => given switch
    {
        "csv" => InputFormat.Csv,
        "jsonl" => InputFormat.JsonLines,
        _ => path != "-" && path.EndsWith(".csv", StringComparison.OrdinalIgnoreCase) ? InputFormat.Csv : InputFormat.JsonLines,
    };

    /// <summary>The --input given, or null with <c>error: --input: give the file of WHAT</c> written (a command that needs one).</summary>
    public string? RequiredPath(ParseResult parse, string what)
    {
        if (parse.GetValue(Path) is { } path)
            return path;
        Console.Error.WriteLine($"error: --input: give the file of {what} (or - for standard input)");
        return null;
    }

    /// <summary><paramref name="path"/> opened as <see cref="Open(string, string, string?, TextWriter)"/> does, with the --encoding given; null with the error written.</summary>
    public Stream? Open(ParseResult parse, string path) => Open("--input", path, parse.GetValue(Encoding), Console.Error);

    /// <summary>
    /// Opens <paramref name="path"/> (or standard input for <c>-</c>) as UTF-8 bytes, transcoded from
    /// <paramref name="encodingName"/>; null with the error written in the one style every command uses when the file
    /// cannot be opened.
    /// </summary>
    public static Stream? Open(string option, string path, string? encodingName, TextWriter stderr)
    {
        Encoding? encoding = encodingName is null ? null : InputEncoding.Find(encodingName);
        try
        {
            var source = path == "-" ? Console.OpenStandardInput() : File.OpenRead(path);
            return InputEncoding.AsUtf8(source, encoding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            stderr.WriteLine(CliMessages.CannotRead(option, path, e));
            return null;
        }
    }
}

/// <summary>One wording for the same error everywhere.</summary>
internal static class CliMessages
{
    /// <summary><c>error: --input: file 'x' not found</c>, or the reason it cannot be read.</summary>
    public static string CannotRead(string option, string path, Exception e) => e switch
    {
        FileNotFoundException or DirectoryNotFoundException => $"error: {option}: file '{path}' not found",
        UnauthorizedAccessException => $"error: {option}: file '{path}' cannot be read (permission denied)",
        _ => $"error: {option}: file '{path}' cannot be read: {FrontEndProcess.OneLine(e.Message)}",
    };

    /// <summary>The message for a file that does not exist.</summary>
    public static string FileNotFound(string option, string path) => $"error: {option}: file '{path}' not found";
}

/// <summary>
/// The as-of date option: <c>--date</c> on every command, with <c>--as-of</c> kept as a hidden alias for
/// command lines written before the names were unified.
/// </summary>
internal sealed class DateOption
{
    /// <summary>The visible option.</summary>
    public Option<string?> Date { get; }

    /// <summary>The hidden alias.</summary>
    public Option<string?> AsOf { get; } = new("--as-of") { Hidden = true };

    /// <summary>A date option described by <paramref name="description"/>.</summary>
    public DateOption(string description) => Date = new Option<string?>("--date") { Description = description };

    /// <summary>Adds both to <paramref name="command"/>.</summary>
    public void AddTo(Command command)
    {
        command.Options.Add(Date);
        command.Options.Add(AsOf);
    }

    /// <summary>The date text given (by either name), or null.</summary>
    public string? Get(ParseResult parse) => parse.GetValue(Date) ?? parse.GetValue(AsOf);
}

/// <summary>
/// <c>--known-as-of DATE</c>: evaluate with the rules as they were known on a day, so that a change announced later is
/// invisible. Checked by the option parser: a bad date is one line and exit code 2.
/// </summary>
internal static class KnownAsOfOption
{
    /// <summary>The option, absent by default (all content).</summary>
    public static Option<NodaTime.LocalDate?> Create() => new("--known-as-of")
    {
        HelpName = "DATE",
        Description = "the rules as they were known on this day (YYYY-MM-DD): a change announced later is invisible (default: everything the content knows)",
        CustomParser = result =>
        {
            var text = result.Tokens.Count > 0 ? result.Tokens[0].Value : string.Empty;
            if (NodaTime.Text.LocalDatePattern.Iso.Parse(text) is { Success: true } parsed)
            {
                return parsed.Value;
            }

            result.AddError($"--known-as-of: '{TerminalText.Visible(text.Length <= 200 ? text : text[..200] + "…")}' is not a date; give YYYY-MM-DD, e.g. 2019-07-01");
            return null;
        },
    };
}

/// <summary>
/// <c>--with FILE</c> (repeatable): overlay files of proposed or hypothetical changes applied to the built-in content
/// (docs/content.md, "Overlays"), and the report of an invalid overlay.
/// </summary>
internal static class WithOption
{
    /// <summary>The option, absent by default (the content as it is).</summary>
    public static Option<string[]> Create() => new("--with")
    {
        HelpName = "FILE",
        Description = "an overlay file of proposed changes to evaluate with (repeatable; applied in order; results rest on a proposal where it matters)",
    };

    /// <summary>Prints every error of an invalid overlay as file:line: message and returns the failure exit code.</summary>
    public static int Report(Clearance.Model.ContentValidationException e)
    {
        foreach (var error in e.Errors)
        {
            Console.Error.WriteLine(TerminalText.Visible(error.ToString()));
        }

        Console.Error.WriteLine($"error: --with: the overlay has {e.Errors.Count} error(s)");
        return ExitCodes.Failed;
    }
}

/// <summary><c>--rates FILE</c>, taken by every command that compares values with limits: one option and one way to load it.</summary>
internal static class RatesOption
{
    /// <summary>The option, absent by default (values in another currency than a limit's are then never compared).</summary>
    public static Option<string?> Create() => new("--rates") { Description = "exchange rates file (CSV date,base,quote,rate) to compare values with limits in another currency" };

    /// <summary>
    /// The rates of the file given, or null without one; false, with the one error line written, when the file is missing
    /// or invalid (the message names file, line and field).
    /// </summary>
    public static bool TryLoad(ParseResult parse, Option<string?> option, out Clearance.Model.ExchangeRates? rates)
    {
        rates = null;
        if (parse.GetValue(option) is not { } path)
        {
            return true;
        }

        if (!File.Exists(path))
        {
            Console.Error.WriteLine(CliMessages.FileNotFound("--rates", path));
            return false;
        }

        try
        {
            rates = ContentSetup.Rates(path);
            return true;
        }
        catch (FormatException e)
        {
            Console.Error.WriteLine("error: --rates: " + e.Message);
            return false;
        }
    }
}
