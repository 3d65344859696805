using Clearance.Content;
using Clearance.Evaluation;
using Clearance.Model;
using NodaTime.Text;

namespace Clearance.Tests;

/// <summary>The built-in content, compiled once for all tests.</summary>
internal static class Engine
{
    public static ContentSet Content { get; } = ContentLoader.LoadBuiltIn();

    public static Evaluator Evaluator { get; } = new(Content);

    public static Determination Check(string item, string to, string date, EndUse endUse = EndUse.Civil, bool informed = false, EndUserStatus endUser = EndUserStatus.Clear)
    {
        var (facts, jurisdiction) = Facts(item, to, date, endUse, informed, endUser);
        return jurisdiction.Evaluate(facts);
    }

    public static (ShipmentFacts Facts, CompiledJurisdiction Jurisdiction) Facts(string item, string to, string date, EndUse endUse = EndUse.Civil, bool informed = false, EndUserStatus endUser = EndUserStatus.Clear)
    {
        var prefix = item[..item.IndexOf(':', StringComparison.Ordinal)];
        var jurisdiction = Evaluator.Jurisdictions[Evaluator.IndexOf(prefix)];
        Assert.True(jurisdiction.TryFindItem(item.AsSpan(prefix.Length + 1), out var index), $"unknown item {item}");
        return (new ShipmentFacts(LocalDatePattern.Iso.Parse(date).Value, index, CountryCode.Parse(to), endUse, informed, endUser), jurisdiction);
    }
}
