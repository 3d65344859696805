using Clearance.Store;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Server;

/// <summary>
/// The compliance team's reports, as <c>clearance reports holds|licenses|alerts|overrides --output json</c> print them
/// (a JSON array of the lines the CLI prints).
/// </summary>
internal static class ReportsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var reports = api.MapGroup("/reports").WithTags("Reports").RequireAuthorization(Roles.Viewer);
        reports.MapGet("/holds", (Backend backend, bool? detail) => Api.JsonArray(ReportsJson.Holds(backend.Reports.Holds(), detail ?? false)))
            .WithSummary("Open holds by reason and by destination: how many lines, the oldest hold; detail=true names the lines");
        reports.MapGet("/licenses", Licenses)
            .WithSummary("Each licence's balance and whether it expires within the window (within=90d, seen from date=YYYY-MM-DD, default today UTC)");
        reports.MapGet("/alerts", (Backend backend) => Api.JsonArray(ReportsJson.Alerts(backend.Reports.Alerts())))
            .WithSummary("Screening alerts awaiting review: matches of held lines by party and list entry");
        reports.MapGet("/overrides", (Backend backend) => Api.JsonArray(ReportsJson.Overrides(backend.Reports.Overrides())))
            .WithSummary("Lines released by an officer over their open reasons");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Licenses(Backend backend, string? within, string? date)
    {
        if (Window(within, date, out var today, out var days) is { } problem)
            return problem;
        return Api.JsonArray(ReportsJson.Licenses(backend.Reports.Licenses(today, days)));
    }

    /// <summary>The day and expiry window of a licences report (default today UTC and 90 days), or the 400 naming the parameter.</summary>
    public static ProblemHttpResult? Window(string? within, string? date, out LocalDate today, out int days)
    {
        today = SystemClock.Instance.GetCurrentInstant().InUtc().Date;
        days = 90;
        if (date is not null)
        {
            if (LocalDatePattern.Iso.Parse(date) is not { Success: true } parsed)
                return Api.Invalid($"date: '{date}' is not a date YYYY-MM-DD", "invalid-parameter");
            today = parsed.Value;
        }

        if (within is not null)
        {
            if (LicenseExpiry.ParseDays(within) is not { } parsedDays)
                return Api.Invalid($"within: '{within}' is not a number of days such as 90d", "invalid-parameter");
            days = parsedDays;
        }

        return null;
    }
}
