
namespace Clearance.Server;

/// <summary>
/// The audit trail: the records of a period (as <c>clearance audit export</c> writes them, an array or JSON Lines), and
/// the verification of its hash chain.
/// </summary>
internal static class AuditEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var audit = api.MapGroup("/audit").WithTags("Audit").RequireAuthorization(Roles.Viewer);
        audit.MapGet("", Query).WithSummary("The records recorded in [from, to) (dates or instants), in sequence order, with their hashes");
        audit.MapGet("/export", Export).WithSummary("The same as JSON Lines, streamed (for a whole trail)");
        audit.MapPost("/verify", Verify).WithSummary("Check every record's hash and link; names the first record altered, removed or inserted");
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Query(Backend backend, string? from, string? to)
    {
        try
        {
            var (since, until) = (AuditJson.ParseBound(from, "from"), AuditJson.ParseBound(to, "to"));
            return Api.JsonArray(backend.Audit.Read(since, until).Select(AuditJson.Line));
        }
        catch (FormatException e)
        {
            return Api.Invalid(e.Message, "invalid-parameter");
        }
    }

    private static async Task<Results<EmptyHttpResult, ProblemHttpResult>> Export(HttpContext context, Backend backend, string? from, string? to)
    {
        NodaTime.Instant? since, until;
        try
        {
            (since, until) = (AuditJson.ParseBound(from, "from"), AuditJson.ParseBound(to, "to"));
        }
        catch (FormatException e)
        {
            return Api.Invalid(e.Message, "invalid-parameter");
        }

        context.Response.ContentType = Api.JsonLinesType;
        var output = new StreamWriter(context.Response.Body, new System.Text.UTF8Encoding(false), 1 << 16);
        await using (output.ConfigureAwait(false))
        {
            foreach (var record in backend.Audit.Read(since, until))
            {
                await output.WriteAsync(AuditJson.Line(record)).ConfigureAwait(false);
                await output.WriteAsync('\n').ConfigureAwait(false);
            }
        }

        return TypedResults.Empty;
    }

    private static FileContentHttpResult Verify(Backend backend)
    {
        var verification = AuditVerification.Of(backend.Audit);
        return Api.Json(w =>
        {
            w.WriteStartObject();
            w.WriteBoolean("intact", verification.Intact);
            w.WriteNumber("records", verification.Records);
            w.WriteString("head", verification.Head);
            if (verification.Break is { } problem)
            {
                w.WriteNumber("broken_at", problem.Sequence);
                w.WriteString("problem", problem.Problem);
            }

            w.WriteEndObject();
        });
    }
}
