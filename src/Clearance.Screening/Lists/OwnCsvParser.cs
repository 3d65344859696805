using System.Text.RegularExpressions;

namespace Clearance.Screening.Lists;

/// <summary>
/// A company's own list (format "csv", documented in docs/lists.md): UTF-8, comma-separated, RFC 4180 quoting, a header row.
/// Columns, in any order: id and name (required); kind, aliases, weak_aliases, countries, birth_dates, identifiers, programs,
/// addresses, remarks, list (optional). Multi-valued cells are separated by ";". An identifier is "Type: Value" or
/// "Type: Value (CC)".
/// </summary>
public static partial class OwnCsvParser
{
    /// <summary>Format id.</summary>
    public const string Format = "csv";

    /// <summary>The list id rows get when neither the row nor the caller gives one.</summary>
    public const string DefaultListId = "own";

    /// <summary>The columns the format knows.</summary>
    public static IReadOnlyList<string> KnownColumns { get; } =
        ["id", "name", "kind", "aliases", "weak_aliases", "countries", "birth_dates", "identifiers", "programs", "addresses", "remarks", "list"];

    [GeneratedRegex(@"^(?<type>[^:]+):\s*(?<value>.+?)(?:\s+\((?<country>[A-Za-z]{2,3}|[^()]+)\))?$")]
    private static partial Regex IdentifierPattern();

    /// <summary>Streams the entries of one file.</summary>
    /// <param name="path">The CSV file.</param>
    /// <param name="listId">List for rows without a list cell; "own" when null.</param>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var sourceDate = PartialDates.FromFileName(path);
        using var reader = DelimitedReader.Open(path, ListText.StrictUtf8);
        var fields = new List<string>();
        if (!reader.TryRead(fields))
            yield break; // an empty file has no entries: the store refuses it as such ("contains no entries")
        var column = new Dictionary<string, int>(StringComparer.OrdinalIgnoreCase);
        for (var i = 0; i < fields.Count; i++)
        {
            var name = fields[i].Trim().TrimStart('\uFEFF');
            if (!KnownColumns.Contains(name, StringComparer.OrdinalIgnoreCase))
                throw reader.Error(name, $"unknown column; the columns are {string.Join(", ", KnownColumns)}");
            if (!column.TryAdd(name, i))
                throw reader.Error(name, "column given twice");
        }
        foreach (var required in (string[])["id", "name"])
        {
            if (!column.ContainsKey(required))
                throw reader.Error(required, "required column missing from the header");
        }
        var width = fields.Count;
        var seen = new HashSet<(string, string)>();
        while (reader.TryRead(fields))
        {
            if (fields.Count != width)
                throw reader.Error(null, $"expected {width} columns as in the header, found {fields.Count}");
            string Get(string name) => column.TryGetValue(name, out var i) ? fields[i].Trim() : "";
            IEnumerable<string> Many(string name) => Get(name).Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries);

            var id = Get("id");
            var name = Get("name");
            if (id.Length == 0)
                throw reader.Error("id", "the id is empty");
            if (name.Length == 0)
                throw reader.Error("name", "the name is empty");
            var list = Get("list") is { Length: > 0 } rowList ? rowList : listId ?? DefaultListId;
            if (!seen.Add((list, id)))
                throw reader.Error("id", $"id '{id}' appears twice in list '{list}'");
            var kind = Get("kind").ToLowerInvariant() switch
            {
                "" or "unknown" => EntityKind.Unknown,
                "person" or "individual" => EntityKind.Person,
                "organization" or "organisation" or "company" or "entity" => EntityKind.Organization,
                "vessel" => EntityKind.Vessel,
                "aircraft" => EntityKind.Aircraft,
                var other => throw reader.Error("kind", $"'{other}' is not person, organization, vessel, aircraft or unknown"),
            };
            var entity = new EntityBuilder(list, id, kind, name) { SourceDate = sourceDate, Remarks = Get("remarks") };
            foreach (var alias in Many("aliases"))
                entity.AddAlias(alias, AliasStrength.Strong);
            foreach (var alias in Many("weak_aliases"))
                entity.AddAlias(alias, AliasStrength.Weak);
            foreach (var country in Many("countries"))
            {
                if (Countries.ToIso2(country) is null)
                    throw reader.Error("countries", $"'{country}' is not a country name or ISO code");
                entity.AddCountry(country);
            }
            foreach (var date in Many("birth_dates"))
            {
                var parsed = PartialDates.ParseOne(date).ToList();
                if (parsed.Count == 0)
                    throw reader.Error("birth_dates", $"'{date}' is not a date (use 1965, 1965-03 or 1965-03-12)");
                parsed.ForEach(entity.AddBirthDate);
            }
            foreach (var identifier in Many("identifiers"))
            {
                var m = IdentifierPattern().Match(identifier);
                if (!m.Success)
                    throw reader.Error("identifiers", $"'{identifier}' is not 'Type: Value' or 'Type: Value (CC)'");
                entity.AddIdentifier(m.Groups["type"].Value, m.Groups["value"].Value, m.Groups["country"].Success ? m.Groups["country"].Value : null);
            }
            foreach (var program in Many("programs"))
                entity.AddProgram(program);
            foreach (var address in Many("addresses"))
                entity.AddAddress(address);
            yield return entity.Build();
        }
    }
}
