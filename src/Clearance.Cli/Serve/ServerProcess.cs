using System.Diagnostics;
using System.Runtime.InteropServices;
using Clearance.Application;
using Clearance.Server;

namespace Clearance.Cli.Serve;

/// <summary>
/// <c>clearance serve</c> from the native CLI: the <c>clearance-server</c> executable that scripts/publish.sh lays out
/// beside it (<c>server/clearance-server</c>), run as a child with the same options, the same standard output and error
/// (inherited, not copied) and its exit code returned; SIGINT and SIGTERM are passed on, and a cancellation of the
/// command without a signal becomes a SIGTERM, so the server stops as it does in process.
/// </summary>
internal static class ServerProcess
{
    /// <summary>Where the server is, relative to the folder of the native <c>clearance</c>.</summary>
    internal static readonly string RelativePath = Path.Combine("server", "clearance-server");

    private const int SigInt = 2;
    private const int SigTerm = 15;

    public static Task<int> RunAsync(ServerSettings settings, bool verbose, CancellationToken cancellation) =>
        RunAsync(Path.Combine(AppContext.BaseDirectory, RelativePath), settings, verbose, cancellation);

    /// <summary>
    /// <paramref name="executable"/> run as the server: its exit code as soon as it ends, also when it ends before it
    /// listens (a database it cannot use: its one error line, exit 1, as <c>serve</c> under the JIT).
    /// </summary>
    internal static async Task<int> RunAsync(string executable, ServerSettings settings, bool verbose, CancellationToken cancellation)
    {
        if (!File.Exists(executable))
        {
            Console.Error.WriteLine($"error: cannot serve: {executable} is missing (scripts/publish.sh publishes it beside the native clearance)");
            return ExitCodes.Failed;
        }

        var start = new ProcessStartInfo(executable) { UseShellExecute = false };
        foreach (var argument in ServerArguments.Format(settings, verbose))
        {
            start.ArgumentList.Add(argument);
        }

        using var server = Process.Start(start) ?? throw new InvalidOperationException($"{executable} did not start");
        // A Ctrl+C in a terminal reaches the server too (one process group); a signal sent to this process alone does not.
        using var interrupt = PosixSignalRegistration.Create(PosixSignal.SIGINT, signal => PassOn(signal, server, SigInt));
        using var terminate = PosixSignalRegistration.Create(PosixSignal.SIGTERM, signal => PassOn(signal, server, SigTerm));
        await using var cancelled = cancellation.Register(() => Signal(server, SigTerm)).ConfigureAwait(false);
        await server.WaitForExitAsync(CancellationToken.None).ConfigureAwait(false);
        return server.ExitCode;
    }

    /// <summary>This process waits for the server to stop rather than stopping first.</summary>
    private static void PassOn(PosixSignalContext signal, Process server, int number)
    {
        signal.Cancel = true;
        Signal(server, number);
    }

    private static void Signal(Process server, int number)
    {
        if (!server.HasExited)
            _ = Kill(server.Id, number);
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);
}
