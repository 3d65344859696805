using Clearance.Model;
using NodaTime;

namespace Clearance.Tests;

public sealed class ContentValidatorTests
{
    private static readonly Citation Cite = new("test", null, false, null);
    private static readonly SourceRef At = new("built.yaml", 7);

    private static IReadOnlyList<ContentError> Validate(params FactTest[] tests)
    {
        var rule = new RequirementRule("r", RequirementKind.List, "rule", ItemSelector.All, DestinationSelector.All, new FactCondition(tests), [Period.Always], Cite, At);
        var j = new Jurisdiction("JP", "Japan", "law", new LocalDate(2019, 1, 1), null, [], [], [rule], [], [], [], Cite, At);
        return ContentValidator.Validate([j]);
    }

    [Fact]
    public void Validate_ConditionsOfContentBuiltInCode_FactsAndTypesChecked()
    {
        Assert.Empty(Validate(new OneOfTest(Facts.EndUse, ["wmd"]), new CompareTest(Facts.Value, Comparison.LessOrEqual, new Amount(1500m, "USD"))));

        Assert.Contains("'when' names 'valu', which is not a fact of JP", Assert.Single(Validate(new FlagTest("valu", true))).Message, StringComparison.Ordinal);
        Assert.Contains("does not fit the amount fact", Assert.Single(Validate(new FlagTest(Facts.Value, true))).Message, StringComparison.Ordinal);
        Assert.Contains("does not fit the enumeration fact", Assert.Single(Validate(new OneOfTest(Facts.EndUse, ["peaceful"]))).Message, StringComparison.Ordinal);
        Assert.Equal(7, Validate(new FlagTest("valu", true))[0].Line);
    }
}
