using System.Text;

namespace Clearance.Application.Tests;

/// <summary>Inputs in Shift_JIS (Excel in Japan) and UTF-16 read as UTF-8; bytes invalid in the encoding are an error.</summary>
public sealed class InputEncodingTests
{
    private static readonly Encoding ShiftJis = InputEncoding.Find("shift_jis")!;

    private const string Csv = "id,date,from,to,item,end_use,end_user,consignee\nj1,2024-01-01,JP,CN,JP:16,civil,北京航空航天大学,株式会社サンプル商事\n";

    private static List<ShipmentLine> ReadCsv(Stream source, Encoding? encoding) =>
        [.. CsvShipmentReader.Read(InputEncoding.AsUtf8(source, encoding), "orders.csv")];

    [Theory]
    [InlineData("shift_jis")]
    [InlineData("Shift-JIS")]
    [InlineData("CP932")]
    [InlineData("sjis")]
    [InlineData("windows-31j")]
    [InlineData("utf-8")]
    [InlineData("UTF-16")]
    [InlineData("utf-16be")]
    public void Find_KnownNames_AnyCase(string name) => Assert.NotNull(InputEncoding.Find(name));

    [Theory]
    [InlineData("latin1")]
    [InlineData("euc-jp")]
    [InlineData("")]
    public void Find_UnknownName_Null(string name) => Assert.Null(InputEncoding.Find(name));

    [Fact]
    public void AsUtf8_ShiftJisCsvWithJapaneseNames_NamesReadIntact()
    {
        var line = Assert.Single(ReadCsv(new MemoryStream(ShiftJis.GetBytes(Csv)), ShiftJis));

        Assert.Null(line.Error);
        Assert.Equal("北京航空航天大学", line.Shipment!.EndUser);
        Assert.Equal("株式会社サンプル商事", line.Shipment.Consignee);
    }

    [Fact]
    public void AsUtf8_ShiftJisReadAsUtf8_ErrorNotMojibake()
    {
        // Without --encoding, Shift_JIS bytes are not UTF-8: the line is an error, never a garbled name that is screened.
        var lines = ReadCsv(new MemoryStream(ShiftJis.GetBytes(Csv)), null);

        Assert.NotNull(lines[^1].Error);
        Assert.DoesNotContain(lines, l => l.Shipment?.EndUser is { } name && name.Contains('\uFFFD', StringComparison.Ordinal));
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void AsUtf8_Utf16WithByteOrderMark_DetectedWithoutEncoding(bool bigEndian)
    {
        var encoding = new UnicodeEncoding(bigEndian, byteOrderMark: true);
        var bytes = encoding.GetPreamble().Concat(encoding.GetBytes(Csv)).ToArray();

        var line = Assert.Single(ReadCsv(new MemoryStream(bytes), null));

        Assert.Equal("北京航空航天大学", line.Shipment!.EndUser);
    }

    [Fact]
    public void AsUtf8_Utf16JsonLinesFromAPipe_Read()
    {
        // Standard input cannot seek: the byte-order mark is peeked and replayed.
        var json = """{"id":"u1","date":"2024-01-01","from":"JP","to":"CN","item":"JP:16","end_user":"김정은"}""" + "\n";
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes(json)).ToArray();

        var line = Assert.Single(JsonLinesInput.Read(InputEncoding.AsUtf8(NonSeekable(bytes), null)));

        Assert.Equal("김정은", line.Shipment!.EndUser);
    }

    [Fact]
    public void AsUtf8_Utf8WithoutEncoding_SameStream()
    {
        var source = new MemoryStream(Encoding.UTF8.GetBytes(Csv));

        Assert.Same(source, InputEncoding.AsUtf8(source, null));
    }

    [Fact]
    public void AsUtf8_BytesInvalidInShiftJisCsv_ErrorNamesBytesAndEncoding()
    {
        // 0x81 leads a two-byte character; 0x20 cannot follow it.
        var bytes = ShiftJis.GetBytes("id,date\nj1,").Concat(new byte[] { 0x81, 0x20 }).Concat(ShiftJis.GetBytes("\n")).ToArray();

        var error = Assert.Throws<InputEncodingException>(() => ReadCsv(new MemoryStream(bytes), ShiftJis));

        Assert.StartsWith("0x81", error.Message, StringComparison.Ordinal);
        Assert.Contains("not valid shift_jis text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsUtf8_BytesInvalidInShiftJisJsonLines_ErrorNamesBytesAndEncoding()
    {
        var bytes = ShiftJis.GetBytes("{\"id\":\"").Concat(new byte[] { 0x81, 0x20 }).Concat(ShiftJis.GetBytes("\"}\n")).ToArray();

        var error = Assert.Throws<InputEncodingException>(() => JsonLinesInput.Read(InputEncoding.AsUtf8(new MemoryStream(bytes), ShiftJis)).ToList());

        Assert.Contains("not valid shift_jis text", error.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void AsUtf8_LoneSurrogateInUtf16_ErrorNamesUtf16()
    {
        var bytes = Encoding.Unicode.GetPreamble().Concat(Encoding.Unicode.GetBytes("id\nx")).Concat(new byte[] { 0x00, 0xD8, 0x41, 0x00 }).ToArray();

        var error = Assert.Throws<InputEncodingException>(() => ReadCsv(new MemoryStream(bytes), null));

        Assert.Contains("not valid utf-16 text", error.Message, StringComparison.Ordinal);
    }

    /// <summary>The bytes through a stream that cannot seek, as standard input is.</summary>
    private static Stream NonSeekable(byte[] bytes)
    {
        var compressed = new MemoryStream();
        using (var gzip = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionLevel.Fastest, leaveOpen: true))
        {
            gzip.Write(bytes);
        }

        compressed.Position = 0;
        var stream = new System.IO.Compression.GZipStream(compressed, System.IO.Compression.CompressionMode.Decompress);
        Assert.False(stream.CanSeek);
        return stream;
    }
}
