namespace Clearance.Screening.Lists;

/// <summary>The list file formats Clearance reads, and one entry point that parses any of them.</summary>
public static class ListFiles
{
    /// <summary>Format ids, as given to <c>clearance lists import --format</c>.</summary>
    public static IReadOnlyList<string> Formats { get; } =
    [
        OfacCsvParser.Format, CslCsvParser.Format, MetiEulParser.Format,
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
        CslCsvParser.Format => paths.SelectMany(p => CslCsvParser.Parse(p, listId)),
        MetiEulParser.Format => paths.SelectMany(p => MetiEulParser.Parse(p, listId)),
        _ => throw new ArgumentException($"unknown list format '{format}'; known formats: {string.Join(", ", Formats)}", nameof(format)),
    };
}
