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
        return await Task.Run<Results<EmptyHttpResult, ProblemHttpResult>>(() =>
        {
            // The first line is read before anything is sent: a CSV header the contract does not have is raised by that
            // read and answered as a problem, not as a response cut short.
            using var reader = lines.GetEnumerator();
            bool any;
            try
            {
                any = reader.MoveNext();
            }
            catch (CsvHeaderException e)
            {
                return Api.Invalid("body: " + e.Message, "invalid-header");
            }

            context.Response.ContentType = Api.JsonLinesType;
            ImpactBatch.Run(analysis, any ? Rest(reader) : [], context.Response.Body);
            return TypedResults.Empty;
        }, context.RequestAborted).ConfigureAwait(false);
    }

    /// <summary>The current line of <paramref name="reader"/> and every one after it.</summary>
    private static IEnumerable<ShipmentLine> Rest(IEnumerator<ShipmentLine> reader)
    {
        do
        {
            yield return reader.Current;
        }
        while (reader.MoveNext());
    }

    /// <summary>An analysis as of <paramref name="day"/> over the server's content, screening end users with its active lists.</summary>
    public static ImpactAnalysis Analysis(Backend backend, LocalDate day) =>
        new(backend.Evaluator.Content, day, new EndUserScreening(new Lazy<Clearance.Screening.Matching.ScreeningIndex?>(backend.Screening.Index)));

    /// <summary>The day <paramref name="text"/> names (YYYY-MM-DD), or null.</summary>
    public static LocalDate? ParseDay(string? text) =>
        text is not null && LocalDatePattern.Iso.Parse(text.Trim()) is { Success: true } parsed ? parsed.Value : null;
}
