using System.Text;

namespace Clearance.Screening.Lists;

/// <summary>
/// Streams records of a delimited text file (RFC 4180 quoting: quoted fields may hold delimiters, "" and line breaks).
/// Tracks the line each record starts on, for error messages. Strict: an unterminated quote (a truncated file) or text
/// after a closing quote is an error, not a guess.
/// </summary>
public sealed class DelimitedReader : IDisposable
{
    private const char EndOfFileMarker = '\u001A';
    private readonly TextReader _reader;
    private readonly char _delimiter;
    private readonly char[] _buffer = new char[1 << 16];
    private readonly StringBuilder _field = new();
    private int _length;
    private int _position;
    private long _line = 1;

    /// <summary>Reads records from <paramref name="reader"/>; <paramref name="file"/> names it in errors.</summary>
    public DelimitedReader(TextReader reader, string file, char delimiter = ',')
    {
        _reader = reader;
        File = file;
        _delimiter = delimiter;
    }

    /// <summary>The file, for error messages.</summary>
    public string File { get; }

    /// <summary>The line on which the record last returned by <see cref="TryRead"/> starts.</summary>
    public long RecordLine { get; private set; }

    /// <summary>Opens a file with the given default encoding.</summary>
    public static DelimitedReader Open(string path, Encoding encoding, char delimiter = ',') =>
        new(ListText.Open(path, encoding), path, delimiter);

    /// <summary>
    /// Reads the next non-empty record into <paramref name="fields"/>. Returns false at the end of the file
    /// (including OFAC's trailing Ctrl-Z end-of-file marker).
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
            if (fields.Count == 1 && fields[0] == EndOfFileMarker.ToString())
                return false;
            return true;
        }
    }

    /// <summary>An error at the current record.</summary>
    public ListFormatException Error(string? field, string problem) => new(File, RecordLine, field, problem);

    private bool ReadRecord(List<string> fields)
    {
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

    private int Next()
    {
        if (_position == _length && !Fill())
            return -1;
        var c = _buffer[_position++];
        if (c == '\0')
            throw ListText.NulCharacter(File, _line);
        return c;
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
