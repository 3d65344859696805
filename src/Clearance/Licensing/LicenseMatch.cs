using Clearance.Model;
using NodaTime;

namespace Clearance.Licensing;

/// <summary>Why a licence does not cover a shipment line; <see cref="Covers"/> when it does.</summary>
public enum LicenseFit : byte
{
    /// <summary>The licence covers the line.</summary>
    Covers,
    /// <summary>Another jurisdiction's licence, or a type the determination does not list as eligible.</summary>
    WrongType,
    /// <summary>Another holder's licence.</summary>
    WrongHolder,
    /// <summary>Not granted (applied, suspended, expired or revoked).</summary>
    NotGranted,
    /// <summary>The line's date is outside the licence's validity.</summary>
    OutsideValidity,
    /// <summary>The item is not in the licence's scope.</summary>
    ItemOutOfScope,
    /// <summary>The destination is not in the licence's scope.</summary>
    DestinationOutOfScope,
    /// <summary>The consignee is not in the licence's scope (or not given where the licence names consignees).</summary>
    ConsigneeOutOfScope,
    /// <summary>The end user is not in the licence's scope (or not given where the licence names end users).</summary>
    EndUserOutOfScope,
    /// <summary>The line's quantity unit or value currency differs from the licence limit's.</summary>
    UnitMismatch,
    /// <summary>The licence has a quantity (or value) limit and the line states no quantity (value) to draw.</summary>
    AmountMissing,
    /// <summary>What is left of the licence's limits is less than the line draws.</summary>
    Balance,
}

/// <summary>What a shipment line asks of a licence.</summary>
/// <param name="Date">The export date.</param>
/// <param name="Jurisdiction">The jurisdiction whose licence is needed.</param>
/// <param name="EligibleTypes">The licence types the determination names as able to authorise the line.</param>
/// <param name="Exporter">The exporter (the licence holder must be it); null when the line does not say.</param>
/// <param name="Items">The line's classifications and the codes above them in the control list (a licence for a row covers its items).</param>
/// <param name="Destination">The destination country.</param>
/// <param name="Consignee">Normalised consignee name, or null.</param>
/// <param name="EndUser">Normalised end-user name, or null.</param>
/// <param name="Quantity">The quantity to draw, or null.</param>
/// <param name="Value">The value to draw, or null.</param>
public sealed record LicenseDemand(
    LocalDate Date,
    string Jurisdiction,
    IReadOnlyList<string> EligibleTypes,
    string? Exporter,
    IReadOnlyList<string> Items,
    CountryCode Destination,
    string? Consignee,
    string? EndUser,
    LicenseLimit? Quantity,
    LicenseLimit? Value);

/// <summary>
/// Decides whether a licence covers a shipment line, and picks the licence to assign automatically the way the
/// established trade-compliance systems do: of the granted licences of an eligible type whose scope, validity and
/// balance cover the line, the one that expires first (so that no licence lapses unused while a later one is drawn).
/// Pure: the store supplies the licences and their balances, and draws under its own lock.
/// </summary>
public static class LicenseMatch
{
    /// <summary>How <paramref name="license"/> with <paramref name="balance"/> fits <paramref name="demand"/>: the first reason it does not, or <see cref="LicenseFit.Covers"/>.</summary>
    /// <param name="license">The licence.</param>
    /// <param name="balance">Its balance now.</param>
    /// <param name="demand">The line.</param>
    /// <param name="normalize">How names are compared (the screening normalisation), applied to the licence's party names.</param>
    public static LicenseFit Fit(License license, LicenseBalance balance, LicenseDemand demand, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(license);
        ArgumentNullException.ThrowIfNull(demand);
        ArgumentNullException.ThrowIfNull(normalize);
        if (!string.Equals(license.Jurisdiction, demand.Jurisdiction, StringComparison.OrdinalIgnoreCase)
            || !ContainsIgnoreCase(demand.EligibleTypes, license.Type))
        {
            return LicenseFit.WrongType;
        }

        if (demand.Exporter is { } exporter && normalize(exporter) != normalize(license.Holder))
        {
            return LicenseFit.WrongHolder;
        }

        if (license.State != LicenseState.Granted)
        {
            return LicenseFit.NotGranted;
        }

        if (!license.Validity.Contains(demand.Date))
        {
            return LicenseFit.OutsideValidity;
        }

        var scope = license.Scope;
        if (scope.Items.Count > 0 && !AnyIgnoreCase(scope.Items, demand.Items))
        {
            return LicenseFit.ItemOutOfScope;
        }

        if (scope.Destinations.Count > 0 && !scope.Destinations.Contains(demand.Destination))
        {
            return LicenseFit.DestinationOutOfScope;
        }

        if (scope.Consignees.Count > 0 && (demand.Consignee is not { } consignee || !AnyNamed(scope.Consignees, consignee, normalize)))
        {
            return LicenseFit.ConsigneeOutOfScope;
        }

        if (scope.EndUsers.Count > 0 && (demand.EndUser is not { } endUser || !AnyNamed(scope.EndUsers, endUser, normalize)))
        {
            return LicenseFit.EndUserOutOfScope;
        }

        if (Mismatch(license.Quantity, demand.Quantity) || Mismatch(license.Value, demand.Value))
        {
            return LicenseFit.UnitMismatch;
        }

        if ((license.Quantity is not null && demand.Quantity is null) || (license.Value is not null && demand.Value is null))
        {
            return LicenseFit.AmountMissing;
        }

        return balance.Fits(demand.Quantity?.Amount ?? 0, demand.Value?.Amount ?? 0) ? LicenseFit.Covers : LicenseFit.Balance;
    }

