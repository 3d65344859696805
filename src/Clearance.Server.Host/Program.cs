// clearance-server: `clearance serve` in a process of its own. The native (Native AOT) `clearance` cannot hold the
// server, whose pages are Razor components (not supported under Native AOT), so it starts this executable, published
// beside it (scripts/publish.sh: publish/server/clearance-server), with the options it was given; the JIT-built CLI runs
// the same ClearanceServer.RunAsync in its own process. Framework-dependent and ReadyToRun: a long-running service, where
// the JIT's tiered code pays off (docs/architecture.md, "Native CLI, JIT server"). Clearance.Server is the library the
// CLI references; this project holds only its entry point.
using System.Runtime.InteropServices;
using Clearance.Application;
using Clearance.Server;
using Clearance.Store;

// Machine formats everywhere, as in the CLI: answers must not depend on the server's locale.
FrontEndProcess.UseMachineCulture();

if (ServerArguments.Parse(args) is not { } arguments)
{
    Console.Error.WriteLine($"error: usage: clearance-server {ServerArguments.Usage}");
    return ExitCodes.Failed;
}

// Ctrl+C or SIGTERM stops the service (also before it listens) with exit 0, as in `clearance serve` under the JIT, where
// System.CommandLine turns them into the cancellation of the command.
using var stop = new CancellationTokenSource();
void Stop(PosixSignalContext signal)
{
    signal.Cancel = true;
    stop.Cancel();
}

using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, Stop);
using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, Stop);
try
{
    return await ClearanceServer.RunAsync(arguments.Settings, Console.Out, Console.Error, stop.Token).ConfigureAwait(false);
}
catch (Exception e) when (DatabaseLocation.DescribeFailure(DatabaseLocation.Resolve(arguments.Settings.Database), e) is { } failure)
{
    // A read-only or full database, said in the user's terms (as the CLI does): exit 1.
    Console.Error.WriteLine("error: " + failure);
    return ExitCodes.Failed;
}
catch (Exception e)
{
    // An error nobody expected: one line (the stack trace with --verbose or CLEARANCE_TRACE), exit 70 (EX_SOFTWARE), as the CLI.
    FrontEndProcess.WriteUnexpected(e, Console.Error, arguments.Verbose);
    return ExitCodes.Unexpected;
}
