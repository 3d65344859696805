using NodaTime;
using NodaTime.Text;

namespace Clearance;

/// <summary>
/// The dates on which a fact is in force: the half-open interval <c>[From, To)</c>.
/// <see cref="From"/> is the first day in force; <see cref="To"/> is the first day no longer in force,
/// or <c>null</c> for an open end (still in force). A rule effective "from 28 Aug 2019 at 00:00" and
/// lifted "from 21 Jul 2023" is <c>[2019-08-28, 2023-07-21)</c>: in force on 2023-07-20, not on 2023-07-21.
/// <see cref="LocalDate.MinIsoValue"/> as <see cref="From"/> means "since before the content's coverage".
/// </summary>
public readonly record struct Period
{
    private static readonly LocalDatePattern Iso = LocalDatePattern.Iso;

    /// <summary>First day in force.</summary>
    public LocalDate From { get; }

    /// <summary>First day no longer in force; <c>null</c> when open-ended.</summary>
    public LocalDate? To { get; }

    /// <summary>A period that began before the content's coverage and has not ended.</summary>
    public static Period Always { get; } = new(LocalDate.MinIsoValue, null);

    /// <summary>Creates <c>[from, to)</c>; <paramref name="to"/> must be after <paramref name="from"/>.</summary>
    /// <exception cref="ArgumentException">When the period would be empty.</exception>
    public Period(LocalDate from, LocalDate? to)
    {
        if (to is { } end && end <= from)
        {
            ThrowHelper.Argument(nameof(to), $"period end {Iso.Format(end)} must be after its start {Iso.Format(from)} (periods are [from, to))");
        }

        From = from;
        To = to;
    }

    /// <summary>Whether the period has no start within the content's coverage.</summary>
    public bool IsOpenStart => From == LocalDate.MinIsoValue;

    /// <summary>Whether <paramref name="date"/> lies in <c>[From, To)</c>.</summary>
    public bool Contains(LocalDate date) => date >= From && (To is not { } end || date < end);

    /// <summary>Whether the two periods share at least one day.</summary>
    public bool Overlaps(Period other) =>
        (To is not { } end || other.From < end) && (other.To is not { } otherEnd || From < otherEnd);

    /// <summary>Starts a period from a date, open-ended.</summary>
    public static Period StartingOn(LocalDate from) => new(from, null);

    /// <inheritdoc />
    public override string ToString() =>
        $"[{(IsOpenStart ? "…" : Iso.Format(From))}, {(To is { } end ? Iso.Format(end) : "…")})";
}
