using System.Buffers;
using System.Runtime.CompilerServices;
using System.Text;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// A determination's compact wire form (no --trace, no list hit) written straight into UTF-8: the members are copied
/// into one buffer of the thread from pieces kept per ground (its whole JSON object, citation included: one per rule of
/// the content, shared by every answer that names it) and from the answer's strings, escaped as the JSON writer escapes
/// them, then copied out once at their size. The EAR builds ~21,000 such forms in the mixed million-line benchmark batch;
/// through a JSON writer each cost a writer's state, its validation and escaping of every member, and the ~1 KB
/// explanation copied once more as characters. <see cref="ResultJson"/>'s writer-built form (its <c>BuildShared</c>) is
/// the reference this must equal byte for byte (a test compares them over generated EAR answers).
/// </summary>
internal static class CompactForm
{
    /// <summary>
    /// The form of <paramref name="d"/>: with <paramref name="sharedByItems"/>, each list-control ground's citation is
    /// left open for the line's item (<see cref="WireForm.ItemCitationAt"/>); else the form is the item-less one.
    /// </summary>
    public static WireForm Build(Determination d, bool sharedByItems)
    {
        var buffer = _buffer ?? new Utf8Buffer();
        _buffer = null;
        try
        {
            buffer.Clear();
            WriteHead(buffer, d);
            var head = FormBytes.Keep(buffer.Written);
            buffer.Clear();
            var itemCitationAt = WriteTail(buffer, d, sharedByItems);
            var tail = FormBytes.Keep(buffer.Written);
            var (eligible, eligibleUtf8) = Eligible(d.EligibleLicenses);
            return new WireForm(head, tail, eligible, eligibleUtf8, sharedByItems ? null : NoGroundItems(d), itemCitationAt);
        }
        finally
        {
            buffer.Trim();
            _buffer = buffer;
        }
    }

    [ThreadStatic]
    private static Utf8Buffer? _buffer;

    /// <summary>
    /// The eligible licence ids and their UTF-8, for <c>covered_by</c>: the determination's own array where it is one (the
    /// core shares one per distinct list) with its UTF-8 kept beside it, one pair per list however many forms name it.
    /// </summary>
    private static (string[] Ids, byte[][] Utf8) Eligible(IReadOnlyList<string> licences)
    {
        if (licences is string[] shared)
        {
            return (shared, EligibleUtf8.GetValue(shared, static ids => Utf8Of(ids)));
        }

        string[] ids = [.. licences];
        return (ids, Utf8Of(ids));
    }

    private static byte[][] Utf8Of(string[] ids) => Array.ConvertAll(ids, Encoding.UTF8.GetBytes);

    // Weakly: a list goes with the answers that name it (the core's caches let old generations go).
    private static readonly ConditionalWeakTable<string[], byte[][]> EligibleUtf8 = [];

    /// <summary>
    /// For each ground, no item (the item-less form's <see cref="WireForm.GroundItems"/>, as the writer-built form has
    /// them): one array of nulls per number of grounds, shared by the forms (read only: a line with a list hit reads it).
    /// </summary>
    private static ControlEntry?[] NoGroundItems(Determination d)
    {
        var count = d.Grounds.Count;
        if (count >= NoItems.Length)
        {
            return new ControlEntry?[count];
        }

        return Volatile.Read(ref NoItems[count]) ?? (NoItems[count] = new ControlEntry?[count]);
    }

    private static readonly ControlEntry?[]?[] NoItems = new ControlEntry?[]?[64];

    /// <summary>jurisdiction, verdict, eligible_licenses.</summary>
    private static void WriteHead(Utf8Buffer b, Determination d)
    {
        b.Raw("\"jurisdiction\":"u8);
        b.String(d.Jurisdiction);
        b.Raw(",\"verdict\":\""u8);
        b.Raw(VerdictName(d.Verdict));
        b.Raw("\",\"eligible_licenses\":"u8);
        Strings(b, d.EligibleLicenses);
    }

    private static ReadOnlySpan<byte> VerdictName(Verdict verdict) => verdict switch
    {
        Verdict.NoLicenseRequired => "no-license-required"u8,
        Verdict.LicenseRequired => "license-required"u8,
        Verdict.Prohibited => "prohibited"u8,
        _ => "indeterminate"u8,
    };

