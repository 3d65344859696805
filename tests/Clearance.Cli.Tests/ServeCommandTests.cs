using System.CommandLine;
using Clearance.Application;
using Clearance.Cli.Serve;
using Clearance.Server;
using Clearance.Store;

namespace Clearance.Cli.Tests;

/// <summary>
/// <c>clearance serve</c> stopped as a person stops it, and refused a database it cannot use (in either process) or an
/// address it cannot listen on.
/// </summary>
public sealed class ServeCommandTests : IDisposable
{
    /// <summary>Long enough for a loaded machine's start; a serve that listens after all fails its test instead of hanging it.</summary>
    private static readonly TimeSpan ServeLimit = TimeSpan.FromMinutes(3);

    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clearance-serve-");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public async Task Serve_InterruptedBeforeListening_StopsExit0WithoutAnError()
    {
        // Ctrl+C before the server listens (a slow start: the README test's SIGINT after 10 s on a loaded machine) used
        // to end as an unexpected error, "error: A task was canceled." and exit 70.
        using var interrupted = new CancellationTokenSource();
        await interrupted.CancelAsync();
        var root = new RootCommand { ServeCommand.Create() };
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await root.Parse(["serve", "--urls", "http://127.0.0.1:0", "--db", Path.Combine(_dir.FullName, "clearance.db")])
            .InvokeAsync(new InvocationConfiguration { Output = output, Error = error, EnableDefaultExceptionHandler = false }, interrupted.Token);

        Assert.Equal(ExitCodes.Done, exit);
        Assert.Equal("", error.ToString());
    }

    /// <summary>
    /// The start both forms of <c>serve</c> share (the JIT CLI in process, clearance-server for the native CLI): a database
    /// it cannot use is one error line and exit 1 before anything listens, never a service left running.
    /// </summary>
    [Theory]
    [InlineData("not-a-database")]
    [InlineData("newer-schema")]
    [InlineData("postgres-to-nothing")]
    public async Task RunAsync_UnusableDatabase_OneLineExit1WithoutListening(string kind)
    {
        var (database, message) = UnusableDatabase(kind);
        var output = new StringWriter();
        var error = new StringWriter();

        var exit = await ClearanceServer.RunAsync(new ServerSettings { Database = database, Urls = "http://127.0.0.1:0" }, output, error, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(5));

        Assert.Equal((ExitCodes.Failed, "", message + Environment.NewLine), (exit, output.ToString(), error.ToString()));
    }

    /// <summary>
    /// The native CLI's serve ends as soon as its server ends, with the server's exit code (the server has written its
    /// error to the standard error both share); the server had the user's options.
    /// </summary>
    [Theory]
    [InlineData(ExitCodes.Failed)]
    [InlineData(ExitCodes.Unexpected)]
    public async Task ServerProcess_ServerEndsBeforeListening_ItsExitCodeAtOnce(int serverExit)
    {
        var arguments = Path.Combine(_dir.FullName, "arguments");
        var server = Path.Combine(_dir.FullName, "clearance-server");
        File.WriteAllText(server, $"#!/bin/sh\nprintf '%s\\n' \"$@\" > '{arguments}'\nexit {serverExit}\n");
        if (!OperatingSystem.IsWindows())
            File.SetUnixFileMode(server, UnixFileMode.UserRead | UnixFileMode.UserWrite | UnixFileMode.UserExecute);
        var db = Path.Combine(_dir.FullName, "clearance.db");

        var exit = await ServerProcess.RunAsync(server, new ServerSettings { Database = db, Urls = "http://127.0.0.1:0" }, verbose: true, CancellationToken.None)
            .WaitAsync(TimeSpan.FromMinutes(1));

        Assert.Equal(serverExit, exit);
        Assert.Equal(["--urls", "http://127.0.0.1:0", "--db", db, "--verbose"], File.ReadAllLines(arguments));
    }

    [Fact]
    public async Task ServerProcess_ServerMissing_Exit1()
    {
        var exit = await ServerProcess.RunAsync(Path.Combine(_dir.FullName, "server", "clearance-server"), new ServerSettings(), verbose: false, CancellationToken.None);

        Assert.Equal(ExitCodes.Failed, exit);
    }

