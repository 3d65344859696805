using System.Globalization;
using System.Xml.Linq;
using static Clearance.Screening.Lists.XmlRecordReader;

namespace Clearance.Screening.Lists;

/// <summary>
/// The EU Financial Sanctions Files consolidated list, XML 1.1 (<c>xmlFullSanctionsList_1_1</c>): root <c>export</c>
/// (namespace <c>http://eu.europa.ec/fpi/fsd/export</c>, or none), one <c>sanctionEntity</c> per listed party, its data in
/// attributes of <c>nameAlias</c>, <c>birthdate</c>, <c>citizenship</c>, <c>address</c>, <c>identification</c> and
/// <c>regulation</c>. Read entity by entity with DTDs prohibited and nothing resolved.
/// </summary>
public static class EuFsfXmlParser
{
    /// <summary>Format id.</summary>
    public const string Format = "eu-fsf";

    /// <summary>The list id EU entries get by default.</summary>
    public const string DefaultListId = "eu-fsf";

    private static readonly HashSet<string> RecordNames = ["sanctionEntity"];

    // identificationTypeCode → the label the other lists use for the same document (OFAC's wording), so identifiers compare.
    private static readonly Dictionary<string, string> IdentifierLabels = new(StringComparer.OrdinalIgnoreCase)
    {
        ["passport"] = "Passport",
        ["id"] = "National ID No.",
        ["imo"] = "IMO",
        ["regnumber"] = "Registration Number",
        ["fiscalcode"] = "Tax ID No.",
        ["swiftbic"] = "SWIFT/BIC",
        ["ssn"] = "SSN",
        ["drivinglicence"] = "Driver's License No.",
        ["birthcert"] = "Birth Certificate Number",
    };

    /// <summary>Streams the entries of one EU FSF XML file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        NodaTime.LocalDate? sourceDate = null;
        foreach (var (element, line) in Read(path, "export", "an EU Financial Sanctions Files XML export", RecordNames))
        {
            if (element.Name.LocalName == "export")
            {
                sourceDate = PartialDates.ToLocalDate(Attribute(element, "generationDate"));
                continue;
            }
            yield return ToEntity(element, list, sourceDate, path, line);
        }
    }

    private static ListEntity ToEntity(XElement record, string listId, NodaTime.LocalDate? sourceDate, string path, long line)
    {
        var id = Attribute(record, "logicalId") ?? Attribute(record, "euReferenceNumber")
            ?? throw new ListFormatException(path, line, "logicalId", "the sanctionEntity has neither logicalId nor euReferenceNumber");
        var names = Children(record, "nameAlias").Select(ToName).OfType<Name>().ToList();
        if (names.Count == 0)
            throw new ListFormatException(path, line, "nameAlias", $"sanctionEntity {id} has no name");
        // The file marks no primary name: take the first strong Latin-script (no language or English) name, as the EU prints it.
        var primary = names.FirstOrDefault(n => n.Strength == AliasStrength.Strong && n.Language is null or "EN") ?? names[0];
        var entity = new EntityBuilder(listId, id, KindOf(record), primary.Text) { SourceDate = sourceDate };
        foreach (var name in names)
            entity.AddAlias(name.Text, name.Strength);

        foreach (var birth in Children(record, "birthdate"))
        {
            entity.AddBirthDates(BirthDate(birth));
            entity.AddCountry(Country(birth));
        }
        foreach (var citizenship in Children(record, "citizenship"))
            entity.AddCountry(Country(citizenship));
        foreach (var address in Children(record, "address"))
        {
            var description = Attribute(address, "countryDescription");
            var parts = new[] { Attribute(address, "street"), Attribute(address, "poBox"), Attribute(address, "zipCode"), Attribute(address, "city"),
                Attribute(address, "place"), Attribute(address, "region"), description == "UNKNOWN" ? null : description };
            entity.AddAddress(string.Join(", ", parts.OfType<string>()));
            entity.AddCountry(Country(address));
        }
        foreach (var document in Children(record, "identification"))
        {
            var code = Attribute(document, "identificationTypeCode");
            var label = (code is not null ? IdentifierLabels.GetValueOrDefault(code) : null)
                ?? Attribute(document, "identificationTypeDescription") ?? code ?? "Identification";
            var country = Country(document);
            entity.AddIdentifier(label, Attribute(document, "number"), country);
            entity.AddIdentifier(label, Attribute(document, "latinNumber"), country);
        }
        entity.AddIdentifier("EU Reference Number", Attribute(record, "euReferenceNumber"), null);
        entity.AddIdentifier("UN Reference Number", Attribute(record, "unitedNationId"), null);
        foreach (var regulation in Children(record, "regulation"))
            entity.AddProgram(Attribute(regulation, "programme"));
        var remarks = Children(record, "remark").Select(r => r.Value.Trim()).Where(r => r.Length > 0);
        entity.Remarks = string.Join("; ", remarks);
        return entity.Build();
    }

    private sealed record Name(string Text, AliasStrength Strength, string? Language);

    private static Name? ToName(XElement alias)
    {
        var text = Attribute(alias, "wholeName")
            ?? string.Join(' ', new[] { Attribute(alias, "firstName"), Attribute(alias, "middleName"), Attribute(alias, "lastName") }.OfType<string>());
        if (text.Length == 0)
            return null;
        // strong="false" is the EU's weak alias; a remark "low quality" on the alias says the same in words.
        var remark = ChildText(alias, "remark");
        var weak = string.Equals(Attribute(alias, "strong"), "false", StringComparison.OrdinalIgnoreCase)
            || (remark is not null && remark.Contains("low quality", StringComparison.OrdinalIgnoreCase));
        return new Name(text, weak ? AliasStrength.Weak : AliasStrength.Strong, Attribute(alias, "nameLanguage")?.ToUpperInvariant());
    }

    private static EntityKind KindOf(XElement record)
    {
        var subject = Children(record, "subjectType").FirstOrDefault();
        if (subject is null)
            return EntityKind.Unknown;
        return (Attribute(subject, "code")?.ToLowerInvariant(), Attribute(subject, "classificationCode")) switch
        {
            ("person", _) or (null, "P") => EntityKind.Person,
            ("enterprise", _) or (null, "E") => EntityKind.Organization,
            _ => EntityKind.Unknown,
        };
    }

    /// <summary>The birth date as text PartialDates reads: the full date, a year range, or year[-month[-day]] from the parts.</summary>
    private static string? BirthDate(XElement birth)
    {
        if (Attribute(birth, "birthdate") is { } full)
            return full;
        if (Attribute(birth, "yearRangeFrom") is { } from && Attribute(birth, "yearRangeTo") is { } to)
            return $"{from} to {to}";
        if (Attribute(birth, "year") is not { } year)
            return null;
        if (!int.TryParse(Attribute(birth, "monthOfYear"), NumberStyles.None, CultureInfo.InvariantCulture, out var month))
            return year;
        return int.TryParse(Attribute(birth, "dayOfMonth"), NumberStyles.None, CultureInfo.InvariantCulture, out var day)
            ? $"{year}-{month:00}-{day:00}"
            : $"{year}-{month:00}";
    }

    /// <summary>The ISO code when given ("00" means unknown), else the country's name ("UNKNOWN" means unknown).</summary>
    private static string? Country(XElement element)
    {
        var code = Attribute(element, "countryIso2Code");
        if (code is not null && code != "00")
            return code;
        var description = Attribute(element, "countryDescription");
        return description == "UNKNOWN" ? null : description;
    }
}
