using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clearance.Application.Tests;

/// <summary>
/// The compact forms' bytes kept in shared chunks (<see cref="FormBytes.Keep"/>): each form gets its own bytes back,
/// forms of one thread are consecutive slices of one chunk that never overlap, a full chunk is followed by a fresh one
/// without touching the forms already kept, and a form too long for a slice gets an array of its own; the chunks the
/// system gives (native huge pages on Linux) hold what the plain managed ones hold.
/// </summary>
public sealed class FormBytesTests
{
    [Fact]
    public void Keep_FormsOfOneThread_ConsecutiveSlicesOfOneChunkWithTheirOwnBytes()
    {
        // A thread of its own: the chunk is the thread's, so another test's forms cannot share it.
        var kept = OnThread(() =>
        {
            var forms = new List<(byte[] Given, ReadOnlyMemory<byte> Kept)>();
            for (var n = 1; n <= 50; n++)
            {
                var given = Bytes(n, 37 * n);
                forms.Add((given, FormBytes.Keep(given)));
            }

            return forms;
        });

        for (var i = 0; i < kept.Count; i++)
        {
            Assert.Equal(kept[i].Given, kept[i].Kept.ToArray());
            if (i > 0)
            {
                // Each form right after the one before it (50 forms of 37 to 1,850 bytes fit one chunk).
                Assert.Equal(kept[i - 1].Kept.Length, Distance(kept[i - 1].Kept, kept[i].Kept));
            }
        }
    }

    [Fact]
    public void Keep_ManagedOnly_SlicesOfOneLargeObjectHeapArray()
    {
        var kept = OnThread(() =>
        {
            FormBytes.ManagedOnly = true;
            return Enumerable.Range(1, 20).Select(n => FormBytes.Keep(Bytes(n, 41 * n))).ToList();
        });

        ArraySegment<byte> previous = default;
        foreach (var form in kept)
        {
            Assert.True(MemoryMarshal.TryGetArray(form, out var segment));
            Assert.Equal(FormBytes.ChunkSize, segment.Array!.Length);
            if (previous.Array is not null)
            {
                Assert.Same(previous.Array, segment.Array);
                Assert.Equal(previous.Offset + previous.Count, segment.Offset);
            }

            previous = segment;
        }

        // Large enough for the large object heap, which promotions do not copy and compaction does not move.
        Assert.Equal(GC.MaxGeneration, GC.GetGeneration(previous.Array!));
    }

    [Fact]
    public void Keep_SeededForms_SameBytesAndLayoutAsManagedChunks()
    {
        // The same forms (lengths from a fixed seed, across several chunks) kept in the chunks the system gives (huge
        // pages on Linux) and in the plain managed ones: the same bytes, and the same offsets in their chunks.
        static List<(byte[] Given, ReadOnlyMemory<byte> Kept)> Forms(bool managedOnly) => OnThread(() =>
        {
            FormBytes.ManagedOnly = managedOnly;
            var random = new Random(20261205);
            var forms = new List<(byte[] Given, ReadOnlyMemory<byte> Kept)>();
            for (var n = 0; n < 1_000; n++)
            {
                var given = Bytes(n, random.Next(0, 4_000));
                forms.Add((given, FormBytes.Keep(given)));
            }

            return forms;
        });

        var system = Forms(managedOnly: false);
        var plain = Forms(managedOnly: true);

        Assert.Equal(plain.Count, system.Count);
        for (var i = 0; i < plain.Count; i++)
        {
            Assert.Equal(plain[i].Given, system[i].Given);
            Assert.Equal(system[i].Given, system[i].Kept.ToArray());
            Assert.Equal(plain[i].Kept.ToArray(), system[i].Kept.ToArray());
            if (i > 0)
            {
                Assert.Equal(Distance(plain[i - 1].Kept, plain[i].Kept) == plain[i - 1].Kept.Length, Distance(system[i - 1].Kept, system[i].Kept) == system[i - 1].Kept.Length);
            }
        }
    }

    [Fact]
    public void Keep_ChunkFull_NextFormInAFreshChunk_FormsKeptBeforeUnchanged()
    {
        var kept = OnThread(() =>
        {
            var forms = new List<(byte[] Given, ReadOnlyMemory<byte> Kept)>();
            for (var n = 0; n < 3 * FormBytes.ChunkSize / FormBytes.LargestSliced + 5; n++)
            {
                var given = Bytes(n, FormBytes.LargestSliced - n);
                forms.Add((given, FormBytes.Keep(given)));
            }

            return forms;
        });

        // A form that does not follow the one before it starts a fresh chunk (of either kind).
        var chunks = 1;
        for (var i = 0; i < kept.Count; i++)
        {
            Assert.Equal(kept[i].Given, kept[i].Kept.ToArray());
            if (i > 0 && Distance(kept[i - 1].Kept, kept[i].Kept) != kept[i - 1].Kept.Length)
            {
                chunks++;
            }
        }

        Assert.True(chunks >= 3, $"{chunks} chunks");
    }

    [Fact]
    public void Keep_LongerThanASlice_AnArrayOfItsOwn()
    {
        var given = Bytes(7, FormBytes.LargestSliced + 1);

        var form = OnThread(() => FormBytes.Keep(given));

        Assert.Equal(given, form.ToArray());
        Assert.True(MemoryMarshal.TryGetArray(form, out var segment));
        Assert.Equal(0, segment.Offset);
        Assert.Equal(given.Length, segment.Array!.Length);
        Assert.NotSame(given, segment.Array);
    }

    [Fact]
    public void Keep_Empty_EmptyForm()
    {
        var form = OnThread(() => FormBytes.Keep([]));

        Assert.True(form.IsEmpty);
    }

    /// <summary>Bytes that differ from form to form (a byte of the seed, then counting).</summary>
    private static byte[] Bytes(int seed, int length)
    {
        var bytes = new byte[length];
        for (var i = 0; i < length; i++)
        {
            bytes[i] = (byte)(seed * 31 + i);
        }

        return bytes;
    }

    /// <summary>Bytes from the start of <paramref name="first"/> to the start of <paramref name="second"/> (managed or native memory).</summary>
    private static long Distance(ReadOnlyMemory<byte> first, ReadOnlyMemory<byte> second) =>
        (long)Unsafe.ByteOffset(ref MemoryMarshal.GetReference(first.Span), ref MemoryMarshal.GetReference(second.Span));

    private static T OnThread<T>(Func<T> run)
    {
        T result = default!;
        var thread = new Thread(() => result = run());
        thread.Start();
        thread.Join();
        return result;
    }
}
