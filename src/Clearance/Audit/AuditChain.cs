using System.Buffers;
using System.Buffers.Binary;
using System.Security.Cryptography;
using System.Text;
using NodaTime;
using NodaTime.Text;

namespace Clearance.Audit;

/// <summary>
/// One audit record: who did what, when, with which inputs and outputs, under which content and list versions; and its
/// place in the hash chain. <see cref="Hash"/> is SHA-256 over the canonical form of every other field, including
/// <see cref="PreviousHash"/>, so altering, removing or inserting a record breaks the chain from that record on.
/// </summary>
/// <param name="Sequence">Position in the trail, 1, 2, 3... without gaps.</param>
/// <param name="Time">When it was recorded.</param>
/// <param name="Actor">Who acted (a user name, or "clearance" for the engine itself).</param>
/// <param name="Action">What was done: "determination", "screening", "license.add", "shipment.release"...</param>
/// <param name="Subject">What it was done to: a shipment id, a licence number, a party.</param>
/// <param name="Inputs">The inputs as canonical JSON.</param>
/// <param name="Outputs">The outputs as canonical JSON.</param>
/// <param name="ContentVersion">The content version used, or empty.</param>
/// <param name="ListVersions">The list versions used ("ofac-sdn:3,meti-eul:1"), or empty.</param>
/// <param name="PreviousHash">The previous record's hash (<see cref="AuditChain.Genesis"/> for the first).</param>
/// <param name="Hash">This record's hash.</param>
public sealed record AuditRecord(
    long Sequence,
    Instant Time,
    string Actor,
    string Action,
    string Subject,
    string Inputs,
    string Outputs,
    string ContentVersion,
    string ListVersions,
    string PreviousHash,
    string Hash);

/// <summary>Where and how a trail's chain breaks.</summary>
/// <param name="Sequence">The first record that does not verify (for a removed record: the one after the gap).</param>
/// <param name="Problem">What is wrong, in one sentence.</param>
public sealed record AuditBreak(long Sequence, string Problem);

/// <summary>
/// The hash chain of the audit trail. The canonical form is each field as UTF-8, preceded by its length as a 4-byte
/// big-endian integer, in the record's field order, with the time as an ISO instant: no separator can be forged by
/// putting it inside a field, and the form does not depend on a JSON writer's choices.
/// </summary>
public static class AuditChain
{
    /// <summary>The previous hash of the first record: 64 zeros.</summary>
    public static readonly string Genesis = new('0', 64);

    /// <summary>A new record after the one whose hash is <paramref name="previousHash"/>, with its hash computed.</summary>
    public static AuditRecord Append(
        string previousHash, long sequence, Instant time, string actor, string action, string subject, string inputs, string outputs,
        string contentVersion, string listVersions) =>
        Append(previousHash, sequence, time, null, actor, action, subject, inputs, outputs, contentVersion, listVersions);

    /// <summary>
    /// <see cref="Append(string, long, Instant, string, string, string, string, string, string, string)"/> with the time
    /// as <see cref="FormatTime"/> gives it, when the caller has that text already (a store writes the same text in its
    /// rows): formatting an instant costs more than hashing a short record. Null formats it here.
    /// </summary>
    public static AuditRecord Append(
        string previousHash, long sequence, Instant time, string? timeText, string actor, string action, string subject, string inputs, string outputs,
        string contentVersion, string listVersions)
    {
        var record = new AuditRecord(sequence, time, actor, action, subject, inputs, outputs, contentVersion, listVersions, previousHash, "");
        return record with { Hash = HashOf(record, record.Outputs.Length, [], timeText) };
    }

