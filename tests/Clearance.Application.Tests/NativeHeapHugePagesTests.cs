namespace Clearance.Application.Tests;

/// <summary>
/// The native heap on huge pages (<see cref="NativeHeapHugePages"/>): the heap's mapping in <c>/proc/self/maps</c> texts,
/// and the advice in this process (glibc's allocator still serves and frees after it).
/// </summary>
public sealed class NativeHeapHugePagesTests
{
    private const long Megabyte = 1L << 20;

    [Fact]
    public void HeapRange_HeapLine_FromItsFirstHugePageBoundaryToItsEnd()
    {
        const string maps = """
            01a3e000-022c7000 rw-p 0163d000 fe:00 1234                               /opt/clearance/clearance
            21cbb000-260eb000 rw-p 00000000 00:00 0                                  [heap]
            7f1118e00000-7f1119ac7000 r--s 00000000 fe:00 99                         /tmp/book.db.screening-index
            """;

        Assert.Equal((0x21e00000UL, 0x260eb000L - 0x21e00000L), NativeHeapHugePages.HeapRange(maps));
    }

    [Theory]
    [InlineData("")] // no heap (a static program, or one whose allocator maps everything)
    [InlineData("01a3e000-022c7000 rw-p 0163d000 fe:00 1234 /opt/clearance/clearance\n")]
    [InlineData("21cbb000-21edc000 rw-p 00000000 00:00 0 [heap]\n")] // 2.1 MB, but no whole huge page
    [InlineData("21e00000-21fff000 rw-p 00000000 00:00 0 [heap]\n")] // one byte page short of one
    public void HeapRange_NoHeapOrNoWholeHugePage_None(string maps) => Assert.Null(NativeHeapHugePages.HeapRange(maps));

    [Fact]
    public void HeapRange_HeapOfExactlyOneHugePage_ThatPage() =>
        Assert.Equal((0x21e00000UL, 2 * Megabyte), NativeHeapHugePages.HeapRange("21e00000-22000000 rw-p 00000000 00:00 0   [heap]\n"));

    [Fact]
    public void AdviseForBatch_InThisProcess_AdvisedOrSaysWhyNotAndTheAllocatorStillServes()
    {
        var first = NativeHeapHugePages.AdviseForBatch();
        var again = NativeHeapHugePages.AdviseForBatch();

        Assert.Equal("advised before", again);
        // The test runs on a worker thread, whose allocations come from an arena of its own rather than the main heap
        // that the CLI's main thread grows (the CLI's tests see "advised"): here either outcome is right.
        Assert.Matches(@"^(advised \d+ MB at 0x[0-9a-f]+|no heap mapping of a huge page found|not Linux|transparent huge pages never|turned off \(CLEARANCE_HEAP_HUGE_PAGES\))$", first);
        if (first.StartsWith("advised ", StringComparison.Ordinal))
        {
            // The mapping starting there is the heap's, and the kernel lists it with the huge page flag (hg).
            var start = first[(first.IndexOf("0x", StringComparison.Ordinal) + 2)..];
            var smaps = File.ReadAllText("/proc/self/smaps").Split('\n');
            var header = Array.FindIndex(smaps, line => line.StartsWith(start + "-", StringComparison.Ordinal));
            Assert.True(header >= 0, $"no mapping starts at 0x{start}");
            Assert.Contains(" hg", smaps.Skip(header + 1).First(line => line.StartsWith("VmFlags:", StringComparison.Ordinal)), StringComparison.Ordinal);
        }

        // The allocator goes on serving: blocks of several sizes, written and freed.
        var blocks = Enumerable.Range(0, 64).Select(i => System.Runtime.InteropServices.Marshal.AllocHGlobal(4096 * (1 + (i % 8)))).ToList();
        foreach (var block in blocks)
        {
            System.Runtime.InteropServices.Marshal.WriteInt64(block, 42);
            Assert.Equal(42, System.Runtime.InteropServices.Marshal.ReadInt64(block));
            System.Runtime.InteropServices.Marshal.FreeHGlobal(block);
        }
    }
}
