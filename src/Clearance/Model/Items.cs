namespace Clearance.Model;

/// <summary>One entry of a jurisdiction's control list: a row (e.g. Japan's Appended Table 1 row 3) or an item within it (row 3 item (1)).</summary>
/// <param name="Code">The code within the jurisdiction, e.g. "3(1)", "3", "16", "3C002".</param>
/// <param name="Parent">The code of the enclosing row or category, or null for a row.</param>
/// <param name="Title">What the entry covers.</param>
/// <param name="CatchAll">True for the catch-all scope (Japan row 16): goods not listed elsewhere.</param>
/// <param name="Citation">The legal text that lists it.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record ControlEntry(string Code, string? Parent, string Title, bool CatchAll, Citation Citation, SourceRef Source);

/// <summary>Three-valued answer of a selector: an item given only as a row may or may not be the listed item a rule names.</summary>
public enum Match : byte
{
    /// <summary>Does not apply.</summary>
    No,
    /// <summary>Applies.</summary>
    Yes,
    /// <summary>Cannot tell from the facts given.</summary>
    Maybe,
}

/// <summary>Which control-list entries a rule concerns.</summary>
/// <param name="Any">Every item, listed or not.</param>
/// <param name="Codes">Entries (with all the entries below them).</param>
public sealed record ItemSelector(bool Any, IReadOnlyList<string> Codes)
{
    /// <summary>Selects every item.</summary>
    public static ItemSelector All { get; } = new(true, []);

    /// <inheritdoc />
    public override string ToString() => Any ? "any item" : string.Join(", ", Codes);
}

/// <summary>Which destinations a rule concerns: (any, or listed countries, or members of listed sets) minus the exceptions.</summary>
/// <param name="Any">Every destination.</param>
/// <param name="Countries">Named destinations.</param>
/// <param name="Sets">Country sets (tables or groups) whose members are included.</param>
/// <param name="ExceptCountries">Destinations excluded.</param>
/// <param name="ExceptSets">Sets whose members are excluded.</param>
public sealed record DestinationSelector(
    bool Any,
    IReadOnlyList<CountryCode> Countries,
    IReadOnlyList<string> Sets,
    IReadOnlyList<CountryCode> ExceptCountries,
    IReadOnlyList<string> ExceptSets)
{
    /// <summary>Selects every destination.</summary>
    public static DestinationSelector All { get; } = new(true, [], [], [], []);

    /// <summary>Whether the selector names the country itself (not through a set).</summary>
    public bool NamesCountry(CountryCode country) => Countries.Contains(country) || ExceptCountries.Contains(country);

    /// <inheritdoc />
    public override string ToString()
    {
        var include = Any ? "any destination" : string.Join(", ", Countries.Select(c => c.Value).Concat(Sets.Select(s => "set " + s)));
        var except = ExceptCountries.Select(c => c.Value).Concat(ExceptSets.Select(s => "set " + s)).ToList();
        return except.Count == 0 ? include : $"{include} except {string.Join(", ", except)}";
    }
}
