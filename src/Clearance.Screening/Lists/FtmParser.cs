using System.Text;
using System.Text.Json;

namespace Clearance.Screening.Lists;

/// <summary>
/// OpenSanctions FollowTheMoney entities, one JSON object per line (entities.ftm.json), and its delta files
/// (entities.delta.json: {"op": "ADD"|"MOD"|"DEL", "entity": {...}}). Only parties become entries (Person, Organization,
/// Company, LegalEntity, PublicBody, Vessel, Airplane); Address, Sanction, Ownership and other link schemata are skipped.
/// </summary>
public static class FtmParser
{
    /// <summary>Format id.</summary>
    public const string Format = "ftm";

    /// <summary>The list id FtM entries get by default.</summary>
    public const string DefaultListId = "opensanctions";

    private static readonly string[] CountryProperties = ["country", "nationality", "citizenship", "jurisdiction", "birthCountry", "mainCountry"];

    private static readonly (string Property, string Label)[] IdentifierProperties =
    [
        ("registrationNumber", "Registration Number"), ("taxNumber", "Tax Number"), ("idNumber", "ID Number"),
        ("passportNumber", "Passport"), ("imoNumber", "IMO"), ("mmsi", "MMSI"), ("callSign", "Call Sign"), ("innCode", "INN"),
        ("ogrnCode", "OGRN"), ("leiCode", "LEI"), ("swiftBic", "SWIFT/BIC"), ("vatCode", "VAT"), ("serialNumber", "Serial Number"),
        ("uniqueEntityId", "Unique Entity ID"),
    ];

    /// <summary>
    /// Whether a file holds delta operations rather than plain entities: its name ends in .delta.json (such a file may be
    /// empty) or its first non-empty line has "op".
    /// </summary>
    public static bool IsDeltaFile(string path)
    {
        if (path.EndsWith(".delta.json", StringComparison.OrdinalIgnoreCase))
            return true;
        using var reader = ListText.Open(path, ListText.StrictUtf8);
        var buffer = new StringBuilder();
        for (long number = 1; StrictText.ReadLine(reader, buffer, path, number); number++)
        {
            var line = buffer.ToString();
            if (line.Trim().Length == 0)
                continue;
            try
            {
                using var doc = JsonDocument.Parse(line);
                return doc.RootElement.ValueKind == JsonValueKind.Object && doc.RootElement.TryGetProperty("op", out _);
            }
            catch (JsonException)
            {
                return false; // Parse reports it with its line
            }
        }
        return false;
    }

    /// <summary>
    /// Whether a file is an OpenSanctions delta index ({"versions": {"20240527134702-zbn": "https://.../entities.delta.json", ...}}).
    /// </summary>
    public static bool IsDeltaIndex(string path)
    {
        using var reader = ListText.Open(path, ListText.StrictUtf8);
        var buffer = new StringBuilder();
        return StrictText.ReadLine(reader, buffer, path, 1)
            && buffer.ToString().TrimStart().StartsWith("{\"versions\"", StringComparison.Ordinal);
    }

