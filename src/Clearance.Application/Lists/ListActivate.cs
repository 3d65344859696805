using Clearance.Store;

namespace Clearance.Application;

/// <summary>
/// Going back to (or forward to) a stored version of a list, as <c>lists activate</c> and the lists page do: the store
/// switches the active version and records it, and the screening index is rebuilt for the version now active.
/// </summary>
public static class ListActivate
{
    /// <summary>
    /// Makes <paramref name="version"/> the active version of <paramref name="list"/> and says so on
    /// <paramref name="output"/> (then the index's line); asking for the version already active changes nothing.
    /// </summary>
    /// <exception cref="ListStoreException">The list or the version does not exist, or the store could not be written.</exception>
    public static ActivationResult Run(ListStore store, string list, int version, string? note, TextWriter output, TextWriter error)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(output);
        var result = store.Activate(list, version, note);
        output.WriteLine(Describe(result));
        if (!result.Unchanged)
            ListImport.RefreshScreeningIndex(store, output, error);
        return result;
    }

    /// <summary>What happened, in one line.</summary>
    public static string Describe(ActivationResult result)
    {
        ArgumentNullException.ThrowIfNull(result);
        var v = result.Version;
        var what = $"{v.EntityCount:N0} entities, {v.NameCount:N0} names" + (v.SourceDate is { } d ? $", source date {d:yyyy-MM-dd}" : "");
        return result.Unchanged
            ? $"{v.ListId}: version {v.VersionNo} is already the active version ({what}); nothing changed"
            : $"{v.ListId}: version {v.VersionNo} is now active, was version {result.Previous.VersionNo} ({what})";
    }
}
