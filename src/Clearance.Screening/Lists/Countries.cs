using System.Globalization;
using System.Text;
using Clearance.Model;

namespace Clearance.Screening.Lists;

/// <summary>
/// Country names, as the lists spell them, to ISO 3166-1 alpha-2 codes. One table (<see cref="CountryTable"/>, the same
/// one that decides which codes <see cref="CountryCode"/> accepts) serves every parser, so that "Korea, North" (OFAC),
/// "Democratic People's Republic of Korea" (UN) and "North Korea" (METI) all become KP.
/// </summary>
public static class Countries
{
    private static readonly Lazy<Table> Data = new(Load);

    /// <summary>
    /// The ISO alpha-2 code for a country name, alpha-2 or alpha-3 code; null when the text names no known country
    /// (a city, "undetermined", an empty field).
    /// </summary>
    public static string? ToIso2(string? nameOrCode)
    {
        if (string.IsNullOrWhiteSpace(nameOrCode))
            return null;
        var text = nameOrCode.Trim();
        var table = Data.Value;
        if (text.Length is 2 or 3 && IsAsciiLetters(text))
        {
            var upper = text.ToUpperInvariant();
            if (text.Length == 2 && table.Alpha2.Contains(upper))
                return upper;
            if (text.Length == 3 && table.Alpha3.TryGetValue(upper, out var fromAlpha3))
                return fromAlpha3;
        }
        return table.ByName.GetValueOrDefault(Normalize(text));
    }

    /// <summary>Every alpha-2 code the table knows (ISO 3166-1 plus XK Kosovo and AN Netherlands Antilles).</summary>
    public static IReadOnlyCollection<string> Codes => Data.Value.Alpha2;

    private static bool IsAsciiLetters(string text)
    {
        foreach (var c in text)
        {
            if (!char.IsAsciiLetter(c))
                return false;
        }
        return true;
    }

    /// <summary>Folds case, diacritics and punctuation, and drops a leading "the".</summary>
    internal static string Normalize(string name)
    {
        var decomposed = name.Normalize(NormalizationForm.FormKD);
        var builder = new StringBuilder(decomposed.Length);
        var pendingSpace = false;
        foreach (var c in decomposed)
        {
            if (CharUnicodeInfo.GetUnicodeCategory(c) == UnicodeCategory.NonSpacingMark)
                continue;
            if (char.IsAsciiLetterOrDigit(c))
            {
                if (pendingSpace && builder.Length > 0)
                    builder.Append(' ');
                pendingSpace = false;
                builder.Append(char.ToLowerInvariant(c));
            }
            else
            {
                pendingSpace = true;
            }
        }
        var result = builder.ToString();
        return result.StartsWith("the ", StringComparison.Ordinal) ? result[4..] : result;
    }

    private sealed record Table(HashSet<string> Alpha2, Dictionary<string, string> Alpha3, Dictionary<string, string> ByName);

    private static Table Load()
    {
        var alpha2 = new HashSet<string>(StringComparer.Ordinal);
        var alpha3 = new Dictionary<string, string>(StringComparer.Ordinal);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        // Withdrawn codes too: lists still name the Netherlands Antilles.
        foreach (var country in CountryTable.All)
        {
            alpha2.Add(country.Alpha2);
            alpha3[country.Alpha3] = country.Alpha2;
            foreach (var name in country.Names)
                byName[Normalize(name)] = country.Alpha2;
        }
        return new Table(alpha2, alpha3, byName);
    }
}
