using System.Net;
using System.Text;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>
/// The lists pages over HTTP: no list yet (the page says so and offers the upload to an admin), an upload through the
/// form, the versions with their diff, activating an older version; viewers and forged posts change nothing.
/// </summary>
public sealed class ListsPageTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    private static readonly string MetiEul = SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv");

    /// <summary>
    /// The METI list of 29 Sep 2025 a month later, as a test makes it: its last two entries gone, the first one renamed
    /// and one entry added, so that a diff has one of each kind.
    /// </summary>
    private static byte[] NextMonthsList()
    {
        var lines = File.ReadAllLines(MetiEul).Where(l => l.Length > 0).ToList();
        lines.RemoveRange(lines.Count - 2, 2);
        lines[1] = lines[1].Replace("Al Qa'ida/Islamic Army", "Al Qa'ida/Islamic Army Renamed", StringComparison.Ordinal);
        lines.Add("9001,Islamic Republic of Iran,Testland Precision Machinery Works,,大量破壊兵器等の懸念: 核 N");
        return Encoding.UTF8.GetBytes(string.Join("\n", lines) + "\n");
    }

    private static async Task<string> UploadAsync(HttpClient admin, string fileName, byte[] file)
    {
        var page = await admin.GetStringAsync("/lists");
        var response = await PageSession.PostFileAsync(admin, page, "/forms/lists/import", new() { ["list"] = "meti-eul", ["format"] = "meti-eul" }, "file", fileName, file);
        Assert.True(response.StatusCode == HttpStatusCode.Redirect, $"{(int)response.StatusCode}: {await response.Content.ReadAsStringAsync()}");
        return response.Headers.Location!.OriginalString;
    }

    [Fact]
    public async Task ListsPage_NoListImported_SaysSoAndOffersTheUploadToAnAdminOnly()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);

        var admin = await (await PageSession.SignedInAsync(host, "admin")).GetStringAsync("/lists");
        var viewer = await (await PageSession.SignedInAsync(host, "viewer")).GetStringAsync("/lists");

        Assert.Contains("id=\"no-lists\"", admin, StringComparison.Ordinal);
        Assert.Contains("<code>clearance lists update</code>", admin, StringComparison.Ordinal);
        Assert.Contains("<form method=\"post\" action=\"/forms/lists/import\" enctype=\"multipart/form-data\"", admin, StringComparison.Ordinal);
        Assert.Contains("<option value=\"meti-eul\">", admin, StringComparison.Ordinal);
        Assert.Contains("id=\"no-lists\"", viewer, StringComparison.Ordinal);
        Assert.Contains("an admin can also upload", viewer, StringComparison.Ordinal);
        Assert.DoesNotContain("action=\"/forms/lists/import\"", viewer, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task ListsPage_UploadTwoVersionsDiffAndActivateTheFirst_AsTheSignedInAdmin(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var admin = await PageSession.SignedInAsync(host, "admin");

        var first = await UploadAsync(admin, "meti_eul_2025-09-29.csv", await File.ReadAllBytesAsync(MetiEul));
        var second = await UploadAsync(admin, "meti_eul_2025-10-31.csv", NextMonthsList());
        var page = PageSession.Compact(await admin.GetStringAsync("/lists"));
        var diff = PageSession.Compact(await admin.GetStringAsync("/lists/diff?list=meti-eul&base=1&head=2"));
        var activated = await PageSession.PostFormAsync(admin, page, "/forms/lists/activate", new() { ["list"] = "meti-eul", ["version"] = "1", ["note"] = "October's file under review" });
        var after = PageSession.Compact(await admin.GetStringAsync(activated));

        Assert.StartsWith("/lists?done=", first, StringComparison.Ordinal);
        Assert.Contains("meti-eul version 1:", Uri.UnescapeDataString(first), StringComparison.Ordinal);
        Assert.Contains("since version 1: 1 added, 2 removed, 1 changed", Uri.UnescapeDataString(second), StringComparison.Ordinal);
        Assert.Contains("<td>2 of 2</td><td>2025-10-31", page, StringComparison.Ordinal);
        Assert.Contains("<td>2 (active)</td>", page, StringComparison.Ordinal);
        Assert.Contains("<a href=\"/lists/diff?list=meti-eul&base=1&head=2\">since version 1</a>", page, StringComparison.Ordinal);
        Assert.Contains("<button type=\"submit\">Activate version 1</button>", page, StringComparison.Ordinal);
        Assert.DoesNotContain("Activate version 2", page, StringComparison.Ordinal);
        Assert.Contains("1 added, 2 removed, 1 changed", diff, StringComparison.Ordinal);
        Assert.Contains("<tr class=\"added\"><td>meti-eul</td><td>9001</td><td>Testland Precision Machinery Works</td></tr>", diff, StringComparison.Ordinal);
        Assert.Contains("<td>Al Qa'ida/Islamic Army Renamed</td>", diff, StringComparison.Ordinal);
        Assert.Contains("meti-eul: version 1 is now active, was version 2", after, StringComparison.Ordinal);
        Assert.Contains("activate, ", after, StringComparison.Ordinal);
        Assert.Contains(": October's file under review", after, StringComparison.Ordinal);
        var status = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/lists")).RootElement[0];
        Assert.Equal((1, "2025-09-29"), (status.GetProperty("version").GetInt32(), status.GetProperty("source_date").GetString()));
        var audit = await host.As("viewer").GetStringAsync("/api/v1/audit");
        Assert.Contains("\"actor\":\"admin-key\",\"action\":\"lists.activate\",\"subject\":\"meti-eul\"", audit, StringComparison.Ordinal);
        Assert.Contains("\"actor\":\"admin-key\",\"action\":\"lists.import\"", audit, StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListForms_ViewerNoTokenBadFileOrUnknownVersion_NothingChanged()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var admin = await PageSession.SignedInAsync(host, "admin");
        var viewer = await PageSession.SignedInAsync(host, "viewer");
        var adminPage = await admin.GetStringAsync("/lists");
        var viewerPage = await viewer.GetStringAsync("/lists");
        var file = await File.ReadAllBytesAsync(MetiEul);
        var fields = new Dictionary<string, string> { ["list"] = "meti-eul", ["format"] = "meti-eul" };

        var byViewer = await PageSession.PostFileAsync(viewer, viewerPage, "/forms/lists/import", fields, "file", "meti_eul_2025-09-29.csv", file);
        var noToken = await PageSession.PostFileAsync(admin, adminPage, "/forms/lists/import", fields, "file", "meti_eul_2025-09-29.csv", file, withToken: false);
        var notAList = await PageSession.PostFileAsync(admin, adminPage, "/forms/lists/import", fields, "file", "notes.csv", Encoding.UTF8.GetBytes("a,b\n1,2\n"));
        var pathInName = await PageSession.PostFileAsync(admin, adminPage, "/forms/lists/import", new() { ["list"] = "../etc", ["format"] = "meti-eul" }, "file", "x.csv", file);
        var activateByViewer = await PageSession.PostFormAsync(viewer, viewerPage, "/forms/lists/activate", new() { ["list"] = "meti-eul", ["version"] = "1" });
        var unknownVersion = await PageSession.PostFormAsync(admin, adminPage, "/forms/lists/activate", new() { ["list"] = "meti-eul", ["version"] = "7" });

        Assert.True(PageSession.IsSignIn(byViewer.Headers.Location!.OriginalString), byViewer.Headers.Location.OriginalString);
        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("unknown header", Uri.UnescapeDataString(notAList.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.Contains("is not a list id", Uri.UnescapeDataString(pathInName.Headers.Location!.OriginalString), StringComparison.Ordinal);
        Assert.True(PageSession.IsSignIn(activateByViewer), activateByViewer);
        Assert.StartsWith("/lists?error=", unknownVersion, StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/lists"));
        Assert.DoesNotContain("lists.", await host.As("viewer").GetStringAsync("/api/v1/audit"), StringComparison.Ordinal);
    }

    [Fact]
    public async Task ListDiffPage_UnknownListOrBadVersion_ErrorShown()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var viewer = await PageSession.SignedInAsync(host, "viewer");

        var unknown = PageSession.Compact(await viewer.GetStringAsync("/lists/diff?list=nothing"));
        var badVersion = PageSession.Compact(await viewer.GetStringAsync("/lists/diff?list=meti-eul&base=one"));

        Assert.Contains("class=\"error\"", unknown, StringComparison.Ordinal);
        Assert.Contains("nothing", unknown, StringComparison.Ordinal);
        Assert.Contains("base: 'one' is not a version number", badVersion, StringComparison.Ordinal);
    }
}
