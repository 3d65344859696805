using Clearance.Audit;
using Clearance.Store;

namespace Clearance.Application;

/// <summary>
/// The check of the audit trail's hash chain (<c>audit verify</c>, <c>POST /api/v1/audit/verify</c>, the audit page's
/// button): every record's hash and link, and the head to keep elsewhere.
/// </summary>
/// <param name="Records">How many records the trail holds.</param>
/// <param name="Head">The last record's hash: kept elsewhere, it is what catches a trail rewritten whole (the chain alone cannot).</param>
/// <param name="Break">The first record altered, removed or inserted; null when the chain verifies.</param>
public sealed record AuditVerification(long Records, string Head, AuditBreak? Break)
{
    /// <summary>Whether every hash and link checks.</summary>
    public bool Intact => Break is null;

    /// <summary>Verifies <paramref name="trail"/> from its first record.</summary>
    public static AuditVerification Of(AuditTrail trail)
    {
        ArgumentNullException.ThrowIfNull(trail);
        var problem = trail.Verify();
        var (count, head) = trail.Head();
        return new AuditVerification(count, head, problem);
    }

    /// <summary>The outcome in one line: "audit trail intact: N record(s), head H" or "audit trail broken at record N: why".</summary>
    public string Describe() => Break is { } problem
        ? $"audit trail broken at record {problem.Sequence}: {problem.Problem}"
        : $"audit trail intact: {Records} record(s), head {Head}";
}