    /// <summary>
    /// A <c>--urls</c> Kestrel cannot listen on as written: a usage error naming the option and the value, exit 1, before
    /// anything starts (no database created, no process left listening). Kestrel used to find these while binding (a
    /// stack trace, exit 70), or to listen elsewhere: <c>http://:abc</c> on every interface, port 80; <c>""</c> on localhost:5000.
    /// </summary>
    /// <remarks>The wording of each problem is ListenAddressesTests' (Clearance.Server.Tests); here, that the CLI says it.</remarks>
    [Theory]
    [InlineData("notaurl")]
    [InlineData("http://:abc")]
    [InlineData("ftp://x")]
    [InlineData("http://127.0.0.1:99999")]
    [InlineData("")]
    public void Serve_MalformedUrls_UsageErrorExit1WithNothingStarted(string urls)
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        var problem = ListenAddresses.Problem(urls);

        var run = TestProcess.Run(CliRunner.Start(db, "serve", "--urls", urls), ServeLimit);

        Assert.NotNull(problem);
        Assert.Equal((ExitCodes.Failed, "", $"error: --urls: {problem}\n"), run);
        Assert.False(File.Exists(db), "the database was created: serve started before refusing --urls");
    }

    /// <summary>
    /// An address another process listens on: one line naming the address and the cause, exit 1 (the table's "could not
    /// start"), without the host's "Hosting failed to start" log and its stack trace.
    /// </summary>
    [Fact]
    public void Serve_AddressInUse_OneLineNamingItExit1()
    {
        var taken = new System.Net.Sockets.TcpListener(System.Net.IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var address = $"http://127.0.0.1:{((System.Net.IPEndPoint)taken.LocalEndpoint).Port}";

            var run = TestProcess.Run(CliRunner.Start(Path.Combine(_dir.FullName, "clearance.db"), "serve", "--urls", address), ServeLimit);

            Assert.Equal((ExitCodes.Failed, "", $"error: cannot listen: Failed to bind to address {address}: address already in use.\n"), run);
        }
        finally
        {
            taken.Stop();
        }
    }

    /// <summary>The addresses from configuration (<c>Clearance__Urls</c>) are checked as <c>--urls</c> is, and named as the setting.</summary>
    [Fact]
    public void Serve_MalformedUrlsFromConfiguration_OneLineNamingTheSettingExit1()
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        var start = CliRunner.Start(db, "serve");
        start.Environment["Clearance__Urls"] = "http://:5080";

        var run = TestProcess.Run(start, ServeLimit);

        Assert.Equal((ExitCodes.Failed, "", "error: Clearance:Urls (configuration): 'http://:5080' has no host Kestrel can listen on; give http://HOST:PORT, e.g. http://127.0.0.1:5080\n"), run);
        Assert.False(File.Exists(db), "the database was created: serve started before refusing the address");
    }

    /// <summary>
    /// https:// without a certificate (HOME empty, so no developer certificate either): the address and what to give, exit
    /// 1, rather than Kestrel's advice to run <c>dotnet dev-certs</c> and exit 70.
    /// </summary>
    [Fact]
    public void Serve_HttpsWithoutCertificate_OneLineExit1()
    {
        var start = CliRunner.Start(Path.Combine(_dir.FullName, "clearance.db"), "serve", "--urls", "https://127.0.0.1:0");
        start.Environment["HOME"] = _dir.FullName;

        var run = TestProcess.Run(start, ServeLimit);

        Assert.Equal(
            (ExitCodes.Failed, "", "error: cannot listen on https://127.0.0.1:0: no server certificate for https://; give one in Kestrel__Certificates__Default__Path "
                + "(and __KeyPath or __Password), or listen on http:// behind a proxy that ends TLS (docs/deployment.md)\n"),
            run);
    }

    /// <summary>A database <c>serve</c> cannot use, of the kind named, and the error line both forms of serve write for it.</summary>
    private (string Database, string Message) UnusableDatabase(string kind)
    {
        var path = Path.Combine(_dir.FullName, kind + ".db");
        switch (kind)
        {
            case "not-a-database":
                File.WriteAllText(path, "not a database\n");
                return (path, $"error: {path} is not a clearance database (SQLite: file is not a database); give the database with --db or $CLEARANCE_DB");
            case "newer-schema":
                _ = LicenseStore.Open(path);
                NewerReleaseDatabase.Mark(path, 999);

                var refused = Assert.Throws<SchemaVersionException>(() => LicenseStore.Open(path));
                Assert.StartsWith($"database schema version 999 of {path} is newer than this clearance supports", refused.Message, StringComparison.Ordinal);
                return (path, "error: " + refused.Message);
            default:
                // A closed port: refused at once, no PostgreSQL server needed.
                return ("Host=127.0.0.1;Port=1;Database=clearance;Username=clearance;Password=x", "error: cannot connect to the PostgreSQL database postgresql://clearance@127.0.0.1:1/clearance: Failed to connect to 127.0.0.1:1");
        }
    }
}
