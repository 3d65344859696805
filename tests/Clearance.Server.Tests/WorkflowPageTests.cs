using System.Net;
using System.Text.Json;

namespace Clearance.Server.Tests;

/// <summary>
/// The held-shipment queue, the screening alerts and the licences pages over HTTP: signed in with a key through the
/// form, each form posted with the antiforgery token of the page it is on, the change seen through the API.
/// </summary>
public sealed class WorkflowPageTests
{
    public static TheoryData<string> Providers => TestDatabase.Providers;

    private static Task<HttpClient> SignedInAsync(ServerHost host, string role) => PageSession.SignedInAsync(host, role);

    private static Task<string> PostFormAsync(HttpClient client, string page, string action, Dictionary<string, string> fields) =>
        PageSession.PostFormAsync(client, page, action, fields);

    private static async Task<string> StatusAsync(ServerHost host, string id) =>
        JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/shipments/" + Uri.EscapeDataString(id))).RootElement.GetProperty("status").GetString()!;

    private static async Task SubmitAsync(ServerHost host) =>
        Assert.True((await host.As("operator").PostAsync("/api/v1/shipments", ServerHost.Json(
            $"[{WorkflowEndpointTests.Resist("SO-1/1", "2019-07-10", 200)},{WorkflowEndpointTests.Resist("SO-2/1", "2019-08-20", 150)}]"))).IsSuccessStatusCode);

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task QueuePage_FilterAndReleaseWithReason_LineReleasedUnderTheSignedInKeyWithItsHistory(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await SubmitAsync(host);
        var officer = await SignedInAsync(host, "officer");

        var queue = await officer.GetStringAsync("/shipments?exporter=example+chemical&destination=KR&reason=license-required");
        var none = await officer.GetStringAsync("/shipments?destination=China");
        var back = await PostFormAsync(officer, queue, "/forms/shipments/release",
            new() { ["id"] = "SO-1/1", ["reason"] = "shipped under the licence applied for; file 17", ["returnUrl"] = "/shipments?status=held" });
        var after = await officer.GetStringAsync(back);
        var line = await officer.GetStringAsync("/shipment?id=SO-1%2F1");

        Assert.Contains("SO-1/1", queue, StringComparison.Ordinal);
        Assert.Contains("license-required", queue, StringComparison.Ordinal);
        Assert.Contains("href=\"/shipment?id=SO-1%2F1\"", queue, StringComparison.Ordinal);
        Assert.Contains("0 line(s)", none, StringComparison.Ordinal);
        Assert.All(["/check", "/shipments", "/alerts", "/licenses"], link => Assert.Contains($"<a href=\"{link}\">", queue, StringComparison.Ordinal));
        Assert.StartsWith("/shipments?status=held&done=", back, StringComparison.Ordinal);
        Assert.Contains("SO-1/1: release recorded, now released", after, StringComparison.Ordinal);
        Assert.DoesNotContain("href=\"/shipment?id=SO-1%2F1\"", after, StringComparison.Ordinal);
        Assert.Equal("released", await StatusAsync(host, "SO-1/1"));
        Assert.Contains("officer-key", line, StringComparison.Ordinal);
        Assert.Contains("shipped under the licence applied for; file 17", line, StringComparison.Ordinal);
        Assert.Contains("operator-key", line, StringComparison.Ordinal);
    }

    [Fact]
    public async Task LinePage_AssignAndReject_ChangedUnderTheSignedInKey()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        await SubmitAsync(host);
        // Without the recheck that would assign the new licence itself: the page's form is what is tested.
        await host.As("officer").PostAsync("/api/v1/licenses?recheck=false", ServerHost.Json(WorkflowEndpointTests.Licence));
        var officer = await SignedInAsync(host, "officer");

