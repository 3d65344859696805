using NodaTime;

namespace Clearance.Screening.Lists;

/// <summary>Collects the parts of one entry while a parser reads it; drops blanks and duplicates; builds the immutable entity.</summary>
internal sealed class EntityBuilder(string listId, string entityId, EntityKind kind, string primaryName)
{
    private readonly List<EntityAlias> _aliases = [];
    private readonly List<string> _addresses = [];
    private readonly List<string> _countries = [];
    private readonly List<string> _birthDates = [];
    private readonly List<EntityIdentifier> _identifiers = [];
    private readonly List<string> _programs = [];

    public string ListId { get; set; } = listId;
    public string EntityId { get; } = entityId;
    public EntityKind Kind { get; set; } = kind;
    public string PrimaryName { get; set; } = primaryName;
    public string? Remarks { get; set; }
    public LocalDate? SourceDate { get; set; }

    public void AddAlias(string? name, AliasStrength strength)
    {
        var trimmed = name?.Trim();
        if (string.IsNullOrEmpty(trimmed) || trimmed == PrimaryName)
            return;
        var existing = _aliases.FindIndex(a => a.Name == trimmed);
        if (existing < 0)
            _aliases.Add(new EntityAlias(trimmed, strength));
        else if (strength == AliasStrength.Strong && _aliases[existing].Strength == AliasStrength.Weak)
            _aliases[existing] = new EntityAlias(trimmed, strength); // the stronger reading wins
    }

    public void AddAddress(string? address) => AddDistinct(_addresses, address?.Trim());

    /// <summary>Adds the country a name or code designates; unknown names are ignored (they stay in remarks/addresses).</summary>
    public void AddCountry(string? nameOrCode) => AddDistinct(_countries, Countries.ToIso2(nameOrCode));

    public void AddBirthDate(string? isoPartialDate) => AddDistinct(_birthDates, isoPartialDate);

    public void AddBirthDates(string? text)
    {
        foreach (var date in PartialDates.Parse(text))
            AddDistinct(_birthDates, date);
    }

    public void AddIdentifier(string type, string? value, string? countryNameOrCode)
    {
        var trimmed = value?.Trim();
        if (string.IsNullOrEmpty(trimmed))
            return;
        var identifier = new EntityIdentifier(type.Trim(), trimmed, Countries.ToIso2(countryNameOrCode));
        if (!_identifiers.Contains(identifier))
            _identifiers.Add(identifier);
    }

    public void AddProgram(string? program) => AddDistinct(_programs, program?.Trim());

    public ListEntity Build() => new(
        ListId, EntityId, Kind, PrimaryName,
        _aliases.ToArray(), _addresses.ToArray(), _countries.ToArray(), _birthDates.ToArray(),
        _identifiers.ToArray(), _programs.ToArray(), string.IsNullOrWhiteSpace(Remarks) ? null : Remarks.Trim(), SourceDate);

    private static void AddDistinct(List<string> values, string? value)
    {
        if (!string.IsNullOrEmpty(value) && !values.Contains(value))
            values.Add(value);
    }
}
