using System.Buffers;
using System.Collections.Concurrent;
using System.Text.Json;
using Clearance.Evaluation;
using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// The wire form of check results (one JSON object per line). A determination's JSON is serialised once per shared
/// <see cref="Determination"/> and copied per line: a batch of a million lines with a few hundred distinct outcomes
/// serialises a few hundred times; only the id, date, covered_by and end-user matches are written per line.
/// </summary>
public sealed class ResultJson(bool includeTrace)
{
    // Tells this writer's forms kept with determinations (Determination.WriterSlot) from another writer's.
    private static long _writers;
    private readonly long _id = Interlocked.Increment(ref _writers);

    /// <summary>Whether results carry every rule consulted, citations in full and the item's own citation.</summary>
    public bool IncludeTrace => includeTrace;

    /// <summary>
    /// Wire forms per generation of <see cref="GenerationCache{TKey, TValue}"/>: a bound, so that a batch with tens of
    /// thousands of distinct EAR outcomes (and items cited in their grounds) keeps flat memory; the forms in use stay.
    /// </summary>
    internal const int FormCapacity = 16_384;

    /// <summary>
    /// Wire forms a generation may grow to while the forms in use outlive it (<see cref="GenerationCache{TKey, TValue}"/>,
    /// the policy of the core's outcome tables): the mixed 1M-line benchmark batch has ~21,000 compact forms, more than
    /// one generation of <see cref="FormCapacity"/>, and a fixed generation may let forms in use go and build them again.
    /// The same bound as the core's outcome tables (DeterminationCache.DefaultMaxCapacity: a form per outcome at most).
    /// </summary>
    internal const int FormMaxCapacity = 65_536;

    // The forms with --trace, by determination (whose trace they write) and item; compact forms are in _answerForms.
    private readonly GenerationCache<(Determination, int), WireForm> _forms = new(FormCapacity, new FormKeyComparer(), FormMaxCapacity);

    // "; " and an item's citation, JSON-escaped, by item index: what a shared form's list-control grounds add per
    // line. An array per jurisdiction, so that a line finds it without hashing the item (weakly held: content reloads).
    private readonly System.Runtime.CompilerServices.ConditionalWeakTable<Jurisdiction, byte[]?[]> _itemCitations = [];

    // A combined answer's form depends on each regime's listed item: (combined determination, item index per regime or -1).
    private readonly GenerationCache<(Determination, int[]), WireForm> _combinedForms = new(FormCapacity, new CombinedFormKeyComparer(), FormMaxCapacity);

    // Keyed by the jurisdiction's reference: a record's own hash would hash every member of the jurisdiction per line.
    private readonly ConcurrentDictionary<(Jurisdiction, int), byte[]> _items = new(new JurisdictionItemComparer());

    /// <summary>Writes one checked line: its result, or its error.</summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    public void Write(CheckedLine line, OutputBuffer output)
    {
        ArgumentNullException.ThrowIfNull(output);
        if (line.Result is not { } result)
        {
            WriteError(output, line);
            return;
        }

        var shipment = result.Shipment;
        output.Write("{\"id\":"u8);
        WriteId(output, shipment.Id);
        output.Write(",\"as_of\":\""u8);
        Span<byte> date = stackalloc byte[IsoText.DateMaxLength];
        output.Write(date[..IsoText.WriteDate(shipment.Date, date)]);
        output.Write("\","u8);
        if (!result.IsCombined)
        {
            var primary = result.Primary;
            var form = Recent(primary.Determination, primary.Jurisdiction, primary.ItemIndex);
            WriteAnswer(output, shipment, form, form.Citations, primary.Jurisdiction, primary.ItemIndex, form.TraceItem, primary.Determination, primary.CoveredBy, primary.EndUser, primary.Consignee, primary.Parties);
            output.Write("}\n"u8);
            return;
        }

        // Several regimes: today's fields carry the combined answer, and "regimes" each regime's own.
        var regimes = result.Regimes;
        WriteAnswer(output, shipment, For(result.Determination, regimes), null, null, -1, null, result.Determination, result.CoveredBy, result.EndUser, result.Consignee, result.Parties);
        output.Write(",\"regimes\":["u8);
        for (var r = 0; r < regimes.Count; r++)
        {
            var regime = regimes[r];
            output.Write(r == 0 ? "{\"classification\":"u8 : ",{\"classification\":"u8);
            WriteString(output, regime.Classification);
            output.Write(","u8);
            var form = Recent(regime.Determination, regime.Jurisdiction, regime.ItemIndex);
            WriteAnswer(output, shipment, form, form.Citations, regime.Jurisdiction, regime.ItemIndex, form.TraceItem, regime.Determination, regime.CoveredBy, regime.EndUser, regime.Consignee, regime.Parties);
            output.Write("}"u8);
        }

        output.Write("]}\n"u8);
    }

    /// <summary>The <c>item</c> member an answer carries with --trace, or null (no trace, or no classification under the regime).</summary>
    private byte[]? TraceItem(Jurisdiction jurisdiction, int item) => includeTrace && item >= 0 ? Item(jurisdiction, item) : null;

