using System.Text.RegularExpressions;

namespace Clearance.Store;

/// <summary>
/// Where the list database is: --db, else $CLEARANCE_DB, else clearance.db in the user's data directory. A location is a
/// SQLite file path, or a PostgreSQL connection string (<c>Host=...;Database=...</c>) or URI (<c>postgres://...</c>).
/// </summary>
public static partial class DatabaseLocation
{
    /// <summary>The environment variable that names the database (file or PostgreSQL connection string).</summary>
    public const string EnvironmentVariable = "CLEARANCE_DB";

    /// <summary>
    /// The database location: <paramref name="explicitLocation"/> when given, else $CLEARANCE_DB, else
    /// $XDG_DATA_HOME/clearance/clearance.db (~/.local/share/clearance/clearance.db; %LOCALAPPDATA%\clearance on Windows).
    /// A PostgreSQL location is returned as given; a file path is made absolute and the directory that will hold it is created.
    /// </summary>
    public static string Resolve(string? explicitLocation)
    {
        var location = !string.IsNullOrWhiteSpace(explicitLocation) ? explicitLocation
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Path.Combine(DataDirectory(), "clearance", "clearance.db");
        if (IsPostgres(location))
            return location.Trim();
        var full = Path.GetFullPath(location);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    /// <summary>
    /// True when <paramref name="location"/> names a PostgreSQL database: a postgres:// or postgresql:// URI, or a
    /// connection string with a Host (or Server) key. Anything else is a SQLite file path.
    /// </summary>
    public static bool IsPostgres(string location) => IsPostgresUri(location) || HostKey().IsMatch(location);

    /// <summary>
    /// What a database error that a user can meet in any command that writes means, in the user's terms, or null for any
    /// other error: SQLite's read-only file or directory, full disk, disk I/O error, damaged file, busy or locked database,
    /// a file that is not a database (<see cref="SqliteProvider.Describe"/>); PostgreSQL's read-only session, missing
    /// write grants, full disk (<see cref="NpgsqlProvider.Describe"/>). The stores that turn such errors into a
    /// <see cref="ListStoreException"/> themselves (lists) need not go through it; the workflow stores' writes (licences,
    /// shipments, decisions) surface them as they are, and a front end says them with this.
    /// </summary>
    /// <param name="location">The database, as <see cref="Resolve"/> gives it.</param>
    /// <param name="error">The error, or an exception holding it.</param>
    public static string? DescribeFailure(string location, Exception error)
    {
        for (var e = error; e is not null; e = e.InnerException)
        {
            switch (e)
            {
                case Microsoft.Data.Sqlite.SqliteException { SqliteErrorCode: 5 or 6 or 8 or 10 or 11 or 13 or 14 or 26 } sqlite when !IsPostgres(location):
                    return SqliteProvider.Describe(location, sqlite);
                case Npgsql.PostgresException postgres when IsPostgres(location):
                    return NpgsqlProvider.Describe(Describe(location), postgres);
            }
        }

        return null;
    }

    /// <summary>The provider for a location as <see cref="Resolve"/> gives it: PostgreSQL for a connection string, SQLite for a path.</summary>
    public static IDbProvider Provider(string location) => IsPostgres(location) ? new NpgsqlProvider(location) : new SqliteProvider(location);

    /// <summary>The location for messages: a file path as is, a PostgreSQL database as postgresql://user@host:port/db (no password).</summary>
    /// <exception cref="ArgumentException">A malformed PostgreSQL connection string or URI.</exception>
    public static string Describe(string location) => IsPostgres(location) ? new NpgsqlProvider(location).Location : location;

    internal static bool IsPostgresUri(string location) =>
        location.TrimStart().StartsWith("postgres://", StringComparison.OrdinalIgnoreCase)
        || location.TrimStart().StartsWith("postgresql://", StringComparison.OrdinalIgnoreCase);

    [GeneratedRegex(@"(^|;)\s*(host|server)\s*=", RegexOptions.IgnoreCase | RegexOptions.CultureInvariant)]
    private static partial Regex HostKey();

    /// <summary>The user's data directory: $XDG_DATA_HOME, else the platform's local application data folder.</summary>
    public static string DataDirectory()
    {
        if (Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg)
            return xdg;
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (local.Length > 0)
            return local;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
    }
}
