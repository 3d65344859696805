namespace Clearance.Application.Tests;

/// <summary>
/// The collector's range on huge pages (<see cref="CollectorHugePages"/>): the run of mappings taken for the collector's
/// reservation in <c>/proc/self/maps</c> texts, the switch, and the advice in this process (the collector still commits,
/// collects and decommits after it).
/// </summary>
public sealed class CollectorHugePagesTests
{
    private const long Megabyte = 1L << 20;

    /// <summary>
    /// A .NET 10 process's maps around the collector's reservation (a check of the mixed batch, 1.2 s in, trimmed): the
    /// reservation's unaligned head, its regions (committed read-write pieces and reserved ones) and its 48 GB tail; a
    /// 2 GB executable reservation further on, anonymous too but next to shared mappings.
    /// </summary>
    private const string Maps = """
        7f9579e00000-7f957acdb000 r--s 00000000 fe:00 350922                     /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/System.Private.CoreLib.dll
        7f957ad8e000-7f957b000000 ---p 00000000 00:00 0 
        7f957b000000-7f957b011000 rw-p 00000000 00:00 0 
        7f957b011000-7f957d000000 ---p 00000000 00:00 0 
        7f957d000000-7f957d400000 rw-p 00000000 00:00 0 
        7f957d400000-7f957d800000 rw-p 00000000 00:00 0 
        7f957d800000-7f957dac1000 rw-p 00000000 00:00 0 
        7f957dac1000-7f957dc00000 ---p 00000000 00:00 0 
        7f957dc00000-7f957e6f2000 rw-p 00000000 00:00 0 
        7f957e6f2000-7f957fc00000 ---p 00000000 00:00 0 
        7f957fc00000-7f957fe31000 rw-p 00000000 00:00 0 
        7f957fe31000-7f9580000000 ---p 00000000 00:00 0 
        7f9580000000-7f9580b21000 rw-p 00000000 00:00 0 
        7f9580b21000-7fa140000000 ---p 00000000 00:00 0 
        7fa140000000-7fa140021000 rw-p 00000000 00:00 0 
        7fa140021000-7fa144000000 ---p 00000000 00:00 0 
        7fa15b120000-7fa15b121000 rw-s 007a1000 00:01 85595                      /memfd:doublemapper (deleted)
        7fa15b121000-7fa15b130000 ---s 007a2000 00:01 85595                      /memfd:doublemapper (deleted)
        7fa15b130000-7fa1d6800000 ---p 00000000 00:00 0 
        7fa1d6800000-7fa1d68bd000 r--p 00000000 fe:00 351014                     /usr/share/dotnet/shared/Microsoft.NETCore.App/10.0.12/libcoreclr.so
        7ffd1c1e0000-7ffd1c201000 rw-p 00000000 00:00 0                          [stack]
        """;

    [Fact]
    public void RangeToAdvise_ObjectInTheCollectorsFirstRegion_FromItsHugePageOnWithinTheReservation()
    {
        // An object of the large object heap's first region (0x7f957b000000, 4 MB aligned as regions are).
        var range = CollectorHugePages.RangeToAdvise(Maps, 0x7f957b010abc, 256 * Megabyte);

        Assert.Equal((0x7f957b000000UL, 256 * Megabyte), range);
    }

    [Fact]
    public void RangeToAdvise_ObjectInACommittedPieceFurtherOn_StartsAtTheHugePageHoldingIt()
    {
        var range = CollectorHugePages.RangeToAdvise(Maps, 0x7f957dc12345, 64 * Megabyte);

        Assert.Equal((0x7f957dc00000UL, 64 * Megabyte), range);
    }

    [Fact]
    public void RangeToAdvise_MoreWantedThanTheRunHolds_EndsAtTheRunsLastHugePage()
    {
        var range = CollectorHugePages.RangeToAdvise(Maps, 0x7fa140000100, 1024 * Megabyte);

        Assert.Equal((0x7fa140000000UL, 0x7fa144000000L - 0x7fa140000000L), range);
    }

    [Theory]
    [InlineData(0x7f957a000000UL)] // in a file mapping (CoreLib)
    [InlineData(0x7fa150000000UL)] // between mappings
    [InlineData(0x7fa1d0000000UL)] // in the executable reservation: anonymous and 2 GB, but inaccessible (no object there)
    [InlineData(0x7f957e800000UL)] // in the collector's reserved, inaccessible part
    [InlineData(0x7ffd1c1f0000UL)] // on the stack
    public void RangeToAdvise_ObjectOutsideAnAnonymousRunOfAGigabyte_None(ulong address)
    {
        Assert.Null(CollectorHugePages.RangeToAdvise(Maps, address, 256 * Megabyte));
    }

