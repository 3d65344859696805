using Clearance.Store;

namespace Clearance.Server;

/// <summary>
/// For a load balancer or an orchestrator, without a key: <c>/health/live</c> (the process answers) and
/// <c>/health/ready</c> (the database answers, the content is loaded; with the content and list versions), 503 when not.
/// </summary>
internal static class HealthEndpoints
{
    public static void Map(IEndpointRouteBuilder app)
    {
        var health = app.MapGroup("/health").WithTags("Health").AllowAnonymous().DisableRateLimiting();
        health.MapGet("/live", () => Api.Json("{\"status\":\"live\"}")).WithSummary("The process is up");
        health.MapGet("/ready", Ready).WithSummary("The database is reachable and the content loaded; the content and active list versions");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Ready(Backend backend)
    {
        IReadOnlyList<(string List, int Version)> lists;
        try
        {
            lists = backend.ActiveLists();
        }
        catch (ListStoreException e)
        {
            return Api.Problem(StatusCodes.Status503ServiceUnavailable, "database not reachable: " + e.Message, "not-ready");
        }

        return Api.Json(Api.Write(w =>
        {
            w.WriteStartObject();
            w.WriteString("status", "ready");
            w.WriteString("content_version", backend.Evaluator.Content.Version);
            w.WriteStartArray("jurisdictions");
            foreach (var jurisdiction in backend.Evaluator.Content.Jurisdictions)
                w.WriteStringValue(jurisdiction.Id);
            w.WriteEndArray();
            w.WriteStartObject("lists");
            foreach (var (list, version) in lists)
                w.WriteNumber(list, version);

            w.WriteEndObject();
            w.WriteBoolean("screening", backend.Screening.Index is not null);
            w.WriteEndObject();
        }));
    }
}
