using Clearance.Application;

namespace Clearance.Application.Tests;

public sealed class GenerationCacheTests
{
    [Fact]
    public void GetOrAdd_SameKeyTwice_BuildsOnce()
    {
        var cache = new GenerationCache<int, string>(10, EqualityComparer<int>.Default);
        var builds = 0;

        var first = cache.GetOrAdd(4, (key, _) => Built(key, ref builds), 0);
        var second = cache.GetOrAdd(4, (key, _) => Built(key, ref builds), 0);

        Assert.Same(first, second);
        Assert.Equal("value 4", first);
        Assert.Equal(1, builds);
    }

    [Fact]
    public void GetOrAdd_MoreKeysThanTwoGenerations_HoldsAtMostTwiceTheCapacity()
    {
        var cache = new GenerationCache<int, string>(100, EqualityComparer<int>.Default);
        var builds = 0;

        for (var key = 0; key < 5_000; key++)
        {
            cache.GetOrAdd(key, (k, _) => Built(k, ref builds), 0);
            Assert.InRange(cache.Count, 1, 200);
        }

        Assert.Equal(5_000, builds);
    }

    [Fact]
    public void GetOrAdd_KeyUsedInEveryGeneration_KeepsItsValue()
    {
        var cache = new GenerationCache<int, string>(100, EqualityComparer<int>.Default);
        var builds = 0;
        var usual = cache.GetOrAdd(-1, (k, _) => Built(k, ref builds), 0);

        for (var key = 0; key < 2_000; key++)
        {
            cache.GetOrAdd(key, (k, _) => Built(k, ref builds), 0);
            if (key % 50 == 0)
            {
                Assert.Same(usual, cache.GetOrAdd(-1, (k, _) => Built(k, ref builds), 0));
            }
        }

        Assert.Equal(2_001, builds);
    }

    [Fact]
    public void GetOrAdd_KeyUnusedForTwoGenerations_IsBuiltAgain()
    {
        var cache = new GenerationCache<int, string>(100, EqualityComparer<int>.Default);
        var builds = 0;
        var first = cache.GetOrAdd(-1, (k, _) => Built(k, ref builds), 0);

        for (var key = 0; key < 300; key++)
        {
            cache.GetOrAdd(key, (k, _) => Built(k, ref builds), 0);
        }

        var again = cache.GetOrAdd(-1, (k, _) => Built(k, ref builds), 0);
        Assert.NotSame(first, again);
        Assert.Equal(first, again);
        Assert.Equal(302, builds);
    }

    private static string Built(int key, ref int builds)
    {
        builds++;
        return $"value {key}";
    }
}
