using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class MetiEulParserTests
{
    [Fact]
    public void Parse_MetiLayout2025_ReadsAllEntries()
    {
        var entities = MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")).ToList();

        Assert.Equal(835, entities.Count);
        Assert.All(entities, e => Assert.Equal("meti-eul", e.ListId));
        Assert.All(entities, e => Assert.Single(e.Countries));
        Assert.Equal(new NodaTime.LocalDate(2025, 9, 29), entities[0].SourceDate);
    }

    [Fact]
    public void Parse_Beihang2025_HasAliasesOriginalScriptAndConcerns()
    {
        // In the revision of 29 Sep 2025 Beihang is No. 501 (it was No. 460 in the 2024-04 revision).
        var beihang = Assert.Single(MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")), e => e.EntityId == "501");

        Assert.Equal("Beijing University of Aeronautics and Astronautics (BUAA) (北京航空航天大学)", beihang.PrimaryName);
        Assert.Equal(EntityKind.Organization, beihang.Kind);
        Assert.Equal(["CN"], beihang.Countries);
        Assert.Contains(new EntityAlias("Beihang University", AliasStrength.Strong), beihang.Aliases);
        Assert.Contains(new EntityAlias("Beijing University of Aeronautics and Astronautics", AliasStrength.Strong), beihang.Aliases);
        Assert.Contains(new EntityAlias("北京航空航天大学", AliasStrength.Strong), beihang.Aliases);
        Assert.Contains(new EntityAlias("BUAA", AliasStrength.Weak), beihang.Aliases);
        Assert.Equal(["missile", "conventional-weapons"], beihang.Programs);
    }

    [Fact]
    public void Parse_NameMergedIntoCountryCell_SplitsKnownCountryOff()
    {
        // 587,People's Republic of China Sky Rise Technology Ltd.,,Sky Rise Tech,...
        var entry = Assert.Single(MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv")), e => e.EntityId == "587");

        Assert.Equal("Sky Rise Technology Ltd.", entry.PrimaryName);
        Assert.Equal(["CN"], entry.Countries);
        Assert.Contains(new EntityAlias("Sky Rise Tech", AliasStrength.Strong), entry.Aliases);
    }

    [Fact]
    public void Parse_NameIndex_GroupsRowsByEulId()
    {
        var entities = MetiEulParser.Parse(SharedListFiles.Path("meti_eul", "meti_eul_names_2024-04.csv")).ToList();

        Assert.Equal(706, entities.Count);
        var beihang = Assert.Single(entities, e => e.EntityId == "460");
        Assert.Equal("BEIJING UNIVERSITY OF AERONAUTICS AND ASTRONAUTICS (BUAA) (北京航空航天大学)", beihang.PrimaryName);
        Assert.Contains(new EntityAlias("BEIHANG UNIVERSITY", AliasStrength.Strong), beihang.Aliases);
    }

    [Fact]
    public void Parse_UnknownHeader_ListsExpectedLayouts()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eul.csv", "name,id\nX,1\n");

        var e = Assert.Throws<ListFormatException>(() => MetiEulParser.Parse(path).ToList());

        Assert.Equal(1, e.Line);
        Assert.Contains("Company or Organization", e.Message);
    }

    [Fact]
    public void Parse_RowWithExtraColumn_NamesLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("eul.csv", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n1,Iran,Good Co,,N\n2,Iran,Bad Co,,N,extra\n");

        var e = Assert.Throws<ListFormatException>(() => MetiEulParser.Parse(path).ToList());

        Assert.Equal(3, e.Line);
        Assert.Contains("expected 5 columns", e.Message);
    }
}
