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

    /// <summary>
    /// When the start became known (announced, decided or promulgated) and the source that says so; null when the
    /// content does not say, and the start is then taken as known on the day it took effect.
    /// </summary>
    public Announcement? StartKnown { get; init; }

    /// <summary>When the end became known, and its source; null when not given (known on the day it took effect).</summary>
    public Announcement? EndKnown { get; init; }

    /// <summary>The first day the start was known: <see cref="StartKnown"/>, else the start itself.</summary>
    public LocalDate StartKnownOn => StartKnown?.Date ?? From;

    /// <summary>The first day the end was known (null for an open end): <see cref="EndKnown"/>, else the end itself.</summary>
    public LocalDate? EndKnownOn => To is { } end ? EndKnown?.Date ?? end : null;

    /// <summary>
    /// The period as it was known on <paramref name="knownOn"/>: null when its start was not known yet (the change is
    /// invisible), open-ended when its end was not known yet (the rule or membership was expected to last), else itself.
    /// </summary>
    public Period? AsKnownOn(LocalDate knownOn)
    {
        if (!IsOpenStart && StartKnownOn > knownOn)
        {
            return null;
        }

        return To is not null && EndKnownOn > knownOn ? new Period(From, null) { StartKnown = StartKnown } : this;
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

/// <summary>
/// The day a change of the content became known (announced, decided or promulgated) with the source that says so: a
/// change known before it takes effect is what an exporter could plan for.
/// </summary>
/// <param name="Date">The first day the change was public.</param>
/// <param name="Citation">The announcement, decision or promulgation (flagged unconfirmed when no source confirms the date).</param>
public sealed record Announcement(LocalDate Date, Model.Citation Citation);
