using System.Collections.Concurrent;
using System.Runtime.ExceptionServices;

namespace Clearance.Application;

/// <summary>
/// Input lines read on a thread of their own, ahead of the code that checks them. Reading and validating a JSON line
/// is about a third of a batch check's per-line work on the calling thread (docs/benchmarks.md, "The 1M-line JP/KR
/// check: the regression found"); on a machine of two cores or more it now overlaps the checks and the formatting of
/// the lines read before it, as writing the results already does (<see cref="OutputBuffer"/>). Lines come out in
/// input order, handed over in chunks (a hand-over per line would cost more than it saves); at most
/// <see cref="ChunksInFlight"/> chunks wait, so memory stays flat however long the input. An exception of the input
/// (a byte invalid in its encoding, a bad CSV header) reaches the consumer after every line read before it, as it
/// would have without the thread.
/// </summary>
public static class ReadAhead
{
    /// <summary>Lines handed over at a time.</summary>
    internal const int ChunkSize = 1024;

    /// <summary>Chunks read and not yet consumed, at most.</summary>
    internal const int ChunksInFlight = 4;

    /// <summary>
    /// <paramref name="lines"/>: its first chunk read by the caller, the rest, if there is more, on a thread of its own.
    /// Stopping the enumeration early (the consumer failed) stops the reading thread at its next hand-over.
    /// </summary>
    public static IEnumerable<ShipmentLine> Of(IEnumerable<ShipmentLine> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        return Read(lines);
    }

    /// <summary>Lines from <paramref name="input"/> into <paramref name="chunk"/> until it is full or the input ends (or throws, the error kept for after the lines).</summary>
    internal static (int Count, bool Ended, ExceptionDispatchInfo? Failure) Fill(IEnumerator<ShipmentLine> input, ShipmentLine[] chunk)
    {
        var count = 0;
        try
        {
            while (count < chunk.Length)
            {
                if (!input.MoveNext())
                {
                    return (count, true, null);
                }

                chunk[count++] = input.Current;
            }

            return (count, false, null);
        }
        catch (Exception e)
        {
            return (count, true, ExceptionDispatchInfo.Capture(e));
        }
    }

    // One iterator for the first chunk and the rest: each line passes one enumerator here, not a second one nested in
    // it (two interface calls and a copy of the line per line, docs/benchmarks.md, check-line22).
    private static IEnumerable<ShipmentLine> Read(IEnumerable<ShipmentLine> lines)
    {
        // The first chunk is read here: an input of fewer lines (one shipment, a test, a small request) starts no thread.
        var input = lines.GetEnumerator();
        var first = new ShipmentLine[ChunkSize];
        var (firstCount, ended, firstFailure) = Fill(input, first);
        if (ended)
        {
            input.Dispose();
            for (var i = 0; i < firstCount; i++)
            {
                yield return first[i];
            }

            firstFailure?.Throw();
            yield break;
        }

        // The full chunk first, then the rest of the input read on a thread of its own (which disposes it).
        var full = new HandOver<(ShipmentLine[] Lines, int Count)>(ChunksInFlight);
        var free = new ConcurrentBag<ShipmentLine[]>();
        ExceptionDispatchInfo? failure = null;
        full.Add((first, first.Length));

        var reader = new Thread(() =>
        {
            var chunk = new ShipmentLine[ChunkSize];
            var count = 0;
            try
            {
                while (input.MoveNext())
                {
                    chunk[count++] = input.Current;
                    if (count == chunk.Length)
                    {
                        if (!full.Add((chunk, count)))
                        {
                            count = 0; // the consumer stopped: nobody reads further
                            return;
                        }

                        chunk = free.TryTake(out var reused) ? reused : new ShipmentLine[ChunkSize];
                        count = 0;
                    }
                }
            }
            catch (Exception e)
            {
                // Thrown to the consumer after the lines read before it, the part chunk included (the failure is
                // written before Complete, so the consumer sees it).
                failure = ExceptionDispatchInfo.Capture(e);
            }
            finally
            {
                if (count > 0)
                {
                    full.Add((chunk, count)); // false when the consumer stopped meanwhile
                }

                input.Dispose();
                full.Complete();
            }
        })
        { IsBackground = true, Name = "clearance-input" };
        reader.Start();
        try
        {
            while (full.TryTake(out var handed))
            {
                var (chunk, count) = handed;
                for (var i = 0; i < count; i++)
                {
                    yield return chunk[i];
                }

                // Cleared so that a chunk waiting for reuse keeps no shipment alive.
                Array.Clear(chunk, 0, count);
                free.Add(chunk);
            }

            reader.Join();
            failure?.Throw();
        }
        finally
        {
            // A consumer that stopped early does not wait for the reader: it may be blocked on a slow input, and it
            // ends at its next hand-over (or with the input, whose errors nobody reads any more).
            full.Stop();
        }
    }
}
