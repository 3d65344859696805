using System.Globalization;
using System.Runtime.InteropServices;

namespace Clearance.Application;

/// <summary>
/// Asks Linux to back the first part of the garbage collector's heap with transparent huge pages, for a long batch.
/// On the VMs measured, each 4 KB page touched for the first time cost ~10 us, and most first touches left in the mixed
/// million-line check were the collector's fresh memory (its regions: generation 0 of the reading and checking threads,
/// the caches' live objects); a 2 MB page is one fault (docs/benchmarks.md, branch check-thp25). The collector reserves
/// its range <c>PROT_NONE</c> and commits it 64 KB at a time (<c>mprotect</c> read-write, then <c>madvise(MADV_DODUMP)</c>),
/// so its memory is a patchwork of small mappings that the kernel never backs with a huge page, and advice over the
/// reservation alone is split away by the next commit. Here the first part of the range (from the lowest region in use,
/// <see cref="DefaultMegabytes"/>) is made read-write and dumpable at once and advised <c>MADV_HUGEPAGE</c>: the
/// collector's later commits find the flags already set and leave the one mapping whole, and its decommits
/// (<c>mmap(MAP_FIXED, PROT_NONE)</c>) still replace what they name. Pages are still faulted in when first touched,
/// zero-filled, as committed memory is; the program computes the same. Everything is advice: where anything differs
/// (not Linux, THP <c>never</c>, no such mapping, a refused call), the process is left as it was.
/// </summary>
public static class CollectorHugePages
{
    /// <summary>The environment variable: <c>0</c> turns the advice off; a number sets the megabytes advised.</summary>
    public const string Variable = "CLEARANCE_GC_HUGE_PAGES";

    /// <summary>
    /// Megabytes advised by default: the mixed million-line check commits ~105 MB of regions within the first ~155 MB of
    /// the range (strace of the collector's commits); what the range holds beyond is left as it is.
    /// </summary>
    public const int DefaultMegabytes = 256;

    /// <summary>The smallest run of mappings taken for the collector's reservation (it reserves tens of GB, or twice a hard limit).</summary>
    internal const long MinimumReservation = 1L << 30;

    /// <summary>Huge page size and alignment (x86-64 and arm64 with 4 KB base pages).</summary>
    private const long HugePage = HugePageChunks.BlockSize;

    /// <summary>An array this long is allocated on the large object heap, whose first region lies lowest in the range.</summary>
    private const int LargeObjectLength = 128 * 1024;

    private static int _advised;

    /// <summary>
    /// Advises the collector's range once per process (later calls do nothing) and says what was done, for the tests and
    /// traces; never throws.
    /// </summary>
    public static string AdviseForBatch() => AdviseOnce(ref _advised, Variable, DefaultMegabytes, megabytes =>
    {
        var lowest = LowestObjectAddress();
        if (RangeToAdvise(File.ReadAllText("/proc/self/maps"), lowest, megabytes * (1L << 20)) is not { } range)
        {
            return "no collector reservation found";
        }

        var start = (nint)range.Start;
        var length = (nuint)range.Length;
        if (HugePageChunks.Native.mprotect(start, length, HugePageChunks.Native.ProtRead | HugePageChunks.Native.ProtWrite) != 0)
        {
            // Strict overcommit may refuse to charge the range: nothing changed.
            return "mprotect refused";
        }

        // Dumpable as the collector's own commits make it (otherwise each commit would split the mapping again).
        _ = HugePageChunks.Native.madvise(start, length, HugePageChunks.Native.MadvDoDump);
        if (HugePageChunks.Native.madvise(start, length, HugePageChunks.Native.MadvHugePage) != 0)
        {
            return "madvise refused";
        }

        var collapsed = CollapseTouched(start, range.Length);
        return $"advised {range.Length >> 20} MB at 0x{range.Start:x}" + (collapsed > 0 ? $", {collapsed} touched huge page(s) collapsed" : "");
    });