    /// <summary>
    /// The time of a record as its canonical form (and the stores) write it: an ISO instant, NodaTime's extended ISO
    /// pattern (<see cref="FormatTimeReference"/>), written here digit by digit for the years 1 to 9999: a submit formats
    /// one instant a line on the writing thread, and the pattern's formatter built a StringBuilder and its buffer each
    /// time (3 % of that thread's samples). Other years go to the pattern.
    /// </summary>
    public static string FormatTime(Instant time)
    {
        var utc = time.InUtc().LocalDateTime;
        if (utc.Year is < 1 or > 9999)
            return FormatTimeReference(time);
        // "uuuu-MM-ddTHH:mm:ss" then, when the second has a fraction, '.' and its nine digits without trailing zeros, then 'Z'.
        var fraction = utc.NanosecondOfSecond;
        var digits = 9;
        while (fraction != 0 && fraction % 10 == 0)
        {
            fraction /= 10;
            digits--;
        }

        var length = 20 + (fraction == 0 ? 0 : 1 + digits);
        return string.Create(length, (utc, fraction, digits), static (text, s) =>
        {
            var (t, fraction, digits) = s;
            IsoText.WriteDate(t.Date, text);
            text[10] = 'T';
            IsoText.WriteDigits(text.Slice(11, 2), t.Hour);
            text[13] = ':';
            IsoText.WriteDigits(text.Slice(14, 2), t.Minute);
            text[16] = ':';
            IsoText.WriteDigits(text.Slice(17, 2), t.Second);
            if (fraction != 0)
            {
                text[19] = '.';
                IsoText.WriteDigits(text.Slice(20, digits), fraction);
            }

            text[^1] = 'Z';
        });
    }

    /// <summary><see cref="FormatTime"/> by NodaTime's pattern itself: the reference the fast form must agree with (AuditChainTests).</summary>
    internal static string FormatTimeReference(Instant time) => InstantPattern.ExtendedIso.Format(time);

    /// <summary>
    /// A new record whose outputs are <paramref name="outputs"/> with the shared part (<paramref name="sharedUtf8"/>, its
    /// UTF-8, which must be valid UTF-8) inserted at <paramref name="sharedAt"/>, hashed over those whole outputs, but
    /// returned with <paramref name="outputs"/> alone: for a store that keeps a part many records share once (the store
    /// puts it back when it reads the record). The part is taken as UTF-8 because such a store keeps it so, once per
    /// part: it is copied into the canonical form as it is, not encoded again for every record.
    /// </summary>
    public static AuditRecord AppendShared(
        string previousHash, long sequence, Instant time, string actor, string action, string subject, string inputs, string outputs,
        int sharedAt, ReadOnlySpan<byte> sharedUtf8, string contentVersion, string listVersions, string? timeText = null)
    {
        var record = new AuditRecord(sequence, time, actor, action, subject, inputs, outputs, contentVersion, listVersions, previousHash, "");
        return record with { Hash = HashOf(record, sharedAt, sharedUtf8, timeText) };
    }

    /// <summary>SHA-256 (lower-case hex) of <paramref name="record"/>'s canonical form, <see cref="AuditRecord.Hash"/> excluded.</summary>
    public static string HashOf(AuditRecord record)
    {
        ArgumentNullException.ThrowIfNull(record);
        return HashOf(record, record.Outputs.Length, [], null);
    }

