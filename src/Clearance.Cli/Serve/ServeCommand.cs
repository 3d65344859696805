using System.CommandLine;
using System.Runtime.CompilerServices;
using Clearance.Server;

namespace Clearance.Cli.Serve;

/// <summary><c>clearance serve</c>: the HTTP API on the same database and content as the commands.</summary>
internal static class ServeCommand
{
    public static Command Create()
    {
        var urls = new Option<string?>("--urls") { Description = $"where to listen, ';'-separated (default: {ServerSettings.DefaultUrls}, loopback only)" };
        // A usage error before anything starts, in the native CLI before its server process too.
        urls.Validators.Add(result =>
        {
            if (result.GetValueOrDefault<string?>() is { } value && ListenAddresses.Problem(value) is { } problem)
                result.AddError("--urls: " + TerminalText.Visible(problem));
        });
        var db = Licenses.LicensesCommand.DbOption();
        var command = new Command("serve", "Serve the HTTP API (/api/v1, OpenAPI at /openapi/v1.json, reference at /scalar, /health/live and /health/ready); keys from 'clearance keys create'.")
        {
            urls, db,
        };
        command.SetAction((parse, cancellation) => Run(
            new ServerSettings { Database = parse.GetValue(db), Urls = parse.GetValue(urls) ?? ServerSettings.DefaultUrls },
            Verbose(parse),
            cancellation));
        return command;
    }

    /// <summary>The root's --verbose, passed on to the server's process (a root without it, as in tests: false).</summary>
    private static bool Verbose(ParseResult parse) =>
        parse.RootCommandResult.Command.Options.OfType<Option<bool>>().FirstOrDefault(o => o.Name == "--verbose") is { } verbose && parse.GetValue(verbose);

    /// <summary>
    /// Under the JIT the server runs here. The native CLI (Native AOT, scripts/publish.sh) has no JIT and cannot hold the
    /// server's Razor pages: it runs the clearance-server executable published beside it, which calls the same
    /// <see cref="ClearanceServer.RunAsync"/>. The native build's compiler takes IsDynamicCodeSupported as the constant
    /// false and leaves the first branch, and with it the whole server, out of the binary (28 MB instead of 49).
    /// </summary>
    private static Task<int> Run(ServerSettings settings, bool verbose, CancellationToken cancellation) =>
        RuntimeFeature.IsDynamicCodeSupported
            ? ClearanceServer.RunAsync(settings, Console.Out, Console.Error, cancellation)
            : ServerProcess.RunAsync(settings, verbose, cancellation);
}