    /// <summary>One answer's members: jurisdiction, verdict, eligible licences, (item with --trace), covered_by, the tail, end-user and consignee matches.</summary>
    /// <param name="output">Where the line goes.</param>
    /// <param name="shipment">The line's shipment.</param>
    /// <param name="form">The determination's wire form.</param>
    /// <param name="citations">For a form shared by items: the jurisdiction's item citations by item index (<see cref="LineForm.Citations"/>), else null.</param>
    /// <param name="jurisdiction">The regime, for a form shared by items (its list-control grounds cite the line's item), else null.</param>
    /// <param name="item">The line's item under the regime, or -1.</param>
    /// <param name="traceItem">The <c>item</c> member with --trace, or null.</param>
    /// <param name="determination">The answer.</param>
    /// <param name="coveredBy">The held licence that covers the export, or null.</param>
    /// <param name="endUser">The end user's screening.</param>
    /// <param name="consignee">The consignee's screening, or null.</param>
    /// <param name="parties">The purchaser's and intermediate consignees' screening, or null.</param>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private void WriteAnswer(OutputBuffer output, Shipment shipment, WireForm form, byte[]?[]? citations, Jurisdiction? jurisdiction, int item, byte[]? traceItem, Determination determination, string? coveredBy, EndUserResult endUser, EndUserResult? consignee,
        IReadOnlyList<TransactionParty>? parties)
    {
        output.Write(form.Head.Span);
        if (traceItem is not null)
        {
            output.Write(","u8);
            output.Write(traceItem);
        }

        output.Write(",\"covered_by\":"u8);
        var covered = coveredBy is { } c ? IndexOf(form.Eligible, c) : -1;
        if (covered >= 0)
        {
            output.Write("\""u8);
            output.Write(form.EligibleUtf8[covered]);
            output.Write("\","u8);
        }
        else
        {
            WriteString(output, coveredBy);
            output.Write(","u8);
        }

        if (endUser.Status != EndUserStatus.Listed && !PartyHits.Any(endUser, consignee, parties))
        {
            // The usual line: no party on any list.
            if (form.ItemCitationAt.Length == 0)
            {
                output.Write(form.Tail.Span);
                KeepUntilWritten(form);
                return;
            }

            // A form shared by items: the line's item citation goes into each list-control ground's citation.
            var citation = citations![item] ??= ItemCitation(jurisdiction!, item);
            var from = 0;
            foreach (var at in form.ItemCitationAt)
            {
                output.Write(form.Tail.Span[from..at]);
                output.Write(citation);
                from = at;
            }

            output.Write(form.Tail.Span[from..]);
            KeepUntilWritten(form);
            return;
        }

        WriteHits(output, shipment, form, jurisdiction, item, determination, endUser, consignee, parties);
    }

    /// <summary>
    /// Keeps <paramref name="form"/> reachable until its bytes were copied: they may be native memory owned by the form's
    /// chunk (<see cref="HugePageChunks"/>), freed when the chunk is collected, and a span of them does not keep it alive.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(System.Runtime.CompilerServices.MethodImplOptions.AggressiveInlining)]
    private static void KeepUntilWritten(WireForm form) => GC.KeepAlive(form);

    /// <summary>
    /// The rest of a line whose end user is listed or whose parties matched a list: the tail with the hits named, and
    /// the matches. A method of its own because its lambdas capture the parameters: the compiler allocates their
    /// closure where the method starts, which in <see cref="WriteAnswer"/> was 48 bytes on every line.
    /// </summary>
    private void WriteHits(OutputBuffer output, Shipment shipment, WireForm form, Jurisdiction? jurisdiction, int item, Determination determination, EndUserResult endUser, EndUserResult? consignee,
        IReadOnlyList<TransactionParty>? parties)
    {
        // A hit on any list is named in the explanation too, so that no reader of the result can miss it.
        var isGround = determination.Grounds.Any(g => g.Kind == RequirementKind.EndUser);
        var hits = PartyHits.Sentences(shipment.EndUser, endUser, shipment.Consignee, consignee, isGround, parties);
        var groundItems = form.GroundItems ?? GroundItems(determination, jurisdiction!.Items[item]);
        output.Write(TailFor(determination, groundItems, endUser, hits.Length == 0 ? null : $"{determination.Explanation} {hits}"));
        if (endUser.Matches.Count > 0)
        {
            output.Write(","u8);
            output.Write(EndUserMatches("end_user_matches", endUser, m => endUser.Effect(m, isGround)));
        }

        if (consignee?.Matches.Count > 0)
        {
            output.Write(","u8);
            output.Write(EndUserMatches("consignee_matches", consignee, m => ConsigneeScreening.Effect(consignee, m)));
        }

        if (parties is not null && PartyHits.Any(EndUserResult.NotGiven, null, parties))
        {
            output.Write(","u8);
            output.Write(Fragment(w => WritePartyMatches(w, parties)));
        }

        if (endUser.ScreenedAgainst.Count > 0)
        {
            output.Write(","u8);
            output.Write(ScreenedAgainst(endUser.ScreenedAgainst));
        }
    }

    /// <summary>The <c>screened_against</c> member (the list versions the end user was screened against), serialised once per index.</summary>
    private byte[] ScreenedAgainst(IReadOnlyList<Clearance.Screening.Matching.ScreenedList> lists)
    {
        // One reference read and written whole, so threads writing lines at once see a consistent pair.
        if (Volatile.Read(ref _screenedAgainst) is { } last && ReferenceEquals(last.Item1, lists))
        {
            return last.Item2;
        }

        var json = MatchJson.ScreenedAgainstMember(lists);
        Volatile.Write(ref _screenedAgainst, Tuple.Create(lists, json));
        return json;
    }

    private Tuple<IReadOnlyList<Clearance.Screening.Matching.ScreenedList>, byte[]>? _screenedAgainst;

    private static void WriteString(OutputBuffer output, string? text)
    {
        if (text is null)
        {
            output.Write("null"u8);
            return;
        }

        output.Write("\""u8);
        WriteContent(output, text);
        output.Write("\""u8);
    }

    /// <summary>A string's JSON content (without its quotes), as the JSON writer escapes it, without allocating unless it is long or not well-formed UTF-16.</summary>
    private static void WriteContent(OutputBuffer output, string text)
    {
        if (text.Length > 256 || text.AsSpan().ContainsAnyInRange('\uD800', '\uDFFF'))
        {
            // Rare: a long text, or one with surrogates (whose errors the JSON writer's own encoding reports).
            output.Write(System.Text.Encoding.UTF8.GetBytes(JsonEncodedText.Encode(text, Encoder).ToString()));
            return;
        }

        if (!text.AsSpan().ContainsAnyExcept(PlainIdChars))
        {
            // The usual text (order numbers, licence ids): printable ASCII that JSON writes as is.
            Span<byte> ascii = stackalloc byte[text.Length];
            System.Text.Ascii.FromUtf16(text, ascii, out _);
            output.Write(ascii);
            return;
        }

        // Quotes, backslashes, control characters, non-ASCII: the encoder the JSON writer uses, over the UTF-8 (at most
        // three bytes a character, each escaped to at most six).
        Span<byte> utf8 = stackalloc byte[text.Length * 3];
        var length = System.Text.Encoding.UTF8.GetBytes(text, utf8);
        Span<byte> escaped = stackalloc byte[length * 6];
        Encoder.EncodeUtf8(utf8[..length], escaped, out _, out var written);
        output.Write(escaped[..written]);
    }

    private static int IndexOf(string[] values, string value)
    {
        for (var i = 0; i < values.Length; i++)
        {
            if (ReferenceEquals(values[i], value) || values[i] == value)
            {
                return i;
            }
        }

        return -1;
    }

    private static readonly System.Text.Encodings.Web.JavaScriptEncoder Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping;

    /// <summary>The escaping of every string of the wire form (raw UTF-8, as the JSON writer's option here).</summary>
    internal static System.Text.Encodings.Web.JavaScriptEncoder JsonEncoder => Encoder;

    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    private static void WriteId(OutputBuffer output, ShipmentId? id)
    {
        if (id is not { } given)
        {
            output.Write("null"u8);
            return;
        }

        if (given.IsNumber)
        {
            Span<byte> number = stackalloc byte[given.Text.Length];
            output.Write(number[..System.Text.Encoding.UTF8.GetBytes(given.Text, number)]);
            return;
        }

        output.Write("\""u8);
        WriteContent(output, given.Text);
        output.Write("\""u8);
    }

    private static readonly System.Buffers.SearchValues<char> PlainIdChars = System.Buffers.SearchValues.Create(
        " !#$%()*+,-./0123456789:;=?@ABCDEFGHIJKLMNOPQRSTUVWXYZ[]^_`abcdefghijklmnopqrstuvwxyz{|}~");

    /// <summary>The <c>end_user_matches</c> or <c>consignee_matches</c> member: each match with what it did (a ground, a possible match to review, a warning).</summary>
    private static byte[] EndUserMatches(string member, EndUserResult endUser, Func<EndUserMatch, string> effect) => Fragment(w => WriteEndUserMatches(w, member, endUser, effect));

    private static void WriteEndUserMatches(Utf8JsonWriter w, string member, EndUserResult endUser, Func<EndUserMatch, string> effect)
    {
        w.WriteStartArray(member);
        WriteMatches(w, endUser, effect, null);
        w.WriteEndArray();
    }

    /// <summary>
    /// <c>purchaser_matches</c> and <c>intermediate_consignee_matches</c> (each match naming the intermediate consignee
    /// it is of, as a line may give several), each member only when it has a match.
    /// </summary>
    private static void WritePartyMatches(Utf8JsonWriter w, IReadOnlyList<TransactionParty> parties)
    {
        foreach (var (role, member) in new[] { (ScreenedParty.Purchaser, "purchaser_matches"), (ScreenedParty.IntermediateConsignee, "intermediate_consignee_matches") })
        {
            if (!parties.Any(p => p.Party == role && p.Screening.Matches.Count > 0))
            {
                continue;
            }

            w.WriteStartArray(member);
            foreach (var party in parties.Where(p => p.Party == role))
            {
                WriteMatches(w, party.Screening, m => ConsigneeScreening.Effect(party.Screening, m, role), role == ScreenedParty.IntermediateConsignee ? party.Name : null);
            }

            w.WriteEndArray();
        }
    }

    private static void WriteMatches(Utf8JsonWriter w, EndUserResult endUser, Func<EndUserMatch, string> effect, string? intermediateConsignee)
    {
        foreach (var m in endUser.Matches)
        {
            w.WriteStartObject();
            if (intermediateConsignee is not null)
            {
                w.WriteString("intermediate_consignee", intermediateConsignee);
            }

            w.WriteString("list", m.ListId);
            w.WriteString("entity_id", m.EntityId);
            w.WriteString("name", m.Name);
            w.WriteString("matched_name", m.MatchedName);
            w.WriteNumber("score", Math.Round(m.Score, 3));
            if (m.Listings.Count > 1)
            {
                // The same party on several lists is one match; its other entries, gravest first, are named here.
                w.WriteStartArray("listings");
                foreach (var listing in m.Listings)
                {
                    w.WriteStartObject();
                    w.WriteString("list", listing.ListId);
                    w.WriteString("entity_id", listing.EntityId);
                    w.WriteEndObject();
                }

                w.WriteEndArray();
            }

            w.WriteString("effect", effect(m));
            w.WriteEndObject();
        }
    }

    /// <summary>
    /// The reference form of a checked line: the whole object written member by member with a JSON writer from the
    /// result, nothing cached, shared or spliced. <see cref="Write"/> must write the same bytes (a test compares
    /// them over generated lines of every regime); it is the plain statement of what a line holds.
    /// </summary>
    /// <param name="line">The checked line.</param>
    /// <param name="includeTrace">With --trace.</param>
    internal static byte[] Plain(CheckedLine line, bool includeTrace) => Serialized(w =>
    {
        if (line.Result is not { } result)
        {
            WriteError(w, line.Line, line.Id, line.Error!);
            return;
        }

        var shipment = result.Shipment;
        w.WriteStartObject();
        w.WritePropertyName("id");
        if (shipment.Id is not { } id)
        {
            w.WriteNullValue();
        }
        else if (id.IsNumber)
        {
            w.WriteRawValue(id.Text);
        }
        else
        {
            w.WriteStringValue(id.Text);
        }

        w.WriteString("as_of", NodaTime.Text.LocalDatePattern.Iso.Format(shipment.Date));
        if (!result.IsCombined)
        {
            var primary = result.Primary;
            PlainAnswer(w, shipment, primary.Determination, [primary], primary.CoveredBy, primary.EndUser, primary.Consignee, primary.Parties, includeTrace);
            w.WriteEndObject();
            return;
        }

        PlainAnswer(w, shipment, result.Determination, result.Regimes, result.CoveredBy, result.EndUser, result.Consignee, result.Parties, includeTrace);
        w.WriteStartArray("regimes");
        foreach (var regime in result.Regimes)
        {
            w.WriteStartObject();
            w.WriteString("classification", regime.Classification);
            PlainAnswer(w, shipment, regime.Determination, [regime], regime.CoveredBy, regime.EndUser, regime.Consignee, regime.Parties, includeTrace);
            w.WriteEndObject();
        }

        w.WriteEndArray();
        w.WriteEndObject();
    });

    /// <summary>One answer's members, as <see cref="Plain"/> writes them: the grounds of <paramref name="d"/> are the regimes' grounds in order, each list-control ground citing its regime's item.</summary>
    private static void PlainAnswer(Utf8JsonWriter w, Shipment shipment, Determination d, IReadOnlyList<RegimeResult> regimes, string? coveredBy, EndUserResult endUser, EndUserResult? consignee,
        IReadOnlyList<TransactionParty>? parties, bool includeTrace)
    {
        w.WriteString("jurisdiction", d.Jurisdiction);
        w.WriteString("verdict", Determination.Name(d.Verdict));
        WriteStrings(w, "eligible_licenses", d.EligibleLicenses);
        if (includeTrace && regimes.Count == 1 && regimes[0].ItemIndex >= 0 && regimes[0].Item is { } item)
        {
            w.WriteStartObject("item");
            w.WriteString("code", $"{regimes[0].Jurisdiction.Id}:{item.Code}");
            w.WriteString("title", item.Title);
            WriteCitation(w, item.Citation);
            w.WriteEndObject();
        }

        w.WriteString("covered_by", coveredBy);
        ControlEntry?[] groundItems = [.. regimes.SelectMany(r => r.Determination.Grounds.Select(g => g.Kind == RequirementKind.List ? r.Item : null))];
        var hit = endUser.Status == EndUserStatus.Listed || PartyHits.Any(endUser, consignee, parties);
        if (!hit)
        {
            WriteTail(w, d, includeTrace, groundItems, null);
            return;
        }

        var isGround = d.Grounds.Any(g => g.Kind == RequirementKind.EndUser);
        var hits = PartyHits.Sentences(shipment.EndUser, endUser, shipment.Consignee, consignee, isGround, parties);
        WriteTail(w, d, includeTrace, groundItems, endUser, hits.Length == 0 ? null : $"{d.Explanation} {hits}");
        if (endUser.Matches.Count > 0)
        {
            WriteEndUserMatches(w, "end_user_matches", endUser, m => endUser.Effect(m, isGround));
        }

        if (consignee?.Matches.Count > 0)
        {
            WriteEndUserMatches(w, "consignee_matches", consignee, m => ConsigneeScreening.Effect(consignee, m));
        }

        if (parties is not null)
        {
            WritePartyMatches(w, parties);
        }

        if (endUser.ScreenedAgainst.Count > 0)
        {
            w.WritePropertyName("screened_against");
            w.WriteRawValue(MatchJson.ScreenedAgainstArray(endUser.ScreenedAgainst));
        }
    }

    private static void WriteError(OutputBuffer output, CheckedLine line)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = Encoder }))
        {
            WriteError(w, line.Line, line.Id, line.Error!);
        }

        output.Write(buffer.WrittenSpan);
        output.Write("\n"u8);
    }

    /// <summary>The error record of an input line, <c>{"id", "line", "error": {"code", "message"}}</c>, the same for every command that reads shipments.</summary>
    public static void WriteError(Utf8JsonWriter w, long line, ShipmentId? id, LineError error)
    {
        ArgumentNullException.ThrowIfNull(w);
        ArgumentNullException.ThrowIfNull(error);
        w.WriteStartObject();
        w.WritePropertyName("id");
        if (id is not { } given)
        {
            w.WriteNullValue();
        }
        else if (given.IsNumber)
        {
            w.WriteRawValue(given.Text);
        }
        else
        {
            w.WriteStringValue(given.Text);
        }

        w.WriteNumber("line", line);
        w.WriteStartObject("error");
        w.WriteString("code", error.Code);
        w.WriteString("message", error.Message);
        w.WriteEndObject();
        w.WriteEndObject();
    }

    /// <summary>The <c>item</c> member: the item's code, title and the legal text that lists it.</summary>
    internal byte[] Item(Jurisdiction j, int item) =>
        _items.TryGetValue((j, item), out var bytes) ? bytes : _items.GetOrAdd((j, item), key => Fragment(w =>
        {
            var entry = key.Item1.Items[key.Item2];
            w.WriteStartObject("item");
            w.WriteString("code", $"{key.Item1.Id}:{entry.Code}");
            w.WriteString("title", entry.Title);
            WriteCitation(w, entry.Citation);
            w.WriteEndObject();
        }));

    /// <summary>The tail for a line whose end user is listed or whose parties matched a list: written per line, as it carries the entries matched.</summary>
    internal byte[] TailFor(Determination d, IReadOnlyList<ControlEntry?> groundItems, EndUserResult endUser, string? explanation) =>
        Fragment(w => WriteTail(w, d, includeTrace, groundItems, endUser, explanation));

    /// <summary>"; " and the item's citation as JSON string content: what a list-control ground's citation adds for the item.</summary>
    private static byte[] ItemCitation(Jurisdiction j, int item) =>
        JsonEncodedText.Encode($"; {j.Items[item].Citation.Text}", Encoder).EncodedUtf8Bytes.ToArray();

    /// <summary>The item citations of a jurisdiction, by item index, filled as lines cite them (two threads filling one slot at once encode equal bytes; either is kept).</summary>
    private byte[]?[] ItemCitations(Jurisdiction j) => _itemCitations.GetValue(j, static j => new byte[j.Items.Count][]);

    /// <summary>
    /// What a line of <paramref name="d"/> for <paramref name="item"/> is written from: the form (<see cref="For(Determination, Jurisdiction, int)"/>)
    /// with what the line looks up besides (the item citations of its jurisdiction, the trace's <c>item</c> member),
    /// from the slot of the last line with this determination, else looked up and kept in the slot.
    /// </summary>
    [System.Runtime.CompilerServices.MethodImpl(HotPath.Compile)]
    internal LineForm Recent(Determination d, Jurisdiction j, int item)
    {
        // The compact form depends on whether the line has an item under the regime, not which (its citation is
        // written in per line); with --trace the form and the item member are the item's own.
        var key = item < 0 ? -1 : includeTrace ? item : 0;
        // The form this writer kept with the determination itself: no hash and no probe of a table the size of the
        // batch's outcomes (whose slot and entry were two cache misses a line on the EAR's tens of thousands). Another
        // writer's form, or one copied with the determination by `with`, or (--trace) another item's, is not this one.
        var slot = d.WriterSlot();
        if (slot is LineForm kept && kept.Matches(_id, d, j, key))
        {
            return kept;
        }

        // Else the form is looked up by the answer's members (or with --trace by determination and item) and kept
        // with the determination. A table of recent forms by the determination's reference once stood between the two:
        // with the slot it served only a determination first seen by this writer or whose slot another writer or item
        // took, and measured no gain (docs/benchmarks.md, check-engine10).
        // An untraced determination (one per answer, CheckService.Traced false) is the only one with its members: its
        // compact form is built at once and kept in the slot alone, without the table by members (its entry, a node
        // and a hash of the members per answer, the EAR's tens of thousands in a US batch), which would find it only
        // for this determination again. A slot that held this writer's form of the determination for the other item
        // key (lines with and without an item under the regime) goes through the table, so that the two keys do not
        // build their forms again in turn.
        var form = !includeTrace && ReferenceEquals(d.Trace, Determination.NotTraced) && !(slot is LineForm other && other.Writer == _id && ReferenceEquals(other.Determination, d))
            ? CompactForm.Build(d, ListedItem(d, j, item) is not null)
            : For(d, j, item);
        var line = new LineForm(_id, d, j, key, form, form.ItemCitationAt.Length > 0 ? ItemCitations(j) : null, TraceItem(j, item));
        d.SetWriterSlot(line);
        return line;
    }

    /// <summary>
    /// The serialised form of a determination for a line. A list-control ground cites the line's own item (row and
    /// item of the control list): in the compact form one form serves every item, the item's citation written into it
    /// per line (<see cref="WireForm.ItemCitationAt"/>), as the EAR's tens of thousands of outcomes times the items
    /// cited would double the forms built and the memory they hold; with --trace (where the item's flag may mark the
    /// citation unconfirmed) such determinations have one form per item. All others have one form.
    /// </summary>
    internal WireForm For(Determination d, Jurisdiction j, int item)
    {
        // A static lambda with its state as the argument: no delegate is allocated per line.
        if (!includeTrace)
        {
            // Looked up by the answer's members directly: a line comes here when the determination's slot missed, and a
            // cache by the determination's reference before this one (as with --trace) would cost a second lookup and an
            // insert for every determination of an answer, while the slot already serves a determination seen again.
            var compact = (d, ListedItem(d, j, item) is null ? -1 : SharedByItems);
            // Built straight into UTF-8 from pieces (CompactForm); ReferenceForm is the writer-built form it equals.
            return _answerForms.GetOrAdd(compact, static (k, _) => CompactForm.Build(k.Item1, k.Item2 == SharedByItems), 0);
        }

        var key = (d, ListedItem(d, j, item) is null ? -1 : item);
        return _forms.GetOrAdd(key, static (k, state) => state.Writer.Build(k.Item1, GroundItems(k.Item1, k.Item2 < 0 ? null : state.Jurisdiction.Items[k.Item2])), (Writer: this, Jurisdiction: j));
    }

    // The compact forms by what they are written from (AnswerKeyComparer): determinations of outcomes that differ only
    // in their trace share their members, and so one form (the EAR's 61,000 outcome codes in the mixed benchmark
    // batch are 21,000 answers). Looked up when a line's determination slot misses.
    private readonly GenerationCache<(Determination, int), WireForm> _answerForms = new(FormCapacity, new AnswerKeyComparer(), FormMaxCapacity);

    /// <summary>The item key of a form shared by every item its list-control grounds may cite.</summary>
    private const int SharedByItems = -2;

    /// <summary>
    /// The serialised form of a combined answer (<see cref="Determination.Combine"/>) for a line: its grounds are the
    /// regimes' grounds in regime order, so each list-control ground cites the line's item under its own regime, as
    /// the same ground does in a single-regime answer and in the regime's entry of <c>regimes</c>.
    /// </summary>
    internal WireForm For(Determination combined, IReadOnlyList<RegimeResult> regimes)
    {
        var items = new int[regimes.Count];
        for (var r = 0; r < items.Length; r++)
        {
            var regime = regimes[r];
            items[r] = ListedItem(regime.Determination, regime.Jurisdiction, regime.ItemIndex) is null ? -1 : regime.ItemIndex;
        }

        return _combinedForms.GetOrAdd((combined, items), static (key, state) =>
        {
            var regimes = state.Regimes;
            ControlEntry?[] groundItems = [.. regimes.SelectMany((regime, r) => GroundItems(regime.Determination, key.Item2[r] < 0 ? null : regime.Jurisdiction.Items[key.Item2[r]]))];
            if (groundItems.Length != key.Item1.Grounds.Count)
            {
                throw new InvalidOperationException($"the combined answer has {key.Item1.Grounds.Count} grounds, its regimes {groundItems.Length}");
            }

            return state.Writer.Build(key.Item1, groundItems);
        }, (Writer: this, Regimes: regimes));
    }

    /// <summary>For each ground of <paramref name="d"/>, the item it cites besides its rule: <paramref name="listedItem"/> for a list-control ground, else null.</summary>
    private static ControlEntry?[] GroundItems(Determination d, ControlEntry? listedItem) =>
        d.Grounds.Count == 0 ? [] : [.. d.Grounds.Select(g => g.Kind == RequirementKind.List ? listedItem : null)];

    private static ControlEntry? ListedItem(Determination d, Jurisdiction j, int item)
    {
        if (item < 0)
        {
            return null;
        }

        // By index: an enumerator of the list was allocated on every form looked up (a US batch's tens of thousands).
        var grounds = d.Grounds;
        for (var g = 0; g < grounds.Count; g++)
        {
            if (grounds[g].Kind == RequirementKind.List)
            {
                return j.Items[item];
            }
        }

        return null;
    }

    /// <param name="d">The determination.</param>
    /// <param name="groundItems">For each ground, the item whose citation it adds, or null.</param>
    private WireForm Build(Determination d, ControlEntry?[] groundItems) =>
        new(Head(d), Fragment(w => WriteTail(w, d, includeTrace, groundItems, null)), [.. d.EligibleLicenses], EligibleUtf8(d), groundItems, []);

    /// <summary>
    /// The compact form of <paramref name="d"/> as the JSON writer writes it: the reference that
    /// <see cref="CompactForm.Build"/>, which the batch uses, must equal byte for byte.
    /// </summary>
    /// <param name="d">The determination.</param>
    /// <param name="sharedByItems">Whether each list-control ground's citation is left open for the line's item.</param>
    internal static WireForm ReferenceForm(Determination d, bool sharedByItems) =>
        sharedByItems ? BuildShared(d) : new(Head(d), Fragment(w => WriteTail(w, d, false, GroundItems(d, null), null)), [.. d.EligibleLicenses], EligibleUtf8(d), GroundItems(d, null), []);

    /// <summary>The compact form of <paramref name="d"/> shared by items: each list-control ground's citation is left open for the line's item.</summary>
    private static WireForm BuildShared(Determination d)
    {
        List<int> itemCitationAt = [];
        var tail = Fragment(w => WriteTail(w, d, false, GroundItems(d, null), null, itemCitationAt: itemCitationAt));
        // The positions were taken in the whole object; the fragment is without its opening brace.
        return new WireForm(Head(d), tail, [.. d.EligibleLicenses], EligibleUtf8(d), null, [.. itemCitationAt.Select(at => at - 1)]);
    }

    private static byte[][] EligibleUtf8(Determination d) => [.. d.EligibleLicenses.Select(System.Text.Encoding.UTF8.GetBytes)];

    /// <summary>The members before <c>covered_by</c>: jurisdiction, verdict, eligible licences.</summary>
    private static byte[] Head(Determination d) =>
        Fragment(w =>
        {
            w.WriteString("jurisdiction", d.Jurisdiction);
            w.WriteString("verdict", Determination.Name(d.Verdict));
            w.WriteStartArray("eligible_licenses");
            foreach (var id in d.EligibleLicenses)
            {
                w.WriteStringValue(id);
            }

            w.WriteEndArray();
        });

    /// <summary>Everything after <c>covered_by</c>: review days, grounds, missing facts, explanation, version.</summary>
    /// <param name="w">The writer.</param>
    /// <param name="d">The determination.</param>
    /// <param name="includeTrace">Full citations, titles and the trace.</param>
    /// <param name="groundItems">For each ground, the item whose own citation it adds (a list-control ground's item), or null.</param>
    /// <param name="endUser">For a listed end user: the list entries, written into the end-user ground.</param>
    /// <param name="explanation">The explanation when it is the line's own (naming the list entries matched), else null for the determination's.</param>
    /// <param name="itemCitationAt">When given (compact form only): each list-control ground's citation is written
    /// without an item, and the position before its closing quote, where the item's citation goes, is added.</param>
    internal static void WriteTail(Utf8JsonWriter w, Determination d, bool includeTrace, IReadOnlyList<ControlEntry?> groundItems, EndUserResult? endUser, string? explanation = null, List<int>? itemCitationAt = null)
    {
        if (d.ReviewDays is { } days)
        {
            w.WriteNumber("review_days", days);
        }
        else
        {
            w.WriteNull("review_days");
        }

        w.WriteStartArray("grounds");
        for (var i = 0; i < d.Grounds.Count; i++)
        {
            var g = d.Grounds[i];
            w.WriteStartObject();
            w.WriteString("kind", Names.Of(g.Kind));
            w.WriteString("rule", g.Rule);
            var citation = groundItems[i] is { } listedItem
                ? g.Citation with { Text = $"{g.Citation.Text}; {listedItem.Citation.Text}", Unconfirmed = g.Citation.Unconfirmed || listedItem.Citation.Unconfirmed }
                : g.Citation;
            if (includeTrace)
            {
                w.WriteString("title", g.Title);
                WriteCitation(w, citation);
            }
            else
            {
                w.WriteString("citation", citation.Text);
                if (itemCitationAt is not null && g.Kind == RequirementKind.List)
                {
                    w.Flush();
                    itemCitationAt.Add(checked((int)w.BytesCommitted) - 1);
                }
            }

            if (g.ReviewPolicy is { } policy)
            {
                w.WriteString("review_policy", policy);
            }

            if (g.Kind == RequirementKind.EndUser && endUser?.ListEntry is { } entry)
            {
                // The ground names the list entry that made it apply, with the keys a list entry has everywhere
                // (matches, list diffs): list, entity_id, name; and the score.
                w.WriteString("list", entry.ListId);
                w.WriteString("entity_id", entry.EntityId);
                w.WriteString("name", entry.Name);
                w.WriteNumber("score", Math.Round(entry.Score, 3));
            }

            w.WriteEndObject();
        }

        w.WriteEndArray();
        // Optional members appear when they have something to say (always with --trace), keeping batch output small.
        if (d.LicenseConditions.Count > 0 || includeTrace)
        {
            w.WriteStartObject("license_conditions");
            foreach (var (licence, condition) in d.LicenseConditions)
            {
                w.WriteString(licence, condition);
            }

            w.WriteEndObject();
        }

        if (d.MissingFacts.Count > 0 || includeTrace)
        {
            WriteStrings(w, "missing_facts", d.MissingFacts);
        }

        WriteStrings(w, "destination_groups", d.DestinationGroups);
        if (d.Unconfirmed.Count > 0 || includeTrace)
        {
            // The notes say why a fact is unconfirmed; the compact form names the facts (rule or set ids) only.
            if (includeTrace)
            {
                WriteStrings(w, "unconfirmed", d.Unconfirmed);
            }
            else
            {
                // Each id written from the note's own characters: as substrings they were garbage of every new form.
                w.WriteStartArray("unconfirmed");
                foreach (var u in d.Unconfirmed)
                {
                    w.WriteStringValue(u.AsSpan(0, u.IndexOf(": ", StringComparison.Ordinal)));
                }

                w.WriteEndArray();
            }
        }

        if (d.Warnings.Count > 0 || includeTrace)
        {
            WriteStrings(w, "warnings", d.Warnings);
        }
        if (explanation is not null)
        {
            w.WriteString("explanation", explanation);
        }
        else
        {
            WriteExplanation(w, d);
        }

        w.WriteString("content_version", d.ContentVersion);
        if (includeTrace)
        {
            w.WriteStartArray("trace");
            foreach (var t in d.Trace)
            {
                w.WriteStartObject();
                w.WriteString("rule", t.Rule);
                w.WriteString("effect", t.Effect);
                WriteCitation(w, t.Citation);
                w.WriteEndObject();
            }

            w.WriteEndArray();
        }
    }

    /// <summary>
    /// The <c>explanation</c> member of a determination. A new answer's explanation is built into a builder of the
    /// thread and written from its characters (copied into a pooled array), not made a string: the string, ~2 KB of
    /// every new EAR answer and kept with it, is built only for a caller that reads it (CSV, the terminal table).
    /// </summary>
    private static void WriteExplanation(Utf8JsonWriter w, Determination d)
    {
        var text = TakeExplanationScratch();
        try
        {
            if (!d.TryWriteExplanation(text))
            {
                w.WriteString("explanation", d.Explanation);
                return;
            }

            var chars = ArrayPool<char>.Shared.Rent(text.Length);
            text.CopyTo(0, chars, text.Length);
            w.WriteString("explanation", chars.AsSpan(0, text.Length));
            ArrayPool<char>.Shared.Return(chars);
        }
        finally
        {
            ReturnExplanationScratch(text);
        }
    }

    /// <summary>The thread's builder for a new answer's explanation, empty, taken out of its slot (a text built inside another gets its own).</summary>
    internal static System.Text.StringBuilder TakeExplanationScratch()
    {
        var text = _explanationScratch ?? new System.Text.StringBuilder(2048);
        _explanationScratch = null;
        text.Clear();
        return text;
    }

    /// <summary>Puts the builder back in the thread's slot, emptied and cut back after a text longer than usual.</summary>
    internal static void ReturnExplanationScratch(System.Text.StringBuilder text)
    {
        text.Clear();
        if (text.Capacity > 16 * 1024)
        {
            text.Capacity = 16 * 1024;
        }

        _explanationScratch = text;
    }

    [ThreadStatic]
    private static System.Text.StringBuilder? _explanationScratch;

    /// <summary>A citation's members: its text, the source URL when known, and <c>unconfirmed</c> when no source confirms it.</summary>
    public static void WriteCitation(Utf8JsonWriter w, Citation c)
    {
        w.WriteString("citation", c.Text);
        if (c.Url is not null)
        {
            w.WriteString("source", c.Url);
        }

        if (c.Unconfirmed)
        {
            w.WriteBoolean("unconfirmed", true);
        }
    }

    internal static void WriteStrings(Utf8JsonWriter w, string name, IReadOnlyList<string> values)
    {
        w.WriteStartArray(name);
        foreach (var v in values)
        {
            w.WriteStringValue(v);
        }

        w.WriteEndArray();
    }

    /// <summary>The members written by <paramref name="write"/>, without the enclosing braces.</summary>
    internal static byte[] Fragment(Action<Utf8JsonWriter> write)
    {
        // A buffer and writer kept per thread and reset: every distinct outcome builds a few fragments, and a new
        // buffer grown by doubling, a new writer and two copies of the bytes each time were much of the garbage
        // those outcomes made. Taken out of the slot while in use, so that a fragment built inside another gets its own.
        var scratch = _fragmentScratch ?? new FragmentScratch();
        _fragmentScratch = null;
        try
        {
            scratch.Buffer.ResetWrittenCount();
            scratch.Writer.Reset(scratch.Buffer);
            scratch.Writer.WriteStartObject();
            write(scratch.Writer);
            scratch.Writer.WriteEndObject();
            scratch.Writer.Flush();
            return scratch.Buffer.WrittenSpan[1..^1].ToArray();
        }
        finally
        {
            _fragmentScratch = scratch;
        }
    }

    [ThreadStatic]
    private static FragmentScratch? _fragmentScratch;

    /// <summary>A reusable buffer and the JSON writer over it (raw UTF-8, as every output of the wire form).</summary>
    private sealed class FragmentScratch
    {
        public ArrayBufferWriter<byte> Buffer { get; } = new(4096);

        public Utf8JsonWriter Writer { get; }

        public FragmentScratch() => Writer = new Utf8JsonWriter(Buffer, new JsonWriterOptions { Encoder = Encoder });
    }

    /// <summary>The UTF-8 JSON <paramref name="write"/> writes (raw UTF-8, as every output of the wire form).</summary>
    internal static byte[] Serialized(Action<Utf8JsonWriter> write)
    {
        var buffer = new ArrayBufferWriter<byte>();
        using (var w = new Utf8JsonWriter(buffer, new JsonWriterOptions { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping }))
        {
            write(w);
        }

        return buffer.WrittenSpan.ToArray();
    }
}

