using Microsoft.AspNetCore.Http.Features;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Server;

/// <summary>
/// <c>POST /api/v1/impact?known_as_of=DATE</c>: <c>clearance impact</c> over an order book sent as the body (JSON Lines,
/// <c>application/x-ndjson</c>, or CSV, <c>text/csv</c>), answered with the CLI's JSON Lines: each changed line, then the
/// summary object; streamed in constant memory.
/// </summary>
internal static class ImpactEndpoints
{
    /// <summary>The CSV media type.</summary>
    public const string CsvType = "text/csv";

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/impact", Impact)
            .WithTags("Impact")
            .WithSummary("What the changes known on known_as_of, not yet in force, do to an order book (JSON Lines or CSV): the changed lines, then the summary")
            .Accepts<byte[]>(Api.JsonLinesType, CsvType)
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Impact(HttpContext context, Backend backend, string? known_as_of)
    {
        if (ParseDay(known_as_of) is not { } day)
            return Api.Invalid($"known_as_of: give the report's day as YYYY-MM-DD (got '{known_as_of}')", "invalid-date");
        var csv = context.Request.ContentType is { } type && type.StartsWith(CsvType, StringComparison.OrdinalIgnoreCase);
        if (!csv && !Api.IsJsonLines(context.Request))
            return Api.Problem(StatusCodes.Status415UnsupportedMediaType, $"send the order book as {Api.JsonLinesType} or {CsvType}", "unsupported-media-type");

        var analysis = Analysis(backend, day);
        // The batch reader and writer are synchronous and run on a thread of their own, as in the CLI.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        var lines = csv ? CsvShipmentReader.Read(context.Request.Body, "body") : JsonLinesInput.Read(context.Request.Body);
        try
        {
            await Task.Run(() =>
            {
                // The content type is set before the first line is read: a CSV header error is raised by that read and
                // answered as a problem while nothing has been sent.
                context.Response.ContentType = Api.JsonLinesType;
                ImpactBatch.Run(analysis, lines, context.Response.Body);
            }, context.RequestAborted).ConfigureAwait(false);
        }
        catch (CsvHeaderException e) when (!context.Response.HasStarted)
        {
            return Api.Invalid("body: " + e.Message, "invalid-header");
        }

        return TypedResults.Empty;
    }

    /// <summary>An analysis as of <paramref name="day"/> over the server's content, screening end users with its active lists.</summary>
    public static ImpactAnalysis Analysis(Backend backend, LocalDate day) =>
        new(backend.Evaluator.Content, day, new EndUserScreening(new Lazy<Clearance.Screening.Matching.ScreeningIndex?>(backend.Screening.Index)));

    /// <summary>The day <paramref name="text"/> names (YYYY-MM-DD), or null.</summary>
    public static LocalDate? ParseDay(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text.Trim()) is { Success: true } parsed ? parsed.Value : null;
}
