using System.Text;
using Clearance.Screening.Matching;

namespace Clearance.Screening.Tests.Matching;

public class SortedKeysTests
{
    [Fact]
    public void TryGetId_KeysInPlace_FindsWhatAMapOfTheKeysFindsBeforeAndAfterItsOwnMap()
    {
        var random = new Random(11);
        string[] alphabet = ["a", "b", "z", "é", "ß", "漢", "한", "😀", "0", "-"];
        var distinct = new HashSet<string>(StringComparer.Ordinal);
        while (distinct.Count < 2000)
        {
            var key = new StringBuilder();
            for (int i = random.Next(1, 7); i > 0; i--)
            {
                key.Append(alphabet[random.Next(alphabet.Length)]);
            }

            distinct.Add(key.ToString());
        }

        string[] sorted = [.. distinct.Order(StringComparer.Ordinal)];
        var reference = new Dictionary<string, int>(StringComparer.Ordinal);
        for (int id = 0; id < sorted.Length; id++)
        {
            reference.Add(sorted[id], id);
        }

        var keys = new SortedKeys(InPlace(sorted));
        Assert.Equal(sorted.Length, keys.Count);
        Assert.False(keys.Hashed);
        for (int i = 0; i < SortedKeys.LookupsBeforeMap + 1000; i++)
        {
            string probe = random.Next(3) == 0 ? sorted[random.Next(sorted.Length)] + alphabet[random.Next(alphabet.Length)] : sorted[random.Next(sorted.Length)];
            bool hashed = keys.Hashed;
            Assert.Equal(reference.TryGetValue(probe, out int expected) ? expected : -1, keys.TryGetId(probe, out int id) ? id : -1);
            Assert.Equal(i > SortedKeys.LookupsBeforeMap, hashed);
        }

        Assert.Equal(sorted, keys.ToArray());
    }

    [Fact]
    public void Constructor_KeysInAnArray_HashedAtOnce()
    {
        var keys = new SortedKeys(new SnapshotStrings(["a", "b"]));
        Assert.True(keys.Hashed);
        Assert.True(keys.TryGetId("b", out int id));
        Assert.Equal(1, id);
        Assert.False(keys.TryGetId("c", out _));
    }

    /// <summary>Strings laid out as a snapshot lays them out, read in place (each decoded when read).</summary>
    private static SnapshotStrings InPlace(string[] values)
    {
        using var buffer = new MemoryStream();
        var writer = new SnapshotWriter(buffer);
        var starts = new int[values.Length + 1];
        for (int i = 0; i < values.Length; i++)
        {
            writer.Flush();
            starts[i] = (int)buffer.Position;
            writer.WriteString(values[i]);
        }

        writer.Flush();
        starts[values.Length] = (int)buffer.Position;
        return new SnapshotStrings(new SnapshotTable<byte>(buffer.ToArray()), starts);
    }
}
