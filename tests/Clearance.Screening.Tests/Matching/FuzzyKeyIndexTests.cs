using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class FuzzyKeyIndexTests
{
    private const string Alphabet = "aeinrst";

    /// <summary>Random keys over a small alphabet, so that many lie within one or two edits of each other.</summary>
    private static Dictionary<string, List<int>> RandomKeys(Random random, int count, int minLength, int maxLength)
    {
        var postings = new Dictionary<string, List<int>>(StringComparer.Ordinal);
        for (int name = 0; postings.Count < count; name++)
        {
            postings.TryAdd(RandomWord(random, random.Next(minLength, maxLength + 1)), [name]);
        }

        return postings;
    }

    private static string RandomWord(Random random, int length)
    {
        var chars = new char[length];
        for (int i = 0; i < length; i++)
        {
            chars[i] = Alphabet[random.Next(Alphabet.Length)];
        }

        return new string(chars);
    }

    /// <summary>A key with up to two random edits: substitutions, insertions, deletions and adjacent transpositions.</summary>
    private static string Edited(Random random, string key)
    {
        var chars = new List<char>(key);
        for (int edit = random.Next(3); edit > 0; edit--)
        {
            int at = random.Next(chars.Count + 1);
            switch (random.Next(4))
            {
                case 0 when at < chars.Count:
                    chars[at] = Alphabet[random.Next(Alphabet.Length)];
                    break;
                case 1:
                    chars.Insert(at, Alphabet[random.Next(Alphabet.Length)]);
                    break;
                case 2 when at < chars.Count && chars.Count > 1:
                    chars.RemoveAt(at);
                    break;
                case 3 when at + 1 < chars.Count:
                    (chars[at], chars[at + 1]) = (chars[at + 1], chars[at]);
                    break;
                default:
                    break;
            }
        }

        return new string([.. chars]);
    }

    [Theory]
    [InlineData(2, 1, 12)]
    [InlineData(3, 6, 24)]
    public void ForEachNear_RandomProbes_FindsExactlyTheKeysEveryKeyComparedFinds(int gramLength, int minLength, int maxLength)
    {
        var random = new Random(20261202 + gramLength);
        Dictionary<string, List<int>> postings = RandomKeys(random, 3000, minLength, maxLength);
        string[] keys = [.. postings.Keys];
        FuzzyKeyIndex index = FuzzyKeyIndex.Build(postings, gramLength);
        NearScratch scratch = index.CreateScratch();
        Func<int, int> allowedEdits = gramLength == 2 ? NameScorer.AllowedEdits : NameScorer.AllowedJoinedEdits;
        int probesWithNearKeys = 0;
        for (int i = 0; i < 3000; i++)
        {
            string probe = i % 5 == 0 ? RandomWord(random, random.Next(minLength, maxLength + 3)) : Edited(random, keys[random.Next(keys.Length)]);
            List<int> expected = index.NearByComparingEveryKey(probe, allowedEdits);

            index.ForEachNear(probe, allowedEdits, scratch);

            Assert.True(
                expected.SequenceEqual(scratch.Found.Order()),
                $"probe '{probe}': every key compared [{string.Join(", ", expected.Select(id => index.Key(id)))}], "
                + $"filter [{string.Join(", ", scratch.Found.Order().Select(id => index.Key(id)))}]");
            probesWithNearKeys += expected.Count > 0 ? 1 : 0;
        }

        // The comparison says something only if many probes have near keys to find.
        Assert.True(probesWithNearKeys > 1000, $"only {probesWithNearKeys} probes had near keys");
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void SortedDistinct_RandomLists_AsLinqsDistinctOrderAndOrder(int seed)
    {
        // The plain loop the index is built with, against the LINQ it replaced: ascending lists (as postings are built),
        // ascending with repeats, and lists in any order; empty and single ones too.
        var random = new Random(seed);
        for (int round = 0; round < 5000; round++)
        {
            var values = new List<int>();
            int shape = random.Next(3);
            for (int i = random.Next(0, 24); i > 0; i--)
            {
                values.Add(shape switch
                {
                    0 => (values.Count == 0 ? 0 : values[^1]) + random.Next(1, 4),
                    1 => (values.Count == 0 ? 0 : values[^1]) + random.Next(0, 2),
                    _ => random.Next(-1, 12),
                });
            }

            Assert.Equal(values.Distinct().Order().ToArray(), FuzzyKeyIndex.SortedDistinct(values, distinct: true));
            Assert.Equal(values.Order().ToArray(), FuzzyKeyIndex.SortedDistinct(values, distinct: false));
        }
    }

    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    public void LargestAndTotal_RandomWeights_AsLinqsMaxAndSum(int seed)
    {
        // The name weights' largest and total as the index computes them, against Enumerable.Max and Sum (float, added
        // in double), bit for bit.
        var random = new Random(seed);
        for (int round = 0; round < 5000; round++)
        {
            var weights = new float[random.Next(0, 12)];
            for (int i = 0; i < weights.Length; i++)
            {
                weights[i] = (float)(random.NextDouble() * 1.5);
            }

            Assert.Equal(weights.Length == 0 ? 0f : weights.Max(), ScreeningIndex.Largest(weights));
            Assert.Equal(weights.Sum(), ScreeningIndex.Total(weights));
        }
    }

    [Fact]
    public void Read_MappedSnapshot_LooksUpAndFindsNearKeysAsTheBuiltIndexBeforeAndAfterItsMaps()
    {
        var random = new Random(20261204);
        Dictionary<string, List<int>> postings = RandomKeys(random, 3000, 3, 10);
        FuzzyKeyIndex built = FuzzyKeyIndex.Build(postings, gramLength: 2);
        using var buffer = new MemoryStream();
        var writer = new SnapshotWriter(buffer);
        built.Write(writer);
        writer.Flush();
        string path = Path.Combine(Path.GetTempPath(), $"fuzzy-key-index-test-{Guid.NewGuid():N}");
        try
        {
            File.WriteAllBytes(path, buffer.ToArray());
            SnapshotMapping mapping;
            using (var file = new FileStream(path, FileMode.Open, FileAccess.Read))
            {
                mapping = SnapshotMapping.Map(file);
            }

            var reader = new SnapshotReader(mapping.Bytes, 0, mapping.Length, mapping);
            FuzzyKeyIndex mapped = FuzzyKeyIndex.Read(ref reader, nameCount: postings.Values.Max(names => names[^1]) + 1);
            Assert.False(mapped.Hashed); // searched in place until it has been asked enough
            NearScratch scratch = mapped.CreateScratch();
            string[] keys = [.. postings.Keys];
            bool searchedInPlace = false;
            for (int i = 0; i < SortedKeys.LookupsBeforeMap + 500; i++)
            {
                string probe = random.Next(2) == 0 ? Edited(random, keys[random.Next(keys.Length)]) : keys[random.Next(keys.Length)];
                searchedInPlace |= !mapped.Hashed;
                Assert.Equal(built.TryGetId(probe, out int expectedId) ? expectedId : -1, mapped.TryGetId(probe, out int id) ? id : -1);
                if (i % 4 == 0)
                {
                    mapped.ForEachNear(probe, NameScorer.AllowedEdits, scratch);
                    Assert.Equal(built.NearByComparingEveryKey(probe, NameScorer.AllowedEdits), scratch.Found.Order());
                }
            }

            Assert.True(searchedInPlace && mapped.Hashed, "the lookups did not go from the tables to the maps");
            GC.KeepAlive(mapping);
        }
        finally
        {
            File.Delete(path);
        }
    }
}
