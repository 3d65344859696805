using System.Text.RegularExpressions;

namespace Clearance.Screening.Lists;

/// <summary>
/// Reads the structured facts OFAC packs into the legacy CSV's remarks field
/// ("DOB 12 Mar 1965; POB Tehran, Iran; nationality Iran; Passport X123 (Iran); a.k.a. 'ALI'.").
/// Segments it does not recognise stay in the remarks text only.
/// </summary>
internal static partial class OfacRemarks
{
    // The identifier labels OFAC uses (counted over the 2024 SDN file); longest first so that "Diplomatic Passport" wins over "Passport".
    private static readonly string[] IdentifierLabels =
    [
        "Aircraft Construction Number (also called L/N or S/N or F/N)", "Aircraft Manufacturer's Serial Number (MSN)",
        "Aircraft Mode S Transponder Code", "Aircraft Tail Number", "Business Registration Document #", "Business Registration Number",
        "Central Registration System Number", "Chamber of Commerce Number", "Commercial Registry Number", "Company Number",
        "Economic Register Number (CBLS)", "Government Gazette Number", "Istanbul Chamber of Comm. No.", "Unified Social Credit Code (USCC)",
        "Public Security and Immigration No.", "Stateless Person ID Card", "Dubai Chamber of Commerce Membership No.",
        "Numero Unico de Identificacion Tributaria (NUIT)", "Registered Charity No.", "Citizen's Card Number", "Turkish Identification Number",
        "Moroccan Personal ID No.", "Bosnian Personal ID No.", "Refugee ID Card", "Kenyan ID No.", "Residency Number", "Immigration No.",
        "Diplomatic Passport", "Passport", "Pasaporte", "National ID No.", "National Foreign ID Number", "Registration ID", "Registration Number",
        "Tax ID No.", "Identification Number", "Public Registration Number", "UK Company Number", "Folio Mercantil No.", "Matricula Mercantil No", "Trade License No.",
        "Legal Entity Number", "V.A.T. Number", "C.R. No.", "C.U.R.P.", "C.U.I.", "Cedula No.", "R.F.C.", "RFC", "D.N.I.", "CUIT", "NIT #", "SSN",
        "D-U-N-S Number", "Birth Certificate Number", "Driver's License No.", "Electoral Registry No.", "Credencial electoral", "BIK (RU)",
        "Italian Fiscal Code", "Fiscal Code", "Personal ID Card", "Enterprise Number", "Tarjeta Profesional", "Serial No.", "SWIFT/BIC", "MMSI",
        "Vessel Registration Identification", "License", "Other Vessel Call Sign",
    ];

    private static readonly Regex Identifier = new(
        @"^(?:alt\. )?(?<label>" + string.Join('|', IdentifierLabels.OrderByDescending(l => l.Length).Select(Regex.Escape)) +
        @"|Digital Currency Address - [A-Z0-9]+)\s+(?<value>.+?)(?:\s+\((?<country>[^()]+)\))?(?:\s+(?:issued|expires|Expiration Date|Issue Date)\b.*)?$",
        RegexOptions.CultureInvariant | RegexOptions.Compiled);

    [GeneratedRegex(@"^(?:alt\. )?DOB\s+(?<date>.+)$")]
    private static partial Regex BirthDate();

    [GeneratedRegex(@"^(?:alt\. )?POB\s+(?<place>.+)$")]
    private static partial Regex BirthPlace();

    [GeneratedRegex(@"^(?:alt\. )?(?:nationality|citizen)\s+(?<country>.+)$")]
    private static partial Regex Nationality();

    [GeneratedRegex(@"^(?:a\.k\.a\.|f\.k\.a\.|n\.k\.a\.)\s+'(?<name>.+)'$")]
    private static partial Regex WeakAlias();

    [GeneratedRegex(@"^Other Vessel Flag\s+(?<country>.+)$")]
    private static partial Regex VesselFlag();

    private static readonly HashSet<string> KnownLabels = new(IdentifierLabels, StringComparer.OrdinalIgnoreCase);

    /// <summary>Whether OFAC uses <paramref name="label"/> for an identifier (the CSL's ids column reuses OFAC's labels).</summary>
    public static bool IsIdentifierLabel(string label) =>
        KnownLabels.Contains(label) || label.StartsWith("Digital Currency Address - ", StringComparison.Ordinal);

    /// <summary>Adds what the remarks say to the entity being built; the remarks text itself is kept by the caller.</summary>
    public static void Apply(string remarks, EntityBuilder entity)
    {
        var text = remarks.Trim();
        if (text.EndsWith('.'))
            text = text[..^1];
        foreach (var raw in text.Split("; "))
        {
            var segment = raw.Trim();
            if (segment.Length == 0)
                continue;
            Match m;
            if ((m = BirthDate().Match(segment)).Success)
            {
                entity.AddBirthDates(m.Groups["date"].Value);
            }
            else if ((m = BirthPlace().Match(segment)).Success)
            {
                var place = m.Groups["place"].Value;
                entity.AddCountry(place[(place.LastIndexOf(',') + 1)..]);
            }
            else if ((m = Nationality().Match(segment)).Success)
            {
                entity.AddCountry(m.Groups["country"].Value);
            }
            else if ((m = WeakAlias().Match(segment)).Success)
            {
                entity.AddAlias(m.Groups["name"].Value, AliasStrength.Weak);
            }
            else if ((m = VesselFlag().Match(segment)).Success)
            {
                entity.AddCountry(m.Groups["country"].Value);
            }
            else if ((m = Identifier.Match(segment)).Success)
            {
                var label = m.Groups["label"].Value;
                var value = m.Groups["value"].Value;
                if (label == "Vessel Registration Identification" && value.StartsWith("IMO ", StringComparison.Ordinal))
                    (label, value) = ("IMO", value[4..]);
                entity.AddIdentifier(label, value, m.Groups["country"].Success ? m.Groups["country"].Value : null);
            }
        }
    }
}
