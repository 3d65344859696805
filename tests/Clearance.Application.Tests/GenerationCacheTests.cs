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

    [Fact]
    public void GetOrAdd_WorkingSetLargerThanAGeneration_GrowsAndStopsBuilding()
    {
        // 250 keys asked for at random (a fixed seed): more than a generation of 100 holds. A fixed generation lets
        // keys in use go and builds them again; a growing one (up to 400) ends up holding them all.
        var fixedSize = new GenerationCache<int, string>(100, EqualityComparer<int>.Default);
        var growing = new GenerationCache<int, string>(100, EqualityComparer<int>.Default, maxCapacity: 400);
        int fixedBuilds = 0, growingBuilds = 0;
        var random = new Random(20261203);
        for (var i = 0; i < 20_000; i++)
        {
            var key = random.Next(250);
            fixedSize.GetOrAdd(key, (k, _) => Built(k, ref fixedBuilds), 0);
            growing.GetOrAdd(key, (k, _) => Built(k, ref growingBuilds), 0);
        }

        Assert.Equal(100, fixedSize.Capacity);
        Assert.True(fixedBuilds > 2 * growingBuilds, $"{fixedBuilds} builds in a fixed cache, {growingBuilds} in a growing one");
        Assert.InRange(growing.Capacity, 256, 400);
        var builtBefore = growingBuilds;
        for (var key = 0; key < 250; key++)
        {
            Assert.Equal($"value {key}", growing.GetOrAdd(key, (k, _) => Built(k, ref growingBuilds), 0));
        }

        Assert.Equal(builtBefore, growingBuilds);
    }

    [Fact]
    public void GetOrAdd_KeysSeenOnceWithGrowthAllowed_KeepsTheFirstCapacity()
    {
        var cache = new GenerationCache<int, string>(100, EqualityComparer<int>.Default, maxCapacity: 1_600);
        var builds = 0;

        for (var key = 0; key < 5_000; key++)
        {
            cache.GetOrAdd(key, (k, _) => Built(k, ref builds), 0);
            Assert.InRange(cache.Count, 1, 200);
        }

        Assert.Equal(100, cache.Capacity);
    }

    private static string Built(int key, ref int builds)
    {
        builds++;
        return $"value {key}";
    }
}
