using System.Text.Json;
using Clearance.Screening;
using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>
/// Writes screening results as compact JSON Lines with raw UTF-8 (names in Hangul or kana as they are; control
/// characters and the characters HTML cares about escaped), in the field names of the screening output format.
/// </summary>
public static class MatchJson
{
    /// <summary>The JSON writer options of every screening line: compact, non-ASCII text unescaped.</summary>
    public static readonly JsonWriterOptions Options = new() { Encoder = System.Text.Encodings.Web.JavaScriptEncoder.UnsafeRelaxedJsonEscaping };

    /// <summary>
    /// One JSON line (with its line break): the party's id or query under <paramref name="idProperty"/>, the number
    /// of entries at or above the threshold (<c>total</c>), whether the limit cut them (<c>truncated</c>), the
    /// matches and the list versions screened against.
    /// </summary>
    /// <param name="idProperty">"id" for a party of a batch, "query" for a single name.</param>
    /// <param name="id">The party's id or the name screened.</param>
    /// <param name="matches">The matches returned, best first.</param>
    /// <param name="total">The number of entries at or above the threshold (at least <paramref name="matches"/>' count).</param>
    /// <param name="screenedAgainst">The list versions screened against, as <see cref="ScreenedAgainstArray"/> writes them (once per batch).</param>
    public static string Line(string idProperty, string id, IReadOnlyList<ScreeningMatch> matches, int total, byte[] screenedAgainst) =>
        System.Text.Encoding.UTF8.GetString(LineUtf8(idProperty, id, matches, total, screenedAgainst));

