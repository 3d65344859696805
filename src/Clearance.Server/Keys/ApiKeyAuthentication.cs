using System.Collections.Concurrent;
using System.Security.Claims;
using System.Security.Cryptography;
using System.Text;
using System.Text.Encodings.Web;
using Clearance.Store;
using Microsoft.AspNetCore.Authentication;
using Microsoft.AspNetCore.Authorization;
using Microsoft.Extensions.DependencyInjection;
using Microsoft.Extensions.Logging;
using Microsoft.Extensions.Options;

namespace Clearance.Server;

/// <summary>
/// Checked keys, remembered for <see cref="ServerSettings.KeyCacheDuration"/> under the key's SHA-256 (never the key),
/// so that a request does not cost a database round trip; a revocation, by this replica or another, takes effect
/// within that time.
/// </summary>
internal sealed class KeyCache(Backend backend, ServerSettings settings)
{
    private const int MaxEntries = 10_000;
    private readonly ConcurrentDictionary<string, (ApiKeyRecord? Record, long Expires)> _entries = new(StringComparer.Ordinal);

    /// <summary>The valid key <paramref name="key"/> is, or null.</summary>
    public ApiKeyRecord? Authenticate(string key)
    {
        var hash = Convert.ToHexString(SHA256.HashData(Encoding.UTF8.GetBytes(key)));
        var now = Environment.TickCount64;
        if (_entries.TryGetValue(hash, out var entry) && entry.Expires > now)
            return entry.Record;
        if (_entries.Count > MaxEntries)
            _entries.Clear(); // a flood of made-up keys must not grow memory
        var record = backend.Keys.Authenticate(key);
        _entries[hash] = (record, now + (long)settings.KeyCacheDuration.TotalMilliseconds);
        return record;
    }

    /// <summary>Forgets every key (after a revocation through this replica: it takes effect at once here).</summary>
    public void Clear() => _entries.Clear();
}

/// <summary>
/// <c>Authorization: Bearer KEY</c>: the principal is the key's name (the actor of what it does), with its role. A
/// missing, unknown or revoked key is a 401 ProblemDetails, a role below the endpoint's a 403 naming both roles.
/// </summary>
internal sealed class ApiKeyHandler(IOptionsMonitor<AuthenticationSchemeOptions> options, ILoggerFactory logger, UrlEncoder encoder, KeyCache keys)
    : AuthenticationHandler<AuthenticationSchemeOptions>(options, logger, encoder)
{
    /// <summary>The scheme's name.</summary>
    public const string SchemeName = "ApiKey";

    protected override Task<AuthenticateResult> HandleAuthenticateAsync()
    {
        var header = Request.Headers.Authorization.ToString();
        if (header.Length == 0)
            return Task.FromResult(AuthenticateResult.NoResult());
        if (!header.StartsWith("Bearer ", StringComparison.OrdinalIgnoreCase))
            return Task.FromResult(AuthenticateResult.Fail("the Authorization header must be 'Bearer KEY'"));
        if (keys.Authenticate(header["Bearer ".Length..].Trim()) is not { } record)
            return Task.FromResult(AuthenticateResult.Fail("the API key is not valid (unknown, mistyped or revoked)"));
        var identity = new ClaimsIdentity(
            [new Claim(ClaimTypes.Name, record.Name), new Claim(ClaimTypes.Role, ApiKeyStore.Name(record.Role))], SchemeName);
        return Task.FromResult(AuthenticateResult.Success(new AuthenticationTicket(new ClaimsPrincipal(identity), SchemeName)));
    }

    protected override async Task HandleChallengeAsync(AuthenticationProperties properties)
    {
        var result = await HandleAuthenticateOnceSafeAsync().ConfigureAwait(false);
        Response.Headers.WWWAuthenticate = "Bearer";
        await Write(StatusCodes.Status401Unauthorized, result.Failure?.Message ?? "an API key is needed: send 'Authorization: Bearer KEY' (clearance keys create)", "unauthenticated").ConfigureAwait(false);
    }

    protected override Task HandleForbiddenAsync(AuthenticationProperties properties)
    {
        var needed = Context.GetEndpoint()?.Metadata.GetOrderedMetadata<IAuthorizeData>().Select(a => a.Policy).LastOrDefault(p => p is not null) ?? "another role";
        var role = Context.User.FindFirstValue(ClaimTypes.Role);
        return Write(StatusCodes.Status403Forbidden, $"the key '{Context.User.Identity?.Name}' has the role {role}; this needs the role {needed}{(needed == Roles.Admin ? "" : " or above")}", "forbidden");
    }

    private Task Write(int status, string detail, string code)
    {
        Response.StatusCode = status;
        return Context.RequestServices.GetRequiredService<IProblemDetailsService>().WriteAsync(new ProblemDetailsContext
        {
            HttpContext = Context,
            ProblemDetails = { Status = status, Detail = detail, Extensions = { ["code"] = code } },
        }).AsTask();
    }
}

/// <summary>The authorization policies, one per role; each role may do what the roles below it may.</summary>
internal static class Roles
{
    /// <summary>Reads.</summary>
    public const string Viewer = "viewer";

    /// <summary>Checks, screens, submits.</summary>
    public const string Operator = "operator";

    /// <summary>Releases, decides, manages licences.</summary>
    public const string Officer = "officer";

    /// <summary>Manages keys and lists.</summary>
    public const string Admin = "admin";

    /// <summary>
    /// Adds two policies per role, the key's role at least that one: "ROLE" for the API (a key in the Authorization
    /// header) and "page-ROLE" for the web pages (the session cookie).
    /// </summary>
    public static void AddPolicies(AuthorizationBuilder builder)
    {
        foreach (var role in Enum.GetValues<ApiRole>())
        {
            foreach (var (prefix, scheme) in new[] { ("", ApiKeyHandler.SchemeName), ("page-", PageEndpoints.SessionScheme) })
            {
                builder.AddPolicy(prefix + ApiKeyStore.Name(role), policy => policy
                    .AddAuthenticationSchemes(scheme)
                    .RequireAuthenticatedUser()
                    .RequireAssertion(context => ApiKeyStore.ParseRole(context.User.FindFirstValue(ClaimTypes.Role)) >= role));
            }
        }
    }

    /// <summary>The acting key's name: the actor of every write.</summary>
    public static string Actor(HttpContext context) => context.User.Identity?.Name ?? throw new InvalidOperationException("no authenticated key");
}
