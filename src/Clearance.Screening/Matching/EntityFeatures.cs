namespace Clearance.Screening.Matching;

/// <summary>
/// Score adjustments from what a query says besides the name. They only move a name match up or down;
/// they never make one.
/// </summary>
public static class EntityFeatures
{
    /// <summary>Added when a birth date agrees to the precision both sides give.</summary>
    public const double BirthDateAgrees = 0.05;

    /// <summary>Taken away when every listed birth date is a year off.</summary>
    public const double BirthDateNear = -0.05;

    /// <summary>Taken away when every listed birth date is two or more years off.</summary>
    public const double BirthDateConflicts = -0.25;

    /// <summary>Added when the query's country is among the entry's countries.</summary>
    public const double CountryAgrees = 0.03;

    /// <summary>Taken away when the entry lists countries and the query's is not among them.</summary>
    public const double CountryConflicts = -0.15;

    /// <summary>
    /// Taken away when the query gives a birth date and the entry, a person or of unknown kind, has none:
    /// the entry cannot confirm the party, and a given name and a surname shared by thousands are no
    /// identification on their own.
    /// </summary>
    public const double BirthDateUnconfirmed = -0.20;

    /// <summary>
    /// The same for a query of three or more name words: a full name of that length is far more
    /// specific, so it costs less.
    /// </summary>
    public const double BirthDateUnconfirmedLongName = -0.10;

    /// <summary>Added when an identifier is the same on both sides.</summary>
    public const double IdentifierAgrees = 0.25;

    /// <summary>Factor on a match made through a weak alias.</summary>
    public const double WeakAliasFactor = 0.9;

    /// <summary>The most the adjustments can add for this query, whatever the entity.</summary>
    /// <param name="query">The query.</param>
    public static double MaxRaise(ScreeningQuery query)
    {
        ArgumentNullException.ThrowIfNull(query);
        double raise = 0.0;
        raise += string.IsNullOrWhiteSpace(query.BirthDate) ? 0.0 : BirthDateAgrees;
        raise += string.IsNullOrWhiteSpace(query.Country) ? 0.0 : CountryAgrees;
        raise += query.Identifiers is { Count: > 0 } ? IdentifierAgrees : 0.0;
        return raise;
    }

    /// <summary>True when the query's kind excludes the entity (a person query never matches a vessel).</summary>
    /// <param name="queryKind">The kind asked for, or null.</param>
    /// <param name="entityKind">The entity's kind.</param>
    public static bool KindExcludes(EntityKind? queryKind, EntityKind entityKind) =>
        queryKind is { } kind && kind != EntityKind.Unknown && entityKind != EntityKind.Unknown && kind != entityKind;

    /// <summary>The sum of the adjustments, and when <paramref name="features"/> is not null, each of them.</summary>
    /// <param name="query">The query.</param>
    /// <param name="queryName">The query's normalised name (its length decides what an unconfirmed birth date costs).</param>
    /// <param name="entity">The list entry.</param>
    /// <param name="features">Receives the adjustments that applied.</param>
    public static double Adjust(ScreeningQuery query, NormalizedName queryName, ListEntity entity, List<ScoreFeature>? features)
    {
        ArgumentNullException.ThrowIfNull(query);
        ArgumentNullException.ThrowIfNull(queryName);
        ArgumentNullException.ThrowIfNull(entity);
        double delta = 0.0;
        if (!string.IsNullOrWhiteSpace(query.BirthDate) && entity.BirthDates.Count > 0)
        {
            double d = BirthDateDelta(query.BirthDate.Trim(), entity.BirthDates);
            delta += d;
            features?.Add(new ScoreFeature("birth-date", d, $"{query.BirthDate} vs {string.Join(", ", entity.BirthDates)}"));
        }
        else if (!string.IsNullOrWhiteSpace(query.BirthDate) && entity.Kind is EntityKind.Person or EntityKind.Unknown)
        {
            double d = queryName.SubstantiveCount >= 3 ? BirthDateUnconfirmedLongName : BirthDateUnconfirmed;
            delta += d;
            features?.Add(new ScoreFeature("birth-date", d, $"{query.BirthDate} vs none listed"));
        }

        if (!string.IsNullOrWhiteSpace(query.Country) && entity.Countries.Count > 0)
        {
            bool agrees = false;
            foreach (string country in entity.Countries)
            {
                agrees |= string.Equals(country, query.Country.Trim(), StringComparison.OrdinalIgnoreCase);
            }

            double d = agrees ? CountryAgrees : CountryConflicts;
            delta += d;
            features?.Add(new ScoreFeature("country", d, $"{query.Country} vs {string.Join(", ", entity.Countries)}"));
        }

        if (query.Identifiers is { Count: > 0 } ids && entity.Identifiers.Count > 0)
        {
            foreach (string id in ids)
            {
                string key = IdentifierKey(id);
                EntityIdentifier? same = key.Length == 0
                    ? null
                    : entity.Identifiers.FirstOrDefault(e => string.Equals(IdentifierKey(e.Value), key, StringComparison.Ordinal));
                if (same is not null)
                {
                    delta += IdentifierAgrees;
                    features?.Add(new ScoreFeature("identifier", IdentifierAgrees, $"{id} = {same.Type} {same.Value}"));
                    break;
                }
            }
        }

        return delta;
    }

    private static double BirthDateDelta(string queryDate, IReadOnlyList<string> listed)
    {
        int bestYearGap = int.MaxValue;
        foreach (string date in listed)
        {
            if (!TryYear(date, out int listedYear) || !TryYear(queryDate, out int queryYear))
            {
                continue;
            }

            int gap = Math.Abs(listedYear - queryYear);
            if (gap == 0)
            {
                int common = Math.Min(date.Length, queryDate.Length);
                if (string.Compare(date, 0, queryDate, 0, common, StringComparison.Ordinal) == 0)
                {
                    return BirthDateAgrees;
                }

                gap = 0;
            }

            bestYearGap = Math.Min(bestYearGap, gap);
        }

        return bestYearGap switch
        {
            int.MaxValue => 0.0,
            <= 1 => BirthDateNear,
            _ => BirthDateConflicts,
        };
    }

    private static bool TryYear(string date, out int year)
    {
        year = 0;
        return date.Length >= 4 && int.TryParse(date.AsSpan(0, 4), System.Globalization.NumberStyles.None, System.Globalization.CultureInfo.InvariantCulture, out year);
    }

    private static string IdentifierKey(string value)
    {
        Span<char> buffer = stackalloc char[Math.Min(value.Length, 64)];
        int n = 0;
        foreach (char c in value)
        {
            if (char.IsAsciiLetterOrDigit(c) && n < buffer.Length)
            {
                buffer[n++] = char.ToUpperInvariant(c);
            }
        }

        return new string(buffer[..n]);
    }
}
