namespace Clearance.Cli.Check;

/// <summary>Opens end-user screening over the lists in the local database.</summary>
internal static class EndUserScreeningFactory
{
    /// <summary>Until lists are imported into the database, every given end user is "not screened".</summary>
    public static EndUserScreening Open(string? databasePath)
    {
        _ = databasePath;
        return EndUserScreening.None;
    }
}