    /// <summary>
    /// The hash of <paramref name="record"/> with the shared part (<paramref name="sharedUtf8"/>) inserted in its outputs at
    /// <paramref name="sharedAt"/>: the same hash as <see cref="HashOf(AuditRecord)"/> of the record with those outputs.
    /// </summary>
    /// <param name="record">The record.</param>
    /// <param name="sharedAt">Where the shared part goes in its outputs.</param>
    /// <param name="sharedUtf8">The part of the outputs kept elsewhere, as UTF-8 (valid UTF-8): copied into the canonical form as it is.</param>
    /// <param name="timeText">The record's time as <see cref="FormatTime"/> gives it, or null to format it here.</param>
    public static string HashOf(AuditRecord record, int sharedAt, ReadOnlySpan<byte> sharedUtf8, string? timeText = null)
    {
        ArgumentNullException.ThrowIfNull(record);
        ArgumentOutOfRangeException.ThrowIfNegative(sharedAt);
        ArgumentOutOfRangeException.ThrowIfGreaterThan(sharedAt, record.Outputs.Length);
        // The canonical form built in one pooled buffer and hashed in one call: an incremental hash a record (a native
        // context each, ten appends) cost more than the hashing itself, and a submit hashes a record or two per line.
        var time = timeText ?? FormatTime(record.Time);
        var outputsBefore = record.Outputs.AsSpan(0, sharedAt);
        var outputsAfter = record.Outputs.AsSpan(sharedAt);
        var utf8 = Encoding.UTF8;
        var most = 8 + (9 * 4) + sharedUtf8.Length + utf8.GetMaxByteCount(time.Length + record.Actor.Length + record.Action.Length + record.Subject.Length
            + record.Inputs.Length + record.Outputs.Length + record.ContentVersion.Length + record.ListVersions.Length
            + record.PreviousHash.Length);
        var buffer = ArrayPool<byte>.Shared.Rent(most);
        try
        {
            var form = buffer.AsSpan();
            BinaryPrimitives.WriteInt64BigEndian(form, record.Sequence);
            var written = 8;
            written += Field(form[written..], time);
            written += Field(form[written..], record.Actor);
            written += Field(form[written..], record.Action);
            written += Field(form[written..], record.Subject);
            written += Field(form[written..], record.Inputs);
            written += Field(form[written..], outputsBefore, sharedUtf8, outputsAfter);
            written += Field(form[written..], record.ContentVersion);
            written += Field(form[written..], record.ListVersions);
            written += Field(form[written..], record.PreviousHash);
            Span<byte> hash = stackalloc byte[SHA256.HashSizeInBytes];
            SHA256.HashData(form[..written], hash);
            return Convert.ToHexStringLower(hash);
        }
        finally
        {
            ArrayPool<byte>.Shared.Return(buffer);
        }
    }

    /// <summary>
    /// Checks <paramref name="records"/> (the trail in sequence order) and returns the first break, or null when every
    /// record verifies: sequences run 1, 2, 3... (a gap is a removed record, a repeat an inserted one), each record's
    /// previous hash is its predecessor's hash, and each hash is the hash of its record.
    /// </summary>
    public static AuditBreak? Verify(IEnumerable<AuditRecord> records)
    {
        ArgumentNullException.ThrowIfNull(records);
        var previous = Genesis;
        long expected = 1;
        foreach (var record in records)
        {
            if (record.Sequence > expected)
            {
                return new AuditBreak(record.Sequence, $"record {expected}{(record.Sequence - expected > 1 ? $" to {record.Sequence - 1}" : "")} removed");
            }

            if (record.Sequence < expected)
            {
                return new AuditBreak(record.Sequence, $"record {record.Sequence} inserted or duplicated (expected {expected})");
            }

            if (HashOf(record) != record.Hash)
            {
                return new AuditBreak(record.Sequence, $"record {record.Sequence} altered: its content does not match its hash");
            }

            if (record.PreviousHash != previous)
            {
                return new AuditBreak(record.Sequence, $"record {record.Sequence} does not follow record {record.Sequence - 1}: a record was inserted, removed or re-hashed before it");
            }

            previous = record.Hash;
            expected++;
        }

        return null;
    }

    /// <summary>A field of the canonical form written to <paramref name="form"/>: its UTF-8 length (4 bytes, big-endian), then its UTF-8. Returns the bytes written.</summary>
    private static int Field(Span<byte> form, ReadOnlySpan<char> text) => Field(form, text, [], []);

    /// <summary>
    /// A field of the canonical form given in pieces: its UTF-8 is <paramref name="before"/>'s, then
    /// <paramref name="utf8"/> (already UTF-8, copied as it is), then <paramref name="after"/>'s (the texts are cut between
    /// characters). Returns the bytes written.
    /// </summary>
    private static int Field(Span<byte> form, ReadOnlySpan<char> before, ReadOnlySpan<byte> utf8, ReadOnlySpan<char> after)
    {
        var encoding = Encoding.UTF8;
        var written = 4 + encoding.GetBytes(before, form[4..]);
        utf8.CopyTo(form[written..]);
        written += utf8.Length;
        written += encoding.GetBytes(after, form[written..]);
        BinaryPrimitives.WriteInt32BigEndian(form, written - 4);
        return written;
    }
}
