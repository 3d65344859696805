namespace Clearance.Application.Tests;

/// <summary>The README's table ("Exit codes and errors"), which both front ends return: scripts gate on these numbers.</summary>
public sealed class ExitCodesTests
{
    [Fact]
    public void ExitCodes_Values_TheReadmeTable()
    {
        Assert.Equal((0, 1, 2, 3, 70), (ExitCodes.Done, ExitCodes.Failed, ExitCodes.SomeRecordsFailed, ExitCodes.Hit, ExitCodes.Unexpected));
    }
}
