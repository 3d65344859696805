
namespace Clearance.Server;

/// <summary>
/// Headers on every response: no MIME sniffing, no framing, no referrer, and a content security policy: none at all
/// for the API's JSON, the service's own style sheet and no script for the pages, and the reference page's own
/// scripts with their inline set-up.
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string ReferencePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";
    private const string PagePolicy = "default-src 'self'; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        var path = context.Request.Path;
        headers.ContentSecurityPolicy = path.StartsWithSegments("/scalar") ? ReferencePolicy
            : path.StartsWithSegments("/api") || path.StartsWithSegments("/health") || path.StartsWithSegments("/openapi") ? ApiPolicy
            : PagePolicy;
        // As antiforgery wants it on pages with a form (it would otherwise override it and log a warning).
        headers.CacheControl = "no-cache, no-store";
        headers.Pragma = "no-cache";
        return next(context);
    }
}
