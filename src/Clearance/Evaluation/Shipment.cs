using Clearance.Model;
using NodaTime;

namespace Clearance.Evaluation;

/// <summary>What is known of the end user's presence on restricted-party lists.</summary>
public enum EndUserStatus : byte
{
    /// <summary>No end user was given.</summary>
    NotGiven,
    /// <summary>An end user was given but the jurisdiction's end-user list was not available to screen against.</summary>
    NotScreened,
    /// <summary>Screened: not on the jurisdiction's end-user list.</summary>
    Clear,
    /// <summary>Screened: on the jurisdiction's end-user list (an exact or strong match, or a match a decision confirmed).</summary>
    Listed,
    /// <summary>
    /// Screened: a possible match on the jurisdiction's end-user list (above the reporting threshold, below a strong match)
    /// that no decision has cleared or confirmed yet. The determination is indeterminate, naming <c>end_user_review</c>.
    /// </summary>
    PossibleMatch,
}

/// <summary>
/// The facts of one shipment line that the determination depends on, with the item already resolved to its
/// index in <see cref="Jurisdiction.Items"/> (see <see cref="CompiledJurisdiction.TryFindItem"/>).
/// </summary>
/// <param name="Date">The as-of date: the export date the answer is for.</param>
/// <param name="Item">Index of the item in the jurisdiction's control list.</param>
/// <param name="Destination">Country of destination.</param>
/// <param name="EndUse">Declared end use; <see cref="EndUse.Unknown"/> when not given.</param>
/// <param name="Informed">Whether the authority informed the exporter of a concern (not given means not informed: an inform notice is a formal written act the exporter holds).</param>
/// <param name="EndUser">What screening the end user found.</param>
public readonly record struct ShipmentFacts(LocalDate Date, int Item, CountryCode Destination, EndUse EndUse, bool Informed, EndUserStatus EndUser)
{
    /// <summary>The item index meaning "the shipment carries no classification under this regime".</summary>
    public const int NoItem = -1;

    /// <summary>
    /// The country the line is exported or re-exported from, when given: licence scope rules with an exporting-country
    /// condition (<see cref="LicenseScopeRule.ExportedFrom"/>) apply only when it is given and meets it.
    /// </summary>
    public CountryCode? From { get; init; }

    /// <summary>The shipment's value with its currency, when given.</summary>
    public Amount? Value { get; init; }

    /// <summary>The quantity with its unit, when given.</summary>
    public Amount? Quantity { get; init; }

    /// <summary>
    /// Values of facts the jurisdiction declares (<see cref="Jurisdiction.DeclaredFacts"/>), by fact id, as text:
    /// "true"/"false", an enumeration value, or an amount "12.5 kg". Null or absent: not given.
    /// </summary>
    public IReadOnlyDictionary<string, string>? Declared { get; init; }
}
