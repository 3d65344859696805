using System.Security.Claims;
using Clearance.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authentication.Cookies;
using Microsoft.AspNetCore.Mvc;
using Microsoft.Extensions.DependencyInjection;

namespace Clearance.Server;

/// <summary>
/// The web interface's session: signing in with an API key gives a cookie (HttpOnly, SameSite=Strict) with the key's
/// name and role, never the key; each request checks that the key is still valid, so a revocation ends its sessions.
/// The API never accepts the cookie (only a key), so a page cannot be made to call it across sites.
/// </summary>
internal static class PageEndpoints
{
    /// <summary>The session cookie's scheme.</summary>
    public const string SessionScheme = "Session";

    private const string Css =
        """
        body { font-family: system-ui, sans-serif; margin: 0; color: #1d1d1f; }
        header { display: flex; gap: 1.5rem; align-items: center; padding: .6rem 1.5rem; background: #16324f; color: #fff; }
        header a { color: #fff; } header .signout { margin-left: auto; display: flex; gap: .5rem; align-items: center; }
        main { max-width: 60rem; margin: 1.5rem auto; padding: 0 1.5rem; }
        form.check { display: grid; grid-template-columns: repeat(auto-fill, minmax(14rem, 1fr)); gap: .6rem 1rem; align-items: end; }
        label { display: flex; flex-direction: column; font-size: .9rem; gap: .2rem; }
        input, select, button { font: inherit; padding: .3rem .4rem; }
        .verdict { display: inline-block; padding: .2rem .7rem; border-radius: .3rem; color: #fff; background: #666; }
        .verdict.no-license-required { background: #1e7b34; } .verdict.license-required { background: #b35c00; }
        .verdict.prohibited { background: #b00020; } .verdict.indeterminate { background: #6b4fa0; }
        dt { font-weight: 600; } dd { margin: 0 0 .5rem 0; } cite { color: #555; font-size: .9rem; }
        .error { color: #b00020; } .rule, .version { color: #666; font-size: .85rem; }
        table { border-collapse: collapse; } th, td { text-align: left; padding: .25rem .8rem .25rem 0; border-bottom: 1px solid #ddd; }
        tr.current { font-weight: 600; background: #eef3f8; }
        main:has(.wide) { max-width: 80rem; }
        form.filter, form.inline { display: flex; flex-wrap: wrap; gap: .4rem .8rem; align-items: end; margin: .3rem 0; }
        .done { color: #1e7b34; } .warning { color: #b35c00; font-weight: 600; }
        ul.reasons { margin: 0; padding-left: 1rem; } ul.reasons li { font-size: .9rem; }
        .side-by-side { display: grid; grid-template-columns: 1fr 1fr; gap: 1rem; } .side-by-side > div { border: 1px solid #ddd; padding: .5rem .8rem; }
        .alert { border-top: 2px solid #16324f; margin: 1rem 0; padding-top: .5rem; }
        .bar { width: 12rem; height: .9rem; background: #e5e5e5; border-radius: .2rem; overflow: hidden; display: inline-block; vertical-align: middle; }
        .bar rect.drawn { fill: #1e7b34; } .bar.high rect.drawn { fill: #b35c00; } .bar.full rect.drawn { fill: #b00020; }
        .as-of { display: grid; gap: .2rem; margin: .8rem 0 1.2rem; } .as-of input[type=range] { width: 100%; margin: 0; }
        .as-of button { justify-self: start; } .range-ends { display: flex; justify-content: space-between; color: #666; font-size: .8rem; }
        svg.changes { overflow: visible; } svg.changes line { stroke: #666; stroke-width: 3; } svg.changes text { font-size: .7rem; fill: #555; }
        svg line.no-license-required { stroke: #1e7b34; } svg line.license-required { stroke: #b35c00; } svg line.prohibited { stroke: #b00020; }
        ul.answer-changes { display: flex; flex-wrap: wrap; gap: .2rem 1.2rem; padding: 0; list-style: none; margin: .2rem 0; }
        svg.timeline { font-size: 12px; overflow: visible; margin: .5rem 0 1rem; } svg.timeline .year line { stroke: #ddd; } svg.timeline .year text { fill: #666; }
        svg.timeline .row-label { fill: #333; } svg.timeline .stretch text { fill: #fff; pointer-events: none; }
        .stretch.g0 rect { fill: #4a7fb5; } .stretch.g1 rect { fill: #2e8b57; } .stretch.g2 rect { fill: #d98c1f; } .stretch.g3 rect { fill: #8e5fb0; }
        .license-deny rect { fill: #b00020; } .license-allow rect { fill: #1e7b34; } .requirement rect { fill: #b35c00; } .review-period rect { fill: #3b6ea8; }
        .marker line { stroke: #16324f; stroke-dasharray: 3 3; } .marker circle { fill: #16324f; } .marker text { fill: #fff; font-size: 10px; font-weight: 600; }
        .marker:hover line { stroke-dasharray: none; stroke-width: 2; } table.changes td { vertical-align: top; font-size: .9rem; } td cite + a { margin-left: .4rem; } tr:target { background: #fff3cd; }
        """;

