using Clearance.Model;
using NodaTime;

namespace Clearance.Licensing;

/// <summary>Where a licence is in its life. Only a granted licence, within its validity, authorises a shipment.</summary>
public enum LicenseState : byte
{
    /// <summary>Applied for; not yet decided.</summary>
    Applied,
    /// <summary>Granted: authorises shipments in its scope, validity and limits.</summary>
    Granted,
    /// <summary>Suspended by the authority (or the company): authorises nothing until granted again.</summary>
    Suspended,
    /// <summary>Past its validity (or used up and closed).</summary>
    Expired,
    /// <summary>Revoked by the authority: authorises nothing, for good.</summary>
    Revoked,
}

/// <summary>
/// What a licence may cover. Each list is a restriction when it has members and no restriction when empty (a general
/// bulk licence names no consignee). Items are classifications as the check contract writes them (<c>JP:7(19)</c>); a
/// licence for a row covers the items under it the way the control list's hierarchy does (decided by the caller, which
/// knows the content). Names are compared after the screening normalisation, not as typed.
/// </summary>
/// <param name="Items">Classifications covered.</param>
/// <param name="Destinations">Destination countries covered.</param>
/// <param name="Consignees">Consignee names covered.</param>
/// <param name="EndUsers">End-user names covered.</param>
public sealed record LicenseScope(
    IReadOnlyList<string> Items,
    IReadOnlyList<CountryCode> Destinations,
    IReadOnlyList<string> Consignees,
    IReadOnlyList<string> EndUsers)
{
    /// <summary>A scope without restriction.</summary>
    public static LicenseScope Any { get; } = new([], [], [], []);
}

/// <summary>A limit on the quantity or value a licence authorises in total.</summary>
/// <param name="Amount">The limit; positive.</param>
/// <param name="Unit">The unit ("kg") or ISO 4217 currency ("JPY"); a drawdown in another unit is refused, never converted silently.</param>
public readonly record struct LicenseLimit(decimal Amount, string Unit);

/// <summary>
/// A licence the exporter holds or has applied for: an instance of one of a jurisdiction's licence types (Japan's
/// <c>individual</c>, <c>general-bulk</c>...; Korea's <c>individual</c>, <c>bulk</c>), with its scope, validity, limits
/// and state. Immutable: a state change is a new record, and the store keeps every transition.
/// </summary>
/// <param name="Number">The authority's licence number, unique in the store.</param>
/// <param name="Jurisdiction">The issuing jurisdiction's id (JP, KR).</param>
/// <param name="Type">The licence type id, one of the jurisdiction's.</param>
/// <param name="Holder">The exporter the licence was granted to.</param>
/// <param name="Scope">Items, destinations and parties it covers.</param>
/// <param name="Validity">The days it is valid, half-open like every period: <c>valid_to</c> on the wire is the last valid day.</param>
/// <param name="Quantity">The total quantity authorised, or null for none stated.</param>
/// <param name="Value">The total value authorised, or null for none stated.</param>
/// <param name="Tolerance">The fraction by which the limits may be exceeded (0.1 = 10 %), 0 for none.</param>
/// <param name="State">The current state.</param>
public sealed record License(
    string Number,
    string Jurisdiction,
    string Type,
    string Holder,
    LicenseScope Scope,
    Period Validity,
    LicenseLimit? Quantity,
    LicenseLimit? Value,
    decimal Tolerance,
    LicenseState State)
{
    /// <summary>The quantity that may be drawn in total: the limit plus its tolerance; null when unlimited.</summary>
    public decimal? QuantityCeiling => Quantity is { } q ? q.Amount * (1 + Tolerance) : null;

    /// <summary>The value that may be drawn in total: the limit plus its tolerance; null when unlimited.</summary>
    public decimal? ValueCeiling => Value is { } v ? v.Amount * (1 + Tolerance) : null;

    /// <summary>Whether it authorises shipments on <paramref name="date"/>: granted and valid that day.</summary>
    public bool IsUsableOn(LocalDate date) => State == LicenseState.Granted && Validity.Contains(date);

    /// <summary>Wire name of a state: applied, granted, suspended, expired, revoked.</summary>
    public static string Name(LicenseState state) => state switch
    {
        LicenseState.Applied => "applied",
        LicenseState.Granted => "granted",
        LicenseState.Suspended => "suspended",
        LicenseState.Expired => "expired",
        _ => "revoked",
    };

    /// <summary>The state named <paramref name="name"/> (any case), or null.</summary>
    public static LicenseState? ParseState(string name) => name.Trim().ToLowerInvariant() switch
    {
        "applied" => LicenseState.Applied,
        "granted" => LicenseState.Granted,
        "suspended" => LicenseState.Suspended,
        "expired" => LicenseState.Expired,
        "revoked" => LicenseState.Revoked,
        _ => null,
    };
}
