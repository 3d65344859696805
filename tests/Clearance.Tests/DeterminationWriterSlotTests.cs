using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Tests;

/// <summary>
/// <see cref="Determination.WriterSlot"/> is a writer's, not part of the answer: what a writer keeps there changes
/// neither the record's equality nor its hash code nor its text, and a copy made with <c>with</c> starts with the
/// original's value (which a writer must therefore check is for the instance it holds).
/// </summary>
public sealed class DeterminationWriterSlotTests
{
    private static Determination Answer() => new(
        "JP", Verdict.LicenseRequired, ["individual"], new Dictionary<string, string>(), 90, [], [], ["Group B"], [], [], "A licence is required.", "v1");

    [Fact]
    public void SetWriterSlot_OnOneOfTwoEqualDeterminations_StillEqualWithTheSameHashAndText()
    {
        var answer = Answer();
        var kept = answer with { };
        var form = new object();

        kept.SetWriterSlot(form);

        Assert.Same(form, kept.WriterSlot());
        Assert.Null(answer.WriterSlot());
        Assert.Equal(answer, kept);
        Assert.Equal(answer.GetHashCode(), kept.GetHashCode());
        Assert.Equal(answer.ToString(), kept.ToString());
    }

    [Fact]
    public void SetWriterSlot_CopyMadeWithWith_StartsWithTheOriginalsValueAndKeepsItsOwnAfter()
    {
        var answer = Answer();
        var first = new object();
        answer.SetWriterSlot(first);

        var copy = answer with { Explanation = "Re-export: a licence is required." };
        Assert.Same(first, copy.WriterSlot());
        var second = new object();
        copy.SetWriterSlot(second);

        Assert.Same(first, answer.WriterSlot());
        Assert.Same(second, copy.WriterSlot());
        Assert.NotEqual(answer, copy);
    }
}