    /// <summary>
    /// The pages' only script, progressive enhancement: the as-of slider shows the day it points at while it moves and
    /// re-evaluates when let go (its button does the same without script). Served from here because the pages'
    /// content security policy allows no inline script.
    /// </summary>
    private const string Script =
        """
        const slider = document.getElementById('as-of-slider');
        if (slider) {
          const origin = Date.parse(slider.dataset.origin + 'T00:00:00Z');
          const dateOf = day => new Date(origin + Number(day) * 86400000).toISOString().slice(0, 10);
          const shown = [document.getElementById('as-of-date'), document.getElementById('as-of-label')];
          slider.addEventListener('input', () => {
            for (const element of shown) element.textContent = dateOf(slider.value);
            slider.setAttribute('aria-valuetext', dateOf(slider.value));
          });
          slider.addEventListener('change', () => {
            document.getElementById('date').value = dateOf(slider.value);
            slider.form.requestSubmit(document.getElementById('as-of-apply'));
          });
        }
        """;

    public static void AddSession(AuthenticationBuilder authentication) =>
        authentication.AddCookie(SessionScheme, options =>
        {
            options.Cookie.Name = "clearance-session";
            options.Cookie.HttpOnly = true;
            options.Cookie.SameSite = SameSiteMode.Strict;
            options.Cookie.SecurePolicy = CookieSecurePolicy.SameAsRequest;
            options.LoginPath = "/signin";
            options.AccessDeniedPath = "/signin";
            options.ExpireTimeSpan = TimeSpan.FromHours(8);
            options.SlidingExpiration = true;
            options.Events.OnValidatePrincipal = context =>
            {
                var name = context.Principal?.Identity?.Name;
                var keys = context.HttpContext.RequestServices.GetRequiredService<Backend>().Keys;
                if (name is null || !keys.List().Any(k => k.Name == name && k.RevokedAt is null))
                    context.RejectPrincipal();
                return Task.CompletedTask;
            };
        });

    public static void Map(WebApplication app)
    {
        app.MapGet("/site.css", () => TypedResults.Text(Css, "text/css")).AllowAnonymous().ExcludeFromDescription();
        app.MapGet("/site.js", () => TypedResults.Text(Script, "text/javascript")).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signin", SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", (Delegate)SignOut).ExcludeFromDescription();
    }

    private static async Task<RedirectHttpResult> SignIn(HttpContext context, KeyCache keys, [FromForm] string key, [FromForm] string? returnUrl)
    {
        if (keys.Authenticate(key.Trim()) is not { } record)
            return TypedResults.Redirect("/signin?failed=true" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl)));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, ApiKeyStore.Name(record.Role))], SessionScheme);
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        return TypedResults.Redirect(LocalUrl(returnUrl, "/check"));
    }

    /// <summary><paramref name="url"/> when it is a path of this site, else <paramref name="fallback"/>: a link must not send the user to another site.</summary>
    public static string LocalUrl(string? url, string fallback) =>
        url is { } local && local.StartsWith('/') && !local.StartsWith("//", StringComparison.Ordinal) && !local.Contains('\\', StringComparison.Ordinal) ? local : fallback;

    private static async Task<RedirectHttpResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(SessionScheme).ConfigureAwait(false);
        return TypedResults.Redirect("/signin");
    }
}
