namespace Clearance.Screening.Lists;

/// <summary>The list file formats Clearance reads, and one entry point that parses any of them.</summary>
public static class ListFiles
{
    /// <summary>Format ids, as given to <c>clearance lists import --format</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } =
    [
        OfacCsvParser.Format, UnXmlParser.Format, BisDplParser.Format, CslCsvParser.Format, FtmParser.Format, MetiEulParser.Format,
        EuFsfXmlParser.Format, UkSanctionsXmlParser.Format, OwnCsvParser.Format,
    ];

    /// <summary>
    /// Parses list files of one format into entities. Several paths are read in turn, except for <c>ofac-csv</c>,
    /// where they are one list's primary file and its companions (add/alt/comments).
    /// </summary>
    /// <param name="format">A format id from <see cref="Formats"/>.</param>
    /// <param name="paths">The files.</param>
    /// <param name="listId">The list the entries belong to; null for each format's default (or, for csl-csv, each row's source).</param>
    /// <exception cref="ArgumentException">The format is unknown.</exception>
    /// <exception cref="ListFormatException">A file cannot be read (raised while enumerating).</exception>
    public static IEnumerable<ListEntity> ParseAny(string format, IReadOnlyList<string> paths, string? listId = null) => format switch
    {
        OfacCsvParser.Format => OfacCsvParser.Parse(paths, listId),
        UnXmlParser.Format => paths.SelectMany(p => UnXmlParser.Parse(p, listId)),
        BisDplParser.Format => paths.SelectMany(p => BisDplParser.Parse(p, listId)),
        CslCsvParser.Format => paths.SelectMany(p => CslCsvParser.Parse(p, listId)),
        FtmParser.Format => paths.SelectMany(p => FtmParser.Parse(p, listId)),
        MetiEulParser.Format => paths.SelectMany(p => MetiEulParser.Parse(p, listId)),
        EuFsfXmlParser.Format => paths.SelectMany(p => EuFsfXmlParser.Parse(p, listId)),
        UkSanctionsXmlParser.Format => paths.SelectMany(p => UkSanctionsXmlParser.Parse(p, listId)),
        OwnCsvParser.Format => paths.SelectMany(p => OwnCsvParser.Parse(p, listId)),
        _ => throw UnknownFormat(format),
    };

    /// <summary>The changes a delta file makes (FtM entities.delta.json). Only <c>ftm</c> has delta files.</summary>
    /// <exception cref="ArgumentException">The format has no delta files.</exception>
    public static IEnumerable<ListChange> ParseChanges(string format, string path, string? listId = null) => format switch
    {
        FtmParser.Format => FtmParser.ParseChanges(path, listId),
        _ when Formats.Contains(format) => throw new ArgumentException($"format '{format}' has no delta files", nameof(format)),
        _ => throw UnknownFormat(format),
    };

    /// <summary>
    /// The delta files to apply in order for <paramref name="path"/>: the file itself when it is a delta file, the files an
    /// OpenSanctions delta index (delta.json) names, or null when it is a full list. Every delta file is read through
    /// once here, so that a broken one anywhere in a series (truncated, invalid bytes, an unknown operation) is an error
    /// before any of the series is applied.
    /// </summary>
    /// <exception cref="ListFormatException">The index or one of the delta files cannot be read.</exception>
    public static IReadOnlyList<string>? DeltaFiles(string format, string path)
    {
        if (!Formats.Contains(format))
            throw UnknownFormat(format);
        if (format != FtmParser.Format)
            return null;
        IReadOnlyList<string>? files = FtmParser.IsDeltaIndex(path) ? FtmParser.DeltaFilesOf(path)
            : FtmParser.IsDeltaFile(path) ? [path]
            : null;
        foreach (var file in files ?? [])
        {
            foreach (var _ in FtmParser.ParseChanges(file))
            {
            }
        }
        return files;
    }

    /// <summary>
    /// The list id a file's entries go to when the caller gives none: the store files an import under it.
    /// For csl-csv the rows still carry their own list ids (csl-sdn, csl-el, ...); the import is filed under "csl".
    /// </summary>
    public static string DefaultListId(string format, IReadOnlyList<string> paths) => format switch
    {
        OfacCsvParser.Format => paths.Any(p => Path.GetFileName(p).StartsWith("cons", StringComparison.OrdinalIgnoreCase)) ? "ofac-nonsdn" : "ofac-sdn",
        UnXmlParser.Format => UnXmlParser.DefaultListId,
        BisDplParser.Format => BisDplParser.DefaultListId,
        CslCsvParser.Format => "csl",
        FtmParser.Format => FtmParser.DefaultListId,
        MetiEulParser.Format => MetiEulParser.DefaultListId,
        EuFsfXmlParser.Format => EuFsfXmlParser.DefaultListId,
        UkSanctionsXmlParser.Format => UkSanctionsXmlParser.DefaultListId,
        OwnCsvParser.Format => OwnCsvParser.DefaultListId,
        _ => throw UnknownFormat(format),
    };

    private static ArgumentException UnknownFormat(string format) =>
        new($"unknown list format '{format}'; known formats: {string.Join(", ", Formats)}", nameof(format));
}
