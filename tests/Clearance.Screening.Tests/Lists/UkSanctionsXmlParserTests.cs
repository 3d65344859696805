using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class UkSanctionsXmlParserTests
{
    private static readonly string Sample = ListFixtures.Path("uk_sanctions_sample.xml");

    private static ListEntity Entity(string uniqueId) => Assert.Single(UkSanctionsXmlParser.Parse(Sample), e => e.EntityId == uniqueId);

    [Fact]
    public void Parse_Sample_ReadsIndividualEntityAndShipWithDateGenerated()
    {
        var entities = UkSanctionsXmlParser.Parse(Sample).ToList();

        Assert.Equal(["AFG9001", "DPR9002", "RUS9003"], entities.Select(e => e.EntityId));
        Assert.Equal([EntityKind.Person, EntityKind.Organization, EntityKind.Vessel], entities.Select(e => e.Kind));
        Assert.All(entities, e => Assert.Equal("uk-sanctions", e.ListId));
        Assert.All(entities, e => Assert.Equal(new NodaTime.LocalDate(2026, 3, 14), e.SourceDate));
    }

    [Fact]
    public void Parse_Individual_JoinsNamePartsAndReadsAliasStrengthAndNonLatinName()
    {
        var person = Entity("AFG9001");

        Assert.Equal("MOHAMMAD TESTI EXAMPLEZAI", person.PrimaryName);
        Assert.Equal(
            [new EntityAlias("Mohammed Testy Examplezay", AliasStrength.Strong), new EntityAlias("Haji Testi", AliasStrength.Strong),
             new EntityAlias("Mullah Test", AliasStrength.Weak), new EntityAlias("محمد تستي", AliasStrength.Strong)],
            person.Aliases);
    }

    [Fact]
    public void Parse_Individual_ReadsPartialBirthDatesCountriesIdentifiersAndRegime()
    {
        var person = Entity("AFG9001");

        Assert.Equal(["1945", "1946-03-15", "1947-07"], person.BirthDates);
        Assert.Equal(["AF"], person.Countries);
        Assert.Equal(
            [new EntityIdentifier("Passport", "OA 123456", null), new EntityIdentifier("UN Reference Number", "TAi.999", null),
             new EntityIdentifier("OFSI Group ID", "99001", null)],
            person.Identifiers);
        Assert.Equal(["Test Street 5, Kabul, Afghanistan"], person.Addresses);
        Assert.Equal(["The Afghanistan (Sanctions) (EU Exit) Regulations 2020"], person.Programs);
        Assert.Equal("Fictitious person for parser tests.", person.Remarks);
    }

    [Fact]
    public void Parse_Entity_ReadsHangulNameAddressCountryAndRegistrationNumber()
    {
        var company = Entity("DPR9002");

        Assert.Equal("KOREA TEST TRADING CORPORATION", company.PrimaryName);
        Assert.Equal([new EntityAlias("KTTC", AliasStrength.Strong), new EntityAlias("조선시험무역회사", AliasStrength.Strong)], company.Aliases);
        Assert.Equal(["KP"], company.Countries);
        Assert.Equal(["Test-dong, Central District, Pyongyang, North Korea"], company.Addresses);
        Assert.Contains(new EntityIdentifier("Registration Number", "KP-TEST-0042", null), company.Identifiers);
        Assert.Empty(company.BirthDates);
    }

    [Fact]
    public void Parse_Ship_ReadsImoWithoutPrefixAndFlag()
    {
        var ship = Entity("RUS9003");

        Assert.Equal("TEST STAR", ship.PrimaryName);
        Assert.Equal([new EntityIdentifier("IMO", "9999990", null)], ship.Identifiers);
        Assert.Equal(["CM"], ship.Countries);
        Assert.Equal("Fictitious tanker.", ship.Remarks);
    }

    [Fact]
    public void Parse_NoPrimaryName_TakesTheFirstName()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("uk.xml", """
            <?xml version="1.0"?>
            <Designations><Designation><UniqueID>X1</UniqueID><IndividualEntityShip>Entity</IndividualEntityShip>
            <Names><Name><Name6>Only An Alias</Name6><NameType>Alias</NameType></Name><Name><Name6>Second</Name6><NameType>Alias</NameType></Name></Names>
            </Designation></Designations>
            """);

        var entity = Assert.Single(UkSanctionsXmlParser.Parse(path));

        Assert.Equal(("Only An Alias", null), (entity.PrimaryName, entity.SourceDate));
        Assert.Equal([new EntityAlias("Second", AliasStrength.Strong)], entity.Aliases);
    }

    [Fact]
    public void Parse_ExternalEntity_RefusedWithoutReadingTheTarget()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.ExternalEntity(dir, "Designations", "<Designation><UniqueID>X</UniqueID><Names><Name><Name6>&xxe;</Name6></Name></Names></Designation>");

        var e = Assert.Throws<ListFormatException>(() => UkSanctionsXmlParser.Parse(path).ToList());

        Assert.Contains("DTD", e.Message);
        Assert.DoesNotContain("TOP SECRET", e.Message);
        Assert.Equal((path, 2L), (e.File, e.Line));
    }

    [Fact]
    public void Parse_BillionLaughs_RefusedBeforeExpansion()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.BillionLaughs(dir, "Designations");

        var e = Assert.Throws<ListFormatException>(() => UkSanctionsXmlParser.Parse(path).ToList());

        Assert.Contains("entity-expansion", e.Message);
    }

    [Fact]
    public void Parse_TruncatedFile_NamesFileAndLineAfterTheCompleteDesignations()
    {
        using var dir = new TempDirectory();
        var path = HostileXml.Truncated(dir, Sample, 100); // cut inside the second Designation
        var read = new List<ListEntity>();

        var e = Assert.Throws<ListFormatException>(() => read.AddRange(UkSanctionsXmlParser.Parse(path)));

        Assert.Contains("truncated", e.Message);
        Assert.Equal(path, e.File);
        Assert.True(e.Line >= 98, $"line {e.Line}");
        Assert.Equal(["AFG9001"], read.Select(r => r.EntityId));
    }

    [Fact]
    public void Parse_OtherRootElement_RefusedNamingTheRoot()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("conlist.xml", "<?xml version=\"1.0\"?>\n<ArrayOfFinancialSanctionsTarget/>");

        var e = Assert.Throws<ListFormatException>(() => UkSanctionsXmlParser.Parse(path).ToList());

        Assert.Equal(("ArrayOfFinancialSanctionsTarget", 2L), (e.Field, e.Line));
        Assert.Contains("UK Sanctions List", e.Message);
    }

    [Fact]
    public void Parse_DesignationWithoutUniqueId_NamesLineAndField()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("uk.xml", "<?xml version=\"1.0\"?>\n<Designations>\n<Designation>\n<Names><Name><Name6>X</Name6></Name></Names>\n</Designation>\n</Designations>");

        var e = Assert.Throws<ListFormatException>(() => UkSanctionsXmlParser.Parse(path).ToList());

        Assert.Equal(("UniqueID", 3L), (e.Field, e.Line));
    }

    [Fact]
    public void Parse_Latin1BytesInUtf8File_RefusedAsWrongEncoding()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("uk.xml", [.. "<?xml version=\"1.0\" encoding=\"utf-8\"?>\n<Designations><Designation><UniqueID>X</UniqueID><Names><Name><Name6>JOS"u8, 0xC9, .. "</Name6></Name></Names></Designation></Designations>"u8]);

        var e = Assert.Throws<ListFormatException>(() => UkSanctionsXmlParser.Parse(path).ToList());

        Assert.Equal(path, e.File);
    }
}
