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
    /// <summary>
    /// Checking threads for a long batch of the command line: two where the machine has two cores or more. The checking
    /// thread bounded the wall time of the 1M-line checks (docs/benchmarks.md, "The check's threads"), with the
    /// reading thread at about half its load and the writer idle: a second one puts the other core's slack to use.
    /// </summary>
    public static int Checkers => Math.Min(2, Environment.ProcessorCount);

    /// <summary>Lines a checking thread takes at a time (and formats before it hands their bytes to the writer).</summary>
    internal const int ChunkSize = 1024;

    /// <summary>Checks every line of <paramref name="lines"/> and writes its result or error to <paramref name="output"/>.</summary>
    /// <param name="service">The check.</param>
    /// <param name="json">The wire form.</param>
    /// <param name="lines">The lines, in input order.</param>
    /// <param name="output">Where the answers go, in input order.</param>
    /// <param name="checkers">
    /// Threads that check and format at once (the caller's among them), each a chunk of lines at a time, the chunks'
    /// bytes written in input order; 1 checks on the caller's thread alone (the server, whose requests already run
    /// side by side). An input of one chunk or less is checked on the caller's thread whatever the number.
    /// </param>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public static BatchSummary Run(IShipmentCheck service, ResultJson json, IEnumerable<ShipmentLine> lines, Stream output, int checkers = 1)
    {
        ArgumentNullException.ThrowIfNull(service);
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(lines);
        ArgumentOutOfRangeException.ThrowIfLessThan(checkers, 1);
        if (checkers > 1)
        {
            return new Chunked(service, json, lines).Run(output, checkers);
        }

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

    /// <summary>
    /// A batch checked by several threads. Each takes the next chunk of lines from the input (under a lock: the input
    /// is one enumerator), checks and formats it into blocks of its own, waits for the chunk before it to be handed to
    /// the writer, and hands its blocks (so the output is in input order, byte for byte what one thread writes). A
    /// thread holds one chunk at a time, so at most one chunk per thread waits: memory stays flat. The services and
    /// the wire form are thread-safe (the server checks requests side by side with them).
    /// </summary>
    private sealed class Chunked(IShipmentCheck service, ResultJson json, IEnumerable<ShipmentLine> lines)
    {
        private readonly Lock _input = new();
        private readonly object _turn = new();
        private IEnumerator<ShipmentLine>? _lines;
        private bool _ended;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _inputFailure;
        private System.Runtime.ExceptionServices.ExceptionDispatchInfo? _checkFailure;
        private long _taken;
        private long _handed;
        private long _count;
        private long _errors;
        private OutputBuffer _output = null!;

        public BatchSummary Run(Stream output, int checkers)
        {
            _output = new OutputBuffer(output);
            var threads = new Thread[checkers - 1];
            try
            {
                _lines = lines.GetEnumerator();

                // The first chunk on the caller's thread: an input of one chunk or less (a test, a small file) starts no
                // checking thread, and the others start only when there is more to do.
                var first = new Chunk(_output);
                if (Take(first))
                {
                    for (var t = 0; t < threads.Length; t++)
                    {
                        threads[t] = new Thread(Check) { IsBackground = true, Name = "clearance-check" };
                        threads[t].Start();
                    }

                    Check(first);
                }
                else
                {
                    Hand(first);
                }

                foreach (var thread in threads)
                {
                    thread?.Join();
                }
            }
            finally
            {
                _lines?.Dispose();
                _output.Flush();
            }

            // A check failure comes first: the input's ends the input, so a check fails before it or in its chunk.
            _checkFailure?.Throw();
            _inputFailure?.Throw();
            return new BatchSummary(_count, _errors);
        }

        /// <summary>A further checking thread: takes chunks until the input ends.</summary>
        private void Check()
        {
            var chunk = new Chunk(_output);
            if (Take(chunk))
            {
                Check(chunk);
            }
            else
            {
                Hand(chunk);
            }
        }

        /// <summary>Checks chunks until the input ends (<paramref name="chunk"/> already taken).</summary>
        private void Check(Chunk chunk)
        {
            while (true)
            {
                try
                {
                    for (var i = 0; i < chunk.Count; i++)
                    {
                        var checkedLine = service.Check(chunk.Lines[i]);
                        json.Write(checkedLine, chunk.Output);
                        chunk.Done++;
                        chunk.Errors += checkedLine.Error is null ? 0 : 1;
                    }
                }
                catch (Exception e)
                {
                    // Thrown to the caller after the lines before it are written, as one thread would.
                    chunk.Failure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                }

                Array.Clear(chunk.Lines, 0, chunk.Count);
                Hand(chunk);
                if (!Take(chunk))
                {
                    Hand(chunk);
                    return;
                }
            }
        }

        /// <summary>The next chunk of input into <paramref name="chunk"/> with its turn; false when there is none (the input ended, or a check failed).</summary>
        private bool Take(Chunk chunk)
        {
            lock (_input)
            {
                chunk.Count = 0;
                chunk.Done = 0;
                chunk.Errors = 0;
                chunk.Sequence = _taken++;
                if (_ended || Volatile.Read(ref _checkFailure) is not null)
                {
                    return false;
                }

                try
                {
                    while (chunk.Count < chunk.Lines.Length && _lines!.MoveNext())
                    {
                        chunk.Lines[chunk.Count++] = _lines.Current;
                    }

                    _ended = chunk.Count < chunk.Lines.Length;
                }
                catch (Exception e)
                {
                    _inputFailure = System.Runtime.ExceptionServices.ExceptionDispatchInfo.Capture(e);
                    _ended = true;
                }

                return chunk.Count > 0;
            }
        }

        /// <summary>Waits for <paramref name="chunk"/>'s turn, then hands its bytes to the writer (none after a failure) and passes the turn on.</summary>
        private void Hand(Chunk chunk)
        {
            lock (_turn)
            {
                while (_handed != chunk.Sequence)
                {
                    Monitor.Wait(_turn);
                }

                try
                {
                    if (_checkFailure is null)
                    {
                        _count += chunk.Done;
                        _errors += chunk.Errors;
                        _output.Append(chunk.Output);
                        if (chunk.Failure is not null)
                        {
                            Volatile.Write(ref _checkFailure, chunk.Failure);
                        }
                    }
                    else
                    {
                        chunk.Output.Clear();
                    }
                }
                finally
                {
                    chunk.Failure = null;
                    _handed++;
                    Monitor.PulseAll(_turn);
                }
            }
        }

        private sealed class Chunk(OutputBuffer target)
        {
            public readonly ShipmentLine[] Lines = new ShipmentLine[ChunkSize];
            public readonly OutputBuffer Output = OutputBuffer.HeldFor(target);
            public int Count;
            public int Done;
            public int Errors;
            public long Sequence;
            public System.Runtime.ExceptionServices.ExceptionDispatchInfo? Failure;
        }
    }
}

