using System.Text;
using Clearance.Screening.Lists;

namespace Clearance.Screening.Tests.Lists;

public sealed class OfacCsvParserTests
{
    // The README's row counts include the trailing Ctrl-Z end-of-file line; the entries are one fewer.
    [Theory]
    [InlineData("sdn_2024-01-31.csv", 13901)]
    [InlineData("sdn_2024-04-26.csv", 14668)]
    [InlineData("sdn_2024-05-03.csv", 14965)]
    public void Parse_DatedSnapshot_ReadsEveryRow(string file, int rows)
    {
        var entities = OfacCsvParser.Parse([SharedListFiles.Path("ofac_sdn", file)]).ToList();

        Assert.Equal(rows, entities.Count);
        Assert.All(entities, e => Assert.Equal("ofac-sdn", e.ListId));
        Assert.Equal(PartialDatesOf(file), entities[0].SourceDate?.ToString("yyyy-MM-dd", null));
    }

    private static string PartialDatesOf(string file) => file["sdn_".Length..^".csv".Length];

    [Fact]
    public void Parse_RemarksWithDobPobNationalityPassport_FillsStructuredFields()
    {
        var entities = OfacCsvParser.Parse([SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")]).ToDictionary(e => e.EntityId);

        // 2676,"AL ZAWAHIRI, Dr. Ayman","individual","SDGT",...,"DOB 19 Jun 1951; POB Giza, Egypt; Passport 1084010 (Egypt); alt. Passport 19820215; ..."
        var zawahiri = entities["2676"];
        Assert.Equal(EntityKind.Person, zawahiri.Kind);
        Assert.Equal("AL ZAWAHIRI, Dr. Ayman", zawahiri.PrimaryName);
        Assert.Equal(["1951-06-19"], zawahiri.BirthDates);
        Assert.Contains("EG", zawahiri.Countries);
        Assert.Contains(new EntityIdentifier("Passport", "1084010", "EG"), zawahiri.Identifiers);
        Assert.Contains(new EntityIdentifier("Passport", "19820215", null), zawahiri.Identifiers);
        Assert.Equal(["SDGT"], zawahiri.Programs);

        // 306 BANCO NACIONAL DE CUBA: remarks "a.k.a. 'BNC'." is OFAC's weak alias
        Assert.Contains(new EntityAlias("BNC", AliasStrength.Weak), entities["306"].Aliases);
        Assert.Equal(EntityKind.Organization, entities["306"].Kind);
    }

    [Fact]
    public void Parse_MultiplePrograms_SplitsBrackets()
    {
        var entities = OfacCsvParser.Parse([SharedListFiles.Path("ofac_sdn", "sdn_2024-05-03.csv")]);

        Assert.Contains(entities, e => e.Programs.SequenceEqual(["IRAN", "NPWMD", "IFSR"]));
    }

    [Fact]
    public void Parse_FullSetWithCompanions_JoinsAddressesAliasesAndComments()
    {
        var entities = OfacCsvParser.Parse([SharedListFiles.Path("ofac_sdn", "watchman_bench_2021", "sdn.csv")]).ToDictionary(e => e.EntityId);

        Assert.Equal(8976, entities.Count);
        // alt.csv: 306,220,"aka","NATIONAL BANK OF CUBA"; add.csv: 306,199,"Zweierstrasse 35","Zurich CH-8022","Switzerland"
        var bank = entities["306"];
        Assert.Contains(new EntityAlias("NATIONAL BANK OF CUBA", AliasStrength.Strong), bank.Aliases);
        Assert.Contains("Zweierstrasse 35, Zurich CH-8022, Switzerland", bank.Addresses);
        Assert.Contains("CH", bank.Countries);
        // sdn_comments.csv continues the remarks of 28263 ("...hn'; Linked To: LAZARUS GROUP.")
        Assert.EndsWith("Linked To: LAZARUS GROUP.", entities["28263"].Remarks);
    }

    [Fact]
    public void Parse_ConsolidatedNonSdn_UsesConsCompanionsAndNonSdnListId()
    {
        var entities = OfacCsvParser.Parse([SharedListFiles.Path("ofac_consolidated_nonsdn", "cons_prim.csv")]).ToDictionary(e => e.EntityId);

        Assert.Equal(442, entities.Count);
        Assert.All(entities.Values, e => Assert.Equal("ofac-nonsdn", e.ListId));
        // cons_alt.csv: 9639,9150,"aka","HANIYA, Ismail"; cons_prim: "DOB 1962; POB Shati."
        Assert.Contains(new EntityAlias("HANIYA, Ismail", AliasStrength.Strong), entities["9639"].Aliases);
        Assert.Equal(["1962"], entities["9639"].BirthDates);
        // cons_add.csv: 9641,12128,-0- ,"Gaza","Palestinian"
        Assert.Contains("PS", entities["9641"].Countries);
    }

    [Fact]
    public void Parse_WrongColumnCount_NamesFileAndLine()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n173,\"ANGLO-CARIBBEAN CO., LTD.\",-0- ,\"CUBA\"\r\n");

        var e = Assert.Throws<ListFormatException>(() => OfacCsvParser.Parse([path]).ToList());

        Assert.Equal(path, e.File);
        Assert.Equal(2, e.Line);
        Assert.Contains("expected 12 columns", e.Message);
    }

    [Fact]
    public void Parse_TruncatedInsideQuotedField_ReportsUnclosedQuote()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("sdn.csv", "36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n306,\"BANCO NACIONAL DE CUBA\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,\"a.k.a. 'B");

        var e = Assert.Throws<ListFormatException>(() => OfacCsvParser.Parse([path]).ToList());

        Assert.Equal(2, e.Line);
        Assert.Contains("truncated", e.Message);
    }

    [Fact]
    public void Parse_Utf16WithoutBom_RejectedAsWrongEncoding()
    {
        using var dir = new TempDirectory();
        var path = dir.WriteBytes("sdn.csv", Encoding.Unicode.GetBytes("36,\"AEROCARIBBEAN AIRLINES\",-0- ,\"CUBA\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n"));

        var e = Assert.Throws<ListFormatException>(() => OfacCsvParser.Parse([path]).ToList());

        Assert.Contains("encoding", e.Message);
    }

    [Fact]
    public void Parse_Windows1252Accents_DecodedCorrectly()
    {
        using var dir = new TempDirectory();
        var bytes = Encoding.Latin1.GetBytes("1,\"PE\u00D1A, Jos\u00E9\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n\u001A");
        var path = dir.WriteBytes("sdn.csv", bytes);

        var entity = Assert.Single(OfacCsvParser.Parse([path]));

        Assert.Equal("PE\u00D1A, Jos\u00E9", entity.PrimaryName);
    }

    [Fact]
    public void Parse_Utf8FileWithoutBom_DetectedAndDecoded()
    {
        using var dir = new TempDirectory();
        var path = dir.Write("sdn.csv", "1,\"PE\u00D1A, Jos\u00E9\",\"individual\",\"SDNTK\",-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- ,-0- \r\n");

        var entity = Assert.Single(OfacCsvParser.Parse([path]));

        Assert.Equal("PE\u00D1A, Jos\u00E9", entity.PrimaryName);
    }

    [Fact]
    public void Parse_OnlyCompanionFiles_ExplainsPrimaryIsMissing()
    {
        var e = Assert.Throws<ListFormatException>(() =>
            OfacCsvParser.Parse([SharedListFiles.Path("ofac_sdn", "watchman_2025-02_add_alt", "add.csv")]).ToList());

        Assert.Contains("no primary file", e.Message);
    }
}
