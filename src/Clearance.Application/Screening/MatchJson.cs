using System.Text.Json;
using Clearance.Screening.Matching;

namespace Clearance.Application;

/// <summary>Writes matches and their explanations as JSON, in the field names of the screening output format.</summary>
public static class MatchJson
{
    /// <summary>One JSON line (with its line break): the party's id or query under <paramref name="idProperty"/> and its matches.</summary>
    public static string Line(string idProperty, string id, IReadOnlyList<ScreeningMatch> matches)
    {
        ArgumentNullException.ThrowIfNull(matches);
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(512);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString(idProperty, id);
            json.WriteStartArray("matches");
            foreach (ScreeningMatch match in matches)
            {
                WriteMatch(json, match);
            }

            json.WriteEndArray();
            json.WriteEndObject();
        }

        return System.Text.Encoding.UTF8.GetString(buffer.WrittenSpan) + "\n";
    }

    /// <summary>One JSON line (UTF-8, with its line break) of <c>screen pairs</c>: {id, score, match}.</summary>
    public static byte[] PairLine(string id, double score, double threshold)
    {
        var buffer = new System.Buffers.ArrayBufferWriter<byte>(64);
        using (var json = new Utf8JsonWriter(buffer))
        {
            json.WriteStartObject();
            json.WriteString("id", id);
            json.WriteNumber("score", Math.Round(score, 4));
            json.WriteBoolean("match", score >= threshold);
            json.WriteEndObject();
        }

        return [.. buffer.WrittenSpan, (byte)'\n'];
    }

    /// <summary>Writes one match with its explanation.</summary>
    public static void WriteMatch(Utf8JsonWriter json, ScreeningMatch match)
    {
        json.WriteStartObject();
        json.WriteString("list", match.ListId);
        json.WriteString("entity_id", match.EntityId);
        json.WriteString("name", match.PrimaryName);
        json.WriteString("matched_name", match.MatchedName);
        json.WriteNumber("score", Math.Round(match.Score, 4));
        json.WritePropertyName("explanation");
        WriteExplanation(json, match.Explanation);
        json.WriteEndObject();
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