        var page = await officer.GetStringAsync("/shipment?id=SO-2%2F1");
        var assigned = await PostFormAsync(officer, page, "/forms/shipments/assign", new() { ["id"] = "SO-2/1", ["license"] = "METI-2019-0001", ["returnUrl"] = "/shipment?id=SO-2%2F1" });
        var rejected = await PostFormAsync(officer, page, "/forms/shipments/reject", new() { ["id"] = "SO-1/1", ["reason"] = "end user unverified", ["returnUrl"] = "/shipment?id=SO-1%2F1" });

        Assert.Contains("<form method=\"post\" action=\"/forms/shipments/release\"", page, StringComparison.Ordinal);
        Assert.Contains("done=", assigned, StringComparison.Ordinal);
        Assert.Contains("released on licence METI-2019-0001", await officer.GetStringAsync(assigned), StringComparison.Ordinal);
        Assert.Contains("done=", rejected, StringComparison.Ordinal);
        Assert.Equal("rejected", await StatusAsync(host, "SO-1/1"));
    }

    [Fact]
    public async Task QueueForms_NoTokenNoReasonOrViewer_NothingChanged()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        await SubmitAsync(host);
        var officer = await SignedInAsync(host, "officer");
        var viewer = await SignedInAsync(host, "viewer");
        var page = await officer.GetStringAsync("/shipments");
        var viewerPage = await viewer.GetStringAsync("/shipments");

        var noToken = await officer.PostAsync("/forms/shipments/release", new FormUrlEncodedContent(new Dictionary<string, string> { ["id"] = "SO-1/1", ["reason"] = "r" }));
        var noReason = await PostFormAsync(officer, page, "/forms/shipments/release", new() { ["id"] = "SO-1/1", ["reason"] = " " });
        var unknownLicence = await PostFormAsync(officer, page, "/forms/shipments/assign", new() { ["id"] = "SO-1/1", ["license"] = "NOPE-1" });
        var byViewer = await PostFormAsync(viewer, viewerPage, "/forms/shipments/release", new() { ["id"] = "SO-1/1", ["reason"] = "r" });

        Assert.Equal(HttpStatusCode.BadRequest, noToken.StatusCode);
        Assert.Contains("error=", noReason, StringComparison.Ordinal);
        Assert.Contains("reason", Uri.UnescapeDataString(noReason), StringComparison.Ordinal);
        Assert.Contains("error=", unknownLicence, StringComparison.Ordinal);
        Assert.True(PageSession.IsSignIn(byViewer), byViewer);
        Assert.DoesNotContain("action=\"/forms/shipments/release\"", viewerPage, StringComparison.Ordinal);
        Assert.Equal("held", await StatusAsync(host, "SO-1/1"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task AlertsPage_PartyBesideEntryAndFalsePositive_AlertClearedDecisionByTheSignedInKey(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        var entity = await DecisionsAndReportsEndpointTests.HeldOnAnAlertAsync(host);
        var officer = await SignedInAsync(host, "officer");

        var page = await officer.GetStringAsync("/alerts");
        var back = await PostFormAsync(officer, page, "/forms/alerts/decide", new()
        {
            ["party"] = "Korea Semi Co.", ["entity"] = entity, ["decision"] = "false-positive", ["reason"] = "a fab in Icheon, not the listed one",
        });
        var after = await officer.GetStringAsync(back);

        Assert.Contains("1 alert(s) awaiting review", page, StringComparison.Ordinal);
        Assert.Contains("score 1.00", page, StringComparison.Ordinal);
        Assert.Contains("<dt>Countries</dt><dd>KR</dd>", page, StringComparison.Ordinal);
        Assert.Contains("<td>korea</td><td>korea</td><td>exact</td><td>1.00</td>", page.ToLowerInvariant(), StringComparison.Ordinal);
        Assert.Contains("href=\"/shipment?id=SO-1%2F1\"", page, StringComparison.Ordinal);
        Assert.Contains("false-positive recorded for Korea Semi Co.", after, StringComparison.Ordinal);
        Assert.Contains("0 alert(s) awaiting review", after, StringComparison.Ordinal);
        var decision = JsonDocument.Parse(await host.As("viewer").GetStringAsync("/api/v1/screening/decisions")).RootElement.EnumerateArray().Single();
        Assert.Equal(("officer-key", "applies"), (decision.GetProperty("decided_by").GetString(), decision.GetProperty("status").GetString()));
    }

    [Fact]
    public async Task AlertsPage_DecideWithoutReasonOrAsOperator_NothingRecorded()
    {
        await using var host = await ServerHost.StartAsync(TestDatabase.Sqlite);
        var entity = await DecisionsAndReportsEndpointTests.HeldOnAnAlertAsync(host);
        var officer = await SignedInAsync(host, "officer");
        var operatorBrowser = await SignedInAsync(host, "operator");
        var page = await officer.GetStringAsync("/alerts");
        var operatorPage = await operatorBrowser.GetStringAsync("/alerts");

        var noReason = await PostFormAsync(officer, page, "/forms/alerts/decide", new() { ["party"] = "Korea Semi Co.", ["entity"] = entity, ["decision"] = "true-match", ["reason"] = "" });
        var byOperator = await PostFormAsync(operatorBrowser, operatorPage, "/forms/alerts/decide", new() { ["party"] = "Korea Semi Co.", ["entity"] = entity, ["decision"] = "true-match", ["reason"] = "r" });

        Assert.Contains("reason: give the reason", Uri.UnescapeDataString(noReason), StringComparison.Ordinal);
        Assert.Contains("reason: give the reason", await officer.GetStringAsync(noReason), StringComparison.Ordinal);
        Assert.True(PageSession.IsSignIn(byOperator), byOperator);
        Assert.DoesNotContain("action=\"/forms/alerts/decide\"", operatorPage, StringComparison.Ordinal);
        Assert.Equal("[]", await host.As("viewer").GetStringAsync("/api/v1/screening/decisions"));
    }

    [Theory]
    [MemberData(nameof(Providers))]
    public async Task LicencesPages_BalanceBarExpiryWarningAndDrawdownHistory(string provider)
    {
        await using var host = await ServerHost.StartAsync(provider);
        await host.As("officer").PostAsync("/api/v1/licenses", ServerHost.Json(WorkflowEndpointTests.Licence));
        await SubmitAsync(host);
        var viewer = await SignedInAsync(host, "viewer");

        var list = await viewer.GetStringAsync("/licenses?date=2020-06-01&within=90d");
        var later = await viewer.GetStringAsync("/licenses?date=2019-09-01&within=90d");
        var licence = await viewer.GetStringAsync("/license?number=METI-2019-0001");
        var badWindow = await viewer.GetStringAsync("/licenses?within=soon");
        var anonymous = await PageSession.Browser(host).Client.GetAsync("/licenses");

        Assert.Contains("href=\"/license?number=METI-2019-0001\"", list, StringComparison.Ordinal);
        Assert.Contains("150 / 500 kg (30 %)", list, StringComparison.Ordinal);
        Assert.Contains("<rect class=\"drawn\" width=\"30%\"", list, StringComparison.Ordinal);
        Assert.DoesNotContain(" style=", list, StringComparison.Ordinal);
        Assert.Contains("expires in 67 day(s)", list, StringComparison.Ordinal);
        Assert.DoesNotContain("expires in", later, StringComparison.Ordinal);
        Assert.Contains("href=\"/shipment?id=SO-2%2F1\"", licence, StringComparison.Ordinal);
        Assert.Contains("<td>150 kg</td>", licence, StringComparison.Ordinal);
        Assert.Contains("officer-key", licence, StringComparison.Ordinal);
        Assert.Contains("within: 'soon' is not a number of days", WebUtility.HtmlDecode(badWindow), StringComparison.Ordinal);
        Assert.Equal(HttpStatusCode.Redirect, anonymous.StatusCode);
    }
}
