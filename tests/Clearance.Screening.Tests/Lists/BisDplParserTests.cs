using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class BisDplParserTests
{
    [Theory]
    [InlineData("bis_dpl.txt", 546)]
    [InlineData("bis_dpl_bench.txt", 581)]
    public void Parse_DeniedPersonsList_ReadsEveryRowWithUniqueIds(string file, int rows)
    {
        var entities = BisDplParser.Parse(SharedListFiles.Path("csl_bis", file)).ToList();

        Assert.Equal(rows, entities.Count);
        Assert.Equal(rows, entities.Select(e => e.EntityId).Distinct().Count());
        Assert.All(entities, e => Assert.Equal("bis-dpl", e.ListId));
    }

    [Fact]
    public void Parse_Row_ReadsNameAddressCountryAndOrder()
    {
        var entities = BisDplParser.Parse(SharedListFiles.Path("csl_bis", "bis_dpl.txt")).ToList();

        // The DPL repeats a person once per address: "I. ASH" has three rows, hence three entries with distinct ids.
        var ash = entities.Where(e => e.PrimaryName == "I. ASH").ToList();
        Assert.Equal(3, ash.Count);
        var seagoville = Assert.Single(ash, e => e.Addresses.Single().Contains("SEAGOVILLE, TX, 75159, US", StringComparison.Ordinal));
        Assert.Equal(["US"], seagoville.Countries);
        Assert.Contains("68 F.R. 38290", seagoville.Remarks);
    }

    [Fact]
    public void Parse_SameFileTwice_GivesSameIds()
    {
        var first = BisDplParser.Parse(SharedListFiles.Path("csl_bis", "bis_dpl.txt")).Select(e => e.EntityId);
        var second = BisDplParser.Parse(SharedListFiles.Path("csl_bis", "bis_dpl.txt")).Select(e => e.EntityId);

        Assert.Equal(first, second);
    }

    [Fact]
    public void Parse_CommaSeparatedFile_RefusedAtHeader()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("dpl.txt", "Name,Street_Address,City,State,Country,Postal_Code,Effective_Date,Expiration_Date,Standard_Order,Last_Update,Action,FR_Citation\n");

        var e = Assert.Throws<ListFormatException>(() => BisDplParser.Parse(path).ToList());

        Assert.Equal(1, e.Line);
    }

    [Fact]
    public void Parse_RowMissingColumns_NamesLine()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(SharedListFiles.Path("csl_bis", "bis_dpl.txt")).Take(3).ToList();
        var path = dir.Write("dpl.txt", string.Join("\n", lines) + "\n\"JOHN DOE\"\t\"1 MAIN ST\"\n");

        var e = Assert.Throws<ListFormatException>(() => BisDplParser.Parse(path).ToList());

        Assert.Equal(4, e.Line);
        Assert.Contains("expected 12", e.Message);
    }
}
