using System.Text;
using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

/// <summary>
/// Issue 7, every XML format: the attribute limits (count per element, value length), the size of one record (elements,
/// characters), and external resolution: a DTD, internal or external, is refused before anything is fetched.
/// </summary>
public sealed class XmlLimitsTests
{
    /// <summary>Format, the file up to inside a record, the rest of the file.</summary>
    public static TheoryData<string, string, string> XmlFormats => new()
    {
        { UnXmlParser.Format, "<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL>", "</INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>" },
        { EuFsfXmlParser.Format, "<export><sanctionEntity>", "</sanctionEntity></export>" },
        { UkSanctionsXmlParser.Format, "<Designations><Designation>", "</Designation></Designations>" },
    };

    /// <summary>Format and root element.</summary>
    public static TheoryData<string, string> XmlRoots => new()
    {
        { UnXmlParser.Format, "CONSOLIDATED_LIST" },
        { EuFsfXmlParser.Format, "export" },
        { UkSanctionsXmlParser.Format, "Designations" },
    };

    private static ListFormatException Refused(string format, string path) =>
        Assert.Throws<ListFormatException>(() => ListFiles.ParseAny(format, [path]).ToList());

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_TooManyAttributes_ErrorNamesElementAndLine(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        var attributes = string.Concat(Enumerable.Range(0, XmlRecordReader.MaxAttributes + 1).Select(i => $" a{i}=\"1\""));
        var path = dir.Write(format + ".xml", $"{open}\n<a{attributes}/>{close}");

        var e = Refused(format, path);

        Assert.Equal((2L, "a"), (e.Line, e.Field));
        Assert.Contains($"257 attributes on one element, more than the maximum of {XmlRecordReader.MaxAttributes}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlRoots))]
    public void XmlParse_TooManyAttributesOnTheRoot_Error(string format, string root)
    {
        using var dir = new TempDirectory();
        var attributes = string.Concat(Enumerable.Range(0, XmlRecordReader.MaxAttributes + 1).Select(i => $" a{i}=\"1\""));
        var path = dir.Write(format + ".xml", $"<{root}{attributes}></{root}>");

        var e = Refused(format, path);

        Assert.Equal((1L, root), (e.Line, e.Field));
        Assert.Contains("attributes on one element", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_AttributeOverTheLimit_ErrorQuotesAtMost200Characters(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(format + ".xml", $"{open}\n<a\n  wholeName=\"{new string('x', XmlRecordReader.MaxTextLength + 1)}\"/>{close}");

        var e = Refused(format, path);

        Assert.Equal((3L, "a"), (e.Line, e.Field));
        Assert.Contains($"attribute 'wholeName' longer than the maximum of {XmlRecordReader.MaxTextLength:N0} characters", e.Message, StringComparison.Ordinal);
        Assert.Contains($"(starts '{new string('x', StrictText.MaxQuotedLength)}...')", e.Message, StringComparison.Ordinal);
        Assert.True(e.Message.Length < 500, e.Message);
    }

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_RecordOfTooManyElements_ErrorNamesTheRecord(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        var path = dir.Write(format + ".xml", open + string.Concat(Enumerable.Repeat("<a/>", XmlRecordReader.MaxRecordElements)) + close);

        var e = Refused(format, path);

        Assert.Equal(1, e.Line);
        Assert.Contains($"a record of more than {XmlRecordReader.MaxRecordElements:N0} elements", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlFormats))]
    public void XmlParse_RecordOverTheTotalTextLimit_ErrorNamesTheRecord(string format, string open, string close)
    {
        using var dir = new TempDirectory();
        var text = new StringBuilder(open).Append('\n');
        var piece = new string('x', XmlRecordReader.MaxTextLength);
        for (var i = 0; i <= XmlRecordReader.MaxRecordLength / XmlRecordReader.MaxTextLength; i++)
            text.Append("<a>").Append(piece).Append("</a>\n");
        var path = dir.Write(format + ".xml", text.Append(close).ToString());

        var e = Refused(format, path);

        Assert.Equal(1, e.Line);
        Assert.Contains($"a record of more than {XmlRecordReader.MaxRecordLength:N0} characters of text", e.Message, StringComparison.Ordinal);
    }

    /// <summary>Markup whose end the piece lexer must find although it holds '&lt;', '&gt;', quotes and partial closings.</summary>
    public static TheoryData<string> TrickyPieces => new()
    {
        "<!-- a -- b - > < <a> -- > --->",
        "<![CDATA[ ]] ] > <x> ]]] > ]]]>",
        "<?pi a ? > <b> ?>",
        "<e a=\"x>y\" b='\"<' c=\"'\" d='>'>",
        "<!DOCTYPE x>",
        "<x/><y></y>",
    };

    [Theory]
    [MemberData(nameof(TrickyPieces))]
    public void XmlPieceGuard_TrickyMarkupThen9MiBOfSmallPieces_ReadsThroughInAnyChunking(string piece)
    {
        var small = Encoding.UTF8.GetBytes("<a b=\"1\">x</a>\n");
        var rest = Enumerable.Repeat(small, (9 << 20) / small.Length).SelectMany(b => b);
        byte[] bytes = [.. Encoding.UTF8.GetBytes("<root>" + piece), .. rest, .. "</root>"u8];
        foreach (var chunk in new[] { 5, 4096, 1 << 16 })
        {
            using var guard = new XmlPieceGuard(new MemoryStream(bytes), "x.xml");
            var buffer = new byte[chunk];
            long total = 0;
            int read;
            while ((read = guard.Read(buffer, 0, buffer.Length)) > 0)
                total += read;
            Assert.Equal(bytes.Length, total);
        }
    }

    [Theory]
    [InlineData("<!-- never closed <a>x</a>", "a comment")]
    [InlineData("<![CDATA[ never closed <a>x</a>", "a CDATA section")]
    [InlineData("<?pi never closed <a>x</a>", "a processing instruction")]
    [InlineData("<a b=\"never closed <a>x</a>", "a tag (with its attributes)")]
    public void XmlPieceGuard_UnclosedPieceOver8MiB_ErrorNamesIt(string start, string what)
    {
        byte[] bytes = [.. Encoding.UTF8.GetBytes("<root>\n" + start), .. Enumerable.Repeat((byte)'x', XmlRecordReader.MaxPieceBytes)];
        using var guard = new XmlPieceGuard(new MemoryStream(bytes), "x.xml");

        var e = Assert.Throws<ListFormatException>(() => guard.CopyTo(Stream.Null));

        Assert.Equal(2, e.Line);
        Assert.StartsWith($"x.xml:2: {what} longer than the maximum of {XmlRecordReader.MaxPieceBytes:N0} bytes", e.Message, StringComparison.Ordinal);
        Assert.Contains($"starts '{StrictText.Shorten(start)}", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlRoots))]
    public void XmlParse_ExternalDtd_RefusedWithoutFetchingIt(string format, string root)
    {
        using var dir = new TempDirectory();
        var dtd = dir.Write("evil.dtd", "<!ENTITY % secret SYSTEM \"file:///etc/hostname\"> <!ENTITY leak \"TOP SECRET\">");
        var path = dir.Write(format + ".xml", $"<?xml version=\"1.0\"?>\n<!DOCTYPE {root} SYSTEM \"file://{dtd}\">\n<{root}>&leak;</{root}>\n");
        File.SetLastAccessTimeUtc(dtd, new DateTime(2000, 1, 1, 0, 0, 0, DateTimeKind.Utc));

        var e = Refused(format, path);

        Assert.Equal(2, e.Line);
        Assert.Contains("declares a DTD", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP SECRET", e.Message, StringComparison.Ordinal);
    }

    [Theory]
    [MemberData(nameof(XmlRoots))]
    public void XmlParse_InternalExternalEntity_RefusedWithoutReadingTheTarget(string format, string root)
    {
        using var dir = new TempDirectory();
        var path = HostileXml.ExternalEntity(dir, root, "&xxe;");

        var e = Refused(format, path);

        Assert.Equal(2, e.Line);
        Assert.Contains("declares a DTD", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("TOP SECRET", e.Message, StringComparison.Ordinal);
    }
}
