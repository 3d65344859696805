using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

public sealed class OutcomeTextTests
{
    [Fact]
    public void Build_OutcomesDifferingOnlyInTracedRules_ShareTheAnswerEachWithItsOwnTrace()
    {
        // Two ECCNs with different Country Chart columns, to Canada for a WMD end use: the columns excluded by
        // destination differ, so the outcome codes and traces do; the answer (the WMD end-use ground) does not.
        var (firstFacts, us) = Engine.Facts("US:1B102.a", "CA", "2022-07-13", EndUse.Wmd);
        var (secondFacts, _) = Engine.Facts("US:4A005", "CA", "2022-07-13", EndUse.Wmd);
        var first = us.Evaluate(firstFacts);
        var second = us.Evaluate(secondFacts);

        Assert.NotEqual(us.Compute(firstFacts).Code, us.Compute(secondFacts).Code);
        Assert.Same(first.Explanation, second.Explanation);
        Assert.Same(first.Grounds, second.Grounds);
        Assert.Same(first.Unconfirmed, second.Unconfirmed);
        Assert.Same(first.LicenseConditions, second.LicenseConditions);
        Assert.Equal(["us.744.wmd-end-use"], first.Grounds.Select(g => g.Rule));
        Assert.NotEqual(Traced(first), Traced(second));

        // Each trace is its own outcome's: the one built from the reference evaluator's outcome for the same facts.
        Assert.Equal(Traced(OutcomeText.Build(us.Model, "v", ReferenceEvaluator.Compute(us.Model, firstFacts))), Traced(first));
        Assert.Equal(Traced(OutcomeText.Build(us.Model, "v", ReferenceEvaluator.Compute(us.Model, secondFacts))), Traced(second));
    }

    private static string[] Traced(Determination d) => [.. d.Trace.Select(t => $"{t.Rule}: {t.Effect}")];
}
