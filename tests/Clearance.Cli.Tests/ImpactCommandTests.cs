using System.Text.Json;
using Clearance.Screening.Tests.Lists;

namespace Clearance.Cli.Tests;

/// <summary>
/// Issue 12's "done when", on the worked example (docs/examples/2019-orders.jsonl) with Japan's End User List imported:
/// as known on 1 Jul 2019 every line of the three materials to Korea planned from 4 July needs an individual licence;
/// as known on 2 Aug 2019 the other listed goods to Korea from 28 August lose general bulk and unlisted goods with a
/// concerning end use come under catch-all; as known on 30 Jun 2019 nothing changes.
/// </summary>
public sealed class ImpactCommandTests : IDisposable
{
    private static readonly string[] ThreeMaterials = ["JP:3(1)/2(1)(i)(he)", "JP:5(17)/4(xiv)(ro)", "JP:7(19)"];

    private readonly TempDirectory _dir = new();

    public ImpactCommandTests()
    {
        var (code, _, stderr) = Run("lists", "import", "--format", "meti-eul", SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"));
        Assert.True(code == 0, stderr);
    }

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    private static string Book => Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "2019-orders.jsonl");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private static List<JsonElement> BookLines() =>
        [.. File.ReadAllLines(Book).Where(l => l.Length > 0).Select(l => JsonDocument.Parse(l).RootElement)];

    private (List<JsonElement> Changed, JsonElement Summary) Impact(string knownAsOf)
    {
        var (code, stdout, stderr) = Run("impact", "--orders", Book, "--known-as-of", knownAsOf, "--output", "json");
        Assert.True(code == 0, stderr);
        var records = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        return (records[..^1], records[^1].GetProperty("summary"));
    }

    private static string Item(JsonElement line) => line.GetProperty("item").ValueKind == JsonValueKind.Array ? line.GetProperty("item")[0].GetString()! : line.GetProperty("item").GetString()!;

    [Fact]
    public void Impact_KnownOn20190630_NothingAnnounced()
    {
        var (changed, summary) = Impact("2019-06-30");

        Assert.Empty(changed);
        Assert.Equal(BookLines().Count, summary.GetProperty("lines").GetInt32());
    }

    [Fact]
    public void Impact_KnownOn20190701_EveryMaterialLineToKoreaFrom4JulyNeedsAnIndividualLicence()
    {
        var (changed, _) = Impact("2019-07-01");
        var expected = BookLines().Where(l => l.GetProperty("to").GetString() == "KR" && ThreeMaterials.Contains(Item(l))
            && string.CompareOrdinal(l.GetProperty("date").GetString(), "2019-07-04") >= 0).Select(l => l.GetProperty("id").GetString()).ToHashSet();
        var byId = changed.ToDictionary(c => c.GetProperty("id").GetString()!);

        Assert.NotEmpty(expected);
        Assert.Superset(expected!, byId.Keys.ToHashSet());
        foreach (var id in expected)
        {
            var line = byId[id!];
            Assert.Equal(["individual"], line.GetProperty("license_needed").EnumerateArray().Select(x => x.GetString()));
            Assert.Equal(90, line.GetProperty("review_days").GetInt32());
            Assert.Equal("2019-09-29", line.GetProperty("earliest_decision").GetString());
            Assert.Equal(string.CompareOrdinal(line.GetProperty("date").GetString(), "2019-09-29") < 0, line.GetProperty("at_risk").GetBoolean());
            Assert.Contains(line.GetProperty("causes").EnumerateArray(), c => c.GetProperty("known").GetString() == "2019-07-01" && c.GetProperty("effective").GetString() == "2019-07-04");
        }

        // Nothing planned before 4 July, and nothing but Korea.
        Assert.All(changed, c => Assert.True(string.CompareOrdinal(c.GetProperty("date").GetString(), "2019-07-04") >= 0));
        Assert.All(changed, c => Assert.Equal("KR", c.GetProperty("to").GetString()));
    }

    [Fact]
    public void Impact_KnownOn20190802_OtherListedGoodsFrom28AugustAndCatchAll()
    {
        var (changed, summary) = Impact("2019-08-02");

        Assert.NotEmpty(changed);
        Assert.All(changed, c =>
        {
            Assert.Equal("KR", c.GetProperty("to").GetString());
            Assert.True(string.CompareOrdinal(c.GetProperty("date").GetString(), "2019-08-28") >= 0);
            Assert.DoesNotContain(Item(c), ThreeMaterials);
            Assert.Contains(c.GetProperty("causes").EnumerateArray(), x => x.GetProperty("rule").GetString() == "KR table-3" && x.GetProperty("known").GetString() == "2019-08-02");
        });
        var listed = changed.Where(c => Item(c) != "JP:16").ToList();
        Assert.All(listed, c =>
        {
            Assert.Contains("general-bulk", c.GetProperty("before").GetProperty("eligible_licenses").EnumerateArray().Select(x => x.GetString()));
            Assert.DoesNotContain("general-bulk", c.GetProperty("after").GetProperty("eligible_licenses").EnumerateArray().Select(x => x.GetString()));
        });
        var catchAll = changed.Where(c => Item(c) == "JP:16").ToList();
        Assert.NotEmpty(catchAll);
        Assert.All(catchAll, c =>
        {
            Assert.Equal("no-license-required", c.GetProperty("before").GetProperty("verdict").GetString());
            Assert.Equal("license-required", c.GetProperty("after").GetProperty("verdict").GetString());
        });

        // Every unlisted line to Korea from 28 August with a concerning end use is among them; civil ones are not.
        var concerning = BookLines().Where(l => Item(l) == "JP:16" && l.GetProperty("to").GetString() == "KR"
            && string.CompareOrdinal(l.GetProperty("date").GetString(), "2019-08-28") >= 0 && l.GetProperty("end_use").GetString() != "civil")
            .Select(l => l.GetProperty("id").GetString()).ToHashSet();
        Assert.Equal(concerning, catchAll.Select(c => c.GetProperty("id").GetString()).ToHashSet());
        Assert.True(summary.GetProperty("still_covered").GetInt32() > 0);
    }

    [Fact]
    public void Impact_BadKnownAsOf_OneLineExitTwo()
    {
        var (code, _, stderr) = Run("impact", "--orders", Book, "--known-as-of", "2019-13-01");

        Assert.Equal(2, code);
        Assert.Contains("--known-as-of: '2019-13-01' is not a date", stderr, StringComparison.Ordinal);
    }

    [Fact]
    public void Impact_MissingOrders_OneLineExitOne()
    {
        var (code, _, stderr) = Run("impact", "--orders", Path.Combine(_dir.FullName, "none.jsonl"), "--known-as-of", "2019-07-01");

        Assert.Equal(1, code);
        Assert.Contains("error: --orders: file", stderr, StringComparison.Ordinal);
    }
}