    /// <summary>
    /// The delta files a delta index names, oldest version first, as local paths: each version's entities.delta.json
    /// is looked for in a folder named after the version beside the index (the layout OpenSanctions publishes).
    /// </summary>
    public static IReadOnlyList<string> DeltaFilesOf(string indexPath)
    {
        JsonDocument doc;
        var bytes = ReadIndex(indexPath);
        if (!System.Text.Unicode.Utf8.IsValid(bytes)) // the JSON reader checks the bytes of a string only when it is read
            throw new ListFormatException(indexPath, 0, null, "bytes that are not valid utf-8: not a delta index, or damaged");
        try
        {
            doc = JsonDocument.Parse(bytes);
        }
        catch (JsonException e)
        {
            throw new ListFormatException(indexPath, e.LineNumber + 1 ?? 0, null, $"not a delta index: {StrictText.Shorten(e.Message)}", e);
        }
        using (doc)
        {
            if (doc.RootElement.ValueKind != JsonValueKind.Object || !doc.RootElement.TryGetProperty("versions", out var versions)
                || versions.ValueKind != JsonValueKind.Object)
                throw new ListFormatException(indexPath, 1, "versions", "a delta index needs a \"versions\" object");
            var directory = Path.GetDirectoryName(Path.GetFullPath(indexPath))!;
            var files = new List<string>();
            foreach (var version in versions.EnumerateObject().OrderBy(v => v.Name, StringComparer.Ordinal))
            {
                // A version names a folder beside the index, never a path elsewhere ("../..", "/etc").
                if (version.Name is "" or "." or ".." || version.Name.Any(c => !char.IsAsciiLetterOrDigit(c) && c is not ('-' or '_' or '.')))
                    throw new ListFormatException(indexPath, 0, "versions",
                        $"version {StrictText.Quote(version.Name)} is not a version name (letters, digits, '-', '_' and '.' only)");
                var local = Path.Combine(directory, version.Name, "entities.delta.json");
                if (!File.Exists(local))
                {
                    var url = version.Value.ValueKind == JsonValueKind.String ? version.Value.GetString()! : version.Value.GetRawText();
                    throw new ListFormatException(indexPath, 0, "versions",
                        $"version {version.Name} ({StrictText.Shorten(url)}) is not available locally as {local}: download it first");
                }
                files.Add(local);
            }
            return files;
        }
    }

    /// <summary>The most bytes a delta index may have (16 MiB: some 150,000 versions; OpenSanctions' name a few hundred).</summary>
    public const int MaxDeltaIndexBytes = 16 << 20;

    /// <summary>The bytes of a delta index, refused past <see cref="MaxDeltaIndexBytes"/> instead of read whole.</summary>
    private static byte[] ReadIndex(string indexPath)
    {
        try
        {
            using var stream = ListText.OpenRead(indexPath);
            using var bytes = new MemoryStream();
            var buffer = new byte[1 << 16];
            int read;
            while ((read = stream.Read(buffer)) > 0)
            {
                if (bytes.Length + read > MaxDeltaIndexBytes)
                    throw new ListFormatException(indexPath, 0, null, $"a delta index larger than the maximum of {MaxDeltaIndexBytes:N0} bytes: not a delta index, or damaged");
                bytes.Write(buffer, 0, read);
            }
            return bytes.ToArray();
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListFormatException(indexPath, 0, null, $"cannot open the file: {e.Message}", e);
        }
    }

