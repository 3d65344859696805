
namespace Clearance.Server;

/// <summary>
/// Headers on every response: no MIME sniffing, no framing, no referrer, and a content security policy: none at all
/// for the API's JSON, the service's own scripts and styles for pages (the API reference page needs its inline set-up).
/// </summary>
internal sealed class SecurityHeaders(RequestDelegate next)
{
    private const string ApiPolicy = "default-src 'none'; frame-ancestors 'none'";
    private const string PagePolicy = "default-src 'self'; script-src 'self' 'unsafe-inline'; style-src 'self' 'unsafe-inline'; img-src 'self' data:; font-src 'self' data:; frame-ancestors 'none'; form-action 'self'; base-uri 'self'";

    public Task InvokeAsync(HttpContext context)
    {
        var headers = context.Response.Headers;
        headers.XContentTypeOptions = "nosniff";
        headers.XFrameOptions = "DENY";
        headers["Referrer-Policy"] = "no-referrer";
        headers.ContentSecurityPolicy = context.Request.Path.StartsWithSegments("/scalar") ? PagePolicy : ApiPolicy;
        headers.CacheControl = "no-store";
        return next(context);
    }
}
