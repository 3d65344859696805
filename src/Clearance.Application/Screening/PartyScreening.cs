using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>The screening of one input line: its matches, or the error that kept it from being screened.</summary>
/// <param name="Line">The line number in the input.</param>
/// <param name="Id">The party's id (null for a line in error whose id could not be read).</param>
/// <param name="Party">The party screened; null when <paramref name="Error"/> is set.</param>
/// <param name="Matches">The matches returned, best first (at most the limit).</param>
/// <param name="Total">The number of entries at or above the threshold, before the limit.</param>
/// <param name="Error">Why the line was not screened.</param>
public sealed record PartyResult(long Line, string? Id, PartyRecord? Party, IReadOnlyList<ScreeningMatch> Matches, int Total, LineError? Error)
{
    /// <summary>Whether the party matched at least one entry at or above the threshold.</summary>
    public bool IsHit => Total > 0;
}

/// <summary>What a batch screening did: the parties screened, those with a hit, the lines in error.</summary>
/// <param name="Screened">Parties screened.</param>
/// <param name="Hits">Parties with at least one match.</param>
/// <param name="Errors">Lines that could not be screened (each has an error record).</param>
public sealed record ScreeningSummary(int Screened, int Hits, int Errors);

/// <summary>
/// Screens many parties (<c>clearance screen --input</c>) in blocks on every core and hands each result on in input
/// order, with its output form computed on the screening thread.
/// </summary>
public static class PartyScreening
{
    private const int BlockSize = 2048;

    /// <summary>
    /// Screens every party of <paramref name="lines"/> (read lazily, a block at a time) and returns
    /// <paramref name="format"/> of each result, in input order, with whether it was a hit or a line in error (which
    /// passes through with its error). Only what <paramref name="format"/> returns is kept until the block is handed on:
    /// a JSON line, not the matches with their explanations.
    /// </summary>
    /// <typeparam name="T">The output form of a result (a JSON line, CSV rows, the result itself for a table).</typeparam>
    /// <param name="index">The lists.</param>
    /// <param name="lines">The input records.</param>
    /// <param name="threshold">Least score reported; null for the default.</param>
    /// <param name="limit">Most matches per party.</param>
    /// <param name="format">The output form of a result, computed in parallel.</param>
    public static IEnumerable<(bool IsHit, bool IsError, T Output)> ScreenAll<T>(
        ScreeningIndex index, IEnumerable<InputLine<PartyRecord>> lines, double? threshold, int limit, Func<PartyResult, T> format)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentNullException.ThrowIfNull(format);
        var block = new List<InputLine<PartyRecord>>(BlockSize);
        var results = new (bool, bool, T)[BlockSize];
        using IEnumerator<InputLine<PartyRecord>> input = lines.GetEnumerator();
        bool more = true;
        while (more)
        {
            block.Clear();
            while (block.Count < BlockSize && (more = input.MoveNext()))
            {
                block.Add(input.Current);
            }

            // Each block is screened on every core and handed on in input order before the next one is read.
            Parallel.For(0, block.Count, i =>
            {
                PartyResult result = Screen(index, block[i], threshold, limit);
                results[i] = (result.IsHit, result.Error is not null, format(result));
            });
            for (int i = 0; i < block.Count; i++)
            {
                yield return results[i];
                results[i] = default;
            }
        }
    }

    /// <summary>Screens one input line (a line in error is returned as it is, unscreened).</summary>
    public static PartyResult Screen(ScreeningIndex index, InputLine<PartyRecord> line, double? threshold, int limit)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(line);
        if (line.Record is not { } party)
        {
            return new PartyResult(line.Line, line.Id, null, [], 0, line.Error);
        }

        var query = new ScreeningQuery(party.Name, party.Country, party.Kind, party.BirthDate, threshold, limit);
        IReadOnlyList<ScreeningMatch> matches = index.Screen(query, out int total);
        return new PartyResult(line.Line, party.Id, party, matches, total, null);
    }

    /// <summary>The JSON line of a result (UTF-8, with its line break): its matches, or its error record.</summary>
    /// <param name="result">The result.</param>
    /// <param name="screenedAgainst">The lists screened against, from <see cref="MatchJson.ScreenedAgainstArray"/>.</param>
    public static byte[] JsonLine(PartyResult result, byte[] screenedAgainst)
    {
        ArgumentNullException.ThrowIfNull(result);
        return result.Error is { } error
            ? MatchJson.ErrorLineUtf8(result.Id, result.Line, error)
            : MatchJson.LineUtf8("id", result.Id!, result.Matches, result.Total, screenedAgainst);
    }
}
