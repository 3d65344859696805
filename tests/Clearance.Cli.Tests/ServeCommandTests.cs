using System.CommandLine;
using Clearance.Cli.Serve;

namespace Clearance.Cli.Tests;

/// <summary><c>clearance serve</c> stopped as a person stops it.</summary>
public sealed class ServeCommandTests : IDisposable
{
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
}
