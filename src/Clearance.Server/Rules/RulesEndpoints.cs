using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Clearance.Server;

/// <summary>
/// The content over time, as <c>clearance rules show|timeline|diff --output json</c> gives it: the rules in force on a
/// date, a destination's timeline, and what changed between two dates. Errors name the query parameter.
/// </summary>
internal static class RulesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/rules/{jurisdiction}").WithTags("Rules").RequireAuthorization(Roles.Viewer);
        rules.MapGet("", Show).WithSummary("The rules in force on a date (as_of, default today UTC), for one destination when country is given");
        rules.MapGet("/timeline", Timeline).WithSummary("A destination's group memberships and the rule changes that concern it, over time");
        rules.MapGet("/diff", Diff).WithSummary("Every change taking effect after since, up to and including until");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Show(Backend backend, string jurisdiction, [FromQuery(Name = "as_of")] string? asOf, string? country) => Answer(() =>
    {
        var date = asOf ?? DateText.Date(SystemClock.Instance.GetCurrentInstant().InUtc().Date);
        var result = backend.Rules.Show(new Input("jurisdiction", jurisdiction), new Input("as_of", date), country is null ? null : new Input("country", country));
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Results<FileContentHttpResult, ProblemHttpResult> Timeline(Backend backend, string jurisdiction, string? country) => Answer(() =>
    {
        if (country is null)
            return Api.Invalid("country: give the destination (KR or South Korea)", "missing-parameter");
        var result = backend.Rules.Timeline(new Input("jurisdiction", jurisdiction), new Input("country", country));
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Results<FileContentHttpResult, ProblemHttpResult> Diff(Backend backend, string jurisdiction, string? since, string? until) => Answer(() =>
    {
        if (since is null || until is null)
            return Api.Invalid($"{(since is null ? "since" : "until")}: give a date YYYY-MM-DD", "missing-parameter");
        var result = backend.Rules.Diff(new Input("jurisdiction", jurisdiction), new Input("since", since), new Input("until", until));
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Results<FileContentHttpResult, ProblemHttpResult> Answer(Func<Results<FileContentHttpResult, ProblemHttpResult>> query)
    {
        try
        {
            return query();
        }
        catch (RulesQueryException e)
        {
            return Api.Invalid(e.Message);
        }
    }
}
