using Microsoft.Playwright;
using Xunit.Abstractions;

namespace Clearance.Browser.Tests;

/// <summary>
/// One served Clearance and one chromium for every browser test (starting them is most of the run's time); each test
/// opens its own window without cookies, so each signs in for itself, and writes only lines of its own.
/// </summary>
public sealed class WebInterface : IAsyncLifetime
{
    /// <summary>How long a wait for an element or a page may take before the test fails: generous for a loaded CI machine.</summary>
    internal static readonly TimeSpan WaitTimeout = TimeSpan.FromSeconds(30);

    private ServedClearance? _served;
    private Chromium? _chromium;

    internal ServedClearance Served => _served ?? throw new InvalidOperationException("not started");

    /// <summary>Where the screenshots go: a folder of the test output, kept after the run.</summary>
    public static string ScreenshotFolder { get; } = Path.Combine(AppContext.BaseDirectory, "TestResults", "screenshots");

    public async Task InitializeAsync()
    {
        // Expect(...) waits 5 s by default, too little for a page rendered while every test project runs on two cores.
        Assertions.SetDefaultExpectTimeout((float)WaitTimeout.TotalMilliseconds);
        // The browser first: without chromium nothing else is worth starting, and its error says what to install.
        _chromium = await Chromium.LaunchAsync();
        try
        {
            _served = await ServedClearance.StartAsync();
        }
        catch
        {
            await _chromium.DisposeAsync();
            _chromium = null;
            throw;
        }
    }

    /// <summary>A new window with no session, on the served Clearance.</summary>
    internal Task<IPage> NewPageAsync() => (_chromium ?? throw new InvalidOperationException("not started")).NewPageAsync(Served.Address, WaitTimeout);

    /// <summary>A new window signed in through the sign-in form with the key of <paramref name="role"/>, on the check form it lands on.</summary>
    internal async Task<IPage> SignedInAsync(string role)
    {
        var page = await NewPageAsync();
        await page.GotoAsync("/signin");
        await page.GetByLabel("Key").FillAsync(Served.KeyOf[role]);
        await page.GetByRole(AriaRole.Button, new() { Name = "Sign in" }).ClickAsync();
        // Signed in when the check form is there (an element, not the URL: the URL is reached before the page has loaded).
        await Assertions.Expect(page.GetByRole(AriaRole.Heading, new() { Name = "Check a shipment" })).ToBeVisibleAsync();
        return page;
    }

    /// <summary>Saves the whole page as ScreenshotFolder/NAME.png and says where in the test's output.</summary>
    internal static async Task ScreenshotAsync(IPage page, string name, ITestOutputHelper output) =>
        await page.ScreenshotAsync(new() { Path = ScreenshotPath(name, output), FullPage = true, Type = ScreenshotType.Png });

    /// <summary>Saves one element (a chart) as ScreenshotFolder/NAME.png and says where in the test's output.</summary>
    internal static async Task ScreenshotAsync(ILocator element, string name, ITestOutputHelper output) =>
        await element.ScreenshotAsync(new() { Path = ScreenshotPath(name, output), Type = ScreenshotType.Png });

    private static string ScreenshotPath(string name, ITestOutputHelper output)
    {
        Directory.CreateDirectory(ScreenshotFolder);
        var path = Path.Combine(ScreenshotFolder, name + ".png");
        output.WriteLine($"screenshot: {path}");
        return path;
    }

    public async Task DisposeAsync()
    {
        if (_chromium is not null)
            await _chromium.DisposeAsync();
        if (_served is not null)
            await _served.DisposeAsync();
    }
}

/// <summary>The browser tests share one <see cref="WebInterface"/>.</summary>
[CollectionDefinition(Name)]
public sealed class WebInterfaceCollection : ICollectionFixture<WebInterface>
{
    public const string Name = "web interface";
}
