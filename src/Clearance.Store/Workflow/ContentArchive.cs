using Clearance.Model;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>
/// The schema migration of the kept content versions: one row per file of each content version under which a
/// determination was recorded. The same SQL on both providers (TEXT means the same on each); files are read back in
/// name order sorted here, so no collation matters.
/// </summary>
internal static class ContentArchiveSchema
{
    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "kept content versions: the content files of every version a recorded determination names";

    /// <summary>The migration's SQL, for both providers.</summary>
    public const string Sql =
        """
        CREATE TABLE content_versions (
            version     TEXT NOT NULL,
            name        TEXT NOT NULL,
            text        TEXT NOT NULL,
            recorded_at TEXT NOT NULL,
            PRIMARY KEY (version, name)
        )
        """;
}

/// <summary>
/// The content versions kept in the store: the files of each version under which a determination was recorded in the
/// audit trail, so that an old determination can be evaluated again with the very rules it was made with
/// (<c>audit replay</c>) after the built-in content has changed. A version is stored once, whole, in one transaction;
/// its files are never changed afterwards (their hash is the version id).
/// </summary>
public sealed class ContentArchive
{
    private readonly IDbProvider _provider;
    private readonly IClock _clock;

    /// <summary>The kept versions of the database behind <paramref name="provider"/> (whose schema is already current).</summary>
    public ContentArchive(IDbProvider provider, IClock? clock = null)
    {
        ArgumentNullException.ThrowIfNull(provider);
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
    }

    /// <summary>
    /// Keeps <paramref name="content"/>'s files under its version unless that version is kept already (one query);
    /// true when they were stored now. A set without files (built in code, not loaded) has nothing to keep.
    /// </summary>
    public bool Keep(ContentSet content)
    {
        ArgumentNullException.ThrowIfNull(content);
        return Keep(content.Version, content.Files);
    }

    /// <summary>
    /// <see cref="Keep(ContentSet)"/> of a content version given by its id and files, without the content compiled (a
    /// submit compiles only the jurisdictions its lines need, under the whole content's version).
    /// </summary>
    public bool Keep(string version, IReadOnlyList<ContentFile> files)
    {
        ArgumentNullException.ThrowIfNull(version);
        ArgumentNullException.ThrowIfNull(files);
        if (files.Count == 0 || IsKept(version))
            return false;
        using var connection = _provider.Open();
        using var transaction = connection.BeginTransaction();
        var at = InstantPattern.ExtendedIso.Format(_clock.GetCurrentInstant());
        // Two runs keeping the same new version at once store the same files: the second's rows are simply skipped.
        var stored = 0;
        foreach (var file in files)
        {
            stored += PlainCommand.Execute(connection,
                "INSERT INTO content_versions (version, name, text, recorded_at) VALUES (@version, @name, @text, @at) ON CONFLICT (version, name) DO NOTHING",
                transaction, ("version", version), ("name", file.Name), ("text", file.Text), ("at", at));
        }

        transaction.Commit();
        return stored > 0;
    }

    /// <summary>Whether the files of <paramref name="version"/> are kept.</summary>
    public bool IsKept(string version)
    {
        using var connection = _provider.Open();
        return PlainCommand.Int64(connection, "SELECT COUNT(*) FROM content_versions WHERE version = @version", null, ("version", version)) > 0;
    }

    /// <summary>The files of <paramref name="version"/> by name, or null when that version is not kept.</summary>
    public IReadOnlyList<ContentFile>? Find(string version)
    {
        using var connection = _provider.Open();
        var files = PlainCommand.Query(connection, "SELECT name, text FROM content_versions WHERE version = @version", null,
                r => new ContentFile(r.GetString(0), r.GetString(1)), ("version", version))
            .OrderBy(f => f.Name, StringComparer.Ordinal)
            .ToList();
        return files.Count == 0 ? null : files;
    }
}
