using System.Text.Json;
using Clearance.Store;

namespace Clearance.Server;

/// <summary>API keys, for an admin: list, create (the key is in the answer and nowhere else), revoke.</summary>
internal static class KeysEndpoints
{
    private static readonly string[] CreateFields = ["name", "role"];

    public static void Map(RouteGroupBuilder api)
    {
        var keys = api.MapGroup("/keys").WithTags("Keys").RequireAuthorization(Roles.Admin);
        keys.MapGet("", (Backend backend) => Api.JsonArray(backend.Keys.List().Select(ApiKeyJson.Line))).WithSummary("Every key, valid and revoked (never the keys themselves)");
        keys.MapPost("", Create).WithSummary("Create a key: {\"name\", \"role\": viewer|operator|officer|admin}; the answer holds the key, shown this once").Accepts<JsonElement>(Api.JsonType);
        keys.MapDelete("/{name}", Revoke).WithSummary("Revoke a key: it stops working on every replica within seconds");
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Create(HttpContext context, Backend backend)
    {
        var fields = ActionBody.Read(await Api.ReadBodyAsync(context.Request).ConfigureAwait(false), CreateFields, out var error);
        if (error is not null)
            return Api.Invalid(error);
        if (!fields.TryGetValue("name", out var name))
            return Api.Invalid("field 'name': give the key's name (the actor of what it does)", "missing-field");
        if (ApiKeyStore.ParseRole(fields.GetValueOrDefault("role")) is not { } role)
            return Api.Invalid($"field 'role': give one of {string.Join(", ", ApiKeyStore.RoleNames)}", "invalid-field");
        try
        {
            context.Response.StatusCode = StatusCodes.Status201Created;
            return Api.Json(ApiKeyJson.Created(backend.Keys.Create(name, role, Roles.Actor(context))));
        }
        catch (ListStoreException e)
        {
            return Api.Conflict(e.Message);
        }
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Revoke(HttpContext context, Backend backend, KeyCache cache, string name)
    {
        name = Api.Segment(name);
        try
        {
            var revoked = backend.Keys.Revoke(name, Roles.Actor(context));
            cache.Clear();
            return Api.Json(Api.Write(w =>
            {
                w.WriteStartObject();
                w.WriteString("name", name);
                w.WriteBoolean("revoked", revoked);
                w.WriteEndObject();
            }));
        }
        catch (ListStoreException e)
        {
            return Api.NotFound(e.Message);
        }
    }
}