    /// <summary>Everything after covered_by, as ResultJson.WriteTail writes it without --trace and without a list hit; returns the item citations' positions.</summary>
    private static int[] WriteTail(Utf8Buffer b, Determination d, bool sharedByItems)
    {
        b.Raw("\"review_days\":"u8);
        if (d.ReviewDays is { } days)
        {
            b.Number(days);
        }
        else
        {
            b.Raw("null"u8);
        }

        b.Raw(",\"grounds\":["u8);
        var itemCitationAt = 0;
        Span<int> positions = d.Grounds.Count <= 64 ? stackalloc int[64] : new int[d.Grounds.Count];
        for (var i = 0; i < d.Grounds.Count; i++)
        {
            if (i > 0)
            {
                b.Raw(","u8);
            }

            var g = d.Grounds[i];
            var bytes = GroundBytes.Of(g);
            if (sharedByItems && g.Kind == RequirementKind.List)
            {
                // The citation's closing quote: where a line's item citation goes.
                positions[itemCitationAt++] = b.Length + bytes.CitationEnd;
            }

            b.Raw(bytes.Json);
        }

        b.Raw("]"u8);
        if (d.LicenseConditions.Count > 0)
        {
            b.Raw(",\"license_conditions\":{"u8);
            var first = true;
            // The core's tables are dictionaries: enumerated as one, no enumerator is allocated per form.
            if (d.LicenseConditions is Dictionary<string, string> table)
            {
                foreach (var condition in table)
                {
                    Condition(b, condition, ref first);
                }
            }
            else
            {
                foreach (var condition in d.LicenseConditions)
                {
                    Condition(b, condition, ref first);
                }
            }

            b.Raw("}"u8);
        }

        if (d.MissingFacts.Count > 0)
        {
            b.Raw(",\"missing_facts\":"u8);
            Strings(b, d.MissingFacts);
        }

        b.Raw(",\"destination_groups\":"u8);
        Strings(b, d.DestinationGroups);
        if (d.Unconfirmed.Count > 0)
        {
            // The notes say why a fact is unconfirmed; the compact form names the facts (rule or set ids) only.
            b.Raw(",\"unconfirmed\":["u8);
            for (var i = 0; i < d.Unconfirmed.Count; i++)
            {
                var u = d.Unconfirmed[i];
                b.Raw(i == 0 ? "\""u8 : ",\""u8);
                b.Content(u.AsSpan(0, u.IndexOf(": ", StringComparison.Ordinal)));
                b.Raw("\""u8);
            }

            b.Raw("]"u8);
        }

        if (d.Warnings.Count > 0)
        {
            b.Raw(",\"warnings\":"u8);
            Strings(b, d.Warnings);
        }

        b.Raw(",\"explanation\":\""u8);
        Explanation(b, d);
        b.Raw("\",\"content_version\":"u8);
        b.String(d.ContentVersion);
        return itemCitationAt == 0 ? [] : positions[..itemCitationAt].ToArray();
    }

    /// <summary>One member of <c>license_conditions</c>: the licence type and its condition.</summary>
    private static void Condition(Utf8Buffer b, KeyValuePair<string, string> condition, ref bool first)
    {
        b.Raw(first ? "\""u8 : ",\""u8);
        b.Content(condition.Key);
        b.Raw("\":"u8);
        b.String(condition.Value);
        first = false;
    }

    /// <summary>The explanation's JSON content: written by the determination into a builder of the thread (not made a string) and encoded from its chunks.</summary>
    private static void Explanation(Utf8Buffer b, Determination d)
    {
        var text = ResultJson.TakeExplanationScratch();
        try
        {
            if (!d.TryWriteExplanation(text))
            {
                b.Content(d.Explanation);
                return;
            }

            b.Content(text);
        }
        finally
        {
            ResultJson.ReturnExplanationScratch(text);
        }
    }

    private static void Strings(Utf8Buffer b, IReadOnlyList<string> values)
    {
        b.Raw("["u8);
        for (var i = 0; i < values.Count; i++)
        {
            if (i > 0)
            {
                b.Raw(","u8);
            }

            b.String(values[i]);
        }

        b.Raw("]"u8);
    }

    /// <summary>
    /// A ground's JSON object in the compact form, <c>{"kind","rule","citation"[,"review_policy"]}</c>, built once per
    /// <see cref="Ground"/> (the core shares one per rule) and kept with it (weakly: content reloads).
    /// </summary>
    /// <param name="Json">The object.</param>
    /// <param name="CitationEnd">The position of the citation's closing quote in it.</param>
    private sealed record GroundBytes(byte[] Json, int CitationEnd)
    {
        private static readonly ConditionalWeakTable<Ground, GroundBytes> Kept = [];

        public static GroundBytes Of(Ground g) => Kept.TryGetValue(g, out var known) ? known : Kept.GetValue(g, Built);

