using System.Text.Json;
using Clearance.Screening.Lists;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>One downloadable file of a source.</summary>
/// <param name="Url">Where to fetch it.</param>
/// <param name="Name">The file name to save it under (parsers find OFAC companions by name: sdn.csv, add.csv, ...).</param>
public sealed record UpdateFile(string Url, string Name);

/// <summary>A list published at fixed URLs.</summary>
/// <param name="Id">Source id for --source.</param>
/// <param name="Format">Parser format id; null when Clearance has no parser for the format yet (downloaded, not imported).</param>
/// <param name="List">List id to import into.</param>
/// <param name="Files">Files to download; the first is the primary file.</param>
/// <param name="Note">Shown when the source is downloaded but not imported, or has no URL.</param>
public sealed record UpdateSource(string Id, string? Format, string List, IReadOnlyList<UpdateFile> Files, string? Note = null);

/// <summary>Runs an import handed to it, e.g. with a progress display titled <paramref name="title"/> that it reports to.</summary>
/// <param name="title">What is being imported, for the display.</param>
/// <param name="import">The import, given where to report progress (or null).</param>
public delegate IReadOnlyList<ImportResult> ImportRunner(string title, Func<IProgress<ImportProgress>?, IReadOnlyList<ImportResult>> import);

/// <summary>Downloads the official list files and imports those Clearance can parse (<c>clearance lists update</c>).</summary>
public static class ListUpdate
{
    private const string Ofac = "https://www.treasury.gov/ofac/downloads/";

    /// <summary>The official sources (see docs/lists.md); a --config file overrides or adds sources by id.</summary>
    public static IReadOnlyList<UpdateSource> Defaults { get; } =
    [
        new("ofac-sdn", OfacCsvParser.Format, "ofac-sdn",
            [new(Ofac + "sdn.csv", "sdn.csv"), new(Ofac + "add.csv", "add.csv"), new(Ofac + "alt.csv", "alt.csv"), new(Ofac + "sdn_comments.csv", "sdn_comments.csv")]),
        new("ofac-nonsdn", OfacCsvParser.Format, "ofac-nonsdn",
            [new(Ofac + "consolidated/cons_prim.csv", "cons_prim.csv"), new(Ofac + "consolidated/cons_add.csv", "cons_add.csv"),
             new(Ofac + "consolidated/cons_alt.csv", "cons_alt.csv"), new(Ofac + "consolidated/cons_comments.csv", "cons_comments.csv")]),
        new("un-sc", UnXmlParser.Format, "un-sc", [new("https://scsanctions.un.org/resources/xml/en/consolidated.xml", "consolidated.xml")]),
        new("csl", CslCsvParser.Format, "csl",
            [new("https://data.trade.gov/downloadable_consolidated_screening_list/v1/consolidated.csv", "consolidated.csv")]),
        new("eu-fsf", EuFsfXmlParser.Format, EuFsfXmlParser.DefaultListId,
            [new("https://webgate.ec.europa.eu/fsd/fsf/public/files/xmlFullSanctionsList_1_1/content?token=dG9rZW4tMjAxNw", "eu_fsf.xml")]),
        new("uk", UkSanctionsXmlParser.Format, UkSanctionsXmlParser.DefaultListId,
            [new("https://sanctionslist.fcdo.gov.uk/docs/UK-Sanctions-List.xml", "UK-Sanctions-List.xml")]),
        new("meti-eul", MetiEulParser.Format, "meti-eul", [],
            "METI publishes the End User List as PDF and Excel only; save its sheet as CSV (UTF-8) and run 'clearance lists import --format meti-eul FILE', or give a CSV URL in --config"),
    ];

    /// <summary>
    /// Downloads and imports one source, reporting each step on <paramref name="output"/> and failures on
    /// <paramref name="error"/>; returns false on failure (the other sources still run). The download is checked before
    /// anything is written: an empty body, a file that does not parse, one with no entries or one that removes more than a
    /// tenth of the active entries (without <see cref="ImportOptions.AllowShrink"/>) or is older than the active version
    /// (without <see cref="ImportOptions.AllowOlder"/>) leaves the active version in place. <paramref name="runImport"/>,
    /// when given, runs the import it is handed (e.g. with a progress display, giving it somewhere to report to).
    /// </summary>
    public static async Task<bool> UpdateOne(
        UpdateSource source, ListStore store, HttpClient http, string directory, ImportOptions options, TextWriter output, TextWriter error,
        CancellationToken cancellation, ImportRunner? runImport = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentNullException.ThrowIfNull(options);
        ArgumentNullException.ThrowIfNull(output);
        ArgumentNullException.ThrowIfNull(error);
        if (source.Files.Count == 0)
        {
            output.WriteLine($"{source.Id}: skipped, no download URL: {source.Note}");
            return true;
        }
        Directory.CreateDirectory(directory);
        var paths = new List<string>();
        foreach (var file in source.Files)
        {
            var target = Path.Combine(directory, file.Name);
            try
            {
                await Download(http, file.Url, target, ListSource.MaxFileBytes, DownloadIdleTimeout, cancellation);
            }
            catch (Exception e) when (e is HttpRequestException or TaskCanceledException or IOException)
            {
                error.WriteLine($"{source.Id}: download of {file.Url} failed: {e.Message}; nothing imported for this source, its previous version stays active");
                return false;
            }
            paths.Add(target);
        }
        if (source.Format is null)
        {
            output.WriteLine($"{source.Id}: downloaded {paths.Count} file(s) to {directory}; NOT imported: {source.Note}");
            return true;
        }
        try
        {
            // The format's own list id leaves per-row lists alone (csl-csv rows keep csl-sdn, csl-el, ...).
            var listOverride = source.List == ListFiles.DefaultListId(source.Format, paths) ? null : source.List;
            IReadOnlyList<ImportResult> Import(IProgress<ImportProgress>? progress) =>
                ListImport.Run(store, source.Format, paths, listOverride, options with { Progress = progress ?? options.Progress });
            var results = runImport is null ? Import(null) : runImport($"{source.Id}: importing", Import);
            output.WriteLine($"{source.Id}: {ListImport.Describe(results)}");
            return true;
        }
        catch (Exception e) when (e is ListFormatException or ListStoreException)
        {
            error.WriteLine($"{source.Id}: {e.Message}; nothing imported, the previous version stays active");
            return false;
        }
    }

