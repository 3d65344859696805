using System.Diagnostics;
using System.Net;
using System.Net.Http.Headers;
using System.Runtime.InteropServices;
using System.Text;
using System.Text.Json;
using System.Text.RegularExpressions;
using Xunit.Abstractions;

namespace Clearance.Cli.Tests;

/// <summary>
/// The installed form, as the README's "Build once" paragraph has a user make it: <c>scripts/publish.sh</c> into a
/// temporary folder (once for the class: a Native AOT publish, ~8 minutes on 2 loaded cores), then the native
/// <c>clearance</c> run as a user runs it, each answer compared with the JIT-built CLI's (<see cref="CliRunner"/>), byte
/// for byte. In the category <c>Publish</c>, which <c>test.sh</c> runs once after the solution's run, alone.
/// </summary>
[Trait("Category", "Publish")]
[Collection(PublishCollection.Name)]
public sealed partial class NativePublishTests(NativePublish published, ITestOutputHelper output) : IClassFixture<NativePublish>, IDisposable
{
    private readonly DirectoryInfo _dir = Directory.CreateTempSubdirectory("clearance-native-");

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Delete(recursive: true);
    }

    [Fact]
    public void PublishScript_Default_NativeCliWithServerBeside()
    {
        var (publish, alias) = PublishScriptTests.ReadmeBuildOnce();
        output.WriteLine($"scripts/publish.sh took {published.Took:mm\\:ss} (wall, load {published.Load}); clearance is {new FileInfo(published.Executable).Length / 1_000_000} MB");

        Assert.Equal("scripts/publish.sh", publish);
        Assert.Equal("alias clearance=\"$PWD/publish/clearance\"", alias);
        Assert.True(published.Exit == 0, $"scripts/publish.sh exited {published.Exit}\n{PublishedProcess.Tail(published.Stdout)}\n{PublishedProcess.Tail(published.Stderr)}");
        Assert.Contains($"published to {published.Folder}: ", published.Stdout, StringComparison.Ordinal);
        // Native: machine code, no runtime and no IL beside it; the server a framework-dependent executable in server/.
        Assert.Equal("\u007FELF"u8.ToArray(), File.ReadAllBytes(published.Executable)[..4]);
        Assert.False(File.Exists(Path.Combine(published.Folder, "libcoreclr.so")), "a runtime in the published folder: not Native AOT");
        Assert.False(File.Exists(Path.Combine(published.Folder, "clearance.dll")), "clearance.dll in the published folder: not Native AOT");
        Assert.True(File.Exists(Path.Combine(published.Folder, "server", "clearance-server")), "no server/clearance-server beside the native CLI");
        Assert.True(File.Exists(Path.Combine(published.Folder, "server", "clearance-server.dll")), "no server/clearance-server.dll");
        // What running needs and nothing else: no documentation files, no symbols (SYMBOLS=1 publishes those).
        Assert.Empty(Directory.EnumerateFiles(published.Folder, "*", SearchOption.AllDirectories)
            .Where(f => Path.GetExtension(f) is ".xml" or ".pdb" or ".dbg")
            .Select(f => Path.GetRelativePath(published.Folder, f)));
        Assert.Equal(
            ["clearance", "libHarfBuzzSharp.so", "libSkiaSharp.so", "libe_sqlite3.so"],
            Directory.EnumerateFiles(published.Folder).Select(f => Path.GetFileName(f)).Order(StringComparer.Ordinal).ToArray());
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    public void Check_OneLine_SameAsBuiltCli(string format)
    {
        string[] args = ["check", "--from", "JP", "--to", "US", "--item", "JP:7(19)", "--item", "US:3B993", "--value", "1200.50 USD", "--quantity", "5 kg", "--date", "2024-01-01", "--output", format];

        var native = Native(args);

        Assert.Equal((0, ""), (native.Exit, native.Stderr));
        Assert.Contains("JP+US", native.Stdout, StringComparison.Ordinal);
        Assert.Equal(CliRunner.Run(Db, null, args), native);
    }

    [Fact]
    public void Check_OneLineTableIn80Columns_SameAsBuiltCli()
    {
        string[] args = ["check", "--from", "JP", "--to", "KR", "--item", "JP:3(1)", "--date", "2019-09-01"];

        var native = NativeTerminal(80, args);
        var built = CliRunner.Terminal(Db, 80, args);

        Assert.Equal(0, native.Exit);
        Assert.Contains("license-required", native.Text, StringComparison.Ordinal);
        Assert.Equal((built.Exit, built.Text), (native.Exit, native.Text));
    }

    [Theory]
    [InlineData("json")]
    [InlineData("csv")]
    [InlineData("json", "--trace")]
    public void CheckInput_Batch_SameAsBuiltCli(string format, string? extra = null)
    {
        string[] args = ["check", "--input", Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "2019-orders.jsonl"), "--output", format, .. extra is null ? Array.Empty<string>() : [extra]];

        var native = Native(args);

        Assert.Equal(0, native.Exit);
        Assert.Equal(353, native.Stdout.Count(c => c == '\n') - (format == "csv" ? 1 : 0));
        Assert.Equal(CliRunner.Run(Db, null, args), native);
    }

    [Theory]
    [InlineData("rules", "show", "--jurisdiction", "JP", "--date", "2019-09-01", "--country", "KR")]
    [InlineData("rules", "timeline", "--jurisdiction", "US", "--item", "3A090", "--output", "json")]
    [InlineData("content", "validate")]
    public void ContentCommands_SameAsBuiltCli(params string[] args)
    {
        var native = Native(args);

        Assert.Equal((0, ""), (native.Exit, native.Stderr));
        Assert.NotEqual("", native.Stdout);
        Assert.Equal(CliRunner.Run(Db, null, args), native);
    }

    /// <summary>
    /// The store's commands, which need Clearance.Store without run-time code generation (Dapper) and without
    /// reflection-based JSON: branch aot-store26. Each runs on a database of its own in both builds, in order; the native
    /// build's output must be the built CLI's, and the built CLI must read what the native one wrote.
    /// </summary>
    [Fact]
    public void StoreCommands_SameAsBuiltCli()
    {
        string[][] commands =
        [
            ["lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")],
            ["lists", "status", "--output", "json"],
            ["screen", "Beihang University", "--country", "CN", "--output", "json"],
            ["licenses", "add", "--number", "METI-2019-0001", "--jurisdiction", "JP", "--type", "individual", "--holder", "Example Chemical Co.", "--item", "JP:7(19)", "--destination", "KR", "--valid-from", "2019-08-08", "--valid-to", "2020-08-07", "--quantity", "500 kg", "--actor", "test"],
            ["licenses", "list", "--output", "json"],
            ["shipments", "submit", "--input", Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "2019-orders.jsonl"), "--actor", "test"],
            ["shipments", "list", "--output", "json"],
            ["audit", "verify"],
        ];
        var builtDb = Path.Combine(_dir.FullName, "built.db");
        foreach (var command in commands)
        {
            var native = Native(command);
            var built = CliRunner.Run(builtDb, null, command);

            // 3: the screening hit; 2: the submit's lines that failed (the same lines in both builds).
            Assert.True(native.Exit is 0 or 2 or 3, $"clearance {string.Join(' ', command)} exited {native.Exit}: {native.Stderr}");
            Assert.Equal(
                (built.Exit, Unstamped(built.Stdout, builtDb), Unstamped(built.Stderr, builtDb)),
                (native.Exit, Unstamped(native.Stdout, Db), Unstamped(native.Stderr, Db)));
        }

        var verified = CliRunner.Run(Db, null, "audit", "verify");
        Assert.Equal(0, verified.Exit);
    }

    [Fact]
    public async Task Serve_FromNativeCli_AnswersHealthAndACheckThenStopsOnSigterm()
    {
        // The key from the built CLI: `keys create` is a store command (StoreCommands_SameAsBuiltCli).
        var created = CliRunner.Run(Db, null, "keys", "create", "--name", "erp", "--role", "operator", "--output", "json");
        var key = JsonDocument.Parse(created.Stdout).RootElement.GetProperty("key").GetString()!;
        var start = new ProcessStartInfo(published.Executable) { RedirectStandardOutput = true, RedirectStandardError = true };
        foreach (var argument in new[] { "serve", "--urls", "http://127.0.0.1:0", "--db", Db })
            start.ArgumentList.Add(argument);
        using var serve = Process.Start(start)!;
        var stderr = serve.StandardError.ReadToEndAsync();
        try
        {
            string? line;
            while ((line = await serve.StandardOutput.ReadLineAsync().WaitAsync(TimeSpan.FromSeconds(60))) is not null && !line.StartsWith("listening on ", StringComparison.Ordinal))
            {
            }

            if (line is null)
                Assert.Fail("clearance serve stopped before listening: " + await stderr);
            using var client = new HttpClient { BaseAddress = new Uri(line["listening on ".Length..].Split(' ')[0]) };
            client.DefaultRequestHeaders.Authorization = new AuthenticationHeaderValue("Bearer", key);
            // stderr is read to its end only after the server stopped: awaited before, it would wait for ever.
            var live = await client.GetStringAsync(new Uri("/health/live", UriKind.Relative));
            using var body = new StringContent("""{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}""", Encoding.UTF8, "application/json");
            using var check = await client.PostAsync(new Uri("/api/v1/check", UriKind.Relative), body);
            var server = Children(serve.Id);

            Assert.Equal(0, created.Exit);
            Assert.Equal("""{"status":"live"}""", live);
            Assert.Equal(HttpStatusCode.OK, check.StatusCode);
            Assert.Contains("\"verdict\":\"license-required\"", await check.Content.ReadAsStringAsync(), StringComparison.Ordinal);
            // Served by the clearance-server child; a SIGTERM to the CLI alone is passed on: both stop, exit 0.
            Assert.Equal("clearance-serve", Assert.Single(server).Name);
            Assert.Equal(0, Kill(serve.Id, 15));
            await serve.WaitForExitAsync().WaitAsync(TimeSpan.FromSeconds(60));
            Assert.Equal((0, ""), (serve.ExitCode, await stderr));
            Assert.False(Directory.Exists($"/proc/{server[0].Pid}"), "clearance-server still runs after the CLI stopped");
        }
        finally
        {
            if (!serve.HasExited)
                serve.Kill(entireProcessTree: true);
        }
    }

    /// <summary>
    /// <c>serve</c> on a database it cannot use: the native CLI (whose clearance-server child reports) writes the built
    /// CLI's line, ends with its exit code, and neither listens.
    /// </summary>
    [Theory]
    [InlineData("not-a-database")]
    [InlineData("newer-schema")]
    [InlineData("postgres-to-nothing")]
    [InlineData("under-a-file")]
    public void Serve_UnusableDatabase_SameAsBuiltCliAndEnds(string kind)
    {
        var database = kind switch
        {
            "postgres-to-nothing" => "Host=127.0.0.1;Port=1;Database=clearance;Username=clearance;Password=x",
            "under-a-file" => Path.Combine(_dir.FullName, "a-file", "clearance.db"),
            _ => Path.Combine(_dir.FullName, kind + ".db"),
        };
        if (kind == "not-a-database")
            File.WriteAllText(database, "not a database\n");
        if (kind == "under-a-file")
            File.WriteAllText(Path.Combine(_dir.FullName, "a-file"), "");
        if (kind == "newer-schema")
        {
            Assert.Equal(0, CliRunner.Run(database, null, "licenses", "list", "--output", "json").Exit);
            NewerReleaseDatabase.Mark(database, 999);
        }

        string[] args = ["serve", "--urls", "http://127.0.0.1:0", "--db", database];
        // timeout(1) ends a serve that listens after all (exit 124) rather than the test waiting for ever.
        var start = new ProcessStartInfo("timeout") { ArgumentList = { "300", published.Executable } };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        var native = PublishedProcess.Run(start);
        var built = CliRunner.Run(Db, null, args);

        Assert.True(native.Exit is 1 or 70, $"clearance serve exited {native.Exit}: {native.Stdout}{native.Stderr}");
        Assert.StartsWith("error: ", native.Stderr, StringComparison.Ordinal);
        Assert.Equal(built, native);
    }

    /// <summary>
    /// <c>serve</c> with an address it cannot listen on: the native CLI refuses a malformed <c>--urls</c> itself, before
    /// its server process starts, and passes on its server's line for an address another process holds; either way the
    /// built CLI's line and exit code 1, no database created for a malformed one, and no process left running.
    /// </summary>
    [Theory]
    [InlineData("notaurl")]
    [InlineData("http://:abc")]
    [InlineData("ftp://x")]
    [InlineData("")]
    [InlineData("in-use")]
    public void Serve_UrlsItCannotListenOn_SameAsBuiltCliAndEnds(string urls)
    {
        var taken = new System.Net.Sockets.TcpListener(IPAddress.Loopback, 0);
        taken.Start();
        try
        {
            var inUse = urls == "in-use";
            if (inUse)
                urls = $"http://127.0.0.1:{((IPEndPoint)taken.LocalEndpoint).Port}";
            string[] args = ["serve", "--urls", urls, "--db", Db];
            // timeout(1) ends a serve that listens after all (exit 124) rather than the test waiting for ever.
            var start = new ProcessStartInfo("timeout") { ArgumentList = { "300", published.Executable } };
            foreach (var a in args)
                start.ArgumentList.Add(a);

            var native = PublishedProcess.Run(start);
            var left = ProcessesNaming(Db);
            var created = File.Exists(Db);
            var built = TestProcess.Run(CliRunner.Start(Db, args), TimeSpan.FromMinutes(5));

            Assert.Equal(1, native.Exit);
            Assert.StartsWith(inUse ? "error: cannot listen: " : "error: --urls: ", native.Stderr, StringComparison.Ordinal);
            Assert.Equal(built, native);
            Assert.Empty(left);
            Assert.Equal(inUse, created);
        }
        finally
        {
            taken.Stop();
        }
    }

    /// <summary>The processes whose command line holds <paramref name="text"/>.</summary>
    private static List<int> ProcessesNaming(string text) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var pid) ? pid : 0)
            .Where(pid => pid > 0 && TryRead($"/proc/{pid}/cmdline") is { } commandLine && commandLine.Contains(text, StringComparison.Ordinal))];

    /// <summary>The processes whose parent is <paramref name="pid"/>, with their names (as /proc shows them: 15 characters at most).</summary>
    private static List<(int Pid, string Name)> Children(int pid) =>
        [.. Directory.EnumerateDirectories("/proc")
            .Select(d => int.TryParse(Path.GetFileName(d), out var child) ? child : 0)
            .Where(child => child > 0 && File.Exists($"/proc/{child}/stat"))
            .Select(child => (child, Stat: TryRead($"/proc/{child}/stat")))
            .Where(c => c.Stat is { } stat && int.Parse(stat[(stat.LastIndexOf(')') + 2)..].Split(' ')[1], System.Globalization.CultureInfo.InvariantCulture) == pid)
            .Select(c => (c.child, c.Stat![(c.Stat!.IndexOf('(') + 1)..c.Stat!.LastIndexOf(')')]))];

    private static string? TryRead(string path)
    {
        try
        {
            return File.ReadAllText(path);
        }
        catch (IOException)
        {
            return null; // the process ended meanwhile
        }
    }

    [DllImport("libc", EntryPoint = "kill")]
    private static extern int Kill(int pid, int signal);

    /// <summary>The text without what differs between two runs: the database's path, the times recorded and the hashes over them.</summary>
    private static string Unstamped(string text, string db) => Stamps().Replace(text.Replace(db, "DB", StringComparison.Ordinal), "#");

    [GeneratedRegex(@"\d{4}-\d\d-\d\dT[0-9:.]+Z?|\b[0-9a-f]{64}\b")]
    private static partial Regex Stamps();

    private (int Exit, string Stdout, string Stderr) Native(params string[] args)
    {
        var start = new ProcessStartInfo(published.Executable) { Environment = { ["CLEARANCE_DB"] = Db } };
        foreach (var a in args)
            start.ArgumentList.Add(a);
        return PublishedProcess.Run(start);
    }

    /// <summary>As <see cref="CliRunner.Terminal"/>, for the native executable.</summary>
    private (int Exit, string Text) NativeTerminal(int columns, params string[] args)
    {
        static string Quote(string s) => "'" + s.Replace("'", "'\\''", StringComparison.Ordinal) + "'";
        var start = new ProcessStartInfo("script")
        {
            ArgumentList = { "-qec", $"stty cols {columns} rows 500; exec {Quote(published.Executable)} {string.Join(" ", args.Select(Quote))}", "/dev/null" },
            Environment = { ["CLEARANCE_DB"] = Db, ["TERM"] = "xterm-256color" },
        };
        start.Environment.Remove("NO_COLOR");
        var (exit, raw, _) = PublishedProcess.Run(start);
        return (exit, Escapes().Replace(raw, "").Replace("\r", "", StringComparison.Ordinal));
    }

    [GeneratedRegex(@"\x1b(\[[0-9;?]*[A-Za-z]|[=>])")]
    private static partial Regex Escapes();
}

