using Clearance.Evaluation;

namespace Clearance.Tests;

public sealed class DeterminationCacheTests
{
    [Fact]
    public void GetOrAdd_TensOfThousandsOfCodes_EachFoundAndBuiltOnce()
    {
        // As many distinct outcomes as a large batch of EAR lines gives, of several lengths, so the table grows many times.
        var random = new Random(7);
        var codes = Enumerable.Range(0, 40_000).Select(i => new[] { i % 4, i }.Concat(Enumerable.Range(0, random.Next(0, 60)).Select(_ => random.Next(300))).ToArray()).ToArray();
        var cache = new DeterminationCache(capacity: 40_000);
        var builds = 0;

        var added = codes.Select(code => cache.GetOrAdd(code, array => Made(array, ref builds))).ToArray();
        var again = codes.Select(code => cache.GetOrAdd(code, array => Made(array, ref builds))).ToArray();

        Assert.Equal(codes.Length, builds);
        for (var i = 0; i < codes.Length; i++)
        {
            Assert.True(cache.TryGet(codes[i], out var found));
            Assert.Same(added[i], found);
            Assert.Same(added[i], again[i]);
            Assert.Equal(string.Join(',', codes[i]), found.Explanation);
        }

        Assert.False(cache.TryGet([5, 1, 2], out _));
    }

