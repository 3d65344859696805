namespace Clearance.Application;

/// <summary>
/// A bounded first-in first-out hand-over from one producing thread to one consuming thread, whose waits block at
/// once instead of spinning first. A batch check runs four threads (reading, two checking, writing) on a machine of
/// two cores, and a thread waits for another on every chunk read ahead and every block written: the
/// <see cref="System.Collections.Concurrent.BlockingCollection{T}"/> these were spun in <see cref="SemaphoreSlim"/>
/// (busy loops and sched_yield) before it blocked: 21,039 sched_yield calls in the mixed million-line check (5,263
/// without it) and ~3 % of its CPU samples, taken from the threads that had work (docs/benchmarks.md, check-speed20).
/// A wait here is a <see cref="Monitor.Wait(object)"/>, woken by the other side's <see cref="Monitor.PulseAll(object)"/>.
/// </summary>
/// <typeparam name="T">What is handed over.</typeparam>
/// <param name="capacity">Items handed over and not yet taken, at most: the producer waits while there are as many.</param>
internal sealed class HandOver<T>(int capacity)
{
    private readonly Queue<T> _items = new(capacity);
    private readonly object _gate = new();
    private bool _completed;
    private bool _stopped;

    /// <summary>
    /// Hands <paramref name="item"/> over, waiting while <c>capacity</c> items wait to be taken; false (and not handed
    /// over) once the consumer has <see cref="Stop"/>ped.
    /// </summary>
    public bool Add(T item)
    {
        lock (_gate)
        {
            while (_items.Count >= capacity && !_stopped)
            {
                Monitor.Wait(_gate);
            }

            if (_stopped)
            {
                return false;
            }

            _items.Enqueue(item);
            // One producer and one consumer: only the consumer can be waiting now (for an item).
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>The next item, waiting while there is none; false when the producer has <see cref="Complete"/>d and every item was taken.</summary>
    public bool TryTake(out T item)
    {
        lock (_gate)
        {
            while (_items.Count == 0 && !_completed)
            {
                Monitor.Wait(_gate);
            }

            if (_items.Count == 0)
            {
                item = default!;
                return false;
            }

            item = _items.Dequeue();
            // Only the producer can be waiting now (for room).
            Monitor.PulseAll(_gate);
            return true;
        }
    }

    /// <summary>The producer hands over no more: the consumer takes what is left, then <see cref="TryTake"/> answers false.</summary>
    public void Complete()
    {
        lock (_gate)
        {
            _completed = true;
            Monitor.PulseAll(_gate);
        }
    }

    /// <summary>The consumer takes no more: a producer waiting for room, and every later <see cref="Add"/>, answers false at once.</summary>
    public void Stop()
    {
        lock (_gate)
        {
            _stopped = true;
            Monitor.PulseAll(_gate);
        }
    }
}
