using System.Runtime.InteropServices;

namespace Clearance.Application;

/// <summary>
/// Asks glibc's allocator to serve a batch command's native memory (SQLite's page cache and statements, ICU, OpenSSL)
/// from one heap that Linux backs with transparent huge pages. On the VMs measured a first touch of a 4 KB page costs
/// tens of microseconds; an incremental recheck faulted ~2,700 pages, ~650 of them the native heap's (the main heap,
/// grown 132 KB at a time, and a fresh arena of 64 MB for each thread that allocates), and left so the recheck took
/// ~45 ms less wall time, its system time halved (docs/benchmarks.md, session 49). glibc reads its own switch for this
/// (<c>GLIBC_TUNABLES=glibc.malloc.hugetlb=1</c>) only when a process starts; this does the same from within: every
/// thread allocates from the main heap (<c>M_ARENA_MAX</c> 1), the heap is grown at once by the megabytes asked for
/// (<c>M_TOP_PAD</c>, an allocation that is freed again, kept by <c>M_TRIM_THRESHOLD</c>; blocks up to 32 MB come from
/// it rather than from mappings of their own, <c>M_MMAP_THRESHOLD</c>), and the heap's mapping is advised
/// <c>MADV_HUGEPAGE</c>. Nothing is touched: pages are still faulted in, zero-filled, when first used. A heap grown past
/// the advised part later is served in 4 KB pages as before (the kernel maps the growth separately). Everything is advice:
/// where anything differs (not Linux, not glibc, THP <c>never</c>, no heap mapping, a refused call), the process is
/// left as it was, or with only the allocator settings changed.
/// </summary>
public static class NativeHeapHugePages
{
    /// <summary>The environment variable: <c>0</c> turns the advice off; a number sets the megabytes the heap grows by.</summary>
    public const string Variable = "CLEARANCE_HEAP_HUGE_PAGES";

    /// <summary>Megabytes the heap is grown by at once: a recheck's native memory is a few; only what is touched is resident.</summary>
    public const int DefaultMegabytes = 64;

    // glibc's mallopt parameters (malloc.h).
    private const int TrimThreshold = -1;
    private const int TopPad = -2;
    private const int MmapThreshold = -3;
    private const int ArenaMax = -8;

    /// <summary>The largest M_MMAP_THRESHOLD glibc takes on 64-bit (<c>DEFAULT_MMAP_THRESHOLD_MAX</c>).</summary>
    private const int LargestMmapThreshold = 32 << 20;

    private const long HugePage = HugePageChunks.BlockSize;

    private static int _advised;

    /// <summary>
    /// Grows and advises the native heap once per process (later calls do nothing) and says what was done, for the
    /// tests and traces; never throws.
    /// </summary>
    public static string AdviseForBatch() => CollectorHugePages.AdviseOnce(ref _advised, Variable, DefaultMegabytes, megabytes =>
    {
        // glibc only: another C library's mallopt takes other parameters, or none.
        _ = Native.gnu_get_libc_version();
        var pad = (int)Math.Min(megabytes * (1L << 20), int.MaxValue / 2);
        if (Native.mallopt(ArenaMax, 1) == 0 || Native.mallopt(MmapThreshold, LargestMmapThreshold) == 0
            || Native.mallopt(TrimThreshold, 2 * pad) == 0 || Native.mallopt(TopPad, pad) == 0)
        {
            return "mallopt refused";
        }

        // A block larger than anything free at the heap's top makes the allocator grow it now by the block and the
        // pad; freed, it stays the heap's (below the trim threshold).
        Native.free(Native.malloc((nuint)LargestMmapThreshold / 2));
        if (HeapRange(File.ReadAllText("/proc/self/maps")) is not { } heap)
        {
            return "no heap mapping of a huge page found";
        }

        return HugePageChunks.Native.madvise((nint)heap.Start, (nuint)heap.Length, HugePageChunks.Native.MadvHugePage) == 0
            ? $"advised {heap.Length >> 20} MB at 0x{heap.Start:x}"
            : "madvise refused";
    });

    /// <summary>
    /// The heap's mapping (the line of <paramref name="maps"/>, the text of <c>/proc/self/maps</c>, named <c>[heap]</c>)
    /// from its first 2 MB boundary to its end: null when there is none or it holds no whole huge page. The advice is
    /// given from the boundary so that it marks one mapping from there on; the part below is left in 4 KB pages.
    /// </summary>
    internal static (ulong Start, long Length)? HeapRange(string maps)
    {
        foreach (var line in maps.AsSpan().EnumerateLines())
        {
            if (!line.TrimEnd().EndsWith("[heap]", StringComparison.Ordinal))
            {
                continue;
            }

            // The line's range as the collector's finder reads it (its part of a reservation does not matter here).
            if (!CollectorHugePages.TryParseLine(line, out var start, out var end, out _))
            {
                return null;
            }

            var first = (start + (ulong)(HugePage - 1)) & ~(ulong)(HugePage - 1);
            return end >= first + (ulong)HugePage ? (first, (long)(end - first)) : null;
        }

        return null;
    }

    private static class Native
    {
        [DllImport("libc")]
        public static extern nint gnu_get_libc_version();

        [DllImport("libc")]
        public static extern int mallopt(int parameter, int value);

        [DllImport("libc")]
        public static extern nint malloc(nuint size);

        [DllImport("libc")]
        public static extern void free(nint block);
    }
}
