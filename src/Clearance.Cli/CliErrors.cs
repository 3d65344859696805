using Clearance.Application;
using Clearance.Store;

namespace Clearance.Cli;

/// <summary>The exit codes of <c>clearance</c> and the last-resort report of an error nothing else handled.</summary>
public static class CliErrors
{
    /// <summary>The command line is wrong: an unknown option, a bad value, a missing argument (nothing was done).</summary>
    public const int UsageExitCode = ExitCodes.Failed;

    /// <summary>An error the program did not expect (EX_SOFTWARE in BSD sysexits.h).</summary>
    public const int UnexpectedExitCode = ExitCodes.Unexpected;

    /// <summary>When set (to anything but empty or 0), unexpected errors print their stack trace, as <c>--verbose</c> does.</summary>
    public const string TraceVariable = FrontEndProcess.TraceVariable;

    /// <summary>Writes <c>error: message</c> (and the stack trace when asked for) and returns <see cref="UnexpectedExitCode"/>.</summary>
    /// <param name="exception">The unhandled exception.</param>
    /// <param name="stderr">Standard error.</param>
    /// <param name="verbose">True when --verbose was given.</param>
    public static int ReportUnexpected(Exception exception, TextWriter stderr, bool verbose)
    {
        FrontEndProcess.WriteUnexpected(exception, stderr, verbose);
        return UnexpectedExitCode;
    }

    /// <summary>
    /// The database error a user can meet (a read-only or full database, a disk error: <see cref="DatabaseLocation.DescribeFailure"/>)
    /// behind an exception no command handled, said in the user's terms for the database named by the command's --db
    /// (else $CLEARANCE_DB, else the default); null when it is not one, or the command has no --db.
    /// </summary>
    /// <param name="exception">The unhandled exception.</param>
    /// <param name="parsed">The command line, for its --db.</param>
    public static string? DatabaseFailure(Exception exception, System.CommandLine.ParseResult parsed)
    {
        ArgumentNullException.ThrowIfNull(exception);
        ArgumentNullException.ThrowIfNull(parsed);
        if (!parsed.CommandResult.Command.Options.Any(o => o.Name == "--db"))
            return null;
        try
        {
            return DatabaseLocation.DescribeFailure(DatabaseLocation.Resolve(parsed.GetValue<string?>("--db")), exception);
        }
        catch (Exception e) when (e is ArgumentException or IOException or UnauthorizedAccessException)
        {
            return null; // the location itself is unusable: the error as it stands says more
        }
    }
}
