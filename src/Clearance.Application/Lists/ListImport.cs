using Clearance.Screening.Lists;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>Parses list files and stores them as a new version: full lists in one import, FtM delta files applied in order.</summary>
public static class ListImport
{
    /// <summary>
    /// Imports <paramref name="paths"/>; returns one result per version created (several for a series of delta files).
    /// <paramref name="allowShrink"/> accepts versions that remove more than a tenth of the active entries (see
    /// <see cref="ListStore.MaxShrinkFraction"/>).
    /// </summary>
    public static IReadOnlyList<ImportResult> Run(ListStore store, string format, IReadOnlyList<string> paths, string? listId, bool allowShrink) =>
        Run(store, format, paths, listId, new ImportOptions(AllowShrink: allowShrink));

    /// <summary>
    /// Imports <paramref name="paths"/>; returns one result per version created (several for a series of delta files),
    /// checked as <paramref name="options"/> say (shrink, older source date) and reporting progress to it.
    /// </summary>
    public static IReadOnlyList<ImportResult> Run(ListStore store, string format, IReadOnlyList<string> paths, string? listId, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(paths);
        foreach (var path in paths)
        {
            if (!File.Exists(path))
                throw new FileNotFoundException($"{path}: no such file");
        }
        var list = listId ?? ListFiles.DefaultListId(format, paths);
        var deltas = paths.Select(p => (Path: p, Files: ListFiles.DeltaFiles(format, p))).ToList();
        if (deltas.All(d => d.Files is not null))
        {
            return deltas.SelectMany(d => d.Files!)
                .Select(file => store.ApplyChanges(list, format, ListFiles.ParseChanges(format, file, listId), ListSource.FromFiles([file]), options))
                .ToList();
        }
        if (deltas.Any(d => d.Files is not null))
            throw new ListFormatException(deltas.First(d => d.Files is not null).Path, 0, null, "delta files and full lists cannot be imported together");
        return [store.Import(list, format, ListFiles.ParseAny(format, paths, listId), ListSource.FromFiles(paths), options)];
    }

    /// <summary>
    /// Brings the persisted screening index up to date with the active lists (so that the next screening starts
    /// without building it) and says so. A failure here leaves the import in place: screening rebuilds the index.
    /// </summary>
    public static void RefreshScreeningIndex(ListStore store, TextWriter output, TextWriter error)
    {
        var index = ScreeningIndexFile.Refresh(store, warning => error.WriteLine("warning: " + warning));
        if (index is not null)
            output.WriteLine($"screening index: {index.EntityCount:N0} entries, {index.NameCount:N0} names ({ScreeningIndexFile.SnapshotPath(store)})");
    }

    /// <summary>One line per version: what is now active and how it differs from the one before.</summary>
    public static string Describe(IReadOnlyList<ImportResult> results) => string.Join(Environment.NewLine, results.Select(Describe));

    private static string Describe(ImportResult result)
    {
        var v = result.Version;
        var head = $"{v.ListId} version {v.VersionNo}: {v.EntityCount:N0} entities, {v.NameCount:N0} names" +
                   (v.SourceDate is { } d ? $", source date {d:yyyy-MM-dd}" : "");
        if (result.Unchanged)
            return $"{head} (unchanged: the same files are already the active version)";
        if (result.Changes is not { } c)
            return $"{head} (first version)";
        var note = v.Note is null ? "" : $" ({v.Note})";
        return $"{head}; since version {c.FromVersion}: {c.Added.Count:N0} added, {c.Removed.Count:N0} removed, {c.Changed.Count:N0} changed{note}";
    }
}
