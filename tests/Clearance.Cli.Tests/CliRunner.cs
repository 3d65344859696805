using System.Diagnostics;
using System.Text.RegularExpressions;

namespace Clearance.Cli.Tests;

/// <summary>
/// Runs the built clearance.dll as a separate process, as a script does (output redirected) or as a person sees it (in a
/// pseudo-terminal of a given width, through <c>script</c>), with its own CLEARANCE_DB.
/// </summary>
internal static partial class CliRunner
{
    private static readonly string Dll = Path.Combine(AppContext.BaseDirectory, "clearance.dll");

    /// <summary>Far more than any command here takes on a loaded machine: a command that hangs fails its test instead of the run.</summary>
    private static readonly TimeSpan Limit = TimeSpan.FromMinutes(30);

    /// <summary>Exit code, standard output and standard error of <c>clearance ARGS</c> with output redirected.</summary>
    public static (int Exit, string Stdout, string Stderr) Run(string db, string? stdin, params string[] args) => RunWith([], db, stdin, args);

    /// <summary>As <see cref="Run"/>, with the environment variables <paramref name="variables"/> set for the process too.</summary>
    public static (int Exit, string Stdout, string Stderr) RunWith((string Name, string Value)[] variables, string db, string? stdin, params string[] args)
    {
        var start = Start(db, args);
        foreach (var (name, value) in variables)
            start.Environment[name] = value;
        return TestProcess.Run(start, Limit, stdin);
    }

    /// <summary><c>clearance ARGS</c> with <paramref name="db"/> as CLEARANCE_DB, to run with <see cref="TestProcess.Run"/> (a limit of one's own).</summary>
    public static ProcessStartInfo Start(string db, params string[] args)
    {
        var start = new ProcessStartInfo("dotnet");
        start.ArgumentList.Add(Dll);
        foreach (var a in args)
            start.ArgumentList.Add(a);
        start.Environment["CLEARANCE_DB"] = db;
        return start;
    }

    /// <summary>
    /// Exit code, raw output (with its colours) and text (colours removed) of <c>clearance ARGS</c> in a pseudo-terminal
    /// <paramref name="columns"/> wide; fails when a line is wider or the text shows an exception.
    /// </summary>
    public static (int Exit, string Raw, string Text) Terminal(string db, int columns, params string[] args)
    {
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var command = $"stty cols {columns} rows 500; exec dotnet {Quote(Dll)} {string.Join(" ", args.Select(Quote))}";
        var start = new ProcessStartInfo("script");
        foreach (var a in new[] { "-qec", command, "/dev/null" })
            start.ArgumentList.Add(a);
        start.Environment["CLEARANCE_DB"] = db;
        start.Environment["TERM"] = "xterm-256color";
        start.Environment.Remove("NO_COLOR");
        var (exit, raw, _) = TestProcess.Run(start, Limit);
        var text = Escapes().Replace(raw, "").Replace("\r", "", StringComparison.Ordinal);
        // A crash shows as a .NET exception's type name or a stack frame; the word alone is content ("License Exception GOV").
        Assert.DoesNotContain("Unhandled", text, StringComparison.Ordinal);
        Assert.DoesNotMatch(Crash(), text);
        foreach (var line in text.Split('\n'))
            Assert.True(line.TrimEnd().Length <= columns, $"wider than {columns} columns: {line}");
        return (exit, raw, text);
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Escapes();

    [GeneratedRegex(@"\b[A-Za-z]+\.[A-Za-z.]*Exception\b|^\s+at \S+\(", RegexOptions.Multiline)]
    private static partial Regex Crash();
}
