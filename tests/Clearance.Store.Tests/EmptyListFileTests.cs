using Clearance.Screening.Lists;

namespace Clearance.Store.Tests;

/// <summary>
/// Issue 7, every format: a file without entries (0 bytes, a BOM or blank lines only, a header only, an XML file whose
/// root is empty, FtM lines that are no parties) is refused with "contains no entries", and the active version stays.
/// The refusal comes before the database is written, so SQLite stands for both providers here
/// (<see cref="ListStoreSafeImportTests"/> runs the same rule on both).
/// </summary>
public sealed class EmptyListFileTests : IDisposable
{
    private readonly TempDirectory _directory = new();

    public void Dispose()
    {
        Microsoft.Data.Sqlite.SqliteConnection.ClearAllPools();
        _directory.Dispose();
    }

    private static string Csl => SharedListFiles.Path("csl_full", "consolidated_2026-07-31.csv");

    /// <summary>A list file with entries, per format: a real one, or a small one in the format's layout.</summary>
    private string ValidFile(string format) => format switch
    {
        "ofac-csv" => SharedListFiles.Path("ofac_consolidated_nonsdn", "cons_prim.csv"),
        "un-xml" => SharedListFiles.Path("un", "UN_consolidated_2026-02-27.xml"),
        "bis-dpl" => SharedListFiles.Path("csl_bis", "bis_dpl.txt"),
        "csl-csv" => _directory.Write("csl-valid.csv", string.Join("\n", File.ReadLines(Csl).Take(4)) + "\n"),
        "ftm" => SharedListFiles.Path("opensanctions_ftm", "t1", "entities.ftm.json"),
        "meti-eul" => SharedListFiles.Path("meti_eul", "meti_eul_2025-09-29.csv"),
        "eu-fsf" => _directory.Write("eu-valid.xml",
            "<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\"><sanctionEntity logicalId=\"1\"><subjectType code=\"enterprise\"/>" +
            "<nameAlias wholeName=\"ACME TRADING\" strong=\"true\"/></sanctionEntity></export>\n"),
        "uk-sanctions" => _directory.Write("uk-valid.xml",
            "<Designations><Designation><UniqueID>X1</UniqueID><Names><Name><Name6>ACME TRADING</Name6><NameType>Primary Name</NameType></Name></Names>" +
            "<IndividualEntityShip>Entity</IndividualEntityShip></Designation></Designations>\n"),
        "csv" => _directory.Write("own-valid.csv", "id,name\n1,ACME TRADING\n2,EXAMPLE BANK\n"),
        _ => throw new ArgumentException(format, nameof(format)),
    };

    /// <summary>Format, a description, the content of a file without entries, the file's name.</summary>
    public static TheoryData<string, string, string, string> EmptyFiles
    {
        get
        {
            var data = new TheoryData<string, string, string, string>();
            foreach (var (format, name) in new[]
            {
                ("ofac-csv", "cons_prim.csv"), ("un-xml", "un.xml"), ("bis-dpl", "dpl.txt"), ("csl-csv", "consolidated.csv"),
                ("ftm", "entities.ftm.json"), ("meti-eul", "eul.csv"), ("eu-fsf", "eu.xml"), ("uk-sanctions", "uk.xml"), ("csv", "own.csv"),
            })
            {
                data.Add(format, "0 bytes", "", name);
                data.Add(format, "a BOM and blank lines", "\uFEFF\n\r\n\n", name);
            }
            data.Add("csl-csv", "header only", "@csl-header", "consolidated.csv");
            data.Add("bis-dpl", "header only", "\"Name\"\t\"Street_Address\"\t\"City\"\t\"State\"\t\"Country\"\t\"Postal_Code\"\t\"Effective_Date\"\t" +
                "\"Expiration_Date\"\t\"Standard_Order\"\t\"Last_Update\"\t\"Action\"\t\"FR_Citation\"\r\n", "dpl.txt");
            data.Add("meti-eul", "header only", "No.,Country or Region,Company or Organization,Also Known As,Type of WMD\n", "eul.csv");
            data.Add("csv", "header only", "id,name,aliases,countries\n", "own.csv");
            data.Add("un-xml", "empty root", "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<CONSOLIDATED_LIST/>\n", "un.xml");
            data.Add("un-xml", "empty record lists", "<CONSOLIDATED_LIST dateGenerated=\"2026-02-27\"><INDIVIDUALS/><ENTITIES>\n</ENTITIES></CONSOLIDATED_LIST>\n", "un.xml");
            data.Add("eu-fsf", "empty root", "<?xml version=\"1.0\"?>\n<export xmlns=\"http://eu.europa.ec/fpi/fsd/export\" generationDate=\"2026-03-14\"></export>\n", "eu.xml");
            data.Add("uk-sanctions", "empty root", "<Designations><DateGenerated>14/03/2026</DateGenerated></Designations>\n", "uk.xml");
            data.Add("ftm", "no parties", "{\"id\": \"addr-1\", \"schema\": \"Address\", \"properties\": {\"full\": [\"1 Main St\"]}}\n", "entities.ftm.json");
            return data;
        }
    }

    [Theory]
    [MemberData(nameof(EmptyFiles))]
    public void Import_FileWithoutEntries_RefusedAndTheActiveVersionStays(string format, string what, string content, string name)
    {
        _ = what;
        var store = ListStore.OpenSqlite(Path.Combine(_directory.FullName, "clearance.db"));
        const string List = "test-list";
        var first = Import(store, format, ValidFile(format), List);
        var empty = _directory.Write(name, content == "@csl-header" ? File.ReadLines(Csl).First() + "\n" : content);

        var e = Assert.Throws<ListStoreException>(() => Import(store, format, empty, List));

        Assert.Equal($"{empty} contains no entries: nothing imported; the active version 1 of list {List} stays", e.Message);
        var status = Assert.Single(store.Status());
        Assert.Equal((1, 1, first.Version.EntityCount), (status.Active.VersionNo, status.VersionCount, status.Active.EntityCount));
        Assert.Equal(first.Version.Sha256, status.Active.Sha256);
        Assert.Equal(first.Version.EntityCount, store.LoadActiveEntities().Count);
    }

    private static ImportResult Import(ListStore store, string format, string path, string listId) =>
        store.Import(listId, format, ListFiles.ParseAny(format, [path], listId), ListSource.FromFiles([path]));
}
