using System.Globalization;
using System.Text.RegularExpressions;
using System.Xml.Linq;
using static Clearance.Screening.Lists.XmlRecordReader;

namespace Clearance.Screening.Lists;

/// <summary>
/// The UK Sanctions List XML published by the FCDO (<c>UK-Sanctions-List.xml</c>): root <c>Designations</c> with a
/// <c>DateGenerated</c> (dd/mm/yyyy) and one <c>Designation</c> per individual, entity or ship, its data in child
/// elements (<c>Names/Name</c> with <c>Name1</c>..<c>Name6</c> and <c>NameType</c>, <c>NonLatinNames</c>,
/// <c>Addresses/Address</c>, <c>IndividualDetails/Individual</c>, <c>ShipDetails/Ship</c>, ...). Read designation by
/// designation with DTDs prohibited and nothing resolved.
/// </summary>
public static partial class UkSanctionsXmlParser
{
    /// <summary>Format id.</summary>
    public const string Format = "uk-sanctions";

    /// <summary>The list id UK entries get by default.</summary>
    public const string DefaultListId = "uk-sanctions";

    private const string DateGenerated = "DateGenerated";

    private static readonly HashSet<string> RecordNames = [DateGenerated, "Designation"];

    // Element holding an identifier (wherever it sits in the designation) → the label the other lists use for it.
    private static readonly (string Element, string Label)[] IdentifierElements =
    [
        ("PassportNumber", "Passport"), ("NationalIdentifierNumber", "National ID No."), ("IMONumber", "IMO"),
        ("BusinessRegistrationNumber", "Registration Number"), ("UNReferenceNumber", "UN Reference Number"), ("OFSIGroupID", "OFSI Group ID"),
    ];

    private static readonly string[] AddressParts =
        ["AddressLine1", "AddressLine2", "AddressLine3", "AddressLine4", "AddressLine5", "AddressLine6", "AddressPostalCode", "AddressCountry"];

    // The list writes unknown parts of a date as the letters "dd" and "mm": dd/mm/1945 is the year 1945.
    [GeneratedRegex(@"^(?<day>\d{1,2}|dd)/(?<month>\d{1,2}|mm)/(?<year>\d{4})$", RegexOptions.IgnoreCase)]
    private static partial Regex UkDate();

    [GeneratedRegex(@"^IMO\s*", RegexOptions.IgnoreCase)]
    private static partial Regex ImoPrefix();

    /// <summary>Streams the entries of one UK Sanctions List XML file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        NodaTime.LocalDate? sourceDate = null;
        foreach (var (element, line) in Read(path, "Designations", "a UK Sanctions List XML file", RecordNames))
        {
            switch (element.Name.LocalName)
            {
                case DateGenerated:
                    sourceDate = ToLocalDate(element.Value.Trim());
                    break;
                case "Designation":
                    yield return ToEntity(element, list, sourceDate, path, line);
                    break;
            }
        }
    }

    private static ListEntity ToEntity(XElement record, string listId, NodaTime.LocalDate? sourceDate, string path, long line)
    {
        var id = ChildText(record, "UniqueID") ?? throw new ListFormatException(path, line, "UniqueID", "the Designation has no UniqueID");
        var names = Children(record, "Names").SelectMany(n => Children(n, "Name")).Select(ToName).OfType<Name>().ToList();
        if (names.Count == 0)
            throw new ListFormatException(path, line, "Names", $"designation {id} has no name");
        var primary = names.FirstOrDefault(n => n.IsPrimary) ?? names[0];
        var entity = new EntityBuilder(listId, id, KindOf(ChildText(record, "IndividualEntityShip")), primary.Text) { SourceDate = sourceDate };
        foreach (var name in names)
            entity.AddAlias(name.Text, name.Strength);
        foreach (var original in Descendants(record, "NameNonLatinScript"))
            entity.AddAlias(original.Value, AliasStrength.Strong);

        foreach (var address in Children(record, "Addresses").SelectMany(a => Children(a, "Address")))
        {
            entity.AddAddress(string.Join(", ", AddressParts.Select(p => ChildText(address, p)).OfType<string>()));
            entity.AddCountry(ChildText(address, "AddressCountry"));
        }
        foreach (var dob in Descendants(record, "DOB"))
            entity.AddBirthDates(BirthDate(dob.Value.Trim()));
        foreach (var countryElement in new[] { "Nationality", "CountryOfBirth", "CurrentBelievedFlagOfShip" })
        {
            foreach (var country in Descendants(record, countryElement))
                entity.AddCountry(country.Value);
        }
        foreach (var (element, label) in IdentifierElements)
        {
            foreach (var identifier in Descendants(record, element))
                entity.AddIdentifier(label, label == "IMO" ? ImoPrefix().Replace(identifier.Value.Trim(), "") : identifier.Value, null);
        }
        foreach (var regime in Descendants(record, "RegimeName"))
            entity.AddProgram(regime.Value);
        entity.Remarks = ChildText(record, "OtherInformation");
        return entity.Build();
    }

    private sealed record Name(string Text, AliasStrength Strength, bool IsPrimary);

    /// <summary>
    /// Name1..Name5 are the given names (or parts of an entity name), Name6 the family name or the whole entity name.
    /// NameType is spelled with varying case ("Primary name", "ALias"); AliasStrength "Low quality a.k.a" makes a weak alias.
    /// </summary>
    private static Name? ToName(XElement name)
    {
        var parts = new[] { "Name1", "Name2", "Name3", "Name4", "Name5", "Name6" }.Select(p => ChildText(name, p)).OfType<string>();
        var text = string.Join(' ', parts);
        if (text.Length == 0)
            return null;
        var type = ChildText(name, "NameType")?.ToLowerInvariant();
        var weak = ChildText(name, "AliasStrength")?.Contains("low quality", StringComparison.OrdinalIgnoreCase) == true;
        return new Name(text, weak ? AliasStrength.Weak : AliasStrength.Strong, type == "primary name");
    }

    private static EntityKind KindOf(string? individualEntityShip) => individualEntityShip?.ToLowerInvariant() switch
    {
        "individual" => EntityKind.Person,
        "entity" => EntityKind.Organization,
        "ship" => EntityKind.Vessel,
        _ => EntityKind.Unknown,
    };

    /// <summary>dd/mm/yyyy with "dd"/"mm" for unknown parts → an ISO partial date; other spellings go to PartialDates as they are.</summary>
    private static string BirthDate(string text)
    {
        var m = UkDate().Match(text);
        if (!m.Success)
            return text;
        var year = m.Groups["year"].Value;
        if (!int.TryParse(m.Groups["month"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var month))
            return year;
        return int.TryParse(m.Groups["day"].Value, NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            ? $"{year}-{month:00}-{day:00}"
            : $"{year}-{month:00}";
    }

    private static NodaTime.LocalDate? ToLocalDate(string text) =>
        DateOnly.TryParseExact(text, ["dd/MM/yyyy", "d/M/yyyy"], CultureInfo.InvariantCulture, DateTimeStyles.None, out var d)
            ? new NodaTime.LocalDate(d.Year, d.Month, d.Day)
            : PartialDates.ToLocalDate(text);
}
