namespace Clearance.Application.Tests;

/// <summary>What checking a line allocates, once its answers are known (alone, as <see cref="ResultJsonAllocationTests"/>).</summary>
[Collection(nameof(WrittenAlone))]
public sealed class CheckServiceAllocationTests
{
    [Fact]
    public void Check_UsualLines_AllocateOnlyTheirResult()
    {
        // A line of one regime without a list hit whose answer was met before: the shared regime result and the
        // determination are found, not made; only the line's own CheckResult (56 bytes on 64 bits) is new, and now and
        // then a regime result whose slot another result holds (measured 57.2 bytes a line on average, check-line22).
        var service = new CheckService(ResultJsonAgreementTests.Evaluator, EndUserScreening.None) { Traced = false };
        var lines = ResultJsonAgreementTests.Lines(seed: 41, perJurisdiction: 400);
        var read = JsonLinesInput.Read(new MemoryStream(System.Text.Encoding.UTF8.GetBytes(string.Join('\n', lines))))
            .Where(l => l.Shipment is { Classifications.Count: 1 })
            .ToList();
        var usual = read.Where(l => service.Check(l).Result is { IsCombined: false }).ToList();
        foreach (var line in usual)
        {
            service.Check(line); // every answer met once
        }

        var allocated = Allocation.Least(() =>
        {
            foreach (var line in usual)
            {
                service.Check(line);
            }
        });

        Assert.True(usual.Count > 500, $"{usual.Count} lines");
        Assert.True(allocated <= 64 * usual.Count, $"{(double)allocated / usual.Count:F1} bytes per line");
    }
}
