using System.Text.Json;
using Clearance.Screening;
using Clearance.Screening.Lists;

namespace Clearance.Application;

/// <summary>One party read from a screening input file.</summary>
public sealed record PartyRecord(string Id, string Name, string? Country, EntityKind? Kind, string? BirthDate, string? Address);

/// <summary>One pair of names read from a pairs input file.</summary>
public sealed record NamePairRecord(string Id, string Name1, string Name2, EntityKind? Kind);

/// <summary>A problem in an input file, naming the file, line and field.</summary>
public sealed class ScreenInputException(string message) : Exception(message);

/// <summary>
/// Reads screening input: JSON Lines (one object per line) or CSV (a header row naming the columns, or
/// the columns id,name,country,type,dob,address in that order).
/// </summary>
public static class ScreenInput
{
    /// <summary>The parties of a JSON Lines or CSV file (a missing name is an error naming file, line and field).</summary>
    public static IEnumerable<PartyRecord> ReadParties(string path)
    {
        foreach ((int line, Func<string, string?> field) in ReadRows(path, ["id", "name", "country", "type", "dob", "address"]))
        {
            string name = field("name") ?? throw new ScreenInputException($"{path}: line {line}: field 'name' is missing or empty");
            string id = field("id") ?? line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new PartyRecord(id, name, field("country"), ParseKind(field("type"), path, line), field("dob"), field("address"));
        }
    }

    /// <summary>The name pairs of a JSON Lines or CSV file.</summary>
    public static IEnumerable<NamePairRecord> ReadPairs(string path)
    {
        foreach ((int line, Func<string, string?> field) in ReadRows(path, ["id", "name1", "name2", "schema"]))
        {
            string name1 = field("name1") ?? throw new ScreenInputException($"{path}: line {line}: field 'name1' is missing or empty");
            string name2 = field("name2") ?? throw new ScreenInputException($"{path}: line {line}: field 'name2' is missing or empty");
            string id = field("id") ?? line.ToString(System.Globalization.CultureInfo.InvariantCulture);
            yield return new NamePairRecord(id, name1, name2, ParseKind(field("schema"), path, line));
        }
    }

    /// <summary>Reads "person", "organization", "vessel", "aircraft", FollowTheMoney schemata, or "any"/empty (null).</summary>
    public static EntityKind? ParseKind(string? value, string source, int line) => value?.Trim().ToLowerInvariant() switch
    {
        null or "" or "any" => null,
        "person" => EntityKind.Person,
        "organization" or "organisation" or "company" or "legalentity" or "entity" => EntityKind.Organization,
        "vessel" => EntityKind.Vessel,
        "aircraft" or "airplane" => EntityKind.Aircraft,
        _ => throw new ScreenInputException(
            $"{source}: line {line}: type '{value}' is not one of person, organization, vessel, aircraft, any"),
    };

    private static IEnumerable<(int Line, Func<string, string?> Field)> ReadRows(string path, string[] defaultColumns)
    {
        if (!File.Exists(path))
        {
            throw new ScreenInputException($"{path}: file not found");
        }

        bool json = path.EndsWith(".jsonl", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".json", StringComparison.OrdinalIgnoreCase)
            || path.EndsWith(".ndjson", StringComparison.OrdinalIgnoreCase);
        return json ? ReadJsonLines(path) : ReadCsv(path, defaultColumns);
    }

    /// <summary>The next line, bounded and strictly decoded (invalid bytes are an error on their line).</summary>
    private static string? ReadLine(StreamReader reader, System.Text.StringBuilder buffer, string path, int line)
    {
        try
        {
            return StrictText.ReadLine(reader, buffer, path, line) ? buffer.ToString() : null;
        }
        catch (ListFormatException e)
        {
            throw new ScreenInputException($"{path}: line {e.Line}: {e.Problem}");
        }
    }

    private static IEnumerable<(int, Func<string, string?>)> ReadJsonLines(string path)
    {
        int line = 0;
        using var reader = StrictText.OpenUtf8(File.OpenRead(path));
        var buffer = new System.Text.StringBuilder();
        while (ReadLine(reader, buffer, path, line + 1) is { } text)
        {
            line++;
            if (string.IsNullOrWhiteSpace(text))
            {
                continue;
            }

            Dictionary<string, string?> values;
            try
            {
                using JsonDocument document = JsonDocument.Parse(text);
                if (document.RootElement.ValueKind != JsonValueKind.Object)
                {
                    throw new ScreenInputException($"{path}: line {line}: expected a JSON object");
                }

                values = document.RootElement.EnumerateObject().ToDictionary(
                    p => p.Name,
                    p => p.Value.ValueKind switch
                    {
                        JsonValueKind.String => p.Value.GetString(),
                        JsonValueKind.Null => null,
                        _ => p.Value.GetRawText(),
                    },
                    StringComparer.OrdinalIgnoreCase);
            }
            catch (JsonException e)
            {
                throw new ScreenInputException($"{path}: line {line}: invalid JSON: {e.Message}");
            }

            int current = line;
            yield return (current, key => values.TryGetValue(key, out string? v) && !string.IsNullOrWhiteSpace(v) ? v : null);
        }
    }

    private static IEnumerable<(int, Func<string, string?>)> ReadCsv(string path, string[] defaultColumns)
    {
        using var reader = new DelimitedReader(StrictText.OpenUtf8(File.OpenRead(path)), path);
        string[]? columns = null;
        var record = new List<string>();
        while (reader.TryRead(record))
        {
            int line = (int)reader.RecordLine;
            string[] fields = [.. record];

            if (columns is null)
            {
                if (fields.Any(f => defaultColumns.Contains(f.Trim().ToLowerInvariant())) && fields.Any(f => f.Trim().StartsWith("name", StringComparison.OrdinalIgnoreCase)))
                {
                    columns = [.. fields.Select(f => f.Trim().ToLowerInvariant())];
                    continue;
                }

                columns = defaultColumns;
            }

            if (fields.Length > columns.Length)
            {
                throw new ScreenInputException($"{path}: line {line}: {fields.Length} fields, the header has {columns.Length}");
            }

            string[] row = fields;
            string[] header = columns;
            yield return (line, key =>
            {
                int index = Array.IndexOf(header, key);
                return index >= 0 && index < row.Length && !string.IsNullOrWhiteSpace(row[index]) ? row[index].Trim() : null;
            });
        }
    }
}
