using System.Globalization;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class StringSimilarityTests
{
    [Theory]
    [InlineData("martha", "marhta", 0.961)]
    [InlineData("dixon", "dicksonx", 0.813)]
    [InlineData("dwayne", "duane", 0.840)]
    [InlineData("elvin", "elvis", 0.920)]
    [InlineData("abc", "abc", 1.0)]
    [InlineData("abc", "xyz", 0.0)]
    [InlineData("", "hello", 0.0)]
    public void JaroWinkler_KnownPairs(string a, string b, double expected) =>
        Assert.Equal(expected, StringSimilarity.JaroWinkler(a, b), 3);

    /// <summary>
    /// The dev-eval expectations are moov-io/watchman's BestPairsJaroWinkler, which is plain Jaro-Winkler
    /// for one token against one token of the same first letter and nearly the same length (no length or
    /// first-letter penalty). Every row of that shape must agree within watchman's own tolerance, 0.01.
    /// </summary>
    [Fact]
    public void JaroWinkler_AgreesWithDevEvalExpectationsForSingleTokens()
    {
        string path = SharedLists.Path("dev-eval", "jaro_winkler_test_pairs.csv");
        int compared = 0;
        foreach (string line in File.ReadLines(path).Skip(1))
        {
            string[] f = SharedLists.SplitCsv(line);
            if (f.Length < 4 || f[3] != "exact" || !f[4].StartsWith("TestJaroWinkler(", StringComparison.Ordinal))
            {
                continue;
            }

            string indexed = f[0], search = f[1];
            bool singleAsciiTokens = indexed.Length > 0 && search.Length > 0
                && indexed.All(char.IsAscii) && search.All(char.IsAscii)
                && !indexed.Contains(' ', StringComparison.Ordinal) && !search.Contains(' ', StringComparison.Ordinal);
            if (!singleAsciiTokens || indexed[0] != search[0]
                || (double)Math.Min(indexed.Length, search.Length) / Math.Max(indexed.Length, search.Length) < 0.9)
            {
                continue;
            }

            double expected = double.Parse(f[2], CultureInfo.InvariantCulture);
            Assert.True(Math.Abs(StringSimilarity.JaroWinkler(indexed, search) - expected) <= 0.01, $"{indexed} / {search}: expected {expected}");
            compared++;
        }

        Assert.True(compared >= 5, $"only {compared} rows compared");
    }

    [Theory]
    [InlineData("kitten", "sitting", 3, 3)]
    [InlineData("scholz", "scholze", 2, 1)]
    [InlineData("abcd", "abdc", 2, 1)]
    [InlineData("putin", "nitup", 2, 3)]
    [InlineData("same", "same", 0, 0)]
    public void BoundedEditDistance_CountsEditsUpToBound(string a, string b, int bound, int expected) =>
        Assert.Equal(expected, StringSimilarity.BoundedEditDistance(a, b, bound));
}
