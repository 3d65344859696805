using System.CommandLine;

namespace Clearance.Cli;

/// <summary>How a command prints its results.</summary>
internal enum OutputFormat
{
    /// <summary>A table for people (default on a terminal).</summary>
    Table,
    /// <summary>JSON (JSON Lines for batches; default when output is redirected).</summary>
    Json,
}

/// <summary>The <c>--output</c> option shared by commands.</summary>
internal static class OutputOption
{
    public static Option<string?> Create() => new("--output", "-o")
    {
        Description = "table or json (default: table on a terminal, json otherwise)",
        CustomParser = result =>
        {
            var value = result.Tokens.Count > 0 ? result.Tokens[0].Value : null;
            if (value is not (null or "table" or "json"))
            {
                result.AddError($"--output: '{value}' is not table or json");
            }

            return value;
        },
    };

    public static OutputFormat Resolve(string? value) => value switch
    {
        "json" => OutputFormat.Json,
        "table" => OutputFormat.Table,
        _ => Console.IsOutputRedirected ? OutputFormat.Json : OutputFormat.Table,
    };
}
