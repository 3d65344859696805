using System.Buffers;
using System.Text.Json;
using Clearance.Evaluation;

namespace Clearance.Cli.Check;

/// <summary>What a batch did.</summary>
internal readonly record struct BatchSummary(long Lines, long Errors);

/// <summary>
/// Streams JSON Lines in, determinations out, in input order, in constant memory: input is read in blocks and never
/// held whole; each line is parsed in place; each result is the shared serialised form of its determination plus the
/// line's id, date and covered_by.
/// </summary>
internal sealed class BatchRunner(Evaluator evaluator, EndUserScreening screening, WireForms forms)
{
    private const int BlockSize = 1 << 20;

    /// <summary>Called with each result, for table output; null when writing JSON Lines.</summary>
    public Action<long, ShipmentResult>? OnResult { get; init; }

    public BatchSummary Run(Stream input, Stream output, Action<long>? progress = null)
    {
        var buffer = new byte[BlockSize];
        var outBuffer = new OutputBuffer(output);
        int start = 0, end = 0;
        long lineNumber = 0, errors = 0, consumed = 0;
        Span<Range> held = stackalloc Range[ShipmentLine.MaxHeld];
        while (true)
        {
            var read = input.Read(buffer, end, buffer.Length - end);
            end += read;
            var eof = read == 0;
            while (true)
            {
                var newline = buffer.AsSpan(start, end - start).IndexOf((byte)'\n');
                if (newline < 0 && !(eof && start < end))
                {
                    break;
                }

                var length = newline < 0 ? end - start : newline;
                var line = buffer.AsSpan(start, length);
                start += newline < 0 ? length : length + 1;
                lineNumber++;
                if (line.Length > 0 && line[^1] == '\r')
                {
                    line = line[..^1];
                }

                if (line.IsEmpty || line.IndexOfAnyExcept(" \t"u8) < 0)
                {
                    continue;
                }

                if (!Process(line, lineNumber, held, outBuffer))
                {
                    errors++;
                }
            }

            if (eof)
            {
                break;
            }

            consumed += start;
            progress?.Invoke(consumed);
            if (start == 0 && end == buffer.Length)
            {
                Array.Resize(ref buffer, buffer.Length * 2); // one line longer than a block
            }
            else
            {
                buffer.AsSpan(start, end - start).CopyTo(buffer);
                end -= start;
                start = 0;
            }
        }

        outBuffer.Flush();
        return new BatchSummary(lineNumber, errors);
    }

    private bool Process(ReadOnlySpan<byte> line, long lineNumber, Span<Range> held, OutputBuffer output)
    {
        var error = ShipmentLine.Parse(line, lineNumber, evaluator, held, out var shipment);
        if (error is not null)
        {
            WriteError(output, shipment, lineNumber, error);
            OnResult?.Invoke(lineNumber, new ShipmentResult(IdText(shipment), null, null, null, null, error));
            return false;
        }

        var endUser = screening.Screen(shipment.Jurisdiction.Model, shipment.EndUser, shipment.To);
        var facts = new Evaluation.ShipmentFacts(shipment.Date, shipment.Item, shipment.To, shipment.EndUse, shipment.Informed, endUser.Status);
        var determination = shipment.Jurisdiction.Evaluate(facts);
        var form = forms.For(determination, shipment.Jurisdiction.Model, shipment.Item);
        var covered = CoveredBy(form, line, held[..shipment.HeldCount]);

        output.Write("{\"id\":"u8);
        WriteId(output, shipment);
        output.Write(",\"as_of\":\""u8);
        output.Write(shipment.DateRaw);
        output.Write("\","u8);
        output.Write(form.Head);
        if (forms.IncludeTrace)
        {
            output.Write(","u8);
            output.Write(forms.Item(shipment.Jurisdiction.Model, shipment.Item));
        }
        output.Write(",\"covered_by\":"u8);
        if (covered < 0)
        {
            output.Write("null,"u8);
        }
        else
        {
            output.Write("\""u8);
            output.Write(form.EligibleUtf8[covered]);
            output.Write("\","u8);
        }

        output.Write(endUser.Status == Evaluation.EndUserStatus.Listed ? forms.TailFor(determination, shipment.Jurisdiction.Model, shipment.Item, endUser) : form.Tail);
        if (endUser.Matches.Count > 0)
        {
            output.Write(","u8);
            output.Write(endUser.Json(determination.Grounds.Any(g => g.Kind == Clearance.Model.RequirementKind.EndUser)));
        }

        output.Write("}\n"u8);
        OnResult?.Invoke(lineNumber, new ShipmentResult(IdText(shipment), shipment.Date, shipment.Jurisdiction.Model.Items[shipment.Item], determination, covered < 0 ? null : determination.EligibleLicences[covered], null));
        return true;
    }

