using Clearance.Store;
using Microsoft.Extensions.Hosting;

namespace Clearance.Server;

/// <content>
/// <c>clearance serve</c>'s run, whichever process it happens in: the JIT-built CLI calls it in process, the native CLI
/// (which cannot hold the Razor pages) starts the <c>clearance-server</c> executable, whose entry point calls it too.
/// </content>
public static partial class ClearanceServer
{
    /// <summary>
    /// Builds the service, starts it, prints the one <c>listening on ...</c> line and runs until
    /// <paramref name="cancellation"/> or the host's own shutdown (SIGINT, SIGTERM); returns the exit code.
    /// </summary>
    public static async Task<int> RunAsync(ServerSettings settings, TextWriter output, TextWriter error, CancellationToken cancellation)
    {
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        WebApplication app;
        try
        {
            app = Build(settings);
        }
        catch (ListStoreException e)
        {
            error.WriteLine("error: " + e.Message);
            return ExitCodes.Failed;
        }

        try
        {
            await app.StartAsync(cancellation).ConfigureAwait(false);
            // One line a script or a test can wait for: the addresses actually bound (a port 0 is chosen here).
            output.WriteLine($"listening on {string.Join(" ", app.Urls)}");
            output.Flush();
            await app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
        }
        catch (IOException e)
        {
            // The address is taken, or not one of this machine's.
            error.WriteLine("error: cannot listen: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C (or SIGTERM) before the server was listening: stopped as asked, not an unexpected error (exit 70).
            return ExitCodes.Done;
        }

        return ExitCodes.Done;
    }
}
