using System.Text;

namespace Clearance.Application.Tests;

/// <summary>Lines read on a thread of their own come out as the input gives them: every line, in order, then its error.</summary>
public sealed class ReadAheadTests
{
    private static readonly Encoding ShiftJis = InputEncoding.Find("shift_jis")!;

    private static string Lines(int count) => string.Concat(Enumerable.Range(0, count).Select(i =>
        $"{{\"id\":\"o-{i}\",\"date\":\"2023-0{1 + (i % 9)}-1{i % 10}\",\"from\":\"JP\",\"to\":\"{(i % 3 == 0 ? "CN" : "US")}\",\"item\":\"JP:{1 + (i % 15)}(1)\",\"end_use\":\"civil\"}}\n"));

    private static string Describe(ShipmentLine line) =>
        $"{line.Line} {line.Id?.Text} {line.Shipment?.Date} {line.Shipment?.To} {string.Join(",", line.Shipment?.Classifications ?? [])} {line.Error?.Code}";

    /// <summary>The lines <paramref name="lines"/> gives before it throws, and what it throws (null when it ends).</summary>
    private static (List<string> Lines, Exception? Error) Drain(IEnumerable<ShipmentLine> lines)
    {
        var read = new List<string>();
        try
        {
            foreach (var line in lines)
            {
                read.Add(Describe(line));
            }
        }
        catch (IOException e)
        {
            return (read, e);
        }

        return (read, null);
    }

    [Fact]
    public void Of_LinesOverSeveralChunksAndAPartOne_SameLinesInOrder()
    {
        // Three full chunks and a part one, a blank line and a line in error among them.
        var text = Lines(3 * ReadAhead.ChunkSize + 17).Insert(0, "\n{\"id\":\"bad\"}\n");

        var plain = Drain(JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        var ahead = Drain(ReadAhead.Of(JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)))));

        Assert.Null(plain.Error);
        Assert.Null(ahead.Error);
        Assert.Equal(3 * ReadAhead.ChunkSize + 18, ahead.Lines.Count);
        Assert.Equal(plain.Lines, ahead.Lines);
        Assert.StartsWith("2 bad", ahead.Lines[0], StringComparison.Ordinal);
    }

    [Fact]
    public void Of_FewerLinesThanAChunk_SameLinesInOrder()
    {
        var text = Lines(ReadAhead.ChunkSize - 1);

        var plain = Drain(JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text))));
        var ahead = Drain(ReadAhead.Of(JsonLinesInput.Read(new MemoryStream(Encoding.UTF8.GetBytes(text)))));

        Assert.Equal(ReadAhead.ChunkSize - 1, ahead.Lines.Count);
        Assert.Equal(plain.Lines, ahead.Lines);
    }

    [Fact]
    public void Of_EmptyInput_NoLines()
    {
        var (lines, error) = Drain(ReadAhead.Of(JsonLinesInput.Read(new MemoryStream([]))));

        Assert.Empty(lines);
        Assert.Null(error);
    }

    [Fact]
    public void Of_BytesInvalidInTheEncodingAfterManyLines_LinesBeforeThenTheSameError()
    {
        // More than a block of the transcoded input before the bad bytes, so that lines come before the error.
        var bytes = ShiftJis.GetBytes(Lines(12_000)).Concat(new byte[] { 0x81, 0x20, (byte)'\n' }).ToArray();

        var plain = Drain(JsonLinesInput.Read(InputEncoding.AsUtf8(new MemoryStream(bytes), ShiftJis)));
        var ahead = Drain(ReadAhead.Of(JsonLinesInput.Read(InputEncoding.AsUtf8(new MemoryStream(bytes), ShiftJis))));

        Assert.IsType<InputEncodingException>(plain.Error);
        Assert.IsType<InputEncodingException>(ahead.Error);
        Assert.Equal(plain.Error!.Message, ahead.Error!.Message);
        Assert.NotEmpty(ahead.Lines);
        Assert.Equal(plain.Lines, ahead.Lines);
    }

    [Fact]
    public void Of_BadCsvHeader_SameErrorBeforeAnyLine()
    {
        var csv = "id,date,from,to,item,colour\no-1,2023-01-01,JP,CN,JP:1(1),red\n";

        var plain = Record.Exception(() => CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv").ToList());
        var ahead = Record.Exception(() => ReadAhead.Of(CsvShipmentReader.Read(new MemoryStream(Encoding.UTF8.GetBytes(csv)), "orders.csv")).ToList());

        Assert.IsType<CsvHeaderException>(plain);
        Assert.IsType<CsvHeaderException>(ahead);
        Assert.Equal(plain.Message, ahead.Message);
    }

    [Fact]
    public void Of_ConsumerStopsAfterAFewLines_ReaderStopsAndReleasesTheInput()
    {
        var input = new EndlessLines();

        var first = ReadAhead.Of(input).Take(3).Select(l => l.Line).ToList();

        Assert.Equal([1L, 2L, 3L], first);
        Assert.True(SpinWait.SpinUntil(() => input.Released, TimeSpan.FromSeconds(10)), "the reading thread still holds the input");
        Assert.InRange(input.Given, 3, 3 + ((ReadAhead.ChunksInFlight + 2) * ReadAhead.ChunkSize));
    }

    /// <summary>An input without end that counts the lines taken from it and notes when its reader lets it go.</summary>
    private sealed class EndlessLines : IEnumerable<ShipmentLine>
    {
        private int _given;
        private volatile bool _released;

        public int Given => Volatile.Read(ref _given);

        public bool Released => _released;

        public IEnumerator<ShipmentLine> GetEnumerator()
        {
            try
            {
                for (long line = 1; ; line++)
                {
                    Interlocked.Increment(ref _given);
                    yield return new ShipmentLine(line, new ShipmentId($"o-{line}", false), null, new LineError("invalid-field", "not a shipment"));
                }
            }
            finally
            {
                _released = true;
            }
        }

        System.Collections.IEnumerator System.Collections.IEnumerable.GetEnumerator() => GetEnumerator();
    }
}
