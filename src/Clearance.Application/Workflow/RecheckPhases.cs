using System.Diagnostics;
using System.Globalization;

namespace Clearance.Application;

/// <summary>
/// Where a recheck's time went: wall time per phase on the recheck's thread, and the process's CPU time over the whole
/// run (the content may be compiled on another thread meanwhile). <c>shipments recheck --timings</c> prints it, so that
/// the recheck's own work can be told from the process's start and the content's load.
/// </summary>
public sealed class RecheckPhases
{
    private readonly List<(string Name, TimeSpan Wall, TimeSpan Cpu)> _phases = [];
    private readonly long _started = Stopwatch.GetTimestamp();
    private readonly TimeSpan _cpuAtStart = ProcessCpu();
    private long _mark;
    private TimeSpan _cpuMark;
    private TimeSpan _cpuAtEnd;
    private TimeSpan _wall;

    /// <summary>Starts timing.</summary>
    public RecheckPhases() => (_mark, _cpuMark) = (_started, _cpuAtStart);

    /// <summary>The phases in the order they first ended, each with its wall time and the process's CPU time in all.</summary>
    public IReadOnlyList<(string Name, TimeSpan Wall, TimeSpan Cpu)> Phases => _phases;

    /// <summary>Wall time from the start to <see cref="Finish"/>.</summary>
    public TimeSpan Wall => _wall;

    /// <summary>The process's CPU time (user and system, every thread) from the start to <see cref="Finish"/>.</summary>
    public TimeSpan Cpu => _cpuAtEnd - _cpuAtStart;

    /// <summary>Ends phase <paramref name="name"/> now: the time since the last phase ended is added to it.</summary>
    public void End(string name)
    {
        var now = Stopwatch.GetTimestamp();
        var cpu = ProcessCpu();
        Add(name, Stopwatch.GetElapsedTime(_mark, now), cpu - _cpuMark);
        (_mark, _cpuMark) = (now, cpu);
    }

    /// <summary>Runs <paramref name="work"/> as part of phase <paramref name="name"/> (a phase may be entered many times).</summary>
    public T Time<T>(string name, Func<T> work)
    {
        ArgumentNullException.ThrowIfNull(work);
        End("other");
        var result = work();
        End(name);
        return result;
    }

    /// <summary>Stops the clocks.</summary>
    public void Finish()
    {
        End("other");
        _wall = Stopwatch.GetElapsedTime(_started);
        _cpuAtEnd = _cpuMark;
    }

    /// <summary>The phases in one line: <c>recheck phases: read 12 ms, ...; recheck 800 ms wall, 900 ms CPU</c>.</summary>
    public string Line() => string.Create(CultureInfo.InvariantCulture,
        $"recheck phases (wall / process CPU): {string.Join(", ", _phases.Where(p => p.Wall >= TimeSpan.FromMilliseconds(0.5)).Select(p => $"{p.Name} {p.Wall.TotalMilliseconds:0}/{p.Cpu.TotalMilliseconds:0} ms"))}; recheck {Wall.TotalMilliseconds:0} ms wall, {Cpu.TotalMilliseconds:0} ms CPU (every thread)");

    // getrusage, not /proc: cheap enough to read at every line's phases.
    private static TimeSpan ProcessCpu() => Environment.CpuUsage.TotalTime;

    private void Add(string name, TimeSpan wall, TimeSpan cpu)
    {
        var i = _phases.FindIndex(p => p.Name == name);
        if (i < 0)
        {
            _phases.Add((name, wall, cpu));
        }
        else
        {
            _phases[i] = (name, _phases[i].Wall + wall, _phases[i].Cpu + cpu);
        }
    }
}
