using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Clearance.Server;

/// <summary>
/// The content over time, as <c>clearance rules show|timeline|diff --output json</c> gives it: the rules in force on a
/// date, a destination's or an item's timeline, and what changed between two dates. Each is one call of the
/// Application's <see cref="RulesQueries"/>, as the command's is; errors name the query parameter.
/// </summary>
internal static class RulesEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var rules = api.MapGroup("/rules/{jurisdiction}").WithTags("Rules").RequireAuthorization(Roles.Viewer);
        rules.MapGet("", Show).WithSummary("The rules in force on a date (as_of, default today UTC), for one destination when country is given, for one item of the control list when item is given");
        rules.MapGet("/timeline", Timeline).WithSummary("A destination's group memberships and the rule changes that concern it (country), or an item's entry, the rules that take it and their changes (item), or the item's to the destination (both); since and until cut it to the changes on or after since and before until");
        rules.MapGet("/diff", Diff).WithSummary("Every change taking effect after since, up to and including until; with item, only the changes of the rules that take it");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Show(Backend backend, string jurisdiction, [FromQuery(Name = "as_of")] string? asOf, string? country, string? item) => Answer(() =>
    {
        var date = asOf ?? NodaTime.Text.LocalDatePattern.Iso.Format(SystemClock.Instance.GetCurrentInstant().InUtc().Date);
        var result = backend.Rules.Show(new Input("jurisdiction", jurisdiction), new Input("as_of", date), Optional("country", country), Optional("item", item));
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Results<FileContentHttpResult, ProblemHttpResult> Timeline(Backend backend, string jurisdiction, string? country, string? item, string? since, string? until) => Answer(() =>
    {
        if (item is null && country is null)
            return Api.Invalid(RulesQueries.NoSubject("item", "country").Message, "missing-parameter");
        var window = DateWindow.Parse(Optional("since", since), Optional("until", until));
        if (item is not null)
        {
            var byItem = backend.Rules.ItemTimeline(new Input("jurisdiction", jurisdiction), new Input("item", item), Optional("country", country), window);
            return Api.Json(w => RulesJson.Write(w, byItem));
        }

        var result = backend.Rules.Timeline(new Input("jurisdiction", jurisdiction), new Input("country", country!), window);
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Results<FileContentHttpResult, ProblemHttpResult> Diff(Backend backend, string jurisdiction, string? since, string? until, string? item) => Answer(() =>
    {
        if (since is null || until is null)
            return Api.Invalid($"{(since is null ? "since" : "until")}: give a date YYYY-MM-DD", "missing-parameter");
        var result = backend.Rules.Diff(new Input("jurisdiction", jurisdiction), new Input("since", since), new Input("until", until), Optional("item", item));
        return Api.Json(w => RulesJson.Write(w, result));
    });

    private static Input? Optional(string name, string? value) => value is null ? null : new Input(name, value);

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