    /// <summary>
    /// What both advices (the collector's range, <see cref="NativeHeapHugePages"/>) check first, then the advice: once per
    /// process (<paramref name="advised"/>), on Linux, unless <paramref name="variable"/> turns it off, unless THP is
    /// <c>never</c>; <paramref name="advise"/> takes the megabytes and says what it did. Never throws: a file or libc
    /// that is not there is said.
    /// </summary>
    internal static string AdviseOnce(ref int advised, string variable, int defaultMegabytes, Func<int, string> advise)
    {
        if (!OperatingSystem.IsLinux())
        {
            return "not Linux";
        }

        if (Interlocked.Exchange(ref advised, 1) != 0)
        {
            return "advised before";
        }

        if (Megabytes(Environment.GetEnvironmentVariable(variable), defaultMegabytes) is not { } megabytes)
        {
            return "turned off (" + variable + ")";
        }

        try
        {
            return ThpNever(File.ReadAllText("/sys/kernel/mm/transparent_hugepage/enabled")) ? "transparent huge pages never" : advise(megabytes);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException or DllNotFoundException or EntryPointNotFoundException)
        {
            return "unavailable: " + e.GetType().Name;
        }
    }

    /// <summary>
    /// Collapses into huge pages (<c>MADV_COLLAPSE</c>, Linux 6.1) each 2 MB of the advised range that is partly in memory
    /// already (<c>mincore</c>): the regions the collector allocated in before the advice (the command line's parsing, the
    /// store's opening) were faulted in 4 KB pages, and the kernel backs the rest of such a 2 MB with 4 KB pages too, as
    /// its page table exists: a recheck faulted ~870 pages of the advised range that way, one 2 MB of them page by page.
    /// A collapse copies the pages there into one huge page at once (~0.3-0.5 ms against ~5-13 ms for 472 faults on the
    /// VMs measured, docs/benchmarks.md, session 49). Returns how many were collapsed; an older kernel refuses and nothing
    /// changes.
    /// </summary>
    private static unsafe int CollapseTouched(nint start, long length)
    {
        const int Page = 4096;
        const int PagesPerHugePage = (int)(HugePage / Page);
        var pages = (nuint)(length / Page);
        var resident = (byte*)NativeMemory.Alloc(pages);
        try
        {
            if (HugePageChunks.Native.mincore(start, (nuint)length, resident) != 0)
            {
                return 0;
            }

            var collapsed = 0;
            for (long chunk = 0; chunk < length / HugePage; chunk++)
            {
                var present = 0;
                for (var page = 0; page < PagesPerHugePage; page++)
                {
                    present += resident[(chunk * PagesPerHugePage) + page] & 1;
                }

                if (present is > 0 and < PagesPerHugePage
                    && HugePageChunks.Native.madvise(start + (nint)(chunk * HugePage), (nuint)HugePage, HugePageChunks.Native.MadvCollapse) == 0)
                {
                    collapsed++;
                }
            }

            return collapsed;
        }
        finally
        {
            NativeMemory.Free(resident);
        }
    }

    /// <summary>The megabytes to advise for a variable's value (unset or empty: the default), or null: off.</summary>
    internal static int? Megabytes(string? setting, int defaultMegabytes = DefaultMegabytes) =>
        string.IsNullOrEmpty(setting) ? defaultMegabytes
        : int.TryParse(setting, NumberStyles.None, CultureInfo.InvariantCulture, out var megabytes) && megabytes is > 0 and <= 64 * 1024 ? megabytes
        : null;

    /// <summary>Whether THP is off (<c>[never]</c> selected in <c>/sys/kernel/mm/transparent_hugepage/enabled</c>).</summary>
    internal static bool ThpNever(string enabled) => enabled.Contains("[never]", StringComparison.Ordinal);

