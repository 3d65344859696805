using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class ListFilesTests
{
    [Theory]
    [InlineData("ofac-csv", "ofac_sdn/sdn_2024-05-03.csv", 14965)]
    [InlineData("un-xml", "un/UN_consolidated_2026-02-27.xml", 1003)]
    [InlineData("bis-dpl", "csl_bis/bis_dpl.txt", 546)]
    [InlineData("csl-csv", "csl_bis/watchman_csl_sample.csv", 115)]
    [InlineData("ftm", "opensanctions_ftm/t1/entities.ftm.json", 6)]
    [InlineData("meti-eul", "meti_eul/meti_eul_2025-09-29.csv", 835)]
    public void ParseAny_EachFormat_DispatchesToItsParser(string format, string file, int count)
    {
        var entities = ListFiles.ParseAny(format, [SharedListFiles.Path(file.Split('/'))]);

        Assert.Equal(count, entities.Count());
    }

    [Theory]
    [InlineData("eu-fsf", "eu_fsf_sample.xml", "eu-fsf", 3)]
    [InlineData("uk-sanctions", "uk_sanctions_sample.xml", "uk-sanctions", 3)]
    public void ParseAny_EuAndUkFixtures_DispatchToTheirParsers(string format, string file, string listId, int count)
    {
        string[] paths = [ListFixtures.Path(file)];

        var entities = ListFiles.ParseAny(format, paths).ToList();

        Assert.Equal(count, entities.Count);
        Assert.Equal(listId, ListFiles.DefaultListId(format, paths));
        Assert.Null(ListFiles.DeltaFiles(format, paths[0]));
    }

    [Fact]
    public void ParseAny_UnknownFormat_ListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ListFiles.ParseAny("xlsx", ["a.xlsx"]));

        Assert.Contains("ofac-csv", e.Message);
    }

    [Fact]
    public void DeltaFiles_FullFile_ReturnsNull()
    {
        Assert.Null(ListFiles.DeltaFiles("ftm", SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json")));
        Assert.Null(ListFiles.DeltaFiles("ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")));
    }

    [Fact]
    public void DeltaFiles_DeltaIndex_ListsLocalDeltaFilesOldestFirst()
    {
        var files = ListFiles.DeltaFiles("ftm", SharedListFiles.Path("opensanctions_ftm", "t2", "delta.json"))!;

        Assert.Equal(
            ["20240527134702-zbn", "20240527194702-wnk", "20240528014702-pfh", "20240528074703-npf", "20240528134729-3iv"],
            files.Select(f => Path.GetFileName(Path.GetDirectoryName(f))));
    }

    [Fact]
    public void DeltaFiles_IndexNamingMissingVersion_NamesTheMissingFile()
    {
        // t1/delta.json names version 20240527134702-zbn, which is not in t1/.
        var e = Assert.Throws<ListFormatException>(() => ListFiles.DeltaFiles("ftm", SharedListFiles.Path("opensanctions_ftm", "t1", "delta.json")));

        Assert.Contains("20240527134702-zbn", e.Message);
    }

    [Fact]
    public void DeltaFiles_EmptyDeltaFile_IsDeltaByName()
    {
        var path = SharedListFiles.Path("opensanctions_ftm", "t2", "20240527134702-zbn", "entities.delta.json");

        Assert.Equal([path], ListFiles.DeltaFiles("ftm", path));
    }
}
