using System.Text.Json;
using System.Text.RegularExpressions;
using Clearance.Screening.Lists;
using Clearance.Store;
using Microsoft.AspNetCore.Mvc;
using NodaTime;

namespace Clearance.Server;

/// <summary>
/// Restricted-party lists: status and diff as <c>clearance lists status|diff --output json</c> give them, and the upload
/// of a list file (the request body, as <c>curl --data-binary @file</c> sends it) imported as a new version.
/// </summary>
internal static partial class ListsEndpoints
{
    public static void Map(RouteGroupBuilder api)
    {
        var lists = api.MapGroup("/lists").WithTags("Lists");
        lists.MapGet("", Status).WithSummary("Each list with its active version, source date, counts and staleness").RequireAuthorization(Roles.Viewer);
        lists.MapGet("/{list}/diff", Diff).WithSummary("Entries added, removed and changed between two versions (default: the active one and the one before)").RequireAuthorization(Roles.Viewer);
        lists.MapPost("/{list}/import", Import)
            .WithSummary("Import the list file in the body (format: " + string.Join(", ", ListFiles.Formats) + ") as a new version of the list")
            .Accepts<byte[]>("application/octet-stream", "text/csv", "application/xml", "application/json")
            .WithMetadata(new BatchBody())
            .RequireAuthorization(Roles.Admin);
    }

    /// <summary>List ids as the store files them: lower-case letters, digits, '.', '_' and '-', starting with a letter or digit.</summary>
    [GeneratedRegex("^[a-z0-9][a-z0-9._-]{0,63}$", RegexOptions.CultureInvariant)]
    private static partial Regex ListId();

    /// <summary>A file name without any directory: letters, digits and '.', '_', '-' only.</summary>
    [GeneratedRegex("^[A-Za-z0-9][A-Za-z0-9._-]{0,127}$", RegexOptions.CultureInvariant)]
    private static partial Regex FileName();

    private static Results<FileContentHttpResult, ProblemHttpResult> Status(Backend backend)
    {
        try
        {
            var status = ListStore.OpenForReading(backend.Location).Status();
            return Api.JsonArray(ListsJson.Status(status, SystemClock.Instance.GetCurrentInstant().InUtc().Date));
        }
        catch (ListStoreException e)
        {
            return Api.Problem(StatusCodes.Status503ServiceUnavailable, e.Message, "database");
        }
    }

    private static Results<FileContentHttpResult, ProblemHttpResult> Diff(Backend backend, string list, int? @base, int? head)
    {
        if (!ListId().IsMatch(list))
            return InvalidListId(list);
        try
        {
            return Api.Json(ListsJson.Diff(ListStore.OpenForReading(backend.Location).Diff(list, @base, head)));
        }
        catch (ListStoreException e)
        {
            return Api.NotFound(e.Message);
        }
    }

    private static async Task<Results<FileContentHttpResult, ProblemHttpResult>> Import(
        HttpContext context, Backend backend, string list, string? format, string? filename,
        [FromQuery(Name = "allow_shrink")] bool? allowShrink, [FromQuery(Name = "allow_older")] bool? allowOlder)
    {
        var (results, problem) = await ImportAsync(backend, Roles.Actor(context), list, format, filename, context.Request.Body,
            new ImportOptions(allowShrink == true, allowOlder == true), context.RequestAborted).ConfigureAwait(false);
        return results is null ? problem! : Api.JsonArray(ListsJson.Imported(results));
    }

