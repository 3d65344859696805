using NodaTime;

namespace Clearance.Screening;

/// <summary>What kind of party a list entry designates.</summary>
public enum EntityKind
{
    /// <summary>The list does not say.</summary>
    Unknown,
    /// <summary>A natural person.</summary>
    Person,
    /// <summary>A company, institute, government body or other organisation.</summary>
    Organization,
    /// <summary>A ship (identified by IMO number, call sign).</summary>
    Vessel,
    /// <summary>An aircraft (identified by tail number, MSN).</summary>
    Aircraft,
}

/// <summary>How much an alias says about identity. OFAC's "weak a.k.a." are often short nicknames.</summary>
public enum AliasStrength
{
    /// <summary>A full alternative name: a match on it is as good as on the primary name.</summary>
    Strong,
    /// <summary>A weak alias: a match on it alone is down-weighted.</summary>
    Weak,
}

/// <summary>One alternative name of a listed party.</summary>
/// <param name="Name">The alias as the list spells it (original script kept).</param>
/// <param name="Strength">Strong or weak.</param>
public sealed record EntityAlias(string Name, AliasStrength Strength);

/// <summary>An identifier a list gives for a party (passport, IMO number, registration number, ...).</summary>
/// <param name="Type">The list's own label, e.g. "Passport", "IMO", "Registration Number".</param>
/// <param name="Value">The identifier as printed.</param>
/// <param name="Country">ISO 3166-1 alpha-2 of the issuing country when known.</param>
public sealed record EntityIdentifier(string Type, string Value, string? Country);

/// <summary>
/// One entry of a restricted-party list, in the one model every list format is parsed into.
/// </summary>
/// <param name="ListId">The list it comes from, e.g. "ofac-sdn", "un-sc", "meti-eul".</param>
/// <param name="EntityId">The list's own id for the entry (OFAC ent_num, UN DATAID/reference, METI No.).</param>
/// <param name="Kind">Person, organisation, vessel, aircraft or unknown.</param>
/// <param name="PrimaryName">The name the list files the entry under, in its original script.</param>
/// <param name="Aliases">Other names, each with its strength.</param>
/// <param name="Addresses">Addresses as printed, one line each.</param>
/// <param name="Countries">ISO 3166-1 alpha-2 codes of countries linked to the entry (address, nationality, citizenship).</param>
/// <param name="BirthDates">Dates of birth as ISO 8601 partial dates: "1965", "1965-03", "1965-03-12".</param>
/// <param name="Identifiers">Passports, registration numbers, IMO numbers, ...</param>
/// <param name="Programs">Sanctions programmes or legal bases (e.g. "SDGT", "IRAN", "Missile").</param>
/// <param name="Remarks">Free-text remarks from the list.</param>
/// <param name="SourceDate">The publication date of the list version the entry was read from, when known.</param>
public sealed record ListEntity(
    string ListId,
    string EntityId,
    EntityKind Kind,
    string PrimaryName,
    IReadOnlyList<EntityAlias> Aliases,
    IReadOnlyList<string> Addresses,
    IReadOnlyList<string> Countries,
    IReadOnlyList<string> BirthDates,
    IReadOnlyList<EntityIdentifier> Identifiers,
    IReadOnlyList<string> Programs,
    string? Remarks,
    LocalDate? SourceDate)
{
    /// <summary>
    /// What an export-control list says the listing requires (the Consolidated Screening List's columns for the Entity
    /// List and the Military End-User List), or null when the list gives none.
    /// </summary>
    public ExportListing? Listing { get; init; }
}

/// <summary>
/// The export-control columns of a Consolidated Screening List row: the Federal Register rules that added or amended the
/// entry, its licence requirement and its licence review policy, as printed.
/// </summary>
/// <param name="FederalRegisterNotices">Citations such as "84 FR 22961", in the list's order (the adding rule first on the Entity List).</param>
/// <param name="LicenseRequirement">The licence requirement column, e.g. "For all items subject to the EAR. (See §744.11 of the EAR)."; empty when not given.</param>
/// <param name="LicensePolicy">The licence review policy column, e.g. "Presumption of denial."; empty when not given.</param>
public sealed record ExportListing(IReadOnlyList<string> FederalRegisterNotices, string LicenseRequirement, string LicensePolicy);
