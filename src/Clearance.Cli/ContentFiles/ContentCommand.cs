using System.CommandLine;
using System.Text.Json;
using Clearance.Application;
using Clearance.Content;
using Clearance.Model;
using Spectre.Console;

namespace Clearance.Cli.ContentFiles;

/// <summary><c>clearance content validate [DIR]</c>.</summary>
internal static class ContentCommand
{
    public static Command Create()
    {
        var directory = new Argument<string?>("DIR") { Description = "directory of *.yaml content files (default: the built-in content)", Arity = ArgumentArity.ZeroOrOne };
        var output = OutputOption.Create(OutputFormat.Table, OutputFormat.Json, OutputFormat.Csv);
        var with = WithOption.Create();
        with.Description = "an overlay file of proposed changes: validated against the content it applies to (repeatable)";
        var validate = new Command("validate", "Parse and validate content files, and overlays given with --with; errors are printed as file:line: message (exit code 1).") { directory, output, with };
        validate.SetAction(parse =>
        {
            var dir = parse.GetValue(directory);
            if (dir is not null && !Directory.Exists(dir))
            {
                Console.Error.WriteLine(File.Exists(dir)
                    ? $"error: DIR: '{dir}' is a file; give the directory that holds the *.yaml files"
                    : $"error: DIR: directory '{dir}' not found");
                return ExitCodes.Failed;
            }

            ContentSet content;
            try
            {
                content = OverlayLoader.ApplyFiles(dir is null ? ContentLoader.LoadBuiltIn() : ContentLoader.LoadDirectory(dir), parse.GetValue(with) ?? []);
            }
            catch (ContentValidationException e)
            {
                foreach (var error in e.Errors)
                {
                    Console.Error.WriteLine(TerminalText.Visible(error.ToString()));
                }

                Console.Error.WriteLine($"error: the content has {e.Errors.Count} error(s); fix them and validate again");
                return ExitCodes.Failed;
            }

            var summaries = content.Jurisdictions.Select(Summary.Of).ToList();
            switch (OutputOption.Resolve(parse.GetValue(output)))
            {
                case OutputFormat.Json:
                    WriteJson(summaries, content.Version);
                    break;
                case OutputFormat.Csv:
                    WriteCsv(summaries, content.Version);
                    break;
                default:
                    WriteTable(summaries, content.Version, dir);
                    break;
            }

            return ExitCodes.Done;
        });
        var command = new Command("content", "Regulatory content files.");
        command.Subcommands.Add(validate);
        command.Subcommands.Add(GenerateEar());
        return command;
    }

    /// <summary>
    /// <c>clearance content generate-ear --reference DIR --output FILE</c>: writes the EAR's Commerce Control List content
    /// from the eCFR data (docs/content.md); the same reference files give the same bytes.
    /// </summary>
    private static Command GenerateEar()
    {
        var reference = new Option<string>("--reference") { Description = "directory of the EAR reference data (../shared/reference/us-ear)", Required = true };
        var output = new Option<string>("--output") { Description = "the content file to write (src/Clearance.Content/Rules/us-ccl.generated.yaml)", Required = true };
        var command = new Command("generate-ear", "Generate the US Commerce Control List content (items, Country Chart, Country Groups, licence exceptions) from the eCFR reference data.") { reference, output };
        command.SetAction(parse =>
        {
            var dir = parse.GetValue(reference)!;
            if (!Directory.Exists(dir))
            {
                Console.Error.WriteLine($"error: --reference: directory '{dir}' not found");
                return ExitCodes.Failed;
            }

            string text;
            try
            {
                text = Clearance.Content.Ear.EarGenerator.Generate(dir);
            }
            catch (Exception e) when (e is FileNotFoundException or InvalidDataException or JsonException or KeyNotFoundException or InvalidOperationException)
            {
                Console.Error.WriteLine($"error: --reference: {e.Message}");
                return ExitCodes.Failed;
            }

            var path = parse.GetValue(output)!;
            File.WriteAllText(path, text, new System.Text.UTF8Encoding(false));
            Console.WriteLine($"wrote {path} ({text.Count(c => c == '\n')} lines) from {Path.GetFullPath(dir)}");
            return ExitCodes.Done;
        });
        return command;
    }

