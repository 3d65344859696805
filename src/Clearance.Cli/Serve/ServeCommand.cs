using System.CommandLine;
using Clearance.Server;
using Clearance.Store;
using Microsoft.Extensions.Hosting;

namespace Clearance.Cli.Serve;

/// <summary><c>clearance serve</c>: the HTTP API on the same database and content as the commands.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"where to listen, ';'-separated (default: {ServerSettings.DefaultUrls}, loopback only)" };
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("serve", "Serve the HTTP API (/api/v1, OpenAPI at /openapi/v1.json, reference at /scalar, /health/live and /health/ready); keys from 'clearance keys create'.")
        {
            urls, db,
        };
        command.SetAction(async (parse, cancellation) =>
        {
            Microsoft.AspNetCore.Builder.WebApplication app;
            try
            {
                app = ClearanceServer.Build(new ServerSettings { Database = parse.GetValue(db), Urls = parse.GetValue(urls) ?? ServerSettings.DefaultUrls });
            }
            catch (ListStoreException e)
            {
                Console.Error.WriteLine("error: " + e.Message);
                return ExitCodes.Failed;
            }

            try
            {
                await app.StartAsync(cancellation).ConfigureAwait(false);
                // One line a script or a test can wait for: the addresses actually bound (a port 0 is chosen here).
                Console.Out.WriteLine($"listening on {string.Join(" ", app.Urls)}");
                Console.Out.Flush();
                await app.WaitForShutdownAsync(cancellation).ConfigureAwait(false);
            }
            catch (IOException e)
            {
                // The address is taken, or not one of this machine's.
                Console.Error.WriteLine("error: cannot listen: " + e.Message);
                return ExitCodes.Failed;
            }
            catch (OperationCanceledException) when (cancellation.IsCancellationRequested)
            {
                // Ctrl+C (or SIGTERM) before the server was listening: stopped as asked, not an unexpected error (exit 70).
                return ExitCodes.Done;
            }

            return ExitCodes.Done;
        });
        return command;
    }
}
