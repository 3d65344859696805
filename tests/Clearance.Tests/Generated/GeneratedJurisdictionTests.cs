using Clearance.Evaluation;

namespace Clearance.Tests.Generated;

public sealed class GeneratedJurisdictionTests
{
    [Theory]
    [InlineData(1)]
    [InlineData(2)]
    [InlineData(3)]
    [InlineData(4)]
    [InlineData(5)]
    [InlineData(6)]
    [InlineData(7)]
    [InlineData(8)]
    public void Compute_AgreesWithReferenceEvaluator_OnRandomJurisdictions(int seed)
    {
        var j = RandomJurisdiction.Create(JurisdictionShape.Small, seed);
        var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);

        foreach (var facts in RandomJurisdiction.Shipments(compiled, 3_000, seed))
        {
            Assert.Equal(ReferenceEvaluator.Compute(j, facts, RandomJurisdiction.Rates).Code, compiled.Compute(facts).Code);
        }
    }

    [Fact]
    public void Compute_AgreesWithReferenceEvaluator_BeyondSixtyFourSetsRulesAndLicenses()
    {
        // The old compiled form kept sets, rules and licence types in 64-bit masks; these cross every word boundary.
        var j = RandomJurisdiction.Create(new JurisdictionShape(Items: 150, Sets: 140, Requirements: 200, Scope: 180, Licenses: 70, Reviews: 70), seed: 64);
        var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);

        Assert.True(j.Sets.Count > 128 && j.Requirements.Count > 128 && j.Scope.Count > 128 && j.Licenses.Count > 64);
        var verdicts = new HashSet<Verdict>();
        foreach (var facts in RandomJurisdiction.Shipments(compiled, 3_000, seed: 65))
        {
            var reference = ReferenceEvaluator.Compute(j, facts, RandomJurisdiction.Rates);
            Assert.Equal(reference.Code, compiled.Compute(facts).Code);
            verdicts.Add(reference.Verdict);
        }

        Assert.Equal(4, verdicts.Count); // every verdict occurs: the comparison is not vacuous
    }

    [Fact]
    public void Evaluate_LargeContent_CompilesAndSharesDeterminations()
    {
        var j = RandomJurisdiction.Create(new JurisdictionShape(Items: 3000, Sets: 300, Requirements: 3000, Scope: 2000, Licenses: 20, Reviews: 40, AllItemRules: false), seed: 5000);
        var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);
        var shipments = RandomJurisdiction.Shipments(compiled, 500, seed: 5001);

        foreach (var facts in shipments.Take(20)) // the reference evaluator reads the whole model per shipment: slow at this size
        {
            Assert.Equal(ReferenceEvaluator.Compute(j, facts, RandomJurisdiction.Rates).Code, compiled.Compute(facts).Code);
        }

        Assert.Same(compiled.Evaluate(shipments[0]), compiled.Evaluate(shipments[0]));
    }

    [Fact]
    public void Evaluate_ConcurrentFirstLookups_OneDeterminationPerOutcome()
    {
        // Both cores insert new outcomes at once; each outcome must still end up with one shared determination.
        var j = RandomJurisdiction.Create(JurisdictionShape.Small, seed: 99);
        var compiled = CompiledJurisdiction.Compile(j, "generated", RandomJurisdiction.Rates);
        var shipments = RandomJurisdiction.Shipments(compiled, 4_000, seed: 100);
        var concurrent = new Determination[shipments.Length];
        Parallel.For(0, shipments.Length, new ParallelOptions { MaxDegreeOfParallelism = 4 }, i => concurrent[i] = compiled.Evaluate(shipments[i]));

        for (var i = 0; i < shipments.Length; i++)
        {
            Assert.Same(concurrent[i], compiled.Evaluate(shipments[i]));
            Assert.Equal(ReferenceEvaluator.Compute(j, shipments[i], RandomJurisdiction.Rates).Verdict, concurrent[i].Verdict);
        }
    }
}