    private static int CoveredBy(WireForm form, ReadOnlySpan<byte> line, ReadOnlySpan<Range> held)
    {
        for (var e = 0; e < form.EligibleUtf8.Length; e++)
        {
            foreach (var h in held)
            {
                if (line[h].SequenceEqual(form.EligibleUtf8[e]))
                {
                    return e;
                }
            }
        }

        return -1;
    }

    private static void WriteId(OutputBuffer output, in ShipmentLine shipment)
    {
        if (!shipment.HasId)
        {
            output.Write("null"u8);
        }
        else if (shipment.IdIsString)
        {
            output.Write("\""u8);
            output.Write(shipment.IdRaw);
            output.Write("\""u8);
        }
        else
        {
            output.Write(shipment.IdRaw);
        }
    }

    private static string? IdText(in ShipmentLine shipment) =>
        shipment.HasId ? System.Text.Encoding.UTF8.GetString(shipment.IdRaw) : null;

    private static void WriteError(OutputBuffer output, in ShipmentLine shipment, long lineNumber, LineError error)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer))
        {
            w.WriteStartObject();
            w.WritePropertyName("id");
            if (!shipment.HasId)
            {
                w.WriteNullValue();
            }
            else
            {
                w.WriteRawValue(shipment.IdIsString ? [(byte)'"', .. shipment.IdRaw, (byte)'"'] : shipment.IdRaw.ToArray());
            }

            w.WriteNumber("line", lineNumber);
            w.WriteStartObject("error");
            w.WriteString("code", error.Code);
            w.WriteString("message", error.Message);
            w.WriteEndObject();
            w.WriteEndObject();
        }

        output.Write(buffer.WrittenSpan);
        output.Write("\n"u8);
    }
}

/// <summary>One line's result, for table output.</summary>
internal sealed record ShipmentResult(string? Id, NodaTime.LocalDate? Date, Clearance.Model.ControlEntry? Item, Determination? Determination, string? CoveredBy, LineError? Error);

/// <summary>
/// Block buffers in front of the output stream, written by a second thread so that formatting the next block and
/// the system calls writing the last one run on both cores. At most three blocks are in flight: memory stays flat.
/// </summary>
internal sealed class OutputBuffer
{
    private const int BlockSize = 1 << 20;
    private readonly Stream _output;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Block, int Length)> _full = new(boundedCapacity: 2);
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _free = [];
    private readonly Thread _writer;
    private Exception? _writeError;
    private byte[] _buffer = new byte[BlockSize];
    private int _used;

    public OutputBuffer(Stream output)
    {
        _output = output;
        _writer = new Thread(WriteBlocks) { IsBackground = true, Name = "clearance-output" };
        _writer.Start();
    }

    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            Hand();
            if (bytes.Length > _buffer.Length)
            {
                _buffer = new byte[bytes.Length];
            }
        }

        bytes.CopyTo(_buffer.AsSpan(_used));
        _used += bytes.Length;
    }

    /// <summary>Writes everything still buffered and waits for the writer thread to finish.</summary>
    public void Flush()
    {
        Hand();
        _full.CompleteAdding();
        _writer.Join();
        _output.Flush();
        if (_writeError is not null)
        {
            throw new IOException("writing results failed: " + _writeError.Message, _writeError);
        }
    }

    private void Hand()
    {
        if (_used == 0)
        {
            return;
        }

        _full.Add((_buffer, _used));
        _buffer = _free.TryTake(out var block) ? block : new byte[BlockSize];
        _used = 0;
    }

    private void WriteBlocks()
    {
        foreach (var (block, length) in _full.GetConsumingEnumerable())
        {
            try
            {
                if (_writeError is null)
                {
                    _output.Write(block, 0, length);
                }
            }
            catch (IOException e)
            {
                _writeError = e;
            }

            if (block.Length == BlockSize)
            {
                _free.Add(block);
            }
        }
    }
}
