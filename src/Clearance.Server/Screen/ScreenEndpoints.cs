using System.Diagnostics;
using System.Text.Json;
using Clearance.Screening.Matching;

namespace Clearance.Server;

/// <summary>
/// <c>POST /api/v1/screen</c>: one party (<c>{"id","name","country","type","dob","address"}</c>, the fields of
/// <c>clearance screen --input</c>) or an array of them, against the imported lists; each result as
/// <c>screen --input ... --output json</c> writes it.
/// </summary>
internal static class ScreenEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/screen", Screen)
            .WithTags("Screen")
            .WithSummary("Screen one party or an array of parties against the restricted-party lists")
            .Accepts<JsonElement>(Api.JsonType)
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Screen(HttpContext context, Backend backend, Telemetry telemetry, double? threshold, int? limit)
    {
        // NaN passes '< 0 or > 1' and would suppress every match (issue 7): only a score in [0, 1] is one.
        if (threshold is not (null or (>= 0 and <= 1)))
            return Api.Invalid($"threshold: {threshold?.ToString(System.Globalization.CultureInfo.InvariantCulture)} is not a score from 0 to 1");
        if (limit is < 1)
            return Api.Invalid($"limit: {limit} is not a count of at least 1");
        var (values, isArray, malformed) = await Api.ReadValuesAsync(context.Request).ConfigureAwait(false);
        if (malformed is not null)
            return malformed;

        if (backend.Screening.Index is not { } index)
            return Api.Problem(StatusCodes.Status503ServiceUnavailable, "no restricted-party lists are imported yet: import one (POST /api/v1/lists/{list}/import, or clearance lists import / lists update)", "no-lists");

        var screenedAgainst = MatchJson.ScreenedAgainstArray(index.ScreenedAgainst);
        var results = new List<byte[]>(values.Count);
        foreach (var party in ScreenInput.ReadParties(AsJsonLines(values), "request", csv: false))
        {
            var started = Stopwatch.GetTimestamp();
            var result = PartyScreening.Screen(index, party, threshold, limit ?? 10);
            if (result.Error is null)
                telemetry.ScreeningDuration.Record(Stopwatch.GetElapsedTime(started).TotalMilliseconds);
            if (!isArray && result.Error is { } error)
                return Api.Invalid(error);
            results.Add(PartyScreening.JsonLine(result, screenedAgainst));
        }

        return isArray ? Api.JsonArray(results) : Api.Json(results[0]);
    }

    /// <summary>
    /// The values as JSON Lines, the input <see cref="ScreenInput"/> reads: each rewritten compact (a pretty-printed object
    /// spans lines), fields and their order kept, so that its checks (unknown or repeated fields) see what was sent.
    /// </summary>
    private static MemoryStream AsJsonLines(IReadOnlyList<ReadOnlyMemory<byte>> values)
    {
        var lines = new MemoryStream();
        foreach (var value in values)
        {
            using var document = JsonDocument.Parse(value);
            using (var writer = new Utf8JsonWriter(lines, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
            {
                document.WriteTo(writer);
            }

            lines.WriteByte((byte)'\n');
        }

        lines.Position = 0;
        return lines;
    }
}
