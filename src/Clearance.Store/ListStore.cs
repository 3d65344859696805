using System.Buffers;
using System.Data;
using System.Data.Common;
using System.Text.Json;
using Clearance.Screening;
using Clearance.Screening.Lists;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Store;

/// <summary>
/// Restricted-party lists and their versions in the local database. Each import is one transaction that ends by making the
/// new version active, so a failed or interrupted import leaves the previous version active. Entity content is stored once
/// per distinct content hash; each version records which (list, id) has which hash, so the diff between any two versions
/// is a comparison of hashes.
/// </summary>
public sealed class ListStore
{
    private readonly IDbProvider _provider;
    private readonly IClock _clock;

    /// <summary>
    /// Opens the store on a database, bringing its schema to the latest version: created when absent, upgraded in place
    /// when older (also a database of a release before schema versions).
    /// </summary>
    /// <exception cref="SchemaVersionException">The database was made by a later release of clearance.</exception>
    public ListStore(IDbProvider provider, IClock? clock = null)
        : this(provider, clock, readOnly: false)
    {
    }

    /// <summary>
    /// Opens the store on a database; <paramref name="readOnly"/>: nothing is written, not even the schema (which must
    /// then be current), and every write method fails with a <see cref="ListStoreException"/>.
    /// </summary>
    /// <exception cref="SchemaVersionException">The database was made by a later release of clearance.</exception>
    /// <exception cref="ListStoreException">Read-only, and the database's schema is older than this release's.</exception>
    public ListStore(IDbProvider provider, IClock? clock, bool readOnly)
    {
        _provider = provider;
        _clock = clock ?? SystemClock.Instance;
        ReadOnly = readOnly;
        if (readOnly)
        {
            SchemaMigrations.Check(provider);
            return;
        }
        try
        {
            SchemaMigrations.Apply(provider, _clock);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 8 or 10 or 11 or 13 or 14 or 26)
        {
            // The schema could not be created or upgraded: read-only, a disk error, damaged, a full disk, not a database.
            throw new ListStoreException(SqliteProvider.Describe(provider.Location, e), e);
        }
        catch (Npgsql.PostgresException e) when (NpgsqlProvider.IsWriteRefused(e))
        {
            // A read-only PostgreSQL session (or one without write grants) on a database whose schema is not current.
            throw new ListStoreException(
                $"the database {provider.Location} cannot be written in this session ({e.MessageText}), so its clearance tables cannot be " +
                "created or upgraded: run a command that writes (e.g. clearance lists import) with a session and user that may write first", e);
        }
    }

    /// <summary>True when the store was opened read-only.</summary>
    public bool ReadOnly { get; }

    /// <summary>Opens the SQLite store at <paramref name="path"/> (see <see cref="DatabaseLocation.Resolve"/>).</summary>
    public static ListStore OpenSqlite(string path) => new(new SqliteProvider(path));

    /// <summary>Opens the SQLite store at <paramref name="path"/>, read-only when <paramref name="readOnly"/> (see <see cref="ReadOnly"/>).</summary>
    public static ListStore OpenSqlite(string path, bool readOnly) => new(new SqliteProvider(path, readOnly), null, readOnly);

