using System.Diagnostics;
using System.Net.Http.Headers;
using System.Text;
using System.Text.Json;
using Clearance.Cli.Tests;

namespace Clearance.Browser.Tests;

/// <summary>
/// A real <c>clearance serve</c> (the built CLI in a process of its own, as an operator starts it) on a free loopback port
/// and a fresh SQLite database, with Japan's End User List and OFAC's SDN list imported from ../shared/lists and an
/// operator's and an officer's key made by <c>clearance keys create</c>: what a compliance team has after the README.
/// </summary>
internal sealed class ServedClearance : IAsyncDisposable
{
    /// <summary>How long the server may take to listen: a cold start of the runtime on a busy 2-core machine.</summary>
    private static readonly TimeSpan StartTimeout = TimeSpan.FromSeconds(60);

    private readonly Process _server;

    private ServedClearance(TempDirectory directory, string database, Process server, Uri address, Dictionary<string, string> keys)
    {
        Directory = directory;
        Database = database;
        _server = server;
        Address = address;
        KeyOf = keys;
    }

    /// <summary>The scratch folder holding the database.</summary>
    public TempDirectory Directory { get; }

    /// <summary>The SQLite database the server runs on.</summary>
    public string Database { get; }

    /// <summary>Where the server listens, e.g. http://127.0.0.1:41234/.</summary>
    public Uri Address { get; }

    /// <summary>A key per role the tests sign in with ("operator" submits and checks, "officer" decides), each named "ROLE-key".</summary>
    public IReadOnlyDictionary<string, string> KeyOf { get; }

    /// <summary>Makes the keys, imports the list and starts the server; throws with the server's output when it does not listen.</summary>
    public static async Task<ServedClearance> StartAsync()
    {
        var directory = new TempDirectory();
        var database = Path.Combine(directory.FullName, "clearance.db");
        var keys = new Dictionary<string, string>();
        foreach (var role in new[] { "operator", "officer" })
        {
            var created = Cli(database, "keys", "create", "--name", role + "-key", "--role", role, "--output", "json");
            keys[role] = JsonDocument.Parse(created).RootElement.GetProperty("key").GetString()!;
        }

        // Japan's End User List too: without it every export from Japan is indeterminate (the end user cannot be screened).
        Cli(database, "lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        Cli(database, "lists", "import", "--format", "ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv"));

        var start = new ProcessStartInfo("dotnet") { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { Path.Combine(AppContext.BaseDirectory, "clearance.dll"), "serve", "--urls", "http://127.0.0.1:0", "--db", database })
            start.ArgumentList.Add(argument);
        var server = Process.Start(start)!;
        var output = new StringBuilder();
        var listening = new TaskCompletionSource<Uri>(TaskCreationOptions.RunContinuationsAsynchronously);
        // Both streams are read to their end, not only up to the line awaited: a server whose log fills the pipe would stop.
        server.OutputDataReceived += (_, e) =>
        {
            if (e.Data is null)
                listening.TrySetException(new InvalidOperationException($"clearance serve stopped before listening; its output:\n{Text(output)}"));
            else if (e.Data.StartsWith(ListeningOn, StringComparison.Ordinal))
                listening.TrySetResult(new Uri(e.Data[ListeningOn.Length..].Split(' ')[0].TrimEnd('/') + "/"));
            else
                Append(output, e.Data);
        };
        server.ErrorDataReceived += (_, e) => Append(output, e.Data);
        server.BeginOutputReadLine();
        server.BeginErrorReadLine();
        try
        {
            var address = await listening.Task.WaitAsync(StartTimeout);
            return new ServedClearance(directory, database, server, address, keys);
        }
        catch (TimeoutException)
        {
            server.Kill(entireProcessTree: true);
            throw new InvalidOperationException($"clearance serve did not listen within {StartTimeout.TotalSeconds} s; its output:\n{Text(output)}");
        }
    }

    /// <summary>The line <c>clearance serve</c> prints once it listens, before the addresses.</summary>
    private const string ListeningOn = "listening on ";

    private static void Append(StringBuilder output, string? line)
    {
        lock (output)
            output.AppendLine(line);
    }

    private static string Text(StringBuilder output)
    {
        lock (output)
            return output.ToString();
    }

    /// <summary>Standard output of <c>clearance ARGS</c> on <paramref name="database"/>; fails the test on a non-zero exit.</summary>
    private static string Cli(string database, params string[] args)
    {
        var (exit, stdout, stderr) = CliRunner.Run(database, null, args);
        Assert.True(exit == 0, $"clearance {string.Join(' ', args)} exited {exit}: {stderr}");
        return stdout;
    }

    /// <summary>An API client (no browser) sending the key of <paramref name="role"/>, as an ERP does.</summary>
    public HttpClient Api(string role)
    {
        var client = new HttpClient { BaseAddress = Address };
        client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", KeyOf[role]);
        return client;
    }

    /// <summary>Submits shipment lines (JSON objects) through the API with the operator's key; answers the records.</summary>
    public async Task<JsonElement> SubmitAsync(params string[] lines)
    {
        using var client = Api("operator");
        using var body = new StringContent("[" + string.Join(",", lines) + "]", Encoding.UTF8, "application/json");
        using var response = await client.PostAsync("api/v1/shipments", body);
        var text = await response.Content.ReadAsStringAsync();
        Assert.True(response.IsSuccessStatusCode, $"{(int)response.StatusCode}: {text}");
        return JsonDocument.Parse(text).RootElement.Clone();
    }

    public async ValueTask DisposeAsync()
    {
        if (!_server.HasExited)
        {
            _server.Kill(entireProcessTree: true);
            await _server.WaitForExitAsync();
        }

        _server.Dispose();
        Directory.Dispose();
    }
}
