namespace Clearance.Model;

/// <summary>One entry of a jurisdiction's control list: a row (e.g. Japan's Appended Table 1 row 3) or an item within it (row 3 item (1)).</summary>
/// <param name="Code">The code within the jurisdiction, e.g. "3(1)", "3", "16", "3C002".</param>
/// <param name="Parent">The code of the enclosing row or category, or null for a row.</param>
/// <param name="Title">What the entry covers.</param>
/// <param name="CatchAll">True for the catch-all scope (Japan row 16): goods not listed elsewhere.</param>
/// <param name="Citation">The legal text that lists it.</param>
/// <param name="Source">Where the content defines it.</param>
public sealed record ControlEntry(string Code, string? Parent, string Title, bool CatchAll, Citation Citation, SourceRef Source)
{
    /// <summary>
    /// Attributes of the entry a rule can select by, e.g. <c>reasons: [NS2, AT1]</c> (the EAR's reasons for control). An
    /// entry also has every attribute value of the entries above it but those it lists in <see cref="NotInherited"/> (see
    /// <see cref="Jurisdiction.AttributesOf"/>).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Attributes { get; init; } = Empty;

    /// <summary>
    /// Attribute values of the entries above that this entry (and every entry below it) does not take, e.g.
    /// <c>not_inherited: {columns: [NS1, RS1]}</c> on 0A617.y: the CCL's "NS applies to entire entry, except 0A617.y"
    /// where the rest of the entry is not listed paragraph by paragraph, so the entry carries the control and the excepted
    /// paragraph must be taken out of it. Each value must be one an entry above has (validated at load).
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> NotInherited { get; init; } = Empty;

    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> Empty = new Dictionary<string, IReadOnlyList<string>>();
}

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

/// <summary>
/// Which control-list entries a rule concerns: every item, every listed entry (<see cref="Listed"/>), or the entries named
/// (with all the entries below them), narrowed to the entries whose attributes match <see cref="Where"/> (e.g. every ECCN
/// controlled for NS2), less the entries of <see cref="Except"/> (with all the entries below them).
/// </summary>
/// <param name="Any">Every item, listed or not (before <see cref="Where"/>).</param>
/// <param name="Codes">Entries (with all the entries below them).</param>
public sealed record ItemSelector(bool Any, IReadOnlyList<string> Codes)
{
    // Declared before All: static fields are initialised in textual order, and All's Where reads it.
    private static readonly IReadOnlyDictionary<string, IReadOnlyList<string>> NoCondition = new Dictionary<string, IReadOnlyList<string>>();

    /// <summary>Selects every item.</summary>
    public static ItemSelector All { get; } = new(true, []);

    /// <summary>
    /// Every entry of the control list, not the catch-all scopes (<see cref="ControlEntry.CatchAll"/>) nor anything below
    /// them: the EAR's "all items on the Commerce Control List" is every ECCN, not EAR99. Written as the regulation words
    /// it rather than as today's codes, so that an entry added to or removed from the list changes the rule with it.
    /// Neither <see cref="Any"/> nor <see cref="Codes"/> (the loader refuses them together).
    /// </summary>
    public bool Listed { get; init; }

    /// <summary>
    /// Attribute conditions, all of which must hold: for each attribute, the entry has at least one of the values
    /// listed. Empty is no condition.
    /// </summary>
    public IReadOnlyDictionary<string, IReadOnlyList<string>> Where { get; init; } = NoCondition;

    /// <summary>
    /// Entries not taken, with every entry below them, e.g. 5A992.c (87 FR 12226's "other than ... 5A992.c"): an
    /// item given as the row above an exception (5A992) may or may not be the excepted paragraph (<see cref="Match.Maybe"/>).
    /// Each must be an entry the rest of the selector takes (validated at load).
    /// </summary>
    public IReadOnlyList<string> Except { get; init; } = [];

    /// <inheritdoc />
    public override string ToString()
    {
        var codes = Any ? "any item" : Listed ? "every item on the control list" : string.Join(", ", Codes);
        var narrowed = Where.Count == 0 ? codes
            : $"{codes} with {string.Join(" and ", Where.Select(w => $"{w.Key} {string.Join(" or ", w.Value)}"))}";
        return Except.Count == 0 ? narrowed : $"{narrowed} except {string.Join(", ", Except)}";
    }
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

    /// <inheritdoc />
    public override string ToString()
    {
        var include = Any ? "any destination" : string.Join(", ", Countries.Select(c => c.Value).Concat(Sets.Select(s => "set " + s)));
        var except = ExceptCountries.Select(c => c.Value).Concat(ExceptSets.Select(s => "set " + s)).ToList();
        return except.Count == 0 ? include : $"{include} except {string.Join(", ", except)}";
    }
}
