using System.Text;
using System.Text.Json;
using Clearance.Screening.Lists;

namespace Clearance.Cli.Check;

/// <summary>
/// Reads shipments from CSV whose header names the JSON fields (id, date, from, to, item, end_use, end_user,
/// informed, held, value_amount, value_currency; held ';'-separated) and streams them as JSON Lines, one output line
/// per input line (blank lines pad multi-line records and the header), so that error line numbers are the CSV's.
/// </summary>
internal sealed class CsvShipments : Stream
{
    internal const string ErrorField = "_csv_error";
    private static readonly string[] Known = ["id", "date", "from", "to", "item", "end_use", "end_user", "informed", "held", "value_amount", "value_currency"];
    private readonly DelimitedReader _reader;
    private readonly string _path;
    private readonly List<string> _fields = [];
    private string[]? _header;
    private long _emitted; // JSON lines emitted so far: record N is emitted as line N of the CSV
    private bool _failed;
    private byte[] _pending = [];
    private int _offset;

    private CsvShipments(Stream source, string path)
    {
        _reader = new DelimitedReader(new StreamReader(source, new UTF8Encoding(false, throwOnInvalidBytes: true)), path);
        _path = path;
    }

    public static Stream ToJsonLines(Stream source, string path) => new CsvShipments(source, path);

    public override int Read(byte[] buffer, int offset, int count)
    {
        while (_offset == _pending.Length)
        {
            if (!NextRecord())
            {
                return 0;
            }
        }

        var n = Math.Min(count, _pending.Length - _offset);
        Array.Copy(_pending, _offset, buffer, offset, n);
        _offset += n;
        return n;
    }

    private bool NextRecord()
    {
        if (_failed)
        {
            return false;
        }

        string? problem = null;
        long line;
        try
        {
            if (!_reader.TryRead(_fields))
            {
                return false;
            }

            line = _reader.RecordLine;
        }
        catch (ListFormatException e)
        {
            // A truncated quote or bad encoding ends the readable part of the file: report it on its line and stop.
            problem = e.Message;
            line = Math.Max(e.Line, _emitted + 1);
            _failed = true;
        }

        var padding = new string('\n', (int)Math.Max(0, line - _emitted - 1));
        _emitted = line;
        if (_header is null && problem is null)
        {
            _header = [.. _fields.Select(f => f.Trim())];
            var unknown = _header.Where(h => !Known.Contains(h)).ToList();
            if (unknown.Count > 0)
            {
                throw new CsvHeaderException($"{_path}:{line}: unknown column(s) {string.Join(", ", unknown)}; expected {string.Join(", ", Known)}");
            }

            _pending = Encoding.UTF8.GetBytes(padding + "\n");
            _offset = 0;
            return true;
        }

        using var buffer = new MemoryStream();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            if (problem is null && _fields.Count != _header!.Length)
            {
                problem = $"{_path}:{line}: {_fields.Count} columns where the header has {_header.Length}";
            }

            if (problem is not null)
            {
                w.WriteString(ErrorField, problem);
            }
            else
            {
                WriteFields(w, _fields);
            }

            w.WriteEndObject();
        }

        _pending = [.. Encoding.UTF8.GetBytes(padding), .. buffer.ToArray(), (byte)'\n'];
        _offset = 0;
        return true;
    }

    private void WriteFields(Utf8JsonWriter w, List<string> fields)
    {
        string? amount = null, currency = null;
        for (var i = 0; i < fields.Count; i++)
        {
            var name = _header![i];
            var value = fields[i];
            if (value.Length == 0)
            {
                continue;
            }

            switch (name)
            {
                case "informed":
                    w.WritePropertyName(name);
                    if (value is "true" or "false")
                    {
                        w.WriteBooleanValue(value == "true");
                    }
                    else
                    {
                        w.WriteStringValue(value); // rejected with the field's name by the shipment parser
                    }

                    break;
                case "held":
                    w.WriteStartArray(name);
                    foreach (var h in value.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                    {
                        w.WriteStringValue(h);
                    }

                    w.WriteEndArray();
                    break;
                case "value_amount":
                    amount = value;
                    break;
                case "value_currency":
                    currency = value;
                    break;
                default:
                    w.WriteString(name, value);
                    break;
            }
        }

        if (amount is not null || currency is not null)
        {
            w.WriteStartObject("value");
            if (amount is not null)
            {
                w.WriteString("amount", amount);
            }

            if (currency is not null)
            {
                w.WriteString("currency", currency);
            }

            w.WriteEndObject();
        }
    }

    protected override void Dispose(bool disposing)
    {
        if (disposing)
        {
            _reader.Dispose();
        }

        base.Dispose(disposing);
    }

    public override bool CanRead => true;

    public override bool CanSeek => false;

    public override bool CanWrite => false;

    public override long Length => throw new NotSupportedException();

    public override long Position { get => throw new NotSupportedException(); set => throw new NotSupportedException(); }

    public override void Flush()
    {
    }

    public override long Seek(long offset, SeekOrigin origin) => throw new NotSupportedException();

    public override void SetLength(long value) => throw new NotSupportedException();

    public override void Write(byte[] buffer, int offset, int count) => throw new NotSupportedException();
}

/// <summary>The CSV header is not usable: nothing can be read from the file.</summary>
internal sealed class CsvHeaderException(string message) : Exception(message);
