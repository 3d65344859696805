using System.Globalization;
using Clearance.Screening.Matching;
using Microsoft.Data.Sqlite;

namespace Clearance.Store;

/// <summary>
/// The screening index of the store's active lists, persisted as a snapshot file beside the database
/// (<c>clearance.db.screening-index</c>; for PostgreSQL beside <see cref="ListStore.LocalPath"/> in the user's data
/// directory), so that screening starts without rebuilding it. The snapshot is keyed by
/// the active list versions (<see cref="ListStore.ActiveVersionsKey"/>); a stale one (other versions, or written by
/// another build of the screening code) is rebuilt silently, a damaged one is rebuilt with a warning.
/// </summary>
/// <remarks>
/// Reading the key opens SQLite, which costs more than a third of a cold start. So a second file,
/// <c>clearance.db.screening-index.stamp</c>, records the key together with the length and modification time of the
/// database file and its write-ahead log at a moment when the key was read and nothing changed while it was read.
/// While both files still look exactly so, no commit has happened since and the recorded key is the current one.
/// Any difference, or any doubt, falls back to reading the key from the database. A PostgreSQL database has no files
/// to look at: its key is always read from the server.
/// </remarks>
public static class ScreeningIndexFile
{
    private const string StampHeader = "clearance-screening-index-stamp 1";

    /// <summary>The snapshot file of the database at <paramref name="databasePath"/>.</summary>
    /// <param name="databasePath">The database file.</param>
    public static string SnapshotPath(string databasePath) => databasePath + ".screening-index";

    /// <summary>The snapshot file of the store's database.</summary>
    /// <param name="store">The list store.</param>
    public static string SnapshotPath(ListStore store)
    {
        ArgumentNullException.ThrowIfNull(store);
        return SnapshotPath(store.LocalPath);
    }

    /// <summary>
    /// The index of the active lists of the database at <paramref name="databasePath"/> (a SQLite file, or a PostgreSQL
    /// location as <see cref="DatabaseLocation.Resolve"/> gives it): loaded from the snapshot when it is current, else
    /// built from the store and written (atomically: to a temporary file renamed over the old one).
    /// Null when the database file does not exist or no list is active.
    /// </summary>
    /// <param name="databasePath">The database file or PostgreSQL location.</param>
    /// <param name="warn">Receives warnings: a damaged snapshot, a snapshot that could not be written.</param>
    public static ScreeningIndex? Open(string databasePath, Action<string> warn) => Open(databasePath, warn, recordStamp: true);

    /// <summary>
    /// As <see cref="Open(string, Action{string})"/>, for a process that writes the database itself right after (a
    /// submit): when the stamp does not match, the key is read from the database and the snapshot loaded (or built and
    /// written) as there, but no new stamp is recorded. The process's own first commit would make it stale at once, and
    /// recording it cost two clearings of the connection pools (the writer's idle connection closed, so the log was
    /// checkpointed into the database, synced and deleted, and made again with its folder synced at the next commit)
    /// and a stamp file written and synced. The stamp still only ever vouches for a key read with nothing moving.
    /// </summary>
    /// <param name="databasePath">The database file or PostgreSQL location.</param>
    /// <param name="warn">Receives warnings: a damaged snapshot, a snapshot that could not be written.</param>
    public static ScreeningIndex? OpenBeforeWriting(string databasePath, Action<string> warn) => Open(databasePath, warn, recordStamp: false);

    private static ScreeningIndex? Open(string databasePath, Action<string> warn, bool recordStamp)
    {
        ArgumentNullException.ThrowIfNull(databasePath);
        ArgumentNullException.ThrowIfNull(warn);
        if (DatabaseLocation.IsPostgres(databasePath))
        {
            return Open(ListStore.OpenForReading(databasePath), warn); // screening only reads: a read-only session will do
        }

        if (!File.Exists(databasePath))
        {
            return null;
        }

        // A damaged snapshot is reported once, by the path through the database below.
        string snapshotPath = SnapshotPath(databasePath);
        if (ReadStamp(databasePath) is { } stamped && TryLoad(snapshotPath, stamped, _ => { }) is { } fast)
        {
            return fast;
        }

        // Screening only reads: a database without write access is opened read-only, and a snapshot that cannot be
        // written is a warning (the index is built from the database each time).
        var store = ListStore.OpenForReading(databasePath);
        if (recordStamp)
        {
            return Open(store, warn);
        }

        string key = store.ActiveVersionsKey();
        return key.Length == 0 ? null : LoadOrBuild(store, key, warn, out _);
    }

