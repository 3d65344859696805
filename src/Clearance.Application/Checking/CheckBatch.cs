using System.Buffers;
using System.Text.Json;
using Clearance.Evaluation;

namespace Clearance.Application;

/// <summary>What a batch did.</summary>
/// <param name="Lines">Lines answered (results and errors).</param>
/// <param name="Errors">Lines answered with an error.</param>
public readonly record struct BatchSummary(long Lines, long Errors);

/// <summary>
/// Checks a stream of shipments and writes each answer as a JSON line, in input order, in constant memory.
/// </summary>
public static class CheckBatch
{
    /// <summary>Checks every line of <paramref name="lines"/> and writes its result or error to <paramref name="output"/>.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public static BatchSummary Run(IShipmentCheck service, ResultJson json, IEnumerable<ShipmentLine> lines, Stream output)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(lines);
        var buffer = new OutputBuffer(output);
        long count = 0, errors = 0;
        try
        {
            foreach (var line in lines)
            {
                var checkedLine = service.Check(line);
                json.Write(checkedLine, buffer);
                count++;
                errors += checkedLine.Error is null ? 0 : 1;
            }
        }
        finally
        {
            buffer.Flush();
        }

        return new BatchSummary(count, errors);
    }
}

/// <summary>
/// Block buffers in front of the output stream, written by a second thread so that formatting the next block and
/// the system calls writing the last one run on both cores. At most three blocks are in flight: memory stays flat.
/// </summary>
public sealed class OutputBuffer
{
    private const int BlockSize = 1 << 20;
    private readonly Stream _output;
    private readonly System.Collections.Concurrent.BlockingCollection<(byte[] Block, int Length)> _full = new(boundedCapacity: 2);
    private readonly System.Collections.Concurrent.ConcurrentBag<byte[]> _free = [];
    private readonly Thread _writer;
    private Exception? _writeError;
    private byte[] _buffer = new byte[BlockSize];
    private int _used;

    /// <summary>Starts the writer thread over <paramref name="output"/>.</summary>
    public OutputBuffer(Stream output)
    {
        _output = output;
        _writer = new Thread(WriteBlocks) { IsBackground = true, Name = "clearance-output" };
        _writer.Start();
    }

    /// <summary>A buffer that only collects what is written (no stream, no writer thread): one result at a time, read by <see cref="Written"/>.</summary>
    public static OutputBuffer InMemory() => new();

    private OutputBuffer()
    {
        _output = Stream.Null;
        _writer = null!;
        _inMemory = true;
    }

    private readonly bool _inMemory;

    /// <summary>What an <see cref="InMemory"/> buffer holds since it was last cleared.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _used);

    /// <summary>Empties an <see cref="InMemory"/> buffer.</summary>
    public void Clear() => _used = 0;

    /// <summary>Drops the line break an <see cref="InMemory"/> buffer ends with (a result inside a JSON array).</summary>
    public void TrimLineBreak()
    {
        if (_used > 0 && _buffer[_used - 1] == (byte)'\n')
        {
            _used--;
        }
    }

    /// <summary>Appends bytes.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public void Write(ReadOnlySpan<byte> bytes)
    {
        if (bytes.Length > _buffer.Length - _used)
        {
            if (_inMemory)
            {
                Array.Resize(ref _buffer, Math.Max(_buffer.Length * 2, _used + bytes.Length));
                bytes.CopyTo(_buffer.AsSpan(_used));
                _used += bytes.Length;
                return;
            }

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