/// <summary>
/// Block buffers in front of the output stream, written by a second thread so that formatting the next block and
/// the system calls writing the last one run on both cores. At most three blocks are in flight (and those of the
/// chunks being checked, when several threads check: <see cref="HeldFor"/>): memory stays flat.
/// </summary>
public sealed class OutputBuffer
{
    private const int BlockSize = 1 << 20;
    private readonly Stream _output;
    private readonly HandOver<(byte[] Block, int Length)> _full = new(capacity: 2);
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

    /// <summary>
    /// A buffer whose full blocks are held until <paramref name="target"/> takes them in order (<see cref="Append"/>):
    /// one chunk of a batch checked on several threads. Its blocks come from, and go back to, the target's.
    /// </summary>
    internal static OutputBuffer HeldFor(OutputBuffer target) => new(target);

    private OutputBuffer(OutputBuffer target)
    {
        _output = Stream.Null;
        _writer = null!;
        _target = target;
        _held = [];
        _buffer = target.FreeBlock();
    }

    private readonly OutputBuffer? _target;
    private readonly List<(byte[] Block, int Length)>? _held;

    /// <summary>Hands every block of <paramref name="held"/> (a <see cref="HeldFor"/> buffer of this one) to the writer, in order, and empties it.</summary>
    internal void Append(OutputBuffer held)
    {
        Hand();
        foreach (var block in held._held!)
        {
            _full.Add(block);
        }

        held._held!.Clear();
        if (held._used > 0)
        {
            _full.Add((held._buffer, held._used));
            held._buffer = FreeBlock();
            held._used = 0;
        }
    }

    private byte[] FreeBlock() => _free.TryTake(out var block) ? block : new byte[BlockSize];

    /// <summary>What an <see cref="InMemory"/> buffer holds since it was last cleared.</summary>
    public ReadOnlySpan<byte> Written => _buffer.AsSpan(0, _used);

    /// <summary>Empties an <see cref="InMemory"/> buffer (or a <see cref="HeldFor"/> one, dropping what it holds).</summary>
    public void Clear()
    {
        _used = 0;
        _held?.Clear();
    }

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
        _full.Complete();
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

        if (_target is not null)
        {
            _held!.Add((_buffer, _used));
            _buffer = _target.FreeBlock();
        }
        else
        {
            _full.Add((_buffer, _used));
            _buffer = FreeBlock();
        }

        _used = 0;
    }

    private void WriteBlocks()
    {
        while (_full.TryTake(out var full))
        {
            var (block, length) = full;
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