/// <summary>Determinations compared by reference (they are shared), items by index.</summary>
internal sealed class FormKeyComparer : IEqualityComparer<(Determination, int)>
{
    public bool Equals((Determination, int) x, (Determination, int) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

    public int GetHashCode((Determination, int) key) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1), key.Item2);
}

/// <summary>
/// Determinations compared by the members their compact form is written from, each by reference (members are
/// immutable, so equal references mean equal values; unequal ones only cost a form built again), with the form's item
/// key: not the trace, which the compact form does not write.
/// </summary>
internal sealed class AnswerKeyComparer : IEqualityComparer<(Determination, int)>
{
    public bool Equals((Determination, int) x, (Determination, int) y) => x.Item2 == y.Item2 && SameAnswer(x.Item1, y.Item1);

    public int GetHashCode((Determination, int) key) => HashCode.Combine(
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1.ExplanationIdentity()),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1.Grounds),
        System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1.Unconfirmed),
        key.Item2);

    private static bool SameAnswer(Determination a, Determination b) =>
        ReferenceEquals(a, b)
        || (a.Verdict == b.Verdict && a.ReviewDays == b.ReviewDays
            && ReferenceEquals(a.ExplanationIdentity(), b.ExplanationIdentity()) && ReferenceEquals(a.Grounds, b.Grounds) && ReferenceEquals(a.Unconfirmed, b.Unconfirmed)
            && ReferenceEquals(a.EligibleLicenses, b.EligibleLicenses) && ReferenceEquals(a.LicenseConditions, b.LicenseConditions)
            && ReferenceEquals(a.MissingFacts, b.MissingFacts) && ReferenceEquals(a.DestinationGroups, b.DestinationGroups)
            && ReferenceEquals(a.Warnings, b.Warnings) && a.Jurisdiction == b.Jurisdiction && a.ContentVersion == b.ContentVersion);
}

