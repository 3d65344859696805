using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class EuFsfXmlParserTests
{
    private static readonly string Sample = ListFixtures.Path("eu_fsf_sample.xml");

    private static ListEntity Entity(string logicalId) => Assert.Single(EuFsfXmlParser.Parse(Sample), e => e.EntityId == logicalId);

    [Fact]
    public void Parse_Sample_ReadsEveryEntityWithKindListAndGenerationDate()
    {
        var entities = EuFsfXmlParser.Parse(Sample).ToList();

        Assert.Equal(["90011", "90022", "90033"], entities.Select(e => e.EntityId));
        Assert.Equal([EntityKind.Person, EntityKind.Organization, EntityKind.Person], entities.Select(e => e.Kind));
        Assert.All(entities, e => Assert.Equal("eu-fsf", e.ListId));
        Assert.All(entities, e => Assert.Equal(new NodaTime.LocalDate(2026, 3, 14), e.SourceDate));
    }

    [Fact]
    public void Parse_Person_ReadsAliasesWithStrengthAndOriginalScript()
    {
        var person = Entity("90011");

        Assert.Equal("Ivan Petrovich Testov", person.PrimaryName);
        Assert.Equal(
            [new EntityAlias("Иван Петрович Тестов", AliasStrength.Strong), new EntityAlias("Vanya Testov", AliasStrength.Weak),
             new EntityAlias("Ivan Testoff", AliasStrength.Weak)],
            person.Aliases);
    }

    [Fact]
    public void Parse_Person_ReadsDatesCountriesIdentifiersProgrammesAndRemarks()
    {
        var person = Entity("90011");

        Assert.Equal(["1965-03-12", "1966"], person.BirthDates);
        Assert.Equal(["RU"], person.Countries);
        Assert.Equal(
            [new EntityIdentifier("Passport", "7512345678", "RU"), new EntityIdentifier("Tax ID No.", "771234567890", "RU"),
             new EntityIdentifier("EU Reference Number", "EU.9001.11", null)],
            person.Identifiers);
        Assert.Equal(["Test Street 1, 101000, Moscow, RUSSIAN FEDERATION"], person.Addresses);
        Assert.Equal(["UKR"], person.Programs);
        Assert.Equal("Fictitious person for parser tests.", person.Remarks);
    }

    [Fact]
    public void Parse_Organisation_LatinNameIsPrimaryAndHanziNameAStrongAlias()
    {
        var company = Entity("90022");

        Assert.Equal("Shenzhen Test Electronics Co., Ltd.", company.PrimaryName);
        Assert.Equal([new EntityAlias("深圳测试电子有限公司", AliasStrength.Strong), new EntityAlias("STE", AliasStrength.Weak)], company.Aliases);
        Assert.Equal(["CN", "HK"], company.Countries);
        Assert.Contains(new EntityIdentifier("Registration Number", "91440300MA5TEST01X", "CN"), company.Identifiers);
        Assert.Equal(["RUS", "UKR"], company.Programs);
        Assert.Null(company.Remarks);
    }

    [Fact]
    public void Parse_YearRangeAndDateParts_GiveEachYearAndAPartialDate()
    {
        var person = Entity("90033");

        Assert.Equal(["1970", "1971", "1972", "1969-07"], person.BirthDates);
        Assert.Equal(["IQ"], person.Countries); // "00"/UNKNOWN adds no country
        Assert.Contains(new EntityIdentifier("UN Reference Number", "QDi.999", null), person.Identifiers);
        Assert.Contains(new EntityAlias("أبو تستين", AliasStrength.Strong), person.Aliases);
    }

    [Fact]
    public void Parse_WithoutNamespace_ReadsTheSameEntries()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eu.xml", File.ReadAllText(Sample).Replace(" xmlns=\"http://eu.europa.ec/fpi/fsd/export\"", ""));

        var plain = EuFsfXmlParser.Parse(path).ToList();
        var namespaced = EuFsfXmlParser.Parse(Sample).ToList();

        Assert.Equal(namespaced.Select(e => (e.EntityId, e.PrimaryName, e.Aliases.Count, e.Identifiers.Count)),
            plain.Select(e => (e.EntityId, e.PrimaryName, e.Aliases.Count, e.Identifiers.Count)));
    }

    [Fact]
    public void Parse_GivenListId_FilesEntriesUnderIt()
    {
        Assert.All(EuFsfXmlParser.Parse(Sample, "eu-test"), e => Assert.Equal("eu-test", e.ListId));
    }

    [Fact]
    public void Parse_ExternalEntity_RefusedWithoutReadingTheTarget()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.ExternalEntity(dir, "export", "<sanctionEntity logicalId=\"1\"><nameAlias wholeName=\"&xxe;\"/></sanctionEntity>");

        var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

        Assert.Contains("DTD", e.Message);
        Assert.DoesNotContain("TOP SECRET", e.Message);
        Assert.Equal(path, e.File);
        Assert.Equal(2, e.Line);
    }

    [Fact]
    public void Parse_BillionLaughs_RefusedBeforeExpansion()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.BillionLaughs(dir, "export");

        var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

        Assert.Contains("entity-expansion", e.Message);
    }

    [Fact]
    public void Parse_TruncatedFile_NamesFileAndLineAfterTheCompleteEntries()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.Truncated(dir, Sample, 30); // cut inside the second sanctionEntity
        var read = new List<ListEntity>();

        var e = Assert.Throws<ListFormatException>(() => read.AddRange(EuFsfXmlParser.Parse(path)));

        Assert.Contains("truncated", e.Message);
        Assert.Equal(path, e.File);
        Assert.True(e.Line >= 28, $"line {e.Line}");
        Assert.Equal(["90011"], read.Select(r => r.EntityId)); // the import as a whole is rolled back by the store
    }

    [Fact]
    public void Parse_OtherRootElement_RefusedNamingTheRoot()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("un.xml", "<?xml version=\"1.0\"?>\n<CONSOLIDATED_LIST><INDIVIDUALS/></CONSOLIDATED_LIST>");

        var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

        Assert.Equal("CONSOLIDATED_LIST", e.Field);
        Assert.Equal(2, e.Line);
        Assert.StartsWith(path + ":2:", e.Message);
    }

    [Fact]
    public void Parse_EntityWithoutName_NamesLineAndField()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eu.xml", "<?xml version=\"1.0\"?>\n<export>\n<sanctionEntity logicalId=\"7\">\n<subjectType code=\"person\"/>\n</sanctionEntity>\n</export>");

        var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

        Assert.Equal(("nameAlias", 3L), (e.Field, e.Line));
    }

    [Fact]
    public void Parse_EntityWithoutId_NamesLineAndField()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eu.xml", "<?xml version=\"1.0\"?>\n<export>\n<sanctionEntity>\n<nameAlias wholeName=\"X\"/>\n</sanctionEntity>\n</export>");

        var e = Assert.Throws<ListFormatException>(() => EuFsfXmlParser.Parse(path).ToList());

        Assert.Equal(("logicalId", 3L), (e.Field, e.Line));
    }
}
