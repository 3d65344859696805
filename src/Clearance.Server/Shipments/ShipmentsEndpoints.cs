using System.Text.Json;
using Clearance.Store;
using Microsoft.AspNetCore.Http.Features;

namespace Clearance.Server;

/// <summary>
/// Shipment lines, as <c>clearance shipments submit|list|show|release|reject|cancel|assign --output json</c> handle them:
/// submit takes the check contract plus id and exporter (one object, an array, or JSON Lines), each line one
/// transaction with its audit record, the key's name as actor.
/// </summary>
internal static class ShipmentsEndpoints
{
    /// <summary>What an officer may do to a line: the API's <c>POST /shipments/{id}/ACTION</c> and the queue page's forms.</summary>
    public static readonly IReadOnlyList<ShipmentAction> Actions =
    [
        new("release", "Release a held line: {\"reason\": required}", "reason", Required: true, (store, id, value, actor) => store.Release(id, value!, actor)),
        new("reject", "Reject a line (its drawdown is returned): {\"reason\": required}", "reason", Required: true, (store, id, value, actor) => store.Reject(id, value!, actor)),
        new("cancel", "Cancel a line (its drawdown is returned): {\"reason\": optional}", "reason", Required: false, (store, id, value, actor) => store.Cancel(id, value, actor)),
        new("assign", "Assign a licence to a line that needs one: {\"license\": required}", "license", Required: true, (store, id, value, actor) => store.Assign(id, value!, actor, ShipmentWorkflow.Normalize)),
    ];
    private static readonly JsonWriterOptions WriterOptions = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    public static void Map(RouteGroupBuilder api)
    {
        var shipments = api.MapGroup("/shipments").WithTags("Shipments");
        shipments.MapPost("", Submit)
            .WithSummary("Submit shipment lines: checked, screened, a licence drawn where needed, stored released, held or rejected")
            .Accepts<JsonElement>(Api.JsonType, Api.JsonLinesType)
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Operator);
        shipments.MapPost("/recheck", Recheck)
            .WithSummary("Evaluate every held and released line again (after a content, list, licence or decision change): the changed lines old and new, then the summary; full=true checks each in full")
            .RequireAuthorization(Roles.Officer);
        shipments.MapGet("", List).WithSummary("Lines by status (released, held, rejected, cancelled) and open reason code").RequireAuthorization(Roles.Viewer);
        shipments.MapGet("/{id}", Show).WithSummary("A line with its reasons, licence, determination and whole history").RequireAuthorization(Roles.Viewer);
        foreach (var action in Actions)
            Change(shipments, action);
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult, EmptyHttpResult>> Submit(HttpContext context, Backend backend, Telemetry telemetry)
    {
        var workflow = new ShipmentWorkflow(backend.Screening.Check, backend.Shipments, Roles.Actor(context));
        if (Api.IsJsonLines(context.Request))
        {
            context.Features.Get<IHttpBodyControlFeature>()!.AllowSynchronousIO = true;
            context.Response.ContentType = Api.JsonLinesType;
            await Task.Run(() =>
            {
                using var output = new BufferedStream(context.Response.Body, 1 << 16);
                using var writer = new Utf8JsonWriter(output, WriterOptions);
                foreach (var line in JsonLinesInput.Read(context.Request.Body))
                {
                    ShipmentJson.Write(writer, Submitted(workflow.Submit(line), telemetry));
                    writer.Flush();
                    output.WriteByte((byte)'\n');
                    writer.Reset();
                }
            }, context.RequestAborted).ConfigureAwait(false);
            return TypedResults.Empty;
        }

        var (values, isArray, malformed) = await Api.ReadValuesAsync(context.Request).ConfigureAwait(false);
        if (malformed is not null)
            return malformed;

        var reader = new JsonLineReader();
        var answers = new List<byte[]>(values.Count);
        for (var i = 0; i < values.Count; i++)
        {
            var submitted = Submitted(workflow.Submit(reader.Read(values[i].Span, i + 1)), telemetry);
            if (!isArray && submitted.Error is { } error)
                return Api.Invalid(error);
            answers.Add(Api.Write(w => ShipmentJson.Write(w, submitted)));
        }

        return isArray ? Api.JsonArray(answers) : Api.Json(answers[0]);
    }

    private static SubmittedLine Submitted(SubmittedLine line, Telemetry telemetry)
    {
        if (line.Record is { } record)
        {
            telemetry.Determinations.Add(1);
            if (record.Status == ShipmentStatus.Held && !line.Repeated)
            {
                foreach (var reason in ShipmentJson.ReasonCodes(record).Split(", ", StringSplitOptions.RemoveEmptyEntries))
                    telemetry.Holds.Add(1, new KeyValuePair<string, object?>("reason", reason));
            }
        }

        return line;
    }

    private static async Task<FileContentHttpResult> Recheck(HttpContext context, Backend backend, bool? full)
    {
        var actor = Roles.Actor(context);
        var summary = await Task.Run(() => RecheckNow(backend, actor, full ?? false), context.RequestAborted).ConfigureAwait(false);
        return Api.JsonArray(RecheckJson.Lines(summary));
    }

