using System.Diagnostics;
using System.Text;

namespace Clearance.Cli.Tests;

/// <summary>
/// Runs a process to its end, as the tests run the built CLI (<c>CliRunner</c>), the published executables
/// (<c>PublishedProcess</c>) and the README's commands (<c>ReadmeFixture</c>): standard input written (if
/// any) and closed, standard output and error read to their ends as UTF-8, the exit code; a process still running after
/// <c>limit</c> is killed with its children and is a <see cref="TimeoutException"/>.
/// </summary>
internal static class TestProcess
{
    public static (int Exit, string Stdout, string Stderr) Run(ProcessStartInfo start, TimeSpan limit, string? stdin = null)
    {
        ArgumentNullException.ThrowIfNull(start);
        start.RedirectStandardInput = true;
        start.RedirectStandardOutput = true;
        start.RedirectStandardError = true;
        start.StandardOutputEncoding = Encoding.UTF8;
        start.StandardErrorEncoding = Encoding.UTF8;
        using var process = Process.Start(start)!;
        // Both read at once: a process that fills one pipe while the other is awaited would wait for ever.
        var stdout = process.StandardOutput.ReadToEndAsync();
        var stderr = process.StandardError.ReadToEndAsync();
        if (stdin is not null)
            process.StandardInput.Write(stdin);
        process.StandardInput.Close();
        if (!process.WaitForExit(limit))
        {
            process.Kill(entireProcessTree: true);
            throw new TimeoutException($"{start.FileName} {string.Join(' ', start.ArgumentList)} did not end within {limit.TotalMinutes:0.#} minutes");
        }

        // Without a limit, WaitForExit also waits for the output to be read to its end.
        process.WaitForExit();
        return (process.ExitCode, stdout.Result, stderr.Result);
    }
}
