using System.Text;

namespace Clearance.Screening.Lists;

/// <summary>
/// Streams records of a delimited text file (RFC 4180 quoting: quoted fields may hold delimiters, "" and line breaks).
/// Tracks the line each record starts on, for error messages. Strict: an unterminated quote (a truncated file), text
/// after a closing quote, a control character other than tab, CR and LF, and a record longer than
/// <see cref="StrictText.MaxLineLength"/> are errors, not guesses.
/// </summary>
public sealed class DelimitedReader : IDisposable
{
    /// <summary>Ctrl-Z, which OFAC's legacy files carry as a last line (the DOS end-of-file marker).</summary>
    private const char EndOfFileMarker = '\u001A';
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly int _maxRecordLength;
    private readonly InvalidBytes? _invalidBytes;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private long _line = 1;
    private int _recordLength;
    private int _fieldNumber;

    /// <summary>Reads records from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    /// <param name="reader">The text.</param>
    /// <param name="file">The file, for error messages.</param>
    /// <param name="delimiter">The field delimiter.</param>
    /// <param name="maxRecordLength">The longest record (and so field) accepted, in characters.</param>
    public DelimitedReader(TextReader reader, string file, char delimiter = ',', int maxRecordLength = StrictText.MaxLineLength)
    {
        _reader = reader;
        File = file;
        _delimiter = delimiter;
        _maxRecordLength = maxRecordLength;
        _invalidBytes = StrictText.InvalidBytesOf(reader);
    }

    /// <summary>The file, for error messages.</summary>
    public string File { get; }

    /// <summary>The line on which the record last returned by <see cref="TryRead"/> starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Opens a file with the given default encoding (a BOM overrides it; decoding stays strict).</summary>
    public static DelimitedReader Open(string path, Encoding encoding, char delimiter = ',') =>
        new(ListText.Open(path, encoding), path, delimiter);

    /// <summary>
    /// Reads the next non-empty record into <paramref name="fields"/>. Returns false at the end of the file. A Ctrl-Z
    /// followed by nothing but line breaks is OFAC's end-of-file marker and ends the file; anywhere else it is a
    /// control character like any other, an error (it once ended imports silently half-way).
    /// </summary>
    public bool TryRead(List<string> fields)
    {
        while (true)
        {
            fields.Clear();
            RecordLine = _line;
            if (!ReadRecord(fields))
                return false;
            if (fields.Count == 1 && fields[0].Length == 0)
                continue; // blank line
            return true;
        }
    }

    /// <summary>An error at the current record.</summary>
    public ListFormatException Error(string? field, string problem) => new(File, RecordLine, field, problem);

    private bool ReadRecord(List<string> fields)
    {
        _recordLength = 0;
        _fieldNumber = 1;
        var c = Next();
        if (c < 0)
            return false;
        _field.Clear();
        while (true)
        {
            if (c == '"' && _field.Length == 0)
            {
                ReadQuoted();
                c = Next();
                if (c >= 0 && c != _delimiter && c != '\r' && c != '\n')
                    throw new ListFormatException(File, _line, $"#{fields.Count + 1}", $"unexpected character '{(char)c}' after a closing quote");
            }
            if (c < 0 || c == '\n' || c == '\r')
            {
                fields.Add(_field.ToString());
                if (c == '\r' && Peek() == '\n')
                    Next();
                if (c >= 0)
                    _line++;
                return true;
            }
            if (c == _delimiter)
            {
                fields.Add(_field.ToString());
                _field.Clear();
                _fieldNumber++;
            }
            else
            {
                _field.Append((char)c);
            }
            c = Next();
        }
    }

    private void ReadQuoted()
    {
        var startLine = _line;
        while (true)
        {
            var c = Next();
            if (c < 0)
                throw new ListFormatException(File, startLine, null, "quoted field not closed before the end of the file (truncated file?)");
            if (c == '"')
            {
                if (Peek() == '"')
                {
                    Next();
                    _field.Append('"');
                    continue;
                }
                return;
            }
            if (c == '\n')
                _line++;
            _field.Append((char)c);
        }
    }

    /// <summary>The next character, -1 at the end; checks the record length and refuses control characters.</summary>
    private int Next()
    {
        if (_position == _length && !Fill())
            return -1;
        var c = _buffer[_position++];
        if (++_recordLength > _maxRecordLength)
            throw new ListFormatException(File, RecordLine, $"#{_fieldNumber}",
                $"record longer than the maximum of {_maxRecordLength:N0} characters (field starts {StrictText.Quote(_field.ToString())})");
        if (c < ' ' && c is not ('\t' or '\r' or '\n'))
            return ControlCharacter(c);
        if (c == InvalidBytes.Marker && _invalidBytes is { Seen: true })
            throw StrictText.InvalidBytesError(File, _line, $"#{_fieldNumber}", _reader);
        return c;
    }

    private int ControlCharacter(char c)
    {
        if (c == '\0')
            throw ListText.NulCharacter(File, _line);
        if (c == EndOfFileMarker && OnlyLineBreaksFollow())
            return -1;
        throw new ListFormatException(File, _line, $"#{_fieldNumber}",
            $"control character U+{(int)c:X4} in the text: list and input files hold only printable text, tabs and line breaks (damaged file?)");
    }

    /// <summary>Consumes the rest of the input if it is only line breaks (true), else leaves the position after them.</summary>
    private bool OnlyLineBreaksFollow()
    {
        while (true)
        {
            var c = Peek();
            if (c < 0)
                return true;
            if (c is not ('\r' or '\n'))
                return false;
            _position++;
        }
    }

    private int Peek() => _position == _length && !Fill() ? -1 : _buffer[_position];

    private bool Fill()
    {
        try
        {
            _length = _reader.Read(_buffer, 0, _buffer.Length);
        }
        catch (DecoderFallbackException e)
        {
            throw ListText.EncodingError(File, (_reader as StreamReader)?.CurrentEncoding ?? Encoding.UTF8, e);
        }
        _position = 0;
        return _length > 0;
    }

    /// <summary>Disposes the underlying reader.</summary>
    public void Dispose() => _reader.Dispose();
}
