using System.Net;
using System.Net.Sockets;

namespace Clearance.Application.Tests;

/// <summary>
/// <c>lists update</c>'s download against a real HTTP server on loopback that misbehaves (issue 7, input size limits):
/// an endless body and a body that stops part-way end with a clear error within seconds, and leave neither the target
/// nor a partial file behind.
/// </summary>
public sealed class ListDownloadTests : IDisposable
{
    private readonly string _directory = Directory.CreateTempSubdirectory("clearance-download-").FullName;

    public void Dispose() => Directory.Delete(_directory, recursive: true);

    /// <summary>Serves one request with <paramref name="respond"/> writing the body (no Content-Length: chunked).</summary>
    private static (HttpListener Server, string Url, Task Serving) Serve(Func<Stream, Task> respond)
    {
        var probe = new TcpListener(IPAddress.Loopback, 0); // HttpListener cannot bind port 0: take a free port from the OS
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        var server = new HttpListener();
        server.Prefixes.Add($"http://127.0.0.1:{port}/");
        server.Start();
        var serving = Task.Run(async () =>
        {
            var context = await server.GetContextAsync();
            try
            {
                context.Response.SendChunked = true;
                await respond(context.Response.OutputStream);
                context.Response.Close();
            }
            catch (HttpListenerException)
            {
                // The client hung up, as it should once the limit is reached.
            }
        });
        return (server, $"http://127.0.0.1:{port}/sdn.csv", serving);
    }

    [Fact]
    public async Task Download_EndlessBody_RefusedAtTheLimitWithNoFileLeft()
    {
        using var stop = new CancellationTokenSource();
        var (server, url, _) = Serve(async body =>
        {
            var chunk = new byte[64 * 1024];
            Array.Fill(chunk, (byte)'A');
            while (!stop.IsCancellationRequested)
                await body.WriteAsync(chunk, stop.Token);
        });
        using var _ = server;
        using var http = new HttpClient();
        var target = Path.Combine(_directory, "sdn.csv");
        var watch = System.Diagnostics.Stopwatch.StartNew();

        var e = await Assert.ThrowsAsync<IOException>(() => ListUpdate.Download(http, url, target, 1_000_000, TimeSpan.FromSeconds(30), CancellationToken.None));
        await stop.CancelAsync();

        Assert.Equal("the body is more than the 1,000,000 bytes a list file may have", e.Message);
        Assert.True(watch.Elapsed < TimeSpan.FromSeconds(10), $"took {watch.Elapsed}");
        Assert.Empty(Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Download_ServerStopsSending_ClearErrorAfterTheIdleTimeout()
    {
        using var release = new SemaphoreSlim(0);
        var (server, url, serving) = Serve(async body =>
        {
            await body.WriteAsync("ent_num,SDN_Name\n"u8.ToArray());
            await body.FlushAsync();
            await release.WaitAsync(TimeSpan.FromSeconds(30)); // then stop sending, as a stalled server does
        });
        using var _ = server;
        using var http = new HttpClient();
        var target = Path.Combine(_directory, "sdn.csv");
        File.WriteAllText(target, "the previous download");

        var e = await Assert.ThrowsAsync<IOException>(() => ListUpdate.Download(http, url, target, 1_000_000, TimeSpan.FromSeconds(1), CancellationToken.None));
        release.Release();
        await serving;

        Assert.Equal("no data for 1 s after 17 bytes: the server stopped sending", e.Message);
        Assert.Equal("the previous download", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(_directory));
    }

    [Fact]
    public async Task Download_BodyWithinTheLimit_ReplacesTheTarget()
    {
        var (server, url, serving) = Serve(body => body.WriteAsync("ent_num,SDN_Name\n"u8.ToArray()).AsTask());
        using var _ = server;
        using var http = new HttpClient();
        var target = Path.Combine(_directory, "sdn.csv");

        await ListUpdate.Download(http, url, target, 17, TimeSpan.FromSeconds(30), CancellationToken.None);
        await serving;

        Assert.Equal("ent_num,SDN_Name\n", File.ReadAllText(target));
        Assert.Equal([target], Directory.GetFiles(_directory));
    }
}
