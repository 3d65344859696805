namespace Clearance.Application.Tests;

/// <summary>
/// What writing a line allocates. Alone, not beside other test classes: the built-in content's answers are shared by
/// every evaluator of the process, and another writer writing them takes the form kept with them (a writer of its own
/// then finds none and makes one, as designed), which would count here.
/// </summary>
[Collection(nameof(WrittenAlone))]
public sealed class ResultJsonAllocationTests
{
    [Fact]
    public void Write_UsualLines_AllocateNothing()
    {
        // A line of one regime without a list hit is written from the form kept with its determination: no closure, no
        // copy, no string (a closure of the hits' lambdas was once made on every line).
        var checkedLines = ResultJsonAgreementTests.Checked(new CheckService(ResultJsonAgreementTests.Evaluator, EndUserScreening.None) { Traced = false }, ResultJsonAgreementTests.Lines(seed: 41, perJurisdiction: 400))
            .Where(l => l.Result is { IsCombined: false }).ToList();
        var json = new ResultJson(false);
        var buffer = OutputBuffer.InMemory();

        var allocated = Allocation.Least(() =>
        {
            foreach (var line in checkedLines)
            {
                buffer.Clear();
                json.Write(line, buffer);
            }
        });

        Assert.True(checkedLines.Count > 500, $"{checkedLines.Count} lines");
        Assert.Equal(0, allocated);
    }
}

/// <summary>Tests that run with no other test class beside them: allocation measures (<see cref="ResultJsonAllocationTests"/>, <see cref="JsonLineReaderAllocationTests"/>).</summary>
[CollectionDefinition(nameof(WrittenAlone), DisableParallelization = true)]
public sealed class WrittenAlone;
