using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class OwnCsvParserTests
{
    [Fact]
    public void Parse_DocumentedLayout_ReadsEveryColumn()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("own.csv", """
            id,name,kind,aliases,weak_aliases,countries,birth_dates,identifiers,programs,addresses,remarks
            C-1,"Tokyo Trading Co., Ltd.",organization,東京貿易株式会社; TTC Japan,TTC,JP; Korea North,,"Registration Number: 0100-01-123456 (JP)",internal-blacklist,"1-1 Marunouchi, Tokyo",Payment fraud 2023
            P-7,KIM Chol,person,김철,,KP,1965-03-12; 1966,Passport: 123456789 (KP),,,
            """);

        var entities = OwnCsvParser.Parse(path, "acme").ToList();

        Assert.Equal(2, entities.Count);
        var company = entities[0];
        Assert.Equal(("acme", "C-1", EntityKind.Organization, "Tokyo Trading Co., Ltd."), (company.ListId, company.EntityId, company.Kind, company.PrimaryName));
        Assert.Equal(["1-1 Marunouchi, Tokyo"], company.Addresses);
        Assert.Equal(["JP", "KP"], company.Countries);
        Assert.Empty(company.BirthDates);
        Assert.Equal([new EntityIdentifier("Registration Number", "0100-01-123456", "JP")], company.Identifiers);
        Assert.Equal(["internal-blacklist"], company.Programs);
        Assert.Equal("Payment fraud 2023", company.Remarks);
        Assert.Equal([new EntityAlias("東京貿易株式会社", AliasStrength.Strong), new EntityAlias("TTC Japan", AliasStrength.Strong), new EntityAlias("TTC", AliasStrength.Weak)], company.Aliases);
        Assert.Equal(["1965-03-12", "1966"], entities[1].BirthDates);
        Assert.Equal(EntityKind.Person, entities[1].Kind);
    }

    [Fact]
    public void Parse_ListColumn_OverridesDefault()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("own.csv", "list,id,name\nvip,1,A\n,2,B\n");

        var entities = OwnCsvParser.Parse(path).ToList();

        Assert.Equal(["vip", "own"], entities.Select(e => e.ListId));
    }

    [Theory]
    [InlineData("id,name,colour\n1,A,red\n", 1, "colour")]
    [InlineData("name\nA\n", 1, "id")]
    [InlineData("id,name,kind\n1,A,robot\n", 2, "kind")]
    [InlineData("id,name,countries\n1,A,Atlantis\n", 2, "countries")]
    [InlineData("id,name,birth_dates\n1,A,someday\n", 2, "birth_dates")]
    [InlineData("id,name,identifiers\n1,A,123456\n", 2, "identifiers")]
    [InlineData("id,name\n1,A\n1,B\n", 3, "id")]
    [InlineData("id,name\n1,\n", 2, "name")]
    public void Parse_BadInput_NamesLineAndField(string content, int line, string field)
    {
        using var dir = new TempDirectory();
        var path = dir.Write("own.csv", content);

        var e = Assert.Throws<ListFormatException>(() => OwnCsvParser.Parse(path).ToList());

        Assert.Equal(line, e.Line);
        Assert.Equal(field, e.Field);
    }

    [Fact]
    public void Parse_WrongColumnCount_NamesLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("own.csv", "id,name\n1,A\n2,B,extra\n");

        var e = Assert.Throws<ListFormatException>(() => OwnCsvParser.Parse(path).ToList());

        Assert.Equal(3, e.Line);
    }
}