    /// <summary>
    /// Opens the store for a command that only reads (screening, status, diff): read-write as <see cref="Open(string)"/>
    /// when possible, so that an older schema is still brought up to date; read-only when the SQLite file or its
    /// directory cannot be written, or the PostgreSQL session may not write (read-only, no write grants) and the schema
    /// needs an upgrade. Only an existing SQLite file falls back: a missing one is created as before.
    /// </summary>
    /// <exception cref="ListStoreException">The database cannot be read, or is read-only and needs a schema upgrade.</exception>
    public static ListStore OpenForReading(string location)
    {
        if (DatabaseLocation.IsPostgres(location))
        {
            try
            {
                return Open(location);
            }
            catch (ListStoreException e) when (NpgsqlProvider.IsWriteRefused(e.InnerException))
            {
                return Open(location, readOnly: true); // a read-only session reads a current schema; an older one is a clear error
            }
        }
        if (!File.Exists(location))
            return Open(location);
        try
        {
            return OpenSqlite(location);
        }
        catch (ListStoreException e) when (e.InnerException is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 8 or 14 or 3 or 23 })
        {
            // SQLITE_READONLY, CANTOPEN (no -wal or -shm file can be made), PERM, AUTH: no write access to the file or its directory.
            Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
            return OpenSqlite(location, readOnly: true);
        }
    }

    /// <summary>
    /// Opens the store at a location as <see cref="DatabaseLocation.Resolve"/> gives it: PostgreSQL for a connection string
    /// or postgres:// URI, else the SQLite file at that path.
    /// </summary>
    /// <exception cref="ArgumentException">A malformed PostgreSQL connection string or URI.</exception>
    /// <exception cref="ListStoreException">The PostgreSQL server cannot be reached.</exception>
    /// <exception cref="SchemaVersionException">The database was made by a later release of clearance.</exception>
    public static ListStore Open(string location) =>
        DatabaseLocation.IsPostgres(location) ? new(new NpgsqlProvider(location)) : OpenSqlite(location);

    /// <summary>
    /// Opens the store at a location, read-only when <paramref name="readOnly"/> (see <see cref="ReadOnly"/>; a SQLite file
    /// is then opened with Mode=ReadOnly, a PostgreSQL database only has its schema checked instead of upgraded).
    /// </summary>
    public static ListStore Open(string location, bool readOnly) =>
        !readOnly ? Open(location)
        : DatabaseLocation.IsPostgres(location) ? new(new NpgsqlProvider(location), null, readOnly: true) : OpenSqlite(location, readOnly: true);

    /// <summary>Where the data is, for messages (never a password).</summary>
    public string Location => _provider.Location;

    /// <summary>The local file path that files derived from the database are named after (see <see cref="IDbProvider.LocalPath"/>).</summary>
    public string LocalPath => _provider.LocalPath;

    /// <summary>True for the SQLite file database.</summary>
    internal bool IsSqliteFile => _provider is SqliteProvider;

    /// <summary>
    /// The most of the active version's entries a new version may remove without <c>allowShrink</c>: a list that loses
    /// more at once is far more often a truncated or wrong download than a real change, and an empty list passes
    /// everything in screening.
    /// </summary>
    public const double MaxShrinkFraction = 0.10;

    /// <summary>
    /// How long an import waits for another writer (SQLite: any write to the database; PostgreSQL: another import of the
    /// same list) before giving up with a clear message.
    /// </summary>
    public static readonly TimeSpan WriteLockTimeout = TimeSpan.FromSeconds(30);

    /// <summary>
    /// Imports a full list as a new version and makes it active, atomically. When the source files are those of the active
    /// version, nothing is imported and <see cref="ImportResult.Unchanged"/> is true. The entities are read and checked
    /// before the write lock is taken, so a slow parse does not hold up other writers; imports of the same list take turns.
    /// </summary>
    /// <param name="listId">The list (unit of import) the version belongs to.</param>
    /// <param name="format">The format id the entities were read from.</param>
    /// <param name="entities">The entities, typically streamed from a parser: a parse error means nothing is written.</param>
    /// <param name="source">The files read.</param>
    /// <param name="allowShrink">Accept a version that removes more than <see cref="MaxShrinkFraction"/> of the active entries (recorded in the version's note).</param>
    /// <exception cref="ListStoreException">An entry appears twice, there are no entries, the version would shrink the list
    /// too much or is older than the active one, or the database stayed busy for <see cref="WriteLockTimeout"/>.</exception>
    public ImportResult Import(string listId, string format, IEnumerable<ListEntity> entities, ListSource source, bool allowShrink = false) =>
        Import(listId, format, entities, source, new ImportOptions(AllowShrink: allowShrink));

    /// <summary>
    /// Imports a full list as a new version and makes it active, atomically (see the other overload). A version whose
    /// source date is before the active version's is refused before the write lock is taken, unless
    /// <see cref="ImportOptions.AllowOlder"/>: importing an old file by mistake would roll the list back.
    /// </summary>
    /// <param name="listId">The list (unit of import) the version belongs to.</param>
    /// <param name="format">The format id the entities were read from.</param>
    /// <param name="entities">The entities, typically streamed from a parser: a parse error means nothing is written.</param>
    /// <param name="source">The files read.</param>
    /// <param name="options">What to accept, and where to report progress.</param>
    /// <exception cref="ListStoreException">An entry appears twice, there are no entries, the version would shrink the list
    /// too much or is older than the active one, or the database stayed busy for <see cref="WriteLockTimeout"/>.</exception>
    public ImportResult Import(string listId, string format, IEnumerable<ListEntity> entities, ListSource source, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (UnchangedActiveVersion(listId, format, source) is { } unchanged)
            return unchanged;
        var parsed = new List<ListEntity>();
        var keys = new HashSet<(string, string)>();
        foreach (var entity in entities)
        {
            if (!keys.Add((entity.ListId, entity.EntityId)))
                throw new ListStoreException($"entry {entity.ListId}/{entity.EntityId} appears twice in the import of {listId}: nothing imported");
            parsed.Add(entity);
            if (parsed.Count % ProgressStep == 0)
                options.Progress?.Report(new ImportProgress(ImportPhase.Reading, parsed.Count, null));
        }
        if (parsed.Count == 0)
        {
            throw new ListStoreException($"{SourceName(listId, source)} contains no entries: nothing imported; {Stays(listId, ActiveVersion(listId))}");
        }
        var sourceDate = source.SourceDate ?? parsed.Select(e => e.SourceDate).FirstOrDefault(d => d is not null);
        CheckNotOlder(listId, format, source, sourceDate, ActiveVersion(listId), options.AllowOlder);
        return Write(listId, format, source, options, sourceDate, (connection, transaction, previous, versionId) =>
        {
            using var writer = new VersionWriter(connection, transaction, versionId);
            var written = 0;
            foreach (var entity in parsed)
            {
                writer.Insert(entity);
                if (++written % ProgressStep == 0)
                    options.Progress?.Report(new ImportProgress(ImportPhase.Writing, written, parsed.Count));
            }
            writer.Flush();
            options.Progress?.Report(new ImportProgress(ImportPhase.Writing, written, parsed.Count));
            return sourceDate;
        }, basedOnPrevious: false);
    }

    /// <summary>How many entries an import reads or writes between two progress reports.</summary>
    private const int ProgressStep = 500;

    /// <summary>
    /// Applies a delta file's changes to the active version of <paramref name="listId"/> (to an empty list when it has none),
    /// as a new version, atomically; the changes are read before the write lock is taken, and the shrink rule of
    /// <see cref="Import(string, string, IEnumerable{ListEntity}, ListSource, bool)"/> applies to the result.
    /// </summary>
    public ImportResult ApplyChanges(string listId, string format, IEnumerable<ListChange> changes, ListSource source, bool allowShrink = false) =>
        ApplyChanges(listId, format, changes, source, new ImportOptions(AllowShrink: allowShrink));

    /// <summary>
    /// Applies a delta file's changes as a new version (see the other overload); a delta file dated before the active
    /// version is refused unless <see cref="ImportOptions.AllowOlder"/>, as a full import is.
    /// </summary>
    public ImportResult ApplyChanges(string listId, string format, IEnumerable<ListChange> changes, ListSource source, ImportOptions options)
    {
        ArgumentNullException.ThrowIfNull(options);
        if (UnchangedActiveVersion(listId, format, source) is { } unchanged)
            return unchanged;
        var parsed = changes.ToList();
        CheckNotOlder(listId, format, source, source.SourceDate, ActiveVersion(listId), options.AllowOlder);
        return Write(listId, format, source, options, source.SourceDate, (connection, transaction, previous, versionId) =>
        {
            if (previous is not null)
            {
                PlainCommand.Execute(connection,
                    """
                    INSERT INTO version_entities (version_id, entity_list_id, entity_id, content_hash)
                    SELECT @versionId, entity_list_id, entity_id, content_hash FROM version_entities WHERE version_id = @previousId
                    """,
                    transaction, ("versionId", versionId), ("previousId", previous.Value.Id));
            }
            using var writer = new VersionWriter(connection, transaction, versionId);
            foreach (var change in parsed)
            {
                if (change.Kind == ListChangeKind.Upsert)
                    writer.Upsert(change.Entity!);
                else
                    writer.Remove(change.Entity?.ListId ?? listId, change.EntityId);
            }
            writer.Flush();
            return source.SourceDate ?? previous?.Version.SourceDate;
        }, basedOnPrevious: true);
    }

    /// <summary>
    /// Refuses a version whose source date is before <paramref name="active"/>'s, unless <paramref name="allowOlder"/>:
    /// an older file imported by mistake would silently roll the list back. Undated versions are not compared.
    /// </summary>
    private void CheckNotOlder(string listId, string format, ListSource source, LocalDate? sourceDate, ListVersion? active, bool allowOlder)
    {
        if (allowOlder || OlderNote(sourceDate, active) is null)
            return;
        var same = SameFilesVersion(listId, format, source);
        var hint = same is { } n
            ? $"these files are version {n}: to use it again, run clearance lists activate --list {listId} --version {n}"
            : "to go back to an older list on purpose, import again with --allow-older, or switch to a stored version with clearance lists activate";
        throw new ListStoreException(
            $"{SourceName(listId, source)} has source date {FormatDate(sourceDate)}, older than the active version {active!.VersionNo} of list {listId} " +
            $"(source date {FormatDate(active.SourceDate)}): nothing imported, version {active.VersionNo} stays; {hint}");
    }

    /// <summary>The note that records an older version accepted with --allow-older, or null when it is not older.</summary>
    private static string? OlderNote(LocalDate? sourceDate, ListVersion? active) =>
        sourceDate is { } date && active?.SourceDate is { } activeDate && date < activeDate
            ? $"older source date allowed (--allow-older): {FormatDate(date)}, before version {active.VersionNo}'s {FormatDate(activeDate)}"
            : null;

    /// <summary>The number of a stored version imported from the same files in the same format, if any.</summary>
    private int? SameFilesVersion(string listId, string format, ListSource source)
    {
        using var connection = _provider.Open();
        return (int?)PlainCommand.NullableInt64(connection,
            "SELECT MAX(version_no) FROM list_versions WHERE list_id = @listId AND sha256 = @sha256 AND format = @format",
            null, ("listId", listId), ("sha256", source.Sha256), ("format", format));
    }

    /// <summary>Writes the entities of a new version (returning its source date), given the version replaced, if any.</summary>
    private delegate LocalDate? VersionContent(DbConnection connection, DbTransaction transaction, (long Id, ListVersion Version)? previous, long versionId);

    /// <summary>
    /// The write of a new version, in one transaction that takes the list's import lock first, so that imports of the same
    /// list take turns: what the version replaces is read again under the lock, and the shrink and date rules checked
    /// against it (the date rule was checked before the lock too, so that a refusal usually waits for nothing).
    /// </summary>
    private ImportResult Write(
        string listId, string format, ListSource source, ImportOptions options, LocalDate? sourceDate, VersionContent content, bool basedOnPrevious)
    {
        var (connection, (previous, versionNo)) = InWriteTransaction(listId, $"nothing imported for list {listId}", "import",
            (connection, transaction) =>
            {
                var previous = ActiveVersion(connection, transaction, listId);
                if (previous is not null && previous.Sha256 == source.Sha256 && previous.Format == format)
                    return (previous, 0);
                CheckNotOlder(listId, format, source, sourceDate, previous, options.AllowOlder);
                (long Id, ListVersion Version)? replaced = previous is null ? null : (VersionId(connection, transaction, listId, previous.VersionNo), previous);
                var (versionId, number) = CreateVersion(connection, transaction, listId, format, source, previous, basedOnPrevious ? replaced?.Id : null);
                var date = content(connection, transaction, replaced, versionId);
                if (replaced is { } before)
                {
                    // What the version changed, for the recheck that follows the import (VersionChangesSchema).
                    VersionChangesSchema.Record(connection, transaction, versionId, before.Id);
                }

                var notes = new[]
                {
                    replaced is { } r ? ShrinkNote(connection, transaction, listId, r.Id, r.Version, versionId, options.AllowShrink) : null,
                    OlderNote(date, previous),
                }.OfType<string>().ToArray();
                FinishVersion(connection, transaction, listId, versionId, number, previous?.VersionNo, date, notes.Length == 0 ? null : string.Join("; ", notes));
                return (previous, number);
            });
        using (connection)
        {
            return versionNo == 0 ? new ImportResult(previous!, true, null) : Result(connection, listId, previous, versionNo);
        }
    }

    /// <summary>
    /// Runs <paramref name="body"/> in one transaction that holds the list's import lock (SQLite: the database's write
    /// lock), and commits it; returns the open connection with the body's result, for reads after the commit. A read-only
    /// store, a full disk or a lock held too long end in one <see cref="ListStoreException"/> that says
    /// <paramref name="nothingDone"/>.
    /// </summary>
    private (DbConnection Connection, T Result) InWriteTransaction<T>(string listId, string nothingDone, string verb, Func<DbConnection, DbTransaction, T> body)
    {
        if (ReadOnly)
            throw new ListStoreException($"the database {_provider.Location} is open read-only: {nothingDone}; {verb} with write access to it and its directory");
        var connection = _provider.Open();
        try
        {
            using var transaction = connection.BeginTransaction();
            if (_provider.ImportLockSql is { } lockSql)
                PlainCommand.Execute(connection, lockSql, transaction, ("listId", listId), ("timeout", $"{(int)WriteLockTimeout.TotalMilliseconds}ms"));
            var result = body(connection, transaction);
            transaction.Commit();
            return (connection, result);
        }
        catch (Microsoft.Data.Sqlite.SqliteException e) when (e.SqliteErrorCode is 8 or 10 or 11 or 13)
        {
            // Read-only file or directory, disk I/O error, damaged file, full disk: the transaction rolled back and the active version stays.
            connection.Dispose();
            throw new ListStoreException($"{SqliteProvider.Describe(_provider.Location, e)}; {nothingDone}", e);
        }
        catch (Npgsql.PostgresException e) when (NpgsqlProvider.Describe(_provider.Location, e) is { } problem)
        {
            // A read-only session or standby, a user without write grants, a full disk: the transaction rolled back.
            connection.Dispose();
            throw new ListStoreException($"{problem}; {nothingDone}", e);
        }
        catch (DbException e) when (IsLockTimeout(e))
        {
            connection.Dispose();
            throw new ListStoreException(e is Microsoft.Data.Sqlite.SqliteException
                ? $"the database {_provider.Location} is busy: another process held its write lock for over {WriteLockTimeout.TotalSeconds:0} s; {nothingDone}, try again"
                : $"another import of list {listId} is running in {_provider.Location} (waited {WriteLockTimeout.TotalSeconds:0} s); {(verb == "import" ? "nothing imported" : nothingDone)}, try again when it has finished", e);
        }
        catch
        {
            connection.Dispose();
            throw;
        }
    }

    /// <summary>
    /// Makes a stored version of a list the active one, in a transaction that takes the list's import lock as an import
    /// does, and records the switch (time, the version before, <paramref name="note"/>). Asking for the version already
    /// active changes and records nothing (<see cref="ActivationResult.Unchanged"/>).
    /// </summary>
    /// <param name="listId">The list.</param>
    /// <param name="versionNo">The version to make active.</param>
    /// <param name="note">Why, recorded with the switch; null for none.</param>
    /// <exception cref="ListStoreException">The list or the version does not exist, the store is read-only, or the database stayed busy.</exception>
    public ActivationResult Activate(string listId, int versionNo, string? note = null)
    {
        var nothingDone = $"the active version of list {listId} is unchanged";
        var (connection, (previous, switched)) = InWriteTransaction(listId, nothingDone, "activate",
            (connection, transaction) =>
            {
                var active = ActiveVersion(connection, transaction, listId) ?? throw new ListStoreException(
                    $"no list '{listId}' in {_provider.Location}{ListNames(connection, transaction)}");
                var versionId = PlainCommand.NullableInt64(connection,
                    "SELECT version_id FROM list_versions WHERE list_id = @listId AND version_no = @versionNo", transaction, ("listId", listId), ("versionNo", versionNo));
                if (versionId is null)
                {
                    var last = PlainCommand.Int64(connection, "SELECT MAX(version_no) FROM list_versions WHERE list_id = @listId", transaction, ("listId", listId));
                    throw new ListStoreException(
                        $"list {listId} has no version {versionNo} in {_provider.Location} (its versions are 1 to {last}; version {active.VersionNo} is active): {nothingDone}");
                }
                if (active.VersionNo == versionNo)
                    return (active, false);
                PlainCommand.Execute(connection, "UPDATE lists SET active_version = @versionId WHERE list_id = @listId", transaction, ("versionId", versionId), ("listId", listId));
                RecordActivation(connection, transaction, listId, versionNo, active.VersionNo, ListActivation.ActivateKind, note);
                return (active, true);
            });
        using (connection)
        {
            return new ActivationResult(ActiveVersion(connection, null, listId)!, previous, !switched);
        }
    }

    /// <summary>The changes of a list's active version, oldest first (every import that made a version, every activation).</summary>
    public IReadOnlyList<ListActivation> Activations(string listId)
    {
        using var connection = _provider.Open();
        return PlainCommand.Query(connection, ActivationSelect + " WHERE list_id = @listId ORDER BY activation_id", null, ReadActivation, ("listId", listId));
    }

    /// <summary>The activations' columns in <see cref="ReadActivation"/>'s order.</summary>
    private const string ActivationSelect =
        "SELECT list_id, version_no, previous_version, activated_at, kind, note FROM list_activations";

    /// <summary>The activation at <paramref name="reader"/>'s position, its columns those of <see cref="ActivationSelect"/>.</summary>
    private static ListActivation ReadActivation(DbDataReader reader) => new(
        reader.GetString(0), (int)reader.Int64(1), (int?)reader.NullableInt64(2), InstantPattern.ExtendedIso.Parse(reader.GetString(3)).Value,
        reader.GetString(4), reader.Text(5));

    private void RecordActivation(DbConnection connection, DbTransaction transaction, string listId, int versionNo, int? previousVersion, string kind, string? note) =>
        PlainCommand.Execute(connection,
            """
            INSERT INTO list_activations (list_id, version_no, previous_version, activated_at, kind, note)
            VALUES (@listId, @versionNo, @previousVersion, @activatedAt, @kind, @note)
            """,
            transaction, ("listId", listId), ("versionNo", versionNo), ("previousVersion", previousVersion),
            ("activatedAt", InstantPattern.ExtendedIso.Format(_clock.GetCurrentInstant())), ("kind", kind), ("note", note));

    /// <summary>"; lists: a, b" for a message about an unknown list, or "" when there are none.</summary>
    private static string ListNames(DbConnection connection, DbTransaction? transaction)
    {
        var names = PlainCommand.Query(connection, ActiveListsSelect, transaction, r => r.GetString(0));
        return names.Count == 0 ? " (it has no lists)" : $" (lists: {string.Join(", ", names)})";
    }

    /// <summary>
    /// The note that records an allowed shrink, or null when the new version removes at most <see cref="MaxShrinkFraction"/>
    /// of the replaced version's entries.
    /// </summary>
    /// <exception cref="ListStoreException">It removes more and <paramref name="allowShrink"/> is false (the transaction then rolls back).</exception>
    private static string? ShrinkNote(
        DbConnection connection, DbTransaction transaction, string listId, long previousId, ListVersion previous, long versionId, bool allowShrink)
    {
        var removed = PlainCommand.Int64(connection,
            """
            SELECT COUNT(*) FROM version_entities a WHERE a.version_id = @previousId AND NOT EXISTS
              (SELECT 1 FROM version_entities b WHERE b.version_id = @versionId AND b.entity_list_id = a.entity_list_id AND b.entity_id = a.entity_id)
            """, transaction, ("previousId", previousId), ("versionId", versionId));
        if (removed <= previous.EntityCount * MaxShrinkFraction)
            return null;
        var what = $"removes {removed:N0} of the {previous.EntityCount:N0} entries of version {previous.VersionNo}";
        if (!allowShrink)
        {
            throw new ListStoreException(
                $"the new version of list {listId} {what} (more than {MaxShrinkFraction * 100:0} %{RemovedExamples(connection, transaction, previousId, versionId)}): " +
                $"nothing imported; the active version {previous.VersionNo} stays; if the list really shrank, import again with --allow-shrink");
        }
        return $"shrink allowed (--allow-shrink): {what}";
    }

    /// <summary>How many entries of a refused shrink a message names, so that the user sees what would go.</summary>
    internal const int RemovedExamplesShown = 3;

    /// <summary>
    /// "; among them ofac-sdn/36 'AEROCARIBBEAN AIRLINES', ...": the first entries (by list and id) of the previous version
    /// that the new one lacks, names quoted as the list has them (shortened, control characters escaped).
    /// </summary>
    private static string RemovedExamples(DbConnection connection, DbTransaction transaction, long previousId, long versionId)
    {
        var examples = PlainCommand.Query(connection,
            $"""
            SELECT a.entity_list_id, a.entity_id, d.data FROM version_entities a
            JOIN entity_data d ON d.content_hash = a.content_hash
            WHERE a.version_id = @previousId AND NOT EXISTS
              (SELECT 1 FROM version_entities b WHERE b.version_id = @versionId AND b.entity_list_id = a.entity_list_id AND b.entity_id = a.entity_id)
            ORDER BY a.entity_list_id, a.entity_id LIMIT {RemovedExamplesShown}
            """, transaction, r => (ListId: r.GetString(0), EntityId: r.GetString(1), Data: (byte[])r.GetValue(2)), ("previousId", previousId), ("versionId", versionId))
            .Select(e => $"{e.ListId}/{e.EntityId} {StrictText.Quote(EntityJson.Read(e.Data, null).PrimaryName)}");
        return "; among them " + string.Join(", ", examples) + ", ...";
    }

    /// <summary>SQLite's SQLITE_BUSY after its busy timeout, PostgreSQL's lock_not_available after lock_timeout.</summary>
    private static bool IsLockTimeout(DbException e) =>
        e is Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 } or Npgsql.PostgresException { SqlState: "55P03" };

    /// <summary>The active version when it was imported from the same files in the same format (checked without a lock, before parsing).</summary>
    private ImportResult? UnchangedActiveVersion(string listId, string? format, ListSource source)
    {
        var active = ActiveVersion(listId);
        return active is not null && active.Sha256 == source.Sha256 && active.Format == format ? new ImportResult(active, true, null) : null;
    }

    private ListVersion? ActiveVersion(string listId)
    {
        using var connection = _provider.Open();
        return ActiveVersion(connection, null, listId);
    }

    private static string SourceName(string listId, ListSource source) =>
        source.Files.Count == 0 ? $"the import of list {listId}" : string.Join(", ", source.Files.Select(f => f.Path));

    private static string Stays(string listId, ListVersion? active) =>
        active is null ? $"list {listId} has no version yet" : $"the active version {active.VersionNo} of list {listId} stays";

    /// <summary>Every list with its active version, in list id order.</summary>
    public IReadOnlyList<ListStatus> Status()
    {
        using var connection = _provider.Open();
        var result = new List<ListStatus>();
        foreach (var listId in PlainCommand.Query(connection, ActiveListsSelect, null, r => r.GetString(0)))
        {
            var active = ActiveVersion(connection, null, listId)!;
            var versionCount = PlainCommand.Int64(connection, "SELECT COUNT(*) FROM list_versions WHERE list_id = @listId", null, ("listId", listId));
            var byList = PlainCommand.Query(connection,
                    """
                    SELECT ve.entity_list_id, COUNT(*) FROM version_entities ve JOIN lists l ON l.active_version = ve.version_id
                    WHERE l.list_id = @listId GROUP BY ve.entity_list_id ORDER BY ve.entity_list_id
                    """, null, r => (List: r.GetString(0), Count: r.Int64(1)), ("listId", listId))
                .ToDictionary(r => r.List, r => (int)r.Count);
            var activation = PlainCommand.First(connection,
                ActivationSelect + " WHERE list_id = @listId ORDER BY activation_id DESC", null, ReadActivation, ("listId", listId));
            result.Add(new ListStatus(active, (int)versionCount, byList, activation));
        }
        return result;
    }

    /// <summary>All stored versions of a list, oldest first.</summary>
    public IReadOnlyList<ListVersion> Versions(string listId)
    {
        using var connection = _provider.Open();
        return PlainCommand.Query(connection, VersionSelect + " WHERE list_id = @listId ORDER BY version_no", null, ReadVersion, ("listId", listId));
    }

    /// <summary>
    /// Entries added, removed and changed between two versions of a list. By default <paramref name="toVersion"/> is the
    /// active version and <paramref name="fromVersion"/> the one before it.
    /// </summary>
    /// <exception cref="ListStoreException">The list or a version does not exist, or there is no earlier version.</exception>
    public ListDiff Diff(string listId, int? fromVersion = null, int? toVersion = null)
    {
        using var connection = _provider.Open();
        var to = toVersion ?? ActiveVersion(connection, null, listId)?.VersionNo
            ?? throw new ListStoreException($"no list '{listId}' in {_provider.Location}{ListNames(connection, null)}");
        var from = fromVersion ?? (int?)PlainCommand.NullableInt64(connection,
                "SELECT MAX(version_no) FROM list_versions WHERE list_id = @listId AND version_no < @to", null, ("listId", listId), ("to", to))
            ?? throw new ListStoreException($"list {listId} has no version before {to} to compare with");
        return Diff(connection, listId, from, to, withNames: true);
    }

    /// <summary>
    /// What the active versions are, as one string that changes whenever any list's active version does (list, version,
    /// import time, file hash, entity count): the key of the persisted screening index. Empty when no list is active.
    /// </summary>
    public string ActiveVersionsKey()
    {
        using var connection = _provider.Open();
        var key = new System.Text.StringBuilder();
        foreach (var v in ActiveVersions(connection, null))
        {
            key.Append(v.ListId).Append(' ').Append(v.VersionNo.ToString(System.Globalization.CultureInfo.InvariantCulture))
                .Append(' ').Append(v.ImportedAt).Append(' ').Append(v.Sha256)
                .Append(' ').Append(v.EntityCount.ToString(System.Globalization.CultureInfo.InvariantCulture)).Append('\n');
        }

        return key.ToString();
    }

    /// <summary>
    /// Every list's active version, by list id: the one query behind the screening index's key
    /// (<see cref="ActiveVersionsKey"/>), the list versions an audit record names and the versions a recheck compares with.
    /// </summary>
    internal static List<ActiveListVersion> ActiveVersions(DbConnection connection, DbTransaction? transaction)
    {
        using var command = PlainCommand.Create(connection,
            """
            SELECT l.list_id, lv.version_no, lv.imported_at, lv.sha256, lv.entity_count FROM lists l
            JOIN list_versions lv ON lv.version_id = l.active_version ORDER BY l.list_id
            """, transaction);
        using var reader = command.ExecuteReader();
        var versions = new List<ActiveListVersion>();
        while (reader.Read())
        {
            versions.Add(new ActiveListVersion(reader.GetString(0), Convert.ToInt64(reader.GetValue(1), System.Globalization.CultureInfo.InvariantCulture),
                reader.GetString(2), reader.GetString(3), Convert.ToInt64(reader.GetValue(4), System.Globalization.CultureInfo.InvariantCulture)));
        }

        return versions;
    }

    /// <summary>The entities of every list's active version, for building the screening index.</summary>
    public IReadOnlyList<ListEntity> LoadActiveEntities()
    {
        using var connection = _provider.Open();
        return ReadEntities(connection,
            """
            SELECT ed.data, lv.source_date FROM lists l
            JOIN list_versions lv ON lv.version_id = l.active_version
            JOIN version_entities ve ON ve.version_id = lv.version_id
            JOIN entity_data ed ON ed.content_hash = ve.content_hash
            ORDER BY l.list_id, ve.entity_list_id, length(ve.entity_id), ve.entity_id
            """, null);
    }

    /// <summary>The entities of one version of a list (the active one by default), e.g. to re-screen changed entries.</summary>
    public IReadOnlyList<ListEntity> LoadEntities(string listId, int? versionNo = null)
    {
        using var connection = _provider.Open();
        var number = versionNo ?? ActiveVersion(connection, null, listId)?.VersionNo
            ?? throw new ListStoreException($"no list '{listId}' in {_provider.Location}");
        var versionId = VersionId(connection, null, listId, number);
        return ReadEntities(connection,
            """
            SELECT ed.data, lv.source_date FROM list_versions lv
            JOIN version_entities ve ON ve.version_id = lv.version_id
            JOIN entity_data ed ON ed.content_hash = ve.content_hash
            WHERE lv.version_id = @versionId
            ORDER BY ve.entity_list_id, length(ve.entity_id), ve.entity_id
            """, versionId);
    }

    private static List<ListEntity> ReadEntities(DbConnection connection, string sql, long? versionId)
    {
        using var command = connection.CreateCommand();
        command.CommandText = sql;
        if (versionId is not null)
            AddParameter(command, "@versionId", DbType.Int64).Value = versionId.Value;
        using var reader = command.ExecuteReader();
        var entities = new List<ListEntity>();
        string? lastDateText = null;
        LocalDate? lastDate = null;
        while (reader.Read())
        {
            var dateText = reader.IsDBNull(1) ? null : reader.GetString(1);
            if (dateText != lastDateText)
                (lastDateText, lastDate) = (dateText, ParseDate(dateText));
            entities.Add(EntityJson.Read((byte[])reader.GetValue(0), lastDate));
        }
        return entities;
    }

    private ImportResult Result(DbConnection connection, string listId, ListVersion? previous, int versionNo)
    {
        var version = ActiveVersion(connection, null, listId)!;
        var changes = previous is null ? null : Diff(connection, listId, previous.VersionNo, versionNo);
        return new ImportResult(version, false, changes);
    }

    private (long VersionId, int VersionNo) CreateVersion(
        DbConnection connection, DbTransaction transaction, string listId, string format, ListSource source, ListVersion? previous, long? basedOn)
    {
        PlainCommand.Execute(connection,
            "INSERT INTO lists (list_id, format, active_version) VALUES (@listId, @format, NULL) ON CONFLICT (list_id) DO UPDATE SET format = excluded.format",
            transaction, ("listId", listId), ("format", format));
        var versionNo = (previous is null ? 0 : (int)PlainCommand.Int64(connection,
            "SELECT MAX(version_no) FROM list_versions WHERE list_id = @listId", transaction, ("listId", listId))) + 1;
        var versionId = PlainCommand.Int64(connection,
            """
            INSERT INTO list_versions (list_id, version_no, format, imported_at, source_date, source_files, sha256, entity_count, name_count, based_on)
            VALUES (@listId, @versionNo, @format, @importedAt, @sourceDate, @sourceFiles, @sha256, 0, 0, @basedOn)
            RETURNING version_id
            """,
            transaction,
            ("listId", listId), ("versionNo", versionNo), ("format", format),
            ("importedAt", InstantPattern.ExtendedIso.Format(_clock.GetCurrentInstant())),
            ("sourceDate", FormatDate(source.SourceDate)),
            ("sourceFiles", JsonSerializer.Serialize([.. source.Files.Select(f => new JsonShapes.SourceFile(f.Path, f.Sha256, f.Bytes))], StoreJson.Default.SourceFileArray)),
            ("sha256", source.Sha256),
            ("basedOn", basedOn));
        return (versionId, versionNo);
    }

    private void FinishVersion(
        DbConnection connection, DbTransaction transaction, string listId, long versionId, int versionNo, int? previousVersion, LocalDate? sourceDate, string? note)
    {
        PlainCommand.Execute(connection,
            """
            UPDATE list_versions SET
                source_date = @sourceDate,
                note = @note,
                entity_count = (SELECT COUNT(*) FROM version_entities WHERE version_id = @versionId),
                name_count = (SELECT COALESCE(SUM(ed.name_count), 0) FROM version_entities ve
                              JOIN entity_data ed ON ed.content_hash = ve.content_hash WHERE ve.version_id = @versionId)
            WHERE version_id = @versionId
            """,
            transaction, ("versionId", versionId), ("sourceDate", FormatDate(sourceDate)), ("note", note));
        RecordActivation(connection, transaction, listId, versionNo, previousVersion, ListActivation.ImportKind, null);
        // The switch to the new version is the last write of the transaction.
        PlainCommand.Execute(connection, "UPDATE lists SET active_version = @versionId WHERE list_id = @listId", transaction, ("versionId", versionId), ("listId", listId));
    }

    private ListDiff Diff(DbConnection connection, string listId, int from, int to, bool withNames = false)
    {
        var fromId = VersionId(connection, null, listId, from);
        var toId = VersionId(connection, null, listId, to);
        var diff = Diff(connection, listId, from, fromId, to, toId);
        if (!withNames)
            return diff;
        var names = new Dictionary<EntityRef, string>();
        AddNames(connection, toId, diff.Added.Concat(diff.Changed), names);
        AddNames(connection, fromId, diff.Removed, names);
        return diff with { Names = names };
    }

    /// <summary>Adds the primary names of <paramref name="entries"/> as stored in the version <paramref name="versionId"/>.</summary>
    private static void AddNames(DbConnection connection, long versionId, IEnumerable<EntityRef> entries, Dictionary<EntityRef, string> names)
    {
        var wanted = entries.ToHashSet();
        if (wanted.Count == 0)
            return;
        using var command = connection.CreateCommand();
        command.CommandText =
            """
            SELECT ve.entity_list_id, ve.entity_id, ed.data FROM version_entities ve
            JOIN entity_data ed ON ed.content_hash = ve.content_hash WHERE ve.version_id = @versionId
            """;
        AddParameter(command, "@versionId", DbType.Int64).Value = versionId;
        using var reader = command.ExecuteReader();
        while (reader.Read())
        {
            var entry = new EntityRef(reader.GetString(0), reader.GetString(1));
            if (wanted.Contains(entry))
                names[entry] = EntityJson.Read((byte[])reader.GetValue(2), null).PrimaryName;
        }
    }

    private static ListDiff Diff(DbConnection connection, string listId, int from, long fromId, int to, long toId)
    {
        var added = PlainCommand.Query(connection,
            """
            SELECT b.entity_list_id, b.entity_id FROM version_entities b WHERE b.version_id = @toId AND NOT EXISTS
              (SELECT 1 FROM version_entities a WHERE a.version_id = @fromId AND a.entity_list_id = b.entity_list_id AND a.entity_id = b.entity_id)
            """, null, ReadRef, ("fromId", fromId), ("toId", toId));
        var removed = PlainCommand.Query(connection,
            """
            SELECT a.entity_list_id, a.entity_id FROM version_entities a WHERE a.version_id = @fromId AND NOT EXISTS
              (SELECT 1 FROM version_entities b WHERE b.version_id = @toId AND b.entity_list_id = a.entity_list_id AND b.entity_id = a.entity_id)
            """, null, ReadRef, ("fromId", fromId), ("toId", toId));
        var changed = PlainCommand.Query(connection,
            """
            SELECT b.entity_list_id, b.entity_id FROM version_entities b
            JOIN version_entities a ON a.version_id = @fromId AND a.entity_list_id = b.entity_list_id AND a.entity_id = b.entity_id
            WHERE b.version_id = @toId AND a.content_hash <> b.content_hash
            """, null, ReadRef, ("fromId", fromId), ("toId", toId));
        static (string List, string Id) ReadRef(DbDataReader reader) => (reader.GetString(0), reader.GetString(1));
        // Natural order: OFAC's numeric ids read 36, 173, 306 rather than 173, 306, 36.
        static EntityRef[] Refs(IEnumerable<(string List, string Id)> rows) => rows
            .OrderBy(r => r.List, StringComparer.Ordinal).ThenBy(r => r.Id.Length).ThenBy(r => r.Id, StringComparer.Ordinal)
            .Select(r => new EntityRef(r.List, r.Id)).ToArray();
        return new ListDiff(listId, from, to, Refs(added), Refs(removed), Refs(changed));
    }

    private long VersionId(DbConnection connection, DbTransaction? transaction, string listId, int versionNo) =>
        PlainCommand.NullableInt64(connection,
            "SELECT version_id FROM list_versions WHERE list_id = @listId AND version_no = @versionNo", transaction, ("listId", listId), ("versionNo", versionNo))
        ?? throw new ListStoreException($"list {listId} has no version {versionNo} in {_provider.Location}");

    /// <summary>The versions' columns in <see cref="ReadVersion"/>'s order.</summary>
    private const string VersionSelect =
        """
        SELECT list_id, version_no, format, imported_at, source_date, source_files, sha256, entity_count, name_count, note,
               (SELECT p.version_no FROM list_versions p WHERE p.version_id = list_versions.based_on) AS based_on
        FROM list_versions
        """;

    /// <summary>The lists with an active version, in list id order.</summary>
    private const string ActiveListsSelect = "SELECT list_id FROM lists WHERE active_version IS NOT NULL ORDER BY list_id";

    /// <summary>The version at <paramref name="reader"/>'s position, its columns those of <see cref="VersionSelect"/>.</summary>
    private static ListVersion ReadVersion(DbDataReader reader)
    {
        using var files = JsonDocument.Parse(reader.GetString(5));
        var sourceFiles = files.RootElement.EnumerateArray()
            .Select(f => new SourceFile(f.GetProperty("path").GetString()!, f.GetProperty("sha256").GetString()!, f.GetProperty("bytes").GetInt64()))
            .ToArray();
        return new ListVersion(reader.GetString(0), (int)reader.Int64(1), reader.GetString(2), InstantPattern.ExtendedIso.Parse(reader.GetString(3)).Value,
            ParseDate(reader.Text(4)), sourceFiles, reader.GetString(6), (int)reader.Int64(7), (int)reader.Int64(8), (int?)reader.NullableInt64(10), reader.Text(9));
    }

    private static ListVersion? ActiveVersion(DbConnection connection, DbTransaction? transaction, string listId) =>
        PlainCommand.First(connection,
            VersionSelect + " WHERE version_id = (SELECT active_version FROM lists WHERE list_id = @listId)", transaction, ReadVersion, ("listId", listId));

    private static string? FormatDate(LocalDate? date) => date is { } d ? LocalDatePattern.Iso.Format(d) : null;

    private static LocalDate? ParseDate(string? text) => text is null ? null : LocalDatePattern.Iso.Parse(text).Value;

    internal static DbParameter AddParameter(DbCommand command, string name, DbType type)
    {
        var parameter = command.CreateParameter();
        parameter.ParameterName = name;
        parameter.DbType = type;
        command.Parameters.Add(parameter);
        return parameter;
    }

    /// <summary>
    /// Writes a version's entities: with prepared, re-bound commands (two statements per entity), or, where the provider
    /// can batch statements (Npgsql), queued into batches of <see cref="BatchSize"/> entities, one round trip each, as a
    /// server spends most of a row-at-a-time import waiting for the network. <see cref="Flush"/> sends what is queued.
    /// </summary>
    private sealed class VersionWriter : IDisposable
    {
        private const int BatchSize = 500;
        private const string InsertDataSql =
            "INSERT INTO entity_data (content_hash, name_count, data) VALUES (@hash, @names, @data) ON CONFLICT (content_hash) DO NOTHING";
        private const string InsertMemberSql =
            "INSERT INTO version_entities (version_id, entity_list_id, entity_id, content_hash) VALUES (@version, @list, @id, @hash)";
        private const string UpsertMemberSql =
            """
            INSERT INTO version_entities (version_id, entity_list_id, entity_id, content_hash) VALUES (@version, @list, @id, @hash)
            ON CONFLICT (version_id, entity_list_id, entity_id) DO UPDATE SET content_hash = excluded.content_hash
            """;
        private const string DeleteMemberSql = "DELETE FROM version_entities WHERE version_id = @version AND entity_list_id = @list AND entity_id = @id";

        private readonly DbConnection _connection;
        private readonly DbTransaction _transaction;
        private readonly long _versionId;
        private readonly DbCommand? _insertData, _insertMember, _upsertMember, _deleteMember;
        private readonly DbParameter? _dataHash, _dataNames, _data, _memberList, _memberId, _memberHash, _upsertList, _upsertId, _upsertHash, _deleteList, _deleteId;
        private readonly ArrayBufferWriter<byte> _buffer = new(4096);
        private DbBatch? _batch;
        private int _batched;

        public VersionWriter(DbConnection connection, DbTransaction transaction, long versionId)
        {
            (_connection, _transaction, _versionId) = (connection, transaction, versionId);
            if (connection.CanCreateBatch)
                return;

            _insertData = Command(InsertDataSql);
            _dataHash = AddParameter(_insertData, "@hash", DbType.Binary);
            _dataNames = AddParameter(_insertData, "@names", DbType.Int32);
            _data = AddParameter(_insertData, "@data", DbType.Binary);

            _insertMember = Command(InsertMemberSql);
            AddParameter(_insertMember, "@version", DbType.Int64).Value = versionId;
            _memberList = AddParameter(_insertMember, "@list", DbType.String);
            _memberId = AddParameter(_insertMember, "@id", DbType.String);
            _memberHash = AddParameter(_insertMember, "@hash", DbType.Binary);

            _upsertMember = Command(UpsertMemberSql);
            AddParameter(_upsertMember, "@version", DbType.Int64).Value = versionId;
            _upsertList = AddParameter(_upsertMember, "@list", DbType.String);
            _upsertId = AddParameter(_upsertMember, "@id", DbType.String);
            _upsertHash = AddParameter(_upsertMember, "@hash", DbType.Binary);

            _deleteMember = Command(DeleteMemberSql);
            AddParameter(_deleteMember, "@version", DbType.Int64).Value = versionId;
            _deleteList = AddParameter(_deleteMember, "@list", DbType.String);
            _deleteId = AddParameter(_deleteMember, "@id", DbType.String);

            foreach (var command in new[] { _insertData, _insertMember, _upsertMember, _deleteMember })
                command.Prepare();
        }

        public void Insert(ListEntity entity) => Member(InsertMemberSql, _insertMember, _memberList, _memberId, _memberHash, entity.ListId, entity.EntityId, StoreData(entity));

        public void Upsert(ListEntity entity) => Member(UpsertMemberSql, _upsertMember, _upsertList, _upsertId, _upsertHash, entity.ListId, entity.EntityId, StoreData(entity));

        public void Remove(string listId, string entityId) => Member(DeleteMemberSql, _deleteMember, _deleteList, _deleteId, null, listId, entityId, null);

        /// <summary>Sends the queued statements (batch mode); a no-op for prepared commands, which run at once.</summary>
        public void Flush()
        {
            if (_batch is null)
                return;
            _batch.ExecuteNonQuery();
            _batch.Dispose();
            (_batch, _batched) = (null, 0);
        }

        private void Member(string sql, DbCommand? prepared, DbParameter? list, DbParameter? id, DbParameter? hash, string listId, string entityId, byte[]? contentHash)
        {
            if (prepared is null)
            {
                var command = Queue(sql);
                Add(command, "@version", DbType.Int64, _versionId);
                Add(command, "@list", DbType.String, listId);
                Add(command, "@id", DbType.String, entityId);
                if (contentHash is not null)
                    Add(command, "@hash", DbType.Binary, contentHash);
                if (++_batched == BatchSize)
                    Flush();
                return;
            }
            list!.Value = listId;
            id!.Value = entityId;
            if (hash is not null)
                hash.Value = contentHash;
            prepared.ExecuteNonQuery();
        }

        private byte[] StoreData(ListEntity entity)
        {
            var hash = EntityJson.Write(entity, _buffer);
            var names = 1 + entity.Aliases.Count;
            var data = _buffer.WrittenSpan.ToArray();
            if (_insertData is null)
            {
                var command = Queue(InsertDataSql);
                Add(command, "@hash", DbType.Binary, hash);
                Add(command, "@names", DbType.Int32, names);
                Add(command, "@data", DbType.Binary, data);
                return hash;
            }
            _dataHash!.Value = hash;
            _dataNames!.Value = names;
            _data!.Value = data;
            _insertData.ExecuteNonQuery();
            return hash;
        }

        private DbBatchCommand Queue(string sql)
        {
            if (_batch is null)
            {
                _batch = _connection.CreateBatch();
                _batch.Transaction = _transaction;
            }
            var command = _batch.CreateBatchCommand();
            command.CommandText = sql;
            _batch.BatchCommands.Add(command);
            return command;
        }

        private static void Add(DbBatchCommand command, string name, DbType type, object value)
        {
            var parameter = command.CreateParameter();
            parameter.ParameterName = name;
            parameter.DbType = type;
            parameter.Value = value;
            command.Parameters.Add(parameter);
        }

        private DbCommand Command(string sql)
        {
            var command = _connection.CreateCommand();
            command.Transaction = _transaction;
            command.CommandText = sql;
            return command;
        }

        public void Dispose()
        {
            _batch?.Dispose();
            _insertData?.Dispose();
            _insertMember?.Dispose();
            _upsertMember?.Dispose();
            _deleteMember?.Dispose();
        }
    }
}
