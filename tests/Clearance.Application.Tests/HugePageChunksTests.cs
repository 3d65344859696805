using System.Runtime.CompilerServices;
using System.Runtime.InteropServices;

namespace Clearance.Application.Tests;

/// <summary>
/// The compact forms' native chunks (<see cref="HugePageChunks"/>): on Linux, chunks of 2 MB aligned blocks that do not
/// overlap and keep what is written to them; a block is unmapped once every chunk carved from it was collected.
/// </summary>
public sealed class HugePageChunksTests
{
    [Fact]
    public void TryTake_OnLinux_DisjointChunksOfAlignedBlocksKeepTheirBytes()
    {
        if (!OperatingSystem.IsLinux())
        {
            Assert.Null(HugePageChunks.TryTake(FormBytes.ChunkSize));
            return;
        }

        var size = FormBytes.ChunkSize;
        var chunks = Enumerable.Range(0, 2 * HugePageChunks.BlockSize / size).Select(_ => HugePageChunks.TryTake(size)!.Value).ToList();
        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.Equal(size, chunks[i].Length);
            chunks[i].Span.Fill((byte)(i + 1));
        }

        var starts = chunks.Select(Address).Order().ToList();
        for (var i = 1; i < starts.Count; i++)
        {
            Assert.True(starts[i] - starts[i - 1] >= size, "chunks overlap");
        }

        for (var i = 0; i < chunks.Count; i++)
        {
            Assert.True(MemoryMarshal.TryGetMemoryManager<byte, HugePageChunks.Chunk>(chunks[i], out var chunk));
            Assert.Equal(0, chunk!.Block.Start % HugePageChunks.BlockSize);
            Assert.InRange(Address(chunks[i]) - chunk.Block.Start, 0, HugePageChunks.BlockSize - size);
            Assert.True(chunks[i].Span.IndexOfAnyExcept((byte)(i + 1)) < 0, $"chunk {i} changed");
        }
    }

    [Fact]
    public void TryTake_AllChunksOfABlockCollected_BlockUnmapped()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        // A chunk of the whole block: no other test's chunk shares the block.
        var block = TakeWholeBlockAndDropIt();
        for (var attempt = 0; attempt < 10 && !block.Unmapped; attempt++)
        {
            GC.Collect();
            GC.WaitForPendingFinalizers();
        }

        Assert.True(block.Unmapped);
    }

    [Fact]
    public void TryTake_ChunkStillReferenced_BlockKeptAndBytesReadable()
    {
        if (!OperatingSystem.IsLinux())
        {
            return;
        }

        var chunk = HugePageChunks.TryTake(HugePageChunks.BlockSize)!.Value;
        chunk.Span.Fill(7);
        GC.Collect();
        GC.WaitForPendingFinalizers();
        GC.Collect();

        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, HugePageChunks.Chunk>(chunk, out var manager));
        Assert.False(manager!.Block.Unmapped);
        Assert.True(chunk.Span.IndexOfAnyExcept((byte)7) < 0);
    }

    [MethodImpl(MethodImplOptions.NoInlining)]
    private static HugePageChunks.Block TakeWholeBlockAndDropIt()
    {
        var chunk = HugePageChunks.TryTake(HugePageChunks.BlockSize)!.Value;
        chunk.Span[0] = 1;
        Assert.True(MemoryMarshal.TryGetMemoryManager<byte, HugePageChunks.Chunk>(chunk, out var manager));
        Assert.False(manager!.Block.Unmapped);
        return manager.Block;
    }

    /// <summary>The address of a chunk's first byte (its distance from null).</summary>
    private static nint Address(Memory<byte> memory) => Unsafe.ByteOffset(ref Unsafe.NullRef<byte>(), ref MemoryMarshal.GetReference(memory.Span));
}
