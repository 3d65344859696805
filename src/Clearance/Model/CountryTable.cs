using System.Text;

namespace Clearance.Model;

/// <summary>How ISO 3166-1 treats a code of the country table.</summary>
public enum CountryCodeStatus
{
    /// <summary>Officially assigned by ISO 3166-1.</summary>
    Assigned,

    /// <summary>Not assigned by ISO, but used as a country code by lists and governments (XK Kosovo).</summary>
    UserAssigned,

    /// <summary>Withdrawn by ISO, but still named by old list entries (AN Netherlands Antilles).</summary>
    Withdrawn,
}

/// <summary>One country of the table: its codes, their ISO status, and the names lists use for it.</summary>
/// <param name="Alpha2">The ISO 3166-1 alpha-2 code, upper case.</param>
/// <param name="Alpha3">The ISO 3166-1 alpha-3 code, upper case.</param>
/// <param name="Status">How ISO treats the code.</param>
/// <param name="Names">The names and spellings lists use for the country, as written in the table.</param>
public sealed record Country(string Alpha2, string Alpha3, CountryCodeStatus Status, IReadOnlyList<string> Names)
{
    /// <summary>
    /// Whether a shipment can go there, i.e. whether <see cref="CountryCode"/> accepts the code. A withdrawn code names no
    /// country that exists today: lists may still say it, but content and shipments cannot.
    /// </summary>
    public bool IsDestination => Status != CountryCodeStatus.Withdrawn;
}

/// <summary>
/// The one country table (countries.tsv, embedded in Clearance.Core): the codes <see cref="CountryCode"/> accepts and the
/// names the list parsers map to codes both come from it, so the two cannot disagree.
/// </summary>
public static class CountryTable
{
    private const string ResourceName = "Clearance.Model.countries.tsv";

    /// <summary>Every country of the table, in table order (by alpha-2 code).</summary>
    public static IReadOnlyList<Country> All { get; } = Load();

    private static Country[] Load()
    {
        using var stream = typeof(CountryTable).Assembly.GetManifestResourceStream(ResourceName)
            ?? throw new InvalidOperationException($"{ResourceName} is not embedded in Clearance.Core.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var countries = new List<Country>();
        var lineNumber = 0;
        while (reader.ReadLine() is { } line)
        {
            lineNumber++;
            if (line.Length == 0 || line[0] == '#')
                continue;
            countries.Add(ParseRow(line, lineNumber));
        }
        return [.. countries];
    }

    private static Country ParseRow(string line, int lineNumber)
    {
        var columns = line.Split('\t');
        if (columns.Length != 4)
            throw new InvalidDataException($"countries.tsv line {lineNumber}: expected 4 tab-separated columns, found {columns.Length}.");
        var status = columns[2] switch
        {
            "assigned" => CountryCodeStatus.Assigned,
            "user-assigned" => CountryCodeStatus.UserAssigned,
            "withdrawn" => CountryCodeStatus.Withdrawn,
            var other => throw new InvalidDataException($"countries.tsv line {lineNumber}: unknown status '{other}'."),
        };
        return new Country(columns[0], columns[1], status, columns[3].Split('|'));
    }
}
