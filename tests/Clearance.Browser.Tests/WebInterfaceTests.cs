using System.Text.RegularExpressions;
using Microsoft.Playwright;
using Xunit.Abstractions;
using static Microsoft.Playwright.Assertions;

namespace Clearance.Browser.Tests;

/// <summary>
/// The web interface in a real browser (Debian's chromium, headless) against a real <c>clearance serve</c>: what a
/// compliance team does in a day, each page saved as a screenshot. Every wait is on an element or a URL, never a sleep.
/// </summary>
[Collection(WebInterfaceCollection.Name)]
public sealed partial class WebInterfaceTests(WebInterface web, ITestOutputHelper output)
{
    [Fact]
    public async Task SignIn_OperatorKeyAfterAMistypedOne_ErrorThenTheCheckFormUnderTheKeysName()
    {
        var page = await web.NewPageAsync();

        await page.GotoAsync("/");
        await Expect(page).ToHaveURLAsync(SignInUrl());
        await page.GetByLabel("Key").FillAsync(web.Served.KeyOf["operator"] + "x");
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Alert)).ToContainTextAsync("That key is not valid");
        await WebInterface.ScreenshotAsync(page, "signin-failed", output);
        await page.GetByLabel("Key").FillAsync(web.Served.KeyOf["operator"]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check a shipment" })).ToBeVisibleAsync();
        await Expect(page.Locator("header")).ToContainTextAsync("operator-key");
        await Expect(page.GetByRole(AriaRole.Button, new() { Name = "Sign out" })).ToBeVisibleAsync();
        await WebInterface.ScreenshotAsync(page, "signin-check-form", output);
    }

    [Fact]
    public async Task CheckForm_ChemicalsToKoreaOn2019_07_03ThenTheNextDay_GeneralBulkThenIndividualLicenceOnly()
    {
        var page = await web.SignedInAsync("operator");

        await page.GetByLabel("From").FillAsync("JP");
        await page.GetByLabel("To", new() { Exact = true }).FillAsync("KR");
        await page.GetByLabel("Item").FillAsync("JP:3(1)");
        await page.GetByLabel("Date").FillAsync("2019-07-03");
        await page.GetByRole(AriaRole.Button, new() { Name = "Check" }).ClickAsync();
        var verdict = page.Locator("h2.verdict");
        var eligible = page.Locator("dt:text-is('Eligible licences') + dd");
        await Expect(verdict).ToHaveTextAsync("license-required");
        await Expect(eligible).ToHaveTextAsync("individual, general-bulk, special-general-bulk, specific-bulk");
        await WebInterface.ScreenshotAsync(page, "check-2019-07-03", output);
        // The table of the same shipment over time links each stretch with its own answer: the one from 4 July 2019.
        await page.Locator("section.over-time tr", new() { Has = page.Locator("td:first-child", new() { HasTextString = "4 Jul 2019" }) })
            .GetByRole(AriaRole.Link).ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("date=2019-07-04"));
        await Expect(verdict).ToHaveTextAsync("license-required");
        await Expect(eligible).ToHaveTextAsync("individual");
        await Expect(page.Locator("section.result")).ToContainTextAsync("depends on the sub-item");
        await WebInterface.ScreenshotAsync(page, "check-2019-07-04", output);
    }

    [Fact]
    public async Task CheckForm_AsOfSliderMovedAcross2019_07_04_GeneralBulkGoneOnTheDayAndBackTheDayBefore()
    {
        var page = await web.SignedInAsync("operator");
        await page.GotoAsync("/check?from=JP&to=KR&item=JP%3A3(1)&date=2019-07-03");
        var slider = page.GetByTestId("as-of-slider");
        var asOf = page.GetByTestId("as-of-date");
        var eligible = page.Locator("dt:text-is('Eligible licences') + dd");
        await Expect(asOf).ToHaveAttributeAsync("datetime", "2019-07-03");
        await Expect(eligible).ToHaveTextAsync("individual, general-bulk, special-general-bulk, specific-bulk");

        // One step of the slider is one day: the arrow keys move it as a person does, and releasing it re-evaluates.
        await slider.FocusAsync();
        await slider.PressAsync("ArrowRight");
        await Expect(asOf).ToHaveAttributeAsync("datetime", "2019-07-04");
        await Expect(page).ToHaveURLAsync(new Regex("use=as_of"));
        await Expect(page.GetByTestId("verdict")).ToHaveAttributeAsync("data-verdict", "license-required");
        await Expect(eligible).ToHaveTextAsync("individual");
        await Expect(page.Locator("#date")).ToHaveValueAsync("2019-07-04");
        await WebInterface.ScreenshotAsync(page, "check-slider-2019-07-04", output);
        // The new page's script (deferred) must be running before the slider is moved again, or its release does nothing.
        await page.WaitForFunctionAsync("() => document.readyState === 'complete'");
        await slider.FocusAsync();
        await slider.PressAsync("ArrowLeft");

        await Expect(asOf).ToHaveAttributeAsync("datetime", "2019-07-03");
        await Expect(eligible).ToHaveTextAsync("individual, general-bulk, special-general-bulk, specific-bulk");
        await Expect(page.GetByTestId("verdict")).ToHaveAttributeAsync("data-verdict", "license-required");
    }

    [Fact]
    public async Task Timeline_JapanToKorea2018To2024_TheDisputesDaysInOrderOnTheAxisEachLinkedToItsCitation()
    {
        var page = await web.SignedInAsync("operator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Timeline", Exact = true }).ClickAsync();
        await page.GetByRole(AriaRole.Link, new() { Name = "Japan → South Korea, 2018–2024" }).ClickAsync();
        var chart = page.GetByTestId("timeline");
        await Expect(chart).ToBeVisibleAsync();

        var days = new[] { "2019-07-04", "2019-08-28", "2019-12-20", "2023-03-23", "2023-07-21" };
        var positions = new List<float>();
        foreach (var day in days)
        {
            await Expect(chart.Locator($"a.marker[data-date='{day}']")).ToBeVisibleAsync();
            positions.Add(await MarkAsync(chart, day));
        }

        Assert.Equal(positions.Order(), positions);
        Assert.True(positions[^1] - positions[0] > 300, $"the dispute's days span {positions[^1] - positions[0]} px of a 1280 px window");
        await WebInterface.ScreenshotAsync(page, "timeline-jp-kr", output);
        await WebInterface.ScreenshotAsync(chart, "timeline-jp-kr-chart", output);
        await chart.Locator("a.marker[data-date='2019-07-04']").ClickAsync();

        await Expect(page).ToHaveURLAsync(new Regex("#change-2019-07-04$"));
        var change = page.Locator("tr#change-2019-07-04");
        await Expect(change).ToBeInViewportAsync();
        await Expect(change).ToContainTextAsync("METI circular of July 2019");
    }

    [Fact]
    public async Task Timeline_KoreaToJapanChosenInTheForm_TheGa2PeriodAsABar()
    {
        var page = await web.SignedInAsync("operator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Timeline", Exact = true }).ClickAsync();
        await page.GetByLabel("Jurisdiction").SelectOptionAsync("KR");
        await page.GetByLabel("Destination").FillAsync("Japan");
        await page.GetByLabel("Since").FillAsync("2018-01-01");
        await page.GetByLabel("Until").FillAsync("2025-01-01");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var chart = page.GetByTestId("timeline");
        var ga2 = chart.Locator("g.row.group svg", new() { Has = page.Locator("text", new() { HasTextString = "Ga-2" }) });
        await Expect(ga2).ToBeVisibleAsync();
        await Expect(page.Locator("tr#change-2019-09-18")).ToBeVisibleAsync();
        await Expect(page.Locator("tr#change-2023-04-24")).ToBeVisibleAsync();

        // The bar is drawn from the mark of 18 September 2019 to that of 24 April 2023, the day after its last.
        var bar = (await ga2.BoundingBoxAsync())!;
        var (start, end) = (await MarkAsync(chart, "2019-09-18"), await MarkAsync(chart, "2023-04-24"));
        Assert.InRange(bar.X, start - 2, start + 2);
        Assert.InRange(bar.X + bar.Width, end - 2, end + 2);
        await WebInterface.ScreenshotAsync(page, "timeline-kr-jp", output);
    }

    [Fact]
    public async Task Timeline_3A090FilledInTheFormWithAWindow_TheEntryAndItsDatedRowsTheUntilDayLeftOut()
    {
        var page = await web.SignedInAsync("operator");
        await page.GetByRole(AriaRole.Link, new() { Name = "Timeline", Exact = true }).ClickAsync();
        await page.GetByLabel("Jurisdiction").SelectOptionAsync("US");
        await page.GetByLabel("Item").FillAsync("3A090");
        await page.GetByLabel("Since").FillAsync("2022-10-07");
        await page.GetByLabel("Until").FillAsync("2025-01-13");
        await page.GetByRole(AriaRole.Button, new() { Name = "Show" }).ClickAsync();

        var section = page.GetByTestId("item-timeline");
        await Expect(section.GetByRole(AriaRole.Heading, new() { Name = "US:3A090 under United States (EAR)" })).ToBeVisibleAsync();
        await Expect(page).ToHaveURLAsync(new Regex("item=3A090.*since=2022-10-07&until=2025-01-13"));
        await Expect(section.GetByTestId("attributes")).ToHaveTextAsync("columns: AT1 from 7 Oct 2022; product_group: A");
        await Expect(section.GetByTestId("list-as-of")).ToHaveAttributeAsync("datetime", new Regex(@"^\d{4}-\d{2}-\d{2}$"));
        await Expect(section.GetByTestId("window")).ToContainTextAsync("7 Oct 2022 – 12 Jan 2025 (last day)");
        // The days the ECCN's history turns, each a row headed by its date; 13 Jan 2025, the --until day, is not in the window.
        foreach (var (day, shown) in new[] { ("2022-10-07", "7 Oct 2022"), ("2023-11-17", "17 Nov 2023"), ("2024-12-02", "2 Dec 2024") })
        {
            await Expect(section.Locator($"tr#change-{day} td").First).ToHaveTextAsync(shown);
        }

        await Expect(section.Locator("tr#change-2025-01-13")).ToHaveCountAsync(0);
        await Expect(section.Locator("tr[data-rule]").First).ToBeVisibleAsync();
        await WebInterface.ScreenshotAsync(page, "timeline-us-3a090", output);
    }

    [Fact]
    public async Task ShipmentsQueue_July2019OrderBook_HeldLinesWithTheirReasonsAndTheReleasedOneNot()
    {
        const string exporter = "Kanto Resist K.K.";
        await web.Served.SubmitAsync(
            OrderBook.Line("KR-1/1", exporter, "2019-07-03", "KR", "JP:3(1)", "Korea Semi Co.", "Korea Semi Co.", 200),
            OrderBook.Line("KR-1/2", exporter, "2019-07-10", "KR", "JP:7(19)", "Korea Semi Co.", "Korea Semi Co.", 50),
            OrderBook.Line("KR-2/1", exporter, "2019-07-22", "US", "JP:16", "Example America Inc.", "Example America Inc."));
        var page = await web.SignedInAsync("officer");

        await page.GetByRole(AriaRole.Link, new() { Name = "Held shipments" }).ClickAsync();
        await page.GetByLabel("Exporter").FillAsync("Kanto Resist");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();

        await Expect(page.GetByText("2 line(s)")).ToBeVisibleAsync();
        await Expect(Row(page, "KR-1/1")).ToContainTextAsync("eligible types: [\"individual\",\"general-bulk\",\"special-general-bulk\",\"specific-bulk\"]");
        await Expect(Row(page, "KR-1/2")).ToContainTextAsync("eligible types: [\"individual\"]");
        await Expect(Row(page, "KR-1/2").Locator("td")).ToContainTextAsync(["KR-1/2", exporter, "KR", "JP:7(19)", "2019-07-10", "held"]);
        await Expect(Row(page, "KR-2/1")).ToHaveCountAsync(0);
        await WebInterface.ScreenshotAsync(page, "shipments-queue", output);
    }

    [Fact]
    public async Task ShipmentsQueue_ReleaseWithoutThenWithAReason_ReleasedUnderTheOfficersKeyWithTheReasonInItsHistory()
    {
        const string reason = "individual licence METI-2019-0412 granted 2019-08-08; file 17";
        await web.Served.SubmitAsync(OrderBook.Line("OF-1/1", "Osaka Fluoro K.K.", "2019-07-10", "KR", "JP:7(19)", "Korea Semi Co.", "Korea Semi Co.", 120));
        var page = await web.SignedInAsync("officer");
        await page.GotoAsync("/shipments?exporter=Osaka+Fluoro");
        var release = Row(page, "OF-1/1").Locator("form[action='/forms/shipments/release']");

        // Without a reason the browser refuses to send the form (the field is required), and the line stays held.
        await release.GetByRole(AriaRole.Button, new() { Name = "Release" }).ClickAsync();
        Assert.True(await release.GetByLabel("Release: reason").EvaluateAsync<bool>("field => field.validity.valueMissing"));
        await Expect(Row(page, "OF-1/1")).ToContainTextAsync("license-required");
        await release.GetByLabel("Release: reason").FillAsync(reason);
        await release.GetByRole(AriaRole.Button, new() { Name = "Release" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToHaveTextAsync("OF-1/1: release recorded, now released");
        await Expect(Row(page, "OF-1/1")).ToHaveCountAsync(0);
        await WebInterface.ScreenshotAsync(page, "shipments-released", output);
        await page.GetByLabel("Status").SelectOptionAsync("released");
        await page.GetByRole(AriaRole.Button, new() { Name = "Filter" }).ClickAsync();
        await Row(page, "OF-1/1").GetByRole(AriaRole.Link, new() { Name = "OF-1/1" }).ClickAsync();
        await Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Line OF-1/1" })).ToBeVisibleAsync();
        await Expect(page.Locator("dt:text-is('Status') + dd")).ToHaveTextAsync("released");
        await Expect(page.Locator("dt:text-is('Shipment') + dd")).ToHaveTextAsync("JP → KR, JP:7(19), on 2019-07-10");
        var history = page.Locator("table tbody tr");
        await Expect(history).ToHaveCountAsync(2);
        await Expect(history.Nth(0)).ToContainTextAsync("operator-key");
        await Expect(history.Nth(1)).ToContainTextAsync("officer-key");
        await Expect(history.Nth(1)).ToContainTextAsync(reason);
        await WebInterface.ScreenshotAsync(page, "shipment-history", output);
    }

    [Fact]
    public async Task Alerts_ConsigneeNearAnSdnEntryDecidedFalsePositive_AlertGoneAndTheLineReleased()
    {
        await web.Served.SubmitAsync(OrderBook.Line("AE-1/1", "Example Chemical Co.", "2019-07-15", "AE", "JP:16", "Example Trading FZE", "Aero Express Intercontinental"));
        var page = await web.SignedInAsync("officer");
        await page.GetByRole(AriaRole.Link, new() { Name = "Screening alerts" }).ClickAsync();
        var alert = page.Locator("section.alert", new() { Has = page.GetByRole(AriaRole.Heading, new() { Name = "Aero Express Intercontinental ↔ ofac-sdn:12191" }) });

        await Expect(alert.Locator(".side-by-side > div").Nth(0)).ToContainTextAsync("Aero Express Intercontinental");
        await Expect(alert.Locator(".side-by-side > div").Nth(1)).ToContainTextAsync("AERO EXPRESS INTERCONTINENTAL S.A. DE C.V.");
        await Expect(alert.Locator("table.tokens tr", new() { HasTextString = "intercontinental" })).ToContainTextAsync("exact");
        await WebInterface.ScreenshotAsync(page, "alerts", output);
        await alert.GetByLabel("false positive").CheckAsync();
        await alert.GetByLabel("Reason").FillAsync("Aero Express Intercontinental FZE of Dubai, not the Mexican airline");
        await alert.GetByRole(AriaRole.Button, new() { Name = "Decide" }).ClickAsync();

        await Expect(page.GetByRole(AriaRole.Status)).ToContainTextAsync("false-positive recorded for Aero Express Intercontinental against ofac-sdn:12191");
        await Expect(alert).ToHaveCountAsync(0);
        await WebInterface.ScreenshotAsync(page, "alerts-cleared", output);
        await page.GotoAsync("/shipment?id=AE-1%2F1");
        await Expect(page.Locator("dt:text-is('Status') + dd")).ToHaveTextAsync("released");
        await Expect(page.Locator("dt:text-is('Open reasons') + dd")).ToContainTextAsync("screening-cleared");
    }

    /// <summary>Where the timeline's change mark of <paramref name="day"/> stands: its circle's centre, in pixels from the page's left.</summary>
    private static async Task<float> MarkAsync(ILocator chart, string day)
    {
        var circle = (await chart.Locator($"a.marker[data-date='{day}'] circle").BoundingBoxAsync())!;
        return circle.X + circle.Width / 2;
    }

    /// <summary>The queue's row of line <paramref name="id"/>.</summary>
    private static ILocator Row(IPage page, string id) =>
        page.Locator("tbody tr", new() { Has = page.GetByRole(AriaRole.Link, new() { Name = id, Exact = true }) });

    [GeneratedRegex("/signin\\?ReturnUrl=%2F$")]
    private static partial Regex SignInUrl();
}
