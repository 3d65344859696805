using System.Diagnostics;
using System.Runtime;
using Clearance.Application;
using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using YamlDotNet.RepresentationModel;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// <c>start-phases FILE [snapshot CACHE]</c>: the start of <c>clearance check --input FILE --output json</c> taken apart in a fresh
/// process, one phase after the other on one thread (the CLI reads the files in parallel; here each phase is timed
/// alone): the runtime's start to <c>Main</c>, the embedded YAML read, the version hash, each file's parse, the model
/// built from the nodes, the validation, the compile of each jurisdiction, the first line checked; then the same
/// start as the CLI makes it (<see cref="CheckOnDemand"/>), warm. Per phase: wall, process CPU, methods jitted and the
/// JIT's time (<see cref="JitInfo"/>). With <c>snapshot CACHE</c>, the content is read through the
/// snapshot in CACHE (<see cref="ContentSnapshot"/>) instead of parsed. Run it once per process: only the first run of a phase pays its JIT.
/// </summary>
public static class StartPhases
{
    public static int Run(string[] args)
    {
        if (args is not ["start-phases", var path, .. var rest] || rest is not ([] or ["snapshot", _]))
        {
            Console.Error.WriteLine("usage: start-phases FILE [snapshot CACHE]");
            return 2;
        }

        var process = Process.GetCurrentProcess();
        var sinceStart = DateTime.Now - process.StartTime;
        var phases = new Phases();
        Console.WriteLine(FormattableString.Invariant(
            $"{"to Main (runtime start, host)",-44} wall {sinceStart.TotalMilliseconds,7:F0} ms  CPU {process.TotalProcessorTime.TotalMilliseconds,7:F0} ms  jitted {JitInfo.GetCompiledMethodCount(),5}  JIT {JitInfo.GetCompilationTime().TotalMilliseconds,6:F0} ms"));
        phases.Start();

        var files = ContentLoader.BuiltInFiles();
        phases.Stop("embedded YAML read (BuiltInFiles)");
        var version = ContentLoader.Version(files);
        phases.Stop("version hash");
        if (rest is ["snapshot", var cache])
        {
            var kept = ContentLoader.Load(files, ContentSnapshot.For(cache, version));
            phases.Stop("content read back from the snapshot");
            return Check(path, phases, new Evaluator(kept));
        }

        var documents = new List<(string File, YamlNode Root)>();
        var errors = new List<ContentError>();
        foreach (var (name, text) in files)
        {
            documents.Add((name, JurisdictionParser.Document(name, text, errors)!));
            phases.Stop($"parse {name}");
        }

        var jurisdictions = JurisdictionParser.Parse(documents, errors);
        phases.Stop("model from the nodes");
        var content = ContentSet.Create(version, jurisdictions, [.. files.Select(f => new ContentFile(f.Name, f.Text))]);
        phases.Stop("validation (ContentSet.Create)");
        return Check(path, phases, new Evaluator(content));
    }

    private static int Check(string path, Phases phases, Evaluator evaluator)
    {
        phases.Stop("Evaluator (per-jurisdiction heads)");
        var shared = EndUserScreeningFactory.Open(null, Console.Error);
        var service = new CheckService(evaluator, shared) { Traced = false };
        var lines = JsonLinesInput.Read(File.OpenRead(path)).ToList();
        phases.Stop("input read");
        foreach (var line in lines)
        {
            _ = service.Check(line);
        }

        phases.Stop("first check (tables built, JIT)");
        foreach (var line in lines)
        {
            _ = service.Check(line);
        }

        phases.Stop("second check");
        var onDemand = new CheckOnDemand(ContentOnDemand.BuiltIn(e => new CheckService(e, shared) { Traced = false }));
        foreach (var line in onDemand.Sized(lines))
        {
            _ = onDemand.Check(line);
        }

        phases.Stop("CheckOnDemand again (warm JIT)");
        var json = new ResultJson(false);
        _ = CheckBatch.Run(onDemand, json, onDemand.Sized(lines), Stream.Null, 1);
        phases.Stop("CheckBatch.Run of the lines (warm content)");
        return 0;
    }

    private sealed class Phases
    {
        private readonly Process _process = Process.GetCurrentProcess();
        private readonly Stopwatch _wall = new();
        private TimeSpan _cpu;
        private long _jitted;
        private TimeSpan _jit;
        private long _allocated;

        public void Start()
        {
            _process.Refresh();
            _cpu = _process.TotalProcessorTime;
            _jitted = JitInfo.GetCompiledMethodCount();
            _jit = JitInfo.GetCompilationTime();
            _allocated = GC.GetTotalAllocatedBytes(precise: true);
            _wall.Restart();
        }

        public void Stop(string name)
        {
            var wall = _wall.Elapsed;
            _process.Refresh();
            var cpu = _process.TotalProcessorTime - _cpu;
            var jitted = JitInfo.GetCompiledMethodCount() - _jitted;
            var jit = JitInfo.GetCompilationTime() - _jit;
            var allocated = GC.GetTotalAllocatedBytes(precise: true) - _allocated;
            Console.WriteLine(FormattableString.Invariant(
                $"{name,-44} wall {wall.TotalMilliseconds,7:F0} ms  CPU {cpu.TotalMilliseconds,7:F0} ms  jitted {jitted,5}  JIT {jit.TotalMilliseconds,6:F0} ms  allocated {allocated / 1e6,6:F1} MB"));
            Start();
        }
    }
}