    [Theory]
    [InlineData("")]
    [InlineData("7f957b000000-7f957b011000 rw-p 00000000 00:00 0\n7f957b011000-7f957d000000 ---p 00000000 00:00 0\n")] // 32 MB: not a reservation
    [InlineData("7f957b000000-7f957b011000 rw-p 00000000 00:00 0\n7f957b011000-7fa140000000 ---s 00000000 00:01 85595 /memfd:x\n")] // shared
    [InlineData("7f957b000000-7f957b011000 rw-p 00000000 00:00 0\n7f957b012000-7fa140000000 ---p 00000000 00:00 0\n")] // not adjacent
    [InlineData("7f957b000000-7f957b011000 rw-p 00000000 fe:00 77 /tmp/file\n7f957b011000-7fa140000000 ---p 00000000 00:00 0\n")] // a file's
    [InlineData("not maps\n7f957b000000 rw-p\n")]
    public void RangeToAdvise_MapsWithoutTheObjectsReservation_None(string maps)
    {
        Assert.Null(CollectorHugePages.RangeToAdvise(maps, 0x7f957b010000, 256 * Megabyte));
    }

    [Theory]
    [InlineData(null, CollectorHugePages.DefaultMegabytes)]
    [InlineData("", CollectorHugePages.DefaultMegabytes)]
    [InlineData("1024", 1024)]
    [InlineData("0", null)]
    [InlineData("off", null)]
    [InlineData("-5", null)]
    [InlineData("99999999", null)]
    public void Megabytes_Setting_MegabytesOrOff(string? setting, int? expected)
    {
        Assert.Equal(expected, CollectorHugePages.Megabytes(setting));
    }

    [Theory]
    [InlineData("always [madvise] never\n", false)]
    [InlineData("[always] madvise never\n", false)]
    [InlineData("always madvise [never]\n", true)]
    public void ThpNever_EnabledFile_WhetherOff(string enabled, bool never)
    {
        Assert.Equal(never, CollectorHugePages.ThpNever(enabled));
    }

    [Fact]
    public void AdviseForBatch_InThisProcess_RangeAdvisedOnceAndTheCollectorStillWorks()
    {
        var outcome = CollectorHugePages.AdviseForBatch();

        if (!OperatingSystem.IsLinux())
        {
            Assert.Equal("not Linux", outcome);
            return;
        }

        Assert.Equal("advised before", CollectorHugePages.AdviseForBatch());
        if (outcome.StartsWith("advised ", StringComparison.Ordinal))
        {
            // The range is one read-write mapping advised MADV_HUGEPAGE ("hg") after the collector's own commits.
            // "advised N MB at 0xADDRESS[, K touched huge page(s) collapsed]": the 2 MB pieces the collector had written
            // in before the advice are collapsed into huge pages where the kernel can (Linux 6.1).
            Assert.Matches(@"^advised \d+ MB at 0x[0-9a-f]+(, [1-9]\d* touched huge page\(s\) collapsed)?$", outcome);
            var address = outcome[(outcome.IndexOf("0x", StringComparison.Ordinal) + 2)..].Split(',')[0];
            var start = ulong.Parse(address, System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture);
            Assert.Contains("hg", FlagsOfMappingAt(start));
        }
        else
        {
            Assert.Contains(outcome, new[] { "transparent huge pages never", "mprotect refused", "turned off (" + CollectorHugePages.Variable + ")" });
        }

        // Allocation, collections that compact and give memory back (decommit), and the survivors intact.
        var kept = new List<int[]>();
        for (var i = 0; i < 20_000; i++)
        {
            var array = new int[1 + (i % 200)];
            array[^1] = i;
            if (i % 10 == 0)
            {
                kept.Add(array);
            }
        }

        GC.Collect(2, GCCollectionMode.Aggressive, blocking: true, compacting: true);
        Assert.Equal(2_000, kept.Count);
        for (var k = 0; k < kept.Count; k++)
        {
            Assert.Equal(k * 10, kept[k][^1]);
        }
    }

    /// <summary>The <c>VmFlags</c> of the mapping of <c>/proc/self/smaps</c> that holds <paramref name="address"/>.</summary>
    private static string[] FlagsOfMappingAt(ulong address)
    {
        var holds = false;
        foreach (var line in File.ReadLines("/proc/self/smaps"))
        {
            var dash = line.IndexOf('-', StringComparison.Ordinal);
            var space = line.IndexOf(' ', StringComparison.Ordinal);
            if (dash > 0 && space > dash && ulong.TryParse(line.AsSpan(0, dash), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var start)
                && ulong.TryParse(line.AsSpan(dash + 1, space - dash - 1), System.Globalization.NumberStyles.AllowHexSpecifier, System.Globalization.CultureInfo.InvariantCulture, out var end))
            {
                holds = start <= address && address < end;
            }
            else if (holds && line.StartsWith("VmFlags:", StringComparison.Ordinal))
            {
                return line["VmFlags:".Length..].Split(' ', StringSplitOptions.RemoveEmptyEntries);
            }
        }

        return [];
    }
}
