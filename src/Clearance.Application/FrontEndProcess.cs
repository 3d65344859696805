using System.Globalization;

namespace Clearance.Application;

/// <summary>
/// What every front end's process does alike, the CLI (<c>clearance</c>) and the server's own executable
/// (<c>clearance-server</c>, which the native CLI starts for <c>serve</c>): machine formats, and the last-resort report of
/// an error nothing else handled.
/// </summary>
public static class FrontEndProcess
{
    /// <summary>When set (to anything but empty or 0), unexpected errors print their stack trace, as <c>--verbose</c> does.</summary>
    public const string TraceVariable = "CLEARANCE_TRACE";

    /// <summary>
    /// The invariant culture for this thread and every thread started after it: numbers and dates in machine formats, so
    /// that answers do not depend on the user's or the server's locale.
    /// </summary>
    public static void UseMachineCulture()
    {
        CultureInfo.DefaultThreadCurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.DefaultThreadCurrentUICulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentCulture = CultureInfo.InvariantCulture;
        CultureInfo.CurrentUICulture = CultureInfo.InvariantCulture;
    }

    /// <summary>Writes <c>error: message</c> on one line, and the stack trace when asked for (<paramref name="verbose"/> or <see cref="TraceVariable"/>).</summary>
    /// <param name="exception">The unhandled exception (a single inner one of an <see cref="AggregateException"/> is shown instead).</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="verbose">True when --verbose was given.</param>
    public static void WriteUnexpected(Exception exception, TextWriter stderr, bool verbose)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(stderr);
        Exception shown = exception is AggregateException { InnerExceptions.Count: 1 } aggregate ? aggregate.InnerExceptions[0] : exception;
        stderr.WriteLine("error: " + OneLine(shown.Message));
        string? trace = Environment.GetEnvironmentVariable(TraceVariable);
        if (verbose || (!string.IsNullOrEmpty(trace) && trace != "0"))
        {
            stderr.WriteLine(shown.ToString());
        }
    }

    /// <summary>A message on one line (some exception messages span several).</summary>
    public static string OneLine(string message) =>
        string.Join(' ', message.Split(['\r', '\n'], StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries));
}
