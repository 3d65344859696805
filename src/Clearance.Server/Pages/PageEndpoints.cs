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
        app.MapPost("/signin", SignIn).AllowAnonymous().ExcludeFromDescription();
        app.MapPost("/signout", (Delegate)SignOut).ExcludeFromDescription();
    }

    private static async Task<RedirectHttpResult> SignIn(HttpContext context, KeyCache keys, [FromForm] string key, [FromForm] string? returnUrl)
    {
        if (keys.Authenticate(key.Trim()) is not { } record)
            return TypedResults.Redirect("/signin?failed=true" + (returnUrl is null ? "" : "&returnUrl=" + Uri.EscapeDataString(returnUrl)));
        var identity = new ClaimsIdentity([new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, ApiKeyStore.Name(record.Role))], SessionScheme);
        await context.SignInAsync(SessionScheme, new ClaimsPrincipal(identity)).ConfigureAwait(false);
        // Only a local path: a sign-in link must not send the user to another site.
        return TypedResults.Redirect(returnUrl is { } url && url.StartsWith('/') && !url.StartsWith("//", StringComparison.Ordinal) && !url.Contains('\\', StringComparison.Ordinal) ? url : "/check");
    }

    private static async Task<RedirectHttpResult> SignOut(HttpContext context)
    {
        await context.SignOutAsync(SessionScheme).ConfigureAwait(false);
        return TypedResults.Redirect("/signin");
    }
}