    /// <summary>
    /// Imports the list file <paramref name="content"/> as a new version of <paramref name="list"/>, for the upload
    /// endpoint and the lists page's upload form: the id, format and file name checked, the screening index rebuilt,
    /// the import in the audit trail under <paramref name="actor"/>. Answers the versions made, or the problem.
    /// </summary>
    internal static async Task<(IReadOnlyList<ImportResult>? Results, ProblemHttpResult? Problem)> ImportAsync(
        Backend backend, string actor, string list, string? format, string? filename, Stream content, ImportOptions options, CancellationToken cancel)
    {
        if (!ListId().IsMatch(list))
            return (null, InvalidListId(list));
        if (format is null || !ListFiles.Formats.Contains(format))
            return (null, Api.Invalid($"format: {(format is null ? "missing" : $"'{format}' is not a list format{NearestName.DidYouMean(format, ListFiles.Formats)}")}; formats: {string.Join(", ", ListFiles.Formats)}", "invalid-parameter"));
        if (filename is not null && !FileName().IsMatch(filename))
            return (null, Api.Invalid($"filename: '{filename}' is not a plain file name (letters, digits, '.', '_', '-'; no directories)", "invalid-parameter"));

        // The upload goes to a directory of its own, under a name this code chose or checked: nothing the client sends
        // becomes a path outside it.
        var directory = Directory.CreateTempSubdirectory("clearance-upload-");
        try
        {
            var path = Path.Combine(directory.FullName, filename ?? "upload" + Extension(format));
            var file = File.Create(path);
            await using (file.ConfigureAwait(false))
            {
                await content.CopyToAsync(file, cancel).ConfigureAwait(false);
            }

            // A delta index names further files beside it: over HTTP there are none, and its names must never become paths.
            if (format == FtmParser.Format && FtmParser.IsDeltaIndex(path))
                return (null, Api.Invalid("a delta index names other files: upload each delta file (entities.delta.json) or a full list", "invalid-list-file"));
            var results = await Task.Run(() =>
            {
                var store = backend.OpenLists();
                var imported = ListImport.Run(store, format, [path], list, options);
                if (!imported.All(r => r.Unchanged))
                    ListImport.RefreshScreeningIndex(store, TextWriter.Null, TextWriter.Null);
                backend.Record(new AuditTrail.Entry(actor, "lists.import", list,
                    JsonSerializer.Serialize(new { list, format, file = Path.GetFileName(path) }), "[" + string.Join(",", ListsJson.Imported(imported)) + "]"));
                return imported;
            }, cancel).ConfigureAwait(false);
            backend.RefreshIfChanged();
            return (results, null);
        }
        catch (ListFormatException e)
        {
            return (null, Api.Invalid($"{e.Message.Replace(directory.FullName + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)}; nothing imported", "invalid-list-file"));
        }
        catch (ListStoreException e)
        {
            return (null, Api.Conflict(e.Message));
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

    /// <summary>
    /// Makes a stored version of a list the active one (<c>lists activate</c>), for the lists page's form: recorded in
    /// the audit trail under <paramref name="actor"/> when it changed anything, the screening state reloaded.
    /// Answers what happened, or the error.
    /// </summary>
    internal static (ActivationResult? Result, string? Error) Activate(Backend backend, string actor, string list, int version, string? note)
    {
        if (!ListId().IsMatch(list))
            return (null, InvalidListId(list).ProblemDetails.Detail);
        try
        {
            var result = ListActivate.Run(backend.OpenLists(), list, version, note, TextWriter.Null, TextWriter.Null);
            if (!result.Unchanged)
            {
                backend.Record(new AuditTrail.Entry(actor, "lists.activate", list, JsonSerializer.Serialize(new { list, version, note }),
                    JsonSerializer.Serialize(new { list, version = result.Version.VersionNo, previous = result.Previous.VersionNo })));
            }

            backend.RefreshIfChanged();
            return (result, null);
        }
        catch (ListStoreException e)
        {
            return (null, e.Message);
        }
    }

    /// <summary>Whether <paramref name="name"/> is a file name the upload takes as it is (no directory, plain characters).</summary>
    internal static bool IsPlainFileName(string name) => FileName().IsMatch(name);

    private static ProblemHttpResult InvalidListId(string list) =>
        Api.Invalid($"list: '{list}' is not a list id (lower-case letters, digits, '.', '_', '-')", "invalid-list-id");

    private static string Extension(string format) => format switch
    {
        UnXmlParser.Format or EuFsfXmlParser.Format or UkSanctionsXmlParser.Format => ".xml",
        FtmParser.Format => ".json",
        BisDplParser.Format => ".txt",
        _ => ".csv",
    };
}