    private static void WriteTable(List<Summary> summaries, string version, string? dir)
    {
        AnsiConsole.MarkupLine($"{(dir is null ? "built-in content" : TerminalText.Markup(dir))}: [green]valid[/], content version [bold]{TerminalText.Markup(version)}[/]");
        var table = new Table().Border(TableBorder.Rounded)
            .AddColumn("file")
            .AddColumn("id")
            .AddColumn(new TableColumn("items").RightAligned())
            .AddColumn(new TableColumn("sets").RightAligned())
            .AddColumn(new TableColumn("rules").RightAligned())
            .AddColumn(new TableColumn("licences").RightAligned())
            .AddColumn(new TableColumn("unconfirmed").RightAligned());
        foreach (var s in summaries)
        {
            table.AddRow(TerminalText.Markup(s.File), TerminalText.Markup(s.Id), N(s.Items), N(s.Sets), N(s.Rules), N(s.Licenses), N(s.Unconfirmed));
        }

        AnsiConsole.Write(table);
        AnsiConsole.MarkupLine("[dim]rules: requirement, licence-scope and review rules; unconfirmed: facts no source confirms, flagged in every result they affect[/]");
    }

    private static string N(int n) => n.ToString("N0", System.Globalization.CultureInfo.InvariantCulture);

    /// <summary>The JSON Lines' fields as CSV columns, one row per jurisdiction.</summary>
    private static void WriteCsv(List<Summary> summaries, string version)
    {
        using var stdout = new StreamWriter(Console.OpenStandardOutput(), new System.Text.UTF8Encoding(false));
        ResultCsv.Row(stdout, ["file", "jurisdiction", "content_version", "items", "country_sets", "requirement_rules", "license_types", "scope_rules", "review_rules", "unconfirmed"]);
        foreach (var s in summaries)
        {
            // The file name and id come from the author's files: never a formula in a spreadsheet.
            ResultCsv.Row(stdout, [ResultCsv.Inert(s.File), ResultCsv.Inert(s.Id), version, .. new[] { s.Items, s.Sets, s.Requirements, s.Licenses, s.Scope, s.Reviews, s.Unconfirmed }
                .Select(n => n.ToString(System.Globalization.CultureInfo.InvariantCulture))]);
        }
    }

    /// <summary>One compact JSON object per jurisdiction (JSON Lines), raw UTF-8.</summary>
    private static void WriteJson(List<Summary> summaries, string version)
    {
        using var stdout = Console.OpenStandardOutput();
        foreach (var s in summaries)
        {
            using (var w = new Utf8JsonWriter(stdout, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                w.WriteStartObject();
                w.WriteString("file", s.File);
                w.WriteString("jurisdiction", s.Id);
                w.WriteString("content_version", version);
                w.WriteNumber("items", s.Items);
                w.WriteNumber("country_sets", s.Sets);
                w.WriteNumber("requirement_rules", s.Requirements);
                w.WriteNumber("license_types", s.Licenses);
                w.WriteNumber("scope_rules", s.Scope);
                w.WriteNumber("review_rules", s.Reviews);
                w.WriteNumber("unconfirmed", s.Unconfirmed);
                w.WriteEndObject();
            }

            stdout.Write("\n"u8);
        }
    }

    private sealed record Summary(string File, string Id, int Items, int Sets, int Requirements, int Licenses, int Scope, int Reviews, int Unconfirmed)
    {
        public int Rules => Requirements + Scope + Reviews;

        public static Summary Of(Jurisdiction j) => new(
            j.Source.File, j.Id, j.Items.Count, j.Sets.Count, j.Requirements.Count, j.Licenses.Count, j.Scope.Count, j.Reviews.Count,
            j.Items.Count(i => i.Citation.Unconfirmed) + j.DatedRules.Count(r => r.Citation.Unconfirmed) + j.Sets.SelectMany(s => s.Members).Count(m => m.Citation.Unconfirmed));
    }
}
