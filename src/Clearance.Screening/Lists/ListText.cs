using System.Text;

namespace Clearance.Screening.Lists;

/// <summary>Opens list files for reading text with strict decoding, so that a file in the wrong encoding fails loudly.</summary>
internal static class ListText
{
    /// <summary>UTF-8 that throws on invalid bytes instead of substituting U+FFFD (<see cref="StrictText.Utf8"/>).</summary>
    public static readonly Encoding StrictUtf8 = StrictText.Utf8;

    private static readonly Encoding StrictUtf16LittleEndian = new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true);
    private static readonly Encoding StrictUtf16BigEndian = new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true);

    /// <summary>Windows-1252 (OFAC's legacy files) that throws on the five bytes the code page leaves undefined.</summary>
    public static Encoding StrictWindows1252 { get; } = CreateWindows1252();

    private static Encoding CreateWindows1252()
    {
        Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);
        return Encoding.GetEncoding(1252, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback);
    }

    /// <summary>
    /// The encoding of a file in a legacy single-byte format (OFAC's Windows-1252): UTF-8 when the file has non-ASCII bytes
    /// and all of them form valid UTF-8 (a Windows-1252 text with accents practically never does), Windows-1252 otherwise.
    /// </summary>
    public static Encoding DetectLegacyEncoding(string path)
    {
        const int SniffLimit = 64 << 20;
        try
        {
            using var stream = OpenRead(path);
            var bytes = new byte[(int)Math.Min(stream.Length, SniffLimit)];
            stream.ReadExactly(bytes);
            var span = bytes.AsSpan();
            if (span.IndexOfAnyInRange((byte)0x80, (byte)0xFF) < 0)
                return StrictWindows1252;
            if (bytes.Length == SniffLimit)
                span = span[..(span.LastIndexOf((byte)'\n') + 1)]; // do not judge a sequence cut at the limit
            return System.Text.Unicode.Utf8.IsValid(span) ? StrictUtf8 : StrictWindows1252;
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListFormatException(path, 0, null, $"cannot open the file: {e.Message}", e);
        }
    }

    /// <summary>
    /// Test hook: the bytes to read for a path instead of the file's (null: the file), for the current async flow only,
    /// so that a test can give a parser a generated input of any size (a 166 MB name) without writing it to disk.
    /// </summary>
    internal static readonly AsyncLocal<Func<string, Stream?>?> Source = new();

    /// <summary>Opens the bytes of a list file for reading, sequentially (see <see cref="Source"/>).</summary>
    /// <exception cref="IOException">The file cannot be opened.</exception>
    public static Stream OpenRead(string path) =>
        Source.Value?.Invoke(path) ?? new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16, FileOptions.SequentialScan);

    /// <summary>
    /// Opens <paramref name="path"/> as text in <paramref name="encoding"/>; a byte-order mark overrides it (a UTF-8 or
    /// UTF-16 file with a BOM is read whatever the format's usual encoding) and is skipped. Decoding stays strict either
    /// way: the BOM is recognised here rather than by the reader, whose own detection switches to a lenient decoder.
    /// </summary>
    public static StreamReader Open(string path, Encoding encoding)
    {
        try
        {
            var stream = OpenRead(path);
            return StrictText.Open(stream, EncodingOfByteOrderMark(stream) ?? encoding);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListFormatException(path, 0, null, $"cannot open the file: {e.Message}", e);
        }
    }

    /// <summary>The strict encoding a leading BOM names (the reader skips the BOM as its preamble), or null; rewinds.</summary>
    private static Encoding? EncodingOfByteOrderMark(Stream stream)
    {
        if (!stream.CanSeek)
            return null; // a pipe: read as the format's encoding, a BOM then being an error or U+FEFF
        Span<byte> start = stackalloc byte[3];
        var read = stream.ReadAtLeast(start, 3, throwOnEndOfStream: false);
        stream.Position = 0;
        return start[..read] switch
        {
            [0xEF, 0xBB, 0xBF] => StrictText.Utf8,
            [0xFF, 0xFE, ..] => StrictUtf16LittleEndian,
            [0xFE, 0xFF, ..] => StrictUtf16BigEndian,
            _ => null,
        };
    }

    /// <summary>
    /// Names the problem when decoding fails part-way. The reader decodes in blocks, so the failing line is found
    /// by decoding the file again line by line (only on this error path).
    /// </summary>
    public static ListFormatException EncodingError(string file, Encoding expected, DecoderFallbackException e) =>
        new(file, FindUndecodableLine(file, expected), null,
            $"bytes that are not valid {expected.WebName}: the file is in another encoding or damaged", e);

    private static long FindUndecodableLine(string file, Encoding encoding)
    {
        try
        {
            var bytes = File.ReadAllBytes(file);
            long line = 1;
            var start = 0;
            for (var i = 0; i <= bytes.Length; i++)
            {
                if (i < bytes.Length && bytes[i] != (byte)'\n')
                    continue;
                try
                {
                    encoding.GetCharCount(bytes, start, i - start);
                }
                catch (DecoderFallbackException)
                {
                    return line;
                }
                line++;
                start = i + 1;
            }
        }
        catch (IOException)
        {
        }
        return 0;
    }

    /// <summary>The error for a NUL character, which no list text contains: usually a UTF-16 file without BOM or a binary file.</summary>
    public static ListFormatException NulCharacter(string file, long line) =>
        new(file, line, null, "NUL character in the text: the file is not in the expected encoding (UTF-16 without byte-order mark?) or not a text file");
}
