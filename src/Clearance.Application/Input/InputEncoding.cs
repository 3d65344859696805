using System.Text;

namespace Clearance.Application;

/// <summary>
/// The text encodings a user may give for an input file (<c>--encoding</c>): UTF-8 (the default), UTF-16 and
/// Shift_JIS / CP932 (what Excel in Japan saves a CSV as). A file in another encoding than UTF-8 is transcoded to
/// strict UTF-8 as it is read, so every reader keeps one decoder; a UTF-16 byte-order mark selects UTF-16 by itself.
/// Bytes that are not valid in the encoding are an error, never a replacement character in a name that is then
/// screened.
/// </summary>
public static class InputEncoding
{
    /// <summary>The names <c>--encoding</c> accepts, as shown in help and errors.</summary>
    public static readonly IReadOnlyList<string> Names = ["utf-8", "utf-16", "utf-16be", "shift_jis"];

    static InputEncoding() => Encoding.RegisterProvider(CodePagesEncodingProvider.Instance);

    /// <summary>
    /// The encoding named <paramref name="name"/> (case-insensitive; <c>cp932</c>, <c>sjis</c>, <c>windows-31j</c> and
    /// <c>utf-16le</c> are accepted too), throwing on invalid bytes; null for a name that is not one of them.
    /// </summary>
    public static Encoding? Find(string name)
    {
        ArgumentNullException.ThrowIfNull(name);
        return name.Trim().ToLowerInvariant() switch
        {
            "utf-8" or "utf8" => new UTF8Encoding(false, true),
            "utf-16" or "utf-16le" or "utf16" => new UnicodeEncoding(bigEndian: false, byteOrderMark: true, throwOnInvalidBytes: true),
            "utf-16be" => new UnicodeEncoding(bigEndian: true, byteOrderMark: true, throwOnInvalidBytes: true),
            // Microsoft's CP932 is what Windows and Excel write as "Shift_JIS" (NEC and IBM extensions included).
            "shift_jis" or "shift-jis" or "sjis" or "cp932" or "windows-31j" =>
                Encoding.GetEncoding(932, EncoderFallback.ExceptionFallback, DecoderFallback.ExceptionFallback),
            _ => null,
        };
    }

    /// <summary>
    /// <paramref name="source"/> as UTF-8 bytes: unchanged for UTF-8 (null <paramref name="encoding"/>, no UTF-16
    /// byte-order mark), else transcoded from <paramref name="encoding"/> or from the UTF-16 its byte-order mark names.
    /// A byte sequence invalid in the source encoding makes a read throw <see cref="InputEncodingException"/>.
    /// </summary>
    public static Stream AsUtf8(Stream source, Encoding? encoding)
    {
        ArgumentNullException.ThrowIfNull(source);
        var buffered = source.CanSeek ? source : new BufferedStream(source, 1 << 16);
        Span<byte> head = stackalloc byte[2];
        var peeked = Peek(buffered, head, out var replay);
        if (encoding is null && peeked == 2)
        {
            if (head[0] == 0xFF && head[1] == 0xFE)
            {
                encoding = Find("utf-16")!;
            }
            else if (head[0] == 0xFE && head[1] == 0xFF)
            {
                encoding = Find("utf-16be")!;
            }
        }

        if (encoding is null or UTF8Encoding)
        {
            return replay;
        }

        return new DecodeErrors(Encoding.CreateTranscodingStream(replay, encoding, new UTF8Encoding(false, true), leaveOpen: false), encoding);
    }

    /// <summary>The name of <paramref name="encoding"/> as <c>--encoding</c> spells it.</summary>
    public static string NameOf(Encoding encoding) => encoding?.CodePage switch
    {
        932 => "shift_jis",
        1200 => "utf-16",
        1201 => "utf-16be",
        _ => "utf-8",
    };

    /// <summary>A transcoded stream whose invalid bytes end the read with an <see cref="InputEncodingException"/> naming them.</summary>
    private sealed class DecodeErrors(Stream inner, Encoding encoding) : ReadOnlyStream
    {

        public override int Read(Span<byte> buffer)
        {
            try
            {
                return inner.Read(buffer);
            }
            catch (DecoderFallbackException e)
            {
                var bytes = e.BytesUnknown is { Length: > 0 } b ? string.Join(" ", b.Select(x => $"0x{x:X2}")) : "bytes";
                throw new InputEncodingException($"{bytes} {(e.BytesUnknown?.Length == 1 ? "is" : "are")} not valid {NameOf(encoding)} text: the input is in another encoding (--encoding) or damaged", e);
            }
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                inner.Dispose();
            }

            base.Dispose(disposing);
        }
    }

    /// <summary>Reads up to two bytes and returns a stream that yields them again before the rest.</summary>
    private static int Peek(Stream source, Span<byte> head, out Stream replay)
    {
        var count = 0;
        while (count < head.Length)
        {
            var read = source.Read(head[count..]);
            if (read == 0)
            {
                break;
            }

            count += read;
        }

        if (source.CanSeek)
        {
            source.Seek(-count, SeekOrigin.Current);
            replay = source;
        }
        else
        {
            replay = new PrefixedStream(head[..count].ToArray(), source);
        }

        return count;
    }

    /// <summary>A stream that reads forward only: what the wrappers here have in common.</summary>
    private abstract class ReadOnlyStream : Stream
    {
        public override bool CanRead => true;
        public override bool CanSeek => false;
        public override bool CanWrite => false;
        public override long Length => throw new NotSupportedException();
        public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
        public override void Flush() { }
        public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
        public override void SetLength(long value) => throw new NotSupportedException();
        public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
        public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

        public abstract override int Read(Span<byte> buffer);
    }

    /// <summary>A read-only stream of a few bytes already read followed by the rest of the source.</summary>
    private sealed class PrefixedStream(byte[] prefix, Stream rest) : ReadOnlyStream
    {
        private int position;

        public override int Read(Span<byte> buffer)
        {
            if (position < prefix.Length)
            {
                var n = Math.Min(buffer.Length, prefix.Length - position);
                prefix.AsSpan(position, n).CopyTo(buffer);
                position += n;
                return n;
            }

            return rest.Read(buffer);
        }

        protected override void Dispose(bool disposing)
        {
            if (disposing)
            {
                rest.Dispose();
            }

            base.Dispose(disposing);
        }
    }
}

/// <summary>The input has bytes that are not valid in its encoding: nothing after them can be read.</summary>
public sealed class InputEncodingException : IOException
{
    /// <summary>An error with its message.</summary>
    public InputEncodingException(string message, Exception inner)
        : base(message, inner)
    {
    }
}
