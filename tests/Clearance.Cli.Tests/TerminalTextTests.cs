namespace Clearance.Cli.Tests;

public sealed class TerminalTextTests
{
    [Fact]
    public void Markup_LineFeedStaysALineBreak_OtherControlsEscaped()
    {
        Assert.Equal("title\ncitation [[S7]]\\u000d\\u001b", TerminalText.Markup("title\ncitation [S7]\r\u001b"));
        Assert.Equal("title\\u000acitation", TerminalText.Visible("title\ncitation"));
    }

    [Theory]
    [InlineData("a ─ b", 5)]
    [InlineData("\u001b[1mbold\u001b[0m", 4)]
    [InlineData("Ga-2 (가의2)", 12)]
    [InlineData("北京航空航天大学", 16)]
    public void Columns_CountsWideCharactersTwiceAndEscapesNone(string line, int columns) =>
        Assert.Equal(columns, ReadmeCommandTests.Columns(line));
}
