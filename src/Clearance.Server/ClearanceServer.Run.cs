using System.Net.Sockets;
using Clearance.Store;
using Microsoft.Extensions.DependencyInjection;
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
        catch (Exception e) when (e is ListStoreException or ServerSettingException)
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
            // The address is taken: Kestrel's message names it ("Failed to bind to address http://...: address already in use.").
            error.WriteLine("error: cannot listen: " + e.Message);
            return ExitCodes.Failed;
        }
        catch (SocketException e)
        {
            // The address is not one of this machine's, or a port below 1024 without the right to it: the socket's cause.
            error.WriteLine($"error: cannot listen on {Urls(app)}: {e.Message}");
            return ExitCodes.Failed;
        }
        catch (InvalidOperationException e) when (Urls(app).Contains("https://", StringComparison.OrdinalIgnoreCase) && e.Message.Contains("certificate", StringComparison.OrdinalIgnoreCase))
        {
            // Kestrel's own message is about a developer certificate and `dotnet dev-certs`, which a server does not use.
            error.WriteLine($"error: cannot listen on {Urls(app)}: no server certificate for https://; give one in Kestrel__Certificates__Default__Path "
                + "(and __KeyPath or __Password), or listen on http:// behind a proxy that ends TLS (docs/deployment.md)");
            return ExitCodes.Failed;
        }
        catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
        {
            // Ctrl+C (or SIGTERM) before the server was listening: stopped as asked, not an unexpected error (exit 70).
            return ExitCodes.Done;
        }

        return ExitCodes.Done;
    }

    /// <summary>The addresses the service was given, from the command line or configuration.</summary>
    private static string Urls(WebApplication app) => app.Services.GetRequiredService<ServerSettings>().Urls;
}