/// <summary>Combined determinations compared by reference (they are shared), with the listed item of each regime.</summary>
internal sealed class CombinedFormKeyComparer : IEqualityComparer<(Determination, int[])>
{
    public bool Equals((Determination, int[]) x, (Determination, int[]) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2.AsSpan().SequenceEqual(y.Item2);

    public int GetHashCode((Determination, int[]) key)
    {
        var hash = new HashCode();
        hash.Add(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1));
        foreach (var item in key.Item2)
        {
            hash.Add(item);
        }

        return hash.ToHashCode();
    }
}

/// <summary>A determination's JSON in two fragments around the per-line <c>covered_by</c>, and the item each ground cites (for a tail written per line).</summary>
/// <param name="Head">The members before <c>covered_by</c>.</param>
/// <param name="Tail">The members after it.</param>
/// <param name="Eligible">The eligible licence ids, in an array read per line for <c>covered_by</c>.</param>
/// <param name="EligibleUtf8">Each eligible licence id, for <c>covered_by</c>.</param>
/// <param name="GroundItems">The item each ground cites, or null for a form shared by items (the line's item is cited).</param>
/// <param name="ItemCitationAt">For a form shared by items: the positions in <paramref name="Tail"/>, in order, where
/// the line's item citation goes (inside each list-control ground's citation); empty for other forms.</param>
internal record WireForm(ReadOnlyMemory<byte> Head, ReadOnlyMemory<byte> Tail, string[] Eligible, byte[][] EligibleUtf8, IReadOnlyList<ControlEntry?>? GroundItems, int[] ItemCitationAt);

