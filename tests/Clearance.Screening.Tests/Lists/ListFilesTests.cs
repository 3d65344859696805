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

    [Fact]
    public void ParseAny_UnknownFormat_ListsKnownOnes()
    {
        var e = Assert.Throws<ArgumentException>(() => ListFiles.ParseAny("xlsx", ["a.xlsx"]));

        Assert.Contains("ofac-csv", e.Message);
    }

    [Fact]
    public void ParseChanges_FullFile_ReturnsNull()
    {
        Assert.Null(ListFiles.ParseChanges("ftm", SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json")));
        Assert.Null(ListFiles.ParseChanges("ofac-csv", SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")));
    }
}
