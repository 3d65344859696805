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
        if (!ListId().IsMatch(list))
            return InvalidListId(list);
        if (format is null || !ListFiles.Formats.Contains(format))
            return Api.Invalid($"format: {(format is null ? "missing" : $"'{format}' is not a list format{NearestName.DidYouMean(format, ListFiles.Formats)}")}; formats: {string.Join(", ", ListFiles.Formats)}", "invalid-parameter");
        if (filename is not null && !FileName().IsMatch(filename))
            return Api.Invalid($"filename: '{filename}' is not a plain file name (letters, digits, '.', '_', '-'; no directories)", "invalid-parameter");

        // The upload goes to a directory of its own, under a name this code chose or checked: nothing the client sends
        // becomes a path outside it.
        var directory = Directory.CreateTempSubdirectory("clearance-upload-");
        try
        {
            var path = Path.Combine(directory.FullName, filename ?? "upload" + Extension(format));
            var file = File.Create(path);
            await using (file.ConfigureAwait(false))
            {
                await context.Request.Body.CopyToAsync(file, context.RequestAborted).ConfigureAwait(false);
            }

            // A delta index names further files beside it: over HTTP there are none, and its names must never become paths.
            if (format == FtmParser.Format && FtmParser.IsDeltaIndex(path))
                return Api.Invalid("a delta index names other files: upload each delta file (entities.delta.json) or a full list", "invalid-list-file");
            var actor = Roles.Actor(context);
            var results = await Task.Run(() =>
            {
                var store = backend.OpenLists();
                var imported = ListImport.Run(store, format, [path], list, new ImportOptions(allowShrink == true, allowOlder == true));
                if (!imported.All(r => r.Unchanged))
                    ListImport.RefreshScreeningIndex(store, TextWriter.Null, TextWriter.Null);
                var lines = ListsJson.Imported(imported).ToList();
                backend.Record(new AuditTrail.Entry(actor, "lists.import", list,
                    JsonSerializer.Serialize(new { list, format, file = Path.GetFileName(path) }), "[" + string.Join(",", lines) + "]"));
                return lines;
            }, context.RequestAborted).ConfigureAwait(false);
            backend.RefreshIfChanged();
            return Api.JsonArray(results);
        }
        catch (ListFormatException e)
        {
            return Api.Invalid($"{e.Message.Replace(directory.FullName + Path.DirectorySeparatorChar, "", StringComparison.Ordinal)}; nothing imported", "invalid-list-file");
        }
        catch (ListStoreException e)
        {
            return Api.Conflict(e.Message);
        }
        finally
        {
            directory.Delete(recursive: true);
        }
    }

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