    /// <summary>Streams the party entities of a plain FtM JSON-lines file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        foreach (var (line, root) in ReadLines(path))
        {
            if (root.TryGetProperty("op", out _))
                throw new ListFormatException(path, line, "op", "this is a delta file (ADD/MOD/DEL operations): import it onto the list's current version, not as a full list");
            if (ToEntity(root, list, path, line) is { } entity)
                yield return entity;
        }
    }

    /// <summary>Streams the operations of a delta file, in order.</summary>
    public static IEnumerable<ListChange> ParseChanges(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        foreach (var (line, root) in ReadLines(path))
        {
            var op = root.TryGetProperty("op", out var o) && o.ValueKind == JsonValueKind.String ? o.GetString() : null;
            if (!root.TryGetProperty("entity", out var entity) || entity.ValueKind != JsonValueKind.Object)
                throw new ListFormatException(path, line, "entity", "a delta line needs an \"entity\" object");
            var id = Id(entity, path, line);
            switch (op)
            {
                case "ADD" or "MOD":
                    if (ToEntity(entity, list, path, line) is { } parsed)
                        yield return new ListChange(ListChangeKind.Upsert, id, parsed);
                    else
                        yield return new ListChange(ListChangeKind.Remove, id, null); // an entity that is no longer a party
                    break;
                case "DEL":
                    yield return new ListChange(ListChangeKind.Remove, id, null);
                    break;
                default:
                    throw new ListFormatException(path, line, "op", $"unknown operation '{op}': expected ADD, MOD or DEL");
            }
        }
    }

    private static IEnumerable<(long Line, JsonElement Root)> ReadLines(string path)
    {
        using var reader = ListText.Open(path, ListText.StrictUtf8);
        long number = 0;
        var buffer = new StringBuilder();
        while (true)
        {
            string? text;
            try
            {
                text = StrictText.ReadLine(reader, buffer, path, number + 1) ? buffer.ToString() : null;
            }
            catch (DecoderFallbackException e)
            {
                throw ListText.EncodingError(path, ListText.StrictUtf8, e);
            }
            if (text is null)
                yield break;
            number++;
            if (text.Trim().Length == 0)
                continue;
            JsonDocument doc;
            try
            {
                doc = JsonDocument.Parse(text);
            }
            catch (JsonException e)
            {
                // The JSON reader's message can quote a whole token of the input (found by ParserFuzzTests: 2,500 characters of
                // a name list): shortened as every quote of input is, with the position kept apart so the cut cannot lose it.
                throw new ListFormatException(path, number, null,
                    $"not a JSON object (truncated line?) at byte {e.BytePositionInLine + 1}: {StrictText.Shorten(e.Message)}", e);
            }
            using (doc)
            {
                if (doc.RootElement.ValueKind != JsonValueKind.Object)
                    throw new ListFormatException(path, number, null, "each line must be one JSON object");
                yield return (number, doc.RootElement);
            }
        }
    }

    private static string Id(JsonElement entity, string path, long line) =>
        entity.TryGetProperty("id", out var id) && id.ValueKind == JsonValueKind.String && id.GetString() is { Length: > 0 } s
            ? s
            : throw new ListFormatException(path, line, "id", "the entity has no id");

    private static ListEntity? ToEntity(JsonElement root, string listId, string path, long line)
    {
        var id = Id(root, path, line);
        var schema = root.TryGetProperty("schema", out var s) ? s.GetString() : null;
        EntityKind? kind = schema switch
        {
            "Person" => EntityKind.Person,
            "Organization" or "Company" or "LegalEntity" or "PublicBody" => EntityKind.Organization,
            "Vessel" => EntityKind.Vessel,
            "Airplane" => EntityKind.Aircraft,
            _ => null,
        };
        if (kind is null)
            return null;
        if (!root.TryGetProperty("properties", out var properties) || properties.ValueKind != JsonValueKind.Object)
            throw new ListFormatException(path, line, "properties", $"entity {id} has no properties object");
        var names = Values(properties, "name").ToList();
        var caption = root.TryGetProperty("caption", out var c) && c.ValueKind == JsonValueKind.String ? c.GetString() : null;
        var primary = caption is { Length: > 0 } ? caption : names.FirstOrDefault()
            ?? throw new ListFormatException(path, line, "name", $"entity {id} has neither caption nor name");
        var entity = new EntityBuilder(listId, id, kind.Value, primary);
        foreach (var name in names.Concat(Values(properties, "alias")).Concat(Values(properties, "previousName")))
            entity.AddAlias(name, AliasStrength.Strong);
        foreach (var name in Values(properties, "weakAlias"))
            entity.AddAlias(name, AliasStrength.Weak);
        foreach (var property in CountryProperties)
        {
            foreach (var country in Values(properties, property))
                entity.AddCountry(country);
        }
        foreach (var date in Values(properties, "birthDate"))
            entity.AddBirthDates(date);
        foreach (var (property, label) in IdentifierProperties)
        {
            foreach (var value in Values(properties, property))
                entity.AddIdentifier(label, value, null);
        }
        foreach (var address in Values(properties, "address"))
            entity.AddAddress(address);
        foreach (var program in Values(properties, "programId"))
            entity.AddProgram(program);
        if (root.TryGetProperty("datasets", out var datasets) && datasets.ValueKind == JsonValueKind.Array)
        {
            foreach (var dataset in datasets.EnumerateArray())
                entity.AddProgram(dataset.GetString());
        }
        var notes = Values(properties, "notes").ToList();
        entity.Remarks = notes.Count == 0 ? null : string.Join(" ", notes);
        return entity.Build();
    }

    private static IEnumerable<string> Values(JsonElement properties, string name)
    {
        if (!properties.TryGetProperty(name, out var values) || values.ValueKind != JsonValueKind.Array)
            yield break;
        foreach (var value in values.EnumerateArray())
        {
            if (value.ValueKind == JsonValueKind.String && value.GetString() is { Length: > 0 } s)
                yield return s;
        }
    }
}