    /// <summary>
    /// The 2 MB aligned range to advise: from the 2 MB boundary at or below <paramref name="lowestObject"/> (an object
    /// of the collector's lowest region), <paramref name="wanted"/> bytes or fewer, within one run of adjacent private
    /// anonymous mappings, read-write or inaccessible, whose read-write part holds the object and that is at least
    /// <see cref="MinimumReservation"/> long (the collector's reservation: its committed and reserved parts). Null when
    /// <paramref name="maps"/> (the text of <c>/proc/self/maps</c>) has no such run or leaves less than one huge page.
    /// </summary>
    internal static (ulong Start, long Length)? RangeToAdvise(string maps, ulong lowestObject, long wanted)
    {
        ulong runStart = 0, runEnd = 0;
        var found = false;
        foreach (var line in maps.AsSpan().EnumerateLines())
        {
            if (!TryParseLine(line, out var start, out var end, out var part))
            {
                continue;
            }

            if (part == ReservationPart.None || (found && start != runEnd))
            {
                if (found)
                {
                    break;
                }

                runEnd = 0;
                continue;
            }

            if (start != runEnd)
            {
                runStart = start;
            }

            runEnd = end;
            // A live object lies in committed memory.
            found |= part == ReservationPart.Committed && start <= lowestObject && lowestObject < end;
        }

        if (!found || (long)(runEnd - runStart) < MinimumReservation)
        {
            return null;
        }

        var first = lowestObject & ~(ulong)(HugePage - 1);
        var last = Math.Min(first + (ulong)wanted, runEnd) & ~(ulong)(HugePage - 1);
        return first >= runStart && last > first ? (first, (long)(last - first)) : null;
    }

    /// <summary>What a mapping can be of the collector's reservation.</summary>
    internal enum ReservationPart
    {
        /// <summary>Not of it: shared, a file's, or other permissions.</summary>
        None,

        /// <summary>Reserved: private, anonymous, inaccessible (<c>---p</c>).</summary>
        Reserved,

        /// <summary>Committed: private, anonymous, read-write (<c>rw-p</c>).</summary>
        Committed,
    }

    /// <summary>
    /// A line of <c>/proc/PID/maps</c> (<c>start-end perms offset dev inode [path]</c>): its range, and what it can be of
    /// the collector's reservation (private and anonymous: inode 0 and no path).
    /// </summary>
    internal static bool TryParseLine(ReadOnlySpan<char> line, out ulong start, out ulong end, out ReservationPart part)
    {
        start = end = 0;
        part = ReservationPart.None;
        Span<Range> fields = stackalloc Range[7];
        var count = line.Split(fields, ' ', StringSplitOptions.RemoveEmptyEntries);
        if (count < 5)
        {
            return false;
        }

        var addresses = line[fields[0]];
        var dash = addresses.IndexOf('-');
        if (dash < 0
            || !ulong.TryParse(addresses[..dash], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out start)
            || !ulong.TryParse(addresses[(dash + 1)..], NumberStyles.AllowHexSpecifier, CultureInfo.InvariantCulture, out end))
        {
            return false;
        }

        if (count == 5 && line[fields[4]] is "0")
        {
            part = line[fields[1]] switch
            {
                "rw-p" => ReservationPart.Committed,
                "---p" => ReservationPart.Reserved,
                _ => ReservationPart.None,
            };
        }

        return true;
    }

    /// <summary>
    /// The lowest address among a fresh small object's (generation 0's region), a large one's (the large object heap's)
    /// and a pinned one's (the pinned object heap's, which .NET 10 places first in the range; the regions the batch
    /// takes later, generation 0's among them, lie above it): an address in the collector's lowest region in use.
    /// </summary>
    private static unsafe ulong LowestObjectAddress()
    {
        var small = new byte[1];
        var large = GC.AllocateUninitializedArray<byte>(LargeObjectLength);
        var pinned = GC.AllocateArray<byte>(1, pinned: true);
        fixed (byte* s = small)
        fixed (byte* l = large)
        fixed (byte* p = pinned)
        {
            return Math.Min(Math.Min((ulong)s, (ulong)l), (ulong)p);
        }
    }
}
