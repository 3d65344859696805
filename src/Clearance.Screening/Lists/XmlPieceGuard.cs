namespace Clearance.Screening.Lists;

/// <summary>
/// The bytes of an XML list file as the XML reader reads them, cut by a small lexer into the pieces the reader may hold
/// whole before any limit of <see cref="XmlRecordReader"/> can be checked on what it read: a tag with its attributes, a
/// text between tags, a comment, a CDATA section, a processing instruction or declaration. A piece longer than
/// <see cref="XmlRecordReader.MaxPieceBytes"/> is a <see cref="ListFormatException"/> raised while reading, so a 166 MB
/// attribute value or a 4 GB CDATA section ends after a few MiB instead of filling memory. The lexer only bounds sizes;
/// the XML reader still judges whether the XML is well formed. Bytes are counted, so the limit holds for any encoding
/// (a UTF-16 file's markup characters are seen by their low byte).
/// </summary>
internal sealed class XmlPieceGuard(Stream inner, string path) : Stream
{
    private static readonly System.Buffers.SearchValues<byte> BlankBytes =
        System.Buffers.SearchValues.Create([(byte)' ', (byte)'\t', (byte)'\r', (byte)'\n', 0xEF, 0xBB, 0xBF]);

    private static readonly System.Buffers.SearchValues<byte> TagStops = System.Buffers.SearchValues.Create("\"'>"u8);

    private static readonly byte[] CommentOpening = "--"u8.ToArray();
    private static readonly byte[] CDataOpening = "[CDATA["u8.ToArray();

    private enum Piece
    {
        Text,
        Open, // just after '<'
        Bang, // after "<!", deciding between a comment, a CDATA section and a declaration
        Tag, // a start or end tag, or a declaration (DOCTYPE, refused by the reader)
        Comment,
        CData,
        Instruction,
    }

    private Piece _piece = Piece.Text;
    private long _length;
    private long _line = 1;
    private long _pieceLine = 1;
    private byte _quote; // Tag: the quote of the attribute value being read, or 0
    private byte[]? _opening; // Bang: the opening being matched ("--" or "[CDATA[")
    private int _matched; // Bang: bytes of the opening matched; Comment, CData, Instruction: bytes of the closing matched
    private readonly List<byte> _start = [];

    /// <summary>True while every byte read is white space or part of a UTF-8 byte-order mark (an empty file stays so).</summary>
    public bool Blank { get; private set; } = true;

    public override int Read(byte[] buffer, int offset, int count) => Read(buffer.AsSpan(offset, count));

    public override int Read(Span<byte> buffer)
    {
        var read = inner.Read(buffer);
        var chunk = buffer[..read];
        if (Blank && chunk.IndexOfAnyExcept(BlankBytes) >= 0)
            Blank = false;
        var i = 0;
        while (i < chunk.Length)
        {
            // The bytes up to the next one that can change the state are taken at once (most of a file); that one by Step.
            var rest = chunk[i..];
            var stop = _piece switch
            {
                Piece.Text => rest.IndexOf((byte)'<'),
                Piece.Tag => _quote != 0 ? rest.IndexOf(_quote) : rest.IndexOfAny(TagStops),
                Piece.Comment => rest.IndexOfAny((byte)'-', (byte)'>'),
                Piece.CData => rest.IndexOfAny((byte)']', (byte)'>'),
                Piece.Instruction => rest.IndexOfAny((byte)'?', (byte)'>'),
                _ => 0, // just after "<" or "<!": byte by byte
            };
            var skipped = stop < 0 ? rest : rest[..stop];
            if (skipped.Length > 0)
            {
                _line += skipped.Count((byte)'\n');
                Add(skipped);
                _matched = _piece is Piece.Comment or Piece.CData or Piece.Instruction ? 0 : _matched; // a closing cut off
                if (stop < 0)
                    break;
                i += stop;
            }
            Step(chunk[i]);
            i++;
        }
        return read;
    }

    private void Step(byte b)
    {
        var ended = false;
        switch (_piece)
        {
            case Piece.Text: // b is '<'
                Begin(Piece.Open);
                break;
            case Piece.Open:
                if (b == '!')
                {
                    _piece = Piece.Bang;
                    _opening = null;
                    _matched = 0;
                }
                else if (b == '?')
                {
                    _piece = Piece.Instruction;
                    _matched = 0;
                }
                else
                {
                    _piece = Piece.Tag;
                    _quote = 0;
                    ended = b == '>';
                }
                break;
            case Piece.Bang:
                _opening ??= b == '-' ? CommentOpening : b == '[' ? CDataOpening : null;
                if (_opening is not null && b == _opening[_matched])
                {
                    if (++_matched == _opening.Length)
                    {
                        _piece = _opening == CommentOpening ? Piece.Comment : Piece.CData;
                        _matched = 0;
                    }
                }
                else
                {
                    _piece = Piece.Tag; // a declaration, or markup the reader will refuse
                    _quote = 0;
                    ended = b == '>';
                }
                break;
            case Piece.Tag:
                if (_quote != 0)
                {
                    if (b == _quote)
                        _quote = 0;
                }
                else if (b is (byte)'"' or (byte)'\'')
                {
                    _quote = b;
                }
                else
                {
                    ended = b == '>';
                }
                break;
            case Piece.Comment or Piece.CData:
                var dash = _piece == Piece.Comment ? (byte)'-' : (byte)']';
                if (b == dash)
                    _matched = Math.Min(_matched + 1, 2);
                else
                {
                    ended = b == '>' && _matched == 2;
                    _matched = 0;
                }
                break;
            case Piece.Instruction:
                ended = b == '>' && _matched == 1;
                _matched = b == '?' ? 1 : 0;
                break;
        }
        if (b == '\n')
            _line++;
        Add([b]);
        if (ended)
            Begin(Piece.Text);
    }

    private void Begin(Piece piece)
    {
        _piece = piece;
        _length = 0;
        _pieceLine = _line;
        _start.Clear();
    }

    private void Add(ReadOnlySpan<byte> bytes)
    {
        _length += bytes.Length;
        if (_start.Count < StrictText.MaxQuotedLength)
            _start.AddRange(bytes[..Math.Min(bytes.Length, StrictText.MaxQuotedLength - _start.Count)]);
        if (_length > XmlRecordReader.MaxPieceBytes)
        {
            var what = _piece switch
            {
                Piece.Text => "a text",
                Piece.Comment => "a comment",
                Piece.CData => "a CDATA section",
                Piece.Instruction => "a processing instruction",
                _ => "a tag (with its attributes)",
            };
            throw new ListFormatException(path, _pieceLine, null,
                $"{what} longer than the maximum of {XmlRecordReader.MaxPieceBytes:N0} bytes: far beyond anything a list file holds " +
                $"(hostile or damaged file; starts {StrictText.Quote(System.Text.Encoding.UTF8.GetString([.. _start]))})");
        }
    }

    public override bool CanRead => true;
    public override bool CanSeek => false;
    public override bool CanWrite => false;
    public override long Length => throw new NotSupportedException();
    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }
    public override void Flush() { }
    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();
    public override void SetLength(long value) => throw new NotSupportedException();
    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();

    protected override void Dispose(bool disposing)
    {
        if (disposing)
            inner.Dispose();
        base.Dispose(disposing);
    }
}
