using System.Xml;
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

    /// <summary>Reader settings for every XML list file: no DTD, no external resolution, no entity expansion.</summary>
    internal static XmlReaderSettings SafeSettings { get; } = new()
    {
        DtdProcessing = DtdProcessing.Prohibit,
        XmlResolver = null,
        MaxCharactersFromEntities = 1024, // defence in depth: with DTDs prohibited no entity can be declared at all
        IgnoreComments = true,
        IgnoreWhitespace = true,
        IgnoreProcessingInstructions = true,
        CloseInput = true,
    };

    /// <summary>Streams the entries of one consolidated list file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        using var reader = Open(path);
        var lineInfo = (IXmlLineInfo)reader;
        NodaTime.LocalDate? sourceDate = null;
        var rootSeen = false;
        var positioned = false; // XNode.ReadFrom leaves the reader on the node after the record
        while (true)
        {
            XElement? record = null;
            long line = 0;
            try
            {
                while (record is null)
                {
                    if (!positioned && !reader.Read())
                        break;
                    positioned = false;
                    if (reader.NodeType != XmlNodeType.Element)
                        continue;
                    if (!rootSeen)
                    {
                        if (reader.LocalName != "CONSOLIDATED_LIST")
                            throw new ListFormatException(path, lineInfo.LineNumber, reader.LocalName, "the root element is not CONSOLIDATED_LIST: not a UN consolidated list");
                        rootSeen = true;
                        sourceDate = PartialDates.ToLocalDate(reader.GetAttribute("dateGenerated"));
                        continue;
                    }
                    if (reader.LocalName is "INDIVIDUAL" or "ENTITY")
                    {
                        line = lineInfo.LineNumber;
                        record = (XElement)XNode.ReadFrom(reader);
                        positioned = true;
                    }
                }
            }
            catch (XmlException e)
            {
                throw new ListFormatException(path, e.LineNumber > 0 ? e.LineNumber : LineOfDoctype(path, lineInfo.LineNumber), null, XmlProblem(e), e);
            }
            catch (System.Text.DecoderFallbackException e)
            {
                throw new ListFormatException(path, lineInfo.LineNumber, null, "bytes that are not valid in the declared encoding: the file is in another encoding or damaged", e);
            }
            if (record is null)
                break;
            yield return ToEntity(record, list, sourceDate, path, line);
        }
        if (!rootSeen)
            throw new ListFormatException(path, 0, null, "no XML element in the file");
    }

    private static XmlReader Open(string path)
    {
        try
        {
            return XmlReader.Create(new FileStream(path, FileMode.Open, FileAccess.Read, FileShare.Read, 1 << 16), SafeSettings);
        }
        catch (Exception e) when (e is IOException or UnauthorizedAccessException)
        {
            throw new ListFormatException(path, 0, null, $"cannot open the file: {e.Message}", e);
        }
    }

    /// <summary>.NET reports a prohibited DTD without position: find the DOCTYPE line (only on this error path).</summary>
    internal static long LineOfDoctype(string path, long fallback)
    {
        long number = 0;
        foreach (var line in File.ReadLines(path))
        {
            number++;
            if (line.Contains("<!DOCTYPE", StringComparison.Ordinal))
                return number;
        }
        return fallback;
    }

    /// <summary>Says in words why a hostile or damaged XML file is refused.</summary>
    internal static string XmlProblem(XmlException e) =>
        e.Message.Contains("DTD", StringComparison.OrdinalIgnoreCase)
            ? "the file declares a DTD, which list files never need and which can carry external-entity (XXE) or entity-expansion attacks: refused"
            : $"malformed XML (truncated file?): {e.Message}";

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
