using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class CslCsvParserTests
{
    [Fact]
    public void Parse_FullConsolidatedFile_SplitsRowsIntoListsBySource()
    {
        var entities = CslCsvParser.Parse(SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv")).ToList();

        Assert.Equal(25921, entities.Count);
        var byList = entities.GroupBy(e => e.ListId).ToDictionary(g => g.Key, g => g.Count());
        Assert.Equal(19181, byList["csl-sdn"]);
        Assert.Equal(3420, byList["csl-el"]);
        Assert.Equal(1596, byList["csl-dpl"]);
        Assert.Equal(51, byList["csl-ns-mbs"]);
        Assert.Equal(25921, entities.Select(e => (e.ListId, e.EntityId)).Distinct().Count());
        Assert.Equal(new NodaTime.LocalDate(2026, 7, 31), entities[0].SourceDate);
    }

    [Fact]
    public void Parse_CurrentLayout_ReadsIdsDatesNationalitiesAndAliases()
    {
        var entities = CslCsvParser.Parse(SharedListFiles.Path("csl_bis", "watchman_csl_consolidated_sample_2025.csv")).ToList();

        Assert.Equal(13, entities.Count);
        var rim = Assert.Single(entities, e => e.PrimaryName == "RIM, Ryong Nam");
        Assert.Equal("csl-sdn", rim.ListId);
        Assert.Equal(EntityKind.Person, rim.Kind);
        Assert.Equal(["1978-12-05"], rim.BirthDates);
        Assert.Contains("KP", rim.Countries);
        Assert.Equal([new EntityIdentifier("Passport", "836238033", "KP")], rim.Identifiers); // "Gender, Male" etc. are not identifiers
        var sinobright = Assert.Single(entities, e => e.PrimaryName.StartsWith("Sinobright", StringComparison.Ordinal));
        Assert.Equal("csl-isn", sinobright.ListId);
        Assert.Equal("233a4d725770c81fb561ffe3842c14010c2201971d6be62eca1e613b", sinobright.EntityId);
    }

    [Fact]
    public void Parse_2019Layout_ReadsCountryValueTypeIdentifiersAndHashesRowsWithoutId()
    {
        var entities = CslCsvParser.Parse(SharedListFiles.Path("csl_bis", "watchman_csl_sample.csv")).ToList();

        Assert.Equal(115, entities.Count);
        var psa = Assert.Single(entities, e => e.EntityId == "20264");
        Assert.Contains(new EntityIdentifier("Tax ID No.", "80-0890696", "US"), psa.Identifiers);
        var dpl = entities.Where(e => e.ListId == "csl-dpl").ToList();
        Assert.Equal(8, dpl.Count);
        Assert.All(dpl, e => Assert.StartsWith("h", e.EntityId, StringComparison.Ordinal));
        Assert.Contains(entities, e => e.Countries.Contains("US") && e.Addresses.Contains("80 SW 8th Street Suite 2000, Miami, FL, 33130, US"));
    }

    [Fact]
    public void Parse_ListIdGiven_OverridesSourceColumn()
    {
        var entities = CslCsvParser.Parse(SharedListFiles.Path("csl_bis", "watchman_csl_consolidated_sample_2025.csv"), "us-csl");

        Assert.All(entities, e => Assert.Equal("us-csl", e.ListId));
    }

    [Fact]
    public void Parse_RowWithMissingColumns_NamesLine()
    {
        using var dir = new TempDirectory();
        var header = File.ReadLines(SharedListFiles.Path("csl_bis", "watchman_csl_sample.csv")).First();
        var path = dir.Write("csl.csv", header + "\nDenied Persons List (DPL) - Bureau of Industry and Security,,,,JOHN DOE\n");

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).ToList());

        Assert.Equal(2, e.Line);
        Assert.Contains("expected 28 columns", e.Message);
    }

    [Fact]
    public void Parse_DuplicateId_RefusedNamingFileLineAndId()
    {
        using var dir = new TempDirectory();
        var lines = File.ReadLines(SharedListFiles.Path("csl_bis", "watchman_csl_consolidated_sample_2025.csv")).Take(3).ToList();
        var path = dir.Write("csl.csv", string.Join("\n", lines[0], lines[1], lines[2], lines[1]) + "\n");
        var id = CslCsvParser.Parse(path).First().EntityId;

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).ToList());

        Assert.Equal(path, e.File);
        Assert.Equal(4, e.Line);
        Assert.Contains(path, e.Message, StringComparison.Ordinal);
        Assert.Contains($"duplicate _id '{id}' (first on line 2)", e.Message, StringComparison.Ordinal);
        Assert.DoesNotContain("#2", e.Message, StringComparison.Ordinal);
    }

    [Fact]
    public void Parse_HeaderOfAnotherFormat_NamesMissingColumn()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("csl.csv", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n1,Iran,X,,N\n");

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).ToList());

        Assert.Equal(1, e.Line);
        Assert.Equal("source", e.Field);
    }

    [Fact]
    public void Parse_Latin1File_RejectedAsWrongEncoding()
    {
        using var dir = new TempDirectory();
        var header = File.ReadLines(SharedListFiles.Path("csl_bis", "watchman_csl_sample.csv")).First();
        var row = "Denied Persons List (DPL) - Bureau of Industry and Security,,,,JOS\u00C9 PE\u00D1A" + new string(',', 23);
        var path = dir.WriteBytes("csl.csv", System.Text.Encoding.Latin1.GetBytes(header + "\n" + row + "\n"));

        var e = Assert.Throws<ListFormatException>(() => CslCsvParser.Parse(path).ToList());

        Assert.Equal(2, e.Line);
        Assert.Contains("utf-8", e.Message);
    }
}
