using System.Net;
using System.Net.Sockets;

namespace Clearance.Cli.Tests;

/// <summary>
/// An HTTP server on a free loopback port serving files read in place: a request for <c>/PREFIX/path</c> gets
/// <c>path</c> under the folder mapped to <c>PREFIX/</c> (the first prefix that matches, in the order given; the empty
/// prefix maps every other path), anything else a 404.
/// </summary>
internal sealed class LocalFileServer : IDisposable
{
    private readonly HttpListener _server = new();
    private readonly Dictionary<string, string> _roots;
    private readonly Task _serving;

    /// <param name="roots">URL prefixes ending in <c>/</c> (<c>lists/</c>) and the folders they serve.</param>
    public LocalFileServer(Dictionary<string, string> roots)
    {
        _roots = roots.ToDictionary(r => r.Key, r => Path.GetFullPath(r.Value));
        var probe = new TcpListener(IPAddress.Loopback, 0); // HttpListener cannot bind port 0: take a free port from the OS
        probe.Start();
        var port = ((IPEndPoint)probe.LocalEndpoint).Port;
        probe.Stop();
        BaseUrl = $"http://127.0.0.1:{port}/";
        _server.Prefixes.Add(BaseUrl);
        _server.Start();
        _serving = Task.Run(Serve);
    }

    /// <summary><c>http://127.0.0.1:PORT/</c>.</summary>
    public string BaseUrl { get; }

    private async Task Serve()
    {
        while (_server.IsListening)
        {
            HttpListenerContext context;
            try
            {
                context = await _server.GetContextAsync();
            }
            catch (Exception e) when (e is HttpListenerException or ObjectDisposedException or InvalidOperationException)
            {
                return;
            }

            var relative = Uri.UnescapeDataString(context.Request.Url!.AbsolutePath.TrimStart('/'));
            var root = _roots.FirstOrDefault(r => relative.StartsWith(r.Key, StringComparison.Ordinal));
            var path = root.Key is null ? null : Path.GetFullPath(Path.Combine(root.Value, relative[root.Key.Length..]));
            if (path is not null && path.StartsWith(root.Value + Path.DirectorySeparatorChar, StringComparison.Ordinal) && File.Exists(path))
            {
                await using var file = File.OpenRead(path);
                context.Response.ContentLength64 = file.Length;
                await file.CopyToAsync(context.Response.OutputStream);
            }
            else
            {
                context.Response.StatusCode = 404;
            }

            context.Response.Close();
        }
    }

    public void Dispose()
    {
        _server.Stop();
        _server.Close();
        _serving.Wait(TimeSpan.FromSeconds(5));
    }
}
