using BenchmarkDotNet.Attributes;
using Clearance.Evaluation;
using Clearance.Tests.Generated;

namespace Clearance.Benchmarks.Determination;

/// <summary>
/// Cost per determination as content grows: generated jurisdictions of 50 and of 5,000 rules (30 and 300 country sets),
/// with the same number of rules per item (items grow with the rules, as a real control list does). With rules indexed
/// by item and bit sets of any width the cost per determination stays flat; <c>Compile</c> is the one-off cost.
/// </summary>
[MemoryDiagnoser]
public class LargeContentBenchmarks
{
    private const int Count = 4096;
    private Model.Jurisdiction _model = null!;
    private CompiledJurisdiction _compiled = null!;
    private ShipmentFacts[] _facts = [];

    [Params("50 rules, 30 sets", "5000 rules, 300 sets")]
    public string Content { get; set; } = "";

    [GlobalSetup]
    public void Setup()
    {
        var shape = Content.StartsWith("50 ", StringComparison.Ordinal)
            ? new JurisdictionShape(Items: 30, Sets: 30, Requirements: 30, Scope: 20, Licenses: 4, Reviews: 4, AllItemRules: false)
            : new JurisdictionShape(Items: 3000, Sets: 300, Requirements: 3000, Scope: 2000, Licenses: 20, Reviews: 40, AllItemRules: false);
        _model = RandomJurisdiction.Create(shape, seed: 2019);
        _compiled = CompiledJurisdiction.Compile(_model, "generated", RandomJurisdiction.Rates);
        _facts = RandomJurisdiction.Shipments(_compiled, Count, seed: 704);
    }

    [Benchmark(OperationsPerInvoke = Count)]
    public int Evaluate()
    {
        var sum = 0;
        for (var i = 0; i < _facts.Length; i++)
        {
            sum += (int)_compiled.Evaluate(_facts[i]).Verdict;
        }

        return sum;
    }

    [Benchmark]
    public CompiledJurisdiction Compile() => CompiledJurisdiction.Compile(_model, "generated", RandomJurisdiction.Rates);
}
