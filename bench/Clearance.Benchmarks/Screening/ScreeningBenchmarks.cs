using BenchmarkDotNet.Attributes;
using Clearance.Screening;
using Clearance.Screening.Matching;

namespace Clearance.Benchmarks.Screening;

/// <summary>
/// Screening one batch of 100 queries (half listed names with a typo, half ordinary people with birth date
/// and nationality) against every list in ../shared/lists: the index against the naive full scan (baseline).
/// dotnet run -c Release --project bench/Clearance.Benchmarks -- --filter '*ScreeningBenchmarks*'
/// </summary>
[MemoryDiagnoser]
public class ScreeningBenchmarks
{
    private ScreeningIndex _index = null!;
    private List<ScreeningQuery> _queries = null!;

    [GlobalSetup]
    public void Setup()
    {
        List<ListEntity> entities = AllLists.Load();
        _index = ScreeningIndex.Build(entities);
        _queries = ScreeningEvaluationProgram.SpeedQueries(entities, 100, seed: 5);
    }

    [Benchmark(Baseline = true, OperationsPerInvoke = 100)]
    public int FullScan()
    {
        int matches = 0;
        foreach (ScreeningQuery query in _queries)
        {
            matches += _index.ScreenFullScan(query).Count;
        }

        return matches;
    }

    [Benchmark(OperationsPerInvoke = 100)]
    public int Index()
    {
        int matches = 0;
        foreach (ScreeningQuery query in _queries)
        {
            matches += _index.Screen(query).Count;
        }

        return matches;
    }
}

/// <summary>Building the index from parsed entities of every list (the cold-start cost after parsing).</summary>
[MemoryDiagnoser]
public class ScreeningIndexBuildBenchmarks
{
    private List<ListEntity> _entities = null!;

    [GlobalSetup]
    public void Setup() => _entities = AllLists.Load();

    [Benchmark]
    public int Build() => ScreeningIndex.Build(_entities).NameCount;
}
