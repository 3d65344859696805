using System.Runtime.InteropServices;

namespace Clearance.Application.Tests;

/// <summary>
/// The compact forms' bytes kept in shared chunks (<see cref="FormBytes.Keep"/>): each form gets its own bytes back,
/// forms of one thread are consecutive slices of one chunk that never overlap, a full chunk is followed by a fresh one
/// without touching the forms already kept, and a form too long for a slice gets an array of its own.
/// </summary>
public sealed class FormBytesTests
{
    [Fact]
    public void Keep_FormsOfOneThread_SlicesOfOneLargeChunkWithTheirOwnBytes()
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

        ArraySegment<byte> previous = default;
        foreach (var (given, form) in kept)
        {
            Assert.Equal(given, form.ToArray());
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

        var chunks = new HashSet<byte[]>(ReferenceEqualityComparer.Instance);
        foreach (var (given, form) in kept)
        {
            Assert.Equal(given, form.ToArray());
            Assert.True(MemoryMarshal.TryGetArray(form, out var segment));
            Assert.True(segment.Offset + segment.Count <= FormBytes.ChunkSize);
            chunks.Add(segment.Array!);
        }

        Assert.True(chunks.Count >= 3, $"{chunks.Count} chunks");
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

    private static T OnThread<T>(Func<T> run)
    {
        T result = default!;
        var thread = new Thread(() => result = run());
        thread.Start();
        thread.Join();
        return result;
    }
}
