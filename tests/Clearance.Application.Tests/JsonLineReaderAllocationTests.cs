using System.Text;

namespace Clearance.Application.Tests;

/// <summary>
/// What reading a line allocates. Alone, not beside other test classes: while other tests keep the JIT busy the runtime
/// postpones moving the reader to optimised code (it waits for a pause in new compilations), and a line measured before
/// that allocates what the optimised code keeps on the stack; beside other classes one line was once measured at 312
/// bytes and the other at 216.
/// </summary>
[Collection(nameof(WrittenAlone))]
public sealed class JsonLineReaderAllocationTests
{
    /// <summary>The bytes allocated reading <paramref name="json"/>, per line (<see cref="Allocation.Least"/> of rounds of 1,000 lines).</summary>
    private static long PerLine(string json)
    {
        var reader = new JsonLineReader();
        var line = Encoding.UTF8.GetBytes(json);
        return Allocation.Least(() =>
        {
            for (var i = 0; i < 1000; i++)
            {
                reader.Read(line, i);
            }
        }) / 1000;
    }

    [Fact]
    public void Read_InformedAsString_AllocatesNoMoreThanAsBoolean()
    {
        // The happy path stays allocation-free apart from the result itself (id, shipment, value): a string "yes" is
        // parsed on the stack, and the check for unknown fields costs nothing on a line without them.
        // The space after "informed": sends both lines to the walk (a string informed is not read by hand), so that
        // like is compared with like; the line read by hand may only allocate less.
        const string Line = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil","informed": INFORMED,"held":["general-bulk"],"value":{"amount":5,"currency":"JPY"}}""";
        // Each measured after all three have run once: the one measured first otherwise sees the reader before the JIT
        // has optimised it (on a loaded machine its tier-up can come after the measure's window), and allocates more.
        string[] lines = [Line.Replace("INFORMED", "true", StringComparison.Ordinal), Line.Replace("INFORMED", "\"Yes\"", StringComparison.Ordinal), Line.Replace(" INFORMED", "true", StringComparison.Ordinal)];
        var first = lines.Select(PerLine).ToArray();
        var (asBoolean, asString, byHand) = (Math.Min(first[0], PerLine(lines[0])), Math.Min(first[1], PerLine(lines[1])), Math.Min(first[2], PerLine(lines[2])));

        Assert.Equal(asBoolean, asString);
        Assert.True(asBoolean < 512, $"{asBoolean} bytes per line");
        Assert.True(byHand <= asBoolean, $"{byHand} bytes per line read by hand, {asBoolean} walked");
    }

    [Fact]
    public void Read_WorkflowFields_AllocateOnlyTheirStrings()
    {
        // The space sends the plain line to the walk too (workflow fields are not read by hand): like with like.
        const string Check = """{"id":"o-1","date":"2019-07-04","from":"JP","to":"KR","item":"JP:3(1)","end_use": "civil"WORKFLOW}""";
        var plain = PerLine(Check.Replace("WORKFLOW", "", StringComparison.Ordinal));
        var submitted = PerLine(Check.Replace("WORKFLOW", ""","order":"PO-1","line":1,"exporter":"Example Co.","license":"L-1" """.TrimEnd(), StringComparison.Ordinal));
        var read = new JsonLineReader().Read(Encoding.UTF8.GetBytes(Check.Replace("WORKFLOW", ""","order":"PO-1","line":1,"exporter":"Example Co.","license":"L-1" """.TrimEnd(), StringComparison.Ordinal)), 1);

        Assert.Equal(("PO-1", "1", "Example Co.", "L-1"), (read.Shipment!.Order, read.Shipment.OrderLine, read.Shipment.Exporter, read.Shipment.License));
        // The four strings (32 + 24 + 48 + 32 bytes on 64 bits) and the one object that holds the fields most lines
        // leave out (136 bytes: a check line without them pays nothing), nothing else.
        Assert.True(submitted - plain <= 136 + 136, $"{submitted - plain} bytes more per line with the workflow fields");
    }
}
