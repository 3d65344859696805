using System.Security.Cryptography;
using NodaTime;

namespace Clearance.Store;

/// <summary>One file an import read, identified by its SHA-256.</summary>
/// <param name="Path">The path as given.</param>
/// <param name="Sha256">Lower-case hex SHA-256 of the file's bytes.</param>
/// <param name="Bytes">File size.</param>
public sealed record SourceFile(string Path, string Sha256, long Bytes);

/// <summary>Where an import's entities came from.</summary>
/// <param name="Files">The files read.</param>
/// <param name="SourceDate">The list's publication date when known (else taken from the entities).</param>
public sealed record ListSource(IReadOnlyList<SourceFile> Files, LocalDate? SourceDate)
{
    /// <summary>
    /// The largest list file accepted: 4 GiB, some twenty times the largest published list. The bound is what keeps a
    /// device or endless pipe given as a list file (<c>/dev/zero</c>) from being hashed for ever before it is parsed.
    /// </summary>
    public const long MaxFileBytes = 4L << 30;

    /// <summary>Hashes the files; one SHA-256 over all of them identifies the version's source.</summary>
    /// <exception cref="Clearance.Screening.Lists.ListFormatException">A file is not a regular file of at most <see cref="MaxFileBytes"/>.</exception>
    public static ListSource FromFiles(IEnumerable<string> paths, LocalDate? sourceDate = null)
    {
        var files = new List<SourceFile>();
        foreach (var path in paths)
        {
            using var stream = File.OpenRead(path);
            files.Add(Hash(path, stream, MaxFileBytes));
        }
        return new ListSource(files, sourceDate);
    }

    /// <summary>
    /// Hashes <paramref name="stream"/>: exactly its announced length when it has one (a regular file; more bytes than
    /// announced means a device such as /dev/zero, or a file still growing), else at most <paramref name="maxBytes"/>.
    /// </summary>
    public static SourceFile Hash(string path, Stream stream, long maxBytes)
    {
        var expected = stream.CanSeek ? stream.Length : -1;
        var limit = expected >= 0 ? Math.Min(expected, maxBytes) : maxBytes;
        using var sha = IncrementalHash.CreateHash(HashAlgorithmName.SHA256);
        var buffer = new byte[1 << 16];
        long total = 0;
        int read;
        while ((read = stream.Read(buffer, 0, (int)Math.Min(buffer.Length, limit - total + 1))) > 0)
        {
            total += read;
            if (total > limit)
            {
                throw new Clearance.Screening.Lists.ListFormatException(path, 0, null, expected >= 0 && expected <= maxBytes
                    ? $"more bytes than the file's size of {expected:N0}: not a regular file (a device such as /dev/zero?) or still being written"
                    : $"larger than the maximum list file size of {maxBytes:N0} bytes");
            }
            sha.AppendData(buffer, 0, read);
        }
        return new SourceFile(path, Convert.ToHexStringLower(sha.GetHashAndReset()), total);
    }

    /// <summary>SHA-256 over the files' hashes in order: equal when the same files are imported again.</summary>
    public string Sha256 => Convert.ToHexStringLower(SHA256.HashData(System.Text.Encoding.ASCII.GetBytes(string.Join('\n', Files.Select(f => f.Sha256)))));
}

/// <summary>One imported version of a list.</summary>
/// <param name="ListId">The list (the unit of import: "ofac-sdn", "csl", "meti-eul", ...).</param>
/// <param name="VersionNo">1, 2, 3, ... per list.</param>
/// <param name="Format">The format it was read from.</param>
/// <param name="ImportedAt">When it was imported.</param>
/// <param name="SourceDate">The list's own date, when known.</param>
/// <param name="SourceFiles">The files read.</param>
/// <param name="Sha256">SHA-256 over the source files.</param>
/// <param name="EntityCount">Entries in this version.</param>
/// <param name="NameCount">Primary names plus aliases.</param>
/// <param name="BasedOn">For a version made by applying a delta file: the version it was applied to.</param>
/// <param name="Note">What was unusual about the import, e.g. a shrink accepted with --allow-shrink; null for most versions.</param>
public sealed record ListVersion(
    string ListId, int VersionNo, string Format, Instant ImportedAt, LocalDate? SourceDate,
    IReadOnlyList<SourceFile> SourceFiles, string Sha256, int EntityCount, int NameCount, int? BasedOn, string? Note = null);

/// <summary>A list's active version and what it holds.</summary>
/// <param name="Active">The version screening uses.</param>
/// <param name="VersionCount">How many versions are stored.</param>
/// <param name="EntitiesByList">Entries of the active version per entity list id (a csl import holds csl-sdn, csl-el, ...).</param>
/// <param name="Activation">The last change of the active version (an import or <c>lists activate</c>); null in a database whose history predates activations.</param>
public sealed record ListStatus(ListVersion Active, int VersionCount, IReadOnlyDictionary<string, int> EntitiesByList, ListActivation? Activation = null);

