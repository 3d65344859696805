namespace Clearance.Screening.Matching;

/// <summary>
/// Scores two names given as written, as <c>clearance screen pairs</c> and the pair evaluation compare them: each name
/// as <see cref="NameNormalizer.Normalize"/> reads it and in its other readings (<see cref="NameNormalizer.Readings"/>:
/// Han characters read in Korean, Mandarin and Japanese, kana spelled as Japanese spells foreign names), the best score.
/// The screening index does the same for a query (<see cref="ScreeningIndex.Screen(ScreeningQuery)"/>).
/// </summary>
public static class PairScorer
{
    /// <summary>The best score of the first name (the query) against the second (the list name) over their readings, with role weights only.</summary>
    /// <param name="name1">The query name as written.</param>
    /// <param name="name2">The list name as written.</param>
    public static double Score(string name1, string name2)
    {
        NormalizedName query = NameNormalizer.Normalize(name1);
        NormalizedName listed = NameNormalizer.Normalize(name2);
        double best = NameScorer.Score(query, listed);
        foreach (NormalizedName reading in NameNormalizer.Readings(name1))
        {
            best = Math.Max(best, NameScorer.Score(reading, listed));
        }

        foreach (NormalizedName reading in NameNormalizer.Readings(name2))
        {
            best = Math.Max(best, NameScorer.Score(query, reading));
        }

        return best;
    }
}
