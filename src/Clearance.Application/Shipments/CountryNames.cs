using Clearance.Model;

namespace Clearance.Application;

/// <summary>
/// Countries as people type them in a shipment: besides the alpha-2 code, a country's English name or a spelling the
/// country table lists for it ("Japan", "united arab emirates", "UAE"), any case. A name the table gives two countries
/// is no name of either.
/// </summary>
public static class CountryNames
{
    /// <summary>The alpha-2 code of each name, ignoring case.</summary>
    internal static readonly Dictionary<string, string>.AlternateLookup<ReadOnlySpan<char>> ByName = Build().GetAlternateLookup<ReadOnlySpan<char>>();

    private static Dictionary<string, string> Build()
    {
        var byName = new Dictionary<string, string>(StringComparer.OrdinalIgnoreCase);
        var ambiguous = new HashSet<string>(StringComparer.OrdinalIgnoreCase);
        foreach (var country in CountryTable.All.Where(c => c.IsDestination))
        {
            foreach (var name in country.Names.Select(n => n.Trim()).Where(n => n.Length > 2))
            {
                if (byName.TryGetValue(name, out var other) && other != country.Alpha2)
                {
                    ambiguous.Add(name);
                }

                byName[name] = country.Alpha2;
            }
        }

        foreach (var name in ambiguous)
        {
            byName.Remove(name);
        }

        return byName;
    }

    /// <summary>Why <paramref name="value"/> is no country, with the nearest code or name when one is near.</summary>
    public static string NotACountry(string value)
    {
        ArgumentNullException.ThrowIfNull(value);
        // A code a letter off is any of several codes: only a name gets a suggestion.
        var near = value.Trim().Length > 3 && NearestName.Find(value, ByName.Dictionary.Keys) is { } n
            ? $": did you mean '{n}' ({ByName.Dictionary[n]})?" : "";
        return $"'{value}' is not a country (an ISO 3166-1 alpha-2 code such as JP, or an English name such as Japan){near}";
    }
}
