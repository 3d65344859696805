using System.Text.Json;

namespace Clearance.Server;

/// <summary>
/// The small JSON object of an action (<c>{"reason": "..."}</c>): string fields only, every field one of those the action
/// takes, so that a misspelt field is an error naming the nearest rather than a silently missing reason.
/// </summary>
internal static class ActionBody
{
    /// <summary>The fields of <paramref name="body"/>, or the error naming the field that is wrong.</summary>
    /// <param name="body">The request body (empty: no fields).</param>
    /// <param name="fields">The fields the action takes.</param>
    /// <param name="error">Set when the body is not such an object.</param>
    public static Dictionary<string, string> Read(byte[] body, IReadOnlyList<string> fields, out string? error)
    {
        var values = new Dictionary<string, string>(StringComparer.Ordinal);
        error = null;
        if (body.AsSpan().Trim(" \t\r\n"u8).IsEmpty)
            return values;
        try
        {
            using var document = JsonDocument.Parse(body, new JsonDocumentOptions { MaxDepth = 8 });
            if (document.RootElement.ValueKind != JsonValueKind.Object)
            {
                error = "the body must be a JSON object";
                return values;
            }

            foreach (var property in document.RootElement.EnumerateObject())
            {
                if (!fields.Contains(property.Name))
                {
                    error = $"unknown field '{property.Name}'{NearestName.DidYouMean(property.Name, fields)} (fields: {string.Join(", ", fields)})";
                    return values;
                }

                if (property.Value.ValueKind == JsonValueKind.Null)
                    continue;
                if (property.Value.ValueKind != JsonValueKind.String)
                {
                    error = $"field '{property.Name}': expected a string, not {property.Value.ValueKind.ToString().ToLowerInvariant()}";
                    return values;
                }

                if (!values.TryAdd(property.Name, property.Value.GetString()!))
                {
                    error = $"field '{property.Name}' given twice";
                    return values;
                }
            }
        }
        catch (JsonException e)
        {
            error = "malformed JSON: " + e.Message.Split(" LineNumber:", 2)[0];
        }

        return values;
    }
}
