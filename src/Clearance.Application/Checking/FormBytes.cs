namespace Clearance.Application;

/// <summary>
/// Where the bytes of the compact wire forms a batch keeps are copied: chunks of <see cref="ChunkSize"/> bytes, filled
/// in turn by each thread, a form's head and tail a slice of one. A chunk is large enough for the large object heap, so
/// the collector neither copies it when a collection promotes it nor moves it when a full collection compacts, and it
/// holds no references to trace: the EAR's ~21,000 answers in the mixed million-line benchmark batch keep ~2-3 KB of
/// bytes each, which as arrays of their own were copied from generation 0 to 1 to 2 and moved again by each full
/// collection while the checking threads waited. A chunk lives while any form sliced from it lives: a cache that lets
/// most forms go and keeps a few keeps their chunks whole (at most one chunk per form kept). The chunks are native
/// memory in huge pages where the system offers them (<see cref="HugePageChunks"/>: ~16,000 fewer first-touch page
/// faults in that batch), else large arrays (<see cref="ManagedChunk"/>, the plain form the tests compare with).
/// </summary>
internal static class FormBytes
{
    /// <summary>The bytes of a chunk: above the large object heap's threshold (85,000 bytes), a hundred forms or so.</summary>
    internal const int ChunkSize = 256 * 1024;

    /// <summary>Forms longer than this get an array of their own: a chunk keeps at most an eighth of its room unused.</summary>
    internal const int LargestSliced = ChunkSize / 8;

    [ThreadStatic]
    private static Memory<byte> _chunk;

    [ThreadStatic]
    private static int _used;

    /// <summary>The thread's fresh chunks are managed arrays only (the plain form, for a test to compare with).</summary>
    [ThreadStatic]
    internal static bool ManagedOnly;

    /// <summary>A copy of <paramref name="bytes"/> for a form kept for the batch: a slice of the thread's chunk.</summary>
    public static ReadOnlyMemory<byte> Keep(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > LargestSliced)
        {
            return bytes.ToArray();
        }

        var chunk = _chunk;
        var used = _used;
        if (chunk.Length - used < bytes.Length)
        {
            // The thread's chunk is full (or it has none yet): a fresh one (the forms sliced from the old one keep it alive).
            chunk = _chunk = (ManagedOnly ? null : HugePageChunks.TryTake(ChunkSize)) ?? ManagedChunk();
            used = 0;
        }

        bytes.CopyTo(chunk.Span[used..]);
        _used = used + bytes.Length;
        return chunk.Slice(used, bytes.Length);
    }

    /// <summary>A chunk in the collector's large object heap: where native huge-page chunks are not to be had.</summary>
    internal static Memory<byte> ManagedChunk() => GC.AllocateUninitializedArray<byte>(ChunkSize);
}