/// <summary>
/// What the lines of one determination and item key are written from, kept with the determination
/// (<see cref="Determination.WriterSlot"/>): the wire form's members, copied from it, with what the line looks up
/// besides. One object, not a line form pointing at its wire form: an untraced answer's form (built for that answer and
/// kept in its slot alone) was two objects kept per answer, the EAR's ~26,000 in the US lines of the mixed batch.
/// </summary>
internal sealed record LineForm : WireForm
{
    /// <param name="writer">The id of the writer whose form this is: writers differ in what they write (--trace). An id,
    /// not the writer, so that a determination kept in the core's cache keeps no writer alive (the server and the audit
    /// replay make one per request or line).</param>
    /// <param name="determination">The determination (compared by reference).</param>
    /// <param name="jurisdiction">Its regime (compared by reference), or null for a combined answer's form.</param>
    /// <param name="key">-1 for a line without an item under the regime; else 0, or the item with --trace.</param>
    /// <param name="form">The wire form, whose members this copies.</param>
    /// <param name="citations">For a form shared by items: the jurisdiction's item citations by item index, else null.</param>
    /// <param name="traceItem">The <c>item</c> member with --trace, or null.</param>
    public LineForm(long writer, Determination determination, Jurisdiction? jurisdiction, int key, WireForm form, byte[]?[]? citations, byte[]? traceItem)
        : base(form)
    {
        Writer = writer;
        Determination = determination;
        Jurisdiction = jurisdiction;
        Key = key;
        Citations = citations;
        TraceItem = traceItem;
    }

