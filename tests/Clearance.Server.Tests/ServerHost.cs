using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Clearance.Server;
using Clearance.Store;
using Microsoft.AspNetCore.Builder;

namespace Clearance.Server.Tests;

/// <summary>
/// A real service (Kestrel on a free loopback port) on a fresh database of either provider, with one key per role, and
/// the CLI on the same database to compare answers with.
/// </summary>
internal sealed class ServerHost : IAsyncDisposable
{
    private readonly TestDatabases _databases = new();
    private readonly WebApplication _app;

    private ServerHost(string provider, Func<ServerSettings, ServerSettings>? configure)
    {
        Database = _databases.Create(provider).Location;
        Keys = ApiKeyStore.Open(Database);
        foreach (var role in ApiKeyStore.RoleNames)
            KeyOf[role] = Keys.Create(role + "-key", ApiKeyStore.ParseRole(role)!.Value, "test").Key;
        var settings = new ServerSettings { Database = Database, Urls = "http://127.0.0.1:0" };
        _app = ClearanceServer.Build(configure?.Invoke(settings) ?? settings);
    }

    /// <summary>The database location (SQLite path or PostgreSQL connection string).</summary>
    public string Database { get; }

    /// <summary>The keys' store.</summary>
    public ApiKeyStore Keys { get; }

    /// <summary>A key per role name ("viewer", ...); each named "ROLE-key".</summary>
    public Dictionary<string, string> KeyOf { get; } = [];

    /// <summary>A client of the service without a key.</summary>
    public HttpClient Anonymous { get; private set; } = null!;

    /// <summary>A folder for files a test writes.</summary>
    public TempDirectory Directory => _databases.Directory;

    public static async Task<ServerHost> StartAsync(string provider, Func<ServerSettings, ServerSettings>? configure = null)
    {
        var host = new ServerHost(provider, configure);
        await host._app.StartAsync();
        host.Anonymous = new HttpClient { BaseAddress = new Uri(host._app.Urls.First()) };
        return host;
    }

    /// <summary>
    /// A second server on the same database (another replica: nothing shared in memory with the first), with its own
    /// clients; stopped with the host.
    /// </summary>
    public async Task<ServerHost> ReplicaAsync()
    {
        var replica = new ServerHost(this);
        await replica._app.StartAsync();
        replica.Anonymous = new HttpClient { BaseAddress = new Uri(replica._app.Urls.First()) };
        _replicas.Add(replica);
        return replica;
    }

    private ServerHost(ServerHost first)
    {
        Database = first.Database;
        Keys = first.Keys;
        KeyOf = first.KeyOf;
        _app = ClearanceServer.Build(new ServerSettings { Database = Database, Urls = "http://127.0.0.1:0" });
    }

    private readonly List<ServerHost> _replicas = [];

    /// <summary>A client that sends the key of <paramref name="role"/>.</summary>
    public HttpClient As(string role) => WithKey(KeyOf[role]);

    /// <summary>A client that sends <paramref name="key"/>.</summary>
    public HttpClient WithKey(string key)
    {
        var client = new HttpClient { BaseAddress = Anonymous.BaseAddress };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
        return client;
    }

    /// <summary>A JSON request body.</summary>
    public static StringContent Json(string json) => new(json, Encoding.UTF8, "application/json");

    /// <summary>What <c>clearance ARGS</c> prints on the same database (stdin given), its exit code and standard error.</summary>
    public (int Exit, string Stdout, string Stderr) Cli(string? stdin, params string[] args) => CliRunner.Run(Database, stdin, args);

    /// <summary>The body of a ProblemDetails answer, checked to be one: status, detail, no stack trace or SQL.</summary>
    public static async Task<JsonElement> ProblemAsync(HttpResponseMessage response, int status)
    {
        var text = await response.Content.ReadAsStringAsync();
        Assert.True((int)response.StatusCode == status, $"expected {status}, got {(int)response.StatusCode}: {text}");
        Assert.Equal("application/problem+json", response.Content.Headers.ContentType?.MediaType);
        foreach (var leak in new[] { "   at ", "Exception", "SELECT ", "INSERT ", "sqlite", "Npgsql" })
            Assert.DoesNotContain(leak, text, StringComparison.Ordinal);
        var problem = JsonDocument.Parse(text).RootElement.Clone();
        Assert.Equal(status, problem.GetProperty("status").GetInt32());
        return problem;
    }

    public async ValueTask DisposeAsync()
    {
        foreach (var replica in _replicas)
            await replica.DisposeAsync();
        Anonymous.Dispose();
        await _app.StopAsync();
        await _app.DisposeAsync();
        _databases.Dispose(); // a replica's holds no database, only its empty folder
    }
}