    /// <summary>A recheck by <paramref name="actor"/> with the lists active now (the API's and the pages').</summary>
    public static RecheckSummary RecheckNow(Backend backend, string actor, bool full = false)
    {
        // An import through another replica may not have been noticed yet: recheck against what is active now.
        backend.RefreshIfChanged();
        return new Clearance.Application.Recheck(backend.Shipments, backend.Screening.Check, actor).Run(full);
    }

    /// <summary>The response header that carries the summary of the recheck a change ran (<see cref="RecheckAfterAsync"/>).</summary>
    public const string RecheckHeader = "Clearance-Recheck";

    /// <summary>
    /// The recheck a change through the API calls for (a screening decision, a licence added or changed), as the CLI runs
    /// it after the same change unless <c>--no-recheck</c>: skipped with <paramref name="recheck"/> false or when no line
    /// is held or released; its summary line in the response header <see cref="RecheckHeader"/>. A failure does not undo
    /// the change: the header says so and <c>POST /shipments/recheck</c> can run it again.
    /// </summary>
    public static async Task RecheckAfterAsync(HttpContext context, Backend backend, string actor, bool? recheck)
    {
        if (recheck == false || !backend.Shipments.HasOpenLines())
            return;
        try
        {
            var summary = await Task.Run(() => RecheckNow(backend, actor), context.RequestAborted).ConfigureAwait(false);
            context.Response.Headers[RecheckHeader] = summary.Line();
        }
        catch (Exception e) when (e is ListStoreException or ShipmentStoreException or System.Data.Common.DbException)
        {
            context.Response.Headers[RecheckHeader] = $"not rechecked: {e.Message} (POST /api/v1/shipments/recheck)";
        }
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> List(Backend backend, string? status, string? reason)
    {
        string? wanted = null;
        if (status is not null && (wanted = ShipmentFilter.ParseStatus(status)) is null)
            return Api.Invalid($"status: '{status}' is not one of {string.Join(", ", ShipmentStatus.All)}", "invalid-parameter");
        return Api.JsonArray(ShipmentFilter.List(backend.Shipments, wanted, reason).Select(r => Api.Write(w => ShipmentJson.Write(w, r, history: false))));
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Show(Backend backend, string id) =>
        backend.Shipments.Find(Api.Segment(id)) is { } record
            ? Api.Json(w => ShipmentJson.Write(w, record, history: true))
            : Api.NotFound($"no shipment with id {Api.Segment(id)}");

    /// <summary>
    /// Does <paramref name="action"/> to line <paramref name="id"/> by <paramref name="actor"/>: the changed line, or null
    /// with the problem (400 a required field missing, 404 no such line, 409 the store refused).
    /// </summary>
    public static ShipmentRecord? Perform(Backend backend, ShipmentAction action, string id, string? value, string actor, out ProblemHttpResult? problem)
    {
        problem = null;
        if (action.Required && string.IsNullOrWhiteSpace(value))
        {
            problem = Api.Invalid($"field '{action.Field}': give it (it is recorded)", "missing-field");
            return null;
        }

        try
        {
            return action.Change(backend.Shipments, id, value, actor);
        }
        catch (Exception e) when (e is ShipmentStoreException or ListStoreException)
        {
            problem = backend.Shipments.Find(id) is null ? Api.NotFound(e.Message) : Api.Conflict(e.Message);
            return null;
        }
    }

    private static void Change(RouteGroupBuilder group, ShipmentAction action)
    {
        string[] fields = [action.Field];
        group.MapPost("/{id}/" + action.Name, async Task<Results<FileContentHttpResult, ProblemHttpResult>> (HttpContext context, Backend backend, string id) =>
        {
            id = Api.Segment(id);
            var values = ActionBody.Read(await Api.ReadBodyAsync(context.Request).ConfigureAwait(false), fields, out var error);
            if (error is not null)
                return Api.Invalid(error);
            return Perform(backend, action, id, values.GetValueOrDefault(action.Field), Roles.Actor(context), out var problem) is { } record
                ? Api.Json(w => ShipmentJson.Write(w, record, history: true))
                : problem!;
        })
            .WithSummary(action.Summary)
            .Accepts<JsonElement>(Api.JsonType)
            .RequireAuthorization(Roles.Officer);
    }
}

/// <summary>An officer's action on a shipment line.</summary>
/// <param name="Name">Its name in the path (<c>release</c>).</param>
/// <param name="Summary">What it does, for the OpenAPI document.</param>
/// <param name="Field">The one field it takes (<c>reason</c> or <c>license</c>).</param>
/// <param name="Required">Whether that field must be given.</param>
/// <param name="Change">The store's change: store, id, the field's value, actor.</param>
internal sealed record ShipmentAction(string Name, string Summary, string Field, bool Required, Func<ShipmentStore, string, string?, string, ShipmentRecord> Change);
