using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class FtmParserTests
{
    [Fact]
    public void Parse_EntitiesFile_KeepsPartiesAndSkipsAddresses()
    {
        var entities = FtmParser.Parse(SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json")).ToList();

        Assert.DoesNotContain(entities, e => e.EntityId == "NK-2MQE6AmhAk4tqhENJAMUG9"); // schema Address
        var tobacco = Assert.Single(entities, e => e.EntityId == "NK-2GdmHtZTeNXjNVrBGEXZNj");
        Assert.Equal("RAB „Inter Tobacco“", tobacco.PrimaryName);
        Assert.Equal(EntityKind.Organization, tobacco.Kind);
        Assert.Contains(new EntityAlias("Общество с ограниченной ответственностью “Интер Тобако”", AliasStrength.Strong), tobacco.Aliases);
        Assert.Equal(["BY"], tobacco.Countries);
        Assert.Contains(new EntityIdentifier("Registration Number", "808000714", null), tobacco.Identifiers);
        var kuzmenko = Assert.Single(entities, e => e.EntityId == "NK-2Ka3UvopqbpZmVDFjWd4LA");
        Assert.Equal(EntityKind.Person, kuzmenko.Kind);
        Assert.Equal(["1971-01-22"], kuzmenko.BirthDates);
        Assert.Equal(["RU"], kuzmenko.Countries);
    }

    [Fact]
    public void Parse_ZalaGraph_KeepsPersonsAndCompaniesOnly()
    {
        var entities = FtmParser.Parse(SharedListFiles.Path("opensanctions_ftm", "zala_entities.ftm.json")).ToList();

        Assert.Equal(6, entities.Count(e => e.Kind == EntityKind.Person));
        Assert.Equal(11, entities.Count(e => e.Kind == EntityKind.Organization));
        Assert.Equal(17, entities.Count);
    }

    [Fact]
    public void ParseChanges_DeltaFiles_ReadAddModDelInOrder()
    {
        var folder = SharedListFiles.Path("opensanctions_ftm", "t2");

        var adds = FtmParser.ParseChanges(Path.Combine(folder, "20240527194702-wnk", "entities.delta.json")).ToList();
        var mods = FtmParser.ParseChanges(Path.Combine(folder, "20240528014702-pfh", "entities.delta.json")).ToList();
        var dels = FtmParser.ParseChanges(Path.Combine(folder, "20240528074703-npf", "entities.delta.json")).ToList();

        Assert.Equal(["NK-2T3S8Hu29ktYnKSTgQp2wL", "NK-2sJaJRaPJcWUfMbHjTtWcL"], adds.Select(c => c.EntityId));
        Assert.All(adds, c => Assert.Equal(ListChangeKind.Upsert, c.Kind));
        Assert.Equal("Foobar Foobargroup", mods.Single(c => c.EntityId == "NK-2T3S8Hu29ktYnKSTgQp2wL").Entity!.PrimaryName);
        Assert.Equal([new ListChange(ListChangeKind.Remove, "NK-500Poltergeist", null)], dels);
        Assert.Empty(FtmParser.ParseChanges(Path.Combine(folder, "20240527134702-zbn", "entities.delta.json")));
    }

    [Fact]
    public void IsDeltaFile_TellsDeltaFromEntities()
    {
        Assert.True(FtmParser.IsDeltaFile(SharedListFiles.Path("opensanctions_ftm", "t2", "20240528134729-3iv", "entities.delta.json")));
        Assert.False(FtmParser.IsDeltaFile(SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json")));
    }

    [Fact]
    public void Parse_DeltaFileAsFullList_Refused()
    {
        var e = Assert.Throws<ListFormatException>(() =>
            FtmParser.Parse(SharedListFiles.Path("opensanctions_ftm", "t2", "20240528134729-3iv", "entities.delta.json")).ToList());

        Assert.Equal("op", e.Field);
    }

    [Fact]
    public void Parse_TruncatedLine_NamesLine()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json")).ToList();
        var path = dir.Write("e.json", lines[0] + "\n" + lines[1][..(lines[1].Length / 2)]);

        var e = Assert.Throws<ListFormatException>(() => FtmParser.Parse(path).ToList());

        Assert.Equal(2, e.Line);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void ParseChanges_UnknownOperation_Refused()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("d.json", "{\"op\":\"UPSERT\",\"entity\":{\"id\":\"x\"}}\n");

        var e = Assert.Throws<ListFormatException>(() => FtmParser.ParseChanges(path).ToList());

        Assert.Equal("op", e.Field);
        Assert.Equal(1, e.Line);
    }
}
