using System.Collections.Immutable;
using Xunit;

namespace Clearance.Tests;

public class OrdinalListComparerTests
{
    [Fact]
    public void Equals_SameStringsInDifferentListTypes_AreEqualWithTheSameHash()
    {
        IReadOnlyList<string> array = ["individual", "general-bulk"];
        IReadOnlyList<string> list = new List<string> { "individual", "general-bulk" };
        IReadOnlyList<string> immutable = ImmutableArray.Create("individual", "general-bulk");
        var comparer = OrdinalListComparer.Instance;
        Assert.True(comparer.Equals(array, list));
        Assert.True(comparer.Equals(list, immutable));
        Assert.Equal(comparer.GetHashCode(array), comparer.GetHashCode(list));
        Assert.Equal(comparer.GetHashCode(array), comparer.GetHashCode(immutable));
    }

    [Fact]
    public void Equals_OrderCaseOrLengthDiffers_NotEqual()
    {
        var comparer = OrdinalListComparer.Instance;
        Assert.False(comparer.Equals(["a", "b"], ["b", "a"]));
        Assert.False(comparer.Equals(["individual"], ["Individual"]));
        Assert.False(comparer.Equals(["a"], ["a", "b"]));
        Assert.False(comparer.Equals(["a"], null));
        Assert.True(comparer.Equals(null, null));
        Assert.True(comparer.Equals([], []));
    }

    [Fact]
    public void Equals_RandomLists_AgreesWithSequenceEqual()
    {
        var random = new Random(20190704);
        string[] words = ["LVS", "GBS", "individual", "bulk", "license", "ENC"];
        for (var i = 0; i < 2_000; i++)
        {
            var x = Enumerable.Range(0, random.Next(0, 4)).Select(_ => words[random.Next(words.Length)]).ToArray();
            var y = Enumerable.Range(0, random.Next(0, 4)).Select(_ => words[random.Next(words.Length)]).ToArray();
            var equal = x.SequenceEqual(y, StringComparer.Ordinal);
            Assert.Equal(equal, OrdinalListComparer.Instance.Equals(x, y));
            if (equal)
                Assert.Equal(OrdinalListComparer.Instance.GetHashCode(x), OrdinalListComparer.Instance.GetHashCode(y));
        }
    }
}
