using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
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
    public void FormatTime_AnyInstant_SameTextAsNodaTimesPattern()
    {
        // The edges the digit-by-digit form must spell as the pattern does: no fraction, trailing zeros, a single
        // nanosecond, the last nanosecond of a day and of a year, leap days, the epoch, the years 1 and 9999 (the last
        // instant NodaTime has), the years before 1 (left to the pattern), then a spread of instants at every precision.
        var instants = new List<Instant>
        {
            Instant.FromUtc(2026, 12, 4, 23, 5, 0),
            Instant.FromUnixTimeTicks(0),
            Instant.FromUtc(2019, 7, 4, 9, 0).PlusNanoseconds(100_000_000),
            Instant.FromUtc(2019, 7, 4, 9, 0).PlusNanoseconds(120_000),
            Instant.FromUtc(2019, 7, 4, 9, 0).PlusNanoseconds(1),
            Instant.FromUtc(2019, 7, 4, 9, 0).PlusNanoseconds(999_999_999),
            Instant.FromUtc(2024, 2, 29, 23, 59, 59).PlusNanoseconds(999_999_900),
            Instant.FromUtc(1999, 12, 31, 23, 59, 59).PlusNanoseconds(999_999_999),
            Instant.FromUtc(1, 1, 1, 0, 0),
            Instant.FromUtc(9999, 12, 31, 23, 59, 59).PlusNanoseconds(999_999_999),
            Instant.FromUtc(1, 1, 1, 0, 0).PlusNanoseconds(-1),
            Instant.MinValue,
            Instant.MaxValue,
            SystemClock.Instance.GetCurrentInstant(),
        };
        var random = new Random(20261204);
        for (var i = 0; i < 20_000; i++)
        {
            var seconds = random.NextInt64(Instant.FromUtc(1, 1, 1, 0, 0).ToUnixTimeSeconds(), Instant.FromUtc(9999, 12, 31, 23, 59, 59).ToUnixTimeSeconds());
            var nanos = (i % 4) switch { 0 => 0, 1 => random.Next(10_000_000) * 100, 2 => random.Next(1000) * 1_000_000, _ => random.Next(1_000_000_000) };
            instants.Add(Instant.FromUnixTimeSeconds(seconds).PlusNanoseconds(nanos));
        }

        foreach (var instant in instants)
            Assert.Equal(AuditChain.FormatTimeReference(instant), AuditChain.FormatTime(instant));
    }

    [Fact]
    public void AppendShared_PartKeptApart_SameHashAsTheWholeOutputs()
    {
        var time = Instant.FromUtc(2019, 7, 4, 9, 0);
        const string Whole = "{\"status\":\"held\",\"determination\":{\"id\":\"o-1\",\"verdict\":\"license-required\",\"note\":\"résumé 審査\"}}";
        var sharedStart = Whole.IndexOf("\"verdict\"", StringComparison.Ordinal);
        var shared = Whole[sharedStart..^1];
        var stored = Whole[..sharedStart] + "}";

        var whole = AuditChain.Append(AuditChain.Genesis, 1, time, "officer", "shipment.submit", "o-1", "{}", Whole, "jp@1", "");
        var apart = AuditChain.AppendShared(AuditChain.Genesis, 1, time, "officer", "shipment.submit", "o-1", "{}", stored, sharedStart,
            Encoding.UTF8.GetBytes(shared), "jp@1", "");

        Assert.Equal(whole.Hash, apart.Hash);
        Assert.Equal(stored, apart.Outputs);
        Assert.NotEqual(whole.Hash, AuditChain.HashOf(apart, sharedStart, Encoding.UTF8.GetBytes(shared + " ")));
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

    [Fact]
    public void HashOf_SharedPartAsUtf8_SameHashAsTheCanonicalFormOfTheWholeRecord()
    {
        // Generated records (fixed seed): outputs with ASCII, accented, CJK and astral characters, cut at every kind of
        // place; the hash of the whole record, of the record with the shared part's UTF-8 kept apart (the time formatted
        // by the chain or given as text), and a SHA-256 of the canonical form built here on its own (sequence, then each
        // field's UTF-8 length and bytes) agree.
        var random = new Random(20261203);
        string[] pieces = ["a", "{\"verdict\":\"license-required\"}", "é", "審査", "😀", "\\\"", " ", "0123456789"];
        string Text(int most) => string.Concat(Enumerable.Range(0, random.Next(most)).Select(_ => pieces[random.Next(pieces.Length)]));
        for (var i = 0; i < 500; i++)
        {
            var time = Instant.FromUnixTimeTicks(random.NextInt64(0, 20_000_000_000_000_000));
            var whole = "{\"status\":\"held\",\"determination\":" + Text(60) + "}";
            // A place between two characters (never inside a surrogate pair), and a part of any length from there.
            var at = random.Next(whole.Length + 1);
            at -= at > 0 && at < whole.Length && char.IsLowSurrogate(whole[at]) ? 1 : 0;
            var end = at + random.Next(whole.Length - at + 1);
            end -= end > at && end < whole.Length && char.IsLowSurrogate(whole[end]) ? 1 : 0;
            var (shared, kept) = (whole[at..end], whole[..at] + whole[end..]);
            var record = AuditChain.Append(AuditChain.Genesis.Replace('0', 'f'), i + 1, time, Text(3), "shipment.submit", Text(4), Text(20), whole, Text(2), Text(2));

            var timeFormatted = AuditChain.AppendShared(record.PreviousHash, record.Sequence, time, record.Actor, record.Action, record.Subject, record.Inputs,
                kept, at, Encoding.UTF8.GetBytes(shared), record.ContentVersion, record.ListVersions);
            var asUtf8 = AuditChain.AppendShared(record.PreviousHash, record.Sequence, time, record.Actor, record.Action, record.Subject, record.Inputs,
                kept, at, Encoding.UTF8.GetBytes(shared), record.ContentVersion, record.ListVersions, AuditChain.FormatTime(time));

            Assert.Equal(Canonical(record), record.Hash);
            Assert.Equal((record.Hash, record.Hash, kept), (timeFormatted.Hash, asUtf8.Hash, asUtf8.Outputs));
            Assert.Equal(record.Hash, AuditChain.HashOf(asUtf8, at, Encoding.UTF8.GetBytes(shared)));
        }
    }

    /// <summary>The hash as the chain defines it, written out apart from AuditChain: the sequence, then each field length-prefixed, SHA-256 in lower-case hex.</summary>
    private static string Canonical(AuditRecord record)
    {
        var form = new List<byte>();
        var sequence = new byte[8];
        BinaryPrimitives.WriteInt64BigEndian(sequence, record.Sequence);
        form.AddRange(sequence);
        foreach (var field in new[] { AuditChain.FormatTime(record.Time), record.Actor, record.Action, record.Subject, record.Inputs, record.Outputs,
            record.ContentVersion, record.ListVersions, record.PreviousHash })
        {
            var bytes = Encoding.UTF8.GetBytes(field);
            var length = new byte[4];
            BinaryPrimitives.WriteInt32BigEndian(length, bytes.Length);
            form.AddRange(length);
            form.AddRange(bytes);
        }

        return Convert.ToHexStringLower(SHA256.HashData([.. form]));
    }
}