/// <summary>One change of a list's active version: every import that creates a version, and every <c>lists activate</c>.</summary>
/// <param name="ListId">The list.</param>
/// <param name="VersionNo">The version made active.</param>
/// <param name="PreviousVersion">The version active before; null for a list's first version.</param>
/// <param name="ActivatedAt">When.</param>
/// <param name="Kind"><see cref="ImportKind"/> or <see cref="ActivateKind"/>.</param>
/// <param name="Note">The note given to <c>lists activate --note</c>; null otherwise.</param>
public sealed record ListActivation(string ListId, int VersionNo, int? PreviousVersion, Instant ActivatedAt, string Kind, string? Note)
{
    /// <summary>The version was made active by the import that created it.</summary>
    public const string ImportKind = "import";

    /// <summary>The version was made active by <c>lists activate</c>.</summary>
    public const string ActivateKind = "activate";
}

/// <summary>The outcome of <see cref="ListStore.Activate"/>.</summary>
/// <param name="Version">The version now active.</param>
/// <param name="Previous">The version active before.</param>
/// <param name="Unchanged">True when the version asked for was already active: nothing was recorded.</param>
public sealed record ActivationResult(ListVersion Version, ListVersion Previous, bool Unchanged);

/// <summary>How an import is checked and reported.</summary>
/// <param name="AllowShrink">Accept a version that removes more than <see cref="ListStore.MaxShrinkFraction"/> of the active entries (recorded in the version's note).</param>
/// <param name="AllowOlder">Accept a version whose source date is before the active version's (recorded in the version's note).</param>
/// <param name="Progress">Told how far the import has got, from the importing thread; null for none.</param>
public sealed record ImportOptions(bool AllowShrink = false, bool AllowOlder = false, IProgress<ImportProgress>? Progress = null);

/// <summary>A step of an import, for a progress display.</summary>
public enum ImportPhase
{
    /// <summary>Parsing the files: <see cref="ImportProgress.Done"/> entries read so far, no total.</summary>
    Reading,

    /// <summary>Writing the version: <see cref="ImportProgress.Done"/> of <see cref="ImportProgress.Total"/> entries.</summary>
    Writing,

    /// <summary>After the import: the caller rebuilds the screening index of the active lists (no counts).</summary>
    Indexing,
}

/// <summary>How far an import has got.</summary>
/// <param name="Phase">The step.</param>
/// <param name="Done">Entries done in this step.</param>
/// <param name="Total">Entries this step will do, when known.</param>
public readonly record struct ImportProgress(ImportPhase Phase, long Done, long? Total);

/// <summary>An entry of a list, by key.</summary>
/// <param name="ListId">The entry's own list id.</param>
/// <param name="EntityId">The list's id for it.</param>
public sealed record EntityRef(string ListId, string EntityId);

/// <summary>What changed between two versions of a list: the entries re-screening must look at.</summary>
/// <param name="ListId">The list.</param>
/// <param name="FromVersion">The older version.</param>
/// <param name="ToVersion">The newer version.</param>
/// <param name="Added">Entries only in the newer version.</param>
/// <param name="Removed">Entries only in the older version.</param>
/// <param name="Changed">Entries in both whose content differs.</param>
public sealed record ListDiff(
    string ListId, int FromVersion, int ToVersion,
    IReadOnlyList<EntityRef> Added, IReadOnlyList<EntityRef> Removed, IReadOnlyList<EntityRef> Changed)
{
    /// <summary>
    /// The primary name of each entry (added and changed: in the newer version; removed: in the older), filled by
    /// <see cref="ListStore.Diff(string, int?, int?)"/>; empty in an import's result.
    /// </summary>
    public IReadOnlyDictionary<EntityRef, string> Names { get; init; } = new Dictionary<EntityRef, string>();

    /// <summary>The entry's name, or "" when not known.</summary>
    public string NameOf(EntityRef entry) => Names.TryGetValue(entry, out var name) ? name : "";
}

/// <summary>The outcome of an import.</summary>
/// <param name="Version">The version now active.</param>
/// <param name="Unchanged">True when the same source files were already the active version: nothing was imported.</param>
/// <param name="Changes">The difference from the previously active version; null for a list's first version.</param>
public sealed record ImportResult(ListVersion Version, bool Unchanged, ListDiff? Changes);

/// <summary>
/// A store operation that cannot proceed (duplicate entry in an import, unknown list or version, a database this release
/// cannot use); the message is one line for the user.
/// </summary>
public class ListStoreException(string message, Exception? inner = null) : Exception(message, inner);

/// <summary>A list's active version, as <see cref="ListStore.ActiveVersions"/> reads it.</summary>
/// <param name="ListId">The list.</param>
/// <param name="VersionNo">Its active version's number.</param>
/// <param name="ImportedAt">When that version was imported (as stored).</param>
/// <param name="Sha256">The SHA-256 of its source.</param>
/// <param name="EntityCount">Its entities.</param>
internal sealed record ActiveListVersion(string ListId, long VersionNo, string ImportedAt, string Sha256, long EntityCount);
