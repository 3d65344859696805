using Clearance.Store;
using Microsoft.AspNetCore.Mvc;

namespace Clearance.Server;

/// <summary>
/// The lists page's forms, for an admin's session (antiforgery checked): upload a list file (multipart) as a new version
/// through the API's upload code, and make a stored version the active one (<c>lists activate</c>'s use case). Each goes
/// back to the lists page with what happened in its query.
/// </summary>
internal static class ListForms
{
    public static void Map(WebApplication app)
    {
        var forms = app.MapGroup("/forms/lists").RequireAuthorization("page-" + Roles.Admin).ExcludeFromDescription();
        forms.MapPost("/activate", Activate);
        forms.MapPost("/import", Import).WithMetadata(new BatchBody());
    }

    private static RedirectHttpResult Activate(HttpContext context, Backend backend, [FromForm] string list, [FromForm] string version, [FromForm] string? note)
    {
        if (!int.TryParse(version, System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var number))
            return WorkflowForms.Back("/lists", "error", $"version: '{version}' is not a version number");
        var (result, error) = ListsEndpoints.Activate(backend, Roles.Actor(context), list.Trim(), number, string.IsNullOrWhiteSpace(note) ? null : note.Trim());
        return result is null ? WorkflowForms.Back("/lists", "error", error!) : WorkflowForms.Back("/lists", "done", ListActivate.Describe(result));
    }

    private static async Task<RedirectHttpResult> Import(HttpContext context, Backend backend, [FromForm] string list, [FromForm] string? format, IFormFile? file,
        [FromForm(Name = "allow_shrink")] string? allowShrink, [FromForm(Name = "allow_older")] string? allowOlder)
    {
        if (file is null || file.Length == 0)
            return WorkflowForms.Back("/lists", "error", "file: choose the list file to upload");
        // The browser's file name is kept for the record only when it is a plain one; the upload code checks it again.
        var name = Path.GetFileName(file.FileName);
        var stream = file.OpenReadStream();
        await using (stream.ConfigureAwait(false))
        {
            var (results, problem) = await ListsEndpoints.ImportAsync(backend, Roles.Actor(context), list.Trim(), format, ListsEndpoints.IsPlainFileName(name) ? name : null,
                stream, new ImportOptions(allowShrink == "true", allowOlder == "true"), context.RequestAborted).ConfigureAwait(false);
            return results is null
                ? WorkflowForms.Back("/lists", "error", problem!.ProblemDetails.Detail!)
                : WorkflowForms.Back("/lists", "done", ListImport.Describe(results));
        }
    }
}
