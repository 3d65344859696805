using System.Security.Cryptography;
using System.Text;
using System.Text.RegularExpressions;

namespace Clearance.Screening.Lists;

/// <summary>
/// The trade.gov Consolidated Screening List CSV (consolidated.csv), in the 2019 layout (source, entity_number, ...) and
/// the current layout with a leading _id column. One file holds many lists: each row's list id comes from the
/// abbreviation in its source column ("Entity List (EL) - Bureau of Industry and Security" → "csl-el").
/// </summary>
public static partial class CslCsvParser
{
    /// <summary>Format id.</summary>
    public const string Format = "csl-csv";

    private static readonly string[] RequiredColumns =
        ["source", "entity_number", "type", "programs", "name", "addresses", "remarks", "alt_names", "citizenships", "dates_of_birth", "nationalities", "ids"];

    [GeneratedRegex(@"\((?<abbreviation>[^()]+)\)")]
    private static partial Regex SourceAbbreviation();

    // "84 FR 22961", "88 F.R. 77955 11/14/2023": the volume and first page of a Federal Register rule.
    [GeneratedRegex(@"(?<volume>\d{1,3})\s*F\.?\s?R\.?\s*(?<page>\d{1,6})")]
    private static partial Regex FederalRegisterCitation();

    /// <summary>Streams the entries of one consolidated.csv file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="listId">When given, every row goes to this list instead of the one its source column names.</param>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var sourceDate = PartialDates.FromFileName(path);
        using var reader = DelimitedReader.Open(path, ListText.StrictUtf8);
        var fields = new List<string>(32);
        if (!reader.TryRead(fields))
            yield break; // an empty file has no entries: the store refuses it as such ("contains no entries")
        var header = fields.Select(f => f.Trim()).ToArray();
        var column = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < header.Length; i++)
            column[header[i]] = i;
        foreach (var required in RequiredColumns)
        {
            if (!column.ContainsKey(required))
                throw new ListFormatException(path, 1, required, "column missing from the header: not a Consolidated Screening List CSV");
        }
        var currentLayout = column.ContainsKey("_id");
        var usedIds = new HashSet<(string, string)>();
        var rowIdLines = new Dictionary<string, long>(StringComparer.Ordinal);
        while (reader.TryRead(fields))
        {
            if (fields.Count != header.Length)
                throw reader.Error(null, $"expected {header.Length} columns as in the header, found {fields.Count}");
            string Get(string name) => column.TryGetValue(name, out var i) ? fields[i].Trim() : "";

            var source = Get("source");
            var name = Get("name");
            if (name.Length == 0)
                throw reader.Error("name", "the name is empty");
            var rowList = listId ?? ListIdOf(source) ?? throw reader.Error("source", $"'{source}' names no list");
            var rowId = Get("_id");
            if (rowId.Length > 0 && !rowIdLines.TryAdd(rowId, reader.RecordLine))
            {
                // The file's own ids are unique in every published CSL (the 2026-07-31 file: 25,921 rows, 25,921 ids): a
                // repeated one is a damaged or tampered file, and renaming it would import two entries under one listing.
                throw reader.Error("_id", $"duplicate _id {StrictText.Quote(rowId)} (first on line {rowIdLines[rowId]})");
            }
            var entityId = EntityId(rowId, Get("entity_number"), source, name, Get("addresses"));
            // Ids made without an _id (entity_number, or the hash of identical rows in the 2019 layout) can repeat in
            // genuine files: those are kept apart as id#2, id#3...
            if (!usedIds.Add((rowList, entityId)))
                entityId = Disambiguate(usedIds, rowList, entityId);
            var entity = new EntityBuilder(rowList, entityId, KindOf(Get("type")), name) { SourceDate = sourceDate };
            foreach (var alias in SplitList(Get("alt_names")))
                entity.AddAlias(alias, AliasStrength.Strong);
            foreach (var program in SplitList(Get("programs")))
                entity.AddProgram(program);
            foreach (var address in SplitList(Get("addresses")))
            {
                entity.AddAddress(address);
                entity.AddCountry(address[(address.LastIndexOf(',') + 1)..]);
            }
            foreach (var country in SplitList(Get("nationalities")).Concat(SplitList(Get("citizenships"))))
                entity.AddCountry(country);
            entity.AddBirthDates(Get("dates_of_birth"));
            foreach (var id in SplitList(Get("ids")))
                AddIdentifier(entity, id, currentLayout);
            entity.Remarks = Get("remarks");
            var built = entity.Build();
            yield return Listing(Get("federal_register_notice"), Get("license_requirement"), Get("license_policy")) is { } listing
                ? built with { Listing = listing }
                : built;
        }
    }

    /// <summary>
    /// The export-control columns of a row (Entity List, Military End-User List): the Federal Register citations in the
    /// order printed, normalised to "84 FR 22961", with the licence requirement and review policy; null when all are empty.
    /// </summary>
    internal static ExportListing? Listing(string notices, string requirement, string policy)
    {
        var citations = FederalRegisterCitation().Matches(notices)
            .Select(m => $"{m.Groups["volume"].Value} FR {m.Groups["page"].Value}")
            .Distinct(StringComparer.Ordinal)
            .ToArray();
        return citations.Length == 0 && requirement.Length == 0 && policy.Length == 0
            ? null
            : new ExportListing(citations, requirement, policy);
    }

    /// <summary>"Specially Designated Nationals (SDN) - Treasury Department" → "csl-sdn".</summary>
    internal static string? ListIdOf(string source)
    {
        var m = SourceAbbreviation().Match(source);
        if (!m.Success)
            return null;
        var abbreviation = m.Groups["abbreviation"].Value.Trim();
        if (abbreviation.EndsWith(" List", StringComparison.OrdinalIgnoreCase))
            abbreviation = abbreviation[..^5];
        var slug = new StringBuilder("csl-");
        foreach (var c in abbreviation.ToLowerInvariant())
            slug.Append(char.IsAsciiLetterOrDigit(c) ? c : '-');
        return slug.ToString();
    }

    /// <summary>The file's own id when it has one; otherwise a stable hash of what identifies the row.</summary>
    private static string EntityId(string rowId, string entityNumber, string source, string name, string addresses)
    {
        if (rowId.Length > 0)
            return rowId;
        if (entityNumber.Length > 0)
            return entityNumber;
        return StableId(source, name, addresses);
    }

    internal static string StableId(params string[] parts)
    {
        var hash = SHA256.HashData(Encoding.UTF8.GetBytes(string.Join('\u001F', parts)));
        return "h" + Convert.ToHexStringLower(hash.AsSpan(0, 8));
    }

    internal static string Disambiguate(HashSet<(string, string)> used, string list, string id)
    {
        for (var n = 2; ; n++)
        {
            var candidate = $"{id}#{n}";
            if (used.Add((list, candidate)))
                return candidate;
        }
    }

    private static void AddIdentifier(EntityBuilder entity, string text, bool currentLayout)
    {
        // current layout: "Passport, 836238033, KP"; 2019 layout: "US, 80-0890696, Tax ID No." or "IMO 8898831, Vessel Registration Identification"
        var parts = text.Split(", ", StringSplitOptions.TrimEntries);
        string type, value;
        string? country = null;
        if (currentLayout)
        {
            if (parts.Length < 2)
                return;
            type = parts[0];
            value = parts[1];
            if (parts.Length == 3)
                country = parts[2];
        }
        else if (parts.Length == 3)
        {
            (country, value, type) = (parts[0], parts[1], parts[2]);
        }
        else if (parts.Length == 2)
        {
            (value, type) = (parts[0], parts[1]);
        }
        else
        {
            return;
        }
        if (type == "Vessel Registration Identification" && value.StartsWith("IMO ", StringComparison.Ordinal))
            (type, value) = ("IMO", value[4..]);
        else if (!OfacRemarks.IsIdentifierLabel(type))
            return; // "Gender, Male", "Secondary sanctions risk:, ..." are facts, not identifiers
        entity.AddIdentifier(type, value, country);
    }

    private static EntityKind KindOf(string type) => type.ToLowerInvariant() switch
    {
        "individual" => EntityKind.Person,
        "entity" => EntityKind.Organization,
        "vessel" => EntityKind.Vessel,
        "aircraft" => EntityKind.Aircraft,
        _ => EntityKind.Unknown,
    };

    private static IEnumerable<string> SplitList(string text) =>
        text.Length == 0 ? [] : text.Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);
}
