using System.Security.Claims;
using Clearance.Store;
using Microsoft.AspNetCore.Mvc;

namespace Clearance.Server;

/// <summary>
/// The forms of the queue, alerts and licence pages: each posts here (antiforgery checked, an officer's session), does
/// what the API's endpoint does through the same code, and goes back to the page with what happened in the query
/// (<c>done=</c> or <c>error=</c>), so that reloading the page does not post again.
/// </summary>
internal static class WorkflowForms
{
    public static void Map(WebApplication app)
    {
        var forms = app.MapGroup("/forms").RequireAuthorization("page-" + Roles.Officer).ExcludeFromDescription();
        forms.MapPost("/shipments/{action}", Shipment);
        forms.MapPost("/alerts/decide", Decide);
    }

    /// <summary>Whether the signed-in key may change things (an officer or above, or <paramref name="least"/>): the pages show their forms only then.</summary>
    public static bool MayChange(ClaimsPrincipal? user, ApiRole least = ApiRole.Officer) =>
        ApiKeyStore.ParseRole(user?.FindFirstValue(ClaimTypes.Role)) is { } role && role >= least;

    private static RedirectHttpResult Shipment(HttpContext context, Backend backend, string action, [FromForm] string id, [FromForm] string? reason,
        [FromForm] string? license, [FromForm] string? returnUrl)
    {
        var back = PageEndpoints.LocalUrl(returnUrl, "/shipments");
        if (ShipmentsEndpoints.Actions.FirstOrDefault(a => a.Name == action) is not { } known)
            return Back(back, "error", $"'{action}' is not an action on a line");
        var value = known.Field == "license" ? license?.Trim() : reason;
        return ShipmentsEndpoints.Perform(backend, known, id, value, Roles.Actor(context), out var problem) is { } record
            ? Back(back, "done", $"{record.Id}: {known.Name} recorded, now {record.Status}")
            : Back(back, "error", problem!.ProblemDetails.Detail!.Replace("field '", "'", StringComparison.Ordinal));
    }

    private static RedirectHttpResult Decide(HttpContext context, Backend backend, [FromForm] string? party, [FromForm] string? entity,
        [FromForm] string? decision, [FromForm] string? reason)
    {
        var actor = Roles.Actor(context);
        if (ScreeningDecisionsEndpoints.Record(backend, party, entity, decision, reason, actor, out var error) is not { } recorded)
            return Back("/alerts", "error", $"{error!.Field}: {error.Message}");
        // A decision applies to the lines already held only after a recheck: the team expects the alert to go at once.
        var summary = ShipmentsEndpoints.RecheckNow(backend, actor);
        return Back("/alerts", "done", $"{recorded.Decision.Decision} recorded for {recorded.Decision.Party} against {entity}; {summary.Line()}");
    }

    /// <summary>Back to <paramref name="url"/>, with the outcome in its query (<paramref name="name"/> is done or error).</summary>
    public static RedirectHttpResult Back(string url, string name, string message) =>
        TypedResults.Redirect(url + (url.Contains('?', StringComparison.Ordinal) ? "&" : "?") + name + "=" + Uri.EscapeDataString(message));
}
