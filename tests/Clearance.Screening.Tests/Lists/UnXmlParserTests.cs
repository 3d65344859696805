using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class UnXmlParserTests
{
    private static readonly string UnFile = SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml");

    [Fact]
    public void Parse_ConsolidatedList_ReadsIndividualsAndEntities()
    {
        var entities = UnXmlParser.Parse(UnFile).ToList();

        Assert.Equal(730, entities.Count(e => e.Kind == EntityKind.Person));
        Assert.Equal(273, entities.Count(e => e.Kind == EntityKind.Organization));
        Assert.All(entities, e => Assert.Equal("un-sc", e.ListId));
        Assert.Equal(new NodaTime.LocalDate(2026, 2, 27), entities[0].SourceDate);
    }

    [Fact]
    public void Parse_Individual_ReadsNamesScriptAliasQualityDatesAndCountries()
    {
        var zidane = Assert.Single(UnXmlParser.Parse(UnFile), e => e.EntityId == "QDi.001");

        Assert.Equal("MOHAMMED SALAHALDIN ABD EL HALIM ZIDANE", zidane.PrimaryName);
        Assert.Contains(new EntityAlias("محمد صلاح الدين عبدالحليم زيدان", AliasStrength.Strong), zidane.Aliases);
        Assert.Contains(new EntityAlias("Sayf-Al Adl", AliasStrength.Strong), zidane.Aliases);
        Assert.Contains(new EntityAlias("Seif al Adel", AliasStrength.Weak), zidane.Aliases);
        Assert.Equal(["1963-04-11", "1960-04-11"], zidane.BirthDates);
        Assert.Equal(["EG"], zidane.Countries);
        Assert.Equal(["Al-Qaida"], zidane.Programs);
    }

    [Fact]
    public void Parse_DocumentsAndYearRanges_BecomeIdentifiersAndYears()
    {
        var entities = UnXmlParser.Parse(UnFile).ToList();

        Assert.Contains(entities, e => e.Identifiers.Contains(new EntityIdentifier("Passport", "OB 0243318", "CD")));
        Assert.Contains(entities, e => e.BirthDates.SequenceEqual(["1967", "1968", "1969"]));
    }

    [Fact]
    public void Parse_ExternalEntity_RefusedWithoutReadingTheTarget()
    {
        using var dir = new TempDirectory();
        var secret = dir.Write("secret.txt", "TOP SECRET");
        var path = dir.Write("xxe.xml", $"""
            <?xml version="1.0"?>
            <!DOCTYPE CONSOLIDATED_LIST [ <!ENTITY xxe SYSTEM "file://{secret}"> ]>
            <CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>&xxe;</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>
            """);

        var e = Assert.Throws<ListFormatException>(() => UnXmlParser.Parse(path).ToList());

        Assert.Contains("DTD", e.Message);
        Assert.DoesNotContain("TOP SECRET", e.Message);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Parse_BillionLaughs_RefusedBeforeExpansion()
    {
        using var dir = new TempDirectory();
        var entities = string.Join("\n", Enumerable.Range(1, 9).Select(i => $"<!ENTITY lol{i} \"{string.Concat(Enumerable.Repeat($"&lol{i - 1};", 10))}\">"));
        var path = dir.Write("lol.xml", $"<?xml version=\"1.0\"?>\n<!DOCTYPE lolz [\n<!ENTITY lol0 \"lol\">\n{entities}\n]>\n<CONSOLIDATED_LIST>&lol9;</CONSOLIDATED_LIST>\n");

        var e = Assert.Throws<ListFormatException>(() => UnXmlParser.Parse(path).ToList());

        Assert.Contains("entity-expansion", e.Message);
    }

    [Fact]
    public void Parse_TruncatedFile_NamesLineAndImportsNothing()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(UnFile).Take(200).ToList();
        var path = dir.Write("un.xml", string.Join("\n", lines));
        var read = new List<ListEntity>();

        var e = Assert.Throws<ListFormatException>(() => read.AddRange(UnXmlParser.Parse(path)));

        Assert.Contains("truncated", e.Message);
        Assert.True(e.Line >= 190, $"line {e.Line}");
    }

    [Fact]
    public void Parse_OtherRootElement_Refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("other.xml", "<?xml version=\"1.0\"?>\n<export><entity/></export>");

        var e = Assert.Throws<ListFormatException>(() => UnXmlParser.Parse(path).ToList());

        Assert.Equal("export", e.Field);
    }

    [Fact]
    public void Parse_Latin1BytesInUtf8File_RefusedAsWrongEncoding()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("un.xml", [.. "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST><INDIVIDUALS><INDIVIDUAL><REFERENCE_NUMBER>X.1</REFERENCE_NUMBER><FIRST_NAME>JOS"u8, 0xC9, .. "</FIRST_NAME></INDIVIDUAL></INDIVIDUALS></CONSOLIDATED_LIST>"u8]);

        Assert.Throws<ListFormatException>(() => UnXmlParser.Parse(path).ToList());
    }
}
