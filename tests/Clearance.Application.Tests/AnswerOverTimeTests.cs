using Clearance.Evaluation;

namespace Clearance.Application.Tests;

public sealed class AnswerOverTimeTests
{
    private static readonly CheckService Service = new(ContentSetup.Evaluator(), EndUserScreening.None);

    private static IReadOnlyList<AnswerSpan> Spans(string line)
    {
        var result = Service.Check(new JsonLineReader().Read(System.Text.Encoding.UTF8.GetBytes(line), 1)).Result!;
        return AnswerOverTime.Of(Service, result);
    }

    [Fact]
    public void Of_ChemicalPrecursorToKorea_TheDisputeIn2019AndItsReversalIn2023()
    {
        var spans = Spans("""{"id":"o-1","date":"2020-01-01","from":"JP","to":"KR","item":"JP:3(1)","end_use":"civil"}""");

        Assert.Equal([null, "2019-07-04", "2023-03-23", "2023-07-21"], spans.Select(s => s.From is { } d ? NodaTime.Text.LocalDatePattern.Iso.Format(d) : null));
        Assert.Equal(["individual"], spans[1].EligibleLicenses);
        Assert.Contains("general-bulk", spans[0].EligibleLicenses);
        Assert.Contains("general-bulk", spans[3].EligibleLicenses);
        Assert.All(spans, s => Assert.Equal(Verdict.LicenseRequired, s.Verdict));
        Assert.All(spans.Zip(spans.Skip(1)), pair => Assert.Equal(pair.Second.From, pair.First.To));
    }

    [Fact]
    public void Of_EmbargoedDestination_EndsProhibitedAndOpenEnded()
    {
        var spans = Spans("""{"id":"o-1","date":"2020-01-01","from":"JP","to":"KP","item":"JP:16","end_use":"civil"}""");

        Assert.NotEmpty(spans);
        Assert.Equal(Verdict.Prohibited, spans[^1].Verdict);
        Assert.Null(spans[^1].To);
    }
}
