using System.Buffers;
using System.Runtime.InteropServices;

namespace Clearance.Application;

/// <summary>
/// Chunks of native memory carved from 2 MB blocks that Linux is asked to back with transparent huge pages
/// (<c>madvise(MADV_HUGEPAGE)</c>; the machines measured run THP in <c>madvise</c> mode). On the VMs measured, each
/// 4 KB page touched for the first time cost ~10 us, and the compact forms' ~60 MB of bytes in the mixed million-line
/// batch were ~13,000 such faults on the checking threads (a profile of the faults); a 2 MB page is one fault
/// (docs/benchmarks.md, "The check's pages"). The collector's own memory cannot be advised this way: it commits 64 KB
/// at a time, so a 2 MB range is never whole when it is first touched. A chunk is a <see cref="MemoryManager{T}"/>, so that the slices handed out keep it
/// reachable: a block is unmapped when the last of its chunks is collected (its finalizer), as the collector frees
/// a large array once no form sliced from it is left (the server's answer caches drop their old generations). None
/// (null) where this is not Linux or the kernel refuses the mapping: the caller falls back to managed arrays.
/// </summary>
internal static class HugePageChunks
{
    /// <summary>A block: one huge page, the size and alignment of a PMD mapping on x86-64 and arm64 (4 KB base pages).</summary>
    internal const int BlockSize = 2 * 1024 * 1024;

    private static readonly Lock Gate = new();
    private static Block? _current;
    private static int _carved;
    private static bool _unavailable = !OperatingSystem.IsLinux();

    /// <summary>Bytes mapped now in blocks not yet unmapped (for the tests: a block is let go with its last chunk).</summary>
    internal static long MappedBytes => Interlocked.Read(ref Block.Mapped);

    /// <summary>A chunk of <paramref name="size"/> bytes (a divisor of <see cref="BlockSize"/>), or null (use managed memory).</summary>
    public static Memory<byte>? TryTake(int size)
    {
        if (Volatile.Read(ref _unavailable) || size <= 0 || BlockSize % size != 0)
        {
            return null;
        }

        lock (Gate)
        {
            if (_current is null || BlockSize - _carved < size)
            {
                if (_current is not null && _carved < BlockSize)
                {
                    // The rest of the block is never carved: it no longer keeps the block (its carved chunks do).
                    _current.Release(BlockSize - _carved);
                }

                _current = Block.TryMap();
                _carved = 0;
                if (_current is null)
                {
                    // Not mapped (no libc under that name, an address space limit): managed chunks from now on.
                    Volatile.Write(ref _unavailable, true);
                    return null;
                }
            }

            var chunk = new Chunk(_current, _carved, size);
            _carved += size;
            return chunk.Memory;
        }
    }

    /// <summary>
    /// A 2 MB aligned, huge-page advised mapping, unmapped when all its chunks were collected. Its bytes not carved yet
    /// count as live, so the block being carved is never let go (at most one such block).
    /// </summary>
    internal sealed class Block
    {
        internal static long Mapped;

        /// <summary>Bytes of the block in chunks not yet collected, or not carved yet.</summary>
        private int _live = BlockSize;

        private Block(nint start) => Start = start;

        /// <summary>The block's first byte, 2 MB aligned: the whole mapping (the rest of the larger one was unmapped at once).</summary>
        public nint Start { get; }

        /// <summary>Whether the block was unmapped (all its chunks collected).</summary>
        public bool Unmapped => Volatile.Read(ref _live) == 0;

