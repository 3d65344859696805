using System.Net;
using System.Text.RegularExpressions;

namespace Clearance.Server.Tests;

/// <summary>The navigation bar: every page has it, and every link in it opens for a signed-in admin.</summary>
public sealed partial class NavigationTests
{
    [GeneratedRegex("<nav>(.*?)</nav>", RegexOptions.Singleline)]
    private static partial Regex Bar();

    [GeneratedRegex("href=\"([^\"]+)\"")]
    private static partial Regex Link();

    [Fact]
    public async Task NavigationBar_EveryPageLinkedAndEachLinkOpens()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var admin = await PageSession.SignedInAsync(host, "admin");

        var links = Link().Matches(Bar().Match(await admin.GetStringAsync("/audit")).Groups[1].Value).Select(m => m.Groups[1].Value).ToList();

        Assert.Equal(["/check", "/shipments", "/alerts", "/licenses", "/lists", "/timeline", "/impact", "/audit", "/scalar/"], links);
        foreach (var link in links)
        {
            var response = await admin.GetAsync(link);
            Assert.True(response.StatusCode == HttpStatusCode.OK, $"{link}: {(int)response.StatusCode}");
            if (link != "/scalar/")
                Assert.Contains("<nav>", await response.Content.ReadAsStringAsync(), StringComparison.Ordinal);
        }
    }
}