/// <summary>
/// <c>scripts/publish.sh</c> with its defaults (the native CLI and the server beside it) into a temporary folder, once
/// for <see cref="NativePublishTests"/>; removed afterwards.
/// </summary>
public sealed class NativePublish : IDisposable
{
    private readonly DirectoryInfo _root = Directory.CreateTempSubdirectory("clearance-native-publish-");

    public NativePublish()
    {
        Folder = Path.Combine(_root.FullName, "publish");
        var clock = Stopwatch.StartNew();
        (Exit, Stdout, Stderr) = PublishedProcess.Run(new ProcessStartInfo("bash") { ArgumentList = { Path.Combine(ReadmeFixture.RepoRoot, "scripts", "publish.sh"), Folder }, WorkingDirectory = ReadmeFixture.RepoRoot });
        Took = clock.Elapsed;
        Load = File.ReadAllText("/proc/loadavg").Split(' ')[0];
    }

    public string Folder { get; }

    public string Executable => Path.Combine(Folder, "clearance");

    public int Exit { get; }

    public string Stdout { get; }

    public string Stderr { get; }

    public TimeSpan Took { get; }

    public string Load { get; }

    public void Dispose() => _root.Delete(recursive: true);
}

/// <summary>The publish tests, one after the other: each publishes through the repository's obj/precompiled folders.</summary>
[CollectionDefinition(Name)]
public sealed class PublishCollection
{
    public const string Name = "Publish";
}

/// <summary>Runs a process to its end (as a published executable is run), output redirected.</summary>
internal static class PublishedProcess
{
    /// <summary>Exit code, standard output and error; without the MSBuild variables of the test run (a nested <c>dotnet</c> must not inherit them).</summary>
    public static (int Exit, string Stdout, string Stderr) Run(ProcessStartInfo start)
    {
        foreach (var name in start.Environment.Keys.Where(k => k.StartsWith("MSBuild", StringComparison.OrdinalIgnoreCase)).ToList())
        {
            start.Environment.Remove(name);
        }

        return TestProcess.Run(start, TimeSpan.FromMinutes(90));
    }

    public static string Tail(string text) => text.Length <= 4000 ? text : "…" + text[^4000..];
}