        public static Block? TryMap()
        {
            try
            {
                // Twice the size, so that a 2 MB aligned block lies inside; the rest is unmapped at once. Only an
                // aligned block wholly inside one mapping can be faulted in as one huge page.
                var length = (nuint)(2 * BlockSize);
                var mapping = Native.mmap(0, length, Native.ProtRead | Native.ProtWrite, Native.MapPrivate | Native.MapAnonymous, -1, 0);
                if (mapping == -1)
                {
                    return null;
                }

                var start = (nint)(((nuint)mapping + (BlockSize - 1)) & ~(nuint)(BlockSize - 1));
                var before = (nuint)(start - mapping);
                if (before > 0)
                {
                    _ = Native.munmap(mapping, before);
                }

                var after = length - before - BlockSize;
                if (after > 0)
                {
                    _ = Native.munmap(start + BlockSize, after);
                }

                // Advice only: where THP is off, the block is faulted in 4 KB pages as managed memory would be.
                _ = Native.madvise(start, BlockSize, Native.MadvHugePage);
                Interlocked.Add(ref Mapped, BlockSize);
                return new Block(start);
            }
            catch (Exception e) when (e is DllNotFoundException or EntryPointNotFoundException)
            {
                return null;
            }
        }

        /// <summary><paramref name="bytes"/> fewer in use (a chunk collected, or the rest never carved): the last unmaps the block.</summary>
        public void Release(int bytes)
        {
            if (Interlocked.Add(ref _live, -bytes) == 0)
            {
                _ = Native.munmap(Start, BlockSize);
                Interlocked.Add(ref Mapped, -BlockSize);
            }
        }
    }

    /// <summary>
    /// A chunk of a block: the owner of the bytes every slice of it refers to. Its finalizer lets the block go, so a
    /// span of its bytes must not outlive the last reference to a slice: the forms' one reader, ResultJson's writer,
    /// keeps the form alive until its bytes are copied (<c>KeepUntilWritten</c>).
    /// </summary>
    [System.Diagnostics.CodeAnalysis.SuppressMessage("Reliability", "CA2015", Justification = "The forms' writer keeps each form reachable while it copies the form's bytes; a chunk that no form refers to any more must be unmapped.")]
    internal sealed unsafe class Chunk(Block block, int offset, int length) : MemoryManager<byte>
    {
        private readonly byte* _start = (byte*)(block.Start + offset);
        private int _released;

        /// <summary>The block it was carved from.</summary>
        public Block Block => block;

        ~Chunk() => Release();

        public override Span<byte> GetSpan() => new(_start, length);

        public override MemoryHandle Pin(int elementIndex = 0)
        {
            ArgumentOutOfRangeException.ThrowIfNegative(elementIndex);
            ArgumentOutOfRangeException.ThrowIfGreaterThan(elementIndex, length);
            return new MemoryHandle(_start + elementIndex);
        }

        public override void Unpin()
        {
            // Native memory does not move.
        }

        /// <summary>Nothing: the chunk is released when it is collected, as forms sliced from it may still be written.</summary>
        protected override void Dispose(bool disposing)
        {
        }

        private void Release()
        {
            if (Interlocked.Exchange(ref _released, 1) == 0)
            {
                block.Release(length);
            }
        }
    }

    /// <summary>The libc calls of the huge page chunks and of <see cref="CollectorHugePages"/>.</summary>
    internal static class Native
    {
        public const int ProtRead = 0x1;
        public const int ProtWrite = 0x2;
        public const int MapPrivate = 0x02;
        public const int MapAnonymous = 0x20;
        public const int MadvHugePage = 14;
        public const int MadvDoDump = 17;
        public const int MadvCollapse = 25;

        [DllImport("libc", SetLastError = true)]
        public static extern nint mmap(nint address, nuint length, int protection, int flags, int fd, nint offset);

        [DllImport("libc", SetLastError = true)]
        public static extern int munmap(nint address, nuint length);

        [DllImport("libc", SetLastError = true)]
        public static extern int mprotect(nint address, nuint length, int protection);

        [DllImport("libc", SetLastError = true)]
        public static extern int madvise(nint address, nuint length, int advice);

        [DllImport("libc", SetLastError = true)]
        public static extern unsafe int mincore(nint address, nuint length, byte* resident);
    }
}
