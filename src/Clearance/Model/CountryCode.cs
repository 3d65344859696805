using System.Collections.Frozen;

namespace Clearance.Model;

/// <summary>An ISO 3166-1 alpha-2 country code, upper case, checked against the assigned codes.</summary>
public readonly record struct CountryCode
{
    // ISO 3166-1 alpha-2 officially assigned codes (249), plus XK (Kosovo), used by sanctions lists.
    private const string Assigned =
        "AD AE AF AG AI AL AM AO AQ AR AS AT AU AW AX AZ BA BB BD BE BF BG BH BI BJ BL BM BN BO BQ BR BS BT BV BW BY BZ " +
        "CA CC CD CF CG CH CI CK CL CM CN CO CR CU CV CW CX CY CZ DE DJ DK DM DO DZ EC EE EG EH ER ES ET FI FJ FK FM FO FR " +
        "GA GB GD GE GF GG GH GI GL GM GN GP GQ GR GS GT GU GW GY HK HM HN HR HT HU ID IE IL IM IN IO IQ IR IS IT JE JM JO " +
        "JP KE KG KH KI KM KN KP KR KW KY KZ LA LB LC LI LK LR LS LT LU LV LY MA MC MD ME MF MG MH MK ML MM MN MO MP MQ MR " +
        "MS MT MU MV MW MX MY MZ NA NC NE NF NG NI NL NO NP NR NU NZ OM PA PE PF PG PH PK PL PM PN PR PS PT PW PY QA RE RO " +
        "RS RU RW SA SB SC SD SE SG SH SI SJ SK SL SM SN SO SR SS ST SV SX SY SZ TC TD TF TG TH TJ TK TL TM TN TO TR TT TV " +
        "TW TZ UA UG UM US UY UZ VA VC VE VG VI VN VU WF WS YE YT ZA ZM ZW XK";

    private static readonly string[] Sorted = [.. Assigned.Split(' ').Order(StringComparer.Ordinal)];

    private static readonly FrozenDictionary<string, int> IndexByCode =
        Sorted.Select((code, index) => (code, index)).ToFrozenDictionary(p => p.code, p => p.index, StringComparer.Ordinal);

    /// <summary>All assigned codes, sorted; a code's <see cref="Index"/> is its position here.</summary>
    public static IReadOnlyList<CountryCode> All { get; } = [.. Sorted.Select((_, i) => new CountryCode(i))];

    /// <summary>The number of assigned codes (the bound of <see cref="Index"/>).</summary>
    public static int Count => Sorted.Length;

    private CountryCode(int index)
    {
        Index = index;
        Value = Sorted[index];
    }

    /// <summary>The two upper-case letters.</summary>
    public string Value { get; }

    /// <summary>Dense index in <see cref="All"/>, for array-based lookups on hot paths.</summary>
    public int Index { get; }

    /// <summary>Parses a code; case-insensitive; fails for codes that are not assigned.</summary>
    public static bool TryParse(ReadOnlySpan<char> text, out CountryCode code)
    {
        if (text.Length == 2)
        {
            Span<char> upper = [char.ToUpperInvariant(text[0]), char.ToUpperInvariant(text[1])];
            var lookup = IndexByCode.GetAlternateLookup<ReadOnlySpan<char>>();
            if (lookup.TryGetValue(upper, out var index))
            {
                code = All[index];
                return true;
            }
        }

        code = default;
        return false;
    }

    /// <summary>Parses a code or throws <see cref="ArgumentException"/> naming it.</summary>
    public static CountryCode Parse(string text) =>
        TryParse(text, out var code) ? code : ThrowHelper.Argument<CountryCode>(nameof(text), $"'{text}' is not an ISO 3166-1 alpha-2 country code");

    /// <inheritdoc />
    public override string ToString() => Value ?? "";
}