    /// <summary>
    /// The index of the store's active lists, from the snapshot when it is current, else built and written. Null when no
    /// list is active.
    /// </summary>
    /// <param name="store">The list store.</param>
    /// <param name="warn">Receives warnings.</param>
    public static ScreeningIndex? Open(ListStore store, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(store);
        ArgumentNullException.ThrowIfNull(warn);
        SqliteConnection.ClearAllPools();
        string? before = store.IsSqliteFile ? DatabaseStamp(store.LocalPath) : null;
        string key = store.ActiveVersionsKey();
        if (key.Length == 0)
        {
            return null;
        }

        string snapshotPath = SnapshotPath(store);
        ScreeningIndex index = LoadOrBuild(store, key, warn, out bool snapshotCurrent);
        if (!snapshotCurrent)
        {
            return index;
        }

        // Closing the pooled connections may checkpoint the log (another program's connections; ours leave it since
        // SqliteProvider stopped the checkpoint at close); a stamp is recorded only when nothing moved meanwhile.
        SqliteConnection.ClearAllPools();
        if (before is not null && before == DatabaseStamp(store.LocalPath))
        {
            Write(snapshotPath + ".stamp", stream =>
            {
                using var writer = new StreamWriter(stream, new System.Text.UTF8Encoding(false), 4096, leaveOpen: true);
                writer.Write($"{StampHeader}\n{before}\n{key}");
            }, warn);
        }

        return index;
    }

    /// <summary>
    /// The index of the active versions <paramref name="key"/> names: the snapshot when it holds them, else built from the
    /// store and written. <paramref name="snapshotCurrent"/>: false when the snapshot could not be written (a warning).
    /// </summary>
    private static ScreeningIndex LoadOrBuild(ListStore store, string key, Action<string> warn, out bool snapshotCurrent)
    {
        string snapshotPath = SnapshotPath(store);
        snapshotCurrent = true;
        if (TryLoad(snapshotPath, key, warn) is { } loaded)
        {
            return loaded;
        }

        // The index names the list versions it holds (ScreeningIndex.ScreenedAgainst), kept in the snapshot too.
        var index = ScreeningIndex.Build(
            store.LoadActiveEntities(), [.. store.Status().Select(s => new ScreenedList(s.Active.ListId, s.Active.VersionNo, s.Active.SourceDate))]);
        snapshotCurrent = Write(snapshotPath, stream => index.Save(stream, key), warn);
        return index;
    }

    /// <summary>
    /// Brings the snapshot up to date after an import: rebuilds and writes it unless it is already current, or deletes it
    /// when no list is active. Returns the index, or null when no list is active.
    /// </summary>
    /// <param name="store">The list store.</param>
    /// <param name="warn">Receives warnings.</param>
    public static ScreeningIndex? Refresh(ListStore store, Action<string> warn)
    {
        ArgumentNullException.ThrowIfNull(store);
        DeleteStaleTemporaryFiles(SnapshotPath(store), warn);
        ScreeningIndex? index = Open(store, warn);
        if (index is null)
        {
            // File.Delete throws when the folder is missing (a PostgreSQL store's folder before its first snapshot).
            foreach (string path in new[] { SnapshotPath(store), SnapshotPath(store) + ".stamp" })
            {
                if (File.Exists(path))
                {
                    File.Delete(path);
                }
            }
        }

        return index;
    }

