using System.Globalization;
using System.Text;

namespace Clearance.Screening.Lists;

/// <summary>
/// Country names, as the lists spell them, to ISO 3166-1 alpha-2 codes. One table (countries.tsv) serves every parser,
/// so that "Korea, North" (OFAC), "Democratic People's Republic of Korea" (UN) and "North Korea" (METI) all become KP.
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
        using var stream = typeof(Countries).Assembly.GetManifestResourceStream("Clearance.Screening.Lists.countries.tsv")
            ?? throw new InvalidOperationException("countries.tsv is not embedded in Clearance.Screening.");
        using var reader = new StreamReader(stream, Encoding.UTF8);
        var alpha2 = new HashSet<string>(StringComparer.Ordinal);
        var alpha3 = new Dictionary<string, string>(StringComparer.Ordinal);
        var byName = new Dictionary<string, string>(StringComparer.Ordinal);
        while (reader.ReadLine() is { } line)
        {
            if (line.Length == 0 || line[0] == '#')
                continue;
            var parts = line.Split('\t');
            alpha2.Add(parts[0]);
            alpha3[parts[1]] = parts[0];
            foreach (var name in parts[2].Split('|'))
                byName[Normalize(name)] = parts[0];
        }
        return new Table(alpha2, alpha3, byName);
    }
}