        private static GroundBytes Built(Ground g)
        {
            var b = new Utf8Buffer();
            b.Raw("{\"kind\":"u8);
            b.String(Names.Of(g.Kind));
            b.Raw(",\"rule\":"u8);
            b.String(g.Rule);
            b.Raw(",\"citation\":\""u8);
            b.Content(g.Citation.Text);
            var citationEnd = b.Length;
            b.Raw("\""u8);
            if (g.ReviewPolicy is { } policy)
            {
                b.Raw(",\"review_policy\":"u8);
                b.String(policy);
            }

            b.Raw("}"u8);
            return new GroundBytes(b.Written.ToArray(), citationEnd);
        }
    }

    /// <summary>A growable UTF-8 buffer (pooled array) with the JSON string escaping of the wire form.</summary>
    private sealed class Utf8Buffer
    {
        private byte[] _bytes = ArrayPool<byte>.Shared.Rent(8192);

        public int Length { get; private set; }

        public ReadOnlySpan<byte> Written => _bytes.AsSpan(0, Length);

        public void Clear() => Length = 0;

        /// <summary>Gives a buffer grown by a long text back to the pool, so that the thread keeps a usual one.</summary>
        public void Trim()
        {
            if (_bytes.Length > 64 * 1024)
            {
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = ArrayPool<byte>.Shared.Rent(8192);
            }

            Length = 0;
        }

        public void Raw(ReadOnlySpan<byte> bytes) => bytes.CopyTo(Room(bytes.Length));

        public void Number(int value)
        {
            value.TryFormat(Room(11), out var written, default, System.Globalization.CultureInfo.InvariantCulture);
            Length -= 11 - written;
        }

        /// <summary>A JSON string, or null.</summary>
        public void String(string? text)
        {
            if (text is null)
            {
                Raw("null"u8);
                return;
            }

            Raw("\""u8);
            Content(text);
            Raw("\""u8);
        }

        /// <summary>A string's JSON content (without quotes), escaped as the JSON writer of the wire form escapes it.</summary>
        public void Content(ReadOnlySpan<char> text)
        {
            if (!text.ContainsAnyExcept(Plain))
            {
                // The usual text: printable ASCII that JSON writes as is.
                Ascii.FromUtf16(text, Room(text.Length), out _);
                return;
            }

            if (text.ContainsAnyInRange('\uD800', '\uDFFF'))
            {
                // Rare: surrogates, whose errors (a lone one) the JSON writer's own encoding reports, as it does here.
                Raw(System.Text.Json.JsonEncodedText.Encode(text, ResultJson.JsonEncoder).EncodedUtf8Bytes);
                return;
            }

            // Quotes, backslashes, control characters, non-ASCII: the encoder the JSON writer uses, over the UTF-8 (at
            // most three bytes a character, each escaped to at most six).
            var utf8 = ArrayPool<byte>.Shared.Rent(text.Length * 3);
            try
            {
                var length = Encoding.UTF8.GetBytes(text, utf8);
                var room = Room(length * 6);
                ResultJson.JsonEncoder.EncodeUtf8(utf8.AsSpan(0, length), room, out _, out var written);
                Length -= room.Length - written;
            }
            finally
            {
                ArrayPool<byte>.Shared.Return(utf8);
            }
        }

        /// <summary>A builder's text as JSON content, chunk by chunk (a chunk that splits a surrogate pair sends the whole text through one copy).</summary>
        public void Content(StringBuilder text)
        {
            var split = false;
            foreach (var chunk in text.GetChunks())
            {
                var span = chunk.Span;
                split |= span.Length > 0 && (char.IsHighSurrogate(span[^1]) || char.IsLowSurrogate(span[0]));
            }

            if (split)
            {
                var chars = ArrayPool<char>.Shared.Rent(text.Length);
                text.CopyTo(0, chars, text.Length);
                Content(chars.AsSpan(0, text.Length));
                ArrayPool<char>.Shared.Return(chars);
                return;
            }

            foreach (var chunk in text.GetChunks())
            {
                Content(chunk.Span);
            }
        }

        /// <summary><paramref name="count"/> bytes at the end, counted as written (a caller writing fewer takes the rest back).</summary>
        private Span<byte> Room(int count)
        {
            if (Length + count > _bytes.Length)
            {
                var grown = ArrayPool<byte>.Shared.Rent(Math.Max(Length + count, _bytes.Length * 2));
                _bytes.AsSpan(0, Length).CopyTo(grown);
                ArrayPool<byte>.Shared.Return(_bytes);
                _bytes = grown;
            }

            var room = _bytes.AsSpan(Length, count);
            Length += count;
            return room;
        }

        private static readonly SearchValues<char> Plain = SearchValues.Create(
            " !#$%()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");
    }
}