    /// <summary>
    /// The length, modification time and header of the database file and of its write-ahead log; null when unknown.
    /// The headers matter because modification times are coarse (milliseconds): SQLite's file change counter and the
    /// log's salts change whenever the log is restarted, which can leave its length unchanged.
    /// </summary>
    private static string? DatabaseStamp(string databasePath)
    {
        try
        {
            var database = new FileInfo(databasePath);
            var log = new FileInfo(databasePath + "-wal");
            if (!database.Exists)
            {
                return null;
            }

            return string.Create(CultureInfo.InvariantCulture,
                $"{database.Length} {database.LastWriteTimeUtc.Ticks} {Header(database, 100)} wal {(log.Exists ? $"{log.Length} {log.LastWriteTimeUtc.Ticks} {Header(log, 32)}" : "-")}");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        static string Header(FileInfo file, int length)
        {
            using var stream = new FileStream(file.FullName, FileMode.Open, FileAccess.Read, FileShare.ReadWrite | FileShare.Delete, 1);
            Span<byte> header = stackalloc byte[length];
            int read = stream.ReadAtLeast(header, length, throwOnEndOfStream: false);
            return Convert.ToHexString(header[..read]);
        }
    }

    /// <summary>The key recorded in the stamp file, when the database files still look as the stamp says.</summary>
    private static string? ReadStamp(string databasePath)
    {
        string text;
        try
        {
            text = File.ReadAllText(SnapshotPath(databasePath) + ".stamp");
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            return null;
        }

        string[] parts = text.Split('\n', 3);
        return parts.Length == 3 && parts[0] == StampHeader && parts[2].Length > 0 && parts[1] == DatabaseStamp(databasePath) ? parts[2] : null;
    }

    private static ScreeningIndex? TryLoad(string path, string key, Action<string> warn)
    {
        try
        {
            return ScreeningIndex.LoadFile(path, key);
        }
        catch (Exception e) when (e is FileNotFoundException or DirectoryNotFoundException)
        {
            return null;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"cannot read the screening index {path} ({e.Message}); rebuilding it from the database");
            return null;
        }
        catch (InvalidDataException e)
        {
            warn($"{path}: {e.Message}; rebuilding it from the database");
            return null;
        }
    }

    /// <summary>
    /// Deletes the temporary files of <see cref="Write"/> beside <paramref name="snapshotPath"/> (its own and the stamp's)
    /// whose writing process is no longer running: a process killed while writing never renames or deletes its file, and
    /// each such file is as large as the index. A running process's file is left alone, as it may be about to rename it.
    /// </summary>
    private static void DeleteStaleTemporaryFiles(string snapshotPath, Action<string> warn)
    {
        var directory = Path.GetDirectoryName(Path.GetFullPath(snapshotPath))!;
        if (!Directory.Exists(directory))
        {
            return;
        }

        foreach (string file in Directory.EnumerateFiles(directory, Path.GetFileName(snapshotPath) + ".*.tmp"))
        {
            // {snapshot}[.stamp].{process id}.{guid}.tmp
            string[] parts = Path.GetFileName(file).Split('.');
            if (parts.Length < 4 || !int.TryParse(parts[^3], NumberStyles.None, CultureInfo.InvariantCulture, out int processId) || IsRunning(processId))
            {
                continue;
            }

            try
            {
                File.Delete(file);
            }
            catch (Exception e) when (e is IOException or UnauthorizedAccessException)
            {
                warn($"cannot delete the stale temporary file {file} ({e.Message})");
            }
        }
    }

    private static bool IsRunning(int processId)
    {
        try
        {
            using var process = System.Diagnostics.Process.GetProcessById(processId);
            return !process.HasExited;
        }
        catch (ArgumentException)
        {
            return false; // no such process
        }
        catch (InvalidOperationException)
        {
            return false;
        }
    }

    /// <summary>
    /// Test hook: wraps the stream of each temporary file this flow writes (e.g. in one that fails as a full disk does),
    /// for the current async flow only, so parallel tests are not affected. Null: the file is written directly.
    /// </summary>
    internal static readonly AsyncLocal<Func<Stream, Stream>?> WriteThrough = new();

    /// <summary>
    /// Writes a file atomically: to a temporary file beside it, renamed over it when complete. A failure (a full disk, no
    /// write access) is a warning and leaves any previous file as it was; the temporary file is deleted.
    /// </summary>
    private static bool Write(string path, Action<Stream> write, Action<string> warn)
    {
        string temporary = $"{path}.{Environment.ProcessId}.{Guid.NewGuid():N}.tmp";
        try
        {
            Directory.CreateDirectory(Path.GetDirectoryName(Path.GetFullPath(path))!);
            using (var file = new FileStream(temporary, FileMode.CreateNew, FileAccess.Write, FileShare.None, 1 << 16))
            using (Stream target = WriteThrough.Value?.Invoke(file) ?? file)
            {
                write(target);
                target.Flush();
                file.Flush(flushToDisk: true);
            }

            File.Move(temporary, path, overwrite: true);
            return true;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            warn($"cannot write {path} ({e.Message}); screening will rebuild the index on each start");
            try
            {
                File.Delete(temporary);
            }
            catch (Exception deleting) when (deleting is IOException or UnauthorizedAccessException)
            {
                // A missing folder, or no right to delete: there is no temporary file, or the next import removes it.
            }

            return false;
        }
    }
}