    /// <summary>
    /// The longest a download may go without receiving a byte: a server that stops sending part-way (or trickles) ends
    /// the update of that source with a clear error instead of a hang. HttpClient's own timeout stops at the headers.
    /// </summary>
    public static readonly TimeSpan DownloadIdleTimeout = TimeSpan.FromSeconds(100);

    /// <summary>
    /// Downloads to a temporary file and renames it: an interrupted download never replaces a good file, and neither does
    /// an empty one (a server or proxy answering 200 with no body), one larger than <paramref name="maxBytes"/>
    /// (<see cref="ListSource.MaxFileBytes"/>, the most a list file may have: an endless body would fill the disk) or one
    /// that stops for <paramref name="idleTimeout"/>.
    /// </summary>
    internal static async Task Download(HttpClient http, string url, string target, long maxBytes, TimeSpan idleTimeout, CancellationToken cancellation)
    {
        using var response = await http.GetAsync(url, HttpCompletionOption.ResponseHeadersRead, cancellation);
        if (!response.IsSuccessStatusCode)
            throw new HttpRequestException($"HTTP {(int)response.StatusCode} {response.ReasonPhrase}");
        if (response.Content.Headers.ContentLength > maxBytes)
            throw new IOException($"the body would be {response.Content.Headers.ContentLength:N0} bytes, more than the {maxBytes:N0} a list file may have");
        var partial = target + ".partial";
        long length = 0;
        try
        {
            await using (var file = File.Create(partial))
            await using (var body = await response.Content.ReadAsStreamAsync(cancellation))
            {
                var buffer = new byte[81920];
                using var idle = CancellationTokenSource.CreateLinkedTokenSource(cancellation);
                while (true)
                {
                    idle.CancelAfter(idleTimeout);
                    int read;
                    try
                    {
                        read = await body.ReadAsync(buffer, idle.Token);
                    }
                    catch (OperationCanceledException) when (!cancellation.IsCancellationRequested)
                    {
                        throw new IOException($"no data for {idleTimeout.TotalSeconds:0} s after {length:N0} bytes: the server stopped sending");
                    }
                    if (read == 0)
                        break;
                    length += read;
                    if (length > maxBytes)
                        throw new IOException($"the body is more than the {maxBytes:N0} bytes a list file may have");
                    await file.WriteAsync(buffer.AsMemory(0, read), cancellation);
                }
            }
            if (length == 0)
                throw new IOException($"HTTP {(int)response.StatusCode} with an empty body (0 bytes)");
            File.Move(partial, target, overwrite: true);
        }
        finally
        {
            File.Delete(partial);
        }
    }

    /// <summary>The default sources with those of a --config JSON file (same id replaces, new id is added).</summary>
    public static IReadOnlyList<UpdateSource> Merge(IReadOnlyList<UpdateSource> defaults, string? configPath)
    {
        if (configPath is null)
            return defaults;
        var config = JsonSerializer.Deserialize(File.ReadAllText(configPath), WireJsonContext.Default.ListUpdateConfig)
            ?? throw new JsonException($"{configPath}: empty configuration");
        var merged = defaults.ToDictionary(d => d.Id);
        var order = defaults.Select(d => d.Id).ToList();
        foreach (var source in config.Sources ?? [])
        {
            if (string.IsNullOrWhiteSpace(source.Id) || source.Files is null)
                throw new JsonException($"{configPath}: each source needs an id and files");
            if (source.Format is not null && !ListFiles.Formats.Contains(source.Format))
                throw new JsonException($"{configPath}: source {source.Id}: unknown format '{source.Format}'");
            if (!merged.ContainsKey(source.Id))
                order.Add(source.Id);
            merged[source.Id] = source;
        }
        return order.Select(id => merged[id]).ToList();
    }

    /// <summary>The sources named in <paramref name="ids"/> (comma-separated allowed), or all when none is named.</summary>
    public static List<UpdateSource> Select(IReadOnlyList<UpdateSource> sources, string[] ids)
    {
        var wanted = ids.SelectMany(i => i.Split(',', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries)).ToList();
        if (wanted.Count == 0)
            return [.. sources];
        foreach (var id in wanted)
        {
            if (!sources.Any(s => s.Id == id))
                throw new ArgumentException($"unknown source '{id}'; sources: {string.Join(", ", sources.Select(s => s.Id))}");
        }
        return sources.Where(s => wanted.Contains(s.Id)).ToList();
    }
}

/// <summary>A <c>lists update --config</c> file: sources that replace the defaults of the same id or add to them.</summary>
internal sealed record ListUpdateConfig(IReadOnlyList<UpdateSource>? Sources);
