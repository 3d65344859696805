using System.Globalization;
using NodaTime;

namespace Clearance.Server;

/// <summary>
/// A span of days laid across a width: the as-of slider's day numbers (a range input holds numbers, not dates) and the
/// timeline's positions in per cent, so that the slider, its change marks and the timeline's bars agree on where a day is.
/// </summary>
/// <param name="Origin">The first day (day 0, the left edge).</param>
/// <param name="Last">The last day (the right edge).</param>
internal sealed record DateScale(LocalDate Origin, LocalDate Last)
{
    /// <summary>Where the slider starts unless the shipment is older: the content's changes begin after it.</summary>
    public static readonly LocalDate SliderOrigin = new(2015, 1, 1);

    /// <summary>From <see cref="SliderOrigin"/> to <paramref name="today"/>, widened to take in <paramref name="date"/>.</summary>
    public static DateScale Around(LocalDate date, LocalDate today) =>
        new(LocalDate.Min(SliderOrigin, date), LocalDate.Max(today, date));

    /// <summary>How many days after the origin the last day is.</summary>
    public int Days => DayOf(Last);

    /// <summary>How many days after the origin <paramref name="date"/> is (negative before it).</summary>
    public int DayOf(LocalDate date) => NodaTime.Period.Between(Origin, date, PeriodUnits.Days).Days;

    /// <summary>The day <paramref name="day"/> days after the origin, or null outside the scale.</summary>
    public LocalDate? DateOf(int day) => day >= 0 && day <= Days ? Origin.PlusDays(day) : null;

    /// <summary>Whether <paramref name="date"/> is on the scale.</summary>
    public bool Covers(LocalDate date) => date >= Origin && date <= Last;

    /// <summary>Where <paramref name="date"/> is, in per cent of the width, clamped to the edges.</summary>
    public double At(LocalDate date) => Math.Clamp(100.0 * DayOf(date) / Math.Max(Days, 1), 0, 100);

    /// <summary><see cref="At"/> as an SVG length without its unit ("37.5").</summary>
    public string Percent(LocalDate date) => Number(At(date));

    /// <summary>A number as SVG and CSS want it: invariant, at most three decimals.</summary>
    public static string Number(double value) => value.ToString("0.###", CultureInfo.InvariantCulture);
}
