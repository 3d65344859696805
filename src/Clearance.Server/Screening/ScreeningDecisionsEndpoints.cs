using System.Text.Json;
using Clearance.Store;

namespace Clearance.Server;

/// <summary>
/// Analysts' decisions on screening alerts, as <c>clearance screening decide|decisions --output json</c> handle them:
/// the same checks of every field (<see cref="ScreeningDecisionInput"/>), the key's name as the one who decided.
/// </summary>
internal static class ScreeningDecisionsEndpoints
{
    private static readonly string[] DecisionFields = ["party", "entity", "decision", "reason"];

    public static void Map(RouteGroupBuilder api)
    {
        var decisions = api.MapGroup("/screening/decisions").WithTags("Screening decisions");
        decisions.MapGet("", List).WithSummary("Every decision, oldest first, with whether it still applies to the active lists").RequireAuthorization(Roles.Viewer);
        decisions.MapPost("", Decide)
            .WithSummary("Decide an alert: {\"party\", \"entity\": \"LIST:ENTRY_ID\", \"decision\": \"false-positive\"|\"true-match\", \"reason\"}; applied at submit, and to the held and released lines by the recheck that follows (summary in the header Clearance-Recheck; recheck=false leaves it to shipments/recheck)")
            .Accepts<JsonElement>(Api.JsonType)
            .RequireAuthorization(Roles.Officer);
    }

    private static FileContentHttpResult List(Backend backend) => Api.JsonArray(ScreeningDecisionInput.Lines(backend.Decisions.States()));

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Decide(HttpContext context, Backend backend, bool? recheck)
    {
        var fields = ActionBody.Read(await Api.ReadBodyAsync(context.Request).ConfigureAwait(false), DecisionFields, out var error);
        if (error is not null)
            return Api.Invalid(error);
        if (DecisionFields.FirstOrDefault(f => !fields.ContainsKey(f)) is { } missing)
            return Api.Invalid($"field '{missing}': give it (fields: {string.Join(", ", DecisionFields)})", "missing-field");
        var actor = Roles.Actor(context);
        var recorded = Record(backend, fields["party"], fields["entity"], fields["decision"], fields["reason"], actor, out var invalid);
        if (recorded is null)
            return Api.Invalid($"field '{invalid!.Field}': {invalid.Message}", "invalid-field");
        await ShipmentsEndpoints.RecheckAfterAsync(context, backend, actor, recheck).ConfigureAwait(false);
        return Api.Json(ScreeningDecisionInput.Lines([recorded]).Single());
    }

    /// <summary>Checks and records a decision (the API's and the alerts page's), or returns null with the wrong field.</summary>
    public static DecisionState? Record(Backend backend, string? party, string? entity, string? decision, string? reason, string actor, out FieldError? error) =>
        ScreeningDecisionInput.Parse(party, entity, decision, reason, out error) is { } input ? input.Record(backend.Decisions, actor, out error) : null;
}
