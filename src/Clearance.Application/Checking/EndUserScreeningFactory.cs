using Clearance.Screening.Matching;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>Opens end-user screening over the lists imported into the local database.</summary>
public static class EndUserScreeningFactory
{
    /// <summary>
    /// End-user screening over the database's active lists, through the persisted screening index. Nothing is opened
    /// until the first end user; with no database or no lists, every given end user is "not screened" and
    /// determinations that depend on it say so.
    /// </summary>
    public static EndUserScreening Open(string? databasePath, TextWriter warnings) =>
        OpenLazily(databasePath, warnings, ScreeningIndexFile.Open);

    /// <summary>
    /// As <see cref="Open"/>, for a command that writes the same database itself (a submit, a recheck): the index's stamp is not
    /// recorded, which that command's own first commit would make stale at once (<see cref="ScreeningIndexFile.OpenBeforeWriting"/>).
    /// </summary>
    public static EndUserScreening OpenBeforeWriting(string? databasePath, TextWriter warnings) =>
        OpenLazily(databasePath, warnings, ScreeningIndexFile.OpenBeforeWriting);

    private static EndUserScreening OpenLazily(string? databasePath, TextWriter warnings, Func<string, Action<string>, ScreeningIndex?> open) =>
        new(new Lazy<ScreeningIndex?>(() =>
        {
            var path = DatabaseLocation.Resolve(databasePath);
            try
            {
                return open(path, warning => warnings.WriteLine("warning: " + warning));
            }
            catch (ListStoreException e)
            {
                // The batch goes on: end users are "not screened", so every determination that depends on the
                // end-user list is indeterminate and says why, rather than passing silently or stopping half-way.
                warnings.WriteLine($"warning: end users not screened: {e.Message}");
                return null;
            }
        }));
}
