namespace Clearance.Application;

/// <summary>
/// The exit codes of every front end: each command of <c>clearance</c> uses them the same way (the README's table), and
/// <c>clearance serve</c> returns the same ones whether the server runs in the CLI's process or as <c>clearance-server</c>
/// (which the native CLI starts). One table, so the two processes cannot drift apart. Scripts gate on them: 1 means
/// nothing was done, 2 means some records of a batch failed and the others were done, 3 means <c>screen</c> found a hit.
/// </summary>
public static class ExitCodes
{
    /// <summary>Done (for <c>screen</c>: done and no match; for <c>serve</c>: stopped as asked, also before it listened).</summary>
    public const int Done = 0;

    /// <summary>
    /// The user asked for something that cannot be done: a wrong option, a missing file, an unusable database, a refused
    /// import; for <c>serve</c>, a service that could not start (an unusable database, an address that cannot be bound).
    /// </summary>
    public const int Failed = 1;

    /// <summary>A batch ran, but some of its records had errors (each has an error record); or some sources of an update failed.</summary>
    public const int SomeRecordsFailed = 2;

    /// <summary><c>screen</c>: at least one party matched a list entry at or above the threshold. It wins over <see cref="SomeRecordsFailed"/>: a hit is never masked.</summary>
    public const int Hit = 3;

    /// <summary>An error the program did not expect (EX_SOFTWARE in BSD sysexits.h).</summary>
    public const int Unexpected = 70;
}
