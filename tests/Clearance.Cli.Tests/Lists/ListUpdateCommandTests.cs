using Clearance.Store;

namespace Clearance.Cli.Tests.Lists;

/// <summary>Runs <c>lists update</c> against a local HTTP server that serves ../shared/lists.</summary>
public sealed class ListUpdateCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();
    private readonly LocalFileServer _server;
    private readonly string _baseUrl;

    /// <summary>Files under /generated/ come from the test's temporary folder (empty or cut-down downloads), the rest from ../shared/lists.</summary>
    public ListUpdateCommandTests()
    {
        _server = new LocalFileServer(new() { ["generated/"] = _dir.FullName, [""] = SharedListFiles.Path() });
        _baseUrl = _server.BaseUrl;
    }

    public void Dispose()
    {
        _server.Dispose();
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private string Config(string sourcesJson) => _dir.Write("sources.json", "{ \"sources\": [" + sourcesJson + "] }");

    [Fact]
    public void Update_LocalServer_DownloadsAndImportsEachSource()
    {
        var config = Config($$"""
            { "id": "ofac-sdn", "format": "ofac-csv", "list": "ofac-sdn", "files": [
                { "url": "{{_baseUrl}}ofac_sdn/watchman_bench_2021/sdn.csv", "name": "sdn.csv" },
                { "url": "{{_baseUrl}}ofac_sdn/watchman_bench_2021/add.csv", "name": "add.csv" },
                { "url": "{{_baseUrl}}ofac_sdn/watchman_bench_2021/alt.csv", "name": "alt.csv" },
                { "url": "{{_baseUrl}}ofac_sdn/watchman_bench_2021/sdn_comments.csv", "name": "sdn_comments.csv" } ] },
            { "id": "un-sc", "format": "un-xml", "list": "un-sc", "files": [ { "url": "{{_baseUrl}}un/UN_consolidated_2026-02-27.xml", "name": "consolidated.xml" } ] },
            { "id": "csl", "format": "csl-csv", "list": "csl", "files": [ { "url": "{{_baseUrl}}csl_full/consolidated_2026-07-31.csv", "name": "consolidated.csv" } ] },
            { "id": "meti-eul", "format": "meti-eul", "list": "meti-eul", "files": [ { "url": "{{_baseUrl}}meti_eul/meti_eul_2025-09-29.csv", "name": "eul.csv" } ] },
            { "id": "company-pdf", "format": null, "list": "company-pdf", "files": [ { "url": "{{_baseUrl}}README.md", "name": "list.pdf" } ], "note": "download only: convert the PDF to the csv layout first" }
            """);
        var db = Path.Combine(_dir.FullName, "db", "clearance.db");

        var result = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "ofac-sdn,un-sc,csl,meti-eul,company-pdf", "--db", db);

        Assert.Equal(0, result.Exit);
        Assert.Contains("company-pdf: downloaded 1 file(s)", result.Output);
        Assert.Contains("NOT imported: download only: convert the PDF to the csv layout first", result.Output);
        var status = ListStore.OpenSqlite(db).Status().ToDictionary(s => s.Active.ListId, s => s.Active.EntityCount);
        Assert.Equal(new Dictionary<string, int> { ["csl"] = 25921, ["meti-eul"] = 835, ["ofac-sdn"] = 8976, ["un-sc"] = 1003 }, status);
        Assert.True(File.Exists(Path.Combine(_dir.FullName, "db", "downloads", "ofac-sdn", "alt.csv")));
        var sdn = ListStore.OpenSqlite(db).LoadEntities("ofac-sdn").Single(e => e.EntityId == "306");
        Assert.Contains(sdn.Aliases, a => a.Name == "NATIONAL BANK OF CUBA"); // companions downloaded beside sdn.csv were used
    }

    [Fact]
    public void Update_MissingFileOnServer_ReportsSourceAndKeepsOthers()
    {
        var config = Config($$"""
            { "id": "un-sc", "format": "un-xml", "list": "un-sc", "files": [ { "url": "{{_baseUrl}}un/UN_consolidated_2026-02-27.xml", "name": "consolidated.xml" } ] },
            { "id": "gone", "format": "csl-csv", "list": "csl", "files": [ { "url": "{{_baseUrl}}csl_full/nope.csv", "name": "consolidated.csv" } ] }
            """);
        var db = Path.Combine(_dir.FullName, "clearance.db");

        var result = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "un-sc", "--source", "gone", "--db", db);

        Assert.Equal(2, result.Exit);
        Assert.Contains("gone: download of", result.Error);
        Assert.Contains("HTTP 404", result.Error);
        Assert.Equal(["un-sc"], ListStore.OpenSqlite(db).Status().Select(s => s.Active.ListId));
    }

    [Fact]
    public void Update_ServedFileIsBroken_PreviousVersionStaysActive()
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        ListsCommandTests.Run("lists", "import", "--format", "un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"), "--db", db);
        var config = Config($$"""
            { "id": "un-sc", "format": "un-xml", "list": "un-sc", "files": [ { "url": "{{_baseUrl}}csl_bis/bis_dpl.txt", "name": "consolidated.xml" } ] }
            """);

        var result = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "un-sc", "--db", db);

        Assert.Equal(2, result.Exit);
        Assert.Contains("previous version stays active", result.Error);
        var status = Assert.Single(ListStore.OpenSqlite(db).Status());
        Assert.Equal((1, 1003), (status.Active.VersionNo, status.Active.EntityCount));
    }

    [Fact]
    public void Update_EmptyBody_RefusedAndPreviousVersionStays()
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        ListsCommandTests.Run("lists", "import", "--format", "un-xml", SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"), "--db", db);
        _dir.WriteBytes("empty.xml", []);
        var config = Config($$"""
            { "id": "un-sc", "format": "un-xml", "list": "un-sc", "files": [ { "url": "{{_baseUrl}}generated/empty.xml", "name": "consolidated.xml" } ] }
            """);

        var result = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "un-sc", "--db", db);

        Assert.Equal(2, result.Exit);
        Assert.Contains("HTTP 200 with an empty body (0 bytes)", result.Error);
        Assert.Contains("previous version stays active", result.Error);
        var status = Assert.Single(ListStore.OpenSqlite(db).Status());
        Assert.Equal((1, 1003), (status.Active.VersionNo, status.Active.EntityCount));
    }

    [Fact]
    public void Update_DownloadWithATenthOfTheEntries_RefusedUnlessAllowShrink()
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        var meti = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");
        ListsCommandTests.Run("lists", "import", "--format", "meti-eul", meti, "--db", db);
        _dir.Write("eul.csv", string.Join("\n", File.ReadLines(meti).Take(1 + 83)) + "\n");
        var config = Config($$"""
            { "id": "meti-eul", "format": "meti-eul", "list": "meti-eul", "files": [ { "url": "{{_baseUrl}}generated/eul.csv", "name": "eul.csv" } ] }
            """);

        var refused = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "meti-eul", "--db", db);
        var statusAfterRefusal = Assert.Single(ListStore.OpenSqlite(db).Status());
        var allowed = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "meti-eul", "--allow-shrink", "--db", db);

        Assert.Equal(2, refused.Exit);
        Assert.Contains("removes 752 of the 835 entries of version 1", refused.Error);
        Assert.Equal((1, 835), (statusAfterRefusal.Active.VersionNo, statusAfterRefusal.Active.EntityCount));
        Assert.Equal(0, allowed.Exit);
        Assert.Equal((2, 83), (ListStore.OpenSqlite(db).Status()[0].Active.VersionNo, ListStore.OpenSqlite(db).Status()[0].Active.EntityCount));
    }

    [Fact]
    public void Update_DownloadOlderThanActiveVersion_RefusedUnlessAllowOlder()
    {
        var db = Path.Combine(_dir.FullName, "clearance.db");
        var rows = string.Join("\n", ["id,name", .. Enumerable.Range(1, 20).Select(i => $"{i},Company {i}")]) + "\n";
        ListsCommandTests.Run("lists", "import", "--format", "csv", _dir.Write("own_2024-05-03.csv", rows), "--db", db);
        _dir.Write("own_2024-01-31.csv", rows.Replace("1,Company 1\n", "1,Company One\n", StringComparison.Ordinal));
        var config = Config($$"""
            { "id": "own", "format": "csv", "list": "own", "files": [ { "url": "{{_baseUrl}}generated/own_2024-01-31.csv", "name": "own_2024-01-31.csv" } ] }
            """);

        var refused = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "own", "--db", db);
        var versionsAfterRefusal = ListStore.OpenSqlite(db).Versions("own").Count;
        var allowed = ListsCommandTests.Run("lists", "update", "--config", config, "--source", "own", "--allow-older", "--db", db);

        Assert.Equal(2, refused.Exit);
        Assert.Contains("has source date 2024-01-31, older than the active version 1 of list own (source date 2024-05-03): nothing imported", refused.Error);
        Assert.Equal(1, versionsAfterRefusal);
        Assert.Equal(0, allowed.Exit);
        Assert.Contains("own: own version 2: 20 entities", allowed.Output);
        Assert.Contains("older source date allowed (--allow-older)", allowed.Output);
    }

    [Fact]
    public void Update_UnknownSource_ListsKnownSources()
    {
        var result = ListsCommandTests.Run("lists", "update", "--source", "nowhere", "--db", Path.Combine(_dir.FullName, "x.db"));

        Assert.Equal(1, result.Exit);
        Assert.Contains("ofac-sdn", result.Error);
    }
}
