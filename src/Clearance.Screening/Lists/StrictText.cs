using System.Text;

namespace Clearance.Screening.Lists;

/// <summary>
/// The one strict text decoding for every text input (list files, <c>check</c> CSV, <c>screen --input</c>) and the
/// input size limits. A byte-order mark is accepted and skipped, and never changes how strictly the rest is decoded:
/// invalid bytes are an error whether or not the file starts with a BOM.
/// </summary>
public static class StrictText
{
    /// <summary>
    /// The longest line or record (and so the longest field) any text input may have, in characters (bytes for JSON
    /// Lines): 1 MiB. No real list entry or shipment comes near it; the limit is checked while reading, so an endless
    /// line (<c>/dev/zero</c>, a damaged download) ends with an error instead of filling memory.
    /// </summary>
    public const int MaxLineLength = 1 << 20;

    /// <summary>How many characters of an offending input an error message quotes at most.</summary>
    public const int MaxQuotedLength = 200;

    /// <summary>
    /// UTF-8 that throws on invalid bytes. Its preamble is the BOM, so a <see cref="StreamReader"/> that does not detect
    /// encodings skips a leading BOM and keeps decoding strictly (BOM detection would switch to the lenient
    /// <see cref="Encoding.UTF8"/>, which turns invalid bytes into U+FFFD).
    /// </summary>
    public static readonly Encoding Utf8 = new UTF8Encoding(encoderShouldEmitUTF8Identifier: true, throwOnInvalidBytes: true);

    /// <summary>A reader of <paramref name="source"/> as strict UTF-8, a leading BOM skipped.</summary>
    public static StreamReader OpenUtf8(Stream source) => Open(source, Utf8);

    /// <summary>
    /// A reader of <paramref name="source"/> in <paramref name="encoding"/> (its preamble, a BOM, skipped) that marks
    /// each invalid byte sequence with <see cref="InvalidBytes.Marker"/> instead of throwing: the reader decodes in
    /// blocks, so an exception could not say on which line the bytes are; the marker is met on its line and field.
    /// </summary>
    internal static StreamReader Open(Stream source, Encoding encoding)
    {
        var marking = (Encoding)encoding.Clone();
        marking.DecoderFallback = new InvalidBytes();
        return new StreamReader(source, marking, detectEncodingFromByteOrderMarks: false, bufferSize: 1 << 16);
    }

    /// <summary>The invalid-bytes record of a reader opened here, or null (a reader that throws or never fails).</summary>
    internal static InvalidBytes? InvalidBytesOf(TextReader reader) =>
        (reader as StreamReader)?.CurrentEncoding.DecoderFallback as InvalidBytes;

    /// <summary>The error for invalid bytes met on a line.</summary>
    internal static ListFormatException InvalidBytesError(string file, long line, string? field, TextReader reader) =>
        new(file, line, field, $"bytes that are not valid {((StreamReader)reader).CurrentEncoding.WebName}: the file is in another encoding or damaged");

    /// <summary>
    /// Reads one line of at most <see cref="MaxLineLength"/> characters into <paramref name="line"/> (without its line
    /// break); false at the end of the input. A longer line is a <see cref="ListFormatException"/> raised as soon as
    /// the limit is passed, naming <paramref name="file"/> and <paramref name="lineNumber"/>.
    /// </summary>
    public static bool ReadLine(TextReader reader, StringBuilder line, string file, long lineNumber)
    {
        line.Clear();
        int c;
        while ((c = reader.Read()) >= 0)
        {
            if (c == '\n')
                return true;
            if (c == '\r')
            {
                if (reader.Peek() == '\n')
                    reader.Read();
                return true;
            }
            if (c == InvalidBytes.Marker && InvalidBytesOf(reader) is { Seen: true })
                throw InvalidBytesError(file, lineNumber, null, reader);
            if (line.Length == MaxLineLength)
                throw LineTooLong(file, lineNumber, line.ToString());
            line.Append((char)c);
        }
        return line.Length > 0;
    }

    /// <summary>The error for a line or record longer than <see cref="MaxLineLength"/>, quoting its start.</summary>
    public static ListFormatException LineTooLong(string file, long line, string start, string? field = null) =>
        new(file, line, field, $"longer than the maximum of {MaxLineLength:N0} characters per line (starts {Quote(start)})");

    /// <summary><paramref name="text"/> in single quotes for an error message, shortened as by <see cref="Shorten"/>.</summary>
    public static string Quote(string text) => "'" + Shorten(text) + "'";

    /// <summary>
    /// <paramref name="text"/> for an error message: at most <see cref="MaxQuotedLength"/> characters (then "..."),
    /// control characters escaped, so a hostile input can neither flood the terminal nor send it escape sequences.
    /// </summary>
    public static string Shorten(string text)
    {
        var shown = new StringBuilder();
        foreach (var c in text.Length > MaxQuotedLength ? text.AsSpan(0, MaxQuotedLength) : text.AsSpan())
        {
            if (char.IsControl(c))
                shown.Append($"\\u{(int)c:X4}");
            else
                shown.Append(c);
        }
        if (text.Length > MaxQuotedLength)
            shown.Append("...");
        return shown.ToString();
    }
}

/// <summary>
/// Replaces each invalid byte sequence with U+FFFF, a noncharacter no list or input text holds, and remembers that it
/// did, so a U+FFFF read afterwards is known to be such a mark.
/// </summary>
internal sealed class InvalidBytes : DecoderFallback
{
    /// <summary>The character that stands for an invalid byte sequence.</summary>
    public const char Marker = '\uFFFF';

    /// <summary>Whether any invalid sequence has been decoded.</summary>
    public bool Seen { get; private set; }

    /// <inheritdoc/>
    public override int MaxCharCount => 1;

    /// <inheritdoc/>
    public override DecoderFallbackBuffer CreateFallbackBuffer() => new MarkerBuffer(this);

    private sealed class MarkerBuffer(InvalidBytes owner) : DecoderFallbackBuffer
    {
        private int _remaining;

        public override int Remaining => _remaining;

        public override bool Fallback(byte[] bytesUnknown, int index)
        {
            owner.Seen = true;
            _remaining = 1;
            return true;
        }

        public override char GetNextChar()
        {
            if (_remaining == 0)
                return '\0';
            _remaining--;
            return Marker;
        }

        public override bool MovePrevious()
        {
            if (_remaining == 1)
                return false;
            _remaining++;
            return true;
        }

        public override void Reset() => _remaining = 0;
    }
}
