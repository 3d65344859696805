using System.Text;
using Clearance.Store;

namespace Clearance.Application.Tests;

/// <summary>The recheck's JSON (<see cref="RecheckJson"/>): the lines as strings (the server's array) and as one stream (the CLI's JSON Lines) agree.</summary>
public sealed class RecheckJsonTests
{
    [Fact]
    public void Write_ManyChanges_TheLinesEachEndedByALineFeedInPiecesAcross64KB()
    {
        // Enough changes that the buffer is written out several times; reasons with non-ASCII names and escapes.
        var changes = Enumerable.Range(0, 2_000).Select(i => new RecheckChange(
            $"SO-{i}/1", "released", i % 3 == 0 ? "L-7" : null, "[]", "held", null,
            $$"""[{"code":"screening-match","party":"end_user","name":"Ünïcödé \"{{i}}\" 株式会社","list":"ofac-sdn","entity":"{{i}}","score":0.91}]""")).ToList();
        var summary = new RecheckSummary(100_000, changes, 5_000, 305, 2_000, [], false);
        using var output = new CountingStream();

        RecheckJson.Write(summary, output);

        var expected = string.Concat(RecheckJson.Lines(summary).Select(line => line + "\n"));
        Assert.Equal(expected, Encoding.UTF8.GetString(output.ToArray()));
        Assert.Equal(2_001, expected.Count(c => c == '\n'));
        Assert.InRange(output.Writes, 2, 1 + (output.Length / (1 << 16)) + 1);
    }

    [Fact]
    public void Write_NoChanges_TheSummaryLineAlone()
    {
        var summary = new RecheckSummary(0, [], 0, 0, 0, [], true);
        using var output = new CountingStream();

        RecheckJson.Write(summary, output);

        Assert.Equal(RecheckJson.Lines(summary).Single() + "\n", Encoding.UTF8.GetString(output.ToArray()));
        Assert.StartsWith("{\"summary\":{", Encoding.UTF8.GetString(output.ToArray()), StringComparison.Ordinal);
    }

    /// <summary>A memory stream that counts the writes it was given (a derived memory stream's span writes come here too).</summary>
    private sealed class CountingStream : MemoryStream
    {
        public int Writes { get; private set; }

        public override void Write(byte[] buffer, int offset, int count)
        {
            Writes++;
            base.Write(buffer, offset, count);
        }
    }
}
