using System.Text;

namespace Clearance.Application.Tests;

/// <summary>Screening input read from a stream, a bad line at a time (issue 8).</summary>
public sealed class ScreenInputTests
{
    private static List<InputLine<PartyRecord>> Parties(byte[] bytes, bool csv = false) =>
        [.. ScreenInput.ReadParties(new MemoryStream(bytes), "parties", csv)];

    [Fact]
    public void ReadParties_LineLongerThanTheLimit_ErrorOnItsLineEndsTheInput()
    {
        var lines = Utf8Lines.Read(new MemoryStream([.. "first\r\n"u8, .. Encoding.UTF8.GetBytes(new string('a', 300_000)), .. "\r\nnext\r\n"u8]), maxLineLength: 100_000)
            .Select(l => (l.Line, Text: Encoding.UTF8.GetString(l.Text.Span), l.Error)).ToList(); // a line's bytes last until the next is read

        Assert.Equal(2, lines.Count);
        Assert.Equal((1L, "first"), (lines[0].Line, lines[0].Text));
        Assert.Equal((2L, "line-too-long"), (lines[1].Line, lines[1].Error?.Code));
        Assert.True(lines[1].Error!.Message.Length < 400);
    }

    [Fact]
    public void ReadParties_EndlessLine_OneErrorRecordWithoutFillingMemory()
    {
        var line = Assert.Single(ScreenInput.ReadParties(new EndlessStream((byte)'a', 64 << 20), "-", csv: false));

        Assert.Equal("line-too-long", line.Error?.Code);
    }

    [Fact]
    public void ReadParties_NumbersBlankLinesAndCrLf_LineNumbersAreTheFiles()
    {
        var lines = Parties("{\"id\": 7, \"name\": \"A\"}\r\n\r\n  \n{\"name\": \"B\", \"type\": \"Person\"}"u8.ToArray());

        Assert.Equal([(1L, "7"), (4L, "4")], lines.Select(l => (l.Line, l.Id!)));
        Assert.Equal(Clearance.Screening.EntityKind.Person, lines[1].Record!.Kind);
    }

    [Fact]
    public void ReadParties_ShiftJisInvalidBytes_ErrorRecordAndTheRestIsNotRead()
    {
        Stream source = InputEncoding.AsUtf8(new MemoryStream([.. "{\"name\":\"A\"}\n"u8, 0x81, 0x20, .. "\n{\"name\":\"B\"}\n"u8]), InputEncoding.Find("shift_jis"));

        var lines = ScreenInput.ReadParties(source, "parties", csv: false).ToList();

        Assert.Equal("invalid-encoding", Assert.Single(lines, l => l.Error is not null).Error!.Code);
    }

    [Fact]
    public void ReadParties_CsvWithoutHeader_DefaultColumnsAndTooManyFieldsIsAnErrorRecord()
    {
        var lines = Parties("1,ACME,cn,organization,,Main St\n2,ACME,CN,,,addr,extra\n3,Other\n"u8.ToArray(), csv: true);

        Assert.Equal(("1", "ACME", "CN", "Main St"), (lines[0].Record!.Id, lines[0].Record!.Name, lines[0].Record!.Country, lines[0].Record!.Address));
        Assert.Equal("line 2: 7 fields, the header has 6", lines[1].Error?.Message);
        Assert.Equal("Other", lines[2].Record!.Name);
    }
}