    /// <summary>
    /// The licence to assign: of <paramref name="candidates"/> (with their balances) those that cover the line, the one
    /// whose validity ends first (open-ended last; ties by number). Returns null and the most telling reason otherwise:
    /// <see cref="LicenseFit.Balance"/> when a licence would cover the line but for its balance, so the hold says so;
    /// and then, as <c>Closest</c>, the index of the licence a hold names (the first candidate with that fit), -1 when
    /// there is none or a licence was chosen. Each candidate's fit is worked out once.
    /// </summary>
    public static (License? License, LicenseFit Fit, int Closest) Choose(
        IReadOnlyList<(License License, LicenseBalance Balance)> candidates, LicenseDemand demand, Func<string, string> normalize)
    {
        ArgumentNullException.ThrowIfNull(candidates);
        var fits = new LicenseFit[candidates.Count];
        for (var i = 0; i < fits.Length; i++)
        {
            fits[i] = Fit(candidates[i].License, candidates[i].Balance, demand, normalize);
        }

        var (chosen, fit) = Best(candidates.Select((c, i) => (c.License, fits[i])));
        return (chosen, fit, chosen is null ? Array.IndexOf(fits, fit) : -1);
    }

    /// <summary>
    /// <see cref="Choose"/> of licences whose fits are known already (a caller that tests the balance only where the rest
    /// fits, e.g. a batch that keeps its fits, works each out once).
    /// </summary>
    public static (License? License, LicenseFit Fit) Best(IEnumerable<(License License, LicenseFit Fit)> fitted)
    {
        ArgumentNullException.ThrowIfNull(fitted);
        License? best = null;
        var closest = LicenseFit.WrongType;
        foreach (var (license, fit) in fitted)
        {
            if (fit != LicenseFit.Covers)
            {
                closest = fit > closest ? fit : closest;
                continue;
            }

            if (best is null || EndsBefore(license, best))
            {
                best = license;
            }
        }

        return best is null ? (null, closest) : (best, LicenseFit.Covers);
    }

    /// <summary>Wire name of a fit: covers, wrong-type, ..., balance.</summary>
    public static string Name(LicenseFit fit) => fit switch
    {
        LicenseFit.Covers => "covers",
        LicenseFit.WrongType => "wrong-type",
        LicenseFit.WrongHolder => "wrong-holder",
        LicenseFit.NotGranted => "not-granted",
        LicenseFit.OutsideValidity => "outside-validity",
        LicenseFit.ItemOutOfScope => "item-out-of-scope",
        LicenseFit.DestinationOutOfScope => "destination-out-of-scope",
        LicenseFit.ConsigneeOutOfScope => "consignee-out-of-scope",
        LicenseFit.EndUserOutOfScope => "end-user-out-of-scope",
        LicenseFit.UnitMismatch => "unit-mismatch",
        LicenseFit.AmountMissing => "amount-missing",
        _ => "balance",
    };

    // Loops, not LINQ with lambdas: a submit works out the fit of every candidate licence for every line that needs one
    // (a dozen or more a line), and the enumerators and closures were most of the fit's cost.
    private static bool ContainsIgnoreCase(IReadOnlyList<string> values, string value)
    {
        for (var i = 0; i < values.Count; i++)
        {
            if (string.Equals(values[i], value, StringComparison.OrdinalIgnoreCase))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any of <paramref name="scope"/> is one of <paramref name="values"/> (ignoring case).</summary>
    private static bool AnyIgnoreCase(IReadOnlyList<string> scope, IReadOnlyList<string> values)
    {
        for (var i = 0; i < scope.Count; i++)
        {
            if (ContainsIgnoreCase(values, scope[i]))
            {
                return true;
            }
        }

        return false;
    }

    /// <summary>Whether any of <paramref name="names"/>, normalised, is <paramref name="normalized"/>.</summary>
    private static bool AnyNamed(IReadOnlyList<string> names, string normalized, Func<string, string> normalize)
    {
        for (var i = 0; i < names.Count; i++)
        {
            if (normalize(names[i]) == normalized)
            {
                return true;
            }
        }

        return false;
    }

    private static bool Mismatch(LicenseLimit? limit, LicenseLimit? drawn) =>
        limit is { } l && drawn is { } d && !string.Equals(l.Unit, d.Unit, StringComparison.OrdinalIgnoreCase);

    private static bool EndsBefore(License a, License b) => (a.Validity.To, b.Validity.To) switch
    {
        ({ } x, { } y) when x != y => x < y,
        ({ }, null) => true,
        (null, { }) => false,
        _ => string.CompareOrdinal(a.Number, b.Number) < 0,
    };
}
