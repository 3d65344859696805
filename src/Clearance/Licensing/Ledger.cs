namespace Clearance.Licensing;

/// <summary>
/// One entry of a licence's drawdown ledger: a shipment line's use of the licence, or the reversal of an earlier use
/// (when the line is released from the licence, cancelled or re-assigned). Entries are only ever appended; the balance
/// is derived from them, never stored alone, so an auditor can always see how it came about.
/// </summary>
/// <param name="Sequence">Position in the ledger (store-assigned, increasing).</param>
/// <param name="License">The licence number.</param>
/// <param name="Shipment">The shipment line's id.</param>
/// <param name="Quantity">Quantity drawn (negative in a reversal); 0 when the line states none.</param>
/// <param name="Value">Value drawn (negative in a reversal); 0 when the line states none.</param>
/// <param name="Reverses">For a reversal, the sequence of the entry it reverses; null for a use.</param>
public readonly record struct LedgerEntry(long Sequence, string License, string Shipment, decimal Quantity, decimal Value, long? Reverses);

/// <summary>What is left of a licence's limits after its ledger.</summary>
/// <param name="QuantityDrawn">Sum of the quantities drawn, reversals deducted.</param>
/// <param name="ValueDrawn">Sum of the values drawn, reversals deducted.</param>
/// <param name="QuantityRemaining">The quantity ceiling less what is drawn; null when the licence has no quantity limit.</param>
/// <param name="ValueRemaining">The value ceiling less what is drawn; null when the licence has no value limit.</param>
public readonly record struct LicenseBalance(decimal QuantityDrawn, decimal ValueDrawn, decimal? QuantityRemaining, decimal? ValueRemaining)
{
    /// <summary>The balance of <paramref name="license"/> after <paramref name="entries"/> (its ledger, any order).</summary>
    public static LicenseBalance Of(License license, IEnumerable<LedgerEntry> entries)
    {
        ArgumentNullException.ThrowIfNull(license);
        ArgumentNullException.ThrowIfNull(entries);
        decimal quantity = 0, value = 0;
        foreach (var entry in entries)
        {
            quantity += entry.Quantity;
            value += entry.Value;
        }

        return From(license, quantity, value);
    }

    /// <summary>The balance of <paramref name="license"/> when <paramref name="quantityDrawn"/> and <paramref name="valueDrawn"/> are drawn (sums a store computes).</summary>
    public static LicenseBalance From(License license, decimal quantityDrawn, decimal valueDrawn)
    {
        ArgumentNullException.ThrowIfNull(license);
        return new LicenseBalance(quantityDrawn, valueDrawn, license.QuantityCeiling - quantityDrawn, license.ValueCeiling - valueDrawn);
    }

    /// <summary>Whether a further draw of <paramref name="quantity"/> and <paramref name="value"/> fits.</summary>
    public bool Fits(decimal quantity, decimal value) =>
        (QuantityRemaining is not { } q || quantity <= q) && (ValueRemaining is not { } v || value <= v);
}
