namespace Clearance.Store;

/// <summary>Where the local database lives: --db PATH, else $CLEARANCE_DB, else clearance.db in the user's data directory.</summary>
public static class DatabaseLocation
{
    /// <summary>The environment variable that names the database file.</summary>
    public const string EnvironmentVariable = "CLEARANCE_DB";

    /// <summary>
    /// The database file path: <paramref name="explicitPath"/> when given, else $CLEARANCE_DB, else
    /// $XDG_DATA_HOME/clearance/clearance.db (~/.local/share/clearance/clearance.db; %LOCALAPPDATA%\clearance on Windows).
    /// Creates the directory that will hold it.
    /// </summary>
    public static string Resolve(string? explicitPath)
    {
        var path = !string.IsNullOrWhiteSpace(explicitPath) ? explicitPath
            : Environment.GetEnvironmentVariable(EnvironmentVariable) is { Length: > 0 } fromEnvironment ? fromEnvironment
            : Path.Combine(DataDirectory(), "clearance", "clearance.db");
        var full = Path.GetFullPath(path);
        Directory.CreateDirectory(Path.GetDirectoryName(full)!);
        return full;
    }

    private static string DataDirectory()
    {
        if (Environment.GetEnvironmentVariable("XDG_DATA_HOME") is { Length: > 0 } xdg)
            return xdg;
        var local = Environment.GetFolderPath(Environment.SpecialFolder.LocalApplicationData);
        if (local.Length > 0)
            return local;
        return Path.Combine(Environment.GetFolderPath(Environment.SpecialFolder.UserProfile), ".local", "share");
    }
}
