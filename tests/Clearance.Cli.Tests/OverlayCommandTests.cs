using System.Text.Json;

namespace Clearance.Cli.Tests;

/// <summary>
/// Issue 12, proposed changes as overlays: <c>--with overlay.yaml</c> on check, rules diff, content validate and impact,
/// with the example overlay docs/examples/korea-leaves-group-a-2027.yaml (Korea leaves Group A from 2027-01-01).
/// </summary>
public sealed class OverlayCommandTests : IDisposable
{
    private readonly TempDirectory _dir = new();

    private string Db => Path.Combine(_dir.FullName, "clearance.db");

    private static string Overlay => Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "korea-leaves-group-a-2027.yaml");

    private static string Book => Path.Combine(ReadmeFixture.RepoRoot, "docs", "examples", "2027-orders.jsonl");

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _dir.Dispose();
    }

    private (int Exit, string Stdout, string Stderr) Run(params string[] args) => CliRunner.Run(Db, null, args);

    private JsonElement Json(params string[] args)
    {
        var (code, stdout, stderr) = Run([.. args, "--output", "json"]);
        Assert.True(code == 0, stderr);
        return JsonDocument.Parse(stdout).RootElement;
    }

    private static string[] Licenses(JsonElement check) => [.. check.GetProperty("eligible_licenses").EnumerateArray().Select(l => l.GetString()!)];

    [Theory]
    [InlineData("2026-12-31", true)]
    [InlineData("2027-02-01", false)]
    public void Check_WithKoreaLeavesGroupA_RowSixToKoreaLosesGeneralBulk(string date, bool generalBulk)
    {
        string[] shipment = ["check", "--from", "JP", "--to", "KR", "--item", "JP:6", "--date", date];
        var with = Json([.. shipment, "--with", Overlay]);
        var without = Json(shipment);

        Assert.Equal(generalBulk, Licenses(with).Contains("general-bulk"));
        Assert.Contains("general-bulk", Licenses(without));
        Assert.Matches(@"\+overlay-sha256:[0-9a-f]{12}$", with.GetProperty("content_version").GetString());
    }

    [Fact]
    public void RulesDiff_WithOverlay_ShowsTheProposedChange()
    {
        string[] diff = ["rules", "diff", "-j", "JP", "--since", "2026-12-01", "--until", "2027-12-31"];
        var with = Json([.. diff, "--with", Overlay]).GetProperty("changes").EnumerateArray().ToList();
        var without = Json(diff).GetProperty("changes").EnumerateArray().ToList();

        Assert.Empty(without);
        var end = Assert.Single(with, c => c.GetProperty("kind").GetString() == "membership-end");
        Assert.Equal("KR table-3", end.GetProperty("subject").GetString());
        Assert.Equal("2027-01-01", end.GetProperty("effective").GetString());
        Assert.Equal("2026-11-20", end.GetProperty("known").GetString());
        Assert.True(end.GetProperty("unconfirmed").GetBoolean());
        Assert.Contains(with, c => c.GetProperty("kind").GetString() == "membership-start" && c.GetProperty("subject").GetString() == "KR group-b");
    }

    [Fact]
    public void ContentValidate_WithBrokenOverlay_NamesFileAndLineExitOne()
    {
        var broken = Path.Combine(_dir.FullName, "broken.yaml");
        File.WriteAllText(broken, File.ReadAllText(Overlay).Replace("{set: table-3, country: KR, on: 2027-01-01}", "{set: table-3, country: KR, on: 2023-07-21}", StringComparison.Ordinal));
        var line = Array.FindIndex(File.ReadAllLines(broken), l => l.Contains("end_membership", StringComparison.Ordinal)) + 1;

        var (code, _, stderr) = Run("content", "validate", "--with", broken);
        var (validCode, validOut, _) = Run("content", "validate", "--with", Overlay, "--output", "json");

        Assert.Equal(1, code);
        Assert.Contains($"{broken}:{line}: 'on': KR is not a member of 'table-3'", stderr, StringComparison.Ordinal);
        Assert.Equal(0, validCode);
        Assert.Contains("+overlay-sha256:", validOut, StringComparison.Ordinal);
    }

    [Fact]
    public void Impact_WithOverlay_ListsTheLineWithTheOverlayChangeAsItsCause()
    {
        var (code, stdout, stderr) = Run("impact", "--orders", Book, "--with", Overlay, "--known-as-of", "2026-12-01", "--output", "json");
        Assert.True(code == 0, stderr);
        var records = stdout.Split('\n', StringSplitOptions.RemoveEmptyEntries).Select(l => JsonDocument.Parse(l).RootElement).ToList();
        var changed = records[..^1].ToDictionary(r => r.GetProperty("id").GetString()!);

        // The line shipped before the change and the one to the United States do not move.
        Assert.Equal(["SO-2701-2", "SO-2702-1", "SO-2704-1"], changed.Keys.Order(StringComparer.Ordinal));
        var line = changed["SO-2701-2"];
        Assert.Equal("general-bulk", line.GetProperty("before").GetProperty("covered_by").GetString());
        Assert.DoesNotContain("general-bulk", line.GetProperty("after").GetProperty("eligible_licenses").EnumerateArray().Select(l => l.GetString()));
        var cause = Assert.Single(line.GetProperty("causes").EnumerateArray(), c => c.GetProperty("kind").GetString() == "membership-end");
        Assert.Equal("KR table-3", cause.GetProperty("rule").GetString());
        Assert.StartsWith("Hypothetical proposal", cause.GetProperty("citation").GetString(), StringComparison.Ordinal);
        Assert.Equal("2027-03-01", line.GetProperty("earliest_decision").GetString());
        Assert.True(line.GetProperty("at_risk").GetBoolean());
        Assert.True(changed["SO-2704-1"].GetProperty("still_covered").GetBoolean());
    }

    [Fact]
    public void Impact_NeitherKnownAsOfNorWith_UsageError()
    {
        var (code, _, stderr) = Run("impact", "--orders", Book);

        Assert.Equal(1, code);
        Assert.Contains("--known-as-of is required", stderr, StringComparison.Ordinal);
    }
}
