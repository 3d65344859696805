using System.Buffers;
using System.Text.Json;
using Clearance.Evaluation;
using Microsoft.AspNetCore.Http.Features;

namespace Clearance.Server;

/// <summary>
/// <c>POST /api/v1/check</c>: the check contract of <c>clearance check</c>. One shipment object gives one result (a field
/// error: 400 naming the field); an array gives an array, a line's error in its place as the CLI writes it; JSON Lines
/// (<c>Content-Type: application/x-ndjson</c>) stream back as JSON Lines in input order, in constant memory.
/// </summary>
internal static class CheckEndpoints
{
    private static readonly ResultJson Plain = new(includeTrace: false);
    private static readonly ResultJson Traced = new(includeTrace: true);

    // The reader and the output buffer are per thread (neither is thread-safe); each request uses them without an await in between.
    [ThreadStatic]
    private static JsonLineReader? t_reader;
    [ThreadStatic]
    private static OutputBuffer? t_output;

    public static void Map(RouteGroupBuilder api)
    {
        api.MapPost("/check", Check)
            .WithTags("Check")
            .WithSummary("Determine whether shipments need a licence: one object, an array, or JSON Lines (application/x-ndjson)")
            .Accepts<JsonElement>(Api.JsonType, Api.JsonLinesType)
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Operator);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, EmptyHttpResult>> Check(HttpContext context, Backend backend, Telemetry telemetry, bool? trace)
    {
        var json = trace == true ? Traced : Plain;
        var service = backend.Screening.Check;
        if (Api.IsJsonLines(context.Request))
        {
            await Stream(context, service, json, telemetry).ConfigureAwait(false);
            return TypedResults.Empty;
        }

        var (values, isArray, malformed) = await Api.ReadValuesAsync(context.Request).ConfigureAwait(false);
        if (malformed is not null)
            return malformed;

        var reader = t_reader ??= new JsonLineReader();
        var output = t_output ??= OutputBuffer.InMemory();
        output.Clear();
        if (!isArray)
        {
            var line = service.Check(reader.Read(values[0].Span, 1));
            if (line.Error is { } error)
                return Api.Invalid(error);
            Count(telemetry, line);
            json.Write(line, output);
            return Api.Json(output.Written);
        }

        // An array's results go straight into the response's pipe, one at a time: no copy of the whole answer.
        context.Response.ContentType = Api.JsonType;
        var body = context.Response.BodyWriter;
        body.Write("["u8);
        for (var i = 0; i < values.Count; i++)
        {
            var line = service.Check(reader.Read(values[i].Span, i + 1));
            Count(telemetry, line);
            if (i > 0)
                body.Write(","u8);
            output.Clear();
            json.Write(line, output);
            output.TrimLineBreak(); // the line break the JSON Lines form ends each result with
            body.Write(output.Written);
        }

        body.Write("]"u8);
        await body.FlushAsync(context.RequestAborted).ConfigureAwait(false);
        return TypedResults.Empty;
    }

    /// <summary>JSON Lines in, JSON Lines out, streamed through the batch writer the CLI uses.</summary>
    private static Task Stream(HttpContext context, CheckService service, ResultJson json, Telemetry telemetry)
    {
        // The batch reader and writer are synchronous and run on a thread of their own, as in the CLI.
        context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
        context.Response.ContentType = Api.JsonLinesType;
        return Task.Run(() =>
        {
            var summary = CheckBatch.Run(service, json, JsonLinesInput.Read(context.Request.Body), context.Response.Body);
            telemetry.Determinations.Add(summary.Lines - summary.Errors);
        }, context.RequestAborted);
    }

    private static void Count(Telemetry telemetry, CheckedLine line)
    {
        if (line.Result is { } result)
            telemetry.Determinations.Add(1, new KeyValuePair<string, object?>("verdict", Determination.Name(result.Determination.Verdict)));
    }
}
