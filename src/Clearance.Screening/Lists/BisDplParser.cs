namespace Clearance.Screening.Lists;

/// <summary>
/// The BIS Denied Persons List in its original tab-separated text (header Name, Street_Address, City, State, Country,
/// Postal_Code, Effective_Date, Expiration_Date, Standard_Order, Last_Update, Action, FR_Citation). The DPL has no entry
/// number: each row gets a stable id hashed from its name, address and effective date.
/// </summary>
public static class BisDplParser
{
    /// <summary>Format id.</summary>
    public const string Format = "bis-dpl";

    /// <summary>The list id DPL entries get by default.</summary>
    public const string DefaultListId = "bis-dpl";

    private static readonly string[] Columns =
        ["Name", "Street_Address", "City", "State", "Country", "Postal_Code", "Effective_Date", "Expiration_Date", "Standard_Order", "Last_Update", "Action", "FR_Citation"];

    /// <summary>Streams the entries of one DPL file.</summary>
    public static IEnumerable<ListEntity> Parse(string path, string? listId = null)
    {
        var list = listId ?? DefaultListId;
        var sourceDate = PartialDates.FromFileName(path);
        using var reader = DelimitedReader.Open(path, ListText.StrictUtf8, '\t');
        var fields = new List<string>(Columns.Length);
        if (!reader.TryRead(fields))
            yield break; // an empty file has no entries: the store refuses it as such ("contains no entries")
        if (!fields.Select(f => f.Trim()).SequenceEqual(Columns))
            throw reader.Error(null, $"the header is not the Denied Persons List's ({string.Join(", ", Columns)})");
        var used = new HashSet<(string, string)>();
        while (reader.TryRead(fields))
        {
            if (fields.Count != Columns.Length)
                throw reader.Error(null, $"expected {Columns.Length} tab-separated columns, found {fields.Count}");
            var f = fields.Select(v => v.Trim()).ToArray();
            if (f[0].Length == 0)
                throw reader.Error("Name", "the name is empty");
            var id = CslCsvParser.StableId(f[0], f[1], f[2], f[4], f[6]);
            if (!used.Add((list, id)))
                id = CslCsvParser.Disambiguate(used, list, id);
            var entity = new EntityBuilder(list, id, EntityKind.Unknown, f[0]) { SourceDate = sourceDate };
            entity.AddAddress(string.Join(", ", new[] { f[1], f[2], f[3], f[5], f[4] }.Where(p => p.Length > 0)));
            entity.AddCountry(f[4]);
            entity.AddProgram("DPL");
            entity.Remarks = string.Join("; ", new[]
            {
                f[6].Length > 0 ? $"Effective {f[6]}" : "", f[7].Length > 0 ? $"expires {f[7]}" : "", f[10], f[11],
            }.Where(p => p.Length > 0));
            yield return entity.Build();
        }
    }
}
