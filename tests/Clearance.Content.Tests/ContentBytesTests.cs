using System.Text;

namespace Clearance.Content.Tests;

/// <summary>
/// The built-in files read as bytes (<see cref="ContentLoader.BuiltInFileBytes"/>): their texts decoded at once against
/// the <see cref="StreamReader"/> that read them before, and their version id hashed from the bytes against the id of
/// their texts.
/// </summary>
public sealed class ContentBytesTests
{
    [Fact]
    public void Decode_BuiltInFiles_AsTheStreamReaderReadsThem()
    {
        var files = ContentLoader.BuiltInFileBytes();

        Assert.Equal(5, files.Count);
        foreach (var (name, bytes) in files)
        {
            Assert.True(name.EndsWith(".yaml", StringComparison.Ordinal), name);
            Assert.Equal(ContentLoader.DecodeByReader(bytes), ContentLoader.Decode(bytes));
        }
    }

    [Fact]
    public void Version_BuiltInBytes_AsTheVersionOfTheirTexts()
    {
        var files = ContentLoader.BuiltInFileBytes();
        var texts = files.Select(f => (f.Name, ContentLoader.DecodeByReader(f.Bytes))).ToList();

        Assert.Equal(ContentLoader.Version(texts), ContentLoader.Version(files));
        Assert.Equal(ContentLoader.LoadBuiltIn().Version, ContentLoader.Version(files));
    }

    [Theory]
    [InlineData("plain: text\nnext: line\n")]
    [InlineData("crlf: text\r\nnext: line\r\n")]
    [InlineData("cr: text\rnext")]
    [InlineData("form\ffeed")]
    [InlineData("next line \u0085 here")]
    [InlineData("line \u2028 and paragraph \u2029 separators")]
    [InlineData("\uFEFFbom: first")]
    [InlineData("kana \u30ab\u30ca and emoji \U0001F600\n")]
    [InlineData("")]
    public void Version_OddTexts_AsTheVersionOfTheirTexts(string text)
    {
        AssertSameVersion(Encoding.UTF8.GetBytes(text));
    }

    [Theory]
    [InlineData(new byte[] { 0x61, 0xC3, 0x28, 0x62 })] // a broken two-byte sequence
    [InlineData(new byte[] { 0xED, 0xA0, 0x80 })] // a surrogate encoded
    [InlineData(new byte[] { 0xC0, 0xAF })] // an overlong '/'
    [InlineData(new byte[] { 0x61, 0xE2, 0x82 })] // cut short
    [InlineData(new byte[] { 0xFF, 0xFE, 0x61, 0x00 })] // a UTF-16 mark: the reader reads UTF-16
    [InlineData(new byte[] { 0xFE, 0xFF, 0x00, 0x61 })]
    [InlineData(new byte[] { 0x00, 0x00, 0xFE, 0xFF, 0x00, 0x00, 0x00, 0x61 })]
    [InlineData(new byte[] { 0x00, 0x61 })]
    [InlineData(new byte[] { 0xEF, 0xBB })] // half a UTF-8 mark
    public void Decode_InvalidOrMarkedBytes_AsTheStreamReaderReadsThem(byte[] bytes)
    {
        Assert.Equal(ContentLoader.DecodeByReader(bytes), ContentLoader.Decode(bytes));
        AssertSameVersion(bytes);
    }

    [Fact]
    public void DecodeAndVersion_RandomBytes_AsTheReaderAndTheTexts()
    {
        // Mostly ASCII with line endings, marks and multi-byte sequences, some of them broken: every path of both.
        var random = new Random(20261204);
        byte[][] pieces = [[(byte)'a'], [(byte)'\n'], [(byte)'\r'], [(byte)'\f'], [0xC2, 0x85], [0xE2, 0x80, 0xA8], [0xE2, 0x80, 0xA9],
            [0xEF, 0xBB, 0xBF], [0xFF, 0xFE], [0xE3, 0x82, 0xAB], [0xF0, 0x9F, 0x98, 0x80], [0xC3], [0x80], [0xED, 0xA0, 0x80], [0x00]];
        for (var n = 0; n < 2_000; n++)
        {
            var bytes = new List<byte>();
            var length = random.Next(0, 40);
            for (var i = 0; i < length; i++)
            {
                bytes.AddRange(random.Next(3) == 0 ? pieces[random.Next(pieces.Length)] : [(byte)random.Next(0x20, 0x7F)]);
            }

            var array = bytes.ToArray();
            Assert.Equal(ContentLoader.DecodeByReader(array), ContentLoader.Decode(array));
            AssertSameVersion(array);
        }
    }

    private static void AssertSameVersion(byte[] bytes)
    {
        (string, byte[])[] files = [("b.yaml", bytes), ("a.yaml", "a: 1\n"u8.ToArray())];
        Assert.Equal(ContentLoader.Version([.. files.Select(f => (f.Item1, ContentLoader.DecodeByReader(f.Item2)))]), ContentLoader.Version(files));
    }
}
