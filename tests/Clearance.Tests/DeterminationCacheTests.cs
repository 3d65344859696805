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
        var cache = new DeterminationCache();
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
        var cache = new DeterminationCache();
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

    private static Determination Made(int[] code, ref int builds)
    {
        builds++;
        return new Determination("T", Verdict.Indeterminate, [], new Dictionary<string, string>(), null, [], [], [], [], [], string.Join(',', code), "v");
    }
}
