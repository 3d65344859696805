namespace Clearance.Screening.Lists;

/// <summary>
/// OFAC's legacy CSV files: sdn.csv (or cons_prim.csv for the non-SDN consolidated list), with add.csv / alt.csv /
/// sdn_comments.csv (cons_add / cons_alt / cons_comments) taken from beside it or from the paths given.
/// No header row, Windows-1252 (UTF-8 is recognised too), "-0- " for null. Aliases in alt.csv are strong; the "a.k.a. 'X'" in remarks are OFAC's weak aliases.
/// </summary>
public static class OfacCsvParser
{
    /// <summary>Format id.</summary>
    public const string Format = "ofac-csv";

    private static readonly string[] PrimaryColumns =
        ["ent_num", "SDN_Name", "SDN_Type", "Program", "Title", "Call_Sign", "Vess_type", "Tonnage", "GRT", "Vess_flag", "Vess_owner", "Remarks"];
    private static readonly string[] AddressColumns = ["ent_num", "Add_num", "Address", "City/State/Province/Postal Code", "Country", "Add_remarks"];
    private static readonly string[] AliasColumns = ["ent_num", "alt_num", "alt_type", "alt_name", "alt_remarks"];
    private static readonly string[] CommentColumns = ["ent_num", "Remarks_Extended"];

    /// <summary>
    /// Parses the primary file among <paramref name="paths"/> with its companions. Streams the primary file; companions
    /// (addresses, aliases, remarks overflow) are read first and held by entry number.
    /// </summary>
    /// <param name="paths">sdn.csv or cons_prim.csv, optionally with its companion files.</param>
    /// <param name="listId">List id; by default "ofac-sdn", or "ofac-nonsdn" for cons_prim.csv.</param>
    public static IEnumerable<ListEntity> Parse(IReadOnlyList<string> paths, string? listId = null)
    {
        var files = Classify(paths);
        var id = listId ?? (files.IsConsolidated ? "ofac-nonsdn" : "ofac-sdn");
        var addresses = files.Addresses is null ? null : ReadCompanion(files.Addresses, AddressColumns);
        var aliases = files.Aliases is null ? null : ReadCompanion(files.Aliases, AliasColumns);
        var comments = files.Comments is null ? null : ReadCompanion(files.Comments, CommentColumns);
        return ReadPrimary(files.Primary, id, addresses, aliases, comments);
    }

    private sealed record FileSet(string Primary, string? Addresses, string? Aliases, string? Comments, bool IsConsolidated);

    private static FileSet Classify(IReadOnlyList<string> paths)
    {
        string? primary = null, addresses = null, aliases = null, comments = null;
        foreach (var path in paths)
        {
            var name = Path.GetFileNameWithoutExtension(path).ToLowerInvariant();
            if (name.EndsWith("add", StringComparison.Ordinal))
                addresses = path;
            else if (name.EndsWith("alt", StringComparison.Ordinal))
                aliases = path;
            else if (name.EndsWith("comments", StringComparison.Ordinal))
                comments = path;
            else if (primary is null)
                primary = path;
            else
                throw new ListFormatException(path, 0, null, $"two primary files given ({primary} and {path}): import one OFAC list at a time");
        }
        if (primary is null)
            throw new ListFormatException(paths.Count > 0 ? paths[0] : "(none)", 0, null,
                "no primary file (sdn.csv or cons_prim.csv) among the paths given; add.csv/alt.csv/sdn_comments.csv only complete it");
        var consolidated = Path.GetFileName(primary).StartsWith("cons", StringComparison.OrdinalIgnoreCase);
        var prefix = consolidated ? "cons_" : "";
        var directory = Path.GetDirectoryName(Path.GetFullPath(primary))!;
        return new FileSet(
            primary,
            addresses ?? Beside(directory, prefix + "add.csv"),
            aliases ?? Beside(directory, prefix + "alt.csv"),
            comments ?? Beside(directory, consolidated ? "cons_comments.csv" : "sdn_comments.csv"),
            consolidated);
    }

