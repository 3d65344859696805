using Microsoft.Playwright;

namespace Clearance.Browser.Tests;

/// <summary>
/// Debian's chromium (/usr/bin/chromium, or CLEARANCE_CHROMIUM), headless, driven by Playwright's driver: Playwright never
/// downloads a browser of its own here. The machine has no network beyond package registries, so every feature that
/// calls Google (sync, component updates, background fetches, QUIC probes, the first-run page) is switched off.
/// </summary>
internal sealed class Chromium : IAsyncDisposable
{
    /// <summary>The browser the tests drive.</summary>
    public static string ExecutablePath => Environment.GetEnvironmentVariable("CLEARANCE_CHROMIUM") is { Length: > 0 } path ? path : "/usr/bin/chromium";

    /// <summary>Every page is shot at this size: a laptop's screen.</summary>
    public static readonly ViewportSize Viewport = new() { Width = 1280, Height = 800 };

    private static readonly string[] OfflineArguments =
    [
        "--no-sandbox", // the tests run as root (CI), where chromium's sandbox cannot start
        "--disable-gpu", "--disable-quic", "--no-first-run", "--disable-background-networking", "--disable-component-update", "--disable-sync",
    ];

    private readonly IPlaywright _playwright;

    private Chromium(IPlaywright playwright, IBrowser browser)
    {
        _playwright = playwright;
        Browser = browser;
    }

    /// <summary>The running browser.</summary>
    public IBrowser Browser { get; }

    /// <summary>
    /// Starts the browser; a missing chromium fails loudly (never a skipped test): ./test.sh installs it, elsewhere
    /// `apt-get install -y chromium` does. Each launch gets a fresh profile: Playwright gives chromium a new temporary
    /// --user-data-dir and removes it on close (it refuses the flag in the arguments).
    /// </summary>
    public static async Task<Chromium> LaunchAsync()
    {
        if (!File.Exists(ExecutablePath))
            throw new FileNotFoundException($"chromium is not installed at {ExecutablePath}: run ./test.sh (it installs it) or `apt-get install -y chromium`", ExecutablePath);
        var playwright = await Playwright.CreateAsync();
        var browser = await playwright.Chromium.LaunchAsync(new() { ExecutablePath = ExecutablePath, Headless = true, Args = OfflineArguments });
        return new Chromium(playwright, browser);
    }

    /// <summary>A new window with no cookies (no session), at the laptop's size, failing any wait after <paramref name="timeout"/>.</summary>
    public async Task<IPage> NewPageAsync(Uri baseAddress, TimeSpan timeout)
    {
        var context = await Browser.NewContextAsync(new() { BaseURL = baseAddress.ToString(), ViewportSize = Viewport, Locale = "en-GB", TimezoneId = "UTC" });
        context.SetDefaultTimeout((float)timeout.TotalMilliseconds);
        return await context.NewPageAsync();
    }

    public async ValueTask DisposeAsync()
    {
        await Browser.DisposeAsync();
        _playwright.Dispose();
    }
}
