using System.Diagnostics;
using System.Text;
using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

/// <summary>Issue 7: hostile or damaged text never truncates a list silently, never decodes leniently, never hangs.</summary>
public sealed class HostileTextTests
{
    private static readonly byte[] Utf8Bom = [0xEF, 0xBB, 0xBF];

    /// <summary>The file's bytes with <paramref name="inserted"/> put at the start of line <paramref name="line"/>.</summary>
    private static byte[] InsertLine(string path, int line, byte[] inserted)
    {
        var bytes = File.ReadAllBytes(path);
        var at = 0;
        for (var i = 1; i < line; i++)
            at = Array.IndexOf(bytes, (byte)'\n', at) + 1;
        return [.. bytes.AsSpan(0, at), .. inserted, .. bytes.AsSpan(at)];
    }

    [Fact]
    public void CslParse_CtrlZLineMidFile_IsAnErrorNotATruncation()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("consolidated.csv", InsertLine(SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"), 11705, "\u001A\r\n"u8.ToArray()));

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).Count());

        Assert.Equal(11705, e.Line);
        Assert.Equal("#1", e.Field);
        Assert.Contains("control character U+001A", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OfacParse_CtrlZLineMidFile_IsAnErrorNotATruncation()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("sdn.csv", InsertLine(SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv"), 8079, "\u001A\r\n"u8.ToArray()));

        var e = Assert.Throws<ListFormatException>(() => OfacCsvParser.Parse([path]).Count());

        Assert.Equal(8079, e.Line);
        Assert.Contains("control character U+001A", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_TrailingCtrlZThenLineBreaks_EndsTheFile()
    {
        using var reader = new DelimitedReader(new StringReader("a,b\r\n\u001A\r\n\r\n"), "x.csv");
        var fields = new List<string>();

        Assert.True(reader.TryRead(fields));
        Assert.Equal(["a", "b"], fields);
        Assert.False(reader.TryRead(fields));
    }

    [Theory]
    [InlineData("a,b\nc,d\u0007e\n", 2, "#2")]
    [InlineData("a,b\nc,\"d\ne\u001Bf\"\n", 3, "#2")]
    [InlineData("a\u001Ab\n", 1, "#1")]
    public void TryRead_ControlCharacterInField_ErrorNamesLineAndField(string text, long line, string field)
    {
        using var reader = new DelimitedReader(new StringReader(text), "x.csv");
        var fields = new List<string>();

        var e = Assert.Throws<ListFormatException>(() => { while (reader.TryRead(fields)) { } });

        Assert.Equal((line, field), (e.Line, e.Field));
        Assert.StartsWith($"x.csv:{line}: field '{field}': control character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void TryRead_TabsAndLineBreaksInQuotedField_StayLegal()
    {
        using var reader = new DelimitedReader(new StringReader("\"a\tb\r\nc\",d\n"), "x.csv");
        var fields = new List<string>();

        Assert.True(reader.TryRead(fields));
        Assert.Equal(["a\tb\r\nc", "d"], fields);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void CslParse_InvalidUtf8_ErrorNamesLineWithOrWithoutBom(bool bom)
    {
        using var dir = new TempDirectory();
        var bytes = InsertLine(SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"), 3, [.. "x,BANK OF KUNL"u8, 0xE9, .. "N\r\n"u8]);
        var path = dir.WriteBytes("consolidated.csv", bom ? [.. Utf8Bom, .. bytes] : bytes);

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).Count());

        Assert.Equal(3, e.Line);
        Assert.Contains("not valid utf-8", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void CslParse_Bom_IsSkipped()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("consolidated.csv", [.. Utf8Bom, .. File.ReadAllBytes(SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv"))]);

        Assert.Equal(25921, CslCsvParser.Parse(path).Count());
    }

    [Fact]
    public void OfacParse_Utf8BomThenInvalidBytes_RefusedNotReplaced()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("sdn.csv", [.. Utf8Bom, .. "1,\"BANK OF KUNL"u8, 0xDA, .. "N\",\"-0- \",\"SDGT\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\u001A"u8]);

        var e = Assert.Throws<ListFormatException>(() => OfacCsvParser.Parse([path]).Count());

        Assert.Equal(1, e.Line);
        Assert.Contains("not valid utf-8", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void FtmParse_InvalidUtf8_ErrorNamesLineWithOrWithoutBom(bool bom)
    {
        using var dir = new TempDirectory();
        byte[] bytes = [.. "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"A\"]}}\n"u8,
            .. "{\"id\": \"b\", \"schema\": \"Company\", \"properties\": {\"name\": [\"KUNL"u8, 0xE9, .. "N\"]}}\n"u8];
        var path = dir.WriteBytes("entities.ftm.json", bom ? [.. Utf8Bom, .. bytes] : bytes);

        var e = Assert.Throws<ListFormatException>(() => FtmParser.Parse(path).Count());

        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void FtmParse_Bom_IsSkipped()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("entities.ftm.json", [.. Utf8Bom, .. "{\"id\": \"a\", \"schema\": \"Company\", \"properties\": {\"name\": [\"A\"]}}\n"u8]);

        Assert.Equal("a", Assert.Single(FtmParser.Parse(path)).EntityId);
    }

    [Fact]
    public void TryRead_EndlessLine_ErrorWithinTheLimitQuotingAtMost200Characters()
    {
        var source = new EndlessStream((byte)'a', 64 << 20);
        using var reader = new DelimitedReader(StrictText.OpenUtf8(source), "endless.csv");

        var e = Assert.Throws<ListFormatException>(() => reader.TryRead([]));

        Assert.Equal((1, "#1"), (e.Line, e.Field));
        Assert.Contains("longer than the maximum of 1,048,576 characters", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 400, e.Message.Length.ToString());
        Assert.True(source.BytesRead < 4 << 20);
    }

    [Fact]
    public void TryRead_EndlessZeros_NulErrorAtOnce()
    {
        var source = new EndlessStream(0, 64 << 20);
        using var reader = new DelimitedReader(StrictText.OpenUtf8(source), "zero");

        var e = Assert.Throws<ListFormatException>(() => reader.TryRead([]));

        Assert.Contains("NUL character", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void ReadLine_EndlessLine_ErrorWithinTheLimit()
    {
        var source = new EndlessStream((byte)'{', 64 << 20);
        using var reader = StrictText.OpenUtf8(source);

        var e = Assert.Throws<ListFormatException>(() => StrictText.ReadLine(reader, new StringBuilder(), "endless.json", 1));

        Assert.Equal(1, e.Line);
        Assert.True(e.Message.Length < 400, e.Message.Length.ToString());
        Assert.True(source.BytesRead < 4 << 20);
    }

    [Theory]
    [InlineData(false)]
    [InlineData(true)]
    public void UnXmlParse_InvalidUtf8_ErrorNamesLineWithOrWithoutBom(bool bom)
    {
        using var dir = new TempDirectory();
        var original = File.ReadAllBytes(SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"));
        var at = original.AsSpan().IndexOf("<FIRST_NAME>"u8) + "<FIRST_NAME>".Length;
        byte[] bytes = [.. original.AsSpan(0, at), .. "KUNL"u8, 0xE9, .. "N"u8, .. original.AsSpan(at)];
        var path = dir.WriteBytes("un.xml", bom ? [.. Utf8Bom, .. bytes] : bytes);

        var e = Assert.Throws<ListFormatException>(() => UnXmlParser.Parse(path).Count());

        Assert.Equal(7, e.Line);
        Assert.Contains("bytes that are not valid in the declared encoding", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void OwnCsvParse_HugeUnknownHeader_MessageQuotesAtMost200Characters()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("own.csv", "id,name," + new string('x', 100_000) + "\n1,A,b\n");

        var e = Assert.Throws<ListFormatException>(() => OwnCsvParser.Parse(path).Count());

        Assert.Contains("field 'xxx", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 500, e.Message.Length.ToString());
    }

    public static TheoryData<string, string, string> XmlFormats => new()
    {
        { "un", "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>" },
        { "eu-fsf", "<export><sanctionEntity>", "</sanctionEntity></export>" },
        { "uk-sanctions", "<Designations><Designation>", "</Designation></Designations>" },
        { "outside-records", "<CONSOLIDATED_LIST><INDIVIDUALS>", "</INDIVIDUALS></CONSOLIDATED_LIST>" },
    };

    private static IEnumerable<ListEntity> ParseXml(string format, string path) => format switch
    {
        "eu-fsf" => EuFsfXmlParser.Parse(path),
        "uk-sanctions" => UkSanctionsXmlParser.Parse(path),
        _ => UnXmlParser.Parse(path),
    };

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_200000LevelsDeep_ErrorAtOnce(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        const int Levels = 200_000;
        var xml = new StringBuilder(open).Append('\n');
        for (var i = 0; i < Levels; i++)
            xml.Append("<a>");
        xml.Append('x');
        for (var i = 0; i < Levels; i++)
            xml.Append("</a>");
        var path = dir.Write(format + ".xml", xml.Append(close).ToString());
        var clock = Stopwatch.StartNew();

        var e = Assert.Throws<ListFormatException>(() => ParseXml(format, path).Count());

        Assert.True(clock.Elapsed < TimeSpan.FromSeconds(2), clock.Elapsed.ToString()); // only bounds a hang: it takes milliseconds
        Assert.Equal(2, e.Line);
        Assert.Equal("a", e.Field);
        Assert.Contains($"nested more than {XmlRecordReader.MaxDepth} levels", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_TextOverTheLimit_ErrorNamesElement(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(format + ".xml", open + "\n<a>" + new string('x', XmlRecordReader.MaxTextLength + 1) + "</a>" + close);

        var e = Assert.Throws<ListFormatException>(() => ParseXml(format, path).Count());

        Assert.Equal(2, e.Line);
        Assert.Contains("text longer than the maximum", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 500, e.Message.Length.ToString());
    }
}
