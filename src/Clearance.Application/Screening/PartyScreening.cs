using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>Screens many parties (<c>clearance screen --input</c>) and writes their matches as JSON Lines, in input order.</summary>
public static class PartyScreening
{
    private const int BlockSize = 2048;

    /// <summary>Screens every party; one line per party, <c>{"id", "matches"}</c>.</summary>
    public static void ScreenAll(ScreeningIndex index, IReadOnlyList<PartyRecord> parties, double? threshold, int limit, TextWriter output)
    {
        ArgumentNullException.ThrowIfNull(index);
        ArgumentNullException.ThrowIfNull(parties);
        ArgumentNullException.ThrowIfNull(output);
        // Blocks are screened on every core; each block is written in input order before the next one starts.
        var lines = new string[Math.Min(BlockSize, parties.Count)];
        for (int start = 0; start < parties.Count; start += BlockSize)
        {
            int count = Math.Min(BlockSize, parties.Count - start);
            Parallel.For(0, count, i =>
            {
                PartyRecord party = parties[start + i];
                var query = new ScreeningQuery(party.Name, party.Country, party.Kind, party.BirthDate, threshold, limit);
                lines[i] = MatchJson.Line("id", party.Id, index.Screen(query));
            });
            for (int i = 0; i < count; i++)
            {
                output.Write(lines[i]);
            }
        }
    }
}
