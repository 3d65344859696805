using System.Xml.Linq;

namespace Clearance.Screening.Lists;

/// <summary>
/// The UN Security Council Consolidated List XML (CONSOLIDATED_LIST with INDIVIDUALS and ENTITIES). Read record by record
/// with an XmlReader that prohibits DTDs and resolves nothing, so XXE and entity-expansion files are refused.
/// </summary>
public static class UnXmlParser
{
    /// <summary>Format id.</summary>
    public const string Format = "un-xml";

    /// <summary>The list id UN entries get by default.</summary>
    public const string DefaultListId = "un-sc";

    private static readonly IReadOnlySet<string> Records = new HashSet<string>(StringComparer.Ordinal) { "INDIVIDUAL", "ENTITY" };

    /// <summary>Streams the entries of one consolidated list file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        NodaTime.LocalDate? sourceDate = null;
        var first = true;
        foreach (var record in XmlRecordReader.Read(path, "CONSOLIDATED_LIST", "a UN consolidated list", Records))
        {
            if (first)
            {
                // The reader yields the root first, with its attributes.
                first = false;
                sourceDate = PartialDates.ToLocalDate(record.Element.Attribute("dateGenerated")?.Value);
                continue;
            }

            yield return ToEntity(record.Element, list, sourceDate, path, record.Line);
        }
    }

    private static ListEntity ToEntity(XElement record, string listId, NodaTime.LocalDate? sourceDate, string path, long line)
    {
        var isPerson = record.Name.LocalName == "INDIVIDUAL";
        var reference = Text(record, "REFERENCE_NUMBER") ?? Text(record, "DATAID")
            ?? throw new ListFormatException(path, line, "REFERENCE_NUMBER", "the record has neither REFERENCE_NUMBER nor DATAID");
        var nameParts = new[] { "FIRST_NAME", "SECOND_NAME", "THIRD_NAME", "FOURTH_NAME" }.Select(n => Text(record, n)).OfType<string>();
        var name = string.Join(' ', nameParts);
        if (name.Length == 0)
            throw new ListFormatException(path, line, "FIRST_NAME", $"record {reference} has no name");
        var entity = new EntityBuilder(listId, reference, isPerson ? EntityKind.Person : EntityKind.Organization, name) { SourceDate = sourceDate };
        entity.AddAlias(Text(record, "NAME_ORIGINAL_SCRIPT"), AliasStrength.Strong);
        foreach (var alias in record.Elements(isPerson ? "INDIVIDUAL_ALIAS" : "ENTITY_ALIAS"))
            entity.AddAlias(Text(alias, "ALIAS_NAME"), Text(alias, "QUALITY") == "Low" ? AliasStrength.Weak : AliasStrength.Strong);
        foreach (var value in record.Elements("NATIONALITY").Elements("VALUE"))
            entity.AddCountry(value.Value);
        foreach (var address in record.Elements(isPerson ? "INDIVIDUAL_ADDRESS" : "ENTITY_ADDRESS"))
        {
            var parts = new[] { "STREET", "CITY", "STATE_PROVINCE", "ZIP_CODE", "COUNTRY" }.Select(n => Text(address, n)).OfType<string>();
            entity.AddAddress(string.Join(", ", parts));
            entity.AddCountry(Text(address, "COUNTRY"));
        }
        foreach (var birthPlace in record.Elements("INDIVIDUAL_PLACE_OF_BIRTH"))
            entity.AddCountry(Text(birthPlace, "COUNTRY"));
        foreach (var birth in record.Elements("INDIVIDUAL_DATE_OF_BIRTH"))
            AddBirthDate(entity, birth);
        foreach (var document in record.Elements("INDIVIDUAL_DOCUMENT"))
        {
            var type = Text(document, "TYPE_OF_DOCUMENT") ?? Text(document, "TYPE_OF_DOCUMENT2") ?? "Document";
            entity.AddIdentifier(type, Text(document, "NUMBER"), Text(document, "ISSUING_COUNTRY") ?? Text(document, "COUNTRY_OF_ISSUE"));
        }
        entity.AddProgram(Text(record, "UN_LIST_TYPE"));
        entity.Remarks = Text(record, "COMMENTS1");
        return entity.Build();
    }

    private static void AddBirthDate(EntityBuilder entity, XElement birth)
    {
        var from = Text(birth, "FROM_YEAR");
        var to = Text(birth, "TO_YEAR");
        if (from is not null && to is not null)
        {
            entity.AddBirthDates($"{from} to {to}");
            return;
        }
        entity.AddBirthDates(Text(birth, "DATE") ?? Text(birth, "YEAR"));
    }

    private static string? Text(XElement parent, string name)
    {
        var value = parent.Element(name)?.Value.Trim();
        return string.IsNullOrEmpty(value) ? null : value;
    }
}
