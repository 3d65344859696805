using System.Globalization;
using System.Text;
using System.Text.RegularExpressions;

namespace Clearance.Screening.Lists;

/// <summary>
/// Japan's End User List (METI 外国ユーザーリスト) in two CSV layouts, told apart by the header:
/// METI's own columns (No., Country or Region, Company or Organization, Also Known As, Type of WMD; aliases "; "-separated),
/// and a name index (name_normalized, eul_id, list), one row per name, the first row of an entry being its primary name.
/// </summary>
public static partial class MetiEulParser
{
    /// <summary>Format id.</summary>
    public const string Format = "meti-eul";

    /// <summary>The list id METI EUL entries get by default.</summary>
    public const string DefaultListId = "meti-eul";

    private static readonly string[] MetiColumns = ["No.", "Country or Region", "Company or Organization", "Also Known As", "Type of WMD"];
    private static readonly string[] IndexColumns = ["name_normalized", "eul_id", "list"];

    // METI's concern codes in the "Type of WMD" column.
    private static readonly (string Code, string Program)[] Concerns =
        [("B", "biological"), ("C", "chemical"), ("M", "missile"), ("N", "nuclear"), ("CW", "conventional-weapons")];

    [GeneratedRegex(@"[(（](?<inner>[^()（）]+)[)）]")]
    private static partial Regex Parenthesised();

    [GeneratedRegex(@"\b(?<code>CW|B|C|M|N)\b")]
    private static partial Regex ConcernCode();

    /// <summary>Parses either layout.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        using var reader = DelimitedReader.Open(path, ListText.StrictUtf8);
        var header = new List<string>();
        if (!reader.TryRead(header))
            yield break; // an empty file has no entries: the store refuses it as such ("contains no entries")
        var names = header.Select(h => h.Trim()).ToArray();
        var entities =
            names.SequenceEqual(MetiColumns) ? ReadMetiLayout(reader, listId ?? DefaultListId)
            : names.SequenceEqual(IndexColumns) ? ReadNameIndex(reader, listId ?? DefaultListId)
            : throw new ListFormatException(path, 1, null,
                $"unknown header '{string.Join(",", names)}': expected METI's columns ({string.Join(",", MetiColumns)}) or the name index ({string.Join(",", IndexColumns)})");
        foreach (var entity in entities)
            yield return entity;
    }

    private static IEnumerable<ListEntity> ReadMetiLayout(DelimitedReader reader, string listId)
    {
        var sourceDate = PartialDates.FromFileName(reader.File);
        var fields = new List<string>(MetiColumns.Length);
        var seen = new HashSet<string>();
        while (reader.TryRead(fields))
        {
            if (fields.Count != MetiColumns.Length)
                throw reader.Error(null, $"expected {MetiColumns.Length} columns ({string.Join(", ", MetiColumns)}), found {fields.Count}");
            var number = fields[0].Trim();
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw reader.Error("No.", $"'{number}' is not an entry number");
            if (!seen.Add(number))
                throw reader.Error("No.", $"entry {number} appears twice");
            var (country, name) = SplitMergedCountry(fields[1].Trim(), fields[2].Trim());
            if (name.Length == 0)
                throw reader.Error("Company or Organization", "the name is empty");
            var entity = new EntityBuilder(listId, number, EntityKind.Organization, name) { SourceDate = sourceDate };
            entity.AddCountry(country);
            AddNameParts(entity, name);
            foreach (var alias in fields[3].Split(';', StringSplitOptions.RemoveEmptyEntries | StringSplitOptions.TrimEntries))
            {
                entity.AddAlias(alias, AliasStrength.Strong);
                AddNameParts(entity, alias);
            }
            var concern = fields[4].Trim();
            foreach (Match m in ConcernCode().Matches(concern.Normalize(NormalizationForm.FormKC)))
                entity.AddProgram(Array.Find(Concerns, c => c.Code == m.Groups["code"].Value).Program);
            entity.Remarks = concern;
            yield return entity.Build();
        }
    }

    /// <summary>
    /// Where METI's table leaves the company cell empty, conversions from its PDF put the name into the country cell
    /// ("People's Republic of China Sky Rise Technology Ltd."): split the known country name off the front.
    /// </summary>
    private static (string Country, string Name) SplitMergedCountry(string country, string name)
    {
        if (name.Length > 0 || Countries.ToIso2(country) is not null)
            return (country, name);
        var words = country.Split(' ');
        for (var take = words.Length - 1; take >= 1; take--)
        {
            var prefix = string.Join(' ', words[..take]);
            if (Countries.ToIso2(prefix) is not null)
                return (prefix, string.Join(' ', words[take..]));
        }
        return (country, name);
    }

    /// <summary>
    /// METI writes acronyms and the original script in parentheses: "Beijing University of Aeronautics and Astronautics (BUAA) (北京航空航天大学)".
    /// The name without them and the original-script name are strong aliases; the acronym is a weak one.
    /// </summary>
    private static void AddNameParts(EntityBuilder entity, string name)
    {
        var matches = Parenthesised().Matches(name);
        if (matches.Count == 0)
            return;
        var bare = Parenthesised().Replace(name, " ");
        entity.AddAlias(string.Join(' ', bare.Split(' ', StringSplitOptions.RemoveEmptyEntries)), AliasStrength.Strong);
        foreach (Match m in matches)
        {
            var inner = m.Groups["inner"].Value.Trim();
            var isLatin = inner.All(c => c < 0x250);
            var isAcronym = isLatin && inner.Length <= 10 && !inner.Contains(' ', StringComparison.Ordinal);
            if (!isLatin)
                entity.AddAlias(inner, AliasStrength.Strong);
            else if (isAcronym)
                entity.AddAlias(inner, AliasStrength.Weak);
        }
    }

    private static IEnumerable<ListEntity> ReadNameIndex(DelimitedReader reader, string listId)
    {
        // Rows of one entry need not be adjacent, so the (small) index is grouped in memory, in order of first appearance.
        var entries = new Dictionary<string, EntityBuilder>();
        var order = new List<EntityBuilder>();
        var sourceDate = PartialDates.FromFileName(reader.File);
        var fields = new List<string>(IndexColumns.Length);
        while (reader.TryRead(fields))
        {
            if (fields.Count != IndexColumns.Length)
                throw reader.Error(null, $"expected {IndexColumns.Length} columns ({string.Join(", ", IndexColumns)}), found {fields.Count}");
            var name = fields[0].Trim();
            var eulId = fields[1].Trim();
            if (name.Length == 0)
                throw reader.Error("name_normalized", "the name is empty");
            var number = eulId.StartsWith("EUL", StringComparison.OrdinalIgnoreCase) ? eulId[3..] : eulId;
            if (!int.TryParse(number, NumberStyles.None, CultureInfo.InvariantCulture, out _))
                throw reader.Error("eul_id", $"'{eulId}' is not an End User List id (EUL followed by a number)");
            if (!entries.TryGetValue(number, out var entity))
            {
                entity = new EntityBuilder(listId, number, EntityKind.Organization, name) { SourceDate = sourceDate };
                entries[number] = entity;
                order.Add(entity);
            }
            else
            {
                entity.AddAlias(name, AliasStrength.Strong);
            }
            AddNameParts(entity, name);
        }
        foreach (var entity in order)
            yield return entity.Build();
    }
}