    /// <summary>As <see cref="Line"/>, in UTF-8 bytes (what a batch writes to standard output, without a detour through UTF-16).</summary>
    /// <param name="idProperty">"id" for a party of a batch, "query" for a single name.</param>
    /// <param name="id">The party's id or the name screened.</param>
    /// <param name="matches">The matches returned, best first.</param>
    /// <param name="total">The number of entries at or above the threshold.</param>
    /// <param name="screenedAgainst">The list versions screened against, as <see cref="ScreenedAgainstArray"/> writes them.</param>
    public static byte[] LineUtf8(string idProperty, string id, IReadOnlyList<ScreeningMatch> matches, int total, byte[] screenedAgainst)
    {
        ArgumentNullException.ThrowIfNull(matches);
        ArgumentNullException.ThrowIfNull(screenedAgainst);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString(idProperty, id);
            json.WriteNumber("total", total);
            json.WriteBoolean("truncated", total > matches.Count);
            json.WriteStartArray("matches");
            foreach (ScreeningMatch match in matches)
            {
                WriteMatch(json, match);
            }

            json.WriteEndArray();
            json.WritePropertyName("screened_against");
            json.WriteRawValue(screenedAgainst, skipInputValidation: true);
            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>One error record (with its line break): <c>{"id", "line", "error": {"code", "message"}}</c>, as <c>check</c> writes them.</summary>
    /// <param name="id">The record's id when it could be read.</param>
    /// <param name="line">The line number in the input.</param>
    /// <param name="error">The problem.</param>
    public static string ErrorLine(string? id, long line, LineError error) => System.Text.Encoding.UTF8.GetString(ErrorLineUtf8(id, line, error));

    /// <summary>As <see cref="ErrorLine"/>, in UTF-8 bytes.</summary>
    /// <param name="id">The record's id when it could be read.</param>
    /// <param name="line">The line number in the input.</param>
    /// <param name="error">The problem.</param>
    public static byte[] ErrorLineUtf8(string? id, long line, LineError error)
    {
        ArgumentNullException.ThrowIfNull(error);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("line", line);
            json.WriteStartObject("error");
            json.WriteString("code", error.Code);
            json.WriteString("message", error.Message);
            json.WriteEndObject();
            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>One JSON line (UTF-8, with its line break) of <c>screen pairs</c>: {id, score, match}.</summary>
    public static byte[] PairLine(string id, double score, double threshold)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("score", Math.Round(score, 4));
            json.WriteBoolean("match", score >= threshold);
            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>
    /// The value of <c>screened_against</c>: <c>[{"list", "version", "source_date"}]</c>, one per list version (version
    /// null for list files given with <c>--list</c>, source date null when the list does not say), as UTF-8 JSON.
    /// </summary>
    public static byte[] ScreenedAgainstArray(IReadOnlyList<ScreenedList> lists)
    {
        ArgumentNullException.ThrowIfNull(lists);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(256);
        using (var json = new Utf8JsonWriter(buffer, Options))
        {
            WriteScreenedAgainst(json, lists);
        }

        return buffer.WrittenSpan.ToArray();
    }

    /// <summary>The <c>screened_against</c> member, as <see cref="ScreenedAgainstArray"/>, for writers that copy fragments: <c>"screened_against":[...]</c>.</summary>
    public static byte[] ScreenedAgainstMember(IReadOnlyList<ScreenedList> lists) => [.. "\"screened_against\":"u8, .. ScreenedAgainstArray(lists)];

    private static void WriteScreenedAgainst(Utf8JsonWriter json, IReadOnlyList<ScreenedList> lists)
    {
        json.WriteStartArray();
        foreach (ScreenedList list in lists)
        {
            json.WriteStartObject();
            json.WriteString("list", list.ListId);
            if (list.Version is { } version)
            {
                json.WriteNumber("version", version);
            }
            else
            {
                json.WriteNull("version");
            }

            json.WriteString("source_date", IsoDate(list.SourceDate));
            json.WriteEndObject();
        }

        json.WriteEndArray();
    }

    /// <summary>A date as YYYY-MM-DD, or null.</summary>
    public static string? IsoDate(NodaTime.LocalDate? date) =>
        date is { } d ? NodaTime.Text.LocalDatePattern.Iso.Format(d) : null;

    /// <summary>
    /// Writes one match, one listed party: its gravest listing (<c>list</c>, <c>entity_id</c>, <c>name</c>), the name that
    /// matched, the score, what its lists say of it when they say it (<c>kind</c>, <c>programs</c>, <c>countries</c>,
    /// <c>birth_dates</c>, <c>identifiers</c>, from every listing), the gravest listing's <c>source_date</c>, every
    /// listing (<c>listings</c>: <c>list</c>, <c>entity_id</c>, <c>name</c>, <c>consequence</c>, <c>programs</c>,
    /// <c>source_date</c>; gravest first) and the explanation.
    /// </summary>
    public static void WriteMatch(Utf8JsonWriter json, ScreeningMatch match)
    {
        ArgumentNullException.ThrowIfNull(json);
        ArgumentNullException.ThrowIfNull(match);
        ListEntity entity = match.Entity;
        json.WriteStartObject();
        json.WriteString("list", match.ListId);
        json.WriteString("entity_id", match.EntityId);
        json.WriteString("name", match.PrimaryName);
        json.WriteString("matched_name", match.MatchedName);
        json.WriteNumber("score", Math.Round(match.Score, 4));
        if (match.Kind != EntityKind.Unknown)
        {
            json.WriteString("kind", KindName(match.Kind));
        }

        WriteNonEmpty(json, "programs", match.Programs);
        WriteNonEmpty(json, "countries", match.Countries);
        WriteNonEmpty(json, "birth_dates", match.BirthDates);
        if (match.Identifiers.Count > 0)
        {
            json.WriteStartArray("identifiers");
            foreach (EntityIdentifier identifier in match.Identifiers)
            {
                json.WriteStartObject();
                json.WriteString("type", identifier.Type);
                json.WriteString("value", identifier.Value);
                if (identifier.Country is not null)
                {
                    json.WriteString("country", identifier.Country);
                }

                json.WriteEndObject();
            }

            json.WriteEndArray();
        }

        if (entity.SourceDate is not null)
        {
            json.WriteString("source_date", IsoDate(entity.SourceDate));
        }

        json.WriteStartArray("listings");
        foreach (ListEntity listing in match.Listings)
        {
            json.WriteStartObject();
            json.WriteString("list", listing.ListId);
            json.WriteString("entity_id", listing.EntityId);
            json.WriteString("name", listing.PrimaryName);
            json.WriteString("consequence", ConsequenceName(ListConsequences.Of(listing.ListId)));
            WriteNonEmpty(json, "programs", listing.Programs);
            if (listing.SourceDate is not null)
            {
                json.WriteString("source_date", IsoDate(listing.SourceDate));
            }

            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WritePropertyName("explanation");
        WriteExplanation(json, match.Explanation);
        json.WriteEndObject();
    }

    /// <summary>"prohibition", "licence-requirement" or "other": what a listing means (<see cref="ListConsequences"/>).</summary>
    public static string ConsequenceName(ListConsequence consequence) => consequence switch
    {
        ListConsequence.Prohibition => "prohibition",
        ListConsequence.LicenceRequirement => "licence-requirement",
        _ => "other",
    };

    /// <summary>"person", "organization", "vessel", "aircraft" or "unknown": the words <c>--type</c> takes.</summary>
    public static string KindName(EntityKind kind) => kind switch
    {
        EntityKind.Person => "person",
        EntityKind.Organization => "organization",
        EntityKind.Vessel => "vessel",
        EntityKind.Aircraft => "aircraft",
        _ => "unknown",
    };

    private static void WriteNonEmpty(Utf8JsonWriter json, string property, IReadOnlyList<string> values)
    {
        if (values.Count > 0)
        {
            WriteStrings(json, property, values);
        }
    }

    /// <summary>Writes why an entry matched: tokens aligned, unmatched tokens and feature adjustments.</summary>
    public static void WriteExplanation(Utf8JsonWriter json, MatchExplanation explanation)
    {
        json.WriteStartObject();
        json.WriteString("algorithm", explanation.Algorithm);
        json.WriteNumber("name_score", Math.Round(explanation.NameScore, 4));
        json.WriteString("method", explanation.Name.Method);
        json.WriteStartArray("tokens");
        foreach (TokenAlignment token in explanation.Name.Alignments)
        {
            json.WriteStartObject();
            json.WriteString("query", token.QueryToken);
            json.WriteString("list", token.ListToken);
            json.WriteNumber("similarity", Math.Round(token.Similarity, 4));
            json.WriteString("kind", KindName(token.Kind));
            json.WriteNumber("weight", Math.Round(token.Weight, 4));
            json.WriteEndObject();
        }

        json.WriteEndArray();
        WriteStrings(json, "unmatched_query", explanation.Name.UnmatchedQueryTokens);
        WriteStrings(json, "unmatched_list", explanation.Name.UnmatchedListTokens);
        json.WriteStartArray("features");
        foreach (ScoreFeature feature in explanation.Features)
        {
            json.WriteStartObject();
            json.WriteString("feature", feature.Feature);
            json.WriteNumber("delta", Math.Round(feature.Delta, 4));
            json.WriteString("detail", feature.Detail);
            json.WriteEndObject();
        }

        json.WriteEndArray();
        json.WriteEndObject();
    }

    /// <summary>One line of plain text: "beihang=beihang 1.00 exact; university=university 1.00 exact; country +0.03".</summary>
    public static string Summary(MatchExplanation explanation)
    {
        var parts = new List<string>();
        if (explanation.Name.Method != "tokens")
        {
            parts.Add(explanation.Name.Method);
        }

        foreach (TokenAlignment token in explanation.Name.Alignments)
        {
            parts.Add(FormattableString.Invariant($"{token.QueryToken}={token.ListToken} {token.Similarity:0.00} {KindName(token.Kind)}"));
        }

        if (explanation.Name.UnmatchedQueryTokens.Count > 0)
        {
            parts.Add("unmatched query: " + string.Join(' ', explanation.Name.UnmatchedQueryTokens));
        }

        if (explanation.Name.UnmatchedListTokens.Count > 0)
        {
            parts.Add("unmatched list: " + string.Join(' ', explanation.Name.UnmatchedListTokens));
        }

        foreach (ScoreFeature feature in explanation.Features)
        {
            parts.Add(FormattableString.Invariant($"{feature.Feature} {feature.Delta:+0.00;-0.00} ({feature.Detail})"));
        }

        return string.Join("; ", parts);
    }

    private static string KindName(TokenMatchKind kind) => kind switch
    {
        TokenMatchKind.Exact => "exact",
        TokenMatchKind.Fuzzy => "fuzzy",
        TokenMatchKind.Phonetic => "phonetic",
        TokenMatchKind.Initial => "initial",
        TokenMatchKind.LegalForm => "legal-form",
        TokenMatchKind.LineageReversed => "lineage-reversed",
        _ => "particle",
    };

    private static void WriteStrings(Utf8JsonWriter json, string property, IReadOnlyList<string> values)
    {
        json.WriteStartArray(property);
        foreach (string value in values)
        {
            json.WriteStringValue(value);
        }

        json.WriteEndArray();
    }
}