    private static string? Beside(string directory, string name)
    {
        var path = Path.Combine(directory, name);
        if (File.Exists(path))
            return path;
        var upper = Path.Combine(directory, name.ToUpperInvariant()); // OFAC's download service serves SDN.CSV, ADD.CSV, ...
        return File.Exists(upper) ? upper : null;
    }

    private static Dictionary<int, List<string[]>> ReadCompanion(string path, string[] columns)
    {
        var byEntity = new Dictionary<int, List<string[]>>();
        using var reader = DelimitedReader.Open(path, ListText.DetectLegacyEncoding(path));
        var fields = new List<string>(columns.Length);
        while (reader.TryRead(fields))
        {
            CheckColumns(reader, fields, columns);
            var entNum = ParseEntNum(reader, fields[0]);
            if (!byEntity.TryGetValue(entNum, out var rows))
                byEntity[entNum] = rows = [];
            rows.Add([.. fields]);
        }
        return byEntity;
    }

    private static IEnumerable<ListEntity> ReadPrimary(
        string path, string listId,
        Dictionary<int, List<string[]>>? addresses, Dictionary<int, List<string[]>>? aliases, Dictionary<int, List<string[]>>? comments)
    {
        var sourceDate = PartialDates.FromFileName(path);
        using var reader = DelimitedReader.Open(path, ListText.DetectLegacyEncoding(path));
        var fields = new List<string>(PrimaryColumns.Length);
        var seen = new HashSet<int>();
        while (reader.TryRead(fields))
        {
            CheckColumns(reader, fields, PrimaryColumns);
            var entNum = ParseEntNum(reader, fields[0]);
            if (!seen.Add(entNum))
                throw reader.Error("ent_num", $"entry {entNum} appears twice");
            var name = Value(fields[1]) ?? throw reader.Error("SDN_Name", "the name is empty");
            var entity = new EntityBuilder(listId, entNum.ToString(System.Globalization.CultureInfo.InvariantCulture), KindOf(Value(fields[2])), name)
            {
                SourceDate = sourceDate,
            };
            foreach (var program in (Value(fields[3]) ?? "").Split("] [", StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
                entity.AddProgram(program.Trim('[', ']'));
            if (Value(fields[5]) is { } callSign)
                entity.AddIdentifier("Call Sign", callSign, null);
            entity.AddCountry(Value(fields[9]));
            var remarks = Value(fields[11]);
            if (comments?.GetValueOrDefault(entNum) is { } overflow)
                remarks = string.Concat(remarks, string.Concat(overflow.Select(row => Value(row[1]))));
            if (remarks is not null)
            {
                OfacRemarks.Apply(remarks, entity);
                entity.Remarks = remarks;
            }
            foreach (var row in aliases?.GetValueOrDefault(entNum) ?? [])
                entity.AddAlias(Value(row[3]), AliasStrength.Strong);
            foreach (var row in addresses?.GetValueOrDefault(entNum) ?? [])
            {
                var parts = new[] { Value(row[2]), Value(row[3]), Value(row[4]) }.Where(p => p is not null);
                entity.AddAddress(string.Join(", ", parts));
                entity.AddCountry(Value(row[4]));
            }
            yield return entity.Build();
        }
    }

    private static EntityKind KindOf(string? sdnType) => sdnType?.ToLowerInvariant() switch
    {
        "individual" => EntityKind.Person,
        "vessel" => EntityKind.Vessel,
        "aircraft" => EntityKind.Aircraft,
        null or "entity" => EntityKind.Organization, // OFAC leaves the type empty for entities
        _ => EntityKind.Unknown,
    };

    private static void CheckColumns(DelimitedReader reader, List<string> fields, string[] columns)
    {
        if (fields.Count != columns.Length)
            throw reader.Error(null, $"expected {columns.Length} columns ({string.Join(", ", columns)}), found {fields.Count}");
    }

    private static int ParseEntNum(DelimitedReader reader, string text) =>
        int.TryParse(text.Trim(), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out var n)
            ? n
            : throw reader.Error("ent_num", $"'{text}' is not an entry number");

    /// <summary>OFAC writes "-0- " for null.</summary>
    private static string? Value(string field)
    {
        var trimmed = field.Trim();
        return trimmed.Length == 0 || trimmed == "-0-" ? null : trimmed;
    }
}
