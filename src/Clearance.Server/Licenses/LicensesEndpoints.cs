using System.Text;
using System.Text.Json;
using Clearance.Licensing;
using Clearance.Store;
using Microsoft.AspNetCore.Mvc;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Server;

/// <summary>
/// Licences, as <c>clearance licenses list|show|add|import|grant|suspend|revoke</c> handle them: the same record JSON,
/// the same input contract (the fields of <c>licenses import</c>), every change audited with the key's name.
/// </summary>
internal static class LicensesEndpoints
{
    private static readonly string[] TransitionFields = ["reason", "date"];

    public static void Map(RouteGroupBuilder api)
    {
        var licenses = api.MapGroup("/licenses").WithTags("Licences");
        licenses.MapGet("", List).WithSummary("Every licence with its validity, state and balance; expiring_within=90d keeps those ending soon").RequireAuthorization(Roles.Viewer);
        licenses.MapGet("/{number}", Show).WithSummary("A licence with its balance, state history and drawdowns").RequireAuthorization(Roles.Viewer);
        licenses.MapPost("", Add)
            .WithSummary("Add one licence (a JSON object with the fields of licenses import) or an array of them; the held and released lines are rechecked after (summary in the header Clearance-Recheck; recheck=false leaves it to shipments/recheck)")
            .Accepts<JsonElement>(Api.JsonType)
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Officer);
        foreach (var (name, state) in new[] { ("grant", LicenseState.Granted), ("suspend", LicenseState.Suspended), ("revoke", LicenseState.Revoked) })
        {
            licenses.MapPost("/{number}/" + name, (HttpContext context, Backend backend, string number, bool? recheck) => Transition(context, backend, Api.Segment(number), state, recheck))
                .WithSummary($"{name}: {{\"reason\": required, \"date\": YYYY-MM-DD (default today UTC)}}; the held and released lines are rechecked after (header Clearance-Recheck; recheck=false: not)")
                .Accepts<JsonElement>(Api.JsonType)
                .RequireAuthorization(Roles.Officer);
        }
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> List(Backend backend, [FromQuery(Name = "expiring_within")] string? expiringWithin, string? date)
    {
        var today = Today();
        if (date is not null)
        {
            if (LocalDatePattern.Iso.Parse(date) is not { Success: true } parsed)
                return Api.Invalid($"date: '{date}' is not a date YYYY-MM-DD", "invalid-parameter");
            today = parsed.Value;
        }

        int? days = null;
        if (expiringWithin is not null && (days = LicenseExpiry.ParseDays(expiringWithin)) is null)
            return Api.Invalid($"expiring_within: '{expiringWithin}' is not a number of days such as 90d", "invalid-parameter");
        return Api.JsonArray(LicenseExpiry.Filter(backend.Licenses.List(), today, days).Select(r => LicenseJson.Line(r, history: false)));
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Show(Backend backend, string number) =>
        backend.Licenses.Find(Api.Segment(number)) is { } record ? Api.Json(LicenseJson.Line(record, history: true)) : Api.NotFound($"no licence numbered {Api.Segment(number)}");

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Add(HttpContext context, Backend backend, bool? recheck)
    {
        var (values, isArray, malformed) = await Api.ReadValuesAsync(context.Request).ConfigureAwait(false);
        if (malformed is not null)
            return malformed;

        var actor = Roles.Actor(context);
        var answers = new List<byte[]>(values.Count);
        var anyAdded = false;
        for (var i = 0; i < values.Count; i++)
        {
            var line = LicenseInput.FromJson(Encoding.UTF8.GetString(values[i].Span), i + 1, backend.Evaluator.Content);
            var error = line.Error;
            var added = false;
            if (line.License is { } license)
            {
                try
                {
                    added = backend.Licenses.Add(license, actor);
                    anyAdded |= added;
                }
                catch (ListStoreException e)
                {
                    if (!isArray)
                        return Api.Conflict(e.Message);
                    error = new LineError("conflict", $"line {i + 1}: {e.Message}");
                }
            }

            if (!isArray && error is not null)
                return Api.Invalid(error);
            var number = line.License?.Number;
            answers.Add(Api.Write(w =>
            {
                if (error is not null)
                {
                    ResultJson.WriteError(w, i + 1, null, error);
                    return;
                }

                w.WriteStartObject();
                w.WriteString("number", number);
                w.WriteBoolean("added", added);
                w.WriteEndObject();
            }));
        }

        // A licence already there (the same record again) changes nothing: nothing to recheck then.
        if (anyAdded)
            await ShipmentsEndpoints.RecheckAfterAsync(context, backend, actor, recheck).ConfigureAwait(false);
        return isArray ? Api.JsonArray(answers) : Api.Json(answers[0]);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Transition(HttpContext context, Backend backend, string number, LicenseState state, bool? recheck)
    {
        var fields = ActionBody.Read(await Api.ReadBodyAsync(context.Request).ConfigureAwait(false), TransitionFields, out var error);
        if (error is not null)
            return Api.Invalid(error);
        if (!fields.TryGetValue("reason", out var reason) || string.IsNullOrWhiteSpace(reason))
            return Api.Invalid("field 'reason': give the reason (it is recorded)", "missing-field");
        var on = Today();
        if (fields.TryGetValue("date", out var date))
        {
            if (LocalDatePattern.Iso.Parse(date) is not { Success: true } parsed)
                return Api.Invalid($"field 'date': '{date}' is not a date YYYY-MM-DD", "invalid-field");
            on = parsed.Value;
        }

        var actor = Roles.Actor(context);
        try
        {
            backend.Licenses.ChangeState(number, state, on, reason, actor);
        }
        catch (ListStoreException e)
        {
            return backend.Licenses.Find(number) is null ? Api.NotFound(e.Message) : Api.Conflict(e.Message);
        }

        await ShipmentsEndpoints.RecheckAfterAsync(context, backend, actor, recheck).ConfigureAwait(false);

        return Api.Json(LicenseJson.Line(backend.Licenses.Find(number)!, history: true));
    }

    private static LocalDate Today() => SystemClock.Instance.GetCurrentInstant().InUtc().Date;
}
