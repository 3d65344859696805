namespace Clearance.Screening.Matching;

/// <summary>
/// Character-level similarity measures used by the name scorer. All work on spans and allocate nothing
/// for names of ordinary length (stack buffers up to 64 characters).
/// </summary>
public static class StringSimilarity
{
    private const int StackLimit = 64;

    /// <summary>
    /// Jaro-Winkler similarity in [0, 1]: the Jaro similarity boosted for a common prefix of up to
    /// <paramref name="prefixSize"/> characters when Jaro exceeds <paramref name="boostThreshold"/>
    /// (Winkler's 0.7 and 4, scaling 0.1).
    /// </summary>
    /// <param name="a">First string.</param>
    /// <param name="b">Second string.</param>
    /// <param name="boostThreshold">Jaro similarity above which the prefix boost applies.</param>
    /// <param name="prefixSize">Longest common prefix that is rewarded.</param>
    public static double JaroWinkler(ReadOnlySpan<char> a, ReadOnlySpan<char> b, double boostThreshold = 0.7, int prefixSize = 4)
    {
        double jaro = Jaro(a, b);
        if (jaro <= boostThreshold)
        {
            return jaro;
        }

        int limit = Math.Min(prefixSize, Math.Min(a.Length, b.Length));
        int prefix = 0;
        while (prefix < limit && a[prefix] == b[prefix])
        {
            prefix++;
        }

        return jaro + (0.1 * prefix * (1.0 - jaro));
    }

    /// <summary>The Jaro similarity in [0, 1]; 0 when either string is empty.</summary>
    /// <param name="a">First string.</param>
    /// <param name="b">Second string.</param>
    public static double Jaro(ReadOnlySpan<char> a, ReadOnlySpan<char> b)
    {
        if (a.Length == 0 || b.Length == 0)
        {
            return 0.0;
        }

        if (a.SequenceEqual(b))
        {
            return 1.0;
        }

        int window = Math.Max(0, (Math.Max(a.Length, b.Length) / 2) - 1);
        Span<bool> aMatched = a.Length <= StackLimit ? stackalloc bool[a.Length] : new bool[a.Length];
        Span<bool> bMatched = b.Length <= StackLimit ? stackalloc bool[b.Length] : new bool[b.Length];
        aMatched.Clear();
        bMatched.Clear();

        int matches = 0;
        for (int i = 0; i < a.Length; i++)
        {
            int start = Math.Max(0, i - window);
            int end = Math.Min(b.Length - 1, i + window);
            for (int j = start; j <= end; j++)
            {
                if (!bMatched[j] && a[i] == b[j])
                {
                    aMatched[i] = true;
                    bMatched[j] = true;
                    matches++;
                    break;
                }
            }
        }

        if (matches == 0)
        {
            return 0.0;
        }

        int transpositions = 0;
        int k = 0;
        for (int i = 0; i < a.Length; i++)
        {
            if (!aMatched[i])
            {
                continue;
            }

            while (!bMatched[k])
            {
                k++;
            }

            if (a[i] != b[k])
            {
                transpositions++;
            }

            k++;
        }

        double m = matches;
        return ((m / a.Length) + (m / b.Length) + ((m - (transpositions / 2.0)) / m)) / 3.0;
    }

    /// <summary>
    /// Optimal-string-alignment distance (Levenshtein plus adjacent transposition) if it is at most
    /// <paramref name="maxDistance"/>, otherwise <paramref name="maxDistance"/> + 1. Banded, so the cost is
    /// proportional to length × (2·maxDistance + 1).
    /// </summary>
    /// <param name="a">First string.</param>
    /// <param name="b">Second string.</param>
    /// <param name="maxDistance">Largest distance of interest.</param>
    public static int BoundedEditDistance(ReadOnlySpan<char> a, ReadOnlySpan<char> b, int maxDistance)
    {
        if (Math.Abs(a.Length - b.Length) > maxDistance)
        {
            return maxDistance + 1;
        }

        if (a.Length == 0 || b.Length == 0)
        {
            return Math.Max(a.Length, b.Length);
        }

        int width = b.Length + 1;
        int cells = 3 * width;
        Span<int> rows = cells <= 3 * (StackLimit + 1) ? stackalloc int[cells] : new int[cells];
        Span<int> previous2 = rows[..width];
        Span<int> previous = rows.Slice(width, width);
        Span<int> current = rows.Slice(2 * width, width);
        int big = maxDistance + 1;
        for (int j = 0; j < width; j++)
        {
            previous[j] = j <= maxDistance ? j : big;
        }

        for (int i = 1; i <= a.Length; i++)
        {
            int from = Math.Max(1, i - maxDistance);
            int to = Math.Min(b.Length, i + maxDistance);
            current.Fill(big);
            current[0] = i <= maxDistance ? i : big;
            int rowMin = current[0];
            for (int j = from; j <= to; j++)
            {
                int cost = a[i - 1] == b[j - 1] ? 0 : 1;
                int value = Math.Min(Math.Min(previous[j] + 1, current[j - 1] + 1), previous[j - 1] + cost);
                if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1])
                {
                    value = Math.Min(value, previous2[j - 2] + 1);
                }

                current[j] = Math.Min(value, big);
                rowMin = Math.Min(rowMin, current[j]);
            }

            if (rowMin > maxDistance)
            {
                return big;
            }

            Span<int> recycled = previous2;
            previous2 = previous;
            previous = current;
            current = recycled;
        }

        return Math.Min(previous[b.Length], big);
    }
}
