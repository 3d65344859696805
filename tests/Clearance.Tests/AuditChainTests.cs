using Clearance.Audit;
using NodaTime;
using Xunit;

namespace Clearance.Tests;

public class AuditChainTests
{
    private static List<AuditRecord> Trail(int count)
    {
        var records = new List<AuditRecord>();
        var previous = AuditChain.Genesis;
        for (var i = 1; i <= count; i++)
        {
            var record = AuditChain.Append(previous, i, Instant.FromUtc(2019, 7, 4, 9, i), "officer", "determination", $"o-{i}",
                $"{{\"line\":{i}}}", "{\"verdict\":\"license-required\"}", "jp@1", "meti-eul:1");
            records.Add(record);
            previous = record.Hash;
        }

        return records;
    }

    [Fact]
    public void Verify_IntactTrail_NoBreak() => Assert.Null(AuditChain.Verify(Trail(5)));

    [Fact]
    public void AppendShared_PartKeptApart_SameHashAsTheWholeOutputs()
    {
        var time = Instant.FromUtc(2019, 7, 4, 9, 0);
        const string Whole = "{\"status\":\"held\",\"determination\":{\"id\":\"o-1\",\"verdict\":\"license-required\",\"note\":\"résumé 審査\"}}";
        var sharedStart = Whole.IndexOf("\"verdict\"", StringComparison.Ordinal);
        var shared = Whole[sharedStart..^1];
        var stored = Whole[..sharedStart] + "}";

        var whole = AuditChain.Append(AuditChain.Genesis, 1, time, "officer", "shipment.submit", "o-1", "{}", Whole, "jp@1", "");
        var apart = AuditChain.AppendShared(AuditChain.Genesis, 1, time, "officer", "shipment.submit", "o-1", "{}", stored, sharedStart, shared, "jp@1", "");

        Assert.Equal(whole.Hash, apart.Hash);
        Assert.Equal(stored, apart.Outputs);
        Assert.NotEqual(whole.Hash, AuditChain.HashOf(apart, sharedStart, shared + " "));
    }

    [Fact]
    public void Verify_AlteredOutput_NamesTheRecord()
    {
        var trail = Trail(5);
        trail[2] = trail[2] with { Outputs = "{\"verdict\":\"no-license-required\"}" };
        Assert.Equal(3, AuditChain.Verify(trail)!.Sequence);
    }

    [Fact]
    public void Verify_RemovedRecord_NamesTheGap()
    {
        var trail = Trail(5);
        trail.RemoveAt(1);
        var problem = AuditChain.Verify(trail)!;
        Assert.Equal(3, problem.Sequence);
        Assert.Contains("record 2 removed", problem.Problem, StringComparison.Ordinal);
    }

    [Fact]
    public void Verify_RemovedAndRenumberedAndRehashed_CaughtByTheChain()
    {
        // An attacker who removes record 2 and renumbers and re-hashes record 3 in place still breaks record 3's link.
        var trail = Trail(5);
        var forged = trail[2] with { Sequence = 2, PreviousHash = trail[0].Hash };
        forged = forged with { Hash = AuditChain.HashOf(forged) };
        var rest = trail.Skip(3).Select(r => r with { Sequence = r.Sequence - 1 }).ToList();
        var tampered = new List<AuditRecord> { trail[0], forged };
        tampered.AddRange(rest);
        Assert.NotNull(AuditChain.Verify(tampered));
    }

    [Fact]
    public void Verify_InsertedRecord_NamesIt()
    {
        var trail = Trail(3);
        var inserted = AuditChain.Append(trail[0].Hash, 2, Instant.FromUtc(2019, 7, 4, 9, 30), "intruder", "shipment.release", "o-9", "{}", "{}", "", "");
        trail.Insert(1, inserted);
        Assert.Equal(2, AuditChain.Verify(trail)!.Sequence);
    }

    [Fact]
    public void HashOf_FieldBoundaryMoved_DifferentHash()
    {
        // Length-prefixed fields: "ab" + "c" must not hash like "a" + "bc".
        var a = AuditChain.Append(AuditChain.Genesis, 1, Instant.FromUnixTimeSeconds(0), "ab", "c", "", "", "", "", "");
        var b = AuditChain.Append(AuditChain.Genesis, 1, Instant.FromUnixTimeSeconds(0), "a", "bc", "", "", "", "", "");
        Assert.NotEqual(a.Hash, b.Hash);
    }
}
