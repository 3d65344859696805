using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>
/// The known name nearest to a misspelt one, for error messages that say "did you mean ...?": an unknown JSON field or
/// CSV column, licence id or country name. Compared ignoring case, by edit distance (a transposition counts one), within
/// a third of the name's length; a known name that begins with the given one (or the reverse) counts as near too.
/// </summary>
public static class NearestName
{
    /// <summary>The nearest of <paramref name="known"/> to <paramref name="given"/>, or null when none is near enough.</summary>
    /// <param name="given">The name as typed.</param>
    /// <param name="known">The names that exist.</param>
    public static string? Find(string given, IEnumerable<string> known)
    {
        ArgumentNullException.ThrowIfNull(given);
        ArgumentNullException.ThrowIfNull(known);
        var probe = given.Trim().ToLowerInvariant();
        if (probe.Length == 0)
        {
            return null;
        }

        var limit = Math.Max(1, Math.Min(3, probe.Length / 3));
        string? best = null;
        var bestDistance = int.MaxValue;
        foreach (var name in known)
        {
            var candidate = name.ToLowerInvariant();
            var distance = StringSimilarity.BoundedEditDistance(probe, candidate, limit);
            if (distance > limit && Math.Min(probe.Length, candidate.Length) >= 4
                && (candidate.StartsWith(probe, StringComparison.Ordinal) || probe.StartsWith(candidate, StringComparison.Ordinal)))
            {
                distance = limit; // "consign" for "consignee", "end_user_name" for "end_user"
            }

            // On a tie, a name the given one is a subsequence of wins: a letter left out is the commonest slip
            // ("end_usr" is end_user, not end_use).
            if (distance <= limit && (distance < bestDistance || (distance == bestDistance && IsSubsequence(probe, candidate) && !IsSubsequence(probe, best!.ToLowerInvariant()))))
            {
                best = name;
                bestDistance = distance;
            }
        }

        return best;
    }

    private static bool IsSubsequence(string part, string whole)
    {
        var i = 0;
        foreach (var c in whole)
        {
            if (i < part.Length && part[i] == c)
            {
                i++;
            }
        }

        return i == part.Length;
    }

    /// <summary><c>: did you mean 'x'?</c> when a known name is near, else the empty string: appended to an error message.</summary>
    /// <param name="given">The name as typed.</param>
    /// <param name="known">The names that exist.</param>
    public static string DidYouMean(string given, IEnumerable<string> known) =>
        Find(given, known) is { } near ? $": did you mean '{near}'?" : "";
}