    [Fact]
    public async Task TryGet_WhileAnotherThreadAdds_FindsEveryCodeAddedBefore()
    {
        var cache = new DeterminationCache(capacity: 20_000);
        var builds = 0;
        var codes = Enumerable.Range(0, 20_000).Select(i => new[] { i, i * 7, i % 13 }).ToArray();
        var published = -1;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < codes.Length; i++)
            {
                cache.GetOrAdd(codes[i], array => Made(array, ref builds));
                Volatile.Write(ref published, i);
            }
        });

        var misses = 0;
        while (!writer.IsCompleted)
        {
            var upTo = Volatile.Read(ref published);
            for (var i = Math.Max(0, upTo - 50); i <= upTo; i++)
            {
                if (!cache.TryGet(codes[i], out var found) || found.Explanation != string.Join(',', codes[i]))
                {
                    misses++;
                }
            }
        }

        await writer;
        Assert.Equal(0, misses);
    }

    [Fact]
    public void GetOrAdd_MoreCodesThanTwoGenerations_HoldsAtMostTwiceTheCapacity()
    {
        var cache = new DeterminationCache(capacity: 1_000);
        var builds = 0;

        for (var i = 0; i < 10_000; i++)
        {
            cache.GetOrAdd([i, 3], array => Made(array, ref builds));
            Assert.InRange(cache.Count, 1, 2_000);
        }

        Assert.Equal(10_000, builds);
        Assert.InRange(cache.Count, 1_001, 2_000);
    }

    [Fact]
    public void GetOrAdd_WorkingSetLargerThanAGeneration_GrowsUntilItHoldsIt()
    {
        // 300 codes used at random, generations of 100 that may grow to 400: codes moved forward from the previous
        // generation show that the ones in use outlive it, so it grows instead of letting them go.
        var cache = new DeterminationCache(capacity: 100, maxCapacity: 400);
        var random = new Random(11);
        var builds = 0;
        for (var i = 0; i < 5_000; i++)
        {
            var code = random.Next(300);
            cache.GetOrAdd([code, 5], array => Made(array, ref builds));
        }

        Assert.Equal(400, cache.Capacity);
        Assert.InRange(builds, 300, 400);

        // The working set now fits one generation: nothing more is built.
        var before = builds;
        for (var i = 0; i < 5_000; i++)
        {
            cache.GetOrAdd([random.Next(300), 5], array => Made(array, ref builds));
        }

        Assert.Equal(before, builds);
        Assert.InRange(cache.Count, 300, 800);
    }

    [Fact]
    public void GetOrAdd_CodesSeenOnce_KeepsTheFirstCapacity()
    {
        // Nothing is moved forward when no code comes back: growing would only hold more of what is never asked again.
        var cache = new DeterminationCache(capacity: 100, maxCapacity: 400);
        var builds = 0;

        for (var i = 0; i < 10_000; i++)
        {
            cache.GetOrAdd([i, 4], array => Made(array, ref builds));
            Assert.InRange(cache.Count, 1, 200);
        }

        Assert.Equal(100, cache.Capacity);
        Assert.Equal(10_000, builds);
    }

    [Fact]
    public void GetOrAdd_CodeUsedInEveryGeneration_KeepsItsDetermination()
    {
        // The usual outcome of a batch among a stream of outcomes seen once: it is moved into each new generation.
        var cache = new DeterminationCache(capacity: 100);
        var builds = 0;
        int[] usual = [1, 2, 3];
        var first = cache.GetOrAdd(usual, array => Made(array, ref builds));

        for (var i = 0; i < 1_000; i++)
        {
            cache.GetOrAdd([i, 9, 9, 9], array => Made(array, ref builds));
            if (i % 50 == 0)
            {
                Assert.Same(first, cache.GetOrAdd(usual, array => Made(array, ref builds)));
            }
        }

        Assert.Equal(1_001, builds);
    }

    [Fact]
    public void GetOrAdd_CodeUnusedForTwoGenerations_IsBuiltAgain()
    {
        var cache = new DeterminationCache(capacity: 100);
        var builds = 0;
        var first = cache.GetOrAdd([7, 7], array => Made(array, ref builds));
        for (var i = 0; i < 99; i++)
        {
            cache.GetOrAdd([i, 1], array => Made(array, ref builds));
        }

        // 100 codes: the first generation is full; one generation later the code is still in the previous one.
        for (var i = 0; i < 100; i++)
        {
            cache.GetOrAdd([i, 2], array => Made(array, ref builds));
        }

        Assert.False(cache.TryGet([7, 7], out _));
        var kept = cache.GetOrAdd([7, 7], array => Made(array, ref builds));
        Assert.Same(first, kept);
        Assert.Equal(200, builds);

        // Two more full generations without it: it is let go and built again (equal, another object).
        for (var i = 0; i < 200; i++)
        {
            cache.GetOrAdd([i, 3], array => Made(array, ref builds));
        }

        var rebuilt = cache.GetOrAdd([7, 7], array => Made(array, ref builds));
        Assert.NotSame(first, rebuilt);
        Assert.Equal(first.Explanation, rebuilt.Explanation);
        Assert.Equal(401, builds);
    }

    [Fact]
    public async Task GetOrAdd_WhileAnotherThreadFillsGenerations_EveryAnswerIsTheCodesOwn()
    {
        // A reader asking for the codes just added (and for them by TryGet) while the writer starts generation after
        // generation: whatever was moved, dropped or rebuilt meanwhile, each answer is the one built for its code. (How
        // often a code is rebuilt depends on how far the writer ran ahead, so it is not asserted here.)
        var cache = new DeterminationCache(capacity: 500);
        var builds = new int[20_000];
        var codes = Enumerable.Range(0, builds.Length).Select(i => new[] { i, i * 7, i % 13 }).ToArray();
        var published = -1;
        var writer = Task.Run(() =>
        {
            for (var i = 0; i < codes.Length; i++)
            {
                cache.GetOrAdd(codes[i], array => Counted(array, builds));
                Volatile.Write(ref published, i);
            }
        });

        var wrong = 0;
        while (!writer.IsCompleted)
        {
            var upTo = Volatile.Read(ref published);
            for (var i = Math.Max(0, upTo - 50); i <= upTo; i++)
            {
                var expected = string.Join(',', codes[i]);
                wrong += cache.GetOrAdd(codes[i], array => Counted(array, builds)).Explanation == expected ? 0 : 1;
                wrong += cache.TryGet(codes[i], out var found) && found.Explanation != expected ? 1 : 0;
            }
        }

        await writer;
        Assert.Equal(0, wrong);
        Assert.All(builds, count => Assert.True(count >= 1));
        Assert.InRange(cache.Count, 1, 1_000);
    }

    private static Determination Counted(int[] code, int[] builds)
    {
        Interlocked.Increment(ref builds[code[0]]);
        return new Determination("T", Verdict.Indeterminate, [], new Dictionary<string, string>(), null, [], [], [], [], [], string.Join(',', code), "v");
    }

    private static Determination Made(int[] code, ref int builds)
    {
        builds++;
        return new Determination("T", Verdict.Indeterminate, [], new Dictionary<string, string>(), null, [], [], [], [], [], string.Join(',', code), "v");
    }
}
