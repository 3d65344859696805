using System.Diagnostics;
using System.Globalization;

namespace Clearance.Application;

/// <summary>
/// Where a recheck's time went: wall time per phase on the recheck's thread, the process's CPU time (every thread: the
/// content may be compiled on another thread meanwhile) per phase that runs once, and over the whole run, and the
/// runtime's JIT time (every thread) within each such phase: in a short process the methods compiled at their first
/// call are a large part of the CPU, and telling them from the work says which of the two a change must attack.
/// <c>shipments recheck --timings</c> prints it, so that the recheck's own work can be told from the process's start
/// and the content's load.
/// </summary>
/// <remarks>
/// The phases entered once a line (<see cref="Time{T}"/>: a check, a write) have their wall time only: reading the
/// process's CPU is a system call, and two a line added a tenth to <c>--full</c>'s CPU; their CPU and their allocations
/// are counted in the phase that <see cref="End"/> ends after the lines (the thread's allocations read twice a line
/// made <c>--full --timings</c> 3-5 % dearer, recheck-speed13).
/// </remarks>
public sealed class RecheckPhases
{
    // A list of a class: a list of tuples (and the LINQ over it) was compiled at run time in every recheck's process.
    private readonly List<RecheckPhase> _phases = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _cpuAtStart = ProcessCpu();
    private readonly TimeSpan _jitAtStart = System.Runtime.JitInfo.GetCompilationTime();
    private readonly long _methodsAtStart = System.Runtime.JitInfo.GetCompiledMethodCount();
    private readonly long _allocatedAtStart = GC.GetTotalAllocatedBytes();
    private long _allocatedMark;
    private long _mark;
    private TimeSpan _cpuMark;
    private TimeSpan _jitMark;
    private TimeSpan _cpuAtEnd;
    private TimeSpan _wall;

    /// <summary>Starts timing.</summary>
    public RecheckPhases() => (_mark, _cpuMark, _jitMark, _allocatedMark) = (_started, _cpuAtStart, _jitAtStart, _allocatedAtStart);

    /// <summary>The process's CPU time when the recheck began: the runtime's start, the command line, the store and the screening opened.</summary>
    public TimeSpan CpuBefore => _cpuAtStart;

    /// <summary>The phases in the order they first ended, each with its wall time, the process's CPU time, the JIT's time and the bytes allocated on the heap in all (null: not measured, see the remarks).</summary>
    public IReadOnlyList<RecheckPhase> Phases => _phases;

    /// <summary>The bytes allocated on the managed heap (every thread) from the start to <see cref="Finish"/>: fresh memory is zeroed and, the first time, faulted in, a large share of a short process's CPU.</summary>
    public long Allocated { get; private set; }

    /// <summary>The JIT's time (every thread) from the start to <see cref="Finish"/>.</summary>
    public TimeSpan Jit { get; private set; }

    /// <summary>The methods the JIT compiled (every thread) from the start to <see cref="Finish"/>.</summary>
    public long JitMethods { get; private set; }

    /// <summary>Wall time from the start to <see cref="Finish"/>.</summary>
    public TimeSpan Wall => _wall;

    /// <summary>The process's CPU time (user and system, every thread) from the start to <see cref="Finish"/>.</summary>
    public TimeSpan Cpu => _cpuAtEnd - _cpuAtStart;

    /// <summary>Ends phase <paramref name="name"/> now: the wall and CPU time since the last phase ended, less the per-line phases' wall time, are added to it.</summary>
    public void End(string name)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = ProcessCpu();
        var jit = System.Runtime.JitInfo.GetCompilationTime();
        var allocated = GC.GetTotalAllocatedBytes();
        Add(name, Stopwatch.GetElapsedTime(_mark, now) - _perLine, cpu - _cpuMark, jit - _jitMark, allocated - _allocatedMark);
        (_mark, _cpuMark, _jitMark, _allocatedMark, _perLine) = (now, cpu, jit, allocated, TimeSpan.Zero);
    }

    private TimeSpan _perLine;

    /// <summary>
    /// Runs <paramref name="work"/> as part of phase <paramref name="name"/>, entered once a line: its wall time is added
    /// to that phase, its CPU to the phase that <see cref="End"/> ends next.
    /// </summary>
    public T Time<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        var started = Stopwatch.GetTimestamp();
        var result = work();
        var wall = Stopwatch.GetElapsedTime(started);
        _perLine += wall;
        Add(name, wall, null, null, null);
        return result;
    }

    /// <summary>Stops the clocks.</summary>
    public void Finish()
    {
        End("other");
        _wall = Stopwatch.GetElapsedTime(_started);
        _cpuAtEnd = _cpuMark;
        Jit = _jitMark - _jitAtStart;
        Allocated = _allocatedMark - _allocatedAtStart;
        JitMethods = System.Runtime.JitInfo.GetCompiledMethodCount() - _methodsAtStart;
    }

    /// <summary>The phases in one line: <c>recheck phases (wall / process CPU / of which JIT, MB allocated): summary 80/90/10 ms 1.2 MB, check 120 ms, ...; recheck 800 ms wall, 900 ms CPU (every thread), JIT 200 ms (1,500 methods), 60.0 MB allocated</c>.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"recheck phases (wall / process CPU / of which JIT, MB allocated): {string.Join(", ", _phases.Select(p => p.Text()))}; recheck {Wall.TotalMilliseconds:0} ms wall, {Cpu.TotalMilliseconds:0} ms CPU (every thread), JIT {Jit.TotalMilliseconds:0} ms ({JitMethods:N0} methods), {Allocated / 1e6:0.0} MB allocated");

    // getrusage, not /proc: cheap enough for a few dozen phases.
    private static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    private void Add(string name, TimeSpan wall, TimeSpan? cpu, TimeSpan? jit, long? allocated)
    {
        var i = 0;
        while (i < _phases.Count && _phases[i].Name != name)
        {
            i++;
        }

        if (i == _phases.Count)
        {
            _phases.Add(new RecheckPhase(name, wall, cpu, jit, allocated));
        }
        else
        {
            var p = _phases[i];
            _phases[i] = new RecheckPhase(name, p.Wall + wall, p.Cpu + cpu, p.Jit + jit, p.Allocated + allocated);
        }
    }
}

/// <summary>One phase of a recheck (<see cref="RecheckPhases"/>): its wall time, the process's CPU time, the JIT's time and the bytes allocated (null: not measured).</summary>
/// <param name="Name">The phase.</param>
/// <param name="Wall">Wall time.</param>
/// <param name="Cpu">The process's CPU time (every thread).</param>
/// <param name="Jit">The JIT's time (every thread).</param>
/// <param name="Allocated">Bytes allocated on the managed heap.</param>
public sealed record RecheckPhase(string Name, TimeSpan Wall, TimeSpan? Cpu, TimeSpan? Jit, long? Allocated)
{
    /// <summary>The phase as <see cref="RecheckPhases.Line"/> writes it.</summary>
    public string Text() => Cpu is { } cpu
        ? string.Create(CultureInfo.InvariantCulture, $"{Name} {Wall.TotalMilliseconds:0}/{cpu.TotalMilliseconds:0}/{Jit.GetValueOrDefault().TotalMilliseconds:0} ms {Allocated.GetValueOrDefault() / 1e6:0.0} MB")
        : string.Create(CultureInfo.InvariantCulture, $"{Name} {Wall.TotalMilliseconds:0} ms");
}
