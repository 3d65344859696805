namespace Clearance.Store;

/// <summary>
/// Migration 12: the purchaser and the intermediate consignees of a line (15 CFR 748.5(c)-(d), parties to the
/// transaction the EAR's lists name) kept in shipment_facts beside its end user and consignee, so that a recheck screens
/// them again when a list changes, as it does the end user and the consignee. No backfill: a request stored before this
/// migration cannot name them (they were unknown fields then), so their columns are null for every older line.
/// </summary>
internal static class TransactionPartiesSchema
{
    /// <summary>The migration's version, here so that both providers' lists take the same.</summary>
    public const int Version = 12;

    /// <summary>The migration's name in schema_migrations.</summary>
    public const string Name = "the purchaser and the intermediate consignees of each line, for rechecks";

    /// <summary>Both providers: two columns added in place (intermediate_consignees a JSON array of names, null when none).</summary>
    public const string Sql =
        """
        ALTER TABLE shipment_facts ADD COLUMN purchaser TEXT;
        ALTER TABLE shipment_facts ADD COLUMN intermediate_consignees TEXT;
        """;

    /// <summary>
    /// The names of a JSON array column as a table <c>i</c> with one column <c>value</c>: the provider's own JSON table
    /// function (where the column is null it gives no row).
    /// </summary>
    public static string Elements(string column, bool postgres) =>
        postgres ? $"json_array_elements_text({column}::json) AS i(value)" : $"json_each({column}) AS i";
}