    /// <summary>The id of the writer whose form this is.</summary>
    public long Writer { get; }

    /// <summary>The determination (compared by reference).</summary>
    public Determination Determination { get; }

    /// <summary>Its regime (compared by reference), or null for a combined answer's form.</summary>
    public Jurisdiction? Jurisdiction { get; }

    /// <summary>-1 for a line without an item under the regime; else 0, or the item with --trace.</summary>
    public int Key { get; }

    /// <summary>For a form shared by items: the jurisdiction's item citations by item index, else null.</summary>
    public byte[]?[]? Citations { get; }

    /// <summary>The <c>item</c> member with --trace, or null.</summary>
    public byte[]? TraceItem { get; }

    /// <summary>Whether this is the writer's form of the determination and item key (compared by reference).</summary>
    public bool Matches(long writer, Determination d, Jurisdiction j, int key) =>
        ReferenceEquals(Determination, d) && Key == key && ReferenceEquals(Jurisdiction, j) && Writer == writer;
}

/// <summary>Jurisdictions compared by reference (one object per loaded jurisdiction), items by index.</summary>
internal sealed class JurisdictionItemComparer : IEqualityComparer<(Jurisdiction, int)>
{
    public bool Equals((Jurisdiction, int) x, (Jurisdiction, int) y) => ReferenceEquals(x.Item1, y.Item1) && x.Item2 == y.Item2;

    public int GetHashCode((Jurisdiction, int) key) => HashCode.Combine(System.Runtime.CompilerServices.RuntimeHelpers.GetHashCode(key.Item1), key.Item2);
}
