using System.Collections.Frozen;

namespace Clearance.Model;

/// <summary>
/// An ISO 3166-1 alpha-2 country code, upper case, checked against the destination codes of <see cref="CountryTable"/>.
/// </summary>
public readonly record struct CountryCode
{
    // The destination codes of the one country table: ISO 3166-1 assigned codes plus XK (Kosovo); withdrawn codes that
    // only old list data uses (AN) are not accepted. Sorted, so that Index is stable and dense.
    private static readonly string[] Sorted =
        [.. CountryTable.All.Where(c => c.IsDestination).Select(c => c.Alpha2).Order(StringComparer.Ordinal)];

    private static readonly FrozenDictionary<string, int> IndexByCode =
        Sorted.Select((code, index) => (code, index)).ToFrozenDictionary(p => p.code, p => p.index, StringComparer.Ordinal);

    /// <summary>All destination codes, sorted; a code's <see cref="Index"/> is its position here.</summary>
    public static IReadOnlyList<CountryCode> All { get; } = [.. Sorted.Select((_, i) => new CountryCode(i))];

    /// <summary>The number of destination codes (the bound of <see cref="Index"/>).</summary>
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

    /// <summary>Parses a code; case-insensitive; fails for codes that are not destinations (unassigned or withdrawn).</summary>
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
